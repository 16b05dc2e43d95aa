/* Unit tests: accounts/login_defs.c — the login.defs keys setup reads and
 * what counts as a system account.  Pure code, no root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "accounts/login_defs.h"

static void test_login_defs(void **state)
{
	static const char T[] =
		"# UID_MIN 5\n"
		"UID_MIN\t\t 500\n"
		"  GID_MIN 600 # trailing comment\n"
		"UID_MAX x\n"
		"GID_MAX 0\n"
		"MAIL_DIR /var/mail\n";
	struct login_defs d;

	login_defs_default(&d);
	assert_int_equal(d.uid_min, 1000);
	login_defs_parse(T, strlen(T), &d);
	assert_int_equal(d.uid_min, 500);
	assert_int_equal(d.gid_min, 600);
	assert_int_equal(d.uid_max, 60000);
	assert_int_equal(d.gid_max, 60000);
	assert_true(defs_system_uid(&d, 0));
	assert_true(defs_system_uid(&d, 499));
	assert_false(defs_system_uid(&d, 500));
	assert_true(defs_system_uid(&d, 65534));
	assert_false(defs_system_uid(&d, 100000));
	assert_true(defs_system_gid(&d, 599));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login_defs),
	};
	return cmocka_run_group_tests_name("login_defs", tests, NULL, NULL);
}

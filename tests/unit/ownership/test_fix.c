/* Unit tests: ownership/fix.c — the --from/--to owner spec.  Pure code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ownership/fix.h"

static void test_owner_spec(void **state)
{
	struct owner_spec o;
	char err[128];
	(void)state;
	assert_int_equal(owner_spec_parse("1000:1001", &o, err, sizeof err), 0);
	assert_true(o.have_uid && o.have_gid);
	assert_int_equal(o.uid, 1000); assert_int_equal(o.gid, 1001);
	assert_int_equal(owner_spec_parse("501", &o, err, sizeof err), 0);
	assert_true(o.have_uid); assert_false(o.have_gid);
	assert_int_equal(owner_spec_parse("501:", &o, err, sizeof err), 0);
	assert_true(o.have_uid); assert_false(o.have_gid);
	assert_int_equal(owner_spec_parse(":20", &o, err, sizeof err), 0);
	assert_false(o.have_uid); assert_true(o.have_gid);
	assert_int_equal(o.gid, 20);
	assert_int_equal(owner_spec_parse("0:0", &o, err, sizeof err), 0);
	assert_int_equal(owner_spec_parse("4294967294:4294967294", &o, err, sizeof err), 0);
	const char *bad[] = { "", ":", "-1", "4294967295", "1000:4294967295", "+1000", " 1000",
			      "1000 ", "app", "1000:staff", "1:2:3", "0x10", "1000:-1" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(owner_spec_parse(bad[i], &o, err, sizeof err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_owner_spec),
	};
	return cmocka_run_group_tests_name("fix", tests, NULL, NULL);
}

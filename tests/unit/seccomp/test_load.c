/* Unit tests: seccomp/load.c — choosing a profile: built-in, none, or a
 * root caller's policy file (not loaded here: nothing is installed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "seccomp/load.h"
#include "seccomp/profiles.h"

static const struct seccomp_builtin *profile(const char *name)
{
	for (size_t i = 0; i < seccomp_nbuiltins; i++)
		if (!strcmp(seccomp_builtins[i].name, name))
			return &seccomp_builtins[i];
	fail_msg("no profile %s", name);
	return NULL;
}

static void test_prepare(void **state)
{
	struct seccomp_prepared sc;
	char err[256];

	assert_true(seccomp_is_builtin("default"));
	assert_true(seccomp_is_builtin("strict"));
	assert_true(seccomp_is_builtin("none"));
	assert_false(seccomp_is_builtin("./default"));
	assert_int_equal(seccomp_prepare("default", false, &sc, err, sizeof err), 0);
	assert_false(sc.none);
	assert_ptr_equal(sc.prog.filter, profile("default")->insns);
	assert_int_equal(seccomp_prepare("none", false, &sc, err, sizeof err), 0);
	assert_true(sc.none);
	assert_int_equal(seccomp_prepare("bogus", true, &sc, err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown seccomp profile 'bogus'"));
	assert_int_equal(seccomp_prepare("/etc/x.policy", false, &sc, err, sizeof err), -1);
	assert_non_null(strstr(err, "only root may load custom policies"));
	assert_int_equal(seccomp_prepare("/nonexistent/x.policy", true, &sc, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot open /nonexistent/x.policy"));
	assert_non_null(seccomp_builtin_source("strict"));
	assert_non_null(strstr(seccomp_builtin_source("strict"), "@include <default>"));
}

/* qemu-user has no seccomp(2): the exec stops and says why (issue 13). */
static void test_install_strerror(void **state)
{
	assert_non_null(strstr(seccomp_install_strerror(-ENOSYS),
			       "cannot be loaded under emulation (qemu-user)"));
	assert_non_null(strstr(seccomp_install_strerror(-ENOSYS), "not started"));
	assert_string_equal(seccomp_install_strerror(-EINVAL), strerror(EINVAL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prepare),
		cmocka_unit_test(test_install_strerror),
	};
	return cmocka_run_group_tests_name("load", tests, NULL, NULL);
}

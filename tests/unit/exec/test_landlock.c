/* Unit tests: exec/landlock.c — which domain each Landlock ABI gets.  The
 * domains themselves are exercised against the kernel by
 * tests/integration/exec/isolation.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "exec/landlock.h"

static void test_no_landlock(void **state)
{
	static const int errs[] = { -ENOSYS, -EOPNOTSUPP, -EPERM, -EINVAL };
	struct landlock_plan p;

	for (size_t i = 0; i < sizeof errs / sizeof *errs; i++) {
		landlock_plan_for(errs[i], &p);
		assert_false(p.apply);
		assert_non_null(p.why);
		assert_int_equal(p.handled_fs | p.scoped, 0);
	}
	landlock_plan_for(-EOPNOTSUPP, &p);
	assert_non_null(strstr(p.why, "not enabled"));
	landlock_plan_for(-EPERM, &p);
	assert_non_null(strstr(p.why, "seccomp"));
}

/* ABI 1 cannot grant REFER back: every cross-directory rename would fail. */
static void test_abi1_makes_no_domain(void **state)
{
	struct landlock_plan p;

	landlock_plan_for(1, &p);
	assert_false(p.apply);
	assert_non_null(strstr(p.why, "rename"));
}

/* ABI 2-5: REFER alone, granted again beneath "/"; nothing scoped. */
static void test_abi2_to_5_refer_only(void **state)
{
	struct landlock_plan p;

	for (int abi = 2; abi <= 5; abi++) {
		landlock_plan_for(abi, &p);
		assert_true(p.apply);
		assert_int_equal(p.handled_fs, LL_ACCESS_FS_REFER);
		assert_int_equal(p.fs_granted, LL_ACCESS_FS_REFER);
		assert_int_equal(p.scoped, 0);
		assert_int_equal(p.flags, 0);
	}
}

/* ABI 6 and later: no file right at all, signals and abstract sockets
 * scoped; from 7 the service's own denials are audited. */
static void test_abi6_scopes(void **state)
{
	struct landlock_plan p;
	char buf[64];

	for (int abi = 6; abi <= 9; abi++) {
		landlock_plan_for(abi, &p);
		assert_true(p.apply);
		assert_int_equal(p.handled_fs, 0);
		assert_int_equal(p.fs_granted, 0);
		assert_int_equal(p.scoped, LL_SCOPE_SIGNAL | LL_SCOPE_ABSTRACT_UNIX_SOCKET);
		assert_int_equal(p.flags, abi >= 7 ? LL_RESTRICT_SELF_LOG_NEW_EXEC_ON : 0);
	}
	assert_string_equal(landlock_scopes(&p, buf, sizeof buf), "signals, abstract unix sockets");
	landlock_plan_for(4, &p);
	assert_string_equal(landlock_scopes(&p, buf, sizeof buf), "none");
}

static void test_not_applied_is_noop(void **state)
{
	struct landlock_plan p;

	landlock_plan_for(-ENOSYS, &p);
	assert_int_equal(landlock_apply(&p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_landlock),
		cmocka_unit_test(test_abi1_makes_no_domain),
		cmocka_unit_test(test_abi2_to_5_refer_only),
		cmocka_unit_test(test_abi6_scopes),
		cmocka_unit_test(test_not_applied_is_noop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

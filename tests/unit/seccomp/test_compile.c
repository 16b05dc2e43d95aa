/* Unit tests: seccomp/compile.c — policies compiled at run time with
 * libseccomp, run in the classic-BPF interpreter of tests/filters/ so the
 * filters are checked without loading them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdlib.h>

#include "seccomp/compile.h"
#include "seccomp/policy.h"
#include "../../filters/bpf.h"
#include "fixture.h"

#define X86_64 AUDIT_ARCH_X86_64

static uint32_t run(const struct sock_filter *f, size_t len, uint32_t arch, int nr,
		    const uint64_t *args)
{
	struct bpf_case c = { .nr = nr, .arch = arch };
	unsigned char data[BPF_DATA_SIZE];
	char err[128];

	if (bpf_check(f, len, err, sizeof err) < 0)
		fail_msg("%s", err);
	for (int i = 0; args && i < 6; i++)
		c.args[i] = args[i];
	bpf_data(&c, __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__, data);
	return bpf_run(f, len, data, __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
}

static void test_compile(void **state)
{
	struct policy p;
	struct sock_filter *bpf;
	size_t len;
	char err[256];

	assert_int_equal(fx_policy("@default errno EACCES\ngetppid allow\nwrite kill\n"
			       "ioctl arg1 == TIOCSTI allow\n", &p, err, sizeof err), 0);
	if (compile_policy(&p, "x86_64", &bpf, &len, err, sizeof err) < 0)
		fail_msg("%s", err);
	assert_int_equal(run(bpf, len, X86_64, 110, NULL), SECCOMP_RET_ALLOW);
	assert_int_equal(run(bpf, len, X86_64, 1, NULL), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(bpf, len, X86_64, 0, NULL), SECCOMP_RET_ERRNO | EACCES);
	assert_int_equal(run(bpf, len, AUDIT_ARCH_ARM, 0, NULL), SECCOMP_RET_KILL_PROCESS);
	free(bpf);
	/* aarch64 covers arm too */
	if (compile_policy(&p, "aarch64", &bpf, &len, err, sizeof err) < 0)
		fail_msg("%s", err);
	assert_int_equal(run(bpf, len, AUDIT_ARCH_AARCH64, 173, NULL), SECCOMP_RET_ALLOW);
	assert_int_equal(run(bpf, len, AUDIT_ARCH_ARM, 64, NULL), SECCOMP_RET_ALLOW);
	assert_int_equal(run(bpf, len, X86_64, 110, NULL), SECCOMP_RET_KILL_PROCESS);
	free(bpf);
	assert_int_equal(compile_policy(&p, "pdp11", &bpf, &len, err, sizeof err), -1);
	assert_string_equal(err, "unknown architecture 'pdp11'");
	policy_free(&p);
	/* a contradiction is reported at the rule */
	assert_int_equal(fx_policy("\nioctl arg1 == 1 && arg1 == 2\n", &p, err, sizeof err), 0);
	assert_int_equal(compile_policy(&p, NULL, &bpf, &len, err, sizeof err), -1);
	assert_string_equal(err, "t.policy:2:1: 'ioctl': the conditions on arg1 can never all hold");
	policy_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compile),
	};
	return cmocka_run_group_tests_name("compile", tests, NULL, NULL);
}

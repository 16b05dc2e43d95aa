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
#include <stdio.h>
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

/* libseccomp converts the copy of a return it inserts next to a jump that
 * is too long (more than 255 instructions away) twice: on a little-endian
 * build host, an s390x program got EPERM as 0x01000500 (an action no
 * kernel knows: the process is killed) and ALLOW as 0x0000ff7f (KILL_THREAD).
 * Found by filters.sh when `prlimit64 arg0 != 0` (32 terms) joined the
 * default profile. */
static void test_far_returns(void **state)
{
	static const char *const families[] = { "x86_64", "aarch64", "ppc64le", "s390x",
						"riscv64" };
	char text[4096];
	size_t n = 0;
	struct policy p;
	char err[256];

	n += (size_t)snprintf(text + n, sizeof text - n, "prlimit64 arg0 != 0 errno EACCES\n");
	n += (size_t)snprintf(text + n, sizeof text - n, "personality arg0 not in { 0, 8 }\n");
	n += (size_t)snprintf(text + n, sizeof text - n, "clone arg0 & 0x7e020000 != 0 kill\n");
	n += (size_t)snprintf(text + n, sizeof text - n, "ioctl arg1 not in { 0x5412, 0x541c, 1, 2 }\n");
	assert_int_equal(fx_policy(text, &p, err, sizeof err), 0);
	for (size_t f = 0; f < sizeof families / sizeof *families; f++) {
		struct sock_filter *bpf;
		size_t len;

		if (compile_policy_unshrunk(&p, families[f], &bpf, &len, err, sizeof err) < 0)
			fail_msg("%s: %s", families[f], err);
		for (size_t i = 0; i < len; i++) {
			uint32_t k = bpf[i].k;

			if (bpf[i].code != (BPF_RET | BPF_K))
				continue;
			if (k != SECCOMP_RET_ALLOW && k != SECCOMP_RET_KILL_PROCESS &&
			    k != (SECCOMP_RET_ERRNO | EPERM) && k != (SECCOMP_RET_ERRNO | EACCES))
				fail_msg("%s: instruction %zu of %zu returns 0x%08x", families[f], i,
					 len, k);
		}
		free(bpf);
	}
	policy_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compile),
		cmocka_unit_test(test_far_returns),
	};
	return cmocka_run_group_tests_name("compile", tests, NULL, NULL);
}

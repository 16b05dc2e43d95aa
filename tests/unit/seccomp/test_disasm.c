/* Unit tests: seccomp/disasm.c — the annotated dump of a program
 * (`appuser policy dump`). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seccomp/compile.h"
#include "seccomp/disasm.h"
#include "seccomp/policy.h"
#include "fixture.h"

static bool name_fn(uint32_t arch, uint32_t nr, char *buf, size_t len)
{
	snprintf(buf, len, "nr%u", nr);
	return true;
}

static void test_disasm(void **state)
{
	struct policy p;
	struct sock_filter *bpf;
	char *out = NULL, buf[64], err[256];
	size_t len = 0, n;
	FILE *f;

	/* x86_64 on every build: the dump names its ABIs */
	assert_int_equal(fx_policy("@include <base>\n", &p, err, sizeof err), 0);
	if (compile_policy(&p, "x86_64", &bpf, &n, err, sizeof err) < 0)
		fail_msg("%s", err);
	f = open_memstream(&out, &len);
	bpf_disasm(f, bpf, n, name_fn);
	fclose(f);
	assert_non_null(strstr(out, "0000  ld   [4]"));
	assert_non_null(strstr(out, "# architecture"));
	assert_non_null(strstr(out, "# x86_64"));
	assert_non_null(strstr(out, "# i386"));
	assert_non_null(strstr(out, "# nr272"));
	assert_non_null(strstr(out, "# x32 nr"));
	assert_non_null(strstr(out, "ret  ERRNO(ENOSYS)"));
	assert_non_null(strstr(out, "ret  KILL_PROCESS"));
	free(out);
	free(bpf);
	policy_free(&p);
	assert_string_equal(bpf_ret_name(SECCOMP_RET_ERRNO | EPERM, buf, sizeof buf), "ERRNO(EPERM)");
	assert_string_equal(bpf_ret_name(SECCOMP_RET_ALLOW, buf, sizeof buf), "ALLOW");
	assert_string_equal(bpf_ret_name(SECCOMP_RET_TRAP | 7, buf, sizeof buf), "TRAP(7)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_disasm),
	};
	return cmocka_run_group_tests_name("disasm", tests, NULL, NULL);
}

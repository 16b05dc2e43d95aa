/* tests/filters/check.h — one compiled profile against what its policy
 * says (expect.h) and what appuser promises (check.c), in the
 * interpreter; and against the running kernel where it can run there.
 * Shared by the unit test (this build's own profiles) and filtercheck
 * (any build's: policyc images, dist binaries). */
#ifndef APPUSER_TESTS_CHECK_H
#define APPUSER_TESTS_CHECK_H

#include "expect.h"

#define CHECK_SHOWN 8

struct check_prog {
	const char *profile;		/* "default", "strict", ... */
	const struct sock_filter *insns;	/* host order */
	size_t len;
	bool big_endian;		/* the target's byte order */
};

struct check_result {
	size_t cases, wrong;
	char shown[CHECK_SHOWN][240];	/* the first few wrong ones */
};

/* The kernel would accept the program.  Returns 0 or -1 with err. */
int check_valid(const struct check_prog *p, char *err, size_t errlen);

/* The policy's table for ABI a (NULL: every foreign architecture). */
int check_table(const struct expect *e, const struct check_prog *p, const struct abi *a,
		struct check_result *r);

/* appuser-policy(5)'s promises for built-in profiles, by syscall name, on
 * every ABI of the target (unknown profiles have none). */
int check_promises(const struct expect *e, const struct check_prog *p, struct check_result *r);

/* The kernel's verdicts on every case of every ABI equal the
 * interpreter's.  Returns -1 with the reason when it cannot be asked
 * (another architecture, qemu-user: no seccomp(2)). */
int check_kernel(const struct expect *e, const struct check_prog *p, struct check_result *r,
		 char *err, size_t errlen);

#endif

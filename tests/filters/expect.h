/* tests/filters/expect.h — what a policy says a filter must answer, for any
 * seccomp_data: the table the compiled programs are checked against.
 *
 * It reads the parsed rules (seccomp/policy.h) and nothing else of
 * src/seccomp/: no libseccomp, no lowering, no architecture handling of
 * the compiler.  The semantics, per call of ABI A in target T's filter:
 *
 * - A is not one of T's kernel's ABIs: KILL_PROCESS;
 * - a number A does not define, or a call no rule names: the default;
 * - a call named by rules: the action of the rule whose conditions hold
 *   on the low 32 bits of the arguments (the kernel truncates int
 *   arguments), else the default.  clone's flags are the first argument
 *   in the policy, the second register on s390x;
 * - socketcall(2)/ipc(2) on the ABIs that have them: the sub-call's rules
 *   (socketcall(SYS_SOCKET, ...) is `socket`); an unconditional rule
 *   applies as written, a conditional one cannot be checked (the
 *   arguments are in memory) and gives the stricter of its action and the
 *   default — except on the build's own ABI when its glibc uses the
 *   multiplexer (i386, s390x sockets; i386, s390x, ppc64le SysV IPC):
 *   there the more permissive one, for the direct call as well, so that
 *   a 32-bit service has sockets (appuser-policy(5), "ARCHITECTURES"). */
#ifndef APPUSER_TESTS_EXPECT_H
#define APPUSER_TESTS_EXPECT_H

#include "abi.h"
#include "bpf.h"
#include "seccomp/policy.h"

#include <stddef.h>

/* Syscall numbers of one ABI: from the kernel's headers, or libseccomp. */
struct sysent {
	char name[48];
	int32_t nr;		/* x32: with the x32 bit */
};
struct systable {
	const struct abi *abi;
	size_t n, cap;
	struct sysent *e;
};

int systable_add(struct systable *t, const char *name, int32_t nr);
/* "NAME NUMBER" lines, as tests/filters/systable prints them. */
int systable_load(struct systable *t, const struct abi *a, const char *path);
const char *systable_name(const struct systable *t, int32_t nr);
int32_t systable_nr(const struct systable *t, const char *name);	/* -1: none */
void systable_free(struct systable *t);

struct expect {
	const struct target *target;
	const struct policy *pol;
	const struct systable *tables;	/* one per ABI of the target, in its order */
	size_t ntables;
};

/* The verdict (SECCOMP_RET_*) the policy gives c. */
uint32_t expect_verdict(const struct expect *e, const struct bpf_case *c);

/* Every case worth trying for ABI a (NULL: the foreign architectures):
 * all numbers the table knows and the gaps around them, and for each
 * conditional rule its values, their one-bit neighbours, high bits and
 * random arguments.  Deterministic.  Returns a malloc'd array. */
struct bpf_case *expect_cases(const struct expect *e, const struct abi *a, size_t *n);

#endif

/* tests/filters/kernel.h — the running kernel's own verdicts for a
 * seccomp program, to compare with the interpreter's.
 *
 * The program is loaded in a child with every return rewritten to an
 * errno of its own (ALLOW -> 4000, KILL_PROCESS -> 4001, ...), so no
 * call it is asked about ever runs: the kernel evaluates the original
 * decisions on real registers and reports them through errno.  A short
 * prefix lets the child's final exit_group(MAGIC) through. */
#ifndef APPUSER_TESTS_KERNEL_H
#define APPUSER_TESTS_KERNEL_H

#include "bpf.h"

#define KERNEL_UNREACHABLE 0xffffffffu	/* this process cannot make that call */

/* The ABIs this process can make calls of, as AUDIT_ARCH values; with
 * x32 (bit 30) and i386 (int 0x80) on x86_64 when the kernel has them. */
bool kernel_reaches(const struct bpf_case *c);

/* out[i]: the SECCOMP_RET_* the kernel gave cases[i], or
 * KERNEL_UNREACHABLE.  Returns 0, or -1 with a reason in err (seccomp not
 * available, e.g. under qemu-user). */
int kernel_verdicts(const struct sock_filter *prog, size_t len, const struct bpf_case *cases,
		    size_t n, uint32_t *out, char *err, size_t errlen);

#endif

/* seccomp/compile.h — a parsed policy to classic BPF with libseccomp
 * (binary-tree optimisation).  Used by the build-time compiler
 * (seccomp/policyc.c) for the built-in profiles and, at run time, for
 * `--seccomp FILE` and `appuser policy`.  Never on the exec path of a
 * built-in profile, and never loads anything: the program is exported.
 *
 * One program covers every ABI of the kernel family (seccomp/arch.h), each
 * compiled on its own and merged: the program starts with an
 * architecture check, and a syscall from any other architecture kills the
 * process (its numbers would mean other syscalls). */
#ifndef APPUSER_SECCOMP_COMPILE_H
#define APPUSER_SECCOMP_COMPILE_H

#include "seccomp/policy.h"

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>

/* Compile p for a binary whose own ABI is `own` (libseccomp's name,
 * "x86" for i386; NULL: this binary's).  Returns 0 with a malloc'd
 * program in *out, or -1 with "FILE:LINE:COL: reason" or a plain reason
 * in err. */
int compile_policy(const struct policy *p, const char *own, struct sock_filter **out,
		   size_t *len, char *err, size_t errlen);

/* The same program as libseccomp exported it, before seccomp/shrink.c:
 * what the tests prove the shrunk one equivalent to. */
int compile_policy_unshrunk(const struct policy *p, const char *own, struct sock_filter **out,
			    size_t *len, char *err, size_t errlen);

/* policy_source.known: does libseccomp know this syscall on any arch? */
bool compile_syscall_known(void *ctx, const char *name);

#endif

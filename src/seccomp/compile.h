/* seccomp/compile.h — a parsed policy to classic BPF with libseccomp
 * (binary-tree optimisation).  Used by the build-time compiler
 * (src/tools/policyc.c) for the built-in profiles and, at run time, for
 * `--seccomp FILE` and `appuser policy`.  Never on the exec path of a
 * built-in profile, and never loads anything: the program is exported.
 *
 * Every program starts with an architecture check: x86_64 with x32 and
 * i386, aarch64 with arm; a syscall from any other architecture kills the
 * process (its numbers would mean other syscalls). */
#ifndef APPUSER_SECCOMP_COMPILE_H
#define APPUSER_SECCOMP_COMPILE_H

#include "seccomp/policy.h"

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>

/* The target this binary was built for: "x86_64", "aarch64", ... or NULL
 * (libseccomp's native architecture alone). */
const char *compile_native_arch(void);

/* Compile p for `arch` (NULL: compile_native_arch()).  Returns 0 with a
 * malloc'd program in *out, or -1 with "FILE:LINE:COL: reason" or a plain
 * reason in err. */
int compile_policy(const struct policy *p, const char *arch, struct sock_filter **out,
		   size_t *len, char *err, size_t errlen);

/* policy_source.known: does libseccomp know this syscall on any arch? */
bool compile_syscall_known(void *ctx, const char *name);

#endif

/* seccomp/profiles.h — the built-in profiles, compiled to BPF at build
 * time by src/tools/policyc.c from policy/seccomp/NAME.policy into
 * $(B)/gen/seccomp_profiles.c and linked into appuser.  Nothing here is
 * parsed or compiled at run time. */
#ifndef APPUSER_SECCOMP_PROFILES_H
#define APPUSER_SECCOMP_PROFILES_H

#include <linux/filter.h>
#include <stddef.h>

#define SECCOMP_BUILTIN_MAX_PROGS 4

struct seccomp_builtin_prog {
	const struct sock_filter *insns;
	unsigned short len;
};

struct seccomp_builtin {
	const char *name;		/* file name without .policy */
	const char *summary;		/* its first comment line */
	const char *source;		/* its text: `policy show`, @include <name> */
	size_t nprogs;			/* stacked, installed in order */
	struct seccomp_builtin_prog progs[SECCOMP_BUILTIN_MAX_PROGS];
};

extern const struct seccomp_builtin seccomp_builtins[];
extern const size_t seccomp_nbuiltins;
extern const char seccomp_builtins_arch[];	/* "x86_64", ... */

#endif

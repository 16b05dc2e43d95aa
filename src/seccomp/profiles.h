/* seccomp/profiles.h — the built-in profiles, compiled to BPF at build
 * time by seccomp/policyc.c from policy/seccomp/NAME.policy into
 * $(B)/gen/seccomp_profiles.c and linked into appuser.  Nothing here is
 * parsed or compiled at run time. */
#ifndef APPUSER_SECCOMP_PROFILES_H
#define APPUSER_SECCOMP_PROFILES_H

#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>

/* One program per profile: it checks every ABI the binary's kernel may
 * run (seccomp/compile.h). */
struct seccomp_builtin {
	const char *name;		/* file name without .policy */
	const char *summary;		/* its first comment line */
	const char *source;		/* its text: `policy show`, @include <name> */
	const struct sock_filter *insns;
	unsigned short len;
};

/* Each program lives in a record of the ELF section .appuser_seccomp, so
 * the exact bytes a binary loads can be read back from the file, stripped
 * or not, whatever its architecture (tests/filters/image.c; `policyc -x`
 * writes the same records).  Every field is in the target's byte order;
 * `version` (1) tells which. */
#define SECCOMP_RECORD_MAGIC "APSECCMP"
#define SECCOMP_RECORD_SECTION ".appuser_seccomp"

struct seccomp_record {
	char magic[8];			/* SECCOMP_RECORD_MAGIC, no NUL */
	char name[24];			/* the profile, NUL-padded */
	char abi[16];			/* the binary's own ABI: "x86_64", "x86", ... */
	uint32_t version;
	uint32_t len;			/* instructions */
	struct sock_filter insns[];
};

extern const struct seccomp_builtin seccomp_builtins[];
extern const size_t seccomp_nbuiltins;
extern const char seccomp_builtins_arch[];	/* the own ABI: "x86_64", "x86", ... */

#endif

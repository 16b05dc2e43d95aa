/* tests/filters/abi.h — the syscall ABIs appuser's filters cover, as the
 * kernel and glibc define them: the oracle the filter tests compare the
 * compiled programs with.  Written from the kernel's sources and glibc's
 * kernel-features.h, on purpose not shared with src/seccomp/ (a mistake
 * there must not be repeated here). */
#ifndef APPUSER_TESTS_ABI_H
#define APPUSER_TESTS_ABI_H

#include <stdbool.h>
#include <stdint.h>

struct abi {
	const char *name;	/* "x86_64", "x32", "i386", "aarch64", "arm", ... */
	const char *scmp;	/* libseccomp's name: "x86" for i386 */
	uint32_t audit;		/* seccomp_data.arch */
	uint32_t nr_bit;	/* x32: __X32_SYSCALL_BIT, part of every number */
	bool big_endian;
	bool args32;		/* registers (so arguments) are 32 bits */
	/* Multiplexers: socketcall(2) and ipc(2) syscall numbers, or -1. */
	int socketcall, ipc;
	/* glibc 2.36 (configured for Linux 3.2) goes through them. */
	bool libc_socketcall, libc_ipc;
	/* clone(2)'s flags: argument 1 on s390x (CLONE_BACKWARDS2), else 0 */
	unsigned clone_flags_arg;
};

/* A build: the ABI its binary runs as, and every ABI its kernel runs. */
struct target {
	const char *deb;	/* Debian's name: amd64, i386, arm64, ... */
	const char *self;	/* the binary's own ABI */
	const char *abis[4];	/* the kernel's ABIs, NULL-terminated */
};

const struct abi *abi_find(const char *name);	/* by name or libseccomp name */
const struct abi *abi_by_audit(uint32_t audit, int32_t nr);	/* x32: bit 30 */
const struct target *target_find(const char *name);	/* deb name or own ABI */
const struct target *target_all(unsigned i);	/* NULL past the last */
bool target_has(const struct target *t, const struct abi *a);

/* Every AUDIT_ARCH_* value linux/audit.h knows, 0-terminated: a filter
 * must kill on each one that is not its own. */
extern const uint32_t abi_all_audit[];

/* Sub-call number -> name for socketcall and ipc, or NULL. */
const char *abi_socketcall_name(uint32_t call);
const char *abi_ipc_name(uint32_t call);

#endif

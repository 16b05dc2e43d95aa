/* seccomp/arch.h — the syscall ABIs one filter covers (DESIGN §9a).
 *
 * One filter per kernel, not per binary: a 64-bit kernel also runs its
 * 32-bit ABIs, whose numbers differ, and a service may exec a program of
 * either.  So every build carries the branches of its kernel's whole
 * family, whatever its own ABI:
 *
 *   x86_64, i386 builds    x86_64 + x32 + x86 (i386)
 *   arm64, armhf builds    aarch64 + arm
 *   ppc64el                ppc64le
 *   s390x                  s390x
 *   riscv64                riscv64
 *
 * and a call from any other architecture kills the process.  Names are
 * libseccomp's ("x86" is i386).  Pure: a table. */
#ifndef APPUSER_SECCOMP_ARCH_H
#define APPUSER_SECCOMP_ARCH_H

#include <stdbool.h>
#include <stddef.h>

struct seccomp_abi {
	const char *name;		/* libseccomp's: "x86_64", "x32", "x86", ... */
	/* Its glibc (2.36, for Linux 3.2) reaches socket calls or SysV IPC
	 * only through socketcall(2) / ipc(2), whose arguments are in memory
	 * that seccomp cannot read (appuser-policy(5), ARCHITECTURES). */
	bool libc_socketcall, libc_ipc;
	/* clone(newsp, flags, ...): CLONE_BACKWARDS2, s390 */
	bool clone_backwards2;
	bool big_endian;
	/* The generated profiles' compile-time check for this ABI. */
	const char *guard;
};

#define SECCOMP_FAMILY_MAX 3

/* The ABI named `name`, or NULL. */
const struct seccomp_abi *seccomp_abi(const char *name);

/* The ABIs of the kernel family of a binary built for `own` (own itself
 * among them).  Returns their number (0: unknown name). */
size_t seccomp_family(const char *own, const struct seccomp_abi **out);

/* This binary's own ABI ("x86" for an i386 build), or NULL when appuser
 * knows no filter for it. */
const char *seccomp_native_abi(void);

#endif

/* seccomp/arch.c — see seccomp/arch.h.
 *
 * glibc 2.36 configured for Linux 3.2 (Debian 12): socket calls go
 * through socketcall(2) on i386 and s390x (their direct socket syscalls
 * came with Linux 4.3), directly on powerpc (2.6.37); SysV IPC goes
 * through ipc(2) on all three (direct calls: Linux 5.1).  Debian 12's
 * libc.a agrees: socket() is socketcall 102 on i386 and s390x, syscall
 * 326 on ppc64el; shmget() is ipc 117 on all three. */
#include "seccomp/arch.h"

#include <string.h>

static const struct seccomp_abi abis[] = {
	/* name      socketcall ipc  clone2 big-endian */
	{ "x86_64", false, false, false, false, "defined(__x86_64__) && !defined(__ILP32__)" },
	{ "x32", false, false, false, false, "defined(__x86_64__) && defined(__ILP32__)" },
	{ "x86", true, true, false, false, "defined(__i386__)" },
	{ "aarch64", false, false, false, false, "defined(__aarch64__)" },
	{ "arm", false, false, false, false, "defined(__arm__)" },
	{ "ppc64le", false, true, false, false,
	  "defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__" },
	{ "s390x", true, true, true, true, "defined(__s390x__)" },
	{ "riscv64", false, false, false, false, "defined(__riscv) && __riscv_xlen == 64" },
};

static const char *const families[][SECCOMP_FAMILY_MAX + 1] = {
	{ "x86_64", "x32", "x86", NULL },
	{ "aarch64", "arm", NULL },
	{ "ppc64le", NULL },
	{ "s390x", NULL },
	{ "riscv64", NULL },
};

const struct seccomp_abi *seccomp_abi(const char *name)
{
	for (size_t i = 0; name && i < sizeof abis / sizeof *abis; i++)
		if (!strcmp(abis[i].name, name))
			return &abis[i];
	return NULL;
}

size_t seccomp_family(const char *own, const struct seccomp_abi **out)
{
	for (size_t f = 0; own && f < sizeof families / sizeof *families; f++) {
		size_t n = 0;
		bool mine = false;

		for (; families[f][n]; n++) {
			out[n] = seccomp_abi(families[f][n]);
			mine |= !strcmp(families[f][n], own);
		}
		if (mine)
			return n;
	}
	return 0;
}

const char *seccomp_native_abi(void)
{
#if defined(__x86_64__) && !defined(__ILP32__)
	return "x86_64";
#elif defined(__i386__)
	return "x86";
#elif defined(__aarch64__)
	return "aarch64";
#elif defined(__arm__)
	return "arm";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return "ppc64le";
#elif defined(__s390x__)
	return "s390x";
#elif defined(__riscv) && __riscv_xlen == 64
	return "riscv64";
#else
	return NULL;
#endif
}

/* tests/filters/abi.c — see abi.h.
 *
 * Sources: the kernel's syscall tables and CLONE_BACKWARDS2 (s390), its
 * socketcall/ipc multiplexers (x86 32-bit, s390x, powerpc), and glibc
 * 2.36's sysdeps/unix/sysv/linux/{i386,s390,powerpc}/kernel-features.h:
 * configured for Linux 3.2, glibc creates sockets through socketcall on
 * i386 and s390x (direct socket calls came in Linux 4.3 there), but not on
 * powerpc (2.6.37), and calls SysV IPC through ipc(2) on all three.  The
 * disassembly of Debian 12's libc.a agrees (socket: int 0x80 with eax 102
 * on i386, svc 102 on s390x, sc 326 on ppc64el; shmget: ipc 117). */
#include "abi.h"

#include <linux/audit.h>
#include <stddef.h>
#include <string.h>

static const struct abi abis[] = {
	{ "x86_64", "x86_64", AUDIT_ARCH_X86_64, 0, false, false, -1, -1, false, false, 0 },
	{ "x32", "x32", AUDIT_ARCH_X86_64, 0x40000000, false, false, -1, -1, false, false, 0 },
	{ "i386", "x86", AUDIT_ARCH_I386, 0, false, true, 102, 117, true, true, 0 },
	{ "aarch64", "aarch64", AUDIT_ARCH_AARCH64, 0, false, false, -1, -1, false, false, 0 },
	{ "arm", "arm", AUDIT_ARCH_ARM, 0, false, true, -1, -1, false, false, 0 },
	{ "ppc64le", "ppc64le", AUDIT_ARCH_PPC64LE, 0, false, false, 102, 117, false, true, 0 },
	{ "s390x", "s390x", AUDIT_ARCH_S390X, 0, true, false, 102, 117, true, true, 1 },
	{ "riscv64", "riscv64", AUDIT_ARCH_RISCV64, 0, false, false, -1, -1, false, false, 0 },
};

/* One filter per kernel: a 64-bit kernel runs its 32-bit ABIs too. */
static const struct target targets[] = {
	{ "amd64", "x86_64", { "x86_64", "x32", "i386", NULL } },
	{ "i386", "i386", { "x86_64", "x32", "i386", NULL } },
	{ "arm64", "aarch64", { "aarch64", "arm", NULL } },
	{ "armhf", "arm", { "aarch64", "arm", NULL } },
	{ "ppc64el", "ppc64le", { "ppc64le", NULL } },
	{ "s390x", "s390x", { "s390x", NULL } },
	{ "riscv64", "riscv64", { "riscv64", NULL } },
};

const uint32_t abi_all_audit[] = {
	AUDIT_ARCH_AARCH64, AUDIT_ARCH_ALPHA, AUDIT_ARCH_ARCOMPACT, AUDIT_ARCH_ARCOMPACTBE,
	AUDIT_ARCH_ARCV2, AUDIT_ARCH_ARCV2BE, AUDIT_ARCH_ARM, AUDIT_ARCH_ARMEB, AUDIT_ARCH_C6X,
	AUDIT_ARCH_C6XBE, AUDIT_ARCH_CRIS, AUDIT_ARCH_CSKY, AUDIT_ARCH_FRV, AUDIT_ARCH_H8300,
	AUDIT_ARCH_HEXAGON, AUDIT_ARCH_I386, AUDIT_ARCH_IA64, AUDIT_ARCH_M32R, AUDIT_ARCH_M68K,
	AUDIT_ARCH_MICROBLAZE, AUDIT_ARCH_MIPS, AUDIT_ARCH_MIPSEL, AUDIT_ARCH_MIPS64,
	AUDIT_ARCH_MIPS64N32, AUDIT_ARCH_MIPSEL64, AUDIT_ARCH_MIPSEL64N32, AUDIT_ARCH_NDS32,
	AUDIT_ARCH_NDS32BE, AUDIT_ARCH_NIOS2, AUDIT_ARCH_OPENRISC, AUDIT_ARCH_PARISC,
	AUDIT_ARCH_PARISC64, AUDIT_ARCH_PPC, AUDIT_ARCH_PPC64, AUDIT_ARCH_PPC64LE,
	AUDIT_ARCH_RISCV32, AUDIT_ARCH_RISCV64, AUDIT_ARCH_S390, AUDIT_ARCH_S390X, AUDIT_ARCH_SH,
	AUDIT_ARCH_SHEL, AUDIT_ARCH_SH64, AUDIT_ARCH_SHEL64, AUDIT_ARCH_SPARC, AUDIT_ARCH_SPARC64,
	AUDIT_ARCH_TILEGX, AUDIT_ARCH_TILEGX32, AUDIT_ARCH_TILEPRO, AUDIT_ARCH_UNICORE,
	AUDIT_ARCH_X86_64, AUDIT_ARCH_XTENSA,
#ifdef AUDIT_ARCH_LOONGARCH64
	AUDIT_ARCH_LOONGARCH32, AUDIT_ARCH_LOONGARCH64,
#endif
	0x12345678, 0xffffffff,		/* nonsense too: the check is equality */
	0
};

const struct abi *abi_find(const char *name)
{
	for (size_t i = 0; i < sizeof abis / sizeof *abis; i++)
		if (!strcmp(abis[i].name, name) || !strcmp(abis[i].scmp, name))
			return &abis[i];
	return NULL;
}

const struct abi *abi_by_audit(uint32_t audit, int32_t nr)
{
	if (audit == AUDIT_ARCH_X86_64)
		return abi_find((uint32_t)nr & 0x40000000 ? "x32" : "x86_64");
	for (size_t i = 0; i < sizeof abis / sizeof *abis; i++)
		if (abis[i].audit == audit)
			return &abis[i];
	return NULL;
}

const struct target *target_all(unsigned i)
{
	return i < sizeof targets / sizeof *targets ? &targets[i] : NULL;
}

const struct target *target_find(const char *name)
{
	const struct abi *a = abi_find(name);

	for (const struct target *t = targets; t < targets + sizeof targets / sizeof *targets; t++)
		if (!strcmp(t->deb, name) || (a && !strcmp(t->self, a->name)))
			return t;
	return NULL;
}

bool target_has(const struct target *t, const struct abi *a)
{
	for (int i = 0; t->abis[i]; i++)
		if (!strcmp(t->abis[i], a->name))
			return true;
	return false;
}

/* linux/net.h SYS_SOCKET.. and linux/ipc.h SEMOP.. */
static const char *const socketcalls[] = { NULL, "socket", "bind", "connect", "listen",
	"accept", "getsockname", "getpeername", "socketpair", "send", "recv", "sendto",
	"recvfrom", "shutdown", "setsockopt", "getsockopt", "sendmsg", "recvmsg", "accept4",
	"recvmmsg", "sendmmsg" };

const char *abi_socketcall_name(uint32_t call)
{
	return call < sizeof socketcalls / sizeof *socketcalls ? socketcalls[call] : NULL;
}

const char *abi_ipc_name(uint32_t call)
{
	switch (call) {
	case 1: return "semop";
	case 2: return "semget";
	case 3: return "semctl";
	case 4: return "semtimedop";
	case 11: return "msgsnd";
	case 12: return "msgrcv";
	case 13: return "msgget";
	case 14: return "msgctl";
	case 21: return "shmat";
	case 22: return "shmdt";
	case 23: return "shmget";
	case 24: return "shmctl";
	default: return NULL;
	}
}

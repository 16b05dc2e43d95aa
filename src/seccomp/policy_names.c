/* seccomp/policy_names.c — the names the policy language knows
 * (seccomp/policy.h): constants such as TIOCSTI, AF_VSOCK, CLONE_NEWNS,
 * PER_LINUX32, and errno names. */
#include "seccomp/policy.h"

#include <linux/sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/socket.h>

#define C(x) { #x, (uint32_t)(x) }
static const struct { const char *name; uint32_t value; } constants[] = {
	/* ioctl requests that inject input or reach the console */
	C(TIOCSTI), C(TIOCLINUX), C(TIOCCONS), C(TIOCSETD),
	/* socket families and types */
	C(AF_UNSPEC), C(AF_UNIX), C(AF_LOCAL), C(AF_INET), C(AF_INET6), C(AF_NETLINK),
	C(AF_PACKET), C(AF_KEY), C(AF_BLUETOOTH), C(AF_ALG), C(AF_VSOCK), C(AF_XDP),
	C(AF_CAN), C(AF_TIPC), C(AF_RDS), C(AF_APPLETALK), C(AF_X25), C(AF_AX25),
	C(AF_IPX), C(AF_NFC), C(AF_KCM), C(AF_QIPCRTR), C(AF_SMC),
	C(SOCK_STREAM), C(SOCK_DGRAM), C(SOCK_RAW), C(SOCK_RDM), C(SOCK_SEQPACKET),
	C(SOCK_PACKET), C(SOCK_NONBLOCK), C(SOCK_CLOEXEC),
	{ "SOCK_TYPE_MASK", 0xf },
	/* clone/unshare flags */
	C(CLONE_VM), C(CLONE_FS), C(CLONE_FILES), C(CLONE_SIGHAND), C(CLONE_PIDFD),
	C(CLONE_PTRACE), C(CLONE_VFORK), C(CLONE_PARENT), C(CLONE_THREAD),
	C(CLONE_NEWNS), C(CLONE_SYSVSEM), C(CLONE_SETTLS), C(CLONE_PARENT_SETTID),
	C(CLONE_CHILD_CLEARTID), C(CLONE_UNTRACED), C(CLONE_CHILD_SETTID),
	C(CLONE_NEWCGROUP), C(CLONE_NEWUTS), C(CLONE_NEWIPC), C(CLONE_NEWUSER),
	C(CLONE_NEWPID), C(CLONE_NEWNET), C(CLONE_IO), C(CLONE_NEWTIME),
	/* personality(2) */
	C(PER_LINUX), C(PER_LINUX32), C(PER_BSD), C(PER_SVR4), C(UNAME26),
	C(ADDR_NO_RANDOMIZE), C(FDPIC_FUNCPTRS), C(MMAP_PAGE_ZERO), C(ADDR_COMPAT_LAYOUT),
	C(READ_IMPLIES_EXEC), C(ADDR_LIMIT_32BIT), C(SHORT_INODE), C(WHOLE_SECONDS),
	C(STICKY_TIMEOUTS), C(ADDR_LIMIT_3GB),
	{ "PER_QUERY", 0xffffffff },
};
#undef C

bool policy_constant(const char *name, uint32_t *value)
{
	for (size_t i = 0; i < sizeof constants / sizeof *constants; i++)
		if (!strcmp(constants[i].name, name)) {
			*value = constants[i].value;
			return true;
		}
	return false;
}

int policy_errno_value(const char *name)
{
	for (int e = 1; e < 4096; e++) {
		const char *n = strerrorname_np(e);
		if (n && !strcmp(n, name))
			return e;
	}
	return -1;
}

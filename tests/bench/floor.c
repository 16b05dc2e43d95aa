/* floor.c — the floor for `appuser exec`'s latency: the same privilege
 * drop and the same built-in filter, then execve, and nothing else (no
 * account or config files, no checks, no read-back, no PATH search).
 * Built static by tests/bench/exec.sh, linked with the build's own
 * gen/seccomp_profiles.c and src/exec/landlock.c, so it loads exactly
 * appuser's BPF and makes the same Landlock domain.
 *
 * usage: floor PROFILE|none UID GID COMMAND [ARG...]
 *
 * Drop: setgroups({GID}) -> every capability out of the bounding set ->
 * setresgid -> setresuid -> capset(0) -> ambient cleared ->
 * NO_NEW_PRIVS -> Landlock domain -> seccomp(PROFILE) -> execv. */
#include "exec/landlock.h"
#include "seccomp/profiles.h"

#include <grp.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void fail(const char *what)
{
	perror(what);
	_exit(125);
}

int main(int argc, char **argv)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
	const struct seccomp_builtin *b = NULL;
	struct landlock_plan ll;
	uid_t uid;
	gid_t gid;

	if (argc < 5) {
		fprintf(stderr, "usage: floor PROFILE|none UID GID COMMAND [ARG...]\n");
		return 125;
	}
	for (size_t i = 0; i < seccomp_nbuiltins && strcmp(argv[1], "none"); i++)
		if (!strcmp(seccomp_builtins[i].name, argv[1]))
			b = &seccomp_builtins[i];
	if (strcmp(argv[1], "none") && !b) {
		fprintf(stderr, "floor: no built-in profile %s\n", argv[1]);
		return 125;
	}
	uid = (uid_t)strtoul(argv[2], NULL, 10);
	gid = (gid_t)strtoul(argv[3], NULL, 10);

	if (setgroups(1, &gid) < 0)
		fail("setgroups");
	for (int cap = 0;; cap++)	/* EINVAL past the kernel's last capability */
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			break;
	if (setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)
		fail("setres[ug]id");
	if (syscall(SYS_capset, &h, d) < 0)
		fail("capset");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		fail("ambient");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		fail("no_new_privs");
	landlock_plan_for(landlock_abi(), &ll);
	if (landlock_apply(&ll) < 0)
		fail("landlock");
	if (b) {
		struct sock_fprog p = { b->len, (struct sock_filter *)b->insns };
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &p) < 0)
			fail("seccomp");
	}
	execv(argv[4], argv + 4);
	fail(argv[4]);
}

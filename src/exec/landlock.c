/* exec/landlock.c — see exec/landlock.h. */
#include "exec/landlock.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The same numbers on every architecture (the unified table of 5.x). */
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif
#ifndef SYS_landlock_add_rule
#define SYS_landlock_add_rule 445
#endif
#ifndef SYS_landlock_restrict_self
#define SYS_landlock_restrict_self 446
#endif

#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH 1

/* struct landlock_ruleset_attr as of ABI 6; the kernel reads the first
 * `size` bytes, so older kernels get the part they know. */
struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;	/* ABI 4 */
	uint64_t scoped;		/* ABI 6 */
};

struct ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

int landlock_abi(void)
{
	long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);

	if (v < 0)
		return -errno;
	return v > 0 ? (int)v : -ENOSYS;
}

void landlock_plan_for(int abi, struct landlock_plan *p)
{
	memset(p, 0, sizeof *p);
	p->abi = abi;
	if (abi == -ENOSYS) {
		p->why = "not in this kernel (before 5.13, CONFIG_SECURITY_LANDLOCK off, or "
			 "hidden by the runtime's seccomp filter)";
	} else if (abi == -EOPNOTSUPP) {
		p->why = "built into the kernel but not enabled (boot with lsm=...,landlock)";
	} else if (abi == -EPERM) {
		p->why = "blocked by the runtime's seccomp filter";
	} else if (abi < 0) {
		p->why = "the kernel's probe failed";
	} else if (abi == 1) {
		p->why = "ABI 1 (kernel 5.13-5.18) would refuse every cross-directory rename "
			 "and link (EXDEV); not used";
	} else if (abi < 6) {
		/* REFER is handled by every domain that handles a file right;
		 * handle it alone and grant it beneath "/". */
		p->apply = true;
		p->handled_fs = p->fs_granted = LL_ACCESS_FS_REFER;
	} else {
		p->apply = true;
		p->scoped = LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL;
		/* ABI 7: the kernel's audit log records what the service
		 * itself is denied, not only what appuser is. */
		if (abi >= 7)
			p->flags = LL_RESTRICT_SELF_LOG_NEW_EXEC_ON;
	}
}

static size_t attr_size(int abi)
{
	if (abi >= 6)
		return sizeof(struct ll_ruleset_attr);
	if (abi >= 4)
		return offsetof(struct ll_ruleset_attr, scoped);
	return offsetof(struct ll_ruleset_attr, handled_access_net);
}

/* Grant p->fs_granted for everything beneath our root.  Paths that lie
 * outside it (a descriptor from outside a chroot) keep every right but
 * REFER; pipes, sockets and memfds are not paths to Landlock at all. */
static int grant_root(int ruleset, const struct landlock_plan *p)
{
	struct ll_path_beneath_attr pb = { .allowed_access = p->fs_granted };
	int rc = 0;

	pb.parent_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pb.parent_fd < 0)
		return -errno;
	if (syscall(SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &pb, 0) < 0)
		rc = -errno;
	close(pb.parent_fd);
	return rc;
}

int landlock_apply(const struct landlock_plan *p)
{
	struct ll_ruleset_attr attr = {
		.handled_access_fs = p->handled_fs,
		.scoped = p->scoped,
	};
	int fd, rc = 0;

	if (!p->apply)
		return 0;
	fd = (int)syscall(SYS_landlock_create_ruleset, &attr, attr_size(p->abi), 0U);
	if (fd < 0)
		return -errno;
	if (p->fs_granted)
		rc = grant_root(fd, p);
	if (rc == 0 && syscall(SYS_landlock_restrict_self, fd, p->flags) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

const char *landlock_scopes(const struct landlock_plan *p, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", p->scoped & LL_SCOPE_SIGNAL ? "signals" : "",
		 (p->scoped & LL_SCOPE_SIGNAL) && (p->scoped & LL_SCOPE_ABSTRACT_UNIX_SOCKET) ?
		 ", " : "", p->scoped & LL_SCOPE_ABSTRACT_UNIX_SOCKET ? "abstract unix sockets" : "");
	if (!buf[0])
		snprintf(buf, len, "none");
	return buf;
}

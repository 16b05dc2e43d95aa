/* ownership/fdinfo.c — see ownership/fdinfo.h. */
#include "ownership/fdinfo.h"

#include <linux/magic.h>
#include <stdio.h>
#include <sys/statfs.h>
#include <unistd.h>

const char *walk_describe(int dirfd, const char *name, char *buf, size_t len)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
	n = readlink(link, buf, len - 1);
	if (n < 0 || (size_t)n >= len - 1) {
		snprintf(buf, len, "?/%s", name ? name : "");
		return buf;
	}
	buf[n] = '\0';
	if (name)
		snprintf(buf + n, len - (size_t)n, "%s%s", n == 1 && buf[0] == '/' ? "" : "/", name);
	return buf;
}

/* Filesystems whose files are the kernel's, never an application's. */
bool walk_pseudo_fs(int fd)
{
	static const unsigned long magic[] = {
		PROC_SUPER_MAGIC, SYSFS_MAGIC, DEVPTS_SUPER_MAGIC, CGROUP_SUPER_MAGIC,
		CGROUP2_SUPER_MAGIC, SECURITYFS_MAGIC, DEBUGFS_MAGIC, TRACEFS_MAGIC,
		BPF_FS_MAGIC, SELINUX_MAGIC, SMACK_MAGIC, BINFMTFS_MAGIC, PSTOREFS_MAGIC,
		EFIVARFS_MAGIC, NSFS_MAGIC, AUTOFS_SUPER_MAGIC,
	};
	struct statfs sf;

	if (fstatfs(fd, &sf) < 0)
		return true;	/* cannot tell: do not go there */
	for (size_t i = 0; i < sizeof magic / sizeof *magic; i++)
		if ((unsigned long)sf.f_type == magic[i])
			return true;
	return false;
}

size_t walk_forbidden_idents(struct fd_ident out[3])
{
	static const char *const dirs[] = { "/proc", "/sys", "/dev" };
	struct statx sx;
	size_t n = 0;

	for (size_t i = 0; i < 3; i++)
		if (statx(AT_FDCWD, dirs[i], AT_NO_AUTOMOUNT, STATX_INO, &sx) == 0)
			out[n++] = (struct fd_ident){ sx_dev(&sx), sx.stx_ino };
	return n;
}

bool fd_ident_in(const struct fd_ident *set, size_t n, const struct statx *sx)
{
	for (size_t i = 0; i < n; i++)
		if (set[i].dev == sx_dev(sx) && set[i].ino == sx->stx_ino)
			return true;
	return false;
}

bool walk_forbidden_dir(int fd, const struct statx *sx)
{
	struct fd_ident f[3];
	return fd_ident_in(f, walk_forbidden_idents(f), sx) || walk_pseudo_fs(fd);
}

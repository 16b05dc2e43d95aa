/* ownership/fdinfo.h — what the kernel says about a descriptor, for the
 * walk and the remap: the path it names (for messages), whether it is on
 * a kernel filesystem, whether it is /proc, /sys or /dev, and the
 * identity (device, inode, mount) of a statx. */
#ifndef APPUSER_OWNERSHIP_FDINFO_H
#define APPUSER_OWNERSHIP_FDINFO_H

#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

/* One inode: device and inode number. */
struct fd_ident {
	uint64_t dev, ino;
};

static inline uint64_t sx_dev(const struct statx *sx)
{
	return makedev(sx->stx_dev_major, sx->stx_dev_minor);
}

/* The mount ID, or 0 when the kernel did not give one. */
static inline uint64_t sx_mnt(const struct statx *sx)
{
	return (sx->stx_mask & STATX_MNT_ID) ? sx->stx_mnt_id : 0;
}

/* "dir/name" for a message: /proc/self/fd of dirfd, else "?/name". */
const char *walk_describe(int dirfd, const char *name, char *buf, size_t len);

/* Is fd on a kernel filesystem (proc, sysfs, devpts, cgroup, ...)?
 * True also when it cannot be told. */
bool walk_pseudo_fs(int fd);

/* /proc, /sys and /dev as this process sees them, into out[3]; returns
 * how many could be looked at. */
size_t walk_forbidden_idents(struct fd_ident out[3]);
/* Is sx one of set[0..n)? */
bool fd_ident_in(const struct fd_ident *set, size_t n, const struct statx *sx);

/* Is this directory one the walk never enters: /proc, /sys or /dev as
 * this process sees them, or the root of a pseudo filesystem (proc,
 * sysfs, devpts, cgroup, ...)?  fd is the open directory. */
bool walk_forbidden_dir(int fd, const struct statx *sx);

#endif

/* rootfs.h — the root folder appuser works on: "/" normally, an image
 * folder with --root.  Every file under it is opened relative to one
 * directory descriptor, with symlinks resolved inside that root
 * (openat2 RESOLVE_IN_ROOT), so an image's absolute symlink such as
 * etc/passwd -> /tmp/x can never reach the host's files. */
#ifndef APPUSER_ROOTFS_H
#define APPUSER_ROOTFS_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

struct rootfs {
	int fd;			/* O_PATH|O_DIRECTORY descriptor of the root */
	const char *path;	/* as given, for messages ("/" normally) */
};

/* Returns 0 or -errno. */
int rootfs_open(struct rootfs *r, const char *path);
void rootfs_close(struct rootfs *r);

/* openat2(r->fd, rel, flags, RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS); on
 * kernels without openat2 (or where a filter refuses it) the same
 * resolution emulated one component at a time, so an image's symlinks
 * never lead out of it either way.  rel has no leading '/'.  Returns an
 * fd or -errno. */
int rootfs_openat(const struct rootfs *r, const char *rel, int flags, mode_t mode);

/* Read a whole regular file (at most max bytes) into a malloc'ed buffer.
 * Returns 0 or -errno (-EFBIG when larger than max). */
int rootfs_read_file(const struct rootfs *r, const char *rel, size_t max, char **buf, size_t *len);

/* The same, but no symlink may appear anywhere on the way
 * (RESOLVE_NO_SYMLINKS; without openat2, one component at a time with
 * O_NOFOLLOW).  For folders whose parents a user may write: a symlink
 * planted in /app/var must not send a chown or mkdir elsewhere.
 * A symlink gives -ELOOP. */
int rootfs_openat_nolinks(const struct rootfs *r, const char *rel, int flags, mode_t mode);

/* An absolute or relative host path, opened the same way (AT_FDCWD).
 * Returns an fd or -errno (-ELOOP: a symlink on the way). */
int open_nolinks(const char *path, int flags);

/* Whether dirfd, or any folder above it up to the root r (NULL: "/"), is
 * writable by someone other than root: not root-owned, or writable by
 * group or others (ACLs show in the group bits; a sticky bit does not
 * count).  There an entry's name is not to be trusted by root, since it
 * may be renamed or exchanged (renameat2 RENAME_EXCHANGE) at any moment.
 * Returns 1, 0 or -errno. */
int rootfs_exposed(const struct rootfs *r, int dirfd);
/* Read a whole regular file from fd (at most max bytes); NUL-terminated. */
int read_fd_all(int fd, size_t max, char **buf, size_t *len);
/* The same when the caller has fstat()ed fd already: st is that stat. */
int read_fd_stat(int fd, const struct stat *st, size_t max, char **buf, size_t *len);

/* "/etc/passwd" for messages: the root's path joined with rel. */
const char *rootfs_display(const struct rootfs *r, const char *rel, char *buf, size_t len);

#endif

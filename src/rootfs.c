/* rootfs.c — see rootfs.h. */
#include "rootfs.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int rootfs_open(struct rootfs *r, const char *path)
{
	r->path = path;
	r->fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return r->fd < 0 ? -errno : 0;
}

void rootfs_close(struct rootfs *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

int rootfs_openat(const struct rootfs *r, const char *rel, int flags, mode_t mode)
{
	static int have_openat2 = 1;
	struct open_how how = {
		.flags = (unsigned)flags | O_CLOEXEC,
		.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	while (*rel == '/')
		rel++;
	if (have_openat2) {
		fd = (int)syscall(SYS_openat2, r->fd, rel, &how, sizeof how);
		if (fd >= 0)
			return fd;
		if (errno != ENOSYS && errno != EPERM)	/* EPERM: seccomp'd runtimes */
			return -errno;
		have_openat2 = 0;
	}
	fd = openat(r->fd, rel, flags | O_CLOEXEC | O_NOFOLLOW, mode);
	return fd < 0 ? -errno : fd;
}

/* Fallback without openat2: one component at a time, never following. */
static int walk_nolinks(int dirfd, const char *rel, int flags, mode_t mode)
{
	char buf[4096], *save = NULL, *comp, *next;
	int fd = dup(dirfd), nfd;

	if (fd < 0 || strlen(rel) >= sizeof buf) {
		if (fd >= 0)
			close(fd);
		return fd < 0 ? -errno : -ENAMETOOLONG;
	}
	strcpy(buf, rel);
	for (comp = strtok_r(buf, "/", &save); comp; comp = next) {
		bool last;

		next = strtok_r(NULL, "/", &save);
		last = next == NULL;
		if (!strcmp(comp, "..")) {
			close(fd);
			return -EXDEV;	/* canonical paths only */
		}
		nfd = openat(fd, comp, (last ? flags : O_PATH | O_DIRECTORY) | O_NOFOLLOW | O_CLOEXEC,
			     mode);
		if (nfd < 0 && errno == ENOTDIR && !last) {
			struct stat st;
			if (fstatat(fd, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
				errno = ELOOP;
		}
		close(fd);
		if (nfd < 0)
			return -errno;
		if (last && (flags & O_PATH)) {
			struct stat st;
			if (fstat(nfd, &st) == 0 && S_ISLNK(st.st_mode)) {
				close(nfd);
				return -ELOOP;
			}
		}
		fd = nfd;
	}
	return fd;
}

static int openat_nolinks(int dirfd, const char *rel, int flags, mode_t mode, bool in_root)
{
	struct open_how how = {
		.flags = (unsigned)flags | O_CLOEXEC | O_NOFOLLOW,
		.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
			   (in_root ? RESOLVE_IN_ROOT : 0),
	};
	int fd = (int)syscall(SYS_openat2, dirfd, rel, &how, sizeof how);

	if (fd >= 0)
		return fd;
	if (errno != ENOSYS && errno != EPERM)
		return -errno;
	if (rel[0] == '/') {
		int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (root < 0)
			return -errno;
		fd = walk_nolinks(root, rel, flags, mode);
		close(root);
		return fd;
	}
	return walk_nolinks(dirfd, rel, flags, mode);
}

int rootfs_openat_nolinks(const struct rootfs *r, const char *rel, int flags, mode_t mode)
{
	while (*rel == '/')
		rel++;
	return openat_nolinks(r->fd, *rel ? rel : ".", flags, mode, true);
}

int open_nolinks(const char *path, int flags)
{
	return openat_nolinks(AT_FDCWD, path, flags, 0, false);
}

int read_fd_all(int fd, size_t max, char **bufp, size_t *lenp)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	return read_fd_stat(fd, &st, max, bufp, lenp);
}

int read_fd_stat(int fd, const struct stat *st, size_t max, char **bufp, size_t *lenp)
{
	size_t cap, len = 0;
	char *buf;

	if (!S_ISREG(st->st_mode))
		return -EINVAL;
	if ((size_t)st->st_size > max)
		return -EFBIG;
	cap = (size_t)st->st_size + 1;
	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;
		if (len == cap - 1) {
			/* Full: at the end, or the file grew while we read it.
			 * One byte tells which, so a file of exactly max bytes
			 * is read and a buffer is only grown when needed. */
			char c, *nb;
			n = read(fd, &c, 1);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				if (n == 0)
					break;
				n = -errno;
				free(buf);
				return (int)n;
			}
			if (cap - 1 >= max) {
				free(buf);
				return -EFBIG;
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			buf[len++] = c;
			continue;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0) {
			int err = -errno;
			if (errno == EINTR)
				continue;
			free(buf);
			return err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
}

int rootfs_read_file(const struct rootfs *r, const char *rel, size_t max, char **bufp, size_t *lenp)
{
	int fd, rc;

	fd = rootfs_openat(r, rel, O_RDONLY | O_NOCTTY, 0);
	if (fd < 0)
		return fd;
	rc = read_fd_all(fd, max, bufp, lenp);
	close(fd);
	return rc;
}

const char *rootfs_display(const struct rootfs *r, const char *rel, char *buf, size_t len)
{
	const char *root = r && r->path ? r->path : "/";
	size_t rl = strlen(root);

	while (*rel == '/')
		rel++;
	while (rl > 1 && root[rl - 1] == '/')
		rl--;
	if (rl == 1 && root[0] == '/')
		snprintf(buf, len, "/%s", rel);
	else
		snprintf(buf, len, "%.*s/%s", (int)rl, root, rel);
	return buf;
}

/* rootfs.c — see rootfs.h. */
#include "rootfs.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <limits.h>
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

/* Up from dirfd by "..", which is where the inode really is now, not
 * what a name said.  A folder moved away from below a user-writable one
 * needs write access to itself and to where it goes, so a chain that had
 * such a folder in it when a path was resolved still has one. */
#define EXPOSED_DEPTH 4096
int rootfs_exposed(const struct rootfs *r, int dirfd)
{
	struct stat top, st, up;
	int fd = openat(dirfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC), rc = 1;

	if (fd < 0)
		return -errno;
	if ((r ? fstat(r->fd, &top) : stat("/", &top)) < 0) {
		close(fd);
		return -errno;
	}
	for (int depth = 0; depth < EXPOSED_DEPTH; depth++) {
		int pfd;

		if (fstat(fd, &st) < 0) {
			rc = -errno;
			break;
		}
		if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH))) {
			rc = 1;
			break;
		}
		if (st.st_dev == top.st_dev && st.st_ino == top.st_ino) {
			rc = 0;
			break;
		}
		if ((pfd = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 ||
		    fstat(pfd, &up) < 0) {
			rc = -errno;
			if (pfd >= 0)
				close(pfd);
			break;
		}
		close(fd);
		fd = pfd;
		if (up.st_dev == st.st_dev && up.st_ino == st.st_ino) {
			rc = 0;	/* the process's own root: nothing above */
			break;
		}
	}
	close(fd);
	return rc;
}

/* RESOLVE_IN_ROOT without openat2 (kernels before 5.6, qemu-user, a
 * runtime's seccomp profile): one component at a time from the root's
 * descriptor, each opened O_PATH|O_NOFOLLOW.  A symlink's target is read
 * from the very inode opened (readlinkat(fd, "")) and walked in its
 * place, an absolute one from the root; ".." goes back to the folder this
 * walk came from (never the kernel's "..", which a folder moved out of
 * the root would escape through) and stays at the root there; 40
 * symlinks at most, as the kernel.  The last component is opened with the
 * caller's flags plus O_NOFOLLOW and must be the inode just looked at, or
 * it is looked at again (it was swapped).  Every answer stays inside the
 * root, whatever the image's links say (issue 11 §6). */
#define IN_ROOT_DEPTH 128
#define IN_ROOT_LINKS 40

struct walk {
	int dirs[IN_ROOT_DEPTH];	/* dirs[0] the root; dirs[n - 1] where we are */
	int n;
	char path[8192];		/* what is left to walk */
	int links;
};

static void walk_free(struct walk *w)
{
	while (w->n > 0)
		close(w->dirs[--w->n]);
}

/* Put a symlink's target in front of what is left to walk. */
static int walk_link(struct walk *w, int linkfd, const char *rest)
{
	char target[4096];
	ssize_t n = readlinkat(linkfd, "", target, sizeof target - 1);

	if (n < 0)
		return -errno;
	if (++w->links > IN_ROOT_LINKS)
		return -ELOOP;
	target[n] = '\0';
	if (target[0] == '/')
		while (w->n > 1)
			close(w->dirs[--w->n]);
	if ((size_t)snprintf(w->path, sizeof w->path, "%s/%s", target, rest) >= sizeof w->path)
		return -ENAMETOOLONG;
	return 0;
}

static bool same_inode(int a, int b)
{
	struct stat sa, sb;

	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* The last component: 1 (walk on: it is a symlink to follow, or changed
 * under us), or an fd, or -errno. */
static int walk_last(struct walk *w, const char *comp, int flags, mode_t mode, int *out)
{
	int cur = w->dirs[w->n - 1];
	int look = openat(cur, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC), fd, rc;
	struct stat st;

	if (look < 0 && errno == ENOENT && (flags & O_CREAT)) {
		fd = openat(cur, comp, flags | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd < 0 && errno == ELOOP && ++w->links <= IN_ROOT_LINKS)
			return 1;	/* a symlink appeared: look again */
		return *out = fd < 0 ? -errno : fd, 0;
	}
	if (look < 0)
		return -errno;
	if (fstat(look, &st) < 0) {
		rc = -errno;
		close(look);
		return rc;
	}
	if (S_ISLNK(st.st_mode) && !(flags & O_NOFOLLOW)) {
		rc = walk_link(w, look, "");
		close(look);
		return rc < 0 ? rc : 1;
	}
	if (flags & O_PATH) {
		if ((flags & O_DIRECTORY) && !S_ISDIR(st.st_mode)) {
			close(look);
			return -ENOTDIR;
		}
		return *out = look, 0;
	}
	if (S_ISLNK(st.st_mode)) {
		close(look);
		return -ELOOP;
	}
	fd = openat(cur, comp, flags | O_NOFOLLOW | O_CLOEXEC, mode);
	rc = fd < 0 ? -errno : 0;
	if (fd >= 0 && !same_inode(fd, look)) {
		close(fd);
		rc = ++w->links <= IN_ROOT_LINKS ? 1 : -ELOOP;	/* swapped: look again */
	} else if (rc == -ELOOP && ++w->links <= IN_ROOT_LINKS) {
		rc = 1;
	}
	close(look);
	if (rc == 0)
		*out = fd;
	return rc;
}

static int resolve_in_root(int rootfd, const char *rel, int flags, mode_t mode)
{
	struct walk w = { .n = 0 };
	int rc = 0, fd = -1;

	if ((size_t)snprintf(w.path, sizeof w.path, "%s", rel) >= sizeof w.path)
		return -ENAMETOOLONG;
	if ((w.dirs[w.n] = dup(rootfd)) < 0)
		return -errno;
	w.n++;
	while (rc == 0 && fd < 0) {
		char comp[NAME_MAX + 1], *p = w.path, *slash;
		size_t len;

		while (*p == '/')
			p++;
		slash = strchrnul(p, '/');
		len = (size_t)(slash - p);
		if (len > NAME_MAX) {
			rc = -ENAMETOOLONG;
			break;
		}
		memcpy(comp, p, len);
		comp[len] = '\0';
		memmove(w.path, slash, strlen(slash) + 1);
		bool last = w.path[strspn(w.path, "/")] == '\0';

		if (!strcmp(comp, "..")) {
			if (w.n > 1)
				close(w.dirs[--w.n]);
			comp[0] = '\0';
		}
		if (!comp[0] || !strcmp(comp, ".")) {
			if (last) {	/* the folder we are in: no link, a swap is EAGAIN */
				rc = walk_last(&w, ".", flags, mode, &fd);
				rc = rc == 1 ? -EAGAIN : rc;
			}
			continue;
		}
		if (last) {
			rc = walk_last(&w, comp, flags, mode, &fd);
			if (rc == 1)
				rc = 0;	/* a symlink (or a swap): walk on */
			continue;
		}
		int next = openat(w.dirs[w.n - 1], comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;

		if (next < 0 || fstat(next, &st) < 0) {
			rc = -errno;
		} else if (S_ISLNK(st.st_mode)) {
			char rest[sizeof w.path];
			snprintf(rest, sizeof rest, "%s", w.path);
			rc = walk_link(&w, next, rest);
		} else if (!S_ISDIR(st.st_mode)) {
			rc = -ENOTDIR;
		} else if (w.n == IN_ROOT_DEPTH) {
			rc = -ENAMETOOLONG;
		} else {
			w.dirs[w.n++] = next;
			next = -1;
		}
		if (next >= 0)
			close(next);
	}
	walk_free(&w);
	return rc < 0 ? rc : fd;
}

/* openat2, again while it says EAGAIN: with RESOLVE_IN_ROOT a ".." during
 * any rename or mount on the machine makes the kernel give up rather than
 * risk an escape, and expects the caller to retry (openat2(2)).  Returns
 * an fd or -1 with errno; EAGAIN only after many tries. */
static int openat2_retry(int dirfd, const char *rel, struct open_how *how)
{
	int fd = -1;

	for (int i = 0; i < 128; i++) {
		fd = (int)syscall(SYS_openat2, dirfd, rel, how, sizeof *how);
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	return fd;
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
		fd = openat2_retry(r->fd, rel, &how);
		if (fd >= 0)
			return fd;
		if (errno == EAGAIN)	/* a busy machine: walk it ourselves, as safely */
			return resolve_in_root(r->fd, *rel ? rel : ".", flags, mode);
		if (errno != ENOSYS && errno != EPERM)	/* EPERM: seccomp'd runtimes */
			return -errno;
		have_openat2 = 0;
	}
	return resolve_in_root(r->fd, *rel ? rel : ".", flags, mode);
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
	int fd = openat2_retry(dirfd, rel, &how);

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

/* accounts/atomic_file.c — see accounts/atomic_file.h. */
#include "accounts/atomic_file.h"
#include "rootfs.h"
#include "selinux_lib.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int af_read(int dirfd, const char *name, size_t max, struct af_snapshot *s)
{
	int fd, rc;

	memset(s, 0, sizeof *s);
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	if (fstat(fd, &s->st) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	rc = read_fd_stat(fd, &s->st, max, &s->buf, &s->len);
	close(fd);
	if (rc < 0)
		return rc;
	s->exists = true;
	return 0;
}

void af_snapshot_free(struct af_snapshot *s)
{
	free(s->buf);
	memset(s, 0, sizeof *s);
}

/* SELinux wrappers: a no-op when SELinux is off (bubblewrap's label_*). */
static int label_get(int fd, char **label)
{
	*label = NULL;
	if (!selinux_on())
		return 0;
	if (fgetfilecon(fd, label) < 0) {
		*label = NULL;
		return errno == ENOTSUP || errno == ENODATA ? 0 : -errno;
	}
	return 0;
}

static int label_set(int fd, const char *label)
{
	if (!label)
		return 0;
	if (fsetfilecon(fd, label) < 0)
		return errno == ENOTSUP ? 0 : -errno;
	return 0;
}

int af_attrs_get(int dirfd, const char *name, const struct stat *expect, struct af_attrs *a)
{
	struct stat st;
	int fd, rc;

	memset(a, 0, sizeof *a);
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	if (!S_ISREG(st.st_mode) ||
	    (expect && (st.st_dev != expect->st_dev || st.st_ino != expect->st_ino))) {
		close(fd);
		return S_ISREG(st.st_mode) ? -ESTALE : -EINVAL;
	}
	a->uid = st.st_uid;
	a->gid = st.st_gid;
	a->mode = st.st_mode & 0777;
	rc = label_get(fd, &a->label);
	close(fd);
	return rc;
}

void af_attrs_free(struct af_attrs *a)
{
	if (a->label)
		freecon(a->label);
	memset(a, 0, sizeof *a);
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int create_temp(int dirfd, const char *tmp)
{
	int flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY;
	int fd = openat(dirfd, tmp, flags, 0600);

	if (fd < 0 && errno == EEXIST) {
		/* A leftover of a killed run; we hold the locks. */
		if (unlinkat(dirfd, tmp, 0) < 0)
			return -errno;
		fd = openat(dirfd, tmp, flags, 0600);
	}
	return fd < 0 ? -errno : fd;
}

int af_write_temp(int dirfd, const char *tmp, const void *buf, size_t len,
		  const struct af_attrs *a)
{
	int fd = create_temp(dirfd, tmp), rc;

	if (fd < 0)
		return fd;
	/* Owner first: fchown would clear set-id bits a mode set earlier. */
	if (fchown(fd, a->uid, a->gid) < 0 || fchmod(fd, a->mode) < 0)
		rc = -errno;
	else if ((rc = label_set(fd, a->label)) < 0)
		;
	else if ((rc = write_all(fd, buf, len)) < 0)
		;
	else if (fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc < 0)
		unlinkat(dirfd, tmp, 0);
	return rc;
}

/* Overlayfs without an inode index (the one rootless Podman mounts in its
 * user namespace: userxattr) reports the lower file's inode number for a
 * copied-up file, until it has a second link: then a fresh lookup, as of the
 * new link, shows the upper inode's number.  So when the link's number is
 * not the one read, the link is the backup all the same if the name still
 * shows the inode that was read (it was not replaced) and the link holds
 * exactly the bytes that were read. */
static bool same_bytes(int dirfd, const char *tmp, const struct af_snapshot *snap)
{
	int fd = openat(dirfd, tmp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	bool same;

	if (fd < 0)
		return false;
	same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == (off_t)snap->len &&
	       read_fd_stat(fd, &st, snap->len + 1, &buf, &len) == 0 && len == snap->len &&
	       memcmp(buf, snap->buf, len) == 0;
	free(buf);
	close(fd);
	return same;
}

int af_backup_link(int dirfd, const char *name, const char *tmp, const struct af_snapshot *snap)
{
	const struct stat *expect = &snap->st;
	char bak[256];
	struct stat st, now;
	int rc = 0;

	if (snprintf(bak, sizeof bak, "%s-", name) >= (int)sizeof bak)
		return -ENAMETOOLONG;
	if (linkat(dirfd, name, dirfd, tmp, 0) < 0 && (errno != EEXIST ||
	    unlinkat(dirfd, tmp, 0) < 0 || linkat(dirfd, name, dirfd, tmp, 0) < 0))
		return -errno;	/* (EEXIST: a killed run's temp; we hold the locks) */
	if (fstatat(dirfd, tmp, &st, AT_SYMLINK_NOFOLLOW) < 0)
		rc = -errno;
	else if (st.st_dev != expect->st_dev ||
		 (st.st_ino != expect->st_ino &&
		  (fstatat(dirfd, name, &now, AT_SYMLINK_NOFOLLOW) < 0 || now.st_dev != expect->st_dev ||
		   now.st_ino != expect->st_ino || !same_bytes(dirfd, tmp, snap))))
		rc = -ESTALE;
	else if (renameat(dirfd, tmp, dirfd, bak) < 0)
		rc = -errno;
	/* Gone after the rename, unless bak was this inode already (rename
	 * then does nothing); on failure, the link is dropped. */
	unlinkat(dirfd, tmp, 0);
	return rc;
}

int af_is_mountpoint(int dirfd, const char *name)
{
	struct statx f, d;

	if (statx(dirfd, name, AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC,
		  STATX_MNT_ID | STATX_INO, &f) < 0)
		return errno == ENOENT ? 0 : -errno;
	if ((f.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
	    (f.stx_attributes & STATX_ATTR_MOUNT_ROOT))
		return 1;
	if (statx(dirfd, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STATX_MNT_ID, &d) < 0)
		return -errno;
	if ((f.stx_mask & STATX_MNT_ID) && (d.stx_mask & STATX_MNT_ID) &&
	    f.stx_mnt_id != d.stx_mnt_id)
		return 1;
	/* Kernels before 5.8 say neither: a bind mount from another
	 * filesystem still shows as a different device. */
	return f.stx_dev_major != d.stx_dev_major || f.stx_dev_minor != d.stx_dev_minor;
}

int af_fsync_dir(int dirfd)
{
	return fsync(dirfd) < 0 ? -errno : 0;
}

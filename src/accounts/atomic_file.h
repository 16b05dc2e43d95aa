/* accounts/atomic_file.h — replacing a file so that a crash, a full disk or a
 * SIGKILL at any moment leaves either the old or the new version, never a
 * mix (DESIGN §5): new content in a temp file in the same folder with the
 * original's owner, mode and SELinux label, fsync, rename over, fsync the
 * folder.  Every call works on a folder descriptor and single name
 * components, never following symlinks. */
#ifndef APPUSER_ACCOUNTS_ATOMIC_FILE_H
#define APPUSER_ACCOUNTS_ATOMIC_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

struct af_snapshot {
	bool exists;
	struct stat st;		/* of the descriptor that was read */
	char *buf;		/* NUL-terminated */
	size_t len;
};

struct af_attrs {
	uid_t uid;
	gid_t gid;
	mode_t mode;		/* permission bits only */
	char *label;		/* SELinux context, or NULL */
};

/* Read name in dirfd: a regular file (O_NOFOLLOW: a symlink is refused
 * with -ELOOP), at most max bytes.  A missing file gives exists = false
 * and returns 0.  Returns 0 or -errno. */
int af_read(int dirfd, const char *name, size_t max, struct af_snapshot *s);
void af_snapshot_free(struct af_snapshot *s);

/* Owner, mode and SELinux label of name now.  When expect is not NULL the
 * file must still be that inode (-ESTALE otherwise).  Returns 0 or -errno. */
int af_attrs_get(int dirfd, const char *name, const struct stat *expect, struct af_attrs *a);
void af_attrs_free(struct af_attrs *a);

/* Create tmp afresh (a stale one is removed), give it a's owner, mode and
 * label, write buf, fsync, close.  On failure tmp is removed.  Returns 0
 * or -errno (-ENOSPC, -EIO, -EFBIG...). */
int af_write_temp(int dirfd, const char *tmp, const void *buf, size_t len,
		  const struct af_attrs *a);

/* shadow's backup "name-", as a hard link to the file being replaced,
 * made through tmp: no data written and none to fsync (the old inode is
 * durable already), owner, mode, label and times its own.  snap is what
 * was read: a file replaced since gives -ESTALE (on an overlay whose inode
 * numbers change with a second link, the name still showing the inode read
 * and the link holding its very bytes count as the same file).  Returns 0
 * or -errno. */
int af_backup_link(int dirfd, const char *name, const char *tmp, const struct af_snapshot *snap);

/* 1 when name is a mount point of its own (docker -v /etc/passwd:...):
 * rename(2) over it would fail with EBUSY.  0 when not, or -errno. */
int af_is_mountpoint(int dirfd, const char *name);

int af_fsync_dir(int dirfd);

#endif

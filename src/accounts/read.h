/* accounts/read.h — the one reader of the account files, for every
 * command (setup's transaction in accounts/store.c reads through it too).
 * Lookups never go through NSS: a static binary must resolve users the
 * same way in a scratch, Alpine or Debian image (DESIGN §2).
 *
 * The root's etc folder is resolved inside the root (rootfs_openat:
 * RESOLVE_IN_ROOT); the file in it is opened O_NOFOLLOW and must be a
 * regular file: a symlinked /etc/passwd is refused (-ELOOP) by exec,
 * status, fix and setup alike. */
#ifndef APPUSER_ACCOUNTS_READ_H
#define APPUSER_ACCOUNTS_READ_H

#include "accounts/atomic_file.h"
#include "accounts/line.h"
#include "rootfs.h"

#include <stddef.h>

/* The root's etc folder (O_RDONLY|O_DIRECTORY).  Returns an fd or -errno. */
int accounts_etc_open(const struct rootfs *r);

/* Read one file of etcfd into snap (kept: its stat and bytes) and parse
 * it into db.  A missing file gives snap->exists false and an empty db.
 * Returns 0 or -errno. */
int accounts_read_at(int etcfd, enum acct_kind kind, struct af_snapshot *snap,
		     struct acct_db *db);

/* The message for a failed read: "/etc/passwd: REASON" (the path as
 * shown by rootfs_display), " (a symlink; refused)" for -ELOOP. */
void accounts_read_error(const struct rootfs *r, enum acct_kind kind, int rc, char *err,
			 size_t errlen);

/* Load one file of the root (a missing one is empty) for lookups: the db
 * is an acct_parse_view() one, never written back.  Returns 0, or -errno
 * with the message in err. */
int accounts_load(const struct rootfs *r, enum acct_kind kind, struct acct_db *db, char *err,
		  size_t errlen);
/* passwd and group, the etc folder opened once; on failure neither is
 * kept.  Returns 0, or -errno with the message in err. */
int accounts_load_users(const struct rootfs *r, struct acct_db *pw, struct acct_db *gr,
			char *err, size_t errlen);

#endif

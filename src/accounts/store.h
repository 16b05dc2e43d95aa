/* accounts/store.h — passwd, group, shadow and gshadow of one root, read
 * and replaced as one crash-safe transaction (DESIGN §5).
 *
 * Writing, in this order, under lckpwdf's /etc/.pwd.lock and shadow's
 * NAME.lock files (accounts/lock.h):
 *   1. for each changed file: the old content as NAME- (shadow's backup),
 *      then the new content as NAME+ with the original's owner, mode and
 *      SELinux label, fsync'ed (accounts/atomic_file.h);
 *   2. the journal etc/.appuser-txn naming those files and the inode each
 *      replaces, written through a temp file, renamed, folder fsync'ed —
 *      the commit point;
 *   3. rename each NAME+ over NAME, fsync the folder, remove the journal.
 * A run killed before 2 leaves NAME+ files the next run removes; killed
 * after 2, the next run finishes the renames (only over files that are
 * still the inode the journal names, so a later useradd is never undone).
 * Each file is therefore always its old or its new version, and the four
 * move together.  Files that are bind mounts (rename gives EBUSY) are
 * refused before anything is written. */
#ifndef APPUSER_ACCOUNTS_STORE_H
#define APPUSER_ACCOUNTS_STORE_H

#include "accounts/line.h"
#include "accounts/atomic_file.h"
#include "rootfs.h"

#include <stdbool.h>
#include <stddef.h>

struct acct_store {
	const struct rootfs *root;
	int etcfd;		/* the root's etc folder, O_RDONLY|O_DIRECTORY */
	int pwfd;		/* .pwd.lock while locked, else -1 */
	bool locked[ACCT_KINDS];
	struct af_snapshot snap[ACCT_KINDS];
	struct acct_db db[ACCT_KINDS];	/* parsed snap; callers edit these */
};

/* Open the root's etc folder.  Returns 0 or -errno. */
int store_open(struct acct_store *s, const struct rootfs *root);
/* Read and parse the four files (missing ones are empty, snap.exists
 * false).  Returns 0 or -errno with err filled. */
int store_load(struct acct_store *s, char *err, size_t errlen);
/* True when every file is still the very one store_load() read (same
 * inode, size, mtime and ctime), so what was parsed then is current. */
bool store_unchanged(const struct acct_store *s);
/* True when a killed run left a journal, temp or lock file behind, so
 * the caller must take the locked path even when it has nothing to do. */
bool store_has_leftovers(const struct acct_store *s);
/* .pwd.lock, then the four NAME.lock, each waiting up to timeout_ms. */
int store_lock(struct acct_store *s, unsigned timeout_ms, char *err, size_t errlen);
/* Under the locks: finish or discard what a killed run left.  Returns the
 * number of files it completed (>= 0), or -errno. */
int store_recover(struct acct_store *s, char *err, size_t errlen);
/* Write the files whose dirty[] is set, as described above.  Returns 0
 * or -errno with err filled; on error no file has changed. */
int store_commit(struct acct_store *s, const bool dirty[ACCT_KINDS], char *err, size_t errlen);
void store_unlock(struct acct_store *s);
void store_close(struct acct_store *s);

#endif

/* accounts/store.h — passwd, group, shadow and gshadow of one root, read
 * and replaced as one crash-safe transaction (DESIGN §5).
 *
 * Writing, in this order, under lckpwdf's /etc/.pwd.lock and shadow's
 * NAME.lock files (accounts/lock.h):
 *   1. for each changed file: NAME- (shadow's backup) made a hard link of
 *      NAME, then the new content as NAME+ with the original's owner, mode
 *      and SELinux label, fsync'ed (accounts/atomic_file.h);
 *   2. the journal: an empty file named for the files it commits and the
 *      inode each replaces (".appuser-txn.passwd=INO.group=INO"), then
 *      fsync of the folder — the commit point;
 *   3. rename each NAME+ over NAME, fsync the folder, remove the journal.
 * A run killed before 2 leaves NAME+ files the next run removes; killed
 * after 2, the next run finishes the renames (only over files that are
 * still the inode the journal names, so a later useradd is never undone).
 * Each file is therefore always its old or its new version, and the four
 * move together.  Files that are bind mounts (rename gives EBUSY) are
 * refused before anything is written.
 *
 * Durability barriers, and why there are no fewer.  Changing N files
 * costs N + 3: one fdatasync for the four locks (one PID file linked four
 * times), one fsync per NAME+, one fsync of the folder for the journal
 * and one after the renames — 5 for a uid+gid change, where this store
 * took 2N + 8 = 12 (a fsync'ed copy as backup, a journal with content,
 * a PID file per lock) and usermod + groupmod take 10.  For a power cut
 * (a kill -9 loses nothing written, so needs no barrier at all):
 *   - NAME+ must be durable before the rename can be: else NAME could
 *     become an empty file.  One fsync per file; nothing makes several
 *     files durable at once but syncfs(2), which would also flush every
 *     other dirty file of that filesystem (an overlayfs upper layer holds
 *     all of a host's containers).
 *   - The journal must be durable after every NAME+ and before any
 *     rename: the fsync of the folder.  The journal carries no data (its
 *     name is its content, and a name is made durable atomically with the
 *     folder), so it needs no fsync of its own; that same fsync makes the
 *     backups' names durable.
 *   - The renames must be durable before the journal goes: else a crash
 *     could keep the journal's removal and lose a rename.  Its removal
 *     needs none: a journal whose temps are gone recovers to nothing.
 *   - NAME- needs none: it is the replaced inode itself, whose data were
 *     durable before we began.
 *   - The lock's PID must be durable before the lock's name can be: a
 *     lock left empty by a power cut blocks shadow's tools ("no PID").
 *     One PID file for the four locks makes that one barrier.
 * (setup's remap record in /run/appuser adds its own three, setup/state.c:
 * it must be durable before the files change, and its removal too, or a
 * remap could be repeated after a power cut over files made since.) */
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

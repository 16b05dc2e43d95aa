/* accounts/lock.h — the locks that glibc and shadow's tools (useradd, usermod,
 * passwd, vipw) take around the account files, so that appuser and they
 * never write at the same time (DESIGN §5).
 *
 *   etc/.pwd.lock   lckpwdf(3): an fcntl write lock on the whole file.
 *                   Released by the kernel when the process dies.
 *   etc/NAME.lock   shadow's commonio: NAME.PID holding "PID\0" is
 *                   hard-linked to NAME.lock, so the lock file always
 *                   holds its owner's PID (appuser links one PID file to
 *                   all four NAME.lock).  A lock whose PID is dead, a
 *                   zombie (killed, never reaped by a PID 1 that does not
 *                   wait), or alive but started after the lock was made
 *                   (PID reused, typically PID 1 after a container
 *                   restart), is stale and taken over, so a SIGKILL never
 *                   blocks the next run.
 *
 * Everything is relative to the descriptor of the etc folder, one name
 * component each, never following symlinks. */
#ifndef APPUSER_ACCOUNTS_LOCK_H
#define APPUSER_ACCOUNTS_LOCK_H

#define LOCK_TIMEOUT_MS 15000	/* as lckpwdf() */

/* Returns the locked descriptor, or -errno (-ETIMEDOUT after timeout_ms). */
int lock_pwd(int etcfd, unsigned timeout_ms);
void unlock_pwd(int fd);

/* Take NAME.lock for each of names[0..n-1] in order, waiting up to
 * timeout_ms for each live holder.  The n locks are hard links of one PID
 * file (names[0].PID), written and fdatasync'ed once: one durability
 * barrier for all of them, and each still holds our PID as shadow's
 * tools expect.  Returns 0, or -errno (-ETIMEDOUT; -EPROTO for a lock
 * without a PID) with names[*taken] the lock not taken; the *taken before
 * it are held either way (unlock_file them). */
int lock_files(int etcfd, const char *const *names, int n, unsigned timeout_ms, int *taken);
void unlock_file(int etcfd, const char *name);

/* Remove NAME.PID leftovers of dead processes (a SIGKILL between
 * creating and unlinking them) for the account file names.  Call only
 * while holding the locks. */
void lock_sweep(int etcfd);

#endif

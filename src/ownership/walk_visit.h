/* ownership/walk_visit.h — what the walk (ownership/walk.h) hands its
 * visitor and what it asks of it: the entries, the events, the options,
 * the per-thread counters.  Shared by the walk's files and its caller. */
#ifndef APPUSER_OWNERSHIP_WALK_VISIT_H
#define APPUSER_OWNERSHIP_WALK_VISIT_H

#include <fcntl.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/* Deeper directories are not entered (reported as errors). */
#define WALK_MAX_DEPTH 4096
/* Longest display path built for messages and dry-run lines. */
#define WALK_PATH_MAX 16384

/* Per-thread counters: written by their thread, read by the progress
 * line; one cache line each. */
struct walk_counters {
	_Atomic uint64_t entries, changed, errors, hardlinks, mounts, dropped;
} __attribute__((aligned(64)));

/* One entry handed to the visitor.  fd, when not -1, is a descriptor
 * pinned to the inode sx describes: for a directory, the one the walk
 * entered, verified and has read to the end (O_RDONLY; folders are
 * visited after their entries, so a folder given away is not read after
 * its new owner can write it); for anything
 * else an O_PATH|O_NOFOLLOW descriptor (see walk_opts.speculate).  The
 * visitor may fchownat it but must not close it.  When fd is -1, sx is
 * the stat of the name, and the visitor must pin the inode itself
 * before changing it. */
struct walk_entry {
	int dirfd;
	const char *name;	/* NULL for the start itself */
	const struct statx *sx;
	int fd;
	const char *path;	/* display path, only when walk_opts.paths */
	struct walk_counters *ctr;
};

enum walk_event {
	WALK_ERROR,		/* counted in errors */
	WALK_SKIPPED,		/* a mount point or kernel filesystem not entered: in mounts */
};

struct walk_opts {
	bool cross_mounts;
	bool paths;		/* build display paths (dry run) */
	/* Where most recent entries matched, open non-directories O_PATH
	 * first and stat the descriptor (3 calls, then no re-open to pin),
	 * instead of stat'ing the name (1 call, 3 more to pin on a match). */
	bool speculate;
	unsigned nthreads;	/* >= 1 */
	/* Entries of the walk, start excluded; called from worker threads.
	 * Returns true when the entry was one to act on (feeds speculate). */
	bool (*visit)(void *ctx, const struct walk_entry *e);
	/* Something the walk itself met (cannot open, changed under us, too
	 * deep, a mount not entered), already counted: err is an errno value
	 * or 0, what a short explanation; name may be NULL (the directory
	 * dirfd itself).  Called from worker threads. */
	void (*report)(void *ctx, enum walk_event ev, int dirfd, const char *name, const char *path,
		       int err, const char *what);
	/* Called about every 200 ms from the calling thread while it waits. */
	void (*tick)(void *ctx);
	void *ctx;
};

/* The statx mask the walk asks for and the visitor may rely on. */
#define WALK_STATX_MASK (STATX_TYPE | STATX_MODE | STATX_NLINK | STATX_UID | STATX_GID | \
			 STATX_INO | STATX_MNT_ID)

#endif

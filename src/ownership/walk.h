/* ownership/walk.h — a parallel walk of one tree by directory descriptor.
 *
 * Worker threads share a small bounded queue of open directory
 * descriptors; a worker that finds the queue full goes down into the
 * subdirectory itself, resuming the parent later at its getdents cookie.
 * No path strings (except for display, when asked), one buffer per
 * thread, a fixed budget of descriptors, so memory and descriptors stay
 * bounded whatever the size or depth of the tree.
 *
 * Safety (DESIGN §4, §6): every entry is looked at with statx(2) and
 * AT_SYMLINK_NOFOLLOW; a directory is entered only through
 * openat(O_DIRECTORY|O_NOFOLLOW) and only if the opened descriptor is the
 * inode that was looked at (a directory swapped for a symlink or another
 * directory mid-walk is not entered — CVE-2018-6954); other mounts are
 * not entered unless asked, /proc, /sys and /dev and pseudo filesystems
 * never, and no mount root twice (bind-mount loops). */
#ifndef APPUSER_OWNERSHIP_WALK_H
#define APPUSER_OWNERSHIP_WALK_H

#include "ownership/fdinfo.h"	/* walk_describe, walk_pseudo_fs, walk_forbidden_dir */
#include "ownership/walk_visit.h"	/* walk_opts, walk_entry, walk_counters */

#include <sys/stat.h>

/* Walk the entries below the open directory dirfd (O_RDONLY|O_DIRECTORY;
 * not closed), whose own statx is sx.  path is its display path (may be
 * NULL unless o->paths).  ctr must hold o->nthreads counters.  Returns 0,
 * or -errno when the walk could not start (threads, memory). */
int walk_tree(int dirfd, const struct statx *sx, const char *path, const struct walk_opts *o,
	      struct walk_counters *ctr);

/* The walk's files: walk.c (this entry point: budget, threads),
 * walk_queue.c (the shared queue), walk_dir.c (one worker's descent),
 * fdinfo.c (what the kernel says about a descriptor). */

#endif

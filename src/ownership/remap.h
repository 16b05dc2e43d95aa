/* ownership/remap.h — the ownership remap engine (DESIGN §6), shared by `appuser fix`
 * and the last step of `appuser setup`.
 *
 * A remap is a small table of uid pairs and gid pairs applied in one walk:
 * a file whose owner is uid_from[i] gets uid_to[i]; independently, a file
 * whose group is gid_from[j] gets gid_to[j]; everything else is left
 * alone.  One table lets setup renumber a colliding user and move the
 * application user onto its old ID in a single, consistent pass. */
#ifndef APPUSER_OWNERSHIP_REMAP_H
#define APPUSER_OWNERSHIP_REMAP_H

#include "ownership/rules.h"	/* struct remap_map */
#include "rootfs.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>


struct remap_opts {
	bool dry_run;		/* list what would change, change nothing */
	bool cross_mounts;	/* enter other filesystems below the start */
	bool progress;		/* a live line on stderr when it is a terminal */
	bool quiet;		/* no summary line */
	unsigned nthreads;	/* 0 = one per available CPU */
	/* Added with the engine (all default to false/NULL when zeroed): */
	bool allow_system;	/* start may be a system folder (root mode + explicit flag) */
	const char *tag;	/* message prefix after "appuser: ", default "fix" */
	bool skip_done_root;	/* walk nothing when the start's own owner already
				 * shows the map applied (remap_root_done) */
	bool guard_start;	/* setup: see REMAP_SKIP_EXPOSED */
	bool keep_mount_start;	/* setup: see REMAP_SKIP_MOUNT */
};

/* Why a start was not walked (nothing changed, nothing printed: the
 * caller says it in its own words). */
enum remap_skip {
	REMAP_WALKED = 0,
	/* guard_start: the start is a folder below one that others than root
	 * may write (rootfs_exposed) and neither its owner nor its group is
	 * one of the map's IDs, old or new: whoever can write above may have
	 * renamed or exchanged any folder into its place (issue 11 §4). */
	REMAP_SKIP_EXPOSED,
	/* keep_mount_start: the start is a mount point (statx
	 * STATX_ATTR_MOUNT_ROOT, else another device or mount ID than its
	 * parent's): a volume, maybe the host's checkout (issue 11 §5). */
	REMAP_SKIP_MOUNT,
};

struct remap_stats {
	uint64_t entries;	/* entries looked at */
	uint64_t changed;	/* entries chowned (or that would be, dry run) */
	uint64_t errors;	/* entries that failed (EPERM, EROFS, ...) */
	uint64_t hardlinks;	/* hardlinked non-directories left alone */
	uint64_t mounts;	/* mount points not entered */
	uint64_t dropped;	/* setuid/setgid bits deliberately not restored */
	unsigned passes;	/* walks needed (> 1 for chained maps) */
	bool root_done;		/* skip_done_root: not walked, start already right */
	enum remap_skip skipped;	/* not walked for this reason */
	uint32_t root_uid, root_gid;	/* the start's owner, when root_done */
	double seconds;
};

/* Walk path (a directory or a single file) and apply map.  With root,
 * path is a path inside that root, opened below its descriptor
 * (RESOLVE_IN_ROOT: setup --root never reopens the folder by name, so a
 * folder renamed into its place meanwhile is never walked); with root
 * NULL, a path of this process (fix's arguments, maybe relative).
 * Returns 0 when the walk ran (per-entry failures are counted in
 * st->errors), or -errno when path itself cannot be opened safely.
 *
 * Details (appuser(8) "fix" has the user-facing rules):
 * - path itself may not be, or go through, a symlink (-ELOOP, said);
 *   nothing below it is ever followed either.  "/" and the system
 *   folders of path.h (as the root sees them, and on this host) give
 *   -EPERM unless allow_system; under /proc or /sys always -EPERM.  The
 *   reason is printed (one line).
 * - An invalid map (see remap_map_check) or a cycle (A->B, B->A) gives
 *   -EINVAL.  A chain (A->B, B->C) is applied in several walks, B->C
 *   first, so no file ever moves twice; a no-op map walks nothing.
 * - path itself is changed last, after everything below it, so an
 *   interrupted remap is redone by the next run that compares the owner
 *   of path (Kubernetes' OnRootMismatch).
 * - Per-entry problems are printed (at most 20 lines, unlimited at
 *   LOG_VERBOSE), then the summary line unless quiet.  A failure to
 *   start is printed too, except -ENOENT (path does not exist), which
 *   is left to the caller. */
int remap_tree(const struct rootfs *root, const char *path, const struct remap_map *map,
	       const struct remap_opts *o, struct remap_stats *st);

#endif

/* setup/state.h — what `appuser setup` keeps under /run/appuser of the
 * root it works on:
 *
 *   setup.done     the "once per container" marker (issue 6, 11 §3):
 *                  which instance of the container (boot and PID 1's start
 *                  time), mode, caller and IDs; written by every
 *                  successful setup, root or setuid, under the account
 *                  locks before the files change (removed if they do not);
 *   setup.last     what the last setup that changed something did, for
 *                  `appuser status` (replaced atomically, any mode);
 *   remap.pending  the ownership remap a run committed to: written before
 *                  the account files change, removed once the walk has
 *                  run, so a run killed between the two finishes the walk
 *                  next time instead of leaving files on the old IDs.
 *
 * The folder, /run and the root must each be root-owned and not writable
 * by group or others (checked on their descriptors): whoever could write
 * one of them could rename the marker away.  Nothing is followed through
 * symlinks. */
#ifndef APPUSER_SETUP_STATE_H
#define APPUSER_SETUP_STATE_H

#include "rootfs.h"
#include "setup/plan.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pending_remap {
	struct remap_job jobs[PLAN_JOBS];
	size_t njobs;
};

/* Open (creating with mode 0755 when create is set) run/appuser.  Returns
 * an O_DIRECTORY descriptor, -ENOENT when absent and !create, or -errno
 * (-EPERM when it, /run or the root is not root-owned or is group/other-
 * writable); *bad names the folder that failed ("/", "/run",
 * "/run/appuser"), NULL on success. */
int state_dir_open(const struct rootfs *r, bool create, const char **bad);

/* The marker: "claimed" by a run under the account locks before they
 * change, "done" when that run has finished; what it maps the user to. */
struct marker {
	bool current;		/* there, and of this container instance */
	bool done;
	char user[64];
	uint32_t uid, gid;
};
/* The marker's line for this container instance. */
int state_marker_line(char *buf, size_t len, const struct marker *m, const char *mode,
		      unsigned ruid, long when);
/* m->current is false when there is none or it is another instance's (an
 * older one without an instance counts as this one's). */
void state_marker_read(int dfd, struct marker *m);
/* Write the marker, replacing one (temp file + rename; the caller holds
 * the account locks or writes for a run that changed nothing).  Returns 0
 * or -errno. */
int state_marker_write(int dfd, const char *line);
void state_marker_remove(int dfd);

/* Replace setup.last with text (temp file + rename).  Returns 0 or -errno. */
int state_record_write(int dfd, const char *text);
/* Read setup.last (at most 64 KiB) into a malloc'ed string; -ENOENT when
 * there is none. */
int state_record_read(int dfd, char **text);

/* Write / read / remove remap.pending.  Read returns 0, -ENOENT, or
 * -EINVAL for a malformed file (then removed). */
int state_pending_write(int dfd, const struct remap_job *jobs, size_t njobs);
int state_pending_read(int dfd, struct pending_remap *p);
void state_pending_clear(int dfd);
void pending_free(struct pending_remap *p);

/* Pure: the file's text and its parser, for the unit tests. */
int pending_format(const struct remap_job *jobs, size_t njobs, char **buf, size_t *len);
int pending_parse(const char *buf, size_t len, struct pending_remap *p);

#endif

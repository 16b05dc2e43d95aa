/* setup/state.h — what `appuser setup` keeps under /run/appuser of the
 * root it works on:
 *
 *   setup.done     setuid mode's "once per container" marker (issue 6),
 *                  created O_EXCL after a successful run only;
 *   setup.last     what the last setup that changed something did, for
 *                  `appuser status` (replaced atomically, any mode);
 *   remap.pending  the ownership remap a run committed to: written before
 *                  the account files change, removed once the walk has
 *                  run, so a run killed between the two finishes the walk
 *                  next time instead of leaving files on the old IDs.
 *
 * The folder must be root-owned and not writable by group or others
 * (checked on its descriptor); nothing is followed through symlinks. */
#ifndef APPUSER_SETUP_STATE_H
#define APPUSER_SETUP_STATE_H

#include "rootfs.h"
#include "setup/plan.h"

#include <stdbool.h>
#include <stddef.h>

struct pending_remap {
	struct remap_job jobs[PLAN_JOBS];
	size_t njobs;
};

/* Open (creating with mode 0755 when create is set) run/appuser.  Returns
 * an O_DIRECTORY descriptor, -ENOENT when absent and !create, or -errno
 * (-EPERM when it is not root-owned or is group/other-writable). */
int state_dir_open(const struct rootfs *r, bool create);

bool state_marker_exists(int dfd);
/* O_EXCL; an existing marker gives -EEXIST.  line goes into the file. */
int state_marker_create(int dfd, const char *line);

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

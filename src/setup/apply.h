/* setup/apply.h — the side effects of `appuser setup`, called by
 * setup/command.c in this order: the account files (one locked
 * transaction), the ownership remap, the home (setup/home.h), nscd/sss caches, the
 * record in /run/appuser and (setuid mode) the once-per-container marker.
 * Failures that leave nothing half-done die with 125. */
#ifndef APPUSER_SETUP_APPLY_H
#define APPUSER_SETUP_APPLY_H

#include "setup/run.h"

#include <stdbool.h>

/* Under the locks: recover, reload and re-plan (setup/inputs.c) when the
 * files changed, record the pending remap, commit.  Dies with 125 on
 * failure (nothing changed). */
void setup_commit(struct setup_run *r);
/* Run the pending remap (this run's or a killed run's), unless --no-fix.
 * Returns false when a walk failed. */
bool setup_remap(struct setup_run *r);
/* nscd -i / sss_cache when present (only for the real root). */
void setup_flush_caches(const struct setup_run *r);
/* Setuid mode: refuse (die) a run that would change anything after this
 * container's first setup (setup/state.h's marker); setup_commit() checks
 * again under the locks, where it claims the marker. */
void setup_once_check(const struct setup_run *r);
/* Every successful run, root or setuid, leaves the marker "done" (and a
 * setuid one's first says so in the audit log). */
void setup_marker_create(struct setup_run *r);
/* Record what this run changed in /run/appuser/setup.last (not with
 * --root: an image folder is not the running system). */
void setup_record(const struct setup_run *r);

#endif

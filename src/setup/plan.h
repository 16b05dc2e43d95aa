/* setup/plan.h — what `appuser setup` must change, decided from the
 * environment, the config, login.defs, the parsed account files and a few
 * facts about folders (owner of APPLICATION_PATH, of group paths).
 *
 * Pure: no I/O.  plan_make() validates everything, then edits the parsed
 * files in memory (accounts/edit.h) and records one log line per change, the
 * files that changed, and the ownership remap to run afterwards.  Running
 * it again on its own output changes nothing (idempotence).
 *
 * ID collisions (DESIGN §5), APPLICATION_*_CONFLICT or the config's
 * uid_conflict / gid_conflict, default move:
 *   move   a non-system holder of the wanted ID is renumbered to the first
 *          free ID (and its files remapped); a system UID is an error; a
 *          system GID is joined: the user's primary group becomes it (the
 *          macOS case, staff = 20), the system group stays as it is;
 *   share  the ID is shared, as `usermod -o` does;
 *   fail   refuse.
 * System accounts (defs_system_uid/gid) are never renumbered or renamed. */
#ifndef APPUSER_SETUP_PLAN_H
#define APPUSER_SETUP_PLAN_H

#include "setup/plan_types.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* `auto`: the owner (uid or gid) of the first existing folder of paths,
 * the mounted source.  Root is refused (with rootless, the caller is in a
 * user namespace whose root is someone else, rootless podman: the message
 * says --userns=keep-id).  Returns 0, or -1 with a message naming var in
 * err.  Shared by the planner and `appuser status`. */
int plan_auto_owner(const struct path_fact *paths, size_t npaths, bool uid, const char *var,
		    bool rootless, uint32_t *out, char *err, size_t errlen);

/* db[] indexed by enum acct_kind, edited in place.  PLAN_INVALID: err
 * names the variable or setting and the value (exit 125). */
enum plan_rc plan_make(const struct plan_in *in, struct acct_db db[4], struct plan *p,
		       char *err, size_t errlen);
void plan_free(struct plan *p);
bool plan_changes_files(const struct plan *p);
/* True when some job has IDs to change (and folders to walk). */
bool plan_remaps(const struct plan *p);
void remap_job_free(struct remap_job *j);

#endif

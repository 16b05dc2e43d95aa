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

#include "accounts/line.h"
#include "config.h"
#include "env.h"
#include "ownership/remap.h"
#include "accounts/login_defs.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DEFAULT_SHELL "/bin/sh"
#define PLAN_MAX_LINES 128
#define PLAN_MAX_ROOTS (ENV_MAX_LIST + REMAP_MAX + 2)

/* A folder as found on disk: APPLICATION_PATH entries, group paths. */
struct path_fact {
	const char *path;
	bool exists;
	uint32_t uid, gid;
};

struct plan_in {
	const struct app_env *env;
	const struct config *cfg;
	struct login_defs defs;
	bool have_shadow, have_gshadow;	/* the files exist */
	/* The folders whose ownership follows the user, in order (the first
	 * one is what `auto` reads); missing ones have exists = false. */
	const struct path_fact *paths;
	size_t npaths;
	/* Facts for the env's APPLICATION_GROUPS entries that are paths. */
	const struct path_fact *gpaths;
	size_t ngpaths;
	bool setuid;			/* map only to the caller's real IDs */
	uint32_t ruid, rgid;
	long today;			/* days since 1970, for new shadow lines */
};

/* One ownership remap: a table applied under some folders. */
struct remap_job {
	struct remap_map map;
	char *roots[PLAN_MAX_ROOTS];
	size_t nroots;
};

/* Two jobs, because they cover different folders: the application user's
 * old IDs follow it under its home and APPLICATION_PATH; a renumbered
 * (moved) account's IDs follow it under its own home only — under
 * APPLICATION_PATH a file owned by the wanted uid is the host user's, the
 * very owner the application user is being given. */
enum { JOB_APP, JOB_MOVED, PLAN_JOBS };

struct plan {
	char *user, *group;		/* final names (group: the primary group's) */
	uint32_t uid, gid;
	char *home;
	bool dirty[4];			/* by enum acct_kind */
	char *lines[PLAN_MAX_LINES];	/* one per change, without prefix */
	size_t nlines;
	struct remap_job jobs[PLAN_JOBS];	/* IDs that changed, and where */
};

enum plan_rc { PLAN_OK = 0, PLAN_INVALID = -1, PLAN_NOMEM = -2 };

/* `auto`: the owner (uid or gid) of the first existing folder of paths,
 * the mounted source.  Root is refused.  Returns 0, or -1 with a message
 * naming var in err.  Shared by the planner and `appuser status`. */
int plan_auto_owner(const struct path_fact *paths, size_t npaths, bool uid, const char *var,
		    uint32_t *out, char *err, size_t errlen);

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

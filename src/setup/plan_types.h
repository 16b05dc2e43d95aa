/* setup/plan_types.h — the planner's data (setup/plan.h): its input (the
 * parsed environment and config, login.defs, facts about folders), its
 * output (names, IDs, edited files, one line per change, the remap to
 * run) and its status codes.  Shared by the planner's files and its
 * callers. */
#ifndef APPUSER_SETUP_PLAN_TYPES_H
#define APPUSER_SETUP_PLAN_TYPES_H

#include "accounts/line.h"
#include "accounts/login_defs.h"
#include "config.h"
#include "env.h"
#include "ownership/rules.h"	/* struct remap_map, REMAP_MAX */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define DEFAULT_SHELL "/bin/sh"
#define PLAN_MAX_LINES 128
#define PLAN_MAX_SKIPS 8
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
	const gid_t *held;		/* the caller's supplementary groups */
	size_t nheld;
	bool rootless;			/* caller_rootless_userns() */
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
	char *skips[PLAN_MAX_SKIPS];	/* what is left alone on purpose, one line each */
	size_t nskips;
	struct remap_job jobs[PLAN_JOBS];	/* IDs that changed, and where */
};

enum plan_rc { PLAN_OK = 0, PLAN_INVALID = -1, PLAN_NOMEM = -2 };

#endif

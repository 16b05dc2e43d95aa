/* env.h — the environment contract of every command (DESIGN §3): setup,
 * exec (and the gosu form), fix and status all read these variables
 * through env_read() and refuse a bad value with the same words.
 *
 *   APPLICATION_USER   login name            APPLICATION_GROUP  its primary group
 *   APPLICATION_UID    number or "auto"      APPLICATION_GID    number or "auto"
 *   APPLICATION_HOME   absolute folder       APPLICATION_PATH   ':'-separated folders
 *   APPLICATION_GROUPS supplementary groups: names or paths, ',' or blank separated
 *   PUID / PGID        aliases of APPLICATION_UID / APPLICATION_GID
 *   APPLICATION_UID_CONFLICT / APPLICATION_GID_CONFLICT   move | share | fail
 *
 * Pure: the values come in as "NAME=VALUE" strings (environ, or a test's
 * array), so unit tests and fuzzers reach every branch.  Only these names
 * are read; everything else in the environment is ignored.  A variable
 * that is set must be valid — an empty value is an error, not "unset" —
 * and every error names the variable and the (escaped) value. */
#ifndef APPUSER_ENV_H
#define APPUSER_ENV_H

#include "path.h"	/* path_canon, path_is_system, env_quote: what env.c uses */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ENV_MAX_LIST 64
#define ENV_MAX_VALUE 8192
#define ENV_PATH_MAX PATH_CANON_MAX

enum conflict_policy { CONFLICT_UNSET = 0, CONFLICT_MOVE, CONFLICT_SHARE, CONFLICT_FAIL };
enum id_want { IDW_UNSET = 0, IDW_VALUE, IDW_AUTO };

struct app_env {
	char *user, *group;	/* NULL = not set */
	char *home;		/* canonical absolute path, or NULL */
	enum id_want uid_how, gid_how;
	uint32_t uid, gid;	/* when *_how == IDW_VALUE */
	const char *uid_var, *gid_var;	/* variable that set it, for messages */
	char *paths[ENV_MAX_LIST];	/* canonical absolute paths */
	size_t npaths;
	char *groups[ENV_MAX_LIST];	/* names, or canonical absolute paths */
	size_t ngroups;
	enum conflict_policy uid_conflict, gid_conflict;
};

/* Parse the documented variables out of envp (NULL-terminated).  Returns
 * 0, or -1 with a one-line reason naming the variable and value in err.
 * A documented variable given twice is an error: getenv() would see the
 * first, a child maybe the second. */
int env_parse(char *const *envp, struct app_env *e, char *err, size_t errlen);
/* env_parse() of this process's environment: the one way a command reads it. */
int env_read(struct app_env *e, char *err, size_t errlen);
void env_free(struct app_env *e);

/* PATH, where exec looks COMMAND up (after the switch, as gosu does): the
 * service's own variable, not validated, else the usual default. */
const char *env_command_path(void);

struct config;
/* The application user's name: APPLICATION_USER, else the config's
 * `user`, else the default (config_app_user()). */
const char *env_app_user(const struct app_env *e, const struct config *cfg);

/* "move" | "share" | "fail"; returns 0 or -1. */
int conflict_parse(const char *s, enum conflict_policy *out);
const char *conflict_name(enum conflict_policy p);

#endif

/* config.h — /etc/appuser.conf (man appuser.conf(5)).
 *
 *   # comment
 *   key = value
 *
 * Keys: user, group, home, paths (space-separated), uid_range (LO-HI),
 * allow_setuid (yes|no), seccomp (profile), caps (comma-separated: kept by
 * default), allow_caps (the most --cap may ask for in setuid mode),
 * selinux_context, uid_conflict, gid_conflict (move|share|fail),
 * allow_callers (names, uids, LO-HI: who else may exec as the user).
 * home and paths are kept canonical (path_canon()) and may not be system
 * folders.  Unknown keys, repeated keys and malformed lines are errors
 * naming the line.  The parser is pure; config_load() adds the ownership checks. */
#ifndef APPUSER_CONFIG_H
#define APPUSER_CONFIG_H

#include "caps.h"
#include "rootfs.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONFIG_PATH "etc/appuser.conf"
#define CONFIG_MAX_SIZE (64u << 10)
#define CONFIG_MAX_PATHS 64
#define CONFIG_MAX_CALLERS 64

struct config {
	bool loaded;		/* a file was found and parsed */
	char *user, *group, *home;	/* home: canonical, not a system folder */
	char *paths[CONFIG_MAX_PATHS];	/* likewise */
	size_t npaths;
	bool have_uid_range;
	uint32_t uid_min, uid_max;
	bool have_allow_setuid, allow_setuid;
	char *seccomp;
	bool have_caps;
	capset_t caps;		/* kept by every exec unless --cap says otherwise */
	bool have_allow_caps;
	capset_t allow_caps;	/* setuid mode: the ceiling for --cap (default: caps) */
	char *selinux_context;
	char *uid_conflict, *gid_conflict;
	/* allow_callers: in setuid mode, who else may exec as the application
	 * user — a user name (resolved in the passwd file at exec time), or
	 * uids lo..hi (lo == hi for one uid; never 0) */
	struct caller_rule {
		char *name;
		uint32_t lo, hi;
	} callers[CONFIG_MAX_CALLERS];
	size_t ncallers;
	bool have_callers;
};

/* The application user when the environment does not name one. */
#define CONFIG_DEFAULT_USER "application"
/* The configured application user, else CONFIG_DEFAULT_USER. */
const char *config_app_user(const struct config *cfg);

/* Parse text; on error returns -1 with "line N: reason" in err. */
int config_parse(const char *buf, size_t len, struct config *cfg, char *err, size_t errlen);
void config_free(struct config *cfg);

/* Open CONFIG_PATH under r and parse it.  A missing file is not an error
 * (cfg->loaded stays false).  The file must be a regular file owned by
 * root and not writable by group or others, and so must every folder
 * from the root down to it — checked on the descriptors (as doas does).
 * Returns 0, or -1 with a one-line reason in err. */
int config_load(const struct rootfs *r, struct config *cfg, char *err, size_t errlen);

#endif

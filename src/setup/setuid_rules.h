/* setup/setuid_rules.h — what `appuser setup` allows an unprivileged caller of
 * the setuid-root binary (issue 6, DESIGN §4).  In setuid mode the
 * environment may only confirm the config, never widen it:
 *   - the config must say allow_setuid = yes (config_load() has already
 *     checked that it and its folders are root-owned, not group/other
 *     writable);
 *   - APPLICATION_USER, APPLICATION_GROUP, APPLICATION_HOME and the
 *     *_CONFLICT policies must equal the configured values when set;
 *   - APPLICATION_PATH may only list folders of the config's `paths`;
 *   - APPLICATION_GROUPS may name only groups the caller holds already
 *     (the runtime gave them: --group-add, fsGroup); setup/plan_group.c
 *     checks that once the names are resolved (shadow, docker... stay
 *     refused to anyone who does not have them);
 *   - the IDs may only be the caller's own real uid/gid (setup/plan.c
 *     enforces that after resolving `auto`), never 0, within uid_range.
 * Pure: no I/O. */
#ifndef APPUSER_SETUP_SETUID_RULES_H
#define APPUSER_SETUP_SETUID_RULES_H

#include "config.h"
#include "env.h"

#include <stddef.h>

/* Returns 0, or -1 with a one-line reason naming the variable in err. */
int setuid_setup_check(const struct app_env *e, const struct config *cfg, char *err,
		       size_t errlen);

#endif

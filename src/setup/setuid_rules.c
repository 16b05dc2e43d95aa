/* setup/setuid_rules.c — see setup/setuid_rules.h. */
#include "setup/setuid_rules.h"
#include "setup/plan.h"

#include <stdio.h>
#include <string.h>

static int refuse(char *err, size_t errlen, const char *var, const char *val, const char *want)
{
	char q1[300], q2[300];

	snprintf(err, errlen, "%s='%s': in setuid mode it may only repeat the configured '%s'; "
		 "refused", var, env_quote(val, q1, sizeof q1), env_quote(want, q2, sizeof q2));
	return -1;
}

/* Both sides are canonical (env.c, config.c). */
static bool in_config_paths(const struct config *cfg, const char *path)
{
	for (size_t i = 0; i < cfg->npaths; i++)
		if (!strcmp(cfg->paths[i], path))
			return true;
	return false;
}

static int check_policy(const char *var, enum conflict_policy got, const char *conf,
			char *err, size_t errlen)
{
	enum conflict_policy want = CONFLICT_MOVE;

	if (got == CONFLICT_UNSET)
		return 0;
	if (conf)
		(void)conflict_parse(conf, &want);
	if (got == want)
		return 0;
	return refuse(err, errlen, var, conflict_name(got), conflict_name(want));
}

int setuid_setup_check(const struct app_env *e, const struct config *cfg, char *err,
		       size_t errlen)
{
	const char *user = config_app_user(cfg);
	const char *group = cfg->group ? cfg->group : user;
	char q1[300];

	if (!cfg->loaded || !cfg->allow_setuid) {
		snprintf(err, errlen, "running setuid, but /etc/appuser.conf %s; refused",
			 cfg->loaded ? "does not say allow_setuid = yes" : "does not exist");
		return -1;
	}
	if (e->user && strcmp(e->user, user))
		return refuse(err, errlen, "APPLICATION_USER", e->user, user);
	if (e->group && strcmp(e->group, group))
		return refuse(err, errlen, "APPLICATION_GROUP", e->group, group);
	if (e->home && (!cfg->home || strcmp(cfg->home, e->home)))
		return refuse(err, errlen, "APPLICATION_HOME", e->home,
			      cfg->home ? cfg->home : "(no home in the config)");
	for (size_t i = 0; i < e->npaths; i++)
		if (!in_config_paths(cfg, e->paths[i])) {
			snprintf(err, errlen, "APPLICATION_PATH: '%s' is not one of the config's "
				 "paths; refused in setuid mode",
				 env_quote(e->paths[i], q1, sizeof q1));
			return -1;
		}
	if (check_policy("APPLICATION_UID_CONFLICT", e->uid_conflict, cfg->uid_conflict,
			 err, errlen) < 0 ||
	    check_policy("APPLICATION_GID_CONFLICT", e->gid_conflict, cfg->gid_conflict,
			 err, errlen) < 0)
		return -1;
	return 0;
}

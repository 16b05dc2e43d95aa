/* env.c — see env.h. */
#include "env.h"
#include "ids.h"
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>	/* environ (_GNU_SOURCE) */

enum env_var {
	V_USER, V_GROUP, V_UID, V_GID, V_HOME, V_PATH, V_GROUPS, V_PUID, V_PGID,
	V_UID_CONFLICT, V_GID_CONFLICT, V_COUNT
};

static const char *const var_names[V_COUNT] = {
	[V_USER] = "APPLICATION_USER",
	[V_GROUP] = "APPLICATION_GROUP",
	[V_UID] = "APPLICATION_UID",
	[V_GID] = "APPLICATION_GID",
	[V_HOME] = "APPLICATION_HOME",
	[V_PATH] = "APPLICATION_PATH",
	[V_GROUPS] = "APPLICATION_GROUPS",
	[V_PUID] = "PUID",
	[V_PGID] = "PGID",
	[V_UID_CONFLICT] = "APPLICATION_UID_CONFLICT",
	[V_GID_CONFLICT] = "APPLICATION_GID_CONFLICT",
};

static int fail(char *err, size_t errlen, enum env_var v, const char *val, const char *why)
{
	char q[300];
	snprintf(err, errlen, "%s='%s': %s", var_names[v], env_quote(val, q, sizeof q), why);
	return -1;
}

int conflict_parse(const char *s, enum conflict_policy *out)
{
	if (!strcmp(s, "move"))
		*out = CONFLICT_MOVE;
	else if (!strcmp(s, "share"))
		*out = CONFLICT_SHARE;
	else if (!strcmp(s, "fail"))
		*out = CONFLICT_FAIL;
	else
		return -1;
	return 0;
}

const char *conflict_name(enum conflict_policy p)
{
	switch (p) {
	case CONFLICT_UNSET: return "default";
	case CONFLICT_MOVE: return "move";
	case CONFLICT_SHARE: return "share";
	case CONFLICT_FAIL: return "fail";
	}
	return "?";
}

/* A name of an account to write (DESIGN §5); root is never the
 * application user (a root-equivalent application user defeats the point). */
static int parse_name(enum env_var v, const char *val, char **out, char *err, size_t errlen)
{
	const char *why = name_invalid(val);

	if (why)
		return fail(err, errlen, v, val, why);
	if (!strcmp(val, "root"))
		return fail(err, errlen, v, val, "the application user and group cannot be root");
	if (!(*out = strdup(val)))
		return fail(err, errlen, v, val, "out of memory");
	return 0;
}

static int parse_id(enum env_var v, const char *val, enum id_want *how, uint32_t *id,
		    char *err, size_t errlen)
{
	enum id_parse r;

	if (!strcmp(val, "auto")) {
		*how = IDW_AUTO;
		return 0;
	}
	r = id_parse(val, id);
	if (r != ID_OK) {
		char why[96];
		snprintf(why, sizeof why, "%s; want a decimal ID or 'auto'", id_parse_str(r));
		return fail(err, errlen, v, val, why);
	}
	if (*id == 0)
		/* uid 0 is root; gid 0 is root's group, which owns files such
		 * as /etc/shadow on some systems.  Neither is an application. */
		return fail(err, errlen, v, val, "0 is root's ID; refused");
	*how = IDW_VALUE;
	return 0;
}

static int parse_path(enum env_var v, const char *val, const char *item, char **out,
		      char *err, size_t errlen)
{
	char canon[ENV_PATH_MAX];
	const char *why = path_canon(item, canon, sizeof canon);

	if (why)
		return fail(err, errlen, v, val, why);
	if (path_is_system(canon)) {
		char msg[ENV_PATH_MAX + 64], q[300];
		snprintf(msg, sizeof msg, "'%s' is a system folder; refused",
			 env_quote(canon, q, sizeof q));
		return fail(err, errlen, v, val, msg);
	}
	if (!(*out = strdup(canon)))
		return fail(err, errlen, v, val, "out of memory");
	return 0;
}

/* APPLICATION_PATH: ':'-separated absolute folders, none empty. */
static int parse_path_list(const char *val, struct app_env *e, char *err, size_t errlen)
{
	const char *p = val;

	for (;;) {
		const char *end = strchrnul(p, ':');
		char item[ENV_PATH_MAX];
		size_t l = (size_t)(end - p);

		if (l == 0)
			return fail(err, errlen, V_PATH, val, "empty entry in the list");
		if (l >= sizeof item)
			return fail(err, errlen, V_PATH, val, "entry too long");
		if (e->npaths == ENV_MAX_LIST)
			return fail(err, errlen, V_PATH, val, "more than 64 entries");
		memcpy(item, p, l);
		item[l] = '\0';
		if (parse_path(V_PATH, val, item, &e->paths[e->npaths], err, errlen) < 0)
			return -1;
		e->npaths++;
		if (!*end)
			return 0;
		p = end + 1;
	}
}

static bool is_sep(char c) { return c == ',' || c == ' ' || c == '\t'; }

/* APPLICATION_GROUPS: names or absolute paths, ',' or blank separated. */
static int parse_group_list(const char *val, struct app_env *e, char *err, size_t errlen)
{
	const char *p = val;

	while (*p) {
		char item[ENV_PATH_MAX];
		const char *end;
		size_t l;

		while (is_sep(*p))
			p++;
		if (!*p)
			break;
		for (end = p; *end && !is_sep(*end); end++)
			;
		l = (size_t)(end - p);
		if (l >= sizeof item)
			return fail(err, errlen, V_GROUPS, val, "entry too long");
		if (e->ngroups == ENV_MAX_LIST)
			return fail(err, errlen, V_GROUPS, val, "more than 64 entries");
		memcpy(item, p, l);
		item[l] = '\0';
		if (item[0] == '/') {
			char canon[ENV_PATH_MAX];
			const char *why = path_canon(item, canon, sizeof canon);
			if (why)
				return fail(err, errlen, V_GROUPS, val, why);
			e->groups[e->ngroups] = strdup(canon);
		} else {
			const char *why = name_invalid(item);
			if (why) {
				char msg[400], q[300];
				snprintf(msg, sizeof msg, "group '%s' %s",
					 env_quote(item, q, sizeof q), why);
				return fail(err, errlen, V_GROUPS, val, msg);
			}
			e->groups[e->ngroups] = strdup(item);
		}
		if (!e->groups[e->ngroups])
			return fail(err, errlen, V_GROUPS, val, "out of memory");
		e->ngroups++;
		p = end;
	}
	if (e->ngroups == 0)
		return fail(err, errlen, V_GROUPS, val, "no group named");
	return 0;
}

/* APPLICATION_UID and PUID (or the GIDs) name the same thing: both may be
 * given only with the same value. */
static int merge_id(const char *vals[], enum env_var main_v, enum env_var alias_v,
		    enum id_want *how, uint32_t *id, const char **var, char *err, size_t errlen)
{
	enum id_want h2 = IDW_UNSET;
	uint32_t id2 = 0;

	if (vals[main_v]) {
		if (parse_id(main_v, vals[main_v], how, id, err, errlen) < 0)
			return -1;
		*var = var_names[main_v];
	}
	if (!vals[alias_v])
		return 0;
	if (parse_id(alias_v, vals[alias_v], &h2, &id2, err, errlen) < 0)
		return -1;
	if (*how != IDW_UNSET && (h2 != *how || (h2 == IDW_VALUE && id2 != *id))) {
		char msg[400], q[300];
		snprintf(msg, sizeof msg, "conflicts with %s='%s'", var_names[main_v],
			 env_quote(vals[main_v], q, sizeof q));
		return fail(err, errlen, alias_v, vals[alias_v], msg);
	}
	if (*how == IDW_UNSET) {
		*how = h2;
		*id = id2;
		*var = var_names[alias_v];
	}
	return 0;
}

/* Pick the documented variables out of envp; a repeated one is an error. */
static int collect(char *const *envp, const char *vals[V_COUNT], char *err, size_t errlen)
{
	size_t len[V_COUNT];

	for (int v = 0; v < V_COUNT; v++)
		len[v] = strlen(var_names[v]);
	for (size_t i = 0; envp && envp[i]; i++) {
		const char *eq = strchr(envp[i], '=');
		if (!eq)
			continue;
		size_t kl = (size_t)(eq - envp[i]);

		for (int v = 0; v < V_COUNT; v++) {
			if (kl != len[v] || memcmp(envp[i], var_names[v], kl))
				continue;
			if (vals[v]) {
				snprintf(err, errlen, "%s is set twice in the environment",
					 var_names[v]);
				return -1;
			}
			vals[v] = eq + 1;
			if (strlen(vals[v]) > ENV_MAX_VALUE)
				return fail(err, errlen, (enum env_var)v, vals[v], "value too long");
			if (!*vals[v])
				return fail(err, errlen, (enum env_var)v, vals[v],
					    "empty; unset it instead");
		}
	}
	return 0;
}

static int parse_all(const char *vals[V_COUNT], struct app_env *e, char *err, size_t errlen)
{
	if (vals[V_USER] && parse_name(V_USER, vals[V_USER], &e->user, err, errlen) < 0)
		return -1;
	if (vals[V_GROUP] && parse_name(V_GROUP, vals[V_GROUP], &e->group, err, errlen) < 0)
		return -1;
	if (merge_id(vals, V_UID, V_PUID, &e->uid_how, &e->uid, &e->uid_var, err, errlen) < 0 ||
	    merge_id(vals, V_GID, V_PGID, &e->gid_how, &e->gid, &e->gid_var, err, errlen) < 0)
		return -1;
	if (vals[V_HOME] && parse_path(V_HOME, vals[V_HOME], vals[V_HOME], &e->home, err, errlen) < 0)
		return -1;
	if (vals[V_PATH] && parse_path_list(vals[V_PATH], e, err, errlen) < 0)
		return -1;
	if (vals[V_GROUPS] && parse_group_list(vals[V_GROUPS], e, err, errlen) < 0)
		return -1;
	if (vals[V_UID_CONFLICT] && conflict_parse(vals[V_UID_CONFLICT], &e->uid_conflict) < 0)
		return fail(err, errlen, V_UID_CONFLICT, vals[V_UID_CONFLICT],
			    "want move, share or fail");
	if (vals[V_GID_CONFLICT] && conflict_parse(vals[V_GID_CONFLICT], &e->gid_conflict) < 0)
		return fail(err, errlen, V_GID_CONFLICT, vals[V_GID_CONFLICT],
			    "want move, share or fail");
	return 0;
}

int env_parse(char *const *envp, struct app_env *e, char *err, size_t errlen)
{
	const char *vals[V_COUNT] = { 0 };

	memset(e, 0, sizeof *e);
	if (collect(envp, vals, err, errlen) < 0 || parse_all(vals, e, err, errlen) < 0) {
		env_free(e);
		return -1;
	}
	return 0;
}

int env_read(struct app_env *e, char *err, size_t errlen)
{
	return env_parse(environ, e, err, errlen);
}

const char *env_command_path(void)
{
	const char *p = getenv("PATH");

	return p ? p : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

const char *env_app_user(const struct app_env *e, const struct config *cfg)
{
	return e->user ? e->user : config_app_user(cfg);
}

void env_free(struct app_env *e)
{
	free(e->user);
	free(e->group);
	free(e->home);
	for (size_t i = 0; i < e->npaths; i++)
		free(e->paths[i]);
	for (size_t i = 0; i < e->ngroups; i++)
		free(e->groups[i]);
	memset(e, 0, sizeof *e);
}

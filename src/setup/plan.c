/* setup/plan.c — see setup/plan.h.  The steps of plan_make(), in order:
 * names → wanted IDs → primary group (collisions) → uid (collisions) →
 * the user's own line → shadow/gshadow → member lists → supplementary
 * groups → remap table.  Everything is decided on the parsed files; an
 * error anywhere discards the edited copies, so nothing is half-applied.
 * The group steps live in setup/plan_group.c, shared helpers in
 * setup/plan_edit.c. */
#include "setup/plan.h"
#include "setup/plan_edit.h"
#include "setup/plan_group.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- step 1: names ------------------------------------------------------ */

/* An existing system account is never taken over as the application
 * user (APPLICATION_USER=www-data would renumber it), unless it is the
 * configured application user itself, or APPLICATION_UID names the very
 * uid it has (a host uid below UID_MIN, macOS's 501, on a restart). */
static enum plan_rc check_names(struct plan_ctx *c)
{
	const struct app_env *e = c->in->env;
	const struct config *cfg = c->in->cfg;
	char b1[300];
	ssize_t i;

	c->base = config_app_user(cfg);
	c->base_group = cfg->group ? cfg->group : c->base;
	c->user = env_app_user(e, cfg);
	/* The config's group belongs to the config's user: another user named
	 * by APPLICATION_USER (node on the node image) keeps a group of its
	 * own name rather than having its group renamed to the config's. */
	c->group = e->group ? e->group :
		   cfg->group && !strcmp(c->user, c->base) ? cfg->group : c->user;
	if (!strcmp(c->user, "root") || !strcmp(c->group, "root"))
		return plan_bad(c, "the application user or group is root (from %s); refused",
			        e->user || e->group ? "the environment" : "/etc/appuser.conf");
	i = acctdb_find(c->pw, c->user);
	if (i >= 0 && strcmp(c->user, c->base) && defs_system_uid(&c->in->defs, c->pw->e[i].id) &&
	    !(e->uid_how == IDW_VALUE && e->uid == c->pw->e[i].id))
		return plan_bad(c, "APPLICATION_USER='%s': an existing system account (uid %u); refused",
			        env_quote(c->user, b1, sizeof b1), c->pw->e[i].id);
	i = acctdb_find(c->gr, c->group);
	if (i >= 0 && strcmp(c->group, c->base_group) && defs_system_gid(&c->in->defs, c->gr->e[i].id) &&
	    !(e->gid_how == IDW_VALUE && e->gid == c->gr->e[i].id))
		return plan_bad(c, "APPLICATION_GROUP='%s': an existing system group (gid %u); to make "
			        "it the primary group set APPLICATION_GID=%u; refused",
			        env_quote(c->group, b1, sizeof b1), c->gr->e[i].id, c->gr->e[i].id);
	return PLAN_OK;
}

/* --- step 2: the wanted IDs --------------------------------------------- */
int plan_auto_owner(const struct path_fact *paths, size_t npaths, bool uid, const char *var,
		    bool rootless, uint32_t *out, char *err, size_t errlen)
{
	const struct path_fact *f = NULL;
	char b[300];

	for (size_t i = 0; i < npaths && !f; i++)
		if (paths[i].exists)
			f = &paths[i];
	if (!f) {
		snprintf(err, errlen, "%s='auto': no APPLICATION_PATH (nor config paths, nor /app) "
			 "to take the owner from", var);
		return -1;
	}
	*out = uid ? f->uid : f->gid;
	if (*out == 0) {
		snprintf(err, errlen, "%s='auto': %s is owned by %s 0 (root); refusing a "
			 "root-equivalent application %s%s", var, env_quote(f->path, b, sizeof b),
			 uid ? "uid" : "gid", uid ? "user" : "group", rootless ?
			 " (rootless podman shows your own files as root's: run with "
			 "--userns=keep-id)" : "");
		return -1;
	}
	return 0;
}

static enum plan_rc auto_id(struct plan_ctx *c, bool uid, uint32_t *out)
{
	const char *var = uid ? c->in->env->uid_var : c->in->env->gid_var;

	if (plan_auto_owner(c->in->paths, c->in->npaths, uid, var, c->in->rootless, out, c->err,
			    c->errlen) < 0)
		return PLAN_INVALID;
	return PLAN_OK;
}

static enum plan_rc want_uid(struct plan_ctx *c, ssize_t ui)
{
	const struct app_env *e = c->in->env;
	uint32_t avoid[1];
	enum plan_rc rc;

	c->uid_src = e->uid_var;
	if (e->uid_how == IDW_AUTO) {
		if ((rc = auto_id(c, true, &c->want_uid)) != PLAN_OK)
			return rc;
	} else if (e->uid_how == IDW_VALUE) {
		c->want_uid = e->uid;
	} else if (c->in->setuid) {
		c->want_uid = c->in->ruid;
		c->uid_src = "your real uid";
	} else if (ui >= 0) {
		c->want_uid = c->pw->e[ui].id;
		c->uid_src = "the current uid";
	} else {
		avoid[0] = 0;
		c->want_uid = plan_free_id(c->pw, c->in->defs.uid_min, c->in->defs.uid_max, avoid, 1);
		c->uid_src = "the first free uid";
		if (!c->want_uid)
			return plan_bad(c, "no free uid in %u-%u for a new application user",
				        c->in->defs.uid_min, c->in->defs.uid_max);
	}
	if (c->want_uid == 0)
		return plan_bad(c, "%s: uid 0 is root; refused", c->uid_src);
	if (c->in->setuid && c->want_uid != c->in->ruid)
		return plan_bad(c, "%s=%u: in setuid mode the application user can only take your own "
			        "uid %u; refused", c->uid_src, c->want_uid, c->in->ruid);
	if (c->in->cfg->have_uid_range &&
	    (c->want_uid < c->in->cfg->uid_min || c->want_uid > c->in->cfg->uid_max))
		return plan_bad(c, "%s=%u is outside uid_range %u-%u of /etc/appuser.conf; refused",
			        c->uid_src, c->want_uid, c->in->cfg->uid_min, c->in->cfg->uid_max);
	return PLAN_OK;
}

static enum plan_rc want_gid(struct plan_ctx *c, ssize_t ui)
{
	const struct app_env *e = c->in->env;
	ssize_t gi;
	enum plan_rc rc;

	c->gid_src = e->gid_var;
	if (e->gid_how == IDW_AUTO) {
		if ((rc = auto_id(c, false, &c->want_gid)) != PLAN_OK)
			return rc;
	} else if (e->gid_how == IDW_VALUE) {
		c->want_gid = e->gid;
	} else if (c->in->setuid) {
		c->want_gid = c->in->rgid;
		c->gid_src = "your real gid";
	} else if (ui >= 0) {
		c->want_gid = c->pw->e[ui].gid;
		c->gid_src = "the current gid";
	} else if ((gi = acctdb_find(c->gr, c->group)) >= 0) {
		c->want_gid = c->gr->e[gi].id;
		c->gid_src = "the group's gid";
	} else {
		/* useradd's habit: the same number as the uid when it is free. */
		uint32_t avoid[1] = { 0 };
		c->gid_src = "the first free gid";
		c->want_gid = acctdb_find_id(c->gr, c->want_uid) < 0 ? c->want_uid :
			plan_free_id(c->gr, c->in->defs.gid_min, c->in->defs.gid_max, avoid, 1);
		if (!c->want_gid)
			return plan_bad(c, "no free gid in %u-%u for a new application group",
				        c->in->defs.gid_min, c->in->defs.gid_max);
	}
	/* gid 0 only as OpenShift runs every arbitrary uid: the caller's own
	 * real gid in setuid mode (no gain).  The user then joins root's group
	 * (plan_place_group); nothing is remapped to or from it. */
	if (c->want_gid == 0 && !(c->in->setuid && c->in->rgid == 0))
		return plan_bad(c, "%s: gid 0 is root's group; refused", c->gid_src);
	if (c->in->setuid && c->want_gid != c->in->rgid)
		return plan_bad(c, "%s=%u: in setuid mode the application group can only take your own "
			        "gid %u; refused", c->gid_src, c->want_gid, c->in->rgid);
	return PLAN_OK;
}

/* --- step 4: the uid ----------------------------------------------------- */

/* The placeholders at the wanted uid go first (from the end: indexes
 * below stay valid). */
static enum plan_rc take_placeholders(struct plan_ctx *c, const char *self)
{
	enum plan_rc rc = PLAN_OK;

	for (size_t i = c->pw->n; i-- > 0 && rc == PLAN_OK;) {
		const struct acct_entry *u = &c->pw->e[i];
		char name[NAME_MAX_LEN + 1];

		if (!u->valid || u->id != c->want_uid || (self && !strcmp(u->f[PW_NAME], self)) ||
		    !plan_engine_placeholder(c, u))
			continue;
		snprintf(name, sizeof name, "%s", u->f[PW_NAME]);
		if ((rc = plan_remove_line(c, c->pw, i)) == PLAN_OK)
			rc = plan_note(c, "placeholder %s (uid %u, the engine's line for --user) "
				       "removed: %s takes its uid", name, c->want_uid, c->user);
	}
	return rc;
}

static enum plan_rc place_uid(struct plan_ctx *c, const char *self)
{
	enum conflict_policy pol = plan_policy(c, true);
	enum plan_rc rc = take_placeholders(c, self);

	for (size_t i = 0; i < c->pw->n && rc == PLAN_OK; i++) {
		const struct acct_entry *u = &c->pw->e[i];
		uint32_t avoid[2] = { c->want_uid, c->old_uid }, to;
		char name[NAME_MAX_LEN + 1];

		if (!u->valid || u->id != c->want_uid || (self && !strcmp(u->f[PW_NAME], self)))
			continue;
		if (pol == CONFLICT_SHARE)
			continue;
		if (pol == CONFLICT_FAIL)
			return plan_bad(c, "%s=%u belongs to user '%s' and APPLICATION_UID_CONFLICT is "
				        "fail; refused", c->uid_src, c->want_uid, u->f[PW_NAME]);
		if (defs_system_uid(&c->in->defs, u->id))
			return plan_bad(c, "%s=%u belongs to system account '%s', which is never "
				        "renumbered; set APPLICATION_UID_CONFLICT=share to share it; "
				        "refused", c->uid_src, c->want_uid, u->f[PW_NAME]);
		to = plan_free_id(c->pw, c->in->defs.uid_min, c->in->defs.uid_max, avoid, 2);
		if (!to)
			return plan_bad(c, "no free uid to move user '%s' to", u->f[PW_NAME]);
		snprintf(name, sizeof name, "%s", u->f[PW_NAME]);
		plan_moved_home(c, name, u->f[PW_DIR], &rc);
		if (rc == PLAN_OK && (rc = plan_set_id(c, c->pw, i, PW_UID, to)) == PLAN_OK)
			rc = plan_note(c, "user %s uid %u -> %u (moved: %s wants uid %u)", name,
				       c->want_uid, to, c->user, c->want_uid);
		plan_remap_add(c, JOB_MOVED, true, c->want_uid, to, &rc);
	}
	return rc;
}

/* --- step 5: the user's own line ---------------------------------------- */

/* APPLICATION_HOME, else the config's home (both canonical and not a
 * system folder: env.c, config.c), else /home/USER. */
static void wanted_home(const struct plan_ctx *c, char *out, size_t len, bool *given)
{
	const char *h = c->in->env->home ? c->in->env->home : c->in->cfg->home;

	*given = h != NULL;
	if (h)
		snprintf(out, len, "%s", h);
	else
		snprintf(out, len, "/home/%s", c->user);
}

static enum plan_rc update_user(struct plan_ctx *c, size_t ui, uint32_t gid)
{
	char home[ENV_PATH_MAX];
	bool given;
	enum plan_rc rc;

	if (c->pw->e[ui].id != c->want_uid) {
		if ((rc = plan_note(c, "%s uid %u -> %u", c->user, c->pw->e[ui].id, c->want_uid)) ||
		    (rc = plan_set_id(c, c->pw, ui, PW_UID, c->want_uid)))
			return rc;
	}
	if (c->pw->e[ui].gid != gid) {
		if ((rc = plan_note(c, "%s gid %u -> %u%s", c->user, c->pw->e[ui].gid, gid,
			            c->join ? " (joins the system group with that gid)" : "")) ||
		         (rc = plan_set_id(c, c->pw, ui, PW_GID, gid)))
			return rc;
	}
	wanted_home(c, home, sizeof home, &given);
	if (given && strcmp(c->pw->e[ui].f[PW_DIR], home)) {
		if ((rc = plan_note(c, "%s home %s -> %s", c->user, c->pw->e[ui].f[PW_DIR], home)) ||
		    (rc = plan_set_field(c, c->pw, ui, PW_DIR, home)))
			return rc;
	}
	return PLAN_OK;
}

static enum plan_rc place_user(struct plan_ctx *c, uint32_t gid)
{
	ssize_t ui = acctdb_find(c->pw, c->user);
	char home[ENV_PATH_MAX], uid_s[16], gid_s[16];
	bool given;
	enum plan_rc rc;

	if (ui < 0 && c->had_user) {	/* rename the configured user */
		ui = acctdb_find(c->pw, c->old_name);
		if ((rc = plan_set_field(c, c->pw, (size_t)ui, PW_NAME, c->user)) ||
		    (rc = plan_note(c, "user %s renamed to %s", c->old_name, c->user)))
			return rc;
	}
	if (ui >= 0)
		return update_user(c, (size_t)ui, gid);
	wanted_home(c, home, sizeof home, &given);
	snprintf(uid_s, sizeof uid_s, "%u", c->want_uid);
	snprintf(gid_s, sizeof gid_s, "%u", gid);
	{
		const char *f[7] = { c->user, "x", uid_s, gid_s, "", home, DEFAULT_SHELL };
		if ((rc = plan_add_line(c, c->pw, f)))
			return rc;
	}
	return plan_note(c, "created user %s (uid %u, gid %u, home %s)", c->user, c->want_uid, gid,
		         home);
}

/* --- step 6: shadow and gshadow ----------------------------------------- */

/* The shadow-side line of name: its own, else an orphan under the old
 * name (a rename, or a run killed between passwd and shadow), renamed. */
static enum plan_rc shadow_entry(struct plan_ctx *c, struct acct_db *db, const struct acct_db *main,
				 const char *name, const char *old, const char *const *fresh)
{
	ssize_t i = acctdb_find(db, name);

	if (i >= 0)
		return PLAN_OK;
	if (old && strcmp(old, name) && acctdb_find(main, old) < 0 &&
	    (i = acctdb_find(db, old)) >= 0)
		return plan_set_field(c, db, (size_t)i, 0, name);
	return plan_add_line(c, db, fresh);
}

static enum plan_rc place_shadow(struct plan_ctx *c)
{
	char day[24];
	enum plan_rc rc;

	snprintf(day, sizeof day, "%ld", c->in->today > 0 ? c->in->today : 0);
	if (c->in->have_shadow) {
		/* Locked password ('!'), as useradd without -p. */
		const char *f[9] = { c->user, "!", day, "0", "99999", "7", "", "", "" };
		const char *old = c->had_user && strcmp(c->old_name, c->user) ? c->old_name :
			c->base;
		if ((rc = shadow_entry(c, c->sp, c->pw, c->user, old, f)))
			return rc;
	}
	if (c->in->have_gshadow && !c->join) {
		const char *f[4] = { c->group, "!", "", "" };
		const char *old = c->old_group_name[0] ? c->old_group_name : c->base_group;
		if ((rc = shadow_entry(c, c->gs, c->gr, c->group, old, f)))
			return rc;
	}
	return PLAN_OK;
}

/* --- step 7: member lists follow a renamed user ------------------------- */

static enum plan_rc rename_members(struct plan_ctx *c)
{
	enum plan_rc rc = PLAN_OK;
	int r;

	if (!c->had_user || !strcmp(c->old_name, c->user))
		return PLAN_OK;
	for (size_t i = 0; i < c->gr->n && rc == PLAN_OK; i++)
		if (c->gr->e[i].valid &&
		    (r = acctdb_member_rename(c->gr, i, GR_MEM, c->old_name, c->user)) != 0)
			rc = plan_edit_rc(c, c->gr, r < 0 ? r : 0, NULL);
	for (size_t i = 0; i < c->gs->n && rc == PLAN_OK; i++) {
		if (!c->gs->e[i].valid)
			continue;
		for (int f = SG_ADM; f <= SG_MEM && rc == PLAN_OK; f++)
			if ((r = acctdb_member_rename(c->gs, i, f, c->old_name, c->user)) != 0)
				rc = plan_edit_rc(c, c->gs, r < 0 ? r : 0, NULL);
	}
	return rc;
}

/* --- step 9: what to remap ---------------------------------------------- */

static enum plan_rc plan_remap(struct plan_ctx *c)
{
	enum plan_rc rc = PLAN_OK;
	char canon[ENV_PATH_MAX];

	if (c->had_user) {
		plan_remap_add(c, JOB_APP, true, c->old_uid, c->want_uid, &rc);
		plan_remap_add(c, JOB_APP, false, c->old_gid, c->p->gid, &rc);
	}
	if (c->had_group && !c->join)
		plan_remap_add(c, JOB_APP, false, c->old_group_gid, c->want_gid, &rc);
	if (rc != PLAN_OK)
		return rc;
	/* A new user's home is new: nothing in it has old IDs. */
	if (c->had_user && c->old_home[0] && !path_canon(c->old_home, canon, sizeof canon) &&
	    !path_is_system(canon) && strcmp(canon, "/nonexistent"))
		plan_add_root(c, JOB_APP, canon, &rc);
	if (c->had_user && c->p->home && !path_is_system(c->p->home))
		plan_add_root(c, JOB_APP, c->p->home, &rc);
	for (size_t i = 0; i < c->in->npaths; i++)
		if (c->in->paths[i].exists)
			plan_add_root(c, JOB_APP, c->in->paths[i].path, &rc);
	return rc;
}

/* --- the whole ----------------------------------------------------------- */

static enum plan_rc remember_old(struct plan_ctx *c)
{
	ssize_t ui = acctdb_find(c->pw, c->user);

	if (ui < 0 && strcmp(c->user, c->base))
		ui = acctdb_find(c->pw, c->base);
	if (ui < 0)
		return PLAN_OK;
	if (defs_system_uid(&c->in->defs, c->pw->e[ui].id) && strcmp(c->pw->e[ui].f[PW_NAME], c->user)) {
		char b[300];
		return plan_bad(c, "the configured user '%s' is a system account (uid %u); refusing to "
			        "rename it", env_quote(c->base, b, sizeof b), c->pw->e[ui].id);
	}
	c->had_user = true;
	c->old_uid = c->pw->e[ui].id;
	c->old_gid = c->pw->e[ui].gid;
	snprintf(c->old_name, sizeof c->old_name, "%s", c->pw->e[ui].f[PW_NAME]);
	snprintf(c->old_home, sizeof c->old_home, "%s", c->pw->e[ui].f[PW_DIR]);
	return PLAN_OK;
}

static enum plan_rc run(struct plan_ctx *c)
{
	ssize_t ui;
	enum plan_rc rc;

	if ((rc = check_names(c)) || (rc = remember_old(c)))
		return rc;
	ui = c->had_user ? acctdb_find(c->pw, c->old_name) : -1;
	if ((rc = want_uid(c, ui)) || (rc = want_gid(c, ui)))
		return rc;
	if ((rc = plan_place_group(c)) || (rc = place_uid(c, c->had_user ? c->old_name : NULL)))
		return rc;
	c->p->uid = c->want_uid;
	c->p->gid = c->want_gid;
	if ((rc = place_user(c, c->want_gid)) || (rc = place_shadow(c)) ||
	    (rc = rename_members(c)) || (rc = plan_add_groups(c, c->want_gid)))
		return rc;
	ui = acctdb_find(c->pw, c->user);
	if (ui < 0)
		return PLAN_NOMEM;	/* cannot happen: place_user made it */
	if (!(c->p->user = strdup(c->user)) || !(c->p->home = strdup(c->pw->e[ui].f[PW_DIR])))
		return PLAN_NOMEM;
	{
		ssize_t gi = acctdb_find_id(c->gr, c->want_gid);
		c->p->group = strdup(c->join && gi >= 0 ? c->gr->e[gi].f[GR_NAME] : c->group);
		if (!c->p->group)
			return PLAN_NOMEM;
	}
	return plan_remap(c);
}

enum plan_rc plan_make(const struct plan_in *in, struct acct_db db[4], struct plan *p,
		       char *err, size_t errlen)
{
	struct plan_ctx c = {
		.in = in, .pw = &db[ACCT_PASSWD], .gr = &db[ACCT_GROUP],
		.sp = &db[ACCT_SHADOW], .gs = &db[ACCT_GSHADOW], .p = p,
		.err = err, .errlen = errlen,
	};
	enum plan_rc rc;

	memset(p, 0, sizeof *p);
	rc = run(&c);
	if (rc == PLAN_NOMEM)
		snprintf(err, errlen, "out of memory");
	if (rc != PLAN_OK)
		plan_free(p);
	return rc;
}

void plan_free(struct plan *p)
{
	free(p->user);
	free(p->group);
	free(p->home);
	for (size_t i = 0; i < p->nlines; i++)
		free(p->lines[i]);
	for (size_t i = 0; i < p->nskips; i++)
		free(p->skips[i]);
	for (int j = 0; j < PLAN_JOBS; j++)
		remap_job_free(&p->jobs[j]);
	memset(p, 0, sizeof *p);
}

void remap_job_free(struct remap_job *j)
{
	for (size_t i = 0; i < j->nroots; i++)
		free(j->roots[i]);
	memset(j, 0, sizeof *j);
}

bool plan_changes_files(const struct plan *p)
{
	return p->dirty[0] || p->dirty[1] || p->dirty[2] || p->dirty[3];
}

bool plan_remaps(const struct plan *p)
{
	for (int j = 0; j < PLAN_JOBS; j++)
		if ((p->jobs[j].map.nuid || p->jobs[j].map.ngid) && p->jobs[j].nroots)
			return true;
	return false;
}


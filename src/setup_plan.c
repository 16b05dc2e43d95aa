/* setup_plan.c — see setup_plan.h.  The steps of plan_make(), in order:
 * names → wanted IDs → primary group (collisions) → uid (collisions) →
 * the user's own line → shadow/gshadow → member lists → supplementary
 * groups → remap table.  Everything is decided on the parsed files; an
 * error anywhere discards the edited copies, so nothing is half-applied. */
#include "setup_plan.h"
#include "acctdb.h"
#include "ids.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ctx {
	const struct plan_in *in;
	struct acct_db *pw, *gr, *sp, *gs;
	struct plan *p;
	char *err;
	size_t errlen;
	const char *base, *base_group;	/* the configured names */
	const char *user, *group;	/* the wanted names */
	const char *uid_src, *gid_src;	/* what chose the IDs, for messages */
	uint32_t want_uid, want_gid;
	bool had_user, had_group;
	uint32_t old_uid, old_gid, old_group_gid;
	char old_name[NAME_MAX_LEN + 1];
	char old_home[ENV_PATH_MAX];
	char old_group_name[NAME_MAX_LEN + 1];	/* before a group rename */
	bool join;		/* primary gid is a system group's: no own group */
};

static enum plan_rc bad(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static enum plan_rc bad(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return PLAN_INVALID;
}

static enum plan_rc note(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static enum plan_rc note(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	if (c->p->nlines == PLAN_MAX_LINES)
		return PLAN_OK;	/* the files still change; the log is capped */
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return PLAN_NOMEM;
	c->p->lines[c->p->nlines++] = s;
	return PLAN_OK;
}

static const char *q(const char *v, char *buf, size_t len) { return env_quote(v, buf, len); }

/* --- edits: each marks its file dirty; errors name the file ------------ */

static const char *const file_names[4] = { "/etc/passwd", "/etc/group", "/etc/shadow",
					   "/etc/gshadow" };

static enum plan_rc edit_rc(struct ctx *c, struct acct_db *db, int rc, const char *why)
{
	if (rc == -ENOMEM)
		return PLAN_NOMEM;
	if (rc < 0)
		return bad(c, "refusing to write an invalid line to %s: %s", file_names[db->kind],
			   why ? why : "invalid value");
	c->p->dirty[db->kind] = true;
	return PLAN_OK;
}

static enum plan_rc set_field(struct ctx *c, struct acct_db *db, size_t i, int f, const char *v)
{
	const char *why = NULL;
	return edit_rc(c, db, acctdb_set(db, i, f, v, &why), why);
}

static enum plan_rc set_id(struct ctx *c, struct acct_db *db, size_t i, int f, uint32_t id)
{
	char buf[16];
	snprintf(buf, sizeof buf, "%u", id);
	return set_field(c, db, i, f, buf);
}

static enum plan_rc add_line(struct ctx *c, struct acct_db *db, const char *const *fields)
{
	const char *why = NULL;
	return edit_rc(c, db, acctdb_add(db, fields, NULL, &why), why);
}

static enum plan_rc member_add(struct ctx *c, struct acct_db *db, ssize_t i, int f,
			       const char *user, bool *added)
{
	int rc = i < 0 ? 0 : acctdb_member_add(db, (size_t)i, f, user);
	if (rc == 1)
		*added = true;
	return rc < 0 ? edit_rc(c, db, rc, NULL) : rc == 1 ? edit_rc(c, db, 0, NULL) : PLAN_OK;
}

/* --- step 1: names ------------------------------------------------------ */

static bool system_uid(const struct ctx *c, uint32_t id)
{
	return defs_system_uid(&c->in->defs, id);
}

static bool system_gid(const struct ctx *c, uint32_t id)
{
	return defs_system_gid(&c->in->defs, id);
}

/* An existing system account is never taken over as the application
 * user (APPLICATION_USER=www-data would renumber it), unless it is the
 * configured application user itself, or APPLICATION_UID names the very
 * uid it has (a host uid below UID_MIN, macOS's 501, on a restart). */
static enum plan_rc check_names(struct ctx *c)
{
	const struct app_env *e = c->in->env;
	const struct config *cfg = c->in->cfg;
	char b1[300];
	ssize_t i;

	c->base = cfg->user ? cfg->user : DEFAULT_APP_NAME;
	c->base_group = cfg->group ? cfg->group : c->base;
	c->user = e->user ? e->user : c->base;
	c->group = e->group ? e->group : cfg->group ? cfg->group : c->user;
	if (!strcmp(c->user, "root") || !strcmp(c->group, "root"))
		return bad(c, "the application user or group is root (from %s); refused",
			   e->user || e->group ? "the environment" : "/etc/appuser.conf");
	i = acctdb_find(c->pw, c->user);
	if (i >= 0 && strcmp(c->user, c->base) && system_uid(c, c->pw->e[i].id) &&
	    !(e->uid_how == IDW_VALUE && e->uid == c->pw->e[i].id))
		return bad(c, "APPLICATION_USER='%s': an existing system account (uid %u); refused",
			   q(c->user, b1, sizeof b1), c->pw->e[i].id);
	i = acctdb_find(c->gr, c->group);
	if (i >= 0 && strcmp(c->group, c->base_group) && system_gid(c, c->gr->e[i].id) &&
	    !(e->gid_how == IDW_VALUE && e->gid == c->gr->e[i].id))
		return bad(c, "APPLICATION_GROUP='%s': an existing system group (gid %u); to make "
			   "it the primary group set APPLICATION_GID=%u; refused",
			   q(c->group, b1, sizeof b1), c->gr->e[i].id, c->gr->e[i].id);
	return PLAN_OK;
}

/* --- step 2: the wanted IDs --------------------------------------------- */

/* First ID in [lo, hi] that no entry of db uses and that is not one of
 * the avoid[] IDs; 0 when there is none. */
static uint32_t free_id(const struct acct_db *db, uint32_t lo, uint32_t hi,
			const uint32_t *avoid, size_t navoid)
{
	size_t span = (size_t)(hi - lo) + 1;
	unsigned char *used;
	uint32_t found = 0;

	if (hi < lo || span > (1u << 24))
		return 0;
	used = calloc(span, 1);
	if (!used)
		return 0;
	for (size_t i = 0; i < db->n; i++)
		if (db->e[i].valid && db->e[i].id >= lo && db->e[i].id <= hi)
			used[db->e[i].id - lo] = 1;
	for (size_t i = 0; i < navoid; i++)
		if (avoid[i] >= lo && avoid[i] <= hi)
			used[avoid[i] - lo] = 1;
	for (size_t i = 0; i < span && !found; i++)
		if (!used[i])
			found = lo + (uint32_t)i;
	free(used);
	return found;
}

static const struct path_fact *first_path(const struct ctx *c)
{
	for (size_t i = 0; i < c->in->npaths; i++)
		if (c->in->paths[i].exists)
			return &c->in->paths[i];
	return NULL;
}

/* `auto`: the owner of the first APPLICATION_PATH (the mounted source). */
static enum plan_rc auto_id(struct ctx *c, bool uid, uint32_t *out)
{
	const char *var = uid ? c->in->env->uid_var : c->in->env->gid_var;
	const struct path_fact *f = first_path(c);
	char b[300];

	if (!f)
		return bad(c, "%s='auto': no APPLICATION_PATH (nor config paths, nor /app) to "
			   "take the owner from", var);
	*out = uid ? f->uid : f->gid;
	if (*out == 0)
		return bad(c, "%s='auto': %s is owned by %s 0 (root); refusing a root-equivalent "
			   "application %s", var, q(f->path, b, sizeof b), uid ? "uid" : "gid",
			   uid ? "user" : "group");
	return PLAN_OK;
}

static enum plan_rc want_uid(struct ctx *c, ssize_t ui)
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
		c->want_uid = free_id(c->pw, c->in->defs.uid_min, c->in->defs.uid_max, avoid, 1);
		c->uid_src = "the first free uid";
		if (!c->want_uid)
			return bad(c, "no free uid in %u-%u for a new application user",
				   c->in->defs.uid_min, c->in->defs.uid_max);
	}
	if (c->want_uid == 0)
		return bad(c, "%s: uid 0 is root; refused", c->uid_src);
	if (c->in->setuid && c->want_uid != c->in->ruid)
		return bad(c, "%s=%u: in setuid mode the application user can only take your own "
			   "uid %u; refused", c->uid_src, c->want_uid, c->in->ruid);
	if (c->in->cfg->have_uid_range &&
	    (c->want_uid < c->in->cfg->uid_min || c->want_uid > c->in->cfg->uid_max))
		return bad(c, "%s=%u is outside uid_range %u-%u of /etc/appuser.conf; refused",
			   c->uid_src, c->want_uid, c->in->cfg->uid_min, c->in->cfg->uid_max);
	return PLAN_OK;
}

static enum plan_rc want_gid(struct ctx *c, ssize_t ui)
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
			free_id(c->gr, c->in->defs.gid_min, c->in->defs.gid_max, avoid, 1);
		if (!c->want_gid)
			return bad(c, "no free gid in %u-%u for a new application group",
				   c->in->defs.gid_min, c->in->defs.gid_max);
	}
	if (c->want_gid == 0)
		return bad(c, "%s: gid 0 is root's group; refused", c->gid_src);
	if (c->in->setuid && c->want_gid != c->in->rgid)
		return bad(c, "%s=%u: in setuid mode the application group can only take your own "
			   "gid %u; refused", c->gid_src, c->want_gid, c->in->rgid);
	return PLAN_OK;
}

static enum conflict_policy policy(const struct ctx *c, bool uid)
{
	const struct app_env *e = c->in->env;
	const char *conf = uid ? c->in->cfg->uid_conflict : c->in->cfg->gid_conflict;
	enum conflict_policy p = uid ? e->uid_conflict : e->gid_conflict;

	if (p == CONFLICT_UNSET && conf)
		(void)conflict_parse(conf, &p);
	return p == CONFLICT_UNSET ? CONFLICT_MOVE : p;
}

static void add_root(struct ctx *c, int job, const char *path, enum plan_rc *rc)
{
	struct remap_job *j = &c->p->jobs[job];

	for (size_t i = 0; i < j->nroots; i++)
		if (!strcmp(j->roots[i], path))
			return;
	if (j->nroots == PLAN_MAX_ROOTS)
		return;
	if (!(j->roots[j->nroots] = strdup(path)))
		*rc = PLAN_NOMEM;
	else
		j->nroots++;
}

/* A renumbered account's files move with it, under its own home; in
 * setuid mode only the config's paths and the home are ever walked. */
static void moved_home(struct ctx *c, const char *home, enum plan_rc *rc)
{
	char canon[ENV_PATH_MAX];

	if (!c->in->setuid && !path_canon(home, canon, sizeof canon) && !path_is_system(canon) &&
	    strcmp(canon, "/nonexistent"))
		add_root(c, JOB_MOVED, canon, rc);
}

/* --- step 3: the primary group ------------------------------------------ */

static void remap_add(struct ctx *c, int job, bool uid, uint32_t from, uint32_t to,
		      enum plan_rc *rc)
{
	struct remap_map *m = &c->p->jobs[job].map;
	size_t *n = uid ? &m->nuid : &m->ngid;
	uint32_t *f = uid ? m->uid_from : m->gid_from, *t = uid ? m->uid_to : m->gid_to;

	if (from == to)
		return;
	for (size_t i = 0; i < *n; i++)
		if (f[i] == from)
			return;
	if (*n == REMAP_MAX) {
		*rc = bad(c, "more than %d IDs would change at once; refused", REMAP_MAX);
		return;
	}
	f[*n] = from;
	t[*n] = to;
	(*n)++;
}

/* The group named like the old user (or configured) that the user had as
 * primary group follows a rename of the user: usermod -l + groupmod -n. */
static ssize_t group_to_rename(struct ctx *c)
{
	ssize_t gi;

	if (!c->had_user)
		return -1;
	gi = acctdb_find_id(c->gr, c->old_gid);
	if (gi < 0 || system_gid(c, c->gr->e[gi].id))
		return -1;
	if (strcmp(c->gr->e[gi].f[GR_NAME], c->old_name) &&
	    strcmp(c->gr->e[gi].f[GR_NAME], c->base_group))
		return -1;
	return gi;
}

/* Renumber a non-system group out of the way, with the users whose
 * primary group it is. */
static enum plan_rc move_group(struct ctx *c, size_t hi)
{
	uint32_t avoid[2] = { c->want_gid, c->old_gid }, from = c->gr->e[hi].id, to;
	char name[NAME_MAX_LEN + 1];
	enum plan_rc rc = PLAN_OK;

	to = free_id(c->gr, c->in->defs.gid_min, c->in->defs.gid_max, avoid, 2);
	if (!to)
		return bad(c, "no free gid to move group '%s' to", c->gr->e[hi].f[GR_NAME]);
	snprintf(name, sizeof name, "%s", c->gr->e[hi].f[GR_NAME]);
	if ((rc = set_id(c, c->gr, hi, GR_GID, to)) != PLAN_OK ||
	    (rc = note(c, "group %s gid %u -> %u (moved: %s wants gid %u)", name, from, to,
		       c->user, from)) != PLAN_OK)
		return rc;
	for (size_t i = 0; i < c->pw->n && rc == PLAN_OK; i++) {
		const struct acct_entry *u = &c->pw->e[i];
		if (!u->valid || u->gid != from || !strcmp(u->f[PW_NAME], c->had_user ?
							    c->old_name : c->user))
			continue;
		if ((rc = note(c, "%s gid %u -> %u (its group moved)", u->f[PW_NAME], from, to)) ==
		    PLAN_OK)
			rc = set_id(c, c->pw, i, PW_GID, to);
		moved_home(c, u->f[PW_DIR], &rc);
	}
	remap_add(c, JOB_MOVED, false, from, to, &rc);
	return rc;
}

static enum plan_rc place_group(struct ctx *c)
{
	ssize_t gi = acctdb_find(c->gr, c->group), holder = -1;
	enum conflict_policy pol = policy(c, false);
	enum plan_rc rc;

	if (gi < 0 && (gi = group_to_rename(c)) >= 0) {
		char old[NAME_MAX_LEN + 1];
		snprintf(old, sizeof old, "%s", c->gr->e[gi].f[GR_NAME]);
		snprintf(c->old_group_name, sizeof c->old_group_name, "%s", old);
		if ((rc = set_field(c, c->gr, (size_t)gi, GR_NAME, c->group)) != PLAN_OK ||
		    (rc = note(c, "group %s renamed to %s", old, c->group)) != PLAN_OK)
			return rc;
	}
	c->had_group = gi >= 0;
	c->old_group_gid = gi >= 0 ? c->gr->e[gi].id : 0;
	if (gi >= 0 && c->gr->e[gi].id == c->want_gid)
		return PLAN_OK;
	for (size_t i = 0; i < c->gr->n && holder < 0; i++)
		if (c->gr->e[i].valid && c->gr->e[i].id == c->want_gid && (ssize_t)i != gi)
			holder = (ssize_t)i;
	if (holder >= 0 && gi < 0 && c->had_user && c->old_gid == c->want_gid) {
		/* The user already has this primary group under another name:
		 * keep it rather than make a second group with its gid. */
		c->join = true;
		return PLAN_OK;
	}
	if (holder >= 0) {
		const char *hn = c->gr->e[holder].f[GR_NAME];
		bool sys = system_gid(c, c->want_gid);
		if (pol == CONFLICT_FAIL)
			return bad(c, "%s=%u belongs to group '%s' and APPLICATION_GID_CONFLICT is "
				   "fail; refused", c->gid_src, c->want_gid, hn);
		if (pol == CONFLICT_MOVE && sys) {
			/* Join the system group (macOS staff = 20, Debian dialout). */
			c->join = true;
			return PLAN_OK;
		}
		if (pol == CONFLICT_MOVE && (rc = move_group(c, (size_t)holder)) != PLAN_OK)
			return rc;
	}
	if (gi >= 0) {
		uint32_t from = c->gr->e[gi].id;
		if ((rc = set_id(c, c->gr, (size_t)gi, GR_GID, c->want_gid)) != PLAN_OK ||
		    (rc = note(c, "group %s gid %u -> %u", c->group, from, c->want_gid)) != PLAN_OK)
			return rc;
		remap_add(c, JOB_APP, false, from, c->want_gid, &rc);
		return rc;
	}
	{
		char gid[16];
		const char *f[4] = { c->group, "x", gid, "" };
		snprintf(gid, sizeof gid, "%u", c->want_gid);
		if ((rc = add_line(c, c->gr, f)) != PLAN_OK)
			return rc;
		return note(c, "created group %s (gid %u)", c->group, c->want_gid);
	}
}

/* --- step 4: the uid ----------------------------------------------------- */

static enum plan_rc place_uid(struct ctx *c, const char *self)
{
	enum conflict_policy pol = policy(c, true);
	enum plan_rc rc = PLAN_OK;

	for (size_t i = 0; i < c->pw->n && rc == PLAN_OK; i++) {
		const struct acct_entry *u = &c->pw->e[i];
		uint32_t avoid[2] = { c->want_uid, c->old_uid }, to;
		char name[NAME_MAX_LEN + 1];

		if (!u->valid || u->id != c->want_uid || (self && !strcmp(u->f[PW_NAME], self)))
			continue;
		if (pol == CONFLICT_SHARE)
			continue;
		if (pol == CONFLICT_FAIL)
			return bad(c, "%s=%u belongs to user '%s' and APPLICATION_UID_CONFLICT is "
				   "fail; refused", c->uid_src, c->want_uid, u->f[PW_NAME]);
		if (system_uid(c, u->id))
			return bad(c, "%s=%u belongs to system account '%s', which is never "
				   "renumbered; set APPLICATION_UID_CONFLICT=share to share it; "
				   "refused", c->uid_src, c->want_uid, u->f[PW_NAME]);
		to = free_id(c->pw, c->in->defs.uid_min, c->in->defs.uid_max, avoid, 2);
		if (!to)
			return bad(c, "no free uid to move user '%s' to", u->f[PW_NAME]);
		snprintf(name, sizeof name, "%s", u->f[PW_NAME]);
		moved_home(c, u->f[PW_DIR], &rc);
		if ((rc = set_id(c, c->pw, i, PW_UID, to)) == PLAN_OK)
			rc = note(c, "user %s uid %u -> %u (moved: %s wants uid %u)", name,
				  c->want_uid, to, c->user, c->want_uid);
		remap_add(c, JOB_MOVED, true, c->want_uid, to, &rc);
	}
	return rc;
}

/* --- step 5: the user's own line ---------------------------------------- */

static enum plan_rc wanted_home(struct ctx *c, char *out, size_t len, bool *given)
{
	const char *h = c->in->env->home ? c->in->env->home : c->in->cfg->home;
	const char *why;
	char b[300];

	*given = h != NULL;
	if (!h) {
		snprintf(out, len, "/home/%s", c->user);
		return PLAN_OK;
	}
	if ((why = path_canon(h, out, len)))
		return bad(c, "home '%s' in /etc/appuser.conf: %s", q(h, b, sizeof b), why);
	if (path_is_system(out))
		return bad(c, "home '%s' in /etc/appuser.conf is a system folder; refused",
			   q(h, b, sizeof b));
	return PLAN_OK;
}

static enum plan_rc update_user(struct ctx *c, size_t ui, uint32_t gid)
{
	char home[ENV_PATH_MAX];
	bool given;
	enum plan_rc rc;

	if (c->pw->e[ui].id != c->want_uid) {
		if ((rc = note(c, "%s uid %u -> %u", c->user, c->pw->e[ui].id, c->want_uid)) ||
		    (rc = set_id(c, c->pw, ui, PW_UID, c->want_uid)))
			return rc;
	}
	if (c->pw->e[ui].gid != gid) {
		if ((rc = note(c, "%s gid %u -> %u%s", c->user, c->pw->e[ui].gid, gid,
			       c->join ? " (joins the system group with that gid)" : "")) ||
		    (rc = set_id(c, c->pw, ui, PW_GID, gid)))
			return rc;
	}
	if ((rc = wanted_home(c, home, sizeof home, &given)))
		return rc;
	if (given && strcmp(c->pw->e[ui].f[PW_DIR], home)) {
		if ((rc = note(c, "%s home %s -> %s", c->user, c->pw->e[ui].f[PW_DIR], home)) ||
		    (rc = set_field(c, c->pw, ui, PW_DIR, home)))
			return rc;
	}
	return PLAN_OK;
}

static enum plan_rc place_user(struct ctx *c, uint32_t gid)
{
	ssize_t ui = acctdb_find(c->pw, c->user);
	char home[ENV_PATH_MAX], uid_s[16], gid_s[16];
	bool given;
	enum plan_rc rc;

	if (ui < 0 && c->had_user) {	/* rename the configured user */
		ui = acctdb_find(c->pw, c->old_name);
		if ((rc = set_field(c, c->pw, (size_t)ui, PW_NAME, c->user)) ||
		    (rc = note(c, "user %s renamed to %s", c->old_name, c->user)))
			return rc;
	}
	if (ui >= 0)
		return update_user(c, (size_t)ui, gid);
	if ((rc = wanted_home(c, home, sizeof home, &given)))
		return rc;
	snprintf(uid_s, sizeof uid_s, "%u", c->want_uid);
	snprintf(gid_s, sizeof gid_s, "%u", gid);
	{
		const char *f[7] = { c->user, "x", uid_s, gid_s, "", home, DEFAULT_SHELL };
		if ((rc = add_line(c, c->pw, f)))
			return rc;
	}
	return note(c, "created user %s (uid %u, gid %u, home %s)", c->user, c->want_uid, gid,
		    home);
}

/* --- step 6: shadow and gshadow ----------------------------------------- */

/* The shadow-side line of name: its own, else an orphan under the old
 * name (a rename, or a run killed between passwd and shadow), renamed. */
static enum plan_rc shadow_entry(struct ctx *c, struct acct_db *db, const struct acct_db *main,
				 const char *name, const char *old, const char *const *fresh)
{
	ssize_t i = acctdb_find(db, name);

	if (i >= 0)
		return PLAN_OK;
	if (old && strcmp(old, name) && acctdb_find(main, old) < 0 &&
	    (i = acctdb_find(db, old)) >= 0)
		return set_field(c, db, (size_t)i, 0, name);
	return add_line(c, db, fresh);
}

static enum plan_rc place_shadow(struct ctx *c)
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

static enum plan_rc rename_members(struct ctx *c)
{
	enum plan_rc rc = PLAN_OK;
	int r;

	if (!c->had_user || !strcmp(c->old_name, c->user))
		return PLAN_OK;
	for (size_t i = 0; i < c->gr->n && rc == PLAN_OK; i++)
		if (c->gr->e[i].valid &&
		    (r = acctdb_member_rename(c->gr, i, GR_MEM, c->old_name, c->user)) != 0)
			rc = edit_rc(c, c->gr, r < 0 ? r : 0, NULL);
	for (size_t i = 0; i < c->gs->n && rc == PLAN_OK; i++) {
		if (!c->gs->e[i].valid)
			continue;
		for (int f = SG_ADM; f <= SG_MEM && rc == PLAN_OK; f++)
			if ((r = acctdb_member_rename(c->gs, i, f, c->old_name, c->user)) != 0)
				rc = edit_rc(c, c->gs, r < 0 ? r : 0, NULL);
	}
	return rc;
}

/* --- step 8: APPLICATION_GROUPS ----------------------------------------- */

static const struct path_fact *gpath(const struct ctx *c, const char *path)
{
	for (size_t i = 0; i < c->in->ngpaths; i++)
		if (!strcmp(c->in->gpaths[i].path, path))
			return &c->in->gpaths[i];
	return NULL;
}

/* The group a path's owner gid names, created as appuser-gNNN if none. */
static enum plan_rc group_for_path(struct ctx *c, const char *path, ssize_t *gi)
{
	const struct path_fact *f = gpath(c, path);
	char b[300], name[32], gid[16];
	enum plan_rc rc;

	if (!f || !f->exists)
		return bad(c, "APPLICATION_GROUPS: '%s' does not exist", q(path, b, sizeof b));
	if (f->gid == 0)
		return bad(c, "APPLICATION_GROUPS: '%s' belongs to gid 0 (root's group); refusing "
			   "to add the application user to it", q(path, b, sizeof b));
	if ((*gi = acctdb_find_id(c->gr, f->gid)) >= 0)
		return PLAN_OK;
	snprintf(name, sizeof name, "appuser-g%u", f->gid);
	snprintf(gid, sizeof gid, "%u", f->gid);
	{
		const char *fg[4] = { name, "x", gid, "" };
		const char *fs[4] = { name, "!", "", "" };
		if ((rc = add_line(c, c->gr, fg)) ||
		    (c->in->have_gshadow && acctdb_find(c->gs, name) < 0 &&
		     (rc = add_line(c, c->gs, fs))) ||
		    (rc = note(c, "created group %s (gid %u) for %s", name, f->gid,
			       q(path, b, sizeof b))))
			return rc;
	}
	*gi = acctdb_find(c->gr, name);
	return PLAN_OK;
}

static enum plan_rc add_groups(struct ctx *c, uint32_t primary)
{
	const struct app_env *e = c->in->env;
	enum plan_rc rc = PLAN_OK;
	char b[300];

	for (size_t k = 0; k < e->ngroups && rc == PLAN_OK; k++) {
		const char *g = e->groups[k];
		ssize_t gi = -1;
		bool added = false;
		char name[NAME_MAX_LEN + 1];

		if (g[0] == '/') {
			if ((rc = group_for_path(c, g, &gi)))
				return rc;
		} else if ((gi = acctdb_find(c->gr, g)) < 0) {
			return bad(c, "APPLICATION_GROUPS: group '%s' not found in /etc/group",
				   q(g, b, sizeof b));
		}
		if (c->gr->e[gi].id == 0)
			return bad(c, "APPLICATION_GROUPS: '%s' is root's group (gid 0); refused",
				   q(g, b, sizeof b));
		if (c->gr->e[gi].id == primary)
			continue;
		snprintf(name, sizeof name, "%s", c->gr->e[gi].f[GR_NAME]);
		if ((rc = member_add(c, c->gr, gi, GR_MEM, c->user, &added)))
			return rc;
		if (c->in->have_gshadow &&
		    (rc = member_add(c, c->gs, acctdb_find(c->gs, name), SG_MEM, c->user, &added)))
			return rc;
		if (added)
			rc = note(c, "%s added to group %s (gid %u)", c->user, name,
				  c->gr->e[acctdb_find(c->gr, name)].id);
	}
	return rc;
}

/* --- step 9: what to remap ---------------------------------------------- */

static enum plan_rc plan_remap(struct ctx *c)
{
	enum plan_rc rc = PLAN_OK;
	char canon[ENV_PATH_MAX];

	if (c->had_user) {
		remap_add(c, JOB_APP, true, c->old_uid, c->want_uid, &rc);
		remap_add(c, JOB_APP, false, c->old_gid, c->p->gid, &rc);
	}
	if (c->had_group && !c->join)
		remap_add(c, JOB_APP, false, c->old_group_gid, c->want_gid, &rc);
	if (rc != PLAN_OK)
		return rc;
	/* A new user's home is new: nothing in it has old IDs. */
	if (c->had_user && c->old_home[0] && !path_canon(c->old_home, canon, sizeof canon) &&
	    !path_is_system(canon) && strcmp(canon, "/nonexistent"))
		add_root(c, JOB_APP, canon, &rc);
	if (c->had_user && c->p->home && !path_is_system(c->p->home))
		add_root(c, JOB_APP, c->p->home, &rc);
	for (size_t i = 0; i < c->in->npaths; i++)
		if (c->in->paths[i].exists)
			add_root(c, JOB_APP, c->in->paths[i].path, &rc);
	return rc;
}

/* --- the whole ----------------------------------------------------------- */

static enum plan_rc remember_old(struct ctx *c)
{
	ssize_t ui = acctdb_find(c->pw, c->user);

	if (ui < 0 && strcmp(c->user, c->base))
		ui = acctdb_find(c->pw, c->base);
	if (ui < 0)
		return PLAN_OK;
	if (system_uid(c, c->pw->e[ui].id) && strcmp(c->pw->e[ui].f[PW_NAME], c->user)) {
		char b[300];
		return bad(c, "the configured user '%s' is a system account (uid %u); refusing to "
			   "rename it", q(c->base, b, sizeof b), c->pw->e[ui].id);
	}
	c->had_user = true;
	c->old_uid = c->pw->e[ui].id;
	c->old_gid = c->pw->e[ui].gid;
	snprintf(c->old_name, sizeof c->old_name, "%s", c->pw->e[ui].f[PW_NAME]);
	snprintf(c->old_home, sizeof c->old_home, "%s", c->pw->e[ui].f[PW_DIR]);
	return PLAN_OK;
}

static enum plan_rc run(struct ctx *c)
{
	ssize_t ui;
	enum plan_rc rc;

	if ((rc = check_names(c)) || (rc = remember_old(c)))
		return rc;
	ui = c->had_user ? acctdb_find(c->pw, c->old_name) : -1;
	if ((rc = want_uid(c, ui)) || (rc = want_gid(c, ui)))
		return rc;
	if ((rc = place_group(c)) || (rc = place_uid(c, c->had_user ? c->old_name : NULL)))
		return rc;
	c->p->uid = c->want_uid;
	c->p->gid = c->want_gid;
	if ((rc = place_user(c, c->want_gid)) || (rc = place_shadow(c)) ||
	    (rc = rename_members(c)) || (rc = add_groups(c, c->want_gid)))
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
	struct ctx c = {
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

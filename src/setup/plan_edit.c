/* setup/plan_edit.c — the planner's shared helpers (setup/plan_edit.h):
 * messages, edits of the parsed files, free IDs, remap bookkeeping. */
#include "setup/plan_edit.h"

#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum plan_rc plan_bad(struct plan_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return PLAN_INVALID;
}

enum plan_rc plan_note(struct plan_ctx *c, const char *fmt, ...)
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


/* --- edits: each marks its file dirty; errors name the file ------------ */

enum plan_rc plan_edit_rc(struct plan_ctx *c, struct acct_db *db, int rc, const char *why)
{
	if (rc == -ENOMEM)
		return PLAN_NOMEM;
	if (rc < 0)
		return plan_bad(c, "refusing to write an invalid line to /etc/%s: %s",
				acct_file_name(db->kind),
			        why ? why : "invalid value");
	c->p->dirty[db->kind] = true;
	return PLAN_OK;
}

enum plan_rc plan_set_field(struct plan_ctx *c, struct acct_db *db, size_t i, int f, const char *v)
{
	const char *why = NULL;
	return plan_edit_rc(c, db, acctdb_set(db, i, f, v, &why), why);
}

enum plan_rc plan_set_id(struct plan_ctx *c, struct acct_db *db, size_t i, int f, uint32_t id)
{
	return plan_edit_rc(c, db, acctdb_set_id(db, i, f, id), NULL);
}

enum plan_rc plan_add_line(struct plan_ctx *c, struct acct_db *db, const char *const *fields)
{
	const char *why = NULL;
	return plan_edit_rc(c, db, acctdb_add(db, fields, NULL, &why), why);
}

enum plan_rc plan_remove_line(struct plan_ctx *c, struct acct_db *db, size_t i)
{
	return plan_edit_rc(c, db, acctdb_remove(db, i), NULL);
}

enum plan_rc plan_member_add(struct plan_ctx *c, struct acct_db *db, ssize_t i, int f,
			            const char *user, bool *added)
{
	int rc = i < 0 ? 0 : acctdb_member_add(db, (size_t)i, f, user);
	if (rc == 1)
		*added = true;
	return rc < 0 ? plan_edit_rc(c, db, rc, NULL) : rc == 1 ? plan_edit_rc(c, db, 0, NULL) : PLAN_OK;
}

/* First ID in [lo, hi] that no entry of db uses and that is not one of
 * the avoid[] IDs; 0 when there is none. */
uint32_t plan_free_id(const struct acct_db *db, uint32_t lo, uint32_t hi,
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

enum conflict_policy plan_policy(const struct plan_ctx *c, bool uid)
{
	const struct app_env *e = c->in->env;
	const char *conf = uid ? c->in->cfg->uid_conflict : c->in->cfg->gid_conflict;
	enum conflict_policy p = uid ? e->uid_conflict : e->gid_conflict;

	if (p == CONFLICT_UNSET && conf)
		(void)conflict_parse(conf, &p);
	return p == CONFLICT_UNSET ? CONFLICT_MOVE : p;
}

void plan_add_root(struct plan_ctx *c, int job, const char *path, enum plan_rc *rc)
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

/* One line about something left alone on purpose (the same line once). */
enum plan_rc plan_skip(struct plan_ctx *c, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return PLAN_NOMEM;
	for (size_t i = 0; i < c->p->nskips; i++)
		if (!strcmp(c->p->skips[i], s)) {
			free(s);
			return PLAN_OK;
		}
	if (c->p->nskips == PLAN_MAX_SKIPS)
		free(s);
	else
		c->p->skips[c->p->nskips++] = s;
	return PLAN_OK;
}

/* a is b, or lies inside it (both canonical). */
static bool path_within(const char *a, const char *b)
{
	size_t n = strlen(b);

	return !strncmp(a, b, n) && (a[n] == '\0' || a[n] == '/' || (n == 1 && b[0] == '/'));
}

/* The folder of the application's that home is, lies in or holds: a
 * configured path (APPLICATION_PATH, the config's paths, /app), or the
 * application user's home, old or wanted.  NULL when none. */
static const char *app_folder_at(const struct plan_ctx *c, const char *home, char *buf,
				 size_t len)
{
	const char *homes[3] = {
		c->in->env->home ? c->in->env->home : c->in->cfg->home,
		c->had_user ? c->old_home : NULL,
		NULL,
	};

	for (size_t i = 0; i < c->in->npaths; i++)
		if (!path_canon(c->in->paths[i].path, buf, len) &&
		    (path_within(home, buf) || path_within(buf, home)))
			return c->in->paths[i].path;
	if (!homes[0] && !c->had_user) {
		snprintf(buf, len, "/home/%s", c->user);
		homes[0] = buf;
	}
	for (size_t i = 0; i < 2; i++)
		if (homes[i] && homes[i][0] == '/' && !path_canon(homes[i], buf, len) &&
		    (path_within(home, buf) || path_within(buf, home)))
			return homes[i];
	return NULL;
}

/* A renumbered account's files move with it, under its own home; in
 * setuid mode only the config's paths and the home are ever walked.  Never
 * a home that is, holds or lies in a folder of the application's: podman
 * --userns=keep-id writes the host user as NAME:*:1000:1000::/app:/bin/sh,
 * images do `useradd -d /app`, and /app is the developer's checkout, whose
 * files would all go to the moved uid (issue 11 §5).  A home that is a
 * mount point is left alone when the walk starts (setup/apply.c). */
void plan_moved_home(struct plan_ctx *c, const char *user, const char *home, enum plan_rc *rc)
{
	char canon[ENV_PATH_MAX], buf[ENV_PATH_MAX];
	const char *app;

	if (c->in->setuid || path_canon(home, canon, sizeof canon) || path_is_system(canon) ||
	    !strcmp(canon, "/nonexistent"))
		return;
	if ((app = app_folder_at(c, canon, buf, sizeof buf))) {
		enum plan_rc r = plan_skip(c, "user %s moves, but its home %s is not remapped: %s "
					   "the application's folder %s (maybe the host's checkout), "
					   "so the files there keep their owner", user, canon,
					   path_within(canon, buf) && path_within(buf, canon) ? "it is" :
					   path_within(canon, buf) ? "it lies in" : "it holds", app);
		if (r != PLAN_OK)
			*rc = r;
		return;
	}
	plan_add_root(c, JOB_MOVED, canon, rc);
}

void plan_remap_add(struct plan_ctx *c, int job, bool uid, uint32_t from, uint32_t to,
		           enum plan_rc *rc)
{
	struct remap_map *m = &c->p->jobs[job].map;
	size_t *n = uid ? &m->nuid : &m->ngid;
	uint32_t *f = uid ? m->uid_from : m->gid_from, *t = uid ? m->uid_to : m->gid_to;

	/* Never take files away from root (uid 0) or root's group (gid 0):
	 * an OpenShift-style user in group 0 that moves to gid 20 must not
	 * hand every root:root file under its folders to group 20 (the
	 * red-team's /app/var -> /var case).  Nor give any to them: a user
	 * that joins OpenShift's group 0 leaves its files' group as it was.
	 * The account still changes. */
	if (from == to || from == 0 || to == 0)
		return;
	for (size_t i = 0; i < *n; i++)
		if (f[i] == from)
			return;
	if (*n == REMAP_MAX) {
		*rc = plan_bad(c, "more than %d IDs would change at once; refused", REMAP_MAX);
		return;
	}
	f[*n] = from;
	t[*n] = to;
	(*n)++;
}

/* The line a container engine writes for an unknown --user uid: podman's
 * "UID:*:UID:GID:container user:WORKDIR:/bin/sh", or with --userns=keep-id
 * the host user's "NAME:*:UID:GID:GECOS:HOME:/bin/sh".  Recognised by what
 * useradd never writes: password field "*" and no shadow entry, with
 * podman's /bin/sh.  Only in setuid mode and only at the caller's own
 * uid may the application user take it over: the line goes, the user
 * gets the uid, and the placeholder's home (often the WORKDIR, /app) is
 * not remapped, since nothing of it moves. */
bool plan_engine_placeholder(const struct plan_ctx *c, const struct acct_entry *u)
{
	return c->in->setuid && u->id == c->in->ruid && !strcmp(u->f[PW_PASSWD], "*") &&
	       !strcmp(u->f[PW_SHELL], "/bin/sh") &&
	       (!c->in->have_shadow || acctdb_find(c->sp, u->f[PW_NAME]) < 0);
}

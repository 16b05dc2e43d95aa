/* setup/plan_group.c — the planner's group steps: the application user's
 * primary group (found, renamed after the user, created, renumbered; a
 * holder of the wanted gid moved away, shared or joined) and the extra
 * groups of APPLICATION_GROUPS. */
#include "setup/plan_group.h"

#include <stdio.h>
#include <string.h>

/* The group named like the old user (or configured) that the user had as
 * primary group follows a rename of the user: usermod -l + groupmod -n. */
static ssize_t group_to_rename(struct plan_ctx *c)
{
	ssize_t gi;

	if (!c->had_user)
		return -1;
	gi = acctdb_find_id(c->gr, c->old_gid);
	if (gi < 0 || defs_system_gid(&c->in->defs, c->gr->e[gi].id))
		return -1;
	if (strcmp(c->gr->e[gi].f[GR_NAME], c->old_name) &&
	    strcmp(c->gr->e[gi].f[GR_NAME], c->base_group))
		return -1;
	return gi;
}

/* Renumber a non-system group out of the way, with the users whose
 * primary group it is. */
static enum plan_rc move_group(struct plan_ctx *c, size_t hi)
{
	uint32_t avoid[2] = { c->want_gid, c->old_gid }, from = c->gr->e[hi].id, to;
	char name[NAME_MAX_LEN + 1];
	enum plan_rc rc = PLAN_OK;

	to = plan_free_id(c->gr, c->in->defs.gid_min, c->in->defs.gid_max, avoid, 2);
	if (!to)
		return plan_bad(c, "no free gid to move group '%s' to", c->gr->e[hi].f[GR_NAME]);
	snprintf(name, sizeof name, "%s", c->gr->e[hi].f[GR_NAME]);
	if ((rc = plan_set_id(c, c->gr, hi, GR_GID, to)) != PLAN_OK ||
	    (rc = plan_note(c, "group %s gid %u -> %u (moved: %s wants gid %u)", name, from, to,
		            c->user, from)) != PLAN_OK)
		return rc;
	for (size_t i = 0; i < c->pw->n && rc == PLAN_OK; i++) {
		const struct acct_entry *u = &c->pw->e[i];
		if (!u->valid || u->gid != from || !strcmp(u->f[PW_NAME], c->had_user ?
							    c->old_name : c->user))
			continue;
		if ((rc = plan_note(c, "%s gid %u -> %u (its group moved)", u->f[PW_NAME], from, to)) ==
		    PLAN_OK)
			rc = plan_set_id(c, c->pw, i, PW_GID, to);
		plan_moved_home(c, u->f[PW_NAME], u->f[PW_DIR], &rc);
	}
	plan_remap_add(c, JOB_MOVED, false, from, to, &rc);
	return rc;
}

/* Find the application group, renaming the user's personal group when the
 * user is renamed.  Returns its index or -1. */
static ssize_t find_group(struct plan_ctx *c, enum plan_rc *rc)
{
	ssize_t gi = acctdb_find(c->gr, c->group);
	char old[NAME_MAX_LEN + 1];

	*rc = PLAN_OK;
	if (gi >= 0 || (gi = group_to_rename(c)) < 0)
		return gi;
	snprintf(old, sizeof old, "%s", c->gr->e[gi].f[GR_NAME]);
	snprintf(c->old_group_name, sizeof c->old_group_name, "%s", old);
	if ((*rc = plan_set_field(c, c->gr, (size_t)gi, GR_NAME, c->group)) == PLAN_OK)
		*rc = plan_note(c, "group %s renamed to %s", old, c->group);
	return gi;
}

/* Another group holds the wanted gid: the policy decides.  Sets c->join
 * when the user should simply take that group as its primary group. */
static enum plan_rc resolve_holder(struct plan_ctx *c, ssize_t gi, size_t holder)
{
	enum conflict_policy pol = plan_policy(c, false);

	if (gi < 0 && c->had_user && c->old_gid == c->want_gid) {
		/* The user already has this primary group under another name:
		 * keep it rather than make a second group with its gid. */
		c->join = true;
		return PLAN_OK;
	}
	if (pol == CONFLICT_FAIL)
		return plan_bad(c, "%s=%u belongs to group '%s' and APPLICATION_GID_CONFLICT is "
				"fail; refused", c->gid_src, c->want_gid, c->gr->e[holder].f[GR_NAME]);
	if (pol == CONFLICT_SHARE)
		return PLAN_OK;
	if (defs_system_gid(&c->in->defs, c->want_gid)) {
		/* Join the system group (macOS staff = 20, Debian dialout). */
		c->join = true;
		return PLAN_OK;
	}
	return move_group(c, holder);
}

/* With --userns=keep-id podman also appends "NAME:x:GID:NAME" for the
 * host user's gid when the image has none: the group of a placeholder user
 * line (plan_engine_placeholder) at the wanted uid and gid, named after it,
 * listing nobody else, without a gshadow entry.  It goes with that line
 * (take_placeholders, step 4), and the application group takes its gid;
 * moved instead, it would list a user that no longer exists. */
static enum plan_rc take_placeholder_group(struct plan_ctx *c)
{
	enum plan_rc rc = PLAN_OK;

	for (size_t i = c->gr->n; i-- > 0 && rc == PLAN_OK;) {
		const struct acct_entry *g = &c->gr->e[i];
		const char *name = g->f[GR_NAME], *mem = g->f[GR_MEM];
		char copy[NAME_MAX_LEN + 1];
		ssize_t ui;

		if (!g->valid || g->id != c->want_gid || !strcmp(name, c->group) ||
		    (*mem && strcmp(mem, name)) ||
		    (c->in->have_gshadow && acctdb_find(c->gs, name) >= 0) ||
		    (ui = acctdb_find(c->pw, name)) < 0 || c->pw->e[ui].id != c->want_uid ||
		    c->pw->e[ui].gid != c->want_gid || !plan_engine_placeholder(c, &c->pw->e[ui]))
			continue;
		snprintf(copy, sizeof copy, "%s", name);
		if ((rc = plan_remove_line(c, c->gr, i)) == PLAN_OK)
			rc = plan_note(c, "placeholder group %s (gid %u, the engine's line for "
				       "--userns=keep-id) removed: %s takes its gid", copy, c->want_gid,
				       c->group);
	}
	return rc;
}

enum plan_rc plan_place_group(struct plan_ctx *c)
{
	enum plan_rc rc = c->in->setuid ? take_placeholder_group(c) : PLAN_OK;
	ssize_t gi;
	char gid[16];

	if (rc != PLAN_OK)
		return rc;
	gi = find_group(c, &rc);
	if (rc != PLAN_OK)
		return rc;
	c->had_group = gi >= 0;
	c->old_group_gid = gi >= 0 ? c->gr->e[gi].id : 0;
	if (gi >= 0 && c->gr->e[gi].id == c->want_gid)
		return PLAN_OK;
	if (c->want_gid == 0) {
		/* OpenShift's group 0: join root's group whatever the policy;
		 * never a second group with gid 0, never renumber to it. */
		c->join = true;
		return PLAN_OK;
	}
	for (size_t i = 0; i < c->gr->n; i++)
		if (c->gr->e[i].valid && c->gr->e[i].id == c->want_gid && (ssize_t)i != gi) {
			if ((rc = resolve_holder(c, gi, i)) != PLAN_OK || c->join)
				return rc;
			break;
		}
	if (gi >= 0) {
		uint32_t from = c->gr->e[gi].id;
		if ((rc = plan_set_id(c, c->gr, (size_t)gi, GR_GID, c->want_gid)) != PLAN_OK ||
		    (rc = plan_note(c, "group %s gid %u -> %u", c->group, from, c->want_gid)))
			return rc;
		plan_remap_add(c, JOB_APP, false, from, c->want_gid, &rc);
		return rc;
	}
	snprintf(gid, sizeof gid, "%u", c->want_gid);
	if ((rc = plan_add_line(c, c->gr, (const char *[]){ c->group, "x", gid, "" })))
		return rc;
	return plan_note(c, "created group %s (gid %u)", c->group, c->want_gid);
}

/* --- step 8: APPLICATION_GROUPS ----------------------------------------- */

static const struct path_fact *gpath(const struct plan_ctx *c, const char *path)
{
	for (size_t i = 0; i < c->in->ngpaths; i++)
		if (!strcmp(c->in->gpaths[i].path, path))
			return &c->in->gpaths[i];
	return NULL;
}

/* Setuid mode: may the caller name this group?  Only when it holds it. */
static bool caller_holds(const struct plan_ctx *c, uint32_t gid)
{
	if (gid == c->in->rgid)
		return true;
	for (size_t i = 0; i < c->in->nheld; i++)
		if (c->in->held[i] == gid)
			return true;
	return false;
}

/* The group a path's owner gid names, created as appuser-gNNN if none. */
static enum plan_rc group_for_path(struct plan_ctx *c, const char *path, ssize_t *gi)
{
	const struct path_fact *f = gpath(c, path);
	char b[300], name[32], gid[16];
	enum plan_rc rc;

	/* First, and in one message: a setuid caller must learn neither
	 * whether a path it cannot reach exists nor its group (the path was
	 * looked at as root). */
	if (c->in->setuid && (!f || !f->exists || !caller_holds(c, f->gid)))
		return plan_bad(c, "APPLICATION_GROUPS: the group of '%s' is not one you hold (or "
			        "there is no such path); in setuid mode only a group the runtime "
			        "gave you (--group-add, fsGroup) may be named; refused",
			        env_quote(path, b, sizeof b));
	if (!f || !f->exists)
		return plan_bad(c, "APPLICATION_GROUPS: '%s' does not exist", env_quote(path, b, sizeof b));
	if (f->gid == 0)
		return plan_bad(c, "APPLICATION_GROUPS: '%s' belongs to gid 0 (root's group); refusing "
			        "to add the application user to it", env_quote(path, b, sizeof b));
	if ((*gi = acctdb_find_id(c->gr, f->gid)) >= 0)
		return PLAN_OK;
	snprintf(name, sizeof name, "appuser-g%u", f->gid);
	snprintf(gid, sizeof gid, "%u", f->gid);
	{
		const char *fg[4] = { name, "x", gid, "" };
		const char *fs[4] = { name, "!", "", "" };
		if ((rc = plan_add_line(c, c->gr, fg)) ||
		    (c->in->have_gshadow && acctdb_find(c->gs, name) < 0 &&
		     (rc = plan_add_line(c, c->gs, fs))) ||
		    (rc = plan_note(c, "created group %s (gid %u) for %s", name, f->gid,
			            env_quote(path, b, sizeof b))))
			return rc;
	}
	*gi = acctdb_find(c->gr, name);
	return PLAN_OK;
}

enum plan_rc plan_add_groups(struct plan_ctx *c, uint32_t primary)
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
			return plan_bad(c, "APPLICATION_GROUPS: group '%s' not found in /etc/group",
				        env_quote(g, b, sizeof b));
		}
		if (c->gr->e[gi].id == 0)
			return plan_bad(c, "APPLICATION_GROUPS: '%s' is root's group (gid 0); refused",
				        env_quote(g, b, sizeof b));
		if (c->in->setuid && !caller_holds(c, c->gr->e[gi].id))
			return plan_bad(c, "APPLICATION_GROUPS: group '%s' is not one you hold; in "
				        "setuid mode only a group the runtime gave you (--group-add, "
				        "fsGroup) may be named; refused", env_quote(g, b, sizeof b));
		if (c->gr->e[gi].id == primary)
			continue;
		snprintf(name, sizeof name, "%s", c->gr->e[gi].f[GR_NAME]);
		if ((rc = plan_member_add(c, c->gr, gi, GR_MEM, c->user, &added)))
			return rc;
		if (c->in->have_gshadow &&
		    (rc = plan_member_add(c, c->gs, acctdb_find(c->gs, name), SG_MEM, c->user, &added)))
			return rc;
		if (added)
			rc = plan_note(c, "%s added to group %s (gid %u)", c->user, name,
				       c->gr->e[acctdb_find(c->gr, name)].id);
	}
	return rc;
}


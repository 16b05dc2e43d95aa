/* exec/groups.c — see exec/groups.h. */
#include "exec/groups.h"

#include <errno.h>

/* Root mode: is gid one of root's own groups rather than the runtime's? */
static bool callers_own(const struct caller *c, const struct acct_db *pw,
			const struct acct_db *gr, uint32_t gid)
{
	const struct acct_entry *me = acct_find_id(pw, c->ruid);
	const struct acct_entry *g;

	if (gid == 0 || gid == c->rgid)
		return true;
	if (!me)
		return false;
	for (size_t i = 0; i < gr->n; i++) {
		g = &gr->e[i];
		if (g->valid && g->id == gid && acct_group_has_member(g, me->f[PW_NAME]))
			return true;
	}
	return false;
}

int runtime_groups_add(const struct caller *c, const struct acct_db *pw,
		       const struct acct_db *gr, struct target *t)
{
	if (c->mode == MODE_UNPRIV)
		return 0;
	for (size_t i = 0; i < c->ngroups; i++) {
		uint32_t gid = c->groups[i];

		if (c->mode == MODE_ROOT && callers_own(c, pw, gr, gid))
			continue;
		if (!target_add_group(t, gid))
			return -ENOMEM;
	}
	return 0;
}

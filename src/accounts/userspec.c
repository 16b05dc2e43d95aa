/* accounts/userspec.c — see accounts/userspec.h.  Modelled on gosu 1.14 (runc's
 * user.GetExecUser), measured against Debian's gosu in the tests; unlike
 * su-exec and setpriv, out-of-range numbers are refused, never wrapped. */
#include "accounts/userspec.h"
#include "ids.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void target_free(struct target *t)
{
	free(t->groups);
	free(t->home);
	free(t->name);
	memset(t, 0, sizeof *t);
}

bool target_add_group(struct target *t, uint32_t gid)
{
	uint32_t *ng;

	for (size_t i = 0; i < t->ngroups; i++)
		if (t->groups[i] == gid)
			return true;
	if (t->ngroups >= TARGET_MAX_GROUPS)
		return true;	/* kernel limit; extra memberships are dropped */
	ng = realloc(t->groups, (t->ngroups + 1) * sizeof *ng);
	if (!ng)
		return false;
	t->groups = ng;
	t->groups[t->ngroups++] = gid;
	return true;
}

/* A field that is either an ID or a name.  True for a valid one (*numeric
 * says which; *id is set for a number), false for an out-of-range number
 * or an invalid name. */
static bool classify(const char *s, uint32_t *id, bool *numeric)
{
	enum id_parse r = id_parse(s, id);

	*numeric = (r == ID_OK);
	if (r == ID_RANGE)
		return false;
	if (r == ID_OK)
		return true;
	return name_invalid(s) == NULL;
}

enum userspec_err userspec_resolve(const char *spec, const struct acct_db *pw,
				   const struct acct_db *gr, uint32_t caller_uid,
				   uint32_t caller_gid, struct target *t,
				   char *err, size_t errlen)
{
	char userbuf[256];
	const char *colon = strchr(spec, ':');
	const char *grouparg = colon ? colon + 1 : "";
	const struct acct_entry *pe = NULL;
	size_t ul = colon ? (size_t)(colon - spec) : strlen(spec);
	bool unum = false, gnum = false, matched = false;
	uint32_t uid = 0, gid = 0;
	char dummy[1];

	if (!err) {
		err = dummy;
		errlen = sizeof dummy;
	}
	memset(t, 0, sizeof *t);
	if (ul >= sizeof userbuf) {
		snprintf(err, errlen, "user '%.32s...' is not a valid name or ID", spec);
		return US_BAD_USER;
	}
	memcpy(userbuf, spec, ul);
	userbuf[ul] = '\0';

	t->uid = caller_uid;
	t->gid = caller_gid;

	/* The user part. */
	if (ul && !classify(userbuf, &uid, &unum)) {
		snprintf(err, errlen, "user '%s' is not a valid name or ID (0..4294967294)", userbuf);
		return US_BAD_USER;
	}
	if (!ul)
		pe = acct_find_id(pw, caller_uid);
	else if (unum)
		pe = acct_find_id(pw, uid);
	else
		pe = acct_find_name(pw, userbuf);
	if (pe) {
		t->uid = pe->id;
		t->gid = pe->gid;
		t->home = strdup(*pe->f[PW_DIR] ? pe->f[PW_DIR] : "/");
		t->name = strdup(pe->f[PW_NAME]);
		if (!t->home || !t->name)
			goto nomem;
		matched = true;
	} else if (ul && !unum) {
		snprintf(err, errlen, "user '%s' not found in /etc/passwd", userbuf);
		return US_NO_USER;
	} else if (ul) {
		t->uid = uid;
	}
	if (!t->home && !(t->home = strdup("/")))
		goto nomem;

	/* The group part: explicit group → only that group. */
	if (*grouparg) {
		const struct acct_entry *ge;

		if (!classify(grouparg, &gid, &gnum)) {
			snprintf(err, errlen, "group '%.64s' is not a valid name or ID (0..4294967294)",
				 grouparg);
			target_free(t);
			return US_BAD_GROUP;
		}
		ge = gnum ? acct_find_id(gr, gid) : acct_find_name(gr, grouparg);
		if (ge)
			t->gid = ge->id;
		else if (gnum)
			t->gid = gid;
		else {
			snprintf(err, errlen, "group '%.64s' not found in /etc/group", grouparg);
			target_free(t);
			return US_NO_GROUP;
		}
		if (!target_add_group(t, t->gid))
			goto nomem;
		return US_OK;
	}

	/* No explicit group: primary gid, plus every group that lists the
	 * matched user as a member (gosu: only when a passwd entry matched). */
	if (!target_add_group(t, t->gid))
		goto nomem;
	if (matched)
		for (size_t i = 0; i < gr->n; i++)
			if (gr->e[i].valid && acct_group_has_member(&gr->e[i], t->name) &&
			    !target_add_group(t, gr->e[i].id))
				goto nomem;
	return US_OK;
nomem:
	snprintf(err, errlen, "out of memory");
	target_free(t);
	return US_NOMEM;
}

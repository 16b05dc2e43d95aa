/* accounts/userspec.h — USER-SPEC resolution with gosu's rules (DESIGN §2).
 *
 *   user        that user's uid, primary gid, home, and the supplementary
 *               groups the group file lists it in
 *   uid         numeric is always an ID; unknown uid → caller's gid, HOME=/
 *   user:group  only that group
 *   :group      caller's uid with that group
 *   user:       as "user"
 *   ""          the caller itself (its passwd entry if any)
 *
 * Pure: works on parsed files and the caller's IDs. */
#ifndef APPUSER_ACCOUNTS_USERSPEC_H
#define APPUSER_ACCOUNTS_USERSPEC_H

#include "accounts/line.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TARGET_MAX_GROUPS 65536

struct target {
	uint32_t uid, gid;
	uint32_t *groups;	/* setgroups list: gid first, no duplicates */
	size_t ngroups;
	char *home;		/* never NULL after a successful resolve */
	char *name;		/* passwd name, or NULL when the uid has no entry */
};

enum userspec_err {
	US_OK = 0,
	US_NOMEM,
	US_BAD_USER,		/* not a valid name nor an ID */
	US_BAD_GROUP,
	US_NO_USER,		/* name not in passwd */
	US_NO_GROUP,		/* name not in group */
};

/* err (may be NULL) gets a one-line reason naming the value and file. */
enum userspec_err userspec_resolve(const char *spec, const struct acct_db *pw,
				   const struct acct_db *gr, uint32_t caller_uid,
				   uint32_t caller_gid, struct target *t,
				   char *err, size_t errlen);
void target_free(struct target *t);
/* Add gid to t's groups unless it is there; false when out of memory. */
bool target_add_group(struct target *t, uint32_t gid);

#endif

/* accounts/edit.h — editing and serialising passwd, group, shadow and gshadow on
 * top of the line model of accounts/line.h (DESIGN §5).
 *
 * Pure code.  An edit rebuilds only the line it touches; every other line
 * is written back exactly as it was read, so serialising an unedited db
 * reproduces the file byte for byte.  Everything written is validated
 * first: names per name_invalid(), no ':', newline or other control
 * character in any field (passwd field injection, CVE-2023-29383), IDs
 * decimal 0..4294967294.  A rejected edit leaves the db unchanged. */
#ifndef APPUSER_ACCOUNTS_EDIT_H
#define APPUSER_ACCOUNTS_EDIT_H

#include "accounts/line.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* gshadow fields: name, password, administrators, members. */
enum { SG_NAME, SG_PASSWD, SG_ADM, SG_MEM };
/* shadow fields. */
enum { SP_NAME, SP_PASSWD, SP_LSTCHG, SP_MIN, SP_MAX, SP_WARN, SP_INACT, SP_EXPIRE, SP_FLAG };

/* NULL when v may be written in a field, else a short reason. */
const char *acct_field_invalid(const char *v);
/* Validate a whole entry of kind (nf fields): field rules above, the name,
 * numeric IDs for passwd and group, member lists of valid names. */
const char *acct_entry_invalid(enum acct_kind kind, const char *const *f, int nf);

/* Index of the first valid entry named name, or -1. */
ssize_t acctdb_find(const struct acct_db *db, const char *name);
/* Index of the first valid entry with that id (passwd uid / group gid), or -1. */
ssize_t acctdb_find_id(const struct acct_db *db, uint32_t id);

/* Replace field `field` of valid entry i.  Returns 0, -EINVAL (invalid
 * value; *why says why when why is not NULL) or -ENOMEM. */
int acctdb_set(struct acct_db *db, size_t i, int field, const char *value, const char **why);
int acctdb_set_id(struct acct_db *db, size_t i, int field, uint32_t id);

/* Add an entry (acct_fields_for(kind) fields) before the first NIS "+"/"-"
 * line, as shadow's commonio does, else at the end.  Returns 0, -EINVAL
 * or -ENOMEM; *idx (may be NULL) gets the new entry's index. */
int acctdb_add(struct acct_db *db, const char *const *fields, size_t *idx, const char **why);

/* Remove entry i (its line).  Returns 0 or -EINVAL. */
int acctdb_remove(struct acct_db *db, size_t i);

/* Member lists (group GR_MEM, gshadow SG_MEM/SG_ADM): add user when it
 * is not listed; rename old to new where it is.  Return 1 when the line
 * changed, 0 when not, or -errno. */
int acctdb_member_add(struct acct_db *db, size_t i, int field, const char *user);
int acctdb_member_rename(struct acct_db *db, size_t i, int field, const char *oldn,
			 const char *newn);

/* The file's new content.  Returns 0 or -ENOMEM. */
int acctdb_serialize(const struct acct_db *db, char **buf, size_t *len);

#endif

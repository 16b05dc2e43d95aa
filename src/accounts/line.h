/* accounts/line.h — the line model of passwd, group, shadow and gshadow.
 *
 * Pure code: text in, structures out.  Every line is kept as it was read
 * (bytes, missing final newline and all) so that a writer can reproduce
 * untouched lines byte for byte (DESIGN §5).  Lines that are not a valid
 * entry — comments, blank lines, NIS "+"/"-" lines, wrong field counts,
 * bad IDs — are kept but never matched by a lookup. */
#ifndef APPUSER_ACCOUNTS_LINE_H
#define APPUSER_ACCOUNTS_LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum acct_kind { ACCT_PASSWD, ACCT_GROUP, ACCT_SHADOW, ACCT_GSHADOW };
#define ACCT_KINDS 4

/* The file's name in the etc folder ("passwd", ...): the one table. */
const char *acct_file_name(enum acct_kind kind);

#define ACCT_MAX_FIELDS 9
/* Refuse files larger than this: bounded memory whatever /etc holds. */
#define ACCT_MAX_FILE (64u << 20)

struct acct_entry {
	char *raw;		/* the line as read, without '\n'; may hold NULs
				 * (NULL in an acct_parse_view() db) */
	size_t rawlen;
	bool nl;		/* the line ended with '\n' */
	bool valid;		/* parsed as an entry of the file's kind */
	int nf;			/* number of fields (valid entries only) */
	char *f[ACCT_MAX_FIELDS]; /* fields, NUL-terminated, in the same memory as raw */
	uint32_t id;		/* passwd: uid; group: gid */
	uint32_t gid;		/* passwd: primary gid */
	char *own;		/* raw and f of an entry made by acct_entry_set(), freed by
				 * acct_entry_free(); NULL for a parsed line (db's text) */
};

struct acct_db {
	enum acct_kind kind;
	struct acct_entry *e;
	size_t n, cap;
	char *text;		/* acct_parse(): raw lines and fields of all entries, one
				 * block; acct_parse_view(): the file as read */
};

/* Field indexes. */
enum { PW_NAME, PW_PASSWD, PW_UID, PW_GID, PW_GECOS, PW_DIR, PW_SHELL };
enum { GR_NAME, GR_PASSWD, GR_GID, GR_MEM };

/* Parse a whole file.  Returns 0, or -ENOMEM / -EFBIG. */
int acct_parse(enum acct_kind kind, const char *buf, size_t len, struct acct_db *db);
void acct_free(struct acct_db *db);

/* For lookups only: parse buf (malloc'd, len + 1 bytes) in place, no copy.
 * db owns buf from here on, also on failure; its entries have no raw line
 * (raw is NULL), so it cannot be written back.  Returns as acct_parse(). */
int acct_parse_view(enum acct_kind kind, char *buf, size_t len, struct acct_db *db);

/* Parse one line into e (copies it).  Returns 0 or -ENOMEM. */
int acct_entry_set(enum acct_kind kind, struct acct_entry *e, const char *line, size_t len, bool nl);
void acct_entry_free(struct acct_entry *e);

/* First valid entry with that name / that id (first match wins, as in
 * getpwnam and runc's user package), or NULL. */
const struct acct_entry *acct_find_name(const struct acct_db *db, const char *name);
const struct acct_entry *acct_find_id(const struct acct_db *db, uint32_t id);

/* group: is user listed in the member field? */
bool acct_group_has_member(const struct acct_entry *g, const char *user);

int acct_fields_for(enum acct_kind kind);

#endif

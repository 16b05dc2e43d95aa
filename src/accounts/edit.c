/* accounts/edit.c — see accounts/edit.h. */
#include "accounts/edit.h"
#include "ids.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *acct_field_invalid(const char *v)
{
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p == ':')
			return "contains ':'";
		if (*p == '\n' || *p == '\r')
			return "contains a line break";
		if (*p < 0x20 || *p == 0x7f)
			return "contains a control character";
	}
	return NULL;
}

/* A comma-separated list of valid names; empty is fine. */
static const char *members_invalid(const char *v)
{
	char name[NAME_MAX_LEN + 2];

	while (*v) {
		const char *c = strchrnul(v, ',');
		size_t l = (size_t)(c - v);
		if (l == 0 || l > NAME_MAX_LEN)
			return "has an empty or over-long member name";
		memcpy(name, v, l);
		name[l] = '\0';
		if (name_invalid(name))
			return "has an invalid member name";
		v = *c ? c + 1 : c;
	}
	return NULL;
}

static bool is_id(const char *s)
{
	uint32_t id;
	return id_parse(s, &id) == ID_OK;
}

/* The rule for field `field` of an entry of kind. */
static const char *field_rule(enum acct_kind kind, int field, const char *v)
{
	const char *why = acct_field_invalid(v);

	if (why)
		return why;
	if (field == 0)
		return name_invalid(v);
	switch (kind) {
	case ACCT_PASSWD:
		if ((field == PW_UID || field == PW_GID) && !is_id(v))
			return "is not an ID in 0..4294967294";
		break;
	case ACCT_GROUP:
		if (field == GR_GID && !is_id(v))
			return "is not an ID in 0..4294967294";
		if (field == GR_MEM)
			return members_invalid(v);
		break;
	case ACCT_GSHADOW:
		if (field == SG_ADM || field == SG_MEM)
			return members_invalid(v);
		break;
	case ACCT_SHADOW:
		break;
	}
	return NULL;
}

const char *acct_entry_invalid(enum acct_kind kind, const char *const *f, int nf)
{
	const char *why;

	if (nf != acct_fields_for(kind))
		return "has the wrong number of fields";
	for (int i = 0; i < nf; i++)
		if ((why = field_rule(kind, i, f[i])))
			return why;
	return NULL;
}

ssize_t acctdb_find(const struct acct_db *db, const char *name)
{
	const struct acct_entry *e = acct_find_name(db, name);
	return e ? e - db->e : -1;
}

ssize_t acctdb_find_id(const struct acct_db *db, uint32_t id)
{
	const struct acct_entry *e = acct_find_id(db, id);
	return e ? e - db->e : -1;
}

/* Join fields with ':' into a new line and parse it into out. */
static int build(enum acct_kind kind, const char *const *f, int nf, bool nl,
		 struct acct_entry *out)
{
	size_t len = 0, o = 0;
	char *line;
	int rc;

	for (int i = 0; i < nf; i++)
		len += strlen(f[i]) + 1;
	line = malloc(len);
	if (!line)
		return -ENOMEM;
	for (int i = 0; i < nf; i++) {
		size_t l = strlen(f[i]);
		memcpy(line + o, f[i], l);
		o += l;
		if (i < nf - 1)
			line[o++] = ':';
	}
	rc = acct_entry_set(kind, out, line, o, nl);
	free(line);
	if (rc == 0 && !out->valid) {
		acct_entry_free(out);
		return -EINVAL;
	}
	return rc;
}

/* Field `field` of entry i, or NULL when there is no such field. */
static const char *field_at(const struct acct_db *db, size_t i, int field)
{
	if (i >= db->n || !db->e[i].valid || field < 0 || field >= db->e[i].nf)
		return NULL;
	return db->e[i].f[field];
}

int acctdb_set(struct acct_db *db, size_t i, int field, const char *value, const char **why)
{
	struct acct_entry *e, ne;
	const char *f[ACCT_MAX_FIELDS], *bad;
	int rc;

	if (!field_at(db, i, field))
		return -EINVAL;
	e = &db->e[i];
	for (int k = 0; k < e->nf; k++)
		f[k] = e->f[k];
	f[field] = value;
	/* Only the new value is judged: the other fields are written back
	 * as they were read. */
	if ((bad = field_rule(db->kind, field, value))) {
		if (why)
			*why = bad;
		return -EINVAL;
	}
	rc = build(db->kind, f, e->nf, e->nl, &ne);
	if (rc < 0)
		return rc;
	acct_entry_free(e);
	*e = ne;
	return 0;
}

int acctdb_set_id(struct acct_db *db, size_t i, int field, uint32_t id)
{
	char buf[16];

	if (id > ID_MAX)
		return -EINVAL;
	snprintf(buf, sizeof buf, "%u", id);
	return acctdb_set(db, i, field, buf, NULL);
}

static bool is_nis(const struct acct_entry *e)
{
	return e->rawlen > 0 && (e->raw[0] == '+' || e->raw[0] == '-');
}

static int grow(struct acct_db *db)
{
	struct acct_entry *ne;
	size_t nc;

	if (db->n < db->cap)
		return 0;
	nc = db->cap ? db->cap * 2 : 16;
	ne = realloc(db->e, nc * sizeof *ne);
	if (!ne)
		return -ENOMEM;
	db->e = ne;
	db->cap = nc;
	return 0;
}

int acctdb_add(struct acct_db *db, const char *const *fields, size_t *idx, const char **why)
{
	int nf = acct_fields_for(db->kind);
	const char *bad = acct_entry_invalid(db->kind, fields, nf);
	struct acct_entry ne;
	size_t at;
	int rc;

	if (bad) {
		if (why)
			*why = bad;
		return -EINVAL;
	}
	if ((rc = grow(db)) < 0 || (rc = build(db->kind, fields, nf, true, &ne)) < 0)
		return rc;
	for (at = 0; at < db->n && !is_nis(&db->e[at]); at++)
		;
	/* A last line without '\n' gets one, or the new line would join it. */
	if (at == db->n && at > 0)
		db->e[at - 1].nl = true;
	memmove(&db->e[at + 1], &db->e[at], (db->n - at) * sizeof *db->e);
	db->e[at] = ne;
	db->n++;
	if (idx)
		*idx = at;
	return 0;
}

int acctdb_remove(struct acct_db *db, size_t i)
{
	if (i >= db->n)
		return -EINVAL;
	acct_entry_free(&db->e[i]);
	memmove(&db->e[i], &db->e[i + 1], (db->n - i - 1) * sizeof *db->e);
	db->n--;
	return 0;
}

/* Position of name in a comma list, or NULL. */
static const char *member_pos(const char *list, const char *name, size_t *len)
{
	size_t nl = strlen(name);

	for (const char *p = list; *p;) {
		const char *c = strchrnul(p, ',');
		if ((size_t)(c - p) == nl && !memcmp(p, name, nl)) {
			*len = nl;
			return p;
		}
		p = *c ? c + 1 : c;
	}
	return NULL;
}

/* Replace a member list with v (malloc'd, or NULL when out of memory).
 * Returns 1 (changed) or -errno. */
static int set_members(struct acct_db *db, size_t i, int field, char *v)
{
	int rc;

	if (!v)
		return -ENOMEM;
	rc = acctdb_set(db, i, field, v, NULL);
	free(v);
	return rc < 0 ? rc : 1;
}

int acctdb_member_add(struct acct_db *db, size_t i, int field, const char *user)
{
	const char *cur = field_at(db, i, field);
	char *v;
	size_t l;

	if (!cur)
		return -EINVAL;
	if (member_pos(cur, user, &l))
		return 0;
	return set_members(db, i, field,
			   asprintf(&v, "%s%s%s", cur, *cur ? "," : "", user) < 0 ? NULL : v);
}

int acctdb_member_rename(struct acct_db *db, size_t i, int field, const char *oldn,
			 const char *newn)
{
	const char *cur = field_at(db, i, field), *pos;
	char *v;
	size_t l;

	if (!cur)
		return -EINVAL;
	pos = member_pos(cur, oldn, &l);
	if (!pos)
		return 0;
	return set_members(db, i, field, asprintf(&v, "%.*s%s%s", (int)(pos - cur), cur, newn,
						    pos + l) < 0 ? NULL : v);
}

int acctdb_serialize(const struct acct_db *db, char **bufp, size_t *lenp)
{
	size_t len = 0, o = 0;
	char *buf;

	for (size_t i = 0; i < db->n; i++)
		len += db->e[i].rawlen + (db->e[i].nl ? 1 : 0);
	buf = malloc(len + 1);
	if (!buf)
		return -ENOMEM;
	for (size_t i = 0; i < db->n; i++) {
		memcpy(buf + o, db->e[i].raw, db->e[i].rawlen);
		o += db->e[i].rawlen;
		if (db->e[i].nl)
			buf[o++] = '\n';
	}
	buf[o] = '\0';
	*bufp = buf;
	*lenp = o;
	return 0;
}

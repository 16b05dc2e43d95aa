/* accounts/line.c — see accounts/line.h. */
#include "accounts/line.h"
#include "ids.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *acct_file_name(enum acct_kind kind)
{
	static const char *const names[ACCT_KINDS] = {
		[ACCT_PASSWD] = "passwd", [ACCT_GROUP] = "group",
		[ACCT_SHADOW] = "shadow", [ACCT_GSHADOW] = "gshadow",
	};

	return (unsigned)kind < ACCT_KINDS ? names[kind] : "";
}

int acct_fields_for(enum acct_kind kind)
{
	switch (kind) {
	case ACCT_PASSWD: return 7;
	case ACCT_GROUP: return 4;
	case ACCT_SHADOW: return 9;
	case ACCT_GSHADOW: return 4;
	}
	return 0;
}

void acct_entry_free(struct acct_entry *e)
{
	free(e->own);
	memset(e, 0, sizeof *e);
}

/* Split f[0] (the line, a copy or the read buffer) on ':' and check it is
 * an entry of this kind; a line holding a NUL never is. */
static void parse_fields(enum acct_kind kind, struct acct_entry *e, bool has_nul)
{
	int want = acct_fields_for(kind);
	char *p = e->f[0];
	int nf = 1;

	for (char *q; (q = strchr(p, ':')); p = q + 1) {
		if (nf == want) {
			nf++;	/* too many fields */
			break;
		}
		*q = '\0';
		e->f[nf++] = q + 1;
	}
	if (nf != want || has_nul)
		return;
	/* NIS compat lines (+name, -name, +) and comments are not entries. */
	if (e->f[0][0] == '\0' || e->f[0][0] == '+' || e->f[0][0] == '-' || e->f[0][0] == '#')
		return;
	if (kind == ACCT_PASSWD) {
		if (id_parse(e->f[PW_UID], &e->id) != ID_OK ||
		    id_parse(e->f[PW_GID], &e->gid) != ID_OK)
			return;
	} else if (kind == ACCT_GROUP) {
		if (id_parse(e->f[GR_GID], &e->id) != ID_OK)
			return;
	}
	e->nf = nf;
	e->valid = true;
}

/* The line twice into mem (2 * (len + 1) bytes): as read, and split. */
static void entry_in(enum acct_kind kind, struct acct_entry *e, const char *line, size_t len,
		     bool nl, char *mem)
{
	memset(e, 0, sizeof *e);
	e->raw = mem;
	e->f[0] = mem + len + 1;
	memcpy(e->raw, line, len);
	e->raw[len] = '\0';
	memcpy(e->f[0], line, len);
	e->f[0][len] = '\0';
	e->rawlen = len;
	e->nl = nl;
	parse_fields(kind, e, memchr(line, '\0', len) != NULL);
}

int acct_entry_set(enum acct_kind kind, struct acct_entry *e, const char *line, size_t len, bool nl)
{
	char *mem = malloc(2 * (len + 1));

	if (!mem) {
		memset(e, 0, sizeof *e);
		return -ENOMEM;
	}
	entry_in(kind, e, line, len, nl, mem);
	e->own = mem;
	return 0;
}

void acct_free(struct acct_db *db)
{
	for (size_t i = 0; i < db->n; i++)
		acct_entry_free(&db->e[i]);
	free(db->e);
	free(db->text);
	db->e = NULL;
	db->text = NULL;
	db->n = db->cap = 0;
}

/* Two allocations whatever the file's size: the entries, and one block
 * for every line's two copies (exec parses passwd and group on every
 * start; two small blocks per line cost more than the parsing). */
int acct_parse(enum acct_kind kind, const char *buf, size_t len, struct acct_db *db)
{
	size_t pos = 0, lines = 0;
	char *mem;

	memset(db, 0, sizeof *db);
	db->kind = kind;
	if (len > ACCT_MAX_FILE)
		return -EFBIG;
	for (const char *p = buf; p < buf + len; lines++) {
		const char *nlp = memchr(p, '\n', (size_t)(buf + len - p));
		p = nlp ? nlp + 1 : buf + len;
	}
	if (!lines)
		return 0;
	db->e = malloc(lines * sizeof *db->e);
	db->text = mem = malloc(2 * (len + lines));
	if (!db->e || !db->text) {
		acct_free(db);
		return -ENOMEM;
	}
	db->cap = lines;
	while (pos < len) {
		const char *nlp = memchr(buf + pos, '\n', len - pos);
		size_t l = nlp ? (size_t)(nlp - (buf + pos)) : len - pos;

		entry_in(kind, &db->e[db->n++], buf + pos, l, nlp != NULL, mem);
		mem += 2 * (l + 1);
		pos += l + (nlp ? 1 : 0);
	}
	return 0;
}

int acct_parse_view(enum acct_kind kind, char *buf, size_t len, struct acct_db *db)
{
	size_t pos = 0, lines = 0;

	memset(db, 0, sizeof *db);
	db->kind = kind;
	if (len > ACCT_MAX_FILE) {
		free(buf);
		return -EFBIG;
	}
	if (!buf)
		return 0;
	db->text = buf;
	for (const char *p = buf; p < buf + len; lines++) {
		const char *nlp = memchr(p, '\n', (size_t)(buf + len - p));
		p = nlp ? nlp + 1 : buf + len;
	}
	if (!lines)
		return 0;
	if (!(db->e = malloc(lines * sizeof *db->e))) {
		acct_free(db);
		return -ENOMEM;
	}
	db->cap = lines;
	while (pos < len) {
		char *line = buf + pos, *nlp = memchr(line, '\n', len - pos);
		size_t l = nlp ? (size_t)(nlp - line) : len - pos;
		struct acct_entry *e = &db->e[db->n++];
		bool has_nul = memchr(line, '\0', l) != NULL;

		memset(e, 0, sizeof *e);
		line[l] = '\0';	/* the '\n', or buf[len] */
		e->f[0] = line;
		e->rawlen = l;
		e->nl = nlp != NULL;
		parse_fields(kind, e, has_nul);
		pos += l + (nlp ? 1 : 0);
	}
	return 0;
}

const struct acct_entry *acct_find_name(const struct acct_db *db, const char *name)
{
	for (size_t i = 0; i < db->n; i++)
		if (db->e[i].valid && !strcmp(db->e[i].f[0], name))
			return &db->e[i];
	return NULL;
}

const struct acct_entry *acct_find_id(const struct acct_db *db, uint32_t id)
{
	if (db->kind != ACCT_PASSWD && db->kind != ACCT_GROUP)
		return NULL;
	for (size_t i = 0; i < db->n; i++)
		if (db->e[i].valid && db->e[i].id == id)
			return &db->e[i];
	return NULL;
}

bool acct_group_has_member(const struct acct_entry *g, const char *user)
{
	const char *p = g->f[GR_MEM];
	size_t ul = strlen(user);

	while (p && *p) {
		const char *c = strchr(p, ',');
		size_t l = c ? (size_t)(c - p) : strlen(p);
		if (l == ul && !memcmp(p, user, ul))
			return true;
		p = c ? c + 1 : NULL;
	}
	return false;
}

/* libFuzzer target: the account database edit model (accounts/edit.c).  The
 * first bytes choose a file kind, an edit and its value; the rest is the
 * file.  Invariants: serialising an unedited file reproduces it byte for
 * byte; an accepted edit keeps the number of lines (an add adds one)
 * and the edited line parses as a valid entry again; a refused edit changes
 * nothing; a written value never holds ':', a newline or a control
 * character (passwd field injection, CVE-2023-29383). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/edit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *ser(const struct acct_db *db, size_t *len)
{
	char *b;
	if (acctdb_serialize(db, &b, len) < 0)
		abort();
	return b;
}

static size_t lines(const char *b, size_t l)
{
	size_t n = 0;
	for (size_t i = 0; i < l; i++)
		n += b[i] == '\n';
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct acct_db db;
	enum acct_kind kind;
	char value[64], *before, *after;
	size_t vlen, bl, al;
	int op, field, rc;

	if (size < 4)
		return 0;
	kind = (enum acct_kind)(data[0] % 4);
	op = data[1] % 4;
	field = data[2] % acct_fields_for(kind);
	vlen = data[3] % 24;
	if (size < 4 + vlen)
		return 0;
	memcpy(value, data + 4, vlen);
	value[vlen] = '\0';
	data += 4 + vlen;
	size -= 4 + vlen;
	if (acct_parse(kind, (const char *)data, size, &db) < 0)
		return 0;
	before = ser(&db, &bl);
	if (bl != size || memcmp(before, data, size))
		abort();
	rc = -1;
	for (size_t i = 0; i < db.n && rc == -1; i++) {
		if (!db.e[i].valid)
			continue;
		if (op == 0)
			rc = acctdb_set(&db, i, field, value, NULL);
		else if (op == 1 && (kind == ACCT_GROUP || kind == ACCT_GSHADOW))
			rc = acctdb_member_add(&db, i, kind == ACCT_GROUP ? GR_MEM : 3, value);
		else if (op == 2 && field == 0)
			rc = acctdb_member_rename(&db, i, kind == ACCT_GROUP ? GR_MEM : 0, db.e[i].f[0],
						  value);
		else
			rc = 0;
		if (rc >= 0 && !db.e[i].valid)
			abort();
	}
	if (op == 3) {
		const char *f[9] = { value, "x", "1", "1", "", "/", "/bin/sh", "", "" };
		rc = acctdb_add(&db, f, NULL, NULL);
	}
	after = ser(&db, &al);
	if (rc < 0 && (al != bl || memcmp(before, after, al)))
		abort();	/* a refused edit changed something */
	if (rc >= 0 && strpbrk(value, ":\n\r") && (al != bl || memcmp(before, after, al)))
		abort();	/* a value with ':' or a newline got written */
	/* an edit keeps the line count; an add adds one line (two newlines
	 * when the last line had none) */
	if (op != 3 ? lines(after, al) != lines(before, bl) :
	    lines(after, al) - lines(before, bl) > 2)
		abort();
	free(before);
	free(after);
	acct_free(&db);
	return 0;
}

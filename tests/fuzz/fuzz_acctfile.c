/* libFuzzer target: the account-file line model.  Invariant: the lines as
 * read, joined back with their newlines, reproduce the input byte for
 * byte (the writer relies on it to keep untouched lines), for every kind. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/line.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum acct_kind kinds[] = { ACCT_PASSWD, ACCT_GROUP, ACCT_SHADOW, ACCT_GSHADOW };

	for (size_t k = 0; k < 4; k++) {
		struct acct_db db;
		size_t pos = 0;

		if (acct_parse(kinds[k], (const char *)data, size, &db) < 0)
			continue;
		for (size_t i = 0; i < db.n; i++) {
			const struct acct_entry *e = &db.e[i];
			if (pos + e->rawlen > size || memcmp(data + pos, e->raw, e->rawlen))
				abort();
			pos += e->rawlen;
			if (e->nl) {
				if (pos >= size || data[pos] != '\n')
					abort();
				pos++;
			} else if (i != db.n - 1) {
				abort();
			}
			if (e->valid && (e->nf != acct_fields_for(kinds[k]) || !*e->f[0]))
				abort();
			if (e->valid && acct_find_name(&db, e->f[0]) == NULL)
				abort();
		}
		if (pos != size)
			abort();
		acct_free(&db);
	}
	return 0;
}

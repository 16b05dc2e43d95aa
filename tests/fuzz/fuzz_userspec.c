/* libFuzzer target: USER-SPEC resolution against fuzzed passwd and group
 * files.  Input: spec '\0' passwd '\0' group.  Invariants: no crash, and a
 * successful resolve never yields 4294967295 and always lists the gid. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/line.h"
#include "accounts/userspec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	const char *z1 = memchr(p, '\0', size), *z2;
	struct acct_db pw, gr;
	struct target t;
	char spec[512];

	if (!z1 || (size_t)(z1 - p) >= sizeof spec)
		return 0;
	memcpy(spec, p, (size_t)(z1 - p) + 1);
	z2 = memchr(z1 + 1, '\0', (size_t)(end - z1 - 1));
	if (!z2)
		z2 = end;
	if (acct_parse(ACCT_PASSWD, z1 + 1, (size_t)(z2 - z1 - 1), &pw) < 0)
		return 0;
	if (acct_parse(ACCT_GROUP, z2 < end ? z2 + 1 : end, z2 < end ? (size_t)(end - z2 - 1) : 0,
		       &gr) < 0) {
		acct_free(&pw);
		return 0;
	}
	if (userspec_resolve(spec, &pw, &gr, 1000, 1000, &t, NULL, 0) == US_OK) {
		int has_gid = 0;
		if (t.uid == 0xffffffffu || t.gid == 0xffffffffu || !t.home)
			abort();
		for (size_t i = 0; i < t.ngroups; i++) {
			if (t.groups[i] == 0xffffffffu)
				abort();
			has_gid |= t.groups[i] == t.gid;
		}
		if (!has_gid)
			abort();
		target_free(&t);
	}
	acct_free(&pw);
	acct_free(&gr);
	return 0;
}

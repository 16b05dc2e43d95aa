/* ids.h — strict parsing of numeric IDs and validation of account names.
 * Pure functions: no I/O, unit-tested without root. */
#ifndef APPUSER_IDS_H
#define APPUSER_IDS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* The largest valid ID.  (uid_t)-1 = 4294967295 means "no change" to
 * setresuid(2) and "invalid" to the kernel, so it is never accepted. */
#define ID_MAX 4294967294u
#define NAME_MAX_LEN 32

enum id_parse {
	ID_OK = 0,
	ID_EMPTY,	/* "" — reported apart from invalid ("not set" vs bad) */
	ID_INVALID,	/* not a plain decimal number: sign, space, letters */
	ID_RANGE,	/* decimal, but above ID_MAX */
};

/* Decimal digits only: no sign, no whitespace, no base prefix.  Leading
 * zeros are accepted ("007" = 7).  Values above ID_MAX give ID_RANGE. */
enum id_parse id_parse(const char *s, uint32_t *out);
/* True if s is non-empty and all ASCII digits. */
bool is_all_digits(const char *s);
const char *id_parse_str(enum id_parse r);

/* Account and group names we accept to write or look up (DESIGN §5):
 * 1..32 bytes of [A-Za-z0-9._-], optionally ending in '$' (Samba machine
 * accounts); not starting with '-' or '+' (NIS, option injection), not "."
 * or "..", not all digits (would read as an ID).  Returns NULL when valid,
 * else a short reason. */
const char *name_invalid(const char *s);

#endif

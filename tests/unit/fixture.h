/* tests/unit/fixture.h — what the unit tests share instead of each keeping
 * a copy: account files parsed from text (and a messy sample of each), a
 * scratch folder with files in it, and a policy source with a few fake
 * include files.  Every helper asserts (cmocka) instead of returning an
 * error.  Linked into every unit test (Makefile). */
#ifndef APPUSER_TESTS_UNIT_FIXTURE_H
#define APPUSER_TESTS_UNIT_FIXTURE_H

#include <stddef.h>

#include "accounts/line.h"
#include "seccomp/policy.h"

/* A passwd and a group file holding what real ones may hold: comments,
 * blank lines, NIS "+"/"-" lines, a bad and a wrapping uid, too few and
 * too many fields, a duplicate name, the largest uid, no final newline
 * (passwd).  The line numbers are part of the contract: see fixture.c. */
extern const char FX_PASSWD[];
extern const char FX_GROUP[];

/* Parse TEXT (NUL-terminated) as a file of KIND into DB. */
void fx_parse(enum acct_kind kind, const char *text, struct acct_db *db);
/* The bytes DB would write, NUL-terminated (free()). */
char *fx_serialize(const struct acct_db *db);
/* A + B (B may be NULL), in new memory (free()). */
char *fx_cat(const char *a, const char *b);

/* A fresh folder /tmp/appuser-NAME.XXXXXX, removed with all in it at
 * exit.  The returned string lives until then. */
const char *fx_tmpdir(const char *name);
/* Write TEXT to DIR/REL, making the folders on the way. */
void fx_put(const char *dir, const char *rel, const char *text);

/* Parse policy TEXT as the file "t.policy" with a fake source: it knows
 * inc.policy ("bpf"), bad.policy (an error on line 3), loop.policy
 * (includes itself), the profile <base> (unshare; clone3 errno ENOSYS),
 * and every syscall name but those starting with "nosuch". */
int fx_policy(const char *text, struct policy *p, char *err, size_t errlen);
extern const struct policy_source fx_policy_source;

#endif

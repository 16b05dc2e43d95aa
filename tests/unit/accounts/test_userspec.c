/* Unit tests: accounts/userspec.c — gosu's USER-SPEC resolved against the
 * shared messy passwd and group (fixture.h).  Pure code, no root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/userspec.h"
#include "fixture.h"

struct fx { struct acct_db pw, gr; };

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	fx_parse(ACCT_PASSWD, FX_PASSWD, &f->pw);
	fx_parse(ACCT_GROUP, FX_GROUP, &f->gr);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	acct_free(&f->pw);
	acct_free(&f->gr);
	free(f);
	return 0;
}

/* resolve SPEC as caller 0:0 and compare with "uid gid g1,g2 home" */
static void expect(struct fx *f, const char *spec, const char *want)
{
	struct target t;
	char got[256], err[256];
	size_t n;

	assert_int_equal(userspec_resolve(spec, &f->pw, &f->gr, 0, 0, &t, err, sizeof err), US_OK);
	n = (size_t)snprintf(got, sizeof got, "%u %u ", t.uid, t.gid);
	for (size_t i = 0; i < t.ngroups; i++)
		n += (size_t)snprintf(got + n, sizeof got - n, "%s%u", i ? "," : "", t.groups[i]);
	snprintf(got + n, sizeof got - n, " %s", t.home);
	assert_string_equal(got, want);
	target_free(&t);
}

static void expect_err(struct fx *f, const char *spec, enum userspec_err want)
{
	struct target t;
	assert_int_equal(userspec_resolve(spec, &f->pw, &f->gr, 0, 0, &t, NULL, 0), want);
}

static void test_specs(void **state)
{
	struct fx *f = *state;

	expect(f, "0", "0 0 0 /root");
	expect(f, "root", "0 0 0 /root");
	expect(f, "0:", "0 0 0 /root");
	expect(f, "", "0 0 0 /root");
	expect(f, ":0", "0 0 0 /root");
	expect(f, "1000", "1000 0 0 /");
	expect(f, "1000:daemon", "1000 1 1 /");
	expect(f, "1000:1", "1000 1 1 /");
	expect(f, "1000:4242", "1000 4242 4242 /");
	expect(f, "games", "5 60 60,100,200 /usr/games");
	expect(f, "5", "5 60 60,100,200 /usr/games");
	expect(f, "games:daemon", "5 1 1 /usr/games");
	expect(f, "games:", "5 60 60,100,200 /usr/games");
	expect(f, "nobody", "65534 65534 65534,100 /nonexistent");
	expect(f, "nohome", "77 77 77 /");
	expect(f, "dup", "500 500 500 /first");
	expect(f, "4294967294", "4294967294 4294967294 4294967294 /big");
	expect(f, "007", "7 0 0 /");
}

static void test_spec_errors(void **state)
{
	struct fx *f = *state;

	expect_err(f, "bogus", US_NO_USER);
	expect_err(f, "0day", US_NO_USER);
	expect_err(f, "0:bogus", US_NO_GROUP);
	expect_err(f, "0:0day", US_NO_GROUP);
	expect_err(f, "broken", US_NO_USER);
	expect_err(f, "+nisuser", US_BAD_USER);
	expect_err(f, "-1", US_BAD_USER);
	expect_err(f, "4294967295", US_BAD_USER);
	expect_err(f, "4294967296", US_BAD_USER);
	expect_err(f, "+1000", US_BAD_USER);
	expect_err(f, " 1000", US_BAD_USER);
	expect_err(f, "1000:-1", US_BAD_GROUP);
	expect_err(f, "1000:4294967295", US_BAD_GROUP);
	expect_err(f, "a:b:c", US_NO_USER);
	expect_err(f, "root:b:c", US_BAD_GROUP);
	expect_err(f, "x\ny", US_BAD_USER);
}

static void test_caller_defaults(void **state)
{
	struct fx *f = *state;
	struct target t;

	/* "" with a caller that has no passwd entry: caller's ids, HOME=/ */
	assert_int_equal(userspec_resolve("", &f->pw, &f->gr, 4242, 4343, &t, NULL, 0), US_OK);
	assert_int_equal(t.uid, 4242);
	assert_int_equal(t.gid, 4343);
	assert_int_equal(t.ngroups, 1);
	assert_string_equal(t.home, "/");
	assert_null(t.name);
	target_free(&t);
	/* ":games" keeps the caller's uid */
	assert_int_equal(userspec_resolve(":games", &f->pw, &f->gr, 4242, 4343, &t, NULL, 0), US_OK);
	assert_int_equal(t.uid, 4242);
	assert_int_equal(t.gid, 60);
	target_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_specs),
		cmocka_unit_test(test_spec_errors),
		cmocka_unit_test(test_caller_defaults),
	};
	return cmocka_run_group_tests_name("userspec", tests, setup, teardown);
}

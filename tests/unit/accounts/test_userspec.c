/* Unit tests: ids.c, accounts/line.c, accounts/userspec.c — pure code, no root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/line.h"
#include "ids.h"
#include "accounts/userspec.h"

static const char PASSWD[] =
	"root:x:0:0:root:/root:/bin/bash\n"
	"# a comment\n"
	"\n"
	"+nisuser::::::\n"
	"-\n"
	"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
	"broken:x:notanumber:1::/:/bin/sh\n"
	"short:x:7\n"
	"toomany:x:8:8:a:b:c:d\n"
	"games:x:5:60:games:/usr/games:/usr/sbin/nologin\n"
	"nohome:x:77:77:::/bin/sh\n"
	"dup:x:500:500::/first:/bin/sh\n"
	"dup:x:501:501::/second:/bin/sh\n"
	"big:x:4294967294:4294967294::/big:/bin/sh\n"
	"wrap:x:4294967296:0::/wrap:/bin/sh\n"
	"nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin"; /* no final \n */

static const char GROUP[] =
	"root:x:0:\n"
	"daemon:x:1:\n"
	"games:x:60:\n"
	"users:x:100:games,nobody\n"
	"extra:x:200:xgames,gamesx,games\n"
	"+:::\n"
	"nogroup:x:65534:\n";

struct fx { struct acct_db pw, gr; };

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	assert_int_equal(acct_parse(ACCT_PASSWD, PASSWD, strlen(PASSWD), &f->pw), 0);
	assert_int_equal(acct_parse(ACCT_GROUP, GROUP, strlen(GROUP), &f->gr), 0);
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

static void test_id_parse(void **state)
{
	uint32_t v = 42;
	(void)state;
	assert_int_equal(id_parse("0", &v), ID_OK); assert_int_equal(v, 0);
	assert_int_equal(id_parse("007", &v), ID_OK); assert_int_equal(v, 7);
	assert_int_equal(id_parse("4294967294", &v), ID_OK); assert_int_equal(v, 4294967294u);
	assert_int_equal(id_parse("4294967295", &v), ID_RANGE);
	assert_int_equal(id_parse("4294967296", &v), ID_RANGE);
	assert_int_equal(id_parse("99999999999999999999999", &v), ID_RANGE);
	assert_int_equal(id_parse("", &v), ID_EMPTY);
	assert_int_equal(id_parse(NULL, &v), ID_EMPTY);
	assert_int_equal(id_parse("-1", &v), ID_INVALID);
	assert_int_equal(id_parse("+1", &v), ID_INVALID);
	assert_int_equal(id_parse(" 1", &v), ID_INVALID);
	assert_int_equal(id_parse("1 ", &v), ID_INVALID);
	assert_int_equal(id_parse("0x10", &v), ID_INVALID);
	assert_int_equal(id_parse("10a", &v), ID_INVALID);
}

static void test_name_invalid(void **state)
{
	(void)state;
	assert_null(name_invalid("application"));
	assert_null(name_invalid("www-data"));
	assert_null(name_invalid("_apt"));
	assert_null(name_invalid("a.b"));
	assert_null(name_invalid("host$"));
	assert_null(name_invalid("10a"));
	assert_non_null(name_invalid(""));
	assert_non_null(name_invalid("-x"));
	assert_non_null(name_invalid("+x"));
	assert_non_null(name_invalid("."));
	assert_non_null(name_invalid(".."));
	assert_non_null(name_invalid("1000"));
	assert_non_null(name_invalid("a:b"));
	assert_non_null(name_invalid("a\nb"));
	assert_non_null(name_invalid("a\tb"));
	assert_non_null(name_invalid("a b"));
	assert_non_null(name_invalid("$"));
	assert_non_null(name_invalid("a$b"));
	assert_non_null(name_invalid("\xc3\xa9t\xc3\xa9"));
	assert_null(name_invalid("abcdefghijklmnopqrstuvwxyz012345"));	/* 32 */
	assert_non_null(name_invalid("abcdefghijklmnopqrstuvwxyz0123456"));	/* 33 */
}

static void test_parse_keeps_lines(void **state)
{
	struct fx *f = *state;
	const struct acct_entry *e;

	assert_int_equal(f->pw.n, 16);
	assert_false(f->pw.e[1].valid);		/* comment */
	assert_false(f->pw.e[2].valid);		/* blank */
	assert_false(f->pw.e[3].valid);		/* NIS + */
	assert_false(f->pw.e[4].valid);		/* NIS - */
	assert_false(f->pw.e[6].valid);		/* bad uid */
	assert_false(f->pw.e[7].valid);		/* too few fields */
	assert_false(f->pw.e[8].valid);		/* too many */
	assert_false(f->pw.e[14].valid);	/* uid wraps */
	assert_true(f->pw.e[15].valid);
	assert_false(f->pw.e[15].nl);		/* last line without newline */
	assert_string_equal(f->pw.e[1].raw, "# a comment");
	e = acct_find_name(&f->pw, "dup");
	assert_string_equal(e->f[PW_DIR], "/first");	/* first match wins */
	assert_null(acct_find_name(&f->pw, "+nisuser"));
	assert_null(acct_find_name(&f->pw, "broken"));
	e = acct_find_id(&f->pw, 4294967294u);
	assert_string_equal(e->f[PW_NAME], "big");
	assert_null(acct_find_id(&f->pw, 0xffffffffu));
}

static void test_long_lines_and_nul(void **state)
{
	struct acct_db db;
	size_t n = 1 << 20;
	char *buf = malloc(n + 64);
	(void)state;

	memset(buf, 'a', n);
	memcpy(buf + n, "\nok:x:1:1::/:/bin/sh\nn\0l:x:2:2::/:/\n", 36);
	assert_int_equal(acct_parse(ACCT_PASSWD, buf, n + 36, &db), 0);
	assert_int_equal(db.n, 3);
	assert_false(db.e[0].valid);
	assert_int_equal(db.e[0].rawlen, n);
	assert_true(db.e[1].valid);
	assert_false(db.e[2].valid);		/* embedded NUL */
	assert_int_equal(db.e[2].rawlen, 14);
	acct_free(&db);
	free(buf);
}

static void test_group_members(void **state)
{
	struct fx *f = *state;
	const struct acct_entry *g = acct_find_name(&f->gr, "extra");
	assert_true(acct_group_has_member(g, "games"));
	assert_false(acct_group_has_member(g, "game"));
	assert_false(acct_group_has_member(g, "xgame"));
	assert_false(acct_group_has_member(acct_find_name(&f->gr, "root"), "root"));
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
		cmocka_unit_test(test_id_parse),
		cmocka_unit_test(test_name_invalid),
		cmocka_unit_test(test_parse_keeps_lines),
		cmocka_unit_test(test_long_lines_and_nul),
		cmocka_unit_test(test_group_members),
		cmocka_unit_test(test_specs),
		cmocka_unit_test(test_spec_errors),
		cmocka_unit_test(test_caller_defaults),
	};
	return cmocka_run_group_tests_name("userspec", tests, setup, teardown);
}

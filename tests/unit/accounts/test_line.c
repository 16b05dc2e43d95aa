/* Unit tests: accounts/line.c — the line model: every line kept as read,
 * only valid entries matched (the shared messy files, fixture.h).  Pure
 * code, no root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "accounts/line.h"
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

/* The in-place view (lookups only) sees every line as acct_parse does. */
static void same_as_parse(enum acct_kind kind, const char *text, size_t len)
{
	struct acct_db a, v;
	char *buf = malloc(len + 1);

	memcpy(buf, text, len);
	buf[len] = 'Z';		/* the view writes its own terminator */
	assert_int_equal(acct_parse(kind, text, len, &a), 0);
	assert_int_equal(acct_parse_view(kind, buf, len, &v), 0);	/* owns buf */
	assert_int_equal(v.n, a.n);
	for (size_t i = 0; i < a.n; i++) {
		assert_int_equal(v.e[i].valid, a.e[i].valid);
		assert_int_equal(v.e[i].nl, a.e[i].nl);
		assert_int_equal(v.e[i].rawlen, a.e[i].rawlen);
		assert_null(v.e[i].raw);
		if (!a.e[i].valid)
			continue;
		assert_int_equal(v.e[i].nf, a.e[i].nf);
		assert_int_equal(v.e[i].id, a.e[i].id);
		assert_int_equal(v.e[i].gid, a.e[i].gid);
		for (int k = 0; k < a.e[i].nf; k++)
			assert_string_equal(v.e[i].f[k], a.e[i].f[k]);
	}
	acct_free(&a);
	acct_free(&v);
}

static void test_view_same_as_parse(void **state)
{
	struct acct_db v;
	(void)state;

	same_as_parse(ACCT_PASSWD, FX_PASSWD, strlen(FX_PASSWD));
	same_as_parse(ACCT_GROUP, FX_GROUP, strlen(FX_GROUP));
	same_as_parse(ACCT_PASSWD, "ok:x:1:1::/:/bin/sh\nn\0l:x:2:2::/:/\nlast:x:3:3::/:/", 50);
	same_as_parse(ACCT_GROUP, "", 0);
	/* A missing file: no buffer, an empty db. */
	assert_int_equal(acct_parse_view(ACCT_GROUP, NULL, 0, &v), 0);
	assert_int_equal(v.n, 0);
	acct_free(&v);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_keeps_lines),
		cmocka_unit_test(test_long_lines_and_nul),
		cmocka_unit_test(test_view_same_as_parse),
		cmocka_unit_test(test_group_members),
	};
	return cmocka_run_group_tests_name("line", tests, setup, teardown);
}

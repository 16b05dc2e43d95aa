/* Unit tests: accounts/edit.c — the edit model, validation, serialisation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/edit.h"
#include "fixture.h"

/* Everything a real file may hold: comments, blank lines, NIS compat
 * lines, odd spacing, CR, wrong field counts, duplicate names, bad IDs,
 * and no newline at the end. */
static const char MESSY[] =
	"root:x:0:0:root:/root:/bin/bash\n"
	"# comment: with colons\n"
	"\n"
	"   \n"
	"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\r\n"
	"short:x:7\n"
	"toomany:x:8:8:a:b:c:d\n"
	"dup:x:500:500::/first:/bin/sh\n"
	"dup:x:501:501::/second:/bin/sh\n"
	"bad:x:4294967295:0::/:/bin/sh\n"
	"app:x:1000:1000:App,,,:/home/app:/bin/sh\n"
	"+nisuser::::::\n"
	"-\n"
	"tail:x:1001:1001::/t:/bin/sh";

static void test_round_trip(void **state)
{
	static const char *const files[] = {
		MESSY, "", "\n", "x", "a:b:c\n\n\n", "only-newline-free", "\0x:y\n",
	};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		for (int k = 0; k < 4; k++) {
			struct acct_db db;
			char *out;
			size_t len;
			assert_int_equal(acct_parse((enum acct_kind)k, files[i], strlen(files[i]), &db), 0);
			assert_int_equal(acctdb_serialize(&db, &out, &len), 0);
			assert_int_equal(len, strlen(files[i]));
			assert_memory_equal(out, files[i], len);
			free(out);
			acct_free(&db);
		}
	}
}

static void test_set_touches_one_line(void **state)
{
	struct acct_db db;
	ssize_t i;
	char *out;

	fx_parse(ACCT_PASSWD, MESSY, &db);
	i = acctdb_find(&db, "app");
	assert_true(i >= 0);
	assert_int_equal(acctdb_set_id(&db, (size_t)i, PW_UID, 501), 0);
	assert_int_equal(db.e[i].id, 501);
	out = fx_serialize(&db);
	/* the rest of the file after the edited line is unchanged */
	assert_string_equal(strstr(out, "app:x:"), "app:x:501:1000:App,,,:/home/app:/bin/sh\n"
			    "+nisuser::::::\n-\ntail:x:1001:1001::/t:/bin/sh");
	assert_memory_equal(out, MESSY, (size_t)(strstr(MESSY, "app:x:") - MESSY));
	free(out);
	/* first match wins, as getpwnam */
	i = acctdb_find(&db, "dup");
	assert_string_equal(db.e[i].f[PW_DIR], "/first");
	assert_int_equal(acctdb_find(&db, "short"), -1);
	assert_int_equal(acctdb_find(&db, "bad"), -1);
	assert_int_equal(acctdb_find_id(&db, 0), 0);
	acct_free(&db);
}

static void test_rejects_injection(void **state)
{
	static const char *const bad_values[] = {
		"a:b", "a\nb", "a\rb", "a\tb", "\x01", "x\x7f", "",
	};
	struct acct_db db;
	const char *why;
	ssize_t i;
	char *before, *after;

	fx_parse(ACCT_PASSWD, MESSY, &db);
	before = fx_serialize(&db);
	i = acctdb_find(&db, "app");
	for (size_t k = 0; k < sizeof bad_values / sizeof *bad_values; k++) {
		why = NULL;
		if (k < 6) {	/* any field: CVE-2023-29383-style injection */
			assert_int_equal(acctdb_set(&db, (size_t)i, PW_GECOS, bad_values[k], &why),
					 -EINVAL);
			assert_non_null(why);
		}
		assert_int_equal(acctdb_set(&db, (size_t)i, PW_NAME, bad_values[k], &why), -EINVAL);
	}
	assert_int_equal(acctdb_set(&db, (size_t)i, PW_NAME, "-app", NULL), -EINVAL);
	assert_int_equal(acctdb_set(&db, (size_t)i, PW_NAME, "123", NULL), -EINVAL);
	assert_int_equal(acctdb_set(&db, (size_t)i, PW_UID, "4294967295", NULL), -EINVAL);
	assert_int_equal(acctdb_set(&db, (size_t)i, PW_UID, "-1", NULL), -EINVAL);
	assert_int_equal(acctdb_set(&db, (size_t)i, PW_GID, "0x10", NULL), -EINVAL);
	assert_int_equal(acctdb_set(&db, (size_t)i, 7, "x", NULL), -EINVAL);
	assert_int_equal(acctdb_set(&db, 1, PW_NAME, "x", NULL), -EINVAL); /* a comment line */
	assert_int_equal(acctdb_set_id(&db, (size_t)i, PW_UID, 4294967295u), -EINVAL);
	after = fx_serialize(&db);
	assert_string_equal(before, after);	/* a rejected edit changes nothing */
	free(before);
	free(after);
	acct_free(&db);
}

static void test_add_before_nis(void **state)
{
	const char *f[7] = { "new", "x", "1002", "1002", "", "/home/new", "/bin/sh" };
	const char *bad[7] = { "new", "x", "1002", "1002", "a:b", "/home/new", "/bin/sh" };
	struct acct_db db;
	size_t idx;
	char *out;

	fx_parse(ACCT_PASSWD, MESSY, &db);
	assert_int_equal(acctdb_add(&db, bad, NULL, NULL), -EINVAL);
	assert_int_equal(acctdb_add(&db, f, &idx, NULL), 0);
	out = fx_serialize(&db);
	assert_non_null(strstr(out, "/bin/sh\nnew:x:1002:1002::/home/new:/bin/sh\n+nisuser"));
	assert_true(db.e[idx].valid);
	free(out);
	acct_free(&db);

	/* no NIS line, no final newline: the new line is appended on its own line */
	assert_int_equal(acct_parse(ACCT_PASSWD, "a:x:1:1::/:/bin/sh", 18, &db), 0);
	assert_int_equal(acctdb_add(&db, f, NULL, NULL), 0);
	out = fx_serialize(&db);
	assert_string_equal(out, "a:x:1:1::/:/bin/sh\nnew:x:1002:1002::/home/new:/bin/sh\n");
	free(out);
	acct_free(&db);

	/* into an empty (missing) file */
	assert_int_equal(acct_parse(ACCT_GROUP, "", 0, &db), 0);
	{
		const char *g[4] = { "grp", "x", "7", "" };
		assert_int_equal(acctdb_add(&db, g, NULL, NULL), 0);
	}
	out = fx_serialize(&db);
	assert_string_equal(out, "grp:x:7:\n");
	free(out);
	acct_free(&db);
}

static void test_members(void **state)
{
	static const char G[] = "g:x:10:a,bb,c\nh:x:11:\ngs:!::\n";
	struct acct_db db;
	char *out;

	fx_parse(ACCT_GROUP, G, &db);
	assert_int_equal(acctdb_member_add(&db, 0, GR_MEM, "bb"), 0);
	assert_int_equal(acctdb_member_add(&db, 0, GR_MEM, "b"), 1);
	assert_int_equal(acctdb_member_add(&db, 1, GR_MEM, "z"), 1);
	assert_int_equal(acctdb_member_rename(&db, 0, GR_MEM, "bb", "dd"), 1);
	assert_int_equal(acctdb_member_rename(&db, 0, GR_MEM, "zz", "dd"), 0);
	assert_int_equal(acctdb_member_add(&db, 1, GR_MEM, "bad:name"), -EINVAL);
	out = fx_serialize(&db);
	assert_string_equal(out, "g:x:10:a,dd,c,b\nh:x:11:z\ngs:!::\n");
	free(out);
	acct_free(&db);

	assert_int_equal(acct_parse(ACCT_GSHADOW, "g:!:adm1:m1\n", 12, &db), 0);
	assert_int_equal(acctdb_member_rename(&db, 0, SG_ADM, "adm1", "adm2"), 1);
	assert_int_equal(acctdb_member_add(&db, 0, SG_MEM, "m2"), 1);
	out = fx_serialize(&db);
	assert_string_equal(out, "g:!:adm2:m1,m2\n");
	free(out);
	acct_free(&db);
}

static void test_entry_invalid(void **state)
{
	const char *ok[9] = { "u", "!", "19000", "0", "99999", "7", "", "", "" };
	const char *badn[4] = { "g", "x", "1", "a,,b" };

	assert_null(acct_entry_invalid(ACCT_SHADOW, ok, 9));
	assert_non_null(acct_entry_invalid(ACCT_SHADOW, ok, 8));
	assert_non_null(acct_entry_invalid(ACCT_GROUP, badn, 4));
	assert_null(acct_field_invalid("plain text, with commas"));
	assert_non_null(acct_field_invalid("\x1b[2J"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_set_touches_one_line),
		cmocka_unit_test(test_rejects_injection),
		cmocka_unit_test(test_add_before_nis),
		cmocka_unit_test(test_members),
		cmocka_unit_test(test_entry_invalid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

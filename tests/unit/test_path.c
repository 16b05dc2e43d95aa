/* Unit tests: path.c — the canonical form of paths, the one list of system
 * folders, and the one escaper for messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "path.h"

static void test_path_canon(void **state)
{
	char out[64];

	assert_null(path_canon("/a//b/", out, sizeof out));
	assert_string_equal(out, "/a/b");
	assert_null(path_canon("/", out, sizeof out));
	assert_string_equal(out, "/");
	assert_null(path_canon("/a/.b/..c", out, sizeof out));
	assert_string_equal(out, "/a/.b/..c");
	assert_non_null(path_canon("a", out, sizeof out));
	assert_non_null(path_canon("", out, sizeof out));
	assert_non_null(path_canon("/a/./b", out, sizeof out));
	assert_non_null(path_canon("/a/..", out, sizeof out));
	assert_non_null(path_canon("/a:b", out, sizeof out));
	assert_non_null(path_canon("/a\rb", out, sizeof out));
	assert_non_null(path_canon("/0123456789/0123456789/0123456789/0123456789/0123456789/x",
				   out, 32));
}

static void test_path_is_system(void **state)
{
	assert_true(path_is_system("/"));
	assert_true(path_is_system("/etc"));
	assert_true(path_is_system("/etc/ssl"));
	assert_true(path_is_system("/root"));
	assert_true(path_is_system("/home"));
	assert_true(path_is_system("/proc/1"));
	assert_true(path_is_system("/dev/shm"));
	assert_true(path_is_system("/usr"));
	assert_false(path_is_system("/etcetera"));
	assert_false(path_is_system("/app"));
	assert_false(path_is_system("/var/www"));
	assert_false(path_is_system("/home/app"));
	assert_false(path_is_system("/root2"));
}

static void test_path_class(void **state)
{
	(void)state;
	assert_int_equal(path_class("/"), PATH_ROOT);
	assert_int_equal(path_class("/etc"), PATH_SYSTEM);
	assert_int_equal(path_class("/etc/ssl/private"), PATH_SYSTEM);
	assert_int_equal(path_class("/dev/shm"), PATH_SYSTEM);
	assert_int_equal(path_class("/boot/grub"), PATH_SYSTEM);
	assert_int_equal(path_class("/usr"), PATH_SYSTEM);
	assert_int_equal(path_class("/var/lib"), PATH_SYSTEM);
	assert_int_equal(path_class("/home"), PATH_SYSTEM);
	assert_int_equal(path_class("/proc"), PATH_PSEUDO);
	assert_int_equal(path_class("/proc/1/root"), PATH_PSEUDO);
	assert_int_equal(path_class("/sys/fs/cgroup"), PATH_PSEUDO);
	assert_int_equal(path_class("/etcetera"), PATH_PLAIN);
	assert_int_equal(path_class("/devel"), PATH_PLAIN);
	assert_int_equal(path_class("/process"), PATH_PLAIN);
	assert_int_equal(path_class("/app"), PATH_PLAIN);
	assert_int_equal(path_class("/home/app"), PATH_PLAIN);
	assert_int_equal(path_class("/home/app/etc"), PATH_PLAIN);
	assert_int_equal(path_class("/usr/src"), PATH_PLAIN);
	assert_int_equal(path_class("/var/www"), PATH_PLAIN);
}

static void test_escape_names(void **state)
{
	char out[64];
	(void)state;
	assert_int_equal(str_escape("plain", 5, out, sizeof out, 0), 5);
	assert_string_equal(out, "plain");
	str_escape("a\nb\tc\\d", 7, out, sizeof out, 0);
	assert_string_equal(out, "a\\nb\\tc\\\\d");
	str_escape("\xff\xfe", 2, out, sizeof out, 0);
	assert_string_equal(out, "\\xff\\xfe");
	str_escape("\x1b[31m", 5, out, sizeof out, 0);
	assert_string_equal(out, "\\x1b[31m");
	str_escape("caf\xc3\xa9", 5, out, sizeof out, 0);		/* valid UTF-8 kept */
	assert_string_equal(out, "caf\xc3\xa9");
	str_escape("\xc2\x9b", 2, out, sizeof out, 0);			/* C1 CSI escaped */
	assert_string_equal(out, "\\xc2\\x9b");
	str_escape("\xc0\xaf", 2, out, sizeof out, 0);			/* overlong '/' */
	assert_string_equal(out, "\\xc0\\xaf");
	str_escape("\xed\xa0\x80", 3, out, sizeof out, 0);		/* surrogate */
	assert_string_equal(out, "\\xed\\xa0\\x80");
	str_escape("\xf0\x9f\x98\x80", 4, out, sizeof out, 0);		/* emoji kept */
	assert_string_equal(out, "\xf0\x9f\x98\x80");
	str_escape("\xe2\x82", 2, out, sizeof out, 0);			/* truncated sequence */
	assert_string_equal(out, "\\xe2\\x82");
	/* Truncation never splits an escape, always terminates. */
	assert_int_equal(str_escape("\n\n\n", 3, out, 6, 0), 4);
	assert_string_equal(out, "\\n\\n");
}

static void test_quote(void **state)
{
	char buf[300];

	(void)state;
	/* inside '...': the quote is escaped too; backslash, newline as in names */
	assert_string_equal(env_quote("a\nb'\\", buf, sizeof buf), "a\\nb\\x27\\\\");
	assert_string_equal(env_quote("\x1b[31m", buf, sizeof buf), "\\x1b[31m");
	assert_string_equal(env_quote("caf\xc3\xa9", buf, sizeof buf), "caf\xc3\xa9");
	/* at most 64 characters shown, then "..." */
	env_quote("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		  buf, sizeof buf);
	assert_int_equal(strlen(buf), 67);
	assert_string_equal(buf + 64, "...");
	assert_string_equal(env_quote(NULL, buf, sizeof buf), "");
	/* a small buffer: cut on a whole escape, always terminated */
	env_quote("\n\n\n", buf, 6);
	assert_string_equal(buf, "\\n\\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_canon),
		cmocka_unit_test(test_path_is_system),
		cmocka_unit_test(test_path_class),
		cmocka_unit_test(test_escape_names),
		cmocka_unit_test(test_quote),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

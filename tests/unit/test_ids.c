/* Unit tests: ids.c — IDs with full range and sign checks, and
 * account names as shadow's tools accept them.  Pure code, no root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ids.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_id_parse),
		cmocka_unit_test(test_name_invalid),
	};
	return cmocka_run_group_tests_name("ids", tests, NULL, NULL);
}

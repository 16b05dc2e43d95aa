/* Unit tests: selinux_lib.c — every libselinux function appuser calls,
 * through appuser's wrappers (in the dynamic build: libselinux.so.1 loaded
 * on first use), gives what libselinux itself gives on this host. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "selinux_lib.h"

static void *lib;

/* The library's own function, looked up apart from appuser's wrappers. */
static void *real(const char *name)
{
	void *f;

	if (!lib)
		lib = dlopen("libselinux.so.1", RTLD_NOW | RTLD_LOCAL);
	assert_non_null(lib);
	f = dlsym(lib, name);
	assert_non_null(f);
	return f;
}

static void test_loads(void **state)
{
	char err[256] = "";

	assert_int_equal(selinux_lib_load(err, sizeof err), 0);
	assert_string_equal(err, "");
}

static void test_enabled(void **state)
{
	int (*f)(void) = (int (*)(void))real("is_selinux_enabled");

	assert_int_equal(is_selinux_enabled(), f());
	/* selinux_on() never says yes where libselinux says no. */
	assert_true(!selinux_on() || f() > 0);
}

/* The same call, wrapper and library: same result, same errno. */
#define SAME(call_ours, call_real) do {						\
		int e1, e2, r1, r2;						\
		errno = 0; r1 = (call_ours); e1 = errno;			\
		errno = 0; r2 = (call_real); e2 = errno;			\
		assert_int_equal(r1, r2);					\
		if (r1 < 0)							\
			assert_int_equal(e1, e2);				\
	} while (0)

static void test_file_labels(void **state)
{
	int (*get)(int, char **) = (int (*)(int, char **))real("fgetfilecon");
	int (*set)(int, const char *) = (int (*)(int, const char *))real("fsetfilecon");
	void (*fc)(char *) = (void (*)(char *))real("freecon");
	char path[] = "/tmp/appuser-selinux-lib.XXXXXX", *a = NULL, *b = NULL;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	SAME(fgetfilecon(fd, &a), get(fd, &b));
	freecon(a);
	fc(b);
	SAME(fsetfilecon(fd, "system_u:object_r:tmp_t:s0"), set(fd, "system_u:object_r:tmp_t:s0"));
	freecon(NULL);
	close(fd);
	unlink(path);
}

static void test_process_labels(void **state)
{
	int (*chk)(const char *) = (int (*)(const char *))real("security_check_context");
	int (*get)(char **) = (int (*)(char **))real("getcon");
	int (*exe)(const char *) = (int (*)(const char *))real("setexeccon");
	void (*fc)(char *) = (void (*)(char *))real("freecon");
	char *a = NULL, *b = NULL;

	SAME(security_check_context("system_u:system_r:no_such_t:s0"),
	     chk("system_u:system_r:no_such_t:s0"));
	SAME(getcon(&a), get(&b));
	if (a && b)
		assert_string_equal(a, b);
	freecon(a);
	fc(b);
	SAME(setexeccon(NULL), exe(NULL));	/* NULL: the default again */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loads),
		cmocka_unit_test(test_enabled),
		cmocka_unit_test(test_file_labels),
		cmocka_unit_test(test_process_labels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

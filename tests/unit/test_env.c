/* Unit tests: env.c — the environment contract of `appuser setup`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"

static char err[1024];

static int parse(struct app_env *e, const char *a, const char *b, const char *c)
{
	char *envp[5] = { 0 };
	int n = 0;

	envp[n++] = "PATH=/usr/bin";	/* other variables are ignored */
	if (a)
		envp[n++] = (char *)a;
	if (b)
		envp[n++] = (char *)b;
	if (c)
		envp[n++] = (char *)c;
	err[0] = '\0';
	return env_parse(envp, e, err, sizeof err);
}

static void test_empty_environment(void **state)
{
	struct app_env e;

	assert_int_equal(parse(&e, NULL, NULL, NULL), 0);
	assert_null(e.user);
	assert_int_equal(e.uid_how, IDW_UNSET);
	assert_int_equal(e.gid_how, IDW_UNSET);
	assert_int_equal(e.npaths, 0);
	assert_int_equal(e.uid_conflict, CONFLICT_UNSET);
	env_free(&e);
	assert_int_equal(env_parse(NULL, &e, err, sizeof err), 0);
	env_free(&e);
}

static void test_full_set(void **state)
{
	char *envp[] = {
		"APPLICATION_USER=web", "APPLICATION_GROUP=www", "APPLICATION_UID=501",
		"APPLICATION_GID=auto", "APPLICATION_HOME=/srv//web/", "APPLICATION_PATH=/app:/data/x",
		"APPLICATION_GROUPS=docker, /var/run/docker.sock video",
		"APPLICATION_UID_CONFLICT=share", "APPLICATION_GID_CONFLICT=fail", NULL,
	};
	struct app_env e;

	assert_int_equal(env_parse(envp, &e, err, sizeof err), 0);
	assert_string_equal(e.user, "web");
	assert_string_equal(e.group, "www");
	assert_int_equal(e.uid_how, IDW_VALUE);
	assert_int_equal(e.uid, 501);
	assert_string_equal(e.uid_var, "APPLICATION_UID");
	assert_int_equal(e.gid_how, IDW_AUTO);
	assert_string_equal(e.home, "/srv/web");
	assert_int_equal(e.npaths, 2);
	assert_string_equal(e.paths[0], "/app");
	assert_string_equal(e.paths[1], "/data/x");
	assert_int_equal(e.ngroups, 3);
	assert_string_equal(e.groups[0], "docker");
	assert_string_equal(e.groups[1], "/var/run/docker.sock");
	assert_string_equal(e.groups[2], "video");
	assert_int_equal(e.uid_conflict, CONFLICT_SHARE);
	assert_int_equal(e.gid_conflict, CONFLICT_FAIL);
	env_free(&e);
}

static void test_aliases(void **state)
{
	struct app_env e;

	assert_int_equal(parse(&e, "PUID=1001", "PGID=20", NULL), 0);
	assert_int_equal(e.uid, 1001);
	assert_int_equal(e.gid, 20);
	assert_string_equal(e.uid_var, "PUID");
	env_free(&e);
	assert_int_equal(parse(&e, "PUID=1001", "APPLICATION_UID=1001", NULL), 0);
	env_free(&e);
	assert_int_equal(parse(&e, "PGID=auto", "APPLICATION_GID=auto", NULL), 0);
	assert_int_equal(e.gid_how, IDW_AUTO);
	env_free(&e);
	assert_int_equal(parse(&e, "APPLICATION_UID=1000", "PUID=1001", NULL), -1);
	assert_non_null(strstr(err, "PUID='1001'"));
	assert_non_null(strstr(err, "APPLICATION_UID='1000'"));
	assert_int_equal(parse(&e, "APPLICATION_GID=auto", "PGID=20", NULL), -1);
	assert_non_null(strstr(err, "PGID='20'"));
}

/* Every bad value of every variable: -1, and the message names both. */
static void test_bad_values(void **state)
{
	static const struct { const char *var, *val; } cases[] = {
		{ "APPLICATION_USER", "" }, { "APPLICATION_USER", "root" },
		{ "APPLICATION_USER", "a:b" }, { "APPLICATION_USER", "a\nb" },
		{ "APPLICATION_USER", "-x" }, { "APPLICATION_USER", "+x" },
		{ "APPLICATION_USER", "." }, { "APPLICATION_USER", ".." },
		{ "APPLICATION_USER", "1234" }, { "APPLICATION_USER", "a b" },
		{ "APPLICATION_USER", "abcdefghijklmnopqrstuvwxyz0123456" },
		{ "APPLICATION_USER", "a\tb" }, { "APPLICATION_USER", "x\x7f" },
		{ "APPLICATION_GROUP", "" }, { "APPLICATION_GROUP", "root" },
		{ "APPLICATION_GROUP", "g:x" },
		{ "APPLICATION_UID", "" }, { "APPLICATION_UID", "0" }, { "APPLICATION_UID", "-1" },
		{ "APPLICATION_UID", "4294967295" }, { "APPLICATION_UID", "99999999999" },
		{ "APPLICATION_UID", "+5" }, { "APPLICATION_UID", " 5" }, { "APPLICATION_UID", "0x10" },
		{ "APPLICATION_UID", "1e3" }, { "APPLICATION_UID", "AUTO" },
		{ "APPLICATION_GID", "0" }, { "APPLICATION_GID", "abc" }, { "APPLICATION_GID", "" },
		{ "PUID", "0" }, { "PUID", "x" }, { "PGID", "-20" }, { "PGID", "" },
		{ "APPLICATION_HOME", "" }, { "APPLICATION_HOME", "/" }, { "APPLICATION_HOME", "/etc" },
		{ "APPLICATION_HOME", "/etc/x" }, { "APPLICATION_HOME", "home/app" },
		{ "APPLICATION_HOME", "/root" }, { "APPLICATION_HOME", "/home/../etc" },
		{ "APPLICATION_HOME", "/home/a:b" }, { "APPLICATION_HOME", "/home/a\nb" },
		{ "APPLICATION_HOME", "/proc/self" }, { "APPLICATION_HOME", "/usr" },
		{ "APPLICATION_HOME", "///" }, { "APPLICATION_HOME", "/home/./x" },
		{ "APPLICATION_PATH", "" }, { "APPLICATION_PATH", "/" }, { "APPLICATION_PATH", "/etc" },
		{ "APPLICATION_PATH", "app" }, { "APPLICATION_PATH", "/app::/data" },
		{ "APPLICATION_PATH", "/app:" }, { "APPLICATION_PATH", "/app:/sys/x" },
		{ "APPLICATION_PATH", "/app/../.." },
		{ "APPLICATION_GROUPS", "" }, { "APPLICATION_GROUPS", "bad:name" },
		{ "APPLICATION_GROUPS", " , " }, { "APPLICATION_GROUPS", "/dev/../x" },
		{ "APPLICATION_GROUPS", "ok,-bad" },
		{ "APPLICATION_UID_CONFLICT", "" }, { "APPLICATION_UID_CONFLICT", "MOVE" },
		{ "APPLICATION_GID_CONFLICT", "ignore" },
	};
	char buf[256], quoted[300];
	struct app_env e;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		snprintf(buf, sizeof buf, "%s=%s", cases[i].var, cases[i].val);
		if (parse(&e, buf, NULL, NULL) != -1)
			fail_msg("%s='%s' was accepted", cases[i].var, cases[i].val);
		if (!strstr(err, cases[i].var))
			fail_msg("message for %s does not name it: %s", cases[i].var, err);
		env_quote(cases[i].val, quoted, sizeof quoted);
		if (strlen(quoted) > 0 && strlen(quoted) < 60 && !strstr(err, quoted))
			fail_msg("message for %s='%s' does not name the value: %s", cases[i].var,
				 cases[i].val, err);
		assert_null(strchr(err, '\n'));
	}
}

static void test_set_twice(void **state)
{
	struct app_env e;

	assert_int_equal(parse(&e, "APPLICATION_USER=a", "APPLICATION_USER=a", NULL), -1);
	assert_non_null(strstr(err, "APPLICATION_USER is set twice"));
	assert_int_equal(parse(&e, "PUID=5", "PUID=6", NULL), -1);
}

static void test_conflict_names(void **state)
{
	enum conflict_policy p;

	assert_int_equal(conflict_parse("move", &p), 0);
	assert_int_equal(p, CONFLICT_MOVE);
	assert_int_equal(conflict_parse("share", &p), 0);
	assert_int_equal(conflict_parse("fail", &p), 0);
	assert_int_equal(conflict_parse("", &p), -1);
	assert_string_equal(conflict_name(CONFLICT_SHARE), "share");
}

static void test_long_lists(void **state)
{
	char buf[ENV_MAX_VALUE + 64];
	struct app_env e;
	size_t o = 0;

	o += (size_t)snprintf(buf, sizeof buf, "APPLICATION_PATH=");
	for (int i = 0; i < 65; i++)
		o += (size_t)snprintf(buf + o, sizeof buf - o, "%s/p%d", i ? ":" : "", i);
	assert_int_equal(parse(&e, buf, NULL, NULL), -1);
	assert_non_null(strstr(err, "more than 64"));
	memset(buf, 'a', sizeof buf - 1);
	memcpy(buf, "APPLICATION_GROUPS=", 19);
	buf[sizeof buf - 1] = '\0';
	assert_int_equal(parse(&e, buf, NULL, NULL), -1);
	assert_non_null(strstr(err, "too long"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_environment),
		cmocka_unit_test(test_full_set),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_set_twice),
		cmocka_unit_test(test_conflict_names),
		cmocka_unit_test(test_long_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

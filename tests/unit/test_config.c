/* Unit tests: config.c — /etc/appuser.conf: every key, the canonical
 * home and paths, errors that name the line, and config_load()'s
 * ownership rules on a scratch root (as root: root-owned files; as a user:
 * the file is not root's, so it is refused). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "fixture.h"

static int parse(const char *text, struct config *c, char *err, size_t errlen)
{
	return config_parse(text, strlen(text), c, err, errlen);
}

static void test_every_key(void **state)
{
	static const char T[] =
		"# appuser.conf\r\n"
		"\n"
		"   user = web   \n"
		"group=www\n"
		"home = /srv//web/\n"
		"paths = /app  /var/www//html\t/data/\n"
		"uid_range = 1000-60000\r\n"
		"allow_setuid = yes\n"
		"seccomp = strict\n"
		"caps = NET_BIND_SERVICE,cap_chown\n"
		"allow_caps = none\n"
		"selinux_context = system_u:system_r:httpd_t:s0\n"
		"uid_conflict = share\n"
		"gid_conflict = fail";		/* no final newline */
	struct config c;
	char err[256] = "", caps[128];

	if (parse(T, &c, err, sizeof err) < 0)
		fail_msg("%s", err);
	assert_true(c.loaded);
	assert_string_equal(c.user, "web");
	assert_string_equal(c.group, "www");
	assert_string_equal(c.home, "/srv/web");
	assert_int_equal(c.npaths, 3);
	assert_string_equal(c.paths[0], "/app");
	assert_string_equal(c.paths[1], "/var/www/html");
	assert_string_equal(c.paths[2], "/data");
	assert_true(c.have_uid_range);
	assert_int_equal(c.uid_min, 1000);
	assert_int_equal(c.uid_max, 60000);
	assert_true(c.have_allow_setuid && c.allow_setuid);
	assert_string_equal(c.seccomp, "strict");
	assert_true(c.have_caps);
	assert_string_equal(caps_format(c.caps, caps, sizeof caps), "chown,net_bind_service");
	assert_true(c.have_allow_caps);
	assert_int_equal(c.allow_caps, 0);
	assert_string_equal(c.selinux_context, "system_u:system_r:httpd_t:s0");
	assert_string_equal(c.uid_conflict, "share");
	assert_string_equal(c.gid_conflict, "fail");
	assert_string_equal(config_app_user(&c), "web");
	config_free(&c);
	assert_null(c.user);
}

static void test_defaults(void **state)
{
	struct config c;
	char err[64];

	assert_int_equal(parse("# nothing but a comment\n\n", &c, err, sizeof err), 0);
	assert_true(c.loaded);
	assert_false(c.have_allow_setuid || c.allow_setuid || c.have_uid_range || c.have_caps);
	assert_int_equal(c.npaths, 0);
	assert_string_equal(config_app_user(&c), CONFIG_DEFAULT_USER);
	assert_int_equal(parse("allow_setuid = no\n", &c, err, sizeof err), 0);
	assert_true(c.have_allow_setuid);
	assert_false(c.allow_setuid);
	config_free(&c);
}

/* Each bad file is refused with a message naming its line, and leaves
 * nothing allocated behind (config_free() is safe on the result). */
static const struct { const char *text, *want; } bad[] = {
	{ "frobnicate = 1", "line 1: unknown key 'frobnicate'" },
	{ "\n# c\nuser", "line 3: expected 'key = value'" },
	{ " = x", "line 1: missing key before '='" },
	{ "user =", "line 1: 'user' has no value" },
	{ "user = a\nuser = b", "line 2: 'user' given twice" },
	{ "home = /a\nhome = /b", "line 2: 'home' given twice" },
	{ "paths = /a\npaths = /b", "line 2: 'paths' given twice" },
	{ "caps = chown\ncaps = kill", "line 2: 'caps' given twice" },
	{ "allow_setuid = yes\nallow_setuid = yes", "line 2: 'allow_setuid' given twice" },
	{ "uid_range = 1-2\nuid_range = 1-2", "line 2: 'uid_range' given twice" },
	{ "seccomp = a\nseccomp = b", "line 2: 'seccomp' given twice" },
	{ "user = root:x", "line 1: user 'root:x' " },
	{ "group = -g", "line 1: group '-g' " },
	{ "user = 1000", "line 1: user '1000' " },
	{ "home = relative", "line 1: home: 'relative' " },
	{ "home = /etc", "line 1: home: '/etc' is a system folder; refused" },
	{ "paths = /app /usr", "line 1: paths: '/usr' is a system folder; refused" },
	{ "paths = /app ../x", "line 1: paths: '../x' " },
	{ "paths = /a/./b", "line 1: paths: '/a/./b' contains a '.' or '..' component" },
	{ "uid_range = 1000", "line 1: uid_range must be LO-HI" },
	{ "uid_range = 0-10", "line 1: uid_range must be LO-HI" },
	{ "uid_range = 10-5", "line 1: uid_range must be LO-HI" },
	{ "uid_range = 1-4294967295", "line 1: uid_range must be LO-HI" },
	{ "uid_range = -1-5", "line 1: uid_range must be LO-HI" },
	{ "allow_setuid = true", "line 1: allow_setuid must be 'yes' or 'no'" },
	{ "caps = chown,frobnicate", "line 1: caps: " },
	{ "allow_caps = 99", "line 1: allow_caps: " },
	{ "uid_conflict = merge", "line 1: uid_conflict must be move, share or fail" },
	{ "gid_conflict = ", "line 1: 'gid_conflict' has no value" },
	{ "user = a\x01b", "line 1: control character in value" },
	{ "user = a\033[2Jb", "line 1: control character in value" },
};

static void test_errors(void **state)
{
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct config c;
		char err[256] = "";

		if (parse(bad[i].text, &c, err, sizeof err) == 0)
			fail_msg("accepted: %s", bad[i].text);
		if (strncmp(err, bad[i].want, strlen(bad[i].want)))
			fail_msg("input: %s\n got:  %s\n want: %s...", bad[i].text, err, bad[i].want);
		assert_false(c.loaded);
		assert_null(c.user);
		config_free(&c);
	}
}

static void test_limits(void **state)
{
	struct config c;
	char err[256], *text, *p;

	assert_int_equal(config_parse("user = a\0b", 10, &c, err, sizeof err), -1);
	assert_string_equal(err, "contains a NUL byte");
	/* one line of 1024 bytes is too long */
	text = malloc(2048);
	memset(text, 'x', 1024);
	memcpy(text, "user = ", 7);
	text[1024] = '\0';
	assert_int_equal(parse(text, &c, err, sizeof err), -1);
	assert_string_equal(err, "line 1: longer than 1023 bytes");
	/* 64 paths are fine, 65 are not */
	p = text + sprintf(text, "paths =");
	for (int i = 0; i < CONFIG_MAX_PATHS; i++)
		p += sprintf(p, " /p%d", i);
	assert_int_equal(parse(text, &c, err, sizeof err), 0);
	assert_int_equal(c.npaths, CONFIG_MAX_PATHS);
	config_free(&c);
	sprintf(p, " /p%d", CONFIG_MAX_PATHS);
	assert_int_equal(parse(text, &c, err, sizeof err), -1);
	assert_string_equal(err, "line 1: paths: more than 64");
	free(text);
}

/* ---- config_load: the file and its folders are checked on descriptors ---- */

static const char *mkroot_with(const char *conf, mode_t mode)
{
	const char *top = fx_tmpdir("config");
	char path[512];

	fx_put(top, CONFIG_PATH, conf);
	snprintf(path, sizeof path, "%s/%s", top, CONFIG_PATH);
	assert_int_equal(chmod(path, mode), 0);
	return top;
}

static int load(const char *top, struct config *c, char *err, size_t errlen)
{
	struct rootfs r;
	int rc;

	assert_int_equal(rootfs_open(&r, top), 0);
	rc = config_load(&r, c, err, errlen);
	rootfs_close(&r);
	return rc;
}

static void test_load(void **state)
{
	struct config c;
	char err[512] = "", path[512];
	const char *top = fx_tmpdir("config-none");

	/* no file: defaults, not an error */
	assert_int_equal(load(top, &c, err, sizeof err), 0);
	assert_false(c.loaded);

	top = mkroot_with("user = web\n", 0644);
	if (geteuid() != 0) {
		/* a user's file is never trusted */
		assert_int_equal(load(top, &c, err, sizeof err), -1);
		assert_non_null(strstr(err, "is not owned by root; refusing it"));
		return;
	}
	assert_int_equal(load(top, &c, err, sizeof err), 0);
	assert_true(c.loaded);
	assert_string_equal(c.user, "web");
	config_free(&c);

	/* group-writable file, then a group-writable /etc */
	snprintf(path, sizeof path, "%s/%s", top, CONFIG_PATH);
	assert_int_equal(chmod(path, 0664), 0);
	assert_int_equal(load(top, &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "is writable by group or others; refusing it"));
	assert_int_equal(chmod(path, 0644), 0);
	snprintf(path, sizeof path, "%s/etc", top);
	assert_int_equal(chmod(path, 0777), 0);
	assert_int_equal(load(top, &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "its folder is writable by group or others"));
	assert_int_equal(chmod(path, 0755), 0);
	/* a file owned by someone else */
	snprintf(path, sizeof path, "%s/%s", top, CONFIG_PATH);
	assert_int_equal(chown(path, 1000, 0), 0);
	assert_int_equal(load(top, &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "is not owned by root; refusing it"));
	/* a symlink is not followed */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	assert_int_equal(load(top, &c, err, sizeof err), -1);
	/* a malformed file names the file and the line */
	assert_int_equal(unlink(path), 0);
	top = mkroot_with("user = web\nbogus = 1\n", 0644);
	assert_int_equal(load(top, &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "etc/appuser.conf: line 2: unknown key 'bogus'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_load),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}

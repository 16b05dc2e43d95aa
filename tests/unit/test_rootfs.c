/* Unit tests: rootfs.c — files under a root folder, opened relative to its
 * descriptor: an image's absolute symlink or a ".." resolves inside the
 * root, never to the host's files; the "nolinks" variants refuse any
 * symlink on the way; whole-file reads stop at their limit.  A scratch
 * root (fixture.h), no privilege needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "rootfs.h"

static const char *top;
static struct rootfs r;

static int setup(void **state)
{
	char path[512];

	top = fx_tmpdir("rootfs");
	fx_put(top, "etc/passwd", "inside\n");
	fx_put(top, "app/var/data", "data\n");
	fx_put(top, "big", "0123456789");
	/* an image's links: absolute, relative, and up past the root */
	snprintf(path, sizeof path, "%s/etc/abs", top);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	snprintf(path, sizeof path, "%s/etc/up", top);
	assert_int_equal(symlink("../../../../../../etc/passwd", path), 0);
	snprintf(path, sizeof path, "%s/app/link", top);
	assert_int_equal(symlink("var", path), 0);
	assert_int_equal(rootfs_open(&r, top), 0);
	return 0;
}

static int teardown(void **state)
{
	rootfs_close(&r);
	return 0;
}

static char *read_rel(const char *rel)
{
	char *buf;
	size_t len;
	int rc = rootfs_read_file(&r, rel, 1 << 20, &buf, &len);

	if (rc < 0)
		fail_msg("%s: %s", rel, strerror(-rc));
	return buf;
}

static void test_links_stay_inside(void **state)
{
	char *s;

	s = read_rel("etc/passwd");
	assert_string_equal(s, "inside\n");
	free(s);
	/* /etc/passwd of the link is the root's own, not the host's */
	s = read_rel("etc/abs");
	assert_string_equal(s, "inside\n");
	free(s);
	s = read_rel("etc/up");
	assert_string_equal(s, "inside\n");
	free(s);
	s = read_rel("app/link/data");
	assert_string_equal(s, "data\n");
	free(s);
	s = read_rel("../../../../etc/passwd");
	assert_string_equal(s, "inside\n");
	free(s);
}

static void test_nolinks(void **state)
{
	int fd;
	char path[512];

	fd = rootfs_openat_nolinks(&r, "app/var/data", O_RDONLY | O_CLOEXEC, 0);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(rootfs_openat_nolinks(&r, "app/link/data", O_RDONLY | O_CLOEXEC, 0),
			 -ELOOP);
	assert_int_equal(rootfs_openat_nolinks(&r, "etc/abs", O_RDONLY | O_CLOEXEC, 0), -ELOOP);
	snprintf(path, sizeof path, "%s/app/link/data", top);
	assert_int_equal(open_nolinks(path, O_RDONLY | O_CLOEXEC), -ELOOP);
	snprintf(path, sizeof path, "%s/app/var/data", top);
	fd = open_nolinks(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	close(fd);
}

static void test_read_limits(void **state)
{
	char *buf = NULL, out[256];
	size_t len;

	assert_int_equal(rootfs_read_file(&r, "big", 10, &buf, &len), 0);
	assert_int_equal(len, 10);
	assert_int_equal(buf[10], '\0');
	free(buf);
	assert_int_equal(rootfs_read_file(&r, "big", 9, &buf, &len), -EFBIG);
	assert_int_equal(rootfs_read_file(&r, "missing", 9, &buf, &len), -ENOENT);
	assert_true(rootfs_read_file(&r, "etc", 9, &buf, &len) < 0);	/* a folder */
	assert_non_null(strstr(rootfs_display(&r, "etc/passwd", out, sizeof out),
			       "/etc/passwd"));
	assert_int_equal(strncmp(out, top, strlen(top)), 0);
}

/* /proc files say size 0: the buffer grows as it reads, up to max. */
static void test_growing_file(void **state)
{
	char *buf;
	size_t len;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(read_fd_all(fd, 1 << 16, &buf, &len), 0);
	assert_true(len > 100 && strlen(buf) == len);
	assert_int_equal(strncmp(buf, "Name:", 5), 0);
	free(buf);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(read_fd_all(fd, 16, &buf, &len), -EFBIG);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_links_stay_inside),
		cmocka_unit_test(test_nolinks),
		cmocka_unit_test(test_read_limits),
		cmocka_unit_test(test_growing_file),
	};
	return cmocka_run_group_tests_name("rootfs", tests, setup, teardown);
}

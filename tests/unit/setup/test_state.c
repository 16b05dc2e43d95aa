/* Unit tests: setup/state.c — the pending-remap record's format (what an
 * interrupted setup leaves for the next run).  Pure code, no root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "setup/state.h"

static void test_pending_format(void **state)
{
	struct remap_job jobs[2] = {
		{ .map = { .nuid = 1, .ngid = 1, .uid_from = { 1001 }, .uid_to = { 1000 },
			   .gid_from = { 1000 }, .gid_to = { 20 } },
		  .roots = { "/app", "/home/application" }, .nroots = 2 },
		{ .map = { .nuid = 1, .uid_from = { 1000 }, .uid_to = { 1002 } },
		  .roots = { "/home/ubuntu" }, .nroots = 1 },
	};
	struct pending_remap p;
	char *buf;
	size_t len;

	assert_int_equal(pending_format(jobs, 2, &buf, &len), 0);
	assert_string_equal(buf, "appuser-remap 2\njob\nuid 1001 1000\ngid 1000 20\n"
			    "path /app\npath /home/application\njob\nuid 1000 1002\n"
			    "path /home/ubuntu\n");
	assert_int_equal(pending_parse(buf, len, &p), 0);
	assert_int_equal(p.njobs, 2);
	assert_int_equal(p.jobs[0].map.uid_to[0], 1000);
	assert_int_equal(p.jobs[0].map.gid_to[0], 20);
	assert_int_equal(p.jobs[0].nroots, 2);
	assert_string_equal(p.jobs[0].roots[1], "/home/application");
	assert_int_equal(p.jobs[1].map.uid_to[0], 1002);
	assert_string_equal(p.jobs[1].roots[0], "/home/ubuntu");
	pending_free(&p);
	free(buf);
	/* An empty first job keeps its place: the second is still the moved
	 * user's. */
	memset(&jobs[0], 0, sizeof jobs[0]);
	assert_int_equal(pending_format(jobs, 2, &buf, &len), 0);
	assert_string_equal(buf, "appuser-remap 2\njob\njob\nuid 1000 1002\npath /home/ubuntu\n");
	assert_int_equal(pending_parse(buf, len, &p), 0);
	assert_int_equal(p.njobs, 2);
	assert_int_equal(p.jobs[0].map.nuid + p.jobs[0].map.ngid + p.jobs[0].nroots, 0);
	assert_string_equal(p.jobs[1].roots[0], "/home/ubuntu");
	pending_free(&p);
	free(buf);
	assert_int_equal(pending_parse("appuser-remap 2\njob\npath /etc\n", 30, &p), -EINVAL);
	assert_int_equal(pending_parse("appuser-remap 2\njob\nuid -1 5\n", 29, &p), -EINVAL);
	assert_int_equal(pending_parse("appuser-remap 2\nuid 1 5\n", 24, &p), -EINVAL);
	assert_int_equal(pending_parse("garbage\n", 8, &p), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pending_format),
	};
	return cmocka_run_group_tests_name("state", tests, NULL, NULL);
}

/* Unit tests: cpus.c — the CPUs a walk may use: affinity and the cgroup
 * CPU quota, read from fake cgroup trees (v1 and v2, nested, a container's
 * own cgroup mounted at its root). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpus.h"
#include "fixture.h"

static const char *top;

static void put(const char *rel, const char *text) { fx_put(top, rel, text); }

static int setup(void **state)
{
	top = fx_tmpdir("cpus");	/* a fresh fake tree per test */
	return 0;
}

#define V2_MOUNT "30 25 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n"

static void test_v2_container(void **state)
{
	put("/sys/fs/cgroup/cpu.max", "150000 100000\n");
	assert_true(cpus_quota("0::/\n", V2_MOUNT, top) == 1.5);
	put("/sys/fs/cgroup/cpu.max", "max 100000\n");
	assert_true(cpus_quota("0::/\n", V2_MOUNT, top) == 0);
}

static void test_v2_nested(void **state)
{
	/* The smallest on the way up counts: the pod's, not the container's. */
	put("/sys/fs/cgroup/kubepods/pod1/ctr/cpu.max", "max 100000\n");
	put("/sys/fs/cgroup/kubepods/pod1/cpu.max", "200000 100000\n");
	put("/sys/fs/cgroup/kubepods/cpu.max", "400000 100000\n");
	assert_true(cpus_quota("0::/kubepods/pod1/ctr\n", V2_MOUNT, top) == 2);
	put("/sys/fs/cgroup/kubepods/pod1/ctr/cpu.max", "50000 100000\n");
	assert_true(cpus_quota("0::/kubepods/pod1/ctr\n", V2_MOUNT, top) == 0.5);
}

static void test_v2_bind_root(void **state)
{
	/* No cgroup namespace: the container's cgroup is mounted at
	 * /sys/fs/cgroup, and /proc/self/cgroup names the full path. */
	put("/sys/fs/cgroup/cpu.max", "300000 100000\n");
	assert_true(cpus_quota("0::/docker/abc\n",
			       "30 25 0:26 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
			       top) == 3);
	/* A path outside the mount's root is not this mount's. */
	assert_true(cpus_quota("0::/other\n",
			       "30 25 0:26 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
			       top) == 0);
}

static void test_v1(void **state)
{
	const char *mi =
		"31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
		"34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset\n"
		"35 31 0:32 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct\n";
	const char *cg = "5:cpuset:/docker/x\n4:cpu,cpuacct:/docker/x\n0::/\n";

	put("/sys/fs/cgroup/cpu,cpuacct/docker/x/cpu.cfs_quota_us", "50000\n");
	put("/sys/fs/cgroup/cpu,cpuacct/docker/x/cpu.cfs_period_us", "100000\n");
	put("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "-1\n");
	put("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n");
	assert_true(cpus_quota(cg, mi, top) == 0.5);
	put("/sys/fs/cgroup/cpu,cpuacct/docker/x/cpu.cfs_quota_us", "-1\n");
	assert_true(cpus_quota(cg, mi, top) == 0);
	/* cpuset alone is not the cpu controller. */
	assert_true(cpus_quota("5:cpuset:/docker/x\n", mi, top) == 0);
}

static void test_escaped_mount_point(void **state)
{
	put("/with space/cpu.max", "100000 100000\n");
	assert_true(cpus_quota("0::/\n", "30 25 0:26 / /with\\040space rw - cgroup2 cgroup2 rw\n",
			       top) == 1);
}

static void test_nothing_readable(void **state)
{
	assert_true(cpus_quota("", "", top) == 0);
	assert_true(cpus_quota("0::/\n", "garbage\n", top) == 0);
	assert_true(cpus_quota("0::/\n", V2_MOUNT, "/nonexistent") == 0);
}

static void test_available(void **state)
{
	cpu_set_t set;
	unsigned n = cpus_available();

	assert_int_equal(sched_getaffinity(0, sizeof set, &set), 0);
	assert_true(n >= 1 && n <= (unsigned)CPU_COUNT(&set));
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	assert_int_equal(sched_setaffinity(0, sizeof set, &set), 0);	/* taskset -c 0 */
	assert_int_equal(cpus_available(), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_v2_container, setup),
		cmocka_unit_test_setup(test_v2_nested, setup),
		cmocka_unit_test_setup(test_v2_bind_root, setup),
		cmocka_unit_test_setup(test_v1, setup),
		cmocka_unit_test_setup(test_escaped_mount_point, setup),
		cmocka_unit_test_setup(test_nothing_readable, setup),
		cmocka_unit_test(test_available),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

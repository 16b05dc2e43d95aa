/* Unit tests: remap_tree() through the library API, for what the fix
 * command cannot express — chained maps (setup's "move a colliding user"
 * case), cycles, the descriptor budget with many threads, and the
 * fchmodat2-less kernels (Debian 12's 6.1) where setuid bits are put
 * back through /proc/self/fd.
 *
 * Needs root: it works in a private mount namespace on a tmpfs mounted
 * over /tmp there, so nothing outside the process ever sees a change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "ownership/remap.h"

#define T "/tmp/t"

static const struct remap_opts quiet = { .quiet = true };

static void mkfile(const char *p, uid_t u, gid_t g, mode_t mode)
{
	int fd = open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(chown(p, u, g), 0);
	assert_int_equal(chmod(p, mode), 0);
}

static void mkdir_own(const char *p, uid_t u, gid_t g)
{
	assert_int_equal(mkdir(p, 0755), 0);
	assert_int_equal(chown(p, u, g), 0);
}

static void expect_owner(const char *p, uid_t u, gid_t g)
{
	struct stat st;
	assert_int_equal(lstat(p, &st), 0);
	if (st.st_uid != u || st.st_gid != g)
		fail_msg("%s: %u:%u, want %u:%u", p, st.st_uid, st.st_gid, u, g);
}

static int fresh_tree(void **state)
{
	(void)state;
	(void)umount2("/tmp", MNT_DETACH);
	if (mount("remap-test", "/tmp", "tmpfs", 0, "mode=0755,size=64m") < 0)
		return -1;
	return mkdir(T, 0755);
}

static int group_setup(void **state)
{
	(void)state;
	log_set_level(LOG_QUIET);
	if (geteuid() != 0 || unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -1;	/* cmocka reports the group as failed */
	return 0;
}

static struct remap_map chain(void)
{
	/* Application user 501 takes uid/gid 1000, whose holder moves to
	 * 60001 — setup's "move" conflict policy. */
	struct remap_map m = { .nuid = 2, .ngid = 2 };
	m.uid_from[0] = 501, m.uid_to[0] = 1000;
	m.uid_from[1] = 1000, m.uid_to[1] = 60001;
	m.gid_from[0] = 501, m.gid_to[0] = 1000;
	m.gid_from[1] = 1000, m.gid_to[1] = 60001;
	return m;
}

static void test_chained_map(void **state)
{
	struct remap_map m = chain();
	struct remap_stats st;
	(void)state;
	mkfile(T "/app", 501, 501, 0644);
	assert_int_equal(link(T "/app", T "/app-link"), 0);	/* seen twice by the walk */
	mkfile(T "/other", 1000, 1000, 0644);
	mkfile(T "/mixed", 501, 1000, 0644);
	mkdir_own(T "/d", 1000, 501);
	mkfile(T "/d/deep", 501, 501, 04755);
	assert_int_equal(remap_tree(NULL, T, &m, &quiet, &st), 0);
	assert_int_equal(st.passes, 2);
	assert_int_equal(st.errors, 0);
	expect_owner(T "/app", 1000, 1000);	/* moved once, not twice */
	expect_owner(T "/other", 60001, 60001);
	expect_owner(T "/mixed", 1000, 60001);
	expect_owner(T "/d", 60001, 1000);
	expect_owner(T "/d/deep", 1000, 1000);
	struct stat s;
	assert_int_equal(stat(T "/d/deep", &s), 0);
	assert_int_equal(s.st_mode & 07777, 04755);
}

static void test_bad_maps(void **state)
{
	struct remap_map m = { .nuid = 2 };
	struct remap_stats st;
	(void)state;
	m.uid_from[0] = 1, m.uid_to[0] = 2;
	m.uid_from[1] = 2, m.uid_to[1] = 1;
	assert_int_equal(remap_tree(NULL, T, &m, &quiet, &st), -EINVAL);	/* a swap */
	m.uid_to[1] = 3, m.uid_from[1] = 1;
	assert_int_equal(remap_tree(NULL, T, &m, &quiet, &st), -EINVAL);	/* 1 twice */
	m = (struct remap_map){ .nuid = 1 };
	m.uid_from[0] = m.uid_to[0] = 7;
	assert_int_equal(remap_tree(NULL, T, &m, &quiet, &st), 0);		/* no-op: no walk */
	assert_int_equal(st.passes, 0);
	assert_int_equal(st.entries, 0);
}

static void test_refusals(void **state)
{
	struct remap_map m = { .nuid = 1 };
	struct remap_opts o = quiet;
	struct remap_stats st;
	(void)state;
	m.uid_from[0] = 4000000, m.uid_to[0] = 4000001;	/* owns nothing anywhere */
	assert_int_equal(remap_tree(NULL, "/etc", &m, &o, &st), -EPERM);
	assert_int_equal(remap_tree(NULL, "/", &m, &o, &st), -EPERM);
	assert_int_equal(remap_tree(NULL, "/proc/self", &m, &o, &st), -ELOOP);	/* a symlink */
	o.allow_system = true;
	assert_int_equal(remap_tree(NULL, "/proc", &m, &o, &st), -EPERM);
	assert_int_equal(remap_tree(NULL, T "/missing", &m, &o, &st), -ENOENT);
	mkdir_own(T "/real", 0, 0);
	assert_int_equal(symlink("real", T "/sym"), 0);
	/* A symlink anywhere on the way is refused. */
	assert_int_equal(remap_tree(NULL, T "/sym", &m, &o, &st), -ELOOP);
	mkdir_own(T "/real/sub", 0, 0);
	assert_int_equal(remap_tree(NULL, T "/sym/sub", &m, &o, &st), -ELOOP);
	assert_int_equal(remap_tree(NULL, T "/real/sub", &m, &o, &st), 0);
}

/* Inside a root (setup --root): opened below its descriptor, the image's
 * own system folders refused, its symlinks never followed. */
static void test_in_root(void **state)
{
	struct remap_map m = { .nuid = 1 };
	struct remap_stats st;
	struct rootfs root;
	(void)state;
	mkdir_own(T "/img", 0, 0);
	mkdir_own(T "/img/etc", 0, 0);
	mkdir_own(T "/img/app", 0, 0);
	mkfile(T "/img/app/f", 1000, 1000, 0644);
	assert_int_equal(symlink("/etc", T "/img/lnk"), 0);
	assert_int_equal(rootfs_open(&root, T "/img"), 0);
	m.uid_from[0] = 1000, m.uid_to[0] = 1001;
	assert_int_equal(remap_tree(&root, "/etc", &m, &quiet, &st), -EPERM);
	assert_int_equal(remap_tree(&root, "/", &m, &quiet, &st), -EPERM);
	assert_int_equal(remap_tree(&root, "/lnk", &m, &quiet, &st), -ELOOP);
	/* Renamed away after the open: the root's own /app is the one walked. */
	assert_int_equal(rename(T "/img", T "/img.orig"), 0);
	mkdir_own(T "/img", 0, 0);
	mkdir_own(T "/img/app", 0, 0);
	mkfile(T "/img/app/f", 1000, 1000, 0644);
	assert_int_equal(remap_tree(&root, "/app", &m, &quiet, &st), 0);
	assert_int_equal(st.changed, 1);
	expect_owner(T "/img.orig/app/f", 1001, 1000);
	expect_owner(T "/img/app/f", 1000, 1000);
	rootfs_close(&root);
}

/* 8 threads, 300 levels deep plus 40 x 40 wide, with 60 descriptors in
 * all: stacks are trimmed and reopened, the queue stays bounded. */
static void test_budget(void **state)
{
	struct remap_map m = { .nuid = 1, .ngid = 1 };
	struct remap_opts o = quiet;
	struct remap_stats st;
	struct rlimit old, rl;
	char p[8192] = T;
	size_t n = strlen(p);
	uint64_t want = 1;
	(void)state;
	m.uid_from[0] = m.gid_from[0] = 1000;
	m.uid_to[0] = m.gid_to[0] = 1500;
	assert_int_equal(chown(T, 1000, 1000), 0);
	for (int i = 0; i < 300; i++, want += 2) {
		n += (size_t)snprintf(p + n, sizeof p - n, "/d");
		mkdir_own(p, 1000, 1000);
		snprintf(p + n, sizeof p - n, "/x");
		mkdir_own(p, 1000, 1000);
		p[n] = '\0';
	}
	for (int i = 0; i < 40; i++, want++) {
		snprintf(p, sizeof p, T "/w%d", i);
		mkdir_own(p, 1000, 1000);
		for (int j = 0; j < 40; j++, want++) {
			snprintf(p, sizeof p, T "/w%d/f%d", i, j);
			mkfile(p, 1000, 1000, 0644);
		}
	}
	o.nthreads = 8;
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	rl = (struct rlimit){ 60, old.rlim_max };
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
	assert_int_equal(remap_tree(NULL, T, &m, &o, &st), 0);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	assert_int_equal(st.errors, 0);
	assert_int_equal(st.entries, want);
	assert_int_equal(st.changed, want);
	expect_owner(T "/w39/f39", 1500, 1500);
	o.dry_run = true;	/* nothing left to do */
	assert_int_equal(remap_tree(NULL, T, &m, &o, &st), 0);
	assert_int_equal(st.changed, 0);
}

/* Linux < 6.6 has no fchmodat2: the setuid bit goes back through the
 * descriptor's /proc/self/fd link.  Simulated with a seccomp filter in a
 * child (filters cannot be removed). */
static void test_no_fchmodat2(void **state)
{
	struct remap_map m = { .nuid = 1, .ngid = 1 };
	struct remap_stats st;
	struct stat s;
	int status;
	pid_t pid;
	(void)state;
	m.uid_from[0] = m.gid_from[0] = 1000;
	m.uid_to[0] = m.gid_to[0] = 1500;
	mkfile(T "/suid", 1000, 1000, 06755);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
		if (!ctx || seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), 452, 0) < 0 ||
		    seccomp_load(ctx) < 0)
			_exit(2);
		_exit(remap_tree(NULL, T, &m, &quiet, &st) == 0 && st.errors == 0 ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(stat(T "/suid", &s), 0);
	assert_int_equal(s.st_uid, 1500);
	assert_int_equal(s.st_mode & 07777, 06755);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_chained_map, fresh_tree),
		cmocka_unit_test_setup(test_bad_maps, fresh_tree),
		cmocka_unit_test_setup(test_refusals, fresh_tree),
		cmocka_unit_test_setup(test_in_root, fresh_tree),
		cmocka_unit_test_setup(test_budget, fresh_tree),
		cmocka_unit_test_setup(test_no_fchmodat2, fresh_tree),
	};
	if (geteuid() != 0) {
		printf("1..0 # SKIP needs root (private mount namespace)\n");
		return 0;
	}
	return cmocka_run_group_tests_name("remap_walk", tests, group_setup, NULL);
}

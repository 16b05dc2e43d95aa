/* Unit tests: ownership/rules.c — the pure rules of the ownership remap.
 * No root, no files.  Start-path classes and the escaper: test_path.c;
 * the walk itself: test_remap.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "ownership/rules.h"

static struct remap_map map1(uint32_t uf, uint32_t ut, uint32_t gf, uint32_t gt)
{
	struct remap_map m = { .nuid = 1, .ngid = 1 };
	m.uid_from[0] = uf, m.uid_to[0] = ut, m.gid_from[0] = gf, m.gid_to[0] = gt;
	return m;
}

static struct remap_action decide(const struct remap_map *m, uint32_t uid, uint32_t gid,
				  uint32_t mode, uint32_t nlink, bool prot)
{
	struct remap_entry e = { uid, gid, mode, nlink };
	struct remap_action a;
	remap_decide(m, &e, prot, &a);
	return a;
}

static void test_lookup(void **state)
{
	struct remap_map m = { .nuid = 2, .ngid = 1 };
	uint32_t to = 7;
	(void)state;
	m.uid_from[0] = 1000, m.uid_to[0] = 1500;
	m.uid_from[1] = 60001, m.uid_to[1] = 1000;
	m.gid_from[0] = 1000, m.gid_to[0] = 1500;
	assert_true(remap_uid(&m, 1000, &to)); assert_int_equal(to, 1500);
	assert_true(remap_uid(&m, 60001, &to)); assert_int_equal(to, 1000);
	assert_false(remap_uid(&m, 1500, &to));
	assert_false(remap_uid(&m, 0, &to));
	assert_true(remap_gid(&m, 1000, &to)); assert_int_equal(to, 1500);
	assert_false(remap_gid(&m, 60001, &to));	/* sides are independent */
	assert_int_equal(to, 1500);			/* untouched on a miss */
}

/* setup's OnRootMismatch: a start already on the new IDs is not walked. */
static void test_root_done(void **state)
{
	struct remap_map m = { .nuid = 1, .uid_from = { 1000 }, .uid_to = { 501 },
			       .ngid = 1, .gid_from = { 1000 }, .gid_to = { 20 } };
	struct remap_map gid_only = { .ngid = 1, .gid_from = { 1000 }, .gid_to = { 20 } };
	struct remap_map none = { 0 };

	(void)state;
	assert_true(remap_root_done(&m, 501, 20));
	assert_false(remap_root_done(&m, 1000, 1000));	/* old owner: walk */
	assert_false(remap_root_done(&m, 501, 1000));	/* old gid still there */
	assert_false(remap_root_done(&m, 1000, 20));
	assert_false(remap_root_done(&m, 0, 0));	/* someone else's: cannot tell */
	assert_false(remap_root_done(&m, 501, 0));
	assert_true(remap_root_done(&gid_only, 33, 20));	/* only the gid is the map's */
	assert_false(remap_root_done(&gid_only, 33, 1000));
	assert_false(remap_root_done(&none, 501, 20));
}

static void test_map_check(void **state)
{
	struct remap_map m = map1(1000, 1500, 1000, 1500);
	(void)state;
	assert_int_equal(remap_map_check(&m), 0);
	m.uid_to[0] = 4294967295u;
	assert_int_equal(remap_map_check(&m), -EINVAL);
	m = map1(1000, 1500, 1000, 1500);
	m.nuid = 2, m.uid_from[1] = 1000, m.uid_to[1] = 2000;	/* two answers for 1000 */
	assert_int_equal(remap_map_check(&m), -EINVAL);
	m = map1(1000, 1500, 1000, 1500);
	m.ngid = REMAP_MAX + 1;
	assert_int_equal(remap_map_check(&m), -EINVAL);
	m = map1(5, 5, 6, 6);
	assert_true(remap_map_is_noop(&m));
	m.gid_to[0] = 7;
	assert_false(remap_map_is_noop(&m));
	m = (struct remap_map){ 0 };
	assert_true(remap_map_is_noop(&m));
}

static void test_passes(void **state)
{
	struct remap_map out[REMAP_MAX];
	struct remap_map m = { .nuid = 2, .ngid = 1 };
	(void)state;
	/* app 501 -> 1000 while ubuntu 1000 -> 60001: ubuntu first. */
	m.uid_from[0] = 501, m.uid_to[0] = 1000;
	m.uid_from[1] = 1000, m.uid_to[1] = 60001;
	m.gid_from[0] = 501, m.gid_to[0] = 1000;
	assert_int_equal(remap_map_passes(&m, out), 2);
	assert_int_equal(out[0].nuid, 1);
	assert_int_equal(out[0].uid_from[0], 1000);
	assert_int_equal(out[0].uid_to[0], 60001);
	assert_int_equal(out[0].ngid, 1);		/* 501 -> 1000 gid: nothing vacates 1000 */
	assert_int_equal(out[1].nuid, 1);
	assert_int_equal(out[1].uid_from[0], 501);
	assert_int_equal(out[1].ngid, 0);
	/* A three-step chain. */
	m = (struct remap_map){ .nuid = 3 };
	m.uid_from[0] = 1, m.uid_to[0] = 2;
	m.uid_from[1] = 2, m.uid_to[1] = 3;
	m.uid_from[2] = 3, m.uid_to[2] = 4;
	assert_int_equal(remap_map_passes(&m, out), 3);
	assert_int_equal(out[0].uid_from[0], 3);
	assert_int_equal(out[1].uid_from[0], 2);
	assert_int_equal(out[2].uid_from[0], 1);
	/* A swap is a cycle: refused. */
	m = (struct remap_map){ .nuid = 2 };
	m.uid_from[0] = 1, m.uid_to[0] = 2;
	m.uid_from[1] = 2, m.uid_to[1] = 1;
	assert_int_equal(remap_map_passes(&m, out), -EINVAL);
	/* Identity pairs vanish; a no-op map needs no walk at all. */
	m = map1(1000, 1000, 1000, 1500);
	assert_int_equal(remap_map_passes(&m, out), 1);
	assert_int_equal(out[0].nuid, 0);
	assert_int_equal(out[0].ngid, 1);
	m = map1(1000, 1000, 7, 7);
	assert_int_equal(remap_map_passes(&m, out), 0);
}

static void test_decide_owners(void **state)
{
	struct remap_map m = map1(1000, 1500, 1000, 1500);
	struct remap_action a;
	(void)state;
	a = decide(&m, 1000, 1000, S_IFREG | 0644, 1, true);
	assert_int_equal(a.verdict, RV_CHANGE);
	assert_true(a.uid_moves && a.gid_moves);
	assert_int_equal(a.uid, 1500); assert_int_equal(a.gid, 1500);
	assert_false(a.restore_mode);
	/* Owner only: the group is someone else's and stays. */
	a = decide(&m, 1000, 2000, S_IFREG | 0644, 1, true);
	assert_int_equal(a.verdict, RV_CHANGE);
	assert_true(a.uid_moves); assert_false(a.gid_moves);
	assert_int_equal(a.gid, 2000);
	/* Group only. */
	a = decide(&m, 2000, 1000, S_IFDIR | 0755, 2, true);
	assert_int_equal(a.verdict, RV_CHANGE);
	assert_false(a.uid_moves); assert_true(a.gid_moves);
	assert_int_equal(a.uid, 2000);
	/* Other owners, root, and files already right are never touched. */
	assert_int_equal(decide(&m, 2000, 2000, S_IFREG | 0644, 1, true).verdict, RV_KEEP);
	assert_int_equal(decide(&m, 0, 0, S_IFREG | 04755, 1, true).verdict, RV_KEEP);
	assert_int_equal(decide(&m, 1500, 1500, S_IFREG | 0644, 1, true).verdict, RV_KEEP);
	/* Symlinks, fifos, sockets, devices are remapped like files. */
	assert_int_equal(decide(&m, 1000, 1000, S_IFLNK | 0777, 1, true).verdict, RV_CHANGE);
	assert_int_equal(decide(&m, 1000, 1000, S_IFIFO | 0644, 1, true).verdict, RV_CHANGE);
	assert_int_equal(decide(&m, 1000, 1000, S_IFSOCK | 0755, 1, true).verdict, RV_CHANGE);
	assert_int_equal(decide(&m, 1000, 1000, S_IFCHR | 0600, 1, true).verdict, RV_CHANGE);
}

static void test_hardlinks(void **state)
{
	struct remap_map m = map1(1000, 1500, 1000, 1500);
	(void)state;
	/* fs.protected_hardlinks off: a linked non-directory is left alone. */
	assert_int_equal(decide(&m, 1000, 1000, S_IFREG | 0644, 2, false).verdict, RV_HARDLINK);
	assert_int_equal(decide(&m, 1000, 1000, S_IFLNK | 0777, 2, false).verdict, RV_HARDLINK);
	assert_int_equal(decide(&m, 1000, 1000, S_IFREG | 0644, 1, false).verdict, RV_CHANGE);
	/* Directories always have nlink >= 2. */
	assert_int_equal(decide(&m, 1000, 1000, S_IFDIR | 0755, 5, false).verdict, RV_CHANGE);
	/* A linked file of another owner is simply not ours. */
	assert_int_equal(decide(&m, 0, 0, S_IFREG | 0640, 2, false).verdict, RV_KEEP);
	/* protected_hardlinks on: only the owner (or root) links a file that
	 * nobody else may both read and write... */
	assert_int_equal(decide(&m, 1000, 1000, S_IFREG | 0644, 2, true).verdict, RV_CHANGE);
	assert_int_equal(decide(&m, 1000, 1000, S_IFREG | 0622, 2, true).verdict, RV_CHANGE);
	assert_int_equal(decide(&m, 1000, 1000, S_IFREG | 0654, 2, true).verdict, RV_CHANGE);
	/* ...but anyone who may read and write it can link it elsewhere. */
	assert_int_equal(decide(&m, 1000, 1000, S_IFREG | 0666, 2, true).verdict, RV_HARDLINK);
	assert_int_equal(decide(&m, 1000, 1000, S_IFREG | 0606, 2, true).verdict, RV_HARDLINK);
	assert_int_equal(decide(&m, 1000, 1000, S_IFREG | 0660, 2, true).verdict, RV_HARDLINK);
	assert_int_equal(decide(&m, 1000, 1000, S_IFREG | 0664, 2, true).verdict, RV_HARDLINK);
	assert_int_equal(decide(&m, 1000, 1000, S_IFREG | 0666, 1, true).verdict, RV_CHANGE);
	/* The kernel refuses non-owners a setuid, setgid-executable or
	 * non-regular file, whatever its mode. */
	assert_int_equal(decide(&m, 1000, 1000, S_IFREG | 04666, 2, true).verdict, RV_CHANGE);
	assert_int_equal(decide(&m, 1000, 1000, S_IFREG | 02676, 2, true).verdict, RV_CHANGE);
	assert_int_equal(decide(&m, 1000, 1000, S_IFREG | 02666, 2, true).verdict, RV_HARDLINK);
	assert_int_equal(decide(&m, 1000, 1000, S_IFLNK | 0777, 2, true).verdict, RV_CHANGE);
	assert_int_equal(decide(&m, 1000, 1000, S_IFIFO | 0666, 2, true).verdict, RV_CHANGE);
	assert_int_equal(decide(&m, 1000, 1000, S_IFDIR | 0777, 3, true).verdict, RV_CHANGE);
}

static void test_setuid_rule(void **state)
{
	struct remap_map m = map1(1000, 1500, 1000, 1500);
	struct remap_action a;
	(void)state;
	/* One account renumbered: bits restored. */
	a = decide(&m, 1000, 1000, S_IFREG | 06755, 1, true);
	assert_true(a.restore_mode);
	assert_int_equal(a.mode, 06755);
	assert_int_equal(a.dropped, 0);
	/* Setgid without group-exec is kept the same way. */
	a = decide(&m, 1000, 1000, S_IFREG | 02644, 1, true);
	assert_true(a.restore_mode);
	assert_int_equal(a.mode, 02644);
	/* Group-only change of a setuid-root file: the owner stays root,
	 * so the file keeps its setuid bit (and nothing gains root). */
	a = decide(&m, 0, 1000, S_IFREG | 04755, 1, true);
	assert_int_equal(a.verdict, RV_CHANGE);
	assert_true(a.restore_mode);
	assert_int_equal(a.mode, 04755);
	/* No setuid/setgid: nothing to restore. */
	a = decide(&m, 1000, 1000, S_IFREG | 0755, 1, true);
	assert_false(a.restore_mode);
	/* Directories keep setgid (chown leaves it): no chmod. */
	a = decide(&m, 1000, 1000, S_IFDIR | 02775, 2, true);
	assert_false(a.restore_mode);
	assert_int_equal(a.dropped, 0);

	/* Root's setuid program given away: the bit is dropped. */
	m = map1(0, 1000, 0, 1000);
	a = decide(&m, 0, 0, S_IFREG | 06755, 1, true);
	assert_true(a.uid_moves && a.gid_moves);
	assert_false(a.restore_mode);
	assert_int_equal(a.dropped, 06000);
	assert_int_equal(a.mode, 0755);
	/* Nothing ever becomes setuid or setgid root. */
	m = map1(1000, 0, 1000, 0);
	a = decide(&m, 1000, 1000, S_IFREG | 06755, 1, true);
	assert_int_equal(a.dropped, 06000);
	assert_false(a.restore_mode);
	/* Only the side that changes hands loses its bit. */
	m = map1(1000, 0, 1000, 1500);
	a = decide(&m, 1000, 1000, S_IFREG | 06755, 1, true);
	assert_int_equal(a.dropped, 04000);
	assert_true(a.restore_mode);
	assert_int_equal(a.mode, 02755);
}

static void test_fmt_count(void **state)
{
	char b[32];
	(void)state;
	assert_string_equal(remap_fmt_count(0, b, sizeof b), "0");
	assert_string_equal(remap_fmt_count(999, b, sizeof b), "999");
	assert_string_equal(remap_fmt_count(1000, b, sizeof b), "1,000");
	assert_string_equal(remap_fmt_count(183245, b, sizeof b), "183,245");
	assert_string_equal(remap_fmt_count(1234567, b, sizeof b), "1,234,567");
	assert_string_equal(remap_fmt_count(18446744073709551615u, b, sizeof b),
			    "18,446,744,073,709,551,615");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_map_check),
		cmocka_unit_test(test_root_done),
		cmocka_unit_test(test_passes),
		cmocka_unit_test(test_decide_owners),
		cmocka_unit_test(test_hardlinks),
		cmocka_unit_test(test_setuid_rule),
		cmocka_unit_test(test_fmt_count),
	};
	return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}

/* Unit tests: exec/groups.c — which runtime-given groups exec keeps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "exec/groups.h"
#include "fixture.h"

static const char PASSWD[] =
	"root:x:0:0:root:/root:/bin/sh\n"
	"app:x:1000:1000::/home/app:/bin/sh\n";
static const char GROUP[] =
	"root:x:0:\n"
	"disk:x:6:root\n"
	"wheel:x:10:app,root\n"
	"app:x:1000:\n";

static void run(enum run_mode mode, uint32_t ruid, uint32_t rgid, gid_t *groups, size_t n,
		const uint32_t *want, size_t nwant)
{
	struct acct_db pw, gr;
	struct caller c = { .mode = mode, .ruid = ruid, .rgid = rgid, .groups = groups,
			    .ngroups = n };
	struct target t = { 0 };

	fx_parse(ACCT_PASSWD, PASSWD, &pw);
	fx_parse(ACCT_GROUP, GROUP, &gr);
	assert_true(target_add_group(&t, 1000));
	assert_int_equal(runtime_groups_add(&c, &pw, &gr, &t), 0);
	assert_int_equal(t.ngroups, nwant + 1);
	for (size_t i = 0; i < nwant; i++)
		assert_int_equal(t.groups[i + 1], want[i]);
	target_free(&t);
	acct_free(&pw);
	acct_free(&gr);
}

static void root_keeps_the_runtimes_groups(void **s)
{
	gid_t g[] = { 0, 6, 10, 2000, 1234, 1000 };
	const uint32_t want[] = { 2000, 1234 };	/* 1000 is already there */

	(void)s;
	run(MODE_ROOT, 0, 0, g, 6, want, 2);
}

static void root_primary_gid_is_its_own(void **s)
{
	gid_t g[] = { 5, 2000 };
	const uint32_t want[] = { 2000 };

	(void)s;
	run(MODE_ROOT, 0, 5, g, 2, want, 1);
}

static void setuid_keeps_all_it_holds(void **s)
{
	gid_t g[] = { 10, 2000, 0 };
	const uint32_t want[] = { 10, 2000, 0 };

	(void)s;
	run(MODE_SETUID, 1000, 1000, g, 3, want, 3);
}

static void setuid_nothing_held_nothing_added(void **s)
{
	(void)s;
	run(MODE_SETUID, 1001, 1001, NULL, 0, NULL, 0);
}

static void unprivileged_adds_nothing(void **s)
{
	gid_t g[] = { 2000 };

	(void)s;
	run(MODE_UNPRIV, 1000, 1000, g, 1, NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(root_keeps_the_runtimes_groups),
		cmocka_unit_test(root_primary_gid_is_its_own),
		cmocka_unit_test(setuid_keeps_all_it_holds),
		cmocka_unit_test(setuid_nothing_held_nothing_added),
		cmocka_unit_test(unprivileged_adds_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests: setup/setuid_rules.c — what the environment may ask of a
 * setuid setup: only confirm the config, never widen it.  Pure code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "setup/setuid_rules.h"

static void test_setuid_env_rules(void **state)
{
	struct config cfg = { .loaded = true, .allow_setuid = true };
	struct app_env e;
	char err[512];
	char *paths[] = { "/app" };

	memset(&e, 0, sizeof e);
	assert_int_equal(setuid_setup_check(&e, &cfg, err, sizeof err), 0);
	cfg.allow_setuid = false;
	assert_int_equal(setuid_setup_check(&e, &cfg, err, sizeof err), -1);
	assert_non_null(strstr(err, "allow_setuid"));
	cfg.loaded = false;
	assert_int_equal(setuid_setup_check(&e, &cfg, err, sizeof err), -1);
	cfg.loaded = cfg.allow_setuid = true;

	e.user = "application";
	assert_int_equal(setuid_setup_check(&e, &cfg, err, sizeof err), 0);
	e.user = "other";
	assert_int_equal(setuid_setup_check(&e, &cfg, err, sizeof err), -1);
	assert_non_null(strstr(err, "APPLICATION_USER='other'"));
	e.user = NULL;
	e.group = "wheel";
	assert_int_equal(setuid_setup_check(&e, &cfg, err, sizeof err), -1);
	e.group = NULL;
	e.home = "/root";
	assert_int_equal(setuid_setup_check(&e, &cfg, err, sizeof err), -1);
	e.home = NULL;
	/* APPLICATION_GROUPS passes here: the planner allows only groups the
	 * caller holds (test_plan.c, integration/setup/contexts.sh). */
	e.groups[0] = "shadow";
	e.ngroups = 1;
	assert_int_equal(setuid_setup_check(&e, &cfg, err, sizeof err), 0);
	e.ngroups = 0;
	e.paths[0] = "/app";
	e.npaths = 1;
	assert_int_equal(setuid_setup_check(&e, &cfg, err, sizeof err), -1);
	cfg.paths[0] = paths[0];
	cfg.npaths = 1;
	assert_int_equal(setuid_setup_check(&e, &cfg, err, sizeof err), 0);
	e.paths[0] = "/etc";
	assert_int_equal(setuid_setup_check(&e, &cfg, err, sizeof err), -1);
	e.npaths = 0;
	e.uid_conflict = CONFLICT_MOVE;
	assert_int_equal(setuid_setup_check(&e, &cfg, err, sizeof err), 0);
	e.uid_conflict = CONFLICT_SHARE;
	assert_int_equal(setuid_setup_check(&e, &cfg, err, sizeof err), -1);
	assert_non_null(strstr(err, "APPLICATION_UID_CONFLICT"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_setuid_env_rules),
	};
	return cmocka_run_group_tests_name("setuid_rules", tests, NULL, NULL);
}

/* Unit tests: setup/plan.c — the planner (setup/plan_group.c and
 * setup/plan_edit.c are its parts).  Pure code, no root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/edit.h"
#include "setup/plan.h"
#include "fixture.h"

static const char PW_BASE[] =
	"root:x:0:0:root:/root:/bin/bash\n"
	"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
	"www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n"
	"nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
static const char GR_BASE[] =
	"root:x:0:\n"
	"daemon:x:1:\n"
	"dialout:x:20:\n"
	"www-data:x:33:\n"
	"video:x:44:\n"
	"staff:x:50:\n"
	"users:x:100:\n"
	"nogroup:x:65534:\n";
static const char SP_BASE[] =
	"root:*:19000:0:99999:7:::\n"
	"daemon:*:19000:0:99999:7:::\n"
	"www-data:*:19000:0:99999:7:::\n"
	"nobody:*:19000:0:99999:7:::\n";
static const char GS_BASE[] =
	"root:*::\n"
	"daemon:*::\n"
	"dialout:*::\n"
	"www-data:*::\n"
	"video:*::\n"
	"staff:*::\n"
	"users:*::\n"
	"nogroup:*::\n";

struct fx {
	struct acct_db db[4];
	struct app_env env;
	struct config cfg;
	struct plan p;
	struct path_fact paths[4], gpaths[4];
	size_t npaths, ngpaths;
	bool setuid;
	uint32_t ruid, rgid;
	gid_t held[4];
	size_t nheld;
	char err[1024];
};

/* The base image plus extra lines per file. */
static void load(struct fx *f, const char *pw, const char *gr, const char *sp, const char *gs)
{
	const char *base[4] = { PW_BASE, GR_BASE, SP_BASE, GS_BASE };
	const char *extra[4] = { pw, gr, sp, gs };

	memset(f, 0, sizeof *f);
	for (int k = 0; k < 4; k++) {
		char *t = fx_cat(base[k], extra[k]);
		fx_parse((enum acct_kind)k, t, &f->db[k]);
		free(t);
	}
}

static const char UBUNTU_PW[] = "ubuntu:x:1000:1000:Ubuntu:/home/ubuntu:/bin/bash\n";
static const char UBUNTU_GR[] = "ubuntu:x:1000:\n";
static const char UBUNTU_SP[] = "ubuntu:!:19000:0:99999:7:::\n";
static const char UBUNTU_GS[] = "ubuntu:!::\n";
static const char APP_PW[] = "application:x:1000:1000::/home/application:/bin/bash\n";
static const char APP_GR[] = "application:x:1000:\nextra:x:1500:application\n";
static const char APP_SP[] = "application:!:19000:0:99999:7:::\n";
static const char APP_GS[] = "application:!::\nextra:!::application\n";

/* Plan with these NAME=VALUE strings (NULL-terminated list). */
static enum plan_rc plan(struct fx *f, const char *const *envp)
{
	struct plan_in in = {
		.env = &f->env, .cfg = &f->cfg, .have_shadow = true, .have_gshadow = true,
		.paths = f->paths, .npaths = f->npaths, .gpaths = f->gpaths, .ngpaths = f->ngpaths,
		.setuid = f->setuid, .ruid = f->ruid, .rgid = f->rgid, .today = 20000,
		.held = f->held, .nheld = f->nheld,
	};
	char *const empty[] = { NULL };

	login_defs_default(&in.defs);
	env_free(&f->env);
	plan_free(&f->p);
	f->err[0] = '\0';
	if (env_parse(envp ? (char *const *)envp : empty, &f->env, f->err, sizeof f->err) < 0)
		return PLAN_INVALID;
	return plan_make(&in, f->db, &f->p, f->err, sizeof f->err);
}

static char *file(struct fx *f, int k)
{
	return fx_serialize(&f->db[k]);
}

static bool has_line(struct fx *f, int k, const char *line)
{
	char *b = file(f, k), *want = fx_cat("\n", line);
	bool r = strstr(b, want) != NULL || !strncmp(b, line, strlen(line));
	free(b);
	free(want);
	return r;
}

static bool logged(const struct fx *f, const char *needle)
{
	for (size_t i = 0; i < f->p.nlines; i++)
		if (strstr(f->p.lines[i], needle))
			return true;
	return false;
}

static void done(struct fx *f)
{
	for (int k = 0; k < 4; k++)
		acct_free(&f->db[k]);
	env_free(&f->env);
	plan_free(&f->p);
	config_free(&f->cfg);
}

/* Running the plan again on its own result changes nothing. */
static void assert_idempotent(struct fx *f, const char *const *envp)
{
	char *before[4], *after;

	for (int k = 0; k < 4; k++)
		before[k] = file(f, k);
	assert_int_equal(plan(f, envp), PLAN_OK);
	if (plan_changes_files(&f->p))
		fail_msg("second plan changes files: %s", f->p.nlines ? f->p.lines[0] : "?");
	assert_int_equal(f->p.nlines, 0);
	assert_false(plan_remaps(&f->p));
	for (int k = 0; k < 4; k++) {
		after = file(f, k);
		assert_string_equal(before[k], after);
		free(after);
		free(before[k]);
	}
}

static void test_create_on_plain_image(void **state)
{
	struct fx f;

	load(&f, NULL, NULL, NULL, NULL);
	assert_int_equal(plan(&f, NULL), PLAN_OK);
	assert_true(has_line(&f, 0, "application:x:1000:1000::/home/application:/bin/sh\n"));
	assert_true(has_line(&f, 1, "application:x:1000:\n"));
	assert_true(has_line(&f, 2, "application:!:20000:0:99999:7:::\n"));
	assert_true(has_line(&f, 3, "application:!::\n"));
	assert_true(f.p.dirty[0] && f.p.dirty[1] && f.p.dirty[2] && f.p.dirty[3]);
	assert_string_equal(f.p.home, "/home/application");
	assert_false(plan_remaps(&f.p));	/* nothing owned the new IDs' files before */
	assert_true(logged(&f, "created user application (uid 1000, gid 1000"));
	assert_idempotent(&f, NULL);
	done(&f);
}

static void test_ubuntu_move(void **state)
{
	const char *env[] = { "APPLICATION_UID=1000", "APPLICATION_GID=1000", NULL };
	struct fx f;

	load(&f, UBUNTU_PW, UBUNTU_GR, UBUNTU_SP, UBUNTU_GS);
	assert_int_equal(plan(&f, env), PLAN_OK);
	assert_true(has_line(&f, 0, "ubuntu:x:1001:1001:Ubuntu:/home/ubuntu:/bin/bash\n"));
	assert_true(has_line(&f, 1, "ubuntu:x:1001:\n"));
	assert_true(has_line(&f, 0, "application:x:1000:1000::/home/application:/bin/sh\n"));
	assert_true(has_line(&f, 1, "application:x:1000:\n"));
	assert_true(logged(&f, "user ubuntu uid 1000 -> 1001 (moved"));
	assert_true(logged(&f, "group ubuntu gid 1000 -> 1001 (moved"));
	/* ubuntu's files follow it under its home only */
	assert_int_equal(f.p.jobs[JOB_MOVED].map.nuid, 1);
	assert_int_equal(f.p.jobs[JOB_MOVED].map.uid_from[0], 1000);
	assert_int_equal(f.p.jobs[JOB_MOVED].map.uid_to[0], 1001);
	assert_int_equal(f.p.jobs[JOB_MOVED].map.ngid, 1);
	assert_int_equal(f.p.jobs[JOB_MOVED].map.gid_to[0], 1001);
	assert_int_equal(f.p.jobs[JOB_MOVED].nroots, 1);
	assert_string_equal(f.p.jobs[JOB_MOVED].roots[0], "/home/ubuntu");
	/* a new application user has no old IDs to carry */
	assert_int_equal(f.p.jobs[JOB_APP].map.nuid + f.p.jobs[JOB_APP].map.ngid, 0);
	assert_idempotent(&f, env);
	done(&f);
}

/* A moved user's home that is, lies in or holds a configured folder or the
 * application's home is never remapped, and the plan says so once
 * (issue 11 §5: keep-id's NAME:*:1000:1000::/app:/bin/sh, useradd -d /app). */
static void test_moved_home_kept(void **state)
{
	const char *env[] = { "APPLICATION_UID=1000", "APPLICATION_GID=1000", NULL };
	static const struct { const char *home, *path, *says; } cases[] = {
		{ "/app", "/app", "it is the application's folder /app" },
		{ "/app/sub", "/app", "it lies in the application's folder /app" },
		{ "/srv", "/srv/app", "it holds the application's folder /srv/app" },
		{ "/home/application", "/app", "it is the application's folder /home/application" },
		{ "/home/application/x", "/app", "it lies in the application's folder /home/application" },
	};
	struct fx f;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char pw[128];

		snprintf(pw, sizeof pw, "dev:*:1000:1000::%s:/bin/sh\n", cases[i].home);
		load(&f, pw, "dev:x:1000:\n", NULL, NULL);
		f.paths[0] = (struct path_fact){ .path = cases[i].path, .exists = true, .uid = 1000,
						 .gid = 1000 };
		f.npaths = 1;
		assert_int_equal(plan(&f, env), PLAN_OK);
		assert_true(logged(&f, "user dev uid 1000 -> 1001 (moved"));
		assert_int_equal(f.p.jobs[JOB_MOVED].nroots, 0);
		assert_int_equal(f.p.nskips, 1);
		if (!strstr(f.p.skips[0], cases[i].says))
			fail_msg("%s: '%s' does not say '%s'", cases[i].home, f.p.skips[0], cases[i].says);
		done(&f);
	}
	/* /application is not inside /app: remapped as any home */
	load(&f, "dev:*:1000:1000::/application:/bin/sh\n", "dev:x:1000:\n", NULL, NULL);
	f.paths[0] = (struct path_fact){ .path = "/app", .exists = true };
	f.npaths = 1;
	assert_int_equal(plan(&f, env), PLAN_OK);
	assert_int_equal(f.p.nskips, 0);
	assert_int_equal(f.p.jobs[JOB_MOVED].nroots, 1);
	assert_string_equal(f.p.jobs[JOB_MOVED].roots[0], "/application");
	done(&f);
}

static void test_ubuntu_default_takes_free_id(void **state)
{
	struct fx f;

	load(&f, UBUNTU_PW, UBUNTU_GR, UBUNTU_SP, UBUNTU_GS);
	assert_int_equal(plan(&f, NULL), PLAN_OK);
	assert_true(has_line(&f, 0, "application:x:1001:1001::/home/application:/bin/sh\n"));
	assert_true(has_line(&f, 0, "ubuntu:x:1000:1000:Ubuntu:/home/ubuntu:/bin/bash\n"));
	assert_idempotent(&f, NULL);
	done(&f);
}

static void test_share_and_fail(void **state)
{
	const char *share[] = { "PUID=1000", "PGID=1000", "APPLICATION_UID_CONFLICT=share",
				"APPLICATION_GID_CONFLICT=share", NULL };
	const char *failp[] = { "PUID=1000", "APPLICATION_UID_CONFLICT=fail", NULL };
	struct fx f;

	load(&f, UBUNTU_PW, UBUNTU_GR, UBUNTU_SP, UBUNTU_GS);
	assert_int_equal(plan(&f, share), PLAN_OK);
	assert_true(has_line(&f, 0, "ubuntu:x:1000:1000:Ubuntu:/home/ubuntu:/bin/bash\n"));
	assert_true(has_line(&f, 0, "application:x:1000:1000::/home/application:/bin/sh\n"));
	assert_true(has_line(&f, 1, "application:x:1000:\n"));
	assert_idempotent(&f, share);
	done(&f);

	load(&f, UBUNTU_PW, UBUNTU_GR, UBUNTU_SP, UBUNTU_GS);
	assert_int_equal(plan(&f, failp), PLAN_INVALID);
	assert_non_null(strstr(f.err, "PUID=1000 belongs to user 'ubuntu'"));
	done(&f);

	/* the config's policy, overridden by the environment */
	load(&f, UBUNTU_PW, UBUNTU_GR, UBUNTU_SP, UBUNTU_GS);
	f.cfg.uid_conflict = strdup("fail");
	assert_int_equal(plan(&f, (const char *[]){ "PUID=1000", NULL }), PLAN_INVALID);
	assert_int_equal(plan(&f, (const char *[]){ "PUID=1000", "APPLICATION_UID_CONFLICT=move",
						    NULL }), PLAN_OK);
	done(&f);
}

static void test_system_uid_never_moved(void **state)
{
	struct fx f;

	load(&f, NULL, NULL, NULL, NULL);
	assert_int_equal(plan(&f, (const char *[]){ "APPLICATION_UID=33", NULL }), PLAN_INVALID);
	assert_non_null(strstr(f.err, "system account 'www-data'"));
	assert_non_null(strstr(f.err, "share"));
	assert_int_equal(plan(&f, (const char *[]){ "APPLICATION_UID=33",
						    "APPLICATION_UID_CONFLICT=share", NULL }), PLAN_OK);
	assert_true(has_line(&f, 0, "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n"));
	assert_true(has_line(&f, 0, "application:x:33:"));
	done(&f);
}

/* macOS: host user 501, group staff = 20 (dialout here). */
static void test_macos_join_system_gid(void **state)
{
	const char *env[] = { "APPLICATION_UID=501", "APPLICATION_GID=20", NULL };
	struct fx f;

	load(&f, APP_PW, APP_GR, APP_SP, APP_GS);
	f.paths[0] = (struct path_fact){ "/app", true, 1000, 1000 };
	f.npaths = 1;
	assert_int_equal(plan(&f, env), PLAN_OK);
	assert_true(has_line(&f, 0, "application:x:501:20::/home/application:/bin/bash\n"));
	assert_true(has_line(&f, 1, "dialout:x:20:\n"));
	assert_true(has_line(&f, 1, "application:x:1000:\n"));	/* left alone */
	assert_false(f.p.dirty[1]);
	assert_int_equal(f.p.jobs[JOB_APP].map.nuid, 1);
	assert_int_equal(f.p.jobs[JOB_APP].map.uid_from[0], 1000);
	assert_int_equal(f.p.jobs[JOB_APP].map.uid_to[0], 501);
	assert_int_equal(f.p.jobs[JOB_APP].map.ngid, 1);
	assert_int_equal(f.p.jobs[JOB_APP].map.gid_to[0], 20);
	assert_int_equal(f.p.jobs[JOB_APP].nroots, 2);
	assert_string_equal(f.p.jobs[JOB_APP].roots[0], "/home/application");
	assert_string_equal(f.p.jobs[JOB_APP].roots[1], "/app");
	assert_int_equal(f.p.jobs[JOB_MOVED].map.nuid + f.p.jobs[JOB_MOVED].map.ngid, 0);
	assert_string_equal(f.p.group, "dialout");
	assert_idempotent(&f, env);
	done(&f);

	load(&f, APP_PW, APP_GR, APP_SP, APP_GS);
	assert_int_equal(plan(&f, (const char *[]){ "APPLICATION_GID=20",
						    "APPLICATION_GID_CONFLICT=fail", NULL }),
			 PLAN_INVALID);
	assert_non_null(strstr(f.err, "dialout"));
	assert_int_equal(plan(&f, (const char *[]){ "APPLICATION_GID=20",
						    "APPLICATION_GID_CONFLICT=share", NULL }), PLAN_OK);
	assert_true(has_line(&f, 1, "application:x:20:\n"));
	done(&f);
}

static void test_renumber_existing(void **state)
{
	const char *env[] = { "APPLICATION_UID=1234", "APPLICATION_GID=1234", NULL };
	struct fx f;

	load(&f, APP_PW, APP_GR, APP_SP, APP_GS);
	assert_int_equal(plan(&f, env), PLAN_OK);
	assert_true(has_line(&f, 0, "application:x:1234:1234::/home/application:/bin/bash\n"));
	assert_true(has_line(&f, 1, "application:x:1234:\n"));
	assert_false(f.p.dirty[2]);	/* shadow has no IDs */
	assert_false(f.p.dirty[3]);
	assert_true(logged(&f, "application uid 1000 -> 1234"));
	assert_true(logged(&f, "group application gid 1000 -> 1234"));
	assert_idempotent(&f, env);
	done(&f);
}

static void test_rename_user(void **state)
{
	const char *env[] = { "APPLICATION_USER=web", "APPLICATION_HOME=/srv/web", NULL };
	struct fx f;

	load(&f, APP_PW, APP_GR, APP_SP, APP_GS);
	assert_int_equal(plan(&f, env), PLAN_OK);
	assert_true(has_line(&f, 0, "web:x:1000:1000::/srv/web:/bin/bash\n"));
	assert_true(has_line(&f, 1, "web:x:1000:\n"));
	assert_true(has_line(&f, 1, "extra:x:1500:web\n"));
	assert_true(has_line(&f, 2, "web:!:19000:0:99999:7:::\n"));
	assert_true(has_line(&f, 3, "web:!::\n"));
	assert_true(has_line(&f, 3, "extra:!::web\n"));
	assert_true(logged(&f, "user application renamed to web"));
	assert_true(logged(&f, "web home /home/application -> /srv/web"));
	assert_idempotent(&f, env);
	done(&f);
}

/* A run killed between passwd and shadow (before the journal existed):
 * the orphaned shadow line follows instead of a second one appearing. */
static void test_orphan_shadow_line_follows(void **state)
{
	struct fx f;

	load(&f, "web:x:1000:1000::/home/web:/bin/sh\n", "web:x:1000:\n", APP_SP,
	     "application:!::\n");
	assert_int_equal(plan(&f, (const char *[]){ "APPLICATION_USER=web", NULL }), PLAN_OK);
	assert_true(has_line(&f, 2, "web:!:19000:0:99999:7:::\n"));
	assert_false(has_line(&f, 2, "application:"));
	assert_true(has_line(&f, 3, "web:!::\n"));
	done(&f);
}

static void test_refused_accounts(void **state)
{
	struct fx f;

	load(&f, NULL, NULL, NULL, NULL);
	assert_int_equal(plan(&f, (const char *[]){ "APPLICATION_USER=daemon", NULL }),
			 PLAN_INVALID);
	assert_non_null(strstr(f.err, "APPLICATION_USER='daemon': an existing system account"));
	assert_int_equal(plan(&f, (const char *[]){ "APPLICATION_USER=nobody", NULL }),
			 PLAN_INVALID);
	assert_int_equal(plan(&f, (const char *[]){ "APPLICATION_USER=root", NULL }),
			 PLAN_INVALID);
	assert_int_equal(plan(&f, (const char *[]){ "APPLICATION_GROUP=staff", NULL }),
			 PLAN_INVALID);
	assert_non_null(strstr(f.err, "APPLICATION_GID=50"));
	f.cfg.user = strdup("root");
	assert_int_equal(plan(&f, NULL), PLAN_INVALID);
	assert_non_null(strstr(f.err, "root"));
	done(&f);
}

static void test_auto(void **state)
{
	const char *env[] = { "APPLICATION_UID=auto", "APPLICATION_GID=auto", NULL };
	struct fx f;

	load(&f, APP_PW, APP_GR, APP_SP, APP_GS);
	assert_int_equal(plan(&f, env), PLAN_INVALID);
	assert_non_null(strstr(f.err, "APPLICATION_UID='auto'"));
	f.paths[0] = (struct path_fact){ "/missing", false, 0, 0 };
	f.paths[1] = (struct path_fact){ "/src", true, 0, 0 };
	f.npaths = 2;
	assert_int_equal(plan(&f, env), PLAN_INVALID);
	assert_non_null(strstr(f.err, "owned by uid 0"));
	f.paths[1].uid = 1234;
	f.paths[1].gid = 0;
	assert_int_equal(plan(&f, env), PLAN_INVALID);
	assert_non_null(strstr(f.err, "APPLICATION_GID='auto'"));
	f.paths[1].gid = 1234;
	assert_int_equal(plan(&f, env), PLAN_OK);
	assert_true(has_line(&f, 0, "application:x:1234:1234:"));
	assert_idempotent(&f, env);
	done(&f);
}

static void test_setuid_maps_to_caller(void **state)
{
	struct fx f;

	load(&f, APP_PW, APP_GR, APP_SP, APP_GS);
	f.setuid = true;
	f.ruid = 1500;
	f.rgid = 1600;
	assert_int_equal(plan(&f, NULL), PLAN_OK);
	assert_true(has_line(&f, 0, "application:x:1500:1600:"));
	assert_idempotent(&f, NULL);
	/* gid 1500 is group extra's: moved, but its files are not walked */
	f.rgid = 1500;
	assert_int_equal(plan(&f, NULL), PLAN_OK);
	assert_true(has_line(&f, 1, "extra:x:1000:application\n"));
	assert_int_equal(f.p.jobs[JOB_MOVED].nroots, 0);
	assert_int_equal(plan(&f, (const char *[]){ "APPLICATION_UID=1500", NULL }), PLAN_OK);
	assert_int_equal(plan(&f, (const char *[]){ "APPLICATION_UID=1501", NULL }), PLAN_INVALID);
	assert_non_null(strstr(f.err, "your own uid 1500"));
	assert_int_equal(plan(&f, (const char *[]){ "PGID=1601", NULL }), PLAN_INVALID);
	f.cfg.have_uid_range = true;
	f.cfg.uid_min = 2000;
	f.cfg.uid_max = 3000;
	assert_int_equal(plan(&f, NULL), PLAN_INVALID);
	assert_non_null(strstr(f.err, "outside uid_range 2000-3000"));
	done(&f);
}

/* Podman's placeholder at the caller's own uid is taken over in setuid
 * mode; at another uid, with a shadow entry, or in root mode it is not. */
static void test_engine_placeholder(void **state)
{
	static const char PH[] = "501:*:501:20:container user:/app:/bin/sh\n";
	char pw[256];
	struct fx f;

	snprintf(pw, sizeof pw, "%s%s", APP_PW, PH);
	load(&f, pw, APP_GR, APP_SP, APP_GS);
	f.setuid = true;
	f.ruid = 501;
	f.rgid = 20;
	assert_int_equal(plan(&f, NULL), PLAN_OK);
	assert_true(has_line(&f, 0, "application:x:501:20:"));
	assert_false(has_line(&f, 0, "501:*:"));
	assert_int_equal(f.p.jobs[JOB_MOVED].nroots, 0);
	assert_idempotent(&f, NULL);
	done(&f);

	load(&f, pw, APP_GR, "501:!:19000:0:99999:7:::\n", APP_GS);	/* a real account */
	f.setuid = true;
	f.ruid = 501;
	f.rgid = 20;
	assert_int_equal(plan(&f, NULL), PLAN_INVALID);
	assert_non_null(strstr(f.err, "system account '501'"));
	done(&f);

	load(&f, pw, APP_GR, APP_SP, APP_GS);	/* root mode */
	assert_int_equal(plan(&f, (const char *[]){ "APPLICATION_UID=501", "APPLICATION_GID=20",
						     NULL }), PLAN_INVALID);
	done(&f);
}

/* OpenShift: the caller's own gid 0 (setuid mode) makes the user join
 * root's group; no group gets gid 0, nothing is remapped to or from it. */
static void test_setuid_gid0_joins_root(void **state)
{
	struct fx f;

	load(&f, APP_PW, APP_GR, APP_SP, APP_GS);
	f.setuid = true;
	f.ruid = 1000680000;
	f.rgid = 0;
	assert_int_equal(plan(&f, NULL), PLAN_OK);
	assert_true(has_line(&f, 0, "application:x:1000680000:0:"));
	assert_true(has_line(&f, 1, "application:x:1000:\n"));	/* its group stays */
	assert_int_equal(f.p.jobs[JOB_APP].map.ngid, 0);
	assert_int_equal(f.p.jobs[JOB_APP].map.nuid, 1);
	assert_idempotent(&f, NULL);
	/* whatever the gid policy: never a second group with gid 0 */
	assert_int_equal(plan(&f, (const char *[]){ "APPLICATION_GID_CONFLICT=share", NULL }), PLAN_OK);
	assert_false(has_line(&f, 1, "application:x:0:"));
	/* root mode: gid 0 is never wanted */
	f.setuid = false;
	assert_int_equal(plan(&f, (const char *[]){ "APPLICATION_GID=0", NULL }), PLAN_INVALID);
	done(&f);
}

static void test_application_groups(void **state)
{
	const char *env[] = { "APPLICATION_GROUPS=video,/var/run/docker.sock /dev/dri", NULL };
	struct fx f;

	load(&f, APP_PW, APP_GR, APP_SP, APP_GS);
	f.gpaths[0] = (struct path_fact){ "/var/run/docker.sock", true, 0, 999 };
	f.gpaths[1] = (struct path_fact){ "/dev/dri", true, 0, 44 };
	f.ngpaths = 2;
	assert_int_equal(plan(&f, env), PLAN_OK);
	assert_true(has_line(&f, 1, "video:x:44:application\n"));
	assert_true(has_line(&f, 1, "appuser-g999:x:999:application\n"));
	assert_true(has_line(&f, 3, "video:*::application\n"));
	assert_true(has_line(&f, 3, "appuser-g999:!::application\n"));
	assert_true(logged(&f, "created group appuser-g999 (gid 999) for /var/run/docker.sock"));
	assert_true(logged(&f, "application added to group video (gid 44)"));
	assert_idempotent(&f, env);
	done(&f);

	load(&f, APP_PW, APP_GR, APP_SP, APP_GS);
	assert_int_equal(plan(&f, (const char *[]){ "APPLICATION_GROUPS=nosuch", NULL }),
			 PLAN_INVALID);
	assert_non_null(strstr(f.err, "group 'nosuch' not found"));
	assert_int_equal(plan(&f, (const char *[]){ "APPLICATION_GROUPS=/nope", NULL }),
			 PLAN_INVALID);
	assert_non_null(strstr(f.err, "'/nope' does not exist"));
	f.gpaths[0] = (struct path_fact){ "/run/x", true, 0, 0 };
	f.ngpaths = 1;
	assert_int_equal(plan(&f, (const char *[]){ "APPLICATION_GROUPS=/run/x", NULL }),
			 PLAN_INVALID);
	assert_int_equal(plan(&f, (const char *[]){ "APPLICATION_GROUPS=root", NULL }),
			 PLAN_INVALID);
	done(&f);

	/* Setuid mode: only groups the caller holds. */
	load(&f, APP_PW, APP_GR, APP_SP, APP_GS);
	f.setuid = true;
	f.ruid = f.rgid = 1000;
	f.held[0] = 44;
	f.nheld = 1;
	assert_int_equal(plan(&f, (const char *[]){ "APPLICATION_GROUPS=video", NULL }), PLAN_OK);
	assert_true(has_line(&f, 1, "video:x:44:application\n"));
	assert_int_equal(plan(&f, (const char *[]){ "APPLICATION_GROUPS=users", NULL }),
			 PLAN_INVALID);
	assert_non_null(strstr(f.err, "not one you hold"));
	f.gpaths[0] = (struct path_fact){ "/var/run/docker.sock", true, 0, 999 };
	f.ngpaths = 1;
	assert_int_equal(plan(&f, (const char *[]){ "APPLICATION_GROUPS=/var/run/docker.sock",
						     NULL }), PLAN_INVALID);
	assert_null(strstr(f.err, "999"));
	done(&f);
}

static void test_nis_and_odd_lines_kept(void **state)
{
	struct fx f;
	char *pw;

	load(&f, "# local users\n+\n", "+:::\n", NULL, NULL);
	assert_int_equal(plan(&f, NULL), PLAN_OK);
	pw = file(&f, 0);
	assert_non_null(strstr(pw, "# local users\napplication:x:1000:1000::/home/application:"
				   "/bin/sh\n+\n"));
	free(pw);
	done(&f);
}

static void test_home_rules(void **state)
{
	struct fx f;

	/* The config's home arrives canonical and checked (config.c). */
	load(&f, APP_PW, APP_GR, APP_SP, APP_GS);
	assert_int_equal(config_parse("home = /etc/app\n", 16, &f.cfg, f.err, sizeof f.err), -1);
	assert_non_null(strstr(f.err, "system folder"));
	assert_int_equal(config_parse("home = /srv//app/\n", 18, &f.cfg, f.err, sizeof f.err), 0);
	assert_string_equal(f.cfg.home, "/srv/app");
	assert_int_equal(plan(&f, NULL), PLAN_OK);
	assert_string_equal(f.p.home, "/srv/app");
	done(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_on_plain_image),
		cmocka_unit_test(test_ubuntu_move),
		cmocka_unit_test(test_ubuntu_default_takes_free_id),
		cmocka_unit_test(test_share_and_fail),
		cmocka_unit_test(test_system_uid_never_moved),
		cmocka_unit_test(test_macos_join_system_gid),
		cmocka_unit_test(test_renumber_existing),
		cmocka_unit_test(test_rename_user),
		cmocka_unit_test(test_orphan_shadow_line_follows),
		cmocka_unit_test(test_refused_accounts),
		cmocka_unit_test(test_auto),
		cmocka_unit_test(test_setuid_maps_to_caller),
		cmocka_unit_test(test_setuid_gid0_joins_root),
		cmocka_unit_test(test_engine_placeholder),
		cmocka_unit_test(test_application_groups),
		cmocka_unit_test(test_nis_and_odd_lines_kept),
		cmocka_unit_test(test_home_rules),
		cmocka_unit_test(test_moved_home_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* setup/command.c — `appuser setup`: parse the options, read and validate every
 * input (config, environment, login.defs, account files, folder facts)
 * into one struct setup_run, plan, then apply in a fixed order:
 *
 *   1. account files, as one transaction under the locks (re-planned on
 *      what is read under the locks, so two runs at once stay correct);
 *   2. the home folder;
 *   3. the ownership remap for the IDs that changed;
 *   4. nscd/sss caches; 5. setuid mode: the once-per-container marker.
 *
 * Nothing is written before all input is validated, and a run whose plan
 * is empty writes nothing at all (idempotence: bytes and mtimes kept). */
#include "setup/command.h"
#include "log.h"
#include "setup/run.h"
#include "setup/setuid_rules.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static noreturn void setup_usage(int status)
{
	static const char text[] =
		"usage: appuser setup [--dry-run] [--root DIR] [--no-fix] [-q|-v]\n";
	(void)!write(status ? 2 : 1, text, sizeof text - 1);
	_exit(status);
}

static void parse_opts(int argc, char **argv, struct setup_run *r)
{
	enum { OPT_DRY = 256, OPT_ROOT, OPT_NOFIX };
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, OPT_DRY },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "no-fix", no_argument, NULL, OPT_NOFIX },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+qvh", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_DRY: r->dry_run = true; break;
		case OPT_ROOT: r->root_arg = optarg; break;
		case OPT_NOFIX: r->no_fix = true; break;
		case 'q': log_set_level(LOG_QUIET); break;
		case 'v': log_set_level(LOG_VERBOSE); break;
		case 'h': setup_usage(0);
		default:
			msg("setup: unknown or incomplete option '%s'", argv[optind - 1]);
			setup_usage(EXIT_FAIL);
		}
	}
	if (optind < argc) {
		msg("setup: unexpected argument '%s'", argv[optind]);
		setup_usage(EXIT_FAIL);
	}
}

/* Who may run it: root; setuid only as issue 6 allows; never unprivileged. */
static void check_mode(const struct setup_run *r)
{
	char why[512];

	if (r->c->mode == MODE_UNPRIV)
		die(EXIT_FAIL, "setup: needs root: %s", setuid_unavailable_reason(why, sizeof why));
	if (r->c->mode == MODE_SETUID && r->root_arg)
		die(EXIT_FAIL, "setup: --root is refused in setuid mode");
}

static void load_inputs(struct setup_run *r)
{
	char err[1024], *buf = NULL;
	size_t len;
	int rc;

	if ((rc = rootfs_open(&r->root, r->root_arg ? r->root_arg : "/")) < 0)
		die_errno(EXIT_FAIL, -rc, "setup: --root %s", r->root_arg ? r->root_arg : "/");
	if (config_load(&r->root, &r->cfg, err, sizeof err) < 0)
		die(EXIT_FAIL, "setup: %s", err);
	if (env_parse(environ, &r->env, err, sizeof err) < 0)
		die(EXIT_FAIL, "setup: %s", err);
	if (r->c->mode == MODE_SETUID && setuid_setup_check(&r->env, &r->cfg, err, sizeof err) < 0)
		die(EXIT_FAIL, "setup: %s", err);
	login_defs_default(&r->defs);
	if (rootfs_read_file(&r->root, LOGIN_DEFS_PATH, 1 << 20, &buf, &len) == 0) {
		login_defs_parse(buf, len, &r->defs);
		free(buf);
	}
	if ((rc = store_open(&r->st, &r->root)) < 0)
		die_errno(EXIT_FAIL, -rc, "setup: cannot open the etc folder of %s", r->root.path);
	if (store_load(&r->st, err, sizeof err) < 0)
		die(EXIT_FAIL, "setup: %s", err);
	r->today = (long)(time(NULL) / 86400);
}

/* --- facts about folders -------------------------------------------------- */

/* Owner of path in the root, never through a symlink anywhere on the way
 * (APPLICATION_PATH=/app/var/cache with a planted /app/var -> /srv must
 * not make setup remap /srv/cache). */
static int stat_path(const struct setup_run *r, const char *path, bool follow, struct stat *st)
{
	int fd = follow ? rootfs_openat(&r->root, path, O_PATH, 0)
			: rootfs_openat_nolinks(&r->root, path, O_PATH, 0), rc = 0;

	if (fd < 0)
		return fd;
	if (fstat(fd, st) < 0)
		rc = -errno;
	close(fd);
	if (rc == 0 && !follow && S_ISLNK(st->st_mode))
		rc = -ELOOP;
	return rc;
}

static void add_path(struct setup_run *r, const char *path, bool must_exist, const char *what)
{
	struct path_fact *f = &r->paths[r->npaths];
	struct stat st;
	char q[300];
	int rc = stat_path(r, path, false, &st);

	if (rc == -ELOOP)
		die(EXIT_FAIL, "setup: %s: '%s' is or goes through a symlink; name the real folder", what,
		    env_quote(path, q, sizeof q));
	if (rc < 0 && (must_exist || rc != -ENOENT))
		die(EXIT_FAIL, "setup: %s: '%s' %s", what, env_quote(path, q, sizeof q),
		    rc == -ENOENT ? "does not exist" : strerror(-rc));
	f->path = path;
	f->exists = rc == 0;
	f->uid = rc == 0 ? st.st_uid : 0;
	f->gid = rc == 0 ? st.st_gid : 0;
	r->npaths++;
}

/* APPLICATION_PATH, else the config's paths (missing ones skipped: a
 * volume that is not mounted this time), else /app when it exists. */
static void gather_paths(struct setup_run *r)
{
	char canon[ENV_PATH_MAX], q[300];
	const char *why;

	if (r->env.npaths) {
		for (size_t i = 0; i < r->env.npaths; i++)
			add_path(r, r->env.paths[i], true, "APPLICATION_PATH");
		return;
	}
	for (size_t i = 0; i < r->cfg.npaths; i++) {
		if ((why = path_canon(r->cfg.paths[i], canon, sizeof canon)) ||
		    (path_is_system(canon) && (why = "is a system folder")))
			die(EXIT_FAIL, "setup: /etc/appuser.conf: paths: '%s' %s; refused",
			    env_quote(r->cfg.paths[i], q, sizeof q), why);
		if (!(r->owned[r->nowned] = strdup(canon)))
			die(EXIT_FAIL, "setup: out of memory");
		add_path(r, r->owned[r->nowned++], false, "config paths");
	}
	if (!r->cfg.npaths && r->c->mode != MODE_SETUID)
		add_path(r, "/app", false, "default path");
}

static void gather_group_paths(struct setup_run *r)
{
	for (size_t i = 0; i < r->env.ngroups; i++) {
		struct path_fact *f = &r->gpaths[r->ngpaths];
		struct stat st;

		if (r->env.groups[i][0] != '/')
			continue;
		/* Following the final symlink is fine here: only its group
		 * is read (/var/run/docker.sock, /dev/dri/renderD128). */
		f->path = r->env.groups[i];
		f->exists = stat_path(r, f->path, true, &st) == 0;
		f->gid = f->exists ? st.st_gid : 0;
		r->ngpaths++;
	}
}

/* --- planning ------------------------------------------------------------- */

int setup_try_plan(struct setup_run *r, char *err, size_t errlen)
{
	struct plan_in in = {
		.env = &r->env, .cfg = &r->cfg, .defs = r->defs,
		.have_shadow = r->st.snap[ACCT_SHADOW].exists,
		.have_gshadow = r->st.snap[ACCT_GSHADOW].exists,
		.paths = r->paths, .npaths = r->npaths,
		.gpaths = r->gpaths, .ngpaths = r->ngpaths,
		.setuid = r->c->mode == MODE_SETUID,
		.ruid = r->c->ruid, .rgid = r->c->rgid,
		.today = r->today,
	};

	plan_free(&r->plan);
	return plan_make(&in, r->st.db, &r->plan, err, errlen) == PLAN_OK ? 0 : -1;
}

static void make_plan(struct setup_run *r)
{
	char err[1024];

	if (setup_try_plan(r, err, sizeof err) < 0)
		die(EXIT_FAIL, "setup: %s", err);
}

static void print_job(const struct setup_run *r, const struct remap_job *j)
{
	const struct remap_map *m = &j->map;

	for (size_t i = 0; (m->nuid || m->ngid) && i < j->nroots; i++) {
		printf("remap %s:", j->roots[i]);
		for (size_t k = 0; k < m->nuid; k++)
			printf(" uid %u->%u", m->uid_from[k], m->uid_to[k]);
		for (size_t k = 0; k < m->ngid; k++)
			printf(" gid %u->%u", m->gid_from[k], m->gid_to[k]);
		printf("%s\n", r->no_fix ? " (skipped: --no-fix)" : "");
	}
}

/* --dry-run: each change, file, folder and remap on stdout; nothing done. */
static void print_dry_run(struct setup_run *r)
{
	bool any = r->plan.nlines || plan_changes_files(&r->plan) || plan_remaps(&r->plan);
	char where[4200];

	for (size_t i = 0; i < r->plan.nlines; i++)
		printf("%s\n", r->plan.lines[i]);
	for (int k = 0; k < 4; k++)
		if (r->plan.dirty[k]) {
			char rel[32];
			snprintf(rel, sizeof rel, "etc/%s", store_name((enum acct_kind)k));
			printf("write %s\n", rootfs_display(&r->root, rel, where, sizeof where));
		}
	if (setup_home_missing(r)) {
		printf("create %s (uid %u, gid %u, mode 0750)\n", r->plan.home, r->plan.uid,
		       r->plan.gid);
		any = true;
	}
	for (int j = 0; j < PLAN_JOBS; j++)
		print_job(r, &r->plan.jobs[j]);
	if (!any)
		printf("nothing to do\n");
	fflush(stdout);
}

static void report(const struct setup_run *r)
{
	bool setuid = r->c->mode == MODE_SETUID;

	for (size_t i = 0; i < r->plan.nlines; i++) {
		info("setup: %s", r->plan.lines[i]);
		if (setuid)
			audit("setup: %s", r->plan.lines[i]);
	}
}

static void summary(const struct setup_run *r)
{
	if (!r->wrote && !r->home_created && !r->remap_roots) {
		verbose("setup: nothing to do: %s is uid %u gid %u, home %s", r->plan.user,
			r->plan.uid, r->plan.gid, r->plan.home);
		return;
	}
	info("setup: done: %s is uid %u gid %u, home %s; %zu change%s%s%s", r->plan.user,
	     r->plan.uid, r->plan.gid, r->plan.home, r->plan.nlines,
	     r->plan.nlines == 1 ? "" : "s", r->home_created ? ", home created" : "",
	     r->remap_roots ? ", ownership remapped" : "");
}

/* Setuid mode, after the first run: only a no-op may pass (docker restart). */
static void once_per_container(struct setup_run *r)
{
	if (r->c->mode != MODE_SETUID || !setup_marker_exists(r))
		return;
	if (plan_changes_files(&r->plan) || setup_home_missing(r)) {
		audit("setup: refused: a second setup that would change the accounts");
		die(EXIT_FAIL, "setup: setup already ran in this container (/run/appuser/setup.done) "
		    "and this one would change the accounts; refused in setuid mode");
	}
}

/* Everything a run holds, freed before returning (LeakSanitizer runs). */
static void run_free(struct setup_run *r)
{
	plan_free(&r->plan);
	store_close(&r->st);
	env_free(&r->env);
	config_free(&r->cfg);
	for (size_t i = 0; i < r->nowned; i++)
		free(r->owned[i]);
	rootfs_close(&r->root);
}

int cmd_setup(int argc, char **argv, const struct caller *c)
{
	struct setup_run r;
	bool ok;

	memset(&r, 0, sizeof r);
	r.c = c;
	parse_opts(argc, argv, &r);
	check_mode(&r);
	hygiene_writer(c);
	load_inputs(&r);
	gather_paths(&r);
	gather_group_paths(&r);
	make_plan(&r);
	if (r.dry_run) {
		print_dry_run(&r);
		run_free(&r);
		return EXIT_OK;
	}
	once_per_container(&r);
	if (plan_changes_files(&r.plan) || store_has_leftovers(&r.st))
		setup_commit(&r);
	report(&r);
	setup_home(&r);
	ok = setup_remap(&r);
	if (r.wrote)
		setup_flush_caches(&r);
	if (ok && c->mode == MODE_SETUID)	/* a failed run leaves no marker */
		setup_marker_create(&r);
	if (ok)
		setup_record(&r);
	if (ok)
		summary(&r);
	run_free(&r);
	return ok ? EXIT_OK : EXIT_FAIL;
}

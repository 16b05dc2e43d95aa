/* setup/command.c — `appuser setup`: parse the options, read and validate
 * every input into one struct setup_run and plan (setup/inputs.c), then
 * apply in a fixed order (setup/apply.c):
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
#include "setup/apply.h"
#include "setup/inputs.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
			snprintf(rel, sizeof rel, "etc/%s", acct_file_name((enum acct_kind)k));
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
			audit_syslog("setup: %s", r->plan.lines[i]);
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

int cmd_setup(int argc, char **argv, const struct caller *c)
{
	struct setup_run r;
	char err[1024];
	bool ok;

	memset(&r, 0, sizeof r);
	r.c = c;
	parse_opts(argc, argv, &r);
	check_mode(&r);
	hygiene_writer(c);
	if (setup_inputs_load(&r, err, sizeof err) < 0 || setup_plan(&r, err, sizeof err) < 0)
		die(EXIT_FAIL, "setup: %s", err);
	if (r.dry_run) {
		print_dry_run(&r);
		setup_inputs_free(&r);
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
	setup_inputs_free(&r);
	return ok ? EXIT_OK : EXIT_FAIL;
}

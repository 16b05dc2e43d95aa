/* setup/command.c — `appuser setup`: parse the options, read and validate
 * every input into one struct setup_run and plan (setup/inputs.c), then
 * apply in a fixed order (setup/apply.c):
 *
 *   1. account files, as one transaction under the locks (re-planned on
 *      what is read under the locks, so two runs at once stay correct;
 *      the once-per-container marker claimed under the same locks);
 *   2. the ownership remap for the IDs that changed;
 *   3. the home folder (after the remap: in a configured folder that the
 *      remap gave to the user, it is created as the user, setup/apply.c);
 *   4. nscd/sss caches; 5. the marker, for a run that changed no account
 *      file (every successful run leaves one, root or setuid).
 *
 * Nothing is written before all input is validated, and a run whose plan
 * is empty writes nothing at all (idempotence: bytes and mtimes kept). */
#include "setup/command.h"
#include "accounts/read.h"
#include "caps.h"
#include "log.h"
#include "setup/apply.h"
#include "setup/home.h"
#include "setup/inputs.h"

#include <ctype.h>
#include <getopt.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
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

/* Who may run it: root; setuid only as issue 6 allows; unprivileged, see
 * unprivileged(). */
static void check_mode(const struct setup_run *r)
{
	if (r->c->mode == MODE_SETUID && r->root_arg)
		die(EXIT_FAIL, "setup: --root is refused in setuid mode");
	if (r->c->mode == MODE_UNPRIV && r->root_arg)
		die(EXIT_FAIL, "setup: --root needs root");
}

/* Does the application user already have the runtime's IDs (and the ones
 * the environment names)?  Read-only: passwd and group only. */
static bool accounts_match_caller(const struct caller *c, char *now, size_t len)
{
	struct rootfs root;
	struct config cfg;
	struct app_env env;
	struct acct_db pw = { 0 };
	const struct acct_entry *u = NULL;
	char err[1024];
	bool match = false;
	int rc;

	if ((rc = rootfs_open(&root, "/")) < 0)
		die_errno(EXIT_FAIL, -rc, "setup: open /");
	if (config_load(&root, &cfg, err, sizeof err) < 0 || env_read(&env, err, sizeof err) < 0)
		die(EXIT_FAIL, "setup: %s", err);
	if (accounts_load(&root, ACCT_PASSWD, &pw, err, sizeof err) == 0)
		u = acct_find_name(&pw, env_app_user(&env, &cfg));
	if (u)
		snprintf(now, len, "%s stays uid %u gid %u", u->f[PW_NAME], u->id, u->gid);
	else
		snprintf(now, len, "there is no %s user", env_app_user(&env, &cfg));
	match = u && u->id == c->ruid && u->gid == c->rgid &&
		(env.uid_how != IDW_VALUE || env.uid == u->id) &&
		(env.gid_how != IDW_VALUE || env.gid == u->gid);
	acct_free(&pw);
	env_free(&env);
	config_free(&cfg);
	rootfs_close(&root);
	return match;
}

/* No privilege at all (Kubernetes "restricted", OpenShift restricted-v2:
 * NO_NEW_PRIVS and no caps; or the setuid bit without CAP_SETUID): the
 * accounts cannot change.  When they already fit the runtime's user there
 * is nothing to say; else one line says so, and setup exits 0 so that an
 * entrypoint carries on — every `appuser exec` then runs its service as
 * the runtime's user, with what an unprivileged process can still apply. */
static int unprivileged(const struct setup_run *r)
{
	char why[512], now[300];

	if (accounts_match_caller(r->c, now, sizeof now)) {
		verbose("setup: nothing to do: the application user is uid %u gid %u already",
			(unsigned)r->c->ruid, (unsigned)r->c->rgid);
		return EXIT_OK;
	}
	msg("setup: cannot change the accounts as uid %u gid %u (%s); carrying on as the "
	    "runtime's user (%s)", (unsigned)r->c->ruid, (unsigned)r->c->rgid,
	    setuid_unavailable_reason(why, sizeof why), now);
	return EXIT_OK;
}

/* The account files are to change but /etc is read-only (docker run
 * --read-only): say that, not which lock file could not be made. */
static void check_writable(const struct setup_run *r)
{
	struct statvfs vfs;

	if (!plan_changes_files(&r->plan) && !store_has_leftovers(&r->st))
		return;
	if (fstatvfs(r->st.etcfd, &vfs) < 0 || !(vfs.f_flag & ST_RDONLY))
		return;
	die(EXIT_FAIL, "setup: %s, but the root filesystem is read-only (docker run "
	    "--read-only); bake the user into the image at build time (RUN "
	    "APPLICATION_UID=%u APPLICATION_GID=%u appuser setup) or run without --read-only",
	    r->plan.nlines ? r->plan.lines[0] : "the account files must be repaired", r->plan.uid,
	    r->plan.gid);
}

/* Before anything is written: the capabilities the writes need.  A root
 * start with --cap-drop ALL --cap-add SETUID,SETGID used to rewrite /etc
 * and then fail on the home, half done. */
static void check_power(const struct setup_run *r)
{
	const capset_t need = (capset_t)1 << CAP_CHOWN | (capset_t)1 << CAP_DAC_OVERRIDE |
			      (capset_t)1 << CAP_FOWNER;
	capset_t missing = need & ~caps_effective();
	char names[256] = "", flags[256] = "";
	size_t n = 0, f = 0;

	if (!missing || (!plan_changes_files(&r->plan) && !setup_home_missing(r) &&
			 !plan_remaps(&r->plan) && !store_has_leftovers(&r->st)))
		return;
	for (int cap = 0; cap < 64; cap++) {
		char up[64];
		const char *name = caps_name(cap);

		if (!(missing >> cap & 1) || !name)
			continue;
		for (size_t i = 0; i < sizeof up - 1 && (up[i] = (char)toupper((unsigned char)name[i]));
		     i++)
			;
		up[sizeof up - 1] = '\0';
		n += (size_t)snprintf(names + n, sizeof names - n, "%sCAP_%s", n ? ", " : "", up);
		f += (size_t)snprintf(flags + f, sizeof flags - f, "%s--cap-add %s", f ? " " : "", up);
	}
	die(EXIT_FAIL, "setup: %s needs %s, which the container was started without "
	    "(--cap-drop); add %s, or bake the user into the image at build time; nothing "
	    "was changed", r->plan.nlines ? r->plan.lines[0] : "the ownership remap", names,
	    flags);
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
	for (size_t i = 0; i < r->plan.nskips; i++)
		printf("%s\n", r->plan.skips[i]);
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

/* OpenShift's arbitrary uids start at 1000000000; a smaller uid with gid 0
 * is most likely `docker run --user 501` (Kubernetes runAsUser without
 * runAsGroup), which gives group 0 when no group is named. */
#define OPENSHIFT_UID_MIN 1000000000u

static void report(const struct setup_run *r)
{
	bool setuid = r->c->mode == MODE_SETUID;

	if (setuid && r->c->rgid == 0 && r->c->ruid < OPENSHIFT_UID_MIN && r->plan.nlines)
		info("setup: your real gid is 0, so %s joins root's group as OpenShift's users "
		     "do; to keep your own group, use --user $(id -u):$(id -g) (Kubernetes: "
		     "runAsGroup)", r->plan.user);

	for (size_t i = 0; i < r->plan.nlines; i++) {
		info("setup: %s", r->plan.lines[i]);
		if (setuid)
			audit_syslog("setup: %s", r->plan.lines[i]);
	}
	for (size_t i = 0; i < r->plan.nskips; i++)
		info("setup: %s", r->plan.skips[i]);
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

int cmd_setup(int argc, char **argv, const struct caller *c)
{
	struct setup_run r;
	char err[1024];
	bool ok;

	memset(&r, 0, sizeof r);
	r.c = c;
	parse_opts(argc, argv, &r);
	check_mode(&r);
	if (c->mode == MODE_UNPRIV)
		return unprivileged(&r);
	hygiene_writer(c);
	if (setup_inputs_load(&r, err, sizeof err) < 0 || setup_plan(&r, err, sizeof err) < 0)
		die(EXIT_FAIL, "setup: %s", err);
	if (r.dry_run) {
		print_dry_run(&r);
		setup_inputs_free(&r);
		return EXIT_OK;
	}
	check_writable(&r);
	check_power(&r);
	/* Setuid mode, after the first run: only a no-op may pass (docker
	 * restart); checked again under the locks. */
	setup_once_check(&r);
	if (plan_changes_files(&r.plan) || store_has_leftovers(&r.st))
		setup_commit(&r);
	report(&r);
	ok = setup_remap(&r);
	setup_home(&r);
	if (r.wrote)
		setup_flush_caches(&r);
	if (ok)
		setup_marker_create(&r);
	if (ok)
		setup_record(&r);
	if (ok)
		summary(&r);
	setup_inputs_free(&r);
	return ok ? EXIT_OK : EXIT_FAIL;
}

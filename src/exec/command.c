/* exec/command.c — `appuser exec`: parse, resolve everything while privileged,
 * check the mode's rules, then one privdrop_apply() and execvp().  No
 * fork: the command keeps our PID, signals and terminal (gosu semantics). */
#include "exec/command.h"
#include "accounts/read.h"
#include "caps.h"
#include "config.h"
#include "env.h"
#include "exec/groups.h"
#include "exec/landlock.h"
#include "exec/selinux.h"
#include "log.h"
#include "exec/privdrop.h"
#include "rootfs.h"
#include "seccomp/load.h"
#include "accounts/userspec.h"
#include "version.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_SECCOMP "default"

struct exec_opts {
	const char *user;	/* USER-SPEC, or NULL for the application user */
	bool have_caps;
	capset_t caps;
	const char *seccomp;
	const char *selinux_context;
	bool allow_new_privs;
	char **argv;		/* COMMAND [ARG...] */
};

static noreturn void exec_usage(int status)
{
	static const char text[] =
		"usage: appuser exec [-u USER[:GROUP]] [--cap CAP[,CAP...]|none]\n"
		"                    [--seccomp PROFILE|FILE|none] [--selinux-context CTX]\n"
		"                    [--allow-new-privs] [--] COMMAND [ARG...]\n";
	(void)!write(status ? 2 : 1, text, sizeof text - 1);
	_exit(status);
}

static void parse_opts(int argc, char **argv, struct exec_opts *o)
{
	enum { OPT_CAP = 256, OPT_SECCOMP, OPT_SELINUX, OPT_ANP };
	static const struct option longopts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ "cap", required_argument, NULL, OPT_CAP },
		{ "seccomp", required_argument, NULL, OPT_SECCOMP },
		{ "selinux-context", required_argument, NULL, OPT_SELINUX },
		{ "allow-new-privs", no_argument, NULL, OPT_ANP },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char err[256];
	int ch;

	memset(o, 0, sizeof *o);
	opterr = 0;
	optind = 1;
	/* '+': stop at the first non-option, so "exec id -u" needs no "--". */
	while ((ch = getopt_long(argc, argv, "+u:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'u':
			o->user = optarg;
			break;
		case OPT_CAP:
			if (caps_parse(!strcmp(optarg, "none") ? "" : optarg, &o->caps, err,
				       sizeof err) < 0)
				die(EXIT_FAIL, "exec: --cap: %s", err);
			o->have_caps = true;
			break;
		case OPT_SECCOMP:
			o->seccomp = optarg;
			break;
		case OPT_SELINUX:
			o->selinux_context = optarg;
			break;
		case OPT_ANP:
			o->allow_new_privs = true;
			break;
		case 'h':
			exec_usage(0);
		default:
			msg("exec: unknown or incomplete option '%s'", argv[optind - 1]);
			exec_usage(EXIT_FAIL);
		}
	}
	if (optind >= argc) {
		msg("exec: no command given");
		exec_usage(EXIT_FAIL);
	}
	o->argv = argv + optind;
}

static void load_accounts(const struct rootfs *root, struct acct_db *pw, struct acct_db *gr)
{
	/* Static: written only on the way to die(), and a 4 KiB buffer on
	 * the stack would put every callee a page deeper (a page fault
	 * more at every exec). */
	static char err[4400];

	if (accounts_load_users(root, pw, gr, err, sizeof err) < 0)
		die(EXIT_FAIL, "exec: %s", err);
}

/* The application user's name (env_app_user()).  In setuid mode the
 * environment may not choose another account than the configured one. */
static const char *app_user(const struct caller *c, const struct config *cfg,
			    const struct app_env *env)
{
	const char *conf = config_app_user(cfg);
	char q[300];

	if (c->mode == MODE_SETUID && env->user && strcmp(env->user, conf))
		die(EXIT_FAIL, "exec: APPLICATION_USER='%s' differs from the configured "
		    "application user '%s'; refused in setuid mode",
		    env_quote(env->user, q, sizeof q), conf);
	return env_app_user(env, cfg);
}

static bool in_caller_groups(const struct caller *c, uint32_t gid)
{
	if (gid == c->rgid)
		return true;
	for (size_t i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

/* The target is the caller itself: its real uid and gid, and only groups
 * it holds.  Computed once per run; setuid mode lets a caller stay itself,
 * and without privilege it is the only possible target. */
static bool is_self(const struct caller *c, const struct target *t)
{
	bool same = t->uid == c->ruid && t->gid == c->rgid;

	for (size_t i = 0; same && i < t->ngroups; i++)
		same = in_caller_groups(c, t->groups[i]);
	return same;
}

/* Without privilege (Kubernetes "restricted", OpenShift restricted-v2, a
 * setuid bit made inert or powerless) nobody can be switched to.  Without
 * -u the service then runs as the runtime's user — setup has said once
 * that it could not change the accounts — with everything an unprivileged
 * process can still apply to itself (exec/privdrop.h).  Its home is its
 * passwd entry's, if any. */
static void caller_as_target(const struct caller *c, const struct acct_db *pw,
			     const struct acct_db *gr, struct target *t, bool resolved)
{
	char spec[16];

	if (resolved)
		target_free(t);
	snprintf(spec, sizeof spec, ":%u", (unsigned)c->rgid);
	if (userspec_resolve(spec, pw, gr, c->ruid, c->rgid, t, NULL, 0) != US_OK)
		die(EXIT_FAIL, "exec: out of memory");
}

/* Unprivileged: a capability can be kept only if we hold it (a runtime
 * gives a non-root process capabilities as ambient ones, if at all).  One
 * that cannot be had is said, and the service runs without it: under
 * "restricted" NET_BIND_SERVICE is never effective for a non-root uid. */
static capset_t unpriv_caps(const struct caller *c, capset_t want)
{
	capset_t missing = want & ~caps_permitted();
	char names[512];

	if (missing)
		msg("exec: --cap %s: uid %u does not hold it and cannot gain it without "
		    "privilege; the service runs without it", caps_format(missing, names,
		    sizeof names), (unsigned)c->ruid);
	return want & ~missing;
}

/* Same IDs and the same set of groups. */
static bool same_target(const struct target *a, const struct target *b)
{
	if (a->uid != b->uid || a->gid != b->gid || a->ngroups != b->ngroups)
		return false;
	for (size_t i = 0; i < a->ngroups; i++) {
		bool found = false;
		for (size_t j = 0; j < b->ngroups && !found; j++)
			found = a->groups[i] == b->groups[j];
		if (!found)
			return false;
	}
	return true;
}

/* The setuid-mode ceiling: allow_caps, else caps, else nothing. */
static capset_t allowed_caps(const struct config *cfg)
{
	if (cfg->have_allow_caps)
		return cfg->allow_caps | (cfg->have_caps ? cfg->caps : 0);
	return cfg->have_caps ? cfg->caps : 0;
}

/* The kernel's overflow uid: what an unmapped uid looks like, and
 * "nobody" in most images; never a legitimate user of uid_range. */
#define OVERFLOW_UID 65534u

static bool in_callers(const struct config *cfg, uint32_t uid, const struct acct_db *pw)
{
	for (size_t i = 0; i < cfg->ncallers; i++) {
		const struct caller_rule *r = &cfg->callers[i];
		const struct acct_entry *e = r->name ? acct_find_name(pw, r->name) : NULL;

		if (r->name ? e && e->id == uid : uid >= r->lo && uid <= r->hi)
			return true;
	}
	return false;
}

/* Setuid mode: who may become the application user (issue 11 §2): its own
 * uid (the --user flow, after setup), a uid setup could have given it
 * (uid_range, but not the overflow uid), or one allow_callers lists.  Any
 * other uid of the container — www-data under supervisord, nobody from
 * cron — stays itself. */
static void setuid_check_caller(const struct caller *c, const struct config *cfg,
				const struct target *t, const struct acct_db *pw,
				const char *appname)
{
	char range[64] = "(not set)", list[600] = "";
	size_t n = 0;

	if (c->ruid == t->uid || in_callers(cfg, c->ruid, pw))
		return;
	if (cfg->have_uid_range && c->ruid >= cfg->uid_min && c->ruid <= cfg->uid_max &&
	    c->ruid != OVERFLOW_UID)
		return;
	if (cfg->have_uid_range)
		snprintf(range, sizeof range, "%u-%u", cfg->uid_min, cfg->uid_max);
	for (size_t i = 0; i < cfg->ncallers && n < sizeof list - 24; i++) {
		const struct caller_rule *r = &cfg->callers[i];
		n += (size_t)(r->name ? snprintf(list + n, sizeof list - n, "%s%.20s", i ? " " : "",
						 r->name) :
			      snprintf(list + n, sizeof list - n, r->lo == r->hi ? "%s%u" : "%s%u-%u",
				       i ? " " : "", r->lo, r->hi));
	}
	die(EXIT_FAIL, "exec: uid %u may not become the application user '%s': in setuid mode "
	    "only the application user's own uid (%u), a uid in uid_range %s other than %u, or "
	    "one in allow_callers (%s) may; refused", (unsigned)c->ruid, appname, t->uid, range,
	    OVERFLOW_UID, n ? list : "empty");
}

/* Setuid mode: the caller may become the application user exactly as
 * the files define it (its own groups, not "application:daemon"), or stay
 * itself (self); never uid 0, gid 0 only for a caller holding it (issue 6,
 * DESIGN §4, §5). */
static void setuid_check_target(const struct caller *c, const struct config *cfg,
				const struct target *t, bool self, const struct acct_db *pw,
				const struct acct_db *gr, const char *appname)
{
	struct target app;
	bool is_app = userspec_resolve(appname, pw, gr, c->ruid, c->rgid, &app, NULL, 0) == US_OK;

	if (is_app) {
		is_app = same_target(t, &app);
		target_free(&app);
	}
	if (t->uid == 0)
		die(EXIT_FAIL, "exec: switching to uid 0 is refused in setuid mode");
	/* Group 0 only for a caller that holds it already: OpenShift runs
	 * every arbitrary uid in group 0, and its application user has it as
	 * primary group (no gain).  Anyone else: refused. */
	if (t->gid == 0 && !in_caller_groups(c, 0))
		die(EXIT_FAIL, "exec: switching to gid 0 is refused in setuid mode");
	for (size_t i = 0; i < t->ngroups; i++)
		if (t->groups[i] == 0 && !in_caller_groups(c, 0))
			die(EXIT_FAIL, "exec: a target in group 0 is refused in setuid mode");
	if (!is_app && !self)
		die(EXIT_FAIL, "exec: in setuid mode the target must be the application user "
		    "'%s' with its own groups, or yourself (uid %u)", appname, (unsigned)c->ruid);
	if (!self && cfg->have_uid_range &&
	    (t->uid < cfg->uid_min || t->uid > cfg->uid_max))
		die(EXIT_FAIL, "exec: application user uid %u is outside uid_range %u-%u",
		    t->uid, cfg->uid_min, cfg->uid_max);
	if (!self)
		setuid_check_caller(c, cfg, t, pw, appname);
}

/* Setuid mode: the caller may narrow the configured sandbox, never widen
 * it (capabilities, seccomp, SELinux domain, new privileges). */
static void setuid_check_sandbox(const struct config *cfg, const struct exec_opts *o,
				 const char *profile, const char *conf_profile)
{
	if (o->have_caps && (o->caps & ~allowed_caps(cfg)))
		die(EXIT_FAIL, "exec: capabilities beyond the config's 'allow_caps' (or "
		    "'caps') are refused in setuid mode");
	if (o->allow_new_privs)
		die(EXIT_FAIL, "exec: --allow-new-privs is refused in setuid mode");
	if (!strcmp(profile, "none"))
		die(EXIT_FAIL, "exec: --seccomp none is refused in setuid mode");
	if (!seccomp_is_builtin(profile))
		die(EXIT_FAIL, "exec: custom seccomp files are refused in setuid mode");
	/* `strict` is `default` plus more: only the configured profile or
	 * `strict` may be asked for. */
	if (strcmp(profile, conf_profile) && strcmp(profile, "strict"))
		die(EXIT_FAIL, "exec: --seccomp %s would loosen the configured profile '%s'; "
		    "refused in setuid mode", profile, conf_profile);
	if (o->selinux_context && (!cfg->selinux_context ||
				   strcmp(o->selinux_context, cfg->selinux_context)))
		die(EXIT_FAIL, "exec: --selinux-context is refused in setuid mode "
		    "(the config's selinux_context applies)");
}

static bool is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* PATH is searched as the target user, after the switch, the way gosu
 * (Go's exec.LookPath) does it: the first entry the user may execute wins,
 * folders it cannot search are skipped, no /bin/sh fallback for files
 * without a #! line.  Returns only if nothing could be executed: *seen
 * says whether a candidate existed, *err why the last one failed.  Apart
 * from exec_command (never inlined): its 4 KiB candidate buffer is on the
 * stack only for a name without a slash. */
static __attribute__((noinline)) void exec_path_search(char **argv, bool *seen, int *err)
{
	const char *name = argv[0], *path = env_command_path();

	for (const char *p = path;; p++) {
		const char *end = strchrnul(p, ':');
		char cand[4096];
		int n = snprintf(cand, sizeof cand, "%.*s%s%s", (int)(end - p), p,
				 end == p ? "" : "/", name);

		if (end == p)	/* empty entry: the current folder */
			n = snprintf(cand, sizeof cand, "./%s", name);
		if (n > 0 && (size_t)n < sizeof cand && is_file(cand) &&
		    faccessat(AT_FDCWD, cand, X_OK, AT_EACCESS) == 0) {
			execv(cand, argv);
			/* found but not runnable: report it, as gosu does */
			*err = errno;
			*seen = true;
			return;
		} else if (n > 0 && errno == EACCES && access(cand, F_OK) == 0) {
			*seen = true;
			*err = EACCES;
		}
		if (!*end)
			return;
		p = end;
	}
}

/* Returns 126 or 127 on failure; selinux_ctx is the exec context that
 * was set, to explain a refused transition. */
static int exec_command(char **argv, const char *selinux_ctx)
{
	const char *name = argv[0], *why;
	char buf[512];
	bool seen = false;
	int err = ENOENT;

	if (strchr(name, '/')) {
		execv(name, argv);
		err = errno;
		seen = (err != ENOENT && err != ENOTDIR);
	} else if (*name) {
		exec_path_search(argv, &seen, &err);
	}
	if (!seen) {
		msg("exec: %s: command not found", name);
		return EXIT_NOT_FOUND;
	}
	if ((why = label_exec_explain(selinux_ctx, err, buf, sizeof buf))) {
		msg("exec: %s: %s", name, why);
		return EXIT_CANNOT_EXEC;
	}
	msg_errno(err, "exec: %s", name);
	return EXIT_CANNOT_EXEC;
}

/* Everything is resolved and checked while privileged, then one drop and
 * the exec; what the plan points into (config, accounts, environment)
 * stays alive until then, so nothing is copied. */
static noreturn void run(const struct caller *c, struct exec_opts *o)
{
	struct rootfs root;
	struct config cfg;
	struct app_env env;
	struct acct_db pw, gr;
	struct target t;
	struct seccomp_prepared sc;
	struct landlock_plan ll;
	struct drop_plan plan = { 0 };
	const char *appname, *spec, *profile, *conf_profile, *ctx;
	char err[512];
	bool self;
	int rc;

	if ((rc = rootfs_open(&root, "/")) < 0)
		die_errno(EXIT_FAIL, -rc, "exec: open /");
	if (config_load(&root, &cfg, err, sizeof err) < 0)
		die(EXIT_FAIL, "exec: %s", err);
	if (c->mode == MODE_SETUID && !cfg.allow_setuid)
		die(EXIT_FAIL, "exec: running %s, but /etc/appuser.conf does not say "
		    "allow_setuid = yes; refused", c->euid == 0 ? "setuid" :
		    "with file capabilities but not uid 0");
	if (env_read(&env, err, sizeof err) < 0)
		die(EXIT_FAIL, "exec: %s", err);

	/* Who: resolved from the files, as root, before anything changes. */
	load_accounts(&root, &pw, &gr);
	appname = app_user(c, &cfg, &env);
	spec = o->user ? o->user : appname;
	rc = userspec_resolve(spec, &pw, &gr, c->ruid, c->rgid, &t, err, sizeof err);
	self = rc == US_OK && is_self(c, &t);
	if (c->mode == MODE_UNPRIV && !o->user && !self) {
		caller_as_target(c, &pw, &gr, &t, rc == US_OK);
		self = true;	/* ":rgid" as the real uid: by construction */
	} else if (rc != US_OK && !o->user)
		die(EXIT_FAIL, "exec: application %s (run 'appuser setup' first)", err);
	else if (rc != US_OK)
		die(EXIT_FAIL, "exec: %s", err);

	/* What it may keep: caps, seccomp profile, SELinux context. */
	if (!o->have_caps && cfg.have_caps) {
		o->caps = cfg.caps;
		o->have_caps = true;
	}
	conf_profile = cfg.seccomp ? cfg.seccomp : DEFAULT_SECCOMP;
	profile = o->seccomp ? o->seccomp : conf_profile;
	ctx = o->selinux_context ? o->selinux_context : cfg.selinux_context;

	if (c->mode == MODE_SETUID) {
		setuid_check_target(c, &cfg, &t, self, &pw, &gr, appname);
		setuid_check_sandbox(&cfg, o, profile, conf_profile);
	}
	/* After the checks, which judge the target as the files define it:
	 * the groups the runtime gave the caller (exec/groups.h). */
	if (runtime_groups_add(c, &pw, &gr, &t) < 0)
		die(EXIT_FAIL, "exec: out of memory");
	if (c->mode != MODE_ROOT && o->allow_new_privs)
		die(EXIT_FAIL, "exec: --allow-new-privs needs a root caller");
	if (seccomp_prepare(profile, c->mode == MODE_ROOT, &sc, err, sizeof err) < 0)
		die(EXIT_FAIL, "exec: %s", err);
	if (label_exec_prepare(ctx, o->selinux_context != NULL, &ctx, err, sizeof err) < 0)
		die(EXIT_FAIL, "exec: %s", err);
	if (c->mode == MODE_UNPRIV) {
		/* Without privilege only the real identity can be had, and
		 * only when it is the effective one too. */
		if (!self || c->euid != c->ruid || c->egid != c->rgid)
			die(EXIT_FAIL, "exec: cannot switch to uid %u: %s", t.uid,
			    setuid_unavailable_reason(err, sizeof err));
		o->caps = unpriv_caps(c, o->caps);
	}
	if (caps_keepable(o->caps, err, sizeof err) < 0)
		die(EXIT_FAIL, "exec: --cap: %s", err);

	plan.t = &t;
	plan.keep = o->caps;
	plan.no_new_privs = !o->allow_new_privs;
	plan.exec_context = ctx;
	plan.seccomp = &sc;
	/* The service's own Landlock domain, as far as this kernel allows. */
	landlock_plan_for(landlock_abi(), &ll);
	plan.landlock = &ll;
	/* Root start under supervisord: stdout is root's 0600 pipe, which the
	 * service could not reopen as /dev/stdout (runc does the same). */
	plan.stdio_to_target = c->mode == MODE_ROOT;
	/* Without privilege the only possible target is ourselves. */
	plan.switch_ids = c->mode != MODE_UNPRIV;
	if (c->mode == MODE_SETUID && c->euid != 0) {
		/* Privilege from the binary's file capabilities alone: staying
		 * yourself (self, computed once above) only lowers them;
		 * anything else needs the ID-changing ones. */
		capset_t ids = (capset_t)1 << CAP_SETUID | (capset_t)1 << CAP_SETGID;

		if (!self && (c->caps & ids) != ids)
			die(EXIT_FAIL, "exec: cannot switch to uid %u: appuser holds file "
			    "capabilities but neither uid 0 nor CAP_SETUID and CAP_SETGID; install "
			    "it setuid root (make install BINMODE=4755)", t.uid);
		plan.switch_ids = !self;
	}

	/* gosu's rule: HOME is the target's, "/" without a passwd entry. */
	if (setenv("HOME", t.home, 1) < 0)
		die_errno(EXIT_FAIL, errno, "exec: setenv HOME");
	/* Every setuid exec is recorded in syslog; on stderr (no syslog) only
	 * when it gives the caller IDs or groups it did not hold (!self; the
	 * runtime's groups added since are the caller's own).  After setup
	 * mapped the user to the caller (the --user flow) an exec changes
	 * nothing of who runs: a line per service start would be noise. */
	if (c->mode == MODE_SETUID)
		(self ? audit_syslog : audit)("exec: uid %u gid %u caps %s seccomp %s: %s",
			t.uid, t.gid, o->caps ? caps_format(o->caps, err, sizeof err) : "none",
			profile, o->argv[0]);
	privdrop_apply(&plan);
	rc = exec_command(o->argv, ctx);

	/* The exec failed, inside the service's sandbox: leave at once.  No
	 * exit handlers (the filter denies the ptrace LeakSanitizer's exit
	 * check needs); the kernel frees the rest. */
	fflush(stdout);
	_exit(rc);
}

int cmd_exec(int argc, char **argv, const struct caller *c)
{
	struct exec_opts o;

	parse_opts(argc, argv, &o);
	run(c, &o);
}

int cmd_gosu(int argc, char **argv, const struct caller *c, const char *progname)
{
	struct exec_opts o;

	/* gosu's own options, in its first argument only (gosu 1.14's main.go). */
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
			  !strcmp(argv[1], "-?"))) {
		printf("usage: %s USER-SPEC COMMAND [ARG...]\n"
		       "  USER-SPEC: user, uid, user:group, uid:gid, :group, user:\n"
		       "  (appuser's drop-in form; see appuser(8))\n", progname);
		return 0;
	}
	if (argc >= 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-v"))) {
		/* The number first, as gosu prints "1.14 (go1.19.8 on ...)". */
		printf("%s (appuser as %s)\n", APPUSER_VERSION, progname);
		return 0;
	}
	if (argc < 3) {
		msg("usage: %s USER-SPEC COMMAND [ARG...]", progname);
		return EXIT_FAIL;
	}
	memset(&o, 0, sizeof o);
	o.user = argv[1];
	o.argv = argv + 2;
	run(c, &o);
}

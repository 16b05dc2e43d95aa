/* status.c — `appuser status [--json] [--root DIR]`.
 *
 * Gathers facts into one struct, then prints them as text or JSON:
 * the application user as the files say and as the environment asks,
 * whether setup ran here and what it changed, each folder whose ownership
 * follows the user (owner, match), the mode, what `exec` would apply, and
 * how each service is kept apart from its neighbours (Landlock, Yama).
 * Exit 0 when everything is consistent, 1 when something mismatches, 125
 * when status itself fails.  In setuid mode it first drops to the caller:
 * nothing here needs privilege. */
#include "status.h"
#include "accounts/read.h"
#include "caps.h"
#include "config.h"
#include "exec/groups.h"
#include "env.h"
#include "exec/landlock.h"
#include "log.h"
#include "rootfs.h"
#include "selinux_lib.h"
#include "setup/plan.h"
#include "setup/state.h"
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

#define MAX_FOLDERS (ENV_MAX_LIST + 1)


struct status {
	const struct caller *c;
	const char *root_path;
	char config_err[600];
	struct config cfg;
	char env_err[600];
	struct app_env env;
	bool env_ok;
	const char *name, *name_from;	/* the application user and where it came from */
	bool user_exists;
	char accounts_err[4400];	/* the account files could not be read */
	struct target user;
	bool want_uid, want_gid;	/* the environment asks for IDs */
	uint32_t uid, gid;
	char want_err[300];
	struct path_fact folders[MAX_FOLDERS];	/* as setup sees them */
	bool matches[MAX_FOLDERS];
	size_t nfolders;
	bool marker, pending;
	char *record;			/* setup.last, or NULL */
	const char *seccomp;
	char caps[512], allow_caps[512];
	char bset_left[512];		/* what exec cannot drop from the bounding set */
	char runtime_groups[512];	/* the runtime's groups exec keeps */
	int selinux;			/* selinux_on() */
	struct landlock_plan landlock;	/* the domain exec would make */
	int yama;			/* kernel.yama.ptrace_scope, -1: no Yama */
	bool consistent;
};

static void folder_fact(const struct rootfs *r, struct path_fact *f, const char *path)
{
	struct stat st;
	int fd = rootfs_openat(r, path, O_PATH | O_NOFOLLOW, 0);

	f->path = path;
	f->exists = fd >= 0 && fstat(fd, &st) == 0;
	if (fd >= 0)
		close(fd);
	if (f->exists) {
		f->uid = st.st_uid;
		f->gid = st.st_gid;
	}
}

static void gather_folders(struct status *s, const struct rootfs *r)
{
	if (s->env_ok && s->env.npaths) {
		for (size_t i = 0; i < s->env.npaths && s->nfolders < MAX_FOLDERS; i++)
			folder_fact(r, &s->folders[s->nfolders++], s->env.paths[i]);
	} else if (s->cfg.npaths) {
		for (size_t i = 0; i < s->cfg.npaths && s->nfolders < MAX_FOLDERS; i++)
			folder_fact(r, &s->folders[s->nfolders++], s->cfg.paths[i]);
	} else {
		folder_fact(r, &s->folders[0], "/app");
		s->nfolders = s->folders[0].exists;
	}
}

/* What the environment asks for; `auto` by setup's own rule. */
static void want_one(struct status *s, bool uid)
{
	enum id_want how = uid ? s->env.uid_how : s->env.gid_how;
	bool *want = uid ? &s->want_uid : &s->want_gid;
	uint32_t *id = uid ? &s->uid : &s->gid;

	if (how == IDW_VALUE) {
		*id = uid ? s->env.uid : s->env.gid;
		*want = true;
	} else if (how == IDW_AUTO && !s->want_err[0]) {
		*want = plan_auto_owner(s->folders, s->nfolders, uid,
					uid ? s->env.uid_var : s->env.gid_var,
					caller_rootless_userns(), id, s->want_err,
					sizeof s->want_err) == 0;
	}
}

static void gather_wanted(struct status *s)
{
	if (!s->env_ok)
		return;
	want_one(s, true);
	want_one(s, false);
}

static void gather_state(struct status *s, const struct rootfs *r)
{
	const char *bad;
	int dfd = state_dir_open(r, false, &bad);
	struct stat st;

	if (dfd < 0)
		return;
	struct marker m;

	state_marker_read(dfd, &m);
	s->marker = m.current;
	s->pending = fstatat(dfd, "remap.pending", &st, AT_SYMLINK_NOFOLLOW) == 0;
	if (state_record_read(dfd, &s->record) < 0)
		s->record = NULL;
	close(dfd);
}

/* What exec's drop (exec/privdrop.c) does with the bounding set here: it
 * empties it when it holds CAP_SETPCAP — root and setuid mode hold what
 * the bounding set allows — and otherwise leaves it, NoNewPrivs standing
 * in for it. */
static void gather_bounding(struct status *s)
{
	capset_t setpcap = (capset_t)1 << CAP_SETPCAP;
	capset_t held = s->c->mode == MODE_UNPRIV ? caps_effective() : caps_bounding();
	capset_t left = caps_bounding() & ~(s->cfg.have_caps ? s->cfg.caps : 0);

	caps_format(held & setpcap ? 0 : left, s->bset_left, sizeof s->bset_left);
}

static void gather_runtime_groups(struct status *s, const struct acct_db *pw,
				  const struct acct_db *gr)
{
	struct target t = { 0 };
	size_t n = 0;

	if (runtime_groups_add(s->c, pw, gr, &t) < 0)
		return;
	for (size_t i = 0; i < t.ngroups && n < sizeof s->runtime_groups - 12; i++)
		n += (size_t)snprintf(s->runtime_groups + n, sizeof s->runtime_groups - n,
				      "%s%u", i ? "," : "", t.groups[i]);
	target_free(&t);
}

/* kernel.yama.ptrace_scope: 0 classic, 1 descendants only, 2 admin only,
 * 3 none; -1 when the kernel has no Yama. */
static int yama_scope(void)
{
	char buf[8] = { 0 };
	int fd = open("/proc/sys/kernel/yama/ptrace_scope", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);

	if (fd >= 0)
		close(fd);
	return n > 0 && buf[0] >= '0' && buf[0] <= '3' ? buf[0] - '0' : -1;
}

static void gather(struct status *s, const struct rootfs *r)
{
	struct acct_db pw = { 0 }, gr = { 0 };

	if (config_load(r, &s->cfg, s->config_err, sizeof s->config_err) < 0)
		memset(&s->cfg, 0, sizeof s->cfg);
	else
		s->config_err[0] = '\0';
	/* A bad environment is reported (env asks: INVALID) with setup's own
	 * words; the user is then the configured one. */
	s->env_ok = env_read(&s->env, s->env_err, sizeof s->env_err) == 0;
	if (s->env_ok)
		s->env_err[0] = '\0';
	s->name = env_app_user(&s->env, &s->cfg);
	s->name_from = s->env.user ? "APPLICATION_USER" : s->cfg.user ? "config" : "default";
	if (accounts_load_users(r, &pw, &gr, s->accounts_err, sizeof s->accounts_err) == 0) {
		s->accounts_err[0] = '\0';
		s->user_exists = acct_find_name(&pw, s->name) &&
			userspec_resolve(s->name, &pw, &gr, 0, 0, &s->user, NULL, 0) == US_OK;
		gather_runtime_groups(s, &pw, &gr);
	}
	acct_free(&pw);
	acct_free(&gr);
	gather_folders(s, r);
	gather_wanted(s);
	for (size_t i = 0; i < s->nfolders; i++) {
		const struct path_fact *f = &s->folders[i];
		s->matches[i] = s->user_exists && f->exists && f->uid == s->user.uid &&
				f->gid == s->user.gid;
	}
	gather_state(s, r);
	s->seccomp = s->cfg.seccomp ? s->cfg.seccomp : "default";
	caps_format(s->cfg.have_caps ? s->cfg.caps : 0, s->caps, sizeof s->caps);
	caps_format(s->cfg.have_allow_caps ? s->cfg.allow_caps : s->cfg.have_caps ? s->cfg.caps : 0,
		    s->allow_caps, sizeof s->allow_caps);
	gather_bounding(s);
	s->selinux = selinux_on();
	landlock_plan_for(landlock_abi(), &s->landlock);
	s->yama = yama_scope();
}

static void judge(struct status *s)
{
	bool ok = !s->config_err[0] && s->env_ok && !s->want_err[0] && s->user_exists &&
		  !s->pending;

	if (ok && s->want_uid && s->uid != s->user.uid)
		ok = false;
	if (ok && s->want_gid && s->gid != s->user.gid)
		ok = false;
	for (size_t i = 0; ok && i < s->nfolders; i++)
		ok = !s->folders[i].exists || s->matches[i];
	s->consistent = ok;
}

/* --- text ------------------------------------------------------------------ */

static const char *const yama_what[] = { "classic: any process of the same uid",
	"descendants only", "CAP_SYS_PTRACE only", "no ptrace at all" };

/* Landlock: "its own domain" or why not; Yama as the host has it. */
static void print_isolation(const struct status *s)
{
	const struct landlock_plan *l = &s->landlock;
	char sc[64];

	if (l->apply)
		printf("isolation:    Landlock ABI %d: each service in its own domain (no ptrace or "
		       "/proc/PID/mem outside it); scoped: %s\n", l->abi, l->scoped ?
		       landlock_scopes(l, sc, sizeof sc) : "nothing (signals and abstract unix "
		       "sockets from ABI 6)");
	else
		printf("isolation:    Landlock %s: a service can write /proc/PID/mem of processes "
		       "of its own uid outside it\n", l->why);
	if (s->yama < 0)
		printf("  Yama:       not in this kernel\n");
	else
		printf("  Yama:       ptrace_scope %d (%s)\n", s->yama, yama_what[s->yama]);
}

static void print_text(const struct status *s)
{
	char q[300], caps[512];

	printf("appuser %s, %s mode (real uid %u", APPUSER_VERSION, mode_name(s->c->mode),
	       (unsigned)s->c->ruid);
	if (s->c->mode == MODE_SETUID && s->c->euid != 0)
		printf(", file capabilities %s without uid 0", caps_format(s->c->caps, caps,
										sizeof caps));
	printf(")\n");
	if (s->root_path)
		printf("root:         %s\n", s->root_path);
	printf("config:       /etc/appuser.conf %s%s%s\n",
	       s->config_err[0] ? "INVALID: " : s->cfg.loaded ? "loaded" : "absent (defaults)",
	       s->config_err, s->cfg.loaded ? (s->cfg.allow_setuid ? ", allow_setuid yes" :
					       ", allow_setuid no") : "");
	printf("user:         %s (from %s)\n", env_quote(s->name, q, sizeof q), s->name_from);
	if (s->user_exists) {
		printf("  files say:  uid %u gid %u home %s groups", s->user.uid, s->user.gid,
		       s->user.home);
		for (size_t i = 0; i < s->user.ngroups; i++)
			printf("%s%u", i ? "," : " ", s->user.groups[i]);
		printf("\n");
	} else if (s->accounts_err[0]) {
		printf("  files say:  INVALID: %s\n", s->accounts_err);
	} else {
		printf("  files say:  MISSING: no such user in /etc/passwd\n");
	}
	if (!s->env_ok)
		printf("  env asks:   INVALID: %s\n", s->env_err);
	else if (s->want_err[0])
		printf("  env asks:   INVALID: %s\n", s->want_err);
	else if (!s->want_uid && !s->want_gid)
		printf("  env asks:   no particular IDs\n");
	else {
		printf("  env asks:  ");
		if (s->want_uid)
			printf(" uid %u%s", s->uid, s->user_exists && s->uid != s->user.uid ? " (MISMATCH)" : "");
		if (s->want_gid)
			printf(" gid %u%s", s->gid, s->user_exists && s->gid != s->user.gid ? " (MISMATCH)" : "");
		printf("\n");
	}
	printf("setup:        %s%s\n", s->marker ? "ran in this container (marker)" :
	       s->record ? "ran in this container" : "no record in this container",
	       s->pending ? "; an ownership remap is PENDING (run appuser setup)" : "");
	if (s->record)
		for (const char *p = s->record; *p;) {
			const char *nl = strchrnul(p, '\n');
			printf("  last:       %.*s\n", (int)(nl - p), p);
			p = *nl ? nl + 1 : nl;
		}
	if (!s->nfolders)
		printf("folders:      none (no APPLICATION_PATH, no config paths, no /app)\n");
	for (size_t i = 0; i < s->nfolders; i++) {
		const struct path_fact *f = &s->folders[i];
		if (!f->exists)
			printf("folder:       %s: missing\n", env_quote(f->path, q, sizeof q));
		else
			printf("folder:       %s: owner %u:%u, %s\n", env_quote(f->path, q, sizeof q),
			       f->uid, f->gid, s->matches[i] ? "matches" : "MISMATCH");
	}
	printf("exec applies: seccomp %s, caps %s (setuid mode may keep: %s), NoNewPrivs 1\n",
	       s->seccomp, s->caps[0] ? s->caps : "none", s->allow_caps[0] ? s->allow_caps : "none");
	if (s->runtime_groups[0])
		printf("extra groups: %s (given by the runtime; exec keeps them)\n",
		       s->runtime_groups);
	if (s->bset_left[0])
		printf("bounding set: %s stay (no CAP_SETPCAP to drop them; NoNewPrivs keeps "
		       "the service from gaining them)\n", s->bset_left);
	else
		printf("bounding set: emptied by exec\n");
	print_isolation(s);
	printf("selinux:      %s\n", s->selinux > 0 ? "enabled" : "disabled");
	printf("status:       %s\n", s->consistent ? "consistent" : "MISMATCH (see above; "
	       "appuser setup --dry-run shows the changes)");
}

/* --- JSON ------------------------------------------------------------------ */

static void jstr(const char *v)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)(v ? v : ""); *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			printf("\\u%04x", *p);	/* bytes, not code points: always valid JSON */
		else
			putchar(*p);
	}
	putchar('"');
}

static void jkey(const char *k, bool *first)
{
	printf("%s", *first ? "" : ",");
	*first = false;
	jstr(k);
	putchar(':');
}

static void print_json(const struct status *s)
{
	bool f = true, g;

	putchar('{');
	jkey("version", &f); jstr(APPUSER_VERSION);
	jkey("mode", &f); jstr(mode_name(s->c->mode));
	jkey("ruid", &f); printf("%u", (unsigned)s->c->ruid);
	jkey("config", &f);
	g = true; putchar('{');
	jkey("loaded", &g); printf("%s", s->cfg.loaded ? "true" : "false");
	jkey("error", &g); s->config_err[0] ? jstr(s->config_err) : (void)printf("null");
	jkey("allow_setuid", &g); printf("%s", s->cfg.allow_setuid ? "true" : "false");
	putchar('}');
	jkey("user", &f);
	g = true; putchar('{');
	jkey("name", &g); jstr(s->name);
	jkey("from", &g); jstr(s->name_from);
	jkey("exists", &g); printf("%s", s->user_exists ? "true" : "false");
	jkey("error", &g); s->accounts_err[0] ? jstr(s->accounts_err) : (void)printf("null");
	if (s->user_exists) {
		jkey("uid", &g); printf("%u", s->user.uid);
		jkey("gid", &g); printf("%u", s->user.gid);
		jkey("home", &g); jstr(s->user.home);
		jkey("groups", &g); putchar('[');
		for (size_t i = 0; i < s->user.ngroups; i++)
			printf("%s%u", i ? "," : "", s->user.groups[i]);
		putchar(']');
	}
	putchar('}');
	jkey("env", &f);
	g = true; putchar('{');
	jkey("error", &g);
	s->env_err[0] ? jstr(s->env_err) : s->want_err[0] ? jstr(s->want_err) : (void)printf("null");
	jkey("uid", &g); s->want_uid ? (void)printf("%u", s->uid) : (void)printf("null");
	jkey("gid", &g); s->want_gid ? (void)printf("%u", s->gid) : (void)printf("null");
	putchar('}');
	jkey("setup", &f);
	g = true; putchar('{');
	jkey("marker", &g); printf("%s", s->marker ? "true" : "false");
	jkey("pending_remap", &g); printf("%s", s->pending ? "true" : "false");
	jkey("last", &g); s->record ? jstr(s->record) : (void)printf("null");
	putchar('}');
	jkey("folders", &f); putchar('[');
	for (size_t i = 0; i < s->nfolders; i++) {
		const struct path_fact *d = &s->folders[i];
		g = true;
		printf("%s{", i ? "," : "");
		jkey("path", &g); jstr(d->path);
		jkey("exists", &g); printf("%s", d->exists ? "true" : "false");
		if (d->exists) {
			jkey("uid", &g); printf("%u", d->uid);
			jkey("gid", &g); printf("%u", d->gid);
		}
		jkey("matches", &g); printf("%s", s->matches[i] ? "true" : "false");
		putchar('}');
	}
	putchar(']');
	jkey("exec", &f);
	g = true; putchar('{');
	jkey("seccomp", &g); jstr(s->seccomp);
	jkey("caps", &g); jstr(s->caps);
	jkey("setuid_allowed_caps", &g); jstr(s->allow_caps);
	jkey("no_new_privs", &g); printf("true");
	jkey("bounding_set_left", &g); jstr(s->bset_left);
	jkey("runtime_groups", &g); printf("[%s]", s->runtime_groups);
	putchar('}');
	jkey("isolation", &f);
	g = true; putchar('{');
	jkey("landlock_abi", &g); printf("%d", s->landlock.abi > 0 ? s->landlock.abi : 0);
	jkey("landlock_domain", &g); printf("%s", s->landlock.apply ? "true" : "false");
	jkey("landlock_why_not", &g);
	s->landlock.apply ? (void)printf("null") : jstr(s->landlock.why);
	jkey("scoped", &g); putchar('[');
	if (s->landlock.scoped & LL_SCOPE_SIGNAL)
		printf("\"signal\"%s", s->landlock.scoped & LL_SCOPE_ABSTRACT_UNIX_SOCKET ? "," : "");
	if (s->landlock.scoped & LL_SCOPE_ABSTRACT_UNIX_SOCKET)
		printf("\"abstract_unix_socket\"");
	putchar(']');
	jkey("yama_ptrace_scope", &g);
	s->yama < 0 ? (void)printf("null") : (void)printf("%d", s->yama);
	putchar('}');
	jkey("selinux", &f); printf("%s", s->selinux > 0 ? "true" : "false");
	jkey("consistent", &f); printf("%s", s->consistent ? "true" : "false");
	printf("}\n");
}

/* --- command ---------------------------------------------------------------- */

int cmd_status(int argc, char **argv, const struct caller *c)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "root", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct status s;
	struct rootfs root;
	bool json = false;
	int ch, rc;

	memset(&s, 0, sizeof s);
	s.c = c;
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j': json = true; break;
		case 'r': s.root_path = optarg; break;
		case 'h':
			printf("usage: appuser status [--json] [--root DIR]\n");
			return EXIT_OK;
		default:
			die(EXIT_FAIL, "status: unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		die(EXIT_FAIL, "status: unexpected argument '%s'", argv[optind]);
	drop_to_caller(c);
	if ((rc = rootfs_open(&root, s.root_path ? s.root_path : "/")) < 0)
		die_errno(EXIT_FAIL, -rc, "status: %s", s.root_path ? s.root_path : "/");
	gather(&s, &root);
	judge(&s);
	if (json)
		print_json(&s);
	else
		print_text(&s);
	fflush(stdout);
	rootfs_close(&root);
	if (s.user_exists)
		target_free(&s.user);
	env_free(&s.env);
	config_free(&s.cfg);
	free(s.record);
	return s.consistent ? EXIT_OK : 1;
}

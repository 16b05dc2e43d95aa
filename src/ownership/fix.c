/* ownership/fix.c — `appuser fix`: parse, work out --from and --to for each PATH,
 * then one remap_tree() per PATH.  Refused in setuid mode: there `setup`
 * fixes the configured paths and nothing else (DESIGN §4). */
#include "ownership/fix.h"
#include "accounts/read.h"
#include "config.h"
#include "env.h"
#include "ids.h"
#include "log.h"
#include "ownership/remap.h"
#include "ownership/rules.h"
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_JOBS 64

struct fix_opts {
	bool have_from, have_to;
	struct owner_spec from, to;
	struct remap_opts r;
	char **paths;
	int npaths;
};

static noreturn void fix_usage(int status)
{
	static const char text[] =
		"usage: appuser fix [--from UID:GID] [--to UID:GID] [--dry-run] [--cross-mounts]\n"
		"                   [--allow-system-path] [-j N] [-q|-v] PATH...\n";
	(void)!write(status ? 2 : 1, text, sizeof text - 1);
	_exit(status);
}

static int one_id(const char *s, size_t len, uint32_t *out, const char *what, char *err,
		  size_t errlen)
{
	char buf[32];
	enum id_parse r;

	if (len >= sizeof buf) {
		snprintf(err, errlen, "%s is too long", what);
		return -1;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	r = id_parse(buf, out);
	if (r != ID_OK) {
		snprintf(err, errlen, "%s '%s' is %s", what, buf, id_parse_str(r));
		return -1;
	}
	return 0;
}

int owner_spec_parse(const char *s, struct owner_spec *o, char *err, size_t errlen)
{
	const char *colon = strchr(s, ':');
	size_t ul = colon ? (size_t)(colon - s) : strlen(s);

	memset(o, 0, sizeof *o);
	if (ul && one_id(s, ul, &o->uid, "uid", err, errlen) < 0)
		return -1;
	o->have_uid = ul > 0;
	if (colon && colon[1]) {
		if (one_id(colon + 1, strlen(colon + 1), &o->gid, "gid", err, errlen) < 0)
			return -1;
		o->have_gid = true;
	}
	if (!o->have_uid && !o->have_gid) {
		snprintf(err, errlen, "'%s' names neither a uid nor a gid (UID:GID, UID: or :GID)", s);
		return -1;
	}
	return 0;
}

static void parse_opts(int argc, char **argv, struct fix_opts *o)
{
	enum { OPT_FROM = 256, OPT_TO, OPT_DRY, OPT_CROSS, OPT_SYSTEM };
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO },
		{ "dry-run", no_argument, NULL, OPT_DRY },
		{ "cross-mounts", no_argument, NULL, OPT_CROSS },
		{ "allow-system-path", no_argument, NULL, OPT_SYSTEM },
		{ "jobs", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char err[256];
	uint32_t jobs;
	int ch;

	memset(o, 0, sizeof *o);
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "j:qvh", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_FROM:
		case OPT_TO:
			if (owner_spec_parse(optarg, ch == OPT_FROM ? &o->from : &o->to, err,
					     sizeof err) < 0)
				die(EXIT_FAIL, "fix: --%s: %s", ch == OPT_FROM ? "from" : "to", err);
			*(ch == OPT_FROM ? &o->have_from : &o->have_to) = true;
			break;
		case OPT_DRY:
			o->r.dry_run = true;
			break;
		case OPT_CROSS:
			o->r.cross_mounts = true;
			break;
		case OPT_SYSTEM:
			o->r.allow_system = true;
			break;
		case 'j':
			if (id_parse(optarg, &jobs) != ID_OK || jobs < 1 || jobs > MAX_JOBS)
				die(EXIT_FAIL, "fix: --jobs must be 1 to %d", MAX_JOBS);
			o->r.nthreads = jobs;
			break;
		case 'q':
			log_set_level(LOG_QUIET);
			break;
		case 'v':
			log_set_level(LOG_VERBOSE);
			break;
		case 'h':
			fix_usage(0);
		default:
			msg("fix: unknown or incomplete option '%s'", argv[optind - 1]);
			fix_usage(EXIT_FAIL);
		}
	}
	if (optind >= argc) {
		msg("fix: no PATH given");
		fix_usage(EXIT_FAIL);
	}
	o->paths = argv + optind;
	o->npaths = argc - optind;
	o->r.quiet = log_get_level() == LOG_QUIET;
	o->r.progress = !o->r.quiet && isatty(STDERR_FILENO);
	o->r.tag = "fix";
}

/* --to's default: the application user's uid and primary gid, from the
 * passwd file (never NSS): APPLICATION_USER, else the config's user,
 * else "application" (env_app_user()). */
static void default_to(const struct app_env *env, struct owner_spec *to)
{
	struct rootfs root;
	struct config cfg = { 0 };
	struct acct_db pw;
	const struct acct_entry *e;
	const char *name;
	char err[4400];
	int rc;

	if ((rc = rootfs_open(&root, "/")) < 0)
		die_errno(EXIT_FAIL, -rc, "fix: open /");
	if (!env->user && config_load(&root, &cfg, err, sizeof err) < 0)
		die(EXIT_FAIL, "fix: %s", err);
	name = env_app_user(env, &cfg);
	if (accounts_load(&root, ACCT_PASSWD, &pw, err, sizeof err) < 0)
		die(EXIT_FAIL, "fix: %s", err);
	e = acct_find_name(&pw, name);
	if (!e)
		die(EXIT_FAIL, "fix: application user '%s' not found in /etc/passwd; give --to UID:GID",
		    name);
	*to = (struct owner_spec){ true, true, e->id, e->gid };
	verbose("fix: --to defaults to %s's %u:%u", name, e->id, e->gid);
	acct_free(&pw);
	config_free(&cfg);
	rootfs_close(&root);
}

/* --from's default: the owner of PATH itself, except that root's IDs are
 * never taken implicitly (that would hand root's files over). */
static int default_from(const char *path, struct owner_spec *from)
{
	struct stat st;
	int fd = open_nolinks(path, O_PATH);	/* as remap_tree() will open it */

	if (fd < 0 || fstat(fd, &st) < 0) {
		int err = fd < 0 ? -fd : errno;
		if (fd >= 0)
			close(fd);
		if (err == ELOOP)
			msg("fix: %s: is or goes through a symlink; name the real folder", path);
		else
			msg_errno(err, "fix: %s", path);
		return -1;
	}
	close(fd);
	if (S_ISLNK(st.st_mode)) {
		msg("fix: %s: is a symlink; name the real folder", path);
		return -1;
	}
	*from = (struct owner_spec){ st.st_uid != 0, st.st_gid != 0, st.st_uid, st.st_gid };
	if (!from->have_uid && !from->have_gid) {
		msg("fix: %s: owned by root; give --from UID:GID to remap root's files", path);
		return -1;
	}
	return 0;
}

static void make_map(const struct owner_spec *from, const struct owner_spec *to,
		     struct remap_map *m)
{
	memset(m, 0, sizeof *m);
	if (from->have_uid && to->have_uid) {
		m->uid_from[0] = from->uid;
		m->uid_to[0] = to->uid;
		m->nuid = 1;
	}
	if (from->have_gid && to->have_gid) {
		m->gid_from[0] = from->gid;
		m->gid_to[0] = to->gid;
		m->ngid = 1;
	}
}

/* One PATH.  Returns true when everything under it went well. */
static bool fix_one(const struct fix_opts *o, const char *path)
{
	struct owner_spec from = o->from;
	struct remap_map map;
	struct remap_stats st;
	int rc;

	if (!o->have_from && default_from(path, &from) < 0)
		return false;
	make_map(&from, &o->to, &map);
	if (!map.nuid && !map.ngid) {
		msg("fix: %s: --from and --to have no uid or gid in common; nothing to remap", path);
		return false;
	}
	if (remap_map_is_noop(&map)) {
		info("fix: %s: already owned as wanted, nothing to do", path);
		return true;
	}
	if (map.nuid)
		verbose("fix: %s: uid %u -> %u", path, map.uid_from[0], map.uid_to[0]);
	if (map.ngid)
		verbose("fix: %s: gid %u -> %u", path, map.gid_from[0], map.gid_to[0]);
	rc = remap_tree(NULL, path, &map, &o->r, &st);
	if (rc == -ENOENT)
		msg_errno(ENOENT, "fix: %s", path);
	return rc == 0 && st.errors == 0;
}

int cmd_fix(int argc, char **argv, const struct caller *c)
{
	struct fix_opts o;
	struct app_env env;
	char err[1024];
	bool ok = true;

	parse_opts(argc, argv, &o);
	if (c->mode == MODE_SETUID)
		die(EXIT_FAIL, "fix: refused in setuid mode (appuser setup remaps the configured "
		    "paths there); run appuser fix as root");
	if (o.r.allow_system && c->mode != MODE_ROOT)
		die(EXIT_FAIL, "fix: --allow-system-path needs root (real uid 0)");
	hygiene_writer(c);
	if (env_read(&env, err, sizeof err) < 0)
		die(EXIT_FAIL, "fix: %s", err);
	if (!o.have_to)
		default_to(&env, &o.to);
	env_free(&env);
	for (int i = 0; i < o.npaths; i++)
		ok = fix_one(&o, o.paths[i]) && ok;
	return ok ? EXIT_OK : EXIT_FAIL;
}

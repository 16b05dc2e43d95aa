/* setup/inputs.c — every input of one `appuser setup` run, read and
 * validated into struct setup_run before anything is written, and the plan
 * made on them.  Below setup/command.c (which calls it first) and
 * setup/apply.c (which re-plans under the locks): it calls neither. */
#include "setup/inputs.h"
#include "setup/setuid_rules.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* err = the formatted reason, with ": strerror(errnum)" when errnum. */
static int inputs_err(char *err, size_t errlen, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int inputs_err(char *err, size_t errlen, int errnum, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	if (errnum && n >= 0 && (size_t)n < errlen)
		snprintf(err + n, errlen - (size_t)n, ": %s", strerror(errnum));
	return -1;
}

/* --- the root, config, environment, login.defs, account files ------------ */

static int load_files(struct setup_run *r, char *err, size_t errlen)
{
	const char *root = r->root_arg ? r->root_arg : "/";
	char *buf = NULL;
	size_t len;
	int rc;

	if ((rc = rootfs_open(&r->root, root)) < 0)
		return inputs_err(err, errlen, -rc, "--root %s", root);
	if (config_load(&r->root, &r->cfg, err, errlen) < 0)
		return -1;
	if (env_read(&r->env, err, errlen) < 0)
		return -1;
	if (r->c->mode == MODE_SETUID && setuid_setup_check(&r->env, &r->cfg, err, errlen) < 0)
		return -1;
	login_defs_default(&r->defs);
	if (rootfs_read_file(&r->root, LOGIN_DEFS_PATH, 1 << 20, &buf, &len) == 0) {
		login_defs_parse(buf, len, &r->defs);
		free(buf);
	}
	if ((rc = store_open(&r->st, &r->root)) < 0)
		return inputs_err(err, errlen, -rc, "cannot open the etc folder of %s", r->root.path);
	if (store_load(&r->st, err, errlen) < 0)
		return -1;
	r->today = (long)(time(NULL) / 86400);
	return 0;
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

static int add_path(struct setup_run *r, const char *path, bool must_exist, const char *what,
		    char *err, size_t errlen)
{
	struct path_fact *f = &r->paths[r->npaths];
	struct stat st;
	char q[300];
	int rc = stat_path(r, path, false, &st);

	if (rc == -ELOOP)
		return inputs_err(err, errlen, 0, "%s: '%s' is or goes through a symlink; name "
				  "the real folder", what, env_quote(path, q, sizeof q));
	if (rc < 0 && (must_exist || rc != -ENOENT))
		return inputs_err(err, errlen, 0, "%s: '%s' %s", what, env_quote(path, q, sizeof q),
				  rc == -ENOENT ? "does not exist" : strerror(-rc));
	f->path = path;
	f->exists = rc == 0;
	f->uid = rc == 0 ? st.st_uid : 0;
	f->gid = rc == 0 ? st.st_gid : 0;
	r->npaths++;
	return 0;
}

/* APPLICATION_PATH, else the config's paths (missing ones skipped: a
 * volume that is not mounted this time), else /app when it exists. */
static int gather_paths(struct setup_run *r, char *err, size_t errlen)
{
	if (r->env.npaths) {
		for (size_t i = 0; i < r->env.npaths; i++)
			if (add_path(r, r->env.paths[i], true, "APPLICATION_PATH", err, errlen) < 0)
				return -1;
		return 0;
	}
	for (size_t i = 0; i < r->cfg.npaths; i++)	/* canonical (config.c) */
		if (add_path(r, r->cfg.paths[i], false, "config paths", err, errlen) < 0)
			return -1;
	if (!r->cfg.npaths && r->c->mode != MODE_SETUID)
		return add_path(r, "/app", false, "default path", err, errlen);
	return 0;
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
		/* A setuid caller sees only what it could see itself:
		 * access(2) checks with the real IDs, so a path below a
		 * folder it may not search is "no such path" (otherwise its
		 * answer told whether /root/x exists, when x's group is one
		 * the caller holds, or is 0 and the caller's gid is). */
		if (f->exists && r->c->mode == MODE_SETUID && access(f->path, F_OK) != 0)
			f->exists = false;
		f->gid = f->exists ? st.st_gid : 0;
		r->ngpaths++;
	}
}

int setup_inputs_load(struct setup_run *r, char *err, size_t errlen)
{
	if (load_files(r, err, errlen) < 0 || gather_paths(r, err, errlen) < 0)
		return -1;
	gather_group_paths(r);
	return 0;
}

/* --- planning ------------------------------------------------------------- */

int setup_plan(struct setup_run *r, char *err, size_t errlen)
{
	struct plan_in in = {
		.env = &r->env, .cfg = &r->cfg, .defs = r->defs,
		.have_shadow = r->st.snap[ACCT_SHADOW].exists,
		.have_gshadow = r->st.snap[ACCT_GSHADOW].exists,
		.paths = r->paths, .npaths = r->npaths,
		.gpaths = r->gpaths, .ngpaths = r->ngpaths,
		.setuid = r->c->mode == MODE_SETUID,
		.ruid = r->c->ruid, .rgid = r->c->rgid,
		.held = r->c->groups, .nheld = r->c->ngroups,
		.rootless = r->env.uid_how == IDW_AUTO || r->env.gid_how == IDW_AUTO ?
			caller_rootless_userns() : false,
		.today = r->today,
	};

	plan_free(&r->plan);
	return plan_make(&in, r->st.db, &r->plan, err, errlen) == PLAN_OK ? 0 : -1;
}

int setup_replan(struct setup_run *r, char *err, size_t errlen)
{
	if (store_load(&r->st, err, errlen) < 0)
		return -1;
	return setup_plan(r, err, errlen);
}

void setup_inputs_free(struct setup_run *r)
{
	plan_free(&r->plan);
	store_close(&r->st);
	env_free(&r->env);
	config_free(&r->cfg);
	rootfs_close(&r->root);
}

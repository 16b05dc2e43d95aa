/* setup/apply.c — the side effects of `appuser setup`, each in one named
 * function, called by cmd_setup() in this order: commit the account files,
 * remap ownership, create the home, flush caches, (setuid) marker. */
#include "setup/apply.h"
#include "accounts/lock.h"
#include "log.h"
#include "ownership/remap.h"
#include "setup/inputs.h"
#include "setup/state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static bool is_setuid(const struct setup_run *r) { return r->c->mode == MODE_SETUID; }

/* --- 1. the account files ------------------------------------------------- */

/* Setuid mode needs a safe /run/appuser — and a safe /run and root above
 * it — before anything changes: the marker goes there, and whoever could
 * rename it away would get a second setup (issue 11 §3). */
static int open_state(const struct setup_run *r, bool create)
{
	const char *bad = NULL;
	int dfd = state_dir_open(&r->root, create, &bad);

	if (dfd < 0 && is_setuid(r) && (create || dfd != -ENOENT)) {
		if (dfd == -EPERM)
			die(EXIT_FAIL, "setup: %s is writable by group or others, or not owned by "
			    "root (a Kubernetes emptyDir on /run is 0777): whoever can write it could "
			    "remove the once-per-container marker; refused in setuid mode", bad);
		die_errno(EXIT_FAIL, -dfd, "setup: %s", bad ? bad : "/run/appuser");
	}
	if (dfd < 0 && !is_setuid(r) && create && !r->root_arg)
		msg("setup: cannot record that setup ran in this container (%s: %s); a setuid "
		    "setup here will be refused", bad ? bad : "/run/appuser",
		    dfd == -EPERM ? "writable by group or others, or not owned by root" :
		    strerror(-dfd));
	return dfd;
}

static void refuse_second(void)
{
	audit("setup: refused: a second setup that would change the accounts");
	die(EXIT_FAIL, "setup: setup already ran in this container (/run/appuser/setup.done) "
	    "and this one would change the accounts; refused in setuid mode");
}

/* Setuid mode: may this run go on, given this container's marker?  After a
 * finished first setup only a no-op passes (a restart); a marker claimed
 * by a run that did not finish (killed) lets a run with the very same
 * outcome finish the job, nothing else. */
static bool once_allows(const struct setup_run *r, const struct marker *m, bool changes)
{
	if (!is_setuid(r) || !m->current)
		return true;
	if (m->done)
		return !changes;
	return !strcmp(m->user, r->plan.user) && m->uid == r->plan.uid && m->gid == r->plan.gid;
}

static int write_marker(struct setup_run *r, int dfd, bool done)
{
	struct marker m = { .done = done, .uid = r->plan.uid, .gid = r->plan.gid };
	char line[512];
	int rc;

	snprintf(m.user, sizeof m.user, "%s", r->plan.user);
	if ((rc = state_marker_line(line, sizeof line, &m, mode_name(r->c->mode),
				    (unsigned)r->c->ruid, (long)time(NULL))) == 0 &&
	    (rc = state_marker_write(dfd, line)) == 0)
		r->marked = true;
	else
		msg_errno(-rc, "setup: cannot write /run/appuser/setup.done");
	return rc;
}

/* Claim the marker for this run under the account locks and before the
 * files change, so that of two setups started together only one passes
 * (issue 11 §3 c).  False: another setup of this container got there. */
static bool claim_marker(struct setup_run *r, int dfd)
{
	struct marker m;

	if (dfd < 0)
		return true;	/* root mode without a safe /run: said in open_state() */
	state_marker_read(dfd, &m);
	if (!once_allows(r, &m, true))
		return false;
	write_marker(r, dfd, false);
	return true;
}

static void record_pending(struct setup_run *r, int dfd)
{
	int rc;

	if (r->no_fix || !plan_remaps(&r->plan) || dfd < 0)
		return;
	rc = state_pending_write(dfd, r->plan.jobs, PLAN_JOBS);
	if (rc < 0)
		msg_errno(-rc, "setup: warning: cannot record the pending remap in /run/appuser "
			  "(it runs now, but would not resume after a crash)");
}

void setup_commit(struct setup_run *r)
{
	char err[1024];
	int rc, dfd;
	bool reread;

	/* With nothing to change, the locked path only tidies up what a killed
	 * run left: a lock someone really holds (vipw) must not fail a no-op. */
	bool tidy_only = !plan_changes_files(&r->plan);

	if (store_lock(&r->st, tidy_only ? 1000 : LOCK_TIMEOUT_MS, err, sizeof err) < 0) {
		if (tidy_only) {
			verbose("setup: leftovers in /etc not tidied: %s", err);
			return;
		}
		die(EXIT_FAIL, "setup: %s", err);
	}
	rc = store_recover(&r->st, err, sizeof err);
	if (rc > 0)
		info("setup: finished %d file%s of an interrupted earlier run", rc,
		     rc == 1 ? "" : "s");
	/* Plan again on what is there now, under the locks, unless the files
	 * are still the ones planned on (nothing recovered, nothing changed
	 * since the read): a second setup that waited for the first finds
	 * nothing left to do. */
	reread = rc > 0 || (rc == 0 && !store_unchanged(&r->st));
	if (rc < 0 || (reread && setup_replan(r, err, sizeof err) < 0)) {
		store_unlock(&r->st);
		die(EXIT_FAIL, "setup: %s", err);
	}
	if (!plan_changes_files(&r->plan)) {
		store_unlock(&r->st);
		return;
	}
	dfd = open_state(r, !r->root_arg || (!r->no_fix && plan_remaps(&r->plan)));
	if (!r->root_arg && !claim_marker(r, dfd)) {
		store_unlock(&r->st);
		refuse_second();
	}
	record_pending(r, dfd);
	rc = store_commit(&r->st, r->plan.dirty, err, sizeof err);
	store_unlock(&r->st);
	if (rc < 0) {
		if (dfd >= 0) {
			state_pending_clear(dfd);
			if (r->marked)	/* nothing changed: a failed run leaves no marker */
				state_marker_remove(dfd);
		}
		die(EXIT_FAIL, "setup: %s", err);
	}
	if (dfd >= 0)
		close(dfd);
	r->wrote = true;
}

/* --- 2. the remap ------------------------------------------------------------ */

static void describe(const struct remap_map *m, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < m->nuid && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, " uid %u->%u", m->uid_from[i], m->uid_to[i]);
	for (size_t i = 0; i < m->ngid && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, " gid %u->%u", m->gid_from[i], m->gid_to[i]);
}

/* Walk one folder; false on a failure that the caller should report.
 * The engine prints its own reasons and, with -v, a summary per folder. */
static bool remap_one(struct setup_run *r, const struct remap_map *m, const char *rel, bool moved)
{
	struct remap_opts o = {
		.progress = isatty(2) == 1,
		.quiet = log_get_level() < LOG_VERBOSE,
		.tag = "setup",
		.skip_done_root = true,
		/* Under a folder others may write, the name is theirs to
		 * point anywhere beside it (issue 11 §4); a moved user's home
		 * that is a mount point may be the host's checkout (§5). */
		.guard_start = true,
		.keep_mount_start = moved,
	};
	struct remap_stats st;
	char path[4200], ids[256];
	int rc;

	rootfs_display(&r->root, rel, path, sizeof path);
	describe(m, ids, sizeof ids);
	/* Below the root's descriptor, never by name again (a folder renamed
	 * into --root DIR's place is not walked), and with no symlink on the
	 * way (an absolute one in an image never leads to the host). */
	rc = remap_tree(&r->root, rel, m, &o, &st);
	if (rc == -ENOENT) {
		verbose("setup: remap: %s does not exist; skipped", path);
		return true;
	}
	if (rc == -ELOOP)
		return true;	/* a symlinked home: said, skipped, not fatal */
	if (rc < 0)
		return false;
	if (st.skipped == REMAP_SKIP_MOUNT) {
		info("setup: %s: a mount point (a volume, maybe the host's checkout): the moved "
		     "user's files there keep their owner; not walked", path);
		return true;
	}
	if (st.skipped == REMAP_SKIP_EXPOSED) {
		info("setup: %s: not walked: a folder above it is writable by others than root and "
		     "it is owned by %u:%u, none of the IDs being moved, so whoever can write "
		     "there may have put it in this place; give it to the user (appuser fix) or "
		     "to the old IDs if it is really theirs", path, st.root_uid, st.root_gid);
		return true;
	}
	if (st.root_done) {
		verbose("setup: %s: already owned by %u:%u; not walked", path, st.root_uid,
			st.root_gid);
		return true;
	}
	r->remap_roots++;
	r->remapped += st.changed;
	if (is_setuid(r))
		audit_syslog("setup: remapped %s:%s (%llu entries)", path, ids,
		      (unsigned long long)st.changed);
	return st.errors == 0;
}

/* This run's own jobs, when no pending file recorded them. */
static void jobs_from_plan(const struct setup_run *r, struct pending_remap *p)
{
	memset(p, 0, sizeof *p);
	if (!r->wrote || !plan_remaps(&r->plan))
		return;
	for (int j = 0; j < PLAN_JOBS; j++) {
		const struct remap_job *src = &r->plan.jobs[j];
		struct remap_job *dst = &p->jobs[p->njobs++];
		dst->map = src->map;
		for (size_t i = 0; i < src->nroots; i++)
			if ((dst->roots[dst->nroots] = strdup(src->roots[i])))
				dst->nroots++;
	}
}

bool setup_remap(struct setup_run *r)
{
	struct pending_remap p;
	bool ok = true;
	int dfd;

	if (r->no_fix) {
		if (r->wrote && plan_remaps(&r->plan))
			info("setup: --no-fix: file ownership was not remapped; run 'appuser fix'");
		return true;
	}
	dfd = open_state(r, false);
	if (dfd < 0 || state_pending_read(dfd, &p) < 0)
		jobs_from_plan(r, &p);
	for (size_t j = 0; j < p.njobs; j++) {
		const struct remap_job *job = &p.jobs[j];
		if (!job->map.nuid && !job->map.ngid)
			continue;
		for (size_t i = 0; i < job->nroots; i++)
			if (!remap_one(r, &job->map, job->roots[i], j == JOB_MOVED))
				ok = false;
	}
	if (dfd >= 0) {
		state_pending_clear(dfd);
		close(dfd);
	}
	pending_free(&p);
	return ok;
}

/* --- 3. the home ------------------------------------------------------------- */

static bool home_wanted(const char *home)
{
	return home && home[0] == '/' && !path_is_system(home) && strcmp(home, "/nonexistent");
}

bool setup_home_missing(const struct setup_run *r)
{
	int fd;

	if (!home_wanted(r->plan.home))
		return false;
	fd = rootfs_openat_nolinks(&r->root, r->plan.home, O_PATH, 0);
	if (fd >= 0)
		close(fd);
	return fd == -ENOENT;
}

/* Open folder path of the root ("." for the root itself). */
static int open_dir(const struct setup_run *r, const char *path, size_t len)
{
	char buf[ENV_PATH_MAX];

	snprintf(buf, sizeof buf, "%.*s", (int)len, path);
	/* No symlink on the way: home = /app/users/x with a planted
	 * /app/users -> /etc must not create /etc/x. */
	return rootfs_openat_nolinks(&r->root, len ? buf : ".", O_PATH | O_DIRECTORY, 0);
}

/* mkdirat as uid:gid.  This thread's filesystem IDs are set to them, so
 * the kernel checks the parent as that user (a non-zero fsuid also drops
 * CAP_DAC_OVERRIDE, CAP_FOWNER and the other file capabilities from the
 * effective set until it is 0 again) and the folder is born theirs.  The
 * kernel checks the supplementary groups too: in setuid mode they are the
 * caller's, who is that user (uid and gid are the caller's own, plan.c);
 * in root mode they are root's, none of the user's, so they are dropped
 * for the call (own_groups false) — else a folder writable by a group of
 * root's (docker run --group-add) let the home be made where the user may
 * not write (review round 2).  setup is single-threaded here (the remap's
 * workers are joined).  Returns 0 or -errno. */
static int mkdir_as(int dfd, const char *name, mode_t mode, uid_t uid, gid_t gid,
		    bool own_groups)
{
	uid_t ou = (uid_t)setfsuid((uid_t)-1);
	gid_t og = (gid_t)setfsgid((gid_t)-1);
	gid_t *groups = NULL;
	int ngroups = own_groups ? 0 : getgroups(0, NULL), rc = 0;

	if (ngroups < 0)
		return -errno;
	if (ngroups > 0) {
		if (!(groups = calloc((size_t)ngroups, sizeof *groups)))
			return -ENOMEM;
		if ((ngroups = getgroups(ngroups, groups)) < 0 || setgroups(0, NULL) < 0) {
			rc = -errno;
			free(groups);
			return rc;
		}
	}
	setfsgid(gid);
	setfsuid(uid);
	if ((uid_t)setfsuid((uid_t)-1) != uid || (gid_t)setfsgid((gid_t)-1) != gid)
		rc = -EPERM;	/* not mapped in this user namespace */
	else if (mkdirat(dfd, name, mode) < 0)
		rc = -errno;
	setfsuid(ou);
	setfsgid(og);
	if ((uid_t)setfsuid((uid_t)-1) != ou || (gid_t)setfsgid((gid_t)-1) != og ||
	    (ngroups > 0 && setgroups((size_t)ngroups, groups) < 0))
		die(EXIT_FAIL, "setup: cannot restore the filesystem IDs after creating %s", name);
	free(groups);
	return rc;
}

/* Create name in the open folder pfd for the home.  Where pfd or a
 * folder above it may be written by others than root, whoever can write
 * there can rename or exchange (RENAME_EXCHANGE) the new folder with any
 * other in the same place between our mkdir and our open: there it is
 * made as the user itself, never by root and then given away (issue 11
 * §4).  *as_user says which way it was made.  Returns 0 or -errno. */
static int make_dir(const struct setup_run *r, int pfd, const char *name, mode_t mode,
		    bool *as_user)
{
	int exposed = rootfs_exposed(&r->root, pfd);

	if (exposed < 0)
		return exposed;
	*as_user = exposed;
	if (exposed)
		return mkdir_as(pfd, name, mode, r->plan.uid, r->plan.gid, is_setuid(r));
	return mkdirat(pfd, name, mode) < 0 ? -errno : 0;
}

static noreturn void refuse_home(const struct setup_run *r, int err)
{
	die(EXIT_FAIL, "setup: cannot create home %s: a folder on its way is writable by others "
	    "than root, so the home is created as uid %u itself (never made by root and given "
	    "away: whoever can write there could swap it for another folder), and uid %u may "
	    "not create it there (%s); create the home beforehand, or let uid %u or only root "
	    "write its parent", r->plan.home, r->plan.uid, r->plan.uid, strerror(err),
	    r->plan.uid);
}

/* The home's parent folder, its missing folders created 0755 as useradd
 * -m does: root's, or the user's where make_dir() says so.  Returns an
 * O_PATH descriptor or -errno. */
static int make_parents(const struct setup_run *r, const char *home)
{
	const char *slash = home;
	int fd;

	while ((slash = strchr(slash + 1, '/'))) {
		const char *last = slash - 1;
		bool as_user = false;
		int pfd, rc = 0;

		fd = open_dir(r, home, (size_t)(slash - home));
		if (fd >= 0) {
			close(fd);
			continue;
		}
		if (fd != -ENOENT)
			return fd;
		while (*last != '/')
			last--;
		if ((pfd = open_dir(r, home, (size_t)(last - home))) < 0)
			return pfd;
		rc = make_dir(r, pfd, strndupa(last + 1, (size_t)(slash - last - 1)), 0755, &as_user);
		close(pfd);
		if (as_user && (rc == -EACCES || rc == -EPERM))
			refuse_home(r, -rc);
		if (rc < 0 && rc != -EEXIST)
			return rc;
	}
	return open_dir(r, home, (size_t)(strrchr(home, '/') - home));
}

/* Is the open folder fd empty? */
static bool dir_empty(int fd)
{
	int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *e;
	bool empty = d != NULL;

	if (!d && dfd >= 0)
		close(dfd);
	while (d && empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return empty;
}

/* The folder holding the first symlink (or non-folder) on the way to
 * path, as an O_PATH descriptor, or -errno. */
static int symlink_holder(const struct setup_run *r, const char *path)
{
	size_t n = strlen(path);
	int prev = open_dir(r, path, 0);

	for (size_t len = 1; prev >= 0 && len <= n; len++) {
		int fd;

		if (len < n && path[len] != '/')
			continue;
		if ((fd = open_dir(r, path, len)) == -ELOOP || fd == -ENOTDIR)
			return prev;	/* a symlink (the last one: ENOTDIR) */
		close(prev);
		prev = fd;
	}
	if (prev >= 0)
		close(prev);
	return prev >= 0 ? -ENOENT : prev;
}

/* A home that exists already, below a folder that others than root may
 * write, must be the user's (or root's, or its old uid's when the remap
 * did not run): whoever may write there could have made it first — before
 * setup, or between our look and our mkdirat — and would own the user's
 * home and its shell's startup files (review round 2 of issue 11 §4).  So
 * could a symlink that they put there, or on the way. */
static void check_existing_home(const struct setup_run *r)
{
	const struct remap_map *m = &r->plan.jobs[JOB_APP].map;
	struct stat st;
	int fd, pfd, exposed = 0;
	bool theirs;

	fd = rootfs_openat_nolinks(&r->root, r->plan.home, O_PATH | O_DIRECTORY, 0);
	if ((fd == -ELOOP || fd == -ENOTDIR) && (pfd = symlink_holder(r, r->plan.home)) >= 0) {
		exposed = rootfs_exposed(&r->root, pfd);
		close(pfd);
		if (exposed)
			die(EXIT_FAIL, "setup: home %s is a symlink, goes through one or is not a "
			    "folder, in a folder others than root may write: whoever made it there "
			    "would choose the user's home; remove it, or name the real folder",
			    r->plan.home);
	}
	if (fd < 0)
		return;	/* not there as a folder: nothing of anyone's to keep */
	theirs = fstat(fd, &st) == 0 && (st.st_uid == r->plan.uid || st.st_uid == 0);
	for (size_t i = 0; !theirs && i < m->nuid; i++)
		theirs = st.st_uid == m->uid_from[i];
	if (!theirs) {
		pfd = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		exposed = pfd < 0 ? 1 : rootfs_exposed(&r->root, pfd);
		if (pfd >= 0)
			close(pfd);
	}
	close(fd);
	if (exposed)
		die(EXIT_FAIL, "setup: home %s exists and is owned by uid %u, not %u, in a folder "
		    "others than root may write: whoever made it there would control the user's "
		    "home; remove it, or chown it to uid %u", r->plan.home,
		    (unsigned)st.st_uid, r->plan.uid, r->plan.uid);
}

void setup_home(struct setup_run *r)
{
	const char *home = r->plan.home, *base;
	struct stat st;
	bool as_user = false;
	int pfd, fd, rc = 0;

	if (!setup_home_missing(r)) {
		if (home_wanted(home))
			check_existing_home(r);
		return;
	}
	base = strrchr(home, '/') + 1;
	if ((pfd = make_parents(r, home)) < 0)
		die_errno(EXIT_FAIL, -pfd, "setup: cannot create the parents of home %s", home);
	if ((rc = make_dir(r, pfd, base, 0700, &as_user)) < 0) {
		close(pfd);
		if (rc == -EEXIST) {
			check_existing_home(r);
			return;	/* made meanwhile: kept as any existing home */
		}
		if (as_user && (rc == -EACCES || rc == -EPERM))
			refuse_home(r, -rc);
		die_errno(EXIT_FAIL, -rc, "setup: cannot create home %s", home);
	}
	fd = openat(pfd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	close(pfd);
	/* Only the new, empty folder: the user's own where made as the user
	 * (then only its group and mode are set, on what the user owns
	 * anyway), else root's in a folder only root may write. */
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_uid != (as_user ? r->plan.uid : 0) ||
	    !dir_empty(fd))
		die(EXIT_FAIL, "setup: home %s changed while being created; refused", home);
	if ((!as_user || st.st_gid != r->plan.gid) &&
	    fchown(fd, as_user ? (uid_t)-1 : r->plan.uid, r->plan.gid) < 0)
		rc = errno;
	if (!rc && fchmod(fd, 0750) < 0)
		rc = errno;
	close(fd);
	if (rc)
		die_errno(EXIT_FAIL, rc, "setup: cannot give home %s to %u:%u", home, r->plan.uid,
			  r->plan.gid);
	r->home_created = true;
	info("setup: created home %s (uid %u, gid %u, mode 0750)", home, r->plan.uid, r->plan.gid);
	if (is_setuid(r))
		audit_syslog("setup: created home %s for uid %u gid %u", home, r->plan.uid, r->plan.gid);
}

/* --- 4. caches --------------------------------------------------------------- */

static void run_quietly(const char *const argv[])
{
	static char *const envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };
	pid_t pid;
	int st;

	if (access(argv[0], X_OK) != 0)
		return;
	pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		/* Clean environment, nothing inherited but /dev/null. */
		if (fd < 0)
			_exit(127);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		execve(argv[0], (char *const *)argv, envp);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
}

void setup_flush_caches(const struct setup_run *r)
{
	static const char *const nscd_pw[] = { "/usr/sbin/nscd", "-i", "passwd", NULL };
	static const char *const nscd_gr[] = { "/usr/sbin/nscd", "-i", "group", NULL };
	static const char *const sss[] = { "/usr/sbin/sss_cache", "-U", "-G", NULL };

	/* The host's daemons cache the host's files, not an image folder's.
	 * In setuid mode no other program is ever run as root on behalf of
	 * the caller (containers do not run nscd anyway). */
	if (r->root_arg || is_setuid(r))
		return;
	run_quietly(nscd_pw);
	run_quietly(nscd_gr);
	run_quietly(sss);
}

/* --- 5. the once-per-container marker ---------------------------------------- */

void setup_once_check(const struct setup_run *r)
{
	struct marker m = { .current = false };
	int dfd;

	if (!is_setuid(r) || (dfd = open_state(r, false)) < 0)
		return;
	state_marker_read(dfd, &m);
	close(dfd);
	if (!once_allows(r, &m, plan_changes_files(&r->plan) || setup_home_missing(r)))
		refuse_second();
}

void setup_record(const struct setup_run *r)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f;
	int dfd;
	char when[32];
	time_t now = time(NULL);
	struct tm tm;

	if (r->root_arg || (!r->wrote && !r->home_created && !r->remap_roots))
		return;
	if (!gmtime_r(&now, &tm) || !strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(when, sizeof when, "%ld", (long)now);
	if (!(f = open_memstream(&text, &n)))
		return;
	fprintf(f, "time=%s mode=%s ruid=%u user=%s uid=%u gid=%u home=%s\n", when,
		mode_name(r->c->mode), (unsigned)r->c->ruid, r->plan.user, r->plan.uid,
		r->plan.gid, r->plan.home);
	for (size_t i = 0; i < r->plan.nlines; i++)
		fprintf(f, "change %s\n", r->plan.lines[i]);
	if (r->home_created)
		fprintf(f, "change created home %s\n", r->plan.home);
	if (r->remap_roots)
		fprintf(f, "change remapped %llu entries under %zu folder%s\n", r->remapped,
			r->remap_roots, r->remap_roots == 1 ? "" : "s");
	if (fclose(f) == 0 && (dfd = open_state(r, true)) >= 0) {
		int rc = state_record_write(dfd, text);
		if (rc < 0)
			msg_errno(-rc, "setup: cannot write /run/appuser/setup.last");
		close(dfd);
	}
	free(text);
}

/* After a successful run: the marker says "done", unless this container's
 * already did (a restart writes nothing). */
void setup_marker_create(struct setup_run *r)
{
	struct marker m;
	int dfd;

	if (r->root_arg || (r->wrote && !r->marked))
		return;	/* --root: an image; or root mode where /run is unsafe (said) */
	if ((dfd = open_state(r, true)) < 0)
		return;
	state_marker_read(dfd, &m);
	if (!m.current || !m.done) {
		r->marked = false;
		if (write_marker(r, dfd, true) == 0 && is_setuid(r))
			audit("setup: first setup in this container done (uid %u gid %u)",
			      r->plan.uid, r->plan.gid);
	}
	close(dfd);
}

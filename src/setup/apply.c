/* setup/apply.c — the side effects of `appuser setup`, each in one named
 * function, called by cmd_setup() in this order: commit the account files,
 * remap ownership, flush caches, (setuid) marker; the home is setup/home.c. */
#include "setup/apply.h"
#include "setup/home.h"
#include "accounts/lock.h"
#include "log.h"
#include "ownership/remap.h"
#include "setup/inputs.h"
#include "setup/state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

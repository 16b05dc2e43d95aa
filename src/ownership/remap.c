/* ownership/remap.c — the ownership remap engine: remap_tree() opens and checks the
 * start, runs ownership/walk.c over it with the rules of ownership/rules.c, and does the
 * chown(2) calls.  The only place in appuser that changes file owners.
 *
 * Every change goes through a descriptor pinned to the inode that was
 * checked: a file is opened O_PATH|O_NOFOLLOW (no open side effects on
 * fifos or devices), stat'ed through that descriptor, and chowned with
 * fchownat(fd, "", AT_EMPTY_PATH).  So the owner test and the chown apply
 * to the same inode even if the name is swapped for a hardlink to
 * /etc/shadow in between (CVE-2017-18078, CVE-2013-4235's race class),
 * and a symlink is changed itself, never followed. */
#include "ownership/remap.h"
#include "cpus.h"
#include "log.h"
#include "path.h"
#include "rootfs.h"
#include "ownership/rules.h"
#include "ownership/walk.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 16		/* by default; more only when asked for */
#define MAX_THREADS_ASKED 64
#define MAX_MESSAGES 20		/* per-entry lines before "more not shown" */
#define PROGRESS_AFTER 1.0	/* seconds */

/* Linux 6.6's fchmodat2 has one number on every architecture appuser is
 * released for (452, the unified table since Linux 5.1), but their libc
 * headers are older.  x32 adds its bit; alpha and mips number it
 * otherwise, so they go without it (the slower fallback below). */
#if !defined(SYS_fchmodat2) && !defined(__alpha__) && !defined(__mips__)
#if defined(__x86_64__) && defined(__ILP32__)
#define SYS_fchmodat2 (0x40000000 + 452)
#else
#define SYS_fchmodat2 452
#endif
#endif

struct ctx {
	const struct remap_map *map;	/* the current walk's pairs */
	const struct remap_opts *o;
	const struct rootfs *root;	/* open below it, or NULL: a path of ours */
	const char *rel;		/* the start as given (inside root) */
	const char *tag, *path;		/* path: the start as shown */
	bool protected_hardlinks;
	struct walk_counters *ctr;
	unsigned nctr;
	struct timespec t0;
	_Atomic bool progress_on;		/* set by tick(), read by workers */
	_Atomic unsigned shown;
	pthread_mutex_t out_mu;		/* dry-run lines on stdout */
};

/* Where an entry is, for messages: a display path when the walk builds
 * them (dry run), else the directory descriptor and name. */
struct where {
	int dirfd;
	const char *name;
	const char *path;
};

static double elapsed(const struct ctx *x)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - x->t0.tv_sec) + (double)(t.tv_nsec - x->t0.tv_nsec) / 1e9;
}

static const char *shown_path(const struct where *w, char *buf, size_t len)
{
	char raw[WALK_PATH_MAX];
	const char *p = w->path;

	if (!p)
		p = walk_describe(w->dirfd, w->name, raw, sizeof raw);
	str_escape(p, strlen(p), buf, len, 0);
	return buf;
}

enum note_kind {
	NOTE_ERROR,		/* always shown */
	NOTE_REMARK,		/* a hardlink left alone, a bit dropped: not with -q */
	NOTE_DETAIL,		/* a mount not entered: only with -v */
};

/* One line about one entry, at most MAX_MESSAGES of them unless -v. */
static void note(struct ctx *x, const struct where *w, enum note_kind kind, int err,
		 const char *what)
{
	char buf[WALK_PATH_MAX];
	unsigned n;

	if ((kind == NOTE_REMARK && log_get_level() < LOG_NORMAL) ||
	    (kind == NOTE_DETAIL && log_get_level() < LOG_VERBOSE))
		return;
	n = atomic_fetch_add(&x->shown, 1);

	if (log_get_level() < LOG_VERBOSE && n >= MAX_MESSAGES) {
		if (n == MAX_MESSAGES)
			msg("%s: %s: more messages not shown (-v shows all)", x->tag, x->path);
		return;
	}
	if (x->progress_on)
		(void)!write(STDERR_FILENO, "\r\033[K", 4);
	shown_path(w, buf, sizeof buf);
	if (err)
		msg("%s: %s: %s: %s", x->tag, buf, what, strerror(err));
	else
		msg("%s: %s: %s", x->tag, buf, what);
}

static void count(_Atomic uint64_t *c)
{
	atomic_fetch_add_explicit(c, 1, memory_order_relaxed);
}

static void fail(struct ctx *x, struct walk_counters *c, const struct where *w, int err,
		 const char *what)
{
	count(&c->errors);
	note(x, w, NOTE_ERROR, err, what);
}

/* Put the permission bits back after chown cleared setuid/setgid.
 * fchmod() refuses O_PATH descriptors; fchmodat2(AT_EMPTY_PATH) (Linux
 * 6.6) or the descriptor's /proc/self/fd link reach the same inode. */
static int set_mode(int fd, uint32_t mode)
{
	static _Atomic bool no_fchmodat2;
	char link[64];

#ifdef SYS_fchmodat2
	if (!atomic_load(&no_fchmodat2)) {
		if (syscall(SYS_fchmodat2, fd, "", (mode_t)mode, AT_EMPTY_PATH) == 0)
			return 0;
		if (errno != ENOSYS && errno != EINVAL)
			return -errno;
		atomic_store(&no_fchmodat2, true);
	}
#endif
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	return chmod(link, (mode_t)mode) == 0 ? 0 : -errno;
}

static void entry_of(const struct statx *sx, struct remap_entry *e)
{
	e->uid = sx->stx_uid;
	e->gid = sx->stx_gid;
	e->mode = sx->stx_mode;
	e->nlink = sx->stx_nlink;
}

static void dry_line(struct ctx *x, const struct statx *sx, const struct remap_action *a,
		     const struct where *w)
{
	char buf[WALK_PATH_MAX];

	shown_path(w, buf, sizeof buf);
	pthread_mutex_lock(&x->out_mu);
	printf("%u:%u -> %u:%u %s\n", sx->stx_uid, sx->stx_gid, a->uid, a->gid, buf);
	pthread_mutex_unlock(&x->out_mu);
}

/* Decide on sx and, unless dry run, change the inode behind fd (pinned:
 * its own descriptor, never a name). */
static void apply(struct ctx *x, struct walk_counters *c, int fd, const struct statx *sx,
		  const struct where *w)
{
	struct remap_entry e;
	struct remap_action a;
	int rc;

	entry_of(sx, &e);
	remap_decide(x->map, &e, x->protected_hardlinks, &a);
	if (a.verdict == RV_KEEP)
		return;
	if (a.verdict == RV_HARDLINK) {
		count(&c->hardlinks);
		note(x, w, NOTE_REMARK, 0, x->protected_hardlinks ?
		     "hardlinked and writable by others, who may have linked it: left alone" :
		     "hardlinked and fs.protected_hardlinks is off: left alone");
		return;
	}
	if (x->o->dry_run) {
		dry_line(x, sx, &a, w);
	} else {
		if (fchownat(fd, "", a.uid_moves ? a.uid : (uid_t)-1, a.gid_moves ? a.gid : (gid_t)-1,
			     AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0) {
			fail(x, c, w, errno, "cannot change owner");
			return;
		}
		if (a.restore_mode && (rc = set_mode(fd, a.mode)) < 0)
			fail(x, c, w, -rc, "owner changed, but cannot restore setuid/setgid bits");
	}
	count(&c->changed);
	if (a.dropped) {
		count(&c->dropped);
		note(x, w, NOTE_REMARK, 0, a.dropped & S_ISUID ? "setuid bit dropped: the file changes hands"
						  : "setgid bit dropped: the file changes group");
	}
}

/* A non-directory seen by name: filter on the name's stat (most entries
 * of a no-op walk stop here), then pin the inode and decide again on
 * what the descriptor sees. */
static void visit_name(struct ctx *x, const struct walk_entry *we, const struct where *w)
{
	struct statx sx;
	int fd;

	if (x->o->dry_run) {	/* nothing changes: the name's stat is enough */
		apply(x, we->ctr, -1, we->sx, w);
		return;
	}
	fd = openat(we->dirfd, we->name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			fail(x, we->ctr, w, errno, "cannot open");
		return;
	}
	if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, WALK_STATX_MASK, &sx) < 0)
		fail(x, we->ctr, w, errno, "cannot stat");
	else if (S_ISDIR(sx.stx_mode))
		fail(x, we->ctr, w, 0, "replaced by a directory during the walk, left alone");
	else
		apply(x, we->ctr, fd, &sx, w);
	close(fd);
}

static bool visit(void *ctx, const struct walk_entry *we)
{
	struct ctx *x = ctx;
	struct where w = { we->dirfd, we->name, we->path };
	struct remap_entry e;
	struct remap_action a;

	entry_of(we->sx, &e);
	remap_decide(x->map, &e, x->protected_hardlinks, &a);
	if (a.verdict == RV_KEEP)
		return false;
	if (we->fd >= 0)	/* pinned by the walk: a directory, or speculation */
		apply(x, we->ctr, we->fd, we->sx, &w);
	else
		visit_name(x, we, &w);
	return true;
}

static void report(void *ctx, enum walk_event ev, int dirfd, const char *name, const char *path,
		   int err, const char *what)
{
	struct ctx *x = ctx;
	struct where w = { dirfd, name, path };

	note(x, &w, ev == WALK_ERROR ? NOTE_ERROR : NOTE_DETAIL, err, what);
}

static void totals(const struct ctx *x, struct remap_stats *t)
{
	memset(t, 0, sizeof *t);
	for (unsigned i = 0; i < x->nctr; i++) {
		const struct walk_counters *c = &x->ctr[i];
		t->entries += atomic_load_explicit(&c->entries, memory_order_relaxed);
		t->changed += atomic_load_explicit(&c->changed, memory_order_relaxed);
		t->errors += atomic_load_explicit(&c->errors, memory_order_relaxed);
		t->hardlinks += atomic_load_explicit(&c->hardlinks, memory_order_relaxed);
		t->mounts += atomic_load_explicit(&c->mounts, memory_order_relaxed);
		t->dropped += atomic_load_explicit(&c->dropped, memory_order_relaxed);
	}
}

/* The live line: on a terminal, once the walk has taken a second. */
static void tick(void *ctx)
{
	struct ctx *x = ctx;
	struct remap_stats t;
	char e[32], c[32], r[32], line[512];
	double s = elapsed(x);
	int n;

	if (!x->o->progress || s < PROGRESS_AFTER || !isatty(STDERR_FILENO))
		return;
	totals(x, &t);
	n = snprintf(line, sizeof line, "\rappuser: %s: %s: %s entries, %s %s, %s/s\033[K", x->tag,
		     x->path, remap_fmt_count(t.entries, e, sizeof e),
		     remap_fmt_count(t.changed, c, sizeof c), x->o->dry_run ? "to change" : "changed",
		     remap_fmt_count((uint64_t)((double)t.entries / s), r, sizeof r));
	if (n > 0)
		(void)!write(STDERR_FILENO, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
	x->progress_on = true;
}

static void summary(const struct ctx *x, const struct remap_stats *st)
{
	char e[32], c[32], r[32], h[32], m[32], d[32], extra[256] = "";
	size_t n = 0;

	if (st->hardlinks)
		n += (size_t)snprintf(extra + n, sizeof extra - n, ", %s hardlinked left alone",
				      remap_fmt_count(st->hardlinks, h, sizeof h));
	if (st->mounts && n < sizeof extra)
		n += (size_t)snprintf(extra + n, sizeof extra - n, ", %s mount point%s not entered",
				      remap_fmt_count(st->mounts, m, sizeof m), st->mounts == 1 ? "" : "s");
	if (st->dropped && n < sizeof extra)
		n += (size_t)snprintf(extra + n, sizeof extra - n, ", %s setuid/setgid dropped",
				      remap_fmt_count(st->dropped, d, sizeof d));
	if (st->passes > 1 && n < sizeof extra)
		snprintf(extra + n, sizeof extra - n, ", %u passes", st->passes);
	info("%s: %s: %s entr%s, %s %s, %s error%s%s, %.1f s", x->tag, x->path,
	     remap_fmt_count(st->entries, e, sizeof e), st->entries == 1 ? "y" : "ies",
	     remap_fmt_count(st->changed, c, sizeof c),
	     x->o->dry_run ? "to change (dry run)" : "changed",
	     remap_fmt_count(st->errors, r, sizeof r), st->errors == 1 ? "" : "s", extra, st->seconds);
}

static bool read_protected_hardlinks(void)
{
	char b[8] = "";
	int fd = open("/proc/sys/fs/protected_hardlinks", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;	/* unknown: assume the worst */
	n = read(fd, b, sizeof b - 1);
	close(fd);
	return n > 0 && b[0] >= '1' && b[0] <= '9';
}

/* As asked, or one per CPU this process may use (cpus.h: affinity and
 * cgroup quota). */
static unsigned thread_count(unsigned want)
{
	unsigned n;

	if (want)
		return want > MAX_THREADS_ASKED ? MAX_THREADS_ASKED : want;
	n = cpus_available();
	return n > MAX_THREADS ? MAX_THREADS : n;
}

/* ---- the start ---------------------------------------------------- */

static int refuse(const struct ctx *x, int err, const char *why)
{
	msg("%s: %s: %s", x->tag, x->path, why);
	return -err;
}

/* Open the start and check where it really is: the descriptor's own
 * path (no race between a check and the open), and its identity. */
static int open_start(struct ctx *x, int *pfd, struct statx *sx)
{
	char real[4096];
	struct statx root;
	/* No symlink anywhere on the way, not only the last component: an
	 * admin's `fix /app/storage` must not follow a storage -> /var/lib/db
	 * that the volume's owner planted (chown -R on a symlink argument
	 * changes only the link).  Name the real folder instead. */
	int fd = x->root ? rootfs_openat_nolinks(x->root, x->rel, O_PATH, 0)
			 : open_nolinks(x->rel, O_PATH);
	enum path_class cls;
	char canon[PATH_CANON_MAX];

	if (fd == -ELOOP)
		return refuse(x, ELOOP, "is or goes through a symlink; name the real folder "
			      "(refused: a symlink could lead anywhere)");
	if (fd < 0)
		return fd == -ENOENT ? -ENOENT : refuse(x, -fd, strerror(-fd));
	if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, WALK_STATX_MASK, sx) < 0) {
		close(fd);
		return refuse(x, errno, strerror(errno));
	}
	walk_describe(fd, NULL, real, sizeof real);
	*pfd = fd;
	if (real[0] != '/' && (x->root || !realpath(x->rel, real)))
		return refuse(x, EPERM, "cannot tell where it is (is /proc mounted?); refused");
	cls = path_class(real);
	/* Inside an image, its own system folders count too (--root DIR:
	 * DIR/etc is /etc to the image). */
	if (x->root && cls == PATH_PLAIN)
		cls = path_canon(x->rel, canon, sizeof canon) ? PATH_SYSTEM : path_class(canon);
	if (statx(AT_FDCWD, "/", 0, STATX_INO, &root) == 0 && root.stx_ino == sx->stx_ino &&
	    root.stx_dev_major == sx->stx_dev_major && root.stx_dev_minor == sx->stx_dev_minor)
		cls = PATH_ROOT;
	if (S_ISLNK(sx->stx_mode))
		return refuse(x, ELOOP, "is a symlink; refused");
	if (walk_pseudo_fs(fd))
		cls = PATH_PSEUDO;
	if (cls == PATH_PSEUDO)
		return refuse(x, EPERM, "is under /proc or /sys; never remapped");
	if ((cls == PATH_ROOT || cls == PATH_SYSTEM) && !x->o->allow_system)
		return refuse(x, EPERM, cls == PATH_ROOT ? "is the root folder; refused"
			      : "is a system folder (/etc, /dev, /usr, /home, ...); refused");
	return 0;
}

static void walk_opts_for(struct ctx *x, struct walk_opts *wo)
{
	memset(wo, 0, sizeof *wo);
	wo->cross_mounts = x->o->cross_mounts;
	wo->paths = x->o->dry_run;
	wo->speculate = !x->o->dry_run;
	wo->nthreads = x->nctr;
	wo->visit = visit;
	wo->report = report;
	wo->tick = tick;
	wo->ctx = x;
}

/* One walk with one chain-free map: below the start, then the start. */
static int one_pass(struct ctx *x, int pathfd, const struct statx *sx)
{
	struct walk_opts wo;
	struct statx now;
	struct where w = { pathfd, NULL, x->path };
	int dfd, rc = 0;

	count(&x->ctr[0].entries);
	if (!S_ISDIR(sx->stx_mode)) {
		apply(x, &x->ctr[0], pathfd, sx, &w);
		return 0;
	}
	dfd = openat(pathfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return refuse(x, errno, strerror(errno));
	if (statx(dfd, "", AT_EMPTY_PATH, WALK_STATX_MASK, &now) < 0 || now.stx_ino != sx->stx_ino) {
		close(dfd);
		return refuse(x, EAGAIN, "changed while being opened; refused");
	}
	if (walk_forbidden_dir(dfd, &now)) {
		close(dfd);
		return refuse(x, EPERM, "is /proc, /sys, /dev or a kernel filesystem; never remapped");
	}
	walk_opts_for(x, &wo);
	rc = walk_tree(dfd, &now, x->path, &wo, x->ctr);
	if (rc < 0)
		msg_errno(-rc, "%s: %s: cannot walk", x->tag, x->path);
	else if (statx(dfd, "", AT_EMPTY_PATH, WALK_STATX_MASK, &now) == 0)
		apply(x, &x->ctr[0], dfd, &now, &w);	/* the start last: see ownership/remap.h */
	close(dfd);
	return rc;
}

#ifndef STATX_ATTR_MOUNT_ROOT
#define STATX_ATTR_MOUNT_ROOT 0x00002000
#endif

/* Is the start a mount point?  The kernel says so since Linux 5.8; before,
 * another device or mount ID than its parent's (a directory's ".."). */
static bool mount_root(int fd, const struct statx *sx)
{
	struct statx up;
	int pfd;
	bool other;

	if (sx->stx_attributes_mask & STATX_ATTR_MOUNT_ROOT)
		return sx->stx_attributes & STATX_ATTR_MOUNT_ROOT;
	if (!S_ISDIR(sx->stx_mode) || (pfd = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return false;
	other = statx(pfd, "", AT_EMPTY_PATH, WALK_STATX_MASK, &up) == 0 &&
		(sx_dev(&up) != sx_dev(sx) || (sx_mnt(&up) && sx_mnt(sx) && sx_mnt(&up) != sx_mnt(sx)));
	close(pfd);
	return other;
}

static bool one_of(uint32_t id, size_t n, const uint32_t *from, const uint32_t *to)
{
	for (size_t i = 0; i < n; i++)
		if (id == from[i] || id == to[i])
			return true;
	return false;
}

/* The start's own checks that setup asks for (remap.h: enum remap_skip).
 * Only a directory is guarded: a single file is changed or not on its own
 * owner, nothing below it is walked.  Where it cannot be told, not walked. */
static enum remap_skip start_skip(const struct ctx *x, const struct remap_map *m, int fd,
				  const struct statx *sx)
{
	int pfd, exposed;

	if (x->o->keep_mount_start && mount_root(fd, sx))
		return REMAP_SKIP_MOUNT;
	if (!x->o->guard_start || !S_ISDIR(sx->stx_mode) ||
	    one_of(sx->stx_uid, m->nuid, m->uid_from, m->uid_to) ||
	    one_of(sx->stx_gid, m->ngid, m->gid_from, m->gid_to))
		return REMAP_WALKED;
	if ((pfd = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return REMAP_SKIP_EXPOSED;
	exposed = rootfs_exposed(x->root, pfd);
	close(pfd);
	return exposed ? REMAP_SKIP_EXPOSED : REMAP_WALKED;
}

static int run_passes(struct ctx *x, const struct remap_map *map, struct remap_stats *st)
{
	struct remap_map passes[REMAP_MAX];
	struct statx sx;
	int n, fd = -1, rc;

	n = remap_map_passes(map, passes);
	if (n < 0)
		return refuse(x, EINVAL, "invalid ID map (repeated or invalid IDs, or a cycle)");
	if (n == 0)
		return 0;
	if (x->o->dry_run)	/* nothing moves, so one walk with the whole map says it all */
		n = 1, passes[0] = *map;
	rc = open_start(x, &fd, &sx);
	if (rc == 0 && x->o->skip_done_root && remap_root_done(map, sx.stx_uid, sx.stx_gid)) {
		st->root_done = true;
		st->root_uid = sx.stx_uid;
		st->root_gid = sx.stx_gid;
		close(fd);
		return 0;
	}
	if (rc == 0 && (st->skipped = start_skip(x, map, fd, &sx)) != REMAP_WALKED) {
		st->root_uid = sx.stx_uid;
		st->root_gid = sx.stx_gid;
		close(fd);
		return 0;
	}
	for (int i = 0; rc == 0 && i < n; i++) {
		x->map = &passes[i];
		rc = one_pass(x, fd, &sx);
		if (i + 1 < n && statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, WALK_STATX_MASK, &sx) < 0)
			rc = -errno;
	}
	if (fd >= 0)
		close(fd);
	st->passes = (unsigned)n;
	return rc;
}

int remap_tree(const struct rootfs *root, const char *path, const struct remap_map *map,
	       const struct remap_opts *o, struct remap_stats *st)
{
	char shown[PATH_CANON_MAX + 256];
	struct ctx x = { .o = o, .root = root, .rel = path, .tag = o->tag ? o->tag : "fix",
			 .path = root ? rootfs_display(root, path, shown, sizeof shown) : path };
	int rc;

	memset(st, 0, sizeof *st);
	clock_gettime(CLOCK_MONOTONIC, &x.t0);
	x.nctr = thread_count(o->nthreads);
	verbose("%s: %s: %u thread%s%s", x.tag, path, x.nctr, x.nctr == 1 ? "" : "s",
		o->nthreads ? "" : " (the CPUs this process may use)");
	x.ctr = aligned_alloc(64, x.nctr * sizeof *x.ctr);
	if (!x.ctr)
		return -ENOMEM;
	memset(x.ctr, 0, x.nctr * sizeof *x.ctr);
	x.protected_hardlinks = read_protected_hardlinks();
	pthread_mutex_init(&x.out_mu, NULL);
	rc = run_passes(&x, map, st);
	if (st->passes) {
		unsigned passes = st->passes;
		totals(&x, st);
		st->passes = passes;
		if (passes > 1)	/* each walk saw every entry */
			st->entries /= passes;
	}
	st->seconds = elapsed(&x);
	if (x.o->dry_run)
		fflush(stdout);
	if (x.progress_on)
		(void)!write(STDERR_FILENO, "\r\033[K", 4);
	if (rc == 0 && st->passes && !o->quiet)
		summary(&x, st);
	pthread_mutex_destroy(&x.out_mu);
	free(x.ctr);
	return rc;
}

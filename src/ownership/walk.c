/* ownership/walk.c — see ownership/walk.h.
 *
 * Each worker runs an explicit depth-first stack of "levels" (one open
 * directory each).  Going down inline, a level remembers the getdents
 * cookie of its next entry and is re-read from there (lseek) when the
 * walk comes back up, so one 32 KiB buffer per thread serves any depth.
 * Only a few levels keep their descriptor open; older ones are closed
 * and reopened on the way back through ".." of the child, accepted only
 * if it is the same inode as before (else that part is abandoned and
 * reported: someone moved it, and we never guess where it went). */
#include "ownership/walk.h"

#include <dirent.h>
#include <errno.h>
#include <linux/magic.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#define DENTS_BUF (32 * 1024)
#define THREAD_STACK (256 * 1024)
#define TICK_NS 200000000L
#define MAX_MOUNT_ROOTS 4096
#define PLEN_LOST ((size_t)-1)
#define FD_RESERVE 32		/* stdio, the caller's start fd, libc, slack */
/* Speculation pays when more than 2 in 3 entries match (a hit saves one
 * call, a miss costs two): +1 per hit, -2 per miss, on above SPEC_ON. */
#define SPEC_MAX 16
#define SPEC_ON 8

enum { NEXT, DESCEND };
enum { DIR_DONE, DIR_DESCENDED };

struct ident {
	uint64_t dev, ino;
};

struct item {
	int fd;
	bool owned;		/* ours to close (not the caller's start fd) */
	uint32_t depth;
	uint64_t dev, ino, mnt;
	char *path;		/* display path, paths mode only */
};

struct walk {
	const struct walk_opts *o;
	struct walk_counters *ctr;
	unsigned nthreads;
	unsigned chain_cap;	/* open directory descriptors per worker stack */
	pthread_mutex_t mu;
	pthread_cond_t more, finished;
	struct item *q;		/* ring buffer of directories to walk */
	size_t qcap, qhead, qlen;
	unsigned busy, idle;
	bool done;
	struct ident forbid[3];	/* /proc, /sys, /dev */
	size_t nforbid;
	pthread_mutex_t mroot_mu;	/* mount roots entered (cross_mounts) */
	struct ident *mroots;
	size_t nmroots;
};

struct level {
	int fd;			/* -1: closed to save descriptors */
	bool owned, abandoned, seek;
	uint32_t depth;
	uint64_t dev, ino, mnt;
	int64_t resume;		/* getdents cookie of the next entry */
	size_t plen;		/* display path length, or PLEN_LOST */
};

struct worker {
	struct walk *w;
	struct walk_counters *ctr;
	char *buf;
	struct level *lv;
	size_t nlv, cap, nopen, first_open;
	char *path;		/* WALK_PATH_MAX, paths mode */
	size_t last_plen;	/* length of the path made by make_path() */
	int hits;		/* recent entries that matched: SPEC_* below */
	char shown[NAME_MAX + 8];
	pthread_t th;
	bool running;
};

static uint64_t sx_dev(const struct statx *sx)
{
	return makedev(sx->stx_dev_major, sx->stx_dev_minor);
}

static uint64_t sx_mnt(const struct statx *sx)
{
	return (sx->stx_mask & STATX_MNT_ID) ? sx->stx_mnt_id : 0;
}

static void count(_Atomic uint64_t *c)
{
	atomic_fetch_add_explicit(c, 1, memory_order_relaxed);
}

const char *walk_describe(int dirfd, const char *name, char *buf, size_t len)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
	n = readlink(link, buf, len - 1);
	if (n < 0 || (size_t)n >= len - 1) {
		snprintf(buf, len, "?/%s", name ? name : "");
		return buf;
	}
	buf[n] = '\0';
	if (name)
		snprintf(buf + n, len - (size_t)n, "%s%s", n == 1 && buf[0] == '/' ? "" : "/", name);
	return buf;
}

/* Filesystems whose files are the kernel's, never an application's. */
bool walk_pseudo_fs(int fd)
{
	static const unsigned long magic[] = {
		PROC_SUPER_MAGIC, SYSFS_MAGIC, DEVPTS_SUPER_MAGIC, CGROUP_SUPER_MAGIC,
		CGROUP2_SUPER_MAGIC, SECURITYFS_MAGIC, DEBUGFS_MAGIC, TRACEFS_MAGIC,
		BPF_FS_MAGIC, SELINUX_MAGIC, SMACK_MAGIC, BINFMTFS_MAGIC, PSTOREFS_MAGIC,
		EFIVARFS_MAGIC, NSFS_MAGIC, AUTOFS_SUPER_MAGIC,
	};
	struct statfs sf;

	if (fstatfs(fd, &sf) < 0)
		return true;	/* cannot tell: do not go there */
	for (size_t i = 0; i < sizeof magic / sizeof *magic; i++)
		if ((unsigned long)sf.f_type == magic[i])
			return true;
	return false;
}

static size_t forbidden_idents(struct ident *out)
{
	static const char *const dirs[] = { "/proc", "/sys", "/dev" };
	struct statx sx;
	size_t n = 0;

	for (size_t i = 0; i < 3; i++)
		if (statx(AT_FDCWD, dirs[i], AT_NO_AUTOMOUNT, STATX_INO, &sx) == 0)
			out[n++] = (struct ident){ sx_dev(&sx), sx.stx_ino };
	return n;
}

static bool ident_in(const struct ident *set, size_t n, const struct statx *sx)
{
	for (size_t i = 0; i < n; i++)
		if (set[i].dev == sx_dev(sx) && set[i].ino == sx->stx_ino)
			return true;
	return false;
}

bool walk_forbidden_dir(int fd, const struct statx *sx)
{
	struct ident f[3];
	return ident_in(f, forbidden_idents(f), sx) || walk_pseudo_fs(fd);
}

/* With --cross-mounts: each mount root at most once per walk, so a bind
 * mount of an ancestor inside the tree cannot make the walk loop. */
static bool first_mount_visit(struct walk *w, const struct statx *sx)
{
	bool first = false;

	pthread_mutex_lock(&w->mroot_mu);
	if (!ident_in(w->mroots, w->nmroots, sx) && w->nmroots < MAX_MOUNT_ROOTS) {
		w->mroots[w->nmroots++] = (struct ident){ sx_dev(sx), sx->stx_ino };
		first = true;
	}
	pthread_mutex_unlock(&w->mroot_mu);
	return first;
}

static void event(struct worker *wk, enum walk_event ev, int dirfd, const char *name,
		  const char *path, int err, const char *what)
{
	count(ev == WALK_ERROR ? &wk->ctr->errors : &wk->ctr->mounts);
	wk->w->o->report(wk->w->o->ctx, ev, dirfd, name, path, err, what);
}

/* ---- the queue ---------------------------------------------------- */

/* Hand a directory to another worker if one is idle or the queue is
 * short; else the caller goes down into it itself. */
static bool try_push(struct walk *w, struct item *it)
{
	bool ok;

	pthread_mutex_lock(&w->mu);
	ok = w->qlen < w->qcap && (w->idle > 0 || w->qlen < w->nthreads);
	if (ok) {
		w->q[(w->qhead + w->qlen) % w->qcap] = *it;
		w->qlen++;
		pthread_cond_signal(&w->more);
	}
	pthread_mutex_unlock(&w->mu);
	return ok;
}

static bool take(struct walk *w, struct item *it)
{
	pthread_mutex_lock(&w->mu);
	while (!w->qlen && !w->done) {
		w->idle++;
		pthread_cond_wait(&w->more, &w->mu);
		w->idle--;
	}
	if (!w->qlen) {
		pthread_mutex_unlock(&w->mu);
		return false;
	}
	*it = w->q[w->qhead];
	w->qhead = (w->qhead + 1) % w->qcap;
	w->qlen--;
	w->busy++;
	pthread_mutex_unlock(&w->mu);
	return true;
}

static void finish(struct walk *w)
{
	pthread_mutex_lock(&w->mu);
	if (--w->busy == 0 && w->qlen == 0) {
		w->done = true;
		pthread_cond_broadcast(&w->more);
		pthread_cond_signal(&w->finished);
	}
	pthread_mutex_unlock(&w->mu);
}

/* ---- the per-worker stack ----------------------------------------- */

static const char *make_path(struct worker *wk, size_t li, const char *name)
{
	size_t pl = wk->lv[li].plen, nl = strlen(name);

	if (pl != PLEN_LOST && pl + 1 + nl < WALK_PATH_MAX) {
		wk->path[pl] = '/';
		memcpy(wk->path + pl + 1, name, nl + 1);
		wk->last_plen = pl + 1 + nl;
		return wk->path;
	}
	snprintf(wk->shown, sizeof wk->shown, ".../%s", name);
	wk->last_plen = PLEN_LOST;
	return wk->shown;
}

/* Keep at most chain_cap descriptors open: close the oldest open level
 * above the base (the base belongs to the queue item). */
static void trim_descriptors(struct worker *wk)
{
	size_t k = wk->first_open;

	if (wk->nopen <= wk->w->chain_cap)
		return;
	while (k + 1 < wk->nlv && wk->lv[k].fd < 0)
		k++;
	if (k + 1 >= wk->nlv)
		return;
	close(wk->lv[k].fd);
	wk->lv[k].fd = -1;
	wk->nopen--;
	wk->first_open = k + 1;
}

static int push_level(struct worker *wk, const struct item *it, size_t plen)
{
	struct level *l;

	if (wk->nlv == wk->cap) {
		size_t nc = wk->cap ? wk->cap * 2 : 64;
		struct level *nl = realloc(wk->lv, nc * sizeof *nl);
		if (!nl)
			return -ENOMEM;
		wk->lv = nl;
		wk->cap = nc;
	}
	l = &wk->lv[wk->nlv++];
	*l = (struct level){ .fd = it->fd, .owned = it->owned, .depth = it->depth,
			     .dev = it->dev, .ino = it->ino, .mnt = it->mnt, .plen = plen };
	wk->nopen++;
	trim_descriptors(wk);
	return 0;
}

static bool same_dir(const struct statx *a, uint64_t dev, uint64_t ino, uint64_t mnt)
{
	return sx_dev(a) == dev && a->stx_ino == ino && (!mnt || !sx_mnt(a) || sx_mnt(a) == mnt);
}

/* Reopen a closed parent through the child's "..", only if it is still
 * the directory we left. */
static int reopen_parent(struct worker *wk, size_t pi)
{
	struct level *p = &wk->lv[pi], *c = &wk->lv[pi + 1];
	struct statx sx;
	int fd;

	if (c->fd < 0)
		return -1;
	fd = openat(c->fd, "..", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (statx(fd, "", AT_EMPTY_PATH, WALK_STATX_MASK, &sx) < 0 ||
	    !same_dir(&sx, p->dev, p->ino, p->mnt)) {
		close(fd);
		return -1;
	}
	p->fd = fd;
	wk->nopen++;
	if (wk->first_open > pi)
		wk->first_open = pi;
	return 0;
}

static void pop_level(struct worker *wk)
{
	size_t i = wk->nlv - 1;
	struct level *c = &wk->lv[i];

	if (i >= 1 && wk->lv[i - 1].fd < 0 && !wk->lv[i - 1].abandoned &&
	    reopen_parent(wk, i - 1) < 0) {
		wk->lv[i - 1].abandoned = true;
		event(wk, WALK_ERROR, c->fd >= 0 ? c->fd : -1, "..", NULL, 0,
		      "moved during the walk; the rest of it was not walked");
	}
	c = &wk->lv[i];
	if (c->fd >= 0) {
		if (c->owned)
			close(c->fd);
		wk->nopen--;
	}
	wk->nlv--;
	/* Closed levels are [1, first_open): keep that inside the stack
	 * (an abandoned range was popped without reopening). */
	if (wk->first_open > wk->nlv)
		wk->first_open = wk->nlv > 1 ? wk->nlv : 1;
}

/* ---- entries ------------------------------------------------------ */

static bool other_mount(const struct level *l, const struct statx *sx)
{
	return sx_dev(sx) != l->dev || (l->mnt && sx_mnt(sx) && sx_mnt(sx) != l->mnt);
}

/* A file bind-mounted into the tree from a pseudo filesystem (lxcfs and
 * friends put /proc files in place this way). */
static bool file_on_pseudo_fs(int dirfd, const char *name)
{
	int fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	bool pseudo;

	if (fd < 0)
		return true;
	pseudo = walk_pseudo_fs(fd);
	close(fd);
	return pseudo;
}

static int enter_dir(struct worker *wk, size_t li, const char *name, const struct statx *sx,
		     const char *path, bool mount)
{
	struct walk *w = wk->w;
	struct level *l = &wk->lv[li];
	size_t plen = wk->last_plen;
	struct statx dx;
	struct item it;
	int fd;

	if (l->depth + 1 > WALK_MAX_DEPTH) {
		event(wk, WALK_ERROR, l->fd, name, path, 0, "too deep (more than 4096 levels), not entered");
		return NEXT;
	}
	fd = openat(l->fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ELOOP || errno == ENOTDIR)
			event(wk, WALK_ERROR, l->fd, name, path, 0,
			      "replaced by a symlink or file during the walk, not entered");
		else if (errno != ENOENT)
			event(wk, WALK_ERROR, l->fd, name, path, errno, "cannot open");
		return NEXT;
	}
	/* CVE-2018-6954: enter only the directory that was looked at. */
	if (statx(fd, "", AT_EMPTY_PATH, WALK_STATX_MASK, &dx) < 0 ||
	    !same_dir(&dx, sx_dev(sx), sx->stx_ino, sx_mnt(sx))) {
		event(wk, WALK_ERROR, l->fd, name, path, 0, "replaced during the walk, not entered");
		close(fd);
		return NEXT;
	}
	if (ident_in(w->forbid, w->nforbid, &dx) || (mount && walk_pseudo_fs(fd))) {
		event(wk, WALK_SKIPPED, l->fd, name, path, 0, "/proc, /sys, /dev or a kernel filesystem, not entered");
		close(fd);
		return NEXT;
	}
	if (mount && !first_mount_visit(w, &dx)) {
		event(wk, WALK_SKIPPED, l->fd, name, path, 0, "mount already walked, not entered again");
		close(fd);
		return NEXT;
	}
	(void)w->o->visit(w->o->ctx, &(struct walk_entry){ l->fd, name, &dx, fd, path, wk->ctr });

	it = (struct item){ fd, true, l->depth + 1, sx_dev(&dx), dx.stx_ino, sx_mnt(&dx), NULL };
	if (w->o->paths && !(it.path = strdup(path)))
		goto inline_walk;
	if (try_push(w, &it))
		return NEXT;
	free(it.path);
inline_walk:
	if (push_level(wk, &it, plen) < 0) {
		event(wk, WALK_ERROR, l->fd, name, path, ENOMEM, "not entered");
		close(fd);
		return NEXT;
	}
	return DESCEND;
}

static void learn(struct worker *wk, bool hit)
{
	wk->hits += hit ? 1 : -2;
	if (wk->hits > SPEC_MAX)
		wk->hits = SPEC_MAX;
	if (wk->hits < 0)
		wk->hits = 0;
}

/* The speculative path for a non-directory: pin first, stat the pin.
 * Returns false (nothing done) when the entry is not a plain case —
 * gone, now a directory, another mount — and the caller goes the usual
 * way. */
static bool visit_pinned(struct worker *wk, size_t li, const char *name)
{
	struct walk *w = wk->w;
	struct level *l = &wk->lv[li];
	struct statx sx;
	bool done = false;
	int fd = openat(l->fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return false;
	if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, WALK_STATX_MASK, &sx) == 0 &&
	    !S_ISDIR(sx.stx_mode) && !other_mount(l, &sx)) {
		count(&wk->ctr->entries);
		learn(wk, w->o->visit(w->o->ctx, &(struct walk_entry){
			l->fd, name, &sx, fd, w->o->paths ? make_path(wk, li, name) : NULL, wk->ctr }));
		done = true;
	}
	close(fd);
	return done;
}

static int visit_name(struct worker *wk, size_t li, const char *name, unsigned char type)
{
	struct walk *w = wk->w;
	struct level *l = &wk->lv[li];
	const char *path = NULL;
	struct statx sx;
	bool mount;

	if (w->o->speculate && wk->hits >= SPEC_ON && type != DT_DIR && type != DT_UNKNOWN &&
	    visit_pinned(wk, li, name))
		return NEXT;
	if (statx(l->fd, name, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, WALK_STATX_MASK, &sx) < 0) {
		if (errno != ENOENT)	/* gone meanwhile: nothing to do */
			event(wk, WALK_ERROR, l->fd, name, NULL, errno, "cannot stat");
		return NEXT;
	}
	count(&wk->ctr->entries);
	if (w->o->paths)
		path = make_path(wk, li, name);
	mount = other_mount(l, &sx);
	if (mount && !w->o->cross_mounts) {
		event(wk, WALK_SKIPPED, l->fd, name, path, 0, "another filesystem, not entered");
		return NEXT;
	}
	if (S_ISDIR(sx.stx_mode))
		return enter_dir(wk, li, name, &sx, path, mount);
	if (mount && file_on_pseudo_fs(l->fd, name)) {
		event(wk, WALK_SKIPPED, l->fd, name, path, 0, "file of a kernel filesystem, left alone");
		return NEXT;
	}
	learn(wk, w->o->visit(w->o->ctx, &(struct walk_entry){ l->fd, name, &sx, -1, path, wk->ctr }));
	return NEXT;
}

static bool dot_or_dotdot(const char *n)
{
	return n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'));
}

static int read_dir(struct worker *wk)
{
	size_t li = wk->nlv - 1;
	int fd = wk->lv[li].fd;

	if (wk->lv[li].seek) {
		wk->lv[li].seek = false;
		if (lseek(fd, wk->lv[li].resume, SEEK_SET) < 0) {
			event(wk, WALK_ERROR, fd, NULL, NULL, errno, "cannot resume reading");
			return DIR_DONE;
		}
	}
	for (;;) {
		ssize_t n = getdents64(fd, wk->buf, DENTS_BUF);

		if (n <= 0) {
			if (n < 0)
				event(wk, WALK_ERROR, fd, NULL, NULL, errno, "cannot read the directory");
			return DIR_DONE;
		}
		for (ssize_t off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(wk->buf + off);

			off += d->d_reclen;
			if (dot_or_dotdot(d->d_name))
				continue;
			if (visit_name(wk, li, d->d_name, d->d_type) == DESCEND) {
				wk->lv[li].resume = d->d_off;
				wk->lv[li].seek = true;
				return DIR_DESCENDED;
			}
		}
	}
}

static void run_item(struct worker *wk, struct item *it)
{
	size_t plen = 0;

	if (wk->w->o->paths && it->path) {
		plen = strlen(it->path);
		memcpy(wk->path, it->path, plen + 1);
	}
	free(it->path);
	wk->nlv = wk->nopen = 0;
	wk->first_open = 1;
	if (push_level(wk, it, plen) < 0) {
		if (it->owned)
			close(it->fd);
		return;
	}
	while (wk->nlv) {
		if (wk->lv[wk->nlv - 1].abandoned || read_dir(wk) == DIR_DONE)
			pop_level(wk);
	}
}

static void *worker_main(void *arg)
{
	struct worker *wk = arg;
	struct item it;

	while (take(wk->w, &it)) {
		run_item(wk, &it);
		finish(wk->w);
	}
	return NULL;
}

/* ---- setup -------------------------------------------------------- */

/* Descriptors: queue + per-worker stacks + a transient one per worker
 * must fit under RLIMIT_NOFILE; fewer workers rather than EMFILE. */
static void budget(struct walk *w, unsigned want)
{
	struct rlimit rl;
	uint64_t lim = 1024;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		lim = rl.rlim_cur;
	if (lim > 65536)
		lim = 65536;
	w->nthreads = want ? want : 1;
	for (;;) {
		uint64_t n = w->nthreads, per;

		w->qcap = 2 * n;
		per = lim > FD_RESERVE + w->qcap + 2 * n ? (lim - FD_RESERVE - w->qcap) / n - 2 : 0;
		if (per >= 4 || n == 1) {
			w->chain_cap = per > 64 ? 64 : per < 2 ? 2 : (unsigned)per;
			return;
		}
		w->nthreads--;
	}
}

static int walk_init(struct walk *w, const struct walk_opts *o, struct walk_counters *ctr)
{
	pthread_condattr_t ca;

	memset(w, 0, sizeof *w);
	w->o = o;
	w->ctr = ctr;
	budget(w, o->nthreads);
	w->nforbid = forbidden_idents(w->forbid);
	w->q = calloc(w->qcap, sizeof *w->q);
	w->mroots = o->cross_mounts ? calloc(MAX_MOUNT_ROOTS, sizeof *w->mroots) : NULL;
	if (!w->q || (o->cross_mounts && !w->mroots)) {
		free(w->q);
		free(w->mroots);
		return -ENOMEM;
	}
	pthread_mutex_init(&w->mu, NULL);
	pthread_mutex_init(&w->mroot_mu, NULL);
	pthread_cond_init(&w->more, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->finished, &ca);
	pthread_condattr_destroy(&ca);
	return 0;
}

static void walk_fini(struct walk *w, struct worker *wk)
{
	for (unsigned i = 0; wk && i < w->nthreads; i++) {
		free(wk[i].buf);
		free(wk[i].lv);
		free(wk[i].path);
	}
	free(wk);
	for (size_t i = 0; i < w->qlen; i++) {	/* only after a failed start */
		struct item *it = &w->q[(w->qhead + i) % w->qcap];
		if (it->owned)
			close(it->fd);
		free(it->path);
	}
	free(w->q);
	free(w->mroots);
	pthread_mutex_destroy(&w->mu);
	pthread_mutex_destroy(&w->mroot_mu);
	pthread_cond_destroy(&w->more);
	pthread_cond_destroy(&w->finished);
}

static struct worker *workers_new(struct walk *w, struct walk_counters *ctr)
{
	struct worker *wk = calloc(w->nthreads, sizeof *wk);

	if (!wk)
		return NULL;
	for (unsigned i = 0; i < w->nthreads; i++) {
		wk[i].w = w;
		wk[i].ctr = &ctr[i];
		wk[i].buf = malloc(DENTS_BUF);
		wk[i].path = w->o->paths ? malloc(WALK_PATH_MAX) : NULL;
		if (!wk[i].buf || (w->o->paths && !wk[i].path))
			return wk;	/* walk_fini() frees; caller sees the NULL */
	}
	return wk;
}

static bool workers_ok(const struct walk *w, const struct worker *wk)
{
	for (unsigned i = 0; wk && i < w->nthreads; i++)
		if (!wk[i].buf || (w->o->paths && !wk[i].path))
			return false;
	return wk != NULL;
}

/* Wait for the workers, ticking the progress callback meanwhile. */
static void wait_done(struct walk *w)
{
	struct timespec ts;

	pthread_mutex_lock(&w->mu);
	while (!w->done) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += TICK_NS;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		if (pthread_cond_timedwait(&w->finished, &w->mu, &ts) == ETIMEDOUT && w->o->tick) {
			pthread_mutex_unlock(&w->mu);
			w->o->tick(w->o->ctx);
			pthread_mutex_lock(&w->mu);
		}
	}
	pthread_mutex_unlock(&w->mu);
}

static unsigned start_threads(struct walk *w, struct worker *wk)
{
	pthread_attr_t at;
	unsigned started = 0;

	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, THREAD_STACK);
	for (unsigned i = 0; i < w->nthreads; i++)
		if (pthread_create(&wk[i].th, &at, worker_main, &wk[i]) == 0) {
			wk[i].running = true;
			started++;
		}
	pthread_attr_destroy(&at);
	return started;
}

int walk_tree(int dirfd, const struct statx *sx, const char *path, const struct walk_opts *o,
	      struct walk_counters *ctr)
{
	struct walk w;
	struct worker *wk;
	unsigned started;
	size_t plen;

	if (walk_init(&w, o, ctr) < 0)
		return -ENOMEM;
	wk = workers_new(&w, ctr);
	if (!workers_ok(&w, wk)) {
		walk_fini(&w, wk);
		return -ENOMEM;
	}
	w.q[0] = (struct item){ dirfd, false, 0, sx_dev(sx), sx->stx_ino, sx_mnt(sx), NULL };
	if (o->paths) {
		plen = path ? strlen(path) : 0;
		while (plen > 0 && path[plen - 1] == '/')
			plen--;		/* "/" itself becomes "", so children read "/x" */
		w.q[0].path = strndup(path ? path : "", plen);
	}
	w.qlen = 1;
	started = start_threads(&w, wk);
	if (started == 0)
		worker_main(&wk[0]);	/* no threads at all: walk here */
	else
		wait_done(&w);
	for (unsigned i = 0; i < w.nthreads; i++)
		if (wk[i].running)
			pthread_join(wk[i].th, NULL);
	walk_fini(&w, wk);
	return 0;
}

/* ownership/walk.c — see ownership/walk.h.  The walk's setup: the budget
 * of threads and descriptors, the shared state and queue
 * (ownership/walk_queue.c), the workers (ownership/walk_dir.c), and the
 * wait for them. */
#include "ownership/walk.h"
#include "ownership/walk_dir.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define THREAD_STACK (256 * 1024)
#define TICK_NS 200000000L
#define FD_RESERVE 32		/* stdio, the caller's start fd, libc, slack */

/* Descriptors: queue + per-worker stacks + a transient one per worker
 * must fit under RLIMIT_NOFILE; fewer workers rather than EMFILE.
 * Returns the queue's capacity. */
static size_t budget(struct walk *w, unsigned want)
{
	struct rlimit rl;
	uint64_t lim = 1024;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		lim = rl.rlim_cur;
	if (lim > 65536)
		lim = 65536;
	w->nthreads = want ? want : 1;
	for (;;) {
		uint64_t n = w->nthreads, qcap = 2 * n, per;

		per = lim > FD_RESERVE + qcap + 2 * n ? (lim - FD_RESERVE - qcap) / n - 2 : 0;
		if (per >= 4 || n == 1) {
			w->chain_cap = per > 64 ? 64 : per < 2 ? 2 : (unsigned)per;
			return qcap;
		}
		w->nthreads--;
	}
}

static int walk_init(struct walk *w, const struct walk_opts *o)
{
	size_t qcap;

	memset(w, 0, sizeof *w);
	w->o = o;
	qcap = budget(w, o->nthreads);
	w->nforbid = walk_forbidden_idents(w->forbid);
	w->mroots = o->cross_mounts ? calloc(WALK_MAX_MOUNT_ROOTS, sizeof *w->mroots) : NULL;
	if ((o->cross_mounts && !w->mroots) || walk_queue_init(&w->queue, qcap, w->nthreads) < 0) {
		free(w->mroots);
		return -ENOMEM;
	}
	pthread_mutex_init(&w->mroot_mu, NULL);
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
	walk_queue_fini(&w->queue);
	free(w->mroots);
	pthread_mutex_destroy(&w->mroot_mu);
}

static struct worker *workers_new(struct walk *w, struct walk_counters *ctr)
{
	struct worker *wk = calloc(w->nthreads, sizeof *wk);

	if (!wk)
		return NULL;
	for (unsigned i = 0; i < w->nthreads; i++) {
		wk[i].w = w;
		wk[i].ctr = &ctr[i];
		wk[i].buf = malloc(WALK_DENTS_BUF);
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

static unsigned start_threads(struct walk *w, struct worker *wk)
{
	pthread_attr_t at;
	unsigned started = 0;

	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, THREAD_STACK);
	for (unsigned i = 0; i < w->nthreads; i++)
		if (pthread_create(&wk[i].th, &at, walk_worker_main, &wk[i]) == 0) {
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

	if (walk_init(&w, o) < 0)
		return -ENOMEM;
	wk = workers_new(&w, ctr);
	if (!workers_ok(&w, wk)) {
		walk_fini(&w, wk);
		return -ENOMEM;
	}
	/* The start is the caller's to visit (remap.c: last of all). */
	w.queue.q[0] = (struct walk_item){ dirfd, false, 0, sx_dev(sx), sx->stx_ino, sx_mnt(sx),
					   NULL, false };
	if (o->paths) {
		plen = path ? strlen(path) : 0;
		while (plen > 0 && path[plen - 1] == '/')
			plen--;		/* "/" itself becomes "", so children read "/x" */
		w.queue.q[0].path = strndup(path ? path : "", plen);
	}
	w.queue.len = 1;
	started = start_threads(&w, wk);
	if (started == 0)
		walk_worker_main(&wk[0]);	/* no threads at all: walk here */
	else
		walk_queue_wait(&w.queue, TICK_NS, o->tick, o->ctx);
	for (unsigned i = 0; i < w.nthreads; i++)
		if (wk[i].running)
			pthread_join(wk[i].th, NULL);
	walk_fini(&w, wk);
	return 0;
}

/* ownership/walk_dir.c — see ownership/walk_dir.h.
 *
 * Each worker runs an explicit depth-first stack of "levels" (one open
 * directory each).  Going down inline, a level remembers the getdents
 * cookie of its next entry and is re-read from there (lseek) when the
 * walk comes back up, so one 32 KiB buffer per thread serves any depth.
 * Only a few levels keep their descriptor open; older ones are closed
 * and reopened on the way back through ".." of the child, accepted only
 * if it is the same inode as before (else that part is abandoned and
 * reported: someone moved it, and we never guess where it went).  A
 * folder is handed to the visitor when its level is popped, after every
 * entry of it has been read. */
#include "ownership/walk_dir.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PLEN_LOST ((size_t)-1)
/* Speculation pays when more than 2 in 3 entries match (a hit saves one
 * call, a miss costs two): +1 per hit, -2 per miss, on above SPEC_ON. */
#define SPEC_MAX 16
#define SPEC_ON 8

enum { NEXT, DESCEND };
enum { DIR_DONE, DIR_DESCENDED };

static void count(_Atomic uint64_t *c)
{
	atomic_fetch_add_explicit(c, 1, memory_order_relaxed);
}

/* With --cross-mounts: each mount root at most once per walk, so a bind
 * mount of an ancestor inside the tree cannot make the walk loop. */
static bool first_mount_visit(struct walk *w, const struct statx *sx)
{
	bool first = false;

	pthread_mutex_lock(&w->mroot_mu);
	if (!fd_ident_in(w->mroots, w->nmroots, sx) && w->nmroots < WALK_MAX_MOUNT_ROOTS) {
		w->mroots[w->nmroots++] = (struct fd_ident){ sx_dev(sx), sx->stx_ino };
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

static int push_level(struct worker *wk, const struct walk_item *it, size_t plen)
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
			     .dev = it->dev, .ino = it->ino, .mnt = it->mnt, .plen = plen,
			     .visit_after = it->visit_after };
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

/* A folder goes to the visitor (which may give it to someone else) only
 * once it has been read to the end: whatever the new owner does in it
 * from then on, the walk has already seen every entry it will act on.
 * Its descriptor is the one the walk entered and read (or reopened
 * through a child's "..", checked to be the same inode). */
static void visit_dir(struct worker *wk, struct level *c)
{
	struct walk *w = wk->w;
	struct statx dx;
	const char *path = NULL;

	if (statx(c->fd, "", AT_EMPTY_PATH, WALK_STATX_MASK, &dx) < 0) {
		event(wk, WALK_ERROR, c->fd, NULL, NULL, errno, "cannot stat");
		return;
	}
	if (w->o->paths && c->plen != PLEN_LOST) {
		wk->path[c->plen] = '\0';
		path = wk->path;
	}
	(void)w->o->visit(w->o->ctx, &(struct walk_entry){ c->fd, NULL, &dx, c->fd, path, wk->ctr });
}

static void pop_level(struct worker *wk)
{
	size_t i = wk->nlv - 1;
	struct level *c = &wk->lv[i];

	if (c->visit_after && c->fd >= 0 && !c->abandoned)
		visit_dir(wk, c);
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
	struct walk_item it;
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
	if (fd_ident_in(w->forbid, w->nforbid, &dx) || (mount && walk_pseudo_fs(fd))) {
		event(wk, WALK_SKIPPED, l->fd, name, path, 0, "/proc, /sys, /dev or a kernel filesystem, not entered");
		close(fd);
		return NEXT;
	}
	if (mount && !first_mount_visit(w, &dx)) {
		event(wk, WALK_SKIPPED, l->fd, name, path, 0, "mount already walked, not entered again");
		close(fd);
		return NEXT;
	}
	/* The folder itself is visited when the walk leaves it (visit_dir). */
	it = (struct walk_item){ fd, true, l->depth + 1, sx_dev(&dx), dx.stx_ino, sx_mnt(&dx), NULL,
				 true };
	if (w->o->paths && !(it.path = strdup(path)))
		goto inline_walk;
	if (walk_queue_push(&w->queue, &it))
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
		ssize_t n = getdents64(fd, wk->buf, WALK_DENTS_BUF);

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

static void run_item(struct worker *wk, struct walk_item *it)
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

void *walk_worker_main(void *arg)
{
	struct worker *wk = arg;
	struct walk_item it;

	while (walk_queue_take(&wk->w->queue, &it)) {
		run_item(wk, &it);
		walk_queue_item_done(&wk->w->queue);
	}
	return NULL;
}

/* ownership/walk_dir.h — one worker of the walk (ownership/walk.h): it
 * takes a directory from the queue and walks it depth first, handing
 * subdirectories to idle workers through the queue.  Internal to the
 * walk: ownership/walk.c sets up the shared state and the workers. */
#ifndef APPUSER_OWNERSHIP_WALK_DIR_H
#define APPUSER_OWNERSHIP_WALK_DIR_H

#include "ownership/fdinfo.h"
#include "ownership/walk_visit.h"
#include "ownership/walk_queue.h"

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WALK_DENTS_BUF (32 * 1024)
#define WALK_MAX_MOUNT_ROOTS 4096

/* What all workers of one walk share. */
struct walk {
	const struct walk_opts *o;
	struct walk_queue queue;
	unsigned nthreads;
	unsigned chain_cap;	/* open directory descriptors per worker stack */
	struct fd_ident forbid[3];	/* /proc, /sys, /dev */
	size_t nforbid;
	pthread_mutex_t mroot_mu;	/* mount roots entered (cross_mounts) */
	struct fd_ident *mroots;
	size_t nmroots;
};

/* One directory of a worker's stack. */
struct level {
	int fd;			/* -1: closed to save descriptors */
	bool owned, abandoned, seek;
	uint32_t depth;
	uint64_t dev, ino, mnt;
	int64_t resume;		/* getdents cookie of the next entry */
	size_t plen;		/* display path length, or PLEN_LOST */
	bool visit_after;	/* visit the folder itself when it is popped */
};

struct worker {
	struct walk *w;
	struct walk_counters *ctr;
	char *buf;		/* WALK_DENTS_BUF */
	struct level *lv;
	size_t nlv, cap, nopen, first_open;
	char *path;		/* WALK_PATH_MAX, paths mode */
	size_t last_plen;	/* length of the path made by make_path() */
	int hits;		/* recent entries that matched: SPEC_* in walk_dir.c */
	char shown[NAME_MAX + 8];
	pthread_t th;
	bool running;
};

/* A worker's thread: take directories from the queue until the walk is
 * done.  arg is its struct worker. */
void *walk_worker_main(void *arg);

#endif

/* ownership/walk_queue.h — the walk's shared queue of open directories
 * (ownership/walk.h): bounded, one mutex, and the count of busy workers
 * that says when the whole tree is done. */
#ifndef APPUSER_OWNERSHIP_WALK_QUEUE_H
#define APPUSER_OWNERSHIP_WALK_QUEUE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A directory to walk: its open descriptor and identity. */
struct walk_item {
	int fd;
	bool owned;		/* ours to close (not the caller's start fd) */
	uint32_t depth;
	uint64_t dev, ino, mnt;
	char *path;		/* display path, paths mode only */
	bool visit_after;	/* hand the folder to the visitor once it is read */
};

struct walk_queue {
	pthread_mutex_t mu;
	pthread_cond_t more, finished;
	struct walk_item *q;	/* ring buffer */
	size_t cap, head, len;
	unsigned nthreads, busy, idle;
	bool done;
};

/* Room for cap items, for nthreads workers.  Returns 0 or -ENOMEM. */
int walk_queue_init(struct walk_queue *q, size_t cap, unsigned nthreads);
/* Frees the queue; items still in it (after a failed start) are closed. */
void walk_queue_fini(struct walk_queue *q);

/* Hand a directory to another worker if one is idle or the queue is
 * short; false: the caller goes down into it itself. */
bool walk_queue_push(struct walk_queue *q, const struct walk_item *it);
/* Wait for an item; false when the walk is done. */
bool walk_queue_take(struct walk_queue *q, struct walk_item *it);
/* The item taken last is walked. */
void walk_queue_item_done(struct walk_queue *q);
/* Wait until the walk is done, calling tick(ctx) about every tick_ns. */
void walk_queue_wait(struct walk_queue *q, long tick_ns, void (*tick)(void *), void *ctx);

#endif

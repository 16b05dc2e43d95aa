/* ownership/walk_queue.c — see ownership/walk_queue.h. */
#include "ownership/walk_queue.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int walk_queue_init(struct walk_queue *q, size_t cap, unsigned nthreads)
{
	pthread_condattr_t ca;

	memset(q, 0, sizeof *q);
	q->cap = cap;
	q->nthreads = nthreads;
	if (!(q->q = calloc(cap, sizeof *q->q)))
		return -ENOMEM;
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->more, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&q->finished, &ca);
	pthread_condattr_destroy(&ca);
	return 0;
}

void walk_queue_fini(struct walk_queue *q)
{
	for (size_t i = 0; i < q->len; i++) {	/* only after a failed start */
		struct walk_item *it = &q->q[(q->head + i) % q->cap];
		if (it->owned)
			close(it->fd);
		free(it->path);
	}
	free(q->q);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->more);
	pthread_cond_destroy(&q->finished);
}

bool walk_queue_push(struct walk_queue *q, const struct walk_item *it)
{
	bool ok;

	pthread_mutex_lock(&q->mu);
	ok = q->len < q->cap && (q->idle > 0 || q->len < q->nthreads);
	if (ok) {
		q->q[(q->head + q->len) % q->cap] = *it;
		q->len++;
		pthread_cond_signal(&q->more);
	}
	pthread_mutex_unlock(&q->mu);
	return ok;
}

bool walk_queue_take(struct walk_queue *q, struct walk_item *it)
{
	pthread_mutex_lock(&q->mu);
	while (!q->len && !q->done) {
		q->idle++;
		pthread_cond_wait(&q->more, &q->mu);
		q->idle--;
	}
	if (!q->len) {
		pthread_mutex_unlock(&q->mu);
		return false;
	}
	*it = q->q[q->head];
	q->head = (q->head + 1) % q->cap;
	q->len--;
	q->busy++;
	pthread_mutex_unlock(&q->mu);
	return true;
}

void walk_queue_item_done(struct walk_queue *q)
{
	pthread_mutex_lock(&q->mu);
	if (--q->busy == 0 && q->len == 0) {
		q->done = true;
		pthread_cond_broadcast(&q->more);
		pthread_cond_signal(&q->finished);
	}
	pthread_mutex_unlock(&q->mu);
}

void walk_queue_wait(struct walk_queue *q, long tick_ns, void (*tick)(void *), void *ctx)
{
	struct timespec ts;

	pthread_mutex_lock(&q->mu);
	while (!q->done) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += tick_ns;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		if (pthread_cond_timedwait(&q->finished, &q->mu, &ts) == ETIMEDOUT && tick) {
			pthread_mutex_unlock(&q->mu);
			tick(ctx);
			pthread_mutex_lock(&q->mu);
		}
	}
	pthread_mutex_unlock(&q->mu);
}

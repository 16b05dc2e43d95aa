/* seccomp_load.c — what loading a built-in filter costs, measured where it
 * happens: in a fresh child (as `appuser exec` does it, once per exec),
 * the seccomp(2) call itself, and the whole fork + load + _exit + wait
 * (the kernel frees the filter when the last task using it dies).  Every
 * round loads each profile once, in a new random order; medians and p10.
 * Linked with a profiles file made by policyc (tests/bench/seccomp.sh).
 *
 * usage: seccomp_load ROUNDS PROFILE|none ... */
#include "seccomp/profiles.h"

#include <linux/seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXP 8

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static const struct seccomp_builtin *find(const char *name)
{
	for (size_t i = 0; i < seccomp_nbuiltins; i++)
		if (!strcmp(seccomp_builtins[i].name, name))
			return &seccomp_builtins[i];
	return NULL;
}

/* One child: the load, timed inside it; returns the whole round trip. */
static double once(const struct seccomp_builtin *b, double *load)
{
	int pfd[2], st;
	double t0 = now_us(), in = 0;
	pid_t p;

	if (pipe(pfd) < 0)
		exit(1);
	p = fork();
	if (p == 0) {
		double s, e;
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		s = now_us();
		if (b) {
			struct sock_fprog f = { b->len, (struct sock_filter *)b->insns };
			if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &f) < 0)
				_exit(2);
		}
		e = now_us() - s;
		(void)!write(pfd[1], &e, sizeof e);
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], &in, sizeof in) != sizeof in || waitpid(p, &st, 0) < 0 ||
	    !WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "seccomp_load: the child failed (status %d)\n", st);
		exit(1);
	}
	close(pfd[0]);
	*load = in;
	return now_us() - t0;
}

static uint64_t rng = 88172645463325252ULL;
static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 0, np = argc - 2, order[MAXP];
	const struct seccomp_builtin *b[MAXP];
	double *load[MAXP], *trip[MAXP];

	if (rounds <= 0 || np < 1 || np > MAXP) {
		fprintf(stderr, "usage: seccomp_load ROUNDS PROFILE|none ...\n");
		return 2;
	}
	for (int i = 0; i < np; i++) {
		b[i] = strcmp(argv[i + 2], "none") ? find(argv[i + 2]) : NULL;
		if (strcmp(argv[i + 2], "none") && !b[i]) {
			fprintf(stderr, "seccomp_load: no profile %s\n", argv[i + 2]);
			return 1;
		}
		load[i] = calloc((size_t)rounds, sizeof **load);
		trip[i] = calloc((size_t)rounds, sizeof **trip);
		order[i] = i;
	}
	rng ^= (uint64_t)getpid() << 20;
	for (int r = 0; r < rounds; r++) {
		for (int i = np - 1; i > 0; i--) {
			int j = (int)rnd((unsigned)i + 1), x = order[i];
			order[i] = order[j];
			order[j] = x;
		}
		for (int i = 0; i < np; i++)
			trip[order[i]][r] = once(b[order[i]], &load[order[i]][r]);
	}
	printf("  %-10s %6s %21s %29s\n", "profile", "insns", "seccomp(2) med/p10 us",
	       "fork+load+exit med/p10 us");
	for (int i = 0; i < np; i++) {
		size_t n = b[i] ? b[i]->len : 0;
		qsort(load[i], (size_t)rounds, sizeof **load, cmp);
		qsort(trip[i], (size_t)rounds, sizeof **trip, cmp);
		printf("  %-10s %6zu %10.1f %10.1f %14.1f %14.1f\n", argv[i + 2], n,
		       load[i][rounds / 2], load[i][rounds / 10], trip[i][rounds / 2],
		       trip[i][rounds / 10]);
	}
	return 0;
}

/* spawn.c — fork+exec+wait latency of several commands, interleaved.
 * usage: spawn ROUNDS 'label|cmd arg...' ...   (args split on spaces)
 *
 * Every round runs each command once, in a new random order (a fixed
 * order flatters whichever command follows the same neighbour each time:
 * up to ~10% here), after WARMUP rounds that are not counted.  Prints
 * the median, p10 and p90 of each command and their ratios to the first
 * command's, plus the median of the per-round ratios (both measured in
 * the same round, so slow drift of the machine cancels).  A command that
 * fails once fails the whole run: a missing peer must not look fast.
 * Environment: SEED (default: time), WARMUP (default 20). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXC 16
#define MAXA 32

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* xorshift64*: reproducible from SEED, good enough for shuffling. */
static uint64_t rng;
static unsigned rnd(unsigned n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (unsigned)((rng * 2685821657736338717ULL) >> 33) % n;
}

static double run(char **args, const char *label)
{
	int st;
	double t0 = now();
	pid_t p = fork();

	if (p == 0) {
		execv(args[0], args);
		_exit(127);
	}
	if (p < 0 || waitpid(p, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "spawn: %s failed (status %d): %s\n", label, st, args[0]);
		exit(1);
	}
	return now() - t0;
}

static double pct(const double *sorted, int n, int p)
{
	return sorted[(n - 1) * p / 100];
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 0, nc = argc - 2;
	int warm = getenv("WARMUP") ? atoi(getenv("WARMUP")) : 20;
	char *label[MAXC], *args[MAXC][MAXA];
	double *t[MAXC], *ratio[MAXC];
	int order[MAXC];
	unsigned long long seed = getenv("SEED") ? strtoull(getenv("SEED"), NULL, 0)
						 : (unsigned long long)time(NULL) ^ (unsigned)getpid();

	if (rounds <= 0 || nc < 1 || nc > MAXC) {
		fprintf(stderr, "usage: spawn ROUNDS 'label|cmd args' ...\n");
		return 2;
	}
	rng = seed ? seed : 1;
	for (int c = 0; c < nc; c++) {
		char *s = strdup(argv[c + 2]), *bar = strchr(s, '|'), *save = NULL;
		int a = 0;
		if (!bar)
			return 2;
		*bar = '\0';
		label[c] = s;
		for (char *p = strtok_r(bar + 1, " ", &save); p && a < MAXA - 1;
		     p = strtok_r(NULL, " ", &save))
			args[c][a++] = p;
		args[c][a] = NULL;
		if (!args[c][0] || access(args[c][0], X_OK) < 0) {
			fprintf(stderr, "spawn: %s: %s is not an executable\n", label[c],
				args[c][0] ? args[c][0] : "(nothing)");
			return 1;
		}
		t[c] = calloc((size_t)rounds, sizeof **t);
		ratio[c] = calloc((size_t)rounds, sizeof **ratio);
		order[c] = c;
	}
	printf("# %d rounds, each in a new random order (SEED=%llu), %d warm-up rounds\n",
	       rounds, seed, warm);
	for (int r = 0; r < rounds + warm; r++) {
		double this[MAXC];

		for (int i = nc - 1; i > 0; i--) {	/* Fisher-Yates */
			int j = (int)rnd((unsigned)i + 1), x = order[i];
			order[i] = order[j];
			order[j] = x;
		}
		for (int i = 0; i < nc; i++)
			this[order[i]] = run(args[order[i]], label[order[i]]);
		if (r < warm)
			continue;
		for (int c = 0; c < nc; c++) {
			t[c][r - warm] = this[c];
			ratio[c][r - warm] = this[c] / this[0];
		}
	}
	printf("%-30s %8s %8s %8s   %7s %7s %7s\n", "", "median", "p10", "p90", "x med", "x p10",
	       "x round");
	for (int c = 0; c < nc; c++) {
		qsort(t[c], (size_t)rounds, sizeof **t, cmp);
		qsort(ratio[c], (size_t)rounds, sizeof **ratio, cmp);
	}
	for (int c = 0; c < nc; c++)
		printf("%-30s %6.3fms %6.3fms %6.3fms   %6.3fx %6.3fx %6.3fx\n", label[c],
		       pct(t[c], rounds, 50), pct(t[c], rounds, 10), pct(t[c], rounds, 90),
		       pct(t[c], rounds, 50) / pct(t[0], rounds, 50),
		       pct(t[c], rounds, 10) / pct(t[0], rounds, 10), pct(ratio[c], rounds, 50));
	printf("# x med, x p10: ratio of the median (p10) to %s's; x round: median of the "
	       "per-round ratios\n", label[0]);
	return 0;
}

/* spawn.c — interleaved fork+exec+wait latency of several commands.
 * usage: spawn ROUNDS 'label|cmd arg...' ...   (args split on spaces)
 * Runs every command once per round, in turn, so drift hits all alike;
 * prints the median and the ratio to the first command. */
#define _GNU_SOURCE
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
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 0, nc = argc - 2;
	char *label[MAXC], *args[MAXC][MAXA];
	double *t[MAXC], base = 0;

	if (rounds <= 0 || nc < 1 || nc > MAXC) {
		fprintf(stderr, "usage: spawn ROUNDS 'label|cmd args' ...\n");
		return 2;
	}
	for (int c = 0; c < nc; c++) {
		char *s = strdup(argv[c + 2]), *bar = strchr(s, '|'), *save = NULL;
		int a = 0;
		if (!bar) return 2;
		*bar = '\0';
		label[c] = s;
		for (char *p = strtok_r(bar + 1, " ", &save); p && a < MAXA - 1; p = strtok_r(NULL, " ", &save))
			args[c][a++] = p;
		args[c][a] = NULL;
		t[c] = calloc((size_t)rounds, sizeof **t);
	}
	for (int r = 0; r < rounds + 20; r++) {	/* 20 warm-up rounds */
		for (int c = 0; c < nc; c++) {
			int st;
			double t0 = now();
			pid_t p = fork();
			if (p == 0) {
				execv(args[c][0], args[c]);
				_exit(127);
			}
			waitpid(p, &st, 0);
			if (!WIFEXITED(st) || WEXITSTATUS(st)) {
				fprintf(stderr, "%s failed (status %d)\n", label[c], st);
				return 1;
			}
			if (r >= 20)
				t[c][r - 20] = now() - t0;
		}
	}
	for (int c = 0; c < nc; c++) {
		double med;
		qsort(t[c], (size_t)rounds, sizeof **t, cmp);
		med = t[c][rounds / 2];
		if (c == 0)
			base = med;
		printf("%-28s median %.3f ms   p10 %.3f  p90 %.3f   %.2fx %s\n", label[c], med,
		       t[c][rounds / 10], t[c][rounds * 9 / 10], med / base, c ? label[0] : "");
	}
	return 0;
}

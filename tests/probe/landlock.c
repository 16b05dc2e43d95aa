/* appuser-landlock — exec/landlock.c at a chosen ABI, for
 * tests/integration/exec/isolation.sh: the kernel here may be newer than
 * the ones appuser must also serve, and the ABI 2-5 domain (REFER handled
 * and granted again beneath "/") must be shown to take no file access away.
 *
 *   appuser-landlock probe          the kernel's ABI, or 0
 *   appuser-landlock ABI CMD...     NO_NEW_PRIVS, the domain appuser makes
 *                                   at min(ABI, kernel's), then exec CMD
 *
 * Linked against appuser's own exec/landlock.o: this is the code under
 * test, not a copy of it. */
#include "exec/landlock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct landlock_plan p;
	int abi = landlock_abi(), want;

	if (argc == 2 && !strcmp(argv[1], "probe")) {
		printf("%d\n", abi > 0 ? abi : 0);
		return 0;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: appuser-landlock probe | ABI CMD...\n");
		return 2;
	}
	want = atoi(argv[1]);
	landlock_plan_for(abi > 0 && want < abi ? want : abi, &p);
	if (!p.apply) {
		fprintf(stderr, "appuser-landlock: no domain at ABI %d: %s\n", want, p.why);
		return 125;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || (errno = -landlock_apply(&p)) > 0) {
		perror("appuser-landlock");
		return 125;
	}
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}

/* appuser-swap — a racer for tests/integration/setup/swaps.sh: swaps two
 * names of one folder with renameat2(RENAME_EXCHANGE) in a loop, as an
 * attacker who can write that folder would while setup creates or remaps
 * one of them.
 *
 *   appuser-swap DIR A B STOP [once]
 *        in DIR, exchange A and B until the file STOP exists (checked every
 *        256 tries; a missing A or B — not made yet — just fails and is
 *        tried again); with "once", stop after the first exchange that
 *        worked.  Exits 0 when stopped, 2 when renameat2 is not there
 *        (ENOSYS, EINVAL: no RENAME_EXCHANGE), 1 on bad arguments. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

int main(int argc, char **argv)
{
	int dfd, once = argc == 6 && !strcmp(argv[5], "once");

	if ((argc != 5 && !once) || (dfd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "usage: appuser-swap DIR A B STOP [once]\n");
		return 1;
	}
	for (unsigned long n = 0;; n++) {
		if (syscall(SYS_renameat2, dfd, argv[2], dfd, argv[3], RENAME_EXCHANGE) == 0) {
			if (once)
				return 0;
		} else if (errno == ENOSYS || errno == EINVAL) {
			return 2;
		}
		if (n % 256 == 0 && access(argv[4], F_OK) == 0)
			return 0;
		if (n % 4096 == 0)
			usleep(100);	/* two cores are shared: let others run */
	}
}

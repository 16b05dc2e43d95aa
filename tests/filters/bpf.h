/* tests/filters/bpf.h — a classic-BPF interpreter for seccomp programs, for
 * the tests: it runs a program on a synthetic seccomp_data without loading
 * it, so filters built for architectures this machine cannot run are
 * checked here too.
 *
 * The program and the data are those of the *target*: a big-endian
 * target (s390x) stores the instructions and the 64-bit arguments in its
 * own byte order, and the program reads the low half of an argument at
 * offset +4 there.  bpf_data() lays the data out as that kernel would. */
#ifndef APPUSER_TESTS_BPF_H
#define APPUSER_TESTS_BPF_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BPF_DATA_SIZE 64	/* sizeof(struct seccomp_data) on every arch */

struct bpf_case {
	int32_t nr;
	uint32_t arch;		/* AUDIT_ARCH_* */
	uint64_t ip;
	uint64_t args[6];
};

/* The kernel's checks before it accepts a seccomp program (the subset of
 * classic BPF seccomp allows, jumps inside the program, ends in a return,
 * loads inside seccomp_data, scratch memory written before it is read).
 * Returns 0, or -1 with the reason and the instruction in err. */
int bpf_check(const struct sock_filter *prog, size_t len, char *err, size_t errlen);

/* seccomp_data of c, in the target's byte order. */
void bpf_data(const struct bpf_case *c, bool big_endian, unsigned char out[BPF_DATA_SIZE]);

/* Run a program that passed bpf_check() on data; returns the SECCOMP_RET_*
 * value it returns. */
uint32_t bpf_run(const struct sock_filter *prog, size_t len,
		 const unsigned char data[BPF_DATA_SIZE], bool big_endian);

/* Instructions stored in a target's byte order -> host order. */
void bpf_decode(const unsigned char *raw, size_t len, bool big_endian, struct sock_filter *out);

#endif

/* tests/filters/equiv.h — are two seccomp programs the same function of
 * their input?  Decided exactly, for every one of the 2^512 values of
 * seccomp_data, without enumerating them.
 *
 * Both programs are run on a *set* of inputs: each 32-bit word of
 * seccomp_data has some bits fixed and the others free.  A test whose
 * outcome is the same for the whole set (a `jeq` whose fixed bits already
 * disagree, a `jgt` whose largest member is below the constant...) is
 * followed; one that is not splits the set on one free bit it depends on,
 * and both halves are explored.  The sets where both programs reach a
 * return cover the whole input space, so comparing the two returns there
 * compares the programs everywhere.  Only the instructions libseccomp
 * emits are understood (ld [k], and #k, ja, jeq/jgt/jge/jset #k, ret #k);
 * anything else is reported, never guessed. */
#ifndef APPUSER_TESTS_EQUIV_H
#define APPUSER_TESTS_EQUIV_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct equiv_result {
	size_t leaves;		/* input sets both programs decide */
	bool differ;		/* a set where they disagree: */
	uint32_t words[16];	/* one input of it, word by word as loaded */
	uint32_t ret_a, ret_b;
	char why[160];		/* when the check itself failed */
};

/* 1 when equivalent, 0 when not (an input in r), -1 when a program uses
 * what the check does not understand or when deciding it takes more than
 * max_leaves sets (0: no limit) (r->why). */
int bpf_equiv(const struct sock_filter *a, size_t na, const struct sock_filter *b,
	      size_t nb, size_t max_leaves, struct equiv_result *r);

#endif

/* seccomp/expand.h — lower a policy rule's conditions to what libseccomp
 * (and classic BPF) can test: rules that are each a conjunction of at most
 * one masked equality per argument.  Pure.
 *
 * libseccomp 2.5 takes one comparison per argument per rule (a second
 * gives -EINVAL) and has no masked "not equal" (DESIGN §7), so
 *   arg0 not in { 0, 8, 0x20000, 0x20008, 0xffffffff }
 * becomes a set of masked equalities ("cubes": some bits fixed) whose union
 * is exactly the complement of the set, and conditions on one argument are
 * intersected cube by cube. */
#ifndef APPUSER_SECCOMP_EXPAND_H
#define APPUSER_SECCOMP_EXPAND_H

#include "seccomp/policy.h"

#include <stddef.h>
#include <stdint.h>

#define EXPAND_MAX_CUBES 512		/* per argument: 32 per value at most */
#define EXPAND_MAX_RULES 1024		/* per policy rule */

/* (arg & mask) == value; mask 0 means "any". */
struct cube {
	uint32_t mask, value;
};

struct cube_set {
	size_t n;
	struct cube c[EXPAND_MAX_CUBES];
};

/* (arg & mask) == value, on the low 32 bits of the argument. */
struct expanded_cmp {
	unsigned arg;
	uint32_t mask, value;
};

struct expanded_rule {
	size_t ncmp;
	struct expanded_cmp cmp[POLICY_MAX_ARGS];
};

/* Cubes whose union is exactly {x : (x & c->mask) in / not in values}.
 * Returns 0, or -1 when more than EXPAND_MAX_CUBES would be needed. */
int cond_cubes(const struct policy_cond *c, struct cube_set *out);

/* The rule as a malloc'd list of alternatives (the rule matches iff one
 * of them does); an unconditional rule is one alternative with ncmp 0.
 * Returns 0, or -1 with a reason in err (contradiction, too many). */
int policy_expand(const struct policy_rule *r, struct expanded_rule **out, size_t *n,
		  char *err, size_t errlen);

#endif

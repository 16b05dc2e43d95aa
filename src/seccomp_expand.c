/* seccomp_expand.c — see seccomp_expand.h.
 *
 * The complement of a small value set is built from a binary trie over
 * the mask's bits: wherever the set's values all agree on a free bit, the
 * other half of that subspace holds none of them and is one cube; where
 * they disagree, both halves are split further.  Each cube is then widened
 * (fixed bits dropped while it still misses every value) and cubes inside
 * others are removed, so most cubes end up testing two bits. */
#include "seccomp_expand.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAW_MAX (32 * POLICY_MAX_VALUES + 1)

struct raw {
	size_t n;
	bool overflow;
	struct cube c[RAW_MAX];
};

static void emit(struct raw *r, uint32_t mask, uint32_t value)
{
	if (r->n == RAW_MAX)
		r->overflow = true;
	else
		r->c[r->n++] = (struct cube){ mask, value };
}

static uint32_t lowest_bit(uint32_t x)
{
	return x & (~x + 1);
}

/* Cover the part of the subspace (fm, fv) that holds none of vals. */
static void cover(const uint32_t *vals, size_t n, uint32_t fm, uint32_t fv, uint32_t free_bits,
		  struct raw *out)
{
	uint32_t lo[POLICY_MAX_VALUES], hi[POLICY_MAX_VALUES], b;
	size_t nlo = 0, nhi = 0;

	if (n == 0) {
		emit(out, fm, fv);
		return;
	}
	for (uint32_t rest = free_bits; rest; rest &= rest - 1) {
		uint32_t bit = lowest_bit(rest), first = vals[0] & bit;
		bool agree = true;

		for (size_t i = 1; i < n && agree; i++)
			agree = (vals[i] & bit) == first;
		if (!agree)
			continue;
		emit(out, fm | bit, fv | (first ^ bit));
		fm |= bit;
		fv |= first;
		free_bits &= ~bit;
	}
	if (!free_bits)
		return;		/* one value left, and it is allowed */
	b = lowest_bit(free_bits);
	for (size_t i = 0; i < n; i++) {
		if (vals[i] & b)
			hi[nhi++] = vals[i];
		else
			lo[nlo++] = vals[i];
	}
	cover(lo, nlo, fm | b, fv, free_bits & ~b, out);
	cover(hi, nhi, fm | b, fv | b, free_bits & ~b, out);
}

static bool cube_hits(struct cube c, const uint32_t *vals, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((vals[i] & c.mask) == c.value)
			return true;
	return false;
}

/* Drop fixed bits, low to high, while the cube still misses every value. */
static struct cube widen(struct cube c, const uint32_t *vals, size_t n)
{
	for (int bit = 0; bit < 32; bit++) {
		uint32_t b = (uint32_t)1 << bit;
		struct cube w = { c.mask & ~b, c.value & ~b };

		if ((c.mask & b) && !cube_hits(w, vals, n))
			c = w;
	}
	return c;
}

static bool inside(struct cube small, struct cube big)
{
	return !(big.mask & ~small.mask) && (small.value & big.mask) == big.value;
}

/* Remove duplicates and cubes inside another; copy into out. */
static int prune(const struct cube *in, size_t n, struct cube_set *out)
{
	out->n = 0;
	for (size_t i = 0; i < n; i++) {
		bool keep = true;

		for (size_t j = 0; j < n && keep; j++) {
			if (i == j || !inside(in[i], in[j]))
				continue;
			/* strictly inside: drop; equal: keep the first one only */
			keep = inside(in[j], in[i]) && j > i;
		}
		if (!keep)
			continue;
		if (out->n == EXPAND_MAX_CUBES)
			return -1;
		out->c[out->n++] = in[i];
	}
	return 0;
}

static size_t masked_values(const struct policy_cond *c, uint32_t *vals)
{
	size_t n = 0;

	for (size_t i = 0; i < c->nvalues; i++) {
		uint32_t v = c->values[i] & c->mask;
		bool dup = false;

		for (size_t j = 0; j < n && !dup; j++)
			dup = vals[j] == v;
		if (!dup)
			vals[n++] = v;
	}
	return n;
}

int cond_cubes(const struct policy_cond *c, struct cube_set *out)
{
	struct raw *raw = malloc(sizeof *raw);
	uint32_t vals[POLICY_MAX_VALUES];
	size_t n = masked_values(c, vals);
	int rc = -1;

	if (!raw)
		return -1;
	raw->n = 0;
	raw->overflow = false;
	if (!c->negate) {
		for (size_t i = 0; i < n; i++)
			emit(raw, c->mask, vals[i]);
	} else {
		cover(vals, n, 0, 0, c->mask, raw);
		for (size_t i = 0; i < raw->n; i++)
			raw->c[i] = widen(raw->c[i], vals, n);
	}
	if (!raw->overflow)
		rc = prune(raw->c, raw->n, out);
	free(raw);
	return rc;
}

static int intersect(struct cube_set *a, const struct cube_set *b)
{
	struct cube *tmp = malloc(RAW_MAX * sizeof *tmp);
	size_t n = 0;
	int rc = -1;

	if (!tmp)
		return -1;
	for (size_t i = 0; i < a->n; i++)
		for (size_t j = 0; j < b->n; j++) {
			struct cube x = a->c[i], y = b->c[j];

			if ((x.value ^ y.value) & x.mask & y.mask)
				continue;	/* disjoint */
			if (n == RAW_MAX)
				goto out;
			tmp[n++] = (struct cube){ x.mask | y.mask, x.value | y.value };
		}
	rc = prune(tmp, n, a);
out:
	free(tmp);
	return rc;
}

/* Every combination of one cube per argument is one alternative. */
static int product(const struct cube_set *per_arg, const bool *used,
		   struct expanded_rule **out, size_t *nout)
{
	struct expanded_rule *rules = calloc(1, sizeof *rules), *more;
	size_t n = 1;

	if (!rules)
		return -1;
	for (unsigned a = 0; a < POLICY_MAX_ARGS; a++) {
		size_t m = per_arg[a].n;

		if (!used[a])
			continue;
		if (n * m > EXPAND_MAX_RULES || !(more = calloc(n * m, sizeof *more))) {
			free(rules);
			return -1;
		}
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < m; j++) {
				struct expanded_rule *e = &more[i * m + j];
				struct cube c = per_arg[a].c[j];

				*e = rules[i];
				if (c.mask)
					e->cmp[e->ncmp++] = (struct expanded_cmp){ a, c.mask, c.value };
			}
		free(rules);
		rules = more;
		n *= m;
	}
	*out = rules;
	*nout = n;
	return 0;
}

static int add_cond(struct cube_set *per_arg, bool *used, struct cube_set *cs,
		    const struct policy_cond *c, size_t i, char *err, size_t errlen)
{
	if (cond_cubes(c, cs) < 0) {
		snprintf(err, errlen, "condition %zu on arg%u needs more than %d compares",
			 i + 1, c->arg, EXPAND_MAX_CUBES);
		return -1;
	}
	if (!used[c->arg]) {
		per_arg[c->arg] = *cs;
		used[c->arg] = true;
	} else if (intersect(&per_arg[c->arg], cs) < 0) {
		snprintf(err, errlen, "conditions on arg%u need more than %d compares", c->arg,
			 EXPAND_MAX_CUBES);
		return -1;
	}
	if (per_arg[c->arg].n == 0) {
		snprintf(err, errlen, "the conditions on arg%u can never all hold", c->arg);
		return -1;
	}
	return 0;
}

int policy_expand(const struct policy_rule *r, struct expanded_rule **out, size_t *n,
		  char *err, size_t errlen)
{
	/* six per-argument sets and a scratch one: too big for the stack */
	struct cube_set *sets = calloc(POLICY_MAX_ARGS + 1, sizeof *sets);
	bool used[POLICY_MAX_ARGS] = { false };
	int rc = -1;

	if (!sets) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < r->nconds; i++)
		if (add_cond(sets, used, &sets[POLICY_MAX_ARGS], &r->conds[i], i, err, errlen) < 0)
			goto out;
	if (product(sets, used, out, n) < 0) {
		snprintf(err, errlen, "the conditions need more than %d rules", EXPAND_MAX_RULES);
		goto out;
	}
	rc = 0;
out:
	free(sets);
	return rc;
}

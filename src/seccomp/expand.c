/* seccomp/expand.c — see seccomp/expand.h.
 *
 * The complement of a small value set S is covered two ways, and the
 * smaller cover wins (each cube costs about three BPF instructions per
 * architecture, and the kernel's filter attach time grows with the
 * program):
 *
 * - a binary trie over the mask's bits: wherever the values all agree on
 *   a free bit, the other half of that subspace holds none of them and is
 *   one cube; where they disagree, both halves are split further.  Cubes
 *   are then widened (fixed bits dropped while they still miss S);
 * - when S is closed under bitwise majority, S is exactly the set of
 *   solutions of the 2-CNF formula of all two-bit clauses S satisfies
 *   (Schaefer), so its complement is the union of one two-bit cube per
 *   clause; a minimal equivalent formula is a cycle per strongly connected
 *   component of the implication graph plus the transitive reduction of
 *   the rest.  For personality's { 0, 8, 0x20000, 0x20008, 0xffffffff }
 *   that is 32 cubes where the trie needs 60.
 *
 * Measured (issue 10): without the 2-CNF route the x86_64 `default` and
 * `strict` programs grow by 86 instructions (360 -> 446, 399 -> 485) and
 * take ~20 us (15 %) longer to load with seccomp(2) — about 2 % of every
 * `appuser exec`; that is what these ~125 lines buy. */
#include "seccomp/expand.h"

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

/* ---- 2-CNF cover ----------------------------------------------------- */

#define NLIT 64			/* literal 2*i+1: bit i set; 2*i: bit i clear */

struct cnf {
	uint32_t bit[32];	/* the mask's bits on which S varies */
	int nbits;
	bool imp[NLIT][NLIT];	/* imp[u][v]: every value with u has v */
};

static bool lit_true(const struct cnf *f, int l, uint32_t x)
{
	return !(x & f->bit[l / 2]) == !(l & 1);
}

static bool majority_closed(const uint32_t *vals, size_t n)
{
	for (size_t a = 0; a < n; a++)
		for (size_t b = a + 1; b < n; b++)
			for (size_t c = b + 1; c < n; c++) {
				uint32_t m = (vals[a] & vals[b]) | (vals[b] & vals[c]) |
					     (vals[a] & vals[c]);
				bool in = false;

				for (size_t i = 0; i < n && !in; i++)
					in = vals[i] == m;
				if (!in)
					return false;
			}
	return true;
}

/* Constant bits become one-bit cubes; the others become literals. */
static void cnf_init(struct cnf *f, const uint32_t *vals, size_t n, uint32_t mask,
		     struct raw *out)
{
	memset(f, 0, sizeof *f);
	for (uint32_t rest = mask; rest; rest &= rest - 1) {
		uint32_t b = lowest_bit(rest);
		bool agree = true;

		for (size_t i = 1; i < n && agree; i++)
			agree = (vals[i] & b) == (vals[0] & b);
		if (agree)
			emit(out, b, (vals[0] & b) ^ b);
		else
			f->bit[f->nbits++] = b;
	}
	for (int u = 0; u < 2 * f->nbits; u++)
		for (int v = 0; v < 2 * f->nbits; v++) {
			bool all = true;

			for (size_t i = 0; i < n && all; i++)
				all = !lit_true(f, u, vals[i]) || lit_true(f, v, vals[i]);
			f->imp[u][v] = all;
		}
}

/* u -> v as a cube: the values with u and without v. */
static void emit_edge(const struct cnf *f, int u, int v, struct raw *out)
{
	uint32_t m = f->bit[u / 2] | f->bit[v / 2];
	uint32_t val = ((u & 1) ? f->bit[u / 2] : 0) | ((v & 1) ? 0 : f->bit[v / 2]);

	emit(out, m, val);
}

static int scc_rep(const struct cnf *f, int u)
{
	for (int v = 0; v < 2 * f->nbits; v++)
		if (f->imp[u][v] && f->imp[v][u])
			return v;
	return u;
}

/* A cycle through each component (one of each mirrored pair: the
 * contrapositives cover the other), then the transitive reduction of the
 * graph between components. */
static void cnf_edges(const struct cnf *f, struct raw *out)
{
	int n = 2 * f->nbits, rep[NLIT];

	for (int u = 0; u < n; u++)
		rep[u] = scc_rep(f, u);
	for (int u = 0; u < n; u++) {
		int next = -1;

		if (rep[u] > rep[u ^ 1])
			continue;	/* the mirror component does it */
		for (int v = u + 1; v < n && next < 0; v++)
			if (rep[v] == rep[u])
				next = v;
		if (next >= 0)
			emit_edge(f, u, next, out);
		else if (rep[u] != u)
			emit_edge(f, u, rep[u], out);	/* close the cycle */
	}
	for (int a = 0; a < n; a++)
		for (int b = 0; b < n; b++) {
			bool direct = rep[a] == a && rep[b] == b && a != b && f->imp[a][b];

			for (int c = 0; c < n && direct; c++)
				direct = !(rep[c] == c && c != a && c != b && f->imp[a][c] &&
					   f->imp[c][b]);
			if (direct)
				emit_edge(f, a, b, out);
		}
}

/* The 2-CNF cover, or false when S is not closed under majority. */
static bool cnf_cover(const uint32_t *vals, size_t n, uint32_t mask, struct raw *out)
{
	struct cnf *f;

	if (!majority_closed(vals, n) || !(f = malloc(sizeof *f)))
		return false;
	cnf_init(f, vals, n, mask, out);
	cnf_edges(f, out);
	free(f);
	for (size_t i = 0; i < out->n; i++)
		if (cube_hits(out->c[i], vals, n))
			return false;	/* cannot happen; never deny a listed value */
	return !out->overflow;
}

static int trie_cover(const uint32_t *vals, size_t n, uint32_t mask, struct cube_set *out)
{
	struct raw *raw = malloc(sizeof *raw);
	int rc = -1;

	if (!raw)
		return -1;
	raw->n = 0;
	raw->overflow = false;
	cover(vals, n, 0, 0, mask, raw);
	for (size_t i = 0; i < raw->n; i++)
		raw->c[i] = widen(raw->c[i], vals, n);
	if (!raw->overflow)
		rc = prune(raw->c, raw->n, out);
	free(raw);
	return rc;
}

/* The complement of vals under mask: the smaller of the two covers. */
static int complement(const uint32_t *vals, size_t n, uint32_t mask, struct cube_set *out)
{
	struct raw *raw = malloc(sizeof *raw);
	struct cube_set *alt = malloc(sizeof *alt);
	int rc = trie_cover(vals, n, mask, out);

	if (raw && alt) {
		raw->n = 0;
		raw->overflow = false;
		if (cnf_cover(vals, n, mask, raw) && prune(raw->c, raw->n, alt) == 0 &&
		    (rc < 0 || alt->n < out->n)) {
			*out = *alt;
			rc = 0;
		}
	}
	free(raw);
	free(alt);
	return rc;
}

int cond_cubes(const struct policy_cond *c, struct cube_set *out)
{
	uint32_t vals[POLICY_MAX_VALUES];
	size_t n = masked_values(c, vals);

	if (c->negate)
		return complement(vals, n, c->mask, out);
	out->n = 0;
	for (size_t i = 0; i < n; i++)
		out->c[out->n++] = (struct cube){ c->mask, vals[i] };
	return 0;
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

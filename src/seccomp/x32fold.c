/* seccomp/x32fold.c — see seccomp/x32fold.h. */
#include "seccomp/x32fold.h"

#include <linux/audit.h>
#include <stdlib.h>

#define MAX_BREAKS 4096

/* Where the tree from r sends nr: the first instruction that does not read
 * the accumulator (a load or a return), or SIZE_MAX. */
static size_t leaf(const struct ins *p, size_t len, size_t r, uint32_t nr)
{
	size_t pc = r;

	for (size_t steps = 0; pc < len && steps <= len; steps++) {
		const struct ins *q = &p[pc];

		switch (q->code) {
		case OP_LD:
		case OP_RET:
			return pc;
		case OP_JA:
			pc = q->t;
			continue;
		case OP_JEQ:
			pc = nr == q->k ? q->t : q->f;
			continue;
		case OP_JGT:
			pc = nr > q->k ? q->t : q->f;
			continue;
		case OP_JGE:
			pc = nr >= q->k ? q->t : q->f;
			continue;
		}
		return SIZE_MAX;
	}
	return SIZE_MAX;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static size_t sort_unique(uint32_t *v, size_t n)
{
	size_t m = 0;

	qsort(v, n, sizeof *v, cmp_u32);
	for (size_t i = 0; i < n; i++)
		if (!m || v[i] != v[m - 1])
			v[m++] = v[i];
	return m;
}

static bool add(uint32_t *v, size_t *n, uint32_t x)
{
	if (*n == MAX_BREAKS)
		return false;
	v[(*n)++] = x;
	return true;
}

/* The numbers where the tree from r may change its mind (the tree sends
 * every number from one to just before the next to one place), sorted,
 * 0 first.  Returns how many, or 0 when the tree does anything but
 * compare the number and jump. */
static size_t breaks(const struct ins *p, size_t len, size_t r, uint32_t *b)
{
	bool *in = calloc(len + 1, sizeof *in), ok = in != NULL;
	size_t n = 0;

	ok = ok && add(b, &n, 0);
	if (ok)
		in[r] = true;
	for (size_t i = r; ok && i < len; i++) {	/* jumps only go forward */
		const struct ins *q = &p[i];

		if (!in[i] || q->code == OP_LD || q->code == OP_RET)
			continue;
		if (q->code != OP_JA && q->code != OP_JEQ && q->code != OP_JGT &&
		    q->code != OP_JGE) {
			ok = false;	/* an and, a jset: not a plain tree */
			break;
		}
		in[q->t] = in[q->f] = true;
		if (q->code == OP_JEQ || q->code == OP_JGE)
			ok = add(b, &n, q->k);
		if (ok && q->code != OP_JGE && q->code != OP_JA && q->k != UINT32_MAX)
			ok = add(b, &n, q->k + 1);
	}
	free(in);
	return ok ? sort_unique(b, n) : 0;
}

/* Which x32 numbers the tree from r sends elsewhere than their twins. */
static bool plan_at(const struct ins *p, size_t len, size_t at, struct x32_fold *fx,
		    uint32_t *b, uint32_t *pts)
{
	size_t r = at + 1, nb = breaks(p, len, r, b), np = 0;

	fx->at = at;
	fx->n = 0;
	if (!nb)
		return false;
	/* 0x80000000 and up: all to one place */
	for (size_t i = 0; i < nb; i++)
		if (b[i] > 0x80000000u)
			return false;
	if ((fx->hi = leaf(p, len, r, 0x80000000u)) == SIZE_MAX)
		return false;
	/* 0x40000000 to 0x7fffffff against 0 to 0x3fffffff: both halves go
	 * one way between consecutive points */
	pts[np++] = X32_BIT;
	pts[np++] = 0x80000000u;
	for (size_t i = 0; i < nb; i++)
		pts[np++] = b[i] < X32_BIT ? b[i] + X32_BIT : b[i];
	np = sort_unique(pts, np);
	for (size_t i = 0; i + 1 < np && pts[i] < 0x80000000u; i++) {
		uint32_t a = pts[i];
		size_t x32 = leaf(p, len, r, a), twin = leaf(p, len, r, a - X32_BIT);

		if (x32 == SIZE_MAX || twin == SIZE_MAX)
			return false;
		if (x32 == twin)
			continue;
		if (pts[i + 1] != a + 1 || fx->n == X32_FOLD_MAX)
			return false;	/* a range, or too many numbers */
		fx->nr[fx->n] = a;
		fx->to[fx->n++] = x32;
	}
	return true;
}

bool x32_fold_plan(const struct ins *p, size_t len, const unsigned *incoming,
		   struct x32_fold *fx)
{
	uint32_t *b = malloc(MAX_BREAKS * sizeof *b), *pts = malloc((MAX_BREAKS + 2) * sizeof *pts);
	bool ok = false;

	/* ld [4]; jeq #AUDIT_ARCH_X86_64; ld [0], reached from there alone */
	for (size_t i = 2; b && pts && i < len; i++)
		if (p[i].code == OP_LD && p[i].k == 0 && incoming[i] == 1 &&
		    p[i - 1].code == OP_JEQ && p[i - 1].k == AUDIT_ARCH_X86_64 &&
		    p[i - 1].t == i && p[i - 1].f != i &&
		    p[i - 2].code == OP_LD && p[i - 2].k == 4) {
			ok = plan_at(p, len, i, fx, b, pts);
			break;
		}
	free(b);
	free(pts);
	return ok;
}

size_t x32_fold_emit(const struct x32_fold *fx, struct ins *out)
{
	size_t n = 0;

	out[n++] = (struct ins){ OP_LD, 0, NEXT, NEXT };
	out[n++] = (struct ins){ OP_JGE, X32_BIT, NEXT, fx->at + 1 };
	out[n++] = (struct ins){ OP_JGT, 0x7fffffffu, fx->hi, NEXT };
	for (size_t i = 0; i < fx->n; i++)
		out[n++] = (struct ins){ OP_JEQ, fx->nr[i], fx->to[i], NEXT };
	out[n++] = (struct ins){ OP_AND, X32_BIT - 1, NEXT, NEXT };
	return n;
}

/* seccomp/shrink.c — see seccomp/shrink.h. */
#include "seccomp/shrink.h"
#include "seccomp/bpf_ins.h"
#include "seccomp/x32fold.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_POINTS 16		/* at most this many non-matching words are listed */
#define SPLIT_BUDGET 200000	/* nodes of the bit split before giving up */

struct cube {
	uint32_t mask, val;	/* matches w when (w & mask) == val */
};

/* The opcodes libseccomp emits; anything else and we leave the program be. */
static bool known(uint16_t c)
{
	return c == OP_LD || c == OP_AND || c == OP_JA || c == OP_JEQ || c == OP_JGT ||
	       c == OP_JGE || c == OP_JSET || c == OP_RET;
}

/* Does the code at i ignore the accumulator it is reached with? */
static bool a_dead(const struct ins *p, size_t n, size_t i)
{
	for (int hops = 0; i < n && hops < 8; hops++) {
		if (p[i].code == OP_LD || p[i].code == OP_RET)
			return true;
		if (p[i].code != OP_JA)
			return false;
		i = p[i].t;
	}
	return false;
}

/* --- which words of 32 bits no cube matches ------------------------------ */

struct split {
	const struct cube *c;
	size_t nc;
	uint32_t pts[MAX_POINTS];
	size_t npts;
	long budget;
	bool fail;
};

/* Words whose bits under fm equal fv (bits below `bit` still free). */
static void split(struct split *s, int bit, uint32_t fm, uint32_t fv)
{
	bool any = false;

	if (s->fail || --s->budget < 0) {
		s->fail = true;
		return;
	}
	for (size_t i = 0; i < s->nc; i++) {
		const struct cube *c = &s->c[i];
		if (c->mask & fm & (c->val ^ fv))
			continue;		/* disagrees with a fixed bit */
		if (!(c->mask & ~fm))
			return;			/* matches all of this subspace */
		any = true;
	}
	if (!any) {				/* none matches: 2^(bit+1) words */
		if (bit >= 4 || s->npts + (1u << (bit + 1)) > MAX_POINTS) {
			s->fail = true;
			return;
		}
		for (uint32_t low = 0; low < (1u << (bit + 1)); low++)
			s->pts[s->npts++] = fv | low;
		return;
	}
	split(s, bit - 1, fm | (1u << bit), fv);
	split(s, bit - 1, fm | (1u << bit), fv | (1u << bit));
}

/* --- chains -------------------------------------------------------------- */


struct chain {
	size_t start, end;	/* old instructions [start, end) */
	uint32_t off;		/* the word: ld [off] */
	size_t t, f;		/* where a match / no match goes */
	struct cube cubes[64];	/* the terms that can match */
	size_t nc, terms;
};

/* A chain starting with ld [k] at i: terms [ld [k]] [and #m]... jeq #v,
 * every match to the same t, every miss falling through to the next
 * term, the last miss to f.  Only the first instruction may be reached
 * from outside; a later term only by the miss of the one before. */
static bool parse_chain(const struct ins *p, size_t n, const unsigned *incoming, size_t i,
			struct chain *ch)
{
	uint32_t mask = 0xffffffffu;
	size_t j = i;

	if (p[i].code != OP_LD)
		return false;
	memset(ch, 0, sizeof *ch);
	ch->start = i;
	ch->off = p[i].k;
	for (;;) {
		size_t term = j;
		uint32_t m = mask;
		bool clean = term == i || incoming[term] == 1;

		if (j < n && p[j].code == OP_LD && p[j].k == ch->off) {
			m = 0xffffffffu;
			j++;
		}
		while (j < n && p[j].code == OP_AND)
			m &= p[j++].k;
		for (size_t q = term + 1; q <= j && q < n; q++)
			clean = clean && !incoming[q];
		if (!clean || j >= n || p[j].code != OP_JEQ || (ch->terms && p[j].t != ch->t) ||
		    ch->terms == sizeof ch->cubes / sizeof *ch->cubes) {
			j = term;		/* not a term of this chain: it ends before */
			break;
		}
		if (!(p[j].k & ~m))		/* a value outside the mask never matches */
			ch->cubes[ch->nc++] = (struct cube){ m, p[j].k };
		ch->terms++;
		mask = m;
		ch->t = p[j].t;
		ch->f = p[j].f;
		if (ch->f != ++j)
			break;			/* the last miss goes elsewhere */
	}
	ch->end = j;
	return ch->terms && ch->t >= ch->end && ch->f >= ch->end &&
	       a_dead(p, n, ch->t) && a_dead(p, n, ch->f);
}

/* A shorter program for a chain into out (MAX_POINTS + 2), or 0. */
static size_t rewrite(const struct chain *ch, struct ins *out)
{
	struct split s = { .c = ch->cubes, .nc = ch->nc, .budget = SPLIT_BUDGET };
	size_t had = ch->end - ch->start, n = 0;
	uint32_t bits = 0;
	bool single = ch->nc > 0;

	for (size_t i = 0; i < ch->nc; i++) {
		const struct cube *c = &ch->cubes[i];
		single = single && c->mask && c->mask == c->val && !(c->mask & (c->mask - 1));
		bits |= c->mask;
	}
	if (ch->nc == 0) {			/* nothing matches */
		out[0] = (struct ins){ OP_JA, 0, ch->f, ch->f };
		return had > 1 ? 1 : 0;
	}
	if (single) {				/* any of these bits */
		out[0] = (struct ins){ OP_LD, ch->off, 0, 0 };
		out[1] = (struct ins){ OP_JSET, bits, ch->t, ch->f };
		return had > 2 ? 2 : 0;
	}
	split(&s, 31, 0, 0);
	if (s.fail)
		return 0;
	if (s.npts == 0) {			/* everything matches */
		out[0] = (struct ins){ OP_JA, 0, ch->t, ch->t };
		return had > 1 ? 1 : 0;
	}
	if (s.npts + 1 >= had)
		return 0;
	out[n++] = (struct ins){ OP_LD, ch->off, 0, 0 };
	for (size_t i = 0; i < s.npts; i++)
		out[n++] = (struct ins){ OP_JEQ, s.pts[i], ch->f, i + 1 < s.npts ? NEXT : ch->t };
	return n;
}

/* --- trampolines and dead code ------------------------------------------ */

/* Where a jump from i to t ends up: through every `ja` at t, as far as a
 * conditional jump's 8-bit offset reaches (cond) or all the way (a `ja`).
 * libseccomp leaves such trampolines behind; each costs load time. */
static size_t through(const struct ins *p, size_t len, size_t i, size_t t, bool cond)
{
	for (int hops = 0; t < len && p[t].code == OP_JA && hops < 64; hops++) {
		if (cond && p[t].t - i - 1 > 255)
			break;
		t = p[t].t;
	}
	return t;
}

static void reach(bool *live, uint32_t *ub, size_t j, uint32_t bound)
{
	if (!live[j] || ub[j] < bound)
		ub[j] = bound;
	live[j] = true;
}

/* Jumps go straight where they end up; a comparison that the accumulator's
 * upper bound decides (ub[i]: the largest value it can hold at i) goes the
 * one way it can; live[i] says whether anything still reaches i.  Jumps
 * only go forward, so one pass sees every way into i before i.  With a
 * planned x32 fold, its block after fx->at is taken into account. */
static void thread_jumps(struct ins *p, size_t len, bool *live, uint32_t *ub,
			 const struct x32_fold *fx)
{
	for (size_t i = 0; i < len; i++)
		if (is_jump(p[i].code)) {
			p[i].t = through(p, len, i, p[i].t, is_cond(p[i].code));
			p[i].f = p[i].code == OP_JA ? p[i].t : through(p, len, i, p[i].f, true);
		}
	reach(live, ub, 0, UINT32_MAX);
	for (size_t i = 0; i < len; i++) {
		struct ins *q = &p[i];
		uint32_t a = ub[i], tb = a, fb = a;

		if (!live[i] || q->code == OP_RET)
			continue;
		if (fx && i == fx->at) {	/* the block: the tree only below the bit */
			reach(live, ub, i + 1, X32_BIT - 1);
			reach(live, ub, fx->hi, UINT32_MAX);
			for (size_t j = 0; j < fx->n; j++)
				reach(live, ub, fx->to[j], UINT32_MAX);
			continue;
		}
		if (!is_jump(q->code)) {
			reach(live, ub, i + 1, q->code == OP_LD ? UINT32_MAX :
			      q->code == OP_AND && q->k < a ? q->k : a);
			continue;
		}
		switch (q->code) {
		case OP_JGT:		/* never above k: never true */
			if (a <= q->k)
				q->t = q->f;
			fb = a < q->k ? a : q->k;
			break;
		case OP_JGE:
			if (a < q->k)
				q->t = q->f;
			else if (!q->k)
				q->f = q->t;	/* always true */
			fb = q->k && a >= q->k ? q->k - 1 : a;
			break;
		case OP_JEQ:
			if (a < q->k)
				q->t = q->f;
			tb = q->k;
			break;
		}
		if (q->t == q->f) {	/* one way: a ja, threaded next round */
			*q = (struct ins){ OP_JA, 0, q->t, q->t };
			reach(live, ub, q->t, a);
			continue;
		}
		reach(live, ub, q->t, tb);
		reach(live, ub, q->f, fb);
	}
}

/* One round; with fold, also the x32 fold when x32_fold_plan() finds one. */
static size_t shrink_once(struct sock_filter *prog, size_t len, bool fold)
{
	struct ins *p = calloc(len + 1, sizeof *p);
	struct ins *o = calloc(len + X32_FOLD_MAX + 8, sizeof *o);
	unsigned *incoming = calloc(len + 1, sizeof *incoming);
	size_t *newpos = calloc(len + 1, sizeof *newpos), no = 0;
	struct sock_filter *orig = malloc(len * sizeof *orig + 1);
	bool *live = calloc(len + 1, sizeof *live);
	uint32_t *ub = calloc(len + 1, sizeof *ub);
	struct x32_fold fx;
	bool ok = p && o && incoming && newpos && orig && live && ub, folding = false;

	if (orig)
		memcpy(orig, prog, len * sizeof *orig);
	for (size_t i = 0; ok && i < len; i++) {
		const struct sock_filter *s = &prog[i];

		ok = known(s->code);
		p[i] = (struct ins){ s->code, s->k, i + 1, i + 1 };
		if (s->code == OP_JA)
			p[i].t = p[i].f = i + 1 + s->k;
		else if (is_cond(s->code)) {
			p[i].t = i + 1 + s->jt;
			p[i].f = i + 1 + s->jf;
		}
		ok = ok && p[i].t <= len && p[i].f <= len;
	}
	if (ok && fold) {
		for (size_t i = 0; i < len; i++)
			if (is_jump(p[i].code)) {
				incoming[p[i].t]++;
				if (p[i].f != p[i].t)
					incoming[p[i].f]++;
			}
		folding = x32_fold_plan(p, len, incoming, &fx);
		memset(incoming, 0, (len + 1) * sizeof *incoming);
	}
	if (ok)
		thread_jumps(p, len, live, ub, folding ? &fx : NULL);
	for (size_t i = 0; ok && i < len; i++)
		if (live[i] && is_jump(p[i].code)) {
			incoming[p[i].t]++;
			if (p[i].f != p[i].t)
				incoming[p[i].f]++;
		}
	if (folding) {		/* the block's jumps */
		incoming[fx.at + 1]++;
		incoming[fx.hi]++;
		for (size_t j = 0; j < fx.n; j++)
			incoming[fx.to[j]]++;
	}
	/* The new program, its targets still old indexes (newpos maps them). */
	for (size_t i = 0; ok && i < len;) {
		struct chain ch;
		struct ins rw[MAX_POINTS + 2];
		size_t m;

		if (!live[i]) {
			newpos[i++] = SIZE_MAX;	/* nothing reaches it */
			continue;
		}
		newpos[i] = no;
		if (folding && i == fx.at) {
			no += x32_fold_emit(&fx, o + no);
			i++;
			continue;
		}
		if (parse_chain(p, len, incoming, i, &ch) && (m = rewrite(&ch, rw)) > 0) {
			memcpy(o + no, rw, m * sizeof *rw);
			no += m;
			for (size_t q = i + 1; q < ch.end; q++)
				newpos[q] = SIZE_MAX;	/* gone: nothing else jumps there */
			i = ch.end;
			continue;
		}
		o[no++] = p[i++];
	}
	newpos[len] = no;
	ok = ok && no <= len;
	/* Offsets again; if one does not fit, the original stays. */
	for (size_t i = 0; ok && i < no; i++) {
		struct sock_filter *d = &prog[i];
		size_t nt, nf;

		*d = (struct sock_filter){ o[i].code, 0, 0, o[i].k };
		if (!is_jump(o[i].code))
			continue;
		nt = o[i].t == NEXT ? i + 1 : newpos[o[i].t];
		nf = o[i].f == NEXT ? i + 1 : newpos[o[i].f];
		ok = nt != SIZE_MAX && nf != SIZE_MAX && nt > i && nf > i;
		if (ok && o[i].code == OP_JA)
			d->k = (uint32_t)(nt - i - 1);
		else if (ok && (ok = nt - i - 1 <= 255 && nf - i - 1 <= 255)) {
			d->jt = (uint8_t)(nt - i - 1);
			d->jf = (uint8_t)(nf - i - 1);
		}
	}
	if (!ok && orig) {
		memcpy(prog, orig, len * sizeof *orig);
		no = len;
	}
	free(p);
	free(o);
	free(incoming);
	free(newpos);
	free(orig);
	free(live);
	free(ub);
	return ok ? no : len;
}

static size_t rounds(struct sock_filter *prog, size_t len)
{
	size_t n;

	for (int round = 0; round < 8 && (n = shrink_once(prog, len, false)) < len; round++)
		len = n;
	return len;
}

/* Again while it helps (a chain rewritten to a `ja` is a trampoline for
 * the next round), then the x32 fold, kept if the result is shorter. */
size_t bpf_shrink(struct sock_filter *prog, size_t len)
{
	struct sock_filter *before;
	size_t n;

	len = rounds(prog, len);
	if (!(before = malloc(len * sizeof *before + 1)))
		return len;
	memcpy(before, prog, len * sizeof *before);
	n = shrink_once(prog, len, true);
	if (n < len)
		n = rounds(prog, n);
	if (n >= len) {
		memcpy(prog, before, len * sizeof *before);
		n = len;
	}
	free(before);
	return n;
}

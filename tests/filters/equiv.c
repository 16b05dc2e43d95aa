/* tests/filters/equiv.c — see equiv.h. */
#include "equiv.h"

#include <stdio.h>
#include <string.h>

#define WORDS 16		/* seccomp_data: 64 bytes */

struct space {
	uint32_t fm[WORDS], fv[WORDS];	/* fixed bits of each word, their values */
};

enum { DECIDED, SPLIT, UNKNOWN };

struct outcome {
	uint32_t ret;		/* DECIDED */
	int word, bit;		/* SPLIT: a free bit the next test depends on */
};

static int top_bit(uint32_t m)
{
	return 31 - __builtin_clz(m);
}

/* The outcome of comparing A = word & m with k over the set s: 1, 0, or
 * -1 with the bit to split on in *bit. */
static int test(uint16_t op, uint32_t k, const struct space *s, int w, uint32_t m, int *bit)
{
	uint32_t fm = s->fm[w], fv = s->fv[w] & fm, free = m & ~fm;
	uint32_t lo = fv & m, hi = (fv | ~fm) & m;

	switch (BPF_OP(op)) {
	case BPF_JEQ:
		if ((k & ~m) || ((fv ^ k) & m & fm))
			return 0;
		if (!free)
			return 1;
		*bit = top_bit(free);
		return -1;
	case BPF_JSET:
		if (fv & m & k)
			return 1;
		if (!(free & k))
			return 0;
		*bit = top_bit(free & k);
		return -1;
	case BPF_JGT:
		if (lo > k)
			return 1;
		if (hi <= k)
			return 0;
		break;
	case BPF_JGE:
		if (lo >= k)
			return 1;
		if (hi < k)
			return 0;
		break;
	}
	*bit = top_bit(free);	/* lo < hi: some bit of m is free */
	return -1;
}

static int run(const struct sock_filter *p, size_t n, const struct space *s,
	       struct outcome *o, char *why, size_t whylen)
{
	int w = -1;
	uint32_t m = 0;

	for (size_t pc = 0, steps = 0; pc < n && steps <= n; steps++) {
		const struct sock_filter *f = &p[pc];
		int t, bit = 0;

		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (f->k % 4 || f->k >= 4 * WORDS)
				goto odd;
			w = (int)(f->k / 4);
			m = 0xffffffffu;
			pc++;
			continue;
		case BPF_ALU | BPF_AND | BPF_K:
			if (w < 0)
				goto odd;
			m &= f->k;
			pc++;
			continue;
		case BPF_RET | BPF_K:
			o->ret = f->k;
			return DECIDED;
		case BPF_JMP | BPF_JA:
			pc += 1 + (size_t)f->k;
			continue;
		case BPF_JMP | BPF_JEQ | BPF_K:
		case BPF_JMP | BPF_JGT | BPF_K:
		case BPF_JMP | BPF_JGE | BPF_K:
		case BPF_JMP | BPF_JSET | BPF_K:
			if (w < 0)
				goto odd;
			if ((t = test(f->code, f->k, s, w, m, &bit)) < 0) {
				o->word = w;
				o->bit = bit;
				return SPLIT;
			}
			pc += 1 + (t ? f->jt : f->jf);
			continue;
		}
	odd:
		snprintf(why, whylen, "instruction %zu (code 0x%04x k 0x%x) is not understood",
			 pc, f->code, f->k);
		return UNKNOWN;
	}
	snprintf(why, whylen, "the program runs off its end or loops");
	return UNKNOWN;
}

struct walk {
	const struct sock_filter *a, *b;
	size_t na, nb, max;
	struct equiv_result *r;
	int failed;		/* 0 going on, 1 differ, -1 unknown */
};

static void explore(struct walk *wk, struct space *s)
{
	struct outcome oa, ob, *split = NULL;
	int ra, rb;
	uint32_t bit;

	if (wk->failed)
		return;
	ra = run(wk->a, wk->na, s, &oa, wk->r->why, sizeof wk->r->why);
	rb = ra == UNKNOWN ? UNKNOWN : run(wk->b, wk->nb, s, &ob, wk->r->why, sizeof wk->r->why);
	if (ra == UNKNOWN || rb == UNKNOWN) {
		wk->failed = -1;
		return;
	}
	split = ra == SPLIT ? &oa : rb == SPLIT ? &ob : NULL;
	if (!split) {
		if (++wk->r->leaves == wk->max) {
			snprintf(wk->r->why, sizeof wk->r->why, "more than %zu input sets", wk->max);
			wk->failed = -1;
			return;
		}
		if (oa.ret != ob.ret) {
			wk->failed = 1;
			wk->r->differ = true;
			wk->r->ret_a = oa.ret;
			wk->r->ret_b = ob.ret;
			for (int i = 0; i < WORDS; i++)
				wk->r->words[i] = s->fv[i] & s->fm[i];
		}
		return;
	}
	bit = 1u << split->bit;
	s->fm[split->word] |= bit;
	s->fv[split->word] &= ~bit;
	explore(wk, s);
	s->fv[split->word] |= bit;
	explore(wk, s);
	s->fm[split->word] &= ~bit;
	s->fv[split->word] &= ~bit;
}

int bpf_equiv(const struct sock_filter *a, size_t na, const struct sock_filter *b,
	      size_t nb, size_t max_leaves, struct equiv_result *r)
{
	struct walk wk = { a, b, na, nb, max_leaves, r, 0 };
	struct space s;

	memset(r, 0, sizeof *r);
	memset(&s, 0, sizeof s);
	explore(&wk, &s);
	return wk.failed < 0 ? -1 : wk.failed ? 0 : 1;
}

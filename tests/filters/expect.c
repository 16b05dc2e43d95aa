/* tests/filters/expect.c — see expect.h. */
#include "expect.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- syscall tables ---------------------------------------------------- */

int systable_add(struct systable *t, const char *name, int32_t nr)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 512;
		struct sysent *e = realloc(t->e, cap * sizeof *e);

		if (!e)
			return -1;
		t->e = e;
		t->cap = cap;
	}
	snprintf(t->e[t->n].name, sizeof t->e[t->n].name, "%s", name);
	t->e[t->n++].nr = nr;
	return 0;
}

int systable_load(struct systable *t, const struct abi *a, const char *path)
{
	FILE *f = fopen(path, "r");
	char name[64];
	long nr;
	int rc = 0;

	memset(t, 0, sizeof *t);
	t->abi = a;
	if (!f)
		return -1;
	while (rc == 0 && fscanf(f, "%63s %li", name, &nr) == 2)
		rc = systable_add(t, name, (int32_t)nr);
	fclose(f);
	return rc == 0 && t->n > 0 ? 0 : -1;
}

const char *systable_name(const struct systable *t, int32_t nr)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->e[i].nr == nr)
			return t->e[i].name;
	return NULL;
}

int32_t systable_nr(const struct systable *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->e[i].name, name))
			return t->e[i].nr;
	return -1;
}

void systable_free(struct systable *t)
{
	free(t->e);
	memset(t, 0, sizeof *t);
}

/* ---- verdicts ----------------------------------------------------------- */

static uint32_t ret_of(const struct policy_action *a)
{
	switch (a->kind) {
	case PACT_ERRNO: return SECCOMP_RET_ERRNO | ((uint32_t)a->err & SECCOMP_RET_DATA);
	case PACT_KILL: return SECCOMP_RET_KILL_PROCESS;
	default: return SECCOMP_RET_ALLOW;
	}
}

static int rank(enum policy_act k)	/* how much an action lets through */
{
	return k == PACT_ALLOW ? 2 : k == PACT_ERRNO ? 1 : 0;
}

/* The register holding the policy's argument i on this ABI. */
static unsigned reg(const struct abi *a, const char *sys, unsigned i)
{
	if (!strcmp(sys, "clone") && a->clone_flags_arg && i < 2)
		return 1 - i;
	return i;
}

static bool cond_holds(const struct abi *a, const char *sys, const struct policy_cond *c,
		       const uint64_t *args)
{
	uint32_t x = (uint32_t)args[reg(a, sys, c->arg)] & c->mask;
	bool in = false;

	for (size_t i = 0; i < c->nvalues; i++)
		in |= x == (c->values[i] & c->mask);
	return in != c->negate;
}

static bool named(const struct policy *p, const char *sys)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (!p->rules[i].unknown && !strcmp(p->rules[i].syscall, sys))
			return true;
	return false;
}

/* The rules of sys, checked on args. */
static uint32_t checked(const struct policy *p, const struct abi *a, const char *sys,
			const uint64_t *args)
{
	for (size_t i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];
		bool all = true;

		if (r->unknown || strcmp(r->syscall, sys))
			continue;
		for (size_t j = 0; j < r->nconds && all; j++)
			all = cond_holds(a, sys, &r->conds[j], args);
		if (all)
			return ret_of(&r->action);
	}
	return ret_of(&p->def);
}

/* The rules of sys when its arguments cannot be seen. */
static uint32_t unchecked(const struct policy *p, const char *sys, bool lenient)
{
	const struct policy_action *pick = &p->def;

	for (size_t i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];

		if (r->unknown || strcmp(r->syscall, sys))
			continue;
		if (r->nconds == 0)
			return ret_of(&r->action);
		if (lenient ? rank(r->action.kind) > rank(pick->kind)
			    : rank(r->action.kind) <= rank(pick->kind))
			pick = &r->action;
	}
	return ret_of(pick);
}

static const char *sub_call(const struct abi *a, const char *mux, uint64_t arg0, bool *sock)
{
	*sock = !strcmp(mux, "socketcall");
	if (*sock && a->socketcall >= 0)
		return abi_socketcall_name((uint32_t)arg0);
	if (!*sock && !strcmp(mux, "ipc") && a->ipc >= 0)
		return abi_ipc_name((uint32_t)arg0 & 0xffff);	/* high half: version */
	return NULL;
}

/* Does this ABI's glibc reach sys through a multiplexer? */
static bool libc_muxed(const struct abi *a, const char *sys)
{
	for (uint32_t i = 0; i < 32; i++) {
		if (a->libc_socketcall && abi_socketcall_name(i) && !strcmp(abi_socketcall_name(i), sys))
			return true;
		if (a->libc_ipc && abi_ipc_name(i) && !strcmp(abi_ipc_name(i), sys))
			return true;
	}
	return false;
}

static const struct systable *table_of(const struct expect *e, const struct abi *a)
{
	for (size_t i = 0; i < e->ntables; i++)
		if (e->tables[i].abi == a)
			return &e->tables[i];
	return NULL;
}

uint32_t expect_verdict(const struct expect *e, const struct bpf_case *c)
{
	const struct abi *a = abi_by_audit(c->arch, c->nr);
	const struct systable *t;
	const char *sys, *sub;
	bool own, sock;

	if (!a || !target_has(e->target, a) || !(t = table_of(e, a)))
		return SECCOMP_RET_KILL_PROCESS;
	if (!(sys = systable_name(t, c->nr)))
		return ret_of(&e->pol->def);
	own = !strcmp(a->name, e->target->self);
	if ((sub = sub_call(a, sys, c->args[0], &sock)) && named(e->pol, sub) &&
	    !named(e->pol, sys)) {
		bool lenient = own && (sock ? a->libc_socketcall : a->libc_ipc);
		return unchecked(e->pol, sub, lenient);
	}
	if (own && libc_muxed(a, sys))
		return unchecked(e->pol, sys, true);
	return checked(e->pol, a, sys, c->args);
}

/* ---- cases -------------------------------------------------------------- */

struct cases {
	struct bpf_case *c;
	size_t n, cap;
	uint64_t rng;
	bool oom;
};

static uint32_t rnd(struct cases *cs)
{
	cs->rng ^= cs->rng << 13;
	cs->rng ^= cs->rng >> 7;
	cs->rng ^= cs->rng << 17;
	return (uint32_t)(cs->rng >> 16);
}

static void add(struct cases *cs, const struct bpf_case *c)
{
	if (cs->n == cs->cap) {
		size_t cap = cs->cap ? 2 * cs->cap : 4096;
		struct bpf_case *m = realloc(cs->c, cap * sizeof *m);

		if (!m) {
			cs->oom = true;
			return;
		}
		cs->c = m;
		cs->cap = cap;
	}
	cs->c[cs->n++] = *c;
}

/* 32-bit ABIs pass 32-bit registers, zero-extended; 64-bit ones may
 * carry anything in the high half, which the kernel ignores for int
 * arguments. */
static uint64_t arg(struct cases *cs, const struct abi *a, uint32_t lo, int k)
{
	static const uint32_t high[] = { 0, 0xffffffff, 1, 0x80000000 };

	if (a->args32)
		return lo;
	return (uint64_t)(k < 4 ? high[k] : rnd(cs)) << 32 | lo;
}

static void random_args(struct cases *cs, const struct abi *a, struct bpf_case *c, int k)
{
	for (int i = 0; i < 6; i++)
		c->args[i] = k == 0 ? 0 : arg(cs, a, rnd(cs), k);
}

/* Values around each condition of the rules on sys, number nr. */
static void rule_cases(struct cases *cs, const struct expect *e, const struct abi *a,
		       const struct policy_rule *r, int32_t nr)
{
	struct bpf_case c = { .nr = nr, .arch = a->audit };

	for (size_t j = 0; j < r->nconds; j++) {
		const struct policy_cond *cd = &r->conds[j];
		unsigned at = reg(a, r->syscall, cd->arg);

		for (int k = 0; k < 40 + 34 * (int)cd->nvalues; k++) {
			uint32_t x, v = cd->values[(size_t)k % cd->nvalues] & cd->mask;
			int bit = k / (int)cd->nvalues;

			if (bit < 32)
				x = v ^ ((uint32_t)1 << bit);	/* one-bit neighbours */
			else if (bit == 32)
				x = v;
			else if (bit == 33)
				x = v | (~cd->mask & rnd(cs));	/* bits outside the mask */
			else
				x = k % 3 ? rnd(cs) : rnd(cs) >> (k % 32);
			random_args(cs, a, &c, k % 3);
			/* the other conditions hold half of the time */
			for (size_t o = 0; o < r->nconds && k % 2; o++)
				if (o != j && r->conds[o].arg != cd->arg && !r->conds[o].negate)
					c.args[reg(a, r->syscall, r->conds[o].arg)] =
						r->conds[o].values[0];
			c.args[at] = arg(cs, a, x, k % 5);
			add(cs, &c);
		}
	}
	(void)e;
}

static void mux_cases(struct cases *cs, const struct abi *a, int mux, bool sock)
{
	struct bpf_case c = { .nr = mux, .arch = a->audit };

	if (mux < 0)
		return;
	for (uint32_t call = 0; call < 32; call++)
		for (int k = 0; k < 6; k++) {
			random_args(cs, a, &c, k);
			c.args[0] = call;
			if (k >= 3)	/* ipc's version and 64-bit high halves */
				c.args[0] = sock ? arg(cs, a, call, k) : call | rnd(cs) << 16;
			add(cs, &c);
		}
}

static void abi_cases(struct cases *cs, const struct expect *e, const struct abi *a)
{
	const struct systable *t = table_of(e, a);
	int32_t max = 0;
	struct bpf_case c = { .arch = a->audit };

	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		if ((t->e[i].nr & ~(int32_t)a->nr_bit) > max)
			max = t->e[i].nr & ~(int32_t)a->nr_bit;
	/* every number up to past the last one, and some far away */
	for (int32_t n = 0; n <= max + 64; n++)
		for (int k = 0; k < 2; k++) {
			c.nr = n | (int32_t)a->nr_bit;
			random_args(cs, a, &c, k);
			add(cs, &c);
		}
	static const int32_t far[] = { 0x3fffffff, 0x7fffffff, -1, -2, 0x1000, 0xffff };
	for (size_t i = 0; i < sizeof far / sizeof *far; i++) {
		c.nr = far[i] | (far[i] >= 0 ? (int32_t)a->nr_bit : 0);
		random_args(cs, a, &c, 1);
		add(cs, &c);
	}
	for (size_t i = 0; i < e->pol->nrules; i++) {
		const struct policy_rule *r = &e->pol->rules[i];
		int32_t nr = systable_nr(t, r->syscall);

		if (!r->unknown && nr >= 0)
			rule_cases(cs, e, a, r, nr);
	}
	mux_cases(cs, a, a->socketcall, true);
	mux_cases(cs, a, a->ipc, false);
}

static void foreign_cases(struct cases *cs, const struct expect *e)
{
	for (const uint32_t *au = abi_all_audit; *au; au++) {
		struct bpf_case c = { .arch = *au };
		const struct abi *a = abi_by_audit(*au, 0);
		bool mine = a && target_has(e->target, a);

		for (int k = 0; k < 64 && !mine; k++) {
			c.nr = k < 32 ? k : (int32_t)(rnd(cs) % 1024);
			random_args(cs, abi_find("x86_64"), &c, k % 3);
			add(cs, &c);
		}
	}
}

struct bpf_case *expect_cases(const struct expect *e, const struct abi *a, size_t *n)
{
	struct cases cs = { .rng = 0x9e3779b97f4a7c15ull };

	if (a)
		abi_cases(&cs, e, a);
	else
		foreign_cases(&cs, e);
	if (cs.oom) {
		free(cs.c);
		return NULL;
	}
	*n = cs.n;
	return cs.c;
}

/* libFuzzer target: the seccomp policy language (seccomp/policy.c) and its
 * lowering (seccomp/expand.c).  Invariants: no crash, no leak; an error
 * names FILE:LINE:COL; every accepted rule prints back to text that
 * parses to the same rule; the lowered compares match exactly the values
 * the conditions describe.  (Compiling is left to the unit tests:
 * libseccomp 2.5.4 itself leaks on some socketcall rewrites, which would
 * drown this target's own leak checks.) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seccomp/expand.h"
#include "seccomp/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int load(void *ctx, const char *from, const char *name, bool builtin, char **path,
		char **text, size_t *len, char *err, size_t errlen)
{
	/* "<self>" includes the input itself: cycles, depth limits */
	const char *t = builtin && !strcmp(name, "self") ? ctx :
			builtin ? "unshare\nclone3 errno ENOSYS\n" : "mount\n";

	if (!strcmp(name, "missing")) {
		snprintf(err, errlen, "no such file");
		return -1;
	}
	*path = strdup(name);
	*text = strdup(t);
	*len = strlen(t);
	return 0;
}

static bool known(void *ctx, const char *name)
{
	return strncmp(name, "nosuch", 6) != 0;
}

static void same_rule(const struct policy_rule *a, const struct policy_rule *b)
{
	if (strcmp(a->syscall, b->syscall) || a->optional != b->optional ||
	    a->action.kind != b->action.kind || a->action.err != b->action.err ||
	    a->nconds != b->nconds)
		abort();
	for (size_t i = 0; i < a->nconds; i++) {
		const struct policy_cond *x = &a->conds[i], *y = &b->conds[i];
		if (x->arg != y->arg || x->mask != y->mask || x->negate != y->negate ||
		    x->nvalues != y->nvalues || memcmp(x->values, y->values, x->nvalues * 4))
			abort();
	}
}

static void round_trip(const struct policy *p, const struct policy_rule *r,
		       const struct policy_source *src)
{
	char text[1024], rule[768], act[48], err[512];
	struct policy q;

	snprintf(text, sizeof text, "@default %s\n%s\n",
		 policy_format_action(&p->def, act, sizeof act),
		 policy_format_rule(r, rule, sizeof rule));
	if (policy_parse("rt", text, strlen(text), src, &q, err, sizeof err) < 0 || q.nrules != 1)
		abort();
	same_rule(r, &q.rules[0]);
	policy_free(&q);
}

static bool holds(const struct policy_cond *c, uint32_t x)
{
	bool in = false;

	for (size_t i = 0; i < c->nvalues; i++)
		in |= (x & c->mask) == (c->values[i] & c->mask);
	return in != c->negate;
}

/* The alternatives must accept exactly the argument values the rule's
 * conditions accept: probe the values the rule names, flipped bits and
 * a few others. */
static void check_expand(const struct policy_rule *r)
{
	struct expanded_rule *e;
	size_t n;
	char err[256];

	if (policy_expand(r, &e, &n, err, sizeof err) < 0)
		return;
	for (size_t c = 0; c < r->nconds; c++)
		for (size_t v = 0; v < r->conds[c].nvalues; v++)
			for (int b = -1; b < 32; b++) {
				uint32_t x = r->conds[c].values[v] ^ (b < 0 ? 0 : 1u << b);
				unsigned arg = r->conds[c].arg;
				bool want = true, got = false;

				/* all conditions on this argument, others taken as met */
				for (size_t k = 0; k < r->nconds; k++)
					if (r->conds[k].arg == arg)
						want &= holds(&r->conds[k], x);
				for (size_t i = 0; i < n && !got; i++) {
					bool ok = true;
					for (size_t j = 0; j < e[i].ncmp; j++)
						if (e[i].cmp[j].arg == arg)
							ok &= (x & e[i].cmp[j].mask) == e[i].cmp[j].value;
					got = ok;
				}
				if (got != want)
					abort();
			}
	free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[512];
	struct policy_source src = { load, known, NULL };
	struct policy p;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	src.ctx = text;
	if (policy_parse("f", text, size, &src, &p, err, sizeof err) < 0) {
		if (!strchr(err, ':'))
			abort();
		free(text);
		return 0;
	}
	for (size_t i = 0; i < p.nrules; i++) {
		round_trip(&p, &p.rules[i], &src);
		check_expand(&p.rules[i]);
	}
	policy_free(&p);
	free(text);
	return 0;
}

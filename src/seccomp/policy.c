/* seccomp/policy.c — see seccomp/policy.h and appuser-policy(5).
 *
 * Line by line: the lexer (seccomp/policy_lex.c) turns one line into
 * tokens, the recursive descent parser here turns tokens into a rule or a
 * directive.  Checks that
 * need the whole policy (one action per syscall, no rule repeating the
 * default action) run at the end. */
#include "seccomp/policy.h"
#include "seccomp/policy_lex.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEFINES 1024

struct policy_define {
	char name[POLICY_MAX_NAME];
	uint32_t value;
};

/* ---- values -------------------------------------------------------- */

static const struct policy_define *find_define(const struct policy *p, const char *name)
{
	for (size_t i = 0; i < p->ndefines; i++)
		if (!strcmp(p->defines[i].name, name))
			return &p->defines[i];
	return NULL;
}

static int parse_number(struct parser *ps, const struct token *t, bool neg, uint32_t *out)
{
	char buf[32], *end;
	unsigned long long v;

	if (t->n >= sizeof buf)
		return lex_fail(ps, t->col, "number too long");
	lex_copy(t, buf, sizeof buf);
	errno = 0;
	v = strtoull(buf, &end, 0);
	if (errno || *end || (buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X') && !buf[2]))
		return lex_fail(ps, t->col, "'%s' is not a number (decimal, 0x hex or 0 octal)", buf);
	if (v > (neg ? 0x80000000ull : 0xffffffffull))
		return lex_fail(ps, t->col, "%s%s does not fit in 32 bits (arguments are compared "
			    "on their low 32 bits)", neg ? "-" : "", buf);
	*out = neg ? (uint32_t)-(int64_t)v : (uint32_t)v;
	return 0;
}

static int parse_term(struct parser *ps, uint32_t *out)
{
	const struct token *t = lex_next(ps);
	char name[POLICY_MAX_NAME], d[48];
	const struct policy_define *def;

	if (lex_is(t, "-")) {
		t = lex_next(ps);
		if (t->kind != T_NUM)
			return lex_fail(ps, t->col, "expected a number after '-', not %s",
				    lex_desc(t, d, sizeof d));
		return parse_number(ps, t, true, out);
	}
	if (t->kind == T_NUM)
		return parse_number(ps, t, false, out);
	if (t->kind != T_IDENT)
		return lex_fail(ps, t->col, "expected a value, not %s", lex_desc(t, d, sizeof d));
	if (t->n >= sizeof name)
		return lex_fail(ps, t->col, "name too long");
	lex_copy(t, name, sizeof name);
	if ((def = find_define(ps->p, name))) {
		*out = def->value;
		return 0;
	}
	if (!policy_constant(name, out))
		return lex_fail(ps, t->col, "unknown constant '%s' (see appuser-policy(5), or "
			    "@define it)", name);
	return 0;
}

/* VALUE: terms joined with '|'. */
static int parse_value(struct parser *ps, uint32_t *out)
{
	uint32_t v;

	if (parse_term(ps, out) < 0)
		return -1;
	while (lex_take(ps, "|")) {
		if (parse_term(ps, &v) < 0)
			return -1;
		*out |= v;
	}
	return 0;
}

static int add_value(struct parser *ps, struct policy_cond *c, unsigned col, uint32_t v)
{
	if (c->nvalues == POLICY_MAX_VALUES)
		return lex_fail(ps, col, "more than %d values in one set", POLICY_MAX_VALUES);
	if (v & ~c->mask)
		return lex_fail(ps, col, "value 0x%x has bits outside the mask 0x%x: "
			    "the comparison could never hold", v, c->mask);
	c->values[c->nvalues++] = v;
	return 0;
}

/* "{ VALUE, VALUE ... }" */
static int parse_set(struct parser *ps, struct policy_cond *c)
{
	char d[48];
	uint32_t v;

	if (!lex_take(ps, "{"))
		return lex_fail(ps, lex_peek(ps)->col, "expected '{' after 'in', not %s",
			    lex_desc(lex_peek(ps), d, sizeof d));
	if (lex_is(lex_peek(ps), "}"))
		return lex_fail(ps, lex_peek(ps)->col, "empty set");
	do {
		unsigned col = lex_peek(ps)->col;

		if (lex_is(lex_peek(ps), "}"))
			break;		/* a trailing comma */
		if (parse_value(ps, &v) < 0 || add_value(ps, c, col, v) < 0)
			return -1;
	} while (lex_take(ps, ","));
	if (!lex_take(ps, "}"))
		return lex_fail(ps, lex_peek(ps)->col, "expected ',' or '}' in the set, not %s",
			    lex_desc(lex_peek(ps), d, sizeof d));
	return 0;
}

/* ---- rules ----------------------------------------------------------- */

static bool is_arg_token(const struct token *t)
{
	if (t->kind != T_IDENT || t->n < 4 || memcmp(t->s, "arg", 3))
		return false;
	for (size_t i = 3; i < t->n; i++)
		if (t->s[i] < '0' || t->s[i] > '9')
			return false;
	return true;
}

static int parse_op(struct parser *ps, struct policy_cond *c)
{
	const struct token *t = lex_peek(ps);
	char d[48];
	uint32_t v;

	if (lex_take(ps, "==") || lex_take(ps, "!=")) {
		c->negate = lex_is(t, "!=");
		t = lex_peek(ps);
		return parse_value(ps, &v) < 0 ? -1 : add_value(ps, c, t->col, v);
	}
	if (lex_take(ps, "not")) {
		c->negate = true;
		if (!lex_take(ps, "in"))
			return lex_fail(ps, lex_peek(ps)->col, "expected 'in' after 'not', not %s",
				    lex_desc(lex_peek(ps), d, sizeof d));
		return parse_set(ps, c);
	}
	if (lex_take(ps, "in"))
		return parse_set(ps, c);
	return lex_fail(ps, t->col, "expected '==', '!=', 'in' or 'not in', not %s",
		    lex_desc(t, d, sizeof d));
}

/* argN [& MASK] (== VALUE | != VALUE | in SET | not in SET) */
static int parse_cond(struct parser *ps, struct policy_cond *c)
{
	const struct token *t = lex_next(ps);
	unsigned col;

	memset(c, 0, sizeof *c);
	if (t->n != 4 || t->s[3] > '5')
		return lex_fail(ps, t->col + 3, "argument index must be 0 to 5");
	c->arg = (unsigned)(t->s[3] - '0');
	c->mask = 0xffffffff;
	if (lex_take(ps, "&")) {
		col = lex_peek(ps)->col;
		if (parse_value(ps, &c->mask) < 0)
			return -1;
		if (!c->mask)
			return lex_fail(ps, col, "mask 0 makes the comparison always true");
	}
	return parse_op(ps, c);
}

static int parse_errno(struct parser *ps, struct policy_action *a)
{
	const struct token *t = lex_next(ps);
	char name[32], d[48];
	uint32_t v;

	*a = (struct policy_action){ PACT_ERRNO, 0 };
	if (t->kind == T_NUM) {
		if (parse_number(ps, t, false, &v) < 0)
			return -1;
		if (v < 1 || v > 4095)
			return lex_fail(ps, t->col, "errno must be 1 to 4095");
		a->err = (int)v;
		return 0;
	}
	if (t->kind != T_IDENT || t->n >= sizeof name)
		return lex_fail(ps, t->col, "expected an errno name or number after 'errno', not %s",
			    lex_desc(t, d, sizeof d));
	lex_copy(t, name, sizeof name);
	if ((a->err = policy_errno_value(name)) < 0)
		return lex_fail(ps, t->col, "unknown errno name '%s'", name);
	return 0;
}

static int parse_action(struct parser *ps, struct policy_action *a)
{
	const struct token *t = lex_next(ps);
	char d[48];

	if (lex_is(t, "kill"))
		*a = (struct policy_action){ PACT_KILL, 0 };
	else if (lex_is(t, "allow"))
		*a = (struct policy_action){ PACT_ALLOW, 0 };
	else if (lex_is(t, "errno"))
		return parse_errno(ps, a);
	else
		return lex_fail(ps, t->col, "expected a condition (arg0..arg5), an action (errno, "
			    "kill, allow) or the end of the line, not %s", lex_desc(t, d, sizeof d));
	return 0;
}

static int expect_end(struct parser *ps, const char *after)
{
	char d[48];

	if (lex_peek(ps)->kind != T_END)
		return lex_fail(ps, lex_peek(ps)->col, "unexpected %s after %s",
			    lex_desc(lex_peek(ps), d, sizeof d), after);
	return 0;
}

static struct policy_rule *new_rule(struct parser *ps, unsigned col)
{
	struct policy *p = ps->p;

	if (p->nrules == POLICY_MAX_RULES) {
		lex_fail(ps, col, "more than %d rules", POLICY_MAX_RULES);
		return NULL;
	}
	if (p->nrules == p->caprules) {
		size_t n = p->caprules ? p->caprules * 2 : 64;
		struct policy_rule *r = realloc(p->rules, n * sizeof *r);
		if (!r) {
			lex_fail(ps, col, "out of memory");
			return NULL;
		}
		p->rules = r;
		p->caprules = n;
	}
	memset(&p->rules[p->nrules], 0, sizeof *p->rules);
	return &p->rules[p->nrules];
}

static int parse_syscall(struct parser *ps, struct policy_rule *r)
{
	const struct token *t = lex_next(ps);
	char d[48];

	r->pos = (struct policy_pos){ ps->file, ps->line, t->col };
	if (t->kind != T_IDENT)
		return lex_fail(ps, t->col, "expected a syscall name, not %s", lex_desc(t, d, sizeof d));
	if (t->n >= sizeof r->syscall)
		return lex_fail(ps, t->col, "syscall name too long");
	lex_copy(t, r->syscall, sizeof r->syscall);
	if (ps->src && ps->src->known && !ps->src->known(ps->src->ctx, r->syscall)) {
		if (!r->optional)
			return lex_fail(ps, t->col, "unknown syscall '%s' (write '?%s' if older "
				    "kernels or libseccomp lack it)", r->syscall, r->syscall);
		r->unknown = true;
	}
	return 0;
}

/* [?]SYSCALL [COND [&& COND]...] [ACTION] */
static int parse_rule(struct parser *ps)
{
	struct policy_rule *r = new_rule(ps, lex_peek(ps)->col);

	if (!r)
		return -1;
	r->optional = lex_take(ps, "?");
	r->action = (struct policy_action){ PACT_ERRNO, EPERM };
	if (parse_syscall(ps, r) < 0)
		return -1;
	if (is_arg_token(lex_peek(ps))) {
		do {
			if (r->nconds == POLICY_MAX_CONDS)
				return lex_fail(ps, lex_peek(ps)->col, "more than %d conditions in one rule",
					    POLICY_MAX_CONDS);
			if (!is_arg_token(lex_peek(ps)))
				return lex_fail(ps, lex_peek(ps)->col, "expected a condition (arg0..arg5) "
					    "after '&&'");
			if (parse_cond(ps, &r->conds[r->nconds++]) < 0)
				return -1;
		} while (lex_take(ps, "&&"));
	}
	if (lex_peek(ps)->kind != T_END && parse_action(ps, &r->action) < 0)
		return -1;
	if (expect_end(ps, "the rule") < 0)
		return -1;
	ps->p->nrules++;
	return 0;
}

/* ---- directives ---------------------------------------------------- */

static int parse_text(struct parser *ps, const char *path, const char *text, size_t len);

static bool is_keyword(const char *s)
{
	static const char *const kw[] = { "in", "not", "errno", "kill", "allow" };

	for (size_t i = 0; i < sizeof kw / sizeof *kw; i++)
		if (!strcmp(s, kw[i]))
			return true;
	return !strncmp(s, "arg", 3) && s[3] >= '0' && s[3] <= '9';
}

static int parse_define(struct parser *ps)
{
	const struct token *t = lex_next(ps);
	struct policy *p = ps->p;
	struct policy_define *d;
	char name[POLICY_MAX_NAME];
	uint32_t v;

	if (t->kind != T_IDENT)
		return lex_fail(ps, t->col, "@define: expected a NAME and a VALUE");
	if (t->n >= sizeof name)
		return lex_fail(ps, t->col, "@define: name too long");
	lex_copy(t, name, sizeof name);
	if (is_keyword(name) || policy_constant(name, &v) || find_define(p, name))
		return lex_fail(ps, t->col, "@define: '%s' is already a keyword or a constant", name);
	if (lex_peek(ps)->kind == T_END)
		return lex_fail(ps, lex_peek(ps)->col, "@define: expected a VALUE after '%s'", name);
	if (parse_value(ps, &v) < 0 || expect_end(ps, "@define") < 0)
		return -1;
	if (p->ndefines == MAX_DEFINES)
		return lex_fail(ps, t->col, "@define: more than %d names", MAX_DEFINES);
	d = realloc(p->defines, (p->ndefines + 1) * sizeof *d);
	if (!d)
		return lex_fail(ps, t->col, "out of memory");
	p->defines = d;
	snprintf(d[p->ndefines].name, sizeof d->name, "%s", name);
	d[p->ndefines++].value = v;
	return 0;
}

static int parse_default(struct parser *ps, unsigned col)
{
	struct policy *p = ps->p;

	if (p->have_def)
		return lex_fail(ps, col, "@default given twice (first at %s:%u)", p->def_pos.file,
			    p->def_pos.line);
	if (lex_peek(ps)->kind == T_END)
		return lex_fail(ps, lex_peek(ps)->col, "@default: expected an action (errno, kill, allow)");
	if (parse_action(ps, &p->def) < 0 || expect_end(ps, "@default") < 0)
		return -1;
	p->have_def = true;
	p->def_pos = (struct policy_pos){ ps->file, ps->line, col };
	return 0;
}

static int add_file(struct parser *ps, char *path, unsigned col)
{
	char **f = realloc(ps->p->files, (ps->p->nfiles + 1) * sizeof *f);

	if (!f) {
		free(path);
		return lex_fail(ps, col, "out of memory");
	}
	ps->p->files = f;
	f[ps->p->nfiles++] = path;
	return 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The name after @include: "<profile>" or a path, up to a blank or '#'. */
static int include_name(struct parser *ps, size_t *i, char *name, size_t len, bool *builtin)
{
	const char *s = ps->text;
	size_t start, end;

	while (*i < ps->len && is_blank(s[*i]))
		(*i)++;
	*builtin = *i < ps->len && s[*i] == '<';
	start = *i + *builtin;
	for (end = start; end < ps->len && !is_blank(s[end]) && s[end] != '#' && s[end] != '>';
	     end++)
		;
	if (end == start)
		return lex_fail(ps, (unsigned)*i + 1, "@include: expected a file name or <profile>");
	if (*builtin && (end == ps->len || s[end] != '>'))
		return lex_fail(ps, (unsigned)end + 1, "@include: expected '>'");
	if (!*builtin && end < ps->len && s[end] == '>')
		return lex_fail(ps, (unsigned)end + 1, "@include: unexpected '>'");
	if (end - start >= len)
		return lex_fail(ps, (unsigned)start + 1, "@include: name too long");
	memcpy(name, s + start, end - start);
	name[end - start] = '\0';
	*i = end + *builtin;
	return 0;
}

static int parse_include(struct parser *ps, const struct token *dir)
{
	size_t i = (size_t)(dir->s - ps->text) + dir->n, len;
	char name[256], *path = NULL, *text = NULL, why[256];
	const char *file = ps->file;
	unsigned line = ps->line;
	bool builtin;
	int rc;

	if (include_name(ps, &i, name, sizeof name, &builtin) < 0)
		return -1;
	while (i < ps->len && is_blank(ps->text[i]))
		i++;
	if (i < ps->len && ps->text[i] != '#')
		return lex_fail(ps, (unsigned)i + 1, "unexpected text after the @include name");
	if (ps->depth >= POLICY_MAX_DEPTH)
		return lex_fail(ps, dir->col, "@include nested deeper than %d (a cycle?)",
			    POLICY_MAX_DEPTH);
	if (!ps->src || !ps->src->load)
		return lex_fail(ps, dir->col, "@include is not available here");
	if (ps->src->load(ps->src->ctx, file, name, builtin, &path, &text, &len, why,
			  sizeof why) < 0)
		return lex_fail(ps, dir->col, "@include %s%s%s: %s", builtin ? "<" : "", name,
			    builtin ? ">" : "", why);
	if (add_file(ps, path, dir->col) < 0) {
		free(text);
		return -1;
	}
	ps->depth++;
	rc = parse_text(ps, path, text, len);
	ps->depth--;
	free(text);
	ps->file = file;
	ps->line = line;
	return rc;
}

static int parse_directive(struct parser *ps)
{
	const struct token *t = lex_next(ps);
	char d[48];

	if (lex_is(t, "@include"))
		return parse_include(ps, t);
	if (lex_is(t, "@define"))
		return parse_define(ps);
	if (lex_is(t, "@default"))
		return parse_default(ps, t->col);
	return lex_fail(ps, t->col, "unknown directive %s (@include, @define, @default)",
		    lex_desc(t, d, sizeof d));
}

static int parse_line(struct parser *ps)
{
	if (lex_line(ps) < 0)
		return -1;
	if (lex_peek(ps)->kind == T_END)
		return 0;
	if (lex_peek(ps)->kind == T_DIRECTIVE)
		return parse_directive(ps);
	return parse_rule(ps);
}

static int parse_text(struct parser *ps, const char *path, const char *text, size_t len)
{
	size_t off = 0;

	ps->file = path;
	ps->line = 0;
	if (len > POLICY_MAX_TEXT)
		return lex_fail(ps, 1, "file larger than %u bytes", POLICY_MAX_TEXT);
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (text + off)) : len - off;
		const char *nul = memchr(text + off, '\0', n);

		ps->line++;
		ps->text = text + off;
		ps->len = n;
		if (nul)
			return lex_fail(ps, (unsigned)(nul - ps->text) + 1, "NUL byte");
		if (n > POLICY_MAX_LINE)
			return lex_fail(ps, POLICY_MAX_LINE + 1, "line longer than %d bytes",
				    POLICY_MAX_LINE);
		if (parse_line(ps) < 0)
			return -1;
		off += n + 1;
	}
	return 0;
}

/* ---- whole-policy checks -------------------------------------------- */

static bool same_action(const struct policy_action *a, const struct policy_action *b)
{
	return a->kind == b->kind && (a->kind != PACT_ERRNO || a->err == b->err);
}

/* libseccomp lets an unconditional rule silently override conditional
 * rules with other actions, and leaves overlapping conditional rules with
 * different actions to its tree order; one action per syscall keeps the
 * result what the text says. */
static int check_rules(const struct policy *p, char *err, size_t errlen)
{
	char a[48], b[48];

	for (size_t i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];

		if (same_action(&r->action, &p->def)) {
			snprintf(err, errlen, "%s:%u:%u: '%s' would %s, which is already the default "
				 "action", r->pos.file, r->pos.line, r->pos.col, r->syscall,
				 policy_format_action(&r->action, a, sizeof a));
			return -1;
		}
		for (size_t j = 0; j < i; j++) {
			const struct policy_rule *q = &p->rules[j];

			if (strcmp(q->syscall, r->syscall) || same_action(&q->action, &r->action))
				continue;
			snprintf(err, errlen, "%s:%u:%u: '%s' already has the action '%s' (%s:%u); "
				 "one action per syscall, not '%s'", r->pos.file, r->pos.line,
				 r->pos.col, r->syscall, policy_format_action(&q->action, a, sizeof a),
				 q->pos.file, q->pos.line, policy_format_action(&r->action, b, sizeof b));
			return -1;
		}
	}
	return 0;
}

int policy_parse(const char *path, const char *text, size_t len,
		 const struct policy_source *src, struct policy *out, char *err, size_t errlen)
{
	struct parser ps = { .p = out, .src = src, .err = err, .errlen = errlen };
	char *name = strdup(path);

	memset(out, 0, sizeof *out);
	out->def = (struct policy_action){ PACT_ALLOW, 0 };
	if (!name) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	ps.file = name;
	if (add_file(&ps, name, 1) < 0 || parse_text(&ps, name, text, len) < 0 ||
	    check_rules(out, err, errlen) < 0) {
		policy_free(out);
		return -1;
	}
	return 0;
}

void policy_free(struct policy *p)
{
	for (size_t i = 0; i < p->nfiles; i++)
		free(p->files[i]);
	free(p->files);
	free(p->rules);
	free(p->defines);
	memset(p, 0, sizeof *p);
}


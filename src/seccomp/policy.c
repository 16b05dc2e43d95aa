/* seccomp/policy.c — see seccomp/policy.h and appuser-policy(5).
 *
 * Line by line: a small lexer turns one line into tokens, a recursive
 * descent parser turns tokens into a rule or a directive.  Checks that
 * need the whole policy (one action per syscall, no rule repeating the
 * default action) run at the end. */
#include "seccomp/policy.h"

#include <errno.h>
#include <linux/sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/socket.h>

#define MAX_TOKENS 128
#define MAX_DEFINES 1024

struct policy_define {
	char name[POLICY_MAX_NAME];
	uint32_t value;
};

/* ---- named constants ------------------------------------------------ */

#define C(x) { #x, (uint32_t)(x) }
static const struct { const char *name; uint32_t value; } constants[] = {
	/* ioctl requests that inject input or reach the console */
	C(TIOCSTI), C(TIOCLINUX), C(TIOCCONS), C(TIOCSETD),
	/* socket families and types */
	C(AF_UNSPEC), C(AF_UNIX), C(AF_LOCAL), C(AF_INET), C(AF_INET6), C(AF_NETLINK),
	C(AF_PACKET), C(AF_KEY), C(AF_BLUETOOTH), C(AF_ALG), C(AF_VSOCK), C(AF_XDP),
	C(AF_CAN), C(AF_TIPC), C(AF_RDS), C(AF_APPLETALK), C(AF_X25), C(AF_AX25),
	C(AF_IPX), C(AF_NFC), C(AF_KCM), C(AF_QIPCRTR), C(AF_SMC),
	C(SOCK_STREAM), C(SOCK_DGRAM), C(SOCK_RAW), C(SOCK_RDM), C(SOCK_SEQPACKET),
	C(SOCK_PACKET), C(SOCK_NONBLOCK), C(SOCK_CLOEXEC),
	{ "SOCK_TYPE_MASK", 0xf },
	/* clone/unshare flags */
	C(CLONE_VM), C(CLONE_FS), C(CLONE_FILES), C(CLONE_SIGHAND), C(CLONE_PIDFD),
	C(CLONE_PTRACE), C(CLONE_VFORK), C(CLONE_PARENT), C(CLONE_THREAD),
	C(CLONE_NEWNS), C(CLONE_SYSVSEM), C(CLONE_SETTLS), C(CLONE_PARENT_SETTID),
	C(CLONE_CHILD_CLEARTID), C(CLONE_UNTRACED), C(CLONE_CHILD_SETTID),
	C(CLONE_NEWCGROUP), C(CLONE_NEWUTS), C(CLONE_NEWIPC), C(CLONE_NEWUSER),
	C(CLONE_NEWPID), C(CLONE_NEWNET), C(CLONE_IO), C(CLONE_NEWTIME),
	/* personality(2) */
	C(PER_LINUX), C(PER_LINUX32), C(PER_BSD), C(PER_SVR4), C(UNAME26),
	C(ADDR_NO_RANDOMIZE), C(FDPIC_FUNCPTRS), C(MMAP_PAGE_ZERO), C(ADDR_COMPAT_LAYOUT),
	C(READ_IMPLIES_EXEC), C(ADDR_LIMIT_32BIT), C(SHORT_INODE), C(WHOLE_SECONDS),
	C(STICKY_TIMEOUTS), C(ADDR_LIMIT_3GB),
	{ "PER_QUERY", 0xffffffff },
};
#undef C

bool policy_constant(const char *name, uint32_t *value)
{
	for (size_t i = 0; i < sizeof constants / sizeof *constants; i++)
		if (!strcmp(constants[i].name, name)) {
			*value = constants[i].value;
			return true;
		}
	return false;
}

int policy_errno_value(const char *name)
{
	for (int e = 1; e < 4096; e++) {
		const char *n = strerrorname_np(e);
		if (n && !strcmp(n, name))
			return e;
	}
	return -1;
}

/* ---- lexer ------------------------------------------------------------- */

enum tok_kind { T_END, T_IDENT, T_NUM, T_PUNCT, T_DIRECTIVE };

struct token {
	enum tok_kind kind;
	const char *s;
	size_t n;
	unsigned col;
};

struct parser {
	struct policy *p;
	const struct policy_source *src;
	const char *file;		/* current file, owned by p->files */
	unsigned line;
	const char *text;		/* current line */
	size_t len;
	struct token tok[MAX_TOKENS];
	size_t ntok, at;
	int depth;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 3, 4)))
static int fail(struct parser *ps, unsigned col, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(ps->err, ps->errlen, "%s:%u:%u: ", ps->file, ps->line, col);

	if (n < 0 || (size_t)n >= ps->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static bool is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident_char(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static size_t punct_len(const char *s, size_t left)
{
	static const char *const two[] = { "==", "!=", "&&" };

	for (size_t i = 0; i < sizeof two / sizeof *two; i++)
		if (left >= 2 && s[0] == two[i][0] && s[1] == two[i][1])
			return 2;
	return strchr("&|{},-?", s[0]) ? 1 : 0;
}

static int lex_one(struct parser *ps, size_t *i, struct token *t)
{
	const char *s = ps->text;
	size_t j = *i, n;

	t->s = s + j;
	t->col = (unsigned)j + 1;
	if (s[j] == '@' || is_ident_start(s[j])) {
		t->kind = s[j] == '@' ? T_DIRECTIVE : T_IDENT;
		for (j++; j < ps->len && is_ident_char(s[j]); j++)
			;
	} else if (s[j] >= '0' && s[j] <= '9') {
		t->kind = T_NUM;
		for (j++; j < ps->len && is_ident_char(s[j]); j++)
			;
	} else if ((n = punct_len(s + j, ps->len - j))) {
		t->kind = T_PUNCT;
		j += n;
	} else if ((unsigned char)s[j] >= 0x21 && (unsigned char)s[j] < 0x7f) {
		return fail(ps, t->col, "unexpected character '%c'", s[j]);
	} else {
		return fail(ps, t->col, "unexpected byte 0x%02x", (unsigned char)s[j]);
	}
	t->n = j - *i;
	*i = j;
	return 0;
}

/* Tokens up to a '#' comment.  "@include" stops the lexer: its argument
 * is a file name, read raw by parse_include. */
static int lex_line(struct parser *ps)
{
	size_t i = 0;

	ps->ntok = ps->at = 0;
	while (i < ps->len) {
		struct token *t;

		if (ps->text[i] == ' ' || ps->text[i] == '\t' || ps->text[i] == '\r') {
			i++;
			continue;
		}
		if (ps->text[i] == '#')
			break;
		if (ps->ntok == MAX_TOKENS - 1)
			return fail(ps, (unsigned)i + 1, "too many tokens on one line");
		t = &ps->tok[ps->ntok];
		if (lex_one(ps, &i, t) < 0)
			return -1;
		ps->ntok++;
		if (t->kind == T_DIRECTIVE && t->n == 8 && !memcmp(t->s, "@include", 8))
			break;
	}
	ps->tok[ps->ntok] = (struct token){ T_END, ps->text + i, 0, (unsigned)i + 1 };
	return 0;
}

static const struct token *peek(const struct parser *ps)
{
	return &ps->tok[ps->at];
}

static const struct token *next(struct parser *ps)
{
	const struct token *t = &ps->tok[ps->at];

	if (t->kind != T_END)
		ps->at++;
	return t;
}

static bool tok_is(const struct token *t, const char *s)
{
	return (t->kind == T_IDENT || t->kind == T_PUNCT || t->kind == T_DIRECTIVE) &&
	       strlen(s) == t->n && !memcmp(t->s, s, t->n);
}

static bool take(struct parser *ps, const char *s)
{
	if (!tok_is(peek(ps), s))
		return false;
	next(ps);
	return true;
}

static void tok_copy(const struct token *t, char *buf, size_t len)
{
	size_t n = t->n < len - 1 ? t->n : len - 1;

	memcpy(buf, t->s, n);
	buf[n] = '\0';
}

static const char *tok_desc(const struct token *t, char *buf, size_t len)
{
	char s[40];

	if (t->kind == T_END)
		return "the end of the line";
	tok_copy(t, s, sizeof s);
	snprintf(buf, len, "'%s'", s);
	return buf;
}

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
		return fail(ps, t->col, "number too long");
	tok_copy(t, buf, sizeof buf);
	errno = 0;
	v = strtoull(buf, &end, 0);
	if (errno || *end || (buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X') && !buf[2]))
		return fail(ps, t->col, "'%s' is not a number (decimal, 0x hex or 0 octal)", buf);
	if (v > (neg ? 0x80000000ull : 0xffffffffull))
		return fail(ps, t->col, "%s%s does not fit in 32 bits (arguments are compared "
			    "on their low 32 bits)", neg ? "-" : "", buf);
	*out = neg ? (uint32_t)-(int64_t)v : (uint32_t)v;
	return 0;
}

static int parse_term(struct parser *ps, uint32_t *out)
{
	const struct token *t = next(ps);
	char name[POLICY_MAX_NAME], d[48];
	const struct policy_define *def;

	if (tok_is(t, "-")) {
		t = next(ps);
		if (t->kind != T_NUM)
			return fail(ps, t->col, "expected a number after '-', not %s",
				    tok_desc(t, d, sizeof d));
		return parse_number(ps, t, true, out);
	}
	if (t->kind == T_NUM)
		return parse_number(ps, t, false, out);
	if (t->kind != T_IDENT)
		return fail(ps, t->col, "expected a value, not %s", tok_desc(t, d, sizeof d));
	if (t->n >= sizeof name)
		return fail(ps, t->col, "name too long");
	tok_copy(t, name, sizeof name);
	if ((def = find_define(ps->p, name))) {
		*out = def->value;
		return 0;
	}
	if (!policy_constant(name, out))
		return fail(ps, t->col, "unknown constant '%s' (see appuser-policy(5), or "
			    "@define it)", name);
	return 0;
}

/* VALUE: terms joined with '|'. */
static int parse_value(struct parser *ps, uint32_t *out)
{
	uint32_t v;

	if (parse_term(ps, out) < 0)
		return -1;
	while (take(ps, "|")) {
		if (parse_term(ps, &v) < 0)
			return -1;
		*out |= v;
	}
	return 0;
}

static int add_value(struct parser *ps, struct policy_cond *c, unsigned col, uint32_t v)
{
	if (c->nvalues == POLICY_MAX_VALUES)
		return fail(ps, col, "more than %d values in one set", POLICY_MAX_VALUES);
	if (v & ~c->mask)
		return fail(ps, col, "value 0x%x has bits outside the mask 0x%x: "
			    "the comparison could never hold", v, c->mask);
	c->values[c->nvalues++] = v;
	return 0;
}

/* "{ VALUE, VALUE ... }" */
static int parse_set(struct parser *ps, struct policy_cond *c)
{
	char d[48];
	uint32_t v;

	if (!take(ps, "{"))
		return fail(ps, peek(ps)->col, "expected '{' after 'in', not %s",
			    tok_desc(peek(ps), d, sizeof d));
	if (tok_is(peek(ps), "}"))
		return fail(ps, peek(ps)->col, "empty set");
	do {
		unsigned col = peek(ps)->col;

		if (tok_is(peek(ps), "}"))
			break;		/* a trailing comma */
		if (parse_value(ps, &v) < 0 || add_value(ps, c, col, v) < 0)
			return -1;
	} while (take(ps, ","));
	if (!take(ps, "}"))
		return fail(ps, peek(ps)->col, "expected ',' or '}' in the set, not %s",
			    tok_desc(peek(ps), d, sizeof d));
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
	const struct token *t = peek(ps);
	char d[48];
	uint32_t v;

	if (take(ps, "==") || take(ps, "!=")) {
		c->negate = tok_is(t, "!=");
		t = peek(ps);
		return parse_value(ps, &v) < 0 ? -1 : add_value(ps, c, t->col, v);
	}
	if (take(ps, "not")) {
		c->negate = true;
		if (!take(ps, "in"))
			return fail(ps, peek(ps)->col, "expected 'in' after 'not', not %s",
				    tok_desc(peek(ps), d, sizeof d));
		return parse_set(ps, c);
	}
	if (take(ps, "in"))
		return parse_set(ps, c);
	return fail(ps, t->col, "expected '==', '!=', 'in' or 'not in', not %s",
		    tok_desc(t, d, sizeof d));
}

/* argN [& MASK] (== VALUE | != VALUE | in SET | not in SET) */
static int parse_cond(struct parser *ps, struct policy_cond *c)
{
	const struct token *t = next(ps);
	unsigned col;

	memset(c, 0, sizeof *c);
	if (t->n != 4 || t->s[3] > '5')
		return fail(ps, t->col + 3, "argument index must be 0 to 5");
	c->arg = (unsigned)(t->s[3] - '0');
	c->mask = 0xffffffff;
	if (take(ps, "&")) {
		col = peek(ps)->col;
		if (parse_value(ps, &c->mask) < 0)
			return -1;
		if (!c->mask)
			return fail(ps, col, "mask 0 makes the comparison always true");
	}
	return parse_op(ps, c);
}

static int parse_errno(struct parser *ps, struct policy_action *a)
{
	const struct token *t = next(ps);
	char name[32], d[48];
	uint32_t v;

	*a = (struct policy_action){ PACT_ERRNO, 0 };
	if (t->kind == T_NUM) {
		if (parse_number(ps, t, false, &v) < 0)
			return -1;
		if (v < 1 || v > 4095)
			return fail(ps, t->col, "errno must be 1 to 4095");
		a->err = (int)v;
		return 0;
	}
	if (t->kind != T_IDENT || t->n >= sizeof name)
		return fail(ps, t->col, "expected an errno name or number after 'errno', not %s",
			    tok_desc(t, d, sizeof d));
	tok_copy(t, name, sizeof name);
	if ((a->err = policy_errno_value(name)) < 0)
		return fail(ps, t->col, "unknown errno name '%s'", name);
	return 0;
}

static int parse_action(struct parser *ps, struct policy_action *a)
{
	const struct token *t = next(ps);
	char d[48];

	if (tok_is(t, "kill"))
		*a = (struct policy_action){ PACT_KILL, 0 };
	else if (tok_is(t, "allow"))
		*a = (struct policy_action){ PACT_ALLOW, 0 };
	else if (tok_is(t, "errno"))
		return parse_errno(ps, a);
	else
		return fail(ps, t->col, "expected a condition (arg0..arg5), an action (errno, "
			    "kill, allow) or the end of the line, not %s", tok_desc(t, d, sizeof d));
	return 0;
}

static int expect_end(struct parser *ps, const char *after)
{
	char d[48];

	if (peek(ps)->kind != T_END)
		return fail(ps, peek(ps)->col, "unexpected %s after %s",
			    tok_desc(peek(ps), d, sizeof d), after);
	return 0;
}

static struct policy_rule *new_rule(struct parser *ps, unsigned col)
{
	struct policy *p = ps->p;

	if (p->nrules == POLICY_MAX_RULES) {
		fail(ps, col, "more than %d rules", POLICY_MAX_RULES);
		return NULL;
	}
	if (p->nrules == p->caprules) {
		size_t n = p->caprules ? p->caprules * 2 : 64;
		struct policy_rule *r = realloc(p->rules, n * sizeof *r);
		if (!r) {
			fail(ps, col, "out of memory");
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
	const struct token *t = next(ps);
	char d[48];

	r->pos = (struct policy_pos){ ps->file, ps->line, t->col };
	if (t->kind != T_IDENT)
		return fail(ps, t->col, "expected a syscall name, not %s", tok_desc(t, d, sizeof d));
	if (t->n >= sizeof r->syscall)
		return fail(ps, t->col, "syscall name too long");
	tok_copy(t, r->syscall, sizeof r->syscall);
	if (ps->src && ps->src->known && !ps->src->known(ps->src->ctx, r->syscall)) {
		if (!r->optional)
			return fail(ps, t->col, "unknown syscall '%s' (write '?%s' if older "
				    "kernels or libseccomp lack it)", r->syscall, r->syscall);
		r->unknown = true;
	}
	return 0;
}

/* [?]SYSCALL [COND [&& COND]...] [ACTION] */
static int parse_rule(struct parser *ps)
{
	struct policy_rule *r = new_rule(ps, peek(ps)->col);

	if (!r)
		return -1;
	r->optional = take(ps, "?");
	r->action = (struct policy_action){ PACT_ERRNO, EPERM };
	if (parse_syscall(ps, r) < 0)
		return -1;
	if (is_arg_token(peek(ps))) {
		do {
			if (r->nconds == POLICY_MAX_CONDS)
				return fail(ps, peek(ps)->col, "more than %d conditions in one rule",
					    POLICY_MAX_CONDS);
			if (!is_arg_token(peek(ps)))
				return fail(ps, peek(ps)->col, "expected a condition (arg0..arg5) "
					    "after '&&'");
			if (parse_cond(ps, &r->conds[r->nconds++]) < 0)
				return -1;
		} while (take(ps, "&&"));
	}
	if (peek(ps)->kind != T_END && parse_action(ps, &r->action) < 0)
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
	const struct token *t = next(ps);
	struct policy *p = ps->p;
	struct policy_define *d;
	char name[POLICY_MAX_NAME];
	uint32_t v;

	if (t->kind != T_IDENT)
		return fail(ps, t->col, "@define: expected a NAME and a VALUE");
	if (t->n >= sizeof name)
		return fail(ps, t->col, "@define: name too long");
	tok_copy(t, name, sizeof name);
	if (is_keyword(name) || policy_constant(name, &v) || find_define(p, name))
		return fail(ps, t->col, "@define: '%s' is already a keyword or a constant", name);
	if (peek(ps)->kind == T_END)
		return fail(ps, peek(ps)->col, "@define: expected a VALUE after '%s'", name);
	if (parse_value(ps, &v) < 0 || expect_end(ps, "@define") < 0)
		return -1;
	if (p->ndefines == MAX_DEFINES)
		return fail(ps, t->col, "@define: more than %d names", MAX_DEFINES);
	d = realloc(p->defines, (p->ndefines + 1) * sizeof *d);
	if (!d)
		return fail(ps, t->col, "out of memory");
	p->defines = d;
	snprintf(d[p->ndefines].name, sizeof d->name, "%s", name);
	d[p->ndefines++].value = v;
	return 0;
}

static int parse_default(struct parser *ps, unsigned col)
{
	struct policy *p = ps->p;

	if (p->have_def)
		return fail(ps, col, "@default given twice (first at %s:%u)", p->def_pos.file,
			    p->def_pos.line);
	if (peek(ps)->kind == T_END)
		return fail(ps, peek(ps)->col, "@default: expected an action (errno, kill, allow)");
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
		return fail(ps, col, "out of memory");
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
		return fail(ps, (unsigned)*i + 1, "@include: expected a file name or <profile>");
	if (*builtin && (end == ps->len || s[end] != '>'))
		return fail(ps, (unsigned)end + 1, "@include: expected '>'");
	if (!*builtin && end < ps->len && s[end] == '>')
		return fail(ps, (unsigned)end + 1, "@include: unexpected '>'");
	if (end - start >= len)
		return fail(ps, (unsigned)start + 1, "@include: name too long");
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
		return fail(ps, (unsigned)i + 1, "unexpected text after the @include name");
	if (ps->depth >= POLICY_MAX_DEPTH)
		return fail(ps, dir->col, "@include nested deeper than %d (a cycle?)",
			    POLICY_MAX_DEPTH);
	if (!ps->src || !ps->src->load)
		return fail(ps, dir->col, "@include is not available here");
	if (ps->src->load(ps->src->ctx, file, name, builtin, &path, &text, &len, why,
			  sizeof why) < 0)
		return fail(ps, dir->col, "@include %s%s%s: %s", builtin ? "<" : "", name,
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
	const struct token *t = next(ps);
	char d[48];

	if (tok_is(t, "@include"))
		return parse_include(ps, t);
	if (tok_is(t, "@define"))
		return parse_define(ps);
	if (tok_is(t, "@default"))
		return parse_default(ps, t->col);
	return fail(ps, t->col, "unknown directive %s (@include, @define, @default)",
		    tok_desc(t, d, sizeof d));
}

static int parse_line(struct parser *ps)
{
	if (lex_line(ps) < 0)
		return -1;
	if (peek(ps)->kind == T_END)
		return 0;
	if (peek(ps)->kind == T_DIRECTIVE)
		return parse_directive(ps);
	return parse_rule(ps);
}

static int parse_text(struct parser *ps, const char *path, const char *text, size_t len)
{
	size_t off = 0;

	ps->file = path;
	ps->line = 0;
	if (len > POLICY_MAX_TEXT)
		return fail(ps, 1, "file larger than %u bytes", POLICY_MAX_TEXT);
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (text + off)) : len - off;
		const char *nul = memchr(text + off, '\0', n);

		ps->line++;
		ps->text = text + off;
		ps->len = n;
		if (nul)
			return fail(ps, (unsigned)(nul - ps->text) + 1, "NUL byte");
		if (n > POLICY_MAX_LINE)
			return fail(ps, POLICY_MAX_LINE + 1, "line longer than %d bytes",
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

/* ---- formatting ------------------------------------------------------ */

const char *policy_format_action(const struct policy_action *a, char *buf, size_t len)
{
	const char *n;

	if (a->kind == PACT_ALLOW)
		snprintf(buf, len, "allow");
	else if (a->kind == PACT_KILL)
		snprintf(buf, len, "kill");
	else if ((n = strerrorname_np(a->err)))
		snprintf(buf, len, "errno %s", n);
	else
		snprintf(buf, len, "errno %d", a->err);
	return buf;
}

/* Append to buf, truncating: *n never passes len - 1. */
__attribute__((format(printf, 4, 5)))
static void put(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (*n >= len - 1)
		return;
	va_start(ap, fmt);
	r = vsnprintf(buf + *n, len - *n, fmt, ap);
	va_end(ap);
	if (r > 0)
		*n = (size_t)r < len - *n ? *n + (size_t)r : len - 1;
}

static void format_cond(const struct policy_cond *c, char *buf, size_t len, size_t *n)
{
	put(buf, len, n, "arg%u", c->arg);
	if (c->mask != 0xffffffff)
		put(buf, len, n, " & 0x%x", c->mask);
	if (c->nvalues == 1) {
		put(buf, len, n, " %s 0x%x", c->negate ? "!=" : "==", c->values[0]);
		return;
	}
	put(buf, len, n, " %s {", c->negate ? "not in" : "in");
	for (size_t i = 0; i < c->nvalues; i++)
		put(buf, len, n, "%s0x%x", i ? ", " : " ", c->values[i]);
	put(buf, len, n, " }");
}

const char *policy_format_rule(const struct policy_rule *r, char *buf, size_t len)
{
	char act[48];
	size_t n = 0;

	buf[0] = '\0';
	put(buf, len, &n, "%s%s", r->optional ? "?" : "", r->syscall);
	for (size_t i = 0; i < r->nconds; i++) {
		put(buf, len, &n, "%s", i ? " && " : " ");
		format_cond(&r->conds[i], buf, len, &n);
	}
	put(buf, len, &n, " %s", policy_format_action(&r->action, act, sizeof act));
	return buf;
}

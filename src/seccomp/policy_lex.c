/* seccomp/policy_lex.c — see seccomp/policy_lex.h. */
#include "seccomp/policy_lex.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int lex_fail(struct parser *ps, unsigned col, const char *fmt, ...)
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
		return lex_fail(ps, t->col, "unexpected character '%c'", s[j]);
	} else {
		return lex_fail(ps, t->col, "unexpected byte 0x%02x", (unsigned char)s[j]);
	}
	t->n = j - *i;
	*i = j;
	return 0;
}

/* Tokens up to a '#' comment.  "@include" stops the lexer: its argument
 * is a file name, read raw by parse_include. */
int lex_line(struct parser *ps)
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
			return lex_fail(ps, (unsigned)i + 1, "too many tokens on one line");
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

const struct token *lex_peek(const struct parser *ps)
{
	return &ps->tok[ps->at];
}

const struct token *lex_next(struct parser *ps)
{
	const struct token *t = &ps->tok[ps->at];

	if (t->kind != T_END)
		ps->at++;
	return t;
}

bool lex_is(const struct token *t, const char *s)
{
	return (t->kind == T_IDENT || t->kind == T_PUNCT || t->kind == T_DIRECTIVE) &&
	       strlen(s) == t->n && !memcmp(t->s, s, t->n);
}

bool lex_take(struct parser *ps, const char *s)
{
	if (!lex_is(lex_peek(ps), s))
		return false;
	lex_next(ps);
	return true;
}

void lex_copy(const struct token *t, char *buf, size_t len)
{
	size_t n = t->n < len - 1 ? t->n : len - 1;

	memcpy(buf, t->s, n);
	buf[n] = '\0';
}

const char *lex_desc(const struct token *t, char *buf, size_t len)
{
	char s[40];

	if (t->kind == T_END)
		return "the end of the line";
	lex_copy(t, s, sizeof s);
	snprintf(buf, len, "'%s'", s);
	return buf;
}

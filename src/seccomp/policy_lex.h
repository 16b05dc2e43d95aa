/* seccomp/policy_lex.h — the policy parser's state and its lexer: one
 * line of policy text into tokens, and the helpers the grammar
 * (seccomp/policy.c) reads them with.  Internal to the parser. */
#ifndef APPUSER_SECCOMP_POLICY_LEX_H
#define APPUSER_SECCOMP_POLICY_LEX_H

#include <stdbool.h>
#include <stddef.h>

#define MAX_TOKENS 128

struct policy;
struct policy_source;

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

/* "FILE:LINE:COL: reason" into the parser's err; returns -1. */
int lex_fail(struct parser *ps, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Tokens of ps->text up to a '#' comment, ending in T_END.  "@include"
 * stops the lexer: its argument is a file name, read raw.  0 or -1. */
int lex_line(struct parser *ps);
const struct token *lex_peek(const struct parser *ps);
/* The current token, then move past it (never past T_END). */
const struct token *lex_next(struct parser *ps);
/* Is t the identifier, punctuation or directive s? */
bool lex_is(const struct token *t, const char *s);
/* If the current token is s, move past it and return true. */
bool lex_take(struct parser *ps, const char *s);
/* t's text, NUL-terminated and truncated to len. */
void lex_copy(const struct token *t, char *buf, size_t len);
/* "'word'" or "the end of the line", for messages.  Returns buf. */
const char *lex_desc(const struct token *t, char *buf, size_t len);

#endif

/* seccomp/policy_format.c — rules and actions back as canonical text
 * (seccomp/policy.h), for `appuser policy dump` and messages. */
#include "seccomp/policy.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

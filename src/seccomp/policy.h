/* seccomp/policy.h — the seccomp policy language (appuser-policy(5)):
 * text in, a list of rules out.  Pure: no libseccomp, no files; @include
 * and "is this a syscall" go through the caller's policy_source.
 *
 *   # deny with EPERM (the default action)
 *   mount
 *   ioctl arg1 & 0xffffffff == TIOCSTI
 *   clone arg0 & CLONE_NEWUSER|CLONE_NEWNS != 0
 *   personality arg0 not in { 0, PER_LINUX32, 0xffffffff }
 *   clone3 errno ENOSYS
 *   kexec_load kill
 *   ?open_tree_attr              # optional: unknown names are skipped
 *   @include <default>            # a built-in profile's source
 *   @include extra.policy         # relative to this file
 *   @define MY_IOCTL 0x1234
 *   @default errno EPERM          # allow-list policies; default: allow
 *
 * Every comparison is an equality on a masked 32-bit value: the kernel
 * truncates int arguments (ioctl's cmd, socket's family) to 32 bits, so a
 * 64-bit compare would let 0xffffffff00005412 through as TIOCSTI
 * (CVE-2017-5226, CVE-2016-2779 were TIOCSTI escapes). */
#ifndef APPUSER_SECCOMP_POLICY_H
#define APPUSER_SECCOMP_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define POLICY_MAX_NAME 64
#define POLICY_MAX_ARGS 6
#define POLICY_MAX_CONDS 6
#define POLICY_MAX_VALUES 16
#define POLICY_MAX_DEPTH 8		/* @include nesting */
#define POLICY_MAX_RULES 4096
#define POLICY_MAX_LINE 1024
#define POLICY_MAX_TEXT (1u << 20)

enum policy_act { PACT_ALLOW, PACT_ERRNO, PACT_KILL };

struct policy_action {
	enum policy_act kind;
	int err;			/* PACT_ERRNO: 1..4095 */
};

/* "argN & mask == v" is "argN & mask in {v}"; "!=" is "not in". */
struct policy_cond {
	unsigned arg;			/* 0..5 */
	uint32_t mask;			/* 0xffffffff without "& MASK" */
	bool negate;			/* not in */
	size_t nvalues;
	uint32_t values[POLICY_MAX_VALUES];
};

struct policy_pos {
	const char *file;		/* owned by the policy */
	unsigned line, col;		/* 1-based */
};

struct policy_rule {
	char syscall[POLICY_MAX_NAME];
	bool optional;			/* written "?name" */
	bool unknown;			/* optional and unknown: skipped */
	struct policy_action action;
	size_t nconds;			/* all must hold */
	struct policy_cond conds[POLICY_MAX_CONDS];
	struct policy_pos pos;		/* of the syscall name */
};

struct policy_define;

struct policy {
	struct policy_action def;	/* allow unless @default */
	bool have_def;
	struct policy_pos def_pos;
	struct policy_rule *rules;
	size_t nrules, caprules;
	char **files;			/* every file read, for positions */
	size_t nfiles;
	struct policy_define *defines;
	size_t ndefines;
};

struct policy_source {
	/* Read what "@include NAME" names: a built-in profile's source when
	 * builtin ("<NAME>"), else a path relative to the file `from`.  On
	 * success returns 0 with malloc'd *path (for messages) and *text;
	 * else -1 with a reason in err. */
	int (*load)(void *ctx, const char *from, const char *name, bool builtin,
		    char **path, char **text, size_t *len, char *err, size_t errlen);
	/* Does any target architecture know this syscall?  NULL: all do. */
	bool (*known)(void *ctx, const char *name);
	void *ctx;
};

/* Parse the policy `text` read from `path`.  Returns 0, or -1 with
 * "FILE:LINE:COL: reason" in err; *out is then empty (freed). */
int policy_parse(const char *path, const char *text, size_t len,
		 const struct policy_source *src, struct policy *out, char *err, size_t errlen);
void policy_free(struct policy *p);

/* Named constants the language knows (TIOCSTI, AF_VSOCK, CLONE_NEWNS,
 * PER_LINUX32, ...).  Returns true and the value if name is one. */
bool policy_constant(const char *name, uint32_t *value);
/* "EPERM" -> EPERM; -1 if unknown. */
int policy_errno_value(const char *name);

/* One rule back as canonical text ("ioctl arg1 == 0x5412 errno EPERM"),
 * for dumps.  Returns buf. */
const char *policy_format_rule(const struct policy_rule *r, char *buf, size_t len);
const char *policy_format_action(const struct policy_action *a, char *buf, size_t len);

#endif

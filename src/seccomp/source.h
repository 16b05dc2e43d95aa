/* seccomp/source.h — where policy text comes from: files (--seccomp FILE,
 * `appuser policy`, the build-time compiler) and, for "@include <name>",
 * a built-in profile's source.  Reads files; nothing else. */
#ifndef APPUSER_SECCOMP_SOURCE_H
#define APPUSER_SECCOMP_SOURCE_H

#include "seccomp/policy.h"

#include <stddef.h>

struct policy_files {
	/* Build time: "<name>" is builtin_dir/name.policy. */
	const char *builtin_dir;
	/* Run time: the embedded source of built-in profile `name`, or NULL. */
	const char *(*builtin_text)(const char *name);
};

/* A regular file of at most POLICY_MAX_TEXT bytes, NUL-terminated. */
int policy_read_file(const char *path, char **text, size_t *len, char *err, size_t errlen);

/* A policy_source over f (includes) and libseccomp (syscall names). */
void policy_files_source(struct policy_files *f, struct policy_source *src);

/* Read and parse path.  Returns 0, or -1 with "FILE:LINE:COL: reason". */
int policy_parse_file(const char *path, struct policy_files *f, struct policy *out,
		      char *err, size_t errlen);

#endif

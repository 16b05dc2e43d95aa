/* exec/selinux.h — SELinux exec context (DESIGN §8).  The "is SELinux on"
 * checks (and the loading of libselinux, selinux_lib.h) live here so call
 * sites stay plain (bubblewrap's label_exec).
 *
 * When SELinux is off (selinux_on() is 0, as in most containers and on
 * hosts without SELinux): an explicit --selinux-context is an
 * error, "SELinux is not enabled", because the caller asked for a
 * confinement that cannot happen; the configuration's selinux_context is
 * ignored, so one image configuration serves hosts with and without
 * SELinux. */
#ifndef APPUSER_EXEC_SELINUX_H
#define APPUSER_EXEC_SELINUX_H

#include <stdbool.h>
#include <stddef.h>

/* Validate ctx while privileged; `explicit` when it came from the command
 * line.  NULL or "" = nothing to do.  Returns 0 with *use set to ctx for
 * label_exec_set() (the caller keeps it alive until the exec), or to NULL
 * when there is nothing to set; -1 with a reason in err. */
int label_exec_prepare(const char *ctx, bool explicit, const char **use, char *err,
		       size_t errlen);

/* setexeccon(ctx) for the next execve; no-op for NULL/"".
 * Returns 0, or -1 with a reason in err. */
int label_exec_set(const char *ctx, char *err, size_t errlen);

/* After execve failed with err: if the exec context ctx was set (not NULL)
 * and SELinux refused the transition (EPERM), a one-line explanation in
 * buf — with NO_NEW_PRIVS set, the policy must allow process2
 * nnp_transition — else NULL. */
const char *label_exec_explain(const char *ctx, int err, char *buf, size_t len);

#endif

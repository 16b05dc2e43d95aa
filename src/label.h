/* label.h — SELinux exec context (DESIGN §8).  The #ifdefs and the
 * "is SELinux on" checks live here so call sites stay plain (bubblewrap's
 * label_exec). */
#ifndef APPUSER_LABEL_H
#define APPUSER_LABEL_H

#include <stddef.h>

/* Validate ctx while privileged.  NULL or "" = nothing to do.  When
 * SELinux is off, a non-empty ctx is an error ("SELinux is not enabled").
 * Returns 0, or -1 with a reason in err. */
int label_exec_prepare(const char *ctx, char *err, size_t errlen);

/* setexeccon(ctx) for the next execve; no-op for NULL/"".
 * Returns 0, or -1 with a reason in err. */
int label_exec_set(const char *ctx, char *err, size_t errlen);

#endif

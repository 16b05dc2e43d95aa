/* seccomp/libseccomp.h — libseccomp, only for a policy compiled at run time.
 *
 * Built-in profiles are BPF already (seccomp/profiles.h): `appuser exec`
 * never needs libseccomp for them.  A custom policy FILE (`exec --seccomp
 * FILE`, `appuser policy dump|check`) is compiled with it.  In the dynamic
 * build libseccomp is not linked: seccomp/libseccomp.c defines the
 * libseccomp functions appuser calls, and the first call loads
 * libseccomp.so.2 (dynlib.h); seccomp/compile.c calls them by their own
 * names either way.  A libseccomp function used anywhere in appuser must
 * be listed there, or the dynamic build fails to link. */
#ifndef APPUSER_SECCOMP_LIBSECCOMP_H
#define APPUSER_SECCOMP_LIBSECCOMP_H

#include <stddef.h>

/* Load libseccomp now, before compiling a policy, for a clear message.
 * Returns 0, or -1 with the reason in err.  Always 0 in the static build. */
int libseccomp_load(char *err, size_t errlen);

#endif

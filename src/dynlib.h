/* dynlib.h — an optional shared library, loaded on first use.
 *
 * The dynamic build does not link libseccomp or libselinux: most runs
 * (every `appuser exec` of a built-in profile without an SELinux context)
 * need neither, and loading them costs more than the rest of exec's own
 * work (relocations, libselinux's constructor reading /proc).  Their
 * wrappers (seccomp/libseccomp.c, selinux_lib.c) load them with dlopen
 * when a call needs them.  The static build links both and compiles no
 * dlopen (APPUSER_STATIC). */
#ifndef APPUSER_DYNLIB_H
#define APPUSER_DYNLIB_H

#include <stdbool.h>
#include <stddef.h>

struct dynlib {
	const char *soname;		/* "libseccomp.so.2": the ABI the headers are for */
	const char *const *names;	/* symbols to resolve, NULL-terminated */
	void **syms;			/* resolved, in the order of names */
	int state;			/* 0 not tried, 1 loaded, -1 failed */
	char err[256];			/* why it failed */
};

/* Load l once (later calls return the first answer): dlopen by soname
 * from the system's library path (ld.so ignores LD_LIBRARY_PATH for a
 * setuid process), then every symbol.  Returns 0, or -1 with l->err set;
 * a library missing one symbol counts as not loaded. */
int dynlib_load(struct dynlib *l);

#endif

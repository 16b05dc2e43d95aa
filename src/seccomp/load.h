/* seccomp/load.h — the exec'd service's syscall filter (DESIGN §7).
 *
 * Profiles are compiled to BPF at build time and embedded
 * (seccomp/profiles.h); preparing a named profile costs nothing but a
 * table lookup, and installing it is one seccomp(2) call, with no
 * libseccomp on that path.  A custom FILE (a name with a
 * '/') is compiled at run time with libseccomp (root mode only; the caller
 * checks, and passes allow_file). */
#ifndef APPUSER_SECCOMP_LOAD_H
#define APPUSER_SECCOMP_LOAD_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>

struct seccomp_prepared {
	bool none;			/* profile "none": nothing to install */
	const char *name;		/* profile name or file, for messages (the
					 * caller's string, kept until the exec) */
	struct sock_fprog prog;
};

/* Is this the name of a built-in profile (or "none")? */
bool seccomp_is_builtin(const char *name);

/* The embedded source of a built-in profile, or NULL. */
const char *seccomp_builtin_source(const char *name);

/* Resolve a profile name, or a FILE path when allow_file.  Returns 0, or
 * -1 with a one-line reason in err. */
int seccomp_prepare(const char *profile, bool allow_file, struct seccomp_prepared *out,
		    char *err, size_t errlen);

/* Install the program (needs NO_NEW_PRIVS or CAP_SYS_ADMIN).  The last
 * step before execve.  Returns 0 or -errno. */
int seccomp_install(const struct seccomp_prepared *p);

/* Why seccomp_install() failed (its -errno), in words.  -ENOSYS is no
 * seccomp(2) at all: qemu-user emulation (docker --platform for another
 * architecture) implements none, and a filter that cannot be loaded must
 * stop the exec, not be skipped. */
const char *seccomp_install_strerror(int rc);

#endif

/* selinux_lib.h — libselinux, only where SELinux can be on.
 *
 * Call sites use libselinux's own functions (fgetfilecon, setexeccon...)
 * after asking selinux_on().  In the dynamic build libselinux is not
 * linked: selinux_lib.c defines those functions, and the first call loads
 * libselinux.so.1 (dynlib.h).  A host or container without selinuxfs never
 * loads it, and never pays for its constructor (two statfs, reading
 * /proc/filesystems and /etc/selinux/config at every start). */
#ifndef APPUSER_SELINUX_LIB_H
#define APPUSER_SELINUX_LIB_H

#include <selinux/selinux.h>
#include <stddef.h>

/* Is SELinux on?  1 or 0, decided once.  The cheap check first: selinuxfs
 * mounted at /sys/fs/selinux or /selinux, where every SELinux system
 * mounts it (libselinux would also search /proc/mounts for it); only then
 * libselinux's is_selinux_enabled(). */
int selinux_on(void);

/* Load libselinux now, whether or not selinuxfs is there (an SELinux
 * context was asked for: let the library itself answer).  Returns 0, or
 * -1 with the reason in err.  Always 0 in the static build. */
int selinux_lib_load(char *err, size_t errlen);

#endif

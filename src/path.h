/* path.h — absolute paths and how appuser shows text, in one place:
 *
 *   path_canon()   the one canonical form of a path given by a user
 *                  (environment, config, pending file);
 *   path_class()   the one list of system folders: setup never gives one
 *                  to the application user, fix and the remap need
 *                  --allow-system-path (root) for them and never enter
 *                  /proc or /sys;
 *   str_escape()   the one escaper for values and file names in
 *                  messages, so a hostile name can neither forge a log
 *                  line nor drive the caller's terminal.
 * Pure: no I/O. */
#ifndef APPUSER_PATH_H
#define APPUSER_PATH_H

#include <stdbool.h>
#include <stddef.h>

#define PATH_CANON_MAX 4096

/* Canonicalise an absolute path into out: collapse "//", drop a trailing
 * '/'; refuse relative paths, "." and ".." components, ':' (the passwd
 * field separator), control characters and over-long paths.  Returns NULL
 * when valid, else a short reason. */
const char *path_canon(const char *in, char *out, size_t outlen);

enum path_class {
	PATH_PLAIN = 0,		/* any other folder */
	PATH_ROOT,		/* "/" itself */
	PATH_SYSTEM,		/* a top system folder (/usr, /var, /home, /tmp, ...) or
				 * anything below /etc, /dev or /boot */
	PATH_PSEUDO,		/* /proc, /sys and anything below: never remapped */
};
/* p must be canonical (path_canon(), or realpath()'s output). */
enum path_class path_class(const char *p);
/* path_class(p) != PATH_PLAIN: no application user may own it or have it
 * remapped. */
bool path_is_system(const char *p);

enum {
	ESC_QUOTED = 1,		/* shown inside '...': escape ' as well */
	ESC_SHORT = 2,		/* at most 64 characters, then "..." */
};
/* Copy len bytes of in into out for one line of output: control bytes,
 * '\\' and bytes that are not valid UTF-8 become C escapes (\n, \t, \r,
 * \\, \xff); valid UTF-8 stays as it is, except the C1 controls
 * U+0080..U+009F, which terminals may obey.  Always NUL-terminates out
 * (outlen > 0); returns the length written (truncated on a whole escape). */
size_t str_escape(const char *in, size_t len, char *out, size_t outlen, unsigned flags);
/* A value for a message, shown as '%s': str_escape(v, ESC_QUOTED|ESC_SHORT);
 * NULL gives "".  Returns buf. */
const char *env_quote(const char *v, char *buf, size_t len);

#endif

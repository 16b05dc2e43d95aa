/* log.h — one-line messages on stderr, prefixed "appuser: ", and the exit
 * codes of DESIGN §2.  Only the top level decides to die (STYLE.md). */
#ifndef APPUSER_LOG_H
#define APPUSER_LOG_H

#include <stdarg.h>
#include <stdnoreturn.h>

enum exit_code {
	EXIT_OK = 0,
	EXIT_FAIL = 125,	/* appuser itself failed: usage, input, refused, system */
	EXIT_CANNOT_EXEC = 126,	/* COMMAND exists but cannot be executed */
	EXIT_NOT_FOUND = 127,	/* COMMAND not found */
};

enum log_level { LOG_QUIET = 0, LOG_NORMAL = 1, LOG_VERBOSE = 2 };

void log_set_level(enum log_level level);
enum log_level log_get_level(void);

/* "appuser: <msg>" on stderr, always. */
void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Same, but only at LOG_NORMAL or above / LOG_VERBOSE. */
void info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* msg() with ": strerror(errnum)" appended. */
void msg_errno(int errnum, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

noreturn void die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
noreturn void die_errno(int status, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Audit trail for privileged actions (setuid mode), tagged with the
 * caller's real uid: a record to syslog (/dev/log), and to stderr only
 * when no syslog takes it.  audit_syslog() is for details whose plain line
 * is already on stderr (each change setup makes): syslog only, so that
 * stderr says each thing once. */
void audit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void audit_syslog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

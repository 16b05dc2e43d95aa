/* log.c — see log.h.  Messages are built in one buffer and written with a
 * single write(2) so concurrent services' lines do not interleave. */
#include "log.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static enum log_level level = LOG_NORMAL;

void log_set_level(enum log_level l) { level = l; }
enum log_level log_get_level(void) { return level; }

static void vemit(int errnum, const char *fmt, va_list ap)
{
	char buf[1024];
	size_t n;
	int r;

	n = (size_t)snprintf(buf, sizeof buf, "appuser: ");
	r = vsnprintf(buf + n, sizeof buf - n, fmt, ap);
	if (r > 0)
		n += (size_t)r < sizeof buf - n ? (size_t)r : sizeof buf - n - 1;
	if (errnum && n < sizeof buf - 1) {
		r = snprintf(buf + n, sizeof buf - n, ": %s", strerror(errnum));
		if (r > 0)
			n += (size_t)r < sizeof buf - n ? (size_t)r : sizeof buf - n - 1;
	}
	if (n >= sizeof buf - 1)
		n = sizeof buf - 2;
	/* One line each: never let a value with a newline forge a second one. */
	for (size_t i = 0; i < n; i++)
		if (buf[i] == '\n' || buf[i] == '\r')
			buf[i] = '?';
	buf[n++] = '\n';
	(void)!write(STDERR_FILENO, buf, n);
}

void msg(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vemit(0, fmt, ap);
	va_end(ap);
}

void info(const char *fmt, ...)
{
	va_list ap;
	if (level < LOG_NORMAL)
		return;
	va_start(ap, fmt);
	vemit(0, fmt, ap);
	va_end(ap);
}

void verbose(const char *fmt, ...)
{
	va_list ap;
	if (level < LOG_VERBOSE)
		return;
	va_start(ap, fmt);
	vemit(0, fmt, ap);
	va_end(ap);
}

void msg_errno(int errnum, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vemit(errnum, fmt, ap);
	va_end(ap);
}

void die(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vemit(0, fmt, ap);
	va_end(ap);
	_exit(status);
}

void die_errno(int status, int errnum, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vemit(errnum, fmt, ap);
	va_end(ap);
	_exit(status);
}

/* Minimal RFC 3164 datagram to /dev/log; no openlog(): it would keep a
 * descriptor open across the exec.  Returns whether a syslog took it. */
static bool syslog_line(const char *line)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = "/dev/log" };
	char buf[1100];
	int fd, n;
	bool sent = false;

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	/* facility authpriv (10), severity notice (5) */
	n = snprintf(buf, sizeof buf, "<%d>appuser[%ld]: %s", 10 * 8 + 5, (long)getpid(), line);
	if (n > 0)
		sent = sendto(fd, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1, 0,
			      (struct sockaddr *)&sa, sizeof sa) >= 0;
	close(fd);
	return sent;
}

/* "audit: ruid=N: " + the message, with every control byte replaced: the
 * caller chooses parts of it (a command name), and no byte may forge a
 * second syslog record or a fake header. */
static void audit_format(char *line, size_t len, const char *fmt, va_list ap)
{
	int n = snprintf(line, len, "audit: ruid=%lu: ", (unsigned long)getuid());

	if (n < 0 || (size_t)n >= len) {
		line[0] = '\0';
		return;
	}
	vsnprintf(line + n, len - (size_t)n, fmt, ap);
	for (char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

void audit(const char *fmt, ...)
{
	char line[900];
	va_list ap;

	va_start(ap, fmt);
	audit_format(line, sizeof line, fmt, ap);
	va_end(ap);
	if (!syslog_line(line))
		msg("%s", line);
}

void audit_syslog(const char *fmt, ...)
{
	char line[900];
	va_list ap;

	va_start(ap, fmt);
	audit_format(line, sizeof line, fmt, ap);
	va_end(ap);
	(void)syslog_line(line);
}

/* log.c — see log.h.  Messages are built in one buffer and written with a
 * single write(2) so concurrent services' lines do not interleave. */
#include "log.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static enum log_level level = LOG_NORMAL;

/* Length of the UTF-8 sequence at p (1-4) when it is a valid one for a
 * printable character, 0 otherwise: C1 controls (U+0080-U+009F: CSI is
 * U+009B) count as controls, as do overlong and surrogate forms and the
 * format characters below. */
static size_t utf8_printable(const unsigned char *p, size_t n)
{
	size_t len = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : 2;
	uint32_t cp = p[0] & (0x3f >> (len - 1));

	if (p[0] < 0xc2 || p[0] > 0xf4 || len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < 0xa0 || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	/* Invisible controls of another kind: the line and paragraph
	 * separators (a second line to some log viewers), bidirectional
	 * embeddings, overrides and isolates (text shown in another order,
	 * CVE-2021-42574), zero-width marks, the BOM. */
	if (cp == 0x061c || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
	    (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb))
		return 0;
	return len;
}

/* Copy in[0..n) to out as one harmless line: every control character
 * (C0, DEL, C1 raw or UTF-8 encoded) and every byte of invalid UTF-8
 * becomes \xNN, as setup quotes the environment (env_quote()), so that a
 * caller's argv or environment can neither forge a second line nor send
 * escape sequences to the terminal or log that shows it.  Returns the
 * length written (out holds at least 1 byte). */
static size_t escape_line(const char *in, size_t n, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)in;
	size_t o = 0;

	for (size_t i = 0; i < n && o + 5 < cap;) {
		size_t l = p[i] >= 0x80 ? utf8_printable(p + i, n - i) : p[i] >= 0x20 && p[i] != 0x7f;

		if (l) {
			if (o + l + 1 >= cap)
				break;
			memcpy(out + o, p + i, l);
			o += l;
			i += l;
			continue;
		}
		out[o++] = '\\';
		out[o++] = 'x';
		out[o++] = hex[p[i] >> 4];
		out[o++] = hex[p[i] & 15];
		i++;
	}
	out[o] = '\0';
	return o;
}

void log_set_level(enum log_level l) { level = l; }
enum log_level log_get_level(void) { return level; }

static void vemit(int errnum, const char *fmt, va_list ap)
{
	char buf[1024], line[1100];
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
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	/* One line each, nothing a terminal would act on. */
	n = escape_line(buf, n, line, sizeof line - 1);
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, n);
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

/* "audit: ruid=N: " + the message, every control byte escaped: the
 * caller chooses parts of it (a command name), and no byte may forge a
 * second syslog record or a fake header. */
static void audit_format(char *line, size_t len, const char *fmt, va_list ap)
{
	char raw[900];
	int n = snprintf(raw, sizeof raw, "audit: ruid=%lu: ", (unsigned long)getuid());

	if (n > 0 && (size_t)n < sizeof raw)
		vsnprintf(raw + n, sizeof raw - (size_t)n, fmt, ap);
	escape_line(raw, strlen(raw), line, len);
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

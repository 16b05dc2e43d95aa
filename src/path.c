/* path.c — see path.h. */
#include "path.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

const char *path_canon(const char *in, char *out, size_t outlen)
{
	size_t o = 0;
	const char *p = in;

	if (!in || !*in)
		return "empty";
	if (in[0] != '/')
		return "not an absolute path";
	if (strlen(in) >= PATH_CANON_MAX || outlen < 2)
		return "too long";
	while (*p) {
		const char *s, *e;
		size_t l;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		s = p;
		e = strchrnul(s, '/');
		l = (size_t)(e - s);
		if ((l == 1 && s[0] == '.') || (l == 2 && s[0] == '.' && s[1] == '.'))
			return "contains a '.' or '..' component";
		for (const char *c = s; c < e; c++) {
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				return "contains a control character";
			/* ':' would split the passwd line (field injection,
			 * CVE-2023-29383 in chfn) and the APPLICATION_PATH list. */
			if (*c == ':')
				return "contains ':'";
		}
		if (o + 1 + l + 1 > outlen)
			return "too long";
		out[o++] = '/';
		memcpy(out + o, s, l);
		o += l;
		p = e;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	return NULL;
}

/* --- the system folders --------------------------------------------------- */

static const struct {
	const char *path;
	bool below;		/* everything below it too */
	enum path_class cls;
} system_paths[] = {
	{ "/proc", true, PATH_PSEUDO }, { "/sys", true, PATH_PSEUDO },
	{ "/etc", true, PATH_SYSTEM }, { "/dev", true, PATH_SYSTEM },
	{ "/boot", true, PATH_SYSTEM },
	{ "/bin", false, PATH_SYSTEM }, { "/home", false, PATH_SYSTEM },
	{ "/lib", false, PATH_SYSTEM }, { "/lib32", false, PATH_SYSTEM },
	{ "/lib64", false, PATH_SYSTEM }, { "/libx32", false, PATH_SYSTEM },
	{ "/root", false, PATH_SYSTEM }, { "/run", false, PATH_SYSTEM },
	{ "/sbin", false, PATH_SYSTEM }, { "/tmp", false, PATH_SYSTEM },
	{ "/usr", false, PATH_SYSTEM }, { "/usr/bin", false, PATH_SYSTEM },
	{ "/usr/lib", false, PATH_SYSTEM }, { "/usr/local", false, PATH_SYSTEM },
	{ "/usr/sbin", false, PATH_SYSTEM }, { "/usr/share", false, PATH_SYSTEM },
	{ "/var", false, PATH_SYSTEM }, { "/var/lib", false, PATH_SYSTEM },
	{ "/var/log", false, PATH_SYSTEM }, { "/var/run", false, PATH_SYSTEM },
	{ "/var/tmp", false, PATH_SYSTEM },
};

enum path_class path_class(const char *p)
{
	if (!strcmp(p, "/"))
		return PATH_ROOT;
	for (size_t i = 0; i < sizeof system_paths / sizeof *system_paths; i++) {
		size_t n = strlen(system_paths[i].path);

		if (!strncmp(p, system_paths[i].path, n) &&
		    (p[n] == '\0' || (p[n] == '/' && system_paths[i].below)))
			return system_paths[i].cls;
	}
	return PATH_PLAIN;
}

bool path_is_system(const char *p)
{
	return path_class(p) != PATH_PLAIN;
}

/* --- the escaper ------------------------------------------------------------ */

/* Length of a valid UTF-8 sequence at s that may be shown as it is
 * (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF;
 * not a C1 control), or 0. */
static size_t utf8_len(const unsigned char *s, size_t left)
{
	size_t n;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return n;
}

/* One character of s (n bytes) as shown, into esc; returns its length. */
static size_t escape_one(const unsigned char *s, size_t n, unsigned flags, char esc[8])
{
	unsigned char c = s[0];

	if (n > 1) {
		memcpy(esc, s, n);
		return n;
	}
	if (n == 1 && c >= 0x20 && c != 0x7f && c != '\\' && !(c == '\'' && flags & ESC_QUOTED)) {
		esc[0] = (char)c;
		return 1;
	}
	if (c == '\n' || c == '\t' || c == '\r' || c == '\\')
		return (size_t)snprintf(esc, 8, "\\%c", c == '\n' ? 'n' : c == '\t' ? 't' :
					c == '\r' ? 'r' : '\\');
	return (size_t)snprintf(esc, 8, "\\x%02x", c);
}

size_t str_escape(const char *in, size_t len, char *out, size_t outlen, unsigned flags)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0, shown = 0;

	for (size_t i = 0; i < len; shown++) {
		char esc[8];
		size_t n = utf8_len(s + i, len - i), el;

		if (flags & ESC_SHORT && shown == 64) {
			if (o + 3 < outlen) {
				memcpy(out + o, "...", 3);
				o += 3;
			}
			break;
		}
		el = escape_one(s + i, n, flags, esc);
		if (o + el >= outlen)
			break;
		memcpy(out + o, esc, el);
		o += el;
		i += n ? n : 1;
	}
	if (outlen)
		out[o] = '\0';
	return o;
}

const char *env_quote(const char *v, char *buf, size_t len)
{
	str_escape(v ? v : "", v ? strlen(v) : 0, buf, len, ESC_QUOTED | ESC_SHORT);
	return buf;
}

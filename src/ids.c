/* ids.c — see ids.h. */
#include "ids.h"

#include <string.h>

bool is_all_digits(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

enum id_parse id_parse(const char *s, uint32_t *out)
{
	uint64_t v = 0;

	if (!s || !*s)
		return ID_EMPTY;
	if (!is_all_digits(s))
		return ID_INVALID;
	for (; *s; s++) {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > ID_MAX)
			return ID_RANGE;	/* also stops overflow: v stays < 2^33 */
	}
	*out = (uint32_t)v;
	return ID_OK;
}

const char *id_parse_str(enum id_parse r)
{
	switch (r) {
	case ID_OK: return "ok";
	case ID_EMPTY: return "empty";
	case ID_INVALID: return "not a decimal number";
	case ID_RANGE: return "out of range (0..4294967294)";
	}
	return "invalid";
}

const char *name_invalid(const char *s)
{
	size_t n;

	if (!s || !*s)
		return "empty";
	n = strlen(s);
	if (n > NAME_MAX_LEN)
		return "longer than 32 characters";
	if (s[0] == '-' || s[0] == '+')
		return "starts with '-' or '+'";
	if (!strcmp(s, ".") || !strcmp(s, ".."))
		return "is '.' or '..'";
	if (is_all_digits(s))
		return "is all digits";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.')
			continue;
		if (c == '$' && i == n - 1 && n > 1)
			continue;
		if (c == ':')
			return "contains ':'";
		if (c < 0x20 || c == 0x7f)
			return "contains a control character";
		return "contains a character outside [A-Za-z0-9._-]";
	}
	return NULL;
}

/* accounts/login_defs.c — see accounts/login_defs.h. */
#include "accounts/login_defs.h"
#include "ids.h"

#include <string.h>

void login_defs_default(struct login_defs *d)
{
	d->uid_min = d->gid_min = 1000;
	d->uid_max = d->gid_max = 60000;
}

static void set_key(struct login_defs *d, const char *k, size_t kl, const char *v)
{
	static const struct { const char *name; size_t off; } keys[] = {
		{ "UID_MIN", offsetof(struct login_defs, uid_min) },
		{ "UID_MAX", offsetof(struct login_defs, uid_max) },
		{ "GID_MIN", offsetof(struct login_defs, gid_min) },
		{ "GID_MAX", offsetof(struct login_defs, gid_max) },
	};
	uint32_t id;

	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (strlen(keys[i].name) == kl && !memcmp(k, keys[i].name, kl) &&
		    id_parse(v, &id) == ID_OK && id > 0)
			*(uint32_t *)(void *)((char *)d + keys[i].off) = id;
}

void login_defs_parse(const char *buf, size_t len, struct login_defs *d)
{
	size_t pos = 0;

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t l = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		char line[256], *k, *v, *e;

		if (l < sizeof line) {
			memcpy(line, buf + pos, l);
			line[l] = '\0';
			for (k = line; *k == ' ' || *k == '\t'; k++)
				;
			for (e = k; *e && *e != ' ' && *e != '\t'; e++)
				;
			for (v = e; *v == ' ' || *v == '\t'; v++)
				;
			for (char *t = v; *t; t++)
				if (*t == ' ' || *t == '\t' || *t == '\r' || *t == '#') {
					*t = '\0';
					break;
				}
			if (*k && *k != '#')
				set_key(d, k, (size_t)(e - k), v);
		}
		pos += l + (nl ? 1 : 0);
	}
	if (d->uid_max < d->uid_min)
		d->uid_max = d->uid_min;
	if (d->gid_max < d->gid_min)
		d->gid_max = d->gid_min;
}

bool defs_system_uid(const struct login_defs *d, uint32_t uid)
{
	return uid < d->uid_min || (uid > d->uid_max && uid <= 65535);
}

bool defs_system_gid(const struct login_defs *d, uint32_t gid)
{
	return gid < d->gid_min || (gid > d->gid_max && gid <= 65535);
}

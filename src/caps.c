/* caps.c — see caps.h.  Names come from libcap-ng's table, so they follow
 * the kernel headers libcap-ng was built with. */
#include "caps.h"

#include <cap-ng.h>
#include <linux/capability.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int caps_parse(const char *list, capset_t *out, char *err, size_t errlen)
{
	const char *p = list;

	*out = 0;
	while (p && *p) {
		const char *c = strchr(p, ',');
		size_t l = c ? (size_t)(c - p) : strlen(p);
		char name[64];
		int cap;

		if (l == 0 || l >= sizeof name) {
			snprintf(err, errlen, "capability '%.*s' is not valid", (int)(l < 40 ? l : 40), p);
			return -1;
		}
		for (size_t i = 0; i < l; i++)
			name[i] = (char)tolower((unsigned char)p[i]);
		name[l] = '\0';
		cap = capng_name_to_capability(strncmp(name, "cap_", 4) ? name : name + 4);
		if (cap < 0 || cap > 63) {
			snprintf(err, errlen, "unknown capability '%s'", name);
			return -1;
		}
		*out |= (capset_t)1 << cap;
		p = c ? c + 1 : NULL;
		if (c && !*p) {
			snprintf(err, errlen, "capability list '%s' ends with ','", list);
			return -1;
		}
	}
	return 0;
}

int caps_keepable(capset_t set, char *err, size_t errlen)
{
	for (int cap = 0; cap < 64; cap++) {
		const char *name;

		if (!(set & ((capset_t)1 << cap)))
			continue;
		name = capng_capability_to_name((unsigned)cap);
		if (cap == CAP_SETPCAP) {
			snprintf(err, errlen, "capability setpcap cannot be kept: the ID switch "
				 "drops it");
			return -1;
		}
		if (prctl(PR_CAPBSET_READ, (unsigned long)cap, 0, 0, 0) != 1) {
			snprintf(err, errlen, "capability %s is not in the bounding set (the "
				 "container was started without it), so it cannot be kept",
				 name ? name : "?");
			return -1;
		}
	}
	return 0;
}

capset_t caps_bounding(void)
{
	capset_t set = 0;

	for (int cap = 0; cap < 64; cap++) {
		int r = prctl(PR_CAPBSET_READ, (unsigned long)cap, 0, 0, 0);
		if (r < 0)
			break;	/* EINVAL: beyond the last capability the kernel knows */
		if (r == 1)
			set |= (capset_t)1 << cap;
	}
	return set;
}

capset_t caps_effective(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return 0;
	return (capset_t)d[0].effective | (capset_t)d[1].effective << 32;
}

const char *caps_format(capset_t set, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int cap = 0; cap < 64; cap++) {
		const char *name;
		int r;

		if (!(set & ((capset_t)1 << cap)))
			continue;
		name = capng_capability_to_name((unsigned)cap);
		r = snprintf(buf + n, len - n, "%s%s", n ? "," : "", name ? name : "?");
		if (r < 0 || (size_t)r >= len - n)
			break;
		n += (size_t)r;
	}
	return buf;
}

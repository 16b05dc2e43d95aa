/* cpus.c — see cpus.h. */
#include "cpus.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TEXT_MAX (256 << 10)	/* a mountinfo larger than this: no limit known */

/* A whole (procfs or cgroupfs) file into a new buffer, NUL-terminated. */
static char *slurp(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	size_t len = 0, cap = 4096;
	char *buf = fd < 0 ? NULL : malloc(cap);

	while (buf) {
		ssize_t n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == cap - 1) {
			char *nb = cap >= TEXT_MAX ? NULL : realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (buf)
		buf[len] = '\0';
	if (fd >= 0)
		close(fd);
	return buf;
}

/* cpu.max ("max 100000", "150000 100000") or v1's two files, in CPUs. */
static double quota_at(const char *dir, bool v2)
{
	char path[PATH_MAX + 32], *a, *b = NULL;
	double q = 0, quota, period;

	snprintf(path, sizeof path, "%s/%s", dir, v2 ? "cpu.max" : "cpu.cfs_quota_us");
	if (!(a = slurp(path)))
		return 0;
	if (v2) {
		if (sscanf(a, "%lf %lf", &quota, &period) == 2 && quota > 0 && period > 0)
			q = quota / period;
	} else {
		snprintf(path, sizeof path, "%s/cpu.cfs_period_us", dir);
		if ((b = slurp(path)) && sscanf(a, "%lf", &quota) == 1 &&
		    sscanf(b, "%lf", &period) == 1 && quota > 0 && period > 0)
			q = quota / period;
	}
	free(a);
	free(b);
	return q;
}

/* mountinfo escapes ' ', '\t', '\n' and '\\' as \ooo. */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

/* Does the comma-separated list hold word? */
static bool has_word(const char *list, const char *word)
{
	size_t l = strlen(word);

	for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, word, l) && (p[l] == ',' || p[l] == '\0' || p[l] == '\n'))
			return true;
	return false;
}

/* The cgroup path of the v2 hierarchy (v2) or of v1's cpu controller, from
 * /proc/self/cgroup, into out. */
static bool cgroup_path(const char *cgroup, bool v2, char *out, size_t len)
{
	for (const char *line = cgroup; line && *line;) {
		const char *nl = strchr(line, '\n'), *c1 = strchr(line, ':');
		const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		size_t l = nl ? (size_t)(nl - line) : strlen(line);

		if (c2 && c2 < line + l) {
			char ctrl[256];
			size_t cl = (size_t)(c2 - c1 - 1);
			bool match;

			snprintf(ctrl, sizeof ctrl, "%.*s", (int)(cl < sizeof ctrl ? cl : 0), c1 + 1);
			match = v2 ? (!strncmp(line, "0::", 3)) : (cl < sizeof ctrl && has_word(ctrl, "cpu"));
			if (match) {
				snprintf(out, len, "%.*s", (int)(line + l - c2 - 1), c2 + 1);
				return true;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	return false;
}

/* Walk one hierarchy: the smallest quota from the cgroup's folder up to
 * the mount point. */
static double walk_up(const char *prefix, const char *point, const char *root, const char *cg,
		      bool v2)
{
	char dir[PATH_MAX], top[PATH_MAX];
	size_t rl = strlen(root), tl;
	double q = 0;

	/* A container sees its own cgroup mounted at its root: the mount's
	 * root is a prefix of the path (or, with a cgroup namespace, both "/"). */
	if (strcmp(root, "/") && (strncmp(cg, root, rl) || (cg[rl] && cg[rl] != '/')))
		return 0;
	if (strcmp(root, "/"))
		cg += rl;
	snprintf(top, sizeof top, "%s%s", prefix, point);
	if (snprintf(dir, sizeof dir, "%s%s%s", top, *cg == '/' || !*cg ? "" : "/", cg) >=
	    (int)sizeof dir)
		return 0;
	tl = strlen(top);
	for (;;) {
		size_t dl = strlen(dir);
		double here;
		char *slash;

		while (dl > tl && dir[dl - 1] == '/')
			dir[--dl] = '\0';
		here = quota_at(dir, v2);
		if (here > 0 && (q == 0 || here < q))
			q = here;
		if (dl <= tl || !(slash = strrchr(dir, '/')) || (size_t)(slash - dir) < tl)
			break;
		*slash = '\0';
	}
	return q;
}

double cpus_quota(const char *cgroup, const char *mountinfo, const char *prefix)
{
	double q = 0;

	for (const char *line = mountinfo, *next; line && *line; line = next) {
		const char *nl = strchr(line, '\n');
		size_t l = nl ? (size_t)(nl - line) : strlen(line);
		char buf[4096], *f[6] = { 0 }, *sep, *fstype, *super, *save = NULL, cg[PATH_MAX];
		int n = 0;

		next = nl ? nl + 1 : NULL;
		if (l >= sizeof buf)
			continue;
		memcpy(buf, line, l);
		buf[l] = '\0';
		if (!(sep = strstr(buf, " - ")))
			continue;
		*sep = '\0';
		for (char *t = strtok_r(buf, " ", &save); t && n < 6; t = strtok_r(NULL, " ", &save))
			f[n++] = t;
		fstype = strtok_r(sep + 3, " ", &save);
		(void)strtok_r(NULL, " ", &save);	/* source */
		super = strtok_r(NULL, " ", &save);
		if (n < 5 || !fstype)
			continue;
		unescape(f[3]);
		unescape(f[4]);
		if (!strcmp(fstype, "cgroup2") && cgroup_path(cgroup, true, cg, sizeof cg)) {
			double h = walk_up(prefix, f[4], f[3], cg, true);
			if (h > 0 && (q == 0 || h < q))
				q = h;
		} else if (!strcmp(fstype, "cgroup") && super && has_word(super, "cpu") &&
			   cgroup_path(cgroup, false, cg, sizeof cg)) {
			double h = walk_up(prefix, f[4], f[3], cg, false);
			if (h > 0 && (q == 0 || h < q))
				q = h;
		}
	}
	return q;
}

unsigned cpus_available(void)
{
	cpu_set_t set;
	unsigned n = 1;
	char *cg, *mi;

	if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
		n = (unsigned)CPU_COUNT(&set);
	cg = slurp("/proc/self/cgroup");
	mi = cg ? slurp("/proc/self/mountinfo") : NULL;
	if (cg && mi) {
		double q = cpus_quota(cg, mi, "");
		unsigned up = (unsigned)q;

		if (up < q)
			up++;	/* rounded up */
		if (q > 0 && up < n)
			n = up;
	}
	free(cg);
	free(mi);
	return n ? n : 1;
}

/* config.c — see config.h. */
#include "config.h"
#include "ids.h"
#include "path.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *config_app_user(const struct config *cfg)
{
	return cfg->user ? cfg->user : CONFIG_DEFAULT_USER;
}

void config_free(struct config *cfg)
{
	free(cfg->user);
	free(cfg->group);
	free(cfg->home);
	for (size_t i = 0; i < cfg->npaths; i++)
		free(cfg->paths[i]);
	free(cfg->seccomp);
	free(cfg->selinux_context);
	free(cfg->uid_conflict);
	free(cfg->gid_conflict);
	for (size_t i = 0; i < cfg->ncallers; i++)
		free(cfg->callers[i].name);
	memset(cfg, 0, sizeof *cfg);
}

static bool is_space(char c) { return c == ' ' || c == '\t'; }

static int set_str(char **dst, const char *v, const char *key, int line, char *err, size_t errlen)
{
	if (*dst) {
		snprintf(err, errlen, "line %d: '%s' given twice", line, key);
		return -1;
	}
	if (!(*dst = strdup(v))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/* home and paths: stored in the one canonical form (path.h), never a
 * system folder, so that every command compares and opens the same path. */
static int canon_dup(char **dst, const char *v, const char *key, int line, char *err,
		     size_t errlen)
{
	char canon[PATH_CANON_MAX], q[300];
	const char *why = path_canon(v, canon, sizeof canon);

	if (!why && path_is_system(canon))
		why = "is a system folder; refused";
	if (why) {
		snprintf(err, errlen, "line %d: %s: '%s' %s", line, key, env_quote(v, q, sizeof q),
			 why);
		return -1;
	}
	if (!(*dst = strdup(canon))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static int parse_paths(struct config *cfg, char *v, int line, char *err, size_t errlen)
{
	char *save = NULL;

	if (cfg->npaths) {
		snprintf(err, errlen, "line %d: 'paths' given twice", line);
		return -1;
	}
	for (char *p = strtok_r(v, " \t", &save); p; p = strtok_r(NULL, " \t", &save)) {
		if (cfg->npaths == CONFIG_MAX_PATHS) {
			snprintf(err, errlen, "line %d: paths: more than %d", line, CONFIG_MAX_PATHS);
			return -1;
		}
		if (canon_dup(&cfg->paths[cfg->npaths], p, "paths", line, err, errlen) < 0)
			return -1;
		cfg->npaths++;
	}
	return 0;
}

/* "LO-HI" or "N" into lo..hi, 1 <= lo <= hi <= 4294967294. */
static bool parse_uids(char *s, uint32_t *lo, uint32_t *hi)
{
	char *dash = strchr(s, '-');

	if (dash)
		*dash = '\0';
	if (id_parse(s, lo) != ID_OK || (dash ? id_parse(dash + 1, hi) : ID_OK) != ID_OK)
		return false;
	if (!dash)
		*hi = *lo;
	return *lo != 0 && *lo <= *hi;
}

static int parse_range(struct config *cfg, char *v, int line, char *err, size_t errlen)
{
	char *dash = strchr(v, '-');

	if (cfg->have_uid_range) {
		snprintf(err, errlen, "line %d: 'uid_range' given twice", line);
		return -1;
	}
	if (!dash || !parse_uids(v, &cfg->uid_min, &cfg->uid_max))
		goto bad;
	cfg->have_uid_range = true;
	return 0;
bad:
	snprintf(err, errlen, "line %d: uid_range must be LO-HI with 1 <= LO <= HI <= 4294967294",
		 line);
	return -1;
}

/* allow_callers = ENTRY...: user names, uids, uid ranges, separated by
 * spaces or commas. */
static int parse_callers(struct config *cfg, char *v, int line, char *err, size_t errlen)
{
	char *save = NULL;

	if (cfg->have_callers) {
		snprintf(err, errlen, "line %d: 'allow_callers' given twice", line);
		return -1;
	}
	cfg->have_callers = true;
	for (char *p = strtok_r(v, " \t,", &save); p; p = strtok_r(NULL, " \t,", &save)) {
		struct caller_rule *c = &cfg->callers[cfg->ncallers];
		const char *why = NULL;

		if (cfg->ncallers == CONFIG_MAX_CALLERS) {
			snprintf(err, errlen, "line %d: allow_callers: more than %d entries", line,
				 CONFIG_MAX_CALLERS);
			return -1;
		}
		if (*p >= '0' && *p <= '9') {
			if (!parse_uids(p, &c->lo, &c->hi))
				why = "is not a uid or LO-HI with 1 <= LO <= HI <= 4294967294";
		} else if ((why = name_invalid(p)) == NULL && !(c->name = strdup(p))) {
			why = "(out of memory)";
		}
		if (why) {
			snprintf(err, errlen, "line %d: allow_callers: '%.40s' %s", line, p, why);
			return -1;
		}
		cfg->ncallers++;
	}
	return 0;
}

static int set_key(struct config *cfg, const char *key, char *v, int line, char *err, size_t errlen)
{
	if (!strcmp(key, "user") || !strcmp(key, "group")) {
		const char *why = name_invalid(v);
		if (why) {
			snprintf(err, errlen, "line %d: %s '%s' %s", line, key, v, why);
			return -1;
		}
		return set_str(!strcmp(key, "user") ? &cfg->user : &cfg->group, v, key, line, err, errlen);
	}
	if (!strcmp(key, "home")) {
		if (cfg->home) {
			snprintf(err, errlen, "line %d: 'home' given twice", line);
			return -1;
		}
		return canon_dup(&cfg->home, v, key, line, err, errlen);
	}
	if (!strcmp(key, "paths"))
		return parse_paths(cfg, v, line, err, errlen);
	if (!strcmp(key, "uid_range"))
		return parse_range(cfg, v, line, err, errlen);
	if (!strcmp(key, "allow_callers"))
		return parse_callers(cfg, v, line, err, errlen);
	if (!strcmp(key, "allow_setuid")) {
		if (cfg->have_allow_setuid) {
			snprintf(err, errlen, "line %d: 'allow_setuid' given twice", line);
			return -1;
		}
		cfg->have_allow_setuid = true;
		if (!strcmp(v, "yes"))
			cfg->allow_setuid = true;
		else if (strcmp(v, "no")) {
			snprintf(err, errlen, "line %d: allow_setuid must be 'yes' or 'no'", line);
			return -1;
		}
		return 0;
	}
	if (!strcmp(key, "seccomp"))
		return set_str(&cfg->seccomp, v, key, line, err, errlen);
	if (!strcmp(key, "caps") || !strcmp(key, "allow_caps")) {
		bool allow = key[0] == 'a';
		bool *have = allow ? &cfg->have_allow_caps : &cfg->have_caps;
		char why[128];
		if (*have) {
			snprintf(err, errlen, "line %d: '%s' given twice", line, key);
			return -1;
		}
		if (caps_parse(!strcmp(v, "none") ? "" : v, allow ? &cfg->allow_caps : &cfg->caps,
			       why, sizeof why) < 0) {
			snprintf(err, errlen, "line %d: %s: %s", line, key, why);
			return -1;
		}
		*have = true;
		return 0;
	}
	if (!strcmp(key, "selinux_context"))
		return set_str(&cfg->selinux_context, v, key, line, err, errlen);
	if (!strcmp(key, "uid_conflict") || !strcmp(key, "gid_conflict")) {
		if (strcmp(v, "move") && strcmp(v, "share") && strcmp(v, "fail")) {
			snprintf(err, errlen, "line %d: %s must be move, share or fail", line, key);
			return -1;
		}
		return set_str(key[0] == 'u' ? &cfg->uid_conflict : &cfg->gid_conflict, v, key,
			       line, err, errlen);
	}
	snprintf(err, errlen, "line %d: unknown key '%.40s'", line, key);
	return -1;
}

int config_parse(const char *buf, size_t len, struct config *cfg, char *err, size_t errlen)
{
	size_t pos = 0;
	int line = 0;

	memset(cfg, 0, sizeof *cfg);
	if (memchr(buf, '\0', len)) {
		snprintf(err, errlen, "contains a NUL byte");
		return -1;
	}
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t l = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		char text[1024], *k, *eq, *v, *end;

		line++;
		if (l >= sizeof text) {
			snprintf(err, errlen, "line %d: longer than %zu bytes", line, sizeof text - 1);
			goto fail;
		}
		memcpy(text, buf + pos, l);
		text[l] = '\0';
		pos += l + (nl ? 1 : 0);

		for (k = text; is_space(*k); k++)
			;
		end = k + strlen(k);
		while (end > k && (is_space(end[-1]) || end[-1] == '\r'))
			*--end = '\0';
		if (*k == '\0' || *k == '#')
			continue;
		eq = strchr(k, '=');
		if (!eq) {
			snprintf(err, errlen, "line %d: expected 'key = value'", line);
			goto fail;
		}
		for (v = eq + 1; is_space(*v); v++)
			;
		for (end = eq; end > k && is_space(end[-1]); end--)
			;
		*end = '\0';
		if (*k == '\0') {
			snprintf(err, errlen, "line %d: missing key before '='", line);
			goto fail;
		}
		if (*v == '\0') {
			snprintf(err, errlen, "line %d: '%s' has no value", line, k);
			goto fail;
		}
		for (const char *c = v; *c; c++)
			if ((unsigned char)*c < 0x20 && *c != '\t') {
				snprintf(err, errlen, "line %d: control character in value", line);
				goto fail;
			}
		if (set_key(cfg, k, v, line, err, errlen) < 0)
			goto fail;
	}
	cfg->loaded = true;
	return 0;
fail:
	config_free(cfg);
	return -1;
}

/* Root-owned and not writable by group or others. */
static const char *unsafe(const struct stat *st)
{
	if (st->st_uid != 0)
		return "is not owned by root";
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return "is writable by group or others";
	return NULL;
}

/* An error about the config file: "PATH" then the message.  Apart and
 * cold, so that the path's 4 KiB buffer is on the stack only on failure:
 * every exec reads the config, and its callees ran a page deeper. */
static __attribute__((noinline, cold, format(printf, 4, 5))) int
config_fail(const struct rootfs *r, char *err, size_t errlen, const char *fmt, ...)
{
	char shown[4096], what[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s%s", rootfs_display(r, CONFIG_PATH, shown, sizeof shown), what);
	return -1;
}

int config_load(const struct rootfs *r, struct config *cfg, char *err, size_t errlen)
{
	char *buf = NULL, why[512];
	struct stat st, fst;
	size_t len;
	const char *bad;
	int dfd, fd, rc;

	memset(cfg, 0, sizeof *cfg);
	fd = rootfs_openat(r, CONFIG_PATH, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK, 0);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return config_fail(r, err, errlen, ": %s", strerror(-fd));
	/* The file, then each folder up to the root, on descriptors. */
	if (fstat(fd, &fst) < 0 || !S_ISREG(fst.st_mode)) {
		config_fail(r, err, errlen, " is not a regular file");
		goto fail_fd;
	}
	if ((bad = unsafe(&fst))) {
		config_fail(r, err, errlen, " %s; refusing it", bad);
		goto fail_fd;
	}
	dfd = rootfs_openat(r, "etc", O_PATH | O_DIRECTORY, 0);
	if (dfd < 0 || fstat(dfd, &st) < 0 || (bad = unsafe(&st))) {
		config_fail(r, err, errlen, ": its folder %s; refusing it",
			    dfd < 0 ? "cannot be opened" : bad ? bad : "cannot be checked");
		if (dfd >= 0)
			close(dfd);
		goto fail_fd;
	}
	close(dfd);
	if (fstat(r->fd, &st) < 0 || (bad = unsafe(&st))) {
		config_fail(r, err, errlen, ": the root folder %s; refusing it",
			    bad ? bad : "cannot be checked");
		goto fail_fd;
	}
	rc = read_fd_stat(fd, &fst, CONFIG_MAX_SIZE, &buf, &len);
	close(fd);
	if (rc < 0)
		return config_fail(r, err, errlen, ": %s", strerror(-rc));
	rc = config_parse(buf, len, cfg, why, sizeof why);
	free(buf);
	if (rc < 0)
		return config_fail(r, err, errlen, ": %s", why);
	return 0;
fail_fd:
	close(fd);
	return -1;
}

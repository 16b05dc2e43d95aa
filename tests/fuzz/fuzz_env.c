/* libFuzzer target: the environment contract of `appuser setup` (env.c).
 * The input is split on NUL bytes into "NAME=VALUE" strings, as environ
 * would hold them (names are picked from the documented ones by the first
 * byte when the string has no '=', so the fuzzer reaches every parser).
 * Invariants: an accepted environment only holds values setup may write
 * (valid names, canonical absolute non-system paths, IDs 1..4294967294);
 * a refused one gives a single line that names a documented variable. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"
#include "ids.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {
	"APPLICATION_USER", "APPLICATION_GROUP", "APPLICATION_UID", "APPLICATION_GID",
	"APPLICATION_HOME", "APPLICATION_PATH", "APPLICATION_GROUPS", "PUID", "PGID",
	"APPLICATION_UID_CONFLICT", "APPLICATION_GID_CONFLICT",
};

static void check_path(const char *p)
{
	char canon[ENV_PATH_MAX];

	if (path_canon(p, canon, sizeof canon) || strcmp(canon, p) || path_is_system(p))
		abort();
}

static void check(const struct app_env *e)
{
	if ((e->user && (name_invalid(e->user) || !strcmp(e->user, "root"))) ||
	    (e->group && (name_invalid(e->group) || !strcmp(e->group, "root"))))
		abort();
	if ((e->uid_how == IDW_VALUE && (e->uid == 0 || e->uid > ID_MAX)) ||
	    (e->gid_how == IDW_VALUE && (e->gid == 0 || e->gid > ID_MAX)))
		abort();
	if (e->home)
		check_path(e->home);
	for (size_t i = 0; i < e->npaths; i++)
		check_path(e->paths[i]);
	for (size_t i = 0; i < e->ngroups; i++) {
		char canon[ENV_PATH_MAX];
		if (e->groups[i][0] == '/' ? (path_canon(e->groups[i], canon, sizeof canon) != NULL)
					   : (name_invalid(e->groups[i]) != NULL))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *envp[33], err[1024];
	size_t n = 0, pos = 0;
	char *owned[33];
	size_t nowned = 0;
	struct app_env e;
	int rc;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	while (pos <= size && n < 32) {
		char *s = buf + pos;
		size_t l = strlen(s);
		if (!strchr(s, '=') && l > 0) {
			const char *nm = names[(unsigned char)s[0] % (sizeof names / sizeof *names)];
			char *t = malloc(strlen(nm) + l + 1);
			if (!t)
				break;
			strcpy(t, nm);
			strcat(t, "=");
			strcat(t, s + 1);
			owned[nowned++] = t;
			s = t;
		}
		envp[n++] = s;
		pos += l + 1;
	}
	envp[n] = NULL;
	rc = env_parse(envp, &e, err, sizeof err);
	if (rc == 0) {
		check(&e);
		env_free(&e);
	} else {
		int named = 0;
		if (rc != -1 || strchr(err, '\n'))
			abort();
		for (size_t i = 0; i < sizeof names / sizeof *names; i++)
			named |= strstr(err, names[i]) != NULL;
		if (!named)
			abort();
	}
	for (size_t i = 0; i < nowned; i++)
		free(owned[i]);
	free(buf);
	return 0;
}

/* tests/unit/fixture.c — see fixture.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accounts/edit.h"
#include "fixture.h"

/* Entries (0-based, as in db.e[]): 1 comment, 2 blank, 3 NIS "+", 4 NIS
 * "-", 6 uid not a number, 7 too few fields, 8 too many, 11/12 the same
 * name twice, 13 uid 4294967294, 14 uid 2^32 (wraps), 15 no newline. */
const char FX_PASSWD[] =
	"root:x:0:0:root:/root:/bin/bash\n"
	"# a comment\n"
	"\n"
	"+nisuser::::::\n"
	"-\n"
	"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
	"broken:x:notanumber:1::/:/bin/sh\n"
	"short:x:7\n"
	"toomany:x:8:8:a:b:c:d\n"
	"games:x:5:60:games:/usr/games:/usr/sbin/nologin\n"
	"nohome:x:77:77:::/bin/sh\n"
	"dup:x:500:500::/first:/bin/sh\n"
	"dup:x:501:501::/second:/bin/sh\n"
	"big:x:4294967294:4294967294::/big:/bin/sh\n"
	"wrap:x:4294967296:0::/wrap:/bin/sh\n"
	"nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin";

/* "extra" lists names that contain "games" without being it. */
const char FX_GROUP[] =
	"root:x:0:\n"
	"daemon:x:1:\n"
	"games:x:60:\n"
	"users:x:100:games,nobody\n"
	"extra:x:200:xgames,gamesx,games\n"
	"+:::\n"
	"nogroup:x:65534:\n";

void fx_parse(enum acct_kind kind, const char *text, struct acct_db *db)
{
	assert_int_equal(acct_parse(kind, text, strlen(text), db), 0);
}

char *fx_serialize(const struct acct_db *db)
{
	char *buf;
	size_t len;

	assert_int_equal(acctdb_serialize(db, &buf, &len), 0);
	assert_int_equal(strlen(buf), len);
	return buf;
}

char *fx_cat(const char *a, const char *b)
{
	char *s;

	assert_true(asprintf(&s, "%s%s", a, b ? b : "") >= 0);
	return s;
}

/* ---- scratch folders ------------------------------------------------- */

static char *tmpdirs[64];
static size_t ntmpdirs;

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st; (void)type; (void)ftw;
	return remove(path) < 0 ? -1 : 0;
}

static void rm_tmpdirs(void)
{
	for (size_t i = 0; i < ntmpdirs; i++) {
		nftw(tmpdirs[i], rm_one, 16, FTW_DEPTH | FTW_PHYS);
		free(tmpdirs[i]);
	}
	ntmpdirs = 0;
}

const char *fx_tmpdir(const char *name)
{
	char *d;

	assert_true(ntmpdirs < sizeof tmpdirs / sizeof *tmpdirs);
	assert_true(asprintf(&d, "/tmp/appuser-%s.XXXXXX", name) >= 0);
	assert_non_null(mkdtemp(d));
	if (ntmpdirs == 0)
		atexit(rm_tmpdirs);
	tmpdirs[ntmpdirs++] = d;
	return d;
}

void fx_put(const char *dir, const char *rel, const char *text)
{
	char *path, *full;
	FILE *f;

	while (*rel == '/')
		rel++;
	path = fx_cat(dir, "/");
	full = fx_cat(path, rel);
	for (char *p = full + strlen(path); (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(full, 0755);
		*p = '/';
	}
	f = fopen(full, "w");
	if (!f)
		fail_msg("cannot write %s", full);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	free(full);
	free(path);
}

/* ---- a policy source with fake files ------------------------------------ */

static const char *const fake_files[][2] = {
	{ "inc.policy", "bpf\n" },
	{ "bad.policy", "ok_call\n\nmount arg0 ==\n" },
	{ "loop.policy", "@include loop.policy\n" },
	{ "<base>", "unshare\nclone3 errno ENOSYS\n" },
};

static int fake_load(void *ctx, const char *from, const char *name, bool builtin, char **path,
		     char **text, size_t *len, char *err, size_t errlen)
{
	char key[128];

	(void)ctx; (void)from;
	snprintf(key, sizeof key, builtin ? "<%s>" : "%s", name);
	for (size_t i = 0; i < sizeof fake_files / sizeof *fake_files; i++)
		if (!strcmp(fake_files[i][0], key)) {
			*path = strdup(key);
			*text = strdup(fake_files[i][1]);
			*len = strlen(*text);
			return 0;
		}
	snprintf(err, errlen, "no such file");
	return -1;
}

static bool fake_known(void *ctx, const char *name)
{
	(void)ctx;
	return strncmp(name, "nosuch", 6) != 0;
}

const struct policy_source fx_policy_source = { fake_load, fake_known, NULL };

int fx_policy(const char *text, struct policy *p, char *err, size_t errlen)
{
	return policy_parse("t.policy", text, strlen(text), &fx_policy_source, p, err, errlen);
}

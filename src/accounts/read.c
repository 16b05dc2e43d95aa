/* accounts/read.c — see accounts/read.h. */
#include "accounts/read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int accounts_etc_open(const struct rootfs *r)
{
	return rootfs_openat(r, "etc", O_RDONLY | O_DIRECTORY, 0);
}

int accounts_read_at(int etcfd, enum acct_kind kind, struct af_snapshot *snap,
		     struct acct_db *db)
{
	int rc = af_read(etcfd, acct_file_name(kind), ACCT_MAX_FILE, snap);

	memset(db, 0, sizeof *db);
	db->kind = kind;
	if (rc < 0)
		return rc;
	return acct_parse(kind, snap->buf ? snap->buf : "", snap->len, db);
}

/* Cold and never inlined: the path's buffer is on the stack only on
 * failure (exec reads passwd and group at every start). */
__attribute__((noinline, cold)) void
accounts_read_error(const struct rootfs *r, enum acct_kind kind, int rc, char *err, size_t errlen)
{
	char rel[32], where[4200];

	snprintf(rel, sizeof rel, "etc/%s", acct_file_name(kind));
	snprintf(err, errlen, "%s: %s%s", rootfs_display(r, rel, where, sizeof where),
		 strerror(-rc), rc == -ELOOP ? " (a symlink; refused)" : "");
}

static __attribute__((noinline, cold)) void
etc_error(const struct rootfs *r, int rc, char *err, size_t errlen)
{
	char where[4200];

	snprintf(err, errlen, "%s: %s", rootfs_display(r, "etc", where, sizeof where),
		 strerror(-rc));
}

/* kinds[i] into dbs[i], all from one open of etc. */
static int load_kinds(const struct rootfs *r, const enum acct_kind *kinds, struct acct_db **dbs,
		      size_t n, char *err, size_t errlen)
{
	int etcfd = accounts_etc_open(r), rc = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		memset(dbs[i], 0, sizeof *dbs[i]);
		dbs[i]->kind = kinds[i];
	}
	if (etcfd < 0) {
		etc_error(r, etcfd, err, errlen);
		return etcfd;
	}
	for (i = 0; i < n && rc == 0; i++) {
		struct af_snapshot snap;

		/* Lookups only: parsed where it was read, the buffer is the db's. */
		rc = af_read(etcfd, acct_file_name(kinds[i]), ACCT_MAX_FILE, &snap);
		if (rc == 0)
			rc = acct_parse_view(kinds[i], snap.buf, snap.len, dbs[i]);
		if (rc < 0)
			accounts_read_error(r, kinds[i], rc, err, errlen);
	}
	close(etcfd);
	if (rc < 0)
		for (i = 0; i < n; i++)
			acct_free(dbs[i]);
	return rc;
}

int accounts_load(const struct rootfs *r, enum acct_kind kind, struct acct_db *db, char *err,
		  size_t errlen)
{
	return load_kinds(r, &kind, &db, 1, err, errlen);
}

int accounts_load_users(const struct rootfs *r, struct acct_db *pw, struct acct_db *gr,
			char *err, size_t errlen)
{
	const enum acct_kind kinds[] = { ACCT_PASSWD, ACCT_GROUP };
	struct acct_db *dbs[] = { pw, gr };

	return load_kinds(r, kinds, dbs, 2, err, errlen);
}

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

void accounts_read_error(const struct rootfs *r, enum acct_kind kind, int rc, char *err,
			 size_t errlen)
{
	char rel[32], where[4200];

	snprintf(rel, sizeof rel, "etc/%s", acct_file_name(kind));
	snprintf(err, errlen, "%s: %s%s", rootfs_display(r, rel, where, sizeof where),
		 strerror(-rc), rc == -ELOOP ? " (a symlink; refused)" : "");
}

int accounts_load(const struct rootfs *r, enum acct_kind kind, struct acct_db *db, char *err,
		  size_t errlen)
{
	struct af_snapshot snap = { 0 };
	int etcfd = accounts_etc_open(r), rc;
	char where[4200];

	memset(db, 0, sizeof *db);
	db->kind = kind;
	if (etcfd < 0) {
		snprintf(err, errlen, "%s: %s", rootfs_display(r, "etc", where, sizeof where),
			 strerror(-etcfd));
		return etcfd;
	}
	rc = accounts_read_at(etcfd, kind, &snap, db);
	af_snapshot_free(&snap);
	close(etcfd);
	if (rc < 0)
		accounts_read_error(r, kind, rc, err, errlen);
	return rc;
}

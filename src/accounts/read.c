/* accounts/read.c — see accounts/read.h. */
#include "accounts/read.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *acct_path(enum acct_kind kind)
{
	switch (kind) {
	case ACCT_PASSWD: return PATH_PASSWD;
	case ACCT_GROUP: return PATH_GROUP;
	case ACCT_SHADOW: return PATH_SHADOW;
	case ACCT_GSHADOW: return PATH_GSHADOW;
	}
	return "";
}

int accounts_load(const struct rootfs *r, enum acct_kind kind, bool missing_ok, struct acct_db *db)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	memset(db, 0, sizeof *db);
	db->kind = kind;
	rc = rootfs_read_file(r, acct_path(kind), ACCT_MAX_FILE, &buf, &len);
	if (rc == -ENOENT && missing_ok)
		return 0;
	if (rc < 0)
		return rc;
	rc = acct_parse(kind, buf, len, db);
	free(buf);
	return rc;
}

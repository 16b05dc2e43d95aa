/* accounts/read.h — loading the account files from a root folder.  Lookups never
 * go through NSS: a static binary must resolve users the same way in a
 * scratch, Alpine or Debian image (DESIGN §2). */
#ifndef APPUSER_ACCOUNTS_READ_H
#define APPUSER_ACCOUNTS_READ_H

#include "accounts/line.h"
#include "rootfs.h"

#define PATH_PASSWD "etc/passwd"
#define PATH_GROUP "etc/group"
#define PATH_SHADOW "etc/shadow"
#define PATH_GSHADOW "etc/gshadow"

const char *acct_path(enum acct_kind kind);

/* Load one file.  A missing file gives an empty db and returns 0 when
 * missing_ok; other errors return -errno. */
int accounts_load(const struct rootfs *r, enum acct_kind kind, bool missing_ok, struct acct_db *db);

#endif

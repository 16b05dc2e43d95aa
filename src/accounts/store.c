/* accounts/store.c — see accounts/store.h. */
#include "accounts/store.h"
#include "accounts/edit.h"
#include "accounts/lock.h"
#include "accounts/read.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The journal is an empty file whose name is its content (store.h):
 * ".appuser-txn.passwd=INODE.group=INODE", 0 for a file that did not
 * exist.  Older names (".appuser-txn", ".appuser-txn+") count as
 * leftovers without a commit: their temps are dropped. */
#define JOURNAL ".appuser-txn"
#define JOURNAL_MAX 200

/* The file's name (accounts/line.h's one table), by loop index. */
static const char *fname(int k)
{
	return acct_file_name((enum acct_kind)k);
}

static void tmp_name(enum acct_kind k, char *buf, size_t len)
{
	snprintf(buf, len, "%s+", fname(k));
}

static const char *shown(const struct acct_store *s, const char *name, char *buf, size_t len)
{
	char rel[96];
	snprintf(rel, sizeof rel, "etc/%s", name);
	return rootfs_display(s->root, rel, buf, len);
}

int store_open(struct acct_store *s, const struct rootfs *root)
{
	memset(s, 0, sizeof *s);
	s->root = root;
	s->pwfd = -1;
	for (int k = 0; k < ACCT_KINDS; k++)
		s->db[k].kind = (enum acct_kind)k;
	s->etcfd = accounts_etc_open(root);
	return s->etcfd < 0 ? s->etcfd : 0;
}

void store_close(struct acct_store *s)
{
	store_unlock(s);
	for (int k = 0; k < ACCT_KINDS; k++) {
		af_snapshot_free(&s->snap[k]);
		acct_free(&s->db[k]);
		s->db[k].kind = (enum acct_kind)k;
	}
	if (s->etcfd >= 0)
		close(s->etcfd);
	s->etcfd = -1;
}

int store_load(struct acct_store *s, char *err, size_t errlen)
{
	int rc;

	for (int k = 0; k < ACCT_KINDS; k++) {
		af_snapshot_free(&s->snap[k]);
		acct_free(&s->db[k]);
		rc = accounts_read_at(s->etcfd, (enum acct_kind)k, &s->snap[k], &s->db[k]);
		if (rc < 0) {
			accounts_read_error(s->root, (enum acct_kind)k, rc, err, errlen);
			return rc;
		}
	}
	return 0;
}

static bool same_time(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

bool store_unchanged(const struct acct_store *s)
{
	for (int k = 0; k < ACCT_KINDS; k++) {
		const struct stat *o = &s->snap[k].st;
		struct stat st;
		bool exists = fstatat(s->etcfd, fname(k), &st, AT_SYMLINK_NOFOLLOW) == 0;

		if (exists != s->snap[k].exists)
			return false;
		if (exists && (st.st_dev != o->st_dev || st.st_ino != o->st_ino ||
			       st.st_size != o->st_size || !same_time(&st.st_mtim, &o->st_mtim) ||
			       !same_time(&st.st_ctim, &o->st_ctim)))
			return false;
	}
	return true;
}

/* Journal, temp, lock or PID files of ours or shadow's in etc. */
static bool is_leftover(const char *d)
{
	for (int k = 0; k < ACCT_KINDS; k++) {
		size_t l = strlen(fname(k));
		if (strncmp(d, fname(k), l))
			continue;
		if (!strcmp(d + l, "+") || !strcmp(d + l, ".lock"))
			return true;
		if (d[l] == '.' && d[l + 1] >= '0' && d[l + 1] <= '9')
			return true;
	}
	return !strncmp(d, JOURNAL, strlen(JOURNAL));
}

bool store_has_leftovers(const struct acct_store *s)
{
	int dfd = openat(s->etcfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	bool found = false;
	DIR *d;

	if (dfd < 0)
		return true;	/* cannot tell: take the careful path */
	if (!(d = fdopendir(dfd))) {
		close(dfd);
		return true;
	}
	while (!found && (de = readdir(d)))
		found = is_leftover(de->d_name);
	closedir(d);
	return found;
}

int store_lock(struct acct_store *s, unsigned timeout_ms, char *err, size_t errlen)
{
	const char *names[ACCT_KINDS];
	char where[4200];
	int rc, taken;

	/* lckpwdf() first, then the files, in shadow's order. */
	s->pwfd = lock_pwd(s->etcfd, timeout_ms);
	if (s->pwfd < 0) {
		rc = s->pwfd;
		s->pwfd = -1;
		snprintf(err, errlen, "cannot lock %s: %s", shown(s, ".pwd.lock", where, sizeof where),
			 rc == -ETIMEDOUT ? "another program holds it (timed out)" : strerror(-rc));
		return rc;
	}
	for (int k = 0; k < ACCT_KINDS; k++)
		names[k] = fname(k);
	rc = lock_files(s->etcfd, names, ACCT_KINDS, timeout_ms, &taken);
	for (int k = 0; k < taken; k++)
		s->locked[k] = true;
	if (rc < 0) {
		char lk[64];
		snprintf(lk, sizeof lk, "%s.lock", fname(taken));
		snprintf(err, errlen, "cannot lock %s: %s", shown(s, lk, where, sizeof where),
			 rc == -ETIMEDOUT ? "another program holds it (timed out)" :
			 rc == -EPROTO ? "it holds no PID; remove it if no tool is running" :
			 strerror(-rc));
		store_unlock(s);
		return rc;
	}
	return 0;
}

void store_unlock(struct acct_store *s)
{
	for (int k = ACCT_KINDS - 1; k >= 0; k--)
		if (s->locked[k]) {
			unlock_file(s->etcfd, fname(k));
			s->locked[k] = false;
		}
	if (s->pwfd >= 0)
		unlock_pwd(s->pwfd);
	s->pwfd = -1;
}

/* The journal's name, parsed: ino[k] for each file it names (named[k]). */
struct journal {
	bool named[ACCT_KINDS];
	ino_t ino[ACCT_KINDS];
};

static int journal_parse(const char *name, struct journal *j)
{
	const char *p = name + strlen(JOURNAL);

	memset(j, 0, sizeof *j);
	while (*p == '.') {
		const char *eq = strchr(++p, '='), *end;
		uintmax_t ino = 0;
		int k;

		if (!eq)
			return -1;
		for (k = 0; k < ACCT_KINDS; k++)
			if ((size_t)(eq - p) == strlen(fname(k)) && !strncmp(p, fname(k), (size_t)(eq - p)))
				break;
		if (k == ACCT_KINDS || eq[1] < '0' || eq[1] > '9')
			return -1;
		for (end = eq + 1; *end >= '0' && *end <= '9' && ino < UINTMAX_MAX / 10; end++)
			ino = ino * 10 + (uintmax_t)(*end - '0');
		j->named[k] = true;
		j->ino[k] = (ino_t)ino;
		p = end;
	}
	return *p ? -1 : 0;
}

/* The name of etc's journal, if any, into buf (JOURNAL_MAX). */
static bool journal_find(const struct acct_store *s, char *buf)
{
	int dfd = openat(s->etcfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	bool found = false;
	DIR *d;

	if (dfd < 0 || !(d = fdopendir(dfd))) {
		if (dfd >= 0)
			close(dfd);
		return false;
	}
	while (!found && (de = readdir(d)))
		if (!strncmp(de->d_name, JOURNAL ".", strlen(JOURNAL) + 1) &&
		    strlen(de->d_name) < JOURNAL_MAX) {
			snprintf(buf, JOURNAL_MAX, "%s", de->d_name);
			found = true;
		}
	closedir(d);
	return found;
}

/* True when name and its backup "name-" hold the same bytes. */
static bool same_as_backup(int etcfd, const char *name)
{
	struct af_snapshot a, b;
	char bak[40];
	bool same;

	snprintf(bak, sizeof bak, "%s-", name);
	if (af_read(etcfd, name, ACCT_MAX_FILE, &a) < 0)
		return false;
	if (af_read(etcfd, bak, ACCT_MAX_FILE, &b) < 0) {
		af_snapshot_free(&a);
		return false;
	}
	same = a.exists && b.exists && a.len == b.len && memcmp(a.buf, b.buf, a.len) == 0;
	af_snapshot_free(&a);
	af_snapshot_free(&b);
	return same;
}

/* Finish the renames a journal promises, over unchanged targets only:
 * a file is renamed over only while it is still the inode the journal
 * names (absent for 0), so a useradd after the crash is never undone.  On
 * an overlay without inode index (rootless Podman's) the number changes
 * once the backup link exists, so a file whose number is not the
 * journal's still counts as unchanged while it holds its backup's very
 * bytes: the backup was linked to it before the commit point, and any
 * program that changed it since (shadow's tools write a new backup too)
 * made them differ. */
static int roll_forward(struct acct_store *s, const struct journal *j)
{
	int done = 0;

	for (int k = 0; k < ACCT_KINDS; k++) {
		struct stat tmp_st, cur;
		char tmp[32];
		bool same;

		if (!j->named[k])
			continue;
		tmp_name((enum acct_kind)k, tmp, sizeof tmp);
		if (fstatat(s->etcfd, tmp, &tmp_st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;	/* renamed already */
		same = fstatat(s->etcfd, fname(k), &cur, AT_SYMLINK_NOFOLLOW) == 0
			? j->ino[k] != 0 && (cur.st_ino == j->ino[k] || same_as_backup(s->etcfd, fname(k)))
			: errno == ENOENT && j->ino[k] == 0;
		if (same && renameat(s->etcfd, tmp, s->etcfd, fname(k)) == 0)
			done++;
		else
			unlinkat(s->etcfd, tmp, 0);
	}
	return done;
}

int store_recover(struct acct_store *s, char *err, size_t errlen)
{
	char name[JOURNAL_MAX];
	struct journal j;
	int done = 0;

	(void)err;
	(void)errlen;
	if (journal_find(s, name)) {
		if (journal_parse(name, &j) == 0)
			done = roll_forward(s, &j);
		/* The renames are durable before the journal goes. */
		if (done)
			af_fsync_dir(s->etcfd);
		unlinkat(s->etcfd, name, 0);
	}
	/* Without a (valid) journal, temps are uncommitted: drop them; and
	 * the journal names of older versions. */
	for (int k = 0; k < ACCT_KINDS; k++) {
		char tmp[32];
		tmp_name((enum acct_kind)k, tmp, sizeof tmp);
		unlinkat(s->etcfd, tmp, 0);
	}
	unlinkat(s->etcfd, JOURNAL, 0);
	unlinkat(s->etcfd, JOURNAL "+", 0);
	lock_sweep(s->etcfd);
	return done;
}

struct txn {
	char *buf[ACCT_KINDS];
	size_t len[ACCT_KINDS];
	struct af_attrs attrs[ACCT_KINDS];
	char journal[JOURNAL_MAX];
};

static void txn_free(struct txn *t)
{
	for (int k = 0; k < ACCT_KINDS; k++) {
		free(t->buf[k]);
		af_attrs_free(&t->attrs[k]);
	}
}

/* Owner, mode and label to give the new file: the original's, or
 * root-owned 0644 for a passwd/group file that did not exist. */
static int prepare_one(struct acct_store *s, int k, struct txn *t, char *err, size_t errlen)
{
	char where[4200];
	int rc;

	shown(s, fname(k), where, sizeof where);
	if (acctdb_serialize(&s->db[k], &t->buf[k], &t->len[k]) < 0) {
		snprintf(err, errlen, "%s: out of memory", where);
		return -ENOMEM;
	}
	if (!s->snap[k].exists) {
		t->attrs[k].mode = (k == ACCT_SHADOW || k == ACCT_GSHADOW) ? 0600 : 0644;
		return 0;
	}
	rc = af_attrs_get(s->etcfd, fname(k), &s->snap[k].st, &t->attrs[k]);
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", where, rc == -ESTALE ?
			 "replaced by another program while locked; try again" : strerror(-rc));
		return rc;
	}
	rc = af_is_mountpoint(s->etcfd, fname(k));
	if (rc != 0) {
		snprintf(err, errlen, "%s: %s", where, rc > 0 ?
			 "is a bind mount (rename would fail with EBUSY); change the file on "
			 "the host, or mount its folder instead; nothing was changed" :
			 strerror(-rc));
		return rc > 0 ? -EBUSY : rc;
	}
	return 0;
}

static void drop_temps(struct acct_store *s, const bool dirty[])
{
	char tmp[32];

	for (int k = 0; k < ACCT_KINDS; k++) {
		tmp_name((enum acct_kind)k, tmp, sizeof tmp);
		if (dirty[k])
			unlinkat(s->etcfd, tmp, 0);
	}
}

/* Backups and temps; on failure the temps are gone. */
static int write_temps(struct acct_store *s, const bool dirty[], struct txn *t,
		       char *err, size_t errlen)
{
	char where[4200], tmp[32];
	int rc = 0, k;

	for (k = 0; k < ACCT_KINDS && rc == 0; k++) {
		if (!dirty[k])
			continue;
		tmp_name((enum acct_kind)k, tmp, sizeof tmp);
		if (s->snap[k].exists &&
		    (rc = af_backup_link(s->etcfd, fname(k), tmp, &s->snap[k])) < 0) {
			snprintf(err, errlen, "cannot write the backup %s-: %s",
				 shown(s, fname(k), where, sizeof where), strerror(-rc));
			break;
		}
		if ((rc = af_write_temp(s->etcfd, tmp, t->buf[k], t->len[k], &t->attrs[k])) < 0)
			snprintf(err, errlen, "cannot write %s: %s",
				 shown(s, tmp, where, sizeof where), strerror(-rc));
	}
	if (rc < 0)
		drop_temps(s, dirty);
	return rc;
}

/* The commit point: the journal's name, durable in etc, after every
 * temp.  One barrier: the journal is empty (its name is its content), so
 * only the folder needs fsync, and that fsync also makes the backups'
 * names durable. */
static int write_journal(struct acct_store *s, const bool dirty[], struct txn *t, char *err,
			 size_t errlen)
{
	size_t o = (size_t)snprintf(t->journal, sizeof t->journal, "%s", JOURNAL);
	int fd, rc = 0;

	for (int k = 0; k < ACCT_KINDS; k++)
		if (dirty[k])
			o += (size_t)snprintf(t->journal + o, sizeof t->journal - o, ".%s=%ju",
					      fname(k), (uintmax_t)(s->snap[k].exists ?
								    s->snap[k].st.st_ino : 0));
	fd = openat(s->etcfd, t->journal, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW |
		    O_NOCTTY, 0600);
	if (fd < 0)
		rc = -errno;
	else if (close(fd) < 0 || (rc = af_fsync_dir(s->etcfd)) < 0) {
		rc = rc ? rc : -errno;
		unlinkat(s->etcfd, t->journal, 0);
	}
	if (rc < 0)
		snprintf(err, errlen, "cannot write the journal /etc/%s: %s", t->journal,
			 strerror(-rc));
	return rc;
}

/* A rename failed after the commit point (EBUSY on a kernel that hid the
 * bind mount, EIO...): put back the files already renamed, from their
 * backups, which are the replaced inodes themselves. */
static void roll_back(struct acct_store *s, const bool dirty[], int upto, struct txn *t)
{
	char tmp[32], bak[40];

	for (int k = 0; k < ACCT_KINDS; k++) {
		if (!dirty[k])
			continue;
		tmp_name((enum acct_kind)k, tmp, sizeof tmp);
		if (k >= upto) {
			unlinkat(s->etcfd, tmp, 0);
			continue;
		}
		if (!s->snap[k].exists) {
			unlinkat(s->etcfd, fname(k), 0);
			continue;
		}
		snprintf(bak, sizeof bak, "%s-", fname(k));
		if (linkat(s->etcfd, bak, s->etcfd, tmp, 0) == 0 &&
		    renameat(s->etcfd, tmp, s->etcfd, fname(k)) < 0)
			unlinkat(s->etcfd, tmp, 0);
	}
	af_fsync_dir(s->etcfd);
	unlinkat(s->etcfd, t->journal, 0);
}

static int rename_all(struct acct_store *s, const bool dirty[], struct txn *t,
		      char *err, size_t errlen)
{
	char where[4200], tmp[32];

	for (int k = 0; k < ACCT_KINDS; k++) {
		if (!dirty[k])
			continue;
		tmp_name((enum acct_kind)k, tmp, sizeof tmp);
		if (renameat(s->etcfd, tmp, s->etcfd, fname(k)) < 0) {
			int e = errno;
			snprintf(err, errlen, "cannot replace %s: %s%s",
				 shown(s, fname(k), where, sizeof where), strerror(e),
				 e == EBUSY ? " (a bind mount?); the files were put back" :
				 "; the files were put back");
			roll_back(s, dirty, k, t);
			return -e;
		}
	}
	/* The renames durable, then the journal may go; its removal needs no
	 * barrier (a journal whose temps are gone is a no-op to recover). */
	af_fsync_dir(s->etcfd);
	unlinkat(s->etcfd, t->journal, 0);
	return 0;
}

int store_commit(struct acct_store *s, const bool dirty[ACCT_KINDS], char *err, size_t errlen)
{
	struct txn t;
	int rc = 0;

	memset(&t, 0, sizeof t);
	/* `ulimit -f` must give EFBIG from write(2), not a SIGXFSZ death
	 * half-way (shadow's pwd_init ignores it for the same reason). */
	signal(SIGXFSZ, SIG_IGN);
	for (int k = 0; k < ACCT_KINDS && rc == 0; k++)
		if (dirty[k])
			rc = prepare_one(s, k, &t, err, errlen);
	if (rc == 0)
		rc = write_temps(s, dirty, &t, err, errlen);
	if (rc == 0 && (rc = write_journal(s, dirty, &t, err, errlen)) < 0)
		drop_temps(s, dirty);
	if (rc == 0)
		rc = rename_all(s, dirty, &t, err, errlen);
	txn_free(&t);
	return rc;
}

/* setup/home.c — the home of `appuser setup` (called by setup/command.c
 * after the remap): created when missing, as the user wherever anyone but
 * root may write above it, so that nothing root-owned is ever chowned by
 * name (issue 11 §4); an existing home there must be the user's, root's or
 * an old uid's of the user, and no symlink. */
#include "setup/home.h"
#include "log.h"
#include "path.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_setuid(const struct setup_run *r) { return r->c->mode == MODE_SETUID; }

static bool home_wanted(const char *home)
{
	return home && home[0] == '/' && !path_is_system(home) && strcmp(home, "/nonexistent");
}

bool setup_home_missing(const struct setup_run *r)
{
	int fd;

	if (!home_wanted(r->plan.home))
		return false;
	fd = rootfs_openat_nolinks(&r->root, r->plan.home, O_PATH, 0);
	if (fd >= 0)
		close(fd);
	return fd == -ENOENT;
}

/* Open folder path of the root ("." for the root itself). */
static int open_dir(const struct setup_run *r, const char *path, size_t len)
{
	char buf[ENV_PATH_MAX];

	snprintf(buf, sizeof buf, "%.*s", (int)len, path);
	/* No symlink on the way: home = /app/users/x with a planted
	 * /app/users -> /etc must not create /etc/x. */
	return rootfs_openat_nolinks(&r->root, len ? buf : ".", O_PATH | O_DIRECTORY, 0);
}

/* mkdirat as uid:gid.  This thread's filesystem IDs are set to them, so
 * the kernel checks the parent as that user (a non-zero fsuid also drops
 * CAP_DAC_OVERRIDE, CAP_FOWNER and the other file capabilities from the
 * effective set until it is 0 again) and the folder is born theirs.  The
 * kernel checks the supplementary groups too: in setuid mode they are the
 * caller's, who is that user (uid and gid are the caller's own, plan.c);
 * in root mode they are root's, none of the user's, so they are dropped
 * for the call (own_groups false) — else a folder writable by a group of
 * root's (docker run --group-add) let the home be made where the user may
 * not write (review round 2).  setup is single-threaded here (the remap's
 * workers are joined).  Returns 0 or -errno. */
static int mkdir_as(int dfd, const char *name, mode_t mode, uid_t uid, gid_t gid,
		    bool own_groups)
{
	uid_t ou = (uid_t)setfsuid((uid_t)-1);
	gid_t og = (gid_t)setfsgid((gid_t)-1);
	gid_t *groups = NULL;
	int ngroups = own_groups ? 0 : getgroups(0, NULL), rc = 0;

	if (ngroups < 0)
		return -errno;
	if (ngroups > 0) {
		if (!(groups = calloc((size_t)ngroups, sizeof *groups)))
			return -ENOMEM;
		if ((ngroups = getgroups(ngroups, groups)) < 0 || setgroups(0, NULL) < 0) {
			rc = -errno;
			free(groups);
			return rc;
		}
	}
	setfsgid(gid);
	setfsuid(uid);
	if ((uid_t)setfsuid((uid_t)-1) != uid || (gid_t)setfsgid((gid_t)-1) != gid)
		rc = -EPERM;	/* not mapped in this user namespace */
	else if (mkdirat(dfd, name, mode) < 0)
		rc = -errno;
	setfsuid(ou);
	setfsgid(og);
	if ((uid_t)setfsuid((uid_t)-1) != ou || (gid_t)setfsgid((gid_t)-1) != og ||
	    (ngroups > 0 && setgroups((size_t)ngroups, groups) < 0))
		die(EXIT_FAIL, "setup: cannot restore the filesystem IDs after creating %s", name);
	free(groups);
	return rc;
}

/* Create name in the open folder pfd for the home.  Where pfd or a
 * folder above it may be written by others than root, whoever can write
 * there can rename or exchange (RENAME_EXCHANGE) the new folder with any
 * other in the same place between our mkdir and our open: there it is
 * made as the user itself, never by root and then given away (issue 11
 * §4).  *as_user says which way it was made.  Returns 0 or -errno. */
static int make_dir(const struct setup_run *r, int pfd, const char *name, mode_t mode,
		    bool *as_user)
{
	int exposed = rootfs_exposed(&r->root, pfd);

	if (exposed < 0)
		return exposed;
	*as_user = exposed;
	if (exposed)
		return mkdir_as(pfd, name, mode, r->plan.uid, r->plan.gid, is_setuid(r));
	return mkdirat(pfd, name, mode) < 0 ? -errno : 0;
}

static noreturn void refuse_home(const struct setup_run *r, int err)
{
	die(EXIT_FAIL, "setup: cannot create home %s: a folder on its way is writable by others "
	    "than root, so the home is created as uid %u itself (never made by root and given "
	    "away: whoever can write there could swap it for another folder), and uid %u may "
	    "not create it there (%s); create the home beforehand, or let uid %u or only root "
	    "write its parent", r->plan.home, r->plan.uid, r->plan.uid, strerror(err),
	    r->plan.uid);
}

/* The home's parent folder, its missing folders created 0755 as useradd
 * -m does: root's, or the user's where make_dir() says so.  Returns an
 * O_PATH descriptor or -errno. */
static int make_parents(const struct setup_run *r, const char *home)
{
	const char *slash = home;
	int fd;

	while ((slash = strchr(slash + 1, '/'))) {
		const char *last = slash - 1;
		bool as_user = false;
		int pfd, rc = 0;

		fd = open_dir(r, home, (size_t)(slash - home));
		if (fd >= 0) {
			close(fd);
			continue;
		}
		if (fd != -ENOENT)
			return fd;
		while (*last != '/')
			last--;
		if ((pfd = open_dir(r, home, (size_t)(last - home))) < 0)
			return pfd;
		rc = make_dir(r, pfd, strndupa(last + 1, (size_t)(slash - last - 1)), 0755, &as_user);
		close(pfd);
		if (as_user && (rc == -EACCES || rc == -EPERM))
			refuse_home(r, -rc);
		if (rc < 0 && rc != -EEXIST)
			return rc;
	}
	return open_dir(r, home, (size_t)(strrchr(home, '/') - home));
}

/* Is the open folder fd empty? */
static bool dir_empty(int fd)
{
	int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *e;
	bool empty = d != NULL;

	if (!d && dfd >= 0)
		close(dfd);
	while (d && empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return empty;
}

/* The folder holding the first symlink (or non-folder) on the way to
 * path, as an O_PATH descriptor, or -errno. */
static int symlink_holder(const struct setup_run *r, const char *path)
{
	size_t n = strlen(path);
	int prev = open_dir(r, path, 0);

	for (size_t len = 1; prev >= 0 && len <= n; len++) {
		int fd;

		if (len < n && path[len] != '/')
			continue;
		if ((fd = open_dir(r, path, len)) == -ELOOP || fd == -ENOTDIR)
			return prev;	/* a symlink (the last one: ENOTDIR) */
		close(prev);
		prev = fd;
	}
	if (prev >= 0)
		close(prev);
	return prev >= 0 ? -ENOENT : prev;
}

/* A home that exists already, below a folder that others than root may
 * write, must be the user's (or root's, or its old uid's when the remap
 * did not run): whoever may write there could have made it first — before
 * setup, or between our look and our mkdirat — and would own the user's
 * home and its shell's startup files (review round 2 of issue 11 §4).  So
 * could a symlink that they put there, or on the way. */
static void check_existing_home(const struct setup_run *r)
{
	const struct remap_map *m = &r->plan.jobs[JOB_APP].map;
	struct stat st;
	int fd, pfd, exposed = 0;
	bool theirs;

	fd = rootfs_openat_nolinks(&r->root, r->plan.home, O_PATH | O_DIRECTORY, 0);
	if ((fd == -ELOOP || fd == -ENOTDIR) && (pfd = symlink_holder(r, r->plan.home)) >= 0) {
		exposed = rootfs_exposed(&r->root, pfd);
		close(pfd);
		if (exposed)
			die(EXIT_FAIL, "setup: home %s is a symlink, goes through one or is not a "
			    "folder, in a folder others than root may write: whoever made it there "
			    "would choose the user's home; remove it, or name the real folder",
			    r->plan.home);
	}
	if (fd < 0)
		return;	/* not there as a folder: nothing of anyone's to keep */
	theirs = fstat(fd, &st) == 0 && (st.st_uid == r->plan.uid || st.st_uid == 0);
	for (size_t i = 0; !theirs && i < m->nuid; i++)
		theirs = st.st_uid == m->uid_from[i];
	if (!theirs) {
		pfd = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		exposed = pfd < 0 ? 1 : rootfs_exposed(&r->root, pfd);
		if (pfd >= 0)
			close(pfd);
	}
	close(fd);
	if (exposed)
		die(EXIT_FAIL, "setup: home %s exists and is owned by uid %u, not %u, in a folder "
		    "others than root may write: whoever made it there would control the user's "
		    "home; remove it, or chown it to uid %u", r->plan.home,
		    (unsigned)st.st_uid, r->plan.uid, r->plan.uid);
}

void setup_home(struct setup_run *r)
{
	const char *home = r->plan.home, *base;
	struct stat st;
	bool as_user = false;
	int pfd, fd, rc = 0;

	if (!setup_home_missing(r)) {
		if (home_wanted(home))
			check_existing_home(r);
		return;
	}
	base = strrchr(home, '/') + 1;
	if ((pfd = make_parents(r, home)) < 0)
		die_errno(EXIT_FAIL, -pfd, "setup: cannot create the parents of home %s", home);
	if ((rc = make_dir(r, pfd, base, 0700, &as_user)) < 0) {
		close(pfd);
		if (rc == -EEXIST) {
			check_existing_home(r);
			return;	/* made meanwhile: kept as any existing home */
		}
		if (as_user && (rc == -EACCES || rc == -EPERM))
			refuse_home(r, -rc);
		die_errno(EXIT_FAIL, -rc, "setup: cannot create home %s", home);
	}
	fd = openat(pfd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	close(pfd);
	/* Only the new, empty folder: the user's own where made as the user
	 * (then only its group and mode are set, on what the user owns
	 * anyway), else root's in a folder only root may write. */
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_uid != (as_user ? r->plan.uid : 0) ||
	    !dir_empty(fd))
		die(EXIT_FAIL, "setup: home %s changed while being created; refused", home);
	if ((!as_user || st.st_gid != r->plan.gid) &&
	    fchown(fd, as_user ? (uid_t)-1 : r->plan.uid, r->plan.gid) < 0)
		rc = errno;
	if (!rc && fchmod(fd, 0750) < 0)
		rc = errno;
	close(fd);
	if (rc)
		die_errno(EXIT_FAIL, rc, "setup: cannot give home %s to %u:%u", home, r->plan.uid,
			  r->plan.gid);
	r->home_created = true;
	info("setup: created home %s (uid %u, gid %u, mode 0750)", home, r->plan.uid, r->plan.gid);
	if (is_setuid(r))
		audit_syslog("setup: created home %s for uid %u gid %u", home, r->plan.uid, r->plan.gid);
}

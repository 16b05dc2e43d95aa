/* setup/state.c — see setup/state.h. */
#include "setup/state.h"
#include "accounts/atomic_file.h"
#include "env.h"
#include "ids.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MARKER "setup.done"
#define MARKER_TMP "setup.done+"
#define PENDING "remap.pending"
#define RECORD "setup.last"
#define RECORD_TMP "setup.last+"
#define PENDING_TMP "remap.pending+"

static int safe_dir(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	/* Someone who could write here could rename or delete what is below
	 * and get a second setuid setup (issue 11 §3: /run as a 0777
	 * emptyDir, /run/appuser renamed away), or plant a pending remap. */
	if (!S_ISDIR(st.st_mode) || st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)))
		return -EPERM;
	return 0;
}

static int open_sub(int parent, const char *name, bool create)
{
	int fd, rc;

	if (create && mkdirat(parent, name, 0755) < 0 && errno != EEXIST)
		return -errno;
	fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if ((rc = safe_dir(fd)) < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

int state_dir_open(const struct rootfs *r, bool create, const char **bad)
{
	int run, fd, rc;

	*bad = "/";
	if ((rc = safe_dir(r->fd)) < 0)
		return rc;
	*bad = "/run";
	run = rootfs_openat(r, "run", O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
	if (run == -ENOENT && create) {
		if (mkdirat(r->fd, "run", 0755) < 0 && errno != EEXIST)
			return -errno;
		run = rootfs_openat(r, "run", O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
	}
	if (run < 0)
		return run;
	if ((rc = safe_dir(run)) < 0) {
		close(run);
		return rc;
	}
	*bad = "/run/appuser";
	fd = open_sub(run, "appuser", create);
	close(run);
	if (fd >= 0)
		*bad = NULL;
	return fd;
}

/* This container's instance: the boot and the start time of its PID 1, so
 * that a marker made while the image was built (`RUN appuser setup`), or
 * by the container before a restart, does not count as this one's.
 * "" when /proc cannot tell. */
static void instance_id(char *buf, size_t len)
{
	char boot[64] = "", stat[1024] = "", *p;
	unsigned long long start = 0;
	int fd;
	ssize_t n;

	buf[0] = '\0';
	if ((fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC)) >= 0) {
		n = read(fd, boot, sizeof boot - 1);
		boot[n > 0 ? n : 0] = '\0';
		boot[strcspn(boot, "\n")] = '\0';
		close(fd);
	}
	if ((fd = open("/proc/1/stat", O_RDONLY | O_CLOEXEC)) >= 0) {
		n = read(fd, stat, sizeof stat - 1);
		stat[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	/* Field 22 (starttime), counted after the ")" ending field 2. */
	p = strrchr(stat, ')');
	for (int f = 2; p && f < 22; f++)
		p = strchr(p + 1, ' ');
	if (boot[0] && p && sscanf(p + 1, "%llu", &start) == 1)
		snprintf(buf, len, "%s-%llu", boot, start);
}

int state_marker_line(char *buf, size_t len, const struct marker *m, const char *mode,
		      unsigned ruid, long when)
{
	char inst[128];

	instance_id(inst, sizeof inst);
	return snprintf(buf, len, "instance=%s state=%s mode=%s ruid=%u user=%s uid=%u gid=%u "
			"time=%ld\n", inst[0] ? inst : "unknown", m->done ? "done" : "claimed", mode,
			ruid, m->user, m->uid, m->gid, when) < (int)len ? 0 : -ENAMETOOLONG;
}

/* " key=" in the line: the value, up to the next space. */
static bool field(const char *line, const char *key, char *val, size_t len)
{
	char pat[32];
	const char *p;
	size_t n;

	snprintf(pat, sizeof pat, " %s=", key);
	if (!(p = strstr(line, pat)))
		return false;
	p += strlen(pat);
	n = strcspn(p, " \n");
	if (n >= len)
		return false;
	memcpy(val, p, n);
	val[n] = '\0';
	return true;
}

void state_marker_read(int dfd, struct marker *m)
{
	char buf[512] = " ", inst[128], v[128];
	int fd = openat(dfd, MARKER, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n;

	memset(m, 0, sizeof *m);
	if (fd < 0)
		return;
	n = read(fd, buf + 1, sizeof buf - 2);
	close(fd);
	buf[n > 0 ? n + 1 : 1] = '\0';
	instance_id(inst, sizeof inst);
	/* A marker without an instance (an older appuser's), one that could
	 * not tell, or a /proc that cannot: it counts (refusing is the safe
	 * side).  Without a state it was a finished run. */
	m->current = !field(buf, "instance", v, sizeof v) || !inst[0] || !strcmp(v, "unknown") ||
		     !strcmp(v, inst);
	m->done = !field(buf, "state", v, sizeof v) || strcmp(v, "claimed");
	if (!field(buf, "user", m->user, sizeof m->user) || !field(buf, "uid", v, sizeof v) ||
	    id_parse(v, &m->uid) != ID_OK || !field(buf, "gid", v, sizeof v) ||
	    id_parse(v, &m->gid) != ID_OK)
		m->done = true;	/* cannot tell whose: only a no-op may pass */
}

/* Replace name below dfd with text through tmp (write, rename); durable:
 * the file and the rename reach the disk before this returns. */
static int put_file(int dfd, const char *tmp, const char *name, const char *text, bool durable)
{
	size_t l = strlen(text);
	int fd, rc = 0;

	unlinkat(dfd, tmp, 0);
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (write(fd, text, l) != (ssize_t)l || (durable && fsync(fd) < 0))
		rc = errno ? -errno : -EIO;
	close(fd);
	if (rc == 0 && renameat(dfd, tmp, dfd, name) < 0)
		rc = -errno;
	if (rc < 0)
		unlinkat(dfd, tmp, 0);
	else if (durable)
		fsync(dfd);
	return rc;
}

int state_marker_write(int dfd, const char *line)
{
	return put_file(dfd, MARKER_TMP, MARKER, line, true);
}

void state_marker_remove(int dfd)
{
	unlinkat(dfd, MARKER, 0);
	fsync(dfd);
}

int state_record_write(int dfd, const char *text)
{
	return put_file(dfd, RECORD_TMP, RECORD, text, false);
}

int state_record_read(int dfd, char **text)
{
	int fd = openat(dfd, RECORD, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	size_t len;
	int rc;

	if (fd < 0)
		return -errno;
	rc = read_fd_all(fd, 64 << 10, text, &len);
	close(fd);
	return rc;
}

int pending_format(const struct remap_job *jobs, size_t njobs, char **buf, size_t *len)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	if (!f)
		return -ENOMEM;
	fputs("appuser-remap 2\n", f);
	/* Every job, an empty one too: its place says which it is (a moved
	 * user's home gets checks of its own when the walk resumes). */
	for (size_t j = 0; j < njobs; j++) {
		const struct remap_map *m = &jobs[j].map;
		fputs("job\n", f);
		for (size_t i = 0; i < m->nuid; i++)
			fprintf(f, "uid %u %u\n", m->uid_from[i], m->uid_to[i]);
		for (size_t i = 0; i < m->ngid; i++)
			fprintf(f, "gid %u %u\n", m->gid_from[i], m->gid_to[i]);
		for (size_t i = 0; i < jobs[j].nroots; i++)
			fprintf(f, "path %s\n", jobs[j].roots[i]);
	}
	if (fclose(f) != 0) {
		free(s);
		return -ENOMEM;
	}
	*buf = s;
	*len = n;
	return 0;
}

static int parse_pair(const char *v, uint32_t *from, uint32_t *to)
{
	char a[16], b[16];
	const char *sp = strchr(v, ' ');

	if (!sp || (size_t)(sp - v) >= sizeof a || strlen(sp + 1) >= sizeof b)
		return -1;
	memcpy(a, v, (size_t)(sp - v));
	a[sp - v] = '\0';
	strcpy(b, sp + 1);
	return id_parse(a, from) == ID_OK && id_parse(b, to) == ID_OK ? 0 : -1;
}

static int parse_line(const char *line, struct pending_remap *p)
{
	struct remap_job *j;
	struct remap_map *m;
	char canon[ENV_PATH_MAX];

	if (!strcmp(line, "job")) {
		if (p->njobs == PLAN_JOBS)
			return -1;
		p->njobs++;
		return 0;
	}
	if (!p->njobs)
		return -1;
	j = &p->jobs[p->njobs - 1];
	m = &j->map;
	if (!strncmp(line, "uid ", 4) && m->nuid < REMAP_MAX) {
		if (parse_pair(line + 4, &m->uid_from[m->nuid], &m->uid_to[m->nuid]) < 0)
			return -1;
		m->nuid++;
		return 0;
	}
	if (!strncmp(line, "gid ", 4) && m->ngid < REMAP_MAX) {
		if (parse_pair(line + 4, &m->gid_from[m->ngid], &m->gid_to[m->ngid]) < 0)
			return -1;
		m->ngid++;
		return 0;
	}
	if (!strncmp(line, "path ", 5) && j->nroots < PLAN_MAX_ROOTS) {
		/* Root-owned file, but still: only paths setup itself accepts. */
		if (path_canon(line + 5, canon, sizeof canon) || path_is_system(canon) ||
		    !(j->roots[j->nroots] = strdup(canon)))
			return -1;
		j->nroots++;
		return 0;
	}
	return -1;
}

int pending_parse(const char *buf, size_t len, struct pending_remap *p)
{
	static const char magic[] = "appuser-remap 2\n";
	size_t pos = sizeof magic - 1;

	memset(p, 0, sizeof *p);
	if (len < pos || memcmp(buf, magic, pos) || memchr(buf, '\0', len))
		return -EINVAL;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t l = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		char line[ENV_PATH_MAX + 16];

		if (l >= sizeof line)
			goto bad;
		memcpy(line, buf + pos, l);
		line[l] = '\0';
		if (parse_line(line, p) < 0)
			goto bad;
		pos += l + 1;
	}
	return 0;
bad:
	pending_free(p);
	return -EINVAL;
}

void pending_free(struct pending_remap *p)
{
	for (size_t j = 0; j < PLAN_JOBS; j++)
		remap_job_free(&p->jobs[j]);
	memset(p, 0, sizeof *p);
}
int state_pending_write(int dfd, const struct remap_job *jobs, size_t njobs)
{
	struct af_attrs a = { .uid = 0, .gid = 0, .mode = 0600 };
	char *buf;
	size_t len;
	int rc = pending_format(jobs, njobs, &buf, &len);

	if (rc < 0)
		return rc;
	rc = af_write_temp(dfd, PENDING_TMP, buf, len, &a);
	free(buf);
	if (rc == 0 && renameat(dfd, PENDING_TMP, dfd, PENDING) < 0) {
		rc = -errno;
		unlinkat(dfd, PENDING_TMP, 0);
	}
	if (rc == 0)
		rc = af_fsync_dir(dfd);
	return rc;
}

int state_pending_read(int dfd, struct pending_remap *p)
{
	struct af_snapshot s;
	int rc = af_read(dfd, PENDING, 1 << 20, &s);

	memset(p, 0, sizeof *p);
	if (rc < 0)
		return rc;
	if (!s.exists)
		return -ENOENT;
	rc = pending_parse(s.buf, s.len, p);
	af_snapshot_free(&s);
	if (rc < 0)
		state_pending_clear(dfd);
	return rc;
}

void state_pending_clear(int dfd)
{
	if (unlinkat(dfd, PENDING, 0) == 0)
		af_fsync_dir(dfd);
	unlinkat(dfd, PENDING_TMP, 0);
}

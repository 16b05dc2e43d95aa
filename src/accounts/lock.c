/* accounts/lock.c — see accounts/lock.h.  Modelled on glibc's lckpwdf() and shadow's
 * commonio do_lock_file(); written from their documented behaviour. */
#include "accounts/lock.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define POLL_MS 20

static void nap(void)
{
	struct timespec ts = { 0, POLL_MS * 1000000L };
	nanosleep(&ts, NULL);
}

int lock_pwd(int etcfd, unsigned timeout_ms)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	struct stat st;
	unsigned waited = 0;
	int fd = openat(etcfd, ".pwd.lock", O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW |
			O_NOCTTY | O_NONBLOCK, 0600);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	/* Polling F_SETLK rather than alarm() + F_SETLKW: setuid mode
	 * ignores SIGALRM (hygiene_writer), and no signal state is touched. */
	while (fcntl(fd, F_SETLK, &fl) < 0) {
		int e = errno;
		if (e != EAGAIN && e != EACCES && e != EINTR) {
			close(fd);
			return -e;
		}
		if (waited >= timeout_ms) {
			close(fd);
			return -ETIMEDOUT;
		}
		nap();
		waited += POLL_MS;
	}
	return fd;
}

void unlock_pwd(int fd)
{
	if (fd >= 0)
		close(fd);	/* closing drops the fcntl lock */
}

/* A small /proc file into buf, NUL-terminated; false when unreadable. */
static bool read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return true;
}

/* Is pid gone for a lock's purposes?  No such process, or a zombie (Z)
 * or dead (X) one: a SIGKILLed setup whose parent never reaps it (a PID 1
 * that does not wait) answers kill(0) for the container's life, but holds
 * nothing (issue 11 §6).  A zombie leader whose other threads still run
 * is alive.  When the state cannot be read, alive. */
static bool proc_gone(pid_t pid)
{
	char path[64], buf[2048], *p;

	if (kill(pid, 0) < 0 && errno == ESRCH)
		return true;
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if (!read_small(path, buf, sizeof buf) || !(p = strrchr(buf, ')')))
		return false;
	/* Field 3 (state) follows the ")" ending field 2. */
	if (p[1] != ' ' || (p[2] != 'Z' && p[2] != 'X'))
		return false;
	snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	return !read_small(path, buf, sizeof buf) || !(p = strstr(buf, "\nThreads:")) ||
	       strtol(p + 9, NULL, 10) <= 1;
}

/* Wall-clock start time of pid, from /proc; 0 when unknown. */
static time_t proc_start(pid_t pid)
{
	char path[64], buf[1024], sb[8192], *p;
	unsigned long long ticks = 0, btime = 0;
	long hz = sysconf(_SC_CLK_TCK);

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if (!read_small(path, buf, sizeof buf))
		return 0;
	/* Field 22 (starttime) counted after the ")" ending field 2. */
	p = strrchr(buf, ')');
	for (int f = 2; p && f < 22; f++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%llu", &ticks) != 1)
		return 0;
	if (!read_small("/proc/stat", sb, sizeof sb))
		return 0;
	p = strstr(sb, "\nbtime ");
	if (!p || sscanf(p + 7, "%llu", &btime) != 1 || hz <= 0)
		return 0;
	return (time_t)(btime + ticks / (unsigned long long)hz);
}

/* Parse "PID\0" or "PID\n" as shadow and others write it. */
static int read_pid(int fd, pid_t *pid)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	long v = 0;
	int i;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	for (i = 0; buf[i] >= '0' && buf[i] <= '9' && i < 12; i++)
		v = v * 10 + (buf[i] - '0');
	if (i == 0 || v <= 0 || (buf[i] && buf[i] != '\n'))
		return -1;
	*pid = (pid_t)v;
	return 0;
}

/* 1 stale, 0 held by a live process, -errno on error. */
static int lock_stale(int etcfd, const char *lock)
{
	struct stat st;
	pid_t pid;
	time_t started;
	int fd = openat(etcfd, lock, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);

	if (fd < 0)
		return errno == ENOENT ? 1 : -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || read_pid(fd, &pid) < 0) {
		close(fd);
		return -EPROTO;
	}
	close(fd);
	if (pid == getpid())
		return 1;	/* not ours: we never lock twice */
	if (proc_gone(pid))
		return 1;
	/* PID reuse: in a restarted container PID 1 is alive again but is not
	 * the process that made the lock.  Two seconds of slack for clocks. */
	started = proc_start(pid);
	if (started && started > st.st_mtime + 2)
		return 1;
	return 0;
}

/* The PID file already has `names` names; the link must make one more. */
static int try_link(int etcfd, const char *tmp, const char *lock, nlink_t names)
{
	struct stat st;

	if (linkat(etcfd, tmp, etcfd, lock, 0) < 0)
		return -errno;
	/* As shadow: trust the link only if it really made a new name. */
	if (fstatat(etcfd, tmp, &st, AT_SYMLINK_NOFOLLOW) < 0 || st.st_nlink != names + 1) {
		unlinkat(etcfd, lock, 0);
		return -EBUSY;
	}
	return 0;
}

static int make_pid_file(int etcfd, const char *tmp)
{
	char buf[24];
	int n = snprintf(buf, sizeof buf, "%ld", (long)getpid()) + 1; /* with the NUL */
	int fd = openat(etcfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);

	if (fd < 0)
		return -errno;
	if (write(fd, buf, (size_t)n) != n || fdatasync(fd) < 0) {
		int e = errno ? errno : EIO;
		close(fd);
		unlinkat(etcfd, tmp, 0);
		return -e;
	}
	close(fd);
	return 0;
}

/* NAME.lock as a link to tmp, waiting for a live holder. */
static int take(int etcfd, const char *tmp, const char *name, nlink_t names, unsigned timeout_ms)
{
	char lock[64];
	unsigned waited = 0;
	int rc;

	snprintf(lock, sizeof lock, "%s.lock", name);
	for (;;) {
		rc = try_link(etcfd, tmp, lock, names);
		if (rc != -EEXIST)
			return rc;
		rc = lock_stale(etcfd, lock);
		if (rc < 0)
			return rc;
		if (rc == 1) {
			if (unlinkat(etcfd, lock, 0) < 0 && errno != ENOENT)
				return -errno;
			continue;
		}
		if (waited >= timeout_ms)
			return -ETIMEDOUT;
		nap();
		waited += POLL_MS;
	}
}

int lock_files(int etcfd, const char *const *names, int n, unsigned timeout_ms, int *taken)
{
	char tmp[64];
	int rc = 0;

	*taken = 0;
	if (n <= 0)
		return 0;
	snprintf(tmp, sizeof tmp, "%s.%ld", names[0], (long)getpid());
	if ((rc = make_pid_file(etcfd, tmp)) < 0)
		return rc;
	while (*taken < n && (rc = take(etcfd, tmp, names[*taken], (nlink_t)(1 + *taken),
					 timeout_ms)) == 0)
		(*taken)++;
	unlinkat(etcfd, tmp, 0);
	return rc;
}

void unlock_file(int etcfd, const char *name)
{
	char lock[64];

	snprintf(lock, sizeof lock, "%s.lock", name);
	unlinkat(etcfd, lock, 0);
}

/* "passwd.1234" and friends: NAME '.' digits. */
static bool is_pid_file(const char *d, pid_t *pid)
{
	static const char *const names[] = { "passwd.", "group.", "shadow.", "gshadow." };
	long v = 0;

	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		size_t l = strlen(names[i]);
		const char *p;
		if (strncmp(d, names[i], l))
			continue;
		for (p = d + l; *p >= '0' && *p <= '9' && v < 100000000; p++)
			v = v * 10 + (*p - '0');
		if (*p || p == d + l || v <= 0)
			return false;
		*pid = (pid_t)v;
		return true;
	}
	return false;
}

void lock_sweep(int etcfd)
{
	int dfd = openat(etcfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;
	struct dirent *de;

	if (dfd < 0)
		return;
	if (!(d = fdopendir(dfd))) {
		close(dfd);
		return;
	}
	while ((de = readdir(d))) {
		struct stat st;
		pid_t pid, owner;
		int fd;

		if (!is_pid_file(de->d_name, &pid) || pid == getpid())
			continue;
		if (!proc_gone(pid))
			continue;
		fd = openat(etcfd, de->d_name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
		if (fd < 0)
			continue;
		/* Only a small regular file that holds its own name's PID, or
		 * nothing (killed between creating and writing it). */
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < 32 &&
		    (st.st_size == 0 || (read_pid(fd, &owner) == 0 && owner == pid)))
			unlinkat(etcfd, de->d_name, 0);
		close(fd);
	}
	closedir(d);
}

/* appuser-reach — a service reaching into its neighbours, for
 * tests/integration/exec/isolation.sh.  One line per result on stdout.
 *
 *   appuser-reach victim INFO [CMD...]
 *        a process to attack: writes "PID ADDR" (ADDR: a static buffer
 *        holding "intact") to INFO, then runs CMD and waits for it (or,
 *        without CMD, reads stdin to EOF); then prints
 *        "victim NAME marker: TEXT", TEXT being whatever the buffer holds
 *        now, and exits with CMD's status.
 *   appuser-reach mem NAME=INFO...
 *        the attack: open /proc/PID/mem of each victim read-write and
 *        write "pwned" over its marker: "mem NAME ok|open ERRNO|write ERRNO"
 *   appuser-reach kill NAME=PID...
 *        send SIGCONT (harmless) to each: "kill NAME ok|ERRNO"
 *   appuser-reach prlimit NAME=PID...
 *        set each one's RLIMIT_CPU to unlimited (what it is: harmless; 0
 *        would SIGKILL it): "prlimit NAME ok|ERRNO"
 *   appuser-reach abstract-listen NAME READY
 *        listen on the abstract unix socket @NAME, create READY, accept
 *        one connection, print "abstract-listen got TEXT"
 *   appuser-reach abstract-connect NAME
 *        connect to @NAME and send "hello": "abstract-connect ok|ERRNO"
 *   appuser-reach self
 *        what a service does to itself and its own child: read its own
 *        /proc/self files, reopen its pipes and a memfd through
 *        /proc/self/fd, write /proc/CHILD/mem of a child:
 *        "self NAME ok|FAIL ERRNO"
 *
 * Plain libc, no appuser code: it is the attacker, not the defence. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static char marker[64] = "intact";

static const char *ename(int e)
{
	const char *n = strerrorname_np(e);
	return n ? n : "errno?";
}

static int write_info(const char *info)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof tmp, "%s.tmp", info);
	if (!(f = fopen(tmp, "w")))
		return -1;
	fprintf(f, "%ld %lx\n", (long)getpid(), (unsigned long)marker);
	if (fclose(f) != 0)
		return -1;
	return rename(tmp, info);
}

static int victim(const char *info, char **cmd)
{
	int status = 0;
	char buf[256];

	if (write_info(info) < 0) {
		perror("appuser-reach: victim");
		return 2;
	}
	if (cmd[0]) {
		pid_t pid = fork();
		if (pid == 0) {
			execvp(cmd[0], cmd);
			_exit(127);
		}
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	} else {
		while (read(0, buf, sizeof buf) > 0)
			;
	}
	printf("victim %s marker: %s\n", info, marker);
	return status;
}

/* "NAME=INFO" → pid and marker address from the victim's INFO file. */
static bool read_info(const char *path, long *pid, unsigned long *addr)
{
	FILE *f = fopen(path, "r");
	bool ok = f && fscanf(f, "%ld %lx", pid, addr) == 2;

	if (f)
		fclose(f);
	return ok;
}

static int mem(char **targets)
{
	int fails = 0;

	for (; *targets; targets++) {
		char *eq = strchr(*targets, '='), path[64];
		unsigned long addr;
		long pid;
		int fd;

		if (!eq || !read_info(eq + 1, &pid, &addr)) {
			printf("mem %s noinfo\n", *targets);
			fails++;
			continue;
		}
		*eq = '\0';
		snprintf(path, sizeof path, "/proc/%ld/mem", pid);
		if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0) {
			printf("mem %s open %s\n", *targets, ename(errno));
			fails++;
			continue;
		}
		if (pwrite(fd, "pwned", 6, (off_t)addr) != 6) {
			printf("mem %s write %s\n", *targets, ename(errno));
			fails++;
		} else {
			printf("mem %s ok\n", *targets);
		}
		close(fd);
	}
	return fails ? 1 : 0;
}

static int kill_all(const char *how, char **targets)
{
	static const struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	int fails = 0;

	for (; *targets; targets++) {
		char *eq = strchr(*targets, '=');
		pid_t pid;
		int rc;

		if (!eq)
			return 2;
		*eq = '\0';
		pid = (pid_t)atol(eq + 1);
		rc = !strcmp(how, "kill") ? kill(pid, SIGCONT) :
		     prlimit(pid, RLIMIT_CPU, &unlimited, NULL);
		if (rc == 0) {
			printf("%s %s ok\n", how, *targets);
		} else {
			printf("%s %s %s\n", how, *targets, ename(errno));
			fails++;
		}
	}
	return fails ? 1 : 0;
}

static socklen_t abstract_addr(const char *name, struct sockaddr_un *a)
{
	size_t n = strlen(name);

	memset(a, 0, sizeof *a);
	a->sun_family = AF_UNIX;
	if (n > sizeof a->sun_path - 2)
		n = sizeof a->sun_path - 2;
	memcpy(a->sun_path + 1, name, n);	/* sun_path[0] = '\0': abstract */
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

static int abstract_listen(const char *name, const char *ready)
{
	struct sockaddr_un a;
	socklen_t len = abstract_addr(name, &a);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), c, fd;
	char buf[16] = { 0 };

	if (s < 0 || bind(s, (void *)&a, len) < 0 || listen(s, 1) < 0) {
		printf("abstract-listen %s\n", ename(errno));
		return 1;
	}
	if ((fd = open(ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) >= 0)
		close(fd);
	if ((c = accept(s, NULL, NULL)) < 0) {
		printf("abstract-listen accept %s\n", ename(errno));
		return 1;
	}
	(void)!read(c, buf, sizeof buf - 1);
	printf("abstract-listen got %s\n", buf[0] ? buf : "(nothing)");
	return 0;
}

static int abstract_connect(const char *name)
{
	struct sockaddr_un a;
	socklen_t len = abstract_addr(name, &a);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0 || connect(s, (void *)&a, len) < 0) {
		printf("abstract-connect %s\n", ename(errno));
		return 1;
	}
	(void)!write(s, "hello", 5);
	close(s);
	printf("abstract-connect ok\n");
	return 0;
}

/* ---- what a service may still do to itself -------------------------- */

static bool read_file(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf);

	if (fd >= 0)
		close(fd);
	return n > 0;
}

static bool self_status(void) { return read_file("/proc/self/status"); }
static bool self_maps(void) { return read_file("/proc/self/maps"); }
static bool self_environ(void) { return read_file("/proc/self/environ"); }
static bool self_exe(void)
{
	char buf[4096];
	return readlink("/proc/self/exe", buf, sizeof buf) > 0;
}

static bool self_mem(void)
{
	static char own[8] = "before";
	int fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	bool ok = fd >= 0 && pwrite(fd, "after", 6, (off_t)(unsigned long)own) == 6 &&
		  !strcmp(own, "after");

	if (fd >= 0)
		close(fd);
	return ok;
}

/* Reopen an end of our own pipe by its /proc/self/fd name (what a
 * service does with /dev/stdout), and a memfd the same way. */
static bool reopen(int fd, int flags)
{
	char path[64];
	int n;

	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	n = open(path, flags | O_CLOEXEC);
	if (n < 0)
		return false;
	close(n);
	return true;
}

static bool self_pipe(void)
{
	int p[2];
	bool ok;

	if (pipe(p) < 0)
		return false;
	ok = reopen(p[1], O_WRONLY) && reopen(p[0], O_RDONLY);
	close(p[0]);
	close(p[1]);
	return ok;
}

static bool self_memfd(void)
{
	int fd = memfd_create("appuser-reach", MFD_CLOEXEC);
	bool ok = fd >= 0 && write(fd, "x", 1) == 1 && reopen(fd, O_RDWR);

	if (fd >= 0)
		close(fd);
	return ok;
}

static bool self_stdout(void)
{
	return reopen(1, O_WRONLY);
}

/* A child of the service is in the service's own domain: the service
 * may debug it (gdb ./prog), write its memory, signal it. */
static bool self_child_mem(void)
{
	int p[2];
	pid_t pid;
	char path[64], c;
	bool ok;
	int fd;

	if (pipe(p) < 0)
		return false;
	if ((pid = fork()) == 0) {
		close(p[1]);
		(void)!read(p[0], &c, 1);
		_exit(strcmp(marker, "pwned") ? 1 : 0);
	}
	close(p[0]);
	snprintf(path, sizeof path, "/proc/%ld/mem", (long)pid);
	fd = open(path, O_RDWR | O_CLOEXEC);
	ok = fd >= 0 && pwrite(fd, "pwned", 6, (off_t)(unsigned long)marker) == 6;
	if (fd >= 0)
		close(fd);
	ok = kill(pid, SIGCONT) == 0 && ok;
	close(p[1]);
	return waitpid(pid, &fd, 0) == pid && WIFEXITED(fd) && WEXITSTATUS(fd) == 0 && ok;
}

static int self(void)
{
	static const struct { const char *name; bool (*fn)(void); } t[] = {
		{ "proc_status", self_status }, { "proc_maps", self_maps },
		{ "proc_environ", self_environ }, { "proc_exe", self_exe },
		{ "proc_mem", self_mem }, { "reopen_pipe", self_pipe },
		{ "reopen_memfd", self_memfd }, { "reopen_stdout", self_stdout },
		{ "child_mem_and_signal", self_child_mem },
	};
	int status = 0;

	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		errno = 0;
		if (t[i].fn()) {
			printf("self %s ok\n", t[i].name);
		} else {
			printf("self %s FAIL %s\n", t[i].name, ename(errno));
			status = 1;
		}
	}
	return status;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "victim") && argc > 2)
		return victim(argv[2], argv + 3);
	if (!strcmp(mode, "mem"))
		return mem(argv + 2);
	if (!strcmp(mode, "kill") || !strcmp(mode, "prlimit"))
		return kill_all(mode, argv + 2);
	if (!strcmp(mode, "abstract-listen") && argc > 3)
		return abstract_listen(argv[2], argv[3]);
	if (!strcmp(mode, "abstract-connect") && argc > 2)
		return abstract_connect(argv[2]);
	if (!strcmp(mode, "self"))
		return self();
	fprintf(stderr, "usage: appuser-reach victim INFO [CMD...] | mem NAME=INFO... | "
		"kill|prlimit NAME=PID... | abstract-listen NAME READY | abstract-connect NAME | self\n");
	return 2;
}

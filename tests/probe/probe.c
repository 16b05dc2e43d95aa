/* appuser-probe — run under `appuser exec` by tests/integration/seccomp/seccomp.sh
 * and tests/bench/seccomp.sh.  One line per result on stdout.
 *
 *   appuser-probe syscalls        every call the profiles deny, with
 *                                 harmless arguments: "NAME ERRNO|ok"
 *   appuser-probe everyday        threads, fork, exec, files, sockets...:
 *                                 "NAME ok" or "NAME FAIL ..."
 *   appuser-probe tiocsti [high]  push "id\n" into the terminal on fd 0
 *   appuser-probe pty CMD...      run CMD on a new terminal (its session's
 *                                 controlling tty), copy its output, then
 *                                 report what is left in the terminal's
 *                                 input queue: "pty-input N [BYTES]"
 *   appuser-probe bind PORT       bind INADDR_ANY:PORT: "bind ok|ERRNO"
 *   appuser-probe bench-getppid N / bench-ioctl N / bench-mixed N
 *                                 nanoseconds per iteration
 *
 * Arguments are chosen so that, without a filter, the kernel rejects each
 * call with something other than EPERM (EINVAL, EFAULT, EBADF...) before
 * it changes anything, even for root with every capability: the tests
 * compare a run without the filter with a run under it. */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static const char *result(long rc, int err)
{
	static char buf[32];
	const char *n;

	if (rc >= 0)
		return "ok";
	n = strerrorname_np(err);
	if (!n) {
		snprintf(buf, sizeof buf, "errno%d", err);
		return buf;
	}
	return n;
}

static void report(const char *name, long rc)
{
	int err = errno;

	printf("%s %s\n", name, result(rc, err));
	if (rc >= 0 && rc < 1024 && (!strncmp(name, "socket", 6) || strstr(name, ":socket")))
		close((int)rc);
}

/* ---- native syscalls ------------------------------------------------ */

#define S(name, ...) report(name, syscall(__VA_ARGS__))

static void probe_namespaces(void)
{
	S("unshare", SYS_unshare, 0x1L);
	S("setns", SYS_setns, -1, 0);
	S("mount", SYS_mount, NULL, NULL, NULL, 0, NULL);
	S("umount2", SYS_umount2, NULL, 0xffffL);
	S("pivot_root", SYS_pivot_root, NULL, NULL);
	S("move_mount", SYS_move_mount, -1, NULL, -1, NULL, 0xffffffffL);
	S("open_tree", SYS_open_tree, -1, NULL, 0xffffffffL);
	S("fsopen", SYS_fsopen, NULL, 0);
	S("fsconfig", SYS_fsconfig, -1, 9999, NULL, NULL, 0);
	S("fsmount", SYS_fsmount, -1, 0xffffffffL, 0);
	S("fspick", SYS_fspick, -1, NULL, 0xffffffffL);
	S("mount_setattr", SYS_mount_setattr, -1, NULL, 0xffffffffL, NULL, 0);
	/* CLONE_THREAD without CLONE_SIGHAND: EINVAL before anything forks */
	S("clone:newns", SYS_clone, CLONE_NEWNS | CLONE_THREAD, 0, 0, 0, 0);
	S("clone:newuser", SYS_clone, CLONE_NEWUSER | CLONE_THREAD, 0, 0, 0, 0);
	S("clone:newpid", SYS_clone, CLONE_NEWPID | CLONE_THREAD, 0, 0, 0, 0);
	S("clone:newnet", SYS_clone, CLONE_NEWNET | CLONE_THREAD, 0, 0, 0, 0);
	S("clone:newuts", SYS_clone, CLONE_NEWUTS | CLONE_THREAD, 0, 0, 0, 0);
	S("clone:newipc", SYS_clone, CLONE_NEWIPC | CLONE_THREAD, 0, 0, 0, 0);
	S("clone:newcgroup", SYS_clone, CLONE_NEWCGROUP | CLONE_THREAD, 0, 0, 0, 0);
	S("clone:plain", SYS_clone, CLONE_THREAD, 0, 0, 0, 0);
	S("clone3", SYS_clone3, NULL, 0);
}

static void probe_kernel(void)
{
	S("init_module", SYS_init_module, NULL, 0, "");
	S("finit_module", SYS_finit_module, -1, "", 0);
	S("delete_module", SYS_delete_module, NULL, 0);
	S("kexec_load", SYS_kexec_load, 0, 0, NULL, 0xffffffffL);
#ifdef SYS_kexec_file_load	/* not on i386 */
	S("kexec_file_load", SYS_kexec_file_load, -1, -1, 0, NULL, 0xffffL);
#endif
	S("reboot", SYS_reboot, 0, 0, 0, NULL);	/* wrong magic: EINVAL */
	S("swapon", SYS_swapon, NULL, 0);
	S("swapoff", SYS_swapoff, NULL);
	S("acct", SYS_acct, (char *)1);
	S("quotactl", SYS_quotactl, 0x800002, (char *)1, 0, NULL);	/* Q_SYNC */
	S("syslog", SYS_syslog, 9999, NULL, 0);
	S("settimeofday", SYS_settimeofday, (void *)1, NULL);
	S("clock_settime", SYS_clock_settime, CLOCK_REALTIME, NULL);
	S("clock_adjtime", SYS_clock_adjtime, CLOCK_REALTIME, NULL);
	S("adjtimex", SYS_adjtimex, NULL);
	S("add_key", SYS_add_key, NULL, NULL, NULL, 0, 0);
	S("request_key", SYS_request_key, NULL, NULL, NULL, 0);
	S("keyctl", SYS_keyctl, 9999, 0, 0, 0, 0);
	S("bpf", SYS_bpf, 9999, NULL, 0);
	S("perf_event_open", SYS_perf_event_open, NULL, 0, -1, -1, 0);
	S("userfaultfd", SYS_userfaultfd, 0xffffffffL);
	S("io_uring_setup", SYS_io_uring_setup, 0, NULL);
	S("io_uring_enter", SYS_io_uring_enter, -1, 0, 0, 0, NULL, 0);
	S("io_uring_register", SYS_io_uring_register, -1, 0, NULL, 0);
}

static void probe_processes(void)
{
	S("ptrace", SYS_ptrace, 9999, 0, 0, 0);
	S("process_madvise", SYS_process_madvise, -1, NULL, 0, 0, 0);
	S("get_robust_list", SYS_get_robust_list, 9999, NULL, NULL);
	S("process_vm_readv", SYS_process_vm_readv, getpid(), NULL, 0, NULL, 0, 1);
	S("process_vm_writev", SYS_process_vm_writev, getpid(), NULL, 0, NULL, 0, 1);
	S("kcmp", SYS_kcmp, getpid(), getpid(), 9999, 0, 0);
	S("pidfd_getfd", SYS_pidfd_getfd, -1, 0, 0);
	S("open_by_handle_at", SYS_open_by_handle_at, -1, NULL, 0);
	S("mbind", SYS_mbind, NULL, 0, 9999, NULL, 0, 0);
	S("set_mempolicy", SYS_set_mempolicy, 9999, NULL, 0);
	S("migrate_pages", SYS_migrate_pages, getpid(), 0, NULL, NULL);
	S("move_pages", SYS_move_pages, 0, 0, NULL, NULL, NULL, 0xffff);
	{
		/* reads only: with an explicit pid (denied), and pid 0 (allowed) */
		struct rlimit rl;
		S("prlimit64:other", SYS_prlimit64, getpid(), RLIMIT_CPU, NULL, &rl);
		S("prlimit64:self", SYS_prlimit64, 0, RLIMIT_CPU, NULL, &rl);
	}
}

/* personality(2) changes only this process; put it back after each try. */
static void probe_personality(void)
{
	static const struct { const char *name; unsigned long v; } p[] = {
		{ "personality:bsd", PER_BSD },
		{ "personality:read_implies_exec", READ_IMPLIES_EXEC },
		{ "personality:addr_no_randomize", ADDR_NO_RANDOMIZE },
#if __SIZEOF_LONG__ == 8	/* arguments above 32 bits: 64-bit ABIs only */
		{ "personality:high_bits_bsd", 0x100000000ul | PER_BSD },
#endif
		{ "personality:linux32", PER_LINUX32 },
		{ "personality:linux32_uname26", PER_LINUX32 | UNAME26 },
		{ "personality:query", 0xffffffff },
#if __SIZEOF_LONG__ == 8
		{ "personality:high_bits_linux", 0x100000000ul },
#endif
	};

	for (size_t i = 0; i < sizeof p / sizeof *p; i++) {
		S(p[i].name, SYS_personality, p[i].v);
		syscall(SYS_personality, PER_LINUX);
	}
}

static void probe_ioctl_socket(void)
{
	S("ioctl:tiocsti", SYS_ioctl, -1, TIOCSTI, NULL);
#if __SIZEOF_LONG__ == 8
	S("ioctl:tiocsti_high_bits", SYS_ioctl, -1, 0xffffffff00000000ul | TIOCSTI, NULL);
#endif
	S("ioctl:tioclinux", SYS_ioctl, -1, TIOCLINUX, NULL);
	S("ioctl:tcgets", SYS_ioctl, -1, TCGETS, NULL);
	S("socket:vsock", SYS_socket, AF_VSOCK, SOCK_STREAM, 0);
#if __SIZEOF_LONG__ == 8
	S("socket:vsock_high_bits", SYS_socket, 0xffffffff00000000ul | AF_VSOCK, SOCK_STREAM, 0);
#endif
	S("socket:alg", SYS_socket, AF_ALG, SOCK_SEQPACKET, 0);
	S("socket:inet", SYS_socket, AF_INET, SOCK_STREAM, 0);
	S("socket:unix", SYS_socket, AF_UNIX, SOCK_STREAM, 0);
	/* strict */
	S("socket:raw", SYS_socket, AF_INET, SOCK_RAW, IPPROTO_ICMP);
	S("socket:raw_cloexec", SYS_socket, AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	S("socket:packet", SYS_socket, AF_PACKET, SOCK_DGRAM, 0);
}

static void probe_strict(void)
{
	S("chroot", SYS_chroot, (char *)1);
	S("name_to_handle_at", SYS_name_to_handle_at, -1, NULL, NULL, NULL, 0xffff);
	/* x86 only (and a few others): the probe builds for every release
	 * architecture, whose headers lack them. */
#ifdef SYS_iopl
	S("iopl", SYS_iopl, 4);
#endif
#ifdef SYS_ioperm
	S("ioperm", SYS_ioperm, 0xffffffffL, 10, 1);
#endif
#ifdef SYS_modify_ldt
	S("modify_ldt", SYS_modify_ldt, 99, NULL, 0);
#endif
}

/* ---- the 32-bit ABIs on x86_64 ---------------------------------------- */

#if defined(__x86_64__)
static long int80(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c)
			 : "memory", "r8", "r9", "r10", "r11");
	if (ret < 0 && ret > -4096) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

/* int 0x80 faults when the kernel runs without IA-32 emulation. */
static bool have_int80(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		int80(20, 0, 0, 0);	/* getpid */
		_exit(0);
	}
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void probe_i386(void)
{
	if (!have_int80()) {
		printf("i386 unsupported\n");
		return;
	}
	report("i386:getppid", int80(64, 0, 0, 0));
	report("i386:unshare", int80(310, 1, 0, 0));
	report("i386:mount", int80(21, 0, 0, 0));
	report("i386:ioctl:tiocsti", int80(54, -1, TIOCSTI, 0));
	report("i386:personality:bsd", int80(136, PER_BSD, 0, 0));
	int80(136, PER_LINUX, 0, 0);
	report("i386:socket:vsock", int80(359, AF_VSOCK, SOCK_STREAM, 0));
	report("i386:socketcall:socket", int80(102, 1, 0, 0));
	report("i386:clone3", int80(435, 0, 0, 0));
	report("i386:stime", int80(25, 0, 0, 0));
	report("i386:ptrace", int80(26, 9999, 0, 0));
	report("i386:vm86old", int80(113, 0, 0, 0));
}

#define X32 0x40000000L
static void probe_x32(void)
{
	S("x32:getppid", X32 | 110);
	S("x32:unshare", X32 | 272, 1);
	S("x32:ioctl:tiocsti", X32 | 514, -1, TIOCSTI, NULL);	/* x32's own ioctl */
}
#else
static void probe_i386(void) { }
static void probe_x32(void) { }
#endif

static int syscalls(void)
{
	probe_namespaces();
	probe_kernel();
	probe_processes();
	probe_personality();
	probe_ioctl_socket();
	probe_strict();
	probe_i386();
	probe_x32();
	return 0;
}

/* ---- everyday work --------------------------------------------------- */

static void *thread_fn(void *arg)
{
	*(int *)arg += 1;
	return arg;
}

static bool try_threads(void)
{
	pthread_t t[4];
	int n[4] = { 0 };

	for (int i = 0; i < 4; i++)
		if (pthread_create(&t[i], NULL, thread_fn, &n[i]))
			return false;
	for (int i = 0; i < 4; i++)
		if (pthread_join(t[i], NULL) || n[i] != 1)
			return false;
	return true;
}

static bool wait_status(pid_t pid, int want)
{
	int st;

	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == want;
}

static bool try_fork(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(7);
	return wait_status(pid, 7);
}

static bool try_exec(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", "exit 3", (char *)NULL);
		_exit(99);
	}
	return wait_status(pid, 3);
}

static bool try_spawn(void)
{
	char *argv[] = { "sh", "-c", "exit 4", NULL };
	pid_t pid;

	return posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ) == 0 && wait_status(pid, 4);
}

static bool try_files(void)
{
	char path[] = "/tmp/appuser-probe.XXXXXX", buf[6] = { 0 };
	int fd = mkstemp(path);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, "hello", 5) == 5 && fsync(fd) == 0 && pread(fd, buf, 5, 0) == 5 &&
	     !strcmp(buf, "hello");
	close(fd);
	return unlink(path) == 0 && ok;
}

static bool try_inet(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof a;
	int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), c = -1, s = -1;
	char buf[3] = { 0 };
	bool ok = false;

	if (l >= 0 && bind(l, (void *)&a, sizeof a) == 0 && listen(l, 1) == 0 &&
	    getsockname(l, (void *)&a, &al) == 0 && (c = socket(AF_INET, SOCK_STREAM, 0)) >= 0 &&
	    connect(c, (void *)&a, sizeof a) == 0 && (s = accept(l, NULL, NULL)) >= 0)
		ok = write(c, "hi", 2) == 2 && read(s, buf, 2) == 2 && !strcmp(buf, "hi");
	close(l);
	close(c);
	close(s);
	return ok;
}

static bool try_unix(void)
{
	int sv[2];
	char buf[3] = { 0 };
	bool ok;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return false;
	ok = write(sv[0], "hi", 2) == 2 && read(sv[1], buf, 2) == 2 && !strcmp(buf, "hi");
	close(sv[0]);
	close(sv[1]);
	return ok;
}

static bool try_tty_ioctl(void)
{
	struct termios t;
	int fd = open("/dev/null", O_RDONLY);
	bool ok = fd >= 0 && tcgetattr(fd, &t) < 0 && errno == ENOTTY;

	close(fd);
	return ok;
}

static bool try_personality(void)
{
	bool ok = personality(0xffffffff) >= 0 && personality(PER_LINUX32) >= 0;

	personality(PER_LINUX);
	return ok;
}

static int everyday(void)
{
	static const struct { const char *name; bool (*fn)(void); } t[] = {
		{ "threads", try_threads }, { "fork", try_fork }, { "exec", try_exec },
		{ "posix_spawn", try_spawn }, { "files", try_files }, { "inet", try_inet },
		{ "unix", try_unix }, { "tty_ioctl", try_tty_ioctl },
		{ "personality", try_personality },
	};
	int status = 0;

	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		errno = 0;
		if (t[i].fn()) {
			printf("%s ok\n", t[i].name);
		} else {
			printf("%s FAIL %s\n", t[i].name, result(-1, errno));
			status = 1;
		}
	}
	return status;
}

/* ---- terminals --------------------------------------------------------- */

static int tiocsti(bool high)
{
	static const char text[] = "id\n";
	unsigned long req = TIOCSTI | (high ? 0xffffffff00000000ul : 0);
	long rc = 0;

	for (const char *c = text; *c && rc == 0; c++)
		rc = syscall(SYS_ioctl, 0, req, c);
	printf("tiocsti%s %s\n", high ? "_high_bits" : "", result(rc, errno));
	return 0;
}

static void pty_child(int slave, char **argv)
{
	setsid();
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		_exit(120);
	dup2(slave, 0);
	dup2(slave, 1);
	dup2(slave, 2);
	if (slave > 2)
		close(slave);
	execvp(argv[0], argv);
	_exit(127);
}

static void copy_output(int master, pid_t pid, int *status)
{
	char buf[4096];
	bool done = false;

	while (true) {
		struct pollfd p = { .fd = master, .events = POLLIN };
		ssize_t n;

		if (!done && waitpid(pid, status, WNOHANG) == pid)
			done = true;
		if (poll(&p, 1, done ? 0 : 50) <= 0) {
			if (done)
				return;
			continue;
		}
		if ((n = read(master, buf, sizeof buf)) <= 0)
			return;
		fwrite(buf, 1, (size_t)n, stdout);
	}
}

/* The caller's side of a terminal: what did the command leave in our
 * input queue? */
static int pty(char **argv)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY), slave, status = 0, queued = 0;
	struct termios t;
	char buf[256];
	pid_t pid;

	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
	    (slave = open(ptsname(master), O_RDWR | O_NOCTTY)) < 0) {
		perror("appuser-probe: pty");
		return 2;
	}
	/* raw: no echo, and every injected byte is readable at once */
	tcgetattr(slave, &t);
	cfmakeraw(&t);
	tcsetattr(slave, TCSANOW, &t);
	if ((pid = fork()) == 0)
		pty_child(slave, argv);
	copy_output(master, pid, &status);
	fflush(stdout);
	ioctl(slave, FIONREAD, &queued);
	if (queued > (int)sizeof buf - 1)
		queued = sizeof buf - 1;
	queued = queued > 0 ? (int)read(slave, buf, (size_t)queued) : 0;
	for (int i = 0; i < queued; i++)
		if (buf[i] < 0x20 || buf[i] > 0x7e)
			buf[i] = '.';
	printf("pty-input %d [%.*s]\n", queued, queued > 0 ? queued : 0, buf);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int bind_port(const char *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(port)) };
	int s = socket(AF_INET, SOCK_STREAM, 0);
	long rc = s < 0 ? -1 : bind(s, (void *)&a, sizeof a);

	printf("bind %s\n", result(rc, errno));
	return rc < 0;
}

/* ---- benchmarks ------------------------------------------------------ */

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* A service's everyday mix: file I/O, a poll, an ioctl (filtered on its
 * arguments, so the BPF really runs), mmap, futex, time. */
static void mixed_once(int pipefd, char *buf)
{
	struct stat st;
	struct pollfd p = { .fd = pipefd, .events = POLLIN };
	int fd = open("/dev/zero", O_RDONLY | O_CLOEXEC), n;
	void *m;

	(void)!read(fd, buf, 4096);
	close(fd);
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	(void)!write(fd, buf, 4096);
	fstat(fd, &st);
	close(fd);
	ioctl(pipefd, FIONREAD, &n);
	poll(&p, 1, 0);
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(m, 4096);
	syscall(SYS_futex, &n, 1 /* FUTEX_WAKE */, 1, NULL, NULL, 0);
	syscall(SYS_getppid);
}

static int bench(const char *what, const char *count)
{
	long n = atol(count);
	int pfd[2];
	char *buf = malloc(4096);
	double t0;

	if (n <= 0 || !buf || pipe(pfd) < 0)
		return 2;
	t0 = now_ns();
	if (!strcmp(what, "bench-getppid"))
		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
	else if (!strcmp(what, "bench-ioctl"))	/* a call the filter inspects */
		for (long i = 0; i < n; i++) {
			int q;
			ioctl(pfd[0], FIONREAD, &q);
		}
	else
		for (long i = 0; i < n; i++)
			mixed_once(pfd[0], buf);
	printf("%.1f\n", (now_ns() - t0) / (double)n);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "syscalls"))
		return syscalls();
	if (!strcmp(mode, "everyday"))
		return everyday();
	if (!strcmp(mode, "tiocsti"))
		return tiocsti(argc > 2 && !strcmp(argv[2], "high"));
	if (!strcmp(mode, "pty") && argc > 2)
		return pty(argv + 2);
	if (!strcmp(mode, "bind") && argc > 2)
		return bind_port(argv[2]);
	if (!strncmp(mode, "bench-", 6) && argc > 2)
		return bench(mode, argv[2]);
	fprintf(stderr, "usage: appuser-probe syscalls|everyday|tiocsti [high]|pty CMD...|"
		"bind PORT|bench-getppid N|bench-ioctl N|bench-mixed N\n");
	return 2;
}

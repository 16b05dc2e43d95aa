/* caller.c — see caller.h. */
#include "caller.h"
#include "caps.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SETID_CAPS ((capset_t)1 << CAP_SETUID | (capset_t)1 << CAP_SETGID)

int caller_init(struct caller *c)
{
	int n;

	memset(c, 0, sizeof *c);
	if (getresuid(&c->ruid, &c->euid, &c->suid) < 0 ||
	    getresgid(&c->rgid, &c->egid, &c->sgid) < 0)
		return -errno;
	/* Installed with `setcap cap_chown,cap_fowner+ep` instead of 4755,
	 * appuser holds privilege with no uid 0 in sight: that must get setuid
	 * mode's rules, not none (issue 11 §6).  What the binary gave is what
	 * is permitted beyond the ambient set — ambient capabilities are the
	 * caller's own (podman --user N --cap-add, systemd's
	 * AmbientCapabilities=), and a file with capabilities clears them. */
	c->caps = caps_permitted() & ~caps_ambient();
	if (c->ruid == 0 && c->euid == 0)
		c->mode = MODE_ROOT;
	else if (c->euid == 0 || c->caps)
		c->mode = MODE_SETUID;
	else
		c->mode = MODE_UNPRIV;
	/* The setuid bit in a container without CAP_SETUID/CAP_SETGID in its
	 * bounding set (docker --cap-drop ALL) gives uid 0 and no power at
	 * all: give the uid back and be unprivileged, so that every command
	 * takes that path and says why (setuid_unavailable_reason()) instead
	 * of failing at its first setresgid with a bare EPERM.  (Leaving uid
	 * 0 clears what capabilities there were.  File capabilities without
	 * uid 0 stay setuid mode: giving up no uid would keep them.) */
	if (c->mode == MODE_SETUID && c->euid == 0 && (~caps_effective() & SETID_CAPS)) {
		if (setresuid(c->ruid, c->ruid, c->ruid) < 0)
			return -errno;
		c->euid = c->suid = c->ruid;
		c->caps = 0;
		c->mode = MODE_UNPRIV;
	}
	n = getgroups(0, NULL);
	if (n < 0)
		return -errno;
	if (n > 0) {
		c->groups = calloc((size_t)n, sizeof *c->groups);
		if (!c->groups)
			return -ENOMEM;
		n = getgroups(n, c->groups);
		if (n < 0)
			return -errno;
	}
	c->ngroups = (size_t)n;
	return 0;
}

void caller_free(struct caller *c)
{
	free(c->groups);
	c->groups = NULL;
	c->ngroups = 0;
}

const char *mode_name(enum run_mode m)
{
	switch (m) {
	case MODE_ROOT: return "root";
	case MODE_SETUID: return "setuid";
	case MODE_UNPRIV: return "unprivileged";
	}
	return "?";
}

/* Bounded input: a setuid program has no business with megabytes of
 * caller-controlled strings. */
static void bound_strings(char **v, size_t *count, size_t *bytes)
{
	for (; v && *v; v++) {
		(*count)++;
		*bytes += strlen(*v) + 1;
	}
}

void hygiene_entry(const struct caller *c, char **argv, char **envp)
{
	size_t count = 0, bytes = 0;

	if (c->mode != MODE_SETUID)
		return;
	/* fds 0-2 open, on /dev/null if the caller closed them: a file we
	 * open later must never become the caller's stdout/stderr. */
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		int nfd = open("/dev/null", O_RDWR | O_NOCTTY);
		if (nfd != fd)
			_exit(EXIT_FAIL);	/* cannot even report: stderr may be wrong */
	}
	/* Nothing of the caller's but stdio crosses into privileged code. */
	if (syscall(SYS_close_range, 3U, ~0U, 0U) < 0) {
		for (int fd = 3; fd < 65536; fd++)
			close(fd);
	}
	/* No core dump of a process that read /etc/shadow, no ptrace by the
	 * caller while we hold root. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		die_errno(EXIT_FAIL, errno, "prctl(PR_SET_DUMPABLE)");
	bound_strings(argv, &count, &bytes);
	if (count > SETUID_MAX_ARGS || bytes > SETUID_MAX_ARGBYTES)
		die(EXIT_FAIL, "too many or too long arguments for setuid mode (%zu, %zu bytes)",
		    count, bytes);
	count = bytes = 0;
	bound_strings(envp, &count, &bytes);
	if (count > SETUID_MAX_ARGS || bytes > SETUID_MAX_ARGBYTES)
		die(EXIT_FAIL, "environment too large for setuid mode (%zu variables, %zu bytes)",
		    count, bytes);
}

void hygiene_writer(const struct caller *c)
{
	static const int ignore[] = { SIGALRM, SIGHUP, SIGINT, SIGPIPE, SIGQUIT,
				      SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU, SIGXFSZ };
	static const int unlimit[] = { RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_DATA, RLIMIT_AS,
				       RLIMIT_STACK };
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	sigset_t all;

	if (c->mode != MODE_SETUID)
		return;
	if (c->euid != 0)
		die(EXIT_FAIL, "appuser holds file capabilities (%s) but not uid 0; it writes "
		    "files only as root: install it setuid root (make install BINMODE=4755) or "
		    "start it as root",
		    caps_format(c->caps, (char[512]){ 0 }, 512));
	/* Files we create (locks, /run/appuser, a home's parents) belong to
	 * root:root, not to the caller's group. */
	if (setresgid((gid_t)-1, 0, (gid_t)-1) < 0)
		die_errno(EXIT_FAIL, errno, "setresgid");
	for (size_t i = 0; i < sizeof unlimit / sizeof *unlimit; i++)
		(void)setrlimit(unlimit[i], &rl);
	rl.rlim_cur = rl.rlim_max = 0;
	(void)setrlimit(RLIMIT_CORE, &rl);
	rl.rlim_cur = rl.rlim_max = 1024;
	(void)setrlimit(RLIMIT_NOFILE, &rl);
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP && s != SIGCHLD)
			(void)signal(s, SIG_DFL);
	for (size_t i = 0; i < sizeof ignore / sizeof *ignore; i++)
		(void)signal(ignore[i], SIG_IGN);
	sigemptyset(&all);
	(void)sigprocmask(SIG_SETMASK, &all, NULL);
	umask(022);
}

void drop_to_caller(const struct caller *c)
{
	if (c->mode != MODE_SETUID)
		return;
	if (setresgid(c->rgid, c->rgid, c->rgid) < 0 || setresuid(c->ruid, c->ruid, c->ruid) < 0)
		die_errno(EXIT_FAIL, errno, "cannot drop privileges");
	/* Leaving uid 0 clears the capabilities; file or ambient ones with
	 * no uid change stay until cleared. */
	if (caps_permitted() && caps_clear_all() < 0)
		die(EXIT_FAIL, "cannot drop capabilities");
	if (geteuid() != c->ruid || getegid() != c->rgid || caps_permitted())
		die(EXIT_FAIL, "privileges still held after the drop");
}

static bool status_says(const char *key, const char *want)
{
	char buf[4096];
	ssize_t n;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	const char *p;

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strstr(buf, key);
	if (!p)
		return false;
	p += strlen(key);
	while (*p == ' ' || *p == '\t')
		p++;
	return !strncmp(p, want, strlen(want));
}

bool caller_rootless_userns(void)
{
	char buf[256];
	unsigned long in, out, n;
	ssize_t len;
	int fd = open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	len = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (len <= 0)
		return false;
	buf[len] = '\0';
	/* The first line maps inside uid 0 somewhere: "0 0 4294967295" is the
	 * initial namespace, "0 1000 1" or "0 100000 65536" a rootless one. */
	return sscanf(buf, "%lu %lu %lu", &in, &out, &n) == 3 && in == 0 && out != 0;
}

const char *setuid_unavailable_reason(char *buf, size_t len)
{
	struct statvfs vfs;
	struct stat st;

	if (status_says("NoNewPrivs:", "1"))
		snprintf(buf, len, "no_new_privs is already set (docker --security-opt "
			 "no-new-privileges, Kubernetes allowPrivilegeEscalation: false), so the "
			 "setuid bit is inert; to renumber the user start the container as root, "
			 "or bake the IDs into the image");
	else if (stat("/proc/self/exe", &st) == 0 && !(st.st_uid == 0 && (st.st_mode & S_ISUID)))
		snprintf(buf, len, "appuser is not installed setuid root (make install "
			 "BINMODE=4755) and was started as uid %lu; start it as root",
			 (unsigned long)getuid());
	else if (statvfs("/proc/self/exe", &vfs) == 0 && (vfs.f_flag & ST_NOSUID))
		snprintf(buf, len, "appuser lies on a filesystem mounted nosuid, so its setuid "
			 "bit is ignored; install it elsewhere or start the container as root");
	else if (prctl(PR_CAPBSET_READ, CAP_SETUID, 0, 0, 0) == 0 ||
		 prctl(PR_CAPBSET_READ, CAP_SETGID, 0, 0, 0) == 0)
		snprintf(buf, len, "the container's capability bounding set lacks "
			 "CAP_SETUID/CAP_SETGID (--cap-drop ALL), so the setuid bit gives no "
			 "power; add them (--cap-add SETUID --cap-add SETGID, and CHOWN, "
			 "DAC_OVERRIDE, FOWNER for setup) or run as the runtime's user");
	else
		snprintf(buf, len, "running as uid %lu without privilege; start it as root "
			 "or install it setuid root (BINMODE=4755)", (unsigned long)getuid());
	return buf;
}

/* tests/filters/kernel.c — see kernel.h. */
#include "kernel.h"

#include <errno.h>
#include <signal.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MARK 4000		/* errno base of the rewritten returns */
#define MAGIC 0x5ec0de42u	/* exit_group(MAGIC) ends the child */
#define PREFIX 7

#if defined(__x86_64__) && !defined(__ILP32__)
#define NATIVE AUDIT_ARCH_X86_64
#elif defined(__i386__)
#define NATIVE AUDIT_ARCH_I386
#elif defined(__aarch64__)
#define NATIVE AUDIT_ARCH_AARCH64
#elif defined(__arm__)
#define NATIVE AUDIT_ARCH_ARM
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NATIVE AUDIT_ARCH_PPC64LE
#elif defined(__s390x__)
#define NATIVE AUDIT_ARCH_S390X
#elif defined(__riscv) && __riscv_xlen == 64
#define NATIVE AUDIT_ARCH_RISCV64
#else
#define NATIVE 0
#endif

static const uint32_t rets[] = { SECCOMP_RET_ALLOW, SECCOMP_RET_KILL_PROCESS,
	SECCOMP_RET_KILL_THREAD, SECCOMP_RET_TRAP, SECCOMP_RET_LOG, SECCOMP_RET_USER_NOTIF,
	SECCOMP_RET_TRACE };

#if defined(__x86_64__) && !defined(__ILP32__)
/* i386's int 0x80 from 64-bit code, all six argument registers. */
__attribute__((noinline)) static long int80(long nr, const uint64_t *a)
{
	register long r8 __asm__("r8") = (long)(uint32_t)a[5];
	long ret;

	__asm__ volatile("sub $128, %%rsp\n\t"	/* step over the red zone */
			 "push %%rbp\n\t"
			 "mov %%r8d, %%ebp\n\t"
			 "int $0x80\n\t"
			 "pop %%rbp\n\t"
			 "add $128, %%rsp"
			 : "=a"(ret)
			 : "a"(nr), "b"(a[0]), "c"(a[1]), "d"(a[2]), "S"(a[3]), "D"(a[4]), "r"(r8)
			 : "memory", "r9", "r10", "r11", "cc");
	return ret;
}

static bool have_int80(void)
{
	static int known = -1;

	if (known < 0) {
		pid_t pid = fork();
		int st;

		if (pid == 0) {
			uint64_t a[6] = { 0 };
			int80(20, a);	/* getpid; faults without IA-32 emulation */
			_exit(0);
		}
		known = pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
			WEXITSTATUS(st) == 0;
	}
	return known;
}
#endif

bool kernel_reaches(const struct bpf_case *c)
{
#if defined(__x86_64__) && !defined(__ILP32__)
	if (c->arch == AUDIT_ARCH_I386)
		return have_int80() && c->nr >= 0;
	/* uretprobe (335) and uprobe (336) skip seccomp altogether since
	 * Linux 6.12 and send SIGILL outside a probe: the kernel cannot be
	 * asked about them. */
	if (c->nr == 335 || c->nr == 336)
		return false;
#endif
	return NATIVE && c->arch == NATIVE;
}

/* One call; returns the raw result, -errno on failure. */
static long call(const struct bpf_case *c)
{
#if defined(__x86_64__) && !defined(__ILP32__)
	if (c->arch == AUDIT_ARCH_I386)
		return int80(c->nr, c->args);
#endif
	long r = syscall(c->nr, c->args[0], c->args[1], c->args[2], c->args[3], c->args[4],
			 c->args[5]);
	return r == -1 ? -errno : r;
}

static int rewrite(const struct sock_filter *prog, size_t len, struct sock_filter *out,
		   char *err, size_t errlen)
{
	const unsigned lo = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ? 4 : 0;
	const struct sock_filter prefix[PREFIX] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit_group, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args) + lo),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, MAGIC, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};

	memcpy(out, prefix, sizeof prefix);
	for (size_t i = 0; i < len; i++) {
		struct sock_filter in = prog[i];
		uint32_t act = in.k & SECCOMP_RET_ACTION_FULL;

		if (in.code == (BPF_RET | BPF_A)) {
			snprintf(err, errlen, "instruction %zu returns A: cannot rewrite", i);
			return -1;
		}
		if (in.code == (BPF_RET | BPF_K) && act == SECCOMP_RET_ERRNO &&
		    (in.k & SECCOMP_RET_DATA) >= MARK) {
			snprintf(err, errlen, "instruction %zu returns errno %u", i,
				 in.k & SECCOMP_RET_DATA);
			return -1;
		}
		for (size_t r = 0; in.code == (BPF_RET | BPF_K) && r < sizeof rets / sizeof *rets; r++)
			if (act == rets[r])
				in.k = SECCOMP_RET_ERRNO | (uint32_t)(MARK + r);
		out[PREFIX + i] = in;
	}
	return 0;
}

static uint32_t verdict(long r)
{
	if (r >= 0 || r < -4095)
		return 0xfffffffeu;	/* the call ran: never expected */
	if (-r >= MARK && -r < MARK + (long)(sizeof rets / sizeof *rets))
		return rets[-r - MARK];
	return SECCOMP_RET_ERRNO | (uint32_t)-r;
}

static void child(const struct sock_filter *f, size_t len, const struct bpf_case *cases,
		  size_t n, uint32_t *out, char *why)
{
	struct sock_fprog fp = { .len = (unsigned short)len, .filter = (struct sock_filter *)f };

	/* the test framework's handlers would carry on in the child */
	for (int sig = 1; sig < 32; sig++)
		signal(sig, SIG_DFL);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) < 0) {
		snprintf(why, 200, "cannot load a seccomp filter here: %s", strerror(errno));
		_exit(3);
	}
	for (size_t i = 0; i < n; i++) {
		const struct bpf_case *c = &cases[i];

		if (!kernel_reaches(c) ||
		    (c->nr == __NR_exit_group && (uint32_t)c->args[0] == MAGIC)) {
			out[i] = KERNEL_UNREACHABLE;
			continue;
		}
		out[i] = verdict(call(c));
	}
	syscall(__NR_exit_group, MAGIC);
}

int kernel_verdicts(const struct sock_filter *prog, size_t len, const struct bpf_case *cases,
		    size_t n, uint32_t *out, char *err, size_t errlen)
{
	size_t shared = n * sizeof *out + 256;
	struct sock_filter *f = malloc((len + PREFIX) * sizeof *f);
	char *mem;
	pid_t pid;
	int st, rc = -1;

	if (!NATIVE) {
		snprintf(err, errlen, "no AUDIT_ARCH known for this build");
		free(f);
		return -1;
	}
	if (!f || len + PREFIX > BPF_MAXINSNS || rewrite(prog, len, f, err, errlen) < 0) {
		if (f && len + PREFIX > BPF_MAXINSNS)
			snprintf(err, errlen, "program too long to prefix");
		free(f);
		return -1;
	}
#if defined(__x86_64__) && !defined(__ILP32__)
	have_int80();	/* probe before the child, which cannot fork */
#endif
	mem = mmap(NULL, shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		snprintf(err, errlen, "mmap: %s", strerror(errno));
		free(f);
		return -1;
	}
	mem[0] = '\0';
	if ((pid = fork()) == 0)
		child(f, len + PREFIX, cases, n, (uint32_t *)(void *)(mem + 256), mem);
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		snprintf(err, errlen, "fork/wait: %s", strerror(errno));
	else if (WIFEXITED(st) && WEXITSTATUS(st) == (MAGIC & 0xff))
		rc = 0;
	else if (WIFEXITED(st) && mem[0])
		snprintf(err, errlen, "%s", mem);
	else
		snprintf(err, errlen, "the child ended with status 0x%x", st);
	if (rc == 0)
		memcpy(out, mem + 256, n * sizeof *out);
	munmap(mem, shared);
	free(f);
	return rc;
}

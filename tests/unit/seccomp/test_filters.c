/* Unit tests: every built-in profile compiled into this build, run in the
 * classic-BPF interpreter (tests/filters/) on synthetic seccomp_data for
 * every ABI its kernel runs and for every foreign architecture, against
 * the table the policy text implies (tests/filters/expect.h); then loaded
 * into the running kernel, where it can be, whose verdicts must be the
 * interpreter's.  Under qemu-user (cross builds) the kernel part skips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../filters/abi.h"
#include "../../filters/bpf.h"
#include "../../filters/expect.h"
#include "../../filters/kernel.h"
#include "../../filters/scmp_table.h"
#include "seccomp/load.h"
#include "seccomp/profiles.h"
#include "seccomp/source.h"

#define BIG_ENDIAN_BUILD (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)

struct check {
	const struct seccomp_builtin *b;
	const struct abi *abi;		/* NULL: the foreign architectures */
	bool kernel;
	char name[96];
};

static const struct target *target;
static struct systable tables[4];
static size_t ntables;

static const struct sock_filter *program(const struct seccomp_builtin *b, size_t *len)
{
	assert_int_equal(b->nprogs, 1);
	*len = b->progs[0].len;
	return b->progs[0].insns;
}

static void parse_builtin(const struct seccomp_builtin *b, struct policy *pol)
{
	struct policy_files files = { .builtin_text = seccomp_builtin_source };
	struct policy_source src;
	char path[80], err[512];

	snprintf(path, sizeof path, "<%s>", b->name);
	policy_files_source(&files, &src);
	if (policy_parse(path, b->source, strlen(b->source), &src, pol, err, sizeof err) < 0)
		fail_msg("%s", err);
}

static const char *case_text(const struct bpf_case *c, char *buf, size_t len)
{
	const struct abi *a = abi_by_audit(c->arch, c->nr);
	const char *name = NULL;

	for (size_t i = 0; a && i < ntables; i++)
		if (tables[i].abi == a)
			name = systable_name(&tables[i], c->nr);
	snprintf(buf, len, "%s nr %d (%s) args 0x%llx 0x%llx 0x%llx", a ? a->name : "foreign",
		 c->nr, name ? name : "?", (unsigned long long)c->args[0],
		 (unsigned long long)c->args[1], (unsigned long long)c->args[2]);
	return buf;
}

/* The kernel part: the cases of every ABI, in one child. */
static struct bpf_case *all_cases(const struct expect *e, size_t *n)
{
	struct bpf_case *all = NULL, *more, *c;
	size_t m;

	*n = 0;
	for (size_t i = 0; i < ntables; i++) {
		assert_non_null(c = expect_cases(e, tables[i].abi, &m));
		assert_non_null(more = realloc(all, (*n + m) * sizeof *all));
		all = more;
		memcpy(all + *n, c, m * sizeof *c);
		*n += m;
		free(c);
	}
	return all;
}

static void run_check(void **state)
{
	const struct check *ck = *state;
	struct policy pol;
	struct expect e = { target, &pol, tables, ntables };
	const struct sock_filter *prog;
	struct bpf_case *cases;
	uint32_t *kernel = NULL;
	size_t len, n, bad = 0, reached = 0;
	char err[256], buf[160];

	prog = program(ck->b, &len);
	if (bpf_check(prog, len, err, sizeof err) < 0)
		fail_msg("%s: the kernel would refuse the program: %s", ck->b->name, err);
	parse_builtin(ck->b, &pol);
	cases = ck->kernel ? all_cases(&e, &n) : expect_cases(&e, ck->abi, &n);
	assert_non_null(cases);
	if (ck->kernel) {
		assert_non_null(kernel = calloc(n, sizeof *kernel));
		if (kernel_verdicts(prog, len, cases, n, kernel, err, sizeof err) < 0) {
			print_message("# SKIP %s: %s\n", ck->name, err);
			free(kernel);
			free(cases);
			policy_free(&pol);
			skip();
		}
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char data[BPF_DATA_SIZE];
		uint32_t want = expect_verdict(&e, &cases[i]), got;

		bpf_data(&cases[i], BIG_ENDIAN_BUILD, data);
		got = bpf_run(prog, len, data, BIG_ENDIAN_BUILD);
		if (kernel && kernel[i] != KERNEL_UNREACHABLE) {
			reached++;
			want = got;	/* the interpreter is what the kernel must agree with */
			got = kernel[i];
		}
		if (got != want && bad++ < 8)
			print_error("%s: %s: got 0x%08x, want 0x%08x\n", ck->name,
				    case_text(&cases[i], buf, sizeof buf), got, want);
	}
	print_message("# %s: %zu cases%s, %zu wrong\n", ck->name, kernel ? reached : n,
		      kernel ? " made in the kernel" : "", bad);
	if (kernel && reached == 0)
		fail_msg("%s: no case reached the kernel", ck->name);
	free(kernel);
	free(cases);
	policy_free(&pol);
	assert_int_equal(bad, 0);
}

/* ---- what default and strict promise, by hand -------------------------- *
 * The table above follows the policy text; these pin the text down to
 * what appuser-policy(5) and README promise, on every ABI of this build,
 * by syscall name.  args32 ABIs see the low halves only. */

#define EPERM_RET (SECCOMP_RET_ERRNO | 1)
#define ENOSYS_RET (SECCOMP_RET_ERRNO | 38)
#define ALLOW SECCOMP_RET_ALLOW
#define HI(x) (0xffffffff00000000ull | (x))

static const struct promise {
	const char *profile, *sys;
	uint64_t a0, a1;
	uint32_t want;
	bool sockets;		/* not on an ABI whose glibc uses socketcall */
} promises[] = {
	{ "default", "unshare", 0, 0, EPERM_RET, false },
	{ "default", "mount", 0, 0, EPERM_RET, false },
	{ "default", "getppid", 0, 0, ALLOW, false },
	{ "default", "clone3", 0, 0, ENOSYS_RET, false },
	{ "default", "ioctl", 0, 0x5412, EPERM_RET, false },		/* TIOCSTI */
	{ "default", "ioctl", 0, HI(0x5412), EPERM_RET, false },	/* CVE-2017-5226 */
	{ "default", "ioctl", 0, 0x541c, EPERM_RET, false },		/* TIOCLINUX */
	{ "default", "ioctl", 0, 0x5413, ALLOW, false },
	{ "default", "socket", 40, 1, EPERM_RET, true },		/* AF_VSOCK */
	{ "default", "socket", HI(40), 1, EPERM_RET, true },
	{ "default", "socket", 38, 5, EPERM_RET, true },		/* AF_ALG */
	{ "default", "socket", 2, 1, ALLOW, false },			/* AF_INET */
	{ "default", "personality", 0xffffffff, 0, ALLOW, false },
	{ "default", "personality", 0x100000000ull, 0, ALLOW, false },
	{ "default", "personality", 0x0400000, 0, EPERM_RET, false },	/* READ_IMPLIES_EXEC */
	{ "default", "personality", HI(0x40000), 0, EPERM_RET, false },	/* ADDR_NO_RANDOMIZE */
	{ "default", "stime", 0, 0, EPERM_RET, false },
	{ "default", "ptrace", 0, 0, EPERM_RET, false },
	{ "default", "process_madvise", 0, 0, EPERM_RET, false },
	{ "default", "get_robust_list", 0, 0, EPERM_RET, false },
	{ "default", "chroot", 0, 0, ALLOW, false },
	{ "strict", "ptrace", 0, 0, EPERM_RET, false },
	{ "strict", "chroot", 0, 0, EPERM_RET, false },
	{ "strict", "unshare", 0, 0, EPERM_RET, false },
	{ "strict", "socket", 2, 3, EPERM_RET, true },			/* SOCK_RAW */
	{ "strict", "socket", 2, 3 | 0x80000, EPERM_RET, true },	/* |SOCK_CLOEXEC */
	{ "strict", "socket", 17, 2, EPERM_RET, true },			/* AF_PACKET */
	{ "strict", "socket", 2, 1, ALLOW, false },
	{ "strict", "vm86old", 0, 0, EPERM_RET, false },
};

static uint32_t verdict_of(const struct seccomp_builtin *b, const struct abi *a, int32_t nr,
			   const uint64_t *args)
{
	struct bpf_case c = { .nr = nr, .arch = a->audit };
	unsigned char data[BPF_DATA_SIZE];
	const struct sock_filter *prog;
	size_t len;

	for (int i = 0; i < 6; i++)
		c.args[i] = a->args32 ? (uint32_t)args[i] : args[i];
	prog = program(b, &len);
	bpf_data(&c, BIG_ENDIAN_BUILD, data);
	return bpf_run(prog, len, data, BIG_ENDIAN_BUILD);
}

static const struct seccomp_builtin *builtin(const char *name)
{
	for (size_t i = 0; i < seccomp_nbuiltins; i++)
		if (!strcmp(seccomp_builtins[i].name, name))
			return &seccomp_builtins[i];
	fail_msg("no built-in profile %s", name);
	return NULL;
}

static void test_promises(void **state)
{
	size_t checked = 0;

	for (size_t t = 0; t < ntables; t++) {
		const struct abi *a = tables[t].abi;
		/* the family is unreadable through socketcall (appuser-policy(5)) */
		bool blind = !strcmp(a->name, target->self) && a->libc_socketcall;

		for (size_t i = 0; i < sizeof promises / sizeof *promises; i++) {
			const struct promise *p = &promises[i];
			int32_t nr = systable_nr(&tables[t], p->sys);
			uint64_t args[6] = { p->a0, p->a1 };
			uint32_t got;

			if (nr < 0 || (p->sockets && blind))
				continue;
			if (!strcmp(p->sys, "personality") && a->args32 && p->a0 > 0xffffffff)
				continue;	/* the same as its low half, checked already */
			got = verdict_of(builtin(p->profile), a, nr, args);
			if (got != p->want)
				fail_msg("%s on %s: %s(0x%llx, 0x%llx) gives 0x%08x, not 0x%08x",
					 p->profile, a->name, p->sys, (unsigned long long)p->a0,
					 (unsigned long long)p->a1, got, p->want);
			checked++;
		}
	}
	print_message("# %zu promises checked on %zu ABIs\n", checked, ntables);
	assert_true(checked > 0);
}

/* clone: every namespace flag in the flags register is denied, threads
 * and fork are not; personality: only the five harmless values. */
static void test_clone_personality(void **state)
{
	const uint32_t ns = 0x7e020000;	/* CLONE_NEW{NS,CGROUP,UTS,IPC,USER,PID,NET} */
	static const uint32_t harmless[] = { 0, 8, 0x20000, 0x20008, 0xffffffff };

	for (size_t t = 0; t < ntables; t++) {
		const struct abi *a = tables[t].abi;
		int32_t clone = systable_nr(&tables[t], "clone");
		int32_t pers = systable_nr(&tables[t], "personality");
		/* CLONE_BACKWARDS2: flags in the second register on s390 */
		unsigned flags_at = !strcmp(a->name, "s390x") ? 1 : 0;

		for (int bit = 0; bit < 32; bit++) {
			uint64_t args[6] = { 0 };
			uint32_t flag = (uint32_t)1 << bit;

			args[flags_at] = flag | 0x11;	/* | SIGCHLD */
			assert_int_equal(verdict_of(builtin("default"), a, clone, args),
					 flag & ns ? EPERM_RET : ALLOW);
		}
		for (uint64_t v = 0; v < 0x100000000ull; v += 0x10001) {
			uint64_t args[6] = { v };
			bool ok = false;

			for (size_t i = 0; i < 5; i++)
				ok |= (uint32_t)v == harmless[i];
			assert_int_equal(verdict_of(builtin("default"), a, pers, args),
					 ok ? ALLOW : EPERM_RET);
		}
		for (size_t i = 0; i < 5; i++) {
			uint64_t args[6] = { harmless[i] };
			assert_int_equal(verdict_of(builtin("default"), a, pers, args), ALLOW);
		}
	}
}

static void load_tables(void)
{
	for (ntables = 0; target->abis[ntables]; ntables++) {
		const struct abi *a = abi_find(target->abis[ntables]);

		if (!a || systable_libseccomp(&tables[ntables], a) < 0) {
			fprintf(stderr, "no syscall table for %s\n", target->abis[ntables]);
			exit(1);
		}
	}
}

int main(void)
{
	static struct check checks[64];
	static struct CMUnitTest tests[66];
	size_t n = 0;

	if (!(target = target_find(seccomp_builtins_arch))) {
		fprintf(stderr, "no target for %s\n", seccomp_builtins_arch);
		return 1;
	}
	load_tables();
	for (size_t i = 0; i < seccomp_nbuiltins; i++) {
		const struct seccomp_builtin *b = &seccomp_builtins[i];

		for (size_t k = 0; k <= ntables + 1 && n < 64; k++, n++) {
			struct check *ck = &checks[n];

			ck->b = b;
			ck->abi = k < ntables ? tables[k].abi : NULL;
			ck->kernel = k == ntables + 1;
			snprintf(ck->name, sizeof ck->name, "%s for %s, %s", b->name, target->deb,
				 ck->kernel ? "the running kernel agrees" :
				 ck->abi ? ck->abi->name : "foreign architectures killed");
			tests[n] = (struct CMUnitTest){ ck->name, run_check, NULL, NULL, ck };
		}
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_promises);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_clone_personality);
	return _cmocka_run_group_tests("filters", tests, n, NULL, NULL);
}

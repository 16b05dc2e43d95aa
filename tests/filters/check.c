/* tests/filters/check.c — see check.h. */
#include "check.h"
#include "kernel.h"

#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct systable *table_of(const struct expect *e, const struct abi *a)
{
	for (size_t i = 0; i < e->ntables; i++)
		if (e->tables[i].abi == a)
			return &e->tables[i];
	return NULL;
}

static uint32_t interpret(const struct check_prog *p, const struct bpf_case *c)
{
	unsigned char data[BPF_DATA_SIZE];

	bpf_data(c, p->big_endian, data);
	return bpf_run(p->insns, p->len, data, p->big_endian);
}

static void wrong(struct check_result *r, const struct expect *e, const struct bpf_case *c,
		  uint32_t got, uint32_t want, const char *what)
{
	const struct abi *a = abi_by_audit(c->arch, c->nr);
	const struct systable *t = a ? table_of(e, a) : NULL;
	const char *name = t ? systable_name(t, c->nr) : NULL;

	if (r->wrong++ >= CHECK_SHOWN)
		return;
	snprintf(r->shown[r->wrong - 1], sizeof r->shown[0],
		 "%s nr %d (%s) args 0x%llx 0x%llx 0x%llx: %s 0x%08x, want 0x%08x",
		 a ? a->name : "arch", c->nr, name ? name : "?", (unsigned long long)c->args[0],
		 (unsigned long long)c->args[1], (unsigned long long)c->args[2], what, got, want);
}

int check_valid(const struct check_prog *p, char *err, size_t errlen)
{
	return bpf_check(p->insns, p->len, err, errlen);
}

int check_table(const struct expect *e, const struct check_prog *p, const struct abi *a,
		struct check_result *r)
{
	size_t n;
	struct bpf_case *cases = expect_cases(e, a, &n);

	memset(r, 0, sizeof *r);
	if (!cases)
		return -1;
	for (size_t i = 0; i < n; i++) {
		uint32_t want = expect_verdict(e, &cases[i]), got = interpret(p, &cases[i]);

		if (got != want)
			wrong(r, e, &cases[i], got, want, "filter says");
	}
	r->cases = n;
	free(cases);
	return 0;
}

/* ---- promises ------------------------------------------------------------ *
 * The table follows the policy text; these pin the text to what
 * appuser-policy(5) and the README promise.  32-bit ABIs see the low
 * halves only. */

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
	{ "default", "clock_settime", 0, 0, EPERM_RET, false },
	{ "default", "clock_settime64", 0, 0, EPERM_RET, false },	/* 32-bit ABIs */
	{ "default", "clock_adjtime64", 0, 0, EPERM_RET, false },
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

static uint32_t verdict_of(const struct check_prog *p, const struct abi *a, int32_t nr,
			   const uint64_t *args)
{
	struct bpf_case c = { .nr = nr, .arch = a->audit };

	for (int i = 0; i < 6; i++)
		c.args[i] = a->args32 ? (uint32_t)args[i] : args[i];
	return interpret(p, &c);
}

static void promise(struct check_result *r, const struct expect *e, const struct check_prog *p,
		    const struct abi *a, int32_t nr, const uint64_t *args, uint32_t want)
{
	struct bpf_case c = { .nr = nr, .arch = a->audit };
	uint32_t got = verdict_of(p, a, nr, args);

	r->cases++;
	memcpy(c.args, args, sizeof c.args);
	if (got != want)
		wrong(r, e, &c, got, want, "promised otherwise, filter says");
}

/* clone: every namespace flag in the flags register is denied, threads
 * and fork are not (CLONE_BACKWARDS2: the second register on s390x);
 * personality: the five harmless values only. */
static void clone_personality(struct check_result *r, const struct expect *e,
			      const struct check_prog *p, const struct systable *t)
{
	const uint32_t ns = 0x7e020000;	/* CLONE_NEW{NS,CGROUP,UTS,IPC,USER,PID,NET} */
	static const uint32_t harmless[] = { 0, 8, 0x20000, 0x20008, 0xffffffff };
	int32_t clone = systable_nr(t, "clone"), pers = systable_nr(t, "personality");

	for (int bit = 0; bit < 32 && clone >= 0; bit++) {
		uint64_t args[6] = { 0 };
		uint32_t flag = (uint32_t)1 << bit;

		args[t->abi->clone_flags_arg] = flag | 0x11;	/* | SIGCHLD */
		promise(r, e, p, t->abi, clone, args, flag & ns ? EPERM_RET : ALLOW);
	}
	for (uint64_t v = 0; v < 0x100000000ull && pers >= 0; v += 0x10001) {
		uint64_t args[6] = { v };
		bool ok = false;

		for (size_t i = 0; i < 5; i++)
			ok |= (uint32_t)v == harmless[i];
		promise(r, e, p, t->abi, pers, args, ok ? ALLOW : EPERM_RET);
	}
	for (size_t i = 0; i < 5 && pers >= 0; i++) {
		uint64_t args[6] = { harmless[i] };
		promise(r, e, p, t->abi, pers, args, ALLOW);
	}
}

int check_promises(const struct expect *e, const struct check_prog *p, struct check_result *r)
{
	memset(r, 0, sizeof *r);
	for (size_t t = 0; t < e->ntables; t++) {
		const struct abi *a = e->tables[t].abi;
		/* the family is unreadable through socketcall (appuser-policy(5)) */
		bool blind = !strcmp(a->name, e->target->self) && a->libc_socketcall;

		for (size_t i = 0; i < sizeof promises / sizeof *promises; i++) {
			const struct promise *pr = &promises[i];
			int32_t nr = systable_nr(&e->tables[t], pr->sys);
			uint64_t args[6] = { pr->a0, pr->a1 };

			if (strcmp(pr->profile, p->profile) || nr < 0 || (pr->sockets && blind))
				continue;
			promise(r, e, p, a, nr, args, pr->want);
		}
		if (!strcmp(p->profile, "default"))
			clone_personality(r, e, p, &e->tables[t]);
	}
	return 0;
}

/* ---- the kernel ------------------------------------------------------------ */

int check_kernel(const struct expect *e, const struct check_prog *p, struct check_result *r,
		 char *err, size_t errlen)
{
	struct bpf_case *all = NULL, *more, *c;
	uint32_t *kv = NULL;
	size_t n = 0, m;
	int rc = -1;

	memset(r, 0, sizeof *r);
	for (size_t i = 0; i < e->ntables; i++) {
		if (!(c = expect_cases(e, e->tables[i].abi, &m)) ||
		    !(more = realloc(all, (n + m) * sizeof *all))) {
			free(c);
			snprintf(err, errlen, "out of memory");
			goto out;
		}
		all = more;
		memcpy(all + n, c, m * sizeof *c);
		n += m;
		free(c);
	}
	if (!(kv = calloc(n ? n : 1, sizeof *kv))) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (kernel_verdicts(p->insns, p->len, all, n, kv, err, errlen) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		uint32_t want;

		if (kv[i] == KERNEL_UNREACHABLE)
			continue;
		r->cases++;
		if (kv[i] != (want = interpret(p, &all[i])))
			wrong(r, e, &all[i], kv[i], want, "the kernel says");
	}
	if (r->cases == 0)
		snprintf(err, errlen, "this process reaches none of the %s ABIs",
			 e->target->deb);
	else
		rc = 0;
out:
	free(kv);
	free(all);
	return rc;
}

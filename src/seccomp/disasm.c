/* seccomp/disasm.c — see seccomp/disasm.h. */
#include "seccomp/disasm.h"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>

/* What the accumulator holds at an instruction. */
enum acc { ACC_UNKNOWN, ACC_NR, ACC_ARCH, ACC_IP, ACC_ARG_LO, ACC_ARG_HI };

struct state {
	bool seen;
	enum acc acc;
	unsigned arg;		/* ACC_ARG_* */
	bool masked;		/* after an ALU op */
	uint32_t arch;		/* 0: not known on every path here */
};

const char *bpf_arch_name(uint32_t a)
{
	switch (a) {
	case AUDIT_ARCH_X86_64: return "x86_64";
	case AUDIT_ARCH_I386: return "i386";
	case AUDIT_ARCH_AARCH64: return "aarch64";
	case AUDIT_ARCH_ARM: return "arm";
	case AUDIT_ARCH_PPC64LE: return "ppc64le";
	case AUDIT_ARCH_S390X: return "s390x";
	case AUDIT_ARCH_RISCV64: return "riscv64";
	default: return NULL;
	}
}

const char *bpf_ret_name(uint32_t k, char *buf, size_t len)
{
	uint32_t data = k & SECCOMP_RET_DATA;
	const char *e;

	switch (k & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS: snprintf(buf, len, "KILL_PROCESS"); break;
	case SECCOMP_RET_KILL_THREAD: snprintf(buf, len, "KILL_THREAD"); break;
	case SECCOMP_RET_TRAP: snprintf(buf, len, "TRAP(%u)", data); break;
	case SECCOMP_RET_ERRNO:
		e = strerrorname_np((int)data);
		if (e)
			snprintf(buf, len, "ERRNO(%s)", e);
		else
			snprintf(buf, len, "ERRNO(%u)", data);
		break;
	case SECCOMP_RET_USER_NOTIF: snprintf(buf, len, "USER_NOTIF"); break;
	case SECCOMP_RET_TRACE: snprintf(buf, len, "TRACE(%u)", data); break;
	case SECCOMP_RET_LOG: snprintf(buf, len, "LOG"); break;
	case SECCOMP_RET_ALLOW: snprintf(buf, len, "ALLOW"); break;
	default: snprintf(buf, len, "0x%08x", k); break;
	}
	return buf;
}

static struct state load_abs(uint32_t k)
{
	struct state s = { .seen = true, .acc = ACC_UNKNOWN };
	uint32_t lo = 0, hi = 4;

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	lo = 4, hi = 0;
#endif
	if (k == offsetof(struct seccomp_data, nr))
		s.acc = ACC_NR;
	else if (k == offsetof(struct seccomp_data, arch))
		s.acc = ACC_ARCH;
	else if (k == offsetof(struct seccomp_data, instruction_pointer) ||
		 k == offsetof(struct seccomp_data, instruction_pointer) + 4)
		s.acc = ACC_IP;
	else if (k >= offsetof(struct seccomp_data, args) && k < sizeof(struct seccomp_data)) {
		uint32_t off = k - (uint32_t)offsetof(struct seccomp_data, args);
		s.arg = off / 8;
		s.acc = off % 8 == lo ? ACC_ARG_LO : off % 8 == hi ? ACC_ARG_HI : ACC_UNKNOWN;
	}
	return s;
}

static void merge(struct state *into, const struct state *s)
{
	if (!into->seen) {
		*into = *s;
		return;
	}
	if (into->acc != s->acc || into->arg != s->arg || into->masked != s->masked)
		into->acc = ACC_UNKNOWN;
	if (into->arch != s->arch)
		into->arch = 0;
}

static void push(struct state *st, size_t len, size_t to, const struct state *s)
{
	if (to < len)
		merge(&st[to], s);
}

/* Successors get what this instruction leaves behind. */
static void flow(struct state *st, size_t len, size_t i, const struct sock_filter *f)
{
	struct state s = st[i];
	uint16_t cls = BPF_CLASS(f->code);

	if (cls == BPF_LD && BPF_MODE(f->code) == BPF_ABS) {
		s = load_abs(f->k);
		s.arch = st[i].arch;
	} else if (cls == BPF_ALU) {
		/* and #0x3fffffff on the number (seccomp/x32fold.h): the x32
		 * call's x86_64 twin, still a syscall number */
		s.masked = !(s.acc == ACC_NR && f->code == (BPF_ALU | BPF_AND | BPF_K) &&
			     f->k == 0x3fffffffu) || s.masked;
	} else if (cls == BPF_LD || cls == BPF_LDX || cls == BPF_MISC) {
		s.acc = ACC_UNKNOWN;
	}
	if (cls == BPF_RET)
		return;
	if (cls != BPF_JMP) {
		push(st, len, i + 1, &s);
		return;
	}
	if (BPF_OP(f->code) == BPF_JA) {
		push(st, len, i + 1 + f->k, &s);
		return;
	}
	push(st, len, i + 1 + f->jf, &s);
	if (s.acc == ACC_ARCH && !s.masked && BPF_OP(f->code) == BPF_JEQ &&
	    BPF_SRC(f->code) == BPF_K)
		s.arch = f->k;
	push(st, len, i + 1 + f->jt, &s);
}

static const char *jump_name(uint16_t code)
{
	switch (BPF_OP(code)) {
	case BPF_JEQ: return "jeq";
	case BPF_JGT: return "jgt";
	case BPF_JGE: return "jge";
	case BPF_JSET: return "jset";
	default: return "j?";
	}
}

static const char *alu_name(uint16_t code)
{
	static const char *const names[16] = { "add", "sub", "mul", "div", "or", "and",
		"lsh", "rsh", "neg", "mod", "xor" };
	const char *n = names[BPF_OP(code) >> 4];

	return n ? n : "alu?";
}

/* A comment naming what a comparison against k means here. */
static void comment(char *buf, size_t len, const struct state *s, const struct sock_filter *f,
		    disasm_syscall_fn name)
{
	char sys[64];
	uint32_t arch = s->arch;

	buf[0] = '\0';
	if (BPF_CLASS(f->code) == BPF_LD && BPF_MODE(f->code) == BPF_ABS) {
		struct state l = load_abs(f->k);
		static const char *const what[] = { "?", "syscall number", "architecture",
			"instruction pointer", "low 32 bits", "high 32 bits" };

		if (l.acc >= ACC_ARG_LO)
			snprintf(buf, len, "arg%u %s", l.arg, what[l.acc]);
		else if (l.acc != ACC_UNKNOWN)
			snprintf(buf, len, "%s", what[l.acc]);
		return;
	}
	if (BPF_CLASS(f->code) != BPF_JMP || BPF_OP(f->code) == BPF_JA || s->masked)
		return;
	if (s->acc == ACC_ARCH && bpf_arch_name(f->k)) {
		snprintf(buf, len, "%s", bpf_arch_name(f->k));
	} else if (s->acc == ACC_NR && BPF_OP(f->code) == BPF_JEQ && arch) {
		/* x32 syscalls arrive as x86_64 with bit 30 set */
		const char *abi = arch == AUDIT_ARCH_X86_64 && (f->k & 0x40000000) ? "x32 " : "";
		if (name && name(arch, f->k, sys, sizeof sys))
			snprintf(buf, len, "%s%s", abi, sys);
		else if (*abi && name && name(arch, f->k & ~0x40000000u, sys, sizeof sys))
			snprintf(buf, len, "not x32: x86_64's %s", sys);
	}
}

static void operand(char *buf, size_t len, const struct sock_filter *f, size_t i,
		    const struct state *s)
{
	uint16_t cls = BPF_CLASS(f->code);
	char v[24];

	if (cls == BPF_LD && BPF_MODE(f->code) == BPF_ABS)
		snprintf(buf, len, "[%u]", f->k);
	else if ((cls == BPF_LD || cls == BPF_LDX) && BPF_MODE(f->code) != BPF_MEM)
		snprintf(buf, len, "#0x%x", f->k);
	else if (cls == BPF_LD || cls == BPF_LDX || cls == BPF_ST || cls == BPF_STX)
		snprintf(buf, len, "M[%u]", f->k);
	else if (cls == BPF_ALU)
		snprintf(buf, len, BPF_SRC(f->code) == BPF_X ? "x" : "#0x%x", f->k);
	else if (cls == BPF_JMP && BPF_OP(f->code) == BPF_JA)
		snprintf(buf, len, "%04zu", i + 1 + f->k);
	else if (cls == BPF_JMP) {
		if (BPF_SRC(f->code) == BPF_X)
			snprintf(v, sizeof v, "x");
		else
			snprintf(v, sizeof v, s->acc == ACC_NR && !s->masked ? "#%u" : "#0x%x",
				 f->k);
		snprintf(buf, len, "%-12s %04zu %04zu", v, i + 1 + f->jt, i + 1 + f->jf);
	} else
		buf[0] = '\0';
}

static const char *mnemonic(const struct sock_filter *f)
{
	switch (BPF_CLASS(f->code)) {
	case BPF_LD: return "ld";
	case BPF_LDX: return "ldx";
	case BPF_ST: return "st";
	case BPF_STX: return "stx";
	case BPF_ALU: return alu_name(f->code);
	case BPF_JMP: return BPF_OP(f->code) == BPF_JA ? "ja" : jump_name(f->code);
	case BPF_RET: return "ret";
	default: return BPF_MISCOP(f->code) == BPF_TAX ? "tax" : "txa";
	}
}

static void line(FILE *out, size_t i, const struct sock_filter *f, const struct state *s,
		 disasm_syscall_fn name)
{
	char op[64], com[96];

	if (BPF_CLASS(f->code) == BPF_RET)
		bpf_ret_name(f->k, op, sizeof op);
	else
		operand(op, sizeof op, f, i, s);
	comment(com, sizeof com, s, f, name);
	if (!s->seen)
		snprintf(com, sizeof com, "unreachable");
	fprintf(out, "%04zu  %-4s %-28s%s%s\n", i, mnemonic(f), op, *com ? "# " : "", com);
}

void bpf_disasm(FILE *out, const struct sock_filter *prog, size_t len, disasm_syscall_fn name)
{
	struct state *st = calloc(len ? len : 1, sizeof *st);

	if (!st)
		return;
	if (len)
		st[0].seen = true;
	for (size_t i = 0; i < len; i++) {
		line(out, i, &prog[i], &st[i], name);
		if (st[i].seen)
			flow(st, len, i, &prog[i]);
	}
	free(st);
}

/* tests/filters/bpf.c — see bpf.h.  Written from the kernel's rules
 * (net/core/filter.c bpf_check_classic, kernel/seccomp.c
 * seccomp_check_filter), not from libseccomp: the point is to check what
 * libseccomp produced. */
#include "bpf.h"

#include <stdio.h>
#include <string.h>

#define MEMWORDS 16

static int bad(char *err, size_t errlen, size_t pc, const char *why)
{
	snprintf(err, errlen, "instruction %zu: %s", pc, why);
	return -1;
}

/* The opcodes seccomp_check_filter() lets through. */
static bool seccomp_opcode(uint16_t code)
{
	switch (code) {
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
	case BPF_ALU | BPF_NEG:
	case BPF_LD | BPF_IMM:
	case BPF_LDX | BPF_IMM:
	case BPF_MISC | BPF_TAX:
	case BPF_MISC | BPF_TXA:
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
	case BPF_JMP | BPF_JA:
		return true;
	}
	if (BPF_CLASS(code) == BPF_ALU) {
		switch (BPF_OP(code)) {
		case BPF_ADD: case BPF_SUB: case BPF_MUL: case BPF_DIV: case BPF_AND:
		case BPF_OR: case BPF_XOR: case BPF_LSH: case BPF_RSH:
			return (code & ~(BPF_OP(0xff) | BPF_SRC(0xff))) == BPF_ALU;
		}
		return false;
	}
	if (BPF_CLASS(code) == BPF_JMP) {
		switch (BPF_OP(code)) {
		case BPF_JEQ: case BPF_JGE: case BPF_JGT: case BPF_JSET:
			return (code & ~(BPF_OP(0xff) | BPF_SRC(0xff))) == BPF_JMP;
		}
	}
	return false;
}

/* Scratch memory must be stored before it is loaded on every path
 * (bpf_check_classic's check_load_and_stores): a forward data flow over
 * the bit set of written words. */
static int check_memory(const struct sock_filter *f, size_t len, char *err, size_t errlen)
{
	uint16_t known[BPF_MAXINSNS];
	bool reached[BPF_MAXINSNS] = { false };

	reached[0] = true;
	known[0] = 0;
	for (size_t pc = 0; pc < len; pc++) {
		uint16_t cls = BPF_CLASS(f[pc].code), m;

		if (!reached[pc])
			continue;
		m = known[pc];
		if ((f[pc].code == (BPF_LD | BPF_MEM) || f[pc].code == (BPF_LDX | BPF_MEM)) &&
		    !(m & (1u << f[pc].k)))
			return bad(err, errlen, pc, "scratch memory read before it is written");
		if (cls == BPF_ST || cls == BPF_STX)
			m |= (uint16_t)(1u << f[pc].k);
		if (cls == BPF_RET)
			continue;
		size_t next[2] = { pc + 1, pc + 1 };
		int n = 1;
		if (cls == BPF_JMP && BPF_OP(f[pc].code) == BPF_JA) {
			next[0] = pc + 1 + f[pc].k;
		} else if (cls == BPF_JMP) {
			next[0] = pc + 1 + f[pc].jt;
			next[1] = pc + 1 + f[pc].jf;
			n = 2;
		}
		for (int i = 0; i < n; i++) {
			size_t to = next[i];

			known[to] = reached[to] ? known[to] & m : m;
			reached[to] = true;
		}
	}
	return 0;
}

int bpf_check(const struct sock_filter *f, size_t len, char *err, size_t errlen)
{
	if (len == 0 || len > BPF_MAXINSNS) {
		snprintf(err, errlen, "%zu instructions (1 to %d)", len, BPF_MAXINSNS);
		return -1;
	}
	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *in = &f[pc];
		uint16_t cls = BPF_CLASS(in->code);

		if (!seccomp_opcode(in->code))
			return bad(err, errlen, pc, "opcode seccomp does not allow");
		if (in->code == (BPF_LD | BPF_W | BPF_ABS) && (in->k >= BPF_DATA_SIZE || in->k % 4))
			return bad(err, errlen, pc, "load outside seccomp_data or misaligned");
		if (cls == BPF_ALU && BPF_SRC(in->code) == BPF_K &&
		    ((BPF_OP(in->code) == BPF_DIV && in->k == 0) ||
		     ((BPF_OP(in->code) == BPF_LSH || BPF_OP(in->code) == BPF_RSH) && in->k >= 32)))
			return bad(err, errlen, pc, "division by 0 or shift by 32 or more");
		if ((in->code == (BPF_LD | BPF_MEM) || in->code == (BPF_LDX | BPF_MEM) ||
		     cls == BPF_ST || cls == BPF_STX) && in->k >= MEMWORDS)
			return bad(err, errlen, pc, "scratch memory index out of range");
		if (cls == BPF_JMP && BPF_OP(in->code) == BPF_JA && in->k >= len - pc - 1)
			return bad(err, errlen, pc, "jump past the end");
		if (cls == BPF_JMP && BPF_OP(in->code) != BPF_JA &&
		    (pc + 1 + in->jt >= len || pc + 1 + in->jf >= len))
			return bad(err, errlen, pc, "conditional jump past the end");
	}
	if (BPF_CLASS(f[len - 1].code) != BPF_RET)
		return bad(err, errlen, len - 1, "the program does not end with a return");
	return check_memory(f, len, err, errlen);
}

static void put32(unsigned char *p, uint32_t v, bool be)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (be ? 24 - 8 * i : 8 * i));
}

static uint32_t get32(const unsigned char *p, bool be)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v |= (uint32_t)p[i] << (be ? 24 - 8 * i : 8 * i);
	return v;
}

static void put64(unsigned char *p, uint64_t v, bool be)
{
	put32(p + (be ? 0 : 4), (uint32_t)(v >> 32), be);
	put32(p + (be ? 4 : 0), (uint32_t)v, be);
}

void bpf_data(const struct bpf_case *c, bool be, unsigned char out[BPF_DATA_SIZE])
{
	put32(out, (uint32_t)c->nr, be);
	put32(out + 4, c->arch, be);
	put64(out + 8, c->ip, be);
	for (int i = 0; i < 6; i++)
		put64(out + 16 + 8 * i, c->args[i], be);
}

void bpf_decode(const unsigned char *raw, size_t len, bool be, struct sock_filter *out)
{
	for (size_t i = 0; i < len; i++, raw += 8) {
		out[i].code = (uint16_t)(be ? raw[0] << 8 | raw[1] : raw[1] << 8 | raw[0]);
		out[i].jt = raw[2];
		out[i].jf = raw[3];
		out[i].k = get32(raw + 4, be);
	}
}

static uint32_t alu(uint16_t op, uint32_t a, uint32_t v)
{
	switch (op) {
	case BPF_ADD: return a + v;
	case BPF_SUB: return a - v;
	case BPF_MUL: return a * v;
	case BPF_DIV: return a / v;	/* v == 0 is handled by the caller */
	case BPF_AND: return a & v;
	case BPF_OR: return a | v;
	case BPF_XOR: return a ^ v;
	case BPF_LSH: return v < 32 ? a << v : 0;
	case BPF_RSH: return v < 32 ? a >> v : 0;
	default: return -a;		/* BPF_NEG */
	}
}

static bool jump(uint16_t op, uint32_t a, uint32_t v)
{
	switch (op) {
	case BPF_JEQ: return a == v;
	case BPF_JGT: return a > v;
	case BPF_JGE: return a >= v;
	default: return (a & v) != 0;	/* BPF_JSET */
	}
}

uint32_t bpf_run(const struct sock_filter *f, size_t len, const unsigned char d[BPF_DATA_SIZE],
		 bool be)
{
	uint32_t a = 0, x = 0, mem[MEMWORDS] = { 0 };

	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *in = &f[pc];
		uint16_t cls = BPF_CLASS(in->code);
		uint32_t v = BPF_SRC(in->code) == BPF_X ? x : in->k;

		switch (cls) {
		case BPF_LD:
			if (BPF_MODE(in->code) == BPF_ABS)
				a = get32(d + in->k, be);
			else if (BPF_MODE(in->code) == BPF_LEN)
				a = BPF_DATA_SIZE;
			else if (BPF_MODE(in->code) == BPF_MEM)
				a = mem[in->k];
			else
				a = in->k;
			break;
		case BPF_LDX:
			x = BPF_MODE(in->code) == BPF_LEN ? BPF_DATA_SIZE :
			    BPF_MODE(in->code) == BPF_MEM ? mem[in->k] : in->k;
			break;
		case BPF_ST:
			mem[in->k] = a;
			break;
		case BPF_STX:
			mem[in->k] = x;
			break;
		case BPF_ALU:
			if (BPF_OP(in->code) == BPF_DIV && v == 0)
				return 0;	/* the kernel ends the program with 0 */
			a = alu(BPF_OP(in->code), a, v);
			break;
		case BPF_JMP:
			if (BPF_OP(in->code) == BPF_JA)
				pc += in->k;
			else
				pc += jump(BPF_OP(in->code), a, v) ? in->jt : in->jf;
			break;
		case BPF_RET:
			return BPF_RVAL(in->code) == BPF_A ? a : in->k;
		case BPF_MISC:
			if (BPF_MISCOP(in->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		}
	}
	return 0;	/* unreachable after bpf_check() */
}

/* Unit tests: seccomp/shrink.c — each rewrite gives the same verdict as
 * the chain it replaces on every input that tells them apart (each value,
 * each listed word and its one-bit neighbours, random words), run in the
 * classic-BPF interpreter of tests/filters/; and what must stay, stays.
 * (The built-in profiles, shrunk, are proven rule by rule against their
 * policy in test_filters.c.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../../filters/bpf.h"
#include "seccomp/shrink.h"

#define INS(c, t, f, k) ((struct sock_filter){ (uint16_t)(c), (uint8_t)(t), (uint8_t)(f), (uint32_t)(k) })
#define LD(k) INS(BPF_LD | BPF_W | BPF_ABS, 0, 0, k)
#define AND(k) INS(BPF_ALU | BPF_AND | BPF_K, 0, 0, k)
#define JEQ(k, t, f) INS(BPF_JMP | BPF_JEQ | BPF_K, t, f, k)
#define RET(k) INS(BPF_RET | BPF_K, 0, 0, k)
#define DENY (SECCOMP_RET_ERRNO | 1)
#define ALLOW SECCOMP_RET_ALLOW
#define ARG0 16		/* low half of args[0], little-endian */

struct prog {
	struct sock_filter f[700];
	size_t n;
};

static uint32_t verdict(const struct sock_filter *f, size_t n, uint32_t w)
{
	struct bpf_case c = { .nr = 1, .arch = AUDIT_ARCH_X86_64, .args = { w, 0, 0, 0, 0, 0 } };
	unsigned char d[BPF_DATA_SIZE];

	bpf_data(&c, false, d);
	return bpf_run(f, n, d, false);
}

/* The shrunk copy must pass the kernel's rules and agree with the
 * original on words, their neighbours and a few thousand random ones. */
static size_t same(const struct prog *p, const uint32_t *words, size_t nw)
{
	struct sock_filter s[700];
	char err[256];
	size_t n;

	memcpy(s, p->f, p->n * sizeof *s);
	n = bpf_shrink(s, p->n);
	assert_true(n <= p->n);
	if (bpf_check(s, n, err, sizeof err) < 0)
		fail_msg("shrunk program rejected: %s", err);
	for (size_t i = 0; i < nw; i++)
		for (int b = -1; b < 32; b++) {
			uint32_t w = b < 0 ? words[i] : words[i] ^ (1u << b);
			assert_int_equal(verdict(s, n, w), verdict(p->f, p->n, w));
		}
	srandom(42);
	for (int i = 0; i < 4000; i++) {
		uint32_t w = (uint32_t)random() ^ ((uint32_t)random() << 16);
		assert_int_equal(verdict(s, n, w), verdict(p->f, p->n, w));
	}
	return n;
}

/* personality arg0 not in { 0, 8, 0x20000, 0x20008, 0xffffffff } as
 * libseccomp compiled it for the default profile before shrink.c: 32
 * masked equalities (seccomp/expand.c's cover of the complement). */
static const uint32_t personality_cover[32][2] = {
	{ 0xc0000000, 0x80000000 }, { 0x60000000, 0x40000000 }, { 0x30000000, 0x20000000 },
	{ 0x18000000, 0x10000000 }, { 0xc000000, 0x8000000 }, { 0x6000000, 0x4000000 },
	{ 0x3000000, 0x2000000 }, { 0x1800000, 0x1000000 }, { 0xc00000, 0x800000 },
	{ 0x600000, 0x400000 }, { 0x300000, 0x200000 }, { 0x180000, 0x100000 },
	{ 0xc0000, 0x80000 }, { 0x50000, 0x40000 }, { 0x18000, 0x10000 }, { 0xc000, 0x8000 },
	{ 0x6000, 0x4000 }, { 0x3000, 0x2000 }, { 0x1800, 0x1000 }, { 0xc00, 0x800 },
	{ 0x600, 0x400 }, { 0x300, 0x200 }, { 0x180, 0x100 }, { 0xc0, 0x80 }, { 0x60, 0x40 },
	{ 0x30, 0x20 }, { 0x14, 0x10 }, { 0x6, 0x4 }, { 0x3, 0x2 }, { 0x80000001, 0x1 },
	{ 0x9, 0x1 }, { 0x20001, 0x1 },
};

static void cover_complement(struct prog *p)
{
	for (size_t i = 0; i < 32; i++) {
		size_t left = 32 - i - 1;
		p->f[p->n++] = LD(ARG0);
		p->f[p->n++] = AND(personality_cover[i][0]);
		/* a match: DENY, after the remaining terms and ALLOW */
		p->f[p->n++] = JEQ(personality_cover[i][1], 3 * left + 1, 0);
	}
	p->f[p->n++] = RET(ALLOW);
	p->f[p->n++] = RET(DENY);
}

static void test_not_in_set(void **state)
{
	static const uint32_t personality[] = { 0, 8, 0x20000, 0x20008, 0xffffffff };
	struct prog p = { .n = 0 };
	size_t n;

	cover_complement(&p);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(verdict(p.f, p.n, personality[i]), ALLOW);
	assert_int_equal(verdict(p.f, p.n, 8), ALLOW);
	assert_int_equal(verdict(p.f, p.n, 0x40000), DENY);
	n = same(&p, personality, 5);
	assert_int_equal(n, 1 + 5 + 2);		/* ld, a jeq per value, the two returns */
}

static void test_any_bit(void **state)
{
	/* clone arg0 & (CLONE_NEWNS|...) != 0: one term per flag */
	static const uint32_t flags[] = { 0x00020000, 0x02000000, 0x04000000, 0x08000000,
					  0x10000000, 0x20000000, 0x40000000 };
	static const uint32_t probe[] = { 0, 0x7e020000, 0x00010000, 0x80000000 };
	struct prog p = { .n = 0 };

	for (size_t i = 0; i < 7; i++) {
		p.f[p.n++] = LD(ARG0);
		p.f[p.n++] = AND(flags[i]);
		p.f[p.n++] = JEQ(flags[i], (uint8_t)(3 * (6 - i) + 1), 0);
	}
	p.f[p.n++] = RET(ALLOW);
	p.f[p.n++] = RET(DENY);
	assert_int_equal(same(&p, probe, 4), 2 + 2);	/* ld; jset; the returns */
}

static void test_always_true(void **state)
{
	/* the high half of a 32-bit comparison: ld hi; and #0; jeq #0 */
	struct prog p = { .f = { LD(20), AND(0), JEQ(0, 0, 2), LD(ARG0), JEQ(5, 1, 0),
				 RET(ALLOW), RET(DENY) }, .n = 7 };
	static const uint32_t probe[] = { 5, 0 };

	assert_int_equal(same(&p, probe, 2), 5);	/* ja, ld, jeq, two returns */
}

static void test_left_alone(void **state)
{
	static const uint32_t probe[] = { 0x5412, 0x541c };
	/* two values only: already as short as it gets */
	struct prog a = { .f = { LD(ARG0), JEQ(0x5412, 2, 0), JEQ(0x541c, 1, 0), RET(ALLOW),
				 RET(DENY) }, .n = 5 };
	/* a jump into the middle of a chain keeps the chain */
	struct prog b = { .f = { LD(24), JEQ(7, 1, 0), LD(ARG0), AND(0), JEQ(0, 1, 0),
				 RET(ALLOW), RET(DENY) }, .n = 7 };
	/* the place a match goes reads the accumulator: kept */
	struct prog c = { .f = { LD(20), AND(0), JEQ(0, 0, 1), JEQ(0, 1, 0), RET(ALLOW),
				 RET(DENY) }, .n = 6 };
	/* an opcode libseccomp does not emit: the whole program kept */
	struct prog d = { .f = { INS(BPF_LDX | BPF_W | BPF_IMM, 0, 0, 1), LD(20), AND(0),
				 JEQ(0, 0, 1), RET(ALLOW), RET(DENY) }, .n = 6 };

	assert_int_equal(same(&a, probe, 2), 5);
	assert_int_equal(same(&b, probe, 2), 7);
	assert_int_equal(same(&c, probe, 2), 6);
	assert_int_equal(bpf_shrink(d.f, d.n), 6);
}

/* The largest prefixes that hold no member of set: a cover of its
 * complement, as masked equalities. */
static void prefix_cover(const uint32_t *set, size_t ns, uint32_t m, uint32_t v, int bit,
			 uint32_t (*out)[2], size_t *n)
{
	bool any = false;

	for (size_t i = 0; i < ns; i++)
		any = any || (set[i] & m) == v;
	if (!any) {
		assert_true(*n < 64);
		out[*n][0] = m;
		out[(*n)++][1] = v;
	} else if (bit >= 0) {
		prefix_cover(set, ns, m | (1u << bit), v, bit - 1, out, n);
		prefix_cover(set, ns, m | (1u << bit), v | (1u << bit), bit - 1, out, n);
	}
}

static uint32_t rnd32(void)
{
	return (uint32_t)random() ^ ((uint32_t)random() << 16);
}

static void test_random_chains(void **state)
{
	/* Random chains of three kinds — any masks, single bits, the cover
	 * of a "not in" set — probed at each value and its neighbours:
	 * whatever shrink does, the verdicts stay. */
	int shrunk[3] = { 0, 0, 0 };

	srandom(7);
	for (int round = 0; round < 600; round++) {
		struct prog p = { .n = 0 };
		uint32_t probe[64], cubes[64][2];
		size_t terms = 0, kind = (size_t)round % 3;

		if (kind == 2) {
			uint32_t set[2] = { rnd32(), random() % 2 ? rnd32() : 0 };
			prefix_cover(set, 1 + (size_t)random() % 2, 0, 0, 31, cubes, &terms);
			probe[0] = set[0];
			probe[1] = set[1];
		} else {
			terms = 1 + (size_t)random() % 20;
			for (size_t i = 0; i < terms; i++) {
				uint32_t m = kind ? 1u << (random() % 32) : rnd32();
				if (!kind && random() % 4 == 0)
					m = 0xffffffffu << (random() % 32);
				cubes[i][0] = m;
				cubes[i][1] = kind ? m : rnd32() & m;
			}
		}
		for (size_t i = 0; i < terms; i++) {
			if (kind != 2)
				probe[i] = cubes[i][1];
			p.f[p.n++] = LD(ARG0);
			p.f[p.n++] = AND(cubes[i][0]);
			p.f[p.n++] = JEQ(cubes[i][1], 3 * (terms - i - 1) + 1, 0);
		}
		p.f[p.n++] = RET(ALLOW);
		p.f[p.n++] = RET(DENY);
		if (same(&p, probe, kind == 2 ? 2 : terms) < p.n)
			shrunk[kind]++;
	}
	/* the last two kinds are what shrink is for: it must have acted */
	assert_int_equal(shrunk[1], 200);
	assert_int_equal(shrunk[2], 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_in_set),
		cmocka_unit_test(test_any_bit),
		cmocka_unit_test(test_always_true),
		cmocka_unit_test(test_left_alone),
		cmocka_unit_test(test_random_chains),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests: seccomp/expand.c — the lowering of conditions to masked
 * comparisons: the cubes are exactly the condition, checked on random and
 * edge values.  Pure code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "seccomp/expand.h"
#include "seccomp/policy.h"
#include "fixture.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static bool in_cubes(const struct cube_set *s, uint32_t x)
{
	for (size_t i = 0; i < s->n; i++)
		if ((x & s->c[i].mask) == s->c[i].value)
			return true;
	return false;
}

static bool cond_holds(const struct policy_cond *c, uint32_t x)
{
	bool in = false;

	for (size_t i = 0; i < c->nvalues; i++)
		in |= (x & c->mask) == (c->values[i] & c->mask);
	return in != c->negate;
}

static void check_cond(const struct policy_cond *c)
{
	struct cube_set *s = malloc(sizeof *s);

	assert_int_equal(cond_cubes(c, s), 0);
	for (int k = 0; k < 4000; k++) {
		uint32_t x = rnd();

		if (k < 2 * (int)c->nvalues * 33) {
			/* the values themselves and their one-bit neighbours */
			uint32_t v = c->values[(k / 33) % c->nvalues], b = (uint32_t)k % 33;
			x = b == 32 ? v : v ^ ((uint32_t)1 << b);
			if (k / 33 >= (int)c->nvalues)
				x |= ~c->mask & rnd();
		}
		if (in_cubes(s, x) != cond_holds(c, x))
			fail_msg("x=0x%x mask=0x%x negate=%d", x, c->mask, c->negate);
	}
	free(s);
}

static void test_cubes_exact(void **state)
{
	for (int t = 0; t < 300; t++) {
		struct policy_cond c = { .arg = 0 };

		c.mask = t % 3 == 0 ? 0xffffffff : rnd() | 1;
		c.negate = t % 2;
		c.nvalues = 1 + rnd() % POLICY_MAX_VALUES;
		for (size_t i = 0; i < c.nvalues; i++) {
			/* clustered values, like flag sets, and random ones */
			c.values[i] = (t % 4 == 1 ? rnd() & 0x20009 : rnd()) & c.mask;
		}
		check_cond(&c);
	}
}

/* Sets closed under bitwise majority take the 2-CNF route: flag sets
 * {x : x & ~allowed == 0}, with or without all-ones, and chains. */
static void test_cubes_closed_sets(void **state)
{
	for (int t = 0; t < 300; t++) {
		struct policy_cond c = { .arg = 0, .mask = 0xffffffff, .negate = true };
		uint32_t allowed = 0;

		while (__builtin_popcount(allowed) < 1 + t % 3)
			allowed |= (uint32_t)1 << (rnd() % 32);
		for (uint32_t sub = allowed;; sub = (sub - 1) & allowed) {
			c.values[c.nvalues++] = t % 5 == 4 ? ~sub : sub;
			if (!sub)
				break;
		}
		if (t % 2)
			c.values[c.nvalues++] = 0xffffffff;
		if (t % 7 == 3) {	/* a chain 0 < 1 < 3 < 7 ... */
			c.nvalues = 0;
			for (uint32_t v = 0; c.nvalues < 6; v = v * 2 + 1)
				c.values[c.nvalues++] = v << (t % 20);
		}
		check_cond(&c);
	}
}

static void test_personality_cubes(void **state)
{
	struct policy_cond c = { .arg = 0, .mask = 0xffffffff, .negate = true, .nvalues = 5,
				 .values = { 0, 8, 0x20000, 0x20008, 0xffffffff } };
	struct cube_set *s = malloc(sizeof *s);

	check_cond(&c);
	assert_int_equal(cond_cubes(&c, s), 0);
	/* the 2-CNF cover: a cycle through the 30 other bits, plus 2 */
	assert_int_equal(s->n, 32);
	for (size_t i = 0; i < s->n; i++)
		assert_int_equal(__builtin_popcount(s->c[i].mask), 2);
	free(s);
}

static void test_expand(void **state)
{
	struct policy p;
	struct expanded_rule *e;
	size_t n;
	char err[256];

	assert_int_equal(fx_policy("socket arg0 in {1,2} && arg1 in {3,4,5} && arg0 != 2\n"
			       "ioctl arg1 in {1,2} && arg1 not in {1,2}\n"
			       "mount\n", &p, err, sizeof err), 0);
	assert_int_equal(policy_expand(&p.rules[0], &e, &n, err, sizeof err), 0);
	assert_int_equal(n, 3);		/* arg0 == 1, times three arg1 values */
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(e[i].ncmp, 2);
		assert_int_equal(e[i].cmp[0].arg, 0);
		assert_int_equal(e[i].cmp[0].value, 1);
		assert_int_equal(e[i].cmp[1].arg, 1);
	}
	free(e);
	assert_int_equal(policy_expand(&p.rules[1], &e, &n, err, sizeof err), -1);
	assert_string_equal(err, "the conditions on arg1 can never all hold");
	assert_int_equal(policy_expand(&p.rules[2], &e, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(e[0].ncmp, 0);
	free(e);
	policy_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cubes_exact),
		cmocka_unit_test(test_cubes_closed_sets),
		cmocka_unit_test(test_personality_cubes),
		cmocka_unit_test(test_expand),
	};
	return cmocka_run_group_tests_name("expand", tests, NULL, NULL);
}

/* Unit tests: the seccomp policy language (seccomp/policy.c), the
 * condition lowering (seccomp/expand.c), the libseccomp compiler and the
 * built-in profiles, run through a small classic-BPF interpreter so the
 * filters are checked without loading them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seccomp/load.h"
#include "seccomp/compile.h"
#include "seccomp/disasm.h"
#include "seccomp/expand.h"
#include "seccomp/policy.h"
#include "seccomp/profiles.h"
#include "../../filters/bpf.h"

/* ---- a fake policy source ------------------------------------------- */

static const char *fake_files[][2] = {
	{ "inc.policy", "bpf\n" },
	{ "bad.policy", "ok_call\n\nmount arg0 ==\n" },
	{ "loop.policy", "@include loop.policy\n" },
	{ "<base>", "unshare\nclone3 errno ENOSYS\n" },
};

static int fake_load(void *ctx, const char *from, const char *name, bool builtin, char **path,
		     char **text, size_t *len, char *err, size_t errlen)
{
	char key[128];

	snprintf(key, sizeof key, builtin ? "<%s>" : "%s", name);
	for (size_t i = 0; i < sizeof fake_files / sizeof *fake_files; i++)
		if (!strcmp(fake_files[i][0], key)) {
			*path = strdup(key);
			*text = strdup(fake_files[i][1]);
			*len = strlen(*text);
			return 0;
		}
	snprintf(err, errlen, "no such file");
	return -1;
}

static bool fake_known(void *ctx, const char *name)
{
	return strncmp(name, "nosuch", 6) != 0;
}

static const struct policy_source fake = { fake_load, fake_known, NULL };

static int parse(const char *text, struct policy *p, char *err, size_t errlen)
{
	return policy_parse("t.policy", text, strlen(text), &fake, p, err, errlen);
}

/* ---- syntax errors: every one names file:line:column ------------------ */

static const struct { const char *text, *want; } bad[] = {
	{ "mount extra", "t.policy:1:7: expected a condition" },
	{ "ioctl arg9 == 1", "t.policy:1:10: argument index must be 0 to 5" },
	{ "ioctl arg10 == 1", "t.policy:1:10: argument index must be 0 to 5" },
	{ "ioctl arg1 = 5", "t.policy:1:12: unexpected character '='" },
	{ "ioctl arg1 > 5", "t.policy:1:12: unexpected character '>'" },
	{ "ioctl arg1 ==", "t.policy:1:14: expected a value, not the end of the line" },
	{ "ioctl arg1 == 0x", "t.policy:1:15: '0x' is not a number" },
	{ "ioctl arg1 == 12ab", "t.policy:1:15: '12ab' is not a number" },
	{ "ioctl arg1 == 0x100000000", "t.policy:1:15: 0x100000000 does not fit in 32 bits" },
	{ "ioctl arg1 == -0x80000001", "t.policy:1:16: -0x80000001 does not fit in 32 bits" },
	{ "ioctl arg1 == -", "t.policy:1:16: expected a number after '-'" },
	{ "ioctl arg1 == NOPE", "t.policy:1:15: unknown constant 'NOPE'" },
	{ "ioctl arg1 == 1 |", "t.policy:1:18: expected a value" },
	{ "ioctl arg1 & 0 == 0", "t.policy:1:14: mask 0 makes the comparison always true" },
	{ "ioctl arg1 & 0xff == TIOCSTI", "t.policy:1:22: value 0x5412 has bits outside the mask" },
	{ "ioctl arg1 5", "t.policy:1:12: expected '==', '!=', 'in' or 'not in'" },
	{ "personality arg0 in { }", "t.policy:1:23: empty set" },
	{ "personality arg0 in { 1, 2", "t.policy:1:27: expected ',' or '}' in the set" },
	{ "personality arg0 in 1", "t.policy:1:21: expected '{' after 'in'" },
	{ "personality arg0 not 1", "t.policy:1:22: expected 'in' after 'not'" },
	{ "personality arg0 in {0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16}",
	  "t.policy:1:60: more than 16 values in one set" },
	{ "ioctl arg1 == 1 &&", "t.policy:1:19: expected a condition (arg0..arg5) after '&&'" },
	{ "ioctl arg1 == 1 && kill", "t.policy:1:20: expected a condition (arg0..arg5) after '&&'" },
	{ "ioctl arg0 == 1 && arg1 == 1 && arg2 == 1 && arg3 == 1 && arg4 == 1 && "
	  "arg5 == 1 && arg0 == 1", "t.policy:1:85: more than 6 conditions in one rule" },
	{ "mount errno", "t.policy:1:12: expected an errno name or number after 'errno'" },
	{ "mount errno EWHAT", "t.policy:1:13: unknown errno name 'EWHAT'" },
	{ "mount errno 0", "t.policy:1:13: errno must be 1 to 4095" },
	{ "mount errno 4096", "t.policy:1:13: errno must be 1 to 4095" },
	{ "mount kill now", "t.policy:1:12: unexpected 'now' after the rule" },
	{ "mount allow", "t.policy:1:1: 'mount' would allow, which is already the default" },
	{ "mount\nmount kill", "t.policy:2:1: 'mount' already has the action 'errno EPERM' "
	  "(t.policy:1); one action per syscall, not 'kill'" },
	{ "nosuchcall", "t.policy:1:1: unknown syscall 'nosuchcall' (write '?nosuchcall'" },
	{ "1mount", "t.policy:1:1: expected a syscall name, not '1mount'" },
	{ "{", "t.policy:1:1: expected a syscall name, not '{'" },
	{ "?", "t.policy:1:2: expected a syscall name, not the end of the line" },
	{ "mount $", "t.policy:1:7: unexpected character '$'" },
	{ "mount \xc3\xa9", "t.policy:1:7: unexpected byte 0xc3" },
	{ "\n\n  mount\x01", "t.policy:3:8: unexpected byte 0x01" },
	{ "@include", "t.policy:1:9: @include: expected a file name or <profile>" },
	{ "@include <base", "t.policy:1:15: @include: expected '>'" },
	{ "@include base>", "t.policy:1:14: @include: unexpected '>'" },
	{ "@include inc.policy more", "t.policy:1:21: unexpected text after the @include name" },
	{ "@include missing.policy", "t.policy:1:1: @include missing.policy: no such file" },
	{ "@include <missing>", "t.policy:1:1: @include <missing>: no such file" },
	{ "@include bad.policy", "bad.policy:3:14: expected a value" },
	{ "@include loop.policy", "loop.policy:1:1: @include nested deeper than 8" },
	{ "@bogus", "t.policy:1:1: unknown directive '@bogus'" },
	{ "@", "t.policy:1:1: unknown directive '@'" },
	{ "@define", "t.policy:1:8: @define: expected a NAME and a VALUE" },
	{ "@define X", "t.policy:1:10: @define: expected a VALUE after 'X'" },
	{ "@define X 1 2", "t.policy:1:13: unexpected '2' after @define" },
	{ "@define TIOCSTI 1", "t.policy:1:9: @define: 'TIOCSTI' is already a keyword or a constant" },
	{ "@define in 1", "t.policy:1:9: @define: 'in' is already a keyword" },
	{ "@define X 1\n@define X 2", "t.policy:2:9: @define: 'X' is already" },
	{ "@default", "t.policy:1:9: @default: expected an action" },
	{ "@default allow\n@default kill", "t.policy:2:1: @default given twice (first at t.policy:1)" },
	{ "@default frobnicate", "t.policy:1:10: expected a condition (arg0..arg5), an action" },
	{ "@default kill extra", "t.policy:1:15: unexpected 'extra' after @default" },
	{ "@default errno EPERM\nmount", "t.policy:2:1: 'mount' would errno EPERM, which is "
	  "already the default" },
	{ "mount arg0 == 1 1", "t.policy:1:17: expected a condition (arg0..arg5), an action" },
};

static void test_syntax_errors(void **state)
{
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct policy p;
		char err[512] = "";

		if (parse(bad[i].text, &p, err, sizeof err) == 0) {
			print_error("accepted: %s\n", bad[i].text);
			fail();
		}
		if (strncmp(err, bad[i].want, strlen(bad[i].want))) {
			print_error("input: %s\n got:  %s\n want: %s...\n", bad[i].text, err,
				    bad[i].want);
			fail();
		}
		assert_int_equal(p.nrules, 0);	/* emptied on error */
	}
}

static void test_limits(void **state)
{
	size_t n = POLICY_MAX_LINE + 2;
	char *line = malloc(n + 1), err[256];
	struct policy p;

	memset(line, ' ', n);
	memcpy(line, "mount", 5);
	line[n] = '\0';
	assert_int_equal(policy_parse("t", line, n, &fake, &p, err, sizeof err), -1);
	assert_string_equal(err, "t:1:1025: line longer than 1024 bytes");
	assert_int_equal(policy_parse("t", "mount\0x", 7, &fake, &p, err, sizeof err), -1);
	assert_string_equal(err, "t:1:6: NUL byte");
	/* a line of nothing but '|' tokens */
	memset(line, '|', n);
	memcpy(line, "ioctl arg0 == 1", 15);
	line[300] = '\0';
	assert_int_equal(parse(line, &p, err, sizeof err), -1);
	assert_non_null(strstr(err, "too many tokens on one line"));
	free(line);
	assert_int_equal(policy_parse("t", "@include x", 10, NULL, &p, err, sizeof err), -1);
	assert_string_equal(err, "t:1:1: @include is not available here");
}

/* ---- what a good policy parses into ---------------------------------- */

static void test_parse_rules(void **state)
{
	static const char text[] =
		"# comment\r\n"
		"\n"
		"   mount    # trailing comment\n"
		"?nosuch_new_call errno ENOSYS\n"
		"@define MYIOCTL 0x1234\n"
		"ioctl arg1 & 0xffffffff == TIOCSTI\n"
		"ioctl arg1 in { MYIOCTL, TIOCLINUX, }\n"
		"clone arg0&CLONE_NEWNS|CLONE_NEWUSER!=0\n"
		"personality arg0 not in {PER_LINUX, PER_LINUX32|UNAME26, -1}\n"
		"kexec_load kill\n"
		"socket arg0 == AF_VSOCK && arg1 & SOCK_TYPE_MASK == SOCK_RAW errno 13\n"
		"@include <base>\n"
		"@include inc.policy";
	static const char *const want[] = {
		"mount errno EPERM",
		"?nosuch_new_call errno ENOSYS",
		"ioctl arg1 == 0x5412 errno EPERM",
		"ioctl arg1 in { 0x1234, 0x541c } errno EPERM",
		"clone arg0 & 0x10020000 != 0x0 errno EPERM",
		"personality arg0 not in { 0x0, 0x20008, 0xffffffff } errno EPERM",
		"kexec_load kill",
		"socket arg0 == 0x28 && arg1 & 0xf == 0x3 errno EACCES",
		"unshare errno EPERM",
		"clone3 errno ENOSYS",
		"bpf errno EPERM",
	};
	struct policy p;
	char err[256], buf[256];

	if (parse(text, &p, err, sizeof err) < 0)
		fail_msg("%s", err);
	assert_int_equal(p.nrules, sizeof want / sizeof *want);
	for (size_t i = 0; i < p.nrules; i++)
		assert_string_equal(policy_format_rule(&p.rules[i], buf, sizeof buf), want[i]);
	assert_true(p.rules[1].optional && p.rules[1].unknown);
	assert_false(p.rules[0].unknown);
	assert_int_equal(p.rules[0].pos.line, 3);
	assert_int_equal(p.rules[0].pos.col, 4);
	assert_string_equal(p.rules[8].pos.file, "<base>");
	assert_string_equal(p.rules[10].pos.file, "inc.policy");
	assert_int_equal(p.def.kind, PACT_ALLOW);
	policy_free(&p);
}

static void test_allow_list_default(void **state)
{
	struct policy p;
	char err[256];

	if (parse("@default errno EACCES\nread allow\nexit_group allow\nwrite kill\n", &p, err,
		  sizeof err) < 0)
		fail_msg("%s", err);
	assert_int_equal(p.def.kind, PACT_ERRNO);
	assert_int_equal(p.def.err, EACCES);
	assert_int_equal(p.nrules, 3);
	assert_int_equal(p.rules[0].action.kind, PACT_ALLOW);
	policy_free(&p);
}

/* ---- lowering: the cubes are exactly the condition ---------------------- */

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

	assert_int_equal(parse("socket arg0 in {1,2} && arg1 in {3,4,5} && arg0 != 2\n"
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

/* ---- compiled programs, in the interpreter of tests/filters/ ------------- */

static uint32_t run(const struct sock_filter *f, size_t len, uint32_t arch, int nr,
		    const uint64_t *args)
{
	struct bpf_case c = { .nr = nr, .arch = arch };
	unsigned char data[BPF_DATA_SIZE];
	char err[128];

	if (bpf_check(f, len, err, sizeof err) < 0)
		fail_msg("%s", err);
	for (int i = 0; args && i < 6; i++)
		c.args[i] = args[i];
	bpf_data(&c, __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__, data);
	return bpf_run(f, len, data, __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
}

#define X86_64 AUDIT_ARCH_X86_64

static const struct seccomp_builtin *profile(const char *name)
{
	for (size_t i = 0; i < seccomp_nbuiltins; i++)
		if (!strcmp(seccomp_builtins[i].name, name))
			return &seccomp_builtins[i];
	fail_msg("no profile %s", name);
	return NULL;
}

/* ---- run-time compiled policies --------------------------------------- */

static void test_compile(void **state)
{
	struct policy p;
	struct sock_filter *bpf;
	size_t len;
	char err[256];

	assert_int_equal(parse("@default errno EACCES\ngetppid allow\nwrite kill\n"
			       "ioctl arg1 == TIOCSTI allow\n", &p, err, sizeof err), 0);
	if (compile_policy(&p, "x86_64", &bpf, &len, err, sizeof err) < 0)
		fail_msg("%s", err);
	assert_int_equal(run(bpf, len, X86_64, 110, NULL), SECCOMP_RET_ALLOW);
	assert_int_equal(run(bpf, len, X86_64, 1, NULL), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(bpf, len, X86_64, 0, NULL), SECCOMP_RET_ERRNO | EACCES);
	assert_int_equal(run(bpf, len, AUDIT_ARCH_ARM, 0, NULL), SECCOMP_RET_KILL_PROCESS);
	free(bpf);
	/* aarch64 covers arm too */
	if (compile_policy(&p, "aarch64", &bpf, &len, err, sizeof err) < 0)
		fail_msg("%s", err);
	assert_int_equal(run(bpf, len, AUDIT_ARCH_AARCH64, 173, NULL), SECCOMP_RET_ALLOW);
	assert_int_equal(run(bpf, len, AUDIT_ARCH_ARM, 64, NULL), SECCOMP_RET_ALLOW);
	assert_int_equal(run(bpf, len, X86_64, 110, NULL), SECCOMP_RET_KILL_PROCESS);
	free(bpf);
	assert_int_equal(compile_policy(&p, "pdp11", &bpf, &len, err, sizeof err), -1);
	assert_string_equal(err, "unknown architecture 'pdp11'");
	policy_free(&p);
	/* a contradiction is reported at the rule */
	assert_int_equal(parse("\nioctl arg1 == 1 && arg1 == 2\n", &p, err, sizeof err), 0);
	assert_int_equal(compile_policy(&p, NULL, &bpf, &len, err, sizeof err), -1);
	assert_string_equal(err, "t.policy:2:1: 'ioctl': the conditions on arg1 can never all hold");
	policy_free(&p);
}

static void test_prepare(void **state)
{
	struct seccomp_prepared sc;
	char err[256];

	assert_true(seccomp_is_builtin("default"));
	assert_true(seccomp_is_builtin("strict"));
	assert_true(seccomp_is_builtin("none"));
	assert_false(seccomp_is_builtin("./default"));
	assert_int_equal(seccomp_prepare("default", false, &sc, err, sizeof err), 0);
	assert_false(sc.none);
	assert_ptr_equal(sc.prog.filter, profile("default")->insns);
	assert_int_equal(seccomp_prepare("none", false, &sc, err, sizeof err), 0);
	assert_true(sc.none);
	assert_int_equal(seccomp_prepare("bogus", true, &sc, err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown seccomp profile 'bogus'"));
	assert_int_equal(seccomp_prepare("/etc/x.policy", false, &sc, err, sizeof err), -1);
	assert_non_null(strstr(err, "only root may load custom policies"));
	assert_int_equal(seccomp_prepare("/nonexistent/x.policy", true, &sc, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot open /nonexistent/x.policy"));
	assert_non_null(seccomp_builtin_source("strict"));
	assert_non_null(strstr(seccomp_builtin_source("strict"), "@include <default>"));
}

static bool name_fn(uint32_t arch, uint32_t nr, char *buf, size_t len)
{
	snprintf(buf, len, "nr%u", nr);
	return true;
}

static void test_disasm(void **state)
{
	struct policy p;
	struct sock_filter *bpf;
	char *out = NULL, buf[64], err[256];
	size_t len = 0, n;
	FILE *f;

	/* x86_64 on every build: the dump names its ABIs */
	assert_int_equal(parse("@include <base>\n", &p, err, sizeof err), 0);
	if (compile_policy(&p, "x86_64", &bpf, &n, err, sizeof err) < 0)
		fail_msg("%s", err);
	f = open_memstream(&out, &len);
	bpf_disasm(f, bpf, n, name_fn);
	fclose(f);
	assert_non_null(strstr(out, "0000  ld   [4]"));
	assert_non_null(strstr(out, "# architecture"));
	assert_non_null(strstr(out, "# x86_64"));
	assert_non_null(strstr(out, "# i386"));
	assert_non_null(strstr(out, "# nr272"));
	assert_non_null(strstr(out, "# x32 nr"));
	assert_non_null(strstr(out, "ret  ERRNO(ENOSYS)"));
	assert_non_null(strstr(out, "ret  KILL_PROCESS"));
	free(out);
	free(bpf);
	policy_free(&p);
	assert_string_equal(bpf_ret_name(SECCOMP_RET_ERRNO | EPERM, buf, sizeof buf), "ERRNO(EPERM)");
	assert_string_equal(bpf_ret_name(SECCOMP_RET_ALLOW, buf, sizeof buf), "ALLOW");
	assert_string_equal(bpf_ret_name(SECCOMP_RET_TRAP | 7, buf, sizeof buf), "TRAP(7)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_parse_rules),
		cmocka_unit_test(test_allow_list_default),
		cmocka_unit_test(test_cubes_exact),
		cmocka_unit_test(test_cubes_closed_sets),
		cmocka_unit_test(test_personality_cubes),
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_compile),
		cmocka_unit_test(test_prepare),
		cmocka_unit_test(test_disasm),
	};
	return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}

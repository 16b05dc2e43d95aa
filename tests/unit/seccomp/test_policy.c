/* Unit tests: seccomp/policy.c — the policy language: every error names
 * file:line:column, and what a good policy parses into (include files
 * from the fake source of fixture.h).  Pure code. */
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

#include "seccomp/policy.h"
#include "fixture.h"

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

		if (fx_policy(bad[i].text, &p, err, sizeof err) == 0) {
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
	assert_int_equal(policy_parse("t", line, n, &fx_policy_source, &p, err, sizeof err), -1);
	assert_string_equal(err, "t:1:1025: line longer than 1024 bytes");
	assert_int_equal(policy_parse("t", "mount\0x", 7, &fx_policy_source, &p, err, sizeof err), -1);
	assert_string_equal(err, "t:1:6: NUL byte");
	/* a line of nothing but '|' tokens */
	memset(line, '|', n);
	memcpy(line, "ioctl arg0 == 1", 15);
	line[300] = '\0';
	assert_int_equal(fx_policy(line, &p, err, sizeof err), -1);
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

	if (fx_policy(text, &p, err, sizeof err) < 0)
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

	if (fx_policy("@default errno EACCES\nread allow\nexit_group allow\nwrite kill\n", &p, err,
		  sizeof err) < 0)
		fail_msg("%s", err);
	assert_int_equal(p.def.kind, PACT_ERRNO);
	assert_int_equal(p.def.err, EACCES);
	assert_int_equal(p.nrules, 3);
	assert_int_equal(p.rules[0].action.kind, PACT_ALLOW);
	policy_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_parse_rules),
		cmocka_unit_test(test_allow_list_default),
	};
	return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}

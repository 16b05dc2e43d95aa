/* Unit tests: caps.c — capability names and lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <linux/capability.h>
#include <string.h>

#include "caps.h"

static void test_cap_names(void **state)
{
	/* Each name is the kernel's macro name without CAP_, lower case. */
#define NAMED(n) do {								\
		char want[40];							\
		size_t i;							\
		for (i = 0; #n[i]; i++)						\
			want[i] = (char)tolower((unsigned char)#n[i]);		\
		want[i] = '\0';							\
		assert_non_null(caps_name(CAP_##n));				\
		assert_string_equal(caps_name(CAP_##n), want);			\
	} while (0)
	NAMED(CHOWN); NAMED(DAC_OVERRIDE); NAMED(DAC_READ_SEARCH); NAMED(FOWNER);
	NAMED(FSETID); NAMED(KILL); NAMED(SETGID); NAMED(SETUID); NAMED(SETPCAP);
	NAMED(LINUX_IMMUTABLE); NAMED(NET_BIND_SERVICE); NAMED(NET_BROADCAST);
	NAMED(NET_ADMIN); NAMED(NET_RAW); NAMED(IPC_LOCK); NAMED(IPC_OWNER);
	NAMED(SYS_MODULE); NAMED(SYS_RAWIO); NAMED(SYS_CHROOT); NAMED(SYS_PTRACE);
	NAMED(SYS_PACCT); NAMED(SYS_ADMIN); NAMED(SYS_BOOT); NAMED(SYS_NICE);
	NAMED(SYS_RESOURCE); NAMED(SYS_TIME); NAMED(SYS_TTY_CONFIG); NAMED(MKNOD);
	NAMED(LEASE); NAMED(AUDIT_WRITE); NAMED(AUDIT_CONTROL); NAMED(SETFCAP);
	NAMED(MAC_OVERRIDE); NAMED(MAC_ADMIN); NAMED(SYSLOG); NAMED(WAKE_ALARM);
	NAMED(BLOCK_SUSPEND); NAMED(AUDIT_READ); NAMED(PERFMON); NAMED(BPF);
	NAMED(CHECKPOINT_RESTORE);
	/* Every number up to the headers' last has a name; none past it. */
	for (int c = 0; c <= CAP_LAST_CAP; c++)
		assert_non_null(caps_name(c));
	assert_null(caps_name(CAP_LAST_CAP + 1));
	assert_null(caps_name(-1));
}

static void test_parse(void **state)
{
	char err[256], buf[256];
	capset_t s;

	assert_int_equal(caps_parse("NET_BIND_SERVICE,cap_chown", &s, err, sizeof err), 0);
	assert_true(s == (((capset_t)1 << CAP_NET_BIND_SERVICE) | ((capset_t)1 << CAP_CHOWN)));
	assert_string_equal(caps_format(s, buf, sizeof buf), "chown,net_bind_service");
	assert_int_equal(caps_parse("", &s, err, sizeof err), 0);
	assert_true(s == 0);
	assert_int_equal(caps_parse("no_such_cap", &s, err, sizeof err), -1);
	assert_string_equal(err, "unknown capability 'no_such_cap'");
	assert_int_equal(caps_parse("chown,", &s, err, sizeof err), -1);
	assert_int_equal(caps_parse("chown,,kill", &s, err, sizeof err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cap_names),
		cmocka_unit_test(test_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* caps.c — see caps.h.  The numbers come from the kernel headers appuser
 * is built with (<linux/capability.h>), the names are the kernel's macro
 * names without CAP_, lower case, as libcap-ng, capsh and setpriv print
 * them.  Not libcap-ng's table: its object file needs the rest of
 * libcap-ng, whose constructor reads /proc at every start and whose
 * capng_change_id() links getpwuid/initgroups (NSS) into a static build. */
#include "caps.h"

#include <linux/capability.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *const names[] = {
	[CAP_CHOWN] = "chown",
	[CAP_DAC_OVERRIDE] = "dac_override",
	[CAP_DAC_READ_SEARCH] = "dac_read_search",
	[CAP_FOWNER] = "fowner",
	[CAP_FSETID] = "fsetid",
	[CAP_KILL] = "kill",
	[CAP_SETGID] = "setgid",
	[CAP_SETUID] = "setuid",
	[CAP_SETPCAP] = "setpcap",
	[CAP_LINUX_IMMUTABLE] = "linux_immutable",
	[CAP_NET_BIND_SERVICE] = "net_bind_service",
	[CAP_NET_BROADCAST] = "net_broadcast",
	[CAP_NET_ADMIN] = "net_admin",
	[CAP_NET_RAW] = "net_raw",
	[CAP_IPC_LOCK] = "ipc_lock",
	[CAP_IPC_OWNER] = "ipc_owner",
	[CAP_SYS_MODULE] = "sys_module",
	[CAP_SYS_RAWIO] = "sys_rawio",
	[CAP_SYS_CHROOT] = "sys_chroot",
	[CAP_SYS_PTRACE] = "sys_ptrace",
	[CAP_SYS_PACCT] = "sys_pacct",
	[CAP_SYS_ADMIN] = "sys_admin",
	[CAP_SYS_BOOT] = "sys_boot",
	[CAP_SYS_NICE] = "sys_nice",
	[CAP_SYS_RESOURCE] = "sys_resource",
	[CAP_SYS_TIME] = "sys_time",
	[CAP_SYS_TTY_CONFIG] = "sys_tty_config",
	[CAP_MKNOD] = "mknod",
	[CAP_LEASE] = "lease",
	[CAP_AUDIT_WRITE] = "audit_write",
	[CAP_AUDIT_CONTROL] = "audit_control",
	[CAP_SETFCAP] = "setfcap",
	[CAP_MAC_OVERRIDE] = "mac_override",
	[CAP_MAC_ADMIN] = "mac_admin",
	[CAP_SYSLOG] = "syslog",
	[CAP_WAKE_ALARM] = "wake_alarm",
	[CAP_BLOCK_SUSPEND] = "block_suspend",
	[CAP_AUDIT_READ] = "audit_read",
#ifdef CAP_PERFMON
	[CAP_PERFMON] = "perfmon",
#endif
#ifdef CAP_BPF
	[CAP_BPF] = "bpf",
#endif
#ifdef CAP_CHECKPOINT_RESTORE
	[CAP_CHECKPOINT_RESTORE] = "checkpoint_restore",
#endif
};

const char *caps_name(int cap)
{
	return cap >= 0 && (size_t)cap < sizeof names / sizeof *names ? names[cap] : NULL;
}

static int cap_number(const char *name)
{
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (names[i] && !strcmp(names[i], name))
			return (int)i;
	return -1;
}

int caps_parse(const char *list, capset_t *out, char *err, size_t errlen)
{
	const char *p = list;

	*out = 0;
	while (p && *p) {
		const char *c = strchr(p, ',');
		size_t l = c ? (size_t)(c - p) : strlen(p);
		char name[64];
		int cap;

		if (l == 0 || l >= sizeof name) {
			snprintf(err, errlen, "capability '%.*s' is not valid", (int)(l < 40 ? l : 40), p);
			return -1;
		}
		for (size_t i = 0; i < l; i++)
			name[i] = (char)tolower((unsigned char)p[i]);
		name[l] = '\0';
		cap = cap_number(strncmp(name, "cap_", 4) ? name : name + 4);
		if (cap < 0 || cap > 63) {
			snprintf(err, errlen, "unknown capability '%s'", name);
			return -1;
		}
		*out |= (capset_t)1 << cap;
		p = c ? c + 1 : NULL;
		if (c && !*p) {
			snprintf(err, errlen, "capability list '%s' ends with ','", list);
			return -1;
		}
	}
	return 0;
}

int caps_keepable(capset_t set, char *err, size_t errlen)
{
	for (int cap = 0; cap < 64; cap++) {
		const char *name;

		if (!(set & ((capset_t)1 << cap)))
			continue;
		name = caps_name(cap);
		if (cap == CAP_SETPCAP) {
			snprintf(err, errlen, "capability setpcap cannot be kept: the ID switch "
				 "drops it");
			return -1;
		}
		if (prctl(PR_CAPBSET_READ, (unsigned long)cap, 0, 0, 0) != 1) {
			snprintf(err, errlen, "capability %s is not in the bounding set (the "
				 "container was started without it), so it cannot be kept",
				 name ? name : "?");
			return -1;
		}
	}
	return 0;
}

capset_t caps_bounding(void)
{
	capset_t set = 0;

	for (int cap = 0; cap < 64; cap++) {
		int r = prctl(PR_CAPBSET_READ, (unsigned long)cap, 0, 0, 0);
		if (r < 0)
			break;	/* EINVAL: beyond the last capability the kernel knows */
		if (r == 1)
			set |= (capset_t)1 << cap;
	}
	return set;
}

enum capget_set { CAPS_EFFECTIVE, CAPS_PERMITTED };

static capset_t caps_get(enum capget_set which)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return 0;
	switch (which) {
	case CAPS_PERMITTED:
		return (capset_t)d[0].permitted | (capset_t)d[1].permitted << 32;
	case CAPS_EFFECTIVE:
		break;
	}
	return (capset_t)d[0].effective | (capset_t)d[1].effective << 32;
}

capset_t caps_effective(void) { return caps_get(CAPS_EFFECTIVE); }
capset_t caps_permitted(void) { return caps_get(CAPS_PERMITTED); }

/* The kernel keeps the ambient set inside permitted AND inheritable
 * (capabilities(7); cap_capset() and PR_CAP_AMBIENT_RAISE enforce it), so
 * only those bits are asked about: usually none (every command starts
 * here, and 41 prctl calls were a tenth of exec's own work). */
capset_t caps_ambient(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	capset_t maybe = 0, set = 0;

	if (syscall(SYS_capget, &h, d) == 0)
		maybe = ((capset_t)d[0].permitted | (capset_t)d[1].permitted << 32) &
			((capset_t)d[0].inheritable | (capset_t)d[1].inheritable << 32);

	for (int cap = 0; cap < 64 && maybe >> cap; cap++) {
		if (!(maybe >> cap & 1))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, (unsigned long)cap, 0, 0) == 1)
			set |= (capset_t)1 << cap;
	}
	return set;
}

int caps_clear_all(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { { 0 } };

	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return -errno;
	if (syscall(SYS_capset, &h, d) < 0)
		return -errno;
	return caps_permitted() ? -EPERM : 0;
}

const char *caps_format(capset_t set, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int cap = 0; cap < 64; cap++) {
		const char *name;
		int r;

		if (!(set & ((capset_t)1 << cap)))
			continue;
		name = caps_name(cap);
		r = snprintf(buf + n, len - n, "%s%s", n ? "," : "", name ? name : "?");
		if (r < 0 || (size_t)r >= len - n)
			break;
		n += (size_t)r;
	}
	return buf;
}

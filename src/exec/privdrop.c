/* exec/privdrop.c — see exec/privdrop.h. */
#include "exec/privdrop.h"
#include "exec/selinux.h"
#include "log.h"

#include <errno.h>
#include <grp.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Capability numbers go up to 63 in a capset_t; the kernel knows fewer
 * (PR_CAPBSET_* fail with EINVAL past its last one, which is where the
 * loops below stop: no probing for the last one first). */
#define CAP_SLOTS 64

static const char *cap_label(int cap)
{
	const char *n = caps_name(cap);
	return n ? n : "an unnamed capability";
}

static bool kept(const struct drop_plan *p, int cap)
{
	return (p->keep & ((capset_t)1 << cap)) != 0;
}

static void set_groups(const struct target *t)
{
	gid_t *g = calloc(t->ngroups ? t->ngroups : 1, sizeof *g);

	if (!g)
		die(EXIT_FAIL, "exec: out of memory");
	for (size_t i = 0; i < t->ngroups; i++)
		g[i] = t->groups[i];
	if (setgroups(t->ngroups, g) < 0)
		die_errno(EXIT_FAIL, errno, "exec: setgroups");
	free(g);
}

/* A service that opens /dev/stdout (nginx's error_log, php-fpm's
 * /proc/self/fd/2) reopens the pipe its parent gave it, which needs the
 * pipe's permission.  Under a root supervisord that pipe is root's, mode
 * 0600.  Hand root-owned anonymous pipes on fds 0-2 (never files, ttys or
 * sockets: chowning those would change real objects) to the target uid, as
 * runc does for a container's first process.  The service can then also
 * reopen its own pipe for reading, which gives it nothing it did not write. */
static void stdio_to_target(uid_t uid)
{
	for (int fd = 0; fd <= 2; fd++) {
		struct statfs sfs;
		struct stat st;

		if (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode) || st.st_uid != 0 || st.st_uid == uid)
			continue;
		if (fstatfs(fd, &sfs) < 0 || sfs.f_type != PIPEFS_MAGIC)
			continue;	/* a named FIFO is a file: leave it alone */
		if (fchown(fd, uid, (gid_t)-1) < 0)
			msg_errno(errno, "exec: cannot hand fd %d (a pipe) to uid %u", fd, uid);
	}
}

/* The bounding set keeps only the kept caps (empty by default).  Caps
 *    the runtime already left out are skipped.  Dropping the others needs
 *    CAP_SETPCAP; a runtime that withheld it (docker --cap-drop ALL
 *    --cap-add CHOWN,SETUID,...) leaves them where they are: the ID switch
 *    empties the permitted set, and under NO_NEW_PRIVS no execve can grant
 *    beyond it (setuid bits and file caps are inert), so the bounding set no
 *    longer limits anything (SECURITY.md).  Without NO_NEW_PRIVS it would:
 *    refuse. */
static void trim_bounding(const struct drop_plan *p)
{
	bool setpcap = caps_effective() >> CAP_SETPCAP & 1;
	capset_t left = 0;
	char names[512];

	for (int cap = 0; cap < CAP_SLOTS; cap++) {
		int r;

		if (kept(p, cap))
			continue;
		/* Without CAP_SETPCAP, note what stays; with it, drop each cap
		 * (one call: dropping an absent cap is a no-op).  A 0 from
		 * PR_CAPBSET_DROP is the kernel saying the bit is now clear,
		 * and nothing can set a bounding bit again: verify() needs no
		 * read-back of a dropped cap. */
		r = prctl(setpcap ? PR_CAPBSET_DROP : PR_CAPBSET_READ, cap, 0, 0, 0);
		if (r < 0 && errno == EINVAL && cap > 0)
			break;	/* past the kernel's last capability */
		if (r < 0)
			die_errno(EXIT_FAIL, errno, "exec: cannot %s %s %s the bounding set",
				  setpcap ? "drop" : "read", cap_label(cap), setpcap ? "from" : "in");
		if (!setpcap && r == 1)
			left |= (capset_t)1 << cap;
	}
	if (left && !p->no_new_privs)
		die(EXIT_FAIL, "exec: the bounding set keeps %s (the runtime gave no "
		    "CAP_SETPCAP to drop them) and --allow-new-privs turns off NO_NEW_PRIVS, "
		    "which stands in for it; drop --allow-new-privs or add CAP_SETPCAP",
		    caps_format(left, names, sizeof names));
}

/* capset(2) of the three sets, for this thread (pid 0). */
static int set_caps(capset_t eff_prm, capset_t inh)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	for (int w = 0; w < 2; w++) {
		d[w].effective = d[w].permitted = (uint32_t)(eff_prm >> (32 * w));
		d[w].inheritable = (uint32_t)(inh >> (32 * w));
	}
	return (int)syscall(SYS_capset, &h, d);
}

/* Without privilege (Kubernetes "restricted": NO_NEW_PRIVS, no caps) the
 * IDs stay; lower the capability sets to the kept ones all the same (a
 * runtime may give a non-root process ambient caps). */
static void lower_caps(const struct drop_plan *p)
{
	if (set_caps(p->keep, p->keep) < 0)
		die_errno(EXIT_FAIL, errno, "exec: cannot lower capabilities");
}

static void set_ambient(const struct drop_plan *p)
{
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		die_errno(EXIT_FAIL, errno, "exec: cannot clear ambient capabilities");
	for (int cap = 0; cap < CAP_SLOTS; cap++)
		if (kept(p, cap) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			die_errno(EXIT_FAIL, errno, "exec: cannot raise ambient %s",
				  cap_label(cap));
}

static void switch_ids(const struct drop_plan *p)
{
	const struct target *t = p->t;
	const capset_t idcaps = ((capset_t)1 << CAP_SETUID) | ((capset_t)1 << CAP_SETGID);

	if (p->stdio_to_target && t->uid != 0)
		stdio_to_target(t->uid);

	/* 2. Supplementary groups from our own parser (never initgroups(3):
	 *    that is NSS). */
	set_groups(t);

	/* 3-4. setresgid then setresuid, all three IDs each, keeping only the
	 *      kept caps across the uid change: the steps of libcap-ng's
	 *      capng_change_id(uid, gid, CAPNG_NO_FLAG), written out (its
	 *      INIT_SUPP_GRP branch would link getpwuid/initgroups, i.e. NSS).
	 *      With caps to keep: KEEPCAPS so the permitted set survives
	 *      setresuid, and for the switch itself the kept caps plus
	 *      CAP_SETUID/CAP_SETGID, nothing else.  With none (the default)
	 *      the uid change empties permitted and effective by itself, and
	 *      the capset below clears the rest (inheritable). */
	if (p->keep) {
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
			die_errno(EXIT_FAIL, errno, "exec: prctl(PR_SET_KEEPCAPS, 1)");
		if (set_caps(p->keep | idcaps, p->keep) < 0)
			die_errno(EXIT_FAIL, errno, "exec: capset before the ID switch");
	}
	if (setresgid(t->gid, t->gid, t->gid) < 0)
		die_errno(EXIT_FAIL, errno, "exec: setresgid(%u)", t->gid);
	if (setresuid(t->uid, t->uid, t->uid) < 0)
		die_errno(EXIT_FAIL, errno, "exec: setresuid(%u)", t->uid);
	if (p->keep && prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		die_errno(EXIT_FAIL, errno, "exec: prctl(PR_SET_KEEPCAPS, 0)");
	/* Now exactly the kept caps: CAP_SETUID/CAP_SETGID go unless kept,
	 * CAP_SETPCAP always (caps_keepable refuses it). */
	if (set_caps(p->keep, p->keep) < 0)
		die_errno(EXIT_FAIL, errno, "exec: capset after the ID switch");

	/* 5. Ambient caps: none inherited from the caller, and the kept ones
	 *    raised so they survive execve for a non-root target (moby#8460). */
	set_ambient(p);
}

/* One getgroups() into a buffer one larger than the plan: more groups
 * than planned fail it with EINVAL. */
static bool groups_match(const struct target *t)
{
	gid_t *g = calloc(t->ngroups + 1, sizeof *g);
	int n = g ? getgroups((int)t->ngroups + 1, g) : -1;
	bool ok = n >= 0 && (size_t)n == t->ngroups;

	for (int i = 0; ok && i < n; i++) {
		bool found = false;
		for (size_t j = 0; j < t->ngroups && !found; j++)
			found = (t->groups[j] == g[i]);
		ok = found;
	}
	free(g);
	return ok;
}

/* Read the five capability sets back with the kernel's own calls:
 * capget for effective, permitted and inheritable; PR_CAPBSET_READ for
 * each kept cap's bounding bit.  Every other bounding bit was cleared by
 * a PR_CAPBSET_DROP that returned 0, or read as clear or left (no
 * CAP_SETPCAP) by trim_bounding(), and no call can set a bounding bit
 * again: reading those back (41 calls) would prove nothing more.  The
 * ambient set needs no read per bit: the kernel keeps it a subset of
 * permitted AND inheritable (capabilities(7); cap_capset() and
 * PR_CAP_AMBIENT_RAISE enforce it), so once those are read back as
 * exactly the kept caps, PR_CAP_AMBIENT_IS_SET for each kept cap proves
 * the whole set. */
static void verify_caps(const struct drop_plan *p)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		die_errno(EXIT_FAIL, errno, "exec: cannot read back capabilities");
	for (int w = 0; w < 2; w++) {
		uint32_t want = (uint32_t)(p->keep >> (32 * w));
		if (d[w].effective != want || d[w].permitted != want || d[w].inheritable != want)
			die(EXIT_FAIL, "exec: capabilities are not as planned after the switch "
			    "(effective %#x, permitted %#x, inheritable %#x, want %#x)",
			    d[w].effective, d[w].permitted, d[w].inheritable, want);
	}
	for (int cap = 0; cap < CAP_SLOTS; cap++)
		if (kept(p, cap) && (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) != 1 ||
				     prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0) != 1))
			die(EXIT_FAIL, "exec: capability %s is not as planned after the switch",
			    cap_label(cap));
}

/* 6. Trust nothing we just did: read it all back. */
static void verify(const struct drop_plan *p)
{
	const struct target *t = p->t;
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0)
		die_errno(EXIT_FAIL, errno, "exec: verify IDs");
	if (ru != t->uid || eu != t->uid || su != t->uid ||
	    rg != t->gid || eg != t->gid || sg != t->gid)
		die(EXIT_FAIL, "exec: ID switch did not take (uid %u/%u/%u gid %u/%u/%u)",
		    ru, eu, su, rg, eg, sg);
	if (!groups_match(t))
		die(EXIT_FAIL, "exec: supplementary groups did not take");
	/* Unless CAP_SETUID/CAP_SETGID were kept on purpose, going back must
	 * be impossible.  One try each: seteuid(0) (setresuid(-1, 0, -1))
	 * succeeds if any of the three IDs is 0 or with CAP_SETUID, and
	 * setuid(0) only in a subset of those cases. */
	if (t->uid != 0 && !(p->keep & ((capset_t)1 << CAP_SETUID)) && seteuid(0) == 0)
		die(EXIT_FAIL, "exec: could regain uid 0 after the switch; aborting");
	if (t->gid != 0 && !(p->keep & ((capset_t)1 << CAP_SETGID)) && setegid(0) == 0)
		die(EXIT_FAIL, "exec: could regain gid 0 after the switch; aborting");
	verify_caps(p);
}

static void enter_domain(const struct drop_plan *p)
{
	int rc = landlock_apply(p->landlock);

	if (rc < 0)
		die_errno(EXIT_FAIL, -rc, "exec: cannot put the service in a Landlock domain "
			  "(ABI %d)", p->landlock->abi);
}

static void load_filter(const struct drop_plan *p)
{
	int rc = seccomp_install(p->seccomp);

	if (rc < 0)
		die(EXIT_FAIL, "exec: loading seccomp profile '%s': %s", p->seccomp->name,
		    seccomp_install_strerror(rc));
}

void privdrop_apply(const struct drop_plan *p)
{
	char err[512];
	bool filter = p->seccomp && !p->seccomp->none;
	bool early = !p->no_new_privs;
	/* 1. The bounding set, first: it may refuse, and nothing has changed
	 *    yet. */
	trim_bounding(p);

	/* 1b. Without NO_NEW_PRIVS the kernel takes a Landlock domain or a
	 *     filter only from a CAP_SYS_ADMIN holder, so --allow-new-privs
	 *     makes both first, while we are still root; neither stops the
	 *     ID switch. */
	if (early) {
		enter_domain(p);
		if (filter)
			load_filter(p);
	}

	/* 2-6. Switch and verify; without privilege, only lower the caps. */
	if (p->switch_ids) {
		switch_ids(p);
		verify(p);
	} else {
		lower_caps(p);
		set_ambient(p);
		verify_caps(p);
	}

	/* 7. NO_NEW_PRIVS: setuid bits and file caps are inert for everything
	 *    the service runs, including appuser itself. */
	if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die_errno(EXIT_FAIL, errno, "exec: prctl(PR_SET_NO_NEW_PRIVS)");

	/* 8. SELinux exec context, applied by the execve below; with
	 *    NO_NEW_PRIVS set the policy must allow nnp_transition. */
	if (label_exec_set(p->exec_context, err, sizeof err) < 0)
		die(EXIT_FAIL, "exec: %s", err);

	if (!early) {
		/* 9. The service's own Landlock domain: from now on it can
		 *    ptrace, open /proc/PID/mem of, signal and reach the
		 *    abstract sockets of nothing outside it — not PID 1, not
		 *    our caller, not a sibling service of the same uid. */
		enter_domain(p);
		/* 10. Seccomp last: nothing of ours runs under the filter but
		 *     execve. */
		if (filter)
			load_filter(p);
	}
}

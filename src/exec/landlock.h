/* exec/landlock.h — each service in a Landlock domain of its own
 * (DESIGN §4, issue 11 §1).
 *
 * The point is scoping, not file sandboxing.  A process in a Landlock
 * domain may ptrace — and open /proc/PID/mem, /proc/PID/environ, fd/, cwd —
 * only processes in the same domain or one nested in it.  That stops a
 * service from writing code into PID 1, into whoever ran `appuser exec`,
 * or into a sibling service of the same uid, a path seccomp cannot see
 * (no ptrace(2) call).  The domain restricts no file access the service
 * had:
 *   ABI >= 6  no file right handled at all; signals and abstract unix
 *             sockets scoped to the domain (LANDLOCK_SCOPE_*);
 *   ABI 2-5   an empty ruleset is refused, and every domain that handles a
 *             file right also handles REFER (cross-directory rename and
 *             link), so REFER alone is handled and granted again for the
 *             whole tree under "/";
 *   ABI 1     REFER cannot be granted: a domain would make every
 *             cross-directory rename fail with EXDEV, so none is made;
 *   none      (kernel without Landlock, disabled at boot, or blocked by
 *             the runtime's seccomp filter) nothing is made.
 * `status` says which applies.  Everything here returns -errno; the
 * caller decides to die. */
#ifndef APPUSER_EXEC_LANDLOCK_H
#define APPUSER_EXEC_LANDLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The kernel's constants, for headers older than the running kernel
 * (Debian 12's linux-libc-dev knows ABI 2). */
#define LL_ACCESS_FS_REFER		(1ULL << 13)
#define LL_SCOPE_ABSTRACT_UNIX_SOCKET	(1ULL << 0)
#define LL_SCOPE_SIGNAL			(1ULL << 1)
#define LL_RESTRICT_SELF_LOG_NEW_EXEC_ON (1U << 1)

struct landlock_plan {
	int abi;		/* the kernel's Landlock ABI, or -errno of the probe */
	bool apply;		/* false: no domain (see why) */
	uint64_t handled_fs;	/* file rights handled (REFER on ABI 2-5) */
	uint64_t fs_granted;	/* granted again beneath "/" */
	uint64_t scoped;	/* LL_SCOPE_* */
	uint32_t flags;		/* landlock_restrict_self() flags */
	const char *why;	/* without a domain: why, in a few words */
};

/* The running kernel's ABI version (>= 1), or -errno: -ENOSYS (no
 * Landlock in this kernel, or a filter says so), -EOPNOTSUPP (built in but
 * not enabled at boot), -EPERM (blocked by a seccomp filter). */
int landlock_abi(void);

/* What to do at this ABI (or -errno from landlock_abi()).  Pure. */
void landlock_plan_for(int abi, struct landlock_plan *p);

/* Make the calling thread's domain.  Needs NO_NEW_PRIVS or CAP_SYS_ADMIN.
 * No-op when !p->apply.  Returns 0 or -errno. */
int landlock_apply(const struct landlock_plan *p);

/* "signals, abstract unix sockets" for p->scoped, "none" without. */
const char *landlock_scopes(const struct landlock_plan *p, char *buf, size_t len);

#endif

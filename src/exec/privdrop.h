/* exec/privdrop.h — the drop to the service's IDs and capabilities before
 * exec.  (The only other ID changes are in caller.c: the entry gives a
 * powerless setuid bit's uid back, setuid-mode writers take egid 0 for
 * the files they create, and drop_to_caller() serves status and policy.)
 *
 * Order (DESIGN §4; each step commented in exec/privdrop.c):
 *   bounding set → setgroups → setresgid → setresuid (KEEPCAPS, capset) →
 *   caps and ambient → verify → NO_NEW_PRIVS → SELinux exec context →
 *   Landlock domain → seccomp, last.  Without CAP_SETPCAP the bounding
 *   set is left as the runtime gave it (NO_NEW_PRIVS stands in for it);
 *   without privilege at all (switch_ids false) the IDs stay and the caps
 *   are only lowered.
 * A partial drop cannot be undone, so any failure ends the process. */
#ifndef APPUSER_EXEC_PRIVDROP_H
#define APPUSER_EXEC_PRIVDROP_H

#include "caps.h"
#include "exec/landlock.h"
#include "seccomp/load.h"
#include "accounts/userspec.h"

#include <stdbool.h>

struct drop_plan {
	const struct target *t;
	bool switch_ids;	/* false: stay the caller (unprivileged mode) */
	capset_t keep;		/* kept in P/E/I/ambient and the bounding set;
				 * without switch_ids, a subset of what we hold */
	bool stdio_to_target;	/* give root's anonymous pipes on fds 0-2 to the target uid */
	bool no_new_privs;	/* false only with a root caller's --allow-new-privs */
	const char *exec_context;	/* SELinux, or NULL */
	const struct landlock_plan *landlock;	/* the service's own domain */
	const struct seccomp_prepared *seccomp;
};

/* Dies with EXIT_FAIL on any failure. */
void privdrop_apply(const struct drop_plan *p);

#endif

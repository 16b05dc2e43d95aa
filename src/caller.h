/* caller.h — who called us, decided once at entry from the real and
 * effective IDs and the capabilities held, and never re-derived from
 * geteuid() later (DESIGN §4, CVE-2020-5291-style state confusion). */
#ifndef APPUSER_CALLER_H
#define APPUSER_CALLER_H

#include "caps.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum run_mode {
	MODE_ROOT,	/* real uid 0 and effective uid 0: full power, like gosu run by root */
	MODE_SETUID,	/* privilege the binary gave, without real uid 0: effective
			 * uid 0 (the setuid bit) or file capabilities — the same
			 * rules either way */
	MODE_UNPRIV,	/* no privilege at all: only "stay yourself" is possible */
};

#define CALLER_MAX_GROUPS 65536

struct caller {
	enum run_mode mode;
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;
	capset_t caps;		/* permitted beyond ambient at entry: what the binary
				 * gave; setuid mode with euid != 0: file caps alone */
	gid_t *groups;		/* supplementary groups at entry */
	size_t ngroups;
};

/* Fill c from getresuid/getresgid/getgroups.  Returns 0 or -errno. */
int caller_init(struct caller *c);
/* Free what caller_init() allocated. */
void caller_free(struct caller *c);
const char *mode_name(enum run_mode m);

/* Setuid mode, before anything else (issue 6 "entry hygiene"): make sure
 * fds 0-2 are open (else a file we open could become someone's stderr),
 * close every other descriptor, no core dumps, argv and environment of
 * bounded size.  Dies on failure. */
#define SETUID_MAX_ARGS 4096
#define SETUID_MAX_ARGBYTES (1u << 20)
void hygiene_entry(const struct caller *c, char **argv, char **envp);
/* Setuid mode, before writing files (setup, fix): refuse privilege from
 * capabilities alone (files are written only as uid 0), reset signal
 * dispositions, raise the soft rlimits that could truncate a write
 * (RLIMIT_FSIZE → SIGXFSZ half-way through /etc/passwd), umask 022 —
 * what shadow's pwd_init() does for passwd(1). */
void hygiene_writer(const struct caller *c);

/* Setuid mode, for commands that need no privilege (status, policy): become
 * the caller again, all three uids and gids and no capability, before
 * reading anything, so that files are read with the caller's rights.
 * Dies on failure. */
void drop_to_caller(const struct caller *c);

/* In a user namespace whose uid 0 is not the host's root (rootless
 * podman: the rootless user's own files show as root's)?  Reads
 * /proc/self/uid_map; false when it cannot tell. */
bool caller_rootless_userns(void);

/* Why the setuid bit did not give us root, in one line with the way out;
 * for MODE_UNPRIV callers that asked for something needing privilege. */
const char *setuid_unavailable_reason(char *buf, size_t len);

#endif

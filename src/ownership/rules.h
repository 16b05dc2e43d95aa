/* ownership/rules.h — the pure rules of the ownership remap (DESIGN §6): what
 * happens to one entry, how counts are shown (which start paths are
 * refused, and how names are escaped: path.h).  No I/O: unit-tested without root (test_rules.c).
 * The walk that applies them is ownership/walk.c; ownership/remap.c ties the two together. */
#ifndef APPUSER_OWNERSHIP_RULES_H
#define APPUSER_OWNERSHIP_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REMAP_MAX 8

/* The table a remap applies: uid pairs and gid pairs (ownership/remap.h). */
struct remap_map {
	size_t nuid, ngid;
	uint32_t uid_from[REMAP_MAX], uid_to[REMAP_MAX];
	uint32_t gid_from[REMAP_MAX], gid_to[REMAP_MAX];
};

/* What the walk knows about one entry, from one stat. */
struct remap_entry {
	uint32_t uid, gid;
	uint32_t mode;		/* st_mode: file type and permission bits */
	uint32_t nlink;
};

enum remap_verdict {
	RV_KEEP = 0,		/* nothing to do: other owner, or already right */
	RV_CHANGE,		/* chown to (uid, gid), then maybe put mode back */
	RV_HARDLINK,		/* would change, but hardlinked, and a link may be someone else's */
};

struct remap_action {
	enum remap_verdict verdict;
	uint32_t uid, gid;	/* the new owner (the old one where unchanged) */
	bool uid_moves, gid_moves;
	bool restore_mode;	/* chmod(mode) after the chown */
	uint32_t mode;		/* permission bits to put back (07777) */
	uint32_t dropped;	/* S_ISUID/S_ISGID the kernel clears and we do not restore */
};

/* A map is valid when it has at most REMAP_MAX pairs per side, no ID is
 * 4294967295, and no "from" appears twice on a side (a file must have
 * one answer).  Returns 0 or -EINVAL. */
int remap_map_check(const struct remap_map *m);
/* True when no pair changes anything (all from == to, or none). */
bool remap_map_is_noop(const struct remap_map *m);

/* Split m into walks that are each chain-free, dropping no-op pairs: a
 * pair whose target is another pair's source runs after that pair
 * (A->B, B->C: first B->C, then A->B), so a file seen twice — a
 * hardlink, a name readdir returns twice while the tree changes — is
 * never moved twice.  Returns the number of walks (0 for a no-op map),
 * or -EINVAL for a cycle (A->B, B->A: pick a free ID instead). */
int remap_map_passes(const struct remap_map *m, struct remap_map out[REMAP_MAX]);

/* Does a folder owned by (uid, gid) already show m applied?  For each side
 * m changes: the folder's ID is none of the "from" IDs and is one of the
 * "to" IDs.  setup then leaves the folder unwalked (Kubernetes'
 * fsGroupChangePolicy: OnRootMismatch); since a remap changes its start
 * last, an interrupted one always leaves a folder that answers false. */
bool remap_root_done(const struct remap_map *m, uint32_t uid, uint32_t gid);

bool remap_uid(const struct remap_map *m, uint32_t from, uint32_t *to);
bool remap_gid(const struct remap_map *m, uint32_t from, uint32_t *to);

/* The decision for one entry.  protected_hardlinks is the value of the
 * fs.protected_hardlinks sysctl (false when unknown).  See ownership/rules.c
 * for the hardlink and setuid/setgid rules. */
void remap_decide(const struct remap_map *m, const struct remap_entry *e, bool protected_hardlinks,
		  struct remap_action *a);

/* 183245 -> "183,245", with no locale involved.  Returns buf. */
const char *remap_fmt_count(uint64_t n, char *buf, size_t len);

#endif

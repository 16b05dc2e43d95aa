/* ownership/rules.c — see ownership/rules.h. */
#include "ownership/rules.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define ID_NONE 4294967295u

static int check_side(size_t n, const uint32_t *from, const uint32_t *to)
{
	if (n > REMAP_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (from[i] == ID_NONE || to[i] == ID_NONE)
			return -EINVAL;
		for (size_t j = 0; j < i; j++)
			if (from[j] == from[i])
				return -EINVAL;
	}
	return 0;
}

int remap_map_check(const struct remap_map *m)
{
	int rc = check_side(m->nuid, m->uid_from, m->uid_to);
	return rc ? rc : check_side(m->ngid, m->gid_from, m->gid_to);
}

bool remap_map_is_noop(const struct remap_map *m)
{
	for (size_t i = 0; i < m->nuid; i++)
		if (m->uid_from[i] != m->uid_to[i])
			return false;
	for (size_t i = 0; i < m->ngid; i++)
		if (m->gid_from[i] != m->gid_to[i])
			return false;
	return true;
}

/* Walk index of pair i: 0 when its target is nobody's source, else one
 * more than the pair that vacates its target.  -1 on a cycle. */
static int pair_level(size_t n, const uint32_t *from, const uint32_t *to, size_t i)
{
	int level = 0;

	for (size_t steps = 0; steps <= n; steps++) {
		size_t j;

		for (j = 0; j < n; j++)
			if (from[j] == to[i] && from[j] != to[j])
				break;
		if (j == n)
			return level;
		level++;
		i = j;
	}
	return -1;
}

static int split_side(size_t n, const uint32_t *from, const uint32_t *to, struct remap_map *out,
		      bool uid_side)
{
	int top = 0;

	for (size_t i = 0; i < n; i++) {
		struct remap_map *p;
		int lv;

		if (from[i] == to[i])
			continue;
		lv = pair_level(n, from, to, i);
		if (lv < 0)
			return -EINVAL;
		p = &out[lv];
		if (uid_side) {
			p->uid_from[p->nuid] = from[i];
			p->uid_to[p->nuid++] = to[i];
		} else {
			p->gid_from[p->ngid] = from[i];
			p->gid_to[p->ngid++] = to[i];
		}
		if (lv + 1 > top)
			top = lv + 1;
	}
	return top;
}

int remap_map_passes(const struct remap_map *m, struct remap_map out[REMAP_MAX])
{
	int nu, ng;

	if (remap_map_check(m) < 0)
		return -EINVAL;
	memset(out, 0, REMAP_MAX * sizeof *out);
	nu = split_side(m->nuid, m->uid_from, m->uid_to, out, true);
	ng = split_side(m->ngid, m->gid_from, m->gid_to, out, false);
	if (nu < 0 || ng < 0)
		return -EINVAL;
	return nu > ng ? nu : ng;
}

static bool lookup(size_t n, const uint32_t *from, const uint32_t *to, uint32_t id, uint32_t *out)
{
	for (size_t i = 0; i < n; i++)
		if (from[i] == id) {
			*out = to[i];
			return true;
		}
	return false;
}

static bool side_done(size_t n, const uint32_t *from, const uint32_t *to, uint32_t id)
{
	bool is_to = false;

	if (!n)
		return true;
	for (size_t i = 0; i < n; i++) {
		if (from[i] == id)
			return false;
		is_to |= to[i] == id;
	}
	return is_to;
}

bool remap_root_done(const struct remap_map *m, uint32_t uid, uint32_t gid)
{
	return (m->nuid || m->ngid) && side_done(m->nuid, m->uid_from, m->uid_to, uid) &&
	       side_done(m->ngid, m->gid_from, m->gid_to, gid);
}

bool remap_uid(const struct remap_map *m, uint32_t from, uint32_t *to)
{
	return lookup(m->nuid, m->uid_from, m->uid_to, from, to);
}

bool remap_gid(const struct remap_map *m, uint32_t from, uint32_t *to)
{
	return lookup(m->ngid, m->gid_from, m->gid_to, from, to);
}

/* The setuid/setgid rule.  chown(2) on a non-directory clears S_ISUID,
 * and S_ISGID when group-executable, whoever calls it (Linux >= 2.2.13).
 * A bit is put back only when the file stays with the same account:
 *   S_ISUID when the owner did not change, or moved along a uid pair
 *           (one account renumbered) of which neither side is 0;
 *   S_ISGID likewise for the group and the gid pairs.
 * So a remap never creates a setuid-root or setgid-root file, and a file
 * that was setuid root never becomes setuid someone else ("--from 0
 * --to 1000" must not hand out root's setuid programs).  The resulting
 * mode is applied whenever the file had one of the bits, so the outcome
 * does not depend on which bits this kernel cleared.  Directories keep
 * their setgid bit (chown leaves it); symlinks have none. */
static bool same_account(bool moves, uint32_t from, uint32_t to)
{
	return !moves || (from != 0 && to != 0);
}

static void special_bits(const struct remap_entry *e, struct remap_action *a)
{
	uint32_t bits = e->mode & (S_ISUID | S_ISGID), keep = bits;

	if (!bits || S_ISDIR(e->mode) || S_ISLNK(e->mode))
		return;
	if (!same_account(a->uid_moves, e->uid, a->uid))
		keep &= ~(uint32_t)S_ISUID;
	if (!same_account(a->gid_moves, e->gid, a->gid))
		keep &= ~(uint32_t)S_ISGID;
	a->dropped = bits & ~keep;
	a->mode = (e->mode & 07777 & ~a->dropped);
	a->restore_mode = keep != 0;
}

/* Could a user other than the file's owner (or root) have made one of
 * its links?  Without fs.protected_hardlinks, anyone could.  With it, the
 * kernel (fs/namei.c, may_linkat and safe_hardlink_source) still lets a
 * user link a regular file that is neither setuid nor setgid-executable
 * and that it may read and write: group or other read and write bits say
 * whether anyone but the owner may (with an ACL the group bits are its
 * mask, above every named entry). */
static bool foreign_link_possible(const struct remap_entry *e, bool protected_hardlinks)
{
	uint32_t sgx = S_ISGID | S_IXGRP;

	if (S_ISDIR(e->mode) || e->nlink <= 1)
		return false;
	if (!protected_hardlinks)
		return true;
	if (!S_ISREG(e->mode) || (e->mode & S_ISUID) || (e->mode & sgx) == sgx)
		return false;
	return (e->mode & (S_IRGRP | S_IWGRP)) == (S_IRGRP | S_IWGRP) ||
	       (e->mode & (S_IROTH | S_IWOTH)) == (S_IROTH | S_IWOTH);
}

void remap_decide(const struct remap_map *m, const struct remap_entry *e, bool protected_hardlinks,
		  struct remap_action *a)
{
	memset(a, 0, sizeof *a);
	a->uid = e->uid;
	a->gid = e->gid;
	a->uid_moves = remap_uid(m, e->uid, &a->uid) && a->uid != e->uid;
	a->gid_moves = remap_gid(m, e->gid, &a->gid) && a->gid != e->gid;
	if (!a->uid_moves && !a->gid_moves) {
		a->uid = e->uid;
		a->gid = e->gid;
		return;
	}
	/* CVE-2017-18078: a link count above one may mean the name in the
	 * tree is a link, made by someone else, to a file that lives
	 * elsewhere; leave it alone when someone else could have made it. */
	if (foreign_link_possible(e, protected_hardlinks)) {
		a->verdict = RV_HARDLINK;
		return;
	}
	a->verdict = RV_CHANGE;
	special_bits(e, a);
}

const char *remap_fmt_count(uint64_t n, char *buf, size_t len)
{
	char digits[32], *o = buf;
	int nd = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);

	if (len < (size_t)nd + (size_t)nd / 3 + 1) {
		snprintf(buf, len, "%s", digits);
		return buf;
	}
	for (int i = 0; i < nd; i++) {
		if (i && (nd - i) % 3 == 0)
			*o++ = ',';
		*o++ = digits[i];
	}
	*o = '\0';
	return buf;
}

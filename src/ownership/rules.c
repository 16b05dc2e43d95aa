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
	/* CVE-2017-18078: where the kernel lets anyone hardlink anyone's
	 * file, a link count above one may mean the name in the tree is a
	 * link to a file that lives elsewhere; leave it alone. */
	if (!S_ISDIR(e->mode) && e->nlink > 1 && !protected_hardlinks) {
		a->verdict = RV_HARDLINK;
		return;
	}
	a->verdict = RV_CHANGE;
	special_bits(e, a);
}

static bool component_is(const char *p, const char *name)
{
	size_t n = strlen(name);
	return !strncmp(p, name, n) && (p[n] == '\0' || p[n] == '/');
}

enum remap_path_class remap_path_class(const char *abs)
{
	const char *p = abs;

	if (!p || *p != '/')
		return RPATH_BAD;
	while (*p == '/')
		p++;
	if (*p == '\0')
		return RPATH_ROOT;
	if (component_is(p, "proc") || component_is(p, "sys"))
		return RPATH_PSEUDO;
	if (component_is(p, "etc") || component_is(p, "dev"))
		return RPATH_SYSTEM;
	return RPATH_OK;
}

/* Length of a valid UTF-8 sequence at s (RFC 3629: no overlong forms,
 * no surrogates, nothing above U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *s, size_t left)
{
	size_t n;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return n;
}

size_t remap_escape(const char *in, size_t len, char *out, size_t outlen)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0;

	for (size_t i = 0; i < len;) {
		char esc[8];
		size_t n = utf8_len(s + i, len - i), el;

		if (n == 1 && s[i] >= 0x20 && s[i] != 0x7f && s[i] != '\\') {
			esc[0] = (char)s[i];
			el = 1;
		} else if (n > 1) {
			memcpy(esc, s + i, n);
			el = n;
		} else {
			n = 1;
			if (s[i] == '\n' || s[i] == '\t' || s[i] == '\\' || s[i] == '\r')
				el = (size_t)snprintf(esc, sizeof esc, "\\%c",
						      s[i] == '\n' ? 'n' : s[i] == '\t' ? 't' :
						      s[i] == '\r' ? 'r' : '\\');
			else
				el = (size_t)snprintf(esc, sizeof esc, "\\x%02x", s[i]);
		}
		if (o + el >= outlen)
			break;
		memcpy(out + o, esc, el);
		o += el;
		i += n;
	}
	if (outlen)
		out[o] = '\0';
	return o;
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

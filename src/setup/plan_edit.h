/* setup/plan_edit.h — internal to the planner (setup/plan*.c): the state
 * of one plan_make() run and the helpers its steps share (plan_edit.c).
 * Nothing outside the planner includes this. */
#ifndef APPUSER_SETUP_PLAN_EDIT_H
#define APPUSER_SETUP_PLAN_EDIT_H

#include "accounts/edit.h"
#include "ids.h"
#include "setup/plan_types.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One plan_make() run: its input and output, the names and IDs decided so
 * far, and what the application user was before (for renames and remaps). */
struct plan_ctx {
	const struct plan_in *in;
	struct acct_db *pw, *gr, *sp, *gs;
	struct plan *p;
	char *err;
	size_t errlen;
	const char *base, *base_group;	/* the configured names */
	const char *user, *group;	/* the wanted names */
	const char *uid_src, *gid_src;	/* what chose the IDs, for messages */
	uint32_t want_uid, want_gid;
	bool had_user, had_group;
	uint32_t old_uid, old_gid, old_group_gid;
	char old_name[NAME_MAX_LEN + 1];
	char old_home[ENV_PATH_MAX];
	char old_group_name[NAME_MAX_LEN + 1];	/* before a group rename */
	bool join;		/* primary gid is a system group's: no own group */
};

/* Messages, edits (each marks its file dirty, errors
 * name the file), ID helpers, remap bookkeeping. */
enum plan_rc plan_bad(struct plan_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
enum plan_rc plan_note(struct plan_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
enum plan_rc plan_edit_rc(struct plan_ctx *c, struct acct_db *db, int rc, const char *why);
enum plan_rc plan_set_field(struct plan_ctx *c, struct acct_db *db, size_t i, int f,
			    const char *v);
enum plan_rc plan_set_id(struct plan_ctx *c, struct acct_db *db, size_t i, int f, uint32_t id);
enum plan_rc plan_add_line(struct plan_ctx *c, struct acct_db *db, const char *const *fields);
enum plan_rc plan_remove_line(struct plan_ctx *c, struct acct_db *db, size_t i);
enum plan_rc plan_member_add(struct plan_ctx *c, struct acct_db *db, ssize_t i, int f,
			     const char *user, bool *added);
uint32_t plan_free_id(const struct acct_db *db, uint32_t lo, uint32_t hi,
		      const uint32_t *avoid, size_t navoid);
enum conflict_policy plan_policy(const struct plan_ctx *c, bool uid);
void plan_add_root(struct plan_ctx *c, int job, const char *path, enum plan_rc *rc);
enum plan_rc plan_skip(struct plan_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void plan_moved_home(struct plan_ctx *c, const char *user, const char *home, enum plan_rc *rc);
void plan_remap_add(struct plan_ctx *c, int job, bool uid, uint32_t from, uint32_t to,
		    enum plan_rc *rc);
/* The line podman writes for an unknown --user uid (plan_edit.c says how
 * it is told from a real account): setuid mode, the caller's own uid. */
bool plan_engine_placeholder(const struct plan_ctx *c, const struct acct_entry *u);

#endif

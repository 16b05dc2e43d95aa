/* setup/run.h — the state of one `appuser setup` run, shared by setup/command.c
 * (options, inputs, planning, the order of steps) and setup/apply.c (the
 * side effects: locked commit, home, remap, caches, marker). */
#ifndef APPUSER_SETUP_RUN_H
#define APPUSER_SETUP_RUN_H

#include "accounts/store.h"
#include "config.h"
#include "env.h"
#include "caller.h"
#include "rootfs.h"
#include "accounts/login_defs.h"
#include "setup/plan.h"

#include <stdbool.h>
#include <stddef.h>

struct setup_run {
	const struct caller *c;
	bool dry_run, no_fix;
	const char *root_arg;		/* --root, or NULL */
	struct rootfs root;
	struct config cfg;
	struct app_env env;
	struct login_defs defs;
	struct acct_store st;
	struct path_fact paths[ENV_MAX_LIST + 1];
	size_t npaths;
	struct path_fact gpaths[ENV_MAX_LIST];
	size_t ngpaths;
	char *owned[ENV_MAX_LIST + 1];	/* canonical config paths */
	size_t nowned;
	long today;
	struct plan plan;
	bool wrote;			/* account files were replaced */
	bool home_created;
	unsigned long long remapped;	/* entries the remap changed */
	size_t remap_roots;
};

/* setup/command.c: (re)plan on r->st.db.  Returns 0, or -1 with the reason (the
 * input is invalid: exit 125) in err. */
int setup_try_plan(struct setup_run *r, char *err, size_t errlen);

/* setup/apply.c */
/* Under the locks: recover, reload, re-plan, record the pending remap,
 * commit.  Dies with 125 on failure (nothing changed). */
void setup_commit(struct setup_run *r);
/* True when the plan's home is missing and would be created. */
bool setup_home_missing(const struct setup_run *r);
/* Create the home (0750, the user's IDs) when missing.  Dies on failure. */
void setup_home(struct setup_run *r);
/* Run the pending remap (this run's or a killed run's), unless --no-fix.
 * Returns false when a walk failed. */
bool setup_remap(struct setup_run *r);
/* nscd -i / sss_cache when present (only for the real root). */
void setup_flush_caches(const struct setup_run *r);
/* Setuid mode: 1 when the marker exists; create it after success. */
bool setup_marker_exists(const struct setup_run *r);
/* Record what this run changed in /run/appuser/setup.last (not with
 * --root: an image folder is not the running system). */
void setup_record(const struct setup_run *r);
void setup_marker_create(const struct setup_run *r);

#endif

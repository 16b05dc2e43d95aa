/* setup/run.h — the state of one `appuser setup` run: the options
 * (setup/command.c), the validated inputs and the plan (setup/inputs.c),
 * and what the side effects did (setup/apply.c). */
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
	long today;
	struct plan plan;
	bool wrote;			/* account files were replaced */
	bool home_created;
	bool marked;			/* this run wrote the once-per-container marker */
	unsigned long long remapped;	/* entries the remap changed */
	size_t remap_roots;
};

#endif

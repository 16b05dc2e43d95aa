/* commands.h — the command table.  One line per command; each command
 * lives in its own file with its own header. */
#ifndef APPUSER_COMMANDS_H
#define APPUSER_COMMANDS_H

#include "exec.h"
#include "fix.h"
#include "mode.h"
#include "policy_cmd.h"
#include "setup.h"
#include "status.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv, const struct caller *c);
};

static const struct command commands[] = {
	{ "exec", cmd_exec },
	{ "fix", cmd_fix },
	{ "setup", cmd_setup },
	{ "policy", cmd_policy },
	{ "status", cmd_status },
	{ NULL, NULL },
};

#endif

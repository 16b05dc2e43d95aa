/* setup/command.h — `appuser setup [--dry-run] [--root DIR] [--no-fix] [-q|-v]`:
 * make the container's application user match the environment and the
 * config (DESIGN §3, §5; issue 3), idempotently, on a crash-safe account
 * database, then remap file ownership for the IDs that changed. */
#ifndef APPUSER_SETUP_COMMAND_H
#define APPUSER_SETUP_COMMAND_H

#include "caller.h"

int cmd_setup(int argc, char **argv, const struct caller *c);

#endif

/* exec/command.h — `appuser exec` and the gosu/su-exec drop-in form. */
#ifndef APPUSER_EXEC_COMMAND_H
#define APPUSER_EXEC_COMMAND_H

#include "caller.h"

/* Both only return on failure, with an exit status. */
int cmd_exec(int argc, char **argv, const struct caller *c);
int cmd_gosu(int argc, char **argv, const struct caller *c, const char *progname);

#endif

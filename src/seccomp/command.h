/* seccomp/command.h — `appuser policy`: review the seccomp profiles.
 *
 *   appuser policy list               built-in profiles, one line each
 *   appuser policy show NAME          a built-in profile's source
 *   appuser policy dump NAME|FILE     its rules and compiled BPF, annotated
 *   appuser policy check FILE...      parse and compile; errors name
 *                                     FILE:LINE:COL
 * Needs no privilege: in setuid mode it drops to the caller's IDs first. */
#ifndef APPUSER_SECCOMP_COMMAND_H
#define APPUSER_SECCOMP_COMMAND_H

#include "caller.h"

int cmd_policy(int argc, char **argv, const struct caller *c);

#endif

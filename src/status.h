/* status.h — `appuser status`: what a person debugging a container needs
 * in one screen (issue 7).  Read-only; never uses privilege. */
#ifndef APPUSER_STATUS_H
#define APPUSER_STATUS_H

#include "caller.h"

int cmd_status(int argc, char **argv, const struct caller *c);

#endif

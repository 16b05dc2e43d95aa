/* setup/home.h — the home of `appuser setup`, made after the remap. */
#ifndef APPUSER_SETUP_HOME_H
#define APPUSER_SETUP_HOME_H

#include "setup/run.h"

#include <stdbool.h>

/* True when the plan's home is missing and would be created. */
bool setup_home_missing(const struct setup_run *r);
/* Create the home (0750, the user's IDs) when missing; where anyone but
 * root may write above it, as the user, and an existing one there must be
 * the user's.  Dies on failure. */
void setup_home(struct setup_run *r);

#endif

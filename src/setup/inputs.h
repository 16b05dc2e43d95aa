/* setup/inputs.h — read and validate every input of one `appuser setup`
 * run (the root, /etc/appuser.conf, the environment, login.defs, the
 * account files, the owners of APPLICATION_PATH and of group paths) into
 * struct setup_run, and plan on them.  Nothing is written.  Every function
 * returns 0, or -1 with a one-line reason in err (exit 125). */
#ifndef APPUSER_SETUP_INPUTS_H
#define APPUSER_SETUP_INPUTS_H

#include "setup/run.h"

#include <stddef.h>

/* r->c, r->root_arg set; fills the rest of the inputs. */
int setup_inputs_load(struct setup_run *r, char *err, size_t errlen);
/* (Re)plan on r's inputs and the parsed account files r->st.db. */
int setup_plan(struct setup_run *r, char *err, size_t errlen);
/* Read the account files again (under the locks) and plan on them. */
int setup_replan(struct setup_run *r, char *err, size_t errlen);
/* Everything the inputs and the plan hold (LeakSanitizer runs). */
void setup_inputs_free(struct setup_run *r);

#endif

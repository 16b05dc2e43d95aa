/* ownership/fix.h — `appuser fix`: remap file ownership under PATHs (DESIGN §6,
 * appuser(8) "fix").  Parsing and defaults here; the walk is ownership/remap.c. */
#ifndef APPUSER_OWNERSHIP_FIX_H
#define APPUSER_OWNERSHIP_FIX_H

#include "caller.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An ownership spec as given to --from / --to: "UID:GID", "UID",
 * "UID:" (uid only) or ":GID" (gid only); decimal IDs (ids.h). */
struct owner_spec {
	bool have_uid, have_gid;
	uint32_t uid, gid;
};

/* Returns 0, or -1 with a reason in err.  Pure. */
int owner_spec_parse(const char *s, struct owner_spec *o, char *err, size_t errlen);

int cmd_fix(int argc, char **argv, const struct caller *c);

#endif

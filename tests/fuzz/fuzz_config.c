/* libFuzzer target: /etc/appuser.conf parser.  Invariants: no crash, no
 * leak; a successful parse only holds validated values (home and paths
 * canonical, not system folders). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ids.h"
#include "path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* home and paths: canonical, not a system folder (path.h). */
static int canonical_plain(const char *p)
{
	char canon[PATH_CANON_MAX];

	return !path_canon(p, canon, sizeof canon) && !strcmp(canon, p) && !path_is_system(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	char err[256];

	if (config_parse((const char *)data, size, &cfg, err, sizeof err) < 0)
		return 0;
	if (cfg.user && name_invalid(cfg.user))
		abort();
	if (cfg.group && name_invalid(cfg.group))
		abort();
	if (cfg.home && !canonical_plain(cfg.home))
		abort();
	for (size_t i = 0; i < cfg.npaths; i++)
		if (!canonical_plain(cfg.paths[i]))
			abort();
	if (cfg.have_uid_range && (cfg.uid_min == 0 || cfg.uid_min > cfg.uid_max ||
				   cfg.uid_max > ID_MAX))
		abort();
	config_free(&cfg);
	return 0;
}

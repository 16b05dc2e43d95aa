/* libFuzzer target: /etc/appuser.conf parser.  Invariants: no crash, no
 * leak; a successful parse only holds validated values. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "accounts/ids.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
	if (cfg.home && cfg.home[0] != '/')
		abort();
	for (size_t i = 0; i < cfg.npaths; i++)
		if (cfg.paths[i][0] != '/')
			abort();
	if (cfg.have_uid_range && (cfg.uid_min == 0 || cfg.uid_min > cfg.uid_max ||
				   cfg.uid_max > ID_MAX))
		abort();
	config_free(&cfg);
	return 0;
}

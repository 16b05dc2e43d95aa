/* remap.c — placeholder until the remap engine lands (issue 4). */
#include "remap.h"

#include <errno.h>
#include <string.h>

int remap_tree(const char *path, const struct remap_map *map, const struct remap_opts *o,
	       struct remap_stats *st)
{
	memset(st, 0, sizeof *st);
	return -ENOSYS;
}

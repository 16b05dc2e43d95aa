/* setup/plan_group.h — internal to the planner: the group steps of
 * plan_make() (plan_group.c). */
#ifndef APPUSER_SETUP_PLAN_GROUP_H
#define APPUSER_SETUP_PLAN_GROUP_H

#include "setup/plan_edit.h"

#include <stdint.h>

/* The primary group (renames, collisions, joining a
 * system group) and APPLICATION_GROUPS. */
enum plan_rc plan_place_group(struct plan_ctx *c);
enum plan_rc plan_add_groups(struct plan_ctx *c, uint32_t primary);

#endif

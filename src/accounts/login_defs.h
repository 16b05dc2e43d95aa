/* accounts/login_defs.h — the few login.defs(5) keys setup needs: where system
 * accounts end (UID_MIN, GID_MIN) and where free IDs are looked for
 * (UID_MAX, GID_MAX).  Pure parser; a missing file (busybox images) gives
 * shadow's defaults 1000 and 60000. */
#ifndef APPUSER_ACCOUNTS_LOGIN_DEFS_H
#define APPUSER_ACCOUNTS_LOGIN_DEFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LOGIN_DEFS_PATH "etc/login.defs"

struct login_defs {
	uint32_t uid_min, uid_max, gid_min, gid_max;
};

void login_defs_default(struct login_defs *d);
/* Parse login.defs text over the defaults; malformed or out-of-range
 * values of these keys are ignored, as shadow's getdef does. */
void login_defs_parse(const char *buf, size_t len, struct login_defs *d);

/* A system account (never renumbered): below *_MIN, or in the reserved
 * range above *_MAX up to 65535 (nobody, nogroup, the 16-bit -1).  IDs
 * above 65535 are host users mapped in (LDAP/AD ranges), not system. */
bool defs_system_uid(const struct login_defs *d, uint32_t uid);
bool defs_system_gid(const struct login_defs *d, uint32_t gid);

#endif

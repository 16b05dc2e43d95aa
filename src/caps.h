/* caps.h — capability names to a set.  Accepts "net_bind_service",
 * "cap_net_bind_service", any case, comma-separated. */
#ifndef APPUSER_CAPS_H
#define APPUSER_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t capset_t;	/* bit n = capability n (0..63) */

/* Parse a list; on error returns -1 and names the bad entry in err. */
int caps_parse(const char *list, capset_t *out, char *err, size_t errlen);
/* Can every cap in set be kept across the ID switch?  Not one missing
 * from our bounding set (a container started without it), nor setpcap,
 * which the ID switch always drops (exec/privdrop.c).  Returns 0, or -1 with a
 * reason naming the capability. */
int caps_keepable(capset_t set, char *err, size_t errlen);
/* The calling process's bounding set (PR_CAPBSET_READ), effective and
 * permitted sets (capget; the empty set if it cannot be read). */
capset_t caps_bounding(void);
capset_t caps_effective(void);
capset_t caps_permitted(void);
capset_t caps_ambient(void);
/* The name of capability number cap ("net_bind_service"), or NULL for a
 * number the kernel headers appuser was built with do not know. */
const char *caps_name(int cap);
/* Empty the effective, permitted, inheritable and ambient sets (no
 * privilege needed to give capabilities up).  Returns 0 or -errno. */
int caps_clear_all(void);
/* "net_bind_service,chown" into buf; "" for the empty set. */
const char *caps_format(capset_t set, char *buf, size_t len);

#endif

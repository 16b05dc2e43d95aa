/* exec/groups.h — the supplementary groups a runtime gave the caller
 * (Kubernetes fsGroup and supplementalGroups, docker/podman --group-add),
 * which exec keeps for the service so it can write the volume the platform
 * prepared for it.
 *
 *   setuid mode  every supplementary group the caller holds: they are the
 *                caller's own, so keeping them is no gain;
 *   root mode    the caller's groups but gid 0, its primary gid and the
 *                groups the group file lists its own account in (busybox
 *                lists root in bin, daemon, sys, adm, disk, wheel): those
 *                are root's, not granted by the platform for the service;
 *   unprivileged nothing to add: the IDs and groups stay as they are.
 *
 * Pure: works on the caller's IDs from entry and the parsed files. */
#ifndef APPUSER_EXEC_GROUPS_H
#define APPUSER_EXEC_GROUPS_H

#include "accounts/line.h"
#include "accounts/userspec.h"
#include "caller.h"

/* Add those groups to t.  Returns 0, or -ENOMEM. */
int runtime_groups_add(const struct caller *c, const struct acct_db *pw,
		       const struct acct_db *gr, struct target *t);

#endif

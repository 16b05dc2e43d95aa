/* exec/selinux.c — see exec/selinux.h. */
#include "exec/selinux.h"
#include "selinux_lib.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

int label_exec_prepare(const char *ctx, bool explicit, const char **use, char *err,
		       size_t errlen)
{
	*use = NULL;
	if (!ctx || !*ctx)
		return 0;
	if (!explicit && !selinux_on())
		return 0;	/* the configuration's: meant for SELinux hosts */
	/* Asked for on the command line: libselinux itself answers. */
	if (explicit && (selinux_lib_load(err, errlen) < 0))
		return -1;
	if (explicit && is_selinux_enabled() <= 0) {
		snprintf(err, errlen, "--selinux-context '%s': SELinux is not enabled", ctx);
		return -1;
	}
	if (security_check_context(ctx) < 0) {
		snprintf(err, errlen, "SELinux context '%s' is not valid: %s", ctx, strerror(errno));
		return -1;
	}
	*use = ctx;
	return 0;
}

int label_exec_set(const char *ctx, char *err, size_t errlen)
{
	if (!ctx || !*ctx)
		return 0;
	if (setexeccon(ctx) < 0) {
		snprintf(err, errlen, "setexeccon '%s': %s", ctx, strerror(errno));
		return -1;
	}
	return 0;
}

const char *label_exec_explain(const char *ctx, int err, char *buf, size_t len)
{
	char *cur = NULL;

	if (!ctx || !*ctx || err != EPERM)
		return NULL;
	if (getcon(&cur) < 0)
		cur = NULL;
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1)
		snprintf(buf, len, "SELinux refused the transition from '%s' to '%s' under "
			 "NO_NEW_PRIVS: the policy must allow it with process2 nnp_transition "
			 "(appuser_run_service_as() in appuser.if), or a root caller can use "
			 "--allow-new-privs", cur ? cur : "?", ctx);
	else
		snprintf(buf, len, "SELinux refused the transition from '%s' to '%s' "
			 "(process transition and file entrypoint)", cur ? cur : "?", ctx);
	freecon(cur);
	return buf;
}

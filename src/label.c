/* label.c — see label.h. */
#include "label.h"

#include <errno.h>
#include <selinux/selinux.h>
#include <stdio.h>
#include <string.h>

int label_exec_prepare(const char *ctx, char *err, size_t errlen)
{
	if (!ctx || !*ctx)
		return 0;
	if (is_selinux_enabled() <= 0) {
		snprintf(err, errlen, "--selinux-context '%s': SELinux is not enabled", ctx);
		return -1;
	}
	if (security_check_context(ctx) < 0) {
		snprintf(err, errlen, "SELinux context '%s' is not valid: %s", ctx, strerror(errno));
		return -1;
	}
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

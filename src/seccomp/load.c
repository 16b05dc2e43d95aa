/* seccomp/load.c — see seccomp/load.h.  The exec path is seccomp_prepare() of a
 * built-in name (a table lookup) and seccomp_install() (one raw seccomp(2)
 * call per program): no parsing, no libseccomp, no allocation.  Only a
 * policy FILE loads libseccomp (seccomp/libseccomp.h). */
#include "seccomp/load.h"
#include "seccomp/compile.h"
#include "seccomp/libseccomp.h"
#include "seccomp/profiles.h"
#include "seccomp/source.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static const struct seccomp_builtin *find_builtin(const char *name)
{
	for (size_t i = 0; i < seccomp_nbuiltins; i++)
		if (!strcmp(seccomp_builtins[i].name, name))
			return &seccomp_builtins[i];
	return NULL;
}

bool seccomp_is_builtin(const char *name)
{
	return !strcmp(name, "none") || find_builtin(name);
}

const char *seccomp_builtin_source(const char *name)
{
	const struct seccomp_builtin *b = find_builtin(name);

	return b ? b->source : NULL;
}

static void use_builtin(const struct seccomp_builtin *b, struct seccomp_prepared *out)
{
	out->prog.len = b->len;
	/* The kernel only reads the program; the cast drops const. */
	out->prog.filter = (struct sock_filter *)(uintptr_t)b->insns;
}

/* --seccomp FILE: parsed and compiled now, while privileged, so that a
 * bad file fails before anything changes. */
static int compile_file(const char *path, struct seccomp_prepared *out, char *err, size_t errlen)
{
	struct policy_files files = { .builtin_text = seccomp_builtin_source };
	struct policy pol;
	struct sock_filter *bpf;
	size_t len;
	int rc;

	if (libseccomp_load(err, errlen) < 0 ||
	    policy_parse_file(path, &files, &pol, err, errlen) < 0)
		return -1;
	rc = compile_policy(&pol, NULL, &bpf, &len, err, errlen);
	policy_free(&pol);
	if (rc < 0)
		return -1;
	out->prog.len = (unsigned short)len;
	out->prog.filter = bpf;	/* kept: the exec replaces the process */
	return 0;
}

int seccomp_prepare(const char *profile, bool allow_file, struct seccomp_prepared *out,
		    char *err, size_t errlen)
{
	const struct seccomp_builtin *b;

	memset(out, 0, sizeof *out);
	out->name = profile;
	if (!strcmp(profile, "none")) {
		out->none = true;
		return 0;
	}
	if ((b = find_builtin(profile))) {
		use_builtin(b, out);
		return 0;
	}
	if (!strchr(profile, '/')) {
		snprintf(err, errlen, "unknown seccomp profile '%s' (built in: default, strict, "
			 "none; a policy file needs a '/', e.g. ./%s)", profile, profile);
		return -1;
	}
	if (!allow_file) {
		snprintf(err, errlen, "seccomp policy file '%s': only root may load custom "
			 "policies", profile);
		return -1;
	}
	return compile_file(profile, out, err, errlen);
}

int seccomp_install(const struct seccomp_prepared *p)
{
	if (p->none)
		return 0;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &p->prog) < 0)
		return -errno;
	return 0;
}

const char *seccomp_install_strerror(int rc)
{
	if (rc == -ENOSYS)
		return "seccomp(2) is not implemented here (ENOSYS): the filter cannot be loaded "
		       "under emulation (qemu-user) or on a kernel without seccomp, so the "
		       "service is not started";
	return strerror(-rc);
}

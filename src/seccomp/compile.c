/* seccomp/compile.c — see seccomp/compile.h. */
#include "seccomp/compile.h"
#include "seccomp/expand.h"

#include <errno.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

const char *compile_native_arch(void)
{
#if defined(__x86_64__) && !defined(__ILP32__)
	return "x86_64";
#elif defined(__aarch64__)
	return "aarch64";
#else
	return NULL;
#endif
}

bool compile_syscall_known(void *ctx, const char *name)
{
	(void)ctx;
	return seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR;
}

/* The architectures one program covers.  A 64-bit kernel also runs the
 * 32-bit ABIs, whose syscall numbers differ: each needs its own branch,
 * or `int 0x80` would walk around the filter. */
static size_t arch_set(const char *arch, uint32_t *tok)
{
	if (!arch) {
		tok[0] = seccomp_arch_native();
		return 1;
	}
	if (!strcmp(arch, "x86_64")) {
		tok[0] = SCMP_ARCH_X86_64;
		tok[1] = SCMP_ARCH_X32;
		tok[2] = SCMP_ARCH_X86;
		return 3;
	}
	if (!strcmp(arch, "aarch64")) {
		tok[0] = SCMP_ARCH_AARCH64;
		tok[1] = SCMP_ARCH_ARM;
		return 2;
	}
	tok[0] = seccomp_arch_resolve_name(arch);
	return tok[0] ? 1 : 0;
}

static int set_arches(scmp_filter_ctx ctx, const char *arch, char *err, size_t errlen)
{
	uint32_t tok[3];
	size_t n = arch_set(arch, tok);
	bool native = false;
	int rc;

	if (!n) {
		snprintf(err, errlen, "unknown architecture '%s'", arch);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		native |= tok[i] == seccomp_arch_native();
		rc = seccomp_arch_add(ctx, tok[i]);
		if (rc < 0 && rc != -EEXIST) {
			snprintf(err, errlen, "libseccomp cannot add architecture 0x%x (%s)", tok[i],
				 strerror(-rc));
			return -1;
		}
	}
	/* A cross build: the build host's own arch does not belong. */
	if (!native && seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE) < 0) {
		snprintf(err, errlen, "libseccomp cannot drop the build host's architecture");
		return -1;
	}
	return 0;
}

static uint32_t scmp_action(const struct policy_action *a)
{
	switch (a->kind) {
	case PACT_ERRNO:
		return SCMP_ACT_ERRNO((uint32_t)a->err);
	case PACT_KILL:
		return SCMP_ACT_KILL_PROCESS;
	case PACT_ALLOW:
	default:
		return SCMP_ACT_ALLOW;
	}
}

static scmp_filter_ctx new_ctx(const struct policy *p, const char *arch, char *err, size_t errlen)
{
	scmp_filter_ctx ctx = seccomp_init(scmp_action(&p->def));

	if (!ctx) {
		snprintf(err, errlen, "libseccomp: cannot create a filter");
		return NULL;
	}
	if (set_arches(ctx, arch, err, errlen) < 0 ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) < 0 ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0 ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1) < 0) {
		if (!*err)
			snprintf(err, errlen, "libseccomp: cannot set the filter attributes");
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}

__attribute__((format(printf, 4, 5)))
static int rule_fail(const struct policy_rule *r, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "%s:%u:%u: '%s': ", r->pos.file, r->pos.line, r->pos.col,
			 r->syscall);

	if (n > 0 && (size_t)n < errlen) {
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int add_rule(scmp_filter_ctx ctx, const struct policy_rule *r, char *err, size_t errlen)
{
	int nr = seccomp_syscall_resolve_name(r->syscall), rc = 0;
	struct expanded_rule *alt;
	size_t nalt;
	char why[160];

	if (r->unknown)
		return 0;	/* optional, and this libseccomp does not know it */
	if (nr == __NR_SCMP_ERROR)
		return rule_fail(r, err, errlen, "unknown syscall");
	if (policy_expand(r, &alt, &nalt, why, sizeof why) < 0)
		return rule_fail(r, err, errlen, "%s", why);
	for (size_t i = 0; i < nalt && rc == 0; i++) {
		struct scmp_arg_cmp cmp[POLICY_MAX_ARGS];

		for (size_t j = 0; j < alt[i].ncmp; j++)
			cmp[j] = (struct scmp_arg_cmp){ .arg = alt[i].cmp[j].arg,
				.op = SCMP_CMP_MASKED_EQ, .datum_a = alt[i].cmp[j].mask,
				.datum_b = alt[i].cmp[j].value };
		rc = seccomp_rule_add_array(ctx, scmp_action(&r->action), nr,
					    (unsigned)alt[i].ncmp, cmp);
	}
	free(alt);
	if (rc < 0)
		return rule_fail(r, err, errlen, "libseccomp refused the rule (%s)", strerror(-rc));
	return 0;
}

/* libseccomp 2.5.4 exports only to a descriptor: a memfd keeps it in
 * memory. */
static int export_bpf(scmp_filter_ctx ctx, struct sock_filter **out, size_t *len,
		      char *err, size_t errlen)
{
	int fd = memfd_create("appuser-bpf", MFD_CLOEXEC);
	struct stat st;
	char *buf = NULL;

	if (fd < 0 || seccomp_export_bpf(ctx, fd) < 0 || fstat(fd, &st) < 0 ||
	    st.st_size <= 0 || st.st_size % (off_t)sizeof **out ||
	    !(buf = malloc((size_t)st.st_size)) ||
	    pread(fd, buf, (size_t)st.st_size, 0) != st.st_size) {
		snprintf(err, errlen, "cannot export the compiled filter");
		free(buf);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	*out = (struct sock_filter *)(void *)buf;
	*len = (size_t)st.st_size / sizeof **out;
	if (*len > BPF_MAXINSNS) {
		snprintf(err, errlen, "the compiled filter has %zu instructions, more than "
			 "the kernel's %d", *len, BPF_MAXINSNS);
		free(buf);
		return -1;
	}
	return 0;
}

int compile_policy(const struct policy *p, const char *arch, struct sock_filter **out,
		   size_t *len, char *err, size_t errlen)
{
	scmp_filter_ctx ctx;
	int rc = 0;

	err[0] = '\0';
	if (!arch)
		arch = compile_native_arch();
	if (!(ctx = new_ctx(p, arch, err, errlen)))
		return -1;
	for (size_t i = 0; i < p->nrules && rc == 0; i++)
		rc = add_rule(ctx, &p->rules[i], err, errlen);
	if (rc == 0)
		rc = export_bpf(ctx, out, len, err, errlen);
	seccomp_release(ctx);
	return rc;
}

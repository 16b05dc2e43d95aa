/* seccomp/compile.c — see seccomp/compile.h. */
#include "seccomp/compile.h"
#include "seccomp/shrink.h"
#include "seccomp/arch.h"
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

bool compile_syscall_known(void *ctx, const char *name)
{
	(void)ctx;
	return seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR;
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

/* A filter for one ABI.  The build host's own architecture goes before
 * the ABI comes in: libseccomp refuses to mix byte orders (s390x). */
static scmp_filter_ctx new_ctx(const struct policy *p, uint32_t tok, char *err, size_t errlen)
{
	scmp_filter_ctx ctx = seccomp_init(scmp_action(&p->def));
	int rc = 0;

	if (!ctx) {
		snprintf(err, errlen, "libseccomp: cannot create a filter");
		return NULL;
	}
	if (tok != seccomp_arch_native())
		rc = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
	if (rc == 0 && tok != seccomp_arch_native())
		rc = seccomp_arch_add(ctx, tok);
	if (rc < 0) {
		snprintf(err, errlen, "libseccomp cannot filter architecture 0x%x (%s)", tok,
			 strerror(-rc));
	} else if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) < 0 ||
		   seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0 ||
		   seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1) < 0) {
		snprintf(err, errlen, "libseccomp: cannot set the filter attributes");
		rc = -1;
	}
	if (rc < 0) {
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

/* ---- one rule on one ABI ------------------------------------------------ */

struct abi_ctx {
	scmp_filter_ctx ctx;
	uint32_t tok;
	const struct seccomp_abi *abi;
	bool own;			/* the ABI this binary runs as */
	const struct policy_action *def;
};

/* socketcall(2) and ipc(2): does this ABI reach the call through one?
 * libseccomp numbers such calls __PNR_socket.. / __PNR_semop.. there. */
struct mux {
	const char *name;		/* "socketcall" or "ipc" */
	uint32_t call, mask;		/* ipc's version is in the high half */
	bool libc;			/* and glibc uses it on this ABI */
};

static bool muxed(const struct abi_ctx *a, const char *sys, struct mux *m)
{
	int nr = seccomp_syscall_resolve_name_arch(a->tok, sys);

	if (nr <= __PNR_socket && nr >= __PNR_sendmmsg)
		*m = (struct mux){ "socketcall", (uint32_t)(-nr - 100), 0xffffffff,
				   a->abi->libc_socketcall };
	else if (nr <= __PNR_semop && nr >= __PNR_shmctl)
		*m = (struct mux){ "ipc", (uint32_t)(-nr - 200), 0xffff, a->abi->libc_ipc };
	else
		return false;
	return true;
}

static int rank(enum policy_act k)	/* how much an action lets through */
{
	return k == PACT_ALLOW ? 2 : k == PACT_ERRNO ? 1 : 0;
}

/* The register of the policy's argument i (clone's flags come second on
 * s390x). */
static unsigned reg(const struct abi_ctx *a, const char *sys, unsigned i)
{
	return a->abi->clone_backwards2 && !strcmp(sys, "clone") && i < 2 ? 1 - i : i;
}

static int add_alternatives(const struct abi_ctx *a, const struct policy_rule *r,
			    const struct policy_action *act, bool conditions, char *why,
			    size_t whylen)
{
	int nr = seccomp_syscall_resolve_name(r->syscall), rc = 0;
	struct expanded_rule *alt, none = { 0 };
	size_t nalt = 1;

	if (!conditions)
		alt = &none;
	else if (policy_expand(r, &alt, &nalt, why, whylen) < 0)
		return -1;
	for (size_t i = 0; i < nalt && rc == 0; i++) {
		struct scmp_arg_cmp cmp[POLICY_MAX_ARGS];

		for (size_t j = 0; j < alt[i].ncmp; j++)
			cmp[j] = (struct scmp_arg_cmp){ .arg = reg(a, r->syscall, alt[i].cmp[j].arg),
				.op = SCMP_CMP_MASKED_EQ, .datum_a = alt[i].cmp[j].mask,
				.datum_b = alt[i].cmp[j].value };
		rc = seccomp_rule_add_array(a->ctx, scmp_action(act), nr, (unsigned)alt[i].ncmp, cmp);
	}
	if (alt != &none)
		free(alt);
	if (rc < 0 && rc != -EEXIST)
		snprintf(why, whylen, "libseccomp refused the rule for %s (%s)", a->abi->name,
			 strerror(-rc));
	return rc < 0 && rc != -EEXIST ? -1 : 0;
}

/* The sub-call through the multiplexer, on the low 32 bits of its first
 * argument (libseccomp's own rule compares all 64 on s390x and ppc64le,
 * and ignores ipc's version bits: both would walk around it). */
static int add_sub_call(const struct abi_ctx *a, const struct mux *m,
			const struct policy_action *act, char *why, size_t whylen)
{
	struct scmp_arg_cmp c = { .arg = 0, .op = SCMP_CMP_MASKED_EQ, .datum_a = m->mask,
				  .datum_b = m->call };
	int rc = seccomp_rule_add_array(a->ctx, scmp_action(act),
					seccomp_syscall_resolve_name(m->name), 1, &c);

	if (rc < 0 && rc != -EEXIST) {
		snprintf(why, whylen, "libseccomp refused the %s rule for %s (%s)", m->name,
			 a->abi->name, strerror(-rc));
		return -1;
	}
	return 0;
}

/* A rule on a call the ABI multiplexes.  seccomp sees socketcall's and
 * ipc's sub-call but not the arguments, which are in memory: an
 * unconditional rule applies to both ways in; a conditional one is
 * checked on the direct syscall only where that is safe:
 *   - on this binary's own ABI when its glibc goes through the
 *     multiplexer (i386, s390x sockets): the conditions cannot hold the
 *     service back, so the call is allowed both ways (the more permissive
 *     of the rule and the default), or the service would have no network;
 *   - elsewhere, the sub-call gets the stricter of the two; a rule that
 *     denies is kept on the direct syscall as written, one that allows
 *     more than the default is dropped (through the multiplexer it would
 *     allow every argument). */
static int add_muxed(const struct abi_ctx *a, const struct policy_rule *r, const struct mux *m,
		     char *why, size_t whylen)
{
	bool denies = rank(r->action.kind) < rank(a->def->kind);

	if (r->nconds == 0)
		return add_alternatives(a, r, &r->action, false, why, whylen) < 0 ||
		       add_sub_call(a, m, &r->action, why, whylen) < 0 ? -1 : 0;
	if (a->own && m->libc) {
		if (denies)
			return 0;	/* the default, both ways */
		return add_alternatives(a, r, &r->action, false, why, whylen) < 0 ||
		       add_sub_call(a, m, &r->action, why, whylen) < 0 ? -1 : 0;
	}
	if (!denies)
		return 0;
	return add_alternatives(a, r, &r->action, true, why, whylen) < 0 ||
	       add_sub_call(a, m, &r->action, why, whylen) < 0 ? -1 : 0;
}

static int add_rule(const struct abi_ctx *a, const struct policy_rule *r, char *err,
		    size_t errlen)
{
	struct mux m;
	char why[160];
	int rc;

	if (r->unknown)
		return 0;	/* optional, and this libseccomp does not know it */
	if (seccomp_syscall_resolve_name(r->syscall) == __NR_SCMP_ERROR)
		return rule_fail(r, err, errlen, "unknown syscall");
	if (seccomp_syscall_resolve_name_arch(a->tok, r->syscall) == __NR_SCMP_ERROR)
		return 0;	/* no such call on this ABI */
	if (muxed(a, r->syscall, &m))
		rc = add_muxed(a, r, &m, why, sizeof why);
	else
		rc = add_alternatives(a, r, &r->action, true, why, sizeof why);
	return rc < 0 ? rule_fail(r, err, errlen, "%s", why) : 0;
}

/* What a program of ours may return: scmp_action()'s three kinds. */
static bool our_action(uint32_t k)
{
	return k == SCMP_ACT_ALLOW || k == SCMP_ACT_KILL_PROCESS ||
	       ((k & 0xffff0000u) == SCMP_ACT_ERRNO(0) && (k & 0xffff) >= 1 &&
		(k & 0xffff) <= 4095);
}

/* libseccomp writes a big-endian target's program in that byte order;
 * callers get host order, and a C compiler for the target lays it out.
 * libseccomp (2.5.4 to its main branch, gen_bpf.c
 * _gen_bpf_build_jmp_ret) converts one kind of instruction twice: the
 * copy of a return it inserts when the real one is more than 255
 * instructions away, so that copy arrives in the host's order.  Ours are
 * told apart exactly: no value of ours is another's byte swap.  Returns
 * -1 for a return of neither kind. */
static int to_host_order(struct sock_filter *f, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		f[i].code = __builtin_bswap16(f[i].code);
		f[i].k = __builtin_bswap32(f[i].k);
		if (f[i].code != (BPF_RET | BPF_K) || our_action(f[i].k))
			continue;
		if (!our_action(__builtin_bswap32(f[i].k)))
			return -1;
		f[i].k = __builtin_bswap32(f[i].k);	/* the twice-converted copy */
	}
	return 0;
}

/* libseccomp 2.5.4 exports only to a descriptor: a memfd keeps it in
 * memory. */
static int export_bpf(scmp_filter_ctx ctx, bool big_endian, struct sock_filter **out,
		      size_t *len, char *err, size_t errlen)
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
	if (big_endian != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__) &&
	    to_host_order(*out, *len) < 0) {
		snprintf(err, errlen, "libseccomp's program returns a value appuser never asked for");
		free(buf);
		*out = NULL;
		return -1;
	}
	if (*len > BPF_MAXINSNS) {
		snprintf(err, errlen, "the compiled filter has %zu instructions, more than "
			 "the kernel's %d", *len, BPF_MAXINSNS);
		free(buf);
		*out = NULL;	/* -1 leaves nothing to free */
		return -1;
	}
	return 0;
}

/* The ABI a filter is compiled for decides nothing else: export only, so
 * tell libseccomp what the kernel can do instead of letting it ask
 * (under qemu-user seccomp(2) is ENOSYS and every probe fails).  Level 3:
 * SECCOMP_RET_KILL_PROCESS, Linux 4.14. */
#define SCMP_API_LEVEL 3

static int compile_abi(const struct policy *p, const struct seccomp_abi *abi, bool own,
		       scmp_filter_ctx *out, char *err, size_t errlen)
{
	struct abi_ctx a = { .tok = seccomp_arch_resolve_name(abi->name), .abi = abi,
			     .own = own, .def = &p->def };
	int rc = 0;

	if (!a.tok) {
		snprintf(err, errlen, "libseccomp does not know architecture '%s'", abi->name);
		return -1;
	}
	if (!(a.ctx = new_ctx(p, a.tok, err, errlen)))
		return -1;
	for (size_t i = 0; i < p->nrules && rc == 0; i++)
		rc = add_rule(&a, &p->rules[i], err, errlen);
	if (rc < 0) {
		seccomp_release(a.ctx);
		return -1;
	}
	*out = a.ctx;
	return 0;
}

int compile_policy_unshrunk(const struct policy *p, const char *own, struct sock_filter **out,
			    size_t *len, char *err, size_t errlen)
{
	const struct seccomp_abi *family[SECCOMP_FAMILY_MAX];
	scmp_filter_ctx all = NULL, one;
	size_t n;
	int rc = 0;

	err[0] = '\0';
	if (!own)
		own = seccomp_native_abi();
	if (!(n = seccomp_family(own, family))) {
		snprintf(err, errlen, "unknown architecture '%s'", own ? own : "(this build's)");
		return -1;
	}
	seccomp_api_set(SCMP_API_LEVEL);
	/* one filter per ABI, merged: each ABI's rules are its own */
	for (size_t i = 0; i < n && rc == 0; i++) {
		if ((rc = compile_abi(p, family[i], !strcmp(family[i]->name, own), &one, err,
				      errlen)) < 0)
			break;
		if (!all) {
			all = one;
		} else if ((rc = seccomp_merge(all, one)) < 0) {
			snprintf(err, errlen, "libseccomp cannot merge the %s filter (%s)",
				 family[i]->name, strerror(-rc));
			seccomp_release(one);
		}
	}
	if (rc == 0)
		rc = export_bpf(all, family[0]->big_endian, out, len, err, errlen);
	if (all)
		seccomp_release(all);
	return rc < 0 ? -1 : 0;
}

int compile_policy(const struct policy *p, const char *own, struct sock_filter **out,
		   size_t *len, char *err, size_t errlen)
{
	if (compile_policy_unshrunk(p, own, out, len, err, errlen) < 0)
		return -1;
	*len = bpf_shrink(*out, *len);	/* libseccomp's chains, shorter */
	return 0;
}

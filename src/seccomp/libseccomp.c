/* seccomp/libseccomp.c — see seccomp/libseccomp.h. */
#include "seccomp/libseccomp.h"

#ifdef APPUSER_STATIC
int libseccomp_load(char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	return 0;
}
#else
#include "dynlib.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>

/* Each forwards to libseccomp.so.2; if it cannot be loaded they fail as
 * libseccomp's own calls fail (NULL, a negative errno, or 0 for "no such
 * architecture"), and libseccomp_load() has said why. */
#define SYMS(X) X(seccomp_init) X(seccomp_release) X(seccomp_attr_set) \
	X(seccomp_arch_native) X(seccomp_arch_resolve_name) X(seccomp_arch_add) \
	X(seccomp_arch_remove) X(seccomp_syscall_resolve_name) \
	X(seccomp_syscall_resolve_name_arch) X(seccomp_syscall_resolve_num_arch) \
	X(seccomp_rule_add_array) X(seccomp_merge) X(seccomp_api_set) X(seccomp_export_bpf)
#define NAME(f) #f,
#define INDEX(f) I_##f,
enum { SYMS(INDEX) NSYMS };
static const char *const names[] = { SYMS(NAME) NULL };
static void *syms[NSYMS];
static struct dynlib lib = { .soname = "libseccomp.so.2", .names = names, .syms = syms };
#define FN(f) ((__typeof__(&f))syms[I_##f])
#define LOADED() (dynlib_load(&lib) == 0)

int libseccomp_load(char *err, size_t errlen)
{
	if (LOADED())
		return 0;
	snprintf(err, errlen, "a seccomp policy file needs libseccomp: %s", lib.err);
	return -1;
}

scmp_filter_ctx seccomp_init(uint32_t def_action)
{
	return LOADED() ? FN(seccomp_init)(def_action) : NULL;
}

void seccomp_release(scmp_filter_ctx ctx)
{
	if (LOADED())
		FN(seccomp_release)(ctx);
}

int seccomp_attr_set(scmp_filter_ctx ctx, enum scmp_filter_attr attr, uint32_t value)
{
	return LOADED() ? FN(seccomp_attr_set)(ctx, attr, value) : -ELIBACC;
}

uint32_t seccomp_arch_native(void)
{
	return LOADED() ? FN(seccomp_arch_native)() : 0;
}

uint32_t seccomp_arch_resolve_name(const char *arch_name)
{
	return LOADED() ? FN(seccomp_arch_resolve_name)(arch_name) : 0;
}

int seccomp_arch_add(scmp_filter_ctx ctx, uint32_t arch_token)
{
	return LOADED() ? FN(seccomp_arch_add)(ctx, arch_token) : -ELIBACC;
}

int seccomp_arch_remove(scmp_filter_ctx ctx, uint32_t arch_token)
{
	return LOADED() ? FN(seccomp_arch_remove)(ctx, arch_token) : -ELIBACC;
}

int seccomp_syscall_resolve_name(const char *name)
{
	return LOADED() ? FN(seccomp_syscall_resolve_name)(name) : __NR_SCMP_ERROR;
}

int seccomp_syscall_resolve_name_arch(uint32_t arch_token, const char *name)
{
	return LOADED() ? FN(seccomp_syscall_resolve_name_arch)(arch_token, name) : __NR_SCMP_ERROR;
}

char *seccomp_syscall_resolve_num_arch(uint32_t arch_token, int num)
{
	return LOADED() ? FN(seccomp_syscall_resolve_num_arch)(arch_token, num) : NULL;
}

int seccomp_rule_add_array(scmp_filter_ctx ctx, uint32_t action, int syscall,
			   unsigned int arg_cnt, const struct scmp_arg_cmp *arg_array)
{
	return LOADED() ? FN(seccomp_rule_add_array)(ctx, action, syscall, arg_cnt, arg_array)
			: -ELIBACC;
}

int seccomp_merge(scmp_filter_ctx ctx_dst, scmp_filter_ctx ctx_src)
{
	return LOADED() ? FN(seccomp_merge)(ctx_dst, ctx_src) : -ELIBACC;
}

int seccomp_api_set(unsigned int level)
{
	return LOADED() ? FN(seccomp_api_set)(level) : -ELIBACC;
}

int seccomp_export_bpf(const scmp_filter_ctx ctx, int fd)
{
	return LOADED() ? FN(seccomp_export_bpf)(ctx, fd) : -ELIBACC;
}
#endif

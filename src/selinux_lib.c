/* selinux_lib.c — see selinux_lib.h. */
#include "selinux_lib.h"
#include "dynlib.h"

#include <errno.h>
#include <linux/magic.h>
#include <stdio.h>
#include <sys/statfs.h>

static int selinuxfs_mounted(void)
{
	static const char *const at[] = { "/sys/fs/selinux", "/selinux" };

	for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
		struct statfs sfs;
		if (statfs(at[i], &sfs) == 0 && sfs.f_type == SELINUX_MAGIC)
			return 1;
	}
	return 0;
}

int selinux_on(void)
{
	static int on = -1;

	if (on < 0)
		on = selinuxfs_mounted() && is_selinux_enabled() > 0;
	return on;
}

#ifdef APPUSER_STATIC
int selinux_lib_load(char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	return 0;
}
#else
/* The functions appuser calls, each forwarding to libselinux.so.1.  If it
 * cannot be loaded, they fail with ELIBACC, and is_selinux_enabled() says
 * "on" (it is only asked once selinuxfs is mounted): a file relabelled
 * wrongly would be worse than a refusal. */
#define SYMS(X) X(is_selinux_enabled) X(fgetfilecon) X(fsetfilecon) X(security_check_context) \
	X(setexeccon) X(getcon) X(freecon)
#define NAME(f) #f,
#define INDEX(f) I_##f,
enum { SYMS(INDEX) NSYMS };
static const char *const names[] = { SYMS(NAME) NULL };
static void *syms[NSYMS];
static struct dynlib lib = { .soname = "libselinux.so.1", .names = names, .syms = syms };
#define FN(f) ((__typeof__(&f))syms[I_##f])
#define LOADED() (dynlib_load(&lib) == 0 || (errno = ELIBACC, 0))

int selinux_lib_load(char *err, size_t errlen)
{
	if (dynlib_load(&lib) == 0)
		return 0;
	snprintf(err, errlen, "cannot load libselinux: %s", lib.err);
	return -1;
}

int is_selinux_enabled(void)
{
	return LOADED() ? FN(is_selinux_enabled)() : 1;
}

int fgetfilecon(int fd, char **con)
{
	return LOADED() ? FN(fgetfilecon)(fd, con) : -1;
}

int fsetfilecon(int fd, const char *con)
{
	return LOADED() ? FN(fsetfilecon)(fd, con) : -1;
}

int security_check_context(const char *con)
{
	return LOADED() ? FN(security_check_context)(con) : -1;
}

int setexeccon(const char *con)
{
	return LOADED() ? FN(setexeccon)(con) : -1;
}

int getcon(char **con)
{
	return LOADED() ? FN(getcon)(con) : -1;
}

void freecon(char *con)
{
	if (con && LOADED())
		FN(freecon)(con);
}
#endif

/* selinux_lib.c — see selinux_lib.h. */
#include "selinux_lib.h"
#include "dynlib.h"

#include <errno.h>
#include <stdint.h>
#include <linux/magic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

static int selinuxfs_mounted(void)
{
	static const char *const at[] = { "/sys/fs/selinux", "/selinux" };

	for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
		struct statfs sfs;
		if (statfs(at[i], &sfs) == 0 && (uint32_t)sfs.f_type == SELINUX_MAGIC)
			return 1;
	}
	return 0;
}

#ifdef APPUSER_STATIC
/* The static build links libselinux.a, whose init.o has a constructor
 * (init_lib) that runs at every start of every command: two statfs, a
 * read of /proc/filesystems through stdio, an access of
 * /etc/selinux/config — a sixth of exec's own work.  These are the
 * symbols the rest of libselinux takes from init.o, defined here, so the
 * linker never pulls init.o in, and its work done on first use instead
 * (lib_init), as libselinux 3.4's init.c does it.  Should a libselinux
 * need another symbol of init.o, the link fails with a duplicate
 * definition: loudly, never silently. */
char *selinux_mnt;
int selinux_page_size;
int has_selinux_config;

void set_selinuxmnt(const char *mnt);
void fini_selinuxmnt(void);
int selinuxfs_exists(void);

void set_selinuxmnt(const char *mnt)
{
	selinux_mnt = strdup(mnt);
}

void fini_selinuxmnt(void)
{
	free(selinux_mnt);
	selinux_mnt = NULL;
}

/* Is selinuxfs a file system this kernel knows (/proc/filesystems)?  1
 * when it cannot tell, as libselinux answers. */
int selinuxfs_exists(void)
{
	FILE *fp = fopen("/proc/filesystems", "re");
	char *line = NULL;
	size_t len = 0;
	int exists = 0;

	if (!fp)
		return 1;
	while (!exists && getline(&line, &len, fp) != -1)
		exists = strstr(line, "selinuxfs") != NULL;
	free(line);
	fclose(fp);
	return exists;
}

/* An selinuxfs at mnt: its path becomes selinux_mnt unless mounted
 * read-only (SELinux then counts as disabled).  0 if it is selinuxfs. */
static int verify_selinuxmnt(const char *mnt)
{
	struct statfs sfs;
	struct statvfs vfs;
	int rc;

	do
		rc = statfs(mnt, &sfs);
	while (rc < 0 && errno == EINTR);
	if (rc < 0 || (uint32_t)sfs.f_type != (uint32_t)SELINUX_MAGIC || statvfs(mnt, &vfs) < 0)
		return -1;
	if (!(vfs.f_flag & ST_RDONLY))
		set_selinuxmnt(mnt);
	return 0;
}

/* Where selinuxfs is: the two usual places, else /proc/mounts (only if
 * the kernel has selinuxfs at all). */
static void find_selinuxmnt(void)
{
	char *line = NULL, *p = NULL;
	size_t len = 0;
	FILE *fp;

	if (selinux_mnt || verify_selinuxmnt("/sys/fs/selinux") == 0 ||
	    verify_selinuxmnt("/selinux") == 0 || !selinuxfs_exists())
		return;
	if (!(fp = fopen("/proc/mounts", "re")))
		return;
	while (getline(&line, &len, fp) != -1) {
		char *type;

		p = strchr(line, ' ');
		type = p ? strchr(++p, ' ') : NULL;
		if (type && !strncmp(type + 1, "selinuxfs ", 10)) {
			*type = '\0';
			verify_selinuxmnt(p);
			break;
		}
	}
	free(line);
	fclose(fp);
}

static void lib_init(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	selinux_page_size = (int)sysconf(_SC_PAGE_SIZE);
	find_selinuxmnt();
	has_selinux_config = access("/etc/selinux/config", F_OK) == 0;
}

int selinux_lib_load(char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	lib_init();
	return 0;
}
#else
static void lib_init(void) {}
#endif

int selinux_on(void)
{
	static int on = -1;

	if (on < 0) {
		on = selinuxfs_mounted();
		if (on) {
			lib_init();
			on = is_selinux_enabled() > 0;
		}
	}
	return on;
}

#ifndef APPUSER_STATIC
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

/* glibc236.c — what trixie's libselinux (riscv64's, make dist) needs from
 * glibc 2.38+ that Debian 12's cross glibc 2.36 lacks: strlcpy.  Linked
 * into the riscv64 release binary only; the C23 strtol family and sscanf
 * are aliased to the classic functions in the Makefile (DIST_LDFLAGS_riscv64).
 * The same contract as glibc's and OpenBSD's: copy at most size-1 bytes,
 * always terminate when size > 0, return strlen(src). */
#include <string.h>

size_t strlcpy(char *restrict dst, const char *restrict src, size_t size);

size_t strlcpy(char *restrict dst, const char *restrict src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

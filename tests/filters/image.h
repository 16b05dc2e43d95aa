/* tests/filters/image.h — the seccomp programs a file carries: the
 * records of an ELF binary's .appuser_seccomp section (any class, either
 * byte order, stripped or not), or a raw image from `policyc -x`
 * (seccomp/profiles.h, struct seccomp_record). */
#ifndef APPUSER_TESTS_IMAGE_H
#define APPUSER_TESTS_IMAGE_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct image_prog {
	char name[24];
	char abi[16];
	bool big_endian;
	size_t len;
	struct sock_filter *insns;	/* decoded to host order */
	uint32_t sum;			/* FNV-1a of the record's bytes, for comparisons */
};

struct image {
	bool elf;			/* read from an ELF section */
	size_t n;
	struct image_prog p[16];
};

/* Returns 0, or -1 with the reason in err. */
int image_read(const char *path, struct image *img, char *err, size_t errlen);
void image_free(struct image *img);

#endif

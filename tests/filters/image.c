/* tests/filters/image.c — see image.h. */
#include "image.h"
#include "bpf.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC "APSECCMP"
#define SECTION ".appuser_seccomp"
#define HEADER 56		/* magic 8, name 24, abi 16, version 4, len 4 */

static uint64_t get(const unsigned char *p, int bytes, bool be)
{
	uint64_t v = 0;

	for (int i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (be ? 8 * (bytes - 1 - i) : 8 * i);
	return v;
}

static int bad(char *err, size_t errlen, const char *path, const char *why)
{
	snprintf(err, errlen, "%s: %s", path, why);
	return -1;
}

static unsigned char *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n)) && fread(buf, 1, (size_t)n, f) == (size_t)n) {
		*size = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* The section's bytes inside the file, by name. */
static int elf_section(const unsigned char *f, size_t size, size_t *off, size_t *len, bool *be)
{
	bool is64 = f[EI_CLASS] == ELFCLASS64;
	uint64_t shoff, n, entsize, strndx, stroff;

	*be = f[EI_DATA] == ELFDATA2MSB;
	if (is64) {
		shoff = get(f + offsetof(Elf64_Ehdr, e_shoff), 8, *be);
		entsize = get(f + offsetof(Elf64_Ehdr, e_shentsize), 2, *be);
		n = get(f + offsetof(Elf64_Ehdr, e_shnum), 2, *be);
		strndx = get(f + offsetof(Elf64_Ehdr, e_shstrndx), 2, *be);
	} else {
		shoff = get(f + offsetof(Elf32_Ehdr, e_shoff), 4, *be);
		entsize = get(f + offsetof(Elf32_Ehdr, e_shentsize), 2, *be);
		n = get(f + offsetof(Elf32_Ehdr, e_shnum), 2, *be);
		strndx = get(f + offsetof(Elf32_Ehdr, e_shstrndx), 2, *be);
	}
	if (shoff + n * entsize > size || strndx >= n)
		return -1;
#define SH(i, field, T) get(f + shoff + (i) * entsize + offsetof(T, field), \
			    (int)sizeof(((T *)0)->field), *be)
#define SHDR(i, field) (is64 ? SH(i, field, Elf64_Shdr) : SH(i, field, Elf32_Shdr))
	stroff = SHDR(strndx, sh_offset);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t name = stroff + SHDR(i, sh_name);

		if (name + sizeof SECTION > size || memcmp(f + name, SECTION, sizeof SECTION))
			continue;
		*off = SHDR(i, sh_offset);
		*len = SHDR(i, sh_size);
		return *off + *len <= size && SHDR(i, sh_type) == SHT_PROGBITS ? 0 : -1;
	}
#undef SHDR
#undef SH
	return -1;
}

static uint32_t fnv(const unsigned char *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static int records(const unsigned char *s, size_t size, bool elf, bool be, struct image *img)
{
	for (size_t off = 0; off + HEADER <= size; off += 8) {
		struct image_prog *p = &img->p[img->n];
		size_t len;

		if (memcmp(s + off, MAGIC, 8))
			continue;
		if (img->n == sizeof img->p / sizeof *img->p)
			return -1;
		if (!elf)	/* a raw image says its byte order with version 1 */
			be = get(s + off + 48, 4, true) == 1;
		if (get(s + off + 48, 4, be) != 1)
			return -1;
		len = (size_t)get(s + off + 52, 4, be);
		if (len == 0 || len > BPF_MAXINSNS || off + HEADER + 8 * len > size ||
		    !(p->insns = malloc(len * sizeof *p->insns)))
			return -1;
		memcpy(p->name, s + off + 8, sizeof p->name);
		memcpy(p->abi, s + off + 32, sizeof p->abi);
		p->name[sizeof p->name - 1] = p->abi[sizeof p->abi - 1] = '\0';
		p->big_endian = be;
		p->len = len;
		bpf_decode(s + off + HEADER, len, be, p->insns);
		p->sum = fnv(s + off, HEADER + 8 * len);
		img->n++;
		off += HEADER + 8 * len - 8;
	}
	return 0;
}

int image_read(const char *path, struct image *img, char *err, size_t errlen)
{
	size_t size = 0, off = 0, len;
	unsigned char *f = slurp(path, &size);
	bool be = false;
	int rc;

	memset(img, 0, sizeof *img);
	if (!f)
		return bad(err, errlen, path, "cannot read");
	img->elf = size > EI_NIDENT && !memcmp(f, ELFMAG, SELFMAG);
	len = size;
	if (img->elf && elf_section(f, size, &off, &len, &be) < 0) {
		free(f);
		return bad(err, errlen, path, "no " SECTION " section");
	}
	rc = records(f + off, len, img->elf, be, img);
	free(f);
	if (rc < 0 || img->n == 0) {
		image_free(img);
		return bad(err, errlen, path, "no valid seccomp record");
	}
	return 0;
}

void image_free(struct image *img)
{
	for (size_t i = 0; i < img->n; i++)
		free(img->p[i].insns);
	memset(img, 0, sizeof *img);
}

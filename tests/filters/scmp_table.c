/* tests/filters/scmp_table.c — see scmp_table.h. */
#include "scmp_table.h"

#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

int systable_libseccomp(struct systable *t, const struct abi *a)
{
	uint32_t tok = seccomp_arch_resolve_name(a->scmp);
	int rc = 0;

	memset(t, 0, sizeof *t);
	t->abi = a;
	if (!tok)
		return -1;
	for (int32_t n = 0; n < 1100 && rc == 0; n++) {
		int32_t nr = n | (int32_t)a->nr_bit;
		char *name = seccomp_syscall_resolve_num_arch(tok, nr);

		if (name)
			rc = systable_add(t, name, nr);
		free(name);
	}
	return rc;
}

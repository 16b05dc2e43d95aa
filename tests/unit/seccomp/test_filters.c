/* Unit tests: every built-in profile compiled into this build, run in the
 * classic-BPF interpreter (tests/filters/) on synthetic seccomp_data for
 * every ABI its kernel runs and for every foreign architecture, against
 * the table its policy text implies and appuser's promises; then loaded
 * into the running kernel, where it can be, whose verdicts must be the
 * interpreter's.  Under qemu-user (cross builds) the kernel part skips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../filters/check.h"
#include "../../filters/scmp_table.h"
#include "seccomp/load.h"
#include "seccomp/profiles.h"
#include "seccomp/source.h"

enum part { TABLE, PROMISES, KERNEL };

struct test {
	const struct seccomp_builtin *b;
	enum part part;
	const struct abi *abi;		/* TABLE: NULL is the foreign architectures */
	char name[96];
};

static const struct target *target;
static struct systable tables[4];
static size_t ntables;

static struct check_prog program(const struct seccomp_builtin *b)
{
	return (struct check_prog){ b->name, b->insns, b->len,
				    __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ };
}

static void parse_builtin(const struct seccomp_builtin *b, struct policy *pol)
{
	struct policy_files files = { .builtin_text = seccomp_builtin_source };
	struct policy_source src;
	char path[80], err[512];

	snprintf(path, sizeof path, "<%s>", b->name);
	policy_files_source(&files, &src);
	if (policy_parse(path, b->source, strlen(b->source), &src, pol, err, sizeof err) < 0)
		fail_msg("%s", err);
}

static void run(void **state)
{
	const struct test *t = *state;
	struct check_prog p = program(t->b);
	struct policy pol;
	struct expect e = { target, &pol, tables, ntables };
	struct check_result r;
	char err[256];
	int rc;

	if (check_valid(&p, err, sizeof err) < 0)
		fail_msg("%s: the kernel would refuse the program: %s", t->b->name, err);
	parse_builtin(t->b, &pol);
	if (t->part == TABLE)
		rc = check_table(&e, &p, t->abi, &r);
	else if (t->part == PROMISES)
		rc = check_promises(&e, &p, &r);
	else if ((rc = check_kernel(&e, &p, &r, err, sizeof err)) < 0) {
		print_message("# SKIP %s: %s\n", t->name, err);
		policy_free(&pol);
		skip();
	}
	policy_free(&pol);
	assert_int_equal(rc, 0);
	for (size_t i = 0; i < r.wrong && i < CHECK_SHOWN; i++)
		print_error("%s: %s\n", t->name, r.shown[i]);
	print_message("# %s: %zu cases, %zu wrong\n", t->name, r.cases, r.wrong);
	assert_int_equal(r.wrong, 0);
	assert_true(r.cases > 0);
}

static void load_tables(void)
{
	for (ntables = 0; target->abis[ntables]; ntables++) {
		const struct abi *a = abi_find(target->abis[ntables]);

		if (!a || systable_libseccomp(&tables[ntables], a) < 0) {
			fprintf(stderr, "no syscall table for %s\n", target->abis[ntables]);
			exit(1);
		}
	}
}

int main(void)
{
	static struct test tests[64];
	static struct CMUnitTest cm[64];
	size_t n = 0;

	if (!(target = target_find(seccomp_builtins_arch))) {
		fprintf(stderr, "no target for %s\n", seccomp_builtins_arch);
		return 1;
	}
	load_tables();
	for (size_t i = 0; i < seccomp_nbuiltins; i++) {
		const struct seccomp_builtin *b = &seccomp_builtins[i];

		for (size_t k = 0; k <= ntables + 2 && n < 64; k++, n++) {
			struct test *t = &tests[n];

			t->b = b;
			t->part = k <= ntables ? TABLE : k == ntables + 1 ? PROMISES : KERNEL;
			t->abi = k < ntables ? tables[k].abi : NULL;
			snprintf(t->name, sizeof t->name, "%s for %s: %s", b->name, target->deb,
				 t->part == KERNEL ? "the running kernel agrees" :
				 t->part == PROMISES ? "what appuser-policy(5) promises" :
				 t->abi ? t->abi->name : "foreign architectures killed");
			cm[n] = (struct CMUnitTest){ t->name, run, NULL, NULL, t };
		}
	}
	return _cmocka_run_group_tests("filters", cm, n, NULL, NULL);
}

/* filtercheck — check the seccomp programs a build carries, for any
 * architecture, without running them there (TAP on stdout).
 *
 *   filtercheck [-k] [-t DIR] POLICY_DIR FILE...
 *   filtercheck -l FILE...
 *
 * FILE is an appuser binary (its .appuser_seccomp records) or a
 * `policyc -x` image.  Each program is checked in the interpreter against
 * the table its policy (POLICY_DIR/NAME.policy) implies on every ABI of
 * its kernel and for every foreign architecture, and against appuser's
 * promises; with -k also against the running kernel when this process
 * can make that target's calls.  Syscall numbers come from DIR/ABI.tbl
 * when present (the kernel headers of that ABI, tests/filters/systable),
 * else from libseccomp.  -l lists the records: name, ABI, length and a
 * checksum, to compare two files. */
#include "check.h"
#include "image.h"
#include "scmp_table.h"
#include "seccomp/source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int tap_n, failed;

static void tap(bool ok, const char *name, const char *what, const struct check_result *r)
{
	printf("%s %d - %s: %s (%zu cases)\n", ok ? "ok" : "not ok", ++tap_n, name, what,
	       r ? r->cases : 0);
	for (size_t i = 0; r && i < r->wrong && i < CHECK_SHOWN; i++)
		printf("#   %s\n", r->shown[i]);
	if (!ok)
		failed++;
}

static int load_tables(const struct target *t, const char *dir, struct systable *tables,
		       size_t *n, bool *from_headers)
{
	*from_headers = true;
	for (*n = 0; t->abis[*n]; (*n)++) {
		const struct abi *a = abi_find(t->abis[*n]);
		char path[4096];

		snprintf(path, sizeof path, "%s/%s.tbl", dir ? dir : "", a->name);
		if (dir && systable_load(&tables[*n], a, path) == 0)
			continue;
		*from_headers = false;
		if (systable_libseccomp(&tables[*n], a) < 0)
			return -1;
	}
	return 0;
}

static void check_one(const char *file, const struct image_prog *ip, const char *policies,
		      const char *tables_dir, bool kernel)
{
	const struct target *t = target_find(ip->abi);
	struct policy_files files = { .builtin_dir = policies };
	struct check_prog p = { ip->name, ip->insns, ip->len, ip->big_endian };
	struct systable tables[4] = { { 0 } };
	struct check_result r;
	struct policy pol;
	bool headers;
	size_t n = 0;
	char path[4096], label[160], err[512];

	snprintf(label, sizeof label, "%s %s for %s", file, ip->name, t ? t->deb : ip->abi);
	snprintf(path, sizeof path, "%s/%s.policy", policies, ip->name);
	if (!t || load_tables(t, tables_dir, tables, &n, &headers) < 0) {
		printf("not ok %d - %s: no syscall tables for ABI '%s'\n", ++tap_n, label, ip->abi);
		failed++;
		return;
	}
	if (policy_parse_file(path, &files, &pol, err, sizeof err) < 0) {
		printf("not ok %d - %s: %s\n", ++tap_n, label, err);
		failed++;
		goto out;
	}
	struct expect e = { t, &pol, tables, n };

	if (check_valid(&p, err, sizeof err) < 0) {
		printf("not ok %d - %s: the kernel would refuse it: %s\n", ++tap_n, label, err);
		failed++;
	}
	for (size_t i = 0; i <= n; i++) {
		char what[96];

		snprintf(what, sizeof what, "%s, the policy's table%s", i < n ? tables[i].abi->name :
			 "foreign architectures killed", i < n && headers ? " (kernel headers)" : "");
		tap(check_table(&e, &p, i < n ? tables[i].abi : NULL, &r) == 0 && !r.wrong,
		    label, what, &r);
	}
	tap(check_promises(&e, &p, &r) == 0 && !r.wrong, label,
	    "appuser-policy(5)'s promises", &r);
	if (kernel) {
		if (check_kernel(&e, &p, &r, err, sizeof err) < 0)
			printf("ok %d - %s: the running kernel agrees # SKIP %s\n", ++tap_n, label, err);
		else
			tap(!r.wrong, label, "the running kernel agrees", &r);
	}
	policy_free(&pol);
out:
	for (size_t i = 0; i < n; i++)
		systable_free(&tables[i]);
}

int main(int argc, char **argv)
{
	const char *tables_dir = NULL;
	bool kernel = false, list = false;
	int opt;

	while ((opt = getopt(argc, argv, "klt:")) != -1) {
		if (opt == 'k')
			kernel = true;
		else if (opt == 'l')
			list = true;
		else if (opt == 't')
			tables_dir = optarg;
		else
			goto usage;
	}
	if (argc - optind < (list ? 1 : 2))
		goto usage;
	for (int i = optind + !list; i < argc; i++) {
		struct image img;
		char err[512];

		if (image_read(argv[i], &img, err, sizeof err) < 0) {
			printf("not ok %d - %s\n", ++tap_n, err);
			failed++;
			continue;
		}
		for (size_t k = 0; k < img.n; k++) {
			if (list)
				printf("%s %s %zu %08x\n", img.p[k].name, img.p[k].abi, img.p[k].len,
				       img.p[k].sum);
			else
				check_one(argv[i], &img.p[k], argv[optind], tables_dir, kernel);
		}
		image_free(&img);
	}
	if (!list)
		printf("1..%d\n", tap_n);
	return failed ? 1 : 0;
usage:
	fprintf(stderr, "usage: filtercheck [-k] [-t DIR] POLICY_DIR FILE...\n"
			"       filtercheck -l FILE...\n");
	return 2;
}

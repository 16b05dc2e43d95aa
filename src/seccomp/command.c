/* seccomp/command.c — see seccomp/command.h. */
#include "seccomp/command.h"
#include "log.h"
#include "seccomp/load.h"
#include "seccomp/arch.h"
#include "seccomp/compile.h"
#include "seccomp/disasm.h"
#include "seccomp/libseccomp.h"
#include "seccomp/profiles.h"
#include "seccomp/source.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: appuser policy list\n"
	"       appuser policy show NAME\n"
	"       appuser policy dump NAME|FILE\n"
	"       appuser policy check FILE...\n"
	"See appuser-policy(5).\n";

static bool syscall_name(uint32_t arch, uint32_t nr, char *buf, size_t len)
{
	uint32_t tok = arch;
	char *n;

	if (arch == SCMP_ARCH_X86_64 && (nr & 0x40000000))
		tok = SCMP_ARCH_X32;
	if (!(n = seccomp_syscall_resolve_num_arch(tok, (int)nr)))
		return false;
	snprintf(buf, len, "%s", n);
	free(n);
	return true;
}

static const struct seccomp_builtin *builtin(const char *name)
{
	for (size_t i = 0; i < seccomp_nbuiltins; i++)
		if (!strcmp(seccomp_builtins[i].name, name))
			return &seccomp_builtins[i];
	return NULL;
}

static int list(void)
{
	for (size_t i = 0; i < seccomp_nbuiltins; i++) {
		const struct seccomp_builtin *b = &seccomp_builtins[i];

		printf("%-10s %4u insns  %s\n", b->name, b->len, b->summary);
	}
	printf("%-10s %4d insns  %s\n", "none", 0, "No filter (root callers only)");
	return 0;
}

static int show(const char *name)
{
	const struct seccomp_builtin *b = builtin(name);

	if (!b) {
		msg("policy: no built-in profile '%s'", name);
		return EXIT_FAIL;
	}
	fputs(b->source, stdout);
	return 0;
}

static void print_rules(const struct policy *p)
{
	char buf[512], act[48];

	printf("# default action: %s\n", policy_format_action(&p->def, act, sizeof act));
	for (size_t i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];

		printf("#   %-60s (%s:%u)%s\n", policy_format_rule(r, buf, sizeof buf), r->pos.file,
		       r->pos.line, r->unknown ? " skipped: unknown here" : "");
	}
}

static int parse_named(const char *what, const struct seccomp_builtin *b, struct policy *pol,
		       char *err, size_t errlen)
{
	struct policy_files files = { .builtin_text = seccomp_builtin_source };
	struct policy_source src;
	char path[80];

	if (!b)
		return policy_parse_file(what, &files, pol, err, errlen);
	snprintf(path, sizeof path, "<%s>", what);
	policy_files_source(&files, &src);
	return policy_parse(path, b->source, strlen(b->source), &src, pol, err, errlen);
}

/* NAME: the embedded source and BPF; FILE: parsed and compiled now. */
static int dump(const char *what)
{
	const struct seccomp_builtin *b = builtin(what);
	struct sock_filter *own = NULL;
	const struct sock_filter *bpf;
	struct policy pol;
	char err[512];
	size_t len = 0;

	if (parse_named(what, b, &pol, err, sizeof err) < 0) {
		msg("policy: %s", err);
		return EXIT_FAIL;
	}
	if (!b && compile_policy(&pol, NULL, &own, &len, err, sizeof err) < 0) {
		msg("policy: %s", err);
		policy_free(&pol);
		return EXIT_FAIL;
	}
	bpf = b ? b->insns : own;
	len = b ? b->len : len;
	printf("# seccomp profile %s for %s: %zu instructions\n", what,
	       b ? seccomp_builtins_arch : seccomp_native_abi(), len);
	print_rules(&pol);
	bpf_disasm(stdout, bpf, len, syscall_name);
	policy_free(&pol);
	free(own);
	return 0;
}

static int check(int n, char **files)
{
	struct policy_files f = { .builtin_text = seccomp_builtin_source };
	int status = 0;

	for (int i = 0; i < n; i++) {
		struct policy pol;
		struct sock_filter *bpf;
		char err[512];
		size_t len;

		if (policy_parse_file(files[i], &f, &pol, err, sizeof err) < 0) {
			msg("policy: %s", err);
			status = EXIT_FAIL;
			continue;
		}
		if (compile_policy(&pol, NULL, &bpf, &len, err, sizeof err) < 0) {
			msg("policy: %s", err);
			status = EXIT_FAIL;
		} else {
			printf("%s: ok, %zu rules, %zu instructions\n", files[i], pol.nrules, len);
			free(bpf);
		}
		policy_free(&pol);
	}
	return status;
}

int cmd_policy(int argc, char **argv, const struct caller *c)
{
	const char *sub = argc > 1 ? argv[1] : "";
	char err[512];

	drop_to_caller(c);	/* nothing needs privilege; FILE is read as the caller */
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h")) {
		fputs(usage_text, stdout);
		return 0;
	}
	/* dump names syscalls and check compiles: both need libseccomp. */
	if ((!strcmp(sub, "dump") || !strcmp(sub, "check")) && libseccomp_load(err, sizeof err) < 0) {
		msg("policy: %s", err);
		return EXIT_FAIL;
	}
	if (!strcmp(sub, "list") && argc == 2)
		return list();
	if (!strcmp(sub, "show") && argc == 3)
		return show(argv[2]);
	if (!strcmp(sub, "dump") && argc == 3)
		return dump(argv[2]);
	if (!strcmp(sub, "check") && argc >= 3)
		return check(argc - 2, argv + 2);
	(void)!write(2, usage_text, sizeof usage_text - 1);
	return EXIT_FAIL;
}

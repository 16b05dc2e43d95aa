/* main.c — entry: decide the mode once, clean the process if setuid, then
 * hand the arguments to one command.  Invoked as gosu or su-exec, the
 * binary takes gosu's positional form. */
#include "caller.h"
#include "exec/command.h"
#include "log.h"
#include "ownership/fix.h"
#include "seccomp/command.h"
#include "setup/command.h"
#include "status.h"
#include "version.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* One line per command; each lives in its own folder. */
static const struct command {
	const char *name;
	int (*run)(int argc, char **argv, const struct caller *c);
} commands[] = {
	{ "exec", cmd_exec },
	{ "fix", cmd_fix },
	{ "setup", cmd_setup },
	{ "policy", cmd_policy },
	{ "status", cmd_status },
	{ NULL, NULL },
};

static const char usage_text[] =
	"usage: appuser setup  [--dry-run] [--root DIR] [--no-fix] [-q|-v]\n"
	"       appuser exec   [-u USER[:GROUP]] [--cap CAP[,CAP...]|none]\n"
	"                      [--seccomp PROFILE|FILE|none] [--selinux-context CTX]\n"
	"                      [--allow-new-privs] [--] COMMAND [ARG...]\n"
	"       appuser fix    [--from UID:GID] [--to UID:GID] [--dry-run]\n"
	"                      [--cross-mounts] [--allow-system-path] [-j N] [-q|-v] PATH...\n"
	"       appuser status [--json] [--root DIR]\n"
	"       appuser policy list | show NAME | dump NAME|FILE | check FILE...\n"
	"       appuser --help | --version\n"
	"       gosu USER-SPEC COMMAND [ARG...]   (invoked as gosu or su-exec)\n"
	"See appuser(8).\n";

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

int main(int argc, char **argv, char **envp)
{
	struct caller c;
	const char *prog = argc > 0 && argv[0] ? base_name(argv[0]) : "appuser";
	const struct command *cmd;
	int rc;

	if (caller_init(&c) < 0)
		die(EXIT_FAIL, "cannot read own credentials");
	hygiene_entry(&c, argv, envp);
	if (argc < 1)
		die(EXIT_FAIL, "no arguments at all");

	if (!strcmp(prog, "gosu") || !strcmp(prog, "su-exec")) {
		rc = cmd_gosu(argc, argv, &c, prog);
		caller_free(&c);
		return rc;
	}

	if (argc < 2) {
		(void)!write(2, usage_text, sizeof usage_text - 1);
		return EXIT_FAIL;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("appuser %s\n", APPUSER_VERSION);
		return 0;
	}
	for (cmd = commands; cmd->name; cmd++)
		if (!strcmp(argv[1], cmd->name)) {
			rc = cmd->run(argc - 1, argv + 1, &c);
			caller_free(&c);
			return rc;
		}
	msg("unknown command '%s'", argv[1]);
	(void)!write(2, usage_text, sizeof usage_text - 1);
	return EXIT_FAIL;
}

/*
 * main.c - the `rmx` command: dispatch to a subcommand.
 *
 *   rmx record encode|decode ...   RMX RDATA <-> presentation text
 *   rmx zone compile ...           zone file -> RFC 3597 form for stock servers
 *   rmx check ...                  check a sender
 *   rmx suite FILE...              run conformance suites
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} subcommands[] = {
	{"check", cmd_check, "check whether a client may send mail for a sender"},
	{"record", cmd_record, "encode and decode RMX records"},
	{"zone", cmd_zone, "compile zone files for stock DNS servers"},
	{"suite", cmd_suite, "run conformance suites (OpenSPF YAML format)"},
};

static void print_help(void)
{
	size_t i;

	puts("Usage: rmx COMMAND [ARGS...]\n"
	     "\n"
	     "Reverse MX (RMX) and SPF sender authorization.\n"
	     "\n"
	     "Commands:");
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		printf("  %-8s %s\n", subcommands[i].name,
			subcommands[i].summary);
	puts("\n"
	     "Run 'rmx COMMAND --help' for a command's options; see rmx(1).\n"
	     "Exit status: 0 success (any completed check), 1 bad input,\n"
	     "2 usage error.");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return cli_usage(NULL, "no command given");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		print_help();
		return CLI_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		puts("rmx " RMX_VERSION);
		return CLI_EXIT_OK;
	}
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].run(argc - 1, argv + 1);
	return cli_usage(NULL, "unknown command '%s'", argv[1]);
}

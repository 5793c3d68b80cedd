/*
 * cli.h - what the `rmx` subcommands share: exit codes, error lines.
 *
 * Exit status: 0 success (for `check`: any completed check, whatever the
 * verdict), 1 bad input (a record, file or address that does not parse),
 * 2 usage error.  Every error is one line on stderr starting "rmx: ".
 */
#ifndef RMX_CLI_H
#define RMX_CLI_H

#include <rmx/rmx.h>

#define CLI_EXIT_OK 0
#define CLI_EXIT_INPUT 1
#define CLI_EXIT_USAGE 2

/* Print "rmx: <msg> (try 'rmx <cmd> --help')" on stderr, one line;
 * return 2. */
int cli_usage(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print "rmx: <msg>" on stderr; return 1. */
int cli_input_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
/* Parse a decimal number in [min,max]; 0 ok, -1 not. */
int cli_parse_uint(const char *s, unsigned long min, unsigned long max,
	unsigned long *out);

/* Subcommands: argv[0] is the subcommand name. */
int cmd_record(int argc, char **argv);
int cmd_zone(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_suite(int argc, char **argv);

#endif

/*
 * cli.c - error lines and small parsers shared by the subcommands.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("rmx: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	/* One line, as every error of the command: the hint goes on it. */
	if (cmd != NULL)
		fprintf(stderr, " (try 'rmx %s --help')\n", cmd);
	else
		fputs(" (try 'rmx --help')\n", stderr);
	return CLI_EXIT_USAGE;
}

int cli_input_error(const char *fmt, ...)
{
	va_list ap;

	fputs("rmx: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_EXIT_INPUT;
}

int cli_parse_uint(const char *s, unsigned long min, unsigned long max,
	unsigned long *out)
{
	char *end;
	unsigned long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/*
 * cmd_record.c - `rmx record`: RMX RDATA between presentation text and the
 * RFC 3597 generic form that stock DNS servers carry.
 *
 *   rmx record encode [--hex] ENTRY...   -> "\# LEN HEX" (or bare hex)
 *   rmx record decode HEX...             -> presentation text
 *   rmx record lint [--mailbox] ENTRY... -> findings; exit 1 on errors
 *
 * Arguments are joined with spaces, so one argument may hold several
 * entries and hex may be split anywhere between digit pairs.  Names on the
 * command line are absolute with or without the trailing dot.
 *
 * Exit: 0 done, 1 malformed entry text or RDATA (one "rmx: " line saying
 * what and where), 2 usage.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_help(void)
{
	puts("Usage: rmx record encode [--hex] ENTRY...\n"
	     "       rmx record decode HEX...\n"
	     "       rmx record lint [--mailbox] ENTRY...\n"
	     "\n"
	     "encode  parse RMX entries (e.g. 'ip4:192.0.2.0/24 mx') and print\n"
	     "        the RDATA as RFC 3597 '\\# LEN HEX'; --hex: bare hex\n"
	     "decode  validate RDATA given as hex (blanks allowed, '\\# LEN HEX'\n"
	     "        accepted) and print its presentation form\n"
	     "lint    report what a domain owner should fix before\n"
	     "        publishing: lookup limit, unreachable or duplicate\n"
	     "        entries, unknown types (--mailbox: a per-mailbox record)\n"
	     "\n"
	     "Exit status: 0 success, 1 malformed input, 2 usage error.");
}

/* argv[0..argc) joined with single spaces; NULL when out of memory. */
static char *join_args(int argc, char **argv)
{
	size_t total = 1, len = 0;
	char *text;
	int i;

	for (i = 0; i < argc; i++)
		total += strlen(argv[i]) + 1;
	text = malloc(total);
	if (text == NULL)
		return NULL;
	text[0] = '\0';
	for (i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (i > 0)
			text[len++] = ' ';
		memcpy(text + len, argv[i], n + 1);
		len += n;
	}
	return text;
}

/*
 * The ENTRY... arguments of encode and lint after their one option `flag`
 * (which sets *flag_set) and an optional "--": joined and parsed into
 * rdata (RMX_RDATA_MAX octets).  CLI_EXIT_OK, or the exit code after the
 * error line.
 */
static int entries_from_args(int argc, char **argv, const char *sub,
	const char *flag, bool *flag_set, uint8_t *rdata, size_t *len)
{
	struct rmx_diag diag;
	char *text;
	int i = 1, rc;

	*flag_set = false;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], flag) == 0) {
			*flag_set = true;
		} else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else {
			return cli_usage("record", "unknown option '%s'",
				argv[i]);
		}
	}
	if (i == argc)
		return cli_usage("record", "%s: no entries given", sub);
	text = join_args(argc - i, argv + i);
	if (text == NULL)
		return cli_input_error("out of memory");
	rc = rmx_rdata_from_text(text, NULL, rdata, RMX_RDATA_MAX, len, &diag);
	free(text);
	if (rc != RMX_OK)
		return cli_input_error("bad RMX entry at character %zu: %s",
			diag.offset, diag.msg);
	return CLI_EXIT_OK;
}

static int record_encode(int argc, char **argv)
{
	static uint8_t rdata[RMX_RDATA_MAX];
	static char hex[2 * RMX_RDATA_MAX + 1];
	bool bare;
	size_t len;
	int rc;

	rc = entries_from_args(argc, argv, "encode", "--hex", &bare, rdata,
		&len);
	if (rc != CLI_EXIT_OK)
		return rc;
	rmx_hex_encode(rdata, len, hex, sizeof(hex));
	if (bare)
		printf("%s\n", hex);
	else if (len == 0)
		printf("\\# 0\n");
	else
		printf("\\# %zu %s\n", len, hex);
	return CLI_EXIT_OK;
}

static int record_decode(int argc, char **argv)
{
	static uint8_t rdata[RMX_RDATA_MAX];
	struct rmx_diag diag;
	size_t len, cap;
	char *hex, *text;
	int rc, first = 1;

	if (argc > 1 && strcmp(argv[1], "--") == 0)
		first = 2;
	else if (argc > 1 && argv[1][0] == '-' && argv[1][1] != '\0')
		return cli_usage("record", "unknown option '%s'", argv[1]);
	if (first == argc)
		return cli_usage("record", "decode: no hex given");
	hex = join_args(argc - first, argv + first);
	if (hex == NULL)
		return cli_input_error("out of memory");
	rc = rmx_hex_decode(hex, rdata, sizeof(rdata), &len, &diag);
	free(hex);
	if (rc != RMX_OK)
		return cli_input_error("bad hex at character %zu: %s",
			diag.offset, diag.msg);
	/* The wordiest entry, '!tlsldap:"\001"', is 15 characters for 3
	 * octets; 8 per octet is plenty. */
	cap = 8 * len + 16;
	text = malloc(cap);
	if (text == NULL)
		return cli_input_error("out of memory");
	rc = rmx_rdata_to_text(rdata, len, text, cap, NULL, &diag);
	if (rc == RMX_OK)
		printf("%s\n", text);
	free(text);
	if (rc == RMX_ESPACE)
		return cli_input_error("record text too long");
	if (rc != RMX_OK)
		return cli_input_error("malformed RMX record: %s", diag.msg);
	return CLI_EXIT_OK;
}

static void print_finding(void *arg, const struct rmx_lint_finding *f)
{
	const char *where = arg;

	printf("%s%s%s: %s [%s]\n", where, where[0] ? ": " : "",
		f->severity == RMX_LINT_ERROR ? "error" : "warning", f->msg,
		f->name);
}

/* rmx record lint [--mailbox] ENTRY...: one RR, findings on stdout. */
static int record_lint(int argc, char **argv)
{
	static uint8_t rdata[RMX_RDATA_MAX];
	struct rmx_dns_rr rr;
	bool mailbox;
	size_t len;
	int rc;

	rc = entries_from_args(argc, argv, "lint", "--mailbox", &mailbox,
		rdata, &len);
	if (rc != CLI_EXIT_OK)
		return rc;
	rr.rdata = rdata;
	rr.rdlen = len;
	rc = rmx_lint_rrset(&rr, 1, mailbox ? RMX_RDATA_MAILBOX : 0,
		print_finding, "");
	return rc > 0 ? CLI_EXIT_INPUT : CLI_EXIT_OK;
}

int cmd_record(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("record", "encode, decode or lint?");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_help();
		return CLI_EXIT_OK;
	}
	if (argc > 2 && (strcmp(argv[2], "--help") == 0 ||
	    strcmp(argv[2], "-h") == 0)) {
		print_help();
		return CLI_EXIT_OK;
	}
	if (strcmp(argv[1], "encode") == 0)
		return record_encode(argc - 1, argv + 1);
	if (strcmp(argv[1], "decode") == 0)
		return record_decode(argc - 1, argv + 1);
	if (strcmp(argv[1], "lint") == 0)
		return record_lint(argc - 1, argv + 1);
	return cli_usage("record", "unknown record command '%s'", argv[1]);
}

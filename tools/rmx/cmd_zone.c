/*
 * cmd_zone.c - `rmx zone compile`: a master file with RMX records in, the
 * same zone for stock DNS servers out.
 *
 *   rmx zone compile [--type-code N] [--origin NAME] [-o OUT] ZONEFILE
 *
 * Every record written with the mnemonic RMX comes out in RFC 3597 form,
 * "TYPE<N> \# LEN HEX" (N = 65280 unless --type-code says otherwise);
 * every other record comes out as libldns prints it, with absolute names,
 * one record per line: the same zone, loadable by nsd-checkzone and NSD.
 * Reading is rmx_zonefile_read() (lib/zonefile.c).
 *
 * Exit: 0 written, 1 the zone file does not parse or cannot be read or
 * written ("rmx: FILE:LINE: what"), 2 usage.  With -o, a failed run leaves
 * no output file behind.
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void print_help(void)
{
	puts("Usage: rmx zone compile [--type-code N] [--origin NAME] [-o OUT] "
	     "ZONEFILE\n"
	     "\n"
	     "Read an RFC 1035 master file that may hold RMX records written\n"
	     "with the mnemonic RMX (e.g. 'example.com. IN RMX ip4:192.0.2.0/24\n"
	     "mx') and write the same zone with each RMX record in RFC 3597\n"
	     "generic form ('TYPE65280 \\# 6 010418c00002'), which stock DNS\n"
	     "servers (NSD, BIND, Knot) load.  Other records pass through with\n"
	     "absolute names, one per line.\n"
	     "\n"
	     "Options:\n"
	     "  --type-code N   RR type code for RMX (default 65280)\n"
	     "  --origin NAME   initial $ORIGIN (default: the root)\n"
	     "  -o OUT          write to OUT instead of standard output\n"
	     "\n"
	     "Exit status: 0 success, 1 malformed zone file or I/O error,\n"
	     "2 usage error.");
}

struct compile_out {
	FILE *fp;
	int err;   /* errno of the first write error */
};

static int write_rr(void *arg, const struct rmx_zonefile_rr *rr)
{
	struct compile_out *out = arg;

	if (fprintf(out->fp, "%s\n", rr->text) < 0) {
		out->err = errno != 0 ? errno : EIO;
		return RMX_EIO;
	}
	return RMX_OK;
}

static int zone_compile(int argc, char **argv)
{
	unsigned long type_code = RMX_TYPE_DEFAULT;
	const char *origin = NULL, *outpath = NULL, *inpath = NULL;
	struct compile_out out = {0};
	struct rmx_diag diag;
	int i, rc;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			print_help();
			return CLI_EXIT_OK;
		} else if (strcmp(a, "--type-code") == 0 ||
			   strcmp(a, "--origin") == 0 || strcmp(a, "-o") == 0) {
			if (i + 1 == argc)
				return cli_usage("zone", "%s needs a value", a);
			if (strcmp(a, "--type-code") == 0) {
				if (cli_parse_uint(argv[i + 1], 1, 65535,
					    &type_code) != 0)
					return cli_usage("zone", "--type-code "
						"must be a number 1-65535");
			} else if (strcmp(a, "--origin") == 0) {
				origin = argv[i + 1];
			} else {
				outpath = argv[i + 1];
			}
			i++;
		} else if (strcmp(a, "--") == 0) {
			if (i + 1 < argc && inpath == NULL)
				inpath = argv[++i];
			if (i + 1 < argc)
				return cli_usage("zone", "more than one zone "
					"file given");
		} else if (a[0] == '-' && a[1] != '\0') {
			return cli_usage("zone", "unknown option '%s'", a);
		} else if (inpath != NULL) {
			return cli_usage("zone", "more than one zone file given");
		} else {
			inpath = a;
		}
	}
	if (inpath == NULL)
		return cli_usage("zone", "compile: no zone file given");
	out.fp = outpath != NULL ? fopen(outpath, "w") : stdout;
	if (out.fp == NULL)
		return cli_input_error("%s: %s", outpath, strerror(errno));
	fprintf(out.fp, "; compiled by rmx zone compile from %s: RMX records "
		"as TYPE%lu (RFC 3597)\n", inpath, type_code);
	rmx_diag_clear(&diag);
	rc = rmx_zonefile_read(inpath, origin, (uint16_t)type_code, write_rr,
		&out, &diag);
	if (rc == RMX_OK && fflush(out.fp) != 0)
		out.err = errno != 0 ? errno : EIO;
	if (outpath != NULL && fclose(out.fp) != 0 && out.err == 0)
		out.err = errno != 0 ? errno : EIO;
	if (rc != RMX_OK || out.err != 0) {
		if (outpath != NULL)
			unlink(outpath);
		if (out.err != 0)
			return cli_input_error("%s: %s",
				outpath != NULL ? outpath : "standard output",
				strerror(out.err));
		return cli_input_error("%s", diag.msg[0] != '\0' ? diag.msg :
			rmx_strerror(rc));
	}
	return CLI_EXIT_OK;
}

int cmd_zone(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("zone", "no subcommand given (compile)");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		print_help();
		return CLI_EXIT_OK;
	}
	if (strcmp(argv[1], "compile") == 0)
		return zone_compile(argc - 1, argv + 1);
	return cli_usage("zone", "unknown subcommand '%s'", argv[1]);
}

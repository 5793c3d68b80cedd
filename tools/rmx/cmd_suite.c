/*
 * cmd_suite.c - `rmx suite`: run conformance suites in the OpenSPF YAML
 * format (extended with RMX, RMX_WIRE, APL and SERVFAIL).
 *
 *   rmx suite [--method LIST] [--exceptions FILE] [--verbose] FILE...
 *
 * Loading and running are librmx's (rmx/suite.h); this file prints.  Each
 * failing test gives one line
 *   FAIL <scenario>/<test> (spec X): expected fail, got pass: <reason>
 * a test allowed by the exceptions file gives "EXCEPTION <test>: <reason>",
 * --verbose adds "PASS ..." lines, and the last line is "N passed, M failed".
 * tests/conformance/README.md describes the format and the semantics.
 *
 * Exit: 0 every test passed, 1 some test failed or a file does not parse
 * ("rmx: FILE:LINE: what"), 2 usage.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_help(void)
{
	puts("Usage: rmx suite [--method LIST] [--exceptions FILE] [--verbose] "
	     "FILE...\n"
	     "\n"
	     "Run conformance suites in the OpenSPF YAML format, extended with\n"
	     "the record kinds RMX, RMX_WIRE and APL and the SERVFAIL marker\n"
	     "(see tests/conformance/README.md).  Each test runs a check on an\n"
	     "in-memory zone built from its scenario's zonedata.\n"
	     "\n"
	     "Options:\n"
	     "  --method LIST      methods for every test (rmx,spf | rmx | spf |\n"
	     "                     spf,rmx); default: rmx,spf for scenarios with\n"
	     "                     RMX/RMX_WIRE/APL data, spf for the others\n"
	     "  --exceptions FILE  accepted deviations, lines\n"
	     "                     'TESTNAME RESULT REASON...' ('#' comments)\n"
	     "  --verbose          print passing tests too\n"
	     "\n"
	     "Exit status: 0 all tests passed, 1 a test failed or a suite file\n"
	     "does not parse, 2 usage error.");
}

struct printer {
	bool verbose;
};

/* Print text on one line: newlines and other control characters become
 * spaces, trailing blanks are dropped. */
static void print_flat(const char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n'))
		n--;
	for (; n > 0; s++, n--)
		putchar((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s);
}

static void print_test_id(const struct rmx_suite_outcome *o)
{
	print_flat(o->scenario->description);
	printf("/%s (spec %s)", o->test->name,
		o->test->spec[0] != '\0' ? o->test->spec : "-");
}

static void print_expected(const struct rmx_suite_test *t)
{
	unsigned i;

	for (i = 0; i < t->nresults; i++)
		printf("%s%s", i > 0 ? " or " : "",
			rmx_result_str(t->results[i]));
}

static void report_outcome(void *arg, const struct rmx_suite_outcome *o)
{
	const struct printer *p = arg;
	const struct rmx_check_result *r = o->result;

	if (o->error != RMX_OK) {
		fputs("FAIL ", stdout);
		print_test_id(o);
		printf(": check could not run: %s\n", rmx_strerror(o->error));
		return;
	}
	if (o->by_exception) {
		printf("EXCEPTION %s: ", o->test->name);
		print_flat(o->exception_reason);
		putchar('\n');
		return;
	}
	if (o->passed) {
		if (p->verbose) {
			fputs("PASS ", stdout);
			print_test_id(o);
			printf(": %s (%s)\n", rmx_result_str(r->result),
				rmx_method_str(r->method));
		}
		return;
	}
	fputs("FAIL ", stdout);
	print_test_id(o);
	if (o->explanation_mismatch) {
		fputs(": expected explanation \"", stdout);
		print_flat(o->test->explanation);
		fputs("\", got \"", stdout);
		print_flat(r->explanation);
		fputs("\"\n", stdout);
		return;
	}
	fputs(": expected ", stdout);
	print_expected(o->test);
	printf(", got %s: ", rmx_result_str(r->result));
	print_flat(r->reason);
	putchar('\n');
}

int cmd_suite(int argc, char **argv)
{
	struct rmx_suite_run_options opt;
	struct rmx_suite_exceptions *exc = NULL;
	struct printer pr = {false};
	struct rmx_diag diag;
	unsigned passed = 0, failed = 0;
	const char *exc_path = NULL;
	char **files;
	int i, nfiles = 0, rc = CLI_EXIT_OK;
	bool opts_done = false;

	rmx_suite_run_options_init(&opt);
	files = calloc((size_t)argc, sizeof(*files));
	if (files == NULL)
		return cli_input_error("out of memory");
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (opts_done || a[0] != '-' || a[1] == '\0') {
			files[nfiles++] = argv[i];
		} else if (strcmp(a, "--") == 0) {
			opts_done = true;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			free(files);
			print_help();
			return CLI_EXIT_OK;
		} else if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
			pr.verbose = true;
		} else if (strcmp(a, "--method") == 0 ||
			   strcmp(a, "--exceptions") == 0) {
			if (i + 1 == argc) {
				free(files);
				return cli_usage("suite", "%s needs a value",
					a);
			}
			if (strcmp(a, "--method") == 0)
				opt.methods = argv[++i];
			else
				exc_path = argv[++i];
		} else {
			free(files);
			return cli_usage("suite", "unknown option '%s'", a);
		}
	}
	if (nfiles == 0) {
		free(files);
		return cli_usage("suite", "no suite file given");
	}
	if (opt.methods != NULL) {
		struct rmx_config probe;

		rmx_config_init(&probe);
		rmx_diag_clear(&diag);
		if (rmx_config_set_methods(&probe, opt.methods, &diag) !=
		    RMX_OK) {
			free(files);
			return cli_usage("suite", "--method: %s",
				diag.msg[0] != '\0' ? diag.msg :
				"expected rmx,spf | rmx | spf | spf,rmx");
		}
	}
	if (exc_path != NULL) {
		rmx_diag_clear(&diag);
		if (rmx_suite_exceptions_load(exc_path, &exc, &diag) !=
		    RMX_OK) {
			free(files);
			return cli_input_error("%s", diag.msg);
		}
		opt.exceptions = exc;
	}
	for (i = 0; i < nfiles && rc == CLI_EXIT_OK; i++) {
		struct rmx_suite *suite = NULL;
		int lrc;

		rmx_diag_clear(&diag);
		lrc = rmx_suite_load_file(files[i], opt.rr_type, &suite, &diag);
		if (lrc != RMX_OK) {
			fflush(stdout);
			rc = cli_input_error("%s", diag.msg[0] != '\0' ?
				diag.msg : rmx_strerror(lrc));
			break;
		}
		lrc = rmx_suite_run(suite, &opt, report_outcome, &pr, &passed,
			&failed, &diag);
		rmx_suite_free(suite);
		if (lrc != RMX_OK)
			rc = cli_usage("suite", "%s", diag.msg);
	}
	rmx_suite_exceptions_free(exc);
	free(files);
	if (rc != CLI_EXIT_OK)
		return rc;
	printf("%u passed, %u failed\n", passed, failed);
	return failed > 0 ? CLI_EXIT_INPUT : CLI_EXIT_OK;
}

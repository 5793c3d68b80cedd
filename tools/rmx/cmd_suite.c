/*
 * cmd_suite.c - `rmx suite`: run conformance suites in the OpenSPF YAML
 * format (extended with RMX, RMX_WIRE, APL and SERVFAIL), in memory or
 * against a real DNS server that serves a scenario's zone.
 *
 *   rmx suite [--method LIST] [--exceptions FILE] [--verbose] FILE...
 *   rmx suite --list FILE
 *   rmx suite --export-zone N [-o OUT] FILE
 *   rmx suite --scenario N [--server IP@PORT [--compare]
 *             [--exclusions FILE] [--timeout MS]] [options] FILE
 *
 * Loading, running and exporting are librmx's (rmx/suite.h); this file
 * prints.  Each failing test gives one line
 *   FAIL <scenario>/<test> (spec X): expected fail, got pass: <reason>
 * a test allowed by the exceptions file gives "EXCEPTION <test>: <reason>",
 * --verbose adds "PASS ..." lines, and the last line is "N passed, M failed".
 * --compare runs each test of the scenario twice, on the in-memory zone
 * with its TIMEOUT/SERVFAIL marks ignored (the data a server can serve)
 * and through libunbound against --server, and fails a test whose two
 * verdicts differ in result, method, deciding entry or explanation:
 *   FAIL <scenario>/<test> (spec X): zone: <verdict> | server: <verdict>
 * Tests listed in the --exclusions file (known differences of real DNS)
 * are not run: "EXCLUDED <scenario>/<test>: <reason>", counted apart.
 * tests/conformance/README.md describes the format and the semantics.
 *
 * Bad input: an unreadable or unparsable suite, exclusions or exceptions
 * file ("rmx: FILE:LINE: what", exit 1); a scenario number out of range,
 * an option without its value or options that do not go together (exit 2).
 *
 * Exit: 0 every test passed, 1 some test failed or a file does not parse,
 * 2 usage.
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUITE_QUERY_TIMEOUT_MS 10000 /* generous: results must not depend
					on timing */

static void print_help(void)
{
	puts("Usage: rmx suite [--method LIST] [--exceptions FILE] [--verbose] "
	     "FILE...\n"
	     "       rmx suite --list FILE\n"
	     "       rmx suite --export-zone N [-o OUT] FILE\n"
	     "       rmx suite --scenario N [--server IP@PORT [--compare]\n"
	     "                 [--exclusions FILE] [--timeout MS]] [options] "
	     "FILE\n"
	     "\n"
	     "Run conformance suites in the OpenSPF YAML format, extended with\n"
	     "the record kinds RMX, RMX_WIRE and APL and the SERVFAIL marker\n"
	     "(see tests/conformance/README.md).  Each test runs a check on an\n"
	     "in-memory zone built from its scenario's zonedata, or through\n"
	     "libunbound against a DNS server that serves that zone.\n"
	     "\n"
	     "Options:\n"
	     "  --method LIST      methods for every test (rmx,spf | rmx | spf |\n"
	     "                     spf,rmx); default: rmx,spf for scenarios with\n"
	     "                     RMX/RMX_WIRE/APL data, spf for the others\n"
	     "  --exceptions FILE  accepted deviations, lines\n"
	     "                     'TESTNAME RESULT REASON...' ('#' comments)\n"
	     "  --verbose          print passing tests too\n"
	     "\n"
	     "Scenarios (numbered from 1 in file order; one FILE):\n"
	     "  --list             print one line per scenario:\n"
	     "                     'N TESTS DESCRIPTION'\n"
	     "  --export-zone N    write scenario N's zone data as a master file\n"
	     "                     for the root zone '.' (RFC 3597 form; SOA and\n"
	     "                     NS at the apex; TIMEOUT/SERVFAIL left out)\n"
	     "  -o OUT             write the zone to OUT (default: stdout)\n"
	     "  --scenario N       run only scenario N\n"
	     "  --server IP@PORT   run it through libunbound, forwarding every\n"
	     "                     query to this server (IP, IP@PORT, IP:PORT)\n"
	     "  --compare          run each test both on the in-memory zone\n"
	     "                     (marks ignored) and through --server; a test\n"
	     "                     passes when result, method, deciding entry\n"
	     "                     and explanation agree\n"
	     "  --exclusions FILE  tests not compared (known differences of\n"
	     "                     real DNS), lines 'TESTNAME REASON...'\n"
	     "  --timeout MS       per-query timeout through --server\n"
	     "                     (default 10000)\n"
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

static void print_scenario_test(const struct rmx_suite_scenario *sc,
	const struct rmx_suite_test *t)
{
	print_flat(sc->description);
	printf("/%s (spec %s)", t->name, t->spec[0] != '\0' ? t->spec : "-");
}

static void print_test_id(const struct rmx_suite_outcome *o)
{
	print_scenario_test(o->scenario, o->test);
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

/* ---- comparing the zone with a server ---- */

static bool verdicts_agree(const struct rmx_check_result *a,
	const struct rmx_check_result *b)
{
	return a->result == b->result && a->method == b->method &&
		strcmp(a->entry, b->entry) == 0 &&
		strcmp(a->explanation, b->explanation) == 0;
}

static void print_verdict(const struct rmx_check_result *r, int rc)
{
	if (rc != RMX_OK) {
		printf("check could not run: %s", rmx_strerror(rc));
		return;
	}
	printf("%s method=%s entry=\"", rmx_result_str(r->result),
		rmx_method_str(r->method));
	print_flat(r->entry);
	fputs("\"", stdout);
	if (r->explanation[0] != '\0') {
		fputs(" explanation=\"", stdout);
		print_flat(r->explanation);
		fputs("\"", stdout);
	}
	fputs(" reason=\"", stdout);
	print_flat(r->reason);
	fputs("\"", stdout);
}

struct compare_counts {
	unsigned passed, failed, excluded;
};

/*
 * Run each test of sc on the zone (marks ignored) and on the server; count
 * and print.  CLI exit code: only usage problems (a bad method list) are
 * errors here, differences are counted.
 */
static int compare_scenario(const struct rmx_suite_scenario *sc,
	const struct rmx_suite_run_options *server_opt,
	const struct rmx_suite_exceptions *ex, bool verbose,
	struct compare_counts *cnt)
{
	struct rmx_suite_run_options zone_opt = *server_opt;
	struct rmx_check_result zr, sr;
	struct rmx_diag diag;
	size_t i;

	zone_opt.resolver = NULL;
	rmx_zone_set_ignore_marks(sc->zone, true);
	for (i = 0; i < sc->ntests; i++) {
		const struct rmx_suite_test *t = &sc->tests[i];
		const char *excluded = rmx_suite_exceptions_reason(ex,
			t->name);
		int zrc, src;

		if (excluded != NULL) {
			fputs("EXCLUDED ", stdout);
			print_scenario_test(sc, t);
			fputs(": ", stdout);
			print_flat(excluded);
			putchar('\n');
			cnt->excluded++;
			continue;
		}
		rmx_diag_clear(&diag);
		zrc = rmx_suite_check_test(sc, t, &zone_opt, &zr, &diag);
		if (zrc == RMX_EINVAL && diag.msg[0] != '\0') {
			rmx_zone_set_ignore_marks(sc->zone, false);
			return cli_usage("suite", "%s", diag.msg);
		}
		src = rmx_suite_check_test(sc, t, server_opt, &sr, NULL);
		if (zrc == RMX_OK && src == RMX_OK &&
		    verdicts_agree(&zr, &sr)) {
			cnt->passed++;
			if (verbose) {
				fputs("PASS ", stdout);
				print_scenario_test(sc, t);
				fputs(": both ", stdout);
				print_verdict(&zr, zrc);
				putchar('\n');
			}
			continue;
		}
		cnt->failed++;
		fputs("FAIL ", stdout);
		print_scenario_test(sc, t);
		fputs(": zone: ", stdout);
		print_verdict(&zr, zrc);
		fputs(" | server: ", stdout);
		print_verdict(&sr, src);
		putchar('\n');
	}
	rmx_zone_set_ignore_marks(sc->zone, false);
	return CLI_EXIT_OK;
}

/* ---- the command ---- */

struct suite_args {
	struct rmx_suite_run_options opt;
	const char *exc_path, *excl_path, *out_path, *server;
	unsigned long export_n, scenario_n, timeout_ms;
	bool verbose, list, compare, timeout_given;
	char **files;
	int nfiles;
};

static int list_scenarios(const struct rmx_suite *suite)
{
	size_t i;

	for (i = 0; i < suite->nscenarios; i++) {
		printf("%zu %zu ", i + 1, suite->scenarios[i].ntests);
		print_flat(suite->scenarios[i].description);
		putchar('\n');
	}
	return CLI_EXIT_OK;
}

static int export_scenario(const struct rmx_suite *suite,
	const struct suite_args *a)
{
	struct rmx_diag diag;
	FILE *out = stdout;
	int rc;

	if (a->export_n > suite->nscenarios)
		return cli_usage("suite", "--export-zone %lu: %s has %zu "
			"scenarios", a->export_n, a->files[0],
			suite->nscenarios);
	if (a->out_path != NULL) {
		out = fopen(a->out_path, "w");
		if (out == NULL)
			return cli_input_error("%s: %s", a->out_path,
				strerror(errno));
	}
	rc = rmx_suite_export_zone(&suite->scenarios[a->export_n - 1], out,
		&diag);
	if (out != stdout && fclose(out) != 0 && rc == RMX_OK) {
		rc = RMX_EIO;
		snprintf(diag.msg, sizeof(diag.msg), "%s", strerror(errno));
	}
	if (rc != RMX_OK)
		return cli_input_error("%s: %s", a->out_path != NULL ?
			a->out_path : "stdout", diag.msg[0] != '\0' ?
			diag.msg : rmx_strerror(rc));
	return CLI_EXIT_OK;
}

/* --scenario N, in memory or through --server, compared or not. */
static int run_scenario(const struct rmx_suite *suite, struct suite_args *a,
	struct printer *pr)
{
	struct rmx_resolver *res = NULL;
	struct rmx_suite_exceptions *ex = NULL;
	struct compare_counts cnt = {0};
	struct rmx_diag diag;
	int rc = CLI_EXIT_OK, lrc;

	if (a->scenario_n > suite->nscenarios)
		return cli_usage("suite", "--scenario %lu: %s has %zu "
			"scenarios", a->scenario_n, a->files[0],
			suite->nscenarios);
	a->opt.only = &suite->scenarios[a->scenario_n - 1];
	if (a->excl_path != NULL) {
		rmx_diag_clear(&diag);
		lrc = rmx_suite_exclusions_load(a->excl_path, &ex, &diag);
		if (lrc != RMX_OK)
			return cli_input_error("%s", diag.msg[0] != '\0' ?
				diag.msg : rmx_strerror(lrc));
	}
	if (a->server != NULL) {
		struct rmx_unbound_options uo;

		rmx_unbound_options_init(&uo);
		uo.server = a->server;
		uo.stub = false;
		uo.query_timeout_ms = (unsigned)a->timeout_ms;
		rmx_diag_clear(&diag);
		lrc = rmx_unbound_new(&uo, &res, &diag);
		if (lrc != RMX_OK) {
			rmx_suite_exceptions_free(ex);
			return lrc == RMX_EINVAL ? cli_usage("suite",
				"--server: %s", diag.msg) :
				cli_input_error("%s", diag.msg[0] != '\0' ?
				diag.msg : rmx_strerror(lrc));
		}
		a->opt.resolver = res;
	}
	if (a->compare) {
		rc = compare_scenario(a->opt.only, &a->opt, ex, pr->verbose,
			&cnt);
	} else {
		rmx_diag_clear(&diag);
		lrc = rmx_suite_run(suite, &a->opt, report_outcome, pr,
			&cnt.passed, &cnt.failed, &diag);
		if (lrc != RMX_OK)
			rc = cli_usage("suite", "%s", diag.msg);
	}
	rmx_resolver_free(res);
	rmx_suite_exceptions_free(ex);
	if (rc != CLI_EXIT_OK)
		return rc;
	if (a->compare)
		printf("%u excluded\n", cnt.excluded);
	printf("%u passed, %u failed\n", cnt.passed, cnt.failed);
	return cnt.failed > 0 ? CLI_EXIT_INPUT : CLI_EXIT_OK;
}

static int run_files(struct suite_args *a, struct printer *pr)
{
	unsigned passed = 0, failed = 0;
	struct rmx_diag diag;
	int i, rc = CLI_EXIT_OK;

	for (i = 0; i < a->nfiles && rc == CLI_EXIT_OK; i++) {
		struct rmx_suite *suite = NULL;
		int lrc;

		rmx_diag_clear(&diag);
		lrc = rmx_suite_load_file(a->files[i], a->opt.rr_type, &suite,
			&diag);
		if (lrc != RMX_OK) {
			fflush(stdout);
			rc = cli_input_error("%s", diag.msg[0] != '\0' ?
				diag.msg : rmx_strerror(lrc));
			break;
		}
		if (a->list) {
			rc = list_scenarios(suite);
		} else if (a->export_n != 0) {
			rc = export_scenario(suite, a);
		} else if (a->scenario_n != 0) {
			rc = run_scenario(suite, a, pr);
			rmx_suite_free(suite);
			return rc; /* it printed its own summary */
		} else {
			lrc = rmx_suite_run(suite, &a->opt, report_outcome, pr,
				&passed, &failed, &diag);
			if (lrc != RMX_OK)
				rc = cli_usage("suite", "%s", diag.msg);
		}
		rmx_suite_free(suite);
	}
	if (rc != CLI_EXIT_OK || a->list || a->export_n != 0)
		return rc;
	printf("%u passed, %u failed\n", passed, failed);
	return failed > 0 ? CLI_EXIT_INPUT : CLI_EXIT_OK;
}

/* Options that take a value; *target gets it.  CLI exit code. */
static int take_value(int argc, char **argv, int *i, const char **target)
{
	if (*i + 1 == argc)
		return cli_usage("suite", "%s needs a value", argv[*i]);
	*target = argv[++*i];
	return CLI_EXIT_OK;
}

static int take_number(int argc, char **argv, int *i, unsigned long min,
	unsigned long max, unsigned long *target)
{
	const char *v = NULL;
	const char *opt = argv[*i];

	if (take_value(argc, argv, i, &v) != CLI_EXIT_OK)
		return CLI_EXIT_USAGE;
	if (cli_parse_uint(v, min, max, target) != 0)
		return cli_usage("suite", "%s: '%s' is not a number from %lu "
			"to %lu", opt, v, min, max);
	return CLI_EXIT_OK;
}

static int parse_args(int argc, char **argv, struct suite_args *a,
	bool *help)
{
	bool opts_done = false;
	int i, rc = CLI_EXIT_OK;

	for (i = 1; i < argc && rc == CLI_EXIT_OK; i++) {
		const char *o = argv[i];

		if (opts_done || o[0] != '-' || o[1] == '\0')
			a->files[a->nfiles++] = argv[i];
		else if (strcmp(o, "--") == 0)
			opts_done = true;
		else if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
			*help = true;
			return CLI_EXIT_OK;
		} else if (strcmp(o, "--verbose") == 0 || strcmp(o, "-v") == 0)
			a->verbose = true;
		else if (strcmp(o, "--list") == 0)
			a->list = true;
		else if (strcmp(o, "--compare") == 0)
			a->compare = true;
		else if (strcmp(o, "--method") == 0)
			rc = take_value(argc, argv, &i, &a->opt.methods);
		else if (strcmp(o, "--exceptions") == 0)
			rc = take_value(argc, argv, &i, &a->exc_path);
		else if (strcmp(o, "--exclusions") == 0)
			rc = take_value(argc, argv, &i, &a->excl_path);
		else if (strcmp(o, "-o") == 0)
			rc = take_value(argc, argv, &i, &a->out_path);
		else if (strcmp(o, "--server") == 0)
			rc = take_value(argc, argv, &i, &a->server);
		else if (strcmp(o, "--export-zone") == 0)
			rc = take_number(argc, argv, &i, 1, 1000000,
				&a->export_n);
		else if (strcmp(o, "--scenario") == 0)
			rc = take_number(argc, argv, &i, 1, 1000000,
				&a->scenario_n);
		else if (strcmp(o, "--timeout") == 0) {
			rc = take_number(argc, argv, &i, 1, 600000,
				&a->timeout_ms);
			a->timeout_given = true;
		}
		else
			rc = cli_usage("suite", "unknown option '%s'", o);
	}
	return rc;
}

/* Options that do not go together.  CLI exit code. */
static int check_combination(const struct suite_args *a)
{
	bool one_scenario = a->list || a->export_n != 0 || a->scenario_n != 0;

	if (a->nfiles == 0)
		return cli_usage("suite", "no suite file given");
	if ((a->list ? 1 : 0) + (a->export_n != 0 ? 1 : 0) +
	    (a->scenario_n != 0 ? 1 : 0) > 1)
		return cli_usage("suite", "--list, --export-zone and "
			"--scenario exclude each other");
	if (one_scenario && a->nfiles != 1)
		return cli_usage("suite", "--list, --export-zone and "
			"--scenario take one suite file");
	if (a->out_path != NULL && a->export_n == 0)
		return cli_usage("suite", "-o goes with --export-zone");
	if (a->server != NULL && a->scenario_n == 0)
		return cli_usage("suite", "--server needs --scenario N (a "
			"server serves one scenario's zone)");
	if (a->compare && a->server == NULL)
		return cli_usage("suite", "--compare needs --server");
	if (a->excl_path != NULL && !a->compare)
		return cli_usage("suite", "--exclusions goes with --compare");
	if (a->timeout_given && a->server == NULL)
		return cli_usage("suite", "--timeout goes with --server");
	return CLI_EXIT_OK;
}

int cmd_suite(int argc, char **argv)
{
	struct suite_args a;
	struct rmx_suite_exceptions *exc = NULL;
	struct printer pr = {false};
	struct rmx_diag diag;
	bool help = false;
	int rc;

	memset(&a, 0, sizeof(a));
	rmx_suite_run_options_init(&a.opt);
	a.timeout_ms = SUITE_QUERY_TIMEOUT_MS;
	a.files = calloc((size_t)argc, sizeof(*a.files));
	if (a.files == NULL)
		return cli_input_error("out of memory");
	rc = parse_args(argc, argv, &a, &help);
	if (rc == CLI_EXIT_OK && help) {
		free(a.files);
		print_help();
		return CLI_EXIT_OK;
	}
	if (rc == CLI_EXIT_OK)
		rc = check_combination(&a);
	if (rc == CLI_EXIT_OK && a.opt.methods != NULL) {
		struct rmx_config probe;

		rmx_config_init(&probe);
		rmx_diag_clear(&diag);
		if (rmx_config_set_methods(&probe, a.opt.methods, &diag) !=
		    RMX_OK)
			rc = cli_usage("suite", "--method: %s",
				diag.msg[0] != '\0' ? diag.msg :
				"expected rmx,spf | rmx | spf | spf,rmx");
	}
	if (rc == CLI_EXIT_OK && a.exc_path != NULL) {
		int lrc;

		rmx_diag_clear(&diag);
		lrc = rmx_suite_exceptions_load(a.exc_path, &exc, &diag);
		if (lrc != RMX_OK)
			rc = cli_input_error("%s", diag.msg[0] != '\0' ?
				diag.msg : rmx_strerror(lrc));
		a.opt.exceptions = exc;
	}
	pr.verbose = a.verbose;
	if (rc == CLI_EXIT_OK)
		rc = run_files(&a, &pr);
	rmx_suite_exceptions_free(exc);
	free(a.files);
	return rc;
}

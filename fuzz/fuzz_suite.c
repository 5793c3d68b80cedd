/*
 * fuzz_suite.c - libFuzzer target: the YAML suite loader (rmx/suite.h),
 * and running what it loads.
 *
 * Input: the YAML text, given to rmx_suite_load_string (not
 * NUL-terminated: a buffer of exactly its size).
 *
 * Properties:
 *   - the loader returns RMX_OK, RMX_EMALFORMED or RMX_ENOMEM; on error
 *     diag->msg is terminated and starts with the name given ("fuzz:");
 *   - a loaded suite is consistent: every scenario has a zone, test
 *     fields are non-NULL strings (receiver and explanation may be NULL),
 *     1 <= nresults <= RMX_SUITE_RESULTS_MAX with results in the enum;
 *   - a small suite (<= 32 tests) runs: rmx_suite_run returns RMX_OK,
 *     reports each test once with a valid result, and passed + failed
 *     grows by the number of tests;
 *   - rmx_suite_free releases everything (LeakSanitizer).
 */
#include <rmx/record.h>
#include <rmx/suite.h>

#include "fuzz_util.h"

#define RUN_TESTS_MAX 32

struct tally {
	size_t reports;
};

static void on_outcome(void *arg, const struct rmx_suite_outcome *o)
{
	struct tally *t = arg;

	t->reports++;
	FUZZ_ASSERT(o->suite != NULL && o->scenario != NULL &&
		o->test != NULL, "outcome without suite/scenario/test");
	if (o->error == RMX_OK) {
		FUZZ_ASSERT(o->result != NULL, "outcome without a result");
		fuzz_check_result(o->result);
	}
	if (o->by_exception)
		FUZZ_ASSERT(o->passed, "passed by exception but not passed");
}

static size_t check_suite(const struct rmx_suite *s)
{
	size_t i, j, k, ntests = 0;

	FUZZ_ASSERT(s->path != NULL, "suite without path");
	FUZZ_ASSERT(s->nscenarios == 0 || s->scenarios != NULL,
		"scenarios NULL");
	for (i = 0; i < s->nscenarios; i++) {
		const struct rmx_suite_scenario *sc = &s->scenarios[i];

		FUZZ_ASSERT(sc->description != NULL && sc->zone != NULL,
			"scenario %zu without description or zone", i);
		FUZZ_ASSERT(sc->ntests == 0 || sc->tests != NULL,
			"scenario %zu tests NULL", i);
		for (j = 0; j < sc->ntests; j++) {
			const struct rmx_suite_test *t = &sc->tests[j];

			FUZZ_ASSERT(t->name != NULL && t->spec != NULL &&
				t->helo != NULL && t->host != NULL &&
				t->mailfrom != NULL,
				"scenario %zu test %zu: NULL field", i, j);
			FUZZ_ASSERT(t->nresults >= 1 &&
				t->nresults <= RMX_SUITE_RESULTS_MAX,
				"test %s: nresults %u", t->name, t->nresults);
			for (k = 0; k < t->nresults; k++)
				FUZZ_ASSERT((unsigned)t->results[k] <=
					RMX_RESULT_PERMERROR,
					"test %s: result %d", t->name,
					(int)t->results[k]);
		}
		ntests += sc->ntests;
	}
	return ntests;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rmx_suite_run_options opt;
	struct rmx_suite *suite = NULL;
	struct rmx_diag diag;
	struct tally t = {0};
	unsigned passed = 0, failed = 0;
	size_t ntests;
	char *text;
	int rc;

	if (size > 64 * 1024)
		return 0;
	text = malloc(size > 0 ? size : 1);
	if (text == NULL)
		abort();
	if (size > 0)
		memcpy(text, data, size);
	memset(&diag, 0, sizeof(diag));
	rc = rmx_suite_load_string(text, size, "fuzz", RMX_TYPE_DEFAULT,
		&suite, &diag);
	FUZZ_ASSERT(rc == RMX_OK || rc == RMX_EMALFORMED || rc == RMX_ENOMEM,
		"rmx_suite_load_string returned %d (%s)", rc, diag.msg);
	if (rc != RMX_OK) {
		fuzz_check_diag(&diag, "rmx_suite_load_string");
		FUZZ_ASSERT(strncmp(diag.msg, "fuzz:", 5) == 0,
			"diag does not start with the name: \"%s\"", diag.msg);
		free(text);
		return 0;
	}
	FUZZ_ASSERT(suite != NULL, "RMX_OK without a suite");
	ntests = check_suite(suite);
	if (ntests <= RUN_TESTS_MAX) {
		rmx_suite_run_options_init(&opt);
		rc = rmx_suite_run(suite, &opt, on_outcome, &t, &passed,
			&failed, &diag);
		FUZZ_ASSERT(rc == RMX_OK, "rmx_suite_run returned %d (%s)", rc,
			diag.msg);
		FUZZ_ASSERT(t.reports == ntests,
			"%zu tests, %zu reports", ntests, t.reports);
		FUZZ_ASSERT(passed + failed == ntests,
			"%zu tests, %u passed + %u failed", ntests, passed,
			failed);
	}
	rmx_suite_free(suite);
	free(text);
	return 0;
}

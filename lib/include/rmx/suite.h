/*
 * rmx/suite.h - conformance suites in the OpenSPF YAML format, extended
 * with RMX record kinds, and a runner for them.
 *
 * A suite file is a stream of YAML documents; each document is a scenario:
 * a `description` (or `comment`), `tests` (name -> request and expected
 * result) and `zonedata` (name -> list of records, or the markers TIMEOUT
 * and SERVFAIL).  Record kinds: TXT SPF A AAAA MX PTR CNAME, and for RMX:
 * RMX (presentation text), RMX_WIRE (hex RDATA, stored unvalidated), APL.
 * tests/conformance/README.md documents the format and the runner.
 *
 * Loading builds one struct rmx_zone per scenario.  Everything a loaded
 * suite holds belongs to it and lives until rmx_suite_free().
 *
 * The runner runs each test through rmx_check_run() on its scenario's zone
 * (or on another resolver, e.g. libunbound against a server that serves the
 * zone) and reports each outcome to a callback; it never prints.  A
 * scenario's zone can be exported as a master file for such a server.
 */
#ifndef RMX_SUITE_H
#define RMX_SUITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <rmx/error.h>
#include <rmx/check.h>
#include <rmx/zone.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RMX_SUITE_RESULTS_MAX 7 /* one of each enum rmx_result */

struct rmx_suite_test {
	const char *name;
	const char *spec;          /* "4.3/1", a list joined by ", ", or "" */
	const char *helo;          /* "" when absent */
	const char *host;          /* client IP as written */
	const char *mailfrom;      /* "" for the null sender */
	const char *receiver;      /* pyspf's `receiver`, or NULL */
	enum rmx_result results[RMX_SUITE_RESULTS_MAX]; /* acceptable */
	unsigned nresults;         /* >= 1 */
	const char *explanation;   /* expected exp= text on fail, or NULL */
	size_t line;               /* line of the test's name in the file */
};

struct rmx_suite_scenario {
	const char *description;   /* description or comment, or "" */
	size_t line;               /* line where the document starts */
	struct rmx_zone *zone;     /* owned by the suite */
	bool has_rmx_data;         /* holds RMX, RMX_WIRE or APL records */
	const struct rmx_suite_test *tests;
	size_t ntests;
};

struct rmx_suite {
	const char *path;          /* as given to the loader */
	const struct rmx_suite_scenario *scenarios;
	size_t nscenarios;
};

/*
 * Load a suite from a file, or from text in memory (name is used in
 * messages).  rr_type is the type code RMX records get in the zones
 * (RMX_TYPE_DEFAULT normally).  On error: RMX_EMALFORMED (YAML does not
 * parse, or a value is wrong) with diag->line and diag->msg
 * "NAME:LINE: what is wrong"; RMX_ENOTFOUND / RMX_EIO for the file;
 * RMX_ENOMEM.  Free with rmx_suite_free().
 */
int rmx_suite_load_file(const char *path, uint16_t rr_type,
	struct rmx_suite **out, struct rmx_diag *diag);
int rmx_suite_load_string(const char *text, size_t len, const char *name,
	uint16_t rr_type, struct rmx_suite **out, struct rmx_diag *diag);
void rmx_suite_free(struct rmx_suite *suite);

/* ---- exceptions: known, accepted deviations ---- */

struct rmx_suite_exceptions;
/*
 * Read an exceptions file: lines "TESTNAME RESULT REASON..." ('#' starts
 * a comment line; blank lines are ignored).  RMX_EMALFORMED with
 * "PATH:LINE: ..." for a line without a reason or with an unknown result.
 */
int rmx_suite_exceptions_load(const char *path,
	struct rmx_suite_exceptions **out, struct rmx_diag *diag);
/*
 * Read an exclusions file (tests `rmx suite --compare` does not compare):
 * lines "TESTNAME REASON...", same rules, into the same structure (no
 * result).
 */
int rmx_suite_exclusions_load(const char *path,
	struct rmx_suite_exceptions **out, struct rmx_diag *diag);
/* The reason listed for a test, or NULL when the list (may be NULL) does
 * not name it. */
const char *rmx_suite_exceptions_reason(
	const struct rmx_suite_exceptions *exc, const char *name);
void rmx_suite_exceptions_free(struct rmx_suite_exceptions *exc);

/* ---- running ---- */

struct rmx_suite_run_options {
	/* "rmx,spf" etc. for every test; NULL: "rmx,spf" for scenarios with
	 * RMX data, "spf" for the others. */
	const char *methods;
	const struct rmx_suite_exceptions *exceptions; /* may be NULL */
	uint16_t rr_type;          /* RMX type code for the check */
	/* Run only this scenario (one of suite->scenarios); NULL: all. */
	const struct rmx_suite_scenario *only;
	/* Run the checks on this resolver (e.g. libunbound against a server
	 * that serves the scenario's zone, rmx_suite_export_zone) instead of
	 * each scenario's in-memory zone; NULL: the zone.  It is used by one
	 * scenario after another: give `only` with it, as a resolver caches. */
	struct rmx_resolver *resolver;
};
void rmx_suite_run_options_init(struct rmx_suite_run_options *opt);

struct rmx_suite_outcome {
	const struct rmx_suite *suite;
	const struct rmx_suite_scenario *scenario;
	const struct rmx_suite_test *test;
	const struct rmx_check_result *result;
	bool passed;
	/* The result was not acceptable, but an exception allowed it; passed
	 * is true and exception_reason says why. */
	bool by_exception;
	const char *exception_reason;
	/* Result acceptable, but the explanation differed (passed false). */
	bool explanation_mismatch;
	int error;                 /* RMX_OK, or why the check could not run */
};

typedef void rmx_suite_report_fn(void *arg,
	const struct rmx_suite_outcome *outcome);

/*
 * Run every test of the suite, calling report (may be NULL) once per test,
 * and add to *passed and *failed.  Returns RMX_OK, or RMX_EINVAL for bad
 * options (diag set: e.g. a bad method list).  A test whose check cannot
 * run (e.g. RMX_ENOMEM) counts as failed, with outcome->error set.
 */
int rmx_suite_run(const struct rmx_suite *suite,
	const struct rmx_suite_run_options *opt, rmx_suite_report_fn *report,
	void *arg, unsigned *passed, unsigned *failed, struct rmx_diag *diag);

/*
 * Run the check of one test of a scenario (as rmx_suite_run does, on
 * opt->resolver or the scenario's zone; opt->only and opt->exceptions play
 * no part) and fill *out.  Returns what rmx_check_run returned, or
 * RMX_EINVAL for a bad method list (diag set).  For comparing backends.
 */
int rmx_suite_check_test(const struct rmx_suite_scenario *sc,
	const struct rmx_suite_test *t, const struct rmx_suite_run_options *opt,
	struct rmx_check_result *out, struct rmx_diag *diag);

/* Whether result r is one the test accepts. */
bool rmx_suite_result_expected(const struct rmx_suite_test *t,
	enum rmx_result r);

/* ---- export ---- */

/*
 * Write a scenario's zone data as an RFC 1035 master file for the root
 * zone ".", so that one authoritative server (NSD) serves the whole
 * scenario:
 *   - an SOA and an NS RR at the apex (names under RMX_SUITE_EXPORT_NS,
 *     which no suite uses), then
 *   - every RR of the zone in RFC 3597 generic form
 *     "owner TTL IN TYPE<n> \# LEN HEX", byte for byte as the in-memory
 *     zone serves it (owners lower-cased, as the zone keeps them; RDATA,
 *     names in it included, unchanged; malformed RMX_WIRE data too).
 * A TXT or SPF RR with empty RDATA (no character-string: illegal, and
 * NSD refuses it) is written as a comment line "; not served (...): RR".
 * TIMEOUT and SERVFAIL marks cannot be served and are left out (a
 * comment at the top says so; rmx_zone_set_ignore_marks gives the
 * in-memory answers that match).  RRs come grouped by owner, the RRs of an
 * RRset in zone order.
 * Returns RMX_OK, RMX_EINVAL (NULL argument), RMX_EIO when writing fails
 * (diag says so), RMX_ENOMEM.
 */
#define RMX_SUITE_EXPORT_NS "ns.rmx-suite-export."
int rmx_suite_export_zone(const struct rmx_suite_scenario *sc, FILE *out,
	struct rmx_diag *diag);

#ifdef __cplusplus
}
#endif
#endif

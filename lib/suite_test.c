/*
 * suite_test.c - the suite loader and runner (suite.c): zone data
 * conventions (SPF served as TXT, TXT: NONE, character-string splitting,
 * markers, RMX kinds), YAML and value errors with lines, exceptions, and a
 * small run through rmx_check_run.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <rmx/rmx.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct seen {
	int calls;
	enum rmx_dns_status status;
	size_t count;
	uint8_t rdata[4][600];
	size_t rdlen[4];
};

static void record_answer(void *arg, const struct rmx_dns_answer *a)
{
	struct seen *s = arg;
	size_t i;

	s->calls++;
	s->status = a->status;
	s->count = a->count;
	for (i = 0; i < a->count && i < 4; i++) {
		assert_true(a->rr[i].rdlen <= sizeof(s->rdata[i]));
		memcpy(s->rdata[i], a->rr[i].rdata, a->rr[i].rdlen);
		s->rdlen[i] = a->rr[i].rdlen;
	}
}

static struct seen ask(struct rmx_zone *z, const char *name, uint16_t type)
{
	struct rmx_resolver *r = rmx_zone_resolver(z);
	static struct seen s;
	rmx_query_id id;

	memset(&s, 0, sizeof(s));
	assert_int_equal(rmx_resolver_query(r, name, type, record_answer, &s,
		&id), RMX_OK);
	assert_int_equal(rmx_resolver_process(r, 0), 1);
	assert_int_equal(s.calls, 1);
	return s;
}

static const char small_suite[] =
	"# a comment\n"
	"---\n"
	"description: SPF things\n"
	"tests:\n"
	"  first:\n"
	"    description: ignored\n"
	"    spec: 4.4/1\n"
	"    helo: mail.example.net\n"
	"    host: 192.0.2.1\n"
	"    mailfrom: foo@spf.example.net\n"
	"    result: [fail, permerror]\n"
	"    explanation: go away\n"
	"    header: ignored too\n"
	"  second:\n"
	"    spec: [4.3/1, 5/10/3]\n"
	"    host: 192.0.2.2\n"
	"    mailfrom: ''\n"
	"    result: none\n"
	"zonedata:\n"
	"  spf.example.net:\n"
	"    - SPF: v=spf1 -all\n"
	"  both.example.net:\n"
	"    - SPF: v=spf1 -all\n"
	"    - TXT: other\n"
	"  nonetxt.example.net:\n"
	"    - SPF: v=spf1 -all\n"
	"    - TXT: NONE\n"
	"    - TIMEOUT\n"
	"  multi.example.net:\n"
	"    - TXT: [ 'v=spf1 ', '-all' ]\n"
	"    - TXT: [ ]\n"
	"  mx.example.net:\n"
	"    - MX: [10, mail.example.net]\n"
	"    - MX: [0, \"\"]\n"
	"    - A: 192.0.2.7\n"
	"    - AAAA: 2001:db8::7\n"
	"  cname.example.net:\n"
	"    - CNAME: mx.example.net.\n"
	"  sf.example.net:\n"
	"    - SERVFAIL\n"
	"---\n"
	"comment: RMX things\n"
	"tests:\n"
	"  third:\n"
	"    host: 192.0.2.3\n"
	"    mailfrom: a@example.com\n"
	"    result: pass\n"
	"zonedata:\n"
	"  example.com:\n"
	"    - RMX: ip4:192.0.2.0/24 host:relay.example.net.\n"
	"  broken.example.com:\n"
	"    - RMX_WIRE: 0121c0\n"
	"  john\\.doe.example.com:\n"
	"    - RMX_WIRE: \"\\\\# 2 0600\"\n"
	"  _senders.example.com:\n"
	"    - APL: 1:192.0.2.0/24 !1:192.0.2.66/32\n";

static void test_load_small(void **state)
{
	struct rmx_suite *su = NULL;
	struct rmx_diag diag;
	const struct rmx_suite_scenario *sc;
	const struct rmx_suite_test *t;
	struct rmx_zone *z;
	struct seen s;
	uint8_t want[128];
	size_t wantlen;

	(void)state;
	assert_int_equal(rmx_suite_load_string(small_suite,
		strlen(small_suite), "small.yml", RMX_TYPE_DEFAULT, &su, &diag),
		RMX_OK);
	assert_string_equal(su->path, "small.yml");
	assert_int_equal(su->nscenarios, 2);
	sc = &su->scenarios[0];
	assert_string_equal(sc->description, "SPF things");
	assert_false(sc->has_rmx_data);
	assert_int_equal(sc->ntests, 2);
	t = &sc->tests[0];
	assert_string_equal(t->name, "first");
	assert_string_equal(t->spec, "4.4/1");
	assert_string_equal(t->helo, "mail.example.net");
	assert_string_equal(t->host, "192.0.2.1");
	assert_string_equal(t->mailfrom, "foo@spf.example.net");
	assert_int_equal(t->nresults, 2);
	assert_int_equal(t->results[0], RMX_RESULT_FAIL);
	assert_int_equal(t->results[1], RMX_RESULT_PERMERROR);
	assert_string_equal(t->explanation, "go away");
	assert_null(t->receiver);
	assert_int_equal(t->line, 5);
	t = &sc->tests[1];
	assert_string_equal(t->spec, "4.3/1, 5/10/3");
	assert_string_equal(t->helo, "");
	assert_string_equal(t->mailfrom, "");
	assert_null(t->explanation);

	z = sc->zone;
	/* SPF only: served as SPF and as TXT */
	s = ask(z, "spf.example.net", RMX_RR_SPF);
	assert_int_equal(s.status, RMX_DNS_OK);
	s = ask(z, "spf.example.net", RMX_RR_TXT);
	assert_int_equal(s.status, RMX_DNS_OK);
	assert_int_equal(s.rdlen[0], 12);
	assert_memory_equal(s.rdata[0], "\x0bv=spf1 -all", 12);
	/* a TXT entry of its own: no copy */
	s = ask(z, "both.example.net", RMX_RR_TXT);
	assert_int_equal(s.count, 1);
	assert_memory_equal(s.rdata[0], "\x05other", 6);
	/* TXT: NONE: no TXT and no copy; TIMEOUT then applies */
	s = ask(z, "nonetxt.example.net", RMX_RR_TXT);
	assert_int_equal(s.status, RMX_DNS_TIMEOUT);
	s = ask(z, "nonetxt.example.net", RMX_RR_SPF);
	assert_int_equal(s.status, RMX_DNS_OK);
	/* a list is one RR of several strings; [] an RR without strings */
	s = ask(z, "multi.example.net", RMX_RR_TXT);
	assert_int_equal(s.count, 2);
	assert_int_equal(s.rdlen[0], 13);
	assert_memory_equal(s.rdata[0], "\x07v=spf1 \x04-all", 13);
	assert_int_equal(s.rdlen[1], 0);
	s = ask(z, "mx.example.net", RMX_RR_MX);
	assert_int_equal(s.count, 2);
	assert_int_equal(s.rdlen[0], 2 + 18);
	assert_memory_equal(s.rdata[0], "\x00\x0a\x04mail\x07" "example\x03net",
		20);
	assert_int_equal(s.rdlen[1], 3);
	assert_memory_equal(s.rdata[1], "\x00\x00\x00", 3);
	s = ask(z, "cname.example.net", RMX_RR_AAAA);
	assert_int_equal(s.status, RMX_DNS_OK);
	assert_int_equal(s.rdlen[0], 16);
	s = ask(z, "sf.example.net", RMX_RR_TXT);
	assert_int_equal(s.status, RMX_DNS_FAIL);
	s = ask(z, "example.net", RMX_RR_TXT);
	assert_int_equal(s.status, RMX_DNS_NODATA);

	sc = &su->scenarios[1];
	assert_string_equal(sc->description, "RMX things");
	assert_true(sc->has_rmx_data);
	z = sc->zone;
	s = ask(z, "example.com", RMX_TYPE_DEFAULT);
	assert_int_equal(rmx_rdata_from_text(
		"ip4:192.0.2.0/24 host:relay.example.net.", NULL, want,
		sizeof(want), &wantlen, NULL), RMX_OK);
	assert_int_equal(s.rdlen[0], wantlen);
	assert_memory_equal(s.rdata[0], want, wantlen);
	/* malformed on purpose, stored raw */
	s = ask(z, "broken.example.com", RMX_TYPE_DEFAULT);
	assert_int_equal(s.rdlen[0], 3);
	assert_memory_equal(s.rdata[0], "\x01\x21\xc0", 3);
	s = ask(z, "john\\.doe.example.com", RMX_TYPE_DEFAULT);
	assert_int_equal(s.rdlen[0], 2);
	s = ask(z, "_senders.example.com", RMX_RR_APL);
	assert_int_equal(s.status, RMX_DNS_OK);
	assert_int_equal(rmx_apl_from_text("1:192.0.2.0/24 !1:192.0.2.66/32",
		want, sizeof(want), &wantlen, NULL), RMX_OK);
	assert_int_equal(s.rdlen[0], wantlen);
	assert_memory_equal(s.rdata[0], want, wantlen);
	rmx_suite_free(su);
}

static void test_long_txt_split(void **state)
{
	static char yaml[2000];
	struct rmx_suite *su = NULL;
	struct rmx_diag diag;
	struct seen s;
	int n;

	(void)state;
	n = sprintf(yaml, "description: long\ntests:\n  t:\n    host: 1.2.3.4\n"
		"    mailfrom: a@b.example\n    result: none\nzonedata:\n"
		"  long.example:\n    - TXT: \"");
	memset(yaml + n, 'x', 300);
	strcpy(yaml + n + 300, "\"\n");
	assert_int_equal(rmx_suite_load_string(yaml, strlen(yaml), NULL,
		RMX_TYPE_DEFAULT, &su, &diag), RMX_OK);
	s = ask(su->scenarios[0].zone, "long.example", RMX_RR_TXT);
	assert_int_equal(s.rdlen[0], 302);
	assert_int_equal(s.rdata[0][0], 255);
	assert_int_equal(s.rdata[0][256], 45);
	rmx_suite_free(su);
}

static void test_errors_with_lines(void **state)
{
	static const struct {
		const char *yaml;
		size_t line;
		const char *needle;
	} cases[] = {
		/* YAML syntax */
		{"description: x\ntests:\n  a: [1, 2\nzonedata: {}\n", 4,
		 "YAML"},
		{"description: x\ntests:\n  a:\n    host: 1.2.3.4\n"
		 "   bad: indent\n", 5, "YAML"},
		/* values */
		{"tests:\n  a:\n    host: 1.2.3.4\n    mailfrom: x@y.z\n"
		 "    result: maybe\n", 5, "not a result"},
		{"tests:\n  a:\n    host: 1.2.3.4\n    result: pass\n", 2,
		 "needs host"},
		{"tests: {}\nzonedata:\n  x.example:\n    - A: 1.2.3\n", 4,
		 "IPv4"},
		{"tests: {}\nzonedata:\n  x.example:\n    - AAAA: 1.2.3.4\n", 4,
		 "IPv6"},
		{"tests: {}\nzonedata:\n  x.example:\n    - HINFO: x\n", 4,
		 "zonedata item"},
		{"tests: {}\nzonedata:\n  x.example:\n\n    - MX: [a, b.c]\n", 5,
		 "priority"},
		{"tests: {}\nzonedata:\n  x.example:\n    - RMX: ip4:1.2.3.4/40\n",
		 4, "RMX"},
		{"tests: {}\nzonedata:\n  x.example:\n    - RMX_WIRE: 0g\n", 4,
		 "RMX_WIRE"},
		/* the codec quotes the bad entry or item: once is enough */
		{"tests: {}\nzonedata:\n  x.example:\n"
		 "    - RMX: mx ip4:1.2.3.4/40\n", 4,
		 "bad.yml:4: RMX: 'ip4:1.2.3.4/40': prefix 40 out of range"},
		{"tests: {}\nzonedata:\n  x.example:\n"
		 "    - APL: 1:1.2.3.0/24 1:1.2.3.0/40\n", 4,
		 "bad.yml:4: APL: '1:1.2.3.0/40': prefix out of range"},
		{"tests: {}\nzonedata:\n  x.example:\n    - RMX_WIRE: 0g\n", 4,
		 "bad.yml:4: RMX_WIRE '0g': odd number of hex digits"},
		{"tests: {}\nzonedata:\n  a..example:\n    - A: 1.2.3.4\n", 3,
		 "zonedata name"},
		{"- just\n- a list\n", 1, "mapping"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rmx_suite *su = NULL;
		struct rmx_diag diag;
		char prefix[32];

		memset(&diag, 0, sizeof(diag));
		if (rmx_suite_load_string(cases[i].yaml, strlen(cases[i].yaml),
			    "bad.yml", RMX_TYPE_DEFAULT, &su, &diag) !=
		    RMX_EMALFORMED)
			fail_msg("case %zu loaded", i);
		assert_null(su);
		snprintf(prefix, sizeof(prefix), "bad.yml:%zu: ",
			cases[i].line);
		if (diag.line != cases[i].line ||
		    strncmp(diag.msg, prefix, strlen(prefix)) != 0 ||
		    strstr(diag.msg, cases[i].needle) == NULL)
			fail_msg("case %zu: line %zu, message '%s'", i,
				diag.line, diag.msg);
	}
}

static void test_load_file_and_missing(void **state)
{
	char path[] = "/tmp/rmx_suite_test.XXXXXX";
	struct rmx_suite *su = NULL;
	struct rmx_diag diag;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, small_suite, strlen(small_suite)),
		(ssize_t)strlen(small_suite));
	close(fd);
	assert_int_equal(rmx_suite_load_file(path, RMX_TYPE_DEFAULT, &su,
		&diag), RMX_OK);
	assert_int_equal(su->nscenarios, 2);
	assert_string_equal(su->path, path);
	rmx_suite_free(su);
	unlink(path);
	assert_int_equal(rmx_suite_load_file("/nonexistent.yml",
		RMX_TYPE_DEFAULT, &su, &diag), RMX_ENOTFOUND);
	assert_null(su);
}

static char *write_temp(const char *text)
{
	char *path = strdup("/tmp/rmx_suite_exc.XXXXXX");
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void test_exceptions_file(void **state)
{
	char *good = write_temp("# known deviations\n\n"
		"  fourth permerror  we are stricter here\n");
	char *bad1 = write_temp("# x\nfourth maybe reason\n");
	char *bad2 = write_temp("fourth pass\n");
	struct rmx_suite_exceptions *exc = NULL;
	struct rmx_diag diag;

	(void)state;
	assert_int_equal(rmx_suite_exceptions_load(good, &exc, &diag), RMX_OK);
	assert_non_null(exc);
	assert_string_equal(rmx_suite_exceptions_reason(exc, "fourth"),
		"we are stricter here");
	assert_null(rmx_suite_exceptions_reason(exc, "fifth"));
	rmx_suite_exceptions_free(exc);
	exc = NULL;
	/* an exclusions list has no result word: all after the name is the
	 * reason; a name alone is an error */
	assert_int_equal(rmx_suite_exclusions_load(bad1, &exc, &diag), RMX_OK);
	assert_string_equal(rmx_suite_exceptions_reason(exc, "fourth"),
		"maybe reason");
	rmx_suite_exceptions_free(exc);
	exc = NULL;
	{
		char *bare = write_temp("fourth\n");

		assert_int_equal(rmx_suite_exclusions_load(bare, &exc, &diag),
			RMX_EMALFORMED);
		assert_non_null(strstr(diag.msg, "TESTNAME REASON"));
		assert_null(exc);
		unlink(bare);
		free(bare);
	}
	assert_int_equal(rmx_suite_exceptions_load(bad1, &exc, &diag),
		RMX_EMALFORMED);
	assert_int_equal(diag.line, 2);
	assert_null(exc);
	assert_int_equal(rmx_suite_exceptions_load(bad2, &exc, &diag),
		RMX_EMALFORMED);
	assert_int_equal(diag.line, 1);
	assert_non_null(strstr(diag.msg, "reason"));
	/* a path that opens but cannot be read is an error, not an empty
	 * list */
	assert_int_equal(rmx_suite_exceptions_load("/tmp", &exc, &diag),
		RMX_EIO);
	assert_null(exc);
	assert_non_null(strstr(diag.msg, "/tmp: "));
	assert_int_equal(rmx_suite_exclusions_load("/tmp", &exc, &diag),
		RMX_EIO);
	assert_null(exc);
	unlink(good);
	unlink(bad1);
	unlink(bad2);
	free(good);
	free(bad1);
	free(bad2);
}

/* ---- running ---- */

static const char run_suite[] =
	"description: run\n"
	"tests:\n"
	"  rmx-pass:\n"
	"    host: 192.0.2.3\n"
	"    mailfrom: a@example.com\n"
	"    result: pass\n"
	"  rmx-fail:\n"
	"    host: 198.51.100.1\n"
	"    mailfrom: a@example.com\n"
	"    result: fail\n"
	"  rmx-denied:\n"
	"    host: 192.0.2.66\n"
	"    mailfrom: a@example.com\n"
	"    result: fail\n"
	"  spf-fallback:\n"
	"    host: 192.0.2.9\n"
	"    mailfrom: a@spf.example.com\n"
	"    result: pass\n"
	"  wrong-on-purpose:\n"
	"    host: 192.0.2.3\n"
	"    mailfrom: a@example.com\n"
	"    result: softfail\n"
	"  excused:\n"
	"    host: 192.0.2.3\n"
	"    mailfrom: a@example.com\n"
	"    result: neutral\n"
	"  exp-mismatch:\n"
	"    host: 192.0.2.1\n"
	"    mailfrom: a@exp.example.com\n"
	"    result: fail\n"
	"    explanation: not this\n"
	"  exp-default:\n"
	"    host: 192.0.2.1\n"
	"    mailfrom: a@spf.example.com\n"
	"    result: fail\n"
	"    explanation: DEFAULT\n"
	"zonedata:\n"
	"  example.com:\n"
	"    - RMX: '!ip4:192.0.2.66 ip4:192.0.2.0/24'\n"
	"  spf.example.com:\n"
	"    - SPF: v=spf1 ip4:192.0.2.9 -all\n"
	"  exp.example.com:\n"
	"    - SPF: v=spf1 -all exp=msg.exp.example.com\n"
	"  msg.exp.example.com:\n"
	"    - TXT: go away\n";

struct tally {
	int calls;
	char failed[8][32];
	int nfailed;
	bool excused_seen;
	bool mismatch_seen;
};

static void tally_outcome(void *arg, const struct rmx_suite_outcome *o)
{
	struct tally *t = arg;

	t->calls++;
	assert_int_equal(o->error, RMX_OK);
	if (o->by_exception) {
		assert_string_equal(o->test->name, "excused");
		assert_string_equal(o->exception_reason, "pass is fine");
		t->excused_seen = true;
	}
	if (o->explanation_mismatch) {
		assert_string_equal(o->result->explanation, "go away");
		t->mismatch_seen = true;
	}
	if (!o->passed && t->nfailed < 8)
		snprintf(t->failed[t->nfailed++], sizeof(t->failed[0]), "%s",
			o->test->name);
}

static void test_run(void **state)
{
	char *excpath = write_temp("excused pass pass is fine\n");
	struct rmx_suite_exceptions *exc = NULL;
	struct rmx_suite_run_options opt;
	struct rmx_suite *su = NULL;
	struct rmx_diag diag;
	struct tally t;
	unsigned passed = 0, failed = 0;

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(rmx_suite_exceptions_load(excpath, &exc, &diag),
		RMX_OK);
	assert_int_equal(rmx_suite_load_string(run_suite, strlen(run_suite),
		"run.yml", RMX_TYPE_DEFAULT, &su, &diag), RMX_OK);
	rmx_suite_run_options_init(&opt);
	opt.exceptions = exc;
	assert_int_equal(rmx_suite_run(su, &opt, tally_outcome, &t, &passed,
		&failed, &diag), RMX_OK);
	assert_int_equal(t.calls, 8);
	assert_int_equal(passed, 6);
	assert_int_equal(failed, 2);
	assert_int_equal(t.nfailed, 2);
	assert_string_equal(t.failed[0], "wrong-on-purpose");
	assert_string_equal(t.failed[1], "exp-mismatch");
	assert_true(t.excused_seen);
	assert_true(t.mismatch_seen);
	/* --method rmx: no SPF fallback, so spf-fallback now gets none */
	passed = failed = 0;
	memset(&t, 0, sizeof(t));
	opt.methods = "rmx";
	assert_int_equal(rmx_suite_run(su, &opt, tally_outcome, &t, &passed,
		&failed, &diag), RMX_OK);
	assert_int_equal(failed, 4);
	opt.methods = "dkim";
	assert_int_equal(rmx_suite_run(su, &opt, NULL, NULL, &passed, &failed,
		&diag), RMX_EINVAL);
	rmx_suite_free(su);
	rmx_suite_exceptions_free(exc);
	unlink(excpath);
	free(excpath);
}

static const char export_suite[] =
	"description: first\n"
	"tests:\n"
	"  one:\n"
	"    host: 192.0.2.1\n"
	"    mailfrom: a@first.example\n"
	"    result: pass\n"
	"zonedata:\n"
	"  first.example:\n"
	"    - SPF: v=spf1 +all\n"
	"---\n"
	"description: \"second\\nscenario\"\n"
	"tests:\n"
	"  rmx-pass:\n"
	"    host: 192.0.2.5\n"
	"    mailfrom: john.doe@Example.COM\n"
	"    result: pass\n"
	"  timeout:\n"
	"    host: 192.0.2.5\n"
	"    mailfrom: x@slow.example.com\n"
	"    result: temperror\n"
	"zonedata:\n"
	"  Example.COM:\n"
	"    - RMX: fulladdr\n"
	"    - TXT: [\"\", \"two\"]\n"
	"  john\\.doe.example.com:\n"
	"    - RMX: ip4:192.0.2.0/24 host:Relay.Example.NET.\n"
	"  bad.example.com:\n"
	"    - RMX_WIRE: \"01 05 18\"\n"
	"  long.example.com:\n"
	"    - TXT: \"%s\"\n"
	"  apl.example.com:\n"
	"    - APL: 1:192.0.2.0/24 !2:2001:db8::/32\n"
	"  alias.example.com:\n"
	"    - CNAME: Long.Example.com\n"
	"  empty.example.com:\n"
	"    - SPF: []\n"
	"    - RMX_WIRE: \"\"\n"
	"  slow.example.com:\n"
	"    - TIMEOUT\n"
	"  broken.example.com:\n"
	"    - A: 192.0.2.9\n"
	"    - SERVFAIL\n";

/* RRs of a zone as sorted text lines "owner type hex", skipping the apex
 * SOA and NS an export adds. */
struct rr_lines {
	char **lines;
	size_t n, cap;
};

static int collect_rr(void *arg, const uint8_t *owner, size_t ownerlen,
	uint16_t type, const uint8_t *rdata, size_t rdlen)
{
	struct rr_lines *l = arg;
	char name[RMX_NAME_MAXTEXT], *hex, *line;
	size_t need;

	assert_int_equal(rmx_name_to_text(owner, ownerlen, name, sizeof(name),
		NULL), RMX_OK);
	if (strcmp(name, ".") == 0 && (type == 6 || type == 2))
		return RMX_OK;
	hex = malloc(2 * rdlen + 1);
	assert_non_null(hex);
	assert_int_equal(rmx_hex_encode(rdata, rdlen, hex, 2 * rdlen + 1),
		RMX_OK);
	need = strlen(name) + strlen(hex) + 16;
	line = malloc(need);
	assert_non_null(line);
	snprintf(line, need, "%s %u %s", name, (unsigned)type, hex);
	free(hex);
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 16 : 2 * l->cap;
		l->lines = realloc(l->lines, l->cap * sizeof(*l->lines));
		assert_non_null(l->lines);
	}
	l->lines[l->n++] = line;
	return RMX_OK;
}

static int compare_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_lines(struct rr_lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->lines[i]);
	free(l->lines);
}

static bool has_line(const struct rr_lines *l, const char *prefix)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strncmp(l->lines[i], prefix, strlen(prefix)) == 0)
			return true;
	return false;
}

static void test_export_zone(void **state)
{
	char longtxt[301], *text, *path, buf[4096];
	struct rmx_suite *su = NULL;
	const struct rmx_suite_scenario *sc;
	struct rmx_zone *back = NULL;
	struct rr_lines want = {0}, got = {0};
	struct rmx_suite_run_options opt;
	struct rmx_check_result res;
	struct rmx_diag diag;
	unsigned passed = 0, failed = 0;
	size_t i, j, len;
	FILE *fp;
	int fd;

	(void)state;
	memset(longtxt, 'x', 300);
	longtxt[300] = '\0';
	len = sizeof(export_suite) + 300;
	text = malloc(len);
	assert_non_null(text);
	snprintf(text, len, export_suite, longtxt);
	assert_int_equal(rmx_suite_load_string(text, strlen(text), "exp.yml",
		RMX_TYPE_DEFAULT, &su, &diag), RMX_OK);
	free(text);
	assert_int_equal(su->nscenarios, 2);
	sc = &su->scenarios[1];

	path = strdup("/tmp/rmx_suite_zone.XXXXXX");
	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	assert_int_equal(rmx_suite_export_zone(sc, fp, &diag), RMX_OK);
	assert_int_equal(fclose(fp), 0);

	/* the text: description on one comment line, apex SOA and NS, the
	 * empty SPF/TXT RRs commented out, the marks nowhere */
	fp = fopen(path, "r");
	assert_non_null(fp);
	len = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[len] = '\0';
	fclose(fp);
	assert_non_null(strstr(buf, "): second scenario\n"));
	assert_non_null(strstr(buf, "\n. 300 IN SOA " RMX_SUITE_EXPORT_NS
		" "));
	assert_non_null(strstr(buf, "\n. 300 IN NS " RMX_SUITE_EXPORT_NS
		"\n"));
	assert_non_null(strstr(buf, "\n; not served (TXT/SPF RDATA without "
		"a character-string): empty.example.com. 300 IN TYPE99 "
		"\\# 0\n"));
	assert_non_null(strstr(buf, "\nempty.example.com. 300 IN TYPE65280 "
		"\\# 0\n"));
	assert_non_null(strstr(buf, "\nbad.example.com. 300 IN TYPE65280 "
		"\\# 3 010518\n"));
	assert_non_null(strstr(buf, "\njohn\\.doe.example.com. 300 IN "
		"TYPE65280 \\# 27 010418c00002"));
	assert_null(strstr(buf, "slow.example.com"));
	assert_non_null(strstr(buf, "\nbroken.example.com. 300 IN TYPE1 "
		"\\# 4 c0000209\n"));
	/* long RDATA: hex in groups of 32 octets */
	assert_non_null(strstr(buf, "IN TYPE16 \\# 302 ff787878"));

	/* byte for byte: read back, the same RRs but the two commented out */
	assert_int_equal(rmx_zone_new(RMX_TYPE_DEFAULT, &back), RMX_OK);
	assert_int_equal(rmx_zone_load_file(back, path, ".", &diag), RMX_OK);
	assert_int_equal(rmx_zone_foreach(sc->zone, collect_rr, &want),
		RMX_OK);
	assert_int_equal(rmx_zone_foreach(back, collect_rr, &got), RMX_OK);
	qsort(want.lines, want.n, sizeof(char *), compare_lines);
	qsort(got.lines, got.n, sizeof(char *), compare_lines);
	assert_true(has_line(&want, "empty.example.com. 99 "));
	assert_true(has_line(&want, "empty.example.com. 16 "));
	assert_false(has_line(&got, "empty.example.com. 99 "));
	assert_false(has_line(&got, "empty.example.com. 16 "));
	assert_true(has_line(&got, "alias.example.com. 5 044c6f6e67"));
	assert_int_equal(got.n + 2, want.n);
	/* drop the two from want, then the lists must be equal */
	for (i = j = 0; i < want.n; i++) {
		if (strncmp(want.lines[i], "empty.example.com. 99 ", 22) == 0 ||
		    strncmp(want.lines[i], "empty.example.com. 16 ", 22) == 0) {
			free(want.lines[i]);
			continue;
		}
		want.lines[j++] = want.lines[i];
	}
	want.n = j;
	assert_int_equal(got.n, want.n);
	for (i = 0; i < got.n; i++)
		assert_string_equal(got.lines[i], want.lines[i]);

	/* running on another resolver, one scenario only: the read-back
	 * zone has no marks, so the timeout test gets none */
	rmx_suite_run_options_init(&opt);
	opt.only = sc;
	opt.resolver = rmx_zone_resolver(back);
	assert_int_equal(rmx_suite_run(su, &opt, NULL, NULL, &passed,
		&failed, &diag), RMX_OK);
	assert_int_equal(passed, 1);
	assert_int_equal(failed, 1);
	assert_int_equal(rmx_suite_check_test(sc, &sc->tests[1], &opt, &res,
		&diag), RMX_OK);
	assert_int_equal(res.result, RMX_RESULT_NONE);
	/* on the scenario's own zone: the mark answers, or not when ignored */
	opt.resolver = NULL;
	assert_int_equal(rmx_suite_check_test(sc, &sc->tests[1], &opt, &res,
		&diag), RMX_OK);
	assert_int_equal(res.result, RMX_RESULT_TEMPERROR);
	rmx_zone_set_ignore_marks(sc->zone, true);
	assert_int_equal(rmx_suite_check_test(sc, &sc->tests[1], &opt, &res,
		&diag), RMX_OK);
	assert_int_equal(res.result, RMX_RESULT_NONE);
	assert_int_equal(rmx_suite_check_test(sc, &sc->tests[0], &opt, &res,
		&diag), RMX_OK);
	assert_int_equal(res.result, RMX_RESULT_PASS);
	assert_string_equal(res.entry, "ip4:192.0.2.0/24");
	assert_int_equal(rmx_suite_export_zone(NULL, stdout, &diag),
		RMX_EINVAL);
	free_lines(&want);
	free_lines(&got);
	rmx_zone_free(back);
	rmx_suite_free(su);
	unlink(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_small),
		cmocka_unit_test(test_long_txt_split),
		cmocka_unit_test(test_errors_with_lines),
		cmocka_unit_test(test_load_file_and_missing),
		cmocka_unit_test(test_exceptions_file),
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_export_zone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * check_test.c - unit tests of the check framework and the RMX evaluator
 * on the in-memory zone: verdicts, reasons, parallel lookups, the lookup
 * limit, deadline, cancel, and the asynchronous contract.
 *
 * The rule-by-rule coverage of RMX.md lives in the conformance suite
 * (tests/conformance/rmx-tests.yml); these tests pin down what a suite
 * cannot see: how many queries are in flight at once, when callbacks come,
 * what the result's text fields say.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <rmx/rmx.h>

#include <stdio.h>
#include <string.h>

#include "test_zone.h"

static struct rmx_check_result run(const char *ip, const char *sender,
	const char *methods)
{
	struct rmx_config cfg;
	struct rmx_request req = {0};
	struct rmx_check_result res;

	rmx_config_init(&cfg);
	if (methods != NULL)
		assert_int_equal(rmx_config_set_methods(&cfg, methods, NULL),
			RMX_OK);
	req.client_ip = ip;
	req.sender = sender;
	req.helo = "mail.example.org";
	memset(&res, 0, sizeof(res));
	assert_int_equal(rmx_check_run(rmx_zone_resolver(zone), &cfg, &req,
		&res), RMX_OK);
	return res;
}

static void test_pass_fail_reason(void **state)
{
	struct rmx_check_result r;

	(void)state;
	add_rmx("example.com", "!ip4:192.0.2.66 ip4:192.0.2.0/24");
	r = run("192.0.2.7", "alice@example.com", NULL);
	assert_int_equal(r.result, RMX_RESULT_PASS);
	assert_int_equal(r.method, RMX_METHOD_RMX);
	assert_string_equal(r.domain, "example.com");
	assert_string_equal(r.entry, "ip4:192.0.2.0/24");
	assert_non_null(strstr(r.reason, "192.0.2.7"));

	r = run("192.0.2.66", "alice@example.com", NULL);
	assert_int_equal(r.result, RMX_RESULT_FAIL);
	assert_string_equal(r.entry, "!ip4:192.0.2.66");

	r = run("198.51.100.1", "alice@example.com", NULL);
	assert_int_equal(r.result, RMX_RESULT_FAIL);
	assert_string_equal(r.entry, "");
	assert_non_null(strstr(r.reason, "198.51.100.1 is not in the RMX "
		"list of example.com"));
	assert_int_equal(r.queries, 1);
}

static void test_invalid_domain_is_none_without_dns(void **state)
{
	struct rmx_check_result r;

	(void)state;
	r = run("192.0.2.7", "alice@localhost", NULL);
	assert_int_equal(r.result, RMX_RESULT_NONE);
	assert_int_equal(r.method, RMX_METHOD_NONE);
	assert_int_equal(r.queries, 0);
	r = run("192.0.2.7", "alice@example.123", NULL);
	assert_int_equal(r.result, RMX_RESULT_NONE);
	r = run("192.0.2.7", "alice@[192.0.2.7]", NULL);
	assert_int_equal(r.result, RMX_RESULT_NONE);
}

static void test_bad_client_ip_is_einval(void **state)
{
	struct rmx_config cfg;
	struct rmx_request req = {0};
	struct rmx_check_result res;

	(void)state;
	rmx_config_init(&cfg);
	req.client_ip = "192.0.2.300";
	req.sender = "a@example.com";
	assert_int_equal(rmx_check_run(rmx_zone_resolver(zone), &cfg, &req,
		&res), RMX_EINVAL);
}

struct run_ctx {
	bool *done;
	struct rmx_check_result *out;
};

static void on_done(void *arg, const struct rmx_check_result *r)
{
	struct run_ctx *c = arg;

	*c->out = *r;
	*c->done = true;
}

/* Eight host entries: after the RMX answer all eight address lookups are
 * in flight at once (RMX.md 2: parallel lookups). */
static void test_host_lookups_run_in_parallel(void **state)
{
	struct rmx_resolver *res;
	struct rmx_config cfg;
	struct rmx_request req = {0};
	struct rmx_check *chk;
	char text[512] = "";
	int i, rounds = 0;
	size_t max_pending = 0;
	struct rmx_check_result out;
	bool done = false;

	(void)state;
	for (i = 1; i <= 8; i++) {
		char name[64];

		snprintf(name, sizeof(name), "h%d.example.net", i);
		add_a(name, 198, 51, 100, (uint8_t)i);
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			"host:%s. ", name);
	}
	add_rmx("example.com", text);
	res = rmx_zone_resolver(zone);
	rmx_config_init(&cfg);
	req.client_ip = "198.51.100.8";
	req.sender = "bob@example.com";
	struct run_ctx c = {&done, &out};
	assert_int_equal(rmx_check_start(res, &cfg, &req, on_done, &c, &chk),
		RMX_OK);
	assert_non_null(chk);
	assert_false(done); /* never called back from start */
	while (!done) {
		size_t p = res->ops->pending(res);

		if (p > max_pending)
			max_pending = p;
		assert_true(rmx_resolver_process(res, 0) >= 0);
		rounds++;
		assert_true(rounds < 10);
	}
	assert_int_equal(max_pending, 8);
	assert_int_equal(rounds, 2); /* RMX record, then 8 A in parallel */
	assert_int_equal(out.result, RMX_RESULT_PASS);
	assert_string_equal(out.entry, "host:h8.example.net.");
	assert_int_equal(out.queries, 9);
	assert_int_equal(out.lookups, 8);
}

/* A failed lookup before any match is temperror; after a match it does
 * not matter (RMX.md 2.5). */
static void test_failure_order(void **state)
{
	struct rmx_check_result r;

	(void)state;
	add_rmx("a.example", "host:slow.example.net. ip4:192.0.2.0/24");
	add_rmx("b.example", "ip4:192.0.2.0/24 host:slow.example.net.");
	assert_int_equal(rmx_zone_mark(zone, "slow.example.net",
		RMX_ZONE_TIMEOUT), RMX_OK);
	r = run("192.0.2.1", "x@a.example", NULL);
	assert_int_equal(r.result, RMX_RESULT_TEMPERROR);
	assert_string_equal(r.entry, "host:slow.example.net.");
	assert_non_null(strstr(r.reason, "timed out"));
	r = run("192.0.2.1", "x@b.example", NULL);
	assert_int_equal(r.result, RMX_RESULT_PASS);
}

/* Eleven lookup entries: the 11th reached is permerror; if an earlier one
 * matches, the limit is never reached. */
static void test_lookup_limit(void **state)
{
	char text[1024] = "";
	struct rmx_check_result r;
	int i;

	(void)state;
	for (i = 1; i <= 11; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			"host:n%d.example.net. ", i);
	add_rmx("example.com", text);
	add_a("n3.example.net", 192, 0, 2, 3);
	r = run("192.0.2.99", "x@example.com", NULL);
	assert_int_equal(r.result, RMX_RESULT_PERMERROR);
	assert_string_equal(r.entry, "host:n11.example.net.");
	r = run("192.0.2.3", "x@example.com", NULL);
	assert_int_equal(r.result, RMX_RESULT_PASS);
	assert_int_equal(r.lookups, 3);
}

/* A malformed RDATA is permerror even when an earlier entry matches. */
static void test_malformed_is_permerror(void **state)
{
	/* ip4:192.0.2.0/24, then ip4 with prefix 33 */
	static const uint8_t rd[] = {0x01, 0x04, 0x18, 0xc0, 0x00, 0x02,
		0x01, 0x02, 0x21, 0xc0};
	struct rmx_check_result r;

	(void)state;
	assert_int_equal(rmx_zone_add_rr(zone, "example.com",
		RMX_TYPE_DEFAULT, rd, sizeof(rd)), RMX_OK);
	r = run("192.0.2.1", "x@example.com", NULL);
	assert_int_equal(r.result, RMX_RESULT_PERMERROR);
	assert_non_null(strstr(r.reason, "malformed"));
	assert_non_null(strstr(r.reason, "prefix"));
}

/* Per-mailbox record: the local part is one label. */
static void test_fulladdr(void **state)
{
	struct rmx_check_result r;

	(void)state;
	add_rmx("example.com", "fulladdr ip4:192.0.2.0/24");
	add_rmx("john\\.doe.example.com", "ip4:198.51.100.7");
	r = run("198.51.100.7", "john.doe@example.com", NULL);
	assert_int_equal(r.result, RMX_RESULT_PASS);
	assert_non_null(strstr(r.reason, "per-mailbox"));
	/* the mailbox record decides: no fall-through to the outer list */
	r = run("192.0.2.1", "john.doe@example.com", NULL);
	assert_int_equal(r.result, RMX_RESULT_FAIL);
	/* no mailbox record: the walk goes on */
	r = run("192.0.2.1", "jane@example.com", NULL);
	assert_int_equal(r.result, RMX_RESULT_PASS);
}

/* The lookup limit counts the outer entries up to fulladdr and the
 * mailbox record's together (RMX.md 2, 3).  The walk ends at the mailbox
 * record's 5th host, lookup entry 11; the lookups started ahead must stop
 * there too: 1 RMX + 5 hosts + 1 mailbox RMX + 4 hosts = 11 queries (the
 * prefetch used to count the mailbox record's entries from zero and
 * started all 10 of its hosts). */
static void test_mailbox_prefetch_within_limit(void **state)
{
	char outer[512] = "", mailbox[512] = "";
	struct rmx_check_result r;
	int i;

	(void)state;
	for (i = 1; i <= 5; i++)
		snprintf(outer + strlen(outer), sizeof(outer) - strlen(outer),
			"host:o%d.example.net. ", i);
	strcat(outer, "fulladdr");
	for (i = 1; i <= 10; i++)
		snprintf(mailbox + strlen(mailbox),
			sizeof(mailbox) - strlen(mailbox),
			"host:m%d.example.net. ", i);
	add_rmx("example.com", outer);
	add_rmx("bob.example.com", mailbox);
	r = run("192.0.2.99", "bob@example.com", "rmx");
	assert_int_equal(r.result, RMX_RESULT_PERMERROR);
	assert_string_equal(r.entry, "host:m5.example.net.");
	assert_int_equal(r.lookups, 11);
	assert_int_equal(r.queries, 11);
}

/* rmx,spf: no RMX record -> SPF decides and the result says so; rmx
 * only -> none. */
static void test_method_fallback(void **state)
{
	struct rmx_check_result r;

	(void)state;
	add_txt("spf.example", "v=spf1 ip4:192.0.2.0/24 -all");
	r = run("192.0.2.5", "x@spf.example", NULL);
	assert_int_equal(r.result, RMX_RESULT_PASS);
	assert_int_equal(r.method, RMX_METHOD_SPF);
	r = run("192.0.2.5", "x@spf.example", "rmx");
	assert_int_equal(r.result, RMX_RESULT_NONE);
	assert_int_equal(r.method, RMX_METHOD_RMX);
	r = run("192.0.2.5", "x@nothing.example", NULL);
	assert_int_equal(r.result, RMX_RESULT_NONE);
	assert_non_null(strstr(r.reason, "no RMX record"));
}

static void count_done(void *arg, const struct rmx_check_result *r)
{
	(void)r;
	(*(int *)arg)++;
}

/* Cancel: no callback, nothing pending; expire: temperror. */
static void test_cancel_and_expire(void **state)
{
	struct rmx_resolver *res = rmx_zone_resolver(zone);
	struct rmx_config cfg;
	struct rmx_request req = {0};
	struct rmx_check *chk;
	int calls = 0;

	(void)state;
	add_rmx("example.com", "ip4:192.0.2.0/24");
	rmx_config_init(&cfg);
	req.client_ip = "192.0.2.1";
	req.sender = "x@example.com";
	assert_int_equal(rmx_check_start(res, &cfg, &req, count_done, &calls,
		&chk), RMX_OK);
	assert_int_equal(res->ops->pending(res), 1);
	rmx_check_cancel(chk);
	assert_int_equal(res->ops->pending(res), 0);
	rmx_resolver_process(res, 0);
	assert_int_equal(calls, 0);

	assert_int_equal(rmx_check_start(res, &cfg, &req, count_done, &calls,
		&chk), RMX_OK);
	rmx_check_expire(chk);
	assert_int_equal(calls, 1);
	assert_int_equal(res->ops->pending(res), 0);
}

/* The RMX lookup times out: temperror, and no SPF fallback. */
static void test_rmx_timeout_no_fallback(void **state)
{
	struct rmx_check_result r;

	(void)state;
	add_txt("t.example", "v=spf1 +all");
	assert_int_equal(rmx_zone_mark(zone, "t.example", RMX_ZONE_TIMEOUT),
		RMX_OK);
	r = run("192.0.2.5", "x@t.example", NULL);
	assert_int_equal(r.result, RMX_RESULT_TEMPERROR);
	assert_int_equal(r.method, RMX_METHOD_RMX);
}

/*
 * A resolver in front of the zone that plays DNSSEC: answers for names
 * containing "bogus" fail validation, all others are secure; answers for
 * names containing "slow" are held back one process() round, so that a
 * later lookup's answer arrives first.
 */
struct held {
	rmx_dns_callback *cb;
	void *arg;
	struct rmx_dns_answer a;
	struct rmx_dns_rr rr[8];
	uint8_t data[8][64];
	bool ready;
};

struct dnssec_res {
	struct rmx_resolver base;
	struct rmx_resolver *inner;
	struct held held[8];
	size_t nheld;
};

struct fwd {
	struct dnssec_res *r;
	rmx_dns_callback *cb;
	void *arg;
	bool slow, bogus;
};

static struct fwd fwds[64];
static size_t nfwds;

static void fwd_answer(void *arg, const struct rmx_dns_answer *a)
{
	struct fwd *f = arg;
	struct rmx_dns_answer copy = *a;
	size_t i;

	if (f->bogus) {
		copy.status = RMX_DNS_FAIL;
		copy.dnssec = RMX_DNSSEC_BOGUS;
		copy.count = 0;
		copy.rr = NULL;
	} else {
		copy.dnssec = RMX_DNSSEC_SECURE;
	}
	if (f->slow) {
		struct held *h = &f->r->held[f->r->nheld++];

		assert_true(f->r->nheld <= 8 && copy.count <= 8);
		h->cb = f->cb;
		h->arg = f->arg;
		h->a = copy;
		for (i = 0; i < copy.count; i++) {
			assert_true(copy.rr[i].rdlen <= 64);
			memcpy(h->data[i], copy.rr[i].rdata, copy.rr[i].rdlen);
			h->rr[i].rdata = h->data[i];
			h->rr[i].rdlen = copy.rr[i].rdlen;
		}
		h->a.rr = h->rr;
		h->ready = false;
		return;
	}
	f->cb(f->arg, &copy);
}

static int dr_query(struct rmx_resolver *res, const char *name,
	uint16_t qtype, rmx_dns_callback *cb, void *arg, rmx_query_id *id)
{
	struct dnssec_res *r = (struct dnssec_res *)res;
	struct fwd *f = &fwds[nfwds++];

	assert_true(nfwds <= 64);
	f->r = r;
	f->cb = cb;
	f->arg = arg;
	f->slow = strstr(name, "slow") != NULL;
	f->bogus = strstr(name, "bogus") != NULL;
	return rmx_resolver_query(r->inner, name, qtype, fwd_answer, f, id);
}

static void dr_cancel(struct rmx_resolver *res, rmx_query_id id)
{
	struct dnssec_res *r = (struct dnssec_res *)res;

	rmx_resolver_cancel(r->inner, id);
}

static int dr_process(struct rmx_resolver *res, int timeout_ms)
{
	struct dnssec_res *r = (struct dnssec_res *)res;
	size_t i, n = 0;

	/* first what was held back last round, then the zone's answers */
	for (i = 0; i < r->nheld; i++)
		if (r->held[i].ready && r->held[i].cb != NULL) {
			r->held[i].cb(r->held[i].arg, &r->held[i].a);
			r->held[i].cb = NULL;
			n++;
		}
	for (i = 0; i < r->nheld; i++)
		r->held[i].ready = true;
	return (int)n + rmx_resolver_process(r->inner, timeout_ms);
}

static size_t dr_pending(struct rmx_resolver *res)
{
	struct dnssec_res *r = (struct dnssec_res *)res;

	return r->inner->ops->pending(r->inner);
}

static const struct rmx_resolver_ops dnssec_ops = {
	"dnssec-test", dr_query, dr_cancel, dr_process, NULL, dr_pending,
	NULL,
};

static struct rmx_check_result run_dnssec(const char *ip, const char *sender)
{
	struct dnssec_res r = {{&dnssec_ops}, rmx_zone_resolver(zone), {{0}},
		0};
	struct rmx_config cfg;
	struct rmx_request req = {0};
	struct rmx_check_result res;

	nfwds = 0;
	rmx_config_init(&cfg);
	req.client_ip = ip;
	req.sender = sender;
	assert_int_equal(rmx_check_run(&r.base, &cfg, &req, &res), RMX_OK);
	return res;
}

/* The dnssec field covers the answers the verdict rests on: a bogus
 * answer to a lookup started ahead, for an entry after the one that
 * decided, does not make a pass "bogus" (it arrives first here). */
static void test_dnssec_of_used_answers_only(void **state)
{
	struct rmx_check_result r;

	(void)state;
	add_rmx("r.example", "host:slow.example. host:x.bogus.example.");
	add_a("slow.example", 192, 0, 2, 1);
	add_a("x.bogus.example", 192, 0, 2, 9);
	add_txt("s.example", "v=spf1 a:slow.example a:x.bogus.example -all");

	r = run_dnssec("192.0.2.1", "a@r.example");
	assert_int_equal(r.result, RMX_RESULT_PASS);
	assert_int_equal(r.dnssec, RMX_DNSSEC_SECURE);
	/* when the walk needs the bogus answer, the verdict rests on it */
	r = run_dnssec("192.0.2.77", "a@r.example");
	assert_int_equal(r.result, RMX_RESULT_TEMPERROR);
	assert_int_equal(r.dnssec, RMX_DNSSEC_BOGUS);

	/* SPF after the RMX "no record" answer: both secure */
	r = run_dnssec("192.0.2.1", "a@s.example");
	assert_int_equal(r.result, RMX_RESULT_PASS);
	assert_int_equal(r.method, RMX_METHOD_SPF);
	assert_int_equal(r.dnssec, RMX_DNSSEC_SECURE);
	r = run_dnssec("192.0.2.77", "a@s.example");
	assert_int_equal(r.result, RMX_RESULT_TEMPERROR);
	assert_int_equal(r.dnssec, RMX_DNSSEC_BOGUS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pass_fail_reason, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_invalid_domain_is_none_without_dns, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_bad_client_ip_is_einval,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_host_lookups_run_in_parallel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failure_order, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_lookup_limit, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_malformed_is_permerror,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_fulladdr, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_mailbox_prefetch_within_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_method_fallback, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_cancel_and_expire, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_rmx_timeout_no_fallback,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_dnssec_of_used_answers_only, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

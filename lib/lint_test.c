/*
 * lint_test.c - unit tests of the RMX linter: each finding fires on the
 * record it is about and stays quiet on a clean one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <rmx/rmx.h>

#include <string.h>

struct seen {
	unsigned count[16];
	size_t entry[16];
	unsigned total;
};

static void collect(void *arg, const struct rmx_lint_finding *f)
{
	struct seen *s = arg;

	assert_true(f->code < 16);
	assert_non_null(f->name);
	assert_true(strlen(f->msg) > 0);
	s->count[f->code]++;
	s->entry[f->code] = f->entry;
	s->total++;
}

/* Lint the RRs given as presentation texts (NULL-terminated list). */
static int lint(struct seen *s, unsigned flags, const char *const *texts)
{
	static uint8_t buf[4][1024];
	struct rmx_dns_rr rrs[4];
	size_t n = 0;

	memset(s, 0, sizeof(*s));
	for (; texts[n] != NULL; n++) {
		size_t len;

		assert_true(n < 4);
		assert_int_equal(rmx_rdata_from_text(texts[n], NULL, buf[n],
			sizeof(buf[n]), &len, NULL), RMX_OK);
		rrs[n].rdata = buf[n];
		rrs[n].rdlen = len;
	}
	return rmx_lint_rrset(rrs, n, flags, collect, s);
}

static void test_clean_record(void **state)
{
	struct seen s;
	const char *const rr[] = {"!ip4:192.0.2.66 ip4:192.0.2.0/24 "
		"host:relay.example.net. mx apl:_s.example.com.", NULL};

	(void)state;
	assert_int_equal(lint(&s, 0, rr), 0);
	assert_int_equal(s.total, 0);
}

static void test_each_finding(void **state)
{
	struct seen s;
	const char *const order[] = {"!ip4:192.0.2.66", "ip4:192.0.2.0/24",
		NULL};
	const char *const order_ok[] = {"ip4:192.0.2.66", "ip4:192.0.2.0/24",
		NULL};
	const char *const limit[] = {"host:a. host:b. host:c. host:d. host:e. "
		"host:f. host:g. host:h. host:i. host:j. mx:k.", NULL};
	const char *const at_limit[] = {"host:a. host:b. host:c. host:d. "
		"host:e. host:f. host:g. host:h. host:i. host:j.", NULL};
	const char *const all[] = {"ip4:0.0.0.0/0 ip6:::/0 sasl", NULL};
	const char *const dup[] = {"mx ip4:192.0.2.1 mx", NULL};
	const char *const misc[] = {"type99:01 pgp:0102 none", NULL};

	(void)state;
	assert_int_equal(lint(&s, 0, order), 0);
	assert_int_equal(s.count[RMX_LINT_ORDER], 1);
	assert_int_equal(lint(&s, 0, order_ok), 0);
	assert_int_equal(s.total, 0);

	assert_int_equal(lint(&s, 0, limit), 1);
	assert_int_equal(s.count[RMX_LINT_LOOKUP_LIMIT], 1);
	assert_int_equal(s.entry[RMX_LINT_LOOKUP_LIMIT], 11);
	assert_int_equal(lint(&s, 0, at_limit), 0);
	assert_int_equal(s.total, 0);

	assert_int_equal(lint(&s, 0, all), 0);
	assert_int_equal(s.count[RMX_LINT_PASS_ALL], 2);
	assert_int_equal(s.count[RMX_LINT_UNREACHABLE], 1);
	assert_int_equal(s.entry[RMX_LINT_UNREACHABLE], 3);

	assert_int_equal(lint(&s, 0, dup), 0);
	assert_int_equal(s.count[RMX_LINT_DUPLICATE], 1);
	assert_int_equal(s.entry[RMX_LINT_DUPLICATE], 3);

	assert_int_equal(lint(&s, 0, misc), 0);
	assert_int_equal(s.count[RMX_LINT_UNKNOWN_TYPE], 1);
	assert_int_equal(s.count[RMX_LINT_EXPERIMENTAL], 1);
	assert_int_equal(s.count[RMX_LINT_NONE_MIXED], 1);
}

static void test_malformed_and_empty(void **state)
{
	static const uint8_t bad[] = {0x01, 0x02, 0x21, 0xc0}; /* /33 */
	struct rmx_dns_rr rr = {bad, sizeof(bad)};
	struct rmx_dns_rr empty = {NULL, 0};
	struct seen s;
	const char *const fa[] = {"fulladdr", NULL};

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(rmx_lint_rrset(&rr, 1, 0, collect, &s), 1);
	assert_int_equal(s.count[RMX_LINT_MALFORMED], 1);
	memset(&s, 0, sizeof(s));
	assert_int_equal(rmx_lint_rrset(&empty, 1, 0, collect, &s), 0);
	assert_int_equal(s.count[RMX_LINT_EMPTY], 1);
	assert_int_equal(lint(&s, RMX_RDATA_MAILBOX, fa), 1);
	assert_int_equal(s.count[RMX_LINT_MALFORMED], 1);
	assert_int_equal(lint(&s, 0, fa), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_record),
		cmocka_unit_test(test_each_finding),
		cmocka_unit_test(test_malformed_and_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

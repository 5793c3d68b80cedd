/*
 * zone_test.c - the in-memory zone backend (zone.c) and master-file reading
 * (zonefile.c): answers, NODATA vs NXDOMAIN, empty non-terminals, CNAME
 * chains and loops, TIMEOUT/SERVFAIL marks, case, the callback rules of
 * rmx/resolver.h, and RMX records in master files.
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

#define TYPE_A 1
#define TYPE_CNAME 5

/* What one callback saw (copied: the answer lives only in the callback). */
struct seen {
	int calls;
	enum rmx_dns_status status;
	size_t count;
	uint8_t rdata[4][64];
	size_t rdlen[4];
	int order;              /* global order stamp */
};

static int order_counter;

static void record_answer(void *arg, const struct rmx_dns_answer *a)
{
	struct seen *s = arg;
	size_t i;

	s->calls++;
	s->status = a->status;
	s->count = a->count;
	s->order = ++order_counter;
	assert_int_equal(a->dnssec, RMX_DNSSEC_INSECURE);
	for (i = 0; i < a->count && i < 4; i++) {
		assert_true(a->rr[i].rdlen <= sizeof(s->rdata[i]));
		memcpy(s->rdata[i], a->rr[i].rdata, a->rr[i].rdlen);
		s->rdlen[i] = a->rr[i].rdlen;
	}
}

static struct rmx_zone *new_zone(void)
{
	struct rmx_zone *z = NULL;

	assert_int_equal(rmx_zone_new(RMX_TYPE_DEFAULT, &z), RMX_OK);
	assert_non_null(z);
	return z;
}

static void add_a(struct rmx_zone *z, const char *name, uint8_t last)
{
	uint8_t a[4] = {192, 0, 2, last};

	assert_int_equal(rmx_zone_add_rr(z, name, TYPE_A, a, 4), RMX_OK);
}

static void add_cname(struct rmx_zone *z, const char *name,
	const char *target)
{
	uint8_t wire[RMX_NAME_MAXWIRE];
	size_t len;

	assert_int_equal(rmx_name_from_text(target, strlen(target), NULL,
		wire, &len, NULL), RMX_OK);
	assert_int_equal(rmx_zone_add_rr(z, name, TYPE_CNAME, wire, len),
		RMX_OK);
}

/* Query, process, and return what the one callback saw. */
static struct seen ask(struct rmx_zone *z, const char *name, uint16_t type)
{
	struct rmx_resolver *r = rmx_zone_resolver(z);
	struct seen s;
	rmx_query_id id;

	memset(&s, 0, sizeof(s));
	assert_int_equal(rmx_resolver_query(r, name, type, record_answer, &s,
		&id), RMX_OK);
	assert_int_equal(s.calls, 0);
	assert_int_equal(rmx_resolver_process(r, 0), 1);
	assert_int_equal(s.calls, 1);
	return s;
}

static void test_answers_in_order(void **state)
{
	struct rmx_zone *z = new_zone();
	struct seen s;

	(void)state;
	add_a(z, "host.example.com.", 1);
	add_a(z, "host.example.com.", 2);
	add_a(z, "host.example.com.", 3);
	assert_int_equal(rmx_zone_rr_count(z), 3);
	s = ask(z, "host.example.com", TYPE_A);
	assert_int_equal(s.status, RMX_DNS_OK);
	assert_int_equal(s.count, 3);
	assert_int_equal(s.rdata[0][3], 1);
	assert_int_equal(s.rdata[1][3], 2);
	assert_int_equal(s.rdata[2][3], 3);
	rmx_zone_free(z);
}

static void test_nodata_nxdomain_ent(void **state)
{
	struct rmx_zone *z = new_zone();
	static const struct {
		const char *name;
		uint16_t type;
		enum rmx_dns_status want;
	} cases[] = {
		{"a.b.example.com.", TYPE_A, RMX_DNS_OK},
		{"a.b.example.com.", RMX_RR_TXT, RMX_DNS_NODATA},
		{"b.example.com.", TYPE_A, RMX_DNS_NODATA},   /* ENT */
		{"example.com.", RMX_RR_MX, RMX_DNS_NODATA},  /* ENT */
		{"c.example.com.", TYPE_A, RMX_DNS_NXDOMAIN},
		{"x.a.b.example.com.", TYPE_A, RMX_DNS_NXDOMAIN},
		{"example.org.", TYPE_A, RMX_DNS_NXDOMAIN},
	};
	size_t i;

	(void)state;
	add_a(z, "a.b.example.com.", 7);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct seen s = ask(z, cases[i].name, cases[i].type);

		if (s.status != cases[i].want)
			fail_msg("%s type %u: got %s, want %s", cases[i].name,
				cases[i].type, rmx_dns_status_str(s.status),
				rmx_dns_status_str(cases[i].want));
		assert_int_equal(s.count, cases[i].want == RMX_DNS_OK ? 1 : 0);
	}
	rmx_zone_free(z);
}

static void test_case_insensitive(void **state)
{
	struct rmx_zone *z = new_zone();
	struct seen s;

	(void)state;
	add_a(z, "MiXed.Example.COM.", 9);
	s = ask(z, "mixed.example.com", TYPE_A);
	assert_int_equal(s.status, RMX_DNS_OK);
	s = ask(z, "MIXED.EXAMPLE.COM.", TYPE_A);
	assert_int_equal(s.status, RMX_DNS_OK);
	/* escapes name the same octets */
	add_a(z, "john\\.doe.example.com.", 4);
	s = ask(z, "JOHN\\046DOE.example.com.", TYPE_A);
	assert_int_equal(s.status, RMX_DNS_OK);
	s = ask(z, "doe.example.com.", TYPE_A);
	assert_int_equal(s.status, RMX_DNS_NXDOMAIN);
	rmx_zone_free(z);
}

static void test_cname_chain(void **state)
{
	struct rmx_zone *z = new_zone();
	struct seen s;

	(void)state;
	add_cname(z, "a.example.", "B.example.");
	add_cname(z, "b.example.", "c.example.");
	add_a(z, "c.example.", 42);
	s = ask(z, "a.example.", TYPE_A);
	assert_int_equal(s.status, RMX_DNS_OK);
	assert_int_equal(s.count, 1);
	assert_int_equal(s.rdata[0][3], 42);
	/* the type asked is at the final name: NODATA there */
	s = ask(z, "a.example.", RMX_RR_TXT);
	assert_int_equal(s.status, RMX_DNS_NODATA);
	/* asking for the CNAME itself does not follow it */
	s = ask(z, "a.example.", TYPE_CNAME);
	assert_int_equal(s.status, RMX_DNS_OK);
	assert_int_equal(s.rdata[0][0], 1);
	assert_int_equal(s.rdata[0][1], 'B');
	/* a dangling CNAME: NXDOMAIN of the target */
	add_cname(z, "d.example.", "nowhere.example.");
	s = ask(z, "d.example.", TYPE_A);
	assert_int_equal(s.status, RMX_DNS_NXDOMAIN);
	rmx_zone_free(z);
}

static void test_cname_limits(void **state)
{
	struct rmx_zone *z = new_zone();
	char name[32], next[32];
	struct seen s;
	int i;

	(void)state;
	add_cname(z, "loop1.example.", "loop2.example.");
	add_cname(z, "loop2.example.", "loop1.example.");
	s = ask(z, "loop1.example.", TYPE_A);
	assert_int_equal(s.status, RMX_DNS_FAIL);
	/* n0 -> n1 -> ... -> n9 (9 links) fails; from n1 (8 links) works */
	for (i = 0; i < 9; i++) {
		snprintf(name, sizeof(name), "n%d.example.", i);
		snprintf(next, sizeof(next), "n%d.example.", i + 1);
		add_cname(z, name, next);
	}
	add_a(z, "n9.example.", 1);
	s = ask(z, "n1.example.", TYPE_A);
	assert_int_equal(s.status, RMX_DNS_OK);
	s = ask(z, "n0.example.", TYPE_A);
	assert_int_equal(s.status, RMX_DNS_FAIL);
	rmx_zone_free(z);
}

static void test_marks(void **state)
{
	struct rmx_zone *z = new_zone();
	static const uint8_t txt[] = {2, 'h', 'i'};
	struct seen s;

	(void)state;
	assert_int_equal(rmx_zone_add_rr(z, "t.example.", RMX_RR_TXT, txt,
		sizeof(txt)), RMX_OK);
	assert_int_equal(rmx_zone_mark(z, "t.example.", RMX_ZONE_TIMEOUT),
		RMX_OK);
	assert_int_equal(rmx_zone_mark(z, "s.example.", RMX_ZONE_SERVFAIL),
		RMX_OK);
	/* data present: answered; absent: the mark */
	s = ask(z, "t.example.", RMX_RR_TXT);
	assert_int_equal(s.status, RMX_DNS_OK);
	s = ask(z, "t.example.", RMX_RR_SPF);
	assert_int_equal(s.status, RMX_DNS_TIMEOUT);
	s = ask(z, "s.example.", TYPE_A);
	assert_int_equal(s.status, RMX_DNS_FAIL);
	/* marks are per name, not per subtree */
	s = ask(z, "x.t.example.", TYPE_A);
	assert_int_equal(s.status, RMX_DNS_NXDOMAIN);
	assert_int_equal(rmx_zone_mark(z, "t.example.", 0x80), RMX_EINVAL);
	rmx_zone_free(z);
}

static void test_ignore_marks(void **state)
{
	struct rmx_zone *z = new_zone();
	static const uint8_t txt[] = {2, 'h', 'i'};
	struct seen s;

	(void)state;
	assert_int_equal(rmx_zone_add_rr(z, "t.example.", RMX_RR_TXT, txt,
		sizeof(txt)), RMX_OK);
	assert_int_equal(rmx_zone_mark(z, "t.example.", RMX_ZONE_TIMEOUT),
		RMX_OK);
	assert_int_equal(rmx_zone_mark(z, "s.example.", RMX_ZONE_SERVFAIL),
		RMX_OK);
	rmx_zone_set_ignore_marks(z, true);
	/* as a server with only the RRs: the name with data has NODATA, the
	 * marked name without data does not exist, nor do its ancestors
	 * gain data from the mark */
	s = ask(z, "t.example.", RMX_RR_SPF);
	assert_int_equal(s.status, RMX_DNS_NODATA);
	s = ask(z, "t.example.", RMX_RR_TXT);
	assert_int_equal(s.status, RMX_DNS_OK);
	s = ask(z, "s.example.", TYPE_A);
	assert_int_equal(s.status, RMX_DNS_NXDOMAIN);
	/* the marks are kept */
	rmx_zone_set_ignore_marks(z, false);
	s = ask(z, "t.example.", RMX_RR_SPF);
	assert_int_equal(s.status, RMX_DNS_TIMEOUT);
	s = ask(z, "s.example.", TYPE_A);
	assert_int_equal(s.status, RMX_DNS_FAIL);
	rmx_zone_set_ignore_marks(NULL, true); /* no crash */
	rmx_zone_free(z);
}

/* What rmx_zone_foreach visited, as text lines "owner type hex". */
struct visit_log {
	char lines[8][RMX_NAME_MAXTEXT + 80];
	int n;
	int stop_after;         /* return RMX_ECANCELED after this many */
};

static int log_rr(void *arg, const uint8_t *owner, size_t ownerlen,
	uint16_t type, const uint8_t *rdata, size_t rdlen)
{
	struct visit_log *log = arg;
	char name[RMX_NAME_MAXTEXT], hex[64] = "";

	assert_true(log->n < 8);
	assert_int_equal(rmx_name_to_text(owner, ownerlen, name, sizeof(name),
		NULL), RMX_OK);
	assert_int_equal(rmx_hex_encode(rdata, rdlen, hex, sizeof(hex)),
		RMX_OK);
	snprintf(log->lines[log->n++], sizeof(log->lines[0]), "%s %u %s",
		name, (unsigned)type, hex);
	return log->n == log->stop_after ? RMX_ECANCELED : RMX_OK;
}

static int find_line(const struct visit_log *log, const char *line)
{
	int i;

	for (i = 0; i < log->n; i++)
		if (strcmp(log->lines[i], line) == 0)
			return i;
	return -1;
}

static void test_foreach(void **state)
{
	struct rmx_zone *z = new_zone();
	static const uint8_t rmx1[] = {0x01, 0x04, 0x18, 0xc0, 0x00, 0x02};
	static const uint8_t rmx2[] = {0x00, 0x00};
	struct visit_log log;

	(void)state;
	memset(&log, 0, sizeof(log));
	/* empty zone, marks only: nothing to visit */
	assert_int_equal(rmx_zone_mark(z, "m.example.", RMX_ZONE_TIMEOUT),
		RMX_OK);
	assert_int_equal(rmx_zone_foreach(z, log_rr, &log), RMX_OK);
	assert_int_equal(log.n, 0);
	add_a(z, "A.Example.", 1);
	add_a(z, "a.example.", 2);
	add_cname(z, "c.example.", "Target.example.");
	assert_int_equal(rmx_zone_add_rr(z, "john\\.doe.example.",
		RMX_TYPE_DEFAULT, rmx1, sizeof(rmx1)), RMX_OK);
	assert_int_equal(rmx_zone_add_rr(z, "john\\.doe.example.",
		RMX_TYPE_DEFAULT, rmx2, sizeof(rmx2)), RMX_OK);
	assert_int_equal(rmx_zone_add_rr(z, "e.example.", RMX_TYPE_DEFAULT,
		NULL, 0), RMX_OK);
	assert_int_equal(rmx_zone_foreach(z, log_rr, &log), RMX_OK);
	/* every RR once (ancestors and marks are no RRs); owners lower-cased,
	 * RDATA (the CNAME target's case too) as given */
	assert_int_equal(log.n, 6);
	assert_true(find_line(&log, "a.example. 1 c0000201") >= 0);
	assert_true(find_line(&log, "a.example. 1 c0000202") >
		find_line(&log, "a.example. 1 c0000201"));
	assert_true(find_line(&log,
		"c.example. 5 06546172676574076578616d706c6500") >= 0);
	assert_true(find_line(&log, "john\\.doe.example. 65280 "
		"010418c00002") >= 0);
	assert_true(find_line(&log, "john\\.doe.example. 65280 0000") >
		find_line(&log, "john\\.doe.example. 65280 010418c00002"));
	assert_true(find_line(&log, "e.example. 65280 ") >= 0);
	/* a callback's error stops the walk and comes back */
	memset(&log, 0, sizeof(log));
	log.stop_after = 2;
	assert_int_equal(rmx_zone_foreach(z, log_rr, &log), RMX_ECANCELED);
	assert_int_equal(log.n, 2);
	assert_int_equal(rmx_zone_foreach(NULL, log_rr, &log), RMX_EINVAL);
	assert_int_equal(rmx_zone_foreach(z, NULL, &log), RMX_EINVAL);
	rmx_zone_free(z);
}

static void test_callbacks_only_from_process(void **state)
{
	struct rmx_zone *z = new_zone();
	struct rmx_resolver *r = rmx_zone_resolver(z);
	struct seen a, b, c;
	rmx_query_id ia, ib, ic;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&c, 0, sizeof(c));
	add_a(z, "h.example.", 1);
	assert_int_equal(r->ops->fd(r), -1);
	assert_string_equal(r->ops->name, "zone");
	assert_int_equal(rmx_resolver_query(r, "h.example.", TYPE_A,
		record_answer, &a, &ia), RMX_OK);
	assert_int_equal(rmx_resolver_query(r, "nx.example.", TYPE_A,
		record_answer, &b, &ib), RMX_OK);
	assert_int_equal(rmx_resolver_query(r, "h.example.", RMX_RR_TXT,
		record_answer, &c, &ic), RMX_OK);
	assert_true(ia != ib && ib != ic && ia != ic);
	assert_int_equal(r->ops->pending(r), 3);
	assert_int_equal(a.calls + b.calls + c.calls, 0);
	/* cancel the middle one: its callback never comes */
	rmx_resolver_cancel(r, ib);
	rmx_resolver_cancel(r, ib); /* twice is harmless */
	assert_int_equal(r->ops->pending(r), 2);
	assert_int_equal(rmx_resolver_process(r, -1), 2);
	assert_int_equal(a.calls, 1);
	assert_int_equal(b.calls, 0);
	assert_int_equal(c.calls, 1);
	assert_true(a.order < c.order);
	assert_int_equal(c.status, RMX_DNS_NODATA);
	assert_int_equal(r->ops->pending(r), 0);
	/* nothing left: process returns at once with 0 callbacks */
	assert_int_equal(rmx_resolver_process(r, -1), 0);
	rmx_zone_free(z);
}

struct chained {
	struct rmx_resolver *r;
	struct seen second;
	int first_calls;
};

static void start_second(void *arg, const struct rmx_dns_answer *a)
{
	struct chained *c = arg;
	rmx_query_id id;

	c->first_calls++;
	assert_int_equal(a->status, RMX_DNS_OK);
	assert_int_equal(rmx_resolver_query(c->r, "h.example.", TYPE_A,
		record_answer, &c->second, &id), RMX_OK);
	/* not called from inside query(), even inside another callback */
	assert_int_equal(c->second.calls, 0);
}

static void test_query_from_callback(void **state)
{
	struct rmx_zone *z = new_zone();
	struct chained c;
	rmx_query_id id;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.r = rmx_zone_resolver(z);
	add_a(z, "h.example.", 1);
	assert_int_equal(rmx_resolver_query(c.r, "h.example.", TYPE_A,
		start_second, &c, &id), RMX_OK);
	assert_int_equal(rmx_resolver_process(c.r, 0), 1);
	assert_int_equal(c.first_calls, 1);
	assert_int_equal(c.second.calls, 0);
	assert_int_equal(c.r->ops->pending(c.r), 1);
	assert_int_equal(rmx_resolver_process(c.r, 0), 1);
	assert_int_equal(c.second.calls, 1);
	rmx_zone_free(z);
}

static void test_bad_input(void **state)
{
	struct rmx_zone *z = new_zone();
	struct rmx_resolver *r = rmx_zone_resolver(z);
	struct seen s;
	rmx_query_id id;
	uint8_t *big = calloc(1, 65536);
	char longlabel[80];

	(void)state;
	assert_non_null(big);
	memset(&s, 0, sizeof(s));
	memset(longlabel, 'a', 70);
	strcpy(longlabel + 70, ".example.");
	assert_int_equal(rmx_resolver_query(r, "a..example.", TYPE_A,
		record_answer, &s, &id), RMX_EINVAL);
	assert_int_equal(rmx_resolver_query(r, longlabel, TYPE_A,
		record_answer, &s, &id), RMX_EINVAL);
	assert_int_equal(r->ops->pending(r), 0);
	assert_int_equal(rmx_resolver_process(r, 0), 0);
	assert_int_equal(s.calls, 0);
	assert_int_equal(rmx_zone_add_rr(z, "x.example.", 1, big, 65536),
		RMX_EINVAL);
	assert_int_equal(rmx_zone_add_rr(z, "x.example.", 1, big, 65535),
		RMX_OK);
	assert_int_equal(rmx_zone_add_rr(z, longlabel, 1, big, 4),
		RMX_EINVAL);
	assert_int_equal(rmx_zone_rr_count(z), 1);
	free(big);
	/* rmx_resolver_free on the view frees the zone */
	rmx_resolver_free(r);
}

/* ---- master files ---- */

struct big_seen {
	int calls;
	size_t rdlen;
};

static void record_big(void *arg, const struct rmx_dns_answer *a)
{
	struct big_seen *seen = arg;

	seen->calls++;
	assert_int_equal(a->status, RMX_DNS_OK);
	assert_int_equal(a->count, 1);
	seen->rdlen = a->rr[0].rdlen;
}

static char *write_temp(const char *text)
{
	char *path = strdup("/tmp/rmx_zone_test.XXXXXX");
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static const char zone_text[] =
	"$ORIGIN example.com.\n"
	"$TTL 300\n"
	"@ IN SOA ns hostmaster ( 1 ; serial\n"
	"   3600 600 86400 300 )\n"
	"@ IN NS ns\n"
	"ns IN A 192.0.2.53\n"
	"@ 600 IN RMX ip4:192.0.2.0/24 !ip4:192.0.2.66 ; a comment; with ;\n"
	"  IN MX 10 mail\n"
	"john\\.doe IN rmx ( ip4:198.51.100.7\n"
	"    host:relay )   ; relative host name\n"
	"ldap IN RMX tlsldap:\"ldap://x.example/o=a;b c\" sasl\n"
	"raw IN TYPE65280 \\# 2 0700\n"
	"txt IN TXT \"v=spf1 -all ; not a comment\" \"(nor this)\"\n";

static void test_load_file(void **state)
{
	char *path = write_temp(zone_text);
	struct rmx_zone *z = new_zone();
	struct rmx_diag diag;
	uint8_t want[256];
	size_t wantlen;
	struct seen s;

	(void)state;
	assert_int_equal(rmx_zone_load_file(z, path, NULL, &diag), RMX_OK);
	assert_int_equal(rmx_zone_rr_count(z), 9);
	s = ask(z, "example.com.", RMX_TYPE_DEFAULT);
	assert_int_equal(s.status, RMX_DNS_OK);
	assert_int_equal(rmx_rdata_from_text(
		"ip4:192.0.2.0/24 !ip4:192.0.2.66", NULL, want, sizeof(want),
		&wantlen, NULL), RMX_OK);
	assert_int_equal(s.rdlen[0], wantlen);
	assert_memory_equal(s.rdata[0], want, wantlen);
	/* the owner-less MX line belongs to the previous owner */
	s = ask(z, "example.com.", RMX_RR_MX);
	assert_int_equal(s.status, RMX_DNS_OK);
	/* relative names inside RMX data take the origin */
	s = ask(z, "john\\.doe.example.com.", RMX_TYPE_DEFAULT);
	assert_int_equal(s.status, RMX_DNS_OK);
	assert_int_equal(rmx_rdata_from_text(
		"ip4:198.51.100.7 host:relay.example.com.", NULL, want,
		sizeof(want), &wantlen, NULL), RMX_OK);
	assert_int_equal(s.rdlen[0], wantlen);
	assert_memory_equal(s.rdata[0], want, wantlen);
	/* quotes keep ';' and blanks */
	s = ask(z, "ldap.example.com.", RMX_TYPE_DEFAULT);
	assert_int_equal(s.status, RMX_DNS_OK);
	assert_int_equal(rmx_rdata_from_text(
		"tlsldap:\"ldap://x.example/o=a;b c\" sasl", NULL, want,
		sizeof(want), &wantlen, NULL), RMX_OK);
	assert_int_equal(s.rdlen[0], wantlen);
	assert_memory_equal(s.rdata[0], want, wantlen);
	s = ask(z, "raw.example.com.", RMX_TYPE_DEFAULT);
	assert_int_equal(s.status, RMX_DNS_OK);
	assert_int_equal(s.rdlen[0], 2);
	assert_int_equal(s.rdata[0][0], 7);
	s = ask(z, "txt.example.com.", RMX_RR_TXT);
	assert_int_equal(s.status, RMX_DNS_OK);
	assert_int_equal(s.rdata[0][0], strlen("v=spf1 -all ; not a comment"));
	rmx_zone_free(z);
	unlink(path);
	free(path);
}

static void test_load_file_type_code_and_origin(void **state)
{
	char *path = write_temp("@ IN RMX mx:mail\n");
	struct rmx_zone *z = NULL;
	struct rmx_diag diag;
	struct seen s;

	(void)state;
	assert_int_equal(rmx_zone_new(65300, &z), RMX_OK);
	assert_int_equal(rmx_zone_rr_type(z), 65300);
	assert_int_equal(rmx_zone_load_file(z, path, "example.net.", &diag),
		RMX_OK);
	s = ask(z, "example.net.", 65300);
	assert_int_equal(s.status, RMX_DNS_OK);
	/* mx entry: type 7, name mail.example.net. */
	assert_int_equal(s.rdata[0][0], 7);
	assert_int_equal(s.rdata[0][2], 4);
	assert_memory_equal(s.rdata[0] + 3, "mail", 4);
	s = ask(z, "example.net.", RMX_TYPE_DEFAULT);
	assert_int_equal(s.status, RMX_DNS_NODATA);
	rmx_zone_free(z);
	unlink(path);
	free(path);
}

/* An initial origin without the trailing dot is relative to the root, as
 * a relative $ORIGIN is to the one before it (it used to crash). */
static void test_load_file_relative_origin(void **state)
{
	char *path = write_temp("@ IN RMX mx:mail\n$ORIGIN sub\n"
		"@ IN RMX mx\n");
	struct rmx_zone *z = new_zone();
	struct rmx_diag diag;
	struct seen s;

	(void)state;
	assert_int_equal(rmx_zone_load_file(z, path, "example.net", &diag),
		RMX_OK);
	s = ask(z, "example.net.", RMX_TYPE_DEFAULT);
	assert_int_equal(s.status, RMX_DNS_OK);
	assert_int_equal(s.rdlen[0], 2 + 18); /* mx:mail.example.net. */
	s = ask(z, "sub.example.net.", RMX_TYPE_DEFAULT);
	assert_int_equal(s.status, RMX_DNS_OK);
	rmx_zone_free(z);
	unlink(path);
	free(path);
}

static void test_load_file_errors(void **state)
{
	static const struct {
		const char *text;
		size_t line;
		const char *needle;
	} cases[] = {
		{"$ORIGIN example.com.\n@ IN A 192.0.2.1\n\n"
		 "x IN RMX ip4:192.0.2.1/33\n", 4, "RMX record"},
		{"$ORIGIN example.com.\n@ IN RMX (\n ip4:192.0.2.0/24\n"
		 " bogus:1 )\n", 2, "RMX record"},
		{"$ORIGIN example.com.\n@ IN A 300.1.1.1\n", 2, ""},
		{"x.example. IN TXT \"open\n", 1, "quoted"},
		{"x.example. IN A ( 192.0.2.1\n", 1, "not closed"},
		{"x.example. IN A 192.0.2.1 )\n", 1, "without"},
		{"$INCLUDE other.zone\n", 1, "not supported"},
		{" IN A 192.0.2.1\n", 1, "previous owner"},
		/* a backslash with nothing after it on its line is a cut-off
		 * escape, not an escaped blank (it used to become "abc\\032") */
		{"x.example. IN RMX host:abc\\\n", 1, "backslash at the end"},
		{"x.example. IN RMX ( mx\n host:abc\\\r\n )\n", 1,
		 "backslash at the end"},
		{"x.example. IN TXT abc\\", 1, "backslash at the end"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = write_temp(cases[i].text);
		struct rmx_zone *z = new_zone();
		struct rmx_diag diag;
		char prefix[64];

		memset(&diag, 0, sizeof(diag));
		if (rmx_zone_load_file(z, path, NULL, &diag) !=
		    RMX_EMALFORMED)
			fail_msg("case %zu loaded", i);
		if (diag.line != cases[i].line)
			fail_msg("case %zu: line %zu, want %zu (%s)", i,
				diag.line, cases[i].line, diag.msg);
		snprintf(prefix, sizeof(prefix), "%s:%zu: ", path,
			cases[i].line);
		if (strncmp(diag.msg, prefix, strlen(prefix)) != 0 ||
		    strstr(diag.msg, cases[i].needle) == NULL)
			fail_msg("case %zu: message '%s'", i, diag.msg);
		rmx_zone_free(z);
		unlink(path);
		free(path);
	}
}

/* RMX RDATA past ldns's ~32 KiB hex limit loads; past 65535 octets it is
 * an error on the record's line. */
static void test_load_file_large_rmx(void **state)
{
	size_t cap = 200000, n = 0, i;
	char *text = malloc(cap);
	char *path;
	struct rmx_zone *z = new_zone();
	struct rmx_resolver *r = rmx_zone_resolver(z);
	struct rmx_diag diag;
	rmx_query_id id;
	struct big_seen seen = {0, 0};

	(void)state;
	assert_non_null(text);
	/* 3000 ip6 /128 entries of 19 octets: 57000 octets */
	n += (size_t)snprintf(text + n, cap - n, "big.example. IN RMX (");
	for (i = 0; i < 3000; i++)
		n += (size_t)snprintf(text + n, cap - n,
			"%sip6:2001:db8::%zx", i % 8 == 0 ? "\n " : " ", i);
	n += (size_t)snprintf(text + n, cap - n, " )\n");
	path = write_temp(text);
	assert_int_equal(rmx_zone_load_file(z, path, NULL, &diag), RMX_OK);
	unlink(path);
	free(path);
	assert_int_equal(rmx_resolver_query(r, "big.example.",
		RMX_TYPE_DEFAULT, record_big, &seen, &id), RMX_OK);
	assert_int_equal(rmx_resolver_process(r, 0), 1);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.rdlen, 57000);
	rmx_zone_free(z);

	/* 4000 entries: 76000 octets */
	n = (size_t)snprintf(text, cap, "\nbig.example. IN RMX");
	for (i = 0; i < 4000; i++)
		n += (size_t)snprintf(text + n, cap - n, " ip6:2001:db8::%zx",
			i);
	snprintf(text + n, cap - n, "\n");
	path = write_temp(text);
	z = new_zone();
	assert_int_equal(rmx_zone_load_file(z, path, NULL, &diag),
		RMX_EMALFORMED);
	assert_int_equal(diag.line, 2);
	assert_non_null(strstr(diag.msg, "longer than 65535"));
	rmx_zone_free(z);
	unlink(path);
	free(path);
	free(text);
}

static void test_load_file_missing(void **state)
{
	struct rmx_zone *z = new_zone();
	struct rmx_diag diag;

	(void)state;
	assert_int_equal(rmx_zone_load_file(z, "/nonexistent/zone", NULL,
		&diag), RMX_ENOTFOUND);
	assert_non_null(strstr(diag.msg, "/nonexistent/zone"));
	rmx_zone_free(z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answers_in_order),
		cmocka_unit_test(test_nodata_nxdomain_ent),
		cmocka_unit_test(test_case_insensitive),
		cmocka_unit_test(test_cname_chain),
		cmocka_unit_test(test_cname_limits),
		cmocka_unit_test(test_marks),
		cmocka_unit_test(test_ignore_marks),
		cmocka_unit_test(test_foreach),
		cmocka_unit_test(test_callbacks_only_from_process),
		cmocka_unit_test(test_query_from_callback),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_load_file_type_code_and_origin),
		cmocka_unit_test(test_load_file_relative_origin),
		cmocka_unit_test(test_load_file_errors),
		cmocka_unit_test(test_load_file_large_rmx),
		cmocka_unit_test(test_load_file_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * spf_test.c - unit tests for spf_parse.c (accept/reject tables, what the
 * parsed terms hold) and spf_eval.c on the in-memory zone (limits counted
 * at evaluation although lookups start ahead, parallel rounds, explanation,
 * the p macro, reasons).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "spf.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rmx/check.h>
#include <rmx/record.h>
#include <rmx/zone.h>

struct test_arena {
	void *blocks[4096];
	size_t n;
};

static void *arena_alloc(void *ctx, size_t size)
{
	struct test_arena *a = ctx;
	void *p;

	if (a->n == sizeof(a->blocks) / sizeof(a->blocks[0]))
		return NULL;
	p = calloc(1, size);
	if (p != NULL)
		a->blocks[a->n++] = p;
	return p;
}

static void arena_free_all(struct test_arena *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->blocks[i]);
	a->n = 0;
}

static int parse(struct test_arena *a, const char *text, size_t len,
	struct spf_record *rec, struct rmx_diag *diag)
{
	return spf_record_parse(text, len, arena_alloc, a, rec, diag);
}

static void test_parse_accept(void **state)
{
	static const struct {
		const char *text;
		unsigned nterms, nlookups;
		const char *kinds; /* one letter per term: A l(include) a m p 4 6 e */
	} cases[] = {
		{"v=spf1", 0, 0, ""},
		{"V=SpF1 ~all", 1, 0, "A"},
		{"v=spf1  a  -all ", 2, 1, "aA"},
		{"v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all", 3, 0, "46A"},
		{"v=spf1 a mx ptr exists:%{i}.x.example include:x.example "
		 "?all", 6, 5, "ampelA"},
		{"v=spf1 a:foo.example.com/24//64 mx//0 a/0", 3, 3, "ama"},
		{"v=spf1 a:foo:bar/baz.example.com", 1, 1, "a"},
		{"v=spf1 a:foo.example.xn--zckzah", 1, 1, "a"},
		{"v=spf1 a:a.123-456", 1, 1, "a"},
		{"v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all", 2, 0,
		 "4A"},
		{"v=spf1 default=+ foo= bar=%{c}%{r}%{t}", 0, 0, ""},
		{"v=spf1 redirect=%{d}.d.spf.example.com. exp=x.%{d2}", 0, 0,
		 ""},
		{"v=spf1 exists:%{l2r+-}.user.%{d2}", 1, 1, "e"},
		{"v=spf1 a:macro%%percent%_%_space%-url-space.example.com -all",
		 2, 1, "aA"},
		{"v=spf1 ptr:example.Com. -ALL +Include:x.example", 3, 2,
		 "pAl"},
		{"v=spf1 ip4:0.0.0.0/0 ip6:::/0 ip6:::1.1.1.1/128", 3, 0,
		 "466"},
	};
	struct test_arena *a = *state;
	size_t i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct spf_record rec;
		struct rmx_diag diag;
		int rc = parse(a, cases[i].text, strlen(cases[i].text), &rec,
			&diag);

		if (rc != RMX_OK)
			fail_msg("'%s': rc %d: %s", cases[i].text, rc,
				diag.msg);
		assert_int_equal(rec.nterms, cases[i].nterms);
		assert_int_equal(rec.nlookups, cases[i].nlookups);
		for (j = 0; j < rec.nterms; j++) {
			static const char letters[] = "Alamp46e";

			if (letters[rec.terms[j].kind] != cases[i].kinds[j])
				fail_msg("'%s' term %zu: kind %c, want %c",
					cases[i].text, j,
					letters[rec.terms[j].kind],
					cases[i].kinds[j]);
		}
	}
}

static void test_parse_fields(void **state)
{
	struct test_arena *a = *state;
	struct spf_record rec;
	struct rmx_diag diag;
	const char *t = "v=spf1 -a:Foo.Example.com./24//64 ~mx ?ptr "
		"+ip4:192.0.2.128/25 ip6:2001:DB8::/48 exists:%{ir}.bl.example "
		"redirect=r.example exp=e.%{d}";

	assert_int_equal(parse(a, t, strlen(t), &rec, &diag), RMX_OK);
	assert_int_equal(rec.nterms, 6);
	/* a: qualifier, CIDRs, the finished literal name. */
	assert_int_equal(rec.terms[0].result, RMX_RESULT_FAIL);
	assert_int_equal(rec.terms[0].cidr4, 24);
	assert_int_equal(rec.terms[0].cidr6, 64);
	assert_false(rec.terms[0].domain.macro);
	assert_true(rec.terms[0].domain.valid);
	assert_string_equal(rec.terms[0].domain.name, "Foo.Example.com");
	assert_int_equal(rec.terms[0].text_len,
		strlen("-a:Foo.Example.com./24//64"));
	assert_memory_equal(rec.terms[0].text, "-a:Foo", 6);
	/* mx without a domain: defaults. */
	assert_int_equal(rec.terms[1].result, RMX_RESULT_SOFTFAIL);
	assert_null(rec.terms[1].domain.spec);
	assert_int_equal(rec.terms[1].cidr4, 32);
	assert_int_equal(rec.terms[1].cidr6, 128);
	assert_int_equal(rec.terms[2].result, RMX_RESULT_NEUTRAL);
	/* ip4 / ip6 networks. */
	assert_int_equal(rec.terms[3].result, RMX_RESULT_PASS);
	assert_int_equal(rec.terms[3].cidr4, 25);
	assert_memory_equal(rec.terms[3].net, "\xc0\x00\x02\x80", 4);
	assert_int_equal(rec.terms[4].cidr6, 48);
	assert_memory_equal(rec.terms[4].net, "\x20\x01\x0d\xb8", 4);
	/* exists with a macro: kept for expansion. */
	assert_true(rec.terms[5].domain.macro);
	assert_false(rec.terms[5].domain.macro_p);
	assert_string_equal(rec.terms[5].domain.spec, "%{ir}.bl.example");
	/* modifiers */
	assert_true(rec.has_redirect);
	assert_string_equal(rec.redirect.name, "r.example");
	assert_true(rec.has_exp);
	assert_true(rec.exp.macro);
	/* A literal name that is not a DNS name parses, and is marked. */
	t = "v=spf1 a:mail.example...com a:a1234567890123456789012345678901"
		"23456789012345678901234567890123.example.com";
	assert_int_equal(parse(a, t, strlen(t), &rec, &diag), RMX_OK);
	assert_false(rec.terms[0].domain.valid);
	assert_false(rec.terms[1].domain.valid);
	/* Odd octets get a query text with escapes. */
	t = "v=spf1 a:foo:bar/baz.example.com";
	assert_int_equal(parse(a, t, strlen(t), &rec, &diag), RMX_OK);
	assert_string_equal(rec.terms[0].domain.qname,
		"foo\\058bar\\047baz.example.com");
}

static void test_parse_reject(void **state)
{
	static const char *const cases[] = {
		"v=spf1 ip4:1.2.3.4 -all moo",
		"v=spf1 moo.cow/far_out=man:dog/cat ip4:1.2.3.4 -all",
		"v=spf1 moo.cow:far_out=man:dog/cat ip4:1.2.3.4 -all",
		"v=spf1 ip4:1.2.3.4 redirect:t2.example.com",
		"v=spf1 a:foo-bar -all",
		"v=spf1 -all.",
		"v=spf1 -all:foobar",
		"v=spf1 -all/8",
		"v=spf1 ptr/0 -all",
		"v=spf1 ptr:",
		"v=spf1 a/33 -all",
		"v=spf1 a//129 -all",
		"v=spf1 a/24/64 -all",
		"v=spf1 a/024",
		"v=spf1 a:example.com:8080",
		"v=spf1 a:111.222.33.44",
		"v=spf1 a:abc.123",
		"v=spf1 a:museum",
		"v=spf1 a:museum.",
		"v=spf1 a:example.-com",
		"v=spf1 a:example.com-",
		"v=spf1 a:",
		"v=spf1 include +all",
		"v=spf1 include: -all",
		"v=spf1 include:ip5.example.com/24 -all",
		"v=spf1 mx: -all",
		"v=spf1 mx:abc.123",
		"v=spf1 exists",
		"v=spf1 exists:",
		"v=spf1 exists:mail.example.com/24",
		"v=spf1 ip4",
		"v=spf1 ip4:",
		"v=spf1 ip4:1.2.3.4/33 -all",
		"v=spf1 ip4:1.2.3.4/032 -all",
		"v=spf1 ip4:1.2.3.4//32",
		"v=spf1 ip4:1.2.3.4:8080",
		"v=spf1 ip4:1.2.3",
		"v=spf1 ip4:01.2.3.4",
		"v=spf1 -all ip6",
		"v=spf1 ip6:::1.1.1.1/129",
		"v=spf1 ip6:::1.1.1.1//33",
		"v=spf1 ip6::CAFE::BABE",
		"v=spf1 1up=foo",
		"v=spf1 =all",
		"v=spf1 -redirect=x.example",
		"v=spf1 exp= -all",
		"v=spf1 exp=-all",
		"v=spf1 redirect=-all ?all",
		"v=spf1 ?all redirect=",
		"v=spf1 exp=a.example.com -all exp=b.example.com",
		"v=spf1 redirect=a.example.com -all redirect=a.example.com",
		"v=spf1 -all foo=%abc",
		"v=spf1 -exists:%(ir).sbl.example.com ?all",
		"v=spf1 exists:foo%(ir).sbl.example.com ?all",
		"v=spf1 exists:foo%.sbl.example.com ?all",
		"v=spf1 -all exp=%{r}.example.com",
		"v=spf1 a:%{a}.example.com -all",
		"v=spf1 a:%{d0}.example.com",
		"v=spf1 a:%{d}. -all",
		"v=spf1 a:ctrl.example.com\rptr -all",
		"v=spf1 ip4:192.0.2.5\n include:x.example ~all",
		"v=spf1 \x80" "a:example.net -all",
		"v=spf1 a:\xEF\xBB\xBFgarbage.example.net -all",
		"v=spf1 a:example.net \x96" "all",
		"v=spf1\tall",
		"v=spf10",
		"v=spf1x",
		"spf1 -all",
		"",
	};
	struct test_arena *a = *state;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct spf_record rec;
		struct rmx_diag diag;
		int rc = parse(a, cases[i], strlen(cases[i]), &rec, &diag);

		if (rc != RMX_EMALFORMED)
			fail_msg("'%s': rc %d, want RMX_EMALFORMED", cases[i],
				rc);
		assert_true(diag.msg[0] != '\0');
	}
	/* An embedded NUL is an error, not the end of the record. */
	{
		static const char nul[] = "v=spf1 a:foo.example.com\0 -all";
		struct spf_record rec;
		struct rmx_diag diag;

		assert_int_equal(parse(a, nul, sizeof(nul) - 1, &rec, &diag),
			RMX_EMALFORMED);
		assert_int_equal(diag.offset, 24);
	}
}

static void test_parse_bounds(void **state)
{
	struct test_arena *a = *state;
	struct spf_record rec;
	struct rmx_diag diag;
	char *big = malloc(SPF_RECORD_MAX + 2);
	size_t n;

	assert_non_null(big);
	/* 2044 one-letter terms: fits exactly in 4096 octets. */
	memcpy(big, "v=spf1", 6);
	for (n = 6; n + 2 <= SPF_RECORD_MAX; n += 2)
		memcpy(big + n, " a", 2);
	assert_int_equal(parse(a, big, n, &rec, &diag), RMX_OK);
	assert_int_equal(rec.nterms, (SPF_RECORD_MAX - 6) / 2);
	big[n++] = ' ';
	big[n++] = 'a';
	assert_int_equal(parse(a, big, n, &rec, &diag), RMX_EMALFORMED);
	free(big);
	/* Allocation failure is ENOMEM, not a crash. */
	{
		struct test_arena full;

		memset(&full, 0, sizeof(full));
		full.n = sizeof(full.blocks) / sizeof(full.blocks[0]);
		assert_int_equal(spf_record_parse("v=spf1 a", 8, arena_alloc,
			&full, &rec, &diag), RMX_ENOMEM);
	}
}

/* The IPv6 parser against inet_pton: a table, then 300 000 random strings
 * over the characters that matter. */
static void test_parse_ip6_like_inet_pton(void **state)
{
	static const char *const cases[] = {
		"::", "::1", "1::", "1::2", "2001:db8::cb01", "::ffff:1.2.3.4",
		"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7::",
		"::2:3:4:5:6:7:8", "CAFE:BABE::1", "Cafe:Babe:8000::",
		"1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", ":1::", "1::2::3",
		"1:::2", "12345::", "::1.2.3", "::1.2.3.04", "::256.1.1.1",
		"1:2:3:4:5:6:7:1.2.3.4", "::1:", ":", "", "1", "g::",
		"::ffff:1.2.3.4:5", "1::2:3:4:5:6:7:8", "0:0:0:0:0:0:0:0",
		"::0.0.0.0", "fe80::1%eth0", " ::1", "1.2.3.4",
	};
	static const char alphabet[] = "0123456789abcdefABCDEF::::....";
	uint8_t a[16], b[16];
	uint32_t x = 2463534242u;
	char buf[48];
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool want = inet_pton(AF_INET6, cases[i], a) == 1;
		bool got = spf_parse_ip6(cases[i], strlen(cases[i]), b);

		if (want != got || (want && memcmp(a, b, 16) != 0))
			fail_msg("'%s': inet_pton %d, spf_parse_ip6 %d",
				cases[i], want, got);
	}
	for (i = 0; i < 300000; i++) {
		size_t len;
		bool want, got;

		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		len = x % 40;
		for (j = 0; j < len; j++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			buf[j] = alphabet[x % (sizeof(alphabet) - 1)];
		}
		buf[len] = '\0';
		want = inet_pton(AF_INET6, buf, a) == 1;
		got = spf_parse_ip6(buf, len, b);
		if (want != got || (want && memcmp(a, b, 16) != 0))
			fail_msg("'%s': inet_pton %d, spf_parse_ip6 %d", buf,
				want, got);
	}
	/* Structured near-misses: 1-9 groups of 0-5 hex digits, ':' or
	 * '::', sometimes a dotted quad (0-299, leading zeros) at the end. */
	{
		unsigned valid = 0;

		for (i = 0; i < 200000; i++) {
			size_t len = 0, g, ng, d;
			bool want, got;

			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			ng = 1 + x % 9;
			for (g = 0; g < ng && len < 40; g++) {
				size_t nd = (x >> (g * 3)) % 6;

				if (g > 0 || (x >> 28) % 8 == 0)
					buf[len++] = ':';
				if ((x >> (g + 7)) % 9 == 0 && len < 40)
					buf[len++] = ':';
				for (d = 0; d < nd && len < 40; d++)
					buf[len++] = "0123456789abcdef"
						[(x >> (d * 4 + g)) % 16];
			}
			if ((x >> 20) % 4 == 0)
				len += (size_t)snprintf(buf + len,
					sizeof(buf) - len, ":%u.%u.%u.%02u",
					x % 300, (x >> 9) % 256,
					(x >> 3) % 256, (x >> 13) % 256);
			if (len >= sizeof(buf))
				len = sizeof(buf) - 1;
			buf[len] = '\0';
			want = inet_pton(AF_INET6, buf, a) == 1;
			got = spf_parse_ip6(buf, len, b);
			valid += want;
			if (want != got || (want && memcmp(a, b, 16) != 0))
				fail_msg("'%s': inet_pton %d, spf_parse_ip6 "
					"%d", buf, want, got);
		}
		/* The generator must reach valid addresses too. */
		if (valid < 10000)
			fail_msg("only %u valid addresses generated", valid);
	}
}

/* ---- evaluation on the in-memory zone ---- */

struct env {
	struct test_arena arena;
	struct rmx_zone *zone;
};

static int env_setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	if (e == NULL || rmx_zone_new(RMX_TYPE_DEFAULT, &e->zone) != RMX_OK)
		return -1;
	*state = e;
	return 0;
}

static int env_teardown(void **state)
{
	struct env *e = *state;

	arena_free_all(&e->arena);
	rmx_zone_free(e->zone);
	free(e);
	return 0;
}

static int arena_setup(void **state)
{
	*state = calloc(1, sizeof(struct test_arena));
	return *state == NULL ? -1 : 0;
}

static int arena_teardown(void **state)
{
	arena_free_all(*state);
	free(*state);
	return 0;
}

static void add_txt(struct env *e, const char *name, const char *text)
{
	uint8_t rd[1024];
	size_t len = strlen(text), off = 0, n = 0;

	while (off < len || n == 0) {
		size_t l = len - off > 255 ? 255 : len - off;

		assert_true(n + 1 + l <= sizeof(rd));
		rd[n++] = (uint8_t)l;
		memcpy(rd + n, text + off, l);
		n += l;
		off += l;
		if (off == len)
			break;
	}
	assert_int_equal(rmx_zone_add_rr(e->zone, name, RMX_RR_TXT, rd, n),
		RMX_OK);
}

static void add_a(struct env *e, const char *name, const char *ip)
{
	struct rmx_addr a;

	assert_int_equal(rmx_addr_parse(ip, &a), 0);
	assert_int_equal(rmx_zone_add_rr(e->zone, name, a.family == 4 ?
		RMX_RR_A : RMX_RR_AAAA, a.a, a.family == 4 ? 4 : 16), RMX_OK);
}

static void add_name_rr(struct env *e, const char *name, uint16_t type,
	uint16_t pref, const char *target)
{
	uint8_t rd[2 + RMX_NAME_MAXWIRE];
	size_t wl, off = type == RMX_RR_MX ? 2 : 0;
	struct rmx_diag diag;

	rd[0] = (uint8_t)(pref >> 8);
	rd[1] = (uint8_t)pref;
	assert_int_equal(rmx_name_from_text(target, strlen(target), NULL,
		rd + off, &wl, &diag), RMX_OK);
	assert_int_equal(rmx_zone_add_rr(e->zone, name, type, rd, off + wl),
		RMX_OK);
}

struct run {
	struct rmx_check_result res;
	unsigned rounds;   /* process() calls that delivered answers */
	bool done;
};

static void run_done(void *arg, const struct rmx_check_result *res)
{
	struct run *r = arg;

	r->res = *res;
	r->done = true;
}

static void check_cfg(struct env *e, const char *ip, const char *sender,
	const char *helo, struct run *r, bool spf_rr);

/* Run an SPF-only check, counting the resolver rounds it takes. */
static void check(struct env *e, const char *ip, const char *sender,
	const char *helo, struct run *r)
{
	check_cfg(e, ip, sender, helo, r, false);
}

static void check_cfg(struct env *e, const char *ip, const char *sender,
	const char *helo, struct run *r, bool spf_rr)
{
	struct rmx_resolver *res = rmx_zone_resolver(e->zone);
	struct rmx_config cfg;
	struct rmx_request req;
	struct rmx_check *chk;

	memset(r, 0, sizeof(*r));
	rmx_config_init(&cfg);
	cfg.methods[0] = RMX_METHOD_SPF;
	cfg.nmethods = 1;
	cfg.spf_query_spf_rr = spf_rr;
	memset(&req, 0, sizeof(req));
	req.client_ip = ip;
	req.sender = sender;
	req.helo = helo;
	assert_int_equal(rmx_check_start(res, &cfg, &req, run_done, r, &chk),
		RMX_OK);
	while (!r->done) {
		int n = rmx_resolver_process(res, 0);

		assert_true(n > 0);
		r->rounds++;
	}
}

static void expect(const struct run *r, enum rmx_result want,
	const char *entry)
{
	if (r->res.result != want)
		fail_msg("got %s, want %s: %s", rmx_result_str(r->res.result),
			rmx_result_str(want), r->res.reason);
	if (entry != NULL)
		assert_string_equal(r->res.entry, entry);
}

static void test_eval_prefetch_parallel(void **state)
{
	struct env *e = *state;
	struct run r;

	add_txt(e, "p.example", "v=spf1 a:a1.example a:a2.example "
		"mx:m.example include:i.example exists:%{i}.bl.example -all");
	add_a(e, "a1.example", "192.0.2.1");
	add_a(e, "a2.example", "192.0.2.2");
	add_name_rr(e, "m.example", RMX_RR_MX, 10, "mx1.example");
	add_name_rr(e, "m.example", RMX_RR_MX, 20, "mx2.example");
	add_a(e, "mx1.example", "192.0.2.3");
	add_a(e, "mx2.example", "192.0.2.4");
	add_txt(e, "i.example", "v=spf1 a:a3.example ip4:198.51.100.0/24");
	add_a(e, "a3.example", "192.0.2.5");
	add_a(e, "192.0.2.9.bl.example", "127.0.0.2");

	/* Matches only in the include: 6 lookup terms, all of them
	 * fetched ahead, so the walk takes TXT, then one round for the
	 * terms, one for the MX hosts and the include's own terms. */
	check(e, "198.51.100.9", "x@p.example", "h.example", &r);
	expect(&r, RMX_RESULT_PASS, "ip4:198.51.100.0/24");
	assert_string_equal(r.res.domain, "i.example");
	assert_non_null(strstr(r.res.reason, "via include from p.example"));
	assert_int_equal(r.res.lookups, 5);
	assert_true(r.rounds <= 3);
	/* The first term matches: lookups 1, although more were started. */
	check(e, "192.0.2.1", "x@p.example", "h.example", &r);
	expect(&r, RMX_RESULT_PASS, "a:a1.example");
	assert_int_equal(r.res.lookups, 1);
	/* mx host matches, by preference order. */
	check(e, "192.0.2.4", "x@p.example", "h.example", &r);
	expect(&r, RMX_RESULT_PASS, "mx:m.example");
	assert_int_equal(r.res.lookups, 3);
	/* exists after a non-matching include. */
	check(e, "192.0.2.9", "x@p.example", "h.example", &r);
	expect(&r, RMX_RESULT_PASS, "exists:%{i}.bl.example");
	assert_int_equal(r.res.lookups, 6);
	/* Nothing matches: 5 terms here and 1 in the include. */
	check(e, "203.0.113.1", "x@p.example", "h.example", &r);
	expect(&r, RMX_RESULT_FAIL, "-all");
	assert_int_equal(r.res.lookups, 6);
	assert_true(r.rounds <= 3);
	assert_string_equal(r.res.explanation, "");
}

static void test_eval_limits_at_evaluation(void **state)
{
	struct env *e = *state;
	struct run r;

	/* 10 lookup terms then a match: pass.  11: permerror, even though
	 * the 11th term's answer would match. */
	add_txt(e, "ten.example", "v=spf1 a:n.example a:n.example "
		"a:n.example a:n.example a:n.example a:n.example a:n.example "
		"a:n.example a:n.example a:y.example -all");
	add_txt(e, "eleven.example", "v=spf1 a:n.example a:n.example "
		"a:n.example a:n.example a:n.example a:n.example a:n.example "
		"a:n.example a:n.example a:n.example a:y.example -all");
	add_txt(e, "early.example", "v=spf1 ip4:192.0.2.0/24 a:n.example "
		"a:n.example a:n.example a:n.example a:n.example a:n.example "
		"a:n.example a:n.example a:n.example a:n.example a:n.example");
	add_a(e, "n.example", "198.51.100.1");
	add_a(e, "y.example", "192.0.2.7");
	check(e, "192.0.2.7", "x@ten.example", NULL, &r);
	expect(&r, RMX_RESULT_PASS, "a:y.example");
	assert_int_equal(r.res.lookups, 10);
	check(e, "192.0.2.7", "x@eleven.example", NULL, &r);
	expect(&r, RMX_RESULT_PERMERROR, "a:y.example");
	/* A match before the limit is reached decides. */
	check(e, "192.0.2.7", "x@early.example", NULL, &r);
	expect(&r, RMX_RESULT_PASS, "ip4:192.0.2.0/24");

	/* Void lookups: two are fine, the third is permerror, counted in
	 * order. */
	add_txt(e, "v2.example", "v=spf1 a:nx1.example mx:nx2.example "
		"ip4:192.0.2.7 -all");
	add_txt(e, "v3.example", "v=spf1 a:nx1.example mx:nx2.example "
		"exists:nx3.example ip4:192.0.2.7 -all");
	check(e, "192.0.2.7", "x@v2.example", NULL, &r);
	expect(&r, RMX_RESULT_PASS, "ip4:192.0.2.7");
	check(e, "192.0.2.7", "x@v3.example", NULL, &r);
	expect(&r, RMX_RESULT_PERMERROR, "exists:nx3.example");
	assert_non_null(strstr(r.res.reason, "void"));

	/* 11 MX names: permerror at that term; 10 are fine. */
	{
		char host[32];
		int i;

		add_txt(e, "mx11.example", "v=spf1 mx -all");
		add_txt(e, "mx10.example", "v=spf1 mx -all");
		for (i = 0; i < 11; i++) {
			snprintf(host, sizeof(host), "h%d.example", i);
			add_name_rr(e, "mx11.example", RMX_RR_MX, (uint16_t)i,
				host);
			if (i < 10)
				add_name_rr(e, "mx10.example", RMX_RR_MX,
					(uint16_t)(10 - i), host);
		}
		add_a(e, "h0.example", "192.0.2.7");
		check(e, "192.0.2.7", "x@mx11.example", NULL, &r);
		expect(&r, RMX_RESULT_PERMERROR, "mx");
		check(e, "192.0.2.7", "x@mx10.example", NULL, &r);
		expect(&r, RMX_RESULT_PASS, "mx");
	}
}

/* Lookups are started ahead only up to a term that decides without DNS
 * (a matching ip4/ip6, all): in-order evaluation would never reach the
 * terms after it.  They used to be started and then cancelled. */
static void test_eval_no_prefetch_past_decision(void **state)
{
	struct env *e = *state;
	struct run r;

	add_txt(e, "early.example", "v=spf1 ip4:192.0.2.0/24 "
		"include:inc.example a:h.example mx -all");
	add_txt(e, "inc.example", "v=spf1 ip4:198.51.100.0/24 -all");
	add_txt(e, "all.example", "v=spf1 -all a:h.example "
		"redirect=inc.example");
	add_a(e, "h.example", "203.0.113.1");
	check(e, "192.0.2.7", "x@early.example", NULL, &r);
	expect(&r, RMX_RESULT_PASS, "ip4:192.0.2.0/24");
	assert_int_equal(r.res.queries, 1);
	assert_int_equal(r.rounds, 1);
	check(e, "192.0.2.7", "x@all.example", NULL, &r);
	expect(&r, RMX_RESULT_FAIL, "-all");
	assert_int_equal(r.res.queries, 1);
	/* No match at ip4: the terms after it are fetched ahead as before. */
	check(e, "198.51.100.7", "x@early.example", NULL, &r);
	expect(&r, RMX_RESULT_PASS, "ip4:198.51.100.0/24");
	assert_int_equal(r.res.queries, 4);
	assert_int_equal(r.rounds, 2);
}

static void test_eval_include_redirect(void **state)
{
	struct env *e = *state;
	struct run r;

	add_txt(e, "top.example", "v=spf1 -include:bad.example "
		"include:none.example");
	add_txt(e, "bad.example", "v=spf1 ip4:192.0.2.66 -all");
	add_txt(e, "none.example", "not spf");
	check(e, "192.0.2.66", "x@top.example", NULL, &r);
	expect(&r, RMX_RESULT_FAIL, "ip4:192.0.2.66");
	assert_string_equal(r.res.domain, "bad.example");
	/* An include whose target has no record: permerror. */
	check(e, "192.0.2.1", "x@top.example", NULL, &r);
	expect(&r, RMX_RESULT_PERMERROR, "include:none.example");

	/* redirect: the target's exp= is used, the origin's is not. */
	add_txt(e, "r.example", "v=spf1 exp=no.example redirect=%{d2}.t."
		"example");
	add_txt(e, "r.example.t.example", "v=spf1 a -all exp=why.example");
	add_a(e, "r.example.t.example", "192.0.2.8");
	add_txt(e, "no.example", "wrong");
	add_txt(e, "why.example", "%{i} is not %{d}, ask %{o}");
	check(e, "192.0.2.8", "x@r.example", NULL, &r);
	expect(&r, RMX_RESULT_PASS, "a");
	check(e, "192.0.2.9", "x@r.example", NULL, &r);
	expect(&r, RMX_RESULT_FAIL, "-all");
	assert_string_equal(r.res.explanation,
		"192.0.2.9 is not r.example.t.example, ask r.example");
	assert_non_null(strstr(r.res.reason, "via redirect from r.example"));

	/* The null sender: postmaster@helo. */
	add_txt(e, "helo.example", "v=spf1 -all exp=e.helo.example");
	add_txt(e, "e.helo.example", "%{s} %{l} %{o} %{h}");
	check(e, "192.0.2.9", "", "helo.example", &r);
	expect(&r, RMX_RESULT_FAIL, "-all");
	assert_string_equal(r.res.explanation, "postmaster@helo.example "
		"postmaster helo.example helo.example");
}

static void test_eval_ptr_and_p_macro(void **state)
{
	struct env *e = *state;
	struct run r;

	add_txt(e, "p.example", "v=spf1 ptr:good.example -all "
		"exp=e.p.example");
	add_txt(e, "e.p.example", "from %{p}");
	add_name_rr(e, "10.2.0.192.in-addr.arpa", RMX_RR_PTR, 0,
		"forged.good.example");
	add_name_rr(e, "10.2.0.192.in-addr.arpa", RMX_RR_PTR, 0,
		"mail.good.example");
	add_name_rr(e, "10.2.0.192.in-addr.arpa", RMX_RR_PTR, 0,
		"other.example");
	add_a(e, "mail.good.example", "192.0.2.10");
	add_a(e, "other.example", "192.0.2.10");
	check(e, "192.0.2.10", "x@p.example", NULL, &r);
	expect(&r, RMX_RESULT_PASS, "ptr:good.example");
	/* Not validated: fail, and p is the validated name. */
	add_name_rr(e, "11.2.0.192.in-addr.arpa", RMX_RR_PTR, 0,
		"forged.good.example");
	add_name_rr(e, "11.2.0.192.in-addr.arpa", RMX_RR_PTR, 0,
		"other.example");
	add_a(e, "other.example", "192.0.2.11");
	check(e, "192.0.2.11", "x@p.example", NULL, &r);
	expect(&r, RMX_RESULT_FAIL, "-all");
	assert_string_equal(r.res.explanation, "from other.example");
	check(e, "192.0.2.12", "x@p.example", NULL, &r);
	expect(&r, RMX_RESULT_FAIL, "-all");
	assert_string_equal(r.res.explanation, "from unknown");
}

/* cfg.spf_query_spf_rr: a v=spf1 record of type 99 wins over TXT (RFC
 * 4408 4.5); a failing type-99 lookup is ignored. */
static void test_eval_spf_rr_type(void **state)
{
	struct env *e = *state;
	struct run r;
	static const uint8_t spf_pass[] = "\013v=spf1 +all";

	add_txt(e, "both.example", "v=spf1 -all");
	assert_int_equal(rmx_zone_add_rr(e->zone, "both.example", RMX_RR_SPF,
		spf_pass, sizeof(spf_pass) - 1), RMX_OK);
	add_txt(e, "txt.example", "v=spf1 -all");
	add_txt(e, "slow.example", "v=spf1 -all");
	assert_int_equal(rmx_zone_mark(e->zone, "slow.example",
		RMX_ZONE_TIMEOUT), RMX_OK);
	check_cfg(e, "192.0.2.1", "x@both.example", NULL, &r, false);
	expect(&r, RMX_RESULT_FAIL, "-all");
	check_cfg(e, "192.0.2.1", "x@both.example", NULL, &r, true);
	expect(&r, RMX_RESULT_PASS, "+all");
	check_cfg(e, "192.0.2.1", "x@txt.example", NULL, &r, true);
	expect(&r, RMX_RESULT_FAIL, "-all");
	check_cfg(e, "192.0.2.1", "x@slow.example", NULL, &r, true);
	expect(&r, RMX_RESULT_FAIL, "-all");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_parse_accept, arena_setup,
			arena_teardown),
		cmocka_unit_test_setup_teardown(test_parse_fields, arena_setup,
			arena_teardown),
		cmocka_unit_test_setup_teardown(test_parse_reject, arena_setup,
			arena_teardown),
		cmocka_unit_test_setup_teardown(test_parse_bounds, arena_setup,
			arena_teardown),
		cmocka_unit_test(test_parse_ip6_like_inet_pton),
		cmocka_unit_test_setup_teardown(test_eval_prefetch_parallel,
			env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_eval_limits_at_evaluation,
			env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(
			test_eval_no_prefetch_past_decision, env_setup,
			env_teardown),
		cmocka_unit_test_setup_teardown(test_eval_include_redirect,
			env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_eval_ptr_and_p_macro,
			env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_eval_spf_rr_type,
			env_setup, env_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

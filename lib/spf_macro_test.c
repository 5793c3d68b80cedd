/*
 * spf_macro_test.c - unit tests for spf_macro.c: the RFC 7208 7.4
 * examples, every letter, transformers, escapes, syntax errors, the
 * 253-octet truncation, and hostile inputs (huge transformer digits,
 * 300-label names, long local parts).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "spf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A test arena: every block is kept and freed at the end of the test. */
struct test_arena {
	void *blocks[4096];
	size_t n;
	size_t total, limit;
};

static void *arena_alloc(void *ctx, size_t size)
{
	struct test_arena *a = ctx;
	void *p;

	if (a->n == sizeof(a->blocks) / sizeof(a->blocks[0]) ||
	    (a->limit != 0 && a->total + size > a->limit))
		return NULL;
	p = calloc(1, size);
	if (p != NULL) {
		a->blocks[a->n++] = p;
		a->total += size;
	}
	return p;
}

static int arena_setup(void **state)
{
	*state = calloc(1, sizeof(struct test_arena));
	return *state == NULL ? -1 : 0;
}

static int arena_teardown(void **state)
{
	struct test_arena *a = *state;
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->blocks[i]);
	free(a);
	return 0;
}

/* RFC 7208 7.4: sender strong-bad@email.example.com, IPv4 192.0.2.3. */
static void ctx_rfc(struct spf_macro_ctx *ctx, struct rmx_addr *ip,
	const char *addr)
{
	assert_int_equal(rmx_addr_parse(addr, ip), 0);
	memset(ctx, 0, sizeof(*ctx));
	ctx->local = "strong-bad";
	ctx->sender_domain = "email.example.com";
	ctx->domain = "email.example.com";
	ctx->ip = ip;
	ctx->helo = "mx.example.org";
	ctx->receiver = "receiver.example.net";
	ctx->ptr = "mx.example.org";
	ctx->now = 1700000000;
}

static const char *expand_text(struct test_arena *a,
	const struct spf_macro_ctx *ctx, const char *spec, bool exp, int *rc)
{
	struct spf_buf b;

	spf_buf_init(&b, arena_alloc, a, 65536, false);
	*rc = spf_macro_expand(ctx, spec, strlen(spec), exp, &b);
	return b.p;
}

static void test_rfc_examples(void **state)
{
	static const struct {
		const char *spec, *want;
	} cases[] = {
		{"%{s}", "strong-bad@email.example.com"},
		{"%{o}", "email.example.com"},
		{"%{d}", "email.example.com"},
		{"%{d4}", "email.example.com"},
		{"%{d3}", "email.example.com"},
		{"%{d2}", "example.com"},
		{"%{d1}", "com"},
		{"%{dr}", "com.example.email"},
		{"%{d2r}", "example.email"},
		{"%{l}", "strong-bad"},
		{"%{l-}", "strong.bad"},
		{"%{lr}", "strong-bad"},
		{"%{lr-}", "bad.strong"},
		{"%{l1r-}", "strong"},
		{"%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com"},
		{"%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com"},
		{"%{lr-}.lp.%{ir}.%{v}._spf.%{d2}",
		 "bad.strong.lp.3.2.0.192.in-addr._spf.example.com"},
		{"%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}",
		 "3.2.0.192.in-addr.strong.lp._spf.example.com"},
		{"%{d2}.trusted-domains.example.net",
		 "example.com.trusted-domains.example.net"},
	};
	struct spf_macro_ctx ctx;
	struct rmx_addr ip;
	size_t i;
	int rc;

	ctx_rfc(&ctx, &ip, "192.0.2.3");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = expand_text(*state, &ctx, cases[i].spec,
			false, &rc);

		if (rc != SPF_EXPAND_OK || strcmp(got, cases[i].want) != 0)
			fail_msg("%s: got '%s' (rc %d), want '%s'",
				cases[i].spec, got != NULL ? got : "(null)", rc,
				cases[i].want);
	}
	/* The IPv6 example of 7.4 (upper-case nibbles, as the RFC writes). */
	ctx_rfc(&ctx, &ip, "2001:db8::cb01");
	assert_string_equal(expand_text(*state, &ctx, "%{ir}.%{v}._spf.%{d2}",
		false, &rc), "1.0.B.C.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
		"8.B.D.0.1.0.0.2.ip6._spf.example.com");
	assert_int_equal(rc, SPF_EXPAND_OK);
}

static void test_letters_and_escapes(void **state)
{
	static const struct {
		const char *spec;
		bool exp;
		const char *want;
	} cases[] = {
		{"%{h}", false, "mx.example.org"},
		{"%{p}", false, "mx.example.org"},
		{"%{v}", false, "in-addr"},
		{"%{i}", false, "192.0.2.3"},
		{"%{c}", true, "192.0.2.3"},
		{"%{r}", true, "receiver.example.net"},
		{"%{t}", true, "1700000000"},
		{"%%", false, "%"},
		{"%_", false, " "},
		{"%-", false, "%20"},
		{"a%%b%_c%-d", false, "a%b c%20d"},
		{"%{S}", false, "strong-bad%40email.example.com"},
		{"%{L}", false, "strong-bad"},
		{"x y %{l}", true, "x y strong-bad"},
		/* Any delimiter set, parts joined by '.'. */
		{"%{s.-}", false, "strong.bad@email.example.com"},
		{"%{o2r.}", false, "example.email"},
		{"%{l1-}", false, "bad"},
		{"%{d+,/_=}", false, "email.example.com"},
		/* Case: upper-case letters and 'R' work too. */
		{"%{D2R}", false, "example.email"},
		{"", false, ""},
	};
	struct spf_macro_ctx ctx;
	struct rmx_addr ip;
	size_t i;
	int rc;

	ctx_rfc(&ctx, &ip, "192.0.2.3");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = expand_text(*state, &ctx, cases[i].spec,
			cases[i].exp, &rc);

		if (rc != SPF_EXPAND_OK || strcmp(got, cases[i].want) != 0)
			fail_msg("%s: got '%s' (rc %d), want '%s'",
				cases[i].spec, got != NULL ? got : "(null)", rc,
				cases[i].want);
	}
	/* The OpenSPF suite's upper-macro test. */
	ctx.local = "~jack&jill=up-a_b3.c";
	assert_string_equal(expand_text(*state, &ctx,
		"http://example.com/why.html?l=%{L}", true, &rc),
		"http://example.com/why.html?l=~jack%26jill%3Dup-a_b3.c");
	/* c for IPv6 is the usual text form. */
	ctx_rfc(&ctx, &ip, "CAFE:BABE::1");
	assert_string_equal(expand_text(*state, &ctx, "%{c} %{v}", true, &rc),
		"cafe:babe::1 ip6");
	/* An IPv4-mapped client is IPv4. */
	ctx_rfc(&ctx, &ip, "::ffff:192.0.2.9");
	assert_string_equal(expand_text(*state, &ctx, "%{ir}.%{v}", false,
		&rc), "9.2.0.192.in-addr");
}

static void test_syntax_errors(void **state)
{
	static const struct {
		const char *spec;
		bool exp;
		size_t offset;
	} cases[] = {
		{"%", false, 0},
		{"abc%", false, 3},
		{"%x", false, 0},
		{"%(ir).sbl.example.com", false, 0},
		{"foo%.sbl.example.com", false, 3},
		{"%{", false, 0},
		{"%{a}", false, 2},
		{"%{x}", false, 2},
		{"%{1}", false, 2},
		{"%{d", false, 3},
		{"%{d2", false, 4},
		{"%{d0}", false, 3},
		{"%{d00}", false, 4},
		{"%{dr2}", false, 4},
		{"%{d!}", false, 3},
		{"%{s@}", false, 3},
		{"%{c}", false, 2},
		{"%{r}", false, 2},
		{"%{T}", false, 2},
		{"a b", false, 1},
		{"a\tb", true, 1},
		{"\x80", true, 0},
		{"%{d}\x7f", true, 4},
	};
	struct spf_macro_info info;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = spf_macro_check(cases[i].spec, strlen(cases[i].spec),
			cases[i].exp, &info);

		if (rc != SPF_EXPAND_SYNTAX || info.bad_offset !=
		    cases[i].offset)
			fail_msg("%s: rc %d offset %zu, want syntax error at "
				"%zu", cases[i].spec, rc, info.bad_offset,
				cases[i].offset);
		assert_non_null(info.why);
	}
	/* And what the check learns from good strings. */
	assert_int_equal(spf_macro_check("%{p}.x", 6, false, &info), 0);
	assert_true(info.has_macro && info.uses_p && !info.ends_in_macro);
	assert_int_equal(spf_macro_check("x.%{d}", 6, false, &info), 0);
	assert_true(info.ends_in_macro && !info.uses_p);
	assert_int_equal(spf_macro_check("x.%%", 4, false, &info), 0);
	assert_true(info.ends_in_macro);
	assert_int_equal(spf_macro_check("x.com", 5, false, &info), 0);
	assert_false(info.has_macro);
}

static const char *expand_name(struct test_arena *a,
	const struct spf_macro_ctx *ctx, const char *spec)
{
	const char *name = NULL;

	assert_int_equal(spf_expand_name(ctx, spec, strlen(spec), arena_alloc,
		a, &name), SPF_EXPAND_OK);
	return name;
}

static void test_truncation(void **state)
{
	struct spf_macro_ctx ctx;
	struct rmx_addr ip;
	const char *name;
	char want[300];

	ctx_rfc(&ctx, &ip, "192.0.2.3");
	/* The OpenSPF domain-name-truncation test: 8 x "somewhat.long.exp.
	 * example.com" (29 octets) + "foobar." + ".example.com". */
	ctx.sender_domain = "somewhat.long.exp.example.com";
	name = expand_name(*state, &ctx, "foobar.%{o}.%{o}.%{o}.%{o}.%{o}."
		"%{o}.%{o}.%{o}.example.com");
	assert_non_null(name);
	assert_string_equal(name, "somewhat.long.exp.example.com.somewhat."
		"long.exp.example.com.somewhat.long.exp.example.com.somewhat."
		"long.exp.example.com.somewhat.long.exp.example.com.somewhat."
		"long.exp.example.com.somewhat.long.exp.example.com.somewhat."
		"long.exp.example.com.example.com");
	/* Trailing dot dropped; exactly 253 kept whole. */
	memset(want, 'a', 63);
	want[63] = '.';
	memcpy(want + 64, want, 64);
	memcpy(want + 128, want, 64);
	memset(want + 192, 'b', 61);
	want[253] = '\0';
	ctx.sender_domain = want;
	assert_string_equal(expand_name(*state, &ctx, "%{o}."), want);
	/* 254 octets: the first label goes. */
	name = expand_name(*state, &ctx, "x%{o}");
	assert_string_equal(name, want + 64);
	/* Empty and over-long labels are no name at all. */
	assert_null(expand_name(*state, &ctx, "a..%{d}"));
	assert_null(expand_name(*state, &ctx, ".%{d}"));
	ctx.local = "0123456789012345678901234567890123456789012345678901234"
		"567890123";
	assert_null(expand_name(*state, &ctx, "%{l}.%{d}"));
	ctx.helo = "";
	assert_null(expand_name(*state, &ctx, "%{h}"));
}

static void test_hostile(void **state)
{
	struct test_arena *a = *state;
	struct spf_macro_ctx ctx;
	struct rmx_addr ip;
	const char *name;
	char *big, *spec;
	size_t i, n;
	int rc;

	ctx_rfc(&ctx, &ip, "192.0.2.3");
	/* Transformer digits far past any integer type: all parts. */
	assert_string_equal(expand_text(a, &ctx,
		"%{d99999999999999999999999999999999999999}", false, &rc),
		"email.example.com");
	assert_int_equal(rc, SPF_EXPAND_OK);
	assert_string_equal(expand_text(a, &ctx,
		"%{d18446744073709551617r}", false, &rc), "com.example.email");

	/* A 300-label domain (599 octets): cut to the right-hand 253. */
	big = malloc(700);
	assert_non_null(big);
	for (i = 0, n = 0; i < 300; i++) {
		if (i > 0)
			big[n++] = '.';
		big[n++] = (char)('a' + i % 26);
	}
	big[n] = '\0';
	ctx.domain = big;
	name = expand_name(a, &ctx, "%{d}");
	assert_non_null(name);
	assert_int_equal(strlen(name), 253);
	assert_string_equal(name, big + n - 253);
	/* Reversed with a part count. */
	name = expand_name(a, &ctx, "%{d2r}.x.example");
	assert_string_equal(name, "b.a.x.example");
	free(big);

	/* A 100 000-octet local part, 200 times over, in a domain-spec:
	 * the buffer stays small and the result is the 253-octet tail. */
	big = malloc(100001);
	assert_non_null(big);
	memset(big, 'l', 100000);
	for (i = 50; i < 100000; i += 51)
		big[i] = '.';
	big[100000] = '\0';
	ctx.local = big;
	ctx.domain = "email.example.com";
	spec = malloc(200 * 5 + 20);
	assert_non_null(spec);
	for (i = 0, n = 0; i < 200; i++) {
		memcpy(spec + n, "%{l}.", 5);
		n += 5;
	}
	strcpy(spec + n, "example.com");
	a->total = 0;
	name = expand_name(a, &ctx, spec);
	assert_non_null(name);
	assert_true(strlen(name) <= 253);
	assert_true(strlen(name) > 253 - 52);
	n = strlen(name);
	assert_string_equal(name + n - 12, ".example.com");
	/* Memory used is a few buffers, not 20 MB. */
	assert_true(a->total < 1024 * 1024);
	/* The same in explanation text is refused past the bound. */
	{
		struct spf_buf b;

		spf_buf_init(&b, arena_alloc, a, SPF_EXP_MAX, false);
		assert_int_equal(spf_macro_expand(&ctx, "%{l}", 4, true, &b),
			SPF_EXPAND_TOOLONG);
	}
	/* One label of 5000 octets: the cut drops it when a dot follows,
	 * and there is no name when it is the last label. */
	memset(big, 'z', 5000);
	big[5000] = '\0';
	assert_string_equal(expand_name(a, &ctx, "%{l}.example.com"),
		"example.com");
	assert_null(expand_name(a, &ctx, "example.com.%{l}"));
	assert_null(expand_name(a, &ctx, "%{l}.example.com.%{l}"));
	free(spec);
	free(big);
}

static void test_need_ptr_and_nomem(void **state)
{
	struct test_arena *a = *state;
	struct spf_macro_ctx ctx;
	struct rmx_addr ip;
	struct spf_buf b;

	ctx_rfc(&ctx, &ip, "192.0.2.3");
	ctx.ptr = NULL;
	spf_buf_init(&b, arena_alloc, a, 1000, true);
	assert_int_equal(spf_macro_expand(&ctx, "x.%{p}", 6, false, &b),
		SPF_EXPAND_NEED_PTR);
	a->limit = a->total + 10;
	spf_buf_init(&b, arena_alloc, a, 1000, true);
	assert_int_equal(spf_macro_expand(&ctx, "%{d}", 4, false, &b),
		SPF_EXPAND_NOMEM);
}

static void test_query_text(void **state)
{
	struct test_arena *a = *state;

	assert_string_equal(spf_name_query_text("a-b_c.example.com",
		arena_alloc, a), "a-b_c.example.com");
	assert_string_equal(spf_name_query_text("foo:bar/baz.example.com",
		arena_alloc, a), "foo\\058bar\\047baz.example.com");
	assert_string_equal(spf_name_query_text("a b\\c%.com", arena_alloc, a),
		"a\\032b\\092c\\037.com");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rfc_examples, arena_setup,
			arena_teardown),
		cmocka_unit_test_setup_teardown(test_letters_and_escapes,
			arena_setup, arena_teardown),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test_setup_teardown(test_truncation, arena_setup,
			arena_teardown),
		cmocka_unit_test_setup_teardown(test_hostile, arena_setup,
			arena_teardown),
		cmocka_unit_test_setup_teardown(test_need_ptr_and_nomem,
			arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(test_query_text, arena_setup,
			arena_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

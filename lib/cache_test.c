/*
 * cache_test.c - unit tests of the parsed-record cache (cache.c) and of
 * checks that use it: a check with the cache gives exactly the result of
 * a check without it (verdict, entry, domain, reason), a second check hits
 * where the first missed, the byte bound holds under eviction in LRU
 * order, and a check whose record is evicted while it runs still finishes
 * correctly (its reference keeps the record alive; run under valgrind or
 * ASan this also proves there is no use after free).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <rmx/rmx.h>
#include <rmx/cache.h>

#include "check_int.h"

#include <stdio.h>
#include <string.h>

#include "test_zone.h"

static void fill_zone(void)
{
	add_txt("a.example", "v=spf1 ip4:192.0.2.0/24 include:inc.example "
		"a:host.a.example -all");
	add_txt("inc.example", "v=spf1 ip4:198.51.100.0/24 ~all");
	add_a("host.a.example", 203, 0, 113, 7);
	add_txt("bad.example", "v=spf1 ip4:300.1.2.3 -all");
	add_rmx("a.example", "ip4:192.0.2.0/24 apl:apl.a.example. "
		"host:host.a.example.");
	add_txt("apl.a.example", "not an apl"); /* no APL: NODATA */
	add_rmx("r.example", "ip4:10.0.0.0/8 host:host.a.example.");
	add_rmx("badrmx.example", "ip4:10.0.0.0/8");
}

static struct rmx_check_result run(const char *ip, const char *sender,
	const char *methods, struct rmx_cache *cache)
{
	struct rmx_config cfg;
	struct rmx_request req;
	struct rmx_check_result res;

	rmx_config_init(&cfg);
	assert_int_equal(rmx_config_set_methods(&cfg, methods, NULL), RMX_OK);
	cfg.cache = cache;
	memset(&req, 0, sizeof(req));
	req.client_ip = ip;
	req.sender = sender;
	req.helo = "mail.example";
	memset(&res, 0x5a, sizeof(res));
	assert_int_equal(rmx_check_run(rmx_zone_resolver(zone), &cfg, &req,
		&res), RMX_OK);
	return res;
}

static void assert_same(const struct rmx_check_result *a,
	const struct rmx_check_result *b)
{
	assert_int_equal(a->result, b->result);
	assert_int_equal(a->method, b->method);
	assert_string_equal(a->domain, b->domain);
	assert_string_equal(a->entry, b->entry);
	assert_string_equal(a->reason, b->reason);
	assert_string_equal(a->explanation, b->explanation);
	assert_int_equal(a->lookups, b->lookups);
	assert_int_equal(a->queries, b->queries);
}

/* Every case: without the cache, then twice with it (miss, then hit):
 * the same result to the letter. */
static void test_same_result_with_cache(void **state)
{
	static const struct {
		const char *ip, *sender, *methods;
		enum rmx_result want;
	} cases[] = {
		{"192.0.2.9", "u@a.example", "spf", RMX_RESULT_PASS},
		{"198.51.100.9", "u@a.example", "spf", RMX_RESULT_PASS},
		{"203.0.113.7", "u@a.example", "spf", RMX_RESULT_PASS},
		{"203.0.113.8", "u@a.example", "spf", RMX_RESULT_FAIL},
		{"203.0.113.8", "u@bad.example", "spf", RMX_RESULT_PERMERROR},
		{"192.0.2.9", "u@a.example", "rmx", RMX_RESULT_PASS},
		{"203.0.113.7", "u@a.example", "rmx", RMX_RESULT_PASS},
		{"203.0.113.8", "u@a.example", "rmx", RMX_RESULT_FAIL},
		{"203.0.113.7", "u@r.example", "rmx,spf", RMX_RESULT_PASS},
		{"203.0.113.7", "u@none.example", "rmx,spf", RMX_RESULT_NONE},
	};
	size_t i;

	(void)state;
	fill_zone();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rmx_cache *cache = rmx_cache_new(64 * 1024);
		struct rmx_check_result plain, cold, warm;
		struct rmx_cache_stats st;

		assert_non_null(cache);
		plain = run(cases[i].ip, cases[i].sender, cases[i].methods,
			NULL);
		cold = run(cases[i].ip, cases[i].sender, cases[i].methods,
			cache);
		rmx_cache_get_stats(cache, &st);
		assert_int_equal(st.hits, 0);
		warm = run(cases[i].ip, cases[i].sender, cases[i].methods,
			cache);
		assert_int_equal(plain.result, cases[i].want);
		assert_same(&plain, &cold);
		assert_same(&plain, &warm);
		rmx_cache_get_stats(cache, &st);
		/* A parsed record was found the second time, unless there was
		 * none that parses. */
		if (cases[i].want == RMX_RESULT_PERMERROR ||
		    cases[i].want == RMX_RESULT_NONE) {
			assert_int_equal(st.hits, 0);
			assert_int_equal(st.entries, 0);
		} else {
			assert_true(st.hits > 0);
			assert_int_equal(st.hits, st.misses);
		}
		assert_true(st.bytes <= st.max_bytes);
		rmx_cache_free(cache);
	}
}

/* The cache keys on the RDATA octets: a changed record is a miss, and
 * the check sees the new record. */
static void test_changed_record_is_a_miss(void **state)
{
	struct rmx_cache *cache = rmx_cache_new(64 * 1024);
	struct rmx_check_result r;
	struct rmx_cache_stats st;

	(void)state;
	add_txt("c.example", "v=spf1 ip4:192.0.2.0/24 -all");
	r = run("192.0.2.1", "u@c.example", "spf", cache);
	assert_int_equal(r.result, RMX_RESULT_PASS);
	rmx_zone_free(zone);
	assert_int_equal(rmx_zone_new(RMX_TYPE_DEFAULT, &zone), RMX_OK);
	add_txt("c.example", "v=spf1 ip4:192.0.3.0/24 -all");
	r = run("192.0.2.1", "u@c.example", "spf", cache);
	assert_int_equal(r.result, RMX_RESULT_FAIL);
	rmx_cache_get_stats(cache, &st);
	assert_int_equal(st.hits, 0);
	assert_int_equal(st.misses, 2);
	assert_int_equal(st.entries, 2);
	rmx_cache_free(cache);
}

static const char *value_of(unsigned i)
{
	static char v[16][8];

	snprintf(v[i % 16], sizeof(v[0]), "v%u", i);
	return v[i % 16];
}

/* Put key i in c with a value of about size octets; the caller's
 * reference is dropped unless keep. */
static struct cache_entry *put(struct rmx_cache *c, unsigned i, size_t size,
	bool keep)
{
	uint8_t key[4] = {(uint8_t)(i >> 24), (uint8_t)(i >> 16),
		(uint8_t)(i >> 8), (uint8_t)i};
	struct rmx_dns_rr rr = {key, sizeof(key)};
	struct cache_entry *e = cache_entry_new(RMX_RR_TXT, &rr, 1, size);
	char *v;

	assert_non_null(e);
	v = cache_entry_alloc(e, size);
	assert_non_null(v);
	strcpy(v, value_of(i));
	cache_entry_insert(c, e, v);
	if (keep)
		return e;
	cache_entry_release(e);
	return NULL;
}

static const char *get(struct rmx_cache *c, unsigned i,
	struct cache_entry **ref)
{
	uint8_t key[4] = {(uint8_t)(i >> 24), (uint8_t)(i >> 16),
		(uint8_t)(i >> 8), (uint8_t)i};
	struct rmx_dns_rr rr = {key, sizeof(key)};

	return cache_get(c, RMX_RR_TXT, &rr, 1, ref);
}

/* Under the byte bound, least recently used first; kind and key octets
 * both count. */
static void test_eviction_lru_and_bound(void **state)
{
	struct rmx_cache *c = rmx_cache_new(8192);
	struct rmx_cache_stats st;
	struct cache_entry *ref;
	const char *v;
	unsigned i;
	uint8_t key[4] = {0, 0, 0, 1};
	struct rmx_dns_rr rr = {key, sizeof(key)};

	(void)state;
	assert_non_null(c);
	assert_null(rmx_cache_new(0));
	for (i = 0; i < 4; i++)
		put(c, i, 1000, false);
	rmx_cache_get_stats(c, &st);
	assert_int_equal(st.entries, 4);
	assert_int_equal(st.evictions, 0);
	/* Touch 0: now 1 is the least recently used. */
	v = get(c, 0, &ref);
	assert_non_null(v);
	assert_string_equal(v, "v0");
	cache_entry_release(ref);
	/* Same octets, other kind: a miss. */
	assert_null(cache_get(c, RMX_RR_SPF, &rr, 1, &ref));
	for (i = 4; i < 40; i++) {
		put(c, i, 1000, false);
		rmx_cache_get_stats(c, &st);
		assert_true(st.bytes <= st.max_bytes);
	}
	rmx_cache_get_stats(c, &st);
	assert_true(st.evictions > 0);
	assert_true(st.entries < 8);
	assert_int_equal(st.inserts, 40);
	/* The newest are there, the oldest are gone. */
	v = get(c, 39, &ref);
	assert_non_null(v);
	assert_string_equal(v, "v39");
	cache_entry_release(ref);
	assert_null(get(c, 1, &ref));
	assert_null(get(c, 0, &ref));
	/* Larger than the whole bound: never kept. */
	put(c, 100, 10000, false);
	assert_null(get(c, 100, &ref));
	rmx_cache_free(c);
}

/* An entry a holder still uses survives eviction and the cache's end. */
static void test_held_entry_outlives_eviction(void **state)
{
	struct rmx_cache *c = rmx_cache_new(4096);
	struct cache_entry *held, *ref;
	const char *v;
	unsigned i;

	(void)state;
	held = put(c, 7, 1000, true);
	for (i = 8; i < 20; i++)
		put(c, i, 1000, false);
	assert_null(get(c, 7, &ref));       /* evicted ... */
	v = get(c, 19, &ref);
	assert_non_null(v);
	cache_entry_release(ref);
	rmx_cache_free(c);                  /* ... and the cache is gone */
	(void)held;
	/* The held value is still readable; releasing frees it. */
	cache_entry_release(held);
}

struct done_state {
	int calls;
	struct rmx_check_result res;
};

static void on_done(void *arg, const struct rmx_check_result *res)
{
	struct done_state *d = arg;

	d->calls++;
	d->res = *res;
}

/* A check whose parsed record is evicted while it waits for DNS finishes
 * with the right result and the record's text in its entry and reason. */
static void test_check_after_eviction_mid_check(void **state)
{
	struct rmx_cache *cache = rmx_cache_new(4096);
	struct rmx_resolver *res;
	struct rmx_config cfg;
	struct rmx_request req;
	struct rmx_check *chk;
	struct rmx_cache_stats st;
	struct done_state d = {0};
	struct rmx_check_result plain;
	unsigned i;

	(void)state;
	fill_zone();
	plain = run("203.0.113.7", "u@a.example", "spf", NULL);
	res = rmx_zone_resolver(zone);
	rmx_config_init(&cfg);
	assert_int_equal(rmx_config_set_methods(&cfg, "spf", NULL), RMX_OK);
	cfg.cache = cache;
	memset(&req, 0, sizeof(req));
	req.client_ip = "203.0.113.7";
	req.sender = "u@a.example";
	assert_int_equal(rmx_check_start(res, &cfg, &req, on_done, &d, &chk),
		RMX_OK);
	assert_non_null(chk);
	/* The TXT answer: the record is parsed into the cache, its lookups
	 * start. */
	assert_true(rmx_resolver_process(res, 0) > 0);
	assert_int_equal(d.calls, 0);
	rmx_cache_get_stats(cache, &st);
	assert_int_equal(st.entries, 1);
	/* Push it out. */
	for (i = 0; i < 8; i++)
		put(cache, 1000 + i, 1000, false);
	rmx_cache_get_stats(cache, &st);
	assert_true(st.evictions >= 1);
	while (d.calls == 0)
		assert_true(rmx_resolver_process(res, 0) >= 0);
	assert_int_equal(d.calls, 1);
	assert_int_equal(d.res.result, RMX_RESULT_PASS);
	assert_string_equal(d.res.entry, "a:host.a.example");
	assert_same(&plain, &d.res);
	rmx_cache_free(cache);
}

/* rmx_cache_free while a check that uses the cache still runs (rmx/cache.h
 * allows it): the check's later records (here the include's) are parsed
 * without the cache, and the check ends with the same result.  Before the
 * fix the check looked its next record up in the freed cache (ASan:
 * heap-use-after-free in cache_get). */
static void test_cache_freed_mid_check(void **state)
{
	struct rmx_cache *cache = rmx_cache_new(64 * 1024);
	struct rmx_resolver *res;
	struct rmx_config cfg;
	struct rmx_request req;
	struct rmx_check *chk;
	struct done_state d = {0};
	struct rmx_check_result plain;

	(void)state;
	fill_zone();
	plain = run("198.51.100.9", "u@a.example", "spf", NULL);
	res = rmx_zone_resolver(zone);
	rmx_config_init(&cfg);
	assert_int_equal(rmx_config_set_methods(&cfg, "spf", NULL), RMX_OK);
	cfg.cache = cache;
	memset(&req, 0, sizeof(req));
	req.client_ip = "198.51.100.9";
	req.sender = "u@a.example";
	assert_int_equal(rmx_check_start(res, &cfg, &req, on_done, &d, &chk),
		RMX_OK);
	/* a.example's record is parsed into the cache; the include's TXT
	 * lookup is in flight. */
	assert_true(rmx_resolver_process(res, 0) > 0);
	assert_int_equal(d.calls, 0);
	rmx_cache_free(cache);
	while (d.calls == 0)
		assert_true(rmx_resolver_process(res, 0) >= 0);
	assert_int_equal(d.res.result, RMX_RESULT_PASS);
	assert_same(&plain, &d.res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_same_result_with_cache,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_record_is_a_miss,
			setup, teardown),
		cmocka_unit_test(test_eviction_lru_and_bound),
		cmocka_unit_test(test_held_entry_outlives_eviction),
		cmocka_unit_test_setup_teardown(
			test_check_after_eviction_mid_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_freed_mid_check,
			setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

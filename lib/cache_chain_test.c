/*
 * cache_chain_test.c - the cache's defence against chosen hash collisions:
 * a bucket never holds more than CACHE_CHAIN_MAX entries, and the hash
 * depends on the per-cache seed.
 *
 * Built from cache.c itself (#include), so that the test can find keys
 * that fall into one bucket: from outside, the seed is secret and the
 * bucket of a key cannot be known, which is the point.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cache.c"

#include <stdio.h>

/* Fill rd with a TXT RDATA "k<n>" whose bucket in c is `bucket`. */
static size_t key_in_bucket(const struct rmx_cache *c, size_t bucket,
	unsigned *n, uint8_t rd[32])
{
	for (;; (*n)++) {
		struct rmx_dns_rr rr;
		int len = snprintf((char *)rd + 1, 31, "k%u", *n);

		rd[0] = (uint8_t)len;
		rr.rdata = rd;
		rr.rdlen = (size_t)len + 1;
		if ((hash_key(c->seed, RMX_RR_TXT, &rr, 1) &
		    (c->nbuckets - 1)) == bucket) {
			(*n)++;
			return rr.rdlen;
		}
	}
}

static void test_chain_bound(void **state)
{
	struct rmx_cache *c = rmx_cache_new(1 << 20);
	struct rmx_cache_stats st;
	unsigned n = 0, i, kept = 0;
	uint8_t rd[CACHE_CHAIN_MAX + 4][32];
	size_t len[CACHE_CHAIN_MAX + 4];

	(void)state;
	assert_non_null(c);
	for (i = 0; i < CACHE_CHAIN_MAX + 4; i++) {
		struct rmx_dns_rr rr;
		struct cache_entry *e;

		len[i] = key_in_bucket(c, 5, &n, rd[i]);
		rr.rdata = rd[i];
		rr.rdlen = len[i];
		e = cache_entry_new(RMX_RR_TXT, &rr, 1, 16);
		assert_non_null(e);
		cache_entry_insert(c, e, cache_entry_alloc(e, 16));
		cache_entry_release(e);
	}
	rmx_cache_get_stats(c, &st);
	assert_int_equal(st.entries, CACHE_CHAIN_MAX);
	/* the first CACHE_CHAIN_MAX are found, the rest were not kept */
	for (i = 0; i < CACHE_CHAIN_MAX + 4; i++) {
		struct rmx_dns_rr rr = {rd[i], len[i]};
		struct cache_entry *ref = NULL;

		if (cache_get(c, RMX_RR_TXT, &rr, 1, &ref) != NULL) {
			kept++;
			assert_true(i < CACHE_CHAIN_MAX);
			cache_entry_release(ref);
		}
	}
	assert_int_equal(kept, CACHE_CHAIN_MAX);
	rmx_cache_free(c);
}

/* Two caches hash the same key differently (with overwhelming
 * likelihood): the seed is per cache. */
static void test_seed_per_cache(void **state)
{
	struct rmx_cache *a = rmx_cache_new(4096), *b = rmx_cache_new(4096);
	static const uint8_t rd[] = {3, 'a', 'b', 'c'};
	struct rmx_dns_rr rr = {rd, sizeof(rd)};

	(void)state;
	assert_true(a->seed != b->seed);
	assert_true(hash_key(a->seed, RMX_RR_TXT, &rr, 1) !=
		hash_key(b->seed, RMX_RR_TXT, &rr, 1));
	rmx_cache_free(a);
	rmx_cache_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_bound),
		cmocka_unit_test(test_seed_per_cache),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * rmx/cache.h - an optional cache of parsed records, shared by checks.
 *
 * A mail server checks the same few hundred policies over and over; the
 * DNS answers come from its resolver's cache, but without this cache every
 * check parses every SPF record (and validates and indexes every RMX
 * RRset) again.  An rmx_cache maps (RR type, the exact RDATA octets of the
 * record) to the parsed form, so that a record is parsed once and then
 * only looked up.  It caches no DNS answers and no verdicts: every check
 * still asks DNS for everything and evaluates in full, so TTLs, changed
 * records and the result are exactly those of a check without the cache.
 * Only records that parse are kept; a malformed one is parsed each time.
 *
 * Use: create one, set rmx_config.cache to it, and pass that configuration
 * to every check (NULL there: no cache, the default).  Like a resolver, a
 * cache is used by one thread at a time: one per thread or event loop.
 *
 * Memory: max_bytes bounds the memory of the entries the cache holds
 * (their parsed form, key and bookkeeping); when an insertion would go
 * over it, the least recently used entries are evicted.  An entry that a
 * running check still uses stays alive, outside the bound, until that
 * check ends; one larger than max_bytes is used by its check and never
 * kept.  rmx_cache_free may be called while checks using the cache still
 * run: they go on without it (parsing what they meet), the entries they
 * hold are freed when they end, and the last of them frees the rest.
 */
#ifndef RMX_CACHE_H
#define RMX_CACHE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rmx_cache;

/* A few hundred KiB hold the policies of a busy server's senders. */
#define RMX_CACHE_DEFAULT_BYTES (4u * 1024 * 1024)

/* A new empty cache bounded by max_bytes; NULL when out of memory or
 * max_bytes is 0. */
struct rmx_cache *rmx_cache_new(size_t max_bytes);
/* Free the cache (NULL is fine); see above for checks still running. */
void rmx_cache_free(struct rmx_cache *cache);

struct rmx_cache_stats {
	size_t entries;      /* entries held */
	size_t bytes;        /* their memory, <= max_bytes */
	size_t max_bytes;
	uint64_t hits;       /* lookups that found the record parsed */
	uint64_t misses;     /* lookups that did not */
	uint64_t inserts;    /* entries added */
	uint64_t evictions;  /* entries dropped to stay within max_bytes */
};
void rmx_cache_get_stats(const struct rmx_cache *cache,
	struct rmx_cache_stats *out);

#ifdef __cplusplus
}
#endif
#endif

/*
 * cache.c - the parsed-record cache (rmx/cache.h; internal side in
 * check_int.h).
 *
 * Offers: a hash table of entries keyed by (kind, RDATA of one or more
 * RRs), with least-recently-used eviction under a byte bound.  An entry's
 * value (a parsed SPF record, an indexed RMX entry list) is built by the
 * evaluator in the entry's own memory (cache_entry_alloc: a chain of
 * malloc'd chunks freed with the entry), so it never points into a
 * check's arena and outlives the check that parsed it.
 *
 * Lifetime: entries are reference counted.  The table does not count as a
 * reference; a check holds one from cache_get / cache_entry_new until it
 * ends.  Eviction unlinks an entry from the table and the LRU list; it is
 * freed then if no check holds it, else by the last cache_entry_release.
 * So a value never disappears under a running check.
 *
 * The cache itself is counted too: each running check configured with it
 * is a user (cache_use / cache_unuse).  rmx_cache_free evicts everything
 * at once, but while checks still use the cache its struct stays, closed:
 * their lookups miss and their new entries stay theirs alone, and the last
 * cache_unuse frees it.  Without that a check would look its next record
 * up in freed memory.
 *
 * Keys are compared octet for octet (length, then bytes), so a hash
 * collision costs a comparison, never a wrong value.  The key is whatever
 * the caller says the value depends on; the caller is trusted (internal
 * API), the DNS octets in the key are only hashed and compared.
 *
 * Keys are DNS data anyone can publish, so the table is kept safe from
 * chosen collisions two ways: the hash starts from a random per-cache seed
 * (the mixing steps are invertible, so without a secret start an attacker
 * could compute full 64-bit collisions), and a bucket never holds more
 * than CACHE_CHAIN_MAX entries (a record that would make it longer is
 * used by its check and not kept), so a lookup's cost is bounded whatever
 * the hash does.
 *
 * Does not: lock (one thread at a time), expire by time (a value depends
 * only on its key's octets, so it never becomes wrong), or cache failures.
 */
#include "check_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define CHUNK_MIN 512
#define CACHE_CHAIN_MAX 16

struct cache_chunk {
	struct cache_chunk *next;
	size_t size, used;
	/* payload follows, max_align_t aligned */
};

struct cache_entry {
	struct cache_entry *hnext;           /* hash chain */
	struct cache_entry *lru_prev, *lru_next; /* most recent first */
	uint64_t hash;
	uint32_t kind;
	unsigned refs;
	bool resident;                       /* in the table and LRU list */
	size_t bytes;                        /* malloc'd for this entry */
	const void *value;
	struct cache_chunk *chunks;
	size_t count;                        /* RRs in the key */
	size_t keylen;                       /* octets of key[] */
	uint8_t *key;                        /* per RR: 2 octets length, RDATA */
};

struct rmx_cache {
	struct cache_entry **buckets;
	size_t nbuckets;                     /* power of two */
	struct cache_entry *lru_head, *lru_tail;
	struct rmx_cache_stats st;
	uint64_t seed;                       /* secret start of the hash */
	unsigned users;                      /* running checks using it */
	bool closed;                         /* rmx_cache_free was called */
};

static size_t align_up(size_t n)
{
	const size_t a = sizeof(max_align_t);

	return (n + a - 1) & ~(a - 1);
}

/* Word-at-a-time multiplicative hash: the key is DNS data anyone can
 * choose, but a collision only costs a key comparison. */
static uint64_t mix(uint64_t h, uint64_t w)
{
	h ^= w;
	h *= 0x9e3779b97f4a7c15u;
	return h ^ (h >> 29);
}

/* One RR's RDATA into the hash: its length, then its octets. */
static uint64_t hash_rdata(uint64_t h, const uint8_t *p, size_t n)
{
	uint64_t w;

	h = mix(h, n);
	for (; n >= 8; n -= 8, p += 8) {
		memcpy(&w, p, 8);
		h = mix(h, w);
	}
	if (n > 0) {
		w = 0;
		memcpy(&w, p, n);
		h = mix(h, w);
	}
	return h;
}

static uint64_t hash_key(uint64_t seed, uint32_t kind,
	const struct rmx_dns_rr *rr, size_t count)
{
	uint64_t h = mix(seed, ((uint64_t)kind << 32) | count);
	size_t i;

	for (i = 0; i < count; i++)
		h = hash_rdata(h, rr[i].rdata, rr[i].rdlen);
	return h;
}

/* The same hash over an entry's stored key (per RR: 2 octets length, then
 * the RDATA), for insertion. */
static uint64_t hash_stored_key(uint64_t seed, const struct cache_entry *e)
{
	uint64_t h = mix(seed, ((uint64_t)e->kind << 32) | e->count);
	const uint8_t *k = e->key;
	size_t i;

	for (i = 0; i < e->count; i++) {
		size_t n = (size_t)(k[0] << 8 | k[1]);

		h = hash_rdata(h, k + 2, n);
		k += 2 + n;
	}
	return h;
}

/* A secret per-cache seed: getrandom(), or the clock and an address when
 * the kernel has no entropy to give yet (then weaker, never failing). */
static uint64_t random_seed(const void *salt)
{
	uint64_t seed;
	struct timespec ts;

	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) ==
	    (ssize_t)sizeof(seed))
		return seed;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return mix(mix((uint64_t)ts.tv_nsec, (uint64_t)ts.tv_sec),
		(uint64_t)(uintptr_t)salt);
}

static bool key_equal(const struct cache_entry *e, uint32_t kind,
	const struct rmx_dns_rr *rr, size_t count)
{
	const uint8_t *k = e->key;
	size_t i;

	if (e->kind != kind || e->count != count)
		return false;
	for (i = 0; i < count; i++) {
		size_t n = rr[i].rdlen;

		if ((size_t)(k[0] << 8 | k[1]) != n ||
		    (n > 0 && memcmp(k + 2, rr[i].rdata, n) != 0))
			return false;
		k += 2 + n;
	}
	return true;
}

struct rmx_cache *rmx_cache_new(size_t max_bytes)
{
	struct rmx_cache *c;

	if (max_bytes == 0)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->nbuckets = 64;
	c->buckets = calloc(c->nbuckets, sizeof(*c->buckets));
	if (c->buckets == NULL) {
		free(c);
		return NULL;
	}
	c->st.max_bytes = max_bytes;
	c->seed = random_seed(c);
	return c;
}

/* The first chunk is part of e's own allocation (after the entry). */
static bool chunk_is_embedded(const struct cache_entry *e,
	const struct cache_chunk *ch)
{
	return (const char *)ch == (const char *)e + align_up(sizeof(*e));
}

static void entry_free(struct cache_entry *e)
{
	struct cache_chunk *ch = e->chunks, *next;

	for (; ch != NULL; ch = next) {
		next = ch->next;
		if (!chunk_is_embedded(e, ch))
			free(ch);
	}
	free(e);
}

static void lru_unlink(struct rmx_cache *c, struct cache_entry *e)
{
	if (e->lru_prev != NULL)
		e->lru_prev->lru_next = e->lru_next;
	else
		c->lru_head = e->lru_next;
	if (e->lru_next != NULL)
		e->lru_next->lru_prev = e->lru_prev;
	else
		c->lru_tail = e->lru_prev;
	e->lru_prev = e->lru_next = NULL;
}

static void lru_push_front(struct rmx_cache *c, struct cache_entry *e)
{
	e->lru_prev = NULL;
	e->lru_next = c->lru_head;
	if (c->lru_head != NULL)
		c->lru_head->lru_prev = e;
	else
		c->lru_tail = e;
	c->lru_head = e;
}

/* Take e out of the table; free it unless a check still holds it. */
static void evict(struct rmx_cache *c, struct cache_entry *e)
{
	struct cache_entry **pp = &c->buckets[e->hash & (c->nbuckets - 1)];

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	lru_unlink(c, e);
	e->resident = false;
	c->st.entries--;
	c->st.bytes -= e->bytes;
	if (e->refs == 0)
		entry_free(e);
}

void rmx_cache_free(struct rmx_cache *cache)
{
	if (cache == NULL)
		return;
	while (cache->lru_head != NULL)
		evict(cache, cache->lru_head);
	cache->closed = true;
	if (cache->users == 0) {
		free(cache->buckets);
		free(cache);
	}
}

void cache_use(struct rmx_cache *c)
{
	c->users++;
}

void cache_unuse(struct rmx_cache *c)
{
	if (--c->users == 0 && c->closed) {
		free(c->buckets);
		free(c);
	}
}

void rmx_cache_get_stats(const struct rmx_cache *cache,
	struct rmx_cache_stats *out)
{
	if (cache == NULL)
		memset(out, 0, sizeof(*out));
	else
		*out = cache->st;
}

const void *cache_get(struct rmx_cache *c, uint32_t kind,
	const struct rmx_dns_rr *rr, size_t count, struct cache_entry **ref)
{
	uint64_t h;
	struct cache_entry *e;

	if (c->closed)
		return NULL;
	h = hash_key(c->seed, kind, rr, count);
	for (e = c->buckets[h & (c->nbuckets - 1)]; e != NULL; e = e->hnext)
		if (e->hash == h && key_equal(e, kind, rr, count))
			break;
	if (e == NULL) {
		c->st.misses++;
		return NULL;
	}
	c->st.hits++;
	if (c->lru_head != e) {
		lru_unlink(c, e);
		lru_push_front(c, e);
	}
	e->refs++;
	*ref = e;
	return e->value;
}

struct cache_entry *cache_entry_new(uint32_t kind,
	const struct rmx_dns_rr *rr, size_t count, size_t size_hint)
{
	size_t keylen = 0, i, hdr = align_up(sizeof(struct cache_chunk));
	size_t first;
	struct cache_entry *e;
	struct cache_chunk *ch;
	uint8_t *k;

	for (i = 0; i < count; i++) {
		if (rr[i].rdlen > 0xffff)
			return NULL; /* not an RDATA; never cached */
		keylen += 2 + rr[i].rdlen;
	}
	/* The key and the first chunk of the value share one allocation
	 * with the entry. */
	first = align_up(keylen) + align_up(size_hint > CHUNK_MIN ?
		size_hint : CHUNK_MIN);
	e = malloc(align_up(sizeof(*e)) + hdr + first);
	if (e == NULL)
		return NULL;
	memset(e, 0, sizeof(*e));
	ch = (struct cache_chunk *)(void *)((char *)e + align_up(sizeof(*e)));
	ch->next = NULL;
	ch->size = first;
	ch->used = align_up(keylen);
	e->key = k = (uint8_t *)ch + hdr;
	e->chunks = ch;
	e->bytes = align_up(sizeof(*e)) + hdr + first;
	e->kind = kind;
	e->count = count;
	e->keylen = keylen;
	/* e->hash is set by cache_entry_insert, which knows the seed */
	e->refs = 1;
	for (i = 0; i < count; i++) {
		k[0] = (uint8_t)(rr[i].rdlen >> 8);
		k[1] = (uint8_t)rr[i].rdlen;
		if (rr[i].rdlen > 0)
			memcpy(k + 2, rr[i].rdata, rr[i].rdlen);
		k += 2 + rr[i].rdlen;
	}
	return e;
}

void *cache_entry_alloc(void *entry, size_t size)
{
	struct cache_entry *e = entry;
	struct cache_chunk *ch = e->chunks;
	size_t need = align_up(size), hdr = align_up(sizeof(*ch));
	void *p;

	if (size == 0 || size > SIZE_MAX / 2)
		return NULL;
	if (ch->size - ch->used < need) {
		size_t csize = need > CHUNK_MIN * 4 ? need : CHUNK_MIN * 4;

		ch = malloc(hdr + csize);
		if (ch == NULL)
			return NULL;
		ch->size = csize;
		ch->used = 0;
		ch->next = e->chunks;
		e->chunks = ch;
		e->bytes += hdr + csize;
	}
	p = (char *)ch + hdr + ch->used;
	ch->used += need;
	memset(p, 0, size);
	return p;
}

static void grow_table(struct rmx_cache *c)
{
	size_t nb = c->nbuckets * 2, i;
	struct cache_entry **b = calloc(nb, sizeof(*b));

	if (b == NULL)
		return; /* longer chains, still correct */
	for (i = 0; i < c->nbuckets; i++) {
		struct cache_entry *e = c->buckets[i], *next;

		for (; e != NULL; e = next) {
			next = e->hnext;
			e->hnext = b[e->hash & (nb - 1)];
			b[e->hash & (nb - 1)] = e;
		}
	}
	free(c->buckets);
	c->buckets = b;
	c->nbuckets = nb;
}

void cache_entry_insert(struct rmx_cache *c, struct cache_entry *e,
	const void *value)
{
	struct cache_entry **b;

	size_t chain = 0;

	e->value = value;
	if (e->bytes > c->st.max_bytes || c->closed)
		return; /* used by its check only, freed on release */
	e->hash = hash_stored_key(c->seed, e);
	/* Two checks that missed the same record at once both parse it:
	 * keep the first, the second stays its check's alone.  A full
	 * bucket keeps what it has, too (CACHE_CHAIN_MAX, above). */
	for (b = &c->buckets[e->hash & (c->nbuckets - 1)]; *b != NULL;
	    b = &(*b)->hnext) {
		if ((*b)->hash == e->hash && (*b)->kind == e->kind &&
		    (*b)->count == e->count && (*b)->keylen == e->keylen &&
		    memcmp((*b)->key, e->key, e->keylen) == 0)
			return;
		if (++chain >= CACHE_CHAIN_MAX)
			return;
	}
	while (c->st.bytes + e->bytes > c->st.max_bytes && c->lru_tail != NULL) {
		evict(c, c->lru_tail);
		c->st.evictions++;
	}
	if (c->st.entries >= c->nbuckets)
		grow_table(c);
	b = &c->buckets[e->hash & (c->nbuckets - 1)];
	e->hnext = *b;
	*b = e;
	lru_push_front(c, e);
	e->resident = true;
	c->st.entries++;
	c->st.bytes += e->bytes;
	c->st.inserts++;
}

void cache_entry_release(struct cache_entry *e)
{
	if (e == NULL || --e->refs > 0 || e->resident)
		return;
	entry_free(e);
}

/*
 * zone.c - in-memory zone resolver backend (rmx/zone.h).
 *
 * Offers: a table of RRsets keyed by (lower-cased wire owner name, type),
 * filled with rmx_zone_add_rr() / rmx_zone_mark() or from a master file
 * (rmx_zone_load_file, through zonefile.c), and an rmx_resolver view of it
 * for tests and offline checks.  Queries are queued by query() and answered
 * by process() in the order they were started; CNAMEs are followed up to
 * ZONE_CNAME_MAX links.  Answers point into the zone's own RR storage, which
 * does not move while process() runs unless a callback adds RRs (callbacks
 * must not: the answer would dangle).
 *
 * Name lookup order at each name of a CNAME chain:
 *   1. RRs of the asked type           -> RMX_DNS_OK
 *   2. a CNAME (and CNAME not asked)   -> follow it
 *   3. a TIMEOUT / SERVFAIL mark       -> RMX_DNS_TIMEOUT / RMX_DNS_FAIL
 *   4. the name has other data, or some name below it has data
 *                                      -> RMX_DNS_NODATA
 *   5. otherwise                       -> RMX_DNS_NXDOMAIN
 *
 * Bad input: rmx_zone_add_rr and rmx_zone_mark return RMX_EINVAL for a
 * name that does not parse or RDATA over 65535 octets; query() returns
 * RMX_EINVAL for a name that does not parse (no callback comes then).
 *
 * rmx_zone_foreach() visits every RR (for exporting a zone); with
 * rmx_zone_set_ignore_marks() the zone answers as if no name were marked,
 * as a real server given only its RRs would.
 *
 * Does not: wait (a TIMEOUT mark answers at once with RMX_DNS_TIMEOUT),
 * synthesize wildcards, DNAMEs or delegations, or sign anything (every
 * answer is RMX_DNSSEC_INSECURE).  fd() is -1: call process() directly.
 */
#include <rmx/zone.h>
#include <rmx/name.h>
#include <rmx/record.h>

#include "name_int.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define ZONE_CNAME_MAX 8
#define ZONE_RR_CNAME 5
#define ZONE_BUCKETS_MIN 64

struct zone_rrset {
	uint16_t type;
	size_t count;
	size_t cap;
	struct rmx_dns_rr *rrs;   /* rdata of each: its own allocation */
};

struct zone_node {
	struct zone_node *next;   /* hash chain */
	uint8_t name[RMX_NAME_MAXWIRE]; /* lower-cased wire name */
	size_t namelen;
	uint32_t hash;
	unsigned marks;           /* RMX_ZONE_TIMEOUT / RMX_ZONE_SERVFAIL */
	bool has_below;           /* some name below this one has data */
	size_t nsets;
	struct zone_rrset *sets;
};

struct zone_query {
	rmx_query_id id;
	rmx_dns_callback *cb;     /* NULL once cancelled */
	void *cb_arg;
	uint16_t qtype;
	size_t namelen;
	uint8_t name[RMX_NAME_MAXWIRE];
};

struct rmx_zone {
	struct rmx_resolver res;  /* first: the resolver view */
	uint16_t rr_type;
	bool ignore_marks;        /* answer as if no name were marked */
	struct zone_node **buckets;
	size_t nbuckets;
	size_t nnodes;
	size_t rr_count;
	/* answer queue: entries [qhead, qlen) are waiting */
	struct zone_query *queue;
	size_t qhead, qlen, qcap;
	size_t npending;
	rmx_query_id next_id;
};

static uint8_t ascii_lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + ('a' - 'A')) : c;
}

/* Lower-case a validated wire name in place (label length octets are
 * below 64 and so never letters). */
static void lower_wire_name(uint8_t *name, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		name[i] = ascii_lower(name[i]);
}

static uint32_t hash_wire_name(const uint8_t *name, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= name[i];
		h *= 16777619u;
	}
	return h;
}

/* Parse a presentation name into lower-cased wire form. */
static int parse_query_name(const char *name, uint8_t wire[RMX_NAME_MAXWIRE],
	size_t *len)
{
	struct rmx_diag diag;

	if (name == NULL)
		return RMX_EINVAL;
	if (name_from_plain_text(name, wire, len))
		return RMX_OK;
	if (rmx_name_from_text(name, strlen(name), ".", wire, len, &diag) !=
	    RMX_OK)
		return RMX_EINVAL;
	lower_wire_name(wire, *len);
	return RMX_OK;
}

static struct zone_node *find_node(const struct rmx_zone *zone,
	const uint8_t *name, size_t len)
{
	uint32_t h = hash_wire_name(name, len);
	struct zone_node *n;

	for (n = zone->buckets[h % zone->nbuckets]; n != NULL; n = n->next)
		if (n->hash == h && n->namelen == len &&
		    memcmp(n->name, name, len) == 0)
			return n;
	return NULL;
}

static int grow_table(struct rmx_zone *zone)
{
	size_t nb = zone->nbuckets * 2, i;
	struct zone_node **b = calloc(nb, sizeof(*b));

	if (b == NULL)
		return RMX_ENOMEM;
	for (i = 0; i < zone->nbuckets; i++) {
		struct zone_node *n = zone->buckets[i], *next;

		for (; n != NULL; n = next) {
			next = n->next;
			n->next = b[n->hash % nb];
			b[n->hash % nb] = n;
		}
	}
	free(zone->buckets);
	zone->buckets = b;
	zone->nbuckets = nb;
	return RMX_OK;
}

/* Find or create the node of a lower-cased wire name. */
static int get_node(struct rmx_zone *zone, const uint8_t *name, size_t len,
	struct zone_node **out)
{
	struct zone_node *n = find_node(zone, name, len);

	if (n == NULL) {
		if (zone->nnodes >= zone->nbuckets && grow_table(zone) != RMX_OK)
			return RMX_ENOMEM;
		n = calloc(1, sizeof(*n));
		if (n == NULL)
			return RMX_ENOMEM;
		memcpy(n->name, name, len);
		n->namelen = len;
		n->hash = hash_wire_name(name, len);
		n->next = zone->buckets[n->hash % zone->nbuckets];
		zone->buckets[n->hash % zone->nbuckets] = n;
		zone->nnodes++;
	}
	*out = n;
	return RMX_OK;
}

/* Give every ancestor of name a node with has_below set, so that empty
 * non-terminals answer NODATA rather than NXDOMAIN. */
static int mark_ancestors(struct rmx_zone *zone, const uint8_t *name,
	size_t len)
{
	size_t off = 0;

	while (name[off] != 0) {
		struct zone_node *n;

		off += 1 + (size_t)name[off];
		if (get_node(zone, name + off, len - off, &n) != RMX_OK)
			return RMX_ENOMEM;
		if (n->has_below)
			break; /* its ancestors are marked already */
		n->has_below = true;
	}
	return RMX_OK;
}

static struct zone_rrset *find_rrset(const struct zone_node *n,
	uint16_t type)
{
	size_t i;

	for (i = 0; i < n->nsets; i++)
		if (n->sets[i].type == type)
			return &n->sets[i];
	return NULL;
}

static int add_to_rrset(struct zone_node *n, uint16_t type,
	const uint8_t *rdata, size_t rdlen)
{
	struct zone_rrset *set = find_rrset(n, type);
	uint8_t *copy;

	if (set == NULL) {
		struct zone_rrset *s = realloc(n->sets,
			(n->nsets + 1) * sizeof(*s));

		if (s == NULL)
			return RMX_ENOMEM;
		n->sets = s;
		set = &s[n->nsets++];
		memset(set, 0, sizeof(*set));
		set->type = type;
	}
	if (set->count == set->cap) {
		size_t cap = set->cap == 0 ? 2 : set->cap * 2;
		struct rmx_dns_rr *r = realloc(set->rrs, cap * sizeof(*r));

		if (r == NULL)
			return RMX_ENOMEM;
		set->rrs = r;
		set->cap = cap;
	}
	/* one octet more so that malloc(0) never happens */
	copy = malloc(rdlen + 1);
	if (copy == NULL)
		return RMX_ENOMEM;
	if (rdlen > 0)
		memcpy(copy, rdata, rdlen);
	set->rrs[set->count].rdata = copy;
	set->rrs[set->count].rdlen = rdlen;
	set->count++;
	return RMX_OK;
}

int rmx_zone_add_rr_wire(struct rmx_zone *zone, const uint8_t *name,
	size_t namelen, uint16_t type, const uint8_t *rdata, size_t rdlen)
{
	uint8_t lname[RMX_NAME_MAXWIRE];
	size_t checked;
	struct zone_node *n;
	int rc;

	if (zone == NULL || name == NULL || (rdata == NULL && rdlen > 0) ||
	    rdlen > RMX_RDATA_MAX)
		return RMX_EINVAL;
	if (rmx_name_wire_check(name, namelen, &checked, NULL) != RMX_OK ||
	    checked != namelen)
		return RMX_EINVAL;
	memcpy(lname, name, namelen);
	lower_wire_name(lname, namelen);
	rc = get_node(zone, lname, namelen, &n);
	if (rc != RMX_OK)
		return rc;
	rc = add_to_rrset(n, type, rdata, rdlen);
	if (rc != RMX_OK)
		return rc;
	zone->rr_count++;
	return mark_ancestors(zone, lname, namelen);
}

int rmx_zone_add_rr(struct rmx_zone *zone, const char *name, uint16_t type,
	const uint8_t *rdata, size_t rdlen)
{
	uint8_t wire[RMX_NAME_MAXWIRE];
	size_t len;

	if (zone == NULL || parse_query_name(name, wire, &len) != RMX_OK)
		return RMX_EINVAL;
	return rmx_zone_add_rr_wire(zone, wire, len, type, rdata, rdlen);
}

int rmx_zone_mark(struct rmx_zone *zone, const char *name, unsigned flags)
{
	uint8_t wire[RMX_NAME_MAXWIRE];
	size_t len;
	struct zone_node *n;
	int rc;

	if (zone == NULL ||
	    (flags & ~(unsigned)(RMX_ZONE_TIMEOUT | RMX_ZONE_SERVFAIL)) != 0 ||
	    parse_query_name(name, wire, &len) != RMX_OK)
		return RMX_EINVAL;
	rc = get_node(zone, wire, len, &n);
	if (rc != RMX_OK)
		return rc;
	n->marks |= flags;
	return RMX_OK;
}

size_t rmx_zone_rr_count(const struct rmx_zone *zone)
{
	return zone == NULL ? 0 : zone->rr_count;
}

void rmx_zone_set_ignore_marks(struct rmx_zone *zone, bool ignore)
{
	if (zone != NULL)
		zone->ignore_marks = ignore;
}

int rmx_zone_foreach(const struct rmx_zone *zone, rmx_zone_rr_visit_fn *fn,
	void *arg)
{
	size_t b, s, r;
	int rc;

	if (zone == NULL || fn == NULL)
		return RMX_EINVAL;
	for (b = 0; b < zone->nbuckets; b++) {
		const struct zone_node *n;

		for (n = zone->buckets[b]; n != NULL; n = n->next)
			for (s = 0; s < n->nsets; s++) {
				const struct zone_rrset *set = &n->sets[s];

				for (r = 0; r < set->count; r++) {
					rc = fn(arg, n->name, n->namelen,
						set->type, set->rrs[r].rdata,
						set->rrs[r].rdlen);
					if (rc != RMX_OK)
						return rc;
				}
			}
	}
	return RMX_OK;
}

/* ---- resolving ---- */

/* Work out the answer to (name, qtype); the answer points into the zone. */
static void resolve_in_zone(const struct rmx_zone *zone, const uint8_t *qname,
	size_t qlen, uint16_t qtype, struct rmx_dns_answer *ans)
{
	uint8_t name[RMX_NAME_MAXWIRE];
	size_t len = qlen;
	unsigned links = 0;

	memset(ans, 0, sizeof(*ans));
	ans->dnssec = RMX_DNSSEC_INSECURE;
	memcpy(name, qname, qlen);
	for (;;) {
		const struct zone_node *n = find_node(zone, name, len);
		const struct zone_rrset *set;

		if (n == NULL) {
			ans->status = RMX_DNS_NXDOMAIN;
			return;
		}
		set = find_rrset(n, qtype);
		if (set != NULL && set->count > 0) {
			ans->status = RMX_DNS_OK;
			ans->count = set->count;
			ans->rr = set->rrs;
			return;
		}
		set = qtype != ZONE_RR_CNAME ? find_rrset(n, ZONE_RR_CNAME) :
			NULL;
		if (set != NULL && set->count > 0) {
			const struct rmx_dns_rr *c = &set->rrs[0];
			size_t tlen;

			if (++links > ZONE_CNAME_MAX) {
				ans->status = RMX_DNS_FAIL;
				ans->why = "CNAME chain longer than 8 links "
					"(or a loop)";
				return;
			}
			if (rmx_name_wire_check(c->rdata, c->rdlen, &tlen,
				    NULL) != RMX_OK || tlen != c->rdlen) {
				ans->status = RMX_DNS_FAIL;
				ans->why = "malformed CNAME target";
				return;
			}
			memcpy(name, c->rdata, tlen);
			len = tlen;
			lower_wire_name(name, len);
			continue;
		}
		if (!zone->ignore_marks && (n->marks & RMX_ZONE_TIMEOUT)) {
			ans->status = RMX_DNS_TIMEOUT;
			ans->why = "name marked TIMEOUT in the zone";
			return;
		}
		if (!zone->ignore_marks && (n->marks & RMX_ZONE_SERVFAIL)) {
			ans->status = RMX_DNS_FAIL;
			ans->why = "name marked SERVFAIL in the zone";
			return;
		}
		ans->status = n->nsets > 0 || n->has_below ? RMX_DNS_NODATA :
			RMX_DNS_NXDOMAIN;
		return;
	}
}

static struct rmx_zone *zone_of(struct rmx_resolver *res)
{
	/* res is the first member of struct rmx_zone */
	return (struct rmx_zone *)(void *)res;
}

static int zone_query(struct rmx_resolver *res, const char *name,
	uint16_t qtype, rmx_dns_callback *cb, void *cb_arg, rmx_query_id *id)
{
	struct rmx_zone *zone = zone_of(res);
	struct zone_query *q;

	if (cb == NULL)
		return RMX_EINVAL;
	if (zone->qlen == zone->qcap) {
		if (zone->qhead > 0) {
			/* drop the delivered entries at the front */
			memmove(zone->queue, zone->queue + zone->qhead,
				(zone->qlen - zone->qhead) *
				sizeof(*zone->queue));
			zone->qlen -= zone->qhead;
			zone->qhead = 0;
		} else {
			size_t cap = zone->qcap == 0 ? 16 : zone->qcap * 2;
			struct zone_query *nq = realloc(zone->queue,
				cap * sizeof(*nq));

			if (nq == NULL)
				return RMX_ENOMEM;
			zone->queue = nq;
			zone->qcap = cap;
		}
	}
	q = &zone->queue[zone->qlen];
	if (parse_query_name(name, q->name, &q->namelen) != RMX_OK)
		return RMX_EINVAL;
	q->id = ++zone->next_id;
	q->cb = cb;
	q->cb_arg = cb_arg;
	q->qtype = qtype;
	zone->qlen++;
	zone->npending++;
	if (id != NULL)
		*id = q->id;
	return RMX_OK;
}

static void zone_cancel(struct rmx_resolver *res, rmx_query_id id)
{
	struct rmx_zone *zone = zone_of(res);
	size_t i;

	for (i = zone->qhead; i < zone->qlen; i++)
		if (zone->queue[i].id == id && zone->queue[i].cb != NULL) {
			zone->queue[i].cb = NULL;
			zone->npending--;
			return;
		}
}

/*
 * Deliver the answers of the queries started before this call.  Queries
 * that callbacks start are answered by the next call, so one call does a
 * bounded amount of work.  The queue may move while a callback runs
 * (query() grows it), so an entry is not used after its callback.
 */
static int zone_process(struct rmx_resolver *res, int timeout_ms)
{
	struct rmx_zone *zone = zone_of(res);
	size_t todo = zone->qlen - zone->qhead;
	int calls = 0;

	while (todo > 0 && zone->qhead < zone->qlen) {
		const struct zone_query *q = &zone->queue[zone->qhead++];
		rmx_dns_callback *cb = q->cb;
		void *cb_arg = q->cb_arg;
		struct rmx_dns_answer ans;

		todo--;
		if (cb == NULL)
			continue;
		zone->npending--;
		/* q is read before the callback only (it may move the queue);
		 * copying the whole entry with its name cost more. */
		resolve_in_zone(zone, q->name, q->namelen, q->qtype, &ans);
		cb(cb_arg, &ans);
		if (calls < INT32_MAX)
			calls++;
	}
	if (zone->qhead == zone->qlen)
		zone->qhead = zone->qlen = 0;
	return calls;
}

static int zone_fd(struct rmx_resolver *res)
{
	return -1;
}

static size_t zone_pending(struct rmx_resolver *res)
{
	return zone_of(res)->npending;
}

static void zone_free_view(struct rmx_resolver *res)
{
	rmx_zone_free(zone_of(res));
}

static const struct rmx_resolver_ops zone_ops = {
	.name = "zone",
	.query = zone_query,
	.cancel = zone_cancel,
	.process = zone_process,
	.fd = zone_fd,
	.pending = zone_pending,
	.free = zone_free_view,
};

int rmx_zone_new(uint16_t rr_type, struct rmx_zone **out)
{
	struct rmx_zone *zone;

	if (out == NULL)
		return RMX_EINVAL;
	*out = NULL;
	zone = calloc(1, sizeof(*zone));
	if (zone == NULL)
		return RMX_ENOMEM;
	zone->buckets = calloc(ZONE_BUCKETS_MIN, sizeof(*zone->buckets));
	if (zone->buckets == NULL) {
		free(zone);
		return RMX_ENOMEM;
	}
	zone->nbuckets = ZONE_BUCKETS_MIN;
	zone->res.ops = &zone_ops;
	zone->rr_type = rr_type;
	*out = zone;
	return RMX_OK;
}

void rmx_zone_free(struct rmx_zone *zone)
{
	size_t b, s, r;

	if (zone == NULL)
		return;
	for (b = 0; b < zone->nbuckets; b++) {
		struct zone_node *n = zone->buckets[b], *next;

		for (; n != NULL; n = next) {
			next = n->next;
			for (s = 0; s < n->nsets; s++) {
				for (r = 0; r < n->sets[s].count; r++)
					free((void *)n->sets[s].rrs[r].rdata);
				free(n->sets[s].rrs);
			}
			free(n->sets);
			free(n);
		}
	}
	free(zone->buckets);
	free(zone->queue);
	free(zone);
}

struct rmx_resolver *rmx_zone_resolver(struct rmx_zone *zone)
{
	return zone == NULL ? NULL : &zone->res;
}

uint16_t rmx_zone_rr_type(const struct rmx_zone *zone)
{
	return zone == NULL ? RMX_TYPE_DEFAULT : zone->rr_type;
}

/* ---- master files ---- */

struct load_ctx {
	struct rmx_zone *zone;
};

static int add_loaded_rr(void *arg, const struct rmx_zonefile_rr *rr)
{
	struct load_ctx *ctx = arg;

	return rmx_zone_add_rr_wire(ctx->zone, rr->owner_wire, rr->owner_len,
		rr->type, rr->rdata, rr->rdlen);
}

int rmx_zone_load_file(struct rmx_zone *zone, const char *path,
	const char *origin, struct rmx_diag *diag)
{
	struct load_ctx ctx = {.zone = zone};

	if (zone == NULL || path == NULL)
		return RMX_EINVAL;
	return rmx_zonefile_read(path, origin, zone->rr_type, add_loaded_rr,
		&ctx, diag);
}

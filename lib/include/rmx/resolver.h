/*
 * rmx/resolver.h - the asynchronous DNS interface the checks run on.
 *
 * A check never talks to DNS itself.  It starts queries through a struct
 * rmx_resolver, a table of function pointers with a backend behind it:
 *   - rmx_zone (rmx/zone.h): an in-memory zone, for tests and offline use;
 *   - rmx_unbound (rmx/unbound.h): libunbound, real DNS with DNSSEC.
 * A program drives the resolver from its event loop: it waits until fd() is
 * readable (or simply calls process() with a timeout), and process()
 * delivers answers to the callbacks given at query time.
 *
 * Rules every backend keeps (the evaluators rely on them):
 *   - query() never calls the callback itself; answers arrive only from
 *     process(), so a caller can start several queries before any answer.
 *   - every started query gets exactly one callback, unless cancelled
 *     first; after cancel() its callback is never called.
 *   - the answer and everything it points to live only during the callback;
 *     a caller copies what it keeps.
 *   - answers hold the RRs of the asked type at the final name, after
 *     CNAMEs are followed, in the order the answer carried them.
 *   - a resolver object is used by one thread at a time.  Use one per
 *     thread or per event loop; they share nothing.
 */
#ifndef RMX_RESOLVER_H
#define RMX_RESOLVER_H

#include <stddef.h>
#include <stdint.h>
#include <rmx/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/* RR types the checks ask for. */
#define RMX_RR_A 1
#define RMX_RR_PTR 12
#define RMX_RR_MX 15
#define RMX_RR_TXT 16
#define RMX_RR_AAAA 28
#define RMX_RR_APL 42
#define RMX_RR_SPF 99

/* What DNS said.  Only RMX_DNS_TIMEOUT and RMX_DNS_FAIL are failures. */
enum rmx_dns_status {
	RMX_DNS_OK = 0,       /* one or more RRs of the type asked */
	RMX_DNS_NODATA = 1,   /* the name exists, no RRs of that type */
	RMX_DNS_NXDOMAIN = 2, /* the name does not exist */
	RMX_DNS_TIMEOUT = 3,  /* no answer in time */
	RMX_DNS_FAIL = 4,     /* SERVFAIL, REFUSED, an unusable or bogus answer */
};

/* DNSSEC status of an answer (RFC 4035 terms). */
enum rmx_dnssec {
	RMX_DNSSEC_INSECURE = 0, /* not validated: unsigned, or no validator */
	RMX_DNSSEC_SECURE = 1,   /* validated from a trust anchor */
	RMX_DNSSEC_BOGUS = 2,    /* validation failed; status is RMX_DNS_FAIL */
};

struct rmx_dns_rr {
	const uint8_t *rdata;
	size_t rdlen;
};

struct rmx_dns_answer {
	enum rmx_dns_status status;
	enum rmx_dnssec dnssec;
	size_t count;                 /* RRs in rr[]; 0 unless RMX_DNS_OK */
	const struct rmx_dns_rr *rr;
	const char *why;              /* failure detail for logs, or NULL */
};

typedef void rmx_dns_callback(void *arg, const struct rmx_dns_answer *answer);

typedef uint64_t rmx_query_id;

struct rmx_resolver;

struct rmx_resolver_ops {
	const char *name; /* "zone", "unbound" */
	/*
	 * Start a query for `name` (presentation form, RFC 1035 escapes,
	 * absolute with or without the trailing dot) and RR type `qtype`.
	 * RMX_OK and *id set, or a negative code (RMX_EINVAL for a name that
	 * does not parse, RMX_ENOMEM, RMX_ERESOLVER): then no callback comes.
	 */
	int (*query)(struct rmx_resolver *res, const char *name, uint16_t qtype,
		rmx_dns_callback *cb, void *cb_arg, rmx_query_id *id);
	/* Cancel a query that has not been answered yet. */
	void (*cancel)(struct rmx_resolver *res, rmx_query_id id);
	/*
	 * Wait at most timeout_ms (0: do not wait; -1: until something
	 * happens) and deliver every answer that is ready.  Returns the number
	 * of callbacks made (>= 0), or a negative code.
	 */
	int (*process)(struct rmx_resolver *res, int timeout_ms);
	/* A descriptor that becomes readable when process() has work; -1 if
	 * the backend has none (then call process() directly). */
	int (*fd)(struct rmx_resolver *res);
	/* Number of queries started and not yet answered or cancelled. */
	size_t (*pending)(struct rmx_resolver *res);
	/* Release the backend; pending queries are dropped without callback. */
	void (*free)(struct rmx_resolver *res);
};

/* Every backend struct starts with this. */
struct rmx_resolver {
	const struct rmx_resolver_ops *ops;
};

/* Convenience wrappers over ops. */
static inline int rmx_resolver_query(struct rmx_resolver *res,
	const char *name, uint16_t qtype, rmx_dns_callback *cb, void *arg,
	rmx_query_id *id)
{
	return res->ops->query(res, name, qtype, cb, arg, id);
}
static inline void rmx_resolver_cancel(struct rmx_resolver *res,
	rmx_query_id id)
{
	res->ops->cancel(res, id);
}
static inline int rmx_resolver_process(struct rmx_resolver *res,
	int timeout_ms)
{
	return res->ops->process(res, timeout_ms);
}
static inline void rmx_resolver_free(struct rmx_resolver *res)
{
	if (res != NULL)
		res->ops->free(res);
}

/* Text of a status ("NXDOMAIN", "timeout", ...). */
const char *rmx_dns_status_str(enum rmx_dns_status status);
const char *rmx_dnssec_str(enum rmx_dnssec sec);

#ifdef __cplusplus
}
#endif
#endif

/*
 * check_int.h - the check framework the evaluators share (internal).
 *
 * check.c owns a running check: its arena, its outstanding DNS queries, the
 * deadline, the method order (RMX, then SPF) and the result.  An evaluator
 * (rmx_eval.c, spf_eval.c) is a state machine: its start function starts
 * the queries it can start, returns, and resumes in the answer functions it
 * gave to check_query().  It ends by calling check_method_done() exactly
 * once; after that none of its answer functions is called again (the check
 * cancels what is still outstanding).
 *
 * Data flow: rmx_check_start() copies the request into the arena, parses
 * the client address and works out the domain to check (RMX.md 2.1 /
 * RFC 7208 4.3), then starts the first method.  Answers come from the
 * resolver into check.c's trampoline, which counts them and calls the
 * evaluator's function; the evaluator folds the DNSSEC status of the
 * answers it uses into the result (check_fold_dnssec).  When a
 * method ends with "none" and another method follows, check.c starts that
 * one; otherwise it calls the user's done callback and frees the check.
 *
 * Memory: everything a check needs comes from check_alloc(), bounded by
 * RMX_CHECK_MEMORY_MAX.  When the bound is hit check_alloc returns NULL and
 * the evaluator ends with temperror (check_fail_nomem).
 */
#ifndef RMX_CHECK_INT_H
#define RMX_CHECK_INT_H

#include <stdbool.h>

#include <rmx/cache.h>
#include <rmx/check.h>
#include <rmx/resolver.h>

#include "addr.h"

struct rmx_check;

typedef void check_answer_fn(struct rmx_check *chk, void *arg,
	const struct rmx_dns_answer *answer);

/* What the evaluators may read of a check. */
struct check_input {
	struct rmx_config cfg;
	struct rmx_request req;      /* strings point into the arena */
	struct rmx_addr client;      /* parsed client address */
	const char *client_text;     /* req.client_ip as given */
	const char *helo;            /* "" when none */
	const char *sender;          /* MAIL FROM as given ("" null sender) */
	const char *local;           /* local part; "" for "@dom"; NULL when
	                              * none (null sender, no '@') */
	const char *domain;          /* domain checked: presentation text, no
	                              * trailing dot */
	bool null_sender;            /* MAIL FROM was empty: domain is HELO */
};

/* The input of a running check (valid until the check ends). */
const struct check_input *check_input(const struct rmx_check *chk);

/*
 * Start a DNS query on behalf of the current method.  fn(chk, arg, answer)
 * is called once with the answer, from the resolver's process(); never
 * after the method has ended.  Returns 0, or -1 when the query could not be
 * started: then the method has already been ended with temperror (or had
 * ended before), and the caller just returns.
 *
 * Every check_* call is harmless after the method has ended: queries are
 * refused (-1), results ignored.  The check is finished (done callback,
 * memory freed) only when control returns to check.c, so an evaluator may
 * still read its own state after ending the method.
 *
 * name is presentation text: a caller building it from outside text must
 * escape '\\', blanks and non-printable octets (check_escape_label).
 */
int check_query(struct rmx_check *chk, const char *name, uint16_t qtype,
	check_answer_fn *fn, void *arg);

/* Queries of this check still waiting for an answer. */
unsigned check_pending(const struct rmx_check *chk);

/* Arena allocation, zeroed; NULL when the per-check bound is reached. */
void *check_alloc(struct rmx_check *chk, size_t size);
char *check_strdup(struct rmx_check *chk, const char *s);
char *check_strndup(struct rmx_check *chk, const char *s, size_t n);

/*
 * End the current method with a result.  entry: the deciding entry or
 * mechanism as text (may be NULL or ""); reason: printf format for a
 * person.  Text is copied into the result, made printable, and cut at the
 * result's bounds.  domain (may be NULL: the checked domain) names the
 * domain whose policy decided.  After this call the method must not touch
 * the check again except to return.
 */
void check_method_done(struct rmx_check *chk, enum rmx_result result,
	const char *domain, const char *entry, const char *reason_fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Set the SPF explanation (fail results); copied, made printable. */
void check_set_explanation(struct rmx_check *chk, const char *text);

/*
 * DNSSEC status of the verdict.  The result's dnssec field covers only
 * the answers the verdict rests on, not every answer that came in (a
 * lookup started ahead of the walk may turn out not to matter), so the
 * evaluators say which: they keep check_dnssec_bits() of the answers of
 * a step, and fold them in with check_fold_dnssec() when the walk uses
 * that step.
 */
#define CHECK_SEC_SEEN 0x1     /* an answer was used */
#define CHECK_SEC_INSECURE 0x2 /* one was not validated */
#define CHECK_SEC_BOGUS 0x4    /* one failed validation */
unsigned check_dnssec_bits(const struct rmx_dns_answer *ans);
void check_fold_dnssec(struct rmx_check *chk, unsigned bits);

/* Add to the lookup-term counter shown in the result (limits themselves
 * are the evaluator's business). */
void check_count_lookup(struct rmx_check *chk);

/* End the method with temperror because the memory bound was reached. */
void check_fail_nomem(struct rmx_check *chk);

/*
 * Append text[0..len) to out (cap octets, NUL-terminated) as ONE label's
 * presentation form: '.' and '\\' escaped, and every octet that is not a
 * printable ASCII letter, digit or one of "-_+=/" and "*" written \DDD.  Returns
 * the new string length, or (size_t)-1 when it does not fit.
 */
size_t check_escape_label(const char *text, size_t len, char *out,
	size_t cap);

/* ---- parsed-record cache (cache.c; public side in rmx/cache.h) ---- */

/*
 * An entry: a key (kind and the RDATA of some RRs) and a value built in
 * the entry's own memory (never in a check's arena), immutable once
 * inserted.  Entries are reference counted: the cache holds none of the
 * references; each check that uses an entry holds one (check_hold) until
 * it ends, so eviction never frees a value under a running check.
 */
struct cache_entry;

/* Key kinds: an RR type in the low 16 bits, flags above. */
#define CACHE_KIND_MAILBOX 0x10000u  /* RMX RRset validated as per-mailbox */

/* Look up (kind, rr[0..count)).  On a hit: a new reference in *ref (the
 * caller hands it to check_hold) and the value; NULL on a miss. */
const void *cache_get(struct rmx_cache *c, uint32_t kind,
	const struct rmx_dns_rr *rr, size_t count, struct cache_entry **ref);
/* A new entry for that key, not yet in the cache, one reference (the
 * caller's); size_hint: octets its value will probably need.  NULL when
 * out of memory. */
struct cache_entry *cache_entry_new(uint32_t kind,
	const struct rmx_dns_rr *rr, size_t count, size_t size_hint);
/* Memory for the value, zeroed, freed with the entry; an spf_alloc_fn
 * (ctx is the entry).  NULL when out of memory. */
void *cache_entry_alloc(void *entry, size_t size);
/* Finish the entry with its value and add it to the cache (evicting least
 * recently used entries to stay in the bound; an entry over the whole
 * bound is not added).  The caller's reference stays the caller's. */
void cache_entry_insert(struct rmx_cache *c, struct cache_entry *e,
	const void *value);
/* Drop a reference; the entry is freed when it was the last one and the
 * cache does not hold the entry. */
void cache_entry_release(struct cache_entry *e);

/* A check configured with cache c starts (use) and ends (unuse): a
 * cache freed in between stays readable, closed, until the last unuse. */
void cache_use(struct rmx_cache *c);
void cache_unuse(struct rmx_cache *c);

/* Keep a reference until the check ends (then it is released).  -1 when
 * out of memory: the reference was released, the method ended with
 * temperror. */
int check_hold(struct rmx_check *chk, struct cache_entry *e);

/* ---- text building without printf ---- */

/* Appends into a fixed buffer, cut silently at its size (cut set). */
struct check_text {
	char *p;
	size_t len, cap;     /* cap >= 1: room for the NUL */
	bool cut;
};
void check_text_init(struct check_text *t, char *buf, size_t cap);
void check_text_addn(struct check_text *t, const char *s, size_t n);
void check_text_add(struct check_text *t, const char *s);
void check_text_add_uint(struct check_text *t, unsigned long v);

/*
 * check_method_done with the reason as finished text (no printf): the
 * same copying, printable and cut rules.  reason_cut: the text was cut
 * before (it is then marked with "..." as a cut here would be).
 */
void check_method_done_text(struct rmx_check *chk, enum rmx_result result,
	const char *domain, const char *entry, const char *reason,
	bool reason_cut);

/* Entry points of the methods (rmx_eval.c, spf_eval.c). */
void rmx_eval_start(struct rmx_check *chk);
void spf_eval_start(struct rmx_check *chk);

/* RFC 7208 4.3 domain validity: at least two labels, labels 1-63 octets,
 * at most 253 octets (trailing dot not counted), top label not all digits.
 * Returns NULL when valid, else a static reason ("empty label"). */
const char *check_domain_invalid(const char *domain);

#endif

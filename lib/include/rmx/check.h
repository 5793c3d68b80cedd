/*
 * rmx/check.h - the sender authorization check: RMX first, SPF as fallback.
 *
 * Given the connecting client, the envelope sender and the HELO name, a
 * check decides whether the sender's domain authorized that client
 * (RMX.md 2-4; SPF by RFC 7208).  It runs on an rmx_resolver: independent
 * lookups are in flight together, and the check resumes from the resolver's
 * callbacks, so one thread or event loop runs many checks at once.
 *
 * Two ways to run one:
 *   rmx_check_start() + the caller's event loop driving the resolver, with
 *   a callback at the end; or rmx_check_run(), which does the same in a
 *   loop and returns when the check is done (the blocking convenience call).
 *
 * The return code of these functions says whether the *library* could run
 * the check (RMX_OK, RMX_EINVAL, RMX_ENOMEM...).  The verdict - pass, fail,
 * temperror... - is in struct rmx_check_result.
 *
 * Memory: each check allocates from its own arena, bounded by
 * RMX_CHECK_MEMORY_MAX; nothing is shared between checks, except the
 * optional parsed-record cache (rmx_config.cache, rmx/cache.h).  There is
 * no global state.
 */
#ifndef RMX_CHECK_H
#define RMX_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <rmx/error.h>
#include <rmx/resolver.h>

#ifdef __cplusplus
extern "C" {
#endif

enum rmx_result {
	RMX_RESULT_NONE = 0,
	RMX_RESULT_NEUTRAL,   /* SPF only */
	RMX_RESULT_PASS,
	RMX_RESULT_FAIL,
	RMX_RESULT_SOFTFAIL,  /* SPF only */
	RMX_RESULT_TEMPERROR,
	RMX_RESULT_PERMERROR,
};
/* "pass", "fail", ... (lower case, as RFC 7208 and RFC 8601 write them). */
const char *rmx_result_str(enum rmx_result r);
/* Parse a result word; RMX_OK or RMX_EINVAL. */
int rmx_result_parse(const char *word, enum rmx_result *out);

enum rmx_method {
	RMX_METHOD_NONE = 0,  /* no method ran (e.g. sender domain invalid) */
	RMX_METHOD_RMX = 1,
	RMX_METHOD_SPF = 2,
};
const char *rmx_method_str(enum rmx_method m);

#define RMX_CHECK_MAX_METHODS 2
#define RMX_CHECK_MEMORY_MAX (256 * 1024)
#define RMX_CHECK_TIMEOUT_DEFAULT_MS 20000

struct rmx_cache;

/* Receiver configuration; set with rmx_config_init, then adjust. */
struct rmx_config {
	enum rmx_method methods[RMX_CHECK_MAX_METHODS];
	unsigned nmethods;         /* default 2: rmx, then spf */
	uint16_t rmx_rr_type;      /* default RMX_TYPE_DEFAULT (65280) */
	unsigned timeout_ms;       /* per-check deadline, default 20000 */
	const char *receiver;      /* SPF %{r}; default "unknown" */
	bool spf_query_spf_rr;     /* also ask type 99 (RFC 4408); default no */
	/* Parsed records shared across checks (rmx/cache.h); NULL: none,
	 * the default.  Not owned: it must outlive the config's use. */
	struct rmx_cache *cache;
};
void rmx_config_init(struct rmx_config *cfg);
/* "rmx,spf", "rmx", "spf", "spf,rmx".  RMX_EINVAL (diag set) otherwise. */
int rmx_config_set_methods(struct rmx_config *cfg, const char *list,
	struct rmx_diag *diag);

/* What the MTA knows about the SMTP transaction. */
struct rmx_request {
	const char *client_ip;    /* "192.0.2.7", "2001:db8::1", "::ffff:..." */
	const char *sender;       /* MAIL FROM without <>; "" for the null sender */
	const char *helo;         /* HELO/EHLO argument; may be NULL or "" */
	/* TLS client certificate fingerprint, if the client presented one. */
	uint8_t tls_fp_alg;       /* 0 none, 1 SHA-1, 2 SHA-256 */
	uint8_t tls_fp[32];
	bool sasl_authenticated;  /* the client authenticated with SMTP AUTH */
};

#define RMX_RESULT_DOMAIN_MAX 256
#define RMX_RESULT_TEXT_MAX 1100

/* The verdict.  Text fields are NUL-terminated and bounded; text that came
 * from outside (names, records) is printable ASCII in them. */
struct rmx_check_result {
	enum rmx_result result;
	enum rmx_method method;   /* the method that decided */
	enum rmx_dnssec dnssec;   /* weakest status of the answers it rests on */
	char domain[RMX_RESULT_DOMAIN_MAX];   /* domain checked, no trailing dot */
	char entry[RMX_RESULT_TEXT_MAX];      /* deciding entry or mechanism */
	char reason[RMX_RESULT_TEXT_MAX];     /* for a person */
	char explanation[RMX_RESULT_TEXT_MAX];/* SPF exp= text on fail, or "" */
	unsigned lookups;         /* lookup terms counted against the limit */
	unsigned queries;         /* DNS queries sent */
	unsigned elapsed_ms;
};

struct rmx_check;
typedef void rmx_check_done(void *arg, const struct rmx_check_result *res);

/*
 * Start a check.  cfg and req are copied; res must outlive the check.  The
 * first queries are started before it returns; done is called exactly once,
 * from inside rmx_resolver_process() or rmx_check_expire(), and the check
 * frees itself after done returns.  When no DNS is needed at all (e.g. the
 * sender domain is not a valid name) done is called before rmx_check_start
 * returns, and *out is set to NULL.  Otherwise *out (may be NULL) is a
 * handle for rmx_check_cancel/deadline/expire until done is called.
 * On a negative return code done is never called.
 */
int rmx_check_start(struct rmx_resolver *res, const struct rmx_config *cfg,
	const struct rmx_request *req, rmx_check_done *done, void *arg,
	struct rmx_check **out);

/* Stop a running check without calling done; frees it.  Not from inside
 * its own done callback. */
void rmx_check_cancel(struct rmx_check *chk);

/* Absolute deadline (CLOCK_MONOTONIC milliseconds) for the event loop. */
uint64_t rmx_check_deadline(const struct rmx_check *chk);
/* Call when the deadline has passed: the check ends in temperror (done is
 * called, then the check is freed). */
void rmx_check_expire(struct rmx_check *chk);

/* Blocking convenience: run a check to its end on res.  Uses the resolver
 * exclusively while it runs. */
int rmx_check_run(struct rmx_resolver *res, const struct rmx_config *cfg,
	const struct rmx_request *req, struct rmx_check_result *out);

/* CLOCK_MONOTONIC in milliseconds. */
uint64_t rmx_now_ms(void);

#ifdef __cplusplus
}
#endif
#endif

/*
 * spf.h - SPF (RFC 7208) records, macros and evaluation (internal).
 *
 * Three modules share this header:
 *   spf_parse.c  turns the text of one SPF record into a struct spf_record:
 *                a plain array of terms, every syntax error found up front
 *                (RFC 7208 4.6: a record with an error anywhere is a
 *                permerror, whatever would have matched before it);
 *   spf_macro.c  expands macro-strings (RFC 7208 7) into a bounded buffer,
 *                truncates expanded domain names to 253 octets, and writes
 *                names in the presentation form the resolver takes;
 *   spf_eval.c   runs check_host() on the check framework (check_int.h).
 *
 * Memory comes from a caller-given allocator (the check's arena in the
 * evaluator, a test arena in the unit tests): zeroed, NULL when exhausted,
 * never freed one by one.
 */
#ifndef RMX_SPF_H
#define RMX_SPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rmx/error.h>

#include "addr.h"

/* Longest SPF record we evaluate, after joining its character-strings. */
#define SPF_RECORD_MAX 4096
/* RFC 7208 4.6.4 processing limits. */
#define SPF_LOOKUP_MAX 10   /* terms that cause DNS lookups */
#define SPF_VOID_MAX 2      /* lookups answered NXDOMAIN or NODATA */
#define SPF_MX_MAX 10       /* MX names per mx mechanism (more: permerror) */
#define SPF_PTR_MAX 10      /* PTR names looked at (the rest ignored) */
/* Longest domain name in text, no trailing dot (RFC 7208 7.3). */
#define SPF_NAME_MAX 253
/* Explanation text longer than this is not used (the result's field holds
 * about 1100 octets anyway). */
#define SPF_EXP_MAX 4096

typedef void *spf_alloc_fn(void *ctx, size_t size);

enum spf_kind {
	SPF_ALL = 0,
	SPF_INCLUDE,
	SPF_A,
	SPF_MX,
	SPF_PTR,
	SPF_IP4,
	SPF_IP6,
	SPF_EXISTS,
};

/* Name of a mechanism kind ("all", "include", ...). */
const char *spf_kind_name(enum spf_kind kind);
/* Does a mechanism of this kind count against SPF_LOOKUP_MAX? */
static inline bool spf_kind_counts(enum spf_kind kind)
{
	return kind == SPF_INCLUDE || kind == SPF_A || kind == SPF_MX ||
		kind == SPF_PTR || kind == SPF_EXISTS;
}

/*
 * A domain-spec as the record wrote it.  Without macros it is finished at
 * parse time: `name` is the domain (trailing dot removed), `qname` the
 * query text for the resolver (the same pointer unless the name holds
 * octets that need escapes), and `valid` says whether it can be a DNS name
 * at all (a mechanism with an invalid name matches nothing).  With macros,
 * `spec` is expanded at evaluation time.
 */
struct spf_domain {
	const char *spec;     /* as written, NUL-terminated; NULL: none given */
	const char *name;     /* !macro: finished name */
	const char *qname;    /* !macro && valid: query text */
	uint16_t spec_len;
	bool macro;           /* contains '%' */
	bool macro_p;         /* uses the p macro (needs PTR lookups) */
	bool valid;           /* !macro: a usable DNS name */
};

struct spf_term {
	const char *text;     /* the term as written (not NUL-terminated) */
	uint16_t text_len;
	uint8_t kind;         /* enum spf_kind */
	uint8_t result;       /* qualifier as enum rmx_result */
	uint8_t cidr4;        /* a, mx, ip4: prefix length for IPv4 */
	uint8_t cidr6;        /* a, mx, ip6: prefix length for IPv6 */
	uint8_t net[16];      /* ip4 (4 octets), ip6 */
	struct spf_domain domain; /* include a mx ptr exists */
};

struct spf_record {
	struct spf_term *terms;
	unsigned nterms;
	unsigned nlookups;    /* terms counting against SPF_LOOKUP_MAX */
	bool has_redirect, has_exp;
	struct spf_domain redirect;
	struct spf_domain exp;
};

/*
 * Parse one SPF record, text[0..len) (the joined character-strings of the
 * TXT RR, starting "v=spf1").  text must stay valid while the record is
 * used (terms point into it).  Returns RMX_OK; RMX_EMALFORMED with diag
 * (offset into text, message) for any syntax error (the caller's
 * permerror); RMX_ENOMEM when alloc fails.
 */
int spf_record_parse(const char *text, size_t len, spf_alloc_fn *alloc,
	void *actx, struct spf_record *out, struct rmx_diag *diag);

/* Parse IPv6 text s[0..n) (RFC 4291 2.2) into out; false if it is not
 * one.  Accepts exactly what inet_pton(AF_INET6) accepts. */
bool spf_parse_ip6(const char *s, size_t n, uint8_t out[16]);

/* Is text[0..len) an SPF version 1 record: "v=spf1" (any case) followed
 * by a space or the end? */
bool spf_is_record(const char *text, size_t len);

/* ---- macros (spf_macro.c) ---- */

/* What macros expand to.  Pointers are NUL-terminated text. */
struct spf_macro_ctx {
	const char *local;     /* l: local part ("postmaster" when none) */
	const char *sender_domain; /* o */
	const char *domain;    /* d: the current <domain> */
	const struct rmx_addr *ip; /* i, c, v */
	const char *helo;      /* h */
	const char *receiver;  /* r */
	const char *ptr;       /* p: validated name; NULL: not known yet */
	int64_t now;           /* t; negative: read the clock */
};

/* Growing output buffer, bounded by max. */
struct spf_buf {
	char *p;
	size_t len, cap, max;
	spf_alloc_fn *alloc;
	void *actx;
	bool domain;           /* domain mode: keep only what truncation keeps */
	bool head_open;        /* domain mode: the front is in a label known to
	                        * be over 253 octets (it was dropped) */
};

enum spf_expand_rc {
	SPF_EXPAND_OK = 0,
	SPF_EXPAND_NEED_PTR = 1, /* uses p and ctx->ptr is NULL */
	SPF_EXPAND_SYNTAX = -1,  /* not a valid macro-string */
	SPF_EXPAND_NOMEM = -2,   /* alloc failed */
	SPF_EXPAND_TOOLONG = -3, /* output over buf->max */
};

/* What a syntax check learned about a macro-string. */
struct spf_macro_info {
	bool has_macro;        /* contains '%' */
	bool uses_p;           /* %{p} */
	bool ends_in_macro;    /* last token is a macro-expand (%{..} %% %_ %-) */
	size_t bad_offset;     /* SPF_EXPAND_SYNTAX: where */
	const char *why;       /* SPF_EXPAND_SYNTAX: what */
};

/*
 * Check the syntax of a macro-string s[0..len).  exp: explain-string rules
 * (spaces and the c r t letters allowed).  Returns SPF_EXPAND_OK or
 * SPF_EXPAND_SYNTAX; info filled either way.
 */
int spf_macro_check(const char *s, size_t len, bool exp,
	struct spf_macro_info *info);

/* Start an empty buffer.  domain: domain-name mode (see spf_expand_name). */
void spf_buf_init(struct spf_buf *b, spf_alloc_fn *alloc, void *actx,
	size_t max, bool domain);

/*
 * Expand s[0..len) into b (appended; b->p NUL-terminated on success).
 * exp selects explain-string rules.  Returns an enum spf_expand_rc.
 */
int spf_macro_expand(const struct spf_macro_ctx *ctx, const char *s,
	size_t len, bool exp, struct spf_buf *b);

/*
 * Finish a name in b (domain mode): drop one trailing dot, truncate to 253
 * octets by removing labels on the left (RFC 7208 7.3), then check that
 * it is a usable DNS name (labels of 1-63 octets).  Returns a pointer into
 * b->p (NUL-terminated), or NULL when the name cannot be one.
 */
const char *spf_name_finish(struct spf_buf *b);

/*
 * Query text for a finished name: name itself when it holds only letters,
 * digits, '-', '_' and dots; else a copy with other octets as \DDD.  NULL
 * when alloc fails.
 */
const char *spf_name_query_text(const char *name, spf_alloc_fn *alloc,
	void *actx);

/* Expand a domain-spec into a finished name (expand + spf_name_finish).
 * *name NULL (rc OK) when the expansion is not a usable DNS name. */
int spf_expand_name(const struct spf_macro_ctx *ctx, const char *spec,
	size_t len, spf_alloc_fn *alloc, void *actx, const char **name);

#endif

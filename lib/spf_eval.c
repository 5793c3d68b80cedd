/*
 * spf_eval.c - check_host() of RFC 7208 on the asynchronous check framework.
 *
 * spf_eval_start() evaluates the SPF record of check_input(chk)->domain for
 * the client and ends the method with check_method_done() exactly once:
 * none, neutral, pass, fail, softfail, temperror or permerror, the deciding
 * mechanism as written, the domain whose record decided, a reason, and on
 * fail the exp= explanation when there is a usable one.
 *
 * Shape: a state machine.  Each record is parsed once (spf_parse.c) into a
 * frame: the record, the <domain> it is evaluated for, the next term, and
 * one slot per term holding that term's lookup (started, answered,
 * outcome).  eval_run() walks the terms in record order, exactly as RFC
 * 7208 4.6 does; a term whose answer is not there yet blocks the walk, and
 * the answer callback resumes it.  include pushes a child frame, redirect
 * replaces the frame.
 *
 * Prefetch: when a record is parsed, the lookups of its terms that do not
 * depend on earlier answers (a, mx, ptr, exists, include, redirect; with
 * no macros or macros other than p) are started together, up to the
 * first term that matches without DNS (all, a matching ip4/ip6), at most
 * SPF_LOOKUP_MAX of them per check and none whose estimated position is
 * past the limit.  Their answers wait in the slots.  Limits are counted
 * only when the walk reaches a term (RFC 7208 4.6.4: "at evaluation"), so
 * the result and the lookup/void counts are those of in-order evaluation;
 * prefetch only changes how long it takes.
 *
 * Limits: 10 lookup terms (include a mx ptr exists redirect) then
 * permerror; 2 void lookups (NXDOMAIN or NODATA for the a, mx, ptr, exists
 * lookups) then permerror; more than 10 MX names permerror; the first 10
 * PTR names only.  Address lookups of MX names and PTR validation are part
 * of their term and count neither as terms nor as void lookups.
 *
 * Records: with cfg.cache set, a record is looked up in the parsed-record
 * cache (rmx/cache.h) by its RDATA octets and parsed only on a miss, into
 * the cache entry, which the check holds until it ends; the parsed form
 * is read-only, all evaluation state lives in frames and slots.
 *
 * Does not: cache DNS answers or results, or use type 99 unless
 * cfg.spf_query_spf_rr is set (then a v=spf1 record of type SPF wins over
 * TXT, as RFC 4408 4.5 had it, and a failing type-99 query is ignored).
 */
#include "spf.h"
#include "check_int.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rmx/name.h>

enum slot_state { SLOT_IDLE = 0, SLOT_RUNNING, SLOT_DONE };

enum outcome {
	OUT_NOMATCH = 0,
	OUT_MATCH,
	OUT_VOID,       /* NXDOMAIN or NODATA: no match, a void lookup */
	OUT_TEMPERROR,
	OUT_PERMERROR,
	OUT_RECORD,     /* include/redirect/top: a record to evaluate */
	OUT_NONE,       /* include/redirect/top: no SPF record */
};

enum step { STEP_CONTINUE, STEP_BLOCK, STEP_END };

enum phase { PHASE_TOP, PHASE_EVAL, PHASE_EXP };

struct spf_eval;
struct spf_frame;
struct spf_slot;

/* One address lookup of an MX name. */
struct spf_sub {
	struct spf_slot *slot;
	uint8_t state;
	uint8_t outcome;   /* OUT_MATCH, OUT_NOMATCH, OUT_TEMPERROR */
	uint8_t sec;       /* check_dnssec_bits of its answer */
	uint16_t pref;
	const char *qname;
};

/* The lookup of one term (or of the redirect target, or a record). */
struct spf_slot {
	struct spf_eval *ev;
	struct spf_frame *frame;   /* NULL for the top record and exp */
	const struct spf_term *term; /* NULL for redirect, top, exp */
	uint8_t state;
	uint8_t outcome;
	uint8_t pend;              /* queries outstanding (record fetch) */
	uint8_t alt_outcome;       /* type-99 answer of a record fetch */
	uint8_t sec;               /* check_dnssec_bits of its answers */
	const char *name;          /* target: finished name */
	const char *qname;         /* target: query text */
	const char *why;           /* detail for a reason */
	struct spf_sub *subs;      /* mx */
	unsigned nsubs;
	bool hosts_started;        /* mx: address lookups started */
	uint8_t *twire;            /* ptr: target as a wire name */
	size_t twlen;
	const struct spf_record *rec;    /* record fetch: OUT_RECORD */
	const struct spf_record *alt_rec;
	const char *alt_why;
	struct spf_frame *child;   /* record fetch of include/redirect */
	const char *text;          /* exp: the explanation TXT, or NULL */
};

struct spf_frame {
	struct spf_frame *parent;         /* include: the including frame */
	struct spf_frame *redirected_from;/* redirect: the frame it left */
	const struct spf_record *rec;
	struct spf_slot *slots;           /* nterms, then the redirect */
	const char *domain;               /* <domain>: finished name */
	const char *qname;
	uint8_t *wire;                    /* domain as wire (p macro) */
	size_t wlen;
	unsigned next;                    /* term being evaluated */
	unsigned est_base;                /* prefetch: lookups before it */
	/* What the prefetch learnt, so that the walk does not compare the
	 * client with the same ip4/ip6 terms again: terms before `scanned`
	 * do not match without DNS; with static_stop, term `scanned` does. */
	unsigned scanned;
	bool static_stop;
	bool counted;                     /* next counted against limits */
	bool void_counted;
};

struct spf_ptrname {
	struct spf_eval *ev;
	uint8_t *wire;
	size_t wlen;
	const char *qname;   /* canonical text, trailing dot */
	uint8_t state;
	uint8_t sec;         /* check_dnssec_bits of its address answer */
	bool valid;
};

struct spf_eval {
	struct rmx_check *chk;
	const struct check_input *in;
	struct spf_macro_ctx mctx;
	enum phase phase;
	bool blocked;
	bool ended;
	unsigned lookups;
	unsigned voids;
	unsigned prefetched;
	struct spf_frame *frame;
	struct spf_slot top;
	/* PTR names of the client, shared by ptr and %{p}. */
	uint8_t ptr_state;
	uint8_t ptr_sec;     /* check_dnssec_bits of the PTR answer */
	enum rmx_dns_status ptr_status;
	unsigned nptr;
	struct spf_ptrname *ptrs;
	/* The innermost mechanism that matched. */
	const struct spf_term *match_term;
	struct spf_frame *match_frame;
	/* Result waiting for its explanation. */
	struct spf_frame *exp_frame;
	struct spf_slot exp;
	enum rmx_result final_result;
};

static void eval_run(struct spf_eval *ev);

/* ---- small helpers ---- */

static void *ev_alloc(void *ctx, size_t size)
{
	return check_alloc(ctx, size);
}

/* Arena text, cut at 400 octets; "" when out of memory. */
static const char *ev_printf(struct spf_eval *ev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static const char *ev_printf(struct spf_eval *ev, const char *fmt, ...)
{
	char buf[400];
	va_list ap;
	const char *s;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	s = check_strdup(ev->chk, buf);
	return s != NULL ? s : "";
}

static enum step finish(struct spf_eval *ev, enum rmx_result result,
	const char *domain, const char *entry, const char *reason)
{
	if (!ev->ended) {
		ev->ended = true;
		check_method_done_text(ev->chk, result, domain, entry,
			reason != NULL ? reason : "", false);
	}
	return STEP_END;
}

static enum step nomem(struct spf_eval *ev)
{
	if (!ev->ended) {
		ev->ended = true;
		check_fail_nomem(ev->chk);
	}
	return STEP_END;
}

static const char *term_text(struct spf_eval *ev, const struct spf_term *t)
{
	const char *s;

	if (t == NULL)
		return NULL;
	s = check_strndup(ev->chk, t->text, t->text_len);
	return s != NULL ? s : "";
}

static bool query(struct spf_eval *ev, const char *qname, uint16_t qtype,
	check_answer_fn *fn, void *arg)
{
	if (ev->ended)
		return false;
	if (check_query(ev->chk, qname, qtype, fn, arg) != 0) {
		ev->ended = true; /* check.c ended the method */
		return false;
	}
	return true;
}

/* An answer arrived: go on if the walk was waiting. */
static void resume(struct spf_eval *ev)
{
	if (ev->blocked && !ev->ended)
		eval_run(ev);
}

static const char *status_text(const struct rmx_dns_answer *ans)
{
	const char *s = rmx_dns_status_str(ans->status);

	return s != NULL ? s : "DNS failure";
}

/* ---- records ---- */

/* The character-strings of a TXT RR (checked by the caller) joined. */
static void join_strings(const struct rmx_dns_rr *rr, char *text)
{
	const uint8_t *d = rr->rdata;
	size_t len = rr->rdlen, off = 0, n = 0;

	while (off < len) {
		size_t l = d[off++];

		memcpy(text + n, d + off, l);
		n += l;
		off += l;
	}
}

static enum outcome parse_outcome(struct spf_eval *ev, const char *qname,
	int rc, const struct rmx_diag *diag, struct spf_record *r,
	const struct spf_record **rec, const char **why)
{
	if (rc == RMX_ENOMEM) {
		nomem(ev);
		return OUT_TEMPERROR;
	}
	if (rc != RMX_OK) {
		*why = ev_printf(ev, "syntax error in the SPF record of %s: %s "
			"(offset %zu)", qname, diag->msg, diag->offset);
		return OUT_PERMERROR;
	}
	*rec = r;
	return OUT_RECORD;
}

/*
 * The record of RR rr (total octets of text) through the check's cache:
 * the parsed form when it is there, else parsed into a new cache entry
 * (text and all: the terms point into it), which the check holds until it
 * ends.  A record that does not parse is not cached.
 */
static enum outcome select_cached(struct spf_eval *ev, const char *qname,
	uint16_t qtype, const struct rmx_dns_rr *rr, size_t total,
	const struct spf_record **rec, const char **why)
{
	struct rmx_cache *cache = ev->in->cfg.cache;
	struct cache_entry *e;
	const struct spf_record *hit;
	struct spf_record *r;
	struct rmx_diag diag;
	char *text;
	int rc;

	hit = cache_get(cache, qtype, rr, 1, &e);
	if (hit != NULL) {
		if (check_hold(ev->chk, e) != 0) {
			ev->ended = true;
			return OUT_TEMPERROR;
		}
		/* Shared and never written: the evaluator keeps its state in
		 * frames and slots. */
		*rec = hit;
		return OUT_RECORD;
	}
	/* text, the record, terms (at most one per two octets) and the
	 * names of domain-specs: the hint covers a typical record. */
	e = cache_entry_new(qtype, rr, 1, 2 * (total + 1) + sizeof(*r) +
		(total / 8 + 1) * sizeof(struct spf_term));
	if (e == NULL) {
		nomem(ev);
		return OUT_TEMPERROR;
	}
	text = cache_entry_alloc(e, total + 1);
	r = cache_entry_alloc(e, sizeof(*r));
	if (text == NULL || r == NULL) {
		cache_entry_release(e);
		nomem(ev);
		return OUT_TEMPERROR;
	}
	join_strings(rr, text);
	rc = spf_record_parse(text, total, cache_entry_alloc, e, r, &diag);
	if (rc != RMX_OK) {
		cache_entry_release(e);
		return parse_outcome(ev, qname, rc, &diag, r, rec, why);
	}
	cache_entry_insert(cache, e, r);
	if (check_hold(ev->chk, e) != 0) {
		ev->ended = true;
		return OUT_TEMPERROR;
	}
	*rec = r;
	return OUT_RECORD;
}

/*
 * Pick the SPF record out of a TXT (or type 99) answer and parse it.
 * RFC 7208 4.5: only RRs starting "v=spf1" count; none -> none; more than
 * one -> permerror.
 */
static enum outcome select_record(struct spf_eval *ev, const char *qname,
	uint16_t qtype, const struct rmx_dns_answer *ans, const struct spf_record **rec,
	const char **why)
{
	size_t i, found = 0, which = 0, total_found = 0;
	char *text;
	struct spf_record *r;
	struct rmx_diag diag;
	int rc;

	*rec = NULL;
	switch (ans->status) {
	case RMX_DNS_OK:
		break;
	case RMX_DNS_NODATA:
	case RMX_DNS_NXDOMAIN:
		*why = ev_printf(ev, "no SPF record at %s (%s)", qname,
			status_text(ans));
		return OUT_NONE;
	default:
		*why = ev_printf(ev, "TXT lookup for %s failed: %s", qname,
			ans->why != NULL ? ans->why : status_text(ans));
		return OUT_TEMPERROR;
	}
	for (i = 0; i < ans->count; i++) {
		const uint8_t *d = ans->rr[i].rdata;
		size_t len = ans->rr[i].rdlen, off = 0, total = 0, h = 0;
		char head[7];

		while (off < len) {
			size_t l = d[off++];

			if (len - off < l) {
				*why = ev_printf(ev, "malformed TXT RDATA at %s",
					qname);
				return OUT_TEMPERROR;
			}
			for (; l > 0 && h < sizeof(head); l--, h++, off++,
			    total++)
				head[h] = (char)d[off];
			off += l;
			total += l;
		}
		if (total >= 6 && spf_is_record(head, total == 6 ? 6 : 7)) {
			found++;
			which = i;
			total_found = total;
		}
	}
	if (found == 0) {
		*why = ev_printf(ev, "no SPF record at %s", qname);
		return OUT_NONE;
	}
	if (found > 1) {
		*why = ev_printf(ev, "%zu SPF records at %s (RFC 7208 4.5 "
			"allows one)", found, qname);
		return OUT_PERMERROR;
	}
	if (total_found > SPF_RECORD_MAX) {
		*why = ev_printf(ev, "SPF record at %s is longer than %u "
			"octets", qname, (unsigned)SPF_RECORD_MAX);
		return OUT_PERMERROR;
	}
	if (ev->in->cfg.cache != NULL)
		return select_cached(ev, qname, qtype, &ans->rr[which],
			total_found, rec, why);
	text = check_alloc(ev->chk, total_found + 1);
	r = check_alloc(ev->chk, sizeof(*r));
	if (text == NULL || r == NULL) {
		nomem(ev);
		return OUT_TEMPERROR;
	}
	join_strings(&ans->rr[which], text);
	rc = spf_record_parse(text, total_found, ev_alloc, ev->chk, r, &diag);
	return parse_outcome(ev, qname, rc, &diag, r, rec, why);
}

static struct spf_frame *frame_new(struct spf_eval *ev,
	const struct spf_record *rec, const char *domain, const char *qname,
	unsigned est_base)
{
	struct spf_frame *f = check_alloc(ev->chk, sizeof(*f));
	unsigned i;

	if (f == NULL)
		return NULL;
	f->slots = check_alloc(ev->chk, (rec->nterms + 1) * sizeof(*f->slots));
	if (f->slots == NULL)
		return NULL;
	f->rec = rec;
	f->domain = domain;
	f->qname = qname;
	f->est_base = est_base;
	for (i = 0; i <= rec->nterms; i++) {
		f->slots[i].ev = ev;
		f->slots[i].frame = f;
		f->slots[i].term = i < rec->nterms ? &rec->terms[i] : NULL;
	}
	return f;
}

static void frame_prefetch(struct spf_eval *ev, struct spf_frame *f);
static unsigned ptr_dnssec(const struct spf_eval *ev);

/* A record fetch finished (all its queries answered). */
static void fetch_done(struct spf_slot *s)
{
	struct spf_eval *ev = s->ev;

	if (ev->ended)
		return;
	if (s->alt_outcome == OUT_RECORD || s->alt_outcome == OUT_PERMERROR) {
		s->outcome = s->alt_outcome;
		s->rec = s->alt_rec;
		s->why = s->alt_why;
	}
	s->state = SLOT_DONE;
	if (s->outcome == OUT_RECORD && s->frame != NULL) {
		/* include or redirect target: make its frame now so that its
		 * own lookups can start ahead. */
		struct spf_frame *f = s->frame;
		unsigned est = f->est_base, i;
		struct spf_frame *c;

		for (i = 0; s->term != NULL && &f->rec->terms[i] != s->term;
		    i++)
			if (spf_kind_counts((enum spf_kind)f->rec->terms[i].kind))
				est++;
		if (s->term == NULL)
			est += f->rec->nlookups;
		est++;
		c = frame_new(ev, s->rec, s->name, s->qname, est);
		if (c == NULL) {
			nomem(ev);
			return;
		}
		if (s->term != NULL) {
			c->parent = f;
		} else {
			c->parent = f->parent;
			c->redirected_from = f;
		}
		s->child = c;
		frame_prefetch(ev, c);
	}
}

static void answer_fetch(struct rmx_check *chk, void *arg,
	const struct rmx_dns_answer *ans, bool alt)
{
	struct spf_slot *s = arg;
	struct spf_eval *ev = s->ev;
	const struct spf_record *rec;
	const char *why = NULL;
	enum outcome o = select_record(ev, s->qname,
		alt ? RMX_RR_SPF : RMX_RR_TXT, ans, &rec, &why);

	(void)chk;
	if (ev->ended)
		return;
	s->sec |= (uint8_t)check_dnssec_bits(ans);
	if (alt) {
		s->alt_outcome = (uint8_t)o;
		s->alt_rec = rec;
		s->alt_why = why;
	} else {
		s->outcome = (uint8_t)o;
		s->rec = rec;
		s->why = why;
	}
	if (--s->pend == 0)
		fetch_done(s);
	resume(ev);
}

static void answer_fetch_txt(struct rmx_check *chk, void *arg,
	const struct rmx_dns_answer *ans)
{
	answer_fetch(chk, arg, ans, false);
}

static void answer_fetch_spf(struct rmx_check *chk, void *arg,
	const struct rmx_dns_answer *ans)
{
	answer_fetch(chk, arg, ans, true);
}

static void fetch_start(struct spf_eval *ev, struct spf_slot *s)
{
	s->state = SLOT_RUNNING;
	s->alt_outcome = OUT_NONE;
	s->pend = 1;
	if (ev->in->cfg.spf_query_spf_rr)
		s->pend = 2;
	if (!query(ev, s->qname, RMX_RR_TXT, answer_fetch_txt, s))
		return;
	if (ev->in->cfg.spf_query_spf_rr)
		query(ev, s->qname, RMX_RR_SPF, answer_fetch_spf, s);
}

/* ---- the client's PTR names (ptr mechanism, p macro) ---- */

static void answer_ptr_addr(struct rmx_check *chk, void *arg,
	const struct rmx_dns_answer *ans)
{
	struct spf_ptrname *p = arg;
	struct spf_eval *ev = p->ev;
	size_t i;

	(void)chk;
	p->state = SLOT_DONE;
	p->sec = (uint8_t)check_dnssec_bits(ans);
	if (ans->status == RMX_DNS_OK)
		for (i = 0; i < ans->count && !p->valid; i++)
			p->valid = rmx_addr_equal_rdata(&ev->in->client,
				ans->rr[i].rdata, ans->rr[i].rdlen);
	resume(ev);
}

/* Start validating PTR name i (RFC 7208 5.5: its addresses must include
 * the client's). */
static void ptr_validate(struct spf_eval *ev, unsigned i)
{
	struct spf_ptrname *p = &ev->ptrs[i];

	if (p->state != SLOT_IDLE)
		return;
	p->state = SLOT_RUNNING;
	query(ev, p->qname, ev->in->client.family == 4 ? RMX_RR_A :
		RMX_RR_AAAA, answer_ptr_addr, p);
}

static void answer_ptr(struct rmx_check *chk, void *arg,
	const struct rmx_dns_answer *ans)
{
	struct spf_eval *ev = arg;
	size_t i;

	(void)chk;
	ev->ptr_status = ans->status;
	ev->ptr_sec = (uint8_t)check_dnssec_bits(ans);
	if (ans->status == RMX_DNS_OK) {
		size_t n = ans->count < SPF_PTR_MAX ? ans->count : SPF_PTR_MAX;

		ev->ptrs = check_alloc(ev->chk, n * sizeof(*ev->ptrs) + 1);
		if (ev->ptrs == NULL) {
			nomem(ev);
			return;
		}
		for (i = 0; i < n; i++) {
			const struct rmx_dns_rr *rr = &ans->rr[i];
			struct spf_ptrname *p = &ev->ptrs[ev->nptr];
			char text[RMX_NAME_MAXTEXT];
			size_t wl;
			struct rmx_diag diag;

			/* A malformed name is skipped, like one that does
			 * not validate. */
			if (rmx_name_wire_check(rr->rdata, rr->rdlen, &wl,
			    &diag) != RMX_OK || wl != rr->rdlen ||
			    rmx_name_to_text(rr->rdata, wl, text, sizeof(text),
			    NULL) != RMX_OK)
				continue;
			p->ev = ev;
			p->wire = check_alloc(ev->chk, wl);
			p->qname = check_strdup(ev->chk, text);
			if (p->wire == NULL || p->qname == NULL) {
				nomem(ev);
				return;
			}
			memcpy(p->wire, rr->rdata, wl);
			p->wlen = wl;
			ev->nptr++;
		}
	}
	ev->ptr_state = SLOT_DONE;
	resume(ev);
}

static void ptr_names_start(struct spf_eval *ev)
{
	const struct rmx_addr *a = &ev->in->client;
	char name[80];
	size_t n = 0;
	int j;

	if (ev->ptr_state != SLOT_IDLE)
		return;
	ev->ptr_state = SLOT_RUNNING;
	if (a->family == 4) {
		snprintf(name, sizeof(name), "%u.%u.%u.%u.in-addr.arpa",
			a->a[3], a->a[2], a->a[1], a->a[0]);
	} else {
		static const char hex[] = "0123456789abcdef";

		for (j = 15; j >= 0; j--) {
			name[n++] = hex[a->a[j] & 0x0f];
			name[n++] = '.';
			name[n++] = hex[a->a[j] >> 4];
			name[n++] = '.';
		}
		memcpy(name + n, "ip6.arpa", sizeof("ip6.arpa"));
	}
	query(ev, name, RMX_RR_PTR, answer_ptr, ev);
}

/* Wire form of a frame's domain (for comparisons with PTR names). */
static bool frame_wire(struct spf_eval *ev, const char *qname, uint8_t **wire,
	size_t *wlen)
{
	struct rmx_diag diag;
	uint8_t buf[RMX_NAME_MAXWIRE];

	if (*wire != NULL)
		return true;
	if (rmx_name_from_text(qname, strlen(qname), NULL, buf, wlen,
	    &diag) != RMX_OK)
		return false;
	*wire = check_alloc(ev->chk, *wlen);
	if (*wire == NULL) {
		nomem(ev);
		return false;
	}
	memcpy(*wire, buf, *wlen);
	return true;
}

/*
 * The p macro for a domain (RFC 7208 7.3): the validated name equal to
 * the domain, else one below it, else any validated name, else "unknown".
 * NULL while lookups are still running (they are started here).
 */
static const char *ptr_value(struct spf_eval *ev, struct spf_frame *f)
{
	unsigned i, pick = ev->nptr;
	bool waiting = false;
	char text[RMX_NAME_MAXTEXT];
	size_t tl;
	char *v;

	ptr_names_start(ev);
	if (ev->ended || ev->ptr_state != SLOT_DONE)
		return NULL;
	if (ev->ptr_status != RMX_DNS_OK) {
		check_fold_dnssec(ev->chk, ev->ptr_sec);
		return "unknown";
	}
	for (i = 0; i < ev->nptr; i++) {
		ptr_validate(ev, i);
		if (ev->ptrs[i].state != SLOT_DONE)
			waiting = true;
	}
	if (waiting || ev->ended)
		return NULL;
	/* the expanded name, and so the verdict, rests on these answers */
	check_fold_dnssec(ev->chk, ptr_dnssec(ev));
	if (frame_wire(ev, f->qname, &f->wire, &f->wlen)) {
		for (i = 0; i < ev->nptr && pick == ev->nptr; i++)
			if (ev->ptrs[i].valid && rmx_name_equal(ev->ptrs[i].wire,
			    ev->ptrs[i].wlen, f->wire, f->wlen))
				pick = i;
		for (i = 0; i < ev->nptr && pick == ev->nptr; i++)
			if (ev->ptrs[i].valid && rmx_name_is_subdomain(
			    ev->ptrs[i].wire, ev->ptrs[i].wlen, f->wire,
			    f->wlen))
				pick = i;
	}
	for (i = 0; i < ev->nptr && pick == ev->nptr; i++)
		if (ev->ptrs[i].valid)
			pick = i;
	if (pick == ev->nptr)
		return "unknown";
	if (rmx_name_to_text(ev->ptrs[pick].wire, ev->ptrs[pick].wlen, text,
	    sizeof(text), &tl) != RMX_OK)
		return "unknown";
	if (tl > 1 && text[tl - 1] == '.')
		tl--;
	v = check_strndup(ev->chk, text, tl);
	if (v == NULL)
		nomem(ev);
	return v;
}

/* ---- macro expansion in the evaluator ---- */

/*
 * Expand a macro-string for frame f.  STEP_CONTINUE with *out set (NULL
 * for a domain-spec that gives no usable name), STEP_BLOCK while the p
 * macro waits for PTR lookups, STEP_END when the method ended.  Syntax
 * errors cannot happen here for domain-specs (the parser checked them);
 * for explanation text they give *out NULL.
 */
static enum step expand(struct spf_eval *ev, struct spf_frame *f,
	const char *spec, size_t len, bool exp, const char **out)
{
	struct spf_macro_ctx ctx = ev->mctx;
	int rc;

	*out = NULL;
	ctx.domain = f->domain;
	for (;;) {
		if (exp) {
			struct spf_buf b;

			spf_buf_init(&b, ev_alloc, ev->chk, SPF_EXP_MAX, false);
			rc = spf_macro_expand(&ctx, spec, len, true, &b);
			if (rc == SPF_EXPAND_OK)
				*out = b.p;
		} else {
			rc = spf_expand_name(&ctx, spec, len, ev_alloc, ev->chk,
				out);
		}
		if (rc == SPF_EXPAND_NOMEM)
			return nomem(ev);
		if (rc != SPF_EXPAND_NEED_PTR)
			return STEP_CONTINUE;
		ctx.ptr = ptr_value(ev, f);
		if (ev->ended)
			return STEP_END;
		if (ctx.ptr == NULL)
			return STEP_BLOCK;
	}
}

/* Target name and query text of a slot: the domain-spec expanded, or the
 * frame's domain. */
static enum step slot_target(struct spf_eval *ev, struct spf_slot *s,
	const struct spf_domain *d)
{
	struct spf_frame *f = s->frame;
	const char *name;
	enum step st;

	if (d == NULL || d->spec == NULL) {
		s->name = f->domain;
		s->qname = f->qname;
		return STEP_CONTINUE;
	}
	if (!d->macro) {
		s->name = d->valid ? d->name : NULL;
		s->qname = d->valid ? d->qname : NULL;
		return STEP_CONTINUE;
	}
	st = expand(ev, f, d->spec, d->spec_len, false, &name);
	if (st != STEP_CONTINUE)
		return st;
	s->name = name;
	s->qname = NULL;
	if (name != NULL) {
		s->qname = spf_name_query_text(name, ev_alloc, ev->chk);
		if (s->qname == NULL)
			return nomem(ev);
	}
	return STEP_CONTINUE;
}

/* ---- answers of term lookups ---- */

static void set_dns_failure(struct spf_slot *s, const char *what,
	const struct rmx_dns_answer *ans)
{
	s->outcome = OUT_TEMPERROR;
	s->why = ev_printf(s->ev, "%s lookup for %s failed: %s", what,
		s->qname, ans->why != NULL ? ans->why : status_text(ans));
}

static bool addr_matches(const struct spf_eval *ev, const struct spf_term *t,
	const uint8_t *rdata, size_t rdlen)
{
	const struct rmx_addr *c = &ev->in->client;

	if (c->family == 4)
		return rdlen == 4 && rmx_addr_in_prefix(c, 4, rdata, t->cidr4);
	return rdlen == 16 && rmx_addr_in_prefix(c, 6, rdata, t->cidr6);
}

static void answer_a(struct rmx_check *chk, void *arg,
	const struct rmx_dns_answer *ans)
{
	struct spf_slot *s = arg;
	size_t i;

	(void)chk;
	s->state = SLOT_DONE;
	s->sec = (uint8_t)check_dnssec_bits(ans);
	switch (ans->status) {
	case RMX_DNS_OK:
		s->outcome = OUT_NOMATCH;
		for (i = 0; i < ans->count; i++)
			if (addr_matches(s->ev, s->term, ans->rr[i].rdata,
			    ans->rr[i].rdlen))
				s->outcome = OUT_MATCH;
		break;
	case RMX_DNS_NODATA:
	case RMX_DNS_NXDOMAIN:
		s->outcome = OUT_VOID;
		break;
	default:
		set_dns_failure(s, "address", ans);
		break;
	}
	resume(s->ev);
}

static void answer_exists(struct rmx_check *chk, void *arg,
	const struct rmx_dns_answer *ans)
{
	struct spf_slot *s = arg;

	(void)chk;
	s->state = SLOT_DONE;
	s->sec = (uint8_t)check_dnssec_bits(ans);
	switch (ans->status) {
	case RMX_DNS_OK:
		s->outcome = ans->count > 0 ? OUT_MATCH : OUT_VOID;
		break;
	case RMX_DNS_NODATA:
	case RMX_DNS_NXDOMAIN:
		s->outcome = OUT_VOID;
		break;
	default:
		set_dns_failure(s, "A", ans);
		break;
	}
	resume(s->ev);
}

/* Decide an mx term from its address lookups, in MX preference order:
 * the first name that matches or fails decides (as evaluating them one
 * after the other would). */
static void mx_decide(struct spf_slot *s)
{
	unsigned i;

	for (i = 0; i < s->nsubs; i++) {
		struct spf_sub *x = &s->subs[i];

		if (x->state != SLOT_DONE)
			return;
		if (x->outcome == OUT_MATCH || x->outcome == OUT_TEMPERROR) {
			s->outcome = x->outcome;
			if (x->outcome == OUT_TEMPERROR)
				s->why = ev_printf(s->ev, "address lookup for "
					"MX host %s failed", x->qname);
			s->state = SLOT_DONE;
			return;
		}
	}
	s->outcome = OUT_NOMATCH;
	s->state = SLOT_DONE;
}

static void answer_mx_addr(struct rmx_check *chk, void *arg,
	const struct rmx_dns_answer *ans)
{
	struct spf_sub *x = arg;
	struct spf_slot *s = x->slot;
	size_t i;

	(void)chk;
	x->state = SLOT_DONE;
	x->sec = (uint8_t)check_dnssec_bits(ans);
	x->outcome = OUT_NOMATCH;
	if (ans->status == RMX_DNS_OK) {
		for (i = 0; i < ans->count; i++)
			if (addr_matches(s->ev, s->term, ans->rr[i].rdata,
			    ans->rr[i].rdlen))
				x->outcome = OUT_MATCH;
	} else if (ans->status != RMX_DNS_NODATA &&
	    ans->status != RMX_DNS_NXDOMAIN) {
		x->outcome = OUT_TEMPERROR;
	}
	if (s->state != SLOT_DONE)
		mx_decide(s);
	resume(s->ev);
}

static void answer_mx(struct rmx_check *chk, void *arg,
	const struct rmx_dns_answer *ans)
{
	struct spf_slot *s = arg;
	struct spf_eval *ev = s->ev;
	size_t i, j;

	(void)chk;
	s->sec = (uint8_t)check_dnssec_bits(ans);
	if (ans->status == RMX_DNS_NODATA || ans->status == RMX_DNS_NXDOMAIN) {
		s->outcome = OUT_VOID;
		s->state = SLOT_DONE;
		resume(ev);
		return;
	}
	if (ans->status != RMX_DNS_OK) {
		set_dns_failure(s, "MX", ans);
		s->state = SLOT_DONE;
		resume(ev);
		return;
	}
	if (ans->count > SPF_MX_MAX) {
		s->outcome = OUT_PERMERROR;
		s->why = ev_printf(ev, "%zu MX records at %s (RFC 7208 4.6.4 "
			"allows %u)", ans->count, s->qname,
			(unsigned)SPF_MX_MAX);
		s->state = SLOT_DONE;
		resume(ev);
		return;
	}
	s->subs = check_alloc(ev->chk, (ans->count + 1) * sizeof(*s->subs));
	if (s->subs == NULL) {
		nomem(ev);
		return;
	}
	for (i = 0; i < ans->count; i++) {
		const struct rmx_dns_rr *rr = &ans->rr[i];
		char text[RMX_NAME_MAXTEXT];
		struct rmx_diag diag;
		struct spf_sub x;
		size_t wl;

		if (rr->rdlen < 3 || rmx_name_wire_check(rr->rdata + 2,
		    rr->rdlen - 2, &wl, &diag) != RMX_OK ||
		    wl != rr->rdlen - 2 || rmx_name_to_text(rr->rdata + 2, wl,
		    text, sizeof(text), NULL) != RMX_OK) {
			s->outcome = OUT_TEMPERROR;
			s->why = ev_printf(ev, "malformed MX RDATA at %s",
				s->qname);
			s->state = SLOT_DONE;
			resume(ev);
			return;
		}
		if (wl == 1)
			continue; /* "." : null MX (RFC 7505), no host */
		memset(&x, 0, sizeof(x));
		x.slot = s;
		x.pref = (uint16_t)(rr->rdata[0] << 8 | rr->rdata[1]);
		x.qname = check_strdup(ev->chk, text);
		if (x.qname == NULL) {
			nomem(ev);
			return;
		}
		/* Insertion in preference order, stable. */
		for (j = s->nsubs; j > 0 && s->subs[j - 1].pref > x.pref; j--)
			s->subs[j] = s->subs[j - 1];
		s->subs[j] = x;
		s->nsubs++;
	}
	/* The host lookups start when the walk reaches the term
	 * (mx_hosts_start): an mx fetched ahead is often never needed. */
	if (s->nsubs == 0) {
		s->outcome = OUT_NOMATCH;
		s->state = SLOT_DONE;
	}
	resume(ev);
}

static void mx_hosts_start(struct spf_eval *ev, struct spf_slot *s)
{
	unsigned i;

	s->hosts_started = true;
	for (i = 0; i < s->nsubs; i++) {
		s->subs[i].state = SLOT_RUNNING;
		if (!query(ev, s->subs[i].qname, ev->in->client.family == 4 ?
		    RMX_RR_A : RMX_RR_AAAA, answer_mx_addr, &s->subs[i]))
			return;
	}
}

/*
 * Start the lookup of slot s (term or redirect).  prefetch: only if it
 * needs no PTR lookups.  Leaves the slot RUNNING or DONE, or IDLE when it
 * must wait (p macro) or was skipped.
 */
static enum step slot_start(struct spf_eval *ev, struct spf_slot *s,
	bool prefetch)
{
	const struct spf_term *t = s->term;
	const struct spf_domain *d = t != NULL ? &t->domain :
		&s->frame->rec->redirect;
	enum spf_kind kind = t != NULL ? (enum spf_kind)t->kind : SPF_INCLUDE;
	enum step st;

	if (prefetch && d->macro_p)
		return STEP_CONTINUE;
	st = slot_target(ev, s, d);
	if (st != STEP_CONTINUE)
		return st;
	if (s->qname == NULL) {
		s->state = SLOT_DONE;
		if (kind == SPF_INCLUDE) {
			s->outcome = OUT_NONE;
			s->why = ev_printf(ev, "%s target is not a valid "
				"domain name", t != NULL ? "include" :
				"redirect");
		} else {
			s->outcome = OUT_NOMATCH;
		}
		return STEP_CONTINUE;
	}
	s->state = SLOT_RUNNING;
	switch (kind) {
	case SPF_INCLUDE:
		fetch_start(ev, s);
		break;
	case SPF_A:
		query(ev, s->qname, ev->in->client.family == 4 ? RMX_RR_A :
			RMX_RR_AAAA, answer_a, s);
		break;
	case SPF_EXISTS:
		query(ev, s->qname, RMX_RR_A, answer_exists, s);
		break;
	case SPF_MX:
		query(ev, s->qname, RMX_RR_MX, answer_mx, s);
		break;
	case SPF_PTR: {
		uint8_t *w = NULL;

		/* Decided in ptr_outcome() from the shared PTR names. */
		if (!frame_wire(ev, s->qname, &w, &s->twlen)) {
			if (ev->ended)
				return STEP_END;
			s->state = SLOT_DONE;
			s->outcome = OUT_NOMATCH;
			break;
		}
		s->twire = w;
		ptr_names_start(ev);
		break;
	}
	default:
		break;
	}
	return ev->ended ? STEP_END : STEP_CONTINUE;
}

/* The ptr mechanism (RFC 7208 5.5) from the shared PTR names. */
static void ptr_outcome(struct spf_eval *ev, struct spf_slot *s)
{
	unsigned i;
	bool waiting = false;

	if (ev->ptr_state != SLOT_DONE)
		return;
	if (ev->ptr_status == RMX_DNS_NXDOMAIN ||
	    ev->ptr_status == RMX_DNS_NODATA) {
		s->outcome = OUT_VOID;
		s->state = SLOT_DONE;
		return;
	}
	/* A DNS error on the PTR lookup: the mechanism does not match. */
	for (i = 0; i < ev->nptr; i++) {
		struct spf_ptrname *p = &ev->ptrs[i];

		if (!rmx_name_is_subdomain(p->wire, p->wlen, s->twire,
		    s->twlen))
			continue;
		ptr_validate(ev, i);
		if (ev->ended)
			return;
		if (p->state != SLOT_DONE) {
			waiting = true;
		} else if (p->valid) {
			s->outcome = OUT_MATCH;
			s->state = SLOT_DONE;
			return;
		}
	}
	if (!waiting) {
		s->outcome = OUT_NOMATCH;
		s->state = SLOT_DONE;
	}
}

/* Does a term that needs no DNS (all, ip4, ip6) match the client? */
static bool matches_without_dns(const struct spf_eval *ev,
	const struct spf_term *t)
{
	switch ((enum spf_kind)t->kind) {
	case SPF_ALL:
		return true;
	case SPF_IP4:
		return rmx_addr_in_prefix(&ev->in->client, 4, t->net, t->cidr4);
	case SPF_IP6:
		return rmx_addr_in_prefix(&ev->in->client, 6, t->net, t->cidr6);
	default:
		return false;
	}
}

/* ---- prefetch ---- */

/* Start the lookups of f's terms ahead, up to the first term that matches
 * without DNS: the walk stops there, and neither the terms after it nor
 * the redirect are ever needed. */
static void frame_prefetch(struct spf_eval *ev, struct spf_frame *f)
{
	const struct spf_record *rec = f->rec;
	unsigned i, est = f->est_base;

	for (i = 0; i < rec->nterms && !ev->ended; i++) {
		const struct spf_term *t = &rec->terms[i];

		if (f->static_stop && i == f->scanned)
			return;
		if (i >= f->scanned) {
			if (matches_without_dns(ev, t)) {
				f->scanned = i;
				f->static_stop = true;
				return;
			}
			f->scanned = i + 1;
		}
		if (!spf_kind_counts((enum spf_kind)t->kind))
			continue;
		if (++est > SPF_LOOKUP_MAX || ev->prefetched >= SPF_LOOKUP_MAX)
			return;
		if (f->slots[i].state != SLOT_IDLE || t->domain.macro_p)
			continue;
		ev->prefetched++;
		if (slot_start(ev, &f->slots[i], true) == STEP_END)
			return;
	}
	if (rec->has_redirect && !rec->redirect.macro_p &&
	    est + 1 <= SPF_LOOKUP_MAX && ev->prefetched < SPF_LOOKUP_MAX &&
	    f->slots[rec->nterms].state == SLOT_IDLE && !ev->ended) {
		ev->prefetched++;
		slot_start(ev, &f->slots[rec->nterms], true);
	}
}

/* ---- results ---- */

/* " (via include from a.example) (via redirect from b.example)" into
 * buf (cap octets, cut there); "" for the top record. */
static const char *via_text(const struct spf_frame *f, char *buf,
	size_t cap)
{
	struct check_text t;

	check_text_init(&t, buf, cap);
	while (f != NULL && !t.cut) {
		const struct spf_frame *up;

		if (f->redirected_from != NULL) {
			up = f->redirected_from;
			check_text_add(&t, " (via redirect from ");
		} else if (f->parent != NULL) {
			up = f->parent;
			check_text_add(&t, " (via include from ");
		} else {
			break;
		}
		check_text_add(&t, up->domain);
		check_text_add(&t, ")");
		f = up;
	}
	return buf;
}

/* Report the result the walk reached (ev->final_result, ev->match_*).
 * The reason is appended piece by piece (printf cost more than the rest
 * of a check that hit the record cache). */
static enum step report(struct spf_eval *ev)
{
	const struct spf_term *t = ev->match_term;
	const struct spf_frame *f = t != NULL ? ev->match_frame : ev->frame;
	char entry[RMX_RESULT_TEXT_MAX], via[600], reason[RMX_RESULT_TEXT_MAX];
	struct check_text r;
	size_t n = 0;

	if (ev->ended)
		return STEP_END;
	ev->ended = true;
	if (t != NULL) {
		n = t->text_len < sizeof(entry) - 1 ? t->text_len :
			sizeof(entry) - 1;
		memcpy(entry, t->text, n);
	}
	entry[n] = '\0';
	check_text_init(&r, reason, sizeof(reason));
	if (t != NULL) {
		/* "%s matched %s in the SPF record of %s%s" */
		check_text_add(&r, ev->in->client_text);
		check_text_add(&r, " matched ");
		check_text_addn(&r, entry, n);
		check_text_add(&r, " in the SPF record of ");
		check_text_add(&r, f->domain);
		check_text_add(&r, via_text(f, via, sizeof(via)));
	} else {
		/* "no mechanism matched %s in the SPF record of %s%s: default
		 * result neutral" */
		check_text_add(&r, "no mechanism matched ");
		check_text_add(&r, ev->in->client_text);
		check_text_add(&r, " in the SPF record of ");
		check_text_add(&r, f->domain);
		check_text_add(&r, via_text(f, via, sizeof(via)));
		check_text_add(&r, ": default result neutral");
	}
	check_method_done_text(ev->chk, ev->final_result, f->domain, entry,
		reason, r.cut);
	return STEP_END;
}

/* The top frame decided: report, after fetching the explanation on fail. */
static enum step final_result(struct spf_eval *ev, enum rmx_result result)
{
	struct spf_frame *f = ev->frame;

	ev->final_result = result;
	if (result == RMX_RESULT_FAIL && f->rec->has_exp) {
		ev->exp_frame = f;
		ev->exp.ev = ev;
		ev->phase = PHASE_EXP;
		return STEP_CONTINUE;
	}
	return report(ev);
}

/*
 * Frame f finished with result (pass fail softfail neutral).  At the top
 * that is the answer; inside an include it decides whether the include
 * term matched (RFC 7208 5.2).
 */
static enum step frame_result(struct spf_eval *ev, enum rmx_result result)
{
	struct spf_frame *f = ev->frame, *parent = f->parent;
	const struct spf_term *inc;

	if (parent == NULL)
		return final_result(ev, result);
	ev->frame = parent;
	inc = &parent->rec->terms[parent->next];
	if (result == RMX_RESULT_PASS)
		return frame_result(ev, (enum rmx_result)inc->result);
	/* fail, softfail, neutral: the include does not match. */
	ev->match_term = NULL;
	ev->match_frame = NULL;
	parent->next++;
	parent->counted = false;
	parent->void_counted = false;
	return STEP_CONTINUE;
}

static enum step term_error(struct spf_eval *ev, enum rmx_result result,
	const struct spf_term *t, const char *why)
{
	const char *entry = t != NULL ? term_text(ev, t) : "";

	return finish(ev, result, ev->frame->domain, entry,
		why != NULL ? why : "");
}

/* ---- the walk ---- */

static enum step count_lookup(struct spf_eval *ev, const struct spf_term *t)
{
	struct spf_frame *f = ev->frame;

	if (f->counted)
		return STEP_CONTINUE;
	f->counted = true;
	ev->lookups++;
	check_count_lookup(ev->chk);
	if (ev->lookups > SPF_LOOKUP_MAX)
		return term_error(ev, RMX_RESULT_PERMERROR, t, ev_printf(ev,
			"more than %u DNS lookup terms (RFC 7208 4.6.4) at "
			"%s in the SPF record of %s", (unsigned)SPF_LOOKUP_MAX,
			t != NULL ? term_text(ev, t) : "redirect",
			f->domain));
	return STEP_CONTINUE;
}

static enum step count_void(struct spf_eval *ev, const struct spf_term *t)
{
	struct spf_frame *f = ev->frame;

	if (f->void_counted)
		return STEP_CONTINUE;
	f->void_counted = true;
	if (++ev->voids > SPF_VOID_MAX)
		return term_error(ev, RMX_RESULT_PERMERROR, t, ev_printf(ev,
			"more than %u void lookups (RFC 7208 4.6.4) at %s in "
			"the SPF record of %s", (unsigned)SPF_VOID_MAX,
			term_text(ev, t), f->domain));
	return STEP_CONTINUE;
}

/* End of a record without a match: redirect, or neutral. */
/* ---- DNSSEC of the verdict ---- */

/* The client's PTR answer and the address answers of its names. */
static unsigned ptr_dnssec(const struct spf_eval *ev)
{
	unsigned bits = ev->ptr_sec, i;

	for (i = 0; i < ev->nptr; i++)
		if (ev->ptrs[i].state == SLOT_DONE)
			bits |= ev->ptrs[i].sec;
	return bits;
}

/* What a finished slot's outcome rests on: its own answers, for mx the
 * host lookups up to the one that decided (in preference order), for ptr
 * the PTR names. */
static unsigned slot_dnssec(const struct spf_eval *ev,
	const struct spf_slot *s)
{
	unsigned bits = s->sec, i;

	if (s->term != NULL && s->term->kind == SPF_MX) {
		for (i = 0; i < s->nsubs && s->subs[i].state == SLOT_DONE;
		    i++) {
			bits |= s->subs[i].sec;
			if (s->subs[i].outcome == OUT_MATCH ||
			    s->subs[i].outcome == OUT_TEMPERROR)
				break;
		}
	} else if (s->term != NULL && s->term->kind == SPF_PTR) {
		bits |= ptr_dnssec(ev);
	}
	return bits;
}

static enum step step_redirect(struct spf_eval *ev)
{
	struct spf_frame *f = ev->frame;
	struct spf_slot *s = &f->slots[f->rec->nterms];
	enum step st;

	if (!f->rec->has_redirect)
		return frame_result(ev, RMX_RESULT_NEUTRAL);
	st = count_lookup(ev, NULL);
	if (st != STEP_CONTINUE)
		return st;
	if (s->state == SLOT_IDLE) {
		st = slot_start(ev, s, false);
		if (st != STEP_CONTINUE)
			return st;
	}
	if (s->state != SLOT_DONE)
		return STEP_BLOCK;
	check_fold_dnssec(ev->chk, s->sec);
	switch ((enum outcome)s->outcome) {
	case OUT_RECORD:
		if (s->child == NULL)
			return nomem(ev);
		ev->frame = s->child;
		return STEP_CONTINUE;
	case OUT_TEMPERROR:
		return finish(ev, RMX_RESULT_TEMPERROR, f->domain, "",
			ev_printf(ev, "redirect=%s: %s", f->rec->redirect.spec,
			s->why));
	default:
		return finish(ev, RMX_RESULT_PERMERROR, f->domain, "",
			ev_printf(ev, "redirect=%s: %s", f->rec->redirect.spec,
			s->why != NULL ? s->why : "no SPF record"));
	}
}

static enum step step_term(struct spf_eval *ev)
{
	struct spf_frame *f = ev->frame;
	const struct spf_term *t;
	struct spf_slot *s;
	enum step st;
	bool match = false;

	if (f->next >= f->rec->nterms)
		return step_redirect(ev);
	t = &f->rec->terms[f->next];
	s = &f->slots[f->next];
	switch ((enum spf_kind)t->kind) {
	case SPF_ALL:
	case SPF_IP4:
	case SPF_IP6:
		if (f->next < f->scanned)
			match = false;
		else if (f->static_stop && f->next == f->scanned)
			match = true;
		else
			match = matches_without_dns(ev, t);
		break;
	default:
		st = count_lookup(ev, t);
		if (st != STEP_CONTINUE)
			return st;
		if (s->state == SLOT_IDLE) {
			st = slot_start(ev, s, false);
			if (st != STEP_CONTINUE)
				return st;
		}
		if (t->kind == SPF_PTR && s->state == SLOT_RUNNING)
			ptr_outcome(ev, s);
		else if (t->kind == SPF_MX && s->state == SLOT_RUNNING &&
		    s->subs != NULL && !s->hosts_started)
			mx_hosts_start(ev, s);
		if (ev->ended)
			return STEP_END;
		if (s->state != SLOT_DONE)
			return STEP_BLOCK;
		check_fold_dnssec(ev->chk, slot_dnssec(ev, s));
		switch ((enum outcome)s->outcome) {
		case OUT_MATCH:
			match = true;
			break;
		case OUT_NOMATCH:
			break;
		case OUT_VOID:
			st = count_void(ev, t);
			if (st != STEP_CONTINUE)
				return st;
			break;
		case OUT_TEMPERROR:
			return term_error(ev, RMX_RESULT_TEMPERROR, t, s->why);
		case OUT_PERMERROR:
			return term_error(ev, RMX_RESULT_PERMERROR, t, s->why);
		case OUT_NONE:
			return term_error(ev, RMX_RESULT_PERMERROR, t,
				ev_printf(ev, "include:%s: %s", s->name != NULL ?
				s->name : t->domain.spec, s->why != NULL ?
				s->why : "no SPF record"));
		case OUT_RECORD:
			if (s->child == NULL)
				return nomem(ev);
			ev->frame = s->child;
			return STEP_CONTINUE;
		}
		break;
	}
	if (match) {
		ev->match_term = t;
		ev->match_frame = f;
		return frame_result(ev, (enum rmx_result)t->result);
	}
	f->next++;
	f->counted = false;
	f->void_counted = false;
	return STEP_CONTINUE;
}

static enum step step_top(struct spf_eval *ev)
{
	struct spf_slot *s = &ev->top;
	struct spf_frame *f;

	if (s->state == SLOT_IDLE)
		fetch_start(ev, s);
	if (ev->ended)
		return STEP_END;
	if (s->state != SLOT_DONE)
		return STEP_BLOCK;
	check_fold_dnssec(ev->chk, s->sec);
	switch ((enum outcome)s->outcome) {
	case OUT_RECORD:
		break;
	case OUT_NONE:
		return finish(ev, RMX_RESULT_NONE, NULL, "", s->why);
	case OUT_TEMPERROR:
		return finish(ev, RMX_RESULT_TEMPERROR, NULL, "", s->why);
	default:
		return finish(ev, RMX_RESULT_PERMERROR, NULL, "", s->why);
	}
	f = frame_new(ev, s->rec, s->name, s->qname, 0);
	if (f == NULL)
		return nomem(ev);
	ev->frame = f;
	ev->phase = PHASE_EVAL;
	frame_prefetch(ev, f);
	return ev->ended ? STEP_END : STEP_CONTINUE;
}

/* ---- explanation (RFC 7208 6.2) ---- */

static void answer_exp(struct rmx_check *chk, void *arg,
	const struct rmx_dns_answer *ans)
{
	struct spf_slot *s = arg;
	struct spf_eval *ev = s->ev;

	(void)chk;
	s->state = SLOT_DONE;
	s->text = NULL;
	/* Exactly one TXT RR, printable ASCII: else no explanation. */
	if (ans->status == RMX_DNS_OK && ans->count == 1) {
		const uint8_t *d = ans->rr[0].rdata;
		size_t len = ans->rr[0].rdlen, off = 0, n = 0;
		char *text = check_alloc(ev->chk, len + 1);

		if (text == NULL) {
			nomem(ev);
			return;
		}
		while (off < len) {
			size_t l = d[off++], k;

			if (len - off < l)
				break;
			for (k = 0; k < l; k++) {
				unsigned char ch = d[off + k];

				if (ch < 0x20 || ch > 0x7e)
					break;
				text[n++] = (char)ch;
			}
			if (k < l)
				break;
			off += l;
		}
		if (off == len) {
			text[n] = '\0';
			s->text = text;
		}
	}
	resume(ev);
}

static enum step step_exp(struct spf_eval *ev)
{
	struct spf_slot *s = &ev->exp;
	struct spf_frame *f = ev->exp_frame;
	const struct spf_domain *d = &f->rec->exp;
	const char *text;
	enum step st;

	if (s->state == SLOT_IDLE) {
		s->frame = f;
		st = slot_target(ev, s, d);
		if (st != STEP_CONTINUE)
			return st;
		s->frame = NULL;
		if (s->qname == NULL)
			return report(ev);
		s->state = SLOT_RUNNING;
		if (!query(ev, s->qname, RMX_RR_TXT, answer_exp, s))
			return STEP_END;
	}
	if (s->state != SLOT_DONE)
		return STEP_BLOCK;
	if (s->text != NULL) {
		st = expand(ev, f, s->text, strlen(s->text), true, &text);
		if (st != STEP_CONTINUE)
			return st;
		if (text != NULL)
			check_set_explanation(ev->chk, text);
	}
	return report(ev);
}

static void eval_run(struct spf_eval *ev)
{
	ev->blocked = false;
	while (!ev->ended) {
		enum step st;

		switch (ev->phase) {
		case PHASE_TOP:
			st = step_top(ev);
			break;
		case PHASE_EVAL:
			st = step_term(ev);
			break;
		default:
			st = step_exp(ev);
			break;
		}
		if (st == STEP_BLOCK) {
			ev->blocked = true;
			return;
		}
	}
}

void spf_eval_start(struct rmx_check *chk)
{
	const struct check_input *in = check_input(chk);
	struct spf_eval *ev = check_alloc(chk, sizeof(*ev));

	if (ev == NULL) {
		check_fail_nomem(chk);
		return;
	}
	ev->chk = chk;
	ev->in = in;
	ev->mctx.local = in->local != NULL && in->local[0] != '\0' ?
		in->local : "postmaster";
	ev->mctx.sender_domain = in->domain;
	ev->mctx.ip = &in->client;
	ev->mctx.helo = in->helo != NULL ? in->helo : "";
	ev->mctx.receiver = in->cfg.receiver != NULL ? in->cfg.receiver :
		"unknown";
	ev->mctx.now = -1; /* %{t}: read the clock only when used */
	ev->top.ev = ev;
	ev->top.name = in->domain;
	ev->top.qname = spf_name_query_text(in->domain, ev_alloc, chk);
	if (ev->top.qname == NULL) {
		check_fail_nomem(chk);
		return;
	}
	ev->phase = PHASE_TOP;
	eval_run(ev);
}

/*
 * rmx_eval.c - the RMX check (RMX.md 2-3) as an asynchronous state machine.
 *
 * The walk: look up the RMX RRset of the sender domain D, validate every RR
 * as a whole (malformed -> permerror before any entry is tried), then walk
 * the entries in order; the first entry that matches decides.
 *
 * Parallel by design: as soon as the record is known, the lookups of every
 * entry the walk may reach are started together (up to the first entry
 * that matches without DNS, and no more than the lookup limit), so a check
 * takes as long as its longest chain of dependent lookups (mx -> MX hosts ->
 * addresses; member -> PTR -> addresses; fulladdr -> mailbox record -> its
 * entries).  The walk itself stays strictly in order: it decides at entry k
 * only when entries 1..k-1 are known not to match, and a failed lookup
 * there ends the check in temperror (RMX.md 2.5).  The lookup limit counts
 * entries as the walk reaches them, not as they were prefetched.
 *
 * A per-mailbox record (fulladdr, RMX.md 3) is a second walk with the same
 * machinery; when it exists, its verdict is the check's.
 *
 * Memory: steps and sub-queries live in the check's arena; the validated
 * record and its entry index too, or, with cfg.cache set, in a shared
 * cache entry (rmx/cache.h) that the check holds until it ends.
 *
 * Text: reasons and details are appended with check_text rather than
 * printf-formatted (printf was about half of a check's instructions).
 */
#include "check_int.h"

#include <rmx/name.h>
#include <rmx/record.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define RMX_MAX_LOOKUPS 10   /* lookup entries per check (RMX.md 2) */
#define RMX_MAX_MX_HOSTS 10  /* MX hosts of one mx entry */
#define RMX_MAX_PTR_NAMES 10 /* PTR names a member entry looks at */
/* Entries per record (RMX.md sets none; ours keeps a check's memory
 * bounded and is far above any real policy: doc/rmx-record.5). */
#define RMX_MAX_ENTRIES 1024

enum step_state {
	STEP_IDLE,     /* not started */
	STEP_PENDING,  /* lookups in flight */
	STEP_NOMATCH,
	STEP_MATCH,
	STEP_FAILED,   /* a lookup timed out or failed, nothing matched */
	STEP_LIMIT,    /* permerror: too many MX hosts, malformed sub-record */
	STEP_MAILBOX,  /* fulladdr: the mailbox record exists, walk it */
};

struct walk;

struct step {
	struct walk *walk;
	struct rmx_entry e;
	enum step_state state;
	bool counted;          /* counted against the lookup limit */
	bool deny;             /* the match denies (negation, apl XOR) */
	unsigned outstanding;  /* sub-queries in flight */
	bool sub_failed;       /* one of them failed */
	uint8_t sec;           /* check_dnssec_bits of the answers it used */
	const char *detail;    /* what matched or failed, for the reason */
	struct walk *mailbox;  /* fulladdr: the per-mailbox walk */
};

struct walk {
	struct rmx_check *chk;
	struct rmx_eval *ev;
	bool is_mailbox;
	const char *owner;     /* name whose record this is (text, no dot) */
	const uint8_t *rdata;  /* concatenated RDATA of the RRset (the
	                        * arena's, or a cache entry's) */
	size_t rdlen;
	struct step *steps;
	size_t nsteps;
	size_t pos;            /* next step the walk decides on */
	bool active;           /* the walk is the one deciding */
	unsigned lookups_before; /* lookup entries the check has reached when
	                          * this walk starts: a mailbox walk's share
	                          * of the limit is what the outer walk left */
};

struct rmx_eval {
	struct rmx_check *chk;
	const struct check_input *in;
	uint8_t dwire[RMX_NAME_MAXWIRE]; /* D in wire form, for member */
	size_t dwirelen;
	unsigned lookups;      /* lookup entries reached by the walk */
	struct walk *outer;
};

/* A sub-query of a step: an address lookup of a host, MX host or PTR name. */
struct subq {
	struct step *step;
	const char *name;      /* query name, in the arena */
};

/* The validated, indexed entries of an RMX RRset: what the record cache
 * (rmx/cache.h) keeps, built in the cache entry's memory. */
struct entry_list {
	const uint8_t *rdata;  /* concatenated RDATA; entries point into it */
	size_t rdlen;
	const struct rmx_entry *entries;
	size_t n;
};

static void advance(struct walk *w);
static void start_step(struct step *s);

/* Set the text that says what matched or failed (arena; on out of memory
 * the reason is just shorter). */
static void set_detail(struct step *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void set_detail(struct step *s, const char *fmt, ...)
{
	char buf[2 * RMX_NAME_MAXTEXT];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	s->detail = check_strdup(s->walk->chk, buf);
}

/* set_detail for a finished text: the detail buffer's cut applies (as
 * vsnprintf into it would). */
static void set_detail_text(struct step *s, const struct check_text *t)
{
	size_t n = t->len < 2 * RMX_NAME_MAXTEXT - 1 ? t->len :
		2 * RMX_NAME_MAXTEXT - 1;

	s->detail = check_strndup(s->walk->chk, t->p, n);
}

/* An IPv4 address as inet_ntop writes it, without printf. */
static void add_ip4(struct check_text *t, const uint8_t *a)
{
	int i;

	for (i = 0; i < 4; i++) {
		if (i > 0)
			check_text_addn(t, ".", 1);
		check_text_add_uint(t, a[i]);
	}
}

/* A copy of a name for a subq, the exact length (arena). */
static const char *name_copy(struct rmx_check *chk, const char *name)
{
	return check_strdup(chk, name);
}

static uint16_t addr_qtype(const struct rmx_eval *ev)
{
	return ev->in->client.family == 4 ? RMX_RR_A : RMX_RR_AAAA;
}

static const char *failure_word(const struct rmx_dns_answer *a)
{
	return a->status == RMX_DNS_TIMEOUT ? "timed out" :
	       a->dnssec == RMX_DNSSEC_BOGUS ? "failed DNSSEC validation" :
	       "failed";
}

/* Entry data as a wire name to text (the data of host/apl/mx entries was
 * validated with the record). */
static void entry_name_text(const struct rmx_entry *e, char *buf, size_t cap)
{
	if (rmx_name_to_text(e->data, e->len, buf, cap, NULL) != RMX_OK)
		snprintf(buf, cap, "(unprintable name)");
}

/* A step's state changed: let the walk go on if it waits for this step. */
static void step_settled(struct step *s)
{
	if (s->walk->active)
		advance(s->walk);
}

/* ---- host, mx hosts, member names: address lookups ---- */

static void on_address(struct rmx_check *chk, void *arg,
	const struct rmx_dns_answer *a)
{
	struct subq *sq = arg;
	struct step *s = sq->step;
	struct rmx_eval *ev = s->walk->ev;
	size_t i;

	s->outstanding--;
	if (s->state != STEP_PENDING)
		return;
	s->sec |= (uint8_t)check_dnssec_bits(a);
	if (a->status == RMX_DNS_OK) {
		for (i = 0; i < a->count; i++) {
			if (rmx_addr_equal_rdata(&ev->in->client,
				    a->rr[i].rdata, a->rr[i].rdlen)) {
				char buf[2 * RMX_NAME_MAXTEXT];
				struct check_text t;

				s->state = STEP_MATCH;
				check_text_init(&t, buf, sizeof(buf));
				check_text_add(&t, "an address of ");
				check_text_add(&t, sq->name);
				set_detail_text(s, &t);
				step_settled(s);
				return;
			}
		}
	} else if (a->status == RMX_DNS_TIMEOUT ||
		   a->status == RMX_DNS_FAIL) {
		if (s->detail == NULL)
			set_detail(s,
				"the %s lookup of %s %s",
				addr_qtype(ev) == RMX_RR_A ? "A" : "AAAA",
				sq->name, failure_word(a));
		s->sub_failed = true;
	}
	if (s->outstanding == 0) {
		s->state = s->sub_failed ? STEP_FAILED : STEP_NOMATCH;
		step_settled(s);
	}
	(void)chk;
}

static int start_lookup(struct step *s, const char *name, uint16_t qtype,
	check_answer_fn *fn);

/* One address lookup (A or AAAA, by the client's family) for a step. */
static int query_address(struct step *s, const char *name)
{
	return start_lookup(s, name, addr_qtype(s->walk->ev), on_address);
}

/* Answer of a lookup that has no hosts to try: NXDOMAIN/NODATA is no
 * match, a failure is a failed step.  Returns true when it settled. */
static bool settle_without_data(struct step *s, const char *what,
	const char *name, const struct rmx_dns_answer *a)
{
	if (a->status == RMX_DNS_OK)
		return false;
	if (a->status == RMX_DNS_TIMEOUT || a->status == RMX_DNS_FAIL) {
		s->state = STEP_FAILED;
		set_detail(s, "the %s lookup of %s %s",
			what, name, failure_word(a));
	} else {
		s->state = STEP_NOMATCH;
	}
	step_settled(s);
	return true;
}

/* ---- mx ---- */

static void on_mx(struct rmx_check *chk, void *arg,
	const struct rmx_dns_answer *a)
{
	struct subq *sq = arg;
	struct step *s = sq->step;
	char hosts[RMX_MAX_MX_HOSTS][RMX_NAME_MAXTEXT];
	size_t nhosts = 0, i;

	s->outstanding--;
	s->sec |= (uint8_t)check_dnssec_bits(a);
	if (settle_without_data(s, "MX", sq->name, a))
		return;
	for (i = 0; i < a->count; i++) {
		const struct rmx_dns_rr *rr = &a->rr[i];
		size_t namelen;

		if (rr->rdlen < 3 || rmx_name_wire_check(rr->rdata + 2,
			    rr->rdlen - 2, &namelen, NULL) != RMX_OK ||
		    namelen != rr->rdlen - 2) {
			s->state = STEP_FAILED;
			set_detail(s,
				"the MX answer for %s is malformed", sq->name);
			step_settled(s);
			return;
		}
		if (namelen == 1)
			continue; /* null MX (RFC 7505): no host */
		if (nhosts == RMX_MAX_MX_HOSTS) {
			s->state = STEP_LIMIT;
			set_detail(s,
				"%s has more than %d MX hosts", sq->name,
				RMX_MAX_MX_HOSTS);
			step_settled(s);
			return;
		}
		rmx_name_to_text(rr->rdata + 2, namelen, hosts[nhosts],
			sizeof(hosts[nhosts]), NULL);
		nhosts++;
	}
	if (nhosts == 0) {
		s->state = STEP_NOMATCH;
		step_settled(s);
		return;
	}
	for (i = 0; i < nhosts; i++)
		if (query_address(s, hosts[i]) != 0)
			return;
	(void)chk;
}

/* ---- member ---- */

static int reverse_name(const struct rmx_addr *a, char *buf, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	int i;

	if (a->family == 4)
		return snprintf(buf, cap, "%u.%u.%u.%u.in-addr.arpa",
			a->a[3], a->a[2], a->a[1], a->a[0]) < (int)cap ? 0 : -1;
	if (cap < 64 + 9)
		return -1;
	for (i = 15; i >= 0; i--) {
		buf[n++] = hex[a->a[i] & 0xf];
		buf[n++] = '.';
		buf[n++] = hex[a->a[i] >> 4];
		buf[n++] = '.';
	}
	memcpy(buf + n, "ip6.arpa", 9);
	return 0;
}

static void on_ptr(struct rmx_check *chk, void *arg,
	const struct rmx_dns_answer *a)
{
	struct subq *sq = arg;
	struct step *s = sq->step;
	struct rmx_eval *ev = s->walk->ev;
	char names[RMX_MAX_PTR_NAMES][RMX_NAME_MAXTEXT];
	size_t nnames = 0, i;

	s->outstanding--;
	s->sec |= (uint8_t)check_dnssec_bits(a);
	if (settle_without_data(s, "PTR", sq->name, a))
		return;
	/* RMX.md 1: the first 10 PTR names of the answer, the rest ignored. */
	for (i = 0; i < a->count && i < RMX_MAX_PTR_NAMES; i++) {
		const struct rmx_dns_rr *rr = &a->rr[i];
		size_t namelen;

		if (rmx_name_wire_check(rr->rdata, rr->rdlen, &namelen,
			    NULL) != RMX_OK || namelen != rr->rdlen) {
			s->state = STEP_FAILED;
			set_detail(s,
				"the PTR answer for %s is malformed", sq->name);
			step_settled(s);
			return;
		}
		if (!rmx_name_is_subdomain(rr->rdata, namelen, ev->dwire,
			    ev->dwirelen))
			continue;
		rmx_name_to_text(rr->rdata, namelen, names[nnames],
			sizeof(names[nnames]), NULL);
		nnames++;
	}
	if (nnames == 0) {
		s->state = STEP_NOMATCH;
		step_settled(s);
		return;
	}
	for (i = 0; i < nnames; i++)
		if (query_address(s, names[i]) != 0)
			return;
	(void)chk;
}

/* ---- apl ---- */

static void on_apl(struct rmx_check *chk, void *arg,
	const struct rmx_dns_answer *a)
{
	struct subq *sq = arg;
	struct step *s = sq->step;
	const struct rmx_addr *client = &s->walk->ev->in->client;
	size_t i;

	s->outstanding--;
	s->sec |= (uint8_t)check_dnssec_bits(a);
	if (settle_without_data(s, "APL", sq->name, a))
		return;
	for (i = 0; i < a->count; i++) {
		struct rmx_diag diag;

		if (rmx_apl_check(a->rr[i].rdata, a->rr[i].rdlen, &diag) !=
		    RMX_OK) {
			s->state = STEP_FAILED;
			set_detail(s,
				"the APL record of %s is malformed: %.200s",
				sq->name, diag.msg);
			step_settled(s);
			return;
		}
	}
	/* RRs in answer order, items in RR order: the first match decides. */
	for (i = 0; i < a->count; i++) {
		struct rmx_apl_iter it;
		struct rmx_apl_item item;

		rmx_apl_iter_init(&it, a->rr[i].rdata, a->rr[i].rdlen);
		while (rmx_apl_iter_next(&it, &item) == 1) {
			uint8_t net[16] = {0};
			int family = item.family == 1 ? 4 :
				     item.family == 2 ? 6 : 0;

			if (family == 0)
				continue; /* unknown family: skipped */
			memcpy(net, item.afd, item.afdlen);
			if (!rmx_addr_in_prefix(client, family, net,
				    item.prefix))
				continue;
			s->state = STEP_MATCH;
			s->deny = item.negated != s->e.negated;
			{
				/* "APL item %s%u:%s/%u of %s", without printf */
				char buf[2 * RMX_NAME_MAXTEXT];
				struct check_text t;

				check_text_init(&t, buf, sizeof(buf));
				check_text_add(&t, item.negated ? "APL item !" :
					"APL item ");
				check_text_add_uint(&t, item.family);
				check_text_addn(&t, ":", 1);
				if (family == 4) {
					add_ip4(&t, net);
				} else {
					struct rmx_addr na = {family, {0}};
					char at[48];

					memcpy(na.a, net, 16);
					rmx_addr_to_text(&na, at, sizeof(at));
					check_text_add(&t, at);
				}
				check_text_addn(&t, "/", 1);
				check_text_add_uint(&t, item.prefix);
				check_text_add(&t, " of ");
				check_text_add(&t, sq->name);
				set_detail_text(s, &t);
			}
			step_settled(s);
			return;
		}
	}
	s->state = STEP_NOMATCH;
	step_settled(s);
	(void)chk;
}

/* ---- fulladdr: the per-mailbox record ---- */

static struct walk *walk_new(struct rmx_eval *ev, bool is_mailbox,
	const char *owner, const struct rmx_dns_answer *a,
	struct rmx_diag *diag, size_t *bad_rr);
static void walk_prefetch(struct walk *w);

static void on_mailbox(struct rmx_check *chk, void *arg,
	const struct rmx_dns_answer *a)
{
	struct subq *sq = arg;
	struct step *s = sq->step;
	struct rmx_diag diag;
	size_t bad_rr, i;

	s->outstanding--;
	s->sec |= (uint8_t)check_dnssec_bits(a);
	if (settle_without_data(s, "RMX", sq->name, a))
		return;
	s->mailbox = walk_new(s->walk->ev, true, sq->name, a, &diag, &bad_rr);
	if (s->mailbox == NULL) {
		if (diag.msg[0] == '\0') {
			check_fail_nomem(chk);
			return;
		}
		s->state = STEP_LIMIT;
		set_detail(s,
			"the per-mailbox RMX record %s (RR %zu) is malformed: "
			"%.200s", sq->name, bad_rr + 1, diag.msg);
		step_settled(s);
		return;
	}
	/* The outer walk reaches the mailbox walk through every lookup entry
	 * up to this fulladdr, itself included. */
	for (i = 0; i <= (size_t)(s - s->walk->steps); i++)
		if (rmx_entry_needs_lookup(s->walk->steps[i].e.type))
			s->mailbox->lookups_before++;
	s->state = STEP_MAILBOX;
	walk_prefetch(s->mailbox);
	step_settled(s);
}

/* The mailbox name L.D: the local part as one label (RMX.md 1, 3).
 * Returns false when the local part cannot be one label. */
static bool mailbox_name(const struct rmx_eval *ev, char *buf, size_t cap)
{
	const char *local = ev->in->local;
	size_t n, len;

	if (local == NULL || local[0] == '\0' ||
	    (len = strlen(local)) > RMX_LABEL_MAX)
		return false;
	buf[0] = '\0';
	n = check_escape_label(local, len, buf, cap);
	if (n == (size_t)-1 || cap - n < strlen(ev->in->domain) + 2)
		return false;
	snprintf(buf + n, cap - n, ".%s", ev->in->domain);
	/* The whole name must still be a valid wire name (<= 255). */
	{
		uint8_t wire[RMX_NAME_MAXWIRE];
		size_t wl;

		return rmx_name_from_text(buf, strlen(buf), NULL, wire, &wl,
			NULL) == RMX_OK;
	}
}

/* ---- steps ---- */

static int start_lookup(struct step *s, const char *name, uint16_t qtype,
	check_answer_fn *fn)
{
	struct rmx_check *chk = s->walk->chk;
	struct subq *sq = check_alloc(chk, sizeof(*sq));

	if (sq == NULL) {
		check_fail_nomem(chk);
		return -1;
	}
	sq->step = s;
	sq->name = name_copy(chk, name);
	if (sq->name == NULL) {
		check_fail_nomem(chk);
		return -1;
	}
	s->state = STEP_PENDING;
	s->outstanding++;
	if (check_query(chk, name, qtype, fn, sq) != 0) {
		s->outstanding--;
		return -1;
	}
	return 0;
}

/* Decide a step that needs no DNS, or start its lookups. */
static void start_step(struct step *s)
{
	struct rmx_eval *ev = s->walk->ev;
	const struct check_input *in = ev->in;
	const struct rmx_entry *e = &s->e;
	char name[RMX_NAME_MAXTEXT];

	if (s->state != STEP_IDLE)
		return;
	s->deny = e->negated;
	switch (e->type) {
	case RMX_ENTRY_NONE:
		s->state = STEP_MATCH;
		s->deny = true;
		return;
	case RMX_ENTRY_IP4:
	case RMX_ENTRY_IP6:
		s->state = rmx_addr_in_prefix(&in->client,
			e->type == RMX_ENTRY_IP4 ? 4 : 6, e->data + 1,
			e->data[0]) ? STEP_MATCH : STEP_NOMATCH;
		return;
	case RMX_ENTRY_TLSFP:
		s->state = in->req.tls_fp_alg == e->data[0] &&
			in->req.tls_fp_alg != 0 &&
			memcmp(in->req.tls_fp, e->data + 1, e->len - 1u) == 0 ?
			STEP_MATCH : STEP_NOMATCH;
		return;
	case RMX_ENTRY_SASL:
		s->state = in->req.sasl_authenticated ? STEP_MATCH :
			STEP_NOMATCH;
		return;
	case RMX_ENTRY_HOST:
		entry_name_text(e, name, sizeof(name));
		start_lookup(s, name, addr_qtype(ev), on_address);
		return;
	case RMX_ENTRY_APL:
		entry_name_text(e, name, sizeof(name));
		start_lookup(s, name, RMX_RR_APL, on_apl);
		return;
	case RMX_ENTRY_MX:
		if (e->len > 0) {
			entry_name_text(e, name, sizeof(name));
		} else {
			/* the domain (at most 253 octets: it was checked) */
			size_t n = strnlen(in->domain, sizeof(name) - 1);

			memcpy(name, in->domain, n);
			name[n] = '\0';
		}
		start_lookup(s, name, RMX_RR_MX, on_mx);
		return;
	case RMX_ENTRY_MEMBER:
		if (reverse_name(&in->client, name, sizeof(name)) != 0) {
			s->state = STEP_NOMATCH;
			return;
		}
		start_lookup(s, name, RMX_RR_PTR, on_ptr);
		return;
	case RMX_ENTRY_FULLADDR:
		if (!mailbox_name(ev, name, sizeof(name))) {
			s->state = STEP_NOMATCH;
			return;
		}
		start_lookup(s, name, in->cfg.rmx_rr_type, on_mailbox);
		return;
	default:
		/* tlsldap, pgp (experimental) and unknown types never match */
		s->state = STEP_NOMATCH;
		return;
	}
}

/* Start, together, the steps the walk may reach: up to the first entry
 * that matches without DNS, and no lookup entry the limit would stop the
 * walk at (counted with those reached before the walk). */
static void walk_prefetch(struct walk *w)
{
	unsigned lookups = w->lookups_before;
	size_t i;

	for (i = w->pos; i < w->nsteps; i++) {
		struct step *s = &w->steps[i];

		if (rmx_entry_needs_lookup(s->e.type) &&
		    ++lookups > RMX_MAX_LOOKUPS)
			break;
		start_step(s);
		if (s->state == STEP_MATCH)
			break;
	}
}

static void entry_text(const struct step *s, char *buf, size_t cap)
{
	if (rmx_entry_to_text(&s->e, buf, cap, NULL) != RMX_OK)
		snprintf(buf, cap, "type%u", s->e.type);
}

/* The walk reached a deciding step: end the method. */
static void decide(struct walk *w, struct step *s)
{
	struct rmx_check *chk = w->chk;
	const char *ip = w->ev->in->client_text;
	const char *rec = w->is_mailbox ? "per-mailbox RMX record" :
		"RMX record";
	char et[RMX_ENTRY_MAXTEXT];
	char via[2 * RMX_NAME_MAXTEXT + 4] = "";

	char reason[RMX_RESULT_TEXT_MAX];
	struct check_text t, v;

	entry_text(s, et, sizeof(et));
	check_text_init(&v, via, sizeof(via));
	if (s->detail != NULL) {
		/* " (%s)" */
		check_text_add(&v, " (");
		check_text_add(&v, s->detail);
		check_text_add(&v, ")");
	}
	check_text_init(&t, reason, sizeof(reason));
	if (s->e.type == RMX_ENTRY_NONE) {
		/* "the %s of %s says the domain sends no mail (entry
		 * none)" */
		check_text_add(&t, "the ");
		check_text_add(&t, rec);
		check_text_add(&t, " of ");
		check_text_add(&t, w->owner);
		check_text_add(&t, " says the domain sends no mail (entry "
			"none)");
	} else {
		/* "%s is denied by %s%s in the %s of %s" or
		 * "%s matches %s%s in the %s of %s" */
		check_text_add(&t, ip);
		check_text_add(&t, s->deny ? " is denied by " : " matches ");
		check_text_add(&t, et);
		check_text_add(&t, via);
		check_text_add(&t, " in the ");
		check_text_add(&t, rec);
		check_text_add(&t, " of ");
		check_text_add(&t, w->owner);
	}
	check_method_done_text(chk, s->e.type == RMX_ENTRY_NONE || s->deny ?
		RMX_RESULT_FAIL : RMX_RESULT_PASS, NULL, et, reason, t.cut);
}

static void advance(struct walk *w)
{
	struct rmx_check *chk = w->chk;
	struct rmx_eval *ev = w->ev;
	char et[RMX_ENTRY_MAXTEXT];

	for (; w->pos < w->nsteps; w->pos++) {
		struct step *s = &w->steps[w->pos];

		if (rmx_entry_needs_lookup(s->e.type) && !s->counted) {
			s->counted = true;
			check_count_lookup(chk);
			if (++ev->lookups > RMX_MAX_LOOKUPS) {
				entry_text(s, et, sizeof(et));
				check_method_done(chk, RMX_RESULT_PERMERROR,
					NULL, et,
					"more than %d lookup entries (RMX.md "
					"2 limits): %s in the RMX record of %s "
					"is lookup entry %u", RMX_MAX_LOOKUPS,
					et, w->owner, ev->lookups);
				return;
			}
		}
		if (s->state == STEP_IDLE)
			start_step(s);
		if (s->state != STEP_IDLE && s->state != STEP_PENDING)
			check_fold_dnssec(chk, s->sec); /* the walk uses it */
		switch (s->state) {
		case STEP_IDLE:    /* start_step failed: method ended */
		case STEP_PENDING:
			return;
		case STEP_NOMATCH:
			continue;
		case STEP_MATCH:
			decide(w, s);
			return;
		case STEP_FAILED:
			entry_text(s, et, sizeof(et));
			check_method_done(chk, RMX_RESULT_TEMPERROR, NULL, et,
				"%s, needed by %s in the RMX record of %s "
				"before any entry matched",
				s->detail != NULL ? s->detail : "a lookup failed", et,
				w->owner);
			return;
		case STEP_LIMIT:
			entry_text(s, et, sizeof(et));
			check_method_done(chk, RMX_RESULT_PERMERROR, NULL, et,
				"%s (entry %s in the RMX record of %s)",
				s->detail != NULL ? s->detail : "limit exceeded",
				et, w->owner);
			return;
		case STEP_MAILBOX:
			/* The mailbox record exists: it alone decides. */
			w->active = false;
			s->mailbox->active = true;
			advance(s->mailbox);
			return;
		}
	}
	check_method_done(chk, RMX_RESULT_FAIL, NULL, NULL,
		"%s is not in the %s of %s", ev->in->client_text,
		w->is_mailbox ? "per-mailbox RMX list" : "RMX list", w->owner);
}

/*
 * Validate each RR of an RMX answer (RMX.md 1), concatenate them and index
 * the entries into l, with memory from alloc(actx, size) (zeroed).
 * RMX_OK; RMX_EMALFORMED with diag->msg set when an RR is malformed
 * (*bad_rr its index) or there are too many entries; RMX_ENOMEM.
 */
static int entries_build(const struct rmx_dns_answer *a, bool is_mailbox,
	void *(*alloc)(void *, size_t), void *actx, struct entry_list *l,
	struct rmx_diag *diag, size_t *bad_rr)
{
	struct rmx_iter it;
	struct rmx_entry e, *entries = NULL;
	uint8_t *rdata = NULL;
	size_t i, total = 0, n = 0, len = 0;

	for (i = 0; i < a->count; i++) {
		if (rmx_rdata_check(a->rr[i].rdata, a->rr[i].rdlen,
			    is_mailbox ? RMX_RDATA_MAILBOX : 0, diag) !=
		    RMX_OK) {
			if (diag->msg[0] == '\0')
				snprintf(diag->msg, sizeof(diag->msg),
					"malformed");
			*bad_rr = i;
			return RMX_EMALFORMED;
		}
		total += a->rr[i].rdlen;
	}
	if (total > 0 && (rdata = alloc(actx, total)) == NULL)
		return RMX_ENOMEM;
	for (i = 0; i < a->count; i++) {
		if (a->rr[i].rdlen == 0)
			continue; /* (an RR of zero entries adds nothing) */
		memcpy(rdata + len, a->rr[i].rdata, a->rr[i].rdlen);
		len += a->rr[i].rdlen;
	}
	/* Entries never span RRs: each RR was valid on its own, so walking
	 * the concatenation yields exactly the RRs' entries in order. */
	rmx_iter_init(&it, rdata, len);
	while (rmx_iter_next(&it, &e) == 1)
		n++;
	if (n > RMX_MAX_ENTRIES) {
		snprintf(diag->msg, sizeof(diag->msg),
			"%zu entries, more than rmx's limit of %d per record",
			n, RMX_MAX_ENTRIES);
		return RMX_EMALFORMED;
	}
	if (n > 0 && (entries = alloc(actx, n * sizeof(*entries))) == NULL)
		return RMX_ENOMEM;
	l->n = 0;
	rmx_iter_init(&it, rdata, len);
	while (l->n < n && rmx_iter_next(&it, &e) == 1)
		entries[l->n++] = e;
	l->rdata = rdata;
	l->rdlen = len;
	l->entries = entries;
	return RMX_OK;
}

static void *arena_alloc(void *chk, size_t size)
{
	return check_alloc(chk, size);
}

/*
 * The entry list of an answer through the check's cache: looked up, or
 * built into a new cache entry that the check holds until it ends.  A
 * malformed RRset is not cached.  Same returns as entries_build.
 */
static int entries_cached(struct rmx_eval *ev, const struct rmx_dns_answer *a,
	bool is_mailbox, const struct entry_list **out, struct rmx_diag *diag,
	size_t *bad_rr)
{
	struct rmx_cache *cache = ev->in->cfg.cache;
	uint32_t kind = ev->in->cfg.rmx_rr_type |
		(is_mailbox ? CACHE_KIND_MAILBOX : 0);
	struct cache_entry *ce;
	struct entry_list *l;
	size_t i, total = 0;
	int rc;

	*out = cache_get(cache, kind, a->rr, a->count, &ce);
	if (*out != NULL)
		return check_hold(ev->chk, ce) == 0 ? RMX_OK : RMX_ENOMEM;
	for (i = 0; i < a->count; i++)
		total += a->rr[i].rdlen;
	/* rdata, the list, and the entries: a hint sized for typical
	 * entries of four octets or more (an entry takes at least two;
	 * cache_entry_alloc grows past the hint) */
	ce = cache_entry_new(kind, a->rr, a->count, total + sizeof(*l) +
		(total / 4 + 1) * sizeof(struct rmx_entry));
	if (ce == NULL || (l = cache_entry_alloc(ce, sizeof(*l))) == NULL) {
		cache_entry_release(ce);
		return RMX_ENOMEM;
	}
	rc = entries_build(a, is_mailbox, cache_entry_alloc, ce, l, diag,
		bad_rr);
	if (rc != RMX_OK) {
		cache_entry_release(ce);
		return rc;
	}
	cache_entry_insert(cache, ce, l);
	*out = l;
	return check_hold(ev->chk, ce) == 0 ? RMX_OK : RMX_ENOMEM;
}

/*
 * Build a walk from an RMX answer: the validated, indexed entries (from
 * the record cache when the check has one) and a step per entry.  NULL
 * with diag->msg set when an RR is malformed (*bad_rr its index), NULL
 * with diag->msg empty when out of memory.
 */
static struct walk *walk_new(struct rmx_eval *ev, bool is_mailbox,
	const char *owner, const struct rmx_dns_answer *a,
	struct rmx_diag *diag, size_t *bad_rr)
{
	struct rmx_check *chk = ev->chk;
	struct entry_list own;
	const struct entry_list *l = &own;
	struct walk *w;
	size_t i;
	int rc;

	rmx_diag_clear(diag);
	*bad_rr = 0;
	if (ev->in->cfg.cache != NULL)
		rc = entries_cached(ev, a, is_mailbox, &l, diag, bad_rr);
	else
		rc = entries_build(a, is_mailbox, arena_alloc, chk, &own, diag,
			bad_rr);
	if (rc == RMX_ENOMEM)
		diag->msg[0] = '\0';
	if (rc != RMX_OK)
		return NULL;
	w = check_alloc(chk, sizeof(*w));
	if (w == NULL)
		return NULL;
	w->chk = chk;
	w->ev = ev;
	w->is_mailbox = is_mailbox;
	w->owner = check_strdup(chk, owner);
	w->rdata = l->rdata;
	w->rdlen = l->rdlen;
	w->steps = l->n > 0 ? check_alloc(chk, l->n * sizeof(*w->steps)) :
		NULL;
	if (w->owner == NULL || (l->n > 0 && w->steps == NULL))
		return NULL;
	for (i = 0; i < l->n; i++) {
		w->steps[i].walk = w;
		w->steps[i].e = l->entries[i];
	}
	w->nsteps = l->n;
	return w;
}

static void on_record(struct rmx_check *chk, void *arg,
	const struct rmx_dns_answer *a)
{
	struct rmx_eval *ev = arg;
	const char *d = ev->in->domain;
	struct rmx_diag diag;
	size_t bad_rr;

	check_fold_dnssec(chk, check_dnssec_bits(a));
	switch (a->status) {
	case RMX_DNS_NODATA:
	case RMX_DNS_NXDOMAIN:
		check_method_done(chk, RMX_RESULT_NONE, NULL, NULL,
			"%s has no RMX record", d);
		return;
	case RMX_DNS_TIMEOUT:
	case RMX_DNS_FAIL:
		check_method_done(chk, RMX_RESULT_TEMPERROR, NULL, NULL,
			"the RMX lookup of %s %s%s%s", d, failure_word(a),
			a->why != NULL ? ": " : "",
			a->why != NULL ? a->why : "");
		return;
	case RMX_DNS_OK:
		break;
	}
	ev->outer = walk_new(ev, false, d, a, &diag, &bad_rr);
	if (ev->outer == NULL) {
		if (diag.msg[0] == '\0')
			check_fail_nomem(chk);
		else
			check_method_done(chk, RMX_RESULT_PERMERROR, NULL, NULL,
				"the RMX record of %s (RR %zu of %zu) is "
				"malformed: %s", d, bad_rr + 1, a->count,
				diag.msg);
		return;
	}
	ev->outer->active = true;
	walk_prefetch(ev->outer);
	advance(ev->outer);
}

void rmx_eval_start(struct rmx_check *chk)
{
	struct rmx_eval *ev = check_alloc(chk, sizeof(*ev));

	if (ev == NULL) {
		check_fail_nomem(chk);
		return;
	}
	ev->chk = chk;
	ev->in = check_input(chk);
	if (rmx_name_from_text(ev->in->domain, strlen(ev->in->domain), NULL,
		    ev->dwire, &ev->dwirelen, NULL) != RMX_OK) {
		check_method_done(chk, RMX_RESULT_NONE, NULL, NULL,
			"'%s' is not a valid domain name", ev->in->domain);
		return;
	}
	check_query(chk, ev->in->domain, ev->in->cfg.rmx_rr_type, on_record,
		ev);
}

/*
 * check.c - a running check: arena, outstanding queries, method order,
 * deadline, result.  The public face is rmx/check.h; the evaluators see
 * check_int.h.
 *
 * A check is one malloc'd struct plus an arena of chunks, bounded in total
 * by RMX_CHECK_MEMORY_MAX.  It goes through the configured methods in
 * order: a method that ends with "none" (the domain publishes nothing for
 * it) hands over to the next one; any other result is final.
 *
 * Re-entrancy: evaluators run only from rmx_check_start() and from answer
 * callbacks.  Both enter through enter()/leave(); ending a method merely
 * records the result and cancels the method's queries, and only the
 * outermost leave() starts the next method or finishes the check (done
 * callback, free).  So nothing is freed under an evaluator's feet.
 *
 * Bad input: an unparsable client address is RMX_EINVAL from
 * rmx_check_start (the caller's bug, not a verdict); an invalid sender
 * domain is the verdict "none" with a reason (RMX.md 2.1, RFC 7208 4.3).
 */
#include "check_int.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ARENA_CHUNK 4096

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	size_t used;
	/* payload follows, max_align_t aligned */
};

struct query_slot {
	struct rmx_check *chk;
	check_answer_fn *fn;
	void *arg;
	rmx_query_id id;
	struct query_slot *prev, *next; /* list of outstanding queries */
};

/* A cache entry the check uses until it ends. */
struct hold {
	struct hold *next;
	struct cache_entry *entry;
};

struct rmx_check {
	struct rmx_resolver *res;
	struct check_input in;
	rmx_check_done *done;
	void *done_arg;

	struct arena_chunk *chunks;
	size_t arena_total;
	struct hold *holds;      /* in the arena */

	struct query_slot *outstanding;
	unsigned npending;

	unsigned method_index;   /* into in.cfg.methods */
	bool method_running;
	bool method_ended;       /* current method called check_method_done */
	bool finished;           /* verdict final; done pending or called */
	unsigned depth;          /* nesting of enter() */

	bool any_answer, any_insecure, any_bogus;
	uint64_t started_ms, deadline_ms;
	/* Where the result is written: `result` below, or the caller's
	 * buffer (rmx_check_run), which saves copying 4 KiB at the end. */
	struct rmx_check_result *r;
	/* Large text buffers last: they are not zeroed at start (a check
	 * costs a few thousand instructions; zeroing 4 KiB was one of them). */
	char none_reason[RMX_RESULT_TEXT_MAX];
	struct rmx_check_result result;
};

/* Allocate a check with everything before the text buffers zeroed and
 * the result (in out, or in the check when out is NULL) set to empty
 * strings.  Only the part of the struct used is allocated. */
static struct rmx_check *check_new(struct rmx_check_result *out)
{
	struct rmx_check *chk = malloc(out != NULL ?
		offsetof(struct rmx_check, result) : sizeof(struct rmx_check));
	struct rmx_check_result *r;

	if (chk == NULL)
		return NULL;
	memset(chk, 0, offsetof(struct rmx_check, none_reason));
	r = chk->r = out != NULL ? out : &chk->result;
	r->result = RMX_RESULT_NONE;
	r->method = RMX_METHOD_NONE;
	r->dnssec = RMX_DNSSEC_INSECURE;
	r->domain[0] = r->entry[0] = r->reason[0] = r->explanation[0] = '\0';
	r->lookups = r->queries = r->elapsed_ms = 0;
	chk->none_reason[0] = '\0';
	return chk;
}

uint64_t rmx_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- results and configuration ---- */

static const char *const result_names[] = {
	[RMX_RESULT_NONE] = "none",
	[RMX_RESULT_NEUTRAL] = "neutral",
	[RMX_RESULT_PASS] = "pass",
	[RMX_RESULT_FAIL] = "fail",
	[RMX_RESULT_SOFTFAIL] = "softfail",
	[RMX_RESULT_TEMPERROR] = "temperror",
	[RMX_RESULT_PERMERROR] = "permerror",
};

const char *rmx_result_str(enum rmx_result r)
{
	if ((size_t)r < sizeof(result_names) / sizeof(result_names[0]))
		return result_names[r];
	return "unknown";
}

int rmx_result_parse(const char *word, enum rmx_result *out)
{
	size_t i;

	if (word == NULL)
		return RMX_EINVAL;
	for (i = 0; i < sizeof(result_names) / sizeof(result_names[0]); i++) {
		if (strcasecmp(word, result_names[i]) == 0) {
			*out = (enum rmx_result)i;
			return RMX_OK;
		}
	}
	return RMX_EINVAL;
}

const char *rmx_method_str(enum rmx_method m)
{
	switch (m) {
	case RMX_METHOD_RMX:
		return "rmx";
	case RMX_METHOD_SPF:
		return "spf";
	default:
		return "none";
	}
}

void rmx_config_init(struct rmx_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->methods[0] = RMX_METHOD_RMX;
	cfg->methods[1] = RMX_METHOD_SPF;
	cfg->nmethods = 2;
	cfg->rmx_rr_type = 65280;
	cfg->timeout_ms = RMX_CHECK_TIMEOUT_DEFAULT_MS;
	cfg->receiver = "unknown";
}

int rmx_config_set_methods(struct rmx_config *cfg, const char *list,
	struct rmx_diag *diag)
{
	enum rmx_method m[RMX_CHECK_MAX_METHODS];
	unsigned n = 0;
	const char *p = list;

	rmx_diag_clear(diag);
	if (list == NULL)
		return RMX_EINVAL;
	for (;;) {
		size_t len = strcspn(p, ",");
		enum rmx_method this;

		if (len == 3 && strncasecmp(p, "rmx", 3) == 0)
			this = RMX_METHOD_RMX;
		else if (len == 3 && strncasecmp(p, "spf", 3) == 0)
			this = RMX_METHOD_SPF;
		else
			goto bad;
		if (n == RMX_CHECK_MAX_METHODS || (n == 1 && m[0] == this))
			goto bad;
		m[n++] = this;
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	memcpy(cfg->methods, m, sizeof(m));
	cfg->nmethods = n;
	return RMX_OK;
bad:
	if (diag != NULL) {
		diag->offset = (size_t)(p - list);
		snprintf(diag->msg, sizeof(diag->msg),
			"bad method list '%s': expected rmx,spf or rmx or spf "
			"or spf,rmx", list);
	}
	return RMX_EINVAL;
}

/* ---- arena ---- */

/* Arena memory, not zeroed. */
static void *arena_take(struct rmx_check *chk, size_t size)
{
	const size_t align = sizeof(max_align_t);
	struct arena_chunk *c = chk->chunks;
	size_t need = (size + align - 1) & ~(align - 1);
	size_t hdr = (sizeof(struct arena_chunk) + align - 1) & ~(align - 1);
	void *p;

	if (size == 0 || size > RMX_CHECK_MEMORY_MAX)
		return NULL;
	if (c == NULL || c->size - c->used < need) {
		size_t csize = need > ARENA_CHUNK ? need : ARENA_CHUNK;

		if (chk->arena_total + csize + hdr > RMX_CHECK_MEMORY_MAX)
			return NULL;
		c = malloc(hdr + csize);
		if (c == NULL)
			return NULL;
		c->size = csize;
		c->used = 0;
		c->next = chk->chunks;
		chk->chunks = c;
		chk->arena_total += hdr + csize;
	}
	p = (char *)c + hdr + c->used;
	c->used += need;
	return p;
}

void *check_alloc(struct rmx_check *chk, size_t size)
{
	void *p = arena_take(chk, size);

	if (p != NULL)
		memset(p, 0, size);
	return p;
}

char *check_strndup(struct rmx_check *chk, const char *s, size_t n)
{
	char *p = arena_take(chk, n + 1);

	if (p != NULL) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

char *check_strdup(struct rmx_check *chk, const char *s)
{
	return check_strndup(chk, s, strlen(s));
}

/* Free the check: the cache entries it holds first (their list lives in
 * the arena), its use of the cache, the arena, the struct. */
static void check_free(struct rmx_check *chk)
{
	struct arena_chunk *c = chk->chunks, *next;
	struct hold *h;

	for (h = chk->holds; h != NULL; h = h->next)
		cache_entry_release(h->entry);
	if (chk->in.cfg.cache != NULL)
		cache_unuse(chk->in.cfg.cache);
	for (; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(chk);
}

/* ---- text helpers ---- */

/* Copy text into a result field: printable ASCII only (anything else
 * becomes '?', as Postfix and OpenSMTPD do for logged DNS text), cut at
 * cap with "..." so that a cut is visible. */
/* May s[0..n) hold an octet outside 0x20-0x7e?  Eight octets at a time
 * (a per-octet loop cost a few hundred instructions per result field);
 * a true answer can be a false alarm (carries between octets), a false
 * one never is wrong. */
static bool maybe_unprintable(const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	uint64_t acc = 0, w;
	size_t i = 0;

	for (; n - i >= 8; i += 8) {
		memcpy(&w, s + i, 8);
		/* octet < 0x20, or >= 0x7f (0x7f + 1 and up set the top bit) */
		acc |= ((w - 0x20 * ones) & ~w) | w | (w + ones);
	}
	acc &= high;
	for (; i < n; i++)
		acc |= (unsigned char)s[i] - 0x20u > 0x5eu;
	return acc != 0;
}

static void copy_printable(char *dst, size_t cap, const char *src)
{
	size_t i, n;

	if (src == NULL)
		src = "";
	/* strnlen and memmove, then a check eight octets at a time; the
	 * exact fix-up only when something may need it.  memmove: the
	 * reason is made printable in place. */
	n = strnlen(src, cap - 1);
	memmove(dst, src, n);
	if (maybe_unprintable(dst, n))
		for (i = 0; i < n; i++)
			if ((unsigned char)dst[i] - 0x20u > 0x5eu)
				dst[i] = '?';
	dst[n] = '\0';
	if (src[n] != '\0' && cap > 4)
		memcpy(dst + cap - 4, "...", 4);
}

/* ASCII classes, independent of the process locale (<ctype.h> is not:
 * in a Latin-1 locale isalnum() accepts octets >= 0x80). */
static bool ascii_alpha(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static bool ascii_digit(unsigned char ch)
{
	return ch >= '0' && ch <= '9';
}

size_t check_escape_label(const char *text, size_t len, char *out,
	size_t cap)
{
	size_t n = strnlen(out, cap), i;

	if (n >= cap)
		return (size_t)-1;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)text[i];
		char esc[5];
		size_t elen;

		if (ascii_alpha(ch) || ascii_digit(ch) ||
		    (ch != '\0' && strchr("-_+=/*", ch) != NULL)) {
			esc[0] = (char)ch;
			elen = 1;
		} else if (ch == '.' || ch == '\\') {
			esc[0] = '\\';
			esc[1] = (char)ch;
			elen = 2;
		} else {
			snprintf(esc, sizeof(esc), "\\%03u", ch);
			elen = 4;
		}
		if (cap - n <= elen)
			return (size_t)-1;
		memcpy(out + n, esc, elen);
		n += elen;
	}
	out[n] = '\0';
	return n;
}

/* RFC 7208 4.3 with the toplabel rule of 7.1 (RMX.md 2.1). */
const char *check_domain_invalid(const char *domain)
{
	size_t len = strlen(domain), i, start, labels = 0;
	const char *top;
	size_t toplen;
	bool alpha = false, hyphen = false;

	if (len > 0 && domain[len - 1] == '.')
		len--;
	if (len == 0)
		return "empty domain";
	if (len > 253)
		return "domain longer than 253 octets";
	for (i = 0, start = 0; i <= len; i++) {
		if (i == len || domain[i] == '.') {
			if (i == start)
				return "empty label";
			if (i - start > 63)
				return "label longer than 63 octets";
			labels++;
			start = i + 1;
		} else {
			unsigned char ch = (unsigned char)domain[i];

			if (ch <= 0x20 || ch >= 0x7f || ch == '\\')
				return "blank, backslash or non-ASCII octet "
				       "in domain";
		}
	}
	if (labels < 2)
		return "not a multi-label domain name";
	top = domain + len;
	while (top > domain && top[-1] != '.')
		top--;
	toplen = (size_t)(domain + len - top);
	for (i = 0; i < toplen; i++) {
		unsigned char ch = (unsigned char)top[i];

		if (ascii_alpha(ch))
			alpha = true;
		else if (ch == '-')
			hyphen = true;
		else if (!ascii_digit(ch))
			return "top-level label is not alphanumeric";
	}
	if (top[0] == '-' || top[toplen - 1] == '-')
		return "top-level label starts or ends with '-'";
	if (!alpha && !hyphen)
		return "top-level label is all digits";
	return NULL;
}

/* ---- the lifecycle ---- */

const struct check_input *check_input(const struct rmx_check *chk)
{
	return &chk->in;
}

unsigned check_pending(const struct rmx_check *chk)
{
	return chk->npending;
}

void check_count_lookup(struct rmx_check *chk)
{
	chk->r->lookups++;
}

static void unlink_slot(struct rmx_check *chk, struct query_slot *q)
{
	if (q->prev != NULL)
		q->prev->next = q->next;
	else
		chk->outstanding = q->next;
	if (q->next != NULL)
		q->next->prev = q->prev;
	q->prev = q->next = NULL;
	chk->npending--;
}

static void cancel_outstanding(struct rmx_check *chk)
{
	while (chk->outstanding != NULL) {
		struct query_slot *q = chk->outstanding;

		unlink_slot(chk, q);
		rmx_resolver_cancel(chk->res, q->id);
	}
}

static void enter(struct rmx_check *chk)
{
	chk->depth++;
}

static void start_method(struct rmx_check *chk);

static void finish(struct rmx_check *chk)
{
	struct rmx_check_result *r = chk->r;
	uint64_t now = rmx_now_ms();

	if (chk->any_bogus)
		r->dnssec = RMX_DNSSEC_BOGUS;
	else if (chk->any_answer && !chk->any_insecure)
		r->dnssec = RMX_DNSSEC_SECURE;
	else
		r->dnssec = RMX_DNSSEC_INSECURE;
	r->elapsed_ms = (unsigned)(now - chk->started_ms);
	if (chk->done != NULL)
		chk->done(chk->done_arg, r);
	check_free(chk);
}

/*
 * Leave an evaluator frame.  At the outermost level, act on what the frame
 * decided: start the next method, or finish the check.  Returns true when
 * the check has been freed.
 */
static bool leave(struct rmx_check *chk)
{
	if (--chk->depth > 0)
		return false;
	while (chk->method_ended && !chk->finished) {
		chk->method_ended = false;
		chk->method_running = false;
		if (chk->r->result == RMX_RESULT_NONE &&
		    chk->method_index + 1 < chk->in.cfg.nmethods) {
			copy_printable(chk->none_reason,
				sizeof(chk->none_reason), chk->r->reason);
			chk->method_index++;
			chk->depth++;
			start_method(chk);
			chk->depth--;
		} else {
			chk->finished = true;
		}
	}
	if (chk->finished) {
		finish(chk);
		return true;
	}
	return false;
}

unsigned check_dnssec_bits(const struct rmx_dns_answer *ans)
{
	if (ans->dnssec == RMX_DNSSEC_BOGUS)
		return CHECK_SEC_SEEN | CHECK_SEC_BOGUS;
	if (ans->dnssec != RMX_DNSSEC_SECURE)
		return CHECK_SEC_SEEN | CHECK_SEC_INSECURE;
	return CHECK_SEC_SEEN;
}

void check_fold_dnssec(struct rmx_check *chk, unsigned bits)
{
	if (bits & CHECK_SEC_SEEN)
		chk->any_answer = true;
	if (bits & CHECK_SEC_BOGUS)
		chk->any_bogus = true;
	if (bits & CHECK_SEC_INSECURE)
		chk->any_insecure = true;
}

static void on_answer(void *arg, const struct rmx_dns_answer *ans)
{
	struct query_slot *q = arg;
	struct rmx_check *chk = q->chk;

	unlink_slot(chk, q);
	enter(chk);
	if (chk->method_running && !chk->method_ended)
		q->fn(chk, q->arg, ans);
	leave(chk);
}

int check_query(struct rmx_check *chk, const char *name, uint16_t qtype,
	check_answer_fn *fn, void *arg)
{
	struct query_slot *q;
	int rc;

	if (!chk->method_running || chk->method_ended)
		return -1;
	q = check_alloc(chk, sizeof(*q));
	if (q == NULL) {
		check_fail_nomem(chk);
		return -1;
	}
	q->chk = chk;
	q->fn = fn;
	q->arg = arg;
	rc = rmx_resolver_query(chk->res, name, qtype, on_answer, q, &q->id);
	if (rc != RMX_OK) {
		check_method_done(chk, RMX_RESULT_TEMPERROR, NULL, NULL,
			"DNS query for %s could not be started: %s", name,
			rmx_strerror(rc));
		return -1;
	}
	q->next = chk->outstanding;
	if (q->next != NULL)
		q->next->prev = q;
	chk->outstanding = q;
	chk->npending++;
	chk->r->queries++;
	return 0;
}

/* The part of ending a method before the reason: false when the method
 * had ended already. */
static bool method_end(struct rmx_check *chk, enum rmx_result result,
	const char *domain, const char *entry)
{
	struct rmx_check_result *r = chk->r;

	if (!chk->method_running || chk->method_ended)
		return false;
	chk->method_ended = true;
	cancel_outstanding(chk);
	r->result = result;
	r->method = chk->in.cfg.methods[chk->method_index];
	copy_printable(r->domain, sizeof(r->domain),
		domain != NULL ? domain : chk->in.domain);
	copy_printable(r->entry, sizeof(r->entry), entry);
	return true;
}

/* The part after the reason is in place. */
static void method_end_reason(struct rmx_check *chk, bool cut)
{
	struct rmx_check_result *r = chk->r;

	if (cut)
		memcpy(r->reason + sizeof(r->reason) - 4, "...", 4);
	if (r->result == RMX_RESULT_NONE && chk->none_reason[0] != '\0') {
		/* "none" after an earlier method's "none": say both. */
		char both[2 * RMX_RESULT_TEXT_MAX + 2];

		snprintf(both, sizeof(both), "%s; %s", chk->none_reason,
			r->reason);
		copy_printable(r->reason, sizeof(r->reason), both);
	}
}

void check_method_done(struct rmx_check *chk, enum rmx_result result,
	const char *domain, const char *entry, const char *reason_fmt, ...)
{
	struct rmx_check_result *r = chk->r;
	va_list ap;
	int n;

	if (!method_end(chk, result, domain, entry))
		return;
	/* Format in place, then make it printable in place. */
	va_start(ap, reason_fmt);
	n = vsnprintf(r->reason, sizeof(r->reason), reason_fmt, ap);
	va_end(ap);
	copy_printable(r->reason, sizeof(r->reason), r->reason);
	method_end_reason(chk, n >= (int)sizeof(r->reason));
}

void check_method_done_text(struct rmx_check *chk, enum rmx_result result,
	const char *domain, const char *entry, const char *reason,
	bool reason_cut)
{
	struct rmx_check_result *r = chk->r;

	if (!method_end(chk, result, domain, entry))
		return;
	copy_printable(r->reason, sizeof(r->reason), reason);
	method_end_reason(chk, reason_cut);
}

void check_text_init(struct check_text *t, char *buf, size_t cap)
{
	t->p = buf;
	t->len = 0;
	t->cap = cap;
	t->cut = false;
	buf[0] = '\0';
}

void check_text_addn(struct check_text *t, const char *s, size_t n)
{
	size_t room = t->cap - 1 - t->len;

	if (n > room) {
		n = room;
		t->cut = true;
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

void check_text_add(struct check_text *t, const char *s)
{
	check_text_addn(t, s, strlen(s));
}

void check_text_add_uint(struct check_text *t, unsigned long v)
{
	char buf[24];
	size_t n = sizeof(buf);

	do {
		buf[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	check_text_addn(t, buf + n, sizeof(buf) - n);
}

int check_hold(struct rmx_check *chk, struct cache_entry *e)
{
	struct hold *h = arena_take(chk, sizeof(*h));

	if (h == NULL) {
		cache_entry_release(e);
		check_fail_nomem(chk);
		return -1;
	}
	h->entry = e;
	h->next = chk->holds;
	chk->holds = h;
	return 0;
}

void check_set_explanation(struct rmx_check *chk, const char *text)
{
	copy_printable(chk->r->explanation,
		sizeof(chk->r->explanation), text);
}

void check_fail_nomem(struct rmx_check *chk)
{
	check_method_done(chk, RMX_RESULT_TEMPERROR, NULL, NULL,
		"per-check memory bound of %u octets reached",
		(unsigned)RMX_CHECK_MEMORY_MAX);
}

static void start_method(struct rmx_check *chk)
{
	chk->method_running = true;
	chk->method_ended = false;
	switch (chk->in.cfg.methods[chk->method_index]) {
	case RMX_METHOD_RMX:
		rmx_eval_start(chk);
		break;
	case RMX_METHOD_SPF:
		spf_eval_start(chk);
		break;
	default:
		check_method_done(chk, RMX_RESULT_NONE, NULL, NULL,
			"no method configured");
		break;
	}
	if (!chk->method_ended && chk->npending == 0)
		check_method_done(chk, RMX_RESULT_TEMPERROR, NULL, NULL,
			"internal error: %s method stalled",
			rmx_method_str(chk->in.cfg.methods[chk->method_index]));
}

/* Work out the domain to check (RMX.md 2.1, RFC 7208 4.3).  Returns -1
 * when out of memory. */
static int derive_domain(struct rmx_check *chk)
{
	struct check_input *in = &chk->in;
	const char *at = strrchr(in->sender, '@');
	size_t len;

	in->local = NULL;
	if (in->sender[0] == '\0') {
		in->null_sender = true;
		in->domain = in->helo;
	} else if (at != NULL) {
		in->local = check_strndup(chk, in->sender,
			(size_t)(at - in->sender));
		if (in->local == NULL)
			return -1;
		in->domain = at + 1;
	} else {
		in->domain = in->sender;
	}
	/* Display and query the domain without a trailing dot. */
	len = strlen(in->domain);
	if (len > 0 && in->domain[len - 1] == '.') {
		in->domain = check_strndup(chk, in->domain, len - 1);
		if (in->domain == NULL)
			return -1;
	}
	return 0;
}

/* rmx_check_start, writing the result into result_buf (NULL: into the
 * check, handed to done). */
static int check_start(struct rmx_resolver *res, const struct rmx_config *cfg,
	const struct rmx_request *req, rmx_check_done *done, void *arg,
	struct rmx_check **out, struct rmx_check_result *result_buf)
{
	struct rmx_check *chk;
	struct check_input *in;
	struct rmx_addr client;
	const char *invalid;

	if (out != NULL)
		*out = NULL;
	if (res == NULL || cfg == NULL || req == NULL ||
	    req->client_ip == NULL || req->sender == NULL ||
	    cfg->nmethods == 0 || cfg->nmethods > RMX_CHECK_MAX_METHODS)
		return RMX_EINVAL;
	/* Parsed before anything is written to result_buf. */
	if (rmx_addr_parse(req->client_ip, &client) != 0)
		return RMX_EINVAL;
	chk = check_new(result_buf);
	if (chk == NULL)
		return RMX_ENOMEM;
	in = &chk->in;
	in->client = client;
	chk->res = res;
	chk->done = done;
	chk->done_arg = arg;
	chk->started_ms = rmx_now_ms();
	chk->deadline_ms = chk->started_ms + cfg->timeout_ms;
	in->cfg = *cfg;
	if (in->cfg.cache != NULL)
		cache_use(in->cfg.cache);
	in->req = *req;
	in->client_text = check_strdup(chk, req->client_ip);
	in->sender = check_strdup(chk, req->sender);
	in->helo = check_strdup(chk, req->helo != NULL ? req->helo : "");
	in->cfg.receiver = check_strdup(chk,
		cfg->receiver != NULL ? cfg->receiver : "unknown");
	if (in->client_text == NULL || in->sender == NULL ||
	    in->helo == NULL || in->cfg.receiver == NULL) {
		check_free(chk);
		return RMX_ENOMEM;
	}
	in->req.client_ip = in->client_text;
	in->req.sender = in->sender;
	in->req.helo = in->helo;

	if (derive_domain(chk) != 0) {
		check_free(chk);
		return RMX_ENOMEM;
	}
	enter(chk);
	invalid = check_domain_invalid(in->domain);
	if (invalid != NULL) {
		chk->method_running = true;
		check_method_done(chk, RMX_RESULT_NONE, in->domain, NULL,
			"'%s' is not a valid domain name to check (%s)",
			in->domain, invalid);
		chk->r->method = RMX_METHOD_NONE;
		chk->finished = true;
	} else {
		start_method(chk);
	}
	if (leave(chk))
		return RMX_OK;  /* finished without DNS: done was called */
	if (out != NULL)
		*out = chk;
	return RMX_OK;
}

int rmx_check_start(struct rmx_resolver *res, const struct rmx_config *cfg,
	const struct rmx_request *req, rmx_check_done *done, void *arg,
	struct rmx_check **out)
{
	return check_start(res, cfg, req, done, arg, out, NULL);
}

void rmx_check_cancel(struct rmx_check *chk)
{
	if (chk == NULL)
		return;
	cancel_outstanding(chk);
	check_free(chk);
}

uint64_t rmx_check_deadline(const struct rmx_check *chk)
{
	return chk->deadline_ms;
}

void rmx_check_expire(struct rmx_check *chk)
{
	enter(chk);
	check_method_done(chk, RMX_RESULT_TEMPERROR, NULL, NULL,
		"no decision within the check's deadline of %u ms",
		chk->in.cfg.timeout_ms);
	chk->finished = true;
	leave(chk);
}

struct run_state {
	bool done;
	struct rmx_check_result *out;
};

static void run_done(void *arg, const struct rmx_check_result *res)
{
	struct run_state *st = arg;

	if (res != st->out)
		*st->out = *res;
	st->done = true;
}

int rmx_check_run(struct rmx_resolver *res, const struct rmx_config *cfg,
	const struct rmx_request *req, struct rmx_check_result *out)
{
	struct run_state st = {false, out};
	struct rmx_check *chk;
	int rc;

	/* The check writes its result straight into out. */
	rc = check_start(res, cfg, req, run_done, &st, &chk, out);
	if (rc != RMX_OK)
		return rc;
	while (!st.done) {
		uint64_t now = rmx_now_ms(), deadline = chk->deadline_ms;
		int wait;

		if (now >= deadline) {
			rmx_check_expire(chk);
			break;
		}
		wait = deadline - now > 1000 ? 1000 : (int)(deadline - now);
		rc = rmx_resolver_process(res, wait);
		if (rc < 0 && !st.done) {
			/* The resolver itself broke: end in temperror rather
			 * than spin; the check's queries are cancelled. */
			enter(chk);
			check_method_done(chk, RMX_RESULT_TEMPERROR, NULL,
				NULL, "DNS resolver failure: %s",
				rmx_strerror(rc));
			chk->finished = true;
			leave(chk);
		}
	}
	return RMX_OK;
}

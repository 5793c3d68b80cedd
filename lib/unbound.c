/*
 * unbound.c - the libunbound resolver backend (rmx/unbound.h).
 *
 * Offers rmx_unbound_new(): an rmx_resolver whose queries go to libunbound
 * (ub_resolve_async, one ub_ctx per backend, answers computed in
 * libunbound's own thread and handed over through ub_fd()).  Caching,
 * retries, CNAME chasing and DNSSEC validation are libunbound's; this file
 * adds what the resolver interface needs and libunbound lacks:
 *   - a per-query timeout: each query carries a deadline; process() waits
 *     on ub_fd() no longer than the nearest deadline, then answers
 *     RMX_DNS_TIMEOUT and ub_cancel()s every query past it;
 *   - mapping a ub_result onto struct rmx_dns_answer (status, DNSSEC
 *     state, a why), and a shape check of the RDATA of fixed-form types
 *     (A, AAAA, MX, PTR, TXT, SPF), so that an unusable answer becomes
 *     RMX_DNS_FAIL with a reason instead of reaching an evaluator;
 *   - parsing the server option ("IP", "IP@PORT", "IP:PORT" for IPv4,
 *     "[IPv6]:PORT").
 *
 * Bad input: a malformed server address, an unreadable trust anchor file or
 * a libunbound setup error make rmx_unbound_new() fail with a negative code
 * and a diag; a query name that does not parse makes query() return
 * RMX_EINVAL.  Whatever libunbound hands back (errors, NULL results, odd
 * lengths) ends up as an answer, never a crash.
 *
 * When a server is given, every name is sent to it: the default local zones
 * libunbound keeps for documentation and test names (test., invalid., the
 * RFC 5737 and RFC 3849 reverse zones) are removed, and loopback may be
 * queried.  libunbound's log output is switched off (the library never
 * prints); its messages are lost, the mapped answers carry the reason.
 *
 * Stub mode sets `server` as stub for the root zone, as the header says;
 * libunbound then primes the root (". NS") at that server and follows the
 * NS addresses it gets (on port 53), so stub mode needs a server that
 * serves the root zone.  An authoritative server for some zone only (NSD
 * in the tests) is used in forwarder mode (stub false): it ignores RD and
 * answers authoritatively, and libunbound takes those answers, DNSSEC
 * included.
 *
 * Not done here: DNS over TLS, several servers, EDNS client options.
 */
#include <rmx/unbound.h>

#include <arpa/inet.h>
#include <errno.h>
#include <ldns/ldns.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unbound.h>

/* Longest "[IPv6]:PORT" we accept, and the "IP@PORT" we build from it. */
#define SERVER_TEXT_MAX 64

struct ub_query {
	struct ub_query *prev, *next;
	struct unbound_backend *be;
	rmx_query_id id;
	int async_id;
	uint16_t qtype;
	uint64_t deadline_ms; /* monotonic; 0: no deadline of ours */
	rmx_dns_callback *cb;
	void *cb_arg;
};

struct unbound_backend {
	struct rmx_resolver base;
	struct ub_ctx *ctx;
	unsigned timeout_ms;
	rmx_query_id next_id;
	/* Queries waiting for an answer (pending() counts them). */
	struct ub_query *live;
	size_t nlive;
	/* Queries we gave up on whose ub_cancel() failed: libunbound may
	 * still call back with them, so they stay allocated until it does or
	 * the backend is freed.  Their callbacks are never passed on. */
	struct ub_query *zombies;
	int delivered; /* callbacks made in the current process() */
	bool validating; /* a trust anchor is configured */
};

static uint64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void set_diag(struct rmx_diag *diag, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_diag(struct rmx_diag *diag, const char *fmt, ...)
{
	va_list ap;

	if (diag == NULL)
		return;
	memset(diag, 0, sizeof(*diag));
	va_start(ap, fmt);
	vsnprintf(diag->msg, sizeof(diag->msg), fmt, ap);
	va_end(ap);
}

static void list_push(struct ub_query **head, struct ub_query *q)
{
	q->prev = NULL;
	q->next = *head;
	if (*head != NULL)
		(*head)->prev = q;
	*head = q;
}

static void list_unlink(struct ub_query **head, struct ub_query *q)
{
	if (q->prev != NULL)
		q->prev->next = q->next;
	else
		*head = q->next;
	if (q->next != NULL)
		q->next->prev = q->prev;
	q->prev = q->next = NULL;
}

/* ---- server address ---------------------------------------------------- */

static int parse_port(const char *text, unsigned *port)
{
	unsigned long v;
	char *end;

	if (text[0] < '0' || text[0] > '9')
		return -1;
	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno != 0 || *end != '\0' || v == 0 || v > 65535)
		return -1;
	*port = (unsigned)v;
	return 0;
}

/*
 * "IP", "IP@PORT", "IPv4:PORT", "[IPv6]:PORT", "[IPv6]" -> "IP@PORT" as
 * libunbound writes it.  0 or -1 (not an address we accept).
 */
static int server_to_unbound_form(const char *server, char *out, size_t cap)
{
	char host[SERVER_TEXT_MAX];
	const char *port_text = NULL;
	unsigned port = 53;
	uint8_t scratch[16];
	size_t len = strlen(server);
	const char *at, *colon;
	int n;

	if (len == 0 || len >= sizeof(host))
		return -1;
	at = strchr(server, '@');
	colon = strchr(server, ':');
	if (server[0] == '[') {
		const char *close = strchr(server, ']');
		if (close == NULL || (size_t)(close - server - 1) >= sizeof(host))
			return -1;
		memcpy(host, server + 1, (size_t)(close - server - 1));
		host[close - server - 1] = '\0';
		if (close[1] == ':' || close[1] == '@')
			port_text = close + 2;
		else if (close[1] != '\0')
			return -1;
		if (inet_pton(AF_INET6, host, scratch) != 1)
			return -1;
	} else if (at != NULL) {
		memcpy(host, server, (size_t)(at - server));
		host[at - server] = '\0';
		port_text = at + 1;
	} else if (colon != NULL && strchr(colon + 1, ':') == NULL) {
		/* exactly one colon: IPv4:PORT */
		memcpy(host, server, (size_t)(colon - server));
		host[colon - server] = '\0';
		port_text = colon + 1;
		if (inet_pton(AF_INET, host, scratch) != 1)
			return -1;
	} else {
		memcpy(host, server, len + 1);
	}
	if (inet_pton(AF_INET, host, scratch) != 1 &&
	    inet_pton(AF_INET6, host, scratch) != 1)
		return -1;
	if (port_text != NULL && parse_port(port_text, &port) != 0)
		return -1;
	n = snprintf(out, cap, "%s@%u", host, port);
	if (n < 0 || (size_t)n >= cap)
		return -1;
	return 0;
}

/* ---- answers ------------------------------------------------------------ */

/* An uncompressed wire name filling rdata[off..len) exactly. */
static int wire_name_fills(const uint8_t *rdata, size_t len, size_t off)
{
	size_t total = 0;

	for (;;) {
		size_t label;

		if (len - off < 1)
			return 0;
		label = rdata[off];
		if (label > 63)
			return 0; /* compression pointer or bad label type */
		total += label + 1;
		if (total > 255)
			return 0;
		off++;
		if (label == 0)
			return off == len;
		if (len - off < label)
			return 0;
		off += label;
	}
}

/* Character-strings filling rdata exactly (at least one). */
static int char_strings_fill(const uint8_t *rdata, size_t len)
{
	size_t off = 0;

	if (len == 0)
		return 0;
	while (off < len) {
		size_t n = rdata[off++];
		if (len - off < n)
			return 0;
		off += n;
	}
	return 1;
}

/* Does this RDATA have the shape its type requires?  Types we do not know
 * the shape of (RMX, APL...) pass: their evaluators check them. */
static int rdata_has_type_shape(uint16_t qtype, const uint8_t *rdata,
	size_t len)
{
	switch (qtype) {
	case RMX_RR_A:
		return len == 4;
	case RMX_RR_AAAA:
		return len == 16;
	case RMX_RR_MX:
		return len >= 3 && wire_name_fills(rdata, len, 2);
	case RMX_RR_PTR:
		return wire_name_fills(rdata, len, 0);
	case RMX_RR_TXT:
	case RMX_RR_SPF:
		return char_strings_fill(rdata, len);
	default:
		return 1;
	}
}

static const char *rcode_text(int rcode)
{
	static const char *const names[] = {
		[0] = "NOERROR", [1] = "FORMERR", [2] = "SERVFAIL",
		[3] = "NXDOMAIN", [4] = "NOTIMP", [5] = "REFUSED",
	};

	if (rcode >= 0 && (size_t)rcode < sizeof(names) / sizeof(names[0]))
		return names[rcode];
	return "unexpected rcode";
}

static void call_back(struct unbound_backend *be, const struct ub_query *q,
	const struct rmx_dns_answer *answer)
{
	be->delivered++;
	q->cb(q->cb_arg, answer);
}

static void deliver_failure(struct unbound_backend *be,
	const struct ub_query *q, enum rmx_dns_status status, const char *why)
{
	struct rmx_dns_answer answer = {
		.status = status,
		.dnssec = RMX_DNSSEC_INSECURE,
		.why = why,
	};

	call_back(be, q, &answer);
}

/* Map a ub_result onto an answer and pass it to the query's callback. */
/*
 * libunbound 1.17 (libworker.c fill_res) copies each RR's RDATA with
 * memdup(), which returns NULL for zero octets; it takes that for out of
 * memory and reports SERVFAIL with no data.  An RMX RR with no entries has
 * zero octets of RDATA (RMX.md 1 allows it), so a server's correct answer
 * would become a temperror.  When the raw reply is at hand and says
 * NOERROR, read the RRs of the asked type from it instead.
 *
 * Only without validation: when fill_res fails libunbound returns before
 * it records the DNSSEC status, so a validating backend cannot tell a
 * secure answer from a bogus one here and keeps the failure.  Returns true
 * when it delivered an answer.
 */
static bool deliver_from_packet(struct unbound_backend *be,
	const struct ub_query *q, const struct ub_result *result)
{
	ldns_pkt *pkt = NULL;
	ldns_rr_list *an;
	ldns_buffer *buf;
	struct rmx_dns_rr *rr = NULL;
	struct rmx_dns_answer answer = {0};
	uint8_t **copies = NULL;
	size_t n = 0, i, total;
	bool ok = false;

	if (be->validating || result->answer_packet == NULL ||
	    result->answer_len <= 0 ||
	    ldns_wire2pkt(&pkt, result->answer_packet,
		    (size_t)result->answer_len) != LDNS_STATUS_OK)
		return false;
	if (ldns_pkt_get_rcode(pkt) != LDNS_RCODE_NOERROR) {
		ldns_pkt_free(pkt);
		return false;
	}
	an = ldns_pkt_answer(pkt);
	total = an != NULL ? ldns_rr_list_rr_count(an) : 0;
	buf = ldns_buffer_new(512);
	rr = calloc(total > 0 ? total : 1, sizeof(*rr));
	copies = calloc(total > 0 ? total : 1, sizeof(*copies));
	if (buf == NULL || rr == NULL || copies == NULL)
		goto out;
	for (i = 0; i < total; i++) {
		ldns_rr *r = ldns_rr_list_rr(an, i);
		size_t len;

		if (ldns_rr_get_type(r) != q->qtype)
			continue;
		ldns_buffer_clear(buf);
		if (ldns_rr_rdata2buffer_wire(buf, r) != LDNS_STATUS_OK)
			goto out;
		len = ldns_buffer_position(buf);
		if (!rdata_has_type_shape(q->qtype, ldns_buffer_begin(buf),
			    len))
			goto out;
		copies[n] = malloc(len > 0 ? len : 1);
		if (copies[n] == NULL)
			goto out;
		memcpy(copies[n], ldns_buffer_begin(buf), len);
		rr[n].rdata = copies[n];
		rr[n].rdlen = len;
		n++;
	}
	answer.status = n > 0 ? RMX_DNS_OK : RMX_DNS_NODATA;
	answer.dnssec = RMX_DNSSEC_INSECURE;
	answer.count = n;
	answer.rr = n > 0 ? rr : NULL;
	call_back(be, q, &answer);
	ok = true;
out:
	for (i = 0; i < n; i++)
		free(copies[i]);
	free(copies);
	free(rr);
	if (buf != NULL)
		ldns_buffer_free(buf);
	ldns_pkt_free(pkt);
	return ok;
}

static void deliver_result(struct unbound_backend *be,
	const struct ub_query *q, int err, const struct ub_result *result)
{
	struct rmx_dns_answer answer = {0};
	struct rmx_dns_rr *rr;
	char why[128];
	size_t count = 0, i;

	if (err != 0) {
		deliver_failure(be, q, RMX_DNS_FAIL, ub_strerror(err));
		return;
	}
	if (result == NULL) {
		deliver_failure(be, q, RMX_DNS_FAIL,
			"resolver returned no result");
		return;
	}
	if (result->bogus) {
		answer.status = RMX_DNS_FAIL;
		answer.dnssec = RMX_DNSSEC_BOGUS;
		answer.why = result->why_bogus != NULL ? result->why_bogus :
			"DNSSEC validation failed";
		call_back(be, q, &answer);
		return;
	}
	answer.dnssec = result->secure ? RMX_DNSSEC_SECURE :
		RMX_DNSSEC_INSECURE;
	if (result->rcode == 3 || (result->rcode == 0 && result->nxdomain)) {
		answer.status = RMX_DNS_NXDOMAIN;
		call_back(be, q, &answer);
		return;
	}
	if (result->rcode == 2 && deliver_from_packet(be, q, result))
		return;
	if (result->rcode != 0) {
		snprintf(why, sizeof(why), "server answered %s (rcode %d)",
			rcode_text(result->rcode), result->rcode);
		deliver_failure(be, q, RMX_DNS_FAIL, why);
		return;
	}
	if (result->data != NULL && result->len != NULL)
		while (result->data[count] != NULL)
			count++;
	if (!result->havedata || count == 0) {
		answer.status = RMX_DNS_NODATA;
		call_back(be, q, &answer);
		return;
	}
	rr = calloc(count, sizeof(*rr));
	if (rr == NULL) {
		deliver_failure(be, q, RMX_DNS_FAIL, "out of memory");
		return;
	}
	for (i = 0; i < count; i++) {
		const uint8_t *data = (const uint8_t *)result->data[i];

		if (result->len[i] < 0 || result->len[i] > 65535 ||
		    !rdata_has_type_shape(q->qtype, data,
			    (size_t)result->len[i])) {
			snprintf(why, sizeof(why),
				"unusable answer: RR %zu of %zu has malformed "
				"RDATA (%d octets) for type %u", i + 1, count,
				result->len[i], (unsigned)q->qtype);
			free(rr);
			deliver_failure(be, q, RMX_DNS_FAIL, why);
			return;
		}
		rr[i].rdata = data;
		rr[i].rdlen = (size_t)result->len[i];
	}
	answer.status = RMX_DNS_OK;
	answer.count = count;
	answer.rr = rr;
	call_back(be, q, &answer);
	free(rr);
}

/* libunbound's callback, run from ub_process() inside our process(). */
static void result_arrived(void *mydata, int err, struct ub_result *result)
{
	struct ub_query *q = mydata;
	struct unbound_backend *be = q->be;
	struct ub_query *z;

	for (z = be->zombies; z != NULL; z = z->next)
		if (z == q)
			break;
	if (z != NULL) {
		list_unlink(&be->zombies, q);
		free(q);
		ub_resolve_free(result);
		return;
	}
	list_unlink(&be->live, q);
	be->nlive--;
	deliver_result(be, q, err, result);
	ub_resolve_free(result);
	free(q);
}

/* Stop a live query without a callback: cancel it in libunbound, and keep
 * it as a zombie if libunbound could not forget it. */
static void drop_query(struct unbound_backend *be, struct ub_query *q)
{
	list_unlink(&be->live, q);
	be->nlive--;
	if (ub_cancel(be->ctx, q->async_id) == 0)
		free(q);
	else
		list_push(&be->zombies, q);
}

/* Answer RMX_DNS_TIMEOUT for every query past its deadline.  A callback may
 * start or cancel queries, so the walk restarts after each one. */
static void expire_overdue_queries(struct unbound_backend *be, uint64_t now)
{
	char why[64];
	struct ub_query *q;

	for (;;) {
		for (q = be->live; q != NULL; q = q->next)
			if (q->deadline_ms != 0 && q->deadline_ms <= now)
				break;
		if (q == NULL)
			return;
		/* take the callback out before the query is freed */
		struct ub_query copy = *q;
		drop_query(be, q);
		snprintf(why, sizeof(why), "no answer within %u ms",
			be->timeout_ms);
		deliver_failure(be, &copy, RMX_DNS_TIMEOUT, why);
	}
}

/* Milliseconds until the nearest deadline, or -1 if none. */
static int64_t time_to_nearest_deadline(const struct unbound_backend *be,
	uint64_t now)
{
	const struct ub_query *q;
	int64_t best = -1;

	for (q = be->live; q != NULL; q = q->next) {
		int64_t left;
		if (q->deadline_ms == 0)
			continue;
		left = q->deadline_ms <= now ? 0 : (int64_t)(q->deadline_ms - now);
		if (best < 0 || left < best)
			best = left;
	}
	return best;
}

/* ---- resolver ops ------------------------------------------------------- */

static int unbound_query(struct rmx_resolver *res, const char *name,
	uint16_t qtype, rmx_dns_callback *cb, void *cb_arg, rmx_query_id *id)
{
	struct unbound_backend *be = (struct unbound_backend *)res;
	struct ub_query *q;
	ldns_rdf *dname = NULL;
	int r;

	if (name == NULL || name[0] == '\0' || cb == NULL || qtype == 0)
		return RMX_EINVAL;
	/* libunbound parses the name in its worker and would answer a bad
	 * one with a callback; the interface wants RMX_EINVAL now. */
	if (ldns_str2rdf_dname(&dname, name) != LDNS_STATUS_OK)
		return RMX_EINVAL;
	ldns_rdf_deep_free(dname);
	q = calloc(1, sizeof(*q));
	if (q == NULL)
		return RMX_ENOMEM;
	q->be = be;
	q->id = ++be->next_id;
	q->qtype = qtype;
	q->cb = cb;
	q->cb_arg = cb_arg;
	if (be->timeout_ms != 0)
		q->deadline_ms = monotonic_ms() + be->timeout_ms;
	r = ub_resolve_async(be->ctx, name, qtype, 1, q, result_arrived,
		&q->async_id);
	if (r != 0) {
		free(q);
		if (r == UB_SYNTAX)
			return RMX_EINVAL;
		if (r == UB_NOMEM)
			return RMX_ENOMEM;
		return RMX_ERESOLVER;
	}
	list_push(&be->live, q);
	be->nlive++;
	if (id != NULL)
		*id = q->id;
	return RMX_OK;
}

static void unbound_cancel(struct rmx_resolver *res, rmx_query_id id)
{
	struct unbound_backend *be = (struct unbound_backend *)res;
	struct ub_query *q;

	for (q = be->live; q != NULL; q = q->next)
		if (q->id == id) {
			drop_query(be, q);
			return;
		}
}

static int unbound_process(struct rmx_resolver *res, int timeout_ms)
{
	struct unbound_backend *be = (struct unbound_backend *)res;
	uint64_t start = monotonic_ms();

	be->delivered = 0;
	for (;;) {
		uint64_t now = monotonic_ms();
		int64_t wait, until_deadline;
		struct pollfd pfd = { .fd = ub_fd(be->ctx), .events = POLLIN };
		int r;

		if (be->delivered > 0 || (be->nlive == 0 &&
			be->zombies == NULL))
			wait = 0;
		else if (timeout_ms < 0)
			wait = -1;
		else
			wait = start + (uint64_t)timeout_ms <= now ? 0 :
				(int64_t)(start + (uint64_t)timeout_ms - now);
		until_deadline = time_to_nearest_deadline(be, now);
		if (until_deadline >= 0 && (wait < 0 || until_deadline < wait))
			wait = until_deadline;
		if (wait > 60000)
			wait = 60000;
		r = poll(&pfd, 1, (int)wait);
		if (r < 0 && errno != EINTR)
			return be->delivered > 0 ? be->delivered : RMX_EIO;
		if (r > 0 && ub_process(be->ctx) != 0 && be->delivered == 0)
			return RMX_ERESOLVER;
		expire_overdue_queries(be, monotonic_ms());
		if (be->delivered > 0 || be->nlive == 0)
			return be->delivered;
		if (timeout_ms >= 0 &&
		    monotonic_ms() - start >= (uint64_t)timeout_ms)
			return 0;
	}
}

static int unbound_fd(struct rmx_resolver *res)
{
	struct unbound_backend *be = (struct unbound_backend *)res;

	return ub_fd(be->ctx);
}

static size_t unbound_pending(struct rmx_resolver *res)
{
	return ((struct unbound_backend *)res)->nlive;
}

static void free_list(struct ub_query *q)
{
	while (q != NULL) {
		struct ub_query *next = q->next;
		free(q);
		q = next;
	}
}

static void unbound_free(struct rmx_resolver *res)
{
	struct unbound_backend *be = (struct unbound_backend *)res;

	/* ub_ctx_delete stops the worker; no callback comes after it. */
	if (be->ctx != NULL)
		ub_ctx_delete(be->ctx);
	free_list(be->live);
	free_list(be->zombies);
	free(be);
}

static const struct rmx_resolver_ops unbound_ops = {
	.name = "unbound",
	.query = unbound_query,
	.cancel = unbound_cancel,
	.process = unbound_process,
	.fd = unbound_fd,
	.pending = unbound_pending,
	.free = unbound_free,
};

/* ---- setup -------------------------------------------------------------- */

void rmx_unbound_options_init(struct rmx_unbound_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->use_system_config = true;
}

/* Default local zones that would answer instead of the given server. */
static const char *const shadowing_local_zones[] = {
	"test.", "invalid.", "2.0.192.in-addr.arpa.",
	"100.51.198.in-addr.arpa.", "113.0.203.in-addr.arpa.",
	"8.b.d.0.1.0.0.2.ip6.arpa.",
};

static const struct {
	const char *name, *value;
} server_options[] = {
	{ "do-not-query-localhost:", "no" },
	/* send the full name: an authoritative test server refuses the
	 * minimised ancestors it is not authoritative for */
	{ "qname-minimisation:", "no" },
	/* no side queries for the addresses of NS names */
	{ "target-fetch-policy:", "0 0 0 0 0" },
	{ "unblock-lan-zones:", "yes" },
	{ "insecure-lan-zones:", "yes" },
};

static int configure_server(struct ub_ctx *ctx,
	const struct rmx_unbound_options *opt, struct rmx_diag *diag)
{
	char addr[SERVER_TEXT_MAX + 8];
	size_t i;
	int r;

	if (server_to_unbound_form(opt->server, addr, sizeof(addr)) != 0) {
		set_diag(diag, "server %.64s: not an IP address with optional "
			"port (IP, IP@PORT, IPv4:PORT, [IPv6]:PORT)",
			opt->server);
		return RMX_EINVAL;
	}
	for (i = 0; i < sizeof(server_options) / sizeof(server_options[0]);
	     i++) {
		r = ub_ctx_set_option(ctx, server_options[i].name,
			server_options[i].value);
		if (r != 0) {
			set_diag(diag, "libunbound option %s: %s",
				server_options[i].name, ub_strerror(r));
			return RMX_ERESOLVER;
		}
	}
	if (opt->stub)
		r = ub_ctx_set_stub(ctx, ".", addr, 0);
	else
		r = ub_ctx_set_fwd(ctx, addr);
	if (r != 0) {
		set_diag(diag, "server %s: %s", addr, ub_strerror(r));
		return RMX_ERESOLVER;
	}
	return RMX_OK;
}

static int configure_system(struct ub_ctx *ctx, struct rmx_diag *diag)
{
	int r;

	/* resolv.conf often names a local cache (127.0.0.53, 127.0.0.1) */
	r = ub_ctx_set_option(ctx, "do-not-query-localhost:", "no");
	if (r != 0) {
		set_diag(diag, "libunbound option do-not-query-localhost: %s",
			ub_strerror(r));
		return RMX_ERESOLVER;
	}
	errno = 0;
	r = ub_ctx_resolvconf(ctx, NULL);
	if (r != 0) {
		set_diag(diag, "/etc/resolv.conf: %s", r == UB_READFILE &&
			errno != 0 ? strerror(errno) : ub_strerror(r));
		return RMX_ERESOLVER;
	}
	errno = 0;
	r = ub_ctx_hosts(ctx, NULL);
	/* no /etc/hosts is no hosts, not an error */
	if (r != 0 && !(r == UB_READFILE && errno == ENOENT)) {
		set_diag(diag, "/etc/hosts: %s", ub_strerror(r));
		return RMX_ERESOLVER;
	}
	return RMX_OK;
}

static int configure_trust_anchor(struct ub_ctx *ctx, const char *file,
	struct rmx_diag *diag)
{
	FILE *fp = fopen(file, "r");
	int r;

	if (fp == NULL) {
		set_diag(diag, "trust anchor file %s: %s", file,
			strerror(errno));
		return RMX_ENOTFOUND;
	}
	fclose(fp);
	r = ub_ctx_add_ta_file(ctx, file);
	if (r != 0) {
		set_diag(diag, "trust anchor file %s: %s", file,
			ub_strerror(r));
		return RMX_ERESOLVER;
	}
	return RMX_OK;
}

int rmx_unbound_new(const struct rmx_unbound_options *opt,
	struct rmx_resolver **out, struct rmx_diag *diag)
{
	struct unbound_backend *be;
	struct ub_ctx *ctx;
	int r;

	if (out == NULL)
		return RMX_EINVAL;
	*out = NULL;
	if (opt == NULL) {
		set_diag(diag, "no options");
		return RMX_EINVAL;
	}
	be = calloc(1, sizeof(*be));
	if (be == NULL)
		return RMX_ENOMEM;
	ctx = ub_ctx_create();
	if (ctx == NULL) {
		free(be);
		set_diag(diag, "libunbound: cannot create a context");
		return RMX_ENOMEM;
	}
	be->base.ops = &unbound_ops;
	be->ctx = ctx;
	be->timeout_ms = opt->query_timeout_ms;
	be->validating = opt->trust_anchor_file != NULL;
	ub_ctx_debugout(ctx, NULL);
	/* keep RRs in the order the server sent them (RMX.md 1: several
	 * RMX RRs are concatenated in answer order); libunbound rotates
	 * them by default */
	r = ub_ctx_set_option(ctx, "rrset-roundrobin:", "no");
	if (r != 0) {
		set_diag(diag, "libunbound option rrset-roundrobin: %s",
			ub_strerror(r));
		r = RMX_ERESOLVER;
		goto fail;
	}
	/* a thread, not a forked process: cheaper, and nothing to reap */
	r = ub_ctx_async(ctx, 1);
	if (r != 0) {
		set_diag(diag, "libunbound async mode: %s", ub_strerror(r));
		r = RMX_ERESOLVER;
		goto fail;
	}
	if (opt->server != NULL)
		r = configure_server(ctx, opt, diag);
	else if (opt->use_system_config)
		r = configure_system(ctx, diag);
	else
		r = RMX_OK;
	if (r != RMX_OK)
		goto fail;
	if (opt->trust_anchor_file != NULL) {
		r = configure_trust_anchor(ctx, opt->trust_anchor_file, diag);
		if (r != RMX_OK)
			goto fail;
	}
	/*
	 * Removing a local zone finalizes the context: libunbound reads the
	 * trust anchors and applies the options now, so a bad file or option
	 * is reported here rather than by every query.  Without a server the
	 * name removed is one no default zone has: finalizing is all we want.
	 */
	if (opt->server != NULL) {
		size_t i;
		for (i = 0; i < sizeof(shadowing_local_zones) /
			    sizeof(shadowing_local_zones[0]); i++) {
			r = ub_ctx_zone_remove(ctx, shadowing_local_zones[i]);
			if (r != 0)
				break;
		}
	} else {
		r = ub_ctx_zone_remove(ctx, "rmx-finalize.invalid.");
	}
	if (r != 0) {
		if (opt->trust_anchor_file != NULL)
			set_diag(diag, "setting up libunbound (trust anchor "
				"file %s?): %s", opt->trust_anchor_file,
				ub_strerror(r));
		else
			set_diag(diag, "setting up libunbound: %s",
				ub_strerror(r));
		r = RMX_ERESOLVER;
		goto fail;
	}
	*out = &be->base;
	return RMX_OK;
fail:
	ub_ctx_delete(ctx);
	free(be);
	return r;
}

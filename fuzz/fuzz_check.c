/*
 * fuzz_check.c - libFuzzer target: the check (RMX, then SPF) driven by
 * arbitrary DNS answers.
 *
 * The harness is a resolver backend (struct rmx_resolver_ops) whose
 * answers come from the fuzz input.  query() queues the query; process()
 * answers every query queued before it was called, in order, each from the
 * input stream:
 *   status octet: status = (octet & 15) % 5 (enum rmx_dns_status), dnssec =
 *                 (octet >> 4) % 3; BOGUS forces status FAIL (resolver.h);
 *   if status is OK: count octet (1 + octet % 8 RRs), then per RR a length
 *                 octet L (L == 255: two more octets give a big-endian
 *                 length) and L octets of RDATA (cut short at the end).
 * When the input runs out every answer is TIMEOUT.  Each RDATA is copied
 * to a buffer of exactly its size and freed after the callback, so reads
 * past it or keeping a pointer to it are caught by ASan.
 *
 * Input layout: octet 0 = options (bit 0: IPv6 client from octets 1-16,
 * else 192.0.2.1; bit 1: TLS SHA-256 fingerprint 0x00..0x1f; bit 2: SASL;
 * bit 3: methods "spf,rmx" instead of "rmx,spf"; bit 4: the sender's local
 * part from the input: one octet N, then min(N, 80) octets; bit 5: answer
 * one query per process() call, the one an input octet picks among those
 * outstanding (index modulo their number), so that answers come in any
 * order, as from a real resolver), then the answers.  The request is fixed otherwise: sender user@example.com, HELO
 * mail.example.com.
 *
 * FUZZ_VERBOSE set in the environment prints each result on stderr.
 *
 * Properties:
 *   - rmx_check_run returns RMX_OK; the result is valid (fuzz_util.h:
 *     enums in range, text terminated and printable, queries < 200);
 *   - at most 200 queries are started (abort at the 200th);
 *   - a name that rmx_name_from_text does not parse gets RMX_EINVAL, as
 *     from the real backends; with FUZZ_STRICT_NAMES set in the
 *     environment it aborts instead (the evaluators should validate or
 *     escape outside text before querying, check_int.h);
 *   - the check never waits with nothing outstanding (process() called
 *     with no live query = a stall: the check would hang to its deadline);
 *   - result.lookups <= 22 (10 lookup terms per method, the 11th ends it;
 *     two methods);
 *   - the same input run twice gives the same result (no state kept
 *     between checks; elapsed_ms aside);
 *   - when rmx_check_run returns, no query is left live (a callback would
 *     then reach a freed check), and no cancel names an unknown id.
 */
#include <arpa/inet.h>
#include <rmx/check.h>
#include <rmx/name.h>
#include <rmx/resolver.h>

#include "fuzz_util.h"

#define FZ_SLOTS FUZZ_QUERY_BOUND

struct fz_query {
	rmx_dns_callback *cb;
	void *arg;
	uint16_t qtype;
	int live;
};

struct fz_resolver {
	struct rmx_resolver base;
	const uint8_t *data;
	size_t len, off;
	struct fz_query q[FZ_SLOTS];
	size_t nq;       /* slots used (ids 1..nq) */
	size_t answered; /* slots before this were handed to process() */
	size_t attempts; /* query() calls, refused ones included */
	int one_at_a_time; /* answer one live query per process(), chosen
	                    * by an input octet (any order) */
};

static int fz_query(struct rmx_resolver *res, const char *name,
	uint16_t qtype, rmx_dns_callback *cb, void *cb_arg, rmx_query_id *id)
{
	struct fz_resolver *fz = (struct fz_resolver *)res;
	uint8_t wire[RMX_NAME_MAXWIRE];
	size_t wirelen;
	struct rmx_diag diag;

	FUZZ_ASSERT(name != NULL && cb != NULL, "query without name/cb");
	if (++fz->attempts >= FZ_SLOTS)
		fuzz_fail("check started %d queries", FZ_SLOTS);
	if (rmx_name_from_text(name, strlen(name), NULL, wire, &wirelen,
	    &diag) != RMX_OK) {
		if (getenv("FUZZ_STRICT_NAMES") != NULL)
			fuzz_fail("check queried a name that does not parse: "
				"\"%s\" (%s)", name, diag.msg);
		return RMX_EINVAL; /* as the zone and unbound backends do */
	}
	fz->q[fz->nq].cb = cb;
	fz->q[fz->nq].arg = cb_arg;
	fz->q[fz->nq].qtype = qtype;
	fz->q[fz->nq].live = 1;
	fz->nq++;
	if (id != NULL)
		*id = fz->nq;
	return RMX_OK;
}

static void fz_cancel(struct rmx_resolver *res, rmx_query_id id)
{
	struct fz_resolver *fz = (struct fz_resolver *)res;

	FUZZ_ASSERT(id >= 1 && id <= fz->nq, "cancel of unknown id %llu",
		(unsigned long long)id);
	fz->q[id - 1].live = 0;
}

static int next_octet(struct fz_resolver *fz, uint8_t *o)
{
	if (fz->off >= fz->len)
		return 0;
	*o = fz->data[fz->off++];
	return 1;
}

static void answer_one(struct fz_resolver *fz, struct fz_query *q)
{
	struct rmx_dns_answer ans;
	struct rmx_dns_rr rr[8];
	uint8_t *bufs[8];
	uint8_t o;
	size_t i, n = 0;

	memset(&ans, 0, sizeof(ans));
	if (!next_octet(fz, &o)) {
		ans.status = RMX_DNS_TIMEOUT;
		ans.why = "fuzz input exhausted";
	} else {
		ans.status = (enum rmx_dns_status)((o & 0x0f) % 5);
		ans.dnssec = (enum rmx_dnssec)((o >> 4) % 3);
		if (ans.dnssec == RMX_DNSSEC_BOGUS)
			ans.status = RMX_DNS_FAIL;
		if (ans.status == RMX_DNS_FAIL)
			ans.why = "fuzzed failure";
	}
	if (ans.status == RMX_DNS_OK) {
		n = next_octet(fz, &o) ? 1 + o % 8 : 1;
		for (i = 0; i < n; i++) {
			size_t l = next_octet(fz, &o) ? o : 0;

			if (l == 255 && fz->len - fz->off >= 2) {
				l = (size_t)fz->data[fz->off] << 8 |
					fz->data[fz->off + 1];
				fz->off += 2;
			}
			if (l > fz->len - fz->off)
				l = fz->len - fz->off;
			bufs[i] = malloc(l > 0 ? l : 1);
			if (bufs[i] == NULL)
				abort();
			if (l > 0)
				memcpy(bufs[i], fz->data + fz->off, l);
			fz->off += l;
			rr[i].rdata = bufs[i];
			rr[i].rdlen = l;
		}
		ans.count = n;
		ans.rr = rr;
	}
	q->live = 0;
	q->cb(q->arg, &ans);
	for (i = 0; i < n; i++)
		free(bufs[i]);
}

static int fz_process(struct rmx_resolver *res, int timeout_ms)
{
	struct fz_resolver *fz = (struct fz_resolver *)res;
	size_t end = fz->nq, i, live = 0;
	int calls = 0;

	for (i = 0; i < fz->nq; i++)
		live += fz->q[i].live != 0;
	FUZZ_ASSERT(live > 0,
		"stall: the check waits for DNS with no query outstanding");
	if (fz->one_at_a_time) {
		uint8_t o = 0;
		size_t pick;

		(void)next_octet(fz, &o);
		pick = o % live;
		for (i = 0; i < fz->nq; i++) {
			if (fz->q[i].live && pick-- == 0) {
				answer_one(fz, &fz->q[i]);
				return 1;
			}
		}
	}
	for (i = fz->answered; i < end; i++) {
		if (!fz->q[i].live)
			continue;
		answer_one(fz, &fz->q[i]);
		calls++;
	}
	fz->answered = end;
	return calls;
}

static int fz_fd(struct rmx_resolver *res)
{
	return -1;
}

static size_t fz_pending(struct rmx_resolver *res)
{
	struct fz_resolver *fz = (struct fz_resolver *)res;
	size_t i, live = 0;

	for (i = 0; i < fz->nq; i++)
		live += fz->q[i].live != 0;
	return live;
}

static void fz_free(struct rmx_resolver *res)
{
}

static const struct rmx_resolver_ops fz_ops = {
	"fuzz", fz_query, fz_cancel, fz_process, fz_fd, fz_pending, fz_free,
};

static void run_check(const uint8_t *data, size_t size,
	struct rmx_check_result *out);

/* Same input, same verdict: the library keeps no state between checks. */
static void compare_results(const struct rmx_check_result *a,
	const struct rmx_check_result *b)
{
	FUZZ_ASSERT(a->result == b->result && a->method == b->method &&
		a->dnssec == b->dnssec && strcmp(a->domain, b->domain) == 0 &&
		strcmp(a->entry, b->entry) == 0 &&
		strcmp(a->reason, b->reason) == 0 &&
		strcmp(a->explanation, b->explanation) == 0 &&
		a->lookups == b->lookups && a->queries == b->queries,
		"same input, different results: %s \"%s\" / %s \"%s\"",
		rmx_result_str(a->result), a->reason,
		rmx_result_str(b->result), b->reason);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rmx_check_result r1, r2;

	if (size > 64 * 1024)
		return 0;
	run_check(data, size, &r1);
	run_check(data, size, &r2);
	compare_results(&r1, &r2);
	return 0;
}

static void run_check(const uint8_t *data, size_t size,
	struct rmx_check_result *out)
{
	static struct fz_resolver fz;
	struct rmx_check_result result;
	struct rmx_request req;
	struct rmx_config cfg;
	char ip[INET6_ADDRSTRLEN], sender[96];
	uint8_t opts = size > 0 ? data[0] : 0;
	size_t off = size > 0 ? 1 : 0, i;
	int rc;

	strcpy(ip, "192.0.2.1");
	if ((opts & 1) && size - off >= 16) {
		inet_ntop(AF_INET6, data + off, ip, sizeof(ip));
		off += 16;
	}
	strcpy(sender, "user@example.com");
	if ((opts & 16) && off < size) {
		size_t n = data[off] < 80 ? data[off] : 80;

		off++;
		if (n > size - off)
			n = size - off;
		memcpy(sender, data + off, n);
		strcpy(sender + n, "@example.com");
		off += n;
	}
	memset(&fz, 0, sizeof(fz));
	fz.base.ops = &fz_ops;
	fz.data = data;
	fz.len = size;
	fz.off = off;
	fz.one_at_a_time = (opts & 32) != 0;

	rmx_config_init(&cfg);
	rc = rmx_config_set_methods(&cfg, (opts & 8) ? "spf,rmx" : "rmx,spf",
		NULL);
	FUZZ_ASSERT(rc == RMX_OK, "rmx_config_set_methods: %d", rc);
	memset(&req, 0, sizeof(req));
	req.client_ip = ip;
	req.sender = sender;
	req.helo = "mail.example.com";
	if (opts & 2) {
		req.tls_fp_alg = 2;
		for (i = 0; i < 32; i++)
			req.tls_fp[i] = (uint8_t)i;
	}
	req.sasl_authenticated = (opts & 4) != 0;

	memset(&result, 0xa5, sizeof(result)); /* no NULs: catch unset text */
	rc = rmx_check_run(&fz.base, &cfg, &req, &result);
	FUZZ_ASSERT(rc == RMX_OK, "rmx_check_run returned %d (%s)", rc,
		rmx_strerror(rc));
	if (getenv("FUZZ_VERBOSE") != NULL)
		fprintf(stderr, "%s method=%s domain=%s entry=\"%s\" "
			"reason=\"%s\" exp=\"%s\" queries=%u/%zu\n",
			rmx_result_str(result.result),
			rmx_method_str(result.method), result.domain,
			result.entry, result.reason, result.explanation,
			result.queries, fz.attempts);
	fuzz_check_result(&result);
	FUZZ_ASSERT(fz_pending(&fz.base) == 0,
		"%zu queries still live after the check ended",
		fz_pending(&fz.base));
	/* RMX.md 2 and RFC 7208 4.6.4: 10 lookup terms per method, the 11th
	 * ends it in permerror; two methods at most. */
	FUZZ_ASSERT(result.lookups <= 2 * 11, "result.lookups %u",
		result.lookups);
	FUZZ_ASSERT(result.queries <= fz.attempts,
		"result.queries %u but %zu queries asked", result.queries,
		fz.attempts);
	*out = result;
}

/*
 * unbound_test.c - unit tests of the libunbound backend (unbound.c).
 *
 * A tiny authoritative DNS server runs in a thread of this test on a free
 * 127.0.0.1 port and answers by the query name (table `fake_names`): data,
 * NODATA, NXDOMAIN, SERVFAIL, a CNAME, a malformed A or MX, or silence.
 * The backend is pointed at it as forwarder (and once as stub), and the tests check
 * the answer mapping, the resolver rules (no callback from query(), one per
 * query, none after cancel), pending counts, the per-query timeout and the
 * option parsing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <rmx/unbound.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- the fake server --------------------------------------------------- */

enum fake_kind {
	FAKE_DATA, FAKE_NODATA, FAKE_NXDOMAIN, FAKE_SERVFAIL, FAKE_REFUSED,
	FAKE_SILENT, FAKE_CNAME,
};

struct fake_name {
	const char *name;      /* lower case, no trailing dot */
	enum fake_kind kind;
	uint16_t type;         /* FAKE_DATA: type answered */
	const char *rdata[3];  /* hex RDATA of each RR */
};

/* "ok.example" A has two addresses; "alias.example" is a CNAME to it. */
static const struct fake_name fake_names[] = {
	{ "ok.example", FAKE_DATA, 1, { "c0000201", "c0000202" } },
	{ "ok.example", FAKE_DATA, 16, { "03616263" } },
	{ "v6.example", FAKE_DATA, 28,
	  { "20010db8000000000000000000000001" } },
	{ "nodata.example", FAKE_NODATA, 0, { NULL } },
	{ "nx.example", FAKE_NXDOMAIN, 0, { NULL } },
	{ "sf.example", FAKE_SERVFAIL, 0, { NULL } },
	{ "refused.example", FAKE_REFUSED, 0, { NULL } },
	{ "silent.example", FAKE_SILENT, 0, { NULL } },
	{ "alias.example", FAKE_CNAME, 0, { NULL } },
	{ "bad-a.example", FAKE_DATA, 1, { "c000020105" } },
	{ "bad-aaaa.example", FAKE_DATA, 28, { "20010db8" } },
	/* MX 10, then a label of 9 octets with only 3 present */
	{ "bad-mx.example", FAKE_DATA, 15, { "000a09616263" } },
	{ "mx.example", FAKE_DATA, 15, { "000a026d78076578616d706c6500" } },
	{ "rmx.example", FAKE_DATA, 65280, { "010418c00002" } },
	/* RMX RRs with zero octets of RDATA (no entries): libunbound 1.17
	 * reports SERVFAIL for them; the backend reads the reply itself. */
	{ "empty-rmx.example", FAKE_DATA, 65280, { "" } },
	{ "empty2-rmx.example", FAKE_DATA, 65280, { "0500", "" } },
};

struct fake_server {
	int fd;
	uint16_t port;
	pthread_t thread;
	atomic_bool stop;
	atomic_uint queries;
};

static void put16(uint8_t *buf, size_t *len, unsigned v)
{
	buf[(*len)++] = (uint8_t)(v >> 8);
	buf[(*len)++] = (uint8_t)v;
}

static size_t put_hex(uint8_t *buf, size_t len, const char *hex)
{
	size_t n = strlen(hex) / 2, i;

	for (i = 0; i < n; i++) {
		unsigned v;
		sscanf(hex + 2 * i, "%2x", &v);
		buf[len + i] = (uint8_t)v;
	}
	return n;
}

static void put_rr(uint8_t *buf, size_t *len, const uint8_t *owner,
	size_t owner_len, uint16_t type, const char *hex)
{
	size_t rdlen_at;

	memcpy(buf + *len, owner, owner_len);
	*len += owner_len;
	put16(buf, len, type);
	put16(buf, len, 1);
	put16(buf, len, 0);
	put16(buf, len, 60);
	rdlen_at = *len;
	*len += 2;
	*len += put_hex(buf, *len, hex);
	buf[rdlen_at] = (uint8_t)((*len - rdlen_at - 2) >> 8);
	buf[rdlen_at + 1] = (uint8_t)(*len - rdlen_at - 2);
}

/* Lower-case dotted text of a wire name (no trailing dot). */
static size_t read_qname(const uint8_t *pkt, size_t len, char *out,
	size_t cap)
{
	size_t off = 12, o = 0;

	for (;;) {
		size_t label, i;
		if (off >= len)
			return 0;
		label = pkt[off++];
		if (label == 0)
			break;
		if (label > 63 || len - off < label || cap - o < label + 2)
			return 0;
		if (o > 0)
			out[o++] = '.';
		for (i = 0; i < label; i++) {
			char c = (char)pkt[off + i];
			out[o++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
		}
		off += label;
	}
	out[o] = '\0';
	return len - off < 4 ? 0 : off + 4;
}

static size_t fake_answer(const uint8_t *q, size_t qlen, uint8_t *r)
{
	static const uint8_t question_ptr[] = { 0xc0, 0x0c };
	static const uint8_t ok_name[] = "\002ok\007example";
	char name[256];
	size_t qend = read_qname(q, qlen, name, sizeof(name));
	uint16_t qtype;
	unsigned rcode = 3, an = 0;
	size_t len = 12, i, k;
	bool known = false;

	if (qend == 0)
		return 0;
	qtype = (uint16_t)(q[qend - 4] << 8 | q[qend - 3]);
	memcpy(r + len, q + 12, qend - 12);
	len = qend;
	for (i = 0; i < sizeof(fake_names) / sizeof(fake_names[0]); i++) {
		const struct fake_name *f = &fake_names[i];
		if (strcmp(f->name, name) != 0)
			continue;
		known = true;
		rcode = 0;
		if (f->kind == FAKE_SILENT)
			return 0;
		if (f->kind == FAKE_NXDOMAIN)
			rcode = 3;
		if (f->kind == FAKE_SERVFAIL)
			rcode = 2;
		if (f->kind == FAKE_REFUSED)
			rcode = 5;
		if (f->kind == FAKE_CNAME) {
			/* alias.example CNAME ok.example, then its A RRs */
			put_rr(r, &len, question_ptr, 2, 5,
				"026f6b076578616d706c6500");
			an++;
			if (qtype == 1) {
				put_rr(r, &len, ok_name, sizeof(ok_name), 1,
					"c0000201");
				put_rr(r, &len, ok_name, sizeof(ok_name), 1,
					"c0000202");
				an += 2;
			}
		}
		if (f->kind == FAKE_DATA && f->type == qtype)
			for (k = 0; k < 3 && f->rdata[k] != NULL; k++) {
				put_rr(r, &len, question_ptr, 2, qtype,
					f->rdata[k]);
				an++;
			}
	}
	if (!known)
		rcode = 3;
	r[0] = q[0];
	r[1] = q[1];
	r[2] = (uint8_t)(0x84 | (q[2] & 0x01)); /* QR AA RD */
	r[3] = (uint8_t)(0x80 | rcode);          /* RA */
	r[4] = 0;
	r[5] = 1;
	r[6] = (uint8_t)(an >> 8);
	r[7] = (uint8_t)an;
	memset(r + 8, 0, 4);
	return len;
}

static void *fake_server_run(void *arg)
{
	struct fake_server *fs = arg;

	while (!atomic_load(&fs->stop)) {
		struct pollfd pfd = { .fd = fs->fd, .events = POLLIN };
		uint8_t q[1500], r[4096];
		struct sockaddr_in from;
		socklen_t fromlen = sizeof(from);
		ssize_t got;
		size_t n;

		if (poll(&pfd, 1, 50) <= 0)
			continue;
		got = recvfrom(fs->fd, q, sizeof(q), 0,
			(struct sockaddr *)&from, &fromlen);
		if (got < 12)
			continue;
		atomic_fetch_add(&fs->queries, 1);
		n = fake_answer(q, (size_t)got, r);
		if (n > 0)
			sendto(fs->fd, r, n, 0, (struct sockaddr *)&from,
				fromlen);
	}
	return NULL;
}

static struct fake_server *fake_server_start(void)
{
	struct fake_server *fs = calloc(1, sizeof(*fs));
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t salen = sizeof(sa);

	assert_non_null(fs);
	fs->fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fs->fd >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fs->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fs->fd, (struct sockaddr *)&sa, &salen),
		0);
	fs->port = ntohs(sa.sin_port);
	assert_int_equal(pthread_create(&fs->thread, NULL, fake_server_run,
				 fs), 0);
	return fs;
}

static void fake_server_stop(struct fake_server *fs)
{
	atomic_store(&fs->stop, true);
	pthread_join(fs->thread, NULL);
	close(fs->fd);
	free(fs);
}

/* ---- helpers ------------------------------------------------------------ */

struct got {
	int calls;
	enum rmx_dns_status status;
	enum rmx_dnssec dnssec;
	size_t count;
	uint8_t rdata[4][64];
	size_t rdlen[4];
	char why[256];
};

static void record_answer(void *arg, const struct rmx_dns_answer *a)
{
	struct got *g = arg;
	size_t i;

	g->calls++;
	g->status = a->status;
	g->dnssec = a->dnssec;
	g->count = a->count;
	for (i = 0; i < a->count && i < 4; i++) {
		g->rdlen[i] = a->rr[i].rdlen;
		memcpy(g->rdata[i], a->rr[i].rdata,
			a->rr[i].rdlen < 64 ? a->rr[i].rdlen : 64);
	}
	snprintf(g->why, sizeof(g->why), "%s", a->why ? a->why : "");
}

struct fixture {
	struct fake_server *fs;
	struct rmx_resolver *res;
};

static struct rmx_resolver *backend_for(struct fake_server *fs, bool stub,
	unsigned timeout_ms)
{
	struct rmx_unbound_options opt;
	struct rmx_resolver *res = NULL;
	struct rmx_diag diag = {0};
	char server[64];

	rmx_unbound_options_init(&opt);
	snprintf(server, sizeof(server), "127.0.0.1:%u", fs->port);
	opt.server = server;
	opt.stub = stub;
	opt.query_timeout_ms = timeout_ms;
	if (rmx_unbound_new(&opt, &res, &diag) != RMX_OK)
		fail_msg("rmx_unbound_new: %s", diag.msg);
	return res;
}

static int setup_fwd(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->fs = fake_server_start();
	f->res = backend_for(f->fs, false, 3000);
	*state = f;
	return 0;
}

static int setup_stub(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->fs = fake_server_start();
	f->res = backend_for(f->fs, true, 3000);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	rmx_resolver_free(f->res);
	fake_server_stop(f->fs);
	free(f);
	return 0;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Drive the resolver until nothing is pending (bounded: 10 s). */
static void run_until_idle(struct rmx_resolver *res)
{
	uint64_t start = now_ms();

	while (res->ops->pending(res) > 0) {
		assert_true(rmx_resolver_process(res, 200) >= 0);
		if (now_ms() - start > 10000)
			fail_msg("resolver still has %zu pending after 10 s",
				res->ops->pending(res));
	}
}

static void ask(struct rmx_resolver *res, const char *name, uint16_t type,
	struct got *g)
{
	rmx_query_id id;

	memset(g, 0, sizeof(*g));
	assert_int_equal(rmx_resolver_query(res, name, type, record_answer, g,
				 &id), RMX_OK);
	assert_int_equal(g->calls, 0); /* never from query() */
	run_until_idle(res);
	assert_int_equal(g->calls, 1);
}

/* ---- tests -------------------------------------------------------------- */

struct mapping_case {
	const char *name;
	uint16_t type;
	enum rmx_dns_status status;
	size_t count;
	const char *first_hex; /* first RR's RDATA, or NULL */
	const char *why_part;  /* substring of why, or NULL */
};

static const struct mapping_case mapping_cases[] = {
	{ "ok.example", 1, RMX_DNS_OK, 2, "c0000201", NULL },
	{ "OK.Example.", 1, RMX_DNS_OK, 2, "c0000201", NULL },
	{ "ok.example", 16, RMX_DNS_OK, 1, "03616263", NULL },
	{ "v6.example", 28, RMX_DNS_OK, 1,
	  "20010db8000000000000000000000001", NULL },
	{ "mx.example", 15, RMX_DNS_OK, 1, "000a026d78076578616d706c6500",
	  NULL },
	{ "rmx.example", 65280, RMX_DNS_OK, 1, "010418c00002", NULL },
	/* only the A RRs at the end of the chain, not the CNAME */
	{ "alias.example", 1, RMX_DNS_OK, 2, "c0000201", NULL },
	{ "ok.example", 28, RMX_DNS_NODATA, 0, NULL, NULL },
	{ "nodata.example", 1, RMX_DNS_NODATA, 0, NULL, NULL },
	{ "nx.example", 1, RMX_DNS_NXDOMAIN, 0, NULL, NULL },
	{ "sf.example", 1, RMX_DNS_FAIL, 0, NULL, NULL },
	{ "refused.example", 1, RMX_DNS_FAIL, 0, NULL, NULL },
	{ "bad-a.example", 1, RMX_DNS_FAIL, 0, NULL, NULL },
	{ "bad-aaaa.example", 28, RMX_DNS_FAIL, 0, NULL, NULL },
	{ "bad-mx.example", 15, RMX_DNS_FAIL, 0, NULL, NULL },
};

static void hex_of(const uint8_t *p, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
	out[2 * n] = '\0';
}

static void check_mapping(struct rmx_resolver *res)
{
	size_t i;

	for (i = 0; i < sizeof(mapping_cases) / sizeof(mapping_cases[0]);
	     i++) {
		const struct mapping_case *c = &mapping_cases[i];
		struct got g;
		char hex[140];

		ask(res, c->name, c->type, &g);
		if (g.status != c->status || g.count != c->count)
			fail_msg("%s type %u: got %s count %zu (%s), want %s "
				"count %zu", c->name, c->type,
				rmx_dns_status_str(g.status), g.count, g.why,
				rmx_dns_status_str(c->status), c->count);
		assert_int_equal(g.dnssec, RMX_DNSSEC_INSECURE);
		if (c->first_hex != NULL) {
			hex_of(g.rdata[0], g.rdlen[0], hex);
			assert_string_equal(hex, c->first_hex);
		}
		if (c->status == RMX_DNS_FAIL)
			assert_true(g.why[0] != '\0');
	}
}

static void test_mapping_forwarder(void **state)
{
	check_mapping(((struct fixture *)*state)->res);
}

/*
 * Stub mode makes the server authoritative for the root: libunbound primes
 * it (". NS") and then follows the NS addresses it got, on port 53.  The
 * fake server is not a root server, so lookups fail; what this test holds
 * is that they fail cleanly, with one callback each and a reason.
 */
static void test_stub_against_non_root_server(void **state)
{
	struct fixture *f = *state;
	struct got g;

	ask(f->res, "ok.example", 1, &g);
	assert_int_equal(g.status, RMX_DNS_FAIL);
	assert_true(g.why[0] != '\0');
}

static void test_malformed_a_says_why(void **state)
{
	struct fixture *f = *state;
	struct got g;

	ask(f->res, "bad-a.example", 1, &g);
	assert_int_equal(g.status, RMX_DNS_FAIL);
	if (strstr(g.why, "malformed") == NULL &&
	    strstr(g.why, "server") == NULL)
		fail_msg("why does not explain: \"%s\"", g.why);
}

static void test_zero_length_rdata(void **state)
{
	struct fixture *f = *state;
	struct got g;

	ask(f->res, "empty-rmx.example", 65280, &g);
	assert_int_equal(g.status, RMX_DNS_OK);
	assert_int_equal(g.count, 1);
	assert_int_equal(g.rdlen[0], 0);
	ask(f->res, "empty2-rmx.example", 65280, &g);
	assert_int_equal(g.status, RMX_DNS_OK);
	assert_int_equal(g.count, 2);
	assert_int_equal(g.rdlen[0], 2);
	assert_int_equal(g.rdlen[1], 0);
	/* a real SERVFAIL stays a failure */
	ask(f->res, "sf.example", 65280, &g);
	assert_int_equal(g.status, RMX_DNS_FAIL);
}

static void test_parallel_and_pending(void **state)
{
	struct fixture *f = *state;
	static const char *const names[] = { "ok.example", "nx.example",
		"nodata.example", "mx.example" };
	static const uint16_t types[] = { 1, 1, 1, 15 };
	struct got g[4];
	rmx_query_id ids[4];
	size_t i;

	memset(g, 0, sizeof(g));
	for (i = 0; i < 4; i++) {
		assert_int_equal(rmx_resolver_query(f->res, names[i], types[i],
					 record_answer, &g[i], &ids[i]), RMX_OK);
		assert_int_equal(f->res->ops->pending(f->res), i + 1);
	}
	for (i = 1; i < 4; i++)
		assert_true(ids[i] != ids[0]);
	assert_true(f->res->ops->fd(f->res) >= 0);
	run_until_idle(f->res);
	for (i = 0; i < 4; i++)
		assert_int_equal(g[i].calls, 1);
	assert_int_equal(g[0].status, RMX_DNS_OK);
	assert_int_equal(g[1].status, RMX_DNS_NXDOMAIN);
	assert_int_equal(g[2].status, RMX_DNS_NODATA);
	assert_int_equal(g[3].status, RMX_DNS_OK);
	/* nothing pending: process() returns at once with no callback */
	assert_int_equal(rmx_resolver_process(f->res, -1), 0);
}

static void test_cancel(void **state)
{
	struct fixture *f = *state;
	struct got a, b, c;
	rmx_query_id ida, idb, idc;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&c, 0, sizeof(c));
	assert_int_equal(rmx_resolver_query(f->res, "ok.example", 1,
				 record_answer, &a, &ida), RMX_OK);
	assert_int_equal(rmx_resolver_query(f->res, "nx.example", 1,
				 record_answer, &b, &idb), RMX_OK);
	assert_int_equal(rmx_resolver_query(f->res, "silent.example", 1,
				 record_answer, &c, &idc), RMX_OK);
	rmx_resolver_cancel(f->res, ida);
	rmx_resolver_cancel(f->res, idc);
	assert_int_equal(f->res->ops->pending(f->res), 1);
	rmx_resolver_cancel(f->res, ida); /* twice: harmless */
	rmx_resolver_cancel(f->res, 999999); /* unknown: harmless */
	run_until_idle(f->res);
	/* let a late answer for the cancelled query arrive, if any */
	assert_true(rmx_resolver_process(f->res, 300) >= 0);
	assert_int_equal(a.calls, 0);
	assert_int_equal(b.calls, 1);
	assert_int_equal(c.calls, 0);
	assert_int_equal(b.status, RMX_DNS_NXDOMAIN);
}

/* Queries left pending when the backend is freed get no callback (and
 * nothing leaks: run under valgrind). */
static void test_free_with_pending(void **state)
{
	struct fixture *f = *state;
	struct got a;
	rmx_query_id id;

	memset(&a, 0, sizeof(a));
	assert_int_equal(rmx_resolver_query(f->res, "silent.example", 1,
				 record_answer, &a, &id), RMX_OK);
	assert_int_equal(rmx_resolver_query(f->res, "ok.example", 1,
				 record_answer, &a, &id), RMX_OK);
	rmx_resolver_free(f->res);
	f->res = NULL;
	assert_int_equal(a.calls, 0);
}

static void test_timeout(void **state)
{
	struct fixture *f = *state;
	struct rmx_resolver *res = backend_for(f->fs, false, 300);
	struct got g;
	rmx_query_id id;
	uint64_t start = now_ms(), took;
	int n;

	memset(&g, 0, sizeof(g));
	assert_int_equal(rmx_resolver_query(res, "silent.example", 1,
				 record_answer, &g, &id), RMX_OK);
	/* process(-1) waits until something happens: the deadline */
	n = rmx_resolver_process(res, -1);
	took = now_ms() - start;
	assert_int_equal(n, 1);
	assert_int_equal(g.calls, 1);
	assert_int_equal(g.status, RMX_DNS_TIMEOUT);
	assert_int_equal(res->ops->pending(res), 0);
	if (took < 250 || took > 3000)
		fail_msg("timeout of 300 ms took %llu ms",
			(unsigned long long)took);
	/* process() with a short wait and nothing ready returns 0 */
	assert_int_equal(rmx_resolver_query(res, "silent.example", 28,
				 record_answer, &g, &id), RMX_OK);
	assert_int_equal(rmx_resolver_process(res, 50), 0);
	assert_int_equal(res->ops->pending(res), 1);
	run_until_idle(res);
	assert_int_equal(g.calls, 2);
	assert_int_equal(g.status, RMX_DNS_TIMEOUT);
	rmx_resolver_free(res);
}

static void test_bad_names(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = { "", "a..b", "..",
		("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaa.example") };
	struct got g;
	rmx_query_id id;
	size_t i;

	memset(&g, 0, sizeof(g));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (rmx_resolver_query(f->res, bad[i], 1, record_answer, &g,
			    &id) != RMX_EINVAL)
			fail_msg("name \"%s\" accepted", bad[i]);
	assert_int_equal(rmx_resolver_query(f->res, NULL, 1, record_answer,
				 &g, &id), RMX_EINVAL);
	assert_int_equal(f->res->ops->pending(f->res), 0);
	assert_int_equal(g.calls, 0);
}

static void test_options(void **state)
{
	static const struct {
		const char *server;
		int ok;
	} cases[] = {
		{ "127.0.0.1", 1 }, { "127.0.0.1:5353", 1 },
		{ "127.0.0.1@5353", 1 }, { "::1", 1 }, { "[::1]:5353", 1 },
		{ "[::1]", 1 }, { "::1@5353", 1 },
		{ "", 0 }, { "localhost", 0 }, { "127.0.0.1:0", 0 },
		{ "127.0.0.1:65536", 0 }, { "127.0.0.1:", 0 },
		{ "127.0.0.1:53x", 0 }, { "[::1", 0 }, { "[::1]x", 0 },
		{ "[127.0.0.1]:53", 0 }, { "1.2.3.4:5:6", 0 },
		{ "999.0.0.1", 0 },
	};
	struct rmx_unbound_options opt;
	struct rmx_resolver *res;
	struct rmx_diag diag;
	size_t i;

	(void)state;
	rmx_unbound_options_init(&opt);
	assert_null(opt.server);
	assert_false(opt.stub);
	assert_null(opt.trust_anchor_file);
	assert_int_equal(opt.query_timeout_ms, 0);
	assert_true(opt.use_system_config);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r;
		res = NULL;
		memset(&diag, 0, sizeof(diag));
		opt.server = cases[i].server;
		r = rmx_unbound_new(&opt, &res, &diag);
		if (cases[i].ok && r != RMX_OK)
			fail_msg("server \"%s\" refused: %s", cases[i].server,
				diag.msg);
		if (!cases[i].ok) {
			if (r != RMX_EINVAL)
				fail_msg("server \"%s\" accepted",
					cases[i].server);
			assert_null(res);
			assert_non_null(strstr(diag.msg, "server"));
		}
		rmx_resolver_free(res);
	}
}

static void test_trust_anchor_missing(void **state)
{
	struct rmx_unbound_options opt;
	struct rmx_resolver *res = NULL;
	struct rmx_diag diag = {0};

	(void)state;
	rmx_unbound_options_init(&opt);
	opt.server = "127.0.0.1";
	opt.trust_anchor_file = "/nonexistent/rmx-ta.key";
	assert_true(rmx_unbound_new(&opt, &res, &diag) < 0);
	assert_null(res);
	assert_non_null(strstr(diag.msg, "/nonexistent/rmx-ta.key"));
	assert_non_null(strstr(diag.msg, "No such file"));
}

static void test_trust_anchor_garbled(void **state)
{
	struct rmx_unbound_options opt;
	struct rmx_resolver *res = NULL;
	struct rmx_diag diag = {0};
	char path[] = "/tmp/rmx-ta-XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_true(write(fd, "example. IN DNSKEY not a key at all\n", 36) ==
		36);
	close(fd);
	rmx_unbound_options_init(&opt);
	opt.server = "127.0.0.1";
	opt.trust_anchor_file = path;
	assert_true(rmx_unbound_new(&opt, &res, &diag) < 0);
	assert_null(res);
	assert_non_null(strstr(diag.msg, path));
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_trust_anchor_missing),
		cmocka_unit_test(test_trust_anchor_garbled),
		cmocka_unit_test_setup_teardown(test_mapping_forwarder,
			setup_fwd, teardown),
		cmocka_unit_test_setup_teardown(
			test_stub_against_non_root_server, setup_stub,
			teardown),
		cmocka_unit_test_setup_teardown(test_malformed_a_says_why,
			setup_fwd, teardown),
		cmocka_unit_test_setup_teardown(test_zero_length_rdata,
			setup_fwd, teardown),
		cmocka_unit_test_setup_teardown(test_parallel_and_pending,
			setup_fwd, teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup_fwd,
			teardown),
		cmocka_unit_test_setup_teardown(test_free_with_pending,
			setup_fwd, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup_fwd,
			teardown),
		cmocka_unit_test_setup_teardown(test_bad_names, setup_fwd,
			teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

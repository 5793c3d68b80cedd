/*
 * fuzz_request.c - libFuzzer target: the request a check starts from
 * (client IP, MAIL FROM, HELO) against an empty zone.
 *
 * Input: "CLIENT_IP\nSENDER\nHELO\nOPTS"; a missing field is NULL (HELO)
 * or "" (sender, client IP).  OPTS' first character picks the methods
 * (bit 0: "spf,rmx" instead of "rmx,spf") and TLS/SASL (bit 1: SHA-1
 * fingerprint, bit 2: SASL).  The resolver is rmx_zone_new's, with no
 * data: every query answers NXDOMAIN.
 *
 * Properties:
 *   - rmx_check_start returns RMX_OK or RMX_EINVAL (a client IP that is
 *     not an address); on RMX_EINVAL done is never called;
 *   - on RMX_OK with *out NULL, done was called before the return;
 *     otherwise done is called exactly once while process() runs, and the
 *     check never waits with no query pending (a stall);
 *   - the result is valid (fuzz_util.h), and with an empty zone it is
 *     "none" (no RMX record, no SPF record) or, for a bad sender domain,
 *     "none" too (RMX.md 2.1) - nothing else can come of no data;
 *   - the zone resolver is left with nothing pending.
 */
#include <rmx/check.h>
#include <rmx/record.h>
#include <rmx/zone.h>

#include "fuzz_util.h"

struct done_state {
	unsigned calls;
	struct rmx_check_result res;
};

static void on_done(void *arg, const struct rmx_check_result *res)
{
	struct done_state *st = arg;

	st->calls++;
	st->res = *res;
}

/* Next field up to '\n' (or the end), as a fresh string; NULL at end. */
static char *next_field(const uint8_t *data, size_t size, size_t *off)
{
	size_t start = *off, end;

	if (start > size)
		return NULL;
	end = start;
	while (end < size && data[end] != '\n')
		end++;
	*off = end + 1;
	return fuzz_strndup(data + start, end - start);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct done_state st;
	struct rmx_request req;
	struct rmx_config cfg;
	struct rmx_zone *zone = NULL;
	struct rmx_resolver *res;
	struct rmx_check *chk = NULL;
	char *ip, *sender, *helo, *opt;
	unsigned opts, rounds = 0;
	size_t off = 0;
	int rc;

	if (size > 4096)
		return 0;
	ip = next_field(data, size, &off);
	sender = next_field(data, size, &off);
	helo = next_field(data, size, &off);
	opt = next_field(data, size, &off);
	opts = opt != NULL ? (unsigned char)opt[0] : 0;

	rc = rmx_zone_new(RMX_TYPE_DEFAULT, &zone);
	FUZZ_ASSERT(rc == RMX_OK && zone != NULL, "rmx_zone_new: %d", rc);
	res = rmx_zone_resolver(zone);

	rmx_config_init(&cfg);
	rc = rmx_config_set_methods(&cfg, (opts & 1) ? "spf,rmx" : "rmx,spf",
		NULL);
	FUZZ_ASSERT(rc == RMX_OK, "rmx_config_set_methods: %d", rc);
	memset(&req, 0, sizeof(req));
	req.client_ip = ip != NULL ? ip : "";
	req.sender = sender != NULL ? sender : "";
	req.helo = helo;
	if (opts & 2) {
		req.tls_fp_alg = 1;
		memset(req.tls_fp, 0x5a, 20);
	}
	req.sasl_authenticated = (opts & 4) != 0;

	memset(&st, 0, sizeof(st));
	rc = rmx_check_start(res, &cfg, &req, on_done, &st, &chk);
	FUZZ_ASSERT(rc == RMX_OK || rc == RMX_EINVAL,
		"rmx_check_start returned %d (%s)", rc, rmx_strerror(rc));
	if (rc != RMX_OK) {
		FUZZ_ASSERT(st.calls == 0, "done called on error return");
		goto out;
	}
	if (chk == NULL)
		FUZZ_ASSERT(st.calls == 1,
			"*out NULL but done called %u times", st.calls);
	while (st.calls == 0) {
		FUZZ_ASSERT(res->ops->pending(res) > 0,
			"stall: check not done, nothing pending");
		FUZZ_ASSERT(++rounds < 1000, "check still running after "
			"1000 rounds");
		rc = rmx_resolver_process(res, 0);
		FUZZ_ASSERT(rc >= 0, "zone process() returned %d", rc);
	}
	FUZZ_ASSERT(st.calls == 1, "done called %u times", st.calls);
	fuzz_check_result(&st.res);
	FUZZ_ASSERT(st.res.result == RMX_RESULT_NONE,
		"empty zone gave %s (reason \"%s\")",
		rmx_result_str(st.res.result), st.res.reason);
	FUZZ_ASSERT(res->ops->pending(res) == 0,
		"%zu queries pending after the check ended",
		res->ops->pending(res));
out:
	rmx_zone_free(zone);
	free(ip);
	free(sender);
	free(helo);
	free(opt);
	return 0;
}

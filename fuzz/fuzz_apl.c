/*
 * fuzz_apl.c - libFuzzer target: APL RDATA (RFC 3123) from the wire, and
 * the same octets as APL text.
 *
 * Wire properties (input = RDATA, copied to a buffer of exactly its size):
 *   - rmx_apl_check never reads outside; on error diag->offset <= len;
 *   - valid RDATA iterates item by item to its exact end, each item's
 *     AFDPART inside the buffer, afdlen <= 127 (<= 4 / 16 for families
 *     1 / 2);
 *   - valid RDATA prints (rmx_apl_to_text), a buffer one octet short gives
 *     RMX_ESPACE, and the text parses back (rmx_apl_from_text).
 *   - Round trip: RFC 3123 4.1 has the encoder drop trailing zero octets of
 *     AFDPART, and apl.c does; a decoder accepts them.  So wire -> text ->
 *     wire gives the same octets only when the input had no trailing zero
 *     octets; otherwise it may be shorter.  What must always hold: the
 *     second round is exact (wire2 -> text2 == text, text2 -> wire3 ==
 *     wire2), and if the input had no trailing zero octet in any AFDPART
 *     the first round is exact too.
 * Text properties (input as a C string): rmx_apl_from_text gives RDATA that
 * rmx_apl_check accepts, and that RDATA is stable under to_text/from_text.
 */
#include <rmx/record.h>

#include "fuzz_util.h"

#define APL_TEXT_MAX (256 * 1024)

static char *print_apl(const uint8_t *rdata, size_t len, size_t *textlen)
{
	/* An item is at least 4 octets; its text at most ~5 + 2*127 + 8. */
	size_t cap = (len / 4 + 1) * 300 + 1;
	char *buf = malloc(cap), *small;
	struct rmx_diag diag;
	size_t got;
	int rc;

	if (buf == NULL)
		abort();
	memset(&diag, 0, sizeof(diag));
	rc = rmx_apl_to_text(rdata, len, buf, cap, textlen, &diag);
	if (rc != RMX_OK) {
		hexdump_stderr("apl", rdata, len);
		fuzz_fail("rmx_apl_to_text refused valid APL: %s (%s)",
			rmx_strerror(rc), diag.msg);
	}
	FUZZ_ASSERT(*textlen < cap && strlen(buf) == *textlen &&
		fuzz_printable(buf), "rmx_apl_to_text length/printable");
	small = malloc(*textlen > 0 ? *textlen : 1);
	if (small == NULL)
		abort();
	rc = rmx_apl_to_text(rdata, len, small, *textlen, &got, NULL);
	FUZZ_ASSERT(rc == RMX_ESPACE,
		"rmx_apl_to_text into a short buffer: %s", rmx_strerror(rc));
	free(small);
	return buf;
}

static uint8_t *parse_apl(const char *text, size_t *outlen)
{
	uint8_t *out = malloc(RMX_RDATA_MAX);
	struct rmx_diag diag;
	int rc;

	if (out == NULL)
		abort();
	memset(&diag, 0, sizeof(diag));
	rc = rmx_apl_from_text(text, out, RMX_RDATA_MAX, outlen, &diag);
	if (rc != RMX_OK)
		fuzz_fail("rmx_apl_from_text refused printed \"%s\": %s (%s)",
			text, rmx_strerror(rc), diag.msg);
	return out;
}

/* Iterate valid APL; true when some AFDPART ends in a zero octet. */
static bool iterate_apl(const uint8_t *rdata, size_t len)
{
	struct rmx_apl_iter it;
	struct rmx_apl_item item;
	bool trailing_zero = false;
	size_t n = 0;
	int rc;

	rmx_apl_iter_init(&it, rdata, len);
	while ((rc = rmx_apl_iter_next(&it, &item)) == 1) {
		FUZZ_ASSERT(item.afdlen <= 127, "afdlen %u", item.afdlen);
		FUZZ_ASSERT(item.afdlen == 0 || (item.afd >= rdata &&
			(size_t)(item.afd - rdata) <= len &&
			len - (size_t)(item.afd - rdata) >= item.afdlen),
			"item %zu AFDPART outside the RDATA", n);
		if (item.family == 1)
			FUZZ_ASSERT(item.afdlen <= 4 && item.prefix <= 32,
				"IPv4 item %zu afdlen %u prefix %u", n,
				item.afdlen, item.prefix);
		if (item.family == 2)
			FUZZ_ASSERT(item.afdlen <= 16 && item.prefix <= 128,
				"IPv6 item %zu afdlen %u prefix %u", n,
				item.afdlen, item.prefix);
		if (item.afdlen > 0 && item.afd[item.afdlen - 1] == 0)
			trailing_zero = true;
		n++;
		FUZZ_ASSERT(n <= len / 4, "more items than octets allow");
	}
	FUZZ_ASSERT(rc == 0, "rmx_apl_iter_next: %d on valid APL", rc);
	return trailing_zero;
}

static void check_valid_apl(const uint8_t *rdata, size_t len)
{
	size_t textlen, textlen2, len2, len3;
	uint8_t *wire2, *wire3;
	char *text, *text2;
	bool trailing_zero = iterate_apl(rdata, len);

	text = print_apl(rdata, len, &textlen);
	wire2 = parse_apl(text, &len2);
	FUZZ_ASSERT(rmx_apl_check(wire2, len2, NULL) == RMX_OK,
		"APL parsed from \"%s\" fails rmx_apl_check", text);
	if (!trailing_zero &&
	    (len2 != len || memcmp(rdata, wire2, len) != 0)) {
		hexdump_stderr("input", rdata, len);
		hexdump_stderr("again", wire2, len2);
		fuzz_fail("APL wire -> \"%s\" -> wire differs", text);
	}
	FUZZ_ASSERT(len2 <= len, "APL grew on the round trip");
	text2 = print_apl(wire2, len2, &textlen2);
	FUZZ_ASSERT(strcmp(text, text2) == 0,
		"APL text not stable: \"%s\" then \"%s\"", text, text2);
	wire3 = parse_apl(text2, &len3);
	FUZZ_ASSERT(len3 == len2 && memcmp(wire2, wire3, len2) == 0,
		"APL wire not stable on the second round of \"%s\"", text2);
	free(wire3);
	free(text2);
	free(wire2);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rmx_diag diag;
	uint8_t *rdata, *out;
	size_t outlen = 0;
	char *text;
	int rc;

	if (size > RMX_RDATA_MAX)
		return 0;
	rdata = malloc(size > 0 ? size : 1);
	if (rdata == NULL)
		abort();
	if (size > 0)
		memcpy(rdata, data, size);
	memset(&diag, 0, sizeof(diag));
	rc = rmx_apl_check(rdata, size, &diag);
	FUZZ_ASSERT(rc == RMX_OK || rc == RMX_EMALFORMED,
		"rmx_apl_check returned %d", rc);
	if (rc == RMX_OK) {
		check_valid_apl(rdata, size);
	} else {
		fuzz_check_diag(&diag, "rmx_apl_check");
		FUZZ_ASSERT(diag.offset <= size, "diag offset %zu past %zu",
			diag.offset, size);
	}
	free(rdata);

	if (size > APL_TEXT_MAX)
		return 0;
	text = fuzz_strndup(data, size);
	out = malloc(RMX_RDATA_MAX);
	if (out == NULL)
		abort();
	rc = rmx_apl_from_text(text, out, RMX_RDATA_MAX, &outlen, &diag);
	FUZZ_ASSERT(rc == RMX_OK || rc == RMX_EMALFORMED || rc == RMX_ESPACE,
		"rmx_apl_from_text returned %d", rc);
	if (rc == RMX_OK) {
		FUZZ_ASSERT(outlen <= RMX_RDATA_MAX, "outlen %zu", outlen);
		FUZZ_ASSERT(rmx_apl_check(out, outlen, &diag) == RMX_OK,
			"APL from \"%s\" fails rmx_apl_check: %s", text,
			diag.msg);
		check_valid_apl(out, outlen);
	} else {
		fuzz_check_diag(&diag, "rmx_apl_from_text");
	}
	free(out);
	free(text);
	return 0;
}

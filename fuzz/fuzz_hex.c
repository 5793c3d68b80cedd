/*
 * fuzz_hex.c - libFuzzer target: hex text, bare or RFC 3597 "\# LEN HEX"
 * (rmx_hex_decode, what `rmx record decode` and zone files read).
 *
 * Input: the text (made a C string).  Decoded twice: into a buffer big
 * enough for anything, and into one of exactly the decoded length minus
 * one (malloc'd to size: a write past it is caught by ASan).
 * Properties:
 *   - RMX_OK, RMX_EMALFORMED (diag->offset within the text) or, only for
 *     the short buffer, RMX_ESPACE;
 *   - the decoded length is at most half the text;
 *   - the octets encode (rmx_hex_encode into exactly 2*len+1) to
 *     lower-case hex that decodes to the same octets, and "\# LEN HEX" of
 *     them decodes to the same octets too;
 *   - an encode buffer one octet short is refused (RMX_ESPACE).
 */
#include <rmx/record.h>

#include "fuzz_util.h"

#define HEX_TEXT_MAX 8192

static void decode_again(const char *text, const uint8_t *want, size_t len)
{
	uint8_t *out = malloc(len + 1);
	struct rmx_diag diag;
	size_t outlen = 0;
	int rc;

	if (out == NULL)
		abort();
	rc = rmx_hex_decode(text, out, len + 1, &outlen, &diag);
	if (rc != RMX_OK)
		fuzz_fail("encoded \"%.80s\" does not decode: %s", text,
			diag.msg);
	FUZZ_ASSERT(outlen == len && (len == 0 || memcmp(out, want, len) == 0),
		"hex round trip differs for \"%.80s\"", text);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rmx_diag diag;
	uint8_t *out, *small;
	size_t outlen = 0, smalllen = 0, textlen;
	char *text, *hex, *generic;
	int rc;

	if (size > HEX_TEXT_MAX)
		return 0;
	text = fuzz_strndup(data, size);
	textlen = strlen(text);
	out = malloc(textlen / 2 + 1);
	if (out == NULL)
		abort();
	memset(&diag, 0, sizeof(diag));
	rc = rmx_hex_decode(text, out, textlen / 2 + 1, &outlen, &diag);
	FUZZ_ASSERT(rc == RMX_OK || rc == RMX_EMALFORMED,
		"rmx_hex_decode returned %d (%s)", rc, diag.msg);
	if (rc != RMX_OK) {
		fuzz_check_diag(&diag, "rmx_hex_decode");
		FUZZ_ASSERT(diag.offset <= textlen, "diag offset %zu past %zu",
			diag.offset, textlen);
		goto out;
	}
	FUZZ_ASSERT(outlen <= textlen / 2, "%zu octets from %zu characters",
		outlen, textlen);
	if (outlen > 0) {
		small = malloc(outlen - 1 > 0 ? outlen - 1 : 1);
		if (small == NULL)
			abort();
		rc = rmx_hex_decode(text, small, outlen - 1, &smalllen, &diag);
		FUZZ_ASSERT(rc == RMX_ESPACE,
			"%zu octets into %zu: %s", outlen, outlen - 1,
			rmx_strerror(rc));
		free(small);
	}
	hex = malloc(2 * outlen + 1);
	generic = malloc(2 * outlen + 32);
	if (hex == NULL || generic == NULL)
		abort();
	rc = rmx_hex_encode(out, outlen, hex, 2 * outlen + 1);
	FUZZ_ASSERT(rc == RMX_OK && strlen(hex) == 2 * outlen,
		"rmx_hex_encode: %d", rc);
	if (outlen > 0) {
		char *tiny = malloc(2 * outlen);

		if (tiny == NULL)
			abort();
		rc = rmx_hex_encode(out, outlen, tiny, 2 * outlen);
		FUZZ_ASSERT(rc == RMX_ESPACE,
			"rmx_hex_encode into a short buffer: %d", rc);
		free(tiny);
	}
	decode_again(hex, out, outlen);
	snprintf(generic, 2 * outlen + 32, "\\# %zu %s", outlen, hex);
	decode_again(generic, out, outlen);
	free(generic);
	free(hex);
out:
	free(out);
	free(text);
	return 0;
}

/*
 * fuzz_name.c - libFuzzer target: domain names, wire and text
 * (rmx/name.h).
 *
 * The input is tried both ways.
 * As wire (copied to a buffer of exactly its size):
 *   - rmx_name_wire_check reads nothing outside; on success *namelen is
 *     1..255 and <= the input, the last label of the name is the root;
 *   - the name prints (RMX_NAME_MAXTEXT suffices), one octet less is
 *     RMX_ESPACE, the text is printable and ends with '.';
 *   - the text parses back to the same name up to ASCII case
 *     (rmx_name_equal, and octet-wise), and prints identically again.
 * As text (first octet picks an origin, the rest is the name text, not
 * NUL-terminated: a buffer of exactly its size):
 *   - rmx_name_from_text gives RMX_OK or RMX_EMALFORMED with diag->offset
 *     inside the text; a name it gives passes rmx_name_wire_check with the
 *     same length and round-trips through canonical text;
 *   - every valid name is a subdomain of itself and of the root;
 *   - rmx_text_read_escape at every backslash returns -1 or 0..255 and
 *     advances within the text.
 */
#include <ctype.h>
#include <rmx/name.h>

#include "fuzz_util.h"

static const char *const origins[] = {
	NULL, "", ".", "example.com.", "Example.COM", "a\\.b.example.",
	"x.", "@",
};

static void roundtrip_wire(const uint8_t *wire, size_t namelen)
{
	char text[RMX_NAME_MAXTEXT], text2[RMX_NAME_MAXTEXT], *small;
	uint8_t wire2[RMX_NAME_MAXWIRE];
	size_t textlen = 0, len2 = 0, textlen2 = 0, got, i;
	struct rmx_diag diag;
	int rc;

	rc = rmx_name_to_text(wire, namelen, text, sizeof(text), &textlen);
	FUZZ_ASSERT(rc == RMX_OK, "rmx_name_to_text: %s", rmx_strerror(rc));
	FUZZ_ASSERT(textlen == strlen(text) && textlen > 0 &&
		text[textlen - 1] == '.' && fuzz_printable(text),
		"name text \"%s\" malformed", text);
	small = malloc(textlen);
	if (small == NULL)
		abort();
	rc = rmx_name_to_text(wire, namelen, small, textlen, &got);
	FUZZ_ASSERT(rc == RMX_ESPACE, "rmx_name_to_text short buffer: %s",
		rmx_strerror(rc));
	free(small);

	memset(&diag, 0, sizeof(diag));
	rc = rmx_name_from_text(text, textlen, NULL, wire2, &len2, &diag);
	if (rc != RMX_OK)
		fuzz_fail("printed name \"%s\" does not parse: %s", text,
			diag.msg);
	FUZZ_ASSERT(len2 == namelen, "\"%s\": %zu octets, then %zu", text,
		namelen, len2);
	for (i = 0; i < namelen; i++)
		FUZZ_ASSERT(tolower(wire[i]) == wire2[i],
			"\"%s\" round trip: octet %zu %02x then %02x", text, i,
			wire[i], wire2[i]);
	FUZZ_ASSERT(rmx_name_equal(wire, namelen, wire2, len2),
		"rmx_name_equal false after round trip of \"%s\"", text);
	FUZZ_ASSERT(rmx_name_is_subdomain(wire, namelen, wire2, len2),
		"name not a subdomain of itself: \"%s\"", text);
	FUZZ_ASSERT(rmx_name_is_subdomain(wire, namelen,
		(const uint8_t *)"", 1), "\"%s\" not below the root", text);
	rc = rmx_name_to_text(wire2, len2, text2, sizeof(text2), &textlen2);
	FUZZ_ASSERT(rc == RMX_OK && strcmp(text, text2) == 0,
		"name text not stable: \"%s\" then \"%s\"", text, text2);
}

static void try_wire(const uint8_t *data, size_t size)
{
	uint8_t *wire = malloc(size > 0 ? size : 1);
	struct rmx_diag diag;
	size_t namelen = 0;
	int rc;

	if (wire == NULL)
		abort();
	if (size > 0)
		memcpy(wire, data, size);
	memset(&diag, 0, sizeof(diag));
	rc = rmx_name_wire_check(wire, size, &namelen, &diag);
	FUZZ_ASSERT(rc == RMX_OK || rc == RMX_EMALFORMED,
		"rmx_name_wire_check returned %d", rc);
	if (rc == RMX_OK) {
		FUZZ_ASSERT(namelen >= 1 && namelen <= RMX_NAME_MAXWIRE &&
			namelen <= size && wire[namelen - 1] == 0,
			"namelen %zu of %zu", namelen, size);
		roundtrip_wire(wire, namelen);
	} else {
		fuzz_check_diag(&diag, "rmx_name_wire_check");
		FUZZ_ASSERT(diag.offset <= size, "diag offset %zu past %zu",
			diag.offset, size);
	}
	free(wire);
}

static void try_text(const uint8_t *data, size_t size)
{
	const char *origin;
	uint8_t wire[RMX_NAME_MAXWIRE];
	size_t wirelen = 0, namelen = 0, pos, textlen;
	struct rmx_diag diag;
	char *text;
	int rc;

	if (size < 1)
		return;
	origin = origins[data[0] % (sizeof(origins) / sizeof(origins[0]))];
	textlen = size - 1;
	text = malloc(textlen > 0 ? textlen : 1);
	if (text == NULL)
		abort();
	if (textlen > 0)
		memcpy(text, data + 1, textlen);

	for (pos = 0; pos < textlen; pos++) {
		if (text[pos] == '\\') {
			size_t p = pos;
			int c = rmx_text_read_escape(text, textlen, &p);

			FUZZ_ASSERT(c >= -1 && c <= 255, "escape value %d", c);
			if (c >= 0)
				FUZZ_ASSERT(p > pos + 1 && p <= textlen,
					"escape at %zu advanced to %zu of %zu",
					pos, p, textlen);
		}
	}

	memset(&diag, 0, sizeof(diag));
	rc = rmx_name_from_text(text, textlen, origin, wire, &wirelen, &diag);
	FUZZ_ASSERT(rc == RMX_OK || rc == RMX_EMALFORMED,
		"rmx_name_from_text returned %d", rc);
	if (rc == RMX_OK) {
		FUZZ_ASSERT(wirelen >= 1 && wirelen <= RMX_NAME_MAXWIRE,
			"wirelen %zu", wirelen);
		rc = rmx_name_wire_check(wire, wirelen, &namelen, &diag);
		FUZZ_ASSERT(rc == RMX_OK && namelen == wirelen,
			"parsed name fails rmx_name_wire_check (%zu/%zu): %s",
			namelen, wirelen, diag.msg);
		roundtrip_wire(wire, wirelen);
	} else {
		fuzz_check_diag(&diag, "rmx_name_from_text");
		FUZZ_ASSERT(diag.offset <= textlen,
			"diag offset %zu past the text (%zu)", diag.offset,
			textlen);
	}
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	try_wire(data, size);
	try_text(data, size);
	return 0;
}

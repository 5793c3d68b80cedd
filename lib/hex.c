/*
 * hex.c - hexadecimal octets, bare or in RFC 3597 "\# LEN HEX" form.
 *
 * Offers (rmx/record.h): rmx_hex_decode, which reads hex digit pairs with
 * optional blanks (space, tab, CR, LF) between pairs, and when the text
 * starts with "\#" (followed by a blank) reads the decimal LEN first and
 * checks that exactly LEN octets follow; rmx_hex_encode, lower-case hex.
 *
 * Bad input: RMX_EMALFORMED with diag->offset the character offset of the
 * fault (a non-hex character, a lone digit, a missing or wrong LEN);
 * RMX_ESPACE (diag set too) when the octets do not fit the caller's buffer.
 *
 * Does not: accept "0x" prefixes or blanks inside a digit pair.
 */
#include <rmx/record.h>

#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

#define hex_fault(diag, rc, offset, ...) \
	diag_fail((diag), (rc), (offset), __VA_ARGS__)

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int hex_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t skip_blanks(const char *text, size_t pos)
{
	while (is_blank(text[pos]))
		pos++;
	return pos;
}

/* Read "\# LEN" at text[*pos]; *want gets LEN. */
static int read_generic_length(const char *text, size_t *pos, size_t *want,
	struct rmx_diag *diag)
{
	size_t p = *pos + 2, start, v = 0;

	if (!is_blank(text[p]))
		return hex_fault(diag, RMX_EMALFORMED, p,
			"expected a blank after \\#");
	start = p = skip_blanks(text, p);
	while (text[p] >= '0' && text[p] <= '9') {
		v = v * 10 + (size_t)(text[p] - '0');
		if (v > RMX_RDATA_MAX)
			return hex_fault(diag, RMX_EMALFORMED, start,
				"length after \\# over %d", RMX_RDATA_MAX);
		p++;
	}
	if (p == start || (text[p] != '\0' && !is_blank(text[p])))
		return hex_fault(diag, RMX_EMALFORMED, start,
			"expected a decimal length after \\#");
	*want = v;
	*pos = p;
	return RMX_OK;
}

int rmx_hex_decode(const char *text, uint8_t *out, size_t cap, size_t *outlen,
	struct rmx_diag *diag)
{
	size_t pos = skip_blanks(text, 0), len = 0, want = 0;
	bool generic = text[pos] == '\\' && text[pos + 1] == '#';
	int rc;

	if (generic) {
		rc = read_generic_length(text, &pos, &want, diag);
		if (rc != RMX_OK)
			return rc;
	}
	for (pos = skip_blanks(text, pos); text[pos] != '\0';
	     pos = skip_blanks(text, pos)) {
		int hi = hex_digit_value(text[pos]), lo;

		if (hi < 0)
			return hex_fault(diag, RMX_EMALFORMED, pos,
				"'%c' is not a hex digit",
				text[pos] > 0x20 && text[pos] < 0x7f ? text[pos] : '?');
		lo = hex_digit_value(text[pos + 1]);
		if (lo < 0)
			return hex_fault(diag, RMX_EMALFORMED, pos,
				"odd number of hex digits (lone digit '%c')",
				text[pos]);
		if (len == cap)
			return hex_fault(diag, RMX_ESPACE, pos,
				"more than %zu octets", cap);
		out[len++] = (uint8_t)(hi << 4 | lo);
		pos += 2;
	}
	if (generic && len != want)
		return hex_fault(diag, RMX_EMALFORMED, pos,
			"\\# says %zu octets, %zu follow", want, len);
	*outlen = len;
	return RMX_OK;
}

int rmx_hex_encode(const uint8_t *in, size_t len, char *buf, size_t cap)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	if (cap == 0 || (cap - 1) / 2 < len)
		return RMX_ESPACE;
	for (i = 0; i < len; i++) {
		buf[2 * i] = digits[in[i] >> 4];
		buf[2 * i + 1] = digits[in[i] & 0xf];
	}
	buf[2 * len] = '\0';
	return RMX_OK;
}

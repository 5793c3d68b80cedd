/*
 * fuzz_rdata.h - the RMX RDATA properties shared by fuzz_rmx_rdata.c and
 * fuzz_rmx_text.c.
 *
 * For RDATA that rmx_rdata_check(.., 0, ..) accepts:
 *   - the iterator walks it entry by entry, contiguously, each entry inside
 *     the buffer, and ends exactly at its end;
 *   - each entry prints (rmx_entry_to_text) within RMX_ENTRY_MAXTEXT, and
 *     the entries joined by single spaces are rmx_rdata_to_text's output;
 *   - printing into a buffer one octet too small gives RMX_ESPACE (and no
 *     overrun: the buffer is malloc'd to size, ASan watches it);
 *   - wire -> text -> wire gives the same octets except for ASCII letter
 *     case (names print in lower case, record.c), and a second round is
 *     exact: text2 == text, wire3 == wire2.
 */
#ifndef RMX_FUZZ_RDATA_H
#define RMX_FUZZ_RDATA_H

#include <ctype.h>
#include <rmx/record.h>

#include "fuzz_util.h"

/* Octets equal, or equal but for ASCII letter case. */
static bool equal_but_case(const uint8_t *a, const uint8_t *b, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (a[i] != b[i] && tolower(a[i]) != tolower(b[i]))
			return false;
	return true;
}

/* Text of valid RDATA into a fresh buffer; fails the property if the
 * library refuses RDATA that rmx_rdata_check accepted. */
static char *print_rdata(const uint8_t *rdata, size_t len, size_t *textlen)
{
	struct rmx_iter it;
	struct rmx_entry e;
	size_t nentries = 0, cap;
	struct rmx_diag diag;
	char *buf;
	int rc;

	rmx_iter_init(&it, rdata, len);
	while (rmx_iter_next(&it, &e) == 1)
		nentries++;
	cap = nentries * (RMX_ENTRY_MAXTEXT + 1) + 1;
	buf = malloc(cap);
	if (buf == NULL)
		abort();
	memset(&diag, 0, sizeof(diag));
	rc = rmx_rdata_to_text(rdata, len, buf, cap, textlen, &diag);
	if (rc != RMX_OK) {
		hexdump_stderr("rdata", rdata, len);
		fuzz_fail("rmx_rdata_to_text refused valid RDATA: %s (%s)",
			rmx_strerror(rc), diag.msg);
	}
	FUZZ_ASSERT(*textlen < cap && strlen(buf) == *textlen,
		"rmx_rdata_to_text: textlen %zu, strlen %zu, cap %zu",
		*textlen, strlen(buf), cap);
	return buf;
}

/* Walk valid RDATA with the iterator; compare with the whole text. */
static void check_entries(const uint8_t *rdata, size_t len, const char *text)
{
	struct rmx_iter it;
	struct rmx_entry e;
	size_t expect_off = 0, textpos = 0, n = 0;
	char ebuf[RMX_ENTRY_MAXTEXT];
	int rc;

	rmx_iter_init(&it, rdata, len);
	while ((rc = rmx_iter_next(&it, &e)) == 1) {
		size_t elen = 0;

		FUZZ_ASSERT(e.offset == expect_off,
			"entry %zu at offset %zu, expected %zu", n, e.offset,
			expect_off);
		FUZZ_ASSERT(len - e.offset >= 2 &&
			len - e.offset - 2 >= e.len,
			"entry %zu overruns the RDATA", n);
		FUZZ_ASSERT(e.data == rdata + e.offset + 2,
			"entry %zu data does not point into the RDATA", n);
		FUZZ_ASSERT(e.type == (rdata[e.offset] & 0x7f) &&
			e.negated == ((rdata[e.offset] & 0x80) != 0) &&
			e.len == rdata[e.offset + 1],
			"entry %zu header decoded wrong", n);
		rc = rmx_entry_to_text(&e, ebuf, sizeof(ebuf), &elen);
		FUZZ_ASSERT(rc == RMX_OK, "rmx_entry_to_text entry %zu: %s",
			n, rmx_strerror(rc));
		FUZZ_ASSERT(elen < sizeof(ebuf) && strlen(ebuf) == elen,
			"rmx_entry_to_text length");
		FUZZ_ASSERT(elen > 0 && fuzz_printable(ebuf),
			"entry %zu text \"%s\" empty or unprintable", n, ebuf);
		if (n > 0) {
			FUZZ_ASSERT(text[textpos] == ' ',
				"entries not separated by one space");
			textpos++;
		}
		FUZZ_ASSERT(strncmp(text + textpos, ebuf, elen) == 0,
			"entry %zu text \"%s\" differs from the RDATA text",
			n, ebuf);
		textpos += elen;
		expect_off = e.offset + 2 + e.len;
		n++;
	}
	FUZZ_ASSERT(rc == 0, "rmx_iter_next: %d on valid RDATA", rc);
	FUZZ_ASSERT(expect_off == len, "iteration ended at %zu of %zu",
		expect_off, len);
	FUZZ_ASSERT(text[textpos] == '\0', "RDATA text has extra \"%s\"",
		text + textpos);
}

/* Text one octet too small must give RMX_ESPACE, never an overrun. */
static void check_short_buffer(const uint8_t *rdata, size_t len,
	size_t textlen)
{
	char *small = malloc(textlen > 0 ? textlen : 1);
	size_t got = 0;
	int rc;

	if (small == NULL)
		abort();
	rc = rmx_rdata_to_text(rdata, len, small, textlen, &got, NULL);
	FUZZ_ASSERT(rc == RMX_ESPACE,
		"rmx_rdata_to_text into %zu octets for %zu of text: %s",
		textlen, textlen, rmx_strerror(rc));
	free(small);
}

static uint8_t *parse_rdata(const char *text, size_t *outlen)
{
	uint8_t *out = malloc(RMX_RDATA_MAX);
	struct rmx_diag diag;
	int rc;

	if (out == NULL)
		abort();
	memset(&diag, 0, sizeof(diag));
	rc = rmx_rdata_from_text(text, NULL, out, RMX_RDATA_MAX, outlen,
		&diag);
	if (rc != RMX_OK)
		fuzz_fail("rmx_rdata_from_text refused printed text \"%s\": "
			"%s (%s)", text, rmx_strerror(rc), diag.msg);
	return out;
}

/* All properties of valid RDATA (see the top of this file). */
static void check_valid_rdata(const uint8_t *rdata, size_t len)
{
	size_t textlen, len2, len3, textlen2;
	uint8_t *wire2, *wire3;
	char *text, *text2;

	text = print_rdata(rdata, len, &textlen);
	check_entries(rdata, len, text);
	check_short_buffer(rdata, len, textlen);

	wire2 = parse_rdata(text, &len2);
	if (len2 != len || !equal_but_case(rdata, wire2, len)) {
		hexdump_stderr("input", rdata, len);
		hexdump_stderr("again", wire2, len2);
		fuzz_fail("wire -> text \"%s\" -> wire differs", text);
	}
	FUZZ_ASSERT(rmx_rdata_check(wire2, len2, 0, NULL) == RMX_OK,
		"RDATA parsed from \"%s\" fails rmx_rdata_check", text);
	text2 = print_rdata(wire2, len2, &textlen2);
	FUZZ_ASSERT(strcmp(text, text2) == 0,
		"text not stable: \"%s\" then \"%s\"", text, text2);
	wire3 = parse_rdata(text2, &len3);
	FUZZ_ASSERT(len3 == len2 && memcmp(wire2, wire3, len2) == 0,
		"wire not stable on the second round of \"%s\"", text2);
	free(wire3);
	free(text2);
	free(wire2);
	free(text);
}

#endif

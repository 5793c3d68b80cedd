/*
 * apl.c - APL RDATA (RFC 3123), the address lists an `apl` entry names.
 *
 * Offers (rmx/record.h): rmx_apl_check validates a whole RDATA; an
 * in-place iterator over its items; text <-> wire in RFC 3123 form,
 * "1:192.0.2.0/24 !2:2001:db8::/32".  Encoding drops trailing zero octets
 * of AFDPART as RFC 3123 4.1 requires.
 *
 * Items of families other than 1 (IPv4) and 2 (IPv6) are valid and
 * returned by the iterator (consumers skip them).  Their text form is our
 * own, since RFC 3123 defines none: "F:HEX/PREFIX" with F the decimal
 * family and HEX the AFDPART octets (empty for none), e.g. "3:0a01/16",
 * "!3:/0"; it is accepted on input so that every valid RDATA round-trips.
 *
 * Bad input: RMX_EMALFORMED with diag->msg "item 2 at octet 8: prefix 33
 * out of range 0-32" and diag->offset the octet at fault; text errors
 * quote the item and give its character offset.  RMX_ESPACE when the
 * output does not fit.
 *
 * Does not: insist on AFDPART without trailing zeros when decoding, or on
 * address bits past the prefix being zero (RFC 3123 asks neither of a
 * receiver; matching reads only the prefix bits).
 */
#include <rmx/record.h>

#include "diag.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define APL_HEADER 4 /* ADDRESSFAMILY(2) PREFIX(1) N|AFDLENGTH(1) */

/* A fault in APL data or text: offset and message in diag. */
#define apl_fault(diag, offset, ...) \
	diag_fail((diag), RMX_EMALFORMED, (offset), __VA_ARGS__)

/* Address width in octets of a known family, 0 for an unknown one. */
static size_t family_octets(unsigned family)
{
	return family == 1 ? 4 : family == 2 ? 16 : 0;
}

/* Read the item at it->off and check it; index is for messages. */
static int read_item(struct rmx_apl_iter *it, struct rmx_apl_item *item,
	unsigned index, struct rmx_diag *diag)
{
	const uint8_t *p = it->rdata + it->off;
	size_t left = it->len - it->off, width;

	if (left == 0)
		return 0;
	if (left < APL_HEADER)
		return apl_fault(diag, it->off, "item %u at octet %zu: header "
			"needs %d octets, %zu left", index, it->off, APL_HEADER,
			left);
	item->family = (uint16_t)(p[0] << 8 | p[1]);
	item->prefix = p[2];
	item->negated = (p[3] & 0x80) != 0;
	item->afdlen = p[3] & 0x7f;
	item->afd = p + APL_HEADER;
	if (left - APL_HEADER < item->afdlen)
		return apl_fault(diag, it->off + 3, "item %u at octet %zu: "
			"AFDLENGTH %u runs past the end (%zu octets left)",
			index, it->off, item->afdlen, left - APL_HEADER);
	width = family_octets(item->family);
	if (width > 0 && item->prefix > 8 * width)
		return apl_fault(diag, it->off + 2, "item %u at octet %zu: "
			"prefix %u out of range 0-%zu", index, it->off,
			item->prefix, 8 * width);
	if (width > 0 && item->afdlen > width)
		return apl_fault(diag, it->off + 3, "item %u at octet %zu: "
			"AFDLENGTH %u over %zu for family %u", index, it->off,
			item->afdlen, width, item->family);
	it->off += APL_HEADER + (size_t)item->afdlen;
	return 1;
}

void rmx_apl_iter_init(struct rmx_apl_iter *it, const uint8_t *rdata,
	size_t len)
{
	it->rdata = rdata;
	it->len = len;
	it->off = 0;
}

int rmx_apl_iter_next(struct rmx_apl_iter *it, struct rmx_apl_item *item)
{
	return read_item(it, item, 0, NULL);
}

int rmx_apl_check(const uint8_t *rdata, size_t len, struct rmx_diag *diag)
{
	struct rmx_apl_iter it;
	struct rmx_apl_item item;
	unsigned index = 0;
	int rc;

	rmx_apl_iter_init(&it, rdata, len);
	while ((rc = read_item(&it, &item, ++index, diag)) == 1)
		;
	return rc;
}

/* Append one item's text to buf[*len..cap); false when it does not fit. */
static bool print_item(const struct rmx_apl_item *item, char *buf,
	size_t cap, size_t *len)
{
	char addr[2 * 127 + 1];
	uint8_t full[16] = {0};
	int n;

	if (family_octets(item->family) > 0) {
		memcpy(full, item->afd, item->afdlen);
		if (inet_ntop(item->family == 1 ? AF_INET : AF_INET6, full,
			    addr, sizeof(addr)) == NULL)
			addr[0] = '\0';
	} else {
		rmx_hex_encode(item->afd, item->afdlen, addr, sizeof(addr));
	}
	n = snprintf(buf + *len, cap - *len, "%s%s%u:%s/%u",
		*len > 0 ? " " : "", item->negated ? "!" : "", item->family,
		addr, item->prefix);
	if (n < 0 || (size_t)n >= cap - *len)
		return false;
	*len += (size_t)n;
	return true;
}

int rmx_apl_to_text(const uint8_t *rdata, size_t len, char *buf, size_t cap,
	size_t *textlen, struct rmx_diag *diag)
{
	struct rmx_apl_iter it;
	struct rmx_apl_item item;
	size_t out = 0;
	int rc = rmx_apl_check(rdata, len, diag);

	if (rc != RMX_OK)
		return rc;
	if (cap == 0)
		return RMX_ESPACE;
	buf[0] = '\0';
	rmx_apl_iter_init(&it, rdata, len);
	while (rmx_apl_iter_next(&it, &item) == 1)
		if (!print_item(&item, buf, cap, &out))
			return RMX_ESPACE;
	if (textlen != NULL)
		*textlen = out;
	return RMX_OK;
}

/* Parse one item "[!]F:ADDR/PREFIX" (a NUL-terminated copy) into wire
 * form at out; *n gets its length.  NULL, or what is wrong. */
static const char *item_from_text(char *text, uint8_t out[APL_HEADER + 127],
	size_t *n)
{
	bool negated = text[0] == '!';
	char *family_text = text + negated, *colon, *slash, *end;
	unsigned long family, prefix;
	uint8_t afd[127];
	size_t afdlen, width;
	struct rmx_diag hd;

	colon = strchr(family_text, ':');
	slash = strrchr(text, '/');
	if (colon == NULL || slash == NULL || slash < colon)
		return "not of the form [!]FAMILY:ADDRESS/PREFIX";
	*colon = *slash = '\0';
	if (family_text[0] < '0' || family_text[0] > '9')
		return "bad address family";
	family = strtoul(family_text, &end, 10);
	if (*end != '\0' || family > 65535)
		return "bad address family";
	if (slash[1] < '0' || slash[1] > '9')
		return "bad prefix length";
	prefix = strtoul(slash + 1, &end, 10);
	if (*end != '\0' || prefix > 255)
		return "bad prefix length";
	width = family_octets((unsigned)family);
	if (width > 0) {
		if (inet_pton(family == 1 ? AF_INET : AF_INET6, colon + 1,
			    afd) != 1)
			return family == 1 ? "bad IPv4 address" :
				"bad IPv6 address";
		if (prefix > 8 * width)
			return "prefix out of range";
		for (afdlen = width; afdlen > 0 && afd[afdlen - 1] == 0;)
			afdlen--;
	} else if (rmx_hex_decode(colon + 1, afd, sizeof(afd), &afdlen,
		&hd) != RMX_OK) {
		return "bad hex address part";
	}
	out[0] = (uint8_t)(family >> 8);
	out[1] = (uint8_t)family;
	out[2] = (uint8_t)prefix;
	out[3] = (uint8_t)((negated ? 0x80 : 0) | afdlen);
	memcpy(out + APL_HEADER, afd, afdlen);
	*n = APL_HEADER + afdlen;
	return NULL;
}

int rmx_apl_from_text(const char *text, uint8_t *out, size_t cap,
	size_t *outlen, struct rmx_diag *diag)
{
	size_t pos = 0, len = 0;

	for (;;) {
		char item[2 * 127 + 16];
		uint8_t wire[APL_HEADER + 127];
		size_t start, n;
		const char *why;

		while (text[pos] == ' ' || text[pos] == '\t')
			pos++;
		if (text[pos] == '\0')
			break;
		start = pos;
		while (text[pos] != '\0' && text[pos] != ' ' &&
		    text[pos] != '\t')
			pos++;
		if (pos - start >= sizeof(item))
			return apl_fault(diag, start, "APL item too long");
		memcpy(item, text + start, pos - start);
		item[pos - start] = '\0';
		why = item_from_text(item, wire, &n);
		if (why != NULL)
			return apl_fault(diag, start, "'%.*s': %s",
				(int)(pos - start), text + start, why);
		if (cap - len < n) {
			apl_fault(diag, start, "APL RDATA longer than %zu "
				"octets", cap);
			return RMX_ESPACE;
		}
		memcpy(out + len, wire, n);
		len += n;
	}
	*outlen = len;
	return RMX_OK;
}

/*
 * name.c - domain names in RFC 1035 wire and presentation form.
 *
 * Offers (rmx/name.h): a validity check for wire names, text -> wire with
 * escapes and an origin for relative names, wire -> canonical text, and
 * ASCII case-insensitive equality and subdomain tests.
 *
 * Bad input: rmx_name_wire_check and rmx_name_from_text return
 * RMX_EMALFORMED with diag->offset at the offending octet or character and
 * diag->msg saying what is wrong (no offsets in the message: callers put
 * the name in context).  rmx_name_to_text returns RMX_ESPACE when the
 * buffer is short, never a cut name.
 *
 * Does not: decompress (a pointer is malformed), check hostname syntax
 * (any octet may be in a label), or keep letter case on output: text is
 * canonical lower case, so wire -> text -> wire keeps every octet except
 * the case of ASCII letters.
 */
#include <rmx/name.h>

#include "diag.h"
#include "name_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define set_fault(diag, offset, ...) \
	diag_fail((diag), RMX_EMALFORMED, (offset), __VA_ARGS__)

static uint8_t ascii_lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + ('a' - 'A')) : c;
}

int rmx_name_wire_check(const uint8_t *wire, size_t avail, size_t *namelen,
	struct rmx_diag *diag)
{
	size_t off = 0;

	for (;;) {
		uint8_t label;

		if (off >= avail)
			return set_fault(diag, off,
				"name runs past the end (no root label)");
		label = wire[off];
		if ((label & 0xc0) == 0xc0)
			return set_fault(diag, off,
				"compression pointer in name");
		if ((label & 0xc0) != 0)
			return set_fault(diag, off,
				"label type 0x%02x is not a plain label", label);
		if (avail - off - 1 < label)
			return set_fault(diag, off,
				"label of %u octets runs past the end", label);
		/* this label, and the root label after it if it is not one */
		if (RMX_NAME_MAXWIRE - off < 1 + (size_t)label + (label > 0))
			return set_fault(diag, off,
				"name longer than %d octets", RMX_NAME_MAXWIRE);
		off += 1 + (size_t)label;
		if (label == 0) {
			*namelen = off;
			return RMX_OK;
		}
	}
}

int rmx_text_read_escape(const char *text, size_t textlen, size_t *pos)
{
	size_t i = *pos + 1;
	unsigned v = 0;
	size_t n;

	if (i >= textlen)
		return -1;
	if (text[i] < '0' || text[i] > '9') {
		*pos = i + 1;
		return (uint8_t)text[i];
	}
	for (n = 0; n < 3; n++, i++) {
		if (i >= textlen || text[i] < '0' || text[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(text[i] - '0');
	}
	if (v > 255)
		return -1;
	*pos = i;
	return (int)v;
}

/* Append the labels of text[0..textlen) to wire[*len..).  *absolute says
 * whether the text ended with an unescaped dot (or was "."). */
static int labels_from_text(const char *text, size_t textlen, uint8_t *wire,
	size_t *len, bool *absolute, struct rmx_diag *diag)
{
	size_t pos = 0, lenpos = *len, label = 0;

	*absolute = false;
	if (textlen == 1 && text[0] == '.') {
		*absolute = true;
		return RMX_OK;
	}
	if (textlen == 0)
		return set_fault(diag, 0, "empty name");
	while (pos < textlen) {
		size_t start = pos;
		int c;

		if (text[pos] == '.') {
			if (label == 0)
				return set_fault(diag, pos, "empty label");
			wire[lenpos] = (uint8_t)label;
			lenpos += 1 + label;
			label = 0;
			pos++;
			if (pos == textlen)
				*absolute = true;
			continue;
		}
		if (text[pos] == '\\') {
			c = rmx_text_read_escape(text, textlen, &pos);
			if (c < 0)
				return set_fault(diag, start, "bad escape");
		} else {
			c = (uint8_t)text[pos++];
		}
		if (label == RMX_LABEL_MAX)
			return set_fault(diag, start,
				"label longer than %d octets", RMX_LABEL_MAX);
		/* room for this octet plus the root label still to come */
		if (RMX_NAME_MAXWIRE - lenpos < label + 3)
			return set_fault(diag, start,
				"name longer than %d octets", RMX_NAME_MAXWIRE);
		wire[lenpos + 1 + label++] = (uint8_t)c;
	}
	if (label > 0) {
		wire[lenpos] = (uint8_t)label;
		lenpos += 1 + label;
	}
	*len = lenpos;
	return RMX_OK;
}

int rmx_name_from_text(const char *text, size_t textlen, const char *origin,
	uint8_t wire[RMX_NAME_MAXWIRE], size_t *wirelen, struct rmx_diag *diag)
{
	size_t len = 0, olen;
	bool absolute;
	int rc;

	if (textlen == 1 && text[0] == '@') {
		text = origin != NULL ? origin : ".";
		textlen = strlen(text);
		origin = NULL;
		if (textlen == 0) {
			text = ".";
			textlen = 1;
		}
	}
	rc = labels_from_text(text, textlen, wire, &len, &absolute, diag);
	if (rc != RMX_OK)
		return rc;
	if (!absolute && origin != NULL && origin[0] != '\0') {
		uint8_t tail[RMX_NAME_MAXWIRE];

		rc = rmx_name_from_text(origin, strlen(origin), NULL, tail,
			&olen, diag);
		if (rc != RMX_OK)
			return set_fault(diag, textlen, "origin is not a name");
		if (RMX_NAME_MAXWIRE - len < olen)
			return set_fault(diag, textlen,
				"name with origin longer than %d octets",
				RMX_NAME_MAXWIRE);
		memcpy(wire + len, tail, olen);
		len += olen;
	} else {
		wire[len++] = 0;
	}
	*wirelen = len;
	return RMX_OK;
}

/* Append one octet of a label in canonical escaped form. */
static size_t escape_octet(uint8_t c, bool first_label_star, char *out)
{
	c = ascii_lower(c);
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
	    c == '_' || c == '/' || first_label_star) {
		out[0] = (char)c;
		return 1;
	}
	if (c > 0x20 && c < 0x7f) {
		out[0] = '\\';
		out[1] = (char)c;
		return 2;
	}
	return (size_t)snprintf(out, 5, "\\%03u", c);
}

/* Octet -> itself in canonical text when it needs no escape (letters
 * lower-cased), 0 otherwise: one load per octet on the common path. */
static const char plain_text[256] = {
	['-'] = '-', ['_'] = '_', ['/'] = '/',
	['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
	['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
	['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e',
	['f'] = 'f', ['g'] = 'g', ['h'] = 'h', ['i'] = 'i', ['j'] = 'j',
	['k'] = 'k', ['l'] = 'l', ['m'] = 'm', ['n'] = 'n', ['o'] = 'o',
	['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't',
	['u'] = 'u', ['v'] = 'v', ['w'] = 'w', ['x'] = 'x', ['y'] = 'y',
	['z'] = 'z',
	['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e',
	['F'] = 'f', ['G'] = 'g', ['H'] = 'h', ['I'] = 'i', ['J'] = 'j',
	['K'] = 'k', ['L'] = 'l', ['M'] = 'm', ['N'] = 'n', ['O'] = 'o',
	['P'] = 'p', ['Q'] = 'q', ['R'] = 'r', ['S'] = 's', ['T'] = 't',
	['U'] = 'u', ['V'] = 'v', ['W'] = 'w', ['X'] = 'x', ['Y'] = 'y',
	['Z'] = 'z',
};

bool name_from_plain_text(const char *name, uint8_t *wire, size_t *len)
{
	size_t lenpos = 0, out = 1, label = 0;
	const char *p = name;

	for (;; p++) {
		unsigned char ch = (unsigned char)*p;
		uint8_t low = (uint8_t)plain_text[ch];

		if (low != 0) {
			/* room for this octet and the root label to come */
			if (label == RMX_LABEL_MAX || out + 1 >= RMX_NAME_MAXWIRE)
				return false;
			wire[out++] = low;
			label++;
			continue;
		}
		if (ch == '.' || ch == '\0') {
			if (label == 0) {
				/* only the end right after a label's dot */
				if (ch == '\0' && p != name)
					break;
				return false;
			}
			wire[lenpos] = (uint8_t)label;
			lenpos = out++;
			label = 0;
			if (ch == '\0')
				break;
			continue;
		}
		return false;
	}
	wire[lenpos] = 0;
	*len = lenpos + 1;
	return true;
}

int rmx_name_to_text(const uint8_t *wire, size_t wirelen, char *buf,
	size_t cap, size_t *textlen)
{
	size_t off = 0, len = 0;

	if (cap == 0)
		return RMX_ESPACE;
	if (wirelen == 0 || wire[0] == 0) {
		if (cap < 2)
			return RMX_ESPACE;
		memcpy(buf, ".", 2);
		len = 1;
	}
	while (off < wirelen && wire[off] != 0) {
		size_t label = wire[off], i;
		bool star = off == 0 && label == 1 && wire[1] == '*';

		for (i = 1; i <= label && off + i < wirelen; i++) {
			char tmp[5];
			size_t n;

			if (plain_text[wire[off + i]] != 0 && cap - len > 1) {
				buf[len++] = plain_text[wire[off + i]];
				continue;
			}
			n = escape_octet(wire[off + i], star, tmp);

			if (cap - len <= n)
				return RMX_ESPACE;
			memcpy(buf + len, tmp, n);
			len += n;
		}
		if (cap - len <= 1)
			return RMX_ESPACE;
		buf[len++] = '.';
		off += 1 + label;
	}
	buf[len] = '\0';
	if (textlen != NULL)
		*textlen = len;
	return RMX_OK;
}

bool rmx_name_equal(const uint8_t *a, size_t alen, const uint8_t *b,
	size_t blen)
{
	size_t i;

	/* Label lengths are below 64, so folding 'A'..'Z' never touches one. */
	if (alen != blen)
		return false;
	for (i = 0; i < alen; i++)
		if (ascii_lower(a[i]) != ascii_lower(b[i]))
			return false;
	return true;
}

bool rmx_name_is_subdomain(const uint8_t *name, size_t namelen,
	const uint8_t *parent, size_t parentlen)
{
	size_t off = 0;

	while (off < namelen && namelen - off > parentlen && name[off] != 0)
		off += 1 + (size_t)name[off];
	return off <= namelen && namelen - off == parentlen &&
		rmx_name_equal(name + off, parentlen, parent, parentlen);
}

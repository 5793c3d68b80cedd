/*
 * spf_parse.c - SPF record text to a plain array of terms (RFC 7208 4.6,
 * 5, 6, 12).
 *
 * spf_record_parse() reads "v=spf1 ..." once and fills a struct
 * spf_record: one struct spf_term per mechanism (qualifier, kind, CIDR
 * lengths, network, domain-spec), and the redirect= and exp= modifiers.
 * Literal domain-specs are finished here (trailing dot dropped, checked as
 * DNS names, query text made), so the evaluator only expands the ones that
 * hold macros.
 *
 * Every syntax rule of the ABNF is checked for the whole record before
 * anything is evaluated: unknown mechanisms, qualifiers on modifiers, bad
 * modifier names, redirect/exp twice, domain-specs that do not end in a
 * macro or a valid toplabel, bad macros (in unknown modifiers too), bad
 * CIDR lengths (including leading zeros), octets outside printable ASCII.
 * Any of them gives RMX_EMALFORMED with the offset of the term and a
 * reason; the evaluator turns that into permerror.
 *
 * Bounds: the record is at most SPF_RECORD_MAX octets (the caller checks;
 * longer text is refused here too), so terms are fewer than 2048; the term
 * array is sized by counting the space-separated tokens first.
 *
 * Does not: decide anything about a client, or touch DNS.
 */
#include "spf.h"

#include <stdio.h>
#include <string.h>

#include <rmx/check.h>

struct parser {
	const char *text;
	size_t len;
	spf_alloc_fn *alloc;
	void *actx;
	struct rmx_diag *diag;
	char *names;        /* NUL-terminated copies of domain-specs */
	size_t names_left;
};

static const struct {
	const char *name;
	uint8_t len;
	enum spf_kind kind;
} mechanisms[] = {
	{"all", 3, SPF_ALL},
	{"include", 7, SPF_INCLUDE},
	{"a", 1, SPF_A},
	{"mx", 2, SPF_MX},
	{"ptr", 3, SPF_PTR},
	{"ip4", 3, SPF_IP4},
	{"ip6", 3, SPF_IP6},
	{"exists", 6, SPF_EXISTS},
};

/* s[0..n) equals lower (lower case letters and digits), ignoring case. */
static bool name_is(const char *s, size_t n, const char *lower, size_t ln)
{
	size_t i;

	if (n != ln)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch >= 'A' && ch <= 'Z')
			ch = (unsigned char)(ch + ('a' - 'A'));
		if (ch != (unsigned char)lower[i])
			return false;
	}
	return true;
}

const char *spf_kind_name(enum spf_kind kind)
{
	size_t i;

	for (i = 0; i < sizeof(mechanisms) / sizeof(mechanisms[0]); i++)
		if (mechanisms[i].kind == kind)
			return mechanisms[i].name;
	return "?";
}


bool spf_is_record(const char *text, size_t len)
{
	return len >= 6 && name_is(text, 6, "v=spf1", 6) &&
		(len == 6 || text[6] == ' ');
}

static int parse_error(struct parser *ps, size_t off, const char *fmt,
	size_t tlen)
{
	/* The term is quoted as written (printable: the record was checked
	 * for that first). */
	struct rmx_diag *d = ps->diag;
	int n;

	if (d == NULL)
		return RMX_EMALFORMED;
	d->offset = off;
	d->line = 0;
	n = snprintf(d->msg, sizeof(d->msg), "%s", fmt);
	if (tlen > 0 && n > 0 && (size_t)n < sizeof(d->msg))
		snprintf(d->msg + n, sizeof(d->msg) - (size_t)n, " in '%.*s'",
			tlen > 80 ? 80 : (int)tlen, ps->text + off);
	return RMX_EMALFORMED;
}

static bool is_alpha(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static bool is_digit(unsigned char ch)
{
	return ch >= '0' && ch <= '9';
}

static bool is_name_char(unsigned char ch)
{
	return is_alpha(ch) || is_digit(ch) || ch == '-' || ch == '_' ||
		ch == '.';
}

/* toplabel = ( *alphanum ALPHA *alphanum ) /
 *            ( 1*alphanum "-" *( alphanum / "-" ) alphanum ) */
static bool is_toplabel(const char *s, size_t n)
{
	size_t i;
	bool alpha = false, dash = false;

	if (n == 0 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (is_alpha(ch))
			alpha = true;
		else if (ch == '-')
			dash = true;
		else if (!is_digit(ch))
			return false;
	}
	return alpha || dash;
}

/* Room for a NUL-terminated copy of n octets: from the record's name
 * buffer (sized for all domain-specs of the record), else a new block. */
static char *name_space(struct parser *ps, size_t n)
{
	char *p;

	if (ps->names_left > n) {
		p = ps->names;
		ps->names += n + 1;
		ps->names_left -= n + 1;
		return p;
	}
	return ps->alloc(ps->actx, n + 1);
}

/* Octets a name can hold without an escape in the query text. */
static bool is_plain(unsigned char ch)
{
	return is_alpha(ch) || is_digit(ch) || ch == '-' || ch == '_';
}

/*
 * A literal domain-spec (no '%'): one pass checks the characters, finds
 * the top label and the label lengths, and whether the query text needs
 * escapes.  The name is finished here once for every evaluation.
 */
static int parse_literal_domain(struct parser *ps, const char *s, size_t n,
	size_t term_off, size_t term_len, struct spf_domain *d)
{
	size_t i, end = n, label = 0, last_dot = SIZE_MAX;
	bool plain = true, bad_label = false;
	char *copy;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '.') {
			if (label == 0)
				bad_label = true;
			label = 0;
			last_dot = i;
			continue;
		}
		if (ch < 0x21 || ch > 0x7e)
			return parse_error(ps, term_off, "character not "
				"allowed in a domain-spec", term_len);
		if (!is_plain(ch))
			plain = false;
		if (++label > 63)
			bad_label = true;
	}
	/* domain-end = "." toplabel [ "." ] */
	if (s[n - 1] == '.') {
		end = n - 1;
		for (last_dot = SIZE_MAX, i = end; i > 0; i--)
			if (s[i - 1] == '.') {
				last_dot = i - 1;
				break;
			}
	}
	if (last_dot == SIZE_MAX || !is_toplabel(s + last_dot + 1,
	    end - last_dot - 1))
		return parse_error(ps, term_off, "domain-spec does not end in "
			"a macro or a valid top label", term_len);
	copy = name_space(ps, n);
	if (copy == NULL)
		return RMX_ENOMEM;
	memcpy(copy, s, end);
	copy[end] = '\0';
	d->spec = copy;
	d->spec_len = (uint16_t)end;
	d->name = copy;
	/* Empty label (the last one cannot be: it is a top label), label
	 * over 63 octets, over 253 octets: not a DNS name, matches nothing. */
	d->valid = !bad_label && end <= SPF_NAME_MAX;
	if (d->valid) {
		d->qname = plain ? copy : spf_name_query_text(copy, ps->alloc,
			ps->actx);
		if (d->qname == NULL)
			return RMX_ENOMEM;
	}
	return RMX_OK;
}

/*
 * Parse a domain-spec s[0..n) (off: its offset in the record) into d.
 * domain-spec = macro-string domain-end
 * domain-end  = ( "." toplabel [ "." ] ) / macro-expand
 */
static int parse_domain_spec(struct parser *ps, size_t off, size_t n,
	size_t term_off, size_t term_len, struct spf_domain *d)
{
	const char *s = ps->text + off;
	struct spf_macro_info info;
	char *copy;

	if (n == 0)
		return parse_error(ps, term_off, "empty domain-spec", term_len);
	if (memchr(s, '%', n) == NULL)
		return parse_literal_domain(ps, s, n, term_off, term_len, d);
	if (spf_macro_check(s, n, false, &info) != SPF_EXPAND_OK)
		return parse_error(ps, off + info.bad_offset, info.why,
			term_len - (off + info.bad_offset - term_off));
	if (!info.ends_in_macro) {
		size_t end = n, dot;

		if (s[end - 1] == '.')
			end--;
		for (dot = end; dot > 0 && s[dot - 1] != '.'; dot--)
			;
		if (dot == 0 || !is_toplabel(s + dot, end - dot))
			return parse_error(ps, term_off,
				"domain-spec does not end in a macro or a "
				"valid top label", term_len);
	}
	copy = name_space(ps, n);
	if (copy == NULL)
		return RMX_ENOMEM;
	memcpy(copy, s, n);
	copy[n] = '\0';
	d->spec = copy;
	d->spec_len = (uint16_t)n;
	d->macro = true;
	d->macro_p = info.uses_p;
	return RMX_OK;
}

/*
 * A CIDR length: "0" or a digit 1-9 followed by digits (no leading zero,
 * RFC 7208 5.6 writes ip4-cidr-length = "/" ("0" / %x31-39 0*1DIGIT)),
 * at most max.  s[0..n) are the digits.
 */
static bool parse_cidr(const char *s, size_t n, unsigned max, uint8_t *out)
{
	unsigned v = 0;
	size_t i;

	if (n == 0 || n > 3 || (n > 1 && s[0] == '0'))
		return false;
	for (i = 0; i < n; i++) {
		if (!is_digit((unsigned char)s[i]))
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > max)
		return false;
	*out = (uint8_t)v;
	return true;
}

/*
 * ip4-network = qnum "." qnum "." qnum "." qnum, qnum 0-255 without
 * leading zeros (RFC 7208 5.6).
 */
static bool parse_ip4(const char *s, size_t n, uint8_t out[4])
{
	size_t i = 0;
	int part;

	for (part = 0; part < 4; part++) {
		unsigned v = 0;
		size_t start = i;

		if (part > 0) {
			if (i >= n || s[i] != '.')
				return false;
			start = ++i;
		}
		while (i < n && i - start < 3 && is_digit((unsigned char)s[i]))
			v = v * 10 + (unsigned)(s[i++] - '0');
		if (i == start || v > 255 || (i - start > 1 && s[start] == '0'))
			return false;
		out[part] = (uint8_t)v;
	}
	return i == n;
}

static int hex_value(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = (unsigned char)(ch | 0x20);
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/*
 * ip6-network: RFC 4291 2.2 text (groups of 1-4 hex digits, one "::",
 * an IPv4 dotted quad as the last 32 bits).  Accepts what inet_pton()
 * accepts (spf_test.c compares the two), without its copy and locale.
 */
bool spf_parse_ip6(const char *s, size_t n, uint8_t out[16])
{
	uint16_t w[8];
	int nw = 0, gap = -1, k;
	size_t i = 0;

	if (n >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 0;
		i = 2;
	} else if (n == 0 || s[0] == ':') {
		return false;
	}
	while (i < n) {
		size_t start = i;
		unsigned v = 0;
		int h;

		while (i < n && i - start < 4 &&
		    (h = hex_value((unsigned char)s[i])) >= 0) {
			v = v * 16 + (unsigned)h;
			i++;
		}
		if (i < n && s[i] == '.') {
			uint8_t q[4];

			if (nw > 6 || !parse_ip4(s + start, n - start, q))
				return false;
			w[nw++] = (uint16_t)(q[0] << 8 | q[1]);
			w[nw++] = (uint16_t)(q[2] << 8 | q[3]);
			i = n;
			break;
		}
		if (i == start || nw == 8)
			return false;
		w[nw++] = (uint16_t)v;
		if (i == n)
			break;
		if (s[i] != ':' || ++i == n)
			return false;
		if (s[i] == ':') {
			if (gap >= 0)
				return false;
			gap = nw;
			i++;
		}
	}
	if (gap < 0 ? nw != 8 : nw > 7)
		return false;
	memset(out, 0, 16);
	for (k = 0; k < nw; k++) {
		int at = (gap < 0 || k < gap) ? k : 8 - (nw - k);

		out[2 * at] = (uint8_t)(w[k] >> 8);
		out[2 * at + 1] = (uint8_t)w[k];
	}
	return true;
}

/* ip4:/ip6: network [ "/" cidr ].  s[0..n) follows the ':'. */
static int parse_ip(struct parser *ps, size_t off, size_t n,
	size_t term_off, size_t term_len, struct spf_term *t)
{
	const char *s = ps->text + off;
	bool v4 = t->kind == SPF_IP4;
	size_t alen = 0;
	uint8_t cidr = v4 ? 32 : 128;

	while (alen < n && s[alen] != '/')
		alen++;
	if (alen == 0)
		return parse_error(ps, term_off, "missing network", term_len);
	if (v4 ? !parse_ip4(s, alen, t->net) : !spf_parse_ip6(s, alen, t->net))
		return parse_error(ps, term_off, v4 ?
			"not an IPv4 network" : "not an IPv6 network",
			term_len);
	if (alen < n && !parse_cidr(s + alen + 1, n - alen - 1,
	    v4 ? 32 : 128, &cidr))
		return parse_error(ps, term_off, "bad CIDR length", term_len);
	if (v4)
		t->cidr4 = cidr;
	else
		t->cidr6 = cidr;
	return RMX_OK;
}

/* Trailing digits of s[0..n): their start. */
static size_t digits_start(const char *s, size_t n)
{
	while (n > 0 && is_digit((unsigned char)s[n - 1]))
		n--;
	return n;
}

/*
 * a / mx: [ ":" domain-spec ] [ dual-cidr-length ], rest = s[0..n) after
 * the name.  The CIDR part is taken from the right ("//N" then "/N"), as a
 * domain-spec may itself hold '/'.
 */
static int parse_a_mx(struct parser *ps, size_t off, size_t n,
	size_t term_off, size_t term_len, struct spf_term *t)
{
	const char *s = ps->text + off;
	size_t end = n, d;

	t->cidr4 = 32;
	t->cidr6 = 128;
	d = digits_start(s, end);
	if (d < end && d >= 2 && s[d - 1] == '/' && s[d - 2] == '/') {
		if (!parse_cidr(s + d, end - d, 128, &t->cidr6))
			return parse_error(ps, term_off,
				"bad IPv6 CIDR length", term_len);
		end = d - 2;
		d = digits_start(s, end);
	}
	if (d < end && d >= 1 && s[d - 1] == '/') {
		if (!parse_cidr(s + d, end - d, 32, &t->cidr4))
			return parse_error(ps, term_off,
				"bad IPv4 CIDR length", term_len);
		end = d - 1;
	}
	if (end == 0)
		return RMX_OK;
	if (s[0] != ':')
		return parse_error(ps, term_off, "unexpected text after "
			"mechanism name", term_len);
	return parse_domain_spec(ps, off + 1, end - 1, term_off, term_len,
		&t->domain);
}

static int parse_mechanism(struct parser *ps, size_t off, size_t len,
	size_t name_len, uint8_t result, struct spf_term *t, size_t term_off,
	size_t term_len)
{
	const char *s = ps->text + off;
	size_t i, rest_off = off + name_len, rest = len - name_len;

	for (i = 0; i < sizeof(mechanisms) / sizeof(mechanisms[0]); i++)
		if (mechanisms[i].len == name_len &&
		    (s[0] | 0x20) == mechanisms[i].name[0] &&
		    name_is(s, name_len, mechanisms[i].name, mechanisms[i].len))
			break;
	if (i == sizeof(mechanisms) / sizeof(mechanisms[0]))
		return parse_error(ps, term_off, "unknown mechanism",
			term_len);
	t->kind = (uint8_t)mechanisms[i].kind;
	t->result = result;
	switch (t->kind) {
	case SPF_ALL:
		if (rest != 0)
			return parse_error(ps, term_off,
				"'all' takes no argument", term_len);
		return RMX_OK;
	case SPF_INCLUDE:
	case SPF_EXISTS:
		if (rest == 0 || ps->text[rest_off] != ':')
			return parse_error(ps, term_off,
				"':' and a domain-spec required", term_len);
		return parse_domain_spec(ps, rest_off + 1, rest - 1, term_off,
			term_len, &t->domain);
	case SPF_PTR:
		if (rest == 0)
			return RMX_OK;
		if (ps->text[rest_off] != ':')
			return parse_error(ps, term_off, "unexpected text "
				"after mechanism name", term_len);
		return parse_domain_spec(ps, rest_off + 1, rest - 1, term_off,
			term_len, &t->domain);
	case SPF_A:
	case SPF_MX:
		return parse_a_mx(ps, rest_off, rest, term_off, term_len, t);
	case SPF_IP4:
	case SPF_IP6:
		if (rest == 0 || ps->text[rest_off] != ':')
			return parse_error(ps, term_off,
				"':' and a network required", term_len);
		return parse_ip(ps, rest_off + 1, rest - 1, term_off, term_len,
			t);
	}
	return parse_error(ps, term_off, "unknown mechanism", term_len);
}

static int parse_modifier(struct parser *ps, size_t off, size_t name_len,
	size_t len, struct spf_record *rec)
{
	const char *s = ps->text + off;
	size_t voff = off + name_len + 1, vlen = len - name_len - 1;
	struct spf_domain *d = NULL;
	struct spf_macro_info info;

	if (name_is(s, name_len, "redirect", 8)) {
		if (rec->has_redirect)
			return parse_error(ps, off, "redirect= given twice",
				len);
		rec->has_redirect = true;
		d = &rec->redirect;
	} else if (name_is(s, name_len, "exp", 3)) {
		if (rec->has_exp)
			return parse_error(ps, off, "exp= given twice", len);
		rec->has_exp = true;
		d = &rec->exp;
	}
	if (d != NULL)
		return parse_domain_spec(ps, voff, vlen, off, len, d);
	/* unknown-modifier = name "=" macro-string: checked, then ignored. */
	if (spf_macro_check(ps->text + voff, vlen, true, &info) !=
	    SPF_EXPAND_OK)
		return parse_error(ps, voff + info.bad_offset, info.why,
			len - (voff + info.bad_offset - off));
	return RMX_OK;
}

int spf_record_parse(const char *text, size_t len, spf_alloc_fn *alloc,
	void *actx, struct spf_record *out, struct rmx_diag *diag)
{
	struct parser ps = {text, len, alloc, actx, diag, NULL, 0};
	size_t i, pos;
	unsigned bad = 0, spaces = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len > SPF_RECORD_MAX)
		return parse_error(&ps, SPF_RECORD_MAX, "record longer than "
			"4096 octets", 0);
	if (!spf_is_record(text, len))
		return parse_error(&ps, 0, "not an SPF version 1 record", 0);
	/* One plain pass (the compiler vectorizes it): octets outside
	 * printable ASCII, and the spaces, which bound the number of terms
	 * (each term follows at least one). */
	for (i = 0; i < len; i++) {
		unsigned ch = (unsigned char)text[i];

		bad |= ch - 0x20u > 0x5eu;
		spaces += ch == 0x20u;
	}
	if (bad) {
		for (i = 0; (unsigned char)(text[i] - 0x20) <= 0x5e; i++)
			;
		return parse_error(&ps, i, (unsigned char)text[i] >= 0x80 ?
			"non-ASCII octet in record" :
			"control character in record", 0);
	}
	if (spaces > 0) {
		out->terms = alloc(actx, spaces * sizeof(*out->terms));
		if (out->terms == NULL)
			return RMX_ENOMEM;
	}
	/* Every domain-spec is a part of the record after a ':' or '=', so
	 * len + 1 octets hold them all with their NULs. */
	ps.names = alloc(actx, len + 1);
	if (ps.names == NULL)
		return RMX_ENOMEM;
	ps.names_left = len + 1;
	pos = 6;
	while (pos < len) {
		size_t start, tlen, n, name_off;
		uint8_t result = RMX_RESULT_PASS;
		bool qualified = false;

		if (text[pos] == ' ') {
			pos++;
			continue;
		}
		start = pos;
		{
			const char *sp = memchr(text + pos, ' ', len - pos);

			pos = sp != NULL ? (size_t)(sp - text) : len;
		}
		tlen = pos - start;
		name_off = start;
		switch (text[start]) {
		case '+': result = RMX_RESULT_PASS; qualified = true; break;
		case '-': result = RMX_RESULT_FAIL; qualified = true; break;
		case '~': result = RMX_RESULT_SOFTFAIL; qualified = true; break;
		case '?': result = RMX_RESULT_NEUTRAL; qualified = true; break;
		default: break;
		}
		if (qualified)
			name_off++;
		n = 0;
		if (name_off < pos && is_alpha((unsigned char)text[name_off]))
			while (name_off + n < pos &&
			    is_name_char((unsigned char)text[name_off + n]))
				n++;
		if (n == 0)
			return parse_error(&ps, start, "term does not start "
				"with a name", tlen);
		if (name_off + n < pos && text[name_off + n] == '=') {
			if (qualified)
				return parse_error(&ps, start,
					"qualifier on a modifier", tlen);
			rc = parse_modifier(&ps, name_off, n, pos - name_off,
				out);
		} else {
			struct spf_term *t;

			if (out->nterms >= spaces) /* cannot happen */
				return parse_error(&ps, start,
					"too many terms", tlen);
			t = &out->terms[out->nterms];
			t->text = text + start;
			t->text_len = (uint16_t)tlen;
			rc = parse_mechanism(&ps, name_off, pos - name_off, n,
				result, t, start, tlen);
			if (rc == RMX_OK) {
				if (spf_kind_counts((enum spf_kind)t->kind))
					out->nlookups++;
				out->nterms++;
			}
		}
		if (rc != RMX_OK)
			return rc;
	}
	return RMX_OK;
}

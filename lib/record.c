/*
 * record.c - the RMX record (RMX.md 1): RDATA wire form <-> presentation.
 *
 * Offers (rmx/record.h): rmx_rdata_check, which validates a whole RDATA;
 * an in-place iterator over its entries; printing of entries and RDATA in
 * canonical text; parsing of entry text into wire form.
 *
 * Everything an entry type means to this module is one row of kinds[]:
 * its name, the shape of its DATA (empty, prefix+address, name, optional
 * name, TLS fingerprint, character-string, hex octets) and its rules (no
 * negation, not in a per-mailbox record, needs a lookup).  Each shape has
 * one check, one print and one parse function in shapes[]; codes without a
 * row are unknown, their DATA opaque, written "type<N>:<hex>".  Parsing
 * text builds the DATA and then runs the very check the wire path runs, so
 * text can never produce RDATA that rmx_rdata_check refuses.
 *
 * Bad input: RMX_EMALFORMED with diag->msg "entry 2 (ip4) at octet 6:
 * prefix 33 out of range 0-32", where "at octet" is where the entry starts
 * and diag->offset is the octet at fault (the prefix octet, 8, here).
 * Text errors quote the token: "'ip4:192.0.2.1/33': prefix 33 out of range
 * 0-32", diag->offset the character offset of the token.  Printing that
 * does not fit returns RMX_ESPACE.
 *
 * Does not: match entries against clients (the evaluator does), or keep the
 * letter case of names: printing is canonical lower case, so wire -> text ->
 * wire gives identical octets except for ASCII letter case inside names.
 */
#include <rmx/record.h>

#include "diag.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define DATA_MAX 255

/* ---- where an entry's fault is: offsets relative to its DATA ---- */

#define AT_TYPE ((size_t)-2)   /* the N|TYPE octet (wraps to entry + 0) */
#define AT_LENGTH ((size_t)-1) /* the LENGTH octet (wraps to entry + 1) */

struct fault {
	size_t at;
	char what[160];
};

static bool fail(struct fault *f, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool fail(struct fault *f, size_t at, const char *fmt, ...)
{
	va_list ap;

	f->at = at;
	va_start(ap, fmt);
	vsnprintf(f->what, sizeof(f->what), fmt, ap);
	va_end(ap);
	return false;
}

#define set_diag(diag, offset, ...) \
	diag_fail((diag), RMX_EMALFORMED, (offset), __VA_ARGS__)

/* ---- text output with a sticky "does not fit" ---- */

struct textbuf {
	char *buf;
	size_t cap;
	size_t len;
	bool full;
};

static void tb_init(struct textbuf *tb, char *buf, size_t cap)
{
	tb->buf = buf;
	tb->cap = cap;
	tb->len = 0;
	tb->full = cap == 0;
	if (cap > 0)
		buf[0] = '\0';
}

static void tb_put(struct textbuf *tb, const char *s, size_t n)
{
	if (tb->full || tb->cap - tb->len <= n) {
		tb->full = true;
		return;
	}
	memcpy(tb->buf + tb->len, s, n);
	tb->len += n;
	tb->buf[tb->len] = '\0';
}

static void tb_puts(struct textbuf *tb, const char *s)
{
	tb_put(tb, s, strlen(s));
}

static void tb_printf(struct textbuf *tb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void tb_printf(struct textbuf *tb, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	tb_puts(tb, tmp);
}

static void tb_hex(struct textbuf *tb, const uint8_t *data, size_t n)
{
	char tmp[2 * DATA_MAX + 1];

	rmx_hex_encode(data, n, tmp, sizeof(tmp));
	tb_puts(tb, tmp);
}

static int tb_finish(const struct textbuf *tb, size_t *textlen)
{
	if (tb->full)
		return RMX_ESPACE;
	if (textlen != NULL)
		*textlen = tb->len;
	return RMX_OK;
}

/* ---- the entry-type table ---- */

enum shape {
	SHAPE_EMPTY,   /* no DATA */
	SHAPE_PREFIX,  /* PREFIX, then ceil(PREFIX/8) address octets */
	SHAPE_NAME,    /* one uncompressed wire name, nothing after it */
	SHAPE_OPTNAME, /* nothing, or one name */
	SHAPE_TLSFP,   /* ALG, digest of that algorithm's length */
	SHAPE_TEXT,    /* one or more octets, printed as a character-string */
	SHAPE_HEX,     /* one or more octets, printed as hex */
	SHAPE_OPAQUE,  /* anything (unknown types) */
};

struct entry_kind {
	const char *name;
	enum shape shape;
	unsigned width;  /* SHAPE_PREFIX: address bits, 32 or 128 */
	bool lookup;     /* needs DNS lookups when evaluated */
	bool no_negate;  /* a negated entry is malformed */
	bool no_mailbox; /* malformed in a per-mailbox record (RMX.md 3) */
};

#define KIND(n, s, ...) {.name = n, .shape = SHAPE_##s, __VA_ARGS__}
static const struct entry_kind kinds[RMX_ENTRY_TYPE_MAX + 1] = {
	[RMX_ENTRY_NONE] = KIND("none", EMPTY, .no_negate = true),
	[RMX_ENTRY_IP4] = KIND("ip4", PREFIX, .width = 32),
	[RMX_ENTRY_IP6] = KIND("ip6", PREFIX, .width = 128),
	[RMX_ENTRY_HOST] = KIND("host", NAME, .lookup = true),
	[RMX_ENTRY_APL] = KIND("apl", NAME, .lookup = true),
	[RMX_ENTRY_MEMBER] = KIND("member", EMPTY, .lookup = true),
	[RMX_ENTRY_FULLADDR] = KIND("fulladdr", EMPTY, .lookup = true,
		.no_mailbox = true),
	[RMX_ENTRY_MX] = KIND("mx", OPTNAME, .lookup = true),
	[RMX_ENTRY_TLSFP] = KIND("tlsfp", TLSFP, .width = 0),
	[RMX_ENTRY_TLSLDAP] = KIND("tlsldap", TEXT, .width = 0),
	[RMX_ENTRY_SASL] = KIND("sasl", EMPTY, .width = 0),
	[RMX_ENTRY_PGP] = KIND("pgp", HEX, .width = 0),
};
#undef KIND

static const struct entry_kind opaque_kind = {.shape = SHAPE_OPAQUE};

static const struct entry_kind *kind_of(unsigned type)
{
	if (type <= RMX_ENTRY_TYPE_MAX && kinds[type].name != NULL)
		return &kinds[type];
	return &opaque_kind;
}

/* TLS fingerprint algorithms (ALG octet of tlsfp). */
static const struct {
	uint8_t alg;
	const char *name;
	size_t len;
} fp_algs[] = {
	{1, "sha1", 20},
	{2, "sha256", 32},
};
#define N_FP_ALGS (sizeof(fp_algs) / sizeof(fp_algs[0]))

const char *rmx_entry_type_name(unsigned type)
{
	return kind_of(type)->name;
}

bool rmx_entry_needs_lookup(unsigned type)
{
	return kind_of(type)->lookup;
}

/* "ip4", or "type100" for an unknown code; buf of 16 octets. */
static const char *type_label(unsigned type, char buf[16])
{
	const char *name = kind_of(type)->name;

	if (name != NULL)
		return name;
	snprintf(buf, 16, "type%u", type);
	return buf;
}

/* ---- DATA checks, one per shape ---- */

static bool check_empty(const struct entry_kind *k, const uint8_t *d,
	size_t n, struct fault *f)
{
	return n == 0 || fail(f, 0, "DATA must be empty, has %zu octets", n);
}

static bool prefix_in_range(unsigned long p, unsigned width, size_t at,
	struct fault *f)
{
	return p <= width ||
		fail(f, at, "prefix %lu out of range 0-%u", p, width);
}

/* Offset of the first of addr[0..n) with a bit set past prefix p, or n. */
static size_t first_bits_past(const uint8_t *addr, size_t n, unsigned p)
{
	size_t i = p / 8;

	if (i < n && p % 8 != 0) {
		if ((addr[i] & (0xff >> (p % 8))) != 0)
			return i;
		i++;
	}
	while (i < n && addr[i] == 0)
		i++;
	return i;
}

static bool check_prefix(const struct entry_kind *k, const uint8_t *d,
	size_t n, struct fault *f)
{
	unsigned p;
	size_t need, bad;

	if (n == 0)
		return fail(f, AT_LENGTH, "DATA is empty, PREFIX missing");
	p = d[0];
	if (!prefix_in_range(p, k->width, 0, f))
		return false;
	need = 1 + (p + 7) / 8;
	if (n != need)
		return fail(f, AT_LENGTH,
			"DATA is %zu octets, prefix /%u needs %zu", n, p, need);
	bad = first_bits_past(d + 1, n - 1, p);
	return bad == n - 1 || fail(f, 1 + bad,
		"address bits set past prefix /%u", p);
}

static bool check_name(const struct entry_kind *k, const uint8_t *d,
	size_t n, struct fault *f)
{
	struct rmx_diag nd;
	size_t namelen;

	if (rmx_name_wire_check(d, n, &namelen, &nd) != RMX_OK)
		return fail(f, nd.offset, "%s", nd.msg);
	return namelen == n || fail(f, namelen,
		"%zu octet%s after the name", n - namelen,
		n - namelen == 1 ? "" : "s");
}

static bool check_optname(const struct entry_kind *k, const uint8_t *d,
	size_t n, struct fault *f)
{
	return n == 0 || check_name(k, d, n, f);
}

static bool check_tlsfp(const struct entry_kind *k, const uint8_t *d,
	size_t n, struct fault *f)
{
	size_t i;

	if (n == 0)
		return fail(f, AT_LENGTH, "DATA is empty, algorithm missing");
	for (i = 0; i < N_FP_ALGS; i++)
		if (fp_algs[i].alg == d[0])
			return n - 1 == fp_algs[i].len || fail(f, 1,
				"%s digest is %zu octets, must be %zu",
				fp_algs[i].name, n - 1, fp_algs[i].len);
	return fail(f, 0, "algorithm %u unknown (1 = sha1, 2 = sha256)",
		d[0]);
}

static bool check_nonempty(const struct entry_kind *k, const uint8_t *d,
	size_t n, struct fault *f)
{
	return n > 0 || fail(f, AT_LENGTH, "DATA must not be empty");
}

static bool check_any(const struct entry_kind *k, const uint8_t *d,
	size_t n, struct fault *f)
{
	return true;
}

/* ---- printing, one per shape (DATA already checked) ---- */

static void print_nothing(const struct entry_kind *k, const uint8_t *d,
	size_t n, struct textbuf *tb)
{
}

static void print_prefix(const struct entry_kind *k, const uint8_t *d,
	size_t n, struct textbuf *tb)
{
	uint8_t addr[16] = {0};
	char text[INET6_ADDRSTRLEN];

	memcpy(addr, d + 1, n - 1);
	if (inet_ntop(k->width == 32 ? AF_INET : AF_INET6, addr, text,
		    sizeof(text)) == NULL)
		text[0] = '\0';
	tb_printf(tb, ":%s", text);
	if (d[0] < k->width)
		tb_printf(tb, "/%u", d[0]);
}

static void print_name(const struct entry_kind *k, const uint8_t *d,
	size_t n, struct textbuf *tb)
{
	char text[RMX_NAME_MAXTEXT];

	if (rmx_name_to_text(d, n, text, sizeof(text), NULL) != RMX_OK)
		text[0] = '\0';
	tb_puts(tb, ":");
	tb_puts(tb, text);
}

static void print_optname(const struct entry_kind *k, const uint8_t *d,
	size_t n, struct textbuf *tb)
{
	if (n > 0)
		print_name(k, d, n, tb);
}

static void print_tlsfp(const struct entry_kind *k, const uint8_t *d,
	size_t n, struct textbuf *tb)
{
	tb_printf(tb, ":%s:", d[0] == 1 ? "sha1" : "sha256");
	tb_hex(tb, d + 1, n - 1);
}

/* An RFC 1035 character-string in quotes: '"' and '\' escaped, octets
 * outside printable ASCII as \DDD. */
static void print_text(const struct entry_kind *k, const uint8_t *d,
	size_t n, struct textbuf *tb)
{
	size_t i;

	tb_puts(tb, ":\"");
	for (i = 0; i < n; i++) {
		char c = (char)d[i];

		if (c == '"' || c == '\\')
			tb_printf(tb, "\\%c", c);
		else if (d[i] >= 0x20 && d[i] < 0x7f)
			tb_put(tb, &c, 1);
		else
			tb_printf(tb, "\\%03u", d[i]);
	}
	tb_puts(tb, "\"");
}

static void print_hex(const struct entry_kind *k, const uint8_t *d,
	size_t n, struct textbuf *tb)
{
	if (n > 0) {
		tb_puts(tb, ":");
		tb_hex(tb, d, n);
	}
}

/* ---- parsing, one per shape: the argument after "name:" ---- */

struct arg {
	const char *s;      /* NUL-terminated copy */
	size_t len;
	bool given;         /* there was a ':' */
	const char *origin; /* for names, as in rmx_name_from_text */
};

struct databuf {
	uint8_t b[DATA_MAX];
	size_t len;
};

static bool db_put(struct databuf *d, const void *p, size_t n,
	struct fault *f)
{
	if (DATA_MAX - d->len < n)
		return fail(f, 0, "DATA longer than %d octets", DATA_MAX);
	memcpy(d->b + d->len, p, n);
	d->len += n;
	return true;
}

/* 1 to maxdigits decimal digits and nothing else. */
static bool read_decimal(const char *s, size_t maxdigits, unsigned long *v)
{
	size_t i;

	*v = 0;
	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++)
		*v = *v * 10 + (unsigned long)(s[i] - '0');
	return i > 0 && i <= maxdigits && s[i] == '\0';
}

static bool parse_none(const struct entry_kind *k, const struct arg *a,
	struct databuf *d, struct fault *f)
{
	return !a->given || fail(f, 0, "%s takes no argument", k->name);
}

static bool parse_prefix(const struct entry_kind *k, const struct arg *a,
	struct databuf *d, struct fault *f)
{
	const char *slash = strrchr(a->s, '/');
	size_t hostlen = slash != NULL ? (size_t)(slash - a->s) : a->len;
	const char *family = k->width == 32 ? "IPv4" : "IPv6";
	char host[INET6_ADDRSTRLEN + 1];
	uint8_t addr[16] = {0}, p8;
	unsigned long p = k->width;
	size_t n;

	if (!a->given || hostlen == 0)
		return fail(f, 0, "%s needs an %s address", k->name, family);
	if (hostlen >= sizeof(host))
		return fail(f, 0, "not an %s address", family);
	memcpy(host, a->s, hostlen);
	host[hostlen] = '\0';
	if (inet_pton(k->width == 32 ? AF_INET : AF_INET6, host, addr) != 1)
		return fail(f, 0, "'%s' is not an %s address", host, family);
	if (slash != NULL && !read_decimal(slash + 1, 3, &p))
		return fail(f, 0, "bad prefix length '%s'", slash + 1);
	if (!prefix_in_range(p, k->width, 0, f))
		return false;
	if (first_bits_past(addr, k->width / 8, (unsigned)p) < k->width / 8)
		return fail(f, 0, "address bits set past prefix /%lu", p);
	p8 = (uint8_t)p;
	n = (p + 7) / 8;
	return db_put(d, &p8, 1, f) && db_put(d, addr, n, f);
}

static bool parse_name(const struct entry_kind *k, const struct arg *a,
	struct databuf *d, struct fault *f)
{
	uint8_t wire[RMX_NAME_MAXWIRE];
	struct rmx_diag nd;
	size_t len;

	if (!a->given || a->len == 0)
		return fail(f, 0, "%s needs a domain name", k->name);
	if (rmx_name_from_text(a->s, a->len, a->origin, wire, &len, &nd) !=
	    RMX_OK)
		return fail(f, 0, "%s (at character %zu of the name)",
			nd.msg, nd.offset);
	return db_put(d, wire, len, f);
}

static bool parse_optname(const struct entry_kind *k, const struct arg *a,
	struct databuf *d, struct fault *f)
{
	return !a->given || parse_name(k, a, d, f);
}

/* Hex octets appended to d; an empty argument gives none. */
static bool parse_hex_octets(const char *s, struct databuf *d,
	struct fault *f)
{
	struct rmx_diag hd;
	size_t n;
	int rc = rmx_hex_decode(s, d->b + d->len, DATA_MAX - d->len, &n, &hd);

	if (rc == RMX_ESPACE)
		return fail(f, 0, "DATA longer than %d octets", DATA_MAX);
	if (rc != RMX_OK)
		return fail(f, 0, "bad hex: %s", hd.msg);
	d->len += n;
	return true;
}

static bool parse_tlsfp(const struct entry_kind *k, const struct arg *a,
	struct databuf *d, struct fault *f)
{
	const char *colon = a->given ? strchr(a->s, ':') : NULL;
	size_t i;

	if (colon == NULL)
		return fail(f, 0, "tlsfp needs sha1:<hex> or sha256:<hex>");
	for (i = 0; i < N_FP_ALGS; i++)
		if (strlen(fp_algs[i].name) == (size_t)(colon - a->s) &&
		    strncasecmp(a->s, fp_algs[i].name, (size_t)(colon - a->s)) == 0)
			return db_put(d, &fp_algs[i].alg, 1, f) &&
				parse_hex_octets(colon + 1, d, f);
	return fail(f, 0, "unknown fingerprint algorithm '%.*s'",
		(int)(colon - a->s), a->s);
}

/* A character-string, quoted or not, with RFC 1035 escapes. */
static bool parse_text(const struct entry_kind *k, const struct arg *a,
	struct databuf *d, struct fault *f)
{
	bool quoted = a->len > 0 && a->s[0] == '"';
	size_t pos = quoted ? 1 : 0;

	if (!a->given)
		return fail(f, 0, "%s needs a character-string", k->name);
	while (pos < a->len) {
		size_t at = pos;
		int c = (uint8_t)a->s[pos++];
		uint8_t octet;

		if (c == '"' && quoted && pos == a->len)
			return true;
		if (c == '"')
			return fail(f, 0, "unescaped '\"' at character %zu",
				at);
		if (c == '\\') {
			pos = at;
			c = rmx_text_read_escape(a->s, a->len, &pos);
			if (c < 0)
				return fail(f, 0, "bad escape at character %zu",
					at);
		}
		octet = (uint8_t)c;
		if (!db_put(d, &octet, 1, f))
			return false;
	}
	return !quoted || fail(f, 0, "missing closing quote");
}

static bool parse_hex(const struct entry_kind *k, const struct arg *a,
	struct databuf *d, struct fault *f)
{
	if (!a->given && k->shape != SHAPE_OPAQUE)
		return fail(f, 0, "%s needs hex octets", k->name);
	return parse_hex_octets(a->given ? a->s : "", d, f);
}

static const struct {
	bool (*check)(const struct entry_kind *k, const uint8_t *d, size_t n,
		struct fault *f);
	void (*print)(const struct entry_kind *k, const uint8_t *d, size_t n,
		struct textbuf *tb);
	bool (*parse)(const struct entry_kind *k, const struct arg *a,
		struct databuf *d, struct fault *f);
} shapes[] = {
	[SHAPE_EMPTY] = {check_empty, print_nothing, parse_none},
	[SHAPE_PREFIX] = {check_prefix, print_prefix, parse_prefix},
	[SHAPE_NAME] = {check_name, print_name, parse_name},
	[SHAPE_OPTNAME] = {check_optname, print_optname, parse_optname},
	[SHAPE_TLSFP] = {check_tlsfp, print_tlsfp, parse_tlsfp},
	[SHAPE_TEXT] = {check_nonempty, print_text, parse_text},
	[SHAPE_HEX] = {check_nonempty, print_hex, parse_hex},
	[SHAPE_OPAQUE] = {check_any, print_hex, parse_hex},
};

/* ---- entries ---- */

/* The rules of RMX.md 1 for one entry whose LENGTH is known to fit. */
static bool entry_ok(const struct rmx_entry *e, unsigned flags,
	struct fault *f)
{
	const struct entry_kind *k = kind_of(e->type);

	if (e->negated && k->no_negate)
		return fail(f, AT_TYPE, "%s cannot be negated", k->name);
	if ((flags & RMX_RDATA_MAILBOX) && k->no_mailbox)
		return fail(f, AT_TYPE, "%s is not allowed in a per-mailbox "
			"record", k->name);
	return shapes[k->shape].check(k, e->data, e->len, f);
}

/* Read the entry at it->off; index (1-based) is for messages only. */
static int read_entry(struct rmx_iter *it, struct rmx_entry *e,
	unsigned index, struct rmx_diag *diag)
{
	size_t left = it->len - it->off;
	uint8_t type, dlen;
	char tbuf[16];

	if (left == 0)
		return 0;
	type = it->rdata[it->off] & 0x7f;
	if (left < 2)
		return set_diag(diag, it->off, "entry %u (%s) at octet %zu: "
			"LENGTH missing at the end", index,
			type_label(type, tbuf), it->off);
	dlen = it->rdata[it->off + 1];
	if (left - 2 < dlen)
		return set_diag(diag, it->off + 1, "entry %u (%s) at octet %zu: "
			"LENGTH %u runs past the end (%zu octets left)", index,
			type_label(type, tbuf), it->off, dlen, left - 2);
	e->type = type;
	e->negated = (it->rdata[it->off] & 0x80) != 0;
	e->len = dlen;
	e->data = it->rdata + it->off + 2;
	e->offset = it->off;
	it->off += 2 + (size_t)dlen;
	return 1;
}

void rmx_iter_init(struct rmx_iter *it, const uint8_t *rdata, size_t len)
{
	it->rdata = rdata;
	it->len = len;
	it->off = 0;
}

int rmx_iter_next(struct rmx_iter *it, struct rmx_entry *e)
{
	return read_entry(it, e, 0, NULL);
}

int rmx_rdata_check(const uint8_t *rdata, size_t len, unsigned flags,
	struct rmx_diag *diag)
{
	struct rmx_iter it;
	struct rmx_entry e = {0};
	unsigned index = 0;
	int rc;

	rmx_iter_init(&it, rdata, len);
	while ((rc = read_entry(&it, &e, ++index, diag)) == 1) {
		struct fault f;
		char tbuf[16];

		if (!entry_ok(&e, flags, &f))
			return set_diag(diag, e.offset + 2 + f.at,
				"entry %u (%s) at octet %zu: %s", index,
				type_label(e.type, tbuf), e.offset, f.what);
	}
	return rc;
}

static void print_entry(const struct rmx_entry *e, struct textbuf *tb)
{
	const struct entry_kind *k = kind_of(e->type);
	char tbuf[16];

	if (e->negated)
		tb_puts(tb, "!");
	tb_puts(tb, type_label(e->type, tbuf));
	shapes[k->shape].print(k, e->data, e->len, tb);
}

int rmx_entry_to_text(const struct rmx_entry *e, char *buf, size_t cap,
	size_t *textlen)
{
	struct textbuf tb;
	struct fault f;

	if (!entry_ok(e, 0, &f))
		return RMX_EMALFORMED;
	tb_init(&tb, buf, cap);
	print_entry(e, &tb);
	return tb_finish(&tb, textlen);
}

int rmx_rdata_to_text(const uint8_t *rdata, size_t len, char *buf,
	size_t cap, size_t *textlen, struct rmx_diag *diag)
{
	struct textbuf tb;
	struct rmx_iter it;
	struct rmx_entry e;
	int rc = rmx_rdata_check(rdata, len, 0, diag);

	if (rc != RMX_OK)
		return rc;
	tb_init(&tb, buf, cap);
	rmx_iter_init(&it, rdata, len);
	while (rmx_iter_next(&it, &e) == 1) {
		if (e.offset > 0)
			tb_puts(&tb, " ");
		print_entry(&e, &tb);
	}
	return tb_finish(&tb, textlen);
}

/* The kind named text[0..n): a table name or "type<N>" (*typed set). */
static bool find_kind(const char *text, size_t n, uint8_t *type, bool *typed,
	struct fault *f)
{
	char digits[8];
	unsigned long v;
	unsigned t;

	*typed = n > 4 && strncasecmp(text, "type", 4) == 0;
	if (*typed) {
		if (n - 4 >= sizeof(digits))
			return fail(f, 0, "bad type code");
		memcpy(digits, text + 4, n - 4);
		digits[n - 4] = '\0';
		if (!read_decimal(digits, 3, &v))
			return fail(f, 0, "bad type code '%s'", digits);
		if (v > RMX_ENTRY_TYPE_MAX)
			return fail(f, 0, "type code %lu out of range 0-%d", v,
				RMX_ENTRY_TYPE_MAX);
		*type = (uint8_t)v;
		return true;
	}
	for (t = 0; t <= RMX_ENTRY_TYPE_MAX; t++)
		if (kinds[t].name != NULL && strlen(kinds[t].name) == n &&
		    strncasecmp(kinds[t].name, text, n) == 0) {
			*type = (uint8_t)t;
			return true;
		}
	return fail(f, 0, "unknown entry type '%.*s'", (int)n, text);
}

/* Parse one entry into *e, its DATA into *d. */
static bool entry_from_text(const char *text, size_t textlen,
	const char *origin, struct rmx_entry *e, struct databuf *d,
	struct fault *f)
{
	char argbuf[RMX_ENTRY_MAXTEXT + 1];
	const char *colon;
	struct arg a = {argbuf, 0, false, origin};
	size_t pos = 0, kwlen;
	bool typed;
	const struct entry_kind *k;

	memset(e, 0, sizeof(*e));
	d->len = 0;
	if (textlen > 0 && text[0] == '!') {
		e->negated = true;
		pos = 1;
	}
	colon = memchr(text + pos, ':', textlen - pos);
	kwlen = colon != NULL ? (size_t)(colon - text) - pos : textlen - pos;
	if (kwlen == 0)
		return fail(f, 0, "entry type missing");
	if (!find_kind(text + pos, kwlen, &e->type, &typed, f))
		return false;
	if (colon != NULL) {
		a.given = true;
		a.len = textlen - (size_t)(colon + 1 - text);
		if (a.len >= sizeof(argbuf))
			return fail(f, 0, "entry text too long");
		memcpy(argbuf, colon + 1, a.len);
	}
	argbuf[a.len] = '\0';
	if (memchr(argbuf, '\0', a.len) != NULL)
		return fail(f, 0, "NUL character in entry");
	k = typed ? &opaque_kind : kind_of(e->type);
	if (!shapes[k->shape].parse(k, &a, d, f))
		return false;
	e->len = (uint8_t)d->len;
	e->data = d->b;
	return entry_ok(e, 0, f);
}

int rmx_entry_from_text(const char *text, size_t textlen, const char *origin,
	uint8_t *out, size_t cap, size_t *outlen, struct rmx_diag *diag)
{
	struct rmx_entry e;
	struct databuf d;
	struct fault f;

	if (!entry_from_text(text, textlen, origin, &e, &d, &f))
		return set_diag(diag, 0, "'%.*s%s': %s",
			textlen > 60 ? 57 : (int)textlen, text,
			textlen > 60 ? "..." : "", f.what);
	if (*outlen > cap || cap - *outlen < 2 + d.len) {
		set_diag(diag, 0, "RDATA longer than %zu octets", cap);
		return RMX_ESPACE;
	}
	out[*outlen] = (uint8_t)(e.type | (e.negated ? 0x80 : 0));
	out[*outlen + 1] = e.len;
	memcpy(out + *outlen + 2, d.b, d.len);
	*outlen += 2 + d.len;
	return RMX_OK;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* End of the token at text[pos]: the first blank outside quotes that no
 * backslash escapes. */
static size_t token_end(const char *text, size_t pos)
{
	bool quoted = false;

	for (; text[pos] != '\0'; pos++) {
		if (text[pos] == '\\' && text[pos + 1] != '\0')
			pos++;
		else if (text[pos] == '"')
			quoted = !quoted;
		else if (!quoted && is_blank(text[pos]))
			break;
	}
	return pos;
}

int rmx_rdata_from_text(const char *text, const char *origin, uint8_t *out,
	size_t cap, size_t *outlen, struct rmx_diag *diag)
{
	size_t pos = 0, len = 0;

	if (cap > RMX_RDATA_MAX)
		cap = RMX_RDATA_MAX;
	for (;;) {
		size_t start;
		int rc;

		while (is_blank(text[pos]))
			pos++;
		if (text[pos] == '\0')
			break;
		start = pos;
		pos = token_end(text, pos);
		rc = rmx_entry_from_text(text + start, pos - start, origin,
			out, cap, &len, diag);
		if (rc != RMX_OK) {
			if (diag != NULL)
				diag->offset += start;
			return rc;
		}
	}
	*outlen = len;
	return RMX_OK;
}

/*
 * zonefile.c - RFC 1035 master files with RMX records, read through libldns.
 *
 * Offers rmx_zonefile_read() (rmx/zone.h): each RR of a master file is
 * handed to a callback with its owner, type, class, TTL, RDATA in wire form
 * and its text in master-file form.  rmx_zone_load_file() and
 * `rmx zone compile` are built on it.
 *
 * Why we pre-process: libldns parses RDATA by a fixed per-type descriptor
 * table compiled into the library (rr.c), and offers no way to register a
 * new mnemonic with its own RDATA grammar; unknown mnemonics are a syntax
 * error.  RMX presentation text ("ip4:192.0.2.0/24 host:relay.example.")
 * is not any of ldns's field formats either.  So this module cuts the file
 * into records itself (comments, quoted strings, parentheses spanning
 * lines, $ORIGIN, $TTL), and when a record's type token is RMX it converts
 * the RDATA with rmx_rdata_from_text() against the current origin, lets
 * ldns parse the record as "TYPE<code> \# 0" (RFC 3597 form, which ldns
 * does know) and then gives the RR the converted RDATA.  Every record,
 * converted or not, goes through ldns_rr_new_frm_str().
 *
 * Bad input: RMX_EMALFORMED with diag->line the line where the record
 * starts and diag->msg "PATH:LINE: what is wrong" (an RMX conversion error
 * carries the codec's message; an ldns error carries ldns's text).  Records
 * longer than ZONEFILE_RECORD_MAX characters, NUL octets, unterminated
 * quotes, a backslash at the end of a line and unbalanced parentheses are
 * errors.  RMX_EIO when the file cannot be opened or read.  An initial
 * origin without the trailing dot is relative to the root, as a relative
 * $ORIGIN is relative to the one before it.
 *
 * Does not: $INCLUDE or $GENERATE (an error says so), check zone
 * semantics (SOA, NS, glue), or validate RDATA given in TYPE<code> \# form
 * (a test zone may hold malformed RMX records on purpose).  BUGS: RDATA
 * written in TYPE<code> \# form is parsed by ldns, which reads at most
 * 65535 hex characters, so such records are limited to about 32 KiB;
 * records written with the RMX mnemonic are not.
 */
#include <rmx/zone.h>
#include <rmx/name.h>
#include <rmx/record.h>

#include <ldns/ldns.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ZONEFILE_RECORD_MAX (1024 * 1024)

/* A growing text buffer with a hard bound. */
struct text_buf {
	char *s;
	size_t len;
	size_t cap;
};

struct zonefile {
	const char *path;
	FILE *fp;
	uint16_t rmx_type;
	rmx_zonefile_rr_fn *fn;
	void *arg;
	struct rmx_diag *diag;
	size_t line;              /* physical lines read so far */
	size_t rec_line;          /* line where the current record starts */
	struct text_buf rec;      /* the current logical record */
	ldns_rdf *origin;
	char *origin_text;        /* ldns_rdf2str(origin), absolute */
	ldns_rdf *prev_owner;
	uint32_t default_ttl;     /* $TTL; 0: ldns's default */
	uint8_t *rmx_rdata;       /* RDATA of the current RMX record */
	size_t rmx_rdlen;
};

static int report(struct zonefile *zf, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int report(struct zonefile *zf, int code, const char *fmt, ...)
{
	char what[RMX_DIAG_MSGLEN];
	va_list ap;
	int n;

	if (zf->diag != NULL) {
		va_start(ap, fmt);
		vsnprintf(what, sizeof(what), fmt, ap);
		va_end(ap);
		zf->diag->offset = 0;
		zf->diag->line = zf->rec_line;
		/* a message that does not fit is cut short (rmx/error.h) */
		if (zf->rec_line > 0)
			n = snprintf(zf->diag->msg, sizeof(zf->diag->msg),
				"%s:%zu: %s", zf->path, zf->rec_line, what);
		else
			n = snprintf(zf->diag->msg, sizeof(zf->diag->msg),
				"%s: %s", zf->path, what);
		if (n < 0)
			zf->diag->msg[0] = '\0';
	}
	return code;
}

static int buf_append(struct text_buf *b, const char *s, size_t n)
{
	if (n >= ZONEFILE_RECORD_MAX - b->len)
		return RMX_ESPACE;
	if (b->cap - b->len < n + 1) {
		size_t cap = b->cap == 0 ? 256 : b->cap;
		char *p;

		while (cap - b->len < n + 1)
			cap *= 2;
		p = realloc(b->s, cap);
		if (p == NULL)
			return RMX_ENOMEM;
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return RMX_OK;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Token [*start, *end) at or after pos in s (blank-separated; a backslash
 * escapes the next character).  false at the end of s. */
static bool next_token(const char *s, size_t pos, size_t *start, size_t *end)
{
	while (s[pos] != '\0' && is_blank(s[pos]))
		pos++;
	if (s[pos] == '\0')
		return false;
	*start = pos;
	while (s[pos] != '\0' && !is_blank(s[pos])) {
		if (s[pos] == '\\' && s[pos + 1] != '\0')
			pos++;
		pos++;
	}
	*end = pos;
	return true;
}

static bool token_is(const char *s, size_t start, size_t end,
	const char *word)
{
	size_t n = strlen(word);

	return end - start == n && strncasecmp(s + start, word, n) == 0;
}

static bool token_is_class(const char *s, size_t start, size_t end)
{
	size_t i;

	if (token_is(s, start, end, "IN") || token_is(s, start, end, "CH") ||
	    token_is(s, start, end, "HS") || token_is(s, start, end, "CS") ||
	    token_is(s, start, end, "NONE") || token_is(s, start, end, "ANY"))
		return true;
	if (end - start <= 5 || strncasecmp(s + start, "CLASS", 5) != 0)
		return false;
	for (i = start + 5; i < end; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool token_is_ttl(const char *s, size_t start)
{
	return s[start] >= '0' && s[start] <= '9';
}

/* ---- directives ---- */

static int set_origin(struct zonefile *zf, const char *text)
{
	/* the caller's initial origin is relative to the root */
	const char *base = zf->origin_text != NULL ? zf->origin_text : ".";
	ldns_rdf *o;
	char *full = NULL;

	if (ldns_dname_str_absolute(text)) {
		o = ldns_dname_new_frm_str(text);
	} else {
		size_t n = strlen(text) + strlen(base) + 2;

		full = malloc(n);
		if (full == NULL)
			return report(zf, RMX_ENOMEM, "out of memory");
		snprintf(full, n, "%s.%s", text,
			strcmp(base, ".") == 0 ? "" : base);
		o = ldns_dname_new_frm_str(full);
		free(full);
	}
	if (o == NULL)
		return report(zf, RMX_EMALFORMED, "bad origin name '%.64s'",
			text);
	if (zf->origin != NULL)
		ldns_rdf_deep_free(zf->origin);
	free(zf->origin_text);
	zf->origin = o;
	zf->origin_text = ldns_rdf2str(o);
	if (zf->origin_text == NULL)
		return report(zf, RMX_ENOMEM, "out of memory");
	return RMX_OK;
}

static int run_directive(struct zonefile *zf, const char *rec)
{
	size_t s0, e0, s1, e1, s2, e2;
	char arg[1024];

	if (!next_token(rec, 0, &s0, &e0))
		return RMX_OK;
	if (!next_token(rec, e0, &s1, &e1))
		return report(zf, RMX_EMALFORMED, "%.*s without an argument",
			(int)(e0 - s0 > 16 ? 16 : e0 - s0), rec + s0);
	if (e1 - s1 >= sizeof(arg))
		return report(zf, RMX_EMALFORMED, "directive argument too long");
	memcpy(arg, rec + s1, e1 - s1);
	arg[e1 - s1] = '\0';
	if (token_is(rec, s0, e0, "$ORIGIN")) {
		if (next_token(rec, e1, &s2, &e2))
			return report(zf, RMX_EMALFORMED,
				"$ORIGIN takes one name");
		return set_origin(zf, arg);
	}
	if (token_is(rec, s0, e0, "$TTL")) {
		const char *end = NULL;
		uint32_t ttl = ldns_str2period(arg, &end);

		if (end == NULL || *end != '\0' || next_token(rec, e1, &s2, &e2))
			return report(zf, RMX_EMALFORMED, "bad $TTL '%.32s'",
				arg);
		zf->default_ttl = ttl;
		return RMX_OK;
	}
	if (token_is(rec, s0, e0, "$INCLUDE") ||
	    token_is(rec, s0, e0, "$GENERATE"))
		return report(zf, RMX_EMALFORMED, "%.*s is not supported",
			(int)(e0 - s0), rec + s0);
	return report(zf, RMX_EMALFORMED, "unknown directive %.*s",
		(int)(e0 - s0 > 32 ? 32 : e0 - s0), rec + s0);
}

/* ---- records ---- */

/*
 * If the record's type token is RMX, convert its RDATA into zf->rmx_rdata
 * and rewrite the record in place to "... TYPE<code> \# 0"; run_record
 * then attaches the RDATA to what ldns parsed.  (Handing ldns the hex
 * instead would cap RDATA at about 32 KiB: its hex parser reads at most
 * 65535 characters.)  The type is the first token after the owner (absent
 * when the record starts with a blank) and at most two TTL/class tokens.
 */
static int convert_rmx(struct zonefile *zf, bool *was_rmx)
{
	const char *s = zf->rec.s;
	size_t pos = 0, ts, te, i;
	struct rmx_diag d;
	struct text_buf out = {0};
	char head[32];
	int rc;

	*was_rmx = false;
	if (!is_blank(s[0])) {
		if (!next_token(s, 0, &ts, &te))
			return RMX_OK;
		pos = te;
	}
	for (i = 0; i < 3; i++) {
		if (!next_token(s, pos, &ts, &te))
			return RMX_OK; /* ldns will say what is missing */
		pos = te;
		if (i < 2 && (token_is_ttl(s, ts) || token_is_class(s, ts, te)))
			continue;
		break;
	}
	if (!token_is(s, ts, te, "RMX"))
		return RMX_OK;
	*was_rmx = true;
	if (zf->rmx_rdata == NULL) {
		zf->rmx_rdata = malloc(RMX_RDATA_MAX);
		if (zf->rmx_rdata == NULL)
			return report(zf, RMX_ENOMEM, "out of memory");
	}
	while (is_blank(s[te]))
		te++;
	rmx_diag_clear(&d);
	zf->rmx_rdlen = 0;
	rc = rmx_rdata_from_text(s + te, zf->origin_text, zf->rmx_rdata,
		RMX_RDATA_MAX, &zf->rmx_rdlen, &d);
	if (rc == RMX_ENOMEM)
		return report(zf, rc, "out of memory");
	if (rc == RMX_ESPACE)
		return report(zf, RMX_EMALFORMED,
			"RMX record: RDATA longer than %d octets",
			RMX_RDATA_MAX);
	if (rc != RMX_OK)
		return report(zf, RMX_EMALFORMED, "RMX record: %s", d.msg);
	snprintf(head, sizeof(head), "TYPE%u \\# 0", (unsigned)zf->rmx_type);
	rc = buf_append(&out, s, ts);
	if (rc == RMX_OK)
		rc = buf_append(&out, head, strlen(head));
	if (rc != RMX_OK) {
		free(out.s);
		return report(zf, rc, "out of memory");
	}
	free(zf->rec.s);
	zf->rec = out;
	return RMX_OK;
}

/* Give an RR parsed from "TYPE<code> \# 0" the converted RMX RDATA. */
static int attach_rmx_rdata(struct zonefile *zf, ldns_rr *rr)
{
	ldns_rdf *rdf;

	while (ldns_rr_rd_count(rr) > 0)
		ldns_rdf_deep_free(ldns_rr_pop_rdf(rr));
	if (zf->rmx_rdlen == 0)
		return RMX_OK;
	rdf = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_UNKNOWN, zf->rmx_rdlen,
		zf->rmx_rdata);
	if (rdf == NULL || !ldns_rr_push_rdf(rr, rdf)) {
		if (rdf != NULL)
			ldns_rdf_deep_free(rdf);
		return report(zf, RMX_ENOMEM, "out of memory");
	}
	return RMX_OK;
}

static int hand_over_rr(struct zonefile *zf, const ldns_rr *rr, bool was_rmx)
{
	struct rmx_zonefile_rr out;
	ldns_buffer *wire = ldns_buffer_new(512);
	char *owner = NULL, *text = NULL;
	size_t n;
	int rc;

	if (wire == NULL)
		return report(zf, RMX_ENOMEM, "out of memory");
	if (ldns_rr_rdata2buffer_wire(wire, rr) != LDNS_STATUS_OK) {
		ldns_buffer_free(wire);
		return report(zf, RMX_EMALFORMED, "cannot encode RDATA");
	}
	if (ldns_buffer_position(wire) > RMX_RDATA_MAX) {
		ldns_buffer_free(wire);
		return report(zf, RMX_EMALFORMED,
			"RDATA longer than 65535 octets");
	}
	owner = ldns_rdf2str(ldns_rr_owner(rr));
	text = ldns_rr2str(rr);
	if (owner == NULL || text == NULL) {
		free(owner);
		free(text);
		ldns_buffer_free(wire);
		return report(zf, RMX_ENOMEM, "out of memory");
	}
	n = strlen(text);
	while (n > 0 && (text[n - 1] == '\n' || is_blank(text[n - 1])))
		text[--n] = '\0';
	memset(&out, 0, sizeof(out));
	out.owner = owner;
	out.owner_wire = ldns_rdf_data(ldns_rr_owner(rr));
	out.owner_len = ldns_rdf_size(ldns_rr_owner(rr));
	out.ttl = ldns_rr_ttl(rr);
	out.rrclass = (uint16_t)ldns_rr_get_class(rr);
	out.type = (uint16_t)ldns_rr_get_type(rr);
	out.rdata = ldns_buffer_begin(wire);
	out.rdlen = ldns_buffer_position(wire);
	out.text = text;
	out.was_rmx = was_rmx;
	out.line = zf->rec_line;
	rc = zf->fn(zf->arg, &out);
	free(owner);
	free(text);
	ldns_buffer_free(wire);
	if (rc != RMX_OK && zf->diag != NULL && zf->diag->msg[0] == '\0')
		report(zf, rc, "%s", rmx_strerror(rc));
	return rc;
}

static int run_record(struct zonefile *zf)
{
	const char *s = zf->rec.s;
	size_t i;
	bool was_rmx;
	ldns_rr *rr = NULL;
	ldns_status st;
	int rc;

	for (i = 0; is_blank(s[i]); i++)
		;
	if (s[i] == '\0')
		return RMX_OK; /* blank line or comment only */
	if (s[0] == '$')
		return run_directive(zf, s);
	if (is_blank(s[0]) && zf->prev_owner == NULL)
		return report(zf, RMX_EMALFORMED,
			"record without an owner name and no previous owner");
	rc = convert_rmx(zf, &was_rmx);
	if (rc != RMX_OK)
		return rc;
	st = ldns_rr_new_frm_str(&rr, zf->rec.s, zf->default_ttl, zf->origin,
		&zf->prev_owner);
	if (st != LDNS_STATUS_OK)
		return report(zf, RMX_EMALFORMED, "%s",
			ldns_get_errorstr_by_id(st));
	if (was_rmx) {
		rc = attach_rmx_rdata(zf, rr);
		if (rc != RMX_OK) {
			ldns_rr_free(rr);
			return rc;
		}
	}
	if (zf->diag != NULL)
		zf->diag->msg[0] = '\0';
	rc = hand_over_rr(zf, rr, was_rmx);
	ldns_rr_free(rr);
	return rc;
}

/*
 * Append one physical line to the record, dropping the comment, turning
 * parentheses and the newline into blanks.  *depth is the parenthesis
 * depth; *done says the record is complete.
 */
static int add_line(struct zonefile *zf, const char *line, size_t len,
	int *depth, bool *done)
{
	bool quoted = false;
	size_t i, from = 0;
	int rc = RMX_OK;

	for (i = 0; i < len && rc == RMX_OK; i++) {
		char c = line[i];

		if (c == '\0')
			return report(zf, RMX_EMALFORMED, "NUL octet in line %zu",
				zf->line);
		if (c == '\\') {
			/* an escape and its character share a line; a cut-off
			 * one would escape the blank that ends the line */
			if (i + 1 == len || line[i + 1] == '\n' ||
			    line[i + 1] == '\r')
				return report(zf, RMX_EMALFORMED, "backslash at "
					"the end of line %zu", zf->line);
			i++;
			continue;
		}
		if (c == '"') {
			quoted = !quoted;
			continue;
		}
		if (quoted)
			continue;
		if (c == ';' || c == '\n' || c == '\r')
			break;
		if (c == '(' || c == ')') {
			if (c == '(') {
				(*depth)++;
			} else if (*depth == 0) {
				return report(zf, RMX_EMALFORMED,
					"')' without '(' in line %zu",
					zf->line);
			} else {
				(*depth)--;
			}
			rc = buf_append(&zf->rec, line + from, i - from);
			if (rc == RMX_OK)
				rc = buf_append(&zf->rec, " ", 1);
			from = i + 1;
		}
	}
	if (quoted)
		return report(zf, RMX_EMALFORMED,
			"unterminated quoted string in line %zu", zf->line);
	if (rc == RMX_OK && i > from)
		rc = buf_append(&zf->rec, line + from, i - from);
	if (rc == RMX_OK)
		rc = buf_append(&zf->rec, " ", 1);
	if (rc == RMX_ESPACE)
		return report(zf, RMX_EMALFORMED,
			"record longer than %d characters", ZONEFILE_RECORD_MAX);
	if (rc != RMX_OK)
		return report(zf, rc, "out of memory");
	*done = *depth == 0;
	return RMX_OK;
}

static int read_records(struct zonefile *zf)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	int depth = 0;
	int rc = RMX_OK;

	while (rc == RMX_OK && (got = getline(&line, &cap, zf->fp)) >= 0) {
		bool done = false;

		zf->line++;
		if (zf->rec.len == 0) {
			zf->rec_line = zf->line;
			rc = buf_append(&zf->rec, "", 0);
			if (rc != RMX_OK)
				break;
		}
		rc = add_line(zf, line, (size_t)got, &depth, &done);
		if (rc == RMX_OK && done) {
			rc = run_record(zf);
			zf->rec.len = 0;
			zf->rec.s[0] = '\0';
		}
	}
	free(line);
	if (rc != RMX_OK)
		return rc;
	if (ferror(zf->fp)) {
		zf->rec_line = zf->line;
		return report(zf, RMX_EIO, "read error: %s", strerror(errno));
	}
	if (depth > 0)
		return report(zf, RMX_EMALFORMED,
			"'(' not closed before the end of the file");
	return RMX_OK;
}

int rmx_zonefile_read(const char *path, const char *origin, uint16_t rmx_type,
	rmx_zonefile_rr_fn *fn, void *arg, struct rmx_diag *diag)
{
	struct zonefile zf;
	int rc;

	if (path == NULL || fn == NULL)
		return RMX_EINVAL;
	memset(&zf, 0, sizeof(zf));
	zf.path = path;
	zf.rmx_type = rmx_type;
	zf.fn = fn;
	zf.arg = arg;
	zf.diag = diag;
	if (diag != NULL)
		rmx_diag_clear(diag);
	rc = set_origin(&zf, origin == NULL || *origin == '\0' ? "." : origin);
	if (rc != RMX_OK) {
		ldns_rdf_deep_free(zf.origin);
		free(zf.origin_text);
		return rc;
	}
	zf.fp = fopen(path, "r");
	if (zf.fp == NULL) {
		rc = report(&zf, errno == ENOENT ? RMX_ENOTFOUND : RMX_EIO,
			"cannot open: %s", strerror(errno));
	} else {
		rc = read_records(&zf);
		fclose(zf.fp);
	}
	free(zf.rec.s);
	free(zf.rmx_rdata);
	if (zf.origin != NULL)
		ldns_rdf_deep_free(zf.origin);
	if (zf.prev_owner != NULL)
		ldns_rdf_deep_free(zf.prev_owner);
	free(zf.origin_text);
	return rc;
}

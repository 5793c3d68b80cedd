/*
 * spf_macro.c - SPF macro-strings (RFC 7208 section 7).
 *
 * Offers: a syntax check of a macro-string (spf_macro_check, used by the
 * record parser so that a bad macro anywhere is a permerror before any
 * evaluation), expansion into a growing, bounded buffer
 * (spf_macro_expand), the domain-name finishing step of RFC 7208 7.3
 * (drop a trailing dot, cut labels on the left down to 253 octets, check
 * labels), and the presentation text of a finished name for the resolver.
 *
 * Every letter s l o d i p h c r t v; transformers (right-hand parts,
 * reversal) and delimiters .-+,/_=; URL escaping for upper-case letters;
 * %% %_ %-; c r t only in explanation text.  Transformer digits of any
 * size saturate (never overflow); zero is a syntax error (7.1: "MUST be
 * nonzero").
 *
 * Bad input gets SPF_EXPAND_SYNTAX with the offset and a reason in the
 * info struct.  Output never exceeds buf->max: past it, SPF_EXPAND_TOOLONG.
 * In domain mode the buffer keeps only the right-hand part that the final
 * 253-octet truncation could keep, so a hostile record or sender cannot
 * make it large.  All writes go through buf_reserve(), which checks room
 * before every copy: there is no size computed in a first pass and trusted
 * in a second (the libspf2 CVE-2021-20314/33912/33913 pattern).
 *
 * Does not: look anything up.  The p macro needs the validated PTR name;
 * when ctx->ptr is NULL the expansion returns SPF_EXPAND_NEED_PTR and the
 * evaluator finds the name and expands again.
 */
#include "spf.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* In domain mode, compact the buffer when it grows past this. */
#define SPF_COMPACT_AT 1024

static const char delim_default[] = ".";

static bool is_unreserved(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		(ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
		ch == '_' || ch == '~';
}

void spf_buf_init(struct spf_buf *b, spf_alloc_fn *alloc, void *actx,
	size_t max, bool domain)
{
	memset(b, 0, sizeof(*b));
	b->alloc = alloc;
	b->actx = actx;
	b->max = max;
	b->domain = domain;
}

/* Make room for add more octets plus the terminating NUL. */
static int buf_reserve(struct spf_buf *b, size_t add)
{
	size_t need, ncap;
	char *np;

	if (add > b->max || b->max - add < b->len)
		return SPF_EXPAND_TOOLONG;
	need = b->len + add + 1;
	if (need <= b->cap)
		return SPF_EXPAND_OK;
	ncap = b->cap != 0 ? b->cap : 64;
	while (ncap < need)
		ncap *= 2;
	if (ncap > b->max + 1)
		ncap = b->max + 1;
	np = b->alloc(b->actx, ncap);
	if (np == NULL)
		return SPF_EXPAND_NOMEM;
	if (b->len > 0)
		memcpy(np, b->p, b->len);
	np[b->len] = '\0';
	b->p = np;
	b->cap = ncap;
	return SPF_EXPAND_OK;
}

/*
 * Domain mode: drop what the final truncation (spf_name_finish) cannot
 * keep.  The final name is cut at the first dot that leaves at most 253
 * octets (254 with a trailing dot).  Any such dot in the final text lies
 * at or after the first dot that leaves at most 254 octets now, because
 * text only grows; so everything before that dot can go.  When no dot
 * qualifies, the last label is already too long to be kept: drop it all
 * and remember that the front is inside it.
 */
static void buf_compact(struct spf_buf *b)
{
	size_t q;

	for (q = b->len - (SPF_NAME_MAX + 2); q < b->len; q++)
		if (b->p[q] == '.')
			break;
	if (q < b->len) {
		memmove(b->p, b->p + q + 1, b->len - q - 1);
		b->len -= q + 1;
		b->head_open = false;
	} else {
		b->len = 0;
		b->head_open = true;
	}
	b->p[b->len] = '\0';
}

static int buf_put(struct spf_buf *b, const char *s, size_t n, bool escape)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, outlen = n;
	int rc;

	if (escape) {
		for (i = 0; i < n; i++)
			if (!is_unreserved((unsigned char)s[i]))
				outlen += 2;
	}
	rc = buf_reserve(b, outlen);
	if (rc != SPF_EXPAND_OK)
		return rc;
	if (outlen == n) {
		if (n > 0)
			memcpy(b->p + b->len, s, n);
		b->len += n;
	} else {
		for (i = 0; i < n; i++) {
			unsigned char ch = (unsigned char)s[i];

			if (is_unreserved(ch)) {
				b->p[b->len++] = (char)ch;
			} else {
				b->p[b->len++] = '%';
				b->p[b->len++] = hex[ch >> 4];
				b->p[b->len++] = hex[ch & 0x0f];
			}
		}
	}
	b->p[b->len] = '\0';
	if (b->domain && b->len > SPF_COMPACT_AT)
		buf_compact(b);
	return SPF_EXPAND_OK;
}

static bool is_delim(unsigned char ch, const char *delims, size_t nd)
{
	return ch != '\0' && memchr(delims, ch, nd) != NULL;
}

/*
 * Append value v[0..vlen) transformed (RFC 7208 7.3): split at any of the
 * delimiters, optionally reverse, keep the n right-hand parts (n 0: all),
 * join with '.'.  Counting from the left and walking the string in place
 * needs no array of parts, however many there are.
 */
static int put_transformed(struct spf_buf *b, const char *v, size_t vlen,
	size_t n, bool reverse, const char *delims, size_t nd, bool escape)
{
	size_t parts = 1, keep, i, k, pos;
	int rc;

	for (i = 0; i < vlen; i++)
		if (is_delim((unsigned char)v[i], delims, nd))
			parts++;
	keep = (n == 0 || n > parts) ? parts : n;
	if (!reverse) {
		size_t skip = parts - keep;

		pos = 0;
		k = 0;
		for (i = 0; skip > 0 && i < vlen; i++) {
			if (is_delim((unsigned char)v[i], delims, nd) &&
			    ++k == skip) {
				pos = i + 1;
				break;
			}
		}
		for (i = pos; i < vlen; i++) {
			if (!is_delim((unsigned char)v[i], delims, nd))
				continue;
			rc = buf_put(b, v + pos, i - pos, escape);
			if (rc == SPF_EXPAND_OK)
				rc = buf_put(b, ".", 1, false);
			if (rc != SPF_EXPAND_OK)
				return rc;
			pos = i + 1;
		}
		return buf_put(b, v + pos, vlen - pos, escape);
	}
	/* Reversed: parts keep-1 .. 0 of the original order. */
	pos = vlen;
	k = 0;
	for (i = 0; i < vlen; i++) {
		if (is_delim((unsigned char)v[i], delims, nd) && ++k == keep) {
			pos = i;
			break;
		}
	}
	for (k = 0;; k++) {
		size_t ps = pos;

		while (ps > 0 && !is_delim((unsigned char)v[ps - 1], delims, nd))
			ps--;
		if (k > 0 && (rc = buf_put(b, ".", 1, false)) != SPF_EXPAND_OK)
			return rc;
		rc = buf_put(b, v + ps, pos - ps, escape);
		if (rc != SPF_EXPAND_OK)
			return rc;
		if (ps == 0)
			return SPF_EXPAND_OK;
		pos = ps - 1;
	}
}

/* Decimal octet to text; returns the length written (1-3). */
static size_t put_octet(char *out, unsigned v)
{
	size_t n = 0;

	if (v >= 100)
		out[n++] = (char)('0' + v / 100);
	if (v >= 10)
		out[n++] = (char)('0' + v / 10 % 10);
	out[n++] = (char)('0' + v % 10);
	return n;
}

/* The i macro: dotted quad, or 32 dot-separated nibbles (upper case, as
 * RFC 7208 7.4 writes them).  out holds at least 64 octets. */
static size_t format_i(const struct rmx_addr *ip, char *out)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;
	int j;

	if (ip->family == 4) {
		for (j = 0; j < 4; j++) {
			if (j > 0)
				out[n++] = '.';
			n += put_octet(out + n, ip->a[j]);
		}
	} else {
		for (j = 0; j < 16; j++) {
			if (j > 0)
				out[n++] = '.';
			out[n++] = hex[ip->a[j] >> 4];
			out[n++] = '.';
			out[n++] = hex[ip->a[j] & 0x0f];
		}
	}
	out[n] = '\0';
	return n;
}

/*
 * The value of a macro letter (lower case).  tmp (80 octets) holds values
 * that are formatted.  Returns NULL for p when the PTR name is not known;
 * *need_ptr is set then.  NULL with !*need_ptr: out of memory.
 */
static const char *macro_value(const struct spf_macro_ctx *ctx, char letter,
	char *tmp, struct spf_buf *b, size_t *vlen, bool *need_ptr)
{
	const char *v = NULL;

	*need_ptr = false;
	switch (letter) {
	case 's': {
		size_t ll = strlen(ctx->local), dl = strlen(ctx->sender_domain);
		char *s = b->alloc(b->actx, ll + dl + 2);

		if (s == NULL)
			return NULL;
		memcpy(s, ctx->local, ll);
		s[ll] = '@';
		memcpy(s + ll + 1, ctx->sender_domain, dl);
		s[ll + 1 + dl] = '\0';
		*vlen = ll + 1 + dl;
		return s;
	}
	case 'l':
		v = ctx->local;
		break;
	case 'o':
		v = ctx->sender_domain;
		break;
	case 'd':
		v = ctx->domain;
		break;
	case 'i':
		*vlen = format_i(ctx->ip, tmp);
		return tmp;
	case 'p':
		if (ctx->ptr == NULL) {
			*need_ptr = true;
			return NULL;
		}
		v = ctx->ptr;
		break;
	case 'v':
		v = ctx->ip->family == 4 ? "in-addr" : "ip6";
		break;
	case 'h':
		v = ctx->helo;
		break;
	case 'c':
		rmx_addr_to_text(ctx->ip, tmp, 80);
		v = tmp;
		break;
	case 'r':
		v = ctx->receiver;
		break;
	case 't':
		snprintf(tmp, 80, "%lld", (long long)(ctx->now >= 0 ? ctx->now :
			(int64_t)time(NULL)));
		v = tmp;
		break;
	default:
		v = "";
		break;
	}
	if (v == NULL)
		v = "";
	*vlen = strlen(v);
	return v;
}

static int syntax_error(struct spf_macro_info *info, size_t off,
	const char *why)
{
	info->bad_offset = off;
	info->why = why;
	return SPF_EXPAND_SYNTAX;
}

/*
 * Walk a macro-string: check it, and with ctx and b, expand it.  One
 * function for both, so that what the parser accepts is exactly what the
 * evaluator can expand.
 */
static int macro_walk(const struct spf_macro_ctx *ctx, const char *s,
	size_t len, bool exp, struct spf_buf *b, struct spf_macro_info *info)
{
	size_t i = 0;
	int rc;

	memset(info, 0, sizeof(*info));
	while (i < len) {
		size_t j, start, n = 0, dstart;
		unsigned char ch = (unsigned char)s[i];
		char letter;
		bool digits = false, reverse = false, upper;

		if (ch != '%') {
			for (start = i; i < len && s[i] != '%'; i++) {
				ch = (unsigned char)s[i];
				if (ch > 0x7e || ch < 0x20 || (ch == ' ' && !exp))
					return syntax_error(info, i,
						"character not allowed in a "
						"macro-string");
			}
			info->ends_in_macro = false;
			if (b != NULL &&
			    (rc = buf_put(b, s + start, i - start, false)) !=
			    SPF_EXPAND_OK)
				return rc;
			continue;
		}
		info->has_macro = true;
		info->ends_in_macro = true;
		if (len - i < 2)
			return syntax_error(info, i, "'%' at the end");
		ch = (unsigned char)s[i + 1];
		if (ch == '%' || ch == '_' || ch == '-') {
			const char *lit = ch == '%' ? "%" : ch == '_' ? " " :
				"%20";

			if (b != NULL && (rc = buf_put(b, lit, strlen(lit),
			    false)) != SPF_EXPAND_OK)
				return rc;
			i += 2;
			continue;
		}
		if (ch != '{')
			return syntax_error(info, i,
				"'%' not followed by '{', '%', '_' or '-'");
		j = i + 2;
		if (j >= len)
			return syntax_error(info, i, "unterminated macro");
		ch = (unsigned char)s[j];
		upper = ch >= 'A' && ch <= 'Z';
		letter = (char)(upper ? ch - 'A' + 'a' : ch);
		if (letter == '\0' || strchr("slodiphcrtv", letter) == NULL ||
		    !((ch >= 'a' && ch <= 'z') || upper))
			return syntax_error(info, j, "unknown macro letter");
		if (!exp && (letter == 'c' || letter == 'r' || letter == 't'))
			return syntax_error(info, j,
				"macro letters c, r and t are allowed only in "
				"explanation text");
		j++;
		while (j < len && s[j] >= '0' && s[j] <= '9') {
			unsigned d = (unsigned)(s[j] - '0');

			digits = true;
			n = n > (SIZE_MAX - 9) / 10 ? SIZE_MAX : n * 10 + d;
			j++;
		}
		if (digits && n == 0)
			return syntax_error(info, j - 1,
				"macro transformer digits must not be zero");
		if (j < len && (s[j] == 'r' || s[j] == 'R')) {
			reverse = true;
			j++;
		}
		dstart = j;
		while (j < len && s[j] != '\0' && strchr(".-+,/_=", s[j]))
			j++;
		if (j >= len || s[j] != '}')
			return syntax_error(info, j < len ? j : len,
				"macro not closed by '}'");
		if (letter == 'p')
			info->uses_p = true;
		if (b != NULL) {
			char tmp[80];
			size_t vlen = 0;
			bool need_ptr;
			const char *v = macro_value(ctx, letter, tmp, b, &vlen,
				&need_ptr);
			const char *delims = s + dstart;
			size_t nd = j - dstart;

			if (v == NULL)
				return need_ptr ? SPF_EXPAND_NEED_PTR :
					SPF_EXPAND_NOMEM;
			if (nd == 0) {
				delims = delim_default;
				nd = 1;
			}
			rc = put_transformed(b, v, vlen, n, reverse, delims,
				nd, upper);
			if (rc != SPF_EXPAND_OK)
				return rc;
		}
		i = j + 1;
	}
	if (b != NULL && b->p == NULL &&
	    (rc = buf_reserve(b, 0)) != SPF_EXPAND_OK)
		return rc;
	return SPF_EXPAND_OK;
}

int spf_macro_check(const char *s, size_t len, bool exp,
	struct spf_macro_info *info)
{
	return macro_walk(NULL, s, len, exp, NULL, info);
}

int spf_macro_expand(const struct spf_macro_ctx *ctx, const char *s,
	size_t len, bool exp, struct spf_buf *b)
{
	struct spf_macro_info info;

	return macro_walk(ctx, s, len, exp, b, &info);
}

const char *spf_name_finish(struct spf_buf *b)
{
	char *p = b->p;
	size_t len = b->len, start = 0, i, label = 0;

	if (p == NULL)
		return NULL;
	if (len > 0 && p[len - 1] == '.')
		len--;
	p[len] = '\0';
	if (b->head_open || len > SPF_NAME_MAX) {
		size_t q = len > SPF_NAME_MAX + 1 ? len - (SPF_NAME_MAX + 1) : 0;

		for (; q < len; q++)
			if (p[q] == '.')
				break;
		if (q >= len)
			return NULL;
		start = q + 1;
	}
	if (start >= len)
		return NULL;
	for (i = start; i < len; i++) {
		if (p[i] == '.') {
			if (label == 0)
				return NULL;
			label = 0;
		} else if (++label > 63) {
			return NULL;
		}
	}
	if (label == 0)
		return NULL;
	return p + start;
}

static bool is_plain_name_octet(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		(ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.';
}

const char *spf_name_query_text(const char *name, spf_alloc_fn *alloc,
	void *actx)
{
	size_t len = 0, extra = 0, i, n = 0;
	char *out;

	for (; name[len] != '\0'; len++)
		if (!is_plain_name_octet((unsigned char)name[len]))
			extra += 3;
	if (extra == 0)
		return name;
	out = alloc(actx, len + extra + 1);
	if (out == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)name[i];

		if (is_plain_name_octet(ch)) {
			out[n++] = (char)ch;
		} else {
			out[n++] = '\\';
			out[n++] = (char)('0' + ch / 100);
			out[n++] = (char)('0' + ch / 10 % 10);
			out[n++] = (char)('0' + ch % 10);
		}
	}
	out[n] = '\0';
	return out;
}

int spf_expand_name(const struct spf_macro_ctx *ctx, const char *spec,
	size_t len, spf_alloc_fn *alloc, void *actx, const char **name)
{
	struct spf_buf b;
	int rc;

	*name = NULL;
	spf_buf_init(&b, alloc, actx, 65536, true);
	rc = spf_macro_expand(ctx, spec, len, false, &b);
	if (rc == SPF_EXPAND_TOOLONG)
		return SPF_EXPAND_OK; /* cannot be a name: no match */
	if (rc != SPF_EXPAND_OK)
		return rc;
	*name = spf_name_finish(&b);
	return SPF_EXPAND_OK;
}

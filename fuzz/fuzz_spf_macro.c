/*
 * fuzz_spf_macro.c - libFuzzer target: the SPF macro expander
 * (lib/spf_macro.c) with a fuzzed macro-string and fuzzed sender, domain,
 * HELO, client IP, PTR name and receiver.
 *
 * Input: octet 0 = options (bit 0: explain-string rules; bit 1: domain
 * mode; bit 2: PTR name known; bits 4-6: output bound, one of
 * 16 32 64 253 512 1024 4096 8192), then fields separated by '\n':
 * MACRO-STRING, LOCAL, SENDER-DOMAIN, DOMAIN, HELO, IP, PTR, RECEIVER.
 * A missing field is "" (IP: 192.0.2.3 when it does not parse).  The
 * macro-string is a buffer of exactly its size (not NUL-terminated).
 *
 * Properties:
 *   - spf_macro_check and spf_macro_expand agree: SYNTAX from one iff from
 *     the other (unless expansion stopped early: NEED_PTR, TOOLONG,
 *     NOMEM), and bad_offset <= len;
 *   - SPF_EXPAND_NEED_PTR only when the string uses p and no PTR name is
 *     known;
 *   - on OK the output is NUL-terminated, strlen == b.len <= b.max,
 *     and b.len < b.cap (every allocation is separate: ASan watches the
 *     buffer's bounds); a string without '%' expands to itself (when not
 *     in domain mode and it fits);
 *   - spf_name_finish gives NULL or a name of at most 253 octets, labels
 *     1-63, no trailing dot; spf_name_query_text of it parses with
 *     rmx_name_from_text;
 *   - spf_expand_name gives a name under the same bounds, or NULL.
 */
#include <rmx/name.h>

#include "fuzz_alloc.h"
#include "fuzz_util.h"
#include "spf.h"

#define NFIELDS 8

static const size_t bounds[8] = {16, 32, 64, 253, 512, 1024, 4096, 8192};

static void check_name(const char *name, struct fuzz_arena *arena,
	const char *who)
{
	uint8_t wire[RMX_NAME_MAXWIRE];
	size_t n = strlen(name), wl, label = 0, i;
	struct rmx_diag diag;
	const char *q;

	FUZZ_ASSERT(n >= 1 && n <= SPF_NAME_MAX, "%s: name of %zu octets",
		who, n);
	FUZZ_ASSERT(name[n - 1] != '.', "%s: trailing dot in \"%s\"", who,
		name);
	for (i = 0; i <= n; i++) {
		if (i == n || name[i] == '.') {
			FUZZ_ASSERT(label >= 1 && label <= 63,
				"%s: label of %zu octets in \"%s\"", who,
				label, name);
			label = 0;
		} else {
			label++;
		}
	}
	q = spf_name_query_text(name, fuzz_arena_alloc, arena);
	if (q == NULL)
		return; /* budget */
	if (rmx_name_from_text(q, strlen(q), NULL, wire, &wl, &diag) != RMX_OK)
		fuzz_fail("%s: query text \"%s\" does not parse: %s", who, q,
			diag.msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *field[NFIELDS] = {0};
	size_t flen[NFIELDS] = {0};
	struct spf_macro_ctx ctx;
	struct spf_macro_info info;
	struct fuzz_arena arena;
	struct rmx_addr ip;
	struct spf_buf b;
	const char *name;
	uint8_t opts;
	size_t off = 1, i;
	bool exp, domain;
	int rc, crc;

	if (size < 1 || size > 16 * 1024)
		return 0;
	opts = data[0];
	exp = opts & 1;
	domain = (opts & 2) != 0;
	for (i = 0; i < NFIELDS; i++) {
		size_t end = off;

		while (end < size && data[end] != '\n')
			end++;
		if (off <= size) {
			flen[i] = end - off;
			field[i] = malloc(flen[i] > 0 ? flen[i] : 1);
			if (field[i] == NULL)
				abort();
			memcpy(field[i], data + off, flen[i]);
		}
		off = end + 1;
	}
	/* field 0 stays raw (exact size); the others become C strings */
	for (i = 1; i < NFIELDS; i++) {
		char *s = fuzz_strndup((const uint8_t *)(field[i] != NULL ?
			field[i] : ""), field[i] != NULL ? flen[i] : 0);

		free(field[i]);
		field[i] = s;
	}
	if (rmx_addr_parse(field[5], &ip) != 0)
		rmx_addr_parse("192.0.2.3", &ip);

	memset(&ctx, 0, sizeof(ctx));
	ctx.local = field[1][0] != '\0' ? field[1] : "postmaster";
	ctx.sender_domain = field[2];
	ctx.domain = field[3];
	ctx.helo = field[4];
	ctx.ip = &ip;
	ctx.ptr = (opts & 4) ? field[6] : NULL;
	ctx.receiver = field[7];
	ctx.now = 1700000000;

	memset(&info, 0, sizeof(info));
	crc = spf_macro_check(field[0] != NULL ? field[0] : "", flen[0], exp,
		&info);
	FUZZ_ASSERT(crc == SPF_EXPAND_OK || crc == SPF_EXPAND_SYNTAX,
		"spf_macro_check returned %d", crc);
	if (crc == SPF_EXPAND_SYNTAX)
		FUZZ_ASSERT(info.bad_offset <= flen[0] && info.why != NULL,
			"syntax error at %zu of %zu, why %p", info.bad_offset,
			flen[0], (const void *)info.why);

	fuzz_arena_init(&arena, RMX_CHECK_MEMORY_MAX);
	spf_buf_init(&b, fuzz_arena_alloc, &arena, bounds[(opts >> 4) & 7],
		domain);
	rc = spf_macro_expand(&ctx, field[0] != NULL ? field[0] : "",
		flen[0], exp, &b);
	FUZZ_ASSERT(rc >= SPF_EXPAND_TOOLONG && rc <= SPF_EXPAND_NEED_PTR,
		"spf_macro_expand returned %d", rc);
	/* Expansion stops early at a %{p} it cannot expand yet, at the output
	 * bound or when memory runs out, so a syntax error after that point is
	 * not seen (the parser checks every macro-string up front with
	 * spf_macro_check anyway).  Otherwise the two agree. */
	if (rc == SPF_EXPAND_SYNTAX)
		FUZZ_ASSERT(crc == SPF_EXPAND_SYNTAX,
			"spf_macro_expand SYNTAX, spf_macro_check %d", crc);
	if (crc == SPF_EXPAND_SYNTAX)
		FUZZ_ASSERT(rc != SPF_EXPAND_OK,
			"spf_macro_check SYNTAX, spf_macro_expand OK");
	if (rc == SPF_EXPAND_NEED_PTR)
		FUZZ_ASSERT(info.uses_p && ctx.ptr == NULL,
			"NEED_PTR without %%{p} or with a PTR name");
	FUZZ_ASSERT(b.len <= b.max, "buffer length %zu over max %zu",
		b.len, b.max);
	if (rc == SPF_EXPAND_OK) {
		FUZZ_ASSERT(b.p != NULL || b.len == 0, "OK without output");
		if (b.p != NULL) {
			FUZZ_ASSERT(b.len < b.cap && b.p[b.len] == '\0' &&
				strlen(b.p) == b.len,
				"output not terminated at len %zu (cap %zu)",
				b.len, b.cap);
			if (exp)
				FUZZ_ASSERT(b.len == 0 || b.p[0] != '\0',
					"explanation");
		}
		if (!info.has_macro && !domain)
			FUZZ_ASSERT(b.len == flen[0] && (b.len == 0 ||
				memcmp(b.p, field[0], b.len) == 0),
				"a string without %% changed in expansion");
		if (domain) {
			name = spf_name_finish(&b);
			if (name != NULL)
				check_name(name, &arena, "spf_name_finish");
		}
	}
	fuzz_arena_free(&arena);

	if (crc == SPF_EXPAND_OK && !exp) {
		fuzz_arena_init(&arena, RMX_CHECK_MEMORY_MAX);
		name = NULL;
		rc = spf_expand_name(&ctx, field[0] != NULL ? field[0] : "",
			flen[0], fuzz_arena_alloc, &arena, &name);
		FUZZ_ASSERT(rc >= SPF_EXPAND_TOOLONG &&
			rc <= SPF_EXPAND_NEED_PTR && rc != SPF_EXPAND_SYNTAX,
			"spf_expand_name returned %d", rc);
		if (rc == SPF_EXPAND_OK && name != NULL)
			check_name(name, &arena, "spf_expand_name");
		fuzz_arena_free(&arena);
	}
	for (i = 0; i < NFIELDS; i++)
		free(field[i]);
	return 0;
}

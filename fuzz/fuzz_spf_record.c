/*
 * fuzz_spf_record.c - libFuzzer target: the SPF record parser
 * (lib/spf_parse.c, spf_record_parse).
 *
 * Input: the record text (a buffer of exactly its size, not
 * NUL-terminated), parsed with a budget of 256 KiB (RMX_CHECK_MEMORY_MAX,
 * what a check's arena holds), then again with a budget cut to a fraction
 * of what the first parse used.
 *
 * Properties:
 *   - spf_record_parse returns RMX_OK, RMX_EMALFORMED (diag->offset within
 *     the text, message terminated) or RMX_ENOMEM;
 *   - a parsed record is bounded by its text: nterms <= len, each term's
 *     text inside the input; kinds, qualifiers and CIDR lengths in range;
 *     nlookups counts the counting terms (+1 for redirect at most);
 *   - each domain-spec: spec NUL-terminated with strlen == spec_len;
 *     macro iff it holds '%', and then spf_macro_check accepts it; without
 *     macro: name set, and when valid at most 253 octets, no trailing
 *     dot, and a qname that rmx_name_from_text parses;
 *   - with less memory the parse gives the same code or RMX_ENOMEM.
 */
#include <rmx/check.h>
#include <rmx/name.h>

#include "fuzz_alloc.h"
#include "fuzz_util.h"
#include "spf.h"

static void check_domain(const struct spf_domain *d, const char *what,
	unsigned i)
{
	size_t n;

	if (d->spec == NULL)
		return;
	n = strlen(d->spec);
	FUZZ_ASSERT(n == d->spec_len || fuzz_known("spf-spec-dot"),
		"term %u %s: strlen %zu, spec_len %u (spec \"%s\")", i, what,
		n, d->spec_len, d->spec);
	FUZZ_ASSERT(d->macro == (memchr(d->spec, '%', n) != NULL),
		"term %u %s \"%s\": macro flag %d", i, what, d->spec,
		d->macro);
	if (d->macro) {
		struct spf_macro_info info;

		FUZZ_ASSERT(spf_macro_check(d->spec, n, false, &info) ==
			SPF_EXPAND_OK,
			"term %u %s \"%s\": parser accepted a bad macro", i,
			what, d->spec);
		return;
	}
	FUZZ_ASSERT(d->name != NULL, "term %u %s: no name", i, what);
	n = strlen(d->name);
	if (d->valid) {
		FUZZ_ASSERT(n >= 1 && n <= SPF_NAME_MAX,
			"term %u %s: valid name of %zu octets", i, what, n);
		FUZZ_ASSERT(d->name[n - 1] != '.',
			"term %u %s: valid name \"%s\" with a trailing dot", i,
			what, d->name);
		uint8_t wire[RMX_NAME_MAXWIRE];
		size_t wl;
		struct rmx_diag diag;

		FUZZ_ASSERT(d->qname != NULL, "term %u %s: valid, no qname",
			i, what);
		if (rmx_name_from_text(d->qname, strlen(d->qname), NULL, wire,
		    &wl, &diag) != RMX_OK)
			fuzz_fail("term %u %s: qname \"%s\" does not parse: %s",
				i, what, d->qname, diag.msg);
	}
}

static void check_record(const struct spf_record *r, const char *text,
	size_t len)
{
	unsigned i, counting = 0;

	FUZZ_ASSERT(r->nterms <= len, "%u terms from %zu octets", r->nterms,
		len);
	FUZZ_ASSERT(r->nterms == 0 || r->terms != NULL, "terms NULL");
	for (i = 0; i < r->nterms; i++) {
		const struct spf_term *t = &r->terms[i];

		FUZZ_ASSERT(t->text >= text && t->text_len <= len &&
			(size_t)(t->text - text) <= len - t->text_len,
			"term %u text outside the record", i);
		FUZZ_ASSERT(t->kind <= SPF_EXISTS, "term %u kind %u", i,
			t->kind);
		FUZZ_ASSERT(spf_kind_name(t->kind) != NULL,
			"term %u kind without name", i);
		FUZZ_ASSERT(t->result == RMX_RESULT_PASS ||
			t->result == RMX_RESULT_FAIL ||
			t->result == RMX_RESULT_SOFTFAIL ||
			t->result == RMX_RESULT_NEUTRAL,
			"term %u qualifier result %u", i, t->result);
		FUZZ_ASSERT(t->cidr4 <= 32 && t->cidr6 <= 128,
			"term %u cidr %u/%u", i, t->cidr4, t->cidr6);
		if (spf_kind_counts(t->kind))
			counting++;
		check_domain(&t->domain, "domain", i);
	}
	FUZZ_ASSERT(r->nlookups >= counting && r->nlookups <= counting + 1,
		"nlookups %u, counting terms %u", r->nlookups, counting);
	if (r->has_redirect)
		check_domain(&r->redirect, "redirect", i);
	if (r->has_exp)
		check_domain(&r->exp, "exp", i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_arena arena;
	struct spf_record rec;
	struct rmx_diag diag;
	size_t used;
	char *text;
	int rc, rc2;

	if (size > 2 * SPF_RECORD_MAX)
		return 0;
	text = malloc(size > 0 ? size : 1);
	if (text == NULL)
		abort();
	if (size > 0)
		memcpy(text, data, size);
	(void)spf_is_record(text, size);

	fuzz_arena_init(&arena, RMX_CHECK_MEMORY_MAX);
	memset(&rec, 0, sizeof(rec));
	memset(&diag, 0, sizeof(diag));
	rc = spf_record_parse(text, size, fuzz_arena_alloc, &arena, &rec,
		&diag);
	FUZZ_ASSERT(rc == RMX_OK || rc == RMX_EMALFORMED || rc == RMX_ENOMEM,
		"spf_record_parse returned %d", rc);
	if (rc == RMX_OK) {
		check_record(&rec, text, size);
	} else if (rc == RMX_EMALFORMED) {
		fuzz_check_diag(&diag, "spf_record_parse");
		FUZZ_ASSERT(diag.offset <= size, "diag offset %zu past %zu",
			diag.offset, size);
	}
	used = arena.used;
	fuzz_arena_free(&arena);

	if (used > 0) {
		fuzz_arena_init(&arena, used / 2);
		memset(&rec, 0, sizeof(rec));
		rc2 = spf_record_parse(text, size, fuzz_arena_alloc, &arena,
			&rec, &diag);
		FUZZ_ASSERT(rc2 == rc || rc2 == RMX_ENOMEM,
			"with %zu octets of memory: %d, with plenty: %d",
			used / 2, rc2, rc);
		if (rc2 == RMX_OK)
			check_record(&rec, text, size);
		fuzz_arena_free(&arena);
	}
	free(text);
	return 0;
}

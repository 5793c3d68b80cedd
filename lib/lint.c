/*
 * lint.c - findings about an RMX RRset before it is published
 * (rmx/lint.h).
 *
 * One table gives each finding its name and severity; the checks walk the
 * entries once.  Entry numbers are positions in the concatenated list of
 * all RRs, the order a checker walks them (RMX.md 1).  A malformed RR is
 * reported alone: the other checks need valid data.
 *
 * What it does not do: DNS lookups (a host name that does not resolve is
 * not found here), or judge whether a network is the right one.
 */
#include <rmx/lint.h>
#include <rmx/record.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define LINT_MAX_LOOKUPS 10 /* RMX.md 2 limits */

static const struct {
	const char *name;
	enum rmx_lint_severity severity;
} lint_codes[] = {
	[RMX_LINT_MALFORMED] = {"malformed", RMX_LINT_ERROR},
	[RMX_LINT_LOOKUP_LIMIT] = {"lookup-limit", RMX_LINT_ERROR},
	[RMX_LINT_ORDER] = {"rr-order", RMX_LINT_WARNING},
	[RMX_LINT_EMPTY] = {"empty", RMX_LINT_WARNING},
	[RMX_LINT_NONE_MIXED] = {"none-mixed", RMX_LINT_WARNING},
	[RMX_LINT_UNREACHABLE] = {"unreachable", RMX_LINT_WARNING},
	[RMX_LINT_PASS_ALL] = {"pass-all", RMX_LINT_WARNING},
	[RMX_LINT_DUPLICATE] = {"duplicate", RMX_LINT_WARNING},
	[RMX_LINT_UNKNOWN_TYPE] = {"unknown-type", RMX_LINT_WARNING},
	[RMX_LINT_EXPERIMENTAL] = {"experimental", RMX_LINT_WARNING},
};

struct lint {
	rmx_lint_fn *fn;
	void *arg;
	int errors;
};

static void report(struct lint *l, enum rmx_lint_code code, size_t entry,
	const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void report(struct lint *l, enum rmx_lint_code code, size_t entry,
	const char *fmt, ...)
{
	struct rmx_lint_finding f;
	char msg[RMX_ENTRY_MAXTEXT + 256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f.code = code;
	f.severity = lint_codes[code].severity;
	f.entry = entry;
	f.name = lint_codes[code].name;
	f.msg = msg;
	if (f.severity == RMX_LINT_ERROR)
		l->errors++;
	if (l->fn != NULL)
		l->fn(l->arg, &f);
}

static bool entry_equal(const struct rmx_entry *a, const struct rmx_entry *b)
{
	return a->type == b->type && a->negated == b->negated &&
	       a->len == b->len && memcmp(a->data, b->data, a->len) == 0;
}

/* Does the entry match every client of a family (4, 6) or all (10)? */
static int matches_all(const struct rmx_entry *e)
{
	if (e->type == RMX_ENTRY_NONE)
		return 10;
	if (e->type == RMX_ENTRY_IP4 && e->data[0] == 0)
		return 4;
	if (e->type == RMX_ENTRY_IP6 && e->data[0] == 0)
		return 6;
	return 0;
}

/* Walk the entries of one valid RR; `index` counts across RRs. */
static void lint_entries(struct lint *l, const uint8_t *rdata, size_t len,
	size_t *index, unsigned *lookups, bool *v4all, bool *v6all,
	bool *unreachable_reported, size_t nentries_total)
{
	struct rmx_iter it;
	struct rmx_entry e;
	char text[RMX_ENTRY_MAXTEXT];

	rmx_iter_init(&it, rdata, len);
	while (rmx_iter_next(&it, &e) == 1) {
		size_t i = ++*index;
		int all;

		if (rmx_entry_to_text(&e, text, sizeof(text), NULL) != RMX_OK)
			snprintf(text, sizeof(text), "type%u", e.type);
		if ((*v4all && *v6all) && !*unreachable_reported) {
			report(l, RMX_LINT_UNREACHABLE, i, "entry %zu (%s) and "
				"all after it are never reached: earlier "
				"entries match every client", i, text);
			*unreachable_reported = true;
		}
		if (rmx_entry_needs_lookup(e.type) &&
		    ++*lookups == LINT_MAX_LOOKUPS + 1)
			report(l, RMX_LINT_LOOKUP_LIMIT, i, "entry %zu (%s) is "
				"lookup entry %d: a check that reaches it ends "
				"in permerror (at most %d per check)", i, text,
				LINT_MAX_LOOKUPS + 1, LINT_MAX_LOOKUPS);
		if (e.type == RMX_ENTRY_NONE && nentries_total > 1)
			report(l, RMX_LINT_NONE_MIXED, i, "entry %zu (none) "
				"says the domain sends no mail, yet the record "
				"lists other entries", i);
		all = matches_all(&e);
		if (all != 0 && !e.negated && e.type != RMX_ENTRY_NONE)
			report(l, RMX_LINT_PASS_ALL, i, "entry %zu (%s) "
				"authorizes every IPv%d client on the "
				"Internet", i, text, all);
		if (all == 4 || all == 10)
			*v4all = true;
		if (all == 6 || all == 10)
			*v6all = true;
		if (rmx_entry_type_name(e.type) == NULL)
			report(l, RMX_LINT_UNKNOWN_TYPE, i, "entry %zu (%s): "
				"unknown type %u, skipped by every checker", i,
				text, e.type);
		else if (e.type == RMX_ENTRY_TLSLDAP ||
			 e.type == RMX_ENTRY_PGP)
			report(l, RMX_LINT_EXPERIMENTAL, i, "entry %zu (%s) is "
				"experimental and never matches at MAIL FROM",
				i, text);
	}
}

/* The same entry twice anywhere in the list: the second never decides.
 * Quadratic, so only the first LINT_DUP_WINDOW entries are compared. */
#define LINT_DUP_WINDOW 256
static void lint_duplicates(struct lint *l, const struct rmx_dns_rr *rrs,
	size_t count)
{
	struct rmx_entry seen[LINT_DUP_WINDOW];
	size_t n = 0, r, k;

	for (r = 0; r < count; r++) {
		struct rmx_iter it;
		struct rmx_entry e;

		rmx_iter_init(&it, rrs[r].rdata, rrs[r].rdlen);
		while (n < LINT_DUP_WINDOW && rmx_iter_next(&it, &e) == 1) {
			for (k = 0; k < n; k++) {
				char text[RMX_ENTRY_MAXTEXT];

				if (!entry_equal(&seen[k], &e))
					continue;
				if (rmx_entry_to_text(&e, text, sizeof(text),
					    NULL) != RMX_OK)
					text[0] = '\0';
				report(l, RMX_LINT_DUPLICATE, n + 1, "entry "
					"%zu (%s) repeats entry %zu and never "
					"decides", n + 1, text, k + 1);
				break;
			}
			seen[n++] = e;
		}
	}
}

int rmx_lint_rrset(const struct rmx_dns_rr *rrs, size_t count,
	unsigned flags, rmx_lint_fn *fn, void *arg)
{
	struct lint l = {fn, arg, 0};
	size_t r, index = 0, nentries = 0;
	unsigned lookups = 0;
	bool v4all = false, v6all = false, unreachable = false;
	bool negated = false;

	if (rrs == NULL && count > 0)
		return RMX_EINVAL;
	for (r = 0; r < count; r++) {
		struct rmx_diag diag;
		struct rmx_iter it;
		struct rmx_entry e;

		if (rmx_rdata_check(rrs[r].rdata, rrs[r].rdlen, flags,
			    &diag) != RMX_OK) {
			report(&l, RMX_LINT_MALFORMED, 0, "RR %zu is "
				"malformed: %s", r + 1, diag.msg);
			return l.errors;
		}
		rmx_iter_init(&it, rrs[r].rdata, rrs[r].rdlen);
		while (rmx_iter_next(&it, &e) == 1) {
			nentries++;
			negated |= e.negated;
		}
	}
	if (nentries == 0) {
		report(&l, RMX_LINT_EMPTY, 0, "the record lists no entries: "
			"every client fails, as with 'none'; write 'none' to "
			"say so");
		return l.errors;
	}
	if (count > 1 && negated)
		report(&l, RMX_LINT_ORDER, 0, "%zu RRs and a negated entry: "
			"DNS does not keep RR order, so the verdict can depend "
			"on the order a server sends them in; publish one RR",
			count);
	for (r = 0; r < count; r++)
		lint_entries(&l, rrs[r].rdata, rrs[r].rdlen, &index, &lookups,
			&v4all, &v6all, &unreachable, nentries);
	lint_duplicates(&l, rrs, count);
	return l.errors;
}

/*
 * cmd_zone.c - `rmx zone compile`: a master file with RMX records in, the
 * same zone for stock DNS servers out; `rmx zone lint`: what to fix in its
 * RMX records before publishing.
 *
 *   rmx zone compile [--type-code N] [--origin NAME] [-o OUT] ZONEFILE
 *   rmx zone lint [--type-code N] [--origin NAME] ZONEFILE
 *
 * Every record written with the mnemonic RMX comes out in RFC 3597 form,
 * "TYPE<N> \# LEN HEX" (N = 65280 unless --type-code says otherwise);
 * every other record comes out as libldns prints it, with absolute names,
 * one record per line: the same zone, loadable by nsd-checkzone and NSD.
 * Reading is rmx_zonefile_read() (lib/zonefile.c).
 *
 * lint groups the RMX RRs of each owner into an RRset, as a checker sees
 * it, and runs rmx_lint_rrset() on it; an owner L.D whose parent D has an
 * RMX record with a fulladdr entry is linted as a per-mailbox record.
 *
 * Exit: 0 written (lint: no errors), 1 the zone file does not parse or
 * cannot be read or written ("rmx: FILE:LINE: what"), 2 usage (-o naming
 * the zone file itself included).  With -o, a failed run leaves no output
 * file behind.
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void print_help(void)
{
	puts("Usage: rmx zone compile [--type-code N] [--origin NAME] [-o OUT] "
	     "ZONEFILE\n"
	     "       rmx zone lint [--type-code N] [--origin NAME] ZONEFILE\n"
	     "\n"
	     "Read an RFC 1035 master file that may hold RMX records written\n"
	     "with the mnemonic RMX (e.g. 'example.com. IN RMX ip4:192.0.2.0/24\n"
	     "mx') and write the same zone with each RMX record in RFC 3597\n"
	     "generic form ('TYPE65280 \\# 6 010418c00002'), which stock DNS\n"
	     "servers (NSD, BIND, Knot) load.  Other records pass through with\n"
	     "absolute names, one per line.\n"
	     "\n"
	     "lint reports what to fix in the zone's RMX records before\n"
	     "publishing: malformed data, the lookup limit, RR order that can\n"
	     "change the verdict, unreachable or duplicate entries, unknown\n"
	     "types; exit status 1 when a check would end in permerror.\n"
	     "\n"
	     "Options:\n"
	     "  --type-code N   RR type code for RMX (default 65280)\n"
	     "  --origin NAME   initial $ORIGIN (default: the root)\n"
	     "  -o OUT          write to OUT instead of standard output\n"
	     "\n"
	     "Exit status: 0 success, 1 malformed zone file or I/O error,\n"
	     "2 usage error.");
}

struct compile_out {
	FILE *fp;
	int err;   /* errno of the first write error */
};

static int write_rr(void *arg, const struct rmx_zonefile_rr *rr)
{
	struct compile_out *out = arg;

	if (fprintf(out->fp, "%s\n", rr->text) < 0) {
		out->err = errno != 0 ? errno : EIO;
		return RMX_EIO;
	}
	return RMX_OK;
}

/* Do both paths name one existing file? */
static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
		sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

struct zone_args {
	unsigned long type_code;
	const char *origin, *outpath, *inpath;
};

/* Options shared by compile and lint; -o only for compile.  Returns -1
 * when done (help printed: exit 0), 0 to go on, else an exit code. */
static int parse_zone_args(int argc, char **argv, bool allow_out,
	struct zone_args *za)
{
	int i;

	za->type_code = RMX_TYPE_DEFAULT;
	za->origin = za->outpath = za->inpath = NULL;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			print_help();
			return -1;
		} else if (strcmp(a, "--type-code") == 0 ||
			   strcmp(a, "--origin") == 0 ||
			   (allow_out && strcmp(a, "-o") == 0)) {
			if (i + 1 == argc)
				return cli_usage("zone", "%s needs a value", a);
			if (strcmp(a, "--type-code") == 0) {
				if (cli_parse_uint(argv[i + 1], 1, 65535,
					    &za->type_code) != 0)
					return cli_usage("zone", "--type-code "
						"must be a number 1-65535");
			} else if (strcmp(a, "--origin") == 0) {
				za->origin = argv[i + 1];
			} else {
				za->outpath = argv[i + 1];
			}
			i++;
		} else if (strcmp(a, "--") == 0) {
			if (i + 1 < argc && za->inpath == NULL)
				za->inpath = argv[++i];
			if (i + 1 < argc)
				return cli_usage("zone", "more than one zone "
					"file given");
		} else if (a[0] == '-' && a[1] != '\0') {
			return cli_usage("zone", "unknown option '%s'", a);
		} else if (za->inpath != NULL) {
			return cli_usage("zone", "more than one zone file given");
		} else {
			za->inpath = a;
		}
	}
	if (za->inpath == NULL)
		return cli_usage("zone", "%s: no zone file given", argv[0]);
	return 0;
}

static int zone_compile(int argc, char **argv)
{
	struct zone_args za;
	struct compile_out out = {0};
	struct rmx_diag diag;
	const char *outpath, *inpath;
	unsigned long type_code;
	int rc;

	rc = parse_zone_args(argc, argv, true, &za);
	if (rc != 0)
		return rc < 0 ? CLI_EXIT_OK : rc;
	outpath = za.outpath;
	inpath = za.inpath;
	type_code = za.type_code;
	/* opening OUT truncates it: the zone file itself would be lost */
	if (outpath != NULL && same_file(inpath, outpath))
		return cli_usage("zone", "-o %s is the zone file itself",
			outpath);

	out.fp = outpath != NULL ? fopen(outpath, "w") : stdout;
	if (out.fp == NULL)
		return cli_input_error("%s: %s", outpath, strerror(errno));
	fprintf(out.fp, "; compiled by rmx zone compile from %s: RMX records "
		"as TYPE%lu (RFC 3597)\n", inpath, type_code);
	rmx_diag_clear(&diag);
	rc = rmx_zonefile_read(inpath, za.origin, (uint16_t)type_code, write_rr,
		&out, &diag);
	if (rc == RMX_OK && fflush(out.fp) != 0)
		out.err = errno != 0 ? errno : EIO;
	if (outpath != NULL && fclose(out.fp) != 0 && out.err == 0)
		out.err = errno != 0 ? errno : EIO;
	if (rc != RMX_OK || out.err != 0) {
		if (outpath != NULL)
			unlink(outpath);
		if (out.err != 0)
			return cli_input_error("%s: %s",
				outpath != NULL ? outpath : "standard output",
				strerror(out.err));
		return cli_input_error("%s", diag.msg[0] != '\0' ? diag.msg :
			rmx_strerror(rc));
	}
	return CLI_EXIT_OK;
}

/* The RMX RRs of a zone file, in file order. */
struct lint_rr {
	uint8_t owner[RMX_NAME_MAXWIRE];
	size_t owner_len;
	char *owner_text;
	size_t line;
	uint8_t *rdata;
	size_t rdlen;
};

struct lint_state {
	uint16_t type;
	struct lint_rr *rrs;
	size_t n, cap;
};

static int collect_rmx(void *arg, const struct rmx_zonefile_rr *rr)
{
	struct lint_state *st = arg;
	struct lint_rr *r;

	if (rr->type != st->type)
		return RMX_OK;
	if (st->n == st->cap) {
		size_t cap = st->cap ? 2 * st->cap : 16;
		struct lint_rr *p = realloc(st->rrs, cap * sizeof(*p));

		if (p == NULL)
			return RMX_ENOMEM;
		st->rrs = p;
		st->cap = cap;
	}
	r = &st->rrs[st->n];
	memcpy(r->owner, rr->owner_wire, rr->owner_len);
	r->owner_len = rr->owner_len;
	r->line = rr->line;
	r->rdlen = rr->rdlen;
	r->owner_text = strdup(rr->owner);
	r->rdata = malloc(rr->rdlen > 0 ? rr->rdlen : 1);
	if (r->owner_text == NULL || r->rdata == NULL) {
		free(r->owner_text);
		free(r->rdata);
		return RMX_ENOMEM;
	}
	memcpy(r->rdata, rr->rdata, rr->rdlen);
	st->n++;
	return RMX_OK;
}

/* One owner's RRs: rrs[0..n) of the owner-sorted list, in file order. */
struct lint_group {
	const struct lint_rr *const *rrs;
	size_t n;
	bool fulladdr;  /* one of its RRs has a fulladdr entry */
	bool mailbox;   /* linted as a per-mailbox record */
};

static unsigned char fold(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* A total order of owner names in wire form that puts names equal under
 * rmx_name_equal (ASCII case folded) next to each other. */
static int owner_order(const uint8_t *a, size_t alen, const uint8_t *b,
	size_t blen)
{
	size_t i;

	if (alen != blen)
		return alen < blen ? -1 : 1;
	for (i = 0; i < alen; i++)
		if (fold(a[i]) != fold(b[i]))
			return fold(a[i]) < fold(b[i]) ? -1 : 1;
	return 0;
}

/* qsort: by owner, then file order (the RRs are one array). */
static int by_owner(const void *pa, const void *pb)
{
	const struct lint_rr *a = *(const struct lint_rr *const *)pa;
	const struct lint_rr *b = *(const struct lint_rr *const *)pb;
	int c = owner_order(a->owner, a->owner_len, b->owner, b->owner_len);

	if (c != 0)
		return c;
	return a < b ? -1 : a > b;
}

/* qsort: groups in the file order of their first RR. */
static int by_first_rr(const void *pa, const void *pb)
{
	const struct lint_rr *a = ((const struct lint_group *)pa)->rrs[0];
	const struct lint_rr *b = ((const struct lint_group *)pb)->rrs[0];

	return a < b ? -1 : a > b;
}

static bool has_fulladdr(const struct lint_rr *r)
{
	struct rmx_iter it;
	struct rmx_entry e;

	rmx_iter_init(&it, r->rdata, r->rdlen);
	while (rmx_iter_next(&it, &e) == 1)
		if (e.type == RMX_ENTRY_FULLADDR)
			return true;
	return false;
}

/*
 * Does the owner's parent (the owner without its first label, on the wire
 * form, so "john\.doe" stays one label) publish an RMX record with a
 * fulladdr entry?  Then the owner is a per-mailbox record (RMX.md 3).
 * groups[0..n) are sorted by owner: a binary search.
 */
static bool is_mailbox_owner(const struct lint_group *groups, size_t n,
	const struct lint_rr *r)
{
	const uint8_t *parent;
	size_t parent_len, lo = 0, hi = n;

	if (r->owner_len <= 1 || r->owner_len - 1 - r->owner[0] < 1)
		return false;
	parent = r->owner + 1 + r->owner[0];
	parent_len = r->owner_len - 1 - r->owner[0];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct lint_rr *g = groups[mid].rrs[0];
		int c = owner_order(g->owner, g->owner_len, parent, parent_len);

		if (c == 0)
			return groups[mid].fulladdr;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

struct lint_where {
	const char *path;
	const struct lint_rr *first;
	unsigned findings;
};

static void print_zone_finding(void *arg, const struct rmx_lint_finding *f)
{
	struct lint_where *w = arg;

	printf("%s:%zu: %s: %s: %s [%s]\n", w->path, w->first->line,
		w->first->owner_text,
		f->severity == RMX_LINT_ERROR ? "error" : "warning", f->msg,
		f->name);
	w->findings++;
}

/*
 * Group the RRs by owner with one sort (a zone of 100,000 owners must not
 * cost 100,000 squared comparisons), then lint each RRset, owners in the
 * file order of their first RR.
 */
static int zone_lint(int argc, char **argv)
{
	struct zone_args za;
	struct lint_state st = {0};
	struct rmx_diag diag;
	struct rmx_dns_rr *set = NULL;
	const struct lint_rr **sorted = NULL;
	struct lint_group *groups = NULL;
	size_t i, j, owners = 0;
	int rc, errors = 0;
	unsigned findings = 0;

	rc = parse_zone_args(argc, argv, false, &za);
	if (rc != 0)
		return rc < 0 ? CLI_EXIT_OK : rc;
	st.type = (uint16_t)za.type_code;
	rmx_diag_clear(&diag);
	rc = rmx_zonefile_read(za.inpath, za.origin, st.type, collect_rmx,
		&st, &diag);
	if (rc == RMX_OK && st.n > 0) {
		set = malloc(st.n * sizeof(*set));
		sorted = malloc(st.n * sizeof(*sorted));
		groups = malloc(st.n * sizeof(*groups));
		if (set == NULL || sorted == NULL || groups == NULL)
			rc = RMX_ENOMEM;
	}
	if (rc == RMX_OK && st.n > 0) {
		for (i = 0; i < st.n; i++)
			sorted[i] = &st.rrs[i];
		qsort(sorted, st.n, sizeof(*sorted), by_owner);
		for (i = 0; i < st.n; i = j) {
			struct lint_group *g = &groups[owners++];

			g->rrs = &sorted[i];
			g->fulladdr = false;
			for (j = i; j < st.n && owner_order(sorted[i]->owner,
			    sorted[i]->owner_len, sorted[j]->owner,
			    sorted[j]->owner_len) == 0; j++)
				g->fulladdr |= has_fulladdr(sorted[j]);
			g->n = j - i;
		}
		/* groups[] is in owner order here: decide per-mailbox owners
		 * before putting them in file order. */
		for (i = 0; i < owners; i++)
			groups[i].mailbox = is_mailbox_owner(groups, owners,
				groups[i].rrs[0]);
		qsort(groups, owners, sizeof(*groups), by_first_rr);
	}
	for (i = 0; rc == RMX_OK && i < owners; i++) {
		const struct lint_group *g = &groups[i];
		struct lint_where w = {za.inpath, g->rrs[0], 0};
		int e;

		for (j = 0; j < g->n; j++) {
			set[j].rdata = g->rrs[j]->rdata;
			set[j].rdlen = g->rrs[j]->rdlen;
		}
		e = rmx_lint_rrset(set, g->n, g->mailbox ? RMX_RDATA_MAILBOX :
			0, print_zone_finding, &w);
		if (e > 0)
			errors += e;
		findings += w.findings;
	}
	for (i = 0; i < st.n; i++) {
		free(st.rrs[i].owner_text);
		free(st.rrs[i].rdata);
	}
	free(st.rrs);
	free(set);
	free(sorted);
	free(groups);
	if (rc != RMX_OK)
		return cli_input_error("%s", diag.msg[0] != '\0' ? diag.msg :
			rmx_strerror(rc));
	printf("%s: %zu RMX RRsets, %u findings, %d errors\n", za.inpath,
		owners, findings, errors);
	return errors > 0 ? CLI_EXIT_INPUT : CLI_EXIT_OK;
}

int cmd_zone(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("zone", "no subcommand given (compile or lint)");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		print_help();
		return CLI_EXIT_OK;
	}
	if (strcmp(argv[1], "compile") == 0)
		return zone_compile(argc - 1, argv + 1);
	if (strcmp(argv[1], "lint") == 0)
		return zone_lint(argc - 1, argv + 1);
	return cli_usage("zone", "unknown subcommand '%s'", argv[1]);
}

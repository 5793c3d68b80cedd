/*
 * suite.c - conformance suites: the OpenSPF YAML format (with RMX record
 * kinds) loaded into zones, and a runner (rmx/suite.h).
 *
 * Offers: rmx_suite_load_file/_string (libyaml's document API; one struct
 * rmx_zone per YAML document), rmx_suite_exceptions_load, and
 * rmx_suite_run, which runs each test through rmx_check_run() on the
 * scenario's zone (or a resolver the caller gives) and hands each outcome
 * to a callback, and rmx_suite_export_zone, which writes a scenario's zone
 * as a root-zone master file in RFC 3597 form for a real server.
 *
 * Zone data conventions (tests/conformance/README.md): an SPF record is
 * also served as TXT when its name has no TXT entry at all; "TXT: NONE"
 * means no TXT record (and no copy of SPF); TXT/SPF strings become RFC 1035
 * character-strings, cut into 255-octet pieces; a list of strings is one RR
 * with several character-strings.  RMX_WIRE data is stored as given, not
 * validated, so that suites can serve malformed records on purpose.
 *
 * Bad input: RMX_EMALFORMED with diag->line and diag->msg "NAME:LINE: what"
 * for YAML that does not parse (libyaml's problem and mark) and for values
 * of the wrong shape (an address that does not parse, an unknown record
 * kind, an RMX text the codec rejects, a name over 255 octets, a result
 * word that is not a result).  Unknown keys of a test are ignored (pyspf's
 * comment, receiver's header ...); unknown record kinds are not.
 *
 * Export writes what the zone holds and nothing it cannot serve: markers
 * are left out, TXT/SPF RRs without a character-string become comments.
 *
 * Does not: print, or check that a suite is sensible (duplicate test names
 * are kept; the exceptions file matches tests by name alone).
 */
#include <rmx/suite.h>
#include <rmx/name.h>
#include <rmx/record.h>
#include <rmx/zone.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#define SUITE_TXT_PIECE 255

struct suite_impl {
	struct rmx_suite pub;         /* first */
	struct rmx_suite_scenario *scen;
	size_t nscen, capscen;
	char **strs;                  /* every string the suite owns */
	size_t nstrs, capstrs;
};

/* The state of one load. */
struct loader {
	struct suite_impl *s;
	const char *name;
	uint16_t rr_type;
	yaml_document_t *doc;
	struct rmx_diag *diag;
	uint8_t *rdata;               /* RMX_RDATA_MAX scratch */
};

static int load_fault(struct loader *ld, const yaml_node_t *node,
	const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int load_fault(struct loader *ld, const yaml_node_t *node,
	const char *fmt, ...)
{
	char what[RMX_DIAG_MSGLEN];
	size_t line = node != NULL ? node->start_mark.line + 1 : 0;
	va_list ap;
	int n;

	if (ld->diag != NULL) {
		va_start(ap, fmt);
		vsnprintf(what, sizeof(what), fmt, ap);
		va_end(ap);
		ld->diag->line = line;
		ld->diag->offset = 0;
		/* a message that does not fit is cut short (rmx/error.h) */
		n = snprintf(ld->diag->msg, sizeof(ld->diag->msg),
			"%s:%zu: %s", ld->name, line, what);
		if (n < 0)
			ld->diag->msg[0] = '\0';
	}
	return RMX_EMALFORMED;
}

/* Keep a copy of text[0..len) in the suite. */
static const char *keep_text(struct suite_impl *s, const char *text,
	size_t len)
{
	char *copy;

	if (s->nstrs == s->capstrs) {
		size_t cap = s->capstrs == 0 ? 64 : s->capstrs * 2;
		char **p = realloc(s->strs, cap * sizeof(*p));

		if (p == NULL)
			return NULL;
		s->strs = p;
		s->capstrs = cap;
	}
	copy = malloc(len + 1);
	if (copy == NULL)
		return NULL;
	memcpy(copy, text, len);
	copy[len] = '\0';
	s->strs[s->nstrs++] = copy;
	return copy;
}

static yaml_node_t *node_at(struct loader *ld, int index)
{
	return yaml_document_get_node(ld->doc, index);
}

static bool is_scalar(const yaml_node_t *n)
{
	return n != NULL && n->type == YAML_SCALAR_NODE;
}

static const char *scalar_text(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static size_t scalar_len(const yaml_node_t *n)
{
	return n->data.scalar.length;
}

static bool scalar_is(const yaml_node_t *n, const char *word)
{
	return is_scalar(n) && scalar_len(n) == strlen(word) &&
		memcmp(scalar_text(n), word, scalar_len(n)) == 0;
}

/* A plain null (`key:` with nothing, or ~ / null). */
static bool is_null(const yaml_node_t *n)
{
	return n == NULL || (n->type == YAML_SCALAR_NODE &&
		n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		(scalar_len(n) == 0 || scalar_is(n, "~") ||
		 scalar_is(n, "null")));
}

/* Scalar text as a C string owned by the suite; NUL octets refused. */
static int keep_scalar(struct loader *ld, const yaml_node_t *n,
	const char *what, const char **out)
{
	if (!is_scalar(n))
		return load_fault(ld, n, "%s must be a scalar", what);
	if (memchr(scalar_text(n), '\0', scalar_len(n)) != NULL)
		return load_fault(ld, n, "%s holds a NUL character", what);
	*out = keep_text(ld->s, scalar_text(n), scalar_len(n));
	return *out == NULL ? RMX_ENOMEM : RMX_OK;
}

/* ---- zone data ---- */

/* Append one character-string value to rdata, in 255-octet pieces. */
static int add_char_strings(struct loader *ld, const yaml_node_t *v,
	size_t *len)
{
	const uint8_t *p = (const uint8_t *)scalar_text(v);
	size_t left = scalar_len(v);

	do {
		size_t piece = left > SUITE_TXT_PIECE ? SUITE_TXT_PIECE : left;

		if (RMX_RDATA_MAX - *len < piece + 1)
			return load_fault(ld, v, "TXT data longer than %d "
				"octets", RMX_RDATA_MAX);
		ld->rdata[(*len)++] = (uint8_t)piece;
		memcpy(ld->rdata + *len, p, piece);
		*len += piece;
		p += piece;
		left -= piece;
	} while (left > 0);
	return RMX_OK;
}

/* TXT/SPF value: a string, or a list of strings (one RR). */
static int txt_rdata(struct loader *ld, const yaml_node_t *v, size_t *len)
{
	yaml_node_item_t *it;
	int rc;

	*len = 0;
	if (is_scalar(v))
		return add_char_strings(ld, v, len);
	if (v == NULL || v->type != YAML_SEQUENCE_NODE)
		return load_fault(ld, v, "TXT/SPF value must be a string or a "
			"list of strings");
	for (it = v->data.sequence.items.start;
	     it < v->data.sequence.items.top; it++) {
		const yaml_node_t *s = node_at(ld, *it);

		if (!is_scalar(s))
			return load_fault(ld, s, "TXT/SPF list items must be "
				"strings");
		rc = add_char_strings(ld, s, len);
		if (rc != RMX_OK)
			return rc;
	}
	return RMX_OK;
}

static int name_rdata(struct loader *ld, const yaml_node_t *v,
	const char *what, uint8_t *out, size_t *len)
{
	struct rmx_diag d;

	if (!is_scalar(v))
		return load_fault(ld, v, "%s must be a name", what);
	if (scalar_len(v) == 0 || scalar_is(v, ".")) {
		out[0] = 0; /* the root */
		*len = 1;
		return RMX_OK;
	}
	if (rmx_name_from_text(scalar_text(v), scalar_len(v), ".", out, len,
		    &d) != RMX_OK)
		return load_fault(ld, v, "%s '%.80s': %s", what,
			scalar_text(v), d.msg);
	return RMX_OK;
}

static int mx_rdata(struct loader *ld, const yaml_node_t *v, size_t *len)
{
	const yaml_node_t *prio, *host;
	char *end;
	unsigned long p;
	size_t nlen;
	int rc;

	if (v == NULL || v->type != YAML_SEQUENCE_NODE ||
	    v->data.sequence.items.top - v->data.sequence.items.start != 2)
		return load_fault(ld, v, "MX value must be [priority, name]");
	prio = node_at(ld, v->data.sequence.items.start[0]);
	host = node_at(ld, v->data.sequence.items.start[1]);
	if (!is_scalar(prio) || scalar_len(prio) == 0 ||
	    scalar_text(prio)[0] < '0' || scalar_text(prio)[0] > '9')
		return load_fault(ld, prio, "MX priority must be a number");
	errno = 0;
	p = strtoul(scalar_text(prio), &end, 10);
	if (errno != 0 || *end != '\0' || p > 65535)
		return load_fault(ld, prio, "MX priority must be 0-65535");
	ld->rdata[0] = (uint8_t)(p >> 8);
	ld->rdata[1] = (uint8_t)p;
	rc = name_rdata(ld, host, "MX host", ld->rdata + 2, &nlen);
	*len = 2 + nlen;
	return rc;
}

static int addr_rdata(struct loader *ld, const yaml_node_t *v, int af,
	size_t *len)
{
	if (!is_scalar(v) ||
	    inet_pton(af, scalar_text(v), ld->rdata) != 1)
		return load_fault(ld, v, "'%.64s' is not an %s address",
			is_scalar(v) ? scalar_text(v) : "",
			af == AF_INET ? "IPv4" : "IPv6");
	*len = af == AF_INET ? 4 : 16;
	return RMX_OK;
}

/* RMX, RMX_WIRE and APL values: presentation text or hex via the codec. */
static int codec_rdata(struct loader *ld, const yaml_node_t *v,
	const char *kind, size_t *len)
{
	struct rmx_diag d;
	bool text = true; /* the codec's message quotes the bad token */
	int rc;

	if (!is_scalar(v))
		return load_fault(ld, v, "%s value must be a string", kind);
	rmx_diag_clear(&d);
	if (strcmp(kind, "RMX") == 0) {
		rc = rmx_rdata_from_text(scalar_text(v), ".", ld->rdata,
			RMX_RDATA_MAX, len, &d);
	} else if (strcmp(kind, "APL") == 0) {
		rc = rmx_apl_from_text(scalar_text(v), ld->rdata,
			RMX_RDATA_MAX, len, &d);
	} else {
		text = false;
		rc = rmx_hex_decode(scalar_text(v), ld->rdata, RMX_RDATA_MAX,
			len, &d);
	}
	if (rc == RMX_ENOMEM)
		return rc;
	if (rc != RMX_OK && text)
		return load_fault(ld, v, "%s: %s", kind, d.msg);
	if (rc != RMX_OK)
		return load_fault(ld, v, "%s '%.60s': %s", kind,
			scalar_text(v), d.msg);
	return RMX_OK;
}

enum kind {
	KIND_TXT, KIND_SPF, KIND_A, KIND_AAAA, KIND_MX, KIND_PTR, KIND_CNAME,
	KIND_RMX, KIND_RMX_WIRE, KIND_APL,
};

static const struct {
	const char *word;
	enum kind kind;
	uint16_t type;    /* 0: the zone's RMX type */
	bool rmx_data;
} kinds[] = {
	{"TXT", KIND_TXT, 16, false},
	{"SPF", KIND_SPF, 99, false},
	{"A", KIND_A, 1, false},
	{"AAAA", KIND_AAAA, 28, false},
	{"MX", KIND_MX, 15, false},
	{"PTR", KIND_PTR, 12, false},
	{"CNAME", KIND_CNAME, 5, false},
	{"RMX", KIND_RMX, 0, true},
	{"RMX_WIRE", KIND_RMX_WIRE, 0, true},
	{"APL", KIND_APL, 42, true},
};

/* The single key of a zonedata item map, or -1. */
static int item_kind(struct loader *ld, const yaml_node_t *item,
	const yaml_node_t **value)
{
	const yaml_node_t *key;
	size_t i;

	if (item->type != YAML_MAPPING_NODE ||
	    item->data.mapping.pairs.top - item->data.mapping.pairs.start != 1)
		return -1;
	key = node_at(ld, item->data.mapping.pairs.start[0].key);
	*value = node_at(ld, item->data.mapping.pairs.start[0].value);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (scalar_is(key, kinds[i].word))
			return (int)i;
	return -1;
}

static int add_item(struct loader *ld, struct rmx_suite_scenario *sc,
	const uint8_t *owner, size_t olen, size_t k, const yaml_node_t *v,
	uint16_t as_type)
{
	size_t len = 0;
	int rc;

	switch (kinds[k].kind) {
	case KIND_TXT:
	case KIND_SPF:
		rc = txt_rdata(ld, v, &len);
		break;
	case KIND_A:
		rc = addr_rdata(ld, v, AF_INET, &len);
		break;
	case KIND_AAAA:
		rc = addr_rdata(ld, v, AF_INET6, &len);
		break;
	case KIND_MX:
		rc = mx_rdata(ld, v, &len);
		break;
	case KIND_PTR:
	case KIND_CNAME:
		rc = name_rdata(ld, v, kinds[k].word, ld->rdata, &len);
		break;
	default:
		rc = codec_rdata(ld, v, kinds[k].word, &len);
		break;
	}
	if (rc != RMX_OK)
		return rc;
	if (as_type == 0)
		as_type = kinds[k].type != 0 ? kinds[k].type : ld->rr_type;
	if (kinds[k].rmx_data)
		sc->has_rmx_data = true;
	return rmx_zone_add_rr_wire(sc->zone, owner, olen, as_type, ld->rdata,
		len);
}

/* One zonedata entry: name -> list of records and markers. */
static int load_zone_name(struct loader *ld, struct rmx_suite_scenario *sc,
	const yaml_node_t *key, const yaml_node_t *list)
{
	uint8_t owner[RMX_NAME_MAXWIRE];
	size_t olen;
	yaml_node_item_t *it;
	bool has_txt = false;
	struct rmx_diag d;
	int rc;

	if (!is_scalar(key))
		return load_fault(ld, key, "zonedata names must be scalars");
	if (rmx_name_from_text(scalar_text(key), scalar_len(key), ".", owner,
		    &olen, &d) != RMX_OK)
		return load_fault(ld, key, "zonedata name '%.80s': %s",
			scalar_text(key), d.msg);
	if (is_null(list))
		return RMX_OK;
	if (list->type != YAML_SEQUENCE_NODE)
		return load_fault(ld, list, "zonedata '%.80s' must be a list",
			scalar_text(key));
	for (it = list->data.sequence.items.start;
	     it < list->data.sequence.items.top; it++) {
		const yaml_node_t *item = node_at(ld, *it), *v = NULL;
		int k;

		if (item == NULL)
			return load_fault(ld, list, "bad zonedata item");
		if (scalar_is(item, "TIMEOUT") || scalar_is(item, "SERVFAIL")) {
			rc = rmx_zone_mark(sc->zone, scalar_text(key),
				scalar_is(item, "TIMEOUT") ? RMX_ZONE_TIMEOUT :
				RMX_ZONE_SERVFAIL);
			if (rc != RMX_OK)
				return load_fault(ld, item, "cannot mark "
					"'%.80s'", scalar_text(key));
			continue;
		}
		k = item_kind(ld, item, &v);
		if (k < 0)
			return load_fault(ld, item, "zonedata item must be "
				"TIMEOUT, SERVFAIL or one of {TXT|SPF|A|AAAA|"
				"MX|PTR|CNAME|RMX|RMX_WIRE|APL: value}");
		if (kinds[k].kind == KIND_TXT) {
			has_txt = true;
			if (scalar_is(v, "NONE"))
				continue;
		}
		rc = add_item(ld, sc, owner, olen, (size_t)k, v, 0);
		if (rc != RMX_OK)
			return rc;
	}
	if (has_txt)
		return RMX_OK;
	/* Serve each SPF record as TXT too: the suites rely on it. */
	for (it = list->data.sequence.items.start;
	     it < list->data.sequence.items.top; it++) {
		const yaml_node_t *item = node_at(ld, *it), *v = NULL;
		int k = item_kind(ld, item, &v);

		if (k >= 0 && kinds[k].kind == KIND_SPF) {
			rc = add_item(ld, sc, owner, olen, (size_t)k, v, 16);
			if (rc != RMX_OK)
				return rc;
		}
	}
	return RMX_OK;
}

/* ---- tests ---- */

static int load_spec(struct loader *ld, const yaml_node_t *v,
	const char **out)
{
	char buf[512];
	size_t len = 0;
	yaml_node_item_t *it;

	if (is_scalar(v))
		return keep_scalar(ld, v, "spec", out);
	if (v->type != YAML_SEQUENCE_NODE)
		return load_fault(ld, v, "spec must be a string or a list");
	buf[0] = '\0';
	for (it = v->data.sequence.items.start;
	     it < v->data.sequence.items.top; it++) {
		const yaml_node_t *s = node_at(ld, *it);
		int n;

		if (!is_scalar(s))
			return load_fault(ld, s, "spec items must be strings");
		n = snprintf(buf + len, sizeof(buf) - len, "%s%s",
			len > 0 ? ", " : "", scalar_text(s));
		if (n < 0 || (size_t)n >= sizeof(buf) - len)
			return load_fault(ld, v, "spec list too long");
		len += (size_t)n;
	}
	*out = keep_text(ld->s, buf, len);
	return *out == NULL ? RMX_ENOMEM : RMX_OK;
}

static int add_result(struct loader *ld, struct rmx_suite_test *t,
	const yaml_node_t *v)
{
	enum rmx_result r;

	if (!is_scalar(v) || rmx_result_parse(scalar_text(v), &r) != RMX_OK)
		return load_fault(ld, v, "'%.32s' is not a result (pass fail "
			"softfail neutral none temperror permerror)",
			is_scalar(v) ? scalar_text(v) : "");
	if (t->nresults == RMX_SUITE_RESULTS_MAX)
		return load_fault(ld, v, "too many results");
	t->results[t->nresults++] = r;
	return RMX_OK;
}

static int load_result(struct loader *ld, struct rmx_suite_test *t,
	const yaml_node_t *v)
{
	yaml_node_item_t *it;
	int rc;

	if (is_scalar(v))
		return add_result(ld, t, v);
	if (v->type != YAML_SEQUENCE_NODE)
		return load_fault(ld, v, "result must be a word or a list");
	for (it = v->data.sequence.items.start;
	     it < v->data.sequence.items.top; it++) {
		rc = add_result(ld, t, node_at(ld, *it));
		if (rc != RMX_OK)
			return rc;
	}
	if (t->nresults == 0)
		return load_fault(ld, v, "empty result list");
	return RMX_OK;
}

static int load_test(struct loader *ld, const yaml_node_t *key,
	const yaml_node_t *map, struct rmx_suite_test *t)
{
	yaml_node_pair_t *p;
	bool have_host = false, have_from = false;
	int rc = RMX_OK;

	memset(t, 0, sizeof(*t));
	t->line = key->start_mark.line + 1;
	t->helo = "";
	t->spec = "";
	rc = keep_scalar(ld, key, "test name", &t->name);
	if (rc != RMX_OK)
		return rc;
	if (map->type != YAML_MAPPING_NODE)
		return load_fault(ld, map, "test '%s' must be a mapping",
			t->name);
	for (p = map->data.mapping.pairs.start;
	     rc == RMX_OK && p < map->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = node_at(ld, p->key);
		const yaml_node_t *v = node_at(ld, p->value);

		if (v == NULL)
			return load_fault(ld, k, "bad value");
		if (scalar_is(k, "spec")) {
			rc = load_spec(ld, v, &t->spec);
		} else if (scalar_is(k, "helo")) {
			rc = keep_scalar(ld, v, "helo", &t->helo);
		} else if (scalar_is(k, "host")) {
			rc = keep_scalar(ld, v, "host", &t->host);
			have_host = true;
		} else if (scalar_is(k, "mailfrom")) {
			rc = keep_scalar(ld, v, "mailfrom", &t->mailfrom);
			have_from = true;
		} else if (scalar_is(k, "receiver")) {
			rc = keep_scalar(ld, v, "receiver", &t->receiver);
		} else if (scalar_is(k, "explanation")) {
			rc = keep_scalar(ld, v, "explanation",
				&t->explanation);
		} else if (scalar_is(k, "result")) {
			rc = load_result(ld, t, v);
		}
		/* other keys (description, comment, header ...) ignored */
	}
	if (rc != RMX_OK)
		return rc;
	if (!have_host || !have_from || t->nresults == 0)
		return load_fault(ld, key, "test '%s' needs host, mailfrom "
			"and result", t->name);
	return RMX_OK;
}

static int load_tests(struct loader *ld, struct rmx_suite_scenario *sc,
	const yaml_node_t *map)
{
	struct rmx_suite_test *tests;
	size_t n, i;
	int rc;

	if (map->type != YAML_MAPPING_NODE)
		return load_fault(ld, map, "tests must be a mapping");
	n = (size_t)(map->data.mapping.pairs.top -
		map->data.mapping.pairs.start);
	tests = calloc(n + 1, sizeof(*tests));
	if (tests == NULL)
		return RMX_ENOMEM;
	sc->tests = tests;
	for (i = 0; i < n; i++) {
		yaml_node_pair_t *p = &map->data.mapping.pairs.start[i];
		const yaml_node_t *k = node_at(ld, p->key);
		const yaml_node_t *v = node_at(ld, p->value);

		if (k == NULL || v == NULL)
			return load_fault(ld, map, "bad test entry");
		rc = load_test(ld, k, v, &tests[i]);
		if (rc != RMX_OK)
			return rc;
		sc->ntests = i + 1;
	}
	return RMX_OK;
}

/* ---- documents ---- */

static int new_scenario(struct loader *ld, struct rmx_suite_scenario **out)
{
	struct suite_impl *s = ld->s;
	struct rmx_suite_scenario *sc;
	int rc;

	if (s->nscen == s->capscen) {
		size_t cap = s->capscen == 0 ? 8 : s->capscen * 2;
		struct rmx_suite_scenario *p = realloc(s->scen,
			cap * sizeof(*p));

		if (p == NULL)
			return RMX_ENOMEM;
		s->scen = p;
		s->capscen = cap;
		s->pub.scenarios = p;
	}
	sc = &s->scen[s->nscen];
	memset(sc, 0, sizeof(*sc));
	rc = rmx_zone_new(ld->rr_type, &sc->zone);
	if (rc != RMX_OK)
		return rc;
	sc->description = "";
	s->nscen++;
	s->pub.nscenarios = s->nscen;
	*out = sc;
	return RMX_OK;
}

static int load_document(struct loader *ld, const yaml_node_t *root)
{
	struct rmx_suite_scenario *sc;
	const yaml_node_t *tests = NULL, *zonedata = NULL;
	const char *comment = NULL;
	yaml_node_pair_t *p;
	int rc;

	if (root->type != YAML_MAPPING_NODE)
		return load_fault(ld, root, "a suite document must be a "
			"mapping with description, tests and zonedata");
	rc = new_scenario(ld, &sc);
	if (rc != RMX_OK)
		return rc;
	sc->line = root->start_mark.line + 1;
	for (p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = node_at(ld, p->key);
		const yaml_node_t *v = node_at(ld, p->value);

		if (scalar_is(k, "description") && is_scalar(v))
			rc = keep_scalar(ld, v, "description",
				&sc->description);
		else if (scalar_is(k, "comment") && is_scalar(v))
			rc = keep_scalar(ld, v, "comment", &comment);
		else if (scalar_is(k, "tests"))
			tests = v;
		else if (scalar_is(k, "zonedata"))
			zonedata = v;
		if (rc != RMX_OK)
			return rc;
	}
	if (sc->description[0] == '\0' && comment != NULL)
		sc->description = comment;
	if (tests == NULL || is_null(tests))
		return load_fault(ld, root, "document without tests");
	if (zonedata != NULL && !is_null(zonedata)) {
		if (zonedata->type != YAML_MAPPING_NODE)
			return load_fault(ld, zonedata,
				"zonedata must be a mapping");
		for (p = zonedata->data.mapping.pairs.start;
		     p < zonedata->data.mapping.pairs.top; p++) {
			rc = load_zone_name(ld, sc, node_at(ld, p->key),
				node_at(ld, p->value));
			if (rc != RMX_OK)
				return rc;
		}
	}
	return load_tests(ld, sc, tests);
}

static int parser_fault(struct loader *ld, const yaml_parser_t *parser)
{
	if (ld->diag != NULL) {
		int n;

		ld->diag->line = parser->problem_mark.line + 1;
		ld->diag->offset = parser->problem_offset;
		n = snprintf(ld->diag->msg, sizeof(ld->diag->msg),
			"%s:%zu: YAML: %s%s%s", ld->name,
			(size_t)parser->problem_mark.line + 1,
			parser->problem != NULL ? parser->problem : "error",
			parser->context != NULL ? " " : "",
			parser->context != NULL ? parser->context : "");
		if (n < 0)
			ld->diag->msg[0] = '\0';
	}
	return parser->error == YAML_MEMORY_ERROR ? RMX_ENOMEM :
		RMX_EMALFORMED;
}

static int load_stream(struct loader *ld, yaml_parser_t *parser)
{
	for (;;) {
		yaml_document_t doc;
		yaml_node_t *root;
		int rc;

		if (!yaml_parser_load(parser, &doc))
			return parser_fault(ld, parser);
		root = yaml_document_get_root_node(&doc);
		if (root == NULL) {
			yaml_document_delete(&doc);
			return RMX_OK;
		}
		ld->doc = &doc;
		rc = load_document(ld, root);
		ld->doc = NULL;
		yaml_document_delete(&doc);
		if (rc == RMX_ENOMEM && ld->diag != NULL)
			snprintf(ld->diag->msg, sizeof(ld->diag->msg),
				"%.200s: out of memory", ld->name);
		if (rc != RMX_OK)
			return rc;
	}
}

static int load_with(yaml_parser_t *parser, const char *name,
	uint16_t rr_type, struct rmx_suite **out, struct rmx_diag *diag)
{
	struct loader ld;
	struct suite_impl *s;
	int rc;

	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return RMX_ENOMEM;
	memset(&ld, 0, sizeof(ld));
	ld.s = s;
	ld.rr_type = rr_type;
	ld.diag = diag;
	ld.rdata = malloc(RMX_RDATA_MAX);
	s->pub.path = keep_text(s, name, strlen(name));
	ld.name = s->pub.path;
	if (ld.rdata == NULL || ld.name == NULL) {
		free(ld.rdata);
		rmx_suite_free(&s->pub);
		return RMX_ENOMEM;
	}
	rc = load_stream(&ld, parser);
	free(ld.rdata);
	if (rc != RMX_OK) {
		rmx_suite_free(&s->pub);
		return rc;
	}
	*out = &s->pub;
	return RMX_OK;
}

int rmx_suite_load_string(const char *text, size_t len, const char *name,
	uint16_t rr_type, struct rmx_suite **out, struct rmx_diag *diag)
{
	yaml_parser_t parser;
	int rc;

	if (text == NULL || out == NULL)
		return RMX_EINVAL;
	*out = NULL;
	if (diag != NULL)
		rmx_diag_clear(diag);
	if (!yaml_parser_initialize(&parser))
		return RMX_ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text,
		len);
	rc = load_with(&parser, name != NULL ? name : "(string)", rr_type,
		out, diag);
	yaml_parser_delete(&parser);
	return rc;
}

int rmx_suite_load_file(const char *path, uint16_t rr_type,
	struct rmx_suite **out, struct rmx_diag *diag)
{
	yaml_parser_t parser;
	FILE *fp;
	int rc;

	if (path == NULL || out == NULL)
		return RMX_EINVAL;
	*out = NULL;
	if (diag != NULL)
		rmx_diag_clear(diag);
	fp = fopen(path, "rb");
	if (fp == NULL) {
		rc = errno == ENOENT ? RMX_ENOTFOUND : RMX_EIO;
		if (diag != NULL)
			snprintf(diag->msg, sizeof(diag->msg), "%.200s: %s",
				path, strerror(errno));
		return rc;
	}
	if (!yaml_parser_initialize(&parser)) {
		fclose(fp);
		return RMX_ENOMEM;
	}
	yaml_parser_set_input_file(&parser, fp);
	rc = load_with(&parser, path, rr_type, out, diag);
	yaml_parser_delete(&parser);
	fclose(fp);
	return rc;
}

void rmx_suite_free(struct rmx_suite *suite)
{
	struct suite_impl *s = (struct suite_impl *)(void *)suite;
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nscen; i++) {
		rmx_zone_free(s->scen[i].zone);
		free((void *)s->scen[i].tests);
	}
	free(s->scen);
	for (i = 0; i < s->nstrs; i++)
		free(s->strs[i]);
	free(s->strs);
	free(s);
}

/* ---- exceptions ---- */

struct suite_exception {
	char *name;
	enum rmx_result result;
	char *reason;
};

struct rmx_suite_exceptions {
	struct suite_exception *items;
	size_t n, cap;
};

void rmx_suite_exceptions_free(struct rmx_suite_exceptions *exc)
{
	size_t i;

	if (exc == NULL)
		return;
	for (i = 0; i < exc->n; i++) {
		free(exc->items[i].name);
		free(exc->items[i].reason);
	}
	free(exc->items);
	free(exc);
}

static int exc_fault(struct rmx_diag *diag, const char *path, size_t line,
	const char *what)
{
	if (diag != NULL) {
		int n;

		diag->line = line;
		diag->offset = 0;
		n = snprintf(diag->msg, sizeof(diag->msg), "%s:%zu: %s", path,
			line, what);
		if (n < 0)
			diag->msg[0] = '\0';
	}
	return RMX_EMALFORMED;
}

/* One line "TESTNAME RESULT REASON..." (with_result) or "TESTNAME
 * REASON..." (exclusions), not blank and not a comment. */
static int parse_exception_line(struct rmx_suite_exceptions *exc, char *s,
	bool with_result, const char *path, size_t line,
	struct rmx_diag *diag)
{
	char *name, *word, *reason;
	struct suite_exception *e;
	enum rmx_result r = RMX_RESULT_NONE;

	name = s + strspn(s, " \t");
	word = name + strcspn(name, " \t");
	if (*word == '\0')
		return exc_fault(diag, path, line, with_result ?
			"expected: TESTNAME RESULT REASON" :
			"expected: TESTNAME REASON");
	*word++ = '\0';
	word += strspn(word, " \t");
	if (with_result) {
		reason = word + strcspn(word, " \t");
		if (*reason != '\0')
			*reason++ = '\0';
		reason += strspn(reason, " \t");
		if (rmx_result_parse(word, &r) != RMX_OK)
			return exc_fault(diag, path, line,
				"unknown result word");
	} else {
		reason = word;
	}
	if (*reason == '\0')
		return exc_fault(diag, path, line, "line without a reason");
	if (exc->n == exc->cap) {
		size_t cap = exc->cap == 0 ? 16 : exc->cap * 2;
		struct suite_exception *p = realloc(exc->items,
			cap * sizeof(*p));

		if (p == NULL)
			return RMX_ENOMEM;
		exc->items = p;
		exc->cap = cap;
	}
	e = &exc->items[exc->n];
	e->name = strdup(name);
	e->reason = strdup(reason);
	e->result = r;
	if (e->name == NULL || e->reason == NULL) {
		free(e->name);
		free(e->reason);
		return RMX_ENOMEM;
	}
	exc->n++;
	return RMX_OK;
}

static int list_load(const char *path, bool with_result,
	struct rmx_suite_exceptions **out, struct rmx_diag *diag)
{
	struct rmx_suite_exceptions *exc;
	char *buf = NULL;
	size_t cap = 0, line = 0;
	ssize_t got;
	FILE *fp;
	int rc = RMX_OK;

	if (path == NULL || out == NULL)
		return RMX_EINVAL;
	*out = NULL;
	fp = fopen(path, "r");
	if (fp == NULL) {
		rc = errno == ENOENT ? RMX_ENOTFOUND : RMX_EIO;
		if (diag != NULL)
			snprintf(diag->msg, sizeof(diag->msg), "%.200s: %s",
				path, strerror(errno));
		return rc;
	}
	exc = calloc(1, sizeof(*exc));
	if (exc == NULL) {
		fclose(fp);
		return RMX_ENOMEM;
	}
	while (rc == RMX_OK && (got = getline(&buf, &cap, fp)) >= 0) {
		char *s;

		line++;
		if (memchr(buf, '\0', (size_t)got) != NULL) {
			rc = exc_fault(diag, path, line, "NUL character");
			break;
		}
		buf[strcspn(buf, "\r\n")] = '\0';
		s = buf + strspn(buf, " \t");
		if (*s == '\0' || *s == '#')
			continue;
		rc = parse_exception_line(exc, s, with_result, path, line,
			diag);
	}
	/* getline() also stops on a read error (a directory: EISDIR); that
	 * is not the end of the list. */
	if (rc == RMX_OK && ferror(fp)) {
		rc = errno == ENOMEM ? RMX_ENOMEM : RMX_EIO;
		if (diag != NULL)
			snprintf(diag->msg, sizeof(diag->msg), "%.200s: %s",
				path, strerror(errno));
	}
	free(buf);
	fclose(fp);
	if (rc != RMX_OK) {
		rmx_suite_exceptions_free(exc);
		return rc;
	}
	*out = exc;
	return RMX_OK;
}

int rmx_suite_exceptions_load(const char *path,
	struct rmx_suite_exceptions **out, struct rmx_diag *diag)
{
	return list_load(path, true, out, diag);
}

int rmx_suite_exclusions_load(const char *path,
	struct rmx_suite_exceptions **out, struct rmx_diag *diag)
{
	return list_load(path, false, out, diag);
}

static const struct suite_exception *find_exception(
	const struct rmx_suite_exceptions *exc, const char *name)
{
	size_t i;

	if (exc == NULL)
		return NULL;
	for (i = 0; i < exc->n; i++)
		if (strcmp(exc->items[i].name, name) == 0)
			return &exc->items[i];
	return NULL;
}

const char *rmx_suite_exceptions_reason(
	const struct rmx_suite_exceptions *exc, const char *name)
{
	const struct suite_exception *e = find_exception(exc, name);

	return e != NULL ? e->reason : NULL;
}

/* ---- running ---- */

void rmx_suite_run_options_init(struct rmx_suite_run_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->rr_type = RMX_TYPE_DEFAULT;
}

bool rmx_suite_result_expected(const struct rmx_suite_test *t,
	enum rmx_result r)
{
	unsigned i;

	for (i = 0; i < t->nresults; i++)
		if (t->results[i] == r)
			return true;
	return false;
}

/*
 * The OpenSPF suites write "explanation: DEFAULT" for "the receiver's
 * default explanation": no exp= text was used, which our result shows as
 * an empty explanation.  Any other text must match exactly.
 */
static bool explanation_matches(const char *want, const char *got)
{
	if (want == NULL)
		return true;
	if (strcmp(want, "DEFAULT") == 0)
		return got[0] == '\0';
	return strcmp(want, got) == 0;
}

static int run_one(const struct rmx_suite_scenario *sc,
	const struct rmx_suite_test *t, const struct rmx_suite_run_options *opt,
	struct rmx_check_result *res, struct rmx_diag *diag)
{
	struct rmx_config cfg;
	struct rmx_request req;
	const char *methods = opt->methods;
	int rc;

	rmx_config_init(&cfg);
	if (methods == NULL)
		methods = sc->has_rmx_data ? "rmx,spf" : "spf";
	rc = rmx_config_set_methods(&cfg, methods, diag);
	if (rc != RMX_OK)
		return rc;
	cfg.rmx_rr_type = opt->rr_type;
	if (t->receiver != NULL)
		cfg.receiver = t->receiver;
	memset(&req, 0, sizeof(req));
	req.client_ip = t->host;
	req.sender = t->mailfrom;
	req.helo = t->helo;
	memset(res, 0, sizeof(*res));
	return rmx_check_run(opt->resolver != NULL ? opt->resolver :
		rmx_zone_resolver(sc->zone), &cfg, &req, res);
}

int rmx_suite_check_test(const struct rmx_suite_scenario *sc,
	const struct rmx_suite_test *t, const struct rmx_suite_run_options *opt,
	struct rmx_check_result *out, struct rmx_diag *diag)
{
	if (sc == NULL || t == NULL || opt == NULL || out == NULL)
		return RMX_EINVAL;
	return run_one(sc, t, opt, out, diag);
}

int rmx_suite_run(const struct rmx_suite *suite,
	const struct rmx_suite_run_options *opt, rmx_suite_report_fn *report,
	void *arg, unsigned *passed, unsigned *failed, struct rmx_diag *diag)
{
	struct rmx_suite_run_options defaults;
	struct rmx_check_result res;
	size_t i, j;

	if (suite == NULL || passed == NULL || failed == NULL)
		return RMX_EINVAL;
	if (opt == NULL) {
		rmx_suite_run_options_init(&defaults);
		opt = &defaults;
	}
	if (opt->methods != NULL) {
		struct rmx_config probe;

		rmx_config_init(&probe);
		if (rmx_config_set_methods(&probe, opt->methods, diag) !=
		    RMX_OK)
			return RMX_EINVAL;
	}
	for (i = 0; i < suite->nscenarios; i++) {
		const struct rmx_suite_scenario *sc = &suite->scenarios[i];

		if (opt->only != NULL && opt->only != sc)
			continue;
		for (j = 0; j < sc->ntests; j++) {
			const struct rmx_suite_test *t = &sc->tests[j];
			const struct suite_exception *e;
			struct rmx_suite_outcome o;

			memset(&o, 0, sizeof(o));
			o.suite = suite;
			o.scenario = sc;
			o.test = t;
			o.result = &res;
			o.error = run_one(sc, t, opt, &res, NULL);
			if (o.error == RMX_OK) {
				bool ok = rmx_suite_result_expected(t,
					res.result);

				o.explanation_mismatch = ok &&
					res.result == RMX_RESULT_FAIL &&
					!explanation_matches(t->explanation,
						res.explanation);
				o.passed = ok && !o.explanation_mismatch;
				e = find_exception(opt->exceptions, t->name);
				if (!o.passed && e != NULL &&
				    e->result == res.result) {
					o.passed = true;
					o.by_exception = true;
					o.exception_reason = e->reason;
				}
			}
			if (o.passed)
				(*passed)++;
			else
				(*failed)++;
			if (report != NULL)
				report(arg, &o);
		}
	}
	return RMX_OK;
}

/* ---- export ---- */

#define EXPORT_TTL 300u
#define EXPORT_HEX_GROUP 32     /* octets per blank-separated hex group */

struct export_ctx {
	FILE *out;
};

/* One RR in RFC 3597 form: "owner TTL IN TYPE<n> \# LEN HEX". */
static int export_rr(void *arg, const uint8_t *owner, size_t ownerlen,
	uint16_t type, const uint8_t *rdata, size_t rdlen)
{
	struct export_ctx *ctx = arg;
	char name[RMX_NAME_MAXTEXT];
	size_t i;

	if (rmx_name_to_text(owner, ownerlen, name, sizeof(name), NULL) !=
	    RMX_OK)
		return RMX_EINVAL; /* the zone holds validated names only */
	/* RFC 1035 3.3.14: TXT holds one or more character-strings; NSD
	 * refuses an empty SPF RR (and libunbound answers SERVFAIL for any
	 * RR with empty RDATA), so such an RR is left out, visibly */
	if ((type == RMX_RR_TXT || type == RMX_RR_SPF) && rdlen == 0 &&
	    fputs("; not served (TXT/SPF RDATA without a character-string): ",
		    ctx->out) == EOF)
		return RMX_EIO;
	if (fprintf(ctx->out, "%s %u IN TYPE%u \\# %zu", name, EXPORT_TTL,
		    (unsigned)type, rdlen) < 0)
		return RMX_EIO;
	for (i = 0; i < rdlen; i++) {
		if (i % EXPORT_HEX_GROUP == 0 && putc(' ', ctx->out) == EOF)
			return RMX_EIO;
		if (fprintf(ctx->out, "%02x", rdata[i]) < 0)
			return RMX_EIO;
	}
	return putc('\n', ctx->out) == EOF ? RMX_EIO : RMX_OK;
}

int rmx_suite_export_zone(const struct rmx_suite_scenario *sc, FILE *out,
	struct rmx_diag *diag)
{
	struct export_ctx ctx = {.out = out};
	size_t i;
	int rc;

	if (diag != NULL)
		rmx_diag_clear(diag);
	if (sc == NULL || out == NULL)
		return RMX_EINVAL;
	if (fprintf(out, "; rmx suite scenario (line %zu): ", sc->line) < 0)
		return RMX_EIO;
	/* the description is the suite's text: keep it on this line */
	for (i = 0; sc->description[i] != '\0' && i < 200; i++) {
		unsigned char c = (unsigned char)sc->description[i];

		if (putc(c < 0x20 || c == 0x7f ? ' ' : c, out) == EOF)
			return RMX_EIO;
	}
	if (fprintf(out, "\n; TIMEOUT and SERVFAIL marks are not served.\n"
		    "$ORIGIN .\n"
		    ". %u IN SOA %s hostmaster.rmx-suite-export. "
		    "1 3600 600 86400 %u\n"
		    ". %u IN NS %s\n", EXPORT_TTL, RMX_SUITE_EXPORT_NS,
		    EXPORT_TTL, EXPORT_TTL, RMX_SUITE_EXPORT_NS) < 0)
		return RMX_EIO;
	rc = rmx_zone_foreach(sc->zone, export_rr, &ctx);
	if (rc == RMX_OK && fflush(out) != 0)
		rc = RMX_EIO;
	if (rc == RMX_EIO && diag != NULL)
		snprintf(diag->msg, sizeof(diag->msg),
			"writing the zone: %s", strerror(errno));
	return rc;
}

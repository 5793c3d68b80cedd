/*
 * rmx/record.h - the RMX record: RDATA wire format <-> presentation text,
 * and the APL (RFC 3123) RDATA the `apl` entry refers to.
 *
 * Specification: RMX.md section 1 (doc/rmx-record.5).  RDATA is a sequence
 * of entries [N|TYPE][LENGTH][DATA].  The decoder validates a whole RDATA
 * before anything uses it (rmx_rdata_check); after that, entries are read
 * in place with an iterator, without copying and without parsing again:
 * struct rmx_entry points into the caller's buffer.
 *
 * Text is a space-separated list of entries, e.g.
 *   "!ip4:192.0.2.66 ip4:192.0.2.0/24 host:relay.example.net. mx"
 * Text -> wire -> text gives the canonical form (lower-case absolute names,
 * shortest prefix notation, see RMX.md).  Nothing is silently fixed up: an
 * address with bits set past its prefix is an error, not masked.
 */
#ifndef RMX_RECORD_H
#define RMX_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <rmx/error.h>
#include <rmx/name.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RMX_TYPE_DEFAULT 65280 /* 0xFF00: first private-use RR type code */
#define RMX_RDATA_MAX 65535

enum rmx_entry_type {
	RMX_ENTRY_NONE = 0,
	RMX_ENTRY_IP4 = 1,
	RMX_ENTRY_IP6 = 2,
	RMX_ENTRY_HOST = 3,
	RMX_ENTRY_APL = 4,
	RMX_ENTRY_MEMBER = 5,
	RMX_ENTRY_FULLADDR = 6,
	RMX_ENTRY_MX = 7,
	RMX_ENTRY_TLSFP = 64,
	RMX_ENTRY_TLSLDAP = 65,
	RMX_ENTRY_SASL = 66,
	RMX_ENTRY_PGP = 67,
};
#define RMX_ENTRY_TYPE_MAX 127

/* One entry, pointing into the RDATA it was read from. */
struct rmx_entry {
	uint8_t type;         /* 0..127 */
	bool negated;         /* the N flag */
	uint8_t len;          /* octets of data */
	const uint8_t *data;  /* DATA; valid while the RDATA buffer is */
	size_t offset;        /* octet offset of the entry's first octet */
};

/* Flags for rmx_rdata_check */
#define RMX_RDATA_MAILBOX 0x1 /* per-mailbox record (RMX.md 3): no fulladdr */

/*
 * Validate rdata[0..len) as a whole per RMX.md 1.  RMX_OK, or
 * RMX_EMALFORMED with diag->offset the octet offset of the fault and
 * diag->msg e.g. "entry 2 (ip4) at octet 6: prefix 33 out of range 0-32".
 * Zero entries (len 0) is valid.
 */
int rmx_rdata_check(const uint8_t *rdata, size_t len, unsigned flags,
	struct rmx_diag *diag);

/* In-place iteration over entries. */
struct rmx_iter {
	const uint8_t *rdata;
	size_t len;
	size_t off;
};
void rmx_iter_init(struct rmx_iter *it, const uint8_t *rdata, size_t len);
/* 1: *e filled; 0: end; RMX_EMALFORMED: a header or LENGTH overruns. */
int rmx_iter_next(struct rmx_iter *it, struct rmx_entry *e);

/* Name of a known entry type ("ip4"), or NULL for an unknown code. */
const char *rmx_entry_type_name(unsigned type);
/* True for the types that need a DNS lookup (host apl member fulladdr mx). */
bool rmx_entry_needs_lookup(unsigned type);

/*
 * Print one validated entry in canonical presentation form ("!ip4:...").
 * RMX_ESPACE when cap is too small (RMX_ENTRY_MAXTEXT always suffices).
 */
#define RMX_ENTRY_MAXTEXT (4 * 255 + 32)
int rmx_entry_to_text(const struct rmx_entry *e, char *buf, size_t cap,
	size_t *textlen);

/*
 * Print validated RDATA as space-separated entries (empty string for zero
 * entries).  RMX_ESPACE when it does not fit; RMX_EMALFORMED (diag set)
 * when rdata does not pass rmx_rdata_check(.., 0, ..).
 */
int rmx_rdata_to_text(const uint8_t *rdata, size_t len, char *buf,
	size_t cap, size_t *textlen, struct rmx_diag *diag);

/*
 * Parse one entry's text (no surrounding blanks) and append its wire form at
 * out[*outlen..cap), advancing *outlen.  origin as in rmx_name_from_text.
 * RMX_EMALFORMED with diag->msg naming the token and what is wrong;
 * RMX_ESPACE when out is full.
 */
int rmx_entry_from_text(const char *text, size_t textlen, const char *origin,
	uint8_t *out, size_t cap, size_t *outlen, struct rmx_diag *diag);

/*
 * Parse a space/tab-separated list of entries into RDATA (out, cap octets;
 * RMX_RDATA_MAX suffices).  diag->offset is the character offset of the bad
 * token.  The result always passes rmx_rdata_check(.., 0, ..).
 */
int rmx_rdata_from_text(const char *text, const char *origin, uint8_t *out,
	size_t cap, size_t *outlen, struct rmx_diag *diag);

/* ---- APL (RFC 3123) ---- */

struct rmx_apl_item {
	uint16_t family;      /* 1 = IPv4, 2 = IPv6, others: unknown */
	uint8_t prefix;
	bool negated;
	uint8_t afdlen;       /* 0..127 */
	const uint8_t *afd;   /* address part, trailing zero octets omitted */
};

/* Validate APL RDATA: items well formed, AFDLENGTH within bounds, for
 * families 1/2 the prefix in range and afdlen <= 4/16. */
int rmx_apl_check(const uint8_t *rdata, size_t len, struct rmx_diag *diag);
struct rmx_apl_iter {
	const uint8_t *rdata;
	size_t len;
	size_t off;
};
void rmx_apl_iter_init(struct rmx_apl_iter *it, const uint8_t *rdata,
	size_t len);
int rmx_apl_iter_next(struct rmx_apl_iter *it, struct rmx_apl_item *item);
/* Text form of RFC 3123: "1:192.0.2.0/24 !2:2001:db8::/32". */
int rmx_apl_to_text(const uint8_t *rdata, size_t len, char *buf, size_t cap,
	size_t *textlen, struct rmx_diag *diag);
int rmx_apl_from_text(const char *text, uint8_t *out, size_t cap,
	size_t *outlen, struct rmx_diag *diag);

/* ---- hex helpers shared by the CLI and the zone code ---- */

/* Parse hex (blanks allowed between digit pairs; "\# LEN HEX" accepted and
 * LEN verified).  RMX_EMALFORMED with diag on odd digits, bad characters or
 * a length mismatch. */
int rmx_hex_decode(const char *text, uint8_t *out, size_t cap, size_t *outlen,
	struct rmx_diag *diag);
/* Lower-case hex without separators; cap >= 2*len+1. */
int rmx_hex_encode(const uint8_t *in, size_t len, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif

/*
 * rmx/zone.h - in-memory zone resolver backend (tests, offline checks).
 *
 * Holds RRsets by (owner name, type) and answers queries from them through
 * the rmx_resolver interface: answers are queued at query() time and
 * delivered by process(), in query order.  Names compare case-insensitively.
 * CNAMEs are followed (at most 8 links; a loop or a longer chain answers
 * RMX_DNS_FAIL).  A name can be marked to time out or to SERVFAIL:
 *   - RMX_ZONE_TIMEOUT: every query at that name whose type has no RRs
 *     there times out (the OpenSPF suite's TIMEOUT);
 *   - RMX_ZONE_SERVFAIL: likewise, but the answer is SERVFAIL.
 * A query for a name that has no data at all is NXDOMAIN unless some name
 * below it has data (then NODATA: an empty non-terminal).
 *
 * Loading: RFC 1035 master files through libldns (RMX in presentation form
 * with mnemonic RMX, or in RFC 3597 form as TYPE<code>), and the suite YAML
 * format (tests/conformance/README.md) through the suite module.
 */
#ifndef RMX_ZONE_H
#define RMX_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <rmx/resolver.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rmx_zone;

#define RMX_ZONE_TIMEOUT 0x1
#define RMX_ZONE_SERVFAIL 0x2

/* rr_type: the code RMX records use (RMX_TYPE_DEFAULT normally). */
int rmx_zone_new(uint16_t rr_type, struct rmx_zone **out);
void rmx_zone_free(struct rmx_zone *zone);

/* The resolver view of the zone; owned by the zone (do not free it; it
 * lives until rmx_zone_free; rmx_resolver_free on it frees the zone). */
struct rmx_resolver *rmx_zone_resolver(struct rmx_zone *zone);

/* Add one RR (name in presentation form, absolute). */
int rmx_zone_add_rr(struct rmx_zone *zone, const char *name, uint16_t type,
	const uint8_t *rdata, size_t rdlen);
/* Mark a name (RMX_ZONE_TIMEOUT / RMX_ZONE_SERVFAIL). */
int rmx_zone_mark(struct rmx_zone *zone, const char *name, unsigned flags);

/*
 * Load an RFC 1035 master file.  origin may be NULL ($ORIGIN or the file
 * decides).  RMX RRs may be written "RMX <entries>" or "TYPE<code> \# ..".
 * RMX_EMALFORMED with diag->line and a message on a bad line.
 */
int rmx_zone_load_file(struct rmx_zone *zone, const char *path,
	const char *origin, struct rmx_diag *diag);

/* Total RRs held (for tests and diagnostics). */
size_t rmx_zone_rr_count(const struct rmx_zone *zone);

/*
 * Visit every RR of the zone: owner as a lower-cased wire name, type,
 * RDATA (all valid only during the call).  Names come in no particular
 * order, all RRsets of a name together, the RRs of an RRset in the order
 * they were added.  Marks are not RRs and are not visited.  Returns RMX_OK,
 * RMX_EINVAL (zone or fn NULL), or the first value other than RMX_OK that
 * fn returned (the walk stops there).  fn must not change the zone.
 */
typedef int rmx_zone_rr_visit_fn(void *arg, const uint8_t *owner,
	size_t ownerlen, uint16_t type, const uint8_t *rdata, size_t rdlen);
int rmx_zone_foreach(const struct rmx_zone *zone, rmx_zone_rr_visit_fn *fn,
	void *arg);

/* With ignore true, answer as if no name were marked TIMEOUT or SERVFAIL
 * (the marks are kept; false restores them): the answers a real server
 * serving the zone's RRs gives. */
void rmx_zone_set_ignore_marks(struct rmx_zone *zone, bool ignore);

/* Add one RR at an owner given as a validated wire name (as the loaders
 * have it).  RMX_EINVAL for a malformed name or rdlen > 65535. */
int rmx_zone_add_rr_wire(struct rmx_zone *zone, const uint8_t *name,
	size_t namelen, uint16_t type, const uint8_t *rdata, size_t rdlen);

/* The RR type code the zone was created with (RMX records). */
uint16_t rmx_zone_rr_type(const struct rmx_zone *zone);

/*
 * Reading master files (zonefile.c), shared by rmx_zone_load_file and
 * `rmx zone compile`.  Each RR of the file is handed to a callback, in file
 * order.  A record written with the mnemonic RMX is converted from
 * presentation text (rmx_rdata_from_text, relative names against the
 * current $ORIGIN) to type rmx_type; a record written TYPE<code> \# ...
 * passes as is (not validated: a zone may hold malformed RMX on purpose).
 */
struct rmx_zonefile_rr {
	const char *owner;          /* presentation text, absolute */
	const uint8_t *owner_wire;  /* wire form of the owner */
	size_t owner_len;
	uint32_t ttl;
	uint16_t rrclass;
	uint16_t type;
	const uint8_t *rdata;
	size_t rdlen;
	/* The whole RR on one line in master-file form, no newline; RMX
	 * records as "TYPE<code> \# LEN HEX" (RFC 3597). */
	const char *text;
	bool was_rmx;               /* written with the RMX mnemonic */
	size_t line;                /* line where the record starts */
};
/* Return RMX_OK to go on; anything else stops reading and is returned. */
typedef int rmx_zonefile_rr_fn(void *arg, const struct rmx_zonefile_rr *rr);

/*
 * Read the master file at path.  origin (NULL: the root) is the initial
 * $ORIGIN.  Supports $ORIGIN, $TTL, comments, quoted strings and
 * parentheses; not $INCLUDE or $GENERATE.  Errors: RMX_ENOTFOUND (no such
 * file), RMX_EIO (cannot open or read), RMX_EMALFORMED (a record does not parse), RMX_ENOMEM, or what the
 * callback returned; diag->line is the line and diag->msg reads
 * "PATH:LINE: what is wrong".  Everything is valid only during the
 * callback.
 */
int rmx_zonefile_read(const char *path, const char *origin, uint16_t rmx_type,
	rmx_zonefile_rr_fn *fn, void *arg, struct rmx_diag *diag);

#ifdef __cplusplus
}
#endif
#endif

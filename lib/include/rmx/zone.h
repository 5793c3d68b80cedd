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

#ifdef __cplusplus
}
#endif
#endif

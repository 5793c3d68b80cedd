/*
 * addr.h - client IP addresses and prefix matching (internal).
 *
 * An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is an IPv4 address in every
 * respect (RMX.md 1): rmx_addr_parse turns it into family 4.
 */
#ifndef RMX_ADDR_H
#define RMX_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rmx_addr {
	int family;     /* 4 or 6 */
	uint8_t a[16];  /* network order; first 4 octets for IPv4 */
};

/* Parse text ("192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1").  0 on
 * success, -1 when it is not an address. */
int rmx_addr_parse(const char *text, struct rmx_addr *out);

/* Text form (inet_ntop); buf of 46 octets suffices. */
void rmx_addr_to_text(const struct rmx_addr *a, char *buf, size_t cap);

/* Is `a` of `family` and inside net/prefix?  net holds at least
 * ceil(prefix/8) octets; octets past that are not read. */
bool rmx_addr_in_prefix(const struct rmx_addr *a, int family,
	const uint8_t *net, unsigned prefix);

/* Is `a` equal to the address in rdata (4 octets A or 16 octets AAAA)?
 * Returns false for a length that fits neither. */
bool rmx_addr_equal_rdata(const struct rmx_addr *a, const uint8_t *rdata,
	size_t rdlen);

#endif

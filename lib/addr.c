/*
 * addr.c - client IP addresses and prefix matching.
 *
 * Parsing is inet_pton's; the one rule of our own is that an IPv4-mapped
 * IPv6 address is an IPv4 client (RMX.md 1, RFC 7208 5.6).
 */
#include "addr.h"

#include <arpa/inet.h>
#include <string.h>

static const uint8_t v4mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0xff, 0xff};

int rmx_addr_parse(const char *text, struct rmx_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (text == NULL)
		return -1;
	if (inet_pton(AF_INET, text, out->a) == 1) {
		out->family = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, text, out->a) == 1) {
		if (memcmp(out->a, v4mapped_prefix, 12) == 0) {
			memmove(out->a, out->a + 12, 4);
			memset(out->a + 4, 0, 12);
			out->family = 4;
		} else {
			out->family = 6;
		}
		return 0;
	}
	return -1;
}

void rmx_addr_to_text(const struct rmx_addr *a, char *buf, size_t cap)
{
	if (cap == 0)
		return;
	if (inet_ntop(a->family == 4 ? AF_INET : AF_INET6, a->a, buf,
		    (socklen_t)cap) == NULL)
		buf[0] = '\0';
}

bool rmx_addr_in_prefix(const struct rmx_addr *a, int family,
	const uint8_t *net, unsigned prefix)
{
	unsigned width = family == 4 ? 32 : 128;
	unsigned full, rest;

	if (a->family != family || prefix > width)
		return false;
	full = prefix / 8;
	rest = prefix % 8;
	if (full > 0 && memcmp(a->a, net, full) != 0)
		return false;
	if (rest != 0) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));
		if ((a->a[full] & mask) != (net[full] & mask))
			return false;
	}
	return true;
}

bool rmx_addr_equal_rdata(const struct rmx_addr *a, const uint8_t *rdata,
	size_t rdlen)
{
	if (a->family == 4 && rdlen == 4)
		return memcmp(a->a, rdata, 4) == 0;
	if (a->family == 6 && rdlen == 16)
		return memcmp(a->a, rdata, 16) == 0;
	return false;
}

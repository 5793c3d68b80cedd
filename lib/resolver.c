/*
 * resolver.c - names for the resolver interface's status values
 * (rmx/resolver.h).  The interface itself is a table of function pointers
 * that each backend fills (zone.c, unbound.c).
 */
#include <rmx/resolver.h>

const char *rmx_dns_status_str(enum rmx_dns_status status)
{
	switch (status) {
	case RMX_DNS_OK:
		return "answer";
	case RMX_DNS_NODATA:
		return "no data";
	case RMX_DNS_NXDOMAIN:
		return "NXDOMAIN";
	case RMX_DNS_TIMEOUT:
		return "timeout";
	case RMX_DNS_FAIL:
		return "failure";
	}
	return "unknown";
}

const char *rmx_dnssec_str(enum rmx_dnssec sec)
{
	switch (sec) {
	case RMX_DNSSEC_INSECURE:
		return "insecure";
	case RMX_DNSSEC_SECURE:
		return "secure";
	case RMX_DNSSEC_BOGUS:
		return "bogus";
	}
	return "unknown";
}

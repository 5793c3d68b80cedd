/*
 * rmx/unbound.h - libunbound resolver backend (real DNS, DNSSEC).
 *
 * Caching, retries and DNSSEC validation are libunbound's.  By default the
 * backend follows the system's resolver configuration (/etc/resolv.conf,
 * /etc/hosts); options select a forwarder, a stub (authoritative) server,
 * trust anchors and a per-query timeout.  Queries run asynchronously
 * (ub_resolve_async); process() and fd() map to ub_process()/ub_fd().
 */
#ifndef RMX_UNBOUND_H
#define RMX_UNBOUND_H

#include <stdbool.h>
#include <rmx/resolver.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rmx_unbound_options {
	/* Send every query to this server ("IP" or "IP@PORT" or "IP:PORT" for
	 * IPv4): as a forwarder (recursion desired) unless `stub` is set, then
	 * as authoritative server for all names (recursion not needed). */
	const char *server;
	bool stub;
	/* DNSSEC trust anchor file (DS/DNSKEY RRs, as ub_ctx_add_ta_file). */
	const char *trust_anchor_file;
	/* Give up on a query after this long; 0 = libunbound's own limits. */
	unsigned query_timeout_ms;
	/* Use /etc/resolv.conf and /etc/hosts when server is NULL (default
	 * true; set false to resolve from the root). */
	bool use_system_config;
};
void rmx_unbound_options_init(struct rmx_unbound_options *opt);

/*
 * Create a backend.  On failure returns a negative code and writes a reason
 * to diag (e.g. "trust anchor file /x: No such file or directory").  Free
 * with rmx_resolver_free().
 */
int rmx_unbound_new(const struct rmx_unbound_options *opt,
	struct rmx_resolver **out, struct rmx_diag *diag);

#ifdef __cplusplus
}
#endif
#endif

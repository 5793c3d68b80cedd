/*
 * rmx/lint.h - findings about an RMX RRset that a domain owner should see
 * before publishing it: malformed data, the lookup limit, RR order that
 * could change the verdict (RMX.md 1), entries that can never be reached,
 * unknown and experimental types.
 *
 * The linter only reads; it never changes a record.  Each finding goes to a
 * callback with a severity, the entry it concerns and a message.
 */
#ifndef RMX_LINT_H
#define RMX_LINT_H

#include <stddef.h>
#include <rmx/resolver.h>

#ifdef __cplusplus
extern "C" {
#endif

enum rmx_lint_severity {
	RMX_LINT_WARNING = 1, /* legal, but probably not what was meant */
	RMX_LINT_ERROR = 2,   /* a check would end in permerror */
};

enum rmx_lint_code {
	RMX_LINT_MALFORMED = 1,  /* RDATA does not validate (error) */
	RMX_LINT_LOOKUP_LIMIT,   /* > 10 lookup entries (error when reached) */
	RMX_LINT_ORDER,          /* several RRs and a negated entry */
	RMX_LINT_EMPTY,          /* no entries at all: every client fails */
	RMX_LINT_NONE_MIXED,     /* none together with other entries */
	RMX_LINT_UNREACHABLE,    /* entries after one that always matches */
	RMX_LINT_PASS_ALL,       /* ip4:0.0.0.0/0 or ip6:::/0 authorizes all */
	RMX_LINT_DUPLICATE,      /* the same entry twice */
	RMX_LINT_UNKNOWN_TYPE,   /* skipped by every checker */
	RMX_LINT_EXPERIMENTAL,   /* tlsldap, pgp: never match at MAIL FROM */
};

struct rmx_lint_finding {
	enum rmx_lint_code code;
	enum rmx_lint_severity severity;
	size_t entry;       /* 1-based position in the RRset's list, 0: all */
	const char *name;   /* short name of the code, e.g. "lookup-limit" */
	const char *msg;    /* valid during the callback */
};

typedef void rmx_lint_fn(void *arg, const struct rmx_lint_finding *f);

/*
 * Lint an RRset: its RRs' RDATA, concatenated in the given order as a
 * checker would.  flags: RMX_RDATA_MAILBOX for a per-mailbox record.
 * Returns the number of findings of severity RMX_LINT_ERROR (>= 0), or
 * RMX_EINVAL.
 */
int rmx_lint_rrset(const struct rmx_dns_rr *rrs, size_t count,
	unsigned flags, rmx_lint_fn *fn, void *arg);

#ifdef __cplusplus
}
#endif
#endif

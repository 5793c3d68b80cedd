/*
 * async_checks.c - how a program embeds librmx: many checks at once on one
 * resolver, driven by the program's own loop.
 *
 *   async_checks ZONEFILE
 *
 * Loads ZONEFILE (e.g. examples/example.com.zone) into an in-memory zone,
 * starts one check per line of the table below without waiting for any,
 * then drives the resolver until every check has called back, and prints
 * one line per verdict.  With the libunbound backend (rmx_unbound_new) the
 * loop is the same; a program with an event loop would watch
 * res->ops->fd(res) and call rmx_resolver_process(res, 0) when it is
 * readable, and use rmx_check_deadline() for its timer.
 *
 * Exit 0 when every verdict is the expected one (this example is also a
 * test, run by `meson test`), 1 otherwise.
 */
#include <rmx/rmx.h>

#include <stdio.h>
#include <string.h>

static const struct {
	const char *ip, *sender, *expect;
} checks[] = {
	{"192.0.2.7", "alice@example.com", "pass"},      /* office network */
	{"192.0.2.66", "alice@example.com", "fail"},     /* denied host */
	{"198.51.100.9", "alice@example.com", "pass"},   /* APL item */
	{"198.51.100.99", "alice@example.com", "fail"},  /* negated APL item */
	{"203.0.113.7", "john.doe@example.com", "pass"}, /* per-mailbox */
	{"192.0.2.7", "john.doe@example.com", "fail"},
	{"203.0.113.9", "bob@spf-only.example.com", "pass"}, /* SPF fallback */
	{"192.0.2.7", "bob@none.example.com", "fail"},   /* sends no mail */
};
#define NCHECKS (sizeof(checks) / sizeof(checks[0]))

struct slot {
	size_t index;
	bool done;
	struct rmx_check_result result; /* copied: valid only in the callback */
};

static void on_verdict(void *arg, const struct rmx_check_result *r)
{
	struct slot *s = arg;

	s->result = *r;
	s->done = true;
}

int main(int argc, char **argv)
{
	struct slot slots[NCHECKS];
	struct rmx_zone *zone;
	struct rmx_resolver *res;
	struct rmx_config cfg;
	struct rmx_diag diag;
	size_t i, open = 0;
	int failures = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: async_checks ZONEFILE\n");
		return 2;
	}
	if (rmx_zone_new(RMX_TYPE_DEFAULT, &zone) != RMX_OK) {
		fprintf(stderr, "async_checks: out of memory\n");
		return 1;
	}
	if (rmx_zone_load_file(zone, argv[1], NULL, &diag) != RMX_OK) {
		fprintf(stderr, "async_checks: %s\n", diag.msg);
		rmx_zone_free(zone);
		return 1;
	}
	res = rmx_zone_resolver(zone);
	rmx_config_init(&cfg); /* methods rmx,spf; type 65280; 20 s */

	/* Start every check; none has an answer yet. */
	for (i = 0; i < NCHECKS; i++) {
		struct rmx_request req = {0};

		req.client_ip = checks[i].ip;
		req.sender = checks[i].sender;
		req.helo = "mail.example.org";
		slots[i].index = i;
		slots[i].done = false;
		if (rmx_check_start(res, &cfg, &req, on_verdict, &slots[i],
			    NULL) != RMX_OK) {
			fprintf(stderr, "check %zu did not start\n", i);
			return 1;
		}
	}
	/* The loop: deliver answers until every check has called back. */
	for (;;) {
		for (open = 0, i = 0; i < NCHECKS; i++)
			open += !slots[i].done;
		if (open == 0)
			break;
		if (rmx_resolver_process(res, 1000) < 0) {
			fprintf(stderr, "resolver failed\n");
			return 1;
		}
	}
	for (i = 0; i < NCHECKS; i++) {
		const struct rmx_check_result *r = &slots[i].result;
		bool ok = strcmp(rmx_result_str(r->result),
			checks[i].expect) == 0;

		printf("%-4s %-9s %-15s %-26s %s: %s\n", ok ? "ok" : "BAD",
			rmx_result_str(r->result), checks[i].ip,
			checks[i].sender, rmx_method_str(r->method), r->reason);
		failures += !ok;
	}
	rmx_zone_free(zone);
	printf("%zu passed, %d failed\n", NCHECKS - (size_t)failures, failures);
	return failures == 0 ? 0 : 1;
}

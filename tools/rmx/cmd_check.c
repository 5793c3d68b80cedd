/*
 * cmd_check.c - `rmx check`: check one sender, print the verdict.
 *
 * DNS comes from an in-memory zone (--zone FILE), from a given server
 * through libunbound (--server IP[:PORT]), or from the system resolver
 * through libunbound (neither option).  Output is one line whose first word
 * is the result (text), or one JSON object (--format json).  Exit status 0
 * for any completed check whatever its verdict, 1 for bad input (an address
 * that does not parse, a zone file with errors), 2 for usage errors.
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char check_usage[] =
	"Usage: rmx check --ip IP --sender ADDR [--helo NAME] [OPTIONS]\n"
	"\n"
	"Check whether the client IP may send mail with envelope sender ADDR\n"
	"('' for the null sender: then the HELO name is checked).\n"
	"\n"
	"DNS source (default: the system resolver, through libunbound):\n"
	"  --zone FILE          answer from this master file (in memory)\n"
	"  --server IP[:PORT]   ask this DNS server (authoritative or recursive)\n"
	"  --trust-anchor FILE  DNSSEC trust anchor (DS/DNSKEY); validate\n"
	"  --timeout MS         whole-check deadline in ms (default 20000)\n"
	"\n"
	"Policy:\n"
	"  --method LIST        rmx,spf (default), rmx, spf or spf,rmx\n"
	"  --type-code N        RR type code of RMX records (default 65280)\n"
	"  --tls-fp ALG:HEX     client certificate fingerprint (sha1/sha256)\n"
	"  --sasl               the client authenticated with SMTP AUTH\n"
	"  --receiver NAME      this host's name, for SPF's %{r} macro\n"
	"\n"
	"Output:\n"
	"  --format text|json   (default text: the first word is the result)\n";

enum {
	OPT_IP = 256, OPT_SENDER, OPT_HELO, OPT_ZONE, OPT_SERVER, OPT_TA,
	OPT_TIMEOUT, OPT_METHOD, OPT_TYPE, OPT_TLSFP, OPT_SASL, OPT_FORMAT,
	OPT_RECEIVER, OPT_HELP,
};

static const struct option check_options[] = {
	{"ip", required_argument, NULL, OPT_IP},
	{"sender", required_argument, NULL, OPT_SENDER},
	{"helo", required_argument, NULL, OPT_HELO},
	{"zone", required_argument, NULL, OPT_ZONE},
	{"server", required_argument, NULL, OPT_SERVER},
	{"trust-anchor", required_argument, NULL, OPT_TA},
	{"timeout", required_argument, NULL, OPT_TIMEOUT},
	{"method", required_argument, NULL, OPT_METHOD},
	{"type-code", required_argument, NULL, OPT_TYPE},
	{"tls-fp", required_argument, NULL, OPT_TLSFP},
	{"sasl", no_argument, NULL, OPT_SASL},
	{"receiver", required_argument, NULL, OPT_RECEIVER},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"help", no_argument, NULL, OPT_HELP},
	{NULL, 0, NULL, 0},
};

/* JSON string: escape quotes, backslashes and control characters. */
static void print_json_string(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch < 0x20)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

/* Text value in key="value" form; result fields are printable ASCII, only
 * quotes and backslashes need escaping. */
static void print_quoted(const char *key, const char *s)
{
	printf(" %s=\"", key);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
	putchar('"');
}

static void print_result(const struct rmx_check_result *r, bool json)
{
	if (json) {
		printf("{\"result\":");
		print_json_string(rmx_result_str(r->result));
		printf(",\"method\":");
		print_json_string(rmx_method_str(r->method));
		printf(",\"domain\":");
		print_json_string(r->domain);
		printf(",\"entry\":");
		print_json_string(r->entry);
		printf(",\"reason\":");
		print_json_string(r->reason);
		printf(",\"explanation\":");
		print_json_string(r->explanation);
		printf(",\"dnssec\":");
		print_json_string(rmx_dnssec_str(r->dnssec));
		printf(",\"lookups\":%u,\"queries\":%u,\"elapsed_ms\":%u}\n",
			r->lookups, r->queries, r->elapsed_ms);
		return;
	}
	printf("%s method=%s", rmx_result_str(r->result),
		rmx_method_str(r->method));
	/* A valid domain needs no quotes; an invalid one (result none) is
	 * shown as given, quoted when it would break the key=value line. */
	if (r->domain[0] == '\0')
		printf(" domain=-");
	else if (strpbrk(r->domain, " \"\\=") != NULL)
		print_quoted("domain", r->domain);
	else
		printf(" domain=%s", r->domain);
	print_quoted("entry", r->entry);
	printf(" dnssec=%s", rmx_dnssec_str(r->dnssec));
	print_quoted("reason", r->reason);
	if (r->explanation[0] != '\0')
		print_quoted("explanation", r->explanation);
	putchar('\n');
}

static int parse_tls_fp(const char *arg, struct rmx_request *req)
{
	struct rmx_diag diag;
	const char *hex;
	size_t len = 0, want;

	if (strncasecmp(arg, "sha1:", 5) == 0) {
		req->tls_fp_alg = 1;
		want = 20;
		hex = arg + 5;
	} else if (strncasecmp(arg, "sha256:", 7) == 0) {
		req->tls_fp_alg = 2;
		want = 32;
		hex = arg + 7;
	} else {
		return -1;
	}
	if (rmx_hex_decode(hex, req->tls_fp, sizeof(req->tls_fp), &len,
		    &diag) != RMX_OK || len != want)
		return -1;
	return 0;
}

int cmd_check(int argc, char **argv)
{
	struct rmx_config cfg;
	struct rmx_request req;
	struct rmx_check_result res;
	struct rmx_diag diag;
	struct rmx_resolver *resolver = NULL;
	struct rmx_zone *zone = NULL;
	const char *zone_file = NULL, *server = NULL, *ta = NULL;
	bool json = false, have_sender = false;
	unsigned long num;
	int c, rc;

	rmx_config_init(&cfg);
	memset(&req, 0, sizeof(req));
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", check_options, NULL)) != -1) {
		switch (c) {
		case OPT_IP:
			req.client_ip = optarg;
			break;
		case OPT_SENDER:
			req.sender = optarg;
			have_sender = true;
			break;
		case OPT_HELO:
			req.helo = optarg;
			break;
		case OPT_ZONE:
			zone_file = optarg;
			break;
		case OPT_SERVER:
			server = optarg;
			break;
		case OPT_TA:
			ta = optarg;
			break;
		case OPT_TIMEOUT:
			if (cli_parse_uint(optarg, 1, 3600000, &num) != 0)
				return cli_usage("check", "--timeout wants "
					"milliseconds (1-3600000), not '%s'",
					optarg);
			cfg.timeout_ms = (unsigned)num;
			break;
		case OPT_METHOD:
			if (rmx_config_set_methods(&cfg, optarg, &diag) !=
			    RMX_OK)
				return cli_usage("check", "%s", diag.msg);
			break;
		case OPT_TYPE:
			if (cli_parse_uint(optarg, 1, 65535, &num) != 0)
				return cli_usage("check", "--type-code wants "
					"an RR type code 1-65535, not '%s'",
					optarg);
			cfg.rmx_rr_type = (uint16_t)num;
			break;
		case OPT_TLSFP:
			if (parse_tls_fp(optarg, &req) != 0)
				return cli_usage("check", "--tls-fp wants "
					"sha1:<40 hex digits> or sha256:<64 hex "
					"digits>, not '%s'", optarg);
			break;
		case OPT_SASL:
			req.sasl_authenticated = true;
			break;
		case OPT_RECEIVER:
			cfg.receiver = optarg;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "json") == 0)
				json = true;
			else if (strcmp(optarg, "text") != 0)
				return cli_usage("check", "--format wants text "
					"or json, not '%s'", optarg);
			break;
		case OPT_HELP:
		case 'h':
			fputs(check_usage, stdout);
			return CLI_EXIT_OK;
		default:
			return cli_usage("check", "unknown or incomplete "
				"option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("check", "unexpected argument '%s'",
			argv[optind]);
	if (req.client_ip == NULL || !have_sender)
		return cli_usage("check", "--ip and --sender are required "
			"(--sender '' for the null sender)");
	if (zone_file != NULL && server != NULL)
		return cli_usage("check", "--zone and --server exclude each "
			"other");
	if (ta != NULL && zone_file != NULL)
		return cli_usage("check", "--trust-anchor needs real DNS, not "
			"--zone");

	if (zone_file != NULL) {
		rc = rmx_zone_new(cfg.rmx_rr_type, &zone);
		if (rc != RMX_OK)
			return cli_input_error("%s", rmx_strerror(rc));
		rc = rmx_zone_load_file(zone, zone_file, NULL, &diag);
		if (rc != RMX_OK) {
			rmx_zone_free(zone);
			return cli_input_error("%s", diag.msg[0] ? diag.msg :
				rmx_strerror(rc));
		}
		resolver = rmx_zone_resolver(zone);
	} else {
		struct rmx_unbound_options uo;

		rmx_unbound_options_init(&uo);
		uo.server = server;
		uo.trust_anchor_file = ta;
		uo.query_timeout_ms = cfg.timeout_ms;
		rc = rmx_unbound_new(&uo, &resolver, &diag);
		if (rc != RMX_OK)
			return cli_input_error("%s", diag.msg[0] ? diag.msg :
				rmx_strerror(rc));
	}

	rc = rmx_check_run(resolver, &cfg, &req, &res);
	rmx_resolver_free(resolver);
	if (rc == RMX_EINVAL)
		return cli_input_error("'%s' is not an IP address",
			req.client_ip);
	if (rc != RMX_OK)
		return cli_input_error("check failed: %s", rmx_strerror(rc));
	print_result(&res, json);
	return CLI_EXIT_OK;
}

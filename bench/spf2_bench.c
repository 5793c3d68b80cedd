/*
 * spf2_bench.c - the libspf2 side of the benchmark (bench/run drives it).
 *
 *   spf2_bench --zone FILE --ip IP --sender ADDR --helo NAME
 *              --expect RESULT [--count N] [--resolv] [--mem]
 *
 * Loads the master file FILE (bench/workload.zone) through libldns into
 * libspf2's in-memory zone layer (SPF_dns_zone_*), runs one check and
 * compares its result with RESULT (exit 1 on a mismatch, before anything
 * is timed), then runs N more checks on the same SPF server and prints
 *   spf2 checks=N seconds=S per_check_us=U result=R [median_us=M]
 * With --resolv the checks go to real DNS through libspf2's resolv layer
 * (SPF_DNS_RESOLV: /etc/resolv.conf, port 53, no cache): each check gets a
 * new SPF server, so every check starts cold (median_us=M is the median
 * time of one check); only the check itself is
 * timed, not creating the server.  With --mem (run under
 * LD_PRELOAD=heapcount.so) it also prints the peak heap of one check above
 * what was live before it: "spf2 peak_heap_bytes=B".
 *
 * How the zone is stacked: libspf2 asks for type SPF (99) before TXT and
 * only falls back to TXT on NO_DATA, while its zone layer answers
 * HOST_NOT_FOUND for anything not added.  So after a name's records the
 * loader adds an ANY/NO_DATA entry for that name (the zone layer returns the
 * first entry that matches, in insertion order): names in the file exist,
 * other types at them are NO_DATA, names not in the file are NXDOMAIN, as
 * a real server would answer.
 *
 * A benchmark tool: it trusts its command line and its zone file, and is
 * not installed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ldns/ldns.h>
#include <spf2/spf.h>
#include <spf2/spf_dns_zone.h>

#define NAMES_MAX 256

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median of n timings (sorts them); 0 for none. */
static double median_of(double *t, unsigned long n)
{
	if (n == 0)
		return 0;
	qsort(t, n, sizeof(*t), compare_doubles);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static void die(const char *what)
{
	fprintf(stderr, "spf2_bench: %s\n", what);
	exit(2);
}

/* Presentation form of an rdf or owner without the trailing dot. */
static char *text_without_dot(const ldns_rdf *rdf)
{
	char *s = ldns_rdf2str(rdf);
	size_t n;

	if (s == NULL)
		die("out of memory");
	n = strlen(s);
	if (n > 1 && s[n - 1] == '.')
		s[n - 1] = '\0';
	return s;
}

/* A TXT RR's character-strings joined, as a resolver hands them to SPF. */
static char *joined_txt(const ldns_rr *rr)
{
	size_t i, total = 0, off = 0;
	char *out;

	for (i = 0; i < ldns_rr_rd_count(rr); i++)
		total += ldns_rdf_size(ldns_rr_rdf(rr, i));
	out = malloc(total + 1);
	if (out == NULL)
		die("out of memory");
	for (i = 0; i < ldns_rr_rd_count(rr); i++) {
		const ldns_rdf *r = ldns_rr_rdf(rr, i);
		const uint8_t *d = ldns_rdf_data(r);
		size_t n = ldns_rdf_size(r);

		if (n == 0 || d[0] != n - 1)
			die("bad TXT character-string in zone");
		memcpy(out + off, d + 1, n - 1);
		off += n - 1;
	}
	out[off] = '\0';
	return out;
}

static void add_or_die(SPF_dns_server_t *dns, const char *owner, ns_type t,
	const char *data)
{
	if (SPF_dns_zone_add_str(dns, owner, t, NETDB_SUCCESS, data) !=
	    SPF_E_SUCCESS) {
		fprintf(stderr, "spf2_bench: cannot add %s type %d \"%s\"\n",
			owner, (int)t, data);
		exit(2);
	}
}

static SPF_dns_server_t *load_zone(const char *path)
{
	FILE *fp = fopen(path, "r");
	ldns_zone *z = NULL;
	ldns_status st;
	SPF_dns_server_t *dns;
	char *names[NAMES_MAX];
	size_t nnames = 0, i, j;
	int line = 0;

	if (fp == NULL) {
		fprintf(stderr, "spf2_bench: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	st = ldns_zone_new_frm_fp_l(&z, fp, NULL, 3600, LDNS_RR_CLASS_IN,
		&line);
	fclose(fp);
	if (st != LDNS_STATUS_OK) {
		fprintf(stderr, "spf2_bench: %s:%d: %s\n", path, line,
			ldns_get_errorstr_by_id(st));
		exit(2);
	}
	dns = SPF_dns_zone_new(NULL, "bench", 0);
	if (dns == NULL)
		die("SPF_dns_zone_new failed");
	for (i = 0; i < ldns_rr_list_rr_count(ldns_zone_rrs(z)); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(ldns_zone_rrs(z), i);
		char *owner = text_without_dot(ldns_rr_owner(rr));
		char *data = NULL;
		ns_type t;
		bool seen = false;

		switch (ldns_rr_get_type(rr)) {
		case LDNS_RR_TYPE_TXT:
			t = ns_t_txt;
			data = joined_txt(rr);
			break;
		case LDNS_RR_TYPE_MX:
			t = ns_t_mx;
			data = text_without_dot(ldns_rr_rdf(rr, 1));
			break;
		case LDNS_RR_TYPE_A:
			t = ns_t_a;
			data = ldns_rdf2str(ldns_rr_rdf(rr, 0));
			break;
		case LDNS_RR_TYPE_AAAA:
			t = ns_t_aaaa;
			data = ldns_rdf2str(ldns_rr_rdf(rr, 0));
			break;
		default:
			t = ns_t_invalid; /* not a type libspf2 asks for */
			break;
		}
		if (data != NULL)
			add_or_die(dns, owner, t, data);
		free(data);
		for (j = 0; j < nnames; j++)
			if (strcasecmp(names[j], owner) == 0)
				seen = true;
		if (!seen && nnames < NAMES_MAX)
			names[nnames++] = owner;
		else
			free(owner);
	}
	/* After all data: every name in the file exists (NO_DATA for the
	 * rest of the types). */
	for (j = 0; j < nnames; j++) {
		if (SPF_dns_zone_add_str(dns, names[j], ns_t_any, NO_DATA,
		    NULL) != SPF_E_SUCCESS)
			die("cannot add NO_DATA entry");
		free(names[j]);
	}
	ldns_zone_deep_free(z);
	return dns;
}

struct request {
	const char *ip, *sender, *helo;
};

static SPF_result_t check_once(SPF_server_t *srv, const struct request *q)
{
	SPF_request_t *req = SPF_request_new(srv);
	SPF_response_t *resp = NULL;
	SPF_result_t r;

	if (req == NULL)
		die("SPF_request_new failed");
	if (strchr(q->ip, ':') != NULL) {
		if (SPF_request_set_ipv6_str(req, q->ip) != SPF_E_SUCCESS)
			die("bad --ip");
	} else if (SPF_request_set_ipv4_str(req, q->ip) != SPF_E_SUCCESS) {
		die("bad --ip");
	}
	if (SPF_request_set_helo_dom(req, q->helo) != SPF_E_SUCCESS)
		die("bad --helo");
	if (SPF_request_set_env_from(req, q->sender) != 0)
		die("bad --sender");
	SPF_request_query_mailfrom(req, &resp);
	r = resp != NULL ? SPF_response_result(resp) : SPF_RESULT_INVALID;
	if (resp != NULL)
		SPF_response_free(resp);
	SPF_request_free(req);
	return r;
}

static SPF_server_t *new_server(SPF_dns_server_t *zone)
{
	SPF_server_t *srv = zone != NULL ? SPF_server_new_dns(zone, 0)
		: SPF_server_new(SPF_DNS_RESOLV, 0);

	if (srv == NULL)
		die("SPF_server_new failed");
	return srv;
}

/* Peak heap of one check, from the heapcount.so preload. */
static void measure_heap(SPF_server_t *srv, const struct request *q)
{
	size_t (*reset)(void) = (size_t (*)(void))dlsym(RTLD_DEFAULT,
		"heapcount_reset");
	size_t (*peak)(void) = (size_t (*)(void))dlsym(RTLD_DEFAULT,
		"heapcount_peak_above");

	if (reset == NULL || peak == NULL)
		die("--mem needs LD_PRELOAD=heapcount.so");
	reset();
	check_once(srv, q);
	printf("spf2 peak_heap_bytes=%zu\n", peak());
}

int main(int argc, char **argv)
{
	const char *zone_path = NULL, *expect = NULL;
	struct request q = { NULL, NULL, NULL };
	unsigned long count = 1000, i;
	bool resolv = false, mem = false;
	SPF_dns_server_t *zone = NULL;
	SPF_server_t *srv;
	SPF_result_t r;
	double t0, elapsed, *times = NULL;
	int a;

	for (a = 1; a < argc; a++) {
		const char *v = a + 1 < argc ? argv[a + 1] : NULL;

		if (strcmp(argv[a], "--resolv") == 0) {
			resolv = true;
			continue;
		}
		if (strcmp(argv[a], "--mem") == 0) {
			mem = true;
			continue;
		}
		if (v == NULL)
			die("usage: spf2_bench (--zone FILE | --resolv) --ip IP "
				"--sender ADDR --helo NAME --expect RESULT "
				"[--count N]");
		if (strcmp(argv[a], "--zone") == 0)
			zone_path = v;
		else if (strcmp(argv[a], "--ip") == 0)
			q.ip = v;
		else if (strcmp(argv[a], "--sender") == 0)
			q.sender = v;
		else if (strcmp(argv[a], "--helo") == 0)
			q.helo = v;
		else if (strcmp(argv[a], "--expect") == 0)
			expect = v;
		else if (strcmp(argv[a], "--count") == 0)
			count = strtoul(v, NULL, 10);
		else
			die("unknown option");
		a++;
	}
	if ((zone_path == NULL) == !resolv || q.ip == NULL ||
	    q.sender == NULL || q.helo == NULL || expect == NULL)
		die("missing option (see the header of spf2_bench.c)");
	if (!resolv)
		zone = load_zone(zone_path);

	/* Verify the result before timing anything. */
	srv = new_server(zone);
	r = check_once(srv, &q);
	if (strcmp(SPF_strresult(r), expect) != 0) {
		fprintf(stderr, "spf2_bench: %s from %s: got %s, expected %s\n",
			q.sender, q.ip, SPF_strresult(r), expect);
		return 1;
	}
	if (mem)
		measure_heap(srv, &q);
	if (resolv) {
		SPF_server_free(srv);
		srv = NULL;
	}

	elapsed = 0;
	if (resolv) {
		/* Cold: a new server (no cache) each time, timed without
		 * its creation. */
		times = calloc(count ? count : 1, sizeof(*times));
		if (times == NULL)
			die("out of memory");
		for (i = 0; i < count; i++) {
			srv = new_server(NULL);
			t0 = now_s();
			if (check_once(srv, &q) != r)
				die("result changed between checks");
			times[i] = now_s() - t0;
			elapsed += times[i];
			SPF_server_free(srv);
			srv = NULL;
		}
	} else {
		t0 = now_s();
		for (i = 0; i < count; i++)
			if (check_once(srv, &q) != r)
				die("result changed between checks");
		elapsed = now_s() - t0;
	}
	if (srv != NULL)
		SPF_server_free(srv); /* frees the zone layer too */
	printf("spf2 checks=%lu seconds=%.6f per_check_us=%.2f result=%s",
		count, elapsed, count ? elapsed * 1e6 / (double)count : 0.0,
		SPF_strresult(r));
	if (times != NULL)
		printf(" median_us=%.2f", median_of(times, count) * 1e6);
	printf("\n");
	free(times);
	return 0;
}

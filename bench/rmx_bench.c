/*
 * rmx_bench.c - the rmx side of the benchmark (bench/run drives it).
 *
 *   rmx_bench (--zone FILE | --server IP@PORT) --method spf|rmx
 *             --ip IP --sender ADDR --helo NAME --expect RESULT
 *             [--count N] [--mem] [--cache]
 *
 * With --zone, loads the master file FILE (bench/workload.zone) into an
 * in-memory zone (rmx_zone_load_file) and runs every check on its resolver
 * with rmx_check_run, the blocking call; the zone and resolver are reused,
 * each check is new.  Without --cache nothing is kept between checks
 * (cold: every record parsed by every check); with --cache one
 * rmx_cache (rmx/cache.h) is shared by all checks of the run, as a mail
 * server shares one per thread (warm: after the first check, records are
 * looked up, not parsed).  DNS answers are never cached.  With --server,
 * every check gets a new libunbound backend (a cold cache) that forwards
 * to that server, as a mail server would to its recursive resolver, and
 * only the check is timed, not creating the backend.  (Stub mode is not
 * used: libunbound primes a stub with an NS query first, one more round
 * trip on every cold cache.)
 *
 * First one check is run and its result compared with RESULT (exit 1 on a
 * mismatch, before anything is timed); then N checks, and it prints
 *   rmx-METHOD checks=N seconds=S per_check_us=U result=R queries=Q
 * (Q: DNS queries the check reports having sent), with --server also
 * median_us=M, the median time of one check.  With --mem (run under
 * LD_PRELOAD=heapcount.so) it also prints the peak heap of one check above
 * what was live before it: "rmx-METHOD peak_heap_bytes=B".
 *
 * A benchmark tool: it trusts its command line and is not installed.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rmx/rmx.h>
#include <rmx/cache.h>
#include <rmx/check.h>
#include <rmx/record.h>
#include <rmx/unbound.h>
#include <rmx/zone.h>

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
	fprintf(stderr, "rmx_bench: %s\n", what);
	exit(2);
}

struct bench {
	const char *zone_path, *server, *method, *expect;
	struct rmx_config cfg;
	struct rmx_request req;
	struct rmx_zone *zone;
	struct rmx_resolver *res; /* the zone's, or NULL with --server */
	struct rmx_cache *cache;  /* --cache */
};

static struct rmx_resolver *new_unbound(const char *server)
{
	struct rmx_unbound_options opt;
	struct rmx_resolver *res;
	struct rmx_diag diag;
	int rc;

	memset(&diag, 0, sizeof(diag));
	rmx_unbound_options_init(&opt);
	opt.server = server;
	opt.stub = false; /* forward, as to a recursive resolver */
	rc = rmx_unbound_new(&opt, &res, &diag);
	if (rc != RMX_OK) {
		fprintf(stderr, "rmx_bench: unbound backend: %s (%s)\n",
			diag.msg, rmx_strerror(rc));
		exit(2);
	}
	return res;
}

static void check_once(struct bench *b, struct rmx_resolver *res,
	struct rmx_check_result *out)
{
	int rc = rmx_check_run(res, &b->cfg, &b->req, out);

	if (rc != RMX_OK) {
		fprintf(stderr, "rmx_bench: rmx_check_run: %s\n",
			rmx_strerror(rc));
		exit(2);
	}
}

/* Peak heap of one check, from the heapcount.so preload. */
static void measure_heap(struct bench *b)
{
	size_t (*reset)(void) = (size_t (*)(void))dlsym(RTLD_DEFAULT,
		"heapcount_reset");
	size_t (*peak)(void) = (size_t (*)(void))dlsym(RTLD_DEFAULT,
		"heapcount_peak_above");
	struct rmx_check_result out;

	if (reset == NULL || peak == NULL)
		die("--mem needs LD_PRELOAD=heapcount.so");
	if (b->res == NULL)
		die("--mem needs --zone");
	reset();
	check_once(b, b->res, &out);
	printf("rmx-%s peak_heap_bytes=%zu\n", b->method, peak());
}

static void parse_args(struct bench *b, int argc, char **argv, bool *mem,
	unsigned long *count)
{
	int a;

	for (a = 1; a < argc; a++) {
		const char *v = a + 1 < argc ? argv[a + 1] : NULL;

		if (strcmp(argv[a], "--mem") == 0) {
			*mem = true;
			continue;
		}
		if (strcmp(argv[a], "--cache") == 0) {
			b->cache = rmx_cache_new(RMX_CACHE_DEFAULT_BYTES);
			if (b->cache == NULL)
				die("rmx_cache_new failed");
			continue;
		}
		if (v == NULL)
			die("usage: rmx_bench (--zone FILE | --server IP@PORT) "
				"--method spf|rmx --ip IP --sender ADDR "
				"--helo NAME --expect RESULT [--count N] "
				"[--mem] [--cache]");
		if (strcmp(argv[a], "--zone") == 0)
			b->zone_path = v;
		else if (strcmp(argv[a], "--server") == 0)
			b->server = v;
		else if (strcmp(argv[a], "--method") == 0)
			b->method = v;
		else if (strcmp(argv[a], "--ip") == 0)
			b->req.client_ip = v;
		else if (strcmp(argv[a], "--sender") == 0)
			b->req.sender = v;
		else if (strcmp(argv[a], "--helo") == 0)
			b->req.helo = v;
		else if (strcmp(argv[a], "--expect") == 0)
			b->expect = v;
		else if (strcmp(argv[a], "--count") == 0)
			*count = strtoul(v, NULL, 10);
		else
			die("unknown option");
		a++;
	}
	if ((b->zone_path == NULL) == (b->server == NULL) ||
	    b->method == NULL || b->req.client_ip == NULL ||
	    b->req.sender == NULL || b->req.helo == NULL || b->expect == NULL)
		die("missing option (see the header of rmx_bench.c)");
}

int main(int argc, char **argv)
{
	struct bench b;
	struct rmx_diag diag;
	struct rmx_check_result out;
	enum rmx_result first;
	unsigned long count = 1000, i;
	unsigned queries;
	bool mem = false;
	double t0, elapsed = 0, *times = NULL;
	int rc;

	memset(&b, 0, sizeof(b));
	memset(&diag, 0, sizeof(diag));
	parse_args(&b, argc, argv, &mem, &count);
	rmx_config_init(&b.cfg);
	if (rmx_config_set_methods(&b.cfg, b.method, &diag) != RMX_OK)
		die("bad --method");
	b.cfg.cache = b.cache;
	if (b.zone_path != NULL) {
		if (rmx_zone_new(RMX_TYPE_DEFAULT, &b.zone) != RMX_OK)
			die("rmx_zone_new failed");
		rc = rmx_zone_load_file(b.zone, b.zone_path, NULL, &diag);
		if (rc != RMX_OK) {
			fprintf(stderr, "rmx_bench: %s\n", diag.msg);
			return 2;
		}
		b.res = rmx_zone_resolver(b.zone);
	}

	/* Verify the result before timing anything. */
	{
		struct rmx_resolver *res = b.res != NULL ? b.res
			: new_unbound(b.server);

		check_once(&b, res, &out);
		if (b.res == NULL)
			rmx_resolver_free(res);
	}
	if (strcmp(rmx_result_str(out.result), b.expect) != 0) {
		fprintf(stderr, "rmx_bench: %s from %s by %s: got %s (%s), "
			"expected %s\n", b.req.sender, b.req.client_ip,
			b.method, rmx_result_str(out.result), out.reason,
			b.expect);
		return 1;
	}
	first = out.result;
	queries = out.queries;
	if (mem)
		measure_heap(&b);

	if (b.res != NULL) {
		t0 = now_s();
		for (i = 0; i < count; i++) {
			check_once(&b, b.res, &out);
			if (out.result != first)
				die("result changed between checks");
		}
		elapsed = now_s() - t0;
	} else {
		/* Cold: a new backend (empty cache) for every check. */
		times = calloc(count ? count : 1, sizeof(*times));
		if (times == NULL)
			die("out of memory");
		for (i = 0; i < count; i++) {
			struct rmx_resolver *res = new_unbound(b.server);

			t0 = now_s();
			check_once(&b, res, &out);
			times[i] = now_s() - t0;
			elapsed += times[i];
			rmx_resolver_free(res);
			if (out.result != first)
				die("result changed between checks");
		}
	}
	printf("rmx-%s checks=%lu seconds=%.6f per_check_us=%.2f result=%s "
		"queries=%u", b.method, count, elapsed,
		count ? elapsed * 1e6 / (double)count : 0.0,
		rmx_result_str(first), queries);
	if (times != NULL)
		printf(" median_us=%.2f", median_of(times, count) * 1e6);
	printf("\n");
	free(times);
	if (b.zone != NULL)
		rmx_zone_free(b.zone);
	rmx_cache_free(b.cache);
	return 0;
}

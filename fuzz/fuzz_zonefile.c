/*
 * fuzz_zonefile.c - libFuzzer target: RFC 1035 master files with RMX
 * records (rmx_zonefile_read, rmx_zone_load_file).
 *
 * zone.h offers no from-memory loader, so the input is written to an
 * anonymous memory file (memfd, read back through /proc/self/fd/N), or a
 * temporary file where memfd is missing.  Initial origin "example.com.".
 *
 * Properties:
 *   - rmx_zonefile_read returns RMX_OK, RMX_EMALFORMED or RMX_ENOMEM
 *     (the file exists and is readable); on error diag->msg is
 *     terminated;
 *   - every RR handed to the callback is sane: owner_wire passes
 *     rmx_name_wire_check with exactly owner_len octets, owner and text
 *     are NUL-terminated printable strings, rdlen <= 65535 with rdata
 *     readable for rdlen octets (ASan), and an RR written with the RMX
 *     mnemonic has type rmx_type and RDATA rmx_rdata_check accepts;
 *   - rmx_zone_load_file agrees with rmx_zonefile_read on success vs
 *     failure, and afterwards the zone holds no more RRs than were read;
 *   - each of the first 32 RRs read is in the loaded zone: a query for
 *     its owner and type answers RMX_DNS_OK with an RR of the same RDATA.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rmx/name.h>
#include <rmx/record.h>
#include <rmx/resolver.h>
#include <rmx/zone.h>

#include "fuzz_util.h"

#define ZONE_TYPE RMX_TYPE_DEFAULT
#define ZONE_ORIGIN "example.com."

#define KEEP_MAX 32

/* An RR kept from the callback to ask the loaded zone for it. */
struct kept_rr {
	uint8_t owner[RMX_NAME_MAXWIRE];
	size_t owner_len;
	uint16_t type;
	uint8_t *rdata;
	size_t rdlen;
	bool answered, found;
};

struct walk {
	size_t rrs;
	struct kept_rr keep[KEEP_MAX];
	size_t nkeep;
};

static int check_rr(void *arg, const struct rmx_zonefile_rr *rr)
{
	struct walk *w = arg;
	size_t namelen = 0;
	volatile uint8_t sink = 0;
	size_t i;

	w->rrs++;
	FUZZ_ASSERT(rr->owner != NULL && rr->owner_wire != NULL &&
		rr->text != NULL, "RR %zu with NULL fields", w->rrs);
	FUZZ_ASSERT(rmx_name_wire_check(rr->owner_wire, rr->owner_len,
		&namelen, NULL) == RMX_OK && namelen == rr->owner_len,
		"RR %zu: owner wire invalid (%zu/%zu)", w->rrs, namelen,
		rr->owner_len);
	FUZZ_ASSERT(fuzz_printable(rr->owner),
		"RR %zu: owner text not printable", w->rrs);
	FUZZ_ASSERT(strlen(rr->text) > 0, "RR %zu: empty text", w->rrs);
	FUZZ_ASSERT(strchr(rr->text, '\n') == NULL,
		"RR %zu: text holds a newline", w->rrs);
	FUZZ_ASSERT(rr->rdlen <= RMX_RDATA_MAX, "RR %zu: rdlen %zu",
		w->rrs, rr->rdlen);
	FUZZ_ASSERT(rr->rdlen == 0 || rr->rdata != NULL,
		"RR %zu: rdata NULL", w->rrs);
	for (i = 0; i < rr->rdlen; i++)
		sink ^= rr->rdata[i];
	(void)sink;
	if (w->nkeep < KEEP_MAX && rr->owner_len <= RMX_NAME_MAXWIRE) {
		struct kept_rr *k = &w->keep[w->nkeep++];

		memcpy(k->owner, rr->owner_wire, rr->owner_len);
		k->owner_len = rr->owner_len;
		k->type = rr->type;
		k->rdlen = rr->rdlen;
		k->rdata = malloc(rr->rdlen > 0 ? rr->rdlen : 1);
		if (k->rdata == NULL)
			abort();
		if (rr->rdlen > 0)
			memcpy(k->rdata, rr->rdata, rr->rdlen);
	}
	if (rr->was_rmx) {
		struct rmx_diag diag;

		FUZZ_ASSERT(rr->type == ZONE_TYPE,
			"RMX RR %zu has type %u", w->rrs, rr->type);
		if (rmx_rdata_check(rr->rdata, rr->rdlen, 0, &diag) != RMX_OK)
			fuzz_fail("RMX RR %zu (\"%s\") fails rmx_rdata_check:"
				" %s", w->rrs, rr->text, diag.msg);
	}
	return RMX_OK;
}

static void on_answer(void *arg, const struct rmx_dns_answer *ans)
{
	struct kept_rr *k = arg;
	size_t i;

	FUZZ_ASSERT(!k->answered, "two answers to one query");
	k->answered = true;
	FUZZ_ASSERT(ans->status == RMX_DNS_OK,
		"RR of type %u loaded but its query answers %s", k->type,
		rmx_dns_status_str(ans->status));
	for (i = 0; i < ans->count; i++)
		if (ans->rr[i].rdlen == k->rdlen && (k->rdlen == 0 ||
		    memcmp(ans->rr[i].rdata, k->rdata, k->rdlen) == 0))
			k->found = true;
}

/* Every RR the file gave is in the loaded zone, found by its query. */
static void query_loaded_rrs(struct rmx_zone *zone, struct walk *w)
{
	struct rmx_resolver *res = rmx_zone_resolver(zone);
	char name[RMX_NAME_MAXTEXT];
	rmx_query_id id;
	size_t i;
	int rc;

	for (i = 0; i < w->nkeep; i++) {
		struct kept_rr *k = &w->keep[i];

		rc = rmx_name_to_text(k->owner, k->owner_len, name,
			sizeof(name), NULL);
		FUZZ_ASSERT(rc == RMX_OK, "owner does not print");
		rc = rmx_resolver_query(res, name, k->type, on_answer, k, &id);
		FUZZ_ASSERT(rc == RMX_OK, "zone query for \"%s\": %s", name,
			rmx_strerror(rc));
		while (!k->answered) {
			rc = rmx_resolver_process(res, 0);
			FUZZ_ASSERT(rc > 0, "zone process() %d with a query "
				"pending", rc);
		}
		FUZZ_ASSERT(k->found, "RR %zu (type %u at \"%s\") not in "
			"the answer", i, k->type, name);
	}
}

/* Write the input where a path can reach it; returns an fd, path set. */
static int input_file(const uint8_t *data, size_t size, char *path,
	size_t cap)
{
	int fd;

	fd = memfd_create("fuzz_zonefile", 0);
	if (fd >= 0) {
		snprintf(path, cap, "/proc/self/fd/%d", fd);
	} else {
		snprintf(path, cap, "/tmp/fuzz_zonefile.%ld", (long)getpid());
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
		if (fd < 0)
			abort();
	}
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rmx_diag diag;
	struct rmx_zone *zone = NULL;
	static struct walk w;
	char path[64];
	int fd, rc, rc2;
	size_t i;

	if (size > 64 * 1024)
		return 0;
	memset(&w, 0, sizeof(w));
	fd = input_file(data, size, path, sizeof(path));

	memset(&diag, 0, sizeof(diag));
	rc = rmx_zonefile_read(path, ZONE_ORIGIN, ZONE_TYPE, check_rr, &w,
		&diag);
	FUZZ_ASSERT(rc == RMX_OK || rc == RMX_EMALFORMED || rc == RMX_ENOMEM,
		"rmx_zonefile_read returned %d (%s)", rc, diag.msg);
	if (rc != RMX_OK)
		fuzz_check_diag(&diag, "rmx_zonefile_read");

	rc2 = rmx_zone_new(ZONE_TYPE, &zone);
	FUZZ_ASSERT(rc2 == RMX_OK, "rmx_zone_new: %d", rc2);
	memset(&diag, 0, sizeof(diag));
	rc2 = rmx_zone_load_file(zone, path, ZONE_ORIGIN, &diag);
	if (rc2 != RMX_OK)
		fuzz_check_diag(&diag, "rmx_zone_load_file");
	FUZZ_ASSERT((rc == RMX_OK) == (rc2 == RMX_OK),
		"rmx_zonefile_read %d but rmx_zone_load_file %d (%s)", rc,
		rc2, diag.msg);
	if (rc2 == RMX_OK) {
		FUZZ_ASSERT(rmx_zone_rr_count(zone) <= w.rrs,
			"zone holds %zu RRs, file had %zu",
			rmx_zone_rr_count(zone), w.rrs);
		query_loaded_rrs(zone, &w);
	}
	rmx_zone_free(zone);
	for (i = 0; i < w.nkeep; i++)
		free(w.keep[i].rdata);
	close(fd);
	if (strncmp(path, "/tmp/", 5) == 0)
		unlink(path);
	return 0;
}

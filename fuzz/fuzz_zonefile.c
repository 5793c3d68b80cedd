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
 *     failure, and afterwards the zone holds no more RRs than were read.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rmx/name.h>
#include <rmx/record.h>
#include <rmx/zone.h>

#include "fuzz_util.h"

#define ZONE_TYPE RMX_TYPE_DEFAULT
#define ZONE_ORIGIN "example.com."

struct walk {
	size_t rrs;
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
	struct walk w = {0};
	char path[64];
	int fd, rc, rc2;

	if (size > 64 * 1024)
		return 0;
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
	if (rc2 == RMX_OK)
		FUZZ_ASSERT(rmx_zone_rr_count(zone) <= w.rrs,
			"zone holds %zu RRs, file had %zu",
			rmx_zone_rr_count(zone), w.rrs);
	rmx_zone_free(zone);
	close(fd);
	if (strncmp(path, "/tmp/", 5) == 0)
		unlink(path);
	return 0;
}

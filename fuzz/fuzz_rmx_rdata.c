/*
 * fuzz_rmx_rdata.c - libFuzzer target: RMX RDATA from the wire.
 *
 * Input: first octet = flags for rmx_rdata_check (bit 0: RMX_RDATA_MAILBOX),
 * the rest = RDATA (at most RMX_RDATA_MAX octets, copied to a buffer of
 * exactly its size).  Properties:
 *   - rmx_rdata_check never reads outside the RDATA; on error diag->offset
 *     lies inside it (or at its end) and diag->msg is terminated;
 *   - RDATA refused with flags 0 is refused by rmx_rdata_to_text too;
 *     RDATA accepted with RMX_RDATA_MAILBOX is accepted with flags 0;
 *   - for valid RDATA everything in fuzz_rdata.h: iteration, per-entry
 *     text, no overrun on a short buffer, wire -> text -> wire round trip.
 */
#include "fuzz_rdata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rmx_diag diag;
	unsigned flags;
	uint8_t *rdata;
	size_t len;
	int rc, rc0;

	if (size < 1 || size - 1 > RMX_RDATA_MAX)
		return 0;
	flags = data[0] & RMX_RDATA_MAILBOX;
	len = size - 1;
	rdata = malloc(len > 0 ? len : 1);
	if (rdata == NULL)
		abort();
	if (len > 0)
		memcpy(rdata, data + 1, len);

	memset(&diag, 0, sizeof(diag));
	rc = rmx_rdata_check(rdata, len, flags, &diag);
	FUZZ_ASSERT(rc == RMX_OK || rc == RMX_EMALFORMED,
		"rmx_rdata_check returned %d", rc);
	if (rc != RMX_OK) {
		fuzz_check_diag(&diag, "rmx_rdata_check");
		FUZZ_ASSERT(diag.offset <= len,
			"diag offset %zu past the RDATA (%zu)", diag.offset,
			len);
		FUZZ_ASSERT(diag.msg[0] != '\0', "empty diag message");
	}
	rc0 = flags != 0 ? rmx_rdata_check(rdata, len, 0, NULL) : rc;
	if (flags != 0 && rc == RMX_OK)
		FUZZ_ASSERT(rc0 == RMX_OK,
			"valid as per-mailbox record but not as a record");
	if (rc0 != RMX_OK) {
		char buf[64];
		size_t tl;

		rc = rmx_rdata_to_text(rdata, len, buf, sizeof(buf), &tl,
			&diag);
		FUZZ_ASSERT(rc == RMX_EMALFORMED,
			"rmx_rdata_to_text printed invalid RDATA: %s",
			rmx_strerror(rc));
	} else {
		check_valid_rdata(rdata, len);
	}
	free(rdata);
	return 0;
}

/*
 * fuzz_rmx_text.c - libFuzzer target: RMX presentation text.
 *
 * Input: the text (made a C string; an embedded NUL ends it).  Properties:
 *   - rmx_rdata_from_text returns RMX_OK or RMX_EMALFORMED, never writes
 *     past its output buffer, and on error diag->offset lies inside the
 *     text and diag->msg is terminated;
 *   - RDATA it produces passes rmx_rdata_check (record.h promises so);
 *   - that RDATA then has every property of fuzz_rdata.h (to_text ->
 *     from_text gives the same octets, modulo name case, and is stable).
 *   - the same text with origin "Example.COM." gives RMX_OK or
 *     RMX_EMALFORMED (a relative name may grow too long), and valid RDATA.
 */
#include "fuzz_rdata.h"

#define TEXT_MAX 8192

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rmx_diag diag;
	uint8_t *out;
	size_t outlen = 0, textlen;
	char *text;
	int rc;

	if (size > TEXT_MAX)
		return 0;
	text = fuzz_strndup(data, size);
	textlen = strlen(text);
	out = malloc(RMX_RDATA_MAX);
	if (out == NULL)
		abort();
	memset(&diag, 0, sizeof(diag));
	rc = rmx_rdata_from_text(text, NULL, out, RMX_RDATA_MAX, &outlen,
		&diag);
	FUZZ_ASSERT(rc == RMX_OK || rc == RMX_EMALFORMED,
		"rmx_rdata_from_text returned %d (%s)", rc, diag.msg);
	if (rc != RMX_OK) {
		fuzz_check_diag(&diag, "rmx_rdata_from_text");
		FUZZ_ASSERT(diag.offset <= textlen,
			"diag offset %zu past the text (%zu)", diag.offset,
			textlen);
	} else {
		uint8_t *out2 = malloc(RMX_RDATA_MAX);
		size_t outlen2 = 0;

		FUZZ_ASSERT(outlen <= RMX_RDATA_MAX, "outlen %zu", outlen);
		rc = rmx_rdata_check(out, outlen, 0, &diag);
		if (rc != RMX_OK)
			fuzz_fail("RDATA from \"%s\" fails rmx_rdata_check: %s",
				text, diag.msg);
		check_valid_rdata(out, outlen);
		if (out2 == NULL)
			abort();
		rc = rmx_rdata_from_text(text, "Example.COM.", out2,
			RMX_RDATA_MAX, &outlen2, &diag);
		FUZZ_ASSERT(rc == RMX_OK || rc == RMX_EMALFORMED,
			"with an origin: rmx_rdata_from_text returned %d", rc);
		if (rc == RMX_OK)
			FUZZ_ASSERT(rmx_rdata_check(out2, outlen2, 0, NULL) ==
				RMX_OK, "RDATA with origin fails the check");
		free(out2);
	}
	free(out);
	free(text);
	return 0;
}

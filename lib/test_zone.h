/*
 * test_zone.h - what the check and cache unit tests share: an in-memory
 * zone per test (cmocka setup/teardown) and one-line ways to put records
 * in it.  Include after <cmocka.h>; for tests only.
 */
#ifndef RMX_TEST_ZONE_H
#define RMX_TEST_ZONE_H

#include <rmx/rmx.h>

#include <string.h>

static struct rmx_zone *zone;

static inline int setup(void **state)
{
	(void)state;
	return rmx_zone_new(RMX_TYPE_DEFAULT, &zone);
}

static inline int teardown(void **state)
{
	(void)state;
	rmx_zone_free(zone);
	zone = NULL;
	return 0;
}

/* An RMX RR from presentation text (absolute names). */
static inline void add_rmx(const char *name, const char *text)
{
	uint8_t rd[RMX_RDATA_MAX];
	size_t len = 0;
	struct rmx_diag diag;

	assert_int_equal(rmx_rdata_from_text(text, NULL, rd, sizeof(rd), &len,
		&diag), RMX_OK);
	assert_int_equal(rmx_zone_add_rr(zone, name, RMX_TYPE_DEFAULT, rd,
		len), RMX_OK);
}

static inline void add_a(const char *name, uint8_t a, uint8_t b, uint8_t c,
	uint8_t d)
{
	uint8_t rd[4] = {a, b, c, d};

	assert_int_equal(rmx_zone_add_rr(zone, name, RMX_RR_A, rd, 4),
		RMX_OK);
}

/* A TXT RR of one character-string (< 256 octets). */
static inline void add_txt(const char *name, const char *text)
{
	uint8_t rd[256];
	size_t len = strlen(text);

	assert_true(len < 256);
	rd[0] = (uint8_t)len;
	memcpy(rd + 1, text, len);
	assert_int_equal(rmx_zone_add_rr(zone, name, RMX_RR_TXT, rd, len + 1),
		RMX_OK);
}

#endif

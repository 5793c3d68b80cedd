/*
 * apl_test.c - unit tests for apl.c: RFC 3123 text <-> wire, malformed
 * APL RDATA, iteration.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <rmx/record.h>

#include <stdio.h>
#include <string.h>

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	struct rmx_diag diag;
	size_t len = 0;

	assert_int_equal(rmx_hex_decode(hex, out, cap, &len, &diag), RMX_OK);
	return len;
}

static void test_round_trip(void **state)
{
	static const struct {
		const char *text, *hex, *canonical;
	} cases[] = {
		{"1:192.0.2.0/24", "0001 18 03 c00002", NULL},
		{"1:192.0.0.0/24", "0001 18 01 c0", NULL},
		{"1:0.0.0.0/0", "0001 00 00", NULL},
		{"1:192.0.2.1/32", "0001 20 04 c0000201", NULL},
		{"!2:2001:db8::/32", "0002 20 84 20010db8", NULL},
		{"2:2001:DB8::1/128", "0002 80 10 20010db8000000000000000000000001",
		 "2:2001:db8::1/128"},
		{"1:192.0.2.0/24 !2:2001:db8::/32",
		 "0001 18 03 c00002 0002 20 84 20010db8", NULL},
		{"3:0a01/16", "0003 10 02 0a01", NULL},
		{"!65535:/0", "ffff 00 80", NULL},
		{"", "", NULL},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t wire[128], want[128], again[128];
		char text[256];
		struct rmx_diag diag;
		size_t len, wantlen = unhex(cases[i].hex, want, sizeof(want));
		size_t againlen;
		const char *canon = cases[i].canonical != NULL ?
			cases[i].canonical : cases[i].text;

		if (rmx_apl_from_text(cases[i].text, wire, sizeof(wire), &len,
			&diag) != RMX_OK)
			fail_msg("%s: %s", cases[i].text, diag.msg);
		assert_int_equal(len, wantlen);
		assert_memory_equal(wire, want, len);
		assert_int_equal(rmx_apl_to_text(wire, len, text, sizeof(text),
			NULL, &diag), RMX_OK);
		assert_string_equal(text, canon);
		assert_int_equal(rmx_apl_from_text(text, again, sizeof(again),
			&againlen, &diag), RMX_OK);
		assert_int_equal(againlen, len);
		assert_memory_equal(again, wire, len);
	}
}

/* Trailing zeros on the wire are accepted and dropped when re-encoded. */
static void test_trailing_zeros_decoded(void **state)
{
	uint8_t wire[32];
	char text[64];
	struct rmx_diag diag;
	size_t len = unhex("0001 18 04 c0000200", wire, sizeof(wire));

	assert_int_equal(rmx_apl_check(wire, len, &diag), RMX_OK);
	assert_int_equal(rmx_apl_to_text(wire, len, text, sizeof(text), NULL,
		&diag), RMX_OK);
	assert_string_equal(text, "1:192.0.2.0/24");
}

static void test_malformed(void **state)
{
	static const struct {
		const char *hex;
		size_t offset;
		const char *msg;
	} cases[] = {
		{"00", 0, "item 1 at octet 0: header needs 4 octets, 1 left"},
		{"0001 18 03 c00002 0001 18", 7, "item 2 at octet 7: header"},
		{"0001 18 03 c000", 3, "AFDLENGTH 3 runs past the end"},
		{"0001 21 00", 2, "prefix 33 out of range 0-32"},
		{"0002 81 00", 2, "prefix 129 out of range 0-128"},
		{"0001 20 05 c000020100", 3, "AFDLENGTH 5 over 4 for family 1"},
		{"0002 80 11 2001000000000000000000000000000001", 3,
		 "AFDLENGTH 17 over 16"},
		{"0009 00 05 0102", 3, "AFDLENGTH 5 runs past"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t wire[64];
		char text[64];
		struct rmx_diag diag;
		size_t len = unhex(cases[i].hex, wire, sizeof(wire));

		memset(&diag, 0, sizeof(diag));
		if (rmx_apl_check(wire, len, &diag) != RMX_EMALFORMED)
			fail_msg("%s: accepted", cases[i].hex);
		if (strstr(diag.msg, cases[i].msg) == NULL)
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].hex,
				diag.msg, cases[i].msg);
		assert_int_equal(diag.offset, cases[i].offset);
		assert_int_equal(rmx_apl_to_text(wire, len, text, sizeof(text),
			NULL, &diag), RMX_EMALFORMED);
	}
}

static void test_bad_text(void **state)
{
	static const struct {
		const char *text;
		size_t offset;
		const char *msg;
	} cases[] = {
		{"192.0.2.0/24", 0, "not of the form"},
		{"1:192.0.2.0", 0, "not of the form"},
		{"1:192.0.2.0/33", 0, "prefix out of range"},
		{"2:2001:db8::/129", 0, "prefix out of range"},
		{"1:2001:db8::/32", 0, "bad IPv4 address"},
		{"2:192.0.2.1/32", 0, "bad IPv6 address"},
		{"x:192.0.2.0/24", 0, "bad address family"},
		{"65536:/0", 0, "bad address family"},
		{"1:192.0.2.0/x", 0, "bad prefix length"},
		{"1:192.0.2.0/256", 0, "bad prefix length"},
		{"3:0g/8", 0, "bad hex"},
		{"1:192.0.2.0/24 1:x/8", 15, "'1:x/8': bad IPv4 address"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t wire[64];
		struct rmx_diag diag;
		size_t len;

		if (rmx_apl_from_text(cases[i].text, wire, sizeof(wire), &len,
			&diag) != RMX_EMALFORMED)
			fail_msg("%s: accepted", cases[i].text);
		if (strstr(diag.msg, cases[i].msg) == NULL)
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].text,
				diag.msg, cases[i].msg);
		assert_int_equal(diag.offset, cases[i].offset);
	}
}

static void test_iter(void **state)
{
	uint8_t wire[64];
	struct rmx_apl_iter it;
	struct rmx_apl_item item;
	size_t len = unhex("0001 18 03 c00002 0003 08 81 ff 0002 20 84 20010db8",
		wire, sizeof(wire));

	rmx_apl_iter_init(&it, wire, len);
	assert_int_equal(rmx_apl_iter_next(&it, &item), 1);
	assert_int_equal(item.family, 1);
	assert_int_equal(item.prefix, 24);
	assert_false(item.negated);
	assert_int_equal(item.afdlen, 3);
	assert_ptr_equal(item.afd, wire + 4);
	assert_int_equal(rmx_apl_iter_next(&it, &item), 1);
	assert_int_equal(item.family, 3);
	assert_true(item.negated);
	assert_int_equal(rmx_apl_iter_next(&it, &item), 1);
	assert_int_equal(item.family, 2);
	assert_true(item.negated);
	assert_int_equal(rmx_apl_iter_next(&it, &item), 0);
	rmx_apl_iter_init(&it, wire, 6);
	assert_int_equal(rmx_apl_iter_next(&it, &item), RMX_EMALFORMED);
}

static void test_space(void **state)
{
	uint8_t wire[16];
	char text[16];
	struct rmx_diag diag;
	size_t len;

	assert_int_equal(rmx_apl_from_text("1:192.0.2.0/24", wire, 6, &len,
		&diag), RMX_ESPACE);
	assert_int_equal(rmx_apl_from_text("1:192.0.2.0/24", wire, 7, &len,
		&diag), RMX_OK);
	assert_int_equal(rmx_apl_to_text(wire, len, text, 14, NULL, &diag),
		RMX_ESPACE);
	assert_int_equal(rmx_apl_to_text(wire, len, text, 15, NULL, &diag),
		RMX_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_trailing_zeros_decoded),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_bad_text),
		cmocka_unit_test(test_iter),
		cmocka_unit_test(test_space),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * name_test.c - unit tests for name.c: text <-> wire, limits, escapes,
 * equality and subdomains.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <rmx/name.h>

#include <stdio.h>
#include <string.h>

static size_t wire_of(const char *text, const char *origin, uint8_t *wire)
{
	struct rmx_diag diag;
	size_t len = 0;

	assert_int_equal(rmx_name_from_text(text, strlen(text), origin, wire,
		&len, &diag), RMX_OK);
	return len;
}

static void test_from_text(void **state)
{
	static const struct {
		const char *text, *origin;
		size_t len;
		const char *wire; /* as C string bytes */
	} cases[] = {
		{"example.com.", NULL, 13, "\7example\3com"},
		{"example.com", NULL, 13, "\7example\3com"},
		{"EXample.com", ".", 13, "\7EXample\3com"},
		{"www", "example.com.", 17, "\3www\7example\3com"},
		{"www", "example.com", 17, "\3www\7example\3com"},
		{"www.", "example.com.", 5, "\3www"},
		{"@", "example.com.", 13, "\7example\3com"},
		{"@", NULL, 1, ""},
		{".", "example.com.", 1, ""},
		{"john\\.doe.example.com.", NULL, 22, "\10john.doe\7example\3com"},
		{"a\\\\b.", NULL, 5, "\3a\\b"},
		{"\\065\\000x.", NULL, 5, "\3A\0x"},
		{"a\\ b.", NULL, 5, "\3a b"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t wire[RMX_NAME_MAXWIRE];
		size_t len = wire_of(cases[i].text, cases[i].origin, wire);

		assert_int_equal(len, cases[i].len);
		assert_memory_equal(wire, cases[i].wire, len);
	}
}

static void test_john_doe_label(void **state)
{
	uint8_t wire[RMX_NAME_MAXWIRE];

	wire_of("john\\.doe.example.com.", NULL, wire);
	assert_int_equal(wire[0], 8);
	assert_memory_equal(wire + 1, "john.doe", 8);
}

/* Label of n 'a's followed by rest. */
static void make_label(char *buf, size_t n, const char *rest)
{
	memset(buf, 'a', n);
	strcpy(buf + n, rest);
}

static void test_label_limit(void **state)
{
	char text[128];
	uint8_t wire[RMX_NAME_MAXWIRE];
	struct rmx_diag diag;
	size_t len;

	make_label(text, 63, ".com.");
	assert_int_equal(rmx_name_from_text(text, strlen(text), NULL, wire,
		&len, &diag), RMX_OK);
	assert_int_equal(len, 69);
	make_label(text, 64, ".com.");
	assert_int_equal(rmx_name_from_text(text, strlen(text), NULL, wire,
		&len, &diag), RMX_EMALFORMED);
	assert_int_equal(diag.offset, 63);
	assert_non_null(strstr(diag.msg, "63"));
}

/* Text of a name with wire length 3 * 64 + lastlen + 2. */
static void make_long_name(char *text, size_t lastlen)
{
	size_t i, pos = 0;

	for (i = 0; i < 3; i++) {
		memset(text + pos, 'a' + (int)i, 63);
		pos += 63;
		text[pos++] = '.';
	}
	memset(text + pos, 'd', lastlen);
	pos += lastlen;
	text[pos++] = '.';
	text[pos] = '\0';
}

static void test_name_length_limit(void **state)
{
	char text[300], back[RMX_NAME_MAXTEXT];
	uint8_t wire[RMX_NAME_MAXWIRE];
	struct rmx_diag diag;
	size_t len, tlen;

	make_long_name(text, 61); /* 192 + 62 + 1 = 255 */
	assert_int_equal(rmx_name_from_text(text, strlen(text), NULL, wire,
		&len, &diag), RMX_OK);
	assert_int_equal(len, 255);
	assert_int_equal(rmx_name_wire_check(wire, len, &tlen, &diag), RMX_OK);
	assert_int_equal(tlen, 255);
	assert_int_equal(rmx_name_to_text(wire, len, back, sizeof(back), NULL),
		RMX_OK);
	assert_string_equal(back, text);

	make_long_name(text, 62); /* 256 */
	assert_int_equal(rmx_name_from_text(text, strlen(text), NULL, wire,
		&len, &diag), RMX_EMALFORMED);
	assert_int_equal(diag.offset, 3 * 64 + 61);

	/* a relative name that only overflows with its origin */
	make_long_name(text, 61);
	assert_int_equal(rmx_name_from_text("x", 1, text, wire, &len, &diag),
		RMX_EMALFORMED);
}

static void test_bad_text(void **state)
{
	static const struct {
		const char *text;
		size_t offset;
	} cases[] = {
		{"", 0},
		{"a..b.", 2},
		{".a.", 0},
		{"..", 0},
		{"a\\", 1},
		{"a\\25", 1},
		{"a\\25x", 1},
		{"a\\256", 1},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t wire[RMX_NAME_MAXWIRE];
		struct rmx_diag diag;
		size_t len;

		assert_int_equal(rmx_name_from_text(cases[i].text,
			strlen(cases[i].text), NULL, wire, &len, &diag),
			RMX_EMALFORMED);
		assert_int_equal(diag.offset, cases[i].offset);
		assert_true(diag.msg[0] != '\0');
	}
}

static void test_to_text(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"Example.COM.", "example.com."},
		{"example.com", "example.com."},
		{".", "."},
		{"john\\.doe.example.", "john\\.doe.example."},
		{"a\\ b.", "a\\032b."},
		{"a\\\\b.", "a\\\\b."},
		{"*.example.", "*.example."},
		{"a*.example.", "a\\*.example."},
		{"x.*.", "x.\\*."},
		{"_dmarc.a-b/c.", "_dmarc.a-b/c."},
		{"\\000\\200\\127.", "\\000\\200\\127."},
		{"a\"b.", "a\\\"b."},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t wire[RMX_NAME_MAXWIRE], again[RMX_NAME_MAXWIRE];
		char text[RMX_NAME_MAXTEXT];
		size_t len = wire_of(cases[i].in, NULL, wire), tlen;

		assert_int_equal(rmx_name_to_text(wire, len, text,
			sizeof(text), &tlen), RMX_OK);
		assert_string_equal(text, cases[i].out);
		assert_int_equal(tlen, strlen(cases[i].out));
		/* canonical text reads back to the same name */
		assert_int_equal(wire_of(text, NULL, again), len);
		assert_true(rmx_name_equal(wire, len, again, len));
	}
}

static void test_to_text_space(void **state)
{
	uint8_t wire[RMX_NAME_MAXWIRE];
	char text[RMX_NAME_MAXTEXT];
	size_t len = wire_of("example.com.", NULL, wire);

	assert_int_equal(rmx_name_to_text(wire, len, text, 12, NULL),
		RMX_ESPACE);
	assert_int_equal(rmx_name_to_text(wire, len, text, 13, NULL), RMX_OK);
	assert_int_equal(rmx_name_to_text(wire, 1, text, 1, NULL), RMX_ESPACE);
}

static void test_wire_check(void **state)
{
	static const struct {
		const char *wire;
		size_t len;
		int rc;
		size_t namelen_or_offset;
	} cases[] = {
		{"\3com\0", 5, RMX_OK, 5},
		{"\3com\0xx", 7, RMX_OK, 5},
		{"\0", 1, RMX_OK, 1},
		{"", 0, RMX_EMALFORMED, 0},
		{"\3com", 4, RMX_EMALFORMED, 4},
		{"\4com", 4, RMX_EMALFORMED, 0},
		{"\3com\300\14", 6, RMX_EMALFORMED, 4},
		{"\100abc", 4, RMX_EMALFORMED, 0},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rmx_diag diag;
		size_t namelen = 0;
		int rc = rmx_name_wire_check((const uint8_t *)cases[i].wire,
			cases[i].len, &namelen, &diag);

		assert_int_equal(rc, cases[i].rc);
		assert_int_equal(rc == RMX_OK ? namelen : diag.offset,
			cases[i].namelen_or_offset);
	}
}

static void test_wire_check_too_long(void **state)
{
	uint8_t wire[300];
	struct rmx_diag diag;
	size_t namelen, i;

	/* 4 labels of 63 octets: 256 octets before the root */
	for (i = 0; i < 4; i++) {
		wire[64 * i] = 63;
		memset(wire + 64 * i + 1, 'a', 63);
	}
	wire[256] = 0;
	assert_int_equal(rmx_name_wire_check(wire, 257, &namelen, &diag),
		RMX_EMALFORMED);
	assert_int_equal(diag.offset, 192);
	/* 62 octets in the last label: 256 with the root */
	wire[192] = 62;
	wire[255] = 0;
	assert_int_equal(rmx_name_wire_check(wire, 257, &namelen, &diag),
		RMX_EMALFORMED);
	assert_int_equal(diag.offset, 192);
	/* 61: exactly 255, fine */
	wire[192] = 61;
	wire[254] = 0;
	assert_int_equal(rmx_name_wire_check(wire, 257, &namelen, &diag),
		RMX_OK);
	assert_int_equal(namelen, 255);
}

static void test_equal_subdomain(void **state)
{
	uint8_t a[RMX_NAME_MAXWIRE], b[RMX_NAME_MAXWIRE], c[RMX_NAME_MAXWIRE];
	uint8_t root[RMX_NAME_MAXWIRE], d[RMX_NAME_MAXWIRE];
	size_t alen = wire_of("Mail.Example.COM.", NULL, a);
	size_t blen = wire_of("mail.example.com.", NULL, b);
	size_t clen = wire_of("example.com.", NULL, c);
	size_t rlen = wire_of(".", NULL, root);
	size_t dlen = wire_of("ample.com.", NULL, d);

	assert_true(rmx_name_equal(a, alen, b, blen));
	assert_false(rmx_name_equal(a, alen, c, clen));
	assert_true(rmx_name_is_subdomain(a, alen, c, clen));
	assert_true(rmx_name_is_subdomain(c, clen, c, clen));
	assert_true(rmx_name_is_subdomain(a, alen, root, rlen));
	assert_false(rmx_name_is_subdomain(c, clen, a, alen));
	/* suffix match must fall on a label boundary */
	assert_false(rmx_name_is_subdomain(c, clen, d, dlen));
	/* "[.com" vs "{.com": only ASCII letters fold */
	alen = wire_of("[.com.", NULL, a);
	blen = wire_of("{.com.", NULL, b);
	assert_false(rmx_name_equal(a, alen, b, blen));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_text),
		cmocka_unit_test(test_john_doe_label),
		cmocka_unit_test(test_label_limit),
		cmocka_unit_test(test_name_length_limit),
		cmocka_unit_test(test_bad_text),
		cmocka_unit_test(test_to_text),
		cmocka_unit_test(test_to_text_space),
		cmocka_unit_test(test_wire_check),
		cmocka_unit_test(test_wire_check_too_long),
		cmocka_unit_test(test_equal_subdomain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

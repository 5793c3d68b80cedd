/*
 * record_test.c - unit tests for record.c and hex.c: every entry type
 * round trip, every malformed-RDATA rule with its offset, text errors,
 * the 255-octet DATA limit, hex decoding.
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

static bool same_but_case(const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i] && (a[i] | 0x20) != (b[i] | 0x20))
			return false;
	return true;
}

/* text -> wire (expect hex) -> text (expect canonical) -> wire again. */
static void test_round_trip(void **state)
{
	static const struct {
		const char *text, *hex, *canonical; /* NULL: same as text */
	} cases[] = {
		{"none", "0000", NULL},
		{"ip4:192.0.2.0/24", "010418c00002", NULL},
		{"ip4:192.0.2.1", "010520c0000201", NULL},
		{"ip4:192.0.2.1/32", "010520c0000201", "ip4:192.0.2.1"},
		{"IP4:192.0.2.128/25", "010519c0000280", "ip4:192.0.2.128/25"},
		{"ip4:0.0.0.0/0", "010100", NULL},
		{"ip4:10.0.0.0/7", "0102070a", NULL},
		{"ip6:2001:db8::/32", "0205202001 0db8", NULL},
		{"ip6:2001:DB8::/32", "0205202001 0db8", "ip6:2001:db8::/32"},
		{"ip6:2001:0db8:0000:0000:0000:0000:0000:0001",
		 "0211 80 20010db8000000000000000000000001", "ip6:2001:db8::1"},
		{"ip6:::ffff:192.0.2.1",
		 "0211 80 00000000000000000000ffffc0000201", NULL},
		{"ip6:::ffff:c000:201",
		 "0211 80 00000000000000000000ffffc0000201",
		 "ip6:::ffff:192.0.2.1"},
		{"ip6:::/0", "020100", NULL},
		{"ip6:::1", "0211 80 00000000000000000000000000000001", NULL},
		{"host:relay.example.net.",
		 "0313 0572656c6179 076578616d706c65 036e6574 00", NULL},
		{"host:Relay.Example.NET",
		 "0313 0552656c6179 074578616d706c65 034e4554 00",
		 "host:relay.example.net."},
		{"host:john\\.doe.example.com.",
		 "0316 086a6f686e2e646f65 076578616d706c65 03636f6d 00", NULL},
		{"apl:_senders.example.net.",
		 "0416 085f73656e64657273 076578616d706c65 036e6574 00", NULL},
		{"member", "0500", NULL},
		{"fulladdr", "0600", NULL},
		{"mx", "0700", NULL},
		{"mx:mail.example.", "070e 046d61696c 076578616d706c65 00", NULL},
		{"tlsfp:sha1:0102030405060708090a0b0c0d0e0f1011121314",
		 "4015 01 0102030405060708090a0b0c0d0e0f1011121314", NULL},
		{"tlsfp:SHA256:00112233445566778899AABBCCDDEEFF"
		 "00112233445566778899aabbccddeeff",
		 "4021 02 00112233445566778899aabbccddeeff"
		 "00112233445566778899aabbccddeeff",
		 "tlsfp:sha256:00112233445566778899aabbccddeeff"
		 "00112233445566778899aabbccddeeff"},
		{"tlsldap:\"ldap://x/a b\"", "410c 6c6461703a2f2f782f612062",
		 NULL},
		{"tlsldap:\"q\\\"b\\\\\\007\"", "4105 71 22 62 5c 07", NULL},
		{"tlsldap:ldap://x", "4108 6c6461703a2f2f78",
		 "tlsldap:\"ldap://x\""},
		{"sasl", "4200", NULL},
		{"pgp:abcdef", "4303abcdef", NULL},
		{"type100", "6400", NULL},
		{"type100:", "6400", "type100"},
		{"type127:00ff", "7f0200ff", NULL},
		{"type1:18c00002", "010418c00002", "ip4:192.0.2.0/24"},
		{"type0", "0000", "none"},
		{"!ip4:192.0.2.66", "810520c0000242", NULL},
		{"!type100:01", "e40101", NULL},
		{"!mx", "8700", NULL},
		{"ip4:192.0.2.0/24 !host:relay.example.net.",
		 "010418c0000283130572656c6179076578616d706c65036e657400", NULL},
		{"  mx\t sasl  ", "07004200", "mx sasl"},
		{"", "", NULL},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t wire[512], want[512], again[512];
		char text[2048];
		struct rmx_diag diag;
		size_t len, wantlen, textlen, againlen;
		const char *canon = cases[i].canonical != NULL ?
			cases[i].canonical : cases[i].text;

		wantlen = unhex(cases[i].hex, want, sizeof(want));
		if (rmx_rdata_from_text(cases[i].text, NULL, wire,
			sizeof(wire), &len, &diag) != RMX_OK)
			fail_msg("%s: %s", cases[i].text, diag.msg);
		assert_int_equal(len, wantlen);
		assert_memory_equal(wire, want, len);
		assert_int_equal(rmx_rdata_check(wire, len, 0, &diag), RMX_OK);
		assert_int_equal(rmx_rdata_to_text(wire, len, text,
			sizeof(text), &textlen, &diag), RMX_OK);
		assert_string_equal(text, canon);
		assert_int_equal(textlen, strlen(canon));
		/* canonical text gives the same wire again (names in lower
		 * case: ASCII case is the one thing printing does not keep) */
		assert_int_equal(rmx_rdata_from_text(text, NULL, again,
			sizeof(again), &againlen, &diag), RMX_OK);
		assert_int_equal(againlen, len);
		assert_true(same_but_case(again, wire, len));
	}
}

/* Valid RDATA given as wire: text and back gives identical octets. */
static void test_wire_round_trip(void **state)
{
	static const char *const cases[] = {
		"",
		"0000 8500 0600 0700 4200",
		"010100 0102070a 010520c0000201 010418c00002",
		"020100 0211 80 20010db8000000000000000000000001",
		"0201 00 0204 18 200100",
		"0301 00",
		"030b 03 5c2e20 03 0a 00 ff 01 2a 00",
		"0303 01 2a 00",
		"8403 01 2f 00",
		"0700 8703 01 61 00",
		"4015 01 0102030405060708090a0b0c0d0e0f1011121314",
		"4103 00 22 ff",
		"4301 00",
		"0800 0901ff 3f00 7f03 010203 ff00",
		"e405 0000000000",
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t wire[512], again[512];
		char text[4096];
		struct rmx_diag diag;
		size_t len = unhex(cases[i], wire, sizeof(wire)), againlen;

		if (rmx_rdata_to_text(wire, len, text, sizeof(text), NULL,
			&diag) != RMX_OK)
			fail_msg("%s: %s", cases[i], diag.msg);
		if (rmx_rdata_from_text(text, NULL, again, sizeof(again),
			&againlen, &diag) != RMX_OK)
			fail_msg("%s -> %s: %s", cases[i], text, diag.msg);
		assert_int_equal(againlen, len);
		assert_memory_equal(again, wire, len);
	}
}

static void test_malformed(void **state)
{
	static const struct {
		const char *hex;
		unsigned flags;
		size_t offset;
		const char *msg; /* a part of diag.msg */
	} cases[] = {
		/* header and LENGTH */
		{"01", 0, 0, "entry 1 (ip4) at octet 0: LENGTH missing"},
		{"0700 01", 0, 2, "entry 2 (ip4) at octet 2: LENGTH missing"},
		{"0105 18c00002", 0, 1, "LENGTH 5 runs past the end"},
		{"010418c00002 0203 2020", 0, 7,
		 "entry 2 (ip6) at octet 6: LENGTH 3"},
		/* empty types */
		{"0001 00", 0, 2, "entry 1 (none) at octet 0: DATA must be empty"},
		{"0501 00", 0, 2, "(member)"},
		{"0601 00", 0, 2, "(fulladdr)"},
		{"4201 00", 0, 2, "(sasl)"},
		/* ip4 / ip6 */
		{"0100", 0, 1, "PREFIX missing"},
		{"010418c00002 010521c0000200", 0, 8,
		 "entry 2 (ip4) at octet 6: prefix 33 out of range 0-32"},
		{"0202 81 00", 0, 2, "prefix 129 out of range 0-128"},
		{"0103 18c000", 0, 1, "DATA is 3 octets, prefix /24 needs 4"},
		{"0105 18c0000200", 0, 1, "DATA is 5 octets"},
		{"0101 08", 0, 1, "prefix /8 needs 2"},
		{"0102 00 0a", 0, 1, "prefix /0 needs 1"},
		{"0104 17c00003", 0, 5, "address bits set past prefix /23"},
		{"0102 07 0b", 0, 3, "past prefix /7"},
		{"0206 20 20010db900", 0, 1, "DATA is 6 octets, prefix /32 needs 5"},
		{"0205 1f 20010db9", 0, 6, "past prefix /31"},
		/* names */
		{"0300", 0, 2, "entry 1 (host) at octet 0: name runs past"},
		{"0304 03616263", 0, 6, "runs past the end"},
		{"0303 03616263 00", 0, 2, "(host) at octet 0: label of 3 octets runs past"},
		{"0306 03616263 00 00", 0, 7, "1 octet after the name"},
		{"0402 c0 0c", 0, 2, "(apl) at octet 0: compression pointer"},
		{"0704 01 61 c0 00", 0, 4, "(mx) at octet 0: compression pointer"},
		{"0303 01 61 40", 0, 4, "label type"},
		{"0701 00 0701 00 0702 0000", 0, 9,
		 "entry 3 (mx) at octet 6: 1 octet after the name"},
		/* tlsfp */
		{"4000", 0, 1, "algorithm missing"},
		{"4015 03 0102030405060708090a0b0c0d0e0f1011121314", 0, 2,
		 "algorithm 3 unknown"},
		{"4015 02 0102030405060708090a0b0c0d0e0f1011121314", 0, 3,
		 "sha256 digest is 20 octets, must be 32"},
		{"4002 01 00", 0, 3, "sha1 digest is 1 octets, must be 20"},
		/* tlsldap, pgp */
		{"4100", 0, 1, "(tlsldap) at octet 0: DATA must not be empty"},
		{"4300", 0, 1, "(pgp) at octet 0: DATA must not be empty"},
		/* negation, per-mailbox */
		{"0700 8000", 0, 2, "entry 2 (none) at octet 2: none cannot be"},
		{"0700 0600", RMX_RDATA_MAILBOX, 2,
		 "entry 2 (fulladdr) at octet 2: fulladdr is not allowed"},
		{"8600", RMX_RDATA_MAILBOX, 0, "per-mailbox"},
		/* unknown types: only LENGTH matters */
		{"6403 0000", 0, 1, "entry 1 (type100) at octet 0: LENGTH 3"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t wire[512];
		char text[64];
		struct rmx_diag diag;
		size_t len = unhex(cases[i].hex, wire, sizeof(wire));

		memset(&diag, 0, sizeof(diag));
		if (rmx_rdata_check(wire, len, cases[i].flags, &diag) !=
		    RMX_EMALFORMED)
			fail_msg("%s: accepted", cases[i].hex);
		if (strstr(diag.msg, cases[i].msg) == NULL)
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].hex,
				diag.msg, cases[i].msg);
		if (diag.offset != cases[i].offset)
			fail_msg("%s: offset %zu, want %zu", cases[i].hex,
				diag.offset, cases[i].offset);
		/* printing refuses it too */
		if (cases[i].flags == 0)
			assert_int_equal(rmx_rdata_to_text(wire, len, text,
				sizeof(text), NULL, &diag), RMX_EMALFORMED);
	}
}

static void test_mailbox_flag(void **state)
{
	uint8_t wire[8];
	struct rmx_diag diag;
	size_t len = unhex("0600 0700", wire, sizeof(wire));

	assert_int_equal(rmx_rdata_check(wire, len, 0, &diag), RMX_OK);
	len = unhex("0700", wire, sizeof(wire));
	assert_int_equal(rmx_rdata_check(wire, len, RMX_RDATA_MAILBOX,
		&diag), RMX_OK);
}

static void test_bad_text(void **state)
{
	static const struct {
		const char *text;
		size_t offset;
		const char *msg;
	} cases[] = {
		{"ip4:192.0.2.0/33", 0, "prefix 33 out of range 0-32"},
		{"mx ip4:192.0.2.1/24", 3, "'ip4:192.0.2.1/24': address bits"},
		{"ip4:192.0.3.0/23", 0, "address bits set past prefix /23"},
		{"ip4:192.0.2", 0, "not an IPv4 address"},
		{"ip4:2001:db8::", 0, "not an IPv4 address"},
		{"ip6:192.0.2.1", 0, "not an IPv6 address"},
		{"ip4", 0, "needs an IPv4 address"},
		{"ip4:", 0, "needs an IPv4 address"},
		{"ip4:192.0.2.0/", 0, "bad prefix length"},
		{"ip4:192.0.2.0/x", 0, "bad prefix length"},
		{"ip4:192.0.2.0/0024", 0, "bad prefix length"},
		{"ip6:2001:db8::/129", 0, "prefix 129 out of range 0-128"},
		{"ip6:2001:db8::/16", 0, "address bits set past prefix /16"},
		{"!none", 0, "none cannot be negated"},
		{"none:x", 0, "none takes no argument"},
		{"member:", 0, "member takes no argument"},
		{"host", 0, "host needs a domain name"},
		{"host:", 0, "host needs a domain name"},
		{"apl:a..b", 0, "empty label"},
		{"mx:", 0, "mx needs a domain name"},
		{"tlsfp", 0, "tlsfp needs"},
		{"tlsfp:md5:00", 0, "unknown fingerprint algorithm 'md5'"},
		{"tlsfp:sha1:0102", 0, "sha1 digest is 2 octets"},
		{"tlsfp:sha1:0g", 0, "bad hex"},
		{"tlsldap", 0, "needs a character-string"},
		{"tlsldap:\"\"", 0, "DATA must not be empty"},
		{"tlsldap:\"abc", 0, "missing closing quote"},
		{"tlsldap:\"a\"b\"", 0, "unescaped '\"'"},
		{"tlsldap:a\\25", 0, "bad escape"},
		{"pgp", 0, "pgp needs hex octets"},
		{"pgp:", 0, "DATA must not be empty"},
		{"pgp:abc", 0, "odd number of hex digits"},
		{"foo", 0, "unknown entry type 'foo'"},
		{"sasl foo:bar", 5, "unknown entry type 'foo'"},
		{"!", 0, "entry type missing"},
		{":x", 0, "entry type missing"},
		{"type128", 0, "type code 128 out of range 0-127"},
		{"typex", 0, "bad type code"},
		{"type1:21c000020000", 0, "prefix 33 out of range"},
		{"type3:0000", 0, "1 octet after the name"},
		{"type0:00", 0, "DATA must be empty"},
		{"!type0", 0, "none cannot be negated"},
		{"type100:0g", 0, "bad hex"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t wire[512];
		struct rmx_diag diag;
		size_t len;

		memset(&diag, 0, sizeof(diag));
		if (rmx_rdata_from_text(cases[i].text, NULL, wire,
			sizeof(wire), &len, &diag) != RMX_EMALFORMED)
			fail_msg("%s: accepted", cases[i].text);
		if (strstr(diag.msg, cases[i].msg) == NULL)
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].text,
				diag.msg, cases[i].msg);
		assert_int_equal(diag.offset, cases[i].offset);
	}
}

/* DATA of n octets as pgp hex or a tlsldap string. */
static void test_data_limit(void **state)
{
	char text[2048];
	uint8_t wire[600];
	struct rmx_diag diag;
	size_t len, n, i;

	for (n = 255; n <= 256; n++) {
		int want = n == 255 ? RMX_OK : RMX_EMALFORMED;

		strcpy(text, "pgp:");
		for (i = 0; i < n; i++)
			strcat(text, "ab");
		assert_int_equal(rmx_rdata_from_text(text, NULL, wire,
			sizeof(wire), &len, &diag), want);
		if (want == RMX_OK) {
			assert_int_equal(len, 257);
			assert_int_equal(wire[1], 255);
		} else {
			assert_non_null(strstr(diag.msg, "longer than 255"));
		}
		strcpy(text, "tlsldap:\"");
		for (i = 0; i < n; i++)
			strcat(text, i % 2 ? "\\001" : "x");
		strcat(text, "\"");
		assert_int_equal(rmx_rdata_from_text(text, NULL, wire,
			sizeof(wire), &len, &diag), want);
		if (want == RMX_OK) {
			char back[RMX_ENTRY_MAXTEXT];
			struct rmx_entry e;
			struct rmx_iter it;

			assert_int_equal(len, 257);
			rmx_iter_init(&it, wire, len);
			assert_int_equal(rmx_iter_next(&it, &e), 1);
			assert_int_equal(rmx_entry_to_text(&e, back,
				sizeof(back), NULL), RMX_OK);
			assert_string_equal(back, text);
		} else {
			assert_non_null(strstr(diag.msg, "longer than 255"));
		}
	}
}

static void test_rdata_space(void **state)
{
	uint8_t wire[8];
	char text[32];
	struct rmx_diag diag;
	size_t len;

	assert_int_equal(rmx_rdata_from_text("ip4:192.0.2.1 mx", NULL, wire,
		8, &len, &diag), RMX_ESPACE);
	assert_int_equal(rmx_rdata_from_text("ip4:192.0.2.1", NULL, wire,
		7, &len, &diag), RMX_OK);
	assert_int_equal(rmx_rdata_to_text(wire, len, text, 13, NULL, &diag),
		RMX_ESPACE);
	assert_int_equal(rmx_rdata_to_text(wire, len, text, 14, NULL, &diag),
		RMX_OK);
	assert_string_equal(text, "ip4:192.0.2.1");
}

static void test_origin(void **state)
{
	uint8_t wire[64];
	char text[128];
	struct rmx_diag diag;
	size_t len;

	assert_int_equal(rmx_rdata_from_text("host:relay mx:@ apl:x.",
		"example.com.", wire, sizeof(wire), &len, &diag), RMX_OK);
	assert_int_equal(rmx_rdata_to_text(wire, len, text, sizeof(text),
		NULL, &diag), RMX_OK);
	assert_string_equal(text,
		"host:relay.example.com. mx:example.com. apl:x.");
}

static void test_iter(void **state)
{
	uint8_t wire[64];
	struct rmx_iter it;
	struct rmx_entry e;
	size_t len = unhex("810520c0000242 0700 6402abcd 01", wire,
		sizeof(wire));

	rmx_iter_init(&it, wire, len);
	assert_int_equal(rmx_iter_next(&it, &e), 1);
	assert_int_equal(e.type, RMX_ENTRY_IP4);
	assert_true(e.negated);
	assert_int_equal(e.len, 5);
	assert_ptr_equal(e.data, wire + 2);
	assert_int_equal(e.offset, 0);
	assert_int_equal(rmx_iter_next(&it, &e), 1);
	assert_int_equal(e.type, RMX_ENTRY_MX);
	assert_int_equal(e.offset, 7);
	assert_int_equal(rmx_iter_next(&it, &e), 1);
	assert_int_equal(e.type, 100);
	assert_int_equal(e.len, 2);
	assert_int_equal(rmx_iter_next(&it, &e), RMX_EMALFORMED);
	rmx_iter_init(&it, wire, 13);
	assert_int_equal(rmx_iter_next(&it, &e), 1);
	assert_int_equal(rmx_iter_next(&it, &e), 1);
	assert_int_equal(rmx_iter_next(&it, &e), 1);
	assert_int_equal(rmx_iter_next(&it, &e), 0);
}

static void test_type_table(void **state)
{
	static const struct {
		unsigned code;
		const char *name;
		bool lookup;
	} cases[] = {
		{0, "none", false}, {1, "ip4", false}, {2, "ip6", false},
		{3, "host", true}, {4, "apl", true}, {5, "member", true},
		{6, "fulladdr", true}, {7, "mx", true}, {64, "tlsfp", false},
		{65, "tlsldap", false}, {66, "sasl", false}, {67, "pgp", false},
		{8, NULL, false}, {63, NULL, false}, {127, NULL, false},
		{128, NULL, false}, {1000, NULL, false},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *name = rmx_entry_type_name(cases[i].code);

		if (cases[i].name == NULL)
			assert_null(name);
		else
			assert_string_equal(name, cases[i].name);
		assert_int_equal(rmx_entry_needs_lookup(cases[i].code),
			cases[i].lookup);
	}
}

static void test_hex(void **state)
{
	static const struct {
		const char *text;
		int rc;
		size_t len_or_offset;
	} cases[] = {
		{"", RMX_OK, 0},
		{"00ff", RMX_OK, 2},
		{" 00 FF\t0a\n", RMX_OK, 3},
		{"\\# 0", RMX_OK, 0},
		{"\\# 3 000102", RMX_OK, 3},
		{"  \\# 3 00 01 02 ", RMX_OK, 3},
		{"\\# 2 000102", RMX_EMALFORMED, 11},
		{"\\# 4 000102", RMX_EMALFORMED, 11},
		{"\\#3 000102", RMX_EMALFORMED, 2},
		{"\\# x 00", RMX_EMALFORMED, 3},
		{"\\# 3x 00", RMX_EMALFORMED, 3},
		{"\\# 70000 00", RMX_EMALFORMED, 3},
		{"0", RMX_EMALFORMED, 0},
		{"000", RMX_EMALFORMED, 2},
		{"0 0", RMX_EMALFORMED, 0},
		{"0g", RMX_EMALFORMED, 0},
		{"00 zz", RMX_EMALFORMED, 3},
		{"0x00", RMX_EMALFORMED, 0},
		{"\\", RMX_EMALFORMED, 0},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t out[8];
		struct rmx_diag diag;
		size_t len = 0;
		int rc = rmx_hex_decode(cases[i].text, out, sizeof(out), &len,
			&diag);

		if (rc != cases[i].rc)
			fail_msg("'%s': rc %d, want %d", cases[i].text, rc,
				cases[i].rc);
		if ((rc == RMX_OK ? len : diag.offset) !=
		    cases[i].len_or_offset)
			fail_msg("'%s': got %zu, want %zu", cases[i].text,
				rc == RMX_OK ? len : diag.offset,
				cases[i].len_or_offset);
	}
}

static void test_hex_space(void **state)
{
	uint8_t out[2];
	char buf[5];
	struct rmx_diag diag;
	size_t len;

	assert_int_equal(rmx_hex_decode("000102", out, 2, &len, &diag),
		RMX_ESPACE);
	assert_int_equal(rmx_hex_decode("0001", out, 2, &len, &diag), RMX_OK);
	out[0] = 0xab;
	out[1] = 0x0c;
	assert_int_equal(rmx_hex_encode(out, 2, buf, 4), RMX_ESPACE);
	assert_int_equal(rmx_hex_encode(out, 2, buf, 5), RMX_OK);
	assert_string_equal(buf, "ab0c");
	assert_int_equal(rmx_hex_encode(out, 0, buf, 1), RMX_OK);
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_wire_round_trip),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_mailbox_flag),
		cmocka_unit_test(test_bad_text),
		cmocka_unit_test(test_data_limit),
		cmocka_unit_test(test_rdata_space),
		cmocka_unit_test(test_origin),
		cmocka_unit_test(test_iter),
		cmocka_unit_test(test_type_table),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_hex_space),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

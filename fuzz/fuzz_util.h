/*
 * fuzz_util.h - helpers shared by the fuzz harnesses (fuzz/fuzz_*.c).
 *
 * A harness asserts properties, not just "no crash": when one is violated
 * it calls fuzz_fail(), which prints what was violated and aborts, so that
 * libFuzzer (and the replay driver, fuzz/main.c) report the input.
 *
 * Everything here is static: each harness is one translation unit, linked
 * either with libFuzzer or with main.c.
 */
#ifndef RMX_FUZZ_UTIL_H
#define RMX_FUZZ_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rmx/check.h>
#include <rmx/error.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_fail(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn, unused));

/* A property does not hold: say which and abort. */
static void fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz: property violated: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
	abort();
}

#define FUZZ_ASSERT(cond, ...) \
	do { \
		if (!(cond)) \
			fuzz_fail(__VA_ARGS__); \
	} while (0)

/*
 * A property tied to a finding already reported can be skipped while the
 * owner fixes it, so that a fuzzing campaign gets past it: list the
 * finding's id in the environment, FUZZ_KNOWN="spf-spec-dot other-id".
 * Nothing is skipped by default (the replay tests and fuzz/run are strict).
 */
static bool fuzz_known(const char *id) __attribute__((unused));
static bool fuzz_known(const char *id)
{
	const char *k = getenv("FUZZ_KNOWN");

	return k != NULL && strstr(k, id) != NULL;
}

/* NUL-terminated copy of the input (malloc'd, exactly size + 1 octets, so
 * that a read past the NUL is caught by ASan). */
static char *fuzz_strndup(const uint8_t *data, size_t size)
	__attribute__((unused));
static char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* A text field of fixed capacity is NUL-terminated inside it. */
static bool fuzz_field_terminated(const char *s, size_t cap)
	__attribute__((unused));
static bool fuzz_field_terminated(const char *s, size_t cap)
{
	return memchr(s, '\0', cap) != NULL;
}

/* Every octet before the NUL is printable ASCII. */
static bool fuzz_printable(const char *s) __attribute__((unused));
static bool fuzz_printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

/* The first 512 octets of p as hex on stderr, before a failed property
 * aborts, so that the report shows the data. */
static void hexdump_stderr(const char *what, const uint8_t *p, size_t len)
	__attribute__((unused));
static void hexdump_stderr(const char *what, const uint8_t *p, size_t len)
{
	size_t i;

	fprintf(stderr, "%s (%zu):", what, len);
	for (i = 0; i < len && i < 512; i++)
		fprintf(stderr, "%02x", p[i]);
	fputc('\n', stderr);
}

/* A diag a parser filled on error: message NUL-terminated. */
static void fuzz_check_diag(const struct rmx_diag *d, const char *who)
	__attribute__((unused));
static void fuzz_check_diag(const struct rmx_diag *d, const char *who)
{
	FUZZ_ASSERT(fuzz_field_terminated(d->msg, sizeof(d->msg)),
		"%s: diag message not NUL-terminated", who);
}

/*
 * The properties rmx/check.h promises of every result: enum values in
 * range, text fields NUL-terminated within their arrays and printable
 * ASCII, and a bounded number of DNS queries.
 */
#define FUZZ_QUERY_BOUND 200
static void fuzz_check_result(const struct rmx_check_result *r)
	__attribute__((unused));
static void fuzz_check_result(const struct rmx_check_result *r)
{
	static const struct {
		const char *name;
		size_t off, cap;
	} fields[] = {
		{"domain", offsetof(struct rmx_check_result, domain),
			RMX_RESULT_DOMAIN_MAX},
		{"entry", offsetof(struct rmx_check_result, entry),
			RMX_RESULT_TEXT_MAX},
		{"reason", offsetof(struct rmx_check_result, reason),
			RMX_RESULT_TEXT_MAX},
		{"explanation", offsetof(struct rmx_check_result, explanation),
			RMX_RESULT_TEXT_MAX},
	};
	size_t i;

	FUZZ_ASSERT((unsigned)r->result <= RMX_RESULT_PERMERROR,
		"result %d out of enum rmx_result", (int)r->result);
	FUZZ_ASSERT((unsigned)r->method <= RMX_METHOD_SPF,
		"method %d out of enum rmx_method", (int)r->method);
	FUZZ_ASSERT((unsigned)r->dnssec <= RMX_DNSSEC_BOGUS,
		"dnssec %d out of enum rmx_dnssec", (int)r->dnssec);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *s = (const char *)r + fields[i].off;

		FUZZ_ASSERT(fuzz_field_terminated(s, fields[i].cap),
			"result.%s not NUL-terminated", fields[i].name);
		FUZZ_ASSERT(fuzz_printable(s),
			"result.%s not printable ASCII: \"%s\"",
			fields[i].name, s);
	}
	FUZZ_ASSERT(r->queries < FUZZ_QUERY_BOUND,
		"result.queries %u not below %d", r->queries,
		FUZZ_QUERY_BOUND);
	FUZZ_ASSERT(rmx_result_str(r->result) != NULL,
		"rmx_result_str NULL");
}

#endif

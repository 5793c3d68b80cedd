/*
 * rmx/name.h - domain names in wire and presentation form.
 *
 * Wire form is RFC 1035 uncompressed: length-prefixed labels ending with the
 * root label, at most 255 octets, labels at most 63.  Presentation form is
 * RFC 1035 master-file text: labels separated by dots, "\." "\\" and "\DDD"
 * escapes, a trailing dot for an absolute name.  Canonical text output is
 * lower case, always with the trailing dot, and escapes every octet that is
 * not a letter, digit, '-' or '_' (dot and backslash as "\." "\\", other
 * printable octets as "\c", everything else as "\DDD"; '*' as the first
 * label and '/' are printed as is).
 *
 * These functions never read outside the buffers given; names from the wire
 * are validated before use.  They do not decompress (RMX data never holds
 * compression pointers: a pointer is malformed data).
 */
#ifndef RMX_NAME_H
#define RMX_NAME_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <rmx/error.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RMX_NAME_MAXWIRE 255  /* octets of a wire name, root label included */
#define RMX_LABEL_MAX 63
/* Longest canonical text of a name: every octet as \DDD, dots, NUL. */
#define RMX_NAME_MAXTEXT (4 * RMX_NAME_MAXWIRE + 2)

/*
 * Check that wire[0..avail) starts with one uncompressed wire name.  On
 * success *namelen is its length (root label included).  RMX_EMALFORMED,
 * with diag saying why, when a label runs past avail, the name exceeds 255
 * octets, or a label length has one of the top two bits set.
 */
int rmx_name_wire_check(const uint8_t *wire, size_t avail, size_t *namelen,
	struct rmx_diag *diag);

/*
 * Parse text[0..textlen) as a presentation name.  A name without a trailing
 * dot is made absolute by appending origin (itself presentation text, NULL
 * or "" or "." for the root).  "@" alone means origin.  Writes the wire name
 * to wire (RMX_NAME_MAXWIRE octets) and its length to *wirelen.
 * RMX_EMALFORMED with diag->offset at the offending character for an empty
 * label, a label over 63 octets, a name over 255 octets, a bad escape.
 */
int rmx_name_from_text(const char *text, size_t textlen, const char *origin,
	uint8_t wire[RMX_NAME_MAXWIRE], size_t *wirelen, struct rmx_diag *diag);

/*
 * Print a validated wire name in canonical presentation form (lower case,
 * trailing dot).  RMX_ESPACE if buf (cap octets, NUL included) is too small;
 * RMX_NAME_MAXTEXT always suffices.  *textlen (may be NULL) gets strlen.
 */
int rmx_name_to_text(const uint8_t *wire, size_t wirelen, char *buf,
	size_t cap, size_t *textlen);

/*
 * Read one RFC 1035 master-file escape, "\X" or "\DDD" (DDD <= 255), whose
 * backslash is text[*pos]; advance *pos past it.  Returns the octet, or -1
 * for a bad escape (nothing after the backslash, fewer than three digits,
 * a value over 255).  Shared by names and character-strings.
 */
int rmx_text_read_escape(const char *text, size_t textlen, size_t *pos);

/* ASCII case-insensitive equality of two validated wire names. */
bool rmx_name_equal(const uint8_t *a, size_t alen, const uint8_t *b,
	size_t blen);

/* True when validated wire name `name` is `parent` or below it. */
bool rmx_name_is_subdomain(const uint8_t *name, size_t namelen,
	const uint8_t *parent, size_t parentlen);

#ifdef __cplusplus
}
#endif
#endif

/*
 * name_int.h - name helpers for librmx's own hot paths (internal).
 */
#ifndef RMX_NAME_INT_H
#define RMX_NAME_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The common case of rmx_name_from_text in one pass: an absolute name of
 * labels made of letters, digits, '-', '_' and '/' (1-63 octets each),
 * with or without the trailing dot, at most 255 octets of wire.
 * Lower-cases as it copies into wire (RMX_NAME_MAXWIRE octets).  Returns
 * false for anything else (escapes, other octets, "." or "@"), which the
 * general parser then handles, errors included.
 */
bool name_from_plain_text(const char *name, uint8_t *wire, size_t *len);

#endif

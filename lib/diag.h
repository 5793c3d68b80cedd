/*
 * diag.h - filling a struct rmx_diag (internal).
 *
 * Every parser reports a fault the same way: the offset, the message, and a
 * return code; this is the one function that does it.
 */
#ifndef RMX_DIAG_H
#define RMX_DIAG_H

#include <rmx/error.h>

/* Fill diag (may be NULL) with offset and a formatted message (cut at
 * RMX_DIAG_MSGLEN); return code. */
int diag_fail(struct rmx_diag *diag, int code, size_t offset,
	const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif

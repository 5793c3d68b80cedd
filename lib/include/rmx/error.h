/*
 * rmx/error.h - library status codes and their text.
 *
 * Every librmx function that can fail returns an int: RMX_OK (0) or one of
 * the negative codes below.  These codes say that the *library* could not do
 * what was asked (bad argument, malformed input, out of memory); they never
 * carry a verdict about a sender.  Verdicts live in struct rmx_check_result
 * (rmx/check.h).
 *
 * Functions that parse outside data also fill a struct rmx_diag, which says
 * what is wrong and where, in words a person reads.
 */
#ifndef RMX_ERROR_H
#define RMX_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum rmx_err {
	RMX_OK = 0,
	RMX_EINVAL = -1,     /* bad argument (a caller's bug or a usage error) */
	RMX_ENOMEM = -2,     /* out of memory, or a per-check memory bound hit */
	RMX_EMALFORMED = -3, /* input does not parse: wire data, text, file */
	RMX_ESPACE = -4,     /* output does not fit the buffer the caller gave */
	RMX_ENOTFOUND = -5,  /* a name, file or item does not exist */
	RMX_EIO = -6,        /* reading a file or talking to the network failed */
	RMX_ERESOLVER = -7,  /* the DNS resolver backend failed (not a DNS answer) */
	RMX_ECANCELED = -8,  /* the operation was cancelled */
};

/* Static text for a code; never NULL. */
const char *rmx_strerror(int code);

/*
 * Where and what went wrong while parsing.  offset is an octet offset into
 * wire data or a character offset into text (line is set for files, 0
 * otherwise).  msg is always NUL-terminated; a message that would not fit is
 * cut short, never overrun.
 */
#define RMX_DIAG_MSGLEN 256
struct rmx_diag {
	size_t offset;
	size_t line;
	char msg[RMX_DIAG_MSGLEN];
};

/* Clear a diag (optional: every parser sets all fields on error). */
void rmx_diag_clear(struct rmx_diag *diag);

#ifdef __cplusplus
}
#endif
#endif

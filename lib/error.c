/*
 * error.c - text for librmx status codes (rmx/error.h), and the one
 * function that fills a struct rmx_diag (diag.h).
 */
#include <rmx/error.h>

#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const error_text[] = {
	[0] = "success",
	[1] = "invalid argument",
	[2] = "out of memory",
	[3] = "malformed input",
	[4] = "output buffer too small",
	[5] = "not found",
	[6] = "input/output error",
	[7] = "DNS resolver failure",
	[8] = "cancelled",
};

const char *rmx_strerror(int code)
{
	size_t i = code <= 0 ? (size_t)(-(long)code) : (size_t)-1;

	if (i < sizeof(error_text) / sizeof(error_text[0]) &&
	    error_text[i] != NULL)
		return error_text[i];
	return "unknown error";
}

void rmx_diag_clear(struct rmx_diag *diag)
{
	if (diag != NULL)
		memset(diag, 0, sizeof(*diag));
}

int diag_fail(struct rmx_diag *diag, int code, size_t offset,
	const char *fmt, ...)
{
	va_list ap;

	if (diag != NULL) {
		diag->offset = offset;
		diag->line = 0;
		va_start(ap, fmt);
		vsnprintf(diag->msg, sizeof(diag->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

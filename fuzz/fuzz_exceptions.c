/*
 * fuzz_exceptions.c - libFuzzer target: the suite runner's name lists,
 * rmx_suite_exceptions_load ("TESTNAME RESULT REASON...") and
 * rmx_suite_exclusions_load ("TESTNAME REASON..."), both read from a file.
 *
 * Input: the file's contents (written to a memfd, or /tmp when memfd is
 * not available).
 *
 * Properties:
 *   - each loader returns RMX_OK, RMX_EMALFORMED or RMX_ENOMEM; on error
 *     the diag message is terminated and the list pointer stays NULL;
 *   - a line that the exceptions loader accepts is accepted by the
 *     exclusions loader too (its result word becomes part of the reason);
 *   - the reason looked up for a name that the input cannot contain is
 *     NULL, and rmx_suite_exceptions_free releases everything (LSan).
 */
#define _GNU_SOURCE
#include <rmx/suite.h>

#include "fuzz_util.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

static int input_file(const uint8_t *data, size_t size, char *path,
	size_t cap)
{
	int fd = memfd_create("fuzz_exceptions", 0);

	if (fd >= 0) {
		snprintf(path, cap, "/proc/self/fd/%d", fd);
	} else {
		snprintf(path, cap, "/tmp/fuzz_exceptions.%ld", (long)getpid());
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
		if (fd < 0)
			abort();
	}
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rmx_suite_exceptions *exc = NULL, *excl = NULL;
	struct rmx_diag diag;
	char path[64];
	int fd, rc, rc2;

	if (size > 64 * 1024)
		return 0;
	fd = input_file(data, size, path, sizeof(path));

	memset(&diag, 0, sizeof(diag));
	rc = rmx_suite_exceptions_load(path, &exc, &diag);
	FUZZ_ASSERT(rc == RMX_OK || rc == RMX_EMALFORMED || rc == RMX_ENOMEM,
		"rmx_suite_exceptions_load returned %d (%s)", rc, diag.msg);
	if (rc != RMX_OK) {
		fuzz_check_diag(&diag, "rmx_suite_exceptions_load");
		FUZZ_ASSERT(exc == NULL, "list returned with an error");
	}

	memset(&diag, 0, sizeof(diag));
	rc2 = rmx_suite_exclusions_load(path, &excl, &diag);
	FUZZ_ASSERT(rc2 == RMX_OK || rc2 == RMX_EMALFORMED ||
		rc2 == RMX_ENOMEM, "rmx_suite_exclusions_load returned %d (%s)",
		rc2, diag.msg);
	if (rc2 != RMX_OK) {
		fuzz_check_diag(&diag, "rmx_suite_exclusions_load");
		FUZZ_ASSERT(excl == NULL, "list returned with an error");
	}
	FUZZ_ASSERT(rc != RMX_OK || rc2 == RMX_OK,
		"exceptions accepted but exclusions refused: %s", diag.msg);

	/* No line can name a test "\n": lines end there. */
	FUZZ_ASSERT(rmx_suite_exceptions_reason(exc, "\n") == NULL,
		"reason for an impossible name");
	FUZZ_ASSERT(rmx_suite_exceptions_reason(excl, "\n") == NULL,
		"reason for an impossible name");
	rmx_suite_exceptions_free(exc);
	rmx_suite_exceptions_free(excl);
	close(fd);
	if (strncmp(path, "/tmp/", 5) == 0)
		unlink(path);
	return 0;
}

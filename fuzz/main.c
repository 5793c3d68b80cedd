/*
 * main.c - replay driver: runs a fuzz harness without libFuzzer.
 *
 * Linked with one harness (fuzz_*.c) instead of libFuzzer, it feeds the
 * harness every file of the directories (or files) named on the command
 * line: the committed seed corpus fuzz/seeds/<target>/ and the reproducers
 * of past findings fuzz/regressions/<target>/.  So every harness builds
 * and runs as a normal meson test on every build, with any compiler
 * (as Knot's tests-fuzz/main.c does).
 *
 * Each input runs in a child process (fork), so one failing input does
 * not hide the others: a crash, an abort() from a violated property, a
 * sanitizer report or a hang (20 s alarm) counts that input as failed and
 * its path is printed.  The last line is "N passed, M failed"; the exit
 * status is 1 when anything failed.
 *
 * Files whose names start with '.' are skipped (.gitkeep); a directory
 * that does not exist is noted and skipped (a target may have no
 * regressions yet).  Does not: minimise, mutate, or measure coverage.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define REPLAY_ALARM_S 20
#define REPLAY_FILE_MAX (1024 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned passed, failed;

/* Read the whole file into a buffer of exactly its size (so that ASan
 * sees a read past the end); NULL on error. */
static uint8_t *read_whole_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long len;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    len > REPLAY_FILE_MAX || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	buf = malloc(len > 0 ? (size_t)len : 1);
	if (buf == NULL || fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*size = (size_t)len;
	return buf;
}

static void run_one_file(const char *path)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("FAIL %s: fork: %s\n", path, strerror(errno));
		failed++;
		return;
	}
	if (pid == 0) {
		size_t size = 0;
		uint8_t *data = read_whole_file(path, &size);

		if (data == NULL) {
			fprintf(stderr, "replay: cannot read %s\n", path);
			_exit(3);
		}
		alarm(REPLAY_ALARM_S);
		LLVMFuzzerTestOneInput(data, size);
		free(data);
		exit(0); /* through atexit: LeakSanitizer runs here */
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			printf("FAIL %s: waitpid: %s\n", path, strerror(errno));
			failed++;
			return;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		passed++;
	} else {
		if (WIFSIGNALED(status))
			printf("FAIL %s: signal %d%s\n", path, WTERMSIG(status),
				WTERMSIG(status) == SIGALRM ? " (hang)" : "");
		else
			printf("FAIL %s: exit status %d\n", path,
				WEXITSTATUS(status));
		failed++;
	}
}

static int skip_dot_names(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static void run_path(const char *path)
{
	struct dirent **names;
	struct stat st;
	int n, i;

	if (stat(path, &st) != 0) {
		printf("note: %s: %s (skipped)\n", path, strerror(errno));
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		run_one_file(path);
		return;
	}
	n = scandir(path, &names, skip_dot_names, alphasort);
	if (n < 0) {
		printf("FAIL %s: %s\n", path, strerror(errno));
		failed++;
		return;
	}
	for (i = 0; i < n; i++) {
		size_t len = strlen(path) + strlen(names[i]->d_name) + 2;
		char *full = malloc(len);

		if (full == NULL) {
			failed++;
			break;
		}
		snprintf(full, len, "%s/%s", path, names[i]->d_name);
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode))
			run_one_file(full);
		free(full);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int main(int argc, char **argv)
{
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++)
		run_path(argv[i]);
	printf("%u passed, %u failed\n", passed, failed);
	return failed > 0 || passed == 0 ? 1 : 0;
}

/*
 * replay.c: a fuzz target's main() when it is not built with libFuzzer:
 * runs every file named, or found in the directories named, through the
 * target once.  make check replays the corpora this way, so what fuzzing
 * once found stays fixed, in plain and sanitized builds alike.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static size_t	replayed;

static void
replay_file(const char *path)
{
	FILE		*f;
	unsigned char	*data;
	long		 n;

	if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 ||
	    (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		perror(path);
		exit(2);
	}
	/* One byte more, so an empty input still has a distinct pointer. */
	if ((data = malloc((size_t)n + 1)) == NULL ||
	    fread(data, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		exit(2);
	}
	fclose(f);
	LLVMFuzzerTestOneInput(data, (size_t)n);
	free(data);
	replayed++;
}

static void
replay_dir(const char *dir)
{
	DIR		*d;
	struct dirent	*e;
	char		 path[4096];

	if ((d = opendir(dir)) == NULL) {
		perror(dir);
		exit(2);
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		replay_file(path);
	}
	closedir(d);
}

int
main(int argc, char **argv)
{
	struct stat	st;
	int		i;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) != 0) {
			perror(argv[i]);
			return 2;
		}
		if (S_ISDIR(st.st_mode))
			replay_dir(argv[i]);
		else
			replay_file(argv[i]);
	}
	if (replayed == 0) {
		fprintf(stderr, "%s: nothing to replay\n", argv[0]);
		return 2;
	}
	printf("%s: %zu inputs replayed\n", argv[0], replayed);
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* standalone.c - runs a fuzz target over files (or the files of folders) without libFuzzer. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data;
	long size;

	if (!f) {
		fprintf(stderr, "%s: cannot open\n", path);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	data = malloc(size > 0 ? (size_t)size : 1);
	if (!data || (size > 0 && fread(data, 1, (size_t)size, f) != (size_t)size)) {
		fprintf(stderr, "%s: cannot read\n", path);
		fclose(f);
		free(data);
		return 1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(data, (size_t)size);
	free(data);
	return 0;
}

static int run_path(const char *path, size_t *count)
{
	struct stat st;
	DIR *dir;
	struct dirent *e;
	int rc = 0;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "%s: no such file or folder\n", path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return run_file(path);
	}
	if (!(dir = opendir(path)))
		return 1;
	while ((e = readdir(dir)) != NULL) {
		size_t n = strlen(path) + strlen(e->d_name) + 2;
		char *child;

		if (e->d_name[0] == '.')
			continue;
		if (!(child = malloc(n)))
			break;
		snprintf(child, n, "%s/%s", path, e->d_name);
		rc |= run_path(child, count);
		free(child);
	}
	closedir(dir);
	return rc;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int rc = 0;

	for (int i = 1; i < argc; i++)
		rc |= run_path(argv[i], &count);
	printf("%zu inputs run\n", count);
	if (count == 0) {
		fprintf(stderr, "no inputs: an empty corpus tests nothing\n");
		return 1;
	}
	return rc;
}

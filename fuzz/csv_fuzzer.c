/* SPDX-License-Identifier: Apache-2.0 */
/* csv_fuzzer.c - the CSV reader and the activity importer on arbitrary bytes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "coplan/coplan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const encodings[] = { NULL, "CP932", "WINDOWS-1252" };
	coplan_csv_options opts = { 0 };
	coplan_csv_table *table = NULL;
	char path[] = "/tmp/coplan-fuzz-csv-XXXXXX";
	coplan_plan *plan = NULL;
	int fd;

	/* the size picks the options, so that every corpus file is read as it is */
	opts.encoding = encodings[size % 3];
	opts.delimiter = "\0,;\t"[(size / 3) % 4];
	opts.locale = (size / 12) % 3 == 1 ? "en-US" : (size / 12) % 3 == 2 ? "it" : NULL;
	if (coplan_csv_parse(&table, "fuzz.csv", (const char *)data, size, &opts) == 0)
		coplan_csv_table_free(table);

	/* the importer reads files: give it one */
	fd = mkstemp(path);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size && coplan_plan_new(&plan) == 0) {
		size_t n = 0;

		if (coplan_import_activities_csv(plan, path, &opts, &n) == 0 &&
		    coplan_plan_validate(plan) != 0)
			abort(); /* an accepted import must give a valid plan */
		coplan_plan_free(plan);
	}
	close(fd);
	unlink(path);
	return 0;
}

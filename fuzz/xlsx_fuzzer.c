/* SPDX-License-Identifier: Apache-2.0 */
/* xlsx_fuzzer.c - the XLSX reader (libzip + libxml2) on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>

#include "coplan/coplan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	coplan_csv_table *table = NULL;
	char *sheet = NULL;

	if (coplan_xlsx_read_buffer(&table, &sheet, "fuzz.xlsx", data, size, NULL) == 0) {
		coplan_csv_table_free(table);
		free(sheet);
	}
	return 0;
}

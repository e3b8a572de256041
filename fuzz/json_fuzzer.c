/* SPDX-License-Identifier: Apache-2.0 */
/* json_fuzzer.c - the plan-document reader on arbitrary bytes; what it accepts must round-trip. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "coplan/coplan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	coplan_export_options opts = { 0 };
	coplan_plan *plan = NULL, *again = NULL;
	char *out1 = NULL, *out2 = NULL;
	size_t len1, len2;

	if (coplan_import_plan_json_buffer(&plan, "fuzz.json", (const char *)data, size) != 0)
		return 0;
	opts.now = 1;
	/* accepted: it must export, read back and export to the same bytes */
	if (coplan_export(&out1, &len1, plan, COPLAN_FORMAT_JSON, &opts) != 0)
		abort();
	if (coplan_import_plan_json_buffer(&again, "export.json", out1, len1) != 0)
		abort();
	if (coplan_export(&out2, &len2, again, COPLAN_FORMAT_JSON, &opts) != 0)
		abort();
	if (len1 != len2 || memcmp(out1, out2, len1) != 0)
		abort();
	/* and every other writer must take it */
	for (int f = COPLAN_FORMAT_MARKDOWN; f <= COPLAN_FORMAT_ICS; f++) {
		char *doc = NULL;
		size_t n;

		if (coplan_export(&doc, &n, plan, (coplan_format)f, &opts) != 0)
			abort();
		free(doc);
	}
	free(out1);
	free(out2);
	coplan_plan_free(plan);
	coplan_plan_free(again);
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* snapshot.c - the encoding of a saved plan version: the plan's JSON document, with no time in it. */
#include "coplan/errors.h"
#include "coplan/export.h"
#include "coplan/import.h"
#include "coplan/model.h"

int coplan_plan_snapshot(char **out, size_t *len, const coplan_plan *plan)
{
	coplan_export_options opts = { 0 };

	opts.now = 1; /* the JSON document holds no time; fixed anyway, so snapshots compare */
	return coplan_export(out, len, plan, COPLAN_FORMAT_JSON, &opts);
}

int coplan_plan_from_snapshot(coplan_plan **out, const char *name, const char *data, size_t len)
{
	return coplan_import_plan_json_buffer(out, name, data, len);
}

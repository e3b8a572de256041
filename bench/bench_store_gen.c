/* SPDX-License-Identifier: Apache-2.0 */
/* bench_store_gen.c - write a generated plan (plan_gen(): N activities, K nations) as coplan's plan JSON, for bench/run-store-bench.sh. */
#include <stdio.h>
#include <stdlib.h>

#include "coplan/coplan.h"
#include "coplan/export.h"
#include "plan_gen.h"

/* usage: coplan_bench_store_gen ACTIVITIES NATIONS FILE  (seed 1: the same plan on every machine) */
int main(int argc, char **argv)
{
	coplan_plan *plan = NULL;
	plan_gen_params p;
	char *json = NULL, *end;
	size_t len = 0, n, k;
	FILE *f;
	int rc;

	if (argc != 4) {
		fprintf(stderr, "usage: coplan_bench_store_gen ACTIVITIES NATIONS FILE\n");
		return 2;
	}
	n = strtoul(argv[1], &end, 10);
	if (*end || n == 0)
		return 2;
	k = strtoul(argv[2], &end, 10);
	if (*end || k == 0)
		return 2;
	/* one unit for every five activities, as the benchmark library's plans */
	p = plan_gen_defaults(1, n, n / 5 + 1, k);
	if (!(rc = plan_gen(&plan, &p))) {
		/* a plan to schedule: the generator's pins (a start alone) left out */
		for (size_t i = 0; i < plan->n_activities; i++) {
			plan->activities[i].start = plan->activities[i].end = COPLAN_DATE_NONE;
			plan->activities[i].pinned = 0;
		}
		rc = coplan_export(&json, &len, plan, COPLAN_FORMAT_JSON, NULL);
	}
	if (rc) {
		fprintf(stderr, "coplan_bench_store_gen: %s\n", coplan_error_last());
		coplan_plan_free(plan);
		return 1;
	}
	f = fopen(argv[3], "wb");
	if (!f || fwrite(json, 1, len, f) != len || fclose(f) != 0) {
		perror(argv[3]);
		return 1;
	}
	fprintf(stderr, "%s: %zu activities, %zu nations, %zu precedences, %zu blackouts, %zu bytes\n", argv[3],
	        plan->n_activities, plan->n_nations, plan->n_precedences, plan->n_blackouts, len);
	free(json);
	coplan_plan_free(plan);
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* bench_plan_json.c - write a generated plan of N activities as plan JSON, scheduled, for the server benchmark. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coplan/coplan.h"
#include "plan_gen.h"

int main(int argc, char **argv)
{
	coplan_export_options opts = { 0 };
	coplan_schedule_options sopts = { 0 };
	coplan_plan *plan = NULL;
	plan_gen_params p;
	char *out = NULL, title[64];
	size_t len, n;
	FILE *f;

	if (argc != 3 || (n = strtoul(argv[1], NULL, 10)) < 1 || n > 100000) {
		fprintf(stderr, "usage: coplan_bench_plan_json N OUT.json  (N activities, 1..100000)\n");
		return 2;
	}
	/* the sizes of the scheduler's benchmarks: 1,000 / 200 / 40 and 10,000 / 1,000 / 100 */
	p = plan_gen_defaults(1, n, n >= 5000 ? 1000 : n / 5 + 1, n >= 5000 ? 100 : n / 25 + 2);
	if (plan_gen(&plan, &p)) {
		fprintf(stderr, "%s\n", coplan_error_last());
		return 1;
	}
	snprintf(title, sizeof(title), "Generated plan of %zu activities", n);
	free(plan->title);
	plan->title = strdup(title);
	/* placed, as a plan is when it is read: a first valid plan and a short polish */
	sopts.seed = 1;
	sopts.time_limit = 0;
	if (coplan_schedule(plan, &sopts, NULL) || coplan_export(&out, &len, plan, COPLAN_FORMAT_JSON, &opts)) {
		fprintf(stderr, "%s\n", coplan_error_last());
		coplan_plan_free(plan);
		return 1;
	}
	if (!(f = fopen(argv[2], "wb")) || fwrite(out, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "cannot write %s\n", argv[2]);
		return 1;
	}
	free(out);
	coplan_plan_free(plan);
	return 0;
}

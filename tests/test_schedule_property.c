/* SPDX-License-Identifier: Apache-2.0 */
/* test_schedule_property.c - hundreds of generated plans: every schedule passes the independent checker. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "coplan/schedule.h"
#include "plan_check.h"
#include "plan_gen.h"

#define N_PLANS 240

/* Schedule one generated plan; check hard constraints, reasons and the score function. */
static void run_one(unsigned long seed)
{
	size_t n = 5 + seed % 60, u = 1 + seed % 17, k = 1 + seed % 6;
	plan_gen_params p = plan_gen_defaults(seed, n, u, k);
	coplan_schedule_options opts;
	coplan_plan *plan = NULL;
	coplan_score got, again;
	char first[512];
	size_t bad;

	if (seed % 5 == 0) {
		p.precedences = 0.5;  /* chains and max gaps */
		p.blackouts = 3;
	}
	if (seed % 7 == 0)
		p.unit_load = 0.95;   /* crowded units: unplaced activities */
	assert_int_equal(plan_gen(&plan, &p), 0);
	memset(&opts, 0, sizeof(opts));
	opts.seed = seed;
	opts.max_iterations = 3000;
	assert_int_equal(coplan_schedule(plan, &opts, &got), 0);
	bad = plan_check(plan, first, sizeof(first));
	if (bad)
		fail_msg("seed %lu: %zu violations, first: %s", seed, bad, first);
	for (size_t i = 0; i < plan->n_activities; i++) {
		const coplan_activity *a = &plan->activities[i];

		if (a->start == COPLAN_DATE_NONE) {
			if (!a->unplaced_reason || !*a->unplaced_reason)
				fail_msg("seed %lu: %s unplaced without a reason", seed, a->ref);
		} else {
			assert_null(a->unplaced_reason);
		}
	}
	/* the score function agrees with the scheduler's own running score */
	assert_int_equal(coplan_schedule_score(plan, NULL, &again), 0);
	assert_int_equal(again.hard, 0);
	assert_int_equal(again.medium, got.medium);
	assert_int_equal(again.soft, got.soft);
	coplan_plan_free(plan);
}

static void test_generated_plans_pass_the_checker(void **state)
{
	(void)state;
	for (unsigned long seed = 1; seed <= N_PLANS; seed++)
		run_one(seed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generated_plans_pass_the_checker),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* test_plan.c - small plans built by hand for the scheduler's and the explanations' unit tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test_plan.h"

coplan_plan *test_plan_new(void)
{
	coplan_plan *plan = NULL;

	assert_int_equal(coplan_plan_new(&plan), 0);
	plan->title = strdup("Test plan");
	plan->year = 2024;
	plan->window_from = coplan_date_from_ymd(2024, 1, 1);
	plan->window_to = coplan_date_from_ymd(2024, 12, 31);
	assert_int_equal(coplan_plan_add_nation(plan, "ITA"), 0);
	assert_int_equal(coplan_plan_add_nation(plan, "JPN"), 0);
	return plan;
}

coplan_activity *test_plan_add(coplan_plan *plan, const char *ref, const char *host, int duration,
                               coplan_day_mode mode)
{
	coplan_activity *a = NULL;

	assert_int_equal(coplan_plan_add_activity(plan, &a), 0);
	a->ref = strdup(ref);
	a->title = strdup(ref);
	memcpy(a->host, host, COPLAN_NATION_LEN);
	assert_int_equal(coplan_activity_add_participant(a, host), 0);
	a->duration = duration;
	a->day_mode = mode;
	return a;
}

coplan_activity *test_plan_get(coplan_plan *plan, const char *ref)
{
	long i = coplan_plan_find(plan, ref);

	assert_true(i >= 0);
	return &plan->activities[i];
}

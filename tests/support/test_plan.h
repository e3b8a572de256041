/* SPDX-License-Identifier: Apache-2.0 */
/* test_plan.h - small plans built by hand for the scheduler's and the explanations' unit tests. */
#ifndef COPLAN_TEST_PLAN_H
#define COPLAN_TEST_PLAN_H

#include "coplan/model.h"

/* A new plan "Test plan" of 2024 (window the whole year) between ITA and JPN; freed with coplan_plan_free(). */
coplan_plan *test_plan_new(void);

/* Append activity ref (title = ref) hosted by host, host its participant; borrowed from the plan. */
coplan_activity *test_plan_add(coplan_plan *plan, const char *ref, const char *host, int duration,
                               coplan_day_mode mode);

/* The activity with ref; fails the test when there is none.  Borrowed from the plan. */
coplan_activity *test_plan_get(coplan_plan *plan, const char *ref);

#endif

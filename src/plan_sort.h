/* SPDX-License-Identifier: Apache-2.0 */
/* plan_sort.h - activities in date order without global state (qsort has no payload in C17). */
#ifndef COPLAN_PLAN_SORT_H
#define COPLAN_PLAN_SORT_H

#include <stddef.h>
#include "coplan/model.h"

/*
 * Sort idx[0..n) (indices into plan->activities) by start, then ref, then
 * index; unplaced activities (start COPLAN_DATE_NONE) first, or last when
 * unplaced_last.  The keys are copied into a scratch array first, so the
 * comparison needs no pointer to the plan and two threads may sort at
 * once.  Errors: COPLAN_ENOMEM (idx is left as it was).
 */
int cp_plan_sort_by_start(size_t *idx, size_t n, const coplan_plan *plan, int unplaced_last);

#endif

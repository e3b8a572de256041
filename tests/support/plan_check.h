/* SPDX-License-Identifier: Apache-2.0 */
/* plan_check.h - an independent checker of a scheduled plan's hard constraints (tests only). */
#ifndef COPLAN_TEST_PLAN_CHECK_H
#define COPLAN_TEST_PLAN_CHECK_H

#include <stddef.h>
#include "coplan/model.h"

/*
 * Count the hard-constraint violations of plan's placed activities and
 * describe the first in first[0..first_len) (may be NULL).  Written apart
 * from the scheduler, from the rules as the model documents them:
 *   - start and end placed together, end >= start, inside the activity's
 *     time window (else the plan's window);
 *   - CALENDAR activities span exactly duration days; WORKING activities
 *     start and end on working days of the host and span exactly duration
 *     working days of the host (calendars from the calendar library);
 *   - no span overlaps a hard blackout of its host, a participant or a unit;
 *   - no unit in two activities on one day;
 *   - precedences: after.start >= before.end + 1 + min_gap, and the gap at
 *     most max_gap when given; a placed successor of an unplaced
 *     predecessor is a violation;
 *   - execution status: a cancelled activity is not in the schedule and is
 *     skipped everywhere (whatever dates it keeps for the record); a
 *     confirmed, executed or postponed activity with a start is a recorded
 *     fact: its own rules (window, working days, duration, blackouts) are
 *     not checked, but it holds its units from start to end (its start
 *     alone when no end is recorded) and counts for precedences, except
 *     that it is no violation for it to have an unplaced predecessor.
 */
size_t plan_check(const coplan_plan *plan, char *first, size_t first_len);

#endif

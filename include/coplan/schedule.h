/* coplan/schedule.h - the scheduler: place a plan's activities in a conflict-free year. */
#ifndef COPLAN_SCHEDULE_H
#define COPLAN_SCHEDULE_H

#include <stddef.h>
#include "coplan/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The score of a schedule, compared lexicographically: hard first (0 when
 * every hard constraint holds; the scheduler never returns a plan with
 * hard < 0), then medium (minus the number of unplaced activities), then
 * soft (minus the weighted soft penalties).  Higher is better.
 */
typedef struct {
	long hard;
	long medium;
	long soft;
} coplan_score;

/* Weights of the soft constraints, per day of deviation or per unit of imbalance. */
typedef struct {
	int requested;         /* per day outside the requested period */
	int soft_blackout;     /* per day over a soft blackout */
	int spread;            /* per activity above the average in a host's busiest month */
	int moved;             /* when re-planning, per day an activity moved from its previous start */
} coplan_weights;

typedef struct {
	unsigned long seed;    /* same plan and seed: same schedule */
	double time_limit;     /* seconds of search after construction; 0: construction and a short polish */
	int replan;            /* 1: start from the plan's current dates and penalise moves */
	coplan_weights weights;/* all zero: the defaults (10, 5, 1, 20) */
	/* Called now and then with the best score so far and elapsed seconds; may be NULL. */
	void (*progress)(const coplan_score *best, double elapsed, void *payload);
	void *payload;
} coplan_schedule_options;

/*
 * Schedule plan in place: set start and end of every activity it can place
 * (pinned activities keep their start), COPLAN_DATE_NONE and an
 * unplaced_reason for the others.  Hard constraints: time window; working-
 * day activities start and end on working days of the host; hard blackouts
 * of the host, participants and units; no unit in two activities on one
 * day; precedences with their gaps.  Deterministic for a given seed.
 * *score (may be NULL) receives the final score.
 * Errors: COPLAN_EINVALID (the plan fails coplan_plan_validate()),
 * COPLAN_ERANGE (a window outside the calendar years), COPLAN_ENOMEM.
 */
int coplan_schedule(coplan_plan *plan, const coplan_schedule_options *opts, coplan_score *score);

#ifdef __cplusplus
}
#endif
#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/schedule.h - the scheduler: place a plan's activities in a conflict-free year. */
#ifndef COPLAN_SCHEDULE_H
#define COPLAN_SCHEDULE_H

#include <stddef.h>
#include "coplan/model.h"
#include "coplan/explain.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The score of a schedule, compared lexicographically: hard first (0 when
 * every hard constraint holds; the scheduler never returns a plan with
 * hard < 0 unless the recorded dates of fixed activities, see
 * coplan_schedule(), conflict with each other), then medium (minus the
 * number of unplaced activities), then soft (minus the weighted soft
 * penalties).  Higher is better.
 */
typedef struct {
	long hard;
	long medium;
	long soft;
} coplan_score;

/*
 * Weights of the soft constraints, per day of deviation or per unit of
 * imbalance.  When the first four are all zero they take their defaults
 * (10, 5, 1, 20); weekend takes its default (20) when zero and is off when
 * negative.
 */
typedef struct {
	int requested;         /* per day outside the requested period */
	int soft_blackout;     /* per day over a soft blackout */
	int spread;            /* per activity above the average in a host's busiest month */
	int moved;             /* when re-planning, per day an activity moved from its previous start */
	/*
	 * Per non-working day of the host (weekend or holiday) inside the span
	 * of a working-day activity: "2-day staff talks on Friday and Monday".
	 * The default 20 makes one weekend (40) cost more than moving the
	 * activity the at most 3 days to the nearest start inside one week
	 * further from its requested period (30) or over 5 soft-blackout days
	 * (25), so activities of up to 5 working days stay within a week
	 * whenever the hard constraints allow it.
	 */
	int weekend;
} coplan_weights;

/* Figures of one run of coplan_schedule(), for benchmarks and the curious. */
typedef struct {
	unsigned long long evaluations; /* candidate placements scored (moves tried, starts tested) */
	unsigned long long iterations;  /* local-search moves proposed */
	double construct_seconds;       /* time to the first valid plan (after construction) */
	double seconds;                 /* whole run */
} coplan_schedule_stats;

typedef struct {
	unsigned long seed;    /* same plan and seed: same schedule */
	double time_limit;     /* seconds of search after construction; 0: construction and a short polish */
	int replan;            /* 1: start from the plan's current dates and penalise moves */
	coplan_weights weights;/* all zero: the defaults (10, 5, 1, 20, 20) */
	/* Called now and then with the best score so far and elapsed seconds; may be NULL. */
	void (*progress)(const coplan_score *best, double elapsed, void *payload);
	void *payload;
	/*
	 * 0: the search ends at time_limit or at a proven optimum; when it
	 * stops improving it perturbs its best plan and goes on (with
	 * time_limit 0: a budget of moves that grows with the plan, ended also
	 * on stagnation).  > 0: it ends after exactly this many moves (a ruin
	 * and recreate of k activities counts k; or earlier at a proven optimum
	 * or on stagnation) and time_limit is ignored, so the result is the
	 * same on every machine.
	 */
	unsigned long max_iterations;
	coplan_schedule_stats *stats; /* filled in when not NULL */
} coplan_schedule_options;

/*
 * Schedule plan in place: set start and end of every activity it can place
 * (pinned activities keep their start), COPLAN_DATE_NONE and an
 * unplaced_reason for the others.  Hard constraints: time window; working-
 * day activities start and end on working days of the host; hard blackouts
 * of the host, participants and units; no unit in two activities on one
 * day; precedences with their gaps.  Deterministic for a given seed.
 *
 * Execution status (model.h): a confirmed, executed or postponed activity
 * with a start is *fixed*, a fact: its start and end stay exactly as
 * recorded even when they break a rule (never unplaced, no reason); it
 * holds its units on those days (an end not recorded: the duration's) and
 * binds its precedences (a successor still follows it; a predecessor
 * still ends in time before it, or stays unplaced, which is no violation
 * for the fixed one).  Its own soft cost is not counted; it counts in its
 * host's spread when its start lies in the horizon.  A *cancelled*
 * activity is out of the schedule: its recorded dates stay untouched (for
 * the record), it holds no unit, its precedences are dropped, it is not
 * unplaced (medium), costs nothing and gets no unplaced_reason.  A fixed
 * status without a start is scheduled like a planned activity.
 *
 * *score (may be NULL) receives the final score; its hard part counts the
 * conflicts among fixed activities (a unit-day held twice, a precedence
 * between two of them broken), which the scheduler cannot resolve.
 * Errors: COPLAN_EINVALID (the plan fails coplan_plan_validate()),
 * COPLAN_ERANGE (a window outside the calendar years), COPLAN_ENOMEM.
 */
int coplan_schedule(coplan_plan *plan, const coplan_schedule_options *opts, coplan_score *score);

/*
 * The score of plan as it stands (its activities' start and end), by the
 * same rules as coplan_schedule(): hard is minus the number of hard-
 * constraint violations among placed activities (outside the time window
 * or the plan's window, a span that does not match the duration and day
 * mode, a non-working start, each hard blackout met, each extra activity
 * on a unit-day, each precedence broken or whose predecessor is
 * unplaced); medium is minus the number of unplaced activities; soft is
 * minus the weighted requested-period distance, soft-blackout days,
 * non-working days inside working-day activities and spread.  The "moved" term needs the previous dates and is left out.
 * Execution status as in coplan_schedule(): cancelled activities count
 * for nothing; a fixed one's own rules and soft cost are not counted (a
 * fact), its units, precedences and spread are, and an unplaced
 * predecessor of a fixed activity counts only as unplaced.
 * w may be NULL (defaults).  Errors: as coplan_schedule().
 */
int coplan_schedule_score(const coplan_plan *plan, const coplan_weights *w, coplan_score *out);

/*
 * Explain in words, for activity ref, every constraint that forbids it to
 * start on date (a local date), given every other activity where the plan
 * has it: "JP-03 cannot start on 2024-05-06: 2024-05-06 is Children's Day
 * substitute holiday in JPN (host); unit '4th Air Wing' busy with JP-07
 * 2024-05-02..2024-05-10; must start after JP-02 ends + 30 days
 * (2024-06-14)", or "JP-03 can start on 2024-05-07..2024-05-10, soft cost 0".
 * With date COPLAN_DATE_NONE: the activity's current placement (and any
 * constraint it breaks) or why it cannot be placed.  A fixed activity
 * (see coplan_schedule()): "IT-02 executed on 2024-02-16..2024-02-29, kept
 * as recorded" (confirmed for, postponed to), after "IT-02 cannot start on
 * DATE: " for another date; a cancelled one: "IT-10 is cancelled: out of
 * the schedule (...)".  *out is malloc'd, the
 * caller frees it.  Errors: COPLAN_ENOTFOUND (no such activity),
 * COPLAN_EINVALID, COPLAN_ERANGE, COPLAN_ENOMEM.
 */
int coplan_schedule_explain(char **out, const coplan_plan *plan, const char *ref, coplan_date date);

/*
 * The same explanation as data (coplan/explain.h): what coplan_schedule_explain()
 * words is coplan_explanation_format_text() of this.  date is a local date
 * or COPLAN_DATE_NONE (where the plan has the activity; for an unplaced
 * one, outcome COPLAN_EXPLAIN_UNPLACED and reasons[0] the structured form of
 * the unplaced_reason coplan_schedule() wrote, given the plan as it left
 * it; except for a pinned activity it could not keep on its pin: the
 * plan no longer holds that start, so the reason is the one an unpinned
 * activity would have).  *out is malloc'd; the caller frees it with coplan_explanation_free().
 * Errors: COPLAN_EUSAGE, COPLAN_ENOTFOUND (no such activity), COPLAN_EINVALID,
 * COPLAN_ERANGE, COPLAN_ENOMEM; *out is NULL on error.
 */
int coplan_schedule_explain_ex(coplan_explanation **out, const coplan_plan *plan, const char *ref,
                               coplan_date date);

/*
 * The placed activities that break a hard constraint as the plan stands (a
 * blackout or holiday imported after scheduling, a postponement onto a
 * holiday), one line each ("  conflict JP-03 is placed on 2024-08-26
 * against its constraints: ..."), plus one line when only recorded facts
 * conflict with each other.  *n gets the number of conflicts (0: none, and
 * *out is ""); *out is malloc'd and the caller's to free().  Cheap when
 * there is none (one scoring pass).  Errors: COPLAN_EINVALID (the plan fails
 * coplan_plan_validate()), COPLAN_ENOMEM.
 */
int coplan_schedule_conflicts(char **out, size_t *n, const coplan_plan *plan);

/*
 * The same conflicts as data (coplan/explain.h): one explanation per placed
 * activity that breaks a hard constraint, in plan order, and the count of
 * conflicts among recorded activities when there is no such activity;
 * coplan_schedule_conflicts() is coplan_conflicts_format_text() of this.
 * *out is malloc'd (never NULL on success, even with no conflict); the
 * caller frees it with coplan_conflicts_free().  Errors: COPLAN_EUSAGE,
 * COPLAN_EINVALID, COPLAN_ENOMEM; *out is NULL on error.
 */
int coplan_schedule_conflicts_ex(coplan_conflicts **out, const coplan_plan *plan);

/*
 * The best feasible starts (local dates) for activity ref with every other
 * activity left where the plan has it, at most max of them, cheapest soft
 * cost first (ties: earlier first), into the caller's array out; *n
 * receives how many.  None when a predecessor is unplaced, and none for a
 * fixed or a cancelled activity (see coplan_schedule()).  Deterministic.
 * Errors: COPLAN_ENOTFOUND, COPLAN_EINVALID, COPLAN_ERANGE, COPLAN_ENOMEM.
 */
int coplan_schedule_suggest(coplan_date *out, size_t *n, size_t max, const coplan_plan *plan,
                            const char *ref);

/*
 * The starts coplan_schedule_suggest() finds (at most max, in its order),
 * each explained as coplan_schedule_explain_ex() does (outcome
 * COPLAN_EXPLAIN_CAN_START: the span, the soft cost and its terms).  *out
 * is a malloc'd array of *n explanations (NULL when *n is 0); the caller
 * frees it with coplan_explanations_free(*out, *n).  None: ask
 * coplan_schedule_explain_ex() with COPLAN_DATE_NONE why.  Errors: as
 * coplan_schedule_suggest(); *out is NULL and *n 0 on error.
 */
int coplan_schedule_suggest_ex(coplan_explanation **out, size_t *n, size_t max,
                               const coplan_plan *plan, const char *ref);

/*
 * The plan's scheduling problem as a day-indexed mixed-integer programme
 * in CPLEX LP format, for an independent solver (e.g. COIN-OR CBC):
 * y_A_D = 1 when activity A (its index in plan->activities) has started by
 * day D (days from the horizon's first day, named in a comment), D only
 * among the starts coplan_schedule() may use (window, host's working days,
 * hard blackouts, pinned start), non-decreasing in D; A starts on the first
 * D with y_A_D = 1; u_A = 1 when A is unplaced; the last y_A_D + u_A = 1;
 * at most one activity of a unit covers each day; precedences as linear
 * constraints on start and end days (big M when the successor, or for an
 * AFTER precedence either, is unplaced; for a REQUIRES precedence a
 * successor placed only if its predecessor is).  Objective:
 * M * unplaced + the soft cost exactly as coplan_schedule() counts it
 * (requested period, soft blackouts, weekend days, moved when replan,
 * and spread linearised with an integer ceil(placed / months) and a
 * busiest-month excess per host), M (a comment "medium weight: M") larger
 * than any soft total, so the optimum is lexicographic like the score:
 * objective = M * -medium - soft.  Fixed and cancelled activities (see
 * coplan_schedule()) get no variable: the starts a fixed one forbids
 * (its units, precedences with it) are left out of the others' domains,
 * fixed ones count as constants in the spread, precedences with a
 * cancelled one are dropped; the header lists them as "\ fixed I: REF
 * STATUS FROM..TO" and "\ cancelled I: REF".  *out (NUL-terminated, *len bytes;
 * len may be NULL) is malloc'd, the caller frees it.  Errors: as
 * coplan_schedule(), COPLAN_ELIMIT (more than 4 GiB of text).
 */
int coplan_schedule_export_lp(char **out, size_t *len, const coplan_plan *plan,
                              const coplan_weights *w, int replan);

#ifdef __cplusplus
}
#endif
#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/explain.h - the scheduler's explanations as data: reasons, explanations, conflicts, and their text and JSON. */
#ifndef COPLAN_EXPLAIN_H
#define COPLAN_EXPLAIN_H

#include <stddef.h>
#include "coplan/date.h"
#include "coplan/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Ownership rule for this header: a coplan_explanation or coplan_conflicts
 * owns every string and array reachable from it (all malloc'd, UTF-8);
 * the *_free() functions free it all.  Pointers read from one are borrowed.
 *
 * All dates are local dates (date.h), all ranges inclusive, and
 * COPLAN_DATE_NONE where a field does not apply.  "The activity" is the
 * one explained; "the other" is the activity, scope or blackout named.
 */

/*
 * What a reason is about.  Append-only: values are never renumbered, so a
 * stored or transmitted code keeps its meaning; the JSON form carries the
 * name (coplan_reason_code_name()).  Fields each code fills, besides code:
 *
 * Hard constraints on one start (explain a date, conflicts):
 *   WINDOW         from=to: the start; other_*: the activity's time window
 *   PLAN_WINDOW    other_*: the plan's window, which the time window misses
 *   HOLIDAY        from=to: the start; name: the holiday; scope: the host (role HOST)
 *   WEEKEND        from=to: the start (a weekend day); scope: the host (role HOST)
 *   DURATION       from: the start; days: the duration; day_mode; other_*: the time window
 *                  (it would end after other_to)
 *   BLACKOUT       from..to: the span it overlaps (or COPLAN_DATE_NONE in a list);
 *                  other_*: the blackout's days; name: its reason; scope, role;
 *                  blackout: its index in plan->blackouts
 *   UNIT_BUSY      scope: the unit (role UNIT); activity: the other holding it;
 *                  other_*: the other's dates; from..to: the span asked (or NONE)
 *   PRECEDENCE     activity: the other, role PREDECESSOR or SUCCESSOR; gap_min,
 *                  gap_max (-1: none): the precedence's gaps in calendar days;
 *                  bound: which gap is broken (COPLAN_BOUND_MIN, _MAX, or both bits
 *                  in a summary: the other limits every start);
 *                  other_*: the days allowed, for the start (the other is the
 *                  predecessor) or for the end (the other is the successor);
 *                  an open side is COPLAN_DATE_NONE
 *   PREDECESSOR_UNPLACED  activity: the predecessor that is not placed
 * The activity's status (explain):
 *   FIXED          status: confirmed, executed or postponed; from..to: its recorded dates
 *   CANCELLED      from..to: its recorded dates, or NONE when it has none
 * Why an activity is unplaced (one reason):
 *   PINNED         from=to: the pinned start; items: what it breaks there (hard
 *                  reasons above, or one PREDECESSORS_FIRST)
 *   PREDECESSORS_FIRST  its predecessors cannot be placed before the pinned start
 *   WINDOW_SHORT   from..to: its (calendar-day) time window; count: its length in
 *                  days; days: the duration
 *   NO_WORKING_START  from..to: its time window; days: the duration (working days);
 *                  scope: the host; count: the host's working days in the window;
 *                  items: the host's HOLIDAY in the window (only weekends: none)
 *   BLACKOUT_WINDOW  one hard blackout blocks every start: from..to: the time window;
 *                  other_*, name, scope, role, blackout: the blackout
 *   BLACKOUTS_WINDOW every start meets one of the hard blackouts in items (BLACKOUT,
 *                  from..to NONE); from..to: the time window; for a working-day
 *                  activity scope is its host, whose non-working days count too, and
 *                  items go on with the host's HOLIDAY in the window
 *   WINDOW_TAKEN   every start is blocked by the other activities: from..to: the
 *                  time window; count: the starts; items: UNIT_BUSY and PRECEDENCE,
 *                  each with count: the starts it blocks, most first (one that
 *                  blocks them all is alone at the front)
 *   TIME_LIMIT     a free start exists: the search ended first
 * Conflicts (coplan_schedule_conflicts_ex()):
 *   RECORDED_CONFLICTS  count: hard violations among recorded (fixed) activities
 * Soft cost terms (coplan_explanation.costs), each with weight and cost (days x weight):
 *   REQUESTED      days outside the requested period other_* (the plan's window
 *                  when none is requested)
 *   SOFT_BLACKOUT  days: soft-blackout days met; items: the soft BLACKOUTs
 *   NONWORKING     days: the host's non-working days inside the span; items:
 *                  one HOLIDAY or WEEKEND per day
 *   MOVED          days moved from the previous start other_from (re-planning)
 *   SPREAD         cost: the change in the host's spread penalty (weight 1);
 *                  scope: the host; count: activities its month would have;
 *                  other_*: that month's first and last day
 */
typedef enum {
	COPLAN_REASON_WINDOW = 1,
	COPLAN_REASON_PLAN_WINDOW = 2,
	COPLAN_REASON_HOLIDAY = 3,
	COPLAN_REASON_WEEKEND = 4,
	COPLAN_REASON_DURATION = 5,
	COPLAN_REASON_BLACKOUT = 6,
	COPLAN_REASON_UNIT_BUSY = 7,
	COPLAN_REASON_PRECEDENCE = 8,
	COPLAN_REASON_PREDECESSOR_UNPLACED = 9,
	COPLAN_REASON_FIXED = 10,
	COPLAN_REASON_CANCELLED = 11,
	COPLAN_REASON_PINNED = 12,
	COPLAN_REASON_PREDECESSORS_FIRST = 13,
	COPLAN_REASON_WINDOW_SHORT = 14,
	COPLAN_REASON_NO_WORKING_START = 15,
	COPLAN_REASON_BLACKOUT_WINDOW = 16,
	COPLAN_REASON_BLACKOUTS_WINDOW = 17,
	COPLAN_REASON_WINDOW_TAKEN = 18,
	COPLAN_REASON_TIME_LIMIT = 19,
	COPLAN_REASON_RECORDED_CONFLICTS = 20,
	COPLAN_REASON_REQUESTED = 21,
	COPLAN_REASON_SOFT_BLACKOUT = 22,
	COPLAN_REASON_NONWORKING = 23,
	COPLAN_REASON_MOVED = 24,
	COPLAN_REASON_SPREAD = 25
} coplan_reason_code;

/* What the scope or the other activity of a reason is to the activity explained. */
typedef enum {
	COPLAN_ROLE_NONE = 0,
	COPLAN_ROLE_HOST,
	COPLAN_ROLE_PARTICIPANT,
	COPLAN_ROLE_UNIT,
	COPLAN_ROLE_PREDECESSOR,
	COPLAN_ROLE_SUCCESSOR
} coplan_reason_role;

/* Which gap of a precedence a PRECEDENCE reason says is broken (bits). */
#define COPLAN_BOUND_MIN 1
#define COPLAN_BOUND_MAX 2

/* One reason; see coplan_reason_code for which fields each code fills. */
typedef struct coplan_reason {
	coplan_reason_code code;
	coplan_date from, to;          /* the activity's days concerned */
	coplan_date other_from, other_to; /* the other's days: window, blackout, activity, allowed */
	char *activity;                /* ref of the other activity, or NULL */
	char *scope;                   /* a nation (ISO alpha-3) or a unit, or NULL */
	coplan_reason_role role;       /* of scope, or (PRECEDENCE) of activity */
	char *name;                    /* a holiday's name, a blackout's reason, or NULL */
	long blackout;                 /* index in plan->blackouts, or -1 */
	long days;                     /* a number of days (duration, days outside, moved) */
	long count;                    /* a count (starts, working days, activities) */
	long gap_min, gap_max;         /* PRECEDENCE: calendar days; gap_max -1: none */
	int bound;                     /* PRECEDENCE: COPLAN_BOUND_* bits */
	coplan_day_mode day_mode;      /* DURATION */
	coplan_activity_status status; /* FIXED */
	long weight;                   /* soft terms: the weight per day (SPREAD: 1) */
	long cost;                     /* soft terms: the cost this term adds */
	struct coplan_reason *items;   /* the listed parts (see the code), or NULL */
	size_t n_items;
} coplan_reason;

/* What an explanation found. */
typedef enum {
	COPLAN_EXPLAIN_CAN_START = 1,   /* the date asked is free: from..to, soft cost, costs */
	COPLAN_EXPLAIN_CANNOT_START,    /* the date asked is forbidden: reasons */
	COPLAN_EXPLAIN_PLACED,          /* (no date asked) placed at from..to, breaking nothing */
	COPLAN_EXPLAIN_PLACED_AGAINST,  /* (no date, or a conflict) placed at from, breaking reasons */
	COPLAN_EXPLAIN_UNPLACED,        /* (no date asked) not placed: reasons[0] says why */
	COPLAN_EXPLAIN_FIXED,           /* confirmed, executed or postponed: reasons[0] is FIXED */
	COPLAN_EXPLAIN_CANCELLED        /* out of the schedule: reasons[0] is CANCELLED */
} coplan_explain_outcome;

/* One explanation of one activity, at one date or where the plan has it. */
typedef struct {
	char *ref;                     /* the activity */
	coplan_date date;              /* the start asked, or COPLAN_DATE_NONE */
	coplan_explain_outcome outcome;
	/*
	 * 1 when the activity can start (or is placed, or kept as recorded)
	 * on date without breaking a hard constraint; else 0.
	 */
	int can_start;
	coplan_date from, to;          /* the span it would have or has, or NONE */
	long soft_cost;                /* CAN_START, PLACED: the soft cost of that span */
	coplan_reason *reasons;        /* the hard reasons, in the order the checks run */
	size_t n_reasons;
	coplan_reason *costs;          /* CAN_START, PLACED: the terms of soft_cost */
	size_t n_costs;
} coplan_explanation;

/*
 * The placed activities that break a hard constraint, in plan order (each
 * outcome COPLAN_EXPLAIN_PLACED_AGAINST, date its start), and, when none
 * does but the score still has hard violations, recorded > 0: how many
 * there are among recorded (fixed) activities.
 */
typedef struct {
	coplan_explanation *items;
	size_t n;
	long recorded;
} coplan_conflicts;

/* "window", "unit_busy", ... (lower case, as in the enum); static storage; "unknown" for others. */
const char *coplan_reason_code_name(coplan_reason_code code);

/* "can_start", "cannot_start", "placed", ...; static storage. */
const char *coplan_explain_outcome_name(coplan_explain_outcome outcome);

/* Free what a reason owns (items too) and zero it; NULL is a no-op. */
void coplan_reason_release(coplan_reason *reason);

/* Free what an explanation owns and zero it (for one in an array); NULL is a no-op. */
void coplan_explanation_release(coplan_explanation *explanation);

/* Release and free a malloc'd explanation; NULL is a no-op. */
void coplan_explanation_free(coplan_explanation *explanation);

/* Release and free n explanations in a malloc'd array; NULL is a no-op. */
void coplan_explanations_free(coplan_explanation *v, size_t n);

/* Free conflicts and everything in them; NULL is a no-op. */
void coplan_conflicts_free(coplan_conflicts *conflicts);

/*
 * reasons as English clauses joined by "; " ("unit 'Nave Cavour' busy
 * with IT-20 2024-03-01..2024-03-10; must start after JP-02 ends + 30 days
 * (2024-06-14)"); self is the activity explained (FIXED and CANCELLED
 * name it).  *out is malloc'd, the caller frees it.  Errors: COPLAN_EUSAGE,
 * COPLAN_ENOMEM.
 */
int coplan_reasons_format_text(char **out, const coplan_reason *reasons, size_t n, const char *self);

/*
 * The explanation as one English sentence, without a final newline, exactly
 * as coplan_schedule_explain() words it.  *out is malloc'd, the caller
 * frees it.  Errors: COPLAN_EUSAGE, COPLAN_ENOMEM.
 */
int coplan_explanation_format_text(char **out, const coplan_explanation *explanation);

/*
 * One line per conflict, as coplan_schedule_conflicts() writes them ("" when
 * there is none).  *out is malloc'd, the caller frees it.  Errors:
 * COPLAN_EUSAGE, COPLAN_ENOMEM.
 */
int coplan_conflicts_format_text(char **out, const coplan_conflicts *conflicts);

/*
 * JSON (UTF-8, keys in a fixed order, no final newline) of an explanation:
 * {"ref", "date", "outcome", "can_start", "from", "to", "soft_cost",
 * "reasons": [...], "costs": [...], "text"}; each reason as {"code" (its
 * name), then only the fields its code fills, dates as "YYYY-MM-DD", and
 * "items" when it has any}; "text" is the sentence of
 * coplan_explanation_format_text().  *out is malloc'd, the caller frees it.
 * Errors: COPLAN_EUSAGE, COPLAN_ENOMEM.
 */
int coplan_explanation_format_json(char **out, const coplan_explanation *explanation);

/* A JSON array of n explanations as above.  Ownership and errors: as above. */
int coplan_explanations_format_json(char **out, const coplan_explanation *v, size_t n);

/* {"conflicts": [explanations], "recorded": N}.  Ownership and errors: as above. */
int coplan_conflicts_format_json(char **out, const coplan_conflicts *conflicts);

#ifdef __cplusplus
}
#endif
#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* schedule_int.h - the scheduler's private model: day-indexed bitsets, domains, search state. */
#ifndef COPLAN_SCHEDULE_INT_H
#define COPLAN_SCHEDULE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "coplan/calendar.h"
#include "coplan/model.h"
#include "coplan/schedule.h"
#include "buf.h"

/*
 * Days are indexed from the first day of the plan's horizon (day 0 is
 * cp_sched.day0), so every per-day table is an array or a bitset of
 * ndays entries.  A "scope" is any name a blackout can name: a nation code
 * (host or participant) or a unit; all are interned in one table, exactly
 * as the model matches them (by string).
 */

#define CP_NONE (-1)
/*
 * pos of an activity placed off its domain: a fixed activity at its
 * recorded dates, or (explain, suggest) one the plan has where the
 * scheduler would not put it.  It holds its units and counts for
 * precedences, but is never moved or removed.
 */
#define CP_OFF_DOMAIN (-2)

/*
 * Confirmed, executed and postponed activities with a recorded start are
 * facts: kept at their recorded dates.  A cancelled activity is out of the
 * schedule.  The others (planned, or a fixed status without dates) are
 * scheduled.
 */
static inline int cp_status_fixed(const coplan_activity *pa)
{
	return pa->start != COPLAN_DATE_NONE &&
	       (pa->status == COPLAN_STATUS_CONFIRMED || pa->status == COPLAN_STATUS_EXECUTED ||
	        pa->status == COPLAN_STATUS_POSTPONED);
}

static inline int cp_status_cancelled(const coplan_activity *pa)
{
	return pa->status == COPLAN_STATUS_CANCELLED;
}

/* One precedence between activity indices. */
typedef struct {
	int32_t before, after;
	int32_t min_gap, max_gap;  /* calendar days; max_gap < 0: none */
	uint32_t plan_index;       /* index in plan->precedences */
	uint8_t requires;          /* 1: REQUIRES (the successor needs the predecessor placed); 0: AFTER */
} cp_edge;

/* One activity as the search sees it. */
typedef struct {
	int32_t *starts;           /* the domain: statically feasible starts (day indices), ascending */
	int32_t *cost;             /* static soft cost of each start (requested, soft blackouts, moved) */
	uint32_t n;                /* domain size */
	int32_t min_cost;          /* lowest cost in the domain, or 0 when empty */
	int32_t lo, hi;            /* window as day indices: start >= lo, end <= hi (hi < lo: empty) */
	int32_t host;              /* host index (cp_sched.host_*) */
	int32_t duration;
	int32_t mode;              /* coplan_day_mode */
	coplan_date prev;          /* start on entry (replan), COPLAN_DATE_NONE if none */
	int32_t *scopes;           /* scope ids of host, participants and units (deduplicated) */
	uint32_t n_scopes;
	int32_t *units;            /* unit indices (cp_sched.unit_*) */
	uint32_t n_units;
	uint32_t pred_at, n_pred;  /* edges in cp_sched.pred_list */
	uint32_t succ_at, n_succ;  /* edges in cp_sched.succ_list */
	uint8_t pinned;            /* pinned with a start (never set when fixed or cancelled) */
	uint8_t fixed;             /* cp_status_fixed(): placed at its recorded dates, empty domain */
	uint8_t cancelled;         /* out of the schedule: no units, no precedences, empty domain */
	int32_t guide_start_max;   /* construction prefers starts <= this (room for successors) */
	int32_t guide_end_min;     /* ... and ends >= this (successors within their max gap) */

	/* search state */
	uint8_t frozen;            /* re-planning without a time limit: kept where it was, never moved */
	int32_t pos;               /* domain index of the current start, CP_NONE when unplaced, CP_OFF_DOMAIN */
	int32_t start, end;        /* day indices when placed (a fixed one's may lie outside the horizon) */
} cp_act;

typedef struct {
	const coplan_plan *plan;
	coplan_weights w;
	int replan;

	coplan_date day0;          /* the horizon's first day */
	int32_t ndays;
	size_t nwords;             /* 64-bit words in one day bitset */
	int32_t *month_of;         /* day index -> month index from the horizon's first month */
	int32_t n_months;

	/* interned scopes (borrowed strings) */
	const char **scope_name;
	size_t n_scopes, scope_cap;
	int32_t *scope_hash;       /* open addressing, scope ids or -1 */
	size_t hash_cap;
	uint64_t **hard_bits;      /* per scope: days under a hard blackout, or NULL */
	int32_t **soft_prefix;     /* per scope: prefix sums of soft-blackout days (ndays + 1), or NULL */
	int32_t *scope_unit;       /* per scope: unit index, or -1 if not used as a unit */
	int32_t *scope_host;       /* per scope: host index, or -1 */

	/* host nations */
	size_t n_hosts;
	int32_t *host_scope;       /* host index -> scope id */
	coplan_calendar **cal;
	uint64_t **nonwork;        /* per host: non-working days */
	int32_t **wd_rank;         /* per host: working days before day d (ndays + 1 entries) */
	int32_t **wd_list;         /* per host: the working days in order */

	/* units */
	size_t n_units;
	int32_t *unit_scope;
	uint64_t **occ;            /* per unit: occupied days */
	int32_t **owner;           /* per unit: activity occupying each day, or -1 */
	uint32_t *unit_act_at;     /* activities using unit u: unit_acts[unit_act_at[u] .. at[u+1]) */
	int32_t *unit_acts;

	/* activities and precedences */
	cp_act *act;
	size_t n_act;
	cp_edge *edge;
	size_t n_edge;
	uint32_t *pred_list, *succ_list;  /* edge indices grouped by activity */
	int32_t *ref_hash;         /* activity refs: open addressing, activity indices or -1 */
	size_t ref_hash_cap;

	/* spread: placed activities per host and month */
	int32_t *month_count;      /* n_hosts * n_months */
	int32_t *host_total;
	int32_t *host_pen;         /* current spread penalty per host (without weight) */

	/* fixed and cancelled activities */
	size_t n_fixed, n_cancelled;
	int64_t fixed_conflicts;   /* hard violations among fixed activities alone (unit-days, gaps) */

	/* the activities the search picks from (re-planning without a time limit), or NULL: all */
	int32_t *pick_list;
	size_t n_pick;

	/* running score of the search state */
	int64_t static_sum;
	int64_t spread_sum;        /* fixed activities count in their start's month */
	int64_t n_unplaced;        /* neither fixed nor cancelled */
	uint64_t evaluations;
	uint64_t iterations;
} cp_sched;

/*
 * Build the context: calendars, scopes, blackouts, domains; every fixed
 * activity placed at its recorded dates (CP_OFF_DOMAIN), no other placed.
 */
int cp_sched_init(cp_sched *s, const coplan_plan *plan, const coplan_weights *w, int replan);
void cp_sched_release(cp_sched *s);

/* Weights with the defaults filled in when all are zero. */
coplan_weights cp_sched_weights(const coplan_weights *w);

/* Activity index of ref, or -1. */
long cp_sched_find(const cp_sched *s, const char *ref);

/* Day index <-> date. */
static inline coplan_date cp_date(const cp_sched *s, int32_t day)
{
	return s->day0 + day;
}

/* The end (inclusive day index) of activity a started on day, or CP_NONE past the horizon. */
int32_t cp_end_of(const cp_sched *s, const cp_act *a, int32_t day);

/* The terms of the static soft cost, in days (before weights). */
typedef struct {
	int64_t requested;         /* days of the span outside the requested period */
	int64_t soft_blackout;     /* soft-blackout days met, summed over the blackouts' scopes */
	int64_t weekend;           /* non-working days of the host inside a WORKING span */
	int64_t moved;             /* re-planning: days from the start on entry */
} cp_parts;

/* The terms of a's static cost at start..end (day indices, inside the horizon). */
void cp_cost_parts(const cp_sched *s, const cp_act *a, int32_t start, int32_t end, cp_parts *out);

/* Static soft cost of a at start..end (day indices) with the context's weights. */
int32_t cp_static_cost(const cp_sched *s, const cp_act *a, int32_t start, int32_t end);

/* Domain index of day in a's domain, or -1. */
int32_t cp_domain_find(const cp_act *a, int32_t day);

/* 1 if any bit in [from, to] is set. */
int cp_bits_any(const uint64_t *bits, int32_t from, int32_t to);

/* 1 if day is a non-working day of host h. */
static inline int cp_nonwork(const cp_sched *s, int32_t h, int32_t day)
{
	return (int)((s->nonwork[h][day >> 6] >> (day & 63)) & 1);
}

/* Spread penalty of host h from its month counts (before the weight). */
int32_t cp_spread_pen(const cp_sched *s, int32_t h);

/* Search state primitives (schedule.c): place at domain index, remove, test. */
void cp_place(cp_sched *s, int32_t i, int32_t pos);
void cp_remove(cp_sched *s, int32_t i);
/* 1 if a (unplaced) can start at domain index pos given every placed activity. */
int cp_fits(const cp_sched *s, int32_t i, int32_t pos);
/* The same, but an unplaced predecessor does not forbid it. */
int cp_fits_placed(const cp_sched *s, int32_t i, int32_t pos);
/* Spread penalty change if activity i (unplaced) were placed on day. */
int64_t cp_spread_delta_place(const cp_sched *s, int32_t i, int32_t day);

/*
 * Why activity i is unplaced in the current search state, as a malloc'd
 * sentence (NULL on allocation failure).
 */
char *cp_unplaced_reason(const cp_sched *s, int32_t i);

/*
 * Append the plan's scheduling problem as a CPLEX LP file to b (export_lp.c;
 * see coplan_schedule_export_lp()).  w may be NULL (defaults).
 */
int cp_export_lp(cp_buf *b, const coplan_plan *plan, const coplan_weights *w, int replan);

/* Append "2024-05-03" or "2024-05-03..2024-05-07" for day indices. */
void cp_buf_span(cp_buf *b, const cp_sched *s, int32_t from, int32_t to);

#endif

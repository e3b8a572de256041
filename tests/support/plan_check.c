/* SPDX-License-Identifier: Apache-2.0 */
/* plan_check.c - the independent plan checker: every hard constraint, checked the slow, plain way. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coplan/calendar.h"
#include "plan_check.h"

typedef struct {
	size_t count;
	char *first;
	size_t first_len;
} check_state;

static void violation(check_state *st, const char *fmt, ...)
{
	va_list ap;

	if (st->count++ == 0 && st->first && st->first_len) {
		va_start(ap, fmt);
		vsnprintf(st->first, st->first_len, fmt, ap);
		va_end(ap);
	}
}

/*
 * Is date a day of nation's weekend?  Decided here, not by the calendar
 * object: the plan's own "weekends" entry for the nation when it has one
 * (read straight from the plan), else CLDR's table (coplan_weekend_of(),
 * itself checked against the XML by tests/test_weekend_oracle.py).
 * -1 when neither answers.
 */
static int weekend_day(const coplan_plan *plan, const char *nation, coplan_date date)
{
	unsigned days = 0;
	int wd = coplan_date_weekday(date);

	for (size_t i = 0; i < plan->n_weekends; i++)
		if (!strcmp(plan->weekends[i].nation, nation))
			return (plan->weekends[i].days >> (wd - 1)) & 1u;
	if (coplan_weekend_of(&days, nation) != 0)
		return -1;
	return (days >> (wd - 1)) & 1u;
}

/*
 * Is date a working day of nation?  Not a weekend day (above), not one of
 * the plan's imported holidays, not a holiday of the built-in rules (a
 * fresh one-year calendar per question, asked only for its holiday): slow
 * and simple.
 */
static int working_day(const coplan_plan *plan, const char *nation, coplan_date date)
{
	coplan_calendar *cal = NULL;
	int year = coplan_date_year(date), weekend, ok;

	if ((weekend = weekend_day(plan, nation, date)) != 0)
		return weekend < 0 ? -1 : 0;
	for (size_t i = 0; i < plan->n_holidays; i++)
		if (plan->holidays[i].date == date && !strcmp(plan->holidays[i].nation, nation))
			return 0;

	if (year < COPLAN_HOLIDAY_FIRST_YEAR || year > COPLAN_HOLIDAY_LAST_YEAR)
		return 1;
	if (coplan_calendar_new(&cal, nation, NULL, year, year) != 0)
		return -1;
	ok = coplan_calendar_holiday(cal, date) == NULL;
	coplan_calendar_free(cal);
	return ok;
}

static int overlaps(coplan_date a0, coplan_date a1, coplan_date b0, coplan_date b1)
{
	return a0 <= b1 && b0 <= a1;
}

static int in_scope(const coplan_activity *a, const char *scope)
{
	if (!strcmp(a->host, scope))
		return 1;
	for (size_t i = 0; i < a->n_participants; i++)
		if (!strcmp(a->participants[i], scope))
			return 1;
	for (size_t i = 0; i < a->n_units; i++)
		if (!strcmp(a->units[i], scope))
			return 1;
	return 0;
}

static int placed(const coplan_activity *a)
{
	return a->start != COPLAN_DATE_NONE;
}

/* Cancelled: not in the schedule at all. */
static int cancelled(const coplan_activity *a)
{
	return a->status == COPLAN_STATUS_CANCELLED;
}

/* Confirmed, executed or postponed with dates: recorded facts, not proposals. */
static int fact(const coplan_activity *a)
{
	return placed(a) && (a->status == COPLAN_STATUS_CONFIRMED ||
	                     a->status == COPLAN_STATUS_EXECUTED ||
	                     a->status == COPLAN_STATUS_POSTPONED);
}

/* The last day a placed activity holds: its end, or its start when a fact has none recorded. */
static coplan_date last_day(const coplan_activity *a)
{
	return fact(a) && (a->end == COPLAN_DATE_NONE || a->end < a->start) ? a->start : a->end;
}

static const coplan_activity *find(const coplan_plan *plan, const char *ref)
{
	for (size_t i = 0; i < plan->n_activities; i++)
		if (!strcmp(plan->activities[i].ref, ref))
			return &plan->activities[i];
	return NULL;
}

static void check_activity(check_state *st, const coplan_plan *plan, const coplan_activity *a)
{
	coplan_date lo = a->earliest != COPLAN_DATE_NONE ? a->earliest : plan->window_from;
	coplan_date hi = a->latest != COPLAN_DATE_NONE ? a->latest : plan->window_to;

	if (a->end == COPLAN_DATE_NONE || a->end < a->start) {
		violation(st, "%s: end %d before start %d", a->ref, a->end, a->start);
		return;
	}
	if (lo != COPLAN_DATE_NONE && a->start < lo)
		violation(st, "%s: starts %d days before its window", a->ref, lo - a->start);
	if (hi != COPLAN_DATE_NONE && a->end > hi)
		violation(st, "%s: ends %d days after its window", a->ref, a->end - hi);
	if (a->day_mode == COPLAN_DAYS_CALENDAR) {
		if (a->end - a->start + 1 != a->duration)
			violation(st, "%s: spans %d days, duration %d", a->ref, a->end - a->start + 1,
			          a->duration);
	} else {
		int worked = 0;

		if (working_day(plan, a->host, a->start) != 1)
			violation(st, "%s: starts on a non-working day of %s", a->ref, a->host);
		if (working_day(plan, a->host, a->end) != 1)
			violation(st, "%s: ends on a non-working day of %s", a->ref, a->host);
		for (coplan_date d = a->start; d <= a->end; d++)
			worked += working_day(plan, a->host, d) == 1;
		if (worked != a->duration)
			violation(st, "%s: spans %d working days of %s, duration %d", a->ref, worked,
			          a->host, a->duration);
	}
	for (size_t b = 0; b < plan->n_blackouts; b++) {
		const coplan_blackout *bo = &plan->blackouts[b];

		if (bo->hard && in_scope(a, bo->scope) && overlaps(a->start, a->end, bo->from, bo->to))
			violation(st, "%s: overlaps hard blackout '%s' of %s", a->ref, bo->reason, bo->scope);
	}
}

size_t plan_check(const coplan_plan *plan, char *first, size_t first_len)
{
	check_state st = { 0, first, first_len };

	if (first && first_len)
		first[0] = '\0';
	for (size_t i = 0; i < plan->n_activities; i++) {
		const coplan_activity *a = &plan->activities[i];

		if (cancelled(a) || fact(a))
			continue;  /* not in the schedule; facts are not judged by their own rules */
		if (placed(a))
			check_activity(&st, plan, a);
		else if (a->end != COPLAN_DATE_NONE)
			violation(&st, "%s: has an end but no start", a->ref);
	}
	/* units: every pair of placed activities sharing a unit must not overlap */
	for (size_t i = 0; i < plan->n_activities; i++) {
		const coplan_activity *a = &plan->activities[i];

		if (!placed(a) || cancelled(a))
			continue;
		for (size_t j = i + 1; j < plan->n_activities; j++) {
			const coplan_activity *b = &plan->activities[j];

			if (!placed(b) || cancelled(b) ||
			    !overlaps(a->start, last_day(a), b->start, last_day(b)))
				continue;
			for (size_t u = 0; u < a->n_units; u++)
				for (size_t v = 0; v < b->n_units; v++)
					if (!strcmp(a->units[u], b->units[v]))
						violation(&st, "unit '%s' in %s and %s on the same day",
						          a->units[u], a->ref, b->ref);
		}
	}
	for (size_t i = 0; i < plan->n_precedences; i++) {
		const coplan_precedence *p = &plan->precedences[i];
		const coplan_activity *before = find(plan, p->before), *after = find(plan, p->after);

		if (!before || !after) {
			violation(&st, "precedence %s before %s names no activity", p->before, p->after);
			continue;
		}
		if (cancelled(before) || cancelled(after) || !placed(after))
			continue;
		if (!placed(before)) {
			/* a fact took place whatever the plan says of its predecessor; AFTER orders placed ones only */
			if (!fact(after) && p->kind != COPLAN_PRECEDENCE_AFTER)
				violation(&st, "%s placed although its predecessor %s is not", after->ref,
				          before->ref);
			continue;
		}
		if (after->start < last_day(before) + 1 + p->min_gap)
			violation(&st, "%s starts %d days after %s ends, at least %d required", after->ref,
			          after->start - last_day(before) - 1, before->ref, p->min_gap);
		if (p->max_gap >= 0 && after->start - last_day(before) - 1 > p->max_gap)
			violation(&st, "%s starts %d days after %s ends, at most %d allowed", after->ref,
			          after->start - last_day(before) - 1, before->ref, p->max_gap);
	}
	return st.count;
}

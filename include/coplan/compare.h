/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/compare.h - what changed between two versions of a cooperation plan. */
#ifndef COPLAN_COMPARE_H
#define COPLAN_COMPARE_H

#include <stddef.h>
#include "coplan/model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	COPLAN_CHANGE_ADDED = 0,   /* in the newer plan only */
	COPLAN_CHANGE_REMOVED,     /* in the older plan only */
	COPLAN_CHANGE_MOVED,       /* same activity, other dates */
	COPLAN_CHANGE_FIELD        /* same activity, another field changed */
} coplan_change_kind;

/* What a change is about: an activity, or a blackout of a nation or a unit. */
typedef enum {
	COPLAN_CHANGE_ACTIVITY = 0,
	COPLAN_CHANGE_BLACKOUT
} coplan_change_subject;

/*
 * One change; all strings are malloc'd UTF-8 owned by the list.  A
 * blackout's change is ADDED or REMOVED (one whose days, kind or reason
 * changed is the old one removed and the new one added): ref is its nation
 * or unit, title "blackout", field "hard blackout" or "soft blackout", and
 * the value (after when added, before when removed) its days and reason
 * ("19–30 Aug 2024: fleet review").
 */
typedef struct {
	coplan_change_kind kind;
	char *ref;
	char *title;           /* the activity's title (the newer one when both exist) */
	char *field;           /* COPLAN_CHANGE_FIELD and MOVED: "dates", "duration", "host", ...; else NULL */
	char *before;          /* the older value as text, or NULL */
	char *after;           /* the newer value as text, or NULL */
	coplan_change_subject subject;
	coplan_date from, to;  /* a blackout's days (inclusive); COPLAN_DATE_NONE for an activity */
} coplan_change;

/*
 * The changes from plan `older` to plan `newer`, activities matched by ref:
 * removed ones (in older's order), then for each activity of newer in its
 * order, added, moved (start or end changed) and one change per other
 * field that differs (title, area, kind, host, participants, units,
 * duration, day mode, window, requested period, location, notes, status);
 * then the blackouts removed and added (matched whole: scope, days, hard
 * or soft, reason), each in its plan's order.
 * *out is the caller's, freed with coplan_changes_free(*out, *n); an
 * empty list (*n == 0) means the plans hold the same activities and blackouts.
 * Errors: COPLAN_ENOMEM.
 */
int coplan_plan_compare(coplan_change **out, size_t *n, const coplan_plan *older,
                        const coplan_plan *newer);

/* Free a list of changes; NULL is a no-op. */
void coplan_changes_free(coplan_change *changes, size_t n);

/*
 * The changes as text lines ("moved    JP-01 ...: 22–25 Aug 2024 → 2–5 Sep 2024")
 * ending with a count line, or as an HTML fragment (a table) when html is 1.
 * *out is malloc'd and the caller's to free(); *len may be NULL.
 * Errors: COPLAN_ENOMEM.
 */
int coplan_changes_format(char **out, size_t *len, const coplan_change *changes, size_t n, int html);

#ifdef __cplusplus
}
#endif
#endif

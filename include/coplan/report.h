/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/report.h - the human summary of a plan, as the command prints it. */
#ifndef COPLAN_REPORT_H
#define COPLAN_REPORT_H

#include <stddef.h>
#include "coplan/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The plan's summary as UTF-8 text lines, e.g.
 *
 *   Cooperation Plan 2024 (ITA–JPN), agreed at the 8th staff talks, 10–11 Jan 2024
 *   28 activities: 11 in Italy, 17 in Japan — 28 scheduled, 0 unplaced
 *
 * followed by one line per unplaced activity with the constraint that
 * stopped it ("  unplaced JP-15 Lessons-learned seminar: <reason>").
 * Host nations are named in the order of the plan's parties (English names
 * from ISO 3166-1), then any other host.  *out is malloc'd, NUL-terminated,
 * and the caller's to free(); *len (may be NULL) gets its length.
 * Errors: COPLAN_ENOMEM.
 */
int coplan_report_summary(char **out, size_t *len, const coplan_plan *plan);

/*
 * A date range in the short form people write: "10–11 Jan 2024",
 * "30 Jan–2 Feb 2024", "30 Dec 2024–3 Jan 2025", "10 Jan 2024" for one day.
 * Writes at most size bytes (NUL included) to buf and returns buf.
 */
char *coplan_report_date_range(char *buf, size_t size, coplan_date from, coplan_date to);

/* Counts of activities by execution status (index: coplan_activity_status). */
typedef struct {
	int section;           /* 0 all, 1 by host nation, 2 by area, 3 by quarter */
	char key[64];          /* "all", the nation, area or quarter ("2024-Q3") counted */
	size_t by_status[5];
	size_t total;
} coplan_execution_row;

/*
 * Plan against execution: how many activities are planned, confirmed,
 * executed, postponed and cancelled, in all and by host nation, by area
 * and by quarter of the planned start.  The planned start is taken from
 * baseline (the signed version) where it holds the activity, else from
 * plan.  Rows are written to *rows (malloc'd, the caller frees) in the
 * order: "all", hosts in the plan's party order, areas alphabetically,
 * quarters in time order ("unscheduled" last); *n gets the count.
 * baseline may be NULL.  Errors: COPLAN_ENOMEM.
 */
int coplan_report_execution_rows(coplan_execution_row **rows, size_t *n, const coplan_plan *plan,
                                 const coplan_plan *baseline);

/*
 * The same as a text table (one line per row, with section headings).
 * *out is malloc'd and the caller's to free(); *len may be NULL.
 * Errors: COPLAN_ENOMEM.
 */
int coplan_report_execution(char **out, size_t *len, const coplan_plan *plan,
                            const coplan_plan *baseline);

#ifdef __cplusplus
}
#endif
#endif

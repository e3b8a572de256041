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

#ifdef __cplusplus
}
#endif
#endif

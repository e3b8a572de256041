/* export_int.h - what the writers of src/export*.c and src/json.c share (private, prefix cp_). */
#ifndef COPLAN_EXPORT_INT_H
#define COPLAN_EXPORT_INT_H

#include <time.h>
#include "coplan/export.h"
#include "buf.h"

/*
 * The activities a writer puts out: those passing the options' host and unit
 * filters, placed ones sorted by start date then ref, then the unplaced ones
 * by ref.  items are borrowed from the plan.  summary counts only these
 * activities (coplan_plan_summarize() on the filtered plan).
 */
typedef struct {
	const coplan_activity **items;
	size_t n;
	size_t n_placed;       /* items[0..n_placed) have a start date */
	coplan_plan_summary summary;
	time_t now;            /* opts->now, or the time the export began (UTC) */
} cp_export_view;

/* 1 if the view holds the activity with ref. */
int cp_export_view_has(const cp_export_view *view, const char *ref);

/* The writers: append the whole document to out.  0 or a negative coplan_error_code. */
int cp_export_markdown(cp_buf *out, const coplan_plan *plan, const cp_export_view *view);
int cp_export_html(cp_buf *out, const coplan_plan *plan, const cp_export_view *view);
int cp_export_json(cp_buf *out, const coplan_plan *plan, const cp_export_view *view);
int cp_export_ics(cp_buf *out, const coplan_plan *plan, const cp_export_view *view);
int cp_export_csv(cp_buf *out, const coplan_plan *plan, const cp_export_view *view,
                  const char *locale);

/* "Italy" for "ITA", or the code itself for a nation the list does not know. */
const char *cp_nation_label(const char *code);

/*
 * Append "N working days" / "1 calendar day" for an activity's duration.
 */
int cp_export_duration(cp_buf *out, const coplan_activity *a);

/* Append "8th" for 8, "21st" for 21 (English ordinal). */
int cp_export_ordinal(cp_buf *out, int n);

#endif

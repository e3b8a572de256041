/* SPDX-License-Identifier: Apache-2.0 */
/* export_int.h - what the writers of src/export*.c and src/json.c share (private, prefix cp_). */
#ifndef COPLAN_EXPORT_INT_H
#define COPLAN_EXPORT_INT_H

#include <time.h>
#include <jansson.h>
#include "coplan/document.h"
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
	const char **refs;     /* the items' refs sorted (strcmp), for cp_export_view_has() */
	size_t n_placed;       /* items[0..n_placed) have a start date */
	coplan_plan_summary summary;
	time_t now;            /* opts->now, or the time the export began (UTC) */
	int whole;             /* 1: no host or unit filter (the talks' sessions belong in it) */
	int unmarked;          /* opts->unmarked */
	const coplan_document_info *info; /* md, html: what the document is, or NULL (borrowed) */
} cp_export_view;

/* 1 if the view holds the activity with ref (a binary search: precedences of 10,000 activities stay linear). */
int cp_export_view_has(const cp_export_view *view, const char *ref);

/* The writers: append the whole document to out.  0 or a negative coplan_error_code. */
int cp_export_markdown(cp_buf *out, const coplan_plan *plan, const cp_export_view *view);
int cp_export_html(cp_buf *out, const coplan_plan *plan, const cp_export_view *view);
int cp_export_json(cp_buf *out, const coplan_plan *plan, const cp_export_view *view);

/*
 * The JSON document cp_export_json() writes, as the jansson tree it dumps
 * (same members, same order).  *out is the caller's (json_decref()); NULL
 * on error.  0 or a negative coplan_error_code.
 */
int cp_export_json_root(json_t **out, const coplan_plan *plan, const cp_export_view *view);

/*
 * The tree of the JSON export of plan under opts (coplan_export()'s
 * COPLAN_FORMAT_JSON, not dumped): what the canonical JSON is made from
 * without writing and reading the document again.  *out is the caller's
 * (json_decref()).  0 or a negative coplan_error_code (COPLAN_EUSAGE for a
 * bad host filter, COPLAN_ENOMEM).
 */
int cp_export_json_tree(json_t **out, const coplan_plan *plan, const coplan_export_options *opts);
int cp_export_ics(cp_buf *out, const coplan_plan *plan, const cp_export_view *view);
int cp_export_csv(cp_buf *out, const coplan_plan *plan, const cp_export_view *view,
                  const char *locale);

/*
 * The CSV export's header for column (its English name: "ref", "title",
 * "host", "start", ...) in locale ("it" Italian, "ja" Japanese, else
 * English); column itself when the CSV has no such column.  Static storage.
 */
const char *cp_export_csv_header(const char *locale, const char *column);

/*
 * The HTML section "Cost" of a plan that records costs (nothing otherwise):
 * totals per currency by host nation, paying nation, area and quarter, and
 * the budgets with their warnings, appended to out.  Errors: COPLAN_ENOMEM,
 * those of coplan_cost_totals().
 */
int cp_export_html_costs(cp_buf *out, const coplan_plan *plan);

/* "Italy" for "ITA", or the code itself for a nation the list does not know. */
const char *cp_nation_label(const char *code);

/*
 * Append "N working days" / "1 calendar day" for an activity's duration.
 */
int cp_export_duration(cp_buf *out, const coplan_activity *a);

/*
 * Append the totals line of a document: "28 activities: 11 in Italy, 17 in
 * Japan", counting cancelled activities apart: "27 activities: 11 in Italy,
 * 16 in Japan; 1 cancelled (Japan)".  Hosts in the summary's order; the
 * first n_nations (the plan's parties) are named even with none, the others
 * only when they host one.  Plain
 * UTF-8 text, not escaped.  Errors: as cp_buf_add().
 */
int cp_export_totals(cp_buf *out, const coplan_plan_summary *s, size_t n_nations);

/* Append "8th" for 8, "21st" for 21 (English ordinal). */
int cp_export_ordinal(cp_buf *out, int n);

/* ---- text the writers put out: UTF-8 checked, characters XML cannot carry replaced ---- */

#define CP_REPLACEMENT_CHAR "\xEF\xBF\xBD"   /* U+FFFD, in UTF-8 */
#define CP_ELLIPSIS "\xE2\x80\xA6"           /* U+2026, in UTF-8 */

/*
 * 1 if XML 1.0 can carry code point c (the Char production, XML 1.0 fifth
 * edition, 2.2): TAB, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD,
 * U+10000-U+10FFFF; so no other C0 control, no surrogate, no U+FFFE/U+FFFF.
 */
int cp_xml_char(long c);

/*
 * Append s[0..n) to out as clean text: every malformed UTF-8 sequence and
 * every character XML 1.0 cannot carry (cp_xml_char()) becomes U+FFFD.
 * Nothing is escaped.  The one rule for every writer of XML, HTML, PDF
 * text, Markdown and CSV.  Errors: as cp_buf_add().
 */
int cp_text_clean(cp_buf *out, const char *s, size_t n);

/* As cp_text_clean() for a NUL-terminated s (NULL is ""). */
int cp_text_puts(cp_buf *out, const char *s);

/* 1 if s (NUL-terminated, NULL is "") is clean text already: cp_text_clean() would copy it unchanged. */
int cp_text_is_clean(const char *s);

/*
 * A clean copy of s (cp_text_clean()), the caller's to free(); NULL for a
 * NULL s, or when out of memory (last error set).
 */
char *cp_text_dup(const char *s);

/*
 * Append s (NULL is "") as clean text of at most max characters (code
 * points): when it is longer it is cut at a character boundary and ends
 * with an ellipsis (U+2026, counted in max).  max 0 appends nothing.
 * Errors: as cp_buf_add().
 */
int cp_text_shorten(cp_buf *out, const char *s, size_t max);

/*
 * Append s (NULL is "") as clean text escaped for XML and HTML content and
 * attribute values: & < > " ' become &amp; &lt; &gt; &quot; &#39;.
 * Errors: as cp_buf_add().
 */
int cp_xml_escape(cp_buf *out, const char *s);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/export.h - writing the plan: Markdown, HTML, JSON, iCalendar. */
#ifndef COPLAN_EXPORT_H
#define COPLAN_EXPORT_H

#include <stddef.h>
#include <time.h>
#include "coplan/document.h"
#include "coplan/model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	COPLAN_FORMAT_MARKDOWN = 0,
	COPLAN_FORMAT_HTML,
	COPLAN_FORMAT_JSON,
	COPLAN_FORMAT_ICS,
	COPLAN_FORMAT_LP,      /* the scheduling problem, CPLEX LP (see coplan_schedule_export_lp()) */
	COPLAN_FORMAT_CSV      /* one row per activity, for Excel in the chosen locale */
} coplan_format;

/* Parse "md"/"markdown", "html", "json", "ics"/"ical", "lp", "csv".  Returns 0 or COPLAN_EUSAGE. */
int coplan_format_parse(coplan_format *out, const char *name);

/* Options common to the writers; zero-initialised is the default. */
typedef struct {
	const char *host;      /* only activities hosted by this nation, or NULL for all */
	const char *unit;      /* only activities this unit takes part in, or NULL */
	time_t now;            /* DTSTAMP and "generated" time (UTC); 0: the current time */
	const char *locale;    /* CSV: "it", "ja", "en-US", ... (NULL: en-GB): the delimiter
	                        * Excel expects there (';' where the decimal mark is a comma)
	                        * and the header names' language (Italian, Japanese, English) */
	int unmarked;          /* JSON: 1 leaves out the document's marking ("label", docs/labels.md),
	                        * as the canonical JSON that seals a plan's content does; 0 (the
	                        * default): marked, and a label that does not parse fails the export */
} coplan_export_options;

/*
 * Write plan in format into a new buffer: *out (NUL-terminated, *len bytes
 * without the NUL) is malloc'd and the caller's to free().  Activities are
 * sorted by start date (unplaced last, by ref).  Nothing is written on
 * error.  Errors: COPLAN_ENOMEM, COPLAN_EINVALID (a plan libical refuses).
 *
 * ICS: RFC 5545: one VCALENDAR, METHOD:PUBLISH; a VEVENT per placed
 * activity with a UID stable across exports, DTSTAMP in UTC, SEQUENCE,
 * all-day DTSTART/DTEND;VALUE=DATE with exclusive DTEND, TEXT escaping,
 * CRLF, lines folded at 75 octets never inside a UTF-8 character.
 *
 * CSV: as Excel reads it: UTF-8 with a byte order mark (so that accents and
 * Japanese come through), CRLF, RFC 4180 quoting (a field holding the
 * delimiter, a quote, CR or LF is quoted, quotes doubled), dates in ISO 8601,
 * the columns coplan's importer reads (so the sheet imports back), plus
 * start, end and status.
 */
int coplan_export(char **out, size_t *len, const coplan_plan *plan, coplan_format format,
                  const coplan_export_options *opts);

/*
 * As coplan_export(), and for md and html with info (NULL: exactly as
 * coplan_export()): the document line (coplan_document_info_line()) under
 * the title, and for html a "DRAFT" mark when the state is draft.  The
 * other formats ignore info.  Errors: as coplan_export().
 */
int coplan_export_ex(char **out, size_t *len, const coplan_plan *plan, coplan_format format,
                     const coplan_export_options *opts, const coplan_document_info *info);

/* Most characters Excel keeps in one cell; a longer text is cut (Excel's specifications and limits). */
#define COPLAN_EXCEL_CELL_CHARS_MAX 32767

/*
 * What Excel will cut: one line per text cell of an activity longer than
 * COPLAN_EXCEL_CELL_CHARS_MAX characters (code points, as coplan cuts; the
 * cells coplan writes: ref, title, area, kind, participants and units
 * joined with "; ", location, notes), naming the activity and the column:
 * "activity 'IT-03': notes of 40000 characters, more than the 32767 an
 * Excel cell holds: cut in the workbook" (csv 1, for the CSV export: "Excel
 * will cut it when it opens the file").  Nothing is cut here; the XLSX
 * writer cuts with an ellipsis, the CSV keeps the whole text.  *out is a
 * malloc'd NUL-terminated text (lines end with "\n") that the caller frees,
 * or NULL when nothing is too long; *count (may be NULL) the number of lines.
 * Errors: COPLAN_ENOMEM.
 */
int coplan_export_excel_warnings(char **out, size_t *count, const coplan_plan *plan,
                                 int csv);

#ifdef __cplusplus
}
#endif
#endif

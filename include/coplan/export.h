/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/export.h - writing the plan: Markdown, HTML, JSON, iCalendar. */
#ifndef COPLAN_EXPORT_H
#define COPLAN_EXPORT_H

#include <stddef.h>
#include <time.h>
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

#ifdef __cplusplus
}
#endif
#endif

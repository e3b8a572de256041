/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/document.h - the documents staffs sign and use: the plan as PDF, a Gantt chart (SVG, PNG), a spreadsheet (XLSX). */
#ifndef COPLAN_DOCUMENT_H
#define COPLAN_DOCUMENT_H

#include <stddef.h>
#include "coplan/compare.h"
#include "coplan/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Every writer here builds the whole document in memory: on success *out is
 * a malloc'd buffer of *len bytes (binary for PNG, PDF and XLSX, UTF-8 XML
 * for SVG; a NUL follows the last byte but is not counted) and the caller
 * frees it with free().  On error *out and *len are left untouched and the
 * last error (coplan_error_last()) says what failed.
 *
 * Text is set with pango in the family "Noto Sans CJK JP", falling back to
 * "Noto Sans" and "DejaVu Sans" (Debian: fonts-noto-cjk), so Japanese and
 * Latin titles render alike.  Hinting is off everywhere, so one plan lays
 * out the same on every surface; the Gantt chart of a given plan and
 * options is byte for byte the same on every run.
 */

/* ---- what a document is: version, state, date of issue, reference ---- */

/* Octets of a document reference, with its NUL: a longer one is an error. */
#define COPLAN_DOCUMENT_REF_LEN 128

/* The reference pattern when none is given: "ITA-JPN-2024-v3". */
#define COPLAN_DOCUMENT_REF_DEFAULT "<series>-<year>-v<N>"

/*
 * What a document of a plan says about itself, printed on every PDF page,
 * at the head of the HTML and Markdown and in the XLSX's title row.
 * version 0 is the plan as it stands, not saved as a version: its state is
 * COPLAN_VERSION_DRAFT and its reference "draft, not saved".  A DRAFT
 * state puts a diagonal "DRAFT" watermark on every PDF page.
 */
typedef struct {
	int version;                        /* the saved version's number (1, 2, ...), or 0: not saved */
	coplan_version_state state;         /* draft, agreed, signed */
	coplan_date issued;                 /* date of issue (UTC date of the save, or of printing), or COPLAN_DATE_NONE */
	char reference[COPLAN_DOCUMENT_REF_LEN]; /* "ITA-JPN-2024-v3", or "" for "draft, not saved" */
	int amendment;                      /* the document is Amendment No. amendment; 0: the plan itself */
} coplan_document_info;

/*
 * The reference of version (>= 1) of plan by pattern (NULL or "":
 * COPLAN_DOCUMENT_REF_DEFAULT) into out (size octets, NUL-terminated):
 * "<series>" becomes the talks' series ("ITA-JPN"), or the plan's nations
 * joined with "-" when it has no talks; "<year>" the plan's year; "<N>" the
 * version number; "<title>" the plan's title; any other text is copied.
 * Errors: COPLAN_EUSAGE (version < 1, an unknown "<...>" placeholder),
 * COPLAN_ELIMIT (longer than size - 1 octets); out is "" then.
 */
int coplan_document_reference(char *out, size_t size, const char *pattern, const coplan_plan *plan,
                              int version);

/*
 * The line a document prints under its title, UTF-8, into *out (malloc'd,
 * the caller frees): "Ref. ITA-JPN-2024-v3 — version 3, SIGNED, issued 12
 * Mar 2024", "Ref. draft, not saved — DRAFT, issued 2 Apr 2024"; with
 * info->amendment N, " — as amended by Amendment No. N" follows.
 * Errors: COPLAN_ENOMEM.
 */
int coplan_document_info_line(char **out, const coplan_document_info *info);

/* What the _ex writers are given besides the plan; zero-initialised (or NULL): the documents as before. */
typedef struct {
	const coplan_document_info *info;   /* NULL: the document says nothing of its version */
	const char *locale;                 /* XLSX: headers in "it", "ja", else English */
	const char *language;               /* PDF: the fixed words (headings, columns, signature
	                                       block, document line) in "en" (NULL), "it" or "ja", from
	                                       the table in data/translations.json; COPLAN_EUSAGE for another */
} coplan_document_options;

/* Limits of the Gantt chart's options. */
#define COPLAN_GANTT_MIN_WIDTH 600      /* pixels */
#define COPLAN_GANTT_MAX_WIDTH 8000     /* pixels */
#define COPLAN_GANTT_DEFAULT_WIDTH 1600 /* pixels */
#define COPLAN_GANTT_MAX_DAYS 1096      /* days shown: three years */
#define COPLAN_GANTT_MAX_HEIGHT 32000   /* pixels: the image grows one row per activity */

/*
 * What the Gantt chart shows; zero-initialised is the default: the plan's
 * year, 1600 pixels wide.
 *
 * The period is either a whole year (from and to both COPLAN_DATE_NONE;
 * year, or the plan's year when 0) or the days from..to inclusive (local
 * dates, both set, at most COPLAN_GANTT_MAX_DAYS).  The chart has one column
 * per calendar month the period touches.
 */
typedef struct {
	int year;          /* 1-9999, or 0 for the plan's year */
	coplan_date from;  /* first day shown, inclusive, or COPLAN_DATE_NONE */
	coplan_date to;    /* last day shown, inclusive, or COPLAN_DATE_NONE */
	int width;         /* pixels (PNG) or SVG user units (px); 0: COPLAN_GANTT_DEFAULT_WIDTH */
} coplan_gantt_options;

/*
 * The size of plan's Gantt chart with opts (NULL: the default): width and
 * height in pixels, as coplan_gantt_png() and coplan_gantt_svg() will
 * produce.  The height grows with the number of activities, blackouts and
 * unplaced activities.  Either pointer may be NULL.
 * Errors: COPLAN_EUSAGE (bad options: width outside
 * COPLAN_GANTT_MIN_WIDTH..COPLAN_GANTT_MAX_WIDTH, one of from/to only, to
 * before from, a period longer than COPLAN_GANTT_MAX_DAYS, no year),
 * COPLAN_ELIMIT (taller than COPLAN_GANTT_MAX_HEIGHT), COPLAN_ENOMEM.
 */
int coplan_gantt_measure(int *width, int *height, const coplan_plan *plan,
                         const coplan_gantt_options *opts);

/*
 * The Gantt chart of plan as SVG 1.1 (cairo's SVG surface): the period by
 * month (month names, week ticks on Mondays), one row per placed activity
 * that overlaps the period (those outside are counted in a line below),
 * sorted by start then ref (label "ref title", ellipsised when too long), a
 * bar per activity coloured by host nation (a fixed colour per party in the
 * plan's order, then other hosts), the public holidays of each party
 * (built-in rules, 1970-2099) as light bands in its colour, blackouts
 * hatched (nation-wide across all rows, a unit's in the rows of activities
 * that use the unit) and numbered, a legend naming the nations and each
 * blackout with its reason, and the unplaced activities listed below.
 * Cairo draws text as glyph outlines; so that the SVG can be searched and
 * read aloud, an overlay of invisible shapes carries each activity, nation
 * and blackout as an SVG <title> (a tooltip in browsers).
 * Sizes in px as coplan_gantt_measure() gives.  Output: see the top of
 * this header.  Errors: as coplan_gantt_measure(), and COPLAN_ERROR when
 * cairo fails.
 */
int coplan_gantt_svg(char **out, size_t *len, const coplan_plan *plan,
                     const coplan_gantt_options *opts);

/*
 * The same chart as a PNG image (8-bit RGBA, opaque white background) of
 * the size coplan_gantt_measure() gives, in pixels.  Output: see the top of
 * this header.  Errors: as coplan_gantt_svg().
 */
int coplan_gantt_png(char **out, size_t *len, const coplan_plan *plan,
                     const coplan_gantt_options *opts);

/*
 * The plan as the PDF document the heads of delegation sign: A4 landscape
 * pages (842 x 595 points) with 36-point margins and "page N of M" at the
 * foot.  In order: the title, the parties ("Italy – Japan"), the talks that
 * adopted the plan ("agreed at the 8th ITA-JPN staff talks, Rome, 10–11 Jan
 * 2024"), totals by host nation ("28 activities: 11 in Italy, 17 in Japan")
 * and by area, the table of activities (No. = ref, title, area, host,
 * period, participants, lead unit; by start date, unplaced last) with its
 * header row repeated on each page and no row split across pages, the
 * signature block (per delegation: "For <nation>", the head's name, native
 * name and post, a signature line, "Date / Place"), and as Annex A the Gantt
 * chart of the plan's year drawn as vectors by the same code as
 * coplan_gantt_svg(), scaled to the page and split over pages by rows
 * when it does not fit.  Output: see the top of this header.
 * Errors: COPLAN_EUSAGE (a plan without a year and with no placed
 * activity), COPLAN_ELIMIT (a cell taller than a page), COPLAN_ENOMEM,
 * COPLAN_ERROR when cairo fails.
 */
int coplan_document_pdf(char **out, size_t *len, const coplan_plan *plan);

/*
 * As coplan_document_pdf(), and with opts->info: under the title the
 * document line (coplan_document_info_line()), the reference and state in
 * every page's footer, and when the state is DRAFT a diagonal "DRAFT"
 * watermark drawn as outlines (not text, so it never mixes into copied
 * text) behind every page.  opts may be NULL.  Errors: as coplan_document_pdf().
 */
int coplan_document_pdf_ex(char **out, size_t *len, const coplan_plan *plan,
                           const coplan_document_options *opts);

/*
 * The plan as an Excel workbook (Office Open XML, .xlsx, by libxlsxwriter).
 * Sheet "Plan": the header row ref, title, area, kind, host, participants,
 * units, duration, mode, start, end, status, location, notes (lists joined
 * with "; "), one row per activity in the plan's order, duration a number
 * (days), start and end Excel date cells (format yyyy-mm-dd; blank while
 * unplaced), an autofilter over the table, the header row frozen, columns
 * sized to their content.  Sheet "Summary": activities by host nation and
 * by area, with the total.  libxlsxwriter writes a file: it goes to a
 * private temporary file in $TMPDIR (else /tmp), read back and removed.
 * Output: see the top of this header.
 * Errors: COPLAN_EIO (the temporary file), COPLAN_ERROR (libxlsxwriter
 * failed; its message is quoted), COPLAN_ENOMEM.
 */
int coplan_export_xlsx(char **out, size_t *len, const coplan_plan *plan);

/*
 * As coplan_export_xlsx(), and with opts (NULL: exactly as that): a title
 * row (plan title and parties), with opts->info the document line in the
 * second row, then the header row in opts->locale's words (the CSV
 * export's headers: "it" Italian, "ja" Japanese, else English; first letter
 * capitalised), the activities below it, the pane frozen under the header
 * and the autofilter over header and activities.  Errors: as
 * coplan_export_xlsx().
 */
int coplan_export_xlsx_ex(char **out, size_t *len, const coplan_plan *plan,
                          const coplan_document_options *opts);

/* ---- the amendment: a document to sign listing what changed ---- */

/*
 * What an amendment document shows; every pointer is borrowed.  plan is the
 * amendment's content (title, parties and the staff talks whose heads sign);
 * info its version, state, date and reference with info->amendment >= 1;
 * plan_reference the reference of the signed version it amends; changes
 * (coplan/compare.h, as coplan_plan_compare() gives them, n_changes) with
 * reasons[i] the reason recorded for changes[i] (NULL: none; reasons may
 * be NULL).
 */
typedef struct {
	const coplan_plan *plan;
	const coplan_document_info *info;
	const char *plan_reference;
	const coplan_change *changes;
	size_t n_changes;
	const char *const *reasons;
	const char *language;      /* the PDF's fixed words: "en" (NULL), "it" or "ja" (data/translations.json) */
} coplan_amendment_document;

/*
 * The amendment as a PDF to sign, A4 landscape like coplan_document_pdf():
 * the title "Amendment No. N to the <plan title>", the parties, "amends
 * <plan_reference>", the document line, the table of changes (No., change:
 * added / removed / moved / changed, activity, what, before, after, reason)
 * with its header on every page, and the signature block of the plan.  A
 * DRAFT state puts the watermark on every page.  Output: see the top of
 * this header.  Errors: COPLAN_EUSAGE (no info or info->amendment < 1),
 * COPLAN_ELIMIT, COPLAN_ENOMEM, COPLAN_ERROR (cairo).
 */
int coplan_amendment_pdf(char **out, size_t *len, const coplan_amendment_document *doc);

/*
 * The same document as HTML5 (UTF-8, NUL-terminated): the same title, lines,
 * table and signature block.  Errors: COPLAN_EUSAGE as above, COPLAN_ENOMEM.
 */
int coplan_amendment_html(char **out, size_t *len, const coplan_amendment_document *doc);

/*
 * Release the caches that pango, cairo and fontconfig keep for the whole
 * process (font maps, glyph caches, the font configuration), so that a leak
 * checker at exit sees nothing.  Call it once, at the end, when no thread
 * is making a document; a writer called afterwards still works (the caches
 * are rebuilt).  Never fails.
 */
void coplan_document_shutdown(void);

#ifdef __cplusplus
}
#endif
#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/import.h - reading proposals and plans: CSV as Excel writes it, JSON. */
#ifndef COPLAN_IMPORT_H
#define COPLAN_IMPORT_H

#include <stddef.h>
#include "coplan/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest input file the readers accept, in bytes; a larger one is COPLAN_ELIMIT. */
#define COPLAN_IMPORT_MAX_BYTES (64u * 1024u * 1024u)

/* How to read a CSV file.  Zero-initialised means: detect everything. */
typedef struct {
	const char *encoding;  /* NULL: detect; or "UTF-8", "CP932", "WINDOWS-1252" (any iconv name) */
	char delimiter;        /* 0: detect (Excel's "sep=" line, else the header); or ',' ';' '\t' */
	const char *locale;    /* NULL: "en-GB"; "it", "ja", "en-US"...: date order and decimal mark */
	const char *header_map;/* NULL, or a CSV file of "header,field" rows: more column names
	                        * for the activity fields, e.g. "Esercitazione,title" (docs/import.md) */
	int update;            /* 1: a row whose ref the plan has already replaces that activity's
	                        * proposal (every column of the sheet; its place, status, pin and
	                        * identity stay, its predecessors become the row's "after"); 0: such
	                        * a row is an error */
} coplan_csv_options;

/* One record of a CSV file, decoded to UTF-8. */
typedef struct {
	char **fields;
	size_t n_fields;
	size_t line;           /* physical line (1-based) on which the record starts */
} coplan_csv_record;

/* Most warnings one read or import keeps; each at most COPLAN_IMPORT_WARNING_LEN bytes with its NUL. */
#define COPLAN_IMPORT_MAX_WARNINGS 8
#define COPLAN_IMPORT_WARNING_LEN 256

/* A whole CSV file: records and what was decided about the file. */
typedef struct {
	coplan_csv_record *records;
	size_t n_records;
	char delimiter;        /* as detected or given */
	char encoding[24];     /* as detected or given: "UTF-8", "UTF-8 (BOM)", "CP932", ... */
	/* what the reader decided that the caller should tell the user, in English:
	 * "3 empty trailing columns (J to L) dropped" */
	char warnings[COPLAN_IMPORT_MAX_WARNINGS][COPLAN_IMPORT_WARNING_LEN];
	size_t n_warnings;
} coplan_csv_table;

/*
 * Read the CSV bytes data[0..len) (RFC 4180 through libcsv; CR, LF or CRLF
 * line ends; quoted fields with line breaks and doubled quotes; a leading
 * BOM and an Excel "sep=X" line are consumed, not returned).  name is used
 * in error messages ("file:line:col: ...").  *out is the caller's, freed with
 * coplan_csv_table_free().  Encoding and delimiter detection: docs/import.md.
 * Trailing columns that are empty in every record, the header included (Excel
 * keeps columns that once held data), are dropped with a warning in
 * table->warnings; a trailing column with any value is kept.
 * Errors: COPLAN_EINVALID (undecodable bytes, a broken quote, a NUL), COPLAN_ELIMIT,
 * COPLAN_ENOMEM, COPLAN_EUSAGE (an unknown encoding or a bad delimiter given).
 */
int coplan_csv_parse(coplan_csv_table **out, const char *name, const char *data, size_t len,
                     const coplan_csv_options *opts);

/* As coplan_csv_parse(), reading the file at path.  Also COPLAN_EIO. */
int coplan_csv_read_file(coplan_csv_table **out, const char *path, const coplan_csv_options *opts);

/* Free a table; NULL is a no-op. */
void coplan_csv_table_free(coplan_csv_table *table);

/*
 * Import the activity proposals of the CSV file at path into plan.  The
 * header row names the columns (English, Italian or Japanese names; see
 * docs/import.md).  All or nothing: on any error plan is left exactly as it
 * was and the last error names file, line, column and the expected form.
 * *n_imported (may be NULL) receives the count.
 * Errors: COPLAN_EINVALID, COPLAN_EIO, COPLAN_ELIMIT, COPLAN_ENOMEM, COPLAN_EUSAGE
 * (an unknown locale or encoding given).
 */
int coplan_import_activities_csv(coplan_plan *plan, const char *path,
                                 const coplan_csv_options *opts, size_t *n_imported);

/*
 * What an import decided about its file and what it did, for the caller to
 * print ("read 28 rows as CP932, delimiter ',', locale ja: 28 imported").
 * Filled as far as the import got: on an error the decided encoding and
 * delimiter are still there when the file could be read as CSV, and
 * rows_imported is 0.
 */
typedef struct {
	char encoding[24];     /* as coplan_csv_table.encoding; "" if not yet decided */
	char delimiter;        /* as coplan_csv_table.delimiter; 0 if not yet decided */
	char locale[16];       /* the locale dates and numbers were read in: "en-GB" if none given */
	size_t rows_read;      /* data rows read: the header and empty rows not counted */
	size_t rows_imported;  /* activities added to the plan (0 on any error) */
	size_t precedences_imported; /* precedences added from the "after" column */
	size_t rows_updated;   /* of rows_imported, those that replaced an activity of the plan (update) */
	/* what was decided for the user to hear (the reader's, then the import's), in
	 * English: trailing columns dropped, the order of day and month chosen */
	char warnings[COPLAN_IMPORT_MAX_WARNINGS][COPLAN_IMPORT_WARNING_LEN];
	size_t n_warnings;
} coplan_import_report;

/*
 * The costs of activities already in plan from the CSV file at path (a
 * plan folder's costs.csv; the finance office's sheet): a header row with
 * ref and any of cost_estimate, cost_actual, currency, paid_by,
 * funding_line (as the activities sheet names them; letter case and spaces
 * aside), one row per activity, its cost fields read as
 * coplan_service_activity_edit() reads them (amounts with '.' or ',' as
 * the decimal mark, no grouping).  A column left out or a cell left empty
 * leaves that field as it was.  All or nothing: on any error plan is left
 * as it was and the last error names file:line:col (an unknown ref, a
 * column, a currency, an amount, a payer).  *n_rows (may be NULL) gets the
 * activities changed.  Errors: COPLAN_EINVALID, COPLAN_EIO, COPLAN_ELIMIT,
 * COPLAN_ENOMEM, COPLAN_EUSAGE (as for the activities sheet).
 */
int coplan_import_costs_csv(coplan_plan *plan, const char *path, const coplan_csv_options *opts,
                            size_t *n_rows);

/*
 * As coplan_import_activities_csv(), filling *report (may be NULL; the
 * caller's storage) with what was decided and done.  Same errors.
 */
int coplan_import_activities_csv_report(coplan_plan *plan, const char *path,
                                        const coplan_csv_options *opts,
                                        coplan_import_report *report);

/*
 * As coplan_import_activities_csv_report() for the bytes data[0..len) of a
 * sheet named name (an upload: name is used in messages as the file).
 * Same errors; COPLAN_EUSAGE without data.
 */
int coplan_import_activities_csv_buffer(coplan_plan *plan, const char *name, const char *data,
                                        size_t len, const coplan_csv_options *opts,
                                        coplan_import_report *report);

/*
 * Text dates and numbers as spreadsheets write them, read in a locale
 * ("it", "ja", "en-GB", "en-US", ...; NULL means "en-GB"; "it_IT.UTF-8"
 * style names are accepted).  The locale decides only what the text cannot:
 * the order of day and month in "10/01/2024" (month first in en-US only)
 * and the decimal mark of numbers (comma in it, de, fr, es, ...).
 * Leading and trailing spaces and full-width digits are allowed.
 *
 * coplan_parse_date_text() accepts: ISO 8601 "2024-01-10"; "10/01/2024"
 * (day first, month first in en-US); "10.01.2024" and "10-01-2024" (day
 * first); "2024/01/10" and "2024.01.10"; Japanese "2024年1月10日"; Japanese
 * era dates "令和6年1月10日", "令和元年5月1日", "R6.1.10" (Reiwa from
 * 2019-05-01, Heisei 1989-01-08..2019-04-30, Showa 1926-12-25..1989-01-07;
 * a date outside its era is an error); Excel serial day numbers of the 1900
 * date system from 10000 ("45301" is 2024-01-10; Excel's fictitious
 * 1900-02-29 is serial 60).  Years have four digits.  A day that does not
 * exist or a form that stays ambiguous is COPLAN_EINVALID, never a guess;
 * an unknown locale is COPLAN_EUSAGE.  The last error quotes the text.
 * *out is a local (time-zone-free) date, untouched on error.
 */
int coplan_parse_date_text(coplan_date *out, const char *text, const char *locale);

/*
 * A period as a requested-period cell writes it: a date (from = to), a
 * month ("2024-05", "05/2024", "5.2024", "2024年5月": its first to last
 * day) or a range of these ("2024-05-06..2024-05-17", ISO 8601
 * "2024-05-06/2024-05-17", "2024年5月6日～2024年5月17日"; the range runs
 * from the first day of its start to the last day of its end).  Inclusive
 * local dates.  Errors as coplan_parse_date_text(), and COPLAN_EINVALID
 * for a range that ends before it starts.  *from and *to untouched on error.
 */
int coplan_parse_period_text(coplan_date *from, coplan_date *to, const char *text,
                             const char *locale);

/*
 * A number as the locale writes it: "1.299,99" in it is 1299.99 (dot groups
 * thousands, comma is the decimal mark), "1,299.99" in en and ja; plain
 * integers and decimals ("12", "-3", "0,5" in it); group separators must
 * group by three.  Errors: COPLAN_EINVALID quoting the text, COPLAN_EUSAGE
 * for an unknown locale.  *out untouched on error.
 */
int coplan_parse_number_text(double *out, const char *text, const char *locale);

/*
 * Read a plan document in coplan's JSON format (docs/json-format.md: plan,
 * staff talks, blackouts, activities, precedences) from path into a new
 * plan *out, freed by the caller with coplan_plan_free().  Errors name the
 * file and the JSON line and column: COPLAN_EINVALID, COPLAN_EIO, COPLAN_ENOMEM.
 */
int coplan_import_plan_json(coplan_plan **out, const char *path);

/*
 * As coplan_import_plan_json(), from the len bytes at data; name stands
 * for the source in error messages.  Errors: COPLAN_EINVALID, COPLAN_ELIMIT,
 * COPLAN_ENOMEM.
 */
int coplan_import_plan_json_buffer(coplan_plan **out, const char *name, const char *data,
                                   size_t len);


/*
 * Excel workbooks (.xlsx, ECMA-376 Office Open XML): limits of one read.
 * The file itself is limited to COPLAN_IMPORT_MAX_BYTES; what it expands
 * to is limited per XML part and in all, so that a zip bomb is refused
 * (COPLAN_ELIMIT) before it fills memory.  Cells count the empty cells
 * that fill gaps before a cell of a row.
 */
#define COPLAN_XLSX_MAX_PART_BYTES (256u * 1024u * 1024u)
#define COPLAN_XLSX_MAX_TOTAL_BYTES (512u * 1024u * 1024u)
#define COPLAN_XLSX_MAX_CELLS (4u * 1024u * 1024u)
#define COPLAN_XLSX_MAX_STRINGS (1024u * 1024u)

/*
 * Read the cells of one sheet of the .xlsx workbook at path (sheet NULL:
 * the first sheet in tab order; else the sheet of that exact name) into a
 * table like the one coplan_csv_parse() gives: one record per row that has
 * a value, record.line the sheet's row number (1-based), field i the cell
 * of column i+1 (columns before a row's last value that have none are "";
 * a row ends at its last value).  Cell values as UTF-8 text: strings as
 * written (shared, inline and rich text runs joined; Japanese phonetic
 * readings left out); numbers as the shortest decimal that reads back
 * exactly ("3", "0.1", "1e-05"); a number shown with a date format (the
 * built-in date formats and custom ones with d, m or y, not times alone) as
 * the ISO 8601 date "2024-03-15" (with "T10:30:00" when it has a time of
 * day; the 1900 and 1904 date systems); booleans "TRUE" / "FALSE"; error
 * values as shown ("#N/A"); a formula as its cached value.
 * table->encoding is "XLSX", table->delimiter 0.  *out is the caller's,
 * freed with coplan_csv_table_free(); *sheet_out (may be NULL) receives the
 * name of the sheet read, freed by the caller with free().
 * Errors name the file and, for a cell, "file:Sheet!C7": COPLAN_EINVALID
 * (not a zip, no workbook, a bad part or cell), COPLAN_ENOTFOUND (no sheet
 * of that name; the message lists the sheets), COPLAN_ELIMIT (the limits
 * above), COPLAN_EIO, COPLAN_ENOMEM.
 */
int coplan_xlsx_read_file(coplan_csv_table **out, char **sheet_out, const char *path,
                          const char *sheet);

/* As coplan_xlsx_read_file(), from the len bytes at data (borrowed); name stands for the file. */
int coplan_xlsx_read_buffer(coplan_csv_table **out, char **sheet_out, const char *name,
                            const void *data, size_t len, const char *sheet);

/*
 * Import the activity proposals of one sheet of the .xlsx workbook at path
 * (sheet NULL: the first) into plan, exactly as the CSV import does (same
 * columns, lists, checks; docs/import.md), all or nothing.  Of opts (may be
 * NULL) only locale is used: for dates and numbers typed as text; date
 * cells arrive as ISO dates whatever the locale.  Errors name the cell:
 * "activities.xlsx:Plan!C7: unknown host nation 'ITL' (expected ISO 3166-1
 * alpha-3, e.g. ITA)"; a header fault names the row ("Plan!1:1").  report
 * (may be NULL) as for CSV, encoding "XLSX" and delimiter 0.  Errors as
 * coplan_xlsx_read_file() and coplan_import_activities_csv().
 */
int coplan_import_activities_xlsx(coplan_plan *plan, const char *path, const char *sheet,
                                  const coplan_csv_options *opts,
                                  coplan_import_report *report);

/*
 * As coplan_import_activities_xlsx() for the bytes data[0..len) of a
 * workbook named name (an upload).  Same errors; COPLAN_EUSAGE without data.
 */
int coplan_import_activities_xlsx_buffer(coplan_plan *plan, const char *name, const char *data,
                                         size_t len, const char *sheet,
                                         const coplan_csv_options *opts,
                                         coplan_import_report *report);

#ifdef __cplusplus
}
#endif
#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* xlsx_priv.h - the XLSX reader's limits and the table importer the CSV and XLSX paths share. */
#ifndef COPLAN_XLSX_PRIV_H
#define COPLAN_XLSX_PRIV_H

#include <stddef.h>
#include "coplan/import.h"

/*
 * What one read of a workbook may cost.  cp_xlsx_default_limits() gives the
 * documented COPLAN_XLSX_MAX_* values; tests lower them to try the checks
 * without building huge files.
 */
typedef struct {
	size_t file_bytes;     /* the .xlsx file itself (compressed) */
	size_t part_bytes;     /* one XML part, uncompressed */
	size_t total_bytes;    /* all parts read, uncompressed */
	size_t cells;          /* cells of the table, gaps filled with empty cells counted */
	size_t strings;        /* shared strings */
} cp_xlsx_limits;

void cp_xlsx_default_limits(cp_xlsx_limits *lim);

/*
 * coplan_xlsx_read_buffer() with explicit limits (lim NULL: the defaults).
 * Same ownership and errors.
 */
int cp_xlsx_read(coplan_csv_table **out, char **sheet_out, const char *name, const void *data,
                 size_t len, const char *sheet, const cp_xlsx_limits *lim);

/*
 * Import the activity proposals of table (records as coplan_csv_parse() or
 * coplan_xlsx_read_file() give them) into plan, all or nothing, as
 * coplan_import_activities_csv_report() describes.  name is the file for
 * messages; sheet NULL means positions are "name:line:col" (CSV), else
 * "name:Sheet!C7" with record.line the sheet row and field i column i+1.
 * The header cells of table are trimmed in place.  locale NULL: "en-GB".
 * report (may be NULL) is filled except encoding and delimiter.  header_map
 * (may be NULL) is a CSV file of extra "header,field" names.  update: as
 * coplan_csv_options.update.
 */
int cp_import_activities_table(coplan_plan *plan, const char *name, const char *sheet,
                               coplan_csv_table *table, const char *locale,
                               const char *header_map, int update, coplan_import_report *report);

/*
 * Whether a number format code shows a date: it has a date token (d, y, m as
 * month, e and g Japanese era, b Buddhist year, aaa and nn weekday, q, w)
 * outside "quoted text", \\ _ * escapes and [brackets], in its first section
 * (positive numbers).  m counts as minutes when h or s (or [h], [m], [s]
 * elapsed time) is in the section.  "General", "0.00E+00" (scientific) and
 * "AM/PM" are no date.  The id of a format never decides: LibreOffice gives
 * "General" the id 164 (ECMA-376 Part 1, 18.8.30-31; LibreOffice help,
 * "Number Format Codes").  code NULL: 0.  Times of day alone are not dates
 * (they are read as numbers, fractions of a day).
 */
int cp_xlsx_format_is_date(const char *code);

/*
 * The code of built-in number format id (ECMA-376 Part 1, 18.8.30: 0 "General",
 * 14 "mm-dd-yy", 22 "m/d/yy h:mm", 49 "@"; for the East Asian ids 27-36 and
 * 50-58 the codes of Japanese Excel), a static string; NULL for an id with no
 * fixed code (5-8, 41-44 depend on the locale; 164 and above belong to the
 * workbook).
 */
const char *cp_xlsx_builtin_format(long id);

/* The Excel column letters of 1-based column col ("A", "Z", "AA", "XFD") into buf (>= 8 bytes). */
char *cp_xlsx_column_name(size_t col, char *buf);

/*
 * A cell's position as Excel writes it, into buf: "Plan!C7"; "'My plan'!C7"
 * for a sheet name that needs quotes; "Plan!7:7" (the whole row) for col 0;
 * "Plan" for row 0.  Returns buf.
 */
char *cp_xlsx_cell_ref(char *buf, size_t size, const char *sheet, size_t row, size_t col);

#endif

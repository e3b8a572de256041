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
 * (may be NULL) is a CSV file of extra "header,field" names.
 */
int cp_import_activities_table(coplan_plan *plan, const char *name, const char *sheet,
                               coplan_csv_table *table, const char *locale,
                               const char *header_map, coplan_import_report *report);

/* The Excel column letters of 1-based column col ("A", "Z", "AA", "XFD") into buf (>= 8 bytes). */
char *cp_xlsx_column_name(size_t col, char *buf);

/*
 * A cell's position as Excel writes it, into buf: "Plan!C7"; "'My plan'!C7"
 * for a sheet name that needs quotes; "Plan!7:7" (the whole row) for col 0;
 * "Plan" for row 0.  Returns buf.
 */
char *cp_xlsx_cell_ref(char *buf, size_t size, const char *sheet, size_t row, size_t col);

#endif

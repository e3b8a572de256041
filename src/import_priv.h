/* SPDX-License-Identifier: Apache-2.0 */
/* import_priv.h - helpers shared by the CSV reader, the text-date parser and the importer. */
#ifndef COPLAN_IMPORT_PRIV_H
#define COPLAN_IMPORT_PRIV_H

#include <stddef.h>
#include "coplan/import.h"
#include "common.h"

/*
 * Line and column (both 1-based; columns count characters, a CRLF is one
 * line break) of byte offset in the UTF-8 text[0..len).
 */
void cp_text_position(const char *text, size_t len, size_t offset, size_t *line, size_t *col);

/*
 * Add a warning (printf-style, English, no file name: the caller prints it
 * after the file's) to t->warnings; beyond COPLAN_IMPORT_MAX_WARNINGS it is
 * dropped.
 */
void cp_csv_warn(coplan_csv_table *t, const char *fmt, ...) CP_PRINTF(2, 3);

/*
 * The decimal mark of locale ("it", "en-GB", ...; NULL is en-GB): '.' or ','
 * into *decimal.  Returns 0, or COPLAN_EUSAGE for a locale coplan does not know.
 */
int cp_locale_decimal_mark(const char *locale, char *decimal);

#endif

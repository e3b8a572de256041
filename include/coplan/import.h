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
} coplan_csv_options;

/* One record of a CSV file, decoded to UTF-8. */
typedef struct {
	char **fields;
	size_t n_fields;
	size_t line;           /* physical line (1-based) on which the record starts */
} coplan_csv_record;

/* A whole CSV file: records and what was decided about the file. */
typedef struct {
	coplan_csv_record *records;
	size_t n_records;
	char delimiter;        /* as detected or given */
	char encoding[24];     /* as detected or given: "UTF-8", "UTF-8 (BOM)", "CP932", ... */
} coplan_csv_table;

/*
 * Read the CSV bytes data[0..len) (RFC 4180 through libcsv; CR, LF or CRLF
 * line ends; quoted fields with line breaks and doubled quotes; a leading
 * BOM and an Excel "sep=X" line are consumed, not returned).  name is used
 * in error messages ("file:line:col: ...").  *out is the caller's, freed with
 * coplan_csv_table_free().  Errors: COPLAN_EINVALID (undecodable bytes, a
 * broken quote), COPLAN_ELIMIT, COPLAN_ENOMEM.
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
 * Errors: COPLAN_EINVALID, COPLAN_EIO, COPLAN_ELIMIT, COPLAN_ENOMEM.
 */
int coplan_import_activities_csv(coplan_plan *plan, const char *path,
                                 const coplan_csv_options *opts, size_t *n_imported);

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

#ifdef __cplusplus
}
#endif
#endif

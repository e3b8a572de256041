/* SPDX-License-Identifier: Apache-2.0 */
/* cli.h - what the subcommands of the coplan command share. */
#ifndef COPLAN_CLI_H
#define COPLAN_CLI_H

#include <stdio.h>
#include "coplan/coplan.h"

/* Exit statuses: 0 done, 1 bad input or a failure, 2 bad usage. */
#define CLI_OK 0
#define CLI_FAIL 1
#define CLI_USAGE 2

/* One subcommand: the table in main.c lists them all. */
typedef struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} cli_command;

/* Each subcommand lives in src/cli/cmd_<name>.c; argv[0] is the subcommand's name. */
int cmd_init(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_schedule(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_holidays(int argc, char **argv);
int cmd_calendar(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_activity(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_talks(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_suggest(int argc, char **argv);
int cmd_blackout(int argc, char **argv);
int cmd_budget(int argc, char **argv);
int cmd_rate(int argc, char **argv);
int cmd_amend(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_keys(int argc, char **argv);
int cmd_bundle(int argc, char **argv);
int cmd_merge(int argc, char **argv);

/* The subcommand table (main.c) and its length. */
extern const cli_command cli_commands[];
extern const size_t cli_n_commands;

/*
 * The database path: the global --db option if given, else the environment
 * variable COPLAN_DB if set and not empty, else "./coplan.db".  Borrowed.
 */
const char *cli_db_path(void);

/* Set by main.c from the global --db option. */
void cli_set_db_path(const char *path);

/* Set by main.c from the global --busy-timeout option (milliseconds, >= 0). */
void cli_set_busy_timeout(long ms);

/*
 * The busy timeout in milliseconds into *ms: --busy-timeout if given, else
 * $COPLAN_BUSY_TIMEOUT if set and not empty, else
 * COPLAN_STORE_BUSY_TIMEOUT_MS.  0, or CLI_USAGE (printed) for a bad value
 * in the environment.  Every store the command opens takes it.
 */
int cli_busy_timeout(long *ms);

/*
 * Print "coplan: error: <coplan_error_last()>" (or the code's description
 * when no message is set) to stderr and return the exit status for code.
 */
int cli_error(int code);

/*
 * Print "coplan: error: <message>" to stderr; return CLI_FAIL (exit 1): for a
 * value the command was given that is bad input (a date that does not exist,
 * an unknown nation), as opposed to bad usage (an unknown option, a missing
 * argument: cli_usage_error(), exit 2).
 */
int cli_input_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* one when n is 1, else many: "1 holiday", "2 holidays" (static strings, the caller's). */
const char *cli_plural(size_t n, const char *one, const char *many);

/* Print "coplan CMD: <message>" and the usage line to stderr; return CLI_USAGE. */
int cli_usage_error(const char *usage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * 1 if argv holds -h or --help before any "--", in which case the caller
 * prints its help to stdout and returns CLI_OK.
 */
int cli_wants_help(int argc, char **argv);

/*
 * Write n bytes to path atomically (temporary file and rename), or to
 * standard output when path is NULL or "-".  Returns 0 or an error code
 * (already printed).
 */
int cli_write_output(const char *path, const char *data, size_t n);

/*
 * The request context of one command: open the store at cli_db_path()
 * (existing: one that must exist, as every command but init, import and
 * plan needs; a read-only one opens for reading), the acting user author
 * (NULL: cli_default_author()), and, unless quiet, a progress line on
 * standard error when it is a terminal, from the first second of a search
 * (time_limit is no longer used: any search may run that long).  On
 * failure prints the error and returns its exit status; else 0.  Released
 * with cli_ctx_release().
 */
int cli_ctx_open(coplan_ctx *ctx, int existing, const char *author, double time_limit, int quiet);

/* As cli_ctx_open() for an existing database named db rather than cli_db_path(). */
int cli_ctx_open_db(coplan_ctx *ctx, const char *db);

/* Close the context's store; ends a progress line that was drawn. */
void cli_ctx_release(coplan_ctx *ctx);

/* Print the warnings of host nations without a holiday calendar (coplan_schedule_result and the like). */
void cli_warn_calendars(char **nations, size_t n);

/*
 * Read the CSV options --encoding, --delimiter and --locale into *opts;
 * returns 0, or CLI_USAGE after printing the error.
 */
int cli_csv_option(coplan_csv_options *opts, int opt, const char *arg, const char *usage);

/*
 * Print to standard error what an import decided about its file:
 * "activities.csv: UTF-8, delimiter ',', locale en-GB: 28 rows, 28 activities, 2 precedences".
 */
void cli_print_import_report(const char *path, const coplan_import_report *report);


/* Warn on stderr of every cell Excel will cut (coplan_export_excel_warnings()); csv 1 for CSV, 0 XLSX. */
void cli_warn_excel_cells(const coplan_plan *plan, int csv);

/* As cli_warn_excel_cells() for plan plan_id of ctx's store, when format is csv or xlsx. */
void cli_warn_excel_format(const coplan_ctx *ctx, long plan_id, const char *format);

/* A nation code as typed ("jpn") in the form the model uses ("JPN"), in place; returns arg. */
char *cli_nation_arg(char *arg);

/* Who records a change: $COPLAN_AUTHOR, else the login name, else "unknown"; borrowed. */
const char *cli_default_author(void);

/* Parse --plan ID into *plan_id: 0, or CLI_USAGE after printing the error. */
int cli_plan_option(const char *arg, long *plan_id, const char *usage);

/* Parse --time-limit ('t', seconds) or --seed ('s'): 0, or CLI_USAGE after printing the error. */
int cli_schedule_option(int opt, const char *arg, double *time_limit, long *seed, const char *usage);

/* Parse --format text|json for a listing into *json (0 text, 1 json): 0, or CLI_USAGE after printing the error. */
int cli_listing_format(const char *arg, int *json, const char *usage);

/* Print each line of warnings (may be NULL) to stderr as "coplan: warning: LINE", and free it. */
void cli_print_warnings(char *warnings);

/* When rc is 0, print text (a listing as JSON) to standard output; free it; return rc or the print's failure. */
int cli_print_json(int rc, char *text);

/* Parse a non-negative decimal integer option value; 0 or -1 on a bad value. */
int cli_parse_long(const char *text, long min, long max, long *out);

#endif

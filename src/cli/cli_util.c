/* SPDX-License-Identifier: Apache-2.0 */
/* cli_util.c - helpers the subcommands share: database path, errors, output files. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../buf.h"

static const char *global_db_path;
static long global_busy_timeout = -1;

void cli_set_busy_timeout(long ms)
{
	global_busy_timeout = ms;
}

int cli_busy_timeout(long *ms)
{
	const char *env = getenv("COPLAN_BUSY_TIMEOUT");

	if (global_busy_timeout >= 0) {
		*ms = global_busy_timeout;
		return 0;
	}
	*ms = COPLAN_STORE_BUSY_TIMEOUT_MS;
	if (!env || !*env)
		return 0;
	if (cli_parse_long(env, 0, INT_MAX, ms)) {
		fprintf(stderr, "coplan: COPLAN_BUSY_TIMEOUT='%s' is not a number of milliseconds\n", env);
		return CLI_USAGE;
	}
	return 0;
}

/* The store just opened takes the busy timeout asked for. */
static int apply_busy_timeout(coplan_store *store)
{
	long ms;
	int rc = cli_busy_timeout(&ms);

	if (!rc)
		coplan_store_set_busy_timeout(store, (int)ms);
	return rc;
}

void cli_set_db_path(const char *path)
{
	global_db_path = path;
}

const char *cli_db_path(void)
{
	const char *env;

	if (global_db_path)
		return global_db_path;
	env = getenv("COPLAN_DB");
	if (env && *env)
		return env;
	return "coplan.db";
}

int cli_error(int code)
{
	const char *msg = coplan_error_last();

	fprintf(stderr, "coplan: error: %s\n", *msg ? msg : coplan_error_str(code));
	return coplan_error_exit_status(code);
}

const char *cli_plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

int cli_input_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "coplan: error: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_FAIL;
}

int cli_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "coplan: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: %s\n", usage);
	return CLI_USAGE;
}

int cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return 1;
	}
	return 0;
}

int cli_write_output(const char *path, const char *data, size_t n)
{
	int rc;

	if (!path || !strcmp(path, "-")) {
		if (fwrite(data, 1, n, stdout) != n || fflush(stdout) != 0) {
			fprintf(stderr, "coplan: error: cannot write to standard output: %s\n",
			        strerror(errno));
			return COPLAN_EIO;
		}
		return 0;
	}
	rc = cp_write_file_atomic(path, data, n);
	if (rc)
		cli_error(rc);
	else
		fprintf(stderr, "wrote %s\n", path); /* standard output stays the data */
	return rc;
}

int cli_parse_long(const char *text, long min, long max, long *out)
{
	char *end;
	long v;

	if (!text || !*text)
		return -1;
	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int cli_csv_option(coplan_csv_options *opts, int opt, const char *arg, const char *usage)
{
	switch (opt) {
	case 'E':
		opts->encoding = arg;
		return 0;
	case 'L':
		opts->locale = arg;
		return 0;
	case 'D':
		if (!strcmp(arg, ",") || !strcmp(arg, "comma"))
			opts->delimiter = ',';
		else if (!strcmp(arg, ";") || !strcmp(arg, "semicolon"))
			opts->delimiter = ';';
		else if (!strcmp(arg, "\t") || !strcmp(arg, "\\t") || !strcmp(arg, "tab"))
			opts->delimiter = '\t';
		else
			return cli_usage_error(usage, "--delimiter takes ',', ';' or tab, got '%s'", arg);
		return 0;
	}
	return cli_usage_error(usage, "unknown option");
}

void cli_print_import_report(const char *path, const coplan_import_report *r)
{
#define N(n, one, many) (n), (n) == 1 ? (one) : (many)
	for (size_t i = 0; i < r->n_warnings; i++)
		fprintf(stderr, "%s: warning: %s\n", path, r->warnings[i]);
	if (!r->encoding[0])
		return;
	if (!r->delimiter) {
		/* a workbook: no encoding or delimiter to decide */
		fprintf(stderr, "%s: %s, locale %s: %zu %s, %zu %s, %zu %s\n", path, r->encoding,
		        r->locale, N(r->rows_read, "row", "rows"),
		        N(r->rows_imported, "activity", "activities"),
		        N(r->precedences_imported, "precedence", "precedences"));
		return;
	}
	fprintf(stderr, "%s: %s, delimiter '%s', locale %s: %zu %s, %zu %s, %zu %s\n",
	        path, r->encoding, r->delimiter == '\t' ? "TAB" : (char[]){ r->delimiter, 0 },
	        r->locale, N(r->rows_read, "row", "rows"),
	        N(r->rows_imported, "activity", "activities"),
	        N(r->precedences_imported, "precedence", "precedences"));
#undef N
}

void cli_warn_excel_cells(const coplan_plan *plan, int csv)
{
	char *text = NULL;

	if (coplan_export_excel_warnings(&text, NULL, plan, csv) != 0) {
		free(text);
		text = NULL;
	}
	cli_print_warnings(text);
}

void cli_warn_excel_format(const coplan_ctx *ctx, long plan_id, const char *format)
{
	int csv = !strcmp(format, "csv");
	coplan_plan *plan = NULL;

	if (!csv && strcmp(format, "xlsx"))
		return;
	if (coplan_service_load(ctx, plan_id, &plan, NULL) == 0)
		cli_warn_excel_cells(plan, csv);
	coplan_plan_free(plan);
}

void cli_warn_calendars(char **nations, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "coplan: warning: no holiday calendar for %s: its activities are "
		        "kept off weekends only; import its holidays with 'coplan import "
		        "%s.ics --nation %s'\n", nations[i], nations[i], nations[i]);
}

/* Set when a progress line was drawn, so that the next output starts on a line of its own. */
static int progress_drawn;

/*
 * The progress line on a terminal: elapsed seconds, the best score so far
 * and its unplaced count, redrawn in place; only once the search has run
 * for a second, so that a quick command prints nothing more.
 */
static void progress(const coplan_score *best, double elapsed, void *payload)
{
	(void)payload;
	if (elapsed < 1.0)
		return;
	fprintf(stderr, "\r%6.1f s  score %ldhard/%ldmedium/%ldsoft  %ld unplaced ", elapsed, best->hard,
	        best->medium, best->soft, -best->medium);
	fflush(stderr);
	progress_drawn = 1;
}

int cli_ctx_open(coplan_ctx *ctx, int existing, const char *author, double time_limit, int quiet)
{
	int rc;

	memset(ctx, 0, sizeof(*ctx));
	ctx->user = author ? author : cli_default_author();
	(void)time_limit;  /* any search may run long: the line shows from its first second */
	if (!quiet && isatty(STDERR_FILENO))
		ctx->progress = progress;
	rc = existing ? coplan_store_open_existing(&ctx->store, cli_db_path())
	              : coplan_store_open(&ctx->store, cli_db_path());
	if (rc)
		return cli_error(rc);
	if ((rc = apply_busy_timeout(ctx->store))) {
		coplan_store_close(ctx->store);
		ctx->store = NULL;
		return rc;
	}
	return 0;
}

int cli_ctx_open_db(coplan_ctx *ctx, const char *db)
{
	int rc;

	memset(ctx, 0, sizeof(*ctx));
	ctx->user = cli_default_author();
	if ((rc = coplan_store_open_existing(&ctx->store, db)))
		return cli_error(rc);
	if ((rc = apply_busy_timeout(ctx->store))) {
		coplan_store_close(ctx->store);
		ctx->store = NULL;
		return rc;
	}
	return 0;
}

void cli_ctx_release(coplan_ctx *ctx)
{
	if (progress_drawn) {
		fputc('\n', stderr);
		progress_drawn = 0;
	}
	coplan_store_close(ctx->store);
	ctx->store = NULL;
}

const char *cli_default_author(void)
{
	const char *a = getenv("COPLAN_AUTHOR");

	if (a && *a)
		return a;
	a = getenv("USER");
	if (a && *a)
		return a;
	a = getlogin();
	return a && *a ? a : "unknown";
}

int cli_plan_option(const char *arg, long *plan_id, const char *usage)
{
	if (cli_parse_long(arg, 1, 1L << 40, plan_id))
		return cli_usage_error(usage, "--plan takes a plan id (a whole number from 1), got '%s'", arg);
	return 0;
}

int cli_schedule_option(int opt, const char *arg, double *time_limit, long *seed, const char *usage)
{
	char *end;

	if (opt == 't') {
		*time_limit = strtod(arg, &end);
		if (*end || end == arg || !(*time_limit >= 0 && *time_limit <= 86400))
			return cli_usage_error(usage, "--time-limit takes seconds from 0 to 86400, got '%s'", arg);
		return 0;
	}
	if (cli_parse_long(arg, 0, 0x7fffffffL, seed))
		return cli_usage_error(usage, "--seed takes a whole number from 0 to 2147483647, got '%s'", arg);
	return 0;
}

char *cli_nation_arg(char *arg)
{
	for (char *p = arg; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	return arg;
}

int cli_listing_format(const char *arg, int *json, const char *usage)
{
	if (!strcmp(arg, "text"))
		*json = 0;
	else if (!strcmp(arg, "json"))
		*json = 1;
	else
		return cli_usage_error(usage, "--format takes text or json, got '%s'", arg);
	return 0;
}

int cli_print_json(int rc, char *text)
{
	if (!rc && text && fputs(text, stdout) == EOF)
		rc = COPLAN_EIO;
	free(text);
	return rc;
}

void cli_print_warnings(char *warnings)
{
	if (warnings)
		for (char *line = strtok(warnings, "\n"); line; line = strtok(NULL, "\n"))
			fprintf(stderr, "coplan: warning: %s\n", line);
	free(warnings);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_plan.c - coplan plan: the whole job on a plan folder, from proposals to documents. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "coplan/document.h"

static const char usage[] =
	"coplan plan DIR [-o OUTDIR] [--time-limit SECONDS] [--seed N] [--encoding ENC]\n"
	"                [--delimiter D] [--locale L]";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "The main job in one go.  DIR holds plan.json (the plan, the staff talks\n"
	       "that agreed it, blackout periods), activities.csv (the proposals;\n"
	       "activities.xlsx, its first sheet, when there is no activities.csv) and\n"
	       "optionally holidays/NAT.ics, holiday feeds of nations (holidays/AUS.ics\n"
	       "holds Australia's; needed for nations without built-in rules) and\n"
	       "headers.csv, the sheets' own column names (see coplan import --help).\n"
	       "coplan imports both into a new plan in the database, schedules it, writes\n"
	       "OUTDIR/plan.md, plan.html, plan.json, plan.ics, plan.pdf, plan.xlsx,\n"
	       "gantt.png and gantt.svg, and prints the summary\n"
	       "with a line for each activity it could not place.\n\n"
	       "Options:\n"
	       "  -o, --output OUTDIR   where the documents go (default: out)\n"
	       "  --time-limit SECONDS  scheduler search time (default: a fixed budget of\n"
	       "                        moves, so that every machine gives the same plan)\n"
	       "  --seed N              scheduler seed (default 1)\n"
	       "  --encoding ENC        encoding of activities.csv (default: detected)\n"
	       "  --delimiter D         delimiter of activities.csv (default: detected)\n"
	       "  --locale L            locale of activities.csv (default en-GB)\n", usage);
}

static char *path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* The documents of a plan folder's run (the formats that name one), each written whole or not at all. */
static int write_documents(const coplan_plan *plan, const char *outdir)
{
	static const coplan_render_options ropts = {
		{ NULL, NULL, 0, NULL }, { 0, COPLAN_DATE_NONE, COPLAN_DATE_NONE, 0 }, NULL
	};
	const coplan_format_info *formats;
	size_t n;
	int rc = 0;

	if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "coplan: error: %s: cannot create folder: %s\n", outdir, strerror(errno));
		return COPLAN_EIO;
	}
	formats = coplan_format_list(&n);
	for (size_t i = 0; i < n && !rc; i++) {
		char *data = NULL, *path;
		size_t len;

		if (!formats[i].document)
			continue;
		if (!(path = path_join(outdir, formats[i].document))) {
			fprintf(stderr, "coplan: error: out of memory\n");
			return COPLAN_ENOMEM;
		}
		if (!strcmp(formats[i].name, "xlsx"))
			cli_warn_excel_cells(plan, 0);
		rc = formats[i].write(&data, &len, plan, &ropts);
		if (rc)
			cli_error(rc);
		else
			rc = cli_write_output(path, data, len);
		if (!rc)
			fprintf(stderr, "wrote %s\n", path);
		free(data);
		free(path);
	}
	return rc;
}

int cmd_plan(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "time-limit", required_argument, NULL, 't' },
		{ "seed", required_argument, NULL, 's' },
		{ "encoding", required_argument, NULL, 'E' },
		{ "delimiter", required_argument, NULL, 'D' },
		{ "locale", required_argument, NULL, 'L' },
		{ NULL, 0, NULL, 0 }
	};
	coplan_csv_options copts = { 0 };
	coplan_schedule_request req = { -1, 1, 0 };
	coplan_plan_folder_result result;
	coplan_plan *plan = NULL;
	coplan_ctx ctx;
	const char *outdir = "out";
	char *summary = NULL;
	long seed = 1;
	int c, rc, status = CLI_OK;

	if (cli_wants_help(argc, argv)) {
		print_help();
		return CLI_OK;
	}
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			outdir = optarg;
			break;
		case 't':
		case 's':
			if (cli_schedule_option(c, optarg, &req.time_limit, &seed, usage))
				return CLI_USAGE;
			break;
		case 'E':
		case 'D':
		case 'L':
			if (cli_csv_option(&copts, c, optarg, usage))
				return CLI_USAGE;
			break;
		default:
			return cli_usage_error(usage, "unknown option or missing value '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage, "which plan folder?");
	if (optind + 1 < argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind + 1]);
	req.seed = (unsigned long)seed;
	/* read and check everything before the database is touched */
	rc = coplan_service_plan_folder_read(argv[optind], &copts, &plan, &result);
	if (result.sheet_path)
		cli_print_import_report(result.sheet_path, &result.sheet);
	for (size_t i = 0; i < result.n_feeds; i++)
		fprintf(stderr, "%s: %zu %s, %zu %s of %s\n", result.feeds[i].path,
		        result.feeds[i].report.events, cli_plural(result.feeds[i].report.events, "event", "events"),
		        result.feeds[i].report.added, cli_plural(result.feeds[i].report.added, "holiday", "holidays"),
		        result.feeds[i].nation);
	if (rc) {
		status = cli_error(rc);
		goto cleanup;
	}
	if ((status = cli_ctx_open(&ctx, 0, NULL, req.time_limit, 0)))
		goto cleanup;
	if (!(rc = coplan_service_plan_new(&ctx, plan, &req, &result.schedule))) {
		cli_warn_calendars(result.schedule.missing_calendars, result.schedule.n_missing_calendars);
		rc = coplan_report_summary(&summary, NULL, result.schedule.plan);
	}
	cli_ctx_release(&ctx);
	if (rc) {
		status = cli_error(rc);
		goto cleanup;
	}
	fputs(summary, stdout);
	fflush(stdout);
	if (write_documents(result.schedule.plan, outdir))
		status = CLI_FAIL;
cleanup:
	free(summary);
	coplan_plan_folder_result_clear(&result);
	coplan_plan_free(plan);
	coplan_document_shutdown();
	return status;
}

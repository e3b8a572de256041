/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_import.c - coplan import: a plan document (JSON), activity proposals (CSV, XLSX), calendars (iCalendar). */
#include <errno.h>
#include <unistd.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

static const char usage[] =
	"coplan import FILE [--plan ID] [--sheet NAME] [--headers MAP] [--encoding ENC] [--delimiter D]\n"
	"              [--locale L] [--update] [--dry-run]\n"
	"       coplan import FILE.ics (--nation NAT | --unit UNIT [--soft]) [--plan ID] [--dry-run]";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "Import a file into the database, all or nothing: a file with any error\n"
	       "changes nothing, and the error names the file, line and column.\n\n"
	       "  FILE.json  a plan document (plan, staff talks, blackouts, and any\n"
	       "             activities): creates a new plan\n"
	       "  FILE.csv   activity proposals, one per row, as Excel saves them in\n"
	       "             English, Italian or Japanese: added to the plan\n"
	       "  FILE.xlsx  the same as an Excel workbook: the first sheet, or --sheet\n"
	       "  FILE.ics   a calendar (iCalendar, as governments, Outlook, Google write it):\n"
	       "             with --nation, a holiday feed: each day of each event becomes a\n"
	       "             holiday of that nation; with --unit, a unit's diary: each event\n"
	       "             becomes a blackout of that unit, its SUMMARY the reason\n\n"
	       "Options:\n"
	       "  --plan ID         the plan CSV rows or calendar days go to (default: the newest)\n"
	       "  --sheet NAME      the sheet of an .xlsx workbook (default: the first)\n"
	       "  --update          rows whose ref the plan has replace those activities' proposals\n"
	       "                    (an edited sheet read again), saying what changed; new refs are added\n"
	       "  --headers MAP     a CSV file of 'column name,field' rows: your sheet's own column\n"
	       "                    names for coplan's fields (e.g. Esercitazione,title)\n"
	       "  --nation NAT      .ics: the nation whose holidays the feed holds (ISO alpha-3)\n"
	       "  --unit UNIT       .ics: the unit whose busy periods the calendar holds\n"
	       "  --soft            .ics with --unit: soft blackouts (default: hard)\n"
	       "  --encoding ENC    UTF-8, CP932, WINDOWS-1252... (default: detected)\n"
	       "  --delimiter D     ',' ';' or tab (default: Excel's sep= line, else detected)\n"
	       "  --locale L        en-GB, en-US, it, ja: date order and decimal mark (default en-GB)\n"
	       "  --dry-run         check and show what would be imported; change nothing\n", usage);
}

/* Say what the import did, as the command always has. */
static void print_result(const coplan_import_request *req, const coplan_import_result *r)
{
	const char *verb = req->dry_run ? "would import" : "imported";

	switch (r->kind) {
	case COPLAN_IMPORT_PLAN:
		printf("%s plan '%s' %d from %s: %zu %s, %zu %s\n", verb, r->title, r->year,
		       req->path, r->n_activities, cli_plural(r->n_activities, "activity", "activities"),
		       r->n_blackouts, cli_plural(r->n_blackouts, "blackout", "blackouts"));
		if (!req->dry_run)
			printf("plan id %ld\n", r->plan_id);
		break;
	case COPLAN_IMPORT_ACTIVITIES:
		for (size_t k = 0; k < r->n_changes; k++) {
			const coplan_change *c = &r->changes[k];

			if (c->kind == COPLAN_CHANGE_ADDED)
				printf("added %s (%s)\n", c->ref, c->title ? c->title : "");
			else if (c->kind != COPLAN_CHANGE_REMOVED)
				printf("%s %s: %s -> %s\n", c->ref, c->field ? c->field : "",
				       c->before ? c->before : "(none)", c->after ? c->after : "(none)");
		}
		printf("%s %zu %s from %s into plan '%s' %d (id %ld)", verb, r->sheet.rows_imported,
		       r->sheet.rows_imported == 1 ? "activity" : "activities", req->path, r->title,
		       r->year, r->plan_id);
		if (req->csv.update)
			printf(": %zu updated, %zu new (coplan schedule --replan places what changed)",
			       r->sheet.rows_updated, r->sheet.rows_imported - r->sheet.rows_updated);
		putchar('\n');
		break;
	case COPLAN_IMPORT_HOLIDAYS:
	case COPLAN_IMPORT_BLACKOUTS:
		if (r->unit_unused)
			fprintf(stderr, "coplan: warning: no activity of the plan names the unit '%s': "
			        "its blackouts change nothing until one does (check the spelling)\n", req->unit);
		if (r->calendar.cancelled)
			fprintf(stderr, "%s: %zu cancelled events left out\n", req->path, r->calendar.cancelled);
		if (r->kind == COPLAN_IMPORT_HOLIDAYS)
			printf("%s %zu %s of %s (%zu %s) from %s into plan '%s' %d (id %ld)\n",
			       verb, r->calendar.added, cli_plural(r->calendar.added, "holiday", "holidays"),
			       req->nation, r->calendar.events, cli_plural(r->calendar.events, "event", "events"),
			       req->path, r->title, r->year, r->plan_id);
		else
			printf("%s %zu %s blackout%s of '%s' from %s into plan '%s' %d (id %ld)\n",
			       verb, r->calendar.added, req->soft ? "soft" : "hard",
			       r->calendar.added == 1 ? "" : "s", req->unit, req->path, r->title, r->year,
			       r->plan_id);
		break;
	}
}

int cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "plan", required_argument, NULL, 'p' },
		{ "encoding", required_argument, NULL, 'E' },
		{ "delimiter", required_argument, NULL, 'D' },
		{ "locale", required_argument, NULL, 'L' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "nation", required_argument, NULL, 'N' },
		{ "unit", required_argument, NULL, 'U' },
		{ "soft", no_argument, NULL, 'S' },
		{ "sheet", required_argument, NULL, 'W' },
		{ "headers", required_argument, NULL, 'M' },
		{ "update", no_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	coplan_import_request req = { 0 };
	coplan_import_result result;
	coplan_ctx ctx;
	int c, rc;

	if (cli_wants_help(argc, argv)) {
		print_help();
		return CLI_OK;
	}
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (cli_plan_option(optarg, &req.plan_id, usage))
				return CLI_USAGE;
			break;
		case 'E':
		case 'D':
		case 'L':
			if (cli_csv_option(&req.csv, c, optarg, usage))
				return CLI_USAGE;
			break;
		case 'n':
			req.dry_run = 1;
			break;
		case 'N':
			req.nation = cli_nation_arg(optarg);
			break;
		case 'U':
			req.unit = optarg;
			break;
		case 'S':
			req.soft = 1;
			break;
		case 'M':
			req.csv.header_map = optarg;
			break;
		case 'W':
			req.sheet = optarg;
			break;
		case 'u':
			req.csv.update = 1;
			break;
		default:
			return cli_usage_error(usage, "unknown option or missing value '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage, "which file?");
	if (optind + 1 < argc)
		return cli_usage_error(usage, "one file at a time, got '%s' too", argv[optind + 1]);
	req.path = argv[optind];
	if ((rc = coplan_service_import_check(&req, &result.kind)))
		return rc == COPLAN_EUSAGE ? cli_usage_error(usage, "%s", coplan_error_last()) : cli_error(rc);
	if ((rc = cli_ctx_open(&ctx, 0, NULL, -1, 1)))
		return rc;
	rc = coplan_service_import(&ctx, &req, &result);
	if (result.kind == COPLAN_IMPORT_ACTIVITIES)
		cli_print_import_report(req.path, &result.sheet);
	if (!rc)
		print_result(&req, &result);
	coplan_import_result_clear(&result);
	cli_ctx_release(&ctx);
	return rc ? cli_error(rc) : CLI_OK;
}

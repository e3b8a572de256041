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
	"              [--locale L] [--dry-run]\n"
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

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcasecmp(s + n - m, suffix);
}

static int import_json(coplan_store *store, const char *path, int dry_run)
{
	coplan_plan *plan = NULL;
	long id = 0;
	int rc;

	if ((rc = coplan_import_plan_json(&plan, path)))
		return rc;
	if ((rc = coplan_plan_validate(plan)))
		goto cleanup;
	if (!dry_run && (rc = coplan_store_insert_plan(store, plan, &id)))
		goto cleanup;
	printf("%s plan '%s' %d from %s: %zu activities, %zu blackouts\n",
	       dry_run ? "would import" : "imported", plan->title ? plan->title : "", plan->year,
	       path, plan->n_activities, plan->n_blackouts);
	if (!dry_run)
		printf("plan id %ld\n", id);
cleanup:
	coplan_plan_free(plan);
	return rc;
}

static int import_csv(coplan_store *store, const char *path, long plan_id,
                      const coplan_csv_options *copts, const char *sheet, int dry_run)
{
	coplan_import_report report;
	coplan_plan *plan = NULL;
	size_t n = 0;
	long id;
	int rc;

	if ((rc = coplan_store_load_plan(store, plan_id, &plan, &id)))
		return rc;
	if (has_suffix(path, ".xlsx"))
		rc = coplan_import_activities_xlsx(plan, path, sheet, copts, &report);
	else
		rc = coplan_import_activities_csv_report(plan, path, copts, &report);
	cli_print_import_report(path, &report);
	if (rc)
		goto cleanup;
	n = report.rows_imported;
	if ((rc = coplan_plan_validate(plan)))
		goto cleanup;
	if (!dry_run && (rc = coplan_store_update_plan(store, id, plan)))
		goto cleanup;
	printf("%s %zu %s from %s into plan '%s' %d (id %ld)\n",
	       dry_run ? "would import" : "imported", n, n == 1 ? "activity" : "activities", path,
	       plan->title ? plan->title : "", plan->year, id);
cleanup:
	coplan_plan_free(plan);
	return rc;
}

static int import_ics(coplan_store *store, const char *path, long plan_id, const char *nation,
                      const char *unit, int hard, int dry_run)
{
	coplan_ical_import_report report;
	coplan_plan *plan = NULL;
	long id;
	int rc;

	if ((rc = coplan_store_load_plan(store, plan_id, &plan, &id)))
		return rc;
	if (nation)
		rc = coplan_ical_import_holidays(plan, path, nation, &report);
	else
		rc = coplan_ical_import_blackouts(plan, path, unit, hard, &report);
	if (rc)
		goto cleanup;
	if ((rc = coplan_plan_validate(plan)))
		goto cleanup;
	if (!dry_run && report.added && (rc = coplan_store_update_plan(store, id, plan)))
		goto cleanup;
	if (unit) {
		int used = 0;

		for (size_t i = 0; i < plan->n_activities && !used; i++)
			for (size_t u = 0; u < plan->activities[i].n_units && !used; u++)
				used = !strcmp(plan->activities[i].units[u], unit);
		if (!used)
			fprintf(stderr, "coplan: warning: no activity of the plan names the unit '%s': "
			        "its blackouts change nothing until one does (check the spelling)\n", unit);
	}
	if (report.cancelled)
		fprintf(stderr, "%s: %zu cancelled events left out\n", path, report.cancelled);
	if (nation)
		printf("%s %zu holidays of %s (%zu events) from %s into plan '%s' %d (id %ld)\n",
		       dry_run ? "would import" : "imported", report.added, nation, report.events, path,
		       plan->title ? plan->title : "", plan->year, id);
	else
		printf("%s %zu %s blackout%s of '%s' from %s into plan '%s' %d (id %ld)\n",
		       dry_run ? "would import" : "imported", report.added, hard ? "hard" : "soft",
		       report.added == 1 ? "" : "s", unit,
		       path, plan->title ? plan->title : "", plan->year, id);
cleanup:
	coplan_plan_free(plan);
	return rc;
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
		{ NULL, 0, NULL, 0 }
	};
	coplan_csv_options copts = { 0 };
	coplan_store *store;
	const char *path, *nation = NULL, *unit = NULL, *sheet = NULL;
	long plan_id = 0;
	int c, rc, dry_run = 0, soft = 0, csv_opts = 0;

	if (cli_wants_help(argc, argv)) {
		print_help();
		return CLI_OK;
	}
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (cli_plan_option(optarg, &plan_id, usage))
				return CLI_USAGE;
			break;
		case 'E':
		case 'D':
		case 'L':
			if (cli_csv_option(&copts, c, optarg, usage))
				return CLI_USAGE;
			csv_opts = 1;
			break;
		case 'n':
			dry_run = 1;
			break;
		case 'N':
			nation = cli_nation_arg(optarg);
			break;
		case 'U':
			unit = optarg;
			break;
		case 'S':
			soft = 1;
			break;
		case 'M':
			copts.header_map = optarg;
			csv_opts = 1;
			break;
		case 'W':
			sheet = optarg;
			break;
		default:
			return cli_usage_error(usage, "unknown option or missing value '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage, "which file?");
	if (optind + 1 < argc)
		return cli_usage_error(usage, "one file at a time, got '%s' too", argv[optind + 1]);
	path = argv[optind];
	if (has_suffix(path, ".ics") || has_suffix(path, ".ical") || has_suffix(path, ".ifb")) {
		if (!nation == !unit)
			return cli_usage_error(usage, "'%s': say whose calendar it is: --nation NAT (a "
			                       "holiday feed) or --unit UNIT (busy periods)", path);
		if (nation && !coplan_nation_valid(nation))
			return cli_usage_error(usage, "--nation takes an ISO 3166-1 alpha-3 code (e.g. "
			                       "AUS), got '%s'", nation);
		if (unit && !*unit)
			return cli_usage_error(usage, "--unit takes a unit's name, got ''");
		if (soft && !unit)
			return cli_usage_error(usage, "--soft goes with --unit");
		if (csv_opts)
			return cli_usage_error(usage, "--encoding, --delimiter and --locale are for CSV "
			                       "files");
	} else if (nation || unit || soft) {
		return cli_usage_error(usage, "--nation, --unit and --soft are for .ics calendars");
	} else if (!has_suffix(path, ".json") && !has_suffix(path, ".csv") &&
	           !has_suffix(path, ".txt") && !has_suffix(path, ".tsv") && !has_suffix(path, ".xlsx")) {
		return cli_usage_error(usage, "'%s': expected a .json plan, a .csv or .xlsx of "
		                       "activities or an .ics calendar", path);
	}
	if (sheet && !has_suffix(path, ".xlsx"))
		return cli_usage_error(usage, "--sheet is for an .xlsx workbook, not '%s'", path);
	if (access(path, R_OK) != 0) {
		fprintf(stderr, "coplan: error: %s: cannot read: %s\n", path, strerror(errno));
		return CLI_FAIL;
	}
	if (!(store = cli_open_store()))
		return CLI_FAIL;
	/* load, add, save as one transaction: no other writer's change is lost */
	if ((rc = coplan_store_begin(store)) == 0) {
		if (nation || unit)
			rc = import_ics(store, path, plan_id, nation, unit, !soft, dry_run);
		else if (has_suffix(path, ".json"))
			rc = import_json(store, path, dry_run);
		else
			rc = import_csv(store, path, plan_id, &copts, sheet, dry_run);
		rc = coplan_store_end(store, rc);
	}
	coplan_store_close(store);
	return rc ? cli_error(rc) : CLI_OK;
}

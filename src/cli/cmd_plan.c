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
	"                [--delimiter D] [--locale L]\n"
	"   or: coplan plan copy (--to-year YEAR | --name TITLE) [--plan ID]\n"
	"   or: coplan plan delete [--force] [--plan ID]\n"
	"   or: coplan plan grant USER ROLE [--plan ID]\n"
	"   or: coplan plan roles [--plan ID] [--format text|json]";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "The main job in one go.  DIR holds plan.json (the plan, the staff talks\n"
	       "that agreed it, blackout periods), activities.csv (the proposals;\n"
	       "activities.xlsx, its first sheet, when there is no activities.csv) and\n"
	       "optionally holidays/NAT.ics, holiday feeds of nations (holidays/AUS.ics\n"
	       "holds Australia's; needed for nations without built-in rules) and\n"
	       "headers.csv, the sheets' own column names (see coplan import --help), and\n"
	       "costs.csv, what each activity costs (ref, cost_estimate, cost_actual,\n"
	       "currency, paid_by, funding_line; plan.json holds the budgets and rates).\n"
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
	       "  --locale L            locale of activities.csv (default en-GB)\n\n"
	       "'copy --to-year 2025' starts next year's draft from this plan: what was not\n"
	       "executed or cancelled comes back as proposals, their requests and windows a\n"
	       "year on (a yearly activity comes back in next year's requested period);\n"
	       "blackouts are dated periods and are not moved a year on: those that reach\n"
	       "into the new year (leave over New Year) stay as they are, the others are\n"
	       "left behind and counted.  'copy --name TITLE' makes a what-if copy to try a\n"
	       "change on (blackouts and all).\n"
	       "'delete' removes a plan (a folder named copy or delete: give it as ./copy);\n"
	       "a signed one only with --force, and a plan with versions or a history stays\n"
	       "in the record, marked deleted.\n"
	       "'grant USER ROLE' gives a user (coplan user add) a role on the plan: owner,\n"
	       "planner (edits the activities of the user's nation), reviewer (signs),\n"
	       "viewer, or none to take it away; 'roles' lists them.\n", usage);
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
		.gantt = { 0, COPLAN_DATE_NONE, COPLAN_DATE_NONE, 0 }
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
			rc = cli_write_output(path, data, len); /* says "wrote PATH" */
		free(data);
		free(path);
	}
	return rc;
}

/* plan grant USER ROLE and plan roles: who may do what on the plan. */
static int grant_or_roles(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "plan", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 }
	};
	const char *verb = argv[1];
	long plan_id = 0;
	int c, rc, json = 0, role = 0, grant = !strcmp(verb, "grant");
	coplan_ctx ctx;

	argc--;
	argv++;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (cli_plan_option(optarg, &plan_id, usage))
				return CLI_USAGE;
			break;
		case 'F':
			if (cli_listing_format(optarg, &json, usage))
				return CLI_USAGE;
			break;
		default:
			return cli_usage_error(usage, "unknown option or missing value '%s'", argv[optind - 1]);
		}
	}
	if (grant) {
		if (argc - optind != 2)
			return cli_usage_error(usage, "grant takes a user and a role");
		if ((role = coplan_role_parse(argv[optind + 1])) < 0)
			return cli_usage_error(usage, "'%s' is not a role (expected owner, planner, reviewer, "
			                       "viewer or none)", argv[optind + 1]);
		if (json)
			return cli_usage_error(usage, "--format goes with roles");
	} else if (optind < argc) {
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	}
	if ((rc = cli_ctx_open(&ctx, 1, NULL, -1, 1)))
		return rc;
	if (grant) {
		if (!(rc = coplan_service_role_grant(&ctx, plan_id, argv[optind], (coplan_plan_role)role)))
			printf(role ? "%s is now %s of the plan\n" : "%s has no role on the plan now\n",
			       argv[optind], coplan_role_name((coplan_plan_role)role));
	} else {
		coplan_role_grant *g = NULL;
		size_t n = 0;

		if (!(rc = coplan_service_roles(&ctx, plan_id, &g, &n))) {
			if (json) {
				char *text = NULL;

				rc = coplan_roles_format_json(&text, g, n);
				rc = cli_print_json(rc, text);
			} else {
				for (size_t i = 0; i < n; i++)
					printf("%-20s %s  %s\n", g[i].account, g[i].nation, coplan_role_name(g[i].role));
				if (n == 0)
					printf("no roles given on this plan (coplan plan grant USER ROLE)\n");
			}
		}
		free(g);
	}
	cli_ctx_release(&ctx);
	return rc ? cli_error(rc) : CLI_OK;
}

/* plan copy and plan delete: one service call each. */
static int copy_or_delete(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "to-year", required_argument, NULL, 'y' },
		{ "name", required_argument, NULL, 'n' },
		{ "force", no_argument, NULL, 'f' },
		{ "plan", required_argument, NULL, 'p' },
		{ "author", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	const char *verb = argv[1], *name = NULL, *author = NULL; /* argv[0] is "plan" */
	long plan_id = 0, year = 0, new_id = 0;
	int c, rc, force = 0;
	size_t carried = 0, left = 0;
	coplan_ctx ctx;

	/* the verb stands where getopt expects the command's name */
	argc--;
	argv++;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'y':
			if (cli_parse_long(optarg, 1970, 2099, &year))
				return cli_usage_error(usage, "--to-year takes a year from 1970 to 2099, got '%s'", optarg);
			break;
		case 'n':
			name = optarg;
			break;
		case 'f':
			force = 1;
			break;
		case 'a':
			author = optarg;
			break;
		case 'p':
			if (cli_plan_option(optarg, &plan_id, usage))
				return CLI_USAGE;
			break;
		default:
			return cli_usage_error(usage, "unknown option or missing value '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	if (!strcmp(verb, "copy") && (!year == !name || force))
		return cli_usage_error(usage, "copy takes --to-year YEAR or --name TITLE");
	if (!strcmp(verb, "delete") && (year || name))
		return cli_usage_error(usage, "delete takes --force and --plan only");
	if ((rc = cli_ctx_open(&ctx, 1, author, -1, 1)))
		return rc;
	if (!strcmp(verb, "copy")) {
		if (!(rc = coplan_service_plan_copy(&ctx, plan_id, (int)year, name, &new_id, &carried, &left))) {
			printf("plan %ld: a copy with %zu activit%s%s; it is now the newest plan, which commands "
			       "without --plan work on (--plan N for another; coplan talks list lists them)\n",
			       new_id, carried, carried == 1 ? "y" : "ies",
			       year ? ", unplaced (coplan schedule places them)" : "");
			if (year && left)
				printf("%zu blackout%s left behind: dated in the old year, not moved a year on "
				       "(coplan blackout add adds %ld's)\n", left, left == 1 ? "" : "s", year);
		}
	} else if (!(rc = coplan_service_plan_delete(&ctx, plan_id, force))) {
		printf("plan deleted\n");
	}
	cli_ctx_release(&ctx);
	return rc ? cli_error(rc) : CLI_OK;
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
	coplan_schedule_request req = { -1, 1, 0, 0 };
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
	if (argc > 1 && (!strcmp(argv[1], "copy") || !strcmp(argv[1], "delete")))
		return copy_or_delete(argc, argv);
	if (argc > 1 && (!strcmp(argv[1], "grant") || !strcmp(argv[1], "roles")))
		return grant_or_roles(argc, argv);
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
	if (result.costs_rows)
		fprintf(stderr, "costs.csv: the costs of %zu activities\n", result.costs_rows);
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

/* cmd_report.c - coplan report: the plan's summary and its unplaced activities. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static const char usage[] = "coplan report [--execution] [--plan ID]";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "Print the plan's summary: title, parties, the staff talks that agreed it,\n"
	       "the number of activities by host nation, how many are scheduled, and one\n"
	       "line for each unplaced activity with the constraint that stopped it.\n\n"
	       "With --execution, plan against execution: how many activities are planned,\n"
	       "confirmed, executed, postponed and cancelled, by host nation, by area and\n"
	       "by quarter of the start the signed version planned.\n\n"
	       "Options:\n"
	       "  --execution  plan against execution\n"
	       "  --plan ID    the plan (default: the newest)\n", usage);
}

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "plan", required_argument, NULL, 'p' },
		{ "execution", no_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 }
	};
	coplan_plan *baseline = NULL;
	int execution = 0;
	coplan_store *store = NULL;
	coplan_plan *plan = NULL;
	long plan_id = 0;
	char *summary = NULL;
	int c, rc, status = CLI_OK;

	if (cli_wants_help(argc, argv)) {
		print_help();
		return CLI_OK;
	}
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		if (c == 'x') {
			execution = 1;
			continue;
		}
		if (c != 'p')
			return cli_usage_error(usage, "unknown option '%s'", argv[optind - 1]);
		if (cli_parse_long(optarg, 1, 1L << 40, &plan_id))
			return cli_usage_error(usage, "--plan takes a plan id, got '%s'", optarg);
	}
	if (optind < argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	if (!(store = cli_open_store()))
		return CLI_FAIL;
	if ((rc = coplan_store_load_plan(store, plan_id, &plan, &plan_id))) {
		status = cli_error(rc);
		goto cleanup;
	}
	if (execution) {
		/* against the newest signed version, else the plan as it stands */
		rc = coplan_store_version_load(store, plan_id, 0, &baseline);
		if (rc && rc != COPLAN_ENOTFOUND) {
			status = cli_error(rc);
			goto cleanup;
		}
		rc = coplan_report_execution(&summary, NULL, plan, baseline);
	} else {
		rc = coplan_report_summary(&summary, NULL, plan);
	}
	if (rc) {
		status = cli_error(rc);
		goto cleanup;
	}
	fputs(summary, stdout);
cleanup:
	coplan_plan_free(baseline);
	free(summary);
	coplan_plan_free(plan);
	coplan_store_close(store);
	return status;
}

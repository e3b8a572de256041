/* cmd_report.c - coplan report: the plan's summary and its unplaced activities. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static const char usage[] = "coplan report [--plan ID]";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "Print the plan's summary: title, parties, the staff talks that agreed it,\n"
	       "the number of activities by host nation, how many are scheduled, and one\n"
	       "line for each unplaced activity with the constraint that stopped it.\n\n"
	       "Options:\n"
	       "  --plan ID   the plan (default: the newest)\n", usage);
}

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "plan", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
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
		if (c != 'p')
			return cli_usage_error(usage, "unknown option '%s'", argv[optind - 1]);
		if (cli_parse_long(optarg, 1, 1L << 40, &plan_id))
			return cli_usage_error(usage, "--plan takes a plan id, got '%s'", optarg);
	}
	if (optind < argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	if (!(store = cli_open_store()))
		return CLI_FAIL;
	if ((rc = coplan_store_load_plan(store, plan_id, &plan, NULL)) ||
	    (rc = coplan_report_summary(&summary, NULL, plan))) {
		status = cli_error(rc);
		goto cleanup;
	}
	fputs(summary, stdout);
cleanup:
	free(summary);
	coplan_plan_free(plan);
	coplan_store_close(store);
	return status;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_explain.c - coplan explain: why an activity is where it is, or cannot start on a date. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] = "coplan explain REF [DATE] [--plan ID] [--format text|json]";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "Explain one activity of the stored plan, with every other activity where\n"
	       "the plan has it.  With DATE (YYYY-MM-DD): every constraint that forbids\n"
	       "REF to start on that day (its time window, a weekend or holiday of the\n"
	       "host, a hard blackout, a unit busy with another activity, a precedence),\n"
	       "or, when it could start there, where it would end and what that would\n"
	       "cost.  Without DATE: where it is placed and what its place costs, or why\n"
	       "it could not be placed.\n\n"
	       "Options:\n"
	       "  --plan ID      the plan (default: the newest)\n"
	       "  --format FMT   text (default): one sentence; json: the same as data, for\n"
	       "                 scripts (the outcome, each reason's code, dates, activities,\n"
	       "                 units and nations involved, and the sentence as \"text\")\n\n"
	       "Example:\n"
	       "  coplan explain JP-07 2024-05-03\n", usage);
}

int cmd_explain(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "plan", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	coplan_explanation *why = NULL;
	coplan_ctx ctx;
	coplan_date date = COPLAN_DATE_NONE;
	const char *ref;
	char *text = NULL;
	long plan_id = 0;
	int c, rc, status = CLI_OK, json = 0;

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
		case 'f':
			if (strcmp(optarg, "text") && strcmp(optarg, "json"))
				return cli_usage_error(usage, "--format takes text or json, got '%s'", optarg);
			json = !strcmp(optarg, "json");
			break;
		default:
			return cli_usage_error(usage, "unknown option or missing value '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage, "which activity? give its ref, e.g. JP-07");
	ref = argv[optind++];
	if (optind < argc) {
		const char *d = argv[optind++];

		if (coplan_date_parse_iso(&date, d, strlen(d)))
			return cli_input_error("DATE: '%s': %s (expected a date as YYYY-MM-DD)", d,
			                       coplan_error_last());
	}
	if (optind < argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_ctx_open(&ctx, 1, NULL, -1, 1)))
		return rc;
	if ((rc = coplan_service_explain(&ctx, plan_id, ref, date, &why)) ||
	    (rc = json ? coplan_explanation_format_json(&text, why)
	               : coplan_explanation_format_text(&text, why))) {
		status = cli_error(rc);
		goto cleanup;
	}
	printf("%s\n", text);
cleanup:
	free(text);
	coplan_explanation_free(why);
	cli_ctx_release(&ctx);
	return status;
}

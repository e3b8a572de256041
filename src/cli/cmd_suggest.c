/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_suggest.c - coplan suggest: the best starts for one activity, with their soft cost. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] = "coplan suggest REF [--count N] [--plan ID]";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "The best dates to start one activity, with every other activity left where\n"
	       "the plan has it: only starts that break no hard constraint, cheapest soft\n"
	       "cost first (earlier first on a tie), each with its cost and what it is made\n"
	       "of (days outside the requested period, soft blackouts, weekends or holidays\n"
	       "inside the span, the host's monthly spread).\n\n"
	       "Options:\n"
	       "  --count N  how many starts (default 5, at most 100)\n"
	       "  --plan ID  the plan (default: the newest)\n\n"
	       "Example:\n"
	       "  coplan suggest IT-06 --count 3\n", usage);
}

int cmd_suggest(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "plan", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	coplan_store *store = NULL;
	coplan_plan *plan = NULL;
	coplan_date starts[100];
	const char *ref;
	char *text = NULL;
	size_t n = 0;
	long plan_id = 0, count = 5;
	int c, rc, status = CLI_OK;

	if (cli_wants_help(argc, argv)) {
		print_help();
		return CLI_OK;
	}
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (cli_parse_long(optarg, 1, 100, &count))
				return cli_usage_error(usage, "--count takes a number from 1 to 100, got '%s'", optarg);
			break;
		case 'p':
			if (cli_plan_option(optarg, &plan_id, usage))
				return CLI_USAGE;
			break;
		default:
			return cli_usage_error(usage, "unknown option or missing value '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage, "which activity? give its ref, e.g. IT-06");
	ref = argv[optind++];
	if (optind < argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	if (!(store = cli_open_store_existing()))
		return CLI_FAIL;
	if ((rc = coplan_store_load_plan(store, plan_id, &plan, NULL)) ||
	    (rc = coplan_schedule_suggest(starts, &n, (size_t)count, plan, ref)))
		goto fail;
	if (n == 0) {
		/* say why not: the activity's own explanation */
		if ((rc = coplan_schedule_explain(&text, plan, ref, COPLAN_DATE_NONE)))
			goto fail;
		printf("%s: no start breaks no hard constraint with the other activities where they are\n%s\n",
		       ref, text);
		goto cleanup;
	}
	for (size_t k = 0; k < n; k++) {
		const char *p;
		size_t skip = strlen(ref) + strlen(" can start on ");

		free(text);
		text = NULL;
		if ((rc = coplan_schedule_explain(&text, plan, ref, starts[k])))
			goto fail;
		/* "REF can start on 2024-06-06..2024-06-07, soft cost 10: ..." -> the part after "on " */
		p = strlen(text) > skip && strstr(text, " can start on ") == text + strlen(ref) ? text + skip : text;
		printf("%2zu. %s\n", k + 1, p);
	}
	goto cleanup;
fail:
	status = cli_error(rc);
cleanup:
	free(text);
	coplan_plan_free(plan);
	coplan_store_close(store);
	return status;
}

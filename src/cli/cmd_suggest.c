/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_suggest.c - coplan suggest: the best starts for one activity, with their soft cost. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] = "coplan suggest REF [--count N] [--plan ID] [--format text|json]";

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
	       "  --plan ID  the plan (default: the newest)\n"
	       "  --format FMT  text (default) or json: {\"suggestions\": [explanations],\n"
	       "             \"why_none\": null, or the activity's explanation when there is none}\n\n"
	       "Example:\n"
	       "  coplan suggest IT-06 --count 3\n", usage);
}

int cmd_suggest(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "plan", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	coplan_explanation *best = NULL, *why = NULL;
	coplan_ctx ctx;
	const char *ref;
	char *text = NULL;
	size_t n = 0;
	long plan_id = 0, count = 5;
	int c, rc, status = CLI_OK, json = 0;

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
		return cli_usage_error(usage, "which activity? give its ref, e.g. IT-06");
	ref = argv[optind++];
	if (optind < argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_ctx_open(&ctx, 1, NULL, -1, 1)))
		return rc;
	/* none: why_none says why not, with the activity's own explanation */
	if ((rc = coplan_service_suggest(&ctx, plan_id, ref, (size_t)count, &best, &n, &why)))
		goto fail;
	if (json) {
		char *list = NULL;

		if ((rc = coplan_explanations_format_json(&list, best, n)) ||
		    (why && (rc = coplan_explanation_format_json(&text, why)))) {
			free(list);
			goto fail;
		}
		printf("{\"suggestions\": %s, \"why_none\": %s}\n", list, text ? text : "null");
		free(list);
		goto cleanup;
	}
	if (n == 0) {
		if ((rc = coplan_explanation_format_text(&text, why)))
			goto fail;
		printf("%s: no start breaks no hard constraint with the other activities where they are\n%s\n",
		       ref, text);
		goto cleanup;
	}
	for (size_t k = 0; k < n; k++) {
		char from[COPLAN_DATE_ISO_LEN], to[COPLAN_DATE_ISO_LEN];

		free(text);
		text = NULL;
		/* "2024-06-06..2024-06-07, soft cost 10: 2 days outside the requested period ..." */
		if ((rc = coplan_reasons_format_text(&text, best[k].costs, best[k].n_costs, ref)))
			goto fail;
		coplan_date_format_iso(best[k].from, from);
		coplan_date_format_iso(best[k].to, to);
		printf("%2zu. %s%s%s, soft cost %ld%s%s\n", k + 1, from, best[k].to != best[k].from ? ".." : "",
		       best[k].to != best[k].from ? to : "", best[k].soft_cost, best[k].n_costs ? ": " : "", text);
	}
	goto cleanup;
fail:
	status = cli_error(rc);
cleanup:
	free(text);
	coplan_explanations_free(best, n);
	coplan_explanation_free(why);
	cli_ctx_release(&ctx);
	return status;
}

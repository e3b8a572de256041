/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_rate.c - coplan rate: the dated exchange rates the user gives, the only ones costs are converted with. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"coplan rate add FROM TO RATE --from DATE [--reason TEXT] [--plan ID]\n"
	"   or: coplan rate list [--plan ID]\n"
	"   or: coplan rate delete N [--reason TEXT] [--plan ID]";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "The exchange rates a plan's costs are converted with: one unit of FROM is RATE\n"
	       "units of TO (ISO 4217 codes; RATE a decimal number, at most 9 digits before\n"
	       "the point and 9 after), valid from DATE until the next rate of the same pair.\n"
	       "coplan never fetches a rate: without one, totals stay in each currency and are\n"
	       "never added together.  A conversion uses the rate valid on the activity's first\n"
	       "day (FROM to TO, else the inverse of TO to FROM), exact, rounded once to the\n"
	       "nearest minor unit (a half away from zero).  'list' numbers the rates; 'delete\n"
	       "N' removes number N.  Each change is recorded in the audit log with its --reason;\n"
	       "a planner may not change rates (the plan's owner does).\n\n"
	       "Options:\n"
	       "  --from DATE     the first day the rate is valid (YYYY-MM-DD)\n"
	       "  --reason TEXT   why (\"Bank of Italy reference rate, 2 Jan 2024\")\n"
	       "  --plan ID       the plan (default: the newest)\n", usage);
}

static void list(const coplan_plan *plan)
{
	for (size_t i = 0; i < plan->n_rates; i++) {
		const coplan_rate *r = &plan->rates[i];
		char iso[COPLAN_DATE_ISO_LEN];

		printf("%3zu  1 %s = %s %s  from %s\n", i + 1, r->from, r->rate, r->to,
		       coplan_date_format_iso(r->valid_from, iso));
	}
	if (plan->n_rates == 0)
		printf("no exchange rates in plan '%s' (coplan rate add): totals stay per currency\n",
		       plan->title ? plan->title : "");
}

int cmd_rate(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "reason", required_argument, NULL, 'r' },
		{ "plan", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	coplan_rate r;
	const char *reason = NULL, *verb;
	long plan_id = 0, number = 0;
	int c, rc;
	coplan_ctx ctx;

	memset(&r, 0, sizeof(r));
	r.valid_from = COPLAN_DATE_NONE;
	if (cli_wants_help(argc, argv)) {
		print_help();
		return CLI_OK;
	}
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (coplan_date_parse_iso(&r.valid_from, optarg, (size_t)-1))
				return cli_input_error("--from: %s", coplan_error_last());
			break;
		case 'r':
			reason = optarg;
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
		return cli_usage_error(usage, "add, list or delete?");
	verb = argv[optind++];
	if (!strcmp(verb, "add")) {
		if (argc - optind != 3)
			return cli_usage_error(usage, "add takes FROM TO RATE, e.g. EUR JPY 160.5");
		if (r.valid_from == COPLAN_DATE_NONE)
			return cli_usage_error(usage, "add needs the day the rate is valid from (--from DATE)");
		for (int k = 0; k < 2; k++) {
			char *code = cli_nation_arg(argv[optind + k]);

			if (strlen(code) != 3 || !coplan_currency_valid(code))
				return cli_input_error("unknown currency '%s' (expected ISO 4217 alpha-3, e.g. EUR)",
				                       code);
			memcpy(k ? r.to : r.from, code, COPLAN_CURRENCY_LEN);
		}
		r.rate = argv[optind + 2];
	} else if (!strcmp(verb, "delete")) {
		if (argc - optind != 1)
			return cli_usage_error(usage, "delete takes the rate's number (coplan rate list)");
		if (cli_parse_long(argv[optind], 1, 1000000, &number))
			return cli_usage_error(usage, "'%s' is not a rate's number", argv[optind]);
	} else if (!strcmp(verb, "list")) {
		if (optind < argc)
			return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	} else {
		return cli_usage_error(usage, "unknown action '%s' (expected add, list or delete)", verb);
	}
	if ((rc = cli_ctx_open(&ctx, 1, NULL, -1, 1)))
		return rc;
	if (!strcmp(verb, "add")) {
		char iso[COPLAN_DATE_ISO_LEN];

		if (!(rc = coplan_service_rate_add(&ctx, plan_id, &r, reason)))
			printf("rate added: 1 %s = %s %s from %s\n", r.from, r.rate, r.to,
			       coplan_date_format_iso(r.valid_from, iso));
	} else if (!strcmp(verb, "delete")) {
		if (!(rc = coplan_service_rate_delete(&ctx, plan_id, (size_t)number, reason)))
			printf("rate %ld deleted\n", number);
	} else {
		coplan_plan *plan = NULL;

		if (!(rc = coplan_service_load(&ctx, plan_id, &plan, NULL)))
			list(plan);
		coplan_plan_free(plan);
	}
	cli_ctx_release(&ctx);
	return rc ? cli_error(rc) : CLI_OK;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_budget.c - coplan budget: what each nation has per year, funding line and currency, against what is planned. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"coplan budget set --nation NATION --year YEAR --funding-line TEXT --currency CUR --amount AMOUNT\n"
	"                  [--expect AMOUNT|none] [--reason TEXT] [--plan ID]\n"
	"   or: coplan budget list [--plan ID]\n"
	"   or: coplan budget delete N [--reason TEXT] [--plan ID]";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "A budget is what a nation has for a year on one funding line in one currency\n"
	       "(ISO 4217).  'set' adds it or changes its amount; 'list' numbers the budgets\n"
	       "and shows what the plan's estimates put on each (the activities not cancelled\n"
	       "on that funding line, paid by that nation, starting in that year; an estimate\n"
	       "in another currency counted only through a rate, coplan rate add), with a\n"
	       "warning for each one exceeded; 'delete N' removes number N.  Each change is\n"
	       "recorded in the audit log with its --reason.  A signed plan refuses changes\n"
	       "until an amendment is started (coplan amend).\n\n"
	       "Options:\n"
	       "  --nation NATION      the nation whose budget it is (ISO 3166-1 alpha-3)\n"
	       "  --year YEAR          the budget's year\n"
	       "  --funding-line TEXT  the funding line, as activities name it (--funding-line)\n"
	       "  --currency CUR       ISO 4217 alpha-3 (EUR, JPY, ...)\n"
	       "  --amount AMOUNT      e.g. 150000.00 (at most the currency's decimals: JPY none)\n"
	       "  --expect AMOUNT|none the amount you read: refused if someone changed it meanwhile\n"
	       "  --reason TEXT        why\n"
	       "  --plan ID            the plan (default: the newest)\n", usage);
}

static void list(const coplan_plan *plan)
{
	coplan_budget_use *u = NULL;
	size_t n = 0;

	if (plan->n_budgets == 0) {
		printf("no budgets in plan '%s' (coplan budget set)\n", plan->title ? plan->title : "");
		return;
	}
	if (coplan_budget_uses(&u, &n, plan)) {
		fprintf(stderr, "coplan: error: %s\n", coplan_error_last());
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const coplan_budget *b = u[i].budget;
		char a[32], p[32];

		printf("%3zu  %s %d %-32s %s %15s  planned %15s%s\n", i + 1, b->nation, b->year,
		       b->funding_line, b->currency, coplan_amount_format(a, sizeof(a), b->amount, b->currency),
		       coplan_amount_format(p, sizeof(p), u[i].planned, b->currency),
		       u[i].over ? "  EXCEEDED" : "");
		if (u[i].n_unconverted)
			printf("     (%zu estimate%s in another currency without a rate: not counted)\n",
			       u[i].n_unconverted, u[i].n_unconverted == 1 ? "" : "s");
	}
	free(u);
}

int cmd_budget(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "nation", required_argument, NULL, 'N' },
		{ "year", required_argument, NULL, 'y' },
		{ "funding-line", required_argument, NULL, 'l' },
		{ "currency", required_argument, NULL, 'c' },
		{ "amount", required_argument, NULL, 'm' },
		{ "expect", required_argument, NULL, 'e' },
		{ "reason", required_argument, NULL, 'r' },
		{ "plan", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	coplan_budget b;
	const char *nation = NULL, *amount = NULL, *expect = NULL, *reason = NULL, *verb;
	long plan_id = 0, number = 0, year = 0;
	long long expected = COPLAN_BUDGET_ANY;
	int c, rc;
	coplan_ctx ctx;

	memset(&b, 0, sizeof(b));
	if (cli_wants_help(argc, argv)) {
		print_help();
		return CLI_OK;
	}
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'N':
			nation = cli_nation_arg(optarg);
			break;
		case 'y':
			if (cli_parse_long(optarg, COPLAN_MODEL_FIRST_YEAR, COPLAN_MODEL_LAST_YEAR, &year))
				return cli_usage_error(usage, "--year takes a year from %d to %d, got '%s'",
				                       COPLAN_MODEL_FIRST_YEAR, COPLAN_MODEL_LAST_YEAR, optarg);
			break;
		case 'l':
			b.funding_line = optarg;
			break;
		case 'c':
			snprintf(b.currency, sizeof(b.currency), "%s", cli_nation_arg(optarg));
			if (strlen(optarg) != 3)
				b.currency[0] = '?';
			break;
		case 'm':
			amount = optarg;
			break;
		case 'e':
			expect = optarg;
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
		return cli_usage_error(usage, "set, list or delete?");
	verb = argv[optind++];
	if (!strcmp(verb, "set")) {
		if (optind < argc)
			return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
		if (!nation || !year || !b.funding_line || !b.currency[0] || !amount)
			return cli_usage_error(usage, "set needs --nation, --year, --funding-line, --currency "
			                       "and --amount");
		if (!coplan_currency_valid(b.currency))
			return cli_input_error("--currency: unknown currency '%s' (expected ISO 4217 alpha-3, "
			                       "e.g. EUR)", b.currency);
		if (coplan_amount_parse(&b.amount, amount, b.currency))
			return cli_input_error("--amount: %s", coplan_error_last());
		if (expect && !strcmp(expect, "none"))
			expected = -1;
		else if (expect && coplan_amount_parse(&expected, expect, b.currency))
			return cli_input_error("--expect: %s", coplan_error_last());
		snprintf(b.nation, sizeof(b.nation), "%s", nation);
		b.year = (int)year;
	} else if (!strcmp(verb, "delete")) {
		if (argc - optind != 1)
			return cli_usage_error(usage, "delete takes the budget's number (coplan budget list)");
		if (cli_parse_long(argv[optind], 1, 1000000, &number))
			return cli_usage_error(usage, "'%s' is not a budget's number", argv[optind]);
	} else if (!strcmp(verb, "list")) {
		if (optind < argc)
			return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	} else {
		return cli_usage_error(usage, "unknown action '%s' (expected set, list or delete)", verb);
	}
	if ((rc = cli_ctx_open(&ctx, 1, NULL, -1, 1)))
		return rc;
	if (!strcmp(verb, "set")) {
		char a[32];

		if (!(rc = coplan_service_budget_set(&ctx, plan_id, &b, expected, reason)))
			printf("budget of %s for %d on '%s': %s %s\n", b.nation, b.year, b.funding_line,
			       coplan_amount_format(a, sizeof(a), b.amount, b.currency), b.currency);
	} else if (!strcmp(verb, "delete")) {
		if (!(rc = coplan_service_budget_delete(&ctx, plan_id, (size_t)number, reason)))
			printf("budget %ld deleted\n", number);
	} else {
		coplan_plan *plan = NULL;

		if (!(rc = coplan_service_load(&ctx, plan_id, &plan, NULL)))
			list(plan);
		coplan_plan_free(plan);
	}
	cli_ctx_release(&ctx);
	return rc ? cli_error(rc) : CLI_OK;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_blackout.c - coplan blackout: the periods a nation or a unit must not (hard) or should not (soft) be planned. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"coplan blackout add (--nation NATION | --unit UNIT) --from DATE --to DATE --reason TEXT [--soft] [--label LABEL] [--plan ID]\n"
	"   or: coplan blackout list [--plan ID]\n"
	"   or: coplan blackout delete N [--reason TEXT] [--plan ID]";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "A blackout keeps a nation's or a unit's activities out of a period: hard (the\n"
	       "scheduler never places one there) or soft (it avoids it at a cost).  The\n"
	       "reason is what 'coplan explain' cites.  'list' numbers them; 'delete N'\n"
	       "removes number N (--reason says why).  Both are recorded in the plan's\n"
	       "history, and 'version compare' and the amendment document list them.  A\n"
	       "signed plan refuses changes until an amendment is started (coplan amend);\n"
	       "re-plan afterwards (coplan schedule --replan).\n\n"
	       "Options:\n"
	       "  --nation NATION   a nation's blackout (ISO 3166-1 alpha-3, e.g. JPN)\n"
	       "  --unit UNIT       a unit's blackout, the unit named as activities name it\n"
	       "  --from DATE, --to DATE  first and last day (YYYY-MM-DD), inclusive\n"
	       "  --reason TEXT     why (\"Golden Week\", \"ship in refit\"); with delete, why it goes\n"
	       "  --soft            avoided at a cost rather than forbidden\n"
	       "  --label LABEL     who may see it (\"RESTRICTED REL TO JPN\", docs/labels.md);\n"
	       "                    default: the plan's label\n"
	       "  --plan ID         the plan (default: the newest)\n", usage);
}

static void list(const coplan_plan *plan)
{
	for (size_t i = 0; i < plan->n_blackouts; i++) {
		const coplan_blackout *b = &plan->blackouts[i];
		char range[64];

		printf("%3zu  %-4s %-28s %s  %s\n", i + 1, b->hard ? "hard" : "soft", b->scope,
		       coplan_report_date_range(range, sizeof(range), b->from, b->to), b->reason ? b->reason : "");
	}
	if (plan->n_blackouts == 0)
		printf("no blackouts in plan '%s' (coplan blackout add)\n", plan->title ? plan->title : "");
}

int cmd_blackout(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "nation", required_argument, NULL, 'N' },
		{ "unit", required_argument, NULL, 'U' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "reason", required_argument, NULL, 'r' },
		{ "soft", no_argument, NULL, 's' },
		{ "label", required_argument, NULL, 'l' },
		{ "plan", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	coplan_blackout b = { NULL, COPLAN_DATE_NONE, COPLAN_DATE_NONE, 1, NULL, NULL };
	const char *nation = NULL, *unit = NULL, *verb;
	long plan_id = 0, number = 0;
	int c, rc;
	coplan_ctx ctx;

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
		case 'U':
			unit = optarg;
			break;
		case 'f':
		case 't':
			if (coplan_date_parse_iso(c == 'f' ? &b.from : &b.to, optarg, (size_t)-1)) {
				fprintf(stderr, "coplan: error: --%s: %s\n", c == 'f' ? "from" : "to", coplan_error_last());
				return CLI_FAIL;
			}
			break;
		case 'r':
			b.reason = optarg;
			break;
		case 's':
			b.hard = 0;
			break;
		case 'l':
			b.label = optarg;
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
		if (optind < argc)
			return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
		if (!nation == !unit)
			return cli_usage_error(usage, "whose blackout? --nation NATION or --unit UNIT");
		if (nation && !coplan_nation_valid(nation)) {
			fprintf(stderr, "coplan: error: --nation: unknown nation '%s' (expected ISO 3166-1 "
			        "alpha-3, e.g. JPN)\n", nation);
			return CLI_FAIL;
		}
		b.scope = (char *)(nation ? nation : unit);
	} else if (!strcmp(verb, "delete")) {
		if (argc - optind != 1)
			return cli_usage_error(usage, "delete takes the blackout's number (coplan blackout list)");
		if (cli_parse_long(argv[optind], 1, 1000000, &number))
			return cli_usage_error(usage, "'%s' is not a blackout's number", argv[optind]);
	} else if (!strcmp(verb, "list")) {
		if (optind < argc)
			return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	} else {
		return cli_usage_error(usage, "unknown action '%s' (expected add, list or delete)", verb);
	}
	if ((rc = cli_ctx_open(&ctx, 1, NULL, -1, 1)))
		return rc;
	if (!strcmp(verb, "add")) {
		if (!(rc = coplan_service_blackout_add(&ctx, plan_id, &b)))
			printf("%s blackout of %s added (coplan schedule --replan moves what it stops)\n",
			       b.hard ? "hard" : "soft", b.scope);
	} else if (!strcmp(verb, "delete")) {
		if (!(rc = coplan_service_blackout_delete(&ctx, plan_id, (size_t)number, NULL, b.reason)))
			printf("blackout %ld deleted\n", number);
	} else {
		coplan_plan *plan = NULL;

		if (!(rc = coplan_service_load(&ctx, plan_id, &plan, NULL)))
			list(plan);
		coplan_plan_free(plan);
	}
	cli_ctx_release(&ctx);
	return rc ? cli_error(rc) : CLI_OK;
}

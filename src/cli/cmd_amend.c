/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_amend.c - coplan amend: start an amendment of a signed plan (a draft version, "Amendment No. N"). */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

static const char usage[] = "coplan amend [--note TEXT] [--author NAME] [--plan ID]";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "A signed plan is never changed in place.  'amend' starts Amendment No. N: a\n"
	       "draft version of the plan as signed, after which activities and blackouts\n"
	       "can be edited and the plan re-planned (coplan schedule --replan moves as few\n"
	       "as possible).  The amendment is then saved agreed and signed like the plan\n"
	       "itself (coplan version save --state agreed, then --state signed).\n\n"
	       "Options:\n"
	       "  --note TEXT     what the amendment is for (\"CSG port call moved to October\")\n"
	       "  --author NAME   who starts it (default: $COPLAN_AUTHOR, else the login name)\n"
	       "  --plan ID       the plan (default: the newest)\n", usage);
}

int cmd_amend(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "note", required_argument, NULL, 'n' },
		{ "author", required_argument, NULL, 'a' },
		{ "plan", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	const char *note = NULL, *author = NULL;
	long plan_id = 0;
	int c, rc, amendment = 0, number = 0;
	coplan_ctx ctx;

	if (cli_wants_help(argc, argv)) {
		print_help();
		return CLI_OK;
	}
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			note = optarg;
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
	if ((rc = cli_ctx_open(&ctx, 1, author, -1, 1)))
		return rc;
	if (!(rc = coplan_service_amend(&ctx, plan_id, note, &amendment, &number)))
		printf("Amendment No. %d started: version %d (draft); edit, re-plan, then save it agreed "
		       "and signed\n", amendment, number);
	cli_ctx_release(&ctx);
	return rc ? cli_error(rc) : CLI_OK;
}

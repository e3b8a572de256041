/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_activity.c - coplan activity: execution tracking (status changes) and each activity's history. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
	"coplan activity set-status REF STATUS [--from DATE --to DATE] [--reason TEXT] [--author NAME] [--plan ID]\n"
	"   or: coplan activity import FILE.csv [--locale L] [--encoding ENC] [--author NAME] [--plan ID]\n"
	"   or: coplan activity history [REF] [--format text|json] [--plan ID]";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "Track the execution of the plan.  STATUS is planned, confirmed, executed,\n"
	       "postponed (needs the new dates --from/--to and a --reason) or cancelled\n"
	       "(needs a --reason).  Every change is kept in an append-only history with\n"
	       "its author and time (UTC); nothing is ever deleted.  Execution is tracked on\n"
	       "signed plans too: it does not change the signed version.\n\n"
	       "'import' records many changes from a CSV file (an execution log kept in a\n"
	       "spreadsheet) with the columns ref, status, from, to, reason and author; all\n"
	       "or nothing: a file with any error records nothing and names its line.\n\n"
	       "Options:\n"
	       "  --from DATE, --to DATE  new first and last day (YYYY-MM-DD) of a postponed activity\n"
	       "  --reason TEXT           why (required for postponed and cancelled)\n"
	       "  --author NAME           who records it (default: $COPLAN_AUTHOR, else the login name)\n"
	       "  --format F              history: text (default) or json, for scripts\n"
	       "  --plan ID               the plan (default: the newest)\n", usage);
}

static int print_history(const coplan_ctx *ctx, long plan_id, const char *ref, int json)
{
	coplan_activity_event *ev = NULL;
	size_t n = 0;
	int rc;

	if ((rc = coplan_service_history(ctx, plan_id, ref, &ev, &n)))
		return rc;
	if (json) {
		char *text = NULL;

		rc = coplan_events_format_json(&text, ev, n);
		rc = cli_print_json(rc, text);
		coplan_activity_events_free(ev, n);
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		char range[64];

		printf("%s  %-8s %-10s %s", ev[i].at, ev[i].ref, coplan_activity_status_name(ev[i].status),
		       coplan_report_date_range(range, sizeof(range), ev[i].start, ev[i].end));
		printf("  by %s%s%s\n", ev[i].author, ev[i].reason ? ": " : "", ev[i].reason ? ev[i].reason : "");
	}
	if (n == 0)
		printf("no status changes recorded%s%s\n", ref ? " for " : "", ref ? ref : "");
	coplan_activity_events_free(ev, n);
	return 0;
}

int cmd_activity(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "reason", required_argument, NULL, 'r' },
		{ "author", required_argument, NULL, 'a' },
		{ "plan", required_argument, NULL, 'p' },
		{ "encoding", required_argument, NULL, 'E' },
		{ "locale", required_argument, NULL, 'L' },
		{ "delimiter", required_argument, NULL, 'D' },
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 }
	};
	coplan_csv_options copts = { 0 };
	coplan_date from = COPLAN_DATE_NONE, to = COPLAN_DATE_NONE;
	coplan_activity_status status;
	const char *reason = NULL, *author = NULL, *verb;
	long plan_id = 0;
	int c, rc, json = 0;
	coplan_ctx ctx;

	if (cli_wants_help(argc, argv)) {
		print_help();
		return CLI_OK;
	}
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
		case 't':
			if (coplan_date_parse_iso(c == 'f' ? &from : &to, optarg, (size_t)-1))
				return cli_input_error("--%s: %s", c == 'f' ? "from" : "to", coplan_error_last());
			break;
		case 'r':
			reason = optarg;
			break;
		case 'a':
			author = optarg;
			break;
		case 'p':
			if (cli_plan_option(optarg, &plan_id, usage))
				return CLI_USAGE;
			break;
		case 'F':
			if (cli_listing_format(optarg, &json, usage))
				return CLI_USAGE;
			break;
		case 'E':
		case 'L':
		case 'D':
			if (cli_csv_option(&copts, c, optarg, usage))
				return CLI_USAGE;
			break;
		default:
			return cli_usage_error(usage, "unknown option or missing value '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage, "set-status, import or history?");
	verb = argv[optind++];
	if (!strcmp(verb, "set-status")) {
		if (argc - optind != 2)
			return cli_usage_error(usage, "set-status takes an activity and a status");
		if (coplan_activity_status_parse(&status, argv[optind + 1]))
			return cli_usage_error(usage, "%s", coplan_error_last());
		if ((from == COPLAN_DATE_NONE) != (to == COPLAN_DATE_NONE))
			return cli_usage_error(usage, "--from and --to go together");
		if (from != COPLAN_DATE_NONE && status != COPLAN_STATUS_POSTPONED)
			return cli_usage_error(usage, "new dates go with the status postponed");
	} else if (!strcmp(verb, "history")) {
		if (argc - optind > 1)
			return cli_usage_error(usage, "history takes at most one activity");
	} else if (!strcmp(verb, "import")) {
		if (argc - optind != 1)
			return cli_usage_error(usage, "import takes one CSV file");
	} else {
		return cli_usage_error(usage, "unknown action '%s' (expected set-status, import or history)", verb);
	}
	if ((rc = cli_ctx_open(&ctx, 1, author, -1, 1)))
		return rc;
	if (!strcmp(verb, "history")) {
		rc = print_history(&ctx, plan_id, optind < argc ? argv[optind] : NULL, json);
	} else if (!strcmp(verb, "import")) {
		size_t n = 0;

		if (!(rc = coplan_service_import_execution_log(&ctx, plan_id, argv[optind], NULL, 0, &copts, &n)))
			printf("recorded %zu status change%s from %s\n", n, n == 1 ? "" : "s", argv[optind]);
	} else {
		coplan_status_change change = { argv[optind], status, from, to, reason, NULL };

		if (!(rc = coplan_service_set_statuses(&ctx, plan_id, &change, 1)))
			printf("%s: %s\n", argv[optind], coplan_activity_status_name(status));
	}
	cli_ctx_release(&ctx);
	return rc ? cli_error(rc) : CLI_OK;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_activity.c - coplan activity: add, edit, delete, pin activities; track execution; each activity's history. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
	"coplan activity add REF --title TEXT --host NATION [FIELD OPTIONS] [--reason TEXT] [--plan ID]\n"
	"   or: coplan activity edit REF FIELD OPTIONS [--reason TEXT] [--plan ID]\n"
	"   or: coplan activity delete REF [--reason TEXT] [--plan ID]\n"
	"   or: coplan activity pin REF [--from DATE] [--reason TEXT] [--plan ID]\n"
	"   or: coplan activity unpin REF [--reason TEXT] [--plan ID]\n"
	"   or: coplan activity set-status REF STATUS [--from DATE --to DATE] [--reason TEXT] [--author NAME] [--plan ID]\n"
	"   or: coplan activity import FILE.csv [--locale L] [--encoding ENC] [--author NAME] [--plan ID]\n"
	"   or: coplan activity history [REF] [--format text|json] [--plan ID]";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "Change the plan: 'add' a proposal, 'edit' its fields, 'delete' it (its\n"
	       "history stays), 'pin' it to where it is (or to --from DATE) so that every\n"
	       "re-plan keeps it there, 'unpin' it.  A signed plan refuses changes until an\n"
	       "amendment is started (coplan amend).  Each change is recorded in the history\n"
	       "with its author and --reason, which the amendment document shows.\n"
	       "Field options, read as the CSV's columns:\n"
	       "  --title TEXT  --area TEXT  --kind TEXT  --host NATION  --participants ITA;JPN\n"
	       "  --units 'A;B'  --duration DAYS  --mode working|calendar  --earliest DATE\n"
	       "  --latest DATE  --requested 2024-03  --after IT-01[+DAYS][?]  --location TEXT\n"
	       "  --notes TEXT  --label 'RESTRICTED REL TO JPN' (who may see it, docs/labels.md;\n"
	       "  empty: the plan's)   (an empty value clears an optional field)\n"
	       "Cost fields: --cost-estimate 12000.50  --cost-actual AMOUNT  --currency EUR\n"
	       "  (ISO 4217; amounts with at most the currency's decimals: JPY none)\n"
	       "  --paid-by host|sending|shared:ITA=60,JPN=40  --funding-line TEXT\n\n"
	       "Track the execution of the plan.  STATUS is planned, confirmed, executed,\n"
	       "postponed (needs the new dates --from/--to and a --reason) or cancelled\n"
	       "(needs a --reason).  Every change is kept in an append-only history with\n"
	       "its author and time (UTC); nothing is ever deleted.  Execution is tracked on\n"
	       "signed plans too: it does not change the signed version.\n\n"
	       "'import' records many changes from a CSV file (an execution log kept in a\n"
	       "spreadsheet) with the columns ref, status, from, to, reason and author; all\n"
	       "or nothing: a file with any error records nothing and names its line.\n"
	       "New dates are checked as the scheduler checks a placement: no shorter than the\n"
	       "activity, on its host's working days, its units free, no hard blackout.\n\n"
	       "Options:\n"
	       "  --from DATE, --to DATE  new first and last day (YYYY-MM-DD) of a postponed activity\n"
	       "  --reason TEXT           why: of an edit, or of a status (required for postponed\n"
	       "                          and cancelled)\n"
	       "  --force                 record a postponement that breaks a hard constraint (a busy\n"
	       "                          unit, a holiday of the host): refused otherwise; warned\n"
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
		const char *what = ev[i].action == COPLAN_EVENT_STATUS ? coplan_activity_status_name(ev[i].status)
		                   : coplan_event_action_name(ev[i].action);

		printf("%s  %-8s %-10s %s", ev[i].at, ev[i].ref, what,
		       coplan_report_date_range(range, sizeof(range), ev[i].start, ev[i].end));
		if (ev[i].detail)
			printf(" (%s)", ev[i].detail);
		printf("  by %s%s%s\n", ev[i].author, ev[i].reason ? ": " : "", ev[i].reason ? ev[i].reason : "");
	}
	if (n == 0)
		printf("no changes recorded%s%s\n", ref ? " for " : "", ref ? ref : "");
	coplan_activity_events_free(ev, n);
	return 0;
}

/* add, edit, delete, pin, unpin: one service call each; what changed is printed. */
static int edit(const char *verb, const char *ref, const coplan_field_value *fields, size_t n,
                const char *locale, coplan_date from, const char *reason, long plan_id,
                const char *author)
{
	coplan_change *changes = NULL;
	size_t n_changes = 0;
	coplan_ctx ctx;
	int rc;

	if ((rc = cli_ctx_open(&ctx, 1, author, -1, 1)))
		return rc;
	if (!strcmp(verb, "add"))
		rc = coplan_service_activity_add(&ctx, plan_id, ref, fields, n, locale, reason);
	else if (!strcmp(verb, "edit"))
		rc = coplan_service_activity_edit(&ctx, plan_id, ref, -1, fields, n, locale, reason, &changes,
		                                  &n_changes);
	else if (!strcmp(verb, "delete"))
		rc = coplan_service_activity_delete(&ctx, plan_id, ref, -1, reason);
	else
		rc = coplan_service_activity_pin(&ctx, plan_id, ref, -1, from, !strcmp(verb, "pin"), reason);
	cli_ctx_release(&ctx);
	if (rc)
		return rc == COPLAN_EUSAGE ? cli_usage_error(usage, "%s", coplan_error_last()) : cli_error(rc);
	if (!strcmp(verb, "edit")) {
		for (size_t k = 0; k < n_changes; k++)
			printf("%s %s: %s -> %s\n", changes[k].ref, changes[k].field ? changes[k].field : "",
			       changes[k].before ? changes[k].before : "(none)",
			       changes[k].after ? changes[k].after : "(none)");
		if (!n_changes)
			printf("%s: nothing changed\n", ref);
		coplan_changes_free(changes, n_changes);
	} else {
		printf("%s: %s%s\n", ref, !strcmp(verb, "add") ? "added" : !strcmp(verb, "delete") ? "deleted" :
		       !strcmp(verb, "pin") ? "pinned" : "unpinned",
		       !strcmp(verb, "add") ? " (coplan schedule --replan places it)" : "");
	}
	return CLI_OK;
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
		{ "force", no_argument, NULL, 'X' },
		/* the fields of an activity, as the CSV names them: 1000 + their index in fields[] */
		{ "title", required_argument, NULL, 1000 },
		{ "area", required_argument, NULL, 1001 },
		{ "kind", required_argument, NULL, 1002 },
		{ "host", required_argument, NULL, 1003 },
		{ "participants", required_argument, NULL, 1004 },
		{ "units", required_argument, NULL, 1005 },
		{ "duration", required_argument, NULL, 1006 },
		{ "mode", required_argument, NULL, 1007 },
		{ "earliest", required_argument, NULL, 1008 },
		{ "latest", required_argument, NULL, 1009 },
		{ "requested", required_argument, NULL, 1010 },
		{ "after", required_argument, NULL, 1011 },
		{ "location", required_argument, NULL, 1012 },
		{ "notes", required_argument, NULL, 1013 },
		{ "label", required_argument, NULL, 1014 },
		{ "cost-estimate", required_argument, NULL, 1015 },
		{ "cost-actual", required_argument, NULL, 1016 },
		{ "currency", required_argument, NULL, 1017 },
		{ "paid-by", required_argument, NULL, 1018 },
		{ "funding-line", required_argument, NULL, 1019 },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const field_names[] = {
		"title", "area", "kind", "host", "participants", "units", "duration", "mode",
		"earliest", "latest", "requested", "after", "location", "notes", "label", "cost_estimate",
		"cost_actual", "currency", "paid_by", "funding_line"
	};
	coplan_field_value fields[sizeof(field_names) / sizeof(field_names[0])];
	size_t n_fields = 0;
	coplan_csv_options copts = { 0 };
	coplan_date from = COPLAN_DATE_NONE, to = COPLAN_DATE_NONE;
	coplan_activity_status status;
	const char *reason = NULL, *author = NULL, *verb;
	long plan_id = 0;
	int c, rc, json = 0, force = 0;
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
		case 'X':
			force = 1;
			break;
		case 'E':
		case 'L':
		case 'D':
			if (cli_csv_option(&copts, c, optarg, usage))
				return CLI_USAGE;
			break;
		case 1000: case 1001: case 1002: case 1003: case 1004: case 1005: case 1006:
		case 1007: case 1008: case 1009: case 1010: case 1011: case 1012: case 1013:
		case 1014: case 1015: case 1016: case 1017: case 1018: case 1019:
			for (size_t k = 0; k < n_fields; k++)
				if (!strcmp(fields[k].field, field_names[c - 1000]))
					return cli_usage_error(usage, "--%s given twice", field_names[c - 1000]);
			fields[n_fields].field = field_names[c - 1000];
			fields[n_fields++].value = optarg;
			break;
		default:
			return cli_usage_error(usage, "unknown option or missing value '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage, "add, edit, delete, pin, unpin, set-status, import or history?");
	verb = argv[optind++];
	if (n_fields && strcmp(verb, "add") && strcmp(verb, "edit"))
		return cli_usage_error(usage, "--%s is a field of 'add' and 'edit'", fields[0].field);
	if (!strcmp(verb, "add") || !strcmp(verb, "edit") || !strcmp(verb, "delete") ||
	    !strcmp(verb, "pin") || !strcmp(verb, "unpin")) {
		if (argc - optind != 1)
			return cli_usage_error(usage, "%s takes one activity (its ref)", verb);
		if (to != COPLAN_DATE_NONE || (from != COPLAN_DATE_NONE && strcmp(verb, "pin")))
			return cli_usage_error(usage, "--from goes with pin here (--to with set-status)");
		if (!strcmp(verb, "edit") && !n_fields)
			return cli_usage_error(usage, "edit what? give a field, e.g. --title TEXT");
		return edit(verb, argv[optind], fields, n_fields, copts.locale, from, reason, plan_id, author);
	}
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
		return cli_usage_error(usage, "unknown action '%s' (expected add, edit, delete, pin, unpin, "
		                       "set-status, import or history)", verb);
	}
	if ((rc = cli_ctx_open(&ctx, 1, author, -1, 1)))
		return rc;
	if (!strcmp(verb, "history")) {
		rc = print_history(&ctx, plan_id, optind < argc ? argv[optind] : NULL, json);
	} else if (!strcmp(verb, "import")) {
		size_t n = 0;

		char *warnings = NULL;

		if (!(rc = coplan_service_import_execution_log(&ctx, plan_id, argv[optind], NULL, 0, &copts,
		                                               force, &n, &warnings)))
			printf("recorded %zu status change%s from %s\n", n, n == 1 ? "" : "s", argv[optind]);
		cli_print_warnings(warnings);
	} else {
		coplan_status_change change = { argv[optind], status, from, to, reason, NULL };
		char *warnings = NULL;

		if (!(rc = coplan_service_set_statuses(&ctx, plan_id, &change, 1, force, &warnings)))
			printf("%s: %s\n", argv[optind], coplan_activity_status_name(status));
		cli_print_warnings(warnings);
	}
	cli_ctx_release(&ctx);
	return rc ? cli_error(rc) : CLI_OK;
}

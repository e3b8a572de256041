/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_schedule.c - coplan schedule: place the plan's activities and store the result. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "coplan/compare.h"

static const char usage[] =
	"coplan schedule [--plan ID] [--time-limit SECONDS] [--seed N] [--replan] [--quiet] [--format text|json]";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "Schedule the plan's activities into a conflict-free year and store the\n"
	       "dates: every activity inside its time window, working-day activities on\n"
	       "the host's working days, no unit in two places at once, precedences and\n"
	       "hard blackouts kept; the requested periods, soft blackouts and spread\n"
	       "preferred.  Prints the summary and, for each activity that could not be\n"
	       "placed, the constraint that stopped it.\n\n"
	       "With --replan, the stored dates are the starting point and every day an\n"
	       "activity moves costs; then each activity that moved is listed with its\n"
	       "old and new dates and why it could not stay (or what staying would cost).\n"
	       "A signed plan is not rescheduled: save a draft amendment first.\n\n"
	       "Options:\n"
	       "  --plan ID             the plan (default: the newest)\n"
	       "  --time-limit SECONDS  search for at most this long (an anytime search: the result\n"
	       "                        can differ between machines; it stops earlier at a proven\n"
	       "                        optimum or when it stops improving); without it the search\n"
	       "                        has a fixed budget of moves and is reproducible anywhere\n"
	       "  --seed N              random seed; the same seed gives the same plan (default 1)\n"
	       "  --replan              start from the stored dates and move as few as possible\n"
	       "  --quiet               no progress line on standard error\n"
	       "  --format F            text (default) or json: counts, score, unplaced and moved\n"
	       "                        activities, for scripts\n", usage);
}

/*
 * Print what moved between before and after and why: the constraints
 * that now forbid the old start, or what the old start would cost.
 */
static int print_moves(const coplan_plan *before, const coplan_plan *after)
{
	coplan_change *ch = NULL;
	size_t n = 0, moved = 0;
	int rc;

	if ((rc = coplan_plan_compare(&ch, &n, before, after)))
		return rc;
	for (size_t k = 0; k < n && !rc; k++) {
		const coplan_activity *old;
		long i;

		if (ch[k].kind != COPLAN_CHANGE_MOVED)
			continue;
		moved++;
		printf("moved %s (%s): %s -> %s\n", ch[k].ref, ch[k].title ? ch[k].title : "",
		       ch[k].before ? ch[k].before : "unplaced", ch[k].after ? ch[k].after : "unplaced");
		i = coplan_plan_find(before, ch[k].ref);
		old = i >= 0 ? &before->activities[i] : NULL;
		if (old && old->start != COPLAN_DATE_NONE) {
			coplan_explanation *stay = NULL, *now = NULL;
			char *why = NULL, *now_text = NULL;

			if ((rc = coplan_schedule_explain_ex(&stay, after, ch[k].ref, old->start)) ||
			    (rc = coplan_explanation_format_text(&why, stay)))
				goto next;
			if (stay->outcome == COPLAN_EXPLAIN_CAN_START) {
				/* it could have stayed: say what each place costs */
				if (!(rc = coplan_schedule_explain_ex(&now, after, ch[k].ref, COPLAN_DATE_NONE)) &&
				    !(rc = coplan_explanation_format_text(&now_text, now)))
					printf("  why: staying costs more. %s; now: %s\n", why, now_text);
			} else {
				printf("  why: %s\n", why);
			}
next:
			free(why);
			free(now_text);
			coplan_explanation_free(stay);
			coplan_explanation_free(now);
			if (rc)
				break;
		} else if (i >= 0) {
			printf("  why: it was unplaced\n");
		}
	}
	if (!rc)
		printf("%zu activit%s moved\n", moved, moved == 1 ? "y" : "ies");
	coplan_changes_free(ch, n);
	return rc;
}

int cmd_schedule(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "plan", required_argument, NULL, 'p' },
		{ "time-limit", required_argument, NULL, 't' },
		{ "seed", required_argument, NULL, 's' },
		{ "replan", no_argument, NULL, 'r' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 }
	};
	coplan_schedule_request req = { -1, 1, 0, 0 };
	coplan_schedule_result result;
	coplan_ctx ctx;
	long plan_id = 0, seed = 1;
	int quiet = 0, c, rc, status = CLI_OK, json = 0;
	char *summary = NULL;

	if (cli_wants_help(argc, argv)) {
		print_help();
		return CLI_OK;
	}
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (cli_plan_option(optarg, &plan_id, usage))
				return CLI_USAGE;
			break;
		case 't':
		case 's':
			if (cli_schedule_option(c, optarg, &req.time_limit, &seed, usage))
				return CLI_USAGE;
			break;
		case 'r':
			req.replan = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'F':
			if (cli_listing_format(optarg, &json, usage))
				return CLI_USAGE;
			break;
		default:
			return cli_usage_error(usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	req.seed = (unsigned long)seed;
	if ((rc = cli_ctx_open(&ctx, 1, NULL, req.time_limit, quiet)))
		return rc;
	rc = coplan_service_schedule(&ctx, plan_id, &req, &result);
	cli_ctx_release(&ctx);
	if (rc)
		return cli_error(rc);
	cli_warn_calendars(result.missing_calendars, result.n_missing_calendars);
	if (json) {
		rc = coplan_schedule_result_format_json(&summary, &result);
		rc = cli_print_json(rc, summary); /* frees it */
		summary = NULL;
		if (rc)
			goto fail;
		goto cleanup;
	}
	if ((rc = coplan_report_summary(&summary, NULL, result.plan)))
		goto fail;
	fputs(summary, stdout);
	/* the score in words: what a staff officer reads, with the figures behind it */
	printf("score: %ld broken hard constraint%s, %ld unplaced, soft cost %ld (dates away from "
	       "the requests, soft blackouts, weekends inside short activities, busy months); each is "
	       "better lower, in that order\n", -result.score.hard, result.score.hard == -1 ? "" : "s",
	       -result.score.medium, -result.score.soft);
	if (req.replan && (rc = print_moves(result.before, result.plan)))
		goto fail;
	goto cleanup;
fail:
	status = cli_error(rc);
cleanup:
	free(summary);
	coplan_schedule_result_clear(&result);
	return status;
}

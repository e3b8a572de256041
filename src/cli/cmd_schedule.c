/* cmd_schedule.c - coplan schedule: place the plan's activities and store the result. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "coplan/compare.h"

static const char usage[] =
	"coplan schedule [--plan ID] [--time-limit SECONDS] [--seed N] [--replan] [--quiet]";

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
	       "  --quiet               no progress line on standard error\n", usage);
}

static void progress(const coplan_score *best, double elapsed, void *payload)
{
	(void)payload;
	fprintf(stderr, "\r%6.1f s  best score %ldhard/%ldmedium/%ldsoft", elapsed, best->hard,
	        best->medium, best->soft);
	fflush(stderr);
}

int cli_schedule_options(coplan_schedule_options *opts, double time_limit, unsigned long seed,
                         int replan, int quiet, size_t n_activities)
{
	memset(opts, 0, sizeof(*opts));
	opts->seed = seed;
	opts->replan = replan;
	if (time_limit < 0) {
		/*
		 * No --time-limit: a budget of moves, not of seconds, so that the
		 * same plan and seed give the same schedule on every machine, loaded
		 * or not, sanitized or not.  The search still ends earlier at a
		 * proven optimum or when it stops improving.
		 */
		opts->max_iterations = n_activities * CLI_MOVES_PER_ACTIVITY > CLI_MIN_MOVES
		                       ? n_activities * CLI_MOVES_PER_ACTIVITY : CLI_MIN_MOVES;
		return 0;
	}
	opts->time_limit = time_limit;
	if (!quiet && isatty(STDERR_FILENO) && time_limit >= 2)
		opts->progress = progress;
	return 0;
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
		{ NULL, 0, NULL, 0 }
	};
	coplan_schedule_options opts;
	coplan_store *store = NULL;
	coplan_plan *plan = NULL, *before = NULL;
	coplan_score score;
	long plan_id = 0, seed = 1, id;
	double time_limit = -1; /* not given: a deterministic budget */
	int replan = 0, quiet = 0, c, rc, status = CLI_OK, in_transaction = 0;
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
			if (cli_schedule_option(c, optarg, &time_limit, &seed, usage))
				return CLI_USAGE;
			break;
		case 'r':
			replan = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		default:
			return cli_usage_error(usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	if (!(store = cli_open_store_existing()))
		return CLI_FAIL;
	/* load, schedule, save as one transaction: no other writer's change is lost */
	if ((rc = coplan_store_begin(store)))
		goto fail;
	in_transaction = 1;
	if ((rc = coplan_store_load_plan(store, plan_id, &plan, &id)))
		goto fail;
	if (replan && (rc = coplan_store_load_plan(store, id, &before, NULL)))
		goto fail;
	cli_schedule_options(&opts, time_limit, (unsigned long)seed, replan, quiet, plan->n_activities);
	cli_warn_missing_calendars(plan);
	if ((rc = coplan_schedule(plan, &opts, &score)))
		goto fail;
	if (opts.progress)
		fputc('\n', stderr);
	if ((rc = coplan_store_update_plan(store, id, plan)))
		goto fail;
	in_transaction = 0;
	if ((rc = coplan_store_end(store, 0)))
		goto fail;
	if ((rc = coplan_report_summary(&summary, NULL, plan)))
		goto fail;
	fputs(summary, stdout);
	/* the score in words: what a staff officer reads, with the figures behind it */
	printf("score: %ld hard, %ld medium, %ld soft (%ld broken hard constraint%s, %ld unplaced, "
	       "a cost of %ld for dates away from the requests, soft blackouts, weekends inside "
	       "short activities and busy months; lower is better)\n", score.hard, score.medium,
	       score.soft, -score.hard, score.hard == -1 ? "" : "s", -score.medium, -score.soft);
	if (replan && (rc = print_moves(before, plan)))
		goto fail;
	goto cleanup;
fail:
	if (in_transaction)
		coplan_store_end(store, rc);
	status = cli_error(rc);
cleanup:
	free(summary);
	coplan_plan_free(before);
	coplan_plan_free(plan);
	coplan_store_close(store);
	return status;
}

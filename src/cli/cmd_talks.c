/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_talks.c - coplan talks: the record of the staff talks that adopted a plan. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] = "coplan talks [show] [--plan ID]\n   or: coplan talks list [--format text|json]";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "The record of the staff talks: 'show' prints the edition that adopted the\n"
	       "plan (series, edition, dates, venue, each delegation with its head and\n"
	       "members, the agenda and the areas of cooperation agreed); 'list' lists every\n"
	       "plan in the database with the talks that adopted it.  The record is read\n"
	       "from a plan document's \"staff_talks\" (coplan import plan.json).\n\n"
	       "Options:\n"
	       "  --plan ID     the plan (default: the newest)\n"
	       "  --format F    list: text (default) or json, for scripts\n", usage);
}

static void print_person(const char *indent, const char *rank, const char *name,
                         const char *native, const char *post, const char *organisation)
{
	printf("%s%s%s%s", indent, rank ? rank : "", rank ? " " : "", name ? name : "");
	if (native)
		printf(" (%s)", native);
	if (post)
		printf(", %s", post);
	if (organisation)
		printf(", %s", organisation);
	putchar('\n');
}

static void show(const coplan_plan *plan)
{
	const coplan_staff_talks *t = &plan->talks;
	char range[64];

	if (!plan->has_talks) {
		printf("plan '%s' %d has no staff talks on record\n", plan->title, plan->year);
		return;
	}
	printf("%s staff talks, edition %d\n", t->series ? t->series : "", t->edition);
	printf("  dates: %s\n", coplan_report_date_range(range, sizeof(range), t->start, t->end));
	if (t->venue)
		printf("  venue: %s\n", t->venue);
	for (size_t i = 0; i < t->n_delegations; i++) {
		const coplan_delegation *d = &t->delegations[i];
		const char *name = coplan_nation_name(d->nation);

		printf("  delegation of %s:\n", name ? name : d->nation);
		print_person("    head: ", d->head_rank, d->head_name, d->head_name_native, d->head_post,
		             d->head_organisation);
		for (size_t m = 0; m < d->n_members; m++)
			print_person("    ", d->members[m].rank, d->members[m].name, d->members[m].name_native,
			             d->members[m].post, d->members[m].organisation);
	}
	if (t->n_sessions)
		printf("  sessions:\n");
	for (size_t i = 0; i < t->n_sessions; i++) {
		const coplan_talks_session *ss = &t->sessions[i];
		char iso[COPLAN_DATE_ISO_LEN];

		printf("    %s %02d:%02d-%02d:%02d %s  %s%s%s\n", coplan_date_format_iso(ss->date, iso),
		       ss->start_minute / 60, ss->start_minute % 60, ss->end_minute / 60,
		       ss->end_minute % 60, ss->zone, ss->title, ss->location ? ", " : "",
		       ss->location ? ss->location : "");
	}
	if (t->n_agenda)
		printf("  agenda:\n");
	for (size_t i = 0; i < t->n_agenda; i++)
		printf("    %zu. %s\n", i + 1, t->agenda[i]);
	if (t->n_areas) {
		printf("  areas of cooperation agreed:");
		for (size_t i = 0; i < t->n_areas; i++)
			printf("%s %s", i ? "," : "", t->areas[i]);
		putchar('\n');
	}
	printf("  adopted: %s (%zu %s)\n", plan->title, plan->n_activities,
	       cli_plural(plan->n_activities, "activity", "activities"));
}

static void list_one(long id, const coplan_plan *plan)
{
	char range[64];

	printf("%4ld  %-28s %d", id, plan->title, plan->year);
	if (plan->has_talks)
		printf("  %s #%d, %s%s%s", plan->talks.series ? plan->talks.series : "", plan->talks.edition,
		       coplan_report_date_range(range, sizeof(range), plan->talks.start, plan->talks.end),
		       plan->talks.venue ? ", " : "", plan->talks.venue ? plan->talks.venue : "");
	putchar('\n');
}

int cmd_talks(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "plan", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 }
	};
	coplan_plan *plan = NULL;
	const char *verb = "show";
	coplan_ctx ctx;
	long plan_id = 0;
	int c, rc, json = 0;

	if (cli_wants_help(argc, argv)) {
		print_help();
		return CLI_OK;
	}
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'F') {
			if (cli_listing_format(optarg, &json, usage))
				return CLI_USAGE;
			continue;
		}
		if (c != 'p')
			return cli_usage_error(usage, "unknown option or missing value '%s'", argv[optind - 1]);
		if (cli_plan_option(optarg, &plan_id, usage))
			return CLI_USAGE;
	}
	if (optind < argc)
		verb = argv[optind++];
	if (optind < argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	if (strcmp(verb, "show") && strcmp(verb, "list"))
		return cli_usage_error(usage, "unknown action '%s' (expected show or list)", verb);
	if (json && strcmp(verb, "list"))
		return cli_usage_error(usage, "--format json goes with list (the whole record of the talks "
		                       "is in 'coplan export json')");
	if ((rc = cli_ctx_open(&ctx, 1, NULL, -1, 1)))
		return rc;
	if (!strcmp(verb, "list")) {
		coplan_plan_entry *plans = NULL;
		size_t n = 0;

		if (!(rc = coplan_service_plans(&ctx, &plans, &n)) && json) {
			char *text = NULL;

			rc = coplan_plans_format_json(&text, plans, n);
			rc = cli_print_json(rc, text);
		} else if (!rc) {
			for (size_t i = 0; i < n; i++)
				list_one(plans[i].id, plans[i].plan);
		}
		coplan_plan_entries_free(plans, n);
	} else if (!(rc = coplan_service_load(&ctx, plan_id, &plan, NULL))) {
		show(plan);
	}
	coplan_plan_free(plan);
	cli_ctx_release(&ctx);
	return rc ? cli_error(rc) : CLI_OK;
}

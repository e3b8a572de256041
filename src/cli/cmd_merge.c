/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_merge.c - coplan merge: the conflicts of a partner's bundle with our plan: list, take a side or a value, apply. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"coplan merge list [--plan ID]\n"
	"   or: coplan merge take REF FIELD ours|theirs [--plan ID]\n"
	"   or: coplan merge take REF FIELD --value V [--plan ID]\n"
	"   or: coplan merge apply [--plan ID]\n"
	"   or: coplan merge abort [--plan ID]";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "When a partner's bundle (coplan bundle import) and our plan both changed\n"
	       "the same thing since their common base, the import waits for a person:\n"
	       "the same field changed to different values, one ref added on both sides\n"
	       "with different content, or an activity deleted on one side and edited on\n"
	       "the other (field '*': the whole activity).  Nothing is applied until every\n"
	       "conflict is resolved.\n\n"
	       "  list     each conflict: ref, field, base, ours, theirs, and the choice made\n"
	       "  take     resolve one: our value, the partner's, or --value V (JSON, or\n"
	       "           any other text as text)\n"
	       "  apply    make the plan the merge's result, saved as a new draft version\n"
	       "           whose note names both sides\n"
	       "  abort    drop the waiting merge, changing nothing (the bundle stays taken)\n\n"
	       "Options:\n"
	       "  --value V   the value to take\n"
	       "  --plan ID   the plan (default: the newest)\n", usage);
}

static void show(const char *what, const char *v)
{
	printf("    %-7s %s\n", what, v ? v : "(absent)");
}

int cmd_merge(int argc, char **argv)
{
	enum { OPT_VALUE = 256, OPT_PLAN };
	static const struct option longopts[] = {
		{ "value", required_argument, NULL, OPT_VALUE },
		{ "plan", required_argument, NULL, OPT_PLAN },
		{ NULL, 0, NULL, 0 },
	};
	const char *value = NULL, *verb;
	long plan_id = 0;
	int c, rc;
	coplan_ctx ctx;

	if (cli_wants_help(argc, argv)) {
		print_help();
		return CLI_OK;
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == OPT_VALUE)
			value = optarg;
		else if (c == OPT_PLAN) {
			if (cli_plan_option(optarg, &plan_id, usage))
				return CLI_USAGE;
		} else
			return cli_usage_error(usage, "unknown option or missing value '%s'", argv[optind - 1]);
	}
	if (optind >= argc)
		return cli_usage_error(usage, "list, take, apply or abort?");
	verb = argv[optind++];
	if (!strcmp(verb, "take")) {
		coplan_merge_choice choice = COPLAN_MERGE_VALUE;
		const char *ref, *field;

		if (argc - optind != (value ? 2 : 3))
			return cli_usage_error(usage, "take REF FIELD and ours, theirs or --value V");
		ref = argv[optind];
		field = argv[optind + 1];
		if (!value) {
			if (!strcmp(argv[optind + 2], "ours"))
				choice = COPLAN_MERGE_OURS;
			else if (!strcmp(argv[optind + 2], "theirs"))
				choice = COPLAN_MERGE_THEIRS;
			else
				return cli_usage_error(usage, "take: '%s' is neither ours nor theirs (or --value V)",
				                       argv[optind + 2]);
		}
		if ((rc = cli_ctx_open(&ctx, 1, NULL, -1, 1)))
			return rc;
		if (!(rc = coplan_service_merge_take(&ctx, plan_id, ref, field, choice, value)))
			printf("%s %s: %s\n", ref, field, choice == COPLAN_MERGE_OURS ? "ours" :
			       choice == COPLAN_MERGE_THEIRS ? "theirs" : value);
		cli_ctx_release(&ctx);
		return rc ? cli_error(rc) : CLI_OK;
	}
	if (value)
		return cli_usage_error(usage, "--value goes with take");
	if (optind < argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	if (strcmp(verb, "list") && strcmp(verb, "apply") && strcmp(verb, "abort"))
		return cli_usage_error(usage, "unknown action '%s' (expected list, take, apply or abort)", verb);
	if ((rc = cli_ctx_open(&ctx, 1, NULL, -1, 1)))
		return rc;
	if (!strcmp(verb, "list")) {
		coplan_merge_conflict *v = NULL;
		size_t n = 0, open = 0;
		char from[4] = "";

		if (!(rc = coplan_service_merge_conflicts(&ctx, plan_id, &v, &n, from))) {
			for (size_t i = 0; i < n; i++) {
				const char *choice = v[i].choice == COPLAN_MERGE_OURS ? "ours" :
				                     v[i].choice == COPLAN_MERGE_THEIRS ? "theirs" :
				                     v[i].choice == COPLAN_MERGE_VALUE ? "value" : "OPEN";
				printf("%s %s: %s\n", v[i].ref, v[i].field, choice);
				show("base", v[i].base);
				show("ours", v[i].ours);
				show("theirs", v[i].theirs);
				if (v[i].choice == COPLAN_MERGE_VALUE)
					show("value", v[i].value);
				open += v[i].choice == COPLAN_MERGE_OPEN;
			}
			printf("%zu %s with %s, %zu open\n", n, cli_plural(n, "conflict", "conflicts"), from, open);
		}
		coplan_merge_conflicts_free(v, n);
	} else if (!strcmp(verb, "apply")) {
		int version = 0;

		if (!(rc = coplan_service_merge_apply(&ctx, plan_id, &version)))
			printf("merge applied: version %d (draft)\n", version);
	} else if (!(rc = coplan_service_merge_abort(&ctx, plan_id))) {
		printf("merge dropped: the plan is unchanged\n");
	}
	cli_ctx_release(&ctx);
	return rc ? cli_error(rc) : CLI_OK;
}

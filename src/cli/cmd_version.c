/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_version.c - coplan version: save, list and compare versions of a plan (draft, agreed, signed). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
	"coplan version save --state draft|agreed|signed [--note TEXT] [--author NAME] [--plan ID]\n"
	"   or: coplan version list [--format text|json] [--plan ID]\n"
	"   or: coplan version compare [OLD [NEW]] [--html | --format json] [--plan ID]";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "A cooperation plan is drafted, agreed at the staff talks, then signed by\n"
	       "the heads of delegation.  'save' keeps the plan as it stands as a new\n"
	       "version that never changes.  Only a version saved as agreed can be signed;\n"
	       "a signed plan refuses every edit until a draft is saved (an amendment).\n\n"
	       "'compare' lists what changed between two versions: OLD and NEW are version\n"
	       "numbers or 'current' (the plan as it stands); by default the newest signed\n"
	       "version against the current plan.\n\n"
	       "Options:\n"
	       "  --state STATE   draft, agreed or signed\n"
	       "  --note TEXT     what this version is (\"agreed at the 8th staff talks\")\n"
	       "  --author NAME   who saves it (default: $COPLAN_AUTHOR, else the login name)\n"
	       "  --html          compare as an HTML table\n"
	       "  --format F      list, compare: text (default) or json, for scripts\n"
	       "  --plan ID       the plan (default: the newest)\n", usage);
}

int cmd_version(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "note", required_argument, NULL, 'n' },
		{ "author", required_argument, NULL, 'a' },
		{ "html", no_argument, NULL, 'H' },
		{ "format", required_argument, NULL, 'F' },
		{ "plan", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	coplan_version_state state = COPLAN_VERSION_DRAFT;
	const char *note = NULL, *author = NULL, *verb, *state_arg = NULL;
	long plan_id = 0;
	int c, rc, html = 0, number, json = 0;
	coplan_ctx ctx;

	if (cli_wants_help(argc, argv)) {
		print_help();
		return CLI_OK;
	}
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			state_arg = optarg;
			if (coplan_version_state_parse(&state, optarg))
				return cli_usage_error(usage, "%s", coplan_error_last());
			break;
		case 'n':
			note = optarg;
			break;
		case 'a':
			author = optarg;
			break;
		case 'H':
			html = 1;
			break;
		case 'F':
			if (cli_listing_format(optarg, &json, usage))
				return CLI_USAGE;
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
		return cli_usage_error(usage, "save, list or compare?");
	verb = argv[optind++];
	if (!strcmp(verb, "save")) {
		if (!state_arg)
			return cli_usage_error(usage, "save needs --state draft, agreed or signed");
		if (optind < argc)
			return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	} else if (!strcmp(verb, "list")) {
		if (optind < argc)
			return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	} else if (!strcmp(verb, "compare")) {
		if (argc - optind > 2)
			return cli_usage_error(usage, "compare takes at most two versions");
		for (int i = optind; i < argc; i++) {
			long v;
			if (strcmp(argv[i], "current") && strcmp(argv[i], "signed") &&
			    cli_parse_long(argv[i], 1, 1000000, &v))
				return cli_usage_error(usage, "'%s' is not a version (a number, 'signed' or 'current')", argv[i]);
		}
	} else {
		return cli_usage_error(usage, "unknown action '%s' (expected save, list or compare)", verb);
	}
	if ((rc = cli_ctx_open(&ctx, 1, author, -1, 1)))
		return rc;
	if (!strcmp(verb, "save")) {
		coplan_plan *plan = NULL;
		char *conflicts = NULL;

		rc = coplan_service_version_save(&ctx, plan_id, state, note, &number, &conflicts, &plan);
		if (!rc)
			printf("plan '%s' %d: version %d saved as %s\n", plan->title, plan->year, number,
			       coplan_version_state_name(state));
		else if (conflicts)
			fputs(conflicts, stderr);
		free(conflicts);
		coplan_plan_free(plan);
	} else if (!strcmp(verb, "list")) {
		coplan_plan_version *v = NULL;
		size_t n = 0;

		if (!(rc = coplan_service_versions(&ctx, plan_id, &v, &n)) && json) {
			char *text = NULL;

			rc = coplan_versions_format_json(&text, v, n);
			rc = cli_print_json(rc, text);
		} else if (!rc) {
			for (size_t i = 0; i < n; i++)
				printf("%3d  %-7s %s  %s%s%s\n", v[i].number, coplan_version_state_name(v[i].state),
				       v[i].created_at, v[i].author, v[i].note ? "  " : "", v[i].note ? v[i].note : "");
			if (n == 0)
				printf("no versions saved yet (coplan version save --state draft)\n");
		}
		coplan_plan_versions_free(v, n);
	} else {
		coplan_change *changes = NULL;
		char *text = NULL;
		size_t n = 0;

		if (!(rc = coplan_service_compare(&ctx, plan_id, optind < argc ? argv[optind] : NULL,
		                                  optind + 1 < argc ? argv[optind + 1] : NULL, &changes, &n)) &&
		    !(rc = json ? coplan_changes_format_json(&text, changes, n)
		                : coplan_changes_format(&text, NULL, changes, n, html)))
			fputs(text, stdout);
		free(text);
		coplan_changes_free(changes, n);
	}
	cli_ctx_release(&ctx);
	return rc ? cli_error(rc) : CLI_OK;
}

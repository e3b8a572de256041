/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_export.c - coplan export: the plan as Markdown, HTML, JSON, iCalendar, CSV for Excel or an LP. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static const char usage[] =
	"coplan export (md|html|json|ics|csv|lp) [-o FILE] [--plan ID] [--host NATION] [--unit UNIT]\n"
	"              [--locale L]";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "Write the plan in a format: md (Markdown tables), html (a document to print\n"
	       "and sign), json (the whole plan; 'coplan import' reads it back), ics (an\n"
	       "iCalendar feed for Outlook, Google and Apple calendars), csv (one row per\n"
	       "activity as Excel opens it in the --locale given: UTF-8 with BOM, ';' where\n"
	       "the comma is the decimal mark, headers in Italian or Japanese for it and ja;\n"
	       "'coplan import' reads it back), lp (the scheduling\n"
	       "problem as a mixed-integer programme in CPLEX LP format, for a solver such\n"
	       "as CBC; the whole plan, no filters).  To standard output\n"
	       "unless -o names a file, which is replaced whole or not at all.\n\n"
	       "Options:\n"
	       "  -o, --output FILE  write to FILE\n"
	       "  --plan ID          the plan (default: the newest)\n"
	       "  --host NATION      only activities hosted by NATION (e.g. JPN)\n"
	       "  --unit UNIT        only activities UNIT takes part in\n"
	       "  --locale L         csv: en-GB (default), en-US, it, ja, de, fr...\n", usage);
}

int cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "plan", required_argument, NULL, 'p' },
		{ "host", required_argument, NULL, 'H' },
		{ "unit", required_argument, NULL, 'u' },
		{ "locale", required_argument, NULL, 'L' },
		{ NULL, 0, NULL, 0 }
	};
	coplan_render_options ropts = {
		.gantt = { 0, COPLAN_DATE_NONE, COPLAN_DATE_NONE, 0 }
	};
	coplan_export_options *eopts = &ropts.export;
	coplan_format format;
	coplan_ctx ctx;
	const char *output = NULL;
	char *data = NULL;
	size_t len;
	long plan_id = 0;
	int c, rc, status = CLI_OK;

	if (cli_wants_help(argc, argv)) {
		print_help();
		return CLI_OK;
	}
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'p':
			if (cli_plan_option(optarg, &plan_id, usage))
				return CLI_USAGE;
			break;
		case 'H':
			if (!coplan_nation_valid(cli_nation_arg(optarg)))
				return cli_input_error("unknown nation '%s' for --host (expected ISO 3166-1 "
				                       "alpha-3, e.g. JPN)", optarg);
			eopts->host = optarg;
			break;
		case 'u':
			eopts->unit = optarg;
			break;
		case 'L':
			eopts->locale = optarg;
			break;
		default:
			return cli_usage_error(usage, "unknown option or missing value '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage, "which format? md, html, json, ics, csv or lp");
	if (optind + 1 < argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind + 1]);
	if (coplan_format_parse(&format, argv[optind]))
		return cli_usage_error(usage, "unknown format '%s' (expected md, html, json, ics, csv or lp)", argv[optind]);
	if ((rc = cli_ctx_open(&ctx, 1, NULL, -1, 1)))
		return rc;
	if ((rc = coplan_service_render(&ctx, plan_id, argv[optind], &ropts, &data, &len, NULL)))
		status = cli_error(rc);
	else if (cli_warn_excel_format(&ctx, plan_id, argv[optind]), cli_write_output(output, data, len))
		status = CLI_FAIL;
	free(data);
	cli_ctx_release(&ctx);
	return status;
}

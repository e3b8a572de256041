/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_report.c - coplan report: the summary, plan against execution, and the documents staffs sign and use. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "coplan/document.h"

static const char usage[] =
	"coplan report [--format FORMAT] [-o FILE] [--execution | --costs [--currency CUR]] [--plan ID]\n"
	"              [--width PX] [--year YEAR | --from DATE --to DATE]\n"
	"              [--locale it|ja|en] [--language en|it|ja] [--reference PATTERN] [--amendment N]";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "Report on the plan.  By default the summary: title, parties, the staff talks\n"
	       "that agreed it, the activities by host nation, how many are scheduled, and\n"
	       "one line per unplaced activity with the constraint that stopped it.\n\n"
	       "With --execution, plan against execution: activities planned, confirmed,\n"
	       "executed, postponed and cancelled, by host nation, by area and by quarter\n"
	       "of the start the signed version planned.\n\n"
	       "--format writes a document instead:\n"
	       "  text   the summary (the default)\n"
	       "  md     Markdown tables\n"
	       "  html   the plan to print and sign, with the signature block\n"
	       "  pdf    the plan to sign: A4, table of activities, totals, signatures,\n"
	       "         the Gantt chart as annex (Japanese names in Noto CJK)\n"
	       "  svg    the Gantt chart of the year, coloured by host nation, holidays\n"
	       "  png    and blackout periods shaded\n"
	       "  xlsx   an Excel workbook, one row per activity with real date cells\n"
	       "  json   the whole plan (coplan import reads it back)\n"
	       "To standard output unless -o names a file, replaced whole or not at all.\n\n"
	       "Every pdf, html, md and xlsx says what it is: the version, its state\n"
	       "(DRAFT as a watermark on each PDF page, AGREED, SIGNED), the date of\n"
	       "issue and a reference (default <series>-<year>-v<N>: ITA-JPN-2024-v3);\n"
	       "a plan changed since its newest version is \"draft, not saved\".\n\n"
	       "With --amendment N (pdf or html), Amendment No. N as a document to sign:\n"
	       "the changes from the signed version it amends, each with its old and new\n"
	       "values and the reason recorded, the plan's reference and the signatures.\n"
	       "An amendment begins with each draft saved after a signed version.\n\n"
	       "Options:\n"
	       "  --format FORMAT    one of the above\n"
	       "  -o, --output FILE  write to FILE\n"
	       "  --execution        plan against execution (text, or --format json)\n"
	       "  --costs            cost totals per currency by host nation, paying nation,\n"
	       "                     area and quarter; each budget against what is planned on\n"
	       "                     it, with a warning for each one exceeded (text)\n"
	       "  --currency CUR     with --costs: convert into CUR with the plan's own rates\n"
	       "                     (coplan rate add); an amount without a rate stays apart\n"
	       "  --plan ID          the plan (default: the newest)\n"
	       "  --width PX         svg, png: width in pixels (%d to %d, default %d)\n"
	       "  --year YEAR        svg, png: the year shown (default: the plan's)\n"
	       "  --from DATE        svg, png: first day shown (YYYY-MM-DD), with --to\n"
	       "  --to DATE          svg, png: last day shown, inclusive\n"
	       "  --locale LOCALE    xlsx: the headers in Italian (it), Japanese (ja) or English\n"
	       "  --language L       pdf (the plan or an amendment): its headings, columns,\n"
	       "                     signature block and document line in English (en),\n"
	       "                     Italian (it) or Japanese (ja); the plan's own text as written\n"
	       "  --reference PATTERN  the document reference: <series>, <year>, <N>, <title>\n"
	       "  --amendment N      Amendment No. N to sign (--format pdf or html)\n",
	       usage, COPLAN_GANTT_MIN_WIDTH, COPLAN_GANTT_MAX_WIDTH, COPLAN_GANTT_DEFAULT_WIDTH);
}

static const char *const formats[] = { "text", "md", "html", "json", "pdf", "svg", "png", "xlsx" };

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'F' },
		{ "output", required_argument, NULL, 'o' },
		{ "execution", no_argument, NULL, 'x' },
		{ "plan", required_argument, NULL, 'p' },
		{ "width", required_argument, NULL, 'w' },
		{ "year", required_argument, NULL, 'y' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "locale", required_argument, NULL, 'L' },
		{ "reference", required_argument, NULL, 'R' },
		{ "amendment", required_argument, NULL, 'A' },
		{ "language", required_argument, NULL, 'G' },
		{ "costs", no_argument, NULL, 'C' },
		{ "currency", required_argument, NULL, 'K' },
		{ NULL, 0, NULL, 0 }
	};
	coplan_render_options ropts = {
		.gantt = { 0, COPLAN_DATE_NONE, COPLAN_DATE_NONE, 0 }
	};
	coplan_gantt_options *gopts = &ropts.gantt;
	coplan_ctx ctx;
	const char *output = NULL, *format = "text";
	char *data = NULL;
	size_t len = 0, i;
	long plan_id = 0, value;
	int c, rc, status = CLI_OK, execution = 0, costs = 0, gantt_option = 0, amendment = 0;

	if (cli_wants_help(argc, argv)) {
		print_help();
		return CLI_OK;
	}
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'F':
			format = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'C':
			costs = 1;
			break;
		case 'K':
			ropts.currency = cli_nation_arg(optarg);
			if (!coplan_currency_valid(ropts.currency))
				return cli_input_error("--currency: unknown currency '%s' (expected ISO 4217 "
				                       "alpha-3, e.g. EUR)", optarg);
			break;
		case 'x':
			execution = 1;
			break;
		case 'p':
			if (cli_plan_option(optarg, &plan_id, usage))
				return CLI_USAGE;
			break;
		case 'w':
			if (cli_parse_long(optarg, COPLAN_GANTT_MIN_WIDTH, COPLAN_GANTT_MAX_WIDTH, &value))
				return cli_usage_error(usage, "--width takes pixels from %d to %d, got '%s'",
				                       COPLAN_GANTT_MIN_WIDTH, COPLAN_GANTT_MAX_WIDTH, optarg);
			gopts->width = (int)value;
			gantt_option = 1;
			break;
		case 'y':
			if (cli_parse_long(optarg, 1, 9999, &value))
				return cli_usage_error(usage, "--year takes a year from 1 to 9999, got '%s'", optarg);
			gopts->year = (int)value;
			gantt_option = 1;
			break;
		case 'f':
		case 't':
			if (coplan_date_parse_iso(c == 'f' ? &gopts->from : &gopts->to, optarg, (size_t)-1))
				return cli_input_error("--%s: %s", c == 'f' ? "from" : "to", coplan_error_last());
			gantt_option = 1;
			break;
		case 'L':
			if (strcmp(optarg, "it") && strcmp(optarg, "ja") && strcmp(optarg, "en"))
				return cli_usage_error(usage, "--locale takes it, ja or en, got '%s'", optarg);
			ropts.export.locale = optarg;
			break;
		case 'R':
			ropts.reference_pattern = optarg;
			break;
		case 'G':
			if (strcmp(optarg, "it") && strcmp(optarg, "ja") && strcmp(optarg, "en"))
				return cli_usage_error(usage, "--language takes en, it or ja, got '%s'", optarg);
			ropts.language = optarg;
			break;
		case 'A':
			if (cli_parse_long(optarg, 1, 100000, &value))
				return cli_usage_error(usage, "--amendment takes a number from 1, got '%s'", optarg);
			amendment = (int)value;
			break;
		default:
			return cli_usage_error(usage, "unknown option or missing value '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(format, formats[i]))
			break;
	if (i == sizeof(formats) / sizeof(formats[0]))
		return cli_usage_error(usage, "unknown format '%s' (expected text, md, html, json, pdf, svg, png or xlsx)", format);
	if (costs && (strcmp(format, "text") || execution))
		return cli_usage_error(usage, "--costs is a text report (not with --format or --execution)");
	if (ropts.currency && !costs)
		return cli_usage_error(usage, "--currency goes with --costs");
	if (execution && strcmp(format, "text") && strcmp(format, "json"))
		return cli_usage_error(usage, "--execution is a text report (or json, for scripts)");
	if (gantt_option && strcmp(format, "svg") && strcmp(format, "png"))
		return cli_usage_error(usage, "--width, --year, --from and --to are for svg and png only");
	if (ropts.export.locale && strcmp(format, "xlsx"))
		return cli_usage_error(usage, "--locale is for xlsx only");
	if (ropts.language && strcmp(format, "pdf"))
		return cli_usage_error(usage, "--language is for pdf only (the plan or an amendment)");
	if (amendment && strcmp(format, "pdf") && strcmp(format, "html"))
		return cli_usage_error(usage, "--amendment is a document to sign: --format pdf or html");
	if (amendment && execution)
		return cli_usage_error(usage, "--amendment or --execution, not both");
	if ((gopts->from == COPLAN_DATE_NONE) != (gopts->to == COPLAN_DATE_NONE))
		return cli_usage_error(usage, "--from and --to go together");
	if (gopts->year && gopts->from != COPLAN_DATE_NONE)
		return cli_usage_error(usage, "--year or --from/--to, not both");
	if ((rc = cli_ctx_open(&ctx, 1, NULL, -1, 1)))
		return rc;
	if (execution)
		format = strcmp(format, "json") ? "execution" : "execution-json";
	if (costs)
		format = "costs";
	if (amendment)
		rc = coplan_service_amendment(&ctx, plan_id, amendment, format, &ropts, &data, &len, NULL);
	else
		rc = coplan_service_render(&ctx, plan_id, format, &ropts, &data, &len, NULL);
	if (rc)
		status = cli_error(rc);
	else if (cli_warn_excel_format(&ctx, plan_id, format), cli_write_output(output, data, len))
		status = CLI_FAIL;
	else if (!execution && !costs && !strcmp(format, "text") && !output) {
		coplan_plan *plan = NULL;
		char *conflicts = NULL;
		size_t n = 0;

		if (coplan_service_load(&ctx, plan_id, &plan, NULL) == 0 &&
		    coplan_service_conflicts(&ctx, plan, &conflicts, &n) == 0 && n)
			printf("%zu conflict%s with the plan's hard constraints (reschedule with 'coplan "
			       "schedule --replan', or start an amendment first if the plan is signed):\n%s",
			       n, n == 1 ? "" : "s", conflicts);
		free(conflicts);
		coplan_plan_free(plan);
	}
	free(data);
	cli_ctx_release(&ctx);
	coplan_document_shutdown();
	return status;
}

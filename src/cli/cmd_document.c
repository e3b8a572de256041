/* cmd_document.c - coplan document: the plan as PDF to sign, Gantt chart (SVG, PNG), spreadsheet (XLSX). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "coplan/document.h"

static const char usage[] =
	"coplan document (pdf|svg|png|xlsx) [-o FILE] [--plan ID] [--width PX] [--year YEAR | --from DATE --to DATE]";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "Write a document of the plan: pdf (the plan to sign: A4 landscape, the\n"
	       "table of activities, totals, signature block, the Gantt chart as annex),\n"
	       "svg or png (the Gantt chart of the year), xlsx (an Excel workbook: sheet\n"
	       "Plan with real date cells, sheet Summary).  To standard output unless -o\n"
	       "names a file, which is replaced whole or not at all.\n\n"
	       "Options:\n"
	       "  -o, --output FILE  write to FILE\n"
	       "  --plan ID          the plan (default: the newest)\n"
	       "  --width PX         svg, png: width in pixels (%d to %d, default %d)\n"
	       "  --year YEAR        svg, png: the year shown (default: the plan's)\n"
	       "  --from DATE        svg, png: first day shown (YYYY-MM-DD), with --to\n"
	       "  --to DATE          svg, png: last day shown, inclusive\n",
	       usage, COPLAN_GANTT_MIN_WIDTH, COPLAN_GANTT_MAX_WIDTH, COPLAN_GANTT_DEFAULT_WIDTH);
}

/*
 * LeakSanitizer: cairo 1.16 (Debian 12) loses about 768 bytes per embedded
 * CFF (OpenType) font subset when a PDF surface is finished; ours are
 * released (coplan_document_shutdown() frees the font caches).  Suppressed
 * by name so that a sanitizer run still reports every leak of our own; the
 * name is only seen with the slow unwinder (Debian's cairo has no frame
 * pointers).
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:cairo_surface_finish\n";
}

int cmd_document(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "plan", required_argument, NULL, 'p' },
		{ "width", required_argument, NULL, 'w' },
		{ "year", required_argument, NULL, 'y' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	coplan_gantt_options gopts = { 0, COPLAN_DATE_NONE, COPLAN_DATE_NONE, 0 };
	coplan_store *store = NULL;
	coplan_plan *plan = NULL;
	const char *output = NULL, *format;
	char *data = NULL;
	size_t len = 0;
	long plan_id = 0, value;
	int c, rc, status = CLI_OK, gantt_option = 0;

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
			if (cli_parse_long(optarg, 1, 1L << 40, &plan_id))
				return cli_usage_error(usage, "--plan takes a plan id, got '%s'", optarg);
			break;
		case 'w':
			if (cli_parse_long(optarg, COPLAN_GANTT_MIN_WIDTH, COPLAN_GANTT_MAX_WIDTH, &value))
				return cli_usage_error(usage, "--width takes pixels from %d to %d, got '%s'",
				                       COPLAN_GANTT_MIN_WIDTH, COPLAN_GANTT_MAX_WIDTH, optarg);
			gopts.width = (int)value;
			gantt_option = 1;
			break;
		case 'y':
			if (cli_parse_long(optarg, 1, 9999, &value))
				return cli_usage_error(usage, "--year takes a year from 1 to 9999, got '%s'", optarg);
			gopts.year = (int)value;
			gantt_option = 1;
			break;
		case 'f':
		case 't':
			if (coplan_date_parse_iso(c == 'f' ? &gopts.from : &gopts.to, optarg, (size_t)-1))
				return cli_usage_error(usage, "--%s takes a date YYYY-MM-DD, got '%s'",
				                       c == 'f' ? "from" : "to", optarg);
			gantt_option = 1;
			break;
		default:
			return cli_usage_error(usage, "unknown option or missing value '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage, "which document? pdf, svg, png or xlsx");
	if (optind + 1 < argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind + 1]);
	format = argv[optind];
	if (strcmp(format, "pdf") && strcmp(format, "svg") && strcmp(format, "png") && strcmp(format, "xlsx"))
		return cli_usage_error(usage, "unknown document '%s' (expected pdf, svg, png or xlsx)", format);
	if (gantt_option && strcmp(format, "svg") && strcmp(format, "png"))
		return cli_usage_error(usage, "--width, --year, --from and --to are for svg and png only");
	if ((gopts.from == COPLAN_DATE_NONE) != (gopts.to == COPLAN_DATE_NONE))
		return cli_usage_error(usage, "--from and --to go together");
	if (gopts.year && gopts.from != COPLAN_DATE_NONE)
		return cli_usage_error(usage, "--year or --from/--to, not both");
	if (!(store = cli_open_store()))
		return CLI_FAIL;
	rc = coplan_store_load_plan(store, plan_id, &plan, NULL);
	if (!rc && !strcmp(format, "pdf"))
		rc = coplan_document_pdf(&data, &len, plan);
	else if (!rc && !strcmp(format, "svg"))
		rc = coplan_gantt_svg(&data, &len, plan, &gopts);
	else if (!rc && !strcmp(format, "png"))
		rc = coplan_gantt_png(&data, &len, plan, &gopts);
	else if (!rc)
		rc = coplan_export_xlsx(&data, &len, plan);
	if (rc)
		status = cli_error(rc);
	else if (cli_write_output(output, data, len))
		status = CLI_FAIL;
	free(data);
	coplan_plan_free(plan);
	coplan_store_close(store);
	coplan_document_shutdown();
	return status;
}

/* cmd_plan.c - coplan plan: the whole job on a plan folder, from proposals to documents. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "coplan/document.h"

static const char usage[] =
	"coplan plan DIR [-o OUTDIR] [--time-limit SECONDS] [--seed N] [--encoding ENC] [--locale L]";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "The main job in one go.  DIR holds plan.json (the plan, the staff talks\n"
	       "that agreed it, blackout periods), activities.csv (the proposals;\n"
	       "activities.xlsx, its first sheet, when there is no activities.csv) and\n"
	       "optionally holidays/NAT.ics, holiday feeds of nations (holidays/AUS.ics\n"
	       "holds Australia's; needed for nations without built-in rules) and\n"
	       "headers.csv, the sheets' own column names (see coplan import --help).\n"
	       "coplan imports both into a new plan in the database, schedules it, writes\n"
	       "OUTDIR/plan.md, plan.html, plan.json, plan.ics, plan.pdf, plan.xlsx,\n"
	       "gantt.png and gantt.svg, and prints the summary\n"
	       "with a line for each activity it could not place.\n\n"
	       "Options:\n"
	       "  -o, --output OUTDIR   where the documents go (default: out)\n"
	       "  --time-limit SECONDS  scheduler search time (default: a fixed budget of\n"
	       "                        moves, so that every machine gives the same plan)\n"
	       "  --seed N              scheduler seed (default 1)\n"
	       "  --encoding ENC        encoding of activities.csv (default: detected)\n"
	       "  --delimiter D         delimiter of activities.csv (default: detected)\n"
	       "  --locale L            locale of activities.csv (default en-GB)\n", usage);
}

static char *path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* The documents of a plan folder's run, each written whole or not at all. */
static int render(char **data, size_t *len, const coplan_plan *plan, const char *file)
{
	static const coplan_gantt_options gopts = { 0, COPLAN_DATE_NONE, COPLAN_DATE_NONE, 0 };
	coplan_export_options eopts = { 0 };

	if (!strcmp(file, "plan.md"))
		return coplan_export(data, len, plan, COPLAN_FORMAT_MARKDOWN, &eopts);
	if (!strcmp(file, "plan.html"))
		return coplan_export(data, len, plan, COPLAN_FORMAT_HTML, &eopts);
	if (!strcmp(file, "plan.json"))
		return coplan_export(data, len, plan, COPLAN_FORMAT_JSON, &eopts);
	if (!strcmp(file, "plan.ics"))
		return coplan_export(data, len, plan, COPLAN_FORMAT_ICS, &eopts);
	if (!strcmp(file, "plan.pdf"))
		return coplan_document_pdf(data, len, plan);
	if (!strcmp(file, "gantt.png"))
		return coplan_gantt_png(data, len, plan, &gopts);
	if (!strcmp(file, "gantt.svg"))
		return coplan_gantt_svg(data, len, plan, &gopts);
	cli_warn_excel_cells(plan, 0);
	return coplan_export_xlsx(data, len, plan);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Import every DIR/holidays/NAT.ics as holidays of NAT into plan, in name
 * order; no holidays folder is no feed.  Returns 0 or an error code, the
 * error already printed.
 */
static int import_holiday_feeds(coplan_plan *plan, const char *dir)
{
	char *folder = path_join(dir, "holidays"), **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (!folder)
		return COPLAN_ENOMEM;
	if (!(d = opendir(folder))) {
		free(folder);
		return 0;
	}
	while ((de = readdir(d)) && !rc) {
		size_t len = strlen(de->d_name);
		char **grown;

		if (len < 4 || strcasecmp(de->d_name + len - 4, ".ics"))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			if (!(grown = realloc(names, cap * sizeof(*names)))) {
				rc = COPLAN_ENOMEM;
				break;
			}
			names = grown;
		}
		if (!(names[n] = strdup(de->d_name)))
			rc = COPLAN_ENOMEM;
		else
			n++;
	}
	closedir(d);
	if (!rc && n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n && !rc; i++) {
		char nation[COPLAN_NATION_LEN], *path = path_join(folder, names[i]);
		coplan_ical_import_report report;

		if (!path) {
			rc = COPLAN_ENOMEM;
			break;
		}
		snprintf(nation, sizeof(nation), "%.*s", (int)(strlen(names[i]) - 4), names[i]);
		if (strlen(names[i]) != 7 || !coplan_nation_valid(nation)) {
			fprintf(stderr, "coplan: error: %s: a holiday feed is named by its nation's ISO "
			        "3166-1 alpha-3 code, e.g. holidays/AUS.ics\n", path);
			rc = COPLAN_EINVALID;
		} else if ((rc = coplan_ical_import_holidays(plan, path, nation, &report))) {
			cli_error(rc);
		} else {
			fprintf(stderr, "%s: %zu events, %zu holidays of %s\n", path, report.events,
			        report.added, nation);
		}
		free(path);
	}
	if (rc == COPLAN_ENOMEM)
		fprintf(stderr, "coplan: error: out of memory\n");
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(folder);
	return rc;
}

static int write_documents(const coplan_plan *plan, const char *outdir)
{
	static const char *const docs[] = {
		"plan.md", "plan.html", "plan.json", "plan.ics", "plan.pdf", "gantt.png", "gantt.svg",
		"plan.xlsx"
	};
	int rc = 0;

	if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "coplan: error: %s: cannot create folder: %s\n", outdir, strerror(errno));
		return COPLAN_EIO;
	}
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]) && !rc; i++) {
		char *data = NULL, *path = path_join(outdir, docs[i]);
		size_t len;

		if (!path) {
			fprintf(stderr, "coplan: error: out of memory\n");
			return COPLAN_ENOMEM;
		}
		rc = render(&data, &len, plan, docs[i]);
		if (rc)
			cli_error(rc);
		else
			rc = cli_write_output(path, data, len);
		if (!rc)
			fprintf(stderr, "wrote %s\n", path);
		free(data);
		free(path);
	}
	return rc;
}

int cmd_plan(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "time-limit", required_argument, NULL, 't' },
		{ "seed", required_argument, NULL, 's' },
		{ "encoding", required_argument, NULL, 'E' },
		{ "delimiter", required_argument, NULL, 'D' },
		{ "locale", required_argument, NULL, 'L' },
		{ NULL, 0, NULL, 0 }
	};
	coplan_csv_options copts = { 0 };
	coplan_schedule_options sopts;
	coplan_store *store = NULL;
	coplan_plan *plan = NULL;
	coplan_score score;
	const char *outdir = "out", *dir;
	char *plan_path = NULL, *csv_path = NULL, *xlsx_path = NULL, *summary = NULL;
	char *headers_path = NULL;
	double time_limit = -1; /* not given: a deterministic budget */
	long seed = 1, id;
	int c, rc = 0, status = CLI_OK, in_transaction = 0;

	if (cli_wants_help(argc, argv)) {
		print_help();
		return CLI_OK;
	}
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			outdir = optarg;
			break;
		case 't':
		case 's':
			if (cli_schedule_option(c, optarg, &time_limit, &seed, usage))
				return CLI_USAGE;
			break;
		case 'E':
		case 'D':
		case 'L':
			if (cli_csv_option(&copts, c, optarg, usage))
				return CLI_USAGE;
			break;
		default:
			return cli_usage_error(usage, "unknown option or missing value '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage, "which plan folder?");
	if (optind + 1 < argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind + 1]);
	dir = argv[optind];
	plan_path = path_join(dir, "plan.json");
	csv_path = path_join(dir, "activities.csv");
	xlsx_path = path_join(dir, "activities.xlsx");
	if (!plan_path || !csv_path || !xlsx_path) {
		rc = COPLAN_ENOMEM;
		goto fail;
	}
	/* read and check everything before the database is touched */
	if ((rc = coplan_import_plan_json(&plan, plan_path)))
		goto fail;
	/* a plan folder may carry the header map of its own sheets */
	if (!(headers_path = path_join(dir, "headers.csv"))) {
		rc = COPLAN_ENOMEM;
		goto fail;
	}
	if (access(headers_path, F_OK) == 0)
		copts.header_map = headers_path;
	if (access(csv_path, F_OK) == 0) {
		coplan_import_report report;

		rc = coplan_import_activities_csv_report(plan, csv_path, &copts, &report);
		cli_print_import_report(csv_path, &report);
		if (rc)
			goto fail;
	} else if (access(xlsx_path, F_OK) == 0) {
		coplan_import_report report;

		rc = coplan_import_activities_xlsx(plan, xlsx_path, NULL, &copts, &report);
		cli_print_import_report(xlsx_path, &report);
		if (rc)
			goto fail;
	}
	if ((rc = import_holiday_feeds(plan, dir))) {
		status = CLI_FAIL;
		goto cleanup;
	}
	if ((rc = coplan_plan_validate(plan)))
		goto fail;
	if (plan->n_activities == 0) {
		fprintf(stderr, "coplan: error: %s: no activities: put the proposals in activities.csv "
		        "or activities.xlsx (or in plan.json)\n", dir);
		status = CLI_FAIL;
		goto cleanup;
	}
	if (!(store = cli_open_store())) {
		status = CLI_FAIL;
		goto cleanup;
	}
	/* insert, schedule, save as one transaction: a failure leaves no half-made plan */
	if ((rc = coplan_store_begin(store)))
		goto fail;
	in_transaction = 1;
	if ((rc = coplan_store_insert_plan(store, plan, &id)))
		goto fail;
	cli_schedule_options(&sopts, time_limit, (unsigned long)seed, 0, 0, plan->n_activities);
	cli_warn_missing_calendars(plan);
	if ((rc = coplan_schedule(plan, &sopts, &score)))
		goto fail;
	if (sopts.progress)
		fputc('\n', stderr);
	if ((rc = coplan_store_update_plan(store, id, plan)))
		goto fail;
	in_transaction = 0;
	if ((rc = coplan_store_end(store, 0)))
		goto fail;
	/* the documents show the plan as stored (sequences raised by the store) */
	coplan_plan_free(plan);
	plan = NULL;
	if ((rc = coplan_store_load_plan(store, id, &plan, NULL)))
		goto fail;
	if ((rc = coplan_report_summary(&summary, NULL, plan)))
		goto fail;
	fputs(summary, stdout);
	fflush(stdout);
	if (write_documents(plan, outdir))
		status = CLI_FAIL;
	goto cleanup;
fail:
	if (in_transaction)
		coplan_store_end(store, rc);
	status = cli_error(rc);
cleanup:
	free(summary);
	free(plan_path);
	free(csv_path);
	free(headers_path);
	free(xlsx_path);
	coplan_plan_free(plan);
	coplan_store_close(store);
	coplan_document_shutdown();
	return status;
}

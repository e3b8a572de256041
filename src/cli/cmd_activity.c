/* cmd_activity.c - coplan activity: execution tracking (status changes) and each activity's history. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
	"coplan activity set-status REF STATUS [--from DATE --to DATE] [--reason TEXT] [--author NAME] [--plan ID]\n"
	"   or: coplan activity import FILE.csv [--locale L] [--encoding ENC] [--author NAME] [--plan ID]\n"
	"   or: coplan activity history [REF] [--plan ID]";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "Track the execution of the plan.  STATUS is planned, confirmed, executed,\n"
	       "postponed (needs the new dates --from/--to and a --reason) or cancelled\n"
	       "(needs a --reason).  Every change is kept in an append-only history with\n"
	       "its author and time (UTC); nothing is ever deleted.  Execution is tracked on\n"
	       "signed plans too: it does not change the signed version.\n\n"
	       "'import' records many changes from a CSV file (an execution log kept in a\n"
	       "spreadsheet) with the columns ref, status, from, to, reason and author; all\n"
	       "or nothing: a file with any error records nothing and names its line.\n\n"
	       "Options:\n"
	       "  --from DATE, --to DATE  new first and last day (YYYY-MM-DD) of a postponed activity\n"
	       "  --reason TEXT           why (required for postponed and cancelled)\n"
	       "  --author NAME           who records it (default: $COPLAN_AUTHOR, else the login name)\n"
	       "  --plan ID               the plan (default: the newest)\n", usage);
}

static int print_history(coplan_store *store, long plan_id, const char *ref)
{
	coplan_activity_event *ev = NULL;
	size_t n = 0;
	int rc;

	if ((rc = coplan_store_history(store, plan_id, ref, &ev, &n)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		char range[64];

		printf("%s  %-8s %-10s %s", ev[i].at, ev[i].ref, coplan_activity_status_name(ev[i].status),
		       coplan_report_date_range(range, sizeof(range), ev[i].start, ev[i].end));
		printf("  by %s%s%s\n", ev[i].author, ev[i].reason ? ": " : "", ev[i].reason ? ev[i].reason : "");
	}
	if (n == 0)
		printf("no status changes recorded%s%s\n", ref ? " for " : "", ref ? ref : "");
	coplan_activity_events_free(ev, n);
	return 0;
}

/* Column of name in the header record, or -1. */
static long column(const coplan_csv_record *header, const char *name)
{
	for (size_t i = 0; i < header->n_fields; i++)
		if (!strcasecmp(header->fields[i], name))
			return (long)i;
	return -1;
}

static const char *cell(const coplan_csv_record *r, long col)
{
	return col >= 0 && (size_t)col < r->n_fields ? r->fields[col] : "";
}

/*
 * Read an execution log: every row checked (status name, dates in the
 * file's locale, the rules of the record) before anything is recorded,
 * then all rows in one transaction.  Prints its errors; returns the exit
 * status.
 */
static int import_log(coplan_store *store, long plan_id, const coplan_plan *plan,
                      const char *path, const coplan_csv_options *copts, const char *author)
{
	static const char *const names[] = { "ref", "status", "from", "to", "reason", "author" };
	coplan_status_change *changes = NULL;
	coplan_csv_table *table = NULL;
	long col[6];
	size_t n = 0;
	int rc;

	if ((rc = coplan_csv_read_file(&table, path, copts)))
		return cli_error(rc);
	if (table->n_records == 0) {
		fprintf(stderr, "coplan: error: %s: empty file (expected a header: ref,status,from,to,reason,author)\n", path);
		rc = CLI_FAIL;
		goto cleanup;
	}
	for (size_t i = 0; i < 6; i++)
		col[i] = column(&table->records[0], names[i]);
	if (col[0] < 0 || col[1] < 0) {
		fprintf(stderr, "coplan: error: %s:1: the header needs the columns ref and status "
		        "(and from, to, reason, author)\n", path);
		rc = CLI_FAIL;
		goto cleanup;
	}
	changes = calloc(table->n_records, sizeof(*changes));
	if (!changes) {
		fprintf(stderr, "coplan: error: out of memory\n");
		rc = CLI_FAIL;
		goto cleanup;
	}
	for (size_t i = 1; i < table->n_records; i++) {
		const coplan_csv_record *r = &table->records[i];
		coplan_status_change *c = &changes[n];
		const char *from = cell(r, col[2]), *to = cell(r, col[3]);

		if (!*cell(r, col[0]) && !*cell(r, col[1]))
			continue; /* an empty row */
		c->ref = cell(r, col[0]);
		c->reason = cell(r, col[4]);
		c->author = *cell(r, col[5]) ? cell(r, col[5]) : author;
		c->start = c->end = COPLAN_DATE_NONE;
		if (coplan_activity_status_parse(&c->status, cell(r, col[1])) ||
		    (*from && coplan_parse_date_text(&c->start, from, copts->locale)) ||
		    (*to && coplan_parse_date_text(&c->end, to, copts->locale)) ||
		    coplan_status_change_check(c)) {
			fprintf(stderr, "coplan: error: %s:%zu: %s\n", path, r->line, coplan_error_last());
			rc = CLI_FAIL;
			goto cleanup;
		}
		if (coplan_plan_find(plan, c->ref) < 0) {
			fprintf(stderr, "coplan: error: %s:%zu:%ld: no activity '%s' in plan '%s' (expected "
			        "the ref of one of its activities)\n", path, r->line, col[0] + 1, c->ref,
			        plan->title ? plan->title : "");
			rc = CLI_FAIL;
			goto cleanup;
		}
		if (c->start != COPLAN_DATE_NONE && plan->window_from != COPLAN_DATE_NONE &&
		    c->start < plan->window_from) {
			fprintf(stderr, "coplan: error: %s:%zu:%ld: new first day before the plan's window "
			        "(a postponement moves an activity later)\n", path, r->line, col[2] + 1);
			rc = CLI_FAIL;
			goto cleanup;
		}
		n++;
	}
	if ((rc = coplan_store_set_statuses(store, plan_id, changes, n))) {
		rc = cli_error(rc);
		goto cleanup;
	}
	printf("recorded %zu status changes from %s\n", n, path);
cleanup:
	free(changes);
	coplan_csv_table_free(table);
	return rc ? CLI_FAIL : CLI_OK;
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
		{ NULL, 0, NULL, 0 }
	};
	coplan_csv_options copts = { 0 };
	coplan_date from = COPLAN_DATE_NONE, to = COPLAN_DATE_NONE;
	coplan_activity_status status;
	coplan_store *store = NULL;
	coplan_plan *plan = NULL;
	const char *reason = NULL, *author = NULL, *verb;
	long plan_id = 0, id;
	int c, rc;

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
				return cli_usage_error(usage, "--%s: %s", c == 'f' ? "from" : "to", coplan_error_last());
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
		case 'E':
		case 'L':
		case 'D':
			if (cli_csv_option(&copts, c, optarg, usage))
				return CLI_USAGE;
			break;
		default:
			return cli_usage_error(usage, "unknown option or missing value '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage, "set-status, import or history?");
	verb = argv[optind++];
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
		return cli_usage_error(usage, "unknown action '%s' (expected set-status, import or history)", verb);
	}
	if (!(store = cli_open_store_existing()))
		return CLI_FAIL;
	if ((rc = coplan_store_load_plan(store, plan_id, &plan, &id)))
		goto cleanup;
	if (!strcmp(verb, "history")) {
		rc = print_history(store, id, optind < argc ? argv[optind] : NULL);
		goto cleanup;
	}
	if (!strcmp(verb, "import")) {
		int status = import_log(store, id, plan, argv[optind], &copts,
		                        author ? author : cli_default_author());

		coplan_plan_free(plan);
		coplan_store_close(store);
		return status;
	}
	if (from != COPLAN_DATE_NONE && plan->window_from != COPLAN_DATE_NONE &&
	    from < plan->window_from) {
		fprintf(stderr, "coplan: error: --from: before the plan's window (a postponement "
		        "moves an activity later)\n");
		coplan_plan_free(plan);
		coplan_store_close(store);
		return CLI_FAIL;
	}
	rc = coplan_store_set_status(store, id, argv[optind], status, from, to, reason,
	                             author ? author : cli_default_author());
	if (!rc)
		printf("%s: %s\n", argv[optind], coplan_activity_status_name(status));
cleanup:
	coplan_plan_free(plan);
	coplan_store_close(store);
	return rc ? cli_error(rc) : CLI_OK;
}

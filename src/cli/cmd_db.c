/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_db.c - coplan db: check the database, back it up while others write, restore a backup, copy it between backends, publish a nation's rows. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"coplan db check [--quick]\n"
	"   or: coplan db backup FILE\n"
	"   or: coplan db restore FILE\n"
	"   or: coplan db copy SRC DST\n"
	"   or: coplan db publish --nation NAT";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "'check' reads the whole database: SQLite's integrity check of every page\n"
	       "and index, the schema and the triggers that keep versions and history\n"
	       "append-only, every version's snapshot against the SHA-256 stored with it,\n"
	       "and the order of the versions' states (a signed version right after the\n"
	       "agreed one it signs).  It prints each problem on a line, or 'ok'; the exit\n"
	       "status is 1 when anything is wrong.  --quick skips the slower parts (the\n"
	       "indexes' content, the versions).\n\n"
	       "'backup FILE' writes a consistent copy of the database to FILE while other\n"
	       "coplan commands go on writing (SQLite's online backup), replacing FILE\n"
	       "atomically.  'restore FILE' checks FILE as 'check' does and, when it is\n"
	       "sound, replaces the database's whole content with it in one transaction.\n"
	       "On PostgreSQL, backups are PostgreSQL's own (pg_dump, pg_basebackup).\n\n"
	       "'copy SRC DST' copies the whole database SRC into DST, a new database of\n"
	       "either kind: an SQLite file (created), or a PostgreSQL database named by a\n"
	       "postgresql:// URI (created empty by its administrator; coplan makes the\n"
	       "schema).  Every table is copied row by row in one transaction; the row\n"
	       "counts and a content hash are compared on both sides and the copy is\n"
	       "checked as 'check' does before it is reported done.  --db is not used.\n\n"
	       "'publish --nation NAT' (PostgreSQL 15 or later, wal_level = logical)\n"
	       "creates or replaces the publication coplan_rel_<nat> of the activities and\n"
	       "blackouts releasable to NAT (their label's REL TO list names NAT, or the\n"
	       "label has none), for NAT's own server to subscribe to with CREATE\n"
	       "SUBSCRIPTION; a row whose label narrows leaves NAT's server.  What is and is\n"
	       "not replicated: docs/deploy.md.  An SQLite database has no publications.\n", usage);
}

static void print_table(const char *table, size_t rows, void *payload)
{
	(void)payload;
	printf("  %-22s %zu rows\n", table, rows);
}

/* coplan db copy SRC DST: one service call over SRC. */
static int db_copy(const char *src, const char *dst)
{
	coplan_ctx ctx;
	char sha[65];
	int rc;

	if ((rc = cli_ctx_open_db(&ctx, src)))
		return rc;
	printf("copying %s into %s\n", src, dst);
	rc = coplan_service_db_copy(&ctx, dst, print_table, NULL, sha);
	cli_ctx_release(&ctx);
	if (rc)
		return cli_error(rc);
	printf("%s: copied; row counts and content SHA-256 %s the same on both sides, copy checked\n",
	       dst, sha);
	return CLI_OK;
}

int cmd_db(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "quick", no_argument, NULL, 'q' },
		{ "nation", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	const char *verb, *file = NULL, *nation = NULL;
	int c, rc, quick = 0;
	coplan_ctx ctx;

	if (cli_wants_help(argc, argv)) {
		print_help();
		return CLI_OK;
	}
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'q':
			quick = 1;
			break;
		case 'n':
			nation = optarg;
			break;
		default:
			return cli_usage_error(usage, "unknown option or missing value '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage, "check, backup, restore, copy or publish?");
	verb = argv[optind++];
	if (nation && strcmp(verb, "publish"))
		return cli_usage_error(usage, "--nation goes with publish only");
	if (!strcmp(verb, "publish")) {
		if (quick)
			return cli_usage_error(usage, "--quick goes with check only");
		if (!nation || !*nation)
			return cli_usage_error(usage, "publish needs --nation NAT");
		if (optind < argc)
			return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	} else if (!strcmp(verb, "check")) {
		if (optind < argc)
			return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	} else if (!strcmp(verb, "backup") || !strcmp(verb, "restore")) {
		if (quick)
			return cli_usage_error(usage, "--quick goes with check only");
		if (optind >= argc || !*argv[optind])
			return cli_usage_error(usage, "%s needs a FILE", verb);
		file = argv[optind++];
		if (optind < argc)
			return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	} else if (!strcmp(verb, "copy")) {
		if (quick)
			return cli_usage_error(usage, "--quick goes with check only");
		if (argc - optind != 2 || !*argv[optind] || !*argv[optind + 1])
			return cli_usage_error(usage, "copy needs SRC and DST");
		return db_copy(argv[optind], argv[optind + 1]);
	} else {
		return cli_usage_error(usage, "unknown action '%s' (expected check, backup, restore, copy or publish)",
		                       verb);
	}
	if ((rc = cli_ctx_open(&ctx, 1, NULL, -1, 1)))
		return rc;
	if (!strcmp(verb, "check")) {
		char *report = NULL;
		size_t n = 0;

		if (!(rc = coplan_service_db_check(&ctx, quick, &report, &n))) {
			if (n) {
				fputs(report, stdout);
				printf("%s: %zu problem%s found\n", cli_db_path(), n, n == 1 ? "" : "s");
			} else {
				printf("%s: ok (%s check: integrity, schema, guards%s)\n", cli_db_path(),
				       quick ? "quick" : "full", quick ? "" : ", every version's SHA-256");
			}
		}
		free(report);
		cli_ctx_release(&ctx);
		if (rc)
			return cli_error(rc);
		return n ? CLI_FAIL : CLI_OK;
	}
	if (!strcmp(verb, "publish")) {
		char name[64];

		if (!(rc = coplan_service_db_publish(&ctx, nation, name)))
			printf("%s: publication %s holds the activities and blackouts releasable to %s\n",
			       cli_db_path(), name, nation);
	} else if (!strcmp(verb, "backup")) {
		if (!(rc = coplan_service_db_backup(&ctx, file)))
			printf("%s: backed up to %s\n", cli_db_path(), file);
	} else {
		char *report = NULL;

		if (!(rc = coplan_service_db_restore(&ctx, file, &report)))
			printf("%s: restored from %s\n", cli_db_path(), file);
		else if (report)
			fputs(report, stderr);
		free(report);
	}
	cli_ctx_release(&ctx);
	return rc ? cli_error(rc) : CLI_OK;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_init.c - coplan init: create the database, or bring an older one up to date. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

static const char usage[] = "coplan [--db PATH] init";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "Create the coplan database (SQLite) if it does not exist, or migrate an\n"
	       "older one to the current schema without loss.  The database is --db PATH,\n"
	       "else $COPLAN_DB, else ./coplan.db.\n", usage);
}

int cmd_init(int argc, char **argv)
{
	coplan_ctx ctx;
	int rc;

	if (cli_wants_help(argc, argv)) {
		print_help();
		return CLI_OK;
	}
	if (argc > 1)
		return cli_usage_error(usage, "init takes no arguments, got '%s'", argv[1]);
	if ((rc = cli_ctx_open(&ctx, 0, NULL, -1, 1)))
		return rc;
	cli_ctx_release(&ctx);
	printf("%s: coplan database, schema version %d\n", cli_db_path(),
	       coplan_store_schema_version());
	return CLI_OK;
}

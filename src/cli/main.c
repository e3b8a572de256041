/* SPDX-License-Identifier: Apache-2.0 */
/* main.c - the coplan command: global options and dispatch to the subcommands. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const cli_command cli_commands[] = {
	{ "init",     cmd_init,     "create or upgrade the database" },
	{ "import",   cmd_import,   "import a plan (JSON), proposals (CSV, XLSX) or calendars (ICS)" },
	{ "schedule", cmd_schedule, "place the plan's activities in a conflict-free year" },
	{ "report",   cmd_report,   "the summary, plan against execution, or a document (pdf, xlsx, gantt)" },
	{ "export",   cmd_export,   "write the plan as md, html, json, ics (iCalendar), csv (for Excel) or lp (the MIP)" },
	{ "holidays", cmd_holidays, "list a nation's public holidays in a year" },
	{ "calendar", cmd_calendar, "list the working days common to nations" },
	{ "plan",     cmd_plan,     "the whole job: import a plan folder, schedule, write out/" },
	{ "talks",    cmd_talks,    "the record of the staff talks: delegations, agenda, areas agreed" },
	{ "version",  cmd_version,  "save, list and compare plan versions (draft, agreed, signed)" },
	{ "activity", cmd_activity, "add, edit, delete, pin activities; record execution; history" },
	{ "blackout", cmd_blackout, "add, list and delete the blackouts of nations and units" },
	{ "budget",   cmd_budget,   "set, list and delete budgets per nation, year, funding line and currency" },
	{ "rate",     cmd_rate,     "add, list and delete the exchange rates costs are converted with" },
	{ "amend",    cmd_amend,    "start an amendment of a signed plan (Amendment No. N)" },
	{ "explain",  cmd_explain,  "why an activity is where it is, or cannot start on a date" },
	{ "suggest",  cmd_suggest,  "the best start dates for one activity, with their soft cost" },
	{ "db",       cmd_db,       "check the database, back it up, restore a backup" },
	{ "user",     cmd_user,     "add, list, disable users of a shared database; set passwords" },
	{ "serve",    cmd_serve,    "the web server: planners of every nation work on one plan in their browsers" },
	{ "audit",    cmd_audit,    "the tamper-evident audit log: list, sign a checkpoint, verify, prove" },
	{ "keys",     cmd_keys,     "the partner nations' CA certificates this office trusts" },
	{ "bundle",   cmd_bundle,   "send the plan to a partner office as a signed file; verify and import one" },
	{ "merge",    cmd_merge,    "resolve the conflicts of a partner's bundle with our plan, then apply" },
};
const size_t cli_n_commands = sizeof(cli_commands) / sizeof(cli_commands[0]);

static void print_help(FILE *out)
{
	fprintf(out,
	        "usage: coplan [--db PATH] [--busy-timeout MS] <command> [<args>]\n"
	        "\n"
	        "Plan, schedule and track cooperation activities between nations.\n"
	        "\n"
	        "Commands:\n");
	for (size_t i = 0; i < cli_n_commands; i++)
		fprintf(out, "  %-10s %s\n", cli_commands[i].name, cli_commands[i].summary);
	fprintf(out,
	        "\n"
	        "Options:\n"
	        "  --db PATH   the database (default: $COPLAN_DB, else ./coplan.db)\n"
	        "  --busy-timeout MS\n"
	        "              how long to wait for another coplan writing to the database\n"
	        "              before giving up (default: $COPLAN_BUSY_TIMEOUT, else %d)\n"
	        "  --version   print the version\n"
	        "  -h, --help  this help; 'coplan <command> --help' for a command's\n"
	        "\n"
	        "Exit status: 0 done, 1 bad input or failure, 2 bad usage.\n", COPLAN_STORE_BUSY_TIMEOUT_MS);
}

int main(int argc, char **argv)
{
	int i = 1;

	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "--db")) {
			if (i + 1 >= argc || !*argv[i + 1]) {
				fprintf(stderr, "coplan: --db needs a path\n");
				return CLI_USAGE;
			}
			cli_set_db_path(argv[i + 1]);
			i += 2;
		} else if (!strncmp(argv[i], "--db=", 5)) {
			if (!argv[i][5]) {
				fprintf(stderr, "coplan: --db needs a path\n");
				return CLI_USAGE;
			}
			cli_set_db_path(argv[i] + 5);
			i++;
		} else if (!strcmp(argv[i], "--busy-timeout") || !strncmp(argv[i], "--busy-timeout=", 15)) {
			const char *v = argv[i][14] == '=' ? argv[i] + 15 : i + 1 < argc ? argv[i + 1] : NULL;
			long ms;

			if (!v || cli_parse_long(v, 0, INT_MAX, &ms)) {
				fprintf(stderr, "coplan: --busy-timeout needs a number of milliseconds\n");
				return CLI_USAGE;
			}
			cli_set_busy_timeout(ms);
			i += argv[i][14] == '=' ? 1 : 2;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			print_help(stdout);
			return CLI_OK;
		} else if (!strcmp(argv[i], "--version")) {
			printf("coplan %s\n", coplan_version());
			return CLI_OK;
		} else {
			fprintf(stderr, "coplan: unknown option '%s'\n", argv[i]);
			print_help(stderr);
			return CLI_USAGE;
		}
	}
	if (i >= argc) {
		print_help(stderr);
		return CLI_USAGE;
	}
	if (!strcmp(argv[i], "help")) {
		if (i + 1 < argc) {
			char *help_argv[] = { argv[i + 1], (char *)"--help", NULL };
			for (size_t c = 0; c < cli_n_commands; c++)
				if (!strcmp(cli_commands[c].name, argv[i + 1]))
					return cli_commands[c].fn(2, help_argv);
		}
		print_help(stdout);
		return CLI_OK;
	}
	for (size_t c = 0; c < cli_n_commands; c++)
		if (!strcmp(cli_commands[c].name, argv[i]))
			return cli_commands[c].fn(argc - i, argv + i);
	fprintf(stderr, "coplan: '%s' is not a coplan command; see 'coplan --help'\n", argv[i]);
	return CLI_USAGE;
}

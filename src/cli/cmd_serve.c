/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_serve.c - coplan serve: parse the options and start the web server (src/server/). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../server/server.h"

static const char usage[] =
	"coplan serve [--listen ADDRESS:PORT] [--db PATH] [--tls-cert FILE --tls-key FILE] [--threads N]\n"
	"       coplan serve --list-routes";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "Serve the database to planners' browsers: log in, the plans, each plan's\n"
	       "table and Gantt chart, activities (edit, explain, best starts, status),\n"
	       "scheduling and re-plan previews as jobs, import with a check first,\n"
	       "versions (save, sign, compare), every export, a calendar feed per user;\n"
	       "and the same as a JSON API under /api/ (docs/api.md).  Users are made\n"
	       "with 'coplan user add'.  Stops cleanly on SIGTERM or Ctrl-C.\n\n"
	       "Options:\n"
	       "  --listen ADDRESS:PORT  where to listen (default 127.0.0.1:8080; port 0:\n"
	       "                 any free port, printed)\n"
	       "  --db PATH      the database (default: the global --db, $COPLAN_DB, ./coplan.db)\n"
	       "  --tls-cert FILE, --tls-key FILE\n"
	       "                 serve HTTPS with this PEM certificate and key; the session\n"
	       "                 cookie is then __Host-coplan and Secure (plain HTTP: 'coplan',\n"
	       "                 for loopback only)\n"
	       "  --threads N    request threads, 1 to 8 (default 2), each with its own\n"
	       "                 database connection; scheduling runs on one more\n"
	       "  --list-routes  print every route: method, path, read or state, the least\n"
	       "                 action, public or session, page or api\n\n"
	       "Example:\n"
	       "  coplan serve --listen 127.0.0.1:8080\n", usage);
}

int cmd_serve(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "db", required_argument, NULL, 'd' },
		{ "tls-cert", required_argument, NULL, 'c' },
		{ "tls-key", required_argument, NULL, 'k' },
		{ "threads", required_argument, NULL, 't' },
		{ "list-routes", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	cps_options opts = { .listen = "127.0.0.1:8080", .threads = 2, .log = stderr };
	long threads, ms;
	int c, rc;

	if (cli_wants_help(argc, argv)) {
		print_help();
		return CLI_OK;
	}
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			opts.listen = optarg;
			break;
		case 'd':
			cli_set_db_path(optarg);
			break;
		case 'c':
			opts.tls_cert = optarg;
			break;
		case 'k':
			opts.tls_key = optarg;
			break;
		case 't':
			if (cli_parse_long(optarg, 1, 8, &threads))
				return cli_usage_error(usage, "--threads takes a number from 1 to 8, got '%s'", optarg);
			opts.threads = (int)threads;
			break;
		case 'r':
			cps_routes_print(stdout);
			return CLI_OK;
		default:
			return cli_usage_error(usage, "unknown option or missing value '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	if (!!opts.tls_cert != !!opts.tls_key)
		return cli_usage_error(usage, "--tls-cert and --tls-key go together");
	if ((rc = cli_busy_timeout(&ms)))
		return rc;
	opts.busy_timeout_ms = (int)ms;
	opts.db_path = cli_db_path();
	if ((rc = cps_serve(&opts)))
		return cli_error(rc);
	return CLI_OK;
}

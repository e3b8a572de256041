/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_user.c - coplan user: the users of a shared database (coplan serve), their nation and password. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
	"coplan user add NAME --nation NATION [--display-name TEXT] [--admin]\n"
	"       [--clearance LEVEL] [--caveats 'CAVEAT ...'] [--password-file FILE]\n"
	"   or: coplan user passwd NAME [--password-file FILE]\n"
	"   or: coplan user disable NAME\n"
	"   or: coplan user enable NAME\n"
	"   or: coplan user list [--format text|json]";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "The users who log in to 'coplan serve'.  Each belongs to a nation (ISO\n"
	       "3166-1 alpha-3) and has a role on each plan they work on (coplan plan\n"
	       "grant): owner, planner (edits their nation's activities), reviewer (signs)\n"
	       "or viewer.  An administrator (--admin) adds users and makes plans; the\n"
	       "first one is added here: coplan user add admin --nation ITA --admin.\n"
	       "A name is 1 to 64 letters, digits, '.', '-' or '_'.\n\n"
	       "The password (%d to %d bytes) is never given on the command line: it is\n"
	       "asked for twice without echo on a terminal, else read as the first line\n"
	       "of standard input or of --password-file.  Only its argon2id hash is kept.\n"
	       "'passwd' sets a new one and ends the user's sessions; 'disable' ends them\n"
	       "too and refuses every login until 'enable'.\n\n"
	       "Options:\n"
	       "  --nation NATION       the user's nation (e.g. ITA)\n"
	       "  --display-name TEXT   as shown to others (\"Col. Mario Rossi\")\n"
	       "  --admin               may add users and make plans\n"
	       "  --clearance LEVEL     the highest classification they may see (e.g. SECRET;\n"
	       "                        default: the label policy's lowest, docs/labels.md)\n"
	       "  --caveats 'A B'       the caveats they hold (e.g. CRYPTO; default: none)\n"
	       "  --password-file FILE  read the password from FILE's first line\n"
	       "  --format text|json    list as text (default) or JSON\n",
	       usage, COPLAN_PASSWORD_MIN, COPLAN_PASSWORD_MAX);
}

/* One line of at most COPLAN_PASSWORD_MAX bytes from f into buf (newline dropped): 0, or CLI_FAIL (printed). */
static int read_line(FILE *f, const char *from, char buf[COPLAN_PASSWORD_MAX + 2])
{
	size_t n;

	if (!fgets(buf, COPLAN_PASSWORD_MAX + 2, f)) {
		fprintf(stderr, "coplan: error: %s: no password to read\n", from);
		return CLI_FAIL;
	}
	n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	else if (!feof(f) && n == COPLAN_PASSWORD_MAX + 1) {
		fprintf(stderr, "coplan: error: %s: a password of more than %d bytes\n", from, COPLAN_PASSWORD_MAX);
		return CLI_FAIL;
	}
	if (n && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return 0;
}

/* Ask for the password on the terminal without echo. */
static int prompt(const char *text, char buf[COPLAN_PASSWORD_MAX + 2])
{
	struct termios old, quiet;
	int rc;

	fputs(text, stderr);
	fflush(stderr);
	if (tcgetattr(STDIN_FILENO, &old) != 0) {
		fprintf(stderr, "\ncoplan: error: cannot turn off the terminal's echo: %s\n", strerror(errno));
		return CLI_FAIL;
	}
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ECHONL;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) != 0) {
		fprintf(stderr, "\ncoplan: error: cannot turn off the terminal's echo: %s\n", strerror(errno));
		return CLI_FAIL;
	}
	rc = read_line(stdin, "the terminal", buf);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	return rc;
}

/* The password for user: from file, else asked twice on a terminal, else standard input's first line. */
static int read_password(const char *file, const char *user, char buf[COPLAN_PASSWORD_MAX + 2])
{
	char again[COPLAN_PASSWORD_MAX + 2], text[128];
	FILE *f;
	int rc;

	if (file) {
		if (!(f = fopen(file, "r"))) {
			fprintf(stderr, "coplan: error: %s: cannot read: %s\n", file, strerror(errno));
			return CLI_FAIL;
		}
		rc = read_line(f, file, buf);
		fclose(f);
		return rc;
	}
	if (!isatty(STDIN_FILENO))
		return read_line(stdin, "standard input", buf);
	snprintf(text, sizeof(text), "password for %s: ", user);
	if ((rc = prompt(text, buf)) || (rc = prompt("the same again: ", again)))
		return rc;
	rc = strcmp(buf, again) ? CLI_FAIL : 0;
	memset(again, 0, sizeof(again));
	if (rc)
		fprintf(stderr, "coplan: error: the two passwords differ; nothing was changed\n");
	return rc;
}

static void list(const coplan_account *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%-20s %s  %-8s %s\n", a[i].name, a[i].nation,
		       a[i].disabled ? "disabled" : a[i].is_admin ? "admin" : "",
		       a[i].display_name ? a[i].display_name : "");
	if (n == 0)
		printf("no users (coplan user add NAME --nation NATION --admin adds the first)\n");
}

int cmd_user(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "nation", required_argument, NULL, 'N' },
		{ "display-name", required_argument, NULL, 'd' },
		{ "admin", no_argument, NULL, 'A' },
		{ "clearance", required_argument, NULL, 'C' },
		{ "caveats", required_argument, NULL, 'V' },
		{ "password-file", required_argument, NULL, 'P' },
		{ "password", required_argument, NULL, 'X' }, /* refused: never on the command line */
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 }
	};
	const char *nation = NULL, *display = NULL, *file = NULL, *verb, *name = NULL, *clearance = NULL, *caveats = NULL;
	char password[COPLAN_PASSWORD_MAX + 2] = "";
	int c, rc, admin = 0, json = 0, add, passwd;
	coplan_ctx ctx;

	if (cli_wants_help(argc, argv)) {
		print_help();
		return CLI_OK;
	}
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'N':
			nation = cli_nation_arg(optarg);
			break;
		case 'd':
			display = optarg;
			break;
		case 'C':
			clearance = optarg;
			break;
		case 'V':
			caveats = optarg;
			break;
		case 'A':
			admin = 1;
			break;
		case 'P':
			file = optarg;
			break;
		case 'X':
			return cli_usage_error(usage, "a password is never given on the command line (others "
			                       "see it in the process list and the shell's history): type it "
			                       "when asked, or use standard input or --password-file FILE");
		case 'F':
			if (cli_listing_format(optarg, &json, usage))
				return CLI_USAGE;
			break;
		default:
			return cli_usage_error(usage, "unknown option or missing value '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage, "add, passwd, disable, enable or list?");
	verb = argv[optind++];
	add = !strcmp(verb, "add");
	passwd = !strcmp(verb, "passwd");
	if (!add && !passwd && strcmp(verb, "disable") && strcmp(verb, "enable") && strcmp(verb, "list"))
		return cli_usage_error(usage, "unknown action '%s' (expected add, passwd, disable, enable or "
		                       "list)", verb);
	if (!strcmp(verb, "list")) {
		if (optind < argc)
			return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	} else {
		if (optind >= argc)
			return cli_usage_error(usage, "%s: which user?", verb);
		name = argv[optind++];
		if (optind < argc)
			return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	}
	if (add && !nation)
		return cli_usage_error(usage, "add needs the user's nation: --nation NATION");
	if (!add && (nation || display || admin || clearance || caveats))
		return cli_usage_error(usage, "--nation, --display-name, --admin, --clearance and --caveats go "
		                       "with add");
	if (!add && !passwd && file)
		return cli_usage_error(usage, "--password-file goes with add and passwd");
	if (json && strcmp(verb, "list"))
		return cli_usage_error(usage, "--format goes with list");
	if ((add || passwd) && (rc = read_password(file, name, password)))
		return rc;
	/* the first user is added to a database that may not exist yet */
	if ((rc = cli_ctx_open(&ctx, !add, NULL, -1, 1))) {
		memset(password, 0, sizeof(password));
		return rc;
	}
	if (add) {
		if (!(rc = coplan_service_user_add_cleared(&ctx, name, nation, display, password, admin, clearance,
		                                           caveats, NULL)))
			printf("user %s (%s)%s added\n", name, nation, admin ? ", an administrator," : "");
	} else if (passwd) {
		if (!(rc = coplan_service_user_passwd(&ctx, name, password)))
			printf("password of %s changed; their sessions are ended\n", name);
	} else if (!strcmp(verb, "disable") || !strcmp(verb, "enable")) {
		int off = !strcmp(verb, "disable");

		if (!(rc = coplan_service_user_disable(&ctx, name, off)))
			printf("user %s %s\n", name, off ? "disabled; their sessions are ended" : "enabled");
	} else {
		coplan_account *a = NULL;
		size_t n = 0;

		if (!(rc = coplan_service_users(&ctx, &a, &n))) {
			if (json) {
				char *text = NULL;

				rc = coplan_accounts_format_json(&text, a, n);
				rc = cli_print_json(rc, text);
			} else {
				list(a, n);
			}
		}
		coplan_accounts_free(a, n);
	}
	memset(password, 0, sizeof(password));
	cli_ctx_release(&ctx);
	return rc ? cli_error(rc) : CLI_OK;
}

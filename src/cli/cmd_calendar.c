/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_calendar.c - `coplan calendar NATION... --from D --to D`: the working days common to nations. */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "../buf.h"

static const char usage[] =
	"coplan calendar NATION... --from YYYY-MM-DD --to YYYY-MM-DD [--region NATION=R]...\n"
	"                [--weekend NATION=DAY,...]... [--count | --format json]";

static void print_help(FILE *out)
{
	fprintf(out,
	        "usage: %s\n"
	        "\n"
	        "List the days from --from to --to (inclusive) that are working days in every\n"
	        "NATION (ISO 3166-1 alpha-3), one ISO date and weekday a line, after a line\n"
	        "with each nation's weekend and before their count.  Weekends are CLDR's\n"
	        "(Fri-Sat in ISR and SAU, Sun in IND, Sat-Sun in most); holidays are the\n"
	        "built-in rules' (GBR, ITA, JPN; other nations' come from a plan's feeds).\n"
	        "\n"
	        "Options:\n"
	        "  --from DATE          first day (YYYY-MM-DD, %d-%d)\n"
	        "  --to DATE            last day\n"
	        "  -r, --region N=R     the region R of nation N (GBR=SCT, ITA=ROMA); repeatable\n"
	        "  -w, --weekend N=D,D  nation N's weekend days (mon..sun) in place of CLDR's,\n"
	        "                       as a plan's \"weekends\" sets them; N= for none; repeatable\n"
	        "  -c, --count          print the count only\n"
	        "  --format json        the nations' weekends, the days and their count as JSON\n"
	        "  -h, --help           this help\n"
	        "\n"
	        "Exit status: 0 done, 1 bad input (unknown nation or region, date out of range),\n"
	        "2 bad usage.\n",
	        usage, COPLAN_HOLIDAY_FIRST_YEAR, COPLAN_HOLIDAY_LAST_YEAR);
}

#define MAX_REGIONS 16

/* Parse DAY,DAY,... (mon..sun; empty for none) and give cal that weekend. */
static int set_weekend(coplan_calendar *cal, const char *days_text)
{
	unsigned days = 0;
	const char *p = days_text;

	while (*p) {
		char name[16];
		size_t len = strcspn(p, ",");
		int wd;

		if (len >= sizeof(name))
			len = sizeof(name) - 1;
		memcpy(name, p, len);
		name[len] = '\0';
		if (coplan_weekday_parse(&wd, name))
			return COPLAN_EINVALID;
		days |= COPLAN_WEEKDAY_BIT(wd);
		p += strcspn(p, ",");
		if (*p == ',')
			p++;
	}
	return coplan_calendar_set_weekend(cal, days);
}

int cmd_calendar(int argc, char **argv)
{
	static const struct option options[] = {
		{ "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 'T' },
		{ "region", required_argument, NULL, 'r' },
		{ "weekend", required_argument, NULL, 'w' },
		{ "count", no_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const weekdays[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	const char *from_text = NULL, *to_text = NULL, *regions[MAX_REGIONS], *weekends[MAX_REGIONS];
	coplan_calendar **cals = NULL;
	cp_buf out = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	coplan_date from, to;
	int c, rc = 0, status = CLI_FAIL, n_regions = 0, n_weekends = 0, n_cals = 0, count_only = 0;
	size_t n_days = 0;
	int json = 0;

	optind = 0;
	while ((c = getopt_long(argc, argv, "r:w:ch", options, NULL)) != -1) {
		switch (c) {
		case 'F':
			from_text = optarg;
			break;
		case 'T':
			to_text = optarg;
			break;
		case 'r':
			if (n_regions >= MAX_REGIONS || !strchr(optarg, '='))
				return cli_usage_error(usage, "calendar: --region takes NATION=REGION "
				                       "(at most %d)", MAX_REGIONS);
			regions[n_regions++] = optarg;
			break;
		case 'w':
			if (n_weekends >= MAX_REGIONS || !strchr(optarg, '='))
				return cli_usage_error(usage, "calendar: --weekend takes NATION=DAY,DAY "
				                       "(at most %d)", MAX_REGIONS);
			weekends[n_weekends++] = optarg;
			break;
		case 'c':
			count_only = 1;
			break;
		case 'j':
			if (strcmp(optarg, "text") && strcmp(optarg, "json"))
				return cli_usage_error(usage, "calendar: --format takes text or json, got '%s'", optarg);
			json = !strcmp(optarg, "json");
			break;
		case 'h':
			print_help(stdout);
			return CLI_OK;
		default:
			return cli_usage_error(usage, "calendar: bad option");
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage, "calendar: expected at least one NATION");
	if (!from_text || !to_text)
		return cli_usage_error(usage, "calendar: --from and --to are required");
	if ((rc = coplan_date_parse_iso(&from, from_text, (size_t)-1)) != 0 ||
	    (rc = coplan_date_parse_iso(&to, to_text, (size_t)-1)) != 0)
		return cli_error(rc);
	if (from > to) {
		fprintf(stderr, "coplan: error: --from %s is after --to %s\n", from_text, to_text);
		return CLI_FAIL;
	}
	cals = calloc((size_t)(argc - optind), sizeof(*cals));
	if (!cals)
		return cli_error(COPLAN_ENOMEM);
	if (!count_only && !json && (rc = cp_buf_puts(&out, "weekends:"))) {
		status = cli_error(rc);
		goto cleanup;
	}
	for (int i = optind; i < argc; i++) {
		const char *nation = argv[i], *region = NULL, *weekend = NULL;
		size_t len = strlen(nation);
		char upper[COPLAN_NATION_LEN] = "", text[64];

		for (int r = 0; r < n_regions; r++)
			if (!strncasecmp(regions[r], nation, len) && regions[r][len] == '=')
				region = regions[r] + len + 1;
		for (int r = 0; r < n_weekends; r++)
			if (!strncasecmp(weekends[r], nation, len) && weekends[r][len] == '=')
				weekend = weekends[r] + len + 1;
		for (size_t k = 0; k < len && k < 3; k++)
			upper[k] = (char)toupper((unsigned char)nation[k]);
		/* a typo must not pass as a nation with weekends only */
		if (len != 3 || !coplan_nation_valid(upper)) {
			fprintf(stderr, "coplan: error: unknown nation '%s' (expected ISO 3166-1 "
			        "alpha-3, e.g. ITA)\n", nation);
			goto cleanup;
		}
		rc = coplan_calendar_new(&cals[n_cals], upper, region, coplan_date_year(from),
		                         coplan_date_year(to));
		if (rc) {
			status = cli_error(rc);
			goto cleanup;
		}
		n_cals++;
		if (weekend && (rc = set_weekend(cals[n_cals - 1], weekend)) != 0) {
			status = cli_error(rc);
			goto cleanup;
		}
		if (!coplan_holidays_builtin(upper))
			fprintf(stderr, "coplan: note: no built-in holidays for %s: its weekend only\n",
			        upper);
		if (!count_only && !json &&
		    (rc = cp_buf_printf(&out, "%s %s %s", i > optind ? "," : "", upper,
		                        coplan_weekend_format(text, sizeof(text),
		                                              coplan_calendar_weekend(cals[n_cals - 1]))))) {
			status = cli_error(rc);
			goto cleanup;
		}
	}
	if (!count_only && !json && (rc = cp_buf_puts(&out, "\n"))) {
		status = cli_error(rc);
		goto cleanup;
	}
	{
		coplan_date *days = NULL;

		if ((rc = coplan_calendars_common_days(&days, &n_days, cals, (size_t)n_cals, from, to))) {
			status = cli_error(rc);
			goto cleanup;
		}
		if (json) {
			char *text = NULL;

			rc = coplan_common_days_format_json(&text, cals, (size_t)n_cals, days, n_days);
			rc = rc ? rc : cp_buf_puts(&out, text);
			free(text);
		}
		for (size_t k = 0; k < n_days && !count_only && !json && !rc; k++) {
			char iso[COPLAN_DATE_ISO_LEN];

			rc = cp_buf_printf(&out, "%s %s\n", coplan_date_format_iso(days[k], iso),
			                   weekdays[coplan_date_weekday(days[k]) - 1]);
		}
		free(days);
		if (!rc && !json)
			rc = cp_buf_printf(&out, count_only ? "%zu\n" : "%zu working days in common\n", n_days);
		if (rc) {
			status = cli_error(rc);
			goto cleanup;
		}
	}
	status = cli_write_output(NULL, out.data, out.len) ? CLI_FAIL : CLI_OK;
cleanup:
	for (int i = 0; i < n_cals; i++)
		coplan_calendar_free(cals[i]);
	free(cals);
	cp_buf_release(&out);
	return status;
}

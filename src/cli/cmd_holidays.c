/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_holidays.c - `coplan holidays NATION YEAR`: a nation's public holidays as table, csv, json or ics. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libical/ical.h>

#include "cli.h"
#include "../buf.h"

static const char usage[] =
	"coplan holidays NATION YEAR [--region R] [--format table|csv|json|ics]\n"
	"       coplan holidays --about NATION";

static void print_help(FILE *out)
{
	fprintf(out,
	        "usage: %s\n"
	        "\n"
	        "List the public holidays of NATION (ISO 3166-1 alpha-3: GBR, ITA, JPN) in\n"
	        "YEAR (%d-%d), with the substitute and citizens' holidays and the one-off days.\n"
	        "\n"
	        "Options:\n"
	        "  -r, --region R    a region or city: GBR ENG (default), SCT, NIR;\n"
	        "                    ITA a city for its patron saint's day (ROMA, MILANO, ...)\n"
	        "  -f, --format F    table (default), csv, json or ics\n"
	        "      --about NATION  the law the rules rest on and the date they were checked\n"
	        "  -h, --help        this help\n"
	        "\n"
	        "Days marked (provisional) are computed beyond the latest official announcement\n"
	        "(JPN equinox days).\n"
	        "Exit status: 0 done, 1 bad input (unknown nation or region, year out of range),\n"
	        "2 bad usage.\n",
	        usage, COPLAN_HOLIDAY_FIRST_YEAR, COPLAN_HOLIDAY_LAST_YEAR);
}

static const char *const weekdays[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

static int write_table(cp_buf *b, const coplan_holiday *h, size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n && !rc; i++) {
		char iso[COPLAN_DATE_ISO_LEN];

		/* the English name only where it says something the local one does not */
		int same = !h[i].english_name || !strcmp(h[i].local_name, h[i].english_name);

		rc = cp_buf_printf(b, "%s  %s  %-10s  %s%s%s%s\n",
		                   coplan_date_format_iso(h[i].date, iso),
		                   weekdays[coplan_date_weekday(h[i].date) - 1],
		                   coplan_holiday_kind_name(h[i].kind), h[i].local_name,
		                   same ? "" : "  ", same ? "" : h[i].english_name,
		                   h[i].provisional ? "  (provisional)" : "");
	}
	return rc;
}

/* RFC 4180 field: quoted when it holds a comma, quote or line break. */
static int csv_field(cp_buf *b, const char *s)
{
	int rc;

	if (!strpbrk(s, ",\"\r\n"))
		return cp_buf_puts(b, s);
	rc = cp_buf_putc(b, '"');
	for (; *s && !rc; s++)
		rc = *s == '"' ? cp_buf_puts(b, "\"\"") : cp_buf_putc(b, *s);
	return rc ? rc : cp_buf_putc(b, '"');
}

static int write_csv(cp_buf *b, const coplan_holiday *h, size_t n)
{
	int rc = cp_buf_puts(b, "date,kind,local_name,english_name,provisional\n");

	for (size_t i = 0; i < n && !rc; i++) {
		char iso[COPLAN_DATE_ISO_LEN];

		rc = cp_buf_printf(b, "%s,%s,", coplan_date_format_iso(h[i].date, iso),
		                   coplan_holiday_kind_name(h[i].kind));
		if (!rc)
			rc = csv_field(b, h[i].local_name);
		if (!rc)
			rc = cp_buf_putc(b, ',');
		if (!rc)
			rc = csv_field(b, h[i].english_name);
		if (!rc)
			rc = cp_buf_printf(b, ",%d\n", h[i].provisional ? 1 : 0);
	}
	return rc;
}

static int write_json(cp_buf *b, const coplan_holiday *h, size_t n)
{
	json_t *array = json_array();
	char *text = NULL;
	int rc = COPLAN_ENOMEM;

	if (!array)
		goto cleanup;
	for (size_t i = 0; i < n; i++) {
		char iso[COPLAN_DATE_ISO_LEN];
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:b}",
		                      "date", coplan_date_format_iso(h[i].date, iso),
		                      "kind", coplan_holiday_kind_name(h[i].kind),
		                      "local_name", h[i].local_name,
		                      "english_name", h[i].english_name,
		                      "provisional", h[i].provisional);

		if (!o || json_array_append_new(array, o))
			goto cleanup;
	}
	text = json_dumps(array, JSON_INDENT(2));
	if (!text)
		goto cleanup;
	rc = cp_buf_puts(b, text);
	if (!rc)
		rc = cp_buf_putc(b, '\n');
cleanup:
	free(text);
	json_decref(array);
	return rc;
}

static struct icaltimetype ical_day(coplan_date date)
{
	struct icaltimetype t = icaltime_null_date();
	int y, m, d;

	coplan_date_to_ymd(date, &y, &m, &d);
	t.year = y;
	t.month = m;
	t.day = d;
	t.is_date = 1;
	return t;
}

/* RFC 5545 calendar of all-day events; UIDs stable across runs: date, nation, region. */
static int write_ics(cp_buf *b, const coplan_holiday *h, size_t n, const char *nation,
                     const char *region, int year)
{
	icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	char *text = NULL;
	char name[128];
	icalproperty *p;
	struct icaltimetype stamp = icaltime_null_time();
	int rc = COPLAN_ENOMEM;

	if (!cal)
		return COPLAN_ENOMEM;
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_prodid("-//coplan//holidays//EN"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	stamp.year = year;
	stamp.month = 1;
	stamp.day = 1;
	stamp.zone = icaltimezone_get_utc_timezone();
	snprintf(name, sizeof(name), "%s%s%s public holidays %d", nation, region ? " " : "",
	         region ? region : "", year);
	p = icalproperty_new_x(name);
	icalproperty_set_x_name(p, "X-WR-CALNAME");
	icalcomponent_add_property(cal, p);
	for (size_t i = 0; i < n; i++) {
		char iso[COPLAN_DATE_ISO_LEN], uid[160], summary[512];
		icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);

		if (!ev)
			goto cleanup;
		coplan_date_format_iso(h[i].date, iso);
		snprintf(uid, sizeof(uid), "%s-%s%s%s@holidays.coplan", iso, nation,
		         region ? "-" : "", region ? region : "");
		if (strcmp(h[i].local_name, h[i].english_name))
			snprintf(summary, sizeof(summary), "%s (%s)", h[i].local_name,
			         h[i].english_name);
		else
			snprintf(summary, sizeof(summary), "%s", h[i].local_name);
		icalcomponent_add_property(ev, icalproperty_new_uid(uid));
		/* a fixed stamp keeps the output reproducible: 1 January of the year, UTC */
		icalcomponent_add_property(ev, icalproperty_new_dtstamp(stamp));
		icalcomponent_add_property(ev, icalproperty_new_dtstart(ical_day(h[i].date)));
		icalcomponent_add_property(ev, icalproperty_new_dtend(ical_day(h[i].date + 1)));
		icalcomponent_add_property(ev, icalproperty_new_summary(summary));
		icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
		p = icalproperty_new_categories(coplan_holiday_kind_name(h[i].kind));
		icalcomponent_add_property(ev, p);
		if (h[i].provisional)
			icalcomponent_add_property(ev, icalproperty_new_status(ICAL_STATUS_TENTATIVE));
		icalcomponent_add_component(cal, ev);
	}
	text = icalcomponent_as_ical_string_r(cal);
	if (!text)
		goto cleanup;
	rc = cp_buf_puts(b, text);
cleanup:
	free(text);
	icalcomponent_free(cal);
	return rc;
}

int cmd_holidays(int argc, char **argv)
{
	static const struct option options[] = {
		{ "region", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "about", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	const char *region = NULL, *format = "table", *nation, *about = NULL;
	coplan_holiday *list = NULL;
	cp_buf out = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	size_t n = 0;
	long year;
	int c, rc, status;

	optind = 0;
	while ((c = getopt_long(argc, argv, "r:f:h", options, NULL)) != -1) {
		switch (c) {
		case 'r':
			region = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		case 'a':
			about = optarg;
			break;
		case 'h':
			print_help(stdout);
			return CLI_OK;
		default:
			return cli_usage_error(usage, "holidays: bad option");
		}
	}
	if (about) {
		coplan_holiday_about a;

		if (argc - optind != 0)
			return cli_usage_error(usage, "holidays: --about takes a nation and nothing else");
		if ((rc = coplan_holidays_about(&a, about)))
			return cli_error(rc);
		printf("%s: holiday rules checked against the law as of %s\nsources:\n  ", a.nation,
		       a.checked);
		for (const char *p = a.sources; *p; p++)
			fputs(*p == '\n' ? "\n  " : (char[]){ *p, 0 }, stdout);
		printf("\n");
		if (a.announced_through)
			printf("equinox days announced by the Cabinet Office through %d; later years are "
			       "computed and marked provisional\n", a.announced_through);
		return CLI_OK;
	}
	if (argc - optind != 2)
		return cli_usage_error(usage, "holidays: expected NATION and YEAR");
	if (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json") &&
	    strcmp(format, "ics"))
		return cli_usage_error(usage, "holidays: unknown format '%s' (expected table, csv, "
		                       "json or ics)", format);
	nation = argv[optind];
	if (cli_parse_long(argv[optind + 1], 0, 99999, &year)) {
		fprintf(stderr, "coplan: error: year '%s' is not a year (expected e.g. 2024)\n",
		        argv[optind + 1]);
		return CLI_FAIL;
	}
	rc = coplan_holidays_list(&list, &n, nation, region, (int)year);
	if (rc)
		return cli_error(rc);
	if (!strcmp(format, "csv"))
		rc = write_csv(&out, list, n);
	else if (!strcmp(format, "json"))
		rc = write_json(&out, list, n);
	else if (!strcmp(format, "ics"))
		rc = write_ics(&out, list, n, nation, region, (int)year);
	else
		rc = write_table(&out, list, n);
	if (rc)
		status = cli_error(rc);
	else
		status = cli_write_output(NULL, out.data ? out.data : "", out.len) ? CLI_FAIL : CLI_OK;
	cp_buf_release(&out);
	free(list);
	return status;
}

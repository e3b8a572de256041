/* SPDX-License-Identifier: Apache-2.0 */
/* test_ical_import.c - the iCalendar reader against the cases of tests/data/ics-in and its plan imports. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "coplan/coplan.h"

#define CASES COPLAN_TEST_DATA "/ics-in"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	data = malloc((size_t)n + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	data[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return data;
}

static void format_utc(int64_t t, char *buf, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int check_field(const char *file, size_t i, json_t *want, const char *key, const char *got)
{
	json_t *v = json_object_get(want, key);

	if (!v)
		return 0;
	if (strcmp(json_string_value(v), got)) {
		print_error("%s: event %zu: %s is '%s', expected '%s'\n", file, i, key, got,
		            json_string_value(v));
		return 1;
	}
	return 0;
}

/* One case: NAME.ics read as the field wrote it, against NAME.expected.json. */
static int run_case(const char *base)
{
	char ics[512], exp[512];
	json_error_t jerr;
	json_t *doc, *events, *err, *cancelled;
	coplan_ical_calendar *cal = NULL;
	size_t len, failures = 0;
	char *data;
	int rc;

	snprintf(ics, sizeof(ics), "%s/%s.ics", CASES, base);
	snprintf(exp, sizeof(exp), "%s/%s.expected.json", CASES, base);
	doc = json_load_file(exp, 0, &jerr);
	assert_non_null(doc);
	data = slurp(ics, &len);
	snprintf(ics, sizeof(ics), "%s.ics", base);
	rc = coplan_ical_read(&cal, ics, data, len, NULL);
	err = json_object_get(doc, "error");
	if (err && json_is_object(err)) {
		/* {"line": N, "mentions": WORD}: the message names NAME.ics:N: and holds WORD */
		char at[600];
		const char *word = json_string_value(json_object_get(err, "mentions"));

		snprintf(at, sizeof(at), "%s:%lld:", ics,
		         json_integer_value(json_object_get(err, "line")));
		if (rc == 0) {
			print_error("%s: read without error, expected an error at %s\n", ics, at);
			failures++;
		} else if (strncmp(coplan_error_last(), at, strlen(at)) ||
		           (word && !strstr(coplan_error_last(), word))) {
			print_error("%s: error '%s', expected one at %s naming '%s'\n", ics,
			            coplan_error_last(), at, word ? word : "");
			failures++;
		}
		goto cleanup;
	}
	if (err) {
		const char *want = json_string_value(err);

		if (rc == 0) {
			print_error("%s: read without error, expected '%s'\n", ics, want);
			failures++;
		} else if (strncmp(coplan_error_last(), want, strlen(want))) {
			print_error("%s: error '%s', expected '%s'\n", ics, coplan_error_last(), want);
			failures++;
		}
		goto cleanup;
	}
	if (rc) {
		print_error("%s: %s\n", ics, coplan_error_last());
		failures++;
		goto cleanup;
	}
	events = json_object_get(doc, "events");
	if (json_array_size(events) != cal->n_events) {
		print_error("%s: %zu events, expected %zu\n", ics, cal->n_events, json_array_size(events));
		failures++;
	}
	cancelled = json_object_get(doc, "cancelled");
	if ((size_t)json_integer_value(cancelled) != cal->n_cancelled) {
		print_error("%s: %zu cancelled, expected %lld\n", ics, cal->n_cancelled,
		            json_integer_value(cancelled));
		failures++;
	}
	for (size_t i = 0; i < json_array_size(events) && i < cal->n_events; i++) {
		const coplan_ical_event *e = &cal->events[i];
		json_t *want = json_array_get(events, i);
		char start[COPLAN_DATE_ISO_LEN], end[COPLAN_DATE_ISO_LEN], su[32] = "", eu[32] = "";

		coplan_date_format_iso(e->start, start);
		coplan_date_format_iso(e->end_exclusive, end);
		if (!e->all_day) {
			format_utc(e->start_utc, su, sizeof(su));
			format_utc(e->end_utc, eu, sizeof(eu));
		}
		failures += check_field(ics, i, want, "summary", e->summary);
		failures += check_field(ics, i, want, "start", start);
		failures += check_field(ics, i, want, "end_exclusive", end);
		failures += check_field(ics, i, want, "start_utc", su);
		failures += check_field(ics, i, want, "end_utc", eu);
		if (json_object_get(want, "start_utc") && e->all_day) {
			print_error("%s: event %zu is all-day, expected a timed event\n", ics, i);
			failures++;
		}
		if (!json_object_get(want, "start_utc") && !e->all_day) {
			print_error("%s: event %zu is timed, expected an all-day event\n", ics, i);
			failures++;
		}
	}
cleanup:
	coplan_ical_calendar_free(cal);
	free(data);
	json_decref(doc);
	return (int)failures;
}

static void test_field_cases(void **state)
{
	static const char suffix[] = ".expected.json";
	DIR *dir = opendir(CASES);
	struct dirent *de;
	int failures = 0, cases = 0, shared = 0;

	(void)state;
	assert_non_null(dir);
	while ((de = readdir(dir))) {
		size_t n = strlen(de->d_name);
		char base[256];

		if (n <= strlen(suffix) || strcmp(de->d_name + n - strlen(suffix), suffix))
			continue;
		snprintf(base, sizeof(base), "%.*s", (int)(n - strlen(suffix)), de->d_name);
		failures += run_case(base);
		cases++;
		if (!strcmp(base, "holiday-feed-bom-lf") || !strcmp(base, "outlook-windows-tzid") ||
		    !strcmp(base, "outlook-allday-as-utc") || !strcmp(base, "x-property-value-param") ||
		    !strcmp(base, "duration-overflow") || !strcmp(base, "rrule-rscale"))
			shared++;
	}
	closedir(dir);
	assert_int_equal(shared, 6);   /* the cases from the field are all there */
	assert_true(cases >= 12);
	assert_int_equal(failures, 0);
}

static int read_text(coplan_ical_calendar **cal, const char *text, const coplan_ical_options *opts)
{
	return coplan_ical_read(cal, "t.ics", text, strlen(text), opts);
}

#define HEAD "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
#define TAIL "END:VCALENDAR\r\n"

static void expect_error(const char *text, const char *message)
{
	coplan_ical_calendar *cal = NULL;
	int rc = read_text(&cal, text, NULL);

	assert_int_not_equal(rc, 0);
	assert_null(cal);
	if (strncmp(coplan_error_last(), message, strlen(message)))
		fail_msg("error '%s', expected '%s'", coplan_error_last(), message);
}

static void test_structure_errors(void **state)
{
	(void)state;
	expect_error("", "t.ics: not an iCalendar file");
	expect_error("BEGIN:VCARD\r\nEND:VCARD\r\n", "t.ics:1: 'BEGIN:VCARD' outside a calendar");
	expect_error(HEAD "BEGIN:VEVENT\r\nDTSTART:20240101\r\nEND:VTODO\r\n" TAIL,
	             "t.ics:5: END:VTODO does not close BEGIN:VEVENT of line 3");
	expect_error(HEAD "BEGIN:VEVENT\r\nDTSTART:20240101\r\n", "t.ics:3: BEGIN:VEVENT is never closed");
	expect_error(HEAD "BEGIN:VEVENT\r\nSUMMARY no colon\r\nEND:VEVENT\r\n" TAIL,
	             "t.ics:4: 'SUMMARY no colon' is not a content line");
	expect_error(HEAD "BEGIN:VEVENT\r\nDTSTART;TZID=\"Rome:20240101T100000\r\nEND:VEVENT\r\n" TAIL,
	             "t.ics:4: 'DTSTART;TZID=\"Rome:20240101T100000' is not a content line");
	expect_error(" folded\r\n" HEAD TAIL, "t.ics:1: a folded line");
	expect_error(HEAD "BEGIN:VEVENT\r\nSUMMARY:caf\xE9\r\nDTSTART:20240101\r\nEND:VEVENT\r\n" TAIL,
	             "t.ics:4: invalid UTF-8 byte 0xE9");
	expect_error(HEAD "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20240101T100000\r\nEND:VEVENT\r\n" TAIL,
	             "t.ics:4: DTSTART '20240101T100000' is not a date (VALUE=DATE expects YYYYMMDD)");
	expect_error(HEAD "BEGIN:VEVENT\r\nDTSTART:20240101T250000\r\nEND:VEVENT\r\n" TAIL,
	             "t.ics:4: DTSTART '20240101T250000' is not a time of day");
	expect_error(HEAD "BEGIN:VEVENT\r\nDTSTART:20240101\r\nDURATION:P1X\r\nEND:VEVENT\r\n" TAIL,
	             "t.ics:5: DURATION 'P1X' is not a duration");
	expect_error(HEAD "BEGIN:VEVENT\r\nDTSTART:20240101\r\nRRULE:FREQ=FORTNIGHTLY\r\nEND:VEVENT\r\n" TAIL,
	             "t.ics:5: RRULE 'FREQ=FORTNIGHTLY' is not a recurrence rule");
	expect_error(HEAD "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20240101\r\nDTEND:20240102T100000\r\n"
	             "END:VEVENT\r\n" TAIL, "t.ics:5: DTEND is a date-time but DTSTART is a date");
	expect_error(HEAD "BEGIN:VEVENT\r\nSUMMARY:Back\r\nDTSTART;VALUE=DATE:20240105\r\n"
	             "DTEND;VALUE=DATE:20240101\r\nEND:VEVENT\r\n" TAIL,
	             "t.ics:6: DTEND of 'Back' is before its DTSTART");
	expect_error(HEAD "BEGIN:VEVENT\r\nSUMMARY:Both\r\nDTSTART;VALUE=DATE:20240105\r\n"
	             "DTEND;VALUE=DATE:20240106\r\nDURATION:P1D\r\nEND:VEVENT\r\n" TAIL,
	             "t.ics:7: event 'Both' has both DTEND and DURATION");
	expect_error(HEAD "BEGIN:VEVENT\r\nSUMMARY:Hours\r\nDTSTART;VALUE=DATE:20240105\r\n"
	             "DURATION:PT5H\r\nEND:VEVENT\r\n" TAIL,
	             "t.ics:6: DURATION of all-day event 'Hours' has hours");
	expect_error(HEAD "BEGIN:VEVENT\r\nDTSTART:20240105\r\nEXDATE:20240106,2024-01-07\r\n"
	             "RRULE:FREQ=DAILY;COUNT=3\r\nEND:VEVENT\r\n" TAIL,
	             "t.ics:5: EXDATE '2024-01-07' is not a date");
	expect_error(HEAD "X-WR-TIMEZONE:Nowhere/Special\r\nBEGIN:VEVENT\r\nDTSTART:20240105T100000\r\n"
	             "END:VEVENT\r\n" TAIL, "t.ics:3: unknown time zone 'Nowhere/Special' in X-WR-TIMEZONE");
}

static void test_size_limit(void **state)
{
	coplan_ical_calendar *cal = NULL;
	size_t len = (size_t)COPLAN_IMPORT_MAX_BYTES + 1;
	char *big = calloc(1, len);

	(void)state;
	assert_non_null(big);
	assert_int_equal(coplan_ical_read(&cal, "big.ics", big, len, NULL), COPLAN_ELIMIT);
	assert_null(cal);
	free(big);
}

static void test_horizon_and_instance_limit(void **state)
{
	static const char daily[] = HEAD "BEGIN:VEVENT\r\nSUMMARY:Every day\r\n"
		"DTSTART;VALUE=DATE:20230101\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\n" TAIL;
	coplan_ical_options opts = { 0 };
	coplan_ical_calendar *cal = NULL;

	(void)state;
	/* no horizon: ten years from DTSTART, more than the default limit of instances? no: 3654 */
	assert_int_equal(read_text(&cal, daily, NULL), 0);
	assert_int_equal(cal->n_events, 3654);  /* 2023-01-01 .. 2033-01-01 inclusive */
	coplan_ical_calendar_free(cal);
	cal = NULL;
	/* a plan's window: only the instances inside it, although DTSTART is before */
	opts.horizon = 1;
	opts.from = coplan_date_from_ymd(2024, 1, 1);
	opts.to = coplan_date_from_ymd(2024, 1, 31);
	assert_int_equal(read_text(&cal, daily, &opts), 0);
	assert_int_equal(cal->n_events, 31);
	assert_int_equal(cal->events[0].start, opts.from);
	assert_int_equal(cal->events[30].start, opts.to);
	assert_true(cal->events[0].recurring);
	coplan_ical_calendar_free(cal);
	cal = NULL;
	/* more instances than allowed is an error naming the rule's line, never a silent cut */
	opts.max_instances = 10;
	assert_int_equal(read_text(&cal, daily, &opts), COPLAN_ELIMIT);
	assert_null(cal);
	if (!strstr(coplan_error_last(), "t.ics:6: event 'Every day' recurs more than 10 times from 2024-01-01 to 2024-01-31"))
		fail_msg("%s", coplan_error_last());
}

static void test_floating_default_zone(void **state)
{
	static const char text[] = HEAD "BEGIN:VEVENT\r\nSUMMARY:Floating\r\n"
		"DTSTART:20240110T100000\r\nDTEND:20240110T110000\r\nEND:VEVENT\r\n" TAIL;
	coplan_ical_options opts = { .default_zone = "Tokyo Standard Time" };
	coplan_ical_calendar *cal = NULL;
	char buf[32];

	(void)state;
	assert_int_equal(read_text(&cal, text, NULL), 0);
	assert_true(cal->events[0].floating);
	assert_null(cal->events[0].zone);
	format_utc(cal->events[0].start_utc, buf, sizeof(buf));
	assert_string_equal(buf, "2024-01-10T10:00:00Z");  /* wall time read as UTC, flagged */
	coplan_ical_calendar_free(cal);
	cal = NULL;
	assert_int_equal(read_text(&cal, text, &opts), 0);
	assert_false(cal->events[0].floating);
	assert_string_equal(cal->events[0].zone, "Asia/Tokyo");
	format_utc(cal->events[0].start_utc, buf, sizeof(buf));
	assert_string_equal(buf, "2024-01-10T01:00:00Z");
	coplan_ical_calendar_free(cal);
}

static void test_windows_zones(void **state)
{
	char *iana = NULL;

	(void)state;
	assert_int_equal(coplan_ical_windows_zone(&iana, "W. Europe Standard Time"), 0);
	assert_string_equal(iana, "Europe/Berlin");
	free(iana);
	assert_int_equal(coplan_ical_windows_zone(&iana, "Tokyo Standard Time"), 0);
	assert_string_equal(iana, "Asia/Tokyo");
	free(iana);
	assert_int_equal(coplan_ical_windows_zone(&iana, "AUS Eastern Standard Time"), 0);
	assert_string_equal(iana, "Australia/Sydney");
	free(iana);
	assert_int_equal(coplan_ical_windows_zone(&iana, "Mars Standard Time"), COPLAN_ENOTFOUND);
	/* another table, named by the environment */
	setenv("COPLAN_CLDR_WINDOWS_ZONES", COPLAN_TEST_DATA "/ics-in/no-such-table.xml", 1);
	assert_int_equal(coplan_ical_windows_zone(&iana, "Tokyo Standard Time"), COPLAN_EIO);
	assert_non_null(strstr(coplan_error_last(), "no-such-table.xml"));
	unsetenv("COPLAN_CLDR_WINDOWS_ZONES");
}

static void test_import_holidays(void **state)
{
	coplan_ical_import_report report;
	coplan_plan *plan;

	(void)state;
	assert_int_equal(coplan_plan_new(&plan), 0);
	assert_int_equal(coplan_plan_add_holiday(plan, "KOR", coplan_date_from_ymd(2024, 5, 3), "Kept"), 0);
	/* a broken feed changes nothing */
	assert_int_not_equal(coplan_ical_import_holidays(plan, CASES "/broken-dtstart.ics", "KOR",
	                                                 &report), 0);
	assert_int_equal(plan->n_holidays, 1);
	assert_int_equal(report.added, 0);
	assert_int_equal(coplan_ical_import_holidays(plan, CASES "/holiday-feed-bom-lf.ics", "XXX",
	                                             NULL), COPLAN_EUSAGE);
	/* the feed: 1 + 1 + 4 days, of which 2024-05-03 was there already */
	assert_int_equal(coplan_ical_import_holidays(plan, CASES "/holiday-feed-bom-lf.ics", "KOR",
	                                             &report), 0);
	assert_int_equal(report.events, 3);
	assert_int_equal(report.added, 5);
	assert_int_equal(plan->n_holidays, 6);
	assert_string_equal(plan->holidays[0].name, "Kept");
	for (size_t i = 1; i < plan->n_holidays; i++)
		assert_string_equal(plan->holidays[i].nation, "KOR");
	assert_int_equal(plan->holidays[1].date, coplan_date_from_ymd(2024, 2, 12));
	assert_int_equal(plan->holidays[5].date, coplan_date_from_ymd(2024, 5, 6));
	assert_string_equal(plan->holidays[5].name, "Golden Week closure");
	coplan_plan_free(plan);
}

static void test_import_blackouts(void **state)
{
	coplan_ical_import_report report;
	coplan_plan *plan;

	(void)state;
	assert_int_equal(coplan_plan_new(&plan), 0);
	plan->window_from = coplan_date_from_ymd(2024, 1, 1);
	plan->window_to = coplan_date_from_ymd(2024, 12, 31);
	assert_int_equal(coplan_ical_import_blackouts(plan, CASES "/unknown-tzid.ics", "4th Air Wing",
	                                              1, &report), COPLAN_EINVALID);
	assert_int_equal(plan->n_blackouts, 0);
	assert_int_equal(coplan_ical_import_blackouts(plan, CASES "/rrule-weekly-exdate.ics",
	                                              "4th Air Wing", 0, &report), 0);
	/* 4 meetings, and New Year's Day only in 2024 (the plan's window) with its RDATE */
	assert_int_equal(report.added, 6);
	assert_int_equal(report.cancelled, 1);
	assert_int_equal(plan->n_blackouts, 6);
	assert_string_equal(plan->blackouts[0].scope, "4th Air Wing");
	assert_string_equal(plan->blackouts[0].reason, "Weekly staff meeting");
	assert_int_equal(plan->blackouts[0].from, coplan_date_from_ymd(2024, 3, 18));
	assert_int_equal(plan->blackouts[0].to, coplan_date_from_ymd(2024, 3, 18));
	assert_int_equal(plan->blackouts[0].hard, 0);
	coplan_plan_free(plan);
}

/* The scheduler's reasons name an imported holiday, as the feed names it. */
static void test_explain_names_imported_holiday(void **state)
{
	coplan_plan *plan = NULL;
	char *why = NULL;

	(void)state;
	assert_int_equal(coplan_import_plan_json(&plan, CASES "/aus-plan/plan.json"), 0);
	assert_int_equal(coplan_import_activities_csv(plan, CASES "/aus-plan/activities.csv", NULL,
	                                              NULL), 0);
	assert_int_equal(coplan_ical_import_holidays(plan, CASES "/aus-plan/holidays/AUS.ics", "AUS",
	                                             NULL), 0);
	assert_int_equal(coplan_schedule_explain(&why, plan, "AU-01", coplan_date_from_ymd(2024, 1, 26)),
	                 0);
	if (!strstr(why, "Australia Day"))
		fail_msg("explain does not name the holiday: %s", why);
	free(why);
	coplan_plan_free(plan);
}

/* One all-day event's dates, or (start_utc "") that it stayed timed. */
static void expect_days(const char *text, const char *start, const char *end_exclusive,
                        int all_day)
{
	coplan_ical_calendar *cal = NULL;
	char a[COPLAN_DATE_ISO_LEN], b[COPLAN_DATE_ISO_LEN];

	if (read_text(&cal, text, NULL))
		fail_msg("%s", coplan_error_last());
	assert_true(cal->n_events >= 1);
	if (strcmp(coplan_date_format_iso(cal->events[0].start, a), start) ||
	    strcmp(coplan_date_format_iso(cal->events[0].end_exclusive, b), end_exclusive) ||
	    cal->events[0].all_day != all_day)
		fail_msg("read %s to %s (%s), expected %s to %s (%s)\n%s", a, b,
		         cal->events[0].all_day ? "all-day" : "timed", start, end_exclusive,
		         all_day ? "all-day" : "timed", text);
	coplan_ical_calendar_free(cal);
}

#define EV(props) HEAD "BEGIN:VEVENT\r\nSUMMARY:E\r\n" props "END:VEVENT\r\n" TAIL
#define ROME "X-WR-TIMEZONE:Europe/Rome\r\n"
#define FLAG "X-MICROSOFT-CDO-ALLDAYEVENT:TRUE\r\n"

/* All-day events written as timed ones: the flag, and midnight in the calendar's zone. */
static void test_timed_all_day(void **state)
{
	coplan_ical_calendar *cal = NULL;

	(void)state;
	/* flagged, UTC, midnight in the calendar's zone: west and east of Greenwich */
	expect_days(HEAD "X-WR-TIMEZONE:America/New_York\r\nBEGIN:VEVENT\r\nSUMMARY:E\r\n"
	            "DTSTART:20240704T040000Z\r\nDTEND:20240705T040000Z\r\n" FLAG "END:VEVENT\r\n" TAIL,
	            "2024-07-04", "2024-07-05", 1);
	expect_days(HEAD "X-WR-TIMEZONE:Asia/Tokyo\r\nBEGIN:VEVENT\r\nSUMMARY:E\r\n"
	            "DTSTART:20240428T150000Z\r\nDTEND:20240501T150000Z\r\n" FLAG "END:VEVENT\r\n" TAIL,
	            "2024-04-29", "2024-05-02", 1);
	/* a day of 25 hours, at the end of summer time in Rome */
	expect_days(HEAD ROME "BEGIN:VEVENT\r\nSUMMARY:E\r\nDTSTART:20241026T220000Z\r\n"
	            "DTEND:20241027T230000Z\r\n" FLAG "END:VEVENT\r\n" TAIL, "2024-10-27", "2024-10-28", 1);
	/* flagged in the event's own zone, with DURATION, the flag's value with a parameter */
	expect_days(EV("DTSTART;TZID=Asia/Tokyo:20240503T000000\r\nDURATION:P2D\r\n"
	               "X-MICROSOFT-CDO-ALLDAYEVENT;VALUE=TEXT:true\r\n"), "2024-05-03", "2024-05-05", 1);
	/* flagged with no zone to decide: the nearest midnight */
	expect_days(EV("DTSTART:20241031T230000Z\r\nDTEND:20241101T230000Z\r\n" FLAG),
	            "2024-11-01", "2024-11-02", 1);
	expect_days(EV("DTSTART:20240428T150000Z\r\nDTEND:20240429T150000Z\r\n"
	               "X-MICROSOFT-MSNCALENDAR-ALLDAYEVENT:TRUE\r\n"), "2024-04-29", "2024-04-30", 1);
	/* not flagged, UTC, but midnight to midnight in the calendar's zone */
	expect_days(HEAD ROME "BEGIN:VEVENT\r\nSUMMARY:E\r\nDTSTART:20240814T220000Z\r\n"
	            "DTEND:20240816T220000Z\r\nEND:VEVENT\r\n" TAIL, "2024-08-15", "2024-08-17", 1);
	/* not flagged and nothing decides: a timed event over the two UTC days it touches */
	expect_days(EV("DTSTART:20241031T230000Z\r\nDTEND:20241101T230000Z\r\n"),
	            "2024-10-31", "2024-11-02", 0);
	/* flagged FALSE, or shorter than a day: timed */
	expect_days(HEAD ROME "BEGIN:VEVENT\r\nSUMMARY:E\r\nDTSTART:20241031T230000Z\r\n"
	            "DTEND:20241101T120000Z\r\n" FLAG "END:VEVENT\r\n" TAIL, "2024-10-31", "2024-11-02", 0);
	expect_days(HEAD ROME "BEGIN:VEVENT\r\nSUMMARY:E\r\nDTSTART:20241031T230000Z\r\n"
	            "DTEND:20241101T230000Z\r\nX-MICROSOFT-CDO-ALLDAYEVENT:FALSE\r\nEND:VEVENT\r\n" TAIL,
	            "2024-10-31", "2024-11-02", 0);
	/* a weekly flagged event: every instance one day */
	assert_int_equal(read_text(&cal, HEAD ROME "BEGIN:VEVENT\r\nSUMMARY:E\r\n"
	                 "DTSTART:20240104T230000Z\r\nDTEND:20240105T230000Z\r\n"
	                 "RRULE:FREQ=WEEKLY;COUNT=3\r\n" FLAG "END:VEVENT\r\n" TAIL, NULL), 0);
	assert_int_equal(cal->n_events, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_true(cal->events[i].all_day);
		assert_int_equal(cal->events[i].start, coplan_date_from_ymd(2024, 1, 5 + 7 * (int)i));
		assert_int_equal(cal->events[i].end_exclusive, cal->events[i].start + 1);
	}
	coplan_ical_calendar_free(cal);
}

/* Parameters on any property, X- ones included; an unreadable value is an error naming its line. */
static void test_parameters_anywhere(void **state)
{
	coplan_ical_calendar *cal = NULL;
	char buf[32];

	(void)state;
	assert_int_equal(read_text(&cal, HEAD "X-WR-CALNAME;X-A=\"a:b;c\";VALUE=TEXT:Diary\\, 2024\r\n"
	                 "X-WR-TIMEZONE;X-B=1;VALUE=TEXT:Asia/Tokyo\r\nBEGIN:VEVENT\r\n"
	                 "SUMMARY;LANGUAGE=it;ALTREP=\"cid:x@y\":Riunione\r\nUID;X-C=2:u1\r\n"
	                 "DTSTART;X-D=\"q\":20240920T090000\r\nDTEND;VALUE=DATE-TIME:20240920T100000\r\n"
	                 "X-ANY;X-E=3:x\r\nEND:VEVENT\r\n" TAIL, NULL), 0);
	assert_string_equal(cal->calname, "Diary, 2024");
	assert_string_equal(cal->events[0].summary, "Riunione");
	assert_string_equal(cal->events[0].uid, "u1");
	assert_string_equal(cal->events[0].zone, "Asia/Tokyo");
	format_utc(cal->events[0].start_utc, buf, sizeof(buf));
	assert_string_equal(buf, "2024-09-20T00:00:00Z");
	coplan_ical_calendar_free(cal);
	/* the parameter is no longer a reason to ignore the zone: a bad one is named */
	expect_error(HEAD "X-WR-TIMEZONE;VALUE=TEXT:Nowhere/Land\r\nBEGIN:VEVENT\r\n"
	             "DTSTART:20240920T090000\r\nEND:VEVENT\r\n" TAIL,
	             "t.ics:3: unknown time zone 'Nowhere/Land' in X-WR-TIMEZONE");
}

/* Every number of a date, time, duration or rule range-checked, the error naming its line. */
static void test_numbers_in_range(void **state)
{
	(void)state;
	expect_error(EV("DTSTART:20240301\r\nDURATION:P99999999999999999999W\r\n"),
	             "t.ics:6: DURATION 'P99999999999999999999W' is out of range");
	expect_error(EV("DTSTART:20240301T080000Z\r\nDURATION:PT4294967297S\r\n"),
	             "t.ics:6: DURATION 'PT4294967297S' is out of range");
	expect_error(EV("DTSTART:20240301T080000Z\r\nDURATION:P5218W\r\n"),
	             "t.ics:6: DURATION 'P5218W' is out of range (a duration is at most 36525 days)");
	expect_error(EV("DTSTART:20240301T080000Z\r\nDURATION:P1D2W\r\n"),
	             "t.ics:6: DURATION 'P1D2W' is not a duration");
	expect_error(EV("DTSTART:20240301\r\nRRULE:FREQ=DAILY;COUNT=99999999999999\r\n"),
	             "t.ics:6: RRULE COUNT '99999999999999' is out of range (expected 1 to 1000000)");
	expect_error(EV("DTSTART:20240301\r\nRRULE:FREQ=DAILY;INTERVAL=70000\r\n"),
	             "t.ics:6: RRULE INTERVAL '70000' is out of range (expected 1 to 32767)");
	expect_error(EV("DTSTART:20240301\r\nRRULE:FREQ=MONTHLY;BYMONTHDAY=1,32\r\n"),
	             "t.ics:6: RRULE BYMONTHDAY '32' is out of range");
	expect_error(EV("DTSTART:20240301\r\nRRULE:FREQ=MONTHLY;BYMONTHDAY=0\r\n"),
	             "t.ics:6: RRULE BYMONTHDAY '0' is out of range (expected -31 to 31, not 0)");
	expect_error(EV("DTSTART:20240301\r\nRRULE:FREQ=YEARLY;BYDAY=54MO\r\n"),
	             "t.ics:6: RRULE BYDAY '54MO' is out of range");
	expect_error(EV("DTSTART:20240301\r\nRRULE:FREQ=YEARLY;BYMONTH=4294967297\r\n"),
	             "t.ics:6: RRULE BYMONTH '4294967297' is out of range");
	expect_error(EV("DTSTART:20240301\r\nRRULE:FREQ=DAILY;UNTIL=20241301\r\n"),
	             "t.ics:6: RRULE UNTIL '20241301' is not a date");
	expect_error(EV("DTSTART:00000301\r\n"), "t.ics:5: DTSTART '00000301' is not a date");
	expect_error(EV("DTSTART:20240301T250000Z\r\n"), "t.ics:5: DTSTART '20240301T250000Z' is not "
	             "a time of day");
	expect_error(EV("DTSTART:20240301T080000Z\r\nRDATE;VALUE=PERIOD:20240401T080000Z/P99999999999D\r\n"),
	             "t.ics:6: RDATE 'P99999999999D' is out of range");
	/* the largest accepted values still read */
	{
		coplan_ical_calendar *cal = NULL;

		assert_int_equal(read_text(&cal, EV("DTSTART:20240301\r\nDURATION:P36525D\r\n"), NULL), 0);
		assert_int_equal(cal->events[0].end_exclusive - cal->events[0].start, 36525);
		coplan_ical_calendar_free(cal);
		cal = NULL;
		assert_int_equal(read_text(&cal, EV("DTSTART:20240229\r\n"
		                 "RRULE:RSCALE=GREGORIAN;FREQ=YEARLY;BYMONTH=2;SKIP=FORWARD;COUNT=2\r\n"),
		                 NULL), 0);
		coplan_ical_calendar_free(cal);
	}
}

/* The field's cases read into a plan: one day of blackout, one refused feed, nothing changed. */
static void test_field_cases_into_plan(void **state)
{
	coplan_plan *plan;

	(void)state;
	assert_int_equal(coplan_plan_new(&plan), 0);
	plan->window_from = coplan_date_from_ymd(2024, 1, 1);
	plan->window_to = coplan_date_from_ymd(2024, 12, 31);
	assert_int_equal(coplan_ical_import_blackouts(plan, CASES "/outlook-allday-as-utc.ics",
	                                              "Office", 1, NULL), 0);
	assert_int_equal(plan->n_blackouts, 1);
	assert_int_equal(plan->blackouts[0].from, coplan_date_from_ymd(2024, 11, 1));
	assert_int_equal(plan->blackouts[0].to, coplan_date_from_ymd(2024, 11, 1));
	assert_int_equal(coplan_ical_import_holidays(plan, CASES "/outlook-allday-as-utc.ics", "ITA",
	                                             NULL), 0);
	assert_int_equal(plan->n_holidays, 1);
	assert_int_equal(plan->holidays[0].date, coplan_date_from_ymd(2024, 11, 1));
	assert_int_equal(coplan_ical_import_blackouts(plan, CASES "/duration-overflow.ics", "Office",
	                                              1, NULL), COPLAN_EINVALID);
	assert_int_equal(coplan_ical_import_holidays(plan, CASES "/duration-overflow.ics", "ITA",
	                                             NULL), COPLAN_EINVALID);
	if (!strstr(coplan_error_last(), "duration-overflow.ics:8: DURATION"))
		fail_msg("%s", coplan_error_last());
	assert_int_equal(plan->n_blackouts, 1);
	assert_int_equal(plan->n_holidays, 1);
	coplan_plan_free(plan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_field_cases),
		cmocka_unit_test(test_structure_errors),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_horizon_and_instance_limit),
		cmocka_unit_test(test_floating_default_zone),
		cmocka_unit_test(test_windows_zones),
		cmocka_unit_test(test_import_holidays),
		cmocka_unit_test(test_import_blackouts),
		cmocka_unit_test(test_explain_names_imported_holiday),
		cmocka_unit_test(test_timed_all_day),
		cmocka_unit_test(test_parameters_anywhere),
		cmocka_unit_test(test_numbers_in_range),
		cmocka_unit_test(test_field_cases_into_plan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

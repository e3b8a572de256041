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
		if (!strcmp(base, "holiday-feed-bom-lf") || !strcmp(base, "outlook-windows-tzid"))
			shared++;
	}
	closedir(dir);
	assert_int_equal(shared, 2);   /* the cases from the field are all there */
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* test_example.c - the shipped example through the library: import, schedule, check, read the feed back with libical. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libical/ical.h>

#include "coplan/coplan.h"
#include "plan_check.h"

#define EXAMPLE COPLAN_SOURCE_DIR "/examples/italy-japan-2024"

static coplan_plan *load_example(void)
{
	coplan_plan *plan = NULL;
	size_t n = 0;

	assert_int_equal(coplan_import_plan_json(&plan, EXAMPLE "/plan.json"), 0);
	assert_int_equal(coplan_import_activities_csv(plan, EXAMPLE "/activities.csv", NULL, &n), 0);
	assert_int_equal(n, 28);
	assert_int_equal(coplan_plan_validate(plan), 0);
	return plan;
}

static void test_example_schedules_clean(void **state)
{
	coplan_plan *plan = load_example();
	coplan_schedule_options opts = { 0 };
	coplan_plan_summary s;
	coplan_score score;
	char why[512];
	size_t ita = 0;

	(void)state;
	opts.seed = 1;
	opts.time_limit = 0.5;
	assert_int_equal(coplan_schedule(plan, &opts, &score), 0);
	assert_int_equal(score.hard, 0);
	assert_int_equal(plan_check(plan, why, sizeof(why)), 0);
	coplan_plan_summarize(plan, &s);
	assert_int_equal(s.activities, 28);
	assert_int_equal(s.scheduled, 28);
	for (size_t i = 0; i < s.by_host_count; i++)
		if (!strcmp(s.by_host[i].nation, "ITA"))
			ita = s.by_host[i].count;
	assert_int_equal(ita, 11);
	coplan_plan_free(plan);
}

static void test_example_feed_reads_back(void **state)
{
	coplan_plan *plan = load_example();
	coplan_schedule_options opts = { 0 };
	coplan_export_options eopts = { 0 };
	icalcomponent *cal, *ev;
	char *ics = NULL;
	size_t len, events = 0, sessions = 0;

	(void)state;
	opts.seed = 1;
	assert_int_equal(coplan_schedule(plan, &opts, NULL), 0);
	eopts.now = 1704844800; /* 2024-01-10T00:00:00Z */
	assert_int_equal(coplan_export(&ics, &len, plan, COPLAN_FORMAT_ICS, &eopts), 0);
	cal = icalparser_parse_string(ics);
	assert_non_null(cal);
	for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
	     ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		struct icaltimetype start = icalcomponent_get_dtstart(ev);
		struct icaltimetype end = icalcomponent_get_dtend(ev);
		const char *uid = icalcomponent_get_uid(ev);
		long ref;

		if (!strncmp(icalcomponent_get_summary(ev), "8th ITA-JPN staff talks: ", 25)) {
			/* a session of the talks: timed, in Rome's zone, which libical resolves */
			struct icaltimetype utc = icaltime_convert_to_zone(start, icaltimezone_get_utc_timezone());

			assert_false(start.is_date);
			assert_non_null(start.zone);
			if (strstr(icalcomponent_get_summary(ev), "Opening plenary")) {
				assert_int_equal(utc.day, 10);
				assert_int_equal(utc.hour, 8);   /* 09:30 in Rome is 08:30 UTC in January */
				assert_int_equal(utc.minute, 30);
			}
			sessions++;
			continue;
		}
		assert_true(start.is_date);
		assert_true(end.is_date);
		assert_true(icaltime_compare(end, start) > 0);
		assert_non_null(uid);
		/* the event's dates are the activity's, DTEND exclusive */
		ref = -1;
		for (size_t i = 0; i < plan->n_activities; i++)
			if (!strcmp(plan->activities[i].title, icalcomponent_get_summary(ev)))
				ref = (long)i;
		assert_true(ref >= 0);
		assert_int_equal(coplan_date_from_ymd(start.year, start.month, start.day),
		                 plan->activities[ref].start);
		assert_int_equal(coplan_date_from_ymd(end.year, end.month, end.day),
		                 plan->activities[ref].end + 1);
		events++;
	}
	assert_int_equal(events, 28);
	assert_int_equal(sessions, 3);
	icalcomponent_free(cal);
	free(ics);
	coplan_plan_free(plan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_schedules_clean),
		cmocka_unit_test(test_example_feed_reads_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* test_model.c - the plan model: building, validation, summary counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "coplan/coplan.h"

static coplan_activity *add(coplan_plan *plan, const char *ref, const char *host, int duration)
{
	coplan_activity *a;

	assert_int_equal(coplan_plan_add_activity(plan, &a), 0);
	a->ref = strdup(ref);
	a->title = strdup("Staff talks");
	memcpy(a->host, host, 4);
	a->duration = duration;
	return a;
}

static void test_nations(void **state)
{
	(void)state;
	assert_true(coplan_nation_valid("ITA"));
	assert_true(coplan_nation_valid("JPN"));
	assert_true(coplan_nation_valid("GBR"));
	assert_false(coplan_nation_valid("ITL"));
	assert_false(coplan_nation_valid("ita"));
	assert_false(coplan_nation_valid("IT"));
	assert_false(coplan_nation_valid(""));
	assert_false(coplan_nation_valid(NULL));
	assert_string_equal(coplan_nation_name("ITA"), "Italy");
	assert_string_equal(coplan_nation_name("JPN"), "Japan");
	assert_null(coplan_nation_name("XXX"));
}

static void test_validate(void **state)
{
	coplan_plan *plan;
	coplan_activity *a;

	(void)state;
	assert_int_equal(coplan_plan_new(&plan), 0);
	add(plan, "IT-01", "ITA", 2);
	a = add(plan, "JP-01", "JPN", 4);
	assert_int_equal(coplan_plan_validate(plan), 0);

	memcpy(a->host, "ITL", 4);
	assert_int_equal(coplan_plan_validate(plan), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "unknown host nation 'ITL'"));
	memcpy(a->host, "JPN", 4);

	a->duration = 0;
	assert_int_equal(coplan_plan_validate(plan), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "duration 0"));
	a->duration = 4;

	a->earliest = coplan_date_from_ymd(2024, 5, 1);
	a->latest = coplan_date_from_ymd(2024, 4, 1);
	assert_int_equal(coplan_plan_validate(plan), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "time window ends before it starts"));
	a->earliest = a->latest = COPLAN_DATE_NONE;

	free(a->ref);
	a->ref = strdup("IT-01");
	assert_int_equal(coplan_plan_validate(plan), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "'IT-01' is used twice"));
	free(a->ref);
	a->ref = strdup("JP-01");

	assert_int_equal(coplan_plan_add_precedence(plan, "IT-01", "JP-02", 0, -1), 0);
	assert_int_equal(coplan_plan_validate(plan), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "no activity 'JP-02'"));
	coplan_plan_free(plan);
}

/* Values other cells point at, and text no document format could carry, are refused. */
static void test_validate_values(void **state)
{
	coplan_plan *plan;
	coplan_activity *a;
	coplan_delegation *d;

	(void)state;
	assert_int_equal(coplan_plan_new(&plan), 0);
	a = add(plan, "A+1", "ITA", 2);
	assert_int_equal(coplan_plan_validate(plan), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "holds '+'"));
	free(a->ref);
	a->ref = strdup("第3期-01");            /* non-ASCII letters are fine */
	assert_int_equal(coplan_plan_validate(plan), 0);

	free(a->title);
	a->title = strdup("Seminar \xEF\xBF\xBE");  /* U+FFFE */
	assert_int_equal(coplan_plan_validate(plan), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "U+FFFE"));
	free(a->title);
	a->title = strdup("Seminar\x01");
	assert_int_equal(coplan_plan_validate(plan), COPLAN_EINVALID);
	free(a->title);
	a->title = strdup("Seminar \xC3");             /* cut UTF-8 */
	assert_int_equal(coplan_plan_validate(plan), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "not valid UTF-8"));
	free(a->title);
	a->title = strdup("Seminar\tline one\nline two");
	assert_int_equal(coplan_plan_validate(plan), 0);

	plan->window_from = coplan_date_from_ymd(2099, 6, 1);
	plan->window_to = coplan_date_from_ymd(2100, 3, 1);
	assert_int_equal(coplan_plan_validate(plan), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "1970-2099"));
	plan->window_from = coplan_date_from_ymd(2024, 1, 1);
	plan->window_to = coplan_date_from_ymd(2040, 1, 1);
	assert_int_equal(coplan_plan_validate(plan), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "longer than"));
	plan->window_to = coplan_date_from_ymd(2024, 12, 31);

	plan->has_talks = 1;
	assert_int_equal(coplan_talks_add_delegation(&plan->talks, "ITA", &d), 0);
	assert_int_equal(coplan_talks_add_delegation(&plan->talks, "ITA", &d), 0);
	assert_int_equal(coplan_plan_validate(plan), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "two delegations of ITA"));
	coplan_plan_free(plan);
}

static void test_precedence_cycle(void **state)
{
	coplan_plan *plan;

	(void)state;
	assert_int_equal(coplan_plan_new(&plan), 0);
	add(plan, "A", "ITA", 1);
	add(plan, "B", "ITA", 1);
	add(plan, "C", "ITA", 1);
	assert_int_equal(coplan_plan_add_precedence(plan, "A", "B", 0, -1), 0);
	assert_int_equal(coplan_plan_add_precedence(plan, "B", "C", 3, 10), 0);
	assert_int_equal(coplan_plan_validate(plan), 0);
	assert_int_equal(coplan_plan_add_precedence(plan, "C", "A", 0, -1), 0);
	assert_int_equal(coplan_plan_validate(plan), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "cycle"));
	coplan_plan_free(plan);
}

static void test_summary(void **state)
{
	coplan_plan *plan;
	coplan_plan_summary s;
	char *text;

	(void)state;
	assert_int_equal(coplan_plan_new(&plan), 0);
	plan->title = strdup("Cooperation Plan 2024");
	plan->year = 2024;
	coplan_plan_add_nation(plan, "ITA");
	coplan_plan_add_nation(plan, "JPN");
	plan->has_talks = 1;
	plan->talks.edition = 8;
	plan->talks.start = coplan_date_from_ymd(2024, 1, 10);
	plan->talks.end = coplan_date_from_ymd(2024, 1, 11);
	add(plan, "JP-01", "JPN", 2)->start = coplan_date_from_ymd(2024, 3, 4);
	add(plan, "IT-01", "ITA", 2);
	add(plan, "JP-02", "JPN", 2)->start = coplan_date_from_ymd(2024, 3, 8);
	coplan_plan_summarize(plan, &s);
	assert_int_equal(s.activities, 3);
	assert_int_equal(s.scheduled, 2);
	assert_int_equal(s.unplaced, 1);
	assert_int_equal(s.by_host_count, 2);
	assert_string_equal(s.by_host[0].nation, "ITA");
	assert_int_equal(s.by_host[0].count, 1);
	assert_int_equal(s.by_host[1].count, 2);

	plan->activities[1].unplaced_reason = strdup("no working day in its window");
	assert_int_equal(coplan_report_summary(&text, NULL, plan), 0);
	assert_string_equal(text,
	        "Cooperation Plan 2024 (ITA\xE2\x80\x93JPN), agreed at the 8th staff talks, 10\xE2\x80\x93" "11 Jan 2024\n"
	        "3 activities: 1 in Italy, 2 in Japan \xE2\x80\x94 2 scheduled, 1 unplaced\n"
	        "  unplaced IT-01 Staff talks: no working day in its window\n");
	free(text);
	/* a cancelled activity is neither scheduled nor unplaced: it is counted apart */
	plan->activities[0].status = COPLAN_STATUS_CANCELLED;
	assert_int_equal(coplan_report_summary(&text, NULL, plan), 0);
	assert_non_null(strstr(text, "\xE2\x80\x94 1 scheduled, 1 unplaced, 1 cancelled\n"));
	free(text);
	coplan_plan_free(plan);
}

static void test_date_range(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(coplan_report_date_range(buf, sizeof(buf), coplan_date_from_ymd(2024, 1, 30),
	                                             coplan_date_from_ymd(2024, 2, 2)),
	                    "30 Jan\xE2\x80\x93" "2 Feb 2024");
	assert_string_equal(coplan_report_date_range(buf, sizeof(buf), coplan_date_from_ymd(2024, 12, 30),
	                                             coplan_date_from_ymd(2025, 1, 3)),
	                    "30 Dec 2024\xE2\x80\x93" "3 Jan 2025");
	assert_string_equal(coplan_report_date_range(buf, sizeof(buf), coplan_date_from_ymd(2024, 1, 10),
	                                             coplan_date_from_ymd(2024, 1, 10)),
	                    "10 Jan 2024");
}

static void test_execution_report(void **state)
{
	coplan_plan *plan, *signed_plan;
	coplan_execution_row *rows;
	coplan_activity *a;
	size_t n;
	char *text;

	(void)state;
	assert_int_equal(coplan_plan_new(&plan), 0);
	plan->title = strdup("Cooperation Plan 2024");
	coplan_plan_add_nation(plan, "ITA");
	coplan_plan_add_nation(plan, "JPN");
	a = add(plan, "IT-01", "ITA", 2);
	a->area = strdup("training");
	a->start = coplan_date_from_ymd(2024, 3, 4);
	a->status = COPLAN_STATUS_EXECUTED;
	a = add(plan, "JP-01", "JPN", 4);
	a->area = strdup("service to service");
	a->start = coplan_date_from_ymd(2024, 9, 2);   /* postponed from August */
	a->status = COPLAN_STATUS_POSTPONED;
	a = add(plan, "JP-02", "JPN", 2);
	a->area = strdup("training");
	a->start = coplan_date_from_ymd(2024, 11, 4);
	a->status = COPLAN_STATUS_CANCELLED;

	/* the signed version had JP-01 in August: its quarter counts, not the new date's */
	assert_int_equal(coplan_plan_new(&signed_plan), 0);
	a = add(signed_plan, "JP-01", "JPN", 4);
	a->start = coplan_date_from_ymd(2024, 8, 20);

	assert_int_equal(coplan_report_execution_rows(&rows, &n, plan, signed_plan), 0);
	/* all; ITA, JPN; two areas; three quarters */
	assert_int_equal(n, 8);
	assert_string_equal(rows[0].key, "all");
	assert_int_equal(rows[0].total, 3);
	assert_int_equal(rows[0].by_status[COPLAN_STATUS_EXECUTED], 1);
	assert_int_equal(rows[0].by_status[COPLAN_STATUS_POSTPONED], 1);
	assert_int_equal(rows[0].by_status[COPLAN_STATUS_CANCELLED], 1);
	assert_string_equal(rows[2].key, "JPN");
	assert_int_equal(rows[2].by_status[COPLAN_STATUS_POSTPONED], 1);
	assert_int_equal(rows[2].by_status[COPLAN_STATUS_CANCELLED], 1);
	assert_string_equal(rows[3].key, "service to service");
	assert_string_equal(rows[4].key, "training");
	assert_int_equal(rows[4].total, 2);
	assert_string_equal(rows[5].key, "2024-Q1");
	assert_string_equal(rows[6].key, "2024-Q3");
	assert_int_equal(rows[6].by_status[COPLAN_STATUS_POSTPONED], 1);
	assert_string_equal(rows[7].key, "2024-Q4");
	free(rows);
	assert_int_equal(coplan_report_execution(&text, NULL, plan, signed_plan), 0);
	assert_non_null(strstr(text, "by host nation:\n"));
	assert_non_null(strstr(text, "  Japan "));
	assert_non_null(strstr(text, "by quarter of the planned start:\n"));
	free(text);
	coplan_plan_free(plan);
	coplan_plan_free(signed_plan);
}

/* A copy is the same plan (the same canonical JSON, activities in the same order), owning its own memory. */
static void test_plan_copy(void **state)
{
	coplan_plan *plan = NULL, *copy = NULL;
	char *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0;

	(void)state;
	assert_int_equal(coplan_import_plan_json(&plan, COPLAN_SOURCE_DIR "/examples/italy-japan-2024/plan.json"), 0);
	/* what the example lacks: holidays, weekends, a blackout without a reason, a placed activity */
	assert_int_equal(coplan_plan_add_holiday(plan, "JPN", coplan_date_from_ymd(2024, 5, 2), "Closure"), 0);
	assert_int_equal(coplan_plan_add_blackout(plan, "ITA", coplan_date_from_ymd(2024, 8, 5),
	                                          coplan_date_from_ymd(2024, 8, 20), 0, NULL), 0);
	plan->weekends = calloc(1, sizeof(*plan->weekends));
	assert_non_null(plan->weekends);
	memcpy(plan->weekends[0].nation, "ISR", 4);
	plan->weekends[0].days = COPLAN_WEEKDAY_BIT(5) | COPLAN_WEEKDAY_BIT(6);
	plan->n_weekends = 1;
	/* the example's plan.json holds the talks; its activities come from the CSV */
	for (int i = 0; i < 5; i++) {
		char ref[8];
		coplan_activity *x;

		snprintf(ref, sizeof(ref), "IT-%02d", i + 1);
		x = add(plan, ref, i % 2 ? "JPN" : "ITA", 3 + i);
		assert_int_equal(coplan_activity_add_participant(x, "ITA"), 0);
		assert_int_equal(coplan_activity_add_participant(x, "JPN"), 0);
		assert_int_equal(coplan_activity_add_unit(x, "Unit A"), 0);
		x->notes = i == 2 ? strdup("北海道") : NULL;
	}
	assert_int_equal(coplan_plan_add_precedence_kind(plan, "IT-01", "IT-02", 5, 30, COPLAN_PRECEDENCE_AFTER), 0);
	plan->activities[3].start = coplan_date_from_ymd(2024, 3, 4);
	plan->activities[3].end = coplan_date_from_ymd(2024, 3, 8);
	plan->activities[3].unplaced_reason = strdup("kept for the test");
	plan->activities[3].sequence = 7;
	/* labels are content: the copy carries them (a copy without them reads as another plan) */
	free(plan->label);
	plan->label = strdup("UNCLASSIFIED REL TO ITA, JPN");
	plan->activities[1].label = strdup("RESTRICTED REL TO ITA");
	assert_true(plan->n_blackouts > 0);
	plan->blackouts[0].label = strdup("UNCLASSIFIED REL TO JPN");
	assert_true(plan->talks.n_delegations > 0 && plan->talks.n_sessions > 0);

	assert_int_equal(coplan_plan_copy(&copy, plan), 0);
	assert_int_equal(coplan_plan_canonical_json(&a, &alen, plan), 0);
	assert_int_equal(coplan_plan_canonical_json(&b, &blen, copy), 0);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	assert_int_equal(copy->n_activities, plan->n_activities);
	for (size_t i = 0; i < plan->n_activities; i++) {
		assert_string_equal(copy->activities[i].ref, plan->activities[i].ref);
		assert_ptr_not_equal(copy->activities[i].ref, plan->activities[i].ref);
	}
	assert_int_equal(copy->activities[3].sequence, 7);
	assert_string_equal(copy->label, plan->label);
	assert_string_equal(copy->activities[1].label, "RESTRICTED REL TO ITA");
	assert_string_equal(copy->blackouts[0].label, "UNCLASSIFIED REL TO JPN");
	assert_string_equal(copy->activities[3].unplaced_reason, "kept for the test");
	assert_int_equal(copy->n_weekends, 1);
	assert_int_equal(copy->weekends[0].days, plan->weekends[0].days);
	assert_int_equal(copy->n_blackouts, plan->n_blackouts);
	assert_int_equal(copy->n_holidays, plan->n_holidays);
	assert_int_equal(copy->n_precedences, plan->n_precedences);
	/* its own memory: changing the copy leaves the plan as it was */
	copy->activities[0].title[0] = '#';
	copy->talks.delegations[0].head_name[0] = '#';
	assert_int_not_equal(plan->activities[0].title[0], '#');
	assert_int_not_equal(plan->talks.delegations[0].head_name[0], '#');
	free(a);
	free(b);
	coplan_plan_free(copy);
	coplan_plan_free(plan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nations),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_validate_values),
		cmocka_unit_test(test_precedence_cycle),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_date_range),
		cmocka_unit_test(test_execution_report),
		cmocka_unit_test(test_plan_copy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

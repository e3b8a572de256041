/* SPDX-License-Identifier: Apache-2.0 */
/* test_import_csv.c - activity proposals from CSV in English, Italian and Japanese; bad input changes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "coplan/export.h"

#include "coplan/coplan.h"
#include "coplan/import.h"

#define DATA COPLAN_TEST_DATA "/import/"

static coplan_plan *import_ok(const char *file, const char *locale, coplan_import_report *rep)
{
	coplan_csv_options opts = { 0 };
	coplan_plan *plan = NULL;
	size_t n = 99;

	opts.locale = locale;
	assert_int_equal(coplan_plan_new(&plan), 0);
	if (coplan_import_activities_csv_report(plan, file, &opts, rep) != 0)
		fail_msg("%s: %s", file, coplan_error_last());
	coplan_plan_free(plan);
	assert_int_equal(coplan_plan_new(&plan), 0);
	assert_int_equal(coplan_import_activities_csv(plan, file, &opts, &n), 0);
	assert_int_equal(n, rep->rows_imported);
	assert_int_equal(coplan_plan_validate(plan), 0);
	return plan;
}

static void assert_strv_equal(char **a, size_t na, char **b, size_t nb)
{
	size_t i;

	assert_int_equal(na, nb);
	for (i = 0; i < na; i++)
		assert_string_equal(a[i], b[i]);
}

static void assert_same_plan(const coplan_plan *a, const coplan_plan *b)
{
	size_t i;

	assert_int_equal(a->n_activities, b->n_activities);
	for (i = 0; i < a->n_activities; i++) {
		const coplan_activity *x = &a->activities[i], *y = &b->activities[i];

		assert_string_equal(x->ref, y->ref);
		assert_string_equal(x->title, y->title);
		assert_string_equal(x->area, y->area);
		assert_string_equal(x->kind, y->kind);
		assert_string_equal(x->host, y->host);
		assert_strv_equal(x->participants, x->n_participants, y->participants, y->n_participants);
		assert_strv_equal(x->units, x->n_units, y->units, y->n_units);
		assert_int_equal(x->duration, y->duration);
		assert_int_equal(x->day_mode, y->day_mode);
		assert_int_equal(x->earliest, y->earliest);
		assert_int_equal(x->latest, y->latest);
		assert_int_equal(x->requested_from, y->requested_from);
		assert_int_equal(x->requested_to, y->requested_to);
		assert_true((x->location == NULL) == (y->location == NULL));
		if (x->location)
			assert_string_equal(x->location, y->location);
	}
	assert_int_equal(a->n_precedences, b->n_precedences);
	for (i = 0; i < a->n_precedences; i++) {
		assert_string_equal(a->precedences[i].before, b->precedences[i].before);
		assert_string_equal(a->precedences[i].after, b->precedences[i].after);
		assert_int_equal(a->precedences[i].min_gap, b->precedences[i].min_gap);
		assert_int_equal(a->precedences[i].max_gap, b->precedences[i].max_gap);
	}
}

static coplan_date ymd(int y, int m, int d)
{
	return coplan_date_from_ymd(y, m, d);
}

static void test_three_languages(void **state)
{
	coplan_import_report ren, rit, rja;
	coplan_plan *en = import_ok(DATA "activities-en.csv", NULL, &ren);
	coplan_plan *it = import_ok(DATA "activities-it.csv", "it", &rit);
	coplan_plan *ja = import_ok(DATA "activities-ja.csv", "ja", &rja);
	const coplan_activity *a;

	(void)state;
	/* what was decided, as the command prints it */
	assert_string_equal(ren.encoding, "UTF-8");
	assert_int_equal(ren.delimiter, ',');
	assert_string_equal(ren.locale, "en-GB");
	assert_string_equal(rit.encoding, "UTF-8 (BOM)");
	assert_int_equal(rit.delimiter, ';');
	assert_string_equal(rit.locale, "it");
	assert_string_equal(rja.encoding, "CP932");
	assert_int_equal(rja.delimiter, ',');
	assert_int_equal(ren.rows_read, 3);
	assert_int_equal(ren.rows_imported, 3);
	assert_int_equal(ren.precedences_imported, 3);
	assert_int_equal(rit.rows_read, 3);   /* the row of empty cells is not a row */
	assert_int_equal(rja.rows_imported, 3);

	/* the English file, field by field */
	assert_int_equal(en->n_activities, 3);
	a = &en->activities[0];
	assert_string_equal(a->ref, "IT-01");
	assert_string_equal(a->host, "ITA");
	assert_int_equal(a->n_participants, 2);
	assert_string_equal(a->participants[1], "JPN");
	assert_string_equal(a->units[0], "髙田基地");
	assert_int_equal(a->duration, 2);
	assert_int_equal(a->day_mode, COPLAN_DAYS_WORKING);
	assert_int_equal(a->earliest, ymd(2024, 2, 1));
	assert_int_equal(a->latest, ymd(2024, 3, 31));
	assert_int_equal(a->requested_from, ymd(2024, 3, 1));
	assert_int_equal(a->requested_to, ymd(2024, 3, 31));
	assert_string_equal(a->notes, "POC: Col. Rossi");
	a = &en->activities[1];
	assert_int_equal(a->day_mode, COPLAN_DAYS_CALENDAR);
	assert_int_equal(a->n_units, 2);
	assert_string_equal(a->units[1], "JMSDF Yokosuka");
	assert_int_equal(a->requested_from, ymd(2024, 7, 1));
	assert_int_equal(a->requested_to, ymd(2024, 7, 15));
	assert_null(a->notes);
	a = &en->activities[2];
	assert_int_equal(a->n_participants, 3);
	assert_int_equal(a->earliest, COPLAN_DATE_NONE);
	assert_null(a->units);
	assert_string_equal(a->notes, "two lines\r\nof notes");
	assert_string_equal(en->precedences[0].before, "IT-01");
	assert_string_equal(en->precedences[0].after, "JP-01");
	assert_int_equal(en->precedences[0].min_gap, 30);
	assert_int_equal(en->precedences[0].max_gap, -1);

	assert_same_plan(en, it);
	assert_same_plan(en, ja);
	/* unknown columns go to notes under their own header */
	assert_string_equal(it->activities[0].notes, "Referente: Col. Rossi");
	assert_string_equal(ja->activities[0].notes, "担当: Col. Rossi");
	coplan_plan_free(en);
	coplan_plan_free(it);
	coplan_plan_free(ja);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

#define HEAD "ref,title,host,duration,earliest,after,requested\n"

static const struct {
	const char *name;
	const char *csv;
	const char *prefix;        /* the message begins: file name, then this */
} bad[] = {
	{ "host", HEAD "IT-09,Visit,ITL,2,,,\n", ":2:3: unknown host nation 'ITL' (expected ISO 3166-1 alpha-3, e.g. ITA)" },
	{ "duration", HEAD "IT-09,Visit,ITA,two,,,\n", ":2:4: duration: 'two' is not a whole number of days (expected 1 to 366)" },
	{ "duration-zero", HEAD "IT-09,Visit,ITA,0,,,\n", ":2:4: duration: '0' is less than 1 day (expected 1 to 366)" },
	{ "duration-too-long", HEAD "IT-09,Visit,ITA,400,,,\n", ":2:4: duration: '400' is more than 366 days (expected 1 to 366: an activity lasts a year at most)" },
	{ "duration-huge", HEAD "IT-09,Visit,ITA,99999999999,,,\n", ":2:4: duration: '99999999999' is more than 366 days" },
	{ "duration-fraction", HEAD "IT-09,Visit,ITA,2.5,,,\n", ":2:4: duration: '2.5' is not a whole number of days" },
	{ "date", HEAD "IT-09,Visit,ITA,2,31/02/2024,,\n", ":2:5: earliest: no such date '31/02/2024'" },
	{ "missing-column", "ref,title,host\nIT-09,Visit,ITA\n", ":1: missing required column 'duration' (expected a header named one of: duration, days, durata, giorni, 期間, 日数)" },
	{ "duplicate-ref", HEAD "IT-09,Visit,ITA,2,,,\nIT-09,Other,JPN,1,,,\n", ":3:1: duplicate ref 'IT-09' (expected a ref not used before; line 2 has it)" },
	{ "ref-in-plan", HEAD "IT-00,Visit,ITA,2,,,\n", ":2:1: ref 'IT-00' is already in the plan" },
	{ "predecessor", HEAD "IT-09,Visit,ITA,2,,X-99+3,\n", ":2:6: after: unknown predecessor 'X-99'" },
	{ "plan-predecessor-ok-then-bad", HEAD "IT-09,Visit,ITA,2,,IT-00,\nIT-10,Visit,ITA,2,,IT-09;IT-11,\n", ":3:6: after: unknown predecessor 'IT-11'" },
	{ "cycle", HEAD "A,x,ITA,1,,B,\nB,y,ITA,1,,A,\n", ":2:6: after: 'A' after 'B' closes a cycle" },
	{ "self", HEAD "A,x,ITA,1,,A,\n", ":2:6: after: activity 'A' follows itself" },
	{ "gap", HEAD "A,x,ITA,1,,,\nB,y,ITA,1,,A+x,\n", ":3:6: after: 'A+x' has no gap after '+'" },
	{ "second-row-bad", HEAD "IT-09,Visit,ITA,2,2024-01-10,,\nIT-10,Visit,ITA,2,2024-13-01,,\n", ":3:5: earliest: no such date '2024-13-01'" },
	{ "requested-outside", HEAD "IT-09,Visit,ITA,2,2024-06-01,,2024-05\n", ":2:7: requested period 2024-05-01..2024-05-31 is outside the window" },
	{ "requested-bad", HEAD "IT-09,Visit,ITA,2,,,2024-05-40\n", ":2:7: requested period: no such date '2024-05-40'" },
	{ "empty-title", HEAD "IT-09,,ITA,2,,,\n", ":2:2: empty title" },
	{ "extra-cell", HEAD "IT-09,Visit,ITA,2,,,,oops\n", ":2:8: value in a column with no header" },
	{ "participant", "ref,title,host,duration,participants\nIT-09,Visit,ITA,2,JPN;XXX\n", ":2:5: participants: unknown nation 'XXX'" },
	{ "mode", "ref,title,host,duration,mode\nIT-09,Visit,ITA,2,weekly\n", ":2:5: mode: unknown day mode 'weekly'" },
	{ "repeated-column", "ref,title,host,duration,id\n", ":1:5: column 'id' repeats column 1, 'ref'" },
	{ "quote", HEAD "IT-09,\"Visit,ITA,2,,,\n", ":2:7: quoted field not closed" },
	{ "window", "ref,title,host,duration,mode,earliest,latest\nA,x,ITA,10,calendar,2024-01-01,2024-01-05\n", ":2:7: window 2024-01-01..2024-01-05 of 5 days is shorter than the duration of 10 days" },
	{ "empty-file", "\n\n", ": no header row" },
	{ "ambiguous", HEAD "IT-09,Visit,ITA,2,03/04/2024,,\nIT-10,Visit,ITA,2,2024-05-01,,05/06/2024\n", ":2:5: '03/04/2024' reads as day/month or month/day and no date in the file decides (2 such dates; expected a locale: en-GB or it for day first, en-US for month first)" },
	{ "both-orders", HEAD "IT-09,Visit,ITA,2,25/03/2024,,\nIT-10,Visit,ITA,2,03/25/2024,,\n", ":3:5: '03/25/2024' can only be month first, but '25/03/2024' on line 2 only day first" },
};

static void test_bad_inputs(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char path[512], want[600];
		coplan_plan *plan = NULL;
		coplan_activity *a;
		coplan_import_report rep;
		size_t n = 99;
		int rc;

		snprintf(path, sizeof(path), "%s/bad-%s.csv", COPLAN_TEST_TMP, bad[i].name);
		write_file(path, bad[i].csv);
		/* a plan with one activity and one precedence: both must stay exactly as they are */
		assert_int_equal(coplan_plan_new(&plan), 0);
		assert_int_equal(coplan_plan_add_activity(plan, &a), 0);
		a->ref = strdup("IT-00");
		a->title = strdup("Existing");
		memcpy(a->host, "ITA", 4);
		a->duration = 1;
		assert_int_equal(coplan_plan_add_activity(plan, &a), 0);
		a->ref = strdup("IT-000");
		a->title = strdup("Existing too");
		memcpy(a->host, "ITA", 4);
		a->duration = 1;
		assert_int_equal(coplan_plan_add_precedence(plan, "IT-00", "IT-000", 0, -1), 0);

		rc = coplan_import_activities_csv(plan, path, NULL, &n);
		snprintf(want, sizeof(want), "%s%s", path, bad[i].prefix);
		if (rc != COPLAN_EINVALID || strncmp(coplan_error_last(), want, strlen(want)) != 0)
			fail_msg("%s: got %d '%s', expected '%s...'", bad[i].name, rc, coplan_error_last(), want);
		assert_int_equal(n, 0);
		assert_int_equal(plan->n_activities, 2);
		assert_int_equal(plan->n_precedences, 1);
		assert_string_equal(plan->activities[1].ref, "IT-000");
		coplan_plan_free(plan);

		/* the report keeps what was decided even when the import fails */
		assert_int_equal(coplan_plan_new(&plan), 0);
		if (coplan_import_activities_csv_report(plan, path, NULL, &rep) != 0) {
			assert_int_equal(rep.rows_imported, 0);
			assert_int_equal(plan->n_activities, 0);
			if (strcmp(bad[i].name, "quote"))
				assert_string_equal(rep.encoding, "UTF-8");
		}
		coplan_plan_free(plan);
	}
}


/* "REF?" in after: a precedence of kind AFTER (only orders the two when both are placed); CSV writes it back */
static void test_after_kinds(void **state)
{
	char path[512], *csv = NULL;
	coplan_import_report rep;
	coplan_plan *plan;
	size_t len = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/after-kinds.csv", COPLAN_TEST_TMP);
	write_file(path, "ref,title,host,duration,after\n"
	                 "A,First,ITA,1,\n"
	                 "B,Second,ITA,1,A+3?\n"
	                 "C,Third,ITA,1,A; B ?\n");
	plan = import_ok(path, NULL, &rep);
	assert_int_equal(plan->n_precedences, 3);
	assert_string_equal(plan->precedences[0].before, "A");
	assert_int_equal(plan->precedences[0].min_gap, 3);
	assert_int_equal(plan->precedences[0].kind, COPLAN_PRECEDENCE_AFTER);
	assert_int_equal(plan->precedences[1].kind, COPLAN_PRECEDENCE_REQUIRES);
	assert_string_equal(plan->precedences[2].before, "B");
	assert_int_equal(plan->precedences[2].kind, COPLAN_PRECEDENCE_AFTER);
	assert_int_equal(coplan_export(&csv, &len, plan, COPLAN_FORMAT_CSV, NULL), 0);
	assert_non_null(strstr(csv, "A+3?"));
	assert_non_null(strstr(csv, "A; B?"));
	free(csv);
	coplan_plan_free(plan);
}

static void test_usage(void **state)
{
	coplan_csv_options opts = { 0 };
	coplan_plan *plan = NULL;
	size_t n = 5;

	(void)state;
	assert_int_equal(coplan_plan_new(&plan), 0);
	opts.locale = "klingon";
	assert_int_equal(coplan_import_activities_csv(plan, DATA "activities-en.csv", &opts, &n),
	                 COPLAN_EUSAGE);
	assert_int_equal(n, 0);
	assert_int_equal(coplan_import_activities_csv(plan, DATA "no-such.csv", NULL, &n), COPLAN_EIO);
	/* importing the same file twice: the second time every ref is already in the plan */
	assert_int_equal(coplan_import_activities_csv(plan, DATA "activities-en.csv", NULL, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(coplan_import_activities_csv(plan, DATA "activities-en.csv", NULL, &n),
	                 COPLAN_EINVALID);
	assert_int_equal(plan->n_activities, 3);
	assert_int_equal(plan->n_precedences, 3);
	coplan_plan_free(plan);
}

/* Import the CSV text with a locale (NULL: none given); 0 or the error. */
static int import_text(coplan_plan **plan, const char *name, const char *text, const char *locale,
                       coplan_import_report *rep)
{
	char path[512];
	coplan_csv_options opts = { 0 };

	snprintf(path, sizeof(path), "%s/%s", COPLAN_TEST_TMP, name);
	write_file(path, text);
	opts.locale = locale;
	assert_int_equal(coplan_plan_new(plan), 0);
	return coplan_import_activities_csv_report(*plan, path, &opts, rep);
}

/*
 * The shared case whose dates all read both ways: refused without a locale,
 * naming the first cell; read by the locale's order with one (the case's
 * dates_day_first and dates_month_first say what each gives).
 */
static void test_ambiguous_dates_case(void **state)
{
	static const struct {
		const char *locale, *map;
	} readings[] = { { "en-GB", "dates_day_first" }, { "it", "dates_day_first" },
	                 { "en-US", "dates_month_first" } };
	const char *csv = COPLAN_TEST_DATA "/csv/only-ambiguous-dates.csv";
	json_t *doc = json_load_file(COPLAN_TEST_DATA "/csv/only-ambiguous-dates.expected.json", 0,
	                             NULL);
	json_t *rows = json_object_get(doc, "records");
	coplan_csv_options opts = { 0 };
	coplan_import_report rep;
	coplan_plan *plan;
	size_t i, k;

	(void)state;
	assert_non_null(doc);
	assert_int_equal(coplan_plan_new(&plan), 0);
	assert_int_equal(coplan_import_activities_csv_report(plan, csv, NULL, &rep), COPLAN_EINVALID);
	if (!strstr(coplan_error_last(), "only-ambiguous-dates.csv:2:10: '03/04/2024' reads as "
	            "day/month or month/day") || !strstr(coplan_error_last(), "en-US"))
		fail_msg("%s", coplan_error_last());
	assert_int_equal(plan->n_activities, 0);
	assert_int_equal(rep.rows_imported, 0);
	coplan_plan_free(plan);
	for (k = 0; k < sizeof(readings) / sizeof(readings[0]); k++) {
		json_t *map = json_object_get(doc, readings[k].map);

		opts.locale = readings[k].locale;
		assert_int_equal(coplan_plan_new(&plan), 0);
		if (coplan_import_activities_csv_report(plan, csv, &opts, &rep))
			fail_msg("%s: %s", readings[k].locale, coplan_error_last());
		assert_int_equal(rep.n_warnings, 0); /* the locale decided: nothing to say */
		assert_int_equal(plan->n_activities, json_array_size(rows) - 1);
		for (i = 0; i < plan->n_activities; i++) {
			json_t *row = json_array_get(rows, i + 1);
			char d[COPLAN_DATE_ISO_LEN];
			const char *e = json_string_value(json_array_get(row, 9));
			const char *l = json_string_value(json_array_get(row, 10));

			assert_string_equal(coplan_date_format_iso(plan->activities[i].earliest, d),
			                    json_string_value(json_object_get(map, e)));
			assert_string_equal(coplan_date_format_iso(plan->activities[i].latest, d),
			                    json_string_value(json_object_get(map, l)));
		}
		coplan_plan_free(plan);
	}
	json_decref(doc);
}

/* A date that reads one way only decides the file's order, and the import says so. */
static void test_date_order_decided(void **state)
{
	coplan_import_report rep;
	coplan_plan *plan;
	char d[COPLAN_DATE_ISO_LEN];

	(void)state;
	/* day first, decided by 25/03 on line 3 */
	assert_int_equal(import_text(&plan, "order-d.csv", HEAD "A,x,ITA,2,03/04/2024,,\n"
	                             "B,y,ITA,2,25/03/2024,,\n", NULL, &rep), 0);
	assert_string_equal(coplan_date_format_iso(plan->activities[0].earliest, d), "2024-04-03");
	assert_int_equal(rep.n_warnings, 1);
	assert_string_equal(rep.warnings[0], "dates read day first (locale en-GB): '25/03/2024' at "
	                    "3:5 can only be day/month, so 1 date that reads both ways is too");
	assert_string_equal(rep.locale, "en-GB");
	coplan_plan_free(plan);
	/* month first, decided by 12/31 in a requested range */
	assert_int_equal(import_text(&plan, "order-m.csv", HEAD "A,x,ITA,2,03/04/2024,,"
	                             "12/01/2024..12/31/2024\n", NULL, &rep), 0);
	assert_string_equal(coplan_date_format_iso(plan->activities[0].earliest, d), "2024-03-04");
	assert_string_equal(coplan_date_format_iso(plan->activities[0].requested_to, d), "2024-12-31");
	assert_int_equal(rep.n_warnings, 1);
	assert_non_null(strstr(rep.warnings[0], "dates read month first (locale en-US): "
	                       "'12/31/2024' at 2:7"));
	assert_string_equal(rep.locale, "en-US");
	coplan_plan_free(plan);
	/* a day and month that are the same number, and ISO dates: nothing to decide, nothing said */
	assert_int_equal(import_text(&plan, "order-none.csv", HEAD "A,x,ITA,2,01/01/2024,,2024-02\n",
	                             NULL, &rep), 0);
	assert_int_equal(rep.n_warnings, 0);
	coplan_plan_free(plan);
	/* a given locale decides even against the file: 25/03 is no date month first */
	assert_int_equal(import_text(&plan, "order-given.csv", HEAD "A,x,ITA,2,25/03/2024,,\n",
	                             "en-US", &rep), COPLAN_EINVALID);
	assert_int_equal(plan->n_activities, 0);
	coplan_plan_free(plan);
}

/* The reader's warnings reach the import's report; the shared case imports. */
static void test_trailing_columns_reported(void **state)
{
	coplan_import_report rep;
	coplan_plan *plan;

	(void)state;
	assert_int_equal(coplan_plan_new(&plan), 0);
	if (coplan_import_activities_csv_report(plan, COPLAN_TEST_DATA
	                                        "/csv/trailing-empty-columns.csv", NULL, &rep))
		fail_msg("%s", coplan_error_last());
	assert_int_equal(rep.rows_imported, 2);
	assert_int_equal(rep.n_warnings, 1);
	assert_string_equal(rep.warnings[0], "3 empty trailing columns (J to L) dropped");
	assert_null(plan->activities[0].notes);
	coplan_plan_free(plan);
	/* a trailing column with a value is kept, with the empty one before it: nothing said */
	if (import_text(&plan, "trail-value.csv", "ref,title,host,duration,,\n"
	                "A,x,ITA,2,,\nB,y,ITA,2,,oops\n", NULL, &rep))
		fail_msg("%s", coplan_error_last());
	assert_int_equal(rep.n_warnings, 0);
	if (!plan->activities[1].notes || !strstr(plan->activities[1].notes, "oops"))
		fail_msg("the value was lost: notes '%s'", plan->activities[1].notes ?
		         plan->activities[1].notes : "(none)");
	coplan_plan_free(plan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_three_languages),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_ambiguous_dates_case),
		cmocka_unit_test(test_date_order_decided),
		cmocka_unit_test(test_trailing_columns_reported),
		cmocka_unit_test(test_after_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

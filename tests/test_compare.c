/* SPDX-License-Identifier: Apache-2.0 */
/* test_compare.c - comparing two versions of a plan lists exactly the changes made. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "coplan/coplan.h"

static void add(coplan_plan *plan, const char *ref, const char *title, int month)
{
	coplan_activity *a;

	assert_int_equal(coplan_plan_add_activity(plan, &a), 0);
	a->ref = strdup(ref);
	a->title = strdup(title);
	memcpy(a->host, "JPN", 4);
	a->duration = 2;
	coplan_activity_add_participant(a, "ITA");
	a->start = coplan_date_from_ymd(2024, month, 10);
	a->end = a->start + 1;
	a->location = strdup("Tokyo");
}

static coplan_plan *base(void)
{
	coplan_plan *plan;

	assert_int_equal(coplan_plan_new(&plan), 0);
	add(plan, "A", "Staff talks", 3);
	add(plan, "B", "Seminar", 4);
	add(plan, "C", "Visit", 5);
	add(plan, "D", "Course", 6);
	return plan;
}

static void test_identical(void **state)
{
	coplan_plan *a = base(), *b = base();
	coplan_change *changes;
	size_t n;
	char *text;

	(void)state;
	assert_int_equal(coplan_plan_compare(&changes, &n, a, b), 0);
	assert_int_equal(n, 0);
	assert_int_equal(coplan_changes_format(&text, NULL, changes, n, 0), 0);
	assert_string_equal(text, "0 changes: 0 added, 0 removed, 0 moved, 0 changed\n");
	free(text);
	coplan_changes_free(changes, n);
	coplan_plan_free(a);
	coplan_plan_free(b);
}

static void test_exact_changes(void **state)
{
	coplan_plan *a = base(), *b = base();
	coplan_change *c;
	size_t n;
	char *text;

	(void)state;
	/* remove B: rebuild b without it */
	coplan_activity_clear(&b->activities[1]);
	memmove(&b->activities[1], &b->activities[2], 2 * sizeof(coplan_activity));
	b->n_activities--;
	add(b, "E", "Port call", 8);                       /* added */
	b->activities[1].start += 7;                        /* C moved */
	b->activities[1].end += 7;
	b->activities[2].duration = 3;                      /* D: two fields */
	free(b->activities[2].location);
	b->activities[2].location = strdup("Ichigaya <HQ>");

	assert_int_equal(coplan_plan_compare(&c, &n, a, b), 0);
	assert_int_equal(n, 5);
	assert_int_equal(c[0].kind, COPLAN_CHANGE_REMOVED);
	assert_string_equal(c[0].ref, "B");
	assert_int_equal(c[1].kind, COPLAN_CHANGE_MOVED);
	assert_string_equal(c[1].ref, "C");
	assert_string_equal(c[1].before, "10\xE2\x80\x93" "11 May 2024");
	assert_string_equal(c[1].after, "17\xE2\x80\x93" "18 May 2024");
	assert_int_equal(c[2].kind, COPLAN_CHANGE_FIELD);
	assert_string_equal(c[2].field, "duration");
	assert_string_equal(c[2].before, "2 days");
	assert_string_equal(c[2].after, "3 days");
	assert_int_equal(c[3].kind, COPLAN_CHANGE_FIELD);
	assert_string_equal(c[3].field, "location");
	assert_int_equal(c[4].kind, COPLAN_CHANGE_ADDED);
	assert_string_equal(c[4].ref, "E");

	assert_int_equal(coplan_changes_format(&text, NULL, c, n, 0), 0);
	assert_non_null(strstr(text, "removed  B Seminar (10\xE2\x80\x93" "11 Apr 2024)\n"));
	assert_non_null(strstr(text, "moved    C Visit: 10\xE2\x80\x93" "11 May 2024 \xE2\x86\x92 17\xE2\x80\x93" "18 May 2024\n"));
	assert_non_null(strstr(text, "changed  D Course: duration 2 days \xE2\x86\x92 3 days\n"));
	assert_non_null(strstr(text, "5 changes: 1 added, 1 removed, 1 moved, 2 changed\n"));
	free(text);
	assert_int_equal(coplan_changes_format(&text, NULL, c, n, 1), 0);
	assert_non_null(strstr(text, "Ichigaya &lt;HQ&gt;"));
	assert_null(strstr(text, "<HQ>"));
	free(text);
	coplan_changes_free(c, n);
	coplan_plan_free(a);
	coplan_plan_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical),
		cmocka_unit_test(test_exact_changes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* test_holiday_cases.c - every line of the .tsv files in tests/data/holidays: cases from the field. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "coplan/coplan.h"

#define CASES_DIR COPLAN_TEST_DATA "/holidays"

static int check_line(const char *file, int lineno, char *line, int *failures)
{
	char *fields[4] = { NULL };
	char *save = NULL, *p = line;
	coplan_calendar *cal = NULL;
	coplan_date date = COPLAN_DATE_NONE;
	int n = 0, year, working;
	const coplan_holiday *h;

	line[strcspn(line, "\r\n")] = '\0';
	if (!*line || *line == '#')
		return 0;
	for (; n < 4 && (fields[n] = strtok_r(p, "\t", &save)) != NULL; n++)
		p = NULL;
	if (n < 3 || coplan_date_parse_iso(&date, fields[1], (size_t)-1))
		fail_msg("%s:%d: not nation<TAB>date<TAB>holiday|working<TAB>note", file, lineno);
	year = coplan_date_year(date);
	assert_int_equal(coplan_calendar_new(&cal, fields[0], NULL, year, year), 0);
	assert_true(coplan_holidays_builtin(fields[0]));
	working = coplan_calendar_is_working_day(cal, date);
	h = coplan_calendar_holiday(cal, date);
	if (!strcmp(fields[2], "holiday")) {
		if (working || !h) {
			print_error("%s:%d: %s %s should be a holiday: %s\n", file, lineno, fields[0],
			            fields[1], fields[3] ? fields[3] : "");
			(*failures)++;
		}
	} else if (!strcmp(fields[2], "working")) {
		/*
		 * an ordinary working day: no holiday of any kind; a Saturday or
		 * Sunday (2025-10-04) stays a weekend, so only a weekday must work
		 */
		if ((!working && coplan_date_weekday(date) < 6) || h) {
			print_error("%s:%d: %s %s should be a working day: %s\n", file, lineno, fields[0],
			            fields[1], fields[3] ? fields[3] : "");
			(*failures)++;
		}
	} else {
		fail_msg("%s:%d: expected 'holiday' or 'working', not '%s'", file, lineno, fields[2]);
	}
	coplan_calendar_free(cal);
	return 1;
}

static void all_cases(void **state)
{
	DIR *dir = opendir(CASES_DIR);
	struct dirent *e;
	int files = 0, lines = 0, failures = 0;

	(void)state;
	assert_non_null(dir);
	while ((e = readdir(dir)) != NULL) {
		size_t len = strlen(e->d_name);
		char path[1024], line[1024];
		FILE *f;
		int lineno = 0;

		if (len < 5 || strcmp(e->d_name + len - 4, ".tsv"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", CASES_DIR, e->d_name);
		f = fopen(path, "r");
		assert_non_null(f);
		while (fgets(line, sizeof(line), f))
			lines += check_line(e->d_name, ++lineno, line, &failures);
		fclose(f);
		files++;
	}
	closedir(dir);
	print_message("%d files, %d cases, %d failed\n", files, lines, failures);
	/* the five files from shared/cases/holidays, 40 cases when copied in */
	assert_true(files >= 5);
	assert_true(lines >= 40);
	assert_int_equal(failures, 0);
}

/*
 * What the rules rest on: a checked date for each nation, Law 151/2025 among
 * Italy's sources, and Japan's last announced equinox year agreeing with the
 * days the list marks provisional.
 */
static void about(void **state)
{
	static const char *const nations[] = { "GBR", "ita", "JPN" };
	coplan_holiday_about a;
	coplan_holiday *list = NULL;
	size_t n = 0, i, k;
	coplan_date d;

	(void)state;
	for (k = 0; k < 3; k++) {
		assert_int_equal(coplan_holidays_about(&a, nations[k]), 0);
		assert_int_equal(coplan_date_parse_iso(&d, a.checked, (size_t)-1), 0);
		assert_true(d >= coplan_date_from_ymd(2026, 11, 30));
		assert_non_null(a.sources);
		assert_true(strlen(a.sources) > 20);
	}
	assert_int_equal(coplan_holidays_about(&a, "ITA"), 0);
	assert_non_null(strstr(a.sources, "n. 151"));
	assert_int_equal(a.announced_through, 0);
	assert_int_equal(coplan_holidays_about(&a, "FRA"), COPLAN_ENOTFOUND);
	assert_non_null(strstr(coplan_error_last(), "'FRA'"));
	assert_int_equal(coplan_holidays_about(&a, "JPN"), 0);
	assert_true(a.announced_through >= 2027);
	for (k = 0; k < 2; k++) {
		int year = a.announced_through + (int)k, prov = 0;

		assert_int_equal(coplan_holidays_list(&list, &n, "JPN", NULL, year), 0);
		for (i = 0; i < n; i++)
			prov += list[i].provisional;
		assert_int_equal(prov, k ? 2 : 0); /* the two equinox days, after the last announced */
		free(list);
	}
	/* Bologna's patron saint shares 4 October with St Francis from 2026: one holiday, the nation's */
	assert_int_equal(coplan_holidays_list(&list, &n, "ITA", "BOLOGNA", 2027), 0);
	for (i = k = 0; i < n; i++)
		if (list[i].date == coplan_date_from_ymd(2027, 10, 4)) {
			k++;
			assert_int_equal(list[i].kind, COPLAN_HOLIDAY_PUBLIC);
		}
	assert_int_equal(k, 1);
	free(list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(all_cases),
		cmocka_unit_test(about),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

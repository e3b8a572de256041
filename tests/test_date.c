/* SPDX-License-Identifier: Apache-2.0 */
/* test_date.c - civil dates: round trips, weekdays, ISO parsing, Easter, nth weekday. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "coplan/coplan.h"

static void round_trip_sample(void **state)
{
	(void)state;
	/* every day of a sample of years across 1..9999, and whole-era steps */
	int years[] = { 1, 2, 4, 99, 100, 399, 400, 401, 1582, 1899, 1900, 1969, 1970, 1971,
	                2000, 2024, 2099, 2100, 2400, 4000, 9998, 9999 };

	for (size_t i = 0; i < sizeof(years) / sizeof(years[0]); i++) {
		int y = years[i];
		coplan_date prev = coplan_date_from_ymd(y, 1, 1) - 1;

		for (int m = 1; m <= 12; m++) {
			for (int d = 1; d <= coplan_date_days_in_month(y, m); d++) {
				coplan_date date = coplan_date_from_ymd(y, m, d);
				int yy, mm, dd;

				assert_int_equal(date, prev + 1);
				coplan_date_to_ymd(date, &yy, &mm, &dd);
				assert_int_equal(yy, y);
				assert_int_equal(mm, m);
				assert_int_equal(dd, d);
				assert_int_equal(coplan_date_year(date), y);
				prev = date;
			}
		}
	}
	/* the whole range, by 97 days: contiguous and ordered */
	coplan_date lo = coplan_date_from_ymd(1, 1, 1), hi = coplan_date_from_ymd(9999, 12, 31);
	for (coplan_date d = lo; d <= hi; d += 97) {
		int y, m, dd;
		coplan_date_to_ymd(d, &y, &m, &dd);
		assert_int_equal(coplan_date_from_ymd(y, m, dd), d);
	}
	assert_int_equal(coplan_date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(coplan_date_from_ymd(1969, 12, 31), -1);
	assert_int_equal(coplan_date_from_ymd(2000, 3, 1) - coplan_date_from_ymd(2000, 2, 28), 2);
	assert_int_equal(coplan_date_from_ymd(1900, 3, 1) - coplan_date_from_ymd(1900, 2, 28), 1);
	/* normalisation of day 0 and month 13 */
	assert_int_equal(coplan_date_from_ymd(2024, 3, 0), coplan_date_from_ymd(2024, 2, 29));
	assert_int_equal(coplan_date_from_ymd(2023, 13, 1), coplan_date_from_ymd(2024, 1, 1));
}

static void leap_years_and_months(void **state)
{
	(void)state;
	assert_true(coplan_date_is_leap_year(2000));
	assert_false(coplan_date_is_leap_year(1900));
	assert_true(coplan_date_is_leap_year(2024));
	assert_false(coplan_date_is_leap_year(2023));
	assert_int_equal(coplan_date_days_in_month(2024, 2), 29);
	assert_int_equal(coplan_date_days_in_month(2100, 2), 28);
	assert_int_equal(coplan_date_days_in_month(2024, 4), 30);
	assert_int_equal(coplan_date_days_in_month(2024, 13), 0);
	assert_int_equal(coplan_date_days_in_month(2024, 0), 0);
}

static void weekdays(void **state)
{
	(void)state;
	assert_int_equal(coplan_date_weekday(0), 4);                                  /* 1970-01-01 Thu */
	assert_int_equal(coplan_date_weekday(-1), 3);                                 /* 1969-12-31 Wed */
	assert_int_equal(coplan_date_weekday(coplan_date_from_ymd(2024, 2, 11)), 7);  /* Sunday */
	assert_int_equal(coplan_date_weekday(coplan_date_from_ymd(2000, 1, 1)), 6);   /* Saturday */
	assert_int_equal(coplan_date_weekday(coplan_date_from_ymd(1, 1, 1)), 1);      /* Monday */
	assert_int_equal(coplan_date_weekday(coplan_date_from_ymd(9999, 12, 31)), 5); /* Friday */
	assert_int_equal(coplan_date_weekday(coplan_date_from_ymd(1582, 10, 15)), 5); /* Friday */
}

static void iso_parse_and_format(void **state)
{
	coplan_date d = 12345;
	char buf[COPLAN_DATE_ISO_LEN];

	(void)state;
	assert_int_equal(coplan_date_parse_iso(&d, "2024-02-29", (size_t)-1), 0);
	assert_string_equal(coplan_date_format_iso(d, buf), "2024-02-29");
	assert_int_equal(coplan_date_parse_iso(&d, "0001-01-01xx", 10), 0);
	assert_string_equal(coplan_date_format_iso(d, buf), "0001-01-01");
	assert_int_equal(coplan_date_parse_iso(&d, "9999-12-31", (size_t)-1), 0);
	assert_string_equal(coplan_date_format_iso(d, buf), "9999-12-31");
	assert_string_equal(coplan_date_format_iso(COPLAN_DATE_NONE, buf), "");

	d = 777;
	assert_int_equal(coplan_date_parse_iso(&d, "2023-02-29", (size_t)-1), COPLAN_ERANGE);
	assert_int_equal(coplan_date_parse_iso(&d, "2023-13-01", (size_t)-1), COPLAN_ERANGE);
	assert_int_equal(coplan_date_parse_iso(&d, "0000-01-01", (size_t)-1), COPLAN_ERANGE);
	assert_int_equal(coplan_date_parse_iso(&d, "2023-04-31", (size_t)-1), COPLAN_ERANGE);
	assert_non_null(strstr(coplan_error_last(), "2023-04-31"));
	assert_int_equal(coplan_date_parse_iso(&d, "2023-4-1", (size_t)-1), COPLAN_EINVALID);
	assert_int_equal(coplan_date_parse_iso(&d, "2023/04/01", (size_t)-1), COPLAN_EINVALID);
	assert_int_equal(coplan_date_parse_iso(&d, "2023-04-01T", (size_t)-1), COPLAN_EINVALID);
	assert_int_equal(coplan_date_parse_iso(&d, "20230401", (size_t)-1), COPLAN_EINVALID);
	assert_int_equal(coplan_date_parse_iso(&d, "2023-0a-01", (size_t)-1), COPLAN_EINVALID);
	assert_int_equal(coplan_date_parse_iso(&d, "", (size_t)-1), COPLAN_EINVALID);
	assert_int_equal(coplan_date_parse_iso(&d, NULL, 0), COPLAN_EINVALID);
	assert_int_equal(coplan_date_parse_iso(&d, "2023-04-01", 9), COPLAN_EINVALID);
	assert_int_equal(d, 777); /* untouched on error */
	assert_int_equal(coplan_date_make(&d, 2024, 2, 30), COPLAN_ERANGE);
	assert_int_equal(coplan_date_make(&d, 10000, 1, 1), COPLAN_ERANGE);
	assert_int_equal(coplan_date_make(&d, 2024, 12, 31), 0);
}

static void easter(void **state)
{
	/* Easter Sunday in known years (Western church tables) */
	static const int known[][3] = {
		{ 1970, 3, 29 }, { 1977, 4, 10 }, { 1981, 4, 19 }, { 1995, 4, 16 }, { 2000, 4, 23 },
		{ 2008, 3, 23 }, { 2011, 4, 24 }, { 2019, 4, 21 }, { 2024, 3, 31 }, { 2025, 4, 20 },
		{ 2026, 4, 5 },  { 2027, 3, 28 }, { 2038, 4, 25 }, { 2285, 3, 22 }, { 1818, 3, 22 },
		{ 1943, 4, 25 }, { 2099, 4, 12 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		assert_int_equal(coplan_date_easter(known[i][0]),
		                 coplan_date_from_ymd(known[i][0], known[i][1], known[i][2]));
	/* always a Sunday between 22 March and 25 April */
	for (int y = 1583; y <= 9999; y += 7) {
		coplan_date e = coplan_date_easter(y);
		assert_int_equal(coplan_date_weekday(e), 7);
		assert_true(e >= coplan_date_from_ymd(y, 3, 22));
		assert_true(e <= coplan_date_from_ymd(y, 4, 25));
	}
}

static void nth_weekday(void **state)
{
	(void)state;
	assert_int_equal(coplan_date_nth_weekday(2024, 1, 1, 2), coplan_date_from_ymd(2024, 1, 8));
	assert_int_equal(coplan_date_nth_weekday(2024, 7, 1, 3), coplan_date_from_ymd(2024, 7, 15));
	assert_int_equal(coplan_date_nth_weekday(2024, 5, 1, -1), coplan_date_from_ymd(2024, 5, 27));
	assert_int_equal(coplan_date_nth_weekday(2022, 8, 1, -1), coplan_date_from_ymd(2022, 8, 29));
	assert_int_equal(coplan_date_nth_weekday(2024, 6, 7, 1), coplan_date_from_ymd(2024, 6, 2));
	assert_int_equal(coplan_date_nth_weekday(2024, 2, 4, 5), coplan_date_from_ymd(2024, 2, 29));
	assert_int_equal(coplan_date_nth_weekday(2024, 3, 7, -1), coplan_date_from_ymd(2024, 3, 31));
	/* every nth weekday has that weekday and lies in its week of the month */
	for (int m = 1; m <= 12; m++)
		for (int w = 1; w <= 7; w++)
			for (int n = 1; n <= 4; n++) {
				coplan_date d = coplan_date_nth_weekday(2031, m, w, n);
				int dd, mm;
				coplan_date_to_ymd(d, NULL, &mm, &dd);
				assert_int_equal(coplan_date_weekday(d), w);
				assert_int_equal(mm, m);
				assert_int_equal((dd - 1) / 7 + 1, n);
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_sample),
		cmocka_unit_test(leap_years_and_months),
		cmocka_unit_test(weekdays),
		cmocka_unit_test(iso_parse_and_format),
		cmocka_unit_test(easter),
		cmocka_unit_test(nth_weekday),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* test_textdate.c - dates, periods and numbers as spreadsheets write them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "coplan/coplan.h"
#include "coplan/import.h"

static const struct {
	const char *text;
	const char *locale;
	const char *iso;           /* NULL: must be an error */
} dates[] = {
	{ "2024-01-10", NULL, "2024-01-10" },
	{ "10/01/2024", NULL, "2024-01-10" },
	{ "10/01/2024", "it", "2024-01-10" },
	{ "10/01/2024", "en-GB", "2024-01-10" },
	{ "10/01/2024", "en-US", "2024-10-01" },
	{ "1/10/2024", "en_US.UTF-8", "2024-01-10" },
	{ "10.01.2024", "en-US", "2024-01-10" },
	{ "10-01-2024", "en-US", "2024-01-10" },
	{ "2024/01/10", "en-US", "2024-01-10" },
	{ "2024/1/10", "ja", "2024-01-10" },
	{ " 2024-01-10 ", NULL, "2024-01-10" },
	{ "20240110", NULL, "2024-01-10" },
	{ "2024年1月10日", "ja", "2024-01-10" },
	{ "２０２４年１月１０日", "ja", "2024-01-10" },
	{ "2024年1月10日(水)", "ja", "2024-01-10" },
	{ "2024年1月10日(木)", "ja", NULL },
	{ "令和6年1月10日", "ja", "2024-01-10" },
	{ "令和元年5月1日", "ja", "2019-05-01" },
	{ "令和元年4月30日", "ja", NULL },
	{ "平成31年4月30日", "ja", "2019-04-30" },
	{ "平成31年5月1日", "ja", NULL },
	{ "平成元年1月8日", "ja", "1989-01-08" },
	{ "平成元年1月7日", "ja", NULL },
	{ "昭和64年1月7日", "ja", "1989-01-07" },
	{ "昭和元年12月25日", "ja", "1926-12-25" },
	{ "昭和元年12月24日", "ja", NULL },
	{ "H31.4.30", "ja", "2019-04-30" },
	{ "R6.1.10", "ja", "2024-01-10" },
	{ "45301", NULL, "2024-01-10" },
	{ "61", NULL, NULL },                /* serials below 10000 are not taken: a year or a typo */
	{ "2024", NULL, NULL },
	{ "2958465", NULL, "9999-12-31" },
	{ "2958466", NULL, NULL },
	{ "31/02/2024", "it", NULL },
	{ "29/02/2024", "it", "2024-02-29" },
	{ "29/02/2023", "it", NULL },
	{ "13/01/2024", "en-US", NULL },
	{ "10/01/24", NULL, NULL },          /* two-digit year: which century is a guess */
	{ "10/01-2024", NULL, NULL },
	{ "2024-05", NULL, NULL },           /* a month is not a date */
	{ "", NULL, NULL },
	{ "tomorrow", NULL, NULL },
	{ "2024-01-10", "xx", NULL },
};

static void test_dates(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		coplan_date d = 12345;
		char iso[COPLAN_DATE_ISO_LEN];
		int rc = coplan_parse_date_text(&d, dates[i].text, dates[i].locale);

		if (dates[i].iso == NULL) {
			if (rc == 0)
				fail_msg("'%s' (%s) read as %s, expected an error", dates[i].text,
				         dates[i].locale ? dates[i].locale : "default",
				         coplan_date_format_iso(d, iso));
			assert_int_equal(d, 12345);
			assert_non_null(strstr(coplan_error_last(), "expected"));
		} else {
			if (rc != 0)
				fail_msg("'%s': %s", dates[i].text, coplan_error_last());
			assert_string_equal(coplan_date_format_iso(d, iso), dates[i].iso);
		}
	}
	/* the kinds of error are told apart */
	assert_int_equal(coplan_parse_date_text(&(coplan_date){ 0 }, "2024-01-10", "xx"), COPLAN_EUSAGE);
	coplan_parse_date_text(&(coplan_date){ 0 }, "31/02/2024", "it");
	assert_string_equal(coplan_error_last(), "no such date '31/02/2024' (expected a day 1 to 29 in 2024-02)");
	coplan_parse_date_text(&(coplan_date){ 0 }, "平成31年5月1日", "ja");
	assert_string_equal(coplan_error_last(), "'平成31年5月1日' is outside the Heisei era (expected "
	                    "1989-01-08 to 2019-04-30)");
}

static const struct {
	const char *text;
	const char *locale;
	const char *from, *to;     /* NULL: must be an error */
} periods[] = {
	{ "2024-05", NULL, "2024-05-01", "2024-05-31" },
	{ "05/2024", NULL, "2024-05-01", "2024-05-31" },
	{ "5.2024", "it", "2024-05-01", "2024-05-31" },
	{ "2024年5月", "ja", "2024-05-01", "2024-05-31" },
	{ "令和6年2月", "ja", "2024-02-01", "2024-02-29" },
	{ "2024-05-06", NULL, "2024-05-06", "2024-05-06" },
	{ "2024-05-06..2024-05-17", NULL, "2024-05-06", "2024-05-17" },
	{ "2024-05-06/2024-05-17", NULL, "2024-05-06", "2024-05-17" },
	{ "06/05/2024..17/05/2024", "it", "2024-05-06", "2024-05-17" },
	{ "06/05/2024 - 17/05/2024", "it", "2024-05-06", "2024-05-17" },
	{ "2024年5月6日～2024年5月17日", "ja", "2024-05-06", "2024-05-17" },
	{ "2024-05..2024-06", NULL, "2024-05-01", "2024-06-30" },
	{ "2024-06..2024-05", NULL, NULL, NULL },
	{ "2024-13", NULL, NULL, NULL },
	{ "2024-05-06..", NULL, NULL, NULL },
	{ "May", NULL, NULL, NULL },
};

static void test_periods(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(periods) / sizeof(periods[0]); i++) {
		coplan_date a = 1, b = 2;
		char s0[COPLAN_DATE_ISO_LEN], s1[COPLAN_DATE_ISO_LEN];
		int rc = coplan_parse_period_text(&a, &b, periods[i].text, periods[i].locale);

		if (periods[i].from == NULL) {
			if (rc == 0)
				fail_msg("'%s' read as %s..%s, expected an error", periods[i].text,
				         coplan_date_format_iso(a, s0), coplan_date_format_iso(b, s1));
			assert_int_equal(a, 1);
			assert_int_equal(b, 2);
		} else {
			if (rc != 0)
				fail_msg("'%s': %s", periods[i].text, coplan_error_last());
			assert_string_equal(coplan_date_format_iso(a, s0), periods[i].from);
			assert_string_equal(coplan_date_format_iso(b, s1), periods[i].to);
		}
	}
}

static const struct {
	const char *text;
	const char *locale;
	int ok;
	double value;
} numbers[] = {
	{ "1.299,99", "it", 1, 1299.99 },
	{ "15.000,00", "it", 1, 15000.0 },
	{ "1299,99", "it", 1, 1299.99 },
	{ "0,5", "it", 1, 0.5 },
	{ "-3", "it", 1, -3.0 },
	{ "1,299.99", "en", 1, 1299.99 },
	{ "1,299.99", "ja", 1, 1299.99 },
	{ "1,234,567", "en-US", 1, 1234567.0 },
	{ "１２", "ja", 1, 12.0 },
	{ "12", NULL, 1, 12.0 },
	{ "1.5", "it", 0, 0 },             /* a dot groups by three in it */
	{ "1,5", "en", 0, 0 },
	{ "1.2345", "it", 0, 0 },
	{ "12,34,567", "en", 0, 0 },
	{ "1,299.99", "it", 0, 0 },
	{ "two", NULL, 0, 0 },
	{ "", NULL, 0, 0 },
	{ "1,", "it", 0, 0 },
	{ "1234567890123456", NULL, 0, 0 },
};

static void test_numbers(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		double v = -99;
		int rc = coplan_parse_number_text(&v, numbers[i].text, numbers[i].locale);

		if (!numbers[i].ok) {
			if (rc == 0)
				fail_msg("'%s' (%s) read as %g, expected an error", numbers[i].text,
				         numbers[i].locale ? numbers[i].locale : "default", v);
			assert_true(v == -99);
		} else {
			if (rc != 0)
				fail_msg("'%s': %s", numbers[i].text, coplan_error_last());
			assert_true(v == numbers[i].value);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

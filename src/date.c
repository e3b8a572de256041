/* SPDX-License-Identifier: Apache-2.0 */
/* date.c - civil dates in the proleptic Gregorian calendar as day counts from 1970-01-01. */
#include <stdio.h>
#include <string.h>

#include "coplan/date.h"
#include "common.h"

int coplan_date_is_leap_year(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int coplan_date_days_in_month(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && coplan_date_is_leap_year(year))
		return 29;
	return days[month - 1];
}

/*
 * Days from civil: the count of days since 1970-01-01 of year-month-day,
 * by shifting the year to start in March (so the leap day is the year's
 * last) and counting 400-year eras of 146097 days.
 */
coplan_date coplan_date_from_ymd(int year, int month, int day)
{
	int y, era, yoe, doy, doe, mp;

	/* normalise month out of 1..12 so rule tables may say month 13 */
	while (month > 12) {
		month -= 12;
		year++;
	}
	while (month < 1) {
		month += 12;
		year--;
	}
	y = year - (month <= 2);
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	mp = (month + 9) % 12;
	doy = (153 * mp + 2) / 5 + day - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (coplan_date)(era * 146097 + doe - 719468);
}

void coplan_date_to_ymd(coplan_date date, int *year, int *month, int *day)
{
	long z = (long)date + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp < 10 ? mp + 3 : mp - 9;
	long y = yoe + era * 400 + (m <= 2);

	if (year)
		*year = (int)y;
	if (month)
		*month = (int)m;
	if (day)
		*day = (int)d;
}

int coplan_date_year(coplan_date date)
{
	int y;

	coplan_date_to_ymd(date, &y, NULL, NULL);
	return y;
}

int coplan_date_make(coplan_date *out, int year, int month, int day)
{
	if (year < 1 || year > 9999)
		return cp_error(COPLAN_ERANGE, "year %d outside 1-9999", year);
	if (month < 1 || month > 12)
		return cp_error(COPLAN_ERANGE, "month %d does not exist", month);
	if (day < 1 || day > coplan_date_days_in_month(year, month))
		return cp_error(COPLAN_ERANGE, "day %d does not exist in %04d-%02d", day, year, month);
	*out = coplan_date_from_ymd(year, month, day);
	return 0;
}

int coplan_date_weekday(coplan_date date)
{
	/* 1970-01-01 was a Thursday (ISO 4) */
	long w = ((long)date + 3) % 7;

	if (w < 0)
		w += 7;
	return (int)w + 1;
}

static int digits(const char *s, size_t n, int *value)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*value = v;
	return 0;
}

int coplan_date_parse_iso(coplan_date *out, const char *text, size_t len)
{
	int y, m, d;

	if (!text)
		return cp_error(COPLAN_EINVALID, "missing date (expected YYYY-MM-DD)");
	if (len == (size_t)-1)
		len = strlen(text);
	if (len != 10 || text[4] != '-' || text[7] != '-' || digits(text, 4, &y) ||
	    digits(text + 5, 2, &m) || digits(text + 8, 2, &d))
		return cp_error(COPLAN_EINVALID, "'%.*s' is not a date (expected YYYY-MM-DD)",
		                (int)(len > 40 ? 40 : len), text);
	if (coplan_date_make(out, y, m, d))
		return cp_error(COPLAN_ERANGE, "'%.10s' is not a day of the calendar", text);
	return 0;
}

char *coplan_date_format_iso(coplan_date date, char *buf)
{
	int y, m, d;

	if (date == COPLAN_DATE_NONE) {
		buf[0] = '\0';
		return buf;
	}
	coplan_date_to_ymd(date, &y, &m, &d);
	/* digit by digit: the values are bounded, and no format can truncate */
	y = ((y % 10000) + 10000) % 10000;
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
	return buf;
}

coplan_date coplan_date_easter(int year)
{
	/* Anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
	int a = year % 19, b = year / 100, c = year % 100;
	int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31;
	int day = (h + l - 7 * m + 114) % 31 + 1;

	return coplan_date_from_ymd(year, month, day);
}

coplan_date coplan_date_nth_weekday(int year, int month, int weekday, int n)
{
	coplan_date first, last;
	int shift;

	if (n < 0) {
		last = coplan_date_from_ymd(year, month, coplan_date_days_in_month(year, month));
		shift = (coplan_date_weekday(last) - weekday + 7) % 7;
		return last - shift;
	}
	first = coplan_date_from_ymd(year, month, 1);
	shift = (weekday - coplan_date_weekday(first) + 7) % 7;
	return first + shift + 7 * (n - 1);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/date.h - civil dates: proleptic Gregorian calendar, ISO 8601. */
#ifndef COPLAN_DATE_H
#define COPLAN_DATE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A civil (local, time-zone-free) date as a count of days since 1970-01-01
 * in the proleptic Gregorian calendar: 0 is 1970-01-01, -1 is 1969-12-31.
 * Dates compare and subtract as integers: b - a is the number of days
 * from a to b.  Supported years: 1 to 9999.
 */
typedef int32_t coplan_date;

/* No date (an unplaced activity, an open end).  Lower than every real date. */
#define COPLAN_DATE_NONE INT32_MIN

/* Buffer size for coplan_date_format_iso(): "YYYY-MM-DD" and NUL. */
#define COPLAN_DATE_ISO_LEN 11

/* 1 if year is a Gregorian leap year, else 0. */
int coplan_date_is_leap_year(int year);

/* Days in month (1-12) of year: 28 to 31; 0 for a month out of range. */
int coplan_date_days_in_month(int year, int month);

/*
 * Set *out to the date year-month-day.  Returns 0, or COPLAN_ERANGE (with
 * the last error set) when the year is outside 1-9999 or the month or day
 * does not exist (2023-02-29).
 */
int coplan_date_make(coplan_date *out, int year, int month, int day);

/*
 * The date year-month-day without validation: for callers whose values are
 * known good (rule tables).  Day 0 or a day past the month's end is
 * normalised arithmetically (2024-03-00 is 2024-02-29).
 */
coplan_date coplan_date_from_ymd(int year, int month, int day);

/* Split a date into year, month (1-12) and day (1-31); any pointer may be NULL. */
void coplan_date_to_ymd(coplan_date date, int *year, int *month, int *day);

/* ISO 8601 weekday: 1 Monday ... 6 Saturday, 7 Sunday. */
int coplan_date_weekday(coplan_date date);

/* The year of a date. */
int coplan_date_year(coplan_date date);

/*
 * Parse exactly "YYYY-MM-DD" (ISO 8601 extended calendar date) of len bytes
 * (or up to the NUL when len is (size_t)-1).  Returns 0, or COPLAN_EINVALID
 * when the text is not of that form, or COPLAN_ERANGE when the date does not
 * exist; the last error says which.  *out is untouched on error.
 */
int coplan_date_parse_iso(coplan_date *out, const char *text, size_t len);

/*
 * Write date as "YYYY-MM-DD" into buf (at least COPLAN_DATE_ISO_LEN bytes)
 * and return buf.  COPLAN_DATE_NONE is written as "".
 */
char *coplan_date_format_iso(coplan_date date, char *buf);

/*
 * The date of Easter Sunday of a Gregorian year (the Western church's
 * computus, as fixed by the 1582 reform: the anonymous Gregorian algorithm).
 */
coplan_date coplan_date_easter(int year);

/*
 * The n-th (1-5) given ISO weekday of a month, or with n = -1 the last one:
 * coplan_date_nth_weekday(2024, 1, 1, 2) is the 2nd Monday of January 2024.
 */
coplan_date coplan_date_nth_weekday(int year, int month, int weekday, int n);

#ifdef __cplusplus
}
#endif
#endif

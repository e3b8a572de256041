/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/calendar.h - national calendars: weekends, public holidays, working days. */
#ifndef COPLAN_CALENDAR_H
#define COPLAN_CALENDAR_H

#include <stddef.h>
#include "coplan/date.h"

#ifdef __cplusplus
extern "C" {
#endif

/* First and last year the built-in holiday rules cover. */
#define COPLAN_HOLIDAY_FIRST_YEAR 1970
#define COPLAN_HOLIDAY_LAST_YEAR  2099

typedef enum {
	COPLAN_HOLIDAY_PUBLIC = 0,   /* a holiday fixed by law, recurring */
	COPLAN_HOLIDAY_SUBSTITUTE,   /* a day off in place of a holiday on a weekend (JPN 振替休日, GBR substitute day) */
	COPLAN_HOLIDAY_CITIZENS,     /* JPN 国民の休日: a day between two holidays */
	COPLAN_HOLIDAY_ONE_OFF,      /* declared for one year only (state funeral, jubilee, enthronement) */
	COPLAN_HOLIDAY_REGIONAL,     /* holds only in a region or city (Rome 29 June, Scotland 2 Jan) */
	COPLAN_HOLIDAY_IMPORTED      /* read from an iCalendar holiday feed */
} coplan_holiday_kind;

/* One holiday.  In lists returned by coplan_holidays_list() the names are static strings. */
typedef struct {
	coplan_date date;
	coplan_holiday_kind kind;
	const char *local_name;    /* UTF-8, in the nation's language: "建国記念の日" */
	const char *english_name;  /* "National Foundation Day" */
	int provisional;           /* 1 when computed beyond the official announcement (JPN equinox days) */
} coplan_holiday;

/* "public", "substitute", "citizens", "one-off", "regional", "imported"; static storage. */
const char *coplan_holiday_kind_name(coplan_holiday_kind kind);

/*
 * 1 if coplan has built-in holiday rules for nation (ISO 3166-1 alpha-3:
 * "ITA", "JPN", "GBR"), else 0.
 */
int coplan_holidays_builtin(const char *nation);

/*
 * The public holidays of nation in year, sorted by date, each once (when two
 * names fall on one day the first in law is kept).  region is NULL for the
 * whole nation, or a region or city code the nation's rules know (GBR:
 * "ENG" England and Wales, the default, "SCT", "NIR"; ITA: a city for its
 * patron saint's day, "ROMA", "MILANO", ...; JPN: none).  Nation and region
 * codes match in any case.  The list includes substitute and citizens'
 * holidays and one-off days, each with its kind.
 *
 * Sources: JPN Act on National Holidays (Act No. 178 of 1948) as amended;
 * ITA Law 260/1949, Law 54/1977, DPR 792/1985, Law 336/2000, Law 47/2011,
 * Law 151/2025 (4 October from 2026);
 * GBR Banking and Financial Dealings Act 1971 and royal proclamations; each
 * rule cites its act in src/holidays_*.c (docs/internals/calendars.md).
 * JPN equinox days are computed, and flagged provisional after the last
 * year the Cabinet Office has announced (2027 as of this release).
 *
 * On success *out is a malloc'd array of *n entries that the caller frees
 * with free() (the names inside are static).  Errors: COPLAN_ENOTFOUND for a
 * nation without built-in rules or an unknown region, COPLAN_ERANGE for a
 * year outside COPLAN_HOLIDAY_FIRST_YEAR..COPLAN_HOLIDAY_LAST_YEAR,
 * COPLAN_ENOMEM.
 */
int coplan_holidays_list(coplan_holiday **out, size_t *n, const char *nation,
                         const char *region, int year);

/* What coplan's built-in holiday rules of a nation rest on. */
typedef struct {
	const char *nation;          /* "ITA" */
	const char *checked;         /* ISO 8601 date the rules were last checked against the law
	                              * and the official announcements: "2026-11-30" */
	const char *sources;         /* the acts and announcements, one per line (static) */
	int announced_through;       /* JPN: the last year whose equinox days the Cabinet Office
	                              * has announced (later ones are provisional); else 0 */
} coplan_holiday_about;

/*
 * Fill *out (the caller's storage; the strings are static) with what the
 * built-in rules of nation (any case) rest on.  Errors: COPLAN_ENOTFOUND for
 * a nation without built-in rules (the last error names it).
 */
int coplan_holidays_about(coplan_holiday_about *out, const char *nation);

/*
 * A weekend: the ISO weekdays (1 Monday .. 7 Sunday) that are not working
 * days, as a bit mask with bit weekday - 1 set for each.
 */
#define COPLAN_WEEKDAY_BIT(weekday) (1u << ((weekday) - 1))
#define COPLAN_WEEKEND_SAT_SUN (COPLAN_WEEKDAY_BIT(6) | COPLAN_WEEKDAY_BIT(7))
#define COPLAN_WEEKEND_ALL 0x7Fu

/*
 * Where CLDR's supplemental data lives (Debian package unicode-cldr-core);
 * the environment variable COPLAN_CLDR_SUPPLEMENTAL, when set, overrides it.
 */
#ifndef COPLAN_CLDR_SUPPLEMENTAL_PATH
#define COPLAN_CLDR_SUPPLEMENTAL_PATH \
	"/usr/share/unicode/cldr/common/supplemental/supplementalData.xml"
#endif

/*
 * The weekend of nation (ISO 3166-1 alpha-3, any case) into *days, a mask
 * of COPLAN_WEEKDAY_BIT()s.  Source: CLDR's weekData (weekendStart and
 * weekendEnd by ISO 3166-1 alpha-2 territory, the alpha-3 code mapped
 * through Debian's iso-codes; a territory CLDR does not list takes the
 * world's, territory 001: Saturday-Sunday), read once a process from
 * COPLAN_CLDR_SUPPLEMENTAL_PATH or $COPLAN_CLDR_SUPPLEMENTAL.  nation
 * "001" gives the world's.  Examples from CLDR 41: ISR, SAU Fri-Sat; AFG
 * Thu-Fri; IRN Fri; IND Sun; ITA, JPN Sat-Sun.
 * Errors: COPLAN_ENOTFOUND (not a current ISO 3166-1 nation), COPLAN_EIO
 * (the CLDR file cannot be read or holds no weekData; the last error names
 * the file).
 */
int coplan_weekend_of(unsigned *days, const char *nation);

/*
 * Parse a weekday name: "mon" .. "sun" or "monday" .. "sunday", any case,
 * into *weekday (ISO 1 Monday .. 7 Sunday).  Errors: COPLAN_EINVALID.
 */
int coplan_weekday_parse(int *weekday, const char *name);

/* "mon" .. "sun" for ISO weekday 1..7 (static storage), NULL for any other number. */
const char *coplan_weekday_abbr(int weekday);

/*
 * A weekend mask as people write it, into buf (size bytes, NUL-terminated;
 * a run that does not fit is left out whole): runs of days with an en dash ("Fri–Sat", "Thu–Fri"),
 * single days alone ("Sun"), runs separated by ", "; "none" for an empty
 * mask, "every day" for all seven.  Returns buf.
 */
char *coplan_weekend_format(char *buf, size_t size, unsigned days);

/*
 * A nation's working-day calendar over a range of years, precomputed as one
 * bit per day so that a query is O(1).  Its weekend is the nation's in
 * CLDR (coplan_weekend_of()) unless set with coplan_calendar_set_weekend().
 * Opaque; create with coplan_calendar_new(), release with
 * coplan_calendar_free().
 */
typedef struct coplan_calendar coplan_calendar;

/*
 * Build the calendar of nation (and region, or NULL) for the years
 * first_year..last_year inclusive, with the nation's weekend from CLDR
 * (coplan_weekend_of(); a code that is no ISO 3166-1 nation gets the
 * world's, Saturday-Sunday).  A nation without built-in rules gets
 * weekends only, and its holidays can be added with
 * coplan_calendar_add_holiday() (e.g. from an iCalendar feed).
 * *out is the caller's, freed with coplan_calendar_free().
 * Errors: COPLAN_ERANGE (years outside 1970-2099 or reversed),
 * COPLAN_ENOTFOUND (unknown region), COPLAN_EIO (CLDR's data unreadable),
 * COPLAN_ENOMEM.
 */
int coplan_calendar_new(coplan_calendar **out, const char *nation, const char *region,
                        int first_year, int last_year);

/* Free a calendar and every holiday in it; NULL is a no-op. */
void coplan_calendar_free(coplan_calendar *cal);

/* The nation code the calendar was built for; borrowed. */
const char *coplan_calendar_nation(const coplan_calendar *cal);

/*
 * Replace the calendar's weekend with days (a mask of COPLAN_WEEKDAY_BIT()s;
 * a plan's own weekend for a nation overrides CLDR's this way).  Holidays
 * stay.  Errors: COPLAN_EINVALID (bits outside COPLAN_WEEKEND_ALL, or all
 * seven days: a week without a working day).
 */
int coplan_calendar_set_weekend(coplan_calendar *cal, unsigned days);

/* The calendar's weekend, a mask of COPLAN_WEEKDAY_BIT()s. */
unsigned coplan_calendar_weekend(const coplan_calendar *cal);

/*
 * Add a non-working day to the calendar (an imported holiday).  The names
 * are copied; english_name may be NULL.  A date outside the calendar's
 * years is ignored and returns 0.  Errors: COPLAN_ENOMEM.
 */
int coplan_calendar_add_holiday(coplan_calendar *cal, coplan_date date,
                                const char *local_name, const char *english_name,
                                coplan_holiday_kind kind);

/*
 * 1 if date is a working day in the calendar's nation (not a day of its
 * weekend, not a holiday), else 0.  Outside the calendar's years only the
 * weekend counts;
 * COPLAN_DATE_NONE is not a working day.  O(1): one bit per day.
 */
int coplan_calendar_is_working_day(const coplan_calendar *cal, coplan_date date);

/*
 * The holiday on date, or NULL if none (a weekend is not a holiday).
 * Borrowed from the calendar: valid until it is freed.
 */
const coplan_holiday *coplan_calendar_holiday(const coplan_calendar *cal, coplan_date date);

/*
 * The date n working days after date (n >= 0, in working days; n = 0 gives
 * date itself if it is a working day, else the next working day).  Returns
 * COPLAN_DATE_NONE if the result lies beyond the calendar's last year, or for
 * n < 0 or date COPLAN_DATE_NONE.  Before the calendar's first year only
 * the weekend counts.
 */
coplan_date coplan_calendar_add_working_days(const coplan_calendar *cal, coplan_date date, int n);

/*
 * The days from..to (local dates, inclusive) that are working days in
 * every one of the n calendars: *out (malloc'd, the caller frees; NULL
 * when none) and *count.  Errors: COPLAN_EUSAGE (to before from, no
 * calendar), COPLAN_ENOMEM.
 */
int coplan_calendars_common_days(coplan_date **out, size_t *count, coplan_calendar *const *cals,
                                 size_t n, coplan_date from, coplan_date to);

#ifdef __cplusplus
}
#endif
#endif

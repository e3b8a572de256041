/* SPDX-License-Identifier: Apache-2.0 */
/* calendar.c - national working-day calendars: one bit per day, holiday lists from the rules. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "coplan/calendar.h"
#include "common.h"
#include "holidays.h"

/* --- the holidays of one nation-year (holidays.h) --- */

coplan_holiday *cp_year_find(cp_year *y, coplan_date date)
{
	for (size_t i = 0; i < y->n; i++)
		if (y->items[i].date == date)
			return &y->items[i];
	return NULL;
}

void cp_year_add(cp_year *y, coplan_date date, coplan_holiday_kind kind,
                 const char *local_name, const char *english_name, int provisional)
{
	coplan_holiday *h;

	if (cp_year_find(y, date))
		return;
	if (y->n >= CP_YEAR_HOLIDAYS_MAX) {
		y->overflow = 1;
		return;
	}
	h = &y->items[y->n++];
	h->date = date;
	h->kind = kind;
	h->local_name = local_name;
	h->english_name = english_name;
	h->provisional = provisional;
}

void cp_year_sort(cp_year *y)
{
	/* insertion sort: a year has a few dozen entries at most */
	for (size_t i = 1; i < y->n; i++) {
		coplan_holiday h = y->items[i];
		size_t j = i;

		while (j > 0 && y->items[j - 1].date > h.date) {
			y->items[j] = y->items[j - 1];
			j--;
		}
		y->items[j] = h;
	}
}

cp_holiday_rules cp_holidays_rules(const char *nation, cp_holiday_region_check *check)
{
	static const struct {
		const char *nation;
		cp_holiday_rules rules;
		cp_holiday_region_check check;
	} table[] = {
		{ "GBR", cp_holidays_gbr, cp_holidays_gbr_region },
		{ "ITA", cp_holidays_ita, cp_holidays_ita_region },
		{ "JPN", cp_holidays_jpn, cp_holidays_jpn_region },
	};

	if (!nation)
		return NULL;
	for (size_t i = 0; i < CP_ARRAY_SIZE(table); i++) {
		if (cp_strcaseeq(nation, table[i].nation)) {
			if (check)
				*check = table[i].check;
			return table[i].rules;
		}
	}
	return NULL;
}

int coplan_holidays_about(coplan_holiday_about *out, const char *nation)
{
	static const coplan_holiday_about about[] = {
		{ "GBR", CP_HOLIDAYS_GBR_CHECKED,
		  "Banking and Financial Dealings Act 1971, Schedule 1\n"
		  "royal proclamations under its section 1(3): New Year's Day (E&W, NI) from 1974, "
		  "Early May from 1978, substitute days, VE Day moves 1995 and 2020, jubilee moves of "
		  "the Spring bank holiday 2002, 2012, 2022\n"
		  "one-off days by proclamation: 1977, 1981, 1999, 2002, 2011, 2012, 2022 (two), 2023; "
		  "none proclaimed since\n"
		  "St Andrew's Day Bank Holiday (Scotland) Act 2007\n"
		  "common law: Good Friday, Christmas Day", 0 },
		{ "ITA", CP_HOLIDAYS_ITA_CHECKED,
		  "Legge 27 maggio 1949, n. 260\n"
		  "Legge 5 marzo 1977, n. 54\n"
		  "D.P.R. 28 dicembre 1985, n. 792 (Epiphany from 1986; Rome's 29 June)\n"
		  "Legge 20 novembre 2000, n. 336 (2 June from 2001)\n"
		  "D.L. 22 febbraio 2011, n. 5, converted by Legge 21 aprile 2011, n. 47 "
		  "(17 March 2011)\n"
		  "Legge 8 ottobre 2025, n. 151 (4 October, St Francis of Assisi, from 2026)", 0 },
		{ "JPN", CP_HOLIDAYS_JPN_CHECKED,
		  "国民の祝日に関する法律 (Act No. 178 of 1948) as amended, to the Olympic moves of "
		  "2020 and 2021 (Acts No. 55 of 2018 and No. 68 of 2020)\n"
		  "Cabinet Office announcements of the equinox days (暦要項, National Astronomical "
		  "Observatory of Japan), each February for the next year",
		  CP_JPN_EQUINOX_ANNOUNCED_THROUGH },
	};

	for (size_t i = 0; nation && i < CP_ARRAY_SIZE(about); i++) {
		if (cp_strcaseeq(nation, about[i].nation)) {
			*out = about[i];
			return 0;
		}
	}
	return cp_error(COPLAN_ENOTFOUND, "no built-in holiday rules for '%s' (expected GBR, ITA "
	                "or JPN; other nations' holidays come from their iCalendar feeds)",
	                nation ? nation : "");
}

static int unknown_nation(const char *nation)
{
	return cp_error(COPLAN_ENOTFOUND,
	                "unknown nation '%s' (expected ISO 3166-1 alpha-3 with built-in holidays: "
	                "GBR, ITA or JPN)", nation ? nation : "");
}

static int year_out_of_range(int year)
{
	return cp_error(COPLAN_ERANGE, "year %d outside the holiday rules' years %d-%d", year,
	                COPLAN_HOLIDAY_FIRST_YEAR, COPLAN_HOLIDAY_LAST_YEAR);
}

/* Check nation and region; *rules gets the nation's rules. */
static int lookup(cp_holiday_rules *rules, const char *nation, const char *region)
{
	cp_holiday_region_check check = NULL;
	int rc;

	*rules = cp_holidays_rules(nation, &check);
	if (!*rules)
		return unknown_nation(nation);
	if (region && (rc = check(region)) != 0)
		return rc;
	return 0;
}

static int run_rules(cp_year *y, cp_holiday_rules rules, const char *nation,
                     const char *region, int year)
{
	y->n = 0;
	y->overflow = 0;
	rules(y, region, year);
	if (y->overflow)
		return cp_error(COPLAN_ERROR, "more than %d holidays in %s %d (a bug in the rules)",
		                CP_YEAR_HOLIDAYS_MAX, nation, year);
	cp_year_sort(y);
	return 0;
}

int cp_holidays_year(cp_year *y, const char *nation, const char *region, int year)
{
	cp_holiday_rules rules;
	int rc;

	if ((rc = lookup(&rules, nation, region)) != 0)
		return rc;
	if (year < COPLAN_HOLIDAY_FIRST_YEAR || year > COPLAN_HOLIDAY_LAST_YEAR)
		return year_out_of_range(year);
	return run_rules(y, rules, nation, region, year);
}

/* --- public: holiday lists --- */

const char *coplan_holiday_kind_name(coplan_holiday_kind kind)
{
	switch (kind) {
	case COPLAN_HOLIDAY_PUBLIC: return "public";
	case COPLAN_HOLIDAY_SUBSTITUTE: return "substitute";
	case COPLAN_HOLIDAY_CITIZENS: return "citizens";
	case COPLAN_HOLIDAY_ONE_OFF: return "one-off";
	case COPLAN_HOLIDAY_REGIONAL: return "regional";
	case COPLAN_HOLIDAY_IMPORTED: return "imported";
	}
	return "unknown";
}

int coplan_holidays_builtin(const char *nation)
{
	return cp_holidays_rules(nation, NULL) != NULL;
}

int coplan_holidays_list(coplan_holiday **out, size_t *n, const char *nation,
                         const char *region, int year)
{
	cp_year y;
	coplan_holiday *list;
	int rc;

	if ((rc = cp_holidays_year(&y, nation, region, year)) != 0)
		return rc;
	list = malloc((y.n ? y.n : 1) * sizeof(*list));
	if (!list)
		return cp_error(COPLAN_ENOMEM, "out of memory listing the holidays of %s %d",
		                nation, year);
	memcpy(list, y.items, y.n * sizeof(*list));
	*out = list;
	*n = y.n;
	return 0;
}

/* --- the calendar object --- */

/* A holiday added with coplan_calendar_add_holiday(): it owns copies of its names. */
typedef struct cp_added {
	coplan_holiday h;       /* first, so &added->h is what callers see */
	struct cp_added *next;  /* every added holiday, for coplan_calendar_free() */
} cp_added;

struct coplan_calendar {
	char *nation;
	unsigned weekend;             /* COPLAN_WEEKDAY_BIT()s of the nation's weekend */
	int first_year, last_year;
	coplan_date first;            /* 1 January of first_year */
	uint32_t ndays;               /* days from first to 31 December of last_year */
	uint64_t *off;                /* bit i set: day first + i is not a working day */
	uint64_t *hol;                /* bit i set: day first + i has a holiday */
	coplan_holiday *builtin;      /* the rules' holidays, sorted by date */
	size_t n_builtin;
	const coplan_holiday **by_date; /* every holiday, sorted by date, for lookups */
	size_t n, cap;
	cp_added *added;
};

static int bit_get(const uint64_t *bits, uint32_t i)
{
	return (int)((bits[i >> 6] >> (i & 63)) & 1u);
}

static void bit_set(uint64_t *bits, uint32_t i)
{
	bits[i >> 6] |= (uint64_t)1 << (i & 63);
}

/* Day index of date in cal, or -1 when outside its years. */
static int64_t day_index(const coplan_calendar *cal, coplan_date date)
{
	int64_t i = (int64_t)date - (int64_t)cal->first;

	return (i >= 0 && i < (int64_t)cal->ndays) ? i : -1;
}

void coplan_calendar_free(coplan_calendar *cal)
{
	cp_added *a, *next;

	if (!cal)
		return;
	for (a = cal->added; a; a = next) {
		next = a->next;
		free((char *)a->h.local_name);
		free((char *)a->h.english_name);
		free(a);
	}
	free(cal->by_date);
	free(cal->builtin);
	free(cal->hol);
	free(cal->off);
	free(cal->nation);
	free(cal);
}

/* Set the off bit of every day of the weekend (holidays' off bits are set apart). */
static void mark_weekend(coplan_calendar *cal)
{
	int wd = coplan_date_weekday(cal->first);

	for (uint32_t i = 0; i < cal->ndays; i++) {
		if (cal->weekend & COPLAN_WEEKDAY_BIT(wd))
			bit_set(cal->off, i);
		wd = wd == 7 ? 1 : wd + 1;
	}
}

static int calendar_oom(coplan_calendar *cal)
{
	coplan_calendar_free(cal);
	return cp_error(COPLAN_ENOMEM, "out of memory building a calendar");
}

int coplan_calendar_new(coplan_calendar **out, const char *nation, const char *region,
                        int first_year, int last_year)
{
	coplan_calendar *cal;
	cp_holiday_rules rules = NULL;
	size_t words, cap_builtin = 0;
	int rc;

	if (!nation || !*nation)
		return cp_error(COPLAN_EINVALID, "missing nation for a calendar");
	if (first_year < COPLAN_HOLIDAY_FIRST_YEAR || last_year > COPLAN_HOLIDAY_LAST_YEAR ||
	    first_year > last_year)
		return cp_error(COPLAN_ERANGE, "calendar years %d-%d outside %d-%d or reversed",
		                first_year, last_year, COPLAN_HOLIDAY_FIRST_YEAR,
		                COPLAN_HOLIDAY_LAST_YEAR);
	if (coplan_holidays_builtin(nation) && (rc = lookup(&rules, nation, region)) != 0)
		return rc;

	cal = calloc(1, sizeof(*cal));
	if (!cal)
		return calendar_oom(NULL);
	cal->nation = cp_strdup(nation);
	if (!cal->nation)
		return calendar_oom(cal);
	for (char *p = cal->nation; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	cal->first_year = first_year;
	cal->last_year = last_year;
	cal->first = coplan_date_from_ymd(first_year, 1, 1);
	cal->ndays = (uint32_t)(coplan_date_from_ymd(last_year + 1, 1, 1) - cal->first);
	words = (cal->ndays + 63) / 64;
	cal->off = calloc(words, sizeof(uint64_t));
	cal->hol = calloc(words, sizeof(uint64_t));
	if (!cal->off || !cal->hol)
		return calendar_oom(cal);

	/* the nation's weekend from CLDR; a code that is no nation gets the world's */
	rc = coplan_weekend_of(&cal->weekend, cal->nation);
	if (rc == COPLAN_ENOTFOUND)
		rc = coplan_weekend_of(&cal->weekend, "001");
	if (rc) {
		coplan_calendar_free(cal);
		return rc;
	}
	mark_weekend(cal);

	if (rules) {
		for (int year = first_year; year <= last_year; year++) {
			cp_year y;

			if ((rc = run_rules(&y, rules, cal->nation, region, year)) != 0) {
				coplan_calendar_free(cal);
				return rc;
			}
			if (cp_grow((void **)&cal->builtin, &cap_builtin, cal->n_builtin + y.n,
			            sizeof(coplan_holiday)))
				return calendar_oom(cal);
			memcpy(cal->builtin + cal->n_builtin, y.items, y.n * sizeof(coplan_holiday));
			cal->n_builtin += y.n;
		}
	}
	if (cp_grow((void **)&cal->by_date, &cal->cap, cal->n_builtin ? cal->n_builtin : 1,
	            sizeof(*cal->by_date)))
		return calendar_oom(cal);
	for (size_t i = 0; i < cal->n_builtin; i++) {
		uint32_t d = (uint32_t)(cal->builtin[i].date - cal->first);

		bit_set(cal->off, d);
		bit_set(cal->hol, d);
		cal->by_date[i] = &cal->builtin[i];
	}
	cal->n = cal->n_builtin;
	*out = cal;
	return 0;
}

const char *coplan_calendar_nation(const coplan_calendar *cal)
{
	return cal->nation;
}

/* Index in by_date of the first holiday on or after date. */
static size_t lower_bound(const coplan_calendar *cal, coplan_date date)
{
	size_t lo = 0, hi = cal->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cal->by_date[mid]->date < date)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int coplan_calendar_add_holiday(coplan_calendar *cal, coplan_date date,
                                const char *local_name, const char *english_name,
                                coplan_holiday_kind kind)
{
	int64_t i = day_index(cal, date);
	cp_added *a;
	size_t at;

	if (i < 0)
		return 0;
	if (bit_get(cal->hol, (uint32_t)i)) {
		/* one holiday a day: the first known (the law's, or the first added) is kept */
		return 0;
	}
	if (cp_grow((void **)&cal->by_date, &cal->cap, cal->n + 1, sizeof(*cal->by_date)))
		return cp_error(COPLAN_ENOMEM, "out of memory adding a holiday");
	a = calloc(1, sizeof(*a));
	if (!a)
		return cp_error(COPLAN_ENOMEM, "out of memory adding a holiday");
	a->h.date = date;
	a->h.kind = kind;
	a->h.local_name = cp_strdup(local_name ? local_name : "");
	a->h.english_name = cp_strdup(english_name ? english_name : (local_name ? local_name : ""));
	if (!a->h.local_name || !a->h.english_name) {
		free((char *)a->h.local_name);
		free((char *)a->h.english_name);
		free(a);
		return cp_error(COPLAN_ENOMEM, "out of memory adding a holiday");
	}
	a->next = cal->added;
	cal->added = a;
	at = lower_bound(cal, date);
	memmove(cal->by_date + at + 1, cal->by_date + at, (cal->n - at) * sizeof(*cal->by_date));
	cal->by_date[at] = &a->h;
	cal->n++;
	bit_set(cal->off, (uint32_t)i);
	bit_set(cal->hol, (uint32_t)i);
	return 0;
}

int coplan_calendar_set_weekend(coplan_calendar *cal, unsigned days)
{
	size_t words = (cal->ndays + 63) / 64;

	if (days & ~COPLAN_WEEKEND_ALL)
		return cp_error(COPLAN_EINVALID, "weekend mask 0x%x names no weekday", days);
	if (days == COPLAN_WEEKEND_ALL)
		return cp_error(COPLAN_EINVALID, "a weekend of every day leaves %s no working day",
		                cal->nation);
	/* a day is off when it has a holiday or falls in the (new) weekend */
	memcpy(cal->off, cal->hol, words * sizeof(uint64_t));
	cal->weekend = days;
	mark_weekend(cal);
	return 0;
}

unsigned coplan_calendar_weekend(const coplan_calendar *cal)
{
	return cal->weekend;
}

int coplan_calendar_is_working_day(const coplan_calendar *cal, coplan_date date)
{
	uint64_t i = (uint64_t)((int64_t)date - (int64_t)cal->first);

	if (i < cal->ndays)
		return !bit_get(cal->off, (uint32_t)i);
	return date != COPLAN_DATE_NONE &&
	       !(cal->weekend & COPLAN_WEEKDAY_BIT(coplan_date_weekday(date)));
}

const coplan_holiday *coplan_calendar_holiday(const coplan_calendar *cal, coplan_date date)
{
	int64_t i = day_index(cal, date);
	size_t at;

	if (i < 0 || !bit_get(cal->hol, (uint32_t)i))
		return NULL;
	at = lower_bound(cal, date);
	return at < cal->n && cal->by_date[at]->date == date ? cal->by_date[at] : NULL;
}

coplan_date coplan_calendar_add_working_days(const coplan_calendar *cal, coplan_date date, int n)
{
	coplan_date last = cal->first + (coplan_date)cal->ndays - 1;
	coplan_date d = date;

	if (date == COPLAN_DATE_NONE || n < 0 || date > last)
		return COPLAN_DATE_NONE;
	while (!coplan_calendar_is_working_day(cal, d)) {
		if (++d > last)
			return COPLAN_DATE_NONE;
	}
	while (n > 0) {
		if (++d > last)
			return COPLAN_DATE_NONE;
		if (coplan_calendar_is_working_day(cal, d))
			n--;
	}
	return d;
}

int coplan_calendars_common_days(coplan_date **out, size_t *count, coplan_calendar *const *cals,
                                 size_t n, coplan_date from, coplan_date to)
{
	coplan_date *days = NULL;
	size_t k = 0;

	*out = NULL;
	*count = 0;
	if (n == 0 || from == COPLAN_DATE_NONE || to == COPLAN_DATE_NONE || to < from)
		return cp_error(COPLAN_EUSAGE, "common working days: no calendar, or the period is reversed");
	if (!(days = malloc(((size_t)(to - from) + 1) * sizeof(*days))))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	for (coplan_date d = from; d <= to; d++) {
		int working = 1;

		for (size_t i = 0; i < n && working; i++)
			working = coplan_calendar_is_working_day(cals[i], d);
		if (working)
			days[k++] = d;
	}
	if (k == 0) {
		free(days);
		days = NULL;
	}
	*out = days;
	*count = k;
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* holidays.h - private: the per-nation holiday rules behind coplan_holidays_list() (prefix cp_). */
#ifndef COPLAN_HOLIDAYS_H
#define COPLAN_HOLIDAYS_H

#include <stddef.h>
#include "coplan/calendar.h"

/* No nation has more holidays than this in a year, whatever the region. */
#define CP_YEAR_HOLIDAYS_MAX 48

/*
 * The holidays of one nation-year, built on the stack without allocating
 * (building a calendar runs the rules for every year it covers).  Entries
 * are kept in the order added until cp_year_sort(); the names are static.
 */
typedef struct {
	coplan_holiday items[CP_YEAR_HOLIDAYS_MAX];
	size_t n;
	int overflow; /* set when an add did not fit: a bug in a rule */
} cp_year;

/*
 * Add a holiday; a date that already has one keeps the first (the rules add
 * in the order of the law, so "the first in law" wins).
 */
void cp_year_add(cp_year *y, coplan_date date, coplan_holiday_kind kind,
                 const char *local_name, const char *english_name, int provisional);

/* The holiday on date in y, or NULL. */
coplan_holiday *cp_year_find(cp_year *y, coplan_date date);

/* Sort by date (stable: there are no duplicates after cp_year_add). */
void cp_year_sort(cp_year *y);

/*
 * One nation's rules: fill y (empty on entry) with the holidays of year for
 * region (NULL for the nation's default).  year lies in
 * COPLAN_HOLIDAY_FIRST_YEAR..COPLAN_HOLIDAY_LAST_YEAR (checked by the
 * caller); the region was accepted by the nation's cp_holidays_*_region().
 * The entries need not be sorted.
 */
typedef void (*cp_holiday_rules)(cp_year *y, const char *region, int year);

/*
 * A nation's region check: 0 if region (not NULL) is known, else
 * COPLAN_ENOTFOUND with the last error set naming it and the choices.
 */
typedef int (*cp_holiday_region_check)(const char *region);

void cp_holidays_jpn(cp_year *y, const char *region, int year);
int cp_holidays_jpn_region(const char *region);
void cp_holidays_ita(cp_year *y, const char *region, int year);
int cp_holidays_ita_region(const char *region);
void cp_holidays_gbr(cp_year *y, const char *region, int year);
int cp_holidays_gbr_region(const char *region);

/*
 * The day each nation's rules were last checked against its law and official
 * announcements (ISO 8601), and the last year of Japanese equinox days the
 * Cabinet Office has announced (each February for the next year).
 */
#define CP_HOLIDAYS_ITA_CHECKED "2026-11-30"
#define CP_HOLIDAYS_JPN_CHECKED "2026-11-30"
#define CP_HOLIDAYS_GBR_CHECKED "2026-11-30"
#define CP_JPN_EQUINOX_ANNOUNCED_THROUGH 2027

/* The rules of a built-in nation (ISO 3166-1 alpha-3, any case), or NULL. */
cp_holiday_rules cp_holidays_rules(const char *nation, cp_holiday_region_check *check);

/*
 * Fill y with the sorted holidays of nation/region in year, checking all
 * three.  Errors: COPLAN_ENOTFOUND (nation, region), COPLAN_ERANGE (year),
 * COPLAN_ERROR (a rule overflowed CP_YEAR_HOLIDAYS_MAX).
 */
int cp_holidays_year(cp_year *y, const char *nation, const char *region, int year);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* holidays_gbr.c - the United Kingdom's bank and public holidays by region, 1970-2099. */
#include <stddef.h>

#include "coplan/calendar.h"
#include "common.h"
#include "holidays.h"

/*
 * Sources: Banking and Financial Dealings Act 1971, Schedule 1 (bank
 * holidays of England and Wales, Scotland and Northern Ireland) and the
 * royal proclamations made under its section 1(3) each year (New Year's Day
 * in England, Wales and Northern Ireland from 1974, Boxing Day in Scotland
 * from 1974, the Early May bank holiday from 1978, the Spring bank holiday
 * in Scotland, the substitute days and the one-off days); Good Friday and
 * Christmas Day are common-law holidays; St Andrew's Day Bank Holiday
 * (Scotland) Act 2007.  A day that falls on a Saturday or Sunday gets a
 * substitute day, the next weekday that is not already a holiday.
 */

enum { ENG = 1, SCT = 2, NIR = 4, ALL = ENG | SCT | NIR };

static int gbr_region(const char *region)
{
	if (!region || cp_strcaseeq(region, "ENG") || cp_strcaseeq(region, "WLS"))
		return ENG;
	if (cp_strcaseeq(region, "SCT"))
		return SCT;
	if (cp_strcaseeq(region, "NIR"))
		return NIR;
	return 0;
}

int cp_holidays_gbr_region(const char *region)
{
	if (gbr_region(region))
		return 0;
	return cp_error(COPLAN_ENOTFOUND,
	                "unknown region '%s' for GBR (expected ENG for England and Wales, "
	                "SCT or NIR)", region);
}

/* The days fixed by date, which get a substitute day when on a weekend. */
typedef struct {
	int month, day, regions, from_year;
	const char *name, *substitute_name;
} gbr_fixed;

static const gbr_fixed gbr_fixed_days[] = {
	/* E&W and NI by proclamation from 1974; Scotland: 1971 Act Sch. 1 para 2 */
	{ 1, 1, ENG | NIR, 1974, "New Year's Day", "New Year's Day (substitute day)" },
	{ 1, 1, SCT, 1970, "New Year's Day", "New Year's Day (substitute day)" },
	{ 1, 2, SCT, 1970, "2nd January", "2nd January (substitute day)" },
	/* 1971 Act Sch. 1 para 3 */
	{ 3, 17, NIR, 1970, "St Patrick's Day", "St Patrick's Day (substitute day)" },
	/* by proclamation each year */
	{ 7, 12, NIR, 1970, "Battle of the Boyne (Orangemen's Day)",
	  "Battle of the Boyne (substitute day)" },
	/* St Andrew's Day Bank Holiday (Scotland) Act 2007 */
	{ 11, 30, SCT, 2007, "St Andrew's Day", "St Andrew's Day (substitute day)" },
	/* common law (Christmas) and 1971 Act Sch. 1 (Boxing Day; Scotland from 1974) */
	{ 12, 25, ALL, 1970, "Christmas Day", "Christmas Day (substitute day)" },
	{ 12, 26, ENG | NIR, 1970, "Boxing Day", "Boxing Day (substitute day)" },
	{ 12, 26, SCT, 1974, "Boxing Day", "Boxing Day (substitute day)" },
};

/* One-off days by royal proclamation, for the whole United Kingdom. */
static const struct {
	int year, month, day;
	const char *name;
} gbr_one_off[] = {
	{ 1977, 6, 7, "Silver Jubilee of Elizabeth II" },
	{ 1981, 7, 29, "Wedding of Prince Charles and Lady Diana Spencer" },
	{ 1999, 12, 31, "Millennium Celebrations" },
	{ 2002, 6, 3, "Golden Jubilee of Elizabeth II" },
	{ 2011, 4, 29, "Wedding of Prince William and Catherine Middleton" },
	{ 2012, 6, 5, "Diamond Jubilee of Elizabeth II" },
	{ 2022, 6, 3, "Platinum Jubilee of Elizabeth II" },
	{ 2022, 9, 19, "State Funeral of Queen Elizabeth II" },
	{ 2023, 5, 8, "Coronation of King Charles III" },
};

static coplan_date spring_bank_holiday(int year)
{
	/* moved by proclamation for the jubilees: 2002 and 2012 to 4 June, 2022 to 2 June */
	switch (year) {
	case 2002: return coplan_date_from_ymd(2002, 6, 4);
	case 2012: return coplan_date_from_ymd(2012, 6, 4);
	case 2022: return coplan_date_from_ymd(2022, 6, 2);
	}
	return coplan_date_nth_weekday(year, 5, 1, -1);
}

void cp_holidays_gbr(cp_year *y, const char *region, int year)
{
	const coplan_holiday_kind P = COPLAN_HOLIDAY_PUBLIC;
	int r = gbr_region(region);
	coplan_date easter = coplan_date_easter(year);

	for (size_t i = 0; i < CP_ARRAY_SIZE(gbr_fixed_days); i++) {
		const gbr_fixed *f = &gbr_fixed_days[i];

		if ((f->regions & r) && year >= f->from_year && f->month <= 3)
			cp_year_add(y, coplan_date_from_ymd(year, f->month, f->day), P, f->name,
			            f->name, 0);
	}
	cp_year_add(y, easter - 2, P, "Good Friday", "Good Friday", 0);
	if (r != SCT)
		cp_year_add(y, easter + 1, P, "Easter Monday", "Easter Monday", 0);
	/*
	 * First Monday of May: Scotland under the 1971 Act; England, Wales and
	 * Northern Ireland by proclamation from 1978; moved to Monday 8 May 1995
	 * and Friday 8 May 2020 for the anniversaries of VE Day.
	 */
	if (r == SCT || year >= 1978) {
		if (year == 1995 || year == 2020)
			cp_year_add(y, coplan_date_from_ymd(year, 5, 8), P,
			            "Early May bank holiday (VE Day)", "Early May bank holiday (VE Day)", 0);
		else
			cp_year_add(y, coplan_date_nth_weekday(year, 5, 1, 1), P,
			            "Early May bank holiday", "Early May bank holiday", 0);
	}
	/* last Monday of May: 1971 Act (E&W, NI), proclamation (Scotland) */
	cp_year_add(y, spring_bank_holiday(year), P, "Spring bank holiday", "Spring bank holiday", 0);
	/* 1971 Act Sch. 1: first Monday of August in Scotland, last Monday elsewhere */
	cp_year_add(y, coplan_date_nth_weekday(year, 8, 1, r == SCT ? 1 : -1), P,
	            "Summer bank holiday", "Summer bank holiday", 0);
	for (size_t i = 0; i < CP_ARRAY_SIZE(gbr_fixed_days); i++) {
		const gbr_fixed *f = &gbr_fixed_days[i];

		if ((f->regions & r) && year >= f->from_year && f->month > 3)
			cp_year_add(y, coplan_date_from_ymd(year, f->month, f->day), P, f->name,
			            f->name, 0);
	}
	for (size_t i = 0; i < CP_ARRAY_SIZE(gbr_one_off); i++)
		if (gbr_one_off[i].year == year)
			cp_year_add(y, coplan_date_from_ymd(year, gbr_one_off[i].month,
			                                     gbr_one_off[i].day),
			            COPLAN_HOLIDAY_ONE_OFF, gbr_one_off[i].name, gbr_one_off[i].name, 0);

	/* substitute days, in date order so that 25/26 December on a weekend give 27 and 28 */
	for (size_t i = 0; i < CP_ARRAY_SIZE(gbr_fixed_days); i++) {
		const gbr_fixed *f = &gbr_fixed_days[i];
		coplan_date d = coplan_date_from_ymd(year, f->month, f->day);

		if (!(f->regions & r) || year < f->from_year || coplan_date_weekday(d) < 6)
			continue;
		do
			d++;
		while (coplan_date_weekday(d) >= 6 || cp_year_find(y, d));
		cp_year_add(y, d, COPLAN_HOLIDAY_SUBSTITUTE, f->substitute_name, f->substitute_name, 0);
	}
}

/* SPDX-License-Identifier: Apache-2.0 */
/* holidays_jpn.c - Japan's national holidays (国民の祝日) and rest days (休日), 1970-2099. */
#include "coplan/calendar.h"
#include "common.h"
#include "holidays.h"

/*
 * Source: 国民の祝日に関する法律 (Act on National Holidays, Act No. 178 of
 * 1948) as amended; the amendment for each rule is named beside it.  The
 * equinox days are not fixed by the Act ("春分日", "秋分日"): the Cabinet
 * Office fixes them each February for the next year from the National
 * Astronomical Observatory's ephemeris (暦要項).  coplan computes them with
 * the usual approximation formula and marks the years after the latest
 * announcement coplan knows as provisional.
 */

/*
 * Equinox days are provisional after this year: the last year announced (the
 * Cabinet Office's announcement of February 2026 fixed 2027's days:
 * 春分日 21 March, 秋分日 23 September; see docs).
 */
#define JPN_EQUINOX_ANNOUNCED_THROUGH CP_JPN_EQUINOX_ANNOUNCED_THROUGH

static int floordiv(int a, int b)
{
	return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

/*
 * The day of March (vernal) or September (autumnal) of the equinox in year,
 * by the usual approximation: int(base + 0.242194 (y - 1980) - int(leaps)),
 * where leaps is (y - 1980) / 4 from 1980 and (y - 1983) / 4 before, computed
 * in millionths of a day so that no rounding of binary floating point can
 * move a day; valid 1900-2099.
 */
static int equinox_day(int year, int autumnal)
{
	long base, y = year - 1980;
	int leaps;

	if (year < 1980) {
		base = autumnal ? 23258800 : 20835700;
		/* the formula's int() truncates toward zero here, a quotient below 0 */
		leaps = (year - 1983) / 4;
	} else {
		base = autumnal ? 23248800 : 20843100;
		leaps = floordiv(year - 1980, 4);
	}
	return floordiv((int)(base + 242194 * y), 1000000) - leaps;
}

int cp_holidays_jpn_region(const char *region)
{
	return cp_error(COPLAN_ENOTFOUND,
	                "unknown region '%s' for JPN (Japan's national holidays have no regions)",
	                region);
}

/* One-off days, each by its own act; all are national holidays for the Act's rest-day rules. */
static const struct {
	int year, month, day;
	const char *local, *english;
} jpn_one_off[] = {
	/* Act No. 4 of 1989 (昭和天皇の大喪の礼の行われる日を休日とする法律) */
	{ 1989, 2, 24, "昭和天皇の大喪の礼", "State Funeral of Emperor Showa" },
	/* Act No. 24 of 1990 (即位礼正殿の儀の行われる日を休日とする法律) */
	{ 1990, 11, 12, "即位礼正殿の儀", "Enthronement Ceremony" },
	/* Act No. 32 of 1993 (皇太子徳仁親王の結婚の儀の行われる日を休日とする法律) */
	{ 1993, 6, 9, "皇太子徳仁親王の結婚の儀", "Wedding of Crown Prince Naruhito" },
	/*
	 * Act No. 99 of 2018 (天皇の即位の日及び即位礼正殿の儀の行われる日を休日とする
	 * 法律): both days count as national holidays for the Act's article 3,
	 * which makes 30 April and 2 May 2019 citizens' holidays.
	 */
	{ 2019, 5, 1, "天皇の即位の日", "Emperor's Accession Day" },
	{ 2019, 10, 22, "即位礼正殿の儀の行われる日", "Enthronement Ceremony Day" },
};

static int is_national(cp_year *y, coplan_date d)
{
	coplan_holiday *h = cp_year_find(y, d);

	return h && (h->kind == COPLAN_HOLIDAY_PUBLIC || h->kind == COPLAN_HOLIDAY_ONE_OFF);
}

void cp_holidays_jpn(cp_year *y, const char *region, int year)
{
	const coplan_holiday_kind P = COPLAN_HOLIDAY_PUBLIC;
	int prov = year > JPN_EQUINOX_ANNOUNCED_THROUGH;
	coplan_date substitute_from = coplan_date_from_ymd(1973, 4, 12);
	coplan_date citizens_from = coplan_date_from_ymd(1985, 12, 27);
	size_t n_national;

	(void)region;
#define D(m, d) coplan_date_from_ymd(year, (m), (d))
#define NTH_MONDAY(m, n) coplan_date_nth_weekday(year, (m), 1, (n))

	/* Act No. 178 of 1948, art. 2, in the order of the law */
	cp_year_add(y, D(1, 1), P, "元日", "New Year's Day", 0);
	/* 15 January; the 2nd Monday from 2000 (Act No. 141 of 1998, "Happy Monday") */
	cp_year_add(y, year < 2000 ? D(1, 15) : NTH_MONDAY(1, 2), P, "成人の日",
	            "Coming of Age Day", 0);
	/* from 1967 by Cabinet Order No. 376 of 1966 under Act No. 86 of 1966 */
	cp_year_add(y, D(2, 11), P, "建国記念の日", "National Foundation Day", 0);
	/*
	 * Emperor's Birthday: 23 February from 2020 (Act No. 63 of 2017, the
	 * abdication special measures act, supplementary provisions); none in 2019.
	 */
	if (year >= 2020)
		cp_year_add(y, D(2, 23), P, "天皇誕生日", "Emperor's Birthday", 0);
	cp_year_add(y, D(3, equinox_day(year, 0)), P, "春分の日", "Vernal Equinox Day", prov);
	/* 29 April: Emperor Showa's birthday to 1988, Greenery Day 1989-2006 (Act No. 5 of
	 * 1989), Showa Day from 2007 (Act No. 43 of 2005) */
	if (year <= 1988)
		cp_year_add(y, D(4, 29), P, "天皇誕生日", "Emperor's Birthday", 0);
	else if (year <= 2006)
		cp_year_add(y, D(4, 29), P, "みどりの日", "Greenery Day", 0);
	else
		cp_year_add(y, D(4, 29), P, "昭和の日", "Showa Day", 0);
	cp_year_add(y, D(5, 3), P, "憲法記念日", "Constitution Memorial Day", 0);
	/* Greenery Day moved to 4 May from 2007 (Act No. 43 of 2005) */
	if (year >= 2007)
		cp_year_add(y, D(5, 4), P, "みどりの日", "Greenery Day", 0);
	cp_year_add(y, D(5, 5), P, "こどもの日", "Children's Day", 0);
	/*
	 * Marine Day: 20 July from 1996 (Act No. 22 of 1995); 3rd Monday of July
	 * from 2003 (Act No. 59 of 2001); moved for the Tokyo Olympics to 23 July
	 * 2020 (Act No. 55 of 2018) and 22 July 2021 (Act No. 68 of 2020), both
	 * amending the Olympic special measures act (Act No. 33 of 2015).
	 */
	if (year == 2020)
		cp_year_add(y, D(7, 23), P, "海の日", "Marine Day", 0);
	else if (year == 2021)
		cp_year_add(y, D(7, 22), P, "海の日", "Marine Day", 0);
	else if (year >= 2003)
		cp_year_add(y, NTH_MONDAY(7, 3), P, "海の日", "Marine Day", 0);
	else if (year >= 1996)
		cp_year_add(y, D(7, 20), P, "海の日", "Marine Day", 0);
	/* Mountain Day: 11 August from 2016 (Act No. 43 of 2014); Olympic moves as above */
	if (year == 2020)
		cp_year_add(y, D(8, 10), P, "山の日", "Mountain Day", 0);
	else if (year == 2021)
		cp_year_add(y, D(8, 8), P, "山の日", "Mountain Day", 0);
	else if (year >= 2016)
		cp_year_add(y, D(8, 11), P, "山の日", "Mountain Day", 0);
	/* Respect for the Aged Day: 15 September; 3rd Monday from 2003 (Act No. 59 of 2001) */
	cp_year_add(y, year < 2003 ? D(9, 15) : NTH_MONDAY(9, 3), P, "敬老の日",
	            "Respect for the Aged Day", 0);
	cp_year_add(y, D(9, equinox_day(year, 1)), P, "秋分の日", "Autumnal Equinox Day", prov);
	/*
	 * Health and Sports Day: 10 October (Act No. 86 of 1966); 2nd Monday from
	 * 2000 (Act No. 141 of 1998); renamed Sports Day from 2020 (Act No. 57 of
	 * 2018); Olympic moves to 24 July 2020 and 23 July 2021 as Marine Day's.
	 */
	if (year == 2020)
		cp_year_add(y, D(7, 24), P, "スポーツの日", "Sports Day", 0);
	else if (year == 2021)
		cp_year_add(y, D(7, 23), P, "スポーツの日", "Sports Day", 0);
	else if (year >= 2020)
		cp_year_add(y, NTH_MONDAY(10, 2), P, "スポーツの日", "Sports Day", 0);
	else
		cp_year_add(y, year < 2000 ? D(10, 10) : NTH_MONDAY(10, 2), P, "体育の日",
		            "Health and Sports Day", 0);
	cp_year_add(y, D(11, 3), P, "文化の日", "Culture Day", 0);
	cp_year_add(y, D(11, 23), P, "勤労感謝の日", "Labour Thanksgiving Day", 0);
	/* Emperor's Birthday 23 December 1989-2018 (Act No. 5 of 1989) */
	if (year >= 1989 && year <= 2018)
		cp_year_add(y, D(12, 23), P, "天皇誕生日", "Emperor's Birthday", 0);
	for (size_t i = 0; i < CP_ARRAY_SIZE(jpn_one_off); i++)
		if (jpn_one_off[i].year == year)
			cp_year_add(y, D(jpn_one_off[i].month, jpn_one_off[i].day),
			            COPLAN_HOLIDAY_ONE_OFF, jpn_one_off[i].local,
			            jpn_one_off[i].english, 0);
#undef D
#undef NTH_MONDAY

	cp_year_sort(y);
	n_national = y->n;

	/*
	 * 振替休日, art. 3(2).  From 12 April 1973 (Act No. 10 of 1973): a national
	 * holiday on a Sunday makes the next day a rest day.  From 2007 (Act No.
	 * 43 of 2005): the nearest following day that is not a national holiday.
	 */
	for (size_t i = 0; i < n_national; i++) {
		coplan_holiday h = y->items[i];
		coplan_date d = h.date + 1;

		if (coplan_date_weekday(h.date) != 7 || h.date < substitute_from)
			continue;
		if (year >= 2007) {
			while (is_national(y, d))
				d++;
		} else if (is_national(y, d)) {
			continue;
		}
		cp_year_add(y, d, COPLAN_HOLIDAY_SUBSTITUTE, "振替休日", "Substitute Holiday",
		            h.provisional);
	}

	/*
	 * 国民の休日, art. 3(3), from 27 December 1985 (Act No. 103 of 1985; first
	 * 4 May 1988): a day whose day before and day after are national holidays
	 * is a rest day, unless it is a national holiday itself; until 2006 also
	 * unless it is a Sunday or a substitute holiday (the 2005 amendment kept
	 * only "not a national holiday").
	 */
	for (size_t i = 0; i < n_national; i++) {
		coplan_holiday h = y->items[i];
		coplan_date d = h.date + 1;
		coplan_holiday *next;

		if (d < citizens_from || !is_national(y, d + 1) || cp_year_find(y, d))
			continue;
		if (year < 2007 && coplan_date_weekday(d) == 7)
			continue;
		next = cp_year_find(y, d + 1);
		cp_year_add(y, d, COPLAN_HOLIDAY_CITIZENS, "国民の休日", "Citizens' Holiday",
		            h.provisional || next->provisional);
	}
}

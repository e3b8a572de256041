/* SPDX-License-Identifier: Apache-2.0 */
/* test_calendar.c - the holiday rules of JPN, ITA and GBR, and the calendar object. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "coplan/coplan.h"

static coplan_date iso(const char *text)
{
	coplan_date d = COPLAN_DATE_NONE;

	assert_int_equal(coplan_date_parse_iso(&d, text, (size_t)-1), 0);
	return d;
}

/* The holiday of nation/region on date from coplan_holidays_list(), copied; kind -1 if none. */
static coplan_holiday listed(const char *nation, const char *region, const char *date)
{
	coplan_date d = iso(date);
	coplan_holiday *list = NULL, found = { d, (coplan_holiday_kind)-1, NULL, NULL, 0 };
	size_t n = 0;

	assert_int_equal(coplan_holidays_list(&list, &n, nation, region, coplan_date_year(d)), 0);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			assert_true(list[i - 1].date < list[i].date); /* sorted, each once */
		if (list[i].date == d)
			found = list[i];
	}
	free(list);
	return found;
}

static void expect(const char *nation, const char *region, const char *date, int kind,
                   const char *local_name)
{
	coplan_holiday h = listed(nation, region, date);

	if ((int)h.kind != kind)
		fail_msg("%s %s %s: kind %d, expected %d", nation, region ? region : "", date,
		         (int)h.kind, kind);
	if (local_name)
		assert_string_equal(h.local_name, local_name);
}

#define HOL(nation, date, kind, name) expect(nation, NULL, date, COPLAN_HOLIDAY_##kind, name)
#define NONE(nation, date) expect(nation, NULL, date, -1, NULL)

static void japan_2024_substitutes(void **state)
{
	(void)state;
	HOL("JPN", "2024-02-11", PUBLIC, "建国記念の日");
	HOL("JPN", "2024-02-12", SUBSTITUTE, "振替休日");
	HOL("JPN", "2024-05-05", PUBLIC, "こどもの日");
	HOL("JPN", "2024-05-06", SUBSTITUTE, "振替休日");
	HOL("JPN", "2024-09-23", SUBSTITUTE, "振替休日");
	HOL("JPN", "2024-02-23", PUBLIC, "天皇誕生日");
	NONE("JPN", "2024-02-13");
	/* 2007 rule: next non-holiday (3 May 2015 Sunday; 4, 5 May holidays) */
	HOL("JPN", "2015-05-06", SUBSTITUTE, "振替休日");
	/* before 2007 the next day only, and citizens' holiday not on a Sunday */
	HOL("JPN", "1998-05-04", SUBSTITUTE, "振替休日");
	/* no substitute before 12 April 1973; the first after it */
	NONE("JPN", "1973-02-12");
	HOL("JPN", "1973-04-30", SUBSTITUTE, NULL);
	HOL("JPN", "1974-05-06", SUBSTITUTE, NULL);
	/* citizens' holidays */
	HOL("JPN", "1988-05-04", CITIZENS, "国民の休日");
	NONE("JPN", "1985-05-04"); /* a Saturday anyway, and before the 1985 amendment */
	HOL("JPN", "2009-09-22", CITIZENS, "国民の休日");
	HOL("JPN", "2026-09-22", CITIZENS, "国民の休日");
}

static void japan_2019_to_2021(void **state)
{
	(void)state;
	/* 2019: accession, no Emperor's Birthday */
	HOL("JPN", "2019-04-29", PUBLIC, "昭和の日");
	HOL("JPN", "2019-04-30", CITIZENS, "国民の休日");
	HOL("JPN", "2019-05-01", ONE_OFF, "天皇の即位の日");
	HOL("JPN", "2019-05-02", CITIZENS, "国民の休日");
	HOL("JPN", "2019-05-06", SUBSTITUTE, NULL);
	HOL("JPN", "2019-10-22", ONE_OFF, NULL);
	HOL("JPN", "2019-10-14", PUBLIC, "体育の日");
	NONE("JPN", "2019-12-23");
	NONE("JPN", "2019-02-23");
	HOL("JPN", "2018-12-23", PUBLIC, "天皇誕生日");
	HOL("JPN", "1988-04-29", PUBLIC, "天皇誕生日");
	HOL("JPN", "1989-04-29", PUBLIC, "みどりの日");
	HOL("JPN", "2007-05-04", PUBLIC, "みどりの日");
	HOL("JPN", "2007-04-29", PUBLIC, "昭和の日");
	/* 2020 and 2021 Olympic moves */
	HOL("JPN", "2020-07-23", PUBLIC, "海の日");
	HOL("JPN", "2020-07-24", PUBLIC, "スポーツの日");
	HOL("JPN", "2020-08-10", PUBLIC, "山の日");
	HOL("JPN", "2020-02-24", SUBSTITUTE, NULL);
	NONE("JPN", "2020-07-20");
	NONE("JPN", "2020-08-11");
	NONE("JPN", "2020-10-12");
	HOL("JPN", "2021-07-22", PUBLIC, "海の日");
	HOL("JPN", "2021-07-23", PUBLIC, "スポーツの日");
	HOL("JPN", "2021-08-08", PUBLIC, "山の日");
	HOL("JPN", "2021-08-09", SUBSTITUTE, "振替休日");
	NONE("JPN", "2021-07-19");
	NONE("JPN", "2021-08-11");
	NONE("JPN", "2021-10-11");
	HOL("JPN", "2022-10-10", PUBLIC, "スポーツの日");
	/* Marine Day history, Mountain Day start, one-offs */
	NONE("JPN", "1995-07-20");
	HOL("JPN", "1996-07-20", PUBLIC, "海の日");
	HOL("JPN", "2002-07-20", PUBLIC, "海の日");
	HOL("JPN", "2003-07-21", PUBLIC, "海の日");
	NONE("JPN", "2015-08-11");
	HOL("JPN", "2016-08-11", PUBLIC, "山の日");
	HOL("JPN", "1989-02-24", ONE_OFF, NULL);
	HOL("JPN", "1990-11-12", ONE_OFF, NULL);
	HOL("JPN", "1993-06-09", ONE_OFF, NULL);
	HOL("JPN", "1999-01-15", PUBLIC, "成人の日");
	HOL("JPN", "2000-01-10", PUBLIC, "成人の日");
	HOL("JPN", "1999-10-11", SUBSTITUTE, NULL); /* 10 Oct 1999 Sunday */
}

static void japan_equinoxes(void **state)
{
	/* values from tests/data/oracles/jpn-holidays-1970-2050.yml */
	static const char *const days[] = {
		"1970-03-21", "1970-09-23", "1975-03-21", "1975-09-24", "1979-03-21", "1979-09-24",
		"1980-03-20", "1980-09-23", "1984-03-20", "1984-09-23", "1992-03-20", "1992-09-23",
		"2000-03-20", "2000-09-23", "2012-03-20", "2012-09-22", "2024-03-20", "2024-09-22",
		"2033-03-20", "2033-09-23", "2044-03-20", "2044-09-22", "2050-03-20", "2050-09-23",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
		coplan_holiday h = listed("JPN", NULL, days[i]);

		assert_int_equal(h.kind, COPLAN_HOLIDAY_PUBLIC);
		assert_string_equal(h.local_name, days[i][6] == '3' ? "春分の日" : "秋分の日");
		assert_int_equal(h.provisional, coplan_date_year(h.date) > 2027);
	}
	/* provisional: equinox days after 2027, and what depends on them */
	assert_int_equal(listed("JPN", NULL, "2027-03-21").provisional, 0);
	assert_int_equal(listed("JPN", NULL, "2027-03-22").kind, COPLAN_HOLIDAY_SUBSTITUTE);
	assert_int_equal(listed("JPN", NULL, "2027-03-22").provisional, 0);
	assert_int_equal(listed("JPN", NULL, "2033-03-21").kind, COPLAN_HOLIDAY_SUBSTITUTE);
	assert_int_equal(listed("JPN", NULL, "2033-03-21").provisional, 1);
	assert_int_equal(listed("JPN", NULL, "2032-09-21").kind, COPLAN_HOLIDAY_CITIZENS);
	assert_int_equal(listed("JPN", NULL, "2032-09-21").provisional, 1);
	assert_int_equal(listed("JPN", NULL, "2032-01-01").provisional, 0);
	/* every year: one of each, in 19-22 March and 22-24 September */
	for (int y = COPLAN_HOLIDAY_FIRST_YEAR; y <= COPLAN_HOLIDAY_LAST_YEAR; y++) {
		coplan_holiday *list;
		size_t n;
		int vernal = 0, autumnal = 0;

		assert_int_equal(coplan_holidays_list(&list, &n, "JPN", NULL, y), 0);
		for (size_t i = 0; i < n; i++) {
			int m, d;
			coplan_date_to_ymd(list[i].date, NULL, &m, &d);
			if (!strcmp(list[i].local_name, "春分の日")) {
				vernal++;
				assert_true(m == 3 && d >= 19 && d <= 22);
			} else if (!strcmp(list[i].local_name, "秋分の日")) {
				autumnal++;
				assert_true(m == 9 && d >= 22 && d <= 24);
			}
		}
		assert_int_equal(vernal, 1);
		assert_int_equal(autumnal, 1);
		free(list);
	}
}

static void italy(void **state)
{
	(void)state;
	HOL("ITA", "2024-04-01", PUBLIC, "Lunedì dell'Angelo");
	HOL("ITA", "2024-06-02", PUBLIC, "Festa della Repubblica");
	NONE("ITA", "2024-06-03"); /* no weekend substitute */
	NONE("ITA", "2023-06-29"); /* Rome only */
	HOL("ITA", "2024-12-26", PUBLIC, "Santo Stefano");
	/* 2011 */
	HOL("ITA", "2011-03-17", ONE_OFF, NULL);
	NONE("ITA", "2010-03-17");
	NONE("ITA", "2012-03-17");
	/* 1976 before Law 54/1977, 1977 after it (Easter 1976 18 Apr, 1977 10 Apr) */
	HOL("ITA", "1976-03-19", PUBLIC, "San Giuseppe");
	HOL("ITA", "1976-05-27", PUBLIC, "Ascensione");
	HOL("ITA", "1976-06-17", PUBLIC, "Corpus Domini");
	HOL("ITA", "1976-06-29", PUBLIC, "Santi Pietro e Paolo");
	HOL("ITA", "1976-11-04", PUBLIC, NULL);
	HOL("ITA", "1976-06-02", PUBLIC, "Festa della Repubblica");
	HOL("ITA", "1977-01-06", PUBLIC, "Epifania"); /* before the law of 5 March 1977 */
	NONE("ITA", "1977-05-19");                     /* Ascension */
	NONE("ITA", "1977-06-09");                     /* Corpus Domini */
	NONE("ITA", "1977-06-29");
	NONE("ITA", "1977-11-04");
	NONE("ITA", "1977-06-02");
	HOL("ITA", "1977-06-05", PUBLIC, "Festa della Repubblica"); /* first Sunday */
	NONE("ITA", "1978-01-06");
	NONE("ITA", "1985-01-06");
	HOL("ITA", "1986-01-06", PUBLIC, "Epifania");
	NONE("ITA", "2000-06-02");
	HOL("ITA", "2000-06-04", PUBLIC, "Festa della Repubblica");
	HOL("ITA", "2001-06-02", PUBLIC, "Festa della Repubblica");
	/* patron saints: regional, in their city only */
	expect("ITA", "ROMA", "2023-06-29", COPLAN_HOLIDAY_REGIONAL, "Santi Pietro e Paolo");
	expect("ITA", "milano", "2023-12-07", COPLAN_HOLIDAY_REGIONAL, "Sant'Ambrogio");
	expect("ITA", "NAPOLI", "2023-09-19", COPLAN_HOLIDAY_REGIONAL, NULL);
	expect("ITA", "TORINO", "2023-06-24", COPLAN_HOLIDAY_REGIONAL, NULL);
	expect("ITA", "MILANO", "2023-06-29", -1, NULL);
	/* Venice's St Mark is Liberation Day: the first in law is kept */
	expect("ITA", "VENEZIA", "2023-04-25", COPLAN_HOLIDAY_PUBLIC, "Festa della Liberazione");
}

static void united_kingdom(void **state)
{
	(void)state;
	HOL("GBR", "2022-01-03", SUBSTITUTE, NULL);
	HOL("GBR", "2022-06-02", PUBLIC, "Spring bank holiday");
	HOL("GBR", "2022-06-03", ONE_OFF, NULL);
	NONE("GBR", "2022-05-30");
	HOL("GBR", "2022-09-19", ONE_OFF, NULL);
	HOL("GBR", "2022-12-26", PUBLIC, "Boxing Day");
	HOL("GBR", "2022-12-27", SUBSTITUTE, "Christmas Day (substitute day)");
	HOL("GBR", "2023-05-08", ONE_OFF, NULL);
	HOL("GBR", "2023-05-01", PUBLIC, "Early May bank holiday");
	HOL("GBR", "2023-05-29", PUBLIC, "Spring bank holiday");
	/* Christmas and Boxing Day both on a weekend: 27 and 28 */
	HOL("GBR", "2021-12-27", SUBSTITUTE, "Christmas Day (substitute day)");
	HOL("GBR", "2021-12-28", SUBSTITUTE, "Boxing Day (substitute day)");
	HOL("GBR", "2020-12-28", SUBSTITUTE, "Boxing Day (substitute day)");
	/* VE Day moves, jubilees */
	HOL("GBR", "2020-05-08", PUBLIC, NULL);
	NONE("GBR", "2020-05-04");
	HOL("GBR", "1995-05-08", PUBLIC, NULL);
	NONE("GBR", "1995-05-01");
	HOL("GBR", "2002-06-03", ONE_OFF, NULL);
	HOL("GBR", "2002-06-04", PUBLIC, "Spring bank holiday");
	NONE("GBR", "2002-05-27");
	HOL("GBR", "2012-06-04", PUBLIC, "Spring bank holiday");
	HOL("GBR", "2012-06-05", ONE_OFF, NULL);
	HOL("GBR", "1977-06-07", ONE_OFF, NULL);
	HOL("GBR", "1981-07-29", ONE_OFF, NULL);
	HOL("GBR", "1999-12-31", ONE_OFF, NULL);
	HOL("GBR", "2011-04-29", ONE_OFF, NULL);
	/* Early May from 1978, New Year's Day from 1974 (England) */
	NONE("GBR", "1977-05-02");
	HOL("GBR", "1978-05-01", PUBLIC, NULL);
	NONE("GBR", "1973-01-01");
	HOL("GBR", "1974-01-01", PUBLIC, NULL);
}

static void uk_regions(void **state)
{
	(void)state;
	/* Scotland: 2 January, no Easter Monday, August's first Monday, St Andrew */
	expect("GBR", "SCT", "2023-01-02", COPLAN_HOLIDAY_PUBLIC, "2nd January");
	expect("GBR", "SCT", "2023-01-03", COPLAN_HOLIDAY_SUBSTITUTE, NULL);
	expect("GBR", "SCT", "2022-01-03", COPLAN_HOLIDAY_SUBSTITUTE, NULL);
	expect("GBR", "SCT", "2022-01-04", COPLAN_HOLIDAY_SUBSTITUTE, NULL);
	expect("GBR", "SCT", "2023-04-10", -1, NULL);
	expect("GBR", "SCT", "2023-08-07", COPLAN_HOLIDAY_PUBLIC, "Summer bank holiday");
	expect("GBR", "SCT", "2023-08-28", -1, NULL);
	expect("GBR", "SCT", "2023-11-30", COPLAN_HOLIDAY_PUBLIC, "St Andrew's Day");
	expect("GBR", "SCT", "2025-12-01", COPLAN_HOLIDAY_SUBSTITUTE, NULL); /* 30 Nov Sunday */
	expect("GBR", "SCT", "2006-11-30", -1, NULL);
	expect("GBR", "ENG", "2023-11-30", -1, NULL);
	expect("GBR", "ENG", "2023-01-02", COPLAN_HOLIDAY_SUBSTITUTE, NULL);
	/* Northern Ireland */
	expect("GBR", "NIR", "2023-03-17", COPLAN_HOLIDAY_PUBLIC, "St Patrick's Day");
	expect("GBR", "NIR", "2023-07-12", COPLAN_HOLIDAY_PUBLIC, NULL);
	expect("GBR", "NIR", "2020-07-13", COPLAN_HOLIDAY_SUBSTITUTE, NULL);
	expect("GBR", "NIR", "2023-04-10", COPLAN_HOLIDAY_PUBLIC, "Easter Monday");
	expect("GBR", NULL, "2023-03-17", -1, NULL);
}

static void errors(void **state)
{
	coplan_holiday *list = NULL;
	coplan_calendar *cal = NULL;
	size_t n;

	(void)state;
	assert_int_equal(coplan_holidays_list(&list, &n, "ITL", NULL, 2024), COPLAN_ENOTFOUND);
	assert_non_null(strstr(coplan_error_last(), "unknown nation 'ITL'"));
	assert_int_equal(coplan_holidays_list(&list, &n, NULL, NULL, 2024), COPLAN_ENOTFOUND);
	assert_int_equal(coplan_holidays_list(&list, &n, "ITA", NULL, 1969), COPLAN_ERANGE);
	assert_int_equal(coplan_holidays_list(&list, &n, "ITA", NULL, 2100), COPLAN_ERANGE);
	assert_int_equal(coplan_holidays_list(&list, &n, "GBR", "WAL", 2024), COPLAN_ENOTFOUND);
	assert_non_null(strstr(coplan_error_last(), "unknown region 'WAL'"));
	assert_int_equal(coplan_holidays_list(&list, &n, "JPN", "TOKYO", 2024), COPLAN_ENOTFOUND);
	assert_int_equal(coplan_holidays_list(&list, &n, "ita", NULL, 2099), 0);
	assert_true(n > 0);
	free(list);
	assert_int_equal(coplan_calendar_new(&cal, "ITA", NULL, 1969, 2000), COPLAN_ERANGE);
	assert_int_equal(coplan_calendar_new(&cal, "ITA", NULL, 2001, 2000), COPLAN_ERANGE);
	assert_int_equal(coplan_calendar_new(&cal, "GBR", "XXX", 2000, 2001), COPLAN_ENOTFOUND);
	assert_null(cal);
	assert_true(coplan_holidays_builtin("JPN"));
	assert_true(coplan_holidays_builtin("gbr"));
	assert_false(coplan_holidays_builtin("FRA"));
	assert_false(coplan_holidays_builtin(NULL));
	assert_string_equal(coplan_holiday_kind_name(COPLAN_HOLIDAY_CITIZENS), "citizens");
	assert_string_equal(coplan_holiday_kind_name(COPLAN_HOLIDAY_ONE_OFF), "one-off");
	assert_string_equal(coplan_holiday_kind_name(COPLAN_HOLIDAY_IMPORTED), "imported");
}

static void working_days(void **state)
{
	coplan_calendar *cal = NULL;
	const coplan_holiday *h;

	(void)state;
	assert_int_equal(coplan_calendar_new(&cal, "JPN", NULL, 2024, 2025), 0);
	assert_string_equal(coplan_calendar_nation(cal), "JPN");
	assert_false(coplan_calendar_is_working_day(cal, iso("2024-02-12")));
	assert_true(coplan_calendar_is_working_day(cal, iso("2024-02-13")));
	assert_false(coplan_calendar_is_working_day(cal, iso("2024-02-10"))); /* Saturday */
	assert_false(coplan_calendar_is_working_day(cal, iso("2024-02-11"))); /* Sunday, holiday */
	h = coplan_calendar_holiday(cal, iso("2024-02-11"));
	assert_non_null(h);
	assert_string_equal(h->english_name, "National Foundation Day");
	assert_null(coplan_calendar_holiday(cal, iso("2024-02-10")));
	assert_null(coplan_calendar_holiday(cal, iso("2024-02-13")));
	/* outside the years: weekends only */
	assert_true(coplan_calendar_is_working_day(cal, iso("2023-01-02")));
	assert_false(coplan_calendar_is_working_day(cal, iso("2023-01-01")));
	assert_true(coplan_calendar_is_working_day(cal, iso("2026-01-01")));
	assert_null(coplan_calendar_holiday(cal, iso("2026-01-01")));
	assert_false(coplan_calendar_is_working_day(cal, COPLAN_DATE_NONE)); /* no crash */

	/* Golden Week 2024: Fri 3 May to Mon 6 May off */
	assert_int_equal(coplan_calendar_add_working_days(cal, iso("2024-05-02"), 1), iso("2024-05-07"));
	assert_int_equal(coplan_calendar_add_working_days(cal, iso("2024-05-03"), 0), iso("2024-05-07"));
	assert_int_equal(coplan_calendar_add_working_days(cal, iso("2024-05-02"), 0), iso("2024-05-02"));
	assert_int_equal(coplan_calendar_add_working_days(cal, iso("2024-05-01"), 2), iso("2024-05-07"));
	/* from before the calendar's years (weekends only there) */
	assert_int_equal(coplan_calendar_add_working_days(cal, iso("2023-12-29"), 1), iso("2024-01-02"));
	/* beyond the last year */
	assert_int_equal(coplan_calendar_add_working_days(cal, iso("2025-12-30"), 5), COPLAN_DATE_NONE);
	assert_int_equal(coplan_calendar_add_working_days(cal, iso("2026-01-05"), 0), COPLAN_DATE_NONE);
	assert_int_equal(coplan_calendar_add_working_days(cal, iso("2024-01-01"), -1), COPLAN_DATE_NONE);
	/*
	 * the whole of 2024: 366 days, 104 weekend days, 14 holidays on weekdays
	 * (1 and 8 Jan, 12 and 23 Feb, 20 Mar, 29 Apr, 3 and 6 May, 15 Jul, 12 Aug,
	 * 16 and 23 Sep, 14 Oct, 4 Nov): 248 working days
	 */
	int working = 0;
	for (coplan_date d = iso("2024-01-01"); d <= iso("2024-12-31"); d++)
		working += coplan_calendar_is_working_day(cal, d);
	assert_int_equal(working, 248);
	assert_int_equal(coplan_calendar_add_working_days(cal, iso("2024-01-01"), 247), iso("2024-12-31"));
	coplan_calendar_free(cal);
	coplan_calendar_free(NULL);

	/* England 2022 */
	assert_int_equal(coplan_calendar_new(&cal, "GBR", NULL, 2022, 2022), 0);
	assert_false(coplan_calendar_is_working_day(cal, iso("2022-06-02")));
	assert_false(coplan_calendar_is_working_day(cal, iso("2022-06-03")));
	assert_true(coplan_calendar_is_working_day(cal, iso("2022-05-30")));
	assert_int_equal(coplan_calendar_add_working_days(cal, iso("2022-06-01"), 1), iso("2022-06-06"));
	coplan_calendar_free(cal);

	assert_int_equal(coplan_calendar_new(&cal, "GBR", "SCT", 2023, 2023), 0);
	assert_true(coplan_calendar_is_working_day(cal, iso("2023-04-10")));
	assert_false(coplan_calendar_is_working_day(cal, iso("2023-11-30")));
	coplan_calendar_free(cal);
	assert_int_equal(coplan_calendar_new(&cal, "ITA", "ROMA", 2023, 2023), 0);
	assert_false(coplan_calendar_is_working_day(cal, iso("2023-06-29")));
	assert_int_equal(coplan_calendar_holiday(cal, iso("2023-06-29"))->kind, COPLAN_HOLIDAY_REGIONAL);
	coplan_calendar_free(cal);
}

static void added_holidays(void **state)
{
	coplan_calendar *cal = NULL;
	const coplan_holiday *h, *keep;
	char name[32];

	(void)state;
	/* a nation without rules: weekends only, holidays from a feed */
	assert_int_equal(coplan_calendar_new(&cal, "fra", NULL, 2024, 2024), 0);
	assert_string_equal(coplan_calendar_nation(cal), "FRA");
	assert_true(coplan_calendar_is_working_day(cal, iso("2024-07-15")));
	assert_null(coplan_calendar_holiday(cal, iso("2024-07-14")));
	snprintf(name, sizeof(name), "Fête nationale");
	assert_int_equal(coplan_calendar_add_holiday(cal, iso("2024-07-15"), name, NULL,
	                                             COPLAN_HOLIDAY_IMPORTED), 0);
	memset(name, 'x', sizeof(name) - 1); /* the name was copied */
	h = coplan_calendar_holiday(cal, iso("2024-07-15"));
	assert_non_null(h);
	assert_string_equal(h->local_name, "Fête nationale");
	assert_string_equal(h->english_name, "Fête nationale");
	assert_int_equal(h->kind, COPLAN_HOLIDAY_IMPORTED);
	assert_false(coplan_calendar_is_working_day(cal, iso("2024-07-15")));
	keep = h;
	/* more, out of order: lookups stay right and pointers stay valid */
	assert_int_equal(coplan_calendar_add_holiday(cal, iso("2024-11-11"), "Armistice", "Armistice Day",
	                                             COPLAN_HOLIDAY_IMPORTED), 0);
	assert_int_equal(coplan_calendar_add_holiday(cal, iso("2024-01-01"), "Jour de l'an", NULL,
	                                             COPLAN_HOLIDAY_IMPORTED), 0);
	assert_int_equal(coplan_calendar_add_holiday(cal, iso("2024-05-01"), "Fête du Travail", NULL,
	                                             COPLAN_HOLIDAY_IMPORTED), 0);
	assert_ptr_equal(coplan_calendar_holiday(cal, iso("2024-07-15")), keep);
	assert_string_equal(coplan_calendar_holiday(cal, iso("2024-11-11"))->english_name, "Armistice Day");
	assert_string_equal(coplan_calendar_holiday(cal, iso("2024-01-01"))->local_name, "Jour de l'an");
	assert_string_equal(coplan_calendar_holiday(cal, iso("2024-05-01"))->local_name, "Fête du Travail");
	assert_null(coplan_calendar_holiday(cal, iso("2024-05-02")));
	/* a second name on one day keeps the first; outside the years is ignored */
	assert_int_equal(coplan_calendar_add_holiday(cal, iso("2024-05-01"), "Other", NULL,
	                                             COPLAN_HOLIDAY_IMPORTED), 0);
	assert_string_equal(coplan_calendar_holiday(cal, iso("2024-05-01"))->local_name, "Fête du Travail");
	assert_int_equal(coplan_calendar_add_holiday(cal, iso("2025-05-01"), "Later", NULL,
	                                             COPLAN_HOLIDAY_IMPORTED), 0);
	assert_true(coplan_calendar_is_working_day(cal, iso("2025-05-01")));
	assert_int_equal(coplan_calendar_add_working_days(cal, iso("2024-07-12"), 1), iso("2024-07-16"));
	coplan_calendar_free(cal);

	/* added to a built-in calendar, between its holidays */
	assert_int_equal(coplan_calendar_new(&cal, "ITA", NULL, 2024, 2025), 0);
	assert_int_equal(coplan_calendar_add_holiday(cal, iso("2024-12-24"), "Vigilia", "Christmas Eve",
	                                             COPLAN_HOLIDAY_IMPORTED), 0);
	assert_false(coplan_calendar_is_working_day(cal, iso("2024-12-24")));
	assert_string_equal(coplan_calendar_holiday(cal, iso("2024-12-24"))->local_name, "Vigilia");
	assert_string_equal(coplan_calendar_holiday(cal, iso("2024-12-25"))->local_name, "Natale");
	assert_string_equal(coplan_calendar_holiday(cal, iso("2024-12-26"))->local_name, "Santo Stefano");
	assert_int_equal(coplan_calendar_add_holiday(cal, iso("2024-12-25"), "X", NULL,
	                                             COPLAN_HOLIDAY_IMPORTED), 0);
	assert_string_equal(coplan_calendar_holiday(cal, iso("2024-12-25"))->local_name, "Natale");
	coplan_calendar_free(cal);
}

/* The calendar agrees with the lists for every nation, region and year. */
static void calendar_matches_lists(void **state)
{
	static const char *const cases[][2] = {
		{ "JPN", NULL }, { "ITA", NULL }, { "ITA", "ROMA" }, { "GBR", NULL },
		{ "GBR", "SCT" }, { "GBR", "NIR" },
	};

	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		coplan_calendar *cal = NULL;

		assert_int_equal(coplan_calendar_new(&cal, cases[c][0], cases[c][1],
		                                     COPLAN_HOLIDAY_FIRST_YEAR, COPLAN_HOLIDAY_LAST_YEAR), 0);
		for (int y = COPLAN_HOLIDAY_FIRST_YEAR; y <= COPLAN_HOLIDAY_LAST_YEAR; y++) {
			coplan_holiday *list;
			size_t n, i = 0;

			assert_int_equal(coplan_holidays_list(&list, &n, cases[c][0], cases[c][1], y), 0);
			for (coplan_date d = coplan_date_from_ymd(y, 1, 1);
			     d <= coplan_date_from_ymd(y, 12, 31); d++) {
				const coplan_holiday *h = coplan_calendar_holiday(cal, d);
				int holiday = i < n && list[i].date == d;

				assert_int_equal(h != NULL, holiday);
				assert_int_equal(coplan_calendar_is_working_day(cal, d),
				                 !holiday && coplan_date_weekday(d) < 6);
				if (holiday) {
					assert_string_equal(h->local_name, list[i].local_name);
					i++;
				}
			}
			assert_int_equal(i, n);
			free(list);
		}
		coplan_calendar_free(cal);
	}
}

/* The weekend of nation from CLDR, formatted ("Fri\u2013Sat"). */
static const char *weekend_text(const char *nation, char *buf, size_t size)
{
	unsigned days = 0;

	assert_int_equal(coplan_weekend_of(&days, nation), 0);
	return coplan_weekend_format(buf, size, days);
}

/*
 * CLDR's weekData as Debian's unicode-cldr-core 41 has it (checked in
 * supplementalData.xml: weekendStart thu AF; fri BH DZ EG IL IQ IR JO KW
 * LY OM QA SA SD SY YE; sun IN UG; weekendEnd fri AF IR; the world, 001,
 * sat-sun).  The whole table is compared with the file by
 * tests/test_weekend_oracle.py.
 */
static void cldr_weekends(void **state)
{
	char buf[64];
	unsigned days = 0;

	(void)state;
	assert_string_equal(weekend_text("ITA", buf, sizeof(buf)), "Sat\u2013Sun");
	assert_string_equal(weekend_text("JPN", buf, sizeof(buf)), "Sat\u2013Sun");
	assert_string_equal(weekend_text("GBR", buf, sizeof(buf)), "Sat\u2013Sun");
	assert_string_equal(weekend_text("ISR", buf, sizeof(buf)), "Fri\u2013Sat");
	assert_string_equal(weekend_text("SAU", buf, sizeof(buf)), "Fri\u2013Sat");
	assert_string_equal(weekend_text("QAT", buf, sizeof(buf)), "Fri\u2013Sat");
	assert_string_equal(weekend_text("EGY", buf, sizeof(buf)), "Fri\u2013Sat");
	assert_string_equal(weekend_text("AFG", buf, sizeof(buf)), "Thu\u2013Fri");
	/* start and end the same day: one day */
	assert_string_equal(weekend_text("IRN", buf, sizeof(buf)), "Fri");
	/* listed under weekendStart only: the end is the world's, Sunday */
	assert_string_equal(weekend_text("IND", buf, sizeof(buf)), "Sun");
	assert_string_equal(weekend_text("UGA", buf, sizeof(buf)), "Sun");
	/* any case; the world */
	assert_string_equal(weekend_text("isr", buf, sizeof(buf)), "Fri\u2013Sat");
	assert_int_equal(coplan_weekend_of(&days, "001"), 0);
	assert_int_equal(days, COPLAN_WEEKEND_SAT_SUN);
	assert_int_equal(coplan_weekend_of(&days, "ISR"), 0);
	assert_int_equal(days, COPLAN_WEEKDAY_BIT(5) | COPLAN_WEEKDAY_BIT(6));
	/* not a nation */
	assert_int_equal(coplan_weekend_of(&days, "XXX"), COPLAN_ENOTFOUND);
	assert_non_null(strstr(coplan_error_last(), "'XXX'"));
	assert_int_equal(coplan_weekend_of(&days, "IT"), COPLAN_ENOTFOUND);
}

static void weekday_names_and_format(void **state)
{
	char buf[64];
	int wd = 0;

	(void)state;
	assert_int_equal(coplan_weekday_parse(&wd, "fri"), 0);
	assert_int_equal(wd, 5);
	assert_int_equal(coplan_weekday_parse(&wd, "SUNDAY"), 0);
	assert_int_equal(wd, 7);
	assert_int_equal(coplan_weekday_parse(&wd, "Mon"), 0);
	assert_int_equal(wd, 1);
	assert_int_equal(coplan_weekday_parse(&wd, "fr"), COPLAN_EINVALID);
	assert_int_equal(coplan_weekday_parse(&wd, ""), COPLAN_EINVALID);
	assert_string_equal(coplan_weekday_abbr(4), "thu");
	assert_null(coplan_weekday_abbr(0));
	assert_null(coplan_weekday_abbr(8));
	assert_string_equal(coplan_weekend_format(buf, sizeof(buf), 0), "none");
	assert_string_equal(coplan_weekend_format(buf, sizeof(buf), COPLAN_WEEKEND_ALL), "every day");
	/* a run across the end of the week, and two runs */
	assert_string_equal(coplan_weekend_format(buf, sizeof(buf), COPLAN_WEEKDAY_BIT(7) |
	                                          COPLAN_WEEKDAY_BIT(1)), "Sun\u2013Mon");
	assert_string_equal(coplan_weekend_format(buf, sizeof(buf), COPLAN_WEEKDAY_BIT(5) |
	                                          COPLAN_WEEKDAY_BIT(7)), "Fri, Sun");
	assert_string_equal(coplan_weekend_format(buf, sizeof(buf), COPLAN_WEEKDAY_BIT(1) |
	                                          COPLAN_WEEKDAY_BIT(3) | COPLAN_WEEKDAY_BIT(4)),
	                    "Mon, Wed\u2013Thu");
	/* cut to fit, still a string */
	assert_string_equal(coplan_weekend_format(buf, 4, COPLAN_WEEKDAY_BIT(1)), "Mon");
	assert_string_equal(coplan_weekend_format(buf, 3, COPLAN_WEEKDAY_BIT(1)), "");
}

/* Every day of 2024 in cal: off exactly on the weekend days in days and on holidays. */
static void expect_weekend(const coplan_calendar *cal, unsigned days)
{
	for (coplan_date d = coplan_date_from_ymd(2024, 1, 1); d <= coplan_date_from_ymd(2024, 12, 31); d++) {
		int weekend = (days & COPLAN_WEEKDAY_BIT(coplan_date_weekday(d))) != 0;

		assert_int_equal(coplan_calendar_is_working_day(cal, d),
		                 !weekend && coplan_calendar_holiday(cal, d) == NULL);
	}
}

static void calendar_weekends(void **state)
{
	const unsigned fri_sat = COPLAN_WEEKDAY_BIT(5) | COPLAN_WEEKDAY_BIT(6);
	coplan_calendar *cal = NULL;

	(void)state;
	/* Israel: Friday and Saturday off, Sunday a working day */
	assert_int_equal(coplan_calendar_new(&cal, "ISR", NULL, 2024, 2024), 0);
	assert_int_equal(coplan_calendar_weekend(cal), fri_sat);
	assert_false(coplan_calendar_is_working_day(cal, iso("2024-04-26"))); /* Friday */
	assert_false(coplan_calendar_is_working_day(cal, iso("2024-04-27"))); /* Saturday */
	assert_true(coplan_calendar_is_working_day(cal, iso("2024-04-28")));  /* Sunday */
	expect_weekend(cal, fri_sat);
	/* Thursday 25 April + 1 working day: Sunday 28 */
	assert_int_equal(coplan_calendar_add_working_days(cal, iso("2024-04-25"), 1), iso("2024-04-28"));
	/* outside the calendar's years the weekend still holds */
	assert_false(coplan_calendar_is_working_day(cal, iso("2025-01-03"))); /* Friday */
	assert_true(coplan_calendar_is_working_day(cal, iso("2025-01-05")));  /* Sunday */
	/* a holiday added, then the weekend replaced: the holiday stays off */
	assert_int_equal(coplan_calendar_add_holiday(cal, iso("2024-05-14"), "Yom HaAtzmaut", NULL,
	                                             COPLAN_HOLIDAY_IMPORTED), 0);
	assert_int_equal(coplan_calendar_set_weekend(cal, COPLAN_WEEKEND_SAT_SUN), 0);
	assert_int_equal(coplan_calendar_weekend(cal), COPLAN_WEEKEND_SAT_SUN);
	assert_false(coplan_calendar_is_working_day(cal, iso("2024-05-14")));
	assert_true(coplan_calendar_is_working_day(cal, iso("2024-04-26")));  /* Friday now works */
	assert_false(coplan_calendar_is_working_day(cal, iso("2024-04-28"))); /* Sunday now off */
	expect_weekend(cal, COPLAN_WEEKEND_SAT_SUN);
	assert_int_equal(coplan_calendar_set_weekend(cal, COPLAN_WEEKEND_ALL), COPLAN_EINVALID);
	assert_int_equal(coplan_calendar_set_weekend(cal, 0x80), COPLAN_EINVALID);
	assert_int_equal(coplan_calendar_weekend(cal), COPLAN_WEEKEND_SAT_SUN);
	assert_int_equal(coplan_calendar_set_weekend(cal, 0), 0);              /* no weekend at all */
	assert_true(coplan_calendar_is_working_day(cal, iso("2024-04-27")));
	coplan_calendar_free(cal);

	/* India: Sunday only, with Japan's holidays beside it untouched */
	assert_int_equal(coplan_calendar_new(&cal, "IND", NULL, 2024, 2024), 0);
	expect_weekend(cal, COPLAN_WEEKDAY_BIT(7));
	coplan_calendar_free(cal);
	/* a built-in nation keeps its holidays with its weekend */
	assert_int_equal(coplan_calendar_new(&cal, "JPN", NULL, 2024, 2024), 0);
	assert_int_equal(coplan_calendar_set_weekend(cal, COPLAN_WEEKDAY_BIT(7)), 0);
	assert_true(coplan_calendar_is_working_day(cal, iso("2024-04-27")));  /* Saturday */
	assert_false(coplan_calendar_is_working_day(cal, iso("2024-04-29"))); /* Showa Day */
	expect_weekend(cal, COPLAN_WEEKDAY_BIT(7));
	coplan_calendar_free(cal);
	/* a code that is no nation: the world's weekend */
	assert_int_equal(coplan_calendar_new(&cal, "ZZZ", NULL, 2024, 2024), 0);
	assert_int_equal(coplan_calendar_weekend(cal), COPLAN_WEEKEND_SAT_SUN);
	coplan_calendar_free(cal);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(japan_2024_substitutes),
		cmocka_unit_test(japan_2019_to_2021),
		cmocka_unit_test(japan_equinoxes),
		cmocka_unit_test(italy),
		cmocka_unit_test(united_kingdom),
		cmocka_unit_test(uk_regions),
		cmocka_unit_test(errors),
		cmocka_unit_test(working_days),
		cmocka_unit_test(added_holidays),
		cmocka_unit_test(calendar_matches_lists),
		cmocka_unit_test(cldr_weekends),
		cmocka_unit_test(weekday_names_and_format),
		cmocka_unit_test(calendar_weekends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

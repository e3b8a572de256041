/* SPDX-License-Identifier: Apache-2.0 */
/* holidays_ita.c - Italy's public holidays (giorni festivi) and the cities' patron saints, 1970-2099. */
#include <stddef.h>

#include "coplan/calendar.h"
#include "common.h"
#include "holidays.h"

/*
 * Sources: Legge 27 maggio 1949, n. 260 (the list of public holidays);
 * Legge 5 marzo 1977, n. 54 (abolished Epiphany, St Joseph, Ascension,
 * Corpus Domini, Saints Peter and Paul as civil holidays, and moved the
 * Republic and National Unity celebrations to the first Sunday of June and
 * of November); D.P.R. 28 dicembre 1985, n. 792 (Epiphany restored from
 * 1986); Legge 20 novembre 2000, n. 336 (2 June restored from 2001);
 * Decreto-legge 22 febbraio 2011, n. 5, converted by Legge 21 aprile 2011,
 * n. 47 (17 March 2011 only); Legge 8 ottobre 2025, n. 151 (4 October, St
 * Francis of Assisi, patron saint of Italy, a national holiday again from
 * 2026).  Italy has no substitute for a
 * holiday that falls on a weekend.  Checked against the law as of
 * CP_HOLIDAYS_ITA_CHECKED (holidays.h).
 */

/*
 * Patron saints' days: a holiday in the comune only (Legge 260/1949 art. 2
 * and the collective agreements; Rome's 29 June kept by D.P.R. 792/1985).
 * Region codes are the cities' Italian names in capitals.
 */
static const struct {
	const char *city;
	int month, day;
	const char *local, *english;
} ita_patrons[] = {
	{ "ROMA", 6, 29, "Santi Pietro e Paolo", "Saints Peter and Paul (Rome)" },
	{ "MILANO", 12, 7, "Sant'Ambrogio", "Saint Ambrose (Milan)" },
	{ "NAPOLI", 9, 19, "San Gennaro", "Saint Januarius (Naples)" },
	{ "TORINO", 6, 24, "San Giovanni Battista", "Saint John the Baptist (Turin)" },
	{ "GENOVA", 6, 24, "San Giovanni Battista", "Saint John the Baptist (Genoa)" },
	{ "FIRENZE", 6, 24, "San Giovanni Battista", "Saint John the Baptist (Florence)" },
	{ "VENEZIA", 4, 25, "San Marco", "Saint Mark (Venice)" },
	{ "BOLOGNA", 10, 4, "San Petronio", "Saint Petronius (Bologna)" },
	{ "PALERMO", 7, 15, "Santa Rosalia", "Saint Rosalia (Palermo)" },
	{ "BARI", 12, 6, "San Nicola", "Saint Nicholas (Bari)" },
	{ "CAGLIARI", 10, 30, "San Saturnino", "Saint Saturninus (Cagliari)" },
	{ "TRIESTE", 11, 3, "San Giusto", "Saint Justus (Trieste)" },
	{ "CATANIA", 2, 5, "Sant'Agata", "Saint Agatha (Catania)" },
	{ "VERONA", 5, 21, "San Zeno", "Saint Zeno (Verona)" },
	{ "PADOVA", 6, 13, "Sant'Antonio di Padova", "Saint Anthony (Padua)" },
	{ "TRENTO", 6, 26, "San Vigilio", "Saint Vigilius (Trento)" },
};

int cp_holidays_ita_region(const char *region)
{
	for (size_t i = 0; i < CP_ARRAY_SIZE(ita_patrons); i++)
		if (cp_strcaseeq(region, ita_patrons[i].city))
			return 0;
	return cp_error(COPLAN_ENOTFOUND,
	                "unknown region '%s' for ITA (expected a city for its patron saint's day, "
	                "e.g. ROMA, MILANO, NAPOLI, TORINO, VENEZIA)", region);
}

void cp_holidays_ita(cp_year *y, const char *region, int year)
{
	const coplan_holiday_kind P = COPLAN_HOLIDAY_PUBLIC;
	coplan_date easter = coplan_date_easter(year);
	/* Law 54/1977 took effect in March 1977: 6 January 1977 was still a holiday */
	int before_1977_law = year <= 1976;

#define D(m, d) coplan_date_from_ymd(year, (m), (d))
	/* Law 260/1949 art. 2, in its order */
	cp_year_add(y, D(1, 1), P, "Capodanno", "New Year's Day", 0);
	if (year <= 1977 || year >= 1986)
		cp_year_add(y, D(1, 6), P, "Epifania", "Epiphany", 0);
	if (before_1977_law)
		cp_year_add(y, D(3, 19), P, "San Giuseppe", "Saint Joseph's Day", 0);
	cp_year_add(y, easter + 1, P, "Lunedì dell'Angelo", "Easter Monday", 0);
	cp_year_add(y, D(4, 25), P, "Festa della Liberazione", "Liberation Day", 0);
	cp_year_add(y, D(5, 1), P, "Festa del Lavoro", "Labour Day", 0);
	if (before_1977_law)
		cp_year_add(y, easter + 39, P, "Ascensione", "Ascension Day", 0);
	/* 2 June; the first Sunday of June 1977-2000 (Law 54/1977, Law 336/2000) */
	if (year >= 1977 && year <= 2000)
		cp_year_add(y, coplan_date_nth_weekday(year, 6, 7, 1), P, "Festa della Repubblica",
		            "Republic Day", 0);
	else
		cp_year_add(y, D(6, 2), P, "Festa della Repubblica", "Republic Day", 0);
	if (before_1977_law) {
		cp_year_add(y, easter + 60, P, "Corpus Domini", "Corpus Christi", 0);
		cp_year_add(y, D(6, 29), P, "Santi Pietro e Paolo", "Saints Peter and Paul", 0);
	}
	cp_year_add(y, D(8, 15), P, "Ferragosto (Assunzione)", "Assumption Day", 0);
	/* Law 151/2025: St Francis of Assisi, from 2026 (its status before 1977 is not modelled) */
	if (year >= 2026)
		cp_year_add(y, D(10, 4), P, "San Francesco d'Assisi, patrono d'Italia",
		            "Saint Francis of Assisi, patron saint of Italy", 0);
	cp_year_add(y, D(11, 1), P, "Ognissanti", "All Saints' Day", 0);
	/* 4 November: moved to the first Sunday of November by Law 54/1977, no longer a day off */
	if (before_1977_law)
		cp_year_add(y, D(11, 4), P, "Giorno dell'Unità Nazionale", "National Unity Day", 0);
	cp_year_add(y, D(12, 8), P, "Immacolata Concezione", "Immaculate Conception", 0);
	cp_year_add(y, D(12, 25), P, "Natale", "Christmas Day", 0);
	cp_year_add(y, D(12, 26), P, "Santo Stefano", "Saint Stephen's Day", 0);
	/* D.L. 5/2011 converted by Law 47/2011 */
	if (year == 2011)
		cp_year_add(y, D(3, 17), COPLAN_HOLIDAY_ONE_OFF, "Anniversario dell'Unità d'Italia",
		            "150th Anniversary of the Unification of Italy", 0);
	if (region) {
		for (size_t i = 0; i < CP_ARRAY_SIZE(ita_patrons); i++)
			if (cp_strcaseeq(region, ita_patrons[i].city))
				cp_year_add(y, D(ita_patrons[i].month, ita_patrons[i].day),
				            COPLAN_HOLIDAY_REGIONAL, ita_patrons[i].local,
				            ita_patrons[i].english, 0);
	}
#undef D
}

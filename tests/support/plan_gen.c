/* SPDX-License-Identifier: Apache-2.0 */
/* plan_gen.c - deterministic random cooperation plans: nations, units, windows, precedences, blackouts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coplan/errors.h"
#include "plan_gen.h"

/* ITA, JPN, GBR have built-in holidays; the others get weekends only. */
static const char *const gen_nations[] = {
	"ITA", "JPN", "GBR", "FRA", "DEU", "USA", "AUS", "ESP", "CAN", "KOR", "NLD", "POL",
	"BEL", "PRT", "GRC", "TUR", "NOR", "SWE", "DNK", "FIN", "AUT", "CHE", "IRL", "CZE",
	"SVK", "HUN", "ROU", "BGR", "HRV", "SVN", "SRB", "ALB", "MNE", "MKD", "BIH", "EST",
	"LVA", "LTU", "UKR", "MDA", "GEO", "ARM", "AZE", "ISR", "EGY", "MAR", "TUN", "DZA",
	"JOR", "SAU", "ARE", "QAT", "KWT", "OMN", "BHR", "IND", "PAK", "BGD", "LKA", "NPL",
	"THA", "VNM", "MYS", "SGP", "IDN", "PHL", "BRN", "NZL", "PNG", "FJI", "CHL", "ARG",
	"BRA", "URY", "PRY", "PER", "COL", "ECU", "BOL", "VEN", "MEX", "GTM", "HND", "SLV",
	"NIC", "CRI", "PAN", "CUB", "DOM", "JAM", "ZAF", "NGA", "KEN", "ETH", "GHA", "SEN",
	"CIV", "CMR", "AGO", "MOZ", "TZA", "UGA", "RWA", "MNG", "KAZ", "UZB", "ISL", "LUX",
	"MLT", "CYP",
};
#define GEN_NATIONS (sizeof(gen_nations) / sizeof(gen_nations[0]))

typedef struct {
	unsigned long long s;
} gen_rng;

static unsigned long long gen_next(gen_rng *r)
{
	unsigned long long z = (r->s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static int gen_below(gen_rng *r, int n)
{
	return n > 0 ? (int)(gen_next(r) % (unsigned long long)n) : 0;
}

static double gen_unit(gen_rng *r)
{
	return (double)(gen_next(r) >> 11) / 9007199254740992.0;
}

plan_gen_params plan_gen_defaults(unsigned long seed, size_t n, size_t u, size_t k)
{
	plan_gen_params p;

	memset(&p, 0, sizeof(p));
	p.seed = seed;
	p.activities = n;
	p.units = u;
	p.nations = k;
	p.year = 2024;
	p.precedences = 0.15;
	p.blackouts = 1.0;
	p.unit_load = 0.6;
	p.pinned = 0.02;
	p.tight = 0.05;
	return p;
}

int plan_gen(coplan_plan **out, const plan_gen_params *p)
{
	coplan_plan *plan = NULL;
	gen_rng r = { p->seed * 2654435761UL + 12345 };
	size_t nn = p->nations < 1 ? 1 : p->nations > GEN_NATIONS ? GEN_NATIONS : p->nations;
	coplan_date y0 = coplan_date_from_ymd(p->year, 1, 1), y1 = coplan_date_from_ymd(p->year, 12, 31);
	int ndays = y1 - y0 + 1, rc;
	int *load = calloc(p->units + 1, sizeof(int));
	char name[64];

	if (!load)
		return COPLAN_ENOMEM;
	if ((rc = coplan_plan_new(&plan)))
		goto cleanup;
	plan->year = p->year;
	plan->window_from = y0;
	plan->window_to = y1;
	plan->title = strdup("Generated plan");
	if (!plan->title) {
		rc = COPLAN_ENOMEM;
		goto cleanup;
	}
	for (size_t k = 0; k < nn; k++)
		if ((rc = coplan_plan_add_nation(plan, gen_nations[k])))
			goto cleanup;
	for (size_t i = 0; i < p->activities; i++) {
		coplan_activity *a;
		int span, nu;

		if ((rc = coplan_plan_add_activity(plan, &a)))
			goto cleanup;
		snprintf(name, sizeof(name), "A%05zu", i + 1);
		a->ref = strdup(name);
		snprintf(name, sizeof(name), "Activity %zu", i + 1);
		a->title = strdup(name);
		if (!a->ref || !a->title) {
			rc = COPLAN_ENOMEM;
			goto cleanup;
		}
		memcpy(a->host, gen_nations[gen_below(&r, (int)nn)], COPLAN_NATION_LEN);
		if ((rc = coplan_activity_add_participant(a, a->host)))
			goto cleanup;
		for (int k = gen_below(&r, 3); k > 0; k--)
			if ((rc = coplan_activity_add_participant(a, gen_nations[gen_below(&r, (int)nn)])))
				goto cleanup;
		a->day_mode = gen_below(&r, 10) < 6 ? COPLAN_DAYS_WORKING : COPLAN_DAYS_CALENDAR;
		a->duration = gen_below(&r, 10) < 8 ? 1 + gen_below(&r, 8) : 8 + gen_below(&r, 20);
		span = a->day_mode == COPLAN_DAYS_WORKING ? a->duration * 7 / 5 + 4 : a->duration;
		nu = p->units ? gen_below(&r, 4) : 0;
		for (int k = 0; k < nu; k++) {
			int u = gen_below(&r, (int)p->units);

			if (load[u] + span > (int)(p->unit_load * ndays))
				continue;  /* the unit is booked enough: realistic plans stop here */
			load[u] += span;
			snprintf(name, sizeof(name), "Unit %d", u + 1);
			if ((rc = coplan_activity_add_unit(a, name)))
				goto cleanup;
		}
		if (gen_unit(&r) < p->tight) {
			a->earliest = y0 + gen_below(&r, ndays - 10);
			a->latest = a->earliest + a->duration + gen_below(&r, 5) - 2;
			if (a->latest > y1)
				a->latest = y1;
			if (a->latest < a->earliest)
				a->latest = a->earliest;
		} else if (gen_below(&r, 10) < 3) {
			a->earliest = y0 + gen_below(&r, ndays / 2);
			a->latest = a->earliest + 40 + gen_below(&r, 150);
			if (a->latest > y1)
				a->latest = y1;
		}
		if (gen_below(&r, 10) < 7) {
			int m = 1 + gen_below(&r, 12);

			a->requested_from = coplan_date_from_ymd(p->year, m, 1);
			a->requested_to = coplan_date_from_ymd(p->year, m, coplan_date_days_in_month(p->year, m));
		}
		if (gen_unit(&r) < p->pinned) {
			a->pinned = 1;
			a->start = y0 + gen_below(&r, ndays - 40);
		}
	}
	for (size_t i = 0; i + 1 < p->activities && p->precedences > 0; i++) {
		if (gen_unit(&r) >= p->precedences)
			continue;
		size_t j = i + 1 + (size_t)gen_below(&r, (int)(p->activities - i - 1 < 20 ? p->activities - i - 1 : 20));
		int min_gap = gen_below(&r, 4) == 0 ? 0 : gen_below(&r, 30);
		int max_gap = gen_below(&r, 3) == 0 ? min_gap + 10 + gen_below(&r, 90) : -1;

		if ((rc = coplan_plan_add_precedence(plan, plan->activities[i].ref,
		                                     plan->activities[j].ref, min_gap, max_gap)))
			goto cleanup;
	}
	for (size_t k = 0; k < nn + p->units; k++) {
		int count = (int)(p->blackouts * 2 * gen_unit(&r) + 0.5);

		if (k < nn)
			snprintf(name, sizeof(name), "%s", gen_nations[k]);
		else
			snprintf(name, sizeof(name), "Unit %zu", k - nn + 1);
		for (int b = 0; b < count; b++) {
			coplan_date f = y0 + gen_below(&r, ndays - 20);
			int len = 1 + gen_below(&r, 14), hard = gen_below(&r, 2);

			if ((rc = coplan_plan_add_blackout(plan, name, f, f + len - 1, hard,
			                                   hard ? "exercise season" : "leave period")))
				goto cleanup;
		}
	}
	*out = plan;
	plan = NULL;
cleanup:
	free(load);
	coplan_plan_free(plan);
	return rc;
}

/* Add the blackouts of one scope: count periods of 1-20 days, hard with probability hard_p. */
static int gen_blackouts(coplan_plan *plan, gen_rng *r, const char *scope, int count, double hard_p,
                         coplan_date y0, int ndays)
{
	for (int b = 0; b < count; b++) {
		coplan_date f = y0 + gen_below(r, ndays - 25);
		int len = 1 + gen_below(r, 20), hard = gen_unit(r) < hard_p;
		int rc = coplan_plan_add_blackout(plan, scope, f, f + len - 1, hard,
		                                  hard ? "exercise season" : "leave period");

		if (rc)
			return rc;
	}
	return 0;
}

int plan_gen_hard(coplan_plan **out, unsigned long seed, size_t n)
{
	coplan_plan *plan = NULL;
	gen_rng r = { seed * 0x2545F4914F6CDD1DULL + n * 7919 + 1 };
	size_t nn = n / 40 < 4 ? 4 : n / 40 > GEN_NATIONS ? GEN_NATIONS : n / 40;
	size_t nu = n / 5 < 6 ? 6 : n / 5, shared = nu / 20 < 2 ? 2 : nu / 20;
	coplan_date y0 = coplan_date_from_ymd(2024, 1, 1), y1 = coplan_date_from_ymd(2024, 12, 31);
	int ndays = y1 - y0 + 1, rc;
	int *load = calloc(nu + 1, sizeof(int));
	char name[64];

	if (!load)
		return COPLAN_ENOMEM;
	if ((rc = coplan_plan_new(&plan)))
		goto cleanup;
	plan->year = 2024;
	plan->window_from = y0;
	plan->window_to = y1;
	if (!(plan->title = strdup("Generated plan (benchmark library)"))) {
		rc = COPLAN_ENOMEM;
		goto cleanup;
	}
	for (size_t k = 0; k < nn; k++) {
		if ((rc = coplan_plan_add_nation(plan, gen_nations[k])))
			goto cleanup;
		if (k < 3)
			continue;  /* ITA, JPN, GBR: built-in holidays */
		for (int h = 4 + gen_below(&r, 7); h > 0; h--)
			if ((rc = coplan_plan_add_holiday(plan, gen_nations[k], y0 + gen_below(&r, ndays),
			                                  "national holiday")))
				goto cleanup;
		if (k % 5 == 4)  /* a nation that also rests on Fridays */
			for (coplan_date d = y0; d <= y1; d++)
				if (coplan_date_weekday(d) == 5 &&
				    (rc = coplan_plan_add_holiday(plan, gen_nations[k], d, "weekend (Friday)")))
					goto cleanup;
	}
	for (size_t i = 0; i < n; i++) {
		coplan_activity *a;
		int span, busy = 0;
		double w;

		if ((rc = coplan_plan_add_activity(plan, &a)))
			goto cleanup;
		snprintf(name, sizeof(name), "H%05zu", i + 1);
		a->ref = strdup(name);
		snprintf(name, sizeof(name), "Activity %zu", i + 1);
		a->title = strdup(name);
		if (!a->ref || !a->title) {
			rc = COPLAN_ENOMEM;
			goto cleanup;
		}
		/* half the activities go to the first five nations: busy hosts */
		memcpy(a->host, gen_nations[gen_below(&r, gen_below(&r, 2) ? (int)nn : (nn < 5 ? (int)nn : 5))],
		       COPLAN_NATION_LEN);
		if ((rc = coplan_activity_add_participant(a, a->host)))
			goto cleanup;
		for (int k = gen_below(&r, 3); k > 0; k--)
			if ((rc = coplan_activity_add_participant(a, gen_nations[gen_below(&r, (int)nn)])))
				goto cleanup;
		a->day_mode = gen_below(&r, 20) < 11 ? COPLAN_DAYS_WORKING : COPLAN_DAYS_CALENDAR;
		a->duration = gen_below(&r, 4) == 0 ? 10 + gen_below(&r, 31) : 1 + gen_below(&r, 7);
		span = a->day_mode == COPLAN_DAYS_WORKING ? a->duration * 7 / 5 + 3 : a->duration;
		if (gen_unit(&r) < 0.35) {  /* a busy shared unit */
			int u = gen_below(&r, (int)shared);

			if (load[u] + span <= ndays * 9 / 10) {
				load[u] += span;
				busy = 1;
				snprintf(name, sizeof(name), "Unit %d", u + 1);
				if ((rc = coplan_activity_add_unit(a, name)))
					goto cleanup;
			}
		}
		for (int k = gen_below(&r, 3 - busy); k > 0; k--) {
			int u = (int)shared + gen_below(&r, (int)(nu - shared));

			if (load[u] + span > ndays * 6 / 10)
				continue;
			load[u] += span;
			snprintf(name, sizeof(name), "Unit %d", u + 1);
			if ((rc = coplan_activity_add_unit(a, name)))
				goto cleanup;
		}
		w = gen_unit(&r);
		if (w < 0.10) {  /* tight: a few days of slack */
			a->earliest = y0 + gen_below(&r, ndays - span - 10);
			a->latest = a->earliest + span + gen_below(&r, 6);
		} else if (w < 0.45) {  /* 30-90 days */
			a->earliest = y0 + gen_below(&r, ndays - 100);
			a->latest = a->earliest + span + 30 + gen_below(&r, 61);
		}
		if (a->latest != COPLAN_DATE_NONE && a->latest > y1)
			a->latest = y1;
		if (gen_unit(&r) < 0.8) {
			coplan_date from = a->earliest != COPLAN_DATE_NONE && gen_below(&r, 2)
			                   ? a->earliest + gen_below(&r, 20) : y0 + gen_below(&r, ndays - 30);
			int len = gen_below(&r, 3) ? 30 : 14;

			a->requested_from = from;
			a->requested_to = from + len - 1 > y1 ? y1 : from + len - 1;
		}
		if (gen_unit(&r) < 0.01) {
			a->pinned = 1;
			a->start = y0 + gen_below(&r, ndays - 60);
		}
	}
	/* precedence chains: 3-6 activities, each later in the plan's order than the one before */
	for (size_t i = 0; i + 6 < n; i++) {
		size_t at = i;

		if (gen_unit(&r) >= 0.06)
			continue;
		for (int len = 2 + gen_below(&r, 4); len > 0 && at + 1 < n; len--) {
			size_t next = at + 1 + (size_t)gen_below(&r, n - at - 1 < 30 ? (int)(n - at - 1) : 30);
			int min_gap = gen_below(&r, 3) == 0 ? 0 : gen_below(&r, 15);
			int max_gap = gen_below(&r, 10) < 3 ? min_gap + 5 + gen_below(&r, 40) : -1;

			if ((rc = coplan_plan_add_precedence(plan, plan->activities[at].ref,
			                                     plan->activities[next].ref, min_gap, max_gap)))
				goto cleanup;
			at = next;
		}
	}
	for (size_t k = 0; k < nn; k++)
		if ((rc = gen_blackouts(plan, &r, gen_nations[k], 1 + gen_below(&r, 3), 0.4, y0, ndays)))
			goto cleanup;
	for (size_t u = 0; u < nu; u++) {
		snprintf(name, sizeof(name), "Unit %zu", u + 1);
		if ((rc = gen_blackouts(plan, &r, name, gen_below(&r, 3), 0.5, y0, ndays)))
			goto cleanup;
	}
	*out = plan;
	plan = NULL;
cleanup:
	free(load);
	coplan_plan_free(plan);
	return rc;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* test_cost.c - cost and budget (issue 17): currencies, amounts, payers, exact conversion, totals, budgets, import, upgrade. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "coplan/coplan.h"
#include "coplan/cost.h"
#include "test_util.h"

#define TMP COPLAN_TEST_TMP "/"

static coplan_activity *add(coplan_plan *plan, const char *ref, const char *host, const char *other)
{
	coplan_activity *a;

	assert_int_equal(coplan_plan_add_activity(plan, &a), 0);
	a->ref = strdup(ref);
	a->title = strdup("Staff talks");
	memcpy(a->host, host, 4);
	a->duration = 1;
	assert_int_equal(coplan_activity_add_participant(a, host), 0);
	if (other)
		assert_int_equal(coplan_activity_add_participant(a, other), 0);
	return a;
}

static void set_cost(coplan_activity *a, const char *currency, long long estimate, const char *payer)
{
	memcpy(a->currency, currency, 4);
	a->has_cost_estimate = 1;
	a->cost_estimate = estimate;
	free(a->shares);
	a->shares = NULL;
	a->n_shares = 0;
	assert_int_equal(coplan_payer_parse(&a->paid_by, &a->shares, &a->n_shares, payer), 0);
}

static coplan_plan *new_plan(void)
{
	coplan_plan *plan;

	assert_int_equal(coplan_plan_new(&plan), 0);
	plan->title = strdup("Cost test");
	plan->year = 2024;
	plan->window_from = coplan_date_from_ymd(2024, 1, 1);
	plan->window_to = coplan_date_from_ymd(2024, 12, 31);
	assert_int_equal(coplan_plan_add_nation(plan, "ITA"), 0);
	assert_int_equal(coplan_plan_add_nation(plan, "JPN"), 0);
	return plan;
}

static void test_currencies(void **state)
{
	(void)state;
	assert_true(coplan_currency_valid("EUR"));
	assert_true(coplan_currency_valid("JPY"));
	assert_true(coplan_currency_valid("GBP"));
	assert_true(coplan_currency_valid("USD"));
	assert_false(coplan_currency_valid("EUX"));
	assert_false(coplan_currency_valid("eur"));
	assert_false(coplan_currency_valid("XXX"));    /* ISO 4217's "no currency" */
	assert_false(coplan_currency_valid("XAU"));    /* gold: no minor unit */
	assert_false(coplan_currency_valid(""));
	assert_false(coplan_currency_valid(NULL));
	assert_int_equal(coplan_currency_decimals("EUR"), 2);
	assert_int_equal(coplan_currency_decimals("JPY"), 0);
	assert_int_equal(coplan_currency_decimals("KRW"), 0);
	assert_int_equal(coplan_currency_decimals("KWD"), 3);
	assert_int_equal(coplan_currency_decimals("CLF"), 4);
}

static void test_amounts(void **state)
{
	long long v;
	char buf[32];

	(void)state;
	assert_int_equal(coplan_amount_parse(&v, "12000.50", "EUR"), 0);
	assert_int_equal(v, 1200050);
	assert_int_equal(coplan_amount_parse(&v, "12000.5", "EUR"), 0);
	assert_int_equal(v, 1200050);
	assert_int_equal(coplan_amount_parse(&v, "12000", "EUR"), 0);
	assert_int_equal(v, 1200000);
	assert_int_equal(coplan_amount_parse(&v, "1500000", "JPY"), 0);
	assert_int_equal(v, 1500000);
	assert_int_equal(coplan_amount_parse(&v, "1.234", "KWD"), 0);
	assert_int_equal(v, 1234);
	assert_int_equal(coplan_amount_parse(&v, "1500000.5", "JPY"), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "JPY"));
	assert_int_equal(coplan_amount_parse(&v, "1.234", "EUR"), COPLAN_EINVALID);
	assert_int_equal(coplan_amount_parse(&v, "-1", "EUR"), COPLAN_EINVALID);
	assert_int_equal(coplan_amount_parse(&v, "1e3", "EUR"), COPLAN_EINVALID);
	assert_int_equal(coplan_amount_parse(&v, "1,000", "EUR"), COPLAN_EINVALID);
	assert_int_equal(coplan_amount_parse(&v, "", "EUR"), COPLAN_EINVALID);
	assert_int_equal(coplan_amount_parse(&v, ".", "EUR"), COPLAN_EINVALID);
	assert_int_equal(coplan_amount_parse(&v, "1", "EUX"), COPLAN_EINVALID);
	assert_int_equal(coplan_amount_parse(&v, "10000000000000000", "JPY"), COPLAN_EINVALID);
	assert_int_equal(coplan_amount_parse(&v, "999999999999999", "JPY"), 0);
	assert_int_equal(coplan_amount_parse(&v, "10000000000000", "EUR"), COPLAN_EINVALID);
	assert_string_equal(coplan_amount_format(buf, sizeof(buf), 1200050, "EUR"), "12000.50");
	assert_string_equal(coplan_amount_format(buf, sizeof(buf), 5, "EUR"), "0.05");
	assert_string_equal(coplan_amount_format(buf, sizeof(buf), 1500000, "JPY"), "1500000");
	assert_string_equal(coplan_amount_format(buf, sizeof(buf), 1234, "KWD"), "1.234");
}

static void test_payers(void **state)
{
	coplan_cost_share *s = NULL;
	coplan_payer p;
	size_t n;
	coplan_activity a;
	char buf[128];

	(void)state;
	assert_int_equal(coplan_payer_parse(&p, &s, &n, "host"), 0);
	assert_int_equal(p, COPLAN_PAYER_HOST);
	assert_int_equal(coplan_payer_parse(&p, &s, &n, "Sending"), 0);
	assert_int_equal(p, COPLAN_PAYER_SENDING);
	assert_int_equal(coplan_payer_parse(&p, &s, &n, ""), 0);
	assert_int_equal(p, COPLAN_PAYER_UNSET);
	assert_int_equal(coplan_payer_parse(&p, &s, &n, "shared:ita=60, JPN=40"), 0);
	assert_int_equal(p, COPLAN_PAYER_SHARED);
	assert_int_equal(n, 2);
	assert_string_equal(s[0].nation, "ITA");
	assert_int_equal(s[1].percent, 40);
	memset(&a, 0, sizeof(a));
	a.paid_by = p;
	a.shares = s;
	a.n_shares = n;
	assert_string_equal(coplan_payer_format(buf, sizeof(buf), &a), "shared:ITA=60,JPN=40");
	free(s);
	assert_int_equal(coplan_payer_parse(&p, &s, &n, "shared:ITA=60,JPN=30"), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "90%"));
	assert_int_equal(coplan_payer_parse(&p, &s, &n, "shared:ITA=50,ITA=50"), COPLAN_EINVALID);
	assert_int_equal(coplan_payer_parse(&p, &s, &n, "shared:ITL=100"), COPLAN_EINVALID);
	assert_int_equal(coplan_payer_parse(&p, &s, &n, "shared:ITA=0,JPN=100"), COPLAN_EINVALID);
	assert_int_equal(coplan_payer_parse(&p, &s, &n, "shared:"), COPLAN_EINVALID);
	assert_int_equal(coplan_payer_parse(&p, &s, &n, "guest"), COPLAN_EINVALID);
}

/*
 * Conversion is exact to the minor unit, rounded once, a half away from
 * zero: the stated rule, checked on values whose exact results are known.
 */
static void test_convert_exact(void **state)
{
	coplan_plan *plan = new_plan();
	coplan_date jan = coplan_date_from_ymd(2024, 1, 1), jul = coplan_date_from_ymd(2024, 7, 1);
	long long v;

	(void)state;
	assert_int_equal(coplan_plan_add_rate(plan, "EUR", "JPY", "160.5", jan), 0);
	assert_int_equal(coplan_plan_add_rate(plan, "EUR", "JPY", "170", jul), 0);
	assert_int_equal(coplan_plan_add_rate(plan, "EUR", "USD", "1.5", jan), 0);
	assert_int_equal(coplan_plan_add_rate(plan, "EUR", "KWD", "0.3333", jan), 0);
	/* 12000.50 EUR at 160.5 = 1926080.25 JPY: down to 1926080 */
	assert_int_equal(coplan_cost_convert(&v, plan, 1200050, "EUR", "JPY", coplan_date_from_ymd(2024, 6, 30)), 0);
	assert_int_equal(v, 1926080);
	/* from 1 July the newer rate: 12000.50 * 170 = 2040085 exactly */
	assert_int_equal(coplan_cost_convert(&v, plan, 1200050, "EUR", "JPY", jul), 0);
	assert_int_equal(v, 2040085);
	/* a half away from zero: 0.05 EUR * 1.5 = 0.075 USD -> 0.08 */
	assert_int_equal(coplan_cost_convert(&v, plan, 5, "EUR", "USD", jan), 0);
	assert_int_equal(v, 8);
	/* just below a half: 0.03 EUR * 1.5 = 0.045 -> 0.05 (a half), 0.01 * 1.5 = 0.015 -> 0.02 */
	assert_int_equal(coplan_cost_convert(&v, plan, 1, "EUR", "USD", jan), 0);
	assert_int_equal(v, 2);
	/* the inverse of EUR -> JPY: 1 JPY = 1/160.5 EUR = 0.623 cent -> 0.01 EUR; 100 JPY = 62.3 cents -> 0.62 */
	assert_int_equal(coplan_cost_convert(&v, plan, 1, "JPY", "EUR", jan), 0);
	assert_int_equal(v, 1);
	assert_int_equal(coplan_cost_convert(&v, plan, 100, "JPY", "EUR", jan), 0);
	assert_int_equal(v, 62);
	/* 321 JPY / 160.5 = exactly 2.00 EUR */
	assert_int_equal(coplan_cost_convert(&v, plan, 321, "JPY", "EUR", jan), 0);
	assert_int_equal(v, 200);
	/* three decimals: 10.00 EUR * 0.3333 = 3.333 KWD exactly */
	assert_int_equal(coplan_cost_convert(&v, plan, 1000, "EUR", "KWD", jan), 0);
	assert_int_equal(v, 3333);
	/* no rate before the first, none for another pair: the caller keeps the currency */
	assert_int_equal(coplan_cost_convert(&v, plan, 100, "EUR", "JPY", coplan_date_from_ymd(2023, 12, 31)),
	                 COPLAN_ENOTFOUND);
	assert_int_equal(coplan_cost_convert(&v, plan, 100, "GBP", "JPY", jan), COPLAN_ENOTFOUND);
	/* no chain through a third currency: USD -> JPY is not EUR's business */
	assert_int_equal(coplan_cost_convert(&v, plan, 100, "USD", "JPY", jan), COPLAN_ENOTFOUND);
	/* the same currency is the amount itself */
	assert_int_equal(coplan_cost_convert(&v, plan, 123, "GBP", "GBP", jan), 0);
	assert_int_equal(v, 123);
	/* rates: canonical text, refused when not a positive decimal */
	{
		char *r = NULL;

		assert_int_equal(coplan_rate_parse(&r, "0160.500"), 0);
		assert_string_equal(r, "160.5");
		free(r);
		assert_int_equal(coplan_rate_parse(&r, ".5"), 0);
		assert_string_equal(r, "0.5");
		free(r);
		assert_int_equal(coplan_rate_parse(&r, "0"), COPLAN_EINVALID);
		assert_int_equal(coplan_rate_parse(&r, "1e2"), COPLAN_EINVALID);
		assert_int_equal(coplan_rate_parse(&r, "-1"), COPLAN_EINVALID);
		assert_int_equal(coplan_rate_parse(&r, "1.0000000001"), COPLAN_EINVALID);
	}
	assert_int_equal(coplan_plan_add_rate(plan, "EUR", "EUR", "1", jan), COPLAN_EINVALID);
	coplan_plan_free(plan);
}

/* A tiny deterministic generator, so a failure repeats. */
static unsigned long long rng_state = 0x9E3779B97F4A7C15ULL;

static unsigned long long rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static const char *const currencies[] = { "EUR", "JPY", "USD", "GBP", "KWD" };
static const char *const payers[] = { "host", "sending", "shared:ITA=60,JPN=40", "shared:ITA=33,JPN=33,GBR=34", "" };
static const char *const areas[] = { "training", "GCAP", "strategic dialogue", "" };

/* A random plan of n activities with costs in five currencies, random payers, areas and dates. */
static coplan_plan *random_plan(size_t n)
{
	coplan_plan *plan = new_plan();

	for (size_t i = 0; i < n; i++) {
		char ref[32];
		coplan_activity *a;

		snprintf(ref, sizeof(ref), "A-%zu", i);
		a = add(plan, ref, rng() % 2 ? "ITA" : "JPN", rng() % 3 ? (rng() % 2 ? "GBR" : "JPN") : NULL);
		if (rng() % 8 == 0)
			continue;   /* no cost recorded */
		set_cost(a, currencies[rng() % 5], (long long)(rng() % 100000000), payers[rng() % 5]);
		if (rng() % 3 == 0) {
			a->has_cost_actual = 1;
			a->cost_actual = (long long)(rng() % 100000000);
		}
		if (rng() % 5 == 0)
			a->status = COPLAN_STATUS_CANCELLED;
		if (*areas[rng() % 4])
			a->area = strdup(areas[rng() % 3]);
		if (rng() % 4) {
			a->start = plan->window_from + (coplan_date)(rng() % 366);
			a->end = a->start;
		}
	}
	assert_int_equal(coplan_plan_validate(plan), 0);
	return plan;
}

/*
 * Property: without rates, every total is in one currency, and for each
 * currency and each grouping the totals add up to exactly the amounts in
 * that currency (estimates of activities not cancelled, actuals of all):
 * nothing is lost, nothing is counted in another currency.
 */
static void test_totals_never_mix(void **state)
{
	(void)state;
	for (int round = 0; round < 200; round++) {
		coplan_plan *plan = random_plan(1 + rng() % 40);

		for (coplan_cost_group by = COPLAN_COST_BY_HOST; by <= COPLAN_COST_BY_ALL; by++) {
			coplan_cost_total *t = NULL;
			size_t n = 0;

			assert_int_equal(coplan_cost_totals(&t, &n, plan, by, NULL), 0);
			for (size_t c = 0; c < 5; c++) {
				long long want_e = 0, want_a = 0, got_e = 0, got_a = 0;

				for (size_t i = 0; i < plan->n_activities; i++) {
					const coplan_activity *a = &plan->activities[i];

					if (strcmp(a->currency, currencies[c]))
						continue;
					if (a->has_cost_estimate && a->status != COPLAN_STATUS_CANCELLED)
						want_e += a->cost_estimate;
					if (a->has_cost_actual)
						want_a += a->cost_actual;
				}
				for (size_t k = 0; k < n; k++) {
					assert_true(coplan_currency_valid(t[k].currency));
					assert_int_equal(t[k].n_converted, 0);
					if (!strcmp(t[k].currency, currencies[c])) {
						got_e += t[k].estimate;
						got_a += t[k].actual;
					}
				}
				assert_int_equal(got_e, want_e);
				assert_int_equal(got_a, want_a);
			}
			/* each (group, currency) once */
			for (size_t k = 1; k < n; k++)
				assert_true(strcmp(t[k - 1].group, t[k].group) < 0 ||
				            (!strcmp(t[k - 1].group, t[k].group) &&
				             strcmp(t[k - 1].currency, t[k].currency) < 0));
			free(t);
		}
		coplan_plan_free(plan);
	}
}

/*
 * Property with rates: converting into EUR, an amount whose currency has a
 * rate on its day is counted converted in EUR, and one without stays in
 * its own currency; the EUR totals are the sum of the conversions, each
 * within half a cent of the exact product (the rounding rule), and the
 * other currencies' totals are exactly their unconverted amounts.
 */
static void test_totals_with_rates(void **state)
{
	(void)state;
	for (int round = 0; round < 100; round++) {
		coplan_plan *plan = random_plan(1 + rng() % 40);
		coplan_cost_total *t = NULL;
		size_t n = 0;
		long long want[5] = { 0 };

		/* JPY to EUR (inverse of EUR -> JPY) from a random day; USD -> EUR from January; GBP and KWD none */
		assert_int_equal(coplan_plan_add_rate(plan, "EUR", "JPY", "160.5",
		                                      plan->window_from + (coplan_date)(rng() % 200)), 0);
		assert_int_equal(coplan_plan_add_rate(plan, "USD", "EUR", "0.921", plan->window_from), 0);
		assert_int_equal(coplan_cost_totals(&t, &n, plan, COPLAN_COST_BY_ALL, "EUR"), 0);
		for (size_t i = 0; i < plan->n_activities; i++) {
			const coplan_activity *a = &plan->activities[i];
			coplan_date day = a->start != COPLAN_DATE_NONE ? a->start : a->earliest;
			long long e;
			size_t c;

			if (!a->has_cost_estimate || a->status == COPLAN_STATUS_CANCELLED)
				continue;
			for (c = 0; strcmp(currencies[c], a->currency); c++)
				;
			if (coplan_cost_convert(&e, plan, a->cost_estimate, a->currency, "EUR", day) == 0) {
				/* the rounding rule, checked with its own arithmetic: |e*den - amount*num| <= den/2 */
				long double exact = 0;

				if (!strcmp(a->currency, "JPY"))
					exact = (long double)a->cost_estimate * 100 / 160.5L;
				else if (!strcmp(a->currency, "USD"))
					exact = (long double)a->cost_estimate * 0.921L;
				else
					exact = (long double)a->cost_estimate;
				assert_true((long double)e - exact <= 0.5L + 1e-6L && exact - (long double)e < 0.5L + 1e-6L);
				want[0] += e;
			} else {
				assert_true(strcmp(a->currency, "GBP") == 0 || strcmp(a->currency, "KWD") == 0 ||
				            strcmp(a->currency, "JPY") == 0);
				want[c] += a->cost_estimate;
			}
		}
		for (size_t c = 0; c < 5; c++) {
			long long got = 0;

			for (size_t k = 0; k < n; k++)
				if (!strcmp(t[k].currency, currencies[c]))
					got += t[k].estimate;
			assert_int_equal(got, want[c]);
		}
		free(t);
		coplan_plan_free(plan);
	}
}

/* A shared cost's parts always sum to the amount: the minor units left go one each, in order. */
static void test_split_exact(void **state)
{
	coplan_plan *plan = new_plan();
	coplan_cost_total *t = NULL;
	size_t n = 0;
	coplan_activity *a = add(plan, "A-1", "ITA", "JPN");

	(void)state;
	set_cost(a, "EUR", 101, "shared:ITA=33,JPN=33,GBR=34");
	assert_int_equal(coplan_cost_totals(&t, &n, plan, COPLAN_COST_BY_PAYER, NULL), 0);
	assert_int_equal(n, 3);
	/* 33.33 + 33.33 + 34.34 = 100.0 -> 101: one cent more to the first */
	assert_string_equal(t[0].group, "GBR");
	assert_int_equal(t[0].estimate, 34);
	assert_string_equal(t[1].group, "ITA");
	assert_int_equal(t[1].estimate, 34);
	assert_string_equal(t[2].group, "JPN");
	assert_int_equal(t[2].estimate, 33);
	free(t);
	/* sending: the participants other than the host, evenly */
	set_cost(a, "JPY", 1001, "sending");
	assert_int_equal(coplan_activity_add_participant(a, "GBR"), 0);
	assert_int_equal(coplan_cost_totals(&t, &n, plan, COPLAN_COST_BY_PAYER, NULL), 0);
	assert_int_equal(n, 2);
	assert_string_equal(t[0].group, "GBR");
	assert_int_equal(t[0].estimate, 500);
	assert_string_equal(t[1].group, "JPN");
	assert_int_equal(t[1].estimate, 501);
	free(t);
	coplan_plan_free(plan);
}

static void test_budget_warnings(void **state)
{
	coplan_plan *plan = new_plan();
	coplan_budget_use *u = NULL;
	size_t n = 0;
	coplan_activity *a;
	char *text = NULL;

	(void)state;
	assert_int_equal(coplan_plan_set_budget(plan, "ITA", 2024, "SMD", "EUR", 10000), 0);   /* 100.00 */
	assert_int_equal(coplan_plan_set_budget(plan, "JPN", 2024, "SMD", "JPY", 100000), 0);
	a = add(plan, "A-1", "ITA", "JPN");
	set_cost(a, "EUR", 6000, "host");
	a->funding_line = strdup("SMD");
	a = add(plan, "A-2", "ITA", "JPN");
	set_cost(a, "EUR", 10000, "shared:ITA=50,JPN=50");
	a->funding_line = strdup("SMD");
	/* not counted: cancelled, another year, another line */
	a = add(plan, "A-3", "ITA", NULL);
	set_cost(a, "EUR", 90000, "host");
	a->funding_line = strdup("SMD");
	a->status = COPLAN_STATUS_CANCELLED;
	a = add(plan, "A-4", "ITA", NULL);
	set_cost(a, "EUR", 90000, "host");
	a->funding_line = strdup("SMD");
	a->start = a->end = coplan_date_from_ymd(2025, 1, 10);
	a = add(plan, "A-5", "ITA", NULL);
	set_cost(a, "EUR", 90000, "host");
	a->funding_line = strdup("Navy");
	/* in yen, paid by Italy on the line: not counted without a rate */
	a = add(plan, "A-6", "JPN", "ITA");
	set_cost(a, "JPY", 1605, "sending");
	a->funding_line = strdup("SMD");
	assert_int_equal(coplan_plan_validate(plan), 0);

	assert_int_equal(coplan_budget_uses(&u, &n, plan), 0);
	assert_int_equal(n, 2);
	assert_int_equal(u[0].planned, 11000);     /* 60.00 + half of 100.00 */
	assert_int_equal(u[0].n, 2);
	assert_int_equal(u[0].n_unconverted, 1);
	assert_true(u[0].over);
	assert_int_equal(u[1].planned, 0);         /* JPN pays half of A-2, in EUR: no rate */
	assert_int_equal(u[1].n_unconverted, 1);
	assert_false(u[1].over);
	free(u);
	assert_int_equal(coplan_report_costs(&text, NULL, plan, NULL), 0);
	assert_non_null(strstr(text, "warning: ITA's budget for 2024 on 'SMD' is exceeded: planned 110.00 EUR, "
	                             "budget 100.00 EUR (over by 10.00)"));
	assert_non_null(strstr(text, "without a rate to EUR: not counted"));
	assert_null(strstr(text, "JPN's budget for 2024 on 'SMD' is exceeded"));
	free(text);

	/* with a rate, the yen are counted, converted on the activity's day */
	assert_int_equal(coplan_plan_add_rate(plan, "EUR", "JPY", "160.5", coplan_date_from_ymd(2024, 1, 1)), 0);
	assert_int_equal(coplan_budget_uses(&u, &n, plan), 0);
	assert_int_equal(u[0].planned, 12000);     /* + 1605 JPY = 10.00 EUR */
	assert_int_equal(u[0].n_unconverted, 0);
	assert_int_equal(u[1].planned, 8025);      /* 50.00 EUR = 8025 JPY */
	assert_false(u[1].over);
	free(u);
	/* a budget exactly met is not exceeded */
	assert_int_equal(coplan_plan_set_budget(plan, "ITA", 2024, "SMD", "EUR", 12000), 0);
	assert_int_equal(coplan_budget_uses(&u, &n, plan), 0);
	assert_false(u[0].over);
	free(u);
	/* one budget per nation, year, line and currency */
	assert_int_equal(plan->n_budgets, 2);
	coplan_plan_free(plan);
}

static void test_validation(void **state)
{
	coplan_plan *plan = new_plan();
	coplan_activity *a = add(plan, "A-1", "ITA", NULL);

	(void)state;
	a->has_cost_estimate = 1;
	a->cost_estimate = 100;
	assert_int_equal(coplan_plan_validate(plan), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "needs its currency"));
	memcpy(a->currency, "EUX", 4);
	assert_int_equal(coplan_plan_validate(plan), COPLAN_EINVALID);
	memcpy(a->currency, "EUR", 4);
	assert_int_equal(coplan_plan_validate(plan), 0);
	a->funding_line = malloc(COPLAN_FUNDING_LINE_MAX + 2);
	memset(a->funding_line, 'x', COPLAN_FUNDING_LINE_MAX + 1);
	a->funding_line[COPLAN_FUNDING_LINE_MAX + 1] = '\0';
	assert_int_equal(coplan_plan_validate(plan), COPLAN_EINVALID);
	a->funding_line[COPLAN_FUNDING_LINE_MAX] = '\0';
	assert_int_equal(coplan_plan_validate(plan), 0);
	assert_int_equal(coplan_plan_set_budget(plan, "ITL", 2024, "L", "EUR", 1), COPLAN_EINVALID);
	coplan_plan_free(plan);
}

/* The JSON document carries costs, budgets and rates and reads back the same. */
static void test_json_round_trip(void **state)
{
	coplan_plan *plan = new_plan(), *back = NULL;
	coplan_activity *a = add(plan, "A-1", "ITA", "JPN");
	char *snap = NULL;
	size_t len;

	(void)state;
	set_cost(a, "JPY", 1500000, "shared:ITA=60,JPN=40");
	a->has_cost_actual = 1;
	a->cost_actual = 1499999;
	a->funding_line = strdup("GCAP programme");
	add(plan, "A-2", "JPN", NULL);
	assert_int_equal(coplan_plan_set_budget(plan, "ITA", 2024, "GCAP programme", "EUR", 5000000), 0);
	assert_int_equal(coplan_plan_add_rate(plan, "EUR", "JPY", "160.5", coplan_date_from_ymd(2024, 1, 1)), 0);
	assert_int_equal(coplan_plan_snapshot(&snap, &len, plan), 0);
	assert_non_null(strstr(snap, "\"estimate\": \"1500000\""));
	assert_non_null(strstr(snap, "\"amount\": \"50000.00\""));
	assert_int_equal(coplan_plan_from_snapshot(&back, "test", snap, len), 0);
	assert_true(coplan_activity_cost_equal(&plan->activities[0], &back->activities[0]));
	assert_true(coplan_activity_cost_equal(&plan->activities[1], &back->activities[1]));
	assert_int_equal(back->n_budgets, 1);
	assert_int_equal(back->budgets[0].amount, 5000000);
	assert_int_equal(back->n_rates, 1);
	assert_string_equal(back->rates[0].rate, "160.5");
	coplan_plan_free(back);
	free(snap);
	/* a bad amount names its place */
	{
		static const char doc[] = "{\"plan\": {\"title\": \"T\", \"year\": 2024}, \"activities\": [{\"ref\": \"A\", "
		                          "\"title\": \"T\", \"host\": \"ITA\", \"duration\": 1, \"cost\": "
		                          "{\"currency\": \"JPY\", \"estimate\": \"10.5\"}}]}";

		assert_int_equal(coplan_import_plan_json_buffer(&back, "bad.json", doc, strlen(doc)), COPLAN_EINVALID);
		assert_non_null(strstr(coplan_error_last(), "bad.json: activities[0].cost.estimate: "));
	}
	coplan_plan_free(plan);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	fclose(f);
}

/* The activities sheet's cost columns: read, and every fault at its cell, all or nothing. */
static void test_csv_columns(void **state)
{
	coplan_plan *plan = new_plan();
	size_t n = 0;

	(void)state;
	write_file(TMP "cost-ok.csv", "ref,title,host,duration,cost_estimate,currency,paid_by,funding_line\n"
	                              "A-1,Talks,ITA,2,\"12000,50\",eur,\"shared:ITA=60,JPN=40\",SMD\n"
	                              "A-2,Visit,JPN,1,1500000,JPY,host,\n");
	assert_int_equal(coplan_import_activities_csv(plan, TMP "cost-ok.csv", NULL, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(plan->activities[0].cost_estimate, 1200050);
	assert_string_equal(plan->activities[0].currency, "EUR");
	assert_int_equal(plan->activities[0].n_shares, 2);
	assert_string_equal(plan->activities[0].funding_line, "SMD");
	assert_int_equal(plan->activities[1].cost_estimate, 1500000);
	coplan_plan_free(plan);

	plan = new_plan();
	write_file(TMP "cost-bad.csv", "ref,title,host,duration,cost_estimate,currency\n"
	                               "A-1,Talks,ITA,2,100,EUR\n"
	                               "A-2,Visit,JPN,1,100.5,JPY\n");
	assert_int_equal(coplan_import_activities_csv(plan, TMP "cost-bad.csv", NULL, &n), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "cost-bad.csv:3:5: "));
	assert_int_equal(plan->n_activities, 0);
	write_file(TMP "cost-bad.csv", "ref,title,host,duration,cost_estimate,currency,paid_by\n"
	                               "A-1,Talks,ITA,2,100,EUX,\n");
	assert_int_equal(coplan_import_activities_csv(plan, TMP "cost-bad.csv", NULL, &n), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "cost-bad.csv:2:6: unknown currency 'EUX'"));
	write_file(TMP "cost-bad.csv", "ref,title,host,duration,cost_estimate,currency,paid_by\n"
	                               "A-1,Talks,ITA,2,100,EUR,shared:ITA=70\n");
	assert_int_equal(coplan_import_activities_csv(plan, TMP "cost-bad.csv", NULL, &n), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "cost-bad.csv:2:7: "));
	assert_non_null(strstr(coplan_error_last(), "70%"));
	write_file(TMP "cost-bad.csv", "ref,title,host,duration,cost_estimate\n"
	                               "A-1,Talks,ITA,2,100\n");
	assert_int_equal(coplan_import_activities_csv(plan, TMP "cost-bad.csv", NULL, &n), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "cost-bad.csv:2:5: an amount needs its currency"));
	assert_int_equal(plan->n_activities, 0);
	coplan_plan_free(plan);
}

/* A plan folder's costs.csv: the costs of activities already read, all or nothing. */
static void test_costs_sheet(void **state)
{
	coplan_plan *plan = new_plan();
	size_t n = 0;

	(void)state;
	add(plan, "IT-01", "ITA", "JPN");
	add(plan, "JP-01", "JPN", "ITA");
	write_file(TMP "costs-ok.csv", "Ref,Cost estimate,Currency,Paid by,Funding line\n"
	                               "IT-01,18000.00,EUR,host,SMD\n"
	                               "JP-01,38000000,JPY,sending,Navy\n");
	assert_int_equal(coplan_import_costs_csv(plan, TMP "costs-ok.csv", NULL, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(plan->activities[0].cost_estimate, 1800000);
	assert_int_equal(plan->activities[1].paid_by, COPLAN_PAYER_SENDING);
	assert_string_equal(plan->activities[1].funding_line, "Navy");

	/* an error in the last row changes nothing, and names its cell */
	write_file(TMP "costs-bad.csv", "ref,cost_estimate,currency\n"
	                                "IT-01,1.00,EUR\n"
	                                "JP-02,5,JPY\n");
	assert_int_equal(coplan_import_costs_csv(plan, TMP "costs-bad.csv", NULL, &n), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "costs-bad.csv:3:1: no activity 'JP-02'"));
	assert_int_equal(plan->activities[0].cost_estimate, 1800000);
	write_file(TMP "costs-bad.csv", "ref,cost_estimate,currency\nIT-01,1.001,EUR\n");
	assert_int_equal(coplan_import_costs_csv(plan, TMP "costs-bad.csv", NULL, &n), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "costs-bad.csv:2:2: "));
	write_file(TMP "costs-bad.csv", "ref,price\nIT-01,1\n");
	assert_int_equal(coplan_import_costs_csv(plan, TMP "costs-bad.csv", NULL, &n), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "costs-bad.csv:1:2: unknown column 'price'"));
	write_file(TMP "costs-bad.csv", "ref,currency\nIT-01,JPY\n");   /* euros read as yen: refused */
	assert_int_equal(coplan_import_costs_csv(plan, TMP "costs-bad.csv", NULL, &n), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "costs-bad.csv:2:2: "));
	assert_string_equal(plan->activities[0].currency, "EUR");
	assert_int_equal(plan->activities[0].cost_estimate, 1800000);
	coplan_plan_free(plan);
}

/*
 * A database written by schema 13 (tests/data/store/schema-v13.sql, made
 * by the coplan of that schema) upgrades to 14 with every value kept, and
 * takes costs, budgets and rates afterwards.
 */
static void test_upgrade_from_13(void **state)
{
	const char *path = TMP "cost-v13.db";
	char *sql = test_read_file(COPLAN_TEST_DATA "/store/schema-v13.sql", NULL), *before, *after;
	coplan_store *st;
	coplan_plan *plan;
	coplan_activity_event *ev = NULL;
	coplan_plan_version *v = NULL;
	sqlite3 *db;
	size_t n;
	long i;

	(void)state;
	test_remove_db(path);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	free(sql);
	before = test_db_dump(path);

	assert_int_equal(coplan_store_open(&st, path), 0);
	assert_int_equal(coplan_store_check(st, 0, NULL, NULL, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(coplan_store_load_plan(st, 0, &plan, NULL), 0);
	assert_string_equal(plan->title, "Cooperation Plan 2024");
	assert_int_equal(plan->n_activities, 28);
	i = coplan_plan_find(plan, "JP-03");
	assert_true(i >= 0);
	assert_int_equal(plan->activities[i].status, COPLAN_STATUS_EXECUTED);
	i = coplan_plan_find(plan, "IT-05");
	assert_string_equal(plan->activities[i].location, "Rome");
	for (size_t k = 0; k < plan->n_activities; k++) {
		assert_false(plan->activities[k].has_cost_estimate);
		assert_int_equal(plan->activities[k].currency[0], '\0');
		assert_true(plan->activities[k].start != COPLAN_DATE_NONE);
	}
	assert_int_equal(plan->n_budgets, 0);
	assert_int_equal(coplan_store_history(st, 1, NULL, &ev, &n), 0);
	assert_int_equal(n, 2);
	coplan_activity_events_free(ev, n);
	assert_int_equal(coplan_store_versions(st, 1, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].state, COPLAN_VERSION_AGREED);
	coplan_plan_versions_free(v, n);

	/*
	 * every row of schema 13 is still there as it was: each row line of the
	 * old dump ("v1|v2|...|") is in the new one, the activities' with the
	 * five new columns after it (NULL: no cost recorded), then schema 17's
	 * releasable-to nations, filled at the upgrade from the unlabelled
	 * plan's parties
	 */
	coplan_store_close(st);
	after = test_db_dump(path);
	{
		char *save = NULL, *copy = strdup(before);
		size_t rows = 0;

		for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			if (line[strlen(line) - 1] != '|')
				continue;   /* a table's schema */
			rows++;
			if (!strstr(after, line))
				fail_msg("row lost or changed by the upgrade: %s", line);
		}
		assert_true(rows > 100);
		free(copy);
	}
	assert_non_null(strstr(after, "|NULL|NULL|NULL|NULL|NULL| ITA JPN |\n"));
	free(before);
	free(after);

	/* costs, budgets and rates on the upgraded file */
	assert_int_equal(coplan_store_open(&st, path), 0);
	memcpy(plan->activities[0].currency, "EUR", 4);
	plan->activities[0].has_cost_estimate = 1;
	plan->activities[0].cost_estimate = 1200050;
	assert_int_equal(coplan_plan_set_budget(plan, "ITA", 2024, "SMD", "EUR", 15000000), 0);
	assert_int_equal(coplan_plan_add_rate(plan, "EUR", "JPY", "160.5", coplan_date_from_ymd(2024, 1, 1)), 0);
	assert_int_equal(coplan_store_update_plan(st, 1, plan), 0);
	coplan_plan_free(plan);
	assert_int_equal(coplan_store_load_plan(st, 1, &plan, NULL), 0);
	assert_int_equal(plan->activities[0].cost_estimate, 1200050);
	assert_int_equal(plan->n_budgets, 1);
	assert_int_equal(plan->n_rates, 1);
	assert_int_equal(coplan_store_check(st, 0, NULL, NULL, &n), 0);
	assert_int_equal(n, 0);
	coplan_plan_free(plan);
	coplan_store_close(st);
	test_remove_db(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_currencies),
		cmocka_unit_test(test_amounts),
		cmocka_unit_test(test_payers),
		cmocka_unit_test(test_convert_exact),
		cmocka_unit_test(test_totals_never_mix),
		cmocka_unit_test(test_totals_with_rates),
		cmocka_unit_test(test_split_exact),
		cmocka_unit_test(test_budget_warnings),
		cmocka_unit_test(test_validation),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_csv_columns),
		cmocka_unit_test(test_costs_sheet),
		cmocka_unit_test(test_upgrade_from_13),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

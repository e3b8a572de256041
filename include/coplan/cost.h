/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/cost.h - what activities cost, who pays, budgets, the user's exchange rates, totals. */
#ifndef COPLAN_COST_H
#define COPLAN_COST_H

#include <stddef.h>
#include "coplan/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Money in coplan (issue 17) is an integer count of a currency's minor
 * unit (euro cents, whole yen), never a floating-point number.  Currency
 * codes are ISO 4217 alpha-3 as Debian's iso-codes package lists them
 * (/usr/share/iso-codes/json/iso_4217.json, or $COPLAN_ISO_4217); the
 * number of decimals of each comes from ISO 4217's own table ("list one",
 * minor unit column), which iso-codes does not carry: 0 for BIF, CLP, DJF,
 * GNF, ISK, JPY, KMF, KRW, PYG, RWF, UGX, UYI, VND, VUV, XAF, XOF, XPF; 3
 * for BHD, IQD, JOD, KWD, LYD, OMR, TND; 4 for CLF, UYW; none (refused as a
 * currency of a cost) for the funds, metals and test codes XAG, XAU, XBA,
 * XBB, XBC, XBD, XDR, XPD, XPT, XSU, XTS, XUA, XXX; 2 for every other.
 */

/* 1 if code is an ISO 4217 alpha-3 code a cost may be in (listed by iso-codes, with a minor unit), else 0. */
int coplan_currency_valid(const char *code);

/* The decimals of currency code's minor unit (0 to 4), or -1 when it is not valid. */
int coplan_currency_decimals(const char *code);

/*
 * Parse text ("12000.50", "12000", "1500000" for JPY) as an amount of
 * currency into *out, in minor units: digits, at most one '.' followed by
 * at most the currency's decimals; no sign, no grouping; at most
 * COPLAN_AMOUNT_MAX.  Errors: COPLAN_EINVALID with a message naming the
 * fault but not the place (the caller adds it).
 */
int coplan_amount_parse(long long *out, const char *text, const char *currency);

/*
 * Format amount (minor units of currency) as plain decimal text with the
 * currency's decimals ("12000.50", "1500000") into buf (size bytes; 32
 * always suffice); returns buf.  An unknown currency prints 2 decimals.
 */
char *coplan_amount_format(char *buf, size_t size, long long amount, const char *currency);

/*
 * Parse who pays: "host", "sending", or "shared:ITA=60,JPN=40" (nations
 * ISO 3166-1 alpha-3, whole percents 1-100 summing to 100, each nation
 * once; ';' may stand for ','; letter case is free) into *payer and a
 * malloc'd *shares / *n_shares (SHARED only; NULL/0 otherwise; the caller
 * frees *shares).  "" gives COPLAN_PAYER_UNSET.  Errors: COPLAN_EINVALID
 * (naming the fault, not the place), COPLAN_ENOMEM.
 */
int coplan_payer_parse(coplan_payer *payer, coplan_cost_share **shares, size_t *n_shares,
                       const char *text);

/*
 * Who pays activity a as text, the form coplan_payer_parse() reads
 * ("host", "sending", "shared:ITA=60,JPN=40", "" when not recorded), into
 * buf (size bytes; cut to fit); returns buf.
 */
char *coplan_payer_format(char *buf, size_t size, const coplan_activity *a);

/*
 * The cost rules one activity meets (called by coplan_activity_validate()):
 * a currency that is valid whenever an amount, a payer or a funding line is
 * given; amounts 0..COPLAN_AMOUNT_MAX; shares summing to 100 of valid,
 * distinct nations; a funding line of text at most COPLAN_FUNDING_LINE_MAX
 * bytes.  Errors: COPLAN_EINVALID naming the activity.
 */
int coplan_activity_cost_validate(const coplan_activity *a);

/* 1 if a and b record the same cost, currency, payer and funding line, else 0. */
int coplan_activity_cost_equal(const coplan_activity *a, const coplan_activity *b);

/*
 * The budget and rate rules of a plan (called by coplan_plan_validate()):
 * budgets of valid nations and currencies, years 1970-2099, funding lines
 * of 1..COPLAN_FUNDING_LINE_MAX bytes of text, one per (nation, year,
 * funding line, currency); rates between two different valid currencies,
 * a canonical rate (coplan_rate_parse()), a valid date, one per (from, to,
 * valid_from).  Errors: COPLAN_EINVALID naming the budget or rate.
 */
int coplan_plan_money_validate(const coplan_plan *plan);

/*
 * Parse a rate ("160.5", "0.00625") into its canonical text *out (no
 * leading zeros but one before the point, no trailing zeros after it,
 * no point when none remain; malloc'd, the caller frees): at most 9 digits
 * before the point and 9 after, above zero.  Errors: COPLAN_EINVALID,
 * COPLAN_ENOMEM.
 */
int coplan_rate_parse(char **out, const char *text);

/*
 * Convert amount (minor units of from) into minor units of to on day,
 * with the rates of plan: the rate from -> to whose valid_from is the
 * latest on or before day; failing one, the inverse of the latest to ->
 * from on or before day (1 / rate).  The result is exact, rounded once to
 * the nearest minor unit of to, a half away from zero (amount * rate, with
 * the decimals of both currencies, computed in 128-bit integers).  from ==
 * to returns amount.  day COPLAN_DATE_NONE uses the plan's first day (or
 * the earliest rate when the plan has none).  Errors: COPLAN_ENOTFOUND (no
 * rate of the pair on that day: the caller keeps the amount in its own
 * currency), COPLAN_EINVALID (an unknown currency), COPLAN_ERANGE (a result
 * above COPLAN_AMOUNT_MAX).
 */
int coplan_cost_convert(long long *out, const coplan_plan *plan, long long amount,
                        const char *from, const char *to, coplan_date day);

/* The groups cost totals are made by. */
typedef enum {
	COPLAN_COST_BY_HOST = 0,   /* the host nation */
	COPLAN_COST_BY_PAYER,      /* the paying nation (shares and sending nations split, see below) */
	COPLAN_COST_BY_AREA,       /* the area of cooperation ("" when none) */
	COPLAN_COST_BY_QUARTER,    /* "2024-Q2" of the start; "unplaced" when not placed */
	COPLAN_COST_BY_ALL         /* one group, "all" */
} coplan_cost_group;

/* "host", "payer", "area", "quarter", "all"; NULL for another value. */
const char *coplan_cost_group_name(coplan_cost_group by);

/*
 * One total: a group and one currency (never two currencies in one total).
 * estimate: the estimates of the activities not cancelled; actual: the
 * actual costs recorded (cancelled activities too: what they cost before);
 * n: the activities counted (with an estimate or an actual).  converted: 1
 * when the amounts were converted into currency from others (then
 * n_converted of n were), 0 when every amount was in currency already.
 */
typedef struct {
	char group[64];
	char currency[COPLAN_CURRENCY_LEN];
	long long estimate;
	long long actual;
	size_t n;
	size_t n_converted;
} coplan_cost_total;

/*
 * The cost totals of plan grouped by by, one row per group and currency,
 * sorted by group then currency.  convert_to NULL: each amount stays in its
 * own currency.  convert_to a currency: each activity's amounts are
 * converted (coplan_cost_convert(), on the activity's start day or, not
 * placed, its earliest day) and counted in convert_to; an amount with no
 * rate stays in its own currency, in a row of its own.
 *
 * Paying nation: HOST, the host; SHARED, each nation its percent of the
 * amount rounded down, the minor units left over one each to the shares in
 * their order; SENDING, the participants other than the host evenly, the
 * same way (the host when there are none); not recorded: "unknown".  The
 * shares of a split always sum to the amount.
 *
 * *out malloc'd (NULL when there are no costs), the caller frees.  Errors:
 * COPLAN_ENOMEM, COPLAN_ERANGE (a total above COPLAN_AMOUNT_MAX), errors of
 * coplan_cost_convert() other than COPLAN_ENOTFOUND.
 */
int coplan_cost_totals(coplan_cost_total **out, size_t *n, const coplan_plan *plan,
                       coplan_cost_group by, const char *convert_to);

/*
 * A budget against what is planned on it: the estimates (not cancelled
 * activities) whose funding line, paying nation (split as for totals) and
 * start year (the plan's year when not placed) are the budget's, in its
 * currency; an estimate in another currency counts converted with the
 * plan's rates on the activity's day, or else in n_unconverted (not
 * counted: the warning says so).  over: planned > amount.
 */
typedef struct {
	const coplan_budget *budget; /* borrowed from the plan */
	long long planned;           /* minor units of the budget's currency */
	size_t n;                    /* activities counted */
	size_t n_unconverted;        /* activities on the line in another currency without a rate */
	int over;
} coplan_budget_use;

/*
 * The use of every budget of plan, in the plan's order.  *out malloc'd
 * (NULL when the plan has no budgets), the caller frees; it borrows from
 * plan.  Errors: COPLAN_ENOMEM, COPLAN_ERANGE.
 */
int coplan_budget_uses(coplan_budget_use **out, size_t *n, const coplan_plan *plan);

/*
 * Set nation's budget for year on funding_line in currency to amount
 * (replacing the one of the same four), or add it.  Strings are copied.
 * Errors: COPLAN_EINVALID (as coplan_plan_money_validate()), COPLAN_ENOMEM.
 */
int coplan_plan_set_budget(coplan_plan *plan, const char *nation, int year,
                           const char *funding_line, const char *currency, long long amount);

/*
 * Add a rate (rate text as coplan_rate_parse() reads it, copied in canonical
 * form), replacing one of the same pair and day.  Errors: COPLAN_EINVALID,
 * COPLAN_ENOMEM.
 */
int coplan_plan_add_rate(coplan_plan *plan, const char *from, const char *to, const char *rate,
                         coplan_date valid_from);

/*
 * The cost report as UTF-8 text: the totals by host nation, paying nation,
 * area and quarter (coplan_cost_totals()), each total in one currency
 * (converted into convert_to where the plan's rates allow, when it is not
 * NULL); then each budget against what is planned on it, with a line
 * "warning: ..." for each budget the plan exceeds and for each estimate
 * that could not be counted against a budget for want of a rate.  "no
 * costs recorded" when the plan has none.  *out malloc'd, the caller
 * frees; *len may be NULL.  Errors: COPLAN_ENOMEM, those of the totals.
 */
int coplan_report_costs(char **out, size_t *len, const coplan_plan *plan, const char *convert_to);

/* 1 if plan records any cost, budget or rate, else 0. */
int coplan_plan_has_costs(const coplan_plan *plan);

#ifdef __cplusplus
}
#endif
#endif

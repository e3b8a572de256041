/* SPDX-License-Identifier: Apache-2.0 */
/* cost.c - money: ISO 4217 currencies, amounts in minor units, payers, budgets, rates, totals. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "coplan/cost.h"
#include "buf.h"
#include "common.h"

/*
 * The currency codes are not ours to keep: read once a process from the
 * iso-codes package (ISO 4217 as Debian maintains it), at $COPLAN_ISO_4217
 * or the package's standard path, as nation.c reads ISO 3166-1.
 */
#ifndef COPLAN_ISO_4217_PATH
#define COPLAN_ISO_4217_PATH "/usr/share/iso-codes/json/iso_4217.json"
#endif

/* More than ISO 4217 lists (about 180). */
#define MAX_CURRENCIES 400

static char currencies[MAX_CURRENCIES][COPLAN_CURRENCY_LEN];
static size_t n_currencies;
static pthread_mutex_t currencies_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int currencies_read;

static int code_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void currencies_load(void)
{
	const char *path = getenv("COPLAN_ISO_4217");
	json_error_t jerr;
	json_t *root = json_load_file(path && *path ? path : COPLAN_ISO_4217_PATH, 0, &jerr);
	json_t *list = root ? json_object_get(root, "4217") : NULL;
	size_t n = json_is_array(list) ? json_array_size(list) : 0;

	for (size_t i = 0; i < n && n_currencies < MAX_CURRENCIES; i++) {
		const char *code = json_string_value(json_object_get(json_array_get(list, i), "alpha_3"));

		if (code && strlen(code) == 3)
			memcpy(currencies[n_currencies++], code, COPLAN_CURRENCY_LEN);
	}
	json_decref(root);
	qsort(currencies, n_currencies, sizeof(currencies[0]), code_cmp);
}

static int listed(const char *code)
{
	if (!atomic_load_explicit(&currencies_read, memory_order_acquire)) {
		pthread_mutex_lock(&currencies_lock);
		if (!atomic_load_explicit(&currencies_read, memory_order_relaxed)) {
			currencies_load();
			atomic_store_explicit(&currencies_read, 1, memory_order_release);
		}
		pthread_mutex_unlock(&currencies_lock);
	}
	return bsearch(code, currencies, n_currencies, sizeof(currencies[0]), code_cmp) != NULL;
}

/* ISO 4217 list one, minor unit column: the currencies whose minor unit is not 2 (see coplan/cost.h). */
static const struct { const char *code; int decimals; } minor_units[] = {
	{ "BHD", 3 }, { "BIF", 0 }, { "CLF", 4 }, { "CLP", 0 }, { "DJF", 0 }, { "GNF", 0 },
	{ "IQD", 3 }, { "ISK", 0 }, { "JOD", 3 }, { "JPY", 0 }, { "KMF", 0 }, { "KRW", 0 },
	{ "KWD", 3 }, { "LYD", 3 }, { "OMR", 3 }, { "PYG", 0 }, { "RWF", 0 }, { "TND", 3 },
	{ "UGX", 0 }, { "UYI", 0 }, { "UYW", 4 }, { "VND", 0 }, { "VUV", 0 }, { "XAF", 0 },
	{ "XOF", 0 }, { "XPF", 0 },
	/* "N.A.": funds, precious metals, test codes; no cost is in these */
	{ "XAG", -1 }, { "XAU", -1 }, { "XBA", -1 }, { "XBB", -1 }, { "XBC", -1 }, { "XBD", -1 },
	{ "XDR", -1 }, { "XPD", -1 }, { "XPT", -1 }, { "XSU", -1 }, { "XTS", -1 }, { "XUA", -1 },
	{ "XXX", -1 },
};

int coplan_currency_decimals(const char *code)
{
	if (!code || strlen(code) != 3)
		return -1;
	for (int i = 0; i < 3; i++)
		if (code[i] < 'A' || code[i] > 'Z')
			return -1;
	if (!listed(code))
		return -1;
	for (size_t i = 0; i < CP_ARRAY_SIZE(minor_units); i++)
		if (!strcmp(minor_units[i].code, code))
			return minor_units[i].decimals;
	return 2;
}

int coplan_currency_valid(const char *code)
{
	return coplan_currency_decimals(code) >= 0;
}

static long long pow10ll(int n)
{
	long long p = 1;

	while (n-- > 0)
		p *= 10;
	return p;
}

int coplan_amount_parse(long long *out, const char *text, const char *currency)
{
	int dec = coplan_currency_decimals(currency);
	long long whole = 0, frac = 0;
	int n_whole = 0, n_frac = 0;
	const char *p = text;

	if (dec < 0)
		return cp_error(COPLAN_EINVALID, "unknown currency '%s' (expected ISO 4217 alpha-3, e.g. "
		                "EUR)", currency ? currency : "");
	if (!p || !*p)
		return cp_error(COPLAN_EINVALID, "an amount cannot be empty");
	for (; *p >= '0' && *p <= '9'; p++) {
		if (++n_whole > 15)
			return cp_error(COPLAN_EINVALID, "amount '%s' is too large (at most 15 digits)", text);
		whole = whole * 10 + (*p - '0');
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (++n_frac > dec)
				return cp_error(COPLAN_EINVALID, "amount '%s' has more decimals than %s's minor "
				                "unit (%d, ISO 4217)", text, currency, dec);
			frac = frac * 10 + (*p - '0');
		}
		if (n_frac == 0 && n_whole == 0)
			n_whole = -1;
	}
	if (*p || n_whole <= 0)
		return cp_error(COPLAN_EINVALID, "'%s' is not an amount (expected digits and at most "
		                "one '.', e.g. 12000.50)", text);
	if (whole > COPLAN_AMOUNT_MAX / pow10ll(dec))
		return cp_error(COPLAN_EINVALID, "amount '%s' is too large", text);
	*out = whole * pow10ll(dec) + frac * pow10ll(dec - n_frac);
	if (*out > COPLAN_AMOUNT_MAX)
		return cp_error(COPLAN_EINVALID, "amount '%s' is too large", text);
	return 0;
}

char *coplan_amount_format(char *buf, size_t size, long long amount, const char *currency)
{
	int dec = coplan_currency_decimals(currency);
	long long p;
	const char *sign = amount < 0 ? "-" : "";
	unsigned long long a = amount < 0 ? 0ULL - (unsigned long long)amount : (unsigned long long)amount;

	if (dec < 0)
		dec = 2;
	p = pow10ll(dec);
	if (dec == 0)
		snprintf(buf, size, "%s%llu", sign, a);
	else
	{
		char frac[8];
		unsigned long long f = a % (unsigned long long)p;

		for (int i = dec - 1; i >= 0; i--, f /= 10)
			frac[i] = (char)('0' + f % 10);
		frac[dec] = '\0';
		snprintf(buf, size, "%s%llu.%s", sign, a / (unsigned long long)p, frac);
	}
	return buf;
}

/* ---- who pays ------------------------------------------------------------ */

int coplan_payer_parse(coplan_payer *payer, coplan_cost_share **shares, size_t *n_shares,
                       const char *text)
{
	coplan_cost_share *v = NULL;
	size_t n = 0;
	int sum = 0;
	const char *p;

	*payer = COPLAN_PAYER_UNSET;
	*shares = NULL;
	*n_shares = 0;
	if (!text || !*text)
		return 0;
	if (cp_strcaseeq(text, "host")) {
		*payer = COPLAN_PAYER_HOST;
		return 0;
	}
	if (cp_strcaseeq(text, "sending")) {
		*payer = COPLAN_PAYER_SENDING;
		return 0;
	}
	if (strncmp(text, "shared:", 7) && strncmp(text, "SHARED:", 7))
		return cp_error(COPLAN_EINVALID, "'%s' (expected host, sending or shared:ITA=60,JPN=40)", text);
	for (p = text + 7; *p;) {
		char code[COPLAN_NATION_LEN] = { 0 };
		long pct = 0;
		int digits = 0;

		while (*p == ' ')
			p++;
		for (int i = 0; i < 3; i++, p++)
			code[i] = *p ? cp_ascii_upper(*p) : '\0';
		while (*p == ' ')
			p++;
		if (strlen(code) != 3 || *p != '=') {
			free(v);
			return cp_error(COPLAN_EINVALID, "'%s' (expected shares as NATION=PERCENT, e.g. "
			                "shared:ITA=60,JPN=40)", text);
		}
		for (p++; *p >= '0' && *p <= '9' && digits < 4; p++, digits++)
			pct = pct * 10 + (*p - '0');
		while (*p == ' ')
			p++;
		if (!digits || (*p && *p != ',' && *p != ';') || pct < 1 || pct > 100) {
			free(v);
			return cp_error(COPLAN_EINVALID, "'%s': a share is a whole percent from 1 to 100 "
			                "(e.g. shared:ITA=60,JPN=40)", text);
		}
		if (!coplan_nation_valid(code)) {
			free(v);
			return cp_error(COPLAN_EINVALID, "'%s': unknown nation '%s' (expected ISO 3166-1 "
			                "alpha-3, e.g. JPN)", text, code);
		}
		for (size_t k = 0; k < n; k++)
			if (!strcmp(v[k].nation, code)) {
				free(v);
				return cp_error(COPLAN_EINVALID, "'%s': %s has two shares", text, code);
			}
		if (n >= COPLAN_MAX_SHARES) {
			free(v);
			return cp_error(COPLAN_EINVALID, "'%s': more than %d shares", text, COPLAN_MAX_SHARES);
		}
		{
			coplan_cost_share *grown = realloc(v, (n + 1) * sizeof(*v));

			if (!grown) {
				free(v);
				return cp_error(COPLAN_ENOMEM, "out of memory");
			}
			v = grown;
		}
		memcpy(v[n].nation, code, sizeof(code));
		v[n++].percent = (int)pct;
		sum += (int)pct;
		if (*p)
			p++;
	}
	if (n == 0 || sum != 100) {
		free(v);
		return cp_error(COPLAN_EINVALID, "'%s': the shares sum to %d%% (expected 100)", text, sum);
	}
	*payer = COPLAN_PAYER_SHARED;
	*shares = v;
	*n_shares = n;
	return 0;
}

char *coplan_payer_format(char *buf, size_t size, const coplan_activity *a)
{
	size_t used;

	if (!size)
		return buf;
	buf[0] = '\0';
	switch (a->paid_by) {
	case COPLAN_PAYER_HOST:
		snprintf(buf, size, "host");
		break;
	case COPLAN_PAYER_SENDING:
		snprintf(buf, size, "sending");
		break;
	case COPLAN_PAYER_SHARED:
		snprintf(buf, size, "shared:");
		for (size_t i = 0; i < a->n_shares; i++) {
			used = strlen(buf);
			snprintf(buf + used, size - used, "%s%s=%d", i ? "," : "", a->shares[i].nation,
			         a->shares[i].percent);
		}
		break;
	default:
		break;
	}
	return buf;
}

/* ---- validation ---------------------------------------------------------- */

static int funding_line_check(const char *line, const char *what)
{
	if (strlen(line) > COPLAN_FUNDING_LINE_MAX)
		return cp_error(COPLAN_EINVALID, "%s: funding line of %zu bytes (at most %d)", what,
		                strlen(line), COPLAN_FUNDING_LINE_MAX);
	if (coplan_text_check(line)) {
		char msg[256];

		snprintf(msg, sizeof(msg), "%s", coplan_error_last());
		return cp_error(COPLAN_EINVALID, "%s: funding line: %s", what, msg);
	}
	return 0;
}

int coplan_activity_cost_validate(const coplan_activity *a)
{
	const char *ref = a->ref ? a->ref : "?";
	char what[80];
	int sum = 0;

	snprintf(what, sizeof(what), "activity '%s'", ref);
	if (!a->currency[0]) {
		if (a->has_cost_estimate || a->has_cost_actual)
			return cp_error(COPLAN_EINVALID, "activity '%s': a cost needs its currency (ISO 4217, "
			                "e.g. EUR)", ref);
	} else if (!coplan_currency_valid(a->currency)) {
		return cp_error(COPLAN_EINVALID, "activity '%s': unknown currency '%s' (expected ISO 4217 "
		                "alpha-3, e.g. EUR)", ref, a->currency);
	}
	if ((a->has_cost_estimate && (a->cost_estimate < 0 || a->cost_estimate > COPLAN_AMOUNT_MAX)) ||
	    (a->has_cost_actual && (a->cost_actual < 0 || a->cost_actual > COPLAN_AMOUNT_MAX)))
		return cp_error(COPLAN_EINVALID, "activity '%s': a cost out of range (0 to %lld minor "
		                "units)", ref, COPLAN_AMOUNT_MAX);
	if (a->paid_by < COPLAN_PAYER_UNSET || a->paid_by > COPLAN_PAYER_SHARED)
		return cp_error(COPLAN_EINVALID, "activity '%s': unknown payer", ref);
	if ((a->paid_by == COPLAN_PAYER_SHARED) != (a->n_shares > 0))
		return cp_error(COPLAN_EINVALID, "activity '%s': shares are given for a shared cost only, "
		                "and a shared cost needs them", ref);
	for (size_t i = 0; i < a->n_shares; i++) {
		if (!coplan_nation_valid(a->shares[i].nation))
			return cp_error(COPLAN_EINVALID, "activity '%s': share of unknown nation '%s'", ref,
			                a->shares[i].nation);
		if (a->shares[i].percent < 1 || a->shares[i].percent > 100)
			return cp_error(COPLAN_EINVALID, "activity '%s': a share of %d%% (expected 1 to 100)",
			                ref, a->shares[i].percent);
		for (size_t k = 0; k < i; k++)
			if (!strcmp(a->shares[k].nation, a->shares[i].nation))
				return cp_error(COPLAN_EINVALID, "activity '%s': %s has two shares", ref,
				                a->shares[i].nation);
		sum += a->shares[i].percent;
	}
	if (a->n_shares > COPLAN_MAX_SHARES)
		return cp_error(COPLAN_EINVALID, "activity '%s': more than %d shares", ref, COPLAN_MAX_SHARES);
	if (a->n_shares && sum != 100)
		return cp_error(COPLAN_EINVALID, "activity '%s': the shares sum to %d%% (expected 100)",
		                ref, sum);
	if (a->funding_line && funding_line_check(a->funding_line, what))
		return COPLAN_EINVALID;
	return 0;
}

int coplan_activity_cost_equal(const coplan_activity *a, const coplan_activity *b)
{
	if (a->has_cost_estimate != b->has_cost_estimate || a->has_cost_actual != b->has_cost_actual ||
	    (a->has_cost_estimate && a->cost_estimate != b->cost_estimate) ||
	    (a->has_cost_actual && a->cost_actual != b->cost_actual) ||
	    strcmp(a->currency, b->currency) || a->paid_by != b->paid_by || a->n_shares != b->n_shares ||
	    strcmp(a->funding_line ? a->funding_line : "", b->funding_line ? b->funding_line : "") ||
	    (!a->funding_line) != (!b->funding_line))
		return 0;
	for (size_t i = 0; i < a->n_shares; i++)
		if (strcmp(a->shares[i].nation, b->shares[i].nation) || a->shares[i].percent != b->shares[i].percent)
			return 0;
	return 1;
}

/* The rate as mantissa and scale: rate = m / 10^scale; 0 or -1 when the text is not canonical. */
static int rate_value(long long *m, int *scale, const char *text)
{
	int n_int = 0, n_frac = 0;
	const char *p = text;

	*m = 0;
	*scale = 0;
	if (!text)
		return -1;
	for (; *p >= '0' && *p <= '9'; p++, n_int++)
		*m = *m * 10 + (*p - '0');
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, n_frac++)
			*m = *m * 10 + (*p - '0');
	*scale = n_frac;
	if (*p || n_int < 1 || n_int > 9 || n_frac > 9 || *m <= 0)
		return -1;
	return 0;
}

int coplan_rate_parse(char **out, const char *text)
{
	char buf[32];
	const char *p = text, *int_start, *int_end, *frac_start, *frac_end;

	*out = NULL;
	if (!text)
		text = p = "";
	while (*p == '0' && p[1] >= '0' && p[1] <= '9')
		p++;
	int_start = p;
	while (*p >= '0' && *p <= '9')
		p++;
	int_end = p;
	frac_start = frac_end = p;
	if (*p == '.') {
		frac_start = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		frac_end = p;
	}
	if (*p || (int_end == int_start && frac_end == frac_start))
		return cp_error(COPLAN_EINVALID, "'%s' is not a rate (expected a decimal number above "
		                "zero, e.g. 160.5)", text);
	if (int_end - int_start > 9 || frac_end - frac_start > 9)
		return cp_error(COPLAN_EINVALID, "rate '%s': at most 9 digits before the point and 9 "
		                "after", text);
	while (frac_end > frac_start && frac_end[-1] == '0')
		frac_end--;
	snprintf(buf, sizeof(buf), "%.*s%.*s%s%.*s", (int)(int_end - int_start), int_start,
	         int_end == int_start ? 1 : 0, "0", frac_end > frac_start ? "." : "",
	         (int)(frac_end - frac_start), frac_start);
	{
		long long m;
		int scale;

		if (rate_value(&m, &scale, buf))
			return cp_error(COPLAN_EINVALID, "rate '%s' must be above zero", text);
	}
	if (!(*out = cp_strdup(buf)))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	return 0;
}

int coplan_plan_money_validate(const coplan_plan *plan)
{
	for (size_t i = 0; i < plan->n_budgets; i++) {
		const coplan_budget *b = &plan->budgets[i];
		char what[120];

		snprintf(what, sizeof(what), "budget of %s for %d", b->nation, b->year);
		if (!coplan_nation_valid(b->nation))
			return cp_error(COPLAN_EINVALID, "budget: unknown nation '%s' (expected ISO 3166-1 "
			                "alpha-3, e.g. ITA)", b->nation);
		if (b->year < COPLAN_MODEL_FIRST_YEAR || b->year > COPLAN_MODEL_LAST_YEAR)
			return cp_error(COPLAN_EINVALID, "budget of %s: year %d (expected %d-%d)", b->nation,
			                b->year, COPLAN_MODEL_FIRST_YEAR, COPLAN_MODEL_LAST_YEAR);
		if (!b->funding_line || !*b->funding_line)
			return cp_error(COPLAN_EINVALID, "%s: needs its funding line", what);
		if (funding_line_check(b->funding_line, what))
			return COPLAN_EINVALID;
		if (!coplan_currency_valid(b->currency))
			return cp_error(COPLAN_EINVALID, "%s: unknown currency '%s' (expected ISO 4217 "
			                "alpha-3, e.g. EUR)", what, b->currency);
		if (b->amount < 0 || b->amount > COPLAN_AMOUNT_MAX)
			return cp_error(COPLAN_EINVALID, "%s: amount out of range", what);
		for (size_t k = 0; k < i; k++) {
			const coplan_budget *o = &plan->budgets[k];

			if (!strcmp(o->nation, b->nation) && o->year == b->year &&
			    !strcmp(o->currency, b->currency) && !strcmp(o->funding_line, b->funding_line))
				return cp_error(COPLAN_EINVALID, "%s: two budgets on funding line '%s' in %s",
				                what, b->funding_line, b->currency);
		}
	}
	for (size_t i = 0; i < plan->n_rates; i++) {
		const coplan_rate *r = &plan->rates[i];
		long long m;
		int scale;

		if (!coplan_currency_valid(r->from) || !coplan_currency_valid(r->to))
			return cp_error(COPLAN_EINVALID, "rate %s to %s: unknown currency (expected ISO 4217 "
			                "alpha-3, e.g. EUR)", r->from, r->to);
		if (!strcmp(r->from, r->to))
			return cp_error(COPLAN_EINVALID, "rate %s to %s: a rate is between two currencies",
			                r->from, r->to);
		if (rate_value(&m, &scale, r->rate))
			return cp_error(COPLAN_EINVALID, "rate %s to %s: '%s' is not a rate above zero", r->from,
			                r->to, r->rate ? r->rate : "");
		if (r->valid_from == COPLAN_DATE_NONE)
			return cp_error(COPLAN_EINVALID, "rate %s to %s: needs the day it is valid from",
			                r->from, r->to);
		for (size_t k = 0; k < i; k++)
			if (!strcmp(plan->rates[k].from, r->from) && !strcmp(plan->rates[k].to, r->to) &&
			    plan->rates[k].valid_from == r->valid_from)
				return cp_error(COPLAN_EINVALID, "rate %s to %s: two rates valid from the same day",
				                r->from, r->to);
	}
	return 0;
}

int coplan_plan_set_budget(coplan_plan *plan, const char *nation, int year,
                           const char *funding_line, const char *currency, long long amount)
{
	coplan_budget *b, *grown;
	char *line;

	for (size_t i = 0; i < plan->n_budgets; i++) {
		b = &plan->budgets[i];
		if (!strcmp(b->nation, nation) && b->year == year && !strcmp(b->currency, currency) &&
		    !strcmp(b->funding_line, funding_line)) {
			b->amount = amount;
			return coplan_plan_money_validate(plan);
		}
	}
	if (strlen(nation) != 3 || strlen(currency) != 3)
		return cp_error(COPLAN_EINVALID, "budget: a nation and a currency are three letters");
	if (!(line = cp_strdup(funding_line)))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	grown = realloc(plan->budgets, (plan->n_budgets + 1) * sizeof(*grown));
	if (!grown) {
		free(line);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	plan->budgets = grown;
	b = &plan->budgets[plan->n_budgets++];
	memset(b, 0, sizeof(*b));
	memcpy(b->nation, nation, COPLAN_NATION_LEN);
	memcpy(b->currency, currency, COPLAN_CURRENCY_LEN);
	b->year = year;
	b->funding_line = line;
	b->amount = amount;
	return coplan_plan_money_validate(plan);
}

int coplan_plan_add_rate(coplan_plan *plan, const char *from, const char *to, const char *rate,
                         coplan_date valid_from)
{
	coplan_rate *r, *grown;
	char *text;
	int rc;

	if (strlen(from) != 3 || strlen(to) != 3)
		return cp_error(COPLAN_EINVALID, "rate: a currency is three letters (ISO 4217, e.g. EUR)");
	if ((rc = coplan_rate_parse(&text, rate)))
		return rc;
	for (size_t i = 0; i < plan->n_rates; i++) {
		r = &plan->rates[i];
		if (!strcmp(r->from, from) && !strcmp(r->to, to) && r->valid_from == valid_from) {
			free(r->rate);
			r->rate = text;
			return coplan_plan_money_validate(plan);
		}
	}
	grown = realloc(plan->rates, (plan->n_rates + 1) * sizeof(*grown));
	if (!grown) {
		free(text);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	plan->rates = grown;
	r = &plan->rates[plan->n_rates++];
	memset(r, 0, sizeof(*r));
	memcpy(r->from, from, COPLAN_CURRENCY_LEN);
	memcpy(r->to, to, COPLAN_CURRENCY_LEN);
	r->rate = text;
	r->valid_from = valid_from;
	return coplan_plan_money_validate(plan);
}

/* ---- conversion ------------------------------------------------------------ */

__extension__ typedef __int128 i128;

static i128 pow10i(int n)
{
	i128 p = 1;

	while (n-- > 0)
		p *= 10;
	return p;
}

/* num / den rounded to the nearest, a half away from zero (num, den > 0 here). */
static i128 div_round(i128 num, i128 den)
{
	return (num + den / 2) / den;
}

/* The rate of from -> to valid on day: the one with the latest valid_from <= day, or NULL. */
static const coplan_rate *rate_on(const coplan_plan *plan, const char *from, const char *to,
                                  coplan_date day)
{
	const coplan_rate *best = NULL;

	for (size_t i = 0; i < plan->n_rates; i++) {
		const coplan_rate *r = &plan->rates[i];

		if (strcmp(r->from, from) || strcmp(r->to, to) || r->valid_from > day)
			continue;
		if (!best || r->valid_from > best->valid_from)
			best = r;
	}
	return best;
}

int coplan_cost_convert(long long *out, const coplan_plan *plan, long long amount,
                        const char *from, const char *to, coplan_date day)
{
	int df = coplan_currency_decimals(from), dt = coplan_currency_decimals(to), scale;
	const coplan_rate *r;
	long long m;
	i128 v;

	if (amount < 0)
		return cp_error(COPLAN_EINVALID, "a negative amount cannot be converted");
	if (df < 0 || dt < 0)
		return cp_error(COPLAN_EINVALID, "conversion from %s to %s: unknown currency",
		                from ? from : "", to ? to : "");
	if (!strcmp(from, to)) {
		*out = amount;
		return 0;
	}
	if (day == COPLAN_DATE_NONE) {
		day = plan->window_from;
		if (day == COPLAN_DATE_NONE)
			for (size_t i = 0; i < plan->n_rates; i++)
				if (day == COPLAN_DATE_NONE || plan->rates[i].valid_from < day)
					day = plan->rates[i].valid_from;
	}
	if ((r = rate_on(plan, from, to, day)) && !rate_value(&m, &scale, r->rate)) {
		/* amount/10^df units * m/10^scale = amount*m*10^dt / 10^(df+scale) minor units of to */
		v = div_round((i128)amount * m * pow10i(dt), pow10i(df + scale));
	} else if ((r = rate_on(plan, to, from, day)) && !rate_value(&m, &scale, r->rate)) {
		/* one unit of to is m/10^scale of from: amount of from is amount*10^scale/m of to */
		v = div_round((i128)amount * pow10i(scale) * pow10i(dt), (i128)m * pow10i(df));
	} else {
		char d[COPLAN_DATE_ISO_LEN];

		return cp_error(COPLAN_ENOTFOUND, "no rate from %s to %s on %s (coplan rate add)", from,
		                to, day == COPLAN_DATE_NONE ? "(no day)" : coplan_date_format_iso(day, d));
	}
	if (v > COPLAN_AMOUNT_MAX)
		return cp_error(COPLAN_ERANGE, "%s converted to %s is too large", from, to);
	*out = (long long)v;
	return 0;
}

/* ---- totals ---------------------------------------------------------------- */

const char *coplan_cost_group_name(coplan_cost_group by)
{
	static const char *const names[] = { "host", "payer", "area", "quarter", "all" };

	return (unsigned)by < CP_ARRAY_SIZE(names) ? names[by] : NULL;
}

typedef struct {
	coplan_cost_total *v;
	size_t n, cap;
} totals;

static int total_add(totals *t, const char *group, const char *currency, long long estimate,
                     long long actual, int counted, int converted)
{
	coplan_cost_total *row = NULL;

	for (size_t i = 0; i < t->n && !row; i++)
		if (!strcmp(t->v[i].group, group) && !strcmp(t->v[i].currency, currency))
			row = &t->v[i];
	if (!row) {
		if (cp_grow((void **)&t->v, &t->cap, t->n + 1, sizeof(*t->v)))
			return cp_error(COPLAN_ENOMEM, "out of memory");
		row = &t->v[t->n++];
		memset(row, 0, sizeof(*row));
		snprintf(row->group, sizeof(row->group), "%s", group);
		memcpy(row->currency, currency, COPLAN_CURRENCY_LEN);
	}
	if (estimate > COPLAN_AMOUNT_MAX - row->estimate || actual > COPLAN_AMOUNT_MAX - row->actual)
		return cp_error(COPLAN_ERANGE, "a cost total in %s is above %lld minor units", currency,
		                COPLAN_AMOUNT_MAX);
	row->estimate += estimate;
	row->actual += actual;
	row->n += (size_t)counted;
	row->n_converted += (size_t)converted;
	return 0;
}

static int total_cmp(const void *a, const void *b)
{
	const coplan_cost_total *x = a, *y = b;
	int c = strcmp(x->group, y->group);

	return c ? c : strcmp(x->currency, y->currency);
}

/*
 * The payers of a and their parts of amount, into nations/parts (room for
 * COPLAN_MAX_NATIONS); the parts sum to amount.  Returns their count.
 */
static size_t split(const coplan_activity *a, long long amount,
                    char nations[][COPLAN_NATION_LEN], long long *parts)
{
	size_t n = 0;
	long long given = 0;

	if (a->paid_by == COPLAN_PAYER_SHARED) {
		for (size_t i = 0; i < a->n_shares && n < COPLAN_MAX_NATIONS; i++, n++) {
			memcpy(nations[n], a->shares[i].nation, COPLAN_NATION_LEN);
			parts[n] = (long long)((i128)amount * a->shares[i].percent / 100);
			given += parts[n];
		}
	} else if (a->paid_by == COPLAN_PAYER_SENDING) {
		for (size_t i = 0; i < a->n_participants && n < COPLAN_MAX_NATIONS; i++)
			if (strcmp(a->participants[i], a->host))
				memcpy(nations[n++], a->participants[i], COPLAN_NATION_LEN);
		for (size_t i = 0; i < n; i++) {
			parts[i] = amount / (long long)n;
			given += parts[i];
		}
	}
	if (n == 0) {
		memcpy(nations[0], a->paid_by == COPLAN_PAYER_UNSET ? "unk" : a->host, COPLAN_NATION_LEN);
		parts[0] = amount;
		return 1;
	}
	/* the minor units the rounding down left: one each, in order */
	for (size_t i = 0; given < amount; i = (i + 1) % n, given++)
		parts[i]++;
	return n;
}

/* The day an activity's amounts are converted on: its start, else its earliest day. */
static coplan_date cost_day(const coplan_activity *a)
{
	return a->start != COPLAN_DATE_NONE ? a->start : a->earliest;
}

int coplan_cost_totals(coplan_cost_total **out, size_t *n, const coplan_plan *plan,
                       coplan_cost_group by, const char *convert_to)
{
	totals t = { NULL, 0, 0 };
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (!coplan_cost_group_name(by))
		return cp_error(COPLAN_EINVALID, "unknown grouping of cost totals");
	if (convert_to && !coplan_currency_valid(convert_to))
		return cp_error(COPLAN_EINVALID, "unknown currency '%s' (expected ISO 4217 alpha-3, e.g. "
		                "EUR)", convert_to);
	for (size_t i = 0; i < plan->n_activities && !rc; i++) {
		const coplan_activity *a = &plan->activities[i];
		long long est = 0, act = 0;
		const char *cur = a->currency;
		int converted = 0;
		char group[64];

		if (!a->currency[0] || (!a->has_cost_estimate && !a->has_cost_actual))
			continue;
		if (a->has_cost_estimate && a->status != COPLAN_STATUS_CANCELLED)
			est = a->cost_estimate;
		if (a->has_cost_actual)
			act = a->cost_actual;
		if (convert_to && strcmp(convert_to, a->currency)) {
			long long e2, a2;

			rc = coplan_cost_convert(&e2, plan, est, a->currency, convert_to, cost_day(a));
			if (!rc)
				rc = coplan_cost_convert(&a2, plan, act, a->currency, convert_to, cost_day(a));
			if (rc == COPLAN_ENOTFOUND) {
				rc = 0;       /* no rate: it stays in its own currency */
			} else if (!rc) {
				est = e2;
				act = a2;
				cur = convert_to;
				converted = 1;
			} else {
				break;
			}
		}
		if (by == COPLAN_COST_BY_PAYER) {
			char (*who)[COPLAN_NATION_LEN] = calloc(COPLAN_MAX_NATIONS, COPLAN_NATION_LEN);
			long long *pe = calloc(COPLAN_MAX_NATIONS, sizeof(long long));
			long long *pa = calloc(COPLAN_MAX_NATIONS, sizeof(long long));
			size_t k;

			if (!who || !pe || !pa) {
				rc = cp_error(COPLAN_ENOMEM, "out of memory");
			} else {
				k = split(a, est, who, pe);
				split(a, act, who, pa);
				for (size_t j = 0; j < k && !rc; j++)
					rc = total_add(&t, strcmp(who[j], "unk") ? who[j] : "unknown", cur, pe[j],
					               pa[j], 1, converted);
			}
			free(who);
			free(pe);
			free(pa);
			continue;
		}
		if (by == COPLAN_COST_BY_HOST) {
			snprintf(group, sizeof(group), "%s", a->host);
		} else if (by == COPLAN_COST_BY_AREA) {
			snprintf(group, sizeof(group), "%.63s", a->area ? a->area : "");
		} else if (by == COPLAN_COST_BY_QUARTER) {
			int y, m, d;

			if (a->start == COPLAN_DATE_NONE) {
				snprintf(group, sizeof(group), "unplaced");
			} else {
				coplan_date_to_ymd(a->start, &y, &m, &d);
				snprintf(group, sizeof(group), "%04d-Q%d", y, (m - 1) / 3 + 1);
			}
		} else {
			snprintf(group, sizeof(group), "all");
		}
		rc = total_add(&t, group, cur, est, act, 1, converted);
	}
	if (rc) {
		free(t.v);
		return rc;
	}
	if (t.n)
		qsort(t.v, t.n, sizeof(*t.v), total_cmp);
	*out = t.v;
	*n = t.n;
	return 0;
}

/* ---- budgets ----------------------------------------------------------------- */

int coplan_budget_uses(coplan_budget_use **out, size_t *n, const coplan_plan *plan)
{
	coplan_budget_use *v;
	char (*who)[COPLAN_NATION_LEN] = NULL;
	long long *parts = NULL;
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (!plan->n_budgets)
		return 0;
	v = calloc(plan->n_budgets, sizeof(*v));
	who = calloc(COPLAN_MAX_NATIONS, COPLAN_NATION_LEN);
	parts = calloc(COPLAN_MAX_NATIONS, sizeof(*parts));
	if (!v || !who || !parts) {
		free(v);
		free(who);
		free(parts);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	for (size_t b = 0; b < plan->n_budgets && !rc; b++) {
		const coplan_budget *bu = &plan->budgets[b];

		v[b].budget = bu;
		for (size_t i = 0; i < plan->n_activities && !rc; i++) {
			const coplan_activity *a = &plan->activities[i];
			long long amount;
			int y = plan->year, m, d;
			size_t k;

			if (!a->has_cost_estimate || a->status == COPLAN_STATUS_CANCELLED || !a->funding_line ||
			    strcmp(a->funding_line, bu->funding_line) || !a->currency[0])
				continue;
			if (a->start != COPLAN_DATE_NONE)
				coplan_date_to_ymd(a->start, &y, &m, &d);
			if (y != bu->year)
				continue;
			k = split(a, a->cost_estimate, who, parts);
			for (size_t j = 0; j < k && !rc; j++) {
				if (strcmp(who[j], bu->nation))
					continue;
				rc = coplan_cost_convert(&amount, plan, parts[j], a->currency, bu->currency,
				                         cost_day(a));
				if (rc == COPLAN_ENOTFOUND) {
					rc = 0;
					v[b].n_unconverted++;
					continue;
				}
				if (rc)
					break;
				if (amount > COPLAN_AMOUNT_MAX - v[b].planned) {
					rc = cp_error(COPLAN_ERANGE, "planned cost on a budget above %lld minor units",
					              COPLAN_AMOUNT_MAX);
					break;
				}
				v[b].planned += amount;
				v[b].n++;
			}
		}
		v[b].over = v[b].planned > bu->amount;
	}
	free(who);
	free(parts);
	if (rc) {
		free(v);
		return rc;
	}
	*out = v;
	*n = plan->n_budgets;
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* report_cost.c - the cost report: totals per currency by host, payer, area and quarter; budgets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cost_int.h"
#include "common.h"

int coplan_plan_has_costs(const coplan_plan *plan)
{
	if (plan->n_budgets || plan->n_rates)
		return 1;
	for (size_t i = 0; i < plan->n_activities; i++)
		if (plan->activities[i].has_cost_estimate || plan->activities[i].has_cost_actual)
			return 1;
	return 0;
}

/* One section of totals, "  ITA     EUR   estimate 120,000.00   actual 0.00   (11 activities)". */
static int section(cp_buf *b, const coplan_plan *plan, coplan_cost_group by, const char *heading,
                   const char *convert_to)
{
	coplan_cost_total *t = NULL;
	size_t n = 0;
	int rc;

	if ((rc = coplan_cost_totals(&t, &n, plan, by, convert_to)))
		return rc;
	rc = cp_buf_printf(b, "%s\n", heading);
	for (size_t i = 0; i < n && !rc; i++) {
		char e[32], a[32];

		rc = cp_buf_printf(b, "  %-20s %s  estimate %15s  actual %15s  (%zu activit%s%s)\n",
		                   *t[i].group ? t[i].group : "(no area)", t[i].currency,
		                   coplan_amount_format(e, sizeof(e), t[i].estimate, t[i].currency),
		                   coplan_amount_format(a, sizeof(a), t[i].actual, t[i].currency), t[i].n,
		                   t[i].n == 1 ? "y" : "ies", t[i].n_converted ? ", converted" : "");
	}
	free(t);
	return rc;
}

/* The budgets, and a warning for each one exceeded or short of a rate. */
static int budgets(cp_buf *b, const coplan_plan *plan, int all)
{
	coplan_budget_use *u = NULL;
	size_t n = 0;
	int rc;

	if ((rc = coplan_budget_uses(&u, &n, plan)))
		return rc;
	if (all && n)
		rc = cp_buf_printf(b, "%s\n", "Budgets (planned: estimates of activities not cancelled)");
	for (size_t i = 0; i < n && !rc; i++) {
		const coplan_budget *bu = u[i].budget;
		char a[32], p[32], d[32];

		coplan_amount_format(a, sizeof(a), bu->amount, bu->currency);
		coplan_amount_format(p, sizeof(p), u[i].planned, bu->currency);
		if (all)
			rc = cp_buf_printf(b, "  %s %d '%s' %s  budget %15s  planned %15s  (%zu activit%s)\n",
			                   bu->nation, bu->year, bu->funding_line, bu->currency, a, p, u[i].n,
			                   u[i].n == 1 ? "y" : "ies");
		if (!rc && u[i].over)
			rc = cp_buf_printf(b, "warning: %s's budget for %d on '%s' is exceeded: planned %s %s, "
			                   "budget %s %s (over by %s)\n", bu->nation, bu->year, bu->funding_line,
			                   p, bu->currency, a, bu->currency,
			                   coplan_amount_format(d, sizeof(d), u[i].planned - bu->amount, bu->currency));
		if (!rc && u[i].n_unconverted)
			rc = cp_buf_printf(b, "warning: %zu estimate%s on %s's '%s' for %d %s in another "
			                   "currency without a rate to %s: not counted (coplan rate add)\n",
			                   u[i].n_unconverted, u[i].n_unconverted == 1 ? " is" : "s are",
			                   bu->nation, bu->funding_line, bu->year,
			                   u[i].n_unconverted == 1 ? "is" : "are", bu->currency);
	}
	free(u);
	return rc;
}

int coplan_report_costs(char **out, size_t *len, const coplan_plan *plan, const char *convert_to)
{
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	int rc = 0;

	if (!coplan_plan_has_costs(plan)) {
		rc = cp_buf_printf(&b, "%s\n", "no costs recorded (coplan activity edit REF --cost-estimate "
		                   "AMOUNT --currency EUR)");
	} else {
		rc = cp_buf_printf(&b, "Cost of %s, in minor units exact; each total in one currency%s%s\n",
		                   plan->title ? plan->title : "the plan",
		                   convert_to ? ", converted with the plan's rates into " : "",
		                   convert_to ? convert_to : "");
		if (!rc)
			rc = section(&b, plan, COPLAN_COST_BY_HOST, "By host nation", convert_to);
		if (!rc)
			rc = section(&b, plan, COPLAN_COST_BY_PAYER, "By paying nation", convert_to);
		if (!rc)
			rc = section(&b, plan, COPLAN_COST_BY_AREA, "By area", convert_to);
		if (!rc)
			rc = section(&b, plan, COPLAN_COST_BY_QUARTER, "By quarter", convert_to);
		if (!rc)
			rc = budgets(&b, plan, 1);
	}
	if (rc) {
		cp_buf_release(&b);
		return rc;
	}
	*out = cp_buf_detach(&b, len);
	return *out ? 0 : cp_error(COPLAN_ENOMEM, "out of memory");
}

int cp_report_costs_short(cp_buf *b, const coplan_plan *plan)
{
	int rc;

	if (!coplan_plan_has_costs(plan))
		return 0;
	if ((rc = section(b, plan, COPLAN_COST_BY_HOST, "Cost by host nation (per currency)", NULL)))
		return rc;
	return budgets(b, plan, 0);
}

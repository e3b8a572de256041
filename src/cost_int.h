/* SPDX-License-Identifier: Apache-2.0 */
/* cost_int.h - the cost report's short form, for the summary (private). */
#ifndef COPLAN_COST_INT_H
#define COPLAN_COST_INT_H

#include "coplan/cost.h"
#include "buf.h"

/*
 * The short form the summary report carries when the plan records costs:
 * the totals by host nation, then the warnings of the budgets exceeded,
 * appended to b.  Nothing when the plan has no costs, budgets or rates.
 * Errors: COPLAN_ENOMEM, those of coplan_cost_totals().
 */
int cp_report_costs_short(cp_buf *b, const coplan_plan *plan);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* report.c - the human summary of a plan: title line, totals by host, unplaced activities. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coplan/report.h"
#include "buf.h"
#include "cost_int.h"

static const char *const month_abbr[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

#define EN_DASH "\xE2\x80\x93"
#define EM_DASH "\xE2\x80\x94"

char *coplan_report_date_range(char *buf, size_t size, coplan_date from, coplan_date to)
{
	int y1, m1, d1, y2, m2, d2;

	if (from == COPLAN_DATE_NONE) {
		snprintf(buf, size, "(no dates)");
		return buf;
	}
	if (to == COPLAN_DATE_NONE || to < from)
		to = from;
	coplan_date_to_ymd(from, &y1, &m1, &d1);
	coplan_date_to_ymd(to, &y2, &m2, &d2);
	if (from == to)
		snprintf(buf, size, "%d %s %d", d1, month_abbr[m1 - 1], y1);
	else if (y1 == y2 && m1 == m2)
		snprintf(buf, size, "%d" EN_DASH "%d %s %d", d1, d2, month_abbr[m1 - 1], y1);
	else if (y1 == y2)
		snprintf(buf, size, "%d %s" EN_DASH "%d %s %d", d1, month_abbr[m1 - 1], d2,
		         month_abbr[m2 - 1], y2);
	else
		snprintf(buf, size, "%d %s %d" EN_DASH "%d %s %d", d1, month_abbr[m1 - 1], y1, d2,
		         month_abbr[m2 - 1], y2);
	return buf;
}

const char *cp_ordinal_suffix(int n)
{
	if (n % 100 >= 11 && n % 100 <= 13)
		return "th";
	switch (n % 10) {
	case 1: return "st";
	case 2: return "nd";
	case 3: return "rd";
	}
	return "th";
}

static int title_line(cp_buf *b, const coplan_plan *plan)
{
	char range[64];
	int rc = cp_buf_puts(b, plan->title && *plan->title ? plan->title : "Cooperation plan");

	if (!rc && plan->n_nations) {
		rc = cp_buf_puts(b, " (");
		for (size_t i = 0; i < plan->n_nations && !rc; i++)
			rc = cp_buf_printf(b, "%s%s", i ? EN_DASH : "", plan->nations[i]);
		if (!rc)
			rc = cp_buf_puts(b, ")");
	}
	if (!rc && plan->has_talks) {
		rc = cp_buf_printf(b, ", agreed at the %d%s staff talks, %s", plan->talks.edition,
		                   cp_ordinal_suffix(plan->talks.edition),
		                   coplan_report_date_range(range, sizeof(range), plan->talks.start,
		                                            plan->talks.end));
	}
	return rc ? rc : cp_buf_putc(b, '\n');
}

static int totals_line(cp_buf *b, const coplan_plan *plan)
{
	coplan_plan_summary s;
	int rc, listed = 0;

	coplan_plan_summarize(plan, &s);
	rc = cp_buf_printf(b, "%zu %s", s.activities, s.activities == 1 ? "activity" : "activities");
	for (size_t i = 0; i < s.by_host_count && !rc; i++) {
		const char *name = coplan_nation_name(s.by_host[i].nation);

		if (s.by_host[i].count == 0 && i >= plan->n_nations)
			continue;
		rc = cp_buf_printf(b, "%s %zu in %s", listed++ ? "," : ":", s.by_host[i].count,
		                   name ? name : s.by_host[i].nation);
	}
	if (!rc)
		rc = cp_buf_printf(b, " " EM_DASH " %zu scheduled, %zu unplaced", s.scheduled, s.unplaced);
	if (!rc && s.cancelled)
		rc = cp_buf_printf(b, ", %zu cancelled", s.cancelled);
	if (!rc)
		rc = cp_buf_putc(b, '\n');
	return rc;
}

int coplan_report_summary(char **out, size_t *len, const coplan_plan *plan)
{
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	int rc;

	rc = title_line(&b, plan);
	if (!rc)
		rc = totals_line(&b, plan);
	for (size_t i = 0; i < plan->n_activities && !rc; i++) {
		const coplan_activity *a = &plan->activities[i];

		if (a->start != COPLAN_DATE_NONE || a->status == COPLAN_STATUS_CANCELLED)
			continue;
		rc = cp_buf_printf(&b, "  unplaced %s %s: %s\n", a->ref, a->title,
		                   a->unplaced_reason && *a->unplaced_reason ? a->unplaced_reason
		                                                             : "not scheduled yet");
	}
	if (!rc)
		rc = cp_report_costs_short(&b, plan);
	if (rc) {
		cp_buf_release(&b);
		return rc;
	}
	*out = cp_buf_detach(&b, len);
	return *out ? 0 : cp_error(COPLAN_ENOMEM, "out of memory");
}

typedef struct {
	coplan_execution_row *rows;
	size_t n, cap;
} row_list;

/* The row with key in section rows [first, n), appended if missing; NULL on out of memory. */
static coplan_execution_row *row_for(row_list *l, size_t first, int section, const char *key)
{
	coplan_execution_row *r;

	for (size_t i = first; i < l->n; i++)
		if (!strcmp(l->rows[i].key, key))
			return &l->rows[i];
	if (cp_grow((void **)&l->rows, &l->cap, l->n + 1, sizeof(*l->rows)))
		return NULL;
	r = &l->rows[l->n++];
	memset(r, 0, sizeof(*r));
	r->section = section;
	snprintf(r->key, sizeof(r->key), "%s", key);
	return r;
}

static void row_count(coplan_execution_row *r, coplan_activity_status status)
{
	if ((size_t)status < CP_ARRAY_SIZE(r->by_status))
		r->by_status[status]++;
	r->total++;
}

static int row_key_cmp(const void *a, const void *b)
{
	const coplan_execution_row *x = a, *y = b;
	int xu = !strcmp(x->key, "unscheduled"), yu = !strcmp(y->key, "unscheduled");

	if (xu != yu)
		return xu - yu;
	return strcmp(x->key, y->key);
}

int coplan_report_execution_rows(coplan_execution_row **rows, size_t *n, const coplan_plan *plan,
                                 const coplan_plan *baseline)
{
	row_list l = { NULL, 0, 0 };
	size_t hosts_at, areas_at, quarters_at;

	if (!row_for(&l, 0, 0, "all"))
		goto oom;
	hosts_at = l.n;
	for (size_t i = 0; i < plan->n_nations; i++)
		if (!row_for(&l, hosts_at, 1, plan->nations[i]))
			goto oom;
	for (size_t i = 0; i < plan->n_activities; i++) {
		coplan_execution_row *r = row_for(&l, hosts_at, 1, plan->activities[i].host);
		if (!r)
			goto oom;
		row_count(r, plan->activities[i].status);
		row_count(&l.rows[0], plan->activities[i].status);
	}
	areas_at = l.n;
	for (size_t i = 0; i < plan->n_activities; i++) {
		const char *area = plan->activities[i].area;
		coplan_execution_row *r = row_for(&l, areas_at, 2, area && *area ? area : "(no area)");
		if (!r)
			goto oom;
		row_count(r, plan->activities[i].status);
	}
	qsort(l.rows + areas_at, l.n - areas_at, sizeof(*l.rows), row_key_cmp);
	quarters_at = l.n;
	for (size_t i = 0; i < plan->n_activities; i++) {
		const coplan_activity *a = &plan->activities[i];
		long b = baseline ? coplan_plan_find(baseline, a->ref) : -1;
		coplan_date start = b >= 0 ? baseline->activities[b].start : a->start;
		char key[32];
		coplan_execution_row *r;
		int y, m;

		if (start == COPLAN_DATE_NONE) {
			snprintf(key, sizeof(key), "unscheduled");
		} else {
			coplan_date_to_ymd(start, &y, &m, NULL);
			snprintf(key, sizeof(key), "%04d-Q%d", y % 10000, (m - 1) / 3 % 4 + 1);
		}
		if (!(r = row_for(&l, quarters_at, 3, key)))
			goto oom;
		row_count(r, a->status);
	}
	qsort(l.rows + quarters_at, l.n - quarters_at, sizeof(*l.rows), row_key_cmp);
	*rows = l.rows;
	*n = l.n;
	return 0;
oom:
	free(l.rows);
	return cp_error(COPLAN_ENOMEM, "out of memory");
}

int coplan_report_execution(char **out, size_t *len, const coplan_plan *plan,
                            const coplan_plan *baseline)
{
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	coplan_execution_row *rows = NULL;
	size_t n = 0;
	int rc;

	if ((rc = coplan_report_execution_rows(&rows, &n, plan, baseline)))
		return rc;
	rc = cp_buf_printf(&b, "Plan against execution: %s\n\n%-28s %7s %9s %8s %9s %9s %5s\n",
	                   plan->title ? plan->title : "", "", "planned", "confirmed", "executed",
	                   "postponed", "cancelled", "total");
	for (size_t i = 0; i < n && !rc; i++) {
		const coplan_execution_row *r = &rows[i];
		const char *name = NULL;

		static const char *const heading[] = {
			"", "by host nation", "by area", "by quarter of the planned start"
		};

		if (r->section > 0 && rows[i - 1].section != r->section)
			rc = cp_buf_printf(&b, "\n%s:\n", heading[r->section]);
		if (r->section == 1)
			name = coplan_nation_name(r->key);
		if (!rc)
			rc = cp_buf_printf(&b, "  %-26.26s %7zu %9zu %8zu %9zu %9zu %5zu\n",
			                   name ? name : r->key, r->by_status[COPLAN_STATUS_PLANNED],
			                   r->by_status[COPLAN_STATUS_CONFIRMED],
			                   r->by_status[COPLAN_STATUS_EXECUTED],
			                   r->by_status[COPLAN_STATUS_POSTPONED],
			                   r->by_status[COPLAN_STATUS_CANCELLED], r->total);
	}
	free(rows);
	if (rc) {
		cp_buf_release(&b);
		return rc;
	}
	*out = cp_buf_detach(&b, len);
	return *out ? 0 : cp_error(COPLAN_ENOMEM, "out of memory");
}

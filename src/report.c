/* report.c - the human summary of a plan: title line, totals by host, unplaced activities. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coplan/report.h"
#include "buf.h"

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

static const char *ordinal_suffix(int n)
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
		                   ordinal_suffix(plan->talks.edition),
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
		rc = cp_buf_printf(b, " " EM_DASH " %zu scheduled, %zu unplaced\n", s.scheduled,
		                   s.unplaced);
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

		if (a->start != COPLAN_DATE_NONE)
			continue;
		rc = cp_buf_printf(&b, "  unplaced %s %s: %s\n", a->ref, a->title,
		                   a->unplaced_reason && *a->unplaced_reason ? a->unplaced_reason
		                                                             : "not scheduled yet");
	}
	if (rc) {
		cp_buf_release(&b);
		return rc;
	}
	*out = cp_buf_detach(&b, len);
	return *out ? 0 : cp_error(COPLAN_ENOMEM, "out of memory");
}

/* SPDX-License-Identifier: Apache-2.0 */
/* export_html.c - the plan as a printable HTML5 document, ready for the heads of delegation to sign. */
#include <stdlib.h>
#include <string.h>

#include "coplan/report.h"
#include "coplan/cost.h"
#include "coplan/marking.h"
#include "export_int.h"

/*
 * Append s with the five characters HTML gives meaning to escaped (& < > " ')
 * and any character an HTML or XML parser would refuse replaced (cp_xml_escape()).
 */
static int h(cp_buf *out, const char *s)
{
	return cp_xml_escape(out, s);
}

/* Append "a sep b" escaped, a missing part left out with its separator (as coplan_delegation_head() joins). */
static int h_join(cp_buf *out, const char *a, const char *sep, const char *b)
{
	int has_a = a && *a, has_b = b && *b, rc = 0;

	if (has_a)
		rc = h(out, a);
	if (!rc && has_a && has_b)
		rc = h(out, sep);
	if (!rc && has_b)
		rc = h(out, b);
	return rc;
}

static int h_list(cp_buf *out, char *const *v, size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n && !rc; i++) {
		if (i)
			rc = cp_buf_puts(out, ", ");
		if (!rc)
			rc = h(out, v[i]);
	}
	return rc;
}

/* A date range as people write it ("16–29 Feb 2024"), the ISO dates in machine-readable <time> tags. */
static int h_dates(cp_buf *out, coplan_date start, coplan_date end)
{
	char a[COPLAN_DATE_ISO_LEN], b[COPLAN_DATE_ISO_LEN], range[64];

	if (start == COPLAN_DATE_NONE)
		return 0;
	if (end == COPLAN_DATE_NONE)
		end = start;
	coplan_date_format_iso(start, a);
	coplan_date_format_iso(end, b);
	coplan_report_date_range(range, sizeof(range), start, end);
	if (end == start)
		return cp_buf_printf(out, "<time datetime=\"%s\">%s</time>", a, range);
	return cp_buf_printf(out, "<time datetime=\"%s/%s\" title=\"%s – %s\">%s</time>", a, b, a, b,
	                     range);
}

static const char style[] =
	"<style>\n"
	"body { font-family: \"Noto Serif\", \"Times New Roman\", serif; font-size: 11pt; margin: 2em; color: #000; }\n"
	"h1 { font-size: 18pt; text-align: center; margin-bottom: 0.2em; }\n"
	"h2 { font-size: 13pt; margin-top: 1.5em; border-bottom: 1px solid #444; }\n"
	".parties { text-align: center; margin-top: 0; }\n"
	"table { border-collapse: collapse; width: 100%; }\n"
	"th, td { border: 1px solid #666; padding: 0.25em 0.4em; vertical-align: top; text-align: left; }\n"
	"th { background: #e8e8e8; }\n"
	"td.num { text-align: right; }\n"
	"td.dates, td.ref { white-space: nowrap; }\n"
	"table.totals { width: auto; }\n"
	".signatures { display: flex; justify-content: space-around; margin-top: 3em; }\n"
	".signature { width: 40%; text-align: center; }\n"
	".signature .line { border-bottom: 1px solid #000; height: 4em; margin-bottom: 0.4em; }\n"
	".signature .post { min-height: 2.6em; }\n"
	".signature .dateplace { text-align: left; margin-top: 1.5em; color: #444; }\n"
	".signature .blank { display: inline-block; width: 70%; border-bottom: 1px solid #666; }\n"
	"table.totals + table.totals { margin-top: 1em; }\n"
	".docinfo { text-align: center; font-weight: bold; }\n"
	".watermark { position: fixed; top: 40%; left: 0; right: 0; text-align: center; font-size: 120pt;\n"
	"  color: rgba(200, 0, 0, 0.12); transform: rotate(-30deg); pointer-events: none; margin: 0; z-index: 10; }\n"
	"@media print {\n"
	"  @page { size: A4; margin: 15mm 12mm; }\n"
	"  body { margin: 0; font-size: 9.5pt; }\n"
	"  thead { display: table-header-group; }\n"
	"  tfoot { display: table-footer-group; }\n"
	"  tr, td, th { page-break-inside: avoid; break-inside: avoid; }\n"
	"  h2 { page-break-after: avoid; break-after: avoid; }\n"
	"  .signed { page-break-inside: avoid; break-inside: avoid; }\n"
	"}\n"
	"</style>\n";

/* The document line under the title, and a DRAFT mark (the PDF's watermark) when the state is draft. */
static int html_info(cp_buf *out, const coplan_document_info *info)
{
	char *line = NULL;
	int rc;

	if (!info)
		return 0;
	if (info->state == COPLAN_VERSION_DRAFT &&
	    (rc = cp_buf_puts(out, "<p class=\"watermark\">DRAFT</p>\n")))
		return rc;
	if ((rc = coplan_document_info_line(&line, info)))
		return rc;
	if (!(rc = cp_buf_puts(out, "<p class=\"docinfo\">")) && !(rc = h(out, line)))
		rc = cp_buf_puts(out, "</p>\n");
	free(line);
	return rc;
}

/* The banner of the document's marking (docs/labels.md), at its top and its foot. */
static int html_marking(cp_buf *out, const char *marking)
{
	int rc;

	if (!(rc = cp_buf_puts(out, "<p class=\"marking\">")) && !(rc = h(out, marking)))
		rc = cp_buf_puts(out, "</p>\n");
	return rc;
}

static int html_head(cp_buf *out, const coplan_plan *plan, const coplan_document_info *info,
                     const char *marking)
{
	const char *title = plan->title ? plan->title : "Cooperation plan";
	int rc;

	if ((rc = cp_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	                           "<meta name=\"generator\" content=\"coplan " COPLAN_VERSION "\">\n<title>")) ||
	    (rc = h(out, title)) || (rc = cp_buf_puts(out, "</title>\n")) ||
	    (rc = cp_buf_puts(out, style)) || (rc = cp_buf_puts(out, "</head>\n<body>\n")) ||
	    (rc = html_marking(out, marking)) || (rc = cp_buf_puts(out, "<header>\n<h1>")) ||
	    (rc = h(out, title)) || (rc = cp_buf_puts(out, "</h1>\n")) || (rc = html_info(out, info)))
		return rc;
	if (plan->n_nations) {
		if ((rc = cp_buf_puts(out, "<p class=\"parties\">")))
			return rc;
		for (size_t i = 0; i < plan->n_nations; i++) {
			if ((i && (rc = cp_buf_puts(out, " – "))) || (rc = h(out, cp_nation_label(plan->nations[i]))))
				return rc;
		}
		if ((rc = cp_buf_puts(out, "</p>\n")))
			return rc;
	}
	if (plan->window_from != COPLAN_DATE_NONE &&
	    ((rc = cp_buf_puts(out, "<p class=\"parties\">Period: ")) ||
	     (rc = h_dates(out, plan->window_from, plan->window_to)) || (rc = cp_buf_puts(out, "</p>\n"))))
		return rc;
	return cp_buf_puts(out, "</header>\n");
}

static int html_talks(cp_buf *out, const coplan_plan *plan)
{
	const coplan_staff_talks *t = &plan->talks;
	int rc;

	if (!plan->has_talks)
		return 0;
	if ((rc = cp_buf_puts(out, "<section class=\"talks\">\n<h2>Adopted at</h2>\n<p>The ")))
		return rc;
	if (t->edition > 0 && ((rc = cp_export_ordinal(out, t->edition)) || (rc = cp_buf_putc(out, ' '))))
		return rc;
	if (t->series && ((rc = h(out, t->series)) || (rc = cp_buf_putc(out, ' '))))
		return rc;
	if ((rc = cp_buf_puts(out, "staff talks")))
		return rc;
	if (t->start != COPLAN_DATE_NONE &&
	    ((rc = cp_buf_puts(out, ", ")) || (rc = h_dates(out, t->start, t->end))))
		return rc;
	if (t->venue && ((rc = cp_buf_puts(out, ", ")) || (rc = h(out, t->venue))))
		return rc;
	if ((rc = cp_buf_puts(out, ".</p>\n")))
		return rc;
	if (t->n_delegations) {
		if ((rc = cp_buf_puts(out, "<table class=\"delegations\">\n<thead><tr><th>Delegation</th>"
		                           "<th>Head of delegation</th><th>Post</th></tr></thead>\n<tbody>\n")))
			return rc;
		for (size_t i = 0; i < t->n_delegations; i++) {
			const coplan_delegation *d = &t->delegations[i];

			if ((rc = cp_buf_puts(out, "<tr><td>")) || (rc = h(out, cp_nation_label(d->nation))) ||
			    (rc = cp_buf_puts(out, "</td><td>")) || (rc = h_join(out, d->head_rank, " ", d->head_name)))
				return rc;
			if (d->head_name_native &&
			    ((rc = cp_buf_puts(out, " (")) || (rc = h(out, d->head_name_native)) ||
			     (rc = cp_buf_putc(out, ')'))))
				return rc;
			if ((rc = cp_buf_puts(out, "</td><td>")) ||
			    (rc = h_join(out, d->head_post, ", ", d->head_organisation)) ||
			    (rc = cp_buf_puts(out, "</td></tr>\n")))
				return rc;
		}
		if ((rc = cp_buf_puts(out, "</tbody>\n</table>\n")))
			return rc;
	}
	return cp_buf_puts(out, "</section>\n");
}

static int html_activities(cp_buf *out, const cp_export_view *view)
{
	int rc;

	if ((rc = cp_buf_puts(out, "<section class=\"activities\">\n<h2>Activities</h2>\n<table class=\"plan\">\n"
	                           "<thead><tr><th>No.</th><th>Ref.</th><th>Dates</th><th>Title</th><th>Area</th>"
	                           "<th>Host</th><th>Participants</th><th>Units / lead</th><th>Duration</th><th>Location</th></tr></thead>\n"
	                           "<tbody>\n")))
		return rc;
	for (size_t i = 0; i < view->n_placed; i++) {
		const coplan_activity *a = view->items[i];

		if ((rc = cp_buf_printf(out, "<tr><td class=\"num\">%zu</td><td class=\"ref\">", i + 1)) || (rc = h(out, a->ref)) ||
		    (rc = cp_buf_puts(out, "</td><td class=\"dates\">")) || (rc = h_dates(out, a->start, a->end)) ||
		    (rc = cp_buf_puts(out, "</td><td>")) || (rc = h(out, a->title)) ||
		    (rc = cp_buf_puts(out, "</td><td>")) || (rc = h(out, a->area)) ||
		    (rc = cp_buf_puts(out, "</td><td>")) || (rc = h(out, a->host)) ||
		    (rc = cp_buf_puts(out, "</td><td>")) || (rc = h_list(out, a->participants, a->n_participants)) ||
		    (rc = cp_buf_puts(out, "</td><td>")) || (rc = h_list(out, a->units, a->n_units)) ||
		    (rc = cp_buf_puts(out, "</td><td>")) || (rc = cp_export_duration(out, a)) ||
		    (rc = cp_buf_puts(out, "</td><td>")) || (rc = h(out, a->location)) ||
		    (rc = cp_buf_puts(out, "</td></tr>\n")))
			return rc;
	}
	return cp_buf_puts(out, "</tbody>\n</table>\n</section>\n");
}

/* Totals by host nation (the plan's nations first) and by area (in order of first appearance). */
static int html_totals(cp_buf *out, const cp_export_view *view)
{
	const coplan_plan_summary *s = &view->summary;
	int rc;

	cp_buf line = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);

	if ((rc = cp_buf_puts(out, "<section class=\"totals\">\n<h2>Totals</h2>\n<p class=\"total\">")))
		return rc;
	if (!(rc = cp_export_totals(&line, s, 0)))
		rc = h(out, line.data ? line.data : "");
	cp_buf_release(&line);
	if (rc)
		return rc;
	if (s->unplaced && (rc = cp_buf_printf(out, "; %zu not placed", s->unplaced)))
		return rc;
	if ((rc = cp_buf_puts(out, "</p>\n<table class=\"totals\">\n<thead><tr><th>Host nation</th>"
	                           "<th>Activities</th><th>Cancelled</th></tr></thead>\n<tbody>\n")))
		return rc;
	for (size_t i = 0; i < s->by_host_count; i++) {
		if ((rc = cp_buf_puts(out, "<tr><td>")) || (rc = h(out, cp_nation_label(s->by_host[i].nation))) ||
		    (rc = cp_buf_printf(out, "</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td></tr>\n",
		                        s->by_host[i].count - s->by_host[i].cancelled, s->by_host[i].cancelled)))
			return rc;
	}
	if ((rc = cp_buf_puts(out, "</tbody>\n</table>\n<table class=\"totals\">\n<thead><tr><th>Area</th>"
	                           "<th>Activities</th></tr></thead>\n<tbody>\n")))
		return rc;
	for (size_t i = 0; i < view->n; i++) {
		const char *area = view->items[i]->area ? view->items[i]->area : "";
		size_t count = 0, seen = 0;

		for (size_t j = 0; j < view->n && !seen; j++) {
			const char *other = view->items[j]->area ? view->items[j]->area : "";

			if (!strcmp(area, other))
				seen = j < i;
		}
		if (seen)
			continue;
		for (size_t j = i; j < view->n; j++)
			count += !strcmp(area, view->items[j]->area ? view->items[j]->area : "");
		if ((rc = cp_buf_puts(out, "<tr><td>")) || (rc = h(out, *area ? area : "(none)")) ||
		    (rc = cp_buf_printf(out, "</td><td class=\"num\">%zu</td></tr>\n", count)))
			return rc;
	}
	return cp_buf_puts(out, "</tbody>\n</table>\n</section>\n");
}

/* One table of cost totals, one row per group and currency (never two currencies in a cell). */
static int html_cost_table(cp_buf *out, const coplan_plan *plan, coplan_cost_group by, const char *title)
{
	coplan_cost_total *t = NULL;
	size_t n = 0;
	int rc;

	if ((rc = coplan_cost_totals(&t, &n, plan, by, NULL)))
		return rc;
	rc = cp_buf_printf(out, "<table class=\"totals costs\">\n<thead><tr><th>%s</th><th>Currency</th>"
	                   "<th>Estimate</th><th>Actual</th><th>Activities</th></tr></thead>\n<tbody>\n", title);
	for (size_t i = 0; i < n && !rc; i++) {
		char e[32], a[32];

		if (!(rc = cp_buf_puts(out, "<tr><td>")) && !(rc = h(out, *t[i].group ? t[i].group : "(none)")))
			rc = cp_buf_printf(out, "</td><td>%s</td><td class=\"num\">%s</td><td class=\"num\">%s"
			                   "</td><td class=\"num\">%zu</td></tr>\n", t[i].currency,
			                   coplan_amount_format(e, sizeof(e), t[i].estimate, t[i].currency),
			                   coplan_amount_format(a, sizeof(a), t[i].actual, t[i].currency), t[i].n);
	}
	free(t);
	return rc ? rc : cp_buf_puts(out, "</tbody>\n</table>\n");
}

/* Cost and budget (issue 17): totals per currency by host, payer, area and quarter; budgets with warnings. */
int cp_export_html_costs(cp_buf *out, const coplan_plan *plan)
{
	coplan_budget_use *u = NULL;
	size_t n = 0;
	int rc;

	if (!coplan_plan_has_costs(plan))
		return 0;
	if ((rc = cp_buf_puts(out, "<section class=\"costs\">\n<h2>Cost</h2>\n<p>Each total is in one "
	                           "currency: amounts in different currencies are never added together.</p>\n")) ||
	    (rc = html_cost_table(out, plan, COPLAN_COST_BY_HOST, "Host nation")) ||
	    (rc = html_cost_table(out, plan, COPLAN_COST_BY_PAYER, "Paying nation")) ||
	    (rc = html_cost_table(out, plan, COPLAN_COST_BY_AREA, "Area")) ||
	    (rc = html_cost_table(out, plan, COPLAN_COST_BY_QUARTER, "Quarter")) ||
	    (rc = coplan_budget_uses(&u, &n, plan)))
		return rc;
	if (n)
		rc = cp_buf_puts(out, "<table class=\"totals budgets\">\n<thead><tr><th>Budget</th><th>Currency"
		                      "</th><th>Amount</th><th>Planned</th><th></th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n && !rc; i++) {
		const coplan_budget *b = u[i].budget;
		char a[32], pl[32];

		if (!(rc = cp_buf_printf(out, "<tr%s><td>%s %d ", u[i].over ? " class=\"over\"" : "", b->nation,
		                         b->year)) &&
		    !(rc = h(out, b->funding_line)))
			rc = cp_buf_printf(out, "</td><td>%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
			                   "<td>%s</td></tr>\n", b->currency,
			                   coplan_amount_format(a, sizeof(a), b->amount, b->currency),
			                   coplan_amount_format(pl, sizeof(pl), u[i].planned, b->currency),
			                   u[i].over ? "<strong>warning: exceeded</strong>"
			                   : u[i].n_unconverted ? "estimates without a rate not counted" : "");
	}
	if (!rc && n)
		rc = cp_buf_puts(out, "</tbody>\n</table>\n");
	free(u);
	return rc ? rc : cp_buf_puts(out, "</section>\n");
}

static int html_unplaced(cp_buf *out, const cp_export_view *view)
{
	int rc;

	if (view->n_placed == view->n)
		return 0;
	if ((rc = cp_buf_puts(out, "<section class=\"unplaced\">\n<h2>Unplaced activities</h2>\n<ul>\n")))
		return rc;
	for (size_t i = view->n_placed; i < view->n; i++) {
		const coplan_activity *a = view->items[i];

		if ((rc = cp_buf_puts(out, "<li><strong>")) || (rc = h(out, a->ref)) ||
		    (rc = cp_buf_puts(out, "</strong> ")) || (rc = h(out, a->title)) ||
		    (rc = cp_buf_puts(out, " (")) || (rc = h(out, a->host)) || (rc = cp_buf_puts(out, ", ")) ||
		    (rc = cp_export_duration(out, a)) || (rc = cp_buf_puts(out, "): ")) ||
		    (rc = h(out, a->unplaced_reason ? a->unplaced_reason : "no reason recorded")) ||
		    (rc = cp_buf_puts(out, "</li>\n")))
			return rc;
	}
	return cp_buf_puts(out, "</ul>\n</section>\n");
}

static int html_signatures(cp_buf *out, const coplan_plan *plan)
{
	const coplan_staff_talks *t = &plan->talks;
	int rc;

	if (!plan->has_talks || !t->n_delegations)
		return 0;
	/* the date and place are written by hand when the heads sign, as on the PDF */
	if ((rc = cp_buf_puts(out, "<section class=\"signed\">\n<h2>Signed for the parties by the "
	                           "heads of delegation</h2>\n<div class=\"signatures\">\n")))
		return rc;
	for (size_t i = 0; i < t->n_delegations; i++) {
		const coplan_delegation *d = &t->delegations[i];

		if ((rc = cp_buf_puts(out, "<div class=\"signature\">\n<p>For ")) ||
		    (rc = h(out, cp_nation_label(d->nation))) ||
		    (rc = cp_buf_puts(out, "</p>\n<div class=\"line\"></div>\n<p class=\"name\">")) ||
		    (rc = h_join(out, d->head_rank, " ", d->head_name)))
			return rc;
		if (d->head_name_native &&
		    ((rc = cp_buf_puts(out, "<br>")) || (rc = h(out, d->head_name_native))))
			return rc;
		if ((rc = cp_buf_puts(out, "</p>\n<p class=\"post\">")) ||
		    (rc = h_join(out, d->head_post, ", ", d->head_organisation)) ||
		    (rc = cp_buf_puts(out, "</p>\n<p class=\"dateplace\">Date / Place "
		                           "<span class=\"blank\"></span></p>\n</div>\n")))
			return rc;
	}
	return cp_buf_puts(out, "</div>\n</section>\n");
}

int cp_export_html(cp_buf *out, const coplan_plan *plan, const cp_export_view *view)
{
	char marking[COPLAN_LABEL_TEXT_MAX + 1];
	int rc;

	/* the marking of what the page holds: no marking, no page */
	if ((rc = coplan_plan_marking(marking, sizeof(marking), plan, (const coplan_activity *const *)view->items,
	                              view->n)))
		return rc;
	if ((rc = html_head(out, plan, view->info, marking)))
		return rc;
	if ((rc = cp_buf_puts(out, "<main>\n")) ||
	    (rc = html_talks(out, plan)) || (rc = html_activities(out, view)) ||
	    (rc = html_totals(out, view)) || (rc = cp_export_html_costs(out, plan)) ||
	    (rc = html_unplaced(out, view)) ||
	    (rc = html_signatures(out, plan)) || (rc = cp_buf_puts(out, "</main>\n")) ||
	    (rc = html_marking(out, marking)) || (rc = cp_buf_puts(out, "</body>\n</html>\n")))
		return rc;
	return 0;
}

static const char *change_kind_name(coplan_change_kind kind)
{
	switch (kind) {
	case COPLAN_CHANGE_ADDED: return "added";
	case COPLAN_CHANGE_REMOVED: return "removed";
	case COPLAN_CHANGE_MOVED: return "moved";
	default: return "changed";
	}
}

/* A cell: the text escaped, or an en dash for none. */
static int h_cell(cp_buf *out, const char *s)
{
	int rc = cp_buf_puts(out, "<td>");

	if (!rc)
		rc = s && *s ? h(out, s) : cp_buf_puts(out, "–");
	return rc ? rc : cp_buf_puts(out, "</td>");
}

static int amendment_body(cp_buf *out, const coplan_amendment_document *d)
{
	const coplan_plan *plan = d->plan;
	coplan_document_info plain = *d->info;
	cp_buf title = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	char *line = NULL;
	int rc;

	plain.amendment = 0;   /* the title says which amendment it is */
	rc = cp_buf_printf(&title, "Amendment No. %d to the %s", d->info->amendment,
	                   plan->title && *plan->title ? plan->title : "cooperation plan");
	if (!rc)
		rc = coplan_document_info_line(&line, &plain);
	if (rc)
		goto cleanup;
	if ((rc = cp_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	                           "<meta name=\"generator\" content=\"coplan " COPLAN_VERSION "\">\n<title>")) ||
	    (rc = h(out, title.data)) || (rc = cp_buf_puts(out, "</title>\n")) || (rc = cp_buf_puts(out, style)) ||
	    (rc = cp_buf_puts(out, "</head>\n<body>\n<header>\n")))
		goto cleanup;
	if (d->info->state == COPLAN_VERSION_DRAFT &&
	    (rc = cp_buf_puts(out, "<p class=\"watermark\">DRAFT</p>\n")))
		goto cleanup;
	if ((rc = cp_buf_puts(out, "<h1>")) || (rc = h(out, title.data)) || (rc = cp_buf_puts(out, "</h1>\n")))
		goto cleanup;
	if (plan->n_nations) {
		if ((rc = cp_buf_puts(out, "<p class=\"parties\">")))
			goto cleanup;
		for (size_t i = 0; i < plan->n_nations && !rc; i++)
			if (!(rc = i ? cp_buf_puts(out, " – ") : 0))
				rc = h(out, cp_nation_label(plan->nations[i]));
		if (rc || (rc = cp_buf_puts(out, "</p>\n")))
			goto cleanup;
	}
	if ((rc = cp_buf_puts(out, "<p class=\"parties\">amends the plan Ref. ")) ||
	    (rc = h(out, d->plan_reference && *d->plan_reference ? d->plan_reference : "(no reference)")) ||
	    (rc = cp_buf_puts(out, ", as signed</p>\n<p class=\"docinfo\">")) || (rc = h(out, line)) ||
	    (rc = cp_buf_puts(out, "</p>\n</header>\n<main>\n<section class=\"changes\">\n<h2>Changes</h2>\n")))
		goto cleanup;
	if (!d->n_changes) {
		rc = cp_buf_puts(out, "<p>Nothing changed: no activity, no blackout.</p>\n");
	} else {
		rc = cp_buf_puts(out, "<table class=\"changes\">\n<thead><tr><th>No.</th><th>Change</th>"
		                      "<th>Activity</th><th>What</th><th>Before</th><th>After</th>"
		                      "<th>Reason</th></tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < d->n_changes && !rc; i++) {
			const coplan_change *c = &d->changes[i];

			if ((rc = cp_buf_printf(out, "<tr><td class=\"num\">%zu</td><td>%s</td><td><strong>", i + 1,
			                        change_kind_name(c->kind))) ||
			    (rc = h(out, c->ref)) || (rc = cp_buf_puts(out, "</strong> ")) || (rc = h(out, c->title)) ||
			    (rc = cp_buf_puts(out, "</td>")) ||
			    (rc = h_cell(out, c->field ? c->field : c->kind == COPLAN_CHANGE_ADDED ? "activity added"
			                 : c->kind == COPLAN_CHANGE_REMOVED ? "activity removed" : NULL)) ||
			    (rc = h_cell(out, c->before)) || (rc = h_cell(out, c->after)) ||
			    (rc = h_cell(out, d->reasons ? d->reasons[i] : NULL)) || (rc = cp_buf_puts(out, "</tr>\n")))
				break;
		}
		if (!rc)
			rc = cp_buf_puts(out, "</tbody>\n</table>\n");
	}
	if (!rc)
		rc = cp_buf_puts(out, "</section>\n");
	if (!rc)
		rc = html_signatures(out, plan);
	if (!rc)
		rc = cp_buf_puts(out, "</main>\n</body>\n</html>\n");
cleanup:
	free(line);
	cp_buf_release(&title);
	return rc;
}

int coplan_amendment_html(char **out, size_t *len, const coplan_amendment_document *doc)
{
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	int rc;

	if (!doc || !doc->plan || !doc->info || doc->info->amendment < 1)
		return cp_error(COPLAN_EUSAGE, "an amendment document needs its plan and number");
	if ((rc = amendment_body(&b, doc))) {
		cp_buf_release(&b);
		return rc;
	}
	*out = cp_buf_detach(&b, len);
	cp_buf_release(&b);
	return *out ? 0 : cp_error(COPLAN_ENOMEM, "out of memory");
}

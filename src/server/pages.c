/* SPDX-License-Identifier: Apache-2.0 */
/* pages.c - the pages of the web server: each handler parses, calls one service function, renders HTML. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

#define OUT (&r->out)

/* The locale in which the edit form's dates are read: ISO 8601 is read in every locale. */
#define FORM_LOCALE "en-GB"

/* ---- static, log in, log out ------------------------------------------------ */

int cps_page_css(cps_request *r)
{
	r->content_type = "text/css; charset=utf-8";
	return cp_buf_puts(OUT, cps_css);
}

static void login_form(cps_request *r, const char *error)
{
	cps_page_begin(r, "Log in");
	if (error)
		cps_html_printf(OUT, "<p class=\"error\">%s</p>\n", error);
	cps_html_printf(OUT, "<form method=\"post\" action=\"/login\" class=\"login\">\n"
	                "<label class=\"block\">User name <input type=\"text\" name=\"name\" "
	                "autocomplete=\"username\" required maxlength=\"64\" autofocus></label>\n"
	                "<label class=\"block\">Password <input type=\"password\" name=\"password\" "
	                "autocomplete=\"current-password\" required maxlength=\"256\"></label>\n"
	                "<button type=\"submit\">Log in</button>\n</form>\n"
	                "<p class=\"note\">Accounts are made with <code>coplan user add</code> on the server.</p>\n");
	cps_page_end(r);
}

int cps_page_login_form(cps_request *r)
{
	login_form(r, NULL);
	return 0;
}

/* The session cookie: HttpOnly, SameSite=Strict, and Secure with the __Host- name under TLS. */
static void set_session_cookie(cps_request *r, const char *token, long max_age)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%ld%s", r->server->cookie,
	         token, max_age, r->server->tls ? "; Secure" : "");
	free(r->set_cookie);
	r->set_cookie = strdup(buf);
}

int cps_page_login(cps_request *r)
{
	const char *name = cps_form_get(&r->form, "name"), *password = cps_form_get(&r->form, "password");
	char token[COPLAN_TOKEN_LEN];
	coplan_session s;
	int rc;

	if (!name || !password)
		return cps_fail(r, COPLAN_EUSAGE, "the log-in form needs a name and a password");
	if ((rc = coplan_service_login(&r->ctx, name, password, CPS_SESSION_TTL, token, &s))) {
		r->status = rc == COPLAN_ELIMIT ? 429 : cps_error_status(rc);
		login_form(r, coplan_error_last());
		return 0;
	}
	set_session_cookie(r, token, CPS_SESSION_TTL);
	return cps_redirect(r, "/");
}

int cps_page_logout(cps_request *r)
{
	int rc = coplan_service_logout(&r->ctx, r->session_token);

	if (rc)
		return cps_fail(r, rc, NULL);
	set_session_cookie(r, "", 0);
	return cps_redirect(r, "/login");
}

/* ---- plans ------------------------------------------------------------------ */

int cps_page_plans(cps_request *r)
{
	coplan_plan_entry *plans = NULL;
	size_t n = 0;
	int rc = coplan_service_plans(&r->ctx, &plans, &n);

	if (rc)
		return cps_fail(r, rc, NULL);
	cps_page_begin(r, "Plans");
	if (n == 0)
		cps_html_printf(OUT, "<p>No plan yet. <a href=\"/import\">Import a plan</a> (its plan.json, "
		                "then its activities).</p>\n");
	else
		cps_html_printf(OUT, "<div class=\"scroll\"><table>\n<tr><th>Plan</th><th>Year</th><th>Staff talks</th>"
		                "<th>Activities</th></tr>\n");
	for (size_t i = 0; i < n; i++) {
		const coplan_plan *p = plans[i].plan;

		cps_html_printf(OUT, "<tr><td><a href=\"/plans/%ld\">%s</a></td><td>%d</td><td>", plans[i].id, p->title,
		                p->year);
		if (p->has_talks)
			cps_html_printf(OUT, "%s, edition %d, %s", p->talks.series, p->talks.edition,
			                p->talks.venue ? p->talks.venue : "");
		cps_html_printf(OUT, "</td><td>%zu</td></tr>\n", p->n_activities);
	}
	if (n)
		cps_html_printf(OUT, "</table></div>\n");
	cps_page_end(r);
	coplan_plan_entries_free(plans, n);
	return 0;
}

/* The plan's cost totals by host nation, one row per currency, and the budgets it exceeds (issue 17). */
static void put_costs(cps_request *r, const coplan_plan *plan)
{
	coplan_cost_total *t = NULL;
	coplan_budget_use *u = NULL;
	size_t n = 0, n_u = 0;

	cps_html_printf(OUT, "<h2>Cost</h2>\n");
	if (coplan_cost_totals(&t, &n, plan, COPLAN_COST_BY_HOST, NULL) == 0) {
		cps_html_printf(OUT, "<table class=\"costs\">\n<tr><th>Host nation</th><th>Currency</th>"
		                "<th>Estimate</th><th>Actual</th><th>Activities</th></tr>\n");
		for (size_t i = 0; i < n; i++) {
			char e[32], a[32];

			cps_html_printf(OUT, "<tr><td>%s</td><td>%s</td><td class=\"num\">%s</td><td class=\"num\">%s"
			                "</td><td class=\"num\">%zu</td></tr>\n", t[i].group, t[i].currency,
			                coplan_amount_format(e, sizeof(e), t[i].estimate, t[i].currency),
			                coplan_amount_format(a, sizeof(a), t[i].actual, t[i].currency), t[i].n);
		}
		cps_html_printf(OUT, "</table>\n<p class=\"note\">Each total is in one currency; the cost report "
		                "(download: costs) gives the totals by paying nation, area and quarter.</p>\n");
	}
	if (coplan_budget_uses(&u, &n_u, plan) == 0)
		for (size_t i = 0; i < n_u; i++) {
			char a[32], p[32];

			if (!u[i].over)
				continue;
			cps_html_printf(OUT, "<p class=\"warning\">Budget of %s for %d on %s exceeded: planned %s %s, "
			                "budget %s %s.</p>\n", u[i].budget->nation, u[i].budget->year,
			                u[i].budget->funding_line,
			                coplan_amount_format(p, sizeof(p), u[i].planned, u[i].budget->currency),
			                u[i].budget->currency,
			                coplan_amount_format(a, sizeof(a), u[i].budget->amount, u[i].budget->currency),
			                u[i].budget->currency);
		}
	free(t);
	free(u);
}

static int filter_match(const char *want, const char *have)
{
	return !want || !*want || (have && !strcasecmp(want, have));
}

int cps_page_plan(cps_request *r)
{
	const char *host = cps_query(r, "host"), *area = cps_query(r, "area");
	const char *month = cps_query(r, "month"), *status = cps_query(r, "status");
	long id = cps_plan_id(r);
	coplan_plan *plan = NULL;
	size_t formats_n, shown = 0;
	const coplan_format_info *formats = coplan_format_list(&formats_n);
	coplan_plan_access access;
	int rc, may_edit, costs, want_month = month && *month ? (int)strtol(month, NULL, 10) : 0;

	if (!id)
		return 0;
	if ((rc = coplan_service_load_for(&r->ctx, id, &plan, NULL, &access)))
		return cps_fail(r, rc, NULL);
	costs = coplan_plan_has_costs(plan);
	cps_page_begin(r, plan->title);
	/* only what the reader's role allows is offered (the service still decides each request) */
	may_edit = coplan_access_may(&access, COPLAN_ACTION_EDIT, NULL);
	cps_html_printf(OUT, "<p class=\"actions\"><a href=\"/plans/%ld/versions\">Versions</a> <a href=\"/plans/%ld/"
	                "blackouts\">Blackouts</a> <a href=\"/plans/%ld/roles\">Roles</a> ", id, id, id);
	if (may_edit)
		cps_html_printf(OUT, "<a href=\"/import?plan=%ld\">Import activities</a> ", id);
	cps_html_printf(OUT, "<a href=\"/plans/%ld/feed\">Calendar feed</a> <span class=\"role\">Your role: %s</span></p>\n",
	                id, coplan_role_name(access.role));
	if (may_edit) {
		cps_html_printf(OUT, "<form method=\"post\" action=\"/plans/%ld/schedule\" class=\"inline\">", id);
		cps_csrf_field(r);
		cps_html_printf(OUT, "<button name=\"mode\" value=\"full\">Schedule</button> "
		                "<button name=\"mode\" value=\"preview\">Preview a re-plan</button></form>\n");
	}
	/* filters */
	cps_html_printf(OUT, "<form method=\"get\" action=\"/plans/%ld\" class=\"filters\"><fieldset><legend>Filter</legend>", id);
	cps_html_printf(OUT, "<label>Host <select name=\"host\"><option value=\"\">any</option>");
	for (size_t i = 0; i < plan->n_nations; i++)
		cps_html_printf(OUT, "<option%s>%s</option>", host && !strcmp(host, plan->nations[i]) ? " selected" : "",
		                plan->nations[i]);
	cps_html_printf(OUT, "</select></label><label>Area <input type=\"text\" name=\"area\" size=\"12\" value=\"%s\">"
	                "</label><label>Month <select name=\"month\"><option value=\"\">any</option>", area ? area : "");
	for (int m = 1; m <= 12; m++) {
		static const char *names[] = { "January", "February", "March", "April", "May", "June", "July",
		                               "August", "September", "October", "November", "December" };

		cps_html_printf(OUT, "<option value=\"%d\"%s>%s</option>", m, m == want_month ? " selected" : "",
		                names[m - 1]);
	}
	cps_html_printf(OUT, "</select></label><label>Status <select name=\"status\"><option value=\"\">any</option>");
	for (int s = COPLAN_STATUS_PLANNED; s <= COPLAN_STATUS_CANCELLED; s++) {
		const char *sn = coplan_activity_status_name((coplan_activity_status)s);

		cps_html_printf(OUT, "<option%s>%s</option>", status && !strcmp(status, sn) ? " selected" : "", sn);
	}
	cps_html_printf(OUT, "</select></label> <button type=\"submit\">Show</button></fieldset></form>\n");
	cps_html_printf(OUT, "<div class=\"scroll\"><table class=\"plan\">\n<tr><th>Ref</th><th>Activity</th><th>Area</th>"
	                "<th>Host</th><th>Dates</th><th>Status</th>%s</tr>\n",
	                costs ? "<th>Cost estimate</th><th>Paid by</th><th>Funding line</th>" : "");
	for (size_t i = 0; i < plan->n_activities; i++) {
		const coplan_activity *a = &plan->activities[i];
		const char *sn = coplan_activity_status_name(a->status);
		int y, mo, d;

		if (!filter_match(host, a->host) || !filter_match(area, a->area) || !filter_match(status, sn))
			continue;
		if (want_month) {
			if (a->start == COPLAN_DATE_NONE)
				continue;
			coplan_date_to_ymd(a->start, &y, &mo, &d);
			if (mo != want_month)
				continue;
		}
		shown++;
		cps_html_printf(OUT, "<tr class=\"status-%s\"><td><a href=\"/plans/%ld/activities/%s\">%s</a></td>"
		                "<td>%s</td><td>%s</td><td>%s</td><td class=\"dates\">", sn, id, a->ref, a->ref, a->title,
		                a->area ? a->area : "", a->host);
		cps_put_span(r, a->start, a->end);
		cps_html_printf(OUT, "%s</td><td>%s</td>", a->pinned ? " (pinned)" : "", sn);
		if (costs) {
			char amount[32], payer[COPLAN_MAX_SHARES * 8 + 16];

			cps_html_printf(OUT, "<td class=\"num\">%s %s</td><td>%s</td><td>%s</td>",
			                a->has_cost_estimate ? coplan_amount_format(amount, sizeof(amount),
			                                                            a->cost_estimate, a->currency) : "",
			                a->has_cost_estimate ? a->currency : "", coplan_payer_format(payer, sizeof(payer), a),
			                a->funding_line ? a->funding_line : "");
		}
		cps_html_printf(OUT, "</tr>\n");
	}
	cps_html_printf(OUT, "</table></div>\n<p class=\"note\">%zu of %zu activities shown.</p>\n", shown,
	                plan->n_activities);
	if (costs)
		put_costs(r, plan);
	cps_html_printf(OUT, "<h2>The year</h2>\n<a href=\"/plans/%ld/export/svg?inline=1\"><img class=\"gantt\" "
	                "src=\"/plans/%ld/export/svg?inline=1\" alt=\"Gantt chart of the plan's year (opens full size)\"></a>\n"
	                "<h2>Download</h2>\n<ul class=\"downloads\">\n", id, id);
	for (size_t i = 0; i < formats_n; i++)
		cps_html_printf(OUT, "<li><a href=\"/plans/%ld/export/%s\">%s</a>: %s</li>\n", id, formats[i].name,
		                formats[i].name, formats[i].title);
	cps_html_printf(OUT, "</ul>\n");
	cps_page_end(r);
	coplan_plan_free(plan);
	return 0;
}

int cps_page_export(cps_request *r)
{
	const coplan_format_info *info = NULL;
	long id = cps_plan_id(r);
	char *out = NULL, name[64];
	size_t len = 0;
	int rc;

	if (!id)
		return 0;
	if ((rc = coplan_service_render(&r->ctx, id, r->params[1], NULL, &out, &len, &info)))
		return cps_fail(r, rc, NULL);
	r->raw = out;
	r->raw_len = len;
	r->content_type = info->mime;
	snprintf(name, sizeof(name), "plan-%ld.%s", id, info->extension);
	if (!cps_query(r, "inline"))
		r->download = strdup(name);
	return 0;
}

/* ---- an activity ------------------------------------------------------------ */

/* The edit form's fields, named as the CSV's English headers name them. */
static const char *const edit_fields[] = { "title", "area", "kind", "host", "participants", "units",
	                                        "duration", "mode", "earliest", "latest", "requested",
	                                        "after", "location", "notes" };
#define N_EDIT_FIELDS (sizeof(edit_fields) / sizeof(edit_fields[0]))

static void join(cp_buf *b, char **v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			cp_buf_puts(b, "; ");
		cp_buf_puts(b, v[i]);
	}
}

/* Activity a's field as the form shows it (and the importer reads it) into b. */
static void field_text(cp_buf *b, const coplan_plan *plan, const coplan_activity *a, const char *field)
{
	char d1[COPLAN_DATE_ISO_LEN], d2[COPLAN_DATE_ISO_LEN];

	cp_buf_clear(b);
	cp_buf_puts(b, "");
	if (!strcmp(field, "title"))
		cp_buf_puts(b, a->title);
	else if (!strcmp(field, "area"))
		cp_buf_puts(b, a->area ? a->area : "");
	else if (!strcmp(field, "kind"))
		cp_buf_puts(b, a->kind ? a->kind : "");
	else if (!strcmp(field, "host"))
		cp_buf_puts(b, a->host);
	else if (!strcmp(field, "participants"))
		join(b, a->participants, a->n_participants);
	else if (!strcmp(field, "units"))
		join(b, a->units, a->n_units);
	else if (!strcmp(field, "duration"))
		cp_buf_printf(b, "%d", a->duration);
	else if (!strcmp(field, "mode"))
		cp_buf_puts(b, coplan_day_mode_name(a->day_mode));
	else if (!strcmp(field, "earliest"))
		cp_buf_puts(b, coplan_date_format_iso(a->earliest, d1));
	else if (!strcmp(field, "latest"))
		cp_buf_puts(b, coplan_date_format_iso(a->latest, d1));
	else if (!strcmp(field, "requested") && a->requested_from != COPLAN_DATE_NONE) {
		int y1, m1, dd1, y2, m2, dd2;

		coplan_date_to_ymd(a->requested_from, &y1, &m1, &dd1);
		coplan_date_to_ymd(a->requested_to, &y2, &m2, &dd2);
		if (y1 == y2 && m1 == m2 && dd1 == 1 && dd2 == coplan_date_days_in_month(y2, m2))
			cp_buf_printf(b, "%04d-%02d", y1, m1);
		else if (a->requested_from == a->requested_to)
			cp_buf_puts(b, coplan_date_format_iso(a->requested_from, d1));
		else
			cp_buf_printf(b, "%s..%s", coplan_date_format_iso(a->requested_from, d1),
			              coplan_date_format_iso(a->requested_to, d2));
	} else if (!strcmp(field, "after")) {
		int first = 1;

		for (size_t i = 0; i < plan->n_precedences; i++) {
			const coplan_precedence *p = &plan->precedences[i];

			if (strcmp(p->after, a->ref))
				continue;
			cp_buf_printf(b, "%s%s", first ? "" : "; ", p->before);
			if (p->min_gap)
				cp_buf_printf(b, "+%d", p->min_gap);
			if (p->kind == COPLAN_PRECEDENCE_AFTER)
				cp_buf_putc(b, '?');
			first = 0;
		}
	} else if (!strcmp(field, "location"))
		cp_buf_puts(b, a->location ? a->location : "");
	else if (!strcmp(field, "notes"))
		cp_buf_puts(b, a->notes ? a->notes : "");
}

static void activity_nav(cps_request *r, long id, const char *ref)
{
	cps_html_printf(OUT, "<p class=\"actions\"><a href=\"/plans/%ld\">&larr; Plan</a> "
	                "<a href=\"/plans/%ld/activities/%s\">Activity</a> "
	                "<a href=\"/plans/%ld/activities/%s/history\">History</a> "
	                "<a href=\"/plans/%ld/activities/%s/explain\">Explain</a> "
	                "<a href=\"/plans/%ld/activities/%s/suggest\">Best starts</a></p>\n",
	                id, id, ref, id, ref, id, ref, id, ref);
}

/* The form that edits activity a's fields. */
static void edit_form(cps_request *r, long id, const coplan_plan *plan, const coplan_activity *a)
{
	cp_buf v = CP_BUF_INIT(64 * 1024);

	cps_html_printf(OUT, "<h2>Edit</h2>\n<form method=\"post\" action=\"/plans/%ld/activities/%s\" class=\"fields\">",
	                id, a->ref);
	cps_csrf_field(r);
	cps_html_printf(OUT, "<input type=\"hidden\" name=\"sequence\" value=\"%d\">\n<table>\n", a->sequence);
	for (size_t k = 0; k < N_EDIT_FIELDS; k++) {
		field_text(&v, plan, a, edit_fields[k]);
		cps_html_printf(OUT, "<tr><th><label for=\"f-%s\">%s</label></th><td><input type=\"text\" id=\"f-%s\" "
		                "name=\"%s\" value=\"%s\"><input type=\"hidden\" name=\"orig-%s\" value=\"%s\"></td></tr>\n",
		                edit_fields[k], edit_fields[k], edit_fields[k], edit_fields[k], v.data ? v.data : "",
		                edit_fields[k], v.data ? v.data : "");
	}
	cps_html_printf(OUT, "<tr><th><label for=\"f-reason\">reason</label></th><td><input type=\"text\" "
	                "id=\"f-reason\" name=\"reason\" maxlength=\"500\" placeholder=\"why: recorded with the "
	                "change, shown in the amendment\"></td></tr>\n");
	cps_html_printf(OUT, "</table>\n<p class=\"note\">Dates as YYYY-MM-DD; requested as a date or a month "
	                "(2024-03); lists with ';'; after as IT-01, IT-01+30 (a gap in days) or IT-01? (after).</p>\n"
	                "<button type=\"submit\">Save changes</button></form>\n");
	cp_buf_release(&v);
}

/* The form that pins activity a to its dates (or a first day given), or unpins it. */
static void pin_form(cps_request *r, long id, const coplan_activity *a)
{
	cps_html_printf(OUT, "<h2>%s</h2>\n<form method=\"post\" action=\"/plans/%ld/activities/%s/pin\">",
	                a->pinned ? "Pinned" : "Pin", id, a->ref);
	cps_csrf_field(r);
	cps_html_printf(OUT, "<input type=\"hidden\" name=\"sequence\" value=\"%d\">", a->sequence);
	if (a->pinned)
		cps_html_printf(OUT, "<p class=\"note\">Every re-plan keeps it on its dates.</p><input type=\"hidden\" "
		                "name=\"pin\" value=\"0\"><label>Reason <input type=\"text\" name=\"reason\" "
		                "maxlength=\"500\"></label> <button type=\"submit\">Unpin</button></form>\n");
	else
		cps_html_printf(OUT, "<input type=\"hidden\" name=\"pin\" value=\"1\"><label>First day <input "
		                "type=\"date\" name=\"from\"></label> <label>Reason <input type=\"text\" name=\"reason\" "
		                "maxlength=\"500\" placeholder=\"e.g. dates agreed by letter\"></label> <button type=\"submit\">"
		                "Pin</button></form>\n<p class=\"note\">Without a first day it stays where it is; every "
		                "re-plan keeps a pinned activity on its dates.</p>\n");
}

/* The form that records activity a's execution. */
static void execution_form(cps_request *r, long id, const coplan_activity *a)
{
	cps_html_printf(OUT, "<h2>Record execution</h2>\n<form method=\"post\" action=\"/plans/%ld/activities/%s/status\">",
	                id, a->ref);
	cps_csrf_field(r);
	cps_html_printf(OUT, "<label>Status <select name=\"status\">");
	for (int s = COPLAN_STATUS_CONFIRMED; s <= COPLAN_STATUS_CANCELLED; s++)
		cps_html_printf(OUT, "<option>%s</option>", coplan_activity_status_name((coplan_activity_status)s));
	cps_html_printf(OUT, "</select></label> <label>New dates (postponed) <input type=\"date\" name=\"from\"> to "
	                "<input type=\"date\" name=\"to\"></label> <label>Reason <input type=\"text\" name=\"reason\" "
	                "maxlength=\"500\"></label> <button type=\"submit\">Record</button></form>\n");
}

int cps_page_activity(cps_request *r)
{
	long id = cps_plan_id(r), i;
	coplan_plan *plan = NULL;
	const coplan_activity *a;
	coplan_plan_access access;
	char title[300];
	int rc;

	if (!id)
		return 0;
	/* not there and not releasable: the same 404 in the same words (the second is audited) */
	if ((rc = coplan_service_activity(&r->ctx, id, r->params[1], &plan, &i, &access)))
		return cps_fail(r, rc, NULL);
	a = &plan->activities[i];
	snprintf(title, sizeof(title), "%s %s", a->ref, a->title);
	cps_page_begin(r, title);
	activity_nav(r, id, a->ref);
	cps_html_printf(OUT, "<p>Dates: ");
	cps_put_span(r, a->start, a->end);
	cps_html_printf(OUT, " &middot; status <strong>%s</strong>%s &middot; revision %d</p>\n",
	                coplan_activity_status_name(a->status), a->pinned ? " &middot; pinned" : "", a->sequence);
	if (a->unplaced_reason)
		cps_html_printf(OUT, "<p class=\"error\">Not placed: %s</p>\n", a->unplaced_reason);
	/* the forms only where the reader's role (and a planner's nation) allows them */
	if (coplan_access_may(&access, COPLAN_ACTION_EDIT, a)) {
		edit_form(r, id, plan, a);
		pin_form(r, id, a);
	}
	if (coplan_access_may(&access, COPLAN_ACTION_EXECUTE, a))
		execution_form(r, id, a);
	cps_page_end(r);
	coplan_plan_free(plan);
	return 0;
}

/*
 * The 409 of a stale edit: what the user sent beside what the plan holds
 * now.  A second service call on the error path only: the edit itself
 * changed nothing.
 */
static int conflict_page(cps_request *r, long id, const char *ref, const char *why)
{
	coplan_plan *plan = NULL;
	cp_buf v = CP_BUF_INIT(64 * 1024);
	char *msg = strdup(why);
	long i = -1;

	if (!coplan_service_load(&r->ctx, id, &plan, NULL))
		i = coplan_service_find_activity(plan, ref);
	cps_page_begin(r, "Not saved: the activity changed meanwhile");
	r->status = 409;
	activity_nav(r, id, ref);
	cps_html_printf(OUT, "<p class=\"error\">%s</p>\n", msg ? msg : "conflict");
	if (i >= 0) {
		const coplan_activity *a = &plan->activities[i];

		cps_html_printf(OUT, "<p>Another planner saved this activity after you opened it (now revision %d). "
		                "Nothing of yours was saved. Compare, then edit again:</p>\n<div class=\"scroll\">"
		                "<table class=\"conflict\">\n<tr><th>Field</th><th>When you opened it</th><th>Yours</th>"
		                "<th>Now in the plan</th></tr>\n",
		                a->sequence);
		for (size_t k = 0; k < N_EDIT_FIELDS; k++) {
			const char *mine = cps_form_get(&r->form, edit_fields[k]);
			char orig[CPS_NAME_MAX + 8];

			snprintf(orig, sizeof(orig), "orig-%s", edit_fields[k]);
			field_text(&v, plan, a, edit_fields[k]);
			if (!mine || (cps_form_get(&r->form, orig) && !strcmp(mine, cps_form_get(&r->form, orig)) &&
			              !strcmp(mine, v.data ? v.data : "")))
				continue;
			cps_html_printf(OUT, "<tr><th>%s</th><td>%s</td><td class=\"yours\">%s</td><td class=\"theirs\">%s</td>"
			                "</tr>\n", edit_fields[k], cps_form_get(&r->form, orig) ? cps_form_get(&r->form, orig) : "",
			                mine, v.data ? v.data : "");
		}
		cps_html_printf(OUT, "</table></div>\n<p><a href=\"/plans/%ld/activities/%s\">Open the activity as it is "
		                "now</a></p>\n", id, a->ref);
	}
	cps_page_end(r);
	free(msg);
	cp_buf_release(&v);
	coplan_plan_free(plan);
	return 0;
}

static void changes_table(cps_request *r, const coplan_change *changes, size_t n)
{
	static const char *kinds[] = { "added", "removed", "moved", "changed" };

	if (!n) {
		cps_html_printf(OUT, "<p>Nothing changes.</p>\n");
		return;
	}
	cps_html_printf(OUT, "<div class=\"scroll\"><table class=\"changes\">\n<tr><th></th><th>Ref</th><th>Activity</th>"
	                "<th>Field</th><th>Before</th><th>After</th></tr>\n");
	for (size_t i = 0; i < n; i++)
		cps_html_printf(OUT, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
		                kinds[changes[i].kind & 3], changes[i].ref ? changes[i].ref : "",
		                changes[i].title ? changes[i].title : "", changes[i].field ? changes[i].field : "",
		                changes[i].before ? changes[i].before : "", changes[i].after ? changes[i].after : "");
	cps_html_printf(OUT, "</table></div>\n");
}

int cps_page_activity_edit(cps_request *r)
{
	coplan_field_value fields[N_EDIT_FIELDS];
	coplan_change *changes = NULL;
	size_t n = 0, n_changes = 0;
	long id = cps_plan_id(r), seq = -1;
	const char *seq_text = cps_form_get(&r->form, "sequence");
	int rc;

	if (!id)
		return 0;
	if (seq_text && *seq_text)
		seq = strtol(seq_text, NULL, 10);
	/* only what the user changed: a field whose value differs from the one the form showed */
	for (size_t k = 0; k < N_EDIT_FIELDS; k++) {
		const char *v = cps_form_get(&r->form, edit_fields[k]);
		char orig_name[CPS_NAME_MAX + 8];
		const char *orig;

		snprintf(orig_name, sizeof(orig_name), "orig-%s", edit_fields[k]);
		orig = cps_form_get(&r->form, orig_name);
		if (v && (!orig || strcmp(v, orig))) {
			fields[n].field = edit_fields[k];
			fields[n].value = v;
			n++;
		}
	}
	if (n == 0)
		return cps_redirect(r, "/plans/%ld/activities/%s", id, r->params[1]);
	rc = coplan_service_activity_edit(&r->ctx, id, r->params[1], seq > INT32_MAX ? -1 : (int)seq, fields, n,
	                                  FORM_LOCALE, cps_form_get(&r->form, "reason"), &changes, &n_changes);
	if (rc == COPLAN_ECONFLICT)
		return conflict_page(r, id, r->params[1], coplan_error_last());
	if (rc)
		return cps_fail(r, rc, NULL);
	cps_page_begin(r, "Saved");
	activity_nav(r, id, r->params[1]);
	cps_html_printf(OUT, "<p class=\"ok\">Saved %s.</p>\n", r->params[1]);
	changes_table(r, changes, n_changes);
	cps_html_printf(OUT, "<h2>Re-plan</h2>\n<p>See what a re-plan would move after this change, nothing saved until you "
	                "accept it:</p>\n<form method=\"post\" action=\"/plans/%ld/schedule\">", id);
	cps_csrf_field(r);
	cps_html_printf(OUT, "<button name=\"mode\" value=\"preview\">Preview the re-plan</button></form>\n");
	cps_page_end(r);
	coplan_changes_free(changes, n_changes);
	return 0;
}

int cps_page_history(cps_request *r)
{
	coplan_activity_event *ev = NULL;
	size_t n = 0;
	long id = cps_plan_id(r);
	char title[CPS_PARAM_MAX + 16];
	int rc;

	if (!id)
		return 0;
	if ((rc = coplan_service_history(&r->ctx, id, r->params[1], &ev, &n)))
		return cps_fail(r, rc, NULL);
	snprintf(title, sizeof(title), "History of %s", r->params[1]);
	cps_page_begin(r, title);
	activity_nav(r, id, r->params[1]);
	if (!n)
		cps_html_printf(OUT, "<p>No status recorded yet.</p>\n");
	else
		cps_html_printf(OUT, "<div class=\"scroll\"><table>\n<tr><th>Recorded (UTC)</th><th>By</th><th>Status</th>"
		                "<th>Dates</th><th>Reason</th></tr>\n");
	for (size_t i = 0; i < n; i++) {
		cps_html_printf(OUT, "<tr><td>%s</td><td>%s</td><td>%s</td><td>", ev[i].at, ev[i].author,
		                coplan_activity_status_name(ev[i].status));
		cps_put_span(r, ev[i].start, ev[i].end);
		cps_html_printf(OUT, "</td><td>%s</td></tr>\n", ev[i].reason ? ev[i].reason : "");
	}
	if (n)
		cps_html_printf(OUT, "</table></div>\n");
	cps_page_end(r);
	coplan_activity_events_free(ev, n);
	return 0;
}

int cps_page_explain(cps_request *r)
{
	const char *d = cps_query(r, "date");
	coplan_date date = COPLAN_DATE_NONE;
	coplan_explanation *why = NULL;
	char *text = NULL, title[CPS_PARAM_MAX + 16];
	long id = cps_plan_id(r);
	int rc;

	if (!id)
		return 0;
	if (d && *d && coplan_date_parse_iso(&date, d, strlen(d)))
		return cps_fail(r, COPLAN_EINVALID, "date: expected YYYY-MM-DD");
	if ((rc = coplan_service_explain(&r->ctx, id, r->params[1], date, &why)) ||
	    (rc = coplan_explanation_format_text(&text, why))) {
		coplan_explanation_free(why);
		return cps_fail(r, rc, NULL);
	}
	snprintf(title, sizeof(title), "Explain %s", r->params[1]);
	cps_page_begin(r, title);
	activity_nav(r, id, r->params[1]);
	cps_html_printf(OUT, "<form method=\"get\"><label>Could it start on <input type=\"date\" name=\"date\" "
	                "value=\"%s\"></label> <button type=\"submit\">Explain</button></form>\n<p class=\"explanation\">%s</p>\n",
	                d ? d : "", text);
	cps_page_end(r);
	free(text);
	coplan_explanation_free(why);
	return 0;
}

int cps_page_suggest(cps_request *r)
{
	coplan_explanation *best = NULL, *why = NULL;
	size_t n = 0;
	long id = cps_plan_id(r);
	char title[CPS_PARAM_MAX + 24];
	int rc;

	if (!id)
		return 0;
	if ((rc = coplan_service_suggest(&r->ctx, id, r->params[1], 5, &best, &n, &why)))
		return cps_fail(r, rc, NULL);
	snprintf(title, sizeof(title), "Best starts of %s", r->params[1]);
	cps_page_begin(r, title);
	activity_nav(r, id, r->params[1]);
	if (!n) {
		char *text = NULL;

		coplan_explanation_format_text(&text, why);
		cps_html_printf(OUT, "<p>No start breaks no hard constraint with the other activities where they are.</p>\n"
		                "<p>%s</p>\n", text ? text : "");
		free(text);
	} else {
		cps_html_printf(OUT, "<ol class=\"suggestions\">\n");
	}
	for (size_t k = 0; k < n; k++) {
		char *text = NULL;

		coplan_reasons_format_text(&text, best[k].costs, best[k].n_costs, r->params[1]);
		cps_html_printf(OUT, "<li>");
		cps_put_span(r, best[k].from, best[k].to);
		cps_html_printf(OUT, ", soft cost %ld%s%s</li>\n", best[k].soft_cost, best[k].n_costs ? ": " : "",
		                text ? text : "");
		free(text);
	}
	if (n)
		cps_html_printf(OUT, "</ol>\n");
	cps_page_end(r);
	coplan_explanations_free(best, n);
	coplan_explanation_free(why);
	return 0;
}

int cps_page_status(cps_request *r)
{
	const char *st = cps_form_get(&r->form, "status"), *from = cps_form_get(&r->form, "from");
	const char *to = cps_form_get(&r->form, "to"), *reason = cps_form_get(&r->form, "reason");
	coplan_status_change c = { .ref = r->params[1], .start = COPLAN_DATE_NONE, .end = COPLAN_DATE_NONE,
	                           .author = r->ctx.user };
	char *warnings = NULL;
	long id = cps_plan_id(r);
	int rc;

	if (!id)
		return 0;
	if (!st || coplan_activity_status_parse(&c.status, st))
		return cps_fail(r, COPLAN_EINVALID, "status: expected confirmed, executed, postponed or cancelled");
	if ((from && *from && coplan_date_parse_iso(&c.start, from, strlen(from))) ||
	    (to && *to && coplan_date_parse_iso(&c.end, to, strlen(to))))
		return cps_fail(r, COPLAN_EINVALID, "new dates: expected YYYY-MM-DD");
	c.reason = reason && *reason ? reason : NULL;
	if ((rc = coplan_service_set_statuses(&r->ctx, id, &c, 1, 0, &warnings)))
		return cps_fail(r, rc, NULL);
	free(warnings);
	return cps_redirect(r, "/plans/%ld/activities/%s/history", id, r->params[1]);
}

/* ---- scheduling jobs ------------------------------------------------------- */

int cps_page_schedule(cps_request *r)
{
	const char *mode = cps_form_get(&r->form, "mode");
	long id = cps_plan_id(r), job;
	int rc, preview, replan;

	if (!id)
		return 0;
	if (!mode || (strcmp(mode, "full") && strcmp(mode, "preview") && strcmp(mode, "replan")))
		return cps_fail(r, COPLAN_EUSAGE, "mode: expected full, preview or replan");
	preview = !strcmp(mode, "preview");
	replan = strcmp(mode, "full") != 0;
	if ((rc = cps_jobs_submit(&r->server->jobs, &r->ctx, id, preview, replan, &job))) {
		cps_fail(r, rc, NULL);
		if (rc == COPLAN_ELIMIT)
			r->status = 429; /* the queue is full: try again later */
		return 0;
	}
	return cps_redirect(r, "/jobs/%ld", job);
}

int cps_page_job(cps_request *r)
{
	long id = cps_param_id(r, 0);
	cps_job job;
	char title[64];
	int rc;

	if ((rc = cps_jobs_get(&r->server->jobs, id, r->ctx.account, &job)))
		return cps_fail(r, rc, NULL);
	snprintf(title, sizeof(title), "%s of plan %ld", job.preview ? "Re-plan preview" : job.replan ? "Re-plan"
	         : "Schedule", job.plan_id);
	if (job.state <= CPS_JOB_RUNNING) {
		/* progress without script: the page reloads itself each second */
		cp_buf_puts(OUT, "");
		r->content_type = "text/html; charset=utf-8";
	}
	cps_page_begin(r, title);
	if (job.state <= CPS_JOB_RUNNING) {
		cps_html_printf(OUT, "<p class=\"job-state\" data-state=\"%s\">%s&hellip; %.1f s", cps_job_state_name(job.state),
		                job.state == CPS_JOB_QUEUED ? "Waiting for the scheduler" : "Searching", job.elapsed);
		if (job.has_best)
			cps_html_printf(OUT, "; best so far: %ld unplaced, soft cost %ld", -job.best.medium, -job.best.soft);
		cps_html_printf(OUT, "</p>\n<p class=\"note\">This page reloads itself; other pages work meanwhile.</p>\n"
		                "<meta http-equiv=\"refresh\" content=\"1\">\n<form method=\"post\" action=\"/jobs/%ld/cancel\">", id);
		cps_csrf_field(r);
		cps_html_printf(OUT, "<button type=\"submit\">Cancel</button></form>\n");
	} else if (job.state != CPS_JOB_DONE) {
		cps_html_printf(OUT, "<p class=\"error job-state\" data-state=\"%s\">%s: %s</p>\n", cps_job_state_name(job.state),
		                job.state == CPS_JOB_CANCELLED ? "Cancelled, nothing saved" : "Failed, nothing saved",
		                job.message ? job.message : "");
	} else {
		json_t *o = json_loads(job.result_json ? job.result_json : "{}", 0, NULL);
		long scheduled = (long)json_integer_value(json_object_get(o, "scheduled"));
		long unplaced = (long)json_integer_value(json_object_get(o, "unplaced"));

		cps_html_printf(OUT, "<p class=\"ok job-state\" data-state=\"done\">%s: %ld scheduled, %ld unplaced.</p>\n",
		                job.preview ? "Preview ready, nothing saved" : "Saved", scheduled, unplaced);
		json_decref(o);
		if (job.replan) {
			cps_html_printf(OUT, "<h2>%s</h2>\n", job.preview ? "What the re-plan would change" : "What moved");
			changes_table(r, job.moves, job.n_moves);
		}
		if (job.preview) {
			cps_html_printf(OUT, "<form method=\"post\" action=\"/plans/%ld/schedule\">", job.plan_id);
			cps_csrf_field(r);
			cps_html_printf(OUT, "<button name=\"mode\" value=\"replan\">Accept: re-plan and save</button></form>\n");
		}
	}
	cps_html_printf(OUT, "<p><a href=\"/plans/%ld\">Back to the plan</a></p>\n", job.plan_id);
	cps_page_end(r);
	cps_job_release(&job);
	return 0;
}

int cps_page_job_cancel(cps_request *r)
{
	long id = cps_param_id(r, 0);
	int rc = cps_jobs_cancel(&r->server->jobs, id, r->ctx.account);

	if (rc)
		return cps_fail(r, rc, NULL);
	return cps_redirect(r, "/jobs/%ld", id);
}

/* ---- import: check, then commit ---------------------------------------------- */

int cps_page_import_form(cps_request *r)
{
	coplan_plan_entry *plans = NULL;
	size_t n = 0;
	const char *want = cps_query(r, "plan");
	long want_id = want ? strtol(want, NULL, 10) : 0;
	int rc = coplan_service_plans(&r->ctx, &plans, &n);

	if (rc)
		return cps_fail(r, rc, NULL);
	cps_page_begin(r, "Import");
	cps_html_printf(OUT, "<p>A <code>plan.json</code> makes a new plan; a sheet of proposals (<code>.csv</code> or "
	                "<code>.xlsx</code>) goes into a plan. You see what the importer decided before anything is saved.</p>\n"
	                "<form method=\"post\" action=\"/import\" enctype=\"multipart/form-data\">");
	cps_csrf_field(r);
	cps_html_printf(OUT, "<label class=\"block\">File <input type=\"file\" name=\"file\" required "
	                "accept=\".json,.csv,.xlsx,.ics\"></label>\n<label class=\"block\">Into <select name=\"plan\">"
	                "<option value=\"0\">a new plan (plan.json) / the newest plan</option>");
	for (size_t i = 0; i < n; i++)
		cps_html_printf(OUT, "<option value=\"%ld\"%s>%s (%d)</option>", plans[i].id,
		                plans[i].id == want_id ? " selected" : "", plans[i].plan->title, plans[i].plan->year);
	cps_html_printf(OUT, "</select></label>\n<label class=\"block\">Dates and numbers written in <select name=\"locale\">"
	                "<option value=\"\">English (day first)</option><option value=\"en-US\">English (US)</option>"
	                "<option value=\"it\">Italian</option><option value=\"ja\">Japanese</option></select></label>\n"
	                "<label class=\"block\"><input type=\"checkbox\" name=\"update\" value=\"1\"> an edited sheet: "
	                "rows whose ref the plan already has replace those activities</label>\n"
	                "<button type=\"submit\">Check</button></form>\n");
	cps_page_end(r);
	coplan_plan_entries_free(plans, n);
	return 0;
}

static const char *kind_name(coplan_import_kind k)
{
	switch (k) {
	case COPLAN_IMPORT_PLAN: return "a new plan";
	case COPLAN_IMPORT_ACTIVITIES: return "activity proposals";
	case COPLAN_IMPORT_HOLIDAYS: return "a holiday feed";
	case COPLAN_IMPORT_BLACKOUTS: return "a unit's busy periods";
	}
	return "?";
}

static void import_report(cps_request *r, const coplan_import_result *res)
{
	cps_html_printf(OUT, "<table class=\"report\">\n<tr><th>What</th><td>%s</td></tr>\n", kind_name(res->kind));
	cps_html_printf(OUT, "<tr><th>Plan</th><td>%s (%d)</td></tr>\n", res->title ? res->title : "", res->year);
	if (res->kind == COPLAN_IMPORT_PLAN)
		cps_html_printf(OUT, "<tr><th>Holds</th><td>%zu activities, %zu blackouts</td></tr>\n", res->n_activities,
		                res->n_blackouts);
	if (res->kind == COPLAN_IMPORT_ACTIVITIES) {
		char delim[8];

		snprintf(delim, sizeof(delim), "%s", res->sheet.delimiter == '\t' ? "TAB" : (char[]){ res->sheet.delimiter, 0 });
		cps_html_printf(OUT, "<tr><th>Read as</th><td>%s, delimiter '%s', locale %s</td></tr>\n"
		                "<tr><th>Rows</th><td>%zu read, %zu activities, %zu precedences, %zu updates</td></tr>\n",
		                res->sheet.encoding, delim, res->sheet.locale, res->sheet.rows_read,
		                res->sheet.rows_imported, res->sheet.precedences_imported, res->sheet.rows_updated);
		for (size_t i = 0; i < res->sheet.n_warnings; i++)
			cps_html_printf(OUT, "<tr><th>Decided</th><td>%s</td></tr>\n", res->sheet.warnings[i]);
	}
	for (size_t i = 0; i < res->n_missing_calendars; i++)
		cps_html_printf(OUT, "<tr><th>Warning</th><td>host %s has no holiday calendar: weekends only</td></tr>\n",
		                res->missing_calendars[i]);
	cps_html_printf(OUT, "</table>\n");
	if (res->n_changes) {
		cps_html_printf(OUT, "<h2>Changes to the plan</h2>\n");
		changes_table(r, res->changes, res->n_changes);
	}
}

int cps_page_import_check(cps_request *r)
{
	const cps_field *file = cps_form_field(&r->form, "file");
	const char *plan = cps_form_get(&r->form, "plan"), *locale = cps_form_get(&r->form, "locale");
	const char *update = cps_form_get(&r->form, "update");
	coplan_import_request req = { 0 };
	coplan_import_result res;
	char key[COPLAN_TOKEN_LEN];
	int rc;

	if (!file || !file->filename || !*file->filename)
		return cps_fail(r, COPLAN_EUSAGE, "choose a file to import");
	req.path = file->filename;
	req.data = file->value;
	req.len = file->len;
	req.plan_id = plan ? strtol(plan, NULL, 10) : 0;
	req.csv.locale = locale && *locale ? locale : NULL;
	req.csv.update = update && !strcmp(update, "1");
	req.dry_run = 1;
	if ((rc = coplan_service_import(&r->ctx, &req, &res)))
		return cps_fail(r, rc, NULL);
	if ((rc = cps_stash_put(&r->server->stash, r->ctx.account, coplan_ctx_now(&r->ctx), file->filename,
	                        file->value, file->len, req.plan_id, locale, req.csv.update, key))) {
		coplan_import_result_clear(&res);
		return cps_fail(r, rc, NULL);
	}
	cps_page_begin(r, "Check the import");
	cps_html_printf(OUT, "<p class=\"ok\">%s reads without an error. Nothing is saved yet.</p>\n", file->filename);
	import_report(r, &res);
	cps_html_printf(OUT, "<form method=\"post\" action=\"/import/%s\">", key);
	cps_csrf_field(r);
	cps_html_printf(OUT, "<button type=\"submit\">Import</button> <a href=\"/import\">Cancel</a></form>\n");
	cps_page_end(r);
	coplan_import_result_clear(&res);
	return 0;
}

int cps_page_import_commit(cps_request *r)
{
	coplan_import_request req = { 0 };
	coplan_import_result res;
	cps_upload u;
	long plan_id;
	int rc;

	if ((rc = cps_stash_take(&r->server->stash, r->params[0], r->ctx.account, coplan_ctx_now(&r->ctx), &u)))
		return cps_fail(r, rc, NULL);
	req.path = u.name;
	req.data = u.data;
	req.len = u.len;
	req.plan_id = u.plan_id;
	req.csv.locale = u.locale[0] ? u.locale : NULL;
	req.csv.update = u.update;
	rc = coplan_service_import(&r->ctx, &req, &res);
	cps_upload_release(&u);
	if (rc)
		return cps_fail(r, rc, NULL);
	plan_id = res.plan_id;
	coplan_import_result_clear(&res);
	return cps_redirect(r, "/plans/%ld", plan_id);
}

/* ---- versions ---------------------------------------------------------------- */

int cps_page_versions(cps_request *r)
{
	coplan_plan_version *v = NULL;
	size_t n = 0;
	long id = cps_plan_id(r);
	int rc;

	if (!id)
		return 0;
	if ((rc = coplan_service_versions(&r->ctx, id, &v, &n)))
		return cps_fail(r, rc, NULL);
	cps_page_begin(r, "Versions");
	cps_html_printf(OUT, "<p class=\"actions\"><a href=\"/plans/%ld\">&larr; Plan</a></p>\n", id);
	if (!n)
		cps_html_printf(OUT, "<p>No version saved yet.</p>\n");
	else
		cps_html_printf(OUT, "<div class=\"scroll\"><table class=\"versions\">\n<tr><th>No.</th><th>State</th>"
		                "<th>Saved (UTC)</th><th>By</th><th>Note</th></tr>\n");
	for (size_t i = 0; i < n; i++)
		cps_html_printf(OUT, "<tr><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", v[i].number,
		                coplan_version_state_name(v[i].state), v[i].created_at, v[i].author,
		                v[i].note ? v[i].note : "");
	if (n)
		cps_html_printf(OUT, "</table></div>\n");
	if (n && v[n - 1].state == COPLAN_VERSION_SIGNED) {
		cps_html_printf(OUT, "<h2>Amend the signed plan</h2>\n<form method=\"post\" action=\"/plans/%ld/amend\">", id);
		cps_csrf_field(r);
		cps_html_printf(OUT, "<label>Note <input type=\"text\" name=\"note\" maxlength=\"500\"></label> "
		                "<button type=\"submit\">Start an amendment</button></form>\n<p class=\"note\">A signed plan "
		                "changes only through an amendment: a draft, edited and re-planned, then agreed and signed.</p>\n");
	}
	cps_html_printf(OUT, "<h2>Save the plan as it stands</h2>\n<form method=\"post\" action=\"/plans/%ld/versions\">", id);
	cps_csrf_field(r);
	cps_html_printf(OUT, "<label>As <select name=\"state\"><option>draft</option><option>agreed</option>"
	                "<option>signed</option></select></label> <label>Note <input type=\"text\" name=\"note\" "
	                "maxlength=\"500\"></label> <button type=\"submit\">Save version</button></form>\n"
	                "<p class=\"note\">Only a version saved as agreed, unchanged since, can be signed; a reviewer signs.</p>\n");
	cps_html_printf(OUT, "<h2>Compare</h2>\n<form method=\"get\" action=\"/plans/%ld/compare\"><label>Older "
	                "<input type=\"text\" name=\"older\" value=\"signed\" size=\"8\"></label> <label>Newer <input "
	                "type=\"text\" name=\"newer\" value=\"current\" size=\"8\"></label> <button type=\"submit\">"
	                "Compare</button></form>\n<p class=\"note\">A version number, signed or current.</p>\n", id);
	cps_page_end(r);
	coplan_plan_versions_free(v, n);
	return 0;
}

int cps_page_version_save(cps_request *r)
{
	const char *state = cps_form_get(&r->form, "state"), *note = cps_form_get(&r->form, "note");
	coplan_version_state st;
	char *conflicts = NULL;
	long id = cps_plan_id(r);
	int rc, number = 0;

	if (!id)
		return 0;
	if (!state || coplan_version_state_parse(&st, state))
		return cps_fail(r, COPLAN_EINVALID, "state: expected draft, agreed or signed");
	rc = coplan_service_version_save(&r->ctx, id, st, note && *note ? note : NULL, &number, &conflicts, NULL);
	if (rc) {
		char *msg = strdup(coplan_error_last());

		cps_fail(r, rc, msg);
		if (conflicts && *conflicts && !(r->route->flags & CPS_API)) {
			/* the conflicts that stop an agreement, below the error */
			cp_buf_clear(OUT);
			cps_page_begin(r, "Not saved");
			cps_html_printf(OUT, "<p class=\"error\">%s</p>\n<pre>%s</pre>\n", msg ? msg : "", conflicts);
			cps_page_end(r);
		}
		free(msg);
		free(conflicts);
		return 0;
	}
	free(conflicts);
	return cps_redirect(r, "/plans/%ld/versions", id);
}

int cps_page_compare(cps_request *r)
{
	const char *older = cps_query(r, "older"), *newer = cps_query(r, "newer");
	coplan_change *changes = NULL;
	size_t n = 0;
	long id = cps_plan_id(r);
	int rc;

	if (!id)
		return 0;
	if ((rc = coplan_service_compare(&r->ctx, id, older && *older ? older : NULL, newer && *newer ? newer : NULL,
	                                 &changes, &n)))
		return cps_fail(r, rc, NULL);
	cps_page_begin(r, "Compare versions");
	cps_html_printf(OUT, "<p class=\"actions\"><a href=\"/plans/%ld/versions\">&larr; Versions</a></p>\n"
	                "<p>From <strong>%s</strong> to <strong>%s</strong>:</p>\n", id, older && *older ? older : "signed",
	                newer && *newer ? newer : "current");
	changes_table(r, changes, n);
	cps_page_end(r);
	coplan_changes_free(changes, n);
	return 0;
}

/* ---- the calendar feed -------------------------------------------------------- */

int cps_page_feed_link(cps_request *r)
{
	char token[COPLAN_TOKEN_LEN];
	const char *host = cps_header(r, "Host");
	long id = cps_plan_id(r);
	int rc;

	if (!id)
		return 0;
	if ((rc = coplan_service_feed_token(&r->ctx, id, token)))
		return cps_fail(r, rc, NULL);
	cps_page_begin(r, "Calendar feed");
	cps_html_printf(OUT, "<p>Subscribe to the plan in Outlook, Google or Apple calendars at this address (yours alone: "
	                "it needs no password, so keep it private):</p>\n<p><code class=\"feed\">%s://%s/feed/%s.ics</code></p>\n"
	                "<p><a href=\"/plans/%ld\">&larr; Plan</a></p>\n", r->server->tls ? "https" : "http",
	                host ? host : "localhost", token, id);
	cps_page_end(r);
	return 0;
}

int cps_page_feed(cps_request *r)
{
	char token[CPS_PARAM_MAX];
	size_t len = strlen(r->params[0]);
	coplan_session s;
	long plan_id = 0;
	char *out = NULL;
	size_t n = 0;
	int rc;

	if (len < 5 || strcmp(r->params[0] + len - 4, ".ics"))
		return cps_fail(r, COPLAN_ENOTFOUND, "a feed's address ends in .ics");
	memcpy(token, r->params[0], len - 4);
	token[len - 4] = '\0';
	/* the token stands for an account and a plan: the render runs as that account */
	if ((rc = coplan_service_feed_account(&r->ctx, token, &s, &plan_id)))
		return cps_fail(r, rc == COPLAN_EAUTH ? COPLAN_ENOTFOUND : rc, "no such feed");
	r->ctx.account = s.account_id;
	r->ctx.user = s.name;
	r->ctx.nation = s.nation[0] ? s.nation : NULL;
	if ((rc = coplan_service_render(&r->ctx, plan_id, "ics", NULL, &out, &n, NULL)))
		return cps_fail(r, rc, NULL);
	r->raw = out;
	r->raw_len = n;
	r->content_type = "text/calendar; charset=utf-8";
	return 0;
}

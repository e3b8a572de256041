/* SPDX-License-Identifier: Apache-2.0 */
/*
 * plan_pages.c - what changes a plan beyond an activity's fields, as pages
 * and as the JSON API alike: blackouts, pins, roles, amendments.  Each
 * handler reads its arguments from the form or from the JSON body (the
 * route's CPS_API flag says which), calls one service function and
 * answers with a page, a redirect or JSON.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define OUT (&r->out)

static void location(char *buf, size_t size, long id, const char *what)
{
	snprintf(buf, size, "/plans/%ld/%s", id, what);
}

/* ---- blackouts ------------------------------------------------------------------ */

/* One blackout's delete form: what the reader saw goes with it, so a renumbered list refuses (409). */
static void delete_form(cps_request *r, long id, size_t number, const coplan_blackout *b)
{
	char from[COPLAN_DATE_ISO_LEN], to[COPLAN_DATE_ISO_LEN];

	coplan_date_format_iso(b->from, from);
	coplan_date_format_iso(b->to, to);
	cps_html_printf(OUT, "<form method=\"post\" action=\"/plans/%ld/blackouts/%zu/delete\" class=\"inline\">", id,
	                number);
	cps_csrf_field(r);
	cps_html_printf(OUT, "<input type=\"hidden\" name=\"scope\" value=\"%s\"><input type=\"hidden\" name=\"from\" "
	                "value=\"%s\"><input type=\"hidden\" name=\"to\" value=\"%s\"><input type=\"hidden\" name=\"kind\" "
	                "value=\"%s\"><input type=\"text\" name=\"reason\" maxlength=\"500\" placeholder=\"why\" "
	                "aria-label=\"reason for deleting blackout %zu\"> <button type=\"submit\">Delete</button></form>",
	                b->scope, from, to, b->hard ? "hard" : "soft", number);
}

static void add_form(cps_request *r, long id, const coplan_plan *plan)
{
	cps_html_printf(OUT, "<h2>Add a blackout</h2>\n<form method=\"post\" action=\"/plans/%ld/blackouts\">", id);
	cps_csrf_field(r);
	cps_html_printf(OUT, "<label>Nation or unit <input type=\"text\" name=\"scope\" list=\"scopes\" required "
	                "maxlength=\"200\"></label><datalist id=\"scopes\">");
	for (size_t i = 0; i < plan->n_nations; i++)
		cps_html_printf(OUT, "<option>%s</option>", plan->nations[i]);
	for (size_t i = 0; i < plan->n_activities; i++)
		for (size_t u = 0; u < plan->activities[i].n_units; u++)
			cps_html_printf(OUT, "<option>%s</option>", plan->activities[i].units[u]);
	cps_html_printf(OUT, "</datalist> <label>From <input type=\"date\" name=\"from\" required></label> "
	                "<label>To <input type=\"date\" name=\"to\" required></label> <label>Kind <select name=\"kind\">"
	                "<option value=\"hard\">hard: never planned</option><option value=\"soft\">soft: avoided at a "
	                "cost</option></select></label> <label>Reason <input type=\"text\" name=\"reason\" required "
	                "maxlength=\"500\" placeholder=\"cited by the scheduler\"></label> <button type=\"submit\">Add"
	                "</button></form>\n");
}

int cps_page_blackouts(cps_request *r)
{
	long id = cps_plan_id(r);
	coplan_plan *plan = NULL;
	coplan_plan_access access;
	char title[300];
	int rc, may_edit;

	if (!id)
		return 0;
	if ((rc = coplan_service_load_for(&r->ctx, id, &plan, NULL, &access)))
		return cps_fail(r, rc, NULL);
	may_edit = coplan_access_may(&access, COPLAN_ACTION_EDIT, NULL);
	snprintf(title, sizeof(title), "Blackouts: %s", plan->title ? plan->title : "");
	cps_page_begin(r, title);
	cps_html_printf(OUT, "<p class=\"actions\"><a href=\"/plans/%ld\">&larr; Plan</a></p>\n<p class=\"note\">"
	                "Periods in which a nation's or a unit's activities must not (hard) or should not (soft) be "
	                "planned; the scheduler cites the reason.</p>\n", id);
	if (!plan->n_blackouts)
		cps_html_printf(OUT, "<p>No blackout.</p>\n");
	else
		cps_html_printf(OUT, "<div class=\"scroll\"><table class=\"blackouts\">\n<tr><th>No.</th><th>Nation or unit"
		                "</th><th>Days</th><th>Kind</th><th>Reason</th><th></th></tr>\n");
	for (size_t i = 0; i < plan->n_blackouts; i++) {
		const coplan_blackout *b = &plan->blackouts[i];

		cps_html_printf(OUT, "<tr><td>%zu</td><td>%s</td><td class=\"dates\">", i + 1, b->scope);
		cps_put_span(r, b->from, b->to);
		cps_html_printf(OUT, "</td><td>%s</td><td>%s</td><td>", b->hard ? "hard" : "soft", b->reason ? b->reason : "");
		if (coplan_access_may_blackout(&access, plan, b->scope))
			delete_form(r, id, i + 1, b);
		cps_html_printf(OUT, "</td></tr>\n");
	}
	if (plan->n_blackouts)
		cps_html_printf(OUT, "</table></div>\n");
	if (may_edit)
		add_form(r, id, plan);
	cps_page_end(r);
	coplan_plan_free(plan);
	return 0;
}

/* kind "hard" (also when absent) or "soft" into *hard; -1 otherwise. */
static int parse_kind(const char *kind, int *hard)
{
	*hard = !kind || !strcmp(kind, "hard");
	return *hard || !strcmp(kind, "soft") ? 0 : -1;
}

int cps_blackout_add(cps_request *r)
{
	coplan_blackout b = { 0 };
	long id = cps_plan_id(r);
	char where[64];
	cps_args a;
	int rc;

	if (!id || cps_args_open(&a, r))
		return 0;
	b.scope = (char *)cps_arg(&a, "scope");
	b.reason = (char *)cps_arg(&a, "reason");
	if (cps_arg_date(&a, "from", &b.from) || cps_arg_date(&a, "to", &b.to) || parse_kind(cps_arg(&a, "kind"), &b.hard)) {
		cps_args_close(&a);
		return cps_fail(r, COPLAN_EINVALID, "expected scope (a nation or a unit), from and to (YYYY-MM-DD), "
		                "kind (hard or soft) and reason");
	}
	rc = coplan_service_blackout_add(&r->ctx, id, &b);
	cps_args_close(&a);
	if (rc)
		return cps_fail(r, rc, NULL);
	location(where, sizeof(where), id, "blackouts");
	return cps_done(r, json_pack("{s:b}", "added", 1), where);
}

int cps_blackout_delete(cps_request *r)
{
	coplan_blackout seen = { 0 };
	long id = cps_plan_id(r), number = cps_param_id(r, 1);
	char where[64];
	cps_args a;
	int rc;

	if (!id)
		return 0;
	if (number <= 0)
		return cps_fail(r, COPLAN_ENOTFOUND, "no such blackout: they are numbered from 1");
	if (cps_args_open(&a, r))
		return 0;
	/* what the deleter saw: scope, days and kind, when sent (the page sends them) */
	seen.scope = (char *)cps_arg(&a, "scope");
	if (cps_arg_date(&a, "from", &seen.from) || cps_arg_date(&a, "to", &seen.to) ||
	    parse_kind(cps_arg(&a, "kind"), &seen.hard) ||
	    (seen.scope && (seen.from == COPLAN_DATE_NONE || seen.to == COPLAN_DATE_NONE))) {
		cps_args_close(&a);
		return cps_fail(r, COPLAN_EINVALID, "expected the blackout as read: scope, from and to (YYYY-MM-DD), "
		                "kind (hard or soft), or none of them; and a reason");
	}
	rc = coplan_service_blackout_delete(&r->ctx, id, (size_t)number, seen.scope ? &seen : NULL, cps_arg(&a, "reason"));
	cps_args_close(&a);
	if (rc)
		return cps_fail(r, rc, NULL);
	location(where, sizeof(where), id, "blackouts");
	return cps_done(r, json_pack("{s:I}", "deleted", (json_int_t)number), where);
}

/* ---- pins ---------------------------------------------------------------------- */

int cps_activity_pin(cps_request *r)
{
	const char *ref = r->params[1];
	coplan_date from;
	long id = cps_plan_id(r), sequence;
	char where[300];
	cps_args a;
	int rc, pin;

	if (!id || cps_args_open(&a, r))
		return 0;
	if (cps_arg_bool(&a, "pin", 1, &pin) || cps_arg_long(&a, "sequence", -1, &sequence) ||
	    cps_arg_date(&a, "from", &from)) {
		cps_args_close(&a);
		return cps_fail(r, COPLAN_EINVALID, "expected pin (true or false; 1 or 0), from (YYYY-MM-DD, optional: "
		                "where it is), sequence (the activity's revision as read) and reason");
	}
	rc = coplan_service_activity_pin(&r->ctx, id, ref, (int)sequence, from, pin, cps_arg(&a, "reason"));
	cps_args_close(&a);
	if (rc)
		return cps_fail(r, rc, NULL);
	snprintf(where, sizeof(where), "/plans/%ld/activities/%s", id, ref);
	return cps_done(r, json_pack("{s:s,s:b}", "ref", ref, "pinned", pin), where);
}

/* ---- roles --------------------------------------------------------------------- */

int cps_page_roles(cps_request *r)
{
	coplan_role_grant *g = NULL;
	coplan_plan_role mine = COPLAN_PLAN_ROLE_NONE;
	size_t n = 0;
	long id = cps_plan_id(r);
	int rc;

	if (!id)
		return 0;
	if ((rc = coplan_service_roles(&r->ctx, id, &g, &n)))
		return cps_fail(r, rc, NULL);
	/* the reader's own row decides whether the grant form is offered (the service decides the grant) */
	for (size_t i = 0; i < n; i++)
		if (g[i].account_id == r->ctx.account)
			mine = g[i].role;
	cps_page_begin(r, "Who may do what");
	cps_html_printf(OUT, "<p class=\"actions\"><a href=\"/plans/%ld\">&larr; Plan</a></p>\n<div class=\"scroll\">"
	                "<table class=\"roles\">\n<tr><th>User</th><th>Nation</th><th>Role</th></tr>\n", id);
	for (size_t i = 0; i < n; i++)
		cps_html_printf(OUT, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>\n", g[i].account, g[i].nation,
		                coplan_role_name(g[i].role));
	cps_html_printf(OUT, "</table></div>\n<p class=\"note\">A viewer reads; a reviewer reads and signs; a planner "
	                "edits, records execution and saves versions (their nation's activities only); an owner does "
	                "all of it and gives roles.</p>\n");
	if (coplan_role_allows(mine, COPLAN_ACTION_ADMIN)) {
		cps_html_printf(OUT, "<h2>Give a role</h2>\n<form method=\"post\" action=\"/plans/%ld/roles\">", id);
		cps_csrf_field(r);
		cps_html_printf(OUT, "<label>User <input type=\"text\" name=\"user\" required maxlength=\"64\"></label> "
		                "<label>Role <select name=\"role\">");
		/* from the least: a slip of the hand gives too little, not everything */
		for (int k = COPLAN_PLAN_ROLE_VIEWER; k <= COPLAN_PLAN_ROLE_OWNER; k++)
			cps_html_printf(OUT, "<option>%s</option>", coplan_role_name((coplan_plan_role)k));
		cps_html_printf(OUT, "<option>%s</option>", coplan_role_name(COPLAN_PLAN_ROLE_NONE));
		cps_html_printf(OUT, "</select></label> <button type=\"submit\">Give</button></form>\n<p class=\"note\">"
		                "none takes the role away; a plan keeps at least one owner.</p>\n");
	}
	cps_page_end(r);
	free(g);
	return 0;
}

int cps_role_grant(cps_request *r)
{
	const char *user, *role_name;
	long id = cps_plan_id(r);
	char where[64];
	cps_args a;
	int rc, role;

	if (!id || cps_args_open(&a, r))
		return 0;
	user = cps_arg(&a, "user");
	role_name = cps_arg(&a, "role");
	if (!user || !role_name || (role = coplan_role_parse(role_name)) < 0) {
		cps_args_close(&a);
		return cps_fail(r, COPLAN_EINVALID, "expected user (a user's name) and role (owner, planner, reviewer, "
		                "viewer or none)");
	}
	if ((rc = coplan_service_role_grant(&r->ctx, id, user, (coplan_plan_role)role))) {
		cps_args_close(&a);
		return cps_fail(r, rc, NULL);
	}
	location(where, sizeof(where), id, "roles");
	rc = cps_done(r, json_pack("{s:s,s:s}", "user", user, "role", coplan_role_name((coplan_plan_role)role)), where);
	cps_args_close(&a);
	return rc;
}

/* ---- amendments ----------------------------------------------------------------- */

int cps_amend(cps_request *r)
{
	long id = cps_plan_id(r);
	char where[64];
	cps_args a;
	int rc, amendment = 0, number = 0;

	if (!id || cps_args_open(&a, r))
		return 0;
	rc = coplan_service_amend(&r->ctx, id, cps_arg(&a, "note"), &amendment, &number);
	cps_args_close(&a);
	if (rc)
		return cps_fail(r, rc, NULL);
	location(where, sizeof(where), id, "versions");
	return cps_done(r, json_pack("{s:i,s:i}", "amendment", amendment, "version", number), where);
}

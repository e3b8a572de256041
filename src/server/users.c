/* SPDX-License-Identifier: Apache-2.0 */
/*
 * users.c - the users of the store (an administrator's page and API), a
 * plan's calendar-feed address and the import as JSON API routes.  Each
 * handler reads its arguments (args.c), calls one service function and
 * answers with a page, a redirect or JSON.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define OUT (&r->out)

/* ---- users ------------------------------------------------------------------------ */

static void user_row(cps_request *r, const coplan_account *u)
{
	cps_html_printf(OUT, "<tr class=\"%s\"><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>",
	                u->disabled ? "status-cancelled" : "", u->name, u->nation,
	                u->display_name ? u->display_name : "", u->is_admin ? "yes" : "",
	                u->disabled ? "disabled" : "enabled");
	cps_html_printf(OUT, "<form method=\"post\" action=\"/users/%s/disable\" class=\"inline\">", u->name);
	cps_csrf_field(r);
	cps_html_printf(OUT, "<input type=\"hidden\" name=\"disabled\" value=\"%d\"><button type=\"submit\">%s</button>"
	                "</form></td></tr>\n", !u->disabled, u->disabled ? "Enable" : "Disable");
}

int cps_page_users(cps_request *r)
{
	coplan_account *users = NULL;
	size_t n = 0;
	int rc;

	if ((rc = coplan_service_users(&r->ctx, &users, &n)))
		return cps_fail(r, rc, NULL);
	cps_page_begin(r, "Users");
	cps_html_printf(OUT, "<div class=\"scroll\"><table class=\"users\">\n<tr><th>Name</th><th>Nation</th><th>Shown as"
	                "</th><th>Administrator</th><th>State</th><th></th></tr>\n");
	for (size_t i = 0; i < n; i++)
		user_row(r, &users[i]);
	cps_html_printf(OUT, "</table></div>\n<p class=\"note\">Disabling a user ends their sessions; roles on plans "
	                "are given on each plan's Roles page.</p>\n<h2>Add a user</h2>\n<form method=\"post\" "
	                "action=\"/users\" class=\"stack\">");
	cps_csrf_field(r);
	cps_html_printf(OUT, "<label class=\"block\">Name <input type=\"text\" name=\"name\" required maxlength=\"64\" "
	                "autocomplete=\"off\"></label><label class=\"block\">Nation (ISO 3166-1 alpha-3) <input "
	                "type=\"text\" name=\"nation\" required maxlength=\"3\" size=\"4\"></label><label class=\"block\">"
	                "Shown as <input type=\"text\" name=\"display_name\" maxlength=\"200\" placeholder=\"Col. Mario "
	                "Rossi\"></label><label class=\"block\">Password (%d to %d characters) <input type=\"password\" "
	                "name=\"password\" required minlength=\"%d\" maxlength=\"%d\" autocomplete=\"new-password\">"
	                "</label><label class=\"block\"><input type=\"checkbox\" name=\"admin\" value=\"1\"> "
	                "administrator (adds users, makes plans)</label><button type=\"submit\">Add</button></form>\n",
	                COPLAN_PASSWORD_MIN, COPLAN_PASSWORD_MAX, COPLAN_PASSWORD_MIN, COPLAN_PASSWORD_MAX);
	cps_page_end(r);
	coplan_accounts_free(users, n);
	return 0;
}

int cps_api_users(cps_request *r)
{
	coplan_account *users = NULL;
	size_t n = 0;
	char *text = NULL;
	int rc;

	if (!(rc = coplan_service_users(&r->ctx, &users, &n)))
		rc = coplan_accounts_format_json(&text, users, n);
	coplan_accounts_free(users, n);
	if (rc)
		return cps_fail(r, rc, NULL);
	return cps_json(r, 200, text);
}

int cps_user_add(cps_request *r)
{
	const char *name, *nation, *password;
	cps_args a;
	long id = 0;
	int rc, admin;

	if (cps_args_open(&a, r))
		return 0;
	name = cps_arg(&a, "name");
	nation = cps_arg(&a, "nation");
	password = cps_arg(&a, "password");
	if (!name || !nation || !password || cps_arg_bool(&a, "admin", 0, &admin)) {
		cps_args_close(&a);
		return cps_fail(r, COPLAN_EINVALID, "expected name, nation (ISO 3166-1 alpha-3), password, and "
		                "display_name and admin (true or false) if wanted");
	}
	/* name lives in the arguments: answered before they are closed */
	if ((rc = coplan_service_user_add(&r->ctx, name, nation, cps_arg(&a, "display_name"), password, admin, &id)))
		cps_fail(r, rc, NULL);
	else
		cps_done(r, json_pack("{s:s,s:I}", "user", name, "id", (json_int_t)id), "/users");
	cps_args_close(&a);
	return 0;
}

int cps_user_disable(cps_request *r)
{
	const char *name = r->params[0];
	cps_args a;
	int rc, disabled;

	if (cps_args_open(&a, r))
		return 0;
	rc = cps_arg_bool(&a, "disabled", 1, &disabled);
	cps_args_close(&a);
	if (rc)
		return cps_fail(r, COPLAN_EINVALID, "disabled: expected true or false (1 or 0)");
	if ((rc = coplan_service_user_disable(&r->ctx, name, disabled)))
		return cps_fail(r, rc, NULL);
	return cps_done(r, json_pack("{s:s,s:b}", "user", name, "disabled", disabled), "/users");
}

/* ---- a plan's calendar feed ------------------------------------------------------ */

int cps_api_feed(cps_request *r)
{
	char token[COPLAN_TOKEN_LEN], url[512];
	const char *host = cps_header(r, "Host");
	long id = cps_plan_id(r);
	int rc;

	if (!id)
		return 0;
	if ((rc = coplan_service_feed_token(&r->ctx, id, token)))
		return cps_fail(r, rc, NULL);
	snprintf(url, sizeof(url), "%s://%s/feed/%s.ics", r->server->tls ? "https" : "http", host ? host : "localhost",
	         token);
	return cps_reply(r, 200, json_pack("{s:s,s:s}", "token", token, "url", url));
}

/* ---- import ------------------------------------------------------------------------- */

/*
 * POST /api/import?name=FILE&plan=ID[&check=1][&update=1][&locale=L][&sheet=S][&nation=N|&unit=U[&soft=1]]:
 * the body is the file's bytes (at most CPS_UPLOAD_MAX), its name's extension decides what it is,
 * as `coplan import` does; check=1 reads everything and saves nothing.
 */
int cps_api_import(cps_request *r)
{
	const char *name = cps_query(r, "name"), *plan = cps_query(r, "plan"), *check = cps_query(r, "check");
	const char *soft = cps_query(r, "soft"), *update = cps_query(r, "update");
	coplan_import_request req = { 0 };
	coplan_import_result res;
	char *text = NULL, *end = NULL;
	int rc;

	if (!name || !*name || strchr(name, '/') || strchr(name, '\\'))
		return cps_fail(r, COPLAN_EUSAGE, "name: the file's name (activities.csv, plan.json, holidays.ics...) "
		                "in the query; its extension says what it is");
	if (plan && *plan && ((req.plan_id = strtol(plan, &end, 10)) <= 0 || *end))
		return cps_fail(r, COPLAN_EUSAGE, "plan: a plan id, a whole number from 1");
	if (!r->body_in.data || !r->body_in.len)
		return cps_fail(r, COPLAN_EUSAGE, "the body: the file's bytes");
	req.path = name;
	req.data = r->body_in.data;
	req.len = r->body_in.len;
	req.csv.locale = cps_query(r, "locale");
	req.sheet = cps_query(r, "sheet");
	req.nation = cps_query(r, "nation");
	req.unit = cps_query(r, "unit");
	req.soft = soft && !strcmp(soft, "1");
	req.csv.update = update && !strcmp(update, "1");
	req.dry_run = check && !strcmp(check, "1");
	if ((rc = coplan_service_import(&r->ctx, &req, &res)))
		return cps_fail(r, rc, NULL);
	rc = coplan_import_result_format_json(&text, &res, req.dry_run);
	coplan_import_result_clear(&res);
	if (rc)
		return cps_fail(r, rc, NULL);
	return cps_json(r, 200, text);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* route.c - the server's routes as one table (method, path pattern, handler, flags, least action), and the matcher. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define R COPLAN_ACTION_READ
#define E COPLAN_ACTION_EDIT
#define X COPLAN_ACTION_EXECUTE
#define A COPLAN_ACTION_AGREE
#define O COPLAN_ACTION_ADMIN

/*
 * Every route of the server, pages and JSON API alike.  A route that
 * changes state is a POST and needs a session, the session's CSRF token and
 * no cross-site Sec-Fetch-Site (tests/test_server_csrf.py reads this table
 * through `coplan serve --list-routes`); the service checks the account's
 * role inside the use case.  action is the least role's action, for the docs.
 */
const cps_route cps_routes[] = {
	{ "GET",  "/static/coplan.css", cps_page_css, CPS_PUBLIC, R, "the style sheet" },
	{ "GET",  "/login", cps_page_login_form, CPS_PUBLIC, R, "the log-in form" },
	{ "POST", "/login", cps_page_login, CPS_PUBLIC | CPS_STATE, R, "log in: a session cookie" },
	{ "POST", "/logout", cps_page_logout, CPS_STATE, R, "log out: end the session" },
	{ "GET",  "/", cps_page_plans, 0, R, "the plans the user may read" },
	{ "GET",  "/plans/{id}", cps_page_plan, CPS_CACHE, R, "a plan's table (filters host, area, month, status) and Gantt chart" },
	{ "GET",  "/plans/{id}/export/{format}", cps_page_export, CPS_CACHE, R, "download the plan in a format of the registry" },
	{ "GET",  "/plans/{id}/activities/{ref}", cps_page_activity, 0, R, "an activity: its fields, edit and status forms" },
	{ "POST", "/plans/{id}/activities/{ref}", cps_page_activity_edit, CPS_STATE, E, "edit an activity (409 on a stale edit)" },
	{ "GET",  "/plans/{id}/activities/{ref}/history", cps_page_history, 0, R, "an activity's status history" },
	{ "GET",  "/plans/{id}/activities/{ref}/explain", cps_page_explain, 0, R, "why it is where it is, or cannot start on a date" },
	{ "GET",  "/plans/{id}/activities/{ref}/suggest", cps_page_suggest, 0, R, "its best starts" },
	{ "POST", "/plans/{id}/activities/{ref}/status", cps_page_status, CPS_STATE, X, "record execution: a status" },
	{ "POST", "/plans/{id}/schedule", cps_page_schedule, CPS_STATE, E, "schedule, re-plan or preview a re-plan (a job)" },
	{ "GET",  "/jobs/{id}", cps_page_job, 0, R, "a scheduling job: progress, then its result" },
	{ "POST", "/jobs/{id}/cancel", cps_page_job_cancel, CPS_STATE, R, "cancel a scheduling job" },
	{ "GET",  "/import", cps_page_import_form, 0, R, "the import form" },
	{ "POST", "/import", cps_page_import_check, CPS_STATE | CPS_UPLOAD, E, "upload a file: what the importer decided, nothing saved" },
	{ "POST", "/import/{key}", cps_page_import_commit, CPS_STATE, E, "import the checked upload" },
	{ "GET",  "/plans/{id}/versions", cps_page_versions, 0, R, "the plan's versions" },
	{ "POST", "/plans/{id}/versions", cps_page_version_save, CPS_STATE, A, "save a version (draft, agreed; signed)" },
	{ "GET",  "/plans/{id}/compare", cps_page_compare, 0, R, "compare two versions" },
	{ "GET",  "/plans/{id}/feed", cps_page_feed_link, 0, R, "the user's calendar-feed address for the plan" },
	{ "GET",  "/plans/{id}/blackouts", cps_page_blackouts, 0, R, "the plan's blackouts, the add and delete forms" },
	{ "POST", "/plans/{id}/blackouts", cps_blackout_add, CPS_STATE, E, "add a blackout" },
	{ "POST", "/plans/{id}/blackouts/{n}/delete", cps_blackout_delete, CPS_STATE, E, "delete a blackout (409 when the list changed)" },
	{ "POST", "/plans/{id}/activities/{ref}/pin", cps_activity_pin, CPS_STATE, E, "pin an activity to its dates, or unpin it" },
	{ "GET",  "/plans/{id}/roles", cps_page_roles, 0, R, "who has which role on the plan; the owner's grant form" },
	{ "POST", "/plans/{id}/roles", cps_role_grant, CPS_STATE, O, "give a user a role on the plan" },
	{ "POST", "/plans/{id}/amend", cps_amend, CPS_STATE, E, "start an amendment of the signed plan" },
	{ "GET",  "/users", cps_page_users, 0, O, "the users (an administrator's page): add, disable, enable" },
	{ "POST", "/users", cps_user_add, CPS_STATE, O, "add a user (an administrator)" },
	{ "POST", "/users/{name}/disable", cps_user_disable, CPS_STATE, O, "disable (or enable) a user: ends their sessions" },
	{ "GET",  "/feed/{token}", cps_page_feed, CPS_PUBLIC, R, "the iCalendar feed (/feed/TOKEN.ics), no cookie" },

	{ "POST", "/api/login", cps_api_login, CPS_PUBLIC | CPS_STATE | CPS_API, R, "log in: session cookie and CSRF token" },
	{ "POST", "/api/logout", cps_api_logout, CPS_STATE | CPS_API, R, "log out" },
	{ "GET",  "/api/session", cps_api_session, CPS_API, R, "who is logged in, and the CSRF token" },
	{ "GET",  "/api/plans", cps_api_plans, CPS_API, R, "the plans" },
	{ "GET",  "/api/plans/{id}", cps_api_plan, CPS_API | CPS_CACHE, R, "a plan as JSON (the json format)" },
	{ "GET",  "/api/plans/{id}/export/{format}", cps_api_export, CPS_API | CPS_CACHE, R, "the plan in a format of the registry" },
	{ "POST", "/api/plans/{id}/activities/{ref}", cps_api_activity_edit, CPS_STATE | CPS_API, E, "edit an activity" },
	{ "POST", "/api/plans/{id}/activities/{ref}/status", cps_api_status, CPS_STATE | CPS_API, X, "record a status" },
	{ "GET",  "/api/plans/{id}/activities/{ref}/explain", cps_api_explain, CPS_API, R, "explain an activity" },
	{ "GET",  "/api/plans/{id}/activities/{ref}/suggest", cps_api_suggest, CPS_API, R, "an activity's best starts" },
	{ "GET",  "/api/plans/{id}/history", cps_api_history, CPS_API, R, "the plan's status history" },
	{ "GET",  "/api/plans/{id}/versions", cps_api_versions, CPS_API, R, "the plan's versions" },
	{ "POST", "/api/plans/{id}/versions", cps_api_version_save, CPS_STATE | CPS_API, A, "save a version" },
	{ "GET",  "/api/plans/{id}/compare", cps_api_compare, CPS_API, R, "compare two versions" },
	{ "POST", "/api/plans/{id}/schedule", cps_api_schedule, CPS_STATE | CPS_API, E, "start a scheduling job" },
	{ "POST", "/api/plans/{id}/blackouts", cps_blackout_add, CPS_STATE | CPS_API, E, "add a blackout" },
	{ "POST", "/api/plans/{id}/blackouts/{n}/delete", cps_blackout_delete, CPS_STATE | CPS_API, E, "delete a blackout" },
	{ "POST", "/api/plans/{id}/activities/{ref}/pin", cps_activity_pin, CPS_STATE | CPS_API, E, "pin or unpin an activity" },
	{ "GET",  "/api/plans/{id}/roles", cps_api_roles, CPS_API, R, "who has which role on the plan" },
	{ "POST", "/api/plans/{id}/roles", cps_role_grant, CPS_STATE | CPS_API, O, "give a user a role" },
	{ "POST", "/api/plans/{id}/amend", cps_amend, CPS_STATE | CPS_API, E, "start an amendment" },
	{ "GET",  "/api/users", cps_api_users, CPS_API, O, "the users (an administrator)" },
	{ "POST", "/api/users", cps_user_add, CPS_STATE | CPS_API, O, "add a user" },
	{ "POST", "/api/users/{name}/disable", cps_user_disable, CPS_STATE | CPS_API, O, "disable or enable a user" },
	{ "GET",  "/api/plans/{id}/feed", cps_api_feed, CPS_API, R, "the user's calendar-feed address for the plan" },
	{ "POST", "/api/import", cps_api_import, CPS_STATE | CPS_API | CPS_UPLOAD, E, "import a file (the body; ?name=FILE&plan=ID&check=1)" },
	{ "GET",  "/api/jobs/{id}", cps_api_job, CPS_API, R, "a job's state and result" },
	{ "POST", "/api/jobs/{id}/cancel", cps_api_job_cancel, CPS_STATE | CPS_API, R, "cancel a job" },
};
const size_t cps_n_routes = sizeof(cps_routes) / sizeof(cps_routes[0]);

/* Match one pattern against path; 1 and the params filled when it matches. */
static int match(const char *pattern, const char *path, char params[CPS_PARAMS_MAX][CPS_PARAM_MAX],
                 size_t *n_params)
{
	const char *p = pattern, *s = path;
	size_t n = 0;

	while (*p && *s) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			size_t len = strcspn(s, "/");

			/* a parameter is one segment of the (already decoded) path, bounded */
			if (!pe || len == 0 || len >= CPS_PARAM_MAX || n >= CPS_PARAMS_MAX)
				return 0;
			memcpy(params[n], s, len);
			params[n++][len] = '\0';
			p = pe + 1;
			s += len;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	if (*p || *s)
		return 0;
	*n_params = n;
	return 1;
}

int cps_route_match(const char *method, const char *path, size_t *index,
                    char params[CPS_PARAMS_MAX][CPS_PARAM_MAX], size_t *n_params)
{
	int other_method = 0;

	if (!method || !path || strlen(path) > CPS_PATH_MAX)
		return COPLAN_ENOTFOUND;
	for (size_t i = 0; i < cps_n_routes; i++) {
		if (!match(cps_routes[i].pattern, path, params, n_params))
			continue;
		if (strcmp(cps_routes[i].method, method) &&
		    !(!strcmp(method, "HEAD") && !strcmp(cps_routes[i].method, "GET"))) {
			other_method = 1;
			continue;
		}
		*index = i;
		return 0;
	}
	return other_method ? COPLAN_EUSAGE : COPLAN_ENOTFOUND;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* api.c - the JSON API under /api/: the pages' use cases, each handler calling one service function. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int cps_body_json(cps_request *r, json_t **o)
{
	json_error_t err;

	*o = json_loadb(r->body_in.data ? r->body_in.data : "{}", r->body_in.data ? r->body_in.len : 2,
	                JSON_REJECT_DUPLICATES, &err);
	if (!*o || !json_is_object(*o)) {
		char msg[256];

		json_decref(*o);
		*o = NULL;
		snprintf(msg, sizeof(msg), "the body must be a JSON object (line %d, column %d: %s)", err.line, err.column,
		         err.text);
		cps_fail(r, COPLAN_EUSAGE, msg);
		return -1;
	}
	return 0;
}

const char *cps_jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

int cps_reply(cps_request *r, int status, json_t *o)
{
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;

	json_decref(o);
	if (!text)
		return cps_fail(r, COPLAN_ENOMEM, "out of memory");
	return cps_json(r, status, text);
}

/* Answer text (a JSON document made by the library, taken) or the error rc. */
static int reply_text(cps_request *r, int rc, char *text)
{
	if (rc) {
		free(text);
		return cps_fail(r, rc, NULL);
	}
	return cps_json(r, 200, text);
}

int cps_api_login(cps_request *r)
{
	char token[COPLAN_TOKEN_LEN], cookie[256];
	coplan_session s;
	json_t *o;
	int rc;

	if (cps_body_json(r, &o))
		return 0;
	rc = coplan_service_login(&r->ctx, cps_jstr(o, "name") ? cps_jstr(o, "name") : "",
	                          cps_jstr(o, "password") ? cps_jstr(o, "password") : "", CPS_SESSION_TTL, token, &s);
	json_decref(o);
	if (rc) {
		cps_fail(r, rc, NULL);
		if (rc == COPLAN_ELIMIT)
			r->status = 429; /* too many failed logins: try later */
		return 0;
	}
	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", r->server->cookie,
	         token, CPS_SESSION_TTL, r->server->tls ? "; Secure" : "");
	r->set_cookie = strdup(cookie);
	return cps_reply(r, 200, json_pack("{s:s,s:s,s:s,s:b,s:I}", "user", s.name, "nation", s.nation, "csrf", s.csrf,
	                               "admin", s.is_admin, "expires", (json_int_t)s.expires));
}

int cps_api_logout(cps_request *r)
{
	char cookie[128];
	int rc = coplan_service_logout(&r->ctx, r->session_token);

	if (rc)
		return cps_fail(r, rc, NULL);
	snprintf(cookie, sizeof(cookie), "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s", r->server->cookie,
	         r->server->tls ? "; Secure" : "");
	r->set_cookie = strdup(cookie);
	return cps_reply(r, 200, json_pack("{s:b}", "logged_out", 1));
}

int cps_api_session(cps_request *r)
{
	/* the session was read before the handler (coplan_service_session()) */
	return cps_reply(r, 200, json_pack("{s:s,s:s,s:s,s:b,s:I}", "user", r->session.name, "nation", r->session.nation,
	                               "csrf", r->session.csrf, "admin", r->session.is_admin, "expires",
	                               (json_int_t)r->session.expires));
}

int cps_api_plans(cps_request *r)
{
	coplan_plan_entry *plans = NULL;
	size_t n = 0;
	char *text = NULL;
	int rc = coplan_service_plans(&r->ctx, &plans, &n);

	if (!rc)
		rc = coplan_plans_format_json(&text, plans, n);
	coplan_plan_entries_free(plans, n);
	return reply_text(r, rc, text);
}

static int render(cps_request *r, const char *format)
{
	const coplan_format_info *info = NULL;
	long id = cps_plan_id(r);
	char *out = NULL;
	size_t len = 0;
	int rc;

	if (!id)
		return 0;
	if ((rc = coplan_service_render(&r->ctx, id, format, NULL, &out, &len, &info)))
		return cps_fail(r, rc, NULL);
	r->raw = out;
	r->raw_len = len;
	r->content_type = info->mime;
	return 0;
}

int cps_api_plan(cps_request *r)
{
	return render(r, "json");
}

int cps_api_export(cps_request *r)
{
	return render(r, r->params[1]);
}

int cps_api_activity_edit(cps_request *r)
{
	coplan_field_value fields[32];
	coplan_change *changes = NULL;
	size_t n = 0, n_changes = 0;
	long id = cps_plan_id(r);
	json_t *o, *f, *v, *seq, *reason;
	const char *key;
	char *text = NULL;
	int rc;

	if (!id || cps_body_json(r, &o))
		return 0;
	f = json_object_get(o, "fields");
	seq = json_object_get(o, "sequence");
	reason = json_object_get(o, "reason");
	if (!json_is_object(f) || json_object_size(f) == 0 || json_object_size(f) > 32 ||
	    (seq && !json_is_integer(seq)) || (reason && !json_is_string(reason))) {
		json_decref(o);
		return cps_fail(r, COPLAN_EUSAGE, "expected {\"fields\": {\"title\": \"...\", ...}, \"sequence\": N, "
		                "\"reason\": \"...\"} with 1 to 32 fields, each a string");
	}
	json_object_foreach(f, key, v) {
		if (!json_is_string(v)) {
			json_decref(o);
			return cps_fail(r, COPLAN_EUSAGE, "every field's value must be a string");
		}
		fields[n].field = key;
		fields[n].value = json_string_value(v);
		n++;
	}
	rc = coplan_service_activity_edit(&r->ctx, id, r->params[1], seq ? (int)json_integer_value(seq) : -1, fields, n,
	                                  cps_jstr(o, "locale"), cps_jstr(o, "reason"), &changes, &n_changes);
	json_decref(o);
	if (!rc)
		rc = coplan_changes_format_json(&text, changes, n_changes);
	coplan_changes_free(changes, n_changes);
	return reply_text(r, rc, text);
}

int cps_api_status(cps_request *r)
{
	coplan_status_change c = { .ref = r->params[1], .start = COPLAN_DATE_NONE, .end = COPLAN_DATE_NONE,
	                           .author = r->ctx.user };
	const char *st, *from, *to;
	char *warnings = NULL;
	long id = cps_plan_id(r);
	json_t *o;
	int rc;

	if (!id || cps_body_json(r, &o))
		return 0;
	st = cps_jstr(o, "status");
	from = cps_jstr(o, "from");
	to = cps_jstr(o, "to");
	c.reason = cps_jstr(o, "reason");
	if (!st || coplan_activity_status_parse(&c.status, st) ||
	    (from && coplan_date_parse_iso(&c.start, from, strlen(from))) ||
	    (to && coplan_date_parse_iso(&c.end, to, strlen(to)))) {
		json_decref(o);
		return cps_fail(r, COPLAN_EINVALID, "expected {\"status\": \"postponed\", \"from\": \"YYYY-MM-DD\", "
		                "\"to\": \"YYYY-MM-DD\", \"reason\": \"...\"}");
	}
	rc = coplan_service_set_statuses(&r->ctx, id, &c, 1, json_is_true(json_object_get(o, "force")), &warnings);
	json_decref(o);
	if (rc)
		return cps_fail(r, rc, NULL);
	rc = cps_reply(r, 200, json_pack("{s:s,s:s?}", "recorded", r->params[1], "warnings", warnings));
	free(warnings);
	return rc;
}

int cps_api_explain(cps_request *r)
{
	const char *d = cps_query(r, "date");
	coplan_date date = COPLAN_DATE_NONE;
	coplan_explanation *why = NULL;
	char *text = NULL;
	long id = cps_plan_id(r);
	int rc;

	if (!id)
		return 0;
	if (d && *d && coplan_date_parse_iso(&date, d, strlen(d)))
		return cps_fail(r, COPLAN_EINVALID, "date: expected YYYY-MM-DD");
	if (!(rc = coplan_service_explain(&r->ctx, id, r->params[1], date, &why)))
		rc = coplan_explanation_format_json(&text, why);
	coplan_explanation_free(why);
	return reply_text(r, rc, text);
}

int cps_api_suggest(cps_request *r)
{
	const char *count = cps_query(r, "count");
	coplan_explanation *best = NULL, *why = NULL;
	char *list = NULL, *none = NULL;
	size_t n = 0;
	long id = cps_plan_id(r), max = count ? strtol(count, NULL, 10) : 5;
	int rc;

	if (!id)
		return 0;
	if (max < 1 || max > 100)
		return cps_fail(r, COPLAN_EUSAGE, "count: a number from 1 to 100");
	if (!(rc = coplan_service_suggest(&r->ctx, id, r->params[1], (size_t)max, &best, &n, &why)) &&
	    !(rc = coplan_explanations_format_json(&list, best, n)) && why)
		rc = coplan_explanation_format_json(&none, why);
	coplan_explanations_free(best, n);
	coplan_explanation_free(why);
	if (!rc) {
		json_t *o = json_pack("{s:o,s:o}", "suggestions", json_loads(list, 0, NULL), "why_none",
		                      none ? json_loads(none, 0, NULL) : json_null());

		free(list);
		free(none);
		return cps_reply(r, 200, o);
	}
	free(list);
	free(none);
	return cps_fail(r, rc, NULL);
}

int cps_api_history(cps_request *r)
{
	const char *ref = cps_query(r, "ref");
	coplan_activity_event *ev = NULL;
	size_t n = 0;
	char *text = NULL;
	long id = cps_plan_id(r);
	int rc;

	if (!id)
		return 0;
	if (!(rc = coplan_service_history(&r->ctx, id, ref && *ref ? ref : NULL, &ev, &n)))
		rc = coplan_events_format_json(&text, ev, n);
	coplan_activity_events_free(ev, n);
	return reply_text(r, rc, text);
}

int cps_api_versions(cps_request *r)
{
	coplan_plan_version *v = NULL;
	size_t n = 0;
	char *text = NULL;
	long id = cps_plan_id(r);
	int rc;

	if (!id)
		return 0;
	if (!(rc = coplan_service_versions(&r->ctx, id, &v, &n)))
		rc = coplan_versions_format_json(&text, v, n);
	coplan_plan_versions_free(v, n);
	return reply_text(r, rc, text);
}

int cps_api_version_save(cps_request *r)
{
	coplan_version_state st;
	char *conflicts = NULL;
	long id = cps_plan_id(r);
	int rc, number = 0;
	json_t *o;

	if (!id || cps_body_json(r, &o))
		return 0;
	if (!cps_jstr(o, "state") || coplan_version_state_parse(&st, cps_jstr(o, "state"))) {
		json_decref(o);
		return cps_fail(r, COPLAN_EINVALID, "state: expected draft, agreed or signed");
	}
	rc = coplan_service_version_save(&r->ctx, id, st, cps_jstr(o, "note"), &number, &conflicts, NULL);
	json_decref(o);
	if (rc) {
		cps_fail(r, rc, NULL);
		if (conflicts && *conflicts) {
			json_t *e = json_pack("{s:{s:s,s:s,s:s}}", "error", "code", cps_error_name(rc), "message",
			                      coplan_error_last(), "conflicts", conflicts);
			int status = r->status;

			cps_reply(r, status, e);
		}
		free(conflicts);
		return 0;
	}
	free(conflicts);
	return cps_reply(r, 201, json_pack("{s:i,s:s}", "number", number, "state", coplan_version_state_name(st)));
}

int cps_api_compare(cps_request *r)
{
	const char *older = cps_query(r, "older"), *newer = cps_query(r, "newer");
	coplan_change *changes = NULL;
	size_t n = 0;
	char *text = NULL;
	long id = cps_plan_id(r);
	int rc;

	if (!id)
		return 0;
	if (!(rc = coplan_service_compare(&r->ctx, id, older && *older ? older : NULL, newer && *newer ? newer : NULL,
	                                  &changes, &n)))
		rc = coplan_changes_format_json(&text, changes, n);
	coplan_changes_free(changes, n);
	return reply_text(r, rc, text);
}

int cps_api_schedule(cps_request *r)
{
	const char *mode;
	long id = cps_plan_id(r), job;
	json_t *o;
	int rc;

	if (!id || cps_body_json(r, &o))
		return 0;
	mode = cps_jstr(o, "mode") ? cps_jstr(o, "mode") : "full";
	if (strcmp(mode, "full") && strcmp(mode, "preview") && strcmp(mode, "replan")) {
		json_decref(o);
		return cps_fail(r, COPLAN_EUSAGE, "mode: expected full, preview or replan");
	}
	rc = cps_jobs_submit(&r->server->jobs, &r->ctx, id, !strcmp(mode, "preview"), strcmp(mode, "full") != 0, &job);
	json_decref(o);
	if (rc) {
		cps_fail(r, rc, NULL);
		if (rc == COPLAN_ELIMIT)
			r->status = 429; /* the queue is full: try again later */
		return 0;
	}
	return cps_reply(r, 202, json_pack("{s:I,s:s}", "job", (json_int_t)job, "state", "queued"));
}

int cps_api_job(cps_request *r)
{
	cps_job job;
	char *moves = NULL;
	json_t *o;
	int rc = cps_jobs_get(&r->server->jobs, cps_param_id(r, 0), r->ctx.account, &job);

	if (rc)
		return cps_fail(r, rc, NULL);
	o = json_pack("{s:I,s:I,s:s,s:b,s:b,s:f}", "job", (json_int_t)job.id, "plan_id", (json_int_t)job.plan_id,
	              "state", cps_job_state_name(job.state), "preview", job.preview, "replan", job.replan,
	              "elapsed", job.elapsed);
	if (o && job.has_best)
		json_object_set_new(o, "best", json_pack("{s:I,s:I,s:I}", "hard", (json_int_t)job.best.hard, "medium",
		                                          (json_int_t)job.best.medium, "soft", (json_int_t)job.best.soft));
	if (o && job.message)
		json_object_set_new(o, "error", json_pack("{s:s,s:s}", "code", cps_error_name(job.error), "message",
		                                           job.message));
	if (o && job.result_json)
		json_object_set_new(o, "result", json_loads(job.result_json, 0, NULL));
	if (o && job.state == CPS_JOB_DONE && job.replan && !coplan_changes_format_json(&moves, job.moves, job.n_moves))
		json_object_set_new(o, "changes", json_loads(moves, 0, NULL));
	free(moves);
	cps_job_release(&job);
	return cps_reply(r, 200, o);
}

int cps_api_job_cancel(cps_request *r)
{
	int rc = cps_jobs_cancel(&r->server->jobs, cps_param_id(r, 0), r->ctx.account);

	if (rc)
		return cps_fail(r, rc, NULL);
	return cps_reply(r, 202, json_pack("{s:b}", "cancelling", 1));
}

int cps_api_roles(cps_request *r)
{
	coplan_role_grant *g = NULL;
	size_t n = 0;
	char *text = NULL;
	long id = cps_plan_id(r);
	int rc;

	if (!id)
		return 0;
	if (!(rc = coplan_service_roles(&r->ctx, id, &g, &n)))
		rc = coplan_roles_format_json(&text, g, n);
	free(g);
	return reply_text(r, rc, text);
}

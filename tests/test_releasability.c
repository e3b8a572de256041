/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_releasability.c - the one enforcement point of confidentiality labels
 * (docs/labels.md), through the service layer: who sees which activities and
 * blackouts, "not found" for what exists but is not releasable, edits that
 * keep what the editor cannot see, and a GBR user who finds no trace of a
 * JPN-only activity in any text the service gives them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "coplan/coplan.h"
#include "coplan/explain.h"
#include "test_db.h"
#include "test_util.h"

#define EXAMPLE COPLAN_SOURCE_DIR "/examples/italy-japan-2024"
#define PASSWORD "correct horse battery"
#define HIDDEN "JP-11"               /* made RESTRICTED REL TO JPN */
#define HIDDEN_BLACKOUT "Kenbu cyber exercise"

static char db_path[512];

enum { GARY, JUN, KENJI, ILARIA, N_USERS };

static const struct {
	const char *name, *nation, *clearance, *caveats;
	coplan_plan_role role;
	int sees_hidden;
} users[N_USERS] = {
	[GARY] = { "gary", "GBR", "SECRET", "CRYPTO", COPLAN_PLAN_ROLE_OWNER, 0 },
	[JUN] = { "jun", "JPN", "RESTRICTED", NULL, COPLAN_PLAN_ROLE_VIEWER, 1 },
	[KENJI] = { "kenji", "JPN", NULL, NULL, COPLAN_PLAN_ROLE_VIEWER, 0 },   /* the lowest level */
	[ILARIA] = { "ilaria", "ITA", "TOP SECRET", NULL, COPLAN_PLAN_ROLE_VIEWER, 0 },
};

typedef struct {
	coplan_store *store;
	long ids[N_USERS];
	long plan;
	char hidden_title[256], hidden_unit[256], hidden_start[11], hidden_end[11];
} fixture;

static coplan_ctx as(fixture *f, int u)
{
	coplan_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.store = f->store;
	ctx.user = u < 0 ? "Lt Col Test" : users[u].name;
	ctx.nation = u < 0 ? NULL : users[u].nation;
	ctx.account = u < 0 ? 0 : f->ids[u];
	return ctx;
}

static int setup(void **state)
{
	static fixture f;
	coplan_plan_folder_result folder;
	coplan_schedule_request req = { -1, 1, 0, 0 };
	coplan_plan *plan = NULL;
	coplan_ctx op;
	long i;

	memset(&f, 0, sizeof(f));
	test_db_fresh(db_path, sizeof(db_path), "test_releasability");
	if (coplan_store_open(&f.store, db_path))
		return -1;
	op = as(&f, -1);
	if (coplan_service_plan_folder_read(EXAMPLE, NULL, &plan, &folder))
		return -1;
	/* GBR takes part in the GCAP activities: the plan is released to it; one activity is Japan's only */
	free(plan->label); /* the example states its own */
	plan->label = strdup("UNCLASSIFIED REL TO GBR, ITA, JPN");
	i = coplan_plan_find(plan, HIDDEN);
	if (i < 0 || !plan->label || !(plan->activities[i].label = strdup("RESTRICTED REL TO JPN")))
		return -1;
	snprintf(f.hidden_title, sizeof(f.hidden_title), "%s", plan->activities[i].title);
	snprintf(f.hidden_unit, sizeof(f.hidden_unit), "%s", plan->activities[i].units[0]);
	/* a commitment of Japan's that explains dates but is not released to the partners */
	if (coplan_plan_add_blackout(plan, "JPN", coplan_date_from_ymd(2024, 11, 11),
	                             coplan_date_from_ymd(2024, 11, 13), 1, HIDDEN_BLACKOUT) ||
	    !(plan->blackouts[plan->n_blackouts - 1].label = strdup("CONFIDENTIAL REL TO JPN")) ||
	    coplan_service_plan_new(&op, plan, &req, &folder.schedule))
		return -1;
	f.plan = folder.schedule.plan_id;
	coplan_plan_folder_result_clear(&folder);
	coplan_plan_free(plan);
	/* the scheduled dates of the hidden activity */
	if (coplan_service_load(&op, f.plan, &plan, NULL) || (i = coplan_plan_find(plan, HIDDEN)) < 0 ||
	    plan->activities[i].start == COPLAN_DATE_NONE)
		return -1;
	coplan_date_format_iso(plan->activities[i].start, f.hidden_start);
	coplan_date_format_iso(plan->activities[i].end, f.hidden_end);
	coplan_plan_free(plan);
	for (int u = 0; u < N_USERS; u++)
		if (coplan_service_user_add_cleared(&op, users[u].name, users[u].nation, NULL, PASSWORD, 0,
		                                    users[u].clearance, users[u].caveats, &f.ids[u]) ||
		    coplan_service_role_grant(&op, f.plan, users[u].name, users[u].role))
			return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	coplan_store_close(f->store);
	test_remove_db(db_path);
	coplan_document_shutdown(); /* the font caches the Gantt chart filled */
	return 0;
}

static int has_blackout(const coplan_plan *plan, const char *reason)
{
	for (size_t k = 0; k < plan->n_blackouts; k++)
		if (!strcmp(plan->blackouts[k].reason, reason))
			return 1;
	return 0;
}

/* Who sees what: nation, clearance; account 0 everything. */
static void test_who_sees_what(void **state)
{
	fixture *f = *state;
	coplan_plan *all = NULL;
	coplan_ctx op = as(f, -1);

	assert_int_equal(coplan_service_load(&op, f->plan, &all, NULL), 0);
	assert_true(coplan_plan_find(all, HIDDEN) >= 0);
	assert_true(has_blackout(all, HIDDEN_BLACKOUT));
	for (int u = 0; u < N_USERS; u++) {
		coplan_ctx ctx = as(f, u);
		coplan_plan *plan = NULL;

		assert_int_equal(coplan_service_load(&ctx, f->plan, &plan, NULL), 0);
		assert_int_equal(coplan_plan_find(plan, HIDDEN) >= 0, users[u].sees_hidden);
		assert_int_equal(plan->n_activities, all->n_activities - (users[u].sees_hidden ? 0 : 1));
		/* the blackout is CONFIDENTIAL: jun (RESTRICTED) does not see it either */
		assert_false(has_blackout(plan, HIDDEN_BLACKOUT));
		coplan_plan_free(plan);
	}
	coplan_plan_free(all);
}

/* The audit log's entries after since (as the local operator reads it): *n of them, freed by the caller. */
static coplan_audit_entry *log_since(fixture *f, long since, size_t *n)
{
	coplan_ctx op = as(f, -1);
	coplan_audit_entry *e = NULL;

	assert_int_equal(coplan_service_audit_entries(&op, since, &e, n), 0);
	return e;
}

static long log_last(fixture *f)
{
	size_t n;
	coplan_audit_entry *e = log_since(f, 0, &n);
	long last = n ? e[n - 1].seq : 0;

	coplan_audit_entries_free(e, n);
	return last;
}

/* How many entries after since are refusals by user of action whose object ends with tail. */
static size_t refusals(fixture *f, long since, const char *user, const char *action, const char *tail)
{
	size_t n, count = 0;
	coplan_audit_entry *e = log_since(f, since, &n);

	for (size_t k = 0; k < n; k++) {
		size_t lo = strlen(e[k].object), lt = strlen(tail);

		if (e[k].refused && e[k].error == COPLAN_EDENIED && !strcmp(e[k].account_name, user) &&
		    !strcmp(e[k].action, action) && lo >= lt && !strcmp(e[k].object + lo - lt, tail))
			count++;
	}
	coplan_audit_entries_free(e, n);
	return count;
}

/* What exists but is not releasable is "not found", in the very words of what does not exist. */
static void test_not_found(void **state)
{
	fixture *f = *state;
	coplan_ctx gary = as(f, GARY);
	coplan_field_value title = { "title", "x" };
	coplan_explanation *e = NULL;
	coplan_activity_event *ev = NULL;
	size_t n = 0;
	char hidden_msg[512], missing_msg[512], *p;
	long since = log_last(f), i = 0;
	coplan_plan *plan = NULL;

	assert_int_equal(coplan_service_activity_edit(&gary, f->plan, HIDDEN, -1, &title, 1, NULL, NULL, NULL,
	                                              NULL), COPLAN_ENOTFOUND);
	snprintf(hidden_msg, sizeof(hidden_msg), "%s", coplan_error_last());
	assert_int_equal(coplan_service_activity_edit(&gary, f->plan, "JP-99", -1, &title, 1, NULL, NULL,
	                                              NULL, NULL), COPLAN_ENOTFOUND);
	snprintf(missing_msg, sizeof(missing_msg), "%s", coplan_error_last());
	/* the same message with the ref the user typed (its "did you mean" only names what they see) */
	assert_non_null(p = strstr(missing_msg, "JP-99"));
	memcpy(p, HIDDEN, 5);
	if ((p = strchr(missing_msg, ';')))
		*p = '\0';
	if ((p = strchr(hidden_msg, ';')))
		*p = '\0';
	assert_string_equal(hidden_msg, missing_msg);
	assert_int_equal(coplan_service_explain(&gary, f->plan, HIDDEN, COPLAN_DATE_NONE, &e), COPLAN_ENOTFOUND);
	assert_null(e);
	assert_int_equal(coplan_service_history(&gary, f->plan, HIDDEN, &ev, &n), COPLAN_ENOTFOUND);
	coplan_activity_events_free(ev, n);
	assert_int_equal(coplan_service_activity_delete(&gary, f->plan, HIDDEN, -1, "x"), COPLAN_ENOTFOUND);
	{
		coplan_status_change sc = { HIDDEN, COPLAN_STATUS_CONFIRMED, COPLAN_DATE_NONE, COPLAN_DATE_NONE,
		                            NULL, "gary" };

		assert_int_equal(coplan_service_set_statuses(&gary, f->plan, &sc, 1, 0, NULL), COPLAN_ENOTFOUND);
	}
	assert_int_equal(coplan_service_activity(&gary, f->plan, HIDDEN, &plan, &i, NULL), COPLAN_ENOTFOUND);
	assert_null(plan);
	assert_int_equal(i, -1);
	/* each refused read or change of what is not releasable is in the audit log; a missing ref is not */
	{
		char tail[64];

		snprintf(tail, sizeof(tail), "activity %s not releasable", HIDDEN);
		assert_int_equal(refusals(f, since, "gary", "activity edit", tail), 1);
		assert_int_equal(refusals(f, since, "gary", "explain", tail), 1);
		assert_int_equal(refusals(f, since, "gary", "history", tail), 1);
		assert_int_equal(refusals(f, since, "gary", "activity delete", tail), 1);
		assert_int_equal(refusals(f, since, "gary", "read", tail), 1);
		assert_int_equal(refusals(f, since, "gary", "status", tail), 1);
		assert_int_equal(refusals(f, since, "gary", "activity edit", "activity JP-99 not releasable"), 0);
	}
	assert_int_equal(coplan_service_activity(&gary, f->plan, "JP-10", &plan, &i, NULL), 0);
	assert_string_equal(plan->activities[i].ref, "JP-10");
	coplan_plan_free(plan);
	plan = NULL;
	/* a plan not released to a nation at all: "not found" for a role holder of that nation, recorded */
	{
		coplan_ctx op = as(f, -1), pierre;
		long id = 0;

		assert_int_equal(coplan_service_user_add_cleared(&op, "pierre", "FRA", NULL, PASSWORD, 0, "SECRET",
		                                                 NULL, &id), 0);
		assert_int_equal(coplan_service_role_grant(&op, f->plan, "pierre", COPLAN_PLAN_ROLE_VIEWER), 0);
		pierre = as(f, -1);
		pierre.user = "pierre";
		pierre.nation = "FRA";
		pierre.account = id;
		since = log_last(f);
		assert_int_equal(coplan_service_load(&pierre, f->plan, &plan, NULL), COPLAN_ENOTFOUND);
		assert_null(plan);
		assert_int_equal(refusals(f, since, "pierre", "read", "the plan not releasable"), 1);
		assert_int_equal(coplan_service_role_grant(&op, f->plan, "pierre", COPLAN_PLAN_ROLE_NONE), 0);
	}
}

/* Needles: everything that would betray the hidden activity and the hidden blackout. */
static void assert_no_trace(const fixture *f, const char *what, const char *text, size_t len)
{
	const char *needles[] = { HIDDEN, f->hidden_title, f->hidden_unit, HIDDEN_BLACKOUT };

	for (size_t k = 0; k < sizeof(needles) / sizeof(needles[0]); k++) {
		size_t n = strlen(needles[k]);

		for (size_t i = 0; n && i + n <= len; i++)
			if (!memcmp(text + i, needles[k], n))
				fail_msg("%s holds '%s' at byte %zu", what, needles[k], i);
	}
}

/* Dates of the hidden activity: a trace unless a visible activity has the same ones. */
static void assert_no_dates(const fixture *f, const coplan_plan *visible, const char *what, const char *text)
{
	char d0[11], d1[11];
	int shared_start = 0, shared_end = 0;

	for (size_t i = 0; i < visible->n_activities; i++) {
		const coplan_activity *a = &visible->activities[i];

		if (a->start == COPLAN_DATE_NONE)
			continue;
		coplan_date_format_iso(a->start, d0);
		coplan_date_format_iso(a->end, d1);
		shared_start |= !strcmp(d0, f->hidden_start) || !strcmp(d1, f->hidden_start);
		shared_end |= !strcmp(d0, f->hidden_end) || !strcmp(d1, f->hidden_end);
	}
	if (!shared_start && strstr(text, f->hidden_start))
		fail_msg("%s holds the hidden activity's start %s", what, f->hidden_start);
	if (!shared_end && strstr(text, f->hidden_end))
		fail_msg("%s holds the hidden activity's end %s", what, f->hidden_end);
}

static void test_gbr_finds_no_trace(void **state)
{
	fixture *f = *state;
	coplan_ctx gary = as(f, GARY);
	static const char *const formats[] = {
		"text", "execution", "execution-json", "md", "html", "json", "ics", "svg", "csv", "lp"
	};
	coplan_plan *plan = NULL;
	coplan_plan_entry *plans = NULL;
	coplan_activity_event *ev = NULL;
	size_t n = 0;

	assert_int_equal(coplan_service_load(&gary, f->plan, &plan, NULL), 0);
	for (size_t k = 0; k < sizeof(formats) / sizeof(formats[0]); k++) {
		char *out = NULL, what[64];
		size_t len = 0;

		snprintf(what, sizeof(what), "the %s document", formats[k]);
		assert_int_equal(coplan_service_render(&gary, f->plan, formats[k], NULL, &out, &len, NULL), 0);
		assert_no_trace(f, what, out, len);
		{
			char *z = malloc(len + 1);

			assert_non_null(z);
			memcpy(z, out, len);
			z[len] = '\0';
			assert_no_dates(f, plan, what, z);
			free(z);
		}
		free(out);
	}
	/* explain and suggest every activity the user sees, as text and as JSON */
	for (size_t i = 0; i < plan->n_activities; i++) {
		coplan_explanation *e = NULL, *s = NULL, *none = NULL;
		size_t ns = 0;
		char *text = NULL, *json = NULL, what[64];

		snprintf(what, sizeof(what), "explain %s", plan->activities[i].ref);
		assert_int_equal(coplan_service_explain(&gary, f->plan, plan->activities[i].ref, COPLAN_DATE_NONE,
		                                        &e), 0);
		assert_int_equal(coplan_explanation_format_text(&text, e), 0);
		assert_int_equal(coplan_explanation_format_json(&json, e), 0);
		assert_no_trace(f, what, text, strlen(text));
		assert_no_trace(f, what, json, strlen(json));
		free(text);
		free(json);
		coplan_explanation_free(e);
		snprintf(what, sizeof(what), "suggest %s", plan->activities[i].ref);
		assert_int_equal(coplan_service_suggest(&gary, f->plan, plan->activities[i].ref, 3, &s, &ns, &none),
		                 0);
		assert_int_equal(coplan_explanations_format_json(&json, s, ns), 0);
		assert_no_trace(f, what, json, strlen(json));
		free(json);
		coplan_explanations_free(s, ns);
		if (none) {
			assert_int_equal(coplan_explanation_format_text(&text, none), 0);
			assert_no_trace(f, what, text, strlen(text));
			free(text);
			coplan_explanation_free(none);
		}
		if (plan->activities[i].unplaced_reason)
			assert_no_trace(f, "an unplaced reason", plan->activities[i].unplaced_reason,
			                strlen(plan->activities[i].unplaced_reason));
	}
	/* the list of plans, and the history */
	assert_int_equal(coplan_service_plans(&gary, &plans, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(coplan_plan_find(plans[0].plan, HIDDEN), -1);
	assert_false(has_blackout(plans[0].plan, HIDDEN_BLACKOUT));
	coplan_plan_entries_free(plans, n);
	assert_int_equal(coplan_service_history(&gary, f->plan, NULL, &ev, &n), 0);
	for (size_t k = 0; k < n; k++)
		assert_false(ev[k].ref && !strcmp(ev[k].ref, HIDDEN));
	coplan_activity_events_free(ev, n);
	coplan_plan_free(plan);
}

/* The marking: what the document holds, combined; the reader's copy is marked for what it holds. */
static void test_marking(void **state)
{
	fixture *f = *state;
	coplan_ctx op = as(f, -1), gary = as(f, GARY);
	char *out = NULL;
	size_t len = 0;

	assert_int_equal(coplan_service_render(&op, f->plan, "json", NULL, &out, &len, NULL), 0);
	assert_non_null(strstr(out, "\"label\": \"CONFIDENTIAL REL TO JPN\""));
	free(out);
	assert_int_equal(coplan_service_render(&gary, f->plan, "json", NULL, &out, &len, NULL), 0);
	assert_non_null(strstr(out, "\"label\": \"UNCLASSIFIED REL TO GBR, ITA, JPN\""));
	free(out);
	/* the web page: a banner at its top and its foot */
	assert_int_equal(coplan_service_render(&gary, f->plan, "html", NULL, &out, &len, NULL), 0);
	assert_non_null(strstr(out, "<body>\n<p class=\"marking\">UNCLASSIFIED REL TO GBR, ITA, JPN</p>"));
	assert_non_null(strstr(out, "<p class=\"marking\">UNCLASSIFIED REL TO GBR, ITA, JPN</p>\n</body>"));
	free(out);
	/* Markdown: its first and last lines; CSV: cell A1 */
	assert_int_equal(coplan_service_render(&gary, f->plan, "md", NULL, &out, &len, NULL), 0);
	assert_memory_equal(out, "**UNCLASSIFIED REL TO GBR, ITA, JPN**\n\n# ", 41);
	assert_non_null(strstr(out, "\n**UNCLASSIFIED REL TO GBR, ITA, JPN**\n"));
	free(out);
	assert_int_equal(coplan_service_render(&op, f->plan, "csv", NULL, &out, &len, NULL), 0);
	assert_non_null(strstr(out, "\xEF\xBB\xBF# CONFIDENTIAL REL TO JPN\r\nref,"));
	free(out);
	/* the Gantt chart: drawn in its top margin, and the SVG's description (its text is glyphs) */
	assert_int_equal(coplan_service_render(&gary, f->plan, "svg", NULL, &out, &len, NULL), 0);
	assert_non_null(strstr(out, "<desc class=\"marking\">UNCLASSIFIED REL TO GBR, ITA, JPN</desc>"));
	free(out);
	/* the calendar: its marking, and each event's CLASS, X-COPLAN-LABEL and summary prefix */
	assert_int_equal(coplan_service_render(&op, f->plan, "ics", NULL, &out, &len, NULL), 0);
	assert_non_null(strstr(out, "X-COPLAN-LABEL:CONFIDENTIAL REL TO JPN\r\n"));
	assert_non_null(strstr(out, "X-COPLAN-LABEL:RESTRICTED REL TO JPN\r\n"));
	assert_non_null(strstr(out, "CLASS:CONFIDENTIAL\r\n"));
	assert_non_null(strstr(out, "SUMMARY:(RESTRICTED REL TO JPN) Cyber"));
	assert_non_null(strstr(out, "CLASS:PRIVATE\r\n"));
	free(out);
}

/* An edit by someone who sees part of the plan keeps the rest; they cannot take a hidden ref. */
static void test_edit_keeps_hidden(void **state)
{
	fixture *f = *state;
	coplan_ctx op = as(f, -1), gary = as(f, GARY);
	coplan_field_value title = { "title", "GCAP engineering workshop (Nagoya)" };
	coplan_field_value add[] = { { "title", "Something" }, { "host", "JPN" }, { "participants", "JPN;GBR" },
	                             { "duration", "2" } };
	coplan_field_value bad = { "label", "SECRETISH REL TO JPN" };
	coplan_plan *plan = NULL;
	long i;

	assert_int_equal(coplan_service_activity_edit(&gary, f->plan, "JP-10", -1, &title, 1, NULL, "clearer",
	                                              NULL, NULL), 0);
	assert_int_equal(coplan_service_activity_add(&gary, f->plan, HIDDEN, add, 4, NULL, NULL),
	                 COPLAN_EDENIED);
	assert_int_equal(coplan_service_activity_edit(&op, f->plan, "JP-10", -1, &bad, 1, NULL, NULL, NULL, NULL),
	                 COPLAN_EINVALID);
	assert_int_equal(coplan_service_load(&op, f->plan, &plan, NULL), 0);
	assert_true((i = coplan_plan_find(plan, HIDDEN)) >= 0);
	assert_string_equal(plan->activities[i].label, "RESTRICTED REL TO JPN");
	assert_string_equal(plan->activities[i].title, f->hidden_title);
	assert_true(has_blackout(plan, HIDDEN_BLACKOUT));
	assert_true((i = coplan_plan_find(plan, "JP-10")) >= 0);
	assert_string_equal(plan->activities[i].title, "GCAP engineering workshop (Nagoya)");
	assert_null(plan->activities[i].label);
	coplan_plan_free(plan);
}

/* Set activity ref's label as ctx; the result code. */
static int relabel(const coplan_ctx *ctx, long plan, const char *ref, const char *label)
{
	coplan_field_value v = { "label", label };

	return coplan_service_activity_edit(ctx, plan, ref, -1, &v, 1, NULL, "relabel", NULL, NULL);
}

static void assert_label(fixture *f, const char *ref, const char *label)
{
	coplan_ctx op = as(f, -1);
	coplan_plan *plan = NULL;
	long i;

	assert_int_equal(coplan_service_load(&op, f->plan, &plan, NULL), 0);
	assert_true((i = coplan_plan_find(plan, ref)) >= 0);
	if (label)
		assert_string_equal(plan->activities[i].label, label);
	else
		assert_null(plan->activities[i].label);
	coplan_plan_free(plan);
}

/*
 * Who may set a label (docs/labels.md): only one the user satisfies, and a
 * change that widens who may see only by a nation the label names; each
 * refusal changes nothing and is in the audit log.
 */
static void test_label_rules(void **state)
{
	fixture *f = *state;
	coplan_ctx op = as(f, -1), gary = as(f, GARY), jun = as(f, JUN);
	coplan_blackout b = { (char *)"JPN", 0, 0, 0, (char *)"staff rotation", (char *)"CONFIDENTIAL REL TO JPN" };
	long since = log_last(f);

	/* a label he would not satisfy: JPN only, or above his clearance, or a caveat he lacks */
	assert_int_equal(relabel(&gary, f->plan, "JP-10", "RESTRICTED REL TO JPN"), COPLAN_EDENIED);
	assert_non_null(strstr(coplan_error_last(), "not releasable to you"));
	assert_int_equal(relabel(&gary, f->plan, "JP-10", "TOP SECRET REL TO GBR, JPN"), COPLAN_EDENIED);
	assert_int_equal(relabel(&gary, f->plan, "JP-10", "SECRET ATOMAL REL TO GBR, JPN"), COPLAN_EDENIED);
	assert_label(f, "JP-10", NULL);
	/* narrowing is anyone's who satisfies the result: raised, fewer nations, a caveat he holds */
	assert_int_equal(relabel(&gary, f->plan, "JP-10", "SECRET CRYPTO REL TO GBR, JPN"), 0);
	assert_label(f, "JP-10", "SECRET CRYPTO REL TO GBR, JPN");
	/* widening, by a nation the label names: back to the plan's */
	assert_int_equal(relabel(&gary, f->plan, "JP-10", ""), 0);
	assert_label(f, "JP-10", NULL);
	/* a label with no REL TO list names no nation: no user widens it (the local operator does) */
	assert_int_equal(relabel(&op, f->plan, "IT-01", "CONFIDENTIAL"), 0);
	assert_int_equal(relabel(&gary, f->plan, "IT-01", "RESTRICTED"), COPLAN_EDENIED);
	assert_non_null(strstr(coplan_error_last(), "only a nation it names may widen it"));
	assert_int_equal(relabel(&gary, f->plan, "IT-01", "RESTRICTED REL TO GBR"), COPLAN_EDENIED);
	assert_int_equal(relabel(&gary, f->plan, "IT-01", "CONFIDENTIAL CRYPTO"), 0);
	assert_int_equal(relabel(&gary, f->plan, "IT-01", "CONFIDENTIAL"), COPLAN_EDENIED);
	assert_label(f, "IT-01", "CONFIDENTIAL CRYPTO");
	/* with a nation named, its user may widen: add a nation, lower the level, drop the caveat */
	assert_int_equal(relabel(&op, f->plan, "IT-01", "SECRET CRYPTO REL TO GBR"), 0);
	assert_int_equal(relabel(&gary, f->plan, "IT-01", "RESTRICTED REL TO GBR, ITA, JPN"), 0);
	assert_int_equal(relabel(&op, f->plan, "IT-01", ""), 0);
	/* a viewer edits nothing, labels included */
	assert_int_equal(relabel(&jun, f->plan, "JP-10", "RESTRICTED REL TO JPN"), COPLAN_EDENIED);
	/* a blackout he adds carries a label he satisfies, or none */
	b.from = coplan_date_from_ymd(2024, 8, 5);
	b.to = coplan_date_from_ymd(2024, 8, 6);
	assert_int_equal(coplan_service_blackout_add(&gary, f->plan, &b), COPLAN_EDENIED);
	b.label = (char *)"CONFIDENTIAL REL TO GBR, JPN";
	assert_int_equal(coplan_service_blackout_add(&gary, f->plan, &b), 0);
	/* the refusals, each recorded */
	assert_int_equal(refusals(f, since, "gary", "activity edit", "activity JP-10"), 3);
	assert_int_equal(refusals(f, since, "gary", "activity edit", "activity IT-01"), 3);
	assert_int_equal(refusals(f, since, "gary", "blackout add", ""), 1);
}

/*
 * A re-plan by a GBR user runs on the whole plan: an activity he sees that
 * sits on a commitment only Japan sees moves off it, and neither the result,
 * nor explain, nor suggest names the commitment.
 */
static void test_replan_keeps_hidden_commitments(void **state)
{
	fixture *f = *state;
	coplan_ctx op = as(f, -1), gary = as(f, GARY);
	coplan_schedule_request req = { -1, 1, 1, 0 };
	coplan_schedule_result res;
	coplan_explanation *e = NULL, *s = NULL, *none = NULL;
	coplan_plan *plan = NULL;
	coplan_blackout drill = { (char *)"JPN", 0, 0, 1, (char *)"Shinobi readiness drill",
	                          (char *)"SECRET REL TO JPN" };
	coplan_score score;
	coplan_date start, end;
	size_t ns = 0;
	char *text = NULL, *json = NULL;
	long i;

	/* JP-10 (Japan hosts it, GBR sees it) where it is now: Japan's secret drill lands on those days */
	assert_int_equal(coplan_service_load(&op, f->plan, &plan, NULL), 0);
	assert_true((i = coplan_plan_find(plan, "JP-10")) >= 0);
	start = plan->activities[i].start;
	end = plan->activities[i].end;
	assert_true(start != COPLAN_DATE_NONE);
	coplan_plan_free(plan);
	plan = NULL;
	drill.from = start;
	drill.to = end;
	assert_int_equal(coplan_service_blackout_add(&op, f->plan, &drill), 0);

	/* the question, asked on the old start: it cannot start there, for a reason gary may not read */
	assert_int_equal(coplan_service_explain(&gary, f->plan, "JP-10", start, &e), 0);
	assert_false(e->can_start);
	assert_int_equal(coplan_explanation_format_text(&text, e), 0);
	assert_int_equal(coplan_explanation_format_json(&json, e), 0);
	assert_non_null(strstr(text, "a commitment not releasable to you"));
	assert_null(strstr(text, drill.reason));
	assert_null(strstr(json, drill.reason));
	assert_null(strstr(json, "SECRET"));
	free(text);
	free(json);
	coplan_explanation_free(e);

	/* the re-plan: JP-10 moves off the drill; the result names nothing hidden */
	memset(&res, 0, sizeof(res));
	assert_int_equal(coplan_service_schedule(&gary, f->plan, &req, &res), 0);
	assert_int_equal(coplan_plan_find(res.plan, HIDDEN), -1);
	assert_false(has_blackout(res.plan, drill.reason));
	assert_false(has_blackout(res.plan, HIDDEN_BLACKOUT));
	for (size_t k = 0; k < res.plan->n_activities; k++)
		if (res.plan->activities[k].unplaced_reason) {
			assert_no_trace(f, "an unplaced reason", res.plan->activities[k].unplaced_reason,
			                strlen(res.plan->activities[k].unplaced_reason));
			assert_null(strstr(res.plan->activities[k].unplaced_reason, drill.reason));
		}
	assert_non_null(res.before);
	assert_int_equal(coplan_plan_find(res.before, HIDDEN), -1);
	coplan_schedule_result_clear(&res);

	/* as stored: no hard constraint broken, JP-10 clear of the drill */
	assert_int_equal(coplan_service_load(&op, f->plan, &plan, NULL), 0);
	assert_int_equal(coplan_schedule_score(plan, NULL, &score), 0);
	assert_int_equal(score.hard, 0);
	assert_true((i = coplan_plan_find(plan, "JP-10")) >= 0);
	assert_true(plan->activities[i].start == COPLAN_DATE_NONE || plan->activities[i].end < start ||
	            plan->activities[i].start > end);
	coplan_plan_free(plan);

	/* the best starts gary is offered avoid the drill too, and say nothing of it */
	assert_int_equal(coplan_service_suggest(&gary, f->plan, "JP-10", 5, &s, &ns, &none), 0);
	for (size_t k = 0; k < ns; k++)
		assert_true(s[k].to < start || s[k].from > end);
	assert_int_equal(coplan_explanations_format_json(&json, s, ns), 0);
	assert_null(strstr(json, drill.reason));
	free(json);
	coplan_explanations_free(s, ns);
	coplan_explanation_free(none);
}

/* A saved plan is "saved" to a reader of part of it: the stamp is decided on the whole plan. */
static void test_saved_stamp(void **state)
{
	fixture *f = *state;
	coplan_ctx op = as(f, -1), gary = as(f, GARY);
	coplan_document_info info;
	char *conflicts = NULL, *out = NULL;
	size_t len = 0;
	int number = 0;

	assert_int_equal(coplan_service_version_save(&op, f->plan, COPLAN_VERSION_DRAFT, "saved", &number,
	                                             &conflicts, NULL), 0);
	free(conflicts);
	assert_true(number > 0);
	assert_int_equal(coplan_service_document_info(&gary, f->plan, NULL, &info), 0);
	assert_int_equal(info.version, number);
	assert_int_equal(coplan_service_document_info(&op, f->plan, NULL, &info), 0);
	assert_int_equal(info.version, number);
	/* his Markdown document says which version it is, not "draft, not saved" */
	assert_int_equal(coplan_service_render(&gary, f->plan, "md", NULL, &out, &len, NULL), 0);
	assert_null(strstr(out, "not saved"));
	assert_no_trace(f, "the saved plan's document", out, len);
	free(out);
	/* a change he cannot see makes it unsaved for everyone alike */
	{
		coplan_field_value v = { "notes", "JPN only note" };

		assert_int_equal(coplan_service_activity_edit(&op, f->plan, HIDDEN, -1, &v, 1, NULL, "note", NULL,
		                                              NULL), 0);
	}
	assert_int_equal(coplan_service_document_info(&gary, f->plan, NULL, &info), 0);
	assert_int_equal(info.version, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_who_sees_what),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_gbr_finds_no_trace),
		cmocka_unit_test(test_marking),
		cmocka_unit_test(test_edit_keeps_hidden),
		cmocka_unit_test(test_label_rules),
		cmocka_unit_test(test_replan_keeps_hidden_commitments),
		cmocka_unit_test(test_saved_stamp),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

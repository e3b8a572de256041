/* SPDX-License-Identifier: Apache-2.0 */
/* test_reasons.c - the scheduler's explanations as data (coplan/explain.h): codes, fields, text and JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "coplan/errors.h"
#include "coplan/explain.h"
#include "coplan/schedule.h"
#include "plan_gen.h"
#include "test_plan.h"

static coplan_date D(int y, int m, int d)
{
	return coplan_date_from_ymd(y, m, d);
}


static void schedule(coplan_plan *plan)
{
	coplan_schedule_options opts;

	memset(&opts, 0, sizeof(opts));
	opts.seed = 1;
	opts.max_iterations = 20000;
	assert_int_equal(coplan_schedule(plan, &opts, NULL), 0);
}

/* The explanation's sentence is exactly what the old char* function says. */
static void assert_text_matches(const coplan_explanation *e, const coplan_plan *plan, const char *ref,
                                coplan_date date)
{
	char *mine = NULL, *old = NULL;

	assert_int_equal(coplan_explanation_format_text(&mine, e), 0);
	assert_int_equal(coplan_schedule_explain(&old, plan, ref, date), 0);
	assert_string_equal(mine, old);
	free(mine);
	free(old);
}

static const coplan_reason *find_code(const coplan_reason *v, size_t n, coplan_reason_code code)
{
	for (size_t k = 0; k < n; k++)
		if (v[k].code == code)
			return &v[k];
	fail_msg("no reason %s among %zu", coplan_reason_code_name(code), n);
	return NULL;
}

/* Golden Week: a holiday start, a start that would run past the window, a free start and its cost. */
static void test_holiday_duration_and_cost(void **state)
{
	coplan_plan *plan = test_plan_new();
	coplan_activity *a = test_plan_add(plan, "JP-01", "JPN", 5, COPLAN_DAYS_WORKING);
	coplan_explanation *e = NULL;
	const coplan_reason *r;

	(void)state;
	a->earliest = D(2024, 5, 1);
	a->latest = D(2024, 5, 9);
	a->requested_from = D(2024, 5, 1);
	a->requested_to = D(2024, 5, 31);
	schedule(plan);

	assert_int_equal(coplan_schedule_explain_ex(&e, plan, "JP-01", D(2024, 5, 6)), 0);
	assert_string_equal(e->ref, "JP-01");
	assert_int_equal(e->date, D(2024, 5, 6));
	assert_int_equal(e->outcome, COPLAN_EXPLAIN_CANNOT_START);
	assert_int_equal(e->can_start, 0);
	assert_int_equal(e->n_costs, 0);
	r = find_code(e->reasons, e->n_reasons, COPLAN_REASON_HOLIDAY);
	assert_int_equal(r->from, D(2024, 5, 6));
	assert_int_equal(r->to, D(2024, 5, 6));
	assert_string_equal(r->scope, "JPN");
	assert_int_equal(r->role, COPLAN_ROLE_HOST);
	assert_non_null(r->name);
	assert_text_matches(e, plan, "JP-01", D(2024, 5, 6));
	coplan_explanation_free(e);

	assert_int_equal(coplan_schedule_explain_ex(&e, plan, "JP-01", D(2024, 5, 7)), 0);
	assert_int_equal(e->outcome, COPLAN_EXPLAIN_CANNOT_START);
	assert_int_equal(e->n_reasons, 1);
	r = &e->reasons[0];
	assert_int_equal(r->code, COPLAN_REASON_DURATION);
	assert_int_equal(r->from, D(2024, 5, 7));
	assert_int_equal(r->days, 5);
	assert_int_equal(r->day_mode, COPLAN_DAYS_WORKING);
	assert_int_equal(r->other_from, D(2024, 5, 1));
	assert_int_equal(r->other_to, D(2024, 5, 9));
	assert_text_matches(e, plan, "JP-01", D(2024, 5, 7));
	coplan_explanation_free(e);

	assert_int_equal(coplan_schedule_explain_ex(&e, plan, "JP-01", D(2024, 5, 1)), 0);
	assert_int_equal(e->outcome, COPLAN_EXPLAIN_CAN_START);
	assert_int_equal(e->can_start, 1);
	assert_int_equal(e->n_reasons, 0);
	assert_int_equal(e->from, D(2024, 5, 1));
	assert_int_equal(e->to, D(2024, 5, 9));
	assert_int_equal(e->soft_cost, 80);
	r = find_code(e->costs, e->n_costs, COPLAN_REASON_NONWORKING);
	assert_int_equal(r->days, 4);
	assert_int_equal(r->weight, 20);
	assert_int_equal(r->cost, 80);
	assert_int_equal(r->n_items, 4);  /* 3, 4, 5 and 6 May */
	for (size_t k = 0; k < r->n_items; k++) {
		assert_int_equal(r->items[k].from, D(2024, 5, 3) + (coplan_date)k);
		assert_true(r->items[k].code == COPLAN_REASON_HOLIDAY || r->items[k].code == COPLAN_REASON_WEEKEND);
	}
	assert_text_matches(e, plan, "JP-01", D(2024, 5, 1));
	coplan_explanation_free(e);

	/* where the plan has it */
	assert_int_equal(coplan_schedule_explain_ex(&e, plan, "JP-01", COPLAN_DATE_NONE), 0);
	assert_int_equal(e->outcome, COPLAN_EXPLAIN_PLACED);
	assert_int_equal(e->date, COPLAN_DATE_NONE);
	assert_int_equal(e->can_start, 1);
	assert_int_equal(e->from, test_plan_get(plan, "JP-01")->start);
	assert_text_matches(e, plan, "JP-01", COPLAN_DATE_NONE);
	coplan_explanation_free(e);
	coplan_plan_free(plan);
}

/* The other activities: a unit held by one, a precedence with another; before the window. */
static void test_unit_precedence_window(void **state)
{
	coplan_plan *plan = test_plan_new();
	coplan_activity *a = test_plan_add(plan, "IT-01", "ITA", 5, COPLAN_DAYS_CALENDAR);
	coplan_activity *b;
	coplan_explanation *e = NULL;
	const coplan_reason *r;

	(void)state;
	assert_int_equal(coplan_activity_add_unit(a, "Nave Cavour"), 0);
	a->start = D(2024, 3, 1);
	a->end = D(2024, 3, 5);
	b = test_plan_add(plan, "IT-02", "ITA", 3, COPLAN_DAYS_CALENDAR);
	assert_int_equal(coplan_activity_add_unit(b, "Nave Cavour"), 0);
	b->earliest = D(2024, 2, 1);
	b->latest = D(2024, 6, 30);
	assert_int_equal(coplan_plan_add_precedence(plan, "IT-01", "IT-02", 10, -1), 0);

	assert_int_equal(coplan_schedule_explain_ex(&e, plan, "IT-02", D(2024, 3, 4)), 0);
	assert_int_equal(e->outcome, COPLAN_EXPLAIN_CANNOT_START);
	r = find_code(e->reasons, e->n_reasons, COPLAN_REASON_UNIT_BUSY);
	assert_string_equal(r->scope, "Nave Cavour");
	assert_int_equal(r->role, COPLAN_ROLE_UNIT);
	assert_string_equal(r->activity, "IT-01");
	assert_int_equal(r->other_from, D(2024, 3, 1));
	assert_int_equal(r->other_to, D(2024, 3, 5));
	assert_int_equal(r->from, D(2024, 3, 4));
	assert_int_equal(r->to, D(2024, 3, 6));
	r = find_code(e->reasons, e->n_reasons, COPLAN_REASON_PRECEDENCE);
	assert_string_equal(r->activity, "IT-01");
	assert_int_equal(r->role, COPLAN_ROLE_PREDECESSOR);
	assert_int_equal(r->bound, COPLAN_BOUND_MIN);
	assert_int_equal(r->gap_min, 10);
	assert_int_equal(r->gap_max, -1);
	assert_int_equal(r->other_from, D(2024, 3, 16));  /* 5 March + 1 + 10 */
	assert_int_equal(r->other_to, COPLAN_DATE_NONE);
	assert_text_matches(e, plan, "IT-02", D(2024, 3, 4));
	coplan_explanation_free(e);

	/* the same precedence seen from the predecessor: IT-02 placed, IT-01 asked too late */
	b = test_plan_get(plan, "IT-02");
	b->start = D(2024, 4, 1);
	b->end = D(2024, 4, 3);
	assert_int_equal(coplan_schedule_explain_ex(&e, plan, "IT-01", D(2024, 3, 25)), 0);
	r = find_code(e->reasons, e->n_reasons, COPLAN_REASON_PRECEDENCE);
	assert_string_equal(r->activity, "IT-02");
	assert_int_equal(r->role, COPLAN_ROLE_SUCCESSOR);
	assert_int_equal(r->other_to, D(2024, 3, 21));  /* 1 April - 1 - 10 */
	assert_text_matches(e, plan, "IT-01", D(2024, 3, 25));
	coplan_explanation_free(e);

	assert_int_equal(coplan_schedule_explain_ex(&e, plan, "IT-02", D(2024, 1, 15)), 0);
	assert_int_equal(e->n_reasons, 1);
	assert_int_equal(e->reasons[0].code, COPLAN_REASON_WINDOW);
	assert_int_equal(e->reasons[0].other_from, D(2024, 2, 1));
	assert_int_equal(e->reasons[0].other_to, D(2024, 6, 30));
	assert_text_matches(e, plan, "IT-02", D(2024, 1, 15));
	coplan_explanation_free(e);
	coplan_plan_free(plan);
}

/*
 * Two hard blackouts, neither covering every start alone: the unplaced
 * reason lists both, as data and as the text coplan_schedule() stores.
 */
static void test_unplaced_blackouts(void **state)
{
	coplan_plan *plan = test_plan_new();
	coplan_activity *a = test_plan_add(plan, "IT-05", "ITA", 5, COPLAN_DAYS_CALENDAR);
	coplan_explanation *e = NULL;
	const coplan_reason *r;
	char *text = NULL;

	(void)state;
	a->earliest = D(2024, 3, 4);
	a->latest = D(2024, 3, 15);
	assert_int_equal(coplan_plan_add_blackout(plan, "ITA", D(2024, 3, 6), D(2024, 3, 7), 1, "first"), 0);
	assert_int_equal(coplan_plan_add_blackout(plan, "ITA", D(2024, 3, 12), D(2024, 3, 13), 1, "second"), 0);
	schedule(plan);
	a = test_plan_get(plan, "IT-05");
	assert_int_equal(a->start, COPLAN_DATE_NONE);
	assert_string_equal(a->unplaced_reason,
	                    "every start in its window 2024-03-04..2024-03-15 meets a hard blackout: "
	                    "'first' of ITA (host) 2024-03-06..2024-03-07, "
	                    "'second' of ITA (host) 2024-03-12..2024-03-13");

	assert_int_equal(coplan_schedule_explain_ex(&e, plan, "IT-05", COPLAN_DATE_NONE), 0);
	assert_int_equal(e->outcome, COPLAN_EXPLAIN_UNPLACED);
	assert_int_equal(e->can_start, 0);
	assert_int_equal(e->n_reasons, 1);
	r = &e->reasons[0];
	assert_int_equal(r->code, COPLAN_REASON_BLACKOUTS_WINDOW);
	assert_int_equal(r->from, D(2024, 3, 4));
	assert_int_equal(r->to, D(2024, 3, 15));
	assert_null(r->scope);  /* calendar days: the host's non-working days do not count */
	assert_int_equal(r->n_items, 2);
	assert_int_equal(r->items[0].code, COPLAN_REASON_BLACKOUT);
	assert_int_equal(r->items[0].blackout, 0);
	assert_int_equal(r->items[1].blackout, 1);
	assert_string_equal(r->items[1].name, "second");
	assert_string_equal(r->items[1].scope, "ITA");
	assert_int_equal(r->items[1].role, COPLAN_ROLE_HOST);
	assert_int_equal(r->items[1].other_from, D(2024, 3, 12));
	assert_int_equal(coplan_reasons_format_text(&text, e->reasons, e->n_reasons, e->ref), 0);
	assert_string_equal(text, a->unplaced_reason);
	free(text);
	assert_text_matches(e, plan, "IT-05", COPLAN_DATE_NONE);
	coplan_explanation_free(e);
	coplan_plan_free(plan);
}

/* Recorded facts: an executed activity asked elsewhere, a cancelled one. */
static void test_fixed_and_cancelled(void **state)
{
	coplan_plan *plan = test_plan_new();
	coplan_activity *a = test_plan_add(plan, "IT-02", "ITA", 3, COPLAN_DAYS_CALENDAR);
	coplan_explanation *e = NULL;

	(void)state;
	a->start = D(2024, 2, 16);
	a->end = D(2024, 2, 18);
	a->status = COPLAN_STATUS_EXECUTED;
	a = test_plan_add(plan, "IT-10", "ITA", 3, COPLAN_DAYS_CALENDAR);
	a->status = COPLAN_STATUS_CANCELLED;

	assert_int_equal(coplan_schedule_explain_ex(&e, plan, "IT-02", D(2024, 3, 1)), 0);
	assert_int_equal(e->outcome, COPLAN_EXPLAIN_FIXED);
	assert_int_equal(e->can_start, 0);
	assert_int_equal(e->reasons[0].code, COPLAN_REASON_FIXED);
	assert_int_equal(e->reasons[0].status, COPLAN_STATUS_EXECUTED);
	assert_int_equal(e->reasons[0].from, D(2024, 2, 16));
	assert_int_equal(e->reasons[0].to, D(2024, 2, 18));
	assert_text_matches(e, plan, "IT-02", D(2024, 3, 1));
	coplan_explanation_free(e);
	assert_int_equal(coplan_schedule_explain_ex(&e, plan, "IT-02", D(2024, 2, 16)), 0);
	assert_int_equal(e->can_start, 1);
	coplan_explanation_free(e);

	assert_int_equal(coplan_schedule_explain_ex(&e, plan, "IT-10", COPLAN_DATE_NONE), 0);
	assert_int_equal(e->outcome, COPLAN_EXPLAIN_CANCELLED);
	assert_int_equal(e->reasons[0].code, COPLAN_REASON_CANCELLED);
	assert_int_equal(e->reasons[0].from, COPLAN_DATE_NONE);
	assert_text_matches(e, plan, "IT-10", COPLAN_DATE_NONE);
	coplan_explanation_free(e);

	e = (coplan_explanation *)1;
	assert_int_equal(coplan_schedule_explain_ex(&e, plan, "XX-99", COPLAN_DATE_NONE), COPLAN_ENOTFOUND);
	assert_null(e);
	assert_int_equal(coplan_schedule_explain_ex(NULL, plan, "IT-02", COPLAN_DATE_NONE), COPLAN_EUSAGE);
	assert_int_equal(coplan_explanation_format_text(NULL, NULL), COPLAN_EUSAGE);
	coplan_plan_free(plan);
}

/* A course moved by hand onto a holiday: one conflict, as data, text and JSON. */
static void test_conflicts(void **state)
{
	coplan_plan *plan = test_plan_new();
	coplan_activity *a = test_plan_add(plan, "IT-03", "ITA", 2, COPLAN_DAYS_WORKING);
	coplan_conflicts *c = NULL;
	char *text = NULL, *old = NULL;
	json_t *root, *item;
	json_error_t err;
	size_t n = 0;

	(void)state;
	test_plan_add(plan, "IT-04", "ITA", 2, COPLAN_DAYS_WORKING);
	schedule(plan);
	assert_int_equal(coplan_schedule_conflicts_ex(&c, plan), 0);
	assert_int_equal(c->n, 0);
	assert_int_equal(c->recorded, 0);
	coplan_conflicts_free(c);

	a = test_plan_get(plan, "IT-03");
	a->start = D(2024, 8, 15);  /* Ferragosto */
	a->end = D(2024, 8, 16);
	assert_int_equal(coplan_schedule_conflicts_ex(&c, plan), 0);
	assert_int_equal(c->n, 1);
	assert_string_equal(c->items[0].ref, "IT-03");
	assert_int_equal(c->items[0].outcome, COPLAN_EXPLAIN_PLACED_AGAINST);
	assert_int_equal(c->items[0].from, D(2024, 8, 15));
	assert_int_equal(c->items[0].reasons[0].code, COPLAN_REASON_HOLIDAY);
	assert_int_equal(coplan_conflicts_format_text(&text, c), 0);
	assert_int_equal(coplan_schedule_conflicts(&old, &n, plan), 0);
	assert_int_equal(n, 1);
	assert_string_equal(text, old);
	assert_non_null(strstr(text, "  conflict IT-03 is placed on 2024-08-15 against its constraints: 2024-08-15 is"));
	free(text);
	free(old);

	assert_int_equal(coplan_conflicts_format_json(&text, c), 0);
	root = json_loads(text, 0, &err);
	if (!root)
		fail_msg("not JSON: %s: %s", err.text, text);
	assert_int_equal(json_integer_value(json_object_get(root, "recorded")), 0);
	assert_int_equal(json_array_size(json_object_get(root, "conflicts")), 1);
	item = json_array_get(json_object_get(root, "conflicts"), 0);
	assert_string_equal(json_string_value(json_object_get(item, "outcome")), "placed_against");
	item = json_array_get(json_object_get(item, "reasons"), 0);
	assert_string_equal(json_string_value(json_object_get(item, "code")), "holiday");
	assert_string_equal(json_string_value(json_object_get(item, "from")), "2024-08-15");
	assert_string_equal(json_string_value(json_object_get(item, "scope")), "ITA");
	assert_string_equal(json_string_value(json_object_get(item, "role")), "host");
	json_decref(root);
	free(text);
	coplan_conflicts_free(c);
	coplan_plan_free(plan);
}

/* The JSON of an explanation: keys, codes by name, dates as ISO text, the sentence. */
static void test_json(void **state)
{
	coplan_plan *plan = test_plan_new();
	coplan_activity *a = test_plan_add(plan, "JP-01", "JPN", 5, COPLAN_DAYS_WORKING);
	coplan_explanation *e = NULL;
	char *json = NULL, *text = NULL;
	json_t *root, *costs, *r;
	json_error_t err;

	(void)state;
	a->earliest = D(2024, 5, 1);
	a->latest = D(2024, 5, 9);
	a->requested_from = D(2024, 5, 1);
	a->requested_to = D(2024, 5, 31);
	schedule(plan);
	assert_int_equal(coplan_schedule_explain_ex(&e, plan, "JP-01", D(2024, 5, 1)), 0);
	assert_int_equal(coplan_explanation_format_json(&json, e), 0);
	assert_int_equal(coplan_explanation_format_text(&text, e), 0);
	root = json_loads(json, 0, &err);
	if (!root)
		fail_msg("not JSON: %s: %s", err.text, json);
	assert_string_equal(json_string_value(json_object_get(root, "ref")), "JP-01");
	assert_string_equal(json_string_value(json_object_get(root, "date")), "2024-05-01");
	assert_string_equal(json_string_value(json_object_get(root, "outcome")), "can_start");
	assert_true(json_is_true(json_object_get(root, "can_start")));
	assert_string_equal(json_string_value(json_object_get(root, "from")), "2024-05-01");
	assert_string_equal(json_string_value(json_object_get(root, "to")), "2024-05-09");
	assert_int_equal(json_integer_value(json_object_get(root, "soft_cost")), 80);
	assert_int_equal(json_array_size(json_object_get(root, "reasons")), 0);
	assert_string_equal(json_string_value(json_object_get(root, "text")), text);
	costs = json_object_get(root, "costs");
	assert_int_equal(json_array_size(costs), 1);
	r = json_array_get(costs, 0);
	assert_string_equal(json_string_value(json_object_get(r, "code")), "nonworking");
	assert_int_equal(json_integer_value(json_object_get(r, "days")), 4);
	assert_int_equal(json_integer_value(json_object_get(r, "weight")), 20);
	assert_int_equal(json_integer_value(json_object_get(r, "cost")), 80);
	assert_int_equal(json_array_size(json_object_get(r, "items")), 4);
	assert_null(json_object_get(r, "gap_min"));  /* only the fields its code fills */
	json_decref(root);
	free(json);
	free(text);
	coplan_explanation_free(e);

	/* no date asked: "date" is null */
	assert_int_equal(coplan_schedule_explain_ex(&e, plan, "JP-01", COPLAN_DATE_NONE), 0);
	assert_int_equal(coplan_explanations_format_json(&json, e, 1), 0);
	root = json_loads(json, 0, &err);
	assert_non_null(root);
	assert_true(json_is_array(root));
	assert_true(json_is_null(json_object_get(json_array_get(root, 0), "date")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(root, 0), "outcome")), "placed");
	json_decref(root);
	free(json);
	coplan_explanation_free(e);
	coplan_plan_free(plan);
}

/* suggest_ex explains exactly the starts coplan_schedule_suggest() finds. */
static void test_suggest_ex(void **state)
{
	coplan_plan *plan = test_plan_new();
	coplan_activity *a = test_plan_add(plan, "IT-06", "ITA", 2, COPLAN_DAYS_WORKING);
	coplan_explanation *v = NULL;
	coplan_date starts[5];
	size_t n = 0, m = 0;

	(void)state;
	a->earliest = D(2024, 6, 1);
	a->latest = D(2024, 6, 30);
	a->requested_from = D(2024, 6, 10);
	a->requested_to = D(2024, 6, 14);
	schedule(plan);
	assert_int_equal(coplan_schedule_suggest(starts, &n, 5, plan, "IT-06"), 0);
	assert_int_equal(n, 5);
	assert_int_equal(coplan_schedule_suggest_ex(&v, &m, 5, plan, "IT-06"), 0);
	assert_int_equal(m, n);
	for (size_t k = 0; k < m; k++) {
		assert_int_equal(v[k].outcome, COPLAN_EXPLAIN_CAN_START);
		assert_int_equal(v[k].date, starts[k]);
		assert_int_equal(v[k].from, starts[k]);
		assert_true(v[k].to > v[k].from);
		assert_true(k == 0 || v[k].soft_cost >= v[k - 1].soft_cost);
	}
	coplan_explanations_free(v, m);
	assert_int_equal(coplan_schedule_suggest_ex(&v, &m, 5, plan, "XX-01"), COPLAN_ENOTFOUND);
	assert_null(v);
	assert_int_equal(m, 0);
	coplan_plan_free(plan);
}

/*
 * On generated plans, every unplaced activity's stored reason (but a lost
 * pin's) is the text of the structured reason explain_ex gives for it.
 */
static void test_unplaced_reason_is_structured(void **state)
{
	size_t unplaced = 0;

	(void)state;
	for (unsigned long seed = 1; seed <= 4; seed++) {
		plan_gen_params p = plan_gen_defaults(seed, 60, 6, 3);
		coplan_plan *plan = NULL;

		p.tight = 0.3;
		p.pinned = 0.05;
		p.precedences = 0.3;
		p.blackouts = 1.5;
		assert_int_equal(plan_gen(&plan, &p), 0);
		schedule(plan);
		for (size_t i = 0; i < plan->n_activities; i++) {
			const coplan_activity *a = &plan->activities[i];
			coplan_explanation *e = NULL;
			char *text = NULL;

			/* a pin the scheduler could not keep is gone with the start: see schedule.h */
			if (a->start != COPLAN_DATE_NONE || a->status == COPLAN_STATUS_CANCELLED || a->pinned)
				continue;
			unplaced++;
			assert_int_equal(coplan_schedule_explain_ex(&e, plan, a->ref, COPLAN_DATE_NONE), 0);
			assert_int_equal(e->outcome, COPLAN_EXPLAIN_UNPLACED);
			assert_int_equal(e->n_reasons, 1);
			assert_string_not_equal(coplan_reason_code_name(e->reasons[0].code), "unknown");
			assert_int_equal(coplan_reasons_format_text(&text, e->reasons, 1, a->ref), 0);
			assert_string_equal(text, a->unplaced_reason);
			free(text);
			coplan_explanation_free(e);
		}
		coplan_plan_free(plan);
	}
	assert_true(unplaced > 0);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(coplan_reason_code_name(COPLAN_REASON_WINDOW), "window");
	assert_string_equal(coplan_reason_code_name(COPLAN_REASON_UNIT_BUSY), "unit_busy");
	assert_string_equal(coplan_reason_code_name(COPLAN_REASON_SPREAD), "spread");
	assert_string_equal(coplan_reason_code_name((coplan_reason_code)999), "unknown");
	assert_string_equal(coplan_reason_code_name((coplan_reason_code)0), "unknown");
	assert_string_equal(coplan_explain_outcome_name(COPLAN_EXPLAIN_PLACED_AGAINST), "placed_against");
	for (int c = COPLAN_REASON_WINDOW; c <= COPLAN_REASON_SPREAD; c++)
		assert_string_not_equal(coplan_reason_code_name((coplan_reason_code)c), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_holiday_duration_and_cost),
		cmocka_unit_test(test_unit_precedence_window),
		cmocka_unit_test(test_unplaced_blackouts),
		cmocka_unit_test(test_fixed_and_cancelled),
		cmocka_unit_test(test_conflicts),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_suggest_ex),
		cmocka_unit_test(test_unplaced_reason_is_structured),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

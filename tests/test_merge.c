/* SPDX-License-Identifier: Apache-2.0 */
/* test_merge.c - the three-way merge of two offices' plans: its properties, on hand-made and random edits. */
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
#include "coplan/exchange.h"
#include "coplan/import.h"
#include "coplan/model.h"
#include "test_plan.h"

/* The base: eight activities, a blackout, a precedence, as canonical JSON (a json_t, the caller's). */
static json_t *base_plan(void)
{
	coplan_plan *plan = test_plan_new();
	char ref[8], *text = NULL;
	size_t len = 0;
	json_error_t err;
	json_t *j;

	for (int i = 0; i < 8; i++) {
		snprintf(ref, sizeof(ref), "A-%02d", i);
		test_plan_add(plan, ref, i % 2 ? "JPN" : "ITA", 2 + i, COPLAN_DAYS_CALENDAR);
	}
	assert_int_equal(coplan_plan_add_blackout(plan, "JPN", coplan_date_from_ymd(2024, 4, 29),
	                                          coplan_date_from_ymd(2024, 5, 6), 1, "Golden Week"), 0);
	assert_int_equal(coplan_plan_add_precedence(plan, "A-00", "A-01", 0, -1), 0);
	assert_int_equal(coplan_uuid_v4(plan->uuid), 0);
	for (size_t i = 0; i < plan->n_activities; i++)
		assert_int_equal(coplan_uuid_v4(plan->activities[i].uuid), 0);
	assert_int_equal(coplan_plan_canonical_json(&text, &len, plan), 0);
	coplan_plan_free(plan);
	assert_non_null(j = json_loads(text, 0, &err));
	free(text);
	return j;
}

static char *text_of(const json_t *j)
{
	char *t = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);

	assert_non_null(t);
	return t;
}

static json_t *activity(json_t *plan, const char *ref)
{
	size_t i;
	json_t *a;

	json_array_foreach(json_object_get(plan, "activities"), i, a)
		if (!strcmp(json_string_value(json_object_get(a, "ref")), ref))
			return a;
	return NULL;
}

static void set_field(json_t *plan, const char *ref, const char *field, json_t *value)
{
	json_t *a = activity(plan, ref);

	assert_non_null(a);
	assert_int_equal(json_object_set_new(a, field, value), 0);
}

static void delete_activity(json_t *plan, const char *ref)
{
	json_t *arr = json_object_get(plan, "activities");

	for (size_t i = 0; i < json_array_size(arr); i++)
		if (!strcmp(json_string_value(json_object_get(json_array_get(arr, i), "ref")), ref)) {
			json_array_remove(arr, i);
			return;
		}
	fail_msg("no activity %s to delete", ref);
}

static void add_activity(json_t *plan, const char *ref, const char *title)
{
	json_t *a = json_deep_copy(json_array_get(json_object_get(plan, "activities"), 0));

	json_object_del(a, "uuid");
	json_object_set_new(a, "ref", json_string(ref));
	json_object_set_new(a, "title", json_string(title));
	json_object_set_new(a, "sequence", json_integer(0));
	json_array_append_new(json_object_get(plan, "activities"), a);
}

/* merge(base, ours, theirs) with resolutions; asserts it succeeds; *out may stay NULL (open conflicts). */
static void merge(char **out, coplan_merge_conflict **c, size_t *n, size_t *open, const json_t *b, const json_t *o,
                  const json_t *t, const coplan_merge_conflict *given, size_t n_given)
{
	char *bt = b ? text_of(b) : NULL, *ot = text_of(o), *tt = text_of(t);

	assert_int_equal(coplan_plan_merge(out, c, n, open, bt, ot, tt, given, n_given), 0);
	free(bt);
	free(ot);
	free(tt);
}

/* The merged text is a plan coplan reads. */
static void assert_plan(const char *text)
{
	coplan_plan *plan = NULL;

	assert_non_null(text);
	if (coplan_import_plan_json_buffer(&plan, "merged", text, strlen(text)))
		fail_msg("the merge is no plan: %s", coplan_error_last());
	coplan_plan_free(plan);
}

static void test_unchanged_side_gives_the_other(void **state)
{
	json_t *b = base_plan(), *t = json_deep_copy(b);
	char *out = NULL, *tt;
	size_t n = 0, open = 0;

	(void)state;
	set_field(t, "A-03", "title", json_string("changed by JPN"));
	delete_activity(t, "A-05");
	add_activity(t, "B-01", "added by JPN");
	tt = text_of(t);
	merge(&out, NULL, &n, &open, b, b, t, NULL, 0);
	assert_int_equal(open, 0);
	assert_string_equal(out, tt);
	free(out);
	merge(&out, NULL, &n, &open, b, t, b, NULL, 0);
	assert_string_equal(out, tt);
	free(out);
	free(tt);
	json_decref(b);
	json_decref(t);
}

static void test_disjoint_edits_merge(void **state)
{
	json_t *b = base_plan(), *o = json_deep_copy(b), *t = json_deep_copy(b), *m;
	char *out = NULL;
	size_t n = 9, open = 9;
	json_error_t err;

	(void)state;
	set_field(o, "A-01", "title", json_string("ours"));
	set_field(o, "A-02", "duration", json_integer(9));
	set_field(t, "A-01", "location", json_string("Tokyo"));
	set_field(t, "A-04", "title", json_string("theirs"));
	delete_activity(t, "A-07");
	add_activity(o, "B-02", "added by ITA");
	add_activity(t, "B-01", "added by JPN");
	json_array_append_new(json_object_get(t, "blackouts"),
	                      json_pack("{s:s, s:s, s:s, s:b, s:s}", "scope", "ITA", "from", "2024-08-10",
	                                "to", "2024-08-20", "hard", 0, "reason", "Ferragosto"));
	merge(&out, NULL, &n, &open, b, o, t, NULL, 0);
	assert_int_equal(n, 0);
	assert_int_equal(open, 0);
	assert_plan(out);
	assert_non_null(m = json_loads(out, 0, &err));
	assert_string_equal(json_string_value(json_object_get(activity(m, "A-01"), "title")), "ours");
	assert_string_equal(json_string_value(json_object_get(activity(m, "A-01"), "location")), "Tokyo");
	assert_int_equal(json_integer_value(json_object_get(activity(m, "A-02"), "duration")), 9);
	assert_string_equal(json_string_value(json_object_get(activity(m, "A-04"), "title")), "theirs");
	assert_null(activity(m, "A-07"));
	assert_non_null(activity(m, "B-01"));
	assert_non_null(activity(m, "B-02"));
	assert_int_equal(json_array_size(json_object_get(m, "blackouts")), 2);
	/* A-01 changed on both sides: its sequence above both */
	assert_int_equal(json_integer_value(json_object_get(activity(m, "A-01"), "sequence")), 1);
	free(out);
	json_decref(m);
	json_decref(b);
	json_decref(o);
	json_decref(t);
}

static void test_one_field_changed_differently(void **state)
{
	json_t *b = base_plan(), *o = json_deep_copy(b), *t = json_deep_copy(b);
	coplan_merge_conflict *c = NULL, take = { .ref = "A-03", .field = "title", .choice = COPLAN_MERGE_VALUE,
	                                          .value = "\"agreed\"" };
	char *out = NULL;
	size_t n = 0, open = 0;

	(void)state;
	set_field(o, "A-03", "title", json_string("ITA's"));
	set_field(t, "A-03", "title", json_string("JPN's"));
	set_field(t, "A-03", "location", json_string("Yokosuka"));
	merge(&out, &c, &n, &open, b, o, t, NULL, 0);
	assert_null(out);
	assert_int_equal(n, 1);
	assert_int_equal(open, 1);
	assert_string_equal(c[0].ref, "A-03");
	assert_string_equal(c[0].field, "title");
	assert_string_equal(c[0].base, "\"A-03\"");
	assert_string_equal(c[0].ours, "\"ITA's\"");
	assert_string_equal(c[0].theirs, "\"JPN's\"");
	coplan_merge_conflicts_free(c, n);
	merge(&out, &c, &n, &open, b, o, t, &take, 1);
	assert_int_equal(open, 0);
	assert_int_equal(c[0].choice, COPLAN_MERGE_VALUE);
	assert_non_null(strstr(out, "\"title\":\"agreed\""));
	assert_non_null(strstr(out, "\"Yokosuka\""));
	assert_plan(out);
	coplan_merge_conflicts_free(c, n);
	free(out);
	json_decref(b);
	json_decref(o);
	json_decref(t);
}

static void test_add_add_and_delete_edit(void **state)
{
	json_t *b = base_plan(), *o = json_deep_copy(b), *t = json_deep_copy(b);
	coplan_merge_conflict *c = NULL;
	coplan_merge_conflict given[2] = {
		{ .ref = "A-06", .field = "*", .choice = COPLAN_MERGE_THEIRS },
		{ .ref = "B-09", .field = "*", .choice = COPLAN_MERGE_OURS },
	};
	char *out = NULL;
	size_t n = 0, open = 0;

	(void)state;
	add_activity(o, "B-09", "ITA's new one");
	add_activity(t, "B-09", "JPN's new one");
	delete_activity(o, "A-06");
	set_field(t, "A-06", "title", json_string("edited by JPN"));
	merge(&out, &c, &n, &open, b, o, t, NULL, 0);
	assert_int_equal(n, 2);
	assert_int_equal(open, 2);
	assert_string_equal(c[0].ref, "A-06");
	assert_string_equal(c[0].field, "*");
	assert_null(c[0].ours);               /* deleted on our side */
	assert_string_equal(c[1].ref, "B-09");
	assert_null(c[1].base);               /* added on both */
	coplan_merge_conflicts_free(c, n);
	merge(&out, &c, &n, &open, b, o, t, given, 2);
	assert_int_equal(open, 0);
	assert_non_null(strstr(out, "edited by JPN"));
	assert_non_null(strstr(out, "ITA's new one"));
	assert_null(strstr(out, "JPN's new one"));
	assert_plan(out);
	coplan_merge_conflicts_free(c, n);
	free(out);
	json_decref(b);
	json_decref(o);
	json_decref(t);
}

/* One random edit of plan (seeded): a title, a duration, a location, a deletion, an addition, a blackout. */
static void random_edit(json_t *plan, unsigned *seed)
{
	static const char *const titles[] = { "visit", "course", "seminar" };
	json_t *arr = json_object_get(plan, "activities");
	size_t n = json_array_size(arr);
	int what = (int)(rand_r(seed) % 6);
	char ref[8];
	const char *r;

	if (!n)
		what = 4;
	r = n ? json_string_value(json_object_get(json_array_get(arr, (size_t)rand_r(seed) % n), "ref")) : NULL;
	switch (what) {
	case 0:
		set_field(plan, r, "title", json_string(titles[rand_r(seed) % 3]));
		break;
	case 1:
		set_field(plan, r, "duration", json_integer(1 + rand_r(seed) % 3));
		break;
	case 2:
		set_field(plan, r, "location", json_string(titles[rand_r(seed) % 3]));
		break;
	case 3:
		if (strcmp(r, "A-00") && strcmp(r, "A-01"))   /* the precedence's ends stay */
			delete_activity(plan, r);
		break;
	case 4:
		snprintf(ref, sizeof(ref), "C-%02u", rand_r(seed) % 4);
		if (!activity(plan, ref))
			add_activity(plan, ref, titles[rand_r(seed) % 3]);
		break;
	default:
		json_array_append_new(json_object_get(plan, "blackouts"),
		                      json_pack("{s:s, s:s, s:s, s:b, s:s}", "scope", "ITA", "from", "2024-08-10",
		                                "to", "2024-08-20", "hard", 0, "reason", titles[rand_r(seed) % 3]));
	}
}

/* The conflicts of (base, a, b) and (base, b, a) name the same places, sides swapped; resolving to the same side gives the same plan. */
static void test_symmetric_up_to_sides(void **state)
{
	size_t total = 0;

	(void)state;
	for (unsigned run = 0; run < 300; run++) {
		unsigned seed = run * 7919 + 1;
		json_t *b = base_plan(), *x = json_deep_copy(b), *y = json_deep_copy(b);
		coplan_merge_conflict *c1 = NULL, *c2 = NULL, *g1 = NULL, *g2 = NULL;
		char *out1 = NULL, *out2 = NULL;
		size_t n1 = 0, n2 = 0, open1 = 0, open2 = 0;
		int edits = 1 + (int)(rand_r(&seed) % 6);

		for (int e = 0; e < edits; e++) {
			random_edit(x, &seed);
			random_edit(y, &seed);
		}
		merge(&out1, &c1, &n1, &open1, b, x, y, NULL, 0);
		merge(&out2, &c2, &n2, &open2, b, y, x, NULL, 0);
		assert_int_equal(n1, n2);
		total += n1;
		free(out1);
		free(out2);
		out1 = out2 = NULL;
		assert_true(!n1 || ((g1 = calloc(n1, sizeof(*g1))) && (g2 = calloc(n1, sizeof(*g2)))));
		for (size_t i = 0; i < n1; i++) {
			int found = 0;

			for (size_t j = 0; j < n2; j++)
				if (!strcmp(c1[i].ref, c2[j].ref) && !strcmp(c1[i].field, c2[j].field)) {
					found = 1;
					assert_true((!c1[i].ours && !c2[j].theirs) ||
					            (c1[i].ours && c2[j].theirs && !strcmp(c1[i].ours, c2[j].theirs)));
					assert_true((!c1[i].theirs && !c2[j].ours) ||
					            (c1[i].theirs && c2[j].ours && !strcmp(c1[i].theirs, c2[j].ours)));
				}
			assert_true(found);
			/* x's side in both: ours in the first, theirs in the second */
			g1[i] = (coplan_merge_conflict){ .ref = c1[i].ref, .field = c1[i].field, .choice = COPLAN_MERGE_OURS };
			g2[i] = (coplan_merge_conflict){ .ref = c1[i].ref, .field = c1[i].field, .choice = COPLAN_MERGE_THEIRS };
		}
		merge(&out1, NULL, NULL, &open1, b, x, y, g1, n1);
		merge(&out2, NULL, NULL, &open2, b, y, x, g2, n1);
		assert_int_equal(open1, 0);
		assert_int_equal(open2, 0);
		if (strcmp(out1, out2))
			fail_msg("run %u: merge(base, x, y) and merge(base, y, x) differ", run);
		assert_plan(out1);
		free(g1);
		free(g2);
		free(out1);
		free(out2);
		coplan_merge_conflicts_free(c1, n1);
		coplan_merge_conflicts_free(c2, n2);
		json_decref(b);
		json_decref(x);
		json_decref(y);
	}
	assert_true(total > 50);   /* the random edits do meet: the property was tested on conflicts */
}

static void test_no_base_conflicts_on_every_difference(void **state)
{
	json_t *b = base_plan(), *o = json_deep_copy(b), *t = json_deep_copy(b);
	coplan_merge_conflict *c = NULL;
	char *out = NULL;
	size_t n = 0, open = 0;

	(void)state;
	set_field(t, "A-02", "title", json_string("JPN"));
	merge(&out, &c, &n, &open, NULL, o, t, NULL, 0);
	assert_int_equal(n, 1);
	assert_string_equal(c[0].ref, "A-02");
	assert_string_equal(c[0].field, "*");
	coplan_merge_conflicts_free(c, n);
	assert_int_equal(coplan_plan_merge(&out, NULL, NULL, NULL, NULL, "not json", "{}", NULL, 0), COPLAN_EINVALID);
	assert_null(out);
	json_decref(b);
	json_decref(o);
	json_decref(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unchanged_side_gives_the_other),
		cmocka_unit_test(test_disjoint_edits_merge),
		cmocka_unit_test(test_one_field_changed_differently),
		cmocka_unit_test(test_add_add_and_delete_edit),
		cmocka_unit_test(test_symmetric_up_to_sides),
		cmocka_unit_test(test_no_base_conflicts_on_every_difference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* test_identity.c - stable identities (UUIDs) through store, export and import; the canonical JSON and its SHA-256. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "coplan/coplan.h"
#include "test_util.h"

static char db_a[512], db_b[512];

static int setup(void **state)
{
	(void)state;
	snprintf(db_a, sizeof(db_a), "%s/test_identity_a_%ld.db", COPLAN_TEST_TMP, (long)getpid());
	snprintf(db_b, sizeof(db_b), "%s/test_identity_b_%ld.db", COPLAN_TEST_TMP, (long)getpid());
	test_remove_db(db_a);
	test_remove_db(db_b);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_remove_db(db_a);
	test_remove_db(db_b);
	return 0;
}

static coplan_plan *small_plan(const char *title)
{
	coplan_plan *plan;
	coplan_activity *a;

	assert_int_equal(coplan_plan_new(&plan), 0);
	plan->title = strdup(title);
	plan->year = 2024;
	plan->window_from = coplan_date_from_ymd(2024, 1, 15);
	plan->window_to = coplan_date_from_ymd(2024, 12, 31);
	coplan_plan_add_nation(plan, "ITA");
	coplan_plan_add_nation(plan, "JPN");
	for (int i = 0; i < 2; i++) {
		assert_int_equal(coplan_plan_add_activity(plan, &a), 0);
		a->ref = strdup(i ? "JP-01" : "IT-01");
		a->title = strdup(i ? "Port call" : "Staff course");
		memcpy(a->host, i ? "JPN" : "ITA", 4);
		coplan_activity_add_participant(a, "ITA");
		coplan_activity_add_participant(a, "JPN");
		a->duration = 3;
		a->earliest = coplan_date_from_ymd(2024, 3, 1);
		a->latest = coplan_date_from_ymd(2024, 6, 30);
	}
	return plan;
}

static void test_uuid_v4(void **state)
{
	char seen[64][COPLAN_UUID_LEN];

	(void)state;
	for (int i = 0; i < 64; i++) {
		assert_int_equal(coplan_uuid_v4(seen[i]), 0);
		assert_true(coplan_uuid_valid(seen[i]));
		assert_int_equal(seen[i][14], '4');
		assert_non_null(strchr("89ab", seen[i][19]));
		for (int k = 0; k < i; k++)
			assert_string_not_equal(seen[i], seen[k]);
	}
	assert_false(coplan_uuid_valid("f36662f4-edbd-4cc0-81b8-dbf6b974c03"));
	assert_false(coplan_uuid_valid("f36662f4-edbd-4cc0-81b8-dbf6b974c0321"));
	assert_false(coplan_uuid_valid("f36662f4+edbd-4cc0-81b8-dbf6b974c032"));
	assert_false(coplan_uuid_valid("g36662f4-edbd-4cc0-81b8-dbf6b974c032"));
	assert_true(coplan_uuid_valid("F36662F4-EDBD-4CC0-81B8-DBF6B974C032"));
	assert_false(coplan_uuid_valid(NULL));
}

/* Identities are given by the store, kept by updates, carried by the JSON to another database. */
static void test_identities_survive(void **state)
{
	coplan_store *a = NULL, *b = NULL;
	coplan_plan *plan = small_plan("Cooperation Plan 2024"), *stored = NULL, *again = NULL, *copy = NULL;
	char *json = NULL, it01[COPLAN_UUID_LEN];
	size_t len;
	long id;

	(void)state;
	assert_int_equal(coplan_store_open(&a, db_a), 0);
	assert_int_equal(coplan_store_insert_plan(a, plan, &id), 0);
	assert_int_equal(coplan_store_load_plan(a, id, &stored, NULL), 0);
	assert_true(coplan_uuid_valid(stored->uuid));
	assert_true(coplan_uuid_valid(stored->activities[0].uuid));
	assert_string_not_equal(stored->activities[0].uuid, stored->activities[1].uuid);
	memcpy(it01, stored->activities[0].uuid, sizeof(it01));
	/* an edited activity (as a re-imported sheet brings it, without identity) keeps its identity */
	free(plan->activities[0].title);
	plan->activities[0].title = strdup("Staff course, revised");
	assert_int_equal(coplan_store_update_plan(a, id, plan), 0);
	assert_int_equal(coplan_store_load_plan(a, id, &again, NULL), 0);
	assert_string_equal(again->activities[0].uuid, it01);
	assert_string_equal(again->uuid, stored->uuid);
	/* exported and read into another database: the same identities */
	assert_int_equal(coplan_export(&json, &len, again, COPLAN_FORMAT_JSON, NULL), 0);
	assert_non_null(strstr(json, it01));
	assert_int_equal(coplan_import_plan_json_buffer(&copy, "a.json", json, len), 0);
	assert_string_equal(copy->uuid, again->uuid);
	assert_int_equal(coplan_store_open(&b, db_b), 0);
	assert_int_equal(coplan_store_insert_plan(b, copy, NULL), 0);
	coplan_plan_free(copy);
	copy = NULL;
	assert_int_equal(coplan_store_load_plan(b, 0, &copy, NULL), 0);
	assert_string_equal(copy->uuid, again->uuid);
	assert_string_equal(copy->activities[0].uuid, it01);
	/* the same plan twice in one database is refused, naming the identity */
	free(copy->title);
	copy->title = strdup("Cooperation Plan 2024 (copy)");
	assert_int_equal(coplan_store_insert_plan(b, copy, NULL), COPLAN_EEXISTS);
	assert_non_null(strstr(coplan_error_last(), again->uuid));
	free(json);
	coplan_plan_free(copy);
	coplan_plan_free(again);
	coplan_plan_free(stored);
	coplan_plan_free(plan);
	coplan_store_close(a);
	coplan_store_close(b);
}

/* A precedence's kind is stored and read back (schema 6). */
static void test_precedence_kind_stored(void **state)
{
	coplan_plan *plan = small_plan("Cooperation Plan 2024"), *back = NULL;
	coplan_store *st = NULL;

	(void)state;
	assert_int_equal(coplan_plan_add_precedence_kind(plan, "IT-01", "JP-01", 7, -1,
	                                                 COPLAN_PRECEDENCE_AFTER), 0);
	assert_int_equal(coplan_store_open(&st, db_a), 0);
	assert_int_equal(coplan_store_insert_plan(st, plan, NULL), 0);
	assert_int_equal(coplan_store_load_plan(st, 0, &back, NULL), 0);
	assert_int_equal(back->n_precedences, 1);
	assert_int_equal(back->precedences[0].kind, COPLAN_PRECEDENCE_AFTER);
	assert_int_equal(back->precedences[0].min_gap, 7);
	/* and an update that makes it 'requires' is kept as such */
	back->precedences[0].kind = COPLAN_PRECEDENCE_REQUIRES;
	assert_int_equal(coplan_store_update_plan(st, 0, back), 0);
	coplan_plan_free(back);
	back = NULL;
	assert_int_equal(coplan_store_load_plan(st, 0, &back, NULL), 0);
	assert_int_equal(back->precedences[0].kind, COPLAN_PRECEDENCE_REQUIRES);
	coplan_plan_free(back);
	coplan_plan_free(plan);
	coplan_store_close(st);
}

static void test_bad_uuid_refused(void **state)
{
	static const char doc[] =
		"{\"format\": \"coplan-plan\", \"version\": 1,\n"
		" \"plan\": {\"uuid\": \"not-a-uuid\", \"title\": \"P\", \"year\": 2024}}\n";
	coplan_plan *plan = NULL;

	(void)state;
	assert_int_equal(coplan_import_plan_json_buffer(&plan, "bad.json", doc, sizeof(doc) - 1),
	                 COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "bad.json"));
	assert_non_null(strstr(coplan_error_last(), "not a UUID"));
	assert_null(plan);
}

static void test_canonical_json(void **state)
{
	coplan_plan *plan = small_plan("Cooperation Plan 2024");
	coplan_plan *composed = small_plan("Caf\xC3\xA9 talks"), *decomposed = small_plan("Cafe\xCC\x81 talks");
	char *text = NULL, h1[65], h2[65], h3[65];
	size_t len = 0;

	(void)state;
	memcpy(plan->uuid, "0f0e0d0c-0b0a-4908-8706-050403020100", COPLAN_UUID_LEN);
	assert_int_equal(coplan_plan_canonical_json(&text, &len, plan), 0);
	assert_int_equal(strlen(text), len);
	/* compact, keys sorted: the document starts with its sorted top-level keys */
	assert_non_null(strstr(text, "{\"activities\":[{\"day_mode\":\"working\",\"duration\":3,"));
	assert_non_null(strstr(text, "\"plan\":{\"nations\":[\"ITA\",\"JPN\"],\"title\":\"Cooperation Plan 2024\","
	                             "\"uuid\":\"0f0e0d0c-0b0a-4908-8706-050403020100\","));
	assert_null(strstr(text, ": "));
	assert_null(strstr(text, "\n"));
	free(text);
	/* NFC: the same words typed composed or decomposed have one digest */
	assert_int_equal(coplan_plan_digest(h1, composed), 0);
	assert_int_equal(coplan_plan_digest(h2, decomposed), 0);
	assert_string_equal(h1, h2);
	assert_int_equal(strlen(h1), 64);
	/* and a change of content changes it */
	decomposed->activities[1].duration = 4;
	assert_int_equal(coplan_plan_digest(h3, decomposed), 0);
	assert_string_not_equal(h1, h3);
	coplan_plan_free(plan);
	coplan_plan_free(composed);
	coplan_plan_free(decomposed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uuid_v4),
		cmocka_unit_test_setup_teardown(test_identities_survive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_precedence_kind_stored, setup, teardown),
		cmocka_unit_test(test_bad_uuid_refused),
		cmocka_unit_test(test_canonical_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

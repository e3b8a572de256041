/* SPDX-License-Identifier: Apache-2.0 */
/* test_store.c - the store on SQLite or PostgreSQL (COPLAN_TEST_DB): round trip, sequences, transactions, refusal of foreign databases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "coplan/coplan.h"
#include "test_db.h"
#include "test_util.h"

static char db_path[512];

static int setup(void **state)
{
	(void)state;
	test_db_fresh(db_path, sizeof(db_path), "test_store");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_remove_db(db_path);
	return 0;
}

static coplan_plan *sample_plan(void)
{
	coplan_plan *plan;
	coplan_activity *a;

	assert_int_equal(coplan_plan_new(&plan), 0);
	plan->title = strdup("Cooperation Plan 2024");
	plan->year = 2024;
	plan->window_from = coplan_date_from_ymd(2024, 1, 15);
	plan->window_to = coplan_date_from_ymd(2024, 12, 31);
	coplan_plan_add_nation(plan, "ITA");
	coplan_plan_add_nation(plan, "JPN");
	plan->has_talks = 1;
	plan->talks.series = strdup("ITA-JPN");
	plan->talks.edition = 8;
	plan->talks.start = coplan_date_from_ymd(2024, 1, 10);
	plan->talks.end = coplan_date_from_ymd(2024, 1, 11);
	plan->talks.venue = strdup("Rome");
	plan->talks.delegations = calloc(2, sizeof(coplan_delegation));
	plan->talks.n_delegations = 2;
	memcpy(plan->talks.delegations[0].nation, "ITA", 4);
	plan->talks.delegations[0].head_name = strdup("Brig. Gen. Alessandro Grassano");
	memcpy(plan->talks.delegations[1].nation, "JPN", 4);
	plan->talks.delegations[1].head_name = strdup("Mr Jun Miura");
	plan->talks.delegations[1].head_name_native = strdup("三浦");
	plan->talks.delegations[0].head_rank = strdup("Brigadier General");
	{
		coplan_person m = { "Lt Col", "Marco Bianchi", NULL, "Asia-Pacific desk", "Italian Defence General Staff" };
		coplan_person k = { NULL, "Kenji Sato", "佐藤 健二", "Deputy Director", "Ministry of Defense of Japan" };
		/* the delegations array was calloc'd by hand above: members go through the API */
		assert_int_equal(coplan_delegation_add_member(&plan->talks.delegations[0], &m), 0);
		assert_int_equal(coplan_delegation_add_member(&plan->talks.delegations[1], &k), 0);
	}
	assert_int_equal(coplan_talks_add_agenda_item(&plan->talks, "Review of the Cooperation Plan 2023"), 0);
	assert_int_equal(coplan_talks_add_agenda_item(&plan->talks, "Cooperation Plan 2024"), 0);
	assert_int_equal(coplan_talks_add_area(&plan->talks, "GCAP"), 0);
	{
		coplan_talks_session ss = { "Opening plenary", coplan_date_from_ymd(2024, 1, 10), 570, 750,
		                            "Europe/Rome", NULL };
		assert_int_equal(coplan_talks_add_session(&plan->talks, &ss), 0);
	}

	assert_int_equal(coplan_plan_add_activity(plan, &a), 0);
	a->ref = strdup("JP-05");
	a->title = strdup("Planning conference");
	memcpy(a->host, "JPN", 4);
	a->duration = 3;
	coplan_activity_add_participant(a, "ITA");
	coplan_activity_add_participant(a, "JPN");
	coplan_activity_add_unit(a, "JMSDF Yokosuka District");
	a->requested_from = coplan_date_from_ymd(2024, 4, 1);
	a->requested_to = coplan_date_from_ymd(2024, 4, 30);

	assert_int_equal(coplan_plan_add_activity(plan, &a), 0);
	a->ref = strdup("JP-01");
	a->title = strdup("Carrier Strike Group port visit (ITS Cavour) — 横須賀");
	memcpy(a->host, "JPN", 4);
	a->duration = 4;
	a->day_mode = COPLAN_DAYS_CALENDAR;
	a->earliest = coplan_date_from_ymd(2024, 8, 1);
	a->latest = coplan_date_from_ymd(2024, 9, 15);
	coplan_activity_add_unit(a, "ITS Cavour Carrier Strike Group");
	coplan_activity_add_unit(a, "JMSDF Yokosuka District");
	a->location = strdup("Yokosuka");

	assert_int_equal(coplan_plan_set_weekend(plan, "JPN", COPLAN_WEEKDAY_BIT(7)), 0);
	assert_int_equal(coplan_plan_set_weekend(plan, "ISR", 0), 0);
	assert_int_equal(coplan_plan_add_precedence(plan, "JP-05", "JP-01", 45, -1), 0);
	assert_int_equal(coplan_plan_add_blackout(plan, "JPN", coplan_date_from_ymd(2024, 4, 27),
	                                          coplan_date_from_ymd(2024, 5, 6), 0, "Golden Week"), 0);
	return plan;
}

static void assert_same_plan(const coplan_plan *a, const coplan_plan *b)
{
	assert_string_equal(a->title, b->title);
	assert_int_equal(a->year, b->year);
	assert_int_equal(a->window_from, b->window_from);
	assert_int_equal(a->n_nations, b->n_nations);
	assert_int_equal(a->has_talks, b->has_talks);
	assert_string_equal(a->talks.series, b->talks.series);
	assert_int_equal(a->talks.n_delegations, b->talks.n_delegations);
	assert_string_equal(a->talks.delegations[1].head_name_native, b->talks.delegations[1].head_name_native);
	assert_string_equal(a->talks.delegations[0].head_rank, b->talks.delegations[0].head_rank);
	assert_int_equal(b->talks.delegations[0].n_members, 1);
	assert_string_equal(b->talks.delegations[0].members[0].rank, "Lt Col");
	assert_null(b->talks.delegations[1].members[0].rank);
	assert_string_equal(b->talks.delegations[1].members[0].name_native, "佐藤 健二");
	assert_int_equal(b->talks.n_agenda, 2);
	assert_string_equal(b->talks.agenda[1], "Cooperation Plan 2024");
	assert_int_equal(b->talks.n_areas, 1);
	assert_int_equal(b->talks.n_sessions, 1);
	assert_string_equal(b->talks.sessions[0].zone, "Europe/Rome");
	assert_int_equal(b->talks.sessions[0].start_minute, 570);
	assert_int_equal(b->talks.sessions[0].end_minute, 750);
	assert_null(b->talks.sessions[0].location);
	assert_int_equal(a->n_activities, b->n_activities);
	for (size_t i = 0; i < a->n_activities; i++) {
		const coplan_activity *x = &a->activities[i], *y = &b->activities[i];

		assert_string_equal(x->ref, y->ref);
		assert_string_equal(x->title, y->title);
		assert_string_equal(x->host, y->host);
		assert_int_equal(x->duration, y->duration);
		assert_int_equal(x->day_mode, y->day_mode);
		assert_int_equal(x->earliest, y->earliest);
		assert_int_equal(x->latest, y->latest);
		assert_int_equal(x->requested_from, y->requested_from);
		assert_int_equal(x->start, y->start);
		assert_int_equal(x->end, y->end);
		assert_int_equal(x->n_participants, y->n_participants);
		assert_int_equal(x->n_units, y->n_units);
		for (size_t u = 0; u < x->n_units; u++)
			assert_string_equal(x->units[u], y->units[u]);
	}
	assert_int_equal(a->n_precedences, b->n_precedences);
	assert_string_equal(a->precedences[0].before, b->precedences[0].before);
	assert_int_equal(a->precedences[0].min_gap, b->precedences[0].min_gap);
	assert_int_equal(a->n_blackouts, b->n_blackouts);
	assert_string_equal(a->blackouts[0].reason, b->blackouts[0].reason);
	assert_int_equal(a->n_weekends, b->n_weekends);
	for (size_t i = 0; i < a->n_weekends; i++) {
		unsigned days = 99;

		assert_int_equal(coplan_plan_weekend_of(&days, b, a->weekends[i].nation), 0);
		assert_int_equal(days, a->weekends[i].days);
	}
}

static void test_round_trip(void **state)
{
	coplan_store *st;
	coplan_plan *plan = sample_plan(), *back;
	long id, id2;

	(void)state;
	assert_int_equal(coplan_store_open(&st, db_path), 0);
	assert_int_equal(coplan_store_insert_plan(st, plan, &id), 0);
	assert_int_equal(coplan_store_load_plan(st, 0, &back, &id2), 0);
	assert_int_equal(id, id2);
	assert_same_plan(plan, back);
	coplan_plan_free(back);

	/* the same plan twice is refused, and nothing changes */
	assert_int_equal(coplan_store_insert_plan(st, plan, NULL), COPLAN_EEXISTS);
	assert_non_null(strstr(coplan_error_last(), "exists already"));
	coplan_store_close(st);

	/* reopening keeps everything */
	assert_int_equal(coplan_store_open(&st, db_path), 0);
	assert_int_equal(coplan_store_load_plan(st, id, &back, NULL), 0);
	assert_same_plan(plan, back);
	coplan_plan_free(back);
	assert_int_equal(coplan_store_load_plan(st, id + 1, &back, NULL), COPLAN_ENOTFOUND);
	coplan_store_close(st);
	coplan_plan_free(plan);
}

static void test_update_raises_sequence(void **state)
{
	coplan_store *st;
	coplan_plan *plan = sample_plan(), *back;
	long id;

	(void)state;
	assert_int_equal(coplan_store_open(&st, db_path), 0);
	assert_int_equal(coplan_store_insert_plan(st, plan, &id), 0);
	plan->activities[1].start = coplan_date_from_ymd(2024, 8, 22);
	plan->activities[1].end = coplan_date_from_ymd(2024, 8, 25);
	assert_int_equal(coplan_store_update_plan(st, id, plan), 0);
	assert_int_equal(coplan_store_load_plan(st, id, &back, NULL), 0);
	assert_int_equal(back->activities[0].sequence, 0);   /* unchanged */
	assert_int_equal(back->activities[1].sequence, 1);   /* moved */
	assert_int_equal(back->activities[1].start, coplan_date_from_ymd(2024, 8, 22));
	/* an unchanged update leaves sequences alone */
	assert_int_equal(coplan_store_update_plan(st, id, back), 0);
	coplan_plan_free(back);
	assert_int_equal(coplan_store_load_plan(st, id, &back, NULL), 0);
	assert_int_equal(back->activities[1].sequence, 1);
	coplan_plan_free(back);

	/* an update that fails validation changes nothing */
	plan->activities[0].duration = 0;
	assert_int_equal(coplan_store_update_plan(st, id, plan), COPLAN_EINVALID);
	assert_int_equal(coplan_store_load_plan(st, id, &back, NULL), 0);
	assert_int_equal(back->activities[0].duration, 3);
	coplan_plan_free(back);
	coplan_store_close(st);
	coplan_plan_free(plan);
}

/*
 * An update from a plan as it was loaded, with its seal: written (and only
 * then) while the stored seal is still the one it was loaded with.
 */
static void test_update_from_seal(void **state)
{
	coplan_store *st;
	coplan_plan *plan = sample_plan(), *mine = NULL, *old = NULL, *other = NULL, *back = NULL;
	char seal[65], again[65], hex[65];
	long id;
	size_t blackouts;

	(void)state;
	assert_int_equal(coplan_store_open(&st, db_path), 0);
	assert_int_equal(coplan_store_insert_plan(st, plan, &id), 0);
	assert_int_equal(coplan_store_load_plan_sealed(st, id, &mine, NULL, seal), 0);
	assert_int_equal(coplan_plan_digest(hex, mine), 0);
	assert_string_equal(seal, hex);
	assert_int_equal(coplan_plan_copy(&old, mine), 0);
	free(mine->activities[0].notes);
	mine->activities[0].notes = strdup("mine");

	/* another officer's change in between: refused, nothing of mine written */
	assert_int_equal(coplan_store_load_plan(st, id, &other, NULL), 0);
	other->activities[1].start = coplan_date_from_ymd(2024, 8, 22);
	other->activities[1].end = coplan_date_from_ymd(2024, 8, 25);
	assert_int_equal(coplan_store_update_plan(st, id, other), 0);
	assert_int_equal(coplan_store_update_plan_from(st, id, old, seal, mine), COPLAN_ECONFLICT);
	assert_int_equal(coplan_store_load_plan(st, id, &back, NULL), 0);
	assert_true(back->activities[0].notes == NULL || strcmp(back->activities[0].notes, "mine"));
	assert_int_equal(back->activities[1].start, coplan_date_from_ymd(2024, 8, 22));
	coplan_plan_free(back);
	coplan_plan_free(mine);
	coplan_plan_free(old);

	/* read again: written, with a changed constraint too, and sealed anew */
	assert_int_equal(coplan_store_load_plan_sealed(st, id, &mine, NULL, seal), 0);
	assert_int_equal(coplan_plan_copy(&old, mine), 0);
	free(mine->activities[0].notes);
	mine->activities[0].notes = strdup("mine");
	blackouts = mine->n_blackouts;
	assert_int_equal(coplan_plan_add_blackout(mine, "ITA", coplan_date_from_ymd(2024, 8, 5),
	                                          coplan_date_from_ymd(2024, 8, 9), 1, "closure"), 0);
	assert_int_equal(coplan_store_update_plan_from(st, id, old, seal, mine), 0);
	assert_int_equal(coplan_store_load_plan_sealed(st, id, &back, NULL, again), 0);
	assert_string_equal(back->activities[0].notes, "mine");
	assert_int_equal(back->activities[0].sequence, old->activities[0].sequence + 1);
	assert_int_equal(back->n_blackouts, blackouts + 1);
	assert_int_equal(back->activities[1].start, coplan_date_from_ymd(2024, 8, 22));
	assert_string_not_equal(seal, again);
	coplan_plan_free(back);

	/* an unchanged constraint list is left as it is, and loads the same */
	assert_int_equal(coplan_store_load_plan_sealed(st, id, &back, NULL, seal), 0);
	coplan_plan_free(old);
	assert_int_equal(coplan_plan_copy(&old, back), 0);
	back->activities[1].start = coplan_date_from_ymd(2024, 8, 26);
	back->activities[1].end = coplan_date_from_ymd(2024, 8, 29);
	assert_int_equal(coplan_store_update_plan_from(st, id, old, seal, back), 0);
	coplan_plan_free(back);
	assert_int_equal(coplan_store_load_plan(st, id, &back, NULL), 0);
	assert_int_equal(back->n_blackouts, blackouts + 1);
	assert_int_equal(back->n_precedences, old->n_precedences);
	assert_int_equal(back->activities[1].start, coplan_date_from_ymd(2024, 8, 26));
	coplan_plan_free(back);

	/* a change only to a blackout's label, or only to a budget, is a change of the constraints */
	assert_int_equal(coplan_store_load_plan_sealed(st, id, &back, NULL, seal), 0);
	coplan_plan_free(old);
	assert_int_equal(coplan_plan_copy(&old, back), 0);
	back->blackouts[0].label = strdup("UNCLASSIFIED REL TO ITA");
	assert_int_equal(coplan_plan_set_budget(back, "ITA", 2024, "SMD", "EUR", 100000), 0);
	assert_int_equal(coplan_store_update_plan_from(st, id, old, seal, back), 0);
	coplan_plan_free(back);
	assert_int_equal(coplan_store_load_plan(st, id, &back, NULL), 0);
	assert_non_null(back->blackouts[0].label);
	assert_string_equal(back->blackouts[0].label, "UNCLASSIFIED REL TO ITA");
	assert_int_equal(back->n_budgets, 1);
	coplan_plan_free(back);
	coplan_plan_free(mine);
	coplan_plan_free(old);
	coplan_plan_free(other);
	coplan_store_close(st);
	coplan_plan_free(plan);
}

static void test_refuses_foreign_files(void **state)
{
	coplan_store *st = NULL;
	sqlite3 *db;
	FILE *f;

	(void)state;
	if (test_db_pg()) {
		/* a PostgreSQL database that is not coplan's, then one of a newer coplan */
		assert_int_equal(test_db_exec(db_path, "CREATE TABLE t (x integer)"), 0);
		assert_int_equal(coplan_store_open(&st, db_path), COPLAN_ESTORE);
		assert_non_null(strstr(coplan_error_last(), "not a coplan database"));
		assert_int_equal(test_db_exec(db_path, "DROP TABLE t"), 0);
		/* an empty database is not a coplan database to a command that only reads */
		assert_int_equal(coplan_store_open_existing(&st, db_path), COPLAN_ENOTFOUND);
		assert_int_equal(coplan_store_open(&st, db_path), 0);
		coplan_store_close(st);
		st = NULL;
		assert_int_equal(test_db_exec(db_path, "UPDATE schema_version SET version = 999"), 0);
		assert_int_equal(coplan_store_open(&st, db_path), COPLAN_ESTORE);
		assert_non_null(strstr(coplan_error_last(), "newer"));
		assert_null(st);
		/* a server that is not there */
		assert_int_equal(coplan_store_open(&st, "postgresql:///coplan?host=/nonexistent"), COPLAN_ESTORE);
		assert_non_null(strstr(coplan_error_last(), "cannot connect"));
		return;
	}
	/* an SQLite database that is not coplan's */
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(coplan_store_open(&st, db_path), COPLAN_ESTORE);
	assert_non_null(strstr(coplan_error_last(), "not a coplan database"));
	unlink(db_path);

	/* a database from a newer coplan */
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(coplan_store_open(&st, db_path), COPLAN_ESTORE);
	assert_non_null(strstr(coplan_error_last(), "newer"));
	unlink(db_path);

	/* a text file */
	f = fopen(db_path, "w");
	assert_non_null(f);
	fputs("title,host\nStaff talks,ITA\n", f);
	fclose(f);
	assert_int_equal(coplan_store_open(&st, db_path), COPLAN_ESTORE);
	assert_null(st);
}

static void test_schema_settings(void **state)
{
	coplan_store *st;
	sqlite3 *db;
	sqlite3_stmt *stmt;

	(void)state;
	assert_int_equal(coplan_store_open(&st, db_path), 0);
	coplan_store_close(st);
	if (test_db_pg()) {
		/* the schema version this coplan writes, in its table */
		char sql[128];

		snprintf(sql, sizeof(sql), "SELECT 1/(version = %d)::int FROM schema_version",
		         coplan_store_schema_version());
		assert_int_equal(test_db_exec(db_path, sql), 0);
		return;
	}
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(stmt, 0), coplan_store_schema_version());
	sqlite3_finalize(stmt);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(stmt, 0), "wal");
	sqlite3_finalize(stmt);
	sqlite3_close(db);
}

/* A database written by schema version 1 opens, upgrades and keeps every value. */
static void test_migrates_schema_v1(void **state)
{
	coplan_store *st;
	coplan_plan *plan;
	sqlite3 *db;
	FILE *f;
	char *sql;
	long size;

	(void)state;
	if (test_db_pg())
		skip(); /* the first schemas were SQLite's only: a PostgreSQL database starts at 10 */
	f = fopen(COPLAN_TEST_DATA "/store/schema-v1.sql", "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	sql = calloc(1, (size_t)size + 1);
	assert_int_equal(fread(sql, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	free(sql);

	assert_int_equal(coplan_store_open(&st, db_path), 0);
	assert_int_equal(coplan_store_load_plan(st, 0, &plan, NULL), 0);
	assert_string_equal(plan->title, "Cooperation Plan 2024");
	assert_int_equal(plan->talks.edition, 8);
	assert_string_equal(plan->talks.delegations[0].head_name, "Brig. Gen. Alessandro Grassano");
	assert_int_equal(plan->n_activities, 3);
	assert_string_equal(plan->activities[1].ref, "JP-01");
	assert_int_equal(plan->activities[1].start, coplan_date_from_ymd(2024, 8, 22));
	assert_int_equal(plan->activities[1].end, coplan_date_from_ymd(2024, 8, 25));
	assert_int_equal(plan->activities[1].day_mode, COPLAN_DAYS_CALENDAR);
	assert_int_equal(plan->activities[1].n_units, 2);
	assert_string_equal(plan->activities[1].location, "横須賀 Yokosuka");
	assert_int_equal(plan->activities[1].sequence, 1);
	assert_string_equal(plan->activities[2].unplaced_reason, "no working day in its window");
	assert_int_equal(plan->n_precedences, 1);
	assert_int_equal(plan->precedences[0].min_gap, 45);
	assert_int_equal(plan->n_blackouts, 1);
	/* rows made before identities existed get one each (schema 5), version 4, all different */
	assert_true(coplan_uuid_valid(plan->uuid));
	assert_int_equal(plan->uuid[14], '4');
	for (size_t i = 0; i < plan->n_activities; i++) {
		assert_true(coplan_uuid_valid(plan->activities[i].uuid));
		assert_int_equal(plan->activities[i].uuid[14], '4');
		assert_true(strchr("89ab", plan->activities[i].uuid[19]) != NULL);
		assert_string_not_equal(plan->activities[i].uuid, plan->uuid);
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(plan->activities[i].uuid, plan->activities[k].uuid);
	}
	/* and the new tables work on the upgraded file */
	assert_int_equal(coplan_store_set_status(st, 1, "JP-01", COPLAN_STATUS_EXECUTED, COPLAN_DATE_NONE,
	                                         COPLAN_DATE_NONE, NULL, "tester"), 0);
	coplan_plan_free(plan);
	coplan_store_close(st);
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	{
		sqlite3_stmt *stmt;
		assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(stmt, 0), coplan_store_schema_version());
		sqlite3_finalize(stmt);
	}
	sqlite3_close(db);
}

static void test_status_history(void **state)
{
	coplan_store *st;
	coplan_plan *plan = sample_plan(), *back;
	coplan_activity_event *ev;
	size_t n;
	long id;

	(void)state;
	assert_int_equal(coplan_store_open(&st, db_path), 0);
	assert_int_equal(coplan_store_insert_plan(st, plan, &id), 0);

	/* the rules: a postponement needs dates and a reason, a cancellation a reason */
	assert_int_equal(coplan_store_set_status(st, id, "JP-01", COPLAN_STATUS_POSTPONED,
	                                         COPLAN_DATE_NONE, COPLAN_DATE_NONE, "typhoon", "maj. rossi"),
	                 COPLAN_EINVALID);
	assert_int_equal(coplan_store_set_status(st, id, "JP-05", COPLAN_STATUS_CANCELLED,
	                                         COPLAN_DATE_NONE, COPLAN_DATE_NONE, "", "maj. rossi"),
	                 COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "needs a reason"));
	assert_int_equal(coplan_store_set_status(st, id, "XX-99", COPLAN_STATUS_EXECUTED,
	                                         COPLAN_DATE_NONE, COPLAN_DATE_NONE, NULL, "maj. rossi"),
	                 COPLAN_ENOTFOUND);

	assert_int_equal(coplan_store_set_status(st, id, "JP-01", COPLAN_STATUS_CONFIRMED,
	                                         COPLAN_DATE_NONE, COPLAN_DATE_NONE, NULL, "lt. col. sato"), 0);
	assert_int_equal(coplan_store_set_status(st, id, "JP-01", COPLAN_STATUS_POSTPONED,
	                                         coplan_date_from_ymd(2024, 9, 2), coplan_date_from_ymd(2024, 9, 5),
	                                         "typhoon warning for the Kanto area", "lt. col. sato"), 0);
	assert_int_equal(coplan_store_set_status(st, id, "JP-05", COPLAN_STATUS_CANCELLED,
	                                         COPLAN_DATE_NONE, COPLAN_DATE_NONE, "merged into JP-01", "maj. rossi"), 0);

	assert_int_equal(coplan_store_load_plan(st, id, &back, NULL), 0);
	assert_int_equal(back->activities[1].status, COPLAN_STATUS_POSTPONED);
	assert_int_equal(back->activities[1].start, coplan_date_from_ymd(2024, 9, 2));
	assert_int_equal(back->activities[1].sequence, 2);
	assert_int_equal(back->activities[0].status, COPLAN_STATUS_CANCELLED);
	coplan_plan_free(back);

	assert_int_equal(coplan_store_history(st, id, NULL, &ev, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(ev[0].ref, "JP-01");
	assert_int_equal(ev[0].status, COPLAN_STATUS_CONFIRMED);
	assert_string_equal(ev[0].author, "lt. col. sato");
	assert_int_equal(strlen(ev[0].at), 20);
	assert_int_equal(ev[1].status, COPLAN_STATUS_POSTPONED);
	assert_int_equal(ev[1].start, coplan_date_from_ymd(2024, 9, 2));
	assert_string_equal(ev[1].reason, "typhoon warning for the Kanto area");
	assert_int_equal(ev[2].status, COPLAN_STATUS_CANCELLED);
	coplan_activity_events_free(ev, n);
	assert_int_equal(coplan_store_history(st, id, "JP-05", &ev, &n), 0);
	assert_int_equal(n, 1);
	coplan_activity_events_free(ev, n);
	coplan_store_close(st);

	/* the history is append-only, even to a direct SQL write */
	assert_int_not_equal(test_db_exec(db_path, "DELETE FROM activity_event"), 0);
	assert_int_not_equal(test_db_exec(db_path, "UPDATE activity_event SET reason = 'x'"), 0);
	if (test_db_pg())
		assert_int_not_equal(test_db_exec(db_path, "TRUNCATE activity_event"), 0);
	assert_int_equal(test_db_exec(db_path, "SELECT count(*) FROM activity_event"), 0);
	coplan_plan_free(plan);
}

static void test_version_life_cycle(void **state)
{
	coplan_store *st;
	coplan_plan *plan = sample_plan(), *signed_plan, *now;
	coplan_plan_version *v;
	coplan_change *changes;
	size_t n;
	long id;
	int number;

	(void)state;
	assert_int_equal(coplan_store_open(&st, db_path), 0);
	assert_int_equal(coplan_store_insert_plan(st, plan, &id), 0);
	assert_int_equal(coplan_store_version_save(st, id, COPLAN_VERSION_DRAFT, "maj. rossi", "first draft", &number), 0);
	assert_int_equal(number, 1);
	/* a draft cannot be signed: it must be agreed first */
	assert_int_equal(coplan_store_version_save(st, id, COPLAN_VERSION_SIGNED, "gen. grassano", NULL, NULL),
	                 COPLAN_ECONFLICT);
	assert_non_null(strstr(coplan_error_last(), "only a version saved as agreed"));
	assert_int_equal(coplan_store_version_save(st, id, COPLAN_VERSION_AGREED, "delegations", "8th staff talks", &number), 0);
	assert_int_equal(coplan_store_version_save(st, id, COPLAN_VERSION_SIGNED, "heads of delegation", NULL, &number), 0);
	assert_int_equal(number, 3);

	/* a signed plan refuses edits in place */
	plan->activities[1].start = coplan_date_from_ymd(2024, 8, 22);
	plan->activities[1].end = coplan_date_from_ymd(2024, 8, 25);
	assert_int_equal(coplan_store_update_plan(st, id, plan), COPLAN_ECONFLICT);
	assert_non_null(strstr(coplan_error_last(), "is signed (version 3)"));
	assert_int_equal(coplan_store_version_save(st, id, COPLAN_VERSION_AGREED, "x", NULL, NULL), COPLAN_ECONFLICT);
	/* execution is tracked on the signed plan */
	assert_int_equal(coplan_store_set_status(st, id, "JP-05", COPLAN_STATUS_EXECUTED, COPLAN_DATE_NONE,
	                                         COPLAN_DATE_NONE, NULL, "lt. col. sato"), 0);
	/* an amendment is a new version; then the plan takes edits again */
	assert_int_equal(coplan_store_version_save(st, id, COPLAN_VERSION_DRAFT, "maj. rossi", "amendment 1", &number), 0);
	assert_int_equal(number, 4);
	plan->activities[0].status = COPLAN_STATUS_EXECUTED;
	assert_int_equal(coplan_store_update_plan(st, id, plan), 0);

	/* the signed version is kept as it was, and the comparison lists exactly the change */
	assert_int_equal(coplan_store_version_load(st, id, 0, &signed_plan), 0);
	assert_int_equal(signed_plan->activities[1].start, COPLAN_DATE_NONE);
	assert_int_equal(coplan_store_load_plan(st, id, &now, NULL), 0);
	assert_int_equal(coplan_plan_compare(&changes, &n, signed_plan, now), 0);
	assert_int_equal(n, 2);
	assert_int_equal(changes[0].kind, COPLAN_CHANGE_FIELD);   /* JP-05 executed */
	assert_string_equal(changes[0].ref, "JP-05");
	assert_string_equal(changes[0].field, "status");
	assert_int_equal(changes[1].kind, COPLAN_CHANGE_MOVED);   /* JP-01 placed */
	assert_string_equal(changes[1].ref, "JP-01");
	coplan_changes_free(changes, n);
	coplan_plan_free(signed_plan);
	coplan_plan_free(now);

	assert_int_equal(coplan_store_versions(st, id, &v, &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(v[2].state, COPLAN_VERSION_SIGNED);
	assert_string_equal(v[3].note, "amendment 1");
	coplan_plan_versions_free(v, n);
	assert_int_equal(coplan_store_version_load(st, id, 9, &now), COPLAN_ENOTFOUND);
	coplan_store_close(st);

	/* versions never change, even to a direct SQL write, nor are replaced by an insert over them */
	assert_int_not_equal(test_db_exec(db_path, "UPDATE plan_version SET state = 'draft'"), 0);
	assert_int_not_equal(test_db_exec(db_path, "DELETE FROM plan_version"), 0);
	if (test_db_pg()) {
		assert_int_not_equal(test_db_exec(db_path, "TRUNCATE plan_version"), 0);
		assert_int_not_equal(test_db_exec(db_path, "INSERT INTO plan_version SELECT * FROM plan_version "
		                                  "ON CONFLICT (id) DO UPDATE SET state = 'signed'"), 0);
	} else {
		assert_int_not_equal(test_db_exec(db_path, "INSERT OR REPLACE INTO plan_version SELECT * FROM "
		                                  "plan_version"), 0);
	}
	/* the record as it was: the rules read it whole */
	assert_int_equal(coplan_store_open(&st, db_path), 0);
	assert_int_equal(coplan_store_versions(st, id, &v, &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(v[2].state, COPLAN_VERSION_SIGNED);
	coplan_plan_versions_free(v, n);
	coplan_store_close(st);
	coplan_plan_free(plan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update_raises_sequence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update_from_seal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_foreign_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_settings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrates_schema_v1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_history, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version_life_cycle, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_store_integrity.c - versions and history that stay as saved: REPLACE, UPSERT and
 * drop-trigger forgeries made with plain SQL (as a hostile user with the sqlite3 shell would),
 * each refused by SQLite or caught by coplan_store_check() (db check) and by the version list;
 * backup and restore; the busy timeout.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "coplan/coplan.h"
#include "test_util.h"

#define EXAMPLE COPLAN_SOURCE_DIR "/examples/italy-japan-2024"

static char db_path[512], backup_path[512];

/* A database with the example plan, agreed (1), signed (2), and two status changes. */
static void make_db(void)
{
	coplan_ctx ctx = { 0 };
	coplan_plan_folder_result folder;
	coplan_schedule_request req = { -1, 1, 0, 0 };
	coplan_plan *plan = NULL;
	coplan_status_change c = { "IT-01", COPLAN_STATUS_CONFIRMED, COPLAN_DATE_NONE, COPLAN_DATE_NONE,
	                           NULL, NULL };

	test_remove_db(db_path);
	ctx.user = "Lt Col Test";
	assert_int_equal(coplan_store_open(&ctx.store, db_path), 0);
	assert_int_equal(coplan_service_plan_folder_read(EXAMPLE, NULL, &plan, &folder), 0);
	assert_int_equal(coplan_service_plan_new(&ctx, plan, &req, &folder.schedule), 0);
	assert_int_equal(coplan_service_version_save(&ctx, 0, COPLAN_VERSION_AGREED, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(coplan_service_version_save(&ctx, 0, COPLAN_VERSION_SIGNED, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(coplan_service_set_statuses(&ctx, 0, &c, 1, 0, NULL), 0);
	c.ref = "IT-02";
	assert_int_equal(coplan_service_set_statuses(&ctx, 0, &c, 1, 0, NULL), 0);
	coplan_plan_folder_result_clear(&folder);
	coplan_plan_free(plan);
	coplan_store_close(ctx.store);
}

/* Run sql on a plain connection (no recursive_triggers, no foreign keys): SQLite's result code. */
static int forge(const char *sql)
{
	sqlite3 *db = NULL;
	int rc;

	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

/* One text value from the database: the first column of the first row, malloc'd. */
static char *query(const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	char *out = NULL;

	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
		out = strdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	assert_non_null(out);
	return out;
}

/* The problems db check finds, and the version list's result code. */
static size_t check(int *versions_rc)
{
	coplan_ctx ctx = { 0 };
	coplan_plan_version *v = NULL;
	size_t problems = 99, n = 0;
	char *report = NULL;

	assert_int_equal(coplan_store_open_existing(&ctx.store, db_path), 0);
	assert_int_equal(coplan_service_db_check(&ctx, 0, &report, &problems), 0);
	if (problems)
		print_message("db check: %s", report);
	free(report);
	*versions_rc = coplan_service_versions(&ctx, 0, &v, &n);
	coplan_plan_versions_free(v, n);
	coplan_store_close(ctx.store);
	return problems;
}

static void test_sound_database_checks_ok(void **state)
{
	int rc;

	(void)state;
	make_db();
	assert_int_equal(check(&rc), 0);
	assert_int_equal(rc, 0);
}

static void test_replace_and_upsert_refused(void **state)
{
	char *before, *after;
	int rc;

	(void)state;
	make_db();
	before = query("SELECT snapshot || snapshot_sha256 || state FROM plan_version WHERE number = 2");
	/* REPLACE over the signed version, keeping its id and number */
	assert_int_not_equal(forge("INSERT OR REPLACE INTO plan_version (id, plan_id, number, state, author, "
	                           "snapshot, snapshot_sha256) SELECT id, plan_id, number, state, author, "
	                           "replace(snapshot, 'Rome', 'Roma'), snapshot_sha256 FROM plan_version "
	                           "WHERE number = 2"), SQLITE_OK);
	assert_int_not_equal(forge("REPLACE INTO plan_version (plan_id, number, state, author, snapshot, "
	                           "snapshot_sha256) SELECT plan_id, number, 'signed', 'forger', snapshot, "
	                           "snapshot_sha256 FROM plan_version WHERE number = 1"), SQLITE_OK);
	/* UPSERT */
	assert_int_not_equal(forge("INSERT INTO plan_version (plan_id, number, state, author, snapshot, "
	                           "snapshot_sha256) SELECT plan_id, number, state, author, 'x', "
	                           "snapshot_sha256 FROM plan_version WHERE number = 2 "
	                           "ON CONFLICT (plan_id, number) DO UPDATE SET snapshot = excluded.snapshot"),
	                     SQLITE_OK);
	/* the history: REPLACE and UPSERT over an event */
	assert_int_not_equal(forge("REPLACE INTO activity_event (id, plan_id, ref, author, status) "
	                           "SELECT id, plan_id, ref, 'forger', 'cancelled' FROM activity_event "
	                           "ORDER BY id LIMIT 1"), SQLITE_OK);
	assert_int_not_equal(forge("INSERT INTO activity_event (id, plan_id, ref, author, status) "
	                           "SELECT id, plan_id, ref, 'forger', 'cancelled' FROM activity_event "
	                           "ORDER BY id LIMIT 1 ON CONFLICT (id) DO UPDATE SET status = 'cancelled'"),
	                     SQLITE_OK);
	after = query("SELECT snapshot || snapshot_sha256 || state FROM plan_version WHERE number = 2");
	assert_string_equal(before, after);
	free(before);
	free(after);
	before = query("SELECT group_concat(author || status, ',') FROM activity_event");
	assert_string_equal(before, "Lt Col Testconfirmed,Lt Col Testconfirmed");
	free(before);
	assert_int_equal(check(&rc), 0);
	assert_int_equal(rc, 0);
}

static void test_drop_trigger_forgery_caught(void **state)
{
	int rc;

	(void)state;
	make_db();
	assert_int_equal(forge("DROP TRIGGER plan_version_immutable; UPDATE plan_version SET snapshot = "
	                       "replace(snapshot, 'Rome', 'Roma') WHERE number = 2"), SQLITE_OK);
	/* the missing guard and the snapshot that no longer matches its SHA-256 */
	assert_true(check(&rc) >= 2);
	assert_int_equal(rc, COPLAN_ESTORE);
}

/* A forger who knows the scheme: new snapshot, its true SHA-256, the guard put back word for word. */
static void test_careful_forgery_caught(void **state)
{
	char *trigger, *snapshot, hex[65], sql[65536 * 4];
	int rc;

	(void)state;
	make_db();
	trigger = query("SELECT sql FROM sqlite_schema WHERE name = 'plan_version_immutable'");
	snapshot = query("SELECT replace(snapshot, 'Rome', 'Roma') FROM plan_version WHERE number = 2");
	assert_int_equal(coplan_sha256_hex(hex, snapshot, strlen(snapshot)), 0);
	free(snapshot);
	snprintf(sql, sizeof(sql), "DROP TRIGGER plan_version_immutable; UPDATE plan_version SET snapshot = "
	         "replace(snapshot, 'Rome', 'Roma'), snapshot_sha256 = '%s' WHERE number = 2; %s", hex, trigger);
	free(trigger);
	assert_int_equal(forge(sql), SQLITE_OK);
	/* the signed version is no longer the agreed one it signs */
	assert_int_equal(check(&rc), 1);
	assert_int_equal(rc, COPLAN_ESTORE);
}

/* A "signed" version that was never agreed, inserted past the guards (which allow a new row). */
static void test_inserted_signature_caught(void **state)
{
	char *snapshot, hex[65], sql[65536 * 4];
	int rc;

	(void)state;
	make_db();
	snapshot = query("SELECT replace(snapshot, 'Rome', 'Roma') FROM plan_version WHERE number = 2");
	assert_int_equal(coplan_sha256_hex(hex, snapshot, strlen(snapshot)), 0);
	free(snapshot);
	snprintf(sql, sizeof(sql), "INSERT INTO plan_version (plan_id, number, state, author, snapshot, "
	         "snapshot_sha256) SELECT plan_id, 3, 'signed', 'forger', replace(snapshot, 'Rome', 'Roma'), "
	         "'%s' FROM plan_version WHERE number = 2", hex);
	assert_int_equal(forge(sql), SQLITE_OK);
	assert_int_equal(check(&rc), 1);
	assert_int_equal(rc, COPLAN_ESTORE);
}

/* A row of the plan changed with the guards in place (the plan is not append-only): its seal tells. */
static void test_plan_row_change_caught(void **state)
{
	coplan_ctx ctx = { 0 };
	coplan_plan *plan = NULL;
	int rc;

	(void)state;
	make_db();
	assert_int_equal(forge("UPDATE activity SET title = 'Something else' WHERE ref = 'IT-01'"), SQLITE_OK);
	assert_int_equal(check(&rc), 1);
	assert_int_equal(rc, COPLAN_ESTORE);
	assert_int_equal(coplan_store_open_existing(&ctx.store, db_path), 0);
	assert_int_equal(coplan_service_load(&ctx, 0, &plan, NULL), COPLAN_ESTORE);
	assert_non_null(strstr(coplan_error_last(), "does not match the SHA-256"));
	assert_null(plan);
	coplan_store_close(ctx.store);
}

static void test_backup_and_restore(void **state)
{
	coplan_ctx ctx = { 0 };
	coplan_status_change c = { "JP-03", COPLAN_STATUS_CANCELLED, COPLAN_DATE_NONE, COPLAN_DATE_NONE,
	                           "typhoon", NULL };
	coplan_activity_event *e = NULL;
	char *report = NULL;
	size_t n = 0;
	FILE *f;

	(void)state;
	make_db();
	test_remove_db(backup_path);
	ctx.user = "Lt Col Test";
	assert_int_equal(coplan_store_open_existing(&ctx.store, db_path), 0);
	assert_int_equal(coplan_service_db_backup(&ctx, db_path), COPLAN_EUSAGE);
	assert_int_equal(coplan_service_db_backup(&ctx, backup_path), 0);
	/* a change after the backup, then the backup restored: the change is gone */
	assert_int_equal(coplan_service_set_statuses(&ctx, 0, &c, 1, 0, NULL), 0);
	assert_int_equal(coplan_service_history(&ctx, 0, NULL, &e, &n), 0);
	coplan_activity_events_free(e, n);
	assert_int_equal(n, 3);
	assert_int_equal(coplan_service_db_restore(&ctx, backup_path, &report), 0);
	assert_null(report);
	assert_int_equal(coplan_service_history(&ctx, 0, NULL, &e, &n), 0);
	coplan_activity_events_free(e, n);
	assert_int_equal(n, 2);
	/* a damaged backup is refused and the database left as it is */
	f = fopen(backup_path, "r+b");
	assert_non_null(f);
	/* the headers of pages 2 to 6: no page type SQLite knows */
	for (int page = 1; page < 6; page++) {
		fseek(f, 4096L * page, SEEK_SET);
		for (int i = 0; i < 8; i++)
			fputc(0xA5, f);
	}
	fclose(f);
	assert_int_not_equal(coplan_service_db_restore(&ctx, backup_path, &report), 0);
	free(report);
	assert_int_equal(coplan_service_history(&ctx, 0, NULL, &e, &n), 0);
	coplan_activity_events_free(e, n);
	assert_int_equal(n, 2);
	coplan_store_close(ctx.store);
	test_remove_db(backup_path);
}

static void test_busy_timeout(void **state)
{
	coplan_store *a = NULL, *b = NULL;
	struct timespec t0, t1;
	double took;

	(void)state;
	make_db();
	assert_int_equal(coplan_store_open_existing(&a, db_path), 0);
	assert_int_equal(coplan_store_open_existing(&b, db_path), 0);
	coplan_store_set_busy_timeout(b, 200);
	assert_int_equal(coplan_store_begin(a), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(coplan_store_begin(b), COPLAN_ESTORE);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_non_null(strstr(coplan_error_last(), "busy"));
	assert_non_null(strstr(coplan_error_last(), "200 ms"));
	assert_true(took >= 0.15 && took < 5.0);
	assert_int_equal(coplan_store_end(a, 0), 0);
	assert_int_equal(coplan_store_begin(b), 0);
	assert_int_equal(coplan_store_end(b, 0), 0);
	coplan_store_close(a);
	coplan_store_close(b);
}

static int setup(void **state)
{
	(void)state;
	snprintf(db_path, sizeof(db_path), "%s/test_store_integrity_%ld.db", COPLAN_TEST_TMP, (long)getpid());
	snprintf(backup_path, sizeof(backup_path), "%s/test_store_integrity_backup_%ld.db", COPLAN_TEST_TMP,
	         (long)getpid());
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_remove_db(db_path);
	test_remove_db(backup_path);
	coplan_document_shutdown();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sound_database_checks_ok),
		cmocka_unit_test(test_replace_and_upsert_refused),
		cmocka_unit_test(test_drop_trigger_forgery_caught),
		cmocka_unit_test(test_careful_forgery_caught),
		cmocka_unit_test(test_inserted_signature_caught),
		cmocka_unit_test(test_plan_row_change_caught),
		cmocka_unit_test(test_backup_and_restore),
		cmocka_unit_test(test_busy_timeout),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

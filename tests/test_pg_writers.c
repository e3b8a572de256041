/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_pg_writers.c - PostgreSQL only (COPLAN_TEST_DB): 16 processes writing one plan at once,
 * each on its own connection, lose no committed change and alter no signed version; coplan db
 * copy from SQLite to PostgreSQL and back keeps every row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "coplan/coplan.h"
#include "test_db.h"
#include "test_util.h"

#define EXAMPLE COPLAN_SOURCE_DIR "/examples/italy-japan-2024"
#define WRITERS 16
#define ROUNDS 4

static char db_path[512], file_a[512], file_b[512];

/* The example planned into a new database at name; its plan id. */
static long example_into(const char *name)
{
	coplan_ctx ctx = { 0 };
	coplan_plan_folder_result folder;
	coplan_schedule_request req = { -1, 1, 0, 0 };
	coplan_plan *plan = NULL;
	long id = 0;

	ctx.user = "Lt Col Test";
	assert_int_equal(coplan_store_open(&ctx.store, name), 0);
	assert_int_equal(coplan_service_plan_folder_read(EXAMPLE, NULL, &plan, &folder), 0);
	assert_int_equal(coplan_service_plan_new(&ctx, plan, &req, &folder.schedule), 0);
	coplan_plan_folder_result_clear(&folder);
	coplan_plan_free(plan);
	assert_int_equal(coplan_store_load_plan(ctx.store, 0, &plan, &id), 0);
	coplan_plan_free(plan);
	coplan_store_close(ctx.store);
	return id;
}

static int setup(void **state)
{
	(void)state;
	if (!test_db_pg())
		return -1;
	test_db_fresh(db_path, sizeof(db_path), "test_pg_writers");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_remove_db(db_path);
	coplan_document_shutdown();
	return 0;
}

/* Writer w's rounds: an edit of its own activity, a status change, an import of a new plan. */
static int writer(long plan_id, int w)
{
	coplan_store *st = NULL;
	char note[64], title[64], author[32];
	int rc = 0;

	snprintf(author, sizeof(author), "writer-%d", w);
	if (coplan_store_open_existing(&st, db_path))
		return 10;
	for (int r = 0; r < ROUNDS && !rc; r++) {
		coplan_plan *plan = NULL, *mine = NULL;
		long got = plan_id;

		/* read, change, write: one transaction, as the editing service does */
		if ((rc = coplan_store_begin(st)))
			break;
		if (!(rc = coplan_store_load_plan(st, plan_id, &plan, &got))) {
			snprintf(note, sizeof(note), "writer %d round %d", w, r);
			free(plan->activities[w].notes);
			plan->activities[w].notes = strdup(note);
			rc = coplan_store_update_plan(st, got, plan);
		}
		coplan_plan_free(plan);
		if ((rc = coplan_store_end(st, rc)))
			break;
		/* execution: an event appended under the writer's name */
		plan = NULL;
		if ((rc = coplan_store_load_plan(st, plan_id, &plan, NULL)))
			break;
		rc = coplan_store_set_status(st, plan_id, plan->activities[(w + r) % plan->n_activities].ref,
		                             COPLAN_STATUS_CONFIRMED, COPLAN_DATE_NONE, COPLAN_DATE_NONE, NULL, author);
		/* an import: a plan of its own */
		if (!rc) {
			if (!(rc = coplan_plan_new(&mine))) {
				coplan_activity *a;

				snprintf(title, sizeof(title), "Import %d.%d", w, r);
				mine->title = strdup(title);
				mine->year = 2025;
				if (!(rc = coplan_plan_add_nation(mine, "ITA")) && !(rc = coplan_plan_add_activity(mine, &a))) {
					a->ref = strdup("A-1");
					a->title = strdup("Staff visit");
					memcpy(a->host, "ITA", 4);
					a->duration = 3;
					rc = coplan_store_insert_plan(st, mine, NULL);
				}
				coplan_plan_free(mine);
			}
		}
		coplan_plan_free(plan);
	}
	if (!rc)
		rc = coplan_store_version_save(st, plan_id, COPLAN_VERSION_DRAFT, author, "concurrent draft", NULL);
	if (rc)
		fprintf(stderr, "writer %d: %s\n", w, coplan_error_last());
	coplan_store_close(st);
	return rc ? 1 : 0;
}

static int count_plan(long id, const char *title, int year, void *payload)
{
	(void)id;
	(void)year;
	if (!strncmp(title, "Import ", 7))
		(*(int *)payload)++;
	return 0;
}

static void test_concurrent_writers(void **state)
{
	coplan_store *st;
	coplan_plan *plan, *signed_plan;
	coplan_plan_version *v;
	coplan_activity_event *ev;
	pid_t pids[WRITERS];
	char signed_sha[65];
	size_t n, problems = 0;
	long id;
	int imports = 0;

	(void)state;
	id = example_into(db_path);
	/* agreed, signed, then an amendment: the plan takes edits, version 2 stays as signed */
	assert_int_equal(coplan_store_open_existing(&st, db_path), 0);
	assert_int_equal(coplan_store_version_save(st, id, COPLAN_VERSION_AGREED, "delegations", NULL, NULL), 0);
	assert_int_equal(coplan_store_version_save(st, id, COPLAN_VERSION_SIGNED, "heads", NULL, NULL), 0);
	assert_int_equal(coplan_store_version_save(st, id, COPLAN_VERSION_DRAFT, "maj. rossi", "amendment", NULL), 0);
	assert_int_equal(coplan_store_versions(st, id, &v, &n), 0);
	memcpy(signed_sha, v[1].sha256, sizeof(signed_sha));
	coplan_plan_versions_free(v, n);
	assert_int_equal(coplan_store_load_plan(st, id, &plan, NULL), 0);
	assert_true(plan->n_activities >= WRITERS);
	coplan_plan_free(plan);
	coplan_store_close(st);

	for (int w = 0; w < WRITERS; w++) {
		pids[w] = fork();
		assert_true(pids[w] >= 0);
		if (pids[w] == 0)
			_exit(writer(id, w));
	}
	for (int w = 0; w < WRITERS; w++) {
		int status = 0;

		assert_int_equal(waitpid(pids[w], &status, 0), pids[w]);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fail_msg("writer %d failed (status %d)", w, status);
	}

	/* every committed change is there */
	assert_int_equal(coplan_store_open_existing(&st, db_path), 0);
	assert_int_equal(coplan_store_load_plan(st, id, &plan, NULL), 0);
	for (int w = 0; w < WRITERS; w++) {
		char note[64];

		snprintf(note, sizeof(note), "writer %d round %d", w, ROUNDS - 1);
		assert_non_null(plan->activities[w].notes);
		assert_string_equal(plan->activities[w].notes, note);
	}
	coplan_plan_free(plan);
	assert_int_equal(coplan_store_history(st, id, NULL, &ev, &n), 0);
	assert_int_equal(n, WRITERS * ROUNDS);
	for (int w = 0; w < WRITERS; w++) {
		char author[32];
		int mine = 0;

		snprintf(author, sizeof(author), "writer-%d", w);
		for (size_t i = 0; i < n; i++)
			mine += !strcmp(ev[i].author, author);
		assert_int_equal(mine, ROUNDS);
	}
	coplan_activity_events_free(ev, n);
	assert_int_equal(coplan_store_foreach_plan(st, count_plan, &imports), 0);
	assert_int_equal(imports, WRITERS * ROUNDS);
	/* versions numbered without a gap, each against its hash; the signed one unaltered */
	assert_int_equal(coplan_store_versions(st, id, &v, &n), 0);
	assert_int_equal(n, 3 + WRITERS);
	assert_int_equal(v[1].state, COPLAN_VERSION_SIGNED);
	assert_string_equal(v[1].sha256, signed_sha);
	coplan_plan_versions_free(v, n);
	assert_int_equal(coplan_store_version_load(st, id, 0, &signed_plan), 0);
	for (size_t i = 0; i < signed_plan->n_activities; i++)
		assert_true(!signed_plan->activities[i].notes || !strstr(signed_plan->activities[i].notes, "writer"));
	coplan_plan_free(signed_plan);
	assert_int_equal(coplan_store_check(st, 0, NULL, NULL, &problems), 0);
	assert_int_equal(problems, 0);
	coplan_store_close(st);
}

/* The row counts of a copy, as the service reports them. */
static void count_rows(const char *table, size_t rows, void *payload)
{
	(void)table;
	*(size_t *)payload += rows;
}

static char *snapshot_of(const char *name, long id)
{
	coplan_store *st;
	coplan_plan *plan;
	char *snap = NULL;
	size_t len = 0;

	assert_int_equal(coplan_store_open_existing(&st, name), 0);
	assert_int_equal(coplan_store_load_plan(st, id, &plan, NULL), 0);
	assert_int_equal(coplan_plan_snapshot(&snap, &len, plan), 0);
	coplan_plan_free(plan);
	coplan_store_close(st);
	return snap;
}

/* SQLite -> PostgreSQL -> SQLite: the same rows, the same hash, each copy sound. */
static void test_copy_both_ways(void **state)
{
	coplan_ctx ctx = { 0 };
	coplan_plan_version *v;
	coplan_activity_event *ev;
	char sha1[65], sha2[65], *s0, *s1, *s2;
	size_t rows1 = 0, rows2 = 0, n;
	long id;

	(void)state;
	snprintf(file_a, sizeof(file_a), "%s/test_store_pg_a_%ld.db", COPLAN_TEST_TMP, (long)getpid());
	snprintf(file_b, sizeof(file_b), "%s/test_store_pg_b_%ld.db", COPLAN_TEST_TMP, (long)getpid());
	test_remove_db(file_a);
	test_remove_db(file_b);
	id = example_into(file_a);
	assert_int_equal(coplan_store_open_existing(&ctx.store, file_a), 0);
	assert_int_equal(coplan_store_version_save(ctx.store, id, COPLAN_VERSION_AGREED, "delegations", NULL, NULL), 0);
	assert_int_equal(coplan_store_version_save(ctx.store, id, COPLAN_VERSION_SIGNED, "heads", NULL, NULL), 0);
	assert_int_equal(coplan_store_set_status(ctx.store, id, "JP-01", COPLAN_STATUS_POSTPONED,
	                                         coplan_date_from_ymd(2024, 9, 2), coplan_date_from_ymd(2024, 9, 5),
	                                         "typhoon – 台風", "lt. col. sato"), 0);

	/* into PostgreSQL */
	if (coplan_service_db_copy(&ctx, db_path, count_rows, &rows1, sha1))
		fail_msg("copy into PostgreSQL: %s", coplan_error_last());
	assert_true(rows1 > 28);
	/* a copy goes only into an empty database */
	assert_int_equal(coplan_service_db_copy(&ctx, db_path, NULL, NULL, sha2), COPLAN_ECONFLICT);
	coplan_store_close(ctx.store);

	/* and back into a new SQLite file */
	assert_int_equal(coplan_store_open_existing(&ctx.store, db_path), 0);
	assert_int_equal(coplan_store_versions(ctx.store, id, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[1].state, COPLAN_VERSION_SIGNED);
	coplan_plan_versions_free(v, n);
	assert_int_equal(coplan_store_history(ctx.store, id, "JP-01", &ev, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(ev[0].reason, "typhoon – 台風");
	coplan_activity_events_free(ev, n);
	assert_int_equal(coplan_service_db_copy(&ctx, file_b, count_rows, &rows2, sha2), 0);
	coplan_store_close(ctx.store);
	assert_int_equal(rows1, rows2);
	assert_string_equal(sha1, sha2);

	/* the plan reads the same from all three */
	s0 = snapshot_of(file_a, id);
	s1 = snapshot_of(db_path, id);
	s2 = snapshot_of(file_b, id);
	assert_string_equal(s0, s1);
	assert_string_equal(s0, s2);
	free(s0);
	free(s1);
	free(s2);
	/* new rows after a copy are numbered after the copied ones */
	assert_int_equal(coplan_store_open_existing(&ctx.store, db_path), 0);
	assert_int_equal(coplan_store_set_status(ctx.store, id, "JP-05", COPLAN_STATUS_EXECUTED, COPLAN_DATE_NONE,
	                                         COPLAN_DATE_NONE, NULL, "maj. rossi"), 0);
	assert_int_equal(coplan_store_history(ctx.store, id, NULL, &ev, &n), 0);
	assert_int_equal(n, 2);
	coplan_activity_events_free(ev, n);
	coplan_store_close(ctx.store);
	test_remove_db(file_a);
	test_remove_db(file_b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_concurrent_writers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_both_ways, setup, teardown),
	};

	if (!test_db_pg()) {
		fprintf(stderr, "test_pg_writers: runs on PostgreSQL only (COPLAN_TEST_DB; ctest runs it as "
		        "test_pg_writers_pg): skipped\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}

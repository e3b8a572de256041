/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_server_threads.c - what the server's threads share, used from many
 * threads at once: the store pool (each request takes a connection, loads
 * the plan, gives it back), the job queue (previews submitted, polled and
 * cancelled while the worker schedules) and the uploads awaiting
 * confirmation.  Under ThreadSanitizer (make test-tsan) it proves these
 * have no data race; in every build, that each thread sees its own jobs
 * only and every job ends.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "coplan/coplan.h"
#include "server/internal.h"
#include "test_util.h"

#define N_THREADS 4
#define ROUNDS 4
#define EXAMPLE COPLAN_SOURCE_DIR "/examples/italy-japan-2024"
#define DB COPLAN_TEST_TMP "/server-threads.db"

typedef struct {
	cps_pool *pool;
	cps_jobs *jobs;
	cps_stash *stash;
	cps_cache *cache;
	long account;
	int failures;
	char err[256];
} worker_arg;

static void *worker(void *p)
{
	worker_arg *w = p;
	char name[16];
	coplan_ctx ctx = { .account = w->account, .user = name, .nation = "ITA" };

	snprintf(name, sizeof(name), "user%ld", w->account);
	for (int round = 0; round < ROUNDS; round++) {
		coplan_plan *plan = NULL;
		char key[COPLAN_TOKEN_LEN], data[64];
		cps_upload u;
		cps_job job;
		long id = 0;
		int rc;

		/* a request: a connection of the pool for its duration */
		ctx.store = cps_pool_take(w->pool);
		rc = coplan_service_load(&ctx, 1, &plan, NULL);
		cps_pool_give(w->pool, ctx.store);
		if (rc || plan->n_activities != 28) {
			snprintf(w->err, sizeof(w->err), "load: %s", coplan_error_last());
			w->failures++;
		}
		coplan_plan_free(plan);
		/* a preview job; every other one cancelled at once */
		if ((rc = cps_jobs_submit(w->jobs, &ctx, 1, 1, 1, &id)) && rc != COPLAN_ELIMIT) {
			snprintf(w->err, sizeof(w->err), "submit: %s", coplan_error_last());
			w->failures++;
		}
		if (!rc && round % 2)
			cps_jobs_cancel(w->jobs, id, w->account);
		/* another account never sees it */
		if (!rc && cps_jobs_get(w->jobs, id, w->account + 100, &job) != COPLAN_ENOTFOUND)
			w->failures++;
		while (!rc && !cps_jobs_get(w->jobs, id, w->account, &job)) {
			cps_job_state st = job.state;

			cps_job_release(&job);
			if (st > CPS_JOB_RUNNING)
				break;
			nanosleep(&(struct timespec){ 0, 5 * 1000 * 1000 }, NULL);
		}
		/* responses kept and served again: some keys shared by every thread, a cache small enough to evict */
		for (int k = 0; k < 8; k++) {
			cps_cache_key_t key;
			char body[64];
			cps_request r;

			memset(&r, 0, sizeof(r));
			snprintf(body, sizeof(body), "page %d", k % 3 == 0 ? k : k + 100 * (int)w->account);
			if (cps_cache_key(&key, "session", "GET", k % 2 ? "/plans/1" : "/plans/2", body, body, round, 0)) {
				w->failures++;
				continue;
			}
			if (!cps_cache_get(w->cache, &key, &r)) {
				/* a hit is the very body kept under that key */
				if (!r.blob || r.blob->len != strlen(body) || memcmp(r.blob->data, body, r.blob->len))
					w->failures++;
				cps_blob_unref(r.blob);
				free(r.download);
			} else {
				cps_cache_put(w->cache, &key, body, strlen(body), "text/plain", k % 2 ? "p.txt" : NULL);
			}
		}
		/* an upload kept, then taken by its owner only */
		snprintf(data, sizeof(data), "upload %ld/%d", w->account, round);
		if (cps_stash_put(w->stash, w->account, 1000, "a.csv", data, strlen(data), 1, "it", 0, key)) {
			w->failures++;
			continue;
		}
		if (cps_stash_take(w->stash, key, w->account + 100, 1000, &u) != COPLAN_ENOTFOUND)
			w->failures++;
		/* up to CPS_STASH_MAX uploads are kept: with N_THREADS < CPS_STASH_MAX ours is still there */
		if (cps_stash_take(w->stash, key, w->account, 1000, &u) || strcmp(u.data, data))
			w->failures++;
		cps_upload_release(&u);
	}
	return NULL;
}

static void test_shared_state(void **state)
{
	coplan_store *store = NULL;
	coplan_plan *plan = NULL;
	coplan_plan_folder_result folder;
	coplan_schedule_result res;
	coplan_schedule_request req = { -1, 1, 0, 0 };
	coplan_ctx ctx = { 0 };
	cps_pool pool;
	cps_jobs jobs;
	cps_stash stash;
	cps_cache cache;
	pthread_t t[N_THREADS];
	worker_arg w[N_THREADS];

	(void)state;
	test_remove_db(DB);
	assert_int_equal(coplan_store_open(&store, DB), 0);
	ctx.store = store;
	assert_int_equal(coplan_service_plan_folder_read(EXAMPLE, NULL, &plan, &folder), 0);
	assert_int_equal(coplan_service_plan_new(&ctx, plan, &req, &res), 0);
	coplan_schedule_result_clear(&res);
	coplan_plan_folder_result_clear(&folder);
	coplan_plan_free(plan);
	/* the accounts of the threads (ids 1..N_THREADS), planners on the plan */
	for (int i = 0; i < N_THREADS; i++) {
		char name[16];
		long id;

		snprintf(name, sizeof(name), "user%d", i + 1);
		assert_int_equal(coplan_service_user_add(&ctx, name, "ITA", NULL, "correct horse battery", 0, &id), 0);
		assert_int_equal(id, i + 1);
		assert_int_equal(coplan_service_role_grant(&ctx, 1, name, COPLAN_PLAN_ROLE_PLANNER), 0);
	}
	coplan_store_close(store);

	assert_int_equal(cps_pool_init(&pool, DB, 2, 5000), 0);
	assert_int_equal(cps_jobs_start(&jobs, DB, 5000), 0);
	cps_stash_init(&stash);
	assert_int_equal(cps_cache_init(&cache, 64), 0); /* 64 bytes: a few entries, then evictions */
	for (int i = 0; i < N_THREADS; i++) {
		w[i] = (worker_arg){ &pool, &jobs, &stash, &cache, i + 1, 0, "" };
		assert_int_equal(pthread_create(&t[i], NULL, worker, &w[i]), 0);
	}
	for (int i = 0; i < N_THREADS; i++) {
		pthread_join(t[i], NULL);
		if (w[i].failures)
			fail_msg("thread %d: %d failures (%s)", i, w[i].failures, w[i].err);
	}
	cps_jobs_stop(&jobs);
	cps_pool_release(&pool);
	cps_stash_release(&stash);
	assert_true(cache.bytes <= 64);
	cps_cache_release(&cache);
	test_remove_db(DB);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shared_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

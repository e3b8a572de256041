/* SPDX-License-Identifier: Apache-2.0 */
/* state.c - what the server's threads share: the store pool, the job queue, uploads awaiting confirmation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "internal.h"
#include "../common.h"

/* ---- the store pool --------------------------------------------------------- */

int cps_pool_init(cps_pool *pool, const char *path, size_t n, int busy_timeout_ms)
{
	memset(pool, 0, sizeof(*pool));
	if (!(pool->stores = calloc(n, sizeof(*pool->stores))) || !(pool->busy = calloc(n, sizeof(int)))) {
		free(pool->stores);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->freed, NULL);
	pool->n = n;
	for (size_t i = 0; i < n; i++) {
		int rc = coplan_store_open_existing(&pool->stores[i], path);

		if (rc) {
			cps_pool_release(pool);
			return rc;
		}
		coplan_store_set_busy_timeout(pool->stores[i], busy_timeout_ms);
	}
	return 0;
}

coplan_store *cps_pool_take(cps_pool *pool)
{
	coplan_store *s = NULL;

	pthread_mutex_lock(&pool->lock);
	while (!s) {
		for (size_t i = 0; i < pool->n && !s; i++)
			if (!pool->busy[i]) {
				pool->busy[i] = 1;
				s = pool->stores[i];
			}
		if (!s)
			pthread_cond_wait(&pool->freed, &pool->lock);
	}
	pthread_mutex_unlock(&pool->lock);
	return s;
}

void cps_pool_give(cps_pool *pool, coplan_store *store)
{
	pthread_mutex_lock(&pool->lock);
	for (size_t i = 0; i < pool->n; i++)
		if (pool->stores[i] == store)
			pool->busy[i] = 0;
	pthread_cond_signal(&pool->freed);
	pthread_mutex_unlock(&pool->lock);
}

void cps_pool_release(cps_pool *pool)
{
	if (!pool->stores)
		return;
	for (size_t i = 0; i < pool->n; i++)
		coplan_store_close(pool->stores[i]);
	free(pool->stores);
	free(pool->busy);
	pthread_mutex_destroy(&pool->lock);
	pthread_cond_destroy(&pool->freed);
	memset(pool, 0, sizeof(*pool));
}

/* ---- jobs ------------------------------------------------------------------- */

const char *cps_job_state_name(cps_job_state state)
{
	static const char *names[] = { "queued", "running", "done", "failed", "cancelled" };

	return (unsigned)state < 5 ? names[state] : "unknown";
}

static void job_free(cps_job *job)
{
	if (!job)
		return;
	cps_job_release(job);
	free(job);
}

void cps_job_release(cps_job *job)
{
	free(job->message);
	free(job->result_json);
	coplan_changes_free(job->moves, job->n_moves);
	job->message = job->result_json = NULL;
	job->moves = NULL;
	job->n_moves = 0;
}

typedef struct {
	cps_jobs *jobs;
	cps_job *job;
} progress_payload;

static void on_progress(const coplan_score *best, double elapsed, void *payload)
{
	progress_payload *p = payload;

	pthread_mutex_lock(&p->jobs->lock);
	p->job->best = *best;
	p->job->has_best = 1;
	p->job->elapsed = elapsed;
	pthread_mutex_unlock(&p->jobs->lock);
}

static cps_job *next_queued(cps_jobs *jobs)
{
	for (size_t i = 0; i < CPS_JOBS_MAX; i++)
		if (jobs->jobs[i] && jobs->jobs[i]->state == CPS_JOB_QUEUED)
			return jobs->jobs[i];
	return NULL;
}

static void run_job(cps_jobs *jobs, cps_job *job)
{
	coplan_schedule_request req = { .time_limit = -1, .seed = 1, .replan = job->replan,
	                                .dry_run = job->preview };
	coplan_schedule_result res;
	progress_payload pp = { jobs, job };
	coplan_ctx ctx = { .store = jobs->store, .account = job->account, .user = job->user,
	                   .nation = job->nation[0] ? job->nation : NULL, .cancel = &job->cancel,
	                   .progress = on_progress, .progress_payload = &pp };
	coplan_change *moves = NULL;
	size_t n_moves = 0;
	char *json = NULL, *message = NULL;
	int rc;

	if (!(rc = coplan_service_schedule(&ctx, job->plan_id, &req, &res))) {
		rc = coplan_schedule_result_format_json(&json, &res);
		if (!rc && res.before)
			rc = coplan_plan_compare(&moves, &n_moves, res.before, res.plan);
		coplan_schedule_result_clear(&res);
	}
	if (rc)
		message = strdup(coplan_error_last());
	pthread_mutex_lock(&jobs->lock);
	job->state = !rc ? CPS_JOB_DONE : rc == COPLAN_ECANCELLED ? CPS_JOB_CANCELLED : CPS_JOB_FAILED;
	job->error = rc;
	job->message = message;
	job->result_json = json;
	job->moves = moves;
	job->n_moves = n_moves;
	pthread_mutex_unlock(&jobs->lock);
}

static void *worker(void *arg)
{
	cps_jobs *jobs = arg;

	pthread_mutex_lock(&jobs->lock);
	for (;;) {
		cps_job *job;

		while (!jobs->stopping && !(job = next_queued(jobs)))
			pthread_cond_wait(&jobs->wake, &jobs->lock);
		if (jobs->stopping)
			break;
		job->state = CPS_JOB_RUNNING;
		pthread_mutex_unlock(&jobs->lock);
		run_job(jobs, job);
		pthread_mutex_lock(&jobs->lock);
	}
	pthread_mutex_unlock(&jobs->lock);
	return NULL;
}

int cps_jobs_start(cps_jobs *jobs, const char *db_path, int busy_timeout_ms)
{
	int rc;

	memset(jobs, 0, sizeof(*jobs));
	if ((rc = coplan_store_open_existing(&jobs->store, db_path)))
		return rc;
	coplan_store_set_busy_timeout(jobs->store, busy_timeout_ms);
	pthread_mutex_init(&jobs->lock, NULL);
	pthread_cond_init(&jobs->wake, NULL);
	jobs->next_id = 1;
	if (pthread_create(&jobs->thread, NULL, worker, jobs)) {
		coplan_store_close(jobs->store);
		return cp_error(COPLAN_ERROR, "cannot start the scheduling thread");
	}
	jobs->started = 1;
	return 0;
}

void cps_jobs_stop(cps_jobs *jobs)
{
	if (!jobs->started)
		return;
	pthread_mutex_lock(&jobs->lock);
	jobs->stopping = 1;
	for (size_t i = 0; i < CPS_JOBS_MAX; i++)
		if (jobs->jobs[i])
			atomic_store(&jobs->jobs[i]->cancel, 1);
	pthread_cond_broadcast(&jobs->wake);
	pthread_mutex_unlock(&jobs->lock);
	pthread_join(jobs->thread, NULL);
	for (size_t i = 0; i < CPS_JOBS_MAX; i++)
		job_free(jobs->jobs[i]);
	coplan_store_close(jobs->store);
	pthread_mutex_destroy(&jobs->lock);
	pthread_cond_destroy(&jobs->wake);
	memset(jobs, 0, sizeof(*jobs));
}

int cps_jobs_submit(cps_jobs *jobs, const coplan_ctx *ctx, long plan_id, int preview, int replan, long *id)
{
	cps_job *job = calloc(1, sizeof(*job));
	size_t queued = 0, slot = CPS_JOBS_MAX;
	int rc = 0;

	if (!job)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	job->account = ctx->account;
	snprintf(job->user, sizeof(job->user), "%s", ctx->user ? ctx->user : "");
	snprintf(job->nation, sizeof(job->nation), "%s", ctx->nation ? ctx->nation : "");
	job->plan_id = plan_id;
	job->preview = preview;
	job->replan = replan;
	pthread_mutex_lock(&jobs->lock);
	for (size_t i = 0; i < CPS_JOBS_MAX; i++) {
		if (jobs->jobs[i] && jobs->jobs[i]->state == CPS_JOB_QUEUED)
			queued++;
		if (!jobs->jobs[i] && slot == CPS_JOBS_MAX)
			slot = i;
	}
	/* full: the oldest finished job makes room */
	for (size_t i = 0; i < CPS_JOBS_MAX && slot == CPS_JOBS_MAX; i++)
		if (jobs->jobs[i]->state >= CPS_JOB_DONE) {
			job_free(jobs->jobs[i]);
			jobs->jobs[i] = NULL;
			slot = i;
		}
	if (queued >= CPS_JOBS_QUEUED || slot == CPS_JOBS_MAX || jobs->stopping) {
		rc = cp_error(COPLAN_ELIMIT, "%d scheduling jobs are waiting already: try again when one has "
		              "finished", CPS_JOBS_QUEUED);
		free(job);
	} else {
		job->id = jobs->next_id++;
		jobs->jobs[slot] = job;
		*id = job->id;
		pthread_cond_signal(&jobs->wake);
	}
	pthread_mutex_unlock(&jobs->lock);
	return rc;
}

static cps_job *find_job(cps_jobs *jobs, long id, long account)
{
	for (size_t i = 0; i < CPS_JOBS_MAX; i++)
		if (jobs->jobs[i] && jobs->jobs[i]->id == id && jobs->jobs[i]->account == account)
			return jobs->jobs[i];
	return NULL;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

int cps_jobs_get(cps_jobs *jobs, long id, long account, cps_job *out)
{
	cps_job *job;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&jobs->lock);
	if (!(job = find_job(jobs, id, account))) {
		rc = cp_error(COPLAN_ENOTFOUND, "no job %ld of yours (jobs are kept until %d newer ones)", id,
		              CPS_JOBS_MAX);
		goto end;
	}
	out->id = job->id;
	out->account = job->account;
	memcpy(out->user, job->user, sizeof(out->user));
	memcpy(out->nation, job->nation, sizeof(out->nation));
	out->plan_id = job->plan_id;
	out->preview = job->preview;
	out->replan = job->replan;
	out->state = job->state;
	out->elapsed = job->elapsed;
	out->best = job->best;
	out->has_best = job->has_best;
	out->error = job->error;
	out->message = dup_or_null(job->message);
	out->result_json = dup_or_null(job->result_json);
	if (job->n_moves && (out->moves = calloc(job->n_moves, sizeof(*out->moves)))) {
		for (size_t i = 0; i < job->n_moves; i++) {
			const coplan_change *c = &job->moves[i];

			out->moves[i].kind = c->kind;
			out->moves[i].ref = dup_or_null(c->ref);
			out->moves[i].title = dup_or_null(c->title);
			out->moves[i].field = dup_or_null(c->field);
			out->moves[i].before = dup_or_null(c->before);
			out->moves[i].after = dup_or_null(c->after);
		}
		out->n_moves = job->n_moves;
	}
end:
	pthread_mutex_unlock(&jobs->lock);
	return rc;
}

int cps_jobs_cancel(cps_jobs *jobs, long id, long account)
{
	cps_job *job;
	int rc = 0;

	pthread_mutex_lock(&jobs->lock);
	if (!(job = find_job(jobs, id, account)))
		rc = cp_error(COPLAN_ENOTFOUND, "no job %ld of yours", id);
	else if (job->state == CPS_JOB_QUEUED)
		job->state = CPS_JOB_CANCELLED;
	else
		atomic_store(&job->cancel, 1);
	pthread_mutex_unlock(&jobs->lock);
	return rc;
}

/* ---- uploads awaiting confirmation ----------------------------------------- */

static int random_key(char key[COPLAN_TOKEN_LEN])
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char raw[33] = { 0 };
	size_t j = 0;

	if (getrandom(raw, 32, 0) != 32)
		return cp_error(COPLAN_ERROR, "no random bytes from the system");
	/* URL-safe base64 of 32 bytes: 43 characters */
	for (size_t i = 0; i < 33; i += 3) {
		unsigned v = (unsigned)raw[i] << 16 | (unsigned)raw[i + 1] << 8 | raw[i + 2];

		for (int k = 18; k >= 0 && j < COPLAN_TOKEN_LEN - 1; k -= 6)
			key[j++] = b64[(v >> k) & 63];
	}
	key[j] = '\0';
	return 0;
}

int cps_stash_init(cps_stash *stash)
{
	memset(stash, 0, sizeof(*stash));
	pthread_mutex_init(&stash->lock, NULL);
	return 0;
}

void cps_upload_release(cps_upload *u)
{
	free(u->name);
	free(u->data);
	memset(u, 0, sizeof(*u));
}

int cps_stash_put(cps_stash *stash, long account, time_t now, const char *name, const char *data,
                  size_t len, long plan_id, const char *locale, int update, char key[COPLAN_TOKEN_LEN])
{
	cps_upload u = { .account = account, .at = now, .len = len, .plan_id = plan_id, .update = update };
	size_t slot = 0;
	int rc;

	if ((rc = random_key(u.key)))
		return rc;
	if (!(u.name = strdup(name ? name : "upload")) || !(u.data = malloc(len + 1))) {
		cps_upload_release(&u);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	memcpy(u.data, data, len);
	u.data[len] = '\0';
	snprintf(u.locale, sizeof(u.locale), "%s", locale ? locale : "");
	memcpy(key, u.key, COPLAN_TOKEN_LEN);
	pthread_mutex_lock(&stash->lock);
	/* an empty or expired slot, else the oldest */
	for (size_t i = 0; i < CPS_STASH_MAX; i++) {
		if (!stash->slots[i].data || now - stash->slots[i].at > CPS_STASH_TTL) {
			slot = i;
			break;
		}
		if (stash->slots[i].at < stash->slots[slot].at)
			slot = i;
	}
	cps_upload_release(&stash->slots[slot]);
	stash->slots[slot] = u;
	pthread_mutex_unlock(&stash->lock);
	return 0;
}

int cps_stash_take(cps_stash *stash, const char *key, long account, time_t now, cps_upload *out)
{
	int rc = cp_error(COPLAN_ENOTFOUND, "that upload is no longer kept (uploads wait %d minutes for "
	                  "the import): upload the file again", CPS_STASH_TTL / 60);

	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&stash->lock);
	for (size_t i = 0; i < CPS_STASH_MAX; i++) {
		cps_upload *u = &stash->slots[i];

		if (u->data && u->account == account && now - u->at <= CPS_STASH_TTL && cps_const_eq(u->key, key)) {
			*out = *u;
			memset(u, 0, sizeof(*u));
			coplan_error_clear();
			rc = 0;
			break;
		}
	}
	pthread_mutex_unlock(&stash->lock);
	return rc;
}

void cps_stash_release(cps_stash *stash)
{
	for (size_t i = 0; i < CPS_STASH_MAX; i++)
		cps_upload_release(&stash->slots[i]);
	pthread_mutex_destroy(&stash->lock);
}

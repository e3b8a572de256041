/* SPDX-License-Identifier: Apache-2.0 */
/* schedule.c - scheduling a stored plan: the budget rule, load to save in one transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service_int.h"

void coplan_schedule_result_clear(coplan_schedule_result *r)
{
	if (!r)
		return;
	coplan_plan_free(r->plan);
	coplan_plan_free(r->before);
	cp_svc_strv_free(r->missing_calendars, r->n_missing_calendars);
	memset(r, 0, sizeof(*r));
}

void coplan_service_schedule_options(coplan_schedule_options *opts, const coplan_ctx *ctx,
                                     const coplan_schedule_request *req, size_t n_activities)
{
	memset(opts, 0, sizeof(*opts));
	opts->seed = req ? req->seed : 1;
	opts->replan = req ? req->replan : 0;
	if (ctx) {
		opts->progress = ctx->progress;
		opts->payload = ctx->progress_payload;
	}
	if (!req || req->time_limit < 0) {
		/* a budget of moves, not of seconds: the same plan on every machine */
		opts->max_iterations = n_activities * COPLAN_MOVES_PER_ACTIVITY > COPLAN_MIN_MOVES
		                       ? n_activities * COPLAN_MOVES_PER_ACTIVITY : COPLAN_MIN_MOVES;
		return;
	}
	opts->time_limit = req->time_limit;
}

/*
 * The search runs without the write lock (a long schedule must not lock
 * every other officer out): the plan is read, searched, then written in a
 * short transaction that first checks the plan is still the one searched
 * (the SHA-256 of its canonical JSON); a plan changed meanwhile is not
 * overwritten.
 */
int coplan_service_schedule(const coplan_ctx *ctx, long plan_id, const coplan_schedule_request *req,
                            coplan_schedule_result *out)
{
	coplan_schedule_options opts;
	coplan_plan *old = NULL;
	coplan_store *store;
	cp_svc_audit audit;
	char searched[65];
	int rc, wrote = 0;

	memset(out, 0, sizeof(*out));
	if ((rc = cp_svc_store(ctx, &store)))
		return rc;
	/*
	 * One load, checked against its seal, which then stands for the plan
	 * searched.  The whole plan is searched, whoever asks: a commitment the
	 * user may not see still keeps activities off its days; what they get
	 * back is filtered at the end (docs/labels.md).
	 */
	if ((rc = coplan_store_load_plan_sealed(store, plan_id, &out->plan, &out->plan_id, searched)) ||
	    (rc = coplan_service_authorize(ctx, out->plan_id, COPLAN_ACTION_EDIT)) ||
	    (rc = cp_svc_readable(ctx, store, out->plan_id, out->plan)) ||
	    (rc = coplan_store_plan_editable(store, out->plan_id)))
		goto end;
	/* the plan as loaded, kept apart from the one searched: the moves and the write are its differences */
	if ((rc = coplan_plan_copy(&old, out->plan)))
		goto end;
	coplan_service_schedule_options(&opts, ctx, req, out->plan->n_activities);
	if ((rc = cp_svc_cancelled(ctx)) || (rc = coplan_schedule(out->plan, &opts, &out->score)) ||
	    (rc = cp_svc_cancelled(ctx)))
		goto end;
	if (req && req->dry_run)
		goto end;
	/* the write: short, and only over the plan that was searched */
	wrote = 1;
	if ((rc = cp_svc_audit_begin(ctx, store, &audit, "schedule", out->plan_id, "%s", "")))
		goto end;
	if (!(rc = coplan_service_authorize(ctx, out->plan_id, COPLAN_ACTION_EDIT))) {
		/* every write seals the plan again: another seal is another officer's change */
		rc = coplan_store_update_plan_from(store, out->plan_id, old, searched, out->plan);
		if (rc == COPLAN_ECONFLICT && coplan_store_plan_editable(store, out->plan_id) == 0)
			rc = cp_error(COPLAN_ECONFLICT, "plan %ld changed while it was being scheduled (another "
			              "officer's edit or status change): the new schedule was not saved, so "
			              "nothing of that change is lost; schedule again", out->plan_id);
	}
	rc = cp_svc_audit_end(ctx, store, &audit, rc);
end:
	if (!rc && req && req->replan) {
		out->before = old;
		old = NULL;
	}
	/* what the user gets: the plans as they may see them, the missing calendars of what they see */
	if (!rc && !(rc = cp_svc_release(ctx, out->plan)) && out->before)
		rc = cp_svc_release(ctx, out->before);
	if (!rc)
		rc = cp_svc_missing_calendars(&out->missing_calendars, &out->n_missing_calendars, out->plan);
	/* and the score of what they see (the whole plan's would count what is hidden) */
	if (!rc && ctx->account != 0)
		rc = coplan_schedule_score(out->plan, NULL, &out->score);
	if (rc && !wrote && cp_svc_audit_refusal_code(rc)) {
		/* refused before the search: recorded all the same */
		cp_svc_audit_init(&audit, "schedule", out->plan_id > 0 ? out->plan_id : plan_id, "%s", "");
		rc = cp_svc_audit_refused(ctx, store, &audit, rc);
	}
	coplan_plan_free(old);
	if (rc)
		coplan_schedule_result_clear(out);
	return rc;
}

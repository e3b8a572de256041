/* SPDX-License-Identifier: Apache-2.0 */
/* service_int.h - what the files of src/service/ share (private, prefix cp_svc_). */
#ifndef COPLAN_SERVICE_INT_H
#define COPLAN_SERVICE_INT_H

#include "coplan/errors.h"
#include "coplan/service.h"
#include "../common.h"

/* COPLAN_ECANCELLED when ctx's cancel flag is set, else 0. */
int cp_svc_cancelled(const coplan_ctx *ctx);

/* ctx->store, or COPLAN_EUSAGE when the context has none. */
int cp_svc_store(const coplan_ctx *ctx, coplan_store **out);

/*
 * The host nations of plan with neither built-in holiday rules nor
 * imported holidays (each once, in the order they first host): the
 * scheduler can keep their activities off weekends only.  *out is an array
 * of malloc'd strings, freed with cp_svc_strv_free().
 */
int cp_svc_missing_calendars(char ***out, size_t *n, const coplan_plan *plan);

/* The UTC date of t. */
coplan_date cp_svc_utc_date(time_t t);

/*
 * What plan (plan plan_id as it stands, loaded by the caller) is
 * (coplan_service_document_info()), into *out.
 */
int cp_svc_document_info(const coplan_ctx *ctx, coplan_store *store, long plan_id,
                         const coplan_plan *plan, const char *pattern, coplan_document_info *out);

/* Free n strings and the array. */
void cp_svc_strv_free(char **v, size_t n);

/*
 * Could activity i of plan start on from, every other activity where the
 * plan has it, by the scheduler's hard constraints (the holidays and
 * weekends of its host, blackouts, its units busy elsewhere, precedences;
 * its time window unless ignore_window: a postponement may leave it)?
 * 0 when it could (and *span_end, when not NULL, the last day its
 * duration gives); COPLAN_ECONFLICT with *why (malloc'd, the reasons as
 * text naming the other activities and days) when not; or an error.
 */
int cp_svc_placement_guard(coplan_plan *plan, long i, coplan_date from, int ignore_window,
                           char **why, coplan_date *span_end);

/*
 * The days from..to (local dates, inclusive) of a postponement longer than
 * activity i's duration, checked whole: its units busy elsewhere and the
 * hard blackouts of its host, participants and units on any of those days
 * (the scheduler's rules that hold for every day an activity is under way;
 * weekends and holidays inside the span are not its working days and are
 * allowed).  0 when none; COPLAN_ECONFLICT with *why (malloc'd) naming the
 * other activities and days; COPLAN_EINVALID for a span over 366 days.
 */
int cp_svc_span_guard(coplan_plan *plan, long i, coplan_date from, coplan_date to, char **why);

/*
 * COPLAN_ENOTFOUND naming ref and plan, with "did you mean REF?" when one
 * of the plan's refs is at most two edits away (letter case aside).
 */
int cp_svc_no_activity(const coplan_plan *plan, const char *ref);

#endif

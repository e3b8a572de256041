/* SPDX-License-Identifier: Apache-2.0 */
/* service_int.h - what the files of src/service/ share (private, prefix cp_svc_). */
#ifndef COPLAN_SERVICE_INT_H
#define COPLAN_SERVICE_INT_H

#include "coplan/errors.h"
#include "coplan/service.h"
#include "../common.h"
#include "coplan/label.h"
#include "coplan/store.h"

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

/* ---- who acts (account.c) ------------------------------------------------ */

/* What cp_svc_actor_of() found of ctx's account on a plan. */
typedef struct {
	long account;            /* 0: the command line's local operator */
	char name[65];           /* the account's name ("" for account 0) */
	char nation[4];          /* the account's nation ("" for account 0) */
	int is_admin;
	coplan_plan_role role;   /* on the plan (OWNER for account 0) */
	int restricted;          /* 1: a planner, who changes only their nation's activities */
} cp_svc_actor;

/*
 * coplan_service_authorize() for plan_id (> 0, already resolved; <= 0: an
 * action on no plan, for an administrator), telling who acts into *out.
 */
int cp_svc_actor_of(const coplan_ctx *ctx, long plan_id, coplan_action action, cp_svc_actor *out);

/*
 * As cp_svc_actor_of(), without writing a refusal to the audit log: for a
 * check whose refusal the request's use case then meets and records
 * itself (a front end's cache asking for a plan's stamp).
 */
int cp_svc_actor_check(const coplan_ctx *ctx, long plan_id, coplan_action action, cp_svc_actor *out);

/*
 * Who is recorded as the author of what ctx does: for a logged-in account
 * its own name and nation, whatever ctx->user says; for account 0 ctx->user
 * and ctx->nation.  Borrowed from actor and ctx.
 */
const char *cp_svc_author(const coplan_ctx *ctx, const cp_svc_actor *actor);
const char *cp_svc_author_nation(const coplan_ctx *ctx, const cp_svc_actor *actor);

/* ctx's account (checked enabled) into *out, with no role yet (OWNER for account 0). */
int cp_svc_whoami(const coplan_ctx *ctx, cp_svc_actor *out);

/*
 * Load plan plan_id (0: the newest) into *plan (freed with coplan_plan_free())
 * and its id into *id, if ctx's account may do action on it; *actor (may be
 * NULL) gets who acts.  A plan named by id is refused before it is read.
 * Errors: those of cp_svc_actor_of() and coplan_store_load_plan().
 */
int cp_svc_load_as(const coplan_ctx *ctx, long plan_id, coplan_action action, coplan_plan **plan,
                   long *id, cp_svc_actor *actor);

/* 1 when activity a is hosted by nation or has it among its participants. */
int cp_svc_activity_involves(const coplan_activity *a, const char *nation);

/*
 * For a planner (actor->restricted): COPLAN_EDENIED unless every activity
 * added, removed or changed between before and after is hosted by or
 * involves the planner's nation, every blackout added or removed is of
 * that nation or of a unit its activities name, and only its own imported
 * holidays changed.  0 for anyone else.
 */
int cp_svc_nation_guard(const cp_svc_actor *actor, const coplan_plan *before, const coplan_plan *after);

/* Make ctx's account (when > 0) the owner of the plan it just created (inside the transaction). */
int cp_svc_grant_owner(const coplan_ctx *ctx, long plan_id);

/* plan_id as stored: itself when > 0, else the id of the newest plan (COPLAN_ENOTFOUND when none). */
int cp_svc_plan_id(coplan_store *store, long plan_id, long *id);

/* ---- the audit log: the one place entries are written (audit.c) ------------- */

#include "coplan/audit.h"

/* What one use case records in the audit log. */
typedef struct {
	const char *action;       /* "import", "activity edit", "login", ... (static) */
	char object[COPLAN_AUDIT_OBJECT_MAX - 31];  /* what it acts on ("activity A-01", "user kim"),
	                                               recorded after "plan N " when plan_id > 0 */
	long plan_id;             /* > 0: the plan acted on, whose content seal is hashed before and after */
	char before[65];          /* its content seal when the use case began ("" none) */
	int sealed;               /* before was read (cp_svc_audit_begin()) */
	long as_account;          /* > 0: who acted when not ctx's account (a login) */
	int unchanged;            /* 1: nothing was changed (a dry run): only a refusal is recorded */
} cp_svc_audit;

/* 1 when rc is a refusal the audit log records (COPLAN_EDENIED, COPLAN_EAUTH, COPLAN_ECONFLICT). */
int cp_svc_audit_refusal_code(int rc);

/* Fill a (no store touched): action, plan_id, the object printf-style (cut at COPLAN_AUDIT_OBJECT_MAX). */
void cp_svc_audit_init(cp_svc_audit *a, const char *action, long plan_id, const char *fmt, ...)
	CP_PRINTF(4, 5);

/*
 * coplan_store_begin() for a use case that changes the store, filling a
 * as cp_svc_audit_init() does and reading plan_id's content seal (before).
 * Pair with cp_svc_audit_end().  Errors: those of coplan_store_begin().
 */
int cp_svc_audit_begin(const coplan_ctx *ctx, coplan_store *store, cp_svc_audit *a, const char *action,
                       long plan_id, const char *fmt, ...) CP_PRINTF(6, 7);

/*
 * The plan a use case acts on, once known (plan_id 0 resolved): id, and
 * its content seal as it stands (before) unless read already.
 */
int cp_svc_audit_plan(coplan_store *store, cp_svc_audit *a, long id);

/*
 * coplan_store_end() with the record: when rc is 0, one entry "done" is
 * appended inside the transaction (with plan a->plan_id's content seal
 * after, which callers may set once the plan is known); when the
 * transaction ends in a refusal (cp_svc_audit_refusal_code()), one entry
 * "refused" with the code is appended after the rollback in a short
 * transaction of its own, and the refusal's message is kept.  Returns rc
 * (or the commit's error).
 */
int cp_svc_audit_end(const coplan_ctx *ctx, coplan_store *store, cp_svc_audit *a, int rc);

/* Append the entry of a now, inside the caller's transaction: "done" when outcome is 0, else refused with it. */
int cp_svc_audit_record(const coplan_ctx *ctx, coplan_store *store, const cp_svc_audit *a, int outcome);

/* When rc is a refusal: its entry in a short transaction of its own, the message kept.  Returns rc. */
int cp_svc_audit_refused(const coplan_ctx *ctx, coplan_store *store, const cp_svc_audit *a, int rc);

/* The audit log's tree head as it stands: *size entries and their Merkle root (hex; "" when none). */
int cp_svc_audit_head(coplan_store *store, long *size, char root[65]);

/* ---- releasability (releasability.c, docs/labels.md) ----------------------- */

/* What a reader holds, as the label rules need it (coplan_reader's strings point into it). */
typedef struct {
	int everything;                      /* 1: account 0, the local operator: no filter */
	coplan_label_policy *policy;         /* owned */
	coplan_reader reader;
	char nation[4];
	char caveat_text[COPLAN_ACCOUNT_CAVEATS_MAX];
	char *caveats[COPLAN_LABEL_CAVEATS_MAX];
	size_t n_caveats;
} cp_svc_reader;

/*
 * The reader ctx's account is (its nation, clearance, caveats) with the
 * default policy (coplan_label_policy_default_path()); account 0 reads
 * everything.  Free with cp_svc_reader_free().  Errors: COPLAN_EAUTH, the
 * policy file's.
 */
int cp_svc_reader_of(const coplan_ctx *ctx, cp_svc_reader *out);
void cp_svc_reader_free(cp_svc_reader *r);

/*
 * Remove from plan what r may not see: activities and blackouts whose
 * labels (the plan's when none) do not permit r or do not parse, the
 * blackouts of units only hidden activities name, the precedences touching
 * a hidden activity; an unplaced reason naming anything hidden becomes "an
 * activity or a commitment not releasable to you".  A plan r may not see
 * at all: COPLAN_ENOTFOUND, as a missing one.
 */
int cp_svc_filter(coplan_plan *plan, const cp_svc_reader *r);

/*
 * Put back into edited (a plan filtered for r, then changed by r) what r
 * may not see of full (the plan as stored, inside the same transaction):
 * full's hidden activities are moved out of it (full is only fit for
 * coplan_plan_free() afterwards), its hidden blackouts and precedences
 * copied.  COPLAN_EDENIED when r used the ref of a hidden activity.
 */
int cp_svc_merge_hidden(coplan_plan *edited, coplan_plan *full, const cp_svc_reader *r);

/*
 * cp_svc_merge_hidden() of plan (filtered for ctx's account and changed) with
 * plan id as store holds it, inside the caller's transaction; nothing for
 * account 0.
 */
int cp_svc_unfilter(const coplan_ctx *ctx, coplan_store *store, long id, coplan_plan *plan);

/* cp_svc_filter() for ctx's account (nothing for account 0). */
int cp_svc_release(const coplan_ctx *ctx, coplan_plan *plan);

/*
 * For a logged-in account (nothing for account 0): keep of the history
 * *events (*n of them, freed and replaced) only the entries of activities
 * plan (already filtered for the reader) holds, by identity or, for older
 * entries, by ref; an entry of a deleted activity or of a blackout, whose
 * label is no longer known, is dropped (deny by default).
 */
int cp_svc_events_filter(const coplan_ctx *ctx, const coplan_plan *plan, coplan_activity_event **events,
                         size_t *n);

/*
 * After a use case of ctx's logged-in account ended in rc, outside any
 * transaction: when rc is COPLAN_ENOTFOUND and what was asked for exists
 * but is not releasable to the account (plan plan_id, 0 the newest, as a
 * whole, or its activity ref when ref is not NULL), one audit entry
 * "ACTION plan N ... not releasable", refused with COPLAN_EDENIED, in a
 * short transaction of its own.  The caller still answers rc with its
 * message ("not found", in the words of what does not exist).  Returns rc.
 */
int cp_svc_audit_unreleasable(const coplan_ctx *ctx, coplan_store *store, const char *action, long plan_id,
                              const char *ref, int rc);

/*
 * The explanations ex[0..n), computed on full (a plan as stored, not
 * filtered), as r may read them: a hidden activity a reason names becomes
 * "an activity not releasable to you", a hidden blackout's reason (and its
 * unit) "a commitment not releasable to you", their days kept only where
 * they meet the days asked, a hidden blackout's index -1.  Nothing for
 * account 0.  Errors: COPLAN_ENOMEM.
 */
int cp_svc_mask_explanations(coplan_explanation *ex, size_t n, const coplan_plan *full, const cp_svc_reader *r);

/*
 * 0 when ctx's account may see plan full (plan plan_id as stored) at all;
 * else COPLAN_ENOTFOUND "no such plan", recorded in the audit log as a
 * refusal (outside any transaction).
 */
int cp_svc_readable(const coplan_ctx *ctx, coplan_store *store, long plan_id, const coplan_plan *full);

/*
 * The rule of setting labels (docs/labels.md), for ctx's logged-in account
 * (nothing for account 0) changing before (the plan as stored, NULL for a
 * new plan) into after (both whole, nothing filtered): every label set or
 * changed, as it applies (the plan's for an item without one), must be one
 * the account satisfies; a change that widens who may see (a nation added,
 * the classification lowered, a caveat dropped) needs the account's nation
 * in the REL TO list of the label it had.  The role (an edit needs planner
 * or owner) is the use case's check.  Errors: COPLAN_EDENIED naming the
 * item, the labels' (COPLAN_EINVALID), the policy file's.
 */
int cp_svc_label_guard(const coplan_ctx *ctx, const coplan_plan *before, const coplan_plan *after);

/* COPLAN_EINVALID naming the first label of plan that does not parse under the default policy. */
int cp_svc_check_labels(const coplan_plan *plan);

#endif

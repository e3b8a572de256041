/* SPDX-License-Identifier: Apache-2.0 */
/* store.c - the rules of the record above any storage backend: transactions, signed plans, versions, history. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coplan/errors.h"
#include "coplan/export.h"
#include "coplan/import.h"
#include "coplan/sys/store_backend.h"
#include "../common.h"

struct coplan_store {
	coplan_store_backend *be;
	int depth;             /* open coplan_store_begin() calls: one transaction spans them all */
	int failed;            /* an inner step failed: the outermost end rolls back */
};

int coplan_store_open_backend(coplan_store **out, coplan_store_backend *be)
{
	coplan_store *st;

	if (!be)
		return cp_error(COPLAN_EUSAGE, "no storage backend");
	if (be->version != COPLAN_STORE_BACKEND_VERSION) {
		be->free(be);
		return cp_error(COPLAN_EINVALID, "a storage backend of interface version %u (this coplan "
		                "speaks %d)", be->version, COPLAN_STORE_BACKEND_VERSION);
	}
	if (!(st = calloc(1, sizeof(*st)))) {
		be->free(be);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	st->be = be;
	*out = st;
	return 0;
}

coplan_store_backend *coplan_store_backend_of(coplan_store *store)
{
	return store ? store->be : NULL;
}

static int open_sqlite(coplan_store **out, const char *path, int create)
{
	coplan_store_backend *be = NULL;
	int rc;

	if ((rc = coplan_store_sqlite_open(&be, path, create)))
		return rc;
	return coplan_store_open_backend(out, be);
}

int coplan_store_open(coplan_store **out, const char *path)
{
	return open_sqlite(out, path, 1);
}

int coplan_store_open_existing(coplan_store **out, const char *path)
{
	return open_sqlite(out, path, 0);
}

void coplan_store_close(coplan_store *st)
{
	if (!st)
		return;
	if (st->depth > 0)
		st->be->rollback(st->be);
	st->be->free(st->be);
	free(st);
}

/*
 * Transactions nest: the outermost begin opens the backend's write
 * transaction, inner ones join it, and the outermost end commits, or rolls
 * back when any step inside failed.
 */
int coplan_store_begin(coplan_store *st)
{
	int rc;

	if (st->depth++ > 0)
		return 0;
	st->failed = 0;
	if ((rc = st->be->begin(st->be)))
		st->depth = 0;
	return rc;
}

int coplan_store_end(coplan_store *st, int rc)
{
	if (st->depth <= 0)
		return rc ? rc : cp_error(COPLAN_ERROR, "%s: no transaction to finish", st->be->name);
	if (--st->depth > 0) {
		if (rc)
			st->failed = 1;
		return rc;
	}
	if (rc == 0 && !st->failed)
		return st->be->commit(st->be);
	st->be->rollback(st->be);
	st->failed = 0;
	return rc ? rc : cp_error(COPLAN_ERROR, "%s: rolled back: a step of the transaction failed",
	                          st->be->name);
}

int coplan_store_insert_plan(coplan_store *st, const coplan_plan *plan, long *plan_id)
{
	int rc;

	if ((rc = coplan_plan_validate(plan)))
		return rc;
	if ((rc = coplan_store_begin(st)))
		return rc;
	return coplan_store_end(st, st->be->insert_plan(st->be, plan, plan_id));
}

int coplan_store_load_plan(coplan_store *st, long plan_id, coplan_plan **out, long *plan_id_out)
{
	return st->be->load_plan(st->be, plan_id, out, plan_id_out);
}

int coplan_store_foreach_plan(coplan_store *st,
                              int (*fn)(long id, const char *title, int year, void *payload),
                              void *payload)
{
	return st->be->foreach_plan(st->be, fn, payload);
}

/* ---- versions ---------------------------------------------------------- */

static const char *const version_states[] = { "draft", "agreed", "signed" };

const char *coplan_version_state_name(coplan_version_state state)
{
	return (size_t)state < CP_ARRAY_SIZE(version_states) ? version_states[state] : "draft";
}

int coplan_version_state_parse(coplan_version_state *out, const char *name)
{
	for (size_t i = 0; i < CP_ARRAY_SIZE(version_states); i++) {
		if (cp_strcaseeq(name, version_states[i])) {
			*out = (coplan_version_state)i;
			return 0;
		}
	}
	return cp_error(COPLAN_EINVALID, "unknown version state '%s' (expected draft, agreed or signed)",
	                name ? name : "");
}

/* The rule of the record: once the newest version is signed, the plan is never changed in place. */
static int refuse_if_signed(coplan_store *st, long plan_id)
{
	coplan_version_state state = COPLAN_VERSION_DRAFT;
	int number, rc;

	if ((rc = st->be->version_newest(st->be, plan_id, &number, &state, NULL, NULL)))
		return rc;
	if (number > 0 && state == COPLAN_VERSION_SIGNED)
		return cp_error(COPLAN_ECONFLICT,
		                "plan %ld is signed (version %d): a signed plan is never changed; "
		                "start an amendment first (coplan amend)",
		                plan_id, number);
	return 0;
}

int coplan_store_plan_editable(coplan_store *st, long plan_id)
{
	return refuse_if_signed(st, plan_id);
}

int coplan_store_delete_plan(coplan_store *st, long plan_id, const char *by, int force)
{
	coplan_plan *plan = NULL;
	long id = plan_id;
	int rc;

	if (!by || !*by)
		return cp_error(COPLAN_EINVALID, "deleting a plan needs its author");
	if ((rc = coplan_store_begin(st)))
		return rc;
	if (!(rc = st->be->load_plan(st->be, plan_id, &plan, &id)) && !force) {
		coplan_version_state state = COPLAN_VERSION_DRAFT;
		int number = 0;

		if (!(rc = st->be->version_newest(st->be, id, &number, &state, NULL, NULL)) && number &&
		    state == COPLAN_VERSION_SIGNED)
			rc = cp_error(COPLAN_ECONFLICT, "plan %ld is signed (version %d): a signed plan is "
			              "deleted only on purpose (--force; the record keeps it, marked deleted)",
			              id, number);
	}
	if (!rc)
		rc = st->be->delete_plan(st->be, id, by);
	coplan_plan_free(plan);
	return coplan_store_end(st, rc);
}

int coplan_store_update_plan(coplan_store *st, long plan_id, const coplan_plan *plan)
{
	coplan_plan *old = NULL;
	long id = plan_id;
	int rc;

	if ((rc = coplan_plan_validate(plan)))
		return rc;
	if ((rc = coplan_store_begin(st)))
		return rc;
	if (!(rc = st->be->load_plan(st->be, plan_id, &old, &id)) &&
	    !(rc = refuse_if_signed(st, id)))
		rc = st->be->update_plan(st->be, id, plan, old);
	coplan_plan_free(old);
	return coplan_store_end(st, rc);
}

int coplan_store_version_save(coplan_store *st, long plan_id, coplan_version_state state,
                              const char *author, const char *note, int *number_out)
{
	coplan_version_state last_state = COPLAN_VERSION_DRAFT;
	coplan_plan *plan = NULL;
	char *snapshot = NULL, *last = NULL;
	size_t len = 0, last_len = 0;
	long id = plan_id;
	int rc, last_number = 0;

	if (!author || !*author)
		return cp_error(COPLAN_EINVALID, "a plan version needs its author");
	if ((rc = coplan_store_begin(st)))
		return rc;
	if ((rc = st->be->load_plan(st->be, plan_id, &plan, &id)))
		goto cleanup;
	if ((rc = coplan_plan_snapshot(&snapshot, &len, plan)))
		goto cleanup;
	if ((rc = st->be->version_newest(st->be, id, &last_number, &last_state, &last, &last_len)))
		goto cleanup;
	if (state == COPLAN_VERSION_SIGNED &&
	    (last_number == 0 || last_state != COPLAN_VERSION_AGREED || !last || last_len != len ||
	     memcmp(last, snapshot, len))) {
		rc = cp_error(COPLAN_ECONFLICT, "plan %ld: only a version saved as agreed, unchanged since, "
		              "can be signed (save it with --state agreed first)", id);
		goto cleanup;
	}
	if (state == COPLAN_VERSION_AGREED && last_number > 0 && last_state == COPLAN_VERSION_SIGNED) {
		rc = cp_error(COPLAN_ECONFLICT, "plan %ld: version %d is signed; an amendment starts as a "
		              "draft (--state draft)", id, last_number);
		goto cleanup;
	}
	if ((rc = st->be->version_insert(st->be, id, last_number + 1, state, author, note, snapshot, len)))
		goto cleanup;
	if (number_out)
		*number_out = last_number + 1;
cleanup:
	coplan_plan_free(plan);
	free(snapshot);
	free(last);
	return coplan_store_end(st, rc);
}

void coplan_plan_versions_free(coplan_plan_version *versions, size_t n)
{
	for (size_t i = 0; versions && i < n; i++) {
		free(versions[i].author);
		free(versions[i].note);
	}
	free(versions);
}

int coplan_store_versions(coplan_store *st, long plan_id, coplan_plan_version **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	return st->be->versions(st->be, plan_id, out, n);
}

int coplan_store_version_load(coplan_store *st, long plan_id, int number, coplan_plan **out)
{
	char *snapshot = NULL, name[64];
	size_t len = 0;
	int rc, found = number;

	if ((rc = st->be->version_snapshot(st->be, plan_id, number, &snapshot, &len, &found)))
		return rc;
	snprintf(name, sizeof(name), "version %d", found);
	rc = coplan_plan_from_snapshot(out, name, snapshot, len);
	free(snapshot);
	return rc;
}

/* ---- execution history ------------------------------------------------- */

int coplan_status_change_check(const coplan_status_change *c)
{
	const char *ref = c->ref && *c->ref ? c->ref : "?";

	if (!c->ref || !*c->ref)
		return cp_error(COPLAN_EINVALID, "a status change needs the activity's reference");
	if (c->status == COPLAN_STATUS_POSTPONED &&
	    (c->start == COPLAN_DATE_NONE || c->end == COPLAN_DATE_NONE))
		return cp_error(COPLAN_EINVALID, "activity '%s': postponed needs the new first and last day", ref);
	if (c->status == COPLAN_STATUS_POSTPONED && c->end < c->start)
		return cp_error(COPLAN_EINVALID, "activity '%s': the new last day comes before the new "
		                "first day (expected --from on or before --to)", ref);
	if (c->status != COPLAN_STATUS_POSTPONED &&
	    (c->start != COPLAN_DATE_NONE || c->end != COPLAN_DATE_NONE))
		return cp_error(COPLAN_EINVALID, "activity '%s': new dates go with the status postponed only", ref);
	if ((c->status == COPLAN_STATUS_POSTPONED || c->status == COPLAN_STATUS_CANCELLED) &&
	    (!c->reason || !*c->reason))
		return cp_error(COPLAN_EINVALID, "activity '%s': %s needs a reason", ref,
		                coplan_activity_status_name(c->status));
	if (!c->author || !*c->author)
		return cp_error(COPLAN_EINVALID, "activity '%s': a status change needs its author", ref);
	return 0;
}

/*
 * The rules a change must meet against the plan it changes: the activity
 * exists, and a postponement starts inside the plan's window (it moves an
 * activity later in the plan's year, never before the plan begins).
 */
static int status_change_check_plan(const coplan_status_change *c, const coplan_plan *plan)
{
	if (coplan_plan_find(plan, c->ref) < 0)
		return cp_error(COPLAN_ENOTFOUND, "no activity '%s' in plan '%s' (expected the ref of one "
		                "of its activities)", c->ref, plan->title ? plan->title : "");
	if (c->start != COPLAN_DATE_NONE && plan->window_from != COPLAN_DATE_NONE &&
	    c->start < plan->window_from)
		return cp_error(COPLAN_EINVALID, "activity '%s': new first day before the plan's window "
		                "(a postponement moves an activity later)", c->ref);
	return 0;
}

int coplan_store_set_statuses(coplan_store *st, long plan_id,
                              const coplan_status_change *changes, size_t n)
{
	coplan_plan *plan = NULL;
	long id = plan_id;
	int rc;

	for (size_t i = 0; i < n; i++)
		if ((rc = coplan_status_change_check(&changes[i])))
			return rc;
	if ((rc = coplan_store_begin(st)))
		return rc;
	if ((rc = st->be->load_plan(st->be, plan_id, &plan, &id)))
		goto cleanup;
	for (size_t i = 0; i < n && !rc; i++)
		if (!(rc = status_change_check_plan(&changes[i], plan)))
			rc = st->be->status_apply(st->be, id, &changes[i]);
cleanup:
	coplan_plan_free(plan);
	return coplan_store_end(st, rc);
}

int coplan_store_set_status(coplan_store *st, long plan_id, const char *ref,
                            coplan_activity_status status, coplan_date start, coplan_date end,
                            const char *reason, const char *author)
{
	coplan_status_change c = { ref, status, start, end, reason, author };

	return coplan_store_set_statuses(st, plan_id, &c, 1);
}

void coplan_activity_events_free(coplan_activity_event *events, size_t n)
{
	for (size_t i = 0; events && i < n; i++) {
		free(events[i].ref);
		free(events[i].author);
		free(events[i].reason);
	}
	free(events);
}

int coplan_store_history(coplan_store *st, long plan_id, const char *ref,
                         coplan_activity_event **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	return st->be->history(st->be, plan_id, ref, out, n);
}

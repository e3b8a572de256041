/* SPDX-License-Identifier: Apache-2.0 */
/* execution.c - tracking execution: status changes one by one or from a spreadsheet's log, and the history. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../buf.h"
#include "service_int.h"

/* Give each change without an author the acting user; the copies borrow the strings. */
static int with_authors(coplan_status_change **out, const coplan_ctx *ctx,
                        const coplan_status_change *changes, size_t n)
{
	coplan_status_change *c = malloc((n + 1) * sizeof(*c));

	if (!c)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		c[i] = changes[i];
		if (!c[i].author || !*c[i].author)
			c[i].author = ctx->user;
	}
	*out = c;
	return 0;
}

/* A planner records the execution of their nation's activities only. */
static int execution_guard(const cp_svc_actor *actor, const coplan_plan *plan,
                           const coplan_status_change *changes, size_t n)
{
	for (size_t k = 0; actor->account > 0 && k < n; k++) {
		long i = coplan_plan_find(plan, changes[k].ref);

		/* what the account may not see (the plan is filtered for it) is not there: "not found" */
		if (i < 0)
			return cp_svc_no_activity(plan, changes[k].ref);
		if (actor->restricted && !cp_svc_activity_involves(&plan->activities[i], actor->nation))
			return cp_error(COPLAN_EDENIED, "activity '%s' neither is hosted by %s nor has it "
			                "taking part: a planner records only their nation's activities",
			                changes[k].ref, actor->nation);
	}
	return 0;
}

/* A logged-in account records as itself: every change's author is its name. */
static int own_authors(const cp_svc_actor *actor, coplan_status_change *changes, size_t n)
{
	for (size_t k = 0; actor->account > 0 && k < n; k++)
		changes[k].author = actor->name;
	return 0;
}

/*
 * The postponements of changes checked against plan: a span no shorter
 * than the duration gives, the hard constraints met; what they break is
 * an error, or with force a line of *warnings.
 */
static int guard_postponements(coplan_plan *plan, const coplan_status_change *changes, size_t n,
                               int force, cp_buf *warnings)
{
	for (size_t k = 0; k < n; k++) {
		const coplan_status_change *c = &changes[k];
		char from[COPLAN_DATE_ISO_LEN], to[COPLAN_DATE_ISO_LEN], *why = NULL;
		coplan_date needed = COPLAN_DATE_NONE;
		long i;
		int rc;

		if (c->status != COPLAN_STATUS_POSTPONED || c->start == COPLAN_DATE_NONE)
			continue;
		if ((i = coplan_plan_find(plan, c->ref)) < 0)
			continue; /* the store names it */
		coplan_date_format_iso(c->start, from);
		coplan_date_format_iso(c->end, to);
		rc = cp_svc_placement_guard(plan, i, c->start, 1, &why, &needed);
		if (rc && rc != COPLAN_ECONFLICT)
			return rc;
		/* a span longer than the duration gives: the days after it too */
		if (!rc && needed != COPLAN_DATE_NONE && c->end > needed) {
			rc = cp_svc_span_guard(plan, i, c->start, c->end, &why);
			if (rc && rc != COPLAN_ECONFLICT)
				return rc;
		}
		if (rc == COPLAN_ECONFLICT && !force) {
			rc = cp_error(COPLAN_ECONFLICT, "activity '%s' cannot be postponed to %s..%s: %s "
			              "(--force records it anyway)", c->ref, from, to, why);
			free(why);
			return rc;
		}
		if (needed != COPLAN_DATE_NONE && c->end < needed) {
			char need[COPLAN_DATE_ISO_LEN];

			free(why);
			return cp_error(COPLAN_EINVALID, "activity '%s': %s..%s is shorter than the activity "
			                "(%d %s days from %s end on %s)", c->ref, from, to,
			                plan->activities[i].duration,
			                plan->activities[i].day_mode == COPLAN_DAYS_WORKING ? "working" : "calendar",
			                from, coplan_date_format_iso(needed, need));
		}
		if (rc == COPLAN_ECONFLICT &&
		    cp_buf_printf(warnings, "activity '%s' postponed to %s..%s against a hard constraint: %s\n",
		                  c->ref, from, to, why)) {
			free(why);
			return cp_error(COPLAN_ENOMEM, "out of memory");
		}
		free(why);
	}
	return 0;
}

int coplan_service_set_statuses(const coplan_ctx *ctx, long plan_id,
                                const coplan_status_change *changes, size_t n, int force,
                                char **warnings)
{
	cp_buf warn = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	coplan_status_change *c = NULL;
	coplan_plan *plan = NULL;
	coplan_store *store;
	cp_svc_audit audit;
	cp_svc_actor actor;
	long id;
	int rc;

	if (warnings)
		*warnings = NULL;
	if ((rc = cp_svc_store(ctx, &store)) || (rc = with_authors(&c, ctx, changes, n)))
		return rc;
	for (size_t k = 0; k < n; k++)
		if ((rc = coplan_status_change_check(&c[k])))
			goto cleanup;
	/* the check and the record in one transaction: no other change slips in between */
	if ((rc = cp_svc_audit_begin(ctx, store, &audit, "status", plan_id, "%s%s%s",
	                              n == 1 ? "activity " : "", n == 1 && c[0].ref ? c[0].ref : "",
	                              n == 1 ? "" : "activities")))
		goto cleanup;
	if (!(rc = cp_svc_load_as(ctx, plan_id, COPLAN_ACTION_EXECUTE, &plan, &id, &actor)) &&
	    !(rc = cp_svc_audit_plan(store, &audit, id)) &&
	    !(rc = execution_guard(&actor, plan, c, n)) && !(rc = own_authors(&actor, c, n)) &&
	    !(rc = guard_postponements(plan, c, n, force, &warn)))
		rc = coplan_store_set_statuses_as(store, id, c, n, cp_svc_author_nation(ctx, &actor));
	rc = cp_svc_audit_end(ctx, store, &audit, rc);
	if (!rc && warnings && warn.len)
		*warnings = cp_buf_detach(&warn, NULL);
cleanup:
	cp_buf_release(&warn);
	coplan_plan_free(plan);
	free(c);
	return rc;
}

/* Column of name in the header record, or -1. */
static long column(const coplan_csv_record *header, const char *name)
{
	for (size_t i = 0; i < header->n_fields; i++)
		if (!strcasecmp(header->fields[i], name))
			return (long)i;
	return -1;
}

static const char *cell(const coplan_csv_record *r, long col)
{
	return col >= 0 && (size_t)col < r->n_fields ? r->fields[col] : "";
}

/* Read the rows of an execution log into changes (borrowing the table's strings), checking each. */
static int read_log(coplan_status_change *changes, size_t *n, const coplan_csv_table *table,
                    const char *path, const coplan_plan *plan, const coplan_csv_options *copts,
                    const char *author)
{
	static const char *const names[] = { "ref", "status", "from", "to", "reason", "author" };
	long col[6];

	*n = 0;
	if (table->n_records == 0)
		return cp_error(COPLAN_EINVALID, "%s: empty file (expected a header: "
		                "ref,status,from,to,reason,author)", path);
	for (size_t i = 0; i < 6; i++)
		col[i] = column(&table->records[0], names[i]);
	if (col[0] < 0 || col[1] < 0)
		return cp_error(COPLAN_EINVALID, "%s:1: the header needs the columns ref and status "
		                "(and from, to, reason, author)", path);
	for (size_t i = 1; i < table->n_records; i++) {
		const coplan_csv_record *r = &table->records[i];
		coplan_status_change *c = &changes[*n];
		const char *from = cell(r, col[2]), *to = cell(r, col[3]);

		if (!*cell(r, col[0]) && !*cell(r, col[1]))
			continue; /* an empty row */
		c->ref = cell(r, col[0]);
		c->reason = cell(r, col[4]);
		c->author = *cell(r, col[5]) ? cell(r, col[5]) : author;
		c->start = c->end = COPLAN_DATE_NONE;
		if (coplan_activity_status_parse(&c->status, cell(r, col[1])) ||
		    (*from && coplan_parse_date_text(&c->start, from, copts->locale)) ||
		    (*to && coplan_parse_date_text(&c->end, to, copts->locale)) ||
		    coplan_status_change_check(c)) {
			char msg[1024];

			snprintf(msg, sizeof(msg), "%s", coplan_error_last());
			return cp_error(COPLAN_EINVALID, "%s:%zu: %s", path, r->line, msg);
		}
		if (coplan_plan_find(plan, c->ref) < 0)
			return cp_error(COPLAN_EINVALID, "%s:%zu:%ld: no activity '%s' in plan '%s' (expected "
			                "the ref of one of its activities)", path, r->line, col[0] + 1, c->ref,
			                plan->title ? plan->title : "");
		if (c->start != COPLAN_DATE_NONE && plan->window_from != COPLAN_DATE_NONE &&
		    c->start < plan->window_from)
			return cp_error(COPLAN_EINVALID, "%s:%zu:%ld: new first day before the plan's window "
			                "(a postponement moves an activity later)", path, r->line, col[2] + 1);
		(*n)++;
	}
	return 0;
}

int coplan_service_import_execution_log(const coplan_ctx *ctx, long plan_id, const char *path,
                                        const char *data, size_t len,
                                        const coplan_csv_options *csv, int force,
                                        size_t *n_recorded, char **warnings)
{
	cp_buf warn = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	static const coplan_csv_options defaults;
	coplan_status_change *changes = NULL;
	coplan_csv_table *table = NULL;
	coplan_plan *plan = NULL;
	coplan_store *store;
	cp_svc_audit audit;
	cp_svc_actor actor;
	size_t n = 0;
	long id;
	int rc;

	if (warnings)
		*warnings = NULL;
	if (!csv)
		csv = &defaults;
	if ((rc = cp_svc_store(ctx, &store)))
		return rc;
	rc = data ? coplan_csv_parse(&table, path, data, len, csv) : coplan_csv_read_file(&table, path, csv);
	if (rc)
		return rc;
	if (!(changes = calloc(table->n_records + 1, sizeof(*changes)))) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	/* checked against the plan, recorded in the same transaction */
	if ((rc = cp_svc_audit_begin(ctx, store, &audit, "execution log", plan_id, "%s", path ? path : "")))
		goto cleanup;
	if (!(rc = cp_svc_load_as(ctx, plan_id, COPLAN_ACTION_EXECUTE, &plan, &id, &actor)) &&
	    !(rc = cp_svc_audit_plan(store, &audit, id)) &&
	    !(rc = read_log(changes, &n, table, path, plan, csv, ctx->user)) &&
	    !(rc = execution_guard(&actor, plan, changes, n)) && !(rc = own_authors(&actor, changes, n)) &&
	    !(rc = guard_postponements(plan, changes, n, force, &warn)))
		rc = coplan_store_set_statuses_as(store, id, changes, n, cp_svc_author_nation(ctx, &actor));
	if ((rc = cp_svc_audit_end(ctx, store, &audit, rc)))
		goto cleanup;
	if (n_recorded)
		*n_recorded = n;
	if (warnings && warn.len)
		*warnings = cp_buf_detach(&warn, NULL);
cleanup:
	cp_buf_release(&warn);
	free(changes);
	coplan_plan_free(plan);
	coplan_csv_table_free(table);
	return rc;
}

int coplan_service_history(const coplan_ctx *ctx, long plan_id, const char *ref,
                           coplan_activity_event **out, size_t *n)
{
	coplan_store *store;
	coplan_plan *plan = NULL;
	long id;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = cp_svc_store(ctx, &store)))
		return rc;
	if ((rc = coplan_store_refuse_damaged(store)))
		return rc;
	if ((rc = cp_svc_load_as(ctx, plan_id, COPLAN_ACTION_READ, &plan, &id, NULL)))
		return rc;
	if (ref) {
		long i = coplan_service_find_activity(plan, ref);

		/* an activity of the plan (in any letter case), or one it had: its history still answers */
		if (i >= 0)
			ref = plan->activities[i].ref;
		if ((rc = coplan_store_history(store, id, ref, out, n)) == 0)
			rc = cp_svc_events_filter(ctx, plan, out, n);
		if (!rc && *n == 0 && i < 0)
			rc = cp_svc_audit_unreleasable(ctx, store, "history", id, ref, cp_svc_no_activity(plan, ref));
	} else if (!(rc = coplan_store_history(store, id, ref, out, n))) {
		rc = cp_svc_events_filter(ctx, plan, out, n);
	}
	coplan_plan_free(plan);
	if (rc) {
		/* an error returns nothing (the filter may have left an empty list allocated) */
		coplan_activity_events_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* execution.c - tracking execution: status changes one by one or from a spreadsheet's log, and the history. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

int coplan_service_set_statuses(const coplan_ctx *ctx, long plan_id,
                                const coplan_status_change *changes, size_t n)
{
	coplan_status_change *c = NULL;
	coplan_store *store;
	int rc;

	if ((rc = cp_svc_store(ctx, &store)) || (rc = with_authors(&c, ctx, changes, n)))
		return rc;
	rc = coplan_store_set_statuses(store, plan_id, c, n);
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
                                        const coplan_csv_options *csv, size_t *n_recorded)
{
	static const coplan_csv_options defaults;
	coplan_status_change *changes = NULL;
	coplan_csv_table *table = NULL;
	coplan_plan *plan = NULL;
	coplan_store *store;
	size_t n = 0;
	long id;
	int rc;

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
	if ((rc = coplan_store_begin(store)))
		goto cleanup;
	if (!(rc = coplan_store_load_plan(store, plan_id, &plan, &id)) &&
	    !(rc = read_log(changes, &n, table, path, plan, csv, ctx->user)))
		rc = coplan_store_set_statuses(store, id, changes, n);
	if ((rc = coplan_store_end(store, rc)))
		goto cleanup;
	if (n_recorded)
		*n_recorded = n;
cleanup:
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
	if ((rc = coplan_store_load_plan(store, plan_id, &plan, &id)))
		return rc;
	coplan_plan_free(plan);
	return coplan_store_history(store, id, ref, out, n);
}

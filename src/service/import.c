/* SPDX-License-Identifier: Apache-2.0 */
/* import.c - plans in: one file into the store, and a whole plan folder planned in one transaction. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "service_int.h"

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcasecmp(s + n - m, suffix);
}

void coplan_import_result_clear(coplan_import_result *r)
{
	if (!r)
		return;
	free(r->title);
	cp_svc_strv_free(r->missing_calendars, r->n_missing_calendars);
	coplan_changes_free(r->changes, r->n_changes);
	memset(r, 0, sizeof(*r));
}

int coplan_service_import_check(const coplan_import_request *req, coplan_import_kind *kind)
{
	const char *path = req->path;
	int csv_opts = req->csv.encoding || req->csv.delimiter || req->csv.locale || req->csv.header_map ||
	               req->csv.update;

	if (!path || !*path)
		return cp_error(COPLAN_EUSAGE, "which file?");
	if (has_suffix(path, ".ics") || has_suffix(path, ".ical") || has_suffix(path, ".ifb")) {
		if (!req->nation == !req->unit)
			return cp_error(COPLAN_EUSAGE, "'%s': say whose calendar it is: --nation NAT (a "
			                "holiday feed) or --unit UNIT (busy periods)", path);
		/* a nation that does not exist is bad input (exit 1), like any other bad value */
		if (req->nation && !coplan_nation_valid(req->nation))
			return cp_error(COPLAN_EINVALID, "unknown nation '%s' for the holiday feed "
			                "(expected ISO 3166-1 alpha-3, e.g. AUS)", req->nation);
		if (req->unit && !*req->unit)
			return cp_error(COPLAN_EUSAGE, "--unit takes a unit's name, got ''");
		if (req->soft && !req->unit)
			return cp_error(COPLAN_EUSAGE, "--soft goes with --unit");
		if (csv_opts)
			return cp_error(COPLAN_EUSAGE, "--encoding, --delimiter and --locale are for CSV files");
		*kind = req->nation ? COPLAN_IMPORT_HOLIDAYS : COPLAN_IMPORT_BLACKOUTS;
	} else if (req->nation || req->unit || req->soft) {
		return cp_error(COPLAN_EUSAGE, "--nation, --unit and --soft are for .ics calendars");
	} else if (has_suffix(path, ".json")) {
		*kind = COPLAN_IMPORT_PLAN;
	} else if (has_suffix(path, ".csv") || has_suffix(path, ".txt") || has_suffix(path, ".tsv") ||
	           has_suffix(path, ".xlsx")) {
		*kind = COPLAN_IMPORT_ACTIVITIES;
	} else {
		return cp_error(COPLAN_EUSAGE, "'%s': expected a .json plan, a .csv or .xlsx of "
		                "activities or an .ics calendar", path);
	}
	if (req->sheet && !has_suffix(path, ".xlsx"))
		return cp_error(COPLAN_EUSAGE, "--sheet is for an .xlsx workbook, not '%s'", path);
	if (!req->data && access(path, R_OK) != 0)
		return cp_error(COPLAN_EIO, "%s: cannot read: %s", path, strerror(errno));
	return 0;
}

static int set_plan_result(coplan_import_result *out, const coplan_plan *plan, long id)
{
	out->plan_id = id;
	out->year = plan->year;
	out->n_activities = plan->n_activities;
	out->n_blackouts = plan->n_blackouts;
	if (!(out->title = cp_strdup(plan->title ? plan->title : "")))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	return cp_svc_missing_calendars(&out->missing_calendars, &out->n_missing_calendars, plan);
}

static int import_plan(const coplan_ctx *ctx, coplan_store *store, const coplan_import_request *req,
                       coplan_import_result *out)
{
	coplan_plan *plan = NULL;
	long id = 0;
	int rc;

	/* a new plan: an administrator's, who becomes its owner */
	if ((rc = coplan_service_authorize(ctx, 0, COPLAN_ACTION_ADMIN)))
		return rc;
	rc = req->data ? coplan_import_plan_json_buffer(&plan, req->path, req->data, req->len)
	               : coplan_import_plan_json(&plan, req->path);
	if (rc)
		return rc;
	if (!(rc = coplan_plan_validate(plan)) && !(rc = cp_svc_check_labels(plan)) &&
	    !(rc = cp_svc_label_guard(ctx, NULL, plan)) &&
	    !(rc = req->dry_run ? 0 : coplan_store_insert_plan(store, plan, &id)) &&
	    !(rc = req->dry_run ? 0 : cp_svc_grant_owner(ctx, id)))
		rc = set_plan_result(out, plan, id);
	coplan_plan_free(plan);
	return rc;
}

/* Load plan req->plan_id, add what the file holds, check, and save it back (unless a dry run). */
static int import_into(const coplan_ctx *ctx, coplan_store *store, const coplan_import_request *req,
                       coplan_import_result *out)
{
	coplan_plan *plan = NULL;
	cp_svc_actor actor;
	long id;
	int rc;

	if ((rc = cp_svc_load_as(ctx, req->plan_id, COPLAN_ACTION_EDIT, &plan, &id, &actor)))
		return rc;
	if (!req->dry_run && (rc = coplan_store_plan_editable(store, id)))
		goto cleanup;
	switch (out->kind) {
	case COPLAN_IMPORT_ACTIVITIES:
		if (has_suffix(req->path, ".xlsx"))
			rc = req->data ? coplan_import_activities_xlsx_buffer(plan, req->path, req->data, req->len,
			                                                      req->sheet, &req->csv, &out->sheet)
			               : coplan_import_activities_xlsx(plan, req->path, req->sheet, &req->csv,
			                                               &out->sheet);
		else
			rc = req->data ? coplan_import_activities_csv_buffer(plan, req->path, req->data, req->len,
			                                                     &req->csv, &out->sheet)
			               : coplan_import_activities_csv_report(plan, req->path, &req->csv,
			                                                     &out->sheet);
		break;
	case COPLAN_IMPORT_HOLIDAYS:
		rc = req->data ? coplan_ical_import_holidays_buffer(plan, req->path, req->data, req->len,
		                                                    req->nation, &out->calendar)
		               : coplan_ical_import_holidays(plan, req->path, req->nation, &out->calendar);
		break;
	default:
		rc = req->data ? coplan_ical_import_blackouts_buffer(plan, req->path, req->data, req->len,
		                                                     req->unit, !req->soft, &out->calendar)
		               : coplan_ical_import_blackouts(plan, req->path, req->unit, !req->soft,
		                                              &out->calendar);
		if (!rc) {
			out->unit_unused = 1;
			for (size_t i = 0; i < plan->n_activities && out->unit_unused; i++)
				for (size_t u = 0; u < plan->activities[i].n_units && out->unit_unused; u++)
					out->unit_unused = strcmp(plan->activities[i].units[u], req->unit) != 0;
		}
		break;
	}
	if (rc)
		goto cleanup;
	if ((rc = coplan_plan_validate(plan)) || (rc = cp_svc_check_labels(plan)))
		goto cleanup;
	/* what the user may not see goes back in untouched (docs/labels.md) */
	if ((rc = cp_svc_unfilter(ctx, store, id, plan)) || (rc = coplan_plan_validate(plan)))
		goto cleanup;
	if (actor.restricted || ctx->account != 0) {
		/* a planner imports only what their nation hosts or takes part in; labels only as one may set them */
		coplan_plan *before = NULL;

		if (!(rc = coplan_store_load_plan(store, id, &before, NULL)) &&
		    !(rc = cp_svc_label_guard(ctx, before, plan)))
			rc = cp_svc_nation_guard(&actor, before, plan);
		coplan_plan_free(before);
		if (rc)
			goto cleanup;
	}
	if (out->kind == COPLAN_IMPORT_ACTIVITIES && req->csv.update) {
		coplan_plan *before = NULL;

		if (!(rc = coplan_store_load_plan(store, id, &before, NULL)))
			rc = coplan_plan_compare(&out->changes, &out->n_changes, before, plan);
		coplan_plan_free(before);
		if (rc)
			goto cleanup;
	}
	if (!req->dry_run && (out->kind == COPLAN_IMPORT_ACTIVITIES || out->calendar.added) &&
	    (rc = coplan_store_update_plan(store, id, plan)))
		goto cleanup;
	/* the counts the user gets: of what they may see */
	if ((rc = cp_svc_release(ctx, plan)))
		goto cleanup;
	rc = set_plan_result(out, plan, id);
cleanup:
	coplan_plan_free(plan);
	return rc;
}

int coplan_service_import(const coplan_ctx *ctx, const coplan_import_request *req,
                          coplan_import_result *out)
{
	cp_svc_audit audit;
	coplan_store *store;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = coplan_service_import_check(req, &out->kind)) || (rc = cp_svc_store(ctx, &store)))
		return rc;
	/* load, add, save as one transaction: no other writer's change is lost */
	if ((rc = cp_svc_audit_begin(ctx, store, &audit, "import", 0, "%s", req->path ? req->path : "")))
		return rc;
	audit.unchanged = req->dry_run;
	if (out->kind == COPLAN_IMPORT_PLAN) {
		rc = import_plan(ctx, store, req, out);
		/* a new plan: nothing before it */
		audit.plan_id = out->plan_id;
		audit.sealed = 1;
	} else {
		long id;

		/* the plan as it stands before the import (one not found is import_into()'s to say) */
		rc = cp_svc_plan_id(store, req->plan_id, &id);
		if (!rc)
			rc = cp_svc_audit_plan(store, &audit, id);
		else if (rc == COPLAN_ENOTFOUND)
			rc = 0;
		if (!rc)
			rc = import_into(ctx, store, req, out);
	}
	if (!rc)
		rc = cp_svc_cancelled(ctx);
	rc = cp_svc_audit_end(ctx, store, &audit, rc);
	if (rc) {
		/* the sheet's report says what was decided even when the import failed */
		coplan_import_report sheet = out->sheet;
		coplan_import_kind kind = out->kind;

		coplan_import_result_clear(out);
		out->sheet = sheet;
		out->kind = kind;
	}
	return rc;
}

/* ---- a plan folder --------------------------------------------------- */

void coplan_plan_folder_result_clear(coplan_plan_folder_result *r)
{
	if (!r)
		return;
	coplan_schedule_result_clear(&r->schedule);
	free(r->sheet_path);
	for (size_t i = 0; i < r->n_feeds; i++)
		free(r->feeds[i].path);
	free(r->feeds);
	memset(r, 0, sizeof(*r));
}

static char *path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Import every DIR/holidays/NAT.ics as holidays of NAT into plan, in name order. */
static int import_holiday_feeds(coplan_plan *plan, const char *dir, coplan_plan_folder_result *out)
{
	char *folder = path_join(dir, "holidays"), **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (!folder)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	if (!(d = opendir(folder))) {
		free(folder);
		return 0;
	}
	while ((de = readdir(d)) && !rc) {
		size_t len = strlen(de->d_name);

		if (len < 4 || strcasecmp(de->d_name + len - 4, ".ics"))
			continue;
		if (cp_grow((void **)&names, &cap, n + 1, sizeof(*names)) || !(names[n] = cp_strdup(de->d_name)))
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
		else
			n++;
	}
	closedir(d);
	if (!rc && n)
		qsort(names, n, sizeof(*names), cmp_names);
	if (!rc && n && !(out->feeds = calloc(n, sizeof(*out->feeds))))
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
	for (size_t i = 0; i < n && !rc; i++) {
		char nation[COPLAN_NATION_LEN], *path = path_join(folder, names[i]);

		if (!path) {
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
			break;
		}
		snprintf(nation, sizeof(nation), "%.*s", (int)(strlen(names[i]) - 4), names[i]);
		if (strlen(names[i]) != 7 || !coplan_nation_valid(nation)) {
			rc = cp_error(COPLAN_EINVALID, "%s: a holiday feed is named by its nation's ISO "
			              "3166-1 alpha-3 code, e.g. holidays/AUS.ics", path);
			free(path);
			break;
		}
		if ((rc = coplan_ical_import_holidays(plan, path, nation, &out->feeds[out->n_feeds].report))) {
			free(path);
			break;
		}
		out->feeds[out->n_feeds].path = path;
		memcpy(out->feeds[out->n_feeds].nation, nation, sizeof(nation));
		out->n_feeds++;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(folder);
	return rc;
}

int coplan_service_plan_folder_read(const char *dir, const coplan_csv_options *csv,
                                    coplan_plan **plan, coplan_plan_folder_result *out)
{
	coplan_csv_options copts = { 0 };
	char *json = NULL, *sheet_csv = NULL, *sheet_xlsx = NULL, *headers = NULL, *costs = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	*plan = NULL;
	if (csv)
		copts = *csv;
	if (!(json = path_join(dir, "plan.json")) || !(sheet_csv = path_join(dir, "activities.csv")) ||
	    !(sheet_xlsx = path_join(dir, "activities.xlsx")) || !(headers = path_join(dir, "headers.csv")) ||
	    !(costs = path_join(dir, "costs.csv"))) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	if ((rc = coplan_import_plan_json(plan, json)))
		goto cleanup;
	/* a plan folder may carry the header map of its own sheets */
	if (access(headers, F_OK) == 0)
		copts.header_map = headers;
	if (access(sheet_csv, F_OK) == 0) {
		out->sheet_path = sheet_csv;
		sheet_csv = NULL;
		rc = coplan_import_activities_csv_report(*plan, out->sheet_path, &copts, &out->sheet);
	} else if (access(sheet_xlsx, F_OK) == 0) {
		out->sheet_path = sheet_xlsx;
		sheet_xlsx = NULL;
		rc = coplan_import_activities_xlsx(*plan, out->sheet_path, NULL, &copts, &out->sheet);
	}
	if (rc)
		goto cleanup;
	/* the activities' costs, when the folder has the finance office's sheet (issue 17) */
	if (access(costs, F_OK) == 0 && (rc = coplan_import_costs_csv(*plan, costs, &copts, &out->costs_rows)))
		goto cleanup;
	if ((rc = import_holiday_feeds(*plan, dir, out)) || (rc = coplan_plan_validate(*plan)))
		goto cleanup;
	if ((*plan)->n_activities == 0)
		rc = cp_error(COPLAN_EINVALID, "%s: no activities: put the proposals in activities.csv "
		              "or activities.xlsx (or in plan.json)", dir);
cleanup:
	if (rc) {
		coplan_plan_free(*plan);
		*plan = NULL;
	}
	free(json);
	free(sheet_csv);
	free(sheet_xlsx);
	free(headers);
	free(costs);
	return rc;
}

int coplan_service_plan_new(const coplan_ctx *ctx, const coplan_plan *plan,
                            const coplan_schedule_request *req, coplan_schedule_result *out)
{
	coplan_schedule_options sopts;
	coplan_plan *work = NULL;
	cp_svc_audit audit;
	coplan_store *store;
	long id = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = cp_svc_store(ctx, &store)))
		return rc;
	/* a new plan: an administrator's (refused before the search; checked again inside) */
	if ((rc = coplan_service_authorize(ctx, 0, COPLAN_ACTION_ADMIN)))
		return rc;
	if ((rc = cp_svc_missing_calendars(&out->missing_calendars, &out->n_missing_calendars, plan)))
		return rc;
	/* insert, schedule, save as one transaction: a failure leaves no half-made plan */
	if ((rc = cp_svc_audit_begin(ctx, store, &audit, "plan new", 0, "%s", "")))
		goto cleanup;
	coplan_service_schedule_options(&sopts, ctx, req, plan->n_activities);
	if (!(rc = coplan_service_authorize(ctx, 0, COPLAN_ACTION_ADMIN)) &&
	    !(rc = cp_svc_check_labels(plan)) &&
	    !(rc = coplan_store_insert_plan(store, plan, &id)) && !(rc = cp_svc_grant_owner(ctx, id)) &&
	    !(rc = coplan_store_load_plan(store, id, &work, NULL)) && !(rc = cp_svc_cancelled(ctx)) &&
	    !(rc = coplan_schedule(work, &sopts, &out->score)) && !(rc = cp_svc_cancelled(ctx)) &&
	    !(rc = coplan_store_update_plan(store, id, work)))
		/* the result is the plan as stored (sequences raised by the store), read in the transaction */
		rc = coplan_store_load_plan(store, id, &out->plan, NULL);
	audit.plan_id = id;
	audit.sealed = 1;
	if ((rc = cp_svc_audit_end(ctx, store, &audit, rc)))
		goto cleanup;
	out->plan_id = id;
cleanup:
	coplan_plan_free(work);
	if (rc)
		coplan_schedule_result_clear(out);
	return rc;
}

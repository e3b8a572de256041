/* SPDX-License-Identifier: Apache-2.0 */
/* edit.c - a year of changes: activities added, edited, deleted, pinned; blackouts; amendments started. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coplan/calendar.h"
#include "coplan/cost.h"
#include "../buf.h"
#include "service_int.h"

/* ---- fields, as the CSV names them ------------------------------------ */

/* The last error again, prefixed by "field: " (copied first: the message is the buffer written to). */
static int field_error(const char *field)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "%s", coplan_error_last());
	return cp_error(COPLAN_EINVALID, "%s: %s", field, msg);
}

static int split_list(coplan_activity *a, const char *text, int units)
{
	char *copy = cp_strdup(text), *save = NULL;
	int rc = 0;

	if (!copy)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	for (char *item = strtok_r(copy, ";,", &save); item && !rc; item = strtok_r(NULL, ";,", &save)) {
		while (*item == ' ')
			item++;
		for (size_t n = strlen(item); n && item[n - 1] == ' '; n--)
			item[n - 1] = '\0';
		if (!*item)
			continue;
		if (!units) {
			for (char *p = item; *p; p++)
				*p = cp_ascii_upper(*p);
			if (!coplan_nation_valid(item)) {
				rc = cp_error(COPLAN_EINVALID, "participants: unknown nation '%s' (expected "
				              "ISO 3166-1 alpha-3, e.g. JPN)", item);
				break;
			}
		}
		rc = units ? coplan_activity_add_unit(a, item) : coplan_activity_add_participant(a, item);
	}
	free(copy);
	return rc;
}

static void free_list(char ***v, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		free((*v)[i]);
	free(*v);
	*v = NULL;
	*n = 0;
}

static int set_text(char **slot, const char *value, int required, const char *field)
{
	char *copy;
	int rc;

	if (!*value) {
		if (required)
			return cp_error(COPLAN_EINVALID, "%s: cannot be empty", field);
		free(*slot);
		*slot = NULL;
		return 0;
	}
	if ((rc = coplan_text_check(value)))
		return field_error(field);
	if (!(copy = cp_strdup(value)))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	free(*slot);
	*slot = copy;
	return 0;
}

/* Replace the precedences that lead to ref with those of "after" ("IT-01" or "IT-01+30", ';' between). */
static int set_after(coplan_plan *plan, const char *ref, const char *value)
{
	char *copy, *save = NULL;
	int rc = 0;

	coplan_plan_remove_precedences(plan, ref, 0, 1);
	if (!(copy = cp_strdup(value)))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	for (char *item = strtok_r(copy, ";,", &save); item && !rc; item = strtok_r(NULL, ";,", &save)) {
		char *plus, *q, *end;
		long gap = 0;
		coplan_precedence_kind kind = COPLAN_PRECEDENCE_REQUIRES;

		long at;

		while (*item == ' ')
			item++;
		for (size_t n = strlen(item); n && item[n - 1] == ' '; n--)
			item[n - 1] = '\0';
		if (!*item)
			continue;
		if ((q = strchr(item, '?'))) {   /* "IT-01?": only orders the two (an 'after' precedence) */
			kind = COPLAN_PRECEDENCE_AFTER;
			*q = '\0';
		}
		if ((plus = strchr(item, '+'))) {
			*plus = '\0';
			gap = strtol(plus + 1, &end, 10);
			if (end == plus + 1 || *end || gap < 0 || gap > 3660) {
				rc = cp_error(COPLAN_EINVALID, "after: '%s' is not a gap in days (expected e.g. "
				              "IT-01+30)", plus + 1);
				break;
			}
		}
		if ((at = coplan_service_find_activity(plan, item)) < 0) {
			rc = cp_svc_no_activity(plan, item);
			rc = rc == COPLAN_ENOTFOUND ? field_error("after") : rc;
			break;
		}
		rc = coplan_plan_add_precedence_kind(plan, plan->activities[at].ref, ref, (int)gap, -1, kind);
	}
	free(copy);
	return rc;
}

/* Set one field of activity a (in plan) from text, as the CSV column of that name would. */
static int set_field(coplan_plan *plan, coplan_activity *a, const char *field, const char *value,
                     const char *locale)
{
	if (!strcmp(field, "title"))
		return set_text(&a->title, value, 1, field);
	if (!strcmp(field, "area"))
		return set_text(&a->area, value, 0, field);
	if (!strcmp(field, "kind"))
		return set_text(&a->kind, value, 0, field);
	if (!strcmp(field, "location"))
		return set_text(&a->location, value, 0, field);
	if (!strcmp(field, "notes"))
		return set_text(&a->notes, value, 0, field);
	if (!strcmp(field, "host")) {
		char code[COPLAN_NATION_LEN] = { 0 };

		for (size_t i = 0; i < 3 && value[i]; i++)
			code[i] = cp_ascii_upper(value[i]);
		if (strlen(value) != 3 || !coplan_nation_valid(code))
			return cp_error(COPLAN_EINVALID, "host: unknown nation '%s' (expected ISO 3166-1 "
			                "alpha-3, e.g. JPN)", value);
		memcpy(a->host, code, sizeof(code));
		return 0;
	}
	if (!strcmp(field, "participants")) {
		free_list(&a->participants, &a->n_participants);
		return split_list(a, value, 0);
	}
	if (!strcmp(field, "units")) {
		free_list(&a->units, &a->n_units);
		return split_list(a, value, 1);
	}
	if (!strcmp(field, "duration")) {
		char *end;
		long d = strtol(value, &end, 10);

		if (end == value || *end)
			return cp_error(COPLAN_EINVALID, "duration: '%s' is not a whole number of days", value);
		if (d < 1 || d > 366)
			return cp_error(COPLAN_EINVALID, "duration: %ld days (expected 1 to 366)", d);
		a->duration = (int)d;
		return 0;
	}
	if (!strcmp(field, "mode")) {
		if (cp_strcaseeq(value, "working"))
			a->day_mode = COPLAN_DAYS_WORKING;
		else if (cp_strcaseeq(value, "calendar"))
			a->day_mode = COPLAN_DAYS_CALENDAR;
		else
			return cp_error(COPLAN_EINVALID, "mode: '%s' (expected working or calendar)", value);
		return 0;
	}
	if (!strcmp(field, "earliest") || !strcmp(field, "latest")) {
		coplan_date *slot = field[0] == 'e' ? &a->earliest : &a->latest;

		if (!*value) {
			*slot = COPLAN_DATE_NONE;
			return 0;
		}
		if (coplan_parse_date_text(slot, value, locale))
			return field_error(field);
		return 0;
	}
	if (!strcmp(field, "requested")) {
		if (!*value) {
			a->requested_from = a->requested_to = COPLAN_DATE_NONE;
			return 0;
		}
		if (coplan_parse_period_text(&a->requested_from, &a->requested_to, value, locale))
			return field_error(field);
		return 0;
	}
	if (!strcmp(field, "after"))
		return set_after(plan, a->ref, value);
	if (!strcmp(field, "label")) {
		/* checked against the policy before the plan is saved (cp_svc_check_labels()); "": the plan's */
		if (strlen(value) > COPLAN_LABEL_TEXT_MAX)
			return cp_error(COPLAN_ELIMIT, "label: longer than %d bytes", COPLAN_LABEL_TEXT_MAX);
		return set_text(&a->label, value, 0, field);
	}
	if (!strcmp(field, "currency")) {
		char code[COPLAN_CURRENCY_LEN] = { 0 };

		for (size_t i = 0; i < 3 && value[i]; i++)
			code[i] = cp_ascii_upper(value[i]);
		if (!*value) {
			a->currency[0] = '\0';
			return 0;
		}
		if (strlen(value) != 3 || !coplan_currency_valid(code))
			return cp_error(COPLAN_EINVALID, "currency: unknown currency '%s' (expected ISO 4217 "
			                "alpha-3, e.g. EUR)", value);
		memcpy(a->currency, code, sizeof(code));
		return 0;
	}
	if (!strcmp(field, "cost_estimate") || !strcmp(field, "cost_actual")) {
		int estimate = !strcmp(field, "cost_estimate");
		long long amount;

		if (!*value) {
			*(estimate ? &a->has_cost_estimate : &a->has_cost_actual) = 0;
			*(estimate ? &a->cost_estimate : &a->cost_actual) = 0;
			return 0;
		}
		if (!a->currency[0])
			return cp_error(COPLAN_EINVALID, "%s: a cost needs its currency (--currency EUR)", field);
		if (coplan_amount_parse(&amount, value, a->currency))
			return field_error(field);
		*(estimate ? &a->has_cost_estimate : &a->has_cost_actual) = 1;
		*(estimate ? &a->cost_estimate : &a->cost_actual) = amount;
		return 0;
	}
	if (!strcmp(field, "paid_by")) {
		coplan_cost_share *shares;
		coplan_payer payer;
		size_t n;

		if (coplan_payer_parse(&payer, &shares, &n, value))
			return coplan_error_last_code() == COPLAN_ENOMEM ? COPLAN_ENOMEM : field_error(field);
		free(a->shares);
		a->paid_by = payer;
		a->shares = shares;
		a->n_shares = n;
		return 0;
	}
	if (!strcmp(field, "funding_line")) {
		if (strlen(value) > COPLAN_FUNDING_LINE_MAX)
			return cp_error(COPLAN_EINVALID, "funding_line: %zu bytes (at most %d)", strlen(value),
			                COPLAN_FUNDING_LINE_MAX);
		return set_text(&a->funding_line, value, 0, field);
	}
	return cp_error(COPLAN_EUSAGE, "unknown field '%s' (expected title, area, kind, host, "
	                "participants, units, duration, mode, earliest, latest, requested, after, "
	                "location, notes, label, cost_estimate, cost_actual, currency, paid_by "
	                "or funding_line)", field);
}

/* 1 if fields names field. */
static int names(const coplan_field_value *fields, size_t n, const char *field)
{
	for (size_t k = 0; k < n; k++)
		if (!strcmp(fields[k].field, field))
			return 1;
	return 0;
}

static int set_fields(coplan_plan *plan, long i, const coplan_field_value *fields, size_t n,
                      const char *locale)
{
	coplan_activity *a = &plan->activities[i];
	char was[COPLAN_CURRENCY_LEN];
	int rc = 0;

	/* the currency first: the amounts are read in it */
	memcpy(was, a->currency, sizeof(was));
	for (size_t k = 0; k < n && !rc; k++)
		if (!strcmp(fields[k].field, "currency"))
			rc = set_field(plan, a, "currency", fields[k].value ? fields[k].value : "", locale);
	/* an amount recorded in one currency is never silently read in another */
	if (!rc && strcmp(was, a->currency) &&
	    ((a->has_cost_estimate && !names(fields, n, "cost_estimate")) ||
	     (a->has_cost_actual && !names(fields, n, "cost_actual"))))
		return cp_error(COPLAN_EINVALID, "currency: activity '%s' has costs in %s; give them again "
		                "in %s (--cost-estimate, --cost-actual) or clear them (\"\")", a->ref,
		                was[0] ? was : "no currency", a->currency[0] ? a->currency : "no currency");
	/* "after" last: it names the activity by its ref, which the other fields never change */
	for (size_t k = 0; k < n && !rc; k++)
		if (strcmp(fields[k].field, "after") && strcmp(fields[k].field, "currency"))
			rc = set_field(plan, &plan->activities[i], fields[k].field, fields[k].value ? fields[k].value : "", locale);
	for (size_t k = 0; k < n && !rc; k++)
		if (!strcmp(fields[k].field, "after"))
			rc = set_field(plan, &plan->activities[i], "after", fields[k].value ? fields[k].value : "", locale);
	return rc;
}

/* ---- the hard constraints a manual placement must meet -------------------- */

/* Which reasons of an explanation a guard keeps. */
enum { KEEP_ALL, KEEP_ALL_BUT_WINDOW, KEEP_EVERY_DAY };

/*
 * Explain activity i of plan placed on from as a planned activity not yet
 * placed (a recorded fact is not checked otherwise), with duration days in
 * mode, and format the reasons keep holds as *why (COPLAN_ECONFLICT).
 */
static int guard(coplan_plan *plan, long i, coplan_date from, int keep, coplan_day_mode mode,
                 int duration, char **why, coplan_date *span_end)
{
	coplan_activity *a = &plan->activities[i];
	coplan_activity saved = *a;
	coplan_explanation *ex = NULL;
	coplan_reason *kept = NULL;
	size_t n = 0;
	int rc;

	*why = NULL;
	a->start = a->end = COPLAN_DATE_NONE;
	a->status = COPLAN_STATUS_PLANNED;
	a->pinned = 0;
	a->day_mode = mode;
	a->duration = duration;
	rc = coplan_schedule_explain_ex(&ex, plan, a->ref, from);
	*a = saved;
	if (rc)
		return rc;
	if (span_end)
		*span_end = ex->to;
	if (ex->n_reasons && !(kept = calloc(ex->n_reasons, sizeof(*kept)))) {
		coplan_explanation_free(ex);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	for (size_t k = 0; k < ex->n_reasons; k++) {
		coplan_reason_code c = ex->reasons[k].code;

		if (keep == KEEP_ALL_BUT_WINDOW && (c == COPLAN_REASON_WINDOW || c == COPLAN_REASON_PLAN_WINDOW ||
		                                    c == COPLAN_REASON_PRECEDENCE))
			continue;
		if (keep == KEEP_EVERY_DAY && c != COPLAN_REASON_UNIT_BUSY && c != COPLAN_REASON_BLACKOUT)
			continue;
		kept[n++] = ex->reasons[k]; /* borrowed: formatted before ex is freed */
	}
	rc = 0;
	if (n) {
		char *text = NULL;

		if ((rc = coplan_reasons_format_text(&text, kept, n, a->ref)) == 0) {
			*why = text;
			rc = COPLAN_ECONFLICT;
		}
	}
	free(kept);
	coplan_explanation_free(ex);
	return rc;
}

int cp_svc_placement_guard(coplan_plan *plan, long i, coplan_date from, int ignore_window,
                           char **why, coplan_date *span_end)
{
	const coplan_activity *a = &plan->activities[i];

	return guard(plan, i, from, ignore_window ? KEEP_ALL_BUT_WINDOW : KEEP_ALL, a->day_mode,
	             a->duration, why, span_end);
}

int cp_svc_span_guard(coplan_plan *plan, long i, coplan_date from, coplan_date to, char **why)
{
	*why = NULL;
	if (to < from || to - from + 1 > 366)
		return cp_error(COPLAN_EINVALID, "activity '%s': a span of %ld days (expected 1 to 366)",
		                plan->activities[i].ref, (long)(to - from + 1));
	/* every calendar day of the span, as one activity under way all along */
	return guard(plan, i, from, KEEP_EVERY_DAY, COPLAN_DAYS_CALENDAR, (int)(to - from + 1), why, NULL);
}

/* ---- the activity's ref, as a user types it ----------------------------- */

long coplan_service_find_activity(const coplan_plan *plan, const char *ref)
{
	long i = coplan_plan_find(plan, ref), found = -1;

	if (i >= 0 || !ref)
		return i;
	for (size_t k = 0; k < plan->n_activities; k++) {
		if (cp_strcaseeq(plan->activities[k].ref, ref)) {
			if (found >= 0)
				return -1; /* two refs differ only in case: the exact one is needed */
			found = (long)k;
		}
	}
	return found;
}

/* Edit distance of a and b, ignoring case, stopping early past limit (refs are short). */
static size_t ref_distance(const char *a, const char *b, size_t limit)
{
	size_t la = strlen(a), lb = strlen(b), row[64], best;

	if (la >= 63 || lb >= 63)
		return limit + 1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		best = row[0];
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], cost = cp_ascii_upper(a[i - 1]) == cp_ascii_upper(b[j - 1]) ? 0 : 1;
			size_t v = diag + cost;

			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
			if (v < best)
				best = v;
		}
		if (best > limit)
			return limit + 1;
	}
	return row[lb];
}

int cp_svc_no_activity(const coplan_plan *plan, const char *ref)
{
	const char *near = NULL;
	size_t best = 3;

	for (size_t k = 0; k < plan->n_activities; k++) {
		size_t d = ref_distance(ref, plan->activities[k].ref, 2);

		if (d < best) {
			best = d;
			near = plan->activities[k].ref;
		}
	}
	if (near)
		return cp_error(COPLAN_ENOTFOUND, "no activity '%s' in plan '%s'; did you mean %s?", ref,
		                plan->title ? plan->title : "", near);
	return cp_error(COPLAN_ENOTFOUND, "no activity '%s' in plan '%s' (coplan report lists them)",
	                ref, plan->title ? plan->title : "");
}

static int no_activity(const coplan_plan *plan, const char *ref)
{
	return cp_svc_no_activity(plan, ref);
}

/*
 * What an edit records in the plan's history, filled by the edit itself:
 * its action, the activity's ref (or the blackout), and the reason given.
 */
typedef struct {
	coplan_event_action action;
	const char *reason;     /* borrowed; NULL or "" when none was given */
	const char *ref;        /* the activity as the plan names it (borrowed from the plan or the caller) */
	coplan_blackout blackout; /* a blackout's entry: scope and reason owned here when deleted */
	int owns_blackout;
	/*
	 * A budget or a rate changed: recorded in the audit log (with the reason),
	 * not in the activity history, whose actions schema 12 fixes.  money_nation:
	 * the budget's nation, which a planner must be of; "" for a rate (the owner's).
	 */
	int money;
	char money_nation[COPLAN_NATION_LEN];
} edit_record;

/* The longest reason a change records, in bytes (as a status change's). */
#define REASON_MAX 1000

/*
 * The fields of ref that changed, as coplan_plan_compare() names them
 * ("dates, duration"), into *out (malloc'd; NULL when none changed).
 * Errors: COPLAN_ENOMEM.
 */
static int changed_fields(char **out, const coplan_change *changes, size_t n, const char *ref)
{
	cp_buf b = CP_BUF_INIT(4096);
	int rc = 0;

	*out = NULL;
	for (size_t i = 0; i < n && !rc; i++) {
		const char *f = changes[i].field ? changes[i].field : "";
		int seen = 0;

		if (strcmp(changes[i].ref, ref) || changes[i].subject != COPLAN_CHANGE_ACTIVITY || !*f)
			continue;
		for (size_t k = 0; k < i && !seen; k++)
			seen = changes[k].field && !strcmp(changes[k].field, f) && !strcmp(changes[k].ref, ref);
		if (!seen)
			rc = cp_buf_printf(&b, "%s%s", b.len ? ", " : "", f);
	}
	if (!rc && b.len && !(*out = cp_buf_detach(&b, NULL)))
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
	cp_buf_release(&b);
	return rc;
}

/*
 * The history entry of an edit, appended in the edit's transaction: the
 * activity as it stands after (before, when deleted), by identity; a
 * blackout by its nation or unit and days.  Nothing when an edit changed nothing.
 */
static int record_edit(coplan_store *store, long id, const coplan_ctx *ctx,
                       const cp_svc_actor *actor, const edit_record *r,
                       const coplan_plan *before, const coplan_plan *after,
                       const coplan_change *changes, size_t n_changes)
{
	coplan_activity_event e;
	const char *nation;
	char *fields = NULL;
	int rc;

	if (r->money)
		return 0;   /* a budget or a rate: the audit log records it */
	memset(&e, 0, sizeof(e));
	e.action = r->action;
	e.author = (char *)cp_svc_author(ctx, actor);
	nation = cp_svc_author_nation(ctx, actor);
	snprintf(e.nation, sizeof(e.nation), "%s", nation ? nation : "");
	e.reason = (char *)(r->reason && *r->reason ? r->reason : NULL);
	e.status = COPLAN_STATUS_PLANNED;
	e.start = e.end = COPLAN_DATE_NONE;
	if (coplan_event_is_blackout(r->action)) {
		e.ref = r->blackout.scope;
		e.start = r->blackout.from;
		e.end = r->blackout.to;
		e.detail = (char *)(r->blackout.hard ? "hard" : "soft");
		if (!e.reason)
			e.reason = r->blackout.reason; /* a blackout added: why it is there */
	} else {
		const coplan_plan *p = r->action == COPLAN_EVENT_DELETED ? before : after;
		long i = coplan_service_find_activity(p, r->ref);

		if (i < 0)
			return cp_error(COPLAN_ERROR, "activity '%s' vanished while it was edited", r->ref);
		e.ref = p->activities[i].ref;
		memcpy(e.uuid, p->activities[i].uuid, sizeof(e.uuid));
		e.status = p->activities[i].status;
		e.start = p->activities[i].start;
		e.end = p->activities[i].end;
		if (r->action == COPLAN_EVENT_EDITED) {
			if ((rc = changed_fields(&fields, changes, n_changes, e.ref)))
				return rc;
			if (!fields)
				return 0; /* nothing changed: nothing to record */
			e.detail = fields;
		}
	}
	if (!e.author || !*e.author)
		rc = cp_error(COPLAN_EINVALID, "a change of the plan needs its author");
	else
		rc = coplan_store_history_append(store, id, &e, 1);
	free(fields);
	return rc;
}

/* A planner sets their own nation's budgets only, and no rate (a rate is the whole plan's: an owner's). */
static int money_guard(const cp_svc_actor *actor, const edit_record *r)
{
	if (!r->money || !actor->restricted)
		return 0;
	if (!r->money_nation[0])
		return cp_error(COPLAN_EDENIED, "%s: the plan's exchange rates are changed by its owner only",
		                actor->name[0] ? actor->name : "this user");
	if (strcmp(r->money_nation, actor->nation))
		return cp_error(COPLAN_EDENIED, "%s: a budget of %s is changed by %s's planners or the plan's "
		                "owner only", actor->name[0] ? actor->name : "this user", r->money_nation,
		                r->money_nation);
	return 0;
}

/* The shape of every edit: load, change, check, save and record, as one transaction; the changes as a list. */
typedef int (*edit_fn)(coplan_plan *plan, void *payload, edit_record *record);

static int edit_plan(const coplan_ctx *ctx, long plan_id, const char *action, const char *what,
                     edit_fn fn, void *payload, const char *reason, coplan_change **changes,
                     size_t *n_changes)
{
	cp_svc_audit audit;
	coplan_plan *plan = NULL, *before = NULL, *after = NULL;
	coplan_change *list = NULL;
	size_t n_list = 0;
	edit_record record;
	coplan_store *store;
	cp_svc_actor actor;
	long id;
	int rc;

	memset(&record, 0, sizeof(record));
	record.reason = reason;
	if (changes) {
		*changes = NULL;
		*n_changes = 0;
	}
	if ((rc = cp_svc_store(ctx, &store)))
		return rc;
	if (reason && strlen(reason) > REASON_MAX)
		return cp_error(COPLAN_EINVALID, "reason: %zu bytes (at most %d)", strlen(reason), REASON_MAX);
	if (reason && coplan_text_check(reason))
		return field_error("reason");
	if ((rc = cp_svc_audit_begin(ctx, store, &audit, action, plan_id, "%s", what)))
		return rc;
	if ((rc = cp_svc_load_as(ctx, plan_id, COPLAN_ACTION_EDIT, &plan, &id, &actor)) ||
	    (rc = cp_svc_audit_plan(store, &audit, id)) ||
	    (rc = coplan_store_plan_editable(store, id)) ||
	    (rc = coplan_store_load_plan(store, id, &before, NULL)) ||
	    (rc = fn(plan, payload, &record)) || (rc = coplan_plan_validate(plan)) ||
	    /* what the user may not see goes back in untouched (docs/labels.md) */
	    (rc = cp_svc_unfilter(ctx, store, id, plan)) || (rc = coplan_plan_validate(plan)) ||
	    (rc = cp_svc_check_labels(plan)) || (rc = cp_svc_label_guard(ctx, before, plan)) ||
	    (rc = cp_svc_nation_guard(&actor, before, plan)) ||
	    (rc = money_guard(&actor, &record)) ||
	    (rc = cp_svc_cancelled(ctx)) || (rc = coplan_store_update_plan(store, id, plan)))
		goto end;
	/* the plan as stored (a new activity has its identity now), and the record of the change */
	if ((rc = coplan_store_load_plan(store, id, &after, NULL)) ||
	    (rc = coplan_plan_compare(&list, &n_list, before, after)) ||
	    (rc = record_edit(store, id, ctx, &actor, &record, before, after, list, n_list)))
		goto end;
	if (changes) {
		*changes = list;
		*n_changes = n_list;
		list = NULL;
	}
end:
	rc = cp_svc_audit_end(ctx, store, &audit, rc);
	if (rc && changes) {
		coplan_changes_free(*changes, *n_changes);
		*changes = NULL;
		*n_changes = 0;
	}
	coplan_changes_free(list, list ? n_list : 0);
	if (record.owns_blackout) {
		free(record.blackout.scope);
		free(record.blackout.reason);
		free(record.blackout.label);
	}
	coplan_plan_free(plan);
	coplan_plan_free(before);
	coplan_plan_free(after);
	return rc;
}

typedef struct {
	const char *ref;
	const coplan_field_value *fields;
	size_t n;
	const char *locale;
	coplan_date from;
	int pin;
	char from_text[COPLAN_DATE_ISO_LEN];
	int expected_sequence;     /* < 0: no check */
} edit_args;

/* Field of activity a as the CSV column of that name would hold it, into b. */
static int field_text(cp_buf *b, const coplan_plan *plan, const coplan_activity *a, const char *field)
{
	char d0[COPLAN_DATE_ISO_LEN], d1[COPLAN_DATE_ISO_LEN];
	const char *text = NULL;
	int rc = 0;

	if (!strcmp(field, "title"))
		text = a->title;
	else if (!strcmp(field, "area"))
		text = a->area;
	else if (!strcmp(field, "kind"))
		text = a->kind;
	else if (!strcmp(field, "location"))
		text = a->location;
	else if (!strcmp(field, "notes"))
		text = a->notes;
	else if (!strcmp(field, "label"))
		text = a->label;
	else if (!strcmp(field, "host"))
		text = a->host;
	if (text || !strcmp(field, "title") || !strcmp(field, "area") || !strcmp(field, "kind") ||
	    !strcmp(field, "location") || !strcmp(field, "notes") || !strcmp(field, "label"))
		return cp_buf_printf(b, "%s '%s'", field, text ? text : "");
	if (!strcmp(field, "participants") || !strcmp(field, "units")) {
		char **v = field[0] == 'p' ? a->participants : a->units;
		size_t n = field[0] == 'p' ? a->n_participants : a->n_units;

		rc = cp_buf_printf(b, "%s '", field);
		for (size_t i = 0; i < n && !rc; i++)
			rc = cp_buf_printf(b, "%s%s", i ? ";" : "", v[i]);
		return rc ? rc : cp_buf_putc(b, '\'');
	}
	if (!strcmp(field, "duration"))
		return cp_buf_printf(b, "duration %d", a->duration);
	if (!strcmp(field, "mode"))
		return cp_buf_printf(b, "mode %s", a->day_mode == COPLAN_DAYS_CALENDAR ? "calendar" : "working");
	if (!strcmp(field, "earliest") || !strcmp(field, "latest")) {
		coplan_date d = field[0] == 'e' ? a->earliest : a->latest;

		return cp_buf_printf(b, "%s %s", field, d == COPLAN_DATE_NONE ? "(none)" : coplan_date_format_iso(d, d0));
	}
	if (!strcmp(field, "requested")) {
		if (a->requested_from == COPLAN_DATE_NONE)
			return cp_buf_printf(b, "%s", "requested (none)");
		return cp_buf_printf(b, "requested %s..%s", coplan_date_format_iso(a->requested_from, d0),
		                     coplan_date_format_iso(a->requested_to, d1));
	}
	if (!strcmp(field, "cost_estimate") || !strcmp(field, "cost_actual")) {
		int has = field[5] == 'e' ? a->has_cost_estimate : a->has_cost_actual;
		long long v = field[5] == 'e' ? a->cost_estimate : a->cost_actual;
		char n[32];

		return has ? cp_buf_printf(b, "%s %s %s", field, coplan_amount_format(n, sizeof(n), v, a->currency),
		                           a->currency)
		           : cp_buf_printf(b, "%s (none)", field);
	}
	if (!strcmp(field, "currency"))
		return cp_buf_printf(b, "currency '%s'", a->currency);
	if (!strcmp(field, "paid_by")) {
		char payer[COPLAN_MAX_SHARES * 8 + 16];

		return cp_buf_printf(b, "paid_by '%s'", coplan_payer_format(payer, sizeof(payer), a));
	}
	if (!strcmp(field, "funding_line"))
		return cp_buf_printf(b, "funding_line '%s'", a->funding_line ? a->funding_line : "");
	if (!strcmp(field, "after")) {
		int first = 1;

		rc = cp_buf_printf(b, "%s", "after '");
		for (size_t i = 0; i < plan->n_precedences && !rc; i++) {
			const coplan_precedence *p = &plan->precedences[i];

			if (strcmp(p->after, a->ref))
				continue;
			rc = cp_buf_printf(b, "%s%s", first ? "" : ";", p->before);
			if (!rc && p->min_gap)
				rc = cp_buf_printf(b, "+%d", p->min_gap);
			if (!rc && p->kind == COPLAN_PRECEDENCE_AFTER)
				rc = cp_buf_putc(b, '?');
			first = 0;
		}
		return rc ? rc : cp_buf_putc(b, '\'');
	}
	return cp_buf_printf(b, "%s ?", field);
}

/*
 * COPLAN_ECONFLICT when the activity's sequence is no longer the one the
 * caller saw (e->expected_sequence >= 0): someone changed it meanwhile.
 * The message names what is stored now (the fields the caller edits, its
 * dates and status), so a front end can show both.
 */
static int sequence_guard(const coplan_plan *plan, long i, const edit_args *e)
{
	const coplan_activity *a = &plan->activities[i];
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	char d0[COPLAN_DATE_ISO_LEN], d1[COPLAN_DATE_ISO_LEN];
	int rc = 0;

	if (e->expected_sequence < 0 || a->sequence == e->expected_sequence)
		return 0;
	for (size_t k = 0; k < e->n && !rc; k++)
		if (!(rc = field_text(&b, plan, a, e->fields[k].field)))
			rc = cp_buf_printf(&b, "%s", "; ");
	if (!rc && e->n == 0 && !(rc = field_text(&b, plan, a, "title")))
		rc = cp_buf_printf(&b, "%s", "; ");
	if (!rc && a->start != COPLAN_DATE_NONE)
		rc = cp_buf_printf(&b, "dates %s..%s; ", coplan_date_format_iso(a->start, d0),
		                   coplan_date_format_iso(a->end, d1));
	if (!rc && a->start == COPLAN_DATE_NONE)
		rc = cp_buf_printf(&b, "%s", "dates (unplaced); ");
	if (!rc)
		rc = cp_buf_printf(&b, "status %s%s", coplan_activity_status_name(a->status),
		                   a->pinned ? ", pinned" : "");
	if (rc) {
		cp_buf_release(&b);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	rc = cp_error(COPLAN_ECONFLICT, "activity '%s' was changed by someone else meanwhile (revision %d, "
	              "not %d as read): nothing was changed; it now has %s", a->ref, a->sequence,
	              e->expected_sequence, b.data ? b.data : "");
	cp_buf_release(&b);
	return rc;
}

static int do_add(coplan_plan *plan, void *payload, edit_record *record)
{
	edit_args *e = payload;
	coplan_activity *a;
	long i;
	int rc;

	if ((rc = coplan_ref_check(e->ref)))
		return rc;
	if (coplan_service_find_activity(plan, e->ref) >= 0)
		return cp_error(COPLAN_EEXISTS, "activity '%s' exists already (coplan activity edit %s "
		                "changes it)", e->ref, e->ref);
	if ((rc = coplan_plan_add_activity(plan, &a)))
		return rc;
	if (!(a->ref = cp_strdup(e->ref)))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	a->duration = 1;
	i = (long)plan->n_activities - 1;
	if ((rc = set_fields(plan, i, e->fields, e->n, e->locale)))
		return rc;
	a = &plan->activities[i];
	if (!a->title || !a->host[0])
		return cp_error(COPLAN_EINVALID, "activity '%s': a new activity needs at least a title and "
		                "a host (--title, --host)", e->ref);
	if (a->n_participants == 0 && (rc = coplan_activity_add_participant(a, a->host)))
		return rc;
	record->action = COPLAN_EVENT_ADDED;
	record->ref = e->ref;
	return 0;
}

static int do_edit(coplan_plan *plan, void *payload, edit_record *record)
{
	edit_args *e = payload;
	long i = coplan_service_find_activity(plan, e->ref);

	int rc;

	if (i < 0)
		return no_activity(plan, e->ref);
	if (e->n == 0)
		return cp_error(COPLAN_EUSAGE, "activity '%s': nothing to change (give a field, e.g. "
		                "--title TEXT)", e->ref);
	if ((rc = sequence_guard(plan, i, e)))
		return rc;
	record->action = COPLAN_EVENT_EDITED;
	record->ref = e->ref;
	return set_fields(plan, i, e->fields, e->n, e->locale);
}

static int do_delete(coplan_plan *plan, void *payload, edit_record *record)
{
	edit_args *e = payload;
	long i = coplan_service_find_activity(plan, e->ref);

	int rc;

	if (i < 0)
		return no_activity(plan, e->ref);
	if ((rc = sequence_guard(plan, i, e)))
		return rc;
	record->action = COPLAN_EVENT_DELETED;
	record->ref = e->ref;
	coplan_plan_remove_precedences(plan, plan->activities[i].ref, 1, 1);
	coplan_activity_clear(&plan->activities[i]);
	memmove(&plan->activities[i], &plan->activities[i + 1],
	        (plan->n_activities - (size_t)i - 1) * sizeof(*plan->activities));
	plan->n_activities--;
	return 0;
}

/* The last day of a that starts on from: duration days, working days of its host for a working-day activity. */
static int span_end(const coplan_plan *plan, const coplan_activity *a, coplan_date from, coplan_date *end)
{
	coplan_calendar *cal = NULL;
	int y, m, d, rc;

	if (a->day_mode == COPLAN_DAYS_CALENDAR) {
		*end = from + a->duration - 1;
		return 0;
	}
	coplan_date_to_ymd(from, &y, &m, &d);
	if ((rc = coplan_calendar_new(&cal, a->host, NULL, y, y + 2 > 2099 ? 2099 : y + 2)))
		return rc;
	for (size_t h = 0; h < plan->n_holidays && !rc; h++)
		if (!strcmp(plan->holidays[h].nation, a->host))
			rc = coplan_calendar_add_holiday(cal, plan->holidays[h].date, plan->holidays[h].name,
			                                 NULL, COPLAN_HOLIDAY_PUBLIC);
	if (!rc && !coplan_calendar_is_working_day(cal, from))
		rc = cp_error(COPLAN_EINVALID, "activity '%s' counts working days: %04d-%02d-%02d is not a "
		              "working day in %s", a->ref, y, m, d, a->host);
	if (!rc && (*end = coplan_calendar_add_working_days(cal, from, a->duration - 1)) == COPLAN_DATE_NONE)
		rc = cp_error(COPLAN_ERANGE, "activity '%s': its last day lies beyond 2099", a->ref);
	coplan_calendar_free(cal);
	return rc;
}

static int do_pin(coplan_plan *plan, void *payload, edit_record *record)
{
	edit_args *e = payload;
	long i = coplan_service_find_activity(plan, e->ref);
	coplan_activity *a;
	int rc;

	if (i < 0)
		return no_activity(plan, e->ref);
	if ((rc = sequence_guard(plan, i, e)))
		return rc;
	record->action = e->pin ? COPLAN_EVENT_PINNED : COPLAN_EVENT_UNPINNED;
	record->ref = e->ref;
	a = &plan->activities[i];
	if (a->status != COPLAN_STATUS_PLANNED)
		return cp_error(COPLAN_ECONFLICT, "activity '%s' is %s: its dates are a fact of the record, "
		                "changed only by a status change (coplan activity set-status)", a->ref,
		                coplan_activity_status_name(a->status));
	if (!e->pin) {
		a->pinned = 0;
		return 0;
	}
	if (e->from != COPLAN_DATE_NONE) {
		coplan_date end;
		char *why = NULL;

		if ((rc = span_end(plan, a, e->from, &end)))
			return rc;
		if ((rc = cp_svc_placement_guard(plan, i, e->from, 0, &why, NULL))) {
			if (rc == COPLAN_ECONFLICT)
				rc = cp_error(COPLAN_ECONFLICT, "activity '%s' cannot be pinned to start on %s: %s",
				              a->ref, e->from_text, why);
			free(why);
			return rc;
		}
		a->start = e->from;
		a->end = end;
		free(a->unplaced_reason);
		a->unplaced_reason = NULL;
	} else if (a->start == COPLAN_DATE_NONE) {
		return cp_error(COPLAN_EINVALID, "activity '%s' is not placed: give the day it is pinned "
		                "to (--from DATE)", a->ref);
	}
	a->pinned = 1;
	return 0;
}

int coplan_service_activity_add(const coplan_ctx *ctx, long plan_id, const char *ref,
                                const coplan_field_value *fields, size_t n, const char *locale,
                                const char *reason)
{
	edit_args e = { ref, fields, n, locale, COPLAN_DATE_NONE, 0, "", -1 };

	char what[COPLAN_AUDIT_OBJECT_MAX / 2];

	snprintf(what, sizeof(what), "activity %s", ref ? ref : "");
	return edit_plan(ctx, plan_id, "activity add", what, do_add, &e, reason, NULL, NULL);
}

int coplan_service_activity_edit(const coplan_ctx *ctx, long plan_id, const char *ref,
                                 int expected_sequence, const coplan_field_value *fields, size_t n,
                                 const char *locale, const char *reason, coplan_change **changes,
                                 size_t *n_changes)
{
	edit_args e = { ref, fields, n, locale, COPLAN_DATE_NONE, 0, "", expected_sequence };

	char what[COPLAN_AUDIT_OBJECT_MAX / 2];

	snprintf(what, sizeof(what), "activity %s", ref ? ref : "");
	return edit_plan(ctx, plan_id, "activity edit", what, do_edit, &e, reason, changes, n_changes);
}

int coplan_service_activity_delete(const coplan_ctx *ctx, long plan_id, const char *ref,
                                   int expected_sequence, const char *reason)
{
	edit_args e = { ref, NULL, 0, NULL, COPLAN_DATE_NONE, 0, "", expected_sequence };

	char what[COPLAN_AUDIT_OBJECT_MAX / 2];

	snprintf(what, sizeof(what), "activity %s", ref ? ref : "");
	return edit_plan(ctx, plan_id, "activity delete", what, do_delete, &e, reason, NULL, NULL);
}

int coplan_service_activity_pin(const coplan_ctx *ctx, long plan_id, const char *ref,
                                int expected_sequence, coplan_date from, int pin,
                                const char *reason)
{
	edit_args e = { ref, NULL, 0, NULL, from, pin, "", expected_sequence };

	char what[COPLAN_AUDIT_OBJECT_MAX / 2];

	if (from != COPLAN_DATE_NONE)
		coplan_date_format_iso(from, e.from_text);
	snprintf(what, sizeof(what), "activity %s", ref ? ref : "");
	return edit_plan(ctx, plan_id, pin ? "activity pin" : "activity unpin", what, do_pin, &e, reason,
	                 NULL, NULL);
}

/* ---- blackouts ------------------------------------------------------------ */

typedef struct {
	const coplan_blackout *add;
	size_t index;
	const coplan_blackout *expected; /* delete: what the deleter saw at index, or NULL */
} blackout_args;

/* 1 if a and b are one name to a reader: letter case and spaces at the ends aside. */
static int unit_alike(const char *a, const char *b)
{
	while (*a == ' ')
		a++;
	while (*b == ' ')
		b++;
	for (; *a && *b && cp_ascii_upper(*a) == cp_ascii_upper(*b); a++, b++)
		;
	while (*a == ' ')
		a++;
	while (*b == ' ')
		b++;
	return !*a && !*b;
}

static int do_blackout_add(coplan_plan *plan, void *payload, edit_record *record)
{
	const coplan_blackout *b = ((blackout_args *)payload)->add;
	int rc;

	if (!b->scope || !*b->scope)
		return cp_error(COPLAN_EUSAGE, "whose blackout? a nation (--nation JPN) or a unit (--unit NAME)");
	if (b->from == COPLAN_DATE_NONE || b->to == COPLAN_DATE_NONE || b->to < b->from)
		return cp_error(COPLAN_EINVALID, "a blackout needs its first and last day, in order "
		                "(--from DATE --to DATE)");
	if (!b->reason || !*b->reason)
		return cp_error(COPLAN_EINVALID, "a blackout needs its reason (--reason TEXT): the "
		                "scheduler cites it");
	if (!coplan_nation_valid(b->scope)) {
		const char *near = NULL;
		int exact = 0;

		for (size_t i = 0; i < plan->n_activities && !exact; i++)
			for (size_t u = 0; u < plan->activities[i].n_units && !exact; u++) {
				const char *unit = plan->activities[i].units[u];

				exact = !strcmp(unit, b->scope);
				if (!exact && !near && unit_alike(unit, b->scope))
					near = unit;
			}
		if (!exact && near)
			return cp_error(COPLAN_EINVALID, "unit '%s': the activities name it '%s' (a blackout "
			                "applies to the unit named exactly as they name it)", b->scope, near);
	}
	record->action = COPLAN_EVENT_BLACKOUT_ADDED;
	record->blackout = *b; /* borrowed: the caller's */
	if ((rc = coplan_plan_add_blackout(plan, b->scope, b->from, b->to, b->hard, b->reason)))
		return rc;
	if (b->label && !(plan->blackouts[plan->n_blackouts - 1].label = cp_strdup(b->label)))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	return 0;
}

static int do_blackout_delete(coplan_plan *plan, void *payload, edit_record *record)
{
	const blackout_args *args = payload;
	const coplan_blackout *want = args->expected, *have;
	size_t i = args->index;

	if (i < 1 || i > plan->n_blackouts)
		return cp_error(COPLAN_ENOTFOUND, "no blackout %zu in plan '%s' (coplan blackout list "
		                "numbers them 1 to %zu)", i, plan->title ? plan->title : "", plan->n_blackouts);
	have = &plan->blackouts[i - 1];
	/* another user's change may have renumbered the list since it was read */
	if (want && (strcmp(want->scope ? want->scope : "", have->scope) || want->from != have->from ||
	             want->to != have->to || !want->hard != !have->hard)) {
		char f[COPLAN_DATE_ISO_LEN], t[COPLAN_DATE_ISO_LEN];

		coplan_date_format_iso(have->from, f);
		coplan_date_format_iso(have->to, t);
		return cp_error(COPLAN_ECONFLICT, "blackout %zu is now %s's %s..%s (%s): the list changed since it "
		                "was read; nothing deleted", i, have->scope, f, t, have->hard ? "hard" : "soft");
	}
	/* the record keeps what was deleted */
	record->action = COPLAN_EVENT_BLACKOUT_DELETED;
	record->blackout = plan->blackouts[i - 1];
	record->owns_blackout = 1;
	memmove(&plan->blackouts[i - 1], &plan->blackouts[i],
	        (plan->n_blackouts - i) * sizeof(*plan->blackouts));
	plan->n_blackouts--;
	return 0;
}

int coplan_service_blackout_add(const coplan_ctx *ctx, long plan_id, const coplan_blackout *blackout)
{
	blackout_args b = { blackout, 0, NULL };

	/* the blackout's own reason is the reason of the change */
	char what[COPLAN_AUDIT_OBJECT_MAX / 2];

	snprintf(what, sizeof(what), "blackout of %s", blackout && blackout->scope ? blackout->scope : "");
	return edit_plan(ctx, plan_id, "blackout add", what, do_blackout_add, &b, NULL, NULL, NULL);
}

int coplan_service_blackout_delete(const coplan_ctx *ctx, long plan_id, size_t index,
                                   const coplan_blackout *expected, const char *reason)
{
	blackout_args b = { NULL, index, expected };

	char what[48];

	snprintf(what, sizeof(what), "blackout %zu", index);
	return edit_plan(ctx, plan_id, "blackout delete", what, do_blackout_delete, &b, reason, NULL, NULL);
}

/* ---- budgets and rates (issue 17) ------------------------------------------ */

typedef struct {
	const coplan_budget *budget;   /* set */
	const coplan_rate *rate;       /* add */
	size_t index;                  /* delete: 1-based */
	int expected_amount_set;       /* budget set: 1 when expected_amount is to be checked */
	long long expected_amount;     /* budget set: the amount the caller read (-1: none then) */
} money_args;

static long find_budget(const coplan_plan *plan, const coplan_budget *b)
{
	for (size_t i = 0; i < plan->n_budgets; i++) {
		const coplan_budget *o = &plan->budgets[i];

		if (!strcmp(o->nation, b->nation) && o->year == b->year && !strcmp(o->currency, b->currency) &&
		    !strcmp(o->funding_line, b->funding_line))
			return (long)i;
	}
	return -1;
}

static int do_budget_set(coplan_plan *plan, void *payload, edit_record *record)
{
	money_args *m = payload;
	const coplan_budget *b = m->budget;
	long at;

	if (!b || !b->funding_line || !*b->funding_line)
		return cp_error(COPLAN_EUSAGE, "a budget needs its nation, year, funding line, currency and "
		                "amount");
	if (!coplan_nation_valid(b->nation))
		return cp_error(COPLAN_EINVALID, "budget: unknown nation '%s' (expected ISO 3166-1 alpha-3, "
		                "e.g. ITA)", b->nation);
	record->money = 1;
	memcpy(record->money_nation, b->nation, sizeof(record->money_nation));
	at = find_budget(plan, b);
	if (m->expected_amount_set) {
		long long now = at < 0 ? -1 : plan->budgets[at].amount;

		if (now != m->expected_amount) {
			char t[32];

			return cp_error(COPLAN_ECONFLICT, "budget of %s for %d on '%s' in %s was changed by "
			                "someone else meanwhile: nothing was changed; it is now %s", b->nation,
			                b->year, b->funding_line, b->currency,
			                now < 0 ? "not set" : coplan_amount_format(t, sizeof(t), now, b->currency));
		}
	}
	return coplan_plan_set_budget(plan, b->nation, b->year, b->funding_line, b->currency, b->amount);
}

static int do_budget_delete(coplan_plan *plan, void *payload, edit_record *record)
{
	size_t i = ((money_args *)payload)->index;

	if (i < 1 || i > plan->n_budgets)
		return cp_error(COPLAN_ENOTFOUND, "no budget %zu in plan '%s' (coplan budget list numbers "
		                "them 1 to %zu)", i, plan->title ? plan->title : "", plan->n_budgets);
	record->money = 1;
	memcpy(record->money_nation, plan->budgets[i - 1].nation, sizeof(record->money_nation));
	free(plan->budgets[i - 1].funding_line);
	memmove(&plan->budgets[i - 1], &plan->budgets[i], (plan->n_budgets - i) * sizeof(*plan->budgets));
	plan->n_budgets--;
	return 0;
}

static int do_rate_add(coplan_plan *plan, void *payload, edit_record *record)
{
	const coplan_rate *r = ((money_args *)payload)->rate;

	if (!r || !r->rate || r->valid_from == COPLAN_DATE_NONE)
		return cp_error(COPLAN_EUSAGE, "a rate needs its two currencies, the rate and the day it is "
		                "valid from");
	if (!coplan_currency_valid(r->from) || !coplan_currency_valid(r->to))
		return cp_error(COPLAN_EINVALID, "rate: unknown currency '%s' (expected ISO 4217 alpha-3, "
		                "e.g. EUR)", coplan_currency_valid(r->from) ? r->to : r->from);
	record->money = 1;
	return coplan_plan_add_rate(plan, r->from, r->to, r->rate, r->valid_from);
}

static int do_rate_delete(coplan_plan *plan, void *payload, edit_record *record)
{
	size_t i = ((money_args *)payload)->index;

	if (i < 1 || i > plan->n_rates)
		return cp_error(COPLAN_ENOTFOUND, "no rate %zu in plan '%s' (coplan rate list numbers them "
		                "1 to %zu)", i, plan->title ? plan->title : "", plan->n_rates);
	record->money = 1;
	free(plan->rates[i - 1].rate);
	memmove(&plan->rates[i - 1], &plan->rates[i], (plan->n_rates - i) * sizeof(*plan->rates));
	plan->n_rates--;
	return 0;
}

/* "what" of the audit entry: the object, then the reason when one is given (the log keeps no other field for it). */
static void money_what(char *what, size_t size, const char *object, const char *reason)
{
	int n = reason && *reason ? snprintf(what, size, "%s: %s", object, reason) : snprintf(what, size, "%s", object);

	/* a long reason is cut to what the audit entry holds */
	if (n < 0)
		*what = '\0';
}

int coplan_service_budget_set(const coplan_ctx *ctx, long plan_id, const coplan_budget *budget,
                              long long expected_amount, const char *reason)
{
	money_args m = { budget, NULL, 0, expected_amount != COPLAN_BUDGET_ANY, expected_amount };
	char object[COPLAN_AUDIT_OBJECT_MAX / 2], what[COPLAN_AUDIT_OBJECT_MAX / 2];

	if (!budget)
		return cp_error(COPLAN_EUSAGE, "no budget given");
	snprintf(object, sizeof(object), "budget %s %d '%.80s' %s", budget->nation, budget->year,
	         budget->funding_line ? budget->funding_line : "", budget->currency);
	money_what(what, sizeof(what), object, reason);
	return edit_plan(ctx, plan_id, "budget set", what, do_budget_set, &m, reason, NULL, NULL);
}

int coplan_service_budget_delete(const coplan_ctx *ctx, long plan_id, size_t index, const char *reason)
{
	money_args m = { NULL, NULL, index, 0, 0 };
	char object[48], what[COPLAN_AUDIT_OBJECT_MAX / 2];

	snprintf(object, sizeof(object), "budget %zu", index);
	money_what(what, sizeof(what), object, reason);
	return edit_plan(ctx, plan_id, "budget delete", what, do_budget_delete, &m, reason, NULL, NULL);
}

int coplan_service_rate_add(const coplan_ctx *ctx, long plan_id, const coplan_rate *rate,
                            const char *reason)
{
	money_args m = { NULL, rate, 0, 0, 0 };
	char object[96], what[COPLAN_AUDIT_OBJECT_MAX / 2], iso[COPLAN_DATE_ISO_LEN];

	if (!rate)
		return cp_error(COPLAN_EUSAGE, "no rate given");
	snprintf(object, sizeof(object), "rate %s %s %.24s from %s", rate->from, rate->to,
	         rate->rate ? rate->rate : "", rate->valid_from == COPLAN_DATE_NONE ? "?"
	         : coplan_date_format_iso(rate->valid_from, iso));
	money_what(what, sizeof(what), object, reason);
	return edit_plan(ctx, plan_id, "rate add", what, do_rate_add, &m, reason, NULL, NULL);
}

int coplan_service_rate_delete(const coplan_ctx *ctx, long plan_id, size_t index, const char *reason)
{
	money_args m = { NULL, NULL, index, 0, 0 };
	char object[48], what[COPLAN_AUDIT_OBJECT_MAX / 2];

	snprintf(object, sizeof(object), "rate %zu", index);
	money_what(what, sizeof(what), object, reason);
	return edit_plan(ctx, plan_id, "rate delete", what, do_rate_delete, &m, reason, NULL, NULL);
}

/* ---- amendments ------------------------------------------------------------ */

int coplan_service_amend(const coplan_ctx *ctx, long plan_id, const char *note, int *amendment,
                         int *number)
{
	coplan_plan_version *v = NULL;
	coplan_store *store;
	coplan_plan *plan = NULL;
	cp_svc_actor actor;
	cp_svc_audit audit;
	size_t n = 0;
	int rc, count = 0;
	long id;
	char text[512];

	if ((rc = cp_svc_store(ctx, &store)))
		return rc;
	if (!ctx->user || !*ctx->user)
		return cp_error(COPLAN_EINVALID, "an amendment needs its author");
	if ((rc = cp_svc_audit_begin(ctx, store, &audit, "amend", plan_id, "%s", "")))
		return rc;
	if ((rc = cp_svc_load_as(ctx, plan_id, COPLAN_ACTION_EDIT, &plan, &id, &actor)) ||
	    (rc = cp_svc_audit_plan(store, &audit, id)) ||
	    (rc = coplan_store_versions(store, id, &v, &n)))
		goto end;
	if (n == 0 || v[n - 1].state != COPLAN_VERSION_SIGNED) {
		rc = cp_error(COPLAN_ECONFLICT, "plan '%s' is not signed%s: it can be changed as it is, "
		              "no amendment is needed", plan->title ? plan->title : "",
		              n ? " (its newest version is not)" : "");
		goto end;
	}
	/* amendment N: the N-th draft that follows a signed version */
	for (size_t i = 1; i < n; i++)
		count += v[i].state == COPLAN_VERSION_DRAFT && v[i - 1].state == COPLAN_VERSION_SIGNED;
	snprintf(text, sizeof(text), "Amendment No. %d%s%s", count + 1, note && *note ? ": " : "",
	         note && *note ? note : "");
	if ((rc = coplan_store_version_save_as(store, id, COPLAN_VERSION_DRAFT, cp_svc_author(ctx, &actor),
	                                       cp_svc_author_nation(ctx, &actor), text, number)))
		goto end;
	if (amendment)
		*amendment = count + 1;
	snprintf(audit.object, sizeof(audit.object), "amendment %d version %d", count + 1, number ? *number : 0);
end:
	rc = cp_svc_audit_end(ctx, store, &audit, rc);
	coplan_plan_versions_free(v, n);
	coplan_plan_free(plan);
	return rc;
}

/* ---- plans: copies for next year or a what-if, deletion ------------------- */

/* d moved by years whole years (29 February becomes 28 February in a common year); NONE stays NONE. */
static coplan_date shift_years(coplan_date d, int years)
{
	int y, m, day;

	if (d == COPLAN_DATE_NONE || years == 0)
		return d;
	coplan_date_to_ymd(d, &y, &m, &day);
	if (m == 2 && day == 29 && coplan_date_days_in_month(y + years, 2) == 28)
		day = 28;
	return coplan_date_from_ymd(y + years, m, day);
}

/* The title of plan for year: the old year in it replaced ("Cooperation Plan 2024" -> "... 2025"). */
static char *title_for_year(const coplan_plan *plan, int year)
{
	char old[16], now[16], *at, *out;
	const char *title = plan->title ? plan->title : "";
	size_t n;

	snprintf(old, sizeof(old), "%d", plan->year);
	snprintf(now, sizeof(now), "%d", year);
	n = strlen(title) + strlen(now) + 2;
	if (!(out = malloc(n)))
		return NULL;
	if ((at = strstr(title, old)))
		snprintf(out, n, "%.*s%s%s", (int)(at - title), title, now, at + strlen(old));
	else
		snprintf(out, n, "%s %s", title, now);
	return out;
}

/*
 * The blackouts of plan that reach into the days from first on (a period
 * that runs over the new year, kept as it is); the others, one-off dates of
 * the old year, are dropped and counted in *dropped.
 */
static void keep_blackouts_from(coplan_plan *plan, coplan_date first, size_t *dropped)
{
	size_t kept = 0;

	*dropped = 0;
	for (size_t i = 0; i < plan->n_blackouts; i++) {
		coplan_blackout *b = &plan->blackouts[i];

		if (b->to >= first) {
			plan->blackouts[kept++] = *b;
			continue;
		}
		free(b->scope);
		free(b->reason);
		free(b->label);
		(*dropped)++;
	}
	plan->n_blackouts = kept;
}

int coplan_service_plan_copy(const coplan_ctx *ctx, long plan_id, int to_year, const char *title,
                             long *new_id, size_t *n_carried, size_t *n_blackouts_left)
{
	coplan_plan *plan = NULL;
	coplan_store *store;
	cp_svc_audit audit;
	size_t keep = 0, left = 0;
	int rc, years;
	long id, copy_id = 0;

	if ((rc = cp_svc_store(ctx, &store)))
		return rc;
	if (!to_year == !title)
		return cp_error(COPLAN_EUSAGE, "a copy is for another year (--to-year YEAR) or a what-if "
		                "under another name (--name TITLE)");
	if (title && (rc = coplan_text_check(title) ? field_error("--name") : 0))
		return rc;
	if (title && !title[strspn(title, " ")])
		return cp_error(COPLAN_EINVALID, "--name: a what-if copy needs a title");
	if ((rc = cp_svc_audit_begin(ctx, store, &audit, "plan copy", plan_id, "%s", "")))
		return rc;
	if ((rc = cp_svc_load_as(ctx, plan_id, COPLAN_ACTION_ADMIN, &plan, &id, NULL)) ||
	    (rc = cp_svc_audit_plan(store, &audit, id)))
		goto end;
	years = to_year ? to_year - plan->year : 0;
	if (to_year && (to_year < 1970 || to_year > 2099 || years == 0)) {
		rc = cp_error(COPLAN_EINVALID, "--to-year %d: expected another year from 1970 to 2099", to_year);
		goto end;
	}
	{
		char *t = title ? cp_strdup(title) : title_for_year(plan, to_year);

		if (!t) {
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
			goto end;
		}
		free(plan->title);
		plan->title = t;
	}
	plan->uuid[0] = '\0'; /* a new plan; its activities keep their identities, which link them */
	if (years) {
		plan->year = to_year;
		plan->window_from = shift_years(plan->window_from, years);
		plan->window_to = shift_years(plan->window_to, years);
		/* what was done or dropped stays in this year; the rest comes back as proposals */
		for (size_t i = 0; i < plan->n_activities; i++) {
			coplan_activity *a = &plan->activities[i];

			if (a->status == COPLAN_STATUS_EXECUTED || a->status == COPLAN_STATUS_CANCELLED) {
				coplan_plan_remove_precedences(plan, a->ref, 1, 1);
				coplan_activity_clear(a);
				continue;
			}
			a->earliest = shift_years(a->earliest, years);
			a->latest = shift_years(a->latest, years);
			a->requested_from = shift_years(a->requested_from, years);
			a->requested_to = shift_years(a->requested_to, years);
			a->start = a->end = COPLAN_DATE_NONE;
			a->pinned = 0;
			a->sequence = 0;
			a->status = COPLAN_STATUS_PLANNED;
			free(a->unplaced_reason);
			a->unplaced_reason = NULL;
			/* a proposal again: its estimate comes back, what it cost this year does not */
			a->has_cost_actual = 0;
			a->cost_actual = 0;
			plan->activities[keep++] = *a;
		}
		plan->n_activities = keep;
		/* budgets are a year's: next year's are set anew (coplan budget set); the dated rates stay */
		{
			size_t kept = 0;

			for (size_t i = 0; i < plan->n_budgets; i++) {
				if (plan->budgets[i].year == to_year)
					plan->budgets[kept++] = plan->budgets[i];
				else
					free(plan->budgets[i].funding_line);
			}
			plan->n_budgets = kept;
		}
		/*
		 * Blackouts are dated periods (a fleet review, a deployment, this
		 * year's leave), never moved to next year: those that reach into it
		 * stay as they are, the rest stay behind (the command says how many;
		 * next year's are added with coplan blackout add or a unit's calendar).
		 */
		keep_blackouts_from(plan, plan->window_from != COPLAN_DATE_NONE ? plan->window_from
		                    : coplan_date_from_ymd(to_year, 1, 1), &left);
		/* imported holidays fall on other days next year: import next year's feed */
		for (size_t i = 0; i < plan->n_holidays; i++)
			free(plan->holidays[i].name);
		plan->n_holidays = 0;
	} else {
		keep = plan->n_activities;
	}
	if ((rc = coplan_plan_validate(plan)) || (rc = coplan_store_insert_plan(store, plan, &copy_id)) ||
	    (rc = cp_svc_grant_owner(ctx, copy_id)))
		goto end;
	if (new_id)
		*new_id = copy_id;
	if (n_carried)
		*n_carried = keep;
	if (n_blackouts_left)
		*n_blackouts_left = left;
	snprintf(audit.object, sizeof(audit.object), "copied to plan %ld", copy_id);
end:
	rc = cp_svc_audit_end(ctx, store, &audit, rc);
	coplan_plan_free(plan);
	return rc;
}

int coplan_service_plan_delete(const coplan_ctx *ctx, long plan_id, int force)
{
	cp_svc_audit audit;
	cp_svc_actor actor;
	coplan_store *store;
	long id;
	int rc;

	if ((rc = cp_svc_store(ctx, &store)))
		return rc;
	if ((rc = cp_svc_audit_begin(ctx, store, &audit, "plan delete", plan_id, "%s",
	                              force ? "forced" : "")))
		return rc;
	if (!(rc = cp_svc_plan_id(store, plan_id, &id)) && !(rc = cp_svc_audit_plan(store, &audit, id)) &&
	    !(rc = cp_svc_actor_of(ctx, id, COPLAN_ACTION_ADMIN, &actor)))
		rc = coplan_store_delete_plan(store, id, cp_svc_author(ctx, &actor), force);
	return cp_svc_audit_end(ctx, store, &audit, rc);
}

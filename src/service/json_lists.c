/* SPDX-License-Identifier: Apache-2.0 */
/* json_lists.c - what the listing use cases return, as JSON for scripts (--format json). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "coplan/report.h"
#include "service_int.h"

/* Dump root (a reference taken) into *out, malloc'd, with a final newline. */
static int dump(char **out, json_t *root)
{
	char *text, *withnl;
	size_t n;

	if (!root)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	n = strlen(text);
	withnl = realloc(text, n + 2);
	if (!withnl) {
		free(text);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	withnl[n] = '\n';
	withnl[n + 1] = '\0';
	*out = withnl;
	return 0;
}

/* Add key: s (or null) to obj; 0 or -1 on allocation failure (the caller frees obj). */
static int set_str(json_t *obj, const char *key, const char *s)
{
	return json_object_set_new(obj, key, s ? json_string(s) : json_null());
}

static int set_date(json_t *obj, const char *key, coplan_date d)
{
	char iso[COPLAN_DATE_ISO_LEN];

	return set_str(obj, key, d == COPLAN_DATE_NONE ? NULL : coplan_date_format_iso(d, iso));
}

int coplan_versions_format_json(char **out, const coplan_plan_version *v, size_t n)
{
	json_t *array = json_array();
	int bad = !array;

	for (size_t i = 0; i < n && !bad; i++) {
		json_t *o = json_object();

		bad = !o || json_object_set_new(o, "number", json_integer(v[i].number)) ||
		      set_str(o, "state", coplan_version_state_name(v[i].state)) ||
		      set_str(o, "created_at", v[i].created_at) || set_str(o, "author", v[i].author) ||
		      set_str(o, "nation", v[i].nation[0] ? v[i].nation : NULL) ||
		      set_str(o, "note", v[i].note) || json_array_append_new(array, o);
	}
	if (bad) {
		json_decref(array);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	return dump(out, array);
}

int coplan_events_format_json(char **out, const coplan_activity_event *e, size_t n)
{
	json_t *array = json_array();
	int bad = !array;

	for (size_t i = 0; i < n && !bad; i++) {
		json_t *o = json_object();

		bad = !o || set_str(o, "ref", e[i].ref) || set_str(o, "at", e[i].at) ||
		      set_str(o, "author", e[i].author) ||
		      set_str(o, "nation", e[i].nation[0] ? e[i].nation : NULL) ||
		      set_str(o, "status", coplan_activity_status_name(e[i].status)) ||
		      set_date(o, "start", e[i].start) || set_date(o, "end", e[i].end) ||
		      set_str(o, "reason", e[i].reason) ||
		      set_str(o, "action", coplan_event_action_name(e[i].action)) ||
		      set_str(o, "uuid", *e[i].uuid ? e[i].uuid : NULL) || set_str(o, "detail", e[i].detail) ||
		      json_array_append_new(array, o);
	}
	if (bad) {
		json_decref(array);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	return dump(out, array);
}

int coplan_accounts_format_json(char **out, const coplan_account *a, size_t n)
{
	json_t *array = json_array();
	int bad = !array;

	for (size_t i = 0; i < n && !bad; i++) {
		json_t *o = json_object();

		bad = !o || json_object_set_new(o, "id", json_integer(a[i].id)) ||
		      set_str(o, "name", a[i].name) || set_str(o, "nation", a[i].nation) ||
		      set_str(o, "display_name", a[i].display_name ? a[i].display_name : "") ||
		      json_object_set_new(o, "is_admin", json_boolean(a[i].is_admin)) ||
		      json_object_set_new(o, "disabled", json_boolean(a[i].disabled)) ||
		      json_array_append_new(array, o);
	}
	if (bad) {
		json_decref(array);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	return dump(out, array);
}

int coplan_roles_format_json(char **out, const coplan_role_grant *g, size_t n)
{
	json_t *array = json_array();
	int bad = !array;

	for (size_t i = 0; i < n && !bad; i++) {
		json_t *o = json_object();

		bad = !o || json_object_set_new(o, "plan_id", json_integer(g[i].plan_id)) ||
		      set_str(o, "user", g[i].account) || set_str(o, "nation", g[i].nation) ||
		      set_str(o, "role", coplan_role_name(g[i].role)) || json_array_append_new(array, o);
	}
	if (bad) {
		json_decref(array);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	return dump(out, array);
}

int coplan_plans_format_json(char **out, const coplan_plan_entry *p, size_t n)
{
	json_t *array = json_array();
	int bad = !array;

	for (size_t i = 0; i < n && !bad; i++) {
		const coplan_plan *plan = p[i].plan;
		json_t *o = json_object(), *talks = NULL;

		bad = !o || json_object_set_new(o, "id", json_integer(p[i].id)) ||
		      set_str(o, "title", plan->title) || json_object_set_new(o, "year", json_integer(plan->year)) ||
		      json_object_set_new(o, "activities", json_integer((json_int_t)plan->n_activities));
		if (!bad && plan->has_talks) {
			talks = json_object();
			bad = !talks || set_str(talks, "series", plan->talks.series) ||
			      json_object_set_new(talks, "edition", json_integer(plan->talks.edition)) ||
			      set_date(talks, "start", plan->talks.start) || set_date(talks, "end", plan->talks.end) ||
			      set_str(talks, "venue", plan->talks.venue);
			if (bad)
				json_decref(talks);
			else
				bad = json_object_set_new(o, "talks", talks);
		}
		if (bad)
			json_decref(o);
		else
			bad = json_array_append_new(array, o);
	}
	if (bad) {
		json_decref(array);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	return dump(out, array);
}

/* changes as a JSON array (a new reference), or NULL when out of memory. */
static json_t *changes_array(const coplan_change *changes, size_t n)
{
	static const char *const kinds[] = { "added", "removed", "moved", "changed" };
	json_t *array = json_array();
	int bad = !array;

	for (size_t i = 0; i < n && !bad; i++) {
		const coplan_change *c = &changes[i];
		json_t *o = json_object();

		bad = !o || set_str(o, "kind", (size_t)c->kind < CP_ARRAY_SIZE(kinds) ? kinds[c->kind] : "changed") ||
		      set_str(o, "ref", c->ref) || set_str(o, "title", c->title) ||
		      set_str(o, "field", c->field) || set_str(o, "before", c->before) ||
		      set_str(o, "after", c->after) ||
		      set_str(o, "subject", c->subject == COPLAN_CHANGE_BLACKOUT ? "blackout" : "activity") ||
		      (c->subject == COPLAN_CHANGE_BLACKOUT &&
		       (set_date(o, "from", c->from) || set_date(o, "to", c->to))) ||
		      json_array_append_new(array, o);
	}
	if (bad) {
		json_decref(array);
		return NULL;
	}
	return array;
}

int coplan_changes_format_json(char **out, const coplan_change *changes, size_t n)
{
	return dump(out, changes_array(changes, n));
}

int coplan_import_result_format_json(char **out, const coplan_import_result *r, int dry_run)
{
	static const char *const kinds[] = { [COPLAN_IMPORT_PLAN] = "plan", [COPLAN_IMPORT_ACTIVITIES] = "activities",
		                             [COPLAN_IMPORT_HOLIDAYS] = "holidays", [COPLAN_IMPORT_BLACKOUTS] = "blackouts" };
	json_t *o = json_object(), *warnings = json_array(), *missing = json_array();
	char delimiter[2] = { r->sheet.delimiter, '\0' };
	int bad = !o || !warnings || !missing;

	for (size_t i = 0; i < r->sheet.n_warnings && !bad; i++)
		bad = json_array_append_new(warnings, json_string(r->sheet.warnings[i]));
	for (size_t i = 0; i < r->n_missing_calendars && !bad; i++)
		bad = json_array_append_new(missing, json_string(r->missing_calendars[i]));
	bad = bad || set_str(o, "kind", (size_t)r->kind < CP_ARRAY_SIZE(kinds) ? kinds[r->kind] : NULL) ||
	      json_object_set_new(o, "saved", json_boolean(!dry_run)) ||
	      json_object_set_new(o, "plan_id", json_integer(r->plan_id)) || set_str(o, "title", r->title) ||
	      json_object_set_new(o, "year", json_integer(r->year));
	if (!bad && r->kind == COPLAN_IMPORT_PLAN)
		bad = json_object_set_new(o, "activities", json_integer((json_int_t)r->n_activities)) ||
		      json_object_set_new(o, "blackouts", json_integer((json_int_t)r->n_blackouts));
	if (!bad && r->kind == COPLAN_IMPORT_ACTIVITIES)
		bad = set_str(o, "encoding", r->sheet.encoding[0] ? r->sheet.encoding : NULL) ||
		      set_str(o, "delimiter", delimiter[0] ? delimiter : NULL) || set_str(o, "locale", r->sheet.locale) ||
		      json_object_set_new(o, "rows_read", json_integer((json_int_t)r->sheet.rows_read)) ||
		      json_object_set_new(o, "rows_imported", json_integer((json_int_t)r->sheet.rows_imported)) ||
		      json_object_set_new(o, "rows_updated", json_integer((json_int_t)r->sheet.rows_updated)) ||
		      json_object_set_new(o, "precedences_imported",
		                          json_integer((json_int_t)r->sheet.precedences_imported)) ||
		      json_object_set_new(o, "changes", changes_array(r->changes, r->n_changes));
	if (!bad && (r->kind == COPLAN_IMPORT_HOLIDAYS || r->kind == COPLAN_IMPORT_BLACKOUTS))
		bad = json_object_set_new(o, "events", json_integer((json_int_t)r->calendar.events)) ||
		      json_object_set_new(o, "cancelled", json_integer((json_int_t)r->calendar.cancelled)) ||
		      json_object_set_new(o, "added", json_integer((json_int_t)r->calendar.added)) ||
		      (r->kind == COPLAN_IMPORT_BLACKOUTS &&
		       json_object_set_new(o, "unit_unused", json_boolean(r->unit_unused)));
	bad = bad || json_object_set(o, "warnings", warnings) || json_object_set(o, "missing_calendars", missing);
	json_decref(warnings);
	json_decref(missing);
	if (bad) {
		json_decref(o);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	return dump(out, o);
}

int coplan_execution_format_json(char **out, const coplan_plan *plan, const coplan_plan *baseline)
{
	static const char *const sections[] = { "all", "host", "area", "quarter" };
	coplan_execution_row *rows = NULL;
	json_t *array;
	size_t n = 0;
	int rc, bad;

	if ((rc = coplan_report_execution_rows(&rows, &n, plan, baseline)))
		return rc;
	array = json_array();
	bad = !array;
	for (size_t i = 0; i < n && !bad; i++) {
		const coplan_execution_row *r = &rows[i];
		json_t *o = json_object();

		bad = !o || set_str(o, "section", r->section >= 0 && (size_t)r->section < CP_ARRAY_SIZE(sections)
		                                  ? sections[r->section] : "all") ||
		      set_str(o, "key", r->key);
		for (int st = 0; st < 5 && !bad; st++)
			bad = json_object_set_new(o, coplan_activity_status_name((coplan_activity_status)st),
			                          json_integer((json_int_t)r->by_status[st]));
		bad = bad || json_object_set_new(o, "total", json_integer((json_int_t)r->total)) ||
		      json_array_append_new(array, o);
	}
	free(rows);
	if (bad) {
		json_decref(array);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	return dump(out, array);
}

int coplan_schedule_result_format_json(char **out, const coplan_schedule_result *r)
{
	coplan_plan_summary sum;
	coplan_change *changes = NULL;
	size_t n_changes = 0;
	json_t *root = json_object(), *hosts = json_object(), *score = json_object();
	json_t *unplaced = json_array(), *moved = json_array(), *missing = json_array();
	int bad = !root || !hosts || !score || !unplaced || !moved || !missing, rc = 0;

	if (bad)
		goto cleanup;
	coplan_plan_summarize(r->plan, &sum);
	for (size_t i = 0; i < sum.by_host_count && !bad; i++)
		bad = json_object_set_new(hosts, sum.by_host[i].nation, json_integer((json_int_t)sum.by_host[i].count));
	bad = bad || json_object_set_new(score, "hard", json_integer(r->score.hard)) ||
	      json_object_set_new(score, "medium", json_integer(r->score.medium)) ||
	      json_object_set_new(score, "soft", json_integer(r->score.soft));
	for (size_t i = 0; i < r->plan->n_activities && !bad; i++) {
		const coplan_activity *a = &r->plan->activities[i];
		json_t *o;

		if (a->start != COPLAN_DATE_NONE || a->status == COPLAN_STATUS_CANCELLED)
			continue;
		o = json_object();
		bad = !o || set_str(o, "ref", a->ref) || set_str(o, "reason", a->unplaced_reason) ||
		      json_array_append_new(unplaced, o);
	}
	if (!bad && r->before) {
		if ((rc = coplan_plan_compare(&changes, &n_changes, r->before, r->plan)))
			goto cleanup;
		for (size_t i = 0; i < n_changes && !bad; i++) {
			json_t *o;

			if (changes[i].kind != COPLAN_CHANGE_MOVED)
				continue;
			o = json_object();
			bad = !o || set_str(o, "ref", changes[i].ref) || set_str(o, "before", changes[i].before) ||
			      set_str(o, "after", changes[i].after) || json_array_append_new(moved, o);
		}
	}
	for (size_t i = 0; i < r->n_missing_calendars && !bad; i++)
		bad = json_array_append_new(missing, json_string(r->missing_calendars[i]));
	bad = bad || json_object_set_new(root, "plan_id", json_integer(r->plan_id)) ||
	      json_object_set_new(root, "activities", json_integer((json_int_t)sum.activities)) ||
	      json_object_set_new(root, "scheduled", json_integer((json_int_t)sum.scheduled)) ||
	      json_object_set_new(root, "unplaced", json_integer((json_int_t)sum.unplaced)) ||
	      json_object_set_new(root, "cancelled", json_integer((json_int_t)sum.cancelled));
	if (!bad) {
		/* each set takes its value's reference, also when it fails: all five, then none is ours */
		bad |= json_object_set_new(root, "by_host", hosts) != 0;
		bad |= json_object_set_new(root, "score", score) != 0;
		bad |= json_object_set_new(root, "unplaced_activities", unplaced) != 0;
		bad |= json_object_set_new(root, "moved", moved) != 0;
		bad |= json_object_set_new(root, "missing_calendars", missing) != 0;
		hosts = score = unplaced = moved = missing = NULL;
	}
cleanup:
	coplan_changes_free(changes, n_changes);
	json_decref(hosts);
	json_decref(score);
	json_decref(unplaced);
	json_decref(moved);
	json_decref(missing);
	if (rc || bad) {
		json_decref(root);
		return rc ? rc : cp_error(COPLAN_ENOMEM, "out of memory");
	}
	return dump(out, root);
}

int coplan_common_days_format_json(char **out, coplan_calendar *const *cals, size_t n,
                                   const coplan_date *days, size_t n_days)
{
	static const char *const names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
	json_t *root = json_object(), *nations = json_array(), *list = json_array();
	int bad = !root || !nations || !list;

	for (size_t i = 0; i < n && !bad; i++) {
		json_t *o = json_object(), *we = json_array();
		unsigned mask = coplan_calendar_weekend(cals[i]);

		bad = !o || !we;
		for (int d = 0; d < 7 && !bad; d++)
			if (mask & (1u << d))
				bad = json_array_append_new(we, json_string(names[d]));
		if (bad) {
			json_decref(o);
			json_decref(we);
			break;
		}
		if (set_str(o, "nation", coplan_calendar_nation(cals[i])) ||
		    json_object_set_new(o, "weekend", we)) {
			json_decref(o);
			bad = 1;
			break;
		}
		bad = json_array_append_new(nations, o);
	}
	for (size_t k = 0; k < n_days && !bad; k++) {
		char iso[COPLAN_DATE_ISO_LEN];

		bad = json_array_append_new(list, json_string(coplan_date_format_iso(days[k], iso)));
	}
	if (!bad) {
		bad |= json_object_set_new(root, "nations", nations) != 0;
		bad |= json_object_set_new(root, "days", list) != 0;
		bad |= json_object_set_new(root, "count", json_integer((json_int_t)n_days)) != 0;
		nations = list = NULL;
	}
	json_decref(nations);
	json_decref(list);
	if (bad) {
		json_decref(root);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	return dump(out, root);
}

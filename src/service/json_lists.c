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
		      set_str(o, "status", coplan_activity_status_name(e[i].status)) ||
		      set_date(o, "start", e[i].start) || set_date(o, "end", e[i].end) ||
		      set_str(o, "reason", e[i].reason) || json_array_append_new(array, o);
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

int coplan_changes_format_json(char **out, const coplan_change *changes, size_t n)
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
		      set_str(o, "after", c->after) || json_array_append_new(array, o);
	}
	if (bad) {
		json_decref(array);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	return dump(out, array);
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

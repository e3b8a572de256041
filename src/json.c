/* SPDX-License-Identifier: Apache-2.0 */
/* json.c - the plan in coplan's JSON format (docs/json-format.md): writing and reading, with jansson. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "coplan/calendar.h"
#include "coplan/cost.h"
#include "coplan/import.h"
#include "coplan/marking.h"
#include "export_int.h"

#define CP_JSON_FORMAT "coplan-plan"
#define CP_JSON_VERSION 1

/* ---- writing ------------------------------------------------------------ */

/*
 * Building the tree: every helper returns 0 or a coplan error; a NULL from
 * jansson is an invalid string (not UTF-8) or no memory.
 */
static int put(json_t *obj, const char *key, json_t *value, const char *what)
{
	if (!value)
		return cp_error(COPLAN_EINVALID, "%s: '%s' is not valid UTF-8 or memory ran out", what, key);
	if (json_object_set_new(obj, key, value))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	return 0;
}

static int put_str(json_t *obj, const char *key, const char *s, const char *what)
{
	if (!s)
		return 0;
	return put(obj, key, json_string(s), what);
}

static int put_date(json_t *obj, const char *key, coplan_date d, const char *what)
{
	char iso[COPLAN_DATE_ISO_LEN];

	if (d == COPLAN_DATE_NONE)
		return 0;
	return put(obj, key, json_string(coplan_date_format_iso(d, iso)), what);
}

static int append(json_t *array, json_t *value, const char *what)
{
	if (!value)
		return cp_error(COPLAN_EINVALID, "%s: a value is not valid UTF-8 or memory ran out", what);
	if (json_array_append_new(array, value))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	return 0;
}

static json_t *strv(char *const *v, size_t n)
{
	json_t *array = json_array();

	for (size_t i = 0; array && i < n; i++) {
		if (json_array_append_new(array, json_string(v[i] ? v[i] : ""))) {
			json_decref(array);
			return NULL;
		}
	}
	return array;
}

static int put_range(json_t *obj, const char *key, const char *k1, coplan_date d1,
                     const char *k2, coplan_date d2, const char *what)
{
	json_t *range;
	int rc;

	if (d1 == COPLAN_DATE_NONE && d2 == COPLAN_DATE_NONE)
		return 0;
	range = json_object();
	if (!range)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	if ((rc = put_date(range, k1, d1, what)) || (rc = put_date(range, k2, d2, what))) {
		json_decref(range);
		return rc;
	}
	return put(obj, key, range, what);
}

static int write_plan_header(json_t *root, const coplan_plan *plan)
{
	json_t *p = json_object();
	int rc;

	if (!p)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	if ((rc = put(root, "plan", p, "plan")))
		return rc;
	if (plan->uuid[0] && (rc = put_str(p, "uuid", plan->uuid, "plan")))
		return rc;
	if ((rc = put_str(p, "title", plan->title, "plan")) ||
	    (rc = put(p, "year", json_integer(plan->year), "plan")) ||
	    (rc = put(p, "nations", strv(plan->nations, plan->n_nations), "plan")) ||
	    (rc = put_range(p, "window", "from", plan->window_from, "to", plan->window_to, "plan")) ||
	    (rc = put_str(p, "label", plan->label, "plan")))
		return rc;
	return 0;
}

static int write_talks(json_t *root, const coplan_plan *plan)
{
	const coplan_staff_talks *t = &plan->talks;
	json_t *o, *dels;
	int rc;

	if (!plan->has_talks)
		return 0;
	o = json_object();
	if (!o)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	if ((rc = put(root, "staff_talks", o, "staff_talks")))
		return rc;
	if ((rc = put_str(o, "series", t->series, "staff_talks")) ||
	    (rc = put(o, "edition", json_integer(t->edition), "staff_talks")) ||
	    (rc = put_date(o, "start", t->start, "staff_talks")) ||
	    (rc = put_date(o, "end", t->end, "staff_talks")) ||
	    (rc = put_str(o, "venue", t->venue, "staff_talks")) ||
	    (rc = put(o, "delegations", dels = json_array(), "staff_talks")))
		return rc;
	for (size_t i = 0; i < t->n_delegations; i++) {
		const coplan_delegation *d = &t->delegations[i];
		json_t *del = json_object(), *head = json_object();

		if (!del || !head) {
			json_decref(del);
			json_decref(head);
			return cp_error(COPLAN_ENOMEM, "out of memory");
		}
		if ((rc = append(dels, del, "staff_talks.delegations"))) {
			json_decref(head);
			return rc;
		}
		if ((rc = put(del, "nation", json_string(d->nation), "staff_talks.delegations")) ||
		    (rc = put(del, "head", head, "staff_talks.delegations")) ||
		    (rc = put_str(head, "rank", d->head_rank, "staff_talks.delegations")) ||
		    (rc = put_str(head, "name", d->head_name, "staff_talks.delegations")) ||
		    (rc = put_str(head, "name_native", d->head_name_native, "staff_talks.delegations")) ||
		    (rc = put_str(head, "post", d->head_post, "staff_talks.delegations")) ||
		    (rc = put_str(head, "organisation", d->head_organisation, "staff_talks.delegations")))
			return rc;
		if (d->n_members) {
			json_t *members;

			if ((rc = put(del, "members", members = json_array(), "staff_talks.delegations")))
				return rc;
			for (size_t m = 0; m < d->n_members; m++) {
				const coplan_person *p = &d->members[m];
				json_t *po = json_object();

				if ((rc = append(members, po, "staff_talks.delegations")) ||
				    (rc = put_str(po, "rank", p->rank, "staff_talks.delegations")) ||
				    (rc = put_str(po, "name", p->name, "staff_talks.delegations")) ||
				    (rc = put_str(po, "name_native", p->name_native, "staff_talks.delegations")) ||
				    (rc = put_str(po, "post", p->post, "staff_talks.delegations")) ||
				    (rc = put_str(po, "organisation", p->organisation, "staff_talks.delegations")))
					return rc;
			}
		}
	}
	if (t->n_sessions) {
		json_t *sessions;

		if ((rc = put(o, "sessions", sessions = json_array(), "staff_talks")))
			return rc;
		for (size_t i = 0; i < t->n_sessions; i++) {
			const coplan_talks_session *ss = &t->sessions[i];
			json_t *so = json_object();
			char from[8], to[8];

			snprintf(from, sizeof(from), "%02d:%02d", ss->start_minute / 60 % 100, ss->start_minute % 60);
			snprintf(to, sizeof(to), "%02d:%02d", ss->end_minute / 60 % 100, ss->end_minute % 60);
			if ((rc = append(sessions, so, "staff_talks.sessions")) ||
			    (rc = put_str(so, "title", ss->title, "staff_talks.sessions")) ||
			    (rc = put_date(so, "date", ss->date, "staff_talks.sessions")) ||
			    (rc = put_str(so, "start", from, "staff_talks.sessions")) ||
			    (rc = put_str(so, "end", to, "staff_talks.sessions")) ||
			    (rc = put_str(so, "zone", ss->zone, "staff_talks.sessions")) ||
			    (rc = put_str(so, "location", ss->location, "staff_talks.sessions")))
				return rc;
		}
	}
	if (t->n_agenda && (rc = put(o, "agenda", strv(t->agenda, t->n_agenda), "staff_talks")))
		return rc;
	if (t->n_areas && (rc = put(o, "areas", strv(t->areas, t->n_areas), "staff_talks")))
		return rc;
	return 0;
}

static int write_blackouts(json_t *root, const coplan_plan *plan)
{
	json_t *array = json_array();
	int rc;

	if ((rc = put(root, "blackouts", array, "blackouts")))
		return rc;
	for (size_t i = 0; i < plan->n_blackouts; i++) {
		const coplan_blackout *b = &plan->blackouts[i];
		json_t *o = json_object();

		if ((rc = append(array, o, "blackouts")) ||
		    (rc = put_str(o, "scope", b->scope ? b->scope : "", "blackouts")) ||
		    (rc = put_date(o, "from", b->from, "blackouts")) ||
		    (rc = put_date(o, "to", b->to, "blackouts")) ||
		    (rc = put(o, "hard", json_boolean(b->hard), "blackouts")) ||
		    (rc = put_str(o, "reason", b->reason && *b->reason ? b->reason : NULL, "blackouts")) ||
		    (rc = put_str(o, "label", b->label, "blackouts")))
			return rc;
	}
	return 0;
}

/* Imported non-working days, written only when the plan has some. */
static int write_holidays(json_t *root, const coplan_plan *plan)
{
	json_t *array;
	int rc;

	if (plan->n_holidays == 0)
		return 0;
	if ((rc = put(root, "holidays", array = json_array(), "holidays")))
		return rc;
	for (size_t i = 0; i < plan->n_holidays; i++) {
		const coplan_plan_holiday *h = &plan->holidays[i];
		json_t *o = json_object();

		if ((rc = append(array, o, "holidays")) ||
		    (rc = put_str(o, "nation", h->nation, "holidays")) ||
		    (rc = put_date(o, "date", h->date, "holidays")) ||
		    (rc = put_str(o, "name", h->name && *h->name ? h->name : NULL, "holidays")))
			return rc;
	}
	return 0;
}

/* Weekends the plan declares, {"ISR": ["fri", "sat"]}, written only when it has some. */
static int write_weekends(json_t *root, const coplan_plan *plan)
{
	json_t *object;
	int rc;

	if (plan->n_weekends == 0)
		return 0;
	if ((rc = put(root, "weekends", object = json_object(), "weekends")))
		return rc;
	for (size_t i = 0; i < plan->n_weekends; i++) {
		const coplan_plan_weekend *w = &plan->weekends[i];
		json_t *days = json_array();

		if ((rc = put(object, w->nation, days, "weekends")))
			return rc;
		for (int wd = 1; wd <= 7; wd++)
			if ((w->days & COPLAN_WEEKDAY_BIT(wd)) &&
			    (rc = append(days, json_string(coplan_weekday_abbr(wd)), "weekends")))
				return rc;
	}
	return 0;
}

/* "cost": {currency, estimate, actual, paid_by, funding_line}: amounts as decimal text, exact. */
static int write_cost(json_t *o, const coplan_activity *a, const char *what)
{
	char amount[32], payer[COPLAN_MAX_NATIONS * 8];
	json_t *c;
	int rc;

	if (!a->currency[0] && a->paid_by == COPLAN_PAYER_UNSET && !a->funding_line)
		return 0;
	if ((rc = put(o, "cost", c = json_object(), what)) ||
	    (a->currency[0] && (rc = put(c, "currency", json_string(a->currency), what))) ||
	    (a->has_cost_estimate &&
	     (rc = put(c, "estimate", json_string(coplan_amount_format(amount, sizeof(amount),
	                                          a->cost_estimate, a->currency)), what))) ||
	    (a->has_cost_actual &&
	     (rc = put(c, "actual", json_string(coplan_amount_format(amount, sizeof(amount),
	                                        a->cost_actual, a->currency)), what))) ||
	    (a->paid_by != COPLAN_PAYER_UNSET &&
	     (rc = put(c, "paid_by", json_string(coplan_payer_format(payer, sizeof(payer), a)), what))) ||
	    (rc = put_str(c, "funding_line", a->funding_line, what)))
		return rc;
	return 0;
}

/* "budgets": [...] and "rates": [...], each left out when the plan has none. */
static int write_money(json_t *root, const coplan_plan *plan)
{
	char amount[32], iso[COPLAN_DATE_ISO_LEN];
	json_t *array, *o;
	int rc;

	if (plan->n_budgets) {
		if ((rc = put(root, "budgets", array = json_array(), "budgets")))
			return rc;
		for (size_t i = 0; i < plan->n_budgets; i++) {
			const coplan_budget *b = &plan->budgets[i];

			if ((rc = append(array, o = json_object(), "budgets")) ||
			    (rc = put(o, "nation", json_string(b->nation), "budgets")) ||
			    (rc = put(o, "year", json_integer(b->year), "budgets")) ||
			    (rc = put_str(o, "funding_line", b->funding_line, "budgets")) ||
			    (rc = put(o, "currency", json_string(b->currency), "budgets")) ||
			    (rc = put(o, "amount", json_string(coplan_amount_format(amount, sizeof(amount),
			                                       b->amount, b->currency)), "budgets")))
				return rc;
		}
	}
	if (plan->n_rates) {
		if ((rc = put(root, "rates", array = json_array(), "rates")))
			return rc;
		for (size_t i = 0; i < plan->n_rates; i++) {
			const coplan_rate *r = &plan->rates[i];

			if ((rc = append(array, o = json_object(), "rates")) ||
			    (rc = put(o, "from", json_string(r->from), "rates")) ||
			    (rc = put(o, "to", json_string(r->to), "rates")) ||
			    (rc = put_str(o, "rate", r->rate, "rates")) ||
			    (rc = put(o, "valid_from", json_string(coplan_date_format_iso(r->valid_from, iso)),
			              "rates")))
				return rc;
		}
	}
	return 0;
}

static int write_activity(json_t *array, const coplan_activity *a)
{
	const char *what = a->ref ? a->ref : "activity";
	json_t *o = json_object();
	int rc;

	if ((rc = append(array, o, what)) ||
	    (a->uuid[0] && (rc = put_str(o, "uuid", a->uuid, what))) ||
	    (rc = put_str(o, "ref", a->ref, what)) ||
	    (rc = put_str(o, "title", a->title, what)) ||
	    (rc = put_str(o, "area", a->area, what)) ||
	    (rc = put_str(o, "kind", a->kind, what)) ||
	    (rc = put(o, "host", json_string(a->host), what)) ||
	    (rc = put(o, "participants", strv(a->participants, a->n_participants), what)) ||
	    (rc = put(o, "units", strv(a->units, a->n_units), what)) ||
	    (rc = put(o, "duration", json_integer(a->duration), what)) ||
	    (rc = put(o, "day_mode", json_string(coplan_day_mode_name(a->day_mode)), what)) ||
	    (rc = put_range(o, "window", "earliest", a->earliest, "latest", a->latest, what)) ||
	    (rc = put_range(o, "requested", "from", a->requested_from, "to", a->requested_to, what)) ||
	    (rc = put_str(o, "location", a->location, what)) ||
	    (rc = put_str(o, "notes", a->notes, what)) ||
	    (rc = put_date(o, "start", a->start, what)) ||
	    (rc = put_date(o, "end", a->end, what)) ||
	    (rc = put(o, "pinned", json_boolean(a->pinned), what)) ||
	    (rc = put(o, "sequence", json_integer(a->sequence), what)) ||
	    (rc = put(o, "status", json_string(coplan_activity_status_name(a->status)), what)) ||
	    (rc = put_str(o, "unplaced_reason", a->unplaced_reason, what)) ||
	    (rc = put_str(o, "label", a->label, what)) || (rc = write_cost(o, a, what)))
		return rc;
	return 0;
}

static int write_precedences(json_t *root, const coplan_plan *plan, const cp_export_view *view)
{
	json_t *array = json_array();
	int rc;

	if ((rc = put(root, "precedences", array, "precedences")))
		return rc;
	for (size_t i = 0; i < plan->n_precedences; i++) {
		const coplan_precedence *p = &plan->precedences[i];
		json_t *o;

		/* A filtered export keeps only the precedences between activities it holds. */
		if (!cp_export_view_has(view, p->before) || !cp_export_view_has(view, p->after))
			continue;
		o = json_object();
		if ((rc = append(array, o, "precedences")) ||
		    (rc = put_str(o, "before", p->before, "precedences")) ||
		    (rc = put_str(o, "after", p->after, "precedences")) ||
		    (rc = put(o, "min_gap", json_integer(p->min_gap), "precedences")))
			return rc;
		if (p->max_gap >= 0 && (rc = put(o, "max_gap", json_integer(p->max_gap), "precedences")))
			return rc;
		/* "requires" is the default and left out, so older readers and files agree */
		if (p->kind != COPLAN_PRECEDENCE_REQUIRES &&
		    (rc = put_str(o, "kind", coplan_precedence_kind_name(p->kind), "precedences")))
			return rc;
	}
	return 0;
}

/* Where json_dump_callback() writes; a failure sticks (see dump_cb). */
typedef struct {
	cp_buf *out;
	int rc;
} dump_sink;

/*
 * Append to the sink's buffer.  Once an append fails every later one fails
 * too: jansson (2.14) ignores the callback's result when it writes an
 * object's key, so a single failure could otherwise leave a document with a
 * key missing that still "succeeds".
 */
static int dump_cb(const char *data, size_t size, void *payload)
{
	dump_sink *sink = payload;

	if (!sink->rc)
		sink->rc = cp_buf_add(sink->out, data, size);
	return sink->rc ? -1 : 0;
}

int cp_export_json_root(json_t **out, const coplan_plan *plan, const cp_export_view *view)
{
	json_t *root = json_object(), *acts;
	char marking[COPLAN_LABEL_TEXT_MAX + 1];
	int rc;

	*out = NULL;
	if (!root)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	/* the marking of what the document holds (docs/labels.md): no marking, no document */
	if (!view->unmarked &&
	    (rc = coplan_plan_marking(marking, sizeof(marking), plan, (const coplan_activity *const *)view->items,
	                              view->n)))
		goto cleanup;
	if ((rc = put(root, "format", json_string(CP_JSON_FORMAT), "document")) ||
	    (rc = put(root, "version", json_integer(CP_JSON_VERSION), "document")) ||
	    (rc = write_plan_header(root, plan)) ||
	    (rc = write_talks(root, plan)) ||
	    (rc = write_blackouts(root, plan)) ||
	    (rc = write_holidays(root, plan)) ||
	    (rc = write_weekends(root, plan)) ||
	    (rc = write_money(root, plan)) ||
	    (rc = put(root, "activities", acts = json_array(), "activities")))
		goto cleanup;
	for (size_t i = 0; i < view->n; i++)
		if ((rc = write_activity(acts, view->items[i])))
			goto cleanup;
	if ((rc = write_precedences(root, plan, view)) ||
	    (!view->unmarked && (rc = put(root, "label", json_string(marking), "document"))))
		goto cleanup;
	*out = root;
	return 0;
cleanup:
	json_decref(root);
	return rc;
}

int cp_export_json(cp_buf *out, const coplan_plan *plan, const cp_export_view *view)
{
	json_t *root = NULL;
	dump_sink sink = { out, 0 };
	int rc;

	if ((rc = cp_export_json_root(&root, plan, view)))
		return rc;
	if (json_dump_callback(root, dump_cb, &sink, JSON_INDENT(2) | JSON_PRESERVE_ORDER) || sink.rc)
		rc = sink.rc ? sink.rc : cp_error(COPLAN_ENOMEM, "writing JSON failed");
	else
		rc = cp_buf_putc(out, '\n');
	json_decref(root);
	return rc;
}

/* ---- reading ------------------------------------------------------------ */

/* Where the reader is: the file's name and the JSON path of the value at hand. */
typedef struct {
	const char *file;
	char path[256];
	json_t *refs;          /* the activities' refs read so far, each with its index (a set, O(1) a lookup) */
} reader;

/* Report a fault of the value at path + sub ("activities[3]" + ".host"). */
static int bad(const reader *r, const char *sub, const char *fmt, ...) CP_PRINTF(3, 4);
static int bad(const reader *r, const char *sub, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cp_error(COPLAN_EINVALID, "%s: %s%s%s: %s", r->file, r->path,
	                (*r->path && sub && *sub) ? "." : "", sub ? sub : "", msg);
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "a value";
}

/* Reject keys that the format does not define: a typo must not pass silently. */
static int check_keys(const reader *r, const json_t *obj, const char *const *known)
{
	const char *key;
	json_t *value;

	json_object_foreach((json_t *)obj, key, value) {
		size_t i;

		(void)value;
		for (i = 0; known[i]; i++)
			if (!strcmp(key, known[i]))
				break;
		if (!known[i])
			return bad(r, key, "unknown key (see docs/json-format.md)");
	}
	return 0;
}

/* The member key of obj, or NULL when absent or null (both mean "no value"). */
static json_t *member(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_null(v) ? NULL : v;
}

static int get_object(const reader *r, const json_t *obj, const char *key, json_t **out, int required)
{
	json_t *v = member(obj, key);

	*out = NULL;
	if (!v)
		return required ? bad(r, key, "missing (expected an object)") : 0;
	if (!json_is_object(v))
		return bad(r, key, "%s (expected an object)", type_name(v));
	*out = v;
	return 0;
}

static int get_array(const reader *r, const json_t *obj, const char *key, json_t **out)
{
	json_t *v = member(obj, key);

	*out = NULL;
	if (!v)
		return 0;
	if (!json_is_array(v))
		return bad(r, key, "%s (expected an array)", type_name(v));
	*out = v;
	return 0;
}

/* A string member copied into *out (freeing the old value); absent leaves *out alone unless required. */
static int get_string(const reader *r, const json_t *obj, const char *key, char **out, int required)
{
	json_t *v = member(obj, key);
	char *copy;

	if (!v)
		return required ? bad(r, key, "missing (expected a string)") : 0;
	if (!json_is_string(v))
		return bad(r, key, "%s (expected a string)", type_name(v));
	if (required && json_string_length(v) == 0)
		return bad(r, key, "empty (expected a string)");
	if (strlen(json_string_value(v)) != json_string_length(v))
		return bad(r, key, "contains a NUL character");
	copy = cp_strdup(json_string_value(v));
	if (!copy)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	free(*out);
	*out = copy;
	return 0;
}

static int get_int(const reader *r, const json_t *obj, const char *key, int *out, int required,
                   long long min, long long max)
{
	json_t *v = member(obj, key);
	json_int_t n;

	if (!v)
		return required ? bad(r, key, "missing (expected an integer)") : 0;
	if (!json_is_integer(v))
		return bad(r, key, "%s (expected an integer)", type_name(v));
	n = json_integer_value(v);
	if (n < min || n > max)
		return bad(r, key, "%lld out of range (expected %lld to %lld)", (long long)n, min, max);
	*out = (int)n;
	return 0;
}

static int get_bool(const reader *r, const json_t *obj, const char *key, int *out)
{
	json_t *v = member(obj, key);

	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return bad(r, key, "%s (expected true or false)", type_name(v));
	*out = json_is_true(v);
	return 0;
}

static int get_date(const reader *r, const json_t *obj, const char *key, coplan_date *out, int required)
{
	json_t *v = member(obj, key);

	if (!v)
		return required ? bad(r, key, "missing (expected a date YYYY-MM-DD)") : 0;
	if (!json_is_string(v))
		return bad(r, key, "%s (expected a date YYYY-MM-DD)", type_name(v));
	if (coplan_date_parse_iso(out, json_string_value(v), json_string_length(v)))
		return bad(r, key, "bad date '%s' (expected an existing date YYYY-MM-DD)",
		           json_string_value(v));
	return 0;
}

static int check_nation(const reader *r, const char *sub, const char *code)
{
	if (!coplan_nation_valid(code))
		return bad(r, sub, "unknown nation '%s' (expected ISO 3166-1 alpha-3, e.g. ITA)", code);
	return 0;
}

/* An optional "uuid" member: an RFC 9562 UUID, kept in lower case; absent leaves out "". */
static int get_uuid(const reader *r, const json_t *obj, char out[COPLAN_UUID_LEN])
{
	char *text = NULL;
	int rc;

	if ((rc = get_string(r, obj, "uuid", &text, 0)) || !text)
		return rc;
	if (!coplan_uuid_valid(text)) {
		rc = bad(r, "uuid", "'%s' is not a UUID (expected the form "
		         "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, RFC 9562)", text);
		free(text);
		return rc;
	}
	for (int i = 0; i < COPLAN_UUID_LEN; i++)
		out[i] = (char)(text[i] >= 'A' && text[i] <= 'F' ? text[i] - 'A' + 'a' : text[i]);
	free(text);
	return 0;
}

static int get_nation(const reader *r, const json_t *obj, const char *key, char out[COPLAN_NATION_LEN])
{
	json_t *v = member(obj, key);
	const char *code;

	if (!v)
		return bad(r, key, "missing (expected a nation, ISO 3166-1 alpha-3, e.g. ITA)");
	if (!json_is_string(v))
		return bad(r, key, "%s (expected a nation, ISO 3166-1 alpha-3, e.g. ITA)", type_name(v));
	code = json_string_value(v);
	if (check_nation(r, key, code))
		return COPLAN_EINVALID;
	memcpy(out, code, COPLAN_NATION_LEN);
	return 0;
}

/* Descend: r->path gains ".key" or "[index]"; restored by the caller from its saved copy. */
static void path_push(reader *r, const char *key, long index)
{
	size_t len = strlen(r->path);

	if (index >= 0)
		snprintf(r->path + len, sizeof(r->path) - len, "%s%s[%ld]", len ? "." : "", key, index);
	else
		snprintf(r->path + len, sizeof(r->path) - len, "%s%s", len ? "." : "", key);
}

static void path_pop(reader *r, size_t len)
{
	r->path[len] = '\0';
}

/* A date range object {k1, k2}, both optional, in order. */
static int read_range(reader *r, const json_t *obj, const char *key, const char *k1, coplan_date *d1,
                      const char *k2, coplan_date *d2)
{
	const char *known[] = { k1, k2, NULL };
	size_t len = strlen(r->path);
	json_t *range;
	int rc;

	if ((rc = get_object(r, obj, key, &range, 0)) || !range)
		return rc;
	path_push(r, key, -1);
	if (!(rc = check_keys(r, range, known)) && !(rc = get_date(r, range, k1, d1, 0)) &&
	    !(rc = get_date(r, range, k2, d2, 0)) &&
	    *d1 != COPLAN_DATE_NONE && *d2 != COPLAN_DATE_NONE && *d2 < *d1)
		rc = bad(r, k2, "ends before '%s' (expected a date on or after it)", k1);
	path_pop(r, len);
	return rc;
}

/* Where read_strv() puts each string: one of the model's append functions. */
typedef int (*strv_sink)(void *target, const char *value);

static int sink_plan_nation(void *t, const char *v) { return coplan_plan_add_nation(t, v); }
static int sink_participant(void *t, const char *v) { return coplan_activity_add_participant(t, v); }
static int sink_unit(void *t, const char *v) { return coplan_activity_add_unit(t, v); }
static int sink_agenda(void *t, const char *v) { return coplan_talks_add_agenda_item(t, v); }
static int sink_area(void *t, const char *v) { return coplan_talks_add_area(t, v); }

/* An array of non-empty strings (nation codes when nations is 1) at key, each passed to add. */
static int read_strv(reader *r, const json_t *obj, const char *key, int nations, strv_sink add,
                     void *target)
{
	size_t len = strlen(r->path);
	json_t *array, *v;
	size_t i;
	int rc;

	if ((rc = get_array(r, obj, key, &array)) || !array)
		return rc;
	path_push(r, key, -1);
	json_array_foreach(array, i, v) {
		char sub[32];

		snprintf(sub, sizeof(sub), "[%zu]", i);
		if (!json_is_string(v) || json_string_length(v) == 0) {
			rc = cp_error(COPLAN_EINVALID, "%s: %s%s: %s (expected %s)", r->file, r->path, sub,
			              json_is_string(v) ? "empty" : type_name(v),
			              nations ? "a nation, ISO 3166-1 alpha-3, e.g. ITA" : "a non-empty string");
			break;
		}
		if (nations && !coplan_nation_valid(json_string_value(v))) {
			rc = cp_error(COPLAN_EINVALID,
			              "%s: %s%s: unknown nation '%s' (expected ISO 3166-1 alpha-3, e.g. ITA)",
			              r->file, r->path, sub, json_string_value(v));
			break;
		}
		if ((rc = add(target, json_string_value(v))))
			break;
	}
	path_pop(r, len);
	return rc;
}

static int read_plan_header(reader *r, const json_t *root, coplan_plan *plan)
{
	static const char *const known[] = { "uuid", "title", "year", "nations", "window", "label", NULL };
	json_t *p;
	int rc;

	if ((rc = get_object(r, root, "plan", &p, 1)))
		return rc;
	path_push(r, "plan", -1);
	if ((rc = check_keys(r, p, known)) ||
	    (rc = get_uuid(r, p, plan->uuid)) ||
	    (rc = get_string(r, p, "title", &plan->title, 1)) ||
	    (rc = get_int(r, p, "year", &plan->year, 1, 1, 9999)) ||
	    (rc = read_strv(r, p, "nations", 1, sink_plan_nation, plan)) ||
	    (rc = read_range(r, p, "window", "from", &plan->window_from, "to", &plan->window_to)) ||
	    (rc = get_string(r, p, "label", &plan->label, 0)))
		goto cleanup;
cleanup:
	path_pop(r, 0);
	return rc;
}

/* "HH:MM" (24:00 allowed as an end) into minutes after midnight; -1 if it is not that form. */
static int read_time(const char *s)
{
	int h, m;

	if (!s || strlen(s) != 5 || s[2] != ':' || s[0] < '0' || s[0] > '2' || s[1] < '0' ||
	    s[1] > '9' || s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

static int read_sessions(reader *r, const json_t *talks, coplan_staff_talks *t)
{
	static const char *const known[] = { "title", "date", "start", "end", "zone", "location", NULL };
	size_t len = strlen(r->path);
	json_t *array, *o;
	size_t i;
	int rc;

	if ((rc = get_array(r, talks, "sessions", &array)) || !array)
		return rc;
	json_array_foreach(array, i, o) {
		coplan_talks_session ss = { NULL, COPLAN_DATE_NONE, 0, 0, NULL, NULL };
		char *from = NULL, *to = NULL;

		path_push(r, "sessions", (long)i);
		if (!json_is_object(o))
			rc = bad(r, NULL, "%s (expected an object)", type_name(o));
		else if (!(rc = check_keys(r, o, known)) &&
		         !(rc = get_string(r, o, "title", &ss.title, 1)) &&
		         !(rc = get_date(r, o, "date", &ss.date, 1)) &&
		         !(rc = get_string(r, o, "start", &from, 1)) &&
		         !(rc = get_string(r, o, "end", &to, 1)) &&
		         !(rc = get_string(r, o, "zone", &ss.zone, 1)) &&
		         !(rc = get_string(r, o, "location", &ss.location, 0))) {
			ss.start_minute = read_time(from);
			ss.end_minute = read_time(to);
			if (ss.start_minute < 0 || ss.start_minute > 1439)
				rc = bad(r, "start", "'%s' (expected a local time HH:MM)", from);
			else if (ss.end_minute <= ss.start_minute)
				rc = bad(r, "end", "'%s' (expected a local time HH:MM after the start)", to);
			else
				rc = coplan_talks_add_session(t, &ss);
		}
		free(ss.title);
		free(ss.zone);
		free(ss.location);
		free(from);
		free(to);
		path_pop(r, len);
		if (rc)
			return rc;
	}
	return 0;
}

static int read_talks(reader *r, const json_t *root, coplan_plan *plan)
{
	static const char *const known[] = {
		"series", "edition", "start", "end", "venue", "delegations", "agenda", "areas",
		"sessions", NULL
	};
	static const char *const del_known[] = { "nation", "head", "members", NULL };
	static const char *const head_known[] = {
		"rank", "name", "name_native", "post", "organisation", NULL
	};
	coplan_staff_talks *t = &plan->talks;
	json_t *o, *dels, *d;
	size_t i;
	int rc;

	if ((rc = get_object(r, root, "staff_talks", &o, 0)) || !o)
		return rc;
	plan->has_talks = 1;
	path_push(r, "staff_talks", -1);
	if ((rc = check_keys(r, o, known)) ||
	    (rc = get_string(r, o, "series", &t->series, 0)) ||
	    (rc = get_int(r, o, "edition", &t->edition, 0, 0, 100000)) ||
	    (rc = get_date(r, o, "start", &t->start, 0)) ||
	    (rc = get_date(r, o, "end", &t->end, 0)) ||
	    (rc = get_string(r, o, "venue", &t->venue, 0)) ||
	    (rc = get_array(r, o, "delegations", &dels)))
		goto cleanup;
	if (t->start != COPLAN_DATE_NONE && t->end != COPLAN_DATE_NONE && t->end < t->start) {
		rc = bad(r, "end", "ends before 'start' (expected a date on or after it)");
		goto cleanup;
	}
	if ((rc = read_strv(r, o, "agenda", 0, sink_agenda, t)) ||
	    (rc = read_strv(r, o, "areas", 0, sink_area, t)))
		goto cleanup;
	if ((rc = read_sessions(r, o, t)))
		goto cleanup;
	if (!dels)
		goto cleanup;
	json_array_foreach(dels, i, d) {
		char nation[COPLAN_NATION_LEN];
		coplan_delegation *del;
		json_t *head, *members, *m;
		size_t k, dlen;

		path_push(r, "delegations", (long)i);
		dlen = strlen(r->path);
		if (!json_is_object(d)) {
			rc = bad(r, NULL, "%s (expected an object)", type_name(d));
			goto cleanup;
		}
		if ((rc = check_keys(r, d, del_known)) ||
		    (rc = get_nation(r, d, "nation", nation)) ||
		    (rc = coplan_talks_add_delegation(t, nation, &del)) ||
		    (rc = get_object(r, d, "head", &head, 0)) ||
		    (rc = get_array(r, d, "members", &members)))
			goto cleanup;
		if (head) {
			path_push(r, "head", -1);
			if ((rc = check_keys(r, head, head_known)) ||
			    (rc = get_string(r, head, "rank", &del->head_rank, 0)) ||
			    (rc = get_string(r, head, "name", &del->head_name, 0)) ||
			    (rc = get_string(r, head, "name_native", &del->head_name_native, 0)) ||
			    (rc = get_string(r, head, "post", &del->head_post, 0)) ||
			    (rc = get_string(r, head, "organisation", &del->head_organisation, 0)))
				goto cleanup;
			path_pop(r, dlen);
		}
		if (members) {
			json_array_foreach(members, k, m) {
				coplan_person p = { 0 };

				path_push(r, "members", (long)k);
				if (!json_is_object(m))
					rc = bad(r, NULL, "%s (expected an object)", type_name(m));
				else if (!(rc = check_keys(r, m, head_known)) &&
				         !(rc = get_string(r, m, "rank", &p.rank, 0)) &&
				         !(rc = get_string(r, m, "name", &p.name, 1)) &&
				         !(rc = get_string(r, m, "name_native", &p.name_native, 0)) &&
				         !(rc = get_string(r, m, "post", &p.post, 0)) &&
				         !(rc = get_string(r, m, "organisation", &p.organisation, 0)))
					rc = coplan_delegation_add_member(del, &p);
				free(p.rank);
				free(p.name);
				free(p.name_native);
				free(p.post);
				free(p.organisation);
				if (rc)
					goto cleanup;
				path_pop(r, dlen);
			}
		}
		path_pop(r, strlen("staff_talks"));
	}
cleanup:
	path_pop(r, 0);
	return rc;
}

static int read_blackouts(reader *r, const json_t *root, coplan_plan *plan)
{
	static const char *const known[] = { "scope", "from", "to", "hard", "reason", "label", NULL };
	json_t *array, *o;
	size_t i;
	int rc;

	if ((rc = get_array(r, root, "blackouts", &array)) || !array)
		return rc;
	json_array_foreach(array, i, o) {
		coplan_date from = COPLAN_DATE_NONE, to = COPLAN_DATE_NONE;
		char *scope = NULL, *reason = NULL, *label = NULL;
		int hard = 0;

		path_push(r, "blackouts", (long)i);
		if (!json_is_object(o))
			rc = bad(r, NULL, "%s (expected an object)", type_name(o));
		else if (!(rc = check_keys(r, o, known)) &&
		         !(rc = get_string(r, o, "scope", &scope, 1)) &&
		         !(rc = get_date(r, o, "from", &from, 1)) &&
		         !(rc = get_date(r, o, "to", &to, 1)) &&
		         !(rc = get_bool(r, o, "hard", &hard)) &&
		         !(rc = get_string(r, o, "reason", &reason, 0)) &&
		         !(rc = get_string(r, o, "label", &label, 0))) {
			if (to < from)
				rc = bad(r, "to", "ends before 'from' (expected a date on or after it)");
			else if (!(rc = coplan_plan_add_blackout(plan, scope, from, to, hard, reason))) {
				plan->blackouts[plan->n_blackouts - 1].label = label;
				label = NULL;
			}
		}
		free(scope);
		free(reason);
		free(label);
		path_pop(r, 0);
		if (rc)
			return rc;
	}
	return 0;
}

/* An amount member (decimal text in currency) into *out, *has set; absent leaves both. */
static int get_amount(const reader *r, const json_t *obj, const char *key, const char *currency,
                      long long *out, int *has)
{
	json_t *v = member(obj, key);

	if (!v)
		return 0;
	if (!json_is_string(v))
		return bad(r, key, "%s (expected an amount as a string, e.g. \"12000.50\")", type_name(v));
	if (!currency || !*currency)
		return bad(r, key, "an amount needs its currency");
	if (coplan_amount_parse(out, json_string_value(v), currency)) {
		char msg[256];

		snprintf(msg, sizeof(msg), "%s", coplan_error_last());
		return bad(r, key, "%s", msg);
	}
	if (has)
		*has = 1;
	return 0;
}

/* An ISO 4217 code member into out (4 bytes); required or absent. */
static int get_currency(const reader *r, const json_t *obj, const char *key, char *out, int required)
{
	json_t *v = member(obj, key);

	if (!v)
		return required ? bad(r, key, "missing (expected a currency, ISO 4217, e.g. EUR)") : 0;
	if (!json_is_string(v) || !coplan_currency_valid(json_string_value(v)))
		return bad(r, key, "'%s' (expected a currency, ISO 4217 alpha-3, e.g. EUR)",
		           json_is_string(v) ? json_string_value(v) : type_name(v));
	memcpy(out, json_string_value(v), COPLAN_CURRENCY_LEN);
	return 0;
}

static int read_cost(reader *r, const json_t *o, coplan_activity *a)
{
	static const char *const known[] = { "currency", "estimate", "actual", "paid_by", "funding_line", NULL };
	size_t len = strlen(r->path);
	char *payer = NULL;
	json_t *c;
	int rc;

	if ((rc = get_object(r, o, "cost", &c, 0)) || !c)
		return rc;
	path_push(r, "cost", -1);
	if (!(rc = check_keys(r, c, known)) && !(rc = get_currency(r, c, "currency", a->currency, 0)) &&
	    !(rc = get_amount(r, c, "estimate", a->currency, &a->cost_estimate, &a->has_cost_estimate)) &&
	    !(rc = get_amount(r, c, "actual", a->currency, &a->cost_actual, &a->has_cost_actual)) &&
	    !(rc = get_string(r, c, "funding_line", &a->funding_line, 0)) &&
	    !(rc = get_string(r, c, "paid_by", &payer, 0)) && payer) {
		if (coplan_payer_parse(&a->paid_by, &a->shares, &a->n_shares, payer)) {
			char msg[512];

			snprintf(msg, sizeof(msg), "%s", coplan_error_last());
			rc = coplan_error_last_code() == COPLAN_ENOMEM ? COPLAN_ENOMEM : bad(r, "paid_by", "%s", msg);
		}
	}
	free(payer);
	path_pop(r, len);
	return rc;
}

static int read_money(reader *r, const json_t *root, coplan_plan *plan)
{
	static const char *const kb[] = { "nation", "year", "funding_line", "currency", "amount", NULL };
	static const char *const kr[] = { "from", "to", "rate", "valid_from", NULL };
	json_t *array, *o;
	size_t i;
	int rc;

	if ((rc = get_array(r, root, "budgets", &array)))
		return rc;
	if (array) {
		json_array_foreach(array, i, o) {
			char nation[COPLAN_NATION_LEN], currency[COPLAN_CURRENCY_LEN] = "";
			char *line = NULL;
			long long amount = 0;
			int year = 0;

			path_push(r, "budgets", (long)i);
			if (!json_is_object(o))
				rc = bad(r, NULL, "%s (expected an object)", type_name(o));
			if (!rc && !(rc = check_keys(r, o, kb)) && !(rc = get_nation(r, o, "nation", nation)) &&
			    !(rc = get_int(r, o, "year", &year, 1, COPLAN_MODEL_FIRST_YEAR, COPLAN_MODEL_LAST_YEAR)) &&
			    !(rc = get_string(r, o, "funding_line", &line, 1)) &&
			    !(rc = get_currency(r, o, "currency", currency, 1)) &&
			    !(rc = member(o, "amount") ? 0 : bad(r, "amount", "missing (expected an amount)")) &&
			    !(rc = get_amount(r, o, "amount", currency, &amount, NULL)) &&
			    (rc = coplan_plan_set_budget(plan, nation, year, line, currency, amount)) &&
			    rc != COPLAN_ENOMEM) {
				char msg[512];

				snprintf(msg, sizeof(msg), "%s", coplan_error_last());
				rc = bad(r, NULL, "%s", msg);
			}
			free(line);
			path_pop(r, 0);
			if (rc)
				return rc;
		}
	}
	if ((rc = get_array(r, root, "rates", &array)))
		return rc;
	if (array) {
		json_array_foreach(array, i, o) {
			char from[COPLAN_CURRENCY_LEN] = "", to[COPLAN_CURRENCY_LEN] = "";
			char *rate = NULL;
			coplan_date day = COPLAN_DATE_NONE;

			path_push(r, "rates", (long)i);
			if (!json_is_object(o))
				rc = bad(r, NULL, "%s (expected an object)", type_name(o));
			if (!rc && !(rc = check_keys(r, o, kr)) && !(rc = get_currency(r, o, "from", from, 1)) &&
			    !(rc = get_currency(r, o, "to", to, 1)) &&
			    !(rc = get_string(r, o, "rate", &rate, 1)) &&
			    !(rc = get_date(r, o, "valid_from", &day, 1)) &&
			    (rc = coplan_plan_add_rate(plan, from, to, rate, day)) && rc != COPLAN_ENOMEM) {
				char msg[512];

				snprintf(msg, sizeof(msg), "%s", coplan_error_last());
				rc = bad(r, NULL, "%s", msg);
			}
			free(rate);
			path_pop(r, 0);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static int read_activity(reader *r, const json_t *o, coplan_plan *plan)
{
	static const char *const known[] = {
		"uuid", "ref", "title", "area", "kind", "host", "participants", "units", "duration",
		"day_mode", "window", "requested", "location", "notes", "start", "end", "pinned",
		"sequence", "status", "unplaced_reason", "label", "cost", NULL
	};
	coplan_activity *a;
	json_t *v;
	int rc;

	if (!json_is_object(o))
		return bad(r, NULL, "%s (expected an object)", type_name(o));
	if ((rc = check_keys(r, o, known)) || (rc = coplan_plan_add_activity(plan, &a)))
		return rc;
	if ((rc = get_uuid(r, o, a->uuid)) ||
	    (rc = get_string(r, o, "ref", &a->ref, 1)) ||
	    (rc = get_string(r, o, "title", &a->title, 1)) ||
	    (rc = get_string(r, o, "area", &a->area, 0)) ||
	    (rc = get_string(r, o, "kind", &a->kind, 0)) ||
	    (rc = get_nation(r, o, "host", a->host)) ||
	    (rc = read_strv(r, o, "participants", 1, sink_participant, a)) ||
	    (rc = read_strv(r, o, "units", 0, sink_unit, a)) ||
	    (rc = get_int(r, o, "duration", &a->duration, 1, 1, 366)))
		return rc;
	if ((v = member(o, "day_mode"))) {
		if (json_is_string(v) && !strcmp(json_string_value(v), "working"))
			a->day_mode = COPLAN_DAYS_WORKING;
		else if (json_is_string(v) && !strcmp(json_string_value(v), "calendar"))
			a->day_mode = COPLAN_DAYS_CALENDAR;
		else
			return bad(r, "day_mode", "'%s' (expected \"working\" or \"calendar\")",
			           json_is_string(v) ? json_string_value(v) : type_name(v));
	}
	if ((rc = read_range(r, o, "window", "earliest", &a->earliest, "latest", &a->latest)) ||
	    (rc = read_range(r, o, "requested", "from", &a->requested_from, "to", &a->requested_to)) ||
	    (rc = get_string(r, o, "location", &a->location, 0)) ||
	    (rc = get_string(r, o, "notes", &a->notes, 0)) ||
	    (rc = get_date(r, o, "start", &a->start, 0)) ||
	    (rc = get_date(r, o, "end", &a->end, 0)) ||
	    (rc = get_bool(r, o, "pinned", &a->pinned)) ||
	    (rc = get_int(r, o, "sequence", &a->sequence, 0, 0, 2147483647LL)) ||
	    (rc = get_string(r, o, "unplaced_reason", &a->unplaced_reason, 0)) ||
	    (rc = get_string(r, o, "label", &a->label, 0)) || (rc = read_cost(r, o, a)))
		return rc;
	if ((a->start == COPLAN_DATE_NONE) != (a->end == COPLAN_DATE_NONE))
		return bad(r, a->start == COPLAN_DATE_NONE ? "start" : "end",
		           "missing (an activity has both start and end or neither)");
	if (a->end < a->start)
		return bad(r, "end", "ends before 'start' (expected a date on or after it)");
	if ((v = member(o, "status"))) {
		if (!json_is_string(v) || coplan_activity_status_parse(&a->status, json_string_value(v)))
			return bad(r, "status",
			           "'%s' (expected planned, confirmed, executed, postponed or cancelled)",
			           json_is_string(v) ? json_string_value(v) : type_name(v));
	}
	/* each ref looked up among those read, not compared with each (100,000 activities) */
	if (r->refs) {
		json_t *seen = json_object_get(r->refs, a->ref);

		if (seen)
			return bad(r, "ref", "'%s' is used twice (also activities[%zu])", a->ref,
			           (size_t)json_integer_value(seen));
		if (json_object_set_new(r->refs, a->ref, json_integer((json_int_t)plan->n_activities - 1)))
			return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	return 0;
}

static int read_precedences(reader *r, const json_t *root, coplan_plan *plan)
{
	static const char *const known[] = { "before", "after", "min_gap", "max_gap", "kind", NULL };
	json_t *array, *o;
	size_t i;
	int rc;

	if ((rc = get_array(r, root, "precedences", &array)) || !array)
		return rc;
	json_array_foreach(array, i, o) {
		char *before = NULL, *after = NULL, *kind = NULL;
		int min_gap = 0, max_gap = -1;
		coplan_precedence_kind k = COPLAN_PRECEDENCE_REQUIRES;

		path_push(r, "precedences", (long)i);
		if (!json_is_object(o))
			rc = bad(r, NULL, "%s (expected an object)", type_name(o));
		else if (!(rc = check_keys(r, o, known)) &&
		         !(rc = get_string(r, o, "before", &before, 1)) &&
		         !(rc = get_string(r, o, "after", &after, 1)) &&
		         !(rc = get_int(r, o, "min_gap", &min_gap, 0, 0, 3660)) &&
		         !(rc = get_int(r, o, "max_gap", &max_gap, 0, 0, 3660)) &&
		         !(rc = get_string(r, o, "kind", &kind, 0))) {
			if (kind && !strcmp(kind, "after"))
				k = COPLAN_PRECEDENCE_AFTER;
			if (kind && strcmp(kind, "after") && strcmp(kind, "requires"))
				rc = bad(r, "kind", "'%s' (expected requires or after)", kind);
			else if (coplan_plan_find(plan, before) < 0)
				rc = bad(r, "before", "no activity '%s'", before);
			else if (coplan_plan_find(plan, after) < 0)
				rc = bad(r, "after", "no activity '%s'", after);
			else if (max_gap >= 0 && max_gap < min_gap)
				rc = bad(r, "max_gap", "%d is less than min_gap %d", max_gap, min_gap);
			else
				rc = coplan_plan_add_precedence_kind(plan, before, after, min_gap, max_gap, k);
		}
		free(before);
		free(after);
		free(kind);
		path_pop(r, 0);
		if (rc)
			return rc;
	}
	return 0;
}

static int read_holidays(reader *r, const json_t *root, coplan_plan *plan)
{
	static const char *const known[] = { "nation", "date", "name", NULL };
	json_t *array, *o;
	size_t i;
	int rc;

	if ((rc = get_array(r, root, "holidays", &array)) || !array)
		return rc;
	json_array_foreach(array, i, o) {
		coplan_date date = COPLAN_DATE_NONE;
		char nation[COPLAN_NATION_LEN], *name = NULL;

		path_push(r, "holidays", (long)i);
		if (!json_is_object(o))
			rc = bad(r, NULL, "%s (expected an object)", type_name(o));
		else if (!(rc = check_keys(r, o, known)) &&
		         !(rc = get_nation(r, o, "nation", nation)) &&
		         !(rc = get_date(r, o, "date", &date, 1)) &&
		         !(rc = get_string(r, o, "name", &name, 0)))
			rc = coplan_plan_add_holiday(plan, nation, date, name);
		free(name);
		path_pop(r, 0);
		if (rc)
			return rc;
	}
	return 0;
}

/* "weekends": {"ISR": ["fri", "sat"], ...}: each nation's weekend days (mon..sun), [] for none. */
static int read_weekends(reader *r, const json_t *root, coplan_plan *plan)
{
	const char *nation;
	json_t *object, *days, *v;
	size_t i;
	int rc;

	if ((rc = get_object(r, root, "weekends", &object, 0)) || !object)
		return rc;
	path_push(r, "weekends", -1);
	json_object_foreach(object, nation, days) {
		unsigned mask = 0;
		int wd;

		if ((rc = check_nation(r, nation, nation)))
			break;
		if (!json_is_array(days)) {
			rc = bad(r, nation, "%s (expected an array of weekdays, e.g. [\"fri\", \"sat\"])",
			         type_name(days));
			break;
		}
		json_array_foreach(days, i, v) {
			if (!json_is_string(v) || coplan_weekday_parse(&wd, json_string_value(v))) {
				char sub[32];

				snprintf(sub, sizeof(sub), "%s[%zu]", nation, i);
				rc = bad(r, sub, "%s%s%s (expected mon, tue, wed, thu, fri, sat or sun)",
				         json_is_string(v) ? "unknown weekday '" : type_name(v),
				         json_is_string(v) ? json_string_value(v) : "",
				         json_is_string(v) ? "'" : "");
				break;
			}
			mask |= COPLAN_WEEKDAY_BIT(wd);
		}
		if (rc)
			break;
		if (mask == COPLAN_WEEKEND_ALL) {
			rc = bad(r, nation, "every day of the week (no working day left)");
			break;
		}
		if ((rc = coplan_plan_set_weekend(plan, nation, mask)))
			break;
	}
	path_pop(r, 0);
	return rc;
}

static int read_document(reader *r, const json_t *root, coplan_plan *plan)
{
	static const char *const known[] = {
		"format", "version", "label", "plan", "staff_talks", "blackouts", "holidays", "weekends",
		"budgets", "rates", "activities", "precedences", NULL
	};
	json_t *v, *acts, *o;
	size_t i;
	int rc;

	if (!json_is_object(root))
		return cp_error(COPLAN_EINVALID, "%s: the document is %s (expected an object)", r->file,
		                type_name(root));
	if ((rc = check_keys(r, root, known)))
		return rc;
	if ((v = member(root, "format")) &&
	    (!json_is_string(v) || strcmp(json_string_value(v), CP_JSON_FORMAT)))
		return bad(r, "format", "'%s' (expected \"" CP_JSON_FORMAT "\")",
		           json_is_string(v) ? json_string_value(v) : type_name(v));
	if ((v = member(root, "version")) &&
	    (!json_is_integer(v) || json_integer_value(v) != CP_JSON_VERSION))
		return bad(r, "version", "%s (this coplan reads version %d)",
		           json_is_integer(v) ? "unsupported version" : type_name(v), CP_JSON_VERSION);
	if ((rc = read_plan_header(r, root, plan)) ||
	    (rc = read_talks(r, root, plan)) ||
	    (rc = read_blackouts(r, root, plan)) ||
	    (rc = read_holidays(r, root, plan)) ||
	    (rc = read_weekends(r, root, plan)) ||
	    (rc = read_money(r, root, plan)) ||
	    (rc = get_array(r, root, "activities", &acts)))
		return rc;
	if (acts) {
		json_array_foreach(acts, i, o) {
			path_push(r, "activities", (long)i);
			rc = read_activity(r, o, plan);
			path_pop(r, 0);
			if (rc)
				return rc;
		}
	}
	if ((rc = read_precedences(r, root, plan)))
		return rc;
	if ((rc = coplan_plan_validate(plan))) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", coplan_error_last());
		return cp_error(rc, "%s: %s", r->file, msg);
	}
	return 0;
}

int coplan_import_plan_json_buffer(coplan_plan **out, const char *name, const char *data,
                                   size_t len)
{
	coplan_plan *plan = NULL;
	json_t *root = NULL;
	json_error_t err;
	reader r = { 0 };
	int rc;

	if (!out || !name || (!data && len))
		return cp_error(COPLAN_EUSAGE, "coplan_import_plan_json_buffer: no output, name or data");
	*out = NULL;
	if (len > COPLAN_IMPORT_MAX_BYTES)
		return cp_error(COPLAN_ELIMIT, "%s: larger than the limit of %u bytes", name,
		                COPLAN_IMPORT_MAX_BYTES);
	r.file = name;
	root = json_loadb(data ? data : "", len, JSON_REJECT_DUPLICATES, &err);
	if (!root) {
		rc = cp_error_at(COPLAN_EINVALID, name, (size_t)(err.line > 0 ? err.line : 0),
		                 (size_t)(err.column > 0 ? err.column : 0), "%s", err.text);
		goto cleanup;
	}
	if ((rc = coplan_plan_new(&plan)))
		goto cleanup;
	if (!(r.refs = json_object())) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	if ((rc = read_document(&r, root, plan)))
		goto cleanup;
	/* a label that does not parse is refused on the way in (docs/labels.md) */
	if ((rc = coplan_plan_labels_check(plan))) {
		char why[600];

		snprintf(why, sizeof(why), "%s", coplan_error_last());
		rc = cp_error(rc, "%s: %s", name, why);
		goto cleanup;
	}
	*out = plan;
	plan = NULL;
cleanup:
	coplan_plan_free(plan);
	json_decref(r.refs);
	json_decref(root);
	return rc;
}

int coplan_import_plan_json(coplan_plan **out, const char *path)
{
	cp_buf data = CP_BUF_INIT(COPLAN_IMPORT_MAX_BYTES);
	int rc;

	if (!out || !path)
		return cp_error(COPLAN_EUSAGE, "coplan_import_plan_json: no output or no path");
	*out = NULL;
	/* cp_buf_read_file() names the path in its errors, COPLAN_ELIMIT included. */
	if ((rc = cp_buf_read_file(&data, path)) == 0)
		rc = coplan_import_plan_json_buffer(out, path, data.data, data.len);
	cp_buf_release(&data);
	return rc;
}

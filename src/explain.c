/* SPDX-License-Identifier: Apache-2.0 */
/* explain.c - the scheduler's reasons as data: freeing them, and their two printers (English text, JSON). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "coplan/explain.h"
#include "buf.h"
#include "common.h"

/* Lists at most this many blockers of a WINDOW_TAKEN in text. */
#define CP_REASON_ITEMS 4
/* Names at most this many holidays or non-working days in text. */
#define CP_HOLIDAY_ITEMS 6

static const char *const code_names[] = {
	[COPLAN_REASON_WINDOW] = "window",
	[COPLAN_REASON_PLAN_WINDOW] = "plan_window",
	[COPLAN_REASON_HOLIDAY] = "holiday",
	[COPLAN_REASON_WEEKEND] = "weekend",
	[COPLAN_REASON_DURATION] = "duration",
	[COPLAN_REASON_BLACKOUT] = "blackout",
	[COPLAN_REASON_UNIT_BUSY] = "unit_busy",
	[COPLAN_REASON_PRECEDENCE] = "precedence",
	[COPLAN_REASON_PREDECESSOR_UNPLACED] = "predecessor_unplaced",
	[COPLAN_REASON_FIXED] = "fixed",
	[COPLAN_REASON_CANCELLED] = "cancelled",
	[COPLAN_REASON_PINNED] = "pinned",
	[COPLAN_REASON_PREDECESSORS_FIRST] = "predecessors_first",
	[COPLAN_REASON_WINDOW_SHORT] = "window_short",
	[COPLAN_REASON_NO_WORKING_START] = "no_working_start",
	[COPLAN_REASON_BLACKOUT_WINDOW] = "blackout_window",
	[COPLAN_REASON_BLACKOUTS_WINDOW] = "blackouts_window",
	[COPLAN_REASON_WINDOW_TAKEN] = "window_taken",
	[COPLAN_REASON_TIME_LIMIT] = "time_limit",
	[COPLAN_REASON_RECORDED_CONFLICTS] = "recorded_conflicts",
	[COPLAN_REASON_REQUESTED] = "requested",
	[COPLAN_REASON_SOFT_BLACKOUT] = "soft_blackout",
	[COPLAN_REASON_NONWORKING] = "nonworking",
	[COPLAN_REASON_MOVED] = "moved",
	[COPLAN_REASON_SPREAD] = "spread",
};

const char *coplan_reason_code_name(coplan_reason_code code)
{
	if ((size_t)code < CP_ARRAY_SIZE(code_names) && code_names[code])
		return code_names[code];
	return "unknown";
}

const char *coplan_explain_outcome_name(coplan_explain_outcome outcome)
{
	switch (outcome) {
	case COPLAN_EXPLAIN_CAN_START: return "can_start";
	case COPLAN_EXPLAIN_CANNOT_START: return "cannot_start";
	case COPLAN_EXPLAIN_PLACED: return "placed";
	case COPLAN_EXPLAIN_PLACED_AGAINST: return "placed_against";
	case COPLAN_EXPLAIN_UNPLACED: return "unplaced";
	case COPLAN_EXPLAIN_FIXED: return "fixed";
	case COPLAN_EXPLAIN_CANCELLED: return "cancelled";
	}
	return "unknown";
}

static const char *role_name(coplan_reason_role role)
{
	switch (role) {
	case COPLAN_ROLE_NONE: return NULL;
	case COPLAN_ROLE_HOST: return "host";
	case COPLAN_ROLE_PARTICIPANT: return "participant";
	case COPLAN_ROLE_UNIT: return "unit";
	case COPLAN_ROLE_PREDECESSOR: return "predecessor";
	case COPLAN_ROLE_SUCCESSOR: return "successor";
	}
	return NULL;
}

/* ---- lifecycle ---- */

void coplan_reason_release(coplan_reason *r)
{
	if (!r)
		return;
	for (size_t k = 0; k < r->n_items; k++)
		coplan_reason_release(&r->items[k]);
	free(r->items);
	free(r->activity);
	free(r->scope);
	free(r->name);
	memset(r, 0, sizeof(*r));
}

void coplan_explanation_release(coplan_explanation *e)
{
	if (!e)
		return;
	for (size_t k = 0; k < e->n_reasons; k++)
		coplan_reason_release(&e->reasons[k]);
	for (size_t k = 0; k < e->n_costs; k++)
		coplan_reason_release(&e->costs[k]);
	free(e->reasons);
	free(e->costs);
	free(e->ref);
	memset(e, 0, sizeof(*e));
}

void coplan_explanation_free(coplan_explanation *e)
{
	coplan_explanation_release(e);
	free(e);
}

void coplan_explanations_free(coplan_explanation *v, size_t n)
{
	for (size_t k = 0; v && k < n; k++)
		coplan_explanation_release(&v[k]);
	free(v);
}

void coplan_conflicts_free(coplan_conflicts *c)
{
	if (!c)
		return;
	coplan_explanations_free(c->items, c->n);
	free(c);
}

/* ---- text ---- */

static const char *const weekday_names[] = {
	"", "a Monday", "a Tuesday", "a Wednesday", "a Thursday", "a Friday", "a Saturday", "a Sunday"
};

static void put_date(cp_buf *b, coplan_date d)
{
	char t[COPLAN_DATE_ISO_LEN];

	cp_buf_puts(b, coplan_date_format_iso(d, t));
}

static void put_range(cp_buf *b, coplan_date f, coplan_date t)
{
	put_date(b, f);
	if (t != f && t != COPLAN_DATE_NONE) {
		cp_buf_puts(b, "..");
		put_date(b, t);
	}
}

static const char *str(const char *s)
{
	return s ? s : "";
}

/* "JPN (host)", "ITA (participant)", "unit '4th Air Wing'". */
static void put_scope(cp_buf *b, const coplan_reason *r)
{
	if (r->role == COPLAN_ROLE_UNIT)
		cp_buf_printf(b, "unit '%s'", str(r->scope));
	else
		cp_buf_printf(b, "%s (%s)", str(r->scope), r->role == COPLAN_ROLE_HOST ? "host" : "participant");
}

/* "'Golden Week' of JPN (host) 2024-04-27..2024-05-06": a blackout in a list. */
static void put_blackout_item(cp_buf *b, const coplan_reason *r)
{
	cp_buf_printf(b, "'%s' of ", str(r->name));
	put_scope(b, r);
	cp_buf_puts(b, " ");
	put_range(b, r->other_from, r->other_to);
}

/* The HOLIDAY items' names, ", "-separated, at most CP_HOLIDAY_ITEMS; "weekends" when none. */
static void put_holidays(cp_buf *b, const coplan_reason *r)
{
	size_t n = 0, more = 0;

	for (size_t k = 0; k < r->n_items; k++) {
		if (r->items[k].code != COPLAN_REASON_HOLIDAY)
			continue;
		if (n >= CP_HOLIDAY_ITEMS) {
			more++;
			continue;
		}
		cp_buf_printf(b, "%s%s", n++ ? ", " : "", str(r->items[k].name));
	}
	if (more)
		cp_buf_printf(b, " and %zu more", more);
	if (n == 0)
		cp_buf_puts(b, "weekends");
}

static void put_precedence(cp_buf *b, const coplan_reason *r)
{
	const char *ref = str(r->activity);

	if (r->role == COPLAN_ROLE_PREDECESSOR) {
		if (r->bound == COPLAN_BOUND_MAX) {
			cp_buf_printf(b, "must start at most %ld days after %s ends (by ", r->gap_max, ref);
			put_date(b, r->other_to);
			cp_buf_puts(b, ")");
			return;
		}
		cp_buf_printf(b, "must start after %s ends + %ld days (", ref, r->gap_min);
		put_date(b, r->other_from);
		cp_buf_puts(b, ")");
		if (r->bound == (COPLAN_BOUND_MIN | COPLAN_BOUND_MAX) && r->gap_max >= 0) {
			cp_buf_puts(b, " and by ");
			put_date(b, r->other_to);
		}
		return;
	}
	if (r->bound == COPLAN_BOUND_MAX) {
		cp_buf_printf(b, "must end at most %ld days before %s starts (on or after ", r->gap_max, ref);
		put_date(b, r->other_from);
		cp_buf_puts(b, ")");
		return;
	}
	cp_buf_printf(b, "must end %ld days before %s starts (by ", r->gap_min, ref);
	put_date(b, r->other_to);
	cp_buf_puts(b, ")");
	if (r->bound == (COPLAN_BOUND_MIN | COPLAN_BOUND_MAX) && r->gap_max >= 0) {
		cp_buf_puts(b, " and on or after ");
		put_date(b, r->other_from);
	}
}

static void put_reasons(cp_buf *b, const coplan_reason *v, size_t n, const char *self);

static void put_reason(cp_buf *b, const coplan_reason *r, const char *self)
{
	switch (r->code) {
	case COPLAN_REASON_WINDOW:
		put_date(b, r->from);
		cp_buf_printf(b, " is %s its window ", r->from < r->other_from ? "before" : "after");
		put_range(b, r->other_from, r->other_to);
		break;
	case COPLAN_REASON_PLAN_WINDOW:
		cp_buf_puts(b, "its time window lies outside the plan's window ");
		put_range(b, r->other_from, r->other_to);
		break;
	case COPLAN_REASON_HOLIDAY:
	case COPLAN_REASON_WEEKEND:
		put_date(b, r->from);
		if (r->code == COPLAN_REASON_HOLIDAY)
			cp_buf_printf(b, " is %s", str(r->name));
		else
			cp_buf_printf(b, " is %s", weekday_names[coplan_date_weekday(r->from)]);
		cp_buf_printf(b, " in %s (host)", str(r->scope));
		break;
	case COPLAN_REASON_DURATION:
		cp_buf_printf(b, "%ld %s days from ", r->days,
		              r->day_mode == COPLAN_DAYS_WORKING ? "working" : "calendar");
		put_date(b, r->from);
		cp_buf_puts(b, " would end after its window ends on ");
		put_date(b, r->other_to);
		break;
	case COPLAN_REASON_BLACKOUT:
		cp_buf_printf(b, "hard blackout '%s' of ", str(r->name));
		put_scope(b, r);
		cp_buf_puts(b, " ");
		put_range(b, r->other_from, r->other_to);
		if (r->from != COPLAN_DATE_NONE) {
			cp_buf_puts(b, " overlaps ");
			put_range(b, r->from, r->to);
		}
		break;
	case COPLAN_REASON_UNIT_BUSY:
		cp_buf_printf(b, "unit '%s' busy with %s ", str(r->scope), str(r->activity));
		put_range(b, r->other_from, r->other_to);
		break;
	case COPLAN_REASON_PRECEDENCE:
		put_precedence(b, r);
		break;
	case COPLAN_REASON_PREDECESSOR_UNPLACED:
		cp_buf_printf(b, "predecessor %s unplaced", str(r->activity));
		break;
	case COPLAN_REASON_FIXED:
		cp_buf_printf(b, "%s %s ", str(self),
		              r->status == COPLAN_STATUS_EXECUTED ? "executed on" :
		              r->status == COPLAN_STATUS_POSTPONED ? "postponed to" : "confirmed for");
		put_range(b, r->from, r->to);
		cp_buf_puts(b, ", kept as recorded");
		break;
	case COPLAN_REASON_CANCELLED:
		cp_buf_printf(b, "%s is cancelled: out of the schedule "
		              "(it holds no unit and constrains no other activity", str(self));
		if (r->from != COPLAN_DATE_NONE) {
			cp_buf_puts(b, "; its recorded dates ");
			put_range(b, r->from, r->to);
			cp_buf_puts(b, " are kept for the record");
		}
		cp_buf_puts(b, ")");
		break;
	case COPLAN_REASON_PINNED:
		cp_buf_puts(b, "pinned to ");
		put_date(b, r->from);
		cp_buf_puts(b, ", which breaks a hard constraint: ");
		put_reasons(b, r->items, r->n_items, self);
		break;
	case COPLAN_REASON_PREDECESSORS_FIRST:
		cp_buf_puts(b, "its predecessors cannot be placed before it");
		break;
	case COPLAN_REASON_WINDOW_SHORT:
		cp_buf_printf(b, "its window ");
		put_range(b, r->from, r->to);
		cp_buf_printf(b, " is %ld days, shorter than its %ld days", r->count, r->days);
		break;
	case COPLAN_REASON_NO_WORKING_START:
		cp_buf_printf(b, "no start in its window ");
		put_range(b, r->from, r->to);
		cp_buf_printf(b, " fits %ld working days of %s: it has %ld after the host's non-working days (",
		              r->days, str(r->scope), r->count);
		put_holidays(b, r);
		cp_buf_puts(b, ")");
		break;
	case COPLAN_REASON_BLACKOUT_WINDOW:
		cp_buf_printf(b, "hard blackout '%s' of ", str(r->name));
		put_scope(b, r);
		cp_buf_puts(b, " ");
		put_range(b, r->other_from, r->other_to);
		cp_buf_puts(b, " covers the whole window ");
		put_range(b, r->from, r->to);
		break;
	case COPLAN_REASON_BLACKOUTS_WINDOW: {
		size_t n = 0;

		cp_buf_printf(b, "every start in its window ");
		put_range(b, r->from, r->to);
		cp_buf_puts(b, " meets a hard blackout: ");
		for (size_t k = 0; k < r->n_items; k++) {
			if (r->items[k].code != COPLAN_REASON_BLACKOUT)
				continue;
			if (n++)
				cp_buf_puts(b, ", ");
			put_blackout_item(b, &r->items[k]);
		}
		if (r->scope) {
			cp_buf_printf(b, "; with the non-working days of %s (", r->scope);
			put_holidays(b, r);
			cp_buf_puts(b, ")");
		}
		break;
	}
	case COPLAN_REASON_WINDOW_TAKEN:
		if (r->n_items && r->items[0].count == r->count) {
			put_reason(b, &r->items[0], self);
			cp_buf_puts(b, " throughout its window ");
			put_range(b, r->from, r->to);
			break;
		}
		cp_buf_puts(b, "every start in its window ");
		put_range(b, r->from, r->to);
		cp_buf_puts(b, " is taken: ");
		put_reasons(b, r->items, r->n_items < CP_REASON_ITEMS ? r->n_items : CP_REASON_ITEMS, self);
		if (r->n_items > CP_REASON_ITEMS)
			cp_buf_printf(b, "; and %zu more", r->n_items - CP_REASON_ITEMS);
		break;
	case COPLAN_REASON_TIME_LIMIT:
		cp_buf_puts(b, "not placed within the search's time limit (a free start exists; schedule again with more time)");
		break;
	case COPLAN_REASON_RECORDED_CONFLICTS:
		cp_buf_printf(b, "%ld hard-constraint conflicts between recorded activities", r->count);
		break;
	case COPLAN_REASON_REQUESTED:
		cp_buf_printf(b, "%ld day%s outside the requested period ", r->days, r->days == 1 ? "" : "s");
		put_range(b, r->other_from, r->other_to);
		cp_buf_printf(b, " x %ld", r->weight);
		break;
	case COPLAN_REASON_SOFT_BLACKOUT:
		cp_buf_printf(b, "%ld soft-blackout day%s (", r->days, r->days == 1 ? "" : "s");
		for (size_t k = 0; k < r->n_items; k++) {
			if (k)
				cp_buf_puts(b, ", ");
			put_blackout_item(b, &r->items[k]);
		}
		cp_buf_printf(b, ") x %ld", r->weight);
		break;
	case COPLAN_REASON_NONWORKING:
		cp_buf_printf(b, "%ld non-working day%s inside its span (", r->days, r->days == 1 ? "" : "s");
		for (size_t k = 0; k < r->n_items; k++) {
			const coplan_reason *d = &r->items[k];

			if (k == CP_HOLIDAY_ITEMS) {
				cp_buf_puts(b, ", ...");
				break;
			}
			if (k)
				cp_buf_puts(b, ", ");
			put_date(b, d->from);
			if (d->code == COPLAN_REASON_HOLIDAY)
				cp_buf_printf(b, " %s", str(d->name));
			else
				cp_buf_printf(b, " %s", weekday_names[coplan_date_weekday(d->from)] + 2);
		}
		cp_buf_printf(b, ") x %ld", r->weight);
		break;
	case COPLAN_REASON_MOVED:
		cp_buf_printf(b, "moved %ld days from ", r->days);
		put_date(b, r->other_from);
		cp_buf_printf(b, " x %ld", r->weight);
		break;
	case COPLAN_REASON_SPREAD: {
		int y = 0, m = 0;

		if (r->other_from != COPLAN_DATE_NONE)
			coplan_date_to_ymd(r->other_from, &y, &m, NULL);
		cp_buf_printf(b, "spread %+ld (%s would have %ld activities in %04d-%02d)", r->cost,
		              str(r->scope), r->count, y, m);
		break;
	}
	default:
		cp_buf_printf(b, "reason %d", (int)r->code);
		break;
	}
}

static void put_reasons(cp_buf *b, const coplan_reason *v, size_t n, const char *self)
{
	for (size_t k = 0; k < n; k++) {
		if (k)
			cp_buf_puts(b, "; ");
		put_reason(b, &v[k], self);
	}
}

/* ", soft cost 40: 2 non-working days inside its span (...) x 20; ..." */
static void put_costs(cp_buf *b, const coplan_explanation *e)
{
	cp_buf_printf(b, ", soft cost %ld", e->soft_cost);
	for (size_t k = 0; k < e->n_costs; k++) {
		cp_buf_puts(b, k ? "; " : ": ");
		put_reason(b, &e->costs[k], e->ref);
	}
}

/* The buffer's text into *out (cp_buf_detach gives "" for an empty one). */
static int finish(char **out, cp_buf *b)
{
	*out = cp_buf_detach(b, NULL);
	if (!*out)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	return 0;
}

int coplan_reasons_format_text(char **out, const coplan_reason *reasons, size_t n, const char *self)
{
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);

	if (!out || (n && !reasons))
		return cp_error(COPLAN_EUSAGE, "no reasons or no output given");
	*out = NULL;
	put_reasons(&b, reasons, n, self);
	return finish(out, &b);
}

static void put_explanation(cp_buf *b, const coplan_explanation *e)
{
	const char *ref = str(e->ref);

	switch (e->outcome) {
	case COPLAN_EXPLAIN_FIXED:
	case COPLAN_EXPLAIN_CANCELLED:
		if (e->date != COPLAN_DATE_NONE && !e->can_start) {
			cp_buf_printf(b, "%s cannot start on ", ref);
			put_date(b, e->date);
			cp_buf_puts(b, ": ");
		}
		put_reasons(b, e->reasons, e->n_reasons, ref);
		break;
	case COPLAN_EXPLAIN_UNPLACED:
		cp_buf_printf(b, "%s is unplaced: ", ref);
		put_reasons(b, e->reasons, e->n_reasons, ref);
		break;
	case COPLAN_EXPLAIN_CANNOT_START:
	case COPLAN_EXPLAIN_PLACED_AGAINST:
		cp_buf_printf(b, e->outcome == COPLAN_EXPLAIN_CANNOT_START ? "%s cannot start on "
		                                                           : "%s is placed on ", ref);
		put_date(b, e->outcome == COPLAN_EXPLAIN_CANNOT_START ? e->date : e->from);
		cp_buf_puts(b, e->outcome == COPLAN_EXPLAIN_CANNOT_START ? ": " : " against its constraints: ");
		put_reasons(b, e->reasons, e->n_reasons, ref);
		break;
	case COPLAN_EXPLAIN_CAN_START:
	case COPLAN_EXPLAIN_PLACED:
		cp_buf_printf(b, e->outcome == COPLAN_EXPLAIN_CAN_START ? "%s can start on " : "%s is placed on ", ref);
		put_range(b, e->from, e->to);
		put_costs(b, e);
		break;
	}
}

int coplan_explanation_format_text(char **out, const coplan_explanation *e)
{
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);

	if (!out || !e)
		return cp_error(COPLAN_EUSAGE, "no explanation or no output given");
	*out = NULL;
	put_explanation(&b, e);
	return finish(out, &b);
}

int coplan_conflicts_format_text(char **out, const coplan_conflicts *c)
{
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);

	if (!out || !c)
		return cp_error(COPLAN_EUSAGE, "no conflicts or no output given");
	*out = NULL;
	for (size_t k = 0; k < c->n; k++) {
		cp_buf_puts(&b, "  conflict ");
		put_explanation(&b, &c->items[k]);
		cp_buf_puts(&b, "\n");
	}
	if (c->n == 0 && c->recorded > 0)
		cp_buf_printf(&b, "  %ld hard-constraint conflicts between recorded activities\n", c->recorded);
	return finish(out, &b);
}

/* ---- JSON ---- */

/* Which optional fields a code fills (see coplan/explain.h). */
enum {
	J_DAYS = 1, J_COUNT = 2, J_GAPS = 4, J_MODE = 8, J_STATUS = 16, J_COST = 32, J_BLACKOUT = 64
};

static unsigned code_fields(coplan_reason_code code)
{
	switch (code) {
	case COPLAN_REASON_DURATION: return J_DAYS | J_MODE;
	case COPLAN_REASON_BLACKOUT:
	case COPLAN_REASON_BLACKOUT_WINDOW: return J_BLACKOUT;
	case COPLAN_REASON_PRECEDENCE: return J_GAPS;
	case COPLAN_REASON_FIXED: return J_STATUS;
	case COPLAN_REASON_WINDOW_SHORT:
	case COPLAN_REASON_NO_WORKING_START: return J_DAYS | J_COUNT;
	case COPLAN_REASON_WINDOW_TAKEN:
	case COPLAN_REASON_RECORDED_CONFLICTS: return J_COUNT;
	case COPLAN_REASON_UNIT_BUSY: return 0;
	case COPLAN_REASON_REQUESTED:
	case COPLAN_REASON_SOFT_BLACKOUT:
	case COPLAN_REASON_NONWORKING:
	case COPLAN_REASON_MOVED: return J_DAYS | J_COST;
	case COPLAN_REASON_SPREAD: return J_COUNT | J_COST;
	default: return 0;
	}
}

/* Set obj[key] = value (stolen); a NULL value (bad UTF-8 or no memory) is an error. */
static int jset(json_t *obj, const char *key, json_t *value)
{
	if (!value || json_object_set_new(obj, key, value))
		return cp_error(COPLAN_ENOMEM, "out of memory building the JSON of an explanation");
	return 0;
}

static int jdate(json_t *obj, const char *key, coplan_date d)
{
	char iso[COPLAN_DATE_ISO_LEN];

	return d == COPLAN_DATE_NONE ? 0 : jset(obj, key, json_string(coplan_date_format_iso(d, iso)));
}

static int jstr(json_t *obj, const char *key, const char *s)
{
	return s ? jset(obj, key, json_string(s)) : 0;
}

static int jint(json_t *obj, const char *key, long v)
{
	return jset(obj, key, json_integer(v));
}

static json_t *reason_json(const coplan_reason *r, const char *self, int *rc);

static json_t *reasons_json(const coplan_reason *v, size_t n, const char *self, int *rc)
{
	json_t *a = json_array();

	if (!a) {
		*rc = cp_error(COPLAN_ENOMEM, "out of memory");
		return NULL;
	}
	for (size_t k = 0; k < n && !*rc; k++) {
		json_t *o = reason_json(&v[k], self, rc);

		if (!*rc && json_array_append_new(a, o))
			*rc = cp_error(COPLAN_ENOMEM, "out of memory");
	}
	if (*rc) {
		json_decref(a);
		return NULL;
	}
	return a;
}

static json_t *reason_json(const coplan_reason *r, const char *self, int *rc)
{
	json_t *o = json_object();
	unsigned f = code_fields(r->code);
	char *text = NULL;
	const char *role = role_name(r->role);

	if (!o) {
		*rc = cp_error(COPLAN_ENOMEM, "out of memory");
		return NULL;
	}
	if ((*rc = jstr(o, "code", coplan_reason_code_name(r->code))) ||
	    (*rc = jdate(o, "from", r->from)) || (*rc = jdate(o, "to", r->to)) ||
	    (*rc = jdate(o, "other_from", r->other_from)) || (*rc = jdate(o, "other_to", r->other_to)) ||
	    (*rc = jstr(o, "activity", r->activity)) || (*rc = jstr(o, "scope", r->scope)) ||
	    (*rc = jstr(o, "role", role)) || (*rc = jstr(o, "name", r->name)))
		goto cleanup;
	if ((f & J_BLACKOUT) && r->blackout >= 0 && (*rc = jint(o, "blackout", r->blackout)))
		goto cleanup;
	if ((f & J_DAYS) && (*rc = jint(o, "days", r->days)))
		goto cleanup;
	if ((f & J_COUNT) && (*rc = jint(o, "count", r->count)))
		goto cleanup;
	if ((f & J_GAPS) &&
	    ((*rc = jint(o, "gap_min", r->gap_min)) ||
	     (r->gap_max >= 0 && (*rc = jint(o, "gap_max", r->gap_max))) ||
	     (*rc = jstr(o, "bound", r->bound == COPLAN_BOUND_MAX ? "max" :
	                             r->bound == COPLAN_BOUND_MIN ? "min" : "both"))))
		goto cleanup;
	if ((f & J_MODE) && (*rc = jstr(o, "day_mode", coplan_day_mode_name(r->day_mode))))
		goto cleanup;
	if ((f & J_STATUS) && (*rc = jstr(o, "status", coplan_activity_status_name(r->status))))
		goto cleanup;
	if ((f & J_COST) && ((*rc = jint(o, "weight", r->weight)) || (*rc = jint(o, "cost", r->cost))))
		goto cleanup;
	if (r->n_items) {
		json_t *items = reasons_json(r->items, r->n_items, self, rc);

		if (*rc || (*rc = jset(o, "items", items)))
			goto cleanup;
	}
	if ((*rc = coplan_reasons_format_text(&text, r, 1, self)) || (*rc = jstr(o, "text", text)))
		goto cleanup;
cleanup:
	free(text);
	if (*rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *explanation_json(const coplan_explanation *e, int *rc)
{
	json_t *o = json_object(), *v;
	char *text = NULL;

	if (!o) {
		*rc = cp_error(COPLAN_ENOMEM, "out of memory");
		return NULL;
	}
	if ((*rc = jstr(o, "ref", e->ref)) ||
	    (*rc = e->date == COPLAN_DATE_NONE ? jset(o, "date", json_null()) : jdate(o, "date", e->date)))
		goto cleanup;
	if ((*rc = jstr(o, "outcome", coplan_explain_outcome_name(e->outcome))) ||
	    (*rc = jset(o, "can_start", json_boolean(e->can_start))) ||
	    (*rc = jdate(o, "from", e->from)) || (*rc = jdate(o, "to", e->to)))
		goto cleanup;
	if ((e->outcome == COPLAN_EXPLAIN_CAN_START || e->outcome == COPLAN_EXPLAIN_PLACED) &&
	    (*rc = jint(o, "soft_cost", e->soft_cost)))
		goto cleanup;
	v = reasons_json(e->reasons, e->n_reasons, e->ref, rc);
	if (*rc || (*rc = jset(o, "reasons", v)))
		goto cleanup;
	v = reasons_json(e->costs, e->n_costs, e->ref, rc);
	if (*rc || (*rc = jset(o, "costs", v)))
		goto cleanup;
	if ((*rc = coplan_explanation_format_text(&text, e)) || (*rc = jstr(o, "text", text)))
		goto cleanup;
cleanup:
	free(text);
	if (*rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int dump(char **out, json_t *root)
{
	*out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!*out)
		return cp_error(COPLAN_ENOMEM, "out of memory writing JSON");
	return 0;
}

int coplan_explanation_format_json(char **out, const coplan_explanation *e)
{
	json_t *root;
	int rc = 0;

	if (!out || !e)
		return cp_error(COPLAN_EUSAGE, "no explanation or no output given");
	*out = NULL;
	if (!(root = explanation_json(e, &rc)))
		return rc;
	return dump(out, root);
}

static json_t *explanations_json(const coplan_explanation *v, size_t n, int *rc)
{
	json_t *a = json_array();

	if (!a) {
		*rc = cp_error(COPLAN_ENOMEM, "out of memory");
		return NULL;
	}
	for (size_t k = 0; k < n && !*rc; k++) {
		json_t *o = explanation_json(&v[k], rc);

		if (!*rc && json_array_append_new(a, o))
			*rc = cp_error(COPLAN_ENOMEM, "out of memory");
	}
	if (*rc) {
		json_decref(a);
		return NULL;
	}
	return a;
}

int coplan_explanations_format_json(char **out, const coplan_explanation *v, size_t n)
{
	json_t *root;
	int rc = 0;

	if (!out || (n && !v))
		return cp_error(COPLAN_EUSAGE, "no explanations or no output given");
	*out = NULL;
	if (!(root = explanations_json(v, n, &rc)))
		return rc;
	return dump(out, root);
}

int coplan_conflicts_format_json(char **out, const coplan_conflicts *c)
{
	json_t *root, *a;
	int rc = 0;

	if (!out || !c)
		return cp_error(COPLAN_EUSAGE, "no conflicts or no output given");
	*out = NULL;
	if (!(root = json_object()))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	a = explanations_json(c->items, c->n, &rc);
	if (rc || (rc = jset(root, "conflicts", a)) || (rc = jint(root, "recorded", c->recorded))) {
		json_decref(root);
		return rc;
	}
	return dump(out, root);
}

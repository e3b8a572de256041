/* SPDX-License-Identifier: Apache-2.0 */
/* compare.c - the changes between two versions of a plan: added, removed, moved, changed fields. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coplan/compare.h"
#include "coplan/cost.h"
#include "coplan/report.h"
#include "buf.h"

typedef struct {
	coplan_change *items;
	size_t n, cap;
} change_list;

static char *strv_join(char *const *v, size_t n)
{
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);

	for (size_t i = 0; i < n; i++)
		if (cp_buf_printf(&b, "%s%s", i ? ", " : "", v[i])) {
			cp_buf_release(&b);
			return NULL;
		}
	return cp_buf_detach(&b, NULL);
}

static char *range_text(coplan_date from, coplan_date to)
{
	char buf[64];

	if (from == COPLAN_DATE_NONE && to == COPLAN_DATE_NONE)
		return cp_strdup("(none)");
	if (from == COPLAN_DATE_NONE || to == COPLAN_DATE_NONE) {
		char d[COPLAN_DATE_ISO_LEN];
		snprintf(buf, sizeof(buf), "%s %s", from == COPLAN_DATE_NONE ? "until" : "from",
		         coplan_date_format_iso(from == COPLAN_DATE_NONE ? to : from, d));
		return cp_strdup(buf);
	}
	return cp_strdup(coplan_report_date_range(buf, sizeof(buf), from, to));
}

/* Append a change; takes ownership of before and after (also on error). */
static int add(change_list *l, coplan_change_kind kind, const coplan_activity *a,
               const char *field, char *before, char *after)
{
	coplan_change *c;

	if (cp_grow((void **)&l->items, &l->cap, l->n + 1, sizeof(*l->items))) {
		free(before);
		free(after);
		return COPLAN_ENOMEM;
	}
	c = &l->items[l->n++];
	memset(c, 0, sizeof(*c));
	c->from = c->to = COPLAN_DATE_NONE;
	c->kind = kind;
	c->ref = cp_strdup(a->ref);
	c->title = cp_strdup(a->title);
	c->field = cp_strdup(field);
	c->before = before;
	c->after = after;
	if (!c->ref || !c->title || (field && !c->field))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	return 0;
}

static int str_differs(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") != 0;
}

static int text_field(change_list *l, const coplan_activity *a, const char *field,
                      const char *before, const char *after)
{
	if (!str_differs(before, after))
		return 0;
	return add(l, COPLAN_CHANGE_FIELD, a, field, cp_strdup(before ? before : ""),
	           cp_strdup(after ? after : ""));
}

static int list_field(change_list *l, const coplan_activity *a, const char *field,
                      char *const *v1, size_t n1, char *const *v2, size_t n2)
{
	char *s1 = strv_join(v1, n1), *s2 = strv_join(v2, n2);

	if (!s1 || !s2 || strcmp(s1, s2) == 0) {
		int rc = (!s1 || !s2) ? cp_error(COPLAN_ENOMEM, "out of memory") : 0;
		free(s1);
		free(s2);
		return rc;
	}
	return add(l, COPLAN_CHANGE_FIELD, a, field, s1, s2);
}

/* An amount as text with its currency ("12000.50 EUR"), "" when none. */
static void amount_text(char *buf, size_t size, int has, long long amount, const char *currency)
{
	char n[32];

	if (!has)
		snprintf(buf, size, "%s", "");
	else
		snprintf(buf, size, "%s %s", coplan_amount_format(n, sizeof(n), amount, currency), currency);
}

/* The cost fields (issue 17), named as the CSV names them. */
static int compare_cost(change_list *l, const coplan_activity *o, const coplan_activity *a)
{
	char t1[COPLAN_MAX_NATIONS * 8], t2[COPLAN_MAX_NATIONS * 8];
	int rc;

	amount_text(t1, sizeof(t1), o->has_cost_estimate, o->cost_estimate, o->currency);
	amount_text(t2, sizeof(t2), a->has_cost_estimate, a->cost_estimate, a->currency);
	if ((rc = text_field(l, a, "cost_estimate", t1, t2)))
		return rc;
	amount_text(t1, sizeof(t1), o->has_cost_actual, o->cost_actual, o->currency);
	amount_text(t2, sizeof(t2), a->has_cost_actual, a->cost_actual, a->currency);
	if ((rc = text_field(l, a, "cost_actual", t1, t2)) ||
	    (rc = text_field(l, a, "currency", o->currency, a->currency)) ||
	    (rc = text_field(l, a, "paid_by", coplan_payer_format(t1, sizeof(t1), o),
	                     coplan_payer_format(t2, sizeof(t2), a))))
		return rc;
	return text_field(l, a, "funding_line", o->funding_line, a->funding_line);
}

static int compare_activity(change_list *l, const coplan_activity *o, const coplan_activity *a)
{
	char n1[32], n2[32];
	int rc = 0;

	if (o->start != a->start || o->end != a->end)
		rc = add(l, COPLAN_CHANGE_MOVED, a, "dates", range_text(o->start, o->end),
		         range_text(a->start, a->end));
	if (!rc)
		rc = text_field(l, a, "title", o->title, a->title);
	if (!rc)
		rc = text_field(l, a, "area", o->area, a->area);
	if (!rc)
		rc = text_field(l, a, "kind", o->kind, a->kind);
	if (!rc)
		rc = text_field(l, a, "host", o->host, a->host);
	if (!rc)
		rc = list_field(l, a, "participants", o->participants, o->n_participants,
		                a->participants, a->n_participants);
	if (!rc)
		rc = list_field(l, a, "units", o->units, o->n_units, a->units, a->n_units);
	if (!rc && o->duration != a->duration) {
		snprintf(n1, sizeof(n1), "%d days", o->duration);
		snprintf(n2, sizeof(n2), "%d days", a->duration);
		rc = text_field(l, a, "duration", n1, n2);
	}
	if (!rc)
		rc = text_field(l, a, "day mode", coplan_day_mode_name(o->day_mode),
		                coplan_day_mode_name(a->day_mode));
	if (!rc && (o->earliest != a->earliest || o->latest != a->latest))
		rc = add(l, COPLAN_CHANGE_FIELD, a, "window", range_text(o->earliest, o->latest),
		         range_text(a->earliest, a->latest));
	if (!rc && (o->requested_from != a->requested_from || o->requested_to != a->requested_to))
		rc = add(l, COPLAN_CHANGE_FIELD, a, "requested", range_text(o->requested_from, o->requested_to),
		         range_text(a->requested_from, a->requested_to));
	if (!rc)
		rc = text_field(l, a, "location", o->location, a->location);
	if (!rc)
		rc = text_field(l, a, "notes", o->notes, a->notes);
	if (!rc)
		rc = text_field(l, a, "label", o->label, a->label);
	if (!rc)
		rc = text_field(l, a, "status", coplan_activity_status_name(o->status),
		                coplan_activity_status_name(a->status));
	if (!rc)
		rc = compare_cost(l, o, a);
	return rc;
}

static int blackout_same(const coplan_blackout *a, const coplan_blackout *b)
{
	return !strcmp(a->scope ? a->scope : "", b->scope ? b->scope : "") && a->from == b->from &&
	       a->to == b->to && !a->hard == !b->hard && !str_differs(a->reason, b->reason);
}

/* Append the blackout b as added or removed. */
static int add_blackout(change_list *l, coplan_change_kind kind, const coplan_blackout *b)
{
	coplan_activity pseudo;
	char range[64], *value;
	cp_buf v = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	coplan_change *c;
	int rc;

	memset(&pseudo, 0, sizeof(pseudo));
	pseudo.ref = b->scope;
	pseudo.title = (char *)"blackout";
	if ((rc = cp_buf_printf(&v, "%s%s%s", coplan_report_date_range(range, sizeof(range), b->from, b->to),
	                        b->reason && *b->reason ? ": " : "", b->reason ? b->reason : ""))) {
		cp_buf_release(&v);
		return rc;
	}
	if (!(value = cp_buf_detach(&v, NULL)))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	rc = add(l, kind, &pseudo, b->hard ? "hard blackout" : "soft blackout",
	         kind == COPLAN_CHANGE_REMOVED ? value : NULL, kind == COPLAN_CHANGE_ADDED ? value : NULL);
	if (rc)
		return rc;
	c = &l->items[l->n - 1];
	c->subject = COPLAN_CHANGE_BLACKOUT;
	c->from = b->from;
	c->to = b->to;
	return 0;
}

/*
 * The blackouts of mine that other lacks, as changes of kind, counted as
 * a multiset (a blackout listed twice and kept once is one removed).
 */
static int compare_blackouts(change_list *l, coplan_change_kind kind, const coplan_plan *mine,
                             const coplan_plan *other)
{
	unsigned char *used = other->n_blackouts ? calloc(other->n_blackouts, 1) : NULL;
	int rc = 0;

	if (other->n_blackouts && !used)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	for (size_t i = 0; i < mine->n_blackouts && !rc; i++) {
		size_t k;

		for (k = 0; k < other->n_blackouts; k++)
			if (!used[k] && blackout_same(&mine->blackouts[i], &other->blackouts[k]))
				break;
		if (k < other->n_blackouts)
			used[k] = 1;
		else
			rc = add_blackout(l, kind, &mine->blackouts[i]);
	}
	free(used);
	return rc;
}

/* A plan's activities by ref (strcmp), for lookups in O(log n): plans of 5,000 activities compare in linear-log time. */
typedef struct {
	const coplan_activity **by_ref;
	size_t n;
	const coplan_activity *base;
} ref_sorted;

static int activity_ptr_ref_cmp(const void *a, const void *b)
{
	const coplan_activity *x = *(const coplan_activity *const *)a, *y = *(const coplan_activity *const *)b;
	int c = strcmp(x->ref ? x->ref : "", y->ref ? y->ref : "");

	/* the first of equal refs first, as coplan_plan_find() finds it */
	return c ? c : (x > y) - (x < y);
}

static int ref_sorted_init(ref_sorted *r, const coplan_plan *plan)
{
	r->n = plan->n_activities;
	r->base = plan->activities;
	r->by_ref = r->n ? malloc(r->n * sizeof(*r->by_ref)) : NULL;
	if (r->n && !r->by_ref)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	for (size_t i = 0; i < r->n; i++)
		r->by_ref[i] = &plan->activities[i];
	if (r->n > 1)
		qsort(r->by_ref, r->n, sizeof(*r->by_ref), activity_ptr_ref_cmp);
	return 0;
}

/* The index of the first activity with ref, or -1 (coplan_plan_find()'s answer). */
static long ref_sorted_find(const ref_sorted *r, const char *ref)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(r->by_ref[mid]->ref ? r->by_ref[mid]->ref : "", ref) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->n && r->by_ref[lo]->ref && !strcmp(r->by_ref[lo]->ref, ref)
	       ? (long)(r->by_ref[lo] - r->base) : -1;
}

int coplan_plan_compare(coplan_change **out, size_t *n, const coplan_plan *older,
                        const coplan_plan *newer)
{
	change_list l = { NULL, 0, 0 };
	ref_sorted old_ix = { 0 }, new_ix = { 0 };
	int rc = 0;

	if ((rc = ref_sorted_init(&old_ix, older)) || (rc = ref_sorted_init(&new_ix, newer))) {
		free(old_ix.by_ref);
		return rc;
	}
	for (size_t i = 0; i < older->n_activities && !rc; i++) {
		const coplan_activity *o = &older->activities[i];

		if (ref_sorted_find(&new_ix, o->ref ? o->ref : "") < 0)
			rc = add(&l, COPLAN_CHANGE_REMOVED, o, NULL, range_text(o->start, o->end), NULL);
	}
	for (size_t i = 0; i < newer->n_activities && !rc; i++) {
		const coplan_activity *a = &newer->activities[i];
		long o = ref_sorted_find(&old_ix, a->ref ? a->ref : "");

		if (o < 0)
			rc = add(&l, COPLAN_CHANGE_ADDED, a, NULL, NULL, range_text(a->start, a->end));
		else
			rc = compare_activity(&l, &older->activities[o], a);
	}
	free(old_ix.by_ref);
	free(new_ix.by_ref);
	if (!rc)
		rc = compare_blackouts(&l, COPLAN_CHANGE_REMOVED, older, newer);
	if (!rc)
		rc = compare_blackouts(&l, COPLAN_CHANGE_ADDED, newer, older);
	if (rc) {
		coplan_changes_free(l.items, l.n);
		return rc;
	}
	*out = l.items;
	*n = l.n;
	return 0;
}

void coplan_changes_free(coplan_change *changes, size_t n)
{
	for (size_t i = 0; changes && i < n; i++) {
		free(changes[i].ref);
		free(changes[i].title);
		free(changes[i].field);
		free(changes[i].before);
		free(changes[i].after);
	}
	free(changes);
}

static const char *const kind_words[] = { "added", "removed", "moved", "changed" };

static int html_escaped(cp_buf *b, const char *s)
{
	int rc = 0;

	for (; s && *s && !rc; s++) {
		switch (*s) {
		case '&': rc = cp_buf_puts(b, "&amp;"); break;
		case '<': rc = cp_buf_puts(b, "&lt;"); break;
		case '>': rc = cp_buf_puts(b, "&gt;"); break;
		case '"': rc = cp_buf_puts(b, "&quot;"); break;
		case '\'': rc = cp_buf_puts(b, "&#39;"); break;
		default: rc = cp_buf_putc(b, *s);
		}
	}
	return rc;
}

int coplan_changes_format(char **out, size_t *len, const coplan_change *changes, size_t n, int html)
{
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	size_t count[4] = { 0, 0, 0, 0 };
	int rc = 0;

	if (html)
		rc = cp_buf_puts(&b, "<table class=\"changes\">\n<thead><tr><th>change</th><th>activity</th>"
		                     "<th>field</th><th>before</th><th>after</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n && !rc; i++) {
		const coplan_change *c = &changes[i];

		count[c->kind]++;
		if (html) {
			rc = cp_buf_printf(&b, "<tr class=\"%s\"><td>%s</td><td>", kind_words[c->kind],
			                   kind_words[c->kind]);
			if (!rc) rc = html_escaped(&b, c->ref);
			if (!rc) rc = cp_buf_puts(&b, " ");
			if (!rc) rc = html_escaped(&b, c->title);
			if (!rc) rc = cp_buf_puts(&b, "</td><td>");
			if (!rc) rc = html_escaped(&b, c->field);
			if (!rc) rc = cp_buf_puts(&b, "</td><td>");
			if (!rc) rc = html_escaped(&b, c->before);
			if (!rc) rc = cp_buf_puts(&b, "</td><td>");
			if (!rc) rc = html_escaped(&b, c->after);
			if (!rc) rc = cp_buf_puts(&b, "</td></tr>\n");
		} else if (c->subject == COPLAN_CHANGE_BLACKOUT) {
			rc = cp_buf_printf(&b, "%-8s %s of %s (%s)\n", kind_words[c->kind], c->field, c->ref,
			                   c->kind == COPLAN_CHANGE_ADDED ? c->after : c->before);
		} else if (c->kind == COPLAN_CHANGE_ADDED || c->kind == COPLAN_CHANGE_REMOVED) {
			rc = cp_buf_printf(&b, "%-8s %s %s (%s)\n", kind_words[c->kind], c->ref, c->title,
			                   c->kind == COPLAN_CHANGE_ADDED ? c->after : c->before);
		} else {
			rc = cp_buf_printf(&b, "%-8s %s %s: %s%s%s \xE2\x86\x92 %s\n", kind_words[c->kind],
			                   c->ref, c->title, c->kind == COPLAN_CHANGE_MOVED ? "" : c->field,
			                   c->kind == COPLAN_CHANGE_MOVED ? "" : " ", c->before, c->after);
		}
	}
	if (!rc && html)
		rc = cp_buf_puts(&b, "</tbody>\n</table>\n");
	if (!rc)
		rc = cp_buf_printf(&b, "%s%zu change%s: %zu added, %zu removed, %zu moved, %zu changed%s\n",
		                   html ? "<p class=\"totals\">" : "", n, n == 1 ? "" : "s", count[0],
		                   count[1], count[2], count[3], html ? "</p>" : "");
	if (rc) {
		cp_buf_release(&b);
		return rc;
	}
	*out = cp_buf_detach(&b, len);
	return *out ? 0 : cp_error(COPLAN_ENOMEM, "out of memory");
}

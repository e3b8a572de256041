/* SPDX-License-Identifier: Apache-2.0 */
/* model.c - the cooperation-plan model: plans, activities, precedences, blackouts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "coplan/calendar.h"
#include "coplan/cost.h"
#include "coplan/model.h"
#include "common.h"

/*
 * Arrays in the public structs carry a count but no capacity: they grow to
 * the next power of two (at least 8) whenever the count reaches one, so an
 * append is amortised O(1).
 */
static int grow_for_append(void **array, size_t n, size_t elem)
{
	size_t ncap;
	void *p;

	if (n != 0 && (n < 8 || (n & (n - 1)) != 0))
		return 0;
	ncap = n < 8 ? 8 : n * 2;
	if (ncap > ((size_t)-1) / elem)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	p = realloc(*array, ncap * elem);
	if (!p)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	*array = p;
	return 0;
}

static int strv_add(char ***v, size_t *n, const char *s)
{
	char *copy;

	if (grow_for_append((void **)v, *n, sizeof(**v)))
		return COPLAN_ENOMEM;
	copy = cp_strdup(s);
	if (!copy)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	(*v)[(*n)++] = copy;
	return 0;
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

const char *coplan_day_mode_name(coplan_day_mode mode)
{
	return mode == COPLAN_DAYS_CALENDAR ? "calendar" : "working";
}

static const char *const status_names[] = {
	[COPLAN_STATUS_PLANNED] = "planned",
	[COPLAN_STATUS_CONFIRMED] = "confirmed",
	[COPLAN_STATUS_EXECUTED] = "executed",
	[COPLAN_STATUS_POSTPONED] = "postponed",
	[COPLAN_STATUS_CANCELLED] = "cancelled",
};

const char *coplan_activity_status_name(coplan_activity_status status)
{
	if ((size_t)status < CP_ARRAY_SIZE(status_names))
		return status_names[status];
	return "planned";
}

int coplan_activity_status_parse(coplan_activity_status *out, const char *name)
{
	for (size_t i = 0; i < CP_ARRAY_SIZE(status_names); i++) {
		if (cp_strcaseeq(name, status_names[i])) {
			*out = (coplan_activity_status)i;
			return 0;
		}
	}
	return cp_error(COPLAN_EINVALID,
	                "unknown status '%s' (expected planned, confirmed, executed, postponed or cancelled)",
	                name ? name : "");
}

int coplan_plan_new(coplan_plan **out)
{
	coplan_plan *plan = calloc(1, sizeof(*plan));

	if (!plan)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	plan->window_from = plan->window_to = COPLAN_DATE_NONE;
	plan->talks.start = plan->talks.end = COPLAN_DATE_NONE;
	*out = plan;
	return 0;
}

static void person_release(coplan_person *p)
{
	free(p->rank);
	free(p->name);
	free(p->name_native);
	free(p->post);
	free(p->organisation);
}

static void talks_release(coplan_staff_talks *talks)
{
	free(talks->series);
	free(talks->venue);
	for (size_t i = 0; i < talks->n_delegations; i++) {
		coplan_delegation *d = &talks->delegations[i];

		free(d->head_name);
		free(d->head_name_native);
		free(d->head_post);
		free(d->head_rank);
		free(d->head_organisation);
		for (size_t m = 0; m < d->n_members; m++)
			person_release(&d->members[m]);
		free(d->members);
	}
	free(talks->delegations);
	strv_free(talks->agenda, talks->n_agenda);
	strv_free(talks->areas, talks->n_areas);
	for (size_t i = 0; i < talks->n_sessions; i++) {
		free(talks->sessions[i].title);
		free(talks->sessions[i].zone);
		free(talks->sessions[i].location);
	}
	free(talks->sessions);
}

int coplan_talks_add_session(coplan_staff_talks *talks, const coplan_talks_session *in)
{
	coplan_talks_session *s;

	if (grow_for_append((void **)&talks->sessions, talks->n_sessions, sizeof(*s)))
		return COPLAN_ENOMEM;
	s = &talks->sessions[talks->n_sessions];
	*s = *in;
	s->title = cp_strdup(in->title ? in->title : "");
	s->zone = cp_strdup(in->zone ? in->zone : "");
	s->location = cp_strdup(in->location);
	if (!s->title || !s->zone || (in->location && !s->location)) {
		free(s->title);
		free(s->zone);
		free(s->location);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	talks->n_sessions++;
	return 0;
}

int coplan_talks_add_delegation(coplan_staff_talks *talks, const char *nation,
                                coplan_delegation **out)
{
	coplan_delegation *d;

	if (grow_for_append((void **)&talks->delegations, talks->n_delegations, sizeof(*d)))
		return COPLAN_ENOMEM;
	d = &talks->delegations[talks->n_delegations++];
	memset(d, 0, sizeof(*d));
	snprintf(d->nation, sizeof(d->nation), "%s", nation ? nation : "");
	*out = d;
	return 0;
}

int coplan_delegation_add_member(coplan_delegation *d, const coplan_person *m)
{
	coplan_person *p;

	if (grow_for_append((void **)&d->members, d->n_members, sizeof(*p)))
		return COPLAN_ENOMEM;
	p = &d->members[d->n_members];
	memset(p, 0, sizeof(*p));
	p->rank = cp_strdup(m->rank);
	p->name = cp_strdup(m->name ? m->name : "");
	p->name_native = cp_strdup(m->name_native);
	p->post = cp_strdup(m->post);
	p->organisation = cp_strdup(m->organisation);
	if (!p->name || (m->rank && !p->rank) || (m->name_native && !p->name_native) ||
	    (m->post && !p->post) || (m->organisation && !p->organisation)) {
		person_release(p);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	d->n_members++;
	return 0;
}

static char *join2(char *buf, size_t size, const char *a, const char *sep, const char *b)
{
	int has_a = a && *a, has_b = b && *b;

	size_t n = (size_t)snprintf(buf, size, "%s%s%s", has_a ? a : "", has_a && has_b ? sep : "",
	                            has_b ? b : "");

	/* cut short: never in the middle of a UTF-8 character */
	if (size > 1 && n >= size) {
		size_t len = size - 1, lead = len - 1, need;
		unsigned char c;

		while (lead > 0 && ((unsigned char)buf[lead] & 0xc0) == 0x80)
			lead--;
		c = (unsigned char)buf[lead];
		need = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
		if (lead + need > len)
			buf[lead] = '\0';
	}
	return buf;
}

char *coplan_delegation_head(const coplan_delegation *d, char *buf, size_t size)
{
	return join2(buf, size, d->head_rank, " ", d->head_name);
}

char *coplan_delegation_head_post(const coplan_delegation *d, char *buf, size_t size)
{
	return join2(buf, size, d->head_post, ", ", d->head_organisation);
}

int coplan_talks_add_agenda_item(coplan_staff_talks *talks, const char *item)
{
	return strv_add(&talks->agenda, &talks->n_agenda, item);
}

int coplan_talks_add_area(coplan_staff_talks *talks, const char *area)
{
	return strv_add(&talks->areas, &talks->n_areas, area);
}

void coplan_activity_clear(coplan_activity *a)
{
	free(a->ref);
	free(a->title);
	free(a->area);
	free(a->kind);
	strv_free(a->participants, a->n_participants);
	strv_free(a->units, a->n_units);
	free(a->location);
	free(a->notes);
	free(a->unplaced_reason);
	free(a->label);
	free(a->shares);
	free(a->funding_line);
	memset(a, 0, sizeof(*a));
	a->earliest = a->latest = COPLAN_DATE_NONE;
	a->requested_from = a->requested_to = COPLAN_DATE_NONE;
	a->start = a->end = COPLAN_DATE_NONE;
}

void coplan_plan_free(coplan_plan *plan)
{
	if (!plan)
		return;
	free(plan->title);
	strv_free(plan->nations, plan->n_nations);
	talks_release(&plan->talks);
	for (size_t i = 0; i < plan->n_activities; i++)
		coplan_activity_clear(&plan->activities[i]);
	free(plan->activities);
	for (size_t i = 0; i < plan->n_precedences; i++) {
		free(plan->precedences[i].before);
		free(plan->precedences[i].after);
	}
	free(plan->precedences);
	for (size_t i = 0; i < plan->n_blackouts; i++) {
		free(plan->blackouts[i].scope);
		free(plan->blackouts[i].reason);
		free(plan->blackouts[i].label);
	}
	free(plan->blackouts);
	free(plan->label);
	for (size_t i = 0; i < plan->n_holidays; i++)
		free(plan->holidays[i].name);
	free(plan->holidays);
	free(plan->weekends);
	for (size_t i = 0; i < plan->n_budgets; i++)
		free(plan->budgets[i].funding_line);
	free(plan->budgets);
	for (size_t i = 0; i < plan->n_rates; i++)
		free(plan->rates[i].rate);
	free(plan->rates);
	free(plan);
}

/* *dst a copy of src (NULL stays NULL); 0 or COPLAN_ENOMEM. */
static int dup_text(char **dst, const char *src)
{
	*dst = NULL;
	if (src && !(*dst = cp_strdup(src)))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	return 0;
}

static int copy_talks(coplan_staff_talks *t, const coplan_staff_talks *src)
{
	int rc;

	t->edition = src->edition;
	t->start = src->start;
	t->end = src->end;
	if ((rc = dup_text(&t->series, src->series)) || (rc = dup_text(&t->venue, src->venue)))
		return rc;
	for (size_t i = 0; i < src->n_delegations; i++) {
		const coplan_delegation *sd = &src->delegations[i];
		coplan_delegation *d;

		if ((rc = coplan_talks_add_delegation(t, sd->nation, &d)) ||
		    (rc = dup_text(&d->head_name, sd->head_name)) ||
		    (rc = dup_text(&d->head_name_native, sd->head_name_native)) ||
		    (rc = dup_text(&d->head_post, sd->head_post)) ||
		    (rc = dup_text(&d->head_rank, sd->head_rank)) ||
		    (rc = dup_text(&d->head_organisation, sd->head_organisation)))
			return rc;
		for (size_t m = 0; m < sd->n_members; m++)
			if ((rc = coplan_delegation_add_member(d, &sd->members[m])))
				return rc;
	}
	for (size_t i = 0; i < src->n_agenda; i++)
		if ((rc = coplan_talks_add_agenda_item(t, src->agenda[i])))
			return rc;
	for (size_t i = 0; i < src->n_areas; i++)
		if ((rc = coplan_talks_add_area(t, src->areas[i])))
			return rc;
	for (size_t i = 0; i < src->n_sessions; i++)
		if ((rc = coplan_talks_add_session(t, &src->sessions[i])))
			return rc;
	return 0;
}

static int copy_activity(coplan_plan *plan, const coplan_activity *src)
{
	coplan_activity *a;
	int rc;

	if ((rc = coplan_plan_add_activity(plan, &a)))
		return rc;
	memcpy(a->uuid, src->uuid, sizeof(a->uuid));
	memcpy(a->host, src->host, sizeof(a->host));
	a->duration = src->duration;
	a->day_mode = src->day_mode;
	a->earliest = src->earliest;
	a->latest = src->latest;
	a->requested_from = src->requested_from;
	a->requested_to = src->requested_to;
	a->start = src->start;
	a->end = src->end;
	a->pinned = src->pinned;
	a->sequence = src->sequence;
	a->status = src->status;
	if ((rc = dup_text(&a->ref, src->ref)) || (rc = dup_text(&a->title, src->title)) ||
	    (rc = dup_text(&a->area, src->area)) || (rc = dup_text(&a->kind, src->kind)) ||
	    (rc = dup_text(&a->location, src->location)) || (rc = dup_text(&a->notes, src->notes)) ||
	    (rc = dup_text(&a->unplaced_reason, src->unplaced_reason)) || (rc = dup_text(&a->label, src->label)))
		return rc;
	/* cost (issue 17) */
	a->has_cost_estimate = src->has_cost_estimate;
	a->has_cost_actual = src->has_cost_actual;
	a->cost_estimate = src->cost_estimate;
	a->cost_actual = src->cost_actual;
	memcpy(a->currency, src->currency, sizeof(a->currency));
	a->paid_by = src->paid_by;
	if ((rc = dup_text(&a->funding_line, src->funding_line)))
		return rc;
	if (src->n_shares) {
		if (!(a->shares = malloc(src->n_shares * sizeof(*a->shares))))
			return cp_error(COPLAN_ENOMEM, "out of memory");
		memcpy(a->shares, src->shares, src->n_shares * sizeof(*a->shares));
		a->n_shares = src->n_shares;
	}
	for (size_t i = 0; i < src->n_participants; i++)
		if ((rc = coplan_activity_add_participant(a, src->participants[i])))
			return rc;
	for (size_t i = 0; i < src->n_units; i++)
		if ((rc = coplan_activity_add_unit(a, src->units[i])))
			return rc;
	return 0;
}

static int text_equal(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

static int texts_equal(char *const *a, size_t na, char *const *b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]))
			return 0;
	return 1;
}

int coplan_activity_equal(const coplan_activity *a, const coplan_activity *b)
{
	return text_equal(a->ref, b->ref) && text_equal(a->title, b->title) && text_equal(a->area, b->area) &&
	       text_equal(a->kind, b->kind) && !strcmp(a->host, b->host) &&
	       texts_equal(a->participants, a->n_participants, b->participants, b->n_participants) &&
	       texts_equal(a->units, a->n_units, b->units, b->n_units) && a->duration == b->duration &&
	       a->day_mode == b->day_mode && a->earliest == b->earliest && a->latest == b->latest &&
	       a->requested_from == b->requested_from && a->requested_to == b->requested_to &&
	       text_equal(a->location, b->location) && text_equal(a->notes, b->notes) && a->start == b->start &&
	       a->end == b->end && a->pinned == b->pinned && a->status == b->status &&
	       text_equal(a->unplaced_reason, b->unplaced_reason) && text_equal(a->label, b->label) &&
	       coplan_activity_cost_equal(a, b);
}

int coplan_plan_copy(coplan_plan **out, const coplan_plan *src)
{
	coplan_plan *p = NULL;
	int rc;

	*out = NULL;
	if ((rc = coplan_plan_new(&p)))
		return rc;
	memcpy(p->uuid, src->uuid, sizeof(p->uuid));
	p->year = src->year;
	p->window_from = src->window_from;
	p->window_to = src->window_to;
	p->has_talks = src->has_talks;
	if ((rc = dup_text(&p->title, src->title)) || (rc = dup_text(&p->label, src->label)) ||
	    (rc = copy_talks(&p->talks, &src->talks)))
		goto fail;
	for (size_t i = 0; i < src->n_nations; i++)
		if ((rc = strv_add(&p->nations, &p->n_nations, src->nations[i])))
			goto fail;
	for (size_t i = 0; i < src->n_activities; i++)
		if ((rc = copy_activity(p, &src->activities[i])))
			goto fail;
	for (size_t i = 0; i < src->n_precedences; i++) {
		const coplan_precedence *q = &src->precedences[i];

		if ((rc = coplan_plan_add_precedence_kind(p, q->before, q->after, q->min_gap, q->max_gap,
		                                          q->kind)))
			goto fail;
	}
	for (size_t i = 0; i < src->n_blackouts; i++) {
		const coplan_blackout *b = &src->blackouts[i];
		coplan_blackout *c;

		if ((rc = grow_for_append((void **)&p->blackouts, p->n_blackouts, sizeof(*c))))
			goto fail;
		c = &p->blackouts[p->n_blackouts++];
		memset(c, 0, sizeof(*c));
		c->from = b->from;
		c->to = b->to;
		c->hard = b->hard;
		if ((rc = dup_text(&c->scope, b->scope)) || (rc = dup_text(&c->reason, b->reason)) ||
		    (rc = dup_text(&c->label, b->label)))
			goto fail;
	}
	for (size_t i = 0; i < src->n_holidays; i++) {
		coplan_plan_holiday *h;

		if ((rc = grow_for_append((void **)&p->holidays, p->n_holidays, sizeof(*h))))
			goto fail;
		h = &p->holidays[p->n_holidays++];
		memset(h, 0, sizeof(*h));
		memcpy(h->nation, src->holidays[i].nation, sizeof(h->nation));
		h->date = src->holidays[i].date;
		if ((rc = dup_text(&h->name, src->holidays[i].name)))
			goto fail;
	}
	for (size_t i = 0; i < src->n_weekends; i++) {
		if ((rc = grow_for_append((void **)&p->weekends, p->n_weekends, sizeof(*p->weekends))))
			goto fail;
		p->weekends[p->n_weekends++] = src->weekends[i];
	}
	for (size_t i = 0; i < src->n_budgets; i++) {
		const coplan_budget *b = &src->budgets[i];

		if ((rc = coplan_plan_set_budget(p, b->nation, b->year, b->funding_line, b->currency, b->amount)))
			goto fail;
	}
	for (size_t i = 0; i < src->n_rates; i++) {
		const coplan_rate *r = &src->rates[i];

		if ((rc = coplan_plan_add_rate(p, r->from, r->to, r->rate, r->valid_from)))
			goto fail;
	}
	*out = p;
	return 0;
fail:
	coplan_plan_free(p);
	return rc;
}

int coplan_plan_add_activity(coplan_plan *plan, coplan_activity **out)
{
	coplan_activity *a;

	if (grow_for_append((void **)&plan->activities, plan->n_activities, sizeof(*a)))
		return COPLAN_ENOMEM;
	a = &plan->activities[plan->n_activities++];
	memset(a, 0, sizeof(*a));
	coplan_activity_clear(a);
	*out = a;
	return 0;
}

int coplan_plan_add_precedence(coplan_plan *plan, const char *before, const char *after,
                               int min_gap, int max_gap)
{
	return coplan_plan_add_precedence_kind(plan, before, after, min_gap, max_gap,
	                                       COPLAN_PRECEDENCE_REQUIRES);
}

const char *coplan_precedence_kind_name(coplan_precedence_kind kind)
{
	switch (kind) {
	case COPLAN_PRECEDENCE_REQUIRES:
		return "requires";
	case COPLAN_PRECEDENCE_AFTER:
		return "after";
	}
	return NULL;
}

int coplan_plan_add_precedence_kind(coplan_plan *plan, const char *before, const char *after,
                                    int min_gap, int max_gap, coplan_precedence_kind kind)
{
	coplan_precedence *p;

	if (!coplan_precedence_kind_name(kind))
		return cp_error(COPLAN_EINVALID, "unknown precedence kind %d (expected requires or after)",
		                (int)kind);
	if (grow_for_append((void **)&plan->precedences, plan->n_precedences, sizeof(*p)))
		return COPLAN_ENOMEM;
	p = &plan->precedences[plan->n_precedences];
	p->before = cp_strdup(before);
	p->after = cp_strdup(after);
	p->min_gap = min_gap;
	p->max_gap = max_gap;
	p->kind = kind;
	if (!p->before || !p->after) {
		free(p->before);
		free(p->after);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	plan->n_precedences++;
	return 0;
}

void coplan_plan_remove_precedences(coplan_plan *plan, const char *ref, int as_before, int as_after)
{
	size_t keep = 0;

	for (size_t i = 0; i < plan->n_precedences; i++) {
		coplan_precedence *p = &plan->precedences[i];

		if ((as_before && !strcmp(p->before, ref)) || (as_after && !strcmp(p->after, ref))) {
			free(p->before);
			free(p->after);
			continue;
		}
		plan->precedences[keep++] = *p;
	}
	plan->n_precedences = keep;
}

int coplan_plan_add_blackout(coplan_plan *plan, const char *scope, coplan_date from,
                             coplan_date to, int hard, const char *reason)
{
	coplan_blackout *b;

	if (grow_for_append((void **)&plan->blackouts, plan->n_blackouts, sizeof(*b)))
		return COPLAN_ENOMEM;
	b = &plan->blackouts[plan->n_blackouts];
	memset(b, 0, sizeof(*b));
	b->scope = cp_strdup(scope);
	b->reason = cp_strdup(reason ? reason : "");
	b->from = from;
	b->to = to;
	b->hard = hard ? 1 : 0;
	if (!b->scope || !b->reason) {
		free(b->scope);
		free(b->reason);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	plan->n_blackouts++;
	return 0;
}

static int weekend_check(const char *nation, unsigned days)
{
	if (days & ~COPLAN_WEEKEND_ALL)
		return cp_error(COPLAN_EINVALID, "weekend of %s: mask 0x%x names no weekday",
		                nation, days);
	if (days == COPLAN_WEEKEND_ALL)
		return cp_error(COPLAN_EINVALID, "weekend of %s: every day of the week (no working "
		                "day left)", nation);
	return 0;
}

int coplan_plan_set_weekend(coplan_plan *plan, const char *nation, unsigned days)
{
	coplan_plan_weekend *w;
	int rc;

	if ((rc = weekend_check(nation, days)))
		return rc;
	for (size_t i = 0; i < plan->n_weekends; i++) {
		if (!strcmp(plan->weekends[i].nation, nation)) {
			plan->weekends[i].days = days;
			return 0;
		}
	}
	if (grow_for_append((void **)&plan->weekends, plan->n_weekends, sizeof(*w)))
		return COPLAN_ENOMEM;
	w = &plan->weekends[plan->n_weekends++];
	memset(w, 0, sizeof(*w));
	snprintf(w->nation, sizeof(w->nation), "%s", nation);
	w->days = days;
	return 0;
}

int coplan_plan_weekend_of(unsigned *days, const coplan_plan *plan, const char *nation)
{
	for (size_t i = 0; plan && nation && i < plan->n_weekends; i++) {
		if (cp_strcaseeq(plan->weekends[i].nation, nation)) {
			*days = plan->weekends[i].days;
			return 0;
		}
	}
	return coplan_weekend_of(days, nation);
}

int coplan_plan_apply_weekend(const coplan_plan *plan, coplan_calendar *cal)
{
	const char *nation = coplan_calendar_nation(cal);

	for (size_t i = 0; plan && i < plan->n_weekends; i++)
		if (cp_strcaseeq(plan->weekends[i].nation, nation))
			return coplan_calendar_set_weekend(cal, plan->weekends[i].days);
	return 0;
}

int coplan_plan_add_holiday(coplan_plan *plan, const char *nation, coplan_date date,
                            const char *name)
{
	coplan_plan_holiday *h;

	for (size_t i = 0; i < plan->n_holidays; i++)
		if (plan->holidays[i].date == date && !strcmp(plan->holidays[i].nation, nation))
			return 0;
	if (grow_for_append((void **)&plan->holidays, plan->n_holidays, sizeof(*h)))
		return COPLAN_ENOMEM;
	h = &plan->holidays[plan->n_holidays];
	memset(h, 0, sizeof(*h));
	snprintf(h->nation, sizeof(h->nation), "%s", nation);
	h->date = date;
	h->name = cp_strdup(name ? name : "");
	if (!h->name)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	plan->n_holidays++;
	return 0;
}

int coplan_plan_add_nation(coplan_plan *plan, const char *nation)
{
	for (size_t i = 0; i < plan->n_nations; i++)
		if (!strcmp(plan->nations[i], nation))
			return 0;
	return strv_add(&plan->nations, &plan->n_nations, nation);
}

int coplan_activity_add_participant(coplan_activity *a, const char *nation)
{
	for (size_t i = 0; i < a->n_participants; i++)
		if (!strcmp(a->participants[i], nation))
			return 0;
	return strv_add(&a->participants, &a->n_participants, nation);
}

int coplan_activity_add_unit(coplan_activity *a, const char *unit)
{
	for (size_t i = 0; i < a->n_units; i++)
		if (!strcmp(a->units[i], unit))
			return 0;
	return strv_add(&a->units, &a->n_units, unit);
}

long coplan_plan_find(const coplan_plan *plan, const char *ref)
{
	for (size_t i = 0; i < plan->n_activities; i++)
		if (plan->activities[i].ref && !strcmp(plan->activities[i].ref, ref))
			return (long)i;
	return -1;
}

/* An activity's ref and its index, sorted by ref for lookups in O(log n). */
typedef struct {
	const char *ref;
	long index;
} ref_entry;

/* Refs in order regardless of letter case: two that differ only in case are one to a reader. */
static int ref_entry_cmp(const void *a, const void *b)
{
	const ref_entry *x = a, *y = b;
	int c = strcasecmp(x->ref, y->ref);

	return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* The index of the first activity with ref in the sorted v[0..n), or -1. */
static long ref_lookup(const ref_entry *v, size_t n, const char *ref)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(v[mid].ref, ref) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(v[lo].ref, ref) ? v[lo].index : -1;
}

/*
 * Depth-first search for a cycle in the precedence graph, without recursion
 * (a chain of 100,000 activities must not exhaust the stack).  first[node]
 * and next[edge] list each node's outgoing edges, to[edge] their ends;
 * colour 0 new, 1 open, 2 done.  Returns 1 with *cycle_at on the cycle.
 */
static int precedence_cycle(const long *first, const long *next, const long *to,
                            unsigned char *colour, long *stack_node, long *stack_edge, long root,
                            long *cycle_at)
{
	size_t depth;

	colour[root] = 1;
	stack_node[0] = root;
	stack_edge[0] = first[root];
	depth = 1;
	while (depth > 0) {
		long e = stack_edge[depth - 1];

		if (e < 0) {
			colour[stack_node[--depth]] = 2;
			continue;
		}
		stack_edge[depth - 1] = next[e];
		if (colour[to[e]] == 1) {
			*cycle_at = to[e];
			return 1;
		}
		if (colour[to[e]] == 0) {
			colour[to[e]] = 1;
			stack_node[depth] = to[e];
			stack_edge[depth] = first[to[e]];
			depth++;
		}
	}
	return 0;
}

/*
 * A reference is what other cells point at ("after": "IT-01+30"), so it holds
 * no separator of those lists and no space: ASCII letters and digits,
 * '-', '_', '.', '/', and any non-ASCII letter (UTF-8), 1 to 32 bytes.
 */
static int ref_ok(const char *ref, char *bad)
{
	size_t n = strlen(ref);

	if (n == 0 || n > 32) {
		*bad = 0;
		return 0;
	}
	for (const unsigned char *p = (const unsigned char *)ref; *p; p++) {
		if (*p >= 0x80 || (*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= 'a' && *p <= 'z') || *p == '-' || *p == '_' || *p == '.' || *p == '/')
			continue;
		*bad = (char)*p;
		return 0;
	}
	return 1;
}

/*
 * Text every document format can carry: valid UTF-8 (RFC 3629), no control
 * character but TAB, LF and CR, no U+FFFE or U+FFFF (noncharacters XML 1.0,
 * and so SVG and XLSX, refuse).  NULL passes.  On a fault, a message naming
 * what (and the activity) is set and COPLAN_EINVALID returned.
 */
static int text_ok(const char *s, const char *what, const char *ref)
{
	size_t n = s ? strlen(s) : 0;

	for (size_t i = 0; i < n;) {
		long cp;

		i += cp_utf8_decode(s + i, n - i, &cp);
		if (cp < 0)
			return cp_error(COPLAN_EINVALID, "%s%s%s%s: not valid UTF-8 text", ref ? "activity '" : "",
			                ref ? ref : "", ref ? "': " : "", what);
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7f ||
		    cp == 0xfffe || cp == 0xffff)
			return cp_error(COPLAN_EINVALID, "%s%s%s%s: holds the character U+%04lX, which "
			                "documents cannot carry (expected printable text)",
			                ref ? "activity '" : "", ref ? ref : "", ref ? "': " : "", what, cp);
	}
	return 0;
}

int coplan_ref_check(const char *ref)
{
	char bad = 0;

	if (ref && ref_ok(ref, &bad))
		return 0;
	if (bad)
		return cp_error(COPLAN_EINVALID, "reference '%.40s' holds '%c' (expected letters, digits, "
		                "'-', '_', '.' or '/': other cells point at it, e.g. after = IT-01+30)",
		                ref, bad >= 0x20 && bad < 0x7f ? bad : '?');
	return cp_error(COPLAN_EINVALID, "reference '%.40s' is empty or longer than 32 bytes", ref ? ref : "");
}

int coplan_text_check(const char *text)
{
	return text_ok(text, "text", NULL);
}

/* A date coplan's calendars cover (1970-2099), or none. */
static int in_calendar(coplan_date d)
{
	return d == COPLAN_DATE_NONE || (d >= coplan_date_from_ymd(COPLAN_MODEL_FIRST_YEAR, 1, 1) &&
	                                 d <= coplan_date_from_ymd(COPLAN_MODEL_LAST_YEAR, 12, 31));
}

/* The talks, parties and window: what no activity check covers. */
static int validate_plan_header(const coplan_plan *plan)
{
	const coplan_staff_talks *t = &plan->talks;
	int rc;

	if ((rc = text_ok(plan->title, "plan title", NULL)))
		return rc;
	if (!in_calendar(plan->window_from) || !in_calendar(plan->window_to))
		return cp_error(COPLAN_EINVALID, "plan window reaches outside %d-%d, the years coplan's "
		                "calendars cover", COPLAN_MODEL_FIRST_YEAR, COPLAN_MODEL_LAST_YEAR);
	if (plan->window_from != COPLAN_DATE_NONE && plan->window_to != COPLAN_DATE_NONE) {
		if (plan->window_to < plan->window_from)
			return cp_error(COPLAN_EINVALID, "plan window ends before it starts");
		if (plan->window_to - plan->window_from + 1 > COPLAN_MODEL_MAX_WINDOW_DAYS)
			return cp_error(COPLAN_EINVALID, "plan window of %d days is longer than %d (ten "
			                "years; a cooperation plan covers one or a few)",
			                plan->window_to - plan->window_from + 1, COPLAN_MODEL_MAX_WINDOW_DAYS);
	}
	if (!plan->has_talks)
		return 0;
	if ((rc = text_ok(t->series, "staff talks series", NULL)) ||
	    (rc = text_ok(t->venue, "staff talks venue", NULL)))
		return rc;
	for (size_t i = 0; i < t->n_delegations; i++) {
		const coplan_delegation *d = &t->delegations[i];

		if (!coplan_nation_valid(d->nation))
			return cp_error(COPLAN_EINVALID, "staff talks: delegation of unknown nation '%s' "
			                "(expected ISO 3166-1 alpha-3, e.g. ITA)", d->nation);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(t->delegations[j].nation, d->nation))
				return cp_error(COPLAN_EINVALID, "staff talks: two delegations of %s (expected "
				                "one per nation)", d->nation);
		if ((rc = text_ok(d->head_name, "head of delegation", NULL)) ||
		    (rc = text_ok(d->head_name_native, "head of delegation", NULL)) ||
		    (rc = text_ok(d->head_post, "head of delegation's post", NULL)) ||
		    (rc = text_ok(d->head_rank, "head of delegation's rank", NULL)) ||
		    (rc = text_ok(d->head_organisation, "head of delegation's organisation", NULL)))
			return rc;
		for (size_t m = 0; m < d->n_members; m++)
			if ((rc = text_ok(d->members[m].name, "delegation member", NULL)) ||
			    (rc = text_ok(d->members[m].name_native, "delegation member", NULL)) ||
			    (rc = text_ok(d->members[m].rank, "delegation member's rank", NULL)) ||
			    (rc = text_ok(d->members[m].post, "delegation member's post", NULL)) ||
			    (rc = text_ok(d->members[m].organisation, "delegation member's organisation", NULL)))
				return rc;
	}
	for (size_t i = 0; i < t->n_agenda; i++)
		if ((rc = text_ok(t->agenda[i], "agenda item", NULL)))
			return rc;
	for (size_t i = 0; i < t->n_sessions; i++) {
		const coplan_talks_session *ss = &t->sessions[i];

		if ((rc = text_ok(ss->title, "session title", NULL)) ||
		    (rc = text_ok(ss->location, "session location", NULL)) ||
		    (rc = text_ok(ss->zone, "session time zone", NULL)))
			return rc;
		if (!ss->title || !*ss->title || !ss->zone || !*ss->zone ||
		    ss->date == COPLAN_DATE_NONE || !in_calendar(ss->date))
			return cp_error(COPLAN_EINVALID, "staff talks session %zu: needs a title, a date in "
			                "%d-%d and the venue's time zone", i + 1, COPLAN_MODEL_FIRST_YEAR,
			                COPLAN_MODEL_LAST_YEAR);
		if (ss->start_minute < 0 || ss->start_minute > 1439 ||
		    ss->end_minute <= ss->start_minute || ss->end_minute > 1440)
			return cp_error(COPLAN_EINVALID, "staff talks session '%s': times out of order "
			                "(expected a start from 00:00 and an end after it, by 24:00)", ss->title);
	}
	for (size_t i = 0; i < t->n_areas; i++)
		if ((rc = text_ok(t->areas[i], "area agreed", NULL)))
			return rc;
	for (size_t i = 0; i < plan->n_blackouts; i++)
		if ((rc = text_ok(plan->blackouts[i].scope, "blackout scope", NULL)) ||
		    (rc = text_ok(plan->blackouts[i].reason, "blackout reason", NULL)))
			return rc;
	return 0;
}

/* The text fields of an activity. */
static int validate_activity_text(const coplan_activity *a)
{
	int rc;

	if ((rc = text_ok(a->title, "title", a->ref)) || (rc = text_ok(a->area, "area", a->ref)) ||
	    (rc = text_ok(a->kind, "kind", a->ref)) || (rc = text_ok(a->location, "location", a->ref)) ||
	    (rc = text_ok(a->notes, "notes", a->ref)))
		return rc;
	for (size_t u = 0; u < a->n_units; u++)
		if ((rc = text_ok(a->units[u], "unit", a->ref)))
			return rc;
	if (!in_calendar(a->earliest) || !in_calendar(a->latest) ||
	    !in_calendar(a->requested_from) || !in_calendar(a->requested_to))
		return cp_error(COPLAN_EINVALID, "activity '%s': a date outside %d-%d, the years "
		                "coplan's calendars cover", a->ref, COPLAN_MODEL_FIRST_YEAR,
		                COPLAN_MODEL_LAST_YEAR);
	return 0;
}

/* The rules one activity meets by itself (coplan_activity_validate()); position names it when it has no ref. */
static int validate_activity(const coplan_activity *a, size_t position)
{
	const char *ref = a->ref ? a->ref : "?";

	if (!a->ref || !*a->ref)
		return cp_error(COPLAN_EINVALID, "activity %zu has no reference", position);
	if (coplan_ref_check(a->ref))
		return COPLAN_EINVALID;
	if (validate_activity_text(a))
		return coplan_error_last_code();
	if (!a->title || !*a->title)
		return cp_error(COPLAN_EINVALID, "activity '%s' has no title", ref);
	if (!coplan_nation_valid(a->host))
		return cp_error(COPLAN_EINVALID, "activity '%s': unknown host nation '%s' (expected ISO "
		                "3166-1 alpha-3, e.g. ITA)", ref, a->host);
	for (size_t p = 0; p < a->n_participants; p++)
		if (!coplan_nation_valid(a->participants[p]))
			return cp_error(COPLAN_EINVALID, "activity '%s': unknown participant nation '%s' "
			                "(expected ISO 3166-1 alpha-3)", ref, a->participants[p]);
	if (a->duration < 1 || a->duration > 366)
		return cp_error(COPLAN_EINVALID, "activity '%s': duration %d days (expected 1 to 366)",
		                ref, a->duration);
	if (a->earliest != COPLAN_DATE_NONE && a->latest != COPLAN_DATE_NONE && a->latest < a->earliest)
		return cp_error(COPLAN_EINVALID, "activity '%s': time window ends before it starts", ref);
	if (a->requested_from != COPLAN_DATE_NONE && a->requested_to != COPLAN_DATE_NONE &&
	    a->requested_to < a->requested_from)
		return cp_error(COPLAN_EINVALID, "activity '%s': requested period ends before it starts", ref);
	return coplan_activity_cost_validate(a);
}

int coplan_activity_validate(const coplan_activity *a)
{
	return validate_activity(a, 1);
}

int coplan_plan_validate(const coplan_plan *plan)
{
	long *before = NULL, *after = NULL, *first = NULL, *next = NULL, *stack_node = NULL;
	long *stack_edge = NULL, cycle_at = -1, dup_at = -1;
	const char *dup_other = NULL;
	unsigned char *colour = NULL;
	ref_entry *refs = NULL;
	size_t n_refs = 0;
	int rc = 0;

	for (size_t i = 0; i < plan->n_nations; i++)
		if (!coplan_nation_valid(plan->nations[i]))
			return cp_error(COPLAN_EINVALID,
			                "plan: unknown nation '%s' (expected ISO 3166-1 alpha-3, e.g. ITA)",
			                plan->nations[i]);
	if ((rc = validate_plan_header(plan)) || (rc = coplan_plan_money_validate(plan)))
		return rc;
	/* refs sorted once: duplicates are neighbours (O(n log n), not a scan per activity) */
	refs = malloc((plan->n_activities ? plan->n_activities : 1) * sizeof(*refs));
	if (!refs)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	for (size_t i = 0; i < plan->n_activities; i++)
		if (plan->activities[i].ref && *plan->activities[i].ref)
			refs[n_refs++] = (ref_entry){ plan->activities[i].ref, (long)i };
	qsort(refs, n_refs, sizeof(*refs), ref_entry_cmp);
	for (size_t k = 1; k < n_refs; k++)
		if (!strcasecmp(refs[k - 1].ref, refs[k].ref) && (dup_at < 0 || refs[k].index < dup_at)) {
			dup_at = refs[k].index;
			dup_other = refs[k - 1].ref;
		}
	for (size_t i = 0; i < plan->n_activities; i++) {
		const coplan_activity *a = &plan->activities[i];
		const char *ref = a->ref ? a->ref : "?";

		if ((rc = validate_activity(a, i + 1)))
			goto cleanup;
		rc = COPLAN_EINVALID;
		if ((long)i == dup_at) {
			if (dup_other && strcmp(dup_other, ref))
				cp_error(rc, "activity reference '%s' is used twice ('%s' differs only in letter "
				         "case, which a reader does not see)", ref, dup_other);
			else
				cp_error(rc, "activity reference '%s' is used twice", ref);
			goto cleanup;
		}
		rc = 0;
	}
	for (size_t i = 0; i < plan->n_holidays; i++) {
		if (!coplan_nation_valid(plan->holidays[i].nation)) {
			rc = cp_error(COPLAN_EINVALID,
			              "holiday '%s': unknown nation '%s' (expected ISO 3166-1 alpha-3)",
			              plan->holidays[i].name, plan->holidays[i].nation);
			goto cleanup;
		}
	}
	for (size_t i = 0; i < plan->n_weekends; i++) {
		if (!coplan_nation_valid(plan->weekends[i].nation)) {
			rc = cp_error(COPLAN_EINVALID,
			              "weekend: unknown nation '%s' (expected ISO 3166-1 alpha-3)",
			              plan->weekends[i].nation);
			goto cleanup;
		}
		if ((rc = weekend_check(plan->weekends[i].nation, plan->weekends[i].days)))
			goto cleanup;
	}
	if (plan->n_precedences == 0)
		goto cleanup;
	before = calloc(plan->n_precedences, sizeof(*before));
	after = calloc(plan->n_precedences, sizeof(*after));
	next = calloc(plan->n_precedences, sizeof(*next));
	first = malloc((plan->n_activities + 1) * sizeof(*first));
	stack_node = malloc((plan->n_activities + 1) * sizeof(*stack_node));
	stack_edge = malloc((plan->n_activities + 1) * sizeof(*stack_edge));
	colour = calloc(plan->n_activities + 1, 1);
	if (!before || !after || !next || !first || !stack_node || !stack_edge || !colour) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (size_t i = 0; i <= plan->n_activities; i++)
		first[i] = -1;
	for (size_t i = 0; i < plan->n_precedences; i++) {
		const coplan_precedence *p = &plan->precedences[i];

		before[i] = p->before ? ref_lookup(refs, n_refs, p->before) : -1;
		after[i] = p->after ? ref_lookup(refs, n_refs, p->after) : -1;
		if (before[i] < 0 || after[i] < 0) {
			rc = cp_error(COPLAN_EINVALID, "precedence '%s' before '%s': no activity '%s'",
			              p->before, p->after, before[i] < 0 ? p->before : p->after);
			goto cleanup;
		}
		if (p->min_gap < 0 || (p->max_gap >= 0 && p->max_gap < p->min_gap)) {
			rc = cp_error(COPLAN_EINVALID, "precedence '%s' before '%s': bad gap %d..%d days",
			              p->before, p->after, p->min_gap, p->max_gap);
			goto cleanup;
		}
	}
	/* each node's edges in precedence order, as the scan per node found them */
	for (size_t i = plan->n_precedences; i-- > 0;) {
		next[i] = first[before[i]];
		first[before[i]] = (long)i;
	}
	for (size_t i = 0; i < plan->n_activities; i++) {
		if (colour[i] == 0 &&
		    precedence_cycle(first, next, after, colour, stack_node, stack_edge, (long)i,
		                     &cycle_at)) {
			rc = cp_error(COPLAN_EINVALID, "precedences form a cycle through activity '%s'",
			              plan->activities[cycle_at].ref);
			goto cleanup;
		}
	}
cleanup:
	free(refs);
	free(before);
	free(after);
	free(first);
	free(next);
	free(stack_node);
	free(stack_edge);
	free(colour);
	return rc;
}

static void summary_count(coplan_plan_summary *s, const char *nation, int cancelled)
{
	for (size_t i = 0; i < s->by_host_count; i++) {
		if (!strcmp(s->by_host[i].nation, nation)) {
			s->by_host[i].count++;
			s->by_host[i].cancelled += cancelled != 0;
			return;
		}
	}
	if (s->by_host_count < CP_ARRAY_SIZE(s->by_host)) {
		memcpy(s->by_host[s->by_host_count].nation, nation, COPLAN_NATION_LEN);
		s->by_host[s->by_host_count].nation[3] = '\0';
		s->by_host[s->by_host_count].cancelled = cancelled != 0;
		s->by_host[s->by_host_count++].count = 1;
	}
}

void coplan_plan_summarize(const coplan_plan *plan, coplan_plan_summary *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < plan->n_nations && out->by_host_count < CP_ARRAY_SIZE(out->by_host); i++) {
		memcpy(out->by_host[out->by_host_count].nation, plan->nations[i], 3);
		out->by_host[out->by_host_count++].nation[3] = '\0';
	}
	for (size_t i = 0; i < plan->n_activities; i++) {
		const coplan_activity *a = &plan->activities[i];

		out->activities++;
		if (a->status == COPLAN_STATUS_CANCELLED)
			out->cancelled++;
		else if (a->start != COPLAN_DATE_NONE)
			out->scheduled++;
		else
			out->unplaced++;
		summary_count(out, a->host, a->status == COPLAN_STATUS_CANCELLED);
	}
}

/* SPDX-License-Identifier: Apache-2.0 */
/* schedule_explain.c - why an activity can or cannot start on a day, as reasons (coplan/explain.h); suggestions; the score of any plan. */
#include <stdlib.h>
#include <string.h>

#include "coplan/schedule.h"
#include "schedule_int.h"
#include "common.h"

/*
 * A growing array of reasons.  Allocation failures are sticky (oom), so
 * that the builders below read like the checks they report, and one test
 * at the end turns a failure into COPLAN_ENOMEM.
 */
typedef struct {
	coplan_reason *v;
	size_t n, cap;
	int oom;
} rlist;

/* A new reason at the end of l, its dates NONE and no blackout; NULL (l->oom set) on failure. */
static coplan_reason *radd(rlist *l, coplan_reason_code code)
{
	coplan_reason *r;

	if (l->oom || cp_grow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v))) {
		l->oom = 1;
		return NULL;
	}
	r = &l->v[l->n++];
	memset(r, 0, sizeof(*r));
	r->code = code;
	r->from = r->to = r->other_from = r->other_to = COPLAN_DATE_NONE;
	r->blackout = -1;
	r->gap_max = -1;
	return r;
}

static void rstr(rlist *l, char **dst, const char *s)
{
	if (s && !(*dst = cp_strdup(s)))
		l->oom = 1;
}

static void rlist_release(rlist *l)
{
	for (size_t k = 0; k < l->n; k++)
		coplan_reason_release(&l->v[k]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Hand sub's reasons to r as its items (r may be NULL after a failure). */
static void rgive(rlist *l, coplan_reason *r, rlist *sub)
{
	if (sub->oom || !r) {
		l->oom = 1;
		rlist_release(sub);
		return;
	}
	r->items = sub->v;
	r->n_items = sub->n;
	memset(sub, 0, sizeof(*sub));
}

/* The role of scope (a blackout's) in activity pa: a unit of it, its host, or a participant. */
static coplan_reason_role scope_role(const coplan_activity *pa, const char *scope)
{
	for (size_t k = 0; k < pa->n_units; k++)
		if (!strcmp(pa->units[k], scope))
			return COPLAN_ROLE_UNIT;
	return !strcmp(pa->host, scope) ? COPLAN_ROLE_HOST : COPLAN_ROLE_PARTICIPANT;
}

static int in_scope(const coplan_activity *pa, const char *scope)
{
	if (!strcmp(pa->host, scope))
		return 1;
	for (size_t k = 0; k < pa->n_participants; k++)
		if (!strcmp(pa->participants[k], scope))
			return 1;
	for (size_t k = 0; k < pa->n_units; k++)
		if (!strcmp(pa->units[k], scope))
			return 1;
	return 0;
}

/* A blackout (index k) as a reason of activity pa. */
static coplan_reason *add_blackout(rlist *l, coplan_reason_code code, const coplan_plan *plan,
                                   const coplan_activity *pa, size_t k)
{
	const coplan_blackout *bo = &plan->blackouts[k];
	coplan_reason *r = radd(l, code);

	if (!r)
		return NULL;
	r->other_from = bo->from;
	r->other_to = bo->to;
	r->blackout = (long)k;
	r->role = scope_role(pa, bo->scope);
	rstr(l, &r->name, bo->reason ? bo->reason : "");
	rstr(l, &r->scope, bo->scope);
	return r;
}

/* Day d (a date) of a's host as a HOLIDAY (named) or, not a holiday, a WEEKEND. */
static void add_nonworking(rlist *l, const cp_sched *s, const cp_act *a, coplan_date d, int holidays_only)
{
	const coplan_holiday *hol = coplan_calendar_holiday(s->cal[a->host], d);
	coplan_reason *r;

	if (!hol && holidays_only)
		return;
	if (!(r = radd(l, hol ? COPLAN_REASON_HOLIDAY : COPLAN_REASON_WEEKEND)))
		return;
	r->from = r->to = d;
	r->role = COPLAN_ROLE_HOST;
	rstr(l, &r->scope, s->scope_name[s->host_scope[a->host]]);
	if (hol)
		rstr(l, &r->name, hol->english_name ? hol->english_name : hol->local_name);
}

/* A precedence edge as a PRECEDENCE reason of the activity on its side `after` (1) or `before` (0). */
static coplan_reason *add_precedence(rlist *l, const cp_sched *s, const cp_edge *ed, int as_after, int bound)
{
	coplan_reason *r = radd(l, COPLAN_REASON_PRECEDENCE);

	if (!r)
		return NULL;
	r->gap_min = ed->min_gap;
	r->gap_max = ed->max_gap;
	r->bound = bound;
	if (as_after) {
		const cp_act *p = &s->act[ed->before];

		r->role = COPLAN_ROLE_PREDECESSOR;
		rstr(l, &r->activity, s->plan->activities[ed->before].ref);
		r->other_from = cp_date(s, p->end + 1 + ed->min_gap);
		if (ed->max_gap >= 0)
			r->other_to = cp_date(s, p->end + 1 + ed->max_gap);
	} else {
		const cp_act *q = &s->act[ed->after];

		r->role = COPLAN_ROLE_SUCCESSOR;
		rstr(l, &r->activity, s->plan->activities[ed->after].ref);
		r->other_to = cp_date(s, q->start - 1 - ed->min_gap);
		if (ed->max_gap >= 0)
			r->other_from = cp_date(s, q->start - 1 - ed->max_gap);
	}
	return r;
}

static coplan_reason *add_unit_busy(rlist *l, const cp_sched *s, int32_t unit, int32_t o)
{
	coplan_reason *r = radd(l, COPLAN_REASON_UNIT_BUSY);

	if (!r)
		return NULL;
	r->role = COPLAN_ROLE_UNIT;
	rstr(l, &r->scope, s->scope_name[s->unit_scope[unit]]);
	rstr(l, &r->activity, s->plan->activities[o].ref);
	r->other_from = cp_date(s, s->act[o].start);
	r->other_to = cp_date(s, s->act[o].end);
	return r;
}

/*
 * Every constraint that forbids activity i to start on day (a day index),
 * given the placed activities of the state, appended to l.  Returns the
 * number of reasons; *end receives the end day or CP_NONE.
 */
static int list_blockers(rlist *l, const cp_sched *s, int32_t i, int64_t day, int32_t *end)
{
	const coplan_plan *plan = s->plan;
	const coplan_activity *pa = &plan->activities[i];
	const cp_act *a = &s->act[i];
	coplan_date d = (coplan_date)(s->day0 + day), lo = cp_date(s, a->lo), hi = cp_date(s, a->hi);
	size_t n0 = l->n;
	coplan_reason *r;
	int32_t e;

	*end = CP_NONE;
	if (a->hi < a->lo) {
		if ((r = radd(l, COPLAN_REASON_PLAN_WINDOW))) {
			r->other_from = s->day0;
			r->other_to = cp_date(s, s->ndays - 1);
		}
		return (int)(l->n - n0);
	}
	if (day < a->lo || day > a->hi) {
		if ((r = radd(l, COPLAN_REASON_WINDOW))) {
			r->from = r->to = d;
			r->other_from = lo;
			r->other_to = hi;
		}
		return (int)(l->n - n0);
	}
	if (a->mode == COPLAN_DAYS_WORKING && cp_nonwork(s, a->host, (int32_t)day))
		add_nonworking(l, s, a, d, 0);
	/* the end is counted from the next working day: say where it would fall anyway */
	if (a->mode == COPLAN_DAYS_WORKING) {
		int32_t k = s->wd_rank[a->host][day] + a->duration - 1;

		e = k < s->wd_rank[a->host][s->ndays] ? s->wd_list[a->host][k] : CP_NONE;
	} else {
		e = day + a->duration - 1 < s->ndays ? (int32_t)day + a->duration - 1 : CP_NONE;
	}
	if (e == CP_NONE || e > a->hi) {
		if ((r = radd(l, COPLAN_REASON_DURATION))) {
			r->from = d;
			r->days = a->duration;
			r->day_mode = (coplan_day_mode)a->mode;
			r->other_from = lo;
			r->other_to = hi;
		}
		return (int)(l->n - n0);
	}
	*end = e;
	for (size_t k = 0; k < plan->n_blackouts; k++) {
		const coplan_blackout *bo = &plan->blackouts[k];

		if (!bo->hard || !bo->scope || !in_scope(pa, bo->scope) ||
		    bo->to < d || bo->from > cp_date(s, e))
			continue;
		if ((r = add_blackout(l, COPLAN_REASON_BLACKOUT, plan, pa, k))) {
			r->from = d;
			r->to = cp_date(s, e);
		}
	}
	for (uint32_t u = 0; u < a->n_units; u++) {
		int32_t unit = a->units[u], last = -1;

		for (int32_t x = (int32_t)day; x <= e; x++) {
			int32_t o = s->owner[unit][x];

			if (o < 0 || o == i || o == last)
				continue;
			last = o;
			if ((r = add_unit_busy(l, s, unit, o))) {
				r->from = d;
				r->to = cp_date(s, e);
			}
		}
	}
	for (uint32_t k = 0; k < a->n_pred; k++) {
		const cp_edge *ed = &s->edge[s->pred_list[a->pred_at + k]];
		const cp_act *p = &s->act[ed->before];

		if (p->pos == CP_NONE) {
			if (ed->requires && (r = radd(l, COPLAN_REASON_PREDECESSOR_UNPLACED))) {
				r->role = COPLAN_ROLE_PREDECESSOR;
				rstr(l, &r->activity, plan->activities[ed->before].ref);
			}
			continue;
		}
		if (day < p->end + 1 + ed->min_gap)
			add_precedence(l, s, ed, 1, COPLAN_BOUND_MIN);
		if (ed->max_gap >= 0 && day - p->end - 1 > ed->max_gap)
			add_precedence(l, s, ed, 1, COPLAN_BOUND_MAX);
	}
	for (uint32_t k = 0; k < a->n_succ; k++) {
		const cp_edge *ed = &s->edge[s->succ_list[a->succ_at + k]];
		const cp_act *q = &s->act[ed->after];

		if (q->pos == CP_NONE)
			continue;
		if (q->start < e + 1 + ed->min_gap)
			add_precedence(l, s, ed, 0, COPLAN_BOUND_MIN);
		if (ed->max_gap >= 0 && q->start - e - 1 > ed->max_gap)
			add_precedence(l, s, ed, 0, COPLAN_BOUND_MAX);
	}
	return (int)(l->n - n0);
}

/* The holidays (not weekends) of a's host in [from, to] (day indices), as HOLIDAY reasons. */
static void add_holidays(rlist *l, const cp_sched *s, const cp_act *a, int32_t from, int32_t to)
{
	for (int32_t d = from; d <= to; d++)
		add_nonworking(l, s, a, cp_date(s, d), 1);
}

/* Why an activity's domain is empty (not pinned): one reason. */
static void static_reason(rlist *l, const cp_sched *s, int32_t i)
{
	const coplan_plan *plan = s->plan;
	const coplan_activity *pa = &plan->activities[i];
	const cp_act *a = &s->act[i];
	int32_t starts = 0, lone = -1;
	coplan_reason *r;
	rlist sub = { 0 };

	if (a->hi < a->lo) {
		if ((r = radd(l, COPLAN_REASON_PLAN_WINDOW))) {
			r->other_from = s->day0;
			r->other_to = cp_date(s, s->ndays - 1);
		}
		return;
	}
	/* starts allowed by the window and the calendar alone */
	for (int32_t d = a->lo; d <= a->hi; d++) {
		int32_t e;

		if (a->mode == COPLAN_DAYS_WORKING && cp_nonwork(s, a->host, d))
			continue;
		e = cp_end_of(s, a, d);
		if (e == CP_NONE || e > a->hi)
			break;
		starts++;
	}
	if (starts == 0) {
		if (a->mode == COPLAN_DAYS_CALENDAR) {
			if ((r = radd(l, COPLAN_REASON_WINDOW_SHORT))) {
				r->from = cp_date(s, a->lo);
				r->to = cp_date(s, a->hi);
				r->count = a->hi - a->lo + 1;
				r->days = a->duration;
			}
			return;
		}
		if ((r = radd(l, COPLAN_REASON_NO_WORKING_START))) {
			r->from = cp_date(s, a->lo);
			r->to = cp_date(s, a->hi);
			r->days = a->duration;
			r->role = COPLAN_ROLE_HOST;
			rstr(l, &r->scope, pa->host);
			r->count = s->wd_rank[a->host][a->hi + 1] - s->wd_rank[a->host][a->lo];
			add_holidays(&sub, s, a, a->lo, a->hi);
		}
		rgive(l, r, &sub);
		return;
	}
	/* the hard blackouts that meet the window: does one alone block every start? */
	for (size_t k = 0; k < plan->n_blackouts; k++) {
		const coplan_blackout *bo = &plan->blackouts[k];
		int clear = 0;

		if (!bo->hard || !bo->scope || !in_scope(pa, bo->scope) ||
		    bo->to < cp_date(s, a->lo) || bo->from > cp_date(s, a->hi))
			continue;
		for (int32_t d = a->lo; d <= a->hi && !clear; d++) {
			int32_t e;

			if (a->mode == COPLAN_DAYS_WORKING && cp_nonwork(s, a->host, d))
				continue;
			e = cp_end_of(s, a, d);
			if (e == CP_NONE || e > a->hi)
				break;
			clear = cp_date(s, e) < bo->from || cp_date(s, d) > bo->to;
		}
		if (!clear && lone < 0)
			lone = (int32_t)k;
	}
	if (lone >= 0) {
		if ((r = add_blackout(l, COPLAN_REASON_BLACKOUT_WINDOW, plan, pa, (size_t)lone))) {
			r->from = cp_date(s, a->lo);
			r->to = cp_date(s, a->hi);
		}
		return;
	}
	if ((r = radd(l, COPLAN_REASON_BLACKOUTS_WINDOW))) {
		r->from = cp_date(s, a->lo);
		r->to = cp_date(s, a->hi);
	}
	for (size_t k = 0; k < plan->n_blackouts; k++) {
		const coplan_blackout *bo = &plan->blackouts[k];

		if (!bo->hard || !bo->scope || !in_scope(pa, bo->scope) ||
		    bo->to < cp_date(s, a->lo) || bo->from > cp_date(s, a->hi))
			continue;
		add_blackout(&sub, COPLAN_REASON_BLACKOUT, plan, pa, k);
	}
	if (a->mode == COPLAN_DAYS_WORKING) {
		if (r) {
			r->role = COPLAN_ROLE_HOST;
			rstr(l, &r->scope, pa->host);
		}
		add_holidays(&sub, s, a, a->lo, a->hi);
	}
	rgive(l, r, &sub);
}

/* One blocker of the dynamic summary: a unit held by an activity, or a precedence. */
typedef struct {
	int kind;         /* 0 unit, 1 precedence with a predecessor, 2 with a successor */
	int32_t x, y;     /* unit and owner; or edge index and 0 */
	uint32_t count;   /* starts it blocks */
} blocker;

static int blocker_add(blocker **v, size_t *n, size_t *cap, int kind, int32_t x, int32_t y)
{
	for (size_t k = 0; k < *n; k++) {
		if ((*v)[k].kind == kind && (*v)[k].x == x && (*v)[k].y == y) {
			(*v)[k].count++;
			return 0;
		}
	}
	if (cp_grow((void **)v, cap, *n + 1, sizeof(**v)))
		return -1;
	(*v)[*n].kind = kind;
	(*v)[*n].x = x;
	(*v)[*n].y = y;
	(*v)[(*n)++].count = 1;
	return 0;
}

static int blocker_cmp(const void *pa, const void *pb)
{
	const blocker *a = pa, *b = pb;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind - b->kind;
	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	return a->y < b->y ? -1 : (a->y > b->y);
}

/* Summarise what blocks each start of a non-empty domain in the current state: one reason. */
static void dynamic_reason(rlist *l, const cp_sched *s, int32_t i)
{
	const cp_act *a = &s->act[i];
	blocker *v = NULL;
	size_t n = 0, cap = 0;
	coplan_reason *r;
	rlist sub = { 0 };

	for (uint32_t k = 0; k < a->n; k++) {
		int32_t st = a->starts[k], en = cp_end_of(s, a, st);

		for (uint32_t u = 0; u < a->n_units; u++) {
			int32_t last = -1;

			for (int32_t d = st; d <= en; d++) {
				int32_t o = s->owner[a->units[u]][d];

				if (o >= 0 && o != i && o != last) {
					last = o;
					if (blocker_add(&v, &n, &cap, 0, a->units[u], o))
						goto oom;
				}
			}
		}
		for (uint32_t p = 0; p < a->n_pred; p++) {
			uint32_t ei = s->pred_list[a->pred_at + p];
			const cp_edge *e = &s->edge[ei];
			const cp_act *q = &s->act[e->before];

			if (q->pos == CP_NONE)
				continue;
			if (st < q->end + 1 + e->min_gap ||
			    (e->max_gap >= 0 && st - q->end - 1 > e->max_gap))
				if (blocker_add(&v, &n, &cap, 1, (int32_t)ei, 0))
					goto oom;
		}
		for (uint32_t p = 0; p < a->n_succ; p++) {
			uint32_t ei = s->succ_list[a->succ_at + p];
			const cp_edge *e = &s->edge[ei];
			const cp_act *q = &s->act[e->after];

			if (q->pos == CP_NONE)
				continue;
			if (q->start < en + 1 + e->min_gap ||
			    (e->max_gap >= 0 && q->start - en - 1 > e->max_gap))
				if (blocker_add(&v, &n, &cap, 2, (int32_t)ei, 0))
					goto oom;
		}
	}
	if (n == 0) {
		radd(l, COPLAN_REASON_TIME_LIMIT);
		free(v);
		return;
	}
	qsort(v, n, sizeof(*v), blocker_cmp);
	if ((r = radd(l, COPLAN_REASON_WINDOW_TAKEN))) {
		r->from = cp_date(s, a->lo);
		r->to = cp_date(s, a->hi);
		r->count = a->n;
	}
	for (size_t k = 0; k < n; k++) {
		coplan_reason *it;

		if (v[k].kind == 0)
			it = add_unit_busy(&sub, s, v[k].x, v[k].y);
		else
			it = add_precedence(&sub, s, &s->edge[v[k].x], v[k].kind == 1,
			                    COPLAN_BOUND_MIN | COPLAN_BOUND_MAX);
		if (it)
			it->count = v[k].count;
	}
	rgive(l, r, &sub);
	free(v);
	return;
oom:
	l->oom = 1;
	free(v);
}

/* Why activity i is unplaced in the current search state: one reason appended to l. */
static void unplaced_reason(rlist *l, const cp_sched *s, int32_t i)
{
	const coplan_plan *plan = s->plan;
	const cp_act *a = &s->act[i];
	coplan_reason *r;
	int32_t end;

	if (a->pinned) {
		rlist sub = { 0 };

		if ((r = radd(l, COPLAN_REASON_PINNED)))
			r->from = r->to = a->prev;
		if (list_blockers(&sub, s, i, (int64_t)a->prev - s->day0, &end) == 0 && !sub.oom)
			radd(&sub, COPLAN_REASON_PREDECESSORS_FIRST);
		rgive(l, r, &sub);
		return;
	}
	for (uint32_t k = 0; k < a->n_pred; k++) {
		const cp_edge *e = &s->edge[s->pred_list[a->pred_at + k]];

		if (e->requires && s->act[e->before].pos == CP_NONE) {
			if ((r = radd(l, COPLAN_REASON_PREDECESSOR_UNPLACED))) {
				r->role = COPLAN_ROLE_PREDECESSOR;
				rstr(l, &r->activity, plan->activities[e->before].ref);
			}
			return;
		}
	}
	if (a->n == 0)
		static_reason(l, s, i);
	else
		dynamic_reason(l, s, i);
}

char *cp_unplaced_reason(const cp_sched *s, int32_t i)
{
	rlist l = { 0 };
	char *text = NULL;

	unplaced_reason(&l, s, i);
	if (!l.oom && coplan_reasons_format_text(&text, l.v, l.n, s->plan->activities[i].ref))
		text = NULL;
	rlist_release(&l);
	return text;
}

/*
 * The FIXED reason of a fixed activity ("IT-02 executed on
 * 2024-02-16..2024-02-29, kept as recorded") or the CANCELLED one of a
 * cancelled activity.
 */
static void status_reason(rlist *l, const cp_sched *s, int32_t i)
{
	const coplan_activity *pa = &s->plan->activities[i];
	const cp_act *a = &s->act[i];
	coplan_reason *r;

	if (a->cancelled) {
		if ((r = radd(l, COPLAN_REASON_CANCELLED)) && pa->start != COPLAN_DATE_NONE) {
			r->from = pa->start;
			r->to = pa->end != COPLAN_DATE_NONE && pa->end >= pa->start ? pa->end : pa->start;
		}
		return;
	}
	if ((r = radd(l, COPLAN_REASON_FIXED))) {
		r->status = pa->status;
		r->from = pa->start;
		r->to = pa->end != COPLAN_DATE_NONE && pa->end >= pa->start ? pa->end : cp_date(s, a->end);
	}
}

/*
 * Load the plan's own dates into the state, except activity skip: an
 * activity placed on a start of its domain is placed properly; one placed
 * elsewhere (by hand, against a constraint) still holds its units and
 * counts for precedences (pos -2).
 */
static void load_plan(cp_sched *s, long skip)
{
	const coplan_plan *plan = s->plan;

	for (size_t i = 0; i < s->n_act; i++) {
		const coplan_activity *pa = &plan->activities[i];
		cp_act *a = &s->act[i];
		int64_t st, en;
		int32_t k;

		/* fixed activities are placed already; cancelled ones are out of the schedule */
		if ((long)i == skip || pa->start == COPLAN_DATE_NONE || a->fixed || a->cancelled)
			continue;
		st = (int64_t)pa->start - s->day0;
		en = pa->end != COPLAN_DATE_NONE && pa->end >= pa->start ? (int64_t)pa->end - s->day0 : st;
		if (st >= 0 && st < s->ndays && (k = cp_domain_find(a, (int32_t)st)) >= 0 &&
		    cp_end_of(s, a, (int32_t)st) == en) {
			cp_place(s, (int32_t)i, k);
			continue;
		}
		if (st < INT32_MIN / 2 || en > INT32_MAX / 2)
			continue;
		a->pos = CP_OFF_DOMAIN;
		a->start = (int32_t)st;
		a->end = (int32_t)en;
		for (uint32_t u = 0; u < a->n_units; u++)
			for (int64_t d = st < 0 ? 0 : st; d <= en && d < s->ndays; d++) {
				s->occ[a->units[u]][d >> 6] |= 1ULL << (d & 63);
				s->owner[a->units[u]][d] = (int32_t)i;
			}
	}
}

static int prepare(cp_sched *s, long *idx, const coplan_plan *plan, const char *ref)
{
	int rc;

	if (!plan || !ref)
		return cp_error(COPLAN_EUSAGE, "no plan or activity given");
	rc = coplan_plan_validate(plan);
	if (rc)
		return rc;
	rc = cp_sched_init(s, plan, NULL, 0);
	if (rc)
		return rc;
	*idx = cp_sched_find(s, ref);
	if (*idx < 0) {
		cp_sched_release(s);
		return cp_error(COPLAN_ENOTFOUND, "no activity '%s' in the plan", ref);
	}
	load_plan(s, *idx);
	return 0;
}


/* The terms of the soft cost of i at st..end (day indices) into l; returns the total. */
static long cost_terms(rlist *l, const cp_sched *s, int32_t i, int32_t st, int32_t end)
{
	const coplan_activity *pa = &s->plan->activities[i];
	const cp_act *a = &s->act[i];
	int64_t spread = cp_spread_delta_place(s, i, st);
	coplan_reason *r;
	cp_parts p;

	cp_cost_parts(s, a, st, end, &p);
	if (p.requested && s->w.requested && (r = radd(l, COPLAN_REASON_REQUESTED))) {
		r->days = (long)p.requested;
		r->other_from = pa->requested_from != COPLAN_DATE_NONE ? pa->requested_from : cp_date(s, 0);
		r->other_to = pa->requested_to != COPLAN_DATE_NONE ? pa->requested_to : cp_date(s, s->ndays - 1);
		r->weight = s->w.requested;
		r->cost = r->days * r->weight;
	}
	if (p.soft_blackout && s->w.soft_blackout && (r = radd(l, COPLAN_REASON_SOFT_BLACKOUT))) {
		rlist sub = { 0 };

		r->days = (long)p.soft_blackout;
		r->weight = s->w.soft_blackout;
		r->cost = r->days * r->weight;
		r->from = cp_date(s, st);
		r->to = cp_date(s, end);
		for (size_t x = 0; x < s->plan->n_blackouts; x++) {
			const coplan_blackout *bo = &s->plan->blackouts[x];

			if (bo->hard || !bo->scope || !in_scope(pa, bo->scope) ||
			    bo->to < cp_date(s, st) || bo->from > cp_date(s, end))
				continue;
			add_blackout(&sub, COPLAN_REASON_BLACKOUT, s->plan, pa, x);
		}
		rgive(l, r, &sub);
	}
	if (p.weekend && s->w.weekend && (r = radd(l, COPLAN_REASON_NONWORKING))) {
		rlist sub = { 0 };

		r->days = (long)p.weekend;
		r->weight = s->w.weekend;
		r->cost = r->days * r->weight;
		r->from = cp_date(s, st);
		r->to = cp_date(s, end);
		r->role = COPLAN_ROLE_HOST;
		rstr(l, &r->scope, s->scope_name[s->host_scope[a->host]]);
		for (int32_t d = st; d <= end; d++)
			if (cp_nonwork(s, a->host, d))
				add_nonworking(&sub, s, a, cp_date(s, d), 0);
		rgive(l, r, &sub);
	}
	if (p.moved && s->w.moved && (r = radd(l, COPLAN_REASON_MOVED))) {
		r->days = (long)p.moved;
		r->other_from = a->prev;
		r->weight = s->w.moved;
		r->cost = r->days * r->weight;
	}
	if (spread && (r = radd(l, COPLAN_REASON_SPREAD))) {
		int32_t m = s->month_of[st], y0, m0, y, mm;

		coplan_date_to_ymd(s->day0, &y0, &m0, NULL);
		y = y0 + (m0 - 1 + m) / 12;
		mm = (m0 - 1 + m) % 12 + 1;
		r->cost = (long)spread;
		r->weight = 1;
		r->role = COPLAN_ROLE_HOST;
		rstr(l, &r->scope, s->scope_name[s->host_scope[a->host]]);
		r->count = s->month_count[(size_t)a->host * s->n_months + m] + 1;
		r->other_from = coplan_date_from_ymd(y, mm, 1);
		r->other_to = (mm == 12 ? coplan_date_from_ymd(y + 1, 1, 1) : coplan_date_from_ymd(y, mm + 1, 1)) - 1;
	}
	return (long)(cp_static_cost(s, a, st, end) + spread);
}

/*
 * Fill e for activity i of the prepared state at date (COPLAN_DATE_NONE:
 * where the plan has it).  e->ref is set by the caller.
 */
static int explain_in(coplan_explanation *e, const cp_sched *s, int32_t i, coplan_date date)
{
	const coplan_activity *pa = &s->plan->activities[i];
	const cp_act *a = &s->act[i];
	rlist reasons = { 0 }, costs = { 0 };
	int32_t end;

	e->date = date;
	e->from = e->to = COPLAN_DATE_NONE;
	if (a->fixed || a->cancelled) {
		e->outcome = a->fixed ? COPLAN_EXPLAIN_FIXED : COPLAN_EXPLAIN_CANCELLED;
		e->can_start = a->fixed && (date == COPLAN_DATE_NONE || cp_date(s, a->start) == date);
		status_reason(&reasons, s, i);
		if (reasons.n) {
			e->from = reasons.v[0].from;
			e->to = reasons.v[0].to;
		}
	} else if (date == COPLAN_DATE_NONE && pa->start == COPLAN_DATE_NONE) {
		e->outcome = COPLAN_EXPLAIN_UNPLACED;
		unplaced_reason(&reasons, s, i);
	} else {
		coplan_date d = date != COPLAN_DATE_NONE ? date : pa->start;
		int32_t st = (int32_t)((int64_t)d - s->day0);

		e->from = d;
		if (list_blockers(&reasons, s, i, (int64_t)d - s->day0, &end) > 0 || reasons.oom) {
			e->outcome = date != COPLAN_DATE_NONE ? COPLAN_EXPLAIN_CANNOT_START
			                                      : COPLAN_EXPLAIN_PLACED_AGAINST;
			if (end != CP_NONE)
				e->to = cp_date(s, end);
		} else {
			e->outcome = date != COPLAN_DATE_NONE ? COPLAN_EXPLAIN_CAN_START : COPLAN_EXPLAIN_PLACED;
			e->can_start = 1;
			e->to = cp_date(s, end);
			e->soft_cost = cost_terms(&costs, s, i, st, end);
		}
	}
	e->reasons = reasons.v;
	e->n_reasons = reasons.n;
	e->costs = costs.v;
	e->n_costs = costs.n;
	if (reasons.oom || costs.oom)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	return 0;
}

int coplan_schedule_explain_ex(coplan_explanation **out, const coplan_plan *plan, const char *ref,
                               coplan_date date)
{
	coplan_explanation *e;
	cp_sched s;
	long i;
	int rc;

	if (!out)
		return cp_error(COPLAN_EUSAGE, "no output for the explanation");
	*out = NULL;
	if ((rc = prepare(&s, &i, plan, ref)))
		return rc;
	if (!(e = calloc(1, sizeof(*e))) || !(e->ref = cp_strdup(ref)))
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
	else
		rc = explain_in(e, &s, (int32_t)i, date);
	cp_sched_release(&s);
	if (rc) {
		coplan_explanation_free(e);
		return rc;
	}
	*out = e;
	return 0;
}

int coplan_schedule_explain(char **out, const coplan_plan *plan, const char *ref, coplan_date date)
{
	coplan_explanation *e = NULL;
	int rc;

	if (!out)
		return cp_error(COPLAN_EUSAGE, "no output for the explanation");
	*out = NULL;
	if ((rc = coplan_schedule_explain_ex(&e, plan, ref, date)))
		return rc;
	rc = coplan_explanation_format_text(out, e);
	coplan_explanation_free(e);
	return rc;
}

typedef struct {
	int64_t cost;
	int32_t day;
} ranked;

static int ranked_cmp(const void *pa, const void *pb)
{
	const ranked *a = pa, *b = pb;

	if (a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	return a->day < b->day ? -1 : (a->day > b->day);
}

int coplan_schedule_suggest(coplan_date *out, size_t *n, size_t max, const coplan_plan *plan,
                            const char *ref)
{
	cp_sched s;
	ranked *r = NULL;
	size_t nr = 0;
	long i;
	int rc;

	if (!n || (max && !out))
		return cp_error(COPLAN_EUSAGE, "no output for the suggestions");
	*n = 0;
	rc = prepare(&s, &i, plan, ref);
	if (rc)
		return rc;
	/* a fixed activity stays where it is; a cancelled one is out of the schedule: none */
	r = malloc((s.act[i].n + 1) * sizeof(*r));
	if (!r) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (uint32_t k = 0; k < s.act[i].n; k++) {
		if (!cp_fits(&s, (int32_t)i, (int32_t)k))
			continue;
		r[nr].day = s.act[i].starts[k];
		r[nr++].cost = s.act[i].cost[k] + cp_spread_delta_place(&s, (int32_t)i, s.act[i].starts[k]);
	}
	qsort(r, nr, sizeof(*r), ranked_cmp);
	for (size_t k = 0; k < nr && k < max; k++)
		out[(*n)++] = cp_date(&s, r[k].day);
cleanup:
	free(r);
	cp_sched_release(&s);
	return rc;
}

/*
 * Count a's unit-days st..en (day indices in the horizon) into cnt; each
 * extra activity on a unit-day is one hard violation.
 */
static int count_units(const cp_sched *s, int32_t **cnt, const cp_act *a, int64_t st, int64_t en,
                       int64_t *hard)
{
	for (uint32_t u = 0; u < a->n_units; u++) {
		int32_t unit = a->units[u];

		if (!cnt[unit] && !(cnt[unit] = calloc((size_t)s->ndays, sizeof(int32_t))))
			return cp_error(COPLAN_ENOMEM, "out of memory");
		for (int64_t d = st; d <= en; d++)
			if (cnt[unit][d]++ > 0)
				(*hard)++;  /* one more activity on a day the unit is taken */
	}
	return 0;
}

int coplan_schedule_score(const coplan_plan *plan, const coplan_weights *w, coplan_score *out)
{
	cp_sched s;
	int64_t hard = 0, soft = 0, unplaced = 0;
	int32_t **cnt = NULL;
	int rc;

	if (!plan || !out)
		return cp_error(COPLAN_EUSAGE, "no plan or score given");
	rc = coplan_plan_validate(plan);
	if (rc)
		return rc;
	rc = cp_sched_init(&s, plan, w, 0);
	if (rc)
		return rc;
	cnt = calloc(s.n_units + 1, sizeof(*cnt));
	if (!cnt) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (size_t i = 0; i < s.n_act; i++) {
		const coplan_activity *pa = &plan->activities[i];
		cp_act *a = &s.act[i];
		int64_t st, en;
		int32_t e;

		if (a->cancelled)
			continue;  /* out of the schedule: counts for nothing */
		if (a->fixed) {
			/*
			 * A fact: its own rules and soft cost are not judged, its spread
			 * is counted already (cp_sched_init); it holds its units on the
			 * days of the horizon it covers.
			 */
			st = a->start < 0 ? 0 : a->start;
			en = a->end >= s.ndays ? s.ndays - 1 : a->end;
			rc = count_units(&s, cnt, a, st, en, &hard);
			if (rc)
				goto cleanup;
			continue;
		}
		if (pa->start == COPLAN_DATE_NONE) {
			unplaced++;
			continue;
		}
		st = (int64_t)pa->start - s.day0;
		en = pa->end == COPLAN_DATE_NONE ? st - 1 : (int64_t)pa->end - s.day0;
		/* outside the horizon or the window: one violation, nothing else to measure */
		if (st < a->lo || en > a->hi || en < st) {
			hard++;
			continue;
		}
		e = cp_end_of(&s, a, (int32_t)st);
		if (a->mode == COPLAN_DAYS_WORKING && cp_nonwork(&s, a->host, (int32_t)st))
			hard++;
		else if (e != en)
			hard++;
		for (uint32_t k = 0; k < a->n_scopes; k++)
			if (s.hard_bits[a->scopes[k]] &&
			    cp_bits_any(s.hard_bits[a->scopes[k]], (int32_t)st, (int32_t)en))
				hard++;
		rc = count_units(&s, cnt, a, st, en, &hard);
		if (rc)
			goto cleanup;
		soft += cp_static_cost(&s, a, (int32_t)st, (int32_t)en);
		a->start = (int32_t)st;
		a->end = (int32_t)en;
		a->pos = CP_OFF_DOMAIN;
		s.month_count[(size_t)a->host * s.n_months + s.month_of[st]]++;
		s.host_total[a->host]++;
	}
	/* edges with a cancelled activity were never built */
	for (size_t e = 0; e < s.n_edge; e++) {
		const cp_edge *ed = &s.edge[e];
		const coplan_activity *b = &plan->activities[ed->before], *q = &plan->activities[ed->after];
		int64_t b_end = s.act[ed->before].fixed ? (int64_t)s.day0 + s.act[ed->before].end : b->end;

		if (q->start == COPLAN_DATE_NONE)
			continue;
		if (!s.act[ed->before].fixed && (b->start == COPLAN_DATE_NONE || b->end == COPLAN_DATE_NONE)) {
			/* a fixed successor is a fact: its unplaced predecessor counts as unplaced only; AFTER only orders placed ones */
			if ((!s.act[ed->after].fixed || b->start != COPLAN_DATE_NONE) &&
			    (ed->requires || b->start != COPLAN_DATE_NONE))
				hard++;
			continue;
		}
		if ((int64_t)q->start < b_end + 1 + ed->min_gap)
			hard++;
		if (ed->max_gap >= 0 && (int64_t)q->start - b_end - 1 > ed->max_gap)
			hard++;
	}
	for (size_t h = 0; h < s.n_hosts; h++) {
		const int32_t *c = s.month_count + h * (size_t)s.n_months;
		int32_t max = 0, mean = (s.host_total[h] + s.n_months - 1) / s.n_months;

		for (int32_t m = 0; m < s.n_months; m++)
			if (c[m] > max)
				max = c[m];
		if (max > mean)
			soft += (int64_t)(max - mean) * s.w.spread;
	}
	out->hard = -(long)hard;
	out->medium = -(long)unplaced;
	out->soft = -(long)soft;
cleanup:
	for (size_t u = 0; cnt && u < s.n_units; u++)
		free(cnt[u]);
	free(cnt);
	cp_sched_release(&s);
	return rc;
}


int coplan_schedule_suggest_ex(coplan_explanation **out, size_t *n, size_t max,
                               const coplan_plan *plan, const char *ref)
{
	coplan_date starts[64], *v = starts;
	coplan_explanation *x = NULL;
	size_t got = 0;
	int rc;

	if (!out || !n)
		return cp_error(COPLAN_EUSAGE, "no output for the suggestions");
	*out = NULL;
	*n = 0;
	if (max > CP_ARRAY_SIZE(starts) && !(v = malloc(max * sizeof(*v))))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	if ((rc = coplan_schedule_suggest(v, &got, max, plan, ref)))
		goto cleanup;
	if (got && !(x = calloc(got, sizeof(*x)))) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (size_t k = 0; k < got && !rc; k++) {
		coplan_explanation *e = NULL;

		if ((rc = coplan_schedule_explain_ex(&e, plan, ref, v[k])))
			break;
		x[k] = *e;  /* the contents move into the array */
		free(e);
	}
	if (rc) {
		coplan_explanations_free(x, got);
		goto cleanup;
	}
	*out = x;
	*n = got;
cleanup:
	if (v != starts)
		free(v);
	return rc;
}

int coplan_schedule_conflicts_ex(coplan_conflicts **out, const coplan_plan *plan)
{
	coplan_conflicts *c;
	coplan_score score;
	size_t cap = 0;
	int rc;

	if (!out)
		return cp_error(COPLAN_EUSAGE, "no output for the conflicts");
	*out = NULL;
	if ((rc = coplan_schedule_score(plan, NULL, &score)))
		return rc;
	if (!(c = calloc(1, sizeof(*c))))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	for (size_t i = 0; i < plan->n_activities && score.hard < 0 && !rc; i++) {
		const coplan_activity *pa = &plan->activities[i];
		coplan_explanation e = { 0 };
		cp_sched s;
		long idx;

		if (pa->start == COPLAN_DATE_NONE || pa->status == COPLAN_STATUS_CANCELLED)
			continue;
		if ((rc = prepare(&s, &idx, plan, pa->ref)))
			break;
		if (!s.act[idx].fixed) {
			if (!(e.ref = cp_strdup(pa->ref)))
				rc = cp_error(COPLAN_ENOMEM, "out of memory");
			else
				rc = explain_in(&e, &s, (int32_t)idx, COPLAN_DATE_NONE);
			if (!rc && e.outcome == COPLAN_EXPLAIN_PLACED_AGAINST) {
				if (cp_grow((void **)&c->items, &cap, c->n + 1, sizeof(*c->items))) {
					rc = cp_error(COPLAN_ENOMEM, "out of memory");
				} else {
					c->items[c->n++] = e;  /* the contents move into the array */
					memset(&e, 0, sizeof(e));
				}
			}
			coplan_explanation_release(&e);
		}
		cp_sched_release(&s);
	}
	/* only recorded facts conflict with each other (two executed activities on one unit) */
	if (!rc && score.hard < 0 && c->n == 0)
		c->recorded = -score.hard;
	if (rc) {
		coplan_conflicts_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

int coplan_schedule_conflicts(char **out, size_t *n, const coplan_plan *plan)
{
	coplan_conflicts *c = NULL;
	int rc;

	if (!out || !n)
		return cp_error(COPLAN_EUSAGE, "no output for the conflicts");
	*out = NULL;
	*n = 0;
	if ((rc = coplan_schedule_conflicts_ex(&c, plan)))
		return rc;
	rc = coplan_conflicts_format_text(out, c);
	if (!rc)
		*n = c->n ? c->n : (size_t)c->recorded;
	coplan_conflicts_free(c);
	return rc;
}

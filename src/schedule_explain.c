/* schedule_explain.c - why an activity can or cannot start on a day; suggestions; the score of any plan. */
#include <stdlib.h>
#include <string.h>

#include "coplan/schedule.h"
#include "schedule_int.h"
#include "common.h"

/* Lists at most this many blockers in one reason. */
#define CP_REASON_ITEMS 4
/* Above this many, further blockers are counted, not named. */
#define CP_HOLIDAY_ITEMS 6

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
	if (t != f) {
		cp_buf_puts(b, "..");
		put_date(b, t);
	}
}

static void sep(cp_buf *b, int *n)
{
	if ((*n)++)
		cp_buf_puts(b, "; ");
}

/* "JPN (host)", "ITA (participant)", "unit '4th Air Wing'" for scope name in activity i. */
static void put_scope(cp_buf *b, const coplan_activity *pa, const char *scope)
{
	for (size_t k = 0; k < pa->n_units; k++) {
		if (!strcmp(pa->units[k], scope)) {
			cp_buf_printf(b, "unit '%s'", scope);
			return;
		}
	}
	cp_buf_printf(b, "%s (%s)", scope, !strcmp(pa->host, scope) ? "host" : "participant");
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

/* Why day (a day index, may lie outside the horizon) is not a working day of a's host. */
static void put_nonworking(cp_buf *b, const cp_sched *s, const cp_act *a, coplan_date d)
{
	const coplan_holiday *hol = coplan_calendar_holiday(s->cal[a->host], d);

	put_date(b, d);
	if (hol)
		cp_buf_printf(b, " is %s", hol->english_name ? hol->english_name : hol->local_name);
	else
		cp_buf_printf(b, " is %s", weekday_names[coplan_date_weekday(d)]);
	cp_buf_printf(b, " in %s (host)", s->scope_name[s->host_scope[a->host]]);
}

/*
 * Every constraint that forbids activity i to start on day (a day index),
 * given the placed activities of the state, as "; "-separated clauses.
 * Returns the number of clauses; *end receives the end day or CP_NONE.
 */
static int list_blockers(cp_buf *b, const cp_sched *s, int32_t i, int64_t day, int32_t *end)
{
	const coplan_plan *plan = s->plan;
	const coplan_activity *pa = &plan->activities[i];
	const cp_act *a = &s->act[i];
	coplan_date d = (coplan_date)(s->day0 + day), lo = cp_date(s, a->lo), hi = cp_date(s, a->hi);
	int n = 0;
	int32_t e;

	*end = CP_NONE;
	if (a->hi < a->lo) {
		sep(b, &n);
		cp_buf_puts(b, "its time window lies outside the plan's window ");
		put_range(b, s->day0, cp_date(s, s->ndays - 1));
		return n;
	}
	if (day < a->lo || day > a->hi) {
		sep(b, &n);
		put_date(b, d);
		cp_buf_printf(b, " is %s its window ", day < a->lo ? "before" : "after");
		put_range(b, lo, hi);
		return n;
	}
	if (a->mode == COPLAN_DAYS_WORKING && cp_nonwork(s, a->host, (int32_t)day)) {
		sep(b, &n);
		put_nonworking(b, s, a, d);
		/* the end is counted from the next working day: say where it would fall anyway */
	}
	if (a->mode == COPLAN_DAYS_WORKING) {
		int32_t k = s->wd_rank[a->host][day] + a->duration - 1;

		e = k < s->wd_rank[a->host][s->ndays] ? s->wd_list[a->host][k] : CP_NONE;
	} else {
		e = day + a->duration - 1 < s->ndays ? (int32_t)day + a->duration - 1 : CP_NONE;
	}
	if (e == CP_NONE || e > a->hi) {
		sep(b, &n);
		cp_buf_printf(b, "%d %s days from ", a->duration,
		              a->mode == COPLAN_DAYS_WORKING ? "working" : "calendar");
		put_date(b, d);
		cp_buf_puts(b, " would end after its window ends on ");
		put_date(b, hi);
		return n;
	}
	*end = e;
	for (size_t k = 0; k < plan->n_blackouts; k++) {
		const coplan_blackout *bo = &plan->blackouts[k];

		if (!bo->hard || !bo->scope || !in_scope(pa, bo->scope) ||
		    bo->to < d || bo->from > cp_date(s, e))
			continue;
		sep(b, &n);
		cp_buf_printf(b, "hard blackout '%s' of ", bo->reason ? bo->reason : "");
		put_scope(b, pa, bo->scope);
		cp_buf_puts(b, " ");
		put_range(b, bo->from, bo->to);
		cp_buf_puts(b, " overlaps ");
		put_range(b, d, cp_date(s, e));
	}
	for (uint32_t u = 0; u < a->n_units; u++) {
		int32_t unit = a->units[u], last = -1;

		for (int32_t x = (int32_t)day; x <= e; x++) {
			int32_t o = s->owner[unit][x];

			if (o < 0 || o == i || o == last)
				continue;
			last = o;
			sep(b, &n);
			cp_buf_printf(b, "unit '%s' busy with %s ", s->scope_name[s->unit_scope[unit]],
			              plan->activities[o].ref);
			put_range(b, cp_date(s, s->act[o].start), cp_date(s, s->act[o].end));
		}
	}
	for (uint32_t k = 0; k < a->n_pred; k++) {
		const cp_edge *ed = &s->edge[s->pred_list[a->pred_at + k]];
		const cp_act *p = &s->act[ed->before];
		const char *ref = plan->activities[ed->before].ref;

		if (p->pos == CP_NONE) {
			if (ed->requires) {
				sep(b, &n);
				cp_buf_printf(b, "predecessor %s unplaced", ref);
			}
			continue;
		}
		if (day < p->end + 1 + ed->min_gap) {
			sep(b, &n);
			cp_buf_printf(b, "must start after %s ends + %d days (", ref, ed->min_gap);
			put_date(b, cp_date(s, p->end + 1 + ed->min_gap));
			cp_buf_puts(b, ")");
		}
		if (ed->max_gap >= 0 && day - p->end - 1 > ed->max_gap) {
			sep(b, &n);
			cp_buf_printf(b, "must start at most %d days after %s ends (by ", ed->max_gap, ref);
			put_date(b, cp_date(s, p->end + 1 + ed->max_gap));
			cp_buf_puts(b, ")");
		}
	}
	for (uint32_t k = 0; k < a->n_succ; k++) {
		const cp_edge *ed = &s->edge[s->succ_list[a->succ_at + k]];
		const cp_act *q = &s->act[ed->after];
		const char *ref = plan->activities[ed->after].ref;

		if (q->pos == CP_NONE)
			continue;
		if (q->start < e + 1 + ed->min_gap) {
			sep(b, &n);
			cp_buf_printf(b, "must end %d days before %s starts (by ", ed->min_gap, ref);
			put_date(b, cp_date(s, q->start - 1 - ed->min_gap));
			cp_buf_puts(b, ")");
		}
		if (ed->max_gap >= 0 && q->start - e - 1 > ed->max_gap) {
			sep(b, &n);
			cp_buf_printf(b, "must end at most %d days before %s starts (on or after ",
			              ed->max_gap, ref);
			put_date(b, cp_date(s, q->start - 1 - ed->max_gap));
			cp_buf_puts(b, ")");
		}
	}
	return n;
}

/* The holidays (not weekends) of a's host in [from, to], as ", "-separated names. */
static void put_holidays(cp_buf *b, const cp_sched *s, const cp_act *a, int32_t from, int32_t to)
{
	int n = 0, more = 0;

	for (int32_t d = from; d <= to; d++) {
		const coplan_holiday *hol = coplan_calendar_holiday(s->cal[a->host], cp_date(s, d));

		if (!hol)
			continue;
		if (n >= CP_HOLIDAY_ITEMS) {
			more++;
			continue;
		}
		cp_buf_printf(b, "%s%s", n++ ? ", " : "",
		              hol->english_name ? hol->english_name : hol->local_name);
	}
	if (more)
		cp_buf_printf(b, " and %d more", more);
	if (n == 0)
		cp_buf_puts(b, "weekends");
}

/* Why an activity's domain is empty (not pinned). */
static void static_reason(cp_buf *b, const cp_sched *s, int32_t i)
{
	const coplan_plan *plan = s->plan;
	const coplan_activity *pa = &plan->activities[i];
	const cp_act *a = &s->act[i];
	int32_t starts = 0, n_bo = 0, lone = -1;

	if (a->hi < a->lo) {
		cp_buf_puts(b, "its time window lies outside the plan's window ");
		put_range(b, s->day0, cp_date(s, s->ndays - 1));
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
			cp_buf_printf(b, "its window ");
			put_range(b, cp_date(s, a->lo), cp_date(s, a->hi));
			cp_buf_printf(b, " is %d days, shorter than its %d days", a->hi - a->lo + 1,
			              a->duration);
			return;
		}
		cp_buf_printf(b, "no start in its window ");
		put_range(b, cp_date(s, a->lo), cp_date(s, a->hi));
		cp_buf_printf(b, " fits %d working days of %s: it has %d after the host's non-working days (",
		              a->duration, pa->host,
		              s->wd_rank[a->host][a->hi + 1] - s->wd_rank[a->host][a->lo]);
		put_holidays(b, s, a, a->lo, a->hi);
		cp_buf_puts(b, ")");
		return;
	}
	/* the hard blackouts that meet the window: does one alone block every start? */
	for (size_t k = 0; k < plan->n_blackouts; k++) {
		const coplan_blackout *bo = &plan->blackouts[k];
		int clear = 0;

		if (!bo->hard || !bo->scope || !in_scope(pa, bo->scope) ||
		    bo->to < cp_date(s, a->lo) || bo->from > cp_date(s, a->hi))
			continue;
		n_bo++;
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
		const coplan_blackout *bo = &plan->blackouts[lone];

		cp_buf_printf(b, "hard blackout '%s' of ", bo->reason ? bo->reason : "");
		put_scope(b, pa, bo->scope);
		cp_buf_puts(b, " ");
		put_range(b, bo->from, bo->to);
		cp_buf_puts(b, " covers the whole window ");
		put_range(b, cp_date(s, a->lo), cp_date(s, a->hi));
		return;
	}
	cp_buf_printf(b, "every start in its window ");
	put_range(b, cp_date(s, a->lo), cp_date(s, a->hi));
	cp_buf_puts(b, " meets a hard blackout: ");
	n_bo = 0;
	for (size_t k = 0; k < plan->n_blackouts; k++) {
		const coplan_blackout *bo = &plan->blackouts[k];

		if (!bo->hard || !bo->scope || !in_scope(pa, bo->scope) ||
		    bo->to < cp_date(s, a->lo) || bo->from > cp_date(s, a->hi))
			continue;
		if (n_bo++)
			cp_buf_puts(b, ", ");
		cp_buf_printf(b, "'%s' of ", bo->reason ? bo->reason : "");
		put_scope(b, pa, bo->scope);
		cp_buf_puts(b, " ");
		put_range(b, bo->from, bo->to);
	}
	if (a->mode == COPLAN_DAYS_WORKING) {
		cp_buf_printf(b, "; with the non-working days of %s (", pa->host);
		put_holidays(b, s, a, a->lo, a->hi);
		cp_buf_puts(b, ")");
	}
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

static void put_blocker(cp_buf *b, const cp_sched *s, const blocker *k)
{
	const coplan_plan *plan = s->plan;

	if (k->kind == 0) {
		const cp_act *o = &s->act[k->y];

		cp_buf_printf(b, "unit '%s' busy with %s ", s->scope_name[s->unit_scope[k->x]],
		              plan->activities[k->y].ref);
		put_range(b, cp_date(s, o->start), cp_date(s, o->end));
	} else if (k->kind == 1) {
		const cp_edge *e = &s->edge[k->x];
		const cp_act *p = &s->act[e->before];

		cp_buf_printf(b, "must start after %s ends + %d days (", plan->activities[e->before].ref,
		              e->min_gap);
		put_date(b, cp_date(s, p->end + 1 + e->min_gap));
		cp_buf_puts(b, ")");
		if (e->max_gap >= 0) {
			cp_buf_puts(b, " and by ");
			put_date(b, cp_date(s, p->end + 1 + e->max_gap));
		}
	} else {
		const cp_edge *e = &s->edge[k->x];
		const cp_act *q = &s->act[e->after];

		cp_buf_printf(b, "must end %d days before %s starts (by ", e->min_gap,
		              plan->activities[e->after].ref);
		put_date(b, cp_date(s, q->start - 1 - e->min_gap));
		cp_buf_puts(b, ")");
		if (e->max_gap >= 0) {
			cp_buf_puts(b, " and on or after ");
			put_date(b, cp_date(s, q->start - 1 - e->max_gap));
		}
	}
}

/* Summarise what blocks each start of a non-empty domain in the current state. */
static int dynamic_reason(cp_buf *b, const cp_sched *s, int32_t i)
{
	const cp_act *a = &s->act[i];
	blocker *v = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	for (uint32_t k = 0; k < a->n; k++) {
		int32_t st = a->starts[k], en = cp_end_of(s, a, st);

		for (uint32_t u = 0; u < a->n_units; u++) {
			int32_t last = -1;

			for (int32_t d = st; d <= en; d++) {
				int32_t o = s->owner[a->units[u]][d];

				if (o >= 0 && o != i && o != last) {
					last = o;
					if (blocker_add(&v, &n, &cap, 0, a->units[u], o)) {
						rc = -1;
						goto cleanup;
					}
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
				if (blocker_add(&v, &n, &cap, 1, (int32_t)ei, 0)) {
					rc = -1;
					goto cleanup;
				}
		}
		for (uint32_t p = 0; p < a->n_succ; p++) {
			uint32_t ei = s->succ_list[a->succ_at + p];
			const cp_edge *e = &s->edge[ei];
			const cp_act *q = &s->act[e->after];

			if (q->pos == CP_NONE)
				continue;
			if (q->start < en + 1 + e->min_gap ||
			    (e->max_gap >= 0 && q->start - en - 1 > e->max_gap))
				if (blocker_add(&v, &n, &cap, 2, (int32_t)ei, 0)) {
					rc = -1;
					goto cleanup;
				}
		}
	}
	if (n == 0) {
		cp_buf_puts(b, "not placed within the search's time limit (a free start exists; schedule again with more time)");
		goto cleanup;
	}
	qsort(v, n, sizeof(*v), blocker_cmp);
	if (v[0].count == a->n) {
		put_blocker(b, s, &v[0]);
		cp_buf_puts(b, " throughout its window ");
		put_range(b, cp_date(s, a->lo), cp_date(s, a->hi));
		goto cleanup;
	}
	cp_buf_puts(b, "every start in its window ");
	put_range(b, cp_date(s, a->lo), cp_date(s, a->hi));
	cp_buf_puts(b, " is taken: ");
	for (size_t k = 0; k < n && k < CP_REASON_ITEMS; k++) {
		if (k)
			cp_buf_puts(b, "; ");
		put_blocker(b, s, &v[k]);
	}
	if (n > CP_REASON_ITEMS)
		cp_buf_printf(b, "; and %zu more", n - CP_REASON_ITEMS);
cleanup:
	free(v);
	return rc;
}

char *cp_unplaced_reason(const cp_sched *s, int32_t i)
{
	const coplan_plan *plan = s->plan;
	const cp_act *a = &s->act[i];
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	int32_t end;

	if (a->pinned) {
		cp_buf_puts(&b, "pinned to ");
		put_date(&b, a->prev);
		cp_buf_puts(&b, ", which breaks a hard constraint: ");
		if (list_blockers(&b, s, i, (int64_t)a->prev - s->day0, &end) == 0)
			cp_buf_puts(&b, "its predecessors cannot be placed before it");
		return cp_buf_detach(&b, NULL);
	}
	for (uint32_t k = 0; k < a->n_pred; k++) {
		const cp_edge *e = &s->edge[s->pred_list[a->pred_at + k]];

		if (e->requires && s->act[e->before].pos == CP_NONE) {
			cp_buf_printf(&b, "predecessor %s unplaced", plan->activities[e->before].ref);
			return cp_buf_detach(&b, NULL);
		}
	}
	if (a->n == 0)
		static_reason(&b, s, i);
	else if (dynamic_reason(&b, s, i)) {
		cp_buf_release(&b);
		return NULL;
	}
	return cp_buf_detach(&b, NULL);
}

/*
 * "IT-02 executed on 2024-02-16..2024-02-29, kept as recorded" for a fixed
 * activity; "JP-05 is cancelled: out of the schedule" for a cancelled one.
 */
static void put_status(cp_buf *b, const cp_sched *s, int32_t i)
{
	const coplan_activity *pa = &s->plan->activities[i];
	const cp_act *a = &s->act[i];

	if (a->cancelled) {
		cp_buf_printf(b, "%s is cancelled: out of the schedule "
		              "(it holds no unit and constrains no other activity", pa->ref);
		if (pa->start != COPLAN_DATE_NONE) {
			cp_buf_puts(b, "; its recorded dates ");
			put_range(b, pa->start, pa->end != COPLAN_DATE_NONE && pa->end >= pa->start ? pa->end : pa->start);
			cp_buf_puts(b, " are kept for the record");
		}
		cp_buf_puts(b, ")");
		return;
	}
	cp_buf_printf(b, "%s %s ", pa->ref,
	              pa->status == COPLAN_STATUS_EXECUTED ? "executed on" :
	              pa->status == COPLAN_STATUS_POSTPONED ? "postponed to" : "confirmed for");
	put_range(b, pa->start, pa->end != COPLAN_DATE_NONE && pa->end >= pa->start ? pa->end : cp_date(s, a->end));
	cp_buf_puts(b, ", kept as recorded");
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

/* ", soft cost 40: 2 non-working days inside its span (...) x 20; ..." for i at st..end. */
static void put_cost(cp_buf *b, const cp_sched *s, int32_t i, int32_t st, int32_t end)
{
	const coplan_activity *pa = &s->plan->activities[i];
	const cp_act *a = &s->act[i];
	int64_t spread = cp_spread_delta_place(s, i, st);
	cp_parts p;
	int n = 0;

	cp_cost_parts(s, a, st, end, &p);
	cp_buf_printf(b, ", soft cost %ld", (long)(cp_static_cost(s, a, st, end) + spread));
	if (p.requested && s->w.requested) {
		cp_buf_puts(b, n++ ? "; " : ": ");
		cp_buf_printf(b, "%ld day%s outside the requested period ", (long)p.requested,
		              p.requested == 1 ? "" : "s");
		put_range(b, pa->requested_from != COPLAN_DATE_NONE ? pa->requested_from : cp_date(s, 0),
		          pa->requested_to != COPLAN_DATE_NONE ? pa->requested_to : cp_date(s, s->ndays - 1));
		cp_buf_printf(b, " x %d", s->w.requested);
	}
	if (p.soft_blackout && s->w.soft_blackout) {
		int k = 0;

		cp_buf_puts(b, n++ ? "; " : ": ");
		cp_buf_printf(b, "%ld soft-blackout day%s (", (long)p.soft_blackout,
		              p.soft_blackout == 1 ? "" : "s");
		for (size_t x = 0; x < s->plan->n_blackouts; x++) {
			const coplan_blackout *bo = &s->plan->blackouts[x];

			if (bo->hard || !bo->scope || !in_scope(pa, bo->scope) ||
			    bo->to < cp_date(s, st) || bo->from > cp_date(s, end))
				continue;
			if (k++)
				cp_buf_puts(b, ", ");
			cp_buf_printf(b, "'%s' of ", bo->reason ? bo->reason : "");
			put_scope(b, pa, bo->scope);
			cp_buf_puts(b, " ");
			put_range(b, bo->from, bo->to);
		}
		cp_buf_printf(b, ") x %d", s->w.soft_blackout);
	}
	if (p.weekend && s->w.weekend) {
		int k = 0;

		cp_buf_puts(b, n++ ? "; " : ": ");
		cp_buf_printf(b, "%ld non-working day%s inside its span (", (long)p.weekend,
		              p.weekend == 1 ? "" : "s");
		for (int32_t d = st; d <= end; d++) {
			const coplan_holiday *hol;

			if (!cp_nonwork(s, a->host, d))
				continue;
			if (k++ == CP_HOLIDAY_ITEMS) {
				cp_buf_puts(b, ", ...");
				break;
			}
			if (k > 1)
				cp_buf_puts(b, ", ");
			put_date(b, cp_date(s, d));
			hol = coplan_calendar_holiday(s->cal[a->host], cp_date(s, d));
			if (hol)
				cp_buf_printf(b, " %s", hol->english_name ? hol->english_name : hol->local_name);
			else
				cp_buf_printf(b, " %s", weekday_names[coplan_date_weekday(cp_date(s, d))] + 2);
		}
		cp_buf_printf(b, ") x %d", s->w.weekend);
	}
	if (p.moved && s->w.moved) {
		cp_buf_puts(b, n++ ? "; " : ": ");
		cp_buf_printf(b, "moved %ld days from ", (long)p.moved);
		put_date(b, a->prev);
		cp_buf_printf(b, " x %d", s->w.moved);
	}
	if (spread) {
		int32_t m = s->month_of[st], y0, m0;

		coplan_date_to_ymd(s->day0, &y0, &m0, NULL);
		cp_buf_puts(b, n++ ? "; " : ": ");
		cp_buf_printf(b, "spread %+ld (%s would have %d activities in %04d-%02d)", (long)spread,
		              s->scope_name[s->host_scope[a->host]],
		              s->month_count[(size_t)a->host * s->n_months + m] + 1,
		              y0 + (m0 - 1 + m) / 12, (m0 - 1 + m) % 12 + 1);
	}
}

int coplan_schedule_explain(char **out, const coplan_plan *plan, const char *ref, coplan_date date)
{
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	cp_sched s;
	const coplan_activity *pa;
	long i;
	int32_t end;
	int rc;

	if (!out)
		return cp_error(COPLAN_EUSAGE, "no output for the explanation");
	*out = NULL;
	rc = prepare(&s, &i, plan, ref);
	if (rc)
		return rc;
	pa = &plan->activities[i];
	if (s.act[i].fixed || s.act[i].cancelled) {
		if (date != COPLAN_DATE_NONE && !(s.act[i].fixed && cp_date(&s, s.act[i].start) == date)) {
			cp_buf_printf(&b, "%s cannot start on ", ref);
			put_date(&b, date);
			cp_buf_puts(&b, ": ");
		}
		put_status(&b, &s, (int32_t)i);
	} else if (date == COPLAN_DATE_NONE && pa->start == COPLAN_DATE_NONE) {
		char *why = cp_unplaced_reason(&s, (int32_t)i);

		cp_buf_printf(&b, "%s is unplaced: %s", ref, why ? why : "");
		free(why);
	} else {
		coplan_date d = date != COPLAN_DATE_NONE ? date : pa->start;
		int n;

		cp_buf_printf(&b, date != COPLAN_DATE_NONE ? "%s cannot start on " : "%s is placed on ", ref);
		put_date(&b, d);
		cp_buf_puts(&b, date != COPLAN_DATE_NONE ? ": " : " against its constraints: ");
		n = list_blockers(&b, &s, (int32_t)i, (int64_t)d - s.day0, &end);
		if (n == 0) {
			const cp_act *a = &s.act[i];
			int32_t st = (int32_t)((int64_t)d - s.day0);

			b.len = 0;
			b.data[0] = '\0';
			cp_buf_printf(&b, date != COPLAN_DATE_NONE ? "%s can start on " : "%s is placed on ", ref);
			put_range(&b, d, cp_date(&s, end));
			put_cost(&b, &s, (int32_t)(a - s.act), st, end);
		}
	}
	cp_sched_release(&s);
	*out = cp_buf_detach(&b, NULL);
	if (!*out)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	return 0;
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

int coplan_schedule_conflicts(char **out, size_t *n, const coplan_plan *plan)
{
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	coplan_score score;
	size_t count = 0;
	int rc;

	if (!out || !n)
		return cp_error(COPLAN_EUSAGE, "no output for the conflicts");
	*out = NULL;
	*n = 0;
	if ((rc = coplan_schedule_score(plan, NULL, &score)))
		return rc;
	for (size_t i = 0; i < plan->n_activities && score.hard < 0 && !rc; i++) {
		const coplan_activity *pa = &plan->activities[i];
		cp_buf line = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
		cp_sched s;
		int32_t end;
		long idx;

		if (pa->start == COPLAN_DATE_NONE || pa->status == COPLAN_STATUS_CANCELLED)
			continue;
		if ((rc = prepare(&s, &idx, plan, pa->ref)))
			break;
		if (!s.act[idx].fixed &&
		    list_blockers(&line, &s, (int32_t)idx, (int64_t)pa->start - s.day0, &end) > 0) {
			rc = cp_buf_printf(&b, "  conflict %s is placed on ", pa->ref);
			if (!rc) {
				put_date(&b, pa->start);
				rc = cp_buf_printf(&b, " against its constraints: %s\n", line.data ? line.data : "");
			}
			count++;
		}
		cp_buf_release(&line);
		cp_sched_release(&s);
	}
	/* only recorded facts conflict with each other (two executed activities on one unit) */
	if (!rc && score.hard < 0 && count == 0) {
		count = (size_t)-score.hard;
		rc = cp_buf_printf(&b, "  %zu hard-constraint conflicts between recorded activities\n", count);
	}
	if (rc) {
		cp_buf_release(&b);
		return rc;
	}
	*out = cp_buf_detach(&b, NULL);
	if (!*out)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	*n = count;
	return 0;
}

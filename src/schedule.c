/* SPDX-License-Identifier: Apache-2.0 */
/* schedule.c - the scheduler: construction heuristic and late-acceptance local search. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "coplan/schedule.h"
#include "schedule_int.h"
#include "common.h"

/* A medium-level penalty (one unplaced activity) outweighs any soft total. */
#define CP_BIG ((int64_t)1 << 40)
/* Activities one compound move may touch. */
#define CP_MOVE_MAX 128
/* Length of the late-acceptance history. */
#define CP_LAHC_LEN 400
/* Plans this small get an exhaustive neighbourhood descent at the end. */
#define CP_SMALL_PLAN 40

/* ---- state primitives ---------------------------------------------------- */

static void spread_add(cp_sched *s, int32_t h, int32_t day, int32_t delta)
{
	int32_t pen;

	s->month_count[(size_t)h * s->n_months + s->month_of[day]] += delta;
	s->host_total[h] += delta;
	pen = cp_spread_pen(s, h);
	s->spread_sum += pen - s->host_pen[h];
	s->host_pen[h] = pen;
}

int64_t cp_spread_delta_place(const cp_sched *s, int32_t i, int32_t day)
{
	const cp_act *a = &s->act[i];
	const int32_t *c = s->month_count + (size_t)a->host * s->n_months;
	int32_t m = s->month_of[day], max = 0, mean, pen;

	if (s->w.spread == 0)
		return 0;
	for (int32_t k = 0; k < s->n_months; k++) {
		int32_t v = c[k] + (k == m);

		if (v > max)
			max = v;
	}
	mean = (s->host_total[a->host] + 1 + s->n_months - 1) / s->n_months;
	pen = max > mean ? max - mean : 0;
	return (int64_t)(pen - s->host_pen[a->host]) * s->w.spread;
}

void cp_place(cp_sched *s, int32_t i, int32_t pos)
{
	cp_act *a = &s->act[i];
	int32_t st = a->starts[pos], en = cp_end_of(s, a, st);

	a->pos = pos;
	a->start = st;
	a->end = en;
	for (uint32_t k = 0; k < a->n_units; k++) {
		uint64_t *occ = s->occ[a->units[k]];
		int32_t *own = s->owner[a->units[k]];

		for (int32_t d = st; d <= en; d++) {
			occ[d >> 6] |= 1ULL << (d & 63);
			own[d] = i;
		}
	}
	s->static_sum += a->cost[pos];
	spread_add(s, a->host, st, 1);
	s->n_unplaced--;
}

void cp_remove(cp_sched *s, int32_t i)
{
	cp_act *a = &s->act[i];

	for (uint32_t k = 0; k < a->n_units; k++) {
		uint64_t *occ = s->occ[a->units[k]];
		int32_t *own = s->owner[a->units[k]];

		for (int32_t d = a->start; d <= a->end; d++) {
			occ[d >> 6] &= ~(1ULL << (d & 63));
			own[d] = -1;
		}
	}
	s->static_sum -= a->cost[a->pos];
	spread_add(s, a->host, a->start, -1);
	s->n_unplaced++;
	a->pos = CP_NONE;
	a->start = a->end = CP_NONE;
}

/*
 * 1 if unplaced activity i can start at domain index pos: its units are
 * free over the span and its precedences with placed activities hold.
 * strict: every predecessor must be placed (relaxed inside compound moves,
 * which place the whole set before they finish).
 */
static int fits(const cp_sched *s, int32_t i, int32_t pos, int strict)
{
	const cp_act *a = &s->act[i];
	int32_t st = a->starts[pos], en = cp_end_of(s, a, st);

	for (uint32_t k = 0; k < a->n_units; k++)
		if (cp_bits_any(s->occ[a->units[k]], st, en))
			return 0;
	for (uint32_t k = 0; k < a->n_pred; k++) {
		const cp_edge *e = &s->edge[s->pred_list[a->pred_at + k]];
		const cp_act *b = &s->act[e->before];

		if (b->pos == CP_NONE) {
			if (strict && e->requires)
				return 0;
			continue;
		}
		if (st < b->end + 1 + e->min_gap)
			return 0;
		if (e->max_gap >= 0 && st - b->end - 1 > e->max_gap)
			return 0;
	}
	for (uint32_t k = 0; k < a->n_succ; k++) {
		const cp_edge *e = &s->edge[s->succ_list[a->succ_at + k]];
		const cp_act *q = &s->act[e->after];

		if (q->pos == CP_NONE)
			continue;
		if (q->start < en + 1 + e->min_gap)
			return 0;
		if (e->max_gap >= 0 && q->start - en - 1 > e->max_gap)
			return 0;
	}
	return 1;
}

int cp_fits(const cp_sched *s, int32_t i, int32_t pos)
{
	return fits(s, i, pos, 1);
}

int cp_fits_placed(const cp_sched *s, int32_t i, int32_t pos)
{
	return fits(s, i, pos, 0);
}

static int64_t total_cost(const cp_sched *s)
{
	return s->n_unplaced * CP_BIG + s->static_sum + s->spread_sum * s->w.spread;
}

static void score_of(const cp_sched *s, coplan_score *out)
{
	/* only recorded facts can conflict: the search never breaks a hard constraint */
	out->hard = -(long)s->fixed_conflicts;
	out->medium = -(long)s->n_unplaced;
	out->soft = -(long)(s->static_sum + s->spread_sum * s->w.spread);
}

/* 1 if every predecessor i requires (REQUIRES precedences) is placed. */
static int preds_placed(const cp_sched *s, int32_t i)
{
	const cp_act *a = &s->act[i];

	for (uint32_t k = 0; k < a->n_pred; k++) {
		const cp_edge *e = &s->edge[s->pred_list[a->pred_at + k]];

		if (e->requires && s->act[e->before].pos == CP_NONE)
			return 0;
	}
	return 1;
}

/*
 * The feasible domain index of least cost for unplaced i (ties: earliest),
 * or -1.  guided: starts that leave no room for the successors' windows
 * (after guide_start_max, or ending before guide_end_min) cost extra.
 */
static int32_t best_fit_guided(cp_sched *s, int32_t i, int strict, int guided)
{
	const cp_act *a = &s->act[i];
	int64_t best = INT64_MAX;
	int32_t at = -1;

	for (uint32_t k = 0; k < a->n; k++) {
		int64_t c = a->cost[k];

		if (guided && (a->starts[k] > a->guide_start_max ||
		               cp_end_of(s, a, a->starts[k]) < a->guide_end_min))
			c += CP_BIG / 4;

		if (c >= best)
			continue;
		c += cp_spread_delta_place(s, i, a->starts[k]);
		if (c >= best)
			continue;
		s->evaluations++;
		if (!fits(s, i, (int32_t)k, strict))
			continue;
		best = c;
		at = (int32_t)k;
	}
	return at;
}

static int32_t best_fit(cp_sched *s, int32_t i, int strict)
{
	return best_fit_guided(s, i, strict, 0);
}

/*
 * Guides for construction, from the domains alone: the latest start that
 * still lets every successor start in its domain (backwards over the
 * precedences), and the earliest end that lets a successor with a maximum
 * gap reach its first start.  Errors: COPLAN_ENOMEM (then no schedule at
 * all: one without the guides would differ from the same plan's elsewhere).
 */
static int build_guides(cp_sched *s, const int32_t *topo)
{
	int32_t *lst = malloc((s->n_act + 1) * sizeof(int32_t));

	for (size_t i = 0; i < s->n_act; i++) {
		s->act[i].guide_start_max = INT32_MAX;
		s->act[i].guide_end_min = INT32_MIN;
	}
	if (!lst)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	for (size_t t = s->n_act; t-- > 0;) {
		int32_t i = topo[t];
		cp_act *a = &s->act[i];
		int32_t bound = INT32_MAX;

		lst[i] = a->fixed ? a->start : a->n ? a->starts[a->n - 1] : -1;
		for (uint32_t k = 0; k < a->n_succ; k++) {
			const cp_edge *e = &s->edge[s->succ_list[a->succ_at + k]];
			const cp_act *q = &s->act[e->after];

			if (lst[e->after] >= 0 && lst[e->after] - 1 - e->min_gap < bound)
				bound = lst[e->after] - 1 - e->min_gap;
			if (e->max_gap >= 0 && q->n > 0 && q->starts[0] - 1 - e->max_gap > a->guide_end_min)
				a->guide_end_min = q->starts[0] - 1 - e->max_gap;
		}
		if (bound != INT32_MAX && a->n && !a->fixed) {
			int32_t best = -1;

			for (uint32_t k = 0; k < a->n; k++) {
				if (cp_end_of(s, a, a->starts[k]) <= bound)
					best = a->starts[k];
				else if (a->mode == COPLAN_DAYS_CALENDAR)
					break;
			}
			if (best >= 0) {
				lst[i] = best;
				a->guide_start_max = best;
			}
		}
	}
	free(lst);
	return 0;
}

/* ---- random numbers (splitmix64: deterministic for a seed) ------------------- */

static uint64_t rnd_next(uint64_t *st)
{
	uint64_t z = (*st += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static uint32_t rnd_below(uint64_t *st, uint32_t n)
{
	return n ? (uint32_t)((rnd_next(st) >> 32) * (uint64_t)n >> 32) : 0;
}

/* ---- construction -------------------------------------------------------- */

/* Binary min-heap of activity indices keyed by (domain size, units, index). */
typedef struct {
	int32_t *v;
	size_t n;
	const cp_sched *s;
} heap;

static int heap_less(const heap *h, int32_t x, int32_t y)
{
	const cp_act *a = &h->s->act[x], *b = &h->s->act[y];

	if (a->n != b->n)
		return a->n < b->n;
	if (a->n_units != b->n_units)
		return a->n_units > b->n_units;
	return x < y;
}

static void heap_push(heap *h, int32_t x)
{
	size_t i = h->n++;

	h->v[i] = x;
	while (i > 0 && heap_less(h, h->v[i], h->v[(i - 1) / 2])) {
		int32_t t = h->v[i];

		h->v[i] = h->v[(i - 1) / 2];
		h->v[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static int32_t heap_pop(heap *h)
{
	int32_t top = h->v[0];
	size_t i = 0;

	h->v[0] = h->v[--h->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < h->n && heap_less(h, h->v[l], h->v[m]))
			m = l;
		if (r < h->n && heap_less(h, h->v[r], h->v[m]))
			m = r;
		if (m == i)
			break;
		int32_t t = h->v[i];
		h->v[i] = h->v[m];
		h->v[m] = t;
		i = m;
	}
	return top;
}

/*
 * Pinned activities first (at their start, when it is feasible), then when
 * re-planning every activity whose previous start still holds, then the
 * rest in precedence order, tightest domain first, each at its cheapest
 * feasible start.  Finally no placed activity keeps an unplaced predecessor.
 * *topo receives a topological order of all activities.
 */
static int construct(cp_sched *s, int32_t *topo)
{
	int32_t *indeg = calloc(s->n_act + 1, sizeof(int32_t));
	heap h = { malloc((s->n_act + 1) * sizeof(int32_t)), 0, s };
	size_t nt = 0;
	int rc = 0;

	if (!indeg || !h.v) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	/* a first topological order for the guides (Kahn, by index) */
	for (size_t i = 0; i < s->n_act; i++)
		indeg[i] = (int32_t)s->act[i].n_pred;
	for (size_t i = 0; i < s->n_act; i++)
		if (indeg[i] == 0)
			topo[nt++] = (int32_t)i;
	for (size_t t = 0; t < nt; t++) {
		const cp_act *a = &s->act[topo[t]];

		for (uint32_t k = 0; k < a->n_succ; k++) {
			int32_t q = s->edge[s->succ_list[a->succ_at + k]].after;

			if (--indeg[q] == 0)
				topo[nt++] = q;
		}
	}
	if (nt != s->n_act) {
		rc = cp_error(COPLAN_EINVALID, "precedences form a cycle");
		goto cleanup;
	}
	if ((rc = build_guides(s, topo)))
		goto cleanup;
	nt = 0;
	for (size_t i = 0; i < s->n_act; i++)
		if (s->act[i].pinned && s->act[i].n == 1 && fits(s, (int32_t)i, 0, 0))
			cp_place(s, (int32_t)i, 0);
	if (s->replan) {
		for (size_t i = 0; i < s->n_act; i++) {
			cp_act *a = &s->act[i];
			int32_t k;

			if (a->pos != CP_NONE || a->pinned || a->prev == COPLAN_DATE_NONE)
				continue;
			if ((int64_t)a->prev - s->day0 < 0 || (int64_t)a->prev - s->day0 >= s->ndays)
				continue;
			k = cp_domain_find(a, a->prev - s->day0);
			if (k >= 0 && fits(s, (int32_t)i, k, 0))
				cp_place(s, (int32_t)i, k);
		}
	}
	for (size_t i = 0; i < s->n_act; i++)
		indeg[i] = (int32_t)s->act[i].n_pred;
	for (size_t i = 0; i < s->n_act; i++)
		if (indeg[i] == 0)
			heap_push(&h, (int32_t)i);
	while (h.n) {
		int32_t i = heap_pop(&h);
		cp_act *a = &s->act[i];

		topo[nt++] = i;
		if (a->fixed || a->cancelled) {
			/* kept as recorded; out of the schedule */
		} else if (!preds_placed(s, i)) {
			if (a->pos != CP_NONE)
				cp_remove(s, i);
		} else if (a->pos == CP_NONE && a->n > 0 && !a->pinned) {
			int32_t k = best_fit_guided(s, i, 1, 1);

			if (k >= 0)
				cp_place(s, i, k);
		}
		for (uint32_t k = 0; k < a->n_succ; k++) {
			int32_t q = s->edge[s->succ_list[a->succ_at + k]].after;

			if (--indeg[q] == 0)
				heap_push(&h, q);
		}
	}
	if (nt != s->n_act)
		rc = cp_error(COPLAN_EINVALID, "precedences form a cycle");
cleanup:
	free(indeg);
	free(h.v);
	return rc;
}

/* ---- local search -------------------------------------------------------- */

typedef struct {
	int n;
	int32_t id[CP_MOVE_MAX];
	int32_t old[CP_MOVE_MAX];
} move_log;

static void log_take(cp_sched *s, move_log *log, int32_t i)
{
	log->id[log->n] = i;
	log->old[log->n++] = s->act[i].pos;
	if (s->act[i].pos != CP_NONE)
		cp_remove(s, i);
}

static void log_revert(cp_sched *s, move_log *log)
{
	for (int k = 0; k < log->n; k++)
		if (s->act[log->id[k]].pos != CP_NONE)
			cp_remove(s, log->id[k]);
	for (int k = 0; k < log->n; k++)
		if (log->old[k] != CP_NONE)
			cp_place(s, log->id[k], log->old[k]);
	log->n = 0;
}

/* Remove the n activities ids and place each at pos[k]; 1 on success, else reverted and 0. */
static int assign(cp_sched *s, move_log *log, int n, const int32_t *ids, const int32_t *pos)
{
	log->n = 0;
	for (int k = 0; k < n; k++)
		log_take(s, log, ids[k]);
	s->evaluations++;
	for (int k = 0; k < n; k++) {
		if (!fits(s, ids[k], pos[k], 0)) {
			log_revert(s, log);
			return 0;
		}
		cp_place(s, ids[k], pos[k]);
	}
	return 1;
}

/* First domain index with start >= day (up) or last with start <= day (!up); -1 if none. */
static int32_t domain_near(const cp_act *a, int32_t day, int up)
{
	uint32_t lo = 0, hi = a->n;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (a->starts[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (up)
		return lo < a->n ? (int32_t)lo : -1;
	if (lo < a->n && a->starts[lo] == day)
		return (int32_t)lo;
	return lo > 0 ? (int32_t)lo - 1 : -1;
}

/* 1 if the search may move or remove placed activity a (not pinned, not fixed). */
static int movable(const cp_act *a)
{
	return !a->pinned && !a->fixed && !a->frozen && a->pos >= 0;
}

/* A random placed activity that may move (from s->pick_list when set), or -1 after a few misses. */
static int32_t pick_movable(const cp_sched *s, uint64_t *rng)
{
	for (int t = 0; t < 8; t++) {
		int32_t i = s->pick_list ? s->pick_list[rnd_below(rng, (uint32_t)s->n_pick)]
		                         : (int32_t)rnd_below(rng, (uint32_t)s->n_act);
		const cp_act *a = &s->act[i];

		if (movable(a) && a->n > 1)
			return i;
	}
	return -1;
}

static int move_shift(cp_sched *s, move_log *log, uint64_t *rng)
{
	int32_t i = pick_movable(s, rng), pos;
	const cp_act *a;

	if (i < 0)
		return 0;
	a = &s->act[i];
	if (rnd_below(rng, 2)) {
		pos = (int32_t)rnd_below(rng, a->n);
	} else {
		int32_t step = 1 + (int32_t)rnd_below(rng, 4);

		pos = rnd_below(rng, 2) ? a->pos + step : a->pos - step;
		if (pos < 0 || pos >= (int32_t)a->n)
			return 0;
	}
	if (pos == a->pos)
		return 0;
	return assign(s, log, 1, &i, &pos);
}

static int move_swap(cp_sched *s, move_log *log, uint64_t *rng)
{
	int32_t i = pick_movable(s, rng), j, u, ids[2], pos[2];
	uint32_t cnt;

	if (i < 0 || s->act[i].n_units == 0)
		return 0;
	u = s->act[i].units[rnd_below(rng, s->act[i].n_units)];
	cnt = s->unit_act_at[u + 1] - s->unit_act_at[u];
	j = s->unit_acts[s->unit_act_at[u] + rnd_below(rng, cnt)];
	if (j == i || !movable(&s->act[j]))
		return 0;
	ids[0] = i;
	ids[1] = j;
	pos[0] = domain_near(&s->act[i], s->act[j].start, s->act[j].start > s->act[i].start);
	pos[1] = domain_near(&s->act[j], s->act[i].start, s->act[i].start > s->act[j].start);
	if (pos[0] < 0 || pos[1] < 0)
		return 0;
	return assign(s, log, 2, ids, pos);
}

/* Shift an activity and its placed successors (transitively) by the same number of days. */
static int move_chain(cp_sched *s, move_log *log, uint64_t *rng)
{
	int32_t i = pick_movable(s, rng), ids[CP_MOVE_MAX], pos[CP_MOVE_MAX], delta;
	int n = 0;

	if (i < 0 || (s->act[i].n_succ == 0 && s->act[i].n_pred == 0))
		return 0;
	delta = 1 + (int32_t)rnd_below(rng, 10);
	if (rnd_below(rng, 2))
		delta = -delta;
	ids[n++] = i;
	for (int k = 0; k < n; k++) {
		const cp_act *a = &s->act[ids[k]];

		for (uint32_t e = 0; e < a->n_succ; e++) {
			int32_t q = s->edge[s->succ_list[a->succ_at + e]].after;
			int seen = 0;

			if (s->act[q].pos == CP_NONE)
				continue;
			if (!movable(&s->act[q]))
				return 0;
			for (int m = 0; m < n; m++)
				seen |= ids[m] == q;
			if (seen)
				continue;
			if (n == CP_MOVE_MAX)
				return 0;
			ids[n++] = q;
		}
	}
	for (int k = 0; k < n; k++) {
		const cp_act *a = &s->act[ids[k]];

		pos[k] = domain_near(a, a->start + delta, delta > 0);
		if (pos[k] < 0)
			return 0;
	}
	return assign(s, log, n, ids, pos);
}

/*
 * Place an unplaced activity: at its cheapest free start if there is one,
 * else at a random start after moving the activities in its way elsewhere
 * (each to its cheapest free start); reverted unless all of them fit.
 */
/*
 * Exact re-placement of a precedence tree: the component of the precedence
 * graph around a random placed activity, when it is a tree (as an
 * undirected graph) of at most CP_TREE_MAX placed, movable activities, is
 * taken out and put back at the starts of least static cost together, the
 * rest of the plan fixed: a dynamic programme from the leaves up, each
 * start of an activity costing its static cost (infinite where it does not
 * fit the units and blackouts left) plus, for each child, the least cost of
 * the child's subtree over the child's starts that keep the precedence's
 * gaps with this start.  A precedence orders its two activities in time,
 * so they cannot meet on a unit; two children of one activity can, so the
 * result is placed through fits() and the move undone if they meet.
 * Spread is left to the acceptance.  Returns the
 * number of activities moved (the move is logged), 0 when there is no such
 * tree or nothing fits.
 */
#ifndef CP_TREE_FROM
#define CP_TREE_FROM 31            /* the small moves' share: (32 - this) in 32, once no move placed one more for a while */
#endif
#ifndef CP_TREE_MAX
#define CP_TREE_MAX 48
#endif
#define CP_TREE_INF (INT64_MAX / 4)

typedef struct {
	int32_t node[CP_TREE_MAX];   /* activities, breadth first from the root */
	int32_t parent[CP_TREE_MAX]; /* index into node[], -1 for the root */
	int32_t edge[CP_TREE_MAX];   /* the precedence to the parent */
	int n;
	int64_t *val[CP_TREE_MAX];   /* per start: the least cost of the subtree below with that start */
	int32_t *end[CP_TREE_MAX];   /* per start: its end */
	int32_t pick[CP_TREE_MAX];   /* the chosen domain index */
} cp_tree;

/* The domain range [*lo, *hi] of child c (index in t) whose starts keep edge e with parent p at index k. */
static void tree_range(const cp_sched *s, const cp_tree *t, int c, int p, int32_t k, int32_t *lo, int32_t *hi)
{
	const cp_edge *e = &s->edge[t->edge[c]];
	const cp_act *ca = &s->act[t->node[c]], *pa = &s->act[t->node[p]];
	int32_t n = (int32_t)ca->n, a = 0, b = n;

	if (e->before == t->node[p]) {
		/* the child follows: its start within [end + 1 + min_gap, end + 1 + max_gap] */
		int32_t from = t->end[p][k] + 1 + e->min_gap;
		int32_t to = e->max_gap >= 0 ? t->end[p][k] + 1 + e->max_gap : INT32_MAX;

		while (a < b) {
			int32_t m = a + (b - a) / 2;
			if (ca->starts[m] < from) a = m + 1; else b = m;
		}
		*lo = a;
		b = n;
		while (a < b) {
			int32_t m = a + (b - a) / 2;
			if (ca->starts[m] <= to) a = m + 1; else b = m;
		}
		*hi = a - 1;
	} else {
		/* the child comes first: its end within [start - 1 - max_gap, start - 1 - min_gap] (ends ascend with starts) */
		int32_t to = pa->starts[k] - 1 - e->min_gap;
		int32_t from = e->max_gap >= 0 ? pa->starts[k] - 1 - e->max_gap : INT32_MIN;

		while (a < b) {
			int32_t m = a + (b - a) / 2;
			if (t->end[c][m] < from) a = m + 1; else b = m;
		}
		*lo = a;
		b = n;
		while (a < b) {
			int32_t m = a + (b - a) / 2;
			if (t->end[c][m] <= to) a = m + 1; else b = m;
		}
		*hi = a - 1;
	}
}

/* The index of the least val[c] in [lo, hi], or -1 when the range is empty or holds only infinite costs. */
static int32_t tree_best(const cp_tree *t, int c, int32_t lo, int32_t hi)
{
	int32_t at = -1;

	for (int32_t m = lo; m <= hi; m++)
		if (t->val[c][m] < CP_TREE_INF && (at < 0 || t->val[c][m] < t->val[c][at]))
			at = m;
	return at;
}

/*
 * val and end: scratch of CP_TREE_MAX * stride entries (stride: the largest
 * domain), node q's at q * stride; the move allocates nothing.
 */
static int move_tree(cp_sched *s, move_log *log, uint64_t *rng, int64_t *val, int32_t *end, size_t stride)
{
	cp_tree t;
	int32_t root = -1;
	int incid = 0;

	for (int k = 0; k < 8 && root < 0; k++) {
		int32_t i = pick_movable(s, rng);

		if (i >= 0 && s->act[i].n_pred + s->act[i].n_succ > 0)
			root = i;
	}
	if (root < 0)
		return 0;
	t.n = 0;
	t.node[t.n] = root;
	t.parent[t.n] = -1;
	t.edge[t.n++] = -1;
	for (int q = 0; q < t.n; q++) {
		const cp_act *a = &s->act[t.node[q]];

		if (!movable(a))
			return 0;
		for (uint32_t k = 0; k < a->n_pred + a->n_succ; k++) {
			uint32_t ei = k < a->n_pred ? s->pred_list[a->pred_at + k] : s->succ_list[a->succ_at + k - a->n_pred];
			const cp_edge *e = &s->edge[ei];
			int32_t o = e->before == t.node[q] ? e->after : e->before;
			int seen = 0;

			incid++;
			if ((int)ei == t.edge[q])
				continue;
			for (int m = 0; m < t.n && !seen; m++)
				seen = t.node[m] == o;
			if (seen)
				return 0;  /* a second way to o: not a tree */
			if (t.n >= CP_TREE_MAX)
				return 0;
			t.node[t.n] = o;
			t.parent[t.n] = q;
			t.edge[t.n++] = (int32_t)ei;
		}
	}
	if (incid != 2 * (t.n - 1))
		return 0;
	for (int q = 0; q < t.n; q++) {
		t.val[q] = val + (size_t)q * stride;
		t.end[q] = end + (size_t)q * stride;
	}
	log->n = 0;
	for (int q = 0; q < t.n; q++)
		log_take(s, log, t.node[q]);
	s->evaluations++;
	for (int q = 0; q < t.n; q++) {
		const cp_act *a = &s->act[t.node[q]];

		for (uint32_t k = 0; k < a->n; k++) {
			t.end[q][k] = cp_end_of(s, a, a->starts[k]);
			t.val[q][k] = fits(s, t.node[q], (int32_t)k, 0) ? a->cost[k] : CP_TREE_INF;
		}
	}
	/* leaves first: breadth-first order backwards */
	for (int q = t.n - 1; q > 0; q--) {
		int p = t.parent[q];
		const cp_act *pa = &s->act[t.node[p]];

		for (uint32_t k = 0; k < pa->n; k++) {
			int32_t lo, hi, at;

			if (t.val[p][k] >= CP_TREE_INF)
				continue;
			tree_range(s, &t, q, p, (int32_t)k, &lo, &hi);
			at = tree_best(&t, q, lo, hi);
			t.val[p][k] = at < 0 ? CP_TREE_INF : t.val[p][k] + t.val[q][at];
		}
	}
	t.pick[0] = tree_best(&t, 0, 0, (int32_t)s->act[root].n - 1);
	if (t.pick[0] < 0) {
		log_revert(s, log);
		return 0;
	}
	for (int q = 1; q < t.n; q++) {
		int32_t lo, hi;

		tree_range(s, &t, q, t.parent[q], t.pick[t.parent[q]], &lo, &hi);
		t.pick[q] = tree_best(&t, q, lo, hi);
	}
	/* two children of one activity are not ordered by a precedence: they may still meet on a unit */
	for (int q = 0; q < t.n; q++) {
		if (!fits(s, t.node[q], t.pick[q], 0)) {
			log_revert(s, log);
			return 0;
		}
		cp_place(s, t.node[q], t.pick[q]);
	}
	return t.n;
}

static int move_insert(cp_sched *s, const unsigned char *dead, move_log *log, uint64_t *rng)
{
	int32_t i = -1, k, st, en;
	const cp_act *a;

	for (int t = 0; t < 16 && i < 0; t++) {
		int32_t c = (int32_t)rnd_below(rng, (uint32_t)s->n_act);

		if (s->act[c].pos == CP_NONE && !dead[c] && preds_placed(s, c))
			i = c;
	}
	if (i < 0)
		return 0;
	a = &s->act[i];
	log->n = 0;
	k = best_fit(s, i, 1);
	if (k >= 0) {
		log->id[0] = i;
		log->old[0] = CP_NONE;
		log->n = 1;
		cp_place(s, i, k);
		return 1;
	}
	k = (int32_t)rnd_below(rng, a->n);
	st = a->starts[k];
	en = cp_end_of(s, a, st);
	/* in the way: every owner of a day of the span on one of its units */
	for (uint32_t u = 0; u < a->n_units; u++) {
		const int32_t *own = s->owner[a->units[u]];

		for (int32_t d = st; d <= en; d++) {
			int32_t o = own[d], seen = 0;

			if (o < 0)
				continue;
			if (!movable(&s->act[o]) || log->n >= CP_MOVE_MAX - 1) {
				log_revert(s, log);
				return 0;
			}
			for (int m = 0; m < log->n; m++)
				seen |= log->id[m] == o;
			if (!seen)
				log_take(s, log, o);
		}
	}
	if (log->n == 0 || !fits(s, i, k, 1)) {
		log_revert(s, log);
		return 0;
	}
	log->id[log->n] = i;
	log->old[log->n++] = CP_NONE;
	cp_place(s, i, k);
	for (int m = 0; m < log->n - 1; m++) {
		int32_t o = log->id[m], p = best_fit(s, o, 0);

		if (p < 0) {
			log_revert(s, log);
			return 0;
		}
		cp_place(s, o, p);
	}
	return 1;
}

/*
 * 1 if a placed activity has an unplaced predecessor (never, if the moves
 * are right; a fixed one is a fact and may).
 */
static int invariant_broken(const cp_sched *s)
{
	for (size_t i = 0; i < s->n_act; i++)
		if (s->act[i].pos != CP_NONE && !s->act[i].fixed && !preds_placed(s, (int32_t)i))
			return 1;
	return 0;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * dead[i] = 1 for each activity no schedule can place: an empty domain, a
 * required predecessor that is dead, or no start left once every required
 * predecessor is at its earliest (min gaps) and its latest (max gaps),
 * forwards in topological order from the domains alone.
 */
static void find_dead(const cp_sched *s, const int32_t *topo, unsigned char *dead, int32_t *eend, int32_t *lend)
{
	for (size_t t = 0; t < s->n_act; t++) {
		int32_t i = topo[t], est = 0, lst = INT32_MAX, k;
		const cp_act *a = &s->act[i];

		dead[i] = 0;
		if (a->fixed || a->cancelled) {
			eend[i] = lend[i] = a->end;
			continue;
		}
		dead[i] = a->n == 0;
		for (uint32_t p = 0; p < a->n_pred && !dead[i]; p++) {
			const cp_edge *e = &s->edge[s->pred_list[a->pred_at + p]];

			if (!e->requires || s->act[e->before].cancelled)
				continue;
			if (dead[e->before]) {
				dead[i] = 1;
				break;
			}
			if (eend[e->before] + 1 + e->min_gap > est)
				est = eend[e->before] + 1 + e->min_gap;
			if (e->max_gap >= 0 && lend[e->before] + 1 + e->max_gap < lst)
				lst = lend[e->before] + 1 + e->max_gap;
		}
		if (dead[i])
			continue;
		k = domain_near(a, est, 1);
		if (k < 0 || a->starts[k] > lst) {
			dead[i] = 1;
			continue;
		}
		eend[i] = cp_end_of(s, a, a->starts[k]);
		k = lst == INT32_MAX ? (int32_t)a->n - 1 : domain_near(a, lst, 0);
		lend[i] = cp_end_of(s, a, a->starts[k]);
	}
}

/* The lowest cost any schedule can have: activities that cannot be placed, each other's cheapest start. */
static int64_t lower_bound(const cp_sched *s, const unsigned char *dead)
{
	int64_t lb = 0;

	for (size_t i = 0; i < s->n_act; i++) {
		const cp_act *a = &s->act[i];

		if (a->fixed || a->cancelled)
			continue;  /* placed for good, or out of the schedule: cost nothing */
		lb += dead[i] ? CP_BIG : a->min_cost;
	}
	return lb;
}

/* Exhaustive descent: every single move, every insertion, every swap, until none improves. */
static int descend(cp_sched *s, move_log *log)
{
	int any = 0, improved = 1;

	while (improved) {
		improved = 0;
		for (size_t i = 0; i < s->n_act; i++) {
			cp_act *a = &s->act[i];
			int32_t id = (int32_t)i;

			if (a->pinned || a->frozen || a->n == 0)
				continue;
			if (a->pos == CP_NONE) {
				int32_t k;

				if (!preds_placed(s, id) || (k = best_fit(s, id, 1)) < 0)
					continue;
				cp_place(s, id, k);
				improved = any = 1;
				continue;
			}
			for (uint32_t k = 0; k < a->n; k++) {
				int64_t before = total_cost(s);
				int32_t p = (int32_t)k;

				if (p == a->pos || !assign(s, log, 1, &id, &p))
					continue;
				if (total_cost(s) < before)
					improved = any = 1;
				else
					log_revert(s, log);
			}
		}
		for (size_t i = 0; i < s->n_act; i++) {
			for (size_t j = i + 1; j < s->n_act; j++) {
				cp_act *a = &s->act[i], *b = &s->act[j];
				int32_t ids[2] = { (int32_t)i, (int32_t)j }, pos[2];
				int64_t before = total_cost(s);

				if (!movable(a) || !movable(b))
					continue;
				pos[0] = domain_near(a, b->start, b->start > a->start);
				pos[1] = domain_near(b, a->start, a->start > b->start);
				if (pos[0] < 0 || pos[1] < 0 || !assign(s, log, 2, ids, pos))
					continue;
				if (total_cost(s) < before)
					improved = any = 1;
				else
					log_revert(s, log);
			}
		}
	}
	return any;
}

/* Fixed activities (CP_OFF_DOMAIN) are in every state: snapshot and restore leave them be. */
static void snapshot(const cp_sched *s, int32_t *best, const move_log *undo)
{
	for (size_t i = 0; i < s->n_act; i++)
		best[i] = s->act[i].pos;
	if (undo)
		for (int k = 0; k < undo->n; k++)
			best[undo->id[k]] = undo->old[k];
}

static void restore(cp_sched *s, const int32_t *best)
{
	for (size_t i = 0; i < s->n_act; i++)
		if (s->act[i].pos >= 0)
			cp_remove(s, (int32_t)i);
	for (size_t i = 0; i < s->n_act; i++)
		if (best[i] >= 0)
			cp_place(s, (int32_t)i, best[i]);
}

/* ---- large-neighbourhood search: ruin and recreate -------------------------- */

/*
 * What the ruin-and-recreate moves keep for one run: each activity's domain
 * indices ordered by static cost (so that a best insertion can stop early),
 * the activities of each host, and scratch space.  Allocated per run: the
 * library keeps no state between calls.
 */
typedef struct {
	int32_t *order;            /* per activity, its domain indices by cost, then start */
	size_t *order_at;          /* activity i's are order[order_at[i] .. + n) */
	int32_t *host_acts;        /* activities grouped by host */
	uint32_t *host_at;
	int32_t *dist;             /* scratch: candidates' distances, n_act */
	int32_t *cand;             /* scratch: candidates, n_act */
	unsigned char *dead;       /* find_dead(): activities no schedule can place */
	int64_t n_dead;            /* how many (always unplaced) */
	int64_t *tree_val;         /* move_tree()'s scratch: CP_TREE_MAX * tree_stride each */
	int32_t *tree_end;
	size_t tree_stride;        /* the largest domain */
} lns_ctx;

static void lns_release(lns_ctx *L)
{
	free(L->order);
	free(L->order_at);
	free(L->host_acts);
	free(L->host_at);
	free(L->dist);
	free(L->cand);
	free(L->dead);
	free(L->tree_val);
	free(L->tree_end);
	memset(L, 0, sizeof(*L));
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

static int lns_init(lns_ctx *L, const cp_sched *s, const int32_t *topo)
{
	size_t total = 0, maxn = 1;
	uint64_t *keys = NULL;
	uint32_t *fill = NULL;

	memset(L, 0, sizeof(*L));
	for (size_t i = 0; i < s->n_act; i++) {
		total += s->act[i].n;
		if (s->act[i].n > maxn)
			maxn = s->act[i].n;
	}
	L->order = malloc((total + 1) * sizeof(int32_t));
	L->order_at = malloc((s->n_act + 1) * sizeof(size_t));
	L->host_acts = malloc((s->n_act + 1) * sizeof(int32_t));
	L->host_at = calloc(s->n_hosts + 2, sizeof(uint32_t));
	L->dist = malloc((s->n_act + 1) * sizeof(int32_t));
	L->cand = malloc((s->n_act + 1) * sizeof(int32_t));
	L->dead = malloc(s->n_act + 1);
	L->tree_stride = maxn;
	L->tree_val = malloc(CP_TREE_MAX * maxn * sizeof(int64_t));
	L->tree_end = malloc(CP_TREE_MAX * maxn * sizeof(int32_t));
	keys = malloc(maxn * sizeof(uint64_t));
	fill = malloc((s->n_hosts + 1) * sizeof(uint32_t));
	if (!L->order || !L->order_at || !L->host_acts || !L->host_at || !L->dist || !L->cand || !L->dead ||
	    !L->tree_val || !L->tree_end || !keys || !fill) {
		free(keys);
		free(fill);
		lns_release(L);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	total = 0;
	for (size_t i = 0; i < s->n_act; i++) {
		const cp_act *a = &s->act[i];

		L->order_at[i] = total;
		/* costs are >= 0 and capped (cp_static_cost): (cost, index) as one sortable key */
		for (uint32_t k = 0; k < a->n; k++)
			keys[k] = ((uint64_t)(uint32_t)a->cost[k] << 32) | k;
		qsort(keys, a->n, sizeof(uint64_t), cmp_u64);
		for (uint32_t k = 0; k < a->n; k++)
			L->order[total + k] = (int32_t)(keys[k] & 0xffffffffu);
		total += a->n;
	}
	for (size_t i = 0; i < s->n_act; i++)
		L->host_at[s->act[i].host + 1]++;
	for (size_t h = 0; h < s->n_hosts; h++)
		L->host_at[h + 1] += L->host_at[h];
	memcpy(fill, L->host_at, s->n_hosts * sizeof(uint32_t));
	for (size_t i = 0; i < s->n_act; i++)
		L->host_acts[fill[s->act[i].host]++] = (int32_t)i;
	find_dead(s, topo, L->dead, L->dist, L->cand);  /* dist and cand as scratch */
	for (size_t i = 0; i < s->n_act; i++)
		L->n_dead += L->dead[i];
	free(keys);
	free(fill);
	return 0;
}

/* How many domain entries past the first feasible one a best insertion looks for a second. */
#define CP_SECOND_SCAN 48

/*
 * The best feasible start of unplaced i (static cost plus spread change,
 * domain order by cost, so it stops as soon as no cheaper start can come)
 * in *pos (-1: none) and its cost in *best; *regret: how much more the
 * next best start not overlapping the best one costs (large when there is
 * none nearby, so that the most constrained activities go first).
 */
static void best_insert(cp_sched *s, const lns_ctx *L, int32_t i, int32_t dl, int32_t em, int32_t *pos,
                        int64_t *best, int64_t *regret)
{
	const cp_act *a = &s->act[i];
	const int32_t *ord = L->order + L->order_at[i];
	int64_t b = INT64_MAX, second = INT64_MAX, w = s->w.spread, last = 0;
	int32_t at = -1, bst = 0, ben = -1, after = 0;

	for (uint32_t m = 0; m < a->n; m++) {
		int32_t k = ord[m];
		int64_t c = a->cost[k];

		if (a->starts[k] > dl || (em > INT32_MIN && cp_end_of(s, a, a->starts[k]) < em))
			continue;
		last = c;
		if (c - w >= second || (at >= 0 && ++after > CP_SECOND_SCAN))
			break;
		c += cp_spread_delta_place(s, i, a->starts[k]);
		if (c >= second)
			continue;
		s->evaluations++;
		if (!fits(s, i, k, 1))
			continue;
		if (c < b) {
			int32_t st = a->starts[k], en = cp_end_of(s, a, st);

			if (at >= 0 && (en < bst || st > ben))
				second = b;
			b = c;
			at = k;
			bst = st;
			ben = en;
		} else if (a->starts[k] > ben || cp_end_of(s, a, a->starts[k]) < bst) {
			second = c;
		}
	}
	*pos = at;
	*best = b;
	if (second == INT64_MAX)
		second = last + 1000 + (int64_t)w;
	*regret = at >= 0 ? second - b : 0;
}

/* 1 if every predecessor of i is placed. */
static int preds_placed(const cp_sched *s, int32_t i);

/*
 * Take i and (transitively) its placed successors out, logging them; 0 if
 * that would take out a pinned activity or overflow the log.
 */
static int take_tree(cp_sched *s, move_log *log, int32_t i)
{
	const cp_act *a = &s->act[i];

	for (int m = 0; m < log->n; m++)
		if (log->id[m] == i)
			return 1;
	if (a->pos == CP_NONE)
		return 1;
	if (!movable(a) || log->n >= CP_MOVE_MAX)
		return 0;
	log_take(s, log, i);
	for (uint32_t k = 0; k < a->n_succ; k++) {
		const cp_edge *e = &s->edge[s->succ_list[a->succ_at + k]];
		int32_t q = e->after;

		if (s->act[q].fixed || !e->requires)
			continue;
		if (!take_tree(s, log, q))
			return 0;
	}
	return 1;
}

/* Add unplaced i to the set to re-create (logged as unplaced); 0 if the log is full. */
static int add_unplaced(move_log *log, int32_t i)
{
	for (int m = 0; m < log->n; m++)
		if (log->id[m] == i)
			return 1;
	if (log->n >= CP_MOVE_MAX)
		return 0;
	log->id[log->n] = i;
	log->old[log->n++] = CP_NONE;
	return 1;
}

/* The last domain index of a whose end is on or before day end, or -1 (ends grow with starts). */
static int32_t last_ending_by(const cp_sched *s, const cp_act *a, int32_t end)
{
	uint32_t lo = 0, hi = a->n;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (cp_end_of(s, a, a->starts[mid]) <= end)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int32_t)lo - 1;
}

/* Index of activity i among the n ids, or -1. */
static int index_of(const int32_t *ids, int n, int32_t i)
{
	for (int x = 0; x < n; x++)
		if (ids[x] == i)
			return x;
	return -1;
}

/*
 * Bounds for re-creating the n unplaced activities ids, to a fixed point:
 * dl[m], the latest start of ids[m] (its domain's last start; within the
 * maximum gap after a predecessor, placed or of the set at its own latest;
 * early enough to leave every successor room, a placed one at its start,
 * one of the set at its own latest), and em[m], the earliest end that
 * keeps a successor with a maximum gap within reach of its first start.
 * INT32_MAX / INT32_MIN: no bound.  A predecessor placed after dl leaves
 * its successor no start at all, so keeping to the bounds costs nothing
 * but soft cost.
 */
static void chain_bounds(const cp_sched *s, const unsigned char *dead, const int32_t *ids, int n, int32_t *dl,
                         int32_t *em)
{
	for (int m = 0; m < n; m++) {
		const cp_act *a = &s->act[ids[m]];

		dl[m] = a->n && !dead[ids[m]] ? a->starts[a->n - 1] : INT32_MAX;
		em[m] = INT32_MIN;
	}
	for (int pass = 0, changed = 1; changed && pass <= n; pass++) {
		changed = 0;
		for (int m = 0; m < n; m++) {
			const cp_act *a = &s->act[ids[m]];
			int32_t at;

			if (a->n == 0 || dead[ids[m]])
				continue;
			for (uint32_t k = 0; k < a->n_pred; k++) {
				const cp_edge *e = &s->edge[s->pred_list[a->pred_at + k]];
				const cp_act *b = &s->act[e->before];
				int32_t bend, j;

				if (e->max_gap < 0)
					continue;
				if (b->pos != CP_NONE)
					bend = b->end;
				else if ((j = index_of(ids, n, e->before)) >= 0 && b->n > 0 && !dead[e->before])
					bend = cp_end_of(s, b, dl[j] < b->starts[b->n - 1] ? dl[j] : b->starts[b->n - 1]);
				else
					continue;
				if (bend + 1 + e->max_gap < dl[m]) {
					dl[m] = bend + 1 + e->max_gap;
					changed = 1;
				}
			}
			for (uint32_t k = 0; k < a->n_succ; k++) {
				const cp_edge *e = &s->edge[s->succ_list[a->succ_at + k]];
				const cp_act *q = &s->act[e->after];
				int32_t qs, qf, j;

				if (q->pos != CP_NONE) {
					qs = qf = q->start;
				} else {
					if ((j = index_of(ids, n, e->after)) < 0 || q->n == 0 || dead[e->after])
						continue;
					qs = dl[j];
					qf = q->starts[0];
				}
				at = last_ending_by(s, a, qs - 1 - e->min_gap);
				if (at >= 0 && a->starts[at] < dl[m]) {
					dl[m] = a->starts[at];
					changed = 1;
				}
				if (e->max_gap >= 0 && qf - 1 - e->max_gap > em[m]) {
					em[m] = qf - 1 - e->max_gap;
					changed = 1;
				}
			}
		}
	}
}

/*
 * Recreate: insert the logged activities that are unplaced, the one with
 * the largest regret first (or, when greedy, in a random order at their
 * best start), each only when its predecessors are placed, and within its
 * chain_bounds() when it can.
 */
static void recreate(cp_sched *s, const lns_ctx *L, move_log *log, uint64_t *rng, int greedy, int bounded)
{
	int32_t left[CP_MOVE_MAX], pos[CP_MOVE_MAX], dl[CP_MOVE_MAX], em[CP_MOVE_MAX];
	int64_t bc[CP_MOVE_MAX], rg[CP_MOVE_MAX];
	int nl = 0;

	for (int m = 0; m < log->n; m++)
		if (s->act[log->id[m]].pos == CP_NONE && s->act[log->id[m]].n > 0)
			left[nl++] = log->id[m];
	if (nl == 0)
		return;
	if (greedy) {
		for (int m = nl - 1; m > 0; m--) {
			int r = (int)rnd_below(rng, (uint32_t)m + 1);
			int32_t t = left[m];

			left[m] = left[r];
			left[r] = t;
		}
	}
	if (bounded) {
		chain_bounds(s, L->dead, left, nl, dl, em);
	} else {
		for (int m = 0; m < nl; m++) {
			dl[m] = INT32_MAX;
			em[m] = INT32_MIN;
		}
	}
	while (nl > 0) {
		int pick = -1;

		for (int m = 0; m < nl; m++) {
			if (!preds_placed(s, left[m])) {
				pos[m] = -1;
				continue;
			}
			best_insert(s, L, left[m], dl[m], em[m], &pos[m], &bc[m], &rg[m]);
			if (pos[m] < 0 && (dl[m] < s->act[left[m]].starts[s->act[left[m]].n - 1] || em[m] != INT32_MIN))
				best_insert(s, L, left[m], INT32_MAX, INT32_MIN, &pos[m], &bc[m], &rg[m]);
			if (pos[m] < 0)
				continue;
			if (greedy) {
				pick = m;
				break;
			}
			if (pick < 0 || rg[m] > rg[pick] || (rg[m] == rg[pick] && bc[m] < bc[pick]))
				pick = m;
		}
		if (pick < 0)
			break;
		cp_place(s, left[pick], pos[pick]);
		nl--;
		left[pick] = left[nl];
		dl[pick] = dl[nl];
		em[pick] = em[nl];
	}
}

/* Sort the first n candidates by dist (insertion sort: n is small or nearly sorted). */
static void sort_by_dist(int32_t *cand, int32_t *dist, uint32_t n)
{
	for (uint32_t a = 1; a < n; a++) {
		int32_t c = cand[a], d = dist[a];
		uint32_t b = a;

		while (b > 0 && dist[b - 1] > d) {
			cand[b] = cand[b - 1];
			dist[b] = dist[b - 1];
			b--;
		}
		cand[b] = c;
		dist[b] = d;
	}
}

/*
 * After a ruin: each activity taken out that has no free start within its
 * chain_bounds() (while its successors are out) gets room at the start
 * within them, of a few tried, with the fewest busy unit-days: the owners
 * of those days are taken out as well.  0 if the log is full.
 */
static int make_room_bounded(cp_sched *s, const lns_ctx *L, move_log *log, uint64_t *rng)
{
	int32_t ids[CP_MOVE_MAX], dl[CP_MOVE_MAX], em[CP_MOVE_MAX];
	int n = 0, n0;

	for (int m = 0; m < log->n; m++)
		if (s->act[log->id[m]].pos == CP_NONE && s->act[log->id[m]].n > 0)
			ids[n++] = log->id[m];
	if (n == 0)
		return 1;
	chain_bounds(s, L->dead, ids, n, dl, em);
	n0 = n;
	for (int m = 0; m < n0; m++) {
		const cp_act *a = &s->act[ids[m]];
		int32_t hi = domain_near(a, dl[m], 0), lo = 0, st = -1, fewest = INT32_MAX, free_start = 0;

		if (hi < 0 || L->dead[ids[m]] || (hi == (int32_t)a->n - 1 && em[m] == INT32_MIN))
			continue;  /* no bound, or none that can hold */
		while (lo <= hi && cp_end_of(s, a, a->starts[lo]) < em[m])
			lo++;
		if (lo > hi)
			continue;
		for (int32_t k = lo; k <= hi && !free_start; k++)
			free_start = fits(s, ids[m], k, 0);
		if (free_start)
			continue;
		for (int t = 0; t < 6; t++) {
			int32_t d = a->starts[lo + (int32_t)rnd_below(rng, (uint32_t)(hi - lo + 1))];
			int32_t e = cp_end_of(s, a, d), busy = 0;

			for (uint32_t u = 0; u < a->n_units; u++)
				for (int32_t x = d; x <= e; x++)
					busy += s->owner[a->units[u]][x] >= 0;
			if (busy < fewest) {
				fewest = busy;
				st = d;
			}
		}
		for (uint32_t u = 0; u < a->n_units && fewest > 0; u++)
			for (int32_t x = st; x <= cp_end_of(s, a, st); x++) {
				int32_t o = s->owner[a->units[u]][x];

				if (o >= 0 && movable(&s->act[o]) && !take_tree(s, log, o))
					return 0;
			}
	}
	return 1;
}

/*
 * Ruin for an unplaced activity held back by its predecessors: from a
 * random unplaced activity up through its unplaced predecessors to one
 * whose predecessors are placed (the root x of what is missing), take out
 * every placed ancestor of x (breadth first, at most kmax, each with its
 * placed successors) and add x and its unplaced successors, so that the
 * recreate (with chain_bounds()) places the chain early enough for x.
 * 0 if there is nothing to do or the log is full (the caller reverts).
 */
static int ruin_chain(cp_sched *s, const lns_ctx *L, move_log *log, uint64_t *rng, int kmax)
{
	int32_t x = -1;
	uint32_t n = 0;
	int minimal;

	for (int t = 0; t < 16 && x < 0; t++) {
		int32_t c = (int32_t)rnd_below(rng, (uint32_t)s->n_act);

		if (s->act[c].pos == CP_NONE && !L->dead[c] && !s->act[c].fixed && !s->act[c].cancelled &&
		    !s->act[c].pinned && s->act[c].n_pred > 0)
			x = c;
	}
	if (x < 0)
		return 0;
	for (int up = 1; up;) {
		const cp_act *a = &s->act[x];

		up = 0;
		for (uint32_t k = 0; k < a->n_pred && !up; k++) {
			const cp_edge *e = &s->edge[s->pred_list[a->pred_at + k]];
			const cp_act *b = &s->act[e->before];

			if (e->requires && b->pos == CP_NONE && !L->dead[e->before] && !b->pinned) {
				x = e->before;
				up = 1;
			}
		}
	}
	/*
	 * the placed ancestors of x, breadth first: all of them, or (one time
	 * in two) only those that start too late for x's last start, each
	 * with the latest start it needs (dist) for the next one up
	 */
	minimal = (int)rnd_below(rng, 2);
	L->cand[n] = x;
	L->dist[n++] = s->act[x].starts[s->act[x].n - 1];
	for (uint32_t q = 0; q < n && (int)n < kmax + 1; q++) {
		const cp_act *a = &s->act[L->cand[q]];

		for (uint32_t k = 0; k < a->n_pred && (int)n < kmax + 1; k++) {
			const cp_edge *e = &s->edge[s->pred_list[a->pred_at + k]];
			int32_t o = e->before, need = 0;
			int seen = 0;

			if (!movable(&s->act[o]))
				continue;
			if (minimal) {
				int32_t at = last_ending_by(s, &s->act[o], L->dist[q] - 1 - e->min_gap);

				if (at < 0 || s->act[o].start <= s->act[o].starts[at])
					continue;  /* no start is early enough, or it is early enough already */
				need = s->act[o].starts[at];
			}
			for (uint32_t m = 0; m < n; m++)
				seen |= L->cand[m] == o;
			if (!seen) {
				L->cand[n] = o;
				L->dist[n++] = need;
			}
		}
	}
	if (n < 2)
		return 0;
	for (uint32_t j = 1; j < n; j++)
		if (!take_tree(s, log, L->cand[j]))
			return 0;
	/* x and its unplaced successors (breadth first over the log) */
	if (!add_unplaced(log, x))
		return 0;
	for (int m = 0; m < log->n; m++) {
		const cp_act *a = &s->act[log->id[m]];

		if (a->pos != CP_NONE)
			continue;
		for (uint32_t k = 0; k < a->n_succ; k++) {
			int32_t q = s->edge[s->succ_list[a->succ_at + k]].after;
			const cp_act *b = &s->act[q];

			if (b->pos == CP_NONE && b->n > 0 && !b->pinned && !b->fixed && !b->cancelled &&
			    !add_unplaced(log, q))
				return 0;
		}
	}
	return make_room_bounded(s, L, log, rng);
}

/*
 * One ruin and recreate.  Ruin one of: the k activities of a unit nearest
 * to a day (with the unit's unplaced ones), the k activities of a host
 * nearest to a day (the spread), a component of the precedence graph, or
 * the room for an unplaced activity (the owners of its units over one of
 * its starts, and their neighbours on those units).  Taking an activity
 * takes its placed successors.  Then recreate (regret or random greedy).
 * Returns the number of activities ruined (0: no move, state unchanged).
 */
static int move_lns(cp_sched *s, const lns_ctx *L, move_log *log, uint64_t *rng, int kmax)
{
	int32_t seed = -1, day;
	uint32_t kind = rnd_below(rng, 8), n = 0;
	int k = 2 + (int)rnd_below(rng, (uint32_t)(kmax > 2 ? kmax - 1 : 1)), ruined;

	log->n = 0;
	if (kind == 1 && s->n_unplaced > L->n_dead) {
		if (!ruin_chain(s, L, log, rng, 2 * k))
			goto undo;
	} else if (kind == 0 && s->n_unplaced > L->n_dead) {
		/* make room for an unplaced activity */
		for (int t = 0; t < 16 && seed < 0; t++) {
			int32_t c = (int32_t)rnd_below(rng, (uint32_t)s->n_act);

			if (s->act[c].pos == CP_NONE && !L->dead[c] && !s->act[c].fixed &&
			    !s->act[c].cancelled && preds_placed(s, c))
				seed = c;
		}
		if (seed < 0)
			return 0;
		{
			const cp_act *a = &s->act[seed];
			int32_t st = -1, en, fewest = INT32_MAX;

			/* of a few random starts, the one with the fewest unit-days in the way */
			for (int t = 0; t < 6; t++) {
				int32_t d = a->starts[rnd_below(rng, a->n)], e = cp_end_of(s, a, d), busy = 0;

				for (uint32_t u = 0; u < a->n_units; u++)
					for (int32_t x = d; x <= e; x++)
						busy += s->owner[a->units[u]][x] >= 0;
				if (busy < fewest) {
					fewest = busy;
					st = d;
				}
			}
			en = cp_end_of(s, a, st);

			add_unplaced(log, seed);
			for (uint32_t u = 0; u < a->n_units; u++) {
				uint32_t at = s->unit_act_at[a->units[u]], cnt = s->unit_act_at[a->units[u] + 1] - at;

				n = 0;
				for (uint32_t j = 0; j < cnt; j++) {
					int32_t o = s->unit_acts[at + j];
					const cp_act *b = &s->act[o];

					if (b->pos == CP_NONE || !movable(b))
						continue;
					L->cand[n] = o;
					L->dist[n++] = b->end < st ? st - b->end : b->start > en ? b->start - en : 0;
				}
				sort_by_dist(L->cand, L->dist, n);
				for (uint32_t j = 0; j < n && (L->dist[j] == 0 || (int)j < k / 2); j++)
					if (!take_tree(s, log, L->cand[j]))
						goto undo;
			}
			/* its placed neighbours in the precedence graph that the start breaks with */
			for (uint32_t e = 0; e < a->n_pred + a->n_succ; e++) {
				const cp_edge *ed = e < a->n_pred ? &s->edge[s->pred_list[a->pred_at + e]]
				                                  : &s->edge[s->succ_list[a->succ_at + e - a->n_pred]];
				int32_t o = e < a->n_pred ? ed->before : ed->after;
				const cp_act *b = &s->act[o];
				int64_t gap = e < a->n_pred ? (int64_t)st - b->end - 1 : (int64_t)b->start - en - 1;

				if (b->pos < 0 || !movable(b))
					continue;
				if ((gap < ed->min_gap || (ed->max_gap >= 0 && gap > ed->max_gap)) &&
				    !take_tree(s, log, o))
					goto undo;
			}
			/* the unplaced one first, at that start (its predecessors come back around it) */
			k = cp_domain_find(a, st);
			if (!fits(s, seed, k, 0))
				goto undo;
			cp_place(s, seed, k);
		}
	} else if (kind < 4 || kind == 0) {
		/* a unit around a day */
		for (int t = 0; t < 8 && seed < 0; t++) {
			int32_t c = pick_movable(s, rng);

			if (c >= 0 && s->act[c].n_units > 0)
				seed = c;
		}
		if (seed < 0)
			return 0;
		{
			int32_t u = s->act[seed].units[rnd_below(rng, s->act[seed].n_units)];
			uint32_t at = s->unit_act_at[u], cnt = s->unit_act_at[u + 1] - at, nu = 0;

			day = s->act[seed].start;
			for (uint32_t j = 0; j < cnt; j++) {
				int32_t o = s->unit_acts[at + j];
				const cp_act *b = &s->act[o];

				if (b->pos == CP_NONE) {
					if (b->n > 0 && !b->fixed && !b->cancelled && nu < 4 && preds_placed(s, o) &&
					    rnd_below(rng, 2) && !add_unplaced(log, o))
						goto undo;
					nu += b->pos == CP_NONE;
					continue;
				}
				if (!movable(b))
					continue;
				L->cand[n] = o;
				L->dist[n++] = b->start > day ? b->start - day : day - b->start;
			}
			sort_by_dist(L->cand, L->dist, n);
			for (uint32_t j = 0; j < n && (int)j < k; j++)
				if (!take_tree(s, log, L->cand[j]))
					goto undo;
		}
	} else if (kind < 6) {
		/* a host around a day: the spread and the host's calendar */
		int32_t h;
		uint32_t at, cnt;

		seed = pick_movable(s, rng);
		if (seed < 0)
			return 0;
		h = s->act[seed].host;
		day = s->act[seed].start;
		at = L->host_at[h];
		cnt = L->host_at[h + 1] - at;
		/* within a month of the day, at most 128 of them from a random place in the list */
		for (uint32_t j = 0, j0 = rnd_below(rng, cnt); j < cnt && n < 128; j++) {
			int32_t o = L->host_acts[at + (j0 + j) % cnt];
			const cp_act *b = &s->act[o];
			int32_t dd;

			if (!movable(b))
				continue;
			dd = b->start > day ? b->start - day : day - b->start;
			if (dd > 31)
				continue;
			L->cand[n] = o;
			L->dist[n++] = dd;
		}
		/* a partial selection would do; n is at most the host's activities */
		sort_by_dist(L->cand, L->dist, n);
		for (uint32_t j = 0; j < n && (int)j < k; j++)
			if (!take_tree(s, log, L->cand[j]))
				goto undo;
	} else {
		/* a component of the precedence graph, breadth first */
		for (int t = 0; t < 16 && seed < 0; t++) {
			int32_t c = (int32_t)rnd_below(rng, (uint32_t)s->n_act);

			if ((s->act[c].n_pred || s->act[c].n_succ) && !s->act[c].fixed && !s->act[c].cancelled &&
			    !s->act[c].pinned)
				seed = c;
		}
		if (seed < 0)
			return 0;
		L->cand[n++] = seed;
		for (uint32_t q = 0; q < n && (int)n < k; q++) {
			const cp_act *a = &s->act[L->cand[q]];

			for (uint32_t e = 0; e < a->n_pred + a->n_succ && (int)n < k; e++) {
				int32_t o = e < a->n_pred ? s->edge[s->pred_list[a->pred_at + e]].before
				                          : s->edge[s->succ_list[a->succ_at + e - a->n_pred]].after;
				int seen = 0;

				for (uint32_t m = 0; m < n; m++)
					seen |= L->cand[m] == o;
				if (!seen)
					L->cand[n++] = o;
			}
		}
		for (uint32_t j = 0; j < n; j++) {
			const cp_act *b = &s->act[L->cand[j]];

			if (b->pos == CP_NONE) {
				if (b->n > 0 && !b->fixed && !b->cancelled && !add_unplaced(log, L->cand[j]))
					goto undo;
			} else if (movable(b) && !take_tree(s, log, L->cand[j])) {
				goto undo;
			}
		}
	}
	ruined = log->n;
	if (ruined == 0)
		return 0;
	s->evaluations++;
	recreate(s, L, log, rng, rnd_below(rng, 4) == 0, kind <= 1);
	/* an activity left out must not leave a pinned successor placed */
	for (int m = 0; m < log->n; m++) {
		const cp_act *a = &s->act[log->id[m]];

		if (a->pos != CP_NONE)
			continue;
		for (uint32_t e = 0; e < a->n_succ; e++) {
			const cp_edge *ed = &s->edge[s->succ_list[a->succ_at + e]];
			const cp_act *q = &s->act[ed->after];

			if (ed->requires && q->pos != CP_NONE && !q->fixed)
				goto undo;
		}
	}
	return ruined;
undo:
	log_revert(s, log);
	return 0;
}

/* Ruin size of the large-neighbourhood moves: 2 .. this many activities. */
#define CP_LNS_KMAX 24
#ifndef CP_LNS_SHARE
#define CP_LNS_SHARE 6
#endif

/*
 * Perturb after a stall: back to the best state, then a few ruins and
 * recreates taken whatever they cost (a restart near the best).
 */
static void perturb(cp_sched *s, const lns_ctx *L, move_log *log, uint64_t *rng, const int32_t *best)
{
	restore(s, best);
	for (int t = 0; t < 3; t++)
		move_lns(s, L, log, rng, 2 * CP_LNS_KMAX);
	log->n = 0;
}

/*
 * Late-acceptance hill climbing over the small moves (shift, swap, chain
 * shift, insert) and ruin-and-recreate moves; leaves the best state found.
 * Moves are counted in activities touched (a ruin of k counts k).  With a
 * time limit it never stops on a stall: it goes back to the best state,
 * perturbs it and goes on until the limit.  With a budget of moves it ends
 * at the budget or on a stall.
 */
static int search(cp_sched *s, const coplan_schedule_options *opts, const int32_t *topo,
                  double t0)
{
	int64_t hist[CP_LAHC_LEN], cur = total_cost(s), best_cost = cur, lb;
	int32_t *best = malloc((s->n_act + 1) * sizeof(int32_t));
	uint64_t rng = opts->seed ^ 0x636f706c616eULL, it = 0, last_gain = 0, stall, cap;
	double limit = opts->time_limit > 0 ? opts->time_limit : 0, last_report = 0;
	uint64_t last_medium = 0, quiet = s->n_act * 50;
	int saved = 1, small = s->n_act <= CP_SMALL_PLAN, timed, rc, lns;
	move_log log;
	lns_ctx L;

	if (!best)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	if ((rc = lns_init(&L, s, topo))) {
		free(best);
		return rc;
	}
	lb = lower_bound(s, L.dead);
	snapshot(s, best, NULL);
	for (int k = 0; k < CP_LAHC_LEN; k++)
		hist[k] = cur;
	stall = s->n_act * 100 > 200000 ? s->n_act * 100 : 200000;
	cap = opts->max_iterations;
	if (!cap && limit <= 0 && s->pick_list)
		cap = s->n_pick * 20 > 2000 ? s->n_pick * 20 : 2000;  /* re-planning: the few that move */
	else if (!cap && limit <= 0)
		cap = s->n_act * 20 > 20000 ? s->n_act * 20 : 20000;
	timed = !opts->max_iterations && limit > 0;
	while (cur > lb && s->n_act > 0) {
		int64_t next;
		int ok;
		uint32_t r;

		if (cap && it >= cap)
			break;
		if ((timed || opts->progress) && (it & 63) == 0) {
			/* the clock only decides when to stop if timed: reports never change the plan */
			double el = now_seconds() - t0;

			if (timed && el >= limit)
				break;
			if (opts->progress && el - last_report >= 0.05) {
				/* the best so far, not the current state (late acceptance may stand worse) */
				coplan_score sc = { -(long)s->fixed_conflicts, -(long)(best_cost / CP_BIG),
				                    -(long)(best_cost % CP_BIG) };

				last_report = el;
				opts->progress(&sc, el, opts->payload);
			}
		}
		if (it - last_gain > stall) {
			if (timed || (small && descend(s, &log))) {
				if (timed) {
					if (!saved)
						snapshot(s, best, NULL);
					saved = 1;
					perturb(s, &L, &log, &rng, best);
				}
				cur = total_cost(s);
				if (cur < best_cost) {
					best_cost = cur;
					saved = 0;
				}
				for (int k = 0; k < CP_LAHC_LEN; k++)
					hist[k] = cur;
				last_gain = it;
			} else {
				break;
			}
		}
		r = rnd_below(&rng, 32);
		lns = (int)r < CP_LNS_SHARE && it - last_medium > quiet;
		if (lns) {
			ok = move_lns(s, &L, &log, &rng, CP_LNS_KMAX);
			it += ok > 0 ? (uint64_t)ok : 1;
		} else {
			it++;
			if (s->n_unplaced > L.n_dead && r < 8)
				ok = move_insert(s, L.dead, &log, &rng);
			else if (r < 22)
				ok = move_shift(s, &log, &rng);
			else if (r < 28)
				ok = move_swap(s, &log, &rng);
			else if (r < CP_TREE_FROM || it - last_medium <= quiet)
				ok = move_chain(s, &log, &rng);  /* trees once the unplaced count has settled, as ruins */
			else
				ok = move_tree(s, &log, &rng, L.tree_val, L.tree_end, L.tree_stride);
		}
		if (!ok)
			continue;
		next = total_cost(s);
		/* a ruin and recreate never leaves more unplaced */
		if ((lns && next / CP_BIG > cur / CP_BIG) || (next > cur && next > hist[it % CP_LAHC_LEN])) {
			log_revert(s, &log);
			continue;
		}
		if (next > cur && cur == best_cost && !saved) {
			snapshot(s, best, &log);
			saved = 1;
		}
		cur = next;
		hist[it % CP_LAHC_LEN] = cur;
		if (cur < best_cost) {
			if (cur / CP_BIG < best_cost / CP_BIG)
				last_medium = it;
			best_cost = cur;
			saved = 0;
			last_gain = it;
		}
	}
	if (cur != best_cost)
		restore(s, best);
	if (small && s->n_act > 0 && total_cost(s) > lb)
		descend(s, &log);
	s->iterations = it;
	lns_release(&L);
	free(best);
	return 0;
}

/*
 * Re-planning with a budget of moves: move only what must move.  After
 * construction, an activity that could not stay at its previous start (or
 * is unplaced) is displaced; every activity that kept its start is frozen
 * unless it is a neighbour of a displaced one (it shares a unit with it
 * within a month of the displaced one's domain, or a precedence), so the
 * search works on the displaced activities, their neighbours and the new
 * or previously unplaced ones only (s->pick_list).  Returns -1 on
 * allocation failure (then nothing is frozen: the full search runs).
 */
static int focus_replan(cp_sched *s)
{
	unsigned char *nb = calloc(s->n_act + 1, 1);
	int32_t *list = malloc((s->n_act + 1) * sizeof(int32_t));

	if (!nb || !list) {
		free(nb);
		free(list);
		return -1;
	}
	for (size_t i = 0; i < s->n_act; i++) {
		const cp_act *x = &s->act[i];
		int32_t lo, hi;

		if (x->fixed || x->cancelled || x->pinned || x->prev == COPLAN_DATE_NONE ||
		    (x->pos >= 0 && cp_date(s, x->start) == x->prev))
			continue;
		nb[i] = 1;  /* displaced */
		for (uint32_t e = 0; e < x->n_pred; e++)
			nb[s->edge[s->pred_list[x->pred_at + e]].before] = 1;
		for (uint32_t e = 0; e < x->n_succ; e++)
			nb[s->edge[s->succ_list[x->succ_at + e]].after] = 1;
		if (x->n == 0)
			continue;
		lo = x->starts[0] - 31;
		hi = cp_end_of(s, x, x->starts[x->n - 1]) + 31;
		for (uint32_t u = 0; u < x->n_units; u++) {
			uint32_t at = s->unit_act_at[x->units[u]], end = s->unit_act_at[x->units[u] + 1];

			for (uint32_t k = at; k < end; k++) {
				const cp_act *y = &s->act[s->unit_acts[k]];

				if (y->pos >= 0 && y->end >= lo && y->start <= hi)
					nb[s->unit_acts[k]] = 1;
			}
		}
	}
	s->n_pick = 0;
	for (size_t i = 0; i < s->n_act; i++) {
		cp_act *a = &s->act[i];

		if (a->fixed || a->cancelled)
			continue;
		a->frozen = a->pos >= 0 && !nb[i] && a->prev != COPLAN_DATE_NONE;
		if (!a->frozen && !a->pinned)
			list[s->n_pick++] = (int32_t)i;
	}
	free(nb);
	if (s->n_pick == 0) {
		list[0] = 0;  /* nothing to move: pick_movable finds nothing movable */
		s->n_pick = 1;
	}
	s->pick_list = list;
	return 0;
}

/* ---- the public functions -------------------------------------------------- */

int coplan_schedule(coplan_plan *plan, const coplan_schedule_options *opts, coplan_score *score)
{
	coplan_schedule_options defaults = { 0 };
	cp_sched s;
	int32_t *topo = NULL;
	char **reasons = NULL;
	double t0 = now_seconds(), t_construct = 0;
	int rc;

	if (!plan)
		return cp_error(COPLAN_EUSAGE, "no plan to schedule");
	if (!opts)
		opts = &defaults;
	rc = coplan_plan_validate(plan);
	if (rc)
		return rc;
	rc = cp_sched_init(&s, plan, &opts->weights, opts->replan);
	if (rc)
		return rc;
	topo = malloc((s.n_act + 1) * sizeof(int32_t));
	reasons = calloc(s.n_act + 1, sizeof(char *));
	if (!topo || !reasons) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	if ((rc = construct(&s, topo)))
		goto cleanup;
	t_construct = now_seconds() - t0;
	if (opts->progress) {
		coplan_score sc;

		score_of(&s, &sc);
		opts->progress(&sc, now_seconds() - t0, opts->payload);
	}
	if (s.replan && opts->time_limit <= 0)
		focus_replan(&s);  /* on failure the search is only less focused */
	if ((rc = search(&s, opts, topo, t0)))
		goto cleanup;
	/* a last greedy pass: no unplaced activity keeps a free start */
	for (size_t t = 0; t < s.n_act; t++) {
		int32_t i = topo[t], k;

		if (s.act[i].pos == CP_NONE && !s.act[i].pinned && preds_placed(&s, i) &&
		    (k = best_fit(&s, i, 1)) >= 0)
			cp_place(&s, i, k);
	}
	if (invariant_broken(&s)) {
		rc = cp_error(COPLAN_ERROR, "scheduler: internal error (a successor placed before its predecessor)");
		goto cleanup;
	}
	/* reasons first, so that a failed allocation leaves the plan untouched */
	for (size_t i = 0; i < s.n_act; i++) {
		if (s.act[i].pos != CP_NONE || s.act[i].cancelled)
			continue;
		reasons[i] = cp_unplaced_reason(&s, (int32_t)i);
		if (!reasons[i]) {
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
			goto cleanup;
		}
	}
	for (size_t i = 0; i < s.n_act; i++) {
		coplan_activity *a = &plan->activities[i];

		free(a->unplaced_reason);
		a->unplaced_reason = reasons[i];
		reasons[i] = NULL;
		if (s.act[i].fixed || s.act[i].cancelled)
			continue;  /* their recorded dates stay exactly as they are */
		if (s.act[i].pos != CP_NONE) {
			a->start = cp_date(&s, s.act[i].start);
			a->end = cp_date(&s, s.act[i].end);
		} else {
			a->start = a->end = COPLAN_DATE_NONE;
		}
	}
	if (opts->progress) {
		coplan_score sc;

		score_of(&s, &sc);
		opts->progress(&sc, now_seconds() - t0, opts->payload);
	}
	if (score)
		score_of(&s, score);
	if (opts->stats) {
		opts->stats->evaluations = s.evaluations;
		opts->stats->iterations = s.iterations;
		opts->stats->construct_seconds = t_construct;
		opts->stats->seconds = now_seconds() - t0;
	}
cleanup:
	for (size_t i = 0; reasons && i < s.n_act; i++)
		free(reasons[i]);
	free(reasons);
	free(topo);
	free(s.pick_list);
	cp_sched_release(&s);
	return rc;
}

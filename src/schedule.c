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
#define CP_MOVE_MAX 64
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
			if (strict)
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

/* 1 if every predecessor of i is placed. */
static int preds_placed(const cp_sched *s, int32_t i)
{
	const cp_act *a = &s->act[i];

	for (uint32_t k = 0; k < a->n_pred; k++)
		if (s->act[s->edge[s->pred_list[a->pred_at + k]].before].pos == CP_NONE)
			return 0;
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
 * gap reach its first start.
 */
static void build_guides(cp_sched *s, const int32_t *topo)
{
	int32_t *lst = malloc((s->n_act + 1) * sizeof(int32_t));

	for (size_t i = 0; i < s->n_act; i++) {
		s->act[i].guide_start_max = INT32_MAX;
		s->act[i].guide_end_min = INT32_MIN;
	}
	if (!lst)
		return;  /* guides are advice: without them construction is only less clever */
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
	build_guides(s, topo);
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
	return !a->pinned && !a->fixed && a->pos >= 0;
}

/* A random placed activity that may move, or -1 after a few misses. */
static int32_t pick_movable(const cp_sched *s, uint64_t *rng)
{
	for (int t = 0; t < 8; t++) {
		int32_t i = (int32_t)rnd_below(rng, (uint32_t)s->n_act);
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
static int move_insert(cp_sched *s, move_log *log, uint64_t *rng)
{
	int32_t i = -1, k, st, en;
	const cp_act *a;

	for (int t = 0; t < 16 && i < 0; t++) {
		int32_t c = (int32_t)rnd_below(rng, (uint32_t)s->n_act);

		if (s->act[c].pos == CP_NONE && s->act[c].n > 0 && preds_placed(s, c))
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

/* The lowest cost any schedule can have: activities that cannot be placed, each other's cheapest start. */
static int64_t lower_bound(const cp_sched *s, const int32_t *topo)
{
	unsigned char *dead = calloc(s->n_act + 1, 1);
	int64_t lb = 0;

	if (!dead)
		return 0;
	for (size_t t = 0; t < s->n_act; t++) {
		int32_t i = topo[t];
		const cp_act *a = &s->act[i];

		if (a->fixed || a->cancelled)
			continue;  /* placed for good, or out of the schedule: cost nothing */
		dead[i] = a->n == 0;
		for (uint32_t k = 0; k < a->n_pred && !dead[i]; k++)
			dead[i] = dead[s->edge[s->pred_list[a->pred_at + k]].before];
		lb += dead[i] ? CP_BIG : a->min_cost;
	}
	free(dead);
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

			if (a->pinned || a->n == 0)
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

/* Late-acceptance hill climbing over the four moves; leaves the best state found. */
static int search(cp_sched *s, const coplan_schedule_options *opts, const int32_t *topo,
                  double t0)
{
	int64_t hist[CP_LAHC_LEN], cur = total_cost(s), best_cost = cur, lb = lower_bound(s, topo);
	int32_t *best = malloc((s->n_act + 1) * sizeof(int32_t));
	uint64_t rng = opts->seed ^ 0x636f706c616eULL, it = 0, last_gain = 0, stall, cap;
	double limit = opts->time_limit > 0 ? opts->time_limit : 0, last_report = 0;
	int saved = 1, small = s->n_act <= CP_SMALL_PLAN;
	move_log log;

	if (!best)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	snapshot(s, best, NULL);
	for (int k = 0; k < CP_LAHC_LEN; k++)
		hist[k] = cur;
	stall = s->n_act * 100 > 200000 ? s->n_act * 100 : 200000;
	cap = opts->max_iterations;
	if (!cap && limit <= 0)
		cap = s->n_act * 20 > 20000 ? s->n_act * 20 : 20000;
	while (cur > lb && s->n_act > 0) {
		int64_t next;
		int ok;
		uint32_t r;

		if (cap && it >= cap)
			break;
		if (!opts->max_iterations && limit > 0 && (it & 255) == 0) {
			double el = now_seconds() - t0;

			if (el >= limit)
				break;
			if (opts->progress && el - last_report >= 0.25) {
				/* the best so far, not the current state (late acceptance may stand worse) */
				coplan_score sc = { 0, -(long)(best_cost / CP_BIG), -(long)(best_cost % CP_BIG) };

				last_report = el;
				opts->progress(&sc, el, opts->payload);
			}
		}
		if (it - last_gain > stall) {
			if (!small || !descend(s, &log))
				break;
			cur = total_cost(s);
			if (cur < best_cost) {
				best_cost = cur;
				saved = 0;
			}
			last_gain = it;
		}
		it++;
		r = rnd_below(&rng, 16);
		if (s->n_unplaced > 0 && r == 0)
			ok = move_insert(s, &log, &rng);
		else if (r < 10)
			ok = move_shift(s, &log, &rng);
		else if (r < 14)
			ok = move_swap(s, &log, &rng);
		else
			ok = move_chain(s, &log, &rng);
		if (!ok)
			continue;
		next = total_cost(s);
		if (next > cur && next > hist[it % CP_LAHC_LEN]) {
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
	free(best);
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
	cp_sched_release(&s);
	return rc;
}

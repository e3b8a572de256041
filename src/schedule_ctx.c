/* SPDX-License-Identifier: Apache-2.0 */
/* schedule_ctx.c - the scheduler's static model: horizon, calendars, blackouts, domains. */
#include <stdlib.h>
#include <string.h>

#include "schedule_int.h"
#include "common.h"

/* Longest horizon the scheduler accepts: ten years of days. */
#define CP_MAX_DAYS 3660

coplan_weights cp_sched_weights(const coplan_weights *w)
{
	coplan_weights d = { 10, 5, 1, 20, 20 };

	if (!w)
		return d;
	if (w->requested || w->soft_blackout || w->spread || w->moved) {
		d.requested = w->requested;
		d.soft_blackout = w->soft_blackout;
		d.spread = w->spread;
		d.moved = w->moved;
	}
	if (w->weekend)
		d.weekend = w->weekend > 0 ? w->weekend : 0;
	return d;
}

int cp_bits_any(const uint64_t *bits, int32_t from, int32_t to)
{
	int32_t wf = from >> 6, wt = to >> 6;
	uint64_t mf = ~0ULL << (from & 63), mt = ~0ULL >> (63 - (to & 63));

	if (from > to)
		return 0;
	if (wf == wt)
		return (bits[wf] & mf & mt) != 0;
	if (bits[wf] & mf)
		return 1;
	for (int32_t w = wf + 1; w < wt; w++)
		if (bits[w])
			return 1;
	return (bits[wt] & mt) != 0;
}

static void bits_set_range(uint64_t *bits, int32_t from, int32_t to)
{
	for (int32_t d = from; d <= to; d++)
		bits[d >> 6] |= 1ULL << (d & 63);
}

static uint32_t hash_str(const char *str)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *p = (const unsigned char *)str; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

/* Find (or with add, intern) a scope name; returns its id or -1. */
static int32_t scope_id(cp_sched *s, const char *name, int add)
{
	size_t mask = s->hash_cap - 1, i = hash_str(name) & mask;

	while (s->scope_hash[i] >= 0) {
		if (!strcmp(s->scope_name[s->scope_hash[i]], name))
			return s->scope_hash[i];
		i = (i + 1) & mask;
	}
	if (!add || s->n_scopes >= s->scope_cap)
		return -1;
	s->scope_name[s->n_scopes] = name;
	s->scope_hash[i] = (int32_t)s->n_scopes;
	return (int32_t)s->n_scopes++;
}

long cp_sched_find(const cp_sched *s, const char *ref)
{
	size_t mask = s->ref_hash_cap - 1, i;

	if (!ref || !s->ref_hash)
		return -1;
	i = hash_str(ref) & mask;
	while (s->ref_hash[i] >= 0) {
		if (!strcmp(s->plan->activities[s->ref_hash[i]].ref, ref))
			return s->ref_hash[i];
		i = (i + 1) & mask;
	}
	return -1;
}

static size_t pow2_at_least(size_t n)
{
	size_t c = 16;

	while (c < n)
		c <<= 1;
	return c;
}

int32_t cp_end_of(const cp_sched *s, const cp_act *a, int32_t day)
{
	int32_t k;

	if (a->mode == COPLAN_DAYS_CALENDAR)
		return day + a->duration - 1 < s->ndays ? day + a->duration - 1 : CP_NONE;
	k = s->wd_rank[a->host][day] + a->duration - 1;
	if (k >= s->wd_rank[a->host][s->ndays])
		return CP_NONE;
	return s->wd_list[a->host][k];
}

void cp_cost_parts(const cp_sched *s, const cp_act *a, int32_t start, int32_t end, cp_parts *out)
{
	const coplan_activity *pa = &s->plan->activities[a - s->act];
	coplan_date ds = cp_date(s, start), de = cp_date(s, end);

	memset(out, 0, sizeof(*out));
	if (pa->requested_from != COPLAN_DATE_NONE && ds < pa->requested_from)
		out->requested += pa->requested_from - ds;
	if (pa->requested_to != COPLAN_DATE_NONE && de > pa->requested_to)
		out->requested += de - pa->requested_to;
	for (uint32_t k = 0; k < a->n_scopes; k++) {
		const int32_t *pre = s->soft_prefix[a->scopes[k]];

		if (pre)
			out->soft_blackout += pre[end + 1] - pre[start];
	}
	/* the host's non-working days inside the span: its length less its working days */
	if (a->mode == COPLAN_DAYS_WORKING)
		out->weekend = (end - start + 1) - (s->wd_rank[a->host][end + 1] - s->wd_rank[a->host][start]);
	if (s->replan && a->prev != COPLAN_DATE_NONE)
		out->moved = ds > a->prev ? (int64_t)ds - a->prev : (int64_t)a->prev - ds;
}

int32_t cp_static_cost(const cp_sched *s, const cp_act *a, int32_t start, int32_t end)
{
	cp_parts p;
	int64_t c;

	cp_cost_parts(s, a, start, end, &p);
	c = p.requested * s->w.requested + p.soft_blackout * s->w.soft_blackout +
	    p.weekend * s->w.weekend + p.moved * s->w.moved;
	return c > INT32_MAX / 4 ? INT32_MAX / 4 : (int32_t)c;
}

int32_t cp_domain_find(const cp_act *a, int32_t day)
{
	uint32_t lo = 0, hi = a->n;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (a->starts[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < a->n && a->starts[lo] == day ? (int32_t)lo : -1;
}

/* The horizon: the plan's window, else its year, else the activities' windows. */
static int horizon(const coplan_plan *plan, coplan_date *from, coplan_date *to)
{
	coplan_date f = plan->window_from, t = plan->window_to;

	if (f == COPLAN_DATE_NONE && plan->year > 0)
		f = coplan_date_from_ymd(plan->year, 1, 1);
	if (t == COPLAN_DATE_NONE && plan->year > 0)
		t = coplan_date_from_ymd(plan->year, 12, 31);
	for (size_t i = 0; i < plan->n_activities; i++) {
		const coplan_activity *a = &plan->activities[i];

		if (plan->window_from == COPLAN_DATE_NONE && plan->year <= 0 &&
		    a->earliest != COPLAN_DATE_NONE && (f == COPLAN_DATE_NONE || a->earliest < f))
			f = a->earliest;
		if (plan->window_to == COPLAN_DATE_NONE && plan->year <= 0 &&
		    a->latest != COPLAN_DATE_NONE && (t == COPLAN_DATE_NONE || a->latest > t))
			t = a->latest;
	}
	if (f == COPLAN_DATE_NONE || t == COPLAN_DATE_NONE)
		return cp_error(COPLAN_EINVALID,
		                "plan has no window (set the plan's window or year, or every activity's time window)");
	if (t < f)
		return cp_error(COPLAN_EINVALID, "plan window ends before it starts");
	if ((int64_t)t - f + 1 > CP_MAX_DAYS)
		return cp_error(COPLAN_ELIMIT, "plan window of %ld days is longer than %d days",
		                (long)((int64_t)t - f + 1), CP_MAX_DAYS);
	*from = f;
	*to = t;
	return 0;
}

static int build_hosts(cp_sched *s)
{
	const coplan_plan *plan = s->plan;
	int y0 = coplan_date_year(s->day0), y1 = coplan_date_year(s->day0 + s->ndays - 1);
	int rc;

	s->host_scope = calloc(plan->n_activities + 1, sizeof(*s->host_scope));
	s->scope_host = malloc(s->scope_cap * sizeof(*s->scope_host));
	if (!s->host_scope || !s->scope_host)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	for (size_t i = 0; i < s->scope_cap; i++)
		s->scope_host[i] = -1;
	for (size_t i = 0; i < s->n_act; i++) {
		int32_t sc = scope_id(s, plan->activities[i].host, 1);

		if (s->scope_host[sc] < 0) {
			s->scope_host[sc] = (int32_t)s->n_hosts;
			s->host_scope[s->n_hosts++] = sc;
		}
		s->act[i].host = s->scope_host[sc];
	}
	s->cal = calloc(s->n_hosts + 1, sizeof(*s->cal));
	s->nonwork = calloc(s->n_hosts + 1, sizeof(*s->nonwork));
	s->wd_rank = calloc(s->n_hosts + 1, sizeof(*s->wd_rank));
	s->wd_list = calloc(s->n_hosts + 1, sizeof(*s->wd_list));
	if (!s->cal || !s->nonwork || !s->wd_rank || !s->wd_list)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	for (size_t h = 0; h < s->n_hosts; h++) {
		int32_t k = 0;

		rc = coplan_calendar_new(&s->cal[h], s->scope_name[s->host_scope[h]], NULL, y0, y1);
		if (!rc) /* the weekend: CLDR's, or the plan's own for that nation */
			rc = coplan_plan_apply_weekend(plan, s->cal[h]);
		if (rc)
			return rc;
		/* non-working days the plan imported (holiday feeds) count as holidays */
		for (size_t i = 0; i < plan->n_holidays; i++) {
			const coplan_plan_holiday *hd = &plan->holidays[i];

			if (strcmp(hd->nation, s->scope_name[s->host_scope[h]]))
				continue;
			rc = coplan_calendar_add_holiday(s->cal[h], hd->date, hd->name, NULL,
			                                 COPLAN_HOLIDAY_IMPORTED);
			if (rc)
				return rc;
		}
		s->nonwork[h] = calloc(s->nwords, sizeof(uint64_t));
		s->wd_rank[h] = malloc(((size_t)s->ndays + 1) * sizeof(int32_t));
		s->wd_list[h] = malloc(((size_t)s->ndays + 1) * sizeof(int32_t));
		if (!s->nonwork[h] || !s->wd_rank[h] || !s->wd_list[h])
			return cp_error(COPLAN_ENOMEM, "out of memory");
		for (int32_t d = 0; d < s->ndays; d++) {
			s->wd_rank[h][d] = k;
			if (coplan_calendar_is_working_day(s->cal[h], cp_date(s, d)))
				s->wd_list[h][k++] = d;
			else
				s->nonwork[h][d >> 6] |= 1ULL << (d & 63);
		}
		s->wd_rank[h][s->ndays] = k;
	}
	return 0;
}

static int build_blackouts(cp_sched *s)
{
	const coplan_plan *plan = s->plan;

	s->hard_bits = calloc(s->scope_cap, sizeof(*s->hard_bits));
	s->soft_prefix = calloc(s->scope_cap, sizeof(*s->soft_prefix));
	if (!s->hard_bits || !s->soft_prefix)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	for (size_t b = 0; b < plan->n_blackouts; b++) {
		const coplan_blackout *bo = &plan->blackouts[b];
		int32_t sc = bo->scope ? scope_id(s, bo->scope, 0) : -1;
		int64_t f, t;

		if (sc < 0 || bo->from == COPLAN_DATE_NONE || bo->to == COPLAN_DATE_NONE)
			continue;
		f = (int64_t)bo->from - s->day0;
		t = (int64_t)bo->to - s->day0;
		if (f < 0)
			f = 0;
		if (t >= s->ndays)
			t = s->ndays - 1;
		if (f > t)
			continue;
		if (bo->hard) {
			if (!s->hard_bits[sc] && !(s->hard_bits[sc] = calloc(s->nwords, sizeof(uint64_t))))
				return cp_error(COPLAN_ENOMEM, "out of memory");
			bits_set_range(s->hard_bits[sc], (int32_t)f, (int32_t)t);
		} else {
			int32_t *p = s->soft_prefix[sc];

			if (!p && !(p = s->soft_prefix[sc] = calloc((size_t)s->ndays + 2, sizeof(int32_t))))
				return cp_error(COPLAN_ENOMEM, "out of memory");
			/* a difference array for now; summed below */
			p[f + 1] += 1;
			p[t + 2] -= 1;
		}
	}
	for (size_t sc = 0; sc < s->n_scopes; sc++) {
		int32_t *p = s->soft_prefix[sc], run = 0;

		if (!p)
			continue;
		/* p[d + 1] holds the change of coverage at day d: turn into coverage, then prefix sums */
		for (int32_t d = 0; d < s->ndays; d++) {
			run += p[d + 1];
			p[d + 1] = run;
		}
		p[0] = 0;
		for (int32_t d = 0; d < s->ndays; d++)
			p[d + 1] += p[d];
	}
	return 0;
}

/* Activities: scopes, units, windows; refs hashed. */
static int build_acts(cp_sched *s)
{
	const coplan_plan *plan = s->plan;

	s->ref_hash_cap = pow2_at_least(plan->n_activities * 2 + 1);
	s->ref_hash = malloc(s->ref_hash_cap * sizeof(*s->ref_hash));
	s->scope_unit = malloc(s->scope_cap * sizeof(*s->scope_unit));
	s->unit_scope = malloc((s->scope_cap + 1) * sizeof(*s->unit_scope));
	if (!s->ref_hash || !s->scope_unit || !s->unit_scope)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	for (size_t i = 0; i < s->ref_hash_cap; i++)
		s->ref_hash[i] = -1;
	for (size_t i = 0; i < s->scope_cap; i++)
		s->scope_unit[i] = -1;
	for (size_t i = 0; i < s->n_act; i++) {
		const coplan_activity *pa = &plan->activities[i];
		size_t mask = s->ref_hash_cap - 1, h = hash_str(pa->ref) & mask;

		while (s->ref_hash[h] >= 0)
			h = (h + 1) & mask;
		s->ref_hash[h] = (int32_t)i;
	}
	for (size_t i = 0; i < s->n_act; i++) {
		const coplan_activity *pa = &plan->activities[i];
		cp_act *a = &s->act[i];
		size_t ns = 1 + pa->n_participants + pa->n_units;
		int64_t lo = 0, hi = s->ndays - 1;

		a->scopes = malloc(ns * sizeof(int32_t));
		a->units = malloc((pa->n_units + 1) * sizeof(int32_t));
		if (!a->scopes || !a->units)
			return cp_error(COPLAN_ENOMEM, "out of memory");
		a->scopes[a->n_scopes++] = scope_id(s, pa->host, 1);
		for (size_t k = 0; k < pa->n_participants + pa->n_units; k++) {
			int is_unit = k >= pa->n_participants;
			const char *name = is_unit ? pa->units[k - pa->n_participants] : pa->participants[k];
			int32_t sc = scope_id(s, name, 1);
			int dup = 0;

			for (uint32_t j = 0; j < a->n_scopes; j++)
				dup |= a->scopes[j] == sc;
			if (!dup)
				a->scopes[a->n_scopes++] = sc;
			if (is_unit) {
				int seen = 0;

				if (s->scope_unit[sc] < 0) {
					s->scope_unit[sc] = (int32_t)s->n_units;
					s->unit_scope[s->n_units++] = sc;
				}
				for (uint32_t j = 0; j < a->n_units; j++)
					seen |= a->units[j] == s->scope_unit[sc];
				if (!seen)
					a->units[a->n_units++] = s->scope_unit[sc];
			}
		}
		if (pa->earliest != COPLAN_DATE_NONE && (int64_t)pa->earliest - s->day0 > lo)
			lo = (int64_t)pa->earliest - s->day0;
		if (pa->latest != COPLAN_DATE_NONE && (int64_t)pa->latest - s->day0 < hi)
			hi = (int64_t)pa->latest - s->day0;
		if (hi < lo || lo >= s->ndays || hi < 0) {
			lo = 0;
			hi = -1;
		}
		a->lo = (int32_t)lo;
		a->hi = (int32_t)hi;
		a->duration = pa->duration;
		a->mode = pa->day_mode;
		a->prev = pa->start;
		a->fixed = (uint8_t)cp_status_fixed(pa);
		a->cancelled = (uint8_t)cp_status_cancelled(pa);
		a->pinned = pa->pinned && pa->start != COPLAN_DATE_NONE && !a->fixed && !a->cancelled;
		a->pos = CP_NONE;
		a->start = a->end = CP_NONE;
		/* out of the schedule: it holds no unit (its scopes stay, for explain) */
		if (a->cancelled) {
			a->n_units = 0;
			s->n_cancelled++;
		}
		s->n_fixed += a->fixed;
	}
	return 0;
}

/* Units: the activities that use each, occupancy bitsets and owners. */
static int build_units(cp_sched *s)
{
	uint32_t *fill;

	s->unit_act_at = calloc(s->n_units + 1, sizeof(*s->unit_act_at));
	s->occ = calloc(s->n_units + 1, sizeof(*s->occ));
	s->owner = calloc(s->n_units + 1, sizeof(*s->owner));
	if (!s->unit_act_at || !s->occ || !s->owner)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	for (size_t i = 0; i < s->n_act; i++)
		for (uint32_t k = 0; k < s->act[i].n_units; k++)
			s->unit_act_at[s->act[i].units[k] + 1]++;
	for (size_t u = 0; u < s->n_units; u++)
		s->unit_act_at[u + 1] += s->unit_act_at[u];
	s->unit_acts = malloc((s->unit_act_at[s->n_units] + 1) * sizeof(*s->unit_acts));
	fill = malloc((s->n_units + 1) * sizeof(*fill));
	if (!s->unit_acts || !fill) {
		free(fill);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	memcpy(fill, s->unit_act_at, s->n_units * sizeof(*fill));
	for (size_t i = 0; i < s->n_act; i++)
		for (uint32_t k = 0; k < s->act[i].n_units; k++)
			s->unit_acts[fill[s->act[i].units[k]]++] = (int32_t)i;
	free(fill);
	for (size_t u = 0; u < s->n_units; u++) {
		s->occ[u] = calloc(s->nwords, sizeof(uint64_t));
		s->owner[u] = malloc((size_t)s->ndays * sizeof(int32_t));
		if (!s->occ[u] || !s->owner[u])
			return cp_error(COPLAN_ENOMEM, "out of memory");
		for (int32_t d = 0; d < s->ndays; d++)
			s->owner[u][d] = -1;
	}
	return 0;
}

static int build_edges(cp_sched *s)
{
	const coplan_plan *plan = s->plan;
	uint32_t *fp, *fs;

	s->edge = calloc(plan->n_precedences + 1, sizeof(*s->edge));
	s->pred_list = malloc((plan->n_precedences + 1) * sizeof(*s->pred_list));
	s->succ_list = malloc((plan->n_precedences + 1) * sizeof(*s->succ_list));
	fp = calloc(s->n_act + 1, sizeof(*fp));
	fs = calloc(s->n_act + 1, sizeof(*fs));
	if (!s->edge || !s->pred_list || !s->succ_list || !fp || !fs) {
		free(fp);
		free(fs);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	for (size_t k = 0; k < plan->n_precedences; k++) {
		const coplan_precedence *p = &plan->precedences[k];
		long b = cp_sched_find(s, p->before), a = cp_sched_find(s, p->after);

		if (b < 0 || a < 0)
			continue;  /* validation has refused these already */
		if (s->act[b].cancelled || s->act[a].cancelled)
			continue;  /* a cancelled activity constrains nothing */
		s->edge[s->n_edge].before = (int32_t)b;
		s->edge[s->n_edge].after = (int32_t)a;
		s->edge[s->n_edge].min_gap = p->min_gap;
		s->edge[s->n_edge].max_gap = p->max_gap;
		s->edge[s->n_edge].plan_index = (uint32_t)k;
		s->edge[s->n_edge].requires = p->kind != COPLAN_PRECEDENCE_AFTER;
		s->act[a].n_pred++;
		s->act[b].n_succ++;
		s->n_edge++;
	}
	for (size_t i = 0, np = 0, ns = 0; i < s->n_act; i++) {
		s->act[i].pred_at = (uint32_t)np;
		s->act[i].succ_at = (uint32_t)ns;
		fp[i] = (uint32_t)np;
		fs[i] = (uint32_t)ns;
		np += s->act[i].n_pred;
		ns += s->act[i].n_succ;
	}
	for (size_t e = 0; e < s->n_edge; e++) {
		s->pred_list[fp[s->edge[e].after]++] = (uint32_t)e;
		s->succ_list[fs[s->edge[e].before]++] = (uint32_t)e;
	}
	free(fp);
	free(fs);
	return 0;
}

/*
 * The domain of each activity: starts in its window, on a working day of
 * the host for WORKING activities, whose span stays in the window and
 * meets no hard blackout of its host, participants or units.  A pinned
 * activity's domain is its pinned start alone, if that start passes.
 */
static int build_domains(cp_sched *s)
{
	uint64_t *forbid = malloc(s->nwords * sizeof(uint64_t));
	int32_t *tmp_s = malloc(((size_t)s->ndays + 1) * sizeof(int32_t));
	int32_t *tmp_c = malloc(((size_t)s->ndays + 1) * sizeof(int32_t));
	int rc = 0;

	if (!forbid || !tmp_s || !tmp_c) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (size_t i = 0; i < s->n_act; i++) {
		cp_act *a = &s->act[i];
		uint32_t n = 0;
		int32_t from = a->lo, to = a->hi;

		memset(forbid, 0, s->nwords * sizeof(uint64_t));
		if (a->fixed || a->cancelled)
			to = from - 1;  /* never placed on a start of a domain */
		for (uint32_t k = 0; k < a->n_scopes; k++) {
			const uint64_t *hb = s->hard_bits[a->scopes[k]];

			if (hb)
				for (size_t w = 0; w < s->nwords; w++)
					forbid[w] |= hb[w];
		}
		if (a->pinned) {
			int64_t p = (int64_t)a->prev - s->day0;

			from = to = (p >= a->lo && p <= a->hi) ? (int32_t)p : 0;
			if (!(p >= a->lo && p <= a->hi))
				to = -1;
		}
		for (int32_t d = from; d <= to; d++) {
			int32_t e;

			if (a->mode == COPLAN_DAYS_WORKING) {
				if (cp_nonwork(s, a->host, d))
					continue;
			}
			e = cp_end_of(s, a, d);
			if (e == CP_NONE || e > a->hi)
				break;
			if (cp_bits_any(forbid, d, e))
				continue;
			tmp_s[n] = d;
			tmp_c[n++] = cp_static_cost(s, a, d, e);
		}
		a->n = n;
		a->starts = malloc(((size_t)n * 2 + 1) * sizeof(int32_t));
		if (!a->starts) {
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
			goto cleanup;
		}
		a->cost = a->starts + n;
		memcpy(a->starts, tmp_s, n * sizeof(int32_t));
		memcpy(a->cost, tmp_c, n * sizeof(int32_t));
		a->min_cost = 0;
		for (uint32_t k = 0; k < n; k++)
			if (k == 0 || a->cost[k] < a->min_cost)
				a->min_cost = a->cost[k];
	}
cleanup:
	free(forbid);
	free(tmp_s);
	free(tmp_c);
	return rc;
}

int32_t cp_spread_pen(const cp_sched *s, int32_t h)
{
	const int32_t *c = s->month_count + (size_t)h * s->n_months;
	int32_t max = 0, mean;

	for (int32_t m = 0; m < s->n_months; m++)
		if (c[m] > max)
			max = c[m];
	mean = (s->host_total[h] + s->n_months - 1) / s->n_months;
	return max > mean ? max - mean : 0;
}

/* A day index for date, kept far from int32 overflow (facts may lie anywhere). */
static int32_t day_index(const cp_sched *s, coplan_date d)
{
	int64_t x = (int64_t)d - s->day0;

	if (x < -(INT64_C(1) << 28))
		return -(INT32_C(1) << 28);
	if (x > (INT64_C(1) << 28))
		return INT32_C(1) << 28;
	return (int32_t)x;
}

/*
 * Fixed activities at their recorded dates: they hold their units on the
 * days of the horizon they cover, count in the spread of their start's
 * month (when the horizon has it), and are never moved.  Conflicts among
 * them (a unit-day taken twice, a precedence between two of them broken)
 * are counted, as coplan_schedule_score() counts them, not resolved: they
 * are facts.  An end not recorded (or before the start) is the duration's.
 */
static void place_fixed(cp_sched *s)
{
	const coplan_plan *plan = s->plan;

	for (size_t i = 0; i < s->n_act; i++) {
		const coplan_activity *pa = &plan->activities[i];
		cp_act *a = &s->act[i];
		int32_t st, en;

		if (!a->fixed)
			continue;
		st = day_index(s, pa->start);
		if (pa->end != COPLAN_DATE_NONE && pa->end >= pa->start)
			en = day_index(s, pa->end);
		else if (st >= 0 && st < s->ndays && cp_end_of(s, a, st) != CP_NONE)
			en = cp_end_of(s, a, st);
		else
			en = st + (a->duration > 1 && a->duration < CP_MAX_DAYS ? a->duration - 1 : 0);
		a->pos = CP_OFF_DOMAIN;
		a->start = st;
		a->end = en;
		for (uint32_t k = 0; k < a->n_units; k++) {
			uint64_t *occ = s->occ[a->units[k]];
			int32_t *own = s->owner[a->units[k]];

			for (int32_t d = st < 0 ? 0 : st; d <= en && d < s->ndays; d++) {
				if ((occ[d >> 6] >> (d & 63)) & 1) {
					s->fixed_conflicts++;
					continue;
				}
				occ[d >> 6] |= 1ULL << (d & 63);
				own[d] = (int32_t)i;
			}
		}
		if (st >= 0 && st < s->ndays) {
			s->month_count[(size_t)a->host * s->n_months + s->month_of[st]]++;
			s->host_total[a->host]++;
		}
	}
	for (size_t h = 0; h < s->n_hosts; h++) {
		s->host_pen[h] = cp_spread_pen(s, (int32_t)h);
		s->spread_sum += s->host_pen[h];
	}
	for (size_t e = 0; e < s->n_edge; e++) {
		const cp_edge *ed = &s->edge[e];
		const cp_act *b = &s->act[ed->before], *q = &s->act[ed->after];

		if (!b->fixed || !q->fixed)
			continue;
		if ((int64_t)q->start < (int64_t)b->end + 1 + ed->min_gap)
			s->fixed_conflicts++;
		if (ed->max_gap >= 0 && (int64_t)q->start - b->end - 1 > ed->max_gap)
			s->fixed_conflicts++;
	}
}

static int build_months(cp_sched *s)
{
	int y0, m0;

	s->month_of = malloc(((size_t)s->ndays + 1) * sizeof(int32_t));
	if (!s->month_of)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	coplan_date_to_ymd(s->day0, &y0, &m0, NULL);
	for (int32_t d = 0; d < s->ndays; d++) {
		int y, m;

		coplan_date_to_ymd(cp_date(s, d), &y, &m, NULL);
		s->month_of[d] = (y - y0) * 12 + (m - m0);
	}
	s->n_months = s->month_of[s->ndays - 1] + 1;
	s->month_count = calloc(s->n_hosts * (size_t)s->n_months + 1, sizeof(int32_t));
	s->host_total = calloc(s->n_hosts + 1, sizeof(int32_t));
	s->host_pen = calloc(s->n_hosts + 1, sizeof(int32_t));
	if (!s->month_count || !s->host_total || !s->host_pen)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	return 0;
}

int cp_sched_init(cp_sched *s, const coplan_plan *plan, const coplan_weights *w, int replan)
{
	coplan_date from = COPLAN_DATE_NONE, to = COPLAN_DATE_NONE;
	size_t names;
	int rc;

	memset(s, 0, sizeof(*s));
	s->plan = plan;
	s->w = cp_sched_weights(w);
	s->replan = replan;
	rc = horizon(plan, &from, &to);
	if (rc)
		return rc;
	s->day0 = from;
	s->ndays = (int32_t)(to - from + 1);
	s->nwords = ((size_t)s->ndays + 63) / 64;
	s->n_act = plan->n_activities;
	names = 1;
	for (size_t i = 0; i < plan->n_activities; i++)
		names += 1 + plan->activities[i].n_participants + plan->activities[i].n_units;
	s->scope_cap = names;
	s->hash_cap = pow2_at_least(names * 2);
	s->scope_name = malloc(s->scope_cap * sizeof(*s->scope_name));
	s->scope_hash = malloc(s->hash_cap * sizeof(*s->scope_hash));
	s->act = calloc(s->n_act + 1, sizeof(*s->act));
	if (!s->scope_name || !s->scope_hash || !s->act) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (size_t i = 0; i < s->hash_cap; i++)
		s->scope_hash[i] = -1;
	if ((rc = build_acts(s)) || (rc = build_hosts(s)) || (rc = build_blackouts(s)) ||
	    (rc = build_units(s)) || (rc = build_edges(s)) || (rc = build_domains(s)) ||
	    (rc = build_months(s)))
		goto cleanup;
	place_fixed(s);
	s->n_unplaced = (int64_t)(s->n_act - s->n_fixed - s->n_cancelled);
cleanup:
	if (rc)
		cp_sched_release(s);
	return rc;
}

void cp_sched_release(cp_sched *s)
{
	for (size_t i = 0; s->act && i < s->n_act; i++) {
		free(s->act[i].starts);
		free(s->act[i].scopes);
		free(s->act[i].units);
	}
	free(s->act);
	for (size_t h = 0; h < s->n_hosts; h++) {
		if (s->cal)
			coplan_calendar_free(s->cal[h]);
		if (s->nonwork)
			free(s->nonwork[h]);
		if (s->wd_rank)
			free(s->wd_rank[h]);
		if (s->wd_list)
			free(s->wd_list[h]);
	}
	free(s->cal);
	free(s->nonwork);
	free(s->wd_rank);
	free(s->wd_list);
	free(s->host_scope);
	free(s->scope_host);
	for (size_t sc = 0; sc < s->n_scopes; sc++) {
		if (s->hard_bits)
			free(s->hard_bits[sc]);
		if (s->soft_prefix)
			free(s->soft_prefix[sc]);
	}
	free(s->hard_bits);
	free(s->soft_prefix);
	free(s->scope_name);
	free(s->scope_hash);
	free(s->scope_unit);
	free(s->unit_scope);
	for (size_t u = 0; u < s->n_units; u++) {
		if (s->occ)
			free(s->occ[u]);
		if (s->owner)
			free(s->owner[u]);
	}
	free(s->occ);
	free(s->owner);
	free(s->unit_act_at);
	free(s->unit_acts);
	free(s->edge);
	free(s->pred_list);
	free(s->succ_list);
	free(s->ref_hash);
	free(s->month_of);
	free(s->month_count);
	free(s->host_total);
	free(s->host_pen);
	memset(s, 0, sizeof(*s));
}

void cp_buf_span(cp_buf *b, const cp_sched *s, int32_t from, int32_t to)
{
	char f[COPLAN_DATE_ISO_LEN], t[COPLAN_DATE_ISO_LEN];

	coplan_date_format_iso(cp_date(s, from), f);
	if (to == from) {
		cp_buf_puts(b, f);
		return;
	}
	coplan_date_format_iso(cp_date(s, to), t);
	cp_buf_printf(b, "%s..%s", f, t);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* export_lp.c - the plan's scheduling problem as a day-indexed mixed-integer programme (CPLEX LP format). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coplan/schedule.h"
#include "schedule_int.h"
#include "buf.h"
#include "common.h"

/* An LP file for a large plan is big: allow up to 4 GiB in memory. */
#define CP_LP_MAX ((size_t)4 * 1024 * 1024 * 1024)
/* Terms per line: CPLEX LP readers limit line length. */
#define CP_LP_TERMS_PER_LINE 8

typedef struct {
	cp_buf *b;
	int rc;          /* first error, sticky */
	int terms;       /* terms on the current line */
} lp_writer;

static void put(lp_writer *w, const char *fmt, ...) CP_PRINTF(2, 3);

static void put(lp_writer *w, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;

	if (w->rc)
		return;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(small)) {
		w->rc = cp_error(COPLAN_ERROR, "lp: cannot format a line");
		return;
	}
	w->rc = cp_buf_add(w->b, small, (size_t)n);
}

/* One term "+ c name" (c == 1 written as "+ name"), wrapping lines. */
static void term(lp_writer *w, int64_t c, const char *name)
{
	if (w->terms && w->terms % CP_LP_TERMS_PER_LINE == 0)
		put(w, "\n  ");
	if (c == 1)
		put(w, " + %s", name);
	else if (c == -1)
		put(w, " - %s", name);
	else
		put(w, " %s %lld %s", c < 0 ? "-" : "+", (long long)(c < 0 ? -c : c), name);
	w->terms++;
}

static void row(lp_writer *w, const char *fmt, ...) CP_PRINTF(2, 3);

/* Start a constraint row " name:". */
static void row(lp_writer *w, const char *fmt, ...)
{
	char name[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	put(w, " %s:", name);
	w->terms = 0;
}

static const char *yname(char *out, size_t n, size_t a, int32_t day)
{
	snprintf(out, n, "y_%zu_%d", a, (int)day);
	return out;
}

/*
 * The terms of sum_k v[k] x_k for activity i in the step variables:
 * x_k = y_k - y_(k-1), so the sum is sum_k (v[k] - v[k+1]) y_k with
 * v[n] = 0; times scale.  Zero coefficients are left out.
 */
static void step_terms(lp_writer *w, const cp_act *a, size_t i, const int64_t *v, int64_t scale)
{
	char nm[48];

	for (uint32_t k = 0; k < a->n; k++) {
		int64_t c = (v[k] - (k + 1 < a->n ? v[k + 1] : 0)) * scale;

		if (c)
			term(w, c, yname(nm, sizeof(nm), i, a->starts[k]));
	}
}

/* Index of the last start <= day in a's domain, or -1. */
static int32_t last_at_most(const cp_act *a, int32_t day)
{
	uint32_t lo = 0, hi = a->n;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (a->starts[mid] <= day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int32_t)lo - 1;
}

/* 1 if activity a is a decision of the LP: neither fixed nor cancelled. */
static int decided(const cp_act *a)
{
	return !a->fixed && !a->cancelled;
}

/*
 * The whole LP for the context s (domains built and restricted by the
 * fixed activities; only those placed).  Fixed and cancelled activities
 * get no variable; fixed ones count as constants in the spread.
 */
static int write_lp(cp_buf *b, const cp_sched *s)
{
	lp_writer w = { b, 0, 0 };
	char nm[48], d0[COPLAN_DATE_ISO_LEN];
	int64_t medium = 1;
	int32_t *list = NULL, *first = NULL, *by_host = NULL;
	int64_t *vals = NULL;
	size_t maxn = 1;
	size_t *host_at = NULL;
	size_t nlist = 0;
	int rc = 0;

	/* the medium weight: more than any soft total (each activity at its dearest start, spread at most n) */
	for (size_t i = 0; i < s->n_act; i++) {
		int32_t mx = 0;

		if (s->act[i].cancelled)
			continue;
		for (uint32_t k = 0; k < s->act[i].n; k++)
			if (s->act[i].cost[k] > mx)
				mx = s->act[i].cost[k];
		medium += mx + s->w.spread;
	}
	for (size_t i = 0; i < s->n_act; i++)
		if (s->act[i].n > maxn)
			maxn = s->act[i].n;
	vals = malloc(maxn * sizeof(*vals));
	if (!vals)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	coplan_date_format_iso(s->day0, d0);
	put(&w, "\\ coplan scheduling problem: %zu activities, %d days from %s\n", s->n_act, (int)s->ndays, d0);
	put(&w, "\\ y_A_D = 1: activity A (index in the plan) has started by day D, one of its starts (0 = %s):\n", d0);
	put(&w, "\\ it starts on the first D with y_A_D = 1; u_A = 1: A unplaced\n");
	put(&w, "\\ objective = medium weight * unplaced + soft cost; the soft cost is coplan's, spread included\n");
	put(&w, "\\ weights: requested %d, soft_blackout %d, spread %d, moved %d, weekend %d\n", s->w.requested,
	    s->w.soft_blackout, s->w.spread, s->replan ? s->w.moved : 0, s->w.weekend);
	put(&w, "\\ medium weight: %lld\n", (long long)medium);
	put(&w, "\\ day0: %s\n", d0);
	for (size_t i = 0; i < s->n_act; i++) {
		const coplan_activity *pa = &s->plan->activities[i];
		char f[COPLAN_DATE_ISO_LEN], t[COPLAN_DATE_ISO_LEN];

		if (decided(&s->act[i])) {
			put(&w, "\\ activity %zu: %s\n", i, pa->ref);
		} else if (s->act[i].cancelled) {
			put(&w, "\\ cancelled %zu: %s (out of the schedule: no variable)\n", i, pa->ref);
		} else {
			coplan_date_format_iso(cp_date(s, s->act[i].start), f);
			coplan_date_format_iso(cp_date(s, s->act[i].end), t);
			put(&w, "\\ fixed %zu: %s %s %s..%s (kept as recorded: no variable)\n", i, pa->ref,
			    coplan_activity_status_name(pa->status), f, t);
		}
	}

	/* objective */
	put(&w, "Minimize\n obj:");
	w.terms = 0;
	for (size_t i = 0; i < s->n_act; i++) {
		const cp_act *a = &s->act[i];

		if (!decided(a))
			continue;
		snprintf(nm, sizeof(nm), "u_%zu", i);
		term(&w, medium, nm);
		for (uint32_t k = 0; k < a->n; k++)
			vals[k] = a->cost[k];
		step_terms(&w, a, i, vals, 1);
	}
	if (s->w.spread)
		for (size_t h = 0; h < s->n_hosts; h++) {
			snprintf(nm, sizeof(nm), "p_%zu", h);
			term(&w, s->w.spread, nm);
		}
	put(&w, "\nSubject To\n");

	/* each activity starts once or is unplaced */
	for (size_t i = 0; i < s->n_act; i++) {
		const cp_act *a = &s->act[i];

		if (!decided(a))
			continue;
		row(&w, "one_%zu", i);
		if (a->n)
			term(&w, 1, yname(nm, sizeof(nm), i, a->starts[a->n - 1]));
		snprintf(nm, sizeof(nm), "u_%zu", i);
		term(&w, 1, nm);
		put(&w, " = 1\n");
		/* the steps rise: y_(k-1) <= y_k */
		for (uint32_t k = 1; k < a->n; k++) {
			row(&w, "st_%zu_%u", i, k);
			term(&w, 1, yname(nm, sizeof(nm), i, a->starts[k - 1]));
			term(&w, -1, yname(nm, sizeof(nm), i, a->starts[k]));
			put(&w, " <= 0\n");
		}
	}

	/*
	 * Units: on each day, at most one activity of the unit covers it.  The
	 * starts of a covering day form a run of the domain (ends grow with
	 * starts); rows with a single activity are implied and left out.
	 */
	list = malloc(((size_t)s->unit_act_at[s->n_units] + 1) * sizeof(*list));
	first = malloc(((size_t)s->unit_act_at[s->n_units] + 1) * sizeof(*first));
	by_host = malloc((s->n_act + 1) * sizeof(*by_host));
	host_at = calloc(s->n_hosts + 2, sizeof(*host_at));
	if (!list || !first || !by_host || !host_at) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	/* activities grouped by host, in plan order */
	for (size_t i = 0; i < s->n_act; i++)
		host_at[s->act[i].host + 2]++;
	for (size_t h = 0; h < s->n_hosts; h++)
		host_at[h + 2] += host_at[h + 1];
	for (size_t i = 0; i < s->n_act; i++)
		by_host[host_at[s->act[i].host + 1]++] = (int32_t)i;
	for (size_t u = 0; u < s->n_units && !w.rc; u++) {
		uint32_t at = s->unit_act_at[u], cnt = s->unit_act_at[u + 1] - at;

		if (cnt < 2)
			continue;
		for (int32_t d = 0; d < s->ndays && !w.rc; d++) {
			int starts_here = 0, ends_here = 0;

			nlist = 0;
			for (uint32_t j = 0; j < cnt; j++) {
				int32_t i = s->unit_acts[at + j];
				const cp_act *a = &s->act[i];
				int32_t k0 = -1;

				/* domain starts s <= d with end(s) >= d: back from the last start <= d */
				for (int32_t k = last_at_most(a, d); k >= 0; k--) {
					if (cp_end_of(s, a, a->starts[k]) < d)
						break;
					k0 = k;
				}
				if (k0 >= 0) {
					list[nlist] = i;
					first[nlist++] = k0;
					starts_here |= a->starts[last_at_most(a, d)] == d;
					ends_here |= cp_end_of(s, a, a->starts[k0]) == d;
				}
			}
			/*
			 * Only the maximal sets: a day where no span starts covers a
			 * subset of the day before, one where none ends a subset of
			 * the day after.
			 */
			if (nlist < 2 || !starts_here || !ends_here)
				continue;
			row(&w, "unit_%zu_%d", u, (int)d);
			for (size_t m = 0; m < nlist; m++) {
				const cp_act *a = &s->act[list[m]];
				int32_t k1 = last_at_most(a, d);

				/* the starts first[m]..k1 cover d: y_k1 - y_(first - 1) */
				term(&w, 1, yname(nm, sizeof(nm), (size_t)list[m], a->starts[k1]));
				if (first[m] > 0)
					term(&w, -1, yname(nm, sizeof(nm), (size_t)list[m], a->starts[first[m] - 1]));
			}
			put(&w, " <= 1\n");
		}
	}

	/*
	 * Precedences b -> q (gaps in calendar days between b's end and q's
	 * start): q placed only if b is (u_b <= u_q); when both are placed,
	 * start_q - end_b >= 1 + min_gap (relaxed by a big M when q is
	 * unplaced) and start_q - end_b <= 1 + max_gap.
	 */
	for (size_t e = 0; e < s->n_edge && !w.rc; e++) {
		const cp_edge *ed = &s->edge[e];
		const cp_act *b = &s->act[ed->before], *q = &s->act[ed->after];
		int64_t bigm = 2 * (int64_t)s->ndays + ed->min_gap + 2;

		if (!decided(b) || !decided(q))
			continue;  /* with a fixed activity: in the domains already */

		if (ed->requires) {
			row(&w, "prec_placed_%zu", e);
			snprintf(nm, sizeof(nm), "u_%d", (int)ed->before);
			term(&w, 1, nm);
			snprintf(nm, sizeof(nm), "u_%d", (int)ed->after);
			term(&w, -1, nm);
			put(&w, " <= 0\n");
		}
		for (int pass = 0; pass < 1 + (ed->max_gap >= 0); pass++) {
			row(&w, "prec_%s_%zu", pass ? "max" : "min", e);
			for (uint32_t k = 0; k < q->n; k++)
				vals[k] = q->starts[k];
			step_terms(&w, q, (size_t)ed->after, vals, 1);
			for (uint32_t k = 0; k < b->n; k++)
				vals[k] = cp_end_of(s, b, b->starts[k]);
			step_terms(&w, b, (size_t)ed->before, vals, -1);
			/* AFTER: nothing binds when the predecessor is unplaced either */
			if (pass == 0) {
				snprintf(nm, sizeof(nm), "u_%d", (int)ed->after);
				term(&w, bigm, nm);
				if (!ed->requires) {
					snprintf(nm, sizeof(nm), "u_%d", (int)ed->before);
					term(&w, bigm, nm);
				}
				put(&w, " >= %d\n", 1 + ed->min_gap);
			} else {
				if (!ed->requires) {
					snprintf(nm, sizeof(nm), "u_%d", (int)ed->before);
					term(&w, -bigm, nm);
				}
				put(&w, " <= %d\n", 1 + ed->max_gap);
			}
		}
	}

	/*
	 * Spread, exactly: p_h >= count of h's activities starting in month m
	 * - c_h for every month, with c_h an integer and months * c_h <=
	 * placed_h + months - 1, so that at the optimum c_h = ceil(placed_h /
	 * months) and p_h = max(0, busiest month - c_h) as coplan counts it.
	 */
	if (s->w.spread) {
		for (size_t h = 0; h < s->n_hosts && !w.rc; h++) {
			for (int32_t m = 0; m < s->n_months && !w.rc; m++) {
				row(&w, "spread_%zu_%d", h, (int)m);
				for (size_t j = host_at[h]; j < host_at[h + 1]; j++) {
					const cp_act *a = &s->act[by_host[j]];
					int32_t k0 = -1, k1 = -1;

					/* its starts in month m are a run k0..k1: y_k1 - y_(k0 - 1) */
					for (uint32_t k = 0; k < a->n; k++)
						if (s->month_of[a->starts[k]] == m) {
							if (k0 < 0)
								k0 = (int32_t)k;
							k1 = (int32_t)k;
						}
					if (k1 < 0)
						continue;
					term(&w, 1, yname(nm, sizeof(nm), (size_t)by_host[j], a->starts[k1]));
					if (k0 > 0)
						term(&w, -1, yname(nm, sizeof(nm), (size_t)by_host[j], a->starts[k0 - 1]));
				}
				snprintf(nm, sizeof(nm), "c_%zu", h);
				term(&w, -1, nm);
				snprintf(nm, sizeof(nm), "p_%zu", h);
				term(&w, -1, nm);
				/* the fixed activities starting that month (counted by cp_sched_init) */
				put(&w, " <= %d\n", -(int)s->month_count[h * (size_t)s->n_months + (size_t)m]);
			}
			/* months * c_h - placed_h <= months - 1, placed_h = sum over h's activities of (1 - u_a) */
			row(&w, "spread_mean_%zu", h);
			snprintf(nm, sizeof(nm), "c_%zu", h);
			term(&w, s->n_months, nm);
			{
				int64_t nh = 0;

				for (size_t i = 0; i < s->n_act; i++) {
					if (s->act[i].host != (int32_t)h || !decided(&s->act[i]))
						continue;
					nh++;
					snprintf(nm, sizeof(nm), "u_%zu", i);
					term(&w, 1, nm);
				}
				/* placed_h also counts h's fixed activities in the horizon */
				put(&w, " <= %lld\n", (long long)(s->n_months - 1 + nh + s->host_total[h]));
			}
		}
	}

	put(&w, "Bounds\n");
	if (s->w.spread)
		for (size_t h = 0; h < s->n_hosts; h++)
			put(&w, " 0 <= c_%zu <= %zu\n p_%zu >= 0\n", h, s->n_act, h);
	put(&w, "Binaries\n");
	for (size_t i = 0; i < s->n_act; i++) {
		const cp_act *a = &s->act[i];

		if (!decided(a))
			continue;
		put(&w, " u_%zu\n", i);
		for (uint32_t k = 0; k < a->n; k++)
			put(&w, " %s\n", yname(nm, sizeof(nm), i, a->starts[k]));
	}
	if (s->w.spread) {
		put(&w, "Generals\n");
		for (size_t h = 0; h < s->n_hosts; h++)
			put(&w, " c_%zu\n", h);
	}
	put(&w, "End\n");
	rc = w.rc;
cleanup:
	free(vals);
	free(by_host);
	free(host_at);
	free(list);
	free(first);
	return rc;
}

/*
 * Fixed activities never move (cp_sched_init placed them), so whatever
 * they forbid is static: keep in each other domain only the starts that
 * fit with them (their units, precedences with them), and the LP needs no
 * variable or row for them.
 */
static void restrict_domains(cp_sched *s)
{
	for (size_t i = 0; i < s->n_act; i++) {
		cp_act *a = &s->act[i];
		uint32_t n = 0;
		int32_t mn = 0;

		for (uint32_t k = 0; k < a->n; k++) {
			if (!cp_fits_placed(s, (int32_t)i, (int32_t)k))
				continue;
			a->starts[n] = a->starts[k];
			a->cost[n] = a->cost[k];  /* cost stays where it was: starts + old n */
			if (n == 0 || a->cost[n] < mn)
				mn = a->cost[n];
			n++;
		}
		a->n = n;
		a->min_cost = mn;
	}
}

int cp_export_lp(cp_buf *b, const coplan_plan *plan, const coplan_weights *w, int replan)
{
	cp_sched s;
	int rc;

	rc = coplan_plan_validate(plan);
	if (rc)
		return rc;
	rc = cp_sched_init(&s, plan, w, replan);
	if (rc)
		return rc;
	restrict_domains(&s);
	rc = write_lp(b, &s);
	cp_sched_release(&s);
	return rc;
}

int coplan_schedule_export_lp(char **out, size_t *len, const coplan_plan *plan,
                              const coplan_weights *w, int replan)
{
	cp_buf b = CP_BUF_INIT(CP_LP_MAX);
	int rc;

	if (!out || !plan)
		return cp_error(COPLAN_EUSAGE, "no output or no plan for the lp export");
	*out = NULL;
	if (len)
		*len = 0;
	rc = cp_export_lp(&b, plan, w, replan);
	if (!rc && !(*out = cp_buf_detach(&b, len)))
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
	cp_buf_release(&b);
	return rc;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* bench_schedule.c - scheduler figures on generated plans: first valid plan, score over time, memory, speed, re-planning. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "coplan/coplan.h"
#include "coplan/schedule.h"
#include "plan_gen.h"

/*
 * usage: coplan_bench_schedule [-r RUNS] [-l LIMIT[,LIMIT...]] [-s SIZE[,SIZE...]] [-L DIR]
 *   -r RUNS   runs per size with solver seeds 1..RUNS on the same plan (default 3); medians
 *   -l LIMITS seconds of search at which the best score is read (default 1,10,60); one run
 *             of the largest limit per seed, the others read on the way (the best score
 *             reported at or before each limit, so never flattered)
 *   -s SIZES  indices into the sizes below (default all): 0 28/15/2, 1 200/60/10,
 *             2 1,000/200/40, 3 5,000/1,000/100, 4 10,000/1,000/100
 *   -L DIR    also write DIR/plan-N.lp (the LP export of the plan), and for 5,000
 *             activities the re-planning test's DIR/replan-N.lp and DIR/replan-N.prev
 *   -R        run the re-planning test (one activity's window changed after the
 *             largest limit; re-planned with time limit 0, replan on)
 * Output: one "result" line per size, key=value, for bench/run-cbc.sh.
 * The plan is plan_gen_defaults(1, n, units, nations): the same plan in every run.
 */

static const struct { size_t n, units, nations; } sizes[] = {
	{ 28, 15, 2 }, { 200, 60, 10 }, { 1000, 200, 40 }, { 5000, 1000, 100 }, { 10000, 1000, 100 },
};
#define N_SIZES (sizeof(sizes) / sizeof(sizes[0]))
#define MAX_LIMITS 8
#define MAX_RUNS 32

/* The LP's objective for a score: medium weight * unplaced - soft; the weight is read from the LP. */
typedef struct {
	int n_limits;
	double limits[MAX_LIMITS];
	double best_at[MAX_LIMITS];  /* medium * 2^40 + soft of the best reported by each limit */
	long medium_at[MAX_LIMITS], soft_at[MAX_LIMITS];
} track;

static void on_progress(const coplan_score *best, double elapsed, void *payload)
{
	track *t = payload;

	for (int l = 0; l < t->n_limits; l++) {
		if (elapsed <= t->limits[l]) {
			t->medium_at[l] = best->medium;
			t->soft_at[l] = best->soft;
		}
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static long peak_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(data, 1, len, f) == len;

	if (f && fclose(f))
		ok = 0;
	if (!ok)
		fprintf(stderr, "cannot write %s\n", path);
	return ok ? 0 : -1;
}

static int write_lp(const char *path, const coplan_plan *plan, const coplan_weights *w, int replan)
{
	char *lp = NULL;
	size_t len = 0;
	int rc = coplan_schedule_export_lp(&lp, &len, plan, w, replan);

	if (rc) {
		fprintf(stderr, "lp export failed: %s\n", coplan_error_last());
		return -1;
	}
	rc = write_file(path, lp, len);
	free(lp);
	return rc;
}

static int parse_list(const char *text, double *out, int max)
{
	int n = 0;
	char *end;

	while (*text && n < max) {
		out[n++] = strtod(text, &end);
		if (end == text)
			return -1;
		text = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			return -1;
	}
	return n;
}

/* CPU seconds of this process (the machine may be shared). */
static double cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * The re-planning test: in the scheduled plan, move the earliest date of
 * the window of one placed, unpinned activity with no precedences past its
 * start (one "change"), then re-plan with time limit 0.  Prints the time
 * and the activities moved, and writes the LP of the changed plan with a
 * large move weight for CBC, with the previous start day of each activity.
 */
static int replan_test(coplan_plan *plan, const char *lpdir, size_t n)
{
	coplan_schedule_options opts;
	coplan_schedule_stats st;
	coplan_date *prev = malloc(plan->n_activities * sizeof(*prev));
	coplan_score sc;
	long pick = -1;
	int moved = 0, shifted = 0, placed = 0, rc = 0;
	double t0, c0;

	if (!prev)
		return -1;
	for (size_t i = 0; i < plan->n_activities && pick < 0; i++) {
		coplan_activity *a = &plan->activities[i];
		int has_prec = 0;

		for (size_t k = 0; k < plan->n_precedences; k++)
			has_prec |= !strcmp(plan->precedences[k].before, a->ref) ||
			            !strcmp(plan->precedences[k].after, a->ref);
		if (i >= plan->n_activities / 2 && a->start != COPLAN_DATE_NONE && !a->pinned && !has_prec &&
		    a->start + 40 < plan->window_to && (a->latest == COPLAN_DATE_NONE || a->latest > a->start + 40))
			pick = (long)i;
	}
	if (pick < 0) {
		free(prev);
		return -1;
	}
	for (size_t i = 0; i < plan->n_activities; i++)
		prev[i] = plan->activities[i].start;
	plan->activities[pick].earliest = plan->activities[pick].start + 7;  /* its date is now too early */
	if (lpdir) {
		char path[1024];
		coplan_weights w = { 10, 5, 1, 1000, 20 };
		FILE *f;

		snprintf(path, sizeof(path), "%s/replan-%zu.lp", lpdir, n);
		if (write_lp(path, plan, &w, 1))
			rc = -1;
		snprintf(path, sizeof(path), "%s/replan-%zu.prev", lpdir, n);
		if ((f = fopen(path, "w"))) {
			for (size_t i = 0; i < plan->n_activities; i++)
				fprintf(f, "%zu\t%ld\n", i, prev[i] == COPLAN_DATE_NONE ? -1L
				        : (long)(prev[i] - plan->window_from));
			fclose(f);
		}
	}
	memset(&opts, 0, sizeof(opts));
	opts.seed = 1;
	opts.replan = 1;
	opts.time_limit = 0;
	opts.stats = &st;
	t0 = now_seconds();
	c0 = cpu_seconds();
	if (coplan_schedule(plan, &opts, &sc)) {
		fprintf(stderr, "re-plan failed: %s\n", coplan_error_last());
		free(prev);
		return -1;
	}
	for (size_t i = 0; i < plan->n_activities; i++) {
		moved += plan->activities[i].start != prev[i];
		shifted += plan->activities[i].start != prev[i] && prev[i] != COPLAN_DATE_NONE &&
		           plan->activities[i].start != COPLAN_DATE_NONE;
		placed += prev[i] == COPLAN_DATE_NONE && plan->activities[i].start != COPLAN_DATE_NONE;
	}
	printf("replan n=%zu changed=%s seconds=%.4f cpu=%.4f construct=%.4f moves=%llu moved=%d (shifted %d, "
	       "newly placed %d) medium=%ld soft=%ld\n", n, plan->activities[pick].ref, now_seconds() - t0,
	       cpu_seconds() - c0, st.construct_seconds, (unsigned long long)st.iterations, moved, shifted, placed,
	       sc.medium, sc.soft);
	free(prev);
	return rc;
}

int main(int argc, char **argv)
{
	double limits[MAX_LIMITS] = { 1, 10, 60 }, sz[N_SIZES];
	int runs = 3, n_limits = 3, n_sz = 0, do_replan = 0, c;
	const char *lpdir = NULL;

	while ((c = getopt(argc, argv, "r:l:s:L:R")) != -1) {
		switch (c) {
		case 'r':
			runs = (int)strtol(optarg, NULL, 10);
			break;
		case 'l':
			n_limits = parse_list(optarg, limits, MAX_LIMITS);
			break;
		case 's':
			n_sz = parse_list(optarg, sz, (int)N_SIZES);
			break;
		case 'L':
			lpdir = optarg;
			break;
		case 'R':
			do_replan = 1;
			break;
		default:
			fprintf(stderr, "usage: coplan_bench_schedule [-r RUNS] [-l LIMITS] [-s SIZES] [-L DIR] [-R]\n");
			return 2;
		}
	}
	if (runs < 1 || runs > MAX_RUNS || n_limits < 1) {
		fprintf(stderr, "coplan_bench_schedule: bad -r or -l\n");
		return 2;
	}
	qsort(limits, (size_t)n_limits, sizeof(double), cmp_double);
	if (n_sz <= 0)
		for (n_sz = 0; n_sz < (int)N_SIZES; n_sz++)
			sz[n_sz] = n_sz;
	for (int zi = 0; zi < n_sz; zi++) {
		size_t z = (size_t)sz[zi];
		double first[MAX_RUNS], evs[MAX_RUNS], med[MAX_LIMITS][MAX_RUNS], soft[MAX_LIMITS][MAX_RUNS];
		coplan_plan *keep = NULL;

		if (z >= N_SIZES)
			continue;
		for (int r = 0; r < runs; r++) {
			plan_gen_params p = plan_gen_defaults(1, sizes[z].n, sizes[z].units, sizes[z].nations);
			coplan_schedule_options opts;
			coplan_schedule_stats st;
			coplan_plan *plan = NULL;
			coplan_score sc;
			track t;

			if (plan_gen(&plan, &p)) {
				fprintf(stderr, "generator failed\n");
				return 1;
			}
			if (r == 0 && lpdir) {
				char path[1024];

				snprintf(path, sizeof(path), "%s/plan-%zu.lp", lpdir, sizes[z].n);
				if (write_lp(path, plan, NULL, 0))
					return 1;
			}
			memset(&t, 0, sizeof(t));
			t.n_limits = n_limits;
			memcpy(t.limits, limits, sizeof(limits));
			memset(&opts, 0, sizeof(opts));
			opts.seed = (unsigned long)r + 1;
			opts.time_limit = limits[n_limits - 1];
			opts.stats = &st;
			opts.progress = on_progress;
			opts.payload = &t;
			for (int l = 0; l < n_limits; l++)
				t.medium_at[l] = -(long)plan->n_activities - 1;  /* nothing reported yet */
			if (coplan_schedule(plan, &opts, &sc)) {
				fprintf(stderr, "schedule failed: %s\n", coplan_error_last());
				return 1;
			}
			for (int l = 0; l < n_limits; l++) {
				/* a run that ended early (optimum, stagnation) holds its final score at every limit */
				if (st.seconds <= limits[l] * 1.01 + 0.01 || t.medium_at[l] < -(long)plan->n_activities) {
					t.medium_at[l] = sc.medium;
					t.soft_at[l] = sc.soft;
				}
				med[l][r] = (double)t.medium_at[l];
				soft[l][r] = (double)t.soft_at[l];
			}
			first[r] = st.construct_seconds;
			evs[r] = st.seconds - st.construct_seconds > 0.001
			         ? (double)st.evaluations / (st.seconds - st.construct_seconds) : 0;
			printf("run n=%zu seed=%d first=%.4f seconds=%.2f evals=%llu iterations=%llu final=%ld/%ld\n",
			       sizes[z].n, r + 1, st.construct_seconds, st.seconds, st.evaluations, st.iterations,
			       sc.medium, sc.soft);
			fflush(stdout);
			if (r == 0)
				keep = plan;
			else
				coplan_plan_free(plan);
		}
		printf("result n=%zu units=%zu nations=%zu runs=%d first=%.4f", sizes[z].n, sizes[z].units,
		       sizes[z].nations, runs, median(first, runs));
		for (int l = 0; l < n_limits; l++)
			printf(" medium@%g=%.0f soft@%g=%.0f", limits[l], median(med[l], runs), limits[l],
			       median(soft[l], runs));
		printf(" evals_per_s=%.0f rss_mb=%.1f\n", median(evs, runs), (double)peak_rss_kb() / 1024);
		fflush(stdout);
		if (do_replan && keep && replan_test(keep, lpdir, sizes[z].n))
			fprintf(stderr, "re-planning test failed\n");
		coplan_plan_free(keep);
	}
	return 0;
}

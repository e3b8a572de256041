/* bench_schedule.c - scheduler figures on generated plans: first valid plan, score over time, memory, speed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "coplan/coplan.h"
#include "coplan/schedule.h"
#include "plan_gen.h"

/*
 * usage: coplan_bench_schedule [runs [limit...]]
 *   runs   runs per size (default 3; figures are medians)
 *   limit  seconds of search after construction (default: 0 1 5)
 * For each size: time to the first valid plan (construction, including
 * calendars and domains), the score after each limit, peak RSS, and
 * score evaluations per second during the longest search.
 */

static const struct { size_t n, units, nations; } sizes[] = {
	{ 28, 15, 2 }, { 200, 60, 10 }, { 1000, 200, 40 }, { 5000, 1000, 100 }, { 10000, 1000, 100 },
};

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

int main(int argc, char **argv)
{
	int runs = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 3;
	double limits[8] = { 0, 1, 5 };
	int n_limits = 3;

	if (runs < 1 || runs > 99)
		runs = 3;
	if (argc > 2) {
		n_limits = 0;
		for (int k = 2; k < argc && n_limits < 8; k++)
			limits[n_limits++] = strtod(argv[k], NULL);
	}
	printf("%-7s %-6s %-4s | %-10s | %-34s | %-9s | %s\n", "acts", "units", "nat",
	       "first(s)", "medium/soft after limits", "RSS(MB)", "evals/s");
	for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		double first[99], evs[99], soft[8][99], medium[8][99];
		char line[256] = "";
		size_t len = 0;

		for (int l = 0; l < n_limits; l++) {
			for (int r = 0; r < runs; r++) {
				plan_gen_params p = plan_gen_defaults((unsigned long)r + 1, sizes[z].n,
				                                      sizes[z].units, sizes[z].nations);
				coplan_schedule_options opts;
				coplan_schedule_stats st;
				coplan_plan *plan = NULL;
				coplan_score sc;

				if (plan_gen(&plan, &p)) {
					fprintf(stderr, "generator failed\n");
					return 1;
				}
				memset(&opts, 0, sizeof(opts));
				opts.seed = 1;
				opts.time_limit = limits[l];
				opts.stats = &st;
				if (coplan_schedule(plan, &opts, &sc)) {
					fprintf(stderr, "schedule failed: %s\n", coplan_error_last());
					return 1;
				}
				soft[l][r] = (double)sc.soft;
				medium[l][r] = (double)sc.medium;
				if (l == n_limits - 1) {
					first[r] = st.construct_seconds;
					evs[r] = st.seconds - st.construct_seconds > 0.001
					         ? (double)st.evaluations / (st.seconds - st.construct_seconds) : 0;
				}
				coplan_plan_free(plan);
			}
		}
		for (int l = 0; l < n_limits && len < sizeof(line); l++)
			len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%gs:%.0f/%.0f",
			                        l ? " " : "", limits[l], median(medium[l], runs),
			                        median(soft[l], runs));
		printf("%-7zu %-6zu %-4zu | %-10.4f | %-34s | %-9.1f | %.2fM\n", sizes[z].n,
		       sizes[z].units, sizes[z].nations, median(first, runs), line,
		       (double)peak_rss_kb() / 1024, median(evs, runs) / 1e6);
		fflush(stdout);
	}
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* bench_calendar.c - time building national calendars and querying working days. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "coplan/coplan.h"

#define QUERIES 10000000L
#define ROUNDS 20

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* xorshift64: a fast, reproducible stream of random dates */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

int main(void)
{
	static const char *const nations[] = { "ITA", "JPN", "GBR" };
	const int first = COPLAN_HOLIDAY_FIRST_YEAR, last = COPLAN_HOLIDAY_LAST_YEAR;
	const int years = last - first + 1;
	coplan_date lo = coplan_date_from_ymd(first, 1, 1), hi = coplan_date_from_ymd(last, 12, 31);
	coplan_date *dates;
	long working = 0;

	printf("building %d years (%d-%d), median of %d rounds\n", years, first, last, ROUNDS);
	for (size_t i = 0; i < sizeof(nations) / sizeof(nations[0]); i++) {
		double times[ROUNDS], median;

		for (int r = 0; r < ROUNDS; r++) {
			coplan_calendar *cal = NULL;
			double t0 = now_ns();
			if (coplan_calendar_new(&cal, nations[i], NULL, first, last)) {
				fprintf(stderr, "bench: %s\n", coplan_error_last());
				return 1;
			}
			times[r] = now_ns() - t0;
			coplan_calendar_free(cal);
		}
		qsort(times, ROUNDS, sizeof(times[0]), cmp_double);
		median = times[ROUNDS / 2];
		printf("  %s: %.3f ms for %d years, %.2f us per nation-year\n", nations[i],
		       median / 1e6, years, median / 1e3 / years);
	}

	/* the dates first, so that only the queries are timed */
	dates = malloc(QUERIES * sizeof(*dates));
	if (!dates)
		return 1;
	uint64_t seed = 0x9e3779b97f4a7c15u;
	for (long q = 0; q < QUERIES; q++)
		dates[q] = lo + (coplan_date)(next_random(&seed) % (uint64_t)(hi - lo + 1));
	for (size_t i = 0; i < sizeof(nations) / sizeof(nations[0]); i++) {
		coplan_calendar *cal = NULL;

		if (coplan_calendar_new(&cal, nations[i], NULL, first, last))
			return 1;
		double t0 = now_ns();
		long w = 0;
		for (long q = 0; q < QUERIES; q++)
			w += coplan_calendar_is_working_day(cal, dates[q]);
		double t = now_ns() - t0;
		working += w;
		printf("  %s: %ld is_working_day queries, %.2f ns per query (%.1f%% working)\n",
		       nations[i], QUERIES, t / QUERIES, 100.0 * (double)w / QUERIES);
		coplan_calendar_free(cal);
	}
	free(dates);
	/* the result is used, so the queries cannot be optimised away */
	printf("checksum %ld\n", working);
	return 0;
}

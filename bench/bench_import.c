/* SPDX-License-Identifier: Apache-2.0 */
/* bench_import.c - import and export figures on a generated 100,000-row proposal sheet: CSV read, validation, SQLite, iCalendar. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "coplan/coplan.h"
#include "coplan/export.h"
#include "coplan/import.h"
#include "coplan/store.h"

/*
 * usage: coplan_bench_import DIR [rows [runs]]
 *   DIR   where the generated files go: proposals.csv (the sheet), plan.ics
 *         (coplan's export, which bench/compare_import.py writes again with
 *         python3-icalendar) and bench.db (scratch)
 *   rows  proposals to generate (default 100000)
 *   runs  runs of each part (default 5); the figures are medians
 *
 * Prints one "key value" line per figure (seconds and rows or events per
 * second) for bench/run-import-bench.sh to put beside Python's.  The data is
 * the same on every run and machine: a fixed xorshift generator.
 */

static const char *const nations[] = { "ITA", "JPN", "GBR", "FRA", "DEU", "USA", "ESP", "AUS",
                                       "CAN", "KOR", "IND", "NLD" };
static const char *const areas[] = { "training", "strategic dialogue", "procurement", "GCAP",
                                     "maritime security", "cyber", "medical", "peacekeeping" };
static const char *const kinds[] = { "course", "seminar", "staff talks", "visit", "exercise",
                                     "port call" };

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t next_rand(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static unsigned pick(unsigned n)
{
	return (unsigned)(next_rand() % n);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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

static void die(const char *what)
{
	fprintf(stderr, "coplan_bench_import: %s: %s\n", what, coplan_error_last());
	exit(1);
}

/*
 * Write rows proposals as an English Excel CSV: every column the importer
 * knows, lists, quoted cells with commas and doubled quotes, date windows on
 * a third of the rows, precedences on one row in twenty.
 */
static void write_proposals(const char *path, size_t rows)
{
	FILE *f = fopen(path, "wb");
	size_t i;

	if (!f) {
		perror(path);
		exit(1);
	}
	fputs("ref,title,area,kind,host,participants,units,duration,mode,earliest,latest,requested,"
	      "after,location,notes\r\n", f);
	for (i = 1; i <= rows; i++) {
		const char *host = nations[pick(12)], *other = nations[pick(12)];
		unsigned month = 1 + pick(10), day = 1 + pick(28), duration = 1 + pick(15);
		int windowed = pick(3) == 0;

		fprintf(f, "P-%06zu,Activity %zu: %s %s,%s,%s,%s,%s;%s,Unit %u;Unit %u,%u,%s,", i, i,
		        kinds[i % 6], areas[i % 8], areas[i % 8], kinds[i % 6], host, host, other,
		        pick(500), 500 + pick(500), duration, pick(4) ? "working" : "calendar");
		if (windowed)
			fprintf(f, "2024-%02u-%02u,2024-12-31,", month, day);
		else
			fputs(",,", f);
		fprintf(f, "2024-%02u,", windowed ? month : 1 + pick(12));
		if (i > 100 && i % 20 == 0)
			fprintf(f, "P-%06zu+%u", i - 100, pick(10));
		fprintf(f, ",\"City %u, Region %u\",", pick(300), pick(20));
		if (i % 7 == 0)
			fprintf(f, "\"Proposal \"\"%zu\"\", line one\nline two\"\r\n", i);
		else
			fprintf(f, "Proposal %zu\r\n", i);
	}
	if (fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

/* A new empty plan for 2024 between the twelve nations. */
static coplan_plan *empty_plan(void)
{
	coplan_plan *plan;
	size_t i;

	if (coplan_plan_new(&plan))
		die("plan");
	plan->title = strdup("Benchmark plan");
	plan->year = 2024;
	plan->window_from = coplan_date_from_ymd(2024, 1, 1);
	plan->window_to = coplan_date_from_ymd(2024, 12, 31);
	plan->nations = calloc(12, sizeof(char *));
	if (!plan->title || !plan->nations)
		die("plan");
	for (i = 0; i < 12; i++)
		if (!(plan->nations[plan->n_nations++] = strdup(nations[i])))
			die("plan");
	return plan;
}

/* Place every activity (start at earliest or in its requested month, end by duration). */
static void place_all(coplan_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->n_activities; i++) {
		coplan_activity *a = &plan->activities[i];

		a->start = a->earliest != COPLAN_DATE_NONE ? a->earliest : a->requested_from;
		a->end = a->start + (a->duration * 7 + 4) / 5 - 1;
	}
}

int main(int argc, char **argv)
{
	const char *dir;
	size_t rows = 100000;
	int runs = 5, r;
	char csv_path[4096], ics_path[4096], db_path[4096];
	double t_read[99], t_validate[99], t_sqlite[99], t_ics[99], t0;
	size_t ics_len = 0, n_events = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: coplan_bench_import DIR [rows [runs]]\n");
		return 2;
	}
	dir = argv[1];
	if (argc > 2)
		rows = (size_t)strtoul(argv[2], NULL, 10);
	if (argc > 3)
		runs = (int)strtol(argv[3], NULL, 10);
	if (rows < 1 || runs < 1 || runs > 99) {
		fprintf(stderr, "coplan_bench_import: rows >= 1, runs 1 to 99\n");
		return 2;
	}
	snprintf(csv_path, sizeof(csv_path), "%s/proposals.csv", dir);
	snprintf(ics_path, sizeof(ics_path), "%s/plan.ics", dir);
	snprintf(db_path, sizeof(db_path), "%s/bench.db", dir);
	write_proposals(csv_path, rows);

	for (r = 0; r < runs; r++) {
		coplan_csv_table *table = NULL;
		coplan_import_report rep;
		coplan_plan *plan = empty_plan();
		coplan_store *store = NULL;
		coplan_export_options eopts = { 0 };
		char *ics = NULL;
		long id;

		/* 1. read: bytes, encoding, delimiter, records (libcsv) */
		t0 = now_s();
		if (coplan_csv_read_file(&table, csv_path, NULL))
			die("csv read");
		t_read[r] = now_s() - t0;
		if (table->n_records != rows + 1)
			die("csv rows");
		coplan_csv_table_free(table);

		/* 2. read and validate every cell into activities, all or nothing */
		t0 = now_s();
		if (coplan_import_activities_csv_report(plan, csv_path, NULL, &rep))
			die("import");
		if (coplan_plan_validate(plan))
			die("validate");
		t_validate[r] = now_s() - t0;
		if (rep.rows_imported != rows)
			die("rows imported");
		coplan_plan_free(plan);

		/* 3. the whole of 'coplan import proposals.csv': read, validate, store in SQLite */
		unlink(db_path);
		plan = empty_plan();
		if (coplan_store_open(&store, db_path) || coplan_store_insert_plan(store, plan, &id))
			die("store");
		t0 = now_s();
		if (coplan_import_activities_csv_report(plan, csv_path, NULL, &rep) ||
		    coplan_plan_validate(plan) || coplan_store_update_plan(store, id, plan))
			die("import into SQLite");
		t_sqlite[r] = now_s() - t0;
		coplan_store_close(store);

		/* 4. iCalendar: the plan placed, one event per activity */
		place_all(plan);
		eopts.now = 1704931200; /* 2024-01-11T00:00:00Z: a stable DTSTAMP */
		t0 = now_s();
		if (coplan_export(&ics, &ics_len, plan, COPLAN_FORMAT_ICS, &eopts))
			die("export ics");
		t_ics[r] = now_s() - t0;
		n_events = plan->n_activities;
		if (r == 0) {
			FILE *f = fopen(ics_path, "wb");

			if (!f || fwrite(ics, 1, ics_len, f) != ics_len || fclose(f) != 0) {
				perror(ics_path);
				return 1;
			}
		}
		free(ics);
		coplan_plan_free(plan);
	}
	unlink(db_path);
	printf("rows %zu\n", rows);
	printf("runs %d\n", runs);
	{
		struct stat st;

		printf("csv_bytes %lld\n", stat(csv_path, &st) == 0 ? (long long)st.st_size : -1LL);
	}
	printf("csv_read_s %.4f\n", median(t_read, runs));
	printf("csv_read_rows_per_s %.0f\n", (double)rows / median(t_read, runs));
	printf("csv_validate_s %.4f\n", median(t_validate, runs));
	printf("csv_validate_rows_per_s %.0f\n", (double)rows / median(t_validate, runs));
	printf("sqlite_import_s %.4f\n", median(t_sqlite, runs));
	printf("sqlite_import_rows_per_s %.0f\n", (double)rows / median(t_sqlite, runs));
	printf("ics_events %zu\n", n_events);
	printf("ics_bytes %zu\n", ics_len);
	printf("ics_export_s %.4f\n", median(t_ics, runs));
	printf("ics_events_per_s %.0f\n", (double)n_events / median(t_ics, runs));
	return 0;
}

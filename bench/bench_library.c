/* SPDX-License-Identifier: Apache-2.0 */
/* bench_library.c - the scheduler against stored CBC figures on the benchmark library (bench/library/). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "coplan/coplan.h"
#include "coplan/export.h"
#include "coplan/schedule.h"
#include "plan_gen.h"

/*
 * usage:
 *   coplan_bench_library list                 every instance: name, size, seed, hash
 *   coplan_bench_library lp NAME FILE         write NAME's LP export to FILE
 *   coplan_bench_library run [-l LIMITS] [-n SIZES] [-s SEEDS] [-f CBC.tsv] [-c CURVE.tsv] [-m MOVES] [-S SEED] [-C [-W FACTOR]]
 *       schedule each instance once with solver seed SEED (default 1) and the largest limit (seconds of
 *       CPU, wall clock on an idle core), read the best score at each limit from the
 *       progress callback, and compare it with the stored CBC figure of the instance
 *       (bench/library/cbc.tsv, checked against the instance's hash); -C: the limits are
 *       CPU seconds of this process (for a shared machine: the search runs for three times
 *       the largest limit in wall clock, -W FACTOR times on a busier machine; the best at each CPU
 *       limit is reported); -c writes every
 *       progress point (for the curves in docs/bench/); -m MOVES runs a fixed move
 *       budget instead (deterministic) and prints the final score.
 * The instances are plan_gen_hard(seed, n) for n in 41, 200, 1,000, 2,000, 5,000,
 * 10,000 and seeds 1-3, named hN-sS; the hash is FNV-1a 64 of the plan's JSON export
 * (generated time fixed), so a changed generator cannot meet an old CBC figure.
 */

static const size_t lib_sizes[] = { 41, 200, 1000, 2000, 5000, 10000 };
#define N_LIB (sizeof(lib_sizes) / sizeof(lib_sizes[0]))
#define MAX_LIMITS 8
#define MAX_POINTS 4096

static unsigned long long fnv64(const char *p, size_t n)
{
	unsigned long long h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
	return h;
}

static int plan_hash(const coplan_plan *plan, unsigned long long *out)
{
	coplan_export_options eo;
	char *json = NULL;
	size_t len = 0;
	int rc;

	memset(&eo, 0, sizeof(eo));
	eo.now = 1;
	rc = coplan_export(&json, &len, plan, COPLAN_FORMAT_JSON, &eo);
	if (rc)
		return rc;
	*out = fnv64(json, len);
	free(json);
	return 0;
}

typedef struct {
	char name[32];
	unsigned long long hash;
	char status[16];
	double objective, bound, limit, seconds;
	long unplaced, soft, medium_weight;
} cbc_row;

/* The stored CBC row of name with hash, or 0 if none (or a stale hash). */
static int cbc_find(const char *path, const char *name, unsigned long long hash, cbc_row *out)
{
	FILE *f = fopen(path, "r");
	char line[512];
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		cbc_row r;
		char hs[32];

		memset(&r, 0, sizeof(r));
		if (line[0] == '#' ||
		    sscanf(line, "%31s %31s %15s %lf %lf %ld %ld %ld %lf %lf", r.name, hs, r.status, &r.objective,
		           &r.bound, &r.unplaced, &r.soft, &r.medium_weight, &r.limit, &r.seconds) != 10)
			continue;
		r.hash = strtoull(hs, NULL, 16);
		if (!strcmp(r.name, name) && r.hash == hash) {
			*out = r;
			found = 1;
		}
	}
	fclose(f);
	return found;
}

typedef struct {
	int n;
	int cpu;                   /* 1: time points in CPU seconds of the process since cpu0 */
	double cpu0;
	double t[MAX_POINTS];
	long medium[MAX_POINTS], soft[MAX_POINTS];
} curve;

static double cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_progress(const coplan_score *best, double elapsed, void *payload)
{
	curve *c = payload;

	if (c->cpu)
		elapsed = cpu_seconds() - c->cpu0;
	if (c->n < MAX_POINTS) {
		c->t[c->n] = elapsed;
		c->medium[c->n] = best->medium;
		c->soft[c->n++] = best->soft;
	}
}

static int parse_list(const char *text, double *out, int max)
{
	int n = 0;
	char *end;

	while (*text && n < max) {
		out[n++] = strtod(text, &end);
		if (end == text || (*end && *end != ','))
			return -1;
		text = *end == ',' ? end + 1 : end;
	}
	return n;
}

static int in_list(double v, const double *list, int n)
{
	if (n <= 0)
		return 1;
	for (int k = 0; k < n; k++)
		if (list[k] == v)
			return 1;
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	double limits[MAX_LIMITS] = { 1, 10 }, sizes[N_LIB], seeds[8];
	int n_limits = 2, n_sizes = 0, n_seeds = 0, c;
	const char *cbc = "bench/library/cbc.tsv", *curve_path = NULL;
	unsigned long moves = 0, solver_seed = 1;
	int verbose = 0, cpu = 0;
	double wall_factor = 3;
	FILE *cf = NULL;

	while ((c = getopt(argc, argv, "l:n:s:f:c:m:S:CW:v")) != -1) {
		switch (c) {
		case 'l': n_limits = parse_list(optarg, limits, MAX_LIMITS); break;
		case 'n': n_sizes = parse_list(optarg, sizes, (int)N_LIB); break;
		case 's': n_seeds = parse_list(optarg, seeds, 8); break;
		case 'f': cbc = optarg; break;
		case 'c': curve_path = optarg; break;
		case 'm': moves = strtoul(optarg, NULL, 10); break;
		case 'S': solver_seed = strtoul(optarg, NULL, 10); break;
		case 'C': cpu = 1; break;
		case 'W': wall_factor = strtod(optarg, NULL); break;
		case 'v': verbose = 1; break;
		default: return 2;
		}
	}
	if (n_limits < 1 || n_sizes < 0 || n_seeds < 0)
		return 2;
	if (curve_path && !(cf = fopen(curve_path, "w"))) {
		fprintf(stderr, "cannot write %s\n", curve_path);
		return 1;
	}
	if (cf)
		fprintf(cf, "name\tseconds\tunplaced\tsoft\n");
	printf("%-10s %8s %9s %9s", "instance", "cbc", "cbc_unpl", "cbc_soft");
	for (int l = 0; l < n_limits; l++)
		printf("  @%-5g unpl      soft    gap", limits[l]);
	printf("\n");
	for (size_t z = 0; z < N_LIB; z++) {
		if (!in_list((double)lib_sizes[z], sizes, n_sizes))
			continue;
		for (int seed = 1; seed <= 3; seed++) {
			coplan_schedule_options opts;
			coplan_plan *plan = NULL;
			coplan_score sc;
			unsigned long long hash;
			char name[32];
			cbc_row row;
			int have;
			static curve cv;

			if (!in_list(seed, seeds, n_seeds))
				continue;
			snprintf(name, sizeof(name), "h%zu-s%d", lib_sizes[z], seed);
			if (plan_gen_hard(&plan, (unsigned long)seed, lib_sizes[z]) || plan_hash(plan, &hash)) {
				fprintf(stderr, "%s: generator failed\n", name);
				return 1;
			}
			have = cbc_find(cbc, name, hash, &row);
			memset(&opts, 0, sizeof(opts));
			memset(&cv, 0, sizeof(cv));
			opts.seed = solver_seed;
			opts.time_limit = limits[n_limits - 1] * (cpu ? wall_factor : 1);
			opts.max_iterations = moves;
			opts.progress = on_progress;
			opts.payload = &cv;
			cv.cpu = cpu;
			cv.cpu0 = cpu_seconds();
			if (coplan_schedule(plan, &opts, &sc)) {
				fprintf(stderr, "%s: schedule failed: %s\n", name, coplan_error_last());
				return 1;
			}
			if (have)
				printf("%-10s %8s %9ld %9ld", name, row.status, row.unplaced, row.soft);
			else
				printf("%-10s %8s %9s %9s", name, "-", "-", "-");
			for (int l = 0; l < n_limits; l++) {
				long med = 1, soft = 0;

				for (int k = 0; k < cv.n; k++)
					if (cv.t[k] <= limits[l] || moves) {
						med = cv.medium[k];
						soft = cv.soft[k];
					}
				if (med > 0)
					printf("  @%-5g    -         -      -", limits[l]);
				else if (have && -med == row.unplaced && row.soft > 0)
					printf("  @%-5g %4ld %9ld %5.1f%%", limits[l], -med, -soft,
					       100.0 * ((double)-soft - (double)row.soft) / (double)row.soft);
				else
					printf("  @%-5g %4ld %9ld      -", limits[l], -med, -soft);
			}
			printf("\n");
			fflush(stdout);
			for (size_t i = 0; verbose && i < plan->n_activities; i++)
				if (plan->activities[i].start == COPLAN_DATE_NONE)
					printf("  unplaced %zu %s: %s\n", i, plan->activities[i].ref,
					       plan->activities[i].unplaced_reason ? plan->activities[i].unplaced_reason : "");
			for (int k = 0; cf && k < cv.n; k++)
				fprintf(cf, "%s\t%.4f\t%ld\t%ld\n", name, cv.t[k], -cv.medium[k], -cv.soft[k]);
			coplan_plan_free(plan);
		}
	}
	if (cf)
		fclose(cf);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "list")) {
		for (size_t z = 0; z < N_LIB; z++)
			for (int seed = 1; seed <= 3; seed++) {
				coplan_plan *plan = NULL;
				unsigned long long h;

				if (plan_gen_hard(&plan, (unsigned long)seed, lib_sizes[z]) || plan_hash(plan, &h))
					return 1;
				printf("h%zu-s%d\t%zu\t%d\t%016llx\n", lib_sizes[z], seed, lib_sizes[z], seed, h);
				coplan_plan_free(plan);
			}
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "lp")) {
		size_t n = 0;
		int seed = 0;
		coplan_plan *plan = NULL;
		char *lp = NULL;
		size_t len = 0;
		FILE *f;

		if (sscanf(argv[2], "h%zu-s%d", &n, &seed) != 2 || plan_gen_hard(&plan, (unsigned long)seed, n) ||
		    coplan_schedule_export_lp(&lp, &len, plan, NULL, 0)) {
			fprintf(stderr, "lp: %s: failed\n", argv[2]);
			return 1;
		}
		f = fopen(argv[3], "wb");
		if (!f || fwrite(lp, 1, len, f) != len || fclose(f)) {
			fprintf(stderr, "cannot write %s\n", argv[3]);
			return 1;
		}
		free(lp);
		coplan_plan_free(plan);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	fprintf(stderr, "usage: coplan_bench_library list | lp NAME FILE | run [-l LIMITS] [-n SIZES] [-s SEEDS]"
	        " [-f CBC.tsv] [-c CURVE.tsv] [-m MOVES] [-S SEED] [-C [-W FACTOR]]\n");
	return 2;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* plan_gen.h - a deterministic generator of random cooperation plans, for tests and benchmarks. */
#ifndef COPLAN_TEST_PLAN_GEN_H
#define COPLAN_TEST_PLAN_GEN_H

#include <stddef.h>
#include "coplan/model.h"

typedef struct {
	unsigned long seed;        /* same parameters and seed: same plan */
	size_t activities;
	size_t units;              /* the pool of units activities draw from */
	size_t nations;            /* ITA, JPN, GBR first, then weekends-only nations (max 112) */
	int year;                  /* the plan's window is this calendar year */
	double precedences;        /* precedences per activity (0.1: one for every ten) */
	double blackouts;          /* blackouts per nation and per unit, on average */
	double unit_load;          /* cap on each unit's busy days, as a share of the year (0.6) */
	double pinned;             /* share of activities pinned to a random start (may be infeasible) */
	double tight;              /* share of activities with a narrow time window (may be impossible) */
} plan_gen_params;

/* Defaults for n activities, u units and k nations (year 2024). */
plan_gen_params plan_gen_defaults(unsigned long seed, size_t n, size_t u, size_t k);

/* Build a plan in *out (free with coplan_plan_free); 0 or a coplan error code. */
int plan_gen(coplan_plan **out, const plan_gen_params *p);

/*
 * A harder plan of n activities for the benchmark library (bench/library/):
 * n/5 units of which a few busy shared ones, max(4, n/40) nations (up to
 * 112) of which every fifth also rests on Fridays and each has a few
 * holidays of its own (imported days), a quarter of the activities long
 * (10-40 days), a third with windows of 30-90 days and a tenth with tight
 * ones, precedence chains of 3-6 activities with gaps.  Deterministic in
 * seed and n, independent of plan_gen().  *out is the caller's
 * (coplan_plan_free); 0 or a coplan error code.
 */
int plan_gen_hard(coplan_plan **out, unsigned long seed, size_t n);

#endif

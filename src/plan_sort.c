/* SPDX-License-Identifier: Apache-2.0 */
/* plan_sort.c - activities in date order without global state: sort precomputed keys. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plan_sort.h"
#include "common.h"

typedef struct {
	int64_t start;     /* unplaced: below or above every date */
	const char *ref;   /* borrowed from the plan, never NULL */
	size_t index;
} sort_key;

static int key_cmp(const void *pa, const void *pb)
{
	const sort_key *a = pa, *b = pb;
	int c;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	c = strcmp(a->ref, b->ref);
	if (c)
		return c;
	return a->index < b->index ? -1 : (a->index > b->index);
}

int cp_plan_sort_by_start(size_t *idx, size_t n, const coplan_plan *plan, int unplaced_last)
{
	sort_key *k;

	if (n < 2)
		return 0;
	if (!(k = malloc(n * sizeof(*k))))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const coplan_activity *a = &plan->activities[idx[i]];

		k[i].start = a->start == COPLAN_DATE_NONE ? (unplaced_last ? INT64_MAX : INT64_MIN) : a->start;
		k[i].ref = a->ref ? a->ref : "";
		k[i].index = idx[i];
	}
	qsort(k, n, sizeof(*k), key_cmp);
	for (size_t i = 0; i < n; i++)
		idx[i] = k[i].index;
	free(k);
	return 0;
}

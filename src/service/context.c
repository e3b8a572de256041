/* SPDX-License-Identifier: Apache-2.0 */
/* context.c - the request context every use case takes, and what the use cases share. */
#include <stdlib.h>
#include <string.h>

#include "coplan/calendar.h"
#include "service_int.h"

time_t coplan_ctx_now(const coplan_ctx *ctx)
{
	if (ctx && ctx->clock)
		return ctx->clock(ctx->clock_payload);
	return time(NULL);
}

int cp_svc_cancelled(const coplan_ctx *ctx)
{
	if (ctx->cancel && atomic_load(ctx->cancel))
		return cp_error(COPLAN_ECANCELLED, "cancelled: nothing was changed");
	return 0;
}

int cp_svc_store(const coplan_ctx *ctx, coplan_store **out)
{
	if (!ctx || !ctx->store)
		return cp_error(COPLAN_EUSAGE, "no database to work on");
	*out = ctx->store;
	return 0;
}

void cp_svc_strv_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

int cp_svc_missing_calendars(char ***out, size_t *n, const coplan_plan *plan)
{
	char **v = NULL;
	size_t count = 0, cap = 0;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < plan->n_activities; i++) {
		const char *host = plan->activities[i].host;
		int seen = 0, has = coplan_holidays_builtin(host);

		for (size_t j = 0; j < count && !seen; j++)
			seen = !strcmp(v[j], host);
		for (size_t h = 0; h < plan->n_holidays && !has && !seen; h++)
			has = !strcmp(plan->holidays[h].nation, host);
		if (seen || has)
			continue;
		if (cp_grow((void **)&v, &cap, count + 1, sizeof(*v)) || !(v[count] = cp_strdup(host))) {
			cp_svc_strv_free(v, count);
			return cp_error(COPLAN_ENOMEM, "out of memory");
		}
		count++;
	}
	*out = v;
	*n = count;
	return 0;
}

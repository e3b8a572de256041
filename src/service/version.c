/* SPDX-License-Identifier: Apache-2.0 */
/* version.c - saving, listing and comparing versions of a plan; agreeing or signing needs a plan without conflicts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service_int.h"

int coplan_service_version_save(const coplan_ctx *ctx, long plan_id, coplan_version_state state,
                                const char *note, int *number, char **conflicts,
                                coplan_plan **plan_out)
{
	coplan_plan *plan = NULL;
	coplan_store *store;
	cp_svc_audit audit;
	cp_svc_actor actor;
	char *text = NULL;
	size_t n = 0;
	long id;
	int rc;

	if (conflicts)
		*conflicts = NULL;
	if (plan_out)
		*plan_out = NULL;
	if ((rc = cp_svc_store(ctx, &store)))
		return rc;
	if (!ctx->user || !*ctx->user)
		return cp_error(COPLAN_EINVALID, "a plan version needs its author");
	/* the check and the save in one transaction: no change slips in between */
	if ((rc = cp_svc_audit_begin(ctx, store, &audit, "version", plan_id, "%s",
	                              coplan_version_state_name(state))))
		return rc;
	if ((rc = cp_svc_load_as(ctx, plan_id, state == COPLAN_VERSION_SIGNED ? COPLAN_ACTION_SIGN
	                         : COPLAN_ACTION_AGREE, &plan, &id, &actor)) ||
	    (rc = cp_svc_audit_plan(store, &audit, id)))
		goto end;
	if (state != COPLAN_VERSION_DRAFT) {
		if ((rc = coplan_service_conflicts(ctx, plan, &text, &n)))
			goto end;
		if (n) {
			rc = cp_error(COPLAN_ECONFLICT, "the plan has %zu conflict%s with its hard constraints: "
			              "a plan cannot be %s so; reschedule with 'coplan schedule --replan' first",
			              n, n == 1 ? "" : "s", coplan_version_state_name(state));
			goto end;
		}
	}
	rc = coplan_store_version_save_as(store, id, state, cp_svc_author(ctx, &actor),
	                                  cp_svc_author_nation(ctx, &actor), note, number);
	if (!rc && number)
		snprintf(audit.object, sizeof(audit.object), "version %d %s", *number,
		         coplan_version_state_name(state));
end:
	rc = cp_svc_audit_end(ctx, store, &audit, rc);
	if (conflicts && n) {
		*conflicts = text;
		text = NULL;
	}
	if (!rc && plan_out) {
		*plan_out = plan;
		plan = NULL;
	}
	free(text);
	coplan_plan_free(plan);
	return rc;
}

int coplan_service_versions(const coplan_ctx *ctx, long plan_id, coplan_plan_version **out, size_t *n)
{
	coplan_store *store;
	long id;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = cp_svc_store(ctx, &store)))
		return rc;
	if ((rc = coplan_store_refuse_damaged(store)))
		return rc;
	{
		/* the newest plan, or the one asked for: a plan that does not exist is an error, not an empty list */
		coplan_plan *plan = NULL;

		if ((rc = cp_svc_load_as(ctx, plan_id, COPLAN_ACTION_READ, &plan, &id, NULL)))
			return rc;
		coplan_plan_free(plan);
		plan_id = id;
	}
	return coplan_store_versions(store, plan_id, out, n);
}

/* One side of a comparison: a version number, "signed" or "current". */
static int load_side(coplan_store *store, long plan_id, const char *which, coplan_plan **out)
{
	char *end;
	long number;

	if (!strcmp(which, "signed"))
		return coplan_store_version_load(store, plan_id, 0, out);
	if (!strcmp(which, "current"))
		return coplan_store_load_plan(store, plan_id, out, NULL);
	number = strtol(which, &end, 10);
	if (!*which || *end || number < 1 || number > 1000000)
		return cp_error(COPLAN_EUSAGE, "'%s' is not a version (a number, 'signed' or 'current')", which);
	return coplan_store_version_load(store, plan_id, (int)number, out);
}

int coplan_service_compare(const coplan_ctx *ctx, long plan_id, const char *older,
                           const char *newer, coplan_change **changes, size_t *n)
{
	coplan_plan *plan = NULL, *a = NULL, *b = NULL;
	coplan_store *store;
	long id;
	int rc;

	*changes = NULL;
	*n = 0;
	if ((rc = cp_svc_store(ctx, &store)))
		return rc;
	if ((rc = coplan_store_refuse_damaged(store)))
		return rc;
	if ((rc = cp_svc_load_as(ctx, plan_id, COPLAN_ACTION_READ, &plan, &id, NULL)))
		return rc;
	/* both sides as the reader may see them (docs/labels.md) */
	if (!(rc = load_side(store, id, older ? older : "signed", &a)) &&
	    !(rc = load_side(store, id, newer ? newer : "current", &b)) &&
	    !(rc = cp_svc_release(ctx, a)) && !(rc = cp_svc_release(ctx, b)))
		rc = coplan_plan_compare(changes, n, a, b);
	coplan_plan_free(plan);
	coplan_plan_free(a);
	coplan_plan_free(b);
	return rc;
}

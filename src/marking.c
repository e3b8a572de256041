/* SPDX-License-Identifier: Apache-2.0 */
/* marking.c - the labels of a plan's parts and the marking of a document holding them (docs/labels.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coplan/errors.h"
#include "coplan/marking.h"
#include "common.h"

static int by_text(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

int coplan_plan_label(const coplan_plan *plan, const coplan_label_policy *policy, coplan_label *out)
{
	const char *lowest = coplan_label_level_name(policy, 0);
	size_t n = 0;
	int rc;

	if (plan->label)
		return coplan_label_parse(out, policy, plan->label);
	/* unlabelled: the ladder's lowest level, releasable to the plan's parties only (none: nobody) */
	if ((rc = coplan_label_parse(out, policy, lowest ? lowest : "UNCLASSIFIED")))
		return rc;
	if (plan->n_nations > COPLAN_LABEL_NATIONS_MAX)
		return cp_error(COPLAN_ELIMIT, "label: more than %d nations", COPLAN_LABEL_NATIONS_MAX);
	out->releasable_to_all = 0;
	for (size_t i = 0; i < plan->n_nations; i++)
		snprintf(out->nations[n++], sizeof(out->nations[0]), "%s", plan->nations[i]);
	qsort(out->nations, n, sizeof(out->nations[0]), by_text);
	out->n_nations = 0;
	for (size_t i = 0; i < n; i++)
		if (!out->n_nations || strcmp(out->nations[out->n_nations - 1], out->nations[i]))
			memmove(out->nations[out->n_nations++], out->nations[i], sizeof(out->nations[0]));
	return 0;
}

int coplan_item_label(const coplan_label *plan_label, const char *text, const coplan_label_policy *policy,
                      coplan_label *out)
{
	if (!text) {
		*out = *plan_label;
		return 0;
	}
	return coplan_label_parse(out, policy, text);
}

int coplan_plan_marking(char *buf, size_t cap, const coplan_plan *plan,
                        const coplan_activity *const *acts, size_t n)
{
	coplan_label_policy *policy = NULL;
	coplan_label all, one, plan_label;
	int rc;

	if (cap)
		*buf = '\0';
	if ((rc = coplan_label_policy_load(&policy, coplan_label_policy_default_path())))
		return rc;
	if (!acts)
		n = plan->n_activities;
	if (!(rc = coplan_plan_label(plan, policy, &plan_label))) {
		all = plan_label;
		for (size_t i = 0; i < n && !rc; i++) {
			const coplan_activity *a = acts ? acts[i] : &plan->activities[i];

			if (!(rc = coplan_item_label(&plan_label, a->label, policy, &one)))
				rc = coplan_label_combine(&all, &all, &one);
		}
		for (size_t k = 0; k < plan->n_blackouts && !rc; k++)
			if (!(rc = coplan_item_label(&plan_label, plan->blackouts[k].label, policy, &one)))
				rc = coplan_label_combine(&all, &all, &one);
	}
	if (!rc)
		rc = coplan_label_format(buf, cap, policy, &all);
	coplan_label_policy_free(policy);
	return rc;
}

/* rc with "what: label 'text': why" (the parser's message copied first: it is overwritten) */
static int label_error(int rc, const char *what, const char *text)
{
	char why[512];
	const char *colon;

	snprintf(why, sizeof(why), "%s", coplan_error_last());
	/* the parser names the label itself first: keep what follows it */
	colon = strstr(why, "': ");
	return cp_error(rc, "%s: label '%.200s': %s", what, text, colon ? colon + 3 : why);
}

int coplan_plan_labels_check(const coplan_plan *plan)
{
	coplan_label_policy *policy = NULL;
	coplan_label l;
	int rc;
	int any = plan->label != NULL;

	for (size_t i = 0; i < plan->n_activities && !any; i++)
		any = plan->activities[i].label != NULL;
	for (size_t k = 0; k < plan->n_blackouts && !any; k++)
		any = plan->blackouts[k].label != NULL;
	if (!any)
		return 0;
	if ((rc = coplan_label_policy_load(&policy, coplan_label_policy_default_path())))
		return rc;
	if (plan->label && (rc = coplan_label_parse(&l, policy, plan->label)))
		rc = label_error(rc, "the plan", plan->label);
	for (size_t i = 0; i < plan->n_activities && !rc; i++)
		if (plan->activities[i].label && (rc = coplan_label_parse(&l, policy, plan->activities[i].label))) {
			char what[160];

			snprintf(what, sizeof(what), "activity %.100s", plan->activities[i].ref);
			rc = label_error(rc, what, plan->activities[i].label);
		}
	for (size_t k = 0; k < plan->n_blackouts && !rc; k++)
		if (plan->blackouts[k].label && (rc = coplan_label_parse(&l, policy, plan->blackouts[k].label))) {
			char what[64];

			snprintf(what, sizeof(what), "blackout %zu", k + 1);
			rc = label_error(rc, what, plan->blackouts[k].label);
		}
	coplan_label_policy_free(policy);
	return rc;
}

int coplan_activity_marking(char *buf, size_t cap, const coplan_plan *plan, const coplan_activity *a,
                            coplan_label *label)
{
	coplan_label_policy *policy = NULL;
	coplan_label all, one;
	int rc;

	if (cap)
		*buf = '\0';
	if ((rc = coplan_label_policy_load(&policy, coplan_label_policy_default_path())))
		return rc;
	if (!(rc = coplan_plan_label(plan, policy, &all)) && !(rc = coplan_item_label(&all, a->label, policy, &one)) &&
	    !(rc = coplan_label_combine(&all, &all, &one)) && !(rc = coplan_label_format(buf, cap, policy, &all)) &&
	    label)
		*label = all;
	coplan_label_policy_free(policy);
	return rc;
}

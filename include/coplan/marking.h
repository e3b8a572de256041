/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/marking.h - the confidentiality labels of a plan's parts, and the marking of a document holding them. */
#ifndef COPLAN_MARKING_H
#define COPLAN_MARKING_H

#include <stddef.h>
#include "coplan/label.h"
#include "coplan/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The label of plan (docs/labels.md): plan->label parsed, or, for an
 * unlabelled plan, the policy ladder's lowest level releasable to the
 * plan's parties only ("UNCLASSIFIED REL TO ITA, JPN").  Errors: those
 * of coplan_label_parse() (a label that does not parse: callers deny).
 */
int coplan_plan_label(const coplan_plan *plan, const coplan_label_policy *policy, coplan_label *out);

/* The label of an activity's or a blackout's text: text parsed, or *plan_label when text is NULL. */
int coplan_item_label(const coplan_label *plan_label, const char *text, const coplan_label_policy *policy,
                      coplan_label *out);

/*
 * The marking of a document holding plan's blackouts and the n activities
 * acts (NULL: every activity of the plan): the combination
 * (coplan_label_combine()) of the plan's label and theirs, in register
 * form, into buf (cap bytes, NUL-terminated), with the default policy
 * (coplan_label_policy_default_path()).  Errors: the policy file's,
 * COPLAN_EINVALID (a label that does not parse), COPLAN_ELIMIT.
 */
int coplan_plan_marking(char *buf, size_t cap, const coplan_plan *plan,
                        const coplan_activity *const *acts, size_t n);

/*
 * The marking of one activity a of plan: the plan's label combined with
 * a's, in register form into buf (cap bytes); *label (may be NULL) gets it
 * parsed.  Errors as coplan_plan_marking().
 */
int coplan_activity_marking(char *buf, size_t cap, const coplan_plan *plan, const coplan_activity *a,
                            coplan_label *label);

/*
 * 0 when every label plan holds (its own, its activities', its blackouts')
 * parses under the default policy; else COPLAN_EINVALID or COPLAN_ELIMIT
 * naming the first that does not (the activity's ref, the blackout's
 * number from 1).  The policy file is read only when plan holds a label.
 */
int coplan_plan_labels_check(const coplan_plan *plan);

#ifdef __cplusplus
}
#endif

#endif

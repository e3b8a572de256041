/* SPDX-License-Identifier: Apache-2.0 */
/* label_int.h - the releasable-to nations of a row as the storage backends keep them, for row filters (private). */
#ifndef COPLAN_LABEL_INT_H
#define COPLAN_LABEL_INT_H

#include <stddef.h>

#include "coplan/model.h"

/*
 * The rel_to column of an activity or blackout (schema 17, see
 * docs/internals/store.md): the nations its effective label releases it
 * to, as " ITA JPN " (sorted, space-delimited, with a leading and a
 * trailing space, so that a PostgreSQL row filter can test
 * rel_to LIKE '% JPN %'), or "*" when the label has no REL TO list.
 * The effective label is the row's own (label), else the plan's
 * (plan_label), else the unlabelled plan's rule of docs/labels.md:
 * UNCLASSIFIED REL TO its parties (parties, n_parties, ISO 3166-1
 * alpha-3).  Only the REL TO part is read: it does not depend on the
 * policy file.  *out is the caller's, freed with free().  Errors:
 * COPLAN_EINVALID (the REL TO part does not parse), COPLAN_ELIMIT,
 * COPLAN_ENOMEM; *out is NULL then.
 */
int cp_label_rel_to(char **out, const char *label, const char *plan_label, char *const *parties,
                    size_t n_parties);

/*
 * The distinct labels of plan's activities and blackouts (those without one
 * left out), sorted, into *out (*n of them; the array is the caller's,
 * freed with free(), the strings stay the plan's): the labels whose rows a
 * backend writes rel_to for, one statement each.  Errors: COPLAN_ENOMEM.
 */
int cp_label_distinct(const char ***out, size_t *n, const coplan_plan *plan);

#endif

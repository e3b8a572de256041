/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/label.h - confidentiality labels (a cut-down NATO STANAG 4774): parse, print, combine, decide access. */
#ifndef COPLAN_LABEL_H
#define COPLAN_LABEL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A label says how sensitive something is and who may see it, in the
 * register form defence offices write on documents:
 *
 *   [POLICY] CLASSIFICATION [CAVEAT ...] [REL TO NATION, NATION ...]
 *
 *   NATO UNCLASSIFIED
 *   RESTRICTED REL TO ITA, JPN
 *   NATO SECRET ATOMAL REL TO GBR, ITA
 *
 * It is a cut-down STANAG 4774 confidentiality label: a policy identifier
 * (NATO, or none for the office's national markings), one classification
 * from an ordered ladder, a set of caveats (each a need-to-know category
 * the reader must hold), and the releasable-to nations (ISO 3166-1
 * alpha-3).  No REL TO list means no restriction by nation.  The ladder,
 * the policies and the caveats a label may use are data: a policy file
 * (JSON, see data/label-policy.json and docs/labels.md), never code.
 *
 * A user may see what a label marks when (coplan_label_permits()):
 * their clearance is at least the classification, their nation is in the
 * releasable-to list (when there is one), and they hold every caveat.
 * A label that does not parse is an error, and callers deny: a front end
 * never shows what it cannot label.
 *
 * Combining labels (coplan_label_combine(): a document holding several
 * marked things): the highest classification, the intersection of the
 * releasable-to lists, the union of the caveats; the result is never
 * broader than any part.
 */

/* Limits: the text of a label, the nations after REL TO (every ISO 3166-1 code fits), the caveats. */
#define COPLAN_LABEL_TEXT_MAX 2048
#define COPLAN_LABEL_NATIONS_MAX 256
#define COPLAN_LABEL_CAVEATS_MAX 16
#define COPLAN_LABEL_NAME_MAX 32

typedef struct coplan_label_policy coplan_label_policy;

typedef struct {
	char policy[COPLAN_LABEL_NAME_MAX];  /* "NATO", or "" for national markings */
	int level;                           /* index in the policy file's ladder, 0 the lowest */
	size_t n_caveats;                    /* sorted, distinct, as the policy file spells them */
	char caveats[COPLAN_LABEL_CAVEATS_MAX][COPLAN_LABEL_NAME_MAX];
	int releasable_to_all;               /* 1: no REL TO list */
	size_t n_nations;                    /* sorted, distinct; 0 with releasable_to_all 0: no nation */
	char nations[COPLAN_LABEL_NATIONS_MAX][4];
} coplan_label;

/* What a reader holds (strings borrowed). */
typedef struct {
	const char *nation;                  /* ISO 3166-1 alpha-3 */
	int clearance;                       /* a level of the ladder; -1: none */
	const char *const *caveats;          /* the caveats the reader holds, as the policy spells them */
	size_t n_caveats;
} coplan_reader;

/*
 * Read a policy file (JSON, at most 1 MiB) or text: *out freed with
 * coplan_label_policy_free().  Errors: COPLAN_EIO, COPLAN_ELIMIT,
 * COPLAN_EINVALID (naming the file, line and column or the member).
 */
int coplan_label_policy_load(coplan_label_policy **out, const char *path);
int coplan_label_policy_parse(coplan_label_policy **out, const char *text, size_t len,
                              const char *name);
void coplan_label_policy_free(coplan_label_policy *policy);

/*
 * The policy file coplan uses when none is given: $COPLAN_LABEL_POLICY,
 * else the one shipped with coplan (data/label-policy.json).  Static or
 * environment storage: do not free.
 */
const char *coplan_label_policy_default_path(void);

/* The number of levels of the ladder, and the name of level (NULL outside it); borrowed. */
int coplan_label_policy_levels(const coplan_label_policy *policy);
const char *coplan_label_level_name(const coplan_label_policy *policy, int level);
/* The level named name (case-insensitive, aliases included), or -1. */
int coplan_label_level_parse(const coplan_label_policy *policy, const char *name);

/*
 * Parse a label in register form (case-insensitive, extra spaces allowed,
 * ',' or spaces between the nations after REL TO).  Errors:
 * COPLAN_EINVALID naming what is wrong and where (column, 1-based),
 * COPLAN_ELIMIT (longer than COPLAN_LABEL_TEXT_MAX, too many nations or
 * caveats).
 */
int coplan_label_parse(coplan_label *out, const coplan_label_policy *policy, const char *text);

/*
 * Write label in register form into buf (cap bytes, NUL-terminated),
 * e.g. "NATO RESTRICTED REL TO ITA, JPN".  Errors: COPLAN_ELIMIT (cap too
 * small), COPLAN_EINVALID (a level outside the ladder).
 */
int coplan_label_format(char *buf, size_t cap, const coplan_label_policy *policy,
                        const coplan_label *label);

/*
 * out = the label of something holding both a and b: the higher
 * classification, the intersection of the releasable-to lists, the union
 * of the caveats; the policy is theirs when equal, else national ("").
 * out may alias a or b.  Errors: COPLAN_ELIMIT (more caveats than fit).
 */
int coplan_label_combine(coplan_label *out, const coplan_label *a, const coplan_label *b);

/*
 * 1 when reader may see what label marks (see above), else 0.  A reader
 * without a valid nation or clearance sees nothing.
 */
int coplan_label_permits(const coplan_label *label, const coplan_reader *reader);

/* 1 when a is at least as restrictive as b (a may be seen only by readers who may see b). */
int coplan_label_dominates(const coplan_label *a, const coplan_label *b);

#ifdef __cplusplus
}
#endif

#endif

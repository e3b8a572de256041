/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/exchange.h - exchange between offices: partner CAs, bundle sequences and payloads, the three-way merge. */
#ifndef COPLAN_EXCHANGE_H
#define COPLAN_EXCHANGE_H

#include <stddef.h>

#include "coplan/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A partner nation's CA certificate, exchanged at staff talks: the
 * signatures of that nation's offices chain to it (coplan/sign.h).
 * docs/internals/exchange.md.
 */
typedef struct {
	char fingerprint[65];    /* SHA-256 of the certificate (DER), 64 lower-case hex digits */
	char nation[4];          /* the partner nation (ISO 3166-1 alpha-3) */
	long talks_id;           /* the plan (coplan talks list) whose staff talks exchanged it, 0 when none */
	char talks[256];         /* those talks as text ("8th ITA-JPN staff talks, Rome, 2024-01-10"), "" when none */
	char subject[512];       /* the certificate's subject (RFC 2253) */
	char not_before[24];     /* validity, UTC, ISO 8601 */
	char not_after[24];
	char added[24];          /* when imported, UTC */
	char *pem;               /* the certificate, PEM text (malloc'd, owned by the row) */
} coplan_partner_ca;

/* Free n partner CAs and the array; NULL is a no-op. */
void coplan_partner_cas_free(coplan_partner_ca *cas, size_t n);

/*
 * ---- the store's part (src/store/exchange.c) ----
 *
 * direction is "in" (from a partner) or "out" (to a partner), nation the
 * partner's, plan_uuid the plan's identity.  Each joins the caller's
 * transaction.  Errors: COPLAN_EINVALID (a field out of its form),
 * COPLAN_EEXISTS, COPLAN_ENOTFOUND, COPLAN_ESTORE, COPLAN_ENOMEM.
 *
 * coplan_store_partner_ca_add(): COPLAN_EEXISTS for a fingerprint already kept.
 * coplan_store_partner_cas(): every one, by nation then fingerprint.
 * coplan_store_partner_ca_delete(): COPLAN_ENOTFOUND.
 * coplan_store_bundle_seq_get(): the last sequence (0 when none) and the
 *   audit tree head that came with it (size 0, root "" when none).
 * coplan_store_bundle_seq_set(): replaces it.
 * coplan_store_bundle_payload_add(): keeps a payload sent or received.
 * coplan_store_bundle_payload_get(): of that SHA-256 in either direction,
 *   or (sha256 NULL) the newest of direction; *payload malloc'd; COPLAN_ENOTFOUND.
 * coplan_store_merge_set(): plan_id's pending merge (JSON text; NULL deletes).
 * coplan_store_merge_get(): *state malloc'd, NULL when none.
 */
int coplan_store_partner_ca_add(coplan_store *store, const coplan_partner_ca *ca);
int coplan_store_partner_cas(coplan_store *store, coplan_partner_ca **out, size_t *n);
int coplan_store_partner_ca_delete(coplan_store *store, const char *fingerprint);
int coplan_store_bundle_seq_get(coplan_store *store, const char *direction, const char *nation,
                                const char *plan_uuid, long *seq, long *audit_size, char audit_root[65]);
int coplan_store_bundle_seq_set(coplan_store *store, const char *direction, const char *nation,
                                const char *plan_uuid, long seq, long audit_size, const char *audit_root);
int coplan_store_bundle_payload_add(coplan_store *store, const char *direction, const char *nation,
                                    const char *plan_uuid, long seq, const char *sha256, const char *at,
                                    const char *payload, size_t len);
int coplan_store_bundle_payload_get(coplan_store *store, const char *direction, const char *nation,
                                    const char *plan_uuid, const char *sha256, char **payload, size_t *len,
                                    char sha_out[65]);
int coplan_store_merge_set(coplan_store *store, long plan_id, const char *state, const char *at);
int coplan_store_merge_get(coplan_store *store, long plan_id, char **state);

/* ---- the three-way merge of two plans (src/merge.c) ---- */

/* How a conflict was resolved. */
typedef enum {
	COPLAN_MERGE_OPEN = 0,     /* not yet */
	COPLAN_MERGE_OURS,         /* our value */
	COPLAN_MERGE_THEIRS,       /* the partner's value */
	COPLAN_MERGE_VALUE         /* a value a person gave */
} coplan_merge_choice;

/*
 * One conflict: the same field changed to different values on both sides,
 * one ref added on both sides with different content, or an activity
 * deleted on one side and edited on the other (field "*": the whole
 * activity).  ref is an activity's ref, or "plan" for the plan's own
 * members (field "title", "staff_talks", ...).  Values are JSON text
 * (canonical), NULL for "absent".  All strings malloc'd, owned by the list.
 */
typedef struct {
	char *ref;
	char *field;
	char *base;
	char *ours;
	char *theirs;
	coplan_merge_choice choice;
	char *value;               /* COPLAN_MERGE_VALUE: the value given (JSON text) */
} coplan_merge_conflict;

/* Free n conflicts and the array; NULL is a no-op. */
void coplan_merge_conflicts_free(coplan_merge_conflict *c, size_t n);

/*
 * Merge the plans ours and theirs (canonical JSON texts,
 * coplan_plan_canonical_json()) against their common base (NULL: none;
 * then every difference is a conflict).  Activities are matched by ref,
 * each member a field: changes to different activities or fields merge;
 * the same field changed to different values, one ref added on both sides
 * with different content, and delete against edit are conflicts.  The
 * plan's lists (blackouts, precedences, holidays, weekends) merge as sets:
 * what either side added is added, what either side removed is removed.
 * An activity's sequence (its iCalendar SEQUENCE) is the higher of the
 * two, raised by one where the result differs from a side's, so both
 * offices store the same number.  When ours equals base the result is
 * theirs, and the other way round.
 *
 * n_given resolutions (ref, field, choice, value) are applied to the
 * conflicts they name.  *conflicts (may be NULL) gets every conflict with
 * its resolution (freed with coplan_merge_conflicts_free()); *n_open the
 * ones still open.  When none is open, *out (malloc'd, the caller frees)
 * gets the merged plan as JSON (its order: the base's activities, then
 * those added, by ref), else NULL.
 * Errors: COPLAN_EINVALID (a text that is not a plan's JSON, a value given
 * that is not JSON), COPLAN_ENOMEM.
 */
int coplan_plan_merge(char **out, coplan_merge_conflict **conflicts, size_t *n_conflicts, size_t *n_open,
                      const char *base, const char *ours, const char *theirs,
                      const coplan_merge_conflict *given, size_t n_given);

#ifdef __cplusplus
}
#endif

#endif

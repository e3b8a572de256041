/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/audit.h - the entries and signed checkpoints of the tamper-evident audit log (docs/internals/audit.md). */
#ifndef COPLAN_AUDIT_H
#define COPLAN_AUDIT_H

#include <stddef.h>

#include "coplan/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Every state change and every refusal writes one audit entry; entries are
 * the leaves of an RFC 9162 Merkle tree (coplan/merkle.h), entry number 1
 * the leaf of index 0.  A leaf is the entry's canonical bytes
 * (coplan_audit_entry_encode()), fixed by docs/internals/audit.md.
 * Append-only: an entry once stored is never changed.
 */

/* Size limits of an entry's object text and of a checkpoint's signature. */
#define COPLAN_AUDIT_OBJECT_MAX 512
#define COPLAN_AUDIT_SIGNATURE_MAX (256 * 1024)

typedef struct {
	long seq;                /* 1, 2, ... in the order written: the leaf's index + 1 */
	char at[24];             /* when, UTC, ISO 8601 "2024-06-03T09:12:00Z" */
	long account;            /* the account that acted; 0: the command line's local operator */
	char account_name[65];   /* its name (for account 0, the context's user; "" when none) */
	char nation[4];          /* its nation (ISO 3166-1 alpha-3), "" when none */
	char action[32];         /* what was done or tried: "import", "activity edit", "login", ... */
	char *object;            /* what it was done to ("plan 3", "plan 3 activity A-01", "user kim"); malloc'd */
	int refused;             /* 0: done; 1: refused */
	int error;               /* refused: the coplan_error_code (negative); done: 0 */
	char before[65];         /* SHA-256 (hex) of what changed, before: a plan's content seal; "" when none */
	char after[65];          /* the same after the change; "" when none */
	char leaf[65];           /* the entry's Merkle leaf hash as stored (hex, 64 digits) */
} coplan_audit_entry;

/* A signed tree head: the tree of the first size entries had root at time at. */
typedef struct {
	long id;                 /* 1, 2, ... in the order stored */
	long size;               /* number of entries the tree holds */
	char root[65];           /* MTH of those entries (hex) */
	char at[24];             /* when signed, UTC, ISO 8601 */
	char fingerprint[65];    /* SHA-256 of the signer's certificate (hex) */
	unsigned char *signature;/* detached CMS signature (DER) over coplan_audit_checkpoint_encode(); malloc'd */
	size_t signature_len;
} coplan_audit_checkpoint;

/*
 * The canonical bytes of entry (the Merkle leaf's data, leaf field aside):
 * *out malloc'd (the caller frees), *len bytes.  Errors: COPLAN_ENOMEM.
 */
int coplan_audit_entry_encode(unsigned char **out, size_t *len, const coplan_audit_entry *entry);

/*
 * The bytes a checkpoint's signature covers: "coplan audit checkpoint 1\n"
 * "size N\nroot HEX\ntime AT\n"; *out malloc'd, *len bytes.  Errors: COPLAN_ENOMEM.
 */
int coplan_audit_checkpoint_encode(char **out, size_t *len, const coplan_audit_checkpoint *cp);

/* Free n entries (or checkpoints) and the array; NULL is a no-op. */
void coplan_audit_entries_free(coplan_audit_entry *entries, size_t n);
void coplan_audit_checkpoints_free(coplan_audit_checkpoint *cps, size_t n);

/*
 * ---- the store's part (src/store/audit.c): the rules of the record ----
 *
 * coplan_store_audit_append(): entry->seq must be the next number (the
 * newest stored + 1) and entry->leaf 64 hex digits, else COPLAN_ECONFLICT;
 * joins the caller's transaction.  coplan_store_audit_last(): the newest
 * number, 0 when none.  coplan_store_audit_entries(): the entries numbered
 * above since, in order (freed with coplan_audit_entries_free()).
 * coplan_store_audit_checkpoint_add(): cp->size must not exceed the
 * entries stored (COPLAN_ECONFLICT).  coplan_store_audit_checkpoints():
 * every checkpoint, oldest first.  coplan_store_seal_content(): the
 * content seal of plan_id as stored (64 hex digits, "" when none; 65
 * bytes), COPLAN_ENOTFOUND.  Errors besides: COPLAN_ESTORE, COPLAN_ENOMEM.
 */
int coplan_store_audit_append(coplan_store *store, const coplan_audit_entry *entry);
int coplan_store_audit_last(coplan_store *store, long *seq);
int coplan_store_audit_entries(coplan_store *store, long since, coplan_audit_entry **out, size_t *n);
int coplan_store_audit_checkpoint_add(coplan_store *store, const coplan_audit_checkpoint *cp, long *id);
int coplan_store_audit_checkpoints(coplan_store *store, coplan_audit_checkpoint **out, size_t *n);
int coplan_store_seal_content(coplan_store *store, long plan_id, char content[65]);

#ifdef __cplusplus
}
#endif

#endif

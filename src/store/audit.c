/* SPDX-License-Identifier: Apache-2.0 */
/* audit.c - the audit log's entries and checkpoints through the storage backend, with the rules of the record. */
#include <stdlib.h>
#include <string.h>

#include "coplan/audit.h"
#include "coplan/errors.h"
#include "coplan/sys/store_backend.h"
#include "../common.h"

#define BE(store) coplan_store_backend_of(store)

static int hex64(const char *s)
{
	if (strlen(s) != 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

int coplan_store_audit_append(coplan_store *store, const coplan_audit_entry *entry)
{
	long last = 0;
	int rc;

	if ((rc = coplan_store_begin(store)))
		return rc;
	if (!(rc = BE(store)->audit_last(BE(store), &last))) {
		if (entry->seq != last + 1)
			rc = cp_error(COPLAN_ECONFLICT, "audit entry %ld: the next entry is %ld", entry->seq,
			              last + 1);
		else if (!hex64(entry->leaf) || (*entry->before && !hex64(entry->before)) ||
		         (*entry->after && !hex64(entry->after)))
			rc = cp_error(COPLAN_ECONFLICT, "audit entry %ld: a hash is not 64 hex digits", entry->seq);
		else if (entry->object && strlen(entry->object) > COPLAN_AUDIT_OBJECT_MAX)
			rc = cp_error(COPLAN_ELIMIT, "audit entry %ld: an object over %d bytes", entry->seq,
			              COPLAN_AUDIT_OBJECT_MAX);
		else
			rc = BE(store)->audit_append(BE(store), entry);
	}
	return coplan_store_end(store, rc);
}

int coplan_store_audit_last(coplan_store *store, long *seq)
{
	return BE(store)->audit_last(BE(store), seq);
}

int coplan_store_audit_entries(coplan_store *store, long since, coplan_audit_entry **out, size_t *n)
{
	return BE(store)->audit_entries(BE(store), since, out, n);
}

int coplan_store_audit_checkpoint_add(coplan_store *store, const coplan_audit_checkpoint *cp, long *id)
{
	long last = 0;
	int rc;

	if ((rc = coplan_store_begin(store)))
		return rc;
	if (!(rc = BE(store)->audit_last(BE(store), &last))) {
		if (cp->size < 0 || cp->size > last)
			rc = cp_error(COPLAN_ECONFLICT, "a checkpoint of %ld entries: the log holds %ld",
			              cp->size, last);
		else if (!hex64(cp->root) || !hex64(cp->fingerprint))
			rc = cp_error(COPLAN_ECONFLICT, "a checkpoint's root or signer is not 64 hex digits");
		else if (!cp->signature_len || cp->signature_len > COPLAN_AUDIT_SIGNATURE_MAX)
			rc = cp_error(COPLAN_ELIMIT, "a checkpoint's signature of %zu bytes", cp->signature_len);
		else
			rc = BE(store)->audit_checkpoint_append(BE(store), cp, id);
	}
	return coplan_store_end(store, rc);
}

int coplan_store_audit_checkpoints(coplan_store *store, coplan_audit_checkpoint **out, size_t *n)
{
	return BE(store)->audit_checkpoints(BE(store), out, n);
}

int coplan_store_seal_content(coplan_store *store, long plan_id, char content[65])
{
	char history[65];

	return BE(store)->seal_get(BE(store), plan_id, content, history);
}

void coplan_audit_entries_free(coplan_audit_entry *entries, size_t n)
{
	for (size_t i = 0; entries && i < n; i++)
		free(entries[i].object);
	free(entries);
}

void coplan_audit_checkpoints_free(coplan_audit_checkpoint *cps, size_t n)
{
	for (size_t i = 0; cps && i < n; i++)
		free(cps[i].signature);
	free(cps);
}

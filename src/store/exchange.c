/* SPDX-License-Identifier: Apache-2.0 */
/* exchange.c - partner CAs, bundle sequences and payloads, pending merges through the storage backend, forms checked. */
#include <stdlib.h>
#include <string.h>

#include "coplan/errors.h"
#include "coplan/exchange.h"
#include "coplan/model.h"
#include "coplan/sys/store_backend.h"
#include "../common.h"

#define BE(store) coplan_store_backend_of(store)

static int hex64(const char *s)
{
	if (!s || strlen(s) != 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

/* direction "in" or "out", nation alpha-3, plan_uuid a UUID. */
static int key_ok(const char *direction, const char *nation, const char *plan_uuid)
{
	if (!direction || (strcmp(direction, "in") && strcmp(direction, "out")))
		return cp_error(COPLAN_EINVALID, "a bundle direction is 'in' or 'out'");
	if (!nation || !coplan_nation_valid(nation) || strlen(nation) != 3)
		return cp_error(COPLAN_EINVALID, "'%s' is not a nation (ISO 3166-1 alpha-3)", nation ? nation : "");
	if (!plan_uuid || !coplan_uuid_valid(plan_uuid))
		return cp_error(COPLAN_EINVALID, "'%s' is not a plan's UUID", plan_uuid ? plan_uuid : "");
	return 0;
}

int coplan_store_partner_ca_add(coplan_store *store, const coplan_partner_ca *ca)
{
	int rc;

	if (!hex64(ca->fingerprint) || !coplan_nation_valid(ca->nation) || !ca->pem || !*ca->pem ||
	    ca->talks_id < 0)
		return cp_error(COPLAN_EINVALID, "a partner CA needs its fingerprint, nation and certificate");
	if ((rc = coplan_store_begin(store)))
		return rc;
	return coplan_store_end(store, BE(store)->partner_ca_add(BE(store), ca));
}

int coplan_store_partner_cas(coplan_store *store, coplan_partner_ca **out, size_t *n)
{
	return BE(store)->partner_cas(BE(store), out, n);
}

int coplan_store_partner_ca_delete(coplan_store *store, const char *fingerprint)
{
	int rc;

	if (!hex64(fingerprint))
		return cp_error(COPLAN_EINVALID, "'%s' is not a SHA-256 fingerprint (64 lower-case hex digits)",
		                fingerprint ? fingerprint : "");
	if ((rc = coplan_store_begin(store)))
		return rc;
	return coplan_store_end(store, BE(store)->partner_ca_delete(BE(store), fingerprint));
}

int coplan_store_bundle_seq_get(coplan_store *store, const char *direction, const char *nation,
                                const char *plan_uuid, long *seq, long *audit_size, char audit_root[65])
{
	int rc;

	*seq = 0;
	*audit_size = 0;
	audit_root[0] = '\0';
	if ((rc = key_ok(direction, nation, plan_uuid)))
		return rc;
	return BE(store)->bundle_seq_get(BE(store), direction, nation, plan_uuid, seq, audit_size, audit_root);
}

int coplan_store_bundle_seq_set(coplan_store *store, const char *direction, const char *nation,
                                const char *plan_uuid, long seq, long audit_size, const char *audit_root)
{
	int rc;

	if ((rc = key_ok(direction, nation, plan_uuid)))
		return rc;
	if (seq < 1 || audit_size < 0 || (audit_size && !hex64(audit_root)))
		return cp_error(COPLAN_EINVALID, "a bundle sequence from 1, an audit size from 0 with its root");
	if ((rc = coplan_store_begin(store)))
		return rc;
	return coplan_store_end(store, BE(store)->bundle_seq_set(BE(store), direction, nation, plan_uuid, seq,
	                                                         audit_size, audit_size ? audit_root : ""));
}

int coplan_store_bundle_payload_add(coplan_store *store, const char *direction, const char *nation,
                                    const char *plan_uuid, long seq, const char *sha256, const char *at,
                                    const char *payload, size_t len)
{
	char check[65];
	int rc;

	if ((rc = key_ok(direction, nation, plan_uuid)))
		return rc;
	if (!hex64(sha256) || !payload || !at)
		return cp_error(COPLAN_EINVALID, "a bundle payload needs its SHA-256 and time");
	if ((rc = coplan_sha256_hex(check, payload, len)))
		return rc;
	if (strcmp(check, sha256))
		return cp_error(COPLAN_EINVALID, "a bundle payload that does not match its SHA-256");
	if ((rc = coplan_store_begin(store)))
		return rc;
	return coplan_store_end(store, BE(store)->bundle_payload_add(BE(store), direction, nation, plan_uuid, seq,
	                                                             sha256, at, payload, len));
}

int coplan_store_bundle_payload_get(coplan_store *store, const char *direction, const char *nation,
                                    const char *plan_uuid, const char *sha256, char **payload, size_t *len,
                                    char sha_out[65])
{
	char check[65], got[65];
	int rc;

	*payload = NULL;
	*len = 0;
	if ((rc = key_ok(direction, nation, plan_uuid)))
		return rc;
	if (sha256 && !hex64(sha256))
		return cp_error(COPLAN_EINVALID, "'%s' is not a SHA-256", sha256);
	if ((rc = BE(store)->bundle_payload_get(BE(store), direction, nation, plan_uuid, sha256, payload, len,
	                                        got)))
		return rc;
	/* what the file gives back is what was kept: a damaged payload is an error, never a base */
	if ((rc = coplan_sha256_hex(check, *payload, *len)) || strcmp(check, got)) {
		free(*payload);
		*payload = NULL;
		*len = 0;
		return rc ? rc : cp_error(COPLAN_ESTORE, "a kept bundle payload no longer matches its SHA-256 %s",
		                          got);
	}
	if (sha_out)
		memcpy(sha_out, got, 65);
	return 0;
}

int coplan_store_merge_set(coplan_store *store, long plan_id, const char *state, const char *at)
{
	int rc;

	if (plan_id <= 0 || (state && !at))
		return cp_error(COPLAN_EINVALID, "a pending merge needs its plan and time");
	if ((rc = coplan_store_begin(store)))
		return rc;
	return coplan_store_end(store, BE(store)->merge_set(BE(store), plan_id, state, at));
}

int coplan_store_merge_get(coplan_store *store, long plan_id, char **state)
{
	*state = NULL;
	return BE(store)->merge_get(BE(store), plan_id, state);
}

void coplan_partner_cas_free(coplan_partner_ca *cas, size_t n)
{
	for (size_t i = 0; cas && i < n; i++)
		free(cas[i].pem);
	free(cas);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* bundle.c - use cases of exchange between offices: partner CAs, export, verify and import of bundles, merges. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "coplan/bundle.h"
#include "coplan/exchange.h"
#include "coplan/import.h"
#include "coplan/marking.h"
#include "coplan/sign.h"
#include "../buf.h"
#include "service_int.h"

/* A CA certificate may be imported only this far before... nothing: only its own validity counts. */
#define EXPIRES_DAYS_DEFAULT 30
#define EXPIRES_DAYS_MAX 366
/* A bundle created further than this in the future (seconds, clocks apart) is refused. */
#define CLOCK_SKEW 600

static void utc_text(char out[24], time_t t)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, 24, "1970-01-01T00:00:00Z");
}

/* Keys and trust: the local operator or an administrator. */
static int keeper(const coplan_ctx *ctx, coplan_store **store)
{
	int rc;

	if ((rc = cp_svc_store(ctx, store)))
		return rc;
	return coplan_service_authorize(ctx, 0, COPLAN_ACTION_ADMIN);
}

int coplan_service_ca_import(const coplan_ctx *ctx, const char *nation, const char *path, long talks_plan,
                             coplan_partner_ca *out)
{
	cp_buf pem = CP_BUF_INIT(COPLAN_PEM_MAX);
	coplan_partner_ca ca;
	coplan_signer info;
	coplan_store *store;
	coplan_plan *talks = NULL;
	cp_svc_audit a;
	int rc;

	memset(&ca, 0, sizeof(ca));
	if (out)
		memset(out, 0, sizeof(*out));
	if (!nation || !path)
		return cp_error(COPLAN_EUSAGE, "a partner CA needs its nation and certificate file");
	if (!coplan_nation_valid(nation) || strlen(nation) != 3)
		return cp_error(COPLAN_EINVALID, "unknown nation '%s' (expected ISO 3166-1 alpha-3, e.g. JPN)", nation);
	if ((rc = keeper(ctx, &store)))
		return rc;
	if ((rc = cp_buf_read_file(&pem, path))) {
		cp_buf_release(&pem);
		return rc;
	}
	if ((rc = coplan_certificate_info_pem(pem.data ? pem.data : "", pem.len, &info))) {
		rc = cp_error(rc, "%s: not a PEM certificate", path);
		goto cleanup;
	}
	if (strcmp(info.subject, info.issuer)) {
		rc = cp_error(COPLAN_EINVALID, "%s: not a CA's own certificate (issued by '%s'): import the "
		              "nation's root CA", path, info.issuer);
		goto cleanup;
	}
	if (*info.nation && strcmp(info.nation, nation)) {
		rc = cp_error(COPLAN_EINVALID, "%s: a CA of %s (C= of '%s'), not of %s", path, info.nation,
		              info.subject, nation);
		goto cleanup;
	}
	memcpy(ca.fingerprint, info.fingerprint, sizeof(ca.fingerprint));
	memcpy(ca.nation, nation, 4);
	snprintf(ca.subject, sizeof(ca.subject), "%s", info.subject);
	utc_text(ca.not_before, info.not_before);
	utc_text(ca.not_after, info.not_after);
	utc_text(ca.added, coplan_ctx_now(ctx));
	ca.pem = pem.data;
	if ((rc = cp_svc_audit_begin(ctx, store, &a, "ca import", 0, "partner CA %s of %s", ca.fingerprint,
	                             nation)))
		goto cleanup;
	if (talks_plan > 0) {
		if (!(rc = coplan_store_load_plan(store, talks_plan, &talks, NULL)) && !talks->has_talks)
			rc = cp_error(COPLAN_ENOTFOUND, "plan %ld holds no staff talks", talks_plan);
		if (!rc) {
			ca.talks_id = talks_plan;
			snprintf(ca.talks, sizeof(ca.talks), "%s staff talks %d, %s", talks->talks.series ?
			         talks->talks.series : "", talks->talks.edition, talks->title);
		}
	}
	if (!rc)
		rc = coplan_store_partner_ca_add(store, &ca);
	rc = cp_svc_audit_end(ctx, store, &a, rc);
	if (!rc && out) {
		*out = ca;
		out->pem = NULL;
	}
cleanup:
	coplan_plan_free(talks);
	cp_buf_release(&pem);
	return rc;
}

int coplan_service_cas(const coplan_ctx *ctx, coplan_partner_ca **out, size_t *n)
{
	coplan_store *store;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = keeper(ctx, &store)))
		return rc;
	return coplan_store_partner_cas(store, out, n);
}

int coplan_service_ca_delete(const coplan_ctx *ctx, const char *fingerprint)
{
	coplan_store *store;
	cp_svc_audit a;
	int rc;

	if (!fingerprint)
		return cp_error(COPLAN_EUSAGE, "which CA? (its SHA-256 fingerprint)");
	if ((rc = keeper(ctx, &store)))
		return rc;
	if ((rc = cp_svc_audit_begin(ctx, store, &a, "ca delete", 0, "partner CA %.64s", fingerprint)))
		return rc;
	return cp_svc_audit_end(ctx, store, &a, coplan_store_partner_ca_delete(store, fingerprint));
}

void coplan_bundle_result_release(coplan_bundle_result *r)
{
	if (!r)
		return;
	free(r->data);
	memset(r, 0, sizeof(*r));
}

/* The office of the certificate cert: its nation (from C=) into info. */
static int office_of(const char *cert, coplan_signer *info)
{
	int rc;

	if (!cert)
		return cp_error(COPLAN_EUSAGE, "the office's certificate is needed (--cert FILE or $COPLAN_CERT)");
	if ((rc = coplan_certificate_info(cert, info)))
		return rc;
	if (!*info->nation)
		return cp_error(COPLAN_EINVALID, "%s: the office's certificate names no nation (C=)", cert);
	return 0;
}

/*
 * THE one place a plan is loaded for a partner: plan_id as ctx's account
 * may see it, then as the recipient nation's office may (docs/labels.md):
 * what its labels release to that nation.  The office reads as a nation,
 * not a person: REL TO decides, the classification travels with the
 * bundle's marking (the highest level of the ladder is assumed cleared), and
 * it holds no caveat (an item with one stays home: deny by default).
 * What stays home is absent from the payload, so the partner's plan, the
 * base of a later merge, never had it and the merge keeps ours.
 */
static int load_for_recipient(const coplan_ctx *ctx, long plan_id, const char *recipient, coplan_plan **out,
                              long *id)
{
	cp_svc_reader office = { 0 };
	int rc;

	if ((rc = cp_svc_load_as(ctx, plan_id, COPLAN_ACTION_READ, out, id, NULL)))
		return rc;
	if (!(rc = coplan_label_policy_load(&office.policy, coplan_label_policy_default_path()))) {
		memcpy(office.nation, recipient, sizeof(office.nation));
		office.reader.nation = office.nation;
		office.reader.clearance = coplan_label_policy_levels(office.policy) - 1;
		rc = cp_svc_filter(*out, &office);
		if (rc == COPLAN_ENOTFOUND)
			rc = cp_error(COPLAN_EDENIED, "plan %ld is not releasable to %s (its label): no bundle", *id,
			              recipient);
	}
	cp_svc_reader_free(&office);
	if (rc) {
		coplan_plan_free(*out);
		*out = NULL;
	}
	return rc;
}

int coplan_service_bundle_export(const coplan_ctx *ctx, long plan_id, const coplan_bundle_request *req,
                                 coplan_bundle_result *out)
{
	coplan_bundle_manifest *m = &out->manifest;
	coplan_plan *plan = NULL;
	coplan_store *store;
	char *payload = NULL, *manifest = NULL, *base = NULL;
	unsigned char *sig = NULL;
	size_t payload_len = 0, manifest_len = 0, sig_len = 0, base_len = 0;
	long id = 0, last = 0, audit_size = 0;
	char audit_root[65];
	time_t now = coplan_ctx_now(ctx);
	cp_svc_audit a;
	int rc, days;

	memset(out, 0, sizeof(*out));
	if (!req || !req->to || !req->key)
		return cp_error(COPLAN_EUSAGE, "a bundle needs its recipient and the office's key and certificate");
	days = req->expires_days ? req->expires_days : EXPIRES_DAYS_DEFAULT;
	if (days < 1 || days > EXPIRES_DAYS_MAX)
		return cp_error(COPLAN_EUSAGE, "a bundle expires in 1 to %d days, not %d", EXPIRES_DAYS_MAX, days);
	if (!coplan_nation_valid(req->to) || strlen(req->to) != 3)
		return cp_error(COPLAN_EINVALID, "unknown nation '%s' (expected ISO 3166-1 alpha-3, e.g. JPN)",
		                req->to);
	if (req->note && strlen(req->note) >= sizeof(m->note))
		return cp_error(COPLAN_ELIMIT, "a note over %zu bytes", sizeof(m->note) - 1);
	if ((rc = cp_svc_store(ctx, &store)) || (rc = office_of(req->cert, &out->signer)))
		return rc;
	if (!strcmp(out->signer.nation, req->to))
		return cp_error(COPLAN_EINVALID, "the bundle is for %s, the office's own nation", req->to);
	if ((rc = cp_svc_audit_begin(ctx, store, &a, "bundle export", 0, "bundle to %s", req->to)))
		return rc;
	if ((rc = load_for_recipient(ctx, plan_id, req->to, &plan, &id)) || (rc = cp_svc_audit_plan(store, &a, id)) ||
	    (rc = coplan_store_merge_get(store, id, &base)))
		goto end;
	if (base) {
		/* its base would claim a partner's plan that is not in ours yet */
		rc = cp_error(COPLAN_ECONFLICT, "plan %ld: a merge of a partner's bundle is waiting: coplan merge "
		              "apply (or abort) first", id);
		goto end;
	}
	snprintf(a.object, sizeof(a.object), "bundle to %s", req->to);
	if ((rc = coplan_plan_canonical_json(&payload, &payload_len, plan)))
		goto end;
	memcpy(m->sender, out->signer.nation, 4);
	snprintf(m->sender_office, sizeof(m->sender_office), "%s", out->signer.subject);
	memcpy(m->recipient, req->to, 4);
	snprintf(m->plan_uuid, sizeof(m->plan_uuid), "%s", plan->uuid);
	snprintf(m->plan_title, sizeof(m->plan_title), "%s", plan->title ? plan->title : "");
	snprintf(m->note, sizeof(m->note), "%s", req->note ? req->note : "");
	/* the label: the marking of what the bundle holds, never a lower one the user types */
	if ((rc = coplan_plan_marking(m->label, sizeof(m->label), plan, NULL, 0)))
		goto end;
	m->created = now;
	m->expires = now + (time_t)days * 86400;
	if ((rc = coplan_store_bundle_seq_get(store, "out", req->to, plan->uuid, &last, &audit_size, audit_root)))
		goto end;
	m->sequence = last + 1;
	rc = coplan_store_bundle_payload_get(store, "in", req->to, plan->uuid, NULL, &base, &base_len, m->base);
	if (rc == COPLAN_ENOTFOUND)
		rc = 0, m->base[0] = '\0';
	if (rc || (rc = cp_svc_audit_head(store, &m->audit_size, m->audit_root)) ||
	    (rc = coplan_sha256_hex(m->payload_sha256, payload, payload_len)))
		goto end;
	m->payload_size = payload_len;
	if ((rc = coplan_bundle_manifest_encode(&manifest, &manifest_len, m)) ||
	    (rc = coplan_sign_detached(&sig, &sig_len, manifest, manifest_len, req->cert, req->key)) ||
	    (rc = coplan_bundle_write(&out->data, &out->len, manifest, manifest_len, sig, sig_len, payload,
	                              payload_len)))
		goto end;
	{
		char at[24];

		utc_text(at, now);
		if ((rc = coplan_store_bundle_seq_set(store, "out", req->to, plan->uuid, m->sequence, 0, "")) ||
		    (rc = coplan_store_bundle_payload_add(store, "out", req->to, plan->uuid, m->sequence,
		                                          m->payload_sha256, at, payload, payload_len)))
			goto end;
	}
	snprintf(a.object, sizeof(a.object), "bundle %ld to %s, payload %.16s", m->sequence, req->to,
	         m->payload_sha256);
	/* written inside the transaction: no sequence is kept for a file that was not written */
	if (req->path)
		rc = cp_write_file_atomic(req->path, out->data, out->len);
end:
	rc = cp_svc_audit_end(ctx, store, &a, rc);
	if (rc)
		coplan_bundle_result_release(out);
	free(base);
	free(sig);
	free(manifest);
	free(payload);
	coplan_plan_free(plan);
	return rc;
}

/* A verified bundle and what goes with it. */
typedef struct {
	coplan_bundle bundle;
	coplan_signer signer;
	coplan_signer office;    /* ours */
	coplan_plan *plan;       /* the payload as a plan */
	char *base;              /* the base's payload (NULL: none) */
	size_t base_len;
} checked;

static void checked_release(checked *c)
{
	coplan_bundle_release(&c->bundle);
	coplan_plan_free(c->plan);
	free(c->base);
	memset(c, 0, sizeof(*c));
}

/* Every check of coplan_service_bundle_verify(), reading the store only. */
static int check_bundle(const coplan_ctx *ctx, coplan_store *store, const char *path, const char *cert,
                        checked *c)
{
	cp_buf file = CP_BUF_INIT(COPLAN_BUNDLE_MAX);
	coplan_bundle_manifest *m = &c->bundle.manifest;
	coplan_partner_ca *cas = NULL;
	const char **pems = NULL;
	size_t n_cas = 0, n_pems = 0, canon_len = 0;
	char *canon = NULL, when[24], root[65];
	long last = 0, audit_size = 0;
	time_t now = coplan_ctx_now(ctx);
	int rc;

	memset(c, 0, sizeof(*c));
	if (!path)
		return cp_error(COPLAN_EUSAGE, "which bundle file?");
	if ((rc = office_of(cert, &c->office)))
		return rc;
	if ((rc = cp_buf_read_file(&file, path))) {
		cp_buf_release(&file);   /* what was read before the limit */
		return rc;
	}
	if ((rc = coplan_bundle_read(&c->bundle, file.data ? file.data : "", file.len, path)))
		goto cleanup;
	if (strcmp(m->recipient, c->office.nation)) {
		rc = cp_error(COPLAN_EINVALID, "%s: the bundle is for %s, not for this office (%s)", path, m->recipient,
		              c->office.nation);
		goto cleanup;
	}
	if (now >= m->expires) {
		utc_text(when, m->expires);
		rc = cp_error(COPLAN_EINVALID, "%s: the bundle expired on %s", path, when);
		goto cleanup;
	}
	if (m->created > now + CLOCK_SKEW) {
		utc_text(when, m->created);
		rc = cp_error(COPLAN_EINVALID, "%s: the bundle was made in the future (%s)", path, when);
		goto cleanup;
	}
	if ((rc = coplan_store_partner_cas(store, &cas, &n_cas)))
		goto cleanup;
	if (n_cas && !(pems = calloc(n_cas, sizeof(*pems)))) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (size_t i = 0; i < n_cas; i++)
		if (!strcmp(cas[i].nation, m->sender))
			pems[n_pems++] = cas[i].pem;
	if (!n_pems) {
		rc = cp_error(COPLAN_EINVALID, "%s: no CA of %s is trusted (coplan keys import-ca %s FILE)", path,
		              m->sender, m->sender);
		goto cleanup;
	}
	if ((rc = coplan_verify_detached_pem(c->bundle.manifest_text, c->bundle.manifest_len, c->bundle.signature,
	                                     c->bundle.signature_len, pems, n_pems, now, &c->signer))) {
		char why[512];

		snprintf(why, sizeof(why), "%s", coplan_error_last());
		rc = cp_error(rc, "%s: %s", path, why);
		goto cleanup;
	}
	if (strcmp(c->signer.nation, m->sender) || strcmp(c->signer.subject, m->sender_office)) {
		rc = cp_error(COPLAN_EINVALID, "%s: the manifest names %s '%s' as sender, but '%s' signed it", path,
		              m->sender, m->sender_office, c->signer.subject);
		goto cleanup;
	}
	if ((rc = coplan_store_bundle_seq_get(store, "in", m->sender, m->plan_uuid, &last, &audit_size, root)))
		goto cleanup;
	if (m->sequence == last) {
		rc = cp_error(COPLAN_EINVALID, "%s: bundle %ld from %s was taken already (a replay)", path,
		              m->sequence, m->sender);
		goto cleanup;
	}
	if (m->sequence < last) {
		rc = cp_error(COPLAN_EINVALID, "%s: bundle %ld from %s is older than bundle %ld, taken already", path,
		              m->sequence, m->sender, last);
		goto cleanup;
	}
	if (m->audit_size < audit_size || (m->audit_size == audit_size && audit_size && strcmp(m->audit_root, root))) {
		rc = cp_error(COPLAN_EINVALID, "%s: the sender's audit log of %ld entries does not extend the %ld "
		              "entries of its last bundle", path, m->audit_size, audit_size);
		goto cleanup;
	}
	if (*m->base) {
		rc = coplan_store_bundle_payload_get(store, "out", m->sender, m->plan_uuid, m->base, &c->base,
		                                     &c->base_len, NULL);
		if (rc == COPLAN_ENOTFOUND)
			rc = cp_error(COPLAN_EINVALID, "%s: unknown base %.16s...: this office never exchanged that "
			              "plan with %s", path, m->base, m->sender);
		if (rc)
			goto cleanup;
	}
	if ((rc = coplan_import_plan_json_buffer(&c->plan, "plan.json", c->bundle.payload, c->bundle.payload_len)))
		goto cleanup;
	if ((rc = coplan_plan_canonical_json(&canon, &canon_len, c->plan)))
		goto cleanup;
	if (canon_len != c->bundle.payload_len || memcmp(canon, c->bundle.payload, canon_len) ||
	    strcmp(c->plan->uuid, m->plan_uuid)) {
		rc = cp_error(COPLAN_EINVALID, "%s: plan.json is not the canonical plan %s the manifest names", path,
		              m->plan_uuid);
		goto cleanup;
	}
	rc = 0;
cleanup:
	free(canon);
	free(pems);
	coplan_partner_cas_free(cas, n_cas);
	cp_buf_release(&file);
	if (rc)
		checked_release(c);
	return rc;
}

int coplan_service_bundle_verify(const coplan_ctx *ctx, const char *path, const char *cert,
                                 coplan_bundle_result *out)
{
	coplan_store *store;
	checked c;
	int rc;

	if (out)
		memset(out, 0, sizeof(*out));
	if ((rc = cp_svc_store(ctx, &store)) || (rc = check_bundle(ctx, store, path, cert, &c)))
		return rc;
	if (out) {
		out->manifest = c.bundle.manifest;
		out->signer = c.signer;
	}
	checked_release(&c);
	return 0;
}

/* The id of the plan of that identity, 0 when the store holds none. */
typedef struct {
	coplan_store *store;
	const char *uuid;
	long id;
	int rc;
} finder;

static int find_one(long id, const char *title, int year, void *payload)
{
	finder *f = payload;
	coplan_plan *plan = NULL;

	(void)title;
	(void)year;
	if ((f->rc = coplan_store_load_plan(f->store, id, &plan, NULL)))
		return 1;
	if (!strcmp(plan->uuid, f->uuid))
		f->id = id;
	coplan_plan_free(plan);
	return f->id != 0;
}

static int plan_by_uuid(coplan_store *store, const char *uuid, long *id)
{
	finder f = { store, uuid, 0, 0 };
	int rc = coplan_store_foreach_plan(store, find_one, &f);

	*id = f.id;
	return f.rc ? f.rc : (rc < 0 ? rc : 0);
}

/*
 * Make plan id the merged plan (JSON text): checked, stored, saved as a
 * draft version with note.
 */
static int apply_merged(const coplan_ctx *ctx, coplan_store *store, long id, const char *merged, const char *note,
                        int *version)
{
	coplan_plan *plan = NULL, *before = NULL;
	cp_svc_actor actor;
	int rc;

	if ((rc = cp_svc_actor_of(ctx, id, COPLAN_ACTION_EDIT, &actor)) ||
	    (rc = coplan_store_load_plan(store, id, &before, NULL)))
		goto cleanup;
	if ((rc = coplan_import_plan_json_buffer(&plan, "the merged plan", merged, strlen(merged))) ||
	    (rc = coplan_plan_validate(plan))) {
		char why[512];

		snprintf(why, sizeof(why), "%s", coplan_error_last());
		rc = cp_error(rc, "the merge gives no valid plan: %s", why);
		goto cleanup;
	}
	if (strcmp(plan->uuid, before->uuid)) {
		rc = cp_error(COPLAN_EINVALID, "the merged plan is another plan (%s, not %s)", plan->uuid, before->uuid);
		goto cleanup;
	}
	if ((rc = cp_svc_nation_guard(&actor, before, plan)) || (rc = coplan_store_update_plan(store, id, plan)))
		goto cleanup;
	rc = coplan_store_version_save_as(store, id, COPLAN_VERSION_DRAFT, cp_svc_author(ctx, &actor),
	                                  cp_svc_author_nation(ctx, &actor), note, version);
cleanup:
	coplan_plan_free(plan);
	coplan_plan_free(before);
	return rc;
}

static const char *choice_name(coplan_merge_choice c)
{
	return c == COPLAN_MERGE_OURS ? "ours" : c == COPLAN_MERGE_THEIRS ? "theirs" : c == COPLAN_MERGE_VALUE
	       ? "value" : "open";
}

/* The state of a waiting merge, as the store keeps it (JSON). */
static int state_encode(char **out, const coplan_bundle_manifest *m, const char *us, const char *note,
                        const char *base, const char *ours, const char *ours_sha, const char *theirs,
                        json_t *resolutions)
{
	json_t *s = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s, s:s, s:O, s:s, s:I, s:s}", "from", m->sender,
	                      "us", us, "note", note, "base", base, "ours", ours, "ours_sha256", ours_sha,
	                      "theirs", theirs, "resolutions", resolutions, "plan_uuid", m->plan_uuid,
	                      "sequence", (json_int_t)m->sequence, "theirs_sha256", m->payload_sha256);

	*out = NULL;
	if (!s)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	*out = json_dumps(s, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(s);
	return *out ? 0 : cp_error(COPLAN_ENOMEM, "out of memory");
}

int coplan_service_bundle_import(const coplan_ctx *ctx, const char *path, const char *cert,
                                 coplan_bundle_import_result *out)
{
	coplan_bundle_manifest *m;
	coplan_plan *ours = NULL;
	coplan_store *store;
	coplan_merge_conflict *conflicts = NULL;
	size_t n_conflicts = 0, n_open = 0, ours_len = 0;
	char *ours_text = NULL, *merged = NULL, *state = NULL, ours_sha[65], at[24], note[1200];
	long id = 0;
	cp_svc_audit a;
	checked c;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	if ((rc = cp_svc_store(ctx, &store)))
		return rc;
	if ((rc = cp_svc_audit_begin(ctx, store, &a, "bundle import", 0, "bundle %.200s", path ? path : "")))
		return rc;
	if ((rc = check_bundle(ctx, store, path, cert, &c)))
		goto end;
	m = &c.bundle.manifest;
	snprintf(a.object, sizeof(a.object), "bundle %ld from %s, payload %.16s", m->sequence, m->sender,
	         m->payload_sha256);
	utc_text(at, coplan_ctx_now(ctx));
	if ((rc = plan_by_uuid(store, m->plan_uuid, &id)))
		goto end;
	if (!id) {
		/* the first bundle of a plan: the plan as the partner sent it, a new plan here */
		if ((rc = coplan_service_authorize(ctx, 0, COPLAN_ACTION_ADMIN)) || (rc = coplan_plan_validate(c.plan)) ||
		    (rc = coplan_store_insert_plan(store, c.plan, &id)) || (rc = cp_svc_grant_owner(ctx, id)) ||
		    (rc = cp_svc_audit_plan(store, &a, id)))
			goto end;
		snprintf(note, sizeof(note), "from %s bundle %ld (%.400s) to %s (%.400s)", m->sender, m->sequence,
		         m->sender_office, c.office.nation, c.office.subject);
		if ((rc = coplan_store_version_save_as(store, id, COPLAN_VERSION_DRAFT, ctx->user, ctx->nation, note,
		                                       &out->version)))
			goto end;
		out->created = 1;
		out->applied = 1;
	} else {
		if ((rc = cp_svc_audit_plan(store, &a, id)) ||
		    (rc = coplan_service_authorize(ctx, id, COPLAN_ACTION_EDIT)) ||
		    (rc = coplan_store_merge_get(store, id, &state)))
			goto end;
		if (state) {
			rc = cp_error(COPLAN_ECONFLICT, "plan %ld: a merge is waiting already (coplan merge list, take, "
			              "apply)", id);
			goto end;
		}
		if ((rc = coplan_store_load_plan(store, id, &ours, NULL)) ||
		    (rc = coplan_plan_canonical_json(&ours_text, &ours_len, ours)) ||
		    (rc = coplan_sha256_hex(ours_sha, ours_text, ours_len)) ||
		    (rc = coplan_plan_merge(&merged, &conflicts, &n_conflicts, &n_open, c.base, ours_text,
		                            c.bundle.payload, NULL, 0)))
			goto end;
		snprintf(note, sizeof(note), "merge of %s bundle %ld (%.400s) with %s (%.400s)", m->sender, m->sequence,
		         m->sender_office, c.office.nation, c.office.subject);
		out->conflicts = n_conflicts;
		if (!n_open) {
			if ((rc = apply_merged(ctx, store, id, merged, note, &out->version)))
				goto end;
			out->applied = 1;
		} else {
			json_t *none = json_array();

			rc = none ? state_encode(&state, m, c.office.nation, note, c.base, ours_text, ours_sha,
			                         c.bundle.payload, none)
			          : cp_error(COPLAN_ENOMEM, "out of memory");
			json_decref(none);
			if (rc || (rc = coplan_store_merge_set(store, id, state, at)))
				goto end;
		}
	}
	out->plan_id = id;
	/*
	 * the bundle is taken (a replay is refused from now on); its plan becomes
	 * the base of our next bundle to the sender only once merged into ours:
	 * a merge that waits keeps it until applied, an aborted one never has it
	 */
	if ((rc = coplan_store_bundle_seq_set(store, "in", m->sender, m->plan_uuid, m->sequence, m->audit_size,
	                                      m->audit_root)) ||
	    (out->applied && (rc = coplan_store_bundle_payload_add(store, "in", m->sender, m->plan_uuid, m->sequence,
	                                                           m->payload_sha256, at, c.bundle.payload,
	                                                           c.bundle.payload_len))))
		goto end;
end:
	rc = cp_svc_audit_end(ctx, store, &a, rc);
	if (rc)
		memset(out, 0, sizeof(*out));
	free(state);
	free(merged);
	free(ours_text);
	coplan_merge_conflicts_free(conflicts, n_conflicts);
	coplan_plan_free(ours);
	checked_release(&c);
	return rc;
}

/* A waiting merge: its state parsed, its conflicts computed with the resolutions so far. */
typedef struct {
	long id;
	json_t *state;
	coplan_merge_conflict *given;
	size_t n_given;
	coplan_merge_conflict *conflicts;
	size_t n, open;
	char *merged;
} waiting;

static void waiting_release(waiting *w)
{
	json_decref(w->state);
	coplan_merge_conflicts_free(w->given, w->n_given);
	coplan_merge_conflicts_free(w->conflicts, w->n);
	free(w->merged);
	memset(w, 0, sizeof(*w));
}

static const char *member_text(json_t *state, const char *key)
{
	return json_string_value(json_object_get(state, key));
}

static int waiting_load(const coplan_ctx *ctx, coplan_store *store, long plan_id, coplan_action action, waiting *w)
{
	json_error_t err;
	json_t *res, *r;
	char *text = NULL;
	size_t i;
	int rc;

	memset(w, 0, sizeof(*w));
	if ((rc = cp_svc_plan_id(store, plan_id, &w->id)) || (rc = coplan_service_authorize(ctx, w->id, action)) ||
	    (rc = coplan_store_merge_get(store, w->id, &text)))
		return rc;
	if (!text)
		return cp_error(COPLAN_ENOTFOUND, "plan %ld: no merge is waiting", w->id);
	w->state = json_loads(text, 0, &err);
	free(text);
	res = json_object_get(w->state, "resolutions");
	if (!w->state || !member_text(w->state, "ours") || !member_text(w->state, "theirs") || !json_is_array(res) ||
	    !member_text(w->state, "from") || !member_text(w->state, "plan_uuid") ||
	    !member_text(w->state, "theirs_sha256") || !member_text(w->state, "note")) {
		waiting_release(w);
		return cp_error(COPLAN_ESTORE, "plan %ld: the waiting merge is damaged", w->id);
	}
	if (json_array_size(res) && !(w->given = calloc(json_array_size(res), sizeof(*w->given)))) {
		waiting_release(w);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	json_array_foreach(res, i, r) {
		coplan_merge_conflict *g = &w->given[w->n_given++];
		const char *choice = json_string_value(json_object_get(r, "choice"));

		g->ref = cp_strdup(json_string_value(json_object_get(r, "ref")));
		g->field = cp_strdup(json_string_value(json_object_get(r, "field")));
		g->choice = !choice ? COPLAN_MERGE_OPEN : !strcmp(choice, "ours") ? COPLAN_MERGE_OURS
		            : !strcmp(choice, "theirs") ? COPLAN_MERGE_THEIRS : COPLAN_MERGE_VALUE;
		if (g->choice == COPLAN_MERGE_VALUE)
			g->value = cp_strdup(json_string_value(json_object_get(r, "value")));
		if (!g->ref || !g->field || (g->choice == COPLAN_MERGE_VALUE && !g->value)) {
			waiting_release(w);
			return cp_error(COPLAN_ESTORE, "plan %ld: the waiting merge is damaged", plan_id);
		}
	}
	if ((rc = coplan_plan_merge(&w->merged, &w->conflicts, &w->n, &w->open, member_text(w->state, "base"),
	                            member_text(w->state, "ours"), member_text(w->state, "theirs"), w->given,
	                            w->n_given)))
		waiting_release(w);
	return rc;
}

int coplan_service_merge_conflicts(const coplan_ctx *ctx, long plan_id, coplan_merge_conflict **out,
                                   size_t *n, char *from)
{
	coplan_store *store;
	waiting w;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = cp_svc_store(ctx, &store)) || (rc = waiting_load(ctx, store, plan_id, COPLAN_ACTION_READ, &w)))
		return rc;
	if (from)
		snprintf(from, 4, "%s", member_text(w.state, "from") ? member_text(w.state, "from") : "");
	*out = w.conflicts;
	*n = w.n;
	w.conflicts = NULL;
	w.n = 0;
	waiting_release(&w);
	return 0;
}

int coplan_service_merge_take(const coplan_ctx *ctx, long plan_id, const char *ref, const char *field,
                              coplan_merge_choice choice, const char *value)
{
	coplan_store *store;
	json_t *res, *r, *parsed = NULL;
	char *state = NULL, *vtext = NULL, at[24];
	size_t i, found = (size_t)-1;
	cp_svc_audit a;
	waiting w;
	int rc;

	if (!ref || !field || choice == COPLAN_MERGE_OPEN || (choice == COPLAN_MERGE_VALUE && !value))
		return cp_error(COPLAN_EUSAGE, "a resolution names the conflict (ref, field) and ours, theirs or a value");
	if (value && strlen(value) > 64 * 1024)
		return cp_error(COPLAN_ELIMIT, "a value over 64 KiB");
	if ((rc = cp_svc_store(ctx, &store)))
		return rc;
	if ((rc = cp_svc_audit_begin(ctx, store, &a, "merge take", 0, "%.64s %.64s %s", ref, field,
	                             choice_name(choice))))
		return rc;
	if ((rc = waiting_load(ctx, store, plan_id, COPLAN_ACTION_EDIT, &w)) || (rc = cp_svc_audit_plan(store, &a, w.id)))
		goto end;
	for (i = 0; i < w.n; i++)
		if (!strcmp(w.conflicts[i].ref, ref) && !strcmp(w.conflicts[i].field, field))
			found = i;
	if (found == (size_t)-1) {
		rc = cp_error(COPLAN_ENOTFOUND, "plan %ld: no conflict on %s %s (coplan merge list)", w.id, ref, field);
		goto end;
	}
	if (choice == COPLAN_MERGE_VALUE) {
		json_error_t err;

		/* JSON text as it is; any other text as a string */
		if (!(parsed = json_loads(value, JSON_DECODE_ANY, &err)))
			parsed = json_string(value);
		if (!parsed || !(vtext = json_dumps(parsed, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY))) {
			rc = cp_error(COPLAN_EINVALID, "the value for %s %s is not UTF-8 text", ref, field);
			goto end;
		}
	}
	res = json_object_get(w.state, "resolutions");
	for (i = json_array_size(res); i-- > 0;) {
		r = json_array_get(res, i);
		if (!strcmp(json_string_value(json_object_get(r, "ref")), ref) &&
		    !strcmp(json_string_value(json_object_get(r, "field")), field))
			json_array_remove(res, i);
	}
	if (!(r = json_pack("{s:s, s:s, s:s, s:s?}", "ref", ref, "field", field, "choice", choice_name(choice),
	                    "value", vtext)) || json_array_append_new(res, r)) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto end;
	}
	/* the value must give a plan the merge can read: checked now, not at apply */
	{
		coplan_merge_conflict *c = NULL;
		size_t n = 0, open = 0;
		char *merged = NULL;
		coplan_merge_conflict g = { .ref = (char *)ref, .field = (char *)field, .choice = choice, .value = vtext };
		coplan_merge_conflict *all = calloc(w.n_given + 1, sizeof(*all));

		if (!all) {
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
			goto end;
		}
		if (w.n_given)
			memcpy(all, w.given, w.n_given * sizeof(*all));
		all[w.n_given] = g;
		rc = coplan_plan_merge(&merged, &c, &n, &open, member_text(w.state, "base"), member_text(w.state, "ours"),
		                       member_text(w.state, "theirs"), all, w.n_given + 1);
		free(all);
		free(merged);
		coplan_merge_conflicts_free(c, n);
		if (rc)
			goto end;
	}
	if (!(state = json_dumps(w.state, JSON_COMPACT | JSON_SORT_KEYS))) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto end;
	}
	utc_text(at, coplan_ctx_now(ctx));
	rc = coplan_store_merge_set(store, w.id, state, at);
end:
	rc = cp_svc_audit_end(ctx, store, &a, rc);
	json_decref(parsed);
	free(vtext);
	free(state);
	waiting_release(&w);
	return rc;
}

int coplan_service_merge_apply(const coplan_ctx *ctx, long plan_id, int *version)
{
	coplan_store *store;
	coplan_plan *now = NULL;
	char sha[65];
	cp_svc_audit a;
	waiting w;
	int rc;

	if (version)
		*version = 0;
	memset(&w, 0, sizeof(w));
	if ((rc = cp_svc_store(ctx, &store)))
		return rc;
	if ((rc = cp_svc_audit_begin(ctx, store, &a, "merge apply", 0, "merge")))
		return rc;
	if ((rc = waiting_load(ctx, store, plan_id, COPLAN_ACTION_EDIT, &w)) || (rc = cp_svc_audit_plan(store, &a, w.id)))
		goto end;
	if (w.open) {
		rc = cp_error(COPLAN_ECONFLICT, "plan %ld: %zu of %zu conflicts still open (coplan merge list)", w.id,
		              w.open, w.n);
		goto end;
	}
	if ((rc = coplan_store_load_plan(store, w.id, &now, NULL)) || (rc = coplan_plan_digest(sha, now)))
		goto end;
	if (strcmp(sha, member_text(w.state, "ours_sha256") ? member_text(w.state, "ours_sha256") : "")) {
		rc = cp_error(COPLAN_ECONFLICT, "plan %ld changed since the bundle was imported: the merge no longer "
		              "applies", w.id);
		goto end;
	}
	if ((rc = apply_merged(ctx, store, w.id, w.merged, member_text(w.state, "note"), version)))
		goto end;
	{
		const char *theirs = member_text(w.state, "theirs");
		char at[24];

		utc_text(at, coplan_ctx_now(ctx));
		if ((rc = coplan_store_bundle_payload_add(store, "in", member_text(w.state, "from"),
		                                          member_text(w.state, "plan_uuid"),
		                                          (long)json_integer_value(json_object_get(w.state, "sequence")),
		                                          member_text(w.state, "theirs_sha256"), at, theirs,
		                                          strlen(theirs))))
			goto end;
	}
	rc = coplan_store_merge_set(store, w.id, NULL, NULL);
end:
	rc = cp_svc_audit_end(ctx, store, &a, rc);
	coplan_plan_free(now);
	waiting_release(&w);
	return rc;
}

int coplan_service_merge_abort(const coplan_ctx *ctx, long plan_id)
{
	coplan_store *store;
	cp_svc_audit a;
	waiting w;
	int rc;

	memset(&w, 0, sizeof(w));
	if ((rc = cp_svc_store(ctx, &store)))
		return rc;
	if ((rc = cp_svc_audit_begin(ctx, store, &a, "merge abort", 0, "merge")))
		return rc;
	if (!(rc = waiting_load(ctx, store, plan_id, COPLAN_ACTION_EDIT, &w)) && !(rc = cp_svc_audit_plan(store, &a, w.id)))
		rc = coplan_store_merge_set(store, w.id, NULL, NULL);
	rc = cp_svc_audit_end(ctx, store, &a, rc);
	waiting_release(&w);
	return rc;
}

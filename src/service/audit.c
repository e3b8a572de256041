/* SPDX-License-Identifier: Apache-2.0 */
/* audit.c - the tamper-evident audit log: one entry per change or refusal, signed checkpoints, verification. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "coplan/audit.h"
#include "coplan/merkle.h"
#include "coplan/sign.h"
#include "service_int.h"
#include "../buf.h"

/* ---- canonical bytes (docs/internals/audit.md) ------------------------------ */

#define ENTRY_TAG "coplan audit entry 1"

static int put_field(cp_buf *b, const char *s)
{
	size_t n = strlen(s);
	unsigned char len[4] = { (unsigned char)(n >> 24), (unsigned char)(n >> 16),
	                         (unsigned char)(n >> 8), (unsigned char)n };

	int rc;

	if ((rc = cp_buf_add(b, len, 4)) || (rc = cp_buf_add(b, s, n)))
		return rc;
	return 0;
}

int coplan_audit_entry_encode(unsigned char **out, size_t *len, const coplan_audit_entry *e)
{
	char seq[24], account[24], error[16];
	const char *fields[12];
	cp_buf b = CP_BUF_INIT(4 * 12 + 64 * 3 + COPLAN_AUDIT_OBJECT_MAX + 1024);
	int rc = 0;

	*out = NULL;
	*len = 0;
	snprintf(seq, sizeof(seq), "%ld", e->seq);
	snprintf(account, sizeof(account), "%ld", e->account);
	snprintf(error, sizeof(error), "%d", e->error);
	fields[0] = ENTRY_TAG;
	fields[1] = seq;
	fields[2] = e->at;
	fields[3] = account;
	fields[4] = e->account_name;
	fields[5] = e->nation;
	fields[6] = e->action;
	fields[7] = e->object ? e->object : "";
	fields[8] = e->refused ? "refused" : "done";
	fields[9] = error;
	fields[10] = e->before;
	fields[11] = e->after;
	for (size_t i = 0; i < 12 && !rc; i++)
		rc = put_field(&b, fields[i]);
	if (rc) {
		cp_buf_release(&b);
		return rc;
	}
	*out = (unsigned char *)cp_buf_detach(&b, len);
	return *out ? 0 : cp_error(COPLAN_ENOMEM, "out of memory");
}

int coplan_audit_checkpoint_encode(char **out, size_t *len, const coplan_audit_checkpoint *cp)
{
	char text[256];
	int n = snprintf(text, sizeof(text), "coplan audit checkpoint 1\nsize %ld\nroot %s\ntime %s\n",
	                 cp->size, cp->root, cp->at);

	*out = NULL;
	*len = 0;
	if (n < 0 || (size_t)n >= sizeof(text))
		return cp_error(COPLAN_EINVALID, "a checkpoint that does not encode");
	if (!(*out = cp_strdup(text)))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	*len = (size_t)n;
	return 0;
}

static void to_hex(char hex[65], const coplan_merkle_hash h)
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < COPLAN_MERKLE_HASH_LEN; i++) {
		hex[2 * i] = digits[h[i] >> 4];
		hex[2 * i + 1] = digits[h[i] & 15];
	}
	hex[64] = '\0';
}

static int from_hex(coplan_merkle_hash h, const char *hex)
{
	if (strlen(hex) != 64)
		return -1;
	for (int i = 0; i < 64; i++) {
		char c = hex[i];
		int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;

		if (v < 0)
			return -1;
		if (i % 2)
			h[i / 2] = (unsigned char)(h[i / 2] | v);
		else
			h[i / 2] = (unsigned char)(v << 4);
	}
	return 0;
}

/* The leaf hash of entry e's canonical bytes, as hex. */
static int leaf_of(char hex[65], const coplan_audit_entry *e)
{
	unsigned char *bytes = NULL;
	coplan_merkle_hash h;
	size_t len;
	int rc;

	if ((rc = coplan_audit_entry_encode(&bytes, &len, e)))
		return rc;
	rc = coplan_merkle_leaf_hash(h, bytes, len);
	free(bytes);
	if (!rc)
		to_hex(hex, h);
	return rc;
}

static void utc_stamp(char at[24], time_t t)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(at, 24, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(at, 24, "1970-01-01T00:00:00Z");
}

static time_t parse_stamp(const char *at)
{
	int y, m, d, hh, mm, ss;
	long era, yoe, doy, doe, days;

	if (sscanf(at, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &m, &d, &hh, &mm, &ss) != 6)
		return (time_t)-1;
	/* days since 1970-01-01 of the proleptic Gregorian date (H. Hinnant, days_from_civil) */
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	days = era * 146097 + doe - 719468;
	return (time_t)days * 86400 + hh * 3600 + mm * 60 + ss;
}

/* ---- writing entries: the one place (service_int.h) --------------------------- */

int cp_svc_audit_refusal_code(int rc)
{
	return rc == COPLAN_EDENIED || rc == COPLAN_EAUTH || rc == COPLAN_ECONFLICT;
}

static void audit_vinit(cp_svc_audit *a, const char *action, long plan_id, const char *fmt, va_list ap)
{
	memset(a, 0, sizeof(*a));
	a->action = action;
	a->plan_id = plan_id;
	vsnprintf(a->object, sizeof(a->object), fmt, ap);
}

void cp_svc_audit_init(cp_svc_audit *a, const char *action, long plan_id, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	audit_vinit(a, action, plan_id, fmt, ap);
	va_end(ap);
}

/* The content seal of plan_id as stored now, "" when there is no such plan or none. */
static int seal_now(coplan_store *store, long plan_id, char out[65])
{
	int rc;

	*out = '\0';
	if (plan_id <= 0)
		return 0;
	rc = coplan_store_seal_content(store, plan_id, out);
	if (rc == COPLAN_ENOTFOUND) {
		*out = '\0';
		return 0;
	}
	return rc;
}

int cp_svc_audit_begin(const coplan_ctx *ctx, coplan_store *store, cp_svc_audit *a, const char *action,
                       long plan_id, const char *fmt, ...)
{
	va_list ap;
	int rc;

	(void)ctx;
	va_start(ap, fmt);
	audit_vinit(a, action, plan_id, fmt, ap);
	va_end(ap);
	if ((rc = coplan_store_begin(store)))
		return rc;
	if (plan_id > 0 && (rc = cp_svc_audit_plan(store, a, plan_id)))
		return coplan_store_end(store, rc);
	return 0;
}

int cp_svc_audit_plan(coplan_store *store, cp_svc_audit *a, long id)
{
	int rc;

	if (a->sealed && a->plan_id == id)
		return 0;
	a->plan_id = id;
	if ((rc = seal_now(store, id, a->before)))
		return rc;
	a->sealed = 1;
	return 0;
}

/* Who acted, into e: a->as_account when set, else ctx's account (0: ctx->user and ctx->nation). */
static int who(const coplan_ctx *ctx, coplan_store *store, const cp_svc_audit *a, coplan_audit_entry *e)
{
	long id = a->as_account > 0 ? a->as_account : ctx->account;
	coplan_account acc;
	int rc;

	e->account = id;
	if (id == 0) {
		snprintf(e->account_name, sizeof(e->account_name), "%.64s", ctx->user ? ctx->user : "");
		snprintf(e->nation, sizeof(e->nation), "%.3s", ctx->nation ? ctx->nation : "");
		return 0;
	}
	if (id < 0)
		return 0;
	rc = coplan_store_account_get(store, id, NULL, &acc, NULL);
	if (rc == COPLAN_ENOTFOUND)
		return 0; /* a session or context naming no user: recorded by its number */
	if (rc)
		return rc;
	memcpy(e->account_name, acc.name, sizeof(e->account_name));
	memcpy(e->nation, acc.nation, sizeof(e->nation));
	free(acc.display_name);
	return 0;
}

int cp_svc_audit_record(const coplan_ctx *ctx, coplan_store *store, const cp_svc_audit *a, int outcome)
{
	char object[COPLAN_AUDIT_OBJECT_MAX + 1];
	coplan_audit_entry e;
	long last = 0;
	int rc;

	memset(&e, 0, sizeof(e));
	if (a->plan_id > 0)
		snprintf(object, sizeof(object), "plan %ld%s%s", a->plan_id, *a->object ? " " : "", a->object);
	else
		snprintf(object, sizeof(object), "%s", a->object);
	if ((rc = coplan_store_audit_last(store, &last)))
		return rc;
	e.seq = last + 1;
	utc_stamp(e.at, coplan_ctx_now(ctx));
	if ((rc = who(ctx, store, a, &e)))
		return rc;
	snprintf(e.action, sizeof(e.action), "%s", a->action);
	e.object = object;
	e.refused = outcome != 0;
	e.error = outcome;
	if (!e.refused && a->plan_id > 0) {
		if (a->sealed)
			memcpy(e.before, a->before, sizeof(e.before));
		if ((rc = seal_now(store, a->plan_id, e.after)))
			return rc;
	}
	if ((rc = leaf_of(e.leaf, &e)))
		return rc;
	return coplan_store_audit_append(store, &e);
}

int cp_svc_audit_refused(const coplan_ctx *ctx, coplan_store *store, const cp_svc_audit *a, int rc)
{
	char *saved;
	int wrc;

	if (!cp_svc_audit_refusal_code(rc))
		return rc;
	/* the refusal's own message survives the entry written after it */
	saved = cp_strdup(coplan_error_last());
	if (!(wrc = coplan_store_begin(store)))
		wrc = coplan_store_end(store, cp_svc_audit_record(ctx, store, a, rc));
	(void)wrc; /* an entry that cannot be written leaves the refusal as it was */
	cp_error(rc, "%s", saved ? saved : "refused");
	free(saved);
	return rc;
}

int cp_svc_audit_end(const coplan_ctx *ctx, coplan_store *store, cp_svc_audit *a, int rc)
{
	if (!rc && !a->unchanged)
		rc = cp_svc_audit_record(ctx, store, a, 0);
	rc = coplan_store_end(store, rc);
	/* "not found" for what is there but not releasable to the account: a refusal all the same */
	if (rc == COPLAN_ENOTFOUND)
		return cp_svc_audit_unreleasable(ctx, store, a->action, a->plan_id,
		                                 !strncmp(a->object, "activity ", 9) ? a->object + 9 : NULL, rc);
	return cp_svc_audit_refused(ctx, store, a, rc);
}

/* ---- reading, checkpoints, verification (coplan/service.h) -------------------- */

/* Only the local operator and administrators read and sign the audit log. */
static int auditor(const coplan_ctx *ctx, coplan_store **store)
{
	cp_svc_actor actor;
	int rc;

	if ((rc = cp_svc_store(ctx, store)))
		return rc;
	/* a refusal is recorded there, as every refusal of an authorization */
	return cp_svc_actor_of(ctx, 0, COPLAN_ACTION_ADMIN, &actor);
}

int coplan_service_audit_entries(const coplan_ctx *ctx, long since, coplan_audit_entry **out, size_t *n)
{
	coplan_store *store;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = auditor(ctx, &store)))
		return rc;
	return coplan_store_audit_entries(store, since < 0 ? 0 : since, out, n);
}

/* The leaf hashes of entries 1..n as stored in e (checked elsewhere); *out malloc'd. */
static int leaves_of(coplan_merkle_hash **out, const coplan_audit_entry *e, size_t n)
{
	coplan_merkle_hash *v = NULL;

	*out = NULL;
	if (n && !(v = calloc(n, sizeof(*v))))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		if (from_hex(v[i], e[i].leaf)) {
			free(v);
			return cp_error(COPLAN_EINVALID, "audit entry %ld: its leaf hash is not 64 hex digits",
			                e[i].seq);
		}
	*out = v;
	return 0;
}

int coplan_service_audit_checkpoint(const coplan_ctx *ctx, const char *cert, const char *key,
                                    coplan_audit_checkpoint *out)
{
	coplan_audit_entry *entries = NULL;
	coplan_merkle_hash *leaves = NULL, root;
	coplan_signer signer;
	coplan_store *store;
	cp_svc_audit a;
	char *text = NULL;
	size_t n = 0, len;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!cert || !key)
		return cp_error(COPLAN_EUSAGE, "a checkpoint needs the office's certificate and key");
	if ((rc = auditor(ctx, &store)))
		return rc;
	if ((rc = coplan_certificate_info(cert, &signer)))
		return rc;
	if ((rc = cp_svc_audit_begin(ctx, store, &a, "audit checkpoint", 0, "the audit log")))
		return rc;
	if ((rc = coplan_store_audit_entries(store, 0, &entries, &n)) ||
	    (rc = leaves_of(&leaves, entries, n)) || (rc = coplan_merkle_root(root, leaves, n)))
		goto end;
	out->size = (long)n;
	to_hex(out->root, root);
	utc_stamp(out->at, coplan_ctx_now(ctx));
	memcpy(out->fingerprint, signer.fingerprint, sizeof(out->fingerprint));
	if ((rc = coplan_audit_checkpoint_encode(&text, &len, out)) ||
	    (rc = coplan_sign_detached(&out->signature, &out->signature_len, text, len, cert, key)) ||
	    (rc = coplan_store_audit_checkpoint_add(store, out, &out->id)))
		goto end;
	snprintf(a.object, sizeof(a.object), "checkpoint %ld of %ld entries", out->id, out->size);
end:
	rc = cp_svc_audit_end(ctx, store, &a, rc);
	if (rc) {
		free(out->signature);
		memset(out, 0, sizeof(*out));
	}
	free(text);
	free(leaves);
	coplan_audit_entries_free(entries, n);
	return rc;
}

/* Set the report's problem (malloc'd) from the last error, and return COPLAN_EINVALID. */
static int found(coplan_audit_report *r, long entry, const char *fmt, ...) CP_PRINTF(3, 4);
static int found(coplan_audit_report *r, long entry, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = cp_error_v(COPLAN_EINVALID, fmt, ap);
	va_end(ap);
	r->first_bad = entry;
	free(r->problem);
	r->problem = cp_strdup(coplan_error_last());
	return rc;
}

/* Every checkpoint against the leaves recomputed from the rows. */
static int verify_checkpoints(coplan_audit_report *r, const coplan_merkle_hash *leaves, size_t n,
                              const coplan_audit_checkpoint *cps, size_t n_cps,
                              const char *const *ca, size_t n_ca)
{
	const coplan_audit_checkpoint *prev = NULL;
	coplan_merkle_hash root, stored, prev_root;
	long good = 0;
	int rc;

	for (size_t i = 0; i < n_cps; i++) {
		const coplan_audit_checkpoint *c = &cps[i];
		coplan_merkle_hash *proof = NULL;
		size_t plen = 0, len = 0;
		char *text = NULL;

		if (c->size < 0 || (size_t)c->size > n)
			return found(r, (long)n + 1, "checkpoint %ld (signed %s) covers %ld entries but the log "
			             "holds %zu: entry %zu onwards was deleted", c->id, c->at, c->size, n, n + 1);
		if (from_hex(stored, c->root))
			return found(r, 0, "checkpoint %ld: its root is not 64 hex digits", c->id);
		if ((rc = coplan_merkle_root(root, leaves, (size_t)c->size)))
			return rc;
		if (memcmp(root, stored, sizeof(root)))
			return found(r, good + 1, "checkpoint %ld (signed %s, %ld entries): its root no longer "
			             "matches the entries: an entry from %ld to %ld differs from what was signed",
			             c->id, c->at, c->size, good + 1, c->size);
		if (n_ca) {
			coplan_signer signer;

			if ((rc = coplan_audit_checkpoint_encode(&text, &len, c)))
				return rc;
			rc = coplan_verify_detached(text, len, c->signature, c->signature_len, ca, n_ca,
			                            parse_stamp(c->at), &signer);
			free(text);
			if (rc == COPLAN_EINVALID || (!rc && strcmp(signer.fingerprint, c->fingerprint))) {
				char why[512];

				snprintf(why, sizeof(why), "%s", rc ? coplan_error_last()
				         : "signed by another certificate than recorded");
				return found(r, 0, "checkpoint %ld (signed %s, %ld entries): its signature does not "
				             "verify: %s", c->id, c->at, c->size, why);
			}
			if (rc)
				return rc;
			r->signatures++;
		}
		if (prev) {
			if (c->size < prev->size)
				return found(r, c->size + 1, "checkpoint %ld holds %ld entries, fewer than checkpoint "
				             "%ld before it (%ld)", c->id, c->size, prev->id, prev->size);
			if (prev->size > 0) {
				if ((rc = coplan_merkle_consistency_proof(&proof, &plen, leaves, (size_t)c->size,
				                                          (size_t)prev->size)))
					return rc;
				rc = coplan_merkle_consistency_verify((uint64_t)prev->size, (uint64_t)c->size,
				                                      prev_root, stored, proof, plen);
				free(proof);
				if (rc)
					return found(r, prev->size + 1, "checkpoint %ld is not consistent with "
					             "checkpoint %ld: the tree of %ld entries does not extend the "
					             "tree of %ld", c->id, prev->id, c->size, prev->size);
			}
		}
		prev = c;
		memcpy(prev_root, stored, sizeof(prev_root));
		good = c->size;
		r->checkpoints++;
	}
	return 0;
}

int coplan_service_audit_verify(const coplan_ctx *ctx, const char *const *ca, size_t n_ca,
                                coplan_audit_report *out)
{
	coplan_audit_entry *entries = NULL;
	coplan_audit_checkpoint *cps = NULL;
	coplan_merkle_hash *leaves = NULL;
	coplan_store *store;
	size_t n = 0, n_cps = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = auditor(ctx, &store)))
		return rc;
	if ((rc = coplan_store_audit_entries(store, 0, &entries, &n)) ||
	    (rc = coplan_store_audit_checkpoints(store, &cps, &n_cps)))
		goto done;
	if (n && !(leaves = calloc(n, sizeof(*leaves)))) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto done;
	}
	/* each row as recorded: in its place, and hashing to its leaf */
	for (size_t i = 0; i < n; i++) {
		char hex[65];
		long want = (long)i + 1;

		if (entries[i].seq > want) {
			rc = found(out, want, "entry %ld is missing: the log goes from entry %ld to entry %ld "
			           "(a row was deleted)", want, want - 1, entries[i].seq);
			goto done;
		}
		if ((rc = leaf_of(hex, &entries[i])))
			goto done;
		if (strcmp(hex, entries[i].leaf) || from_hex(leaves[i], entries[i].leaf)) {
			rc = found(out, want, "entry %ld differs from what was recorded: its content (%s %s, "
			           "%s) does not hash to its leaf: changed, moved or forged", want,
			           entries[i].action, entries[i].object ? entries[i].object : "", entries[i].at);
			goto done;
		}
	}
	out->entries = (long)n;
	rc = verify_checkpoints(out, leaves, n, cps, n_cps, ca, n_ca);
	if (!rc && n_cps && !n_ca)
		out->unsigned_checked = 1;
done:
	free(leaves);
	coplan_audit_entries_free(entries, n);
	coplan_audit_checkpoints_free(cps, n_cps);
	return rc;
}

void coplan_audit_report_release(coplan_audit_report *r)
{
	if (!r)
		return;
	free(r->problem);
	memset(r, 0, sizeof(*r));
}

int coplan_service_audit_proof(const coplan_ctx *ctx, long seq, coplan_audit_proof *out)
{
	coplan_audit_entry *entries = NULL;
	coplan_audit_checkpoint *cps = NULL;
	coplan_merkle_hash *leaves = NULL, *path = NULL, root;
	coplan_store *store;
	size_t n = 0, n_cps = 0, plen = 0;
	const coplan_audit_checkpoint *c;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = auditor(ctx, &store)))
		return rc;
	if ((rc = coplan_store_audit_entries(store, 0, &entries, &n)) ||
	    (rc = coplan_store_audit_checkpoints(store, &cps, &n_cps)))
		goto done;
	if (!n_cps) {
		rc = cp_error(COPLAN_ENOTFOUND, "no checkpoint yet: sign one with 'coplan audit checkpoint'");
		goto done;
	}
	c = &cps[n_cps - 1];
	if (seq < 1 || seq > c->size) {
		rc = cp_error(COPLAN_ENOTFOUND, "entry %ld is not in the latest checkpoint (%ld, of entries "
		              "1 to %ld)", seq, c->id, c->size);
		goto done;
	}
	if ((size_t)c->size > n || entries[seq - 1].seq != seq) {
		rc = cp_error(COPLAN_EINVALID, "the log does not hold the entries of checkpoint %ld: run "
		              "'coplan audit verify'", c->id);
		goto done;
	}
	if ((rc = leaves_of(&leaves, entries, (size_t)c->size)) ||
	    (rc = coplan_merkle_inclusion_proof(&path, &plen, leaves, (size_t)c->size, (size_t)seq - 1)))
		goto done;
	if ((rc = from_hex(root, c->root) ? cp_error(COPLAN_EINVALID, "checkpoint %ld: a bad root", c->id) : 0) ||
	    (rc = coplan_merkle_inclusion_verify(leaves[seq - 1], (uint64_t)seq - 1, (uint64_t)c->size,
	                                         path, plen, root))) {
		rc = cp_error(COPLAN_EINVALID, "entry %ld is not in checkpoint %ld as signed: run 'coplan "
		              "audit verify'", seq, c->id);
		goto done;
	}
	if (plen && !(out->path = calloc(plen, sizeof(*out->path)))) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < plen; i++)
		to_hex(out->path[i], path[i]);
	out->n_path = plen;
	out->seq = seq;
	out->tree_size = c->size;
	out->checkpoint = c->id;
	memcpy(out->leaf, entries[seq - 1].leaf, sizeof(out->leaf));
	memcpy(out->root, c->root, sizeof(out->root));
	memcpy(out->at, c->at, sizeof(out->at));
done:
	free(path);
	free(leaves);
	coplan_audit_entries_free(entries, n);
	coplan_audit_checkpoints_free(cps, n_cps);
	return rc;
}

void coplan_audit_proof_release(coplan_audit_proof *p)
{
	if (!p)
		return;
	free(p->path);
	memset(p, 0, sizeof(*p));
}

int coplan_audit_entries_format_json(char **out, const coplan_audit_entry *e, size_t n)
{
	json_t *arr = json_array();
	int bad = !arr;

	*out = NULL;
	for (size_t i = 0; i < n && !bad; i++) {
		json_t *o = json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:s?, s:s?, s:s}",
		                      "seq", (json_int_t)e[i].seq, "at", e[i].at,
		                      "account", (json_int_t)e[i].account, "user", e[i].account_name,
		                      "nation", e[i].nation, "action", e[i].action,
		                      "object", e[i].object ? e[i].object : "",
		                      "outcome", e[i].refused ? "refused" : "done", "error", e[i].error,
		                      "before", *e[i].before ? e[i].before : NULL,
		                      "after", *e[i].after ? e[i].after : NULL, "leaf", e[i].leaf);

		bad = !o || json_array_append_new(arr, o);
	}
	if (!bad) {
		char *text = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		size_t len = text ? strlen(text) : 0;

		if (text && (*out = realloc(text, len + 2))) {
			(*out)[len] = '\n';
			(*out)[len + 1] = '\0';
		} else {
			free(text);
		}
	}
	json_decref(arr);
	return *out ? 0 : cp_error(COPLAN_ENOMEM, "out of memory (or an entry that is not UTF-8)");
}

int cp_svc_audit_head(coplan_store *store, long *size, char root[65])
{
	coplan_audit_entry *entries = NULL;
	coplan_merkle_hash *leaves = NULL, r;
	size_t n = 0;
	int rc;

	*size = 0;
	root[0] = '\0';
	if ((rc = coplan_store_audit_entries(store, 0, &entries, &n)) || (rc = leaves_of(&leaves, entries, n)))
		goto cleanup;
	if (n) {
		if ((rc = coplan_merkle_root(r, leaves, n)))
			goto cleanup;
		to_hex(root, r);
	}
	*size = (long)n;
cleanup:
	free(leaves);
	coplan_audit_entries_free(entries, n);
	return rc;
}

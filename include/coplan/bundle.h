/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/bundle.h - the signed bundle a plan travels in between offices whose networks are not connected. */
#ifndef COPLAN_BUNDLE_H
#define COPLAN_BUNDLE_H

#include "coplan/label.h"
#include <stddef.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A bundle is one zip file (stored, not compressed) of exactly three
 * entries, in this order (docs/internals/exchange.md):
 *
 *   manifest.json   who sends it to whom, which plan, its sequence number,
 *                   the base, created and expiry times (UTC), the sender's
 *                   audit tree head, the SHA-256 and size of the payload
 *   manifest.sig    a detached CMS SignedData (DER, coplan/sign.h) over
 *                   the bytes of manifest.json
 *   plan.json       the plan in canonical JSON (coplan_plan_canonical_json())
 *
 * The reader takes only a zip as coplan writes it: the same entries
 * written again give the very same bytes, so no bit of the file can change
 * unnoticed (zip headers and times included), the way sign.c refuses a
 * signature not encoded as coplan writes it.
 *
 * Functions return 0 or a negative coplan_error_code with
 * coplan_error_last() set.
 */

/* Size limits of what is read: the whole file, the manifest, the payload, the signature. */
#define COPLAN_BUNDLE_MAX ((size_t)48 * 1024 * 1024)
#define COPLAN_BUNDLE_MANIFEST_MAX ((size_t)16 * 1024)
#define COPLAN_BUNDLE_PAYLOAD_MAX ((size_t)32 * 1024 * 1024)
#define COPLAN_BUNDLE_SIGNATURE_MAX ((size_t)64 * 1024)

/* The manifest's format name: a bundle of another format is refused. */
#define COPLAN_BUNDLE_FORMAT "coplan bundle 1"

typedef struct {
	char sender[4];            /* the sending office's nation (ISO 3166-1 alpha-3) */
	char sender_office[512];   /* the sending office's certificate subject (RFC 2253) */
	char recipient[4];         /* the nation it is for */
	char plan_uuid[37];        /* the plan's identity (RFC 9562) */
	char plan_title[256];      /* for messages only */
	long sequence;             /* 1, 2, ... per sender, recipient and plan */
	char base[65];             /* SHA-256 (hex) of the plan the sender last had from the recipient; "" none */
	time_t created;            /* UTC, whole seconds */
	time_t expires;            /* UTC; after it the bundle is refused */
	char label[COPLAN_LABEL_TEXT_MAX + 1]; /* the marking of what the bundle holds (docs/labels.md) */
	char note[128];            /* a free line for the recipient ("after the 9th staff talks"), "" none */
	long audit_size;           /* the sender's audit log: entries (0: none) */
	char audit_root[65];       /* its Merkle root (hex), "" when audit_size is 0 */
	char payload_sha256[65];   /* SHA-256 (hex) of plan.json */
	size_t payload_size;       /* its bytes */
} coplan_bundle_manifest;

/*
 * The manifest as JSON (sorted keys, compact, times as "2024-06-03T09:12:00Z"):
 * *out malloc'd, NUL-terminated, *len bytes; the caller frees.  Errors:
 * COPLAN_EINVALID (a field out of its form), COPLAN_ENOMEM.
 */
int coplan_bundle_manifest_encode(char **out, size_t *len, const coplan_bundle_manifest *m);

/*
 * Parse and check a manifest of len bytes (at most COPLAN_BUNDLE_MANIFEST_MAX)
 * into *m: every member present and well formed, no other member, and the
 * text exactly as coplan_bundle_manifest_encode() writes it.  Errors:
 * COPLAN_EINVALID ("manifest.json: ..."), COPLAN_ELIMIT.
 */
int coplan_bundle_manifest_parse(coplan_bundle_manifest *m, const char *text, size_t len);

/* A bundle's parts in memory (each malloc'd and NUL-terminated; released with coplan_bundle_release()). */
typedef struct {
	char *manifest_text;
	size_t manifest_len;
	unsigned char *signature;
	size_t signature_len;
	char *payload;
	size_t payload_len;
	coplan_bundle_manifest manifest;   /* parsed from manifest_text */
} coplan_bundle;

/*
 * The zip of a bundle from its three parts: *out malloc'd (the caller
 * frees), *len bytes.  Errors: COPLAN_ELIMIT (a part over its limit),
 * COPLAN_ENOMEM, COPLAN_ERROR (libzip).
 */
int coplan_bundle_write(unsigned char **out, size_t *len, const char *manifest, size_t manifest_len,
                        const unsigned char *sig, size_t sig_len, const char *payload, size_t payload_len);

/*
 * Read the len bytes of a bundle (name, e.g. its path, for messages):
 * the zip as coplan writes it, the manifest parsed, the payload's size and
 * SHA-256 as the manifest says.  The signature is NOT checked here (the
 * trusted CAs are the store's: coplan_service_bundle_verify()).  *out is
 * zeroed first and released with coplan_bundle_release() on success.
 * Errors: COPLAN_EINVALID naming the part at fault, COPLAN_ELIMIT, COPLAN_ENOMEM.
 */
int coplan_bundle_read(coplan_bundle *out, const void *data, size_t len, const char *name);

/* Free a bundle's parts; a zeroed one is a no-op. */
void coplan_bundle_release(coplan_bundle *bundle);

#ifdef __cplusplus
}
#endif

#endif

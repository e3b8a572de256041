/* SPDX-License-Identifier: Apache-2.0 */
/* bundle.c - a bundle's zip (libzip) and its manifest (jansson): written and read back strictly. */
#define _DEFAULT_SOURCE 1 /* timegm() */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <zip.h>

#include "coplan/bundle.h"
#include "coplan/errors.h"
#include "coplan/model.h"
#include "common.h"

static const char *const entry_names[3] = { "manifest.json", "manifest.sig", "plan.json" };

static void utc_text(char out[24], time_t t)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, 24, "1970-01-01T00:00:00Z");
}

/* "YYYY-MM-DDTHH:MM:SSZ" to seconds since 1970 (UTC); -1 when it is not that form. */
static int utc_parse(time_t *out, const char *s)
{
	struct tm tm = { 0 };
	char back[24];
	int n = 0;

	if (strlen(s) != 20 || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	                              &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 || n != 20)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = timegm(&tm);
	utc_text(back, *out);
	return strcmp(back, s) ? -1 : 0;   /* 2024-02-30 and the like are refused */
}

static int hex64(const char *s)
{
	if (strlen(s) != 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

static int nation_ok(const char *s)
{
	return strlen(s) == 3 && coplan_nation_valid(s);
}

int coplan_bundle_manifest_encode(char **out, size_t *len, const coplan_bundle_manifest *m)
{
	char created[24], expires[24];
	json_t *root;
	char *text;

	*out = NULL;
	if (len)
		*len = 0;
	if (!nation_ok(m->sender) || !nation_ok(m->recipient) || !coplan_uuid_valid(m->plan_uuid) ||
	    m->sequence < 1 || (*m->base && !hex64(m->base)) || !hex64(m->payload_sha256) ||
	    m->audit_size < 0 || (m->audit_size ? !hex64(m->audit_root) : *m->audit_root != 0) ||
	    m->expires <= m->created)
		return cp_error(COPLAN_EINVALID, "a bundle manifest with a field out of its form");
	utc_text(created, m->created);
	utc_text(expires, m->expires);
	root = json_pack("{s:s, s:{s:I, s:s?}, s:s?, s:s, s:s, s:s, s:s*, s:{s:s, s:s}, s:{s:s, s:I, s:s}, "
	                 "s:{s:s}, s:I}",
	                 "format", COPLAN_BUNDLE_FORMAT,
	                 "audit", "size", (json_int_t)m->audit_size, "root", m->audit_size ? m->audit_root : NULL,
	                 "base", *m->base ? m->base : NULL,
	                 "created", created, "expires", expires, "label", m->label, "note", *m->note ? m->note : NULL,
	                 "sender", "nation", m->sender, "office", m->sender_office,
	                 "payload", "name", entry_names[2], "size", (json_int_t)m->payload_size,
	                 "sha256", m->payload_sha256,
	                 "recipient", "nation", m->recipient,
	                 "sequence", (json_int_t)m->sequence);
	if (!root)
		return cp_error(COPLAN_EINVALID, "a bundle manifest that is not UTF-8 text");
	/* the plan as an object: its identity and, for people reading the file, its title */
	if (json_object_set_new(root, "plan", json_pack("{s:s, s:s}", "uuid", m->plan_uuid, "title",
	                                                m->plan_title))) {
		json_decref(root);
		return cp_error(COPLAN_EINVALID, "a bundle manifest whose title is not UTF-8 text");
	}
	if (json_is_null(json_object_get(root, "base")))
		json_object_set_new(root, "base", json_null());
	text = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	json_decref(root);
	if (!text)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	*out = text;
	if (len)
		*len = strlen(text);
	return 0;
}

static int bad(const char *what)
{
	return cp_error(COPLAN_EINVALID, "manifest.json: %s", what);
}

/* A string member of obj copied into out (cap bytes, NUL included); "" allowed when empty_ok. */
static int get_text(char *out, size_t cap, json_t *obj, const char *key, int empty_ok)
{
	json_t *v = json_object_get(obj, key);
	size_t n;

	if (!json_is_string(v))
		return cp_error(COPLAN_EINVALID, "manifest.json: '%s' missing or not text", key);
	n = json_string_length(v);
	if (n >= cap || (!n && !empty_ok) || memchr(json_string_value(v), '\0', n))
		return cp_error(COPLAN_EINVALID, "manifest.json: '%s' empty or too long", key);
	memcpy(out, json_string_value(v), n + 1);
	return 0;
}

int coplan_bundle_manifest_parse(coplan_bundle_manifest *m, const char *text, size_t len)
{
	json_error_t err;
	json_t *root, *audit, *sender, *recipient, *payload, *plan, *v;
	char created[24], expires[24], format[32], name[32], *again = NULL;
	size_t again_len = 0;
	int rc = COPLAN_EINVALID;

	memset(m, 0, sizeof(*m));
	if (len > COPLAN_BUNDLE_MANIFEST_MAX)
		return cp_error(COPLAN_ELIMIT, "manifest.json: larger than %zu bytes", COPLAN_BUNDLE_MANIFEST_MAX);
	if (!(root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err)))
		return cp_error(COPLAN_EINVALID, "manifest.json:%d:%d: %s", err.line, err.column, err.text);
	/* the eleven members of a manifest, and a note when the sender wrote one: nothing else */
	if (!json_is_object(root) || json_object_size(root) - (json_object_get(root, "note") ? 1 : 0) != 11) {
		rc = bad("not an object of the eleven members of a bundle manifest (and its note)");
		goto cleanup;
	}
	audit = json_object_get(root, "audit");
	sender = json_object_get(root, "sender");
	recipient = json_object_get(root, "recipient");
	payload = json_object_get(root, "payload");
	plan = json_object_get(root, "plan");
	if (!json_is_object(audit) || !json_is_object(sender) || !json_is_object(recipient) ||
	    !json_is_object(payload) || !json_is_object(plan)) {
		rc = bad("audit, sender, recipient, payload or plan missing");
		goto cleanup;
	}
	if ((rc = get_text(format, sizeof(format), root, "format", 0)))
		goto cleanup;
	if (strcmp(format, COPLAN_BUNDLE_FORMAT)) {
		rc = cp_error(COPLAN_EINVALID, "manifest.json: format '%s' (expected '%s')", format,
		              COPLAN_BUNDLE_FORMAT);
		goto cleanup;
	}
	if ((rc = get_text(created, sizeof(created), root, "created", 0)) ||
	    (rc = get_text(expires, sizeof(expires), root, "expires", 0)) ||
	    (rc = get_text(m->label, sizeof(m->label), root, "label", 1)) ||
	    (json_object_get(root, "note") && (rc = get_text(m->note, sizeof(m->note), root, "note", 0))) ||
	    (rc = get_text(m->sender, sizeof(m->sender), sender, "nation", 0)) ||
	    (rc = get_text(m->sender_office, sizeof(m->sender_office), sender, "office", 1)) ||
	    (rc = get_text(m->recipient, sizeof(m->recipient), recipient, "nation", 0)) ||
	    (rc = get_text(m->plan_uuid, sizeof(m->plan_uuid), plan, "uuid", 0)) ||
	    (rc = get_text(m->plan_title, sizeof(m->plan_title), plan, "title", 1)) ||
	    (rc = get_text(name, sizeof(name), payload, "name", 0)) ||
	    (rc = get_text(m->payload_sha256, sizeof(m->payload_sha256), payload, "sha256", 0)))
		goto cleanup;
	rc = COPLAN_EINVALID;
	if (utc_parse(&m->created, created) || utc_parse(&m->expires, expires)) {
		rc = bad("created or expires not a UTC time (2024-06-03T09:12:00Z)");
		goto cleanup;
	}
	v = json_object_get(root, "base");
	if (json_is_string(v)) {
		if ((rc = get_text(m->base, sizeof(m->base), root, "base", 0)))
			goto cleanup;
	} else if (!json_is_null(v)) {
		rc = bad("'base' neither a SHA-256 nor null");
		goto cleanup;
	}
	v = json_object_get(root, "sequence");
	m->sequence = json_is_integer(v) ? (long)json_integer_value(v) : 0;
	v = json_object_get(payload, "size");
	m->payload_size = json_is_integer(v) && json_integer_value(v) >= 0 &&
	                  (size_t)json_integer_value(v) <= COPLAN_BUNDLE_PAYLOAD_MAX
	                  ? (size_t)json_integer_value(v) : (size_t)-1;
	v = json_object_get(audit, "size");
	m->audit_size = json_is_integer(v) ? (long)json_integer_value(v) : -1;
	if (m->audit_size > 0 && (rc = get_text(m->audit_root, sizeof(m->audit_root), audit, "root", 0)))
		goto cleanup;
	rc = COPLAN_EINVALID;
	if (m->payload_size == (size_t)-1) {
		rc = bad("the payload's size is not a number of bytes within the limit");
		goto cleanup;
	}
	if (strcmp(name, entry_names[2])) {
		rc = bad("the payload is not plan.json");
		goto cleanup;
	}
	/* the rest of the form, and the text exactly as coplan writes it */
	if (coplan_bundle_manifest_encode(&again, &again_len, m) || again_len != len ||
	    memcmp(again, text, len)) {
		rc = bad("not a manifest as coplan writes it (a field out of its form, or changed)");
		goto cleanup;
	}
	rc = 0;
cleanup:
	free(again);
	json_decref(root);
	if (rc)
		memset(m, 0, sizeof(*m));
	return rc;
}

/* The zip of the parts into *out (malloc'd). */
int coplan_bundle_write(unsigned char **out, size_t *len, const char *manifest, size_t manifest_len,
                        const unsigned char *sig, size_t sig_len, const char *payload, size_t payload_len)
{
	const void *parts[3] = { manifest, sig, payload };
	size_t lens[3] = { manifest_len, sig_len, payload_len };
	zip_error_t zerr;
	zip_source_t *src = NULL;
	zip_t *za = NULL;
	zip_stat_t st;
	unsigned char *buf = NULL;
	int rc = 0;

	*out = NULL;
	*len = 0;
	if (manifest_len > COPLAN_BUNDLE_MANIFEST_MAX || sig_len > COPLAN_BUNDLE_SIGNATURE_MAX ||
	    payload_len > COPLAN_BUNDLE_PAYLOAD_MAX)
		return cp_error(COPLAN_ELIMIT, "a bundle part over its size limit");
	zip_error_init(&zerr);
	if (!(src = zip_source_buffer_create(NULL, 0, 0, &zerr)) ||
	    !(za = zip_open_from_source(src, ZIP_TRUNCATE, &zerr))) {
		rc = cp_error(COPLAN_ENOMEM, "cannot make a zip (%s)", zip_error_strerror(&zerr));
		goto cleanup;
	}
	zip_source_keep(src);
	for (int i = 0; i < 3; i++) {
		zip_source_t *part = zip_source_buffer(za, parts[i] ? parts[i] : "", lens[i], 0);
		zip_int64_t ix;

		if (!part || (ix = zip_file_add(za, entry_names[i], part, ZIP_FL_ENC_UTF_8)) < 0) {
			zip_source_free(part);
			rc = cp_error(COPLAN_ERROR, "cannot add %s to the bundle (%s)", entry_names[i],
			              zip_strerror(za));
			goto cleanup;
		}
		/* stored, dated 1980-01-01 00:00 (DOS time: the time zone plays no part), no extra fields */
		if (zip_set_file_compression(za, (zip_uint64_t)ix, ZIP_CM_STORE, 0) ||
		    zip_file_set_dostime(za, (zip_uint64_t)ix, 0, (1 << 5) | 1, 0) ||
		    zip_file_set_external_attributes(za, (zip_uint64_t)ix, 0, ZIP_OPSYS_UNIX,
		                                     (zip_uint32_t)0100644 << 16)) {
			rc = cp_error(COPLAN_ERROR, "cannot write %s (%s)", entry_names[i], zip_strerror(za));
			goto cleanup;
		}
	}
	if (zip_close(za)) {
		rc = cp_error(COPLAN_ERROR, "cannot write the bundle (%s)", zip_strerror(za));
		goto cleanup;
	}
	za = NULL;
	zip_stat_init(&st);
	if (zip_source_stat(src, &st) || !(st.valid & ZIP_STAT_SIZE) || zip_source_open(src)) {
		rc = cp_error(COPLAN_ERROR, "cannot read the bundle back");
		goto cleanup;
	}
	if (!(buf = malloc(st.size ? st.size : 1))) {
		zip_source_close(src);
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	if (zip_source_read(src, buf, st.size) != (zip_int64_t)st.size) {
		zip_source_close(src);
		rc = cp_error(COPLAN_ERROR, "cannot read the bundle back");
		goto cleanup;
	}
	zip_source_close(src);
	*out = buf;
	*len = (size_t)st.size;
	buf = NULL;
cleanup:
	if (za)
		zip_discard(za);
	if (src)
		zip_source_free(src);
	zip_error_fini(&zerr);
	free(buf);
	return rc;
}

/* Entry i of za (at most max bytes) into *out (malloc'd, NUL-terminated). */
static int read_entry(char **out, size_t *len, zip_t *za, int i, size_t max, const char *name)
{
	zip_stat_t st;
	zip_file_t *zf;
	char *buf;
	zip_int64_t got;

	*out = NULL;
	*len = 0;
	zip_stat_init(&st);
	if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) || !(st.valid & ZIP_STAT_NAME) ||
	    !(st.valid & ZIP_STAT_SIZE) || strcmp(st.name, entry_names[i]))
		return cp_error(COPLAN_EINVALID, "%s: entry %d is not %s", name, i + 1, entry_names[i]);
	if (st.size > max)
		return cp_error(COPLAN_ELIMIT, "%s: %s larger than %zu bytes", name, entry_names[i], max);
	if (!(buf = malloc((size_t)st.size + 1)))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	if (!(zf = zip_fopen_index(za, (zip_uint64_t)i, 0))) {
		free(buf);
		return cp_error(COPLAN_EINVALID, "%s: cannot open %s (%s)", name, entry_names[i], zip_strerror(za));
	}
	got = zip_fread(zf, buf, st.size);
	if (got != (zip_int64_t)st.size || zip_fclose(zf)) {
		free(buf);
		return cp_error(COPLAN_EINVALID, "%s: %s is damaged (its checksum or size does not match)", name,
		                entry_names[i]);
	}
	buf[st.size] = '\0';
	*out = buf;
	*len = (size_t)st.size;
	return 0;
}

int coplan_bundle_read(coplan_bundle *out, const void *data, size_t len, const char *name)
{
	zip_error_t zerr;
	zip_source_t *src;
	zip_t *za = NULL;
	unsigned char *again = NULL;
	size_t again_len = 0;
	char hex[65];
	int rc;

	memset(out, 0, sizeof(*out));
	if (!name)
		name = "bundle";
	if (len > COPLAN_BUNDLE_MAX)
		return cp_error(COPLAN_ELIMIT, "%s: larger than %zu bytes", name, COPLAN_BUNDLE_MAX);
	zip_error_init(&zerr);
	if (!(src = zip_source_buffer_create(len ? data : "", len, 0, &zerr))) {
		zip_error_fini(&zerr);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	if (!(za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &zerr))) {
		zip_source_free(src);
		rc = cp_error(COPLAN_EINVALID, "%s: not a bundle (%s)", name, zip_error_strerror(&zerr));
		goto cleanup;
	}
	if (zip_get_num_entries(za, 0) != 3) {
		rc = cp_error(COPLAN_EINVALID, "%s: not a bundle (%lld entries, 3 expected)", name,
		              (long long)zip_get_num_entries(za, 0));
		goto cleanup;
	}
	if ((rc = read_entry(&out->manifest_text, &out->manifest_len, za, 0, COPLAN_BUNDLE_MANIFEST_MAX, name)) ||
	    (rc = read_entry((char **)&out->signature, &out->signature_len, za, 1, COPLAN_BUNDLE_SIGNATURE_MAX,
	                     name)) ||
	    (rc = read_entry(&out->payload, &out->payload_len, za, 2, COPLAN_BUNDLE_PAYLOAD_MAX, name)))
		goto cleanup;
	/* every byte of the file: the same parts written again must give the same zip */
	if ((rc = coplan_bundle_write(&again, &again_len, out->manifest_text, out->manifest_len, out->signature,
	                              out->signature_len, out->payload, out->payload_len)))
		goto cleanup;
	if (again_len != len || memcmp(again, data, len)) {
		rc = cp_error(COPLAN_EINVALID, "%s: the zip is not as coplan writes it (a header or a time "
		              "in it changed)", name);
		goto cleanup;
	}
	if ((rc = coplan_bundle_manifest_parse(&out->manifest, out->manifest_text, out->manifest_len)))
		goto cleanup;
	if ((rc = coplan_sha256_hex(hex, out->payload, out->payload_len)))
		goto cleanup;
	if (out->payload_len != out->manifest.payload_size || strcmp(hex, out->manifest.payload_sha256)) {
		rc = cp_error(COPLAN_EINVALID, "%s: plan.json does not match the SHA-256 the manifest gives",
		              name);
		goto cleanup;
	}
	rc = 0;
cleanup:
	if (za)
		zip_discard(za);
	zip_error_fini(&zerr);
	free(again);
	if (rc)
		coplan_bundle_release(out);
	return rc;
}

void coplan_bundle_release(coplan_bundle *b)
{
	if (!b)
		return;
	free(b->manifest_text);
	free(b->signature);
	free(b->payload);
	memset(b, 0, sizeof(*b));
}

/* SPDX-License-Identifier: Apache-2.0 */
/* canonical.c - a plan's canonical JSON (sorted keys, compact, NFC) and its SHA-256, the identity of a version's content. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <uninorm.h>

#include "coplan/errors.h"
#include "coplan/export.h"
#include "coplan/model.h"
#include "common.h"
#include "export_int.h"

/* Every string in value (recursively) in Unicode normalisation form C. */
static int normalize(json_t *value)
{
	if (json_is_string(value)) {
		const char *s = json_string_value(value);
		size_t n = json_string_length(value), out_len = 0, i;
		uint8_t *nfc;
		int rc;

		/* ASCII text is its own NFC: most strings of a plan (refs, dates, codes) */
		for (i = 0; i < n && !((unsigned char)s[i] & 0x80); i++)
			;
		if (i == n)
			return 0;
		nfc = u8_normalize(UNINORM_NFC, (const uint8_t *)s, n, NULL, &out_len);
		if (!nfc)
			return cp_error(COPLAN_EINVALID, "text that is not UTF-8 cannot be normalised");
		rc = json_string_setn(value, (const char *)nfc, out_len) ? cp_error(COPLAN_ENOMEM, "out of memory") : 0;
		free(nfc);
		return rc;
	}
	if (json_is_array(value)) {
		for (size_t i = 0; i < json_array_size(value); i++) {
			int rc = normalize(json_array_get(value, i));
			if (rc)
				return rc;
		}
		return 0;
	}
	if (json_is_object(value)) {
		const char *key;
		json_t *v;

		json_object_foreach(value, key, v) {
			int rc = normalize(v);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int coplan_plan_canonical_json(char **out, size_t *len, const coplan_plan *plan)
{
	coplan_export_options opts = { 0 };
	json_t *root = NULL;
	char *text = NULL;
	int rc;

	*out = NULL;
	opts.now = 1; /* the JSON document holds no time */
	opts.unmarked = 1; /* nor a marking: it is computed from the labels, which are content */
	/* the JSON export's tree itself: the same values its document would read back as */
	if ((rc = cp_export_json_tree(&root, plan, &opts)))
		return rc;
	if (!(rc = normalize(root))) {
		text = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
		if (!text)
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
	}
	json_decref(root);
	if (rc)
		return rc;
	*out = text;
	if (len)
		*len = strlen(text);
	return 0;
}

int coplan_sha256_hex(char hex[65], const void *data, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;

	if (!EVP_Digest(data, len, md, &md_len, EVP_sha256(), NULL) || md_len != 32)
		return cp_error(COPLAN_ERROR, "SHA-256 failed");
	for (unsigned i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
	return 0;
}

int coplan_plan_digest(char hex[65], const coplan_plan *plan)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	if ((rc = coplan_plan_canonical_json(&text, &len, plan)))
		return rc;
	rc = coplan_sha256_hex(hex, text, len);
	free(text);
	return rc;
}

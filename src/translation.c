/* SPDX-License-Identifier: Apache-2.0 */
/* translation.c - the documents' fixed words in the parties' languages, read from the table in data/translations.json. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "coplan/errors.h"
#include "common.h"
#include "translation.h"

/* The table's bytes, embedded from data/translations.json by CMakeLists.txt (generated/translations_data.c). */
extern const unsigned char cp_translations_json[];
extern const size_t cp_translations_json_len;

static const char *const languages[] = { "en", "it", "ja" };

struct cp_translation {
	json_t *table;          /* the "words" object: key -> { en, it, ja } */
	json_t *root;
	const char *language;   /* one of languages[] */
};

int cp_translation_language_known(const char *language)
{
	for (size_t i = 0; language && i < CP_ARRAY_SIZE(languages); i++)
		if (!strcmp(language, languages[i]))
			return 1;
	return 0;
}

int cp_translation_load(cp_translation **out, const char *language)
{
	cp_translation *l;
	json_error_t err;

	*out = NULL;
	if (!language || !*language)
		language = "en";
	if (!cp_translation_language_known(language))
		return cp_error(COPLAN_EUSAGE, "unknown language '%s' (expected en, it or ja)", language);
	if (!(l = calloc(1, sizeof(*l))))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	for (size_t i = 0; i < CP_ARRAY_SIZE(languages); i++)
		if (!strcmp(language, languages[i]))
			l->language = languages[i];
	l->root = json_loadb((const char *)cp_translations_json, cp_translations_json_len, 0, &err);
	l->table = l->root ? json_object_get(l->root, "words") : NULL;
	if (!json_is_object(l->table)) {
		int rc = cp_error(COPLAN_ERROR, "data/translations.json:%d:%d: the translation table does "
		                  "not read: %s", err.line, err.column,
		                  l->root ? "no \"words\" object" : err.text);
		cp_translation_free(l);
		return rc;
	}
	*out = l;
	return 0;
}

void cp_translation_free(cp_translation *l)
{
	if (!l)
		return;
	json_decref(l->root);
	free(l);
}

const char *cp_translation_language(const cp_translation *l)
{
	return l ? l->language : "en";
}

const char *cp_translate(const cp_translation *l, const char *key)
{
	json_t *entry, *text;

	if (!l || !(entry = json_object_get(l->table, key)))
		return key;
	text = json_object_get(entry, l->language);
	if (!json_is_string(text) || !*json_string_value(text))
		text = json_object_get(entry, "en");
	return json_is_string(text) ? json_string_value(text) : key;
}

int cp_translate_fill(cp_buf *b, const cp_translation *l, const char *key, const char *const *args, size_t n)
{
	const char *t = cp_translate(l, key);
	int rc = 0;

	while (*t && !rc) {
		const char *open = strchr(t, '{');

		if (!open) {
			rc = cp_buf_puts(b, t);
			break;
		}
		if (open > t)
			rc = cp_buf_printf(b, "%.*s", (int)(open - t), t);
		if (!rc && open[1] >= '1' && open[1] <= '9' && open[2] == '}') {
			size_t k = (size_t)(open[1] - '1');

			if (k < n && args[k])
				rc = cp_buf_puts(b, args[k]);
			t = open + 3;
		} else if (!rc) {
			rc = cp_buf_putc(b, '{');
			t = open + 1;
		}
	}
	return rc;
}

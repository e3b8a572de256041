/* SPDX-License-Identifier: Apache-2.0 */
/* translation.h - the documents' fixed words in English, Italian or Japanese, from data/translations.json. */
#ifndef COPLAN_TRANSLATIONS_H
#define COPLAN_TRANSLATIONS_H

#include "coplan/document.h"
#include "buf.h"

/*
 * The words of one language, read from the table kept as data
 * (data/translations.json, embedded at build time).  Opaque; cp_translation_load()
 * makes one, cp_translation_free() frees it.  Read-only once made: one may be
 * shared by threads.
 */
typedef struct cp_translation cp_translation;

/* 1 when language is one the table holds ("en", "it", "ja"), else 0. */
int cp_translation_language_known(const char *language);

/*
 * The words of language ("en", "it", "ja"; NULL or "" is English) into
 * *out, the caller's, freed with cp_translation_free().  Errors: COPLAN_EUSAGE
 * (another language: the message lists the three), COPLAN_ERROR (the
 * embedded table does not parse: a build from a broken data file),
 * COPLAN_ENOMEM.
 */
int cp_translation_load(cp_translation **out, const char *language);

void cp_translation_free(cp_translation *words);

/* The language code the words are in ("en", "it" or "ja"; borrowed). */
const char *cp_translation_language(const cp_translation *words);

/*
 * The text of key ("col.title") in the table's language; a key the table
 * lacks gives the key itself (tests/test_translations.py checks that every key
 * the sources use is in the table).  Borrowed until cp_translation_free();
 * words NULL gives the key.
 */
const char *cp_translate(const cp_translation *words, const char *key);

/*
 * Append the text of key to b with its placeholders {1}..{9} replaced by
 * args[0]..args[n-1] (a placeholder without its argument is left out).
 * 0 or an error of cp_buf (COPLAN_ENOMEM, COPLAN_ELIMIT).
 */
int cp_translate_fill(cp_buf *b, const cp_translation *words, const char *key, const char *const *args, size_t n);

/* coplan_document_info_line() in the language of words (not NULL). */
int cp_document_info_line(char **out, const coplan_document_info *info, const cp_translation *words);

#endif

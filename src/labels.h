/* SPDX-License-Identifier: Apache-2.0 */
/* labels.h - the documents' fixed words in English, Italian or Japanese, from data/labels.json. */
#ifndef COPLAN_LABELS_H
#define COPLAN_LABELS_H

#include "coplan/document.h"
#include "buf.h"

/*
 * The labels of one language, read from the table kept as data
 * (data/labels.json, embedded at build time).  Opaque; cp_labels_load()
 * makes one, cp_labels_free() frees it.  Read-only once made: one may be
 * shared by threads.
 */
typedef struct cp_labels cp_labels;

/* 1 when language is one the table holds ("en", "it", "ja"), else 0. */
int cp_labels_language_known(const char *language);

/*
 * The labels of language ("en", "it", "ja"; NULL or "" is English) into
 * *out, the caller's, freed with cp_labels_free().  Errors: COPLAN_EUSAGE
 * (another language: the message lists the three), COPLAN_ERROR (the
 * embedded table does not parse: a build from a broken data file),
 * COPLAN_ENOMEM.
 */
int cp_labels_load(cp_labels **out, const char *language);

void cp_labels_free(cp_labels *labels);

/* The language code the labels are in ("en", "it" or "ja"; borrowed). */
const char *cp_labels_language(const cp_labels *labels);

/*
 * The text of key ("col.title") in the labels' language; a key the table
 * lacks gives the key itself (tests/test_labels.py checks that every key
 * the sources use is in the table).  Borrowed until cp_labels_free();
 * labels NULL gives the key.
 */
const char *cp_label(const cp_labels *labels, const char *key);

/*
 * Append the text of key to b with its placeholders {1}..{9} replaced by
 * args[0]..args[n-1] (a placeholder without its argument is left out).
 * 0 or an error of cp_buf (COPLAN_ENOMEM, COPLAN_ELIMIT).
 */
int cp_label_fill(cp_buf *b, const cp_labels *labels, const char *key, const char *const *args, size_t n);

/* coplan_document_info_line() in the language of labels (not NULL). */
int cp_document_info_line(char **out, const coplan_document_info *info, const cp_labels *labels);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* nation.c - ISO 3166-1 alpha-3 nation codes, read from Debian's iso-codes data. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "coplan/model.h"
#include "common.h"

/*
 * The list of nations is not ours to keep: it is read once per process
 * from the iso-codes package (ISO 3166-1 as maintained by Debian), at
 * COPLAN_ISO_CODES or the package's standard path.  Read whole or not at
 * all: an allocation that fails while reading it leaves no table, and the
 * next lookup reads it again (never a table cut short for the life of the
 * process).
 */
#ifndef COPLAN_ISO_3166_PATH
#define COPLAN_ISO_3166_PATH "/usr/share/iso-codes/json/iso_3166-1.json"
#endif

typedef struct {
	char code[COPLAN_NATION_LEN];
	char alpha2[3];        /* ISO 3166-1 alpha-2: "IT"; "" when the data has none */
	char *name;
} nation_entry;

static nation_entry *nations;
static size_t n_nations;
static pthread_mutex_t nations_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int nations_read;    /* 1 once the table is read (or there is no file to read) */

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const nation_entry *)a)->code, ((const nation_entry *)b)->code);
}

static void nations_free(void)
{
	for (size_t i = 0; i < n_nations; i++)
		free(nations[i].name);
	free(nations);
	nations = NULL;
	n_nations = 0;
}

/* Read the table; 0, or -1 when an allocation failed (then nothing is kept). */
static int nations_load(void)
{
	const char *path = getenv("COPLAN_ISO_CODES");
	json_error_t jerr;
	json_t *root, *list;
	size_t i, n;

	root = json_load_file(path && *path ? path : COPLAN_ISO_3166_PATH, 0, &jerr);
	if (!root)
		return 0;    /* no file: every code is unknown, and the commands say so */
	list = json_object_get(root, "3166-1");
	n = json_is_array(list) ? json_array_size(list) : 0;
	nations = calloc(n ? n : 1, sizeof(*nations));
	if (!nations) {
		json_decref(root);
		return -1;
	}
	for (i = 0; i < n; i++) {
		json_t *e = json_array_get(list, i);
		const char *code = json_string_value(json_object_get(e, "alpha_3"));
		const char *name = json_string_value(json_object_get(e, "common_name"));
		const char *alpha2 = json_string_value(json_object_get(e, "alpha_2"));

		if (!name)
			name = json_string_value(json_object_get(e, "name"));
		if (!code || strlen(code) != 3 || !name)
			continue;
		memcpy(nations[n_nations].code, code, 4);
		if (alpha2 && strlen(alpha2) == 2)
			memcpy(nations[n_nations].alpha2, alpha2, 3);
		nations[n_nations].name = cp_strdup(name);
		if (!nations[n_nations].name) {
			json_decref(root);
			nations_free();
			return -1;
		}
		n_nations++;
	}
	json_decref(root);
	qsort(nations, n_nations, sizeof(*nations), entry_cmp);
	atexit(nations_free);
	return 0;
}

/* 1 when the table is read (read now if it was not), 0 when it could not be (out of memory). */
static int nations_ready(void)
{
	if (!atomic_load_explicit(&nations_read, memory_order_acquire)) {
		pthread_mutex_lock(&nations_lock);
		if (!atomic_load_explicit(&nations_read, memory_order_relaxed) && nations_load() == 0)
			atomic_store_explicit(&nations_read, 1, memory_order_release);
		pthread_mutex_unlock(&nations_lock);
	}
	return atomic_load_explicit(&nations_read, memory_order_acquire);
}

static const nation_entry *nation_find(const char *code)
{
	nation_entry key;

	if (!code || strlen(code) != 3)
		return NULL;
	for (int i = 0; i < 3; i++)
		if (code[i] < 'A' || code[i] > 'Z')
			return NULL;
	if (!nations_ready())
		return NULL;   /* out of memory: read again at the next lookup */
	memcpy(key.code, code, 4);
	return bsearch(&key, nations, n_nations, sizeof(*nations), entry_cmp);
}

int coplan_nation_valid(const char *code)
{
	return nation_find(code) != NULL;
}

const char *coplan_nation_name(const char *code)
{
	const nation_entry *e = nation_find(code);

	return e ? e->name : NULL;
}

const char *cp_nation_alpha2(const char *code)
{
	const nation_entry *e = nation_find(code);

	return e && e->alpha2[0] ? e->alpha2 : NULL;
}

const char *cp_nation_from_alpha2(const char *alpha2)
{
	if (!alpha2 || strlen(alpha2) != 2 || !nations_ready())
		return NULL;
	for (size_t i = 0; i < n_nations; i++)
		if (!strcmp(nations[i].alpha2, alpha2))
			return nations[i].code;
	return NULL;
}

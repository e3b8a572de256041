/* SPDX-License-Identifier: Apache-2.0 */
/* merge.c - the three-way merge of two offices' plans against their common base, field by field (jansson). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "coplan/errors.h"
#include "coplan/exchange.h"
#include "common.h"

typedef struct {
	coplan_merge_conflict *v;
	size_t n, cap, open;
	const coplan_merge_conflict *given;
	size_t n_given;
	int rc;
} merger;

static char *dump(const json_t *v)
{
	return v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
}

static int same(const json_t *a, const json_t *b)
{
	if (!a || !b)
		return !a && !b;
	return json_equal((json_t *)a, (json_t *)b);
}

/* Two activities the same but for their sequence. */
static int same_activity(json_t *a, json_t *b)
{
	const char *key;
	json_t *v;

	if (!a || !b)
		return !a && !b;
	json_object_foreach(a, key, v)
		if (strcmp(key, "sequence") && !same(v, json_object_get(b, key)))
			return 0;
	json_object_foreach(b, key, v)
		if (strcmp(key, "sequence") && !json_object_get(a, key))
			return 0;
	return 1;
}

static int oom(merger *m)
{
	if (!m->rc)
		m->rc = cp_error(COPLAN_ENOMEM, "out of memory");
	return m->rc;
}

/*
 * A conflict on ref's field: recorded, and resolved by a given resolution
 * when there is one.  *res (a new reference, or NULL for absent) gets the
 * chosen value; an open conflict gives ours, to be replaced once resolved.
 */
static void conflict(merger *m, json_t **res, const char *ref, const char *field, json_t *b, json_t *o,
                     json_t *t)
{
	coplan_merge_conflict *c;
	const coplan_merge_conflict *g = NULL;

	*res = NULL;
	if (m->rc)
		return;
	if (cp_grow((void **)&m->v, &m->cap, m->n + 1, sizeof(*m->v))) {
		oom(m);
		return;
	}
	c = &m->v[m->n++];
	memset(c, 0, sizeof(*c));
	if (!(c->ref = cp_strdup(ref)) || !(c->field = cp_strdup(field)) || (b && !(c->base = dump(b))) ||
	    (o && !(c->ours = dump(o))) || (t && !(c->theirs = dump(t)))) {
		oom(m);
		return;
	}
	for (size_t i = 0; i < m->n_given; i++)
		if (m->given[i].ref && m->given[i].field && !strcmp(m->given[i].ref, ref) &&
		    !strcmp(m->given[i].field, field) && m->given[i].choice != COPLAN_MERGE_OPEN)
			g = &m->given[i];
	if (!g) {
		m->open++;
		*res = o ? json_incref(o) : NULL;
		return;
	}
	c->choice = g->choice;
	if (g->choice == COPLAN_MERGE_OURS) {
		*res = o ? json_incref(o) : NULL;
	} else if (g->choice == COPLAN_MERGE_THEIRS) {
		*res = t ? json_incref(t) : NULL;
	} else {
		json_error_t err;

		if (!g->value || !(c->value = cp_strdup(g->value))) {
			oom(m);
			return;
		}
		if (!(*res = json_loads(g->value, JSON_DECODE_ANY, &err)))
			m->rc = cp_error(COPLAN_EINVALID, "the value given for %s %s is not JSON: %s", ref, field,
			                 err.text);
	}
}

/* One field three ways: *res a new reference or NULL (absent). */
static void field3(merger *m, json_t **res, const char *ref, const char *field, json_t *b, json_t *o, json_t *t)
{
	json_t *pick;

	if (same(o, t) || same(o, b))
		pick = t;
	else if (same(t, b))
		pick = o;
	else {
		conflict(m, res, ref, field, b, o, t);
		return;
	}
	*res = pick ? json_incref(pick) : NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The union of the member names of up to three objects, sorted; *keys malloc'd (borrowed names). */
static int keys_of(const char ***keys, size_t *n, json_t *const objs[3])
{
	size_t cap = 0;
	const char *key;
	json_t *v;

	*keys = NULL;
	*n = 0;
	for (int i = 0; i < 3; i++) {
		if (!json_is_object(objs[i]))
			continue;
		json_object_foreach(objs[i], key, v) {
			size_t j;
			for (j = 0; j < *n && strcmp((*keys)[j], key); j++)
				;
			if (j < *n)
				continue;
			if (cp_grow((void **)keys, &cap, *n + 1, sizeof(**keys)))
				return cp_error(COPLAN_ENOMEM, "out of memory");
			(*keys)[(*n)++] = key;
		}
	}
	if (*n)
		qsort((void *)*keys, *n, sizeof(**keys), cmp_str);
	return 0;
}

/* An object merged member by member (ref names the owner); a new reference. */
static json_t *object3(merger *m, const char *ref, json_t *b, json_t *o, json_t *t, int skip_sequence)
{
	json_t *objs[3] = { b, o, t }, *res = json_object();
	const char **keys = NULL;
	size_t n = 0;

	if (!res || keys_of(&keys, &n, objs)) {
		json_decref(res);
		oom(m);
		return NULL;
	}
	for (size_t i = 0; i < n && !m->rc; i++) {
		json_t *v = NULL;

		if (skip_sequence && !strcmp(keys[i], "sequence"))
			continue;
		field3(m, &v, ref, keys[i], json_object_get(b, keys[i]), json_object_get(o, keys[i]),
		       json_object_get(t, keys[i]));
		if (v && json_object_set_new(res, keys[i], v))
			oom(m);
	}
	free((void *)keys);
	if (m->rc) {
		json_decref(res);
		return NULL;
	}
	return res;
}

static long seq_of(json_t *a)
{
	json_t *v = json_object_get(a, "sequence");

	return json_is_integer(v) ? (long)json_integer_value(v) : 0;
}

static long max_l(long a, long b)
{
	return a > b ? a : b;
}

/* The activity of ref in array arr, or NULL. */
static json_t *by_ref(json_t *arr, const char *ref)
{
	size_t i;
	json_t *a;

	json_array_foreach(arr, i, a) {
		json_t *r = json_object_get(a, "ref");
		if (json_is_string(r) && !strcmp(json_string_value(r), ref))
			return a;
	}
	return NULL;
}

/* One activity three ways, appended to res when it stays. */
static void activity3(merger *m, json_t *res, const char *ref, json_t *b, json_t *o, json_t *t)
{
	json_t *r = NULL;

	if (!o && !t)
		return;
	if (!b) {
		if (o && t && !same_activity(o, t))
			conflict(m, &r, ref, "*", NULL, o, t);            /* added on both sides, differently */
		else
			r = json_incref(o ? o : t);
	} else if (!o || !t) {
		if (same_activity(o ? o : t, b))
			return;                                          /* deleted on one side, unchanged on the other */
		conflict(m, &r, ref, "*", b, o, t);                      /* deleted against edited */
	} else {
		r = object3(m, ref, b, o, t, 1);
	}
	if (m->rc || !r) {
		json_decref(r);
		return;
	}
	if (!json_is_object(r) || !json_is_string(json_object_get(r, "ref"))) {
		json_decref(r);
		m->rc = cp_error(COPLAN_EINVALID, "the value given for %s is not an activity", ref);
		return;
	}
	/* the sequence both offices will store: see coplan_plan_merge() */
	{
		long so = o ? seq_of(o) : -1, st = t ? seq_of(t) : -1, seq;
		int eo = o && same_activity(r, o), et = t && same_activity(r, t);

		if (eo && et)
			seq = max_l(so, st);
		else if (eo)
			seq = max_l(so, st + 1);
		else if (et)
			seq = max_l(st, so + 1);
		else
			seq = max_l(so, st) + 1;
		json_t *copy = json_deep_copy(r);   /* r may be a side's own object: never change the inputs */

		json_decref(r);
		if (!copy || json_object_set_new(copy, "sequence", json_integer(seq)) ||
		    json_array_append_new(res, copy))
			oom(m);
	}
}

/* Activities: the base's order, then those added on either side, by ref. */
static json_t *activities3(merger *m, json_t *b, json_t *o, json_t *t)
{
	json_t *res = json_array(), *a;
	const char **added = NULL;
	size_t n_added = 0, cap = 0, i;
	json_t *sides[2] = { o, t };

	if (!res) {
		oom(m);
		return NULL;
	}
	json_array_foreach(b, i, a) {
		const char *ref = json_string_value(json_object_get(a, "ref"));
		if (ref && !m->rc)
			activity3(m, res, ref, a, by_ref(o, ref), by_ref(t, ref));
	}
	for (int s = 0; s < 2 && !m->rc; s++)
		json_array_foreach(sides[s], i, a) {
			const char *ref = json_string_value(json_object_get(a, "ref"));
			size_t j;
			if (!ref || by_ref(b, ref))
				continue;
			for (j = 0; j < n_added && strcmp(added[j], ref); j++)
				;
			if (j < n_added)
				continue;
			if (cp_grow((void **)&added, &cap, n_added + 1, sizeof(*added))) {
				oom(m);
				break;
			}
			added[n_added++] = ref;
		}
	if (n_added)
		qsort((void *)added, n_added, sizeof(*added), cmp_str);
	for (size_t j = 0; j < n_added && !m->rc; j++)
		activity3(m, res, added[j], NULL, by_ref(o, added[j]), by_ref(t, added[j]));
	free((void *)added);
	if (m->rc) {
		json_decref(res);
		return NULL;
	}
	return res;
}

/* 1 when arr holds an element equal to v. */
static int holds(json_t *arr, json_t *v)
{
	size_t i;
	json_t *e;

	json_array_foreach(arr, i, e)
		if (json_equal(e, v))
			return 1;
	return 0;
}

static int cmp_dump(const void *a, const void *b)
{
	char *x = dump(*(json_t *const *)a), *y = dump(*(json_t *const *)b);
	int r = x && y ? strcmp(x, y) : 0;

	free(x);
	free(y);
	return r;
}

/* A list merged as a set: the base's elements both sides kept, then what either added (sorted). */
static json_t *set3(merger *m, json_t *b, json_t *o, json_t *t)
{
	json_t *res = json_array(), *e, **added = NULL;
	json_t *sides[2] = { o, t };
	size_t i, n_added = 0, cap = 0;

	if (!res) {
		oom(m);
		return NULL;
	}
	json_array_foreach(b, i, e)
		if (holds(o, e) && holds(t, e) && json_array_append(res, e))
			oom(m);
	for (int s = 0; s < 2 && !m->rc; s++)
		json_array_foreach(sides[s], i, e) {
			size_t j;
			if (holds(b, e))
				continue;
			for (j = 0; j < n_added && !json_equal(added[j], e); j++)
				;
			if (j < n_added)
				continue;
			if (cp_grow((void **)&added, &cap, n_added + 1, sizeof(*added))) {
				oom(m);
				break;
			}
			added[n_added++] = e;
		}
	if (n_added)
		qsort(added, n_added, sizeof(*added), cmp_dump);
	for (size_t j = 0; j < n_added && !m->rc; j++)
		if (json_array_append(res, added[j]))
			oom(m);
	free(added);
	if (m->rc) {
		json_decref(res);
		return NULL;
	}
	return res;
}

static int load(json_t **out, const char *text, const char *what)
{
	json_error_t err;

	*out = NULL;
	if (!text)
		return 0;
	if (!(*out = json_loads(text, JSON_REJECT_DUPLICATES, &err)) || !json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return cp_error(COPLAN_EINVALID, "%s: not a plan's JSON (%s)", what, err.text);
	}
	return 0;
}

int coplan_plan_merge(char **out, coplan_merge_conflict **conflicts, size_t *n_conflicts, size_t *n_open,
                      const char *base, const char *ours, const char *theirs,
                      const coplan_merge_conflict *given, size_t n_given)
{
	merger m = { .given = given, .n_given = n_given };
	json_t *b = NULL, *o = NULL, *t = NULL, *res = NULL, *objs[3];
	const char **keys = NULL;
	size_t n = 0;

	*out = NULL;
	if (conflicts)
		*conflicts = NULL;
	if (n_conflicts)
		*n_conflicts = 0;
	if (n_open)
		*n_open = 0;
	if (!ours || !theirs)
		return cp_error(COPLAN_EUSAGE, "a merge needs both sides");
	/* one side unchanged: the other side is the result, byte for byte */
	if (!strcmp(ours, theirs) || (base && !strcmp(ours, base)) || (base && !strcmp(theirs, base))) {
		const char *pick = base && !strcmp(ours, base) ? theirs : ours;
		return (*out = cp_strdup(pick)) ? 0 : cp_error(COPLAN_ENOMEM, "out of memory");
	}
	if ((m.rc = load(&b, base, "the base")) || (m.rc = load(&o, ours, "our plan")) ||
	    (m.rc = load(&t, theirs, "the partner's plan")))
		goto cleanup;
	objs[0] = b;
	objs[1] = o;
	objs[2] = t;
	if (!(res = json_object()) || (m.rc = keys_of(&keys, &n, objs)))
		goto cleanup;
	for (size_t i = 0; i < n && !m.rc; i++) {
		json_t *vb = json_object_get(b, keys[i]), *vo = json_object_get(o, keys[i]),
		       *vt = json_object_get(t, keys[i]), *v = NULL;

		if (!strcmp(keys[i], "activities"))
			v = activities3(&m, vb, vo, vt);
		else if (!strcmp(keys[i], "plan") && json_is_object(vo) && json_is_object(vt))
			v = object3(&m, "plan", vb, vo, vt, 0);
		else if (json_is_array(vo) && json_is_array(vt))
			v = set3(&m, vb, vo, vt);
		else
			field3(&m, &v, "plan", keys[i], vb, vo, vt);
		if (v && json_object_set_new(res, keys[i], v))
			oom(&m);
	}
	if (m.rc)
		goto cleanup;
	if (!m.open && !(*out = json_dumps(res, JSON_COMPACT | JSON_SORT_KEYS)))
		oom(&m);
cleanup:
	free((void *)keys);
	json_decref(res);
	json_decref(b);
	json_decref(o);
	json_decref(t);
	if (m.rc) {
		free(*out);
		*out = NULL;
		coplan_merge_conflicts_free(m.v, m.n);
		return m.rc;
	}
	if (n_open)
		*n_open = m.open;
	if (conflicts) {
		*conflicts = m.v;
		if (n_conflicts)
			*n_conflicts = m.n;
	} else {
		coplan_merge_conflicts_free(m.v, m.n);
	}
	return 0;
}

void coplan_merge_conflicts_free(coplan_merge_conflict *c, size_t n)
{
	for (size_t i = 0; c && i < n; i++) {
		free(c[i].ref);
		free(c[i].field);
		free(c[i].base);
		free(c[i].ours);
		free(c[i].theirs);
		free(c[i].value);
	}
	free(c);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* label.c - confidentiality labels: the policy file, parsing and printing the register form, combining, access. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "coplan/errors.h"
#include "coplan/label.h"
#include "coplan/model.h"
#include "buf.h"
#include "common.h"
#include "label_int.h"

#define POLICY_FILE_MAX (1024 * 1024)
#define LEVELS_MAX 32
#define ALIASES_MAX 8
#define POLICIES_MAX 16
#define CAVEATS_MAX 64
#define TOKENS_MAX 256

typedef struct {
	char name[COPLAN_LABEL_NAME_MAX];
	size_t n_aliases;
	char aliases[ALIASES_MAX][COPLAN_LABEL_NAME_MAX];
} level_def;

struct coplan_label_policy {
	int n_levels;
	level_def levels[LEVELS_MAX];
	size_t n_policies;
	char policies[POLICIES_MAX][COPLAN_LABEL_NAME_MAX];
	size_t n_caveats;
	char caveats[CAVEATS_MAX][COPLAN_LABEL_NAME_MAX];
};

const char *coplan_label_policy_default_path(void)
{
	const char *env = getenv("COPLAN_LABEL_POLICY");

	return env && *env ? env : COPLAN_LABEL_POLICY_PATH;
}

/* Copy s upper-cased (ASCII), spaces collapsed, into out[COPLAN_LABEL_NAME_MAX]; 0 or -1 when it does not fit or is empty. */
static int name_copy(char out[COPLAN_LABEL_NAME_MAX], const char *s)
{
	size_t n = 0;
	int space = 0;

	for (; *s; s++) {
		if (*s == ' ' || *s == '\t') {
			space = n > 0;
			continue;
		}
		if ((unsigned char)*s < 0x20 || *s == ',')
			return -1;
		if (space) {
			if (n + 1 >= COPLAN_LABEL_NAME_MAX)
				return -1;
			out[n++] = ' ';
			space = 0;
		}
		if (n + 1 >= COPLAN_LABEL_NAME_MAX)
			return -1;
		out[n++] = cp_ascii_upper(*s);
	}
	out[n] = '\0';
	return n > 0 ? 0 : -1;
}

/* A single word: no space inside (policies and caveats are one token of a label). */
static int word_copy(char out[COPLAN_LABEL_NAME_MAX], const char *s)
{
	return name_copy(out, s) || strchr(out, ' ') ? -1 : 0;
}

static int policy_fail(const char *name, const char *what)
{
	return cp_error(COPLAN_EINVALID, "%s: %s", name, what);
}

/* Is name already a level, alias, policy or caveat? (the register form must stay unambiguous) */
static int name_taken(const coplan_label_policy *p, const char *name)
{
	for (int i = 0; i < p->n_levels; i++) {
		if (!strcmp(p->levels[i].name, name))
			return 1;
		for (size_t a = 0; a < p->levels[i].n_aliases; a++)
			if (!strcmp(p->levels[i].aliases[a], name))
				return 1;
	}
	for (size_t i = 0; i < p->n_policies; i++)
		if (!strcmp(p->policies[i], name))
			return 1;
	for (size_t i = 0; i < p->n_caveats; i++)
		if (!strcmp(p->caveats[i], name))
			return 1;
	return !strcmp(name, "REL") || !strcmp(name, "TO");
}

/* Read array member key of root: a list of single words into names (at most max). */
static int read_words(char (*names)[COPLAN_LABEL_NAME_MAX], size_t *n, size_t max, json_t *root,
                      const char *key, const char *file, const coplan_label_policy *p)
{
	json_t *arr = json_object_get(root, key), *v;
	size_t i;

	*n = 0;
	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return cp_error(COPLAN_EINVALID, "%s: \"%s\" must be a list of names", file, key);
	if (json_array_size(arr) > max)
		return cp_error(COPLAN_ELIMIT, "%s: more than %zu %s", file, max, key);
	json_array_foreach(arr, i, v) {
		char w[COPLAN_LABEL_NAME_MAX];
		if (!json_is_string(v) || word_copy(w, json_string_value(v)))
			return cp_error(COPLAN_EINVALID, "%s: %s[%zu]: a name of one word, 1-%d characters",
			                file, key, i, COPLAN_LABEL_NAME_MAX - 1);
		if (name_taken(p, w))
			return cp_error(COPLAN_EINVALID, "%s: %s[%zu]: '%s' is used twice", file, key, i, w);
		memcpy(names[(*n)++], w, sizeof(w));
	}
	return 0;
}

static int read_levels(coplan_label_policy *p, json_t *root, const char *file)
{
	json_t *arr = json_object_get(root, "classifications"), *v;
	size_t i;

	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return policy_fail(file, "\"classifications\" must be a list of the levels, lowest first");
	if (json_array_size(arr) > LEVELS_MAX)
		return cp_error(COPLAN_ELIMIT, "%s: more than %d classifications", file, LEVELS_MAX);
	json_array_foreach(arr, i, v) {
		level_def *l = &p->levels[i];
		json_t *aliases = json_object_get(v, "aliases"), *a;
		const char *name = json_string_value(json_object_get(v, "name"));
		size_t j;

		if (!json_is_object(v) || !name || name_copy(l->name, name))
			return cp_error(COPLAN_EINVALID, "%s: classifications[%zu]: needs a \"name\" of 1-%d "
			                "characters", file, i, COPLAN_LABEL_NAME_MAX - 1);
		if (name_taken(p, l->name))
			return cp_error(COPLAN_EINVALID, "%s: classifications[%zu]: '%s' is used twice", file,
			                i, l->name);
		if (aliases && (!json_is_array(aliases) || json_array_size(aliases) > ALIASES_MAX))
			return cp_error(COPLAN_EINVALID, "%s: classifications[%zu]: \"aliases\" must be a list "
			                "of at most %d names", file, i, ALIASES_MAX);
		p->n_levels = (int)i + 1; /* the level's own name is taken from now on */
		json_array_foreach(aliases, j, a) {
			char w[COPLAN_LABEL_NAME_MAX];
			if (!json_is_string(a) || name_copy(w, json_string_value(a)))
				return cp_error(COPLAN_EINVALID, "%s: classifications[%zu].aliases[%zu]: a name of "
				                "1-%d characters", file, i, j, COPLAN_LABEL_NAME_MAX - 1);
			if (name_taken(p, w))
				return cp_error(COPLAN_EINVALID, "%s: classifications[%zu].aliases[%zu]: '%s' is "
				                "used twice", file, i, j, w);
			memcpy(l->aliases[l->n_aliases++], w, sizeof(w));
		}
	}
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

int coplan_label_policy_parse(coplan_label_policy **out, const char *text, size_t len,
                              const char *name)
{
	coplan_label_policy *p;
	json_error_t err;
	json_t *root;
	int rc;

	*out = NULL;
	if (!name)
		name = "label policy";
	if (len > POLICY_FILE_MAX)
		return cp_error(COPLAN_ELIMIT, "%s: larger than %d bytes", name, POLICY_FILE_MAX);
	if (!(root = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &err)))
		return cp_error_at(COPLAN_EINVALID, name, err.line, err.column, "%s", err.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return policy_fail(name, "a label policy is a JSON object");
	}
	if (!(p = calloc(1, sizeof(*p)))) {
		json_decref(root);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	if (!(rc = read_levels(p, root, name)) &&
	    !(rc = read_words(p->policies, &p->n_policies, POLICIES_MAX, root, "policies", name, p)))
		rc = read_words(p->caveats, &p->n_caveats, CAVEATS_MAX, root, "caveats", name, p);
	json_decref(root);
	if (rc) {
		free(p);
		return rc;
	}
	qsort(p->caveats, p->n_caveats, sizeof(p->caveats[0]), cmp_name);
	*out = p;
	return 0;
}

int coplan_label_policy_load(coplan_label_policy **out, const char *path)
{
	cp_buf b = CP_BUF_INIT(POLICY_FILE_MAX);
	int rc;

	*out = NULL;
	if (!(rc = cp_buf_read_file(&b, path)))
		rc = coplan_label_policy_parse(out, b.data, b.len, path);
	cp_buf_release(&b);
	return rc;
}

void coplan_label_policy_free(coplan_label_policy *policy)
{
	free(policy);
}

int coplan_label_policy_levels(const coplan_label_policy *policy)
{
	return policy->n_levels;
}

const char *coplan_label_level_name(const coplan_label_policy *policy, int level)
{
	return level >= 0 && level < policy->n_levels ? policy->levels[level].name : NULL;
}

int coplan_label_level_parse(const coplan_label_policy *policy, const char *name)
{
	char w[COPLAN_LABEL_NAME_MAX];

	if (!name || name_copy(w, name))
		return -1;
	for (int i = 0; i < policy->n_levels; i++) {
		if (!strcmp(policy->levels[i].name, w))
			return i;
		for (size_t a = 0; a < policy->levels[i].n_aliases; a++)
			if (!strcmp(policy->levels[i].aliases[a], w))
				return i;
	}
	return -1;
}

/* ---- the register form ---------------------------------------------------- */

typedef struct {
	char text[COPLAN_LABEL_NAME_MAX];
	size_t col; /* 1-based column of its first character */
} token;

/* Split text at spaces and commas into upper-cased tokens; ELIMIT for too many or too long. */
static int tokenize(token *toks, size_t *n, const char *text)
{
	const char *s = text;

	*n = 0;
	for (const char *c = text; *c; c++)
		if ((unsigned char)*c < 0x20 && *c != '\t')
			return cp_error(COPLAN_EINVALID, "label: a control character at column %zu",
			                (size_t)(c - text) + 1);
	while (*s) {
		size_t len = 0;
		const char *start;

		if (*s == ' ' || *s == ',' || *s == '\t') {
			s++;
			continue;
		}
		if (*n == TOKENS_MAX)
			return cp_error(COPLAN_ELIMIT, "label: more than %d words", TOKENS_MAX);
		start = s;
		while (*s && *s != ' ' && *s != ',' && *s != '\t') {
			if (len + 1 >= COPLAN_LABEL_NAME_MAX)
				return cp_error(COPLAN_EINVALID, "label '%s': column %zu: no word of a label is "
				                "that long", text, (size_t)(start - text) + 1);
			toks[*n].text[len++] = cp_ascii_upper(*s++);
		}
		toks[*n].text[len] = '\0';
		toks[*n].col = (size_t)(start - text) + 1;
		(*n)++;
	}
	return 0;
}

/* The level whose name or alias is the longest run of tokens from i (up to 4 words); *used gets its length. */
static int match_level(const coplan_label_policy *p, const token *toks, size_t n, size_t i,
                       size_t *used)
{
	for (size_t k = n - i < 4 ? n - i : 4; k > 0; k--) {
		char joined[4 * COPLAN_LABEL_NAME_MAX];
		size_t len = 0;
		int level;

		for (size_t j = 0; j < k; j++)
			len += (size_t)snprintf(joined + len, sizeof(joined) - len, "%s%s", j ? " " : "",
			                        toks[i + j].text);
		if (len >= COPLAN_LABEL_NAME_MAX)
			continue;
		if ((level = coplan_label_level_parse(p, joined)) >= 0) {
			*used = k;
			return level;
		}
	}
	return -1;
}

static int find_word(const char (*names)[COPLAN_LABEL_NAME_MAX], size_t n, const char *w)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], w))
			return (int)i;
	return -1;
}

/* Insert w into the sorted set names (of *n, at most max); 0, or ELIMIT. */
static int set_add(char (*names)[COPLAN_LABEL_NAME_MAX], size_t *n, size_t max, const char *w)
{
	size_t i = 0;

	while (i < *n && strcmp(names[i], w) < 0)
		i++;
	if (i < *n && !strcmp(names[i], w))
		return 0;
	if (*n == max)
		return COPLAN_ELIMIT;
	memmove(names[i + 1], names[i], (*n - i) * sizeof(names[0]));
	snprintf(names[i], COPLAN_LABEL_NAME_MAX, "%s", w);
	(*n)++;
	return 0;
}

/* Insert code into label's sorted set of nations; 0, or ELIMIT. */
static int nation_add(coplan_label *l, const char *code)
{
	size_t i = 0;

	while (i < l->n_nations && strcmp(l->nations[i], code) < 0)
		i++;
	if (i < l->n_nations && !strcmp(l->nations[i], code))
		return 0;
	if (l->n_nations == COPLAN_LABEL_NATIONS_MAX)
		return COPLAN_ELIMIT;
	memmove(l->nations[i + 1], l->nations[i], (l->n_nations - i) * sizeof(l->nations[0]));
	memcpy(l->nations[i], code, 4);
	l->n_nations++;
	return 0;
}

int coplan_label_parse(coplan_label *out, const coplan_label_policy *policy, const char *text)
{
	token *toks;
	size_t n = 0, i = 0, used = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->level = -1;
	if (!text)
		return cp_error(COPLAN_EINVALID, "no label");
	if (strlen(text) > COPLAN_LABEL_TEXT_MAX)
		return cp_error(COPLAN_ELIMIT, "label longer than %d bytes", COPLAN_LABEL_TEXT_MAX);
	if (!(toks = malloc(TOKENS_MAX * sizeof(*toks))))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	if ((rc = tokenize(toks, &n, text)))
		goto cleanup;
	if (n == 0) {
		rc = cp_error(COPLAN_EINVALID, "empty label (expected e.g. 'RESTRICTED REL TO ITA, JPN')");
		goto cleanup;
	}
	if (find_word(policy->policies, policy->n_policies, toks[0].text) >= 0 && n > 1) {
		snprintf(out->policy, sizeof(out->policy), "%s", toks[0].text);
		i = 1;
	}
	if ((out->level = match_level(policy, toks, n, i, &used)) < 0) {
		rc = cp_error(COPLAN_EINVALID, "label '%s': column %zu: '%s' is not a classification of "
		              "the policy (lowest: %s)", text, toks[i].col, toks[i].text,
		              policy->levels[0].name);
		goto cleanup;
	}
	for (i += used; i < n && strcmp(toks[i].text, "REL"); i++) {
		if (find_word(policy->caveats, policy->n_caveats,
		              toks[i].text) < 0) {
			rc = cp_error(COPLAN_EINVALID, "label '%s': column %zu: '%s' is not a caveat of the "
			              "policy", text, toks[i].col, toks[i].text);
			goto cleanup;
		}
		if (set_add(out->caveats, &out->n_caveats, COPLAN_LABEL_CAVEATS_MAX, toks[i].text)) {
			rc = cp_error(COPLAN_ELIMIT, "label: more than %d caveats", COPLAN_LABEL_CAVEATS_MAX);
			goto cleanup;
		}
	}
	out->releasable_to_all = i == n;
	if (i < n) {
		size_t rel = i;
		if (i + 1 >= n || strcmp(toks[i + 1].text, "TO")) {
			rc = cp_error(COPLAN_EINVALID, "label '%s': column %zu: expected 'REL TO' and nations",
			              text, toks[rel].col);
			goto cleanup;
		}
		if (i + 2 >= n) {
			rc = cp_error(COPLAN_EINVALID, "label '%s': column %zu: 'REL TO' without a nation",
			              text, toks[rel].col);
			goto cleanup;
		}
		for (i += 2; i < n; i++) {
			if (strlen(toks[i].text) != 3 || !coplan_nation_valid(toks[i].text)) {
				rc = cp_error(COPLAN_EINVALID, "label '%s': column %zu: '%s' is not a nation "
				              "(expected ISO 3166-1 alpha-3, e.g. ITA)", text, toks[i].col,
				              toks[i].text);
				goto cleanup;
			}
			if (nation_add(out, toks[i].text)) {
				rc = cp_error(COPLAN_ELIMIT, "label: more than %d nations after REL TO",
				              COPLAN_LABEL_NATIONS_MAX);
				goto cleanup;
			}
		}
	}
cleanup:
	free(toks);
	if (rc) {
		memset(out, 0, sizeof(*out));
		out->level = -1;
	}
	return rc;
}

int coplan_label_format(char *buf, size_t cap, const coplan_label_policy *policy,
                        const coplan_label *label)
{
	const char *level = coplan_label_level_name(policy, label->level);
	cp_buf b = CP_BUF_INIT(2 * COPLAN_LABEL_TEXT_MAX);
	int rc;

	if (!level)
		return cp_error(COPLAN_EINVALID, "label: classification level %d is not in the policy",
		                label->level);
	rc = cp_buf_printf(&b, "%s%s%s", label->policy, *label->policy ? " " : "", level);
	for (size_t i = 0; !rc && i < label->n_caveats; i++)
		rc = cp_buf_printf(&b, " %s", label->caveats[i]);
	if (!rc && !label->releasable_to_all)
		rc = cp_buf_puts(&b, " REL TO");
	for (size_t i = 0; !rc && !label->releasable_to_all && i < label->n_nations; i++)
		rc = cp_buf_printf(&b, "%s %s", i ? "," : "", label->nations[i]);
	if (!rc && b.len + 1 > cap)
		rc = cp_error(COPLAN_ELIMIT, "label: %zu bytes do not fit in %zu", b.len + 1, cap);
	if (!rc)
		memcpy(buf, b.data ? b.data : "", b.len + 1);
	cp_buf_release(&b);
	return rc;
}

int coplan_label_combine(coplan_label *out, const coplan_label *a, const coplan_label *b)
{
	coplan_label r;

	memset(&r, 0, sizeof(r));
	if (!strcmp(a->policy, b->policy))
		memcpy(r.policy, a->policy, sizeof(r.policy));
	r.level = a->level > b->level ? a->level : b->level;
	for (size_t i = 0; i < a->n_caveats; i++)
		set_add(r.caveats, &r.n_caveats, COPLAN_LABEL_CAVEATS_MAX, a->caveats[i]);
	for (size_t i = 0; i < b->n_caveats; i++)
		if (set_add(r.caveats, &r.n_caveats, COPLAN_LABEL_CAVEATS_MAX, b->caveats[i]))
			return cp_error(COPLAN_ELIMIT, "combined label: more than %d caveats",
			                COPLAN_LABEL_CAVEATS_MAX);
	r.releasable_to_all = a->releasable_to_all && b->releasable_to_all;
	if (a->releasable_to_all || b->releasable_to_all) {
		const coplan_label *list = a->releasable_to_all ? b : a;
		for (size_t i = 0; !r.releasable_to_all && i < list->n_nations; i++)
			nation_add(&r, list->nations[i]);
	} else {
		for (size_t i = 0; i < a->n_nations; i++)
			for (size_t j = 0; j < b->n_nations; j++)
				if (!strcmp(a->nations[i], b->nations[j]))
					nation_add(&r, a->nations[i]);
	}
	*out = r;
	return 0;
}

static int holds(const coplan_reader *reader, const char *caveat)
{
	for (size_t i = 0; i < reader->n_caveats; i++) {
		char w[COPLAN_LABEL_NAME_MAX];
		if (reader->caveats[i] && !name_copy(w, reader->caveats[i]) && !strcmp(w, caveat))
			return 1;
	}
	return 0;
}

int coplan_label_permits(const coplan_label *label, const coplan_reader *reader)
{
	int released = label->releasable_to_all;

	if (!reader || !reader->nation || !coplan_nation_valid(reader->nation) || label->level < 0 ||
	    reader->clearance < label->level)
		return 0;
	for (size_t i = 0; !released && i < label->n_nations; i++)
		released = !strcmp(label->nations[i], reader->nation);
	if (!released)
		return 0;
	for (size_t i = 0; i < label->n_caveats; i++)
		if (!holds(reader, label->caveats[i]))
			return 0;
	return 1;
}

int coplan_label_dominates(const coplan_label *a, const coplan_label *b)
{
	if (a->level < b->level)
		return 0;
	for (size_t i = 0; i < b->n_caveats; i++) {
		size_t j = 0;
		while (j < a->n_caveats && strcmp(a->caveats[j], b->caveats[i]))
			j++;
		if (j == a->n_caveats)
			return 0;
	}
	if (a->releasable_to_all)
		return b->releasable_to_all;
	if (b->releasable_to_all)
		return 1;
	for (size_t i = 0; i < a->n_nations; i++) {
		size_t j = 0;
		while (j < b->n_nations && strcmp(b->nations[j], a->nations[i]))
			j++;
		if (j == b->n_nations)
			return 0;
	}
	return 1;
}

/* ---- the releasable-to nations as a column ----------------------------------- */

static int code_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int text_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int cp_label_distinct(const char ***out, size_t *n, const coplan_plan *plan)
{
	const char **labels = malloc((plan->n_activities + plan->n_blackouts + 1) * sizeof(*labels));
	size_t all = 0, k = 0;

	*out = NULL;
	*n = 0;
	if (!labels)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	for (size_t i = 0; i < plan->n_activities; i++)
		if (plan->activities[i].label)
			labels[all++] = plan->activities[i].label;
	for (size_t i = 0; i < plan->n_blackouts; i++)
		if (plan->blackouts[i].label)
			labels[all++] = plan->blackouts[i].label;
	if (all)
		qsort(labels, all, sizeof(*labels), text_cmp);
	for (size_t i = 0; i < all; i++)
		if (k == 0 || strcmp(labels[i], labels[k - 1]))
			labels[k++] = labels[i];
	*out = labels;
	*n = k;
	return 0;
}

int cp_label_rel_to(char **out, const char *label, const char *plan_label, char *const *parties,
                    size_t n_parties)
{
	const char *text = label ? label : plan_label;
	token *toks = NULL;
	const char **codes = NULL;
	size_t n = 0, n_codes = 0, i;
	cp_buf b = CP_BUF_INIT(8 * (COPLAN_LABEL_NATIONS_MAX + n_parties) + 8);
	int rc = 0;

	*out = NULL;
	if (text) {
		if (strlen(text) > COPLAN_LABEL_TEXT_MAX)
			return cp_error(COPLAN_ELIMIT, "label longer than %d bytes", COPLAN_LABEL_TEXT_MAX);
		if (!(toks = malloc(TOKENS_MAX * sizeof(*toks))))
			return cp_error(COPLAN_ENOMEM, "out of memory");
		if ((rc = tokenize(toks, &n, text)))
			goto cleanup;
		for (i = 0; i < n && strcmp(toks[i].text, "REL"); i++)
			;
		if (i == n) {
			rc = cp_buf_puts(&b, "*");
			goto done;
		}
		if (i + 2 >= n || strcmp(toks[i + 1].text, "TO")) {
			rc = cp_error(COPLAN_EINVALID, "label '%s': column %zu: expected 'REL TO' and nations",
			              text, toks[i].col);
			goto cleanup;
		}
		if (!(codes = malloc((n - i - 2) * sizeof(*codes)))) {
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
			goto cleanup;
		}
		for (i += 2; i < n; i++) {
			if (strlen(toks[i].text) != 3 || !coplan_nation_valid(toks[i].text)) {
				rc = cp_error(COPLAN_EINVALID, "label '%s': column %zu: '%s' is not a nation "
				              "(expected ISO 3166-1 alpha-3, e.g. ITA)", text, toks[i].col, toks[i].text);
				goto cleanup;
			}
			codes[n_codes++] = toks[i].text;
		}
	} else {
		if (n_parties && !(codes = malloc(n_parties * sizeof(*codes)))) {
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
			goto cleanup;
		}
		for (i = 0; i < n_parties; i++)
			codes[n_codes++] = parties[i];
	}
	if (n_codes)
		qsort(codes, n_codes, sizeof(*codes), code_cmp);
	rc = cp_buf_puts(&b, " ");
	for (i = 0; !rc && i < n_codes; i++)
		if (i == 0 || strcmp(codes[i], codes[i - 1]))
			rc = cp_buf_printf(&b, "%s ", codes[i]);
done:
	if (!rc && !(*out = cp_strdup(b.data ? b.data : "")))
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
cleanup:
	cp_buf_release(&b);
	free(codes);
	free(toks);
	return rc;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* import_csv.c - activity proposals from a spreadsheet's CSV, all or nothing. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coplan/cost.h"
#include "coplan/import.h"
#include "coplan/label.h"
#include "buf.h"
#include "common.h"
#include "xlsx_priv.h"

/* The columns the importer knows. */
enum {
	COL_REF, COL_TITLE, COL_AREA, COL_KIND, COL_HOST, COL_PARTICIPANTS, COL_UNITS,
	COL_DURATION, COL_MODE, COL_EARLIEST, COL_LATEST, COL_REQUESTED, COL_AFTER,
	COL_LOCATION, COL_NOTES, COL_START, COL_END, COL_STATUS, COL_LABEL, COL_COST_ESTIMATE, COL_COST_ACTUAL,
	COL_CURRENCY, COL_PAID_BY, COL_FUNDING_LINE, COL_COUNT
};

/* Longest duration and precedence gap accepted, in days: a plan covers one year. */
#define MAX_DURATION 366
#define MAX_GAP 366

typedef struct {
	const char *label;         /* English name, as messages call the column */
	int required;
	const char *names[10];     /* accepted header names, compared lower-cased without spaces */
} column_def;

/* docs/import.md lists the same names: keep them in step. */
static const column_def columns[COL_COUNT] = {
	[COL_REF] = { "ref", 1, { "ref", "id", "no", "no.", "rif", "codice", "n", "n.", "番号", NULL } },
	[COL_TITLE] = { "title", 1, { "title", "activity", "titolo", "attività", "attivita", "活動名",
	                              "件名", NULL } },
	[COL_AREA] = { "area", 0, { "area", "settore", "分野", NULL } },
	[COL_KIND] = { "kind", 0, { "kind", "type", "tipo", "種別", NULL } },
	[COL_HOST] = { "host", 1, { "host", "hostnation", "paeseospitante", "ospitante", "開催国",
	                            NULL } },
	[COL_PARTICIPANTS] = { "participants", 0, { "participants", "partecipanti", "paesi", "参加国",
	                                            NULL } },
	[COL_UNITS] = { "units", 0, { "units", "resources", "unità", "unita", "reparti", "部隊",
	                              NULL } },
	[COL_DURATION] = { "duration", 1, { "duration", "days", "durata", "giorni", "期間", "日数",
	                                    NULL } },
	[COL_MODE] = { "mode", 0, { "mode", "daymode", "modalità", "modalita", "日程区分", NULL } },
	[COL_EARLIEST] = { "earliest", 0, { "earliest", "notbefore", "dal", "nonprima", "開始可能日",
	                                    NULL } },
	[COL_LATEST] = { "latest", 0, { "latest", "notafter", "al", "nonoltre", "終了期限", NULL } },
	[COL_REQUESTED] = { "requested", 0, { "requested", "requestedperiod", "periodorichiesto",
	                                      "mese", "希望時期", NULL } },
	[COL_AFTER] = { "after", 0, { "after", "follows", "dopo", "先行", NULL } },
	[COL_LOCATION] = { "location", 0, { "location", "venue", "luogo", "sede", "場所", NULL } },
	[COL_NOTES] = { "notes", 0, { "notes", "note", "備考", NULL } },
	/* a plan's sheet read back (coplan export csv): the dates it had and its status */
	[COL_START] = { "start", 0, { "start", "inizio", "開始日", NULL } },
	[COL_END] = { "end", 0, { "end", "fine", "終了日", NULL } },
	[COL_STATUS] = { "status", 0, { "status", "stato", "状況", NULL } },
	/* a confidentiality label in register form (docs/labels.md); empty: the plan's */
	[COL_LABEL] = { "label", 0, { "label", "classification", "classifica", NULL } },
	/* cost and budget (issue 17) */
	[COL_COST_ESTIMATE] = { "cost_estimate", 0, { "cost_estimate", "costestimate", "estimatedcost",
	                        "estimate", "costostimato", "見積費用", NULL } },
	[COL_COST_ACTUAL] = { "cost_actual", 0, { "cost_actual", "costactual", "actualcost",
	                      "costoeffettivo", "実費", NULL } },
	[COL_CURRENCY] = { "currency", 0, { "currency", "valuta", "通貨", NULL } },
	[COL_PAID_BY] = { "paid_by", 0, { "paid_by", "paidby", "payer", "pagante", "費用負担", NULL } },
	[COL_FUNDING_LINE] = { "funding_line", 0, { "funding_line", "fundingline", "capitolodispesa",
	                       "capitolo", "予算科目", NULL } },
};

/* Day-mode words: English, Italian, Japanese. */
static const struct {
	const char *word;
	coplan_day_mode mode;
} day_modes[] = {
	{ "working", COPLAN_DAYS_WORKING }, { "calendar", COPLAN_DAYS_CALENDAR },
	{ "lavorativi", COPLAN_DAYS_WORKING }, { "lavorativo", COPLAN_DAYS_WORKING },
	{ "continuativi", COPLAN_DAYS_CALENDAR }, { "continuativo", COPLAN_DAYS_CALENDAR },
	{ "平日", COPLAN_DAYS_WORKING }, { "連続", COPLAN_DAYS_CALENDAR },
};

/* ---- refs: a small open-addressing hash from ref to where it was first seen ---- */

typedef struct {
	const char *ref;           /* borrowed */
	size_t line;               /* 0: an activity already in the target plan */
} ref_slot;

typedef struct {
	ref_slot *slots;
	size_t cap;                /* a power of two */
	size_t n;
} ref_index;

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static ref_slot *ref_find(const ref_index *ix, const char *ref)
{
	size_t i;

	if (!ix->cap)
		return NULL;
	for (i = hash_str(ref) & (ix->cap - 1); ix->slots[i].ref; i = (i + 1) & (ix->cap - 1))
		if (!strcmp(ix->slots[i].ref, ref))
			return &ix->slots[i];
	return NULL;
}

/* Add ref (not present yet); 0 or COPLAN_ENOMEM. */
static int ref_add(ref_index *ix, const char *ref, size_t line)
{
	size_t i;

	if ((ix->n + 1) * 2 > ix->cap) {
		ref_index bigger = { NULL, ix->cap ? ix->cap * 2 : 64, 0 };

		bigger.slots = calloc(bigger.cap, sizeof(ref_slot));
		if (!bigger.slots)
			return cp_error(COPLAN_ENOMEM, "out of memory");
		for (i = 0; i < ix->cap; i++)
			if (ix->slots[i].ref)
				ref_add(&bigger, ix->slots[i].ref, ix->slots[i].line);
		free(ix->slots);
		*ix = bigger;
	}
	for (i = hash_str(ref) & (ix->cap - 1); ix->slots[i].ref; i = (i + 1) & (ix->cap - 1))
		;
	ix->slots[i].ref = ref;
	ix->slots[i].line = line;
	ix->n++;
	return 0;
}

/* ---- cells ---- */

/* Bytes of the UTF-8 space at s (ASCII blank, NBSP, ideographic space), or 0. */
static size_t space_at(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		return 1;
	if (!strncmp(s, "\xC2\xA0", 2))
		return 2;
	if (!strncmp(s, "\xE3\x80\x80", 3))
		return 3;
	return 0;
}

/* A trimmed copy of s[0..n) (the caller frees), or NULL without memory. */
static char *trim_dup(const char *s, size_t n)
{
	size_t k, end = n;

	while (n > 0 && (k = space_at(s)) > 0 && k <= n) {
		s += k;
		n -= k;
	}
	end = n;
	for (;;) {
		if (end >= 1 && strchr(" \t\r\n", s[end - 1]))
			end--;
		else if (end >= 2 && !memcmp(s + end - 2, "\xC2\xA0", 2))
			end -= 2;
		else if (end >= 3 && !memcmp(s + end - 3, "\xE3\x80\x80", 3))
			end -= 3;
		else
			break;
	}
	/* an apostrophe that kept a spreadsheet from running the cell as a formula */
	if (end >= 2 && s[0] == '\'' && strchr("=+-@", s[1])) {
		s++;
		end--;
	}
	return cp_strndup(s, end);
}

/* A header name as compared: no spaces, ASCII and Latin-1 letters lower case, full-width ASCII made ASCII. */
static void header_key(char *out, size_t size, const char *s)
{
	size_t n = 0, k;

	while (*s && n + 4 < size) {
		unsigned char c = (unsigned char)*s;

		if ((k = space_at(s)) > 0) {
			s += k;
			continue;
		}
		if (c == 0xEF && (((unsigned char)s[1] == 0xBC && (unsigned char)s[2] >= 0x81) ||
		                  ((unsigned char)s[1] == 0xBD && (unsigned char)s[2] <= 0x9E)) &&
		    s[2]) {
			/* U+FF01..U+FF5E */
			unsigned cp = (((unsigned)s[1] & 0x3F) << 6 | ((unsigned)s[2] & 0x3F)) + 0xF000;

			c = (unsigned char)(cp - 0xFEE0);
			s += 3;
			if (c == ' ')
				continue;
			out[n++] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
			continue;
		}
		if (c >= 'A' && c <= 'Z') {
			out[n++] = (char)(c | 0x20);
			s++;
		} else if (c == 0xC3 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0x9E &&
		           (unsigned char)s[1] != 0x97) {
			out[n++] = (char)0xC3;
			out[n++] = (char)((unsigned char)s[1] + 0x20);
			s += 2;
		} else {
			out[n++] = *s++;
		}
	}
	out[n] = '\0';
}

/* ---- the import ---- */

typedef struct {
	char *before;
	char *after;
	int gap;
	int kind;                  /* coplan_precedence_kind: "REF?" is AFTER */
	size_t line;
} pending_after;

typedef struct {
	const char *name;          /* file name for messages */
	const char *sheet;         /* NULL: a CSV file (line:col); else the sheet (Sheet!C7) */
	const char *locale;
	int locale_given;          /* 1: the caller named the locale; 0: en-GB by default */
	int update;                /* rows naming an activity of the target replace its proposal */
	coplan_import_report *rep; /* for warnings */
	coplan_plan *target;
	coplan_plan *scratch;
	ref_index refs;
	int col_of[COL_COUNT];     /* 1-based field number of each known column, 0 if absent */
	size_t n_header;
	char **header;             /* the header's trimmed names (borrowed from the table) */
	int *known;                /* per header field: the column, or -1 for an unknown one */
	pending_after *afters;
	size_t n_afters;
	size_t cap_afters;
	struct { char key[128]; int col; } *aliases; /* the user's header map */
	size_t n_aliases;
} import_ctx;

/*
 * Set the last error at a position of the file: "file:line:col: " for CSV,
 * "file:Sheet!C7: " for a sheet (line is the row; col 0 names the whole row).
 */
static int pos_error(const import_ctx *c, int code, size_t line, size_t col, const char *fmt, ...)
	CP_PRINTF(5, 6);

static int pos_error(const import_ctx *c, int code, size_t line, size_t col, const char *fmt, ...)
{
	char msg[1024], ref[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!c->sheet)
		return cp_error_at(code, c->name, line, col, "%s", msg);
	return cp_error(code, "%s:%s: %s", c->name, cp_xlsx_cell_ref(ref, sizeof(ref), c->sheet, line,
	                                                             col), msg);
}

/* Prefix the last error (from a parser) with the cell's position and the column's label. */
static int cell_error(const import_ctx *c, size_t line, int col, int code, const char *label)
{
	char detail[600];

	snprintf(detail, sizeof(detail), "%s", coplan_error_last());
	return pos_error(c, code, line, (size_t)col, "%s: %s", label, detail);
}

/*
 * Read the user's header map: a CSV file of "header,field" rows (a first
 * row "header,field" is taken as its own header), field being a column's
 * English name (ref, title, area, ...).  Errors name the map's line and
 * column.
 */
static int load_header_map(import_ctx *c, const char *path)
{
	coplan_csv_table *t = NULL;
	int rc;

	if ((rc = coplan_csv_read_file(&t, path, NULL)) != 0)
		return rc;
	c->aliases = calloc(t->n_records ? t->n_records : 1, sizeof(*c->aliases));
	if (!c->aliases) {
		coplan_csv_table_free(t);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	for (size_t r = 0; r < t->n_records && !rc; r++) {
		const coplan_csv_record *rec = &t->records[r];
		char field[128];
		int k;

		if (rec->n_fields == 0 || (rec->n_fields == 1 && !*rec->fields[0]))
			continue;
		if (rec->n_fields < 2) {
			rc = cp_error_at(COPLAN_EINVALID, path, rec->line, 1, "expected two cells: a "
			                 "column name and the field it means (e.g. Esercitazione,title)");
			break;
		}
		header_key(field, sizeof(field), rec->fields[1]);
		if (r == 0 && !strcmp(field, "field"))
			continue;
		for (k = 0; k < COL_COUNT && strcmp(field, columns[k].label); k++)
			;
		if (k == COL_COUNT) {
			rc = cp_error_at(COPLAN_EINVALID, path, rec->line, 2, "unknown field '%.40s' "
			                 "(expected ref, title, area, kind, host, participants, units, "
			                 "duration, mode, earliest, latest, requested, after, location, "
			                 "notes, start, end, status, cost_estimate, cost_actual, currency, "
			                 "paid_by or funding_line)", rec->fields[1]);
			break;
		}
		header_key(c->aliases[c->n_aliases].key, sizeof(c->aliases[0].key), rec->fields[0]);
		if (c->aliases[c->n_aliases].key[0])
			c->aliases[c->n_aliases++].col = k;
	}
	coplan_csv_table_free(t);
	return rc;
}

static int map_header(import_ctx *c, const coplan_csv_record *rec)
{
	size_t i;
	int k, j;

	c->n_header = rec->n_fields;
	c->known = malloc((rec->n_fields ? rec->n_fields : 1) * sizeof(int));
	if (!c->known)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	for (i = 0; i < rec->n_fields; i++) {
		char key[128];

		c->known[i] = -1;
		header_key(key, sizeof(key), rec->fields[i]);
		if (!*key)
			continue;
		for (k = 0; k < COL_COUNT && c->known[i] < 0; k++)
			for (j = 0; columns[k].names[j]; j++)
				if (!strcmp(key, columns[k].names[j]))
					c->known[i] = k;
		for (size_t a = 0; a < c->n_aliases && c->known[i] < 0; a++)
			if (!strcmp(key, c->aliases[a].key))
				c->known[i] = c->aliases[a].col;
		k = c->known[i];
		if (k < 0)
			continue;
		if (c->col_of[k])
			return pos_error(c, COPLAN_EINVALID, rec->line, i + 1,
			                   "column '%s' repeats column %d, '%s' (expected each column once)",
			                   rec->fields[i], c->col_of[k], rec->fields[c->col_of[k] - 1]);
		c->col_of[k] = (int)i + 1;
	}
	for (k = 0; k < COL_COUNT; k++) {
		cp_buf names = CP_BUF_INIT(1024);
		int rc;

		if (!columns[k].required || c->col_of[k])
			continue;
		for (j = 0; columns[k].names[j]; j++)
			cp_buf_printf(&names, "%s%s", j ? ", " : "", columns[k].names[j]);
		rc = pos_error(c, COPLAN_EINVALID, rec->line, 0,
		                 "missing required column '%s' (expected a header named one of: %s)",
		                 columns[k].label, names.data ? names.data : "");
		cp_buf_release(&names);
		return rc;
	}
	return 0;
}

/* The trimmed cell of column k in rec (the caller frees), "" when absent; NULL without memory. */
static char *cell(const import_ctx *c, const coplan_csv_record *rec, int k)
{
	size_t f = (size_t)c->col_of[k];

	if (!f || f > rec->n_fields)
		return cp_strdup("");
	return trim_dup(rec->fields[f - 1], strlen(rec->fields[f - 1]));
}

/* What a list cell lists: its separators differ. */
enum { LIST_UNITS, LIST_NATIONS, LIST_REFS };

/*
 * Bytes of the list separator at s, or 0: ; | 、 ； and line breaks always,
 * commas for nations and refs, spaces for nations (a unit's name has spaces).
 */
static size_t list_sep_len(const char *s, int kind)
{
	if (*s == ';' || *s == '|' || *s == '\r' || *s == '\n')
		return 1;
	/* Japanese 、 and full-width ；, as Japanese Excel users type them */
	if (!strncmp(s, "\xE3\x80\x81", 3) || !strncmp(s, "\xEF\xBC\x9B", 3))
		return 3;
	if (kind != LIST_UNITS && *s == ',')
		return 1;
	return kind == LIST_NATIONS ? space_at(s) : 0;
}

/* Call fn(arg, item) for each trimmed non-empty item of a list cell; 0 or the first failure. */
static int each_item(const char *s, int kind, int (*fn)(void *, const char *), void *arg)
{
	while (*s) {
		const char *e = s;
		char *item;
		int rc;

		while (*e && !list_sep_len(e, kind))
			e++;
		item = trim_dup(s, (size_t)(e - s));
		if (!item)
			return cp_error(COPLAN_ENOMEM, "out of memory");
		rc = *item ? fn(arg, item) : 0;
		free(item);
		if (rc)
			return rc;
		s = *e ? e + list_sep_len(e, kind) : e;
	}
	return 0;
}

static void upper_ascii(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s & ~0x20);
}

static int check_nation(const char *code, const char *what)
{
	if (!coplan_nation_valid(code))
		return cp_error(COPLAN_EINVALID, "unknown %s '%s' (expected ISO 3166-1 alpha-3, e.g. ITA)",
		                what, code);
	return 0;
}

static int add_participant(void *arg, const char *item)
{
	char code[16];
	int rc;

	snprintf(code, sizeof(code), "%s", item);
	upper_ascii(code);
	if (strlen(item) >= sizeof(code))
		return cp_error(COPLAN_EINVALID, "unknown nation '%.40s' (expected ISO 3166-1 alpha-3, "
		                "e.g. ITA)", item);
	rc = check_nation(code, "nation");
	return rc ? rc : coplan_activity_add_participant(arg, code);
}

static int add_unit(void *arg, const char *item)
{
	return coplan_activity_add_unit(arg, item);
}

typedef struct {
	import_ctx *c;
	const char *ref;
	size_t line;
} after_arg;

static int add_after_kind(after_arg *a, const char *item, int kind);

/* One item of "after": REF, REF+N, or either with a final '?' (only ordered when both are placed). */
static int add_after(void *arg, const char *item)
{
	size_t n = strlen(item);
	char *own;
	int rc;

	while (n > 0 && item[n - 1] == ' ')
		n--;
	if (n == 0 || item[n - 1] != '?')
		return add_after_kind(arg, item, COPLAN_PRECEDENCE_REQUIRES);
	while (n > 1 && item[n - 2] == ' ')
		n--;
	if (!(own = cp_strndup(item, n - 1)))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	rc = add_after_kind(arg, own, COPLAN_PRECEDENCE_AFTER);
	free(own);
	return rc;
}

static int add_after_kind(after_arg *a, const char *item, int kind)
{
	import_ctx *c = a->c;
	const char *plus = strrchr(item, '+');
	pending_after *p;
	long gap = 0;
	size_t n = strlen(item);

	if (plus) {
		char *end;
		const char *q = plus + 1;

		while (*q == ' ')
			q++;
		if (!(*q >= '0' && *q <= '9'))
			return cp_error(COPLAN_EINVALID, "'%s' has no gap after '+' (expected REF or REF+N, "
			                "N days)", item);
		gap = strtol(q, &end, 10);
		while (*end == ' ')
			end++;
		if (*end || gap > MAX_GAP)
			return cp_error(COPLAN_EINVALID, "bad gap in '%s' (expected REF or REF+N, N a whole "
			                "number of days 0 to %d)", item, MAX_GAP);
		n = (size_t)(plus - item);
		while (n > 0 && item[n - 1] == ' ')
			n--;
		if (n == 0)
			return cp_error(COPLAN_EINVALID, "'%s' names no activity (expected REF or REF+N)",
			                item);
	}
	if (cp_grow((void **)&c->afters, &c->cap_afters, c->n_afters + 1, sizeof(*c->afters)))
		return COPLAN_ENOMEM;
	p = &c->afters[c->n_afters];
	p->before = cp_strndup(item, n);
	p->after = cp_strdup(a->ref);
	p->gap = (int)gap;
	p->kind = kind;
	p->line = a->line;
	if (!p->before || !p->after) {
		free(p->before);
		free(p->after);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	if (!strcmp(p->before, p->after)) {
		free(p->before);
		free(p->after);
		return cp_error(COPLAN_EINVALID, "activity '%s' follows itself (expected the ref of "
		                "another activity)", a->ref);
	}
	c->n_afters++;
	return 0;
}

/* Append "Column: value" to the notes of a for an unknown column. */
static int add_note(coplan_activity *a, const char *column, const char *value)
{
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	int rc = 0;

	if (a->notes && *a->notes)
		rc = cp_buf_printf(&b, "%s\n", a->notes);
	if (!rc)
		rc = cp_buf_printf(&b, "%s: %s", column, value);
	if (rc) {
		cp_buf_release(&b);
		return rc;
	}
	free(a->notes);
	a->notes = cp_buf_detach(&b, NULL);
	return a->notes ? 0 : cp_error(COPLAN_ENOMEM, "out of memory");
}

static int parse_duration(int *out, const char *text, const char *locale)
{
	double v;

	/* say what is wrong with the number: not one, too large, too small, a fraction */
	if (coplan_parse_number_text(&v, text, locale) != 0 || v != v)
		return cp_error(COPLAN_EINVALID, "'%s' is not a whole number of days (expected 1 to %d)",
		                text, MAX_DURATION);
	if (v > MAX_DURATION)
		return cp_error(COPLAN_EINVALID, "'%s' is more than %d days (expected 1 to %d: an "
		                "activity lasts a year at most)", text, MAX_DURATION, MAX_DURATION);
	if (v < 1)
		return cp_error(COPLAN_EINVALID, "'%s' is less than 1 day (expected 1 to %d)", text,
		                MAX_DURATION);
	if (v != (double)(int)v)
		return cp_error(COPLAN_EINVALID, "'%s' is not a whole number of days (expected 1 to %d)",
		                text, MAX_DURATION);
	*out = (int)v;
	return 0;
}

static int parse_mode(coplan_day_mode *out, const char *text)
{
	size_t i;

	if (!*text) {
		*out = COPLAN_DAYS_WORKING;
		return 0;
	}
	for (i = 0; i < CP_ARRAY_SIZE(day_modes); i++) {
		if (cp_strcaseeq(text, day_modes[i].word)) {
			*out = day_modes[i].mode;
			return 0;
		}
	}
	return cp_error(COPLAN_EINVALID, "unknown day mode '%s' (expected working or calendar; "
	                "lavorativi or continuativi; 平日 or 連続)", text);
}

/* An amount cell: "12000.50", or "12000,50" where the comma is the decimal mark; no grouping. */
static int read_amount(import_ctx *c, size_t line, int col, const char *text, const char *currency,
                       long long *out, int *has)
{
	char buf[64], why[512];

	if (!*text)
		return 0;
	if (!*currency)
		return pos_error(c, COPLAN_EINVALID, line, (size_t)c->col_of[col], "an amount needs its "
		                 "currency (expected a currency column, ISO 4217, e.g. EUR)");
	snprintf(buf, sizeof(buf), "%s", text);
	if (!strchr(buf, '.'))
		for (char *p = buf; *p; p++)
			if (*p == ',')
				*p = '.';
	if (strlen(text) >= sizeof(buf) || coplan_amount_parse(out, buf, currency)) {
		snprintf(why, sizeof(why), "%s", strlen(text) >= sizeof(buf) ? "amount too long"
		                                                               : coplan_error_last());
		return pos_error(c, COPLAN_EINVALID, line, (size_t)c->col_of[col], "%s", why);
	}
	*has = 1;
	return 0;
}

/* The cost columns of a row (issue 17), each fault at its cell. */
static int read_cost(import_ctx *c, size_t line, coplan_activity *a, char **v)
{
	char why[512];
	int rc;

	upper_ascii(v[COL_CURRENCY]);
	if (*v[COL_CURRENCY]) {
		if (strlen(v[COL_CURRENCY]) != 3 || !coplan_currency_valid(v[COL_CURRENCY]))
			return pos_error(c, COPLAN_EINVALID, line, (size_t)c->col_of[COL_CURRENCY],
			                 "unknown currency '%.40s' (expected ISO 4217 alpha-3, e.g. EUR)",
			                 v[COL_CURRENCY]);
		memcpy(a->currency, v[COL_CURRENCY], COPLAN_CURRENCY_LEN);
	}
	if ((rc = read_amount(c, line, COL_COST_ESTIMATE, v[COL_COST_ESTIMATE], a->currency,
	                      &a->cost_estimate, &a->has_cost_estimate)) ||
	    (rc = read_amount(c, line, COL_COST_ACTUAL, v[COL_COST_ACTUAL], a->currency,
	                      &a->cost_actual, &a->has_cost_actual)))
		return rc;
	if (*v[COL_PAID_BY] && coplan_payer_parse(&a->paid_by, &a->shares, &a->n_shares, v[COL_PAID_BY])) {
		if (coplan_error_last_code() == COPLAN_ENOMEM)
			return COPLAN_ENOMEM;
		snprintf(why, sizeof(why), "paid by %s", coplan_error_last());
		return pos_error(c, COPLAN_EINVALID, line, (size_t)c->col_of[COL_PAID_BY], "%s", why);
	}
	if (*v[COL_FUNDING_LINE]) {
		if (strlen(v[COL_FUNDING_LINE]) > COPLAN_FUNDING_LINE_MAX)
			return pos_error(c, COPLAN_EINVALID, line, (size_t)c->col_of[COL_FUNDING_LINE],
			                 "funding line of %zu bytes (at most %d)", strlen(v[COL_FUNDING_LINE]),
			                 COPLAN_FUNDING_LINE_MAX);
		if (coplan_text_check(v[COL_FUNDING_LINE])) {
			snprintf(why, sizeof(why), "%s", coplan_error_last());
			return pos_error(c, COPLAN_EINVALID, line, (size_t)c->col_of[COL_FUNDING_LINE], "%s", why);
		}
		a->funding_line = v[COL_FUNDING_LINE];
		v[COL_FUNDING_LINE] = NULL;
	}
	return 0;
}

/* Read one data row into a new activity of the scratch plan. */
static int import_row(import_ctx *c, const coplan_csv_record *rec)
{
	coplan_activity *a;
	char *v[COL_COUNT] = { NULL };
	size_t line = rec->line, i;
	int rc, k;
	char d0[COPLAN_DATE_ISO_LEN], d1[COPLAN_DATE_ISO_LEN];

#define COL(k_) ((size_t)c->col_of[k_])
	for (i = c->n_header; i < rec->n_fields; i++) {
		char *extra = trim_dup(rec->fields[i], strlen(rec->fields[i]));
		int empty = extra && !*extra;

		free(extra);
		if (!extra)
			return cp_error(COPLAN_ENOMEM, "out of memory");
		if (!empty)
			return pos_error(c, COPLAN_EINVALID, line, i + 1, "value in a column with "
			                   "no header (expected at most %zu columns, as the header has)",
			                   c->n_header);
	}
	for (k = 0; k < COL_COUNT; k++) {
		v[k] = cell(c, rec, k);
		if (!v[k]) {
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
			goto cleanup;
		}
	}
	if ((rc = coplan_plan_add_activity(c->scratch, &a)) != 0)
		goto cleanup;

	/* what every document format must carry, checked at its cell */
	{
		static const int text_cols[] = {
			COL_TITLE, COL_AREA, COL_KIND, COL_UNITS, COL_LOCATION, COL_NOTES
		};
		char why[512];

		for (size_t k = 0; k < CP_ARRAY_SIZE(text_cols); k++) {
			if (coplan_text_check(v[text_cols[k]])) {
				snprintf(why, sizeof(why), "%s", coplan_error_last());
				rc = pos_error(c, COPLAN_EINVALID, line, COL(text_cols[k]), "%s", why);
				goto cleanup;
			}
		}
		if (*v[COL_REF] && coplan_ref_check(v[COL_REF])) {
			snprintf(why, sizeof(why), "%s", coplan_error_last());
			rc = pos_error(c, COPLAN_EINVALID, line, COL(COL_REF), "%s", why);
			goto cleanup;
		}
	}
	if (!*v[COL_REF]) {
		rc = pos_error(c, COPLAN_EINVALID, line, COL(COL_REF),
		                 "empty ref (expected the activity's unique reference, e.g. IT-01)");
		goto cleanup;
	}
	{
		ref_slot *seen = ref_find(&c->refs, v[COL_REF]);

		if (seen && seen->line) {
			rc = pos_error(c, COPLAN_EINVALID, line, COL(COL_REF), "duplicate ref '%s' "
			                 "(expected a ref not used before; %s %zu has it)", v[COL_REF],
			                 c->sheet ? "row" : "line", seen->line);
			goto cleanup;
		}
		if (seen && !c->update) {
			rc = pos_error(c, COPLAN_EINVALID, line, COL(COL_REF), "ref '%s' is already "
			                 "in the plan (expected a new ref; --update replaces it)", v[COL_REF]);
			goto cleanup;
		}
	}
	a->ref = v[COL_REF];
	v[COL_REF] = NULL;
	{
		ref_slot *seen = ref_find(&c->refs, a->ref);

		if (seen)
			seen->line = line; /* an update: a second row with this ref is a duplicate */
		else if ((rc = ref_add(&c->refs, a->ref, line)) != 0)
			goto cleanup;
	}

	if (!*v[COL_TITLE]) {
		rc = pos_error(c, COPLAN_EINVALID, line, COL(COL_TITLE),
		                 "empty title (expected the activity's name)");
		goto cleanup;
	}
	a->title = v[COL_TITLE];
	v[COL_TITLE] = NULL;
	if (*v[COL_AREA]) {
		a->area = v[COL_AREA];
		v[COL_AREA] = NULL;
	}
	if (*v[COL_KIND]) {
		a->kind = v[COL_KIND];
		v[COL_KIND] = NULL;
	}
	if (*v[COL_LOCATION]) {
		a->location = v[COL_LOCATION];
		v[COL_LOCATION] = NULL;
	}
	if (*v[COL_NOTES]) {
		a->notes = v[COL_NOTES];
		v[COL_NOTES] = NULL;
	}
	if (*v[COL_LABEL]) {
		coplan_label_policy *policy = NULL;
		coplan_label label;

		/* a label that does not parse is refused at its cell: it would deny everyone */
		if (!(rc = coplan_label_policy_load(&policy, coplan_label_policy_default_path())))
			rc = coplan_label_parse(&label, policy, v[COL_LABEL]);
		coplan_label_policy_free(policy);
		if (rc) {
			char why[512];

			snprintf(why, sizeof(why), "%s", coplan_error_last());
			rc = pos_error(c, rc, line, COL(COL_LABEL), "%s", why);
			goto cleanup;
		}
		a->label = v[COL_LABEL];
		v[COL_LABEL] = NULL;
	}

	upper_ascii(v[COL_HOST]);
	if (!*v[COL_HOST] || strlen(v[COL_HOST]) >= COPLAN_NATION_LEN ||
	    check_nation(v[COL_HOST], "host nation") != 0) {
		rc = pos_error(c, COPLAN_EINVALID, line, COL(COL_HOST), "unknown host nation "
		                 "'%.40s' (expected ISO 3166-1 alpha-3, e.g. ITA)", v[COL_HOST]);
		goto cleanup;
	}
	memcpy(a->host, v[COL_HOST], COPLAN_NATION_LEN);
	if ((rc = coplan_activity_add_participant(a, a->host)) != 0)
		goto cleanup;
	if ((rc = each_item(v[COL_PARTICIPANTS], LIST_NATIONS, add_participant, a)) != 0) {
		rc = cell_error(c, line, c->col_of[COL_PARTICIPANTS], rc, "participants");
		goto cleanup;
	}
	if ((rc = each_item(v[COL_UNITS], LIST_UNITS, add_unit, a)) != 0)
		goto cleanup;

	if (parse_duration(&a->duration, v[COL_DURATION], c->locale) != 0) {
		rc = cell_error(c, line, c->col_of[COL_DURATION], COPLAN_EINVALID, "duration");
		goto cleanup;
	}
	if (parse_mode(&a->day_mode, v[COL_MODE]) != 0) {
		rc = cell_error(c, line, c->col_of[COL_MODE], COPLAN_EINVALID, "mode");
		goto cleanup;
	}
	if (*v[COL_EARLIEST] && (rc = coplan_parse_date_text(&a->earliest, v[COL_EARLIEST],
	                                                     c->locale)) != 0) {
		rc = cell_error(c, line, c->col_of[COL_EARLIEST], rc, "earliest");
		goto cleanup;
	}
	if (*v[COL_LATEST] && (rc = coplan_parse_date_text(&a->latest, v[COL_LATEST],
	                                                   c->locale)) != 0) {
		rc = cell_error(c, line, c->col_of[COL_LATEST], rc, "latest");
		goto cleanup;
	}
	if (a->earliest != COPLAN_DATE_NONE && a->latest != COPLAN_DATE_NONE) {
		long span = (long)a->latest - a->earliest + 1;

		if (span < 1) {
			rc = pos_error(c, COPLAN_EINVALID, line, COL(COL_LATEST), "latest %s is "
			                 "before earliest %s (expected a window in order)",
			                 coplan_date_format_iso(a->latest, d1),
			                 coplan_date_format_iso(a->earliest, d0));
			goto cleanup;
		}
		if (span < a->duration) {
			rc = pos_error(c, COPLAN_EINVALID, line, COL(COL_LATEST), "window %s..%s of "
			                 "%ld days is shorter than the duration of %d days (expected a "
			                 "window the activity fits in)", coplan_date_format_iso(a->earliest, d0),
			                 coplan_date_format_iso(a->latest, d1), span, a->duration);
			goto cleanup;
		}
	}
	if (*v[COL_REQUESTED]) {
		rc = coplan_parse_period_text(&a->requested_from, &a->requested_to, v[COL_REQUESTED],
		                              c->locale);
		if (rc) {
			rc = cell_error(c, line, c->col_of[COL_REQUESTED], rc, "requested period");
			goto cleanup;
		}
		/* "August" with a window from 10 August is a fair request: only a
		 * period wholly outside the window can never be met */
		if ((a->earliest != COPLAN_DATE_NONE && a->requested_to < a->earliest) ||
		    (a->latest != COPLAN_DATE_NONE && a->requested_from > a->latest)) {
			char w0[COPLAN_DATE_ISO_LEN] = "", w1[COPLAN_DATE_ISO_LEN] = "";

			rc = pos_error(c, COPLAN_EINVALID, line, COL(COL_REQUESTED), "requested "
			                 "period %s..%s is outside the window %s..%s (expected a period "
			                 "that overlaps earliest..latest)",
			                 coplan_date_format_iso(a->requested_from, d0),
			                 coplan_date_format_iso(a->requested_to, d1),
			                 coplan_date_format_iso(a->earliest, w0),
			                 coplan_date_format_iso(a->latest, w1));
			goto cleanup;
		}
	}
	if (*v[COL_START] || *v[COL_END]) {
		if (!*v[COL_START] || !*v[COL_END]) {
			rc = pos_error(c, COPLAN_EINVALID, line, COL(*v[COL_START] ? COL_END : COL_START),
			               "start and end go together (expected both dates, or neither)");
			goto cleanup;
		}
		if ((rc = coplan_parse_date_text(&a->start, v[COL_START], c->locale)) != 0) {
			rc = cell_error(c, line, c->col_of[COL_START], rc, "start");
			goto cleanup;
		}
		if ((rc = coplan_parse_date_text(&a->end, v[COL_END], c->locale)) != 0) {
			rc = cell_error(c, line, c->col_of[COL_END], rc, "end");
			goto cleanup;
		}
		if (a->end < a->start) {
			rc = pos_error(c, COPLAN_EINVALID, line, COL(COL_END), "end %s is before start "
			               "%s (expected the last day, on or after the first)",
			               coplan_date_format_iso(a->end, d1), coplan_date_format_iso(a->start, d0));
			goto cleanup;
		}
	}
	if ((rc = read_cost(c, line, a, v)))
		goto cleanup;
	if (*v[COL_STATUS] && coplan_activity_status_parse(&a->status, v[COL_STATUS]) != 0) {
		rc = pos_error(c, COPLAN_EINVALID, line, COL(COL_STATUS), "unknown status '%.40s' "
		               "(expected planned, confirmed, executed, postponed or cancelled)",
		               v[COL_STATUS]);
		goto cleanup;
	}
	{
		after_arg arg = { c, a->ref, line };

		if ((rc = each_item(v[COL_AFTER], LIST_REFS, add_after, &arg)) != 0) {
			rc = cell_error(c, line, c->col_of[COL_AFTER], rc, "after");
			goto cleanup;
		}
	}
	for (i = 0; i < c->n_header && i < rec->n_fields; i++) {
		char *val, label[32];

		if (c->known[i] >= 0)
			continue;
		val = trim_dup(rec->fields[i], strlen(rec->fields[i]));
		if (!val) {
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
			goto cleanup;
		}
		/* a column without a name is called by its number */
		snprintf(label, sizeof(label), "Column %zu", i + 1);
		if (*val && coplan_text_check(val)) {
			char why[512];

			snprintf(why, sizeof(why), "%s", coplan_error_last());
			free(val);
			rc = pos_error(c, COPLAN_EINVALID, line, i + 1, "%s", why);
			goto cleanup;
		}
		if (*val && *c->header[i] && coplan_text_check(c->header[i])) {
			char why[512];

			snprintf(why, sizeof(why), "%s", coplan_error_last());
			free(val);
			rc = pos_error(c, COPLAN_EINVALID, 1, i + 1, "column name: %s", why);
			goto cleanup;
		}
		rc = *val ? add_note(a, *c->header[i] ? c->header[i] : label, val) : 0;
		free(val);
		if (rc)
			goto cleanup;
	}
	/* the plan's own rules for one activity, here at its row: one validation for both */
	if (coplan_activity_validate(a) != 0) {
		char why[512];

		snprintf(why, sizeof(why), "%s", coplan_error_last());
		rc = pos_error(c, COPLAN_EINVALID, line, 0, "%s", why);
		goto cleanup;
	}
cleanup:
	for (k = 0; k < COL_COUNT; k++)
		free(v[k]);
	return rc;
#undef COL
}

/*
 * Resolve the "after" references now that every row is read: each names an
 * activity of the file or of the plan, and together with the plan's own
 * precedences they form no cycle.
 */
static int check_afters(import_ctx *c)
{
	size_t n_nodes = c->refs.cap, i, head = 0, tail = 0, n_edges;
	size_t *indeg = NULL, *queue = NULL, *first = NULL, *next = NULL, *to = NULL;
	int rc = 0;

	for (i = 0; i < c->n_afters; i++) {
		if (!ref_find(&c->refs, c->afters[i].before))
			return pos_error(c, COPLAN_EINVALID, c->afters[i].line,
			                   (size_t)c->col_of[COL_AFTER], "after: unknown predecessor '%s' "
			                   "(expected the ref of an activity of this file or of the plan)",
			                   c->afters[i].before);
	}
	if (c->n_afters == 0)
		return 0;
	/* Kahn's algorithm over the slots of the ref index: what is never freed from the queue is on a cycle. */
	n_edges = c->n_afters + c->target->n_precedences;
	indeg = calloc(n_nodes, sizeof(size_t));
	queue = malloc(n_nodes * sizeof(size_t));
	first = malloc(n_nodes * sizeof(size_t));
	next = malloc(n_edges * sizeof(size_t));
	to = malloc(n_edges * sizeof(size_t));
	if (!indeg || !queue || !first || !next || !to) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < n_nodes; i++)
		first[i] = (size_t)-1;
	for (i = 0; i < n_edges; i++) {
		const char *b, *af;
		ref_slot *sb, *sa;

		if (i < c->n_afters) {
			b = c->afters[i].before;
			af = c->afters[i].after;
		} else {
			b = c->target->precedences[i - c->n_afters].before;
			af = c->target->precedences[i - c->n_afters].after;
		}
		sb = ref_find(&c->refs, b);
		sa = ref_find(&c->refs, af);
		to[i] = (size_t)-1;
		if (!sb || !sa)
			continue; /* the plan's own dangling precedence: not ours to judge here */
		to[i] = (size_t)(sa - c->refs.slots);
		next[i] = first[sb - c->refs.slots];
		first[sb - c->refs.slots] = i;
		indeg[to[i]]++;
	}
	for (i = 0; i < n_nodes; i++)
		if (c->refs.slots[i].ref && indeg[i] == 0)
			queue[tail++] = i;
	while (head < tail) {
		size_t e;

		for (e = first[queue[head++]]; e != (size_t)-1; e = next[e])
			if (--indeg[to[e]] == 0)
				queue[tail++] = to[e];
	}
	for (i = 0; i < c->n_afters; i++) {
		ref_slot *sa = ref_find(&c->refs, c->afters[i].after);

		if (indeg[sa - c->refs.slots] > 0) {
			rc = pos_error(c, COPLAN_EINVALID, c->afters[i].line,
			                 (size_t)c->col_of[COL_AFTER], "after: '%s' after '%s' closes a "
			                 "cycle of precedences (expected no activity to come after itself, "
			                 "directly or through others)", c->afters[i].after,
			                 c->afters[i].before);
			break;
		}
	}
cleanup:
	free(indeg);
	free(queue);
	free(first);
	free(next);
	free(to);
	return rc;
}

/* Move the scratch plan's activities and the pending precedences into the target, or nothing. */
/*
 * An updated activity: the row's proposal in place of target's, which keeps
 * its identity, place, status, pin, revision and unplaced reason; its
 * predecessors before index p0 (the plan's own) are dropped, the row's come
 * after.  No allocation: it cannot fail.  The old proposal goes to the
 * scratch slot, freed with it.
 */
static void replace_proposal(coplan_plan *t, size_t p0, coplan_activity *dst, coplan_activity *row)
{
	coplan_activity old = *dst;
	size_t keep = 0;

	*dst = *row;
	memcpy(dst->uuid, old.uuid, sizeof(dst->uuid));
	dst->start = old.start;
	dst->end = old.end;
	dst->pinned = old.pinned;
	dst->sequence = old.sequence;
	dst->status = old.status;
	dst->unplaced_reason = old.unplaced_reason;
	old.unplaced_reason = NULL;
	/* a row without a label keeps the activity's: a sheet without the column never relabels */
	if (!dst->label) {
		dst->label = old.label;
		old.label = NULL;
	}
	free(row->unplaced_reason);
	*row = old;
	for (size_t i = 0; i < t->n_precedences; i++) {
		coplan_precedence *p = &t->precedences[i];

		if (i < p0 && !strcmp(p->after, dst->ref)) {
			free(p->before);
			free(p->after);
			continue;
		}
		t->precedences[keep++] = *p;
	}
	t->n_precedences = keep;
}

static int commit(import_ctx *c, size_t *n_prec)
{
	coplan_plan *t = c->target, *s = c->scratch;
	size_t n0 = t->n_activities, p0 = t->n_precedences, i, n_new = 0;
	size_t *new_at = malloc((s->n_activities + 1) * sizeof(size_t));
	int rc = 0;

	if (!new_at)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	/* new activities first (this can fail and is undone); updates last (they cannot fail) */
	for (i = 0; i < s->n_activities && !rc; i++) {
		coplan_activity *a;

		if (c->update && coplan_plan_find(t, s->activities[i].ref) >= 0 &&
		    coplan_plan_find(t, s->activities[i].ref) < (long)n0)
			continue;
		rc = coplan_plan_add_activity(t, &a);
		if (!rc) {
			*a = s->activities[i];
			new_at[n_new++] = i;
		}
	}
	for (i = 0; i < c->n_afters && !rc; i++)
		rc = coplan_plan_add_precedence_kind(t, c->afters[i].before, c->afters[i].after,
		                                     c->afters[i].gap, -1,
		                                     (coplan_precedence_kind)c->afters[i].kind);
	if (rc) {
		/* hand the activities back to the scratch plan, drop the precedences */
		for (i = n0; i < t->n_activities; i++)
			s->activities[new_at[i - n0]] = t->activities[i];
		t->n_activities = n0;
		free(new_at);
		for (i = p0; i < t->n_precedences; i++) {
			free(t->precedences[i].before);
			free(t->precedences[i].after);
		}
		t->n_precedences = p0;
		return rc;
	}
	/* the updates: each old proposal goes back to the scratch plan, which frees it */
	{
		size_t k = 0, out = 0;

		for (i = 0; i < s->n_activities; i++) {
			if (k < n_new && new_at[k] == i) {
				k++;
				continue; /* now owned by the target */
			}
			replace_proposal(t, p0, &t->activities[coplan_plan_find(t, s->activities[i].ref)],
			                 &s->activities[i]);
			s->activities[out++] = s->activities[i];
			c->rep->rows_updated++;
		}
		s->n_activities = out;
	}
	free(new_at);
	*n_prec = c->n_afters;
	return 0;
}

static int row_is_empty(const coplan_csv_record *rec)
{
	size_t i;

	for (i = 0; i < rec->n_fields; i++) {
		const char *f = rec->fields[i];
		size_t k;

		while ((k = space_at(f)) > 0)
			f += k;
		if (*f)
			return 0;
	}
	return 1;
}

/*
 * A date in slash form d/m/yyyy or m/d/yyyy at s[0..): its two first numbers
 * (1-2 digits each) and its length, or 0.  Only the slash form depends on the
 * locale: dotted and dashed dates are day first everywhere, yyyy/mm/dd never
 * ambiguous (coplan_parse_date_text()).
 */
static size_t slash_date(const char *s, int *a, int *b)
{
	size_t i = 0, k;
	int v[2] = { 0, 0 };

	for (k = 0; k < 2; k++) {
		size_t d = 0;

		while (s[i] >= '0' && s[i] <= '9' && d < 3) {
			v[k] = v[k] * 10 + (s[i++] - '0');
			d++;
		}
		if (d < 1 || d > 2 || s[i] != '/')
			return 0;
		i++;
	}
	for (k = 0; k < 4; k++, i++)
		if (!(s[i] >= '0' && s[i] <= '9'))
			return 0;
	if (s[i] >= '0' && s[i] <= '9')
		return 0;
	*a = v[0];
	*b = v[1];
	return i;
}

/* Where a slash date was seen, for messages. */
typedef struct {
	size_t line;
	int col;
	char text[16];
} date_seen;

/*
 * The order of day and month in the file's slash dates, decided once per file
 * when the caller gave no locale: a date whose first number is above 12 can
 * only be day first ("25/03/2024"), one whose second is above 12 only month
 * first ("03/25/2024"); such a date decides, and the decision is reported as
 * a warning (month first switches the locale to en-US).  When every slash date
 * reads both ways ("03/04/2024": 3 April or 4 March) nothing decides and the
 * import is refused, naming the first such cell and the locales that settle
 * it; dates in both orders are refused too.  With a locale given, it decides.
 */
static int decide_date_order(import_ctx *c, const coplan_csv_table *t, size_t first)
{
	static const int cols[] = { COL_EARLIEST, COL_LATEST, COL_REQUESTED, COL_START, COL_END };
	date_seen day_first = { 0 }, month_first = { 0 }, ambiguous = { 0 };
	size_t r, k, n_ambiguous = 0;
	char ref[160], where[200];

	if (c->locale_given)
		return 0;
	for (r = first; r < t->n_records; r++) {
		const coplan_csv_record *rec = &t->records[r];

		for (k = 0; k < sizeof(cols) / sizeof(cols[0]); k++) {
			size_t f = (size_t)c->col_of[cols[k]];
			const char *s;

			if (!f || f > rec->n_fields)
				continue;
			for (s = rec->fields[f - 1]; *s; s++) {
				date_seen *slot = NULL;
				size_t n;
				int a, b;

				if ((s > rec->fields[f - 1] && s[-1] >= '0' && s[-1] <= '9') ||
				    !(n = slash_date(s, &a, &b)))
					continue;
				if (a > 12 && b <= 12)
					slot = &day_first;
				else if (b > 12 && a <= 12)
					slot = &month_first;
				else if (a != b && a >= 1 && b >= 1 && a <= 12 && b <= 12) {
					slot = &ambiguous;
					n_ambiguous++;
				}
				if (slot && !slot->line) {
					slot->line = rec->line;
					slot->col = c->col_of[cols[k]];
					snprintf(slot->text, sizeof(slot->text), "%.*s", (int)n, s);
				}
				s += n - 1;
			}
		}
	}
	if (day_first.line && month_first.line) {
		const date_seen *later = day_first.line > month_first.line ? &day_first : &month_first,
		                *other = later == &day_first ? &month_first : &day_first;

		return pos_error(c, COPLAN_EINVALID, later->line, (size_t)later->col, "'%s' can only be "
		                 "%s, but '%s' on line %zu only %s (expected one order of day and month "
		                 "in a file)", later->text, later == &day_first ? "day first" : "month first",
		                 other->text, other->line, other == &day_first ? "day first" : "month first");
	}
	if (!ambiguous.line && !month_first.line)
		return 0;
	if (!day_first.line && !month_first.line)
		return pos_error(c, COPLAN_EINVALID, ambiguous.line, (size_t)ambiguous.col, "'%s' reads "
		                 "as day/month or month/day and no date in the file decides (%zu such "
		                 "date%s; expected a locale: en-GB or it for day first, en-US for month "
		                 "first)", ambiguous.text, n_ambiguous, n_ambiguous == 1 ? "" : "s");
	{
		const date_seen *why = day_first.line ? &day_first : &month_first;
		char *w;

		if (c->sheet)
			snprintf(where, sizeof(where), "%s", cp_xlsx_cell_ref(ref, sizeof(ref), c->sheet,
			                                                      why->line, (size_t)why->col));
		else
			snprintf(where, sizeof(where), "%zu:%d", why->line, why->col);
		if (month_first.line)
			c->locale = "en-US";
		if (c->rep->n_warnings < COPLAN_IMPORT_MAX_WARNINGS) {
			w = c->rep->warnings[c->rep->n_warnings++];
			snprintf(w, COPLAN_IMPORT_WARNING_LEN, "dates read %s (locale %s): '%s' at %.120s can "
			         "only be %s, so %zu date%s that read%s both ways %s too", month_first.line ?
			         "month first" : "day first", c->locale, why->text, where,
			         month_first.line ? "month/day" : "day/month", n_ambiguous,
			         n_ambiguous == 1 ? "" : "s", n_ambiguous == 1 ? "s" : "",
			         n_ambiguous == 1 ? "is" : "are");
		}
		snprintf(c->rep->locale, sizeof(c->rep->locale), "%s", c->locale);
	}
	return 0;
}

int cp_import_activities_table(coplan_plan *plan, const char *name, const char *sheet,
                               coplan_csv_table *table, const char *locale,
                               const char *header_map, int update, coplan_import_report *report)
{
	import_ctx c;
	coplan_import_report rep;
	size_t i, r;
	int rc;

	memset(&c, 0, sizeof(c));
	memset(&rep, 0, sizeof(rep));
	c.locale = locale && *locale ? locale : "en-GB";
	c.locale_given = locale && *locale;
	c.update = update;
	c.rep = &rep;
	c.name = name ? name : "";
	c.sheet = sheet;
	c.target = plan;
	snprintf(rep.locale, sizeof(rep.locale), "%s", c.locale);
	if (!plan || !table) {
		rc = cp_error(COPLAN_EUSAGE, "cp_import_activities_table: no %s", plan ? "table" : "plan");
		goto cleanup;
	}
	if ((rc = coplan_plan_new(&c.scratch)) != 0)
		goto cleanup;
	if (header_map && *header_map && (rc = load_header_map(&c, header_map)) != 0)
		goto cleanup;
	for (i = 0; i < plan->n_activities; i++) {
		if (plan->activities[i].ref && !ref_find(&c.refs, plan->activities[i].ref) &&
		    (rc = ref_add(&c.refs, plan->activities[i].ref, 0)) != 0)
			goto cleanup;
	}
	/* empty rows, and a document's marking or a comment ("# RESTRICTED REL TO ITA, JPN"), before the header */
	for (r = 0; r < table->n_records && (row_is_empty(&table->records[r]) ||
	                                     (table->records[r].n_fields && table->records[r].fields[0][0] == '#'));
	     r++)
		;
	if (r == table->n_records) {
		rc = pos_error(&c, COPLAN_EINVALID, 0, 0, "no header row (expected a first row "
		               "naming the columns, e.g. ref,title,host,duration)");
		goto cleanup;
	}
	c.header = table->records[r].fields;
	for (i = 0; i < table->records[r].n_fields; i++) {
		/* trim the header names in place: they name the columns in notes and messages */
		char *t = trim_dup(c.header[i], strlen(c.header[i]));

		if (!t) {
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
			goto cleanup;
		}
		free(c.header[i]);
		c.header[i] = t;
	}
	if ((rc = map_header(&c, &table->records[r])) != 0)
		goto cleanup;
	if ((rc = decide_date_order(&c, table, r + 1)) != 0)
		goto cleanup;
	for (r++; r < table->n_records; r++) {
		if (row_is_empty(&table->records[r]))
			continue;
		rep.rows_read++;
		if ((rc = import_row(&c, &table->records[r])) != 0)
			goto cleanup;
	}
	if ((rc = check_afters(&c)) != 0)
		goto cleanup;
	if ((rc = commit(&c, &rep.precedences_imported)) != 0)
		goto cleanup;
	rep.rows_imported = rep.rows_read;
cleanup:
	if (rc)
		rep.rows_imported = rep.precedences_imported = 0;
	for (i = 0; i < c.n_afters; i++) {
		free(c.afters[i].before);
		free(c.afters[i].after);
	}
	free(c.afters);
	free(c.known);
	free(c.aliases);
	free(c.refs.slots);
	coplan_plan_free(c.scratch);
	if (report) {
		/* the reader's warnings (already in *report) first, then the import's */
		size_t n = report->n_warnings;

		for (i = 0; i < rep.n_warnings && n < COPLAN_IMPORT_MAX_WARNINGS; i++)
			memcpy(report->warnings[n++], rep.warnings[i], COPLAN_IMPORT_WARNING_LEN);
		memcpy(rep.warnings, report->warnings, sizeof(rep.warnings));
		rep.n_warnings = n;
		*report = rep;
	}
	return rc;
}

/* An unknown locale is the caller's mistake: say so before reading anything. */
static int check_locale(const char *locale)
{
	coplan_date d;

	return coplan_parse_date_text(&d, "2024-01-10", locale) == COPLAN_EUSAGE ? COPLAN_EUSAGE : 0;
}

/* A sheet's bytes data[0..len) named path, or (data NULL) the file at path. */
static int import_csv_source(coplan_plan *plan, const char *path, const char *data, size_t len,
                             const coplan_csv_options *opts, coplan_import_report *report)
{
	coplan_csv_table *table = NULL;
	coplan_import_report rep;
	const char *locale = opts && opts->locale && *opts->locale ? opts->locale : "en-GB";
	int rc;

	memset(&rep, 0, sizeof(rep));
	snprintf(rep.locale, sizeof(rep.locale), "%s", locale);
	if (!plan || !path) {
		rc = cp_error(COPLAN_EUSAGE, "coplan_import_activities_csv: no %s", plan ? "path" : "plan");
		goto cleanup;
	}
	if ((rc = check_locale(locale)) != 0)
		goto cleanup;
	if ((rc = data ? coplan_csv_parse(&table, path, data, len, opts)
	               : coplan_csv_read_file(&table, path, opts)) != 0)
		goto cleanup;
	memcpy(rep.warnings, table->warnings, sizeof(rep.warnings));
	rep.n_warnings = table->n_warnings;
	rc = cp_import_activities_table(plan, path, NULL, table, opts ? opts->locale : NULL,
	                                opts ? opts->header_map : NULL, opts ? opts->update : 0, &rep);
	snprintf(rep.encoding, sizeof(rep.encoding), "%s", table->encoding);
	rep.delimiter = table->delimiter;
cleanup:
	coplan_csv_table_free(table);
	if (report)
		*report = rep;
	return rc;
}

int coplan_import_activities_csv_report(coplan_plan *plan, const char *path,
                                        const coplan_csv_options *opts,
                                        coplan_import_report *report)
{
	return import_csv_source(plan, path, NULL, 0, opts, report);
}

int coplan_import_activities_csv_buffer(coplan_plan *plan, const char *name, const char *data,
                                        size_t len, const coplan_csv_options *opts,
                                        coplan_import_report *report)
{
	if (!data)
		return cp_error(COPLAN_EUSAGE, "coplan_import_activities_csv_buffer: no data");
	return import_csv_source(plan, name, data, len, opts, report);
}

/* A workbook's bytes data[0..len) named path, or (data NULL) the file at path. */
static int import_xlsx_source(coplan_plan *plan, const char *path, const char *data, size_t len,
                              const char *sheet, const coplan_csv_options *opts,
                              coplan_import_report *report)
{
	coplan_csv_table *table = NULL;
	coplan_import_report rep;
	const char *locale = opts && opts->locale && *opts->locale ? opts->locale : "en-GB";
	char *sheet_name = NULL;
	int rc;

	memset(&rep, 0, sizeof(rep));
	snprintf(rep.locale, sizeof(rep.locale), "%s", locale);
	if (!plan || !path) {
		rc = cp_error(COPLAN_EUSAGE, "coplan_import_activities_xlsx: no %s", plan ? "path" : "plan");
		goto cleanup;
	}
	if ((rc = check_locale(locale)) != 0)
		goto cleanup;
	if ((rc = data ? coplan_xlsx_read_buffer(&table, &sheet_name, path, data, len, sheet)
	               : coplan_xlsx_read_file(&table, &sheet_name, path, sheet)) != 0)
		goto cleanup;
	rc = cp_import_activities_table(plan, path, sheet_name, table, opts ? opts->locale : NULL,
	                                opts ? opts->header_map : NULL, opts ? opts->update : 0, &rep);
	snprintf(rep.encoding, sizeof(rep.encoding), "%s", table->encoding);
	rep.delimiter = table->delimiter;
cleanup:
	coplan_csv_table_free(table);
	free(sheet_name);
	if (report)
		*report = rep;
	return rc;
}

int coplan_import_activities_xlsx(coplan_plan *plan, const char *path, const char *sheet,
                                  const coplan_csv_options *opts,
                                  coplan_import_report *report)
{
	return import_xlsx_source(plan, path, NULL, 0, sheet, opts, report);
}

int coplan_import_activities_xlsx_buffer(coplan_plan *plan, const char *name, const char *data,
                                         size_t len, const char *sheet,
                                         const coplan_csv_options *opts,
                                         coplan_import_report *report)
{
	if (!data)
		return cp_error(COPLAN_EUSAGE, "coplan_import_activities_xlsx_buffer: no data");
	return import_xlsx_source(plan, name, data, len, sheet, opts, report);
}

int coplan_import_activities_csv(coplan_plan *plan, const char *path,
                                 const coplan_csv_options *opts, size_t *n_imported)
{
	coplan_import_report rep;
	int rc = coplan_import_activities_csv_report(plan, path, opts, &rep);

	if (n_imported)
		*n_imported = rep.rows_imported;
	return rc;
}

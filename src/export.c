/* SPDX-License-Identifier: Apache-2.0 */
/* export.c - coplan_export(): format names, filtering and sorting, dispatch to the writers. */
#include <stdlib.h>
#include <string.h>

#include "coplan/export.h"
#include "export_int.h"
#include "schedule_int.h"

int coplan_format_parse(coplan_format *out, const char *name)
{
	static const struct {
		const char *name;
		coplan_format format;
	} names[] = {
		{ "md", COPLAN_FORMAT_MARKDOWN },
		{ "markdown", COPLAN_FORMAT_MARKDOWN },
		{ "html", COPLAN_FORMAT_HTML },
		{ "json", COPLAN_FORMAT_JSON },
		{ "ics", COPLAN_FORMAT_ICS },
		{ "ical", COPLAN_FORMAT_ICS },
		{ "lp", COPLAN_FORMAT_LP },
		{ "csv", COPLAN_FORMAT_CSV },
	};

	for (size_t i = 0; name && i < CP_ARRAY_SIZE(names); i++) {
		if (cp_strcaseeq(name, names[i].name)) {
			*out = names[i].format;
			return 0;
		}
	}
	return cp_error(COPLAN_EUSAGE, "unknown export format '%s' (expected md, html, json, ics, csv or lp)",
	                name ? name : "");
}

const char *cp_nation_label(const char *code)
{
	const char *name = coplan_nation_name(code);

	return name ? name : code;
}

int cp_export_duration(cp_buf *out, const coplan_activity *a)
{
	return cp_buf_printf(out, "%d %s day%s", a->duration,
	                     a->day_mode == COPLAN_DAYS_CALENDAR ? "calendar" : "working",
	                     a->duration == 1 ? "" : "s");
}

int cp_export_ordinal(cp_buf *out, int n)
{
	return cp_buf_printf(out, "%d%s", n, cp_ordinal_suffix(n));
}

static int ref_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int cp_export_view_has(const cp_export_view *view, const char *ref)
{
	return ref && view->n && bsearch(&ref, view->refs, view->n, sizeof(*view->refs), ref_ptr_cmp);
}

static int ref_cmp(const coplan_activity *a, const coplan_activity *b)
{
	return strcmp(a->ref ? a->ref : "", b->ref ? b->ref : "");
}

/* Placed before unplaced; placed by start, end, then ref; unplaced by ref. */
static int activity_order(const void *pa, const void *pb)
{
	const coplan_activity *a = *(const coplan_activity *const *)pa;
	const coplan_activity *b = *(const coplan_activity *const *)pb;
	int a_placed = a->start != COPLAN_DATE_NONE, b_placed = b->start != COPLAN_DATE_NONE;

	if (a_placed != b_placed)
		return b_placed - a_placed;
	if (a_placed) {
		if (a->start != b->start)
			return a->start < b->start ? -1 : 1;
		if (a->end != b->end)
			return a->end < b->end ? -1 : 1;
	}
	return ref_cmp(a, b);
}

static int activity_selected(const coplan_activity *a, const coplan_export_options *opts)
{
	int found = 0;

	if (opts->host && !cp_strcaseeq(a->host, opts->host))
		return 0;
	if (!opts->unit)
		return 1;
	for (size_t u = 0; u < a->n_units && !found; u++)
		found = a->units[u] && !strcmp(a->units[u], opts->unit);
	return found;
}

/* Fill view with the plan's activities that opts selects, in export order. */
static int view_build(cp_export_view *view, const coplan_plan *plan, const coplan_export_options *opts)
{
	coplan_plan filtered;
	coplan_activity *copies = NULL;
	int rc = 0;

	memset(view, 0, sizeof(*view));
	view->now = opts->now ? opts->now : time(NULL);
	view->whole = !opts->host && !opts->unit;
	view->unmarked = opts->unmarked;
	if (plan->n_activities) {
		view->items = calloc(plan->n_activities, sizeof(*view->items));
		view->refs = calloc(plan->n_activities, sizeof(*view->refs));
		copies = calloc(plan->n_activities, sizeof(*copies));
		if (!view->items || !view->refs || !copies) {
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
			goto cleanup;
		}
	}
	for (size_t i = 0; i < plan->n_activities; i++) {
		const coplan_activity *a = &plan->activities[i];

		if (!activity_selected(a, opts))
			continue;
		copies[view->n] = *a;   /* shallow: only for the summary's counts */
		view->refs[view->n] = a->ref ? a->ref : "";
		view->items[view->n++] = a;
		if (a->start != COPLAN_DATE_NONE)
			view->n_placed++;
	}
	if (view->n > 1) {
		qsort(view->items, view->n, sizeof(*view->items), activity_order);
		qsort(view->refs, view->n, sizeof(*view->refs), ref_ptr_cmp);
	}
	filtered = *plan;
	filtered.activities = copies;
	filtered.n_activities = view->n;
	coplan_plan_summarize(&filtered, &view->summary);
cleanup:
	free(copies);
	if (rc) {
		free(view->items);
		free(view->refs);
		view->items = NULL;
		view->refs = NULL;
	}
	return rc;
}

int cp_export_json_tree(json_t **out, const coplan_plan *plan, const coplan_export_options *opts)
{
	cp_export_view view = { 0 };
	int rc;

	*out = NULL;
	if (opts->host && !coplan_nation_valid(opts->host))
		return cp_error(COPLAN_EUSAGE,
		                "unknown host nation '%s' (expected ISO 3166-1 alpha-3, e.g. ITA)",
		                opts->host);
	if (!(rc = view_build(&view, plan, opts)))
		rc = cp_export_json_root(out, plan, &view);
	free(view.items);
	free(view.refs);
	return rc;
}

int coplan_export(char **out, size_t *len, const coplan_plan *plan, coplan_format format,
                  const coplan_export_options *opts)
{
	return coplan_export_ex(out, len, plan, format, opts, NULL);
}

int cp_export_totals(cp_buf *out, const coplan_plan_summary *s, size_t n_nations)
{
	size_t cancelled = 0, listed = 0;
	int rc;

	for (size_t i = 0; i < s->by_host_count; i++)
		cancelled += s->by_host[i].cancelled;
	rc = cp_buf_printf(out, "%zu %s", s->activities - cancelled,
	                   s->activities - cancelled == 1 ? "activity" : "activities");
	for (size_t i = 0; i < s->by_host_count && !rc; i++) {
		size_t n = s->by_host[i].count - s->by_host[i].cancelled;

		if (n == 0 && i >= n_nations)
			continue;
		rc = cp_buf_printf(out, "%s %zu in %s", listed++ ? "," : ":", n,
		                   cp_nation_label(s->by_host[i].nation));
	}
	if (rc || !cancelled)
		return rc;
	rc = cp_buf_printf(out, "; %zu cancelled (", cancelled);
	listed = 0;
	for (size_t i = 0; i < s->by_host_count && !rc; i++)
		if (s->by_host[i].cancelled)
			rc = cp_buf_printf(out, "%s%s", listed++ ? ", " : "", cp_nation_label(s->by_host[i].nation));
	return rc ? rc : cp_buf_putc(out, ')');
}

int coplan_export_ex(char **out, size_t *len, const coplan_plan *plan, coplan_format format,
                     const coplan_export_options *opts, const coplan_document_info *info)
{
	static const coplan_export_options defaults;
	cp_buf buf = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	cp_export_view view = { 0 };
	char *data;
	int rc;

	if (!out || !plan)
		return cp_error(COPLAN_EUSAGE, "coplan_export: no output or no plan");
	*out = NULL;
	if (len)
		*len = 0;
	if (!opts)
		opts = &defaults;
	if (opts->host && !coplan_nation_valid(opts->host))
		return cp_error(COPLAN_EUSAGE,
		                "unknown host nation '%s' (expected ISO 3166-1 alpha-3, e.g. ITA)",
		                opts->host);
	rc = view_build(&view, plan, opts);
	if (rc)
		goto cleanup;
	view.info = info;
	switch (format) {
	case COPLAN_FORMAT_MARKDOWN:
		rc = cp_export_markdown(&buf, plan, &view);
		break;
	case COPLAN_FORMAT_HTML:
		rc = cp_export_html(&buf, plan, &view);
		break;
	case COPLAN_FORMAT_JSON:
		rc = cp_export_json(&buf, plan, &view);
		break;
	case COPLAN_FORMAT_ICS:
		rc = cp_export_ics(&buf, plan, &view);
		break;
	case COPLAN_FORMAT_CSV:
		rc = cp_export_csv(&buf, plan, &view, opts->locale);
		break;
	case COPLAN_FORMAT_LP:
		if (opts->host || opts->unit)
			rc = cp_error(COPLAN_EUSAGE, "the lp export is the whole plan's problem: no host or unit filter");
		else
			rc = cp_export_lp(&buf, plan, NULL, 0);
		break;
	default:
		rc = cp_error(COPLAN_EUSAGE, "unknown export format %d", (int)format);
		break;
	}
	if (rc)
		goto cleanup;
	data = cp_buf_detach(&buf, len);
	if (!data) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	*out = data;
cleanup:
	free(view.items);
	free(view.refs);
	cp_buf_release(&buf);
	return rc;
}

/* ---- clean text (export_int.h) ---- */

int cp_xml_char(long c)
{
	return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
	       (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

int cp_text_clean(cp_buf *out, const char *s, size_t n)
{
	size_t i = 0, run = 0;   /* s[run..i) is clean and not yet appended */
	int rc = 0;

	while (i < n && !rc) {
		long c;
		size_t k = cp_utf8_decode(s + i, n - i, &c);

		if (cp_xml_char(c)) {
			i += k;
			continue;
		}
		rc = cp_buf_add(out, s + run, i - run);
		if (!rc)
			rc = cp_buf_puts(out, CP_REPLACEMENT_CHAR);
		i += k;
		run = i;
	}
	return rc ? rc : cp_buf_add(out, s + run, n - run);
}

int cp_text_puts(cp_buf *out, const char *s)
{
	return cp_text_clean(out, s ? s : "", s ? strlen(s) : 0);
}

int cp_text_is_clean(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	for (size_t i = 0; i < n;) {
		long c;

		i += cp_utf8_decode(s + i, n - i, &c);
		if (!cp_xml_char(c))
			return 0;
	}
	return 1;
}

char *cp_text_dup(const char *s)
{
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	char *copy;

	if (!s)
		return NULL;
	if (cp_text_puts(&b, s)) {
		cp_buf_release(&b);
		return NULL;
	}
	copy = cp_buf_detach(&b, NULL);
	if (!copy)
		cp_error(COPLAN_ENOMEM, "out of memory");
	return copy;
}

int cp_text_shorten(cp_buf *out, const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0, i = 0, chars = 0, keep = 0;
	int rc;

	if (!max)
		return 0;
	/* keep: the octets of the first max - 1 characters, the room left beside the ellipsis */
	while (i < n && chars < max) {
		long c;

		i += cp_utf8_decode(s + i, n - i, &c);
		if (++chars == max - 1)
			keep = i;
	}
	if (i >= n)
		return cp_text_clean(out, s, n);   /* max characters or fewer: whole */
	rc = cp_text_clean(out, s, keep);
	return rc ? rc : cp_buf_puts(out, CP_ELLIPSIS);
}

int cp_xml_escape(cp_buf *out, const char *s)
{
	size_t n = s ? strlen(s) : 0, run = 0;
	int rc = 0;

	for (size_t i = 0; i < n && !rc; i++) {
		const char *entity;

		switch (s[i]) {
		case '&': entity = "&amp;"; break;
		case '<': entity = "&lt;"; break;
		case '>': entity = "&gt;"; break;
		case '"': entity = "&quot;"; break;
		case '\'': entity = "&#39;"; break;
		default: continue;
		}
		rc = cp_text_clean(out, s + run, i - run);
		if (!rc)
			rc = cp_buf_puts(out, entity);
		run = i + 1;
	}
	return rc ? rc : cp_text_clean(out, s + run, n - run);
}

/* Code points of UTF-8 s (continuation bytes not counted). */
static size_t chars(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static size_t list_chars(char **items, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += chars(items[i]) + (i ? 2 : 0); /* "; " between items */
	return c;
}

int coplan_export_excel_warnings(char **out, size_t *count, const coplan_plan *plan,
                                 int csv)
{
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	size_t lines = 0;
	int rc = 0;

	*out = NULL;
	if (count)
		*count = 0;
	for (size_t i = 0; plan && i < plan->n_activities && !rc; i++) {
		const coplan_activity *a = &plan->activities[i];
		const struct {
			const char *column;
			size_t n;
		} cells[] = {
			{ "ref", chars(a->ref) }, { "title", chars(a->title) }, { "area", chars(a->area) },
			{ "kind", chars(a->kind) },
			{ "participants", list_chars(a->participants, a->n_participants) },
			{ "units", list_chars(a->units, a->n_units) },
			{ "location", chars(a->location) }, { "notes", chars(a->notes) },
		};

		for (size_t k = 0; k < sizeof(cells) / sizeof(cells[0]) && !rc; k++) {
			if (cells[k].n <= COPLAN_EXCEL_CELL_CHARS_MAX)
				continue;
			rc = cp_buf_printf(&b, "activity '%.64s': %s of %zu characters, more than the %d an "
			                   "Excel cell holds: %s\n", a->ref ? a->ref : "", cells[k].column,
			                   cells[k].n, COPLAN_EXCEL_CELL_CHARS_MAX,
			                   csv ? "Excel will cut it when it opens "
			                   "the file" : "cut in the workbook");
			lines++;
		}
	}
	if (rc) {
		cp_buf_release(&b);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	if (lines && !(*out = cp_buf_detach(&b, NULL)))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	cp_buf_release(&b);
	if (count)
		*count = lines;
	return 0;
}

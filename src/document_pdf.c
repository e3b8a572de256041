/* SPDX-License-Identifier: Apache-2.0 */
/* document_pdf.c - the plan as the PDF the heads of delegation sign: A4 landscape, table, totals, signatures, Gantt annex. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>

#include "coplan/cost.h"
#include "coplan/document.h"
#include "coplan/report.h"
#include "coplan/marking.h"
#include "document_int.h"
#include "translation.h"
#include "export_int.h"
#include "plan_sort.h"

/* Page geometry in points (1/72 inch): A4 landscape. */
#define PAGE_W 842.0
#define PAGE_H 595.0
#define MARGIN 36.0
#define FOOT_H 20.0                        /* the footer's band above the bottom margin */
#define BODY_TOP MARGIN
#define BODY_BOTTOM (PAGE_H - MARGIN - FOOT_H)
#define BODY_W (PAGE_W - 2 * MARGIN)
#define CELL_PAD 3.5
#define GANTT_WIDTH 1280                   /* the annex's chart is laid out this wide, then scaled to BODY_W */

#define F_TITLE 20.0
#define F_SUB 13.0
#define F_TEXT 10.0
#define F_TABLE 8.5
#define F_FOOT 8.0

#define EN_DASH "\xE2\x80\x93"
#define EM_DASH "\xE2\x80\x94"

enum { C_NO, C_TITLE, C_AREA, C_HOST, C_PERIOD, C_DURATION, C_LOCATION, C_PARTICIPANTS, C_UNIT, N_COLS };

#define MAX_COLS 10

/* A table's columns: names for the header row and widths in points (summing to BODY_W). */
typedef struct {
	int n;
	const char *const *names;
	const double *width;
} columns;

/* The header row's words: keys of the translation table (data/translations.json). */
static const char *const col_keys[N_COLS] = {
	"col.no", "col.title", "col.area", "col.host", "col.period", "col.duration", "col.location",
	"col.participants", "col.lead_unit"
};
static const double col_w[N_COLS] = { 46, 200, 66, 52, 92, 64, 92, 66, 92 }; /* sum: BODY_W */

static const cp_rgb ink = { 0.08, 0.08, 0.1 }, muted = { 0.35, 0.35, 0.4 };

/* The state of one rendering pass: the first counts pages, the second draws. */
typedef struct {
	const coplan_plan *plan;
	cairo_t *cr;
	PangoContext *ctx;
	int draw;             /* 0: measure and count pages only */
	int page;             /* current page, 1-based */
	int pages;            /* total, known in the drawing pass */
	double y;             /* cursor on the page, points from the top */
	const char *footer;   /* plan title and parties, on every page */
	const char *marking;  /* the combined label of the plan's parts (docs/labels.md), at the head and foot of every page */
	const cp_gantt *gantt;
	const coplan_document_info *info;  /* or NULL */
	const char *info_line;             /* coplan_document_info_line(), or NULL */
	const coplan_amendment_document *amendment; /* the amendment's document, or NULL: the plan's */
	const cp_translation *labels;           /* the fixed words, in the document's language */
	const char *col_names[MAX_COLS];   /* the header rows' words in that language */
	const char *acol_names[MAX_COLS];
	int error;            /* the first error of a step that cannot return one (the footer), else 0 */
} pdf;

static void set_rgb(cairo_t *cr, cp_rgb c)
{
	cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

/* Set text in a box of width w at (x, y), wrapped; returns its height in points (drawn only in the drawing pass). */
static double para(pdf *p, const char *text, double size, int bold, double x, double y, double w,
                   cp_rgb colour)
{
	PangoLayout *l = cp_doc_layout(p->ctx, text, size, bold, w, 1);
	double h;

	cp_doc_layout_size(l, NULL, &h);
	if (p->draw) {
		set_rgb(p->cr, colour);
		cp_doc_show(p->cr, p->ctx, l, x, y);
	}
	g_object_unref(l);
	return h;
}

/* "DRAFT" across the page, as outlines in a light tint (never text: it must not mix into copied text). */
static void watermark(pdf *p)
{
	PangoLayout *l;
	double w, h;

	if (!p->draw || !p->info || p->info->state != COPLAN_VERSION_DRAFT)
		return;
	l = cp_doc_layout(p->ctx, cp_translate(p->labels, "state.draft"), 150, 1, 0, 0);
	cp_doc_layout_size(l, &w, &h);
	cairo_save(p->cr);
	cairo_translate(p->cr, PAGE_W / 2, PAGE_H / 2);
	cairo_rotate(p->cr, -atan2(PAGE_H, PAGE_W));
	cairo_move_to(p->cr, -w / 2, -h / 2);
	pango_cairo_update_context(p->cr, p->ctx);
	pango_cairo_layout_path(p->cr, l);
	cairo_set_source_rgba(p->cr, 0.8, 0.1, 0.1, 0.13);
	cairo_fill(p->cr);
	cairo_restore(p->cr);
	g_object_unref(l);
}

static void footer(pdf *p)
{
	char page[16], pages[16], num[128];
	const char *args[] = { page, pages };
	cp_buf b = CP_BUF_INIT(sizeof(num));
	PangoLayout *l;
	double w;
	int rc;

	if (!p->draw)
		return;
	watermark(p);
	/* the marking, centred in the top margin and at the very foot of the page */
	l = cp_doc_layout(p->ctx, p->marking, F_FOOT, 1, 0, 0);
	cp_doc_layout_size(l, &w, NULL);
	set_rgb(p->cr, ink);
	cp_doc_show(p->cr, p->ctx, l, (PAGE_W - w) / 2, MARGIN / 2 - F_FOOT / 2);
	cp_doc_show(p->cr, p->ctx, l, (PAGE_W - w) / 2, PAGE_H - MARGIN / 2 - F_FOOT / 2);
	g_object_unref(l);
	snprintf(page, sizeof(page), "%d", p->page);
	snprintf(pages, sizeof(pages), "%d", p->pages);
	if ((rc = cp_translate_fill(&b, p->labels, "page.of", args, 2)) && !p->error)
		p->error = rc; /* the page is drawn all the same; render() returns the error */
	snprintf(num, sizeof(num), "%s", rc ? "" : b.data);
	cp_buf_release(&b);
	l = cp_doc_layout(p->ctx, num, F_FOOT, 0, 0, 0);
	cp_doc_layout_size(l, &w, NULL);
	set_rgb(p->cr, muted);
	cp_doc_show(p->cr, p->ctx, l, PAGE_W - MARGIN - w, PAGE_H - MARGIN - F_FOOT - 2);
	g_object_unref(l);
	l = cp_doc_layout(p->ctx, p->footer, F_FOOT, 0, BODY_W - w - 24, 0);
	cp_doc_show(p->cr, p->ctx, l, MARGIN, PAGE_H - MARGIN - F_FOOT - 2);
	g_object_unref(l);
	cairo_set_source_rgb(p->cr, 0.7, 0.7, 0.75);
	cairo_set_line_width(p->cr, 0.5);
	cairo_move_to(p->cr, MARGIN, PAGE_H - MARGIN - F_FOOT - 6);
	cairo_line_to(p->cr, PAGE_W - MARGIN, PAGE_H - MARGIN - F_FOOT - 6);
	cairo_stroke(p->cr);
}

/* End the current page and start the next. */
static void new_page(pdf *p)
{
	footer(p);
	if (p->draw)
		cairo_show_page(p->cr);
	p->page++;
	p->y = BODY_TOP;
}

/* Octets of the venue's first part, the city: "Rome" of "Rome, Italian Defence General Staff" (cut at an ASCII comma, so never inside a character). */
static int venue_city_len(const char *venue)
{
	size_t n = strcspn(venue ? venue : "", ",");

	return n > INT_MAX ? 0 : (int)n;   /* beyond any cp_buf's cap anyway */
}

/* Title, parties, talks, totals by host and by area. */
static int heading(pdf *p, cp_buf *t)
{
	const coplan_plan *plan = p->plan;
	coplan_plan_summary s;
	char range[64];
	int rc;
	struct { const char *area; size_t n; } *areas = NULL;
	size_t n_areas = 0;

	p->y += para(p, plan->title && *plan->title ? plan->title : cp_translate(p->labels, "plan.title"), F_TITLE, 1,
	             MARGIN, p->y, BODY_W, ink) + 2;
	cp_buf_clear(t);
	rc = 0;
	for (size_t i = 0; i < plan->n_nations && !rc; i++)
		rc = cp_buf_printf(t, "%s%s", i ? " " EN_DASH " " : "", cp_doc_nation_name(plan->nations[i]));
	if (rc)
		return rc;
	if (t->len)
		p->y += para(p, t->data, F_SUB, 0, MARGIN, p->y, BODY_W, ink) + 2;
	if (plan->has_talks) {
		const coplan_staff_talks *k = &plan->talks;
		int city = venue_city_len(k->venue);

		char edition[32], where[256];
		const char *args[] = { edition, k->series ? k->series : "", where,
		                       coplan_report_date_range(range, sizeof(range), k->start, k->end) };

		/* "8th" in English; the other languages' templates number it their way */
		snprintf(edition, sizeof(edition), "%d%s", k->edition,
		         !strcmp(cp_translation_language(p->labels), "en") ? cp_ordinal_suffix(k->edition) : "");
		snprintf(where, sizeof(where), "%s%.*s", city ? ", " : "", city > 200 ? 200 : city,
		         k->venue ? k->venue : "");
		cp_buf_clear(t);
		if ((rc = cp_translate_fill(t, p->labels, "plan.talks", args, 4)))
			return rc;
		p->y += para(p, t->data, F_TEXT, 0, MARGIN, p->y, BODY_W, muted);
	}
	if (p->info_line)
		p->y += 2 + para(p, p->info_line, F_TEXT, 1, MARGIN, p->y + 2, BODY_W, ink);
	p->y += 10;

	/* totals by host: "28 activities: 11 in Italy, 17 in Japan", cancelled ones apart */
	coplan_plan_summarize(plan, &s);
	cp_buf_clear(t);
	if ((rc = cp_export_totals(t, &s, plan->n_nations)))
		return rc;
	p->y += para(p, t->data, F_TEXT + 1, 1, MARGIN, p->y, BODY_W, ink) + 1;

	/* by area, in order of first appearance */
	areas = calloc(plan->n_activities + 1, sizeof(*areas));
	if (!areas)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	for (size_t i = 0; i < plan->n_activities; i++) {
		const char *area = plan->activities[i].area && *plan->activities[i].area
		                       ? plan->activities[i].area : "other";
		size_t k;

		for (k = 0; k < n_areas && strcmp(areas[k].area, area); k++)
			;
		if (k == n_areas)
			areas[n_areas++].area = area;
		areas[k].n++;
	}
	cp_buf_clear(t);
	rc = cp_buf_puts(t, n_areas ? cp_translate(p->labels, "plan.by_area") : "");
	for (size_t k = 0; k < n_areas && !rc; k++)
		rc = cp_buf_printf(t, "%s %s %zu", k ? "," : "", areas[k].area, areas[k].n);
	free(areas);
	if (rc)
		return rc;
	if (t->len)
		p->y += para(p, t->data, F_TEXT, 0, MARGIN, p->y, BODY_W, ink) + 1;
	cp_buf_clear(t);
	if (s.unplaced) {
		char done[32], todo[32];
		const char *args[] = { done, todo };

		snprintf(done, sizeof(done), "%zu", s.scheduled);
		snprintf(todo, sizeof(todo), "%zu", s.unplaced);
		rc = cp_translate_fill(t, p->labels, "plan.scheduled", args, 2);
	}
	if (rc)
		return rc;
	if (t->len)
		p->y += para(p, t->data, F_TEXT, 0, MARGIN, p->y, BODY_W, muted);
	p->y += 12;
	return 0;
}

/* The cells of one table row as text. */
/* The most characters a table cell shows; the rest is cut with an ellipsis. */
#define CELL_MAX_CHARS 400

static int row_cells(const pdf *p, const coplan_activity *a, cp_buf cells[MAX_COLS])
{
	char range[64];
	int rc = 0;

	for (int c = 0; c < N_COLS; c++)
		cp_buf_clear(&cells[c]);
	rc = cp_buf_puts(&cells[C_NO], a->ref ? a->ref : "");
	/* a cell never outgrows a page: very long text is cut with an ellipsis (the
	 * workbook and the JSON keep it whole) */
	if (!rc)
		rc = cp_text_shorten(&cells[C_TITLE], a->title, CELL_MAX_CHARS);
	if (!rc)
		rc = a->status == COPLAN_STATUS_CANCELLED || a->status == COPLAN_STATUS_POSTPONED
		     ? cp_buf_printf(&cells[C_TITLE], " (%s)", cp_translate(p->labels, a->status == COPLAN_STATUS_CANCELLED
		                                                 ? "status.cancelled" : "status.postponed"))
		     : 0;
	if (!rc)
		rc = cp_text_shorten(&cells[C_AREA], a->area, CELL_MAX_CHARS / 4);
	if (!rc)
		rc = cp_buf_puts(&cells[C_HOST], cp_doc_nation_name(a->host));
	if (!rc)
		rc = cp_buf_puts(&cells[C_PERIOD], a->start == COPLAN_DATE_NONE ? "not scheduled"
		                 : coplan_report_date_range(range, sizeof(range), a->start, a->end));
	if (!rc)
		rc = cp_export_duration(&cells[C_DURATION], a);
	if (!rc)
		rc = cp_text_shorten(&cells[C_LOCATION], a->location && *a->location ? a->location : EN_DASH,
		                     CELL_MAX_CHARS / 4);
	for (size_t i = 0; i < a->n_participants && !rc; i++)
		rc = cp_buf_printf(&cells[C_PARTICIPANTS], "%s%s", i ? ", " : "",
		                   cp_doc_nation_name(a->participants[i]));
	if (!rc)
		rc = a->n_units ? cp_text_shorten(&cells[C_UNIT], a->units[0], CELL_MAX_CHARS / 2)
		                : cp_buf_puts(&cells[C_UNIT], EN_DASH);
	for (int c = 0; c < N_COLS && !rc; c++)
		rc = cp_buf_puts(&cells[c], ""); /* never NULL data */
	return rc;
}

/* Height of a row of cells in points; drawn at p->y with a background when draw is on. */
static double table_row(pdf *p, const columns *cols, cp_buf cells[MAX_COLS], const char *const *texts,
                        int header, int stripe)
{
	PangoLayout *l[MAX_COLS];
	double h = 0, x = MARGIN;

	for (int c = 0; c < cols->n; c++) {
		double ch;

		l[c] = cp_doc_layout(p->ctx, texts ? texts[c] : cells[c].data, F_TABLE, header || c == 0,
		                     cols->width[c] - 2 * CELL_PAD, 1);
		cp_doc_layout_size(l[c], NULL, &ch);
		if (ch > h)
			h = ch;
	}
	h += 2 * CELL_PAD;
	if (p->draw) {
		if (header || stripe) {
			if (header)
				cairo_set_source_rgb(p->cr, 0.86, 0.89, 0.93);
			else
				cairo_set_source_rgb(p->cr, 0.96, 0.965, 0.975);
			cairo_rectangle(p->cr, MARGIN, p->y, BODY_W, h);
			cairo_fill(p->cr);
		}
		for (int c = 0; c < cols->n; c++) {
			set_rgb(p->cr, ink);
			cp_doc_show(p->cr, p->ctx, l[c], x + CELL_PAD, p->y + CELL_PAD);
			x += cols->width[c];
		}
		cairo_set_source_rgb(p->cr, header ? 0.45 : 0.8, header ? 0.5 : 0.8, header ? 0.55 : 0.82);
		cairo_set_line_width(p->cr, header ? 0.8 : 0.4);
		cairo_move_to(p->cr, MARGIN, p->y + h);
		cairo_line_to(p->cr, MARGIN + BODY_W, p->y + h);
		cairo_stroke(p->cr);
	}
	for (int c = 0; c < cols->n; c++)
		g_object_unref(l[c]);
	return h;
}

/*
 * A table of n rows with its header row on every page: fill(i, cells,
 * payload) gives row i's cells (and the name of what it shows, for an
 * error), no row split across pages.
 */
static int table_of(pdf *p, const columns *cols, size_t n,
                    int (*fill)(size_t i, cp_buf cells[MAX_COLS], const char **what, void *payload),
                    void *payload)
{
	cp_buf cells[MAX_COLS];
	double header_h;
	int rc = 0;

	for (int c = 0; c < MAX_COLS; c++)
		cells[c] = (cp_buf)CP_BUF_INIT(64 * 1024);
	{
		int draw = p->draw;

		p->draw = 0;
		header_h = table_row(p, cols, cells, cols->names, 1, 0);
		p->draw = draw;
	}
	if (p->y + header_h * 2 > BODY_BOTTOM)
		new_page(p);
	p->y += table_row(p, cols, cells, cols->names, 1, 0);
	for (size_t i = 0; i < n && !rc; i++) {
		int draw = p->draw;
		const char *what = "";
		double h;

		for (int c = 0; c < MAX_COLS; c++)
			cp_buf_clear(&cells[c]);
		if ((rc = fill(i, cells, &what, payload)))
			break;
		for (int c = 0; c < cols->n && !rc; c++)
			rc = cp_buf_puts(&cells[c], ""); /* never NULL data */
		if (rc)
			break;
		p->draw = 0;
		h = table_row(p, cols, cells, NULL, 0, 0);
		p->draw = draw;
		if (header_h + h > BODY_BOTTOM - BODY_TOP) {
			rc = cp_error(COPLAN_ELIMIT, "%s needs a table row taller than a page", what);
			break;
		}
		if (p->y + h > BODY_BOTTOM) {
			new_page(p);
			p->y += table_row(p, cols, cells, cols->names, 1, 0);
		}
		p->y += table_row(p, cols, cells, NULL, 0, (int)(i % 2));
	}
	for (int c = 0; c < MAX_COLS; c++)
		cp_buf_release(&cells[c]);
	return rc;
}

typedef struct {
	const pdf *p;
	const size_t *order;
	char what[160];
} plan_rows;

static int plan_row(size_t i, cp_buf cells[MAX_COLS], const char **what, void *payload)
{
	plan_rows *r = payload;
	const coplan_activity *a = &r->p->plan->activities[r->order[i]];

	snprintf(r->what, sizeof(r->what), "activity '%.120s'", a->ref ? a->ref : "");
	*what = r->what;
	return row_cells(r->p, a, cells);
}

static int table(pdf *p, const size_t *order)
{
	plan_rows r = { p, order, "" };
	columns cols = { N_COLS, p->col_names, col_w };

	return table_of(p, &cols, p->plan->n_activities, plan_row, &r);
}

/* "a sep b" into t (cleared first), a missing part left out with its separator.  0 or an error of cp_buf. */
static int join2(cp_buf *t, const char *a, const char *sep, const char *b)
{
	int has_a = a && *a, has_b = b && *b;

	cp_buf_clear(t);
	return cp_buf_printf(t, "%s%s%s", has_a ? a : "", has_a && has_b ? sep : "", has_b ? b : "");
}

/*
 * One delegation's signature box at (x, p->y), width w.  The "Date / Place"
 * line goes date_at points below the top, or right under the names when
 * date_at is 0.  Returns the height of the names part (to align the date
 * lines of a row of boxes) in *names_h and the box's height, or -1 when t
 * cannot hold the text (out of memory or its cap; the error is set).
 */
static double signature(pdf *p, const coplan_delegation *d, const char *nation, double x, double w,
                        double date_at, double *names_h, cp_buf *t)
{
	double y = p->y, h;

	const char *name = cp_doc_nation_name(nation);

	cp_buf_clear(t);
	if (cp_translate_fill(t, p->labels, "sign.for", &name, 1))
		return -1;
	y += para(p, t->data, F_TEXT + 1, 1, x, y, w, ink);
	y += 42; /* room to sign */
	if (p->draw) {
		cairo_set_source_rgb(p->cr, 0.2, 0.2, 0.2);
		cairo_set_line_width(p->cr, 0.7);
		cairo_move_to(p->cr, x, y);
		cairo_line_to(p->cr, x + w * 0.85, y);
		cairo_stroke(p->cr);
	}
	y += 4;
	if (d) {
		/* "rank name" and "post, organisation", as coplan_delegation_head() joins them, at any length */
		if (join2(t, d->head_rank, " ", d->head_name))
			return -1;
		if (t->len)
			y += para(p, t->data, F_TEXT, 1, x, y, w, ink);
		if (d->head_name_native && *d->head_name_native)
			y += para(p, d->head_name_native, F_TEXT, 0, x, y, w, ink);
		if (join2(t, d->head_post, ", ", d->head_organisation))
			return -1;
		if (t->len)
			y += para(p, t->data, F_TABLE, 0, x, y, w * 0.9, muted);
	}
	if (!d || !d->head_name || !*d->head_name)
		y += para(p, cp_translate(p->labels, "sign.head"), F_TABLE, 0, x, y, w, muted);
	*names_h = y - p->y;
	y = date_at > 0 ? p->y + date_at : y + 22;
	h = para(p, cp_translate(p->labels, "sign.date_place"), F_TABLE, 0, x, y, w, muted);
	if (p->draw) {
		cairo_set_source_rgb(p->cr, 0.5, 0.5, 0.5);
		cairo_set_line_width(p->cr, 0.5);
		cairo_move_to(p->cr, x + 62, y + h - 2);
		cairo_line_to(p->cr, x + w * 0.85, y + h - 2);
		cairo_stroke(p->cr);
	}
	y += h;
	return y - p->y;
}

/* The signature block: the delegations side by side, three to a line, kept on one page. */
static int signatures(pdf *p, cp_buf *t)
{
	const coplan_plan *plan = p->plan;
	int talks = plan->has_talks && plan->talks.n_delegations;
	size_t n = talks ? plan->talks.n_delegations : plan->n_nations;
	size_t per_line = n < 3 ? (n ? n : 1) : 3;
	double w = (BODY_W - (double)(per_line - 1) * 30) / (double)per_line, block = 0;
	int draw = p->draw;

	if (!n)
		return 0;
	/* pass 0 measures the block to keep it whole; pass 1 draws */
	p->draw = 0;
	for (int pass = 0; pass < 2; pass++) {
		double y0 = p->y;

		if (pass == 1) {
			p->draw = draw;
			if (p->y + block > BODY_BOTTOM)
				new_page(p);
			y0 = p->y;
		}
		p->y += 14;
		p->y += para(p, cp_translate(p->labels, "sign.heading"), F_SUB, 1, MARGIN, p->y,
		             BODY_W, ink) + 14;
		for (size_t first = 0; first < n; first += per_line) {
			size_t last = first + per_line < n ? first + per_line : n;
			double names = 0, line_h = 0;
			int keep = p->draw;

			/* the names' heights first, so that the date lines of one line of boxes align */
			p->draw = 0;
			for (size_t i = first; i < last; i++) {
				double nh;

				if (signature(p, talks ? &plan->talks.delegations[i] : NULL,
				              talks ? plan->talks.delegations[i].nation : plan->nations[i],
				              MARGIN, w, 0, &nh, t) < 0)
					return coplan_error_last_code() ? coplan_error_last_code()
					                                : cp_error(COPLAN_ENOMEM, "out of memory");
				if (nh > names)
					names = nh;
			}
			p->draw = keep;
			for (size_t i = first; i < last; i++) {
				double nh, h = signature(p, talks ? &plan->talks.delegations[i] : NULL,
				                         talks ? plan->talks.delegations[i].nation : plan->nations[i],
				                         MARGIN + (double)(i - first) * (w + 30), w, names + 22, &nh, t);

				if (h < 0)
					return coplan_error_last_code() ? coplan_error_last_code()
					                                : cp_error(COPLAN_ENOMEM, "out of memory");
				if (h > line_h)
					line_h = h;
			}
			p->y += line_h + 18;
		}
		if (pass == 0) {
			block = p->y - y0;
			p->y = y0;
		}
	}
	if (block > BODY_BOTTOM - BODY_TOP)
		return cp_error(COPLAN_ELIMIT, "the signature block of %zu delegations is taller than a page", n);
	return 0;
}

/* Annex A: the Gantt chart as vectors, scaled to the page width, cut into pages by rows. */
static int gantt_annex(pdf *p)
{
	const cp_gantt *g = p->gantt;
	double scale = BODY_W / cp_gantt_width(g), heading_h, avail;
	size_t rows = cp_gantt_rows(g), from = 0;
	int rc = 0;

	new_page(p);
	do {
		size_t to = from;
		double s = scale;
		int last;

		{
			int draw = p->draw;

			p->draw = 0;
			heading_h = para(p, cp_translate(p->labels, "annex.gantt"), F_SUB, 1, MARGIN, p->y, BODY_W, ink) + 6;
			p->draw = draw;
		}
		avail = (BODY_BOTTOM - p->y - heading_h) / scale;
		/* as many rows as fit with the tail (legend, unplaced), else without it */
		while (to < rows && cp_gantt_part_height(g, from, to + 1, 1) <= avail)
			to++;
		last = to == rows;
		if (!last) {
			while (to < rows && cp_gantt_part_height(g, from, to + 1, 0) <= avail)
				to++;
			if (to == from)
				to = from + 1; /* a page narrower than one row: never happens at A4, but progress */
			last = 0;
		}
		/* the whole chart on one page when that shrinks it by a quarter at most */
		if (from == 0 && !last && (BODY_BOTTOM - p->y - heading_h) / cp_gantt_height(g) >= 0.75 * scale) {
			to = rows;
			last = 1;
		}
		if (cp_gantt_part_height(g, from, to, last) > avail)
			s = (BODY_BOTTOM - p->y - heading_h) / cp_gantt_part_height(g, from, to, last);
		p->y += para(p, cp_translate(p->labels, "annex.gantt"), F_SUB, 1, MARGIN, p->y, BODY_W, ink) + 6;
		if (p->draw) {
			cairo_save(p->cr);
			/* centred when the chart had to shrink to fit the page's height */
			cairo_translate(p->cr, MARGIN + (BODY_W - cp_gantt_width(g) * s) / 2, p->y);
			cairo_scale(p->cr, s, s);
			rc = cp_gantt_draw(g, p->cr, from, to, last);
			cairo_restore(p->cr);
		}
		from = to;
		if (!last && !rc)
			new_page(p);
		if (last)
			break;
	} while (!rc);
	return rc;
}

/*
 * The cost annex of a plan that records costs (issue 17): the cost report
 * (coplan_report_costs(): totals per currency by host nation, paying nation,
 * area and quarter; budgets and their warnings), a line at a time, in
 * English (its words are not in data/translations.json yet).
 */
static int cost_annex(pdf *p)
{
	char *text = NULL, *line, *save = NULL;
	int rc;

	if (!coplan_plan_has_costs(p->plan))
		return 0;
	if ((rc = coplan_report_costs(&text, NULL, p->plan, NULL)))
		return rc;
	new_page(p);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int head = line[0] != ' ' && strncmp(line, "warning", 7);
		double h;

		{
			int draw = p->draw;

			p->draw = 0;
			h = para(p, line, head ? F_TEXT + 1 : F_TEXT, head, MARGIN, p->y, BODY_W, ink);
			p->draw = draw;
		}
		if (p->y + h > BODY_BOTTOM)
			new_page(p);
		p->y += para(p, line, head ? F_TEXT + 1 : F_TEXT, head, MARGIN, p->y, BODY_W,
		             strncmp(line, "warning", 7) ? ink : muted) + (head ? 4 : 1);
	}
	free(text);
	return 0;
}

static const char *change_kind_name(const pdf *p, coplan_change_kind kind)
{
	switch (kind) {
	case COPLAN_CHANGE_ADDED: return cp_translate(p->labels, "change.added");
	case COPLAN_CHANGE_REMOVED: return cp_translate(p->labels, "change.removed");
	case COPLAN_CHANGE_MOVED: return cp_translate(p->labels, "change.moved");
	default: return cp_translate(p->labels, "change.changed");
	}
}

/* The amendment's heading: title, parties, what it amends, the document line, the count of changes. */
static int amendment_heading(pdf *p, cp_buf *t)
{
	const coplan_amendment_document *d = p->amendment;
	size_t kinds[4] = { 0 };
	int rc;

	char number[32];
	const char *args[] = { number, p->plan->title && *p->plan->title ? p->plan->title
	                                                                : cp_translate(p->labels, "plan.title") };

	snprintf(number, sizeof(number), "%d", d->info->amendment);
	cp_buf_clear(t);
	if ((rc = cp_translate_fill(t, p->labels, "amend.title", args, 2)))
		return rc;
	p->y += para(p, t->data, F_TITLE, 1, MARGIN, p->y, BODY_W, ink) + 2;
	cp_buf_clear(t);
	for (size_t i = 0; i < p->plan->n_nations && !rc; i++)
		rc = cp_buf_printf(t, "%s%s", i ? " " EN_DASH " " : "", cp_doc_nation_name(p->plan->nations[i]));
	if (rc)
		return rc;
	if (t->len)
		p->y += para(p, t->data, F_SUB, 0, MARGIN, p->y, BODY_W, ink) + 2;
	cp_buf_clear(t);
	args[0] = d->plan_reference && *d->plan_reference ? d->plan_reference
	                                                 : cp_translate(p->labels, "amend.no_reference");
	if ((rc = cp_translate_fill(t, p->labels, "amend.amends", args, 1)))
		return rc;
	p->y += para(p, t->data, F_TEXT, 0, MARGIN, p->y, BODY_W, muted);
	if (p->info_line)
		p->y += 2 + para(p, p->info_line, F_TEXT, 1, MARGIN, p->y + 2, BODY_W, ink);
	p->y += 10;
	for (size_t i = 0; i < d->n_changes; i++)
		kinds[d->changes[i].kind <= COPLAN_CHANGE_FIELD ? d->changes[i].kind : COPLAN_CHANGE_FIELD]++;
	cp_buf_clear(t);
	snprintf(number, sizeof(number), "%zu", d->n_changes);
	args[0] = number;
	rc = cp_translate_fill(t, p->labels, d->n_changes == 1 ? "amend.one_change" : "amend.changes", args, 1);
	for (int k = 0, listed = 0; k < 4 && !rc; k++)
		if (kinds[k])
			rc = cp_buf_printf(t, "%s %zu %s", listed++ ? "," : ":", kinds[k],
			                   change_kind_name(p, (coplan_change_kind)k));
	if (rc)
		return rc;
	p->y += para(p, t->data, F_TEXT + 1, 1, MARGIN, p->y, BODY_W, ink) + 12;
	return 0;
}

enum { A_NO, A_KIND, A_ACTIVITY, A_FIELD, A_BEFORE, A_AFTER, A_REASON, N_ACOLS };

static const char *const acol_keys[N_ACOLS] = {
	"acol.no", "acol.change", "acol.activity", "acol.what", "acol.before", "acol.after", "acol.reason"
};
static const double acol_w[N_ACOLS] = { 30, 58, 190, 70, 150, 150, 122 }; /* sum: BODY_W */

static int amendment_row(size_t i, cp_buf cells[MAX_COLS], const char **what, void *payload)
{
	const pdf *p = payload;
	const coplan_amendment_document *d = p->amendment;
	const coplan_change *c = &d->changes[i];
	const char *reason = d->reasons ? d->reasons[i] : NULL;
	int rc;

	*what = "a change";
	rc = cp_buf_printf(&cells[A_NO], "%zu", i + 1);
	if (!rc)
		rc = cp_buf_puts(&cells[A_KIND], change_kind_name(p, c->kind));
	if (!rc)
		rc = cp_text_shorten(&cells[A_ACTIVITY], c->ref, 40);
	if (!rc && c->title && *c->title)
		rc = cp_buf_puts(&cells[A_ACTIVITY], " ");
	if (!rc)
		rc = cp_text_shorten(&cells[A_ACTIVITY], c->title, CELL_MAX_CHARS);
	if (!rc)
		rc = cp_text_shorten(&cells[A_FIELD], c->field && *c->field ? c->field
		                     : c->kind == COPLAN_CHANGE_ADDED ? cp_translate(p->labels, "amend.activity_added")
		                     : c->kind == COPLAN_CHANGE_REMOVED ? cp_translate(p->labels, "amend.activity_removed")
		                     : EN_DASH, 60);
	if (!rc)
		rc = cp_text_shorten(&cells[A_BEFORE], c->before && *c->before ? c->before : EN_DASH, CELL_MAX_CHARS);
	if (!rc)
		rc = cp_text_shorten(&cells[A_AFTER], c->after && *c->after ? c->after : EN_DASH, CELL_MAX_CHARS);
	if (!rc)
		rc = cp_text_shorten(&cells[A_REASON], reason && *reason ? reason : EN_DASH, CELL_MAX_CHARS);
	return rc;
}

static int render(pdf *p, const size_t *order)
{
	cp_buf t = CP_BUF_INIT(64 * 1024);
	int rc;

	p->page = 1;
	p->y = BODY_TOP;
	if (p->amendment) {
		rc = amendment_heading(p, &t);
		columns cols = { N_ACOLS, p->acol_names, acol_w };

		if (!rc && p->amendment->n_changes)
			rc = table_of(p, &cols, p->amendment->n_changes, amendment_row, p);
		if (!rc && !p->amendment->n_changes)
			p->y += para(p, cp_translate(p->labels, "amend.nothing"), F_TEXT, 0, MARGIN, p->y, BODY_W, muted);
		if (!rc)
			rc = signatures(p, &t);
	} else {
		rc = heading(p, &t);
		if (!rc)
			rc = table(p, order);
		if (!rc)
			rc = signatures(p, &t);
		if (!rc)
			rc = gantt_annex(p);
		if (!rc)
			rc = cost_annex(p);
	}
	if (!rc) {
		footer(p);
		if (p->draw)
			cairo_show_page(p->cr);
	}
	cp_buf_release(&t);
	return rc ? rc : p->error;
}

/* The plan's PDF (amendment NULL) or an amendment's, with info (may be NULL), in language (NULL: English). */
static int build(char **out, size_t *len, const coplan_plan *plan, const coplan_document_info *info,
                 const coplan_amendment_document *amendment, const char *language)
{
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX), foot = CP_BUF_INIT(CP_BUF_DEFAULT_MAX),
	       head = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	cp_doc_sink sink = { &b, 0 };
	cairo_surface_t *surface = NULL;
	cairo_t *cr = NULL;
	cp_gantt *g = NULL;
	size_t *order = NULL;
	char *title = NULL, *info_line = NULL, marking[COPLAN_LABEL_TEXT_MAX + 1];
	pdf p = { 0 };
	coplan_gantt_options gopts = { 0, COPLAN_DATE_NONE, COPLAN_DATE_NONE, GANTT_WIDTH };
	cp_translation *labels = NULL;
	cairo_status_t st;
	int rc;

	if ((rc = cp_translation_load(&labels, language)))
		return rc;
	p.labels = labels;
	for (int c = 0; c < N_COLS; c++)
		p.col_names[c] = cp_translate(labels, col_keys[c]);
	for (int c = 0; c < N_ACOLS; c++)
		p.acol_names[c] = cp_translate(labels, acol_keys[c]);
	if (amendment) {
		coplan_document_info plain;

		if (!info || info->amendment < 1) {
			rc = cp_error(COPLAN_EUSAGE, "an amendment document needs its number");
			goto cleanup;
		}
		plain = *info;
		plain.amendment = 0;   /* the title says which amendment it is */
		if ((rc = cp_document_info_line(&info_line, &plain, labels)))
			goto cleanup;
	} else {
		/* the annex shows the plan's year, else the year of its first placed activity */
		if (!plan->year) {
			for (size_t i = 0; i < plan->n_activities && !gopts.year; i++)
				if (plan->activities[i].start != COPLAN_DATE_NONE)
					gopts.year = coplan_date_year(plan->activities[i].start);
			if (!gopts.year) {
				rc = cp_error(COPLAN_EUSAGE, "plan has no year and no placed activity to show");
				goto cleanup;
			}
		}
		if (info && (rc = cp_document_info_line(&info_line, info, labels)))
			goto cleanup;
		if ((rc = cp_gantt_new(&g, plan, &gopts)))
			goto cleanup;
	}
	order = malloc((plan->n_activities + 1) * sizeof(*order));
	if (!order) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (size_t i = 0; i < plan->n_activities; i++)
		order[i] = i;
	if ((rc = cp_plan_sort_by_start(order, plan->n_activities, plan, 1)))
		goto cleanup;

	/* the document's title as clean UTF-8: cairo turns it into UTF-16 for the PDF's Info */
	if (amendment) {
		char number[32];
		const char *args[] = { number, plan->title && *plan->title ? plan->title
		                                                          : cp_translate(labels, "plan.title") };

		snprintf(number, sizeof(number), "%d", info->amendment);
		rc = cp_translate_fill(&head, labels, "amend.title", args, 2);
	} else {
		rc = cp_buf_puts(&head, plan->title && *plan->title ? plan->title : cp_translate(labels, "plan.title"));
	}
	if (rc)
		goto cleanup;
	title = cp_text_dup(head.data);
	if (!title) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	surface = cairo_pdf_surface_create_for_stream(cp_doc_write_buf, &sink, PAGE_W, PAGE_H);
	cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_5);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "coplan");
	cr = cairo_create(surface);
	p.plan = plan;
	p.cr = cr;
	p.gantt = g;
	p.info = info;
	p.info_line = info_line;
	p.amendment = amendment;
	p.ctx = cp_doc_pango_context(cr);
	if (!p.ctx || cairo_status(cr)) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory (cairo)");
		goto cleanup;
	}
	/* the footer at any length: pango ellipsises it to the page's width */
	rc = cp_buf_puts(&foot, title);
	for (size_t i = 0; i < plan->n_nations && !rc; i++)
		rc = cp_buf_printf(&foot, "%s%s", i ? " " EN_DASH " " : " " EM_DASH " ",
		                   cp_doc_nation_name(plan->nations[i]));
	if (!rc && info) {
		const char *ref = info->reference;

		rc = cp_buf_puts(&foot, " " EM_DASH " ");
		if (!rc)
			rc = info->version > 0 && info->reference[0]
			   ? cp_translate_fill(&foot, labels, "info.footer_ref", &ref, 1)
			   : cp_buf_puts(&foot, cp_translate(labels, "info.footer_unsaved"));
	}
	if (rc)
		goto cleanup;
	p.footer = foot.data;
	/* no marking, no document (docs/labels.md) */
	if ((rc = coplan_plan_marking(marking, sizeof(marking), plan, NULL, 0)))
		goto cleanup;
	p.marking = marking;

	/* pass one counts the pages, pass two draws them knowing "of M" */
	p.draw = 0;
	if ((rc = render(&p, order)))
		goto cleanup;
	p.pages = p.page;
	p.draw = 1;
	if ((rc = render(&p, order)))
		goto cleanup;
	cairo_destroy(cr);
	cr = NULL;
	cairo_surface_finish(surface);
	st = cairo_surface_status(surface);
	if (sink.rc || st) {
		/* the buffer's own error first: cairo loses the last write's (at finish) */
		rc = sink.rc ? sink.rc
		   : st == CAIRO_STATUS_NO_MEMORY ? cp_error(COPLAN_ENOMEM, "out of memory writing the PDF")
		   : cp_error(COPLAN_ERROR, "writing the PDF failed: %s", cairo_status_to_string(st));
		goto cleanup;
	}
	*out = cp_buf_detach(&b, len);
	rc = *out ? 0 : cp_error(COPLAN_ENOMEM, "out of memory");
cleanup:
	if (p.ctx)
		g_object_unref(p.ctx);
	cairo_destroy(cr);
	cairo_surface_destroy(surface);
	free(order);
	free(title);
	free(info_line);
	cp_gantt_free(g);
	cp_translation_free(labels);
	cp_buf_release(&foot);
	cp_buf_release(&head);
	cp_buf_release(&b);
	return rc;
}

int coplan_document_pdf(char **out, size_t *len, const coplan_plan *plan)
{
	return build(out, len, plan, NULL, NULL, NULL);
}

int coplan_document_pdf_ex(char **out, size_t *len, const coplan_plan *plan,
                           const coplan_document_options *opts)
{
	return build(out, len, plan, opts ? opts->info : NULL, NULL, opts ? opts->language : NULL);
}

int coplan_amendment_pdf(char **out, size_t *len, const coplan_amendment_document *doc)
{
	if (!doc || !doc->plan)
		return cp_error(COPLAN_EUSAGE, "an amendment document needs its plan");
	return build(out, len, doc->plan, doc->info, doc, doc->language);
}

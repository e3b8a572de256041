/* SPDX-License-Identifier: Apache-2.0 */
/* gantt.c - the plan's Gantt chart: layout, drawing with cairo and pango, SVG and PNG output. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-svg.h>
#include <fontconfig/fontconfig.h>

#include "coplan/calendar.h"
#include "coplan/document.h"
#include "coplan/label.h"
#include "coplan/marking.h"
#include "coplan/report.h"
#include "document_int.h"
#include "export_int.h"
#include "plan_sort.h"

/* Layout in pixels (user units); all whole numbers so that the height is. */
#define G_MARGIN     16
#define G_TITLE_H    34
#define G_MONTH_H    22
#define G_WEEK_H     14
#define G_LANE_H     12
#define G_BLACKOUT_H 16
#define G_ROW_H      22
#define G_BAR_H      14
#define G_GAP        14
#define G_LINE_H     19
#define G_SWATCH     12

#define G_FONT_TITLE 17.0
#define G_FONT_LABEL 11.5
#define G_FONT_AXIS  11.0
#define G_FONT_SMALL 9.0
#define G_FONT_LEGEND 11.0

/*
 * A one-line ellipsised text is cut (at a character boundary, with "…") to
 * this many characters before pango lays it out: more than the widest chart
 * shows on a line, and no megabyte-long title shaped for nothing.
 */
#define G_LINE_CHARS_MAX 4000

#define EN_DASH "\xE2\x80\x93"
#define EM_DASH "\xE2\x80\x94"

static const char *const month_full[12] = {
	"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December"
};
static const char *const month_abbr[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

/* Host colours in the order of the plan's parties, then other hosts: distinct in print and for colour-blind readers. */
static const cp_rgb palette[] = {
	{ 0.129, 0.400, 0.675 }, /* blue */
	{ 0.753, 0.224, 0.169 }, /* red */
	{ 0.106, 0.471, 0.216 }, /* green */
	{ 0.878, 0.510, 0.078 }, /* orange */
	{ 0.463, 0.165, 0.514 }, /* purple */
	{ 0.208, 0.592, 0.561 }, /* teal */
	{ 0.549, 0.318, 0.039 }, /* brown */
	{ 0.871, 0.467, 0.682 }, /* pink */
};

/* One nation with a colour: a party or another host. */
typedef struct {
	char nation[COPLAN_NATION_LEN];
	cp_rgb colour;
	int party;
	coplan_holiday *holidays;  /* in the period; built-in rules only */
	size_t n_holidays;
	unsigned weekend;          /* COPLAN_WEEKDAY_BIT()s: the plan's own for the nation, else CLDR's */
} g_nation;

/* A party gets a lane of its days off (weekend and holidays) when it has any. */
static int has_lane(const g_nation *n)
{
	return n->party && (n->n_holidays || n->weekend);
}

typedef enum { SW_HOST, SW_HOLIDAY, SW_HARD, SW_SOFT } g_swatch;

/* An item of the legend's first lines: a swatch and its words, placed at (x, y) relative to the legend's top. */
typedef struct {
	g_swatch kind;
	size_t nation;  /* index in nations for SW_HOST and SW_HOLIDAY */
	char *text;
	double x, y, w;
} g_item;

struct cp_gantt {
	char marking[COPLAN_LABEL_TEXT_MAX + 1]; /* what the chart holds, combined (docs/labels.md) */
	const coplan_plan *plan;
	coplan_date from, to;   /* inclusive */
	int ndays;
	int year_mode;
	double width;
	double label_w, chart_x, chart_w, day_w;
	int full_month_names;

	g_nation *nations;
	size_t n_nations;
	size_t n_lanes;         /* nations with holidays in the period: one lane each */

	size_t *rows;           /* placed activities by start, then ref */
	size_t n_rows;
	size_t *unplaced;       /* in the plan's order */
	size_t n_unplaced;
	size_t n_outside;       /* placed, but wholly outside the period: counted, not drawn */
	int any_hard, any_soft; /* kinds of blackout shown */
	size_t *blackouts;      /* blackouts touching the period, in the plan's order */
	size_t *bo_lane;        /* the blackout lane of each, so that overlapping ones stack */
	size_t n_blackouts;
	size_t n_bo_lanes;

	g_item *items;
	size_t n_items;
	double items_h;         /* height of the legend's item lines */

	double top_h;           /* margin, title, axis, lanes */
	double tail_h;          /* gap, legend, blackouts, unplaced, margin */
};

/* ---- shared text and colour helpers (declared in document_int.h) ---- */

PangoContext *cp_doc_pango_context(cairo_t *cr)
{
	PangoContext *ctx = pango_cairo_create_context(cr);
	cairo_font_options_t *fo;

	if (!ctx)
		return NULL;
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	pango_cairo_context_set_font_options(ctx, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_round_glyph_positions(ctx, FALSE);
	return ctx;
}

PangoLayout *cp_doc_layout(PangoContext *ctx, const char *text, double size, int bold,
                           double width, int wrap)
{
	PangoLayout *layout = pango_layout_new(ctx);
	PangoFontDescription *fd = pango_font_description_from_string(CP_DOC_FONT_FAMILY);
	cp_buf clean = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	int one_line = width > 0 && !wrap;

	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(layout, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
		if (wrap) {
			pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
		} else {
			pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
			pango_layout_set_single_paragraph_mode(layout, TRUE);
		}
	}
	/* pango warns of and drops malformed UTF-8: hand it clean text, one line cut to what can show */
	if (!text)
		text = "";
	if ((one_line && strlen(text) > G_LINE_CHARS_MAX) || !cp_text_is_clean(text)) {
		int rc = one_line ? cp_text_shorten(&clean, text, G_LINE_CHARS_MAX) : cp_text_puts(&clean, text);

		text = !rc && clean.data ? clean.data : "";   /* out of memory: no text rather than bad text */
	}
	pango_layout_set_text(layout, text, -1);
	cp_buf_release(&clean);
	return layout;
}

void cp_doc_layout_size(PangoLayout *layout, double *width, double *height)
{
	PangoRectangle logical;

	pango_layout_get_extents(layout, NULL, &logical);
	if (width)
		*width = (double)logical.width / PANGO_SCALE;
	if (height)
		*height = (double)logical.height / PANGO_SCALE;
}

void cp_doc_show(cairo_t *cr, PangoContext *ctx, PangoLayout *layout, double x, double y)
{
	pango_cairo_update_context(cr, ctx);
	pango_layout_context_changed(layout);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, layout);
}

cairo_status_t cp_doc_write_buf(void *closure, const unsigned char *data, unsigned int length)
{
	cp_doc_sink *sink = closure;

	if (!sink->rc)
		sink->rc = cp_buf_add(sink->buf, data, length);
	return !sink->rc ? CAIRO_STATUS_SUCCESS : sink->rc == COPLAN_ENOMEM ? CAIRO_STATUS_NO_MEMORY
	                                                                    : CAIRO_STATUS_WRITE_ERROR;
}

const char *cp_doc_nation_name(const char *code)
{
	const char *name = coplan_nation_name(code);

	return name ? name : code;
}

void coplan_document_shutdown(void)
{
	/* pango's default font map holds cairo fonts, which hold fontconfig patterns: in that order */
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	FcFini();
}

/* ---- layout ---- */

static double day_x(const cp_gantt *g, coplan_date d);

static cp_rgb tint(cp_rgb c, double keep)
{
	cp_rgb t = { 1 - keep + keep * c.r, 1 - keep + keep * c.g, 1 - keep + keep * c.b };
	return t;
}

static long nation_index(const cp_gantt *g, const char *nation)
{
	for (size_t i = 0; i < g->n_nations; i++)
		if (!strcmp(g->nations[i].nation, nation))
			return (long)i;
	return -1;
}

static int add_nation(cp_gantt *g, const char *nation, int party)
{
	g_nation *n;

	if (!nation[0] || nation_index(g, nation) >= 0)
		return 0;
	n = realloc(g->nations, (g->n_nations + 1) * sizeof(*n));
	if (!n)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	g->nations = n;
	n = &g->nations[g->n_nations];
	memset(n, 0, sizeof(*n));
	memcpy(n->nation, nation, strnlen(nation, 3));
	n->colour = palette[g->n_nations % CP_ARRAY_SIZE(palette)];
	n->party = party;
	g->n_nations++;
	return 0;
}

/* The holidays of a party in the period, from the built-in rules (none for other nations). */
static int load_holidays(cp_gantt *g, g_nation *n)
{
	int y1 = coplan_date_year(g->from), y2 = coplan_date_year(g->to);

	if (!coplan_holidays_builtin(n->nation))
		return 0;
	for (int y = y1; y <= y2; y++) {
		coplan_holiday *list = NULL, *grown;
		size_t count = 0;
		int rc;

		if (y < COPLAN_HOLIDAY_FIRST_YEAR || y > COPLAN_HOLIDAY_LAST_YEAR)
			continue;
		rc = coplan_holidays_list(&list, &count, n->nation, NULL, y);
		if (rc == COPLAN_ENOMEM)
			return rc;
		if (rc)
			continue; /* no rules that year: the chart shows none */
		grown = realloc(n->holidays, (n->n_holidays + count + 1) * sizeof(*grown));
		if (!grown) {
			free(list);
			return cp_error(COPLAN_ENOMEM, "out of memory");
		}
		n->holidays = grown;
		for (size_t i = 0; i < count; i++)
			if (list[i].date >= g->from && list[i].date <= g->to)
				n->holidays[n->n_holidays++] = list[i];
		free(list);
	}
	return 0;
}

static int check_options(cp_gantt *g, const coplan_plan *plan, const coplan_gantt_options *opts)
{
	coplan_gantt_options def = { 0, COPLAN_DATE_NONE, COPLAN_DATE_NONE, 0 };
	int year;

	if (!opts)
		opts = &def;
	g->width = opts->width ? opts->width : COPLAN_GANTT_DEFAULT_WIDTH;
	if (opts->width && (opts->width < COPLAN_GANTT_MIN_WIDTH || opts->width > COPLAN_GANTT_MAX_WIDTH))
		return cp_error(COPLAN_EUSAGE, "gantt chart width %d pixels out of range (expected %d to %d)",
		                opts->width, COPLAN_GANTT_MIN_WIDTH, COPLAN_GANTT_MAX_WIDTH);
	if ((opts->from == COPLAN_DATE_NONE) != (opts->to == COPLAN_DATE_NONE))
		return cp_error(COPLAN_EUSAGE, "gantt chart period needs both a first and a last day");
	if (opts->from != COPLAN_DATE_NONE) {
		char a[COPLAN_DATE_ISO_LEN], b[COPLAN_DATE_ISO_LEN];

		if (opts->to < opts->from)
			return cp_error(COPLAN_EUSAGE, "gantt chart period ends '%s' before it starts '%s'",
			                coplan_date_format_iso(opts->to, b), coplan_date_format_iso(opts->from, a));
		if ((long)opts->to - opts->from + 1 > COPLAN_GANTT_MAX_DAYS)
			return cp_error(COPLAN_EUSAGE, "gantt chart period of %ld days too long (at most %d)",
			                (long)opts->to - opts->from + 1, COPLAN_GANTT_MAX_DAYS);
		if (coplan_date_year(opts->from) < 1 || coplan_date_year(opts->to) > 9999)
			return cp_error(COPLAN_EUSAGE, "gantt chart period outside the years 1 to 9999");
		g->from = opts->from;
		g->to = opts->to;
		g->year_mode = 0;
	} else {
		year = opts->year ? opts->year : plan->year;
		if (year < 1 || year > 9999)
			return cp_error(COPLAN_EUSAGE, year ? "gantt chart year %d out of range (expected 1 to 9999)"
			                                    : "gantt chart needs a year: the plan has none (%d)", year);
		g->from = coplan_date_from_ymd(year, 1, 1);
		g->to = coplan_date_from_ymd(year, 12, 31);
		g->year_mode = 1;
	}
	g->ndays = (int)(g->to - g->from + 1);
	return 0;
}

/* Measure the legend's swatch items and flow them into lines across the width. */
static int layout_legend(cp_gantt *g, PangoContext *ctx)
{
	size_t cap = 2 * g->n_nations + 2;
	double x = G_MARGIN, y = 0, right = g->width - G_MARGIN;

	g->items = calloc(cap, sizeof(*g->items));
	if (!g->items)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	for (size_t k = 0; k < 4; k++) {
		for (size_t i = 0; i < (k < 2 ? g->n_nations : 1); i++) {
			g_item *it = &g->items[g->n_items];
			cp_buf text = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
			PangoLayout *l;
			double w;
			int rc;

			if (k == 1 && !has_lane(&g->nations[i]))
				continue;
			if ((k == 2 && !g->any_hard) || (k == 3 && !g->any_soft))
				continue;
			if (k < 2)
				rc = cp_text_puts(&text, cp_doc_nation_name(g->nations[i].nation));
			else
				rc = cp_buf_puts(&text, k == 2 ? "hard blackout" : "soft blackout");
			if (!rc && k == 1 && g->nations[i].n_holidays)
				rc = cp_buf_puts(&text, " public holiday");
			if (!rc && k == 1 && g->nations[i].weekend) {
				char days[64];

				rc = cp_buf_printf(&text, "%s weekend (%s)", g->nations[i].n_holidays ? "," : "",
				                   coplan_weekend_format(days, sizeof(days), g->nations[i].weekend));
			}
			it->kind = k == 0 ? SW_HOST : k == 1 ? SW_HOLIDAY : k == 2 ? SW_HARD : SW_SOFT;
			it->nation = i;
			it->text = rc ? NULL : cp_buf_detach(&text, NULL);
			cp_buf_release(&text);
			if (!it->text)
				return rc ? rc : cp_error(COPLAN_ENOMEM, "out of memory");
			l = cp_doc_layout(ctx, it->text, G_FONT_LEGEND, 0, 0, 0);
			cp_doc_layout_size(l, &w, NULL);
			g_object_unref(l);
			it->w = ceil(G_SWATCH + 6 + w);
			if (x > G_MARGIN && x + it->w > right) {
				x = G_MARGIN;
				y += G_LINE_H;
			}
			it->x = x;
			it->y = y;
			x += it->w + 22;
			g->n_items++;
		}
	}
	g->items_h = g->n_items ? y + G_LINE_H : 0;
	return 0;
}

/*
 * Put each blackout in the first lane where it clears the one before by
 * 24 pixels (room for its number), in order of first day: overlapping
 * blackouts stack instead of hiding each other.
 */
static int stack_blackouts(cp_gantt *g)
{
	double *lane_end = calloc(g->n_blackouts + 1, sizeof(*lane_end));
	size_t *order = malloc((g->n_blackouts + 1) * sizeof(*order));

	if (!lane_end || !order) {
		free(lane_end);
		free(order);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	for (size_t k = 0; k < g->n_blackouts; k++)
		order[k] = k;
	/* insertion sort by first day, stable: blackouts are few */
	for (size_t k = 1; k < g->n_blackouts; k++) {
		size_t v = order[k], j = k;

		while (j > 0 && g->plan->blackouts[g->blackouts[order[j - 1]]].from >
		                g->plan->blackouts[g->blackouts[v]].from) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = v;
	}
	for (size_t k = 0; k < g->n_blackouts; k++) {
		const coplan_blackout *b = &g->plan->blackouts[g->blackouts[order[k]]];
		double x0 = day_x(g, b->from), x1 = day_x(g, b->to + 1);
		size_t lane;

		if (x1 - x0 < 24)
			x1 = x0 + 24;
		for (lane = 0; lane < g->n_bo_lanes && lane_end[lane] > x0; lane++)
			;
		if (lane == g->n_bo_lanes)
			g->n_bo_lanes++;
		lane_end[lane] = x1;
		g->bo_lane[order[k]] = lane;
	}
	free(lane_end);
	free(order);
	return 0;
}

int cp_gantt_new(cp_gantt **out, const coplan_plan *plan, const coplan_gantt_options *opts)
{
	cp_gantt *g = calloc(1, sizeof(*g));
	cairo_surface_t *surface = NULL;
	cairo_t *cr = NULL;
	PangoContext *ctx = NULL;
	PangoLayout *l;
	double w;
	int rc;

	if (!g)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	g->plan = plan;
	if ((rc = check_options(g, plan, opts)))
		goto cleanup;
	/* the marking of what the chart holds: no marking, no chart */
	if ((rc = coplan_plan_marking(g->marking, sizeof(g->marking), plan, NULL, 0)))
		goto cleanup;

	/* nations: the parties in order, then other hosts as activities name them */
	for (size_t i = 0; i < plan->n_nations; i++)
		if ((rc = add_nation(g, plan->nations[i], 1)))
			goto cleanup;
	for (size_t i = 0; i < plan->n_activities; i++)
		if ((rc = add_nation(g, plan->activities[i].host, 0)))
			goto cleanup;
	for (size_t i = 0; i < g->n_nations; i++) {
		if ((rc = coplan_plan_weekend_of(&g->nations[i].weekend, plan, g->nations[i].nation)))
			goto cleanup;
		if (!g->nations[i].party)
			continue;
		if ((rc = load_holidays(g, &g->nations[i])))
			goto cleanup;
		if (has_lane(&g->nations[i]))
			g->n_lanes++;
	}

	/* rows, unplaced activities, blackouts in the period */
	g->rows = malloc((plan->n_activities + 1) * sizeof(*g->rows));
	g->unplaced = malloc((plan->n_activities + 1) * sizeof(*g->unplaced));
	g->blackouts = malloc((plan->n_blackouts + 1) * sizeof(*g->blackouts));
	g->bo_lane = calloc(plan->n_blackouts + 1, sizeof(*g->bo_lane));
	if (!g->rows || !g->unplaced || !g->blackouts || !g->bo_lane) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (size_t i = 0; i < plan->n_activities; i++) {
		const coplan_activity *a = &plan->activities[i];
		coplan_date end = a->end == COPLAN_DATE_NONE ? a->start : a->end;

		if (a->start == COPLAN_DATE_NONE)
			g->unplaced[g->n_unplaced++] = i;
		else if (end < g->from || a->start > g->to)
			g->n_outside++;
		else
			g->rows[g->n_rows++] = i;
	}
	if ((rc = cp_plan_sort_by_start(g->rows, g->n_rows, plan, 0)))
		goto cleanup;
	for (size_t i = 0; i < plan->n_blackouts; i++) {
		const coplan_blackout *b = &plan->blackouts[i];

		if (b->from != COPLAN_DATE_NONE && b->to >= g->from && b->from <= g->to) {
			g->blackouts[g->n_blackouts++] = i;
			if (b->hard)
				g->any_hard = 1;
			else
				g->any_soft = 1;
		}
	}

	/* geometry */
	g->label_w = floor(g->width * 0.27);
	if (g->label_w < 170)
		g->label_w = 170;
	if (g->label_w > 460)
		g->label_w = 460;
	g->chart_x = G_MARGIN + g->label_w;
	g->chart_w = g->width - G_MARGIN - g->chart_x;
	g->day_w = g->chart_w / g->ndays;
	if ((rc = stack_blackouts(g)))
		goto cleanup;
	surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
	cr = cairo_create(surface);
	ctx = cp_doc_pango_context(cr);
	if (cairo_status(cr) || !ctx) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory (cairo)");
		goto cleanup;
	}
	l = cp_doc_layout(ctx, "September 2024", G_FONT_AXIS, 1, 0, 0);
	cp_doc_layout_size(l, &w, NULL);
	g_object_unref(l);
	g->full_month_names = w + 8 <= g->day_w * 30;
	if ((rc = layout_legend(g, ctx)))
		goto cleanup;

	g->top_h = G_MARGIN + G_TITLE_H + G_MONTH_H + G_WEEK_H + (double)g->n_lanes * G_LANE_H +
	           (double)g->n_bo_lanes * G_BLACKOUT_H;
	g->tail_h = G_GAP + g->items_h + (double)g->n_blackouts * G_LINE_H +
	            (g->n_unplaced ? G_GAP / 2 + (double)(g->n_unplaced + 1) * G_LINE_H : 0) +
	            (g->n_outside ? G_GAP / 2 + G_LINE_H : 0) + G_MARGIN;
	if (cp_gantt_height(g) > COPLAN_GANTT_MAX_HEIGHT) {
		rc = cp_error(COPLAN_ELIMIT, "gantt chart of %zu activities would be %.0f pixels tall (at most %d)",
		              plan->n_activities, cp_gantt_height(g), COPLAN_GANTT_MAX_HEIGHT);
		goto cleanup;
	}
	rc = 0;
cleanup:
	if (ctx)
		g_object_unref(ctx);
	cairo_destroy(cr);
	cairo_surface_destroy(surface);
	if (rc) {
		cp_gantt_free(g);
		return rc;
	}
	*out = g;
	return 0;
}

void cp_gantt_free(cp_gantt *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n_nations; i++)
		free(g->nations[i].holidays);
	free(g->nations);
	for (size_t i = 0; i < g->n_items; i++)
		free(g->items[i].text);
	free(g->items);
	free(g->rows);
	free(g->unplaced);
	free(g->blackouts);
	free(g->bo_lane);
	free(g);
}

double cp_gantt_width(const cp_gantt *g)
{
	return g->width;
}

size_t cp_gantt_rows(const cp_gantt *g)
{
	return g->n_rows;
}

double cp_gantt_part_height(const cp_gantt *g, size_t row_from, size_t row_to, int tail)
{
	size_t n = row_to > row_from ? row_to - row_from : 0;

	if (g->n_rows == 0)
		n = 1; /* the "no activity placed" line */
	return g->top_h + (double)n * G_ROW_H + (tail ? g->tail_h : G_MARGIN);
}

double cp_gantt_height(const cp_gantt *g)
{
	return cp_gantt_part_height(g, 0, g->n_rows, 1);
}

/* ---- drawing ---- */

/* x of the left edge of day d, clamped to the chart. */
static double day_x(const cp_gantt *g, coplan_date d)
{
	double off = (double)(d - g->from);

	if (off < 0)
		off = 0;
	if (off > g->ndays)
		off = g->ndays;
	return g->chart_x + off * g->day_w;
}

static void set_rgb(cairo_t *cr, cp_rgb c)
{
	cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

static void hatch(cairo_t *cr, double x, double y, double w, double h, int hard)
{
	double step = hard ? 5 : 8;

	if (w <= 0 || h <= 0)
		return;
	cairo_save(cr);
	cairo_rectangle(cr, x, y, w, h);
	cairo_clip(cr);
	cairo_set_source_rgba(cr, 0.35, 0.35, 0.35, hard ? 0.16 : 0.07);
	cairo_paint(cr);
	cairo_set_source_rgba(cr, 0.3, 0.3, 0.3, hard ? 0.75 : 0.45);
	cairo_set_line_width(cr, hard ? 1.0 : 0.8);
	/* lines at 45 degrees, anchored to whole multiples of step so adjacent bands line up */
	for (double k = floor((x - h) / step) * step; k < x + w; k += step) {
		cairo_move_to(cr, k, y + h);
		cairo_line_to(cr, k + h, y);
	}
	cairo_stroke(cr);
	cairo_restore(cr);
}

static void swatch(cairo_t *cr, const cp_gantt *g, const g_item *it, double top)
{
	double x = it->x, y = top + it->y + (G_LINE_H - G_SWATCH) / 2.0;

	switch (it->kind) {
	case SW_HOST:
		set_rgb(cr, g->nations[it->nation].colour);
		cairo_rectangle(cr, x, y, G_SWATCH, G_SWATCH);
		cairo_fill(cr);
		break;
	case SW_HOLIDAY:
		set_rgb(cr, tint(g->nations[it->nation].colour, 0.35));
		cairo_rectangle(cr, x, y, G_SWATCH, G_SWATCH);
		cairo_fill(cr);
		set_rgb(cr, g->nations[it->nation].colour);
		cairo_rectangle(cr, x + G_SWATCH / 2.0 - 1, y, 2, G_SWATCH);
		cairo_fill(cr);
		break;
	case SW_HARD:
	case SW_SOFT:
		hatch(cr, x, y, G_SWATCH, G_SWATCH, it->kind == SW_HARD);
		cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
		cairo_set_line_width(cr, 0.8);
		cairo_rectangle(cr, x + 0.4, y + 0.4, G_SWATCH - 0.8, G_SWATCH - 0.8);
		cairo_stroke(cr);
		break;
	}
}

/* Text at (x, y) top-left, ellipsised to width when width > 0; returns its width. */
static double text(cairo_t *cr, PangoContext *ctx, const char *s, double size, int bold,
                   double x, double y, double width, cp_rgb colour)
{
	PangoLayout *l = cp_doc_layout(ctx, s, size, bold, width, 0);
	double w;

	cp_doc_layout_size(l, &w, NULL);
	set_rgb(cr, colour);
	cp_doc_show(cr, ctx, l, x, y);
	g_object_unref(l);
	return w;
}

/* The width of s set in one line, in user units. */
static double text_width(PangoContext *ctx, const char *s, double size, int bold)
{
	PangoLayout *l = cp_doc_layout(ctx, s, size, bold, 0, 0);
	double w;

	cp_doc_layout_size(l, &w, NULL);
	g_object_unref(l);
	return w;
}

/* Text centred in the box x..x+w, vertically in y..y+h; left out if it does not fit. */
static void text_centred(cairo_t *cr, PangoContext *ctx, const char *s, double size, int bold,
                         double x, double y, double w, double h, cp_rgb colour)
{
	PangoLayout *l = cp_doc_layout(ctx, s, size, bold, 0, 0);
	double tw, th;

	cp_doc_layout_size(l, &tw, &th);
	if (tw + 2 <= w) {
		set_rgb(cr, colour);
		cp_doc_show(cr, ctx, l, x + (w - tw) / 2, y + (h - th) / 2);
	}
	g_object_unref(l);
}

static int blackout_concerns(const coplan_blackout *b, const coplan_activity *a)
{
	if (coplan_nation_valid(b->scope)) {
		if (!strcmp(a->host, b->scope))
			return 1;
		for (size_t i = 0; i < a->n_participants; i++)
			if (!strcmp(a->participants[i], b->scope))
				return 1;
		return 0;
	}
	for (size_t i = 0; i < a->n_units; i++)
		if (!strcmp(a->units[i], b->scope))
			return 1;
	return 0;
}

static const cp_rgb ink = { 0.1, 0.1, 0.1 }, grey = { 0.4, 0.4, 0.4 };

/*
 * The text of b after an append to it returned err: b's data, or "" when
 * the append failed, keeping the first error in *rc so that drawing goes on
 * and the caller reports it.
 */
static const char *text_of(const cp_buf *b, int err, int *rc)
{
	if (err && !*rc)
		*rc = err;
	return err || !b->data ? "" : b->data;
}

static void draw_axis(const cp_gantt *g, cairo_t *cr, PangoContext *ctx, double y)
{
	int y1, m1, d1, month_i = 0;
	coplan_date d;

	coplan_date_to_ymd(g->from, &y1, &m1, &d1);
	/* month columns: alternate shading, names, boundaries */
	for (int yy = y1, mm = m1;; month_i++) {
		coplan_date ms = coplan_date_from_ymd(yy, mm, 1);
		coplan_date me = coplan_date_from_ymd(yy, mm, coplan_date_days_in_month(yy, mm));
		double x0, x1;
		char name[32];

		if (ms > g->to)
			break;
		x0 = day_x(g, ms);
		x1 = day_x(g, me + 1);
		cairo_set_source_rgb(cr, month_i % 2 ? 0.93 : 0.88, month_i % 2 ? 0.94 : 0.90,
		                     month_i % 2 ? 0.96 : 0.93);
		cairo_rectangle(cr, x0, y, x1 - x0, G_MONTH_H);
		cairo_fill(cr);
		if (!g->year_mode && (month_i == 0 || mm == 1))
			snprintf(name, sizeof(name), "%s %d", g->full_month_names ? month_full[mm - 1]
			                                                        : month_abbr[mm - 1], yy);
		else
			snprintf(name, sizeof(name), "%s", g->full_month_names ? month_full[mm - 1]
			                                                      : month_abbr[mm - 1]);
		text_centred(cr, ctx, name, G_FONT_AXIS, 1, x0, y, x1 - x0, G_MONTH_H, ink);
		if (++mm > 12) {
			mm = 1;
			yy++;
		}
	}
	/* week ticks on Mondays, with the day of the month when there is room */
	cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
	cairo_set_line_width(cr, 1);
	for (d = g->from; d <= g->to; d++) {
		int wd = coplan_date_weekday(d), day;
		char num[8];
		double x;

		if (wd != 1)
			continue;
		x = floor(day_x(g, d)) + 0.5;
		cairo_move_to(cr, x, y + G_MONTH_H);
		cairo_line_to(cr, x, y + G_MONTH_H + 4);
		cairo_stroke(cr);
		if (g->day_w * 7 >= 16) {
			coplan_date_to_ymd(d, NULL, NULL, &day);
			snprintf(num, sizeof(num), "%d", day);
			text(cr, ctx, num, G_FONT_SMALL - 1, 0, x + 1.5, y + G_MONTH_H + 2.5, 0, grey);
			cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
		}
	}
}

int cp_gantt_draw(const cp_gantt *g, cairo_t *cr, size_t row_from, size_t row_to, int tail)
{
	const coplan_plan *plan = g->plan;
	PangoContext *ctx = cp_doc_pango_context(cr);
	double height = cp_gantt_part_height(g, row_from, row_to, tail);
	double y, rows_y, rows_h, lanes_y, x;
	size_t n_rows;
	cp_buf buf = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	char range[64];
	int rc = 0;

	if (!ctx)
		return cp_error(COPLAN_ENOMEM, "out of memory (pango)");
	if (row_to > g->n_rows)
		row_to = g->n_rows;
	if (row_from > row_to)
		row_from = row_to;
	n_rows = g->n_rows ? row_to - row_from : 1;

	cairo_save(cr);
	cairo_rectangle(cr, 0, 0, g->width, height);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_fill(cr);

	/* the marking, centred in the top margin (docs/labels.md) */
	{
		double mw = text_width(ctx, g->marking, G_FONT_SMALL, 1);

		text(cr, ctx, g->marking, G_FONT_SMALL, 1, fmax((g->width - mw) / 2, G_MARGIN), 2,
		     g->width - 2 * G_MARGIN, ink);
	}

	/* title: plan, parties, period */
	y = G_MARGIN;
	{
		int err = cp_buf_puts(&buf, plan->title && *plan->title ? plan->title : "Cooperation plan");
		double rw;

		for (size_t i = 0; i < plan->n_nations && !err; i++)
			err = cp_buf_printf(&buf, "%s%s", i ? EN_DASH : " " EM_DASH " ",
			                    cp_doc_nation_name(plan->nations[i]));
		coplan_report_date_range(range, sizeof(range), g->from, g->to);
		rw = text_width(ctx, range, G_FONT_AXIS, 0);
		text(cr, ctx, range, G_FONT_AXIS, 0, g->width - G_MARGIN - rw, y + 5, 0, grey);
		text(cr, ctx, text_of(&buf, err, &rc), G_FONT_TITLE, 1, G_MARGIN, y,
		     g->width - 3 * G_MARGIN - rw, ink);
	}
	y += G_TITLE_H;

	draw_axis(g, cr, ctx, y);
	y += G_MONTH_H + G_WEEK_H;

	/* holiday lanes: one per party, a tick per holiday in the party's colour */
	lanes_y = y;
	for (size_t i = 0; i < g->n_nations; i++) {
		const g_nation *n = &g->nations[i];

		if (!has_lane(n))
			continue;
		cp_buf_clear(&buf);
		text(cr, ctx, text_of(&buf, cp_buf_printf(&buf, "%s %s", cp_doc_nation_name(n->nation),
		                                          n->n_holidays ? "holidays" : "weekend"), &rc),
		     G_FONT_SMALL, 0, G_MARGIN, y - 0.5, g->label_w - 8, grey);
		set_rgb(cr, tint(n->colour, 0.18));
		cairo_rectangle(cr, g->chart_x, y + 2, g->chart_w, G_LANE_H - 4);
		cairo_fill(cr);
		/* the nation's weekend days, lighter than its holidays */
		set_rgb(cr, tint(n->colour, 0.45));
		for (coplan_date d = g->from; d <= g->to; d++)
			if (n->weekend & COPLAN_WEEKDAY_BIT(coplan_date_weekday(d)))
				cairo_rectangle(cr, day_x(g, d), y + 2, fmax(day_x(g, d + 1) - day_x(g, d), 1),
				                G_LANE_H - 4);
		cairo_fill(cr);
		set_rgb(cr, n->colour);
		for (size_t h = 0; h < n->n_holidays; h++) {
			double x0 = day_x(g, n->holidays[h].date), x1 = day_x(g, n->holidays[h].date + 1);

			cairo_rectangle(cr, x0, y + 2, fmax(x1 - x0, 1.5), G_LANE_H - 4);
		}
		cairo_fill(cr);
		y += G_LANE_H;
	}

	/* blackout lane: each blackout hatched and numbered */
	if (g->n_blackouts) {
		text(cr, ctx, "Blackouts", G_FONT_SMALL, 0, G_MARGIN, y + 1, g->label_w - 8, grey);
		for (size_t k = 0; k < g->n_blackouts; k++) {
			const coplan_blackout *b = &plan->blackouts[g->blackouts[k]];
			double x0 = day_x(g, b->from), x1 = day_x(g, b->to + 1);
			double ly = y + (double)g->bo_lane[k] * G_BLACKOUT_H;

			char num[32];

			hatch(cr, x0, ly + 1, x1 - x0, G_BLACKOUT_H - 2, b->hard);
			snprintf(num, sizeof(num), "B%zu", k + 1);   /* ASCII digits: always fits */
			/* the number on a white patch so that the hatching does not hide it */
			{
				double tw = text_width(ctx, num, G_FONT_SMALL, 1), cx = x0 + (x1 - x0 - tw) / 2;

				if (tw + 2 > x1 - x0) /* too narrow: beside it, after or else before */
					cx = x1 + 3 + tw <= g->chart_x + g->chart_w ? x1 + 3 : x0 - tw - 3;
				cairo_set_source_rgb(cr, 1, 1, 1);
				cairo_rectangle(cr, cx - 1.5, ly + 2.5, tw + 3, G_BLACKOUT_H - 5);
				cairo_fill(cr);
				text(cr, ctx, num, G_FONT_SMALL, 1, cx, ly + (G_BLACKOUT_H - 13) / 2.0, 0, ink);
			}
		}
		y += (double)g->n_bo_lanes * G_BLACKOUT_H;
	}
	(void)lanes_y;

	/* rows: stripes, holiday bands, grid, blackouts, bars, labels */
	rows_y = y;
	rows_h = (double)n_rows * G_ROW_H;
	for (size_t r = 0; r < n_rows; r++) {
		if ((row_from + r) % 2)
			continue;
		cairo_set_source_rgb(cr, 0.965, 0.965, 0.97);
		cairo_rectangle(cr, G_MARGIN, rows_y + (double)r * G_ROW_H, g->width - 2 * G_MARGIN, G_ROW_H);
		cairo_fill(cr);
	}
	/* each party's weekend, faint in its colour (a day two parties share shows the later one's) */
	for (size_t i = 0; i < g->n_nations && g->day_w >= 2; i++) {
		const g_nation *n = &g->nations[i];

		if (!n->party || !n->weekend)
			continue;
		set_rgb(cr, tint(n->colour, 0.08));
		for (coplan_date d = g->from; d <= g->to; d++)
			if (n->weekend & COPLAN_WEEKDAY_BIT(coplan_date_weekday(d)))
				cairo_rectangle(cr, day_x(g, d), rows_y, day_x(g, d + 1) - day_x(g, d), rows_h);
		cairo_fill(cr);
	}
	for (size_t i = 0; i < g->n_nations; i++) {
		const g_nation *n = &g->nations[i];
		cp_rgb t = tint(n->colour, 0.3);

		cairo_set_source_rgba(cr, t.r, t.g, t.b, 0.75);
		for (size_t h = 0; h < n->n_holidays; h++) {
			double x0 = day_x(g, n->holidays[h].date), x1 = day_x(g, n->holidays[h].date + 1);

			cairo_rectangle(cr, x0, rows_y, fmax(x1 - x0, 1.5), rows_h);
		}
		cairo_fill(cr);
	}
	/* Mondays faint, month boundaries stronger */
	cairo_set_line_width(cr, 1);
	if (g->day_w * 7 >= 6) {
		cairo_set_source_rgb(cr, 0.88, 0.88, 0.9);
		for (coplan_date d = g->from; d <= g->to; d++) {
			if (coplan_date_weekday(d) != 1)
				continue;
			x = floor(day_x(g, d)) + 0.5;
			cairo_move_to(cr, x, rows_y);
			cairo_line_to(cr, x, rows_y + rows_h);
		}
		cairo_stroke(cr);
	}
	cairo_set_source_rgb(cr, 0.62, 0.64, 0.68);
	for (coplan_date d = g->from; d <= g->to + 1; d++) {
		int day;

		coplan_date_to_ymd(d, NULL, NULL, &day);
		if (day != 1 && d != g->from && d != g->to + 1)
			continue;
		x = floor(day_x(g, d)) + 0.5;
		cairo_move_to(cr, x, rows_y - (double)g->n_bo_lanes * G_BLACKOUT_H - (double)g->n_lanes * G_LANE_H);
		cairo_line_to(cr, x, rows_y + rows_h);
	}
	cairo_stroke(cr);

	if (!g->n_rows)
		text(cr, ctx, g->n_outside ? "No activity in this period" : "No activity placed yet",
		     G_FONT_LABEL, 0, G_MARGIN + 4, rows_y + 3, g->label_w, grey);
	for (size_t r = row_from; r < row_to; r++) {
		const coplan_activity *a = &plan->activities[g->rows[r]];
		double ry = rows_y + (double)(r - row_from) * G_ROW_H, x0, x1;
		long ni = nation_index(g, a->host);
		cp_rgb c = ni >= 0 ? g->nations[ni].colour : grey;
		PangoLayout *l;
		PangoAttrList *attrs;
		PangoAttribute *bold;
		size_t reflen, shown;
		int err;

		for (size_t k = 0; k < g->n_blackouts; k++) {
			const coplan_blackout *b = &plan->blackouts[g->blackouts[k]];

			if (blackout_concerns(b, a))
				hatch(cr, day_x(g, b->from), ry + 1, day_x(g, b->to + 1) - day_x(g, b->from),
				      G_ROW_H - 2, b->hard);
		}
		/* label: the ref in bold, the title ellipsised; clean here so that the ref's length is the bold run's */
		cp_buf_clear(&buf);
		err = cp_text_puts(&buf, a->ref);
		reflen = buf.len;
		if (!err)
			err = cp_buf_puts(&buf, "  ");
		if (!err)
			err = cp_text_puts(&buf, a->title);
		if (!err)
			err = cp_buf_puts(&buf, a->status == COPLAN_STATUS_CANCELLED ? " (cancelled)" :
			                        a->status == COPLAN_STATUS_POSTPONED ? " (postponed)" : "");
		l = cp_doc_layout(ctx, text_of(&buf, err, &rc), G_FONT_LABEL, 0, g->label_w - 10, 0);
		shown = strlen(pango_layout_get_text(l));   /* shorter when cut to G_LINE_CHARS_MAX */
		attrs = pango_attr_list_new();
		bold = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
		bold->start_index = 0;
		bold->end_index = (guint)(err ? 0 : reflen < shown ? reflen : shown);
		pango_attr_list_insert(attrs, bold);
		pango_layout_set_attributes(l, attrs);
		pango_attr_list_unref(attrs);
		set_rgb(cr, a->status == COPLAN_STATUS_CANCELLED ? grey : ink);
		cp_doc_show(cr, ctx, l, G_MARGIN + 4, ry + 3);
		g_object_unref(l);

		if (a->end < g->from || a->start > g->to)
			continue; /* outside the period: the label alone */
		x0 = day_x(g, a->start);
		x1 = day_x(g, (a->end == COPLAN_DATE_NONE ? a->start : a->end) + 1);
		if (x1 - x0 < 2)
			x1 = x0 + 2;
		cairo_rectangle(cr, x0, ry + (G_ROW_H - G_BAR_H) / 2.0, x1 - x0, G_BAR_H);
		if (a->status == COPLAN_STATUS_CANCELLED) {
			static const double dash[] = { 3, 2 };

			set_rgb(cr, c);
			cairo_set_line_width(cr, 1.2);
			cairo_set_dash(cr, dash, 2, 0);
			cairo_stroke(cr);
			cairo_set_dash(cr, NULL, 0, 0);
		} else {
			if (a->status == COPLAN_STATUS_PLANNED || a->status == COPLAN_STATUS_POSTPONED)
				set_rgb(cr, tint(c, 0.8));
			else
				set_rgb(cr, c);
			cairo_fill(cr);
			/* a working-day activity does not run on its host's weekend: those days paler */
			if (a->day_mode == COPLAN_DAYS_WORKING && ni >= 0 && g->nations[ni].weekend &&
			    g->day_w >= 2 && a->end != COPLAN_DATE_NONE) {
				set_rgb(cr, tint(c, 0.35));
				for (coplan_date d = a->start > g->from ? a->start : g->from;
				     d <= a->end && d <= g->to; d++)
					if (g->nations[ni].weekend & COPLAN_WEEKDAY_BIT(coplan_date_weekday(d)))
						cairo_rectangle(cr, day_x(g, d), ry + (G_ROW_H - G_BAR_H) / 2.0,
						                day_x(g, d + 1) - day_x(g, d), G_BAR_H);
				cairo_fill(cr);
			}
		}
	}
	y = rows_y + rows_h;
	cairo_set_source_rgb(cr, 0.62, 0.64, 0.68);
	cairo_move_to(cr, G_MARGIN, floor(y) + 0.5);
	cairo_line_to(cr, g->width - G_MARGIN, floor(y) + 0.5);
	cairo_stroke(cr);

	if (tail) {
		y += G_GAP;
		for (size_t i = 0; i < g->n_items; i++) {
			swatch(cr, g, &g->items[i], y);
			text(cr, ctx, g->items[i].text, G_FONT_LEGEND, 0, g->items[i].x + G_SWATCH + 6,
			     y + g->items[i].y + 2, 0, ink);
		}
		y += g->items_h;
		for (size_t k = 0; k < g->n_blackouts; k++) {
			const coplan_blackout *b = &plan->blackouts[g->blackouts[k]];
			double w;

			char num[32];

			snprintf(num, sizeof(num), "B%zu", k + 1);   /* ASCII digits: always fits */
			w = text(cr, ctx, num, G_FONT_LEGEND, 1, G_MARGIN, y + 2, 0, ink);
			cp_buf_clear(&buf);
			text(cr, ctx, text_of(&buf, cp_buf_printf(&buf, "%s " EM_DASH " %s, %s, %s",
			                      b->reason && *b->reason ? b->reason : "blackout",
			                      coplan_nation_valid(b->scope) ? cp_doc_nation_name(b->scope)
			                                                    : b->scope ? b->scope : "",
			                      coplan_report_date_range(range, sizeof(range), b->from, b->to),
			                      b->hard ? "hard" : "soft"), &rc),
			     G_FONT_LEGEND, 0, G_MARGIN + fmax(w + 8, 30), y + 2,
			     g->width - 2 * G_MARGIN - 30, ink);
			y += G_LINE_H;
		}
		if (g->n_unplaced) {
			y += G_GAP / 2;
			cp_buf_clear(&buf);
			text(cr, ctx, text_of(&buf, cp_buf_printf(&buf, "Not scheduled (%zu)", g->n_unplaced), &rc),
			     G_FONT_LEGEND, 1, G_MARGIN, y + 2, 0, ink);
			y += G_LINE_H;
			for (size_t k = 0; k < g->n_unplaced; k++) {
				const coplan_activity *a = &plan->activities[g->unplaced[k]];

				cp_buf_clear(&buf);
				text(cr, ctx, text_of(&buf, cp_buf_printf(&buf, "%s  %s (%s)%s%s", a->ref ? a->ref : "",
				                      a->title ? a->title : "", cp_doc_nation_name(a->host),
				                      a->unplaced_reason && *a->unplaced_reason ? ": " : "",
				                      a->unplaced_reason ? a->unplaced_reason : ""), &rc),
				     G_FONT_LEGEND, 0, G_MARGIN + 12, y + 2,
				     g->width - 2 * G_MARGIN - 12, ink);
				y += G_LINE_H;
			}
		}
		if (g->n_outside) {
			y += G_GAP / 2;
			cp_buf_clear(&buf);
			text(cr, ctx, text_of(&buf, cp_buf_printf(&buf, "%zu placed %s outside %s, not shown",
			                      g->n_outside, g->n_outside == 1 ? "activity falls" : "activities fall",
			                      coplan_report_date_range(range, sizeof(range), g->from, g->to)), &rc),
			     G_FONT_LEGEND, 0, G_MARGIN, y + 2, g->width - 2 * G_MARGIN, grey);
			y += G_LINE_H;
		}
	}
	cairo_restore(cr);
	g_object_unref(ctx);
	cp_buf_release(&buf);
	return rc;
}

/* ---- public API ---- */

int coplan_gantt_measure(int *width, int *height, const coplan_plan *plan,
                         const coplan_gantt_options *opts)
{
	cp_gantt *g = NULL;
	int rc = cp_gantt_new(&g, plan, opts);

	if (rc)
		return rc;
	if (width)
		*width = (int)cp_gantt_width(g);
	if (height)
		*height = (int)ceil(cp_gantt_height(g));
	cp_gantt_free(g);
	return 0;
}

static int surface_failed(cairo_surface_t *surface, cairo_t *cr, const char *what)
{
	cairo_status_t st = cr ? cairo_status(cr) : CAIRO_STATUS_SUCCESS;

	if (!st)
		st = cairo_surface_status(surface);
	if (!st)
		return 0;
	if (st == CAIRO_STATUS_NO_MEMORY)
		return cp_error(COPLAN_ENOMEM, "out of memory drawing the %s", what);
	return cp_error(COPLAN_ERROR, "drawing the %s failed: %s", what, cairo_status_to_string(st));
}

int coplan_gantt_png(char **out, size_t *len, const coplan_plan *plan,
                     const coplan_gantt_options *opts)
{
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	cp_doc_sink sink = { &b, 0 };
	cp_gantt *g = NULL;
	cairo_surface_t *surface = NULL;
	cairo_t *cr = NULL;
	int rc;

	if ((rc = cp_gantt_new(&g, plan, opts)))
		goto cleanup;
	surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)g->width,
	                                     (int)ceil(cp_gantt_height(g)));
	cr = cairo_create(surface);
	if ((rc = surface_failed(surface, cr, "gantt chart")))
		goto cleanup;
	if ((rc = cp_gantt_draw(g, cr, 0, g->n_rows, 1)))
		goto cleanup;
	cairo_destroy(cr);
	cr = NULL;
	cairo_surface_flush(surface);
	if (cairo_surface_write_to_png_stream(surface, cp_doc_write_buf, &sink) || sink.rc) {
		rc = sink.rc ? sink.rc : cp_error(COPLAN_ERROR, "writing the gantt chart as PNG failed");
		goto cleanup;
	}
	*out = cp_buf_detach(&b, len);
	rc = *out ? 0 : cp_error(COPLAN_ENOMEM, "out of memory");
cleanup:
	cairo_destroy(cr);
	cairo_surface_destroy(surface);
	cp_gantt_free(g);
	cp_buf_release(&b);
	return rc;
}

/* An invisible rectangle carrying title as a tooltip: the SVG's searchable, accessible text. */
static int svg_hotspot(cp_buf *b, double x, double y, double w, double h, const char *cls,
                       const char *title)
{
	int rc = cp_buf_printf(b, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
	                          "<title>", cls, x, y, w > 1 ? w : 1, h);

	if (!rc)
		rc = cp_xml_escape(b, title);
	return rc ? rc : cp_buf_puts(b, "</title></rect>\n");
}

/* The overlay of hotspots, in the geometry cp_gantt_draw() used for the whole chart. */
static int svg_overlay(cp_buf *b, const cp_gantt *g)
{
	const coplan_plan *plan = g->plan;
	cp_buf t = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	char range[64];
	double y = G_MARGIN + G_TITLE_H + G_MONTH_H + G_WEEK_H, rows_y, tail_y;
	int rc;

	rc = cp_buf_puts(b, "<g id=\"coplan-hotspots\" fill=\"#000\" fill-opacity=\"0\" stroke=\"none\">\n");
	for (size_t i = 0; i < g->n_nations && !rc; i++) {
		const g_nation *n = &g->nations[i];

		for (size_t h = 0; h < n->n_holidays && !rc; h++) {
			char date[64];

			coplan_report_date_range(date, sizeof(date), n->holidays[h].date, n->holidays[h].date);
			cp_buf_clear(&t);
			rc = cp_buf_printf(&t, "%s: %s, %s (%s)", cp_doc_nation_name(n->nation),
			                   date, n->holidays[h].local_name ? n->holidays[h].local_name : "",
			                   n->holidays[h].english_name ? n->holidays[h].english_name : "");
			if (!rc)
				rc = svg_hotspot(b, day_x(g, n->holidays[h].date), y, g->day_w, G_LANE_H, "holiday",
				                 t.data);
		}
		if (has_lane(n))
			y += G_LANE_H;
	}
	for (size_t k = 0; k < g->n_blackouts && !rc; k++) {
		const coplan_blackout *bo = &plan->blackouts[g->blackouts[k]];
		double x0 = day_x(g, bo->from), x1 = day_x(g, bo->to + 1);

		cp_buf_clear(&t);
		rc = cp_buf_printf(&t, "B%zu %s " EM_DASH " %s, %s, %s", k + 1,
		                   bo->reason && *bo->reason ? bo->reason : "blackout",
		                   coplan_nation_valid(bo->scope) ? cp_doc_nation_name(bo->scope)
		                                                  : bo->scope ? bo->scope : "",
		                   coplan_report_date_range(range, sizeof(range), bo->from, bo->to),
		                   bo->hard ? "hard" : "soft");
		if (!rc)
			rc = svg_hotspot(b, x0, y + (double)g->bo_lane[k] * G_BLACKOUT_H, x1 - x0, G_BLACKOUT_H,
			                 "blackout", t.data);
	}
	y += (double)g->n_bo_lanes * G_BLACKOUT_H;
	rows_y = y;
	for (size_t r = 0; r < g->n_rows && !rc; r++) {
		const coplan_activity *a = &plan->activities[g->rows[r]];

		cp_buf_clear(&t);
		rc = cp_buf_printf(&t, "%s %s " EM_DASH " %s, %s, %s", a->ref ? a->ref : "",
		                   a->title ? a->title : "", cp_doc_nation_name(a->host),
		                   coplan_report_date_range(range, sizeof(range), a->start, a->end),
		                   coplan_activity_status_name(a->status));
		if (!rc)
			rc = svg_hotspot(b, G_MARGIN, rows_y + (double)r * G_ROW_H, g->width - 2 * G_MARGIN,
			                 G_ROW_H, "activity", t.data);
	}
	tail_y = rows_y + (double)(g->n_rows ? g->n_rows : 1) * G_ROW_H + G_GAP;
	for (size_t i = 0; i < g->n_items && !rc; i++) {
		const g_item *it = &g->items[i];

		rc = svg_hotspot(b, it->x, tail_y + it->y, it->w, G_LINE_H, "legend", it->text);
	}
	y = tail_y + g->items_h + (double)g->n_blackouts * G_LINE_H;
	if (g->n_unplaced)
		y += G_GAP / 2 + G_LINE_H;
	for (size_t k = 0; k < g->n_unplaced && !rc; k++) {
		const coplan_activity *a = &plan->activities[g->unplaced[k]];

		cp_buf_clear(&t);
		rc = cp_buf_printf(&t, "%s %s " EM_DASH " %s, not scheduled%s%s",
		                   a->ref ? a->ref : "", a->title ? a->title : "", cp_doc_nation_name(a->host),
		                   a->unplaced_reason && *a->unplaced_reason ? ": " : "",
		                   a->unplaced_reason ? a->unplaced_reason : "");
		if (!rc)
			rc = svg_hotspot(b, G_MARGIN, y + (double)k * G_LINE_H, g->width - 2 * G_MARGIN,
			                 G_LINE_H, "unplaced", t.data);
	}
	cp_buf_release(&t);
	return rc ? rc : cp_buf_puts(b, "</g>\n");
}

/*
 * Copy start..end to b, renaming cairo's <g id="surfaceN">: N counts the
 * surfaces the process has made, so the same chart would differ from one
 * call to the next.
 */
static int copy_renaming_surface(cp_buf *b, const char *start, const char *end)
{
	static const char tag[] = "<g id=\"surface";
	const char *hit = strstr(start, tag), *after;
	int rc;

	if (!hit || hit >= end)
		return cp_buf_add(b, start, (size_t)(end - start));
	after = hit + sizeof(tag) - 1;
	while (*after >= '0' && *after <= '9')
		after++;
	rc = cp_buf_add(b, start, (size_t)(hit - start));
	if (!rc)
		rc = cp_buf_puts(b, "<g id=\"coplan-chart");
	return rc ? rc : cp_buf_add(b, after, (size_t)(end - after));
}

int coplan_gantt_svg(char **out, size_t *len, const coplan_plan *plan,
                     const coplan_gantt_options *opts)
{
	cp_buf raw = CP_BUF_INIT(CP_BUF_DEFAULT_MAX), b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	cp_doc_sink sink = { &raw, 0 };
	cp_gantt *g = NULL;
	cairo_surface_t *surface = NULL;
	cairo_t *cr = NULL;
	char *root, *open_end, *close;
	int rc;

	if ((rc = cp_gantt_new(&g, plan, opts)))
		goto cleanup;
	surface = cairo_svg_surface_create_for_stream(cp_doc_write_buf, &sink, g->width,
	                                              ceil(cp_gantt_height(g)));
	cairo_svg_surface_restrict_to_version(surface, CAIRO_SVG_VERSION_1_1);
	cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PX);
	cr = cairo_create(surface);
	if ((rc = surface_failed(surface, cr, "gantt chart")))
		goto cleanup;
	if ((rc = cp_gantt_draw(g, cr, 0, g->n_rows, 1)))
		goto cleanup;
	cairo_destroy(cr);
	cr = NULL;
	cairo_surface_finish(surface);
	if (sink.rc || (rc = surface_failed(surface, NULL, "gantt chart"))) {
		if (sink.rc)
			rc = sink.rc;   /* the buffer's own error: out of memory, or over its limit */
		goto cleanup;
	}

	/* splice a <title> after the root element's start tag and the hotspots before its end */
	root = raw.data ? strstr(raw.data, "<svg") : NULL;
	open_end = root ? strchr(root, '>') : NULL;
	close = raw.data ? strstr(raw.data, "</svg>") : NULL;
	if (!open_end || !close || close < open_end) {
		rc = cp_error(COPLAN_ERROR, "cairo wrote an SVG without a root element");
		goto cleanup;
	}
	open_end++;
	rc = cp_buf_add(&b, raw.data, (size_t)(open_end - raw.data));
	if (!rc)
		rc = cp_buf_puts(&b, "\n<title>");
	if (!rc)
		rc = cp_xml_escape(&b, plan->title && *plan->title ? plan->title : "Cooperation plan");
	if (!rc)
		rc = cp_buf_puts(&b, " " EM_DASH " Gantt chart</title>\n<desc class=\"marking\">");
	if (!rc)
		rc = cp_xml_escape(&b, g->marking);
	if (!rc)
		rc = cp_buf_puts(&b, "</desc>\n");
	if (!rc)
		rc = copy_renaming_surface(&b, open_end, close);
	if (!rc)
		rc = svg_overlay(&b, g);
	if (!rc)
		rc = cp_buf_puts(&b, close);
	if (rc)
		goto cleanup;
	*out = cp_buf_detach(&b, len);
	rc = *out ? 0 : cp_error(COPLAN_ENOMEM, "out of memory");
cleanup:
	cairo_destroy(cr);
	cairo_surface_destroy(surface);
	cp_gantt_free(g);
	cp_buf_release(&raw);
	cp_buf_release(&b);
	return rc;
}

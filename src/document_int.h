/* SPDX-License-Identifier: Apache-2.0 */
/* document_int.h - what the document writers share: text setting, colours, the Gantt chart's layout and drawing. */
#ifndef COPLAN_DOCUMENT_INT_H
#define COPLAN_DOCUMENT_INT_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "coplan/document.h"
#include "buf.h"

/* The font family list every document uses (fonts-noto-cjk first, so Japanese renders). */
#define CP_DOC_FONT_FAMILY "Noto Sans CJK JP, Noto Sans, DejaVu Sans"

/*
 * A pango context for drawing on cr with hinting off and unrounded glyph
 * positions, so that text measures the same on image, SVG and PDF surfaces
 * and at any scale.  The caller g_object_unref()s it.  NULL when out of memory.
 */
PangoContext *cp_doc_pango_context(cairo_t *cr);

/*
 * A layout of UTF-8 text in ctx: size in user units (pixels on an image,
 * points in a PDF), bold 0 or 1; width in user units, or <= 0 for none;
 * with a width, wrap 0 ellipsises the one line at its end and wrap 1 wraps
 * at words (inside a word when it must).  text is set as clean text
 * (cp_text_clean(): malformed UTF-8 and characters XML cannot carry become
 * U+FFFD, so pango never warns), and an ellipsised line is first cut at a
 * character boundary, with "…", to a few thousand characters.  NULL text is
 * "".  The caller g_object_unref()s it.
 */
PangoLayout *cp_doc_layout(PangoContext *ctx, const char *text, double size, int bold,
                           double width, int wrap);

/* Width and height of a layout, in user units. */
void cp_doc_layout_size(PangoLayout *layout, double *width, double *height);

/* Draw layout with its top-left corner at (x, y) in cr's user units. */
void cp_doc_show(cairo_t *cr, PangoContext *ctx, PangoLayout *layout, double x, double y);

/* An RGB colour, components 0-1. */
typedef struct {
	double r, g, b;
} cp_rgb;

/* Where cairo writes a document: a buffer, and the first error appending to it. */
typedef struct {
	cp_buf *buf;
	int rc;                /* 0, or the error code of the first failed append */
} cp_doc_sink;

/*
 * cairo write callback appending to the cp_doc_sink closure; a failed append
 * is reported to cairo (CAIRO_STATUS_NO_MEMORY for COPLAN_ENOMEM, else
 * CAIRO_STATUS_WRITE_ERROR) and sticks: every later append fails too.  The
 * caller checks sink.rc after cairo is done, since cairo does not report
 * every failed write (the last one, at cairo_surface_finish(), is lost).
 */
cairo_status_t cp_doc_write_buf(void *closure, const unsigned char *data, unsigned int length);

/* "Italy" for "ITA", the code itself for a nation without an English name; static or borrowed. */
const char *cp_doc_nation_name(const char *code);

/*
 * The Gantt chart's layout for one plan and period, measured once and drawn
 * on any cairo context in its user units (pixels for PNG and SVG; the PDF
 * scales it).  Borrows the plan, which must outlive it.
 */
typedef struct cp_gantt cp_gantt;

/* Lay out plan's chart with opts (NULL: default).  Errors: as coplan_gantt_measure(). */
int cp_gantt_new(cp_gantt **out, const coplan_plan *plan, const coplan_gantt_options *opts);

/* Free a layout; NULL is a no-op. */
void cp_gantt_free(cp_gantt *g);

/* The chart's width and full height (all rows, legend and unplaced list) in user units. */
double cp_gantt_width(const cp_gantt *g);
double cp_gantt_height(const cp_gantt *g);

/* Rows (placed activities) of the chart. */
size_t cp_gantt_rows(const cp_gantt *g);

/*
 * Height of the part of the chart with rows row_from..row_to-1 under the
 * title and the time axis, with (tail 1) or without (tail 0) the legend and
 * the unplaced list below them: for cutting the chart into pages.
 */
double cp_gantt_part_height(const cp_gantt *g, size_t row_from, size_t row_to, int tail);

/*
 * Draw that part with its top-left corner at cr's user-space origin (a
 * white background included).  Errors: COPLAN_ENOMEM.
 */
int cp_gantt_draw(const cp_gantt *g, cairo_t *cr, size_t row_from, size_t row_to, int tail);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* test_document.c - the documents: Gantt chart (PNG, SVG), the PDF to sign, the XLSX workbook. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include <cairo.h>
#include <glib.h>
#include <libxml/parser.h>
#include <zip.h>

#include "coplan/coplan.h"
#include "test_util.h"
#include "coplan/document.h"
#include "document_int.h"
#include "export_int.h"

#define JA_TITLE "日米伊共同訓練（航空自衛隊小松基地）"
#define N_ACTIVITIES 30
#define EM_DASH "\xE2\x80\x94"

static char *dup(const char *s)
{
	char *c = strdup(s);

	assert_non_null(c);
	return c;
}

/*
 * A plan like the Italy-Japan 2024 one, built in code: 30 activities (two
 * with Japanese titles, two unplaced, one cancelled), the talks with both
 * delegations, nation and unit blackouts.
 */
static coplan_plan *make_plan(size_t n)
{
	coplan_plan *plan;
	coplan_staff_talks *t;

	assert_int_equal(coplan_plan_new(&plan), 0);
	plan->title = dup("Cooperation Plan 2024");
	plan->year = 2024;
	assert_int_equal(coplan_plan_add_nation(plan, "ITA"), 0);
	assert_int_equal(coplan_plan_add_nation(plan, "JPN"), 0);
	plan->window_from = coplan_date_from_ymd(2024, 1, 15);
	plan->window_to = coplan_date_from_ymd(2024, 12, 31);
	plan->has_talks = 1;
	t = &plan->talks;
	t->series = dup("ITA-JPN");
	t->edition = 8;
	t->start = coplan_date_from_ymd(2024, 1, 10);
	t->end = coplan_date_from_ymd(2024, 1, 11);
	t->venue = dup("Rome, Italian Defence General Staff");
	t->delegations = calloc(2, sizeof(*t->delegations));
	assert_non_null(t->delegations);
	t->n_delegations = 2;
	memcpy(t->delegations[0].nation, "ITA", 4);
	t->delegations[0].head_name = dup("Brig. Gen. Alessandro Grassano");
	t->delegations[0].head_post = dup("Deputy Head, International Cooperation Department");
	memcpy(t->delegations[1].nation, "JPN", 4);
	t->delegations[1].head_name = dup("Mr Jun Miura");
	t->delegations[1].head_name_native = dup("三浦 潤");
	t->delegations[1].head_post = dup("Director General for International Affairs");

	for (size_t i = 0; i < n; i++) {
		coplan_activity *a;
		char ref[32], title[160];
		int italy = i % 3 == 0;

		assert_int_equal(coplan_plan_add_activity(plan, &a), 0);
		snprintf(ref, sizeof(ref), "%s-%02zu", italy ? "IT" : "JP", i + 1);
		a->ref = dup(ref);
		if (i == 4)
			a->title = dup(JA_TITLE);
		else if (i == 7)
			a->title = dup("防衛装備・技術協力に関する対話");
		else {
			snprintf(title, sizeof(title), "%s number %zu with a title long enough to be cut short in a chart",
			         italy ? "Visit to Italy" : "Course in Japan", i + 1);
			a->title = dup(title);
		}
		a->area = dup(i % 2 ? "training" : "strategic dialogue");
		a->kind = dup(i % 2 ? "course" : "visit");
		memcpy(a->host, italy ? "ITA" : "JPN", 4);
		assert_int_equal(coplan_activity_add_participant(a, "ITA"), 0);
		assert_int_equal(coplan_activity_add_participant(a, "JPN"), 0);
		assert_int_equal(coplan_activity_add_unit(a, i == 2 ? "ITS Cavour" : "International Cooperation Department"), 0);
		a->duration = 1 + (int)(i % 5);
		a->day_mode = i % 4 ? COPLAN_DAYS_WORKING : COPLAN_DAYS_CALENDAR;
		a->location = dup(italy ? "Rome" : "Tokyo");
		a->status = i == 9 ? COPLAN_STATUS_CANCELLED : COPLAN_STATUS_CONFIRMED;
		if (i == 11 || i == 12) {
			a->unplaced_reason = dup("no common working day before the end of the time window");
			continue;
		}
		a->start = coplan_date_from_ymd(2024, 1, 22) + (coplan_date)(i * 11);
		a->end = a->start + a->duration - 1;
	}
	assert_int_equal(coplan_plan_add_blackout(plan, "JPN", coplan_date_from_ymd(2024, 4, 27),
	                                          coplan_date_from_ymd(2024, 5, 6), 0, "Golden Week"), 0);
	assert_int_equal(coplan_plan_add_blackout(plan, "ITA", coplan_date_from_ymd(2024, 8, 10),
	                                          coplan_date_from_ymd(2024, 8, 25), 0, "August leave (Ferragosto)"), 0);
	assert_int_equal(coplan_plan_add_blackout(plan, "ITA", coplan_date_from_ymd(2024, 12, 23),
	                                          coplan_date_from_ymd(2025, 1, 6), 1, "Christmas and New Year leave"), 0);
	assert_int_equal(coplan_plan_add_blackout(plan, "ITS Cavour", coplan_date_from_ymd(2024, 1, 15),
	                                          coplan_date_from_ymd(2024, 5, 31), 1, "work-up & deployment <Indo-Pacific>"), 0);
	assert_int_equal(coplan_plan_validate(plan), 0);
	return plan;
}

/* Write a document under COPLAN_TEST_TMP/documents/ for people to look at. */
static void keep(const char *name, const char *data, size_t len)
{
	char path[1024];
	FILE *f;

	mkdir(COPLAN_TEST_TMP, 0777);
	snprintf(path, sizeof(path), "%s/documents", COPLAN_TEST_TMP);
	mkdir(path, 0777);
	snprintf(path, sizeof(path), "%s/documents/%s", COPLAN_TEST_TMP, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The PNG's IHDR width and height (the first chunk, right after the signature). */
static void png_size(const char *data, size_t len, uint32_t *w, uint32_t *h)
{
	const unsigned char *p = (const unsigned char *)data;

	assert_true(len > 33);
	assert_memory_equal(p, "\x89PNG\r\n\x1a\n", 8);
	assert_memory_equal(p + 12, "IHDR", 4);
	assert_int_equal(be32(p + 8), 13);
	*w = be32(p + 16);
	*h = be32(p + 20);
	assert_int_equal(p[24], 8); /* bit depth */
}

typedef struct {
	const char *data;
	size_t len, pos;
} reader;

static cairo_status_t read_png(void *closure, unsigned char *data, unsigned int length)
{
	reader *r = closure;

	if (r->len - r->pos < length)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, r->data + r->pos, length);
	r->pos += length;
	return CAIRO_STATUS_SUCCESS;
}

/* Pixels of the decoded PNG within 2 of the colour (r, g, b) in 0-255. */
static size_t count_colour(const char *data, size_t len, int r, int g, int b)
{
	reader rd = { data, len, 0 };
	cairo_surface_t *s = cairo_image_surface_create_from_png_stream(read_png, &rd);
	size_t n = 0;

	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	for (int y = 0; y < cairo_image_surface_get_height(s); y++) {
		const uint32_t *row = (const uint32_t *)(cairo_image_surface_get_data(s) +
		                                         (size_t)y * (size_t)cairo_image_surface_get_stride(s));

		for (int x = 0; x < cairo_image_surface_get_width(s); x++) {
			int pr = (int)(row[x] >> 16 & 0xff), pg = (int)(row[x] >> 8 & 0xff), pb = (int)(row[x] & 0xff);

			if (abs(pr - r) <= 2 && abs(pg - g) <= 2 && abs(pb - b) <= 2)
				n++;
		}
	}
	cairo_surface_destroy(s);
	return n;
}

static void test_gantt_png(void **state)
{
	coplan_plan *plan = make_plan(N_ACTIVITIES), *small = make_plan(5);
	coplan_gantt_options opts = { 0, COPLAN_DATE_NONE, COPLAN_DATE_NONE, 1200 };
	char *out = NULL, *again = NULL;
	size_t len = 0, len2 = 0;
	uint32_t w, h;
	int mw, mh, sh;

	(void)state;
	assert_int_equal(coplan_gantt_measure(&mw, &mh, plan, &opts), 0);
	assert_int_equal(coplan_gantt_png(&out, &len, plan, &opts), 0);
	png_size(out, len, &w, &h);
	assert_int_equal(w, 1200);
	assert_int_equal(mw, 1200);
	assert_int_equal(h, (uint32_t)mh);
	/* a row per placed activity: 28 rows of at least 14 pixels, far from a blank page */
	assert_true(h > 28 * 14);
	assert_int_equal(coplan_gantt_measure(NULL, &sh, small, &opts), 0);
	assert_true(sh < mh);

	/* bars in the hosts' colours: party 1 blue, party 2 red (confirmed activities: full colour) */
	assert_true(count_colour(out, len, 33, 102, 172) > 200);
	assert_true(count_colour(out, len, 192, 57, 43) > 200);
	keep("gantt.png", out, len);

	/* deterministic */
	assert_int_equal(coplan_gantt_png(&again, &len2, plan, &opts), 0);
	assert_int_equal(len, len2);
	assert_memory_equal(out, again, len);
	free(again);
	free(out);

	/* default width */
	assert_int_equal(coplan_gantt_png(&out, &len, small, NULL), 0);
	png_size(out, len, &w, &h);
	assert_int_equal(w, COPLAN_GANTT_DEFAULT_WIDTH);
	free(out);
	coplan_plan_free(small);
	coplan_plan_free(plan);
}

static void test_gantt_svg(void **state)
{
	coplan_plan *plan = make_plan(N_ACTIVITIES);
	char *out = NULL, *again = NULL, needle[256];
	size_t len = 0, len2 = 0;
	int mw, mh;

	(void)state;
	assert_int_equal(coplan_gantt_svg(&out, &len, plan, NULL), 0);
	assert_int_equal(strlen(out), len);
	assert_true(!strncmp(out, "<?xml", 5));
	assert_non_null(strstr(out, "<svg"));
	assert_non_null(strstr(out, "</svg>"));
	assert_true(strstr(out, "</svg>") > strstr(out, "coplan-hotspots"));
	assert_int_equal(coplan_gantt_measure(&mw, &mh, plan, NULL), 0);
	snprintf(needle, sizeof(needle), "viewBox=\"0 0 %d %d\"", mw, mh);
	assert_non_null(strstr(out, needle));
	for (size_t i = 0; i < plan->n_activities; i++) {
		snprintf(needle, sizeof(needle), "<title>%s ", plan->activities[i].ref);
		assert_non_null(strstr(out, needle));
	}
	assert_non_null(strstr(out, "<title>JP-05 " JA_TITLE " " EM_DASH " Japan, "));
	/* legend: each host nation's name; the blackouts with their reasons, escaped */
	assert_non_null(strstr(out, "class=\"legend\""));
	assert_non_null(strstr(out, "<title>Italy</title>"));
	assert_non_null(strstr(out, "<title>Japan</title>"));
	assert_non_null(strstr(out, "Golden Week"));
	assert_non_null(strstr(out, "work-up &amp; deployment &lt;Indo-Pacific&gt;"));
	assert_null(strstr(out, "<Indo-Pacific>"));
	/* holidays of both parties: Liberation Day and Constitution Memorial Day */
	assert_non_null(strstr(out, "Italy: 25 Apr 2024"));
	assert_non_null(strstr(out, "Japan: 3 May 2024"));
	/* the unplaced activities listed */
	assert_non_null(strstr(out, "not scheduled: no common working day"));
	keep("gantt.svg", out, len);

	assert_int_equal(coplan_gantt_svg(&again, &len2, plan, NULL), 0);
	assert_int_equal(len, len2);
	assert_memory_equal(out, again, len);
	free(again);
	free(out);
	coplan_plan_free(plan);
}

static void test_gantt_range(void **state)
{
	coplan_plan *plan = make_plan(N_ACTIVITIES);
	coplan_gantt_options opts = { 0, COPLAN_DATE_NONE, COPLAN_DATE_NONE, 800 };
	char *out = NULL;
	size_t len = 0;
	uint32_t w, h;

	(void)state;
	/* a quarter across the year's end */
	opts.from = coplan_date_from_ymd(2024, 11, 1);
	opts.to = coplan_date_from_ymd(2025, 1, 31);
	assert_int_equal(coplan_gantt_png(&out, &len, plan, &opts), 0);
	png_size(out, len, &w, &h);
	assert_int_equal(w, 800);
	keep("gantt-quarter.png", out, len);
	free(out);
	/* another year than the plan's: no bars, still a chart */
	opts.from = opts.to = COPLAN_DATE_NONE;
	opts.year = 2025;
	assert_int_equal(coplan_gantt_svg(&out, &len, plan, &opts), 0);
	free(out);
	coplan_plan_free(plan);
}

static void test_bad_options(void **state)
{
	coplan_plan *plan = make_plan(3);
	coplan_gantt_options opts = { 0, COPLAN_DATE_NONE, COPLAN_DATE_NONE, 0 };
	char *out = (char *)"untouched";
	size_t len = 7;

	(void)state;
	opts.width = COPLAN_GANTT_MIN_WIDTH - 1;
	assert_int_equal(coplan_gantt_png(&out, &len, plan, &opts), COPLAN_EUSAGE);
	assert_non_null(strstr(coplan_error_last(), "width"));
	opts.width = COPLAN_GANTT_MAX_WIDTH + 1;
	assert_int_equal(coplan_gantt_svg(&out, &len, plan, &opts), COPLAN_EUSAGE);
	opts.width = 0;
	opts.from = coplan_date_from_ymd(2024, 3, 1);
	assert_int_equal(coplan_gantt_png(&out, &len, plan, &opts), COPLAN_EUSAGE);
	opts.to = coplan_date_from_ymd(2024, 2, 1);
	assert_int_equal(coplan_gantt_svg(&out, &len, plan, &opts), COPLAN_EUSAGE);
	assert_non_null(strstr(coplan_error_last(), "before it starts"));
	opts.to = opts.from + COPLAN_GANTT_MAX_DAYS;
	assert_int_equal(coplan_gantt_png(&out, &len, plan, &opts), COPLAN_EUSAGE);
	assert_non_null(strstr(coplan_error_last(), "too long"));
	opts.to = opts.from + COPLAN_GANTT_MAX_DAYS - 1;
	assert_int_equal(coplan_gantt_measure(NULL, NULL, plan, &opts), 0);
	opts.from = opts.to = COPLAN_DATE_NONE;
	opts.year = 10000;
	assert_int_equal(coplan_gantt_png(&out, &len, plan, &opts), COPLAN_EUSAGE);
	opts.year = 0;
	plan->year = 0;
	assert_int_equal(coplan_gantt_svg(&out, &len, plan, &opts), COPLAN_EUSAGE);
	assert_non_null(strstr(coplan_error_last(), "needs a year"));
	assert_string_equal(out, "untouched");
	assert_int_equal(len, 7);
	coplan_plan_free(plan);
}

static void test_too_tall(void **state)
{
	coplan_plan *plan = make_plan(1500);
	char *out = (char *)"untouched";
	size_t len = 7;

	(void)state;
	/* all in the plan's year: 1498 rows of 22 pixels */
	for (size_t i = 0; i < plan->n_activities; i++) {
		coplan_activity *a = &plan->activities[i];

		if (a->start != COPLAN_DATE_NONE) {
			a->start = coplan_date_from_ymd(2024, 1, 1) + (coplan_date)(i % 300);
			a->end = a->start + a->duration - 1;
		}
	}
	assert_int_equal(coplan_gantt_png(&out, &len, plan, NULL), COPLAN_ELIMIT);
	assert_non_null(strstr(coplan_error_last(), "pixels tall"));
	assert_string_equal(out, "untouched");
	coplan_plan_free(plan);
}

static void test_pdf(void **state)
{
	coplan_plan *plan = make_plan(N_ACTIVITIES), *empty;
	char *out = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(coplan_document_pdf(&out, &len, plan), 0);
	assert_true(len > 1000);
	assert_memory_equal(out, "%PDF-1.5", 8);
	assert_non_null(strstr(out + len - 32, "%%EOF"));
	keep("plan.pdf", out, len);
	free(out);

	/* a plan of many activities: more pages, still a document */
	coplan_plan_free(plan);
	plan = make_plan(200);
	assert_int_equal(coplan_document_pdf(&out, &len, plan), 0);
	assert_memory_equal(out, "%PDF-", 5);
	keep("plan-200.pdf", out, len);
	free(out);
	coplan_plan_free(plan);

	/* an empty plan without talks: a document with an empty table and blank signature lines */
	assert_int_equal(coplan_plan_new(&empty), 0);
	empty->year = 2025;
	assert_int_equal(coplan_plan_add_nation(empty, "ITA"), 0);
	assert_int_equal(coplan_plan_add_nation(empty, "GBR"), 0);
	assert_int_equal(coplan_document_pdf(&out, &len, empty), 0);
	assert_memory_equal(out, "%PDF-", 5);
	keep("empty.pdf", out, len);
	free(out);

	/* no year and nothing placed: nothing to chart */
	empty->year = 0;
	out = (char *)"untouched";
	assert_int_equal(coplan_document_pdf(&out, &len, empty), COPLAN_EUSAGE);
	assert_string_equal(out, "untouched");
	coplan_plan_free(empty);
}

static void test_xlsx(void **state)
{
	coplan_plan *plan = make_plan(N_ACTIVITIES);
	char *out = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(coplan_export_xlsx(&out, &len, plan), 0);
	assert_true(len > 1000);
	assert_memory_equal(out, "PK\x03\x04", 4);
	keep("plan.xlsx", out, len);
	free(out);

	/* a date Excel cannot hold: an error, nothing written, no file left behind */
	plan->activities[0].start = coplan_date_from_ymd(1850, 1, 1);
	out = (char *)"untouched";
	assert_int_equal(coplan_export_xlsx(&out, &len, plan), COPLAN_ERANGE);
	assert_non_null(strstr(coplan_error_last(), "1850"));
	assert_string_equal(out, "untouched");
	coplan_plan_free(plan);
}

static void test_xlsx_bad_tmpdir(void **state)
{
	coplan_plan *plan = make_plan(3);
	char *out = (char *)"untouched";
	size_t len = 7;
	char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;

	(void)state;
	setenv("TMPDIR", COPLAN_TEST_TMP "/no/such/dir", 1);
	assert_int_equal(coplan_export_xlsx(&out, &len, plan), COPLAN_EIO);
	assert_non_null(strstr(coplan_error_last(), "no/such/dir"));
	assert_string_equal(out, "untouched");
	if (old)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	free(old);
	coplan_plan_free(plan);
}


/* ---- text a document cannot carry as it is: long Japanese, U+FFFE, U+FFFF, C0 controls ---- */

/* Warnings and worse logged through GLib (Pango's "Invalid UTF-8 string passed to pango_layout_set_text()"). */
static int glib_warnings;

static GLogWriterOutput count_warnings(GLogLevelFlags level, const GLogField *fields, gsize n_fields,
                                       gpointer data)
{
	(void)data;
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
		glib_warnings++;
	return g_log_writer_default(level, fields, n_fields, NULL);
}

/* libxml2's errors while parsing, counted (none are printed). */
static int xml_errors;

static void count_xml_error(void *data, const xmlError *err)
{
	(void)data;
	(void)err;
	xml_errors++;
}

/* 1 if data[0..len) is a well-formed XML document by libxml2, without any error or warning. */
static int well_formed_xml(const char *data, size_t len)
{
	xmlDocPtr doc;

	xml_errors = 0;
	xmlSetStructuredErrorFunc(NULL, (xmlStructuredErrorFunc)count_xml_error);
	doc = xmlReadMemory(data, (int)len, "part.xml", NULL, XML_PARSE_NONET | XML_PARSE_HUGE);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (doc)
		xmlFreeDoc(doc);
	return doc && !xml_errors;
}

/* A string of n copies of "日本語の" (4 characters, 12 octets), n * 4 characters long; the caller frees. */
static char *japanese(size_t n)
{
	static const char unit[] = "日本語の";
	char *s = malloc(n * (sizeof(unit) - 1) + 1);

	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * (sizeof(unit) - 1), unit, sizeof(unit) - 1);
	s[n * (sizeof(unit) - 1)] = '\0';
	return s;
}

static void set(char **field, const char *text)
{
	free(*field);
	*field = dup(text);
}

/*
 * The documents' plan with hostile text: a Japanese plan title of
 * plan_chars characters, activity 0's title of title_chars, titles holding
 * U+FFFE, U+FFFF and C0 controls, and as much in a blackout's reason, an
 * unplaced activity's reason and a delegation head's name.
 */
static coplan_plan *hostile_plan(size_t plan_chars, size_t title_chars)
{
	coplan_plan *plan = make_plan(N_ACTIVITIES);
	char *t;

	t = japanese(plan_chars / 4);
	set(&plan->title, t);
	free(t);
	t = japanese(title_chars / 4);
	set(&plan->activities[0].title, t);
	free(t);
	set(&plan->activities[1].title, "Visit \xEF\xBF\xBE to the fleet");
	set(&plan->activities[2].title, "Course \xEF\xBF\xBF in Japan");
	set(&plan->activities[3].title, "Talks\x01 and \x1b[1mbold\x0b");
	set(&plan->activities[11].title, "Unplaced \xEF\xBF\xBF");
	set(&plan->activities[11].unplaced_reason, "reason \x02 \xEF\xBF\xBE");
	set(&plan->activities[5].area, "area \x0c");
	set(&plan->blackouts[0].reason, "Golden\x1f Week \xEF\xBF\xBF");
	set(&plan->talks.delegations[0].head_name, "Gen. \xEF\xBF\xBE Grassano");
	set(&plan->talks.venue, "Rome\x03, Italian Defence General Staff");
	return plan;
}

/* The pango layout of the documents never holds text pango would warn of or XML could not carry. */
static void test_layout_text(void **state)
{
	cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 10, 10);
	cairo_t *cr = cairo_create(surface);
	PangoContext *ctx = cp_doc_pango_context(cr);
	char *ja = japanese(2500);   /* 10,000 characters */
	static const char *const bad[] = {
		"\xEF\xBF\xBE", "\xEF\xBF\xBF", "a\x01z", "\x1b[0m", "cut \xE6\x97", "\xC0\xAF", "\xED\xA0\x80", "\xFF",
	};
	PangoLayout *l;
	const char *text;

	(void)state;
	assert_non_null(ctx);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		l = cp_doc_layout(ctx, bad[i], 10, 0, 0, 0);
		text = pango_layout_get_text(l);
		assert_true(test_xml_clean_text(text, strlen(text)));
		assert_non_null(strstr(text, CP_REPLACEMENT_CHAR));
		g_object_unref(l);
	}
	/* one ellipsised line: cut at a character boundary, with an ellipsis, before pango shapes it */
	l = cp_doc_layout(ctx, ja, 10, 0, 200, 0);
	text = pango_layout_get_text(l);
	assert_true(test_xml_clean_text(text, strlen(text)));
	assert_true(strlen(text) < strlen(ja));
	assert_string_equal(text + strlen(text) - 3, CP_ELLIPSIS);
	assert_memory_equal(text, ja, strlen(text) - 3);
	g_object_unref(l);
	/* a wrapped paragraph: every character kept */
	l = cp_doc_layout(ctx, ja, 10, 0, 200, 1);
	assert_string_equal(pango_layout_get_text(l), ja);
	g_object_unref(l);
	free(ja);
	g_object_unref(ctx);
	cairo_destroy(cr);
	cairo_surface_destroy(surface);
	assert_int_equal(glib_warnings, 0);
}

static void test_hostile_svg(void **state)
{
	coplan_plan *plan = hostile_plan(2000, 2000);
	char *out = NULL, *png = NULL;
	size_t len = 0, png_len = 0;

	(void)state;
	glib_warnings = 0;
	assert_int_equal(coplan_gantt_svg(&out, &len, plan, NULL), 0);
	assert_true(test_xml_clean_text(out, len));
	assert_true(well_formed_xml(out, len));
	/* the tooltips carry the whole text, the bad characters replaced */
	assert_non_null(strstr(out, plan->title));
	assert_non_null(strstr(out, plan->activities[0].title));
	assert_non_null(strstr(out, "Visit \xEF\xBF\xBD to the fleet"));
	assert_non_null(strstr(out, "Course \xEF\xBF\xBD in Japan"));
	assert_non_null(strstr(out, "Talks\xEF\xBF\xBD and \xEF\xBF\xBD[1mbold\xEF\xBF\xBD"));
	assert_non_null(strstr(out, "Golden\xEF\xBF\xBD Week \xEF\xBF\xBD"));
	assert_non_null(strstr(out, "Unplaced \xEF\xBF\xBD"));
	keep("hostile.svg", out, len);
	assert_int_equal(coplan_gantt_png(&png, &png_len, plan, NULL), 0);
	keep("hostile.png", png, png_len);
	assert_int_equal(glib_warnings, 0);
	free(png);
	free(out);
	coplan_plan_free(plan);
}

static void test_hostile_pdf(void **state)
{
	coplan_plan *plan = hostile_plan(400, 360);
	char *out = NULL;
	size_t len = 0;

	(void)state;
	glib_warnings = 0;
	assert_int_equal(coplan_document_pdf(&out, &len, plan), 0);
	assert_memory_equal(out, "%PDF-", 5);
	keep("hostile.pdf", out, len);
	assert_int_equal(glib_warnings, 0);
	free(out);
	coplan_plan_free(plan);
	/* a title too long for a table row on one page: the cell is cut with an ellipsis */
	plan = hostile_plan(2000, 2000);
	assert_int_equal(coplan_document_pdf(&out, &len, plan), 0);
	assert_memory_equal(out, "%PDF-", 5);
	assert_int_equal(glib_warnings, 0);
	free(out);
	coplan_plan_free(plan);
}

/* The part name of the workbook zip[0..len), read whole (the caller frees). */
static char *zip_part(const char *zip, size_t len, const char *name, size_t *part_len)
{
	zip_error_t err;
	zip_source_t *src;
	zip_t *z;
	zip_stat_t st;
	zip_file_t *f;
	char *data;

	zip_error_init(&err);
	src = zip_source_buffer_create(zip, len, 0, &err);
	assert_non_null(src);
	z = zip_open_from_source(src, ZIP_RDONLY, &err);
	assert_non_null(z);
	assert_int_equal(zip_stat(z, name, 0, &st), 0);
	data = malloc(st.size + 1);
	assert_non_null(data);
	f = zip_fopen(z, name, 0);
	assert_non_null(f);
	assert_int_equal(zip_fread(f, data, st.size), (zip_int64_t)st.size);
	data[st.size] = '\0';
	zip_fclose(f);
	zip_close(z);   /* frees the source */
	zip_error_fini(&err);
	*part_len = st.size;
	return data;
}

static void test_hostile_xlsx(void **state)
{
	coplan_plan *plan = hostile_plan(2000, 2000);
	static const char *const parts[] = {
		"xl/sharedStrings.xml", "docProps/core.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
	};
	char *out = NULL, *notes;
	size_t len = 0;

	(void)state;
	/* notes longer than a cell may hold (32,767 characters): cut with an ellipsis */
	notes = japanese(10000);
	set(&plan->activities[6].notes, notes);
	assert_int_equal(coplan_export_xlsx(&out, &len, plan), 0);
	keep("hostile.xlsx", out, len);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		size_t n;
		char *xml = zip_part(out, len, parts[i], &n);

		assert_true(test_xml_clean_text(xml, n));
		assert_true(well_formed_xml(xml, n));
		if (i == 0) {
			const char *cut;

			assert_non_null(strstr(xml, plan->activities[0].title));
			assert_non_null(strstr(xml, "Visit \xEF\xBF\xBD to the fleet"));
			assert_non_null(strstr(xml, "Course \xEF\xBF\xBD in Japan"));
			assert_non_null(strstr(xml, "Talks\xEF\xBF\xBD and \xEF\xBF\xBD[1mbold\xEF\xBF\xBD"));
			assert_null(strstr(xml, "_x0001_"));
			/* the notes: 32,766 characters and the ellipsis */
			cut = strstr(xml, CP_ELLIPSIS "</t>");
			assert_non_null(cut);
			assert_memory_equal(cut - 32766 * 3, notes, 32766 * 3);
		}
		if (i == 1)
			assert_non_null(strstr(xml, plan->title));
		free(xml);
	}
	free(notes);
	free(out);
	coplan_plan_free(plan);
}

/*
 * LeakSanitizer: cairo 1.16 (Debian 12) loses about 768 bytes per embedded
 * CFF (OpenType) font subset when a PDF surface is finished; ours are
 * released (coplan_document_shutdown() frees the font caches).  Suppressed
 * by name so that a sanitizer run still reports every leak of our own; the
 * name is only seen with the slow unwinder (Debian's cairo has no frame
 * pointers).
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:cairo_surface_finish\n";
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gantt_png),
		cmocka_unit_test(test_gantt_svg),
		cmocka_unit_test(test_gantt_range),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_too_tall),
		cmocka_unit_test(test_pdf),
		cmocka_unit_test(test_xlsx),
		cmocka_unit_test(test_xlsx_bad_tmpdir),
		cmocka_unit_test(test_layout_text),
		cmocka_unit_test(test_hostile_svg),
		cmocka_unit_test(test_hostile_pdf),
		cmocka_unit_test(test_hostile_xlsx),
	};

	int failed;

	g_log_set_writer_func(count_warnings, NULL, NULL);
	failed = cmocka_run_group_tests(tests, NULL, NULL);

	coplan_document_shutdown();
	return failed;
}

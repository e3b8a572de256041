/* SPDX-License-Identifier: Apache-2.0 */
/* test_export.c - Markdown and HTML content, the JSON round trip and the JSON reader's errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "coplan/coplan.h"
#include "test_util.h"
#include "coplan/export.h"
#include "coplan/import.h"
#include "export_int.h"

#define NOW ((time_t)1704880800)

static coplan_date iso(const char *s)
{
	coplan_date d = COPLAN_DATE_NONE;

	assert_int_equal(coplan_date_parse_iso(&d, s, (size_t)-1), 0);
	return d;
}

static void tmp_path(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/test_export-%s", COPLAN_TEST_TMP, name);
}

static void write_file(const char *path, const char *text, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static char *export(const coplan_plan *plan, coplan_format format, const char *host, const char *unit,
                    size_t *len)
{
	coplan_export_options opts = { 0 };
	char *out = NULL;
	size_t n = 0;

	opts.now = NOW;
	opts.host = host;
	opts.unit = unit;
	if (coplan_export(&out, &n, plan, format, &opts))
		fail_msg("export failed: %s", coplan_error_last());
	assert_int_equal(strlen(out), n);
	if (len)
		*len = n;
	return out;
}

/*
 * The reference case in miniature: 11 activities hosted by Italy, 17 by
 * Japan, added in an order unlike their dates; activity k starts on day
 * (k * 11) % 300 of 2024.  Activity 5 has a title with markup and a pipe.
 */
static coplan_plan *plan_28(void)
{
	coplan_plan *plan;
	coplan_delegation *d;

	assert_int_equal(coplan_plan_new(&plan), 0);
	plan->title = strdup("Cooperation Plan 2024");
	plan->year = 2024;
	assert_int_equal(coplan_plan_add_nation(plan, "ITA"), 0);
	assert_int_equal(coplan_plan_add_nation(plan, "JPN"), 0);
	plan->window_from = iso("2024-01-01");
	plan->window_to = iso("2024-12-31");
	plan->has_talks = 1;
	plan->talks.series = strdup("ITA-JPN");
	plan->talks.edition = 8;
	plan->talks.start = iso("2024-01-10");
	plan->talks.end = iso("2024-01-11");
	plan->talks.venue = strdup("Tokyo");
	plan->talks.delegations = calloc(2, sizeof(*plan->talks.delegations));
	assert_non_null(plan->talks.delegations);
	plan->talks.n_delegations = 2;
	d = &plan->talks.delegations[0];
	memcpy(d->nation, "ITA", 4);
	d->head_name = strdup("Brig. Gen. Alessandro Grassano");
	d->head_post = strdup("Deputy Head, International Cooperation Department");
	d = &plan->talks.delegations[1];
	memcpy(d->nation, "JPN", 4);
	d->head_name = strdup("Maj. Gen. Jun Miura");
	d->head_name_native = strdup("三浦 潤");
	d->head_post = strdup("Director, International Affairs & Policy");
	for (int k = 0; k < 28; k++) {
		coplan_activity *a;
		char buf[128];

		assert_int_equal(coplan_plan_add_activity(plan, &a), 0);
		snprintf(buf, sizeof(buf), "%s-%02d", k < 11 ? "IT" : "JP", k + 1);
		a->ref = strdup(buf);
		if (k == 5)
			snprintf(buf, sizeof(buf), "<script>alert('x')</script> | \"pipe\" & more");
		else
			snprintf(buf, sizeof(buf), "Activity number %02d", k + 1);
		a->title = strdup(buf);
		a->area = strdup(k % 2 ? "training" : "maritime security");
		a->kind = strdup("visit");
		memcpy(a->host, k < 11 ? "ITA" : "JPN", 4);
		assert_int_equal(coplan_activity_add_participant(a, "ITA"), 0);
		assert_int_equal(coplan_activity_add_participant(a, "JPN"), 0);
		assert_int_equal(coplan_activity_add_unit(a, k % 3 ? "Comando Logistico" : "JS Kaga"), 0);
		a->duration = 1 + k % 4;
		a->day_mode = COPLAN_DAYS_CALENDAR;
		a->start = iso("2024-01-15") + (k * 11) % 300;
		a->end = a->start + a->duration - 1;
	}
	assert_int_equal(coplan_plan_validate(plan), 0);
	return plan;
}

static void unplace(coplan_plan *plan, size_t i, const char *reason)
{
	coplan_activity *a = &plan->activities[i];

	a->start = a->end = COPLAN_DATE_NONE;
	a->unplaced_reason = strdup(reason);
}

static void test_format_parse(void **state)
{
	coplan_format f;

	(void)state;
	assert_int_equal(coplan_format_parse(&f, "md"), 0);
	assert_int_equal(f, COPLAN_FORMAT_MARKDOWN);
	assert_int_equal(coplan_format_parse(&f, "markdown"), 0);
	assert_int_equal(coplan_format_parse(&f, "HTML"), 0);
	assert_int_equal(f, COPLAN_FORMAT_HTML);
	assert_int_equal(coplan_format_parse(&f, "json"), 0);
	assert_int_equal(f, COPLAN_FORMAT_JSON);
	assert_int_equal(coplan_format_parse(&f, "ical"), 0);
	assert_int_equal(f, COPLAN_FORMAT_ICS);
	assert_int_equal(coplan_format_parse(&f, "pdf"), COPLAN_EUSAGE);
	assert_non_null(strstr(coplan_error_last(), "'pdf'"));
}

static void test_markdown(void **state)
{
	coplan_plan *plan = plan_28();
	char *md, *prev;
	const char *p;

	(void)state;
	md = export(plan, COPLAN_FORMAT_MARKDOWN, NULL, NULL, NULL);
	assert_non_null(strstr(md, "# Cooperation Plan 2024\n"));
	assert_non_null(strstr(md, "Italy (ITA), Japan (JPN)"));
	assert_non_null(strstr(md, "8th ITA-JPN staff talks, 2024-01-10 – 2024-01-11, Tokyo"));
	assert_non_null(strstr(md, "Maj. Gen. Jun Miura (三浦 潤)"));
	assert_non_null(strstr(md, "\n28 activities: 11 in Italy, 17 in Japan\n"));
	assert_null(strstr(md, "Unplaced"));
	/* cells: markup and pipes escaped */
	assert_null(strstr(md, "<script>"));
	assert_non_null(strstr(md, "&lt;script&gt;alert('x')&lt;/script&gt; \\| \"pipe\" & more"));
	/* every table row has the same number of unescaped pipes as the header */
	for (p = strstr(md, "| No."); p && *p == '|'; p = strchr(p, '\n') + 1) {
		int pipes = 0;

		for (const char *c = p; *c != '\n'; c++)
			pipes += *c == '|' && c[-1] != '\\';
		assert_int_equal(pipes, 11);   /* ten columns, location last */
	}
	/* rows in date order: activity k starts on day (k * 11) % 300, so the titles come sorted by that */
	prev = NULL;
	for (int day = 0; day < 300; day++) {
		for (int k = 0; k < 28; k++) {
			char title[64], *at;

			if ((k * 11) % 300 != day || k == 5)
				continue;
			snprintf(title, sizeof(title), "| Activity number %02d |", k + 1);
			at = strstr(md, title);
			assert_non_null(at);
			assert_true(prev == NULL || at > prev);
			prev = at;
		}
	}
	free(md);

	/* unplaced activities: out of the table, listed last with their reasons, counted in the totals */
	unplace(plan, 3, "no free window: unit 'JS Kaga' busy");
	unplace(plan, 0, "Golden Week blackout");
	md = export(plan, COPLAN_FORMAT_MARKDOWN, NULL, NULL, NULL);
	assert_non_null(strstr(md, "\n28 activities: 11 in Italy, 17 in Japan; 2 not placed\n"));
	p = strstr(md, "## Unplaced activities");
	assert_non_null(p);
	assert_non_null(strstr(p, "- **IT-01** Activity number 01 (ITA, 1 calendar day): Golden Week blackout\n"));
	assert_true(strstr(p, "IT-01") < strstr(p, "IT-04"));
	assert_non_null(strstr(p, "IT-04** Activity number 04 (ITA, 4 calendar days): no free window: unit 'JS Kaga' busy"));
	assert_null(strstr(md, "| IT-04 |"));
	free(md);

	/* filters: host, unit */
	md = export(plan, COPLAN_FORMAT_MARKDOWN, "JPN", NULL, NULL);
	assert_non_null(strstr(md, "\n17 activities: 17 in Japan\n"));
	assert_null(strstr(md, "| IT-"));
	free(md);
	md = export(plan, COPLAN_FORMAT_MARKDOWN, NULL, "JS Kaga", NULL);
	assert_non_null(strstr(md, "\n10 activities: 4 in Italy, 6 in Japan; 2 not placed\n"));
	assert_null(strstr(md, "Comando Logistico"));
	free(md);
	assert_int_equal(coplan_export(&md, NULL, plan, COPLAN_FORMAT_MARKDOWN,
	                               &(coplan_export_options){ .host = "ITL" }), COPLAN_EUSAGE);
	assert_null(md);
	assert_non_null(strstr(coplan_error_last(), "'ITL'"));
	coplan_plan_free(plan);
}

static void test_html(void **state)
{
	coplan_plan *plan = plan_28();
	char *html;
	const char *tbl;

	(void)state;
	unplace(plan, 20, "no free window <before> the talks");
	html = export(plan, COPLAN_FORMAT_HTML, NULL, NULL, NULL);
	assert_memory_equal(html, "<!DOCTYPE html>\n<html lang=\"en\">\n", 32);
	assert_non_null(strstr(html, "<meta charset=\"utf-8\">"));
	assert_non_null(strstr(html, "<title>Cooperation Plan 2024</title>"));
	assert_non_null(strstr(html, "<h1>Cooperation Plan 2024</h1>"));
	assert_non_null(strstr(html, "</html>\n"));
	/* print: A4, the header repeated on each page, no row broken across pages */
	assert_non_null(strstr(html, "@media print"));
	assert_non_null(strstr(html, "size: A4"));
	assert_non_null(strstr(html, "thead { display: table-header-group; }"));
	assert_non_null(strstr(html, "break-inside: avoid"));
	tbl = strstr(html, "<table class=\"plan\">");
	assert_non_null(tbl);
	assert_true(strstr(tbl, "<thead>") < strstr(tbl, "<tbody>"));
	/* all five characters escaped, in every text */
	assert_null(strstr(html, "<script>"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; | &quot;pipe&quot; &amp; more"));
	assert_non_null(strstr(html, "International Affairs &amp; Policy"));
	assert_non_null(strstr(html, "no free window &lt;before&gt; the talks"));
	/* totals by host nation and by area */
	assert_non_null(strstr(html, "28 activities: 11 in Italy, 17 in Japan; 1 not placed"));
	assert_non_null(strstr(html, "<tr><td>Italy</td><td class=\"num\">11</td><td class=\"num\">0</td></tr>"));
	assert_non_null(strstr(html, "<tr><td>Japan</td><td class=\"num\">17</td><td class=\"num\">0</td></tr>"));
	assert_non_null(strstr(html, "<tr><td>maritime security</td><td class=\"num\">14</td></tr>"));
	assert_non_null(strstr(html, "<tr><td>training</td><td class=\"num\">14</td></tr>"));
	/* signature block: each head of delegation with post and a line */
	tbl = strstr(html, "<section class=\"signed\">");
	assert_non_null(tbl);
	assert_non_null(strstr(tbl, "Signed for the parties by the heads of delegation"));
	assert_non_null(strstr(tbl, "Date / Place"));
	assert_non_null(strstr(tbl, "For Italy"));
	assert_non_null(strstr(tbl, "Brig. Gen. Alessandro Grassano"));
	assert_non_null(strstr(tbl, "三浦 潤"));
	assert_non_null(strstr(tbl, "Director, International Affairs &amp; Policy"));
	assert_non_null(strstr(tbl, "class=\"line\""));
	free(html);
	coplan_plan_free(plan);
}

/* export -> import -> export gives the same bytes, for a built plan and for the 30-activity file */
static void test_json_round_trip(void **state)
{
	char path[1024], src[1024];
	coplan_plan *plan = plan_28(), *back;
	char *a, *b;
	size_t na, nb;

	(void)state;
	unplace(plan, 7, "unit busy; \"quoted\" \\ reason");
	plan->activities[2].notes = strdup("line one\nline two\ttab \u00e9\u65e5");
	plan->activities[2].location = strdup("Roma");
	plan->activities[2].pinned = 1;
	plan->activities[2].sequence = 4;
	plan->activities[2].status = COPLAN_STATUS_CONFIRMED;
	plan->activities[2].earliest = iso("2024-02-01");
	plan->activities[2].requested_from = iso("2024-03-01");
	plan->activities[2].requested_to = iso("2024-03-31");
	plan->activities[4].day_mode = COPLAN_DAYS_WORKING;
	assert_int_equal(coplan_plan_add_precedence(plan, "IT-01", "JP-12", 7, -1), 0);
	assert_int_equal(coplan_plan_add_precedence(plan, "JP-12", "JP-13", 0, 30), 0);
	assert_int_equal(coplan_plan_add_blackout(plan, "JPN", iso("2024-04-29"), iso("2024-05-06"), 1,
	                                          "Golden Week"), 0);
	assert_int_equal(coplan_plan_add_blackout(plan, "JS Kaga", iso("2024-06-01"), iso("2024-06-30"), 0,
	                                          NULL), 0);
	assert_int_equal(coplan_plan_set_weekend(plan, "ISR", COPLAN_WEEKEND_SAT_SUN), 0);
	assert_int_equal(coplan_plan_set_weekend(plan, "JPN", 0), 0);
	a = export(plan, COPLAN_FORMAT_JSON, NULL, NULL, &na);
	{
		static const char head[] = "{\n  \"format\": \"coplan-plan\",\n  \"version\": 1,\n  \"plan\": {\n    \"title\"";

		assert_memory_equal(a, head, sizeof(head) - 1);
	}
	assert_non_null(strstr(a, "\"start\": \"2024-01-15\""));
	assert_non_null(strstr(a, "\"max_gap\": 30"));
	assert_non_null(strstr(a, "\"ISR\": [\n      \"sat\",\n      \"sun\"\n    ]"));
	assert_non_null(strstr(a, "\"JPN\": []"));
	tmp_path(path, sizeof(path), "round-trip.json");
	write_file(path, a, na);
	if (coplan_import_plan_json(&back, path))
		fail_msg("%s", coplan_error_last());
	assert_int_equal(back->n_activities, 28);
	assert_int_equal(back->n_precedences, 2);
	assert_int_equal(back->n_blackouts, 2);
	assert_int_equal(back->talks.n_delegations, 2);
	assert_string_equal(back->talks.delegations[1].head_name_native, "三浦 潤");
	assert_int_equal(back->n_weekends, 2);
	{
		unsigned days = 1;

		assert_int_equal(coplan_plan_weekend_of(&days, back, "ISR"), 0);
		assert_int_equal(days, COPLAN_WEEKEND_SAT_SUN);
		assert_int_equal(coplan_plan_weekend_of(&days, back, "JPN"), 0);
		assert_int_equal(days, 0);
		/* a nation the plan declares nothing for: CLDR's */
		assert_int_equal(coplan_plan_weekend_of(&days, back, "SAU"), 0);
		assert_int_equal(days, COPLAN_WEEKDAY_BIT(5) | COPLAN_WEEKDAY_BIT(6));
	}
	b = export(back, COPLAN_FORMAT_JSON, NULL, NULL, &nb);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	{
		long k = coplan_plan_find(back, "IT-03");
		const coplan_activity *x = &back->activities[k];

		assert_true(k >= 0);
		assert_string_equal(x->notes, "line one\nline two\ttab \u00e9\u65e5");
		assert_int_equal(x->pinned, 1);
		assert_int_equal(x->sequence, 4);
		assert_int_equal(x->status, COPLAN_STATUS_CONFIRMED);
		assert_int_equal(x->earliest, iso("2024-02-01"));
		assert_int_equal(x->latest, COPLAN_DATE_NONE);
		assert_int_equal(x->requested_to, iso("2024-03-31"));
	}
	free(a);
	free(b);
	coplan_plan_free(back);
	coplan_plan_free(plan);

	/* the 30-activity file: its export survives a second round byte for byte */
	snprintf(src, sizeof(src), "%s/json/plan-2024.json", COPLAN_TEST_DATA);
	if (coplan_import_plan_json(&plan, src))
		fail_msg("%s", coplan_error_last());
	assert_int_equal(plan->n_activities, 30);
	a = export(plan, COPLAN_FORMAT_JSON, NULL, NULL, &na);
	write_file(path, a, na);
	assert_int_equal(coplan_import_plan_json(&back, path), 0);
	b = export(back, COPLAN_FORMAT_JSON, NULL, NULL, &nb);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	free(a);
	free(b);
	coplan_plan_free(back);

	/* a filtered export keeps only the precedences between the activities it holds, and still reads back */
	a = export(plan, COPLAN_FORMAT_JSON, "JPN", NULL, &na);
	assert_null(strstr(a, "\"IT-01\""));
	assert_non_null(strstr(a, "\"before\": \"JP-02\""));
	write_file(path, a, na);
	assert_int_equal(coplan_import_plan_json(&back, path), 0);
	assert_int_equal(back->n_precedences, 1);
	free(a);
	coplan_plan_free(back);
	coplan_plan_free(plan);
}

/* A hand-written plan file: plan, staff talks and blackouts, no activities. */
static void test_json_minimal(void **state)
{
	static const char doc[] =
		"{\n"
		"  \"plan\": {\"title\": \"Cooperation Plan 2024\", \"year\": 2024, \"nations\": [\"ITA\", \"JPN\"]},\n"
		"  \"staff_talks\": {\"series\": \"ITA-JPN\", \"edition\": 8, \"start\": \"2024-01-10\",\n"
		"                  \"end\": \"2024-01-11\", \"venue\": \"Tokyo\",\n"
		"                  \"delegations\": [{\"nation\": \"JPN\", \"head\": {\"name\": \"Jun Miura\"}}]},\n"
		"  \"blackouts\": [{\"scope\": \"JPN\", \"from\": \"2024-04-29\", \"to\": \"2024-05-06\", \"hard\": true,\n"
		"                 \"reason\": \"Golden Week\"}]\n"
		"}\n";
	char path[1024];
	coplan_plan *plan;

	(void)state;
	tmp_path(path, sizeof(path), "minimal.json");
	write_file(path, doc, sizeof(doc) - 1);
	if (coplan_import_plan_json(&plan, path))
		fail_msg("%s", coplan_error_last());
	assert_string_equal(plan->title, "Cooperation Plan 2024");
	assert_int_equal(plan->n_nations, 2);
	assert_int_equal(plan->n_activities, 0);
	assert_int_equal(plan->window_from, COPLAN_DATE_NONE);
	assert_true(plan->has_talks);
	assert_int_equal(plan->talks.edition, 8);
	assert_string_equal(plan->talks.delegations[0].head_name, "Jun Miura");
	assert_null(plan->talks.delegations[0].head_post);
	assert_int_equal(plan->n_blackouts, 1);
	assert_int_equal(plan->blackouts[0].hard, 1);
	assert_int_equal(plan->blackouts[0].to, iso("2024-05-06"));
	coplan_plan_free(plan);
}

/* Import text; expect code and the whole message (file name prefixed). */
static void expect_error(const char *name, const char *text, int code, const char *message)
{
	char path[1024], want[2048];
	coplan_plan *plan = (coplan_plan *)&plan;   /* must come back NULL */

	tmp_path(path, sizeof(path), name);
	write_file(path, text, strlen(text));
	assert_int_equal(coplan_import_plan_json(&plan, path), code);
	assert_null(plan);
	snprintf(want, sizeof(want), "%s%s", path, message);
	if (strcmp(coplan_error_last(), want))
		fail_msg("error\n  got:  %s\n  want: %s", coplan_error_last(), want);
}

#define HEAD "{\"plan\": {\"title\": \"P\", \"year\": 2024, \"nations\": [\"ITA\", \"JPN\"]},\n \"activities\": ["
#define ACT(ref, host) "{\"ref\": \"" ref "\", \"title\": \"T\", \"host\": \"" host "\", \"duration\": 1}"

static void test_json_errors(void **state)
{
	char path[1024];
	coplan_plan *plan = NULL;
	FILE *f;

	(void)state;
	expect_error("bad-nation.json",
	             HEAD ACT("A1", "ITA") "," ACT("A2", "JPN") "," ACT("A3", "ITA") "," ACT("A4", "ITL") "]}",
	             COPLAN_EINVALID,
	             ": activities[3].host: unknown nation 'ITL' (expected ISO 3166-1 alpha-3, e.g. ITA)");
	expect_error("bad-participant.json",
	             HEAD "{\"ref\": \"A1\", \"title\": \"T\", \"host\": \"ITA\", \"duration\": 1,"
	             " \"participants\": [\"ITA\", \"jpn\"]}]}",
	             COPLAN_EINVALID,
	             ": activities[0].participants[1]: unknown nation 'jpn' (expected ISO 3166-1 alpha-3, e.g. ITA)");
	expect_error("bad-date.json",
	             HEAD "{\"ref\": \"A1\", \"title\": \"T\", \"host\": \"ITA\", \"duration\": 1,"
	             " \"start\": \"2023-02-29\", \"end\": \"2023-03-01\"}]}",
	             COPLAN_EINVALID,
	             ": activities[0].start: bad date '2023-02-29' (expected an existing date YYYY-MM-DD)");
	expect_error("bad-window.json",
	             HEAD "{\"ref\": \"A1\", \"title\": \"T\", \"host\": \"ITA\", \"duration\": 1,"
	             " \"window\": {\"earliest\": \"2024-05-01\", \"latest\": \"2024-04-01\"}}]}",
	             COPLAN_EINVALID,
	             ": activities[0].window.latest: ends before 'earliest' (expected a date on or after it)");
	expect_error("bad-talks.json",
	             "{\"plan\": {\"title\": \"P\", \"year\": 2024},\n"
	             " \"staff_talks\": {\"delegations\": [{\"nation\": \"ITA\"}, {\"nation\": \"JAP\"}]}}",
	             COPLAN_EINVALID,
	             ": staff_talks.delegations[1].nation: unknown nation 'JAP' (expected ISO 3166-1 alpha-3, e.g. ITA)");
	expect_error("bad-type.json", HEAD "{\"ref\": \"A1\", \"title\": \"T\", \"host\": \"ITA\", \"duration\": \"5\"}]}",
	             COPLAN_EINVALID, ": activities[0].duration: a string (expected an integer)");
	expect_error("missing-title.json", HEAD "{\"ref\": \"A1\", \"host\": \"ITA\", \"duration\": 5}]}",
	             COPLAN_EINVALID, ": activities[0].title: missing (expected a string)");
	expect_error("unknown-key.json", HEAD "{\"ref\": \"A1\", \"title\": \"T\", \"hots\": \"ITA\"}]}",
	             COPLAN_EINVALID, ": activities[0].hots: unknown key (see docs/json-format.md)");
	expect_error("duplicate-ref.json", HEAD ACT("A1", "ITA") "," ACT("A1", "JPN") "]}",
	             COPLAN_EINVALID, ": activities[1].ref: 'A1' is used twice (also activities[0])");
	expect_error("bad-status.json",
	             HEAD "{\"ref\": \"A1\", \"title\": \"T\", \"host\": \"ITA\", \"duration\": 1, \"status\": \"done\"}]}",
	             COPLAN_EINVALID,
	             ": activities[0].status: 'done' (expected planned, confirmed, executed, postponed or cancelled)");
	expect_error("bad-precedence.json", HEAD ACT("A1", "ITA") "],\n \"precedences\": [{\"before\": \"A1\", \"after\": \"A9\"}]}",
	             COPLAN_EINVALID, ": precedences[0].after: no activity 'A9'");
	expect_error("cycle.json",
	             HEAD ACT("A1", "ITA") "," ACT("A2", "ITA") "],\n \"precedences\": [{\"before\": \"A1\", \"after\": \"A2\"},"
	             " {\"before\": \"A2\", \"after\": \"A1\"}]}",
	             COPLAN_EINVALID, ": precedences form a cycle through activity 'A1'");
	expect_error("weekend-day.json", HEAD "],\n \"weekends\": {\"ISR\": [\"fri\", \"sabbath\"]}}",
	             COPLAN_EINVALID,
	             ": weekends.ISR[1]: unknown weekday 'sabbath' (expected mon, tue, wed, thu, fri, sat or sun)");
	expect_error("weekend-nation.json", HEAD "],\n \"weekends\": {\"ISL\": [\"sun\"], \"IZR\": [\"fri\"]}}",
	             COPLAN_EINVALID,
	             ": weekends.IZR: unknown nation 'IZR' (expected ISO 3166-1 alpha-3, e.g. ITA)");
	expect_error("weekend-all.json",
	             HEAD "],\n \"weekends\": {\"ISR\": [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]}}",
	             COPLAN_EINVALID, ": weekends.ISR: every day of the week (no working day left)");
	expect_error("weekend-type.json", HEAD "],\n \"weekends\": {\"ISR\": \"fri-sat\"}}",
	             COPLAN_EINVALID,
	             ": weekends.ISR: a string (expected an array of weekdays, e.g. [\"fri\", \"sat\"])");
	expect_error("other-format.json", "{\"format\": \"ical\", \"plan\": {}}", COPLAN_EINVALID,
	             ": format: 'ical' (expected \"coplan-plan\")");
	expect_error("no-plan.json", "{\"activities\": []}", COPLAN_EINVALID,
	             ": plan: missing (expected an object)");
	expect_error("array.json", "[1, 2]", COPLAN_EINVALID, ": the document is an array (expected an object)");
	/* syntax errors: file:line:column from jansson */
	expect_error("syntax.json", "{\n  \"plan\": {\n    \"title\": \"P\",\n    \"year\": 2024,,\n", COPLAN_EINVALID,
	             ":4:18: string or '}' expected near ','");
	expect_error("duplicate-key.json", "{\"plan\": {\"title\": \"P\",\n \"title\": \"Q\", \"year\": 2024}}",
	             COPLAN_EINVALID, ":2:8: duplicate object key near '\"title\"'");

	/* a missing file, a file over the limit */
	tmp_path(path, sizeof(path), "no-such-file.json");
	unlink(path);
	assert_int_equal(coplan_import_plan_json(&plan, path), COPLAN_EIO);
	assert_non_null(strstr(coplan_error_last(), path));
	tmp_path(path, sizeof(path), "too-large.json");
	f = fopen(path, "wb");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(truncate(path, (off_t)COPLAN_IMPORT_MAX_BYTES + 1), 0);
	assert_int_equal(coplan_import_plan_json(&plan, path), COPLAN_ELIMIT);
	assert_null(plan);
	assert_non_null(strstr(coplan_error_last(), path));
	unlink(path);
}

/* Text that is not UTF-8 is refused, and nothing is written. */
static void test_invalid_utf8(void **state)
{
	coplan_plan *plan = plan_28();
	char *out = (char *)"untouched";
	size_t len = 99;

	(void)state;
	free(plan->activities[3].title);
	plan->activities[3].title = strdup("Visit \xff\xfe");
	assert_int_equal(coplan_export(&out, &len, plan, COPLAN_FORMAT_JSON, NULL), COPLAN_EINVALID);
	assert_null(out);
	assert_int_equal(len, 0);
	out = (char *)"untouched";
	assert_int_equal(coplan_export(&out, &len, plan, COPLAN_FORMAT_ICS, NULL), COPLAN_EINVALID);
	assert_null(out);
	assert_string_equal(coplan_error_last(), "activity 'IT-04': title is not valid UTF-8");
	coplan_plan_free(plan);
}


/* A string of n copies of the 3-octet character "語" (the caller frees). */
static char *japanese(size_t n)
{
	char *s = malloc(3 * n + 1);

	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		memcpy(s + 3 * i, "\xE8\xAA\x9E", 3);
	s[3 * n] = '\0';
	return s;
}

static void test_clean_text_checker(void **state)
{
	(void)state;
	/* the checker itself: accepts what XML can carry, refuses what it cannot */
	assert_true(test_xml_clean_text("a\tb\r\n語\xEF\xBF\xBD\xF0\x9F\x98\x80", 15));
	assert_false(test_xml_clean_text("\xEF\xBF\xBE", 3));          /* U+FFFE */
	assert_false(test_xml_clean_text("\xEF\xBF\xBF", 3));          /* U+FFFF */
	assert_false(test_xml_clean_text("a\x01", 2));
	assert_false(test_xml_clean_text("\xE8\xAA", 2));              /* cut short */
	assert_false(test_xml_clean_text("\xED\xA0\x80", 3));          /* a surrogate */
	assert_false(test_xml_clean_text("\xC0\xAF", 2));              /* overlong */
}

static void test_utf8_helpers(void **state)
{
	cp_buf b = CP_BUF_INIT(1024 * 1024);
	char *ja = japanese(2000), *copy;
	long c;

	(void)state;
	/* decoding: a character, and the maximal subpart of each malformed sequence */
	assert_int_equal(cp_utf8_decode("\xE8\xAA\x9E", 3, &c), 3);
	assert_int_equal(c, 0x8A9E);
	assert_int_equal(cp_utf8_decode("\xF0\x9F\x98\x80", 4, &c), 4);
	assert_int_equal(c, 0x1F600);
	assert_int_equal(cp_utf8_decode("\xE8\xAA", 2, &c), 2);
	assert_int_equal(c, -1);
	assert_int_equal(cp_utf8_decode("\xE8\xAA" "a", 3, &c), 2);
	assert_int_equal(c, -1);
	assert_int_equal(cp_utf8_decode("\xED\xA0\x80", 3, &c), 1);   /* surrogate: ED then two strays */
	assert_int_equal(c, -1);
	assert_int_equal(cp_utf8_decode("\xE0\x80\x80", 3, &c), 1);   /* overlong */
	assert_int_equal(cp_utf8_decode("\xF4\x90\x80\x80", 4, &c), 1); /* above U+10FFFF */
	assert_int_equal(cp_utf8_decode("\x80", 1, &c), 1);
	assert_int_equal(c, -1);
	assert_true(cp_utf8_valid("語a\xEF\xBF\xBE", 7));
	assert_false(cp_utf8_valid("語\xE8\xAA", 5));

	/* cleaning: one U+FFFD per bad character or sequence; TAB, LF, CR kept */
	assert_int_equal(cp_text_puts(&b, "a\x01" "b\xEF\xBF\xBE" "c\xEF\xBF\xBF" "d\xE8\xAA" "e\tf\r\ng\x7F"), 0);
	assert_string_equal(b.data, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD" "d\xEF\xBF\xBD"
	                            "e\tf\r\ng\x7F");
	assert_true(test_xml_clean_text(b.data, b.len));
	assert_false(cp_text_is_clean("a\x1b"));
	assert_true(cp_text_is_clean(ja));
	copy = cp_text_dup("\xEF\xBF\xBF");
	assert_string_equal(copy, "\xEF\xBF\xBD");
	free(copy);

	/* shortening: at a character boundary, the ellipsis counted */
	for (size_t max = 1; max < 40; max++) {
		cp_buf_clear(&b);
		assert_int_equal(cp_text_shorten(&b, ja, max), 0);
		assert_true(test_xml_clean_text(b.data, b.len));
		assert_int_equal(b.len, 3 * (max - 1) + 3);
		assert_string_equal(b.data + b.len - 3, CP_ELLIPSIS);
	}
	cp_buf_clear(&b);
	assert_int_equal(cp_text_shorten(&b, ja, 2000), 0);   /* exactly max: whole */
	assert_string_equal(b.data, ja);
	cp_buf_clear(&b);
	assert_int_equal(cp_text_shorten(&b, "ab\xE8\xAA" "cd", 4), 0);   /* a cut-short character counts as one */
	assert_string_equal(b.data, "ab\xEF\xBF\xBD" CP_ELLIPSIS);
	cp_buf_clear(&b);
	assert_int_equal(cp_text_shorten(&b, ja, 0), 0);
	assert_int_equal(b.len, 0);

	/* escaping for XML and HTML, cleaned too */
	cp_buf_clear(&b);
	assert_int_equal(cp_xml_escape(&b, "<a href='x'>&\"\x02\xEF\xBF\xBE</a>"), 0);
	assert_string_equal(b.data, "&lt;a href=&#39;x&#39;&gt;&amp;&quot;\xEF\xBF\xBD\xEF\xBF\xBD&lt;/a&gt;");
	cp_buf_release(&b);
	free(ja);
}

/*
 * Text XML cannot carry, malformed UTF-8 and very long Japanese text in
 * every field the writers print: each document still well formed, the long
 * text whole.
 */
static void test_hostile_text(void **state)
{
	static const coplan_format formats[] = { COPLAN_FORMAT_MARKDOWN, COPLAN_FORMAT_HTML, COPLAN_FORMAT_CSV };
	coplan_plan *plan = plan_28();
	char *long_title = japanese(2000), *plan_title = japanese(600);
	coplan_export_options opts = { 0 };

	(void)state;
	free(plan->title);
	plan->title = strdup(plan_title);
	free(plan->activities[0].title);
	plan->activities[0].title = strdup(long_title);
	free(plan->activities[1].title);
	plan->activities[1].title = strdup("Visit \xEF\xBF\xBE to the fleet");
	free(plan->activities[2].title);
	plan->activities[2].title = strdup("Course \xEF\xBF\xBF in Tokyo");
	free(plan->activities[3].title);
	plan->activities[3].title = strdup("Talks\x01 and \x1b[31mred\x0b");
	free(plan->activities[4].title);
	plan->activities[4].title = strdup("Cut short \xE8\xAA");
	free(plan->activities[5].area);
	plan->activities[5].area = strdup("area \xEF\xBF\xBF");
	free(plan->talks.venue);
	plan->talks.venue = strdup("Tokyo\x02");
	unplace(plan, 6, "reason \xEF\xBF\xBE");
	opts.now = NOW;
	for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
		char *out = NULL;
		size_t len = 0;

		if (coplan_export(&out, &len, plan, formats[f], &opts))
			fail_msg("export %d failed: %s", (int)formats[f], coplan_error_last());
		assert_true(test_xml_clean_text(out, len));
		assert_non_null(strstr(out, long_title));
		assert_non_null(strstr(out, plan_title));
		assert_non_null(strstr(out, "Visit \xEF\xBF\xBD to the fleet"));
		assert_non_null(strstr(out, "Course \xEF\xBF\xBD in Tokyo"));
		assert_non_null(strstr(out, "Cut short \xEF\xBF\xBD"));
		free(out);
	}
	/* the iCalendar feed: TEXT may hold no control but TAB; malformed UTF-8 is refused, not written */
	{
		char *out = NULL;
		size_t len = 0;
		const char *line;

		free(plan->activities[4].title);
		plan->activities[4].title = strdup("Whole");
		if (coplan_export(&out, &len, plan, COPLAN_FORMAT_ICS, &opts))
			fail_msg("ics export failed: %s", coplan_error_last());
		for (line = out; *line;) {
			const char *end = strstr(line, "\r\n");

			assert_non_null(end);
			assert_true(end - line <= 75);
			assert_true(cp_utf8_valid(line, (size_t)(end - line)));
			for (const char *p = line; p < end; p++)
				assert_false((unsigned char)*p < 0x20 && *p != '\t');
			line = end + 2;
		}
		assert_non_null(strstr(out, "SUMMARY:Talks and [31mred"));
		free(out);
	}
	free(long_title);
	free(plan_title);
	coplan_plan_free(plan);
}

/*
 * Texts longer than an Excel cell: a warning per cell, naming the activity and
 * the column, counted in characters (a Japanese text of 11,000 characters is
 * 33,000 octets and fits); nothing at the limit itself.
 */
static void test_excel_cell_limit(void **state)
{
	coplan_plan *plan = plan_28();
	char *text = NULL, *long_notes = malloc(40001), *at_limit = malloc(32768);
	size_t n = 99;

	(void)state;
	assert_non_null(long_notes);
	assert_non_null(at_limit);
	assert_int_equal(coplan_export_excel_warnings(&text, &n, plan, 0), 0);
	assert_null(text);
	assert_int_equal(n, 0);
	memset(long_notes, 'n', 40000);
	long_notes[40000] = '\0';
	memset(at_limit, 't', 32767);
	at_limit[32767] = '\0';
	plan->activities[3].notes = long_notes;
	free(plan->activities[4].title);
	plan->activities[4].title = at_limit;
	plan->activities[6].location = japanese(11000);
	free(plan->activities[7].notes);
	plan->activities[7].notes = japanese(32768);
	assert_int_equal(coplan_export_excel_warnings(&text, &n, plan, 0), 0);
	assert_int_equal(n, 2);
	assert_string_equal(text,
	                    "activity 'IT-04': notes of 40000 characters, more than the 32767 an "
	                    "Excel cell holds: cut in the workbook\n"
	                    "activity 'IT-08': notes of 32768 characters, more than the 32767 an "
	                    "Excel cell holds: cut in the workbook\n");
	free(text);
	assert_int_equal(coplan_export_excel_warnings(&text, &n, plan, 1), 0);
	assert_int_equal(n, 2);
	assert_non_null(strstr(text, "activity 'IT-04': notes of 40000 characters, more than the "
	                       "32767 an Excel cell holds: Excel will cut it when it opens the file"));
	free(text);
	coplan_plan_free(plan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_json_minimal),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_clean_text_checker),
		cmocka_unit_test(test_utf8_helpers),
		cmocka_unit_test(test_hostile_text),
		cmocka_unit_test(test_excel_cell_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

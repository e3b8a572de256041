/* SPDX-License-Identifier: Apache-2.0 */
/* test_amendment.c - what documents say they are, and the amendment to sign, through the service layer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "coplan/coplan.h"
#include "test_util.h"

#define EXAMPLE COPLAN_SOURCE_DIR "/examples/italy-japan-2024"

static char db_path[512];

static time_t fixed_clock(void *payload)
{
	(void)payload;
	return 1717200000;   /* 2024-06-01T00:00:00Z */
}

/* A context on a fresh database holding the example, planned, agreed (v1) and signed (v2). */
static int setup(void **state)
{
	static coplan_ctx ctx;
	coplan_plan_folder_result folder;
	coplan_schedule_request req = { -1, 1, 0, 0 };
	coplan_plan *plan = NULL;

	snprintf(db_path, sizeof(db_path), "%s/test_amendment_%ld.db", COPLAN_TEST_TMP, (long)getpid());
	test_remove_db(db_path);
	memset(&ctx, 0, sizeof(ctx));
	ctx.user = "Lt Col Test";
	ctx.clock = fixed_clock;
	if (coplan_store_open(&ctx.store, db_path))
		return -1;
	if (coplan_service_plan_folder_read(EXAMPLE, NULL, &plan, &folder) ||
	    coplan_service_plan_new(&ctx, plan, &req, &folder.schedule))
		return -1;
	coplan_plan_folder_result_clear(&folder);
	coplan_plan_free(plan);
	*state = &ctx;
	return 0;
}

static int teardown(void **state)
{
	coplan_ctx *ctx = *state;

	coplan_store_close(ctx->store);
	ctx->store = NULL;
	test_remove_db(db_path);
	return 0;
}

static void save(const coplan_ctx *ctx, coplan_version_state state, const char *note, int want)
{
	int number = 0;

	assert_int_equal(coplan_service_version_save(ctx, 0, state, note, &number, NULL, NULL), 0);
	assert_int_equal(number, want);
}

static char *render(const coplan_ctx *ctx, const char *format, const char *pattern)
{
	coplan_render_options opts = { .gantt = { 0, COPLAN_DATE_NONE, COPLAN_DATE_NONE, 0 } };
	char *out = NULL;
	size_t len = 0;

	opts.reference_pattern = pattern;
	assert_int_equal(coplan_service_render(ctx, 0, format, &opts, &out, &len, NULL), 0);
	assert_int_equal(strlen(out), len);
	return out;
}

static char *amendment(const coplan_ctx *ctx, int number, const char *format)
{
	char *out = NULL;
	size_t len = 0;

	assert_int_equal(coplan_service_amendment(ctx, 0, number, format, NULL, &out, &len, NULL), 0);
	assert_non_null(out);
	assert_true(len > 0);
	return out;
}

static void test_reference_pattern(void **state)
{
	coplan_plan *plan = NULL;
	char ref[COPLAN_DOCUMENT_REF_LEN], tiny[8];

	(void)state;
	assert_int_equal(coplan_service_load(*state, 0, &plan, NULL), 0);
	assert_int_equal(coplan_document_reference(ref, sizeof(ref), NULL, plan, 3), 0);
	assert_string_equal(ref, "ITA-JPN-2024-v3");
	assert_int_equal(coplan_document_reference(ref, sizeof(ref), "<title> (<series>) no. <N>", plan, 12), 0);
	assert_string_equal(ref, "Cooperation Plan 2024 (ITA-JPN) no. 12");
	assert_int_equal(coplan_document_reference(ref, sizeof(ref), "<N", plan, 1), 0);
	assert_string_equal(ref, "<N");
	assert_int_equal(coplan_document_reference(ref, sizeof(ref), "<series>-<month>", plan, 1), COPLAN_EUSAGE);
	assert_string_equal(ref, "");
	assert_int_equal(coplan_document_reference(ref, sizeof(ref), NULL, plan, 0), COPLAN_EUSAGE);
	assert_int_equal(coplan_document_reference(tiny, sizeof(tiny), NULL, plan, 1), COPLAN_ELIMIT);
	assert_string_equal(tiny, "");
	coplan_plan_free(plan);
}

static void test_document_info(void **state)
{
	const coplan_ctx *ctx = *state;
	coplan_document_info info;
	char *md, *html;

	/* never saved: a draft, issued on the clock's day */
	assert_int_equal(coplan_service_document_info(ctx, 0, NULL, &info), 0);
	assert_int_equal(info.version, 0);
	assert_int_equal(info.state, COPLAN_VERSION_DRAFT);
	assert_int_equal(info.issued, coplan_date_from_ymd(2024, 6, 1));
	md = render(ctx, "md", NULL);
	assert_non_null(strstr(md, "**Ref. draft, not saved — DRAFT, issued 1 Jun 2024**"));
	free(md);

	save(ctx, COPLAN_VERSION_AGREED, "agreed at the 8th staff talks", 1);
	save(ctx, COPLAN_VERSION_SIGNED, NULL, 2);
	assert_int_equal(coplan_service_document_info(ctx, 0, NULL, &info), 0);
	assert_int_equal(info.version, 2);
	assert_int_equal(info.state, COPLAN_VERSION_SIGNED);
	assert_string_equal(info.reference, "ITA-JPN-2024-v2");
	assert_int_equal(info.amendment, 0);
	html = render(ctx, "html", "<series>/<N>");
	assert_non_null(strstr(html, "<p class=\"docinfo\">Ref. ITA-JPN/2 — version 2, SIGNED, issued "));
	assert_null(strstr(html, "class=\"watermark\""));
	free(html);

	/* execution tracked on the signed plan leaves it the signed version */
	assert_int_equal(coplan_store_set_status(ctx->store, 0, "IT-01", COPLAN_STATUS_EXECUTED,
	                                         COPLAN_DATE_NONE, COPLAN_DATE_NONE, NULL, "Lt Col Test"), 0);
	assert_int_equal(coplan_service_document_info(ctx, 0, NULL, &info), 0);
	assert_int_equal(info.version, 2);
	/* a cancellation changes the plan: the plan as it stands is not saved */
	assert_int_equal(coplan_store_set_status(ctx->store, 0, "IT-02", COPLAN_STATUS_CANCELLED,
	                                         COPLAN_DATE_NONE, COPLAN_DATE_NONE, "budget cut",
	                                         "Lt Col Test"), 0);
	assert_int_equal(coplan_service_document_info(ctx, 0, NULL, &info), 0);
	assert_int_equal(info.version, 0);
	assert_int_equal(info.state, COPLAN_VERSION_DRAFT);
	/* and counts apart: 28 activities, 11 hosted in Italy, one of them cancelled */
	md = render(ctx, "md", NULL);
	assert_non_null(strstr(md, "\n27 activities: 10 in Italy, 17 in Japan; 1 cancelled (Italy)\n"));
	free(md);
	html = render(ctx, "html", NULL);
	assert_non_null(strstr(html, "<p class=\"watermark\">DRAFT</p>"));
	assert_non_null(strstr(html, "<tr><td>Italy</td><td class=\"num\">10</td><td class=\"num\">1</td></tr>"));
	free(html);
	assert_int_equal(coplan_service_document_info(ctx, 0, "<bad>", &info), COPLAN_EUSAGE);
}

static void test_amendment(void **state)
{
	const coplan_ctx *ctx = *state;
	coplan_status_change typhoon = { "JP-03", COPLAN_STATUS_POSTPONED, COPLAN_DATE_NONE, COPLAN_DATE_NONE,
	                                 "typhoon Shanshan", NULL };
	coplan_plan *signed_plan = NULL;
	coplan_document_info info;
	char before[64], after[64], *html, *pdf = NULL, *out = NULL;
	size_t len = 0;
	long id = 0;
	FILE *f;

	save(ctx, COPLAN_VERSION_AGREED, NULL, 1);
	save(ctx, COPLAN_VERSION_SIGNED, NULL, 2);
	assert_int_equal(coplan_service_amendment(ctx, 0, 1, "pdf", NULL, &out, &len, NULL), COPLAN_ENOTFOUND);
	assert_null(out);
	assert_non_null(strstr(coplan_error_last(), "has 0 amendments"));

	/* JP-03 moves a week on, for a typhoon; IT-02 is cancelled; IT-01 executed */
	assert_int_equal(coplan_service_load(ctx, 0, &signed_plan, &id), 0);
	coplan_plan_free(signed_plan);
	assert_int_equal(coplan_store_version_load(ctx->store, id, 2, &signed_plan), 0);
	for (size_t i = 0; i < signed_plan->n_activities; i++) {
		const coplan_activity *a = &signed_plan->activities[i];

		if (strcmp(a->ref, "JP-03"))
			continue;
		typhoon.start = a->start + 7;
		typhoon.end = a->end + 7;
		coplan_report_date_range(before, sizeof(before), a->start, a->end);
		coplan_report_date_range(after, sizeof(after), typhoon.start, typhoon.end);
	}
	coplan_plan_free(signed_plan);
	assert_int_equal(coplan_service_set_statuses(ctx, 0, &typhoon, 1, 0, NULL), 0);
	assert_int_equal(coplan_store_set_status(ctx->store, 0, "IT-02", COPLAN_STATUS_CANCELLED,
	                                         COPLAN_DATE_NONE, COPLAN_DATE_NONE, "budget cut",
	                                         "Lt Col Test"), 0);
	assert_int_equal(coplan_store_set_status(ctx->store, 0, "IT-01", COPLAN_STATUS_EXECUTED,
	                                         COPLAN_DATE_NONE, COPLAN_DATE_NONE, NULL, "Lt Col Test"), 0);
	save(ctx, COPLAN_VERSION_DRAFT, "Amendment No. 1", 3);

	/* the draft: version 3, watermarked */
	html = amendment(ctx, 1, "html");
	assert_non_null(strstr(html, "<h1>Amendment No. 1 to the Cooperation Plan 2024</h1>"));
	assert_non_null(strstr(html, "amends the plan Ref. ITA-JPN-2024-v2, as signed"));
	assert_non_null(strstr(html, "Ref. ITA-JPN-2024-v3 — version 3, DRAFT"));
	assert_non_null(strstr(html, "<p class=\"watermark\">DRAFT</p>"));
	free(html);
	assert_int_equal(coplan_service_document_info(ctx, 0, NULL, &info), 0);
	assert_int_equal(info.version, 3);
	assert_int_equal(info.amendment, 1);

	save(ctx, COPLAN_VERSION_AGREED, NULL, 4);
	save(ctx, COPLAN_VERSION_SIGNED, NULL, 5);
	html = amendment(ctx, 1, "html");
	assert_non_null(strstr(html, "Ref. ITA-JPN-2024-v5 — version 5, SIGNED"));
	assert_null(strstr(html, "class=\"watermark\""));
	/* each change with its old and new values and its reason; execution is no amendment */
	assert_non_null(strstr(html, "<td>moved</td><td><strong>JP-03</strong>"));
	assert_non_null(strstr(html, before));
	assert_non_null(strstr(html, after));
	assert_non_null(strstr(html, "<td>typhoon Shanshan</td>"));
	assert_non_null(strstr(html, "<td>planned</td><td>cancelled</td><td>budget cut</td>"));
	assert_null(strstr(html, "IT-01"));
	assert_non_null(strstr(html, "Signed for the parties by the heads of delegation"));
	assert_non_null(strstr(html, "For Japan"));
	free(html);
	pdf = amendment(ctx, 1, "pdf");
	assert_memory_equal(pdf, "%PDF-", 5);
	f = fopen(COPLAN_TEST_TMP "/amendment-1.pdf", "wb");
	if (f) {
		size_t n = 0;

		free(pdf);
		assert_int_equal(coplan_service_amendment(ctx, 0, 1, "pdf", NULL, &pdf, &n, NULL), 0);
		fwrite(pdf, 1, n, f);
		fclose(f);
	}
	free(pdf);

	/* the errors: no Amendment No. 2, no markdown amendment, no number 0 */
	assert_int_equal(coplan_service_amendment(ctx, 0, 2, "pdf", NULL, &out, &len, NULL), COPLAN_ENOTFOUND);
	assert_non_null(strstr(coplan_error_last(), "has 1 amendment:"));
	assert_int_equal(coplan_service_amendment(ctx, 0, 1, "md", NULL, &out, &len, NULL), COPLAN_EUSAGE);
	assert_int_equal(coplan_service_amendment(ctx, 0, 0, "pdf", NULL, &out, &len, NULL), COPLAN_EUSAGE);
	assert_null(out);

	/* the plan itself now says it is amended */
	assert_int_equal(coplan_service_document_info(ctx, 0, NULL, &info), 0);
	assert_int_equal(info.version, 5);
	assert_int_equal(info.amendment, 1);
}

/* The index of the first change of kind about ref (and field, when not NULL), or -1. */
static long find_change(const coplan_change *c, size_t n, coplan_change_kind kind, const char *ref,
                        const char *field)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].kind == kind && !strcmp(c[i].ref, ref) && (!field || (c[i].field && !strcmp(c[i].field, field))))
			return (long)i;
	return -1;
}

/*
 * An amendment made by editing: each edit's reason, given with the edit,
 * is the reason its change shows; blackouts added and deleted are changes
 * with their days and reason, in version compare and in the document.
 */
static void test_amendment_edits(void **state)
{
	const coplan_ctx *ctx = *state;
	coplan_field_value longer[] = { { "duration", "20" } };
	coplan_field_value seminar[] = { { "title", "Space situational awareness seminar" },
	                                 { "host", "ITA" }, { "duration", "3" } };
	coplan_field_value where[] = { { "location", "Naples" } };
	coplan_blackout review = { (char *)"JMSDF Yokosuka District", coplan_date_from_ymd(2024, 8, 19),
	                           coplan_date_from_ymd(2024, 8, 30), 1, (char *)"fleet review", NULL };
	coplan_change *changes = NULL;
	coplan_activity_event *ev = NULL;
	size_t n = 0, n_ev = 0;
	char *html, *text = NULL;
	long at;

	save(ctx, COPLAN_VERSION_AGREED, NULL, 1);
	save(ctx, COPLAN_VERSION_SIGNED, NULL, 2);
	assert_int_equal(coplan_service_amend(ctx, 0, NULL, NULL, NULL), 0);
	assert_int_equal(coplan_service_activity_edit(ctx, 0, "IT-01", -1, longer, 1, NULL,
	                                              "the course grew a module", NULL, NULL), 0);
	/* a second edit of the same activity, another field, another reason */
	assert_int_equal(coplan_service_activity_edit(ctx, 0, "IT-01", -1, where, 1, NULL,
	                                              "Rome venue closed", NULL, NULL), 0);
	assert_int_equal(coplan_service_activity_add(ctx, 0, "IT-90", seminar, 3, NULL,
	                                             "agreed by letter in March"), 0);
	assert_int_equal(coplan_service_activity_delete(ctx, 0, "JP-12", -1, "merged into JP-11"), 0);
	assert_int_equal(coplan_service_blackout_add(ctx, 0, &review), 0);
	/* blackout 6: the carrier strike group's work-up, called off */
	assert_int_equal(coplan_service_blackout_delete(ctx, 0, 6, NULL, "deployment cancelled"), 0);
	/* an over-long or control-character reason changes nothing */
	assert_int_equal(coplan_service_activity_edit(ctx, 0, "IT-02", -1, where, 1, NULL, "bad\x01reason",
	                                              NULL, NULL), COPLAN_EINVALID);

	/* the history has each edit, by identity, with its fields and reason */
	assert_int_equal(coplan_service_history(ctx, 0, "IT-01", &ev, &n_ev), 0);
	assert_int_equal(n_ev, 2);
	assert_int_equal(ev[0].action, COPLAN_EVENT_EDITED);
	assert_string_equal(ev[0].detail, "duration");
	assert_string_equal(ev[0].reason, "the course grew a module");
	assert_string_equal(ev[1].detail, "location");
	assert_string_equal(ev[0].author, "Lt Col Test");
	assert_int_equal(strlen(ev[0].uuid), 36);
	coplan_activity_events_free(ev, n_ev);

	/* version compare: the signed version against the plan as it stands */
	assert_int_equal(coplan_service_compare(ctx, 0, "2", "current", &changes, &n), 0);
	assert_true(find_change(changes, n, COPLAN_CHANGE_FIELD, "IT-01", "duration") >= 0);
	assert_true(find_change(changes, n, COPLAN_CHANGE_ADDED, "IT-90", NULL) >= 0);
	assert_true(find_change(changes, n, COPLAN_CHANGE_REMOVED, "JP-12", NULL) >= 0);
	at = find_change(changes, n, COPLAN_CHANGE_ADDED, "JMSDF Yokosuka District", "hard blackout");
	assert_true(at >= 0);
	assert_int_equal(changes[at].subject, COPLAN_CHANGE_BLACKOUT);
	assert_int_equal(changes[at].from, review.from);
	assert_string_equal(changes[at].after, "19–30 Aug 2024: fleet review");
	at = find_change(changes, n, COPLAN_CHANGE_REMOVED, "ITS Cavour Carrier Strike Group", "hard blackout");
	assert_true(at >= 0);
	assert_non_null(strstr(changes[at].before, "work-up and deployment to the Indo-Pacific"));
	assert_int_equal(coplan_changes_format(&text, NULL, changes, n, 0), 0);
	assert_non_null(strstr(text, "added    hard blackout of JMSDF Yokosuka District (19–30 Aug 2024: fleet review)\n"));
	assert_non_null(strstr(text, "removed  hard blackout of ITS Cavour Carrier Strike Group (15 Jan"));
	free(text);
	coplan_changes_free(changes, n);

	/* the document: each change with the reason given with it */
	html = amendment(ctx, 1, "html");
	assert_non_null(strstr(html, "<td>changed</td><td><strong>IT-01</strong> Joint Services Staff College"));
	assert_non_null(strstr(html, "<td>duration</td><td>15 days</td><td>20 days</td><td>the course grew a module</td>"));
	assert_non_null(strstr(html, "<td>location</td><td>Rome, Centro Alti Studi per la Difesa</td><td>Naples</td>"
	                             "<td>Rome venue closed</td>"));
	assert_non_null(strstr(html, "<td>added</td><td><strong>IT-90</strong> Space situational awareness seminar"));
	assert_non_null(strstr(html, "<td>agreed by letter in March</td>"));
	assert_non_null(strstr(html, "<td>removed</td><td><strong>JP-12</strong>"));
	assert_non_null(strstr(html, "<td>merged into JP-11</td>"));
	assert_non_null(strstr(html, "<td>added</td><td><strong>JMSDF Yokosuka District</strong> blackout</td>"
	                             "<td>hard blackout</td><td>–</td><td>19–30 Aug 2024: fleet review</td>"
	                             "<td>fleet review</td>"));
	assert_non_null(strstr(html, "<td>removed</td><td><strong>ITS Cavour Carrier Strike Group</strong> "
	                             "blackout</td>"));
	assert_non_null(strstr(html, "<td>deployment cancelled</td>"));
	free(html);
}

/* A ref deleted and used again starts a new history: the old activity's is not the new one's. */
static void test_history_by_identity(void **state)
{
	const coplan_ctx *ctx = *state;
	coplan_field_value talks[] = { { "title", "Staff talks follow-up" }, { "host", "JPN" } };
	coplan_status_change cancel = { "IT-90", COPLAN_STATUS_CANCELLED, COPLAN_DATE_NONE, COPLAN_DATE_NONE,
	                                 "budget", NULL };
	coplan_activity_event *ev = NULL;
	char first[COPLAN_UUID_LEN];
	size_t n = 0;

	assert_int_equal(coplan_service_activity_add(ctx, 0, "IT-90", talks, 2, NULL, "first"), 0);
	assert_int_equal(coplan_service_set_statuses(ctx, 0, &cancel, 1, 0, NULL), 0);
	assert_int_equal(coplan_service_history(ctx, 0, "IT-90", &ev, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ev[1].action, COPLAN_EVENT_STATUS);
	assert_int_equal(ev[1].status, COPLAN_STATUS_CANCELLED);
	assert_string_equal(ev[0].uuid, ev[1].uuid);
	memcpy(first, ev[0].uuid, sizeof(first));
	coplan_activity_events_free(ev, n);

	assert_int_equal(coplan_service_activity_delete(ctx, 0, "it-90", -1, "entered by mistake"), 0);
	/* deleted: the ref's history still answers, the deletion last */
	assert_int_equal(coplan_service_history(ctx, 0, "IT-90", &ev, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(ev[2].action, COPLAN_EVENT_DELETED);
	assert_string_equal(ev[2].uuid, first);
	assert_int_equal(ev[2].status, COPLAN_STATUS_CANCELLED);
	coplan_activity_events_free(ev, n);

	/* added again: a new activity, a new identity, a history of its own */
	assert_int_equal(coplan_service_activity_add(ctx, 0, "IT-90", talks, 2, NULL, "second"), 0);
	assert_int_equal(coplan_service_history(ctx, 0, "IT-90", &ev, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ev[0].action, COPLAN_EVENT_ADDED);
	assert_int_equal(ev[0].status, COPLAN_STATUS_PLANNED);
	assert_string_equal(ev[0].reason, "second");
	assert_string_not_equal(ev[0].uuid, first);
	coplan_activity_events_free(ev, n);
	/* the plan's whole history keeps all four entries */
	assert_int_equal(coplan_service_history(ctx, 0, NULL, &ev, &n), 0);
	assert_int_equal(n, 4);
	coplan_activity_events_free(ev, n);
}

/*
 * LeakSanitizer: cairo 1.16 (Debian 12) loses about 768 bytes per embedded
 * CFF font subset when a PDF surface is finished (see test_document.c);
 * suppressed by name, seen only with the slow unwinder.
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
		cmocka_unit_test_setup_teardown(test_reference_pattern, setup, teardown),
		cmocka_unit_test_setup_teardown(test_document_info, setup, teardown),
		cmocka_unit_test_setup_teardown(test_amendment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_amendment_edits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history_by_identity, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	coplan_document_shutdown();
	return rc;
}

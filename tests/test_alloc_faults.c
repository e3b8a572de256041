/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_alloc_faults.c - every allocation coplan's own code makes during a use case, made to
 * fail in turn (a counting allocator, as SQLite's test_malloc.c does): the 1st, the 2nd, ...
 * until the use case completes without reaching the failing one.  Each time the use case must
 * return COPLAN_ENOMEM (never crash, never report the input as bad, never succeed with a
 * piece missing), leak nothing (the ASan build runs this test with leak checks), and leave
 * the database exactly as it was (every table's rows, compared as text, before and after).
 *
 * The use cases: what `coplan import examples/italy-japan-2024/plan.json` then
 * `coplan import .../activities.csv` do, `coplan schedule`, and `coplan export pdf`; each
 * including the opening and closing of the store, as the command does.
 *
 * How: this program is linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,
 * --wrap=strdup,--wrap=strndup,--wrap=realpath (tests/CMakeLists.txt).  The linker's --wrap
 * redirects the calls made by the static objects of this link (coplan's library, the test
 * support and this file) to the __wrap_ functions below; the shared libraries keep calling the
 * C library directly.  The library itself has no hook and no global for this.
 *
 * Covered: every malloc, calloc, realloc, strdup, strndup and realpath(path, NULL) call in
 * src/ (the only allocators src/ calls; cp_strdup and the buffers go through malloc/realloc).
 * Not covered: allocations made inside the shared libraries coplan calls - SQLite, jansson,
 * libical, libxml2, libzip, libcsv, cairo, pango, glib, fontconfig (glib and pango abort on a
 * failed allocation by design; SQLite's own are made to fail by its own test suite), nor
 * allocations made by the C library for coplan (stdio buffers, vsnprintf).  Every allocation
 * of the imports is failed, and of the schedule every one up to the start of its search and
 * SEARCH_HEAD beyond; after that, where each run costs a whole search (a fixed budget of moves:
 * 0.1 s, 0.5 s under ASan), every SEARCH_STRIDE-th (the plan's second load, to check it did not
 * change meanwhile, and the save) and the last.  The PDF export: its first SEARCH_HEAD, then
 * every PDF_STRIDE-th and the last (under ASan it runs with the slow unwinder, see below).  Process-wide tables read once (the ISO 3166 names) are read by the first run, which
 * counts; test_nation_table fails each allocation of that reading apart.
 *
 * `test_alloc_faults` runs the imports and the schedule, `test_alloc_faults pdf` the PDF export
 * (ctest: test_alloc_faults_pdf).  When a write into the PDF's buffer fails, cairo 1.16 leaks
 * what it was writing inside cairo_surface_finish() (our code destroys the surface); under ASan
 * that test runs with tests/lsan-cairo.supp, which suppresses only leaks allocated under
 * cairo_surface_finish() (so a surface we forgot to destroy is still a leak), and with
 * fast_unwind_on_malloc=0, since cairo is built without frame pointers.
 */
#include <errno.h>
#include <execinfo.h>
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
#define SEARCH_HEAD 64
#define SEARCH_STRIDE 12
#define PDF_STRIDE 2

/* ---- the counting allocator (this test program's state, not the library's) ---- */

static struct {
	int armed;             /* count only while a use case runs */
	long count;            /* allocations made since armed */
	long fail_at;          /* the one that fails (1-based); 0: none */
	int hit;               /* it was reached */
	int trace;             /* print its stack (COPLAN_TEST_ALLOC_TRACE) */
} faults;

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
char *__real_realpath(const char *path, char *resolved);

static int fail_now(void)
{
	if (!faults.armed)
		return 0;
	if (++faults.count != faults.fail_at)
		return 0;
	faults.hit = 1;
	if (faults.trace) {
		/* COPLAN_TEST_ALLOC_TRACE=N in the environment: where allocation N is made */
		void *frames[32];

		backtrace_symbols_fd(frames, backtrace(frames, 32), 2);
	}
	errno = ENOMEM;
	return 1;
}

void *__wrap_malloc(size_t n) { return fail_now() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t size) { return fail_now() ? NULL : __real_calloc(n, size); }
void *__wrap_realloc(void *p, size_t n) { return fail_now() ? NULL : __real_realloc(p, n); }
char *__wrap_strdup(const char *s) { return fail_now() ? NULL : __real_strdup(s); }
char *__wrap_strndup(const char *s, size_t n) { return fail_now() ? NULL : __real_strndup(s, n); }
char *__wrap_realpath(const char *path, char *resolved)
{
	/* only realpath(path, NULL) allocates */
	return !resolved && fail_now() ? NULL : __real_realpath(path, resolved);
}

static void arm(long fail_at)
{
	faults.count = 0;
	faults.fail_at = fail_at;
	faults.hit = 0;
	faults.armed = 1;
}

static void disarm(void)
{
	faults.armed = 0;
}

/* ---- the use cases, each as its command does it ---------------------------- */

static char base_path[512], run_path[512];

static int import_file(const char *path)
{
	coplan_ctx ctx = { 0 };
	coplan_import_request req = { 0 };
	coplan_import_result res;
	int rc;

	memset(&res, 0, sizeof(res));
	ctx.user = "Lt Col Test";
	req.path = path;
	if ((rc = coplan_service_import_check(&req, &res.kind)))
		return rc;
	if ((rc = coplan_store_open_existing(&ctx.store, run_path)))
		return rc;
	rc = coplan_service_import(&ctx, &req, &res);
	coplan_import_result_clear(&res);
	coplan_store_close(ctx.store);
	return rc;
}

static int uc_import_plan(void) { return import_file(EXAMPLE "/plan.json"); }
static int uc_import_activities(void) { return import_file(EXAMPLE "/activities.csv"); }

/* The count when the search began (the progress callback's first call after construction). */
static long search_began;

static void on_progress(const coplan_score *best, double elapsed, void *payload)
{
	(void)best;
	(void)elapsed;
	(void)payload;
	if (!search_began)
		search_began = faults.count;
}

static int uc_schedule(void)
{
	coplan_ctx ctx = { 0 };
	coplan_schedule_request req = { -1, 1, 0, 0 };
	coplan_schedule_result res;
	int rc;

	memset(&res, 0, sizeof(res));
	ctx.user = "Lt Col Test";
	ctx.progress = on_progress;
	if ((rc = coplan_store_open_existing(&ctx.store, run_path)))
		return rc;
	rc = coplan_service_schedule(&ctx, 0, &req, &res);
	coplan_schedule_result_clear(&res);
	coplan_store_close(ctx.store);
	return rc;
}

static int uc_export_pdf(void)
{
	coplan_ctx ctx = { 0 };
	char *pdf = NULL;
	size_t len = 0;
	int rc;

	ctx.user = "Lt Col Test";
	if ((rc = coplan_store_open_existing(&ctx.store, run_path)))
		return rc;
	rc = coplan_service_render(&ctx, 0, "pdf", NULL, &pdf, &len, NULL);
	if (!rc && (len < 1000 || memcmp(pdf, "%PDF-", 5) != 0))
		rc = -1000;    /* "succeeded" without a PDF */
	free(pdf);
	coplan_store_close(ctx.store);
	return rc;
}

typedef struct {
	const char *name;
	int (*run)(void);
	void (*prepare)(void);     /* brings base_path to the state the use case starts from */
	long stride;               /* > 1: past the search's start, every stride-th allocation */
} use_case;

/* The database each use case starts from: built through the same use cases, unarmed. */
static void prepare_empty(void)
{
	coplan_store *store = NULL;

	test_remove_db(base_path);
	assert_int_equal(coplan_store_open(&store, base_path), 0);
	coplan_store_close(store);
}

static void run_unarmed(int (*fn)(void))
{
	test_copy_db(base_path, run_path);
	if (fn() != 0)
		fail_msg("setting up: %s", coplan_error_last());
	test_copy_db(run_path, base_path);
}

static void prepare_plan(void) { prepare_empty(); run_unarmed(uc_import_plan); }
static void prepare_activities(void) { prepare_plan(); run_unarmed(uc_import_activities); }
static void prepare_scheduled(void) { prepare_activities(); run_unarmed(uc_schedule); }

/* Fail each allocation of uc in turn; return how many allocations were failed. */
static long fail_each(const use_case *uc)
{
	char *before, *after;
	long tried = 0, n_allocs, began;
	/* COPLAN_TEST_ALLOC_TRACE=N: fail allocation N only, and print where it is made */
	long trace_at = getenv("COPLAN_TEST_ALLOC_TRACE") ? atol(getenv("COPLAN_TEST_ALLOC_TRACE")) : 0;
	int rc;

	uc->prepare();
	before = test_db_dump(base_path);
	/* a run with nothing failing: counts the allocations, and must change what it should */
	test_copy_db(base_path, run_path);
	search_began = 0;
	arm(0);
	rc = uc->run();
	disarm();
	n_allocs = faults.count;
	began = search_began;
	if (rc != 0)
		fail_msg("%s: fails with no allocation failing: %s", uc->name, coplan_error_last());
	print_message("%s: %ld allocations by coplan's code", uc->name, n_allocs);
	if (began)
		print_message(" (the search begins after allocation %ld)", began);
	print_message("\n");
	assert_true(n_allocs > 0);
	for (long fail_at = 1;; fail_at++) {
		char msg[1024];

		/* each run that fails past the search's start searches in full (0.1-0.5 s): a stride
		 * there, after every allocation of the search's own start (the first SEARCH_HEAD);
		 * for the PDF (began 0) a stride after its first SEARCH_HEAD; the last always */
		if (uc->stride > 1 && fail_at > began + SEARCH_HEAD && fail_at < n_allocs &&
		    (fail_at - began) % uc->stride != 0)
			continue;
		if (trace_at && fail_at != trace_at) {
			if (fail_at > trace_at)
				break;
			continue;   /* looking into one allocation: only that one */
		}
		test_copy_db(base_path, run_path);
		coplan_error_clear();
		faults.trace = trace_at == fail_at;
		arm(fail_at);
		rc = uc->run();
		disarm();
		snprintf(msg, sizeof(msg), "%s", coplan_error_last());
		if (getenv("COPLAN_TEST_ALLOC_VERBOSE"))
			print_message("%s: allocation %ld failing: %d allocations, rc %d (%s)\n", uc->name, fail_at,
			              (int)faults.count, rc, msg);
		if (!faults.hit) {
			/* the use case got past its last allocation: done */
			if (rc != 0)
				fail_msg("%s: fails with no allocation failing: %s", uc->name, msg);
			break;
		}
		tried++;
		if (rc != COPLAN_ENOMEM)
			fail_msg("%s, allocation %ld of %ld failing: returned %d, not COPLAN_ENOMEM (%s)",
			         uc->name, fail_at, n_allocs, rc, msg);
		if (!strstr(msg, "out of memory"))
			fail_msg("%s, allocation %ld failing: the message does not say out of memory: '%s'",
			         uc->name, fail_at, msg);
		after = test_db_dump(run_path);
		if (strcmp(before, after) != 0)
			fail_msg("%s, allocation %ld failing: the database changed", uc->name, fail_at);
		free(after);
	}
	free(before);
	print_message("%s: %ld allocations failed in turn, each COPLAN_ENOMEM, the database unchanged\n",
	              uc->name, tried);
	return trace_at ? 1 : tried;
}

static const use_case use_cases[] = {
	{ "import plan.json", uc_import_plan, prepare_empty, 1 },
	{ "import activities.csv", uc_import_activities, prepare_plan, 1 },
	{ "schedule", uc_schedule, prepare_activities, SEARCH_STRIDE },
	{ "export pdf", uc_export_pdf, prepare_scheduled, PDF_STRIDE },
};

/*
 * The nation table (ISO 3166-1, read once per process at the first lookup): each allocation of
 * its reading failing in turn leaves no table cut short, and the next lookup reads it again.
 * The first test, so that the table is not read yet.
 */
static void test_nation_table(void **state)
{
	long tried = 0;

	(void)state;
	for (long fail_at = 1;; fail_at++) {
		int valid;

		arm(fail_at);
		valid = coplan_nation_valid("ZWE");   /* the last code: a table cut short lacks it */
		disarm();
		if (!faults.hit) {
			assert_true(valid);
			break;
		}
		assert_false(valid);
		tried++;
	}
	assert_true(tried > 100);
	assert_non_null(coplan_nation_name("ITA"));
}

static void test_import_plan(void **state) { (void)state; assert_true(fail_each(&use_cases[0]) > 0); }
static void test_import_activities(void **state) { (void)state; assert_true(fail_each(&use_cases[1]) > 0); }
static void test_schedule(void **state) { (void)state; assert_true(fail_each(&use_cases[2]) > 0); }
static void test_export_pdf(void **state) { (void)state; assert_true(fail_each(&use_cases[3]) > 0); }

static int setup(void **state)
{
	(void)state;
	snprintf(base_path, sizeof(base_path), "%s/test_alloc_faults_%ld.db", COPLAN_TEST_TMP, (long)getpid());
	snprintf(run_path, sizeof(run_path), "%s/test_alloc_faults_run_%ld.db", COPLAN_TEST_TMP, (long)getpid());
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_remove_db(base_path);
	test_remove_db(run_path);
	coplan_document_shutdown();
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nation_table),
		cmocka_unit_test(test_import_plan),
		cmocka_unit_test(test_import_activities),
		cmocka_unit_test(test_schedule),
	};
	/* apart, as ctest's test_alloc_faults_pdf: under ASan it needs the suppression (above) */
	const struct CMUnitTest pdf[] = {
		cmocka_unit_test(test_export_pdf),
	};

	if (argc > 1 && !strcmp(argv[1], "pdf"))
		return cmocka_run_group_tests(pdf, setup, teardown);
	if (argc > 1) {
		/* one test by name, when looking into a failure */
		cmocka_set_test_filter(argv[1]);
		return cmocka_run_group_tests(tests, setup, teardown) | cmocka_run_group_tests(pdf, setup, teardown);
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}

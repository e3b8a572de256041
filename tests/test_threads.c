/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_threads.c - eight threads, each with its own plan: read it, schedule
 * it, explain activities, write it in every format; each thread's output is
 * byte for byte the single-threaded one.  Built with -fsanitize=thread
 * (cmake -DCOPLAN_TSAN=ON, make test-tsan) it also proves the library has
 * no data race on these paths.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "coplan/coplan.h"
#include "coplan/document.h"

#define N_THREADS 8
#define EXAMPLE COPLAN_SOURCE_DIR "/examples/italy-japan-2024"
/* A fixed budget of moves: the same schedule on every machine, short under TSan. */
#define MOVES 20000UL

/* What one run produces, all concatenated with a label before each part. */
typedef struct {
	int index;     /* which plan variant: 0 the example, 1 with a hard blackout on Japan in May */
	char *out;
	size_t len;
	int rc;
	char err[256];
} run;

static int append(run *r, const char *label, const char *data, size_t n)
{
	size_t ll = strlen(label);
	char *p = realloc(r->out, r->len + ll + n + 2);

	if (!p)
		return -1;
	r->out = p;
	memcpy(r->out + r->len, label, ll);
	r->len += ll;
	r->out[r->len++] = '\n';
	memcpy(r->out + r->len, data, n);
	r->len += n;
	r->out[r->len++] = '\n';
	return 0;
}

/*
 * The PDF carries its creation time (cairo writes /CreationDate); blank it
 * so that two runs a second apart compare equal.
 */
static void blank_creation_date(char *pdf, size_t len)
{
	static const char key[] = "/CreationDate (";
	char *p = pdf;

	while ((size_t)(p - pdf) + sizeof(key) < len) {
		char *q = memchr(p, '/', len - (size_t)(p - pdf));

		if (!q || (size_t)(q - pdf) + sizeof(key) > len)
			return;
		if (!memcmp(q, key, sizeof(key) - 1)) {
			for (q += sizeof(key) - 1; (size_t)(q - pdf) < len && *q != ')'; q++)
				*q = '0';
			return;
		}
		p = q + 1;
	}
}

#define FAIL(r, ...) do { snprintf((r)->err, sizeof((r)->err), __VA_ARGS__); (r)->rc = -1; goto cleanup; } while (0)

static void *work(void *arg)
{
	static const char *const refs[] = { "IT-01", "IT-06", "JP-03", "JP-07", "JP-12", "IT-10" };
	static const coplan_format formats[] = {
		COPLAN_FORMAT_JSON, COPLAN_FORMAT_ICS, COPLAN_FORMAT_HTML, COPLAN_FORMAT_MARKDOWN
	};
	run *r = arg;
	coplan_plan *plan = NULL;
	coplan_schedule_options opts;
	coplan_export_options eo;
	coplan_score score;
	coplan_conflicts *conflicts = NULL;
	char *text = NULL, line[160];
	size_t len = 0;

	if (coplan_import_plan_json(&plan, EXAMPLE "/plan.json") ||
	    coplan_import_activities_csv(plan, EXAMPLE "/activities.csv", NULL, &len))
		FAIL(r, "import: %s", coplan_error_last());
	/* the other variant: Japan closed for the whole of May, so the plan differs */
	if (r->index == 1 &&
	    coplan_plan_add_blackout(plan, "JPN", coplan_date_from_ymd(2024, 5, 1),
	                             coplan_date_from_ymd(2024, 5, 31), 1, "test closure"))
		FAIL(r, "out of memory");
	memset(&opts, 0, sizeof(opts));
	opts.seed = 7;
	opts.max_iterations = MOVES;
	if (coplan_schedule(plan, &opts, &score))
		FAIL(r, "schedule: %s", coplan_error_last());
	snprintf(line, sizeof(line), "%ld %ld %ld", score.hard, score.medium, score.soft);
	if (append(r, "score", line, strlen(line)))
		FAIL(r, "out of memory");
	for (size_t k = 0; k < sizeof(refs) / sizeof(refs[0]); k++) {
		coplan_explanation *e = NULL;
		coplan_date dates[2] = { COPLAN_DATE_NONE, coplan_date_from_ymd(2024, 5, 3) };

		for (size_t d = 0; d < 2; d++) {
			if (coplan_schedule_explain_ex(&e, plan, refs[k], dates[d]) ||
			    coplan_explanation_format_json(&text, e))
				FAIL(r, "explain %s: %s", refs[k], coplan_error_last());
			coplan_explanation_free(e);
			e = NULL;
			if (append(r, refs[k], text, strlen(text)))
				FAIL(r, "out of memory");
			free(text);
			text = NULL;
		}
	}
	if (coplan_schedule_conflicts_ex(&conflicts, plan) || coplan_conflicts_format_json(&text, conflicts))
		FAIL(r, "conflicts: %s", coplan_error_last());
	if (append(r, "conflicts", text, strlen(text)))
		FAIL(r, "out of memory");
	free(text);
	text = NULL;
	memset(&eo, 0, sizeof(eo));
	eo.now = 1704067200; /* 2024-01-01T00:00:00Z: DTSTAMP and "generated" */
	for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
		if (coplan_export(&text, &len, plan, formats[f], &eo))
			FAIL(r, "export %d: %s", (int)formats[f], coplan_error_last());
		if (append(r, "export", text, len))
			FAIL(r, "out of memory");
		free(text);
		text = NULL;
	}
	if (coplan_gantt_svg(&text, &len, plan, NULL))
		FAIL(r, "gantt: %s", coplan_error_last());
	if (append(r, "gantt", text, len))
		FAIL(r, "out of memory");
	free(text);
	text = NULL;
	if (coplan_document_pdf(&text, &len, plan))
		FAIL(r, "pdf: %s", coplan_error_last());
	blank_creation_date(text, len);
	if (append(r, "pdf", text, len))
		FAIL(r, "out of memory");
cleanup:
	free(text);
	coplan_conflicts_free(conflicts);
	coplan_plan_free(plan);
	return NULL;
}

static void test_threads_match_one_thread(void **state)
{
	run alone[2] = { { .index = 0 }, { .index = 1 } };
	run runs[N_THREADS];
	pthread_t th[N_THREADS];

	(void)state;
	/* the reference: each plan variant on this thread alone */
	for (int v = 0; v < 2; v++) {
		work(&alone[v]);
		if (alone[v].rc)
			fail_msg("single-threaded run %d: %s", v, alone[v].err);
		assert_true(alone[v].len > 1000);
	}
	/* the two variants differ: a comparison that could not fail would prove nothing */
	assert_false(alone[0].len == alone[1].len && !memcmp(alone[0].out, alone[1].out, alone[0].len));

	memset(runs, 0, sizeof(runs));
	for (int t = 0; t < N_THREADS; t++) {
		runs[t].index = t % 2;
		assert_int_equal(pthread_create(&th[t], NULL, work, &runs[t]), 0);
	}
	for (int t = 0; t < N_THREADS; t++)
		assert_int_equal(pthread_join(th[t], NULL), 0);
	for (int t = 0; t < N_THREADS; t++) {
		const run *want = &alone[runs[t].index];

		if (runs[t].rc)
			fail_msg("thread %d: %s", t, runs[t].err);
		if (runs[t].len != want->len || memcmp(runs[t].out, want->out, want->len)) {
			size_t k = 0;

			while (k < runs[t].len && k < want->len && runs[t].out[k] == want->out[k])
				k++;
			fail_msg("thread %d (plan %d): output differs from the single-threaded run at byte %zu "
			         "of %zu", t, runs[t].index, k, want->len);
		}
	}
	for (int t = 0; t < N_THREADS; t++)
		free(runs[t].out);
	for (int v = 0; v < 2; v++)
		free(alone[v].out);
}

/*
 * LeakSanitizer: cairo 1.16 (Debian 12) loses about 768 bytes per embedded
 * CFF font subset when a PDF surface is finished (see test_document.c, which
 * suppresses the same); the name is only seen with the slow unwinder.
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
		cmocka_unit_test(test_threads_match_one_thread),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	coplan_document_shutdown();
	return rc;
}

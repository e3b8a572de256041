/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/service.h - the use cases of coplan, one function each, for every front end (CLI, server). */
#ifndef COPLAN_SERVICE_H
#define COPLAN_SERVICE_H

#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

#include "coplan/compare.h"
#include "coplan/document.h"
#include "coplan/export.h"
#include "coplan/ical.h"
#include "coplan/import.h"
#include "coplan/model.h"
#include "coplan/schedule.h"
#include "coplan/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A front end parses what the user asked, calls one function of this
 * header, and prints or renders what it returns.  Every rule of the record
 * lives below this line, inside the transaction it protects: a plan that
 * breaks a hard constraint cannot be agreed or signed, a signed plan
 * refuses edits, a postponement stays inside the plan's window, an import
 * is all or nothing.  See docs/internals/layers.md.
 *
 * Every function takes a request context: who acts, on which store, with
 * which clock, and how to report progress or be cancelled.  The context is
 * the caller's; the functions borrow it for the call only and keep no state
 * between calls, so two threads may each use their own context (and their
 * own store) at once.
 *
 * Errors: each function returns 0 or a negative coplan_error_code
 * (coplan/errors.h) with the message in coplan_error_last(); on an error
 * nothing was changed in the store and every out-parameter is left empty.
 */
typedef struct {
	coplan_store *store;   /* borrowed: the database the use case works on */
	const char *user;      /* who acts: the author of versions and status changes (required for those) */
	const char *nation;    /* the acting user's nation (ISO 3166-1 alpha-3), or NULL */
	/* The time (UTC) the service records; NULL: the system clock. */
	time_t (*clock)(void *payload);
	void *clock_payload;
	/*
	 * NULL, or a flag another thread may set to ask a long use case to stop:
	 * checked between its steps (before the search, before writing) and
	 * then the use case fails with COPLAN_ECANCELLED, changing nothing.
	 */
	const atomic_int *cancel;
	/* Called now and then during a search with the best score and elapsed seconds; may be NULL. */
	void (*progress)(const coplan_score *best, double elapsed, void *payload);
	void *progress_payload;
} coplan_ctx;

/* The time (UTC) ctx's clock gives. */
time_t coplan_ctx_now(const coplan_ctx *ctx);

/* ---- formats: one registry for every document and export ---------------- */

/* What a renderer may be given besides the plan (zero-initialised: the defaults). */
typedef struct {
	coplan_export_options export;      /* host/unit filters, locale, time for md, html, json, ics, csv */
	coplan_gantt_options gantt;        /* svg, png */
	const coplan_plan *baseline;       /* execution: the signed plan to report against, or NULL */
} coplan_render_options;

/* One format coplan writes: name, MIME type, file extension and writer. */
typedef struct {
	const char *name;        /* as the user types it: "pdf", "md", "ics" */
	const char *mime;        /* "application/pdf" */
	const char *extension;   /* "pdf", without the dot */
	const char *title;       /* "the plan to sign (A4 PDF)" for help texts */
	const char *document;    /* the file a plan folder's run writes ("plan.pdf", "gantt.png"), or NULL */
	int binary;              /* 1: not text (pdf, png, xlsx) */
	/* Write plan; *out malloc'd (NUL-terminated for text), *len bytes; the caller frees. */
	int (*write)(char **out, size_t *len, const coplan_plan *plan, const coplan_render_options *opts);
} coplan_format_info;

/* The format named name ("markdown" and "ical" are accepted as aliases), or NULL. */
const coplan_format_info *coplan_format_find(const char *name);

/* Every format, in a fixed order; *n gets the count.  Static storage. */
const coplan_format_info *coplan_format_list(size_t *n);

/* ---- plans in -------------------------------------------------------- */

/* What coplan_service_import() is given: a file by path, or its bytes (an upload). */
typedef struct {
	const char *path;           /* the file; its extension decides the kind unless kind says */
	const char *data;           /* or its bytes (then path is only its name), len bytes */
	size_t len;
	long plan_id;               /* the plan activities and calendars go into (0: the newest) */
	coplan_csv_options csv;     /* CSV and XLSX options */
	const char *sheet;          /* XLSX: the sheet, or NULL for the first */
	const char *nation;         /* .ics: a holiday feed of this nation, or */
	const char *unit;           /* .ics: the busy periods of this unit */
	int soft;                   /* .ics with unit: soft blackouts */
	int dry_run;                /* check everything, change nothing */
} coplan_import_request;

typedef enum {
	COPLAN_IMPORT_PLAN = 1,     /* a plan.json: a new plan */
	COPLAN_IMPORT_ACTIVITIES,   /* a .csv or .xlsx of proposals into a plan */
	COPLAN_IMPORT_HOLIDAYS,     /* a nation's holiday feed */
	COPLAN_IMPORT_BLACKOUTS     /* a unit's calendar as blackouts */
} coplan_import_kind;

typedef struct {
	coplan_import_kind kind;
	long plan_id;                   /* the plan imported or imported into */
	char *title;                    /* its title (malloc'd) */
	int year;
	size_t n_activities, n_blackouts;   /* PLAN: what the plan holds */
	coplan_import_report sheet;     /* ACTIVITIES: what the reader decided and counted */
	coplan_ical_import_report calendar; /* HOLIDAYS, BLACKOUTS */
	int unit_unused;                /* BLACKOUTS: no activity names the unit */
	char **missing_calendars;       /* hosts with neither rules nor imported holidays */
	size_t n_missing_calendars;
} coplan_import_result;

/* Free what a result owns and zero it. */
void coplan_import_result_clear(coplan_import_result *result);

/*
 * Import one file (plan.json, activities .csv/.xlsx, .ics feed or diary):
 * read and check it whole, then load, add and save in one transaction (no
 * other writer's change is lost; a signed plan refuses new activities).
 * Errors: COPLAN_EUSAGE (a request that names no file, an .ics without
 * nation or unit, options of another kind of file), COPLAN_EINVALID (bad
 * input, with file:line:col), COPLAN_ENOTFOUND, COPLAN_EEXISTS,
 * COPLAN_ECONFLICT, COPLAN_ESTORE, COPLAN_ENOMEM.
 */
int coplan_service_import(const coplan_ctx *ctx, const coplan_import_request *req,
                          coplan_import_result *out);

/*
 * Check a request before any store is opened: the kind of file it names
 * (*kind), options that go with that kind, the file readable.  The first
 * thing coplan_service_import() does.  Errors: COPLAN_EUSAGE, COPLAN_EIO.
 */
int coplan_service_import_check(const coplan_import_request *req, coplan_import_kind *kind);

/* ---- scheduling ------------------------------------------------------ */

/* The scheduler's fixed budget when no time limit is given: moves per activity, and at least. */
#define COPLAN_MOVES_PER_ACTIVITY 500
#define COPLAN_MIN_MOVES 2000000UL

typedef struct {
	double time_limit;          /* seconds of anytime search; < 0: a fixed budget of moves,
	                             * the same plan on every machine */
	unsigned long seed;
	int replan;                 /* start from the plan's dates and move as few as possible */
} coplan_schedule_request;

typedef struct {
	long plan_id;
	coplan_plan *plan;          /* the plan as stored after scheduling (caller's) */
	coplan_plan *before;        /* replan: the plan before (caller's), else NULL */
	coplan_score score;
	char **missing_calendars;   /* host nations scheduled on weekends only (no holiday rules) */
	size_t n_missing_calendars;
} coplan_schedule_result;

/* Free what a result owns and zero it. */
void coplan_schedule_result_clear(coplan_schedule_result *result);

/*
 * Fill *opts for coplan_schedule() from req and ctx: a fixed budget of
 * COPLAN_MOVES_PER_ACTIVITY moves per activity (at least COPLAN_MIN_MOVES)
 * for n_activities when req->time_limit < 0, else an anytime search of
 * that many seconds; ctx's progress callback.
 */
void coplan_service_schedule_options(coplan_schedule_options *opts, const coplan_ctx *ctx,
                                     const coplan_schedule_request *req, size_t n_activities);

/*
 * Schedule plan plan_id (0: the newest) and save it, load to save in one
 * transaction.  Errors: COPLAN_ECONFLICT (signed), COPLAN_ECANCELLED,
 * COPLAN_ENOTFOUND, COPLAN_EINVALID, COPLAN_ESTORE, COPLAN_ENOMEM.
 */
int coplan_service_schedule(const coplan_ctx *ctx, long plan_id, const coplan_schedule_request *req,
                            coplan_schedule_result *out);

/* What a plan folder held (coplan_service_plan_folder_read()) and what became of it. */
typedef struct {
	coplan_schedule_result schedule;    /* the plan as stored, its score */
	char *sheet_path;                   /* activities.csv or .xlsx read, or NULL (malloc'd) */
	coplan_import_report sheet;
	size_t n_feeds;                     /* holidays/NAT.ics read, in name order */
	struct {
		char *path;
		char nation[COPLAN_NATION_LEN];
		coplan_ical_import_report report;
	} *feeds;
} coplan_plan_folder_result;

/* Free what a result owns and zero it. */
void coplan_plan_folder_result_clear(coplan_plan_folder_result *result);

/*
 * Read a plan folder (README "A plan folder") whole, touching no store:
 * DIR/plan.json, DIR/activities.csv or .xlsx (with DIR/headers.csv as the
 * header map when present), every DIR/holidays/NAT.ics, then check the
 * plan.  *plan (freed with coplan_plan_free()) is the plan to give
 * coplan_service_plan_new(); out records what was read, also on failure.
 * csv may be NULL.  Errors: COPLAN_EINVALID (bad input, with file:line:col;
 * a folder without activities; a feed not named by a nation code),
 * COPLAN_EIO, COPLAN_ENOMEM.
 */
int coplan_service_plan_folder_read(const char *dir, const coplan_csv_options *csv,
                                    coplan_plan **plan, coplan_plan_folder_result *out);

/*
 * A new plan in the store, scheduled: insert plan, schedule it with req
 * and save the schedule as one transaction (a failure leaves no half-made
 * plan).  plan is not changed; out->plan is the plan as stored.  Errors:
 * COPLAN_EEXISTS (a plan of the same title and year), those of
 * coplan_service_schedule().
 */
int coplan_service_plan_new(const coplan_ctx *ctx, const coplan_plan *plan,
                            const coplan_schedule_request *req, coplan_schedule_result *out);

/* ---- reading --------------------------------------------------------- */

/* Load plan plan_id (0: the newest); *out freed with coplan_plan_free(); *id_out may be NULL. */
int coplan_service_load(const coplan_ctx *ctx, long plan_id, coplan_plan **out, long *id_out);

/* One plan of the store, as coplan_service_plans() lists it. */
typedef struct {
	long id;
	coplan_plan *plan;     /* the whole plan with its staff talks */
} coplan_plan_entry;

/*
 * Every plan of the store, oldest first, each loaded whole.  *out is freed
 * with coplan_plan_entries_free(*out, *n).  Errors: COPLAN_ESTORE, COPLAN_ENOMEM.
 */
int coplan_service_plans(const coplan_ctx *ctx, coplan_plan_entry **out, size_t *n);

/* Free n entries and the array; NULL is a no-op. */
void coplan_plan_entries_free(coplan_plan_entry *entries, size_t n);

/*
 * Render plan plan_id in the format named format (coplan_format_find()):
 * *out malloc'd, *len bytes, the caller frees; *info (may be NULL) gets the
 * format.  "execution" reports against the newest signed version (or the
 * plan as it stands) unless opts gives a baseline.  opts may be NULL.
 * Errors: COPLAN_EUSAGE (unknown format), those of the writer, of the store.
 */
int coplan_service_render(const coplan_ctx *ctx, long plan_id, const char *format,
                          const coplan_render_options *opts, char **out, size_t *len,
                          const coplan_format_info **info);

/*
 * The placed activities of plan that break a hard constraint, as text
 * (*text malloc'd, "" when none) and their number.  Errors: as
 * coplan_schedule_conflicts().
 */
int coplan_service_conflicts(const coplan_ctx *ctx, const coplan_plan *plan, char **text, size_t *n);

/* ---- versions -------------------------------------------------------- */

/*
 * Save plan plan_id as it stands as a new version in state, by ctx->user,
 * with note (may be NULL).  In one transaction: a plan that breaks a hard
 * constraint cannot be agreed or signed (COPLAN_ECONFLICT; *conflicts, when
 * not NULL, gets the list as text, malloc'd), and the rules of
 * coplan_store_version_save().  *number (may be NULL) gets the version's
 * number; *plan_out (may be NULL) the plan saved (caller's).
 */
int coplan_service_version_save(const coplan_ctx *ctx, long plan_id, coplan_version_state state,
                                const char *note, int *number, char **conflicts,
                                coplan_plan **plan_out);

/*
 * The versions of plan plan_id, oldest first; freed with
 * coplan_plan_versions_free().  A damaged or tampered file is refused
 * (COPLAN_ESTORE naming the problem): the quick check of the file and its
 * guards first, then every version against its SHA-256.
 */
int coplan_service_versions(const coplan_ctx *ctx, long plan_id, coplan_plan_version **out,
                            size_t *n);

/*
 * What changed between two sides of plan plan_id: each side is a version
 * number ("3"), "signed" (the newest signed version) or "current" (the plan
 * as it stands); older NULL means "signed", newer NULL "current".
 * *changes freed with coplan_changes_free().  Errors: COPLAN_EUSAGE (a side
 * that is none of those), COPLAN_ENOTFOUND, COPLAN_ESTORE.
 */
int coplan_service_compare(const coplan_ctx *ctx, long plan_id, const char *older,
                           const char *newer, coplan_change **changes, size_t *n);

/* ---- execution ------------------------------------------------------- */

/*
 * Record n status changes on plan plan_id in one transaction, all or none;
 * a change without an author is ctx->user's.  Rules: coplan_status_change_check(),
 * the activity exists, a postponement starts inside the plan's window.
 */
int coplan_service_set_statuses(const coplan_ctx *ctx, long plan_id,
                                const coplan_status_change *changes, size_t n);

/*
 * Record an execution log: a CSV file (path, or its bytes data/len under
 * the name path) with the columns ref, status, from, to, reason, author;
 * every row checked (dates in the file's locale, the rules above) before
 * any is recorded, then all in one transaction.  Errors name
 * file:line:column.  *n_recorded (may be NULL) gets the count.
 */
int coplan_service_import_execution_log(const coplan_ctx *ctx, long plan_id, const char *path,
                                        const char *data, size_t len,
                                        const coplan_csv_options *csv, size_t *n_recorded);

/*
 * The history of plan plan_id (of ref when not NULL); freed with
 * coplan_activity_events_free().  A damaged or tampered file is refused
 * first (COPLAN_ESTORE naming the problem), never read as a short history.
 */
int coplan_service_history(const coplan_ctx *ctx, long plan_id, const char *ref,
                           coplan_activity_event **out, size_t *n);

/* ---- the database as a whole ----------------------------------------------- */

/*
 * Check the database (coplan_store_check(): file integrity, schema and
 * guards, and unless quick every version's snapshot against its SHA-256
 * and the order of its states).  *report (may be NULL; malloc'd, the
 * caller frees) gets one line per problem, "" when none; *n_problems their
 * number.  Returns 0 when the check ran, whatever it found.  Errors:
 * COPLAN_EUSAGE, COPLAN_ENOMEM.
 */
int coplan_service_db_check(const coplan_ctx *ctx, int quick, char **report, size_t *n_problems);

/*
 * Back the database up to the file at path (coplan_store_backup(): a
 * consistent copy while others write, replaced atomically, synced).
 * Errors: COPLAN_EUSAGE, COPLAN_ESTORE, COPLAN_EIO, COPLAN_ENOMEM.
 */
int coplan_service_db_backup(const coplan_ctx *ctx, const char *path);

/*
 * Replace the database with the backup at path after checking the backup
 * whole (coplan_store_restore()); on a refusal *report (may be NULL;
 * malloc'd, the caller frees) gets the problems found, one per line.
 * Errors: COPLAN_ENOTFOUND, COPLAN_ESTORE, COPLAN_EUSAGE, COPLAN_ENOMEM.
 */
int coplan_service_db_restore(const coplan_ctx *ctx, const char *path, char **report);

/* ---- listings as JSON, for scripts (--format json) ---------------------- */

/*
 * Each writes an array of objects into *out (malloc'd, the caller frees),
 * keys as in the structs, dates ISO 8601, absent values null:
 * versions {number, state, created_at, author, note}; events {ref, at,
 * author, status, start, end, reason}; plans {id, title, year, activities,
 * talks {series, edition, start, end, venue}}.  Errors: COPLAN_ENOMEM.
 */
int coplan_versions_format_json(char **out, const coplan_plan_version *versions, size_t n);
int coplan_events_format_json(char **out, const coplan_activity_event *events, size_t n);
int coplan_plans_format_json(char **out, const coplan_plan_entry *plans, size_t n);

#ifdef __cplusplus
}
#endif
#endif

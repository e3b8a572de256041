/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/service.h - the use cases of coplan, one function each, for every front end (CLI, server). */
#ifndef COPLAN_SERVICE_H
#define COPLAN_SERVICE_H

#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

#include "coplan/account.h"
#include "coplan/audit.h"
#include "coplan/bundle.h"
#include "coplan/calendar.h"
#include "coplan/compare.h"
#include "coplan/cost.h"
#include "coplan/document.h"
#include "coplan/exchange.h"
#include "coplan/export.h"
#include "coplan/ical.h"
#include "coplan/import.h"
#include "coplan/model.h"
#include "coplan/schedule.h"
#include "coplan/sign.h"
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
	/*
	 * The acting account (coplan/account.h): 0 for the local operator of the
	 * command line, who may do everything; > 0 for a logged-in user, whose
	 * roles every use case checks (coplan_service_authorize()).  user and
	 * nation are then that account's name and nation: what the record
	 * keeps as author (versions, status changes, deletions) is always the
	 * account's own name and nation, whatever user, nation or a change's
	 * author say.
	 */
	long account;
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

/*
 * What a renderer may be given besides the plan (zero-initialised: the
 * defaults).  document: what the document is, printed on pdf, html, md and
 * xlsx (coplan/document.h); coplan_service_render() fills it from the
 * store, so a caller leaves it NULL (a writer called directly with NULL
 * prints "draft, not saved", issued export.now or today).
 */
typedef struct {
	coplan_export_options export;      /* host/unit filters, locale (csv; xlsx headers), time */
	coplan_gantt_options gantt;        /* svg, png */
	const coplan_plan *baseline;       /* execution: the signed plan to report against, or NULL */
	const coplan_document_info *document; /* pdf, html, md, xlsx: version, state, date, reference */
	const char *reference_pattern;     /* NULL: COPLAN_DOCUMENT_REF_DEFAULT ("<series>-<year>-v<N>") */
	const char *language;              /* pdf (the plan and an amendment): "en" (NULL), "it" or "ja" */
	const char *currency;              /* costs: convert into this ISO 4217 currency with the plan's rates, or NULL */
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
	const char *path;           /* the file; its extension decides the kind */
	const char *data;           /* or its bytes, an upload (then path is only its name), len bytes */
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
	coplan_change *changes;         /* ACTIVITIES: what the import changed in the plan */
	size_t n_changes;
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

/*
 * What coplan_service_import() returned, as a JSON object into *out
 * (malloc'd, the caller frees): kind, saved (!dry_run), plan_id, title,
 * year, the kind's counts (activities: encoding, delimiter, locale, rows
 * read, imported, updated, precedences, the changes; calendars: events,
 * cancelled, added), warnings, missing_calendars.  Errors: COPLAN_ENOMEM.
 */
int coplan_import_result_format_json(char **out, const coplan_import_result *r, int dry_run);

/* ---- scheduling ------------------------------------------------------ */

/* The scheduler's fixed budget when no time limit is given: moves per activity, and at least. */
#define COPLAN_MOVES_PER_ACTIVITY 500
#define COPLAN_MIN_MOVES 2000000UL

typedef struct {
	double time_limit;          /* seconds of anytime search; < 0: a fixed budget of moves,
	                             * the same plan on every machine */
	unsigned long seed;
	int replan;                 /* start from the plan's dates and move as few as possible */
	int dry_run;                /* a preview: search and return the plan (and, with replan,
	                             * the plan before), write nothing */
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
 * Schedule plan plan_id (0: the newest) and save it.  The search holds no
 * lock: other writers go on meanwhile; the result is written in a short
 * transaction only if the plan is still the one searched (the SHA-256 of
 * its canonical JSON), else COPLAN_ECONFLICT and nothing is written, so no
 * change made during the search is lost.  With req->dry_run nothing is
 * written (a re-plan preview: out->before and out->plan show what would
 * move; the same request without dry_run on the unchanged plan saves the
 * same schedule when time_limit < 0).  Errors: COPLAN_ECONFLICT
 * (signed, or changed meanwhile), COPLAN_ECANCELLED, COPLAN_ENOTFOUND,
 * COPLAN_EINVALID, COPLAN_ESTORE, COPLAN_ENOMEM.
 */
int coplan_service_schedule(const coplan_ctx *ctx, long plan_id, const coplan_schedule_request *req,
                            coplan_schedule_result *out);

/* What a plan folder held (coplan_service_plan_folder_read()) and what became of it. */
typedef struct {
	coplan_schedule_result schedule;    /* the plan as stored, its score */
	char *sheet_path;                   /* activities.csv or .xlsx read, or NULL (malloc'd) */
	coplan_import_report sheet;
	size_t costs_rows;                  /* activities whose costs costs.csv gave (0: no costs.csv) */
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
 * header map when present), DIR/costs.csv when present (the activities'
 * costs, coplan_import_costs_csv()), every DIR/holidays/NAT.ics, then check the
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

/* What the reader of a plan may do there, as coplan_service_load_for() found it. */
typedef struct {
	coplan_plan_role role;  /* COPLAN_PLAN_ROLE_OWNER for the command line's local operator */
	char nation[4];         /* the account's nation ("" for the local operator) */
	int restricted;         /* 1: a planner, who changes only their nation's activities */
} coplan_plan_access;

/*
 * coplan_service_load(), and into *access what ctx's account may do on the
 * plan, so that a front end offers only the actions the service would
 * accept (the service still decides each one).  Errors: as
 * coplan_service_load().
 */
int coplan_service_load_for(const coplan_ctx *ctx, long plan_id, coplan_plan **out, long *id_out,
                            coplan_plan_access *access);

/*
 * 1 when access allows action on the plan (coplan_role_allows()) and,
 * when a (may be NULL) is given, on that activity: a planner edits and
 * records execution only of activities their nation hosts or takes part
 * in.  Else 0.  No store access.
 */
int coplan_access_may(const coplan_plan_access *access, coplan_action action, const coplan_activity *a);

/*
 * 1 when access allows adding or deleting a blackout of scope (a nation or a unit)
 * in plan: the role may edit and, for a planner, scope is their nation or
 * a unit of an activity their nation hosts or takes part in.  Else 0.
 */
int coplan_access_may_blackout(const coplan_plan_access *access, const coplan_plan *plan, const char *scope);

/*
 * The stamp of plan plan_id (> 0) as it stands now, for ctx's reader, if
 * they may read it: 64 hex digits into stamp, the SHA-256 of the store's
 * stamp (coplan_store_plan_stamp()) and of what the reader may do on the
 * plan (account, nation, administrator, role), without loading the plan: a
 * front end that keeps what it rendered from a plan serves it again only
 * while the stamp is the same, so a change of role made elsewhere (the
 * command line, another server on the same store) is seen at once.  Errors: COPLAN_EDENIED, COPLAN_EAUTH,
 * COPLAN_ENOTFOUND, COPLAN_ESTORE.
 */
int coplan_service_plan_stamp(const coplan_ctx *ctx, long plan_id, char stamp[65]);

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
 * What plan plan_id's documents say they are, into *out: when the plan
 * as it stands equals its newest saved version (the snapshots compared
 * with sequence numbers aside and a status confirmed or executed taken as
 * planned: execution tracked on a signed plan does not amend it; a
 * postponement or a cancellation does), that version's number, state, date
 * (UTC) and reference by pattern (NULL: COPLAN_DOCUMENT_REF_DEFAULT); else
 * version 0, DRAFT, "draft, not saved", issued today (ctx's clock).
 * out->amendment counts the amendments begun up to that version
 * (coplan_service_amendment()).  Errors: COPLAN_ENOTFOUND, COPLAN_EUSAGE and
 * COPLAN_ELIMIT (a bad pattern), COPLAN_ESTORE, COPLAN_ENOMEM.
 */
int coplan_service_document_info(const coplan_ctx *ctx, long plan_id, const char *pattern,
                                 coplan_document_info *out);

/*
 * Amendment No. number (>= 1) of plan plan_id as a document to sign,
 * format "pdf" or "html" (*out malloc'd, *len bytes, the caller frees;
 * *info, may be NULL, gets the format).
 *
 * The rule: an amendment begins with each draft version saved directly
 * after a signed version (what `coplan amend` saves); Amendment No. N is
 * the N-th such draft in the order of versions.  It amends that signed
 * version (the base).  Its content is the first signed version after the
 * draft; while none is signed, the newest version when the plan as it
 * stands is unchanged since it (an agreed amendment), else the plan as it
 * stands ("draft, not saved").  The document lists coplan_plan_compare()
 * from the base to the content (less a status become confirmed or
 * executed: execution, not an amendment; blackouts added and removed
 * included), each change with the reason of the newest history entry
 * recorded since the base was saved (and not after the content's version)
 * that made that kind of change -- the edit naming the field, the
 * activity's addition or deletion, a status change or pin for moved
 * dates, the blackout's own entry -- else of the activity's newest entry
 * with a reason; the base's reference, the content's
 * version, state, date and reference (opts->reference_pattern), and the
 * signature block of the plan's staff talks.  opts may be NULL.
 * Errors: COPLAN_EUSAGE (a format other than pdf or html, number < 1),
 * COPLAN_ENOTFOUND (no plan, or fewer amendments: the message says how
 * many there are), those of the writer and the store.
 */
int coplan_service_amendment(const coplan_ctx *ctx, long plan_id, int number, const char *format,
                             const coplan_render_options *opts, char **out, size_t *len,
                             const coplan_format_info **info);

/*
 * The conflicts of plan with its hard constraints, as text (*text
 * malloc'd, "" when none; a line each) and their number: two activities
 * that need one unit on the same days are one conflict, said once with the
 * days they overlap ("JP-07 and JP-09 both need unit 'X' on
 * 2024-05-07..2024-05-09 (3 days)"); an activity that breaks any other
 * hard constraint (a holiday, a blackout, its window) is one, with its
 * reasons; conflicts among recorded activities are counted too.
 * Errors: as coplan_schedule_conflicts_ex().
 */
int coplan_service_conflicts(const coplan_ctx *ctx, const coplan_plan *plan, char **text, size_t *n);

/*
 * Why activity ref of plan plan_id can or cannot start on date (a local
 * date; COPLAN_DATE_NONE: where it is now, or why it is unplaced), as data
 * (coplan/explain.h); *out freed with coplan_explanation_free().
 * Errors: those of coplan_schedule_explain_ex(), of the store.
 */
int coplan_service_explain(const coplan_ctx *ctx, long plan_id, const char *ref, coplan_date date,
                           coplan_explanation **out);

/*
 * The best starts of activity ref of plan plan_id, at most max, cheapest
 * first (coplan_schedule_suggest_ex()), freed with
 * coplan_explanations_free(*out, *n); when there is none, *why_none (not
 * NULL then) explains the activity as it stands, freed with
 * coplan_explanation_free().  Errors: as coplan_service_explain().
 */
int coplan_service_suggest(const coplan_ctx *ctx, long plan_id, const char *ref, size_t max,
                           coplan_explanation **out, size_t *n, coplan_explanation **why_none);

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

/* ---- editing: a year of changes ------------------------------------------- */

/* One field of an activity as text, named as the CSV's English header names it ("title", "after", ...). */
typedef struct {
	const char *field;
	const char *value;     /* "" clears an optional field */
} coplan_field_value;

/*
 * The index of activity ref in plan: the exact ref, else the one ref that
 * differs from it in case only ("jp-07" finds "JP-07"); -1 when none or
 * when two refs differ from it in case only.
 */
long coplan_service_find_activity(const coplan_plan *plan, const char *ref);

/*
 * Plan plan_id (0: the newest) as ctx's account may see it (*plan, the
 * caller's, coplan_plan_free()) and the index of its activity ref
 * (coplan_service_find_activity()) in *index.  An activity that is not
 * there, or not releasable to the account, is COPLAN_ENOTFOUND in the
 * same words (nothing returned); the second is recorded in the audit log
 * as a refusal (docs/labels.md).  *access (may be NULL) gets what the
 * account may do there, as coplan_service_load_for() gives it.  Errors:
 * those of coplan_service_load().
 */
int coplan_service_activity(const coplan_ctx *ctx, long plan_id, const char *ref, coplan_plan **plan,
                            long *index, coplan_plan_access *access);

/*
 * Add activity ref to plan plan_id with fields (title and host required;
 * participants default to the host; duration to 1 working day), each
 * field read as its CSV column would be: title, area, kind, host,
 * participants and units (';' or ',' between), duration (days, 1-366),
 * mode (working or calendar), earliest, latest (dates in locale),
 * requested (a date or a month, "2024-03"), after ("IT-01", "IT-01+30" for
 * a gap in days, "IT-01?" for an 'after' precedence; ';' between),
 * location, notes.  One transaction; the plan is validated whole.
 *
 * Every edit (add, edit, delete, pin, unpin, blackouts) is recorded in the
 * plan's history in the same transaction (coplan_store_history_append()):
 * its action, the activity by identity, ctx->user, the time (UTC), the
 * fields changed, and reason (may be NULL; at most 1000 bytes of text, no
 * control characters) -- the reason the amendment document
 * (coplan_service_amendment()) gives for the change.  An edit that changes
 * nothing records nothing.  Errors: COPLAN_EEXISTS (the ref is taken),
 * COPLAN_EINVALID (a field or the reason, naming it; no ctx->user),
 * COPLAN_EUSAGE (an unknown field), COPLAN_ECONFLICT (a signed plan: start
 * an amendment with coplan_service_amend()), COPLAN_ESTORE.
 */
int coplan_service_activity_add(const coplan_ctx *ctx, long plan_id, const char *ref,
                                const coplan_field_value *fields, size_t n, const char *locale,
                                const char *reason);

/*
 * Change fields of activity ref (coplan_service_find_activity()) as
 * coplan_service_activity_add() reads them; "after" replaces the activity's
 * predecessors; reason as for add.  *changes (may be NULL) gets what
 * changed, freed with coplan_changes_free().
 *
 * Concurrent editing: expected_sequence is the activity's sequence
 * (coplan_activity.sequence, raised by the store at every change) as the
 * caller read it, or < 0 for no check.  When the stored sequence differs,
 * someone changed the activity meanwhile: nothing is changed and
 * COPLAN_ECONFLICT says the revision stored and the values stored now of
 * the fields asked to change, its dates and status ("... it now has title
 * 'X'; dates 2024-05-07..2024-05-09; status planned"), so a front end can
 * show them beside the user's.  Errors: as add, COPLAN_ENOTFOUND,
 * COPLAN_ECONFLICT.
 */
int coplan_service_activity_edit(const coplan_ctx *ctx, long plan_id, const char *ref,
                                 int expected_sequence, const coplan_field_value *fields, size_t n,
                                 const char *locale, const char *reason, coplan_change **changes,
                                 size_t *n_changes);

/*
 * Delete activity ref and its precedences, with reason (may be NULL); its
 * history stays (and an activity added later under the same ref starts a
 * new one).  expected_sequence as for edit.  Errors: as edit.
 */
int coplan_service_activity_delete(const coplan_ctx *ctx, long plan_id, const char *ref,
                                   int expected_sequence, const char *reason);

/*
 * pin 1: keep activity ref on its dates in every re-plan: where it is, or
 * from (a local date; its last day follows from its duration and, for a
 * working-day activity, its host's working days, built-in rules and
 * imported holidays).  pin 0: let the scheduler move it again.  reason as
 * for add; expected_sequence as for edit.  Errors: COPLAN_EINVALID (not
 * placed and no date; a start on a host's non-working day), and as edit.
 */
int coplan_service_activity_pin(const coplan_ctx *ctx, long plan_id, const char *ref,
                                int expected_sequence, coplan_date from, int pin,
                                const char *reason);

/*
 * Add a blackout (scope: a nation code or a unit's name; from..to local
 * dates, inclusive; hard or soft; the reason the scheduler cites, which is
 * also the reason recorded for the change), or delete blackout index
 * (1-based, in the order of the plan's list) with reason (may be NULL);
 * expected (may be NULL) is the blackout the deleter saw at index: when
 * the one there now has another scope, days or kind, nothing is deleted
 * (COPLAN_ECONFLICT: another change renumbered the list).  Each is
 * recorded in the history as an activity's edit is
 * (coplan_service_activity_add()), with the blackout's nation or unit,
 * days and kind.  Errors: COPLAN_EINVALID, COPLAN_ENOTFOUND, and as edit.
 */
int coplan_service_blackout_add(const coplan_ctx *ctx, long plan_id, const coplan_blackout *blackout);
int coplan_service_blackout_delete(const coplan_ctx *ctx, long plan_id, size_t index,
                                   const coplan_blackout *expected, const char *reason);

/* ---- cost and budget (issue 17) ------------------------------------------ */

/* expected_amount of coplan_service_budget_set() when the caller does not check it. */
#define COPLAN_BUDGET_ANY (-2LL)

/*
 * Set the budget of budget->nation for budget->year on its funding line in
 * its currency to budget->amount (minor units; coplan_amount_parse()),
 * adding it when the plan has none of those four.  expected_amount: the
 * amount the caller read (-1: none was set), or COPLAN_BUDGET_ANY for no
 * check; a different amount stored now is COPLAN_ECONFLICT (someone
 * changed it meanwhile), nothing changed.  A planner sets only their
 * nation's budgets (COPLAN_EDENIED).  One transaction; recorded in the
 * audit log with its reason (may be NULL; as an edit's), not in the
 * activity history.  A signed plan is refused (COPLAN_ECONFLICT: amend
 * first).  Errors: COPLAN_EINVALID (naming the value), COPLAN_EUSAGE,
 * COPLAN_ECONFLICT, COPLAN_EDENIED, COPLAN_ESTORE.
 */
int coplan_service_budget_set(const coplan_ctx *ctx, long plan_id, const coplan_budget *budget,
                              long long expected_amount, const char *reason);

/* Delete budget index (1-based, as coplan budget list numbers them); as set.  Errors: COPLAN_ENOTFOUND, as set. */
int coplan_service_budget_delete(const coplan_ctx *ctx, long plan_id, size_t index, const char *reason);

/*
 * Add the exchange rate rate (rate->rate as decimal text, coplan_rate_parse();
 * one of the same pair and day is replaced), or delete rate index
 * (1-based, as coplan rate list numbers them).  A rate is the whole plan's:
 * a planner may not change it (COPLAN_EDENIED).  Recorded as a budget is.
 * Errors: as coplan_service_budget_set(), COPLAN_ENOTFOUND.
 */
int coplan_service_rate_add(const coplan_ctx *ctx, long plan_id, const coplan_rate *rate,
                            const char *reason);
int coplan_service_rate_delete(const coplan_ctx *ctx, long plan_id, size_t index, const char *reason);

/*
 * Start an amendment of signed plan plan_id: a draft version, by
 * ctx->user, whose note is "Amendment No. N" (and ": note" when given),
 * where N counts the drafts saved after a signed version.  The plan can
 * then be edited and re-planned, and saved agreed and signed as the plan
 * itself was.  *amendment and *number (either may be NULL) get N and the
 * version's number.  Errors: COPLAN_ECONFLICT (the newest version is not
 * signed: no amendment needed), COPLAN_EINVALID (no author), COPLAN_ESTORE.
 */
int coplan_service_amend(const coplan_ctx *ctx, long plan_id, const char *note, int *amendment,
                         int *number);

/*
 * A new plan from plan plan_id, either for to_year (its title's year
 * replaced; windows and requests moved by whole years, 29 February to the
 * 28th, so a recurring activity such as the annual staff talks comes back
 * in next year's requested period; executed and cancelled activities left
 * behind, the others back as unplaced proposals keeping their identities,
 * which link them to this year's history; imported holidays left out:
 * import next year's feeds) or, with title, a what-if copy of the same
 * year as it stands.  Blackouts are dated periods, never moved by a year:
 * a copy for to_year keeps, unchanged, those whose last day falls on or
 * after the new window's first day (leave over New Year), and leaves the
 * others behind, their number in *n_blackouts_left; a what-if copy keeps
 * them all.  Exactly one of to_year (non-zero) and title.  *new_id,
 * *n_carried and *n_blackouts_left (each may be NULL) get the new plan's
 * id, its activities, and the blackouts left behind.
 * Errors: COPLAN_EUSAGE, COPLAN_EINVALID, COPLAN_EEXISTS, COPLAN_ESTORE.
 */
int coplan_service_plan_copy(const coplan_ctx *ctx, long plan_id, int to_year, const char *title,
                             long *new_id, size_t *n_carried, size_t *n_blackouts_left);

/* Delete plan plan_id as coplan_store_delete_plan(), by ctx->user. */
int coplan_service_plan_delete(const coplan_ctx *ctx, long plan_id, int force);

/* ---- execution ------------------------------------------------------- */

/*
 * Record n status changes on plan plan_id in one transaction, all or none;
 * a change without an author is ctx->user's.  Rules:
 * coplan_status_change_check(), the activity exists, a postponement starts
 * inside the plan's window, its new dates are no shorter than its duration
 * gives (COPLAN_EINVALID), and they meet the scheduler's hard constraints
 * with every other activity where it is (its host's working days,
 * blackouts, its units free: cp_svc_placement_guard()), and a span longer
 * than the duration gives on every one of its days (its units free, no
 * hard blackout: cp_svc_span_guard()); a postponement
 * that breaks one is refused (COPLAN_ECONFLICT naming the other activity
 * and the days) unless force, when it is recorded and *warnings (may be
 * NULL; malloc'd, one line per change, or NULL when none) says what it breaks.
 */
int coplan_service_set_statuses(const coplan_ctx *ctx, long plan_id,
                                const coplan_status_change *changes, size_t n, int force,
                                char **warnings);

/*
 * Record an execution log: a CSV file (path, or its bytes data/len under
 * the name path) with the columns ref, status, from, to, reason, author;
 * every row checked (dates in the file's locale, the rules above) before
 * any is recorded, then all in one transaction; postponements guarded as
 * by coplan_service_set_statuses() (force, *warnings).  Errors name
 * file:line:column.  *n_recorded (may be NULL) gets the count.
 */
int coplan_service_import_execution_log(const coplan_ctx *ctx, long plan_id, const char *path,
                                        const char *data, size_t len,
                                        const coplan_csv_options *csv, int force,
                                        size_t *n_recorded, char **warnings);

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

/*
 * Copy the whole database of ctx (the source) into the database named to
 * (an SQLite path, created; or a postgresql:// URI of an existing,
 * empty database, whose schema is created): coplan_store_copy() (every
 * table, row counts and content hash compared on both sides, one
 * transaction), then the copy checked in full by coplan_store_check()
 * (seals, versions, guards).  fn (may be NULL) gets each table's name and
 * row count; sha256 (65 bytes) the content hash of both.  Errors:
 * COPLAN_ECONFLICT (to is not empty), COPLAN_ESTORE (also: the copy has
 * problems), COPLAN_EUSAGE, COPLAN_ENOTFOUND, COPLAN_ENOMEM.
 */
int coplan_service_db_copy(const coplan_ctx *ctx, const char *to,
                           void (*fn)(const char *table, size_t rows, void *payload), void *payload,
                           char sha256[65]);

/*
 * Publish, for a partner nation's server to subscribe to, the activities
 * and blackouts releasable to nation (ISO 3166-1 alpha-3): the
 * PostgreSQL publication coplan_rel_<nation in lower case>, created or
 * replaced (coplan_store_publish(); docs/deploy.md says how the partner
 * subscribes and what is not replicated).  An administrator's action,
 * recorded in the audit log.  Its name into name.  Errors:
 * COPLAN_EINVALID (not a nation), COPLAN_EUSAGE (an SQLite database),
 * COPLAN_ESTORE (wal_level is not logical, no privilege), COPLAN_EPERM.
 */
int coplan_service_db_publish(const coplan_ctx *ctx, const char *nation, char name[64]);

/* ---- listings as JSON, for scripts (--format json) ---------------------- */

/*
 * Each writes an array of objects into *out (malloc'd, the caller frees),
 * keys as in the structs, dates ISO 8601, absent values null:
 * versions {number, state, created_at, author, nation, note}; events {ref,
 * at, author, nation, status, start, end, reason, action
 * (coplan_event_action_name()), uuid, detail} (nation: the author's,
 * recorded since schema 11 for a logged-in user, else null); plans {id, title, year, activities,
 * talks {series, edition, start, end, venue}}.  Errors: COPLAN_ENOMEM.
 */
int coplan_versions_format_json(char **out, const coplan_plan_version *versions, size_t n);
int coplan_events_format_json(char **out, const coplan_activity_event *events, size_t n);
int coplan_plans_format_json(char **out, const coplan_plan_entry *plans, size_t n);

/*
 * What a schedule did, as one object: {plan_id, activities, scheduled,
 * unplaced, cancelled, by_host {NAT: count}, score {hard, medium, soft},
 * unplaced_activities [{ref, reason}], moved [{ref, before, after}] (a
 * re-plan only), missing_calendars [NAT]}.  Errors: COPLAN_ENOMEM.
 */
int coplan_schedule_result_format_json(char **out, const coplan_schedule_result *result);

/*
 * Working days common to n calendars (coplan_calendars_common_days()) as
 * {nations: [{nation, weekend: ["fri", "sat"]}], days: ["2024-01-02", ...],
 * count}.  Errors: COPLAN_ENOMEM.
 */
int coplan_common_days_format_json(char **out, coplan_calendar *const *cals, size_t n,
                                   const coplan_date *days, size_t n_days);

/*
 * changes (coplan_plan_compare()) as {kind: added|removed|moved|changed,
 * ref, title, field, before, after, subject: activity|blackout}, a
 * blackout's with its days {from, to} too.
 */
int coplan_changes_format_json(char **out, const coplan_change *changes, size_t n);

/*
 * Plan against execution (coplan_report_execution_rows()) as an array of
 * {section: all|host|area|quarter, key, planned, confirmed, executed,
 * postponed, cancelled, total}.  Errors: COPLAN_ENOMEM.
 */
int coplan_execution_format_json(char **out, const coplan_plan *plan, const coplan_plan *baseline);

/* ---- accounts, roles and sessions (coplan/account.h) ------------------- */

/*
 * Allow or refuse action on plan plan_id (0: an action on no plan: creating
 * a plan or managing users, which needs an administrator) for ctx's
 * account, by the table in coplan/account.h.  Account 0 may do everything.
 * Every use case below calls this inside its transaction; a front end may
 * call it to decide what to show.  Errors: COPLAN_EDENIED (naming the
 * role needed), COPLAN_EAUTH (a disabled or unknown account),
 * COPLAN_ENOTFOUND, COPLAN_ESTORE.
 */
int coplan_service_authorize(const coplan_ctx *ctx, long plan_id, coplan_action action);

/*
 * ctx's role on plan_id (COPLAN_PLAN_ROLE_OWNER for account 0;
 * COPLAN_PLAN_ROLE_NONE, not an error, when it has none).  Errors: as
 * authorize but COPLAN_EDENIED.
 */
int coplan_service_role_of(const coplan_ctx *ctx, long plan_id, coplan_plan_role *role);

/*
 * Add a user (see coplan/account.h for the name's rules; password
 * COPLAN_PASSWORD_MIN..MAX bytes, hashed with argon2id).  Needs an
 * administrator (or account 0).  *id may be NULL.  Errors: COPLAN_EINVALID
 * (naming the field), COPLAN_EEXISTS, COPLAN_EDENIED, COPLAN_ESTORE.
 */
int coplan_service_user_add(const coplan_ctx *ctx, const char *name, const char *nation,
                            const char *display_name, const char *password, int is_admin,
                            long *id);
/*
 * coplan_service_user_add() with what the user holds for releasability
 * (docs/labels.md): clearance, a level of the label policy's ladder by name
 * or alias (NULL or "": the ladder's lowest), and caveats, the policy's
 * caveat names separated by spaces or commas (NULL or "": none).  Errors as
 * coplan_service_user_add(), and COPLAN_EINVALID for a level or caveat the
 * policy (coplan_label_policy_default_path()) does not name.
 */
int coplan_service_user_add_cleared(const coplan_ctx *ctx, const char *name, const char *nation,
                                    const char *display_name, const char *password, int is_admin,
                                    const char *clearance, const char *caveats, long *id);
/* Set a new password (an administrator, or the user for themselves); ends the user's sessions. */
int coplan_service_user_passwd(const coplan_ctx *ctx, const char *name, const char *password);
/* Disable (1) or enable (0) a user; disabling ends their sessions.  Needs an administrator. */
int coplan_service_user_disable(const coplan_ctx *ctx, const char *name, int disabled);
/* Every user, by name; *out freed with coplan_accounts_free(). */
int coplan_service_users(const coplan_ctx *ctx, coplan_account **out, size_t *n);

/*
 * Give user the role on plan_id (COPLAN_PLAN_ROLE_NONE takes it away).  Needs
 * the owner of the plan (or account 0).  Errors: COPLAN_ENOTFOUND (user or
 * plan), COPLAN_EDENIED, COPLAN_ESTORE.
 */
int coplan_service_role_grant(const coplan_ctx *ctx, long plan_id, const char *user,
                              coplan_plan_role role);
/* The roles given on plan_id, by user name; *out freed with free(). */
int coplan_service_roles(const coplan_ctx *ctx, long plan_id, coplan_role_grant **out, size_t *n);

/*
 * Log in: check name and password (argon2id, constant time), then open a
 * session lasting ttl seconds from ctx's clock.  token gets the session
 * token for the cookie (only its SHA-256 is stored); *session what it
 * stands for.  After COPLAN_LOGIN_FAILURES failures of one name within
 * COPLAN_LOGIN_WINDOW seconds, further attempts are refused until the
 * oldest of them is that old, even with the right password (the rate
 * limit of OWASP's Authentication Cheat Sheet); a good login forgets the
 * name's failures.  ttl: 1 second to 30 days, else COPLAN_EUSAGE.  Errors: COPLAN_EAUTH (unknown
 * user, wrong password or disabled: one message for all three),
 * COPLAN_ELIMIT (too many failures), COPLAN_ESTORE.
 */
int coplan_service_login(const coplan_ctx *ctx, const char *name, const char *password,
                         long ttl, char token[COPLAN_TOKEN_LEN], coplan_session *session);
/*
 * The session that token stands for, if it has not expired (ctx's clock)
 * and its user is enabled.  Errors: COPLAN_EAUTH, COPLAN_ESTORE.
 */
int coplan_service_session(const coplan_ctx *ctx, const char *token, coplan_session *session);
/* End the session token stands for (no error when it is already gone). */
int coplan_service_logout(const coplan_ctx *ctx, const char *token);

/*
 * 0 when csrf (from a form or header) is session's CSRF token, compared in
 * constant time; else COPLAN_EAUTH.  For the server's state-changing requests.
 */
int coplan_session_csrf_check(const coplan_session *session, const char *csrf);

/*
 * The stable calendar-feed token of ctx's account for plan_id (made on
 * first use, kept until the role is taken away), for a subscription URL
 * that Outlook polls without a cookie; coplan_service_feed_account() maps
 * it back to the account and plan.  Errors: COPLAN_EDENIED, COPLAN_EAUTH,
 * COPLAN_ESTORE.
 */
int coplan_service_feed_token(const coplan_ctx *ctx, long plan_id, char token[COPLAN_TOKEN_LEN]);
int coplan_service_feed_account(const coplan_ctx *ctx, const char *token, coplan_session *session,
                                long *plan_id);

/*
 * Users as a JSON array of {id, name, nation, display_name, is_admin,
 * disabled} (never a password or its hash), and roles as {plan_id, user,
 * nation, role}; *out malloc'd, the caller frees.  Errors: COPLAN_ENOMEM.
 */
int coplan_accounts_format_json(char **out, const coplan_account *accounts, size_t n);
int coplan_roles_format_json(char **out, const coplan_role_grant *grants, size_t n);

/* ---- the tamper-evident audit log (src/service/audit.c; docs/internals/audit.md) ---- */

/*
 * Every state change and every refusal (COPLAN_EDENIED, COPLAN_EAUTH,
 * COPLAN_ECONFLICT) writes one entry (coplan/audit.h), the change's inside
 * its own transaction, a refusal's after the rollback.  Reading, signing
 * and verifying the log need the local operator (account 0) or an
 * administrator (else COPLAN_EDENIED, itself logged).
 */

/* The entries numbered above since (0: all), in order; freed with coplan_audit_entries_free(). */
int coplan_service_audit_entries(const coplan_ctx *ctx, long since, coplan_audit_entry **out, size_t *n);

/*
 * Sign the tree head of the whole log now (size, root, time UTC) with the
 * office's certificate and key (PEM files, coplan_sign_detached()) and
 * store it; *out gets it (its signature malloc'd: free out->signature).
 * Errors: COPLAN_EIO, COPLAN_EINVALID (certificate or key), COPLAN_EDENIED, COPLAN_ESTORE.
 */
int coplan_service_audit_checkpoint(const coplan_ctx *ctx, const char *cert, const char *key,
                                    coplan_audit_checkpoint *out);

/* What coplan_service_audit_verify() found; released with coplan_audit_report_release(). */
typedef struct {
	long entries;            /* entries checked */
	size_t checkpoints;      /* checkpoints whose root (and consistency) checked */
	size_t signatures;       /* of those, signatures verified against the CAs */
	int unsigned_checked;    /* 1: checkpoints were checked without a CA (signatures not checked) */
	long first_bad;          /* the first entry that differs (0: none, or a checkpoint's signature) */
	char *problem;           /* the problem found (malloc'd), NULL when none */
} coplan_audit_report;

/*
 * Recompute every entry's leaf from its row and the root at each
 * checkpoint: 0 when all hold; COPLAN_EINVALID naming the FIRST entry that
 * is missing or differs, or a checkpoint whose root no longer matches, is
 * not consistent with an earlier one (RFC 9162 2.1.4), or (with n_ca CA
 * files) whose signature does not verify.  Errors besides: COPLAN_EDENIED,
 * COPLAN_ESTORE, COPLAN_ENOMEM.
 */
int coplan_service_audit_verify(const coplan_ctx *ctx, const char *const *ca, size_t n_ca,
                                coplan_audit_report *out);
void coplan_audit_report_release(coplan_audit_report *report);

/* The inclusion proof of one entry against a checkpoint (hashes as hex). */
typedef struct {
	long seq;                /* the entry (leaf index seq - 1) */
	char leaf[65];
	long checkpoint;         /* the checkpoint's id, its tree size, root and time (UTC) */
	long tree_size;
	char root[65];
	char at[24];
	char (*path)[65];        /* n_path hashes, nearest the leaf first (RFC 9162 2.1.3); malloc'd */
	size_t n_path;
} coplan_audit_proof;

/*
 * The inclusion proof of entry seq against the latest checkpoint, checked
 * before it is given.  Released with coplan_audit_proof_release().
 * Errors: COPLAN_ENOTFOUND (no checkpoint, or seq not in it),
 * COPLAN_EINVALID (the log no longer matches the checkpoint), COPLAN_EDENIED.
 */
int coplan_service_audit_proof(const coplan_ctx *ctx, long seq, coplan_audit_proof *out);
void coplan_audit_proof_release(coplan_audit_proof *proof);

/* Entries as a JSON array of {seq, at, account, user, nation, action, object, outcome, error, before, after, leaf}; *out malloc'd. */
int coplan_audit_entries_format_json(char **out, const coplan_audit_entry *entries, size_t n);

/* ---- exchange between offices: partner CAs, signed bundles, merges (src/service/bundle.c) ---- */

/*
 * docs/internals/exchange.md.  The office's own certificate and key are
 * given by path to each call (never stored); the office's nation is its
 * certificate's countryName.  Keys and bundles need the local operator or
 * an administrator for the CAs and a new plan, and the plan's edit right
 * for an import into it or a merge.
 */

/*
 * Trust the CA certificate in the PEM file path for nation's offices,
 * recorded with the staff talks of plan talks_plan (0: none given; else
 * the plan must exist and hold its talks).  *out (may be NULL) gets the
 * row (out->pem NULL).  Errors: COPLAN_EINVALID (not a CA certificate, a
 * nation that is not a code or is not the certificate's), COPLAN_EEXISTS,
 * COPLAN_EIO, COPLAN_ELIMIT, COPLAN_EDENIED, COPLAN_ENOTFOUND (talks_plan).
 */
int coplan_service_ca_import(const coplan_ctx *ctx, const char *nation, const char *path, long talks_plan,
                             coplan_partner_ca *out);
/* Every partner CA (freed with coplan_partner_cas_free()). */
int coplan_service_cas(const coplan_ctx *ctx, coplan_partner_ca **out, size_t *n);
/* Stop trusting the CA of that fingerprint (64 hex digits).  Errors: COPLAN_ENOTFOUND, COPLAN_EDENIED. */
int coplan_service_ca_delete(const coplan_ctx *ctx, const char *fingerprint);

/* What to export: to whom, signed by which office, written where. */
typedef struct {
	const char *to;          /* the recipient nation (ISO 3166-1 alpha-3) */
	const char *cert;        /* the office's certificate (PEM file) */
	const char *key;         /* its private key (PEM file, not encrypted) */
	const char *path;        /* where to write the bundle (atomically); NULL: not written, only returned */
	const char *note;        /* a line for the recipient, or NULL */
	int expires_days;        /* days from now (UTC) until the bundle expires, 1..366; 0: 30 */
} coplan_bundle_request;

/* What a bundle is: released with coplan_bundle_result_release(). */
typedef struct {
	coplan_bundle_manifest manifest;
	coplan_signer signer;    /* who signed it (export: the office) */
	unsigned char *data;     /* export: the bundle's bytes (malloc'd), len bytes */
	size_t len;
} coplan_bundle_result;
void coplan_bundle_result_release(coplan_bundle_result *r);

/*
 * Export plan plan_id (0: the newest) to req->to as a bundle
 * (coplan/bundle.h): the plan as the recipient nation may see it, the
 * next sequence number to that nation for the plan, the base (the plan
 * last received from it, if any), the audit log's tree head; signed with
 * the office's key; written to req->path.  One transaction: the sequence
 * is kept only when the file is written.  Errors: COPLAN_EINVALID
 * (certificate, key, a recipient that is the office's own nation),
 * COPLAN_EUSAGE, COPLAN_EIO, COPLAN_EDENIED, COPLAN_ENOTFOUND, COPLAN_ESTORE.
 */
int coplan_service_bundle_export(const coplan_ctx *ctx, long plan_id, const coplan_bundle_request *req,
                                 coplan_bundle_result *out);

/*
 * Check the bundle in the file path for the office of certificate cert,
 * changing nothing: every byte as coplan writes it, the signature by a
 * certificate that chains to a CA kept for the sender's nation and is
 * valid now, the sender nation that of the certificate, the recipient the
 * office's nation, not expired, a sequence above the last one taken from
 * the sender for the plan, a base this store sent or received, an audit
 * log that only grew, a payload that is a plan in canonical JSON of the
 * manifest's UUID.  Each refusal COPLAN_EINVALID (COPLAN_ELIMIT for size)
 * with a message saying which.  out (may be NULL) gets the manifest and signer.
 */
int coplan_service_bundle_verify(const coplan_ctx *ctx, const char *path, const char *cert,
                                 coplan_bundle_result *out);

/* What an import did. */
typedef struct {
	long plan_id;            /* the plan it went into */
	int created;             /* 1: a new plan (the first bundle of it) */
	int applied;             /* 1: the plan was changed and saved as a new draft version */
	int version;             /* that version's number */
	size_t conflicts;        /* > 0: a merge waits for them (coplan_service_merge_*) */
} coplan_bundle_import_result;

/*
 * Verify (coplan_service_bundle_verify()) and take the bundle in path: a
 * plan not held yet is created from it; else the partner's plan and ours
 * are merged against the base (coplan_plan_merge()): without conflicts
 * the result is saved at once as a new draft version whose note names
 * both sides; with conflicts the merge waits (nothing applied) for
 * coplan_service_merge_take() and coplan_service_merge_apply().  The
 * sequence is kept, so the same bundle is refused afterwards.  Errors: as
 * verify, COPLAN_ECONFLICT (a merge already waiting, a signed plan),
 * COPLAN_EDENIED.
 */
int coplan_service_bundle_import(const coplan_ctx *ctx, const char *path, const char *cert,
                                 coplan_bundle_import_result *out);

/*
 * The conflicts of plan plan_id's waiting merge with their resolutions
 * (freed with coplan_merge_conflicts_free()); from (may be NULL, 4 bytes)
 * the partner's nation.  Errors: COPLAN_ENOTFOUND (no merge waiting).
 */
int coplan_service_merge_conflicts(const coplan_ctx *ctx, long plan_id, coplan_merge_conflict **out,
                                   size_t *n, char *from);

/*
 * Resolve the conflict on ref's field (as coplan_service_merge_conflicts()
 * names it): ours, theirs, or value (COPLAN_MERGE_VALUE: JSON text, or
 * any other text taken as a string).  Errors: COPLAN_ENOTFOUND (no such
 * conflict), COPLAN_EINVALID.
 */
int coplan_service_merge_take(const coplan_ctx *ctx, long plan_id, const char *ref, const char *field,
                              coplan_merge_choice choice, const char *value);

/*
 * Apply plan plan_id's merge once every conflict is resolved: the plan
 * becomes the merge's result and is saved as a new draft version naming
 * both sides (*version, may be NULL).  Errors: COPLAN_ECONFLICT (conflicts
 * open, or the plan changed since the import: import again), COPLAN_ENOTFOUND,
 * COPLAN_EINVALID (a result that is not a valid plan, named).
 */
int coplan_service_merge_apply(const coplan_ctx *ctx, long plan_id, int *version);

/* Drop plan plan_id's waiting merge, applying nothing (the bundle stays taken).  Errors: COPLAN_ENOTFOUND. */
int coplan_service_merge_abort(const coplan_ctx *ctx, long plan_id);

#ifdef __cplusplus
}
#endif
#endif

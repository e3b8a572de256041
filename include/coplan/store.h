/* coplan/store.h - the SQLite store: plans, talks, activities and their history. */
#ifndef COPLAN_STORE_H
#define COPLAN_STORE_H

#include "coplan/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A coplan database: one SQLite file holding any number of cooperation
 * plans.  Opening creates the schema or migrates an older one (the version
 * is SQLite's PRAGMA user_version); foreign keys are on, the journal is
 * WAL, and every write is one transaction: it happens whole or not at all.
 * Opaque; open with coplan_store_open(), close with coplan_store_close().
 */
typedef struct coplan_store coplan_store;

/*
 * Open (creating if needed) the database at path and bring its schema up
 * to date.  *out is the caller's, closed with coplan_store_close().
 * Errors: COPLAN_ESTORE (cannot open, not a coplan database, or a schema
 * newer than this program), COPLAN_ENOMEM.
 */
int coplan_store_open(coplan_store **out, const char *path);

/* Close the database; NULL is a no-op. */
void coplan_store_close(coplan_store *store);

/* The schema version this program writes (PRAGMA user_version). */
int coplan_store_schema_version(void);

/*
 * Insert plan as a new plan (with its talks, activities, precedences and
 * blackouts) in one transaction; *plan_id receives its id (may be NULL).
 * Errors: COPLAN_EEXISTS (a plan with the same title and year exists),
 * COPLAN_ESTORE.
 */
int coplan_store_insert_plan(coplan_store *store, const coplan_plan *plan, long *plan_id);

/*
 * Load plan plan_id (0: the most recently created plan) into *out, which
 * the caller frees with coplan_plan_free().  Activities come in the order
 * they were imported.  *plan_id_out (may be NULL) receives the id loaded.
 * Errors: COPLAN_ENOTFOUND (no such plan, or no plan at all), COPLAN_ESTORE.
 */
int coplan_store_load_plan(coplan_store *store, long plan_id, coplan_plan **out, long *plan_id_out);

/*
 * Replace the activities, precedences and blackouts of plan plan_id with
 * those of plan (talks and title stay) in one transaction.  Activities are
 * matched by ref: a changed activity keeps its row and has its sequence
 * raised.  Errors: COPLAN_ENOTFOUND, COPLAN_ESTORE.
 */
int coplan_store_update_plan(coplan_store *store, long plan_id, const coplan_plan *plan);

/*
 * Call fn once per plan, newest last, with its id, title and year; stops
 * early when fn returns non-zero (that value is returned).
 * Errors: COPLAN_ESTORE.
 */
int coplan_store_foreach_plan(coplan_store *store,
                              int (*fn)(long id, const char *title, int year, void *payload),
                              void *payload);

/* One entry of an activity's execution history: append-only, never changed. */
typedef struct {
	char *ref;             /* the activity */
	char at[24];           /* when it was recorded, UTC, ISO 8601: "2024-06-03T09:12:00Z" */
	char *author;          /* who recorded it */
	coplan_activity_status status;
	coplan_date start;     /* the activity's dates after the change (NONE if unplaced) */
	coplan_date end;
	char *reason;          /* or NULL */
} coplan_activity_event;

/*
 * Record a change of an activity's execution status, in one transaction:
 * the activity takes the status (and, for COPLAN_STATUS_POSTPONED, the new
 * dates start..end, inclusive local dates), its sequence is raised, and an
 * event is appended to the history with author and the time (UTC).
 * Execution is tracked on signed plans too: it is not an edit of the plan.
 * Rules: postponed needs new dates (start <= end) and a reason;
 * cancelled needs a reason; other statuses keep the dates.
 * Errors: COPLAN_ENOTFOUND (no plan or activity), COPLAN_EINVALID (rule
 * above), COPLAN_ESTORE.
 */
int coplan_store_set_status(coplan_store *store, long plan_id, const char *ref,
                            coplan_activity_status status, coplan_date start, coplan_date end,
                            const char *reason, const char *author);

/*
 * The history of plan plan_id, oldest first: every event, or those of
 * activity ref when ref is not NULL.  *out is the caller's, freed with
 * coplan_activity_events_free(*out, *n).  Errors: COPLAN_ESTORE, COPLAN_ENOMEM.
 */
int coplan_store_history(coplan_store *store, long plan_id, const char *ref,
                         coplan_activity_event **out, size_t *n);

/* Free n events and the array; NULL is a no-op. */
void coplan_activity_events_free(coplan_activity_event *events, size_t n);

#ifdef __cplusplus
}
#endif
#endif

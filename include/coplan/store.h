/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/store.h - the SQLite store: plans, talks, activities and their history. */
#ifndef COPLAN_STORE_H
#define COPLAN_STORE_H

#include <time.h>

#include "coplan/account.h"
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
 * How long, in milliseconds, a store waits by default for another
 * process's transaction before failing with "busy" (COPLAN_ESTORE);
 * coplan_store_set_busy_timeout() changes it.
 */
#define COPLAN_STORE_BUSY_TIMEOUT_MS 30000

/*
 * Open (creating if needed) the database at path and bring its schema up
 * to date.  *out is the caller's, closed with coplan_store_close().
 * Errors: COPLAN_ESTORE (cannot open, not a coplan database, or a schema
 * newer than this program), COPLAN_ENOMEM.
 */
int coplan_store_open(coplan_store **out, const char *path);

/*
 * As coplan_store_open() for a database that must exist already: never
 * creates a file (a mistyped path is COPLAN_ENOTFOUND, not a new empty
 * database).  A file or folder that is read-only is opened read-only when its
 * schema is current (reports and exports work; every write then fails with
 * COPLAN_ESTORE).  Errors: COPLAN_ENOTFOUND, COPLAN_ESTORE, COPLAN_ENOMEM.
 */
int coplan_store_open_existing(coplan_store **out, const char *path);

/*
 * 1 when name is a PostgreSQL database (a postgresql:// or postgres://
 * URI, which coplan_store_open() opens with libpq), 0 for an SQLite file.
 */
int coplan_store_is_postgresql(const char *name);

/*
 * Copy the whole content of from into to, which must be empty (a new
 * database: COPLAN_ECONFLICT otherwise), whatever the two backends
 * (SQLite and PostgreSQL either way): every table of the record row by
 * row, keys, versions, history, seals and times as they are, in one
 * transaction of to.  Before it commits, the copy is read back and the
 * source read again: the row count of every table and the content hash
 * (sha256, 65 bytes: the SHA-256 over each table's rows, independent of
 * the order a backend returns them in) must be the same on all three
 * reads, else nothing is copied (COPLAN_ESTORE; a source written during
 * the copy is refused that way).  fn (may be NULL) gets each table's
 * name and row count after the commit.  Errors: COPLAN_ECONFLICT,
 * COPLAN_ESTORE, COPLAN_EUSAGE (inside a transaction), COPLAN_ENOMEM.
 */
int coplan_store_copy(coplan_store *from, coplan_store *to,
                      void (*fn)(const char *table, size_t rows, void *payload), void *payload,
                      char sha256[65]);

/* Close the database; NULL is a no-op. */
void coplan_store_close(coplan_store *store);

/*
 * Make a read-modify-write one transaction: coplan_store_begin() takes the
 * write lock at once (BEGIN IMMEDIATE; another process writing waits up to
 * the busy timeout, then COPLAN_ESTORE "busy"), the store calls made before
 * coplan_store_end() join the transaction, and coplan_store_end(store, rc)
 * commits when rc is 0 and every call inside succeeded, else rolls back.
 * It returns rc, or the commit's error.  Without it, a plan loaded, changed
 * and saved back could overwrite another process's change made meanwhile.
 * Calls nest.  Errors: COPLAN_ESTORE.
 */
int coplan_store_begin(coplan_store *store);
int coplan_store_end(coplan_store *store, int rc);

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
 * coplan_store_load_plan() that also gives the seal the plan was checked
 * against: content receives the SHA-256 of its canonical JSON
 * (coplan_plan_digest(), 64 lower-case hex digits and a NUL), computed
 * when a read-only store holds no seal.  Ownership and errors as
 * coplan_store_load_plan().
 */
int coplan_store_load_plan_sealed(coplan_store *store, long plan_id, coplan_plan **out,
                                  long *plan_id_out, char content[65]);

/*
 * coplan_store_update_plan() for a caller that holds the plan as it loaded
 * it: old (borrowed) with the seal old_content that
 * coplan_store_load_plan_sealed() gave.  In one transaction: when the stored
 * seal is no longer old_content (the plan was changed since) nothing is
 * written and the error is COPLAN_ECONFLICT; otherwise only what differs
 * from old is written and the plan sealed again.  Spares loading and
 * hashing the stored plan once more (a re-plan at 5,000 activities).
 * Errors: as coplan_store_update_plan(), and COPLAN_ECONFLICT.
 */
int coplan_store_update_plan_from(coplan_store *store, long plan_id, const coplan_plan *old,
                                  const char old_content[65], const coplan_plan *plan);

/*
 * Replace the activities, precedences and blackouts of plan plan_id with
 * those of plan (talks and title stay) in one transaction.  Activities are
 * matched by ref: a changed activity keeps its row and has its sequence
 * raised.  Errors: COPLAN_ENOTFOUND, COPLAN_ESTORE.
 */
int coplan_store_update_plan(coplan_store *store, long plan_id, const coplan_plan *plan);

/*
 * 0 when plan plan_id may be edited; COPLAN_ECONFLICT when its newest
 * version is signed (an amendment starts with a draft version), naming the
 * version.  coplan_store_update_plan() applies the same rule inside its
 * transaction; call this first to refuse before reading an import.
 * Errors: COPLAN_ECONFLICT, COPLAN_ESTORE.
 */
int coplan_store_plan_editable(coplan_store *store, long plan_id);

/*
 * Delete plan plan_id, by (who).  A signed plan is refused (COPLAN_ECONFLICT)
 * unless force.  A plan with saved versions or an execution history stays
 * in the record, marked deleted (loads and lists leave it out; loading it
 * by id says when it was deleted); any other plan is removed with its
 * activities.  Errors: COPLAN_ENOTFOUND, COPLAN_ECONFLICT, COPLAN_ESTORE.
 */
int coplan_store_delete_plan(coplan_store *store, long plan_id, const char *by, int force);

/*
 * A stamp of plan plan_id as it stands (64 hex digits into stamp): the
 * SHA-256 of its content and history seals and its newest version's number
 * and state, read without loading the plan.  Any change coplan makes to the
 * plan, its history or its versions gives another stamp; a deleted plan
 * has none.  Front ends key caches of what they render from a plan on it.
 * Errors: COPLAN_ENOTFOUND (no such plan, or deleted), COPLAN_ESTORE.
 */
int coplan_store_plan_stamp(coplan_store *store, long plan_id, char stamp[65]);

/*
 * Call fn once per plan, newest last, with its id, title and year; stops
 * early when fn returns non-zero (that value is returned).
 * Errors: COPLAN_ESTORE.
 */
int coplan_store_foreach_plan(coplan_store *store,
                              int (*fn)(long id, const char *title, int year, void *payload),
                              void *payload);

/* coplan_version_state (draft, agreed, signed) is declared in coplan/model.h. */

/* A saved version of a plan: a snapshot that never changes. */
typedef struct {
	int number;            /* 1, 2, ... in order of saving */
	coplan_version_state state;
	char created_at[24];   /* UTC, ISO 8601 */
	char *author;
	char *note;            /* or NULL */
	char nation[4];        /* the author's nation (ISO 3166-1 alpha-3) when recorded, else "" */
	char sha256[65];       /* the SHA-256 of its snapshot (64 hex digits), checked when listed */
} coplan_plan_version;

/*
 * Save the plan as it stands now as a new version with state, in one
 * transaction; *number (may be NULL) gets its number.  The rules of the
 * record: only a version saved as agreed, unchanged since, can be signed;
 * once the newest version is signed, the plan refuses every edit
 * (coplan_store_update_plan() fails with COPLAN_ECONFLICT) until a draft
 * is saved: an amendment, which is a new version, never a change to the
 * signed one.  Execution tracking (coplan_store_set_status()) goes on
 * regardless.  Errors: COPLAN_ENOTFOUND (no plan), COPLAN_ECONFLICT (a rule
 * above), COPLAN_ESTORE, COPLAN_ENOMEM.
 */
int coplan_store_version_save(coplan_store *store, long plan_id, coplan_version_state state,
                              const char *author, const char *note, int *number);

/*
 * As coplan_store_version_save(), recording nation (the author's, ISO
 * 3166-1 alpha-3; NULL or "" for none) with the version.  Errors: as
 * coplan_store_version_save(), COPLAN_EINVALID (a nation that is not a code).
 */
int coplan_store_version_save_as(coplan_store *store, long plan_id, coplan_version_state state,
                                 const char *author, const char *nation, const char *note,
                                 int *number);

/*
 * The versions of plan plan_id, oldest first.  *out is the caller's, freed
 * with coplan_plan_versions_free(*out, *n).  Errors: COPLAN_ESTORE, COPLAN_ENOMEM.
 */
int coplan_store_versions(coplan_store *store, long plan_id, coplan_plan_version **out, size_t *n);

/* Free n versions and the array; NULL is a no-op. */
void coplan_plan_versions_free(coplan_plan_version *versions, size_t n);

/*
 * Load version number of plan plan_id (0: the newest signed version, or
 * COPLAN_ENOTFOUND if none is signed) into *out, freed by the caller with
 * coplan_plan_free().  Errors: COPLAN_ENOTFOUND, COPLAN_ESTORE, COPLAN_ENOMEM.
 */
int coplan_store_version_load(coplan_store *store, long plan_id, int number, coplan_plan **out);

/*
 * What an entry of the history records: a status change (execution), an
 * edit of an activity, or a blackout added or deleted.  Append-only: a
 * value once stored keeps its meaning.
 */
typedef enum {
	COPLAN_EVENT_STATUS = 0,         /* a status change (coplan_store_set_statuses()) */
	COPLAN_EVENT_ADDED,              /* an activity added to the plan */
	COPLAN_EVENT_EDITED,             /* fields of an activity changed; detail names them */
	COPLAN_EVENT_DELETED,            /* an activity deleted from the plan */
	COPLAN_EVENT_PINNED,             /* an activity pinned to its dates */
	COPLAN_EVENT_UNPINNED,           /* an activity let go by the scheduler again */
	COPLAN_EVENT_BLACKOUT_ADDED,     /* a blackout of ref (a nation or a unit), start..end */
	COPLAN_EVENT_BLACKOUT_DELETED
} coplan_event_action;

/* The word for action ("status", "added", "edited", ..., "blackout deleted"); never NULL. */
const char *coplan_event_action_name(coplan_event_action action);

/* The action named name (as coplan_event_action_name() gives it); COPLAN_EINVALID for another word. */
int coplan_event_action_parse(coplan_event_action *out, const char *name);

/* 1 when action concerns a blackout (ref is then its nation or unit), else 0. */
int coplan_event_is_blackout(coplan_event_action action);

/*
 * One entry of the history of a plan: append-only, never changed.  An
 * activity's entries are its own by identity (uuid): an activity deleted
 * and added again under the same ref starts a new history.
 */
typedef struct {
	char *ref;             /* the activity; a blackout's nation or unit for a blackout's entry */
	char at[24];           /* when it was recorded, UTC, ISO 8601: "2024-06-03T09:12:00Z" */
	char *author;          /* who recorded it */
	coplan_activity_status status; /* the activity's status after the change (PLANNED for a blackout) */
	coplan_date start;     /* the activity's dates after the change (NONE if unplaced); a blackout's days */
	coplan_date end;
	char *reason;          /* or NULL */
	char nation[4];        /* the author's nation (ISO 3166-1 alpha-3) when recorded, else "" */
	coplan_event_action action;   /* STATUS for every entry written before schema 12 */
	char uuid[COPLAN_UUID_LEN];   /* the activity's identity; "" for a blackout, or an entry of
	                                 schema < 12 (then matched by ref) */
	char *detail;          /* EDITED: the fields changed, as coplan_plan_compare() names them
	                          ("duration, title"); a blackout: "hard" or "soft"; else NULL */
} coplan_activity_event;

/* One change of an activity's execution status, as a caller describes it (strings borrowed). */
typedef struct {
	const char *ref;
	coplan_activity_status status;
	coplan_date start;     /* new first day (local date), postponed only; else COPLAN_DATE_NONE */
	coplan_date end;       /* new last day, inclusive */
	const char *reason;    /* required for postponed and cancelled */
	const char *author;    /* required */
} coplan_status_change;

/*
 * Check a status change against the rules of the record without touching
 * a store: postponed needs new dates (start <= end) and a reason;
 * cancelled needs a reason; every change needs an author; new dates go
 * with postponed only.  Returns 0 or COPLAN_EINVALID with the last error
 * naming the activity and the rule.
 */
int coplan_status_change_check(const coplan_status_change *change);

/*
 * Record n changes of execution status in one transaction, all or none:
 * each activity takes its status (and, when postponed, the new dates), its
 * sequence is raised, and an event is appended to the history with author
 * and the time (UTC).  Execution is tracked on signed plans too: it is not
 * an edit of the plan.  Errors: COPLAN_EINVALID (a rule of
 * coplan_status_change_check(); changes[i] is named), COPLAN_ENOTFOUND (no
 * such activity in the plan), COPLAN_ESTORE.
 */
int coplan_store_set_statuses(coplan_store *store, long plan_id,
                              const coplan_status_change *changes, size_t n);

/*
 * As coplan_store_set_statuses(), recording nation (the authors' nation,
 * ISO 3166-1 alpha-3; NULL or "" for none) with each event.  Errors: as
 * coplan_store_set_statuses(), COPLAN_EINVALID (a nation that is not a code).
 */
int coplan_store_set_statuses_as(coplan_store *store, long plan_id,
                                 const coplan_status_change *changes, size_t n, const char *nation);

/* One change: coplan_store_set_statuses() with n = 1. */
int coplan_store_set_status(coplan_store *store, long plan_id, const char *ref,
                            coplan_activity_status status, coplan_date start, coplan_date end,
                            const char *reason, const char *author);

/*
 * Append n entries that record edits of plan plan_id (any action but
 * STATUS: a status change goes through coplan_store_set_statuses()), in
 * one transaction joined to the caller's, and seal the history again.
 * Each needs its author; ref, reason, detail and author are checked as
 * the record's text (no control characters).  The plan's content is not
 * changed: call it inside the transaction that saved the edit
 * (coplan_store_update_plan()), so the record and the change go together.
 * Errors: COPLAN_EINVALID (an entry naming the rule), COPLAN_EUSAGE (a
 * STATUS entry), COPLAN_ENOTFOUND, COPLAN_ESTORE.
 */
int coplan_store_history_append(coplan_store *store, long plan_id, const coplan_activity_event *events,
                                size_t n);

/*
 * The history of plan plan_id, oldest first: every entry, or when ref is
 * not NULL those of activity ref: by its identity when the plan has an
 * activity ref (entries written before schema 12, which carry no
 * identity, by ref), else every entry once recorded under ref (an activity
 * the plan had); blackouts' entries are not an activity's.  *out is the
 * caller's, freed with coplan_activity_events_free(*out, *n).
 * Errors: COPLAN_ESTORE, COPLAN_ENOMEM.
 */
int coplan_store_history(coplan_store *store, long plan_id, const char *ref,
                         coplan_activity_event **out, size_t *n);

/* Free n events and the array; NULL is a no-op. */
void coplan_activity_events_free(coplan_activity_event *events, size_t n);

/* ---- the database as a whole ---------------------------------------------- */

/*
 * Wait up to ms milliseconds (>= 0; negative is 0) for another process's
 * lock before an operation fails with "busy" (COPLAN_ESTORE).  The default
 * is COPLAN_STORE_BUSY_TIMEOUT_MS.
 */
void coplan_store_set_busy_timeout(coplan_store *store, int ms);

/*
 * Check the whole database, outside any transaction: the file's integrity
 * (SQLite's integrity_check, or the faster quick_check when quick is
 * nonzero), the schema and the guards that keep versions and history
 * append-only, and (unless quick) every version of every plan: its
 * snapshot against the SHA-256 stored with it, numbers without gaps, a
 * signed version only right after the agreed one it signs.  Each problem
 * goes to fn (may be NULL) as one line naming it (borrowed for the call);
 * *n_problems (may be NULL) gets their number, 0 for a sound database.
 * Returns 0 when the check ran, whatever it found.  Errors: COPLAN_EUSAGE
 * (inside a transaction), COPLAN_ENOMEM.
 */
int coplan_store_check(coplan_store *store, int quick, void (*fn)(const char *problem, void *payload),
                       void *payload, size_t *n_problems);

/*
 * 0 when the quick check of coplan_store_check() finds nothing (file
 * integrity, schema, guards), else COPLAN_ESTORE naming the first problem:
 * what a command that reads versions or history runs first, so that a
 * damaged or tampered file is refused rather than read as a short record.
 * Errors: COPLAN_ESTORE, COPLAN_ENOMEM.
 */
int coplan_store_refuse_damaged(coplan_store *store);

/*
 * Write a consistent copy of the database to the file at path (replaced
 * atomically if it exists; synced, its folder synced) while other
 * processes go on writing; the copy needs no -wal file.  Errors:
 * COPLAN_EUSAGE (path is the database itself, or inside a transaction),
 * COPLAN_ESTORE (busy longer than the busy timeout, the disk full), COPLAN_EIO.
 */
int coplan_store_backup(coplan_store *store, const char *path);

/*
 * Create or replace the publication coplan_rel_<nation in lower case> of
 * the activities and blackouts releasable to nation (ISO 3166-1 alpha-3):
 * on PostgreSQL 15 or later, a publication with a row filter on the
 * rel_to column (schema 17), WHERE (rel_to = '*' OR rel_to LIKE
 * '% NAT %'), the tables' replica identity made FULL so that a row whose
 * label narrows is deleted downstream (docs/deploy.md).  Its name into
 * name.  Errors: COPLAN_EINVALID (not a nation), COPLAN_EUSAGE (SQLite
 * has no publications; inside a transaction), COPLAN_ESTORE (wal_level
 * is not logical, no privilege).
 */
int coplan_store_publish(coplan_store *store, const char *nation, char name[64]);

/*
 * Replace the whole database with the backup at path, after checking it:
 * it must open as a coplan database (an older schema is upgraded in that
 * file) and pass coplan_store_check() in full, its problems going to fn
 * (may be NULL).  The replacement is one transaction: whole or not at all.
 * Errors: COPLAN_ENOTFOUND (no such file), COPLAN_ESTORE (not a coplan
 * database, problems found, busy, disk full), COPLAN_EUSAGE, COPLAN_ENOMEM.
 */
int coplan_store_restore(coplan_store *store, const char *path,
                         void (*fn)(const char *problem, void *payload), void *payload);

/* ---- users, roles, sessions (coplan/account.h) --------------------------- */

/*
 * What the store keeps of users, stored as given: who may do what, password
 * hashing, expiry and rate limits are the service layer's rules
 * (coplan_service_login() and the others in coplan/service.h); a front end
 * calls those, never these.  Each write is one transaction (joining the
 * caller's, coplan_store_begin()).  Times are UTC seconds since the epoch;
 * token_sha256 is the SHA-256 of a token as 64 lower-case hex digits.
 * Errors: COPLAN_ESTORE, COPLAN_ENOMEM, and those named.
 */

/* Add a user with hash (a crypto_pwhash_str() string); *id may be NULL.  Errors: COPLAN_EEXISTS. */
int coplan_store_account_add(coplan_store *store, const coplan_account *account, const char *hash,
                             time_t created, long *id);
/*
 * User id (> 0), or the one named name when id is 0, into *out (display_name
 * malloc'd: the caller frees it); *hash (may be NULL) gets the password's
 * hash (malloc'd, the caller frees).  Errors: COPLAN_ENOTFOUND.
 */
int coplan_store_account_get(coplan_store *store, long id, const char *name, coplan_account *out,
                             char **hash);
/* Every user, by name; *out freed with coplan_accounts_free(). */
int coplan_store_accounts(coplan_store *store, coplan_account **out, size_t *n);
/* Set user id's hash (NULL: kept) and disabled flag (< 0: kept).  Errors: COPLAN_ENOTFOUND. */
int coplan_store_account_update(coplan_store *store, long id, const char *hash, int disabled);

/* Give account_id role on plan_id (COPLAN_PLAN_ROLE_NONE: take it away, with its feed token). */
int coplan_store_role_set(coplan_store *store, long plan_id, long account_id, coplan_plan_role role);
/* account_id's role on plan_id, COPLAN_PLAN_ROLE_NONE when none. */
int coplan_store_role_get(coplan_store *store, long plan_id, long account_id, coplan_plan_role *role);
/* The roles on plan_id, by user name; *out freed with free(). */
int coplan_store_roles(coplan_store *store, long plan_id, coplan_role_grant **out, size_t *n);

/* Keep a session: its token's SHA-256, user, CSRF token, times. */
int coplan_store_session_add(coplan_store *store, const char *token_sha256, long account_id,
                             const char *csrf, time_t created, time_t expires);
/* The session of token_sha256.  Errors: COPLAN_ENOTFOUND. */
int coplan_store_session_get(coplan_store *store, const char *token_sha256, long *account_id,
                             char csrf[COPLAN_TOKEN_LEN], time_t *expires);
/*
 * End the session of token_sha256 when not NULL, else every session of
 * account_id when > 0, else every session expired before expired_before.
 */
int coplan_store_session_delete(coplan_store *store, const char *token_sha256, long account_id,
                                time_t expired_before);

/* Record a failed login of name at at. */
int coplan_store_login_failure_add(coplan_store *store, const char *name, time_t at);
/* The failed logins of name recorded at or after since, into *count. */
int coplan_store_login_failures(coplan_store *store, const char *name, time_t since, int *count);
/* Forget the failed logins of name (NULL: all names) recorded before before (0: all). */
int coplan_store_login_failures_forget(coplan_store *store, const char *name, time_t before);

/* The nonce account_id's feed token for plan_id derives from.  Errors: COPLAN_ENOTFOUND. */
int coplan_store_feed_token_get(coplan_store *store, long account_id, long plan_id, char nonce[65]);
/* Keep a feed token: its SHA-256, account, plan, nonce. */
int coplan_store_feed_token_add(coplan_store *store, const char *token_sha256, long account_id,
                                long plan_id, const char *nonce);
/* The account and plan of the feed token of token_sha256.  Errors: COPLAN_ENOTFOUND. */
int coplan_store_feed_token_find(coplan_store *store, const char *token_sha256, long *account_id,
                                 long *plan_id);
/* The database's secret name, len bytes.  Errors: COPLAN_ENOTFOUND. */
int coplan_store_secret_get(coplan_store *store, const char *name, unsigned char *out, size_t len);
/* Keep secret name unless one is kept already (then coplan_store_secret_get() gives the kept one). */
int coplan_store_secret_set(coplan_store *store, const char *name, const unsigned char *value,
                            size_t len);

#ifdef __cplusplus
}
#endif
#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/sys/store_backend.h - the storage interface: what a backend (SQLite, later PostgreSQL) implements. */
#ifndef COPLAN_SYS_STORE_BACKEND_H
#define COPLAN_SYS_STORE_BACKEND_H

#include <time.h>

#include "coplan/account.h"
#include "coplan/audit.h"
#include "coplan/exchange.h"
#include "coplan/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A storage backend keeps plans, versions and the execution history and
 * knows nothing of the rules of the record: coplan_store (src/store/store.c)
 * checks that a signed plan refuses edits, that versions go draft -> agreed
 * -> signed, that a status change is well formed, and nests transactions;
 * then it calls these operations, always inside begin() .. commit() or
 * rollback() when it writes.
 *
 * Every operation returns 0 or a negative coplan error code with the last
 * error set (coplan_error_last()): COPLAN_ESTORE for a failure of the
 * storage (I/O, busy, corrupt: the message says which), COPLAN_ENOTFOUND,
 * COPLAN_EEXISTS, COPLAN_ENOMEM.  A read that fails never returns partial
 * results as a success.  Out-parameters are the caller's to free with the
 * matching coplan_*_free() function.  Plan ids are the backend's (> 0); 0
 * as plan_id in load_plan means "the most recently created plan".
 *
 * Append-only: version_insert() and history rows are never changed or
 * deleted by any operation here; a backend also makes its storage refuse
 * such changes (triggers, permissions) where it can, including a write
 * that replaces a row (SQLite: REPLACE, UPSERT).  Each version is stored
 * with the SHA-256 of its snapshot (64 lower-case hex digits) that the
 * store computes; the backend gives it back with every read, unchecked:
 * the store checks it.
 *
 * The version member is COPLAN_STORE_BACKEND_VERSION; a backend built for
 * another version is refused by coplan_store_open_backend().  Version 3
 * added the accounts' operations and rows_read, rows_write and rows_done
 * (coplan db copy); version 5 the audit log's; version 6 the exchange's
 * (partner CAs, bundle sequences and payloads, pending merges); version
 * 7 publish (per-nation logical replication).
 */
#define COPLAN_STORE_BACKEND_VERSION 7

typedef struct coplan_store_backend coplan_store_backend;

struct coplan_store_backend {
	unsigned version;
	/* A name for messages: the database's path or connection string (borrowed). */
	const char *name;
	/* Nonzero when every write will fail (a read-only file). */
	int readonly;

	/* A write transaction: the lock is taken at once, so a read-modify-write cannot interleave. */
	int (*begin)(coplan_store_backend *be);
	int (*commit)(coplan_store_backend *be);
	/* Never fails as far as the caller is concerned: the transaction is gone afterwards. */
	void (*rollback)(coplan_store_backend *be);

	/* Insert a new plan with everything it holds; COPLAN_EEXISTS for the same title and year. */
	int (*insert_plan)(coplan_store_backend *be, const coplan_plan *plan, long *plan_id);
	/* Load a plan (activities in their stored order); *out freed with coplan_plan_free(). */
	int (*load_plan)(coplan_store_backend *be, long plan_id, coplan_plan **out, long *plan_id_out);
	/*
	 * Write plan over stored plan plan_id whose current content is old (as
	 * load_plan() gave it): activities matched by ref, a changed one keeps
	 * its identity and has its sequence raised, removed ones deleted;
	 * precedences, blackouts and holidays replaced.
	 */
	int (*update_plan)(coplan_store_backend *be, long plan_id, const coplan_plan *plan,
	                   const coplan_plan *old);
	/* Each plan, oldest first; stops when fn returns nonzero (returned). */
	int (*foreach_plan)(coplan_store_backend *be,
	                    int (*fn)(long id, const char *title, int year, void *payload), void *payload);

	/*
	 * The newest version of plan_id: *number 0 when none; else its state and,
	 * when snapshot is not NULL, its snapshot (malloc'd, *snapshot_len bytes)
	 * and the SHA-256 stored with it (sha256, 65 bytes, "" when none stored).
	 */
	int (*version_newest)(coplan_store_backend *be, long plan_id, int *number,
	                      coplan_version_state *state, char **snapshot, size_t *snapshot_len,
	                      char sha256[65]);
	/*
	 * The snapshot of version number (0: the newest signed one) of plan_id,
	 * malloc'd, with its number and stored SHA-256 (65 bytes, "" when none);
	 * COPLAN_ENOTFOUND when there is none.
	 */
	int (*version_snapshot)(coplan_store_backend *be, long plan_id, int number, char **snapshot,
	                        size_t *snapshot_len, int *number_out, char sha256[65]);
	/*
	 * Append version number with its snapshot and the snapshot's SHA-256 (64
	 * hex digits); author, nation (the author's, ISO 3166-1 alpha-3), note
	 * borrowed; nation and note may be NULL.
	 */
	int (*version_insert)(coplan_store_backend *be, long plan_id, int number,
	                      coplan_version_state state, const char *author, const char *nation,
	                      const char *note, const char *snapshot, size_t snapshot_len,
	                      const char *sha256);
	/* The versions of plan_id (with their stored SHA-256), oldest first; freed with coplan_plan_versions_free(). */
	int (*versions)(coplan_store_backend *be, long plan_id, coplan_plan_version **out, size_t *n);

	/*
	 * Record one (already checked) status change: the activity takes the
	 * status (and the dates when postponed), its sequence is raised, and an
	 * event is appended to the history, with nation (the author's, ISO
	 * 3166-1 alpha-3, or NULL).  COPLAN_ENOTFOUND: no such activity.
	 */
	int (*status_apply)(coplan_store_backend *be, long plan_id, const coplan_status_change *change,
	                    const char *nation);
	/*
	 * The history of plan_id (the entries stored under ref when not NULL),
	 * oldest first, with every field of coplan_activity_event; freed with
	 * coplan_activity_events_free().
	 */
	int (*history)(coplan_store_backend *be, long plan_id, const char *ref,
	               coplan_activity_event **out, size_t *n);

	/*
	 * Delete plan plan_id; one with versions or a history is kept in the
	 * record, marked deleted by by (then loads and lists leave it out).
	 */
	int (*delete_plan)(coplan_store_backend *be, long plan_id, const char *by);
	/*
	 * Check the storage itself, outside any write transaction: the file's
	 * integrity (quick nonzero: the faster, partial check), the schema and
	 * the guards that keep versions and history append-only.  Each problem
	 * found is given to fn as one line of text naming it (borrowed for the
	 * call); a check that cannot even run is a problem too.  Returns 0 when
	 * the check ran (whatever it found), COPLAN_ENOMEM.
	 */
	int (*check)(coplan_store_backend *be, int quick,
	             void (*fn)(const char *problem, void *payload), void *payload);
	/*
	 * Write a consistent copy of the whole database to the file at path
	 * while other processes go on writing: a temporary file beside path,
	 * synced, renamed over path, the folder synced.  Errors: COPLAN_EUSAGE
	 * (path is the database itself), COPLAN_ESTORE, COPLAN_EIO.
	 */
	int (*backup)(coplan_store_backend *be, const char *path);
	/*
	 * Replace the whole content of the database with that of the database
	 * file at path (already checked by the caller), in one transaction:
	 * whole or not at all.  Errors: COPLAN_ESTORE.
	 */
	int (*restore)(coplan_store_backend *be, const char *path);
	/* How long (ms, >= 0) to wait for another process's lock before a "busy" error. */
	void (*set_busy_timeout)(coplan_store_backend *be, int ms);

	/*
	 * The seal of plan_id as stored: the SHA-256 (64 hex digits) of its
	 * content and of its history that the store computed after its last
	 * write, each "" when none is stored (content, history: 65 bytes each).
	 * COPLAN_ENOTFOUND: no such plan.
	 */
	int (*seal_get)(coplan_store_backend *be, long plan_id, char content[65], char history[65]);
	/* Store the seal of plan_id; a NULL one is left as it is. */
	int (*seal_set)(coplan_store_backend *be, long plan_id, const char *content, const char *history);

	/*
	 * ---- accounts, roles and sessions (interface version 3; coplan/account.h) ----
	 *
	 * Users, their roles per plan, login sessions, failed logins and
	 * calendar-feed tokens, stored as given: the rules (who may, password
	 * hashing, rate limits, expiry) are the service layer's
	 * (src/service/account.c).  Times are UTC seconds since the epoch
	 * (time_t); token_sha256 is the SHA-256 of a token (64 lower-case hex
	 * digits), never the token.
	 */
	/*
	 * A new user (account->id ignored) with hash, the crypto_pwhash_str()
	 * string of the password; *id (may be NULL) gets its id.  COPLAN_EEXISTS:
	 * the name is taken.
	 */
	int (*account_insert)(coplan_store_backend *be, const coplan_account *account, const char *hash,
	                      time_t created, long *id);
	/*
	 * The user of id (> 0), or named name when id is 0, into *out (its
	 * display_name malloc'd, the caller frees); *hash (may be NULL) gets the
	 * password's hash string (malloc'd, the caller frees).  COPLAN_ENOTFOUND.
	 */
	int (*account_get)(coplan_store_backend *be, long id, const char *name, coplan_account *out,
	                   char **hash);
	/* Every user, by name; freed with coplan_accounts_free(). */
	int (*accounts)(coplan_store_backend *be, coplan_account **out, size_t *n);
	/* Set user id's password hash (NULL: kept) and disabled flag (< 0: kept).  COPLAN_ENOTFOUND. */
	int (*account_update)(coplan_store_backend *be, long id, const char *hash, int disabled);

	/*
	 * Give account_id role on plan_id, replacing the one it had;
	 * COPLAN_PLAN_ROLE_NONE removes it, with the account's feed token for
	 * the plan.
	 */
	int (*role_set)(coplan_store_backend *be, long plan_id, long account_id, coplan_plan_role role);
	/* account_id's role on plan_id (COPLAN_PLAN_ROLE_NONE when it has none). */
	int (*role_get)(coplan_store_backend *be, long plan_id, long account_id, coplan_plan_role *role);
	/* The roles given on plan_id, by user name; *out freed with free(). */
	int (*roles)(coplan_store_backend *be, long plan_id, coplan_role_grant **out, size_t *n);

	/* A new session: the SHA-256 of its token, its user, CSRF token, and times. */
	int (*session_insert)(coplan_store_backend *be, const char *token_sha256, long account_id,
	                      const char *csrf, time_t created, time_t expires);
	/* The session of token_sha256: its user, CSRF token and expiry.  COPLAN_ENOTFOUND. */
	int (*session_get)(coplan_store_backend *be, const char *token_sha256, long *account_id,
	                   char csrf[COPLAN_TOKEN_LEN], time_t *expires);
	/*
	 * Delete the session of token_sha256 when not NULL; else every session
	 * of account_id when > 0; else every session that expired before
	 * expired_before.  No error when none matches.
	 */
	int (*session_delete)(coplan_store_backend *be, const char *token_sha256, long account_id,
	                      time_t expired_before);

	/* Record a failed login of name (as typed, up to 64 bytes) at at. */
	int (*login_failure_add)(coplan_store_backend *be, const char *name, time_t at);
	/* How many failed logins of name are recorded at or after since. */
	int (*login_failures)(coplan_store_backend *be, const char *name, time_t since, int *count);
	/* Forget the failed logins of name (NULL: of every name) recorded before before (0: all of them). */
	int (*login_failures_forget)(coplan_store_backend *be, const char *name, time_t before);

	/*
	 * The nonce (up to 64 characters) from which account_id's feed token
	 * for plan_id is derived.  COPLAN_ENOTFOUND: none made yet.
	 */
	int (*feed_token_get)(coplan_store_backend *be, long account_id, long plan_id, char nonce[65]);
	/* Keep the feed token of account_id for plan_id: its SHA-256 and the nonce it comes from. */
	int (*feed_token_insert)(coplan_store_backend *be, const char *token_sha256, long account_id,
	                         long plan_id, const char *nonce);
	/* The account and plan of the feed token of token_sha256.  COPLAN_ENOTFOUND. */
	int (*feed_token_find)(coplan_store_backend *be, const char *token_sha256, long *account_id,
	                       long *plan_id);
	/*
	 * A secret of the database named name ("feed": the key feed tokens are
	 * derived with), len bytes into out.  COPLAN_ENOTFOUND: none yet.
	 */
	int (*secret_get)(coplan_store_backend *be, const char *name, unsigned char *out, size_t len);
	/* Store secret name (len bytes) when none is stored yet; one stored already is kept. */
	int (*secret_set)(coplan_store_backend *be, const char *name, const unsigned char *value,
	                  size_t len);

	/*
	 * Append one (already checked) entry to the history of plan_id as
	 * given: every field but at, which is the time of the write (UTC).
	 * (Interface version 4.)
	 */
	int (*history_append)(coplan_store_backend *be, long plan_id, const coplan_activity_event *event);

	/*
	 * The whole database, table by table, for a copy into another backend
	 * (coplan_store_copy()).  table is a table of coplan's logical schema
	 * (src/store/tables.h: the same names and columns in every backend);
	 * values are the row's columns in that order as text (integers in
	 * decimal, NULL for SQL NULL), borrowed for the call.  rows_read gives
	 * every row of table to fn, in no promised order, and stops when fn
	 * returns nonzero (returned).  rows_write appends one row as it is,
	 * keys included, inside the caller's transaction (a backend may send
	 * rows ahead and report a failure at a later call); rows_done ends the
	 * table: every row written or the error, and the table's own numbering
	 * continued after the rows copied.  Errors: COPLAN_ESTORE, COPLAN_EUSAGE
	 * (no such table), COPLAN_ENOMEM.
	 */
	int (*rows_read)(coplan_store_backend *be, const char *table,
	                 int (*fn)(const char *const *values, void *payload), void *payload);
	int (*rows_write)(coplan_store_backend *be, const char *table, const char *const *values);
	int (*rows_done)(coplan_store_backend *be, const char *table);

	/*
	 * ---- the audit log (interface version 5; coplan/audit.h) ----
	 *
	 * Entries and checkpoints stored as given, never changed or deleted
	 * (the backend's storage refuses that where it can, as for the history);
	 * the service layer (src/service/audit.c) numbers and hashes them.
	 */
	/* Append entry (every field as given, seq included).  COPLAN_EEXISTS: seq is taken. */
	int (*audit_append)(coplan_store_backend *be, const coplan_audit_entry *entry);
	/* The highest entry number stored, 0 when none. */
	int (*audit_last)(coplan_store_backend *be, long *seq);
	/* The entries numbered above since, in number order; freed with coplan_audit_entries_free(). */
	int (*audit_entries)(coplan_store_backend *be, long since, coplan_audit_entry **out, size_t *n);
	/* Append checkpoint cp (cp->id ignored); *id (may be NULL) gets its id. */
	int (*audit_checkpoint_append)(coplan_store_backend *be, const coplan_audit_checkpoint *cp, long *id);
	/* Every checkpoint, oldest first; freed with coplan_audit_checkpoints_free(). */
	int (*audit_checkpoints)(coplan_store_backend *be, coplan_audit_checkpoint **out, size_t *n);

	/*
	 * ---- exchange between offices (interface version 6; coplan/exchange.h) ----
	 *
	 * Rows stored as given; src/store/exchange.c checks their form and the
	 * service (src/service/bundle.c) the rules.  direction is "in" (from a
	 * partner) or "out" (to a partner); nation the partner's.
	 */
	/* Add a partner CA (every field as given).  COPLAN_EEXISTS: its fingerprint is there. */
	int (*partner_ca_add)(coplan_store_backend *be, const coplan_partner_ca *ca);
	/* Every partner CA, by nation then fingerprint; freed with coplan_partner_cas_free(). */
	int (*partner_cas)(coplan_store_backend *be, coplan_partner_ca **out, size_t *n);
	/* Delete the CA of that fingerprint.  COPLAN_ENOTFOUND. */
	int (*partner_ca_delete)(coplan_store_backend *be, const char *fingerprint);
	/* The last sequence of direction, nation and plan: *seq 0 (and audit 0, "") when none. */
	int (*bundle_seq_get)(coplan_store_backend *be, const char *direction, const char *nation,
	                      const char *plan_uuid, long *seq, long *audit_size, char audit_root[65]);
	/* Set (insert or replace) it. */
	int (*bundle_seq_set)(coplan_store_backend *be, const char *direction, const char *nation,
	                      const char *plan_uuid, long seq, long audit_size, const char *audit_root);
	/* Keep a payload sent or received (its SHA-256 as given), at: UTC text. */
	int (*bundle_payload_add)(coplan_store_backend *be, const char *direction, const char *nation,
	                          const char *plan_uuid, long seq, const char *sha256, const char *at,
	                          const char *payload, size_t len);
	/*
	 * A payload exchanged with nation for plan_uuid: of that sha256 in either
	 * direction, or (sha256 NULL) the newest of direction.  *payload malloc'd
	 * (NUL-terminated, *len bytes), sha_out (may be NULL) its SHA-256.
	 * COPLAN_ENOTFOUND when none.
	 */
	int (*bundle_payload_get)(coplan_store_backend *be, const char *direction, const char *nation,
	                          const char *plan_uuid, const char *sha256, char **payload, size_t *len,
	                          char sha_out[65]);
	/* Set plan_id's pending merge to state (JSON text), or delete it when state is NULL. */
	int (*merge_set)(coplan_store_backend *be, long plan_id, const char *state, const char *at);
	/* plan_id's pending merge (malloc'd) into *state, NULL when none. */
	int (*merge_get)(coplan_store_backend *be, long plan_id, char **state);

	/*
	 * Create or replace the publication of the rows releasable to nation
	 * (ISO 3166-1 alpha-3, upper case, checked by the caller) for logical
	 * replication; its name into name.  Errors: COPLAN_EUSAGE (a backend
	 * without publications: SQLite), COPLAN_ESTORE.
	 */
	int (*publish)(coplan_store_backend *be, const char *nation, char name[64]);

	/* Close and free the backend; NULL-safe through coplan_store_close(). */
	void (*free)(coplan_store_backend *be);
};

/*
 * Open the SQLite backend on the file at path, creating it (and the schema)
 * when create is nonzero, else refusing a missing file (COPLAN_ENOTFOUND)
 * and opening a read-only file read-only.  *out is freed through its free
 * member (or by coplan_store_close() once given to a store).
 * Errors: COPLAN_ENOTFOUND, COPLAN_ESTORE, COPLAN_ENOMEM, COPLAN_EUSAGE.
 */
int coplan_store_sqlite_open(coplan_store_backend **out, const char *path, int create);

/*
 * Open the PostgreSQL backend on the database named by conninfo, a
 * postgresql:// or postgres:// URI in libpq's syntax (its password, if
 * any, never appears in messages).  The database must exist (its
 * administrator makes it, UTF-8); coplan's schema is created in it when
 * create is nonzero, else one without that schema is COPLAN_ENOTFOUND.
 * *out is freed through its free member (or by coplan_store_close()).
 * Errors: COPLAN_ESTORE (cannot connect, not a coplan database, a newer
 * schema, not UTF-8), COPLAN_ENOTFOUND, COPLAN_ENOMEM, COPLAN_EUSAGE.
 */
int coplan_store_pg_open(coplan_store_backend **out, const char *conninfo, int create);

/*
 * A store over backend be, which the store owns from now on (also on
 * failure).  The store enforces the rules of the record above be.
 * Errors: COPLAN_EINVALID (be built for another interface version), COPLAN_ENOMEM.
 */
int coplan_store_open_backend(coplan_store **out, coplan_store_backend *be);

/* The backend of store (borrowed), e.g. to wrap it for fault injection in tests. */
coplan_store_backend *coplan_store_backend_of(coplan_store *store);

#ifdef __cplusplus
}
#endif
#endif

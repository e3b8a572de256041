/* SPDX-License-Identifier: Apache-2.0 */
/* sqlite.c - the SQLite storage backend: schema and migrations, plans, versions and history in and out. */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <string.h>

#include <sqlite3.h>

#include "coplan/cost.h"
#include "coplan/errors.h"
#include "coplan/sys/store_backend.h"
#include "../buf.h"
#include "../common.h"
#include "../label_int.h"
#include "tables.h"

/* Statements run once per activity or precedence: prepared once per store, kept until close. */
enum { STMT_INSERT_ACTIVITY, STMT_INSERT_PARTICIPANT, STMT_INSERT_UNIT, STMT_ACTIVITY_BY_REF,
       STMT_COPY_ROW, STMT_COUNT };

typedef struct {
	coplan_store_backend base; /* first: the store sees only this */
	sqlite3 *db;
	char *path;
	int busy_ms;               /* how long to wait for another process's lock */
	sqlite3_stmt *cached[STMT_COUNT];
} sqlite_backend;

static void be_free(coplan_store_backend *be);

/* A random version 4 UUID in SQL, for rows made before identities existed (each row its own). */
#define SQL_UUID_V4 \
	"lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || " \
	"substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"

/*
 * The guards of the append-only tables, as migration 6 writes them and as
 * the check expects to find them, word for word: a version or a history
 * row is never updated, deleted, or replaced by an insert over it (REPLACE,
 * UPSERT; with recursive_triggers on, REPLACE's delete is refused too), and
 * a version is never stored without the SHA-256 of its snapshot.
 */
#define TRIGGER_VERSION_IMMUTABLE \
	"CREATE TRIGGER plan_version_immutable BEFORE UPDATE ON plan_version " \
	"BEGIN SELECT RAISE(ABORT, 'a plan version never changes: make a new one'); END"
#define TRIGGER_VERSION_KEPT \
	"CREATE TRIGGER plan_version_kept BEFORE DELETE ON plan_version " \
	"BEGIN SELECT RAISE(ABORT, 'plan versions are never deleted'); END"
#define TRIGGER_VERSION_NEW \
	"CREATE TRIGGER plan_version_new BEFORE INSERT ON plan_version " \
	"WHEN NEW.snapshot_sha256 IS NULL OR length(NEW.snapshot_sha256) <> 64 " \
	"OR EXISTS (SELECT 1 FROM plan_version WHERE id = NEW.id " \
	"OR (plan_id = NEW.plan_id AND number = NEW.number)) " \
	"BEGIN SELECT RAISE(ABORT, 'a plan version is never replaced, and carries the SHA-256 of its snapshot'); END"
#define TRIGGER_EVENT_APPEND_ONLY \
	"CREATE TRIGGER activity_event_append_only BEFORE UPDATE ON activity_event " \
	"BEGIN SELECT RAISE(ABORT, 'the history is append-only'); END"
#define TRIGGER_EVENT_KEPT \
	"CREATE TRIGGER activity_event_kept BEFORE DELETE ON activity_event " \
	"BEGIN SELECT RAISE(ABORT, 'the history is append-only'); END"
#define TRIGGER_EVENT_NEW \
	"CREATE TRIGGER activity_event_new BEFORE INSERT ON activity_event " \
	"WHEN EXISTS (SELECT 1 FROM activity_event WHERE id = NEW.id) " \
	"BEGIN SELECT RAISE(ABORT, 'the history is append-only: an event is never replaced'); END"
#define TRIGGER_AUDIT_APPEND_ONLY \
	"CREATE TRIGGER audit_entry_append_only BEFORE UPDATE ON audit_entry " \
	"BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
#define TRIGGER_AUDIT_KEPT \
	"CREATE TRIGGER audit_entry_kept BEFORE DELETE ON audit_entry " \
	"BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
#define TRIGGER_AUDIT_NEW \
	"CREATE TRIGGER audit_entry_new BEFORE INSERT ON audit_entry " \
	"WHEN EXISTS (SELECT 1 FROM audit_entry WHERE seq = NEW.seq) " \
	"BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: an entry is never replaced'); END"
#define TRIGGER_CHECKPOINT_APPEND_ONLY \
	"CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE ON audit_checkpoint " \
	"BEGIN SELECT RAISE(ABORT, 'an audit checkpoint never changes'); END"
#define TRIGGER_CHECKPOINT_KEPT \
	"CREATE TRIGGER audit_checkpoint_kept BEFORE DELETE ON audit_checkpoint " \
	"BEGIN SELECT RAISE(ABORT, 'audit checkpoints are never deleted'); END"
#define TRIGGER_CHECKPOINT_NEW \
	"CREATE TRIGGER audit_checkpoint_new BEFORE INSERT ON audit_checkpoint " \
	"WHEN EXISTS (SELECT 1 FROM audit_checkpoint WHERE id = NEW.id) " \
	"BEGIN SELECT RAISE(ABORT, 'an audit checkpoint is never replaced'); END"

/*
 * Migrations, applied in order from the database's PRAGMA user_version.
 * Append only: a released step is never edited, a change is a new step.
 */
static const char *const migrations[] = {
	/* 1: the first schema: talks, plans, activities, precedences, blackouts */
	"CREATE TABLE staff_talks ("
	"  id INTEGER PRIMARY KEY,"
	"  series TEXT NOT NULL,"
	"  edition INTEGER NOT NULL,"
	"  start_date TEXT,"
	"  end_date TEXT,"
	"  venue TEXT,"
	"  UNIQUE (series, edition));"
	"CREATE TABLE delegation ("
	"  id INTEGER PRIMARY KEY,"
	"  talks_id INTEGER NOT NULL REFERENCES staff_talks(id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  nation TEXT NOT NULL,"
	"  head_name TEXT,"
	"  head_name_native TEXT,"
	"  head_post TEXT,"
	"  UNIQUE (talks_id, nation));"
	"CREATE TABLE plan ("
	"  id INTEGER PRIMARY KEY,"
	"  title TEXT NOT NULL,"
	"  year INTEGER NOT NULL,"
	"  window_from TEXT,"
	"  window_to TEXT,"
	"  talks_id INTEGER REFERENCES staff_talks(id),"
	"  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
	"  UNIQUE (title, year));"
	"CREATE TABLE plan_nation ("
	"  plan_id INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  nation TEXT NOT NULL,"
	"  PRIMARY KEY (plan_id, nation));"
	"CREATE TABLE activity ("
	"  id INTEGER PRIMARY KEY,"
	"  plan_id INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  ref TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  area TEXT,"
	"  kind TEXT,"
	"  host TEXT NOT NULL,"
	"  duration INTEGER NOT NULL CHECK (duration >= 1),"
	"  day_mode TEXT NOT NULL CHECK (day_mode IN ('working', 'calendar')),"
	"  earliest TEXT,"
	"  latest TEXT,"
	"  requested_from TEXT,"
	"  requested_to TEXT,"
	"  location TEXT,"
	"  notes TEXT,"
	"  start_date TEXT,"
	"  end_date TEXT,"
	"  pinned INTEGER NOT NULL DEFAULT 0,"
	"  sequence INTEGER NOT NULL DEFAULT 0,"
	"  status TEXT NOT NULL DEFAULT 'planned',"
	"  unplaced_reason TEXT,"
	"  UNIQUE (plan_id, ref));"
	"CREATE TABLE activity_participant ("
	"  activity_id INTEGER NOT NULL REFERENCES activity(id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  nation TEXT NOT NULL,"
	"  PRIMARY KEY (activity_id, nation));"
	"CREATE TABLE activity_unit ("
	"  activity_id INTEGER NOT NULL REFERENCES activity(id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  unit TEXT NOT NULL,"
	"  PRIMARY KEY (activity_id, unit));"
	"CREATE TABLE precedence ("
	"  id INTEGER PRIMARY KEY,"
	"  plan_id INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,"
	"  before_id INTEGER NOT NULL REFERENCES activity(id) ON DELETE CASCADE,"
	"  after_id INTEGER NOT NULL REFERENCES activity(id) ON DELETE CASCADE,"
	"  min_gap INTEGER NOT NULL DEFAULT 0,"
	"  max_gap INTEGER NOT NULL DEFAULT -1);"
	"CREATE TABLE blackout ("
	"  id INTEGER PRIMARY KEY,"
	"  plan_id INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,"
	"  scope TEXT NOT NULL,"
	"  date_from TEXT NOT NULL,"
	"  date_to TEXT NOT NULL,"
	"  hard INTEGER NOT NULL DEFAULT 1,"
	"  reason TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX activity_plan ON activity(plan_id, position);"
	"CREATE INDEX precedence_plan ON precedence(plan_id);"
	"CREATE INDEX blackout_plan ON blackout(plan_id);",

	/*
	 * 2: imported holidays; plan versions (draft, agreed, signed: a version
	 * is a snapshot and never changes); the append-only history of each
	 * activity's execution status.
	 */
	"CREATE TABLE holiday ("
	"  id INTEGER PRIMARY KEY,"
	"  plan_id INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,"
	"  nation TEXT NOT NULL,"
	"  date TEXT NOT NULL,"
	"  name TEXT NOT NULL DEFAULT '',"
	"  UNIQUE (plan_id, nation, date));"
	"CREATE TABLE plan_version ("
	"  id INTEGER PRIMARY KEY,"
	"  plan_id INTEGER NOT NULL REFERENCES plan(id),"
	"  number INTEGER NOT NULL,"
	"  state TEXT NOT NULL CHECK (state IN ('draft', 'agreed', 'signed')),"
	"  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
	"  author TEXT NOT NULL,"
	"  note TEXT,"
	"  snapshot TEXT NOT NULL,"
	"  UNIQUE (plan_id, number));"
	"CREATE TRIGGER plan_version_immutable BEFORE UPDATE ON plan_version "
	"  BEGIN SELECT RAISE(ABORT, 'a plan version never changes: make a new one'); END;"
	"CREATE TRIGGER plan_version_kept BEFORE DELETE ON plan_version "
	"  BEGIN SELECT RAISE(ABORT, 'plan versions are never deleted'); END;"
	"CREATE TABLE activity_event ("
	"  id INTEGER PRIMARY KEY,"
	"  plan_id INTEGER NOT NULL REFERENCES plan(id),"
	"  ref TEXT NOT NULL,"
	"  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
	"  author TEXT NOT NULL,"
	"  status TEXT NOT NULL,"
	"  start_date TEXT,"
	"  end_date TEXT,"
	"  reason TEXT);"
	"CREATE INDEX activity_event_plan ON activity_event(plan_id, ref);"
	"CREATE TRIGGER activity_event_append_only BEFORE UPDATE ON activity_event "
	"  BEGIN SELECT RAISE(ABORT, 'the history is append-only'); END;"
	"CREATE TRIGGER activity_event_kept BEFORE DELETE ON activity_event "
	"  BEGIN SELECT RAISE(ABORT, 'the history is append-only'); END;",

	/* 3: the whole record of the talks: heads' rank and organisation, members, agenda, areas agreed */
	"ALTER TABLE delegation ADD COLUMN head_rank TEXT;"
	"ALTER TABLE delegation ADD COLUMN head_organisation TEXT;"
	"CREATE TABLE delegation_member ("
	"  id INTEGER PRIMARY KEY,"
	"  delegation_id INTEGER NOT NULL REFERENCES delegation(id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  rank TEXT,"
	"  name TEXT NOT NULL,"
	"  name_native TEXT,"
	"  post TEXT,"
	"  organisation TEXT);"
	"CREATE TABLE talks_item ("
	"  talks_id INTEGER NOT NULL REFERENCES staff_talks(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL CHECK (kind IN ('agenda', 'area')),"
	"  position INTEGER NOT NULL,"
	"  text TEXT NOT NULL,"
	"  PRIMARY KEY (talks_id, kind, position));",

	/* 4: the talks' timetable: sessions at local times in the venue's time zone */
	"CREATE TABLE talks_session ("
	"  talks_id INTEGER NOT NULL REFERENCES staff_talks(id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  title TEXT NOT NULL,"
	"  date TEXT NOT NULL,"
	"  start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),"
	"  end_minute INTEGER NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),"
	"  zone TEXT NOT NULL,"
	"  location TEXT,"
	"  PRIMARY KEY (talks_id, position));",

	/*
	 * 5: stable identities (RFC 9562 version 4 UUIDs) for plans and
	 * activities; rows made by an older coplan get a random one here.
	 */
	"ALTER TABLE plan ADD COLUMN uuid TEXT;"
	"ALTER TABLE activity ADD COLUMN uuid TEXT;"
	"UPDATE plan SET uuid = " SQL_UUID_V4 ";"
	"UPDATE activity SET uuid = " SQL_UUID_V4 ";"
	"CREATE UNIQUE INDEX plan_uuid ON plan(uuid);"
	"CREATE UNIQUE INDEX activity_uuid ON activity(plan_id, uuid);",

	/* 6: precedence kinds: 'requires' (the rule of every older plan) or 'after' (only orders the two) */
	"ALTER TABLE precedence ADD COLUMN kind TEXT NOT NULL DEFAULT 'requires' "
	"  CHECK (kind IN ('requires', 'after'));",

	/*
	 * 7: a deleted plan that has versions or a history is kept, marked
	 * deleted (the record keeps that it existed and was deleted, by whom)
	 */
	"ALTER TABLE plan ADD COLUMN deleted_at TEXT;"
	"ALTER TABLE plan ADD COLUMN deleted_by TEXT;",

	/*
	 * 8: weekends a plan declares for a nation in place of CLDR's; days is
	 * a mask, bit 0 Monday .. bit 6 Sunday (COPLAN_WEEKDAY_BIT()), never all seven.
	 */
	"CREATE TABLE weekend ("
	"  plan_id INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,"
	"  nation TEXT NOT NULL,"
	"  days INTEGER NOT NULL CHECK (days BETWEEN 0 AND 126),"
	"  PRIMARY KEY (plan_id, nation));",

	/*
	 * 9: immutable rows that stay immutable: each version stores the SHA-256
	 * of its snapshot (older versions get theirs here, through the
	 * connection's coplan_sha256() function), and the guards are rewritten
	 * to refuse an insert over an existing version or event too.
	 */
	"ALTER TABLE plan_version ADD COLUMN snapshot_sha256 TEXT;"
	"DROP TRIGGER plan_version_immutable;"
	"DROP TRIGGER plan_version_kept;"
	"DROP TRIGGER activity_event_append_only;"
	"DROP TRIGGER activity_event_kept;"
	"UPDATE plan_version SET snapshot_sha256 = coplan_sha256(snapshot);"
	TRIGGER_VERSION_IMMUTABLE ";" TRIGGER_VERSION_KEPT ";" TRIGGER_VERSION_NEW ";"
	TRIGGER_EVENT_APPEND_ONLY ";" TRIGGER_EVENT_KEPT ";" TRIGGER_EVENT_NEW ";",

	/*
	 * 10: each plan's seal: the SHA-256 of its content (canonical JSON) and
	 * of its history, written by the store after every write and checked on
	 * every read, so a damaged row reads as an error, not as other content.
	 * Older plans get theirs when the store first opens the file.
	 */
	"ALTER TABLE plan ADD COLUMN content_sha256 TEXT;"
	"ALTER TABLE plan ADD COLUMN history_sha256 TEXT;",

	/*
	 * 11: users (coplan/account.h): accounts with their nation and argon2id
	 * hash, roles per plan, login sessions and failed logins, calendar-feed
	 * tokens (each token kept only as its SHA-256), the database's secrets;
	 * and the nation of the author of each version and history event.
	 * Times of these tables are UTC ISO 8601 text, as everywhere else.
	 */
	"CREATE TABLE account ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),"
	"  nation TEXT NOT NULL CHECK (length(nation) = 3),"
	"  display_name TEXT NOT NULL DEFAULT '',"
	"  password_hash TEXT NOT NULL,"
	"  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
	"  is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),"
	"  created TEXT NOT NULL);"
	"CREATE TABLE plan_role ("
	"  plan_id INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,"
	"  account_id INTEGER NOT NULL REFERENCES account(id),"
	"  role TEXT NOT NULL CHECK (role IN ('viewer', 'reviewer', 'planner', 'owner')),"
	"  PRIMARY KEY (plan_id, account_id));"
	"CREATE INDEX plan_role_account ON plan_role(account_id);"
	"CREATE TABLE session ("
	"  token_sha256 TEXT PRIMARY KEY CHECK (length(token_sha256) = 64),"
	"  account_id INTEGER NOT NULL REFERENCES account(id),"
	"  csrf TEXT NOT NULL,"
	"  created TEXT NOT NULL,"
	"  expires TEXT NOT NULL);"
	"CREATE INDEX session_account ON session(account_id);"
	"CREATE TABLE login_failure ("
	"  name TEXT NOT NULL,"
	"  at TEXT NOT NULL);"
	"CREATE INDEX login_failure_name ON login_failure(name, at);"
	"CREATE TABLE feed_token ("
	"  token_sha256 TEXT PRIMARY KEY CHECK (length(token_sha256) = 64),"
	"  account_id INTEGER NOT NULL REFERENCES account(id),"
	"  plan_id INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,"
	"  nonce TEXT NOT NULL,"
	"  UNIQUE (account_id, plan_id));"
	"CREATE TABLE secret ("
	"  name TEXT PRIMARY KEY,"
	"  value BLOB NOT NULL);"
	"ALTER TABLE plan_version ADD COLUMN author_nation TEXT;"
	"ALTER TABLE activity_event ADD COLUMN author_nation TEXT;",

	/*
	 * 12: the history names each activity by its identity (a ref deleted
	 * and used again starts a new history) and records edits and blackouts
	 * with their reasons, not only status changes: action NULL is a status
	 * change (every older entry), else 'added', 'edited', 'deleted',
	 * 'pinned', 'unpinned', 'blackout added' or 'blackout deleted'; detail
	 * the fields an edit changed, or a blackout's 'hard' or 'soft'.  Older
	 * entries keep NULL (matched by ref, hashed as before: their seal holds).
	 *
	 * And a deleted plan's title may be used again: a plan's title and year
	 * are unique among the plans not deleted (a partial index in place of
	 * the table's UNIQUE, which takes the table rebuilt: SQLite's twelve
	 * steps, foreign keys off around the migration, checked before commit).
	 * "SELECT *": a column another migration added to plan and not listed
	 * here fails loudly, never goes missing.
	 */
	"ALTER TABLE activity_event ADD COLUMN activity_uuid TEXT;"
	"ALTER TABLE activity_event ADD COLUMN action TEXT CHECK (action IN ('added', 'edited', "
	"  'deleted', 'pinned', 'unpinned', 'blackout added', 'blackout deleted'));"
	"ALTER TABLE activity_event ADD COLUMN detail TEXT;"
	"CREATE INDEX activity_event_uuid ON activity_event(plan_id, activity_uuid);"
	"CREATE TABLE plan_new ("
	"  id INTEGER PRIMARY KEY,"
	"  title TEXT NOT NULL,"
	"  year INTEGER NOT NULL,"
	"  window_from TEXT,"
	"  window_to TEXT,"
	"  talks_id INTEGER REFERENCES staff_talks(id),"
	"  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
	"  uuid TEXT,"
	"  deleted_at TEXT,"
	"  deleted_by TEXT,"
	"  content_sha256 TEXT,"
	"  history_sha256 TEXT);"
	"INSERT INTO plan_new SELECT * FROM plan;"
	"DROP TABLE plan;"
	"ALTER TABLE plan_new RENAME TO plan;"
	"CREATE UNIQUE INDEX plan_uuid ON plan(uuid);"
	"CREATE UNIQUE INDEX plan_title_year ON plan(title, year) WHERE deleted_at IS NULL;",

	/*
	 * 13: the tamper-evident audit log (docs/internals/audit.md): one entry
	 * per state change or refusal, numbered from 1, each with the Merkle
	 * leaf hash of its canonical bytes; and the signed tree heads
	 * (checkpoints).  Both append-only, guarded as the history is.
	 */
	"CREATE TABLE audit_entry ("
	"  seq INTEGER PRIMARY KEY CHECK (seq > 0),"
	"  at TEXT NOT NULL,"
	"  account_id INTEGER NOT NULL,"
	"  account_name TEXT NOT NULL,"
	"  nation TEXT,"
	"  action TEXT NOT NULL,"
	"  object TEXT NOT NULL,"
	"  outcome TEXT NOT NULL CHECK (outcome IN ('done', 'refused')),"
	"  error INTEGER NOT NULL DEFAULT 0,"
	"  before_sha256 TEXT CHECK (before_sha256 IS NULL OR length(before_sha256) = 64),"
	"  after_sha256 TEXT CHECK (after_sha256 IS NULL OR length(after_sha256) = 64),"
	"  leaf_sha256 TEXT NOT NULL CHECK (length(leaf_sha256) = 64));"
	"CREATE TABLE audit_checkpoint ("
	"  id INTEGER PRIMARY KEY,"
	"  tree_size INTEGER NOT NULL CHECK (tree_size >= 0),"
	"  root_sha256 TEXT NOT NULL CHECK (length(root_sha256) = 64),"
	"  at TEXT NOT NULL,"
	"  signer_sha256 TEXT NOT NULL CHECK (length(signer_sha256) = 64),"
	"  signature BLOB NOT NULL);"
	TRIGGER_AUDIT_APPEND_ONLY ";" TRIGGER_AUDIT_KEPT ";" TRIGGER_AUDIT_NEW ";"
	TRIGGER_CHECKPOINT_APPEND_ONLY ";" TRIGGER_CHECKPOINT_KEPT ";" TRIGGER_CHECKPOINT_NEW ";",

	/*
	 * 14: exchange between offices (docs/internals/exchange.md): the
	 * partner nations' CA certificates, the last bundle sequence per
	 * direction, partner and plan (with the sender's audit tree head), the
	 * payloads sent and received (the bases of later merges), and each
	 * plan's pending merge.
	 */
	"CREATE TABLE partner_ca ("
	"  fingerprint TEXT PRIMARY KEY CHECK (length(fingerprint) = 64),"
	"  nation TEXT NOT NULL CHECK (length(nation) = 3),"
	"  talks_id INTEGER,"
	"  talks TEXT,"
	"  subject TEXT NOT NULL,"
	"  not_before TEXT NOT NULL,"
	"  not_after TEXT NOT NULL,"
	"  added TEXT NOT NULL,"
	"  pem TEXT NOT NULL);"
	"CREATE TABLE bundle_sequence ("
	"  direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),"
	"  nation TEXT NOT NULL,"
	"  plan_uuid TEXT NOT NULL,"
	"  seq INTEGER NOT NULL CHECK (seq > 0),"
	"  audit_size INTEGER NOT NULL DEFAULT 0,"
	"  audit_root TEXT,"
	"  PRIMARY KEY (direction, nation, plan_uuid));"
	"CREATE TABLE bundle_payload ("
	"  id INTEGER PRIMARY KEY,"
	"  direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),"
	"  nation TEXT NOT NULL,"
	"  plan_uuid TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),"
	"  at TEXT NOT NULL,"
	"  payload TEXT NOT NULL);"
	"CREATE INDEX bundle_payload_sha ON bundle_payload(nation, plan_uuid, sha256);"
	"CREATE TABLE pending_merge ("
	"  plan_id INTEGER PRIMARY KEY REFERENCES plan(id) ON DELETE CASCADE,"
	"  created TEXT NOT NULL,"
	"  state TEXT NOT NULL);",

	/*
	 * 15: releasability (docs/labels.md): a confidentiality label in
	 * register form on the plan, each activity and each blackout (NULL: the
	 * plan's; an unlabelled plan is UNCLASSIFIED REL TO its parties), and
	 * what an account holds: its clearance (a level of the policy's ladder
	 * by name; NULL: the ladder's lowest) and its caveats (space-separated).
	 */
	"ALTER TABLE plan ADD COLUMN label TEXT;"
	"ALTER TABLE activity ADD COLUMN label TEXT;"
	"ALTER TABLE blackout ADD COLUMN label TEXT;"
	"ALTER TABLE account ADD COLUMN clearance TEXT;"
	"ALTER TABLE account ADD COLUMN caveats TEXT;",

	/*
	 * 16: cost and budget (issue 17).  Each activity's estimated and actual
	 * cost in minor units of its currency (ISO 4217; cents, whole yen), who
	 * pays ("host", "sending", "shared:ITA=60,JPN=40") and its funding line;
	 * each plan's budgets (per nation, year, funding line and currency) and
	 * the exchange rates its user gave (a rate as decimal text, exact).
	 * Older rows keep NULL: no cost recorded.
	 */
	"ALTER TABLE activity ADD COLUMN cost_estimate INTEGER CHECK (cost_estimate >= 0);"
	"ALTER TABLE activity ADD COLUMN cost_actual INTEGER CHECK (cost_actual >= 0);"
	"ALTER TABLE activity ADD COLUMN currency TEXT;"
	"ALTER TABLE activity ADD COLUMN paid_by TEXT;"
	"ALTER TABLE activity ADD COLUMN funding_line TEXT;"
	"CREATE TABLE budget ("
	"  id INTEGER PRIMARY KEY,"
	"  plan_id INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,"
	"  nation TEXT NOT NULL,"
	"  year INTEGER NOT NULL,"
	"  funding_line TEXT NOT NULL,"
	"  currency TEXT NOT NULL,"
	"  amount INTEGER NOT NULL CHECK (amount >= 0),"
	"  UNIQUE (plan_id, nation, year, funding_line, currency));"
	"CREATE TABLE exchange_rate ("
	"  id INTEGER PRIMARY KEY,"
	"  plan_id INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,"
	"  from_currency TEXT NOT NULL,"
	"  to_currency TEXT NOT NULL,"
	"  rate TEXT NOT NULL,"
	"  valid_from TEXT NOT NULL,"
	"  UNIQUE (plan_id, from_currency, to_currency, valid_from));",
	/*
	 * 17: the nations an activity or blackout is releasable to (" ITA JPN ",
	 * or "*" for no REL TO list), kept by the store from the row's effective
	 * label on every write (src/label_int.h), for PostgreSQL's row-filtered
	 * publications (coplan db publish) and their twin here so that coplan
	 * db copy carries it.  Older rows are filled once, when the database is
	 * opened after this step (rel_to_fill()).
	 */
	"ALTER TABLE activity ADD COLUMN rel_to TEXT;"
	"ALTER TABLE blackout ADD COLUMN rel_to TEXT;",
};

/* What the check expects: every table, and each guard word for word. */
static const char *const expected_tables[] = {
	"staff_talks", "delegation", "plan", "plan_nation", "activity", "activity_participant",
	"activity_unit", "precedence", "blackout", "holiday", "plan_version", "activity_event",
	"delegation_member", "talks_item", "talks_session", "weekend", "account", "plan_role",
	"session", "login_failure", "feed_token", "secret", "audit_entry", "audit_checkpoint",
	"partner_ca", "bundle_sequence", "bundle_payload", "pending_merge", "budget", "exchange_rate",
};

static const struct {
	const char *name, *sql;
} expected_triggers[] = {
	{ "plan_version_immutable", TRIGGER_VERSION_IMMUTABLE },
	{ "plan_version_kept", TRIGGER_VERSION_KEPT },
	{ "plan_version_new", TRIGGER_VERSION_NEW },
	{ "activity_event_append_only", TRIGGER_EVENT_APPEND_ONLY },
	{ "activity_event_kept", TRIGGER_EVENT_KEPT },
	{ "activity_event_new", TRIGGER_EVENT_NEW },
	{ "audit_entry_append_only", TRIGGER_AUDIT_APPEND_ONLY },
	{ "audit_entry_kept", TRIGGER_AUDIT_KEPT },
	{ "audit_entry_new", TRIGGER_AUDIT_NEW },
	{ "audit_checkpoint_append_only", TRIGGER_CHECKPOINT_APPEND_ONLY },
	{ "audit_checkpoint_kept", TRIGGER_CHECKPOINT_KEPT },
	{ "audit_checkpoint_new", TRIGGER_CHECKPOINT_NEW },
};

_Static_assert(CP_ARRAY_SIZE(migrations) == CP_STORE_SCHEMA_VERSION,
               "migrations[] and CP_STORE_SCHEMA_VERSION (tables.h, and pg.c's scripts) go together");

int coplan_store_schema_version(void)
{
	return (int)CP_ARRAY_SIZE(migrations);
}

/* 1 when SQLite's last error on db is a full disk (SQLITE_FULL, or an I/O error of ENOSPC/EDQUOT). */
static int disk_full(sqlite3 *db)
{
	int code = sqlite3_errcode(db), sys = sqlite3_system_errno(db);

	return (code & 0xff) == SQLITE_FULL ||
	       ((code & 0xff) == SQLITE_IOERR && (sys == ENOSPC || sys == EDQUOT));
}

static int db_error(sqlite_backend *st, const char *what)
{
	int code = sqlite3_errcode(st->db);

	if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
		return cp_error(COPLAN_ESTORE, "%s: %s: the database is busy (another coplan has been "
		                "writing to it for more than %d ms); nothing was changed, try again "
		                "(--busy-timeout MS waits longer)", st->path, what, st->busy_ms);
	if (disk_full(st->db))
		return cp_error(COPLAN_ESTORE, "%s: %s: the disk is full (%s); nothing was changed: make "
		                "room and try again", st->path, what, sqlite3_errmsg(st->db));
	if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB)
		return cp_error(COPLAN_ESTORE, "%s: %s: the database file is damaged (%s); 'coplan db check' "
		                "says where, 'coplan db restore' puts back a backup", st->path, what,
		                sqlite3_errmsg(st->db));
	return cp_error(COPLAN_ESTORE, "%s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
}

static int exec(sqlite_backend *st, const char *sql)
{
	char *msg = NULL;
	int rc;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int code = sqlite3_errcode(st->db) & 0xff;

		if (code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_CORRUPT ||
		    code == SQLITE_NOTADB || disk_full(st->db))
			rc = db_error(st, "cannot write");
		else
			rc = cp_error(COPLAN_ESTORE, "%s: %s", st->path, msg ? msg : "database error");
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

/* coplan_sha256(x): the SHA-256 of x's bytes as 64 hex digits (migration 6 hashes older versions with it). */
static void sql_sha256(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char hex[65];
	const void *data;
	int n;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	data = sqlite3_value_blob(argv[0]);
	n = sqlite3_value_bytes(argv[0]);
	if (coplan_sha256_hex(hex, data ? data : "", (size_t)n)) {
		sqlite3_result_error(ctx, "SHA-256 failed", -1);
		return;
	}
	sqlite3_result_text(ctx, hex, 64, SQLITE_TRANSIENT);
}

/* BEGIN IMMEDIATE: the write lock at once, so a read-modify-write cannot interleave with another process's. */
static int be_begin(coplan_store_backend *be)
{
	sqlite_backend *st = (sqlite_backend *)be;
	int rc;

	if (st->base.readonly)
		return cp_error(COPLAN_ESTORE, "%s: the database is read-only (file or folder): "
		                "nothing can be changed", st->path);
	if ((rc = exec(st, "BEGIN IMMEDIATE")) != 0 && (sqlite3_errcode(st->db) & 0xff) == SQLITE_BUSY)
		rc = db_error(st, "cannot start a transaction");
	return rc;
}

static int be_commit(coplan_store_backend *be)
{
	sqlite_backend *st = (sqlite_backend *)be;
	int rc = exec(st, "COMMIT");

	if (rc && !sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static void be_rollback(coplan_store_backend *be)
{
	sqlite_backend *st = (sqlite_backend *)be;

	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/*
 * Step stmt: 1 with a row, 0 when done.  On an error (a corrupt file, a
 * lock) 0 with *rc set, so that `while (!rc && row(st, stmt, &rc))` never
 * takes a failure for the end of the rows (a corrupt database must not read
 * as an empty plan).
 */
static int row(sqlite_backend *st, sqlite3_stmt *stmt, int *rc)
{
	int s = sqlite3_step(stmt);

	if (s == SQLITE_ROW)
		return 1;
	if (s != SQLITE_DONE && !*rc)
		*rc = db_error(st, "cannot read the database");
	return 0;
}

static int user_version(sqlite_backend *st, int *version)
{
	sqlite3_stmt *stmt;
	int rc;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
		return db_error(st, "cannot read the schema version");
	rc = sqlite3_step(stmt);
	*version = rc == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : 0;
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW)
		return db_error(st, "cannot read the schema version");
	return 0;
}

static int migrate_end(sqlite_backend *st, int rc)
{
	if (rc) {
		be_rollback(&st->base);
		return rc;
	}
	return be_commit(&st->base);
}

static int migrate_steps(sqlite_backend *st, int create);
static int prepare(sqlite_backend *st, sqlite3_stmt **stmt, const char *sql);

static int load_plan(sqlite_backend *st, long plan_id, coplan_plan **out, long *plan_id_out);
static int write_rel_to(sqlite_backend *st, sqlite3_int64 plan_id, const coplan_plan *plan);

/*
 * Schema 17 on a file that held plans: fill the new rel_to columns of
 * every plan's rows from their labels, once, in the migration's
 * transaction.  A deleted plan's rows keep NULL.
 */
static int rel_to_fill(sqlite_backend *st)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = prepare(st, &stmt, "SELECT id FROM plan WHERE deleted_at IS NULL ORDER BY id")))
		return rc;
	while (!rc && row(st, stmt, &rc)) {
		coplan_plan *plan = NULL;
		sqlite3_int64 id = sqlite3_column_int64(stmt, 0);

		if (!(rc = load_plan(st, (long)id, &plan, NULL)))
			rc = write_rel_to(st, id, plan);
		coplan_plan_free(plan);
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int migrate(sqlite_backend *st, int create)
{
	int version, rc;

	/* a schema already current needs no write lock: a long writer elsewhere does not hold up an open */
	if (user_version(st, &version) == 0 && version == coplan_store_schema_version())
		return 0;
	/*
	 * Foreign keys off while the schema changes (a table rebuilt is dropped
	 * and renamed: with them on, the drop would delete its children), checked
	 * whole before the commit, and on again after it.  The pragma is a no-op
	 * inside a transaction, hence here.
	 */
	if ((rc = exec(st, "PRAGMA foreign_keys = OFF")))
		return rc;
	rc = migrate_steps(st, create);
	if ((version = exec(st, "PRAGMA foreign_keys = ON")) && !rc)
		rc = version;
	return rc;
}

/* The foreign keys of the whole file hold: 0, or COPLAN_ESTORE naming the first row that breaks one. */
static int foreign_keys_hold(sqlite_backend *st)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = prepare(st, &stmt, "PRAGMA foreign_key_check")))
		return rc;
	if (row(st, stmt, &rc))
		rc = cp_error(COPLAN_ESTORE, "%s: the schema upgrade would leave a row of '%s' (rowid %lld) "
		              "pointing nowhere; nothing was changed", st->path,
		              (const char *)sqlite3_column_text(stmt, 0), (long long)sqlite3_column_int64(stmt, 1));
	sqlite3_finalize(stmt);
	return rc;
}

/* migrate(), with foreign keys off: every pending step in one transaction. */
static int migrate_steps(sqlite_backend *st, int create)
{
	int version, rc;
	char pragma[64];

	if ((rc = be_begin(&st->base)))
		return rc;
	if ((rc = user_version(st, &version)))
		return migrate_end(st, rc);
	if (version > coplan_store_schema_version())
		return migrate_end(st, cp_error(COPLAN_ESTORE,
		                           "%s: schema version %d is newer than this coplan knows (%d); upgrade coplan",
		                           st->path, version, coplan_store_schema_version()));
	if (version == 0) {
		/* a new file, or an SQLite file that is not ours: refuse the latter */
		sqlite3_stmt *stmt;
		int tables = 0;

		if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM sqlite_schema", -1, &stmt, NULL) != SQLITE_OK)
			return migrate_end(st, db_error(st, "not a database"));
		if (row(st, stmt, &rc))
			tables = sqlite3_column_int(stmt, 0);
		sqlite3_finalize(stmt);
		if (rc)
			return migrate_end(st, rc);
		if (tables > 0)
			return migrate_end(st, cp_error(COPLAN_ESTORE, "%s: not a coplan database", st->path));
		/* a database that must exist is never made here: an empty file is not one */
		if (!create)
			return migrate_end(st, cp_error(COPLAN_ESTORE, "%s: not a coplan database (an empty "
			                                "file, or an SQLite file without coplan's tables)", st->path));
	}
	for (int v = version; v < coplan_store_schema_version(); v++) {
		if ((rc = exec(st, migrations[v])))
			return migrate_end(st, rc);
		if (v + 1 == 17 && version > 0 && (rc = rel_to_fill(st)))
			return migrate_end(st, rc);
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
		if ((rc = exec(st, pragma)))
			return migrate_end(st, rc);
	}
	return migrate_end(st, foreign_keys_hold(st));
}

/* A read-only file (or folder): what the open found, and whether to go on reading only. */
static int is_readonly_error(int code)
{
	code &= 0xff;
	return code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM;
}

/* Open read-only a database whose schema is already current (nothing to migrate). */
static int reopen_readonly(sqlite_backend *st)
{
	int version, rc;

	sqlite3_close(st->db);
	st->db = NULL;
	if (sqlite3_open_v2(st->path, &st->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return cp_error(COPLAN_ESTORE, "%s: cannot open database: %s", st->path,
		                st->db ? sqlite3_errmsg(st->db) : "out of memory");
	sqlite3_busy_timeout(st->db, st->busy_ms);
	if (user_version(st, &version) && is_readonly_error(sqlite3_errcode(st->db))) {
		/*
		 * A WAL database in a folder we may not write: SQLite cannot make its
		 * shared-memory file, so read the file as it stands (coplan leaves it
		 * checkpointed when its last connection closes).
		 */
		char *uri = sqlite3_mprintf("file:%s?immutable=1", st->path);

		sqlite3_close(st->db);
		st->db = NULL;
		if (!uri || sqlite3_open_v2(uri, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
			rc = cp_error(COPLAN_ESTORE, "%s: cannot open database: %s", st->path,
			              st->db ? sqlite3_errmsg(st->db) : "out of memory");
			sqlite3_free(uri);
			return rc;
		}
		sqlite3_free(uri);
	}
	if ((rc = user_version(st, &version)))
		return rc;
	if (version != coplan_store_schema_version())
		return cp_error(COPLAN_ESTORE, "%s: the database is read-only and %s (schema %d, this "
		                "coplan writes %d)", st->path,
		                version < coplan_store_schema_version() ? "needs upgrading" : "is newer",
		                version, coplan_store_schema_version());
	st->base.readonly = 1;
	return 0;
}

static int store_open(sqlite_backend **out, const char *path, int create)
{
	sqlite_backend *st;
	char why[512];
	int rc, code;

	if (!path || !*path)
		return cp_error(COPLAN_EUSAGE, "no database path given");
	if (!create && access(path, F_OK) != 0)
		return cp_error(COPLAN_ENOTFOUND, "%s: no coplan database here (coplan plan or coplan "
		                "init makes one)", path);
	if (!(st = calloc(1, sizeof(*st))))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	st->busy_ms = COPLAN_STORE_BUSY_TIMEOUT_MS;
	st->path = cp_strdup(path);
	if (!st->path) {
		free(st);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0),
	                    NULL) != SQLITE_OK) {
		code = st->db ? sqlite3_errcode(st->db) : SQLITE_NOMEM;
		if (!create && is_readonly_error(code)) {
			if ((rc = reopen_readonly(st)))
				goto fail;
			goto opened;
		}
		rc = cp_error(COPLAN_ESTORE, "%s: cannot open database: %s", path,
		              st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(st->db, st->busy_ms);
	sqlite3_extended_result_codes(st->db, 1);
	/* SQLite opens a file it may not write read-only without a word: say so */
	if (!create && sqlite3_db_readonly(st->db, "main") == 1) {
		if ((rc = reopen_readonly(st)))
			goto fail;
		goto opened;
	}
	/*
	 * recursive_triggers: a REPLACE that would delete a version or an event
	 * fires the guard against deletes (the insert guards refuse it anyway).
	 */
	if ((rc = exec(st, "PRAGMA foreign_keys = ON")) || (rc = exec(st, "PRAGMA recursive_triggers = ON")))
		goto fail;
	if (sqlite3_create_function(st->db, "coplan_sha256", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC |
	                            SQLITE_DIRECTONLY, NULL, sql_sha256, NULL, NULL) != SQLITE_OK) {
		rc = db_error(st, "cannot register a function");
		goto fail;
	}
	/* WAL: readers never block the writer; a file that is not a database fails here */
	if ((rc = exec(st, "PRAGMA journal_mode = WAL"))) {
		code = sqlite3_errcode(st->db);
		if (!create && is_readonly_error(code)) {
			if ((rc = reopen_readonly(st)))
				goto fail;
			goto opened;
		}
		/* copy first: the message is in the buffer the new one is written to */
		snprintf(why, sizeof(why), "%s", sqlite3_errmsg(st->db));
		if ((code & 0xff) == SQLITE_NOTADB || (code & 0xff) == SQLITE_CORRUPT)
			rc = cp_error(COPLAN_ESTORE, "%s: not a coplan database (%s)", path, why);
		else
			rc = cp_error(COPLAN_ESTORE, "%s: cannot use the database: %s", path, why);
		goto fail;
	}
	/*
	 * FULL: each commit is synced (WAL and its checkpoints), so a power cut
	 * never loses a transaction coplan reported done; stated here rather
	 * than left to the build's default.
	 */
	if ((rc = exec(st, "PRAGMA synchronous = FULL")))
		goto fail;
	if ((rc = migrate(st, create)))
		goto fail;
opened:
	*out = st;
	return 0;
fail:
	be_free(&st->base);
	return rc;
}

static void be_free(coplan_store_backend *be)
{
	sqlite_backend *st = (sqlite_backend *)be;

	if (!st)
		return;
	for (int i = 0; i < STMT_COUNT; i++)
		sqlite3_finalize(st->cached[i]);
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

/* Binding helpers: a date as ISO text or NULL, a string or NULL. */
static void bind_date(sqlite3_stmt *stmt, int i, coplan_date d)
{
	char buf[COPLAN_DATE_ISO_LEN];

	if (d == COPLAN_DATE_NONE)
		sqlite3_bind_null(stmt, i);
	else
		sqlite3_bind_text(stmt, i, coplan_date_format_iso(d, buf), -1, SQLITE_TRANSIENT);
}

static void bind_text(sqlite3_stmt *stmt, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(stmt, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(stmt, i);
}

static coplan_date column_date(sqlite3_stmt *stmt, int i)
{
	const char *s = (const char *)sqlite3_column_text(stmt, i);
	coplan_date d;

	if (!s || coplan_date_parse_iso(&d, s, (size_t)-1) != 0)
		return COPLAN_DATE_NONE;
	return d;
}

static char *column_strdup(sqlite3_stmt *stmt, int i, int *oom)
{
	const char *s = (const char *)sqlite3_column_text(stmt, i);
	char *copy;

	if (!s)
		return NULL;
	copy = cp_strdup(s);
	if (!copy)
		*oom = 1;
	return copy;
}

/*
 * Column i as all its bytes (a damaged file may hold a NUL inside a text),
 * malloc'd and NUL-terminated, *len bytes; NULL for SQL NULL.
 */
static char *column_bytes_dup(sqlite3_stmt *stmt, int i, size_t *len, int *oom)
{
	const void *p = sqlite3_column_text(stmt, i);
	size_t n = (size_t)sqlite3_column_bytes(stmt, i);
	char *copy;

	*len = 0;
	if (!p)
		return NULL;
	if (!(copy = malloc(n + 1))) {
		*oom = 1;
		return NULL;
	}
	memcpy(copy, p, n);
	copy[n] = '\0';
	*len = n;
	return copy;
}

/* Run a prepared statement to completion (no rows expected) and reset it. */
static int step_done(sqlite_backend *st, sqlite3_stmt *stmt, const char *what)
{
	int rc = sqlite3_step(stmt);

	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	if (rc != SQLITE_DONE)
		return db_error(st, what);
	return 0;
}

static int prepare(sqlite_backend *st, sqlite3_stmt **stmt, const char *sql)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL) != SQLITE_OK)
		return db_error(st, "cannot prepare a statement");
	return 0;
}

/*
 * The store's statement number which, prepared on first use (SQLite
 * prepares it again by itself after a schema change).  Borrowed: reset
 * after use (step_done() does), never finalized by the caller.
 */
static int prepare_cached(sqlite_backend *st, int which, sqlite3_stmt **stmt, const char *sql)
{
	if (!st->cached[which] &&
	    sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->cached[which],
	                       NULL) != SQLITE_OK)
		return db_error(st, "cannot prepare a statement");
	*stmt = st->cached[which];
	return 0;
}

static int insert_members(sqlite_backend *st, sqlite3_int64 delegation_id, const coplan_delegation *d)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (d->n_members == 0)
		return 0;
	if ((rc = prepare(st, &stmt, "INSERT INTO delegation_member (delegation_id, position, rank, name, "
	                  "name_native, post, organisation) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")))
		return rc;
	for (size_t i = 0; i < d->n_members && !rc; i++) {
		const coplan_person *p = &d->members[i];

		sqlite3_bind_int64(stmt, 1, delegation_id);
		sqlite3_bind_int(stmt, 2, (int)i);
		bind_text(stmt, 3, p->rank);
		bind_text(stmt, 4, p->name ? p->name : "");
		bind_text(stmt, 5, p->name_native);
		bind_text(stmt, 6, p->post);
		bind_text(stmt, 7, p->organisation);
		rc = step_done(st, stmt, "cannot insert a delegation member");
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int insert_talks_items(sqlite_backend *st, sqlite3_int64 talks_id, const char *kind,
                              char *const *items, size_t n)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (n == 0)
		return 0;
	if ((rc = prepare(st, &stmt, "INSERT INTO talks_item (talks_id, kind, position, text) VALUES (?1, ?2, ?3, ?4)")))
		return rc;
	for (size_t i = 0; i < n && !rc; i++) {
		sqlite3_bind_int64(stmt, 1, talks_id);
		sqlite3_bind_text(stmt, 2, kind, -1, SQLITE_STATIC);
		sqlite3_bind_int(stmt, 3, (int)i);
		sqlite3_bind_text(stmt, 4, items[i], -1, SQLITE_TRANSIENT);
		rc = step_done(st, stmt, "cannot insert an agenda item or area");
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int insert_sessions(sqlite_backend *st, sqlite3_int64 talks_id, const coplan_staff_talks *t)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (t->n_sessions == 0)
		return 0;
	if ((rc = prepare(st, &stmt, "INSERT INTO talks_session (talks_id, position, title, date, "
	                  "start_minute, end_minute, zone, location) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")))
		return rc;
	for (size_t i = 0; i < t->n_sessions && !rc; i++) {
		const coplan_talks_session *ss = &t->sessions[i];

		sqlite3_bind_int64(stmt, 1, talks_id);
		sqlite3_bind_int(stmt, 2, (int)i);
		bind_text(stmt, 3, ss->title ? ss->title : "");
		bind_date(stmt, 4, ss->date);
		sqlite3_bind_int(stmt, 5, ss->start_minute);
		sqlite3_bind_int(stmt, 6, ss->end_minute);
		bind_text(stmt, 7, ss->zone ? ss->zone : "");
		bind_text(stmt, 8, ss->location);
		rc = step_done(st, stmt, "cannot insert a session of the talks");
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int load_sessions(sqlite_backend *st, sqlite3_int64 talks_id, coplan_staff_talks *t)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = prepare(st, &stmt, "SELECT title, date, start_minute, end_minute, zone, location "
	                  "FROM talks_session WHERE talks_id = ?1 ORDER BY position")))
		return rc;
	sqlite3_bind_int64(stmt, 1, talks_id);
	while (!rc && row(st, stmt, &rc)) {
		coplan_talks_session ss = {
			(char *)sqlite3_column_text(stmt, 0), column_date(stmt, 1),
			sqlite3_column_int(stmt, 2), sqlite3_column_int(stmt, 3),
			(char *)sqlite3_column_text(stmt, 4), (char *)sqlite3_column_text(stmt, 5)
		};
		rc = coplan_talks_add_session(t, &ss);
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int insert_talks(sqlite_backend *st, const coplan_staff_talks *t, sqlite3_int64 *talks_id)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	/* the same edition of the same series is one record, shared by its plans */
	if ((rc = prepare(st, &stmt, "SELECT id FROM staff_talks WHERE series = ?1 AND edition = ?2")))
		return rc;
	sqlite3_bind_text(stmt, 1, t->series ? t->series : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(stmt, 2, t->edition);
	if (row(st, stmt, &rc)) {
		*talks_id = sqlite3_column_int64(stmt, 0);
		sqlite3_finalize(stmt);
		return 0;
	}
	sqlite3_finalize(stmt);
	if (rc)
		return rc;
	if ((rc = prepare(st, &stmt,
	                  "INSERT INTO staff_talks (series, edition, start_date, end_date, venue) "
	                  "VALUES (?1, ?2, ?3, ?4, ?5)")))
		return rc;
	sqlite3_bind_text(stmt, 1, t->series ? t->series : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(stmt, 2, t->edition);
	bind_date(stmt, 3, t->start);
	bind_date(stmt, 4, t->end);
	bind_text(stmt, 5, t->venue);
	rc = step_done(st, stmt, "cannot insert the staff talks");
	sqlite3_finalize(stmt);
	if (rc)
		return rc;
	*talks_id = sqlite3_last_insert_rowid(st->db);
	if ((rc = prepare(st, &stmt,
	                  "INSERT INTO delegation (talks_id, position, nation, head_name, head_name_native, "
	                  "head_post, head_rank, head_organisation) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")))
		return rc;
	for (size_t i = 0; i < t->n_delegations && !rc; i++) {
		const coplan_delegation *d = &t->delegations[i];

		sqlite3_bind_int64(stmt, 1, *talks_id);
		sqlite3_bind_int(stmt, 2, (int)i);
		sqlite3_bind_text(stmt, 3, d->nation, -1, SQLITE_TRANSIENT);
		bind_text(stmt, 4, d->head_name);
		bind_text(stmt, 5, d->head_name_native);
		bind_text(stmt, 6, d->head_post);
		bind_text(stmt, 7, d->head_rank);
		bind_text(stmt, 8, d->head_organisation);
		rc = step_done(st, stmt, "cannot insert a delegation");
		if (!rc)
			rc = insert_members(st, sqlite3_last_insert_rowid(st->db), d);
	}
	sqlite3_finalize(stmt);
	if (!rc)
		rc = insert_sessions(st, *talks_id, t);
	if (!rc)
		rc = insert_talks_items(st, *talks_id, "agenda", t->agenda, t->n_agenda);
	if (!rc)
		rc = insert_talks_items(st, *talks_id, "area", t->areas, t->n_areas);
	return rc;
}

static const char activity_columns[] =
	"ref, title, area, kind, host, duration, day_mode, earliest, latest, requested_from, "
	"requested_to, location, notes, start_date, end_date, pinned, sequence, status, unplaced_reason, label, "
	"cost_estimate, cost_actual, currency, paid_by, funding_line";

/* The bind parameters of activity_columns, and of the three values after them. */
#define ACTIVITY_PARAMS "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, " \
	"?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25"
#define ACTIVITY_N 25

/* Bind an activity's columns as ?1..?25 in the order of activity_columns. */
static void bind_activity(sqlite3_stmt *stmt, const coplan_activity *a, int sequence)
{
	bind_text(stmt, 1, a->ref);
	bind_text(stmt, 2, a->title);
	bind_text(stmt, 3, a->area);
	bind_text(stmt, 4, a->kind);
	sqlite3_bind_text(stmt, 5, a->host, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(stmt, 6, a->duration);
	sqlite3_bind_text(stmt, 7, coplan_day_mode_name(a->day_mode), -1, SQLITE_STATIC);
	bind_date(stmt, 8, a->earliest);
	bind_date(stmt, 9, a->latest);
	bind_date(stmt, 10, a->requested_from);
	bind_date(stmt, 11, a->requested_to);
	bind_text(stmt, 12, a->location);
	bind_text(stmt, 13, a->notes);
	bind_date(stmt, 14, a->start);
	bind_date(stmt, 15, a->end);
	sqlite3_bind_int(stmt, 16, a->pinned ? 1 : 0);
	sqlite3_bind_int(stmt, 17, sequence);
	sqlite3_bind_text(stmt, 18, coplan_activity_status_name(a->status), -1, SQLITE_STATIC);
	bind_text(stmt, 19, a->unplaced_reason);
	bind_text(stmt, 20, a->label);
	if (a->has_cost_estimate)
		sqlite3_bind_int64(stmt, 21, a->cost_estimate);
	else
		sqlite3_bind_null(stmt, 21);
	if (a->has_cost_actual)
		sqlite3_bind_int64(stmt, 22, a->cost_actual);
	else
		sqlite3_bind_null(stmt, 22);
	bind_text(stmt, 23, a->currency[0] ? a->currency : NULL);
	{
		char payer[COPLAN_MAX_NATIONS * 8];

		coplan_payer_format(payer, sizeof(payer), a);
		if (payer[0])
			sqlite3_bind_text(stmt, 24, payer, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(stmt, 24);
	}
	bind_text(stmt, 25, a->funding_line);
}

static int insert_lists(sqlite_backend *st, sqlite3_int64 activity_id, const coplan_activity *a)
{
	sqlite3_stmt *pstmt = NULL, *ustmt = NULL;
	int rc;

	if ((rc = prepare_cached(st, STMT_INSERT_PARTICIPANT, &pstmt, "INSERT OR IGNORE INTO activity_participant (activity_id, position, nation) VALUES (?1, ?2, ?3)")) ||
	    (rc = prepare_cached(st, STMT_INSERT_UNIT, &ustmt, "INSERT OR IGNORE INTO activity_unit (activity_id, position, unit) VALUES (?1, ?2, ?3)")))
		return rc;
	for (size_t i = 0; i < a->n_participants && !rc; i++) {
		sqlite3_bind_int64(pstmt, 1, activity_id);
		sqlite3_bind_int(pstmt, 2, (int)i);
		sqlite3_bind_text(pstmt, 3, a->participants[i], -1, SQLITE_TRANSIENT);
		rc = step_done(st, pstmt, "cannot insert a participant");
	}
	for (size_t i = 0; i < a->n_units && !rc; i++) {
		sqlite3_bind_int64(ustmt, 1, activity_id);
		sqlite3_bind_int(ustmt, 2, (int)i);
		sqlite3_bind_text(ustmt, 3, a->units[i], -1, SQLITE_TRANSIENT);
		rc = step_done(st, ustmt, "cannot insert a unit");
	}
	return rc;
}

static int activity_id_by_ref(sqlite_backend *st, sqlite3_int64 plan_id, const char *ref,
                              sqlite3_int64 *id, int *sequence)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = prepare_cached(st, STMT_ACTIVITY_BY_REF, &stmt, "SELECT id, sequence FROM activity WHERE plan_id = ?1 AND ref = ?2")))
		return rc;
	sqlite3_bind_int64(stmt, 1, plan_id);
	sqlite3_bind_text(stmt, 2, ref, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(stmt, 0);
		if (sequence)
			*sequence = sqlite3_column_int(stmt, 1);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = COPLAN_ENOTFOUND;
	} else {
		rc = db_error(st, "cannot look up an activity");
	}
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return rc;
}

/* Replace the budgets and exchange rates of plan_id with plan's (migration 14). */
static int write_money(sqlite_backend *st, sqlite3_int64 plan_id, const coplan_plan *plan)
{
	sqlite3_stmt *stmt = NULL;
	char sql[128], iso[COPLAN_DATE_ISO_LEN];
	int rc;

	snprintf(sql, sizeof(sql), "DELETE FROM budget WHERE plan_id = %lld;"
	         "DELETE FROM exchange_rate WHERE plan_id = %lld", (long long)plan_id, (long long)plan_id);
	if ((rc = exec(st, sql)))
		return rc;
	if ((rc = prepare(st, &stmt, "INSERT INTO budget (plan_id, nation, year, funding_line, currency, "
	                  "amount) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")))
		return rc;
	for (size_t i = 0; i < plan->n_budgets && !rc; i++) {
		const coplan_budget *b = &plan->budgets[i];

		sqlite3_bind_int64(stmt, 1, plan_id);
		sqlite3_bind_text(stmt, 2, b->nation, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(stmt, 3, b->year);
		bind_text(stmt, 4, b->funding_line);
		sqlite3_bind_text(stmt, 5, b->currency, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 6, b->amount);
		rc = step_done(st, stmt, "cannot insert a budget");
	}
	sqlite3_finalize(stmt);
	if (rc)
		return rc;
	if ((rc = prepare(st, &stmt, "INSERT INTO exchange_rate (plan_id, from_currency, to_currency, "
	                  "rate, valid_from) VALUES (?1, ?2, ?3, ?4, ?5)")))
		return rc;
	for (size_t i = 0; i < plan->n_rates && !rc; i++) {
		const coplan_rate *r = &plan->rates[i];

		sqlite3_bind_int64(stmt, 1, plan_id);
		sqlite3_bind_text(stmt, 2, r->from, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 3, r->to, -1, SQLITE_TRANSIENT);
		bind_text(stmt, 4, r->rate);
		sqlite3_bind_text(stmt, 5, coplan_date_format_iso(r->valid_from, iso), -1, SQLITE_TRANSIENT);
		rc = step_done(st, stmt, "cannot insert an exchange rate");
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* Replace the precedences and blackouts of plan_id with plan's. */
static int write_constraints(sqlite_backend *st, sqlite3_int64 plan_id, const coplan_plan *plan)
{
	sqlite3_stmt *stmt = NULL;
	char sql[128];
	int rc;

	snprintf(sql, sizeof(sql), "DELETE FROM precedence WHERE plan_id = %lld", (long long)plan_id);
	if ((rc = exec(st, sql)))
		return rc;
	snprintf(sql, sizeof(sql), "DELETE FROM blackout WHERE plan_id = %lld", (long long)plan_id);
	if ((rc = exec(st, sql)))
		return rc;
	if ((rc = prepare(st, &stmt, "INSERT INTO precedence (plan_id, before_id, after_id, min_gap, max_gap, kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")))
		return rc;
	for (size_t i = 0; i < plan->n_precedences && !rc; i++) {
		const coplan_precedence *p = &plan->precedences[i];
		sqlite3_int64 before, after;

		if (activity_id_by_ref(st, plan_id, p->before, &before, NULL) ||
		    activity_id_by_ref(st, plan_id, p->after, &after, NULL)) {
			rc = cp_error(COPLAN_EINVALID, "precedence '%s' before '%s' names no activity of the plan",
			              p->before, p->after);
			break;
		}
		sqlite3_bind_int64(stmt, 1, plan_id);
		sqlite3_bind_int64(stmt, 2, before);
		sqlite3_bind_int64(stmt, 3, after);
		sqlite3_bind_int(stmt, 4, p->min_gap);
		sqlite3_bind_int(stmt, 5, p->max_gap);
		sqlite3_bind_text(stmt, 6, coplan_precedence_kind_name(p->kind), -1, SQLITE_STATIC);
		rc = step_done(st, stmt, "cannot insert a precedence");
	}
	sqlite3_finalize(stmt);
	if (rc)
		return rc;
	if ((rc = prepare(st, &stmt, "INSERT INTO blackout (plan_id, scope, date_from, date_to, hard, reason, label) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")))
		return rc;
	for (size_t i = 0; i < plan->n_blackouts && !rc; i++) {
		const coplan_blackout *b = &plan->blackouts[i];

		sqlite3_bind_int64(stmt, 1, plan_id);
		bind_text(stmt, 2, b->scope);
		bind_date(stmt, 3, b->from);
		bind_date(stmt, 4, b->to);
		sqlite3_bind_int(stmt, 5, b->hard);
		bind_text(stmt, 6, b->reason ? b->reason : "");
		bind_text(stmt, 7, b->label);
		rc = step_done(st, stmt, "cannot insert a blackout");
	}
	sqlite3_finalize(stmt);
	if (rc)
		return rc;
	snprintf(sql, sizeof(sql), "DELETE FROM holiday WHERE plan_id = %lld", (long long)plan_id);
	if ((rc = exec(st, sql)))
		return rc;
	if ((rc = prepare(st, &stmt, "INSERT OR IGNORE INTO holiday (plan_id, nation, date, name) VALUES (?1, ?2, ?3, ?4)")))
		return rc;
	for (size_t i = 0; i < plan->n_holidays && !rc; i++) {
		const coplan_plan_holiday *h = &plan->holidays[i];

		sqlite3_bind_int64(stmt, 1, plan_id);
		sqlite3_bind_text(stmt, 2, h->nation, -1, SQLITE_TRANSIENT);
		bind_date(stmt, 3, h->date);
		bind_text(stmt, 4, h->name ? h->name : "");
		rc = step_done(st, stmt, "cannot insert a holiday");
	}
	sqlite3_finalize(stmt);
	if (rc)
		return rc;
	snprintf(sql, sizeof(sql), "DELETE FROM weekend WHERE plan_id = %lld", (long long)plan_id);
	if ((rc = exec(st, sql)))
		return rc;
	if ((rc = prepare(st, &stmt, "INSERT INTO weekend (plan_id, nation, days) VALUES (?1, ?2, ?3)")))
		return rc;
	for (size_t i = 0; i < plan->n_weekends && !rc; i++) {
		sqlite3_bind_int64(stmt, 1, plan_id);
		sqlite3_bind_text(stmt, 2, plan->weekends[i].nation, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(stmt, 3, (int)plan->weekends[i].days);
		rc = step_done(st, stmt, "cannot insert a weekend");
	}
	sqlite3_finalize(stmt);
	if (rc)
		return rc;
	return write_money(st, plan_id, plan);
}

static int insert_activity(sqlite_backend *st, sqlite3_int64 plan_id, size_t position,
                           const coplan_activity *a, int sequence)
{
	sqlite3_stmt *stmt = NULL;
	char sql[512], uuid[COPLAN_UUID_LEN];
	int rc;


	/* an activity keeps the identity it comes with (an exported plan read back); a new one gets its own */
	if (coplan_uuid_valid(a->uuid))
		memcpy(uuid, a->uuid, sizeof(uuid));
	else if ((rc = coplan_uuid_v4(uuid)))
		return rc;
	snprintf(sql, sizeof(sql),
	         "INSERT INTO activity (plan_id, position, uuid, %s) VALUES "
	         "(?26, ?27, lower(?28), " ACTIVITY_PARAMS ")", activity_columns);
	if ((rc = prepare_cached(st, STMT_INSERT_ACTIVITY, &stmt, sql)))
		return rc;
	bind_activity(stmt, a, sequence);
	sqlite3_bind_int64(stmt, ACTIVITY_N + 1, plan_id);
	sqlite3_bind_int64(stmt, ACTIVITY_N + 2, (sqlite3_int64)position);
	sqlite3_bind_text(stmt, ACTIVITY_N + 3, uuid, -1, SQLITE_TRANSIENT);
	rc = step_done(st, stmt, "cannot insert an activity");
	if (rc)
		return rc;
	return insert_lists(st, sqlite3_last_insert_rowid(st->db), a);
}

/*
 * Write the rel_to column (schema 17) of plan_id's activities and
 * blackouts from plan's labels: after every write of a plan, so that a
 * changed label, plan label or party list is followed.
 */
static int write_rel_to(sqlite_backend *st, sqlite3_int64 plan_id, const coplan_plan *plan)
{
	static const char *const sql[2] = {
		"UPDATE activity SET rel_to = ?3 WHERE plan_id = ?1 AND label IS ?2 AND rel_to IS NOT ?3",
		"UPDATE blackout SET rel_to = ?3 WHERE plan_id = ?1 AND label IS ?2 AND rel_to IS NOT ?3",
	};
	const char **labels = NULL;
	sqlite3_stmt *stmt[2] = { NULL, NULL };
	size_t k = 0;
	int rc = 0;

	if ((rc = cp_label_distinct(&labels, &k, plan)))
		return rc;
	/* the rows without a label of their own, then each label */
	for (size_t i = 0; i <= k && !rc; i++) {
		const char *label = i == 0 ? NULL : labels[i - 1];
		char *rel = NULL;

		if ((rc = cp_label_rel_to(&rel, label, plan->label, plan->nations, plan->n_nations)))
			break;
		for (int q = 0; q < 2 && !rc; q++) {
			if (!stmt[q] && (rc = prepare(st, &stmt[q], sql[q])))
				break;
			sqlite3_reset(stmt[q]);
			sqlite3_bind_int64(stmt[q], 1, plan_id);
			bind_text(stmt[q], 2, label);
			bind_text(stmt[q], 3, rel);
			rc = step_done(st, stmt[q], "cannot write the releasable-to nations");
		}
		free(rel);
	}
	sqlite3_finalize(stmt[0]);
	sqlite3_finalize(stmt[1]);
	free(labels);
	return rc;
}

static int be_insert_plan(coplan_store_backend *be, const coplan_plan *plan, long *plan_id_out)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	sqlite3_int64 talks_id = 0, plan_id;
	char uuid[COPLAN_UUID_LEN];
	int rc;

	/* a deleted plan's title may be used again */
	if ((rc = prepare(st, &stmt, "SELECT 1 FROM plan WHERE title = ?1 AND year = ?2 AND deleted_at IS NULL")))
		goto cleanup;
	sqlite3_bind_text(stmt, 1, plan->title ? plan->title : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(stmt, 2, plan->year);
	if (row(st, stmt, &rc)) {
		rc = cp_error(COPLAN_EEXISTS, "%s: a plan '%s' of %d exists already", st->path,
		              plan->title ? plan->title : "", plan->year);
		goto cleanup;
	}
	if (rc)
		goto cleanup;
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (plan->has_talks && (rc = insert_talks(st, &plan->talks, &talks_id)))
		goto cleanup;
	if (coplan_uuid_valid(plan->uuid))
		memcpy(uuid, plan->uuid, sizeof(uuid));
	else if ((rc = coplan_uuid_v4(uuid)))
		goto cleanup;
	if ((rc = prepare(st, &stmt, "SELECT 1 FROM plan WHERE uuid = lower(?1)")))
		goto cleanup;
	sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_TRANSIENT);
	if (row(st, stmt, &rc)) {
		rc = cp_error(COPLAN_EEXISTS, "%s: a plan with the identity %s exists already ('%s' is a "
		              "copy of it: import it as an update, or remove its uuid to make a new plan)",
		              st->path, uuid, plan->title ? plan->title : "");
		goto cleanup;
	}
	if (rc)
		goto cleanup;
	sqlite3_finalize(stmt);
	stmt = NULL;
	if ((rc = prepare(st, &stmt, "INSERT INTO plan (title, year, window_from, window_to, talks_id, uuid, label) VALUES (?1, ?2, ?3, ?4, ?5, lower(?6), ?7)")))
		goto cleanup;
	bind_text(stmt, 7, plan->label);
	sqlite3_bind_text(stmt, 6, uuid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 1, plan->title ? plan->title : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(stmt, 2, plan->year);
	bind_date(stmt, 3, plan->window_from);
	bind_date(stmt, 4, plan->window_to);
	if (plan->has_talks)
		sqlite3_bind_int64(stmt, 5, talks_id);
	else
		sqlite3_bind_null(stmt, 5);
	if ((rc = step_done(st, stmt, "cannot insert the plan")))
		goto cleanup;
	sqlite3_finalize(stmt);
	stmt = NULL;
	plan_id = sqlite3_last_insert_rowid(st->db);
	if ((rc = prepare(st, &stmt, "INSERT INTO plan_nation (plan_id, position, nation) VALUES (?1, ?2, ?3)")))
		goto cleanup;
	for (size_t i = 0; i < plan->n_nations && !rc; i++) {
		sqlite3_bind_int64(stmt, 1, plan_id);
		sqlite3_bind_int(stmt, 2, (int)i);
		sqlite3_bind_text(stmt, 3, plan->nations[i], -1, SQLITE_TRANSIENT);
		rc = step_done(st, stmt, "cannot insert a party nation");
	}
	for (size_t i = 0; i < plan->n_activities && !rc; i++)
		rc = insert_activity(st, plan_id, i, &plan->activities[i], plan->activities[i].sequence);
	if (!rc)
		rc = write_constraints(st, plan_id, plan);
	if (!rc)
		rc = write_rel_to(st, plan_id, plan);
	if (!rc && plan_id_out)
		*plan_id_out = (long)plan_id;
cleanup:
	sqlite3_finalize(stmt);
	return rc;
}

static int str_equal(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

/*
 * The newest version of plan_id: its number (0 if none), state and
 * snapshot (malloc'd, may be NULL when snapshot is NULL).
 */
/* The stored SHA-256 in column i into sha256 (65 bytes), "" when none or not 64 characters. */
static void column_sha256(sqlite3_stmt *stmt, int i, char *sha256)
{
	const char *s = (const char *)sqlite3_column_text(stmt, i);

	if (!sha256)
		return;
	if (s && strlen(s) == 64)
		memcpy(sha256, s, 65);
	else
		sha256[0] = '\0';
}

/* A nation code column into nation (4 bytes): "" for NULL or anything not three characters. */
static void column_nation(sqlite3_stmt *stmt, int i, char nation[4])
{
	const char *s = (const char *)sqlite3_column_text(stmt, i);

	nation[0] = '\0';
	if (s && strlen(s) == 3)
		memcpy(nation, s, 4);
}

static int be_version_newest(coplan_store_backend *be, long plan_id, int *number,
                             coplan_version_state *state, char **snapshot, size_t *len,
                             char sha256[65])
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc = 0, oom = 0;

	*number = 0;
	if (snapshot)
		*snapshot = NULL;
	if (sha256)
		sha256[0] = '\0';
	if ((rc = prepare(st, &stmt, "SELECT number, state, snapshot, snapshot_sha256 FROM plan_version "
	                  "WHERE plan_id = ?1 ORDER BY number DESC LIMIT 1")))
		return rc;
	sqlite3_bind_int64(stmt, 1, plan_id);
	if (row(st, stmt, &rc)) {
		*number = sqlite3_column_int(stmt, 0);
		if (coplan_version_state_parse(state, (const char *)sqlite3_column_text(stmt, 1)))
			rc = cp_error(COPLAN_ESTORE, "%s: plan %ld: version %d has an unknown state",
			              st->path, plan_id, *number);
		if (snapshot) {
			size_t n = 0;

			*snapshot = column_bytes_dup(stmt, 2, &n, &oom);
			if (len)
				*len = n;
		}
		column_sha256(stmt, 3, sha256);
	}
	sqlite3_finalize(stmt);
	if (rc || oom) {
		if (snapshot) {
			free(*snapshot);
			*snapshot = NULL;
		}
		return rc ? rc : cp_error(COPLAN_ENOMEM, "out of memory");
	}
	return 0;
}

/* Activities of a plan sorted by ref, for lookups in O(log n) (imports of 100,000 rows). */
typedef struct {
	const char *ref;
	long index;
} ref_entry;

typedef struct {
	ref_entry *entries;
	size_t n;
} ref_index;

static int by_ref(const void *a, const void *b)
{
	return strcmp(((const ref_entry *)a)->ref, ((const ref_entry *)b)->ref);
}

static int ref_index_build(ref_index *ix, const coplan_plan *plan)
{
	ix->n = plan->n_activities;
	ix->entries = malloc((plan->n_activities + 1) * sizeof(*ix->entries));
	if (!ix->entries)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	for (size_t i = 0; i < plan->n_activities; i++) {
		ix->entries[i].ref = plan->activities[i].ref;
		ix->entries[i].index = (long)i;
	}
	qsort(ix->entries, ix->n, sizeof(*ix->entries), by_ref);
	return 0;
}

/* Index in the plan of the activity with ref, or -1. */
static long ref_index_find(const ref_index *ix, const char *ref)
{
	size_t lo = 0, hi = ix->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ix->entries[mid].ref, ref);

		if (c == 0)
			return ix->entries[mid].index;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* a and b the same text, a missing one read as "" (as the store keeps it) */
static int text_same(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

/*
 * Whether plan's precedences, blackouts (with their labels), holidays,
 * weekends, budgets and rates are those of old (as loaded from the store),
 * in the same order: then an update leaves their rows as they are instead
 * of writing them all again.
 */
static int constraints_same(const coplan_plan *plan, const coplan_plan *old)
{
	if (plan->n_precedences != old->n_precedences || plan->n_blackouts != old->n_blackouts ||
	    plan->n_holidays != old->n_holidays || plan->n_weekends != old->n_weekends ||
	    plan->n_budgets != old->n_budgets || plan->n_rates != old->n_rates)
		return 0;
	for (size_t i = 0; i < plan->n_budgets; i++) {
		const coplan_budget *b = &plan->budgets[i], *c = &old->budgets[i];

		if (strcmp(b->nation, c->nation) || b->year != c->year || !text_same(b->funding_line, c->funding_line) ||
		    strcmp(b->currency, c->currency) || b->amount != c->amount)
			return 0;
	}
	for (size_t i = 0; i < plan->n_rates; i++) {
		const coplan_rate *r = &plan->rates[i], *q = &old->rates[i];

		if (strcmp(r->from, q->from) || strcmp(r->to, q->to) || !text_same(r->rate, q->rate) ||
		    r->valid_from != q->valid_from)
			return 0;
	}
	for (size_t i = 0; i < plan->n_precedences; i++) {
		const coplan_precedence *p = &plan->precedences[i], *q = &old->precedences[i];

		if (!text_same(p->before, q->before) || !text_same(p->after, q->after) ||
		    p->min_gap != q->min_gap || p->max_gap != q->max_gap || p->kind != q->kind)
			return 0;
	}
	for (size_t i = 0; i < plan->n_blackouts; i++) {
		const coplan_blackout *b = &plan->blackouts[i], *c = &old->blackouts[i];

		if (!text_same(b->scope, c->scope) || b->from != c->from || b->to != c->to ||
		    b->hard != c->hard || !text_same(b->reason, c->reason) || !text_same(b->label, c->label))
			return 0;
	}
	for (size_t i = 0; i < plan->n_holidays; i++) {
		const coplan_plan_holiday *h = &plan->holidays[i], *g = &old->holidays[i];

		if (strcmp(h->nation, g->nation) || h->date != g->date || !text_same(h->name, g->name))
			return 0;
	}
	for (size_t i = 0; i < plan->n_weekends; i++)
		if (strcmp(plan->weekends[i].nation, old->weekends[i].nation) ||
		    plan->weekends[i].days != old->weekends[i].days)
			return 0;
	return 1;
}

static int be_update_plan(coplan_store_backend *be, long plan_id, const coplan_plan *plan,
                          const coplan_plan *old)
{
	sqlite_backend *st = (sqlite_backend *)be;
	ref_index new_ix = { NULL, 0 }, old_ix = { NULL, 0 };
	sqlite3_stmt *stmt = NULL;
	char sql[512];
	int rc = 0;

	if ((rc = ref_index_build(&new_ix, plan)) || (rc = ref_index_build(&old_ix, old)))
		goto cleanup;
	if (!str_equal(plan->label, old->label)) {
		if ((rc = prepare(st, &stmt, "UPDATE plan SET label = ?2 WHERE id = ?1")))
			goto cleanup;
		sqlite3_bind_int64(stmt, 1, plan_id);
		bind_text(stmt, 2, plan->label);
		rc = step_done(st, stmt, "cannot update the plan's label");
		sqlite3_finalize(stmt);
		stmt = NULL;
		if (rc)
			goto cleanup;
	}
	/* activities gone from the plan: delete (their lists and precedences cascade) */
	for (size_t i = 0; i < old->n_activities && !rc; i++) {
		if (ref_index_find(&new_ix, old->activities[i].ref) >= 0)
			continue;
		if ((rc = prepare(st, &stmt, "DELETE FROM activity WHERE plan_id = ?1 AND ref = ?2")))
			break;
		sqlite3_bind_int64(stmt, 1, plan_id);
		sqlite3_bind_text(stmt, 2, old->activities[i].ref, -1, SQLITE_TRANSIENT);
		rc = step_done(st, stmt, "cannot delete an activity");
		sqlite3_finalize(stmt);
		stmt = NULL;
	}
	snprintf(sql, sizeof(sql),
	         "UPDATE activity SET (position, %s) = "
	         "(?27, " ACTIVITY_PARAMS ") WHERE id = ?26", activity_columns);
	for (size_t i = 0; i < plan->n_activities && !rc; i++) {
		const coplan_activity *a = &plan->activities[i];
		long o = ref_index_find(&old_ix, a->ref);
		sqlite3_int64 id;
		char del[128];
		int same, seq;

		if (o < 0) {
			rc = insert_activity(st, plan_id, i, a, a->sequence);
			continue;
		}
		same = coplan_activity_equal(a, &old->activities[o]);
		/* unchanged, in its place, and no higher sequence given (a merge's): nothing to write */
		if (same && (size_t)o == i && a->sequence <= old->activities[o].sequence)
			continue;
		if ((rc = activity_id_by_ref(st, plan_id, a->ref, &id, NULL)))
			break;
		if ((rc = prepare(st, &stmt, sql)))
			break;
		/* a change raises the sequence; a merge may give a higher one, which both offices then hold */
		seq = old->activities[o].sequence + (same ? 0 : 1);
		bind_activity(stmt, a, a->sequence > seq ? a->sequence : seq);
		sqlite3_bind_int64(stmt, ACTIVITY_N + 1, id);
		sqlite3_bind_int64(stmt, ACTIVITY_N + 2, (sqlite3_int64)i);
		rc = step_done(st, stmt, "cannot update an activity");
		sqlite3_finalize(stmt);
		stmt = NULL;
		if (rc)
			break;
		snprintf(del, sizeof(del),
		         "DELETE FROM activity_participant WHERE activity_id = %lld;"
		         "DELETE FROM activity_unit WHERE activity_id = %lld;", (long long)id, (long long)id);
		if ((rc = exec(st, del)))
			break;
		rc = insert_lists(st, id, a);
	}
	/* a schedule changes dates only: the constraints' rows stay (deleted activities' went with them) */
	if (!rc && !constraints_same(plan, old))
		rc = write_constraints(st, plan_id, plan);
	if (!rc)
		rc = write_rel_to(st, plan_id, plan);
cleanup:
	sqlite3_finalize(stmt);
	free(new_ix.entries);
	free(old_ix.entries);
	return rc;
}

static int load_members(sqlite_backend *st, sqlite3_int64 delegation_id, coplan_delegation *d)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = prepare(st, &stmt, "SELECT rank, name, name_native, post, organisation FROM "
	                  "delegation_member WHERE delegation_id = ?1 ORDER BY position")))
		return rc;
	sqlite3_bind_int64(stmt, 1, delegation_id);
	while (!rc && row(st, stmt, &rc)) {
		coplan_person p = {
			(char *)sqlite3_column_text(stmt, 0), (char *)sqlite3_column_text(stmt, 1),
			(char *)sqlite3_column_text(stmt, 2), (char *)sqlite3_column_text(stmt, 3),
			(char *)sqlite3_column_text(stmt, 4)
		};
		rc = coplan_delegation_add_member(d, &p);
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int load_talks_items(sqlite_backend *st, sqlite3_int64 talks_id, coplan_staff_talks *t)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = prepare(st, &stmt, "SELECT kind, text FROM talks_item WHERE talks_id = ?1 ORDER BY kind, position")))
		return rc;
	sqlite3_bind_int64(stmt, 1, talks_id);
	while (!rc && row(st, stmt, &rc)) {
		const char *kind = (const char *)sqlite3_column_text(stmt, 0);
		const char *text = (const char *)sqlite3_column_text(stmt, 1);

		rc = kind && !strcmp(kind, "agenda") ? coplan_talks_add_agenda_item(t, text ? text : "")
		                                     : coplan_talks_add_area(t, text ? text : "");
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int load_talks(sqlite_backend *st, sqlite3_int64 talks_id, coplan_plan *plan)
{
	sqlite3_stmt *stmt = NULL;
	coplan_staff_talks *t = &plan->talks;
	int rc = 0, oom = 0;

	if ((rc = prepare(st, &stmt, "SELECT series, edition, start_date, end_date, venue FROM staff_talks WHERE id = ?1")))
		return rc;
	sqlite3_bind_int64(stmt, 1, talks_id);
	if (row(st, stmt, &rc)) {
		plan->has_talks = 1;
		t->series = column_strdup(stmt, 0, &oom);
		t->edition = sqlite3_column_int(stmt, 1);
		t->start = column_date(stmt, 2);
		t->end = column_date(stmt, 3);
		t->venue = column_strdup(stmt, 4, &oom);
	}
	sqlite3_finalize(stmt);
	if (rc)
		return rc;
	if ((rc = prepare(st, &stmt, "SELECT nation, head_name, head_name_native, head_post, head_rank, "
	                  "head_organisation, id FROM delegation WHERE talks_id = ?1 ORDER BY position")))
		return rc;
	sqlite3_bind_int64(stmt, 1, talks_id);
	while (!oom && !rc && row(st, stmt, &rc)) {
		const char *nation = (const char *)sqlite3_column_text(stmt, 0);
		coplan_delegation *d;

		if ((rc = coplan_talks_add_delegation(t, nation ? nation : "", &d)))
			break;
		d->head_name = column_strdup(stmt, 1, &oom);
		d->head_name_native = column_strdup(stmt, 2, &oom);
		d->head_post = column_strdup(stmt, 3, &oom);
		d->head_rank = column_strdup(stmt, 4, &oom);
		d->head_organisation = column_strdup(stmt, 5, &oom);
		if (!oom)
			rc = load_members(st, sqlite3_column_int64(stmt, 6), d);
	}
	sqlite3_finalize(stmt);
	if (!rc && !oom)
		rc = load_talks_items(st, talks_id, t);
	if (!rc && !oom)
		rc = load_sessions(st, talks_id, t);
	if (oom)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	return rc;
}

/* The cost columns from i on (cost_estimate, cost_actual, currency, paid_by, funding_line) into a. */
static int column_cost(sqlite3_stmt *stmt, int i, coplan_activity *a, int *oom)
{
	const char *cur = (const char *)sqlite3_column_text(stmt, i + 2);
	const char *payer = (const char *)sqlite3_column_text(stmt, i + 3);

	if ((a->has_cost_estimate = sqlite3_column_type(stmt, i) != SQLITE_NULL))
		a->cost_estimate = sqlite3_column_int64(stmt, i);
	if ((a->has_cost_actual = sqlite3_column_type(stmt, i + 1) != SQLITE_NULL))
		a->cost_actual = sqlite3_column_int64(stmt, i + 1);
	snprintf(a->currency, sizeof(a->currency), "%s", cur ? cur : "");
	a->funding_line = column_strdup(stmt, i + 4, oom);
	if (payer && coplan_payer_parse(&a->paid_by, &a->shares, &a->n_shares, payer))
		return coplan_error_last_code() == COPLAN_ENOMEM ? COPLAN_ENOMEM
		       : cp_error(COPLAN_ESTORE, "activity '%s': stored payer '%s' is damaged: %s",
		                  a->ref ? a->ref : "?", payer, coplan_error_last());
	return 0;
}

static int load_activities(sqlite_backend *st, sqlite3_int64 plan_id, coplan_plan *plan)
{
	sqlite3_stmt *stmt = NULL, *lists[2] = { NULL, NULL };
	char sql[512];
	int rc = 0, oom = 0;

	snprintf(sql, sizeof(sql), "SELECT %s, id, uuid FROM activity WHERE plan_id = ?1 ORDER BY position, id",
	         activity_columns);
	/* the two list queries prepared once for the whole plan, not once per activity */
	if ((rc = prepare(st, &stmt, sql)) ||
	    (rc = prepare(st, &lists[0], "SELECT nation FROM activity_participant WHERE activity_id = ?1 "
	                  "ORDER BY position")) ||
	    (rc = prepare(st, &lists[1], "SELECT unit FROM activity_unit WHERE activity_id = ?1 ORDER BY position")))
		goto done;
	sqlite3_bind_int64(stmt, 1, plan_id);
	while (!oom && row(st, stmt, &rc)) {
		coplan_activity *a;
		const char *host = (const char *)sqlite3_column_text(stmt, 4);
		const char *mode = (const char *)sqlite3_column_text(stmt, 6);
		const char *status = (const char *)sqlite3_column_text(stmt, 17);
		sqlite3_int64 id = sqlite3_column_int64(stmt, ACTIVITY_N);

		if ((rc = coplan_plan_add_activity(plan, &a)))
			break;
		if (sqlite3_column_text(stmt, ACTIVITY_N + 1))
			snprintf(a->uuid, sizeof(a->uuid), "%s", (const char *)sqlite3_column_text(stmt, ACTIVITY_N + 1));
		a->ref = column_strdup(stmt, 0, &oom);
		a->title = column_strdup(stmt, 1, &oom);
		a->area = column_strdup(stmt, 2, &oom);
		a->kind = column_strdup(stmt, 3, &oom);
		snprintf(a->host, sizeof(a->host), "%s", host ? host : "");
		a->duration = sqlite3_column_int(stmt, 5);
		a->day_mode = mode && !strcmp(mode, "calendar") ? COPLAN_DAYS_CALENDAR : COPLAN_DAYS_WORKING;
		a->earliest = column_date(stmt, 7);
		a->latest = column_date(stmt, 8);
		a->requested_from = column_date(stmt, 9);
		a->requested_to = column_date(stmt, 10);
		a->location = column_strdup(stmt, 11, &oom);
		a->notes = column_strdup(stmt, 12, &oom);
		a->start = column_date(stmt, 13);
		a->end = column_date(stmt, 14);
		a->pinned = sqlite3_column_int(stmt, 15);
		a->sequence = sqlite3_column_int(stmt, 16);
		if (status)
			coplan_activity_status_parse(&a->status, status);
		a->unplaced_reason = column_strdup(stmt, 18, &oom);
		a->label = column_strdup(stmt, 19, &oom);
		if ((rc = column_cost(stmt, 20, a, &oom)))
			break;
		for (int kind = 0; kind < 2 && !oom && !rc; kind++) {
			sqlite3_stmt *lst = lists[kind];

			sqlite3_reset(lst);
			sqlite3_bind_int64(lst, 1, id);
			while (!rc && row(st, lst, &rc)) {
				const char *v = (const char *)sqlite3_column_text(lst, 0);
				rc = kind == 0 ? coplan_activity_add_participant(a, v ? v : "")
				               : coplan_activity_add_unit(a, v ? v : "");
			}
		}
		if (rc)
			break;
	}
done:
	sqlite3_finalize(stmt);
	sqlite3_finalize(lists[0]);
	sqlite3_finalize(lists[1]);
	if (oom)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	return rc;
}

static int load_constraints(sqlite_backend *st, sqlite3_int64 plan_id, coplan_plan *plan)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = prepare(st, &stmt,
	                  "SELECT b.ref, a.ref, p.min_gap, p.max_gap, p.kind FROM precedence p "
	                  "JOIN activity b ON b.id = p.before_id JOIN activity a ON a.id = p.after_id "
	                  "WHERE p.plan_id = ?1 ORDER BY p.id")))
		return rc;
	sqlite3_bind_int64(stmt, 1, plan_id);
	while (!rc && row(st, stmt, &rc)) {
		const char *kind = (const char *)sqlite3_column_text(stmt, 4);

		rc = coplan_plan_add_precedence_kind(plan, (const char *)sqlite3_column_text(stmt, 0),
		                                     (const char *)sqlite3_column_text(stmt, 1),
		                                     sqlite3_column_int(stmt, 2), sqlite3_column_int(stmt, 3),
		                                     kind && !strcmp(kind, "after") ? COPLAN_PRECEDENCE_AFTER
		                                                                    : COPLAN_PRECEDENCE_REQUIRES);
	}
	sqlite3_finalize(stmt);
	if (rc)
		return rc;
	if ((rc = prepare(st, &stmt, "SELECT scope, date_from, date_to, hard, reason, label FROM blackout WHERE plan_id = ?1 ORDER BY id")))
		return rc;
	sqlite3_bind_int64(stmt, 1, plan_id);
	while (!rc && row(st, stmt, &rc)) {
		rc = coplan_plan_add_blackout(plan, (const char *)sqlite3_column_text(stmt, 0),
		                              column_date(stmt, 1), column_date(stmt, 2),
		                              sqlite3_column_int(stmt, 3),
		                              (const char *)sqlite3_column_text(stmt, 4));
		if (!rc && sqlite3_column_type(stmt, 5) != SQLITE_NULL &&
		    !(plan->blackouts[plan->n_blackouts - 1].label =
		              cp_strdup((const char *)sqlite3_column_text(stmt, 5))))
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
	}
	sqlite3_finalize(stmt);
	if (rc)
		return rc;
	if ((rc = prepare(st, &stmt, "SELECT nation, date, name FROM holiday WHERE plan_id = ?1 ORDER BY date, nation")))
		return rc;
	sqlite3_bind_int64(stmt, 1, plan_id);
	while (!rc && row(st, stmt, &rc))
		rc = coplan_plan_add_holiday(plan, (const char *)sqlite3_column_text(stmt, 0),
		                             column_date(stmt, 1), (const char *)sqlite3_column_text(stmt, 2));
	sqlite3_finalize(stmt);
	if (rc)
		return rc;
	if ((rc = prepare(st, &stmt, "SELECT nation, days FROM weekend WHERE plan_id = ?1 ORDER BY nation")))
		return rc;
	sqlite3_bind_int64(stmt, 1, plan_id);
	while (!rc && row(st, stmt, &rc))
		rc = coplan_plan_set_weekend(plan, (const char *)sqlite3_column_text(stmt, 0),
		                             (unsigned)sqlite3_column_int(stmt, 1));
	sqlite3_finalize(stmt);
	if (rc)
		return rc;
	if ((rc = prepare(st, &stmt, "SELECT nation, year, funding_line, currency, amount FROM budget "
	                  "WHERE plan_id = ?1 ORDER BY id")))
		return rc;
	sqlite3_bind_int64(stmt, 1, plan_id);
	while (!rc && row(st, stmt, &rc))
		rc = coplan_plan_set_budget(plan, (const char *)sqlite3_column_text(stmt, 0),
		                            sqlite3_column_int(stmt, 1),
		                            (const char *)sqlite3_column_text(stmt, 2),
		                            (const char *)sqlite3_column_text(stmt, 3),
		                            sqlite3_column_int64(stmt, 4));
	sqlite3_finalize(stmt);
	if (rc)
		return rc;
	if ((rc = prepare(st, &stmt, "SELECT from_currency, to_currency, rate, valid_from FROM "
	                  "exchange_rate WHERE plan_id = ?1 ORDER BY id")))
		return rc;
	sqlite3_bind_int64(stmt, 1, plan_id);
	while (!rc && row(st, stmt, &rc))
		rc = coplan_plan_add_rate(plan, (const char *)sqlite3_column_text(stmt, 0),
		                          (const char *)sqlite3_column_text(stmt, 1),
		                          (const char *)sqlite3_column_text(stmt, 2), column_date(stmt, 3));
	sqlite3_finalize(stmt);
	return rc;
}

static int load_plan(sqlite_backend *st, long plan_id, coplan_plan **out, long *plan_id_out)
{
	coplan_plan *plan = NULL;
	sqlite3_stmt *stmt = NULL;
	sqlite3_int64 id, talks_id = 0;
	int rc, oom = 0, have_talks;

	if ((rc = prepare(st, &stmt, plan_id > 0
	                  ? "SELECT id, title, year, window_from, window_to, talks_id, uuid, deleted_at, label FROM plan WHERE id = ?1"
	                  : "SELECT id, title, year, window_from, window_to, talks_id, uuid, deleted_at, label FROM plan "
	                    "WHERE deleted_at IS NULL ORDER BY id DESC LIMIT 1")))
		return rc;
	if (plan_id > 0)
		sqlite3_bind_int64(stmt, 1, plan_id);
	if (!row(st, stmt, &rc)) {
		sqlite3_finalize(stmt);
		if (rc)
			return rc;
		if (plan_id > 0)
			return cp_error(COPLAN_ENOTFOUND, "%s: no plan %ld", st->path, plan_id);
		return cp_error(COPLAN_ENOTFOUND, "%s: no plan yet (import one first: coplan import plan.json)",
		                st->path);
	}
	if (sqlite3_column_type(stmt, 7) != SQLITE_NULL) {
		rc = cp_error(COPLAN_ENOTFOUND, "%s: plan %ld was deleted on %s", st->path, plan_id,
		              (const char *)sqlite3_column_text(stmt, 7));
		sqlite3_finalize(stmt);
		return rc;
	}
	if ((rc = coplan_plan_new(&plan))) {
		sqlite3_finalize(stmt);
		return rc;
	}
	id = sqlite3_column_int64(stmt, 0);
	plan->title = column_strdup(stmt, 1, &oom);
	plan->year = sqlite3_column_int(stmt, 2);
	plan->window_from = column_date(stmt, 3);
	plan->window_to = column_date(stmt, 4);
	plan->label = column_strdup(stmt, 8, &oom);
	have_talks = sqlite3_column_type(stmt, 5) != SQLITE_NULL;
	if (sqlite3_column_text(stmt, 6))
		snprintf(plan->uuid, sizeof(plan->uuid), "%s", (const char *)sqlite3_column_text(stmt, 6));
	if (have_talks)
		talks_id = sqlite3_column_int64(stmt, 5);
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (oom) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	if ((rc = prepare(st, &stmt, "SELECT nation FROM plan_nation WHERE plan_id = ?1 ORDER BY position")))
		goto cleanup;
	sqlite3_bind_int64(stmt, 1, id);
	while (!rc && row(st, stmt, &rc))
		rc = coplan_plan_add_nation(plan, (const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	if (rc)
		goto cleanup;
	if (have_talks && (rc = load_talks(st, talks_id, plan)))
		goto cleanup;
	if ((rc = load_activities(st, id, plan)))
		goto cleanup;
	rc = load_constraints(st, id, plan);
cleanup:
	if (rc) {
		coplan_plan_free(plan);
		return rc;
	}
	*out = plan;
	if (plan_id_out)
		*plan_id_out = (long)id;
	return 0;
}

static int be_foreach_plan(coplan_store_backend *be,
                           int (*fn)(long id, const char *title, int year, void *payload),
                           void *payload)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = prepare(st, &stmt, "SELECT id, title, year FROM plan WHERE deleted_at IS NULL ORDER BY id")))
		return rc;
	while (!rc && row(st, stmt, &rc)) {
		rc = fn((long)sqlite3_column_int64(stmt, 0), (const char *)sqlite3_column_text(stmt, 1),
		        sqlite3_column_int(stmt, 2), payload);
		if (rc)
			break;
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int apply_status(sqlite_backend *st, long plan_id, const coplan_status_change *c,
                        const char *nation)
{
	sqlite3_stmt *stmt = NULL;
	sqlite3_int64 id = 0;   /* set by activity_id_by_ref(); GCC's -O2 cannot see it */
	int rc, seq = 0;

	rc = activity_id_by_ref(st, plan_id, c->ref, &id, &seq);
	if (rc == COPLAN_ENOTFOUND)
		return cp_error(COPLAN_ENOTFOUND, "plan %ld has no activity '%s'", plan_id, c->ref);
	if (rc)
		return rc;
	if ((rc = prepare(st, &stmt, c->status == COPLAN_STATUS_POSTPONED
	                  ? "UPDATE activity SET status = ?1, sequence = sequence + 1, start_date = ?3, end_date = ?4 WHERE id = ?2"
	                  : "UPDATE activity SET status = ?1, sequence = sequence + 1 WHERE id = ?2")))
		return rc;
	sqlite3_bind_text(stmt, 1, coplan_activity_status_name(c->status), -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, id);
	if (c->status == COPLAN_STATUS_POSTPONED) {
		bind_date(stmt, 3, c->start);
		bind_date(stmt, 4, c->end);
	}
	rc = step_done(st, stmt, "cannot update the activity's status");
	sqlite3_finalize(stmt);
	if (rc)
		return rc;
	if ((rc = prepare(st, &stmt,
	                  "INSERT INTO activity_event (plan_id, ref, author, status, start_date, end_date, reason, "
	                  "author_nation, activity_uuid) "
	                  "SELECT plan_id, ref, ?2, status, start_date, end_date, ?3, ?4, uuid FROM activity "
	                  "WHERE id = ?1")))
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_text(stmt, 2, c->author, -1, SQLITE_TRANSIENT);
	bind_text(stmt, 3, c->reason && *c->reason ? c->reason : NULL);
	bind_text(stmt, 4, nation && *nation ? nation : NULL);
	rc = step_done(st, stmt, "cannot record the status change");
	sqlite3_finalize(stmt);
	return rc;
}

static int be_status_apply(coplan_store_backend *be, long plan_id, const coplan_status_change *c,
                           const char *nation)
{
	return apply_status((sqlite_backend *)be, plan_id, c, nation);
}

static int be_history(coplan_store_backend *be, long plan_id, const char *ref,
                      coplan_activity_event **out, size_t *n)
{
	sqlite_backend *st = (sqlite_backend *)be;
	coplan_activity_event *events = NULL;
	sqlite3_stmt *stmt = NULL;
	size_t count = 0, cap = 0;
	int rc, oom = 0;

	if ((rc = prepare(st, &stmt,
	                  "SELECT ref, at, author, status, start_date, end_date, reason, action, "
	                  "activity_uuid, detail, author_nation FROM activity_event "
	                  "WHERE plan_id = ?1 AND (?2 IS NULL OR ref = ?2) ORDER BY id")))
		return rc;
	sqlite3_bind_int64(stmt, 1, plan_id);
	bind_text(stmt, 2, ref);
	while (!oom && row(st, stmt, &rc)) {
		coplan_activity_event *e;
		const char *at = (const char *)sqlite3_column_text(stmt, 1);
		const char *status = (const char *)sqlite3_column_text(stmt, 3);

		if (cp_grow((void **)&events, &cap, count + 1, sizeof(*events))) {
			oom = 1;
			break;
		}
		e = &events[count++];
		memset(e, 0, sizeof(*e));
		e->ref = column_strdup(stmt, 0, &oom);
		snprintf(e->at, sizeof(e->at), "%s", at ? at : "");
		e->author = column_strdup(stmt, 2, &oom);
		if (status)
			coplan_activity_status_parse(&e->status, status);
		e->start = column_date(stmt, 4);
		e->end = column_date(stmt, 5);
		e->reason = column_strdup(stmt, 6, &oom);
		column_nation(stmt, 10, e->nation);
		if (sqlite3_column_type(stmt, 7) != SQLITE_NULL &&
		    coplan_event_action_parse(&e->action, (const char *)sqlite3_column_text(stmt, 7))) {
			rc = cp_error(COPLAN_ESTORE, "%s: plan %ld: a history entry with an unknown action '%s'",
			              st->path, plan_id, (const char *)sqlite3_column_text(stmt, 7));
			break;
		}
		if (sqlite3_column_text(stmt, 8))
			snprintf(e->uuid, sizeof(e->uuid), "%s", (const char *)sqlite3_column_text(stmt, 8));
		e->detail = column_strdup(stmt, 9, &oom);
	}
	sqlite3_finalize(stmt);
	if (oom || rc) {
		coplan_activity_events_free(events, count);
		return rc ? rc : cp_error(COPLAN_ENOMEM, "out of memory");
	}
	*out = events;
	*n = count;
	return 0;
}

static int be_history_append(coplan_store_backend *be, long plan_id, const coplan_activity_event *e)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = prepare(st, &stmt,
	                  "INSERT INTO activity_event (plan_id, ref, author, status, start_date, end_date, reason, "
	                  "action, activity_uuid, detail, author_nation) "
	                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")))
		return rc;
	sqlite3_bind_int64(stmt, 1, plan_id);
	bind_text(stmt, 2, e->ref);
	bind_text(stmt, 3, e->author);
	sqlite3_bind_text(stmt, 4, coplan_activity_status_name(e->status), -1, SQLITE_STATIC);
	bind_date(stmt, 5, e->start);
	bind_date(stmt, 6, e->end);
	bind_text(stmt, 7, e->reason && *e->reason ? e->reason : NULL);
	bind_text(stmt, 8, e->action == COPLAN_EVENT_STATUS ? NULL : coplan_event_action_name(e->action));
	bind_text(stmt, 9, *e->uuid ? e->uuid : NULL);
	bind_text(stmt, 10, e->detail && *e->detail ? e->detail : NULL);
	bind_text(stmt, 11, *e->nation ? e->nation : NULL);
	rc = step_done(st, stmt, "cannot record the change in the history");
	sqlite3_finalize(stmt);
	return rc;
}

static int be_version_insert(coplan_store_backend *be, long plan_id, int number,
                             coplan_version_state state, const char *author, const char *nation,
                             const char *note, const char *snapshot, size_t len, const char *sha256)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (len > INT_MAX)
		return cp_error(COPLAN_ELIMIT, "%s: a plan version of %zu bytes is too large", st->path, len);
	if ((rc = prepare(st, &stmt, "INSERT INTO plan_version (plan_id, number, state, author, note, "
	                  "snapshot, snapshot_sha256, author_nation) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")))
		return rc;
	bind_text(stmt, 8, nation && *nation ? nation : NULL);
	bind_text(stmt, 7, sha256);
	sqlite3_bind_int64(stmt, 1, plan_id);
	sqlite3_bind_int(stmt, 2, number);
	sqlite3_bind_text(stmt, 3, coplan_version_state_name(state), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, author, -1, SQLITE_TRANSIENT);
	bind_text(stmt, 5, note && *note ? note : NULL);
	sqlite3_bind_text(stmt, 6, snapshot, (int)len, SQLITE_TRANSIENT);
	rc = step_done(st, stmt, "cannot save the plan version");
	sqlite3_finalize(stmt);
	return rc;
}

static int be_versions(coplan_store_backend *be, long plan_id, coplan_plan_version **out, size_t *n)
{
	sqlite_backend *st = (sqlite_backend *)be;
	coplan_plan_version *v = NULL;
	sqlite3_stmt *stmt = NULL;
	size_t count = 0, cap = 0;
	int rc, oom = 0;

	if ((rc = prepare(st, &stmt, "SELECT number, state, created_at, author, note, snapshot_sha256, "
	                  "author_nation FROM plan_version WHERE plan_id = ?1 ORDER BY number")))
		return rc;
	sqlite3_bind_int64(stmt, 1, plan_id);
	while (!oom && row(st, stmt, &rc)) {
		const char *at = (const char *)sqlite3_column_text(stmt, 2);
		coplan_plan_version *e;

		if (cp_grow((void **)&v, &cap, count + 1, sizeof(*v))) {
			oom = 1;
			break;
		}
		e = &v[count++];
		memset(e, 0, sizeof(*e));
		e->number = sqlite3_column_int(stmt, 0);
		if (coplan_version_state_parse(&e->state, (const char *)sqlite3_column_text(stmt, 1))) {
			rc = cp_error(COPLAN_ESTORE, "%s: plan %ld: version %d has an unknown state",
			              st->path, plan_id, e->number);
			break;
		}
		snprintf(e->created_at, sizeof(e->created_at), "%s", at ? at : "");
		e->author = column_strdup(stmt, 3, &oom);
		e->note = column_strdup(stmt, 4, &oom);
		column_sha256(stmt, 5, e->sha256);
		column_nation(stmt, 6, e->nation);
	}
	sqlite3_finalize(stmt);
	if (oom || rc) {
		coplan_plan_versions_free(v, count);
		return rc ? rc : cp_error(COPLAN_ENOMEM, "out of memory");
	}
	*out = v;
	*n = count;
	return 0;
}

static int be_version_snapshot(coplan_store_backend *be, long plan_id, int number, char **snapshot,
                               size_t *len, int *number_out, char sha256[65])
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc = 0, oom = 0;

	*snapshot = NULL;
	if (sha256)
		sha256[0] = '\0';
	if ((rc = prepare(st, &stmt, number > 0
	                  ? "SELECT snapshot, number, snapshot_sha256 FROM plan_version WHERE plan_id = ?1 AND number = ?2"
	                  : "SELECT snapshot, number, snapshot_sha256 FROM plan_version WHERE plan_id = ?1 "
	                    "AND state = 'signed' ORDER BY number DESC LIMIT 1")))
		return rc;
	sqlite3_bind_int64(stmt, 1, plan_id);
	if (number > 0)
		sqlite3_bind_int(stmt, 2, number);
	if (!row(st, stmt, &rc)) {
		sqlite3_finalize(stmt);
		if (rc)
			return rc;
		if (number > 0)
			return cp_error(COPLAN_ENOTFOUND, "plan %ld has no version %d", plan_id, number);
		return cp_error(COPLAN_ENOTFOUND, "plan %ld has no signed version", plan_id);
	}
	*snapshot = column_bytes_dup(stmt, 0, len, &oom);
	if (number_out)
		*number_out = sqlite3_column_int(stmt, 1);
	column_sha256(stmt, 2, sha256);
	sqlite3_finalize(stmt);
	if (oom || !*snapshot) {
		free(*snapshot);
		*snapshot = NULL;
		return oom ? cp_error(COPLAN_ENOMEM, "out of memory")
		           : cp_error(COPLAN_ESTORE, "%s: plan %ld: a version without its snapshot", st->path, plan_id);
	}
	return 0;
}

static int be_delete_plan(coplan_store_backend *be, long plan_id, const char *by)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc = 0, recorded = 0;

	/* a plan with versions or a history stays in the record, marked deleted; others go */
	if ((rc = prepare(st, &stmt, "SELECT (SELECT count(*) FROM plan_version WHERE plan_id = ?1) + "
	                  "(SELECT count(*) FROM activity_event WHERE plan_id = ?1)")))
		return rc;
	sqlite3_bind_int64(stmt, 1, plan_id);
	if (row(st, stmt, &rc))
		recorded = sqlite3_column_int(stmt, 0) > 0;
	sqlite3_finalize(stmt);
	if (rc)
		return rc;
	if ((rc = prepare(st, &stmt, recorded
	                  ? "UPDATE plan SET deleted_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), deleted_by = ?2 "
	                    "WHERE id = ?1 AND deleted_at IS NULL"
	                  : "DELETE FROM plan WHERE id = ?1")))
		return rc;
	sqlite3_bind_int64(stmt, 1, plan_id);
	if (recorded)
		sqlite3_bind_text(stmt, 2, by, -1, SQLITE_TRANSIENT);
	rc = step_done(st, stmt, "cannot delete the plan");
	sqlite3_finalize(stmt);
	return rc;
}

static int be_load_plan(coplan_store_backend *be, long plan_id, coplan_plan **out, long *plan_id_out)
{
	return load_plan((sqlite_backend *)be, plan_id, out, plan_id_out);
}

/* ---- the file itself: check, backup, restore ------------------------------ */

static void problem(void (*fn)(const char *, void *), void *payload, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(void (*fn)(const char *, void *), void *payload, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	fn(text, payload);
}

/* The schema row (type, name): 1 and its SQL in sql (borrowed until the next call) when found. */
static int schema_row(sqlite_backend *st, sqlite3_stmt *stmt, const char *type, const char *name,
                      const char **sql, int *rc)
{
	sqlite3_reset(stmt);
	sqlite3_bind_text(stmt, 1, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
	if (!row(st, stmt, rc))
		return 0;
	*sql = (const char *)sqlite3_column_text(stmt, 0);
	return 1;
}

static int be_check(coplan_store_backend *be, int quick, void (*fn)(const char *, void *), void *payload)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	const char *sql;
	int rc = 0, version = 0, ok = 0;

	/* the pages and indexes: each line SQLite finds wrong (at most 100) */
	if (sqlite3_prepare_v2(st->db, quick ? "PRAGMA quick_check(100)" : "PRAGMA integrity_check(100)",
	                       -1, &stmt, NULL) != SQLITE_OK) {
		problem(fn, payload, "the file cannot be checked: %s", sqlite3_errmsg(st->db));
		return 0;
	}
	while (row(st, stmt, &rc)) {
		const char *line = (const char *)sqlite3_column_text(stmt, 0);

		if (line && !strcmp(line, "ok"))
			ok = 1;
		else
			problem(fn, payload, "damaged: %s", line ? line : "(no text)");
	}
	sqlite3_finalize(stmt);
	if (rc) {
		problem(fn, payload, "damaged: the integrity check stopped: %s", sqlite3_errmsg(st->db));
		return 0;
	}
	(void)ok;
	/* the schema this coplan writes */
	if (user_version(st, &version))
		problem(fn, payload, "the schema version cannot be read: %s", sqlite3_errmsg(st->db));
	else if (version != coplan_store_schema_version())
		problem(fn, payload, "schema version %d, expected %d", version, coplan_store_schema_version());
	if (sqlite3_prepare_v2(st->db, "SELECT sql FROM sqlite_schema WHERE type = ?1 AND name = ?2", -1,
	                       &stmt, NULL) != SQLITE_OK) {
		problem(fn, payload, "the schema cannot be read: %s", sqlite3_errmsg(st->db));
		return 0;
	}
	for (size_t i = 0; i < CP_ARRAY_SIZE(expected_tables) && !rc; i++)
		if (!schema_row(st, stmt, "table", expected_tables[i], &sql, &rc) && !rc)
			problem(fn, payload, "table %s is missing", expected_tables[i]);
	for (size_t i = 0; i < CP_ARRAY_SIZE(expected_triggers) && !rc; i++) {
		if (!schema_row(st, stmt, "trigger", expected_triggers[i].name, &sql, &rc)) {
			if (!rc)
				problem(fn, payload, "trigger %s is missing: the table it guards could have been "
				        "changed outside coplan", expected_triggers[i].name);
		} else if (!sql || strcmp(sql, expected_triggers[i].sql)) {
			problem(fn, payload, "trigger %s is not coplan's: the table it guards could have been "
			        "changed outside coplan", expected_triggers[i].name);
		}
	}
	if (rc)
		problem(fn, payload, "the schema cannot be read: %s", sqlite3_errmsg(st->db));
	sqlite3_finalize(stmt);
	rc = 0;
	/* a trigger coplan did not write, on a table it keeps append-only */
	if (sqlite3_prepare_v2(st->db, "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND "
	                       "tbl_name IN ('plan_version', 'activity_event')", -1, &stmt, NULL) == SQLITE_OK) {
		while (row(st, stmt, &rc)) {
			const char *name = (const char *)sqlite3_column_text(stmt, 0);
			int known = 0;

			for (size_t i = 0; i < CP_ARRAY_SIZE(expected_triggers) && name && !known; i++)
				known = !strcmp(name, expected_triggers[i].name);
			if (!known)
				problem(fn, payload, "trigger %s is not coplan's", name ? name : "(no name)");
		}
		sqlite3_finalize(stmt);
	}
	if (quick)
		return 0;
	/* rows that point at rows that are gone */
	rc = 0;
	if (sqlite3_prepare_v2(st->db, "PRAGMA foreign_key_check", -1, &stmt, NULL) == SQLITE_OK) {
		while (row(st, stmt, &rc))
			problem(fn, payload, "table %s, row %lld: refers to a missing row of %s",
			        (const char *)sqlite3_column_text(stmt, 0),
			        (long long)sqlite3_column_int64(stmt, 1),
			        (const char *)sqlite3_column_text(stmt, 2));
		sqlite3_finalize(stmt);
		if (rc)
			problem(fn, payload, "the references cannot be checked: %s", sqlite3_errmsg(st->db));
	}
	return 0;
}

/* Copy database src (schema main) into dst whole; SQLite's online backup, retried while busy. */
static int copy_database(sqlite3 *dst, sqlite3 *src, int busy_ms)
{
	sqlite3_backup *bk = sqlite3_backup_init(dst, "main", src, "main");
	int s, waited = 0;

	if (!bk)
		return sqlite3_errcode(dst);
	/* -1: every page in one step, under one read transaction of src: a consistent copy */
	while ((s = sqlite3_backup_step(bk, -1)) == SQLITE_BUSY || s == SQLITE_LOCKED) {
		if (waited >= busy_ms)
			break;
		sqlite3_sleep(50);
		waited += 50;
	}
	sqlite3_backup_finish(bk);
	return s == SQLITE_DONE ? SQLITE_OK : s;
}

/* Flush path's bytes to the disk.  0 or COPLAN_EIO. */
static int fsync_path(const char *path)
{
	int fd = open(path, O_RDONLY), rc = 0;

	if (fd < 0)
		return cp_error(COPLAN_EIO, "%s: cannot open: %s", path, strerror(errno));
	if (fsync(fd) != 0)
		rc = cp_error(COPLAN_EIO, "%s: cannot sync: %s", path, strerror(errno));
	close(fd);
	return rc;
}

static int be_publish(coplan_store_backend *be, const char *nation, char name[64])
{
	(void)nation;
	name[0] = '\0';
	return cp_error(COPLAN_EUSAGE, "%s: an SQLite database has no publications: per-nation replication is "
	                "PostgreSQL's (--db postgresql://...; docs/deploy.md)", ((sqlite_backend *)be)->path);
}

static int be_backup(coplan_store_backend *be, const char *path)
{
	sqlite_backend *st = (sqlite_backend *)be;
	struct stat a, b;
	sqlite3 *dst = NULL;
	char *tmp = NULL;
	int fd, s, rc = 0;

	if (!path || !*path)
		return cp_error(COPLAN_EUSAGE, "no backup file given");
	if (stat(path, &a) == 0 && stat(st->path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return cp_error(COPLAN_EUSAGE, "%s: is the database itself: back it up to another file", path);
	if (!(tmp = malloc(strlen(path) + 16)))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	snprintf(tmp, strlen(path) + 16, "%s.tmpXXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		rc = cp_error(COPLAN_EIO, "%s: cannot create: %s", path, strerror(errno));
		free(tmp);
		return rc;
	}
	close(fd);
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		rc = cp_error(COPLAN_ESTORE, "%s: cannot write a database there: %s", path,
		              dst ? sqlite3_errmsg(dst) : "out of memory");
		goto done;
	}
	sqlite3_extended_result_codes(dst, 1);
	if ((s = copy_database(dst, st->db, st->busy_ms)) != SQLITE_OK) {
		if ((s & 0xff) == SQLITE_BUSY || (s & 0xff) == SQLITE_LOCKED)
			rc = cp_error(COPLAN_ESTORE, "%s: cannot back up: the database stayed busy for %d ms; "
			              "try again", st->path, st->busy_ms);
		else if (disk_full(dst) || disk_full(st->db))
			rc = cp_error(COPLAN_ESTORE, "%s: cannot back up: the disk is full", path);
		else
			rc = cp_error(COPLAN_ESTORE, "%s: cannot back up to %s: %s", st->path, path,
			              sqlite3_errstr(s));
		goto done;
	}
	/* a copy that stands alone: no -wal file beside it to lose */
	if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
		rc = cp_error(COPLAN_ESTORE, "%s: cannot finish the backup: %s", path, sqlite3_errmsg(dst));
		goto done;
	}
	if (sqlite3_close(dst) != SQLITE_OK) {
		rc = cp_error(COPLAN_ESTORE, "%s: cannot close the backup", path);
		dst = NULL;
		goto done;
	}
	dst = NULL;
	if ((rc = fsync_path(tmp)))
		goto done;
	if (rename(tmp, path) != 0) {
		rc = cp_error(COPLAN_EIO, "%s: cannot replace: %s", path, strerror(errno));
		goto done;
	}
	rc = cp_fsync_dir_of(path);
	free(tmp);
	return rc;
done:
	sqlite3_close(dst);
	unlink(tmp);
	free(tmp);
	return rc;
}

static int be_restore(coplan_store_backend *be, const char *path)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3 *src = NULL;
	int s, rc = 0;

	if (st->base.readonly)
		return cp_error(COPLAN_ESTORE, "%s: the database is read-only (file or folder): "
		                "nothing can be restored into it", st->path);
	if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		rc = cp_error(COPLAN_ESTORE, "%s: cannot open: %s", path, src ? sqlite3_errmsg(src) : "out of memory");
		sqlite3_close(src);
		return rc;
	}
	sqlite3_busy_timeout(src, st->busy_ms);
	/* the destination's pages are replaced in one write transaction: whole or not at all */
	if ((s = copy_database(st->db, src, st->busy_ms)) != SQLITE_OK) {
		if ((s & 0xff) == SQLITE_BUSY || (s & 0xff) == SQLITE_LOCKED)
			rc = cp_error(COPLAN_ESTORE, "%s: cannot restore: the database stayed busy for %d ms; "
			              "nothing was changed, try again", st->path, st->busy_ms);
		else if (disk_full(st->db))
			rc = cp_error(COPLAN_ESTORE, "%s: cannot restore: the disk is full; nothing was changed",
			              st->path);
		else
			rc = cp_error(COPLAN_ESTORE, "%s: cannot restore from %s: %s; nothing was changed",
			              st->path, path, sqlite3_errstr(s));
	}
	sqlite3_close(src);
	return rc;
}

static int be_seal_get(coplan_store_backend *be, long plan_id, char content[65], char history[65])
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	content[0] = history[0] = '\0';
	if ((rc = prepare(st, &stmt, "SELECT content_sha256, history_sha256 FROM plan WHERE id = ?1")))
		return rc;
	sqlite3_bind_int64(stmt, 1, plan_id);
	if (row(st, stmt, &rc)) {
		column_sha256(stmt, 0, content);
		column_sha256(stmt, 1, history);
	} else if (!rc) {
		rc = cp_error(COPLAN_ENOTFOUND, "no plan %ld", plan_id);
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int be_seal_set(coplan_store_backend *be, long plan_id, const char *content, const char *history)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = prepare(st, &stmt, "UPDATE plan SET content_sha256 = coalesce(?2, content_sha256), "
	                  "history_sha256 = coalesce(?3, history_sha256) WHERE id = ?1")))
		return rc;
	sqlite3_bind_int64(stmt, 1, plan_id);
	bind_text(stmt, 2, content);
	bind_text(stmt, 3, history);
	rc = step_done(st, stmt, "cannot seal the plan");
	sqlite3_finalize(stmt);
	if (!rc && sqlite3_changes(st->db) != 1)
		rc = cp_error(COPLAN_ENOTFOUND, "no plan %ld", plan_id);
	return rc;
}

/* ---- accounts, roles, sessions, failed logins, feed tokens ----------------- */

/* Times of these tables: UTC ISO 8601 text in, seconds since the epoch out, converted by SQLite. */
#define SQL_TIME(param) "strftime('%Y-%m-%dT%H:%M:%SZ', " param ", 'unixepoch')"
#define SQL_EPOCH(column) "CAST(strftime('%s', " column ") AS INTEGER)"

static const char *const role_names[] = { NULL, "viewer", "reviewer", "planner", "owner" };

static coplan_plan_role role_from_text(const char *s)
{
	for (int r = COPLAN_PLAN_ROLE_VIEWER; r <= COPLAN_PLAN_ROLE_OWNER; r++)
		if (s && !strcmp(s, role_names[r]))
			return (coplan_plan_role)r;
	return COPLAN_PLAN_ROLE_NONE;
}

/* The account of the current row (id, name, nation, display_name, disabled, is_admin) into *a. */
static void column_account(sqlite3_stmt *stmt, coplan_account *a, int *oom)
{
	const char *name = (const char *)sqlite3_column_text(stmt, 1);

	memset(a, 0, sizeof(*a));
	a->id = (long)sqlite3_column_int64(stmt, 0);
	snprintf(a->name, sizeof(a->name), "%s", name ? name : "");
	column_nation(stmt, 2, a->nation);
	if (!(a->display_name = column_strdup(stmt, 3, oom)) && !*oom && !(a->display_name = cp_strdup("")))
		*oom = 1;
	a->disabled = sqlite3_column_int(stmt, 4) != 0;
	a->is_admin = sqlite3_column_int(stmt, 5) != 0;
	if (sqlite3_column_text(stmt, 7))
		snprintf(a->clearance, sizeof(a->clearance), "%s", (const char *)sqlite3_column_text(stmt, 7));
	if (sqlite3_column_text(stmt, 8))
		snprintf(a->caveats, sizeof(a->caveats), "%s", (const char *)sqlite3_column_text(stmt, 8));
}

static int be_account_insert(coplan_store_backend *be, const coplan_account *a, const char *hash,
                             time_t created, long *id)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc, s;

	if ((rc = prepare(st, &stmt, "INSERT INTO account (name, nation, display_name, password_hash, "
	                  "disabled, is_admin, created, clearance, caveats) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	                  SQL_TIME("?7") ", ?8, ?9)")))
		return rc;
	if (*a->clearance)
		sqlite3_bind_text(stmt, 8, a->clearance, -1, SQLITE_TRANSIENT);
	if (*a->caveats)
		sqlite3_bind_text(stmt, 9, a->caveats, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 1, a->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, a->nation, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, a->display_name ? a->display_name : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 4, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(stmt, 5, a->disabled != 0);
	sqlite3_bind_int(stmt, 6, a->is_admin != 0);
	sqlite3_bind_int64(stmt, 7, (sqlite3_int64)created);
	s = sqlite3_step(stmt);
	if (s == SQLITE_DONE) {
		if (id)
			*id = (long)sqlite3_last_insert_rowid(st->db);
	} else if (sqlite3_extended_errcode(st->db) == SQLITE_CONSTRAINT_UNIQUE) {
		rc = cp_error(COPLAN_EEXISTS, "user '%s' exists already", a->name);
	} else {
		rc = db_error(st, "cannot add the user");
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int be_account_get(coplan_store_backend *be, long id, const char *name, coplan_account *out,
                          char **hash)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc, oom = 0;

	memset(out, 0, sizeof(*out));
	if (hash)
		*hash = NULL;
	if ((rc = prepare(st, &stmt, id > 0
	                  ? "SELECT id, name, nation, display_name, disabled, is_admin, password_hash, "
	                    "clearance, caveats FROM account WHERE id = ?1"
	                  : "SELECT id, name, nation, display_name, disabled, is_admin, password_hash, "
	                    "clearance, caveats FROM account WHERE name = ?2")))
		return rc;
	if (id > 0)
		sqlite3_bind_int64(stmt, 1, id);
	else
		bind_text(stmt, 2, name);
	if (!row(st, stmt, &rc)) {
		sqlite3_finalize(stmt);
		if (rc)
			return rc;
		if (id > 0)
			return cp_error(COPLAN_ENOTFOUND, "no user %ld", id);
		return cp_error(COPLAN_ENOTFOUND, "no user '%s'", name ? name : "");
	}
	column_account(stmt, out, &oom);
	if (hash && !oom && !(*hash = column_strdup(stmt, 6, &oom)) && !oom)
		rc = cp_error(COPLAN_ESTORE, "%s: user '%s' has no password", st->path, out->name);
	sqlite3_finalize(stmt);
	if (oom || rc) {
		free(out->display_name);
		out->display_name = NULL;
		if (hash) {
			free(*hash);
			*hash = NULL;
		}
		return rc ? rc : cp_error(COPLAN_ENOMEM, "out of memory");
	}
	return 0;
}

static int be_accounts(coplan_store_backend *be, coplan_account **out, size_t *n)
{
	sqlite_backend *st = (sqlite_backend *)be;
	coplan_account *v = NULL;
	sqlite3_stmt *stmt = NULL;
	size_t count = 0, cap = 0;
	int rc, oom = 0;

	*out = NULL;
	*n = 0;
	if ((rc = prepare(st, &stmt, "SELECT id, name, nation, display_name, disabled, is_admin, NULL, "
	                  "clearance, caveats FROM account ORDER BY name")))
		return rc;
	while (!oom && row(st, stmt, &rc)) {
		if (cp_grow((void **)&v, &cap, count + 1, sizeof(*v))) {
			oom = 1;
			break;
		}
		column_account(stmt, &v[count++], &oom);
	}
	sqlite3_finalize(stmt);
	if (oom || rc) {
		coplan_accounts_free(v, count);
		return rc ? rc : cp_error(COPLAN_ENOMEM, "out of memory");
	}
	*out = v;
	*n = count;
	return 0;
}

static int be_account_update(coplan_store_backend *be, long id, const char *hash, int disabled)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = prepare(st, &stmt, "UPDATE account SET password_hash = coalesce(?2, password_hash), "
	                  "disabled = coalesce(?3, disabled) WHERE id = ?1")))
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	bind_text(stmt, 2, hash);
	if (disabled >= 0)
		sqlite3_bind_int(stmt, 3, disabled != 0);
	else
		sqlite3_bind_null(stmt, 3);
	rc = step_done(st, stmt, "cannot change the user");
	sqlite3_finalize(stmt);
	if (!rc && sqlite3_changes(st->db) != 1)
		rc = cp_error(COPLAN_ENOTFOUND, "no user %ld", id);
	return rc;
}

static int be_role_set(coplan_store_backend *be, long plan_id, long account_id, coplan_plan_role role)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (role < COPLAN_PLAN_ROLE_NONE || role > COPLAN_PLAN_ROLE_OWNER)
		return cp_error(COPLAN_EINVALID, "role %d is none of coplan's", (int)role);
	if ((rc = prepare(st, &stmt, "DELETE FROM plan_role WHERE plan_id = ?1 AND account_id = ?2")))
		return rc;
	sqlite3_bind_int64(stmt, 1, plan_id);
	sqlite3_bind_int64(stmt, 2, account_id);
	rc = step_done(st, stmt, "cannot change the role");
	sqlite3_finalize(stmt);
	if (rc)
		return rc;
	if (role == COPLAN_PLAN_ROLE_NONE) {
		if ((rc = prepare(st, &stmt, "DELETE FROM feed_token WHERE plan_id = ?1 AND account_id = ?2")))
			return rc;
	} else {
		if ((rc = prepare(st, &stmt, "INSERT INTO plan_role (plan_id, account_id, role) VALUES (?1, ?2, ?3)")))
			return rc;
		sqlite3_bind_text(stmt, 3, role_names[role], -1, SQLITE_STATIC);
	}
	sqlite3_bind_int64(stmt, 1, plan_id);
	sqlite3_bind_int64(stmt, 2, account_id);
	rc = step_done(st, stmt, "cannot change the role");
	sqlite3_finalize(stmt);
	return rc;
}

static int be_role_get(coplan_store_backend *be, long plan_id, long account_id, coplan_plan_role *role)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	*role = COPLAN_PLAN_ROLE_NONE;
	if ((rc = prepare(st, &stmt, "SELECT role FROM plan_role WHERE plan_id = ?1 AND account_id = ?2")))
		return rc;
	sqlite3_bind_int64(stmt, 1, plan_id);
	sqlite3_bind_int64(stmt, 2, account_id);
	if (row(st, stmt, &rc))
		*role = role_from_text((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return rc;
}

static int be_roles(coplan_store_backend *be, long plan_id, coplan_role_grant **out, size_t *n)
{
	sqlite_backend *st = (sqlite_backend *)be;
	coplan_role_grant *v = NULL;
	sqlite3_stmt *stmt = NULL;
	size_t count = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = prepare(st, &stmt, "SELECT r.account_id, a.name, a.nation, r.role FROM plan_role r "
	                  "JOIN account a ON a.id = r.account_id WHERE r.plan_id = ?1 ORDER BY a.name")))
		return rc;
	sqlite3_bind_int64(stmt, 1, plan_id);
	while (row(st, stmt, &rc)) {
		const char *name = (const char *)sqlite3_column_text(stmt, 1);
		coplan_role_grant *g;

		if (cp_grow((void **)&v, &cap, count + 1, sizeof(*v))) {
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
			break;
		}
		g = &v[count++];
		memset(g, 0, sizeof(*g));
		g->plan_id = plan_id;
		g->account_id = (long)sqlite3_column_int64(stmt, 0);
		snprintf(g->account, sizeof(g->account), "%s", name ? name : "");
		column_nation(stmt, 2, g->nation);
		g->role = role_from_text((const char *)sqlite3_column_text(stmt, 3));
	}
	sqlite3_finalize(stmt);
	if (rc) {
		free(v);
		return rc;
	}
	*out = v;
	*n = count;
	return 0;
}

static int be_session_insert(coplan_store_backend *be, const char *token_sha256, long account_id,
                             const char *csrf, time_t created, time_t expires)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = prepare(st, &stmt, "INSERT INTO session (token_sha256, account_id, csrf, created, expires) "
	                  "VALUES (?1, ?2, ?3, " SQL_TIME("?4") ", " SQL_TIME("?5") ")")))
		return rc;
	sqlite3_bind_text(stmt, 1, token_sha256, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, account_id);
	sqlite3_bind_text(stmt, 3, csrf, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 4, (sqlite3_int64)created);
	sqlite3_bind_int64(stmt, 5, (sqlite3_int64)expires);
	rc = step_done(st, stmt, "cannot open the session");
	sqlite3_finalize(stmt);
	return rc;
}

static int be_session_get(coplan_store_backend *be, const char *token_sha256, long *account_id,
                          char csrf[COPLAN_TOKEN_LEN], time_t *expires)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = prepare(st, &stmt, "SELECT account_id, csrf, " SQL_EPOCH("expires") " FROM session "
	                  "WHERE token_sha256 = ?1")))
		return rc;
	sqlite3_bind_text(stmt, 1, token_sha256, -1, SQLITE_TRANSIENT);
	if (row(st, stmt, &rc)) {
		const char *c = (const char *)sqlite3_column_text(stmt, 1);

		*account_id = (long)sqlite3_column_int64(stmt, 0);
		snprintf(csrf, COPLAN_TOKEN_LEN, "%s", c ? c : "");
		*expires = (time_t)sqlite3_column_int64(stmt, 2);
	} else if (!rc) {
		rc = cp_error(COPLAN_ENOTFOUND, "no such session");
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int be_session_delete(coplan_store_backend *be, const char *token_sha256, long account_id,
                             time_t expired_before)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (token_sha256)
		rc = prepare(st, &stmt, "DELETE FROM session WHERE token_sha256 = ?1");
	else if (account_id > 0)
		rc = prepare(st, &stmt, "DELETE FROM session WHERE account_id = ?2");
	else
		rc = prepare(st, &stmt, "DELETE FROM session WHERE expires < " SQL_TIME("?3"));
	if (rc)
		return rc;
	if (token_sha256)
		sqlite3_bind_text(stmt, 1, token_sha256, -1, SQLITE_TRANSIENT);
	else if (account_id > 0)
		sqlite3_bind_int64(stmt, 2, account_id);
	else
		sqlite3_bind_int64(stmt, 3, (sqlite3_int64)expired_before);
	rc = step_done(st, stmt, "cannot end the session");
	sqlite3_finalize(stmt);
	return rc;
}

static int be_login_failure_add(coplan_store_backend *be, const char *name, time_t at)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = prepare(st, &stmt, "INSERT INTO login_failure (name, at) VALUES (?1, " SQL_TIME("?2") ")")))
		return rc;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)at);
	rc = step_done(st, stmt, "cannot record the failed login");
	sqlite3_finalize(stmt);
	return rc;
}

static int be_login_failures(coplan_store_backend *be, const char *name, time_t since, int *count)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	*count = 0;
	if ((rc = prepare(st, &stmt, "SELECT count(*) FROM login_failure WHERE name = ?1 AND at >= "
	                  SQL_TIME("?2"))))
		return rc;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)since);
	if (row(st, stmt, &rc))
		*count = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return rc;
}

static int be_login_failures_forget(coplan_store_backend *be, const char *name, time_t before)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = prepare(st, &stmt, "DELETE FROM login_failure WHERE (?1 IS NULL OR name = ?1) "
	                  "AND (?2 = 0 OR at < " SQL_TIME("?2") ")")))
		return rc;
	bind_text(stmt, 1, name);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)before);
	rc = step_done(st, stmt, "cannot forget failed logins");
	sqlite3_finalize(stmt);
	return rc;
}

static int be_feed_token_get(coplan_store_backend *be, long account_id, long plan_id, char nonce[65])
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	nonce[0] = '\0';
	if ((rc = prepare(st, &stmt, "SELECT nonce FROM feed_token WHERE account_id = ?1 AND plan_id = ?2")))
		return rc;
	sqlite3_bind_int64(stmt, 1, account_id);
	sqlite3_bind_int64(stmt, 2, plan_id);
	if (row(st, stmt, &rc)) {
		const char *s = (const char *)sqlite3_column_text(stmt, 0);

		snprintf(nonce, 65, "%s", s ? s : "");
	} else if (!rc) {
		rc = cp_error(COPLAN_ENOTFOUND, "no feed token");
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int be_feed_token_insert(coplan_store_backend *be, const char *token_sha256, long account_id,
                                long plan_id, const char *nonce)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = prepare(st, &stmt, "INSERT INTO feed_token (token_sha256, account_id, plan_id, nonce) "
	                  "VALUES (?1, ?2, ?3, ?4)")))
		return rc;
	sqlite3_bind_text(stmt, 1, token_sha256, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, account_id);
	sqlite3_bind_int64(stmt, 3, plan_id);
	sqlite3_bind_text(stmt, 4, nonce, -1, SQLITE_TRANSIENT);
	rc = step_done(st, stmt, "cannot keep the feed token");
	sqlite3_finalize(stmt);
	return rc;
}

static int be_feed_token_find(coplan_store_backend *be, const char *token_sha256, long *account_id,
                              long *plan_id)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = prepare(st, &stmt, "SELECT account_id, plan_id FROM feed_token WHERE token_sha256 = ?1")))
		return rc;
	sqlite3_bind_text(stmt, 1, token_sha256, -1, SQLITE_TRANSIENT);
	if (row(st, stmt, &rc)) {
		*account_id = (long)sqlite3_column_int64(stmt, 0);
		*plan_id = (long)sqlite3_column_int64(stmt, 1);
	} else if (!rc) {
		rc = cp_error(COPLAN_ENOTFOUND, "no such feed token");
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int be_secret_get(coplan_store_backend *be, const char *name, unsigned char *out, size_t len)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = prepare(st, &stmt, "SELECT value FROM secret WHERE name = ?1")))
		return rc;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
	if (row(st, stmt, &rc)) {
		const void *v = sqlite3_column_blob(stmt, 0);

		if (!v || (size_t)sqlite3_column_bytes(stmt, 0) != len)
			rc = cp_error(COPLAN_ESTORE, "%s: the secret '%s' is damaged", st->path, name);
		else
			memcpy(out, v, len);
	} else if (!rc) {
		rc = cp_error(COPLAN_ENOTFOUND, "no secret '%s'", name);
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int be_secret_set(coplan_store_backend *be, const char *name, const unsigned char *value, size_t len)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (len > INT_MAX)
		return cp_error(COPLAN_ELIMIT, "a secret of %zu bytes is too large", len);
	if ((rc = prepare(st, &stmt, "INSERT INTO secret (name, value) VALUES (?1, ?2) "
	                  "ON CONFLICT (name) DO NOTHING")))
		return rc;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob(stmt, 2, value, (int)len, SQLITE_TRANSIENT);
	rc = step_done(st, stmt, "cannot keep the secret");
	sqlite3_finalize(stmt);
	return rc;
}

/* ---- exchange between offices (migration 14) ---- */

static void copy_column(char *dst, size_t size, sqlite3_stmt *stmt, int i);

static int be_partner_ca_add(coplan_store_backend *be, const coplan_partner_ca *ca)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = prepare(st, &stmt, "INSERT INTO partner_ca (fingerprint, nation, talks_id, talks, subject, "
	                  "not_before, not_after, added, pem) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")))
		return rc;
	bind_text(stmt, 1, ca->fingerprint);
	bind_text(stmt, 2, ca->nation);
	if (ca->talks_id > 0)
		sqlite3_bind_int64(stmt, 3, ca->talks_id);
	bind_text(stmt, 4, *ca->talks ? ca->talks : NULL);
	bind_text(stmt, 5, ca->subject);
	bind_text(stmt, 6, ca->not_before);
	bind_text(stmt, 7, ca->not_after);
	bind_text(stmt, 8, ca->added);
	bind_text(stmt, 9, ca->pem);
	rc = sqlite3_step(stmt);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		rc = cp_error(COPLAN_EEXISTS, "the CA certificate %s is kept already", ca->fingerprint);
	else
		rc = rc == SQLITE_DONE ? 0 : db_error(st, "cannot store the partner CA");
	sqlite3_finalize(stmt);
	return rc;
}

static int be_partner_cas(coplan_store_backend *be, coplan_partner_ca **out, size_t *n)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	coplan_partner_ca *v = NULL;
	size_t count = 0, cap = 0;
	int rc, oom = 0;

	*out = NULL;
	*n = 0;
	if ((rc = prepare(st, &stmt, "SELECT fingerprint, nation, talks_id, talks, subject, not_before, "
	                  "not_after, added, pem FROM partner_ca ORDER BY nation, fingerprint")))
		return rc;
	while (!oom && row(st, stmt, &rc)) {
		coplan_partner_ca *c;

		if (cp_grow((void **)&v, &cap, count + 1, sizeof(*v))) {
			oom = 1;
			break;
		}
		c = &v[count++];
		memset(c, 0, sizeof(*c));
		copy_column(c->fingerprint, sizeof(c->fingerprint), stmt, 0);
		copy_column(c->nation, sizeof(c->nation), stmt, 1);
		c->talks_id = (long)sqlite3_column_int64(stmt, 2);
		copy_column(c->talks, sizeof(c->talks), stmt, 3);
		copy_column(c->subject, sizeof(c->subject), stmt, 4);
		copy_column(c->not_before, sizeof(c->not_before), stmt, 5);
		copy_column(c->not_after, sizeof(c->not_after), stmt, 6);
		copy_column(c->added, sizeof(c->added), stmt, 7);
		c->pem = column_strdup(stmt, 8, &oom);
	}
	sqlite3_finalize(stmt);
	if (oom || rc) {
		coplan_partner_cas_free(v, count);
		return rc ? rc : cp_error(COPLAN_ENOMEM, "out of memory");
	}
	*out = v;
	*n = count;
	return 0;
}

static int be_partner_ca_delete(coplan_store_backend *be, const char *fingerprint)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = prepare(st, &stmt, "DELETE FROM partner_ca WHERE fingerprint = ?1")))
		return rc;
	bind_text(stmt, 1, fingerprint);
	if (!(rc = step_done(st, stmt, "cannot delete the partner CA")) && sqlite3_changes(st->db) == 0)
		rc = cp_error(COPLAN_ENOTFOUND, "no partner CA of fingerprint %s", fingerprint);
	sqlite3_finalize(stmt);
	return rc;
}

static int be_bundle_seq_get(coplan_store_backend *be, const char *direction, const char *nation,
                             const char *plan_uuid, long *seq, long *audit_size, char audit_root[65])
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	*seq = 0;
	*audit_size = 0;
	audit_root[0] = '\0';
	if ((rc = prepare(st, &stmt, "SELECT seq, audit_size, audit_root FROM bundle_sequence "
	                  "WHERE direction = ?1 AND nation = ?2 AND plan_uuid = ?3")))
		return rc;
	bind_text(stmt, 1, direction);
	bind_text(stmt, 2, nation);
	bind_text(stmt, 3, plan_uuid);
	if (row(st, stmt, &rc)) {
		*seq = (long)sqlite3_column_int64(stmt, 0);
		*audit_size = (long)sqlite3_column_int64(stmt, 1);
		copy_column(audit_root, 65, stmt, 2);
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int be_bundle_seq_set(coplan_store_backend *be, const char *direction, const char *nation,
                             const char *plan_uuid, long seq, long audit_size, const char *audit_root)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = prepare(st, &stmt, "INSERT OR REPLACE INTO bundle_sequence (direction, nation, plan_uuid, "
	                  "seq, audit_size, audit_root) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")))
		return rc;
	bind_text(stmt, 1, direction);
	bind_text(stmt, 2, nation);
	bind_text(stmt, 3, plan_uuid);
	sqlite3_bind_int64(stmt, 4, seq);
	sqlite3_bind_int64(stmt, 5, audit_size);
	bind_text(stmt, 6, audit_root && *audit_root ? audit_root : NULL);
	rc = step_done(st, stmt, "cannot store the bundle sequence");
	sqlite3_finalize(stmt);
	return rc;
}

static int be_bundle_payload_add(coplan_store_backend *be, const char *direction, const char *nation,
                                 const char *plan_uuid, long seq, const char *sha256, const char *at,
                                 const char *payload, size_t len)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (len > INT_MAX)
		return cp_error(COPLAN_ELIMIT, "a payload of %zu bytes is too large", len);
	if ((rc = prepare(st, &stmt, "INSERT INTO bundle_payload (direction, nation, plan_uuid, seq, sha256, "
	                  "at, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")))
		return rc;
	bind_text(stmt, 1, direction);
	bind_text(stmt, 2, nation);
	bind_text(stmt, 3, plan_uuid);
	sqlite3_bind_int64(stmt, 4, seq);
	bind_text(stmt, 5, sha256);
	bind_text(stmt, 6, at);
	sqlite3_bind_text(stmt, 7, payload, (int)len, SQLITE_TRANSIENT);
	rc = step_done(st, stmt, "cannot keep the bundle payload");
	sqlite3_finalize(stmt);
	return rc;
}

static int be_bundle_payload_get(coplan_store_backend *be, const char *direction, const char *nation,
                                 const char *plan_uuid, const char *sha256, char **payload, size_t *len,
                                 char sha_out[65])
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc, oom = 0;

	*payload = NULL;
	*len = 0;
	if ((rc = prepare(st, &stmt, sha256
	                  ? "SELECT payload, sha256 FROM bundle_payload WHERE nation = ?2 AND plan_uuid = ?3 "
	                    "AND sha256 = ?4 ORDER BY id DESC LIMIT 1"
	                  : "SELECT payload, sha256 FROM bundle_payload WHERE direction = ?1 AND nation = ?2 "
	                    "AND plan_uuid = ?3 ORDER BY id DESC LIMIT 1")))
		return rc;
	if (!sha256)
		bind_text(stmt, 1, direction);
	bind_text(stmt, 2, nation);
	bind_text(stmt, 3, plan_uuid);
	if (sha256)
		bind_text(stmt, 4, sha256);
	if (row(st, stmt, &rc)) {
		*payload = column_bytes_dup(stmt, 0, len, &oom);
		copy_column(sha_out, 65, stmt, 1);
	} else if (!rc) {
		rc = cp_error(COPLAN_ENOTFOUND, "no payload %s exchanged with %s for plan %s", sha256 ? sha256 : "",
		              nation, plan_uuid);
	}
	sqlite3_finalize(stmt);
	if (!rc && oom)
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
	if (rc) {
		free(*payload);
		*payload = NULL;
		*len = 0;
	}
	return rc;
}

static int be_merge_set(coplan_store_backend *be, long plan_id, const char *state, const char *at)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = prepare(st, &stmt, state ? "INSERT OR REPLACE INTO pending_merge (plan_id, created, state) "
	                                     "VALUES (?1, ?2, ?3)"
	                                   : "DELETE FROM pending_merge WHERE plan_id = ?1")))
		return rc;
	sqlite3_bind_int64(stmt, 1, plan_id);
	if (state) {
		bind_text(stmt, 2, at);
		bind_text(stmt, 3, state);
	}
	rc = step_done(st, stmt, "cannot store the pending merge");
	sqlite3_finalize(stmt);
	return rc;
}

static int be_merge_get(coplan_store_backend *be, long plan_id, char **state)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc, oom = 0;

	*state = NULL;
	if ((rc = prepare(st, &stmt, "SELECT state FROM pending_merge WHERE plan_id = ?1")))
		return rc;
	sqlite3_bind_int64(stmt, 1, plan_id);
	if (row(st, stmt, &rc))
		*state = column_strdup(stmt, 0, &oom);
	sqlite3_finalize(stmt);
	if (!rc && oom)
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
	if (rc) {
		free(*state);
		*state = NULL;
	}
	return rc;
}

/* ---- the audit log (migration 13) ---- */

static int be_audit_append(coplan_store_backend *be, const coplan_audit_entry *e)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = prepare(st, &stmt, "INSERT INTO audit_entry (seq, at, account_id, account_name, nation, "
	                  "action, object, outcome, error, before_sha256, after_sha256, leaf_sha256) "
	                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)")))
		return rc;
	sqlite3_bind_int64(stmt, 1, e->seq);
	bind_text(stmt, 2, e->at);
	sqlite3_bind_int64(stmt, 3, e->account);
	sqlite3_bind_text(stmt, 4, e->account_name, -1, SQLITE_TRANSIENT);
	bind_text(stmt, 5, *e->nation ? e->nation : NULL);
	bind_text(stmt, 6, e->action);
	sqlite3_bind_text(stmt, 7, e->object ? e->object : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 8, e->refused ? "refused" : "done", -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 9, e->error);
	bind_text(stmt, 10, *e->before ? e->before : NULL);
	bind_text(stmt, 11, *e->after ? e->after : NULL);
	bind_text(stmt, 12, e->leaf);
	rc = step_done(st, stmt, "cannot write the audit entry");
	sqlite3_finalize(stmt);
	return rc;
}

static int be_audit_last(coplan_store_backend *be, long *seq)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	*seq = 0;
	if ((rc = prepare(st, &stmt, "SELECT coalesce(max(seq), 0) FROM audit_entry")))
		return rc;
	if (row(st, stmt, &rc))
		*seq = (long)sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return rc;
}

static void copy_column(char *dst, size_t size, sqlite3_stmt *stmt, int i)
{
	const unsigned char *t = sqlite3_column_text(stmt, i);

	snprintf(dst, size, "%s", t ? (const char *)t : "");
}

static int be_audit_entries(coplan_store_backend *be, long since, coplan_audit_entry **out, size_t *n)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	coplan_audit_entry *v = NULL;
	size_t count = 0, cap = 0;
	int rc, oom = 0;

	*out = NULL;
	*n = 0;
	if ((rc = prepare(st, &stmt, "SELECT seq, at, account_id, account_name, nation, action, object, "
	                  "outcome, error, before_sha256, after_sha256, leaf_sha256 FROM audit_entry "
	                  "WHERE seq > ?1 ORDER BY seq")))
		return rc;
	sqlite3_bind_int64(stmt, 1, since);
	while (!oom && row(st, stmt, &rc)) {
		coplan_audit_entry *e;
		const unsigned char *outcome;

		if (cp_grow((void **)&v, &cap, count + 1, sizeof(*v))) {
			oom = 1;
			break;
		}
		e = &v[count++];
		memset(e, 0, sizeof(*e));
		e->seq = (long)sqlite3_column_int64(stmt, 0);
		copy_column(e->at, sizeof(e->at), stmt, 1);
		e->account = (long)sqlite3_column_int64(stmt, 2);
		copy_column(e->account_name, sizeof(e->account_name), stmt, 3);
		copy_column(e->nation, sizeof(e->nation), stmt, 4);
		copy_column(e->action, sizeof(e->action), stmt, 5);
		e->object = column_strdup(stmt, 6, &oom);
		outcome = sqlite3_column_text(stmt, 7);
		e->refused = !outcome || strcmp((const char *)outcome, "done");
		e->error = sqlite3_column_int(stmt, 8);
		copy_column(e->before, sizeof(e->before), stmt, 9);
		copy_column(e->after, sizeof(e->after), stmt, 10);
		copy_column(e->leaf, sizeof(e->leaf), stmt, 11);
	}
	sqlite3_finalize(stmt);
	if (oom || rc) {
		coplan_audit_entries_free(v, count);
		return rc ? rc : cp_error(COPLAN_ENOMEM, "out of memory");
	}
	*out = v;
	*n = count;
	return 0;
}

static int be_audit_checkpoint_append(coplan_store_backend *be, const coplan_audit_checkpoint *cp, long *id)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (cp->signature_len > INT_MAX)
		return cp_error(COPLAN_ELIMIT, "a signature of %zu bytes is too large", cp->signature_len);
	if ((rc = prepare(st, &stmt, "INSERT INTO audit_checkpoint (tree_size, root_sha256, at, "
	                  "signer_sha256, signature) VALUES (?1, ?2, ?3, ?4, ?5)")))
		return rc;
	sqlite3_bind_int64(stmt, 1, cp->size);
	bind_text(stmt, 2, cp->root);
	bind_text(stmt, 3, cp->at);
	bind_text(stmt, 4, cp->fingerprint);
	sqlite3_bind_blob(stmt, 5, cp->signature, (int)cp->signature_len, SQLITE_TRANSIENT);
	if (!(rc = step_done(st, stmt, "cannot store the audit checkpoint")) && id)
		*id = (long)sqlite3_last_insert_rowid(st->db);
	sqlite3_finalize(stmt);
	return rc;
}

static int be_audit_checkpoints(coplan_store_backend *be, coplan_audit_checkpoint **out, size_t *n)
{
	sqlite_backend *st = (sqlite_backend *)be;
	sqlite3_stmt *stmt = NULL;
	coplan_audit_checkpoint *v = NULL;
	size_t count = 0, cap = 0;
	int rc, oom = 0;

	*out = NULL;
	*n = 0;
	if ((rc = prepare(st, &stmt, "SELECT id, tree_size, root_sha256, at, signer_sha256, signature "
	                  "FROM audit_checkpoint ORDER BY id")))
		return rc;
	while (!oom && row(st, stmt, &rc)) {
		coplan_audit_checkpoint *c;

		if (cp_grow((void **)&v, &cap, count + 1, sizeof(*v))) {
			oom = 1;
			break;
		}
		c = &v[count++];
		memset(c, 0, sizeof(*c));
		c->id = (long)sqlite3_column_int64(stmt, 0);
		c->size = (long)sqlite3_column_int64(stmt, 1);
		copy_column(c->root, sizeof(c->root), stmt, 2);
		copy_column(c->at, sizeof(c->at), stmt, 3);
		copy_column(c->fingerprint, sizeof(c->fingerprint), stmt, 4);
		c->signature = (unsigned char *)column_bytes_dup(stmt, 5, &c->signature_len, &oom);
	}
	sqlite3_finalize(stmt);
	if (oom || rc) {
		coplan_audit_checkpoints_free(v, count);
		return rc ? rc : cp_error(COPLAN_ENOMEM, "out of memory");
	}
	*out = v;
	*n = count;
	return 0;
}

static void be_set_busy_timeout(coplan_store_backend *be, int ms)
{
	sqlite_backend *st = (sqlite_backend *)be;

	st->busy_ms = ms < 0 ? 0 : ms;
	sqlite3_busy_timeout(st->db, st->busy_ms);
}

/* ---- coplan db copy: the tables row by row ------------------------------ */

static const cp_store_table *table_named(const char *name)
{
	for (size_t i = 0; i < CP_STORE_N_TABLES; i++)
		if (!strcmp(cp_store_tables[i].name, name))
			return &cp_store_tables[i];
	return NULL;
}

static int be_rows_read(coplan_store_backend *be, const char *table,
                        int (*fn)(const char *const *values, void *payload), void *payload)
{
	sqlite_backend *st = (sqlite_backend *)be;
	const cp_store_table *t = table_named(table);
	const char *values[CP_STORE_MAX_COLUMNS];
	sqlite3_stmt *stmt = NULL;
	char sql[512], *hex = NULL;
	int rc = 0;

	if (!t)
		return cp_error(COPLAN_EUSAGE, "no table %s in coplan's schema", table);
	/* the table and its columns are coplan's own names (tables.h), never a value */
	snprintf(sql, sizeof(sql), "SELECT %s FROM %s", t->columns, t->name);
	if ((rc = prepare(st, &stmt, sql)))
		return rc;
	while (!rc && row(st, stmt, &rc)) {
		for (size_t c = 0; c < t->n_columns; c++)
			values[c] = (const char *)sqlite3_column_text(stmt, (int)c);
		if (t->blob_column >= 0) {
			/* bytes as lower-case hex, as PostgreSQL's bytea reads */
			const unsigned char *b = sqlite3_column_blob(stmt, t->blob_column);
			size_t n = (size_t)sqlite3_column_bytes(stmt, t->blob_column);

			free(hex);
			if (!(hex = malloc(2 * n + 1))) {
				rc = cp_error(COPLAN_ENOMEM, "out of memory");
				break;
			}
			for (size_t i = 0; i < n; i++)
				snprintf(hex + 2 * i, 3, "%02x", b[i]);
			hex[2 * n] = '\0';
			values[t->blob_column] = b ? hex : NULL;
		}
		rc = fn(values, payload);
	}
	free(hex);
	sqlite3_finalize(stmt);
	return rc;
}

/* The value of hex digit c, or -1. */
static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static int be_rows_write(coplan_store_backend *be, const char *table, const char *const *values)
{
	sqlite_backend *st = (sqlite_backend *)be;
	const cp_store_table *t = table_named(table);
	sqlite3_stmt *stmt = NULL;
	char sql[1024];
	size_t len;
	int rc;

	if (!t)
		return cp_error(COPLAN_EUSAGE, "no table %s in coplan's schema", table);
	len = (size_t)snprintf(sql, sizeof(sql), "INSERT INTO %s (%s) VALUES (", t->name, t->columns);
	for (size_t c = 0; c < t->n_columns && len < sizeof(sql); c++)
		len += (size_t)snprintf(sql + len, sizeof(sql) - len, "%s?%zu", c ? ", " : "", c + 1);
	if (len + 2 >= sizeof(sql))
		return cp_error(COPLAN_ELIMIT, "table %s has too many columns", t->name);
	memcpy(sql + len, ")", 2);
	/* the statement of one table is used for each of its rows: kept prepared */
	if ((rc = prepare_cached(st, STMT_COPY_ROW, &stmt, sql)))
		return rc;
	if (strcmp(sqlite3_sql(stmt), sql)) {
		sqlite3_finalize(st->cached[STMT_COPY_ROW]);
		st->cached[STMT_COPY_ROW] = NULL;
		if ((rc = prepare_cached(st, STMT_COPY_ROW, &stmt, sql)))
			return rc;
	}
	for (size_t c = 0; c < t->n_columns; c++) {
		if ((int)c == t->blob_column && values[c]) {
			size_t n = strlen(values[c]) / 2;
			unsigned char *b = malloc(n + 1);

			if (!b)
				return cp_error(COPLAN_ENOMEM, "out of memory");
			for (size_t i = 0; i < n; i++) {
				int hi = hex_digit(values[c][2 * i]), lo = hex_digit(values[c][2 * i + 1]);

				if (hi < 0 || lo < 0 || strlen(values[c]) % 2) {
					free(b);
					return cp_error(COPLAN_ESTORE, "table %s: bytes that are not hex", t->name);
				}
				b[i] = (unsigned char)(hi * 16 + lo);
			}
			sqlite3_bind_blob(stmt, (int)c + 1, b, (int)n, SQLITE_TRANSIENT);
			free(b);
		} else {
			bind_text(stmt, (int)c + 1, values[c]);
		}
	}
	return step_done(st, stmt, "cannot copy a row");
}

static int be_rows_done(coplan_store_backend *be, const char *table)
{
	sqlite_backend *st = (sqlite_backend *)be;

	/* rowids continue after the largest one by themselves */
	(void)table;
	sqlite3_finalize(st->cached[STMT_COPY_ROW]);
	st->cached[STMT_COPY_ROW] = NULL;
	return 0;
}

int coplan_store_sqlite_open(coplan_store_backend **out, const char *path, int create)
{
	sqlite_backend *st = NULL;
	int rc;

	if ((rc = store_open(&st, path, create)))
		return rc;
	st->base.version = COPLAN_STORE_BACKEND_VERSION;
	st->base.name = st->path;
	st->base.begin = be_begin;
	st->base.commit = be_commit;
	st->base.rollback = be_rollback;
	st->base.insert_plan = be_insert_plan;
	st->base.load_plan = be_load_plan;
	st->base.update_plan = be_update_plan;
	st->base.foreach_plan = be_foreach_plan;
	st->base.version_newest = be_version_newest;
	st->base.version_snapshot = be_version_snapshot;
	st->base.version_insert = be_version_insert;
	st->base.versions = be_versions;
	st->base.status_apply = be_status_apply;
	st->base.history = be_history;
	st->base.history_append = be_history_append;
	st->base.delete_plan = be_delete_plan;

	st->base.check = be_check;
	st->base.backup = be_backup;
	st->base.publish = be_publish;
	st->base.restore = be_restore;
	st->base.set_busy_timeout = be_set_busy_timeout;
	st->base.seal_get = be_seal_get;
	st->base.seal_set = be_seal_set;
	st->base.rows_read = be_rows_read;
	st->base.rows_write = be_rows_write;
	st->base.rows_done = be_rows_done;
	st->base.account_insert = be_account_insert;
	st->base.account_get = be_account_get;
	st->base.accounts = be_accounts;
	st->base.account_update = be_account_update;
	st->base.role_set = be_role_set;
	st->base.role_get = be_role_get;
	st->base.roles = be_roles;
	st->base.session_insert = be_session_insert;
	st->base.session_get = be_session_get;
	st->base.session_delete = be_session_delete;
	st->base.login_failure_add = be_login_failure_add;
	st->base.login_failures = be_login_failures;
	st->base.login_failures_forget = be_login_failures_forget;
	st->base.feed_token_get = be_feed_token_get;
	st->base.feed_token_insert = be_feed_token_insert;
	st->base.feed_token_find = be_feed_token_find;
	st->base.secret_get = be_secret_get;
	st->base.secret_set = be_secret_set;
	st->base.audit_append = be_audit_append;
	st->base.audit_last = be_audit_last;
	st->base.audit_entries = be_audit_entries;
	st->base.audit_checkpoint_append = be_audit_checkpoint_append;
	st->base.audit_checkpoints = be_audit_checkpoints;
	st->base.partner_ca_add = be_partner_ca_add;
	st->base.partner_cas = be_partner_cas;
	st->base.partner_ca_delete = be_partner_ca_delete;
	st->base.bundle_seq_get = be_bundle_seq_get;
	st->base.bundle_seq_set = be_bundle_seq_set;
	st->base.bundle_payload_add = be_bundle_payload_add;
	st->base.bundle_payload_get = be_bundle_payload_get;
	st->base.merge_set = be_merge_set;
	st->base.merge_get = be_merge_get;
	st->base.free = be_free;
	*out = &st->base;
	return 0;
}

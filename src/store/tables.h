/* SPDX-License-Identifier: Apache-2.0 */
/* tables.h - the logical schema both storage backends keep: its version and each table's columns (private). */
#ifndef COPLAN_STORE_TABLES_H
#define COPLAN_STORE_TABLES_H

#include <stddef.h>

/*
 * The schema version this coplan writes.  SQLite counts it in PRAGMA
 * user_version (one migration script per step, src/store/sqlite.c);
 * PostgreSQL in its schema_version table (src/store/pg.c), whose scripts
 * bring a database to the same logical schema at the same number.
 */
#define CP_STORE_SCHEMA_VERSION 17

/*
 * A table as both backends hold it: its name and its columns, in the order
 * coplan db copy reads and writes them (the values as text, NULL for SQL
 * NULL).  Parents come before the tables that refer to them, so that rows
 * copied table by table in this order never point at a missing row.
 */
typedef struct {
	const char *name;
	const char *columns;     /* comma-separated, as in a SELECT list */
	size_t n_columns;
	int has_id;              /* an integer key "id" the database numbers (PostgreSQL: an identity) */
	int blob_column;         /* the column holding bytes (copied as lower-case hex), or -1 */
} cp_store_table;

static const cp_store_table cp_store_tables[] = {
	{ "staff_talks", "id, series, edition, start_date, end_date, venue", 6, 1, -1 },
	{ "delegation", "id, talks_id, position, nation, head_name, head_name_native, head_post, "
	  "head_rank, head_organisation", 9, 1, -1 },
	{ "delegation_member", "id, delegation_id, position, rank, name, name_native, post, organisation", 8, 1, -1 },
	{ "talks_item", "talks_id, kind, position, text", 4, 0, -1 },
	{ "talks_session", "talks_id, position, title, date, start_minute, end_minute, zone, location", 8, 0, -1 },
	{ "plan", "id, title, year, window_from, window_to, talks_id, created_at, uuid, deleted_at, "
	  "deleted_by, content_sha256, history_sha256, label", 13, 1, -1 },
	{ "plan_nation", "plan_id, position, nation", 3, 0, -1 },
	{ "activity", "id, plan_id, position, ref, title, area, kind, host, duration, day_mode, earliest, "
	  "latest, requested_from, requested_to, location, notes, start_date, end_date, pinned, "
	  "sequence, status, unplaced_reason, uuid, label, cost_estimate, cost_actual, currency, paid_by, "
	  "funding_line, rel_to", 30, 1, -1 },
	{ "activity_participant", "activity_id, position, nation", 3, 0, -1 },
	{ "activity_unit", "activity_id, position, unit", 3, 0, -1 },
	{ "precedence", "id, plan_id, before_id, after_id, min_gap, max_gap, kind", 7, 1, -1 },
	{ "blackout", "id, plan_id, scope, date_from, date_to, hard, reason, label, rel_to", 9, 1, -1 },
	{ "holiday", "id, plan_id, nation, date, name", 5, 1, -1 },
	{ "weekend", "plan_id, nation, days", 3, 0, -1 },
	{ "plan_version", "id, plan_id, number, state, created_at, author, note, snapshot, "
	  "snapshot_sha256, author_nation", 10, 1, -1 },
	{ "activity_event", "id, plan_id, ref, at, author, status, start_date, end_date, reason, "
	  "author_nation, activity_uuid, action, detail", 13, 1, -1 },
	/* 11: users and what goes with them */
	{ "account", "id, name, nation, display_name, password_hash, disabled, is_admin, created, clearance, "
	  "caveats", 10, 1, -1 },
	{ "plan_role", "plan_id, account_id, role", 3, 0, -1 },
	{ "session", "token_sha256, account_id, csrf, created, expires", 5, 0, -1 },
	{ "login_failure", "name, at", 2, 0, -1 },
	{ "feed_token", "token_sha256, account_id, plan_id, nonce", 4, 0, -1 },
	{ "secret", "name, value", 2, 0, 1 },
	/* 13: the audit log */
	{ "audit_entry", "seq, at, account_id, account_name, nation, action, object, outcome, error, "
	  "before_sha256, after_sha256, leaf_sha256", 12, 0, -1 },
	{ "audit_checkpoint", "id, tree_size, root_sha256, at, signer_sha256, signature", 6, 1, 5 },
	/* 14: exchange between offices */
	{ "partner_ca", "fingerprint, nation, talks_id, talks, subject, not_before, not_after, added, pem", 9, 0, -1 },
	{ "bundle_sequence", "direction, nation, plan_uuid, seq, audit_size, audit_root", 6, 0, -1 },
	{ "bundle_payload", "id, direction, nation, plan_uuid, seq, sha256, at, payload", 8, 1, -1 },
	{ "pending_merge", "plan_id, created, state", 3, 0, -1 },
	/* 16: cost and budget */
	{ "budget", "id, plan_id, nation, year, funding_line, currency, amount", 7, 1, -1 },
	{ "exchange_rate", "id, plan_id, from_currency, to_currency, rate, valid_from", 6, 1, -1 },
};

#define CP_STORE_N_TABLES (sizeof(cp_store_tables) / sizeof(cp_store_tables[0]))

/* The most columns a table has (the buffers of a copy are this wide). */
#define CP_STORE_MAX_COLUMNS 30

#endif

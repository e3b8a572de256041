/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_store_faults.c - every service function against a store whose operations fail:
 * each operation of the backend in turn fails as a full disk or a busy database, and
 * each time the use case reports a clear error and the database is exactly as before.
 * (The shape of SQLite's own test_vfs.c: fail the Nth call, check the file afterwards.)
 */
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
#include "coplan/sys/store_backend.h"
#include "common.h"
#include "test_db.h"
#include "test_util.h"

#define EXAMPLE COPLAN_SOURCE_DIR "/examples/italy-japan-2024"

/* A backend that forwards to a real one and fails its fail_at-th operation. */
typedef struct {
	coplan_store_backend base;
	coplan_store_backend *inner;
	int calls, fail_at, busy, hit;
} faulty;

static int inject(faulty *f)
{
	if (++f->calls != f->fail_at)
		return 0;
	f->hit = 1;
	if (f->busy)
		return cp_error(COPLAN_ESTORE, "%s: injected: the database is busy (another coplan is "
		                "writing); nothing was changed, try again", f->inner->name);
	return cp_error(COPLAN_ESTORE, "%s: injected: database or disk is full", f->inner->name);
}

#define F(be) ((faulty *)(be))
#define FORWARD(call) do { int rc_ = inject(F(be)); if (rc_) return rc_; return call; } while (0)

static int f_begin(coplan_store_backend *be) { FORWARD(F(be)->inner->begin(F(be)->inner)); }
static int f_commit(coplan_store_backend *be)
{
	int rc = inject(F(be));

	if (rc) {
		/* a commit that fails leaves nothing behind: as SQLite does on SQLITE_FULL */
		F(be)->inner->rollback(F(be)->inner);
		return rc;
	}
	return F(be)->inner->commit(F(be)->inner);
}
static void f_rollback(coplan_store_backend *be) { F(be)->inner->rollback(F(be)->inner); }
static int f_insert_plan(coplan_store_backend *be, const coplan_plan *p, long *id)
{ FORWARD(F(be)->inner->insert_plan(F(be)->inner, p, id)); }
static int f_load_plan(coplan_store_backend *be, long id, coplan_plan **out, long *id_out)
{ FORWARD(F(be)->inner->load_plan(F(be)->inner, id, out, id_out)); }
static int f_update_plan(coplan_store_backend *be, long id, const coplan_plan *p, const coplan_plan *old)
{ FORWARD(F(be)->inner->update_plan(F(be)->inner, id, p, old)); }
static int f_foreach_plan(coplan_store_backend *be, int (*fn)(long, const char *, int, void *), void *pl)
{ FORWARD(F(be)->inner->foreach_plan(F(be)->inner, fn, pl)); }
static int f_version_newest(coplan_store_backend *be, long id, int *n, coplan_version_state *s,
                            char **snap, size_t *len, char sha[65])
{ FORWARD(F(be)->inner->version_newest(F(be)->inner, id, n, s, snap, len, sha)); }
static int f_version_snapshot(coplan_store_backend *be, long id, int n, char **snap, size_t *len, int *no,
                              char sha[65])
{ FORWARD(F(be)->inner->version_snapshot(F(be)->inner, id, n, snap, len, no, sha)); }
static int f_version_insert(coplan_store_backend *be, long id, int n, coplan_version_state s,
                            const char *a, const char *nat, const char *note, const char *snap,
                            size_t len, const char *sha)
{ FORWARD(F(be)->inner->version_insert(F(be)->inner, id, n, s, a, nat, note, snap, len, sha)); }
static int f_versions(coplan_store_backend *be, long id, coplan_plan_version **out, size_t *n)
{ FORWARD(F(be)->inner->versions(F(be)->inner, id, out, n)); }
static int f_status_apply(coplan_store_backend *be, long id, const coplan_status_change *c, const char *nat)
{ FORWARD(F(be)->inner->status_apply(F(be)->inner, id, c, nat)); }
static int f_history(coplan_store_backend *be, long id, const char *ref, coplan_activity_event **out,
                     size_t *n)
{ FORWARD(F(be)->inner->history(F(be)->inner, id, ref, out, n)); }
static int f_history_append(coplan_store_backend *be, long id, const coplan_activity_event *e)
{ FORWARD(F(be)->inner->history_append(F(be)->inner, id, e)); }
static int f_delete_plan(coplan_store_backend *be, long id, const char *by)
{ FORWARD(F(be)->inner->delete_plan(F(be)->inner, id, by)); }
static int f_check(coplan_store_backend *be, int quick, void (*fn)(const char *, void *), void *pl)
{ FORWARD(F(be)->inner->check(F(be)->inner, quick, fn, pl)); }
static int f_backup(coplan_store_backend *be, const char *path)
{ FORWARD(F(be)->inner->backup(F(be)->inner, path)); }
static int f_restore(coplan_store_backend *be, const char *path)
{ FORWARD(F(be)->inner->restore(F(be)->inner, path)); }
static void f_set_busy_timeout(coplan_store_backend *be, int ms)
{ F(be)->inner->set_busy_timeout(F(be)->inner, ms); }
static int f_seal_get(coplan_store_backend *be, long id, char content[65], char history[65])
{ FORWARD(F(be)->inner->seal_get(F(be)->inner, id, content, history)); }
static int f_seal_set(coplan_store_backend *be, long id, const char *content, const char *history)
{ FORWARD(F(be)->inner->seal_set(F(be)->inner, id, content, history)); }
static int f_account_insert(coplan_store_backend *be, const coplan_account *a, const char *hash,
                            time_t created, long *id)
{ FORWARD(F(be)->inner->account_insert(F(be)->inner, a, hash, created, id)); }
static int f_account_get(coplan_store_backend *be, long id, const char *name, coplan_account *out, char **hash)
{ FORWARD(F(be)->inner->account_get(F(be)->inner, id, name, out, hash)); }
static int f_accounts(coplan_store_backend *be, coplan_account **out, size_t *n)
{ FORWARD(F(be)->inner->accounts(F(be)->inner, out, n)); }
static int f_account_update(coplan_store_backend *be, long id, const char *hash, int disabled)
{ FORWARD(F(be)->inner->account_update(F(be)->inner, id, hash, disabled)); }
static int f_role_set(coplan_store_backend *be, long plan, long account, coplan_plan_role role)
{ FORWARD(F(be)->inner->role_set(F(be)->inner, plan, account, role)); }
static int f_role_get(coplan_store_backend *be, long plan, long account, coplan_plan_role *role)
{ FORWARD(F(be)->inner->role_get(F(be)->inner, plan, account, role)); }
static int f_roles(coplan_store_backend *be, long plan, coplan_role_grant **out, size_t *n)
{ FORWARD(F(be)->inner->roles(F(be)->inner, plan, out, n)); }
static int f_session_insert(coplan_store_backend *be, const char *sha, long account, const char *csrf,
                            time_t created, time_t expires)
{ FORWARD(F(be)->inner->session_insert(F(be)->inner, sha, account, csrf, created, expires)); }
static int f_session_get(coplan_store_backend *be, const char *sha, long *account, char csrf[COPLAN_TOKEN_LEN],
                         time_t *expires)
{ FORWARD(F(be)->inner->session_get(F(be)->inner, sha, account, csrf, expires)); }
static int f_session_delete(coplan_store_backend *be, const char *sha, long account, time_t before)
{ FORWARD(F(be)->inner->session_delete(F(be)->inner, sha, account, before)); }
static int f_login_failure_add(coplan_store_backend *be, const char *name, time_t at)
{ FORWARD(F(be)->inner->login_failure_add(F(be)->inner, name, at)); }
static int f_login_failures(coplan_store_backend *be, const char *name, time_t since, int *count)
{ FORWARD(F(be)->inner->login_failures(F(be)->inner, name, since, count)); }
static int f_login_failures_forget(coplan_store_backend *be, const char *name, time_t before)
{ FORWARD(F(be)->inner->login_failures_forget(F(be)->inner, name, before)); }
static int f_feed_token_get(coplan_store_backend *be, long account, long plan, char nonce[65])
{ FORWARD(F(be)->inner->feed_token_get(F(be)->inner, account, plan, nonce)); }
static int f_feed_token_insert(coplan_store_backend *be, const char *sha, long account, long plan,
                               const char *nonce)
{ FORWARD(F(be)->inner->feed_token_insert(F(be)->inner, sha, account, plan, nonce)); }
static int f_feed_token_find(coplan_store_backend *be, const char *sha, long *account, long *plan)
{ FORWARD(F(be)->inner->feed_token_find(F(be)->inner, sha, account, plan)); }
static int f_secret_get(coplan_store_backend *be, const char *name, unsigned char *out, size_t len)
{ FORWARD(F(be)->inner->secret_get(F(be)->inner, name, out, len)); }
static int f_secret_set(coplan_store_backend *be, const char *name, const unsigned char *v, size_t len)
{ FORWARD(F(be)->inner->secret_set(F(be)->inner, name, v, len)); }
static int f_audit_append(coplan_store_backend *be, const coplan_audit_entry *e)
{ FORWARD(F(be)->inner->audit_append(F(be)->inner, e)); }
static int f_audit_last(coplan_store_backend *be, long *seq)
{ FORWARD(F(be)->inner->audit_last(F(be)->inner, seq)); }
static int f_audit_entries(coplan_store_backend *be, long since, coplan_audit_entry **out, size_t *n)
{ FORWARD(F(be)->inner->audit_entries(F(be)->inner, since, out, n)); }
static int f_audit_checkpoint_append(coplan_store_backend *be, const coplan_audit_checkpoint *cp, long *id)
{ FORWARD(F(be)->inner->audit_checkpoint_append(F(be)->inner, cp, id)); }
static int f_audit_checkpoints(coplan_store_backend *be, coplan_audit_checkpoint **out, size_t *n)
{ FORWARD(F(be)->inner->audit_checkpoints(F(be)->inner, out, n)); }
static int f_partner_ca_add(coplan_store_backend *be, const coplan_partner_ca *ca)
{ FORWARD(F(be)->inner->partner_ca_add(F(be)->inner, ca)); }
static int f_partner_cas(coplan_store_backend *be, coplan_partner_ca **out, size_t *n)
{ FORWARD(F(be)->inner->partner_cas(F(be)->inner, out, n)); }
static int f_partner_ca_delete(coplan_store_backend *be, const char *fp)
{ FORWARD(F(be)->inner->partner_ca_delete(F(be)->inner, fp)); }
static int f_bundle_seq_get(coplan_store_backend *be, const char *d, const char *nation, const char *uuid,
                            long *seq, long *size, char root[65])
{ FORWARD(F(be)->inner->bundle_seq_get(F(be)->inner, d, nation, uuid, seq, size, root)); }
static int f_bundle_seq_set(coplan_store_backend *be, const char *d, const char *nation, const char *uuid,
                            long seq, long size, const char *root)
{ FORWARD(F(be)->inner->bundle_seq_set(F(be)->inner, d, nation, uuid, seq, size, root)); }
static int f_bundle_payload_add(coplan_store_backend *be, const char *d, const char *nation, const char *uuid,
                                long seq, const char *sha, const char *at, const char *payload, size_t len)
{ FORWARD(F(be)->inner->bundle_payload_add(F(be)->inner, d, nation, uuid, seq, sha, at, payload, len)); }
static int f_bundle_payload_get(coplan_store_backend *be, const char *d, const char *nation, const char *uuid,
                                const char *sha, char **payload, size_t *len, char sha_out[65])
{ FORWARD(F(be)->inner->bundle_payload_get(F(be)->inner, d, nation, uuid, sha, payload, len, sha_out)); }
static int f_merge_set(coplan_store_backend *be, long plan_id, const char *state, const char *at)
{ FORWARD(F(be)->inner->merge_set(F(be)->inner, plan_id, state, at)); }
static int f_merge_get(coplan_store_backend *be, long plan_id, char **state)
{ FORWARD(F(be)->inner->merge_get(F(be)->inner, plan_id, state)); }
static int f_publish(coplan_store_backend *be, const char *nation, char name[64])
{ FORWARD(F(be)->inner->publish(F(be)->inner, nation, name)); }
static void f_free(coplan_store_backend *be)
{
	F(be)->inner->free(F(be)->inner);
	free(be);
}

static faulty *open_faulty(coplan_store **store, const char *path, int fail_at, int busy)
{
	coplan_store_backend *inner = NULL;
	faulty *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(test_db_pg() ? coplan_store_pg_open(&inner, path, 0)
	                              : coplan_store_sqlite_open(&inner, path, 0), 0);
	f->inner = inner;
	f->fail_at = fail_at;
	f->busy = busy;
	f->base = *inner;
	f->base.begin = f_begin;
	f->base.commit = f_commit;
	f->base.rollback = f_rollback;
	f->base.insert_plan = f_insert_plan;
	f->base.load_plan = f_load_plan;
	f->base.update_plan = f_update_plan;
	f->base.foreach_plan = f_foreach_plan;
	f->base.version_newest = f_version_newest;
	f->base.version_snapshot = f_version_snapshot;
	f->base.version_insert = f_version_insert;
	f->base.versions = f_versions;
	f->base.status_apply = f_status_apply;
	f->base.history = f_history;
	f->base.history_append = f_history_append;
	f->base.delete_plan = f_delete_plan;
	f->base.check = f_check;
	f->base.backup = f_backup;
	f->base.restore = f_restore;
	f->base.set_busy_timeout = f_set_busy_timeout;
	f->base.seal_get = f_seal_get;
	f->base.seal_set = f_seal_set;
	f->base.account_insert = f_account_insert;
	f->base.account_get = f_account_get;
	f->base.accounts = f_accounts;
	f->base.account_update = f_account_update;
	f->base.role_set = f_role_set;
	f->base.role_get = f_role_get;
	f->base.roles = f_roles;
	f->base.session_insert = f_session_insert;
	f->base.session_get = f_session_get;
	f->base.session_delete = f_session_delete;
	f->base.login_failure_add = f_login_failure_add;
	f->base.login_failures = f_login_failures;
	f->base.login_failures_forget = f_login_failures_forget;
	f->base.feed_token_get = f_feed_token_get;
	f->base.feed_token_insert = f_feed_token_insert;
	f->base.feed_token_find = f_feed_token_find;
	f->base.secret_get = f_secret_get;
	f->base.secret_set = f_secret_set;
	f->base.audit_append = f_audit_append;
	f->base.audit_last = f_audit_last;
	f->base.audit_entries = f_audit_entries;
	f->base.audit_checkpoint_append = f_audit_checkpoint_append;
	f->base.audit_checkpoints = f_audit_checkpoints;
	f->base.partner_ca_add = f_partner_ca_add;
	f->base.partner_cas = f_partner_cas;
	f->base.partner_ca_delete = f_partner_ca_delete;
	f->base.bundle_seq_get = f_bundle_seq_get;
	f->base.bundle_seq_set = f_bundle_seq_set;
	f->base.bundle_payload_add = f_bundle_payload_add;
	f->base.bundle_payload_get = f_bundle_payload_get;
	f->base.merge_set = f_merge_set;
	f->base.merge_get = f_merge_get;
	f->base.publish = f_publish;
	f->base.free = f_free;
	/* the operations of the open itself (sealing older plans) are not the use case's */
	f->fail_at = 0;
	assert_int_equal(coplan_store_open_backend(store, &f->base), 0);
	f->calls = 0;
	f->fail_at = fail_at;
	return f;
}

/* ---- the database's content, as text, read through an ordinary store -- */

static int append(char **s, size_t *len, const char *add, size_t n)
{
	char *g = realloc(*s, *len + n + 1);

	assert_non_null(g);
	memcpy(g + *len, add, n);
	*len += n;
	g[*len] = '\0';
	*s = g;
	return 0;
}

/* The rows of a table as lines "|v1|v2...\n" (columns: how many), in the order read (sorted by the caller). */
typedef struct {
	char **lines;
	size_t n, cap, columns;
} row_lines;


static int collect_row(const char *const *values, void *payload)
{
	row_lines *rows = payload;
	char *line = NULL;
	size_t len = 0;

	for (size_t c = 0; c < rows->columns; c++) {
		append(&line, &len, "|", 1);
		if (values[c])
			append(&line, &len, values[c], strlen(values[c]));
	}
	append(&line, &len, "\n", 1);
	if (rows->n == rows->cap) {
		rows->cap = rows->cap ? 2 * rows->cap : 16;
		rows->lines = realloc(rows->lines, rows->cap * sizeof(*rows->lines));
		assert_non_null(rows->lines);
	}
	rows->lines[rows->n++] = line;
	return 0;
}

static int by_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *digest(const char *path)
{
	coplan_ctx ctx = { 0 };
	coplan_plan_entry *plans = NULL;
	char *out = NULL, line[512];
	size_t n = 0, len = 0;

	assert_int_equal(coplan_store_open_existing(&ctx.store, path), 0);
	assert_int_equal(coplan_service_plans(&ctx, &plans, &n), 0);
	for (size_t i = 0; i < n; i++) {
		coplan_plan_version *v = NULL;
		coplan_activity_event *e = NULL;
		char *snap = NULL;
		size_t nv = 0, ne = 0, sl = 0;

		assert_int_equal(coplan_plan_snapshot(&snap, &sl, plans[i].plan), 0);
		append(&out, &len, snap, sl);
		free(snap);
		assert_int_equal(coplan_store_versions(ctx.store, plans[i].id, &v, &nv), 0);
		for (size_t k = 0; k < nv; k++) {
			snprintf(line, sizeof(line), "version %d %d %s %s\n", v[k].number, (int)v[k].state,
			         v[k].author, v[k].note ? v[k].note : "");
			append(&out, &len, line, strlen(line));
		}
		coplan_plan_versions_free(v, nv);
		assert_int_equal(coplan_store_history(ctx.store, plans[i].id, NULL, &e, &ne), 0);
		for (size_t k = 0; k < ne; k++) {
			snprintf(line, sizeof(line), "event %s %d %ld %ld %s %s %d %s %s\n", e[k].ref, (int)e[k].status,
			         (long)e[k].start, (long)e[k].end, e[k].author, e[k].reason ? e[k].reason : "",
			         (int)e[k].action, e[k].uuid, e[k].detail ? e[k].detail : "");
			append(&out, &len, line, strlen(line));
		}
		coplan_activity_events_free(e, ne);
	}
	coplan_plan_entries_free(plans, n);
	/* the users' tables, row by row: every column as text, read through the backend (either kind) */
	{
		static const char *const tables[] = { "account", "plan_role", "session", "login_failure",
		                                      "feed_token", "secret", "partner_ca", "bundle_sequence",
		                                      "bundle_payload", "pending_merge" };
		static const size_t columns[] = { 8, 3, 5, 2, 4, 2, 9, 6, 8, 3 };
		coplan_store_backend *be = coplan_store_backend_of(ctx.store);

		for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
			row_lines rows = { NULL, 0, 0, columns[t] };

			assert_int_equal(be->rows_read(be, tables[t], collect_row, &rows), 0);
			if (rows.n)
				qsort(rows.lines, rows.n, sizeof(*rows.lines), by_line);
			append(&out, &len, tables[t], strlen(tables[t]));
			for (size_t r = 0; r < rows.n; r++) {
				append(&out, &len, rows.lines[r], strlen(rows.lines[r]));
				free(rows.lines[r]);
			}
			free(rows.lines);
		}
	}
	coplan_store_close(ctx.store);
	return out ? out : strdup("");
}

/* ---- the use cases ------------------------------------------------------ */

static char base_path[512], run_path[512], jpn_path[512];

typedef int (*use_case)(const coplan_ctx *ctx);

static int uc_import_plan(const coplan_ctx *ctx)
{
	static const char from[] = "\"title\": \"Cooperation Plan 2024\"";
	static const char to[] = "\"title\": \"Cooperation Plan 2024 bis\"";
	coplan_import_request req = { 0 };
	coplan_import_result res;
	size_t len = 0;
	char *json = test_read_file(EXAMPLE "/plan.json", &len), *at, *copy;
	int rc;

	assert_non_null(json);
	at = strstr(json, from);
	assert_non_null(at);
	copy = malloc(len + sizeof(to));
	assert_non_null(copy);
	snprintf(copy, len + sizeof(to), "%.*s%s%s", (int)(at - json), json, to, at + strlen(from));
	req.path = "upload.json";
	req.data = copy;
	req.len = strlen(copy);
	rc = coplan_service_import(ctx, &req, &res);
	coplan_import_result_clear(&res);
	free(copy);
	free(json);
	return rc;
}

static int uc_import_activities(const coplan_ctx *ctx)
{
	static const char csv[] =
		"ref,title,area,kind,host,participants,units,duration,mode,earliest,latest,requested\n"
		"IT-90,Seminar on space situational awareness,strategic dialogue,seminar,ITA,ITA;JPN,,3,working,,,2024-10\n";
	char path[600];
	coplan_import_request req = { 0 };
	coplan_import_result res;
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/test_store_faults_%ld.new.csv", COPLAN_TEST_TMP, (long)getpid());
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(csv, f);
	fclose(f);
	req.path = path;
	rc = coplan_service_import(ctx, &req, &res);
	coplan_import_result_clear(&res);
	unlink(path);
	return rc;
}

static int uc_import_holidays(const coplan_ctx *ctx)
{
	coplan_import_request req = { 0 };
	coplan_import_result res;
	int rc;

	req.path = COPLAN_TEST_DATA "/ics-in/aus-plan/holidays/AUS.ics";
	req.nation = "AUS";
	rc = coplan_service_import(ctx, &req, &res);
	coplan_import_result_clear(&res);
	return rc;
}

static int uc_schedule(const coplan_ctx *ctx)
{
	coplan_schedule_request req = { -1, 5, 1, 0 };
	coplan_schedule_result res;
	int rc = coplan_service_schedule(ctx, 0, &req, &res);

	coplan_schedule_result_clear(&res);
	return rc;
}

static int uc_plan_new(const coplan_ctx *ctx)
{
	coplan_plan_folder_result folder;
	coplan_schedule_request req = { -1, 1, 0, 0 };
	coplan_plan *plan = NULL;
	int rc;

	assert_int_equal(coplan_service_plan_folder_read(EXAMPLE, NULL, &plan, &folder), 0);
	free(plan->title);
	plan->title = strdup("Cooperation Plan 2024 (what-if)");
	rc = coplan_service_plan_new(ctx, plan, &req, &folder.schedule);
	coplan_plan_folder_result_clear(&folder);
	coplan_plan_free(plan);
	return rc;
}

static int uc_version_agreed(const coplan_ctx *ctx)
{
	return coplan_service_version_save(ctx, 0, COPLAN_VERSION_AGREED, "agreed at the talks", NULL,
	                                   NULL, NULL);
}

static int uc_set_status(const coplan_ctx *ctx)
{
	coplan_status_change c[2] = {
		{ "IT-02", COPLAN_STATUS_EXECUTED, COPLAN_DATE_NONE, COPLAN_DATE_NONE, NULL, NULL },
		{ "JP-03", COPLAN_STATUS_CANCELLED, COPLAN_DATE_NONE, COPLAN_DATE_NONE, "typhoon", NULL },
	};

	return coplan_service_set_statuses(ctx, 0, c, 2, 0, NULL);
}

static int uc_execution_log(const coplan_ctx *ctx)
{
	return coplan_service_import_execution_log(ctx, 0, EXAMPLE "/execution.csv", NULL, 0, NULL, 0, NULL, NULL);
}

static int uc_activity_add(const coplan_ctx *ctx)
{
	static const coplan_field_value fields[] = {
		{ "title", "Space seminar" }, { "host", "ITA" }, { "duration", "3" }, { "requested", "2024-10" },
	};

	return coplan_service_activity_add(ctx, 0, "IT-90", fields, 4, NULL, "a new seminar");
}

static int uc_activity_edit(const coplan_ctx *ctx)
{
	static const coplan_field_value fields[] = { { "location", "Naples" }, { "duration", "4" } };

	return coplan_service_activity_edit(ctx, 0, "IT-01", -1, fields, 2, NULL, "longer", NULL, NULL);
}

static int uc_blackout_add(const coplan_ctx *ctx)
{
	coplan_blackout b = { (char *)"JMSDF Yokosuka District", 0, 0, 1, (char *)"fleet review", NULL };

	b.from = coplan_date_from_ymd(2024, 8, 19);
	b.to = coplan_date_from_ymd(2024, 8, 30);
	return coplan_service_blackout_add(ctx, 0, &b);
}

static int uc_budget_set(const coplan_ctx *ctx)
{
	coplan_budget b = { "JPN", 2024, (char *)"JASDF exchange", "JPY", 5000000 };

	return coplan_service_budget_set(ctx, 0, &b, COPLAN_BUDGET_ANY, "budget law");
}

static int uc_rate_add(const coplan_ctx *ctx)
{
	coplan_rate r = { "EUR", "USD", (char *)"1.085", 0 };

	r.valid_from = coplan_date_from_ymd(2024, 1, 1);
	return coplan_service_rate_add(ctx, 0, &r, "illustrative");
}

static int uc_plan_copy(const coplan_ctx *ctx)
{
	return coplan_service_plan_copy(ctx, 0, 2025, NULL, NULL, NULL, NULL);
}

static int uc_plan_delete(const coplan_ctx *ctx)
{
	return coplan_service_plan_delete(ctx, 0, 0);
}

/* The users' use cases: account 1 is the planner setup() adds, ITA, planner of plan 1. */
#define PASSWORD "planner's passphrase"

static int uc_user_add(const coplan_ctx *ctx)
{
	return coplan_service_user_add(ctx, "reviewer", "JPN", "Cdr Sato", PASSWORD, 0, NULL);
}

static int uc_user_passwd(const coplan_ctx *ctx)
{
	return coplan_service_user_passwd(ctx, "planner", "a new passphrase for the planner");
}

static int uc_user_disable(const coplan_ctx *ctx)
{
	return coplan_service_user_disable(ctx, "planner", 1);
}

static int uc_role_grant(const coplan_ctx *ctx)
{
	return coplan_service_role_grant(ctx, 1, "planner", COPLAN_PLAN_ROLE_OWNER);
}

static int uc_login(const coplan_ctx *ctx)
{
	char token[COPLAN_TOKEN_LEN];
	coplan_session s;

	return coplan_service_login(ctx, "planner", PASSWORD, 3600, token, &s);
}

static int uc_feed_token(const coplan_ctx *ctx)
{
	coplan_ctx as = *ctx;
	char token[COPLAN_TOKEN_LEN];

	as.account = 1;
	return coplan_service_feed_token(&as, 1, token);
}

static int uc_planner_edit(const coplan_ctx *ctx)
{
	static const coplan_field_value fields[] = { { "location", "Milan" } };
	coplan_ctx as = *ctx;

	as.account = 1;
	as.user = "planner";
	as.nation = "ITA";
	return coplan_service_activity_edit(&as, 1, "IT-01", -1, fields, 1, NULL, NULL, NULL, NULL);
}

/* The PKI of the exchange's use cases: made with openssl in setup, in pki_dir. */
static char pki_dir[512];

static const char *pki(const char *name)
{
	static char buf[4][640];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", pki_dir, name);
	return buf[i];
}

static int uc_ca_import(const coplan_ctx *ctx)
{
	return coplan_service_ca_import(ctx, "GBR", pki("gbr_ca.pem"), 1, NULL);
}

static int uc_bundle_export(const coplan_ctx *ctx)
{
	coplan_bundle_request req = { .to = "JPN", .cert = pki("ita.pem"), .key = pki("ita.key"),
	                              .path = pki("out.coplan") };
	coplan_bundle_result r;
	int rc = coplan_service_bundle_export(ctx, 1, &req, &r);

	coplan_bundle_result_release(&r);
	return rc;
}

static int uc_bundle_import(const coplan_ctx *ctx)
{
	coplan_bundle_import_result r;

	return coplan_service_bundle_import(ctx, pki("from-jpn.coplan"), pki("ita.pem"), &r);
}

static const struct {
	const char *name;
	use_case fn;
	int changes;           /* a success changes the record (a re-plan of a good plan may not) */
} use_cases[] = {
	{ "import plan", uc_import_plan, 1 },
	{ "import activities", uc_import_activities, 1 },
	{ "import holidays", uc_import_holidays, 1 },
	{ "schedule", uc_schedule, 0 },
	{ "plan new", uc_plan_new, 1 },
	{ "version save", uc_version_agreed, 1 },
	{ "set status", uc_set_status, 1 },
	{ "execution log", uc_execution_log, 1 },
	{ "activity add", uc_activity_add, 1 },
	{ "activity edit", uc_activity_edit, 1 },
	{ "blackout add", uc_blackout_add, 1 },
	{ "budget set", uc_budget_set, 1 },
	{ "rate add", uc_rate_add, 1 },
	{ "plan copy", uc_plan_copy, 1 },
	{ "plan delete", uc_plan_delete, 1 },
	{ "user add", uc_user_add, 1 },
	{ "user passwd", uc_user_passwd, 1 },
	{ "user disable", uc_user_disable, 1 },
	{ "role grant", uc_role_grant, 1 },
	{ "login", uc_login, 1 },
	{ "feed token", uc_feed_token, 1 },
	{ "planner's edit", uc_planner_edit, 1 },
	{ "ca import", uc_ca_import, 1 },
	{ "bundle export", uc_bundle_export, 1 },
	{ "bundle import", uc_bundle_import, 1 },
};

static int setup(void **state)
{
	coplan_ctx ctx = { 0 };
	coplan_plan_folder_result folder;
	coplan_schedule_request req = { -1, 1, 0, 0 };
	coplan_plan *plan = NULL;
	char cmd[2048];

	(void)state;
	test_db_fresh(base_path, sizeof(base_path), "test_store_faults");
	test_db_fresh(run_path, sizeof(run_path), "test_store_faults_run");
	ctx.user = "Lt Col Test";
	if (coplan_store_open(&ctx.store, base_path) ||
	    coplan_service_plan_folder_read(EXAMPLE, NULL, &plan, &folder) ||
	    coplan_service_plan_new(&ctx, plan, &req, &folder.schedule))
		return -1;
	coplan_plan_folder_result_clear(&folder);
	coplan_plan_free(plan);
	if (coplan_service_user_add(&ctx, "planner", "ITA", NULL, PASSWORD, 0, NULL) ||
	    coplan_service_role_grant(&ctx, 1, "planner", COPLAN_PLAN_ROLE_PLANNER))
		return -1;
	/*
	 * the exchange: a PKI made here (no key committed), JPN's CA trusted, and
	 * a bundle from JPN of the same plan, made from a copy of this database
	 */
	snprintf(pki_dir, sizeof(pki_dir), "%s/test_store_faults_pki_%ld", COPLAN_TEST_TMP, (long)getpid());
	snprintf(cmd, sizeof(cmd), "rm -rf %s && mkdir -p %s && cd %s && for n in ita:IT jpn:JP gbr_ca:GB; do "
	         "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ${n%%:*}.key "
	         "-out ${n%%:*}.pem -days 365 -subj \"/C=${n#*:}/CN=${n%%:*}\" 2>/dev/null || exit 1; done",
	         pki_dir, pki_dir, pki_dir);
	if (system(cmd) != 0 || coplan_service_ca_import(&ctx, "JPN", pki("jpn.pem"), 0, NULL))
		return -1;
	coplan_store_close(ctx.store);
	test_db_fresh(jpn_path, sizeof(jpn_path), "test_store_faults_jpn");
	test_db_copy(base_path, jpn_path);
	{
		coplan_bundle_request req = { .to = "ITA", .cert = pki("jpn.pem"), .key = pki("jpn.key"),
		                              .path = pki("from-jpn.coplan") };
		coplan_bundle_result r;
		int rc;

		if (coplan_store_open(&ctx.store, jpn_path))
			return -1;
		rc = coplan_service_bundle_export(&ctx, 1, &req, &r);
		coplan_bundle_result_release(&r);
		coplan_store_close(ctx.store);
		if (rc)
			return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_remove_db(base_path);
	test_remove_db(run_path);
	test_remove_db(jpn_path);
	if (*pki_dir) {
		char cmd[640];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", pki_dir);
		if (system(cmd) != 0)
			return -1;
	}
	coplan_document_shutdown();
	return 0;
}

/* Each use case, each backend operation in turn failing as disk full, then as busy. */
static void test_each_operation_fails(void **state)
{
	char *before = NULL;

	(void)state;
	before = digest(base_path);
	for (size_t u = 0; u < sizeof(use_cases) / sizeof(use_cases[0]); u++) {
		/* on PostgreSQL the disk-full pass only: "busy" takes the same way back (rollback), at twice the time */
		for (int busy = 0; busy <= (test_db_pg() ? 0 : 1); busy++) {
			int failures = 0;

			for (int fail_at = 1; fail_at < 1000; fail_at++) {
				coplan_ctx ctx = { 0 };
				faulty *f;
				char *after, msg[1024];
				int rc;

				/*
				 * a fresh copy each time on SQLite (a file copy); on PostgreSQL
				 * (a CREATE DATABASE) once per use case: a failed run that changed
				 * anything fails the test below anyway
				 */
				if (fail_at == 1 || !test_db_pg())
					test_db_copy(base_path, run_path);
				f = open_faulty(&ctx.store, run_path, fail_at, busy);
				ctx.user = "Lt Col Test";
				coplan_error_clear();
				rc = use_cases[u].fn(&ctx);
				int hit = f->hit;
				snprintf(msg, sizeof(msg), "%s", coplan_error_last());
				coplan_store_close(ctx.store);
				after = digest(run_path);
				if (!hit) {
					/* every operation got through: the use case succeeds and changes the record */
					if (rc != 0)
						fail_msg("%s: failed without an injected fault: %s", use_cases[u].name, msg);
					if (use_cases[u].changes && !strcmp(before, after))
						fail_msg("%s: succeeded and changed nothing", use_cases[u].name);
					free(after);
					assert_true(failures > 0);
					break;
				}
				failures++;
				if (rc != COPLAN_ESTORE)
					fail_msg("%s, operation %d failing: returned %d (%s)", use_cases[u].name,
					         fail_at, rc, msg);
				if (!strstr(msg, "injected") || !strstr(msg, busy ? "busy" : "full"))
					fail_msg("%s, operation %d failing: unclear error '%s'", use_cases[u].name,
					         fail_at, msg);
				if (strcmp(before, after) != 0)
					fail_msg("%s, operation %d failing (%s): the database changed", use_cases[u].name,
					         fail_at, busy ? "busy" : "disk full");
				free(after);
			}
		}
	}
	free(before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_each_operation_fails, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

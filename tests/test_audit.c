/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_audit.c - the audit log through the service layer: one entry for each kind of change
 * (with the plan's content seal before and after) and for each refusal (after the rollback,
 * the refusal's message kept), who and when; every leaf recomputed from its entry, the signed
 * root recomputed from the leaves, verification of a clean log.  Its own CA and office key
 * are made with the openssl command.
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
#include "coplan/merkle.h"
#include "test_util.h"

#define EXAMPLE COPLAN_SOURCE_DIR "/examples/italy-japan-2024"
#define PASSWORD "correct horse battery"

static char db_path[512], dir[512];

typedef struct {
	coplan_store *store;
	time_t now;
	long plan, kim, jun;     /* the example; an ITA owner; a JPN viewer */
} fixture;

static time_t fixed_clock(void *payload)
{
	return ((fixture *)payload)->now;
}

/* A context: account 0 (the local operator) as "Lt Col Test", or account id named name. */
static coplan_ctx as(fixture *f, long account, const char *name, const char *nation)
{
	coplan_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.store = f->store;
	ctx.clock = fixed_clock;
	ctx.clock_payload = f;
	ctx.account = account;
	ctx.user = name;
	ctx.nation = nation;
	return ctx;
}

static void sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
	static fixture f;
	coplan_plan_folder_result folder;
	coplan_schedule_request req = { -1, 1, 0, 0 };
	coplan_plan *plan = NULL;
	coplan_ctx op;

	memset(&f, 0, sizeof(f));
	f.now = 1717200000; /* 2024-06-01T00:00:00Z */
	snprintf(db_path, sizeof(db_path), "%s/test_audit_%ld.db", COPLAN_TEST_TMP, (long)getpid());
	snprintf(dir, sizeof(dir), "%s/test_audit_%ld", COPLAN_TEST_TMP, (long)getpid());
	test_remove_db(db_path);
	sh("rm -rf %s && mkdir -p %s", dir, dir);
	sh("cd %s && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key "
	   "-out ca.pem -days 3650 -subj '/C=IT/CN=ITA audit test CA' "
	   "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign "
	   "2>/dev/null && openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
	   "-keyout office.key -out office.csr -subj '/C=IT/CN=ITA office' 2>/dev/null && "
	   "printf 'basicConstraints=CA:FALSE\\nkeyUsage=critical,digitalSignature\\n' > office.ext && "
	   "openssl x509 -req -in office.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out office.pem "
	   "-days 3650 -extfile office.ext 2>/dev/null", dir);
	if (coplan_store_open(&f.store, db_path))
		return -1;
	op = as(&f, 0, "Lt Col Test", "ITA");
	if (coplan_service_plan_folder_read(EXAMPLE, NULL, &plan, &folder) ||
	    coplan_service_plan_new(&op, plan, &req, &folder.schedule))
		return -1;
	f.plan = folder.schedule.plan_id;
	coplan_plan_folder_result_clear(&folder);
	coplan_plan_free(plan);
	if (coplan_service_user_add(&op, "kim", "ITA", NULL, PASSWORD, 0, &f.kim) ||
	    coplan_service_user_add(&op, "jun", "JPN", NULL, PASSWORD, 0, &f.jun) ||
	    coplan_service_role_grant(&op, f.plan, "kim", COPLAN_PLAN_ROLE_OWNER) ||
	    coplan_service_role_grant(&op, f.plan, "jun", COPLAN_PLAN_ROLE_VIEWER))
		return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	coplan_store_close(f->store);
	test_remove_db(db_path);
	sh("rm -rf %s", dir);
	coplan_document_shutdown();
	return 0;
}

/* The whole log, read as the local operator. */
static coplan_audit_entry *log_of(fixture *f, size_t *n)
{
	coplan_ctx op = as(f, 0, "Lt Col Test", "ITA");
	coplan_audit_entry *e = NULL;

	assert_int_equal(coplan_service_audit_entries(&op, 0, &e, n), 0);
	return e;
}

static size_t log_size(fixture *f)
{
	size_t n;
	coplan_audit_entry *e = log_of(f, &n);

	coplan_audit_entries_free(e, n);
	return n;
}

/* The log has grown by exactly one entry since it had n0: check it. */
static void expect_one(fixture *f, size_t n0, const char *action, const char *object, int error,
                       const char *user, const char *nation, int seal_before, int seal_after)
{
	size_t n;
	coplan_audit_entry *e = log_of(f, &n), *last;

	for (size_t i = n0; i < n; i++)
		print_message("entry %ld: %s %s %s\n", e[i].seq, e[i].action, e[i].object,
		              e[i].refused ? "refused" : "done");
	assert_int_equal(n, n0 + 1);
	last = &e[n - 1];
	assert_int_equal(last->seq, (long)n);
	assert_string_equal(last->action, action);
	if (!strstr(last->object, object))
		fail_msg("entry %ld: object '%s' has no '%s'", last->seq, last->object, object);
	assert_int_equal(last->refused, error != 0);
	assert_int_equal(last->error, error);
	assert_string_equal(last->account_name, user);
	assert_string_equal(last->nation, nation);
	assert_string_equal(last->at, "2024-06-01T00:00:00Z");
	assert_int_equal(strlen(last->before), seal_before ? 64 : 0);
	assert_int_equal(strlen(last->after), seal_after ? 64 : 0);
	/* a version, a copy leave the plan's content as it was */
	if (seal_before && seal_after && !error && strcmp(action, "plan copy") && strcmp(action, "version"))
		if (!strcmp(last->before, last->after))
			fail_msg("entry %ld (%s): the seal did not change", last->seq, action);
	coplan_audit_entries_free(e, n);
}

/* Each kind of change: one entry, written in its transaction, the plan's seal before and after. */
static void test_changes(void **state)
{
	fixture *f = *state;
	coplan_ctx op = as(f, 0, "Lt Col Test", "ITA"), kim = as(f, f->kim, "kim", "ITA");
	coplan_field_value title = { "title", "Staff talks, first round" };
	coplan_blackout b = { (char *)"ITA", 0, 0, 1, (char *)"Fleet review", NULL };
	coplan_status_change sc = { "IT-01", COPLAN_STATUS_CONFIRMED, COPLAN_DATE_NONE, COPLAN_DATE_NONE,
	                            NULL, "kim" };
	coplan_session session;
	char token[COPLAN_TOKEN_LEN];
	coplan_plan *plan = NULL;
	size_t n0, carried, left;
	long copy;
	int number;

	/* what setup did: the plan made, two users, two roles */
	{
		size_t n;
		coplan_audit_entry *e = log_of(f, &n);

		assert_int_equal(n, 5);
		assert_string_equal(e[0].action, "plan new");
		assert_int_equal(strlen(e[0].before), 0);
		assert_int_equal(strlen(e[0].after), 64);
		assert_string_equal(e[0].account_name, "Lt Col Test");
		assert_int_equal(e[0].account, 0);
		assert_string_equal(e[1].action, "user add");
		assert_string_equal(e[1].object, "user kim");
		assert_string_equal(e[3].action, "role grant");
		coplan_audit_entries_free(e, n);
	}
	n0 = log_size(f);
	assert_int_equal(coplan_service_activity_edit(&kim, f->plan, "IT-01", -1, &title, 1, NULL, NULL,
	                                              NULL, NULL), 0);
	expect_one(f, n0, "activity edit", "activity IT-01", 0, "kim", "ITA", 1, 1);
	assert_int_equal(coplan_service_load(&kim, f->plan, &plan, NULL), 0);
	b.from = plan->window_from;
	b.to = plan->window_from;
	coplan_plan_free(plan);
	n0 = log_size(f);
	assert_int_equal(coplan_service_blackout_add(&kim, f->plan, &b), 0);
	expect_one(f, n0, "blackout add", "blackout of ITA", 0, "kim", "ITA", 1, 1);
	n0 = log_size(f);
	assert_int_equal(coplan_service_blackout_delete(&kim, f->plan, 1, NULL, "no longer"), 0);
	expect_one(f, n0, "blackout delete", "blackout 1", 0, "kim", "ITA", 1, 1);
	n0 = log_size(f);
	assert_int_equal(coplan_service_set_statuses(&kim, f->plan, &sc, 1, 0, NULL), 0);
	expect_one(f, n0, "status", "activity IT-01", 0, "kim", "ITA", 1, 1);
	n0 = log_size(f);
	assert_int_equal(coplan_service_version_save(&op, f->plan, COPLAN_VERSION_DRAFT, NULL, &number,
	                                             NULL, NULL), 0);
	expect_one(f, n0, "version", "version 1 draft", 0, "Lt Col Test", "ITA", 1, 1);
	n0 = log_size(f);
	assert_int_equal(coplan_service_plan_copy(&op, f->plan, 2025, NULL, &copy, &carried, &left), 0);
	expect_one(f, n0, "plan copy", "copied to plan", 0, "Lt Col Test", "ITA", 1, 1);
	n0 = log_size(f);
	assert_int_equal(coplan_service_plan_delete(&op, copy, 0), 0);
	expect_one(f, n0, "plan delete", "plan ", 0, "Lt Col Test", "ITA", 1, 0);
	/* a login, a failed one, a logout: the account that logged in is the one recorded */
	n0 = log_size(f);
	assert_int_equal(coplan_service_login(&op, "jun", PASSWORD, 3600, token, &session), 0);
	expect_one(f, n0, "login", "user jun", 0, "jun", "JPN", 0, 0);
	n0 = log_size(f);
	assert_int_equal(coplan_service_login(&op, "jun", "wrong password!", 3600, token + 0, &session),
	                 COPLAN_EAUTH);
	expect_one(f, n0, "login", "user jun", COPLAN_EAUTH, "jun", "JPN", 0, 0);
	assert_int_equal(coplan_service_login(&op, "jun", PASSWORD, 3600, token, &session), 0);
	n0 = log_size(f);
	assert_int_equal(coplan_service_logout(&op, token), 0);
	expect_one(f, n0, "logout", "user jun", 0, "jun", "JPN", 0, 0);
	n0 = log_size(f);
	assert_int_equal(coplan_service_user_disable(&op, "jun", 1), 0);
	expect_one(f, n0, "user disable", "user jun", 0, "Lt Col Test", "ITA", 0, 0);
	assert_int_equal(coplan_service_user_disable(&op, "jun", 0), 0);
	/* a restore: the backup's log comes back, and the restore is its next entry */
	{
		char backup[600];
		char *report = NULL;

		snprintf(backup, sizeof(backup), "%s/backup.db", dir);
		assert_int_equal(coplan_service_db_backup(&op, backup), 0);
		n0 = log_size(f);
		assert_int_equal(coplan_service_db_restore(&op, backup, &report), 0);
		free(report);
		expect_one(f, n0, "db restore", "backup.db", 0, "Lt Col Test", "ITA", 0, 0);
	}
}

/* Each refusal: one entry after the rollback, the refusal's message kept, nothing else written. */
static void test_refusals(void **state)
{
	fixture *f = *state;
	coplan_ctx op = as(f, 0, "Lt Col Test", "ITA"), jun = as(f, f->jun, "jun", "JPN");
	coplan_ctx ghost = as(f, 999, "ghost", "ITA");
	coplan_field_value title = { "title", "Not allowed" };
	coplan_plan *plan = NULL;
	size_t n0;

	/* a viewer edits: COPLAN_EDENIED */
	n0 = log_size(f);
	assert_int_equal(coplan_service_activity_edit(&jun, f->plan, "IT-02", -1, &title, 1, NULL, NULL,
	                                              NULL, NULL), COPLAN_EDENIED);
	assert_non_null(strstr(coplan_error_last(), "viewer"));
	expect_one(f, n0, "activity edit", "activity IT-02", COPLAN_EDENIED, "jun", "JPN", 0, 0);
	/* not logged in: COPLAN_EAUTH, on a read */
	n0 = log_size(f);
	assert_int_equal(coplan_service_load(&ghost, f->plan, &plan, NULL), COPLAN_EAUTH);
	assert_null(plan);
	expect_one(f, n0, "authorize", "plan 1 reading", COPLAN_EAUTH, "", "", 0, 0);
	/* a rule of the record: an amendment of a plan not signed, COPLAN_ECONFLICT */
	n0 = log_size(f);
	assert_int_equal(coplan_service_amend(&op, f->plan, NULL, NULL, NULL), COPLAN_ECONFLICT);
	assert_non_null(strstr(coplan_error_last(), "is not signed"));
	expect_one(f, n0, "amend", "plan ", COPLAN_ECONFLICT, "Lt Col Test", "ITA", 0, 0);
	/* a viewer reads the audit log: refused, and that is logged too */
	n0 = log_size(f);
	{
		coplan_audit_entry *e = NULL;
		size_t n = 0;

		assert_int_equal(coplan_service_audit_entries(&jun, 0, &e, &n), COPLAN_EDENIED);
		assert_null(e);
	}
	expect_one(f, n0, "authorize", "", COPLAN_EDENIED, "jun", "JPN", 0, 0);
	/* a question is no refusal: the role of a user without one */
	{
		coplan_plan_role role;
		coplan_ctx outsider = as(f, f->jun, "jun", "JPN");

		n0 = log_size(f);
		assert_int_equal(coplan_service_role_of(&outsider, f->plan + 100, &role), 0);
		assert_int_equal(log_size(f), n0);
	}
}

static void hex_of(char out[65], const coplan_merkle_hash h)
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* Every leaf from its entry's canonical bytes; the signed root from the leaves; a clean log verifies. */
static void test_leaves_and_root(void **state)
{
	fixture *f = *state;
	coplan_ctx op = as(f, 0, "Lt Col Test", "ITA");
	coplan_audit_checkpoint cp;
	coplan_audit_report report;
	coplan_audit_proof proof;
	coplan_merkle_hash *leaves, root, h;
	char cert[600], key[600], ca[600], hex[65];
	const char *cas[1] = { ca };
	size_t n;
	coplan_audit_entry *e;

	/* signed now: the certificate made today is valid now, not on the fixed day of the edits */
	f->now = time(NULL);
	snprintf(cert, sizeof(cert), "%s/office.pem", dir);
	snprintf(key, sizeof(key), "%s/office.key", dir);
	snprintf(ca, sizeof(ca), "%s/ca.pem", dir);
	assert_int_equal(coplan_service_audit_checkpoint(&op, cert, key, &cp), 0);
	e = log_of(f, &n);
	/* the checkpoint's own entry comes after the tree it signed */
	assert_int_equal(cp.size, (long)n - 1);
	assert_string_equal(e[n - 1].action, "audit checkpoint");
	leaves = calloc(n, sizeof(*leaves));
	assert_non_null(leaves);
	for (size_t i = 0; i < n; i++) {
		unsigned char *bytes;
		size_t len;

		assert_int_equal(coplan_audit_entry_encode(&bytes, &len, &e[i]), 0);
		/* the documented shape: a 4-byte length, then the tag */
		assert_memory_equal(bytes, "\0\0\0\x14" "coplan audit entry 1", 24);
		assert_int_equal(coplan_merkle_leaf_hash(leaves[i], bytes, len), 0);
		free(bytes);
		hex_of(hex, leaves[i]);
		assert_string_equal(hex, e[i].leaf);
	}
	assert_int_equal(coplan_merkle_root(root, leaves, (size_t)cp.size), 0);
	hex_of(hex, root);
	assert_string_equal(hex, cp.root);
	/* the root of one entry is its leaf hash; of none, SHA-256 of nothing (RFC 9162 2.1.1) */
	assert_int_equal(coplan_merkle_root(h, leaves, 1), 0);
	assert_memory_equal(h, leaves[0], 32);
	/* verification: all well, the signature checked against the CA */
	if (coplan_service_audit_verify(&op, cas, 1, &report))
		fail_msg("verify: %s", coplan_error_last());
	assert_int_equal(report.entries, (long)n);
	assert_int_equal(report.checkpoints, 1);
	assert_int_equal(report.signatures, 1);
	assert_null(report.problem);
	coplan_audit_report_release(&report);
	/* an inclusion proof of entry 3 that leads to the signed root */
	assert_int_equal(coplan_service_audit_proof(&op, 3, &proof), 0);
	{
		coplan_merkle_hash *path = calloc(proof.n_path + 1, sizeof(*path));

		assert_non_null(path);
		for (size_t i = 0; i < proof.n_path; i++)
			for (int k = 0; k < 32; k++) {
				unsigned v;

				assert_int_equal(sscanf(proof.path[i] + 2 * k, "%2x", &v), 1);
				path[i][k] = (unsigned char)v;
			}
		assert_int_equal(coplan_merkle_inclusion_verify(leaves[2], 2, (uint64_t)cp.size, path,
		                                                proof.n_path, root), 0);
		free(path);
	}
	coplan_audit_proof_release(&proof);
	assert_int_equal(coplan_service_audit_proof(&op, (long)n, &proof), COPLAN_ENOTFOUND);
	free(cp.signature);
	free(leaves);
	coplan_audit_entries_free(e, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_changes),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_leaves_and_root),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* db.c - the database as a whole: check it, back it up, restore a backup, copy it into another backend. */
#include <stdlib.h>
#include <string.h>

#include "../buf.h"
#include "service_int.h"

/* The problems found, one per line, into a growable buffer; the first failure to grow is kept. */
typedef struct {
	cp_buf text;
	int rc;
} problem_text;

static void add_problem(const char *problem, void *payload)
{
	problem_text *t = payload;

	if (!t->rc)
		t->rc = cp_buf_printf(&t->text, "%s\n", problem);
}

/* Hand the text over to *report ("" when nothing was found), or free it on an error. */
static int give_report(problem_text *t, int rc, char **report)
{
	if (!rc)
		rc = t->rc;
	if (rc || !report) {
		cp_buf_release(&t->text);
		return rc;
	}
	if (!(*report = cp_buf_detach(&t->text, NULL)))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	return 0;
}

int coplan_service_db_check(const coplan_ctx *ctx, int quick, char **report, size_t *n_problems)
{
	problem_text t;
	coplan_store *store;
	int rc;

	if (report)
		*report = NULL;
	*n_problems = 0;
	/* the whole database, every plan and user in it: an administrator's */
	if ((rc = cp_svc_store(ctx, &store)) || (rc = coplan_service_authorize(ctx, 0, COPLAN_ACTION_ADMIN)))
		return rc;
	t.text = (cp_buf)CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	t.rc = 0;
	rc = coplan_store_check(store, quick, add_problem, &t, n_problems);
	if ((rc = give_report(&t, rc, report)))
		*n_problems = 0;
	return rc;
}

int coplan_service_db_backup(const coplan_ctx *ctx, const char *path)
{
	coplan_store *store;
	int rc;

	if ((rc = cp_svc_store(ctx, &store)) || (rc = coplan_service_authorize(ctx, 0, COPLAN_ACTION_ADMIN)))
		return rc;
	return coplan_store_backup(store, path);
}

int coplan_service_db_restore(const coplan_ctx *ctx, const char *path, char **report)
{
	problem_text t;
	coplan_store *store;
	int rc;

	if (report)
		*report = NULL;
	if ((rc = cp_svc_store(ctx, &store)) || (rc = coplan_service_authorize(ctx, 0, COPLAN_ACTION_ADMIN)))
		return rc;
	t.text = (cp_buf)CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	t.rc = 0;
	rc = coplan_store_restore(store, path, add_problem, &t);
	if (!rc) {
		/* the database is the backup's now, its audit log with it: the restore is its next entry */
		cp_svc_audit a;

		cp_svc_audit_init(&a, "db restore", 0, "from %.400s", path);
		if (!(rc = coplan_store_begin(store)))
			rc = coplan_store_end(store, cp_svc_audit_record(ctx, store, &a, 0));
	}
	if (rc && report && !t.rc && t.text.len) {
		/* a refusal keeps its reasons for the caller */
		*report = cp_buf_detach(&t.text, NULL);
		return rc;
	}
	cp_buf_release(&t.text);
	return rc;
}

int coplan_service_db_publish(const coplan_ctx *ctx, const char *nation, char name[64])
{
	coplan_store *store;
	cp_svc_audit a;
	int rc;

	name[0] = '\0';
	if ((rc = cp_svc_store(ctx, &store)) || (rc = coplan_service_authorize(ctx, 0, COPLAN_ACTION_ADMIN)))
		return rc;
	if ((rc = coplan_store_publish(store, nation, name)))
		return rc;
	cp_svc_audit_init(&a, "db publish", 0, "%s for %.3s", name, nation);
	if (!(rc = coplan_store_begin(store)))
		rc = coplan_store_end(store, cp_svc_audit_record(ctx, store, &a, 0));
	return rc;
}

int coplan_service_db_copy(const coplan_ctx *ctx, const char *to,
                           void (*fn)(const char *table, size_t rows, void *payload), void *payload,
                           char sha256[65])
{
	problem_text t;
	coplan_store *from, *dst = NULL;
	size_t n = 0;
	int rc;

	if ((rc = cp_svc_store(ctx, &from)))
		return rc;
	if (!to || !*to)
		return cp_error(COPLAN_EUSAGE, "no database to copy into");
	if ((rc = coplan_store_open(&dst, to)))
		return rc;
	if ((rc = coplan_store_copy(from, dst, fn, payload, sha256))) {
		coplan_store_close(dst);
		return rc;
	}
	/* the copy read by the rules of the record: every seal, every version */
	t.text = (cp_buf)CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	t.rc = 0;
	rc = coplan_store_check(dst, 0, add_problem, &t, &n);
	coplan_store_close(dst);
	if (!rc && !t.rc && n)
		rc = cp_error(COPLAN_ESTORE, "%s: the copy has %zu problem%s: %s", to, n, n == 1 ? "" : "s",
		              t.text.data);
	if (!rc)
		rc = t.rc;
	cp_buf_release(&t.text);
	return rc;
}

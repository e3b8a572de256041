/* SPDX-License-Identifier: Apache-2.0 */
/* test_db.c - the tests' databases on either backend (tests only: the library's backends are in src/store/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "test_db.h"
#include "test_util.h"

int test_db_pg(void)
{
	const char *base = getenv("COPLAN_TEST_DB");

	return base && *base;
}

/* The database's own name in a URI base/dbname. */
static const char *pg_dbname(const char *uri)
{
	const char *slash = strrchr(uri, '/');

	return slash ? slash + 1 : uri;
}

static void quiet(void *payload, const char *message)
{
	(void)payload;
	(void)message;
}

/* Run sql on the server's maintenance database; the identifier db is quoted by libpq. */
static int pg_admin(const char *fmt, const char *db, const char *template_db)
{
	char uri[1024], sql[1024];
	PGconn *conn;
	PGresult *res;
	char *id = NULL, *tid = NULL;
	int ok;

	snprintf(uri, sizeof(uri), "%s/postgres", getenv("COPLAN_TEST_DB"));
	conn = PQconnectdb(uri);
	if (PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "test_db: cannot connect to %s: %s", uri, PQerrorMessage(conn));
		PQfinish(conn);
		return -1;
	}
	PQsetNoticeProcessor(conn, quiet, NULL);
	id = PQescapeIdentifier(conn, db, strlen(db));
	if (template_db)
		tid = PQescapeIdentifier(conn, template_db, strlen(template_db));
	snprintf(sql, sizeof(sql), fmt, id, tid ? tid : "");
	res = PQexec(conn, sql);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "test_db: %s: %s", sql, PQerrorMessage(conn));
	PQclear(res);
	PQfreemem(id);
	PQfreemem(tid);
	PQfinish(conn);
	return ok ? 0 : -1;
}

void test_db_fresh(char *out, size_t n, const char *label)
{
	if (!test_db_pg()) {
		snprintf(out, n, "%s/%s_%ld.db", COPLAN_TEST_TMP, label, (long)getpid());
		test_remove_db(out);
		return;
	}
	snprintf(out, n, "%s/%s_%ld", getenv("COPLAN_TEST_DB"), label, (long)getpid());
	test_remove_db(out);
	assert_int_equal(pg_admin("CREATE DATABASE %s%s STRATEGY FILE_COPY", pg_dbname(out), NULL), 0);
}

void test_db_copy(const char *from, const char *to)
{
	if (strncmp(from, "postgresql://", 13)) {
		size_t len = 0;
		char *data = test_read_file(from, &len);
		FILE *f;

		test_remove_db(to);
		f = fopen(to, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(data, 1, len, f), len);
		assert_int_equal(fclose(f), 0);
		free(data);
		return;
	}
	test_remove_db(to);
	assert_int_equal(pg_admin("CREATE DATABASE %s TEMPLATE %s STRATEGY FILE_COPY", pg_dbname(to),
	                          pg_dbname(from)), 0);
}

void test_db_drop(const char *name)
{
	pg_admin("DROP DATABASE IF EXISTS %s%s WITH (FORCE)", pg_dbname(name), NULL);
}

int test_db_exec(const char *name, const char *sql)
{
	if (!strncmp(name, "postgresql://", 13)) {
		PGconn *conn = PQconnectdb(name);
		PGresult *res;
		int ok;

		if (PQstatus(conn) != CONNECTION_OK) {
			PQfinish(conn);
			return -1;
		}
		res = PQexec(conn, sql);
		ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
		PQclear(res);
		PQfinish(conn);
		return ok ? 0 : -1;
	} else {
		sqlite3 *db = NULL;
		int rc;

		if (sqlite3_open(name, &db) != SQLITE_OK) {
			sqlite3_close(db);
			return -1;
		}
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
		sqlite3_close(db);
		return rc == SQLITE_OK ? 0 : -1;
	}
}

/* SPDX-License-Identifier: Apache-2.0 */
/* test_db.h - the tests' databases on either backend: SQLite files, or databases on the cluster COPLAN_TEST_DB names. */
#ifndef COPLAN_TEST_DB_H
#define COPLAN_TEST_DB_H

#include <stddef.h>

/*
 * The C tests of the store and the service run on SQLite by default and on
 * PostgreSQL when COPLAN_TEST_DB holds a server's base URI without a
 * database (postgresql://user@host:port, as tests/pg_cluster.sh prints
 * it): the same test binary, registered twice in ctest.
 */

/* 1 when the tests run on PostgreSQL (COPLAN_TEST_DB is set), else 0. */
int test_db_pg(void);

/*
 * A new, empty database named for label and this process, its name (an
 * SQLite path in COPLAN_TEST_TMP, or a postgresql:// URI of a database
 * just created) into out[0..n).  A failure fails the test.
 */
void test_db_fresh(char *out, size_t n, const char *label);

/* Copy database from (closed) over database to, both test_db names. */
void test_db_copy(const char *from, const char *to);

/* Drop the PostgreSQL database a postgresql:// name names (test_remove_db() calls it); missing is no error. */
void test_db_drop(const char *name);

/* Run SQL on database name directly (the backend's own client): 0 when it succeeded. */
int test_db_exec(const char *name, const char *sql);

#endif

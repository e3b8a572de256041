/* SPDX-License-Identifier: Apache-2.0 */
/* test_util.h - small helpers the C tests share: whole files, and the tests' own UTF-8/XML reading. */
#ifndef COPLAN_TEST_UTIL_H
#define COPLAN_TEST_UTIL_H

#include <stddef.h>

/*
 * The whole file at path, NUL-terminated (the caller frees); *len (may be
 * NULL) gets its length.  A file that cannot be read fails the test.
 */
char *test_read_file(const char *path, size_t *len);

/*
 * 1 if s[0..n) is well-formed UTF-8 (shortest forms) holding only
 * characters XML 1.0 allows (TAB, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD,
 * U+10000-U+10FFFF).  Written apart from the library's decoder on purpose:
 * the tests' own reading.
 */
int test_xml_clean_text(const char *s, size_t n);

/*
 * Remove the database file at path with its -wal and -shm files, or drop
 * the PostgreSQL database a postgresql:// path names; missing ones are no error.
 */
void test_remove_db(const char *path);

/* Copy the SQLite database file from (closed, no -wal) to to, replacing it; fails the test on an error. */
void test_copy_db(const char *from, const char *to);

/*
 * The schema and every row of every table of the SQLite database at path (read-only), in
 * rowid order, as text: two dumps are equal when the databases hold the same.  The caller frees.
 */
char *test_db_dump(const char *path);

#endif

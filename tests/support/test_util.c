/* SPDX-License-Identifier: Apache-2.0 */
/* test_util.c - small helpers the C tests share. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <string.h>

#include "test_db.h"
#include "test_util.h"

char *test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	data = malloc((size_t)n + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	data[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return data;
}

int test_xml_clean_text(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < n;) {
		unsigned long c;
		size_t k;

		if (p[i] < 0x80) {
			c = p[i];
			k = 1;
		} else if ((p[i] & 0xE0) == 0xC0) {
			c = p[i] & 0x1Fu;
			k = 2;
		} else if ((p[i] & 0xF0) == 0xE0) {
			c = p[i] & 0x0Fu;
			k = 3;
		} else if ((p[i] & 0xF8) == 0xF0) {
			c = p[i] & 0x07u;
			k = 4;
		} else {
			return 0;
		}
		if (i + k > n)
			return 0;
		for (size_t j = 1; j < k; j++) {
			if ((p[i + j] & 0xC0) != 0x80)
				return 0;
			c = c << 6 | (p[i + j] & 0x3Fu);
		}
		/* the shortest form only */
		if ((k == 2 && c < 0x80) || (k == 3 && c < 0x800) || (k == 4 && c < 0x10000))
			return 0;
		if (!(c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
		      (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF)))
			return 0;
		i += k;
	}
	return 1;
}

void test_remove_db(const char *path)
{
	char side[1024];

	if (!strncmp(path, "postgresql://", 13)) {
		test_db_drop(path);
		return;
	}
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

void test_copy_db(const char *from, const char *to)
{
	size_t len = 0;
	char *data = test_read_file(from, &len);
	FILE *f;

	assert_non_null(data);
	test_remove_db(to);
	f = fopen(to, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(data);
}

static void dump_append(char **s, size_t *len, size_t *cap, const char *add)
{
	size_t n = strlen(add);

	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*s = realloc(*s, *cap);
		assert_non_null(*s);
	}
	memcpy(*s + *len, add, n + 1);
	*len += n;
}

char *test_db_dump(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *tables = NULL;
	char *out = NULL;
	size_t len = 0, cap = 0;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name, sql FROM sqlite_schema WHERE type = 'table' "
	                                    "ORDER BY name", -1, &tables, NULL), SQLITE_OK);
	dump_append(&out, &len, &cap, "");
	while (sqlite3_step(tables) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(tables, 0);
		char *sql = sqlite3_mprintf("SELECT * FROM \"%w\" ORDER BY rowid", name);
		sqlite3_stmt *rows = NULL;
		int rc;

		assert_non_null(sql);
		dump_append(&out, &len, &cap, (const char *)sqlite3_column_text(tables, 1));
		dump_append(&out, &len, &cap, "\n");
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &rows, NULL), SQLITE_OK);
		sqlite3_free(sql);
		while ((rc = sqlite3_step(rows)) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(rows); c++) {
				const unsigned char *v = sqlite3_column_text(rows, c);

				dump_append(&out, &len, &cap, v ? (const char *)v : "NULL");
				dump_append(&out, &len, &cap, "|");
			}
			dump_append(&out, &len, &cap, "\n");
		}
		assert_int_equal(rc, SQLITE_DONE);
		sqlite3_finalize(rows);
	}
	sqlite3_finalize(tables);
	sqlite3_close(db);
	return out;
}

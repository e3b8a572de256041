/* SPDX-License-Identifier: Apache-2.0 */
/* test_csv.c - the CSV reader against the cases from the field (tests/data/csv/NAME.csv + NAME.expected.json). */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "test_util.h"
#include "coplan/coplan.h"
#include "coplan/import.h"

#define CSV_DIR COPLAN_TEST_DATA "/csv"

/* Locale of the shared cases, whose JSON does not say it; our own cases carry a "locale" key. */
static const struct {
	const char *name;
	const char *locale;
} case_locales[] = {
	{ "excel-it-bom-semicolon", "it" },
	{ "excel-sep-line-decimal-comma", "it" },
	{ "excel-ja-cp932", "ja" },
};

static const char *case_locale(const char *name, json_t *expected)
{
	json_t *loc = json_object_get(expected, "locale");
	size_t i;

	if (json_is_string(loc))
		return json_string_value(loc);
	for (i = 0; i < sizeof(case_locales) / sizeof(case_locales[0]); i++)
		if (!strcmp(name, case_locales[i].name))
			return case_locales[i].locale;
	return "en-GB";
}

static void check_case(const char *name)
{
	char path[512], jpath[512], fname[300];
	json_error_t jerr;
	json_t *expected, *records, *lines, *map, *err, *val;
	coplan_csv_table *table = NULL;
	const char *key;
	size_t len, i, j;
	char *data;
	int rc;

	snprintf(path, sizeof(path), "%s/%s.csv", CSV_DIR, name);
	snprintf(jpath, sizeof(jpath), "%s/%s.expected.json", CSV_DIR, name);
	snprintf(fname, sizeof(fname), "%s.csv", name);
	expected = json_load_file(jpath, 0, &jerr);
	if (!expected)
		fail_msg("%s: %s", jpath, jerr.text);
	data = test_read_file(path, &len);
	rc = coplan_csv_parse(&table, fname, data, len, NULL);
	err = json_object_get(expected, "error");
	if (json_is_string(err)) {
		if (rc == 0 || strncmp(coplan_error_last(), json_string_value(err),
		                       strlen(json_string_value(err))) != 0)
			fail_msg("%s: expected error '%s', got %d '%s'", name, json_string_value(err), rc,
			         coplan_error_last());
		assert_null(table);
		goto done;
	}
	if (rc != 0)
		fail_msg("%s: %s", name, coplan_error_last());
	records = json_object_get(expected, "records");
	assert_true(json_is_array(records));
	if (table->n_records != json_array_size(records))
		fail_msg("%s: %zu records, expected %zu", name, table->n_records,
		         json_array_size(records));
	for (i = 0; i < table->n_records; i++) {
		json_t *row = json_array_get(records, i);

		if (table->records[i].n_fields != json_array_size(row))
			fail_msg("%s: record %zu has %zu fields, expected %zu", name, i,
			         table->records[i].n_fields, json_array_size(row));
		for (j = 0; j < table->records[i].n_fields; j++)
			if (strcmp(table->records[i].fields[j], json_string_value(json_array_get(row, j))))
				fail_msg("%s: record %zu field %zu is '%s', expected '%s'", name, i, j,
				         table->records[i].fields[j], json_string_value(json_array_get(row, j)));
	}
	/* what the reader must tell the user: exactly the case's warnings, none when it lists none */
	val = json_object_get(expected, "warnings");
	if (table->n_warnings != json_array_size(val))
		fail_msg("%s: %zu warnings (first: '%s'), expected %zu", name, table->n_warnings,
		         table->n_warnings ? table->warnings[0] : "", json_array_size(val));
	for (i = 0; i < table->n_warnings; i++)
		if (strcmp(table->warnings[i], json_string_value(json_array_get(val, i))))
			fail_msg("%s: warning '%s', expected '%s'", name, table->warnings[i],
			         json_string_value(json_array_get(val, i)));
	lines = json_object_get(expected, "lines");
	for (i = 0; i < json_array_size(lines); i++)
		if (table->records[i].line != (size_t)json_integer_value(json_array_get(lines, i)))
			fail_msg("%s: record %zu starts on line %zu, expected %lld", name, i,
			         table->records[i].line, json_integer_value(json_array_get(lines, i)));
	val = json_object_get(expected, "encoding");
	if (val && strcmp(table->encoding, json_string_value(val)))
		fail_msg("%s: encoding %s, expected %s", name, table->encoding, json_string_value(val));
	val = json_object_get(expected, "delimiter");
	if (val && table->delimiter != json_string_value(val)[0])
		fail_msg("%s: delimiter '%c', expected '%s'", name, table->delimiter,
		         json_string_value(val));

	/* dates and numbers: each raw cell must be in the table and read as given in the case's locale */
	map = json_object_get(expected, "dates");
	json_object_foreach(map, key, val) {
		coplan_date d;
		char iso[COPLAN_DATE_ISO_LEN];

		if (coplan_parse_date_text(&d, key, case_locale(name, expected)) != 0)
			fail_msg("%s: date '%s': %s", name, key, coplan_error_last());
		if (strcmp(coplan_date_format_iso(d, iso), json_string_value(val)))
			fail_msg("%s: date '%s' read as %s, expected %s", name, key, iso,
			         json_string_value(val));
	}
	map = json_object_get(expected, "numbers");
	json_object_foreach(map, key, val) {
		double x;

		if (coplan_parse_number_text(&x, key, case_locale(name, expected)) != 0)
			fail_msg("%s: number '%s': %s", name, key, coplan_error_last());
		if (x != json_number_value(val))
			fail_msg("%s: number '%s' read as %.17g, expected %.17g", name, key, x,
			         json_number_value(val));
	}
done:
	coplan_csv_table_free(table);
	free(data);
	json_decref(expected);
}

static void test_cases(void **state)
{
	DIR *dir = opendir(CSV_DIR);
	struct dirent *e;
	size_t n = 0;

	(void)state;
	assert_non_null(dir);
	while ((e = readdir(dir)) != NULL) {
		const char *suffix = ".expected.json";
		size_t len = strlen(e->d_name), sl = strlen(suffix);
		char name[256];

		if (len <= sl || strcmp(e->d_name + len - sl, suffix) || len - sl >= sizeof(name))
			continue;
		memcpy(name, e->d_name, len - sl);
		name[len - sl] = '\0';
		check_case(name);
		n++;
	}
	closedir(dir);
	/* the five shared cases and our own */
	assert_true(n >= 15);
}

static void test_file_and_lines(void **state)
{
	coplan_csv_table *t = NULL;
	coplan_csv_options opts = { 0 };

	(void)state;
	assert_int_equal(coplan_csv_read_file(&t, CSV_DIR "/quoted-newlines-and-quotes.csv", NULL), 0);
	assert_int_equal(t->n_records, 3);
	assert_int_equal(t->records[0].line, 1);
	assert_int_equal(t->records[1].line, 2);
	assert_int_equal(t->records[2].line, 5);
	coplan_csv_table_free(t);

	assert_int_equal(coplan_csv_read_file(&t, CSV_DIR "/no-such-file.csv", NULL), COPLAN_EIO);
	assert_null(t);

	/* a declared encoding wins over detection, and a declared delimiter over the header */
	opts.encoding = "WINDOWS-1252";
	opts.delimiter = ',';
	assert_int_equal(coplan_csv_parse(&t, "x.csv", "a;b,c\n\xe0,1\n", 10, &opts), 0);
	assert_string_equal(t->encoding, "WINDOWS-1252");
	assert_int_equal(t->delimiter, ',');
	assert_string_equal(t->records[0].fields[0], "a;b");
	assert_string_equal(t->records[1].fields[0], "\xc3\xa0");
	coplan_csv_table_free(t);

	opts.encoding = "NO-SUCH-ENCODING";
	assert_int_equal(coplan_csv_parse(&t, "x.csv", "a\n", 2, &opts), COPLAN_EUSAGE);
	opts.encoding = "UTF-8";
	assert_int_equal(coplan_csv_parse(&t, "x.csv", "a\n\xe0\n", 4, &opts), COPLAN_EINVALID);
	assert_string_equal(coplan_error_last(), "x.csv:2:1: byte 0xE0 at offset 2 is not valid UTF-8 "
	                    "(expected text in that encoding; name the file's encoding if it is another)");
	opts.encoding = "CP932";
	assert_int_equal(coplan_csv_parse(&t, "x.csv", "a\n\x87\x56\n", 5, &opts), 0);
	assert_string_equal(t->records[1].fields[0], "Ⅲ");
	coplan_csv_table_free(t);
}

static void test_empty_and_limits(void **state)
{
	coplan_csv_table *t = NULL;
	char *big;

	(void)state;
	assert_int_equal(coplan_csv_parse(&t, "e.csv", "", 0, NULL), 0);
	assert_int_equal(t->n_records, 0);
	assert_int_equal(t->delimiter, ',');
	coplan_csv_table_free(t);

	assert_int_equal(coplan_csv_parse(&t, "n.csv", "a,b\nx\0y\n", 8, NULL), COPLAN_EINVALID);
	assert_true(!strncmp(coplan_error_last(), "n.csv:2:2: NUL character", 24));

	assert_int_equal(coplan_csv_parse(&t, "s.csv", "sep=\n", 5, NULL), COPLAN_EINVALID);

	/* the size limit is checked before anything is read: no 64 MiB buffer needed to prove it */
	big = malloc(16);
	assert_non_null(big);
	assert_int_equal(coplan_csv_parse(&t, "big.csv", big, (size_t)COPLAN_IMPORT_MAX_BYTES + 1, NULL),
	                 COPLAN_ELIMIT);
	assert_non_null(strstr(coplan_error_last(), "larger than the limit"));
	assert_null(t);
	free(big);
}

/* Arbitrary bytes never crash the reader and either parse or fail with a message. */
static void test_random_bytes(void **state)
{
	static const char alphabet[] = "a,;\t\"\r\n\xe0\x87\x56\xef\xbb\xbf=sep\xff\xfe\x00 ";
	uint32_t seed = 12345;
	char buf[64];
	int round;

	(void)state;
	for (round = 0; round < 20000; round++) {
		coplan_csv_table *t = NULL;
		size_t len = (seed >> 8) % sizeof(buf), i;
		int rc;

		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		seed = seed * 1103515245u + 12345u;
		rc = coplan_csv_parse(&t, "r.csv", buf, len, NULL);
		if (rc == 0)
			coplan_csv_table_free(t);
		else
			assert_true(coplan_error_last()[0] != '\0');
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_file_and_lines),
		cmocka_unit_test(test_empty_and_limits),
		cmocka_unit_test(test_random_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* test_xlsx.c - the XLSX reader on workbooks built here part by part, and on openpyxl's; its limits and errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <zip.h>

#include "coplan/coplan.h"
#include "coplan/import.h"
#include "buf.h"
#include "xlsx_priv.h"

#define TMP COPLAN_TEST_TMP "/"

/* One part of a package: its name and its bytes (NUL-terminated text unless len is given). */
typedef struct {
	const char *name;
	const char *data;
	size_t len;
} part_def;

/* Write the parts as a zip package at path (deflated, as Excel writes them). */
static void write_zip(const char *path, const part_def *parts, size_t n)
{
	int err = 0;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	size_t i;

	assert_non_null(z);
	for (i = 0; i < n; i++) {
		size_t len = parts[i].len ? parts[i].len : strlen(parts[i].data);
		zip_source_t *s = zip_source_buffer(z, parts[i].data, len, 0);
		zip_int64_t ix;

		assert_non_null(s);
		ix = zip_file_add(z, parts[i].name, s, ZIP_FL_ENC_UTF_8);
		assert_true(ix >= 0);
		assert_int_equal(zip_set_file_compression(z, (zip_uint64_t)ix, ZIP_CM_DEFLATE, 9), 0);
	}
	assert_int_equal(zip_close(z), 0);
}

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define RELNS "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\""
#define RT "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static const char root_rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Relationships " RELNS "><Relationship Id=\"rId1\" Type=\"" RT "officeDocument\" "
	"Target=\"xl/workbook.xml\"/></Relationships>";

static const char content_types[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
	"xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";

static const char workbook[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<workbook " NS "><workbookPr/><sheets>"
	"<sheet name=\"Plan\" sheetId=\"1\" r:id=\"rId1\"/>"
	"<sheet name=\"Second sheet\" sheetId=\"2\" r:id=\"rId2\"/>"
	"</sheets></workbook>";

/* The second sheet by an absolute target, shared strings and styles by relative ones. */
static const char workbook_rels[] =
	"<Relationships " RELNS ">"
	"<Relationship Id=\"rId1\" Type=\"" RT "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"" RT "worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"" RT "sharedStrings\" Target=\"sharedStrings.xml\"/>"
	"<Relationship Id=\"rId4\" Type=\"" RT "styles\" Target=\"styles.xml\"/>"
	"</Relationships>";

/* Plain, rich text runs, Japanese with its phonetic reading, kept spaces, escapes, empty. */
static const char shared_strings[] =
	"<sst " NS " count=\"8\" uniqueCount=\"8\">"
	"<si><t>ref</t></si>"
	"<si><r><rPr><b/></rPr><t xml:space=\"preserve\">Winter </t></r><r><t>warfare</t></r></si>"
	"<si><t>東京</t><rPh sb=\"0\" eb=\"2\"><t>トウキョウ</t></rPh><phoneticPr fontId=\"1\"/></si>"
	"<si><t xml:space=\"preserve\"> spaced </t></si>"
	"<si><t>line_x000D__x000A_break _x005F_x0041_</t></si>"
	"<si/>"
	"<si><t>&lt;a&amp;b&gt;</t></si>"
	"<si><t><![CDATA[cdata]]></t></si>"
	"</sst>";

/*
 * cellXfs: 0 general, 1 built-in 14 (date), 2 custom dd/mm/yyyy, 3 custom h:mm
 * (a time), 4 Japanese era date, 5 a number with "d" in quotes (not a date),
 * 6 built-in 22 (date and time), 7 built-in 20 (a time).
 */
static const char styles[] =
	"<styleSheet " NS "><numFmts count=\"4\">"
	"<numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/>"
	"<numFmt numFmtId=\"165\" formatCode=\"h:mm\"/>"
	"<numFmt numFmtId=\"166\" formatCode=\"[$-411]ggge&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
	"<numFmt numFmtId=\"167\" formatCode=\"0.00&quot;d&quot;\"/>"
	"</numFmts>"
	"<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
	"<cellXfs count=\"8\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/>"
	"<xf numFmtId=\"164\"/><xf numFmtId=\"165\"/><xf numFmtId=\"166\"/><xf numFmtId=\"167\"/>"
	"<xf numFmtId=\"22\"/><xf numFmtId=\"20\"/></cellXfs>"
	"<dxfs count=\"1\"><dxf><numFmt numFmtId=\"168\" formatCode=\"yyyy\"/></dxf></dxfs>"
	"</styleSheet>";

static const char sheet1[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<worksheet " NS "><dimension ref=\"A1:F8\"/><sheetData>"
	/* row 1: a shared string, rich inline text, a formula's string result */
	"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
	"<c r=\"B1\" t=\"inlineStr\"><is><r><t>ti</t></r><r><rPr><i/></rPr><t>tle</t></r></is></c>"
	"<c r=\"C1\" t=\"str\"><f>CONCAT(\"ca\",\"lc\")</f><v>calc</v></c></row>"
	/* row 2: the same serial under date, time and number formats */
	"<row r=\"2\"><c r=\"A2\" s=\"1\"><v>45366</v></c><c r=\"B2\" s=\"2\"><v>45366</v></c>"
	"<c r=\"C2\" s=\"3\"><v>0.5</v></c><c r=\"D2\" s=\"4\"><v>45366</v></c>"
	"<c r=\"E2\" s=\"5\"><v>3</v></c><c r=\"F2\" s=\"6\"><v>45366.4375</v></c>"
	"<c r=\"G2\" s=\"7\"><v>0.25</v></c></row>"
	/* row 3 missing; row 4 sparse: booleans, an error value */
	"<row r=\"4\"><c r=\"B4\" t=\"b\"><v>1</v></c><c r=\"D4\" t=\"b\"><v>0</v></c>"
	"<c r=\"E4\" t=\"e\"><v>#N/A</v></c></row>"
	/* row 5: numbers as their shortest text */
	"<row r=\"5\"><c r=\"A5\"><v>0.10000000000000001</v></c><c r=\"B5\" t=\"n\"><v>1E-5</v></c>"
	"<c r=\"C5\"><v>-3</v></c><c r=\"D5\"><v>1e25</v></c><c r=\"E5\"><v>45301</v></c>"
	"<c r=\"F5\"><v>2.5</v></c></row>"
	/* row 6: cells without references follow each other; no row number follows row 5 */
	"<row><c t=\"s\"><v>1</v></c><c t=\"s\"><v>2</v></c><c t=\"s\"><v>3</v></c>"
	"<c t=\"s\"><v>4</v></c><c t=\"s\"><v>5</v></c><c t=\"s\"><v>6</v></c>"
	"<c t=\"s\"><v>7</v></c></row>"
	/* an empty row and a row of one empty cell give no record */
	"<row r=\"7\"/><row r=\"8\"><c r=\"C8\" s=\"1\"/></row>"
	/* a cell far to the right: the gap is filled */
	"<row r=\"9\"><c r=\"J9\" t=\"inlineStr\"><is><t>far</t></is></c></row>"
	"</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:B1\"/></mergeCells></worksheet>";

static const char sheet2[] =
	"<worksheet " NS "><sheetData><row r=\"3\"><c r=\"B3\" t=\"inlineStr\"><is><t>second</t>"
	"</is></c></row></sheetData></worksheet>";

/* Write the mixed workbook with sheet1 replaced by sheet (NULL: the one above). */
static void write_mixed(const char *path, const char *sheet)
{
	const part_def parts[] = {
		{ "[Content_Types].xml", content_types, 0 },
		{ "_rels/.rels", root_rels, 0 },
		{ "xl/workbook.xml", workbook, 0 },
		{ "xl/_rels/workbook.xml.rels", workbook_rels, 0 },
		{ "xl/sharedStrings.xml", shared_strings, 0 },
		{ "xl/styles.xml", styles, 0 },
		{ "xl/worksheets/sheet1.xml", sheet ? sheet : sheet1, 0 },
		{ "xl/worksheets/sheet2.xml", sheet2, 0 },
	};

	write_zip(path, parts, sizeof(parts) / sizeof(parts[0]));
}

static void assert_record(const coplan_csv_record *rec, size_t line, const char *const *want,
                          size_t n)
{
	size_t i;

	assert_int_equal(rec->line, line);
	if (rec->n_fields != n)
		fail_msg("row %zu: %zu fields, expected %zu", line, rec->n_fields, n);
	for (i = 0; i < n; i++)
		assert_string_equal(rec->fields[i], want[i]);
}

#define ROW(t, i, line, ...) do { \
	static const char *const want_[] = { __VA_ARGS__ }; \
	assert_record(&(t)->records[i], line, want_, sizeof(want_) / sizeof(want_[0])); \
} while (0)

static void test_mixed_first_sheet(void **state)
{
	coplan_csv_table *t = NULL;
	char *sheet = NULL;

	(void)state;
	write_mixed(TMP "mixed.xlsx", NULL);
	if (coplan_xlsx_read_file(&t, &sheet, TMP "mixed.xlsx", NULL))
		fail_msg("%s", coplan_error_last());
	assert_string_equal(sheet, "Plan");
	assert_string_equal(t->encoding, "XLSX");
	assert_int_equal(t->delimiter, 0);
	assert_int_equal(t->n_records, 6);
	ROW(t, 0, 1, "ref", "title", "calc");
	ROW(t, 1, 2, "2024-03-15", "2024-03-15", "0.5", "2024-03-15", "3", "2024-03-15T10:30:00",
	    "0.25");
	ROW(t, 2, 4, "", "TRUE", "", "FALSE", "#N/A");
	ROW(t, 3, 5, "0.1", "0.00001", "-3", "1e+25", "45301", "2.5");
	ROW(t, 4, 6, "Winter warfare", "東京", " spaced ", "line\r\nbreak _x0041_", "", "<a&b>",
	    "cdata");
	ROW(t, 5, 9, "", "", "", "", "", "", "", "", "", "far");
	coplan_csv_table_free(t);
	free(sheet);
}

static void test_named_sheet(void **state)
{
	coplan_csv_table *t = NULL;
	char *sheet = NULL;

	(void)state;
	write_mixed(TMP "mixed2.xlsx", NULL);
	if (coplan_xlsx_read_file(&t, &sheet, TMP "mixed2.xlsx", "Second sheet"))
		fail_msg("%s", coplan_error_last());
	assert_string_equal(sheet, "Second sheet");
	assert_int_equal(t->n_records, 1);
	ROW(t, 0, 3, "", "second");
	coplan_csv_table_free(t);
	free(sheet);

	assert_int_equal(coplan_xlsx_read_file(&t, NULL, TMP "mixed2.xlsx", "Third"),
	                 COPLAN_ENOTFOUND);
	assert_null(t);
	assert_string_equal(coplan_error_last(), TMP "mixed2.xlsx: no sheet 'Third' (expected one "
	                    "of: 'Plan', 'Second sheet')");
}

/* The 1904 date system (Excel for Mac before 2011): serial 0 is 1904-01-01. */
static void test_date1904(void **state)
{
	static const char wb1904[] =
		"<workbook " NS "><workbookPr date1904=\"1\"/><sheets>"
		"<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
	static const char sheet[] =
		"<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" s=\"1\"><v>0</v></c>"
		"<c r=\"B1\" s=\"1\"><v>43904</v></c></row></sheetData></worksheet>";
	const part_def parts[] = {
		{ "_rels/.rels", root_rels, 0 },
		{ "xl/workbook.xml", wb1904, 0 },
		{ "xl/_rels/workbook.xml.rels", workbook_rels, 0 },
		{ "xl/styles.xml", styles, 0 },
		{ "xl/worksheets/sheet1.xml", sheet, 0 },
	};
	coplan_csv_table *t = NULL;

	(void)state;
	write_zip(TMP "d1904.xlsx", parts, sizeof(parts) / sizeof(parts[0]));
	if (coplan_xlsx_read_file(&t, NULL, TMP "d1904.xlsx", NULL))
		fail_msg("%s", coplan_error_last());
	ROW(t, 0, 1, "1904-01-01", "2024-03-15");
	coplan_csv_table_free(t);
}

/* A workbook openpyxl wrote (tests/data/xlsx/make-fixtures.py): a real writer's parts. */
static void test_openpyxl_fixture(void **state)
{
	coplan_csv_table *t = NULL;
	char *sheet = NULL;

	(void)state;
	if (coplan_xlsx_read_file(&t, &sheet, COPLAN_TEST_DATA "/xlsx/openpyxl-types.xlsx", NULL))
		fail_msg("%s", coplan_error_last());
	assert_string_equal(sheet, "Typen");
	assert_int_equal(t->n_records, 4);
	ROW(t, 0, 1, "text", "date", "number", "bool", "datetime");
	ROW(t, 1, 2, "Aosta", "2024-01-22", "10", "TRUE", "2024-03-15T09:00:00");
	ROW(t, 2, 3, "Città 東京", "2024-12-31", "0.1", "FALSE");
	ROW(t, 3, 7, "", "", "", "", "", "", "last");
	coplan_csv_table_free(t);
	free(sheet);
	if (coplan_xlsx_read_file(&t, &sheet, COPLAN_TEST_DATA "/xlsx/openpyxl-types.xlsx",
	                          "Second"))
		fail_msg("%s", coplan_error_last());
	assert_int_equal(t->n_records, 1);
	ROW(t, 0, 1, "other");
	coplan_csv_table_free(t);
	free(sheet);
}

static void assert_error_has(const char *needle)
{
	if (!strstr(coplan_error_last(), needle))
		fail_msg("error '%s' lacks '%s'", coplan_error_last(), needle);
}

static void test_not_a_zip(void **state)
{
	static const unsigned char ole2[] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0 };
	coplan_csv_table *t = NULL;

	(void)state;
	assert_int_equal(coplan_xlsx_read_buffer(&t, NULL, "a.xlsx", "ref,title\n", 10, NULL),
	                 COPLAN_EINVALID);
	assert_null(t);
	assert_error_has("a.xlsx: not an XLSX workbook: ");
	assert_int_equal(coplan_xlsx_read_buffer(&t, NULL, "a.xlsx", "", 0, NULL), COPLAN_EINVALID);
	assert_int_equal(coplan_xlsx_read_buffer(&t, NULL, "old.xls", ole2, sizeof(ole2), NULL),
	                 COPLAN_EINVALID);
	assert_error_has("old.xls: an Excel 97-2003 workbook");
	assert_int_equal(coplan_xlsx_read_file(&t, NULL, TMP "no-such.xlsx", NULL), COPLAN_EIO);
}

static void test_zip_without_workbook(void **state)
{
	const part_def parts[] = { { "readme.txt", "not a workbook", 0 } };
	coplan_csv_table *t = NULL;

	(void)state;
	write_zip(TMP "noworkbook.xlsx", parts, 1);
	assert_int_equal(coplan_xlsx_read_file(&t, NULL, TMP "noworkbook.xlsx", NULL),
	                 COPLAN_EINVALID);
	assert_null(t);
	assert_string_equal(coplan_error_last(), TMP "noworkbook.xlsx: no workbook part "
	                    "'xl/workbook.xml' (expected an Excel .xlsx workbook)");
}

/* A sheet that is not well-formed, or has a DTD: the part and line are named. */
static void test_bad_xml(void **state)
{
	coplan_csv_table *t = NULL;

	(void)state;
	write_mixed(TMP "badxml.xlsx", "<worksheet " NS "><sheetData><row r=\"1\">\n<c r=\"A1\">"
	            "<v>1</c></row></sheetData></worksheet>");
	assert_int_equal(coplan_xlsx_read_file(&t, NULL, TMP "badxml.xlsx", NULL), COPLAN_EINVALID);
	assert_error_has("badxml.xlsx: part 'xl/worksheets/sheet1.xml' line 2: ");
	write_mixed(TMP "dtd.xlsx", "<!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;\">]>"
	            "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&b;"
	            "</t></is></c></row></sheetData></worksheet>");
	assert_int_equal(coplan_xlsx_read_file(&t, NULL, TMP "dtd.xlsx", NULL), COPLAN_EINVALID);
	assert_error_has("has a document type declaration");
	assert_null(t);
}

/* Bad cell values are named by their cell reference. */
static void test_bad_cells(void **state)
{
	static const struct {
		const char *sheet;
		const char *message;
	} cases[] = {
		{ "<worksheet " NS "><sheetData><row r=\"3\"><c r=\"B3\" t=\"s\"><v>99</v></c></row>"
		  "</sheetData></worksheet>",
		  "bad.xlsx:Plan!B3: shared string index '99' out of range (expected 0 to 7)" },
		{ "<worksheet " NS "><sheetData><row r=\"2\"><c r=\"C2\"><v>abc</v></c></row>"
		  "</sheetData></worksheet>",
		  "bad.xlsx:Plan!C2: bad number 'abc' (expected a number such as 3 or 1.5E-3)" },
		{ "<worksheet " NS "><sheetData><row r=\"7\"><c r=\"AB7\" t=\"b\"><v>yes</v></c></row>"
		  "</sheetData></worksheet>",
		  "bad.xlsx:Plan!AB7: bad boolean 'yes' (expected 0 or 1)" },
		{ "<worksheet " NS "><sheetData><row r=\"2\"><c r=\"A2\" s=\"1\"><v>60</v></c></row>"
		  "</sheetData></worksheet>",
		  "bad.xlsx:Plan!A2: date serial 60 is not a day Excel can show (expected 1 to "
		  "2958465 but not 60)" },
		{ "<worksheet " NS "><sheetData><row r=\"2\"><c r=\"A2\" s=\"42\"><v>1</v></c></row>"
		  "</sheetData></worksheet>",
		  "bad.xlsx:Plan!A2: style 42 out of range (expected below 8, the cell formats of "
		  "styles.xml)" },
		{ "<worksheet " NS "><sheetData><row r=\"2\"><c r=\"A2\" t=\"x\"><v>1</v></c></row>"
		  "</sheetData></worksheet>",
		  "bad.xlsx:Plan!A2: unknown cell type 'x' (expected s, str, inlineStr, n, b, e or d)" },
		{ "<worksheet " NS "><sheetData><row r=\"2\"><c r=\"B2\"><v>1</v></c><c r=\"A2\"><v>1"
		  "</v></c></row></sheetData></worksheet>",
		  "bad.xlsx:Plan!C2: bad cell reference 'A2' (expected a cell of row 2 after column 2)" },
		{ "<worksheet " NS "><sheetData><row r=\"5\"/><row r=\"4\"/></sheetData></worksheet>",
		  "bad.xlsx: sheet 'Plan': row '4' out of order (expected rows 1 to 1048576 in "
		  "ascending order)" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		coplan_csv_table *t = NULL;
		cp_buf raw = CP_BUF_INIT(1 << 20);

		write_mixed(TMP "bad.xlsx", cases[i].sheet);
		assert_int_equal(cp_buf_read_file(&raw, TMP "bad.xlsx"), 0);
		assert_int_equal(coplan_xlsx_read_buffer(&t, NULL, "bad.xlsx", raw.data, raw.len, NULL),
		                 COPLAN_EINVALID);
		assert_null(t);
		assert_string_equal(coplan_error_last(), cases[i].message);
		cp_buf_release(&raw);
	}
}

/* A sheet of n_rows rows of 10 number cells, without references: it deflates well, as a bomb does. */
static char *big_sheet(size_t n_rows)
{
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	size_t r, c;

	assert_int_equal(cp_buf_puts(&b, "<worksheet " NS "><sheetData>"), 0);
	for (r = 1; r <= n_rows; r++) {
		assert_int_equal(cp_buf_puts(&b, "<row>"), 0);
		for (c = 0; c < 10; c++)
			assert_int_equal(cp_buf_printf(&b, "<c><v>%zu</v></c>", c), 0);
		assert_int_equal(cp_buf_puts(&b, "</row>"), 0);
	}
	assert_int_equal(cp_buf_puts(&b, "</sheetData></worksheet>"), 0);
	return cp_buf_detach(&b, NULL);
}

/* Zip bombs and oversized sheets: a clear COPLAN_ELIMIT, no table, no crash. */
static void test_limits(void **state)
{
	char *sheet = big_sheet(20000); /* about 2.7 MB of XML, 200,000 cells, a few KB deflated */
	cp_buf raw = CP_BUF_INIT(64 << 20);
	cp_xlsx_limits lim;
	coplan_csv_table *t = NULL;

	(void)state;
	write_mixed(TMP "bomb.xlsx", sheet);
	assert_int_equal(cp_buf_read_file(&raw, TMP "bomb.xlsx"), 0);
	assert_true(raw.len < 50000);

	/* within the default limits it reads */
	assert_int_equal(cp_xlsx_read(&t, NULL, "bomb.xlsx", raw.data, raw.len, NULL, NULL), 0);
	assert_int_equal(t->n_records, 20000);
	coplan_csv_table_free(t);
	t = NULL;

	cp_xlsx_default_limits(&lim);
	lim.part_bytes = 1 << 20;
	assert_int_equal(cp_xlsx_read(&t, NULL, "bomb.xlsx", raw.data, raw.len, NULL, &lim),
	                 COPLAN_ELIMIT);
	assert_null(t);
	assert_string_equal(coplan_error_last(), "bomb.xlsx: part 'xl/worksheets/sheet1.xml' expands "
	                    "beyond the limit of 1048576 bytes (expected a workbook that is not a zip "
	                    "bomb)");

	cp_xlsx_default_limits(&lim);
	lim.total_bytes = 2 << 20;
	assert_int_equal(cp_xlsx_read(&t, NULL, "bomb.xlsx", raw.data, raw.len, NULL, &lim),
	                 COPLAN_ELIMIT);
	assert_error_has("the workbook expands beyond the limit of 2097152 bytes");

	cp_xlsx_default_limits(&lim);
	lim.cells = 1000;
	assert_int_equal(cp_xlsx_read(&t, NULL, "bomb.xlsx", raw.data, raw.len, NULL, &lim),
	                 COPLAN_ELIMIT);
	assert_string_equal(coplan_error_last(), "bomb.xlsx:Plan!A101: more than 1000 cells "
	                    "(expected a smaller sheet)");

	cp_xlsx_default_limits(&lim);
	lim.strings = 3;
	assert_int_equal(cp_xlsx_read(&t, NULL, "bomb.xlsx", raw.data, raw.len, NULL, &lim),
	                 COPLAN_ELIMIT);
	assert_string_equal(coplan_error_last(), "bomb.xlsx: more than 3 shared strings (expected a "
	                    "smaller workbook)");

	cp_xlsx_default_limits(&lim);
	lim.file_bytes = 1000;
	assert_int_equal(cp_xlsx_read(&t, NULL, "bomb.xlsx", raw.data, raw.len, NULL, &lim),
	                 COPLAN_ELIMIT);
	assert_null(t);
	cp_buf_release(&raw);
	free(sheet);
}

/*
 * A part whose zip headers declare a small size but which inflates to more:
 * the reader counts what it inflates, whatever the headers say.
 */
static void test_lying_sizes(void **state)
{
	char *sheet = big_sheet(5000);
	cp_buf raw = CP_BUF_INIT(64 << 20);
	cp_xlsx_limits lim;
	coplan_csv_table *t = NULL;
	size_t len = strlen(sheet), i, patched = 0;
	unsigned char want[4] = { (unsigned char)len, (unsigned char)(len >> 8),
	                          (unsigned char)(len >> 16), (unsigned char)(len >> 24) };
	int rc;

	(void)state;
	write_mixed(TMP "lying.xlsx", sheet);
	assert_int_equal(cp_buf_read_file(&raw, TMP "lying.xlsx"), 0);
	/* make every uncompressed size of sheet1 say 100 bytes */
	for (i = 0; i + 4 <= raw.len; i++) {
		if (!memcmp(raw.data + i, want, 4)) {
			memcpy(raw.data + i, "\x64\0\0\0", 4);
			patched++;
		}
	}
	assert_true(patched >= 2);
	cp_xlsx_default_limits(&lim);
	lim.part_bytes = 200000;
	rc = cp_xlsx_read(&t, NULL, "lying.xlsx", raw.data, raw.len, NULL, &lim);
	assert_int_equal(rc, COPLAN_ELIMIT);
	assert_string_equal(coplan_error_last(), "lying.xlsx: part 'xl/worksheets/sheet1.xml' expands "
	                    "beyond the limit of 200000 bytes (expected a workbook that is not a zip "
	                    "bomb)");
	assert_null(t);
	cp_buf_release(&raw);
	free(sheet);
}

static coplan_plan *example_plan(void)
{
	coplan_plan *plan = NULL;

	if (coplan_import_plan_json(&plan, COPLAN_SOURCE_DIR "/examples/italy-japan-2024/plan.json"))
		fail_msg("%s", coplan_error_last());
	return plan;
}

static const char act_strings[] =
	"<sst " NS "><si><t>ref</t></si><si><t>title</t></si><si><t>host</t></si>"
	"<si><t>duration</t></si><si><t>earliest</t></si><si><t>latest</t></si>"
	"<si><t>participants</t></si><si><t>after</t></si>"
	"<si><r><t>Winter </t></r><r><t>course</t></r></si><si><t>ITA</t></si></sst>";

/* Activities from a sheet: date cells as windows, numbers as durations, lists in cells. */
static const char act_sheet[] =
	"<worksheet " NS "><sheetData>"
	"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
	"<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c><c r=\"E1\" t=\"s\"><v>4</v></c>"
	"<c r=\"F1\" t=\"s\"><v>5</v></c><c r=\"G1\" t=\"s\"><v>6</v></c><c r=\"H1\" t=\"s\"><v>7</v></c>"
	"</row>"
	"<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>X-01</t></is></c><c r=\"B2\" t=\"s\"><v>8</v></c>"
	"<c r=\"C2\" t=\"s\"><v>9</v></c><c r=\"D2\"><v>10</v></c><c r=\"E2\" s=\"2\"><v>45313</v></c>"
	"<c r=\"F2\" s=\"1\"><v>45366</v></c><c r=\"G2\" t=\"inlineStr\"><is><t>JPN; GBR</t></is></c>"
	"</row>"
	"<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>X-02</t></is></c>"
	"<c r=\"B4\" t=\"str\"><v>Seminar</v></c><c r=\"C4\" t=\"inlineStr\"><is><t>jpn</t></is></c>"
	"<c r=\"D4\"><v>2</v></c><c r=\"H4\" t=\"inlineStr\"><is><t>X-01+7</t></is></c></row>"
	"%s</sheetData></worksheet>";

static void write_activities(const char *path, const char *extra_row)
{
	char sheet[4096];
	const part_def parts[] = {
		{ "_rels/.rels", root_rels, 0 },
		{ "xl/workbook.xml", workbook, 0 },
		{ "xl/_rels/workbook.xml.rels", workbook_rels, 0 },
		{ "xl/sharedStrings.xml", act_strings, 0 },
		{ "xl/styles.xml", styles, 0 },
		{ "xl/worksheets/sheet1.xml", sheet, 0 },
		{ "xl/worksheets/sheet2.xml", sheet2, 0 },
	};

	snprintf(sheet, sizeof(sheet), act_sheet, extra_row);
	write_zip(path, parts, sizeof(parts) / sizeof(parts[0]));
}

static void test_import_activities(void **state)
{
	coplan_plan *plan = example_plan();
	coplan_import_report rep;
	const coplan_activity *a;
	char d[COPLAN_DATE_ISO_LEN];

	(void)state;
	write_activities(TMP "acts.xlsx", "");
	if (coplan_import_activities_xlsx(plan, TMP "acts.xlsx", NULL, NULL, &rep))
		fail_msg("%s", coplan_error_last());
	assert_string_equal(rep.encoding, "XLSX");
	assert_int_equal(rep.delimiter, 0);
	assert_int_equal(rep.rows_read, 2);
	assert_int_equal(rep.rows_imported, 2);
	assert_int_equal(rep.precedences_imported, 1);
	assert_int_equal(plan->n_activities, 2);
	a = &plan->activities[0];
	assert_string_equal(a->ref, "X-01");
	assert_string_equal(a->title, "Winter course");
	assert_string_equal(a->host, "ITA");
	assert_int_equal(a->duration, 10);
	assert_string_equal(coplan_date_format_iso(a->earliest, d), "2024-01-22");
	assert_string_equal(coplan_date_format_iso(a->latest, d), "2024-03-15");
	assert_int_equal(a->n_participants, 3);
	a = &plan->activities[1];
	assert_string_equal(a->host, "JPN");
	assert_string_equal(plan->precedences[plan->n_precedences - 1].before, "X-01");
	assert_int_equal(plan->precedences[plan->n_precedences - 1].min_gap, 7);
	coplan_plan_free(plan);
}

/* A bad cell names file, sheet and cell; the plan is left as it was. */
static void test_import_errors(void **state)
{
	static const struct {
		const char *row;
		const char *message;
	} cases[] = {
		{ "<row r=\"7\"><c r=\"A7\" t=\"inlineStr\"><is><t>X-03</t></is></c>"
		  "<c r=\"B7\" t=\"inlineStr\"><is><t>Visit</t></is></c>"
		  "<c r=\"C7\" t=\"inlineStr\"><is><t>ITL</t></is></c><c r=\"D7\"><v>3</v></c></row>",
		  "acts-bad.xlsx:Plan!C7: unknown host nation 'ITL' (expected ISO 3166-1 alpha-3, e.g. "
		  "ITA)" },
		{ "<row r=\"7\"><c r=\"A7\" t=\"inlineStr\"><is><t>X-01</t></is></c>"
		  "<c r=\"B7\" t=\"inlineStr\"><is><t>Visit</t></is></c>"
		  "<c r=\"C7\" t=\"inlineStr\"><is><t>ITA</t></is></c><c r=\"D7\"><v>3</v></c></row>",
		  "acts-bad.xlsx:Plan!A7: duplicate ref 'X-01' (expected a ref not used before; row 2 "
		  "has it)" },
		{ "<row r=\"12\"><c r=\"A12\" t=\"inlineStr\"><is><t>X-03</t></is></c>"
		  "<c r=\"B12\" t=\"inlineStr\"><is><t>Visit</t></is></c>"
		  "<c r=\"C12\" t=\"inlineStr\"><is><t>ITA</t></is></c><c r=\"D12\"><v>2.5</v></c></row>",
		  "acts-bad.xlsx:Plan!D12: duration: '2.5' is not a whole number of days (expected 1 to "
		  "366)" },
		{ "<row r=\"8\"><c r=\"A8\" t=\"inlineStr\"><is><t>X-03</t></is></c>"
		  "<c r=\"B8\" t=\"inlineStr\"><is><t>Visit</t></is></c>"
		  "<c r=\"C8\" t=\"inlineStr\"><is><t>ITA</t></is></c><c r=\"D8\"><v>3</v></c>"
		  "<c r=\"E8\" s=\"2\"><v>45366</v></c><c r=\"F8\" s=\"2\"><v>45313</v></c></row>",
		  "acts-bad.xlsx:Plan!F8: latest 2024-01-22 is before earliest 2024-03-15 (expected a "
		  "window in order)" },
		{ "<row r=\"9\"><c r=\"A9\" t=\"inlineStr\"><is><t>X-03</t></is></c>"
		  "<c r=\"B9\" t=\"inlineStr\"><is><t>Visit</t></is></c>"
		  "<c r=\"C9\" t=\"inlineStr\"><is><t>ITA</t></is></c><c r=\"D9\"><v>3</v></c>"
		  "<c r=\"H9\" t=\"inlineStr\"><is><t>X-99</t></is></c></row>",
		  "acts-bad.xlsx:Plan!H9: after: unknown predecessor 'X-99' (expected the ref of an "
		  "activity of this file or of the plan)" },
		{ "<row r=\"9\"><c r=\"A9\" t=\"inlineStr\"><is><t>X-03</t></is></c>"
		  "<c r=\"B9\" t=\"inlineStr\"><is><t>Visit</t></is></c>"
		  "<c r=\"C9\" t=\"inlineStr\"><is><t>ITA</t></is></c><c r=\"D9\"><v>3</v></c>"
		  "<c r=\"K9\" t=\"inlineStr\"><is><t>stray</t></is></c></row>",
		  "acts-bad.xlsx:Plan!K9: value in a column with no header (expected at most 8 columns, "
		  "as the header has)" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		coplan_plan *plan = example_plan();
		size_t n0 = plan->n_activities, p0 = plan->n_precedences;
		coplan_import_report rep;
		const char *msg;

		write_activities(TMP "acts-bad.xlsx", cases[i].row);
		assert_int_equal(coplan_import_activities_xlsx(plan, TMP "acts-bad.xlsx", NULL, NULL,
		                                               &rep), COPLAN_EINVALID);
		msg = coplan_error_last();
		assert_true(strlen(msg) > strlen(TMP));
		assert_string_equal(msg + strlen(TMP), cases[i].message);
		assert_int_equal(plan->n_activities, n0);
		assert_int_equal(plan->n_precedences, p0);
		assert_int_equal(rep.rows_imported, 0);
		coplan_plan_free(plan);
	}
}

/* A sheet without the required columns names the header row; sheet names with spaces are quoted. */
static void test_import_header_errors(void **state)
{
	coplan_plan *plan = example_plan();

	(void)state;
	write_activities(TMP "acts-hdr.xlsx", "");
	assert_int_equal(coplan_import_activities_xlsx(plan, TMP "acts-hdr.xlsx", "Second sheet",
	                                               NULL, NULL), COPLAN_EINVALID);
	assert_string_equal(coplan_error_last() + strlen(TMP), "acts-hdr.xlsx:'Second sheet'!3:3: "
	                    "missing required column 'ref' (expected a header named one of: ref, id, "
	                    "no, no., rif, codice, n, n., 番号)");
	assert_int_equal(coplan_import_activities_xlsx(plan, TMP "acts-hdr.xlsx", NULL, NULL, NULL),
	                 0);
	coplan_plan_free(plan);
}

static void test_column_names(void **state)
{
	char buf[8], ref[64];

	(void)state;
	assert_string_equal(cp_xlsx_column_name(1, buf), "A");
	assert_string_equal(cp_xlsx_column_name(26, buf), "Z");
	assert_string_equal(cp_xlsx_column_name(27, buf), "AA");
	assert_string_equal(cp_xlsx_column_name(702, buf), "ZZ");
	assert_string_equal(cp_xlsx_column_name(703, buf), "AAA");
	assert_string_equal(cp_xlsx_column_name(16384, buf), "XFD");
	assert_string_equal(cp_xlsx_cell_ref(ref, sizeof(ref), "Plan", 7, 3), "Plan!C7");
	assert_string_equal(cp_xlsx_cell_ref(ref, sizeof(ref), "Piano '24", 7, 3), "'Piano ''24'!C7");
	assert_string_equal(cp_xlsx_cell_ref(ref, sizeof(ref), "計画", 1, 0), "計画!1:1");
	assert_string_equal(cp_xlsx_cell_ref(ref, sizeof(ref), "2024", 1, 1), "'2024'!A1");
}

/*
 * Date-ness comes from the format code, never its id: the built-in ids by
 * their ECMA-376 codes, then codes as Excel, LibreOffice and Google Sheets
 * write them.
 */
static void test_format_codes(void **state)
{
	static const struct {
		const char *code;
		int date;
	} codes[] = {
		/* LibreOffice (styles.xml of its XLSX export) */
		{ "General", 0 }, { "GENERAL", 0 }, { "DD/MM/YYYY", 1 }, { "YYYY-MM-DD", 1 },
		{ "[$-410]DD/MM/YYYY", 1 }, { "MM/DD/YY", 1 }, { "DD.MM.YY", 1 }, { "MMM YY", 1 },
		{ "NNNNDD MMMM YYYY", 1 }, { "[NatNum1][$-411]GGGE\"年\"M\"月\"D\"日\"", 1 },
		{ "0", 0 }, { "0.00", 0 }, { "#,##0", 0 }, { "#,##0.00", 0 }, { "@", 0 },
		{ "0.00E+00", 0 }, { "0.00e-00", 0 }, { "##0.0E+0", 0 }, { "0%", 0 },
		{ "[HH]:MM:SS", 0 }, { "HH:MM", 0 }, { "MM:SS", 0 }, { "HH:MM AM/PM", 0 },
		{ "[$€-407] #,##0.00;[RED]-[$€-407] #,##0.00", 0 }, { "#,##0.00\" €\"", 0 },
		{ "0\" days\"", 0 }, { "0\\d", 0 }, { "#,##0_);[Red](#,##0)", 0 }, { "0*y", 0 },
		{ "[>=100]0;[Red]0", 0 }, { "General;-General;\"zero\"", 0 },
		/* Google Sheets */
		{ "d mmmm yyyy", 1 }, { "m/d/yyyy", 1 }, { "dddd, mmmm d, yyyy", 1 },
		{ "yyyy-mm-dd hh:mm:ss", 1 }, { "mmm yyyy", 1 }, { "h:mm:ss am/pm", 0 },
		{ "[$$]#,##0.00", 0 }, { "#,##0.00 [$USD]", 0 }, { "0.000", 0 },
		/* Excel custom codes */
		{ "yyyy\"年\"m\"月\"d\"日\"(aaa)", 1 }, { "[$-F800]dddd, mmmm dd, yyyy", 1 },
		{ "bbbb/mm/dd", 1 }, { "dd/mm/yyyy;@", 1 }, { "ge.m.d", 1 }, { "[h]:mm", 0 },
		{ "", 0 },
	};
	long id;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (cp_xlsx_format_is_date(codes[i].code) != codes[i].date)
			fail_msg("'%s' read as %s", codes[i].code, codes[i].date ? "no date" : "a date");
	/* ECMA-376 18.8.30: the built-in ids that show a date, and only those */
	for (id = 0; id < 164; id++) {
		int want = (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 31) ||
		           (id >= 34 && id <= 36) || (id >= 50 && id <= 58);

		if (cp_xlsx_format_is_date(cp_xlsx_builtin_format(id)) != want)
			fail_msg("built-in id %ld ('%s') read as %s", id,
			         cp_xlsx_builtin_format(id) ? cp_xlsx_builtin_format(id) : "(none)",
			         want ? "no date" : "a date");
	}
	assert_null(cp_xlsx_builtin_format(164));
	assert_null(cp_xlsx_builtin_format(5));
	assert_null(cp_xlsx_format_is_date(NULL) ? "date" : NULL);
}

/*
 * A workbook that numbers its own formats as it likes (LibreOffice: 164
 * "General", even a built-in id given another code) and numbers with the
 * noise of binary arithmetic, as spreadsheets compute them.
 */
static void test_own_format_table(void **state)
{
	static const char lo_styles[] =
		"<styleSheet " NS "><numFmts count=\"4\">"
		"<numFmt numFmtId=\"164\" formatCode=\"General\"/>"
		"<numFmt numFmtId=\"165\" formatCode=\"DD/MM/YYYY\"/>"
		"<numFmt numFmtId=\"14\" formatCode=\"0.00\"/>"
		"<numFmt numFmtId=\"166\" formatCode=\"#,##0\"/>"
		"</numFmts><cellXfs count=\"5\"><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/>"
		"<xf numFmtId=\"14\"/><xf numFmtId=\"166\"/><xf numFmtId=\"0\"/></cellXfs></styleSheet>";
	static const char sheet[] =
		"<worksheet " NS "><sheetData><row r=\"1\">"
		"<c r=\"A1\" s=\"0\"><v>5</v></c><c r=\"B1\" s=\"1\"><v>45383</v></c>"
		"<c r=\"C1\" s=\"2\"><v>45383</v></c><c r=\"D1\" s=\"3\"><v>12</v></c>"
		"<c r=\"E1\" s=\"4\"><v>4.9999999999999991</v></c>"
		"<c r=\"F1\" s=\"0\"><v>0.30000000000000004</v></c>"
		"<c r=\"G1\" s=\"1\"><v>45382.999999999993</v></c>"
		"<c r=\"H1\" s=\"1\"><v>45383.000000000007</v></c>"
		"<c r=\"I1\"><v>123456789012345680</v></c><c r=\"J1\"><v>1.0000000000000002</v></c>"
		"</row></sheetData></worksheet>";
	const part_def parts[] = {
		{ "_rels/.rels", root_rels, 0 },
		{ "xl/workbook.xml", workbook, 0 },
		{ "xl/_rels/workbook.xml.rels", workbook_rels, 0 },
		{ "xl/styles.xml", lo_styles, 0 },
		{ "xl/worksheets/sheet1.xml", sheet, 0 },
		{ "xl/worksheets/sheet2.xml", sheet2, 0 },
	};
	coplan_csv_table *t = NULL;

	(void)state;
	write_zip(TMP "own-formats.xlsx", parts, sizeof(parts) / sizeof(parts[0]));
	if (coplan_xlsx_read_file(&t, NULL, TMP "own-formats.xlsx", NULL))
		fail_msg("%s", coplan_error_last());
	ROW(t, 0, 1, "5", "2024-04-01", "45383", "12", "5", "0.3", "2024-04-01", "2024-04-01",
	    "123456789012346000", "1");
	coplan_csv_table_free(t);
}

static const char *json_str(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	if (!v)
		fail_msg("expected.json: no string '%s'", key);
	return v;
}

static void assert_list(char **got, size_t n, const json_t *want, const char *what)
{
	size_t i;

	if (n != json_array_size(want))
		fail_msg("%s: %zu, expected %zu", what, n, json_array_size(want));
	for (i = 0; i < n; i++)
		assert_string_equal(got[i], json_string_value(json_array_get(want, i)));
}

/* Every shared case in tests/data/xlsx/ with an expected.json: the activities it must give. */
static void check_xlsx_case(const char *name)
{
	char path[512], jpath[512], d[COPLAN_DATE_ISO_LEN];
	coplan_plan *plan;
	coplan_import_report rep;
	json_error_t jerr;
	json_t *doc, *acts;
	size_t i, before;

	snprintf(path, sizeof(path), COPLAN_TEST_DATA "/xlsx/%s.xlsx", name);
	snprintf(jpath, sizeof(jpath), COPLAN_TEST_DATA "/xlsx/%s.expected.json", name);
	doc = json_load_file(jpath, 0, &jerr);
	if (!doc)
		fail_msg("%s: %s", jpath, jerr.text);
	acts = json_object_get(doc, "activities");
	assert_non_null(acts);
	assert_int_equal(coplan_plan_new(&plan), 0);
	before = plan->n_activities;
	if (coplan_import_activities_xlsx(plan, path, NULL, NULL, &rep))
		fail_msg("%s: %s", name, coplan_error_last());
	assert_int_equal(plan->n_activities - before, json_array_size(acts));
	for (i = 0; i < json_array_size(acts); i++) {
		const json_t *w = json_array_get(acts, i);
		const coplan_activity *a = &plan->activities[before + i];

		assert_string_equal(a->ref, json_str(w, "ref"));
		assert_string_equal(a->title, json_str(w, "title"));
		assert_string_equal(a->host, json_str(w, "host"));
		assert_list(a->participants, a->n_participants, json_object_get(w, "participants"),
		            "participants");
		assert_list(a->units, a->n_units, json_object_get(w, "units"), "units");
		assert_int_equal(a->duration, json_integer_value(json_object_get(w, "duration")));
		assert_string_equal(a->day_mode == COPLAN_DAYS_WORKING ? "working" : "calendar",
		                    json_str(w, "mode"));
		assert_string_equal(coplan_date_format_iso(a->earliest, d), json_str(w, "earliest"));
		assert_string_equal(coplan_date_format_iso(a->latest, d), json_str(w, "latest"));
	}
	coplan_plan_free(plan);
	json_decref(doc);
}

static void test_shared_cases(void **state)
{
	(void)state;
	check_xlsx_case("libreoffice-general-format");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mixed_first_sheet),
		cmocka_unit_test(test_named_sheet),
		cmocka_unit_test(test_date1904),
		cmocka_unit_test(test_openpyxl_fixture),
		cmocka_unit_test(test_not_a_zip),
		cmocka_unit_test(test_zip_without_workbook),
		cmocka_unit_test(test_bad_xml),
		cmocka_unit_test(test_bad_cells),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_lying_sizes),
		cmocka_unit_test(test_import_activities),
		cmocka_unit_test(test_import_errors),
		cmocka_unit_test(test_import_header_errors),
		cmocka_unit_test(test_column_names),
		cmocka_unit_test(test_format_codes),
		cmocka_unit_test(test_own_format_table),
		cmocka_unit_test(test_shared_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

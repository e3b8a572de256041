/* SPDX-License-Identifier: Apache-2.0 */
/* xlsx_read.c - the cells of one sheet of an Excel workbook (.xlsx) as a table of UTF-8 text. */
#include <limits.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>
#include <zip.h>

#include "coplan/date.h"
#include "coplan/import.h"
#include "buf.h"
#include "common.h"
#include "xlsx_priv.h"

/* Excel's grid: ECMA-376 Part 1, 18.3.1.73 (row) and Excel's specifications and limits. */
#define MAX_ROW 1048576u
#define MAX_COL 16384u

/* Largest Excel serial day: 9999-12-31 in the 1900 date system. */
#define MAX_SERIAL 2958465.0

void cp_xlsx_default_limits(cp_xlsx_limits *lim)
{
	lim->file_bytes = COPLAN_IMPORT_MAX_BYTES;
	lim->part_bytes = COPLAN_XLSX_MAX_PART_BYTES;
	lim->total_bytes = COPLAN_XLSX_MAX_TOTAL_BYTES;
	lim->cells = COPLAN_XLSX_MAX_CELLS;
	lim->strings = COPLAN_XLSX_MAX_STRINGS;
}

char *cp_xlsx_column_name(size_t col, char *buf)
{
	char tmp[8];
	size_t n = 0, i;

	while (col > 0 && n < sizeof(tmp)) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return buf;
}

/* ---- the package ---- */

typedef struct {
	const char *name;          /* the file, for messages */
	zip_t *zip;
	cp_xlsx_limits lim;
	size_t total;              /* uncompressed bytes read from all parts */
	int date1904;              /* the workbook counts days from 1904-01-01 */
	char **strings;            /* shared strings */
	size_t n_strings, cap_strings;
	unsigned char *xf_date;    /* per cell format (cellXfs index): 1 if its number format is a date */
	size_t n_xf, cap_xf;
	const char *sheet;         /* the sheet read, for messages */
	coplan_csv_table *table;
	size_t cap_records;
	size_t n_cells;
} xlsx_ctx;

/* One XML part being read from the package, streamed through libxml2's reader. */
typedef struct {
	xlsx_ctx *x;
	const char *path;
	zip_file_t *zf;
	xmlTextReaderPtr rd;
	size_t n;                  /* uncompressed bytes read */
	int over;                  /* a size limit was reached */
	int zip_failed;
	char xml_error[200];       /* libxml2's first message */
	int xml_line;
} part;

static int io_read(void *ctx, char *buf, int len)
{
	part *p = ctx;
	zip_int64_t got;

	if (p->over || p->zip_failed)
		return -1;
	got = zip_fread(p->zf, buf, (zip_uint64_t)len);
	if (got < 0) {
		p->zip_failed = 1;
		return -1;
	}
	p->n += (size_t)got;
	p->x->total += (size_t)got;
	if (p->n > p->x->lim.part_bytes || p->x->total > p->x->lim.total_bytes) {
		p->over = 1;
		return -1;
	}
	return (int)got;
}

/* The zip file is closed by part_close(), after the reader lets go of it. */
static int io_close(void *ctx)
{
	(void)ctx;
	return 0;
}

static void on_xml_error(void *arg, xmlErrorPtr err)
{
	part *p = arg;
	size_t n;

	if (p->xml_error[0] || !err)
		return;
	snprintf(p->xml_error, sizeof(p->xml_error), "%s", err->message ? err->message : "bad XML");
	n = strlen(p->xml_error);
	while (n > 0 && (p->xml_error[n - 1] == '\n' || p->xml_error[n - 1] == ' '))
		p->xml_error[--n] = '\0';
	p->xml_line = err->line;
}

static int size_error(const part *p)
{
	const xlsx_ctx *x = p->x;

	if (p->n > x->lim.part_bytes)
		return cp_error(COPLAN_ELIMIT, "%s: part '%s' expands beyond the limit of %zu bytes "
		                "(expected a workbook that is not a zip bomb)", x->name, p->path,
		                x->lim.part_bytes);
	return cp_error(COPLAN_ELIMIT, "%s: the workbook expands beyond the limit of %zu bytes "
	                "(expected a workbook that is not a zip bomb)", x->name, x->lim.total_bytes);
}

/*
 * Open the part at path (case-insensitive, as OPC part names are).
 * COPLAN_ENOTFOUND without a message when the package has no such part.
 */
static int part_open(part *p, xlsx_ctx *x, const char *path)
{
	zip_int64_t ix;
	zip_stat_t st;

	memset(p, 0, sizeof(*p));
	p->x = x;
	p->path = path;
	ix = zip_name_locate(x->zip, path, ZIP_FL_NOCASE);
	if (ix < 0)
		return COPLAN_ENOTFOUND;
	zip_stat_init(&st);
	if (zip_stat_index(x->zip, (zip_uint64_t)ix, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE)) {
		p->n = st.size; /* as declared: checked now, and counted again while reading */
		if (st.size > x->lim.part_bytes || x->total + st.size > x->lim.total_bytes)
			return size_error(p);
		p->n = 0;
	}
	p->zf = zip_fopen_index(x->zip, (zip_uint64_t)ix, 0);
	if (!p->zf)
		return cp_error(COPLAN_EINVALID, "%s: cannot read part '%s': %s (expected an intact "
		                "workbook)", x->name, path, zip_strerror(x->zip));
	/* no network, no external entities, no DTD loading: the defaults, and NONET */
	p->rd = xmlReaderForIO(io_read, io_close, p, path, NULL, XML_PARSE_NONET);
	if (!p->rd) {
		zip_fclose(p->zf);
		p->zf = NULL;
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	xmlTextReaderSetStructuredErrorHandler(p->rd, on_xml_error, p);
	return 0;
}

static void part_close(part *p)
{
	if (p->rd)
		xmlFreeTextReader(p->rd);
	if (p->zf)
		zip_fclose(p->zf);
	p->rd = NULL;
	p->zf = NULL;
}

/* The next node: 1, 0 at the end of the part, or a negative error with the message set. */
static int part_next(part *p)
{
	int r = xmlTextReaderRead(p->rd);

	if (r == 1 && xmlTextReaderNodeType(p->rd) == XML_READER_TYPE_DOCUMENT_TYPE)
		return cp_error(COPLAN_EINVALID, "%s: part '%s' has a document type declaration "
		                "(expected none: OOXML parts have no DTD)", p->x->name, p->path);
	if (r >= 0)
		return r;
	if (p->over)
		return size_error(p);
	if (p->zip_failed)
		return cp_error(COPLAN_EINVALID, "%s: cannot read part '%s': %s (expected an intact "
		                "workbook)", p->x->name, p->path, zip_file_strerror(p->zf));
	return cp_error(COPLAN_EINVALID, "%s: part '%s' line %d: %s (expected well-formed XML)",
	                p->x->name, p->path, p->xml_line, p->xml_error[0] ? p->xml_error : "bad XML");
}

static int is_elem(const part *p, const char *local)
{
	const xmlChar *n = xmlTextReaderConstLocalName(p->rd);

	return n && !strcmp((const char *)n, local);
}

static int node_type(const part *p)
{
	return xmlTextReaderNodeType(p->rd);
}

static int is_start(const part *p, const char *local)
{
	return node_type(p) == XML_READER_TYPE_ELEMENT && is_elem(p, local);
}

static int is_end(const part *p, const char *local)
{
	return node_type(p) == XML_READER_TYPE_END_ELEMENT && is_elem(p, local);
}

/* A start tag that will have an end tag (not <x/>). */
static int has_content(const part *p)
{
	return xmlTextReaderIsEmptyElement(p->rd) == 0;
}

/* A text node, whose value is character data of the element it is in. */
static int is_text(const part *p)
{
	int t = node_type(p);

	return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
	       t == XML_READER_TYPE_WHITESPACE || t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/*
 * The value of the attribute of the current element with this local name,
 * in a namespace (ns 1, as r:id) or in none (ns 0); a copy the caller frees,
 * or NULL when absent (*nomem set when allocation failed).
 */
static char *attr(const part *p, const char *local, int ns, int *nomem)
{
	char *v = NULL;
	int r;

	for (r = xmlTextReaderMoveToFirstAttribute(p->rd); r == 1;
	     r = xmlTextReaderMoveToNextAttribute(p->rd)) {
		const xmlChar *n = xmlTextReaderConstLocalName(p->rd);
		const xmlChar *u = xmlTextReaderConstNamespaceUri(p->rd);

		if (n && !strcmp((const char *)n, local) && (ns ? u != NULL : u == NULL)) {
			const xmlChar *val = xmlTextReaderConstValue(p->rd);

			v = cp_strdup(val ? (const char *)val : "");
			if (!v && nomem)
				*nomem = 1;
			break;
		}
	}
	xmlTextReaderMoveToElement(p->rd);
	return v;
}

/* Append the current text node's value to b. */
static int add_text(const part *p, cp_buf *b)
{
	const xmlChar *v = xmlTextReaderConstValue(p->rd);

	return v ? cp_buf_puts(b, (const char *)v) : 0;
}

/* ---- paths and relationships ---- */

/* The part name target resolves to from the folder of source (OPC: no leading '/', '..' applied). */
static char *resolve(const char *source, const char *target)
{
	cp_buf b = CP_BUF_INIT(4096);
	const char *slash = strrchr(source, '/'), *s;
	char *out;

	if (*target == '/')
		target++;
	else if (slash && cp_buf_add(&b, source, (size_t)(slash - source) + 1))
		goto fail;
	for (s = target; *s;) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (n == 2 && !strncmp(s, "..", 2)) {
			/* drop the last folder of b */
			if (b.len > 0)
				b.len--;
			while (b.len > 0 && b.data[b.len - 1] != '/')
				b.len--;
			if (b.data)
				b.data[b.len] = '\0';
		} else if (!(n == 1 && *s == '.') && n > 0) {
			if (cp_buf_add(&b, s, n) || (e && cp_buf_putc(&b, '/')))
				goto fail;
		}
		s = e ? e + 1 : s + n;
	}
	out = cp_buf_detach(&b, NULL);
	return out;
fail:
	cp_buf_release(&b);
	return NULL;
}

/* The relationships part of source: "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels". */
static char *rels_path(const char *source)
{
	const char *slash = strrchr(source, '/');
	size_t dir = slash ? (size_t)(slash - source) + 1 : 0;
	size_t n = strlen(source) + 16;
	char *out = malloc(n);

	if (out)
		snprintf(out, n, "%.*s_rels/%s.rels", (int)dir, source, source + dir);
	return out;
}

typedef struct {
	char *id;
	char *type;                /* the relationship type's last segment: "worksheet", "styles"... */
	char *target;              /* resolved part name */
} rel;

typedef struct {
	rel *items;
	size_t n, cap;
} rel_list;

static void rels_release(rel_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->items[i].id);
		free(l->items[i].type);
		free(l->items[i].target);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

/* Read the relationships of part source; a package without them gives an empty list. */
static int read_rels(xlsx_ctx *x, const char *source, rel_list *out)
{
	char *path = source ? rels_path(source) : cp_strdup("_rels/.rels");
	part p;
	int rc, r;

	memset(out, 0, sizeof(*out));
	if (!path)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	rc = part_open(&p, x, path);
	if (rc == COPLAN_ENOTFOUND) {
		rc = 0;
		goto cleanup;
	}
	if (rc)
		goto cleanup;
	while ((r = part_next(&p)) == 1) {
		char *id, *type, *target, *mode;
		int nomem = 0;
		const char *last;

		if (!is_start(&p, "Relationship"))
			continue;
		id = attr(&p, "Id", 0, &nomem);
		type = attr(&p, "Type", 0, &nomem);
		target = attr(&p, "Target", 0, &nomem);
		mode = attr(&p, "TargetMode", 0, &nomem);
		if (!nomem && id && type && target && !(mode && !strcmp(mode, "External")) &&
		    !cp_grow((void **)&out->items, &out->cap, out->n + 1, sizeof(rel))) {
			rel *e = &out->items[out->n];

			last = strrchr(type, '/');
			e->id = id;
			e->type = cp_strdup(last ? last + 1 : type);
			e->target = resolve(source ? source : "", target);
			id = NULL;
			out->n++;
			if (!e->type || !e->target)
				nomem = 1;
		}
		free(id);
		free(type);
		free(target);
		free(mode);
		if (nomem) {
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
			goto cleanup;
		}
	}
	rc = r;
cleanup:
	part_close(&p);
	free(path);
	if (rc)
		rels_release(out);
	return rc;
}

static const rel *rel_by_type(const rel_list *l, const char *type)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->items[i].type, type))
			return &l->items[i];
	return NULL;
}

/* ---- text ---- */

static int hex4(const char *s, unsigned *out)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return 0;
	}
	*out = v;
	return 1;
}

/*
 * Undo OOXML's escape of characters XML cannot carry (ECMA-376 Part 1,
 * 22.9.2.19 ST_Xstring): "_x000D_" is CR, "_x005F_" a literal '_'.  NUL and
 * surrogates stay as written.  In place: the text only shrinks.
 */
static void unescape_xstring(char *s)
{
	char *w = s;
	const char *r = s;

	while (*r) {
		unsigned cp;

		if (r[0] == '_' && r[1] == 'x' && hex4(r + 2, &cp) && r[6] == '_' && cp != 0 &&
		    !(cp >= 0xD800 && cp <= 0xDFFF)) {
			if (cp < 0x80) {
				*w++ = (char)cp;
			} else if (cp < 0x800) {
				*w++ = (char)(0xC0 | cp >> 6);
				*w++ = (char)(0x80 | (cp & 0x3F));
			} else {
				*w++ = (char)(0xE0 | cp >> 12);
				*w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
				*w++ = (char)(0x80 | (cp & 0x3F));
			}
			r += 7;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

/* ---- shared strings ---- */

static int read_shared_strings(xlsx_ctx *x, const char *path)
{
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	part p;
	int rc, r, in_si = 0, in_t = 0, rph = 0;

	rc = part_open(&p, x, path);
	if (rc == COPLAN_ENOTFOUND)
		return 0;
	if (rc)
		return rc;
	while ((r = part_next(&p)) == 1) {
		int start = node_type(&p) == XML_READER_TYPE_ELEMENT;

		if (start && is_elem(&p, "si")) {
			if (x->n_strings >= x->lim.strings) {
				rc = cp_error(COPLAN_ELIMIT, "%s: more than %zu shared strings (expected a "
				              "smaller workbook)", x->name, x->lim.strings);
				goto cleanup;
			}
			cp_buf_clear(&b);
			in_si = has_content(&p);
			if (!in_si) {
				/* <si/>: an empty string */
				goto push;
			}
		} else if (in_si && start && is_elem(&p, "rPh") && has_content(&p)) {
			rph++; /* phonetic reading of Japanese text: not part of the value */
		} else if (in_si && is_end(&p, "rPh")) {
			rph--;
		} else if (in_si && start && is_elem(&p, "t") && has_content(&p)) {
			in_t = 1;
		} else if (is_end(&p, "t")) {
			in_t = 0;
		} else if (in_si && in_t && !rph && is_text(&p)) {
			if ((rc = add_text(&p, &b)) != 0)
				goto cleanup;
		} else if (is_end(&p, "si")) {
			in_si = 0;
			goto push;
		}
		continue;
push:
		{
			char *s = cp_buf_detach(&b, NULL);

			if (!s || cp_grow((void **)&x->strings, &x->cap_strings, x->n_strings + 1,
			                  sizeof(char *))) {
				free(s);
				rc = cp_error(COPLAN_ENOMEM, "out of memory");
				goto cleanup;
			}
			unescape_xstring(s);
			x->strings[x->n_strings++] = s;
		}
	}
	rc = r;
cleanup:
	cp_buf_release(&b);
	part_close(&p);
	return rc;
}

/* ---- styles: which cell formats show dates ---- */

/*
 * The built-in number formats (ECMA-376 Part 1, 18.8.30 numFmt): the codes
 * ids 0-49 stand for, and for the East Asian ids (27-36, 50-58) the codes
 * Japanese Excel gives them.  Ids 5-8 and 41-44 (currency, accounting) depend
 * on the locale and show no date in any; they are left out (a number).
 */
static const struct {
	short id;
	const char *code;
} builtin_formats[] = {
	{ 0, "General" }, { 1, "0" }, { 2, "0.00" }, { 3, "#,##0" }, { 4, "#,##0.00" },
	{ 9, "0%" }, { 10, "0.00%" }, { 11, "0.00E+00" }, { 12, "# ?/?" }, { 13, "# ?\?/??" },
	{ 14, "mm-dd-yy" }, { 15, "d-mmm-yy" }, { 16, "d-mmm" }, { 17, "mmm-yy" },
	{ 18, "h:mm AM/PM" }, { 19, "h:mm:ss AM/PM" }, { 20, "h:mm" }, { 21, "h:mm:ss" },
	{ 22, "m/d/yy h:mm" },
	{ 27, "[$-411]ge.m.d" }, { 28, "[$-411]ggge\"年\"m\"月\"d\"日\"" },
	{ 29, "[$-411]ggge\"年\"m\"月\"d\"日\"" }, { 30, "m/d/yy" },
	{ 31, "yyyy\"年\"m\"月\"d\"日\"" }, { 32, "h\"時\"mm\"分\"" },
	{ 33, "h\"時\"mm\"分\"ss\"秒\"" }, { 34, "yyyy\"年\"m\"月\"" }, { 35, "m\"月\"d\"日\"" },
	{ 36, "[$-411]ge.m.d" },
	{ 37, "#,##0 ;(#,##0)" }, { 38, "#,##0 ;[Red](#,##0)" }, { 39, "#,##0.00;(#,##0.00)" },
	{ 40, "#,##0.00;[Red](#,##0.00)" }, { 45, "mm:ss" }, { 46, "[h]:mm:ss" }, { 47, "mmss.0" },
	{ 48, "##0.0E+0" }, { 49, "@" },
	{ 50, "[$-411]ge.m.d" }, { 51, "[$-411]ggge\"年\"m\"月\"d\"日\"" },
	{ 52, "yyyy\"年\"m\"月\"" }, { 53, "m\"月\"d\"日\"" },
	{ 54, "[$-411]ggge\"年\"m\"月\"d\"日\"" }, { 55, "yyyy\"年\"m\"月\"" },
	{ 56, "m\"月\"d\"日\"" }, { 57, "[$-411]ge.m.d" },
	{ 58, "[$-411]ggge\"年\"m\"月\"d\"日\"" },
};

const char *cp_xlsx_builtin_format(long id)
{
	size_t i;

	for (i = 0; i < sizeof(builtin_formats) / sizeof(builtin_formats[0]); i++)
		if (builtin_formats[i].id == id)
			return builtin_formats[i].code;
	return NULL;
}

static int is_word(const char *s, const char *word)
{
	for (; *word; s++, word++)
		if ((*s | 0x20) != *word)
			return 0;
	return 1;
}

int cp_xlsx_format_is_date(const char *code)
{
	int d = 0, m = 0, hs = 0;
	const char *s;

	if (!code)
		return 0;
	for (s = code; *s && *s != ';'; s++) {
		char c = *s, l = (char)(c | 0x20);

		if (c == '"') {
			while (s[1] && s[1] != '"')
				s++;
			if (s[1])
				s++;
		} else if (c == '\\' || c == '_' || c == '*') {
			if (s[1])
				s++;
		} else if (c == '[') {
			char n = (char)(s[1] | 0x20);

			if (n == 'h' || n == 'm' || n == 's')
				hs = 1; /* [h]:mm, [mm]:ss elapsed time */
			while (s[1] && s[1] != ']')
				s++;
			if (s[1])
				s++;
		} else if (is_word(s, "general")) {
			s += 6;
		} else if (l == 'e' && (s[1] == '+' || s[1] == '-')) {
			s++; /* 0.00E+00: scientific, not an era year */
		} else if (l == 'a' && (is_word(s, "am/pm") || is_word(s, "a/p"))) {
			hs = 1;
			s += s[1] == '/' ? 2 : 4;
		} else if (l == 'd' || l == 'y' || l == 'e' || l == 'g' || l == 'b' || l == 'a' ||
		           l == 'n' || l == 'q' || l == 'w') {
			d = 1; /* day, year, era (e, g), Buddhist year (b), weekday (aaa, nn), quarter, week */
		} else if (l == 'm') {
			m = 1;
		} else if (l == 'h' || l == 's') {
			hs = 1;
		}
	}
	return d || (m && !hs);
}

static int read_styles(xlsx_ctx *x, const char *path)
{
	/* the workbook's own number formats: id and whether its code shows a date */
	struct custom_fmt { long id; int date; } *fmts = NULL;
	size_t n_fmts = 0, cap_fmts = 0, i;
	part p;
	int rc, r, in_fmts = 0, in_xfs = 0;

	rc = part_open(&p, x, path);
	if (rc == COPLAN_ENOTFOUND)
		return 0;
	if (rc)
		return rc;
	while ((r = part_next(&p)) == 1) {
		int start = node_type(&p) == XML_READER_TYPE_ELEMENT, nomem = 0;

		if (start && is_elem(&p, "numFmts")) {
			in_fmts = has_content(&p);
		} else if (is_end(&p, "numFmts")) {
			in_fmts = 0;
		} else if (start && is_elem(&p, "cellXfs")) {
			in_xfs = has_content(&p);
		} else if (is_end(&p, "cellXfs")) {
			in_xfs = 0;
		} else if (start && in_fmts && is_elem(&p, "numFmt")) {
			char *id = attr(&p, "numFmtId", 0, &nomem), *code = attr(&p, "formatCode", 0, &nomem);

			if (id && code) {
				if (n_fmts > x->lim.strings)
					nomem = 2;
				else if (cp_grow((void **)&fmts, &cap_fmts, n_fmts + 1, sizeof(*fmts)))
					nomem = 1;
				else {
					fmts[n_fmts].id = strtol(id, NULL, 10);
					fmts[n_fmts++].date = cp_xlsx_format_is_date(code);
				}
			}
			free(id);
			free(code);
		} else if (start && in_xfs && is_elem(&p, "xf")) {
			char *id = attr(&p, "numFmtId", 0, &nomem);
			long v = id ? strtol(id, NULL, 10) : 0;
			int date = -1;

			/* the code decides, never the id: a workbook may give any id its own code */
			for (i = n_fmts; i-- > 0 && date < 0;)
				if (fmts[i].id == v)
					date = fmts[i].date;
			if (date < 0)
				date = cp_xlsx_format_is_date(cp_xlsx_builtin_format(v));
			free(id);
			if (x->n_xf > x->lim.strings ||
			    cp_grow((void **)&x->xf_date, &x->cap_xf, x->n_xf + 1, 1)) {
				rc = x->n_xf > x->lim.strings
				     ? cp_error(COPLAN_ELIMIT, "%s: more than %zu cell formats (expected a "
				                "smaller workbook)", x->name, x->lim.strings)
				     : COPLAN_ENOMEM;
				goto cleanup;
			}
			x->xf_date[x->n_xf++] = (unsigned char)date;
		}
		if (nomem == 2) {
			rc = cp_error(COPLAN_ELIMIT, "%s: more than %zu number formats (expected a "
			              "smaller workbook)", x->name, x->lim.strings);
			goto cleanup;
		} else if (nomem) {
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
			goto cleanup;
		}
	}
	rc = r;
cleanup:
	free(fmts);
	part_close(&p);
	return rc;
}

/* ---- the sheet ---- */

/* The sheet's name as a cell reference writes it: Plan, or 'My plan' quoted. */
static void sheet_ref(char *buf, size_t size, const char *sheet)
{
	const char *s;
	int quote = (*sheet >= '0' && *sheet <= '9');
	size_t n = 0;

	for (s = sheet; *s && !quote; s++)
		if ((unsigned char)*s < 0x80 && !(*s == '_' || *s == '.' ||
		                                  (*s >= '0' && *s <= '9') ||
		                                  ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z')))
			quote = 1;
	if (!quote) {
		snprintf(buf, size, "%s", sheet);
		return;
	}
	buf[n++] = '\'';
	for (s = sheet; *s && n + 4 < size; s++) {
		if (*s == '\'')
			buf[n++] = '\'';
		buf[n++] = *s;
	}
	buf[n++] = '\'';
	buf[n] = '\0';
}

char *cp_xlsx_cell_ref(char *buf, size_t size, const char *sheet, size_t row, size_t col)
{
	char sh[128], cn[8];

	sheet_ref(sh, sizeof(sh), sheet);
	if (!row)
		snprintf(buf, size, "%s", sh);
	else if (!col)
		snprintf(buf, size, "%s!%zu:%zu", sh, row, row);
	else
		snprintf(buf, size, "%s!%s%zu", sh, cp_xlsx_column_name(col, cn), row);
	return buf;
}

/* An error at a cell of the sheet: "file:Sheet!C7: message". */
static int cell_error(const xlsx_ctx *x, size_t row, size_t col, int code, const char *fmt, ...)
	CP_PRINTF(5, 6);

static int cell_error(const xlsx_ctx *x, size_t row, size_t col, int code, const char *fmt, ...)
{
	char msg[512], ref[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cp_error(code, "%s:%s: %s", x->name, cp_xlsx_cell_ref(ref, sizeof(ref), x->sheet, row,
	                                                             col), msg);
}

/* Parse a cell reference "C7" into column and row; 0 if it is not one within Excel's grid. */
static int parse_ref(const char *s, size_t *col, size_t *row)
{
	size_t c = 0, r = 0;

	if (!((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z'))
		return 0;
	while ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z' && c <= MAX_COL)
		c = c * 26 + (size_t)((*s++ | 0x20) - 'a' + 1);
	if (!(*s >= '1' && *s <= '9'))
		return 0;
	while (*s >= '0' && *s <= '9' && r <= MAX_ROW)
		r = r * 10 + (size_t)(*s++ - '0');
	if (*s || c > MAX_COL || r > MAX_ROW)
		return 0;
	*col = c;
	*row = r;
	return 1;
}

/* A whole number 1..max from text, or 0. */
static size_t parse_index(const char *s, size_t max)
{
	size_t v = 0;

	if (!(*s >= '0' && *s <= '9'))
		return 0;
	while (*s >= '0' && *s <= '9' && v <= max)
		v = v * 10 + (size_t)(*s++ - '0');
	return *s || v > max ? 0 : v;
}

/*
 * A number as Excel shows it: the shortest decimal text that reads back as v,
 * but never more than 15 significant digits (Excel keeps 15), so that the
 * noise of binary arithmetic goes: 0.30000000000000004 (=0.1+0.2) is "0.3",
 * 4.9999999999999991 is "5".  "3", "0.1", "45301", "0.00001"; plain decimals
 * for exponents -10 to 20, "1e+25" beyond.
 */
static void format_number(char *buf, size_t size, double v)
{
	int prec;
	char *e;

	for (prec = 1; prec < 15; prec++) {
		snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	snprintf(buf, size, "%.*g", prec, v);
	v = strtod(buf, NULL);
	e = strchr(buf, 'e');
	if (e) {
		long x = strtol(e + 1, NULL, 10);

		if (x >= -10 && x <= 20)
			snprintf(buf, size, "%.*f", prec - 1 - (int)x > 0 ? prec - 1 - (int)x : 0, v);
	}
	if (strchr(buf, '.') && !strchr(buf, 'e')) {
		size_t n = strlen(buf); /* 15 digits may end in zeros: 5.00000000000000 */

		while (n && buf[n - 1] == '0')
			buf[--n] = '\0';
		if (n && buf[n - 1] == '.')
			buf[--n] = '\0';
	}
}

/*
 * An Excel serial day as ISO 8601: "2024-03-15", with a time of day
 * "2024-03-15T10:30:00".  1900 system: serial 1 is 1900-01-01 and 60 is
 * Lotus's fictitious 1900-02-29 (ECMA-376 Part 1, 18.17.4.1); 1904 system:
 * serial 0 is 1904-01-01.  0 or COPLAN_ERANGE.
 */
static int serial_to_iso(char *buf, size_t size, double v, int date1904)
{
	double day = floor(v);
	long secs = lround((v - day) * 86400.0);
	long d = (long)day;
	coplan_date date;
	char iso[COPLAN_DATE_ISO_LEN];

	if (secs >= 86400) {
		secs -= 86400;
		d++;
	}
	if (date1904) {
		if (d < 0 || d > (long)MAX_SERIAL - 1462)
			return COPLAN_ERANGE;
		date = coplan_date_from_ymd(1904, 1, 1) + (coplan_date)d;
	} else {
		if (d < 1 || d == 60 || d > (long)MAX_SERIAL)
			return COPLAN_ERANGE;
		date = coplan_date_from_ymd(1899, 12, d < 60 ? 31 : 30) + (coplan_date)d;
	}
	coplan_date_format_iso(date, iso);
	if (secs)
		snprintf(buf, size, "%sT%02ld:%02ld:%02ld", iso, secs / 3600, secs / 60 % 60, secs % 60);
	else
		snprintf(buf, size, "%s", iso);
	return 0;
}

enum { CELL_NUMBER, CELL_SHARED, CELL_STR, CELL_INLINE, CELL_BOOL, CELL_ERROR, CELL_DATE };

static int cell_type(const char *t)
{
	static const struct { const char *name; int type; } types[] = {
		{ "n", CELL_NUMBER }, { "s", CELL_SHARED }, { "str", CELL_STR },
		{ "inlineStr", CELL_INLINE }, { "b", CELL_BOOL }, { "e", CELL_ERROR }, { "d", CELL_DATE },
	};
	size_t i;

	if (!t)
		return CELL_NUMBER;
	for (i = 0; i < CP_ARRAY_SIZE(types); i++)
		if (!strcmp(t, types[i].name))
			return types[i].type;
	return -1;
}

/* Put text (taken over, the caller must not free it) at row, col of the table. */
static int put_cell(xlsx_ctx *x, size_t row, size_t col, char *text)
{
	coplan_csv_table *t = x->table;
	coplan_csv_record *rec;
	size_t cap;
	int rc = 0;

	if (t->n_records == 0 || t->records[t->n_records - 1].line != row) {
		if (cp_grow((void **)&t->records, &x->cap_records, t->n_records + 1,
		            sizeof(coplan_csv_record))) {
			rc = COPLAN_ENOMEM;
			goto cleanup;
		}
		rec = &t->records[t->n_records++];
		memset(rec, 0, sizeof(*rec));
		rec->line = row;
	}
	rec = &t->records[t->n_records - 1];
	if (x->n_cells + (col - rec->n_fields) > x->lim.cells) {
		rc = cell_error(x, row, col, COPLAN_ELIMIT, "more than %zu cells (expected a smaller "
		                "sheet)", x->lim.cells);
		goto cleanup;
	}
	cap = rec->n_fields;
	if (cp_grow((void **)&rec->fields, &cap, col, sizeof(char *))) {
		rc = COPLAN_ENOMEM;
		goto cleanup;
	}
	/* the fields array's capacity is not kept: grow it exactly, cells come in order */
	while (rec->n_fields + 1 < col) {
		if (!(rec->fields[rec->n_fields] = cp_strdup(""))) {
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
			goto cleanup;
		}
		rec->n_fields++;
		x->n_cells++;
	}
	rec->fields[rec->n_fields++] = text;
	x->n_cells++;
	text = NULL;
cleanup:
	free(text);
	return rc;
}

/* The text of a finished cell (type, style s, its <v> or inline text), or an error at its reference. */
static int cell_text(xlsx_ctx *x, size_t row, size_t col, int type, size_t style, char *raw,
                     char **out)
{
	char buf[64];
	char *end;
	double v;

	*out = NULL;
	switch (type) {
	case CELL_SHARED: {
		size_t i = parse_index(raw, (size_t)-1 / 2);

		if (!(i > 0 || !strcmp(raw, "0")) || i >= x->n_strings)
			return cell_error(x, row, col, COPLAN_EINVALID, "shared string index '%.20s' out "
			                  "of range (expected 0 to %zu)", raw,
			                  x->n_strings ? x->n_strings - 1 : 0);
		*out = cp_strdup(x->strings[i]);
		break;
	}
	case CELL_STR:
	case CELL_INLINE:
	case CELL_ERROR:
		unescape_xstring(raw);
		*out = cp_strdup(raw);
		break;
	case CELL_BOOL:
		if (strcmp(raw, "0") && strcmp(raw, "1"))
			return cell_error(x, row, col, COPLAN_EINVALID, "bad boolean '%.20s' (expected 0 "
			                  "or 1)", raw);
		*out = cp_strdup(*raw == '1' ? "TRUE" : "FALSE");
		break;
	case CELL_DATE:
		/* ISO 8601 date-time (strict OOXML): the date alone when it is midnight */
		if (strlen(raw) > 10 && raw[10] == 'T' && !strcmp(raw + 11, "00:00:00"))
			raw[10] = '\0';
		*out = cp_strdup(raw);
		break;
	default:
		if (!*raw) {
			*out = cp_strdup("");
			break;
		}
		v = strtod(raw, &end);
		if (*end || end == raw || !isfinite(v))
			return cell_error(x, row, col, COPLAN_EINVALID, "bad number '%.20s' (expected a "
			                  "number such as 3 or 1.5E-3)", raw);
		if (style < x->n_xf && x->xf_date[style]) {
			if (serial_to_iso(buf, sizeof(buf), v, x->date1904))
				return cell_error(x, row, col, COPLAN_EINVALID, "date serial %.20s is not a "
				                  "day Excel can show (expected %s)", raw, x->date1904
				                  ? "0 to 2957003" : "1 to 2958465 but not 60");
		} else {
			format_number(buf, sizeof(buf), v);
		}
		*out = cp_strdup(buf);
		break;
	}
	return *out ? 0 : cp_error(COPLAN_ENOMEM, "out of memory");
}

static int read_sheet(xlsx_ctx *x, const char *path)
{
	cp_buf val = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	size_t row = 0, col = 0, prev_row = 0, prev_col = 0, style = 0;
	int rc, r, in_row = 0, in_c = 0, in_v = 0, in_t = 0, rph = 0, type = CELL_NUMBER;
	part p;

	rc = part_open(&p, x, path);
	if (rc == COPLAN_ENOTFOUND)
		return cp_error(COPLAN_EINVALID, "%s: sheet '%s' has no part '%s' (expected an intact "
		                "workbook)", x->name, x->sheet, path);
	if (rc)
		return rc;
	while ((r = part_next(&p)) == 1) {
		int start = node_type(&p) == XML_READER_TYPE_ELEMENT, nomem = 0;

		if (in_c) {
			if (is_text(&p)) {
				if ((in_v || (in_t && !rph)) && (rc = add_text(&p, &val)) != 0)
					goto cleanup;
			} else if (start && is_elem(&p, "v")) {
				in_v = has_content(&p);
			} else if (is_end(&p, "v")) {
				in_v = 0;
			} else if (start && is_elem(&p, "rPh")) {
				rph += has_content(&p);
			} else if (is_end(&p, "rPh")) {
				rph--;
			} else if (start && is_elem(&p, "t")) {
				in_t = has_content(&p) && type == CELL_INLINE;
			} else if (is_end(&p, "t")) {
				in_t = 0;
			} else if (is_end(&p, "c")) {
				char *text;

				in_c = 0;
				if ((rc = cell_text(x, row, col, type, style, val.data ? val.data : "",
				                    &text)) != 0)
					goto cleanup;
				if (*text)
					rc = put_cell(x, row, col, text);
				else
					free(text);
				if (rc)
					goto cleanup;
			}
			continue;
		}
		if (start && is_elem(&p, "row")) {
			char *rs = attr(&p, "r", 0, &nomem);

			row = rs ? parse_index(rs, MAX_ROW) : prev_row + 1;
			if (!nomem && (row == 0 || row <= prev_row)) {
				rc = cp_error(COPLAN_EINVALID, "%s: sheet '%s': row '%s' %s (expected rows "
				              "1 to %u in ascending order)", x->name, x->sheet, rs ? rs : "",
				              row ? "out of order" : "is not a row number", MAX_ROW);
				free(rs);
				goto cleanup;
			}
			free(rs);
			prev_row = row;
			prev_col = 0;
			in_row = has_content(&p);
		} else if (is_end(&p, "row")) {
			in_row = 0;
		} else if (start && is_elem(&p, "c")) {
			char *ref = attr(&p, "r", 0, &nomem), *t = attr(&p, "t", 0, &nomem);
			char *s = attr(&p, "s", 0, &nomem);
			size_t rrow = row;

			if (nomem) {
				free(ref);
				free(t);
				free(s);
				rc = cp_error(COPLAN_ENOMEM, "out of memory");
				goto cleanup;
			}
			col = prev_col + 1;
			if (!in_row) {
				rc = cp_error(COPLAN_EINVALID, "%s: sheet '%s': a cell outside a row (expected "
				              "cells inside <row>)", x->name, x->sheet);
			} else if (ref && (!parse_ref(ref, &col, &rrow) || rrow != row || col <= prev_col)) {
				rc = cell_error(x, row, prev_col + 1, COPLAN_EINVALID, "bad cell reference "
				                "'%.20s' (expected a cell of row %zu after column %zu)", ref, row,
				                prev_col);
			} else if (col > MAX_COL) {
				rc = cell_error(x, row, MAX_COL, COPLAN_EINVALID, "cell beyond column XFD");
			} else if ((type = cell_type(t)) < 0) {
				rc = cell_error(x, row, col, COPLAN_EINVALID, "unknown cell type '%.20s' "
				                "(expected s, str, inlineStr, n, b, e or d)", t);
			} else {
				style = s ? parse_index(s, (size_t)INT_MAX) : 0;
				if (s && !style && strcmp(s, "0"))
					rc = cell_error(x, row, col, COPLAN_EINVALID, "bad style index '%.20s' "
					                "(expected a whole number)", s);
				else if (style > 0 && style >= x->n_xf)
					rc = cell_error(x, row, col, COPLAN_EINVALID, "style %zu out of range "
					                "(expected below %zu, the cell formats of styles.xml)",
					                style, x->n_xf);
			}
			free(ref);
			free(t);
			free(s);
			if (rc)
				goto cleanup;
			prev_col = col;
			cp_buf_clear(&val);
			in_c = has_content(&p);
			in_v = in_t = rph = 0;
		} else if (is_end(&p, "sheetData")) {
			break; /* what follows (merged cells, print setup) holds no values */
		}
		if (nomem) {
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
			goto cleanup;
		}
	}
	rc = r < 0 ? r : 0;
cleanup:
	cp_buf_release(&val);
	part_close(&p);
	return rc;
}

/* ---- the workbook ---- */

typedef struct {
	char *name;
	char *rid;
} sheet_entry;

/* Read workbook.xml: the date system and the sheet named (or the first): its name and r:id. */
static int read_workbook(xlsx_ctx *x, const char *path, const char *want, char **name,
                         char **rid)
{
	cp_buf names = CP_BUF_INIT(64 * 1024);
	part p;
	int rc, r, n_sheets = 0;

	*name = *rid = NULL;
	rc = part_open(&p, x, path);
	if (rc == COPLAN_ENOTFOUND) {
		rc = cp_error(COPLAN_EINVALID, "%s: no workbook part '%s' (expected an Excel .xlsx "
		              "workbook)", x->name, path);
		goto cleanup;
	}
	if (rc)
		goto cleanup;
	while ((r = part_next(&p)) == 1) {
		int nomem = 0;

		if (is_start(&p, "workbookPr")) {
			char *d = attr(&p, "date1904", 0, &nomem);

			x->date1904 = d && (!strcmp(d, "1") || !strcmp(d, "true"));
			free(d);
		} else if (is_start(&p, "sheet")) {
			char *sn = attr(&p, "name", 0, &nomem), *id = attr(&p, "id", 1, &nomem);

			if (sn && !nomem)
				cp_buf_printf(&names, "%s'%s'", n_sheets ? ", " : "", sn);
			n_sheets++;
			if (!*name && sn && id && (!want || !strcmp(sn, want))) {
				*name = sn;
				*rid = id;
				sn = id = NULL;
			}
			free(sn);
			free(id);
		}
		if (nomem) {
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
			goto cleanup;
		}
	}
	if ((rc = r) != 0)
		goto cleanup;
	if (!*name) {
		rc = want ? cp_error(COPLAN_ENOTFOUND, "%s: no sheet '%s' (expected one of: %s)", x->name,
		                     want, names.data ? names.data : "none")
		          : cp_error(COPLAN_EINVALID, "%s: the workbook has no sheet (expected at least "
		                     "one)", x->name);
	}
cleanup:
	part_close(&p);
	cp_buf_release(&names);
	if (rc) {
		free(*name);
		free(*rid);
		*name = *rid = NULL;
	}
	return rc;
}

static int read_package(xlsx_ctx *x, const char *want, char **sheet_name)
{
	rel_list root = { 0 }, wb = { 0 };
	char *wb_path = NULL, *rid = NULL;
	const rel *rl;
	size_t i;
	int rc;

	if ((rc = read_rels(x, NULL, &root)) != 0)
		goto cleanup;
	rl = rel_by_type(&root, "officeDocument");
	wb_path = cp_strdup(rl ? rl->target : "xl/workbook.xml");
	if (!wb_path) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	if ((rc = read_workbook(x, wb_path, want, sheet_name, &rid)) != 0)
		goto cleanup;
	x->sheet = *sheet_name;
	if ((rc = read_rels(x, wb_path, &wb)) != 0)
		goto cleanup;
	rl = rel_by_type(&wb, "sharedStrings");
	{
		char *def = resolve(wb_path, "sharedStrings.xml");

		rc = def ? read_shared_strings(x, rl ? rl->target : def) : COPLAN_ENOMEM;
		free(def);
		if (rc)
			goto cleanup;
	}
	rl = rel_by_type(&wb, "styles");
	{
		char *def = resolve(wb_path, "styles.xml");

		rc = def ? read_styles(x, rl ? rl->target : def) : COPLAN_ENOMEM;
		free(def);
		if (rc)
			goto cleanup;
	}
	for (i = 0, rl = NULL; i < wb.n && !rl; i++)
		if (!strcmp(wb.items[i].id, rid))
			rl = &wb.items[i];
	if (!rl) {
		rc = cp_error(COPLAN_EINVALID, "%s: sheet '%s' has no relationship '%s' in the "
		              "workbook (expected an intact workbook)", x->name, x->sheet, rid);
		goto cleanup;
	}
	rc = read_sheet(x, rl->target);
cleanup:
	if (rc == COPLAN_ENOMEM && coplan_error_last_code() != COPLAN_ENOMEM)
		cp_error(COPLAN_ENOMEM, "out of memory");
	rels_release(&root);
	rels_release(&wb);
	free(wb_path);
	free(rid);
	return rc;
}

int cp_xlsx_read(coplan_csv_table **out, char **sheet_out, const char *name, const void *data,
                 size_t len, const char *sheet, const cp_xlsx_limits *lim)
{
	static const unsigned char ole2[] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
	xlsx_ctx x;
	zip_source_t *src = NULL;
	zip_error_t zerr;
	char *sheet_name = NULL;
	size_t i;
	int rc = 0;

	if (!out || (!data && len))
		return cp_error(COPLAN_EUSAGE, "coplan_xlsx_read: no %s", out ? "data" : "output");
	*out = NULL;
	if (sheet_out)
		*sheet_out = NULL;
	memset(&x, 0, sizeof(x));
	x.name = name ? name : "workbook";
	x.sheet = sheet ? sheet : "";
	if (lim)
		x.lim = *lim;
	else
		cp_xlsx_default_limits(&x.lim);
	zip_error_init(&zerr);
	if (len > x.lim.file_bytes) {
		rc = cp_error(COPLAN_ELIMIT, "%s: file larger than the limit of %zu bytes for an import",
		              x.name, x.lim.file_bytes);
		goto cleanup;
	}
	if (len >= sizeof(ole2) && !memcmp(data, ole2, sizeof(ole2))) {
		rc = cp_error(COPLAN_EINVALID, "%s: an Excel 97-2003 workbook or a password-protected "
		              "one (expected an .xlsx workbook without a password: save it as Excel "
		              "Workbook)", x.name);
		goto cleanup;
	}
	x.table = calloc(1, sizeof(*x.table));
	if (!x.table) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	snprintf(x.table->encoding, sizeof(x.table->encoding), "XLSX");
	src = zip_source_buffer_create(data, len, 0, &zerr);
	if (!src) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	x.zip = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
	if (!x.zip) {
		zip_source_free(src);
		rc = cp_error(COPLAN_EINVALID, "%s: not an XLSX workbook: %s (expected an Excel .xlsx "
		              "file, which is a zip package)", x.name, zip_error_strerror(&zerr));
		goto cleanup;
	}
	rc = read_package(&x, sheet, &sheet_name);
cleanup:
	if (x.zip)
		zip_discard(x.zip); /* read only: nothing to write back; frees the source */
	zip_error_fini(&zerr);
	for (i = 0; i < x.n_strings; i++)
		free(x.strings[i]);
	free(x.strings);
	free(x.xf_date);
	if (rc) {
		coplan_csv_table_free(x.table);
		free(sheet_name);
		return rc;
	}
	*out = x.table;
	if (sheet_out)
		*sheet_out = sheet_name;
	else
		free(sheet_name);
	return 0;
}

int coplan_xlsx_read_buffer(coplan_csv_table **out, char **sheet_out, const char *name,
                            const void *data, size_t len, const char *sheet)
{
	return cp_xlsx_read(out, sheet_out, name, data, len, sheet, NULL);
}

int coplan_xlsx_read_file(coplan_csv_table **out, char **sheet_out, const char *path,
                          const char *sheet)
{
	cp_buf raw = CP_BUF_INIT(COPLAN_IMPORT_MAX_BYTES);
	int rc;

	if (!out || !path)
		return cp_error(COPLAN_EUSAGE, "coplan_xlsx_read_file: no %s", out ? "path" : "output");
	*out = NULL;
	if (sheet_out)
		*sheet_out = NULL;
	rc = cp_buf_read_file(&raw, path);
	if (rc == COPLAN_ELIMIT)
		rc = cp_error(COPLAN_ELIMIT, "%s: file larger than the limit of %u bytes for an import",
		              path, COPLAN_IMPORT_MAX_BYTES);
	if (!rc)
		rc = cp_xlsx_read(out, sheet_out, path, raw.data ? raw.data : "", raw.len, sheet, NULL);
	cp_buf_release(&raw);
	return rc;
}

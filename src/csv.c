/* SPDX-License-Identifier: Apache-2.0 */
/* csv.c - CSV files as Excel writes them: encoding and delimiter decided once per file, then libcsv. */
#include <errno.h>
#include <stdarg.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

#include "coplan/import.h"
#include "buf.h"
#include "common.h"
#include "import_priv.h"
#include "xlsx_priv.h"

/* ---- positions in decoded text ---- */

void cp_text_position(const char *text, size_t len, size_t offset, size_t *line, size_t *col)
{
	size_t i, l = 1, c = 1;

	if (offset > len)
		offset = len;
	for (i = 0; i < offset; i++) {
		unsigned char ch = (unsigned char)text[i];

		if (ch == '\r' || (ch == '\n' && (i == 0 || text[i - 1] != '\r'))) {
			l++;
			c = 1;
		} else if (ch == '\n') {
			/* the LF of a CRLF: the CR counted the line break */
		} else if ((ch & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*col = c;
}

/* ---- decoding ---- */

/*
 * Convert in[0..len) from encoding enc to UTF-8 into *out (replaced).  On
 * undecodable input returns COPLAN_EINVALID without setting an error and
 * sets *bad to the offset of the first bad byte in in; out then holds the
 * text decoded before it.  An unknown encoding is COPLAN_EUSAGE (error set).
 */
static int decode_iconv(cp_buf *out, const char *enc, const char *in, size_t len, size_t *bad)
{
	iconv_t cd;
	char *inp = (char *)in;
	size_t inleft = len;
	int rc = 0;

	cp_buf_release(out);
	cd = iconv_open("UTF-8", enc);
	if (cd == (iconv_t)-1)
		return cp_error(COPLAN_EUSAGE, "unknown encoding '%s' (expected an iconv name such as "
		                "UTF-8, CP932 or WINDOWS-1252)", enc);
	for (;;) {
		/* most encodings need at most 3 UTF-8 bytes an input byte; grow on E2BIG if not */
		size_t want = inleft * 3 + 16, before, r;
		char *outp;

		if (out->cap - out->len < want + 1) {
			char *tmp;

			if (want > out->max - out->len) {
				rc = cp_error(COPLAN_ELIMIT, "decoded text larger than the limit of %zu bytes",
				              out->max);
				break;
			}
			tmp = realloc(out->data, out->len + want + 1);
			if (!tmp) {
				rc = cp_error(COPLAN_ENOMEM, "out of memory");
				break;
			}
			out->data = tmp;
			out->cap = out->len + want + 1;
		}
		outp = out->data + out->len;
		before = out->cap - out->len - 1;
		want = before;
		r = iconv(cd, inleft ? &inp : NULL, &inleft, &outp, &want);
		out->len += before - want;
		out->data[out->len] = '\0';
		if (r != (size_t)-1 && inleft == 0)
			break;
		if (r == (size_t)-1 && errno != E2BIG) {
			*bad = len - inleft;
			rc = COPLAN_EINVALID;
			break;
		}
	}
	iconv_close(cd);
	return rc;
}

/* 1 if the decoded CP932 text looks like Japanese rather than a Latin-1 file read wrongly. */
static int plausible_cp932(const char *utf8, size_t len)
{
	const unsigned char *p = (const unsigned char *)utf8;
	size_t i = 0;
	int wide = 0;

	while (i < len) {
		uint32_t cp;

		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] < 0xE0) {
			cp = ((uint32_t)(p[i] & 0x1F) << 6) | (p[i + 1] & 0x3F);
			i += 2;
		} else if (p[i] < 0xF0) {
			cp = ((uint32_t)(p[i] & 0x0F) << 12) | ((uint32_t)(p[i + 1] & 0x3F) << 6) |
			     (p[i + 2] & 0x3F);
			i += 3;
		} else {
			cp = 0x10000;
			i += 4;
		}
		/* user-defined characters (lead bytes F0-F9): Latin-1 ð..ù, never Excel data */
		if (cp >= 0xE000 && cp <= 0xF8FF)
			return 0;
		/* a double-byte character, not a half-width katakana (À..ß in Latin-1) */
		if (!(cp >= 0xFF61 && cp <= 0xFF9F))
			wide = 1;
	}
	return wide;
}

static int is_utf8_name(const char *enc)
{
	return cp_strcaseeq(enc, "UTF-8") || cp_strcaseeq(enc, "UTF8");
}

static int bad_byte_error(const char *name, const cp_buf *text, const char *raw, size_t bad,
                          const char *what)
{
	size_t line, col;

	cp_text_position(text->data ? text->data : "", text->len, text->len, &line, &col);
	return cp_error_at(COPLAN_EINVALID, name, line, col,
	                   "byte 0x%02X at offset %zu is not valid %s (expected text in that encoding; "
	                   "name the file's encoding if it is another)",
	                   (unsigned char)raw[bad], bad, what);
}

/*
 * Decode the whole file to UTF-8 into text, deciding the encoding (see
 * import.h) and writing its name to enc_out.
 */
static int decode_file(cp_buf *text, char *enc_out, size_t enc_size, const char *name,
                       const char *data, size_t len, const char *given)
{
	size_t bad = 0, valid;
	int rc;

	if (given && *given && !is_utf8_name(given)) {
		snprintf(enc_out, enc_size, "%s", given);
		rc = decode_iconv(text, given, data, len, &bad);
		if (rc == COPLAN_EINVALID)
			return bad_byte_error(name, text, data, bad, given);
		if (rc)
			return rc;
		/* a BOM decoded by a declared UTF-16LE/-BE etc. is not text */
		if (text->len >= 3 && memcmp(text->data, "\xEF\xBB\xBF", 3) == 0) {
			memmove(text->data, text->data + 3, text->len - 2);
			text->len -= 3;
		}
		return 0;
	}
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		snprintf(enc_out, enc_size, "UTF-8 (BOM)");
		data += 3;
		len -= 3;
	} else if (!given && len >= 2 && (memcmp(data, "\xFF\xFE", 2) == 0 ||
	                                  memcmp(data, "\xFE\xFF", 2) == 0)) {
		/* Excel's "Unicode text": UTF-16 with a byte order mark */
		const char *enc = data[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE";

		snprintf(enc_out, enc_size, "%s (BOM)", enc);
		rc = decode_iconv(text, enc, data + 2, len - 2, &bad);
		if (rc == COPLAN_EINVALID)
			return bad_byte_error(name, text, data + 2, bad, enc);
		return rc;
	} else {
		snprintf(enc_out, enc_size, "UTF-8");
	}
	valid = cp_utf8_valid_prefix(data, len);
	if (valid == len || given) {
		cp_buf_clear(text);
		rc = cp_buf_add(text, data, valid);
		if (rc)
			return rc;
		if (valid != len)
			return bad_byte_error(name, text, data, valid, "UTF-8");
		return 0;
	}
	if (strcmp(enc_out, "UTF-8 (BOM)") == 0) {
		/* the BOM declared UTF-8: a bad byte is an error, not a reason to guess */
		cp_buf_clear(text);
		rc = cp_buf_add(text, data, valid);
		return rc ? rc : bad_byte_error(name, text, data, valid, "UTF-8");
	}
	rc = decode_iconv(text, "CP932", data, len, &bad);
	if (rc == 0 && plausible_cp932(text->data, text->len)) {
		snprintf(enc_out, enc_size, "CP932");
		return 0;
	}
	if (rc && rc != COPLAN_EINVALID)
		return rc;
	snprintf(enc_out, enc_size, "WINDOWS-1252");
	rc = decode_iconv(text, "WINDOWS-1252", data, len, &bad);
	if (rc == COPLAN_EINVALID)
		return bad_byte_error(name, text, data, bad, "UTF-8, CP932 or WINDOWS-1252");
	return rc;
}

/* ---- the delimiter ---- */

/*
 * Excel's "sep=X" first line (also quoted, "sep=X"): set *delim and return
 * the bytes to skip, 0 when there is no such line, or a negative error.
 */
static long sep_line(const char *name, const char *t, size_t len, char *delim)
{
	size_t q = len > 0 && t[0] == '"', n;

	if (len < q + 4 || strncasecmp(t + q, "sep=", 4) != 0)
		return 0;
	n = q + 5;
	if (q && n < len && t[n] == '"')
		n++;
	if (n > len || (unsigned char)t[q + 4] >= 0x80 || strchr("\"\r\n", t[q + 4]) ||
	    (q && t[n - 1] != '"') || (n < len && t[n] != '\r' && t[n] != '\n'))
		return cp_error_at(COPLAN_EINVALID, name, 1, q + 5,
		                   "bad delimiter line (expected sep= and one ASCII character, e.g. sep=;)");
	*delim = t[q + 4];
	if (n < len && t[n] == '\r')
		n++;
	if (n < len && t[n] == '\n')
		n++;
	return (long)n;
}

/*
 * The most frequent of , ; TAB outside quotes in the first record that is
 * not a comment (a line whose first cell starts with '#', such as the
 * marking coplan writes in A1, docs/labels.md); ',' on a tie or none.
 */
static char detect_delimiter(const char *t, size_t len)
{
	size_t i = 0, comma = 0, semi = 0, tab = 0;
	int quoted = 0;

	for (;;) {
		while (i < len && (t[i] == '\r' || t[i] == '\n'))
			i++;
		if (i >= len || !(t[i] == '#' || (t[i] == '"' && i + 1 < len && t[i + 1] == '#')))
			break;
		/* a comment line: to its end, a quoted part with its line ends included */
		for (quoted = 0; i < len && (quoted || (t[i] != '\r' && t[i] != '\n')); i++)
			if (t[i] == '"')
				quoted = !quoted;
	}
	quoted = 0;
	for (; i < len; i++) {
		char c = t[i];

		if (c == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (c == '\r' || c == '\n')
			break;
		else if (c == ',')
			comma++;
		else if (c == ';')
			semi++;
		else if (c == '\t')
			tab++;
	}
	if (semi > comma && semi > tab)
		return ';';
	if (tab > comma && tab > semi)
		return '\t';
	return ',';
}

/* ---- parsing ---- */

typedef struct {
	coplan_csv_table *table;
	size_t cap_records;
	char **fields;         /* the record being read */
	size_t n_fields;
	size_t cap_fields;
	size_t line;           /* line of the byte being fed */
	size_t record_line;    /* line on which the current record started */
	size_t field_start;    /* offset at which the current field started */
	int between;           /* no record begun since the last one ended */
	int field_pending;     /* the next byte fed starts a field */
	int rc;                /* first failure inside a callback */
} parse_ctx;

static void on_field(void *s, size_t len, void *data)
{
	parse_ctx *ctx = data;
	char *copy;

	ctx->field_pending = 1;
	if (ctx->rc)
		return;
	if (cp_grow((void **)&ctx->fields, &ctx->cap_fields, ctx->n_fields + 1, sizeof(char *))) {
		ctx->rc = COPLAN_ENOMEM;
		return;
	}
	copy = cp_strndup(s ? s : "", s ? len : 0);
	if (!copy) {
		ctx->rc = COPLAN_ENOMEM;
		return;
	}
	ctx->fields[ctx->n_fields++] = copy;
}

static void on_record(int c, void *data)
{
	parse_ctx *ctx = data;
	coplan_csv_table *t = ctx->table;
	coplan_csv_record *r;

	(void)c;
	ctx->between = 1;
	ctx->field_pending = 1;
	if (ctx->rc)
		return;
	if (cp_grow((void **)&t->records, &ctx->cap_records, t->n_records + 1,
	            sizeof(coplan_csv_record))) {
		ctx->rc = COPLAN_ENOMEM;
		return;
	}
	r = &t->records[t->n_records++];
	r->fields = ctx->fields;
	r->n_fields = ctx->n_fields;
	r->line = ctx->record_line;
	ctx->fields = NULL;
	ctx->n_fields = 0;
	ctx->cap_fields = 0;
}

/* libcsv must keep spaces: Excel keeps them, and callers trim where a value allows it. */
static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static int parse_error(const char *name, const char *t, size_t len, size_t at, const char *fmt,
                       const char *subject)
{
	size_t line, col;
	char msg[256];

	cp_text_position(t, len, at, &line, &col);
	snprintf(msg, sizeof(msg), fmt, subject);
	return cp_error_at(COPLAN_EINVALID, name, line, col, "%s", msg);
}

static int parse_records(coplan_csv_table *table, const char *name, const char *t, size_t len,
                         size_t start, size_t first_line)
{
	struct csv_parser p;
	parse_ctx ctx;
	size_t i = start;
	int rc = 0;
	char delim = table->delimiter;

	memset(&ctx, 0, sizeof(ctx));
	ctx.table = table;
	ctx.line = first_line;
	ctx.between = 1;
	ctx.field_pending = 1;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	csv_set_delim(&p, (unsigned char)delim);
	csv_set_space_func(&p, no_space);

	/*
	 * Feed runs of ordinary bytes whole and every delimiter, CR and LF on its
	 * own, so that the line and the start of each field are known exactly.
	 */
	while (i < len) {
		size_t n = 1, done;
		char c = t[i];

		if (c != delim && c != '\r' && c != '\n') {
			while (i + n < len && t[i + n] != delim && t[i + n] != '\r' && t[i + n] != '\n')
				n++;
		}
		if (ctx.between && c != '\r' && c != '\n') {
			ctx.between = 0;
			ctx.record_line = ctx.line;
		}
		if (ctx.field_pending && !ctx.between) {
			ctx.field_pending = 0;
			ctx.field_start = i;
		}
		done = csv_parse(&p, t + i, n, on_field, on_record, &ctx);
		if (ctx.rc) {
			rc = cp_error(ctx.rc, "out of memory");
			goto cleanup;
		}
		if (done != n) {
			if (csv_error(&p) == CSV_EPARSE) {
				size_t at = i + done, clen = 1;
				char ch[5];

				while (at + clen < len && clen < 4 && ((unsigned char)t[at + clen] & 0xC0) == 0x80)
					clen++;
				memcpy(ch, t + at, clen);
				ch[clen] = '\0';
				if (t[ctx.field_start] != '"')
					rc = parse_error(name, t, len, at, "%s", "quote inside an unquoted field "
					                 "(expected the whole field in quotes and the quote written "
					                 "twice, e.g. \"x\"\"y\")");
				else
					rc = parse_error(name, t, len, at, "'%s' after the closing quote of a "
					                 "field (expected the delimiter or a line end; a quote "
					                 "inside a quoted field is written twice)", ch);
			} else {
				rc = cp_error(COPLAN_ENOMEM, "out of memory");
			}
			goto cleanup;
		}
		if (c == '\r' || (c == '\n' && (i == 0 || t[i - 1] != '\r')))
			ctx.line++;
		i += n;
	}
	if (csv_fini(&p, on_field, on_record, &ctx) != 0) {
		if (csv_error(&p) == CSV_EPARSE)
			rc = parse_error(name, t, len, ctx.field_start, "%s",
			                 "quoted field not closed before the end of the file "
			                 "(expected a closing quote '\"')");
		else
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	if (ctx.rc)
		rc = cp_error(ctx.rc, "out of memory");
cleanup:
	while (ctx.n_fields > 0)
		free(ctx.fields[--ctx.n_fields]);
	free(ctx.fields);
	csv_free(&p);
	return rc;
}

/*
 * Drop the columns at the right that are empty in every record, the header
 * included, as Excel leaves them after their data is deleted; say so in a
 * warning.  A column with any value (a space too) stays.
 */
static void drop_empty_trailing_columns(coplan_csv_table *t)
{
	size_t width = 0, keep, i;
	char a[8], b[8];

	for (i = 0; i < t->n_records; i++)
		if (t->records[i].n_fields > width)
			width = t->records[i].n_fields;
	for (keep = width; keep > 1; keep--) {
		for (i = 0; i < t->n_records; i++)
			if (t->records[i].n_fields >= keep && *t->records[i].fields[keep - 1])
				break;
		if (i < t->n_records)
			break;
	}
	if (!t->n_records || keep == width)
		return;
	for (i = 0; i < t->n_records; i++) {
		coplan_csv_record *r = &t->records[i];

		while (r->n_fields > keep)
			free(r->fields[--r->n_fields]);
	}
	cp_xlsx_column_name(keep + 1, a);
	cp_xlsx_column_name(width, b);
	if (width - keep == 1)
		cp_csv_warn(t, "1 empty trailing column (%s) dropped", a);
	else
		cp_csv_warn(t, "%zu empty trailing columns (%s to %s) dropped", width - keep, a, b);
}

int coplan_csv_parse(coplan_csv_table **out, const char *name, const char *data, size_t len,
                     const coplan_csv_options *opts)
{
	cp_buf text = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	coplan_csv_table *table = NULL;
	const char *nul;
	long skip = 0;
	size_t first_line = 1;
	int rc;

	if (!out || (!data && len))
		return cp_error(COPLAN_EUSAGE, "coplan_csv_parse: no %s", out ? "data" : "output");
	*out = NULL;
	if (!name)
		name = "<csv>";
	if (len > COPLAN_IMPORT_MAX_BYTES)
		return cp_error(COPLAN_ELIMIT, "%s: file of %zu bytes is larger than the limit of %u bytes "
		                "for an import", name, len, COPLAN_IMPORT_MAX_BYTES);
	table = calloc(1, sizeof(*table));
	if (!table)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	rc = decode_file(&text, table->encoding, sizeof(table->encoding), name, data ? data : "", len,
	                 opts ? opts->encoding : NULL);
	if (rc)
		goto cleanup;
	if (!text.data && (rc = cp_buf_add(&text, "", 0)) != 0)
		goto cleanup;
	nul = memchr(text.data, '\0', text.len);
	if (nul) {
		rc = parse_error(name, text.data, text.len, (size_t)(nul - text.data), "%s",
		                 "NUL character in the text (expected a text file; a UTF-16 file without "
		                 "a byte order mark needs its encoding named)");
		goto cleanup;
	}
	skip = sep_line(name, text.data, text.len, &table->delimiter);
	if (skip < 0) {
		rc = (int)skip;
		goto cleanup;
	}
	if (skip > 0)
		first_line = 2;
	if (opts && opts->delimiter) {
		if (opts->delimiter == '"' || opts->delimiter == '\r' || opts->delimiter == '\n' ||
		    (unsigned char)opts->delimiter >= 0x80) {
			rc = cp_error(COPLAN_EUSAGE, "bad delimiter 0x%02X (expected an ASCII character "
			              "other than a quote or a line end, e.g. ';')",
			              (unsigned char)opts->delimiter);
			goto cleanup;
		}
		table->delimiter = opts->delimiter;
	} else if (!table->delimiter) {
		table->delimiter = detect_delimiter(text.data + skip, text.len - (size_t)skip);
	}
	rc = parse_records(table, name, text.data, text.len, (size_t)skip, first_line);
	if (!rc)
		drop_empty_trailing_columns(table);
cleanup:
	cp_buf_release(&text);
	if (rc) {
		coplan_csv_table_free(table);
		return rc;
	}
	*out = table;
	return 0;
}

int coplan_csv_read_file(coplan_csv_table **out, const char *path, const coplan_csv_options *opts)
{
	cp_buf raw = CP_BUF_INIT(COPLAN_IMPORT_MAX_BYTES);
	int rc;

	if (!out || !path)
		return cp_error(COPLAN_EUSAGE, "coplan_csv_read_file: no %s", out ? "path" : "output");
	*out = NULL;
	rc = cp_buf_read_file(&raw, path);
	if (rc == COPLAN_ELIMIT)
		rc = cp_error(COPLAN_ELIMIT, "%s: file larger than the limit of %u bytes for an import",
		              path, COPLAN_IMPORT_MAX_BYTES);
	if (!rc)
		rc = coplan_csv_parse(out, path, raw.data, raw.len, opts);
	cp_buf_release(&raw);
	return rc;
}

void cp_csv_warn(coplan_csv_table *t, const char *fmt, ...)
{
	va_list ap;

	if (t->n_warnings == COPLAN_IMPORT_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(t->warnings[t->n_warnings++], COPLAN_IMPORT_WARNING_LEN, fmt, ap);
	va_end(ap);
}

void coplan_csv_table_free(coplan_csv_table *table)
{
	size_t i, j;

	if (!table)
		return;
	for (i = 0; i < table->n_records; i++) {
		for (j = 0; j < table->records[i].n_fields; j++)
			free(table->records[i].fields[j]);
		free(table->records[i].fields);
	}
	free(table->records);
	free(table);
}

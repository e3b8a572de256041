/* SPDX-License-Identifier: Apache-2.0 */
/* export_xlsx.c - the plan as an Excel workbook (libxlsxwriter): sheet Plan with real date cells, sheet Summary. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "coplan/document.h"
#include "coplan/marking.h"
#include "document_int.h"
#include "export_int.h"

enum {
	COL_REF, COL_TITLE, COL_AREA, COL_KIND, COL_HOST, COL_PARTICIPANTS, COL_UNITS, COL_DURATION,
	COL_MODE, COL_START, COL_END, COL_STATUS, COL_LOCATION, COL_NOTES, N_COLS
};

static const char *const headers[N_COLS] = {
	"ref", "title", "area", "kind", "host", "participants", "units", "duration", "mode",
	"start", "end", "status", "location", "notes"
};

/* Characters in a cell at most (Excel's limit, which libxlsxwriter enforces). */
#define XLSX_CELL_CHARS_MAX COPLAN_EXCEL_CELL_CHARS_MAX

/* Column widths in Excel characters: the longest cell, wide characters (CJK) counted twice, within 6..60. */
typedef struct {
	double width[N_COLS];
} widths;

static double display_width(const char *s)
{
	double w = 0;

	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;
		/* lead bytes of U+1100 and up (3- and 4-byte sequences): CJK and friends, two columns */
		w += *p >= 0xE1 ? 2 : 1;
	}
	return w;
}

static void fit(widths *w, int col, const char *s)
{
	double d = display_width(s) + 2;

	if (d > w->width[col])
		w->width[col] = d > 60 ? 60 : d;
}

/* libxlsxwriter's error as ours, naming what was being written. */
static int lxw_failed(lxw_error err, const char *what)
{
	if (err == LXW_NO_ERROR)
		return 0;
	if (err == LXW_ERROR_MEMORY_MALLOC_FAILED)
		return cp_error(COPLAN_ENOMEM, "out of memory writing the workbook");
	return cp_error(COPLAN_ERROR, "writing the workbook's %s failed: %s", what, lxw_strerror(err));
}

/* Join a list with "; " into b (cleared first). */
static int join(cp_buf *b, char **items, size_t n)
{
	int rc = 0;

	cp_buf_clear(b);
	for (size_t i = 0; i < n && !rc; i++)
		rc = cp_buf_printf(b, "%s%s", i ? "; " : "", items[i]);
	return rc ? rc : cp_buf_puts(b, "");
}

/*
 * Write s into a cell as clean text (cp_text_clean(): sharedStrings.xml is
 * XML, which cannot carry U+FFFE, U+FFFF or most C0 controls; libxlsxwriter
 * passes the first two through and writes controls as _xHHHH_ escapes, which
 * Excel turns back into the control), cut with an ellipsis to the cell's
 * limit.  what names the sheet for errors.
 */
static int write_text(lxw_worksheet *ws, lxw_row_t row, int col, const char *s, lxw_format *f,
                      const char *what)
{
	cp_buf clean = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	int rc;

	if (!s)
		s = "";
	if (strlen(s) <= XLSX_CELL_CHARS_MAX && cp_text_is_clean(s))
		return lxw_failed(worksheet_write_string(ws, row, (lxw_col_t)col, s, f), what);
	rc = cp_text_shorten(&clean, s, XLSX_CELL_CHARS_MAX);
	if (!rc)
		rc = lxw_failed(worksheet_write_string(ws, row, (lxw_col_t)col, clean.data ? clean.data : "", f),
		                what);
	cp_buf_release(&clean);
	return rc;
}

static int write_str(lxw_worksheet *ws, lxw_row_t row, int col, const char *s, lxw_format *f,
                     widths *w)
{
	if (!s || !*s)
		return 0;
	fit(w, col, s);
	return write_text(ws, row, col, s, f, "Plan sheet");
}

static int write_date(lxw_worksheet *ws, lxw_row_t row, int col, coplan_date d, lxw_format *f)
{
	lxw_datetime dt = { 0 };

	if (d == COPLAN_DATE_NONE)
		return 0;
	coplan_date_to_ymd(d, &dt.year, &dt.month, &dt.day);
	if (dt.year < 1900)
		return cp_error(COPLAN_ERANGE, "date in %d cannot be an Excel date (from 1900)", dt.year);
	return lxw_failed(worksheet_write_datetime(ws, row, (lxw_col_t)col, &dt, f), "Plan sheet");
}

/* The title row and the document line above the table: "Cooperation Plan 2024 — Italy – Japan". */
static int title_rows(lxw_workbook *wb, lxw_worksheet *ws, const coplan_plan *plan,
                      const coplan_document_options *opts)
{
	lxw_format *big = workbook_add_format(wb), *bold = workbook_add_format(wb);
	cp_buf t = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	char *line = NULL;
	int rc;

	if (!big || !bold)
		return cp_error(COPLAN_ENOMEM, "out of memory writing the workbook");
	format_set_bold(big);
	format_set_font_size(big, 14);
	format_set_bold(bold);
	rc = cp_buf_puts(&t, plan->title && *plan->title ? plan->title : "Cooperation plan");
	for (size_t i = 0; i < plan->n_nations && !rc; i++)
		rc = cp_buf_printf(&t, "%s%s", i ? " \xE2\x80\x93 " : " \xE2\x80\x94 ",
		                   cp_doc_nation_name(plan->nations[i]));
	if (!rc)
		rc = write_text(ws, 0, 0, t.data, big, "Plan sheet");
	if (!rc && opts->info && !(rc = coplan_document_info_line(&line, opts->info)))
		rc = write_text(ws, 1, 0, line, bold, "Plan sheet");
	free(line);
	cp_buf_release(&t);
	return rc;
}

/* The header's text: the CSV's word in the locale, first letter capitalised ("Titolo", "Ref"). */
static int header_text(cp_buf *b, const char *locale, const char *column)
{
	const char *word = cp_export_csv_header(locale, column);

	cp_buf_clear(b);
	if (word[0] >= 'a' && word[0] <= 'z')
		return cp_buf_printf(b, "%c%s", word[0] - 'a' + 'A', word + 1);
	return cp_buf_puts(b, word);
}

/* The sheet Plan; opts NULL: the header row first, in the importer's words (as before the title row). */
static int plan_sheet(lxw_workbook *wb, const coplan_plan *plan, const coplan_document_options *opts)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Plan");
	lxw_format *head = workbook_add_format(wb), *date = workbook_add_format(wb);
	cp_buf list = CP_BUF_INIT(1024 * 1024), word = CP_BUF_INIT(4096);
	lxw_row_t top = opts ? 2 : 0;   /* the header row */
	widths w = { { 0 } };
	int rc = 0;

	if (!ws || !head || !date)
		return cp_error(COPLAN_ENOMEM, "out of memory writing the workbook");
	format_set_bold(head);
	format_set_bg_color(head, 0xDDE4EE);
	format_set_bottom(head, LXW_BORDER_THIN);
	format_set_num_format(date, "yyyy-mm-dd");
	if (opts)
		rc = title_rows(wb, ws, plan, opts);
	for (int c = 0; c < N_COLS && !rc; c++) {
		if (opts)
			rc = header_text(&word, opts->locale, headers[c]);
		else
			rc = cp_buf_puts(&word, headers[c]);
		if (rc)
			break;
		w.width[c] = display_width(word.data) + 4; /* room for the filter button */
		rc = lxw_failed(worksheet_write_string(ws, top, (lxw_col_t)c, word.data, head), "Plan sheet");
		cp_buf_clear(&word);
	}
	w.width[COL_START] = w.width[COL_END] = 12;
	for (size_t i = 0; i < plan->n_activities && !rc; i++) {
		const coplan_activity *a = &plan->activities[i];
		lxw_row_t r = (lxw_row_t)(top + i + 1);

		rc = write_str(ws, r, COL_REF, a->ref, NULL, &w);
		if (!rc)
			rc = write_str(ws, r, COL_TITLE, a->title, NULL, &w);
		if (!rc)
			rc = write_str(ws, r, COL_AREA, a->area, NULL, &w);
		if (!rc)
			rc = write_str(ws, r, COL_KIND, a->kind, NULL, &w);
		if (!rc)
			rc = write_str(ws, r, COL_HOST, a->host, NULL, &w);
		if (!rc && !(rc = join(&list, a->participants, a->n_participants)))
			rc = write_str(ws, r, COL_PARTICIPANTS, list.data, NULL, &w);
		if (!rc && !(rc = join(&list, a->units, a->n_units)))
			rc = write_str(ws, r, COL_UNITS, list.data, NULL, &w);
		if (!rc)
			rc = lxw_failed(worksheet_write_number(ws, r, COL_DURATION, a->duration, NULL), "Plan sheet");
		if (!rc)
			rc = write_str(ws, r, COL_MODE, coplan_day_mode_name(a->day_mode), NULL, &w);
		if (!rc)
			rc = write_date(ws, r, COL_START, a->start, date);
		if (!rc)
			rc = write_date(ws, r, COL_END, a->end, date);
		if (!rc)
			rc = write_str(ws, r, COL_STATUS, coplan_activity_status_name(a->status), NULL, &w);
		if (!rc)
			rc = write_str(ws, r, COL_LOCATION, a->location, NULL, &w);
		if (!rc)
			rc = write_str(ws, r, COL_NOTES, a->notes, NULL, &w);
	}
	for (int c = 0; c < N_COLS && !rc; c++)
		rc = lxw_failed(worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w.width[c], NULL),
		                "Plan sheet");
	if (!rc)
		rc = lxw_failed(worksheet_autofilter(ws, top, 0, (lxw_row_t)(top + plan->n_activities), N_COLS - 1),
		                "Plan sheet");
	worksheet_freeze_panes(ws, top + 1, 0);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9); /* A4 */
	if (!rc)
		rc = lxw_failed(worksheet_repeat_rows(ws, top, top), "Plan sheet");
	cp_buf_release(&list);
	cp_buf_release(&word);
	return rc;
}

/* Areas with their counts, in order of first appearance. */
typedef struct {
	const char *area;
	size_t count;
} area_count;

static int summary_sheet(lxw_workbook *wb, const coplan_plan *plan)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Summary");
	lxw_format *head = workbook_add_format(wb), *bold = workbook_add_format(wb);
	area_count *areas = calloc(plan->n_activities + 1, sizeof(*areas));
	coplan_plan_summary s;
	size_t n_areas = 0;
	lxw_row_t r = 0;
	cp_buf name = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	int rc = 0;

	if (!ws || !head || !bold || !areas) {
		free(areas);
		return cp_error(COPLAN_ENOMEM, "out of memory writing the workbook");
	}
	format_set_bold(head);
	format_set_bg_color(head, 0xDDE4EE);
	format_set_bottom(head, LXW_BORDER_THIN);
	format_set_bold(bold);
	coplan_plan_summarize(plan, &s);
	for (size_t i = 0; i < plan->n_activities; i++) {
		const char *area = plan->activities[i].area && *plan->activities[i].area
		                       ? plan->activities[i].area : "(none)";
		size_t k;

		for (k = 0; k < n_areas && strcmp(areas[k].area, area); k++)
			;
		if (k == n_areas)
			areas[n_areas++].area = area;
		areas[k].count++;
	}

	rc = lxw_failed(worksheet_write_string(ws, r, 0, "host nation", head), "Summary sheet");
	if (!rc)
		rc = lxw_failed(worksheet_write_string(ws, r, 1, "activities", head), "Summary sheet");
	if (!rc)
		rc = lxw_failed(worksheet_write_string(ws, r, 2, "cancelled", head), "Summary sheet");
	for (size_t i = 0; i < s.by_host_count && !rc; i++) {
		cp_buf_clear(&name);
		rc = cp_buf_printf(&name, "%s (%s)", cp_doc_nation_name(s.by_host[i].nation),
		                   s.by_host[i].nation);
		r++;
		if (!rc)
			rc = write_text(ws, r, 0, name.data, NULL, "Summary sheet");
		if (!rc)
			rc = lxw_failed(worksheet_write_number(ws, r, 1,
			                                       (double)(s.by_host[i].count - s.by_host[i].cancelled),
			                                       NULL), "Summary sheet");
		if (!rc)
			rc = lxw_failed(worksheet_write_number(ws, r, 2, (double)s.by_host[i].cancelled, NULL),
			                "Summary sheet");
	}
	r++;
	if (!rc)
		rc = lxw_failed(worksheet_write_string(ws, r, 0, "total", bold), "Summary sheet");
	if (!rc)
		rc = lxw_failed(worksheet_write_number(ws, r, 1, (double)(s.activities - s.cancelled), bold),
		                "Summary sheet");
	if (!rc)
		rc = lxw_failed(worksheet_write_number(ws, r, 2, (double)s.cancelled, bold), "Summary sheet");
	r += 2;
	if (!rc)
		rc = lxw_failed(worksheet_write_string(ws, r, 0, "area", head), "Summary sheet");
	if (!rc)
		rc = lxw_failed(worksheet_write_string(ws, r, 1, "activities", head), "Summary sheet");
	for (size_t k = 0; k < n_areas && !rc; k++) {
		r++;
		rc = write_text(ws, r, 0, areas[k].area, NULL, "Summary sheet");
		if (!rc)
			rc = lxw_failed(worksheet_write_number(ws, r, 1, (double)areas[k].count, NULL),
			                "Summary sheet");
	}
	r += 2;
	if (!rc)
		rc = lxw_failed(worksheet_write_string(ws, r, 0, "scheduled", NULL), "Summary sheet");
	if (!rc)
		rc = lxw_failed(worksheet_write_number(ws, r, 1, (double)s.scheduled, NULL), "Summary sheet");
	r++;
	if (!rc)
		rc = lxw_failed(worksheet_write_string(ws, r, 0, "unplaced", NULL), "Summary sheet");
	if (!rc)
		rc = lxw_failed(worksheet_write_number(ws, r, 1, (double)s.unplaced, NULL), "Summary sheet");
	r++;
	if (!rc)
		rc = lxw_failed(worksheet_write_string(ws, r, 0, "cancelled", NULL), "Summary sheet");
	if (!rc)
		rc = lxw_failed(worksheet_write_number(ws, r, 1, (double)s.cancelled, NULL), "Summary sheet");
	if (!rc)
		rc = lxw_failed(worksheet_set_column(ws, 0, 0, 30, NULL), "Summary sheet");
	if (!rc)
		rc = lxw_failed(worksheet_set_column(ws, 1, 1, 12, NULL), "Summary sheet");
	free(areas);
	cp_buf_release(&name);
	return rc;
}

int coplan_export_xlsx(char **out, size_t *len, const coplan_plan *plan)
{
	return coplan_export_xlsx_ex(out, len, plan, NULL);
}

int coplan_export_xlsx_ex(char **out, size_t *len, const coplan_plan *plan,
                          const coplan_document_options *opts)
{
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX), dir = CP_BUF_INIT(4096), path = CP_BUF_INIT(4096);
	const char *tmpdir = getenv("TMPDIR");
	lxw_workbook_options wopts = { 0 };
	lxw_doc_properties props = { 0 };
	lxw_workbook *wb = NULL;
	char *title = NULL;
	int rc, made = 0;

	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	/* a private directory (mode 0700) for the workbook and libxlsxwriter's own scratch files */
	if ((rc = cp_buf_printf(&dir, "%s/coplan-xlsx-XXXXXX", tmpdir)))
		goto cleanup;
	if (!mkdtemp(dir.data)) {
		rc = cp_error(COPLAN_EIO, "cannot create a temporary directory in '%s': %s", tmpdir,
		              strerror(errno));
		goto cleanup;
	}
	made = 1;
	if ((rc = cp_buf_printf(&path, "%s/plan.xlsx", dir.data)))
		goto cleanup;
	wopts.tmpdir = dir.data;
	wb = workbook_new_opt(path.data, &wopts);
	if (!wb) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory creating the workbook");
		goto cleanup;
	}
	/* docProps/core.xml is XML too: the title as clean text */
	if (plan->title && !(title = cp_text_dup(plan->title))) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	props.title = title;
	props.subject = (char *)"Cooperation plan";
	props.comments = (char *)"Written by coplan";
	if ((rc = lxw_failed(workbook_set_properties(wb, &props), "properties")))
		goto cleanup;
	if ((rc = plan_sheet(wb, plan, opts)) || (rc = summary_sheet(wb, plan)))
		goto cleanup;
	/* every sheet's printed header and footer carry the marking (docs/labels.md) */
	{
		char marking[COPLAN_LABEL_TEXT_MAX + 1], hf[COPLAN_LABEL_TEXT_MAX + 8];
		lxw_worksheet *ws;

		if ((rc = coplan_plan_marking(marking, sizeof(marking), plan, NULL, 0)))
			goto cleanup;
		/* Excel's header holds 255 characters; a marking is never cut short */
		if (strlen(marking) > 240) {
			rc = cp_error(COPLAN_ELIMIT, "the marking '%.60s...' is longer than a sheet's header holds",
			              marking);
			goto cleanup;
		}
		snprintf(hf, sizeof(hf), "&C%s", marking);
		LXW_FOREACH_WORKSHEET(ws, wb) {
			if ((rc = lxw_failed(worksheet_set_header(ws, hf), "header")) ||
			    (rc = lxw_failed(worksheet_set_footer(ws, hf), "footer")))
				goto cleanup;
		}
	}
	rc = lxw_failed(workbook_close(wb), "file");
	wb = NULL;
	if (rc)
		goto cleanup;
	rc = cp_buf_read_file(&b, path.data);
cleanup:
	if (wb) {
		/* closing is the only way to free a workbook; its write is thrown away below */
		char *msg = cp_strdup(coplan_error_last());

		workbook_close(wb);
		cp_error(rc, "%s", msg ? msg : "out of memory");
		free(msg);
	}
	if (made) {
		unlink(path.data);
		if (rmdir(dir.data))
			rc = rc ? rc : cp_error(COPLAN_EIO, "cannot remove the temporary directory '%s': %s",
			                        dir.data, strerror(errno));
	}
	if (!rc) {
		*out = cp_buf_detach(&b, len);
		rc = *out ? 0 : cp_error(COPLAN_ENOMEM, "out of memory");
	}
	free(title);
	cp_buf_release(&dir);
	cp_buf_release(&path);
	cp_buf_release(&b);
	return rc;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* export_xlsx.c - the plan as an Excel workbook (libxlsxwriter): sheet Plan with real date cells, sheet Summary. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "coplan/cost.h"
#include "coplan/document.h"
#include "coplan/marking.h"
#include "document_int.h"
#include "export_int.h"

enum {
	COL_REF, COL_TITLE, COL_AREA, COL_KIND, COL_HOST, COL_PARTICIPANTS, COL_UNITS, COL_DURATION,
	COL_MODE, COL_START, COL_END, COL_STATUS, COL_LOCATION, COL_NOTES,
	/* a plan that records costs (issue 17) has these too */
	COL_COST_ESTIMATE, COL_COST_ACTUAL, COL_CURRENCY, COL_PAID_BY, COL_FUNDING_LINE, N_COLS
};
#define N_PLAN_COLS COL_COST_ESTIMATE

static const char *const headers[N_COLS] = {
	"ref", "title", "area", "kind", "host", "participants", "units", "duration", "mode",
	"start", "end", "status", "location", "notes", "cost_estimate", "cost_actual", "currency",
	"paid_by", "funding_line"
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

/*
 * Number formats of amounts, one per currency: the currency's decimals
 * (ISO 4217) and its code, '#,##0.00 "EUR"', '#,##0 "JPY"'.  The cells hold
 * numbers (the amount in major units), so Excel adds them up.
 */
typedef struct {
	char currency[COPLAN_CURRENCY_LEN];
	lxw_format *format;
} money_format;

typedef struct {
	lxw_workbook *wb;
	money_format f[64];
	size_t n;
} money_formats;

static lxw_format *money_format_of(money_formats *m, const char *currency)
{
	char pattern[64];
	int dec = coplan_currency_decimals(currency);

	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->f[i].currency, currency))
			return m->f[i].format;
	if (m->n == CP_ARRAY_SIZE(m->f))
		return NULL;
	if (dec < 0)
		dec = 2;
	snprintf(pattern, sizeof(pattern), "#,##0%s%.*s \"%s\"", dec ? "." : "", dec, "0000", currency);
	if (!(m->f[m->n].format = workbook_add_format(m->wb)))
		return NULL;
	format_set_num_format(m->f[m->n].format, pattern);
	memcpy(m->f[m->n].currency, currency, COPLAN_CURRENCY_LEN);
	return m->f[m->n++].format;
}

/* amount (minor units of currency) as a number cell in its currency's format. */
static int write_amount(lxw_worksheet *ws, lxw_row_t row, int col, long long amount,
                        const char *currency, money_formats *m, const char *what)
{
	lxw_format *f = money_format_of(m, currency);
	int dec = coplan_currency_decimals(currency);
	double scale = 1;

	if (!f)
		return cp_error(COPLAN_ENOMEM, "out of memory writing the workbook");
	for (int i = 0; i < (dec < 0 ? 2 : dec); i++)
		scale *= 10;
	return lxw_failed(worksheet_write_number(ws, row, (lxw_col_t)col, (double)amount / scale, f), what);
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

	int rc;

	cp_buf_clear(b);
	if (word[0] >= 'a' && word[0] <= 'z')
		rc = cp_buf_printf(b, "%c%s", word[0] - 'a' + 'A', word + 1);
	else
		rc = cp_buf_puts(b, word);
	/* "cost_estimate" reads "Cost estimate" to a person (the importer takes both) */
	for (size_t i = 0; !rc && i < b->len; i++)
		if (b->data[i] == '_')
			b->data[i] = ' ';
	return rc;
}

/* The sheet Plan; opts NULL: the header row first, in the importer's words (as before the title row). */
static int plan_sheet(lxw_workbook *wb, const coplan_plan *plan, const coplan_document_options *opts,
                      money_formats *money)
{
	const int n_cols = coplan_plan_has_costs(plan) ? N_COLS : N_PLAN_COLS;
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
	for (int c = 0; c < n_cols && !rc; c++) {
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
		if (!rc && n_cols > N_PLAN_COLS) {
			char payer[COPLAN_MAX_SHARES * 8 + 16];

			if (a->has_cost_estimate)
				rc = write_amount(ws, r, COL_COST_ESTIMATE, a->cost_estimate, a->currency, money,
				                  "Plan sheet");
			if (!rc && a->has_cost_actual)
				rc = write_amount(ws, r, COL_COST_ACTUAL, a->cost_actual, a->currency, money,
				                  "Plan sheet");
			if (!rc && a->currency[0])
				rc = write_str(ws, r, COL_CURRENCY, a->currency, NULL, &w);
			if (!rc && a->paid_by != COPLAN_PAYER_UNSET)
				rc = write_str(ws, r, COL_PAID_BY, coplan_payer_format(payer, sizeof(payer), a), NULL, &w);
			if (!rc)
				rc = write_str(ws, r, COL_FUNDING_LINE, a->funding_line, NULL, &w);
		}
	}
	if (n_cols > N_PLAN_COLS)
		w.width[COL_COST_ESTIMATE] = w.width[COL_COST_ACTUAL] = 18;
	for (int c = 0; c < n_cols && !rc; c++)
		rc = lxw_failed(worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w.width[c], NULL),
		                "Plan sheet");
	if (!rc)
		rc = lxw_failed(worksheet_autofilter(ws, top, 0, (lxw_row_t)(top + plan->n_activities),
		                                     (lxw_col_t)(n_cols - 1)),
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

/*
 * The sheet Costs of a plan that records costs: the totals by host nation,
 * paying nation, area and quarter, one row per group and currency (number
 * cells in the currency's format: never two currencies in one cell or one
 * sum), then the budgets with what is planned on each and a warning
 * column.
 */
static int costs_sheet(lxw_workbook *wb, const coplan_plan *plan, money_formats *money)
{
	static const struct { coplan_cost_group by; const char *title; } groups[] = {
		{ COPLAN_COST_BY_HOST, "host nation" }, { COPLAN_COST_BY_PAYER, "paying nation" },
		{ COPLAN_COST_BY_AREA, "area" }, { COPLAN_COST_BY_QUARTER, "quarter" },
	};
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Costs");
	lxw_format *head = workbook_add_format(wb);
	coplan_budget_use *u = NULL;
	size_t n_u = 0;
	lxw_row_t r = 0;
	int rc = 0;

	if (!ws || !head)
		return cp_error(COPLAN_ENOMEM, "out of memory writing the workbook");
	format_set_bold(head);
	format_set_bg_color(head, 0xDDE4EE);
	format_set_bottom(head, LXW_BORDER_THIN);
	for (size_t g = 0; g < CP_ARRAY_SIZE(groups) && !rc; g++) {
		coplan_cost_total *t = NULL;
		size_t n = 0;

		if ((rc = coplan_cost_totals(&t, &n, plan, groups[g].by, NULL)))
			break;
		rc = lxw_failed(worksheet_write_string(ws, r, 0, groups[g].title, head), "Costs sheet");
		if (!rc)
			rc = lxw_failed(worksheet_write_string(ws, r, 1, "currency", head), "Costs sheet");
		if (!rc)
			rc = lxw_failed(worksheet_write_string(ws, r, 2, "estimate", head), "Costs sheet");
		if (!rc)
			rc = lxw_failed(worksheet_write_string(ws, r, 3, "actual", head), "Costs sheet");
		if (!rc)
			rc = lxw_failed(worksheet_write_string(ws, r, 4, "activities", head), "Costs sheet");
		for (size_t i = 0; i < n && !rc; i++) {
			r++;
			rc = write_text(ws, r, 0, *t[i].group ? t[i].group : "(none)", NULL, "Costs sheet");
			if (!rc)
				rc = write_text(ws, r, 1, t[i].currency, NULL, "Costs sheet");
			if (!rc)
				rc = write_amount(ws, r, 2, t[i].estimate, t[i].currency, money, "Costs sheet");
			if (!rc)
				rc = write_amount(ws, r, 3, t[i].actual, t[i].currency, money, "Costs sheet");
			if (!rc)
				rc = lxw_failed(worksheet_write_number(ws, r, 4, (double)t[i].n, NULL), "Costs sheet");
		}
		free(t);
		r += 2;
	}
	if (!rc && plan->n_budgets && !(rc = coplan_budget_uses(&u, &n_u, plan))) {
		static const char *const h[] = { "budget", "currency", "amount", "planned", "activities", "warning" };

		for (int c = 0; c < 6 && !rc; c++)
			rc = lxw_failed(worksheet_write_string(ws, r, (lxw_col_t)c, h[c], head), "Costs sheet");
		for (size_t i = 0; i < n_u && !rc; i++) {
			const coplan_budget *b = u[i].budget;
			char label[COPLAN_FUNDING_LINE_MAX + 32];

			r++;
			snprintf(label, sizeof(label), "%s %d %s", b->nation, b->year, b->funding_line);
			rc = write_text(ws, r, 0, label, NULL, "Costs sheet");
			if (!rc)
				rc = write_text(ws, r, 1, b->currency, NULL, "Costs sheet");
			if (!rc)
				rc = write_amount(ws, r, 2, b->amount, b->currency, money, "Costs sheet");
			if (!rc)
				rc = write_amount(ws, r, 3, u[i].planned, b->currency, money, "Costs sheet");
			if (!rc)
				rc = lxw_failed(worksheet_write_number(ws, r, 4, (double)u[i].n, NULL), "Costs sheet");
			if (!rc && (u[i].over || u[i].n_unconverted))
				rc = write_text(ws, r, 5, u[i].over ? "exceeded" : "estimates without a rate not counted",
				                NULL, "Costs sheet");
		}
		free(u);
	}
	if (!rc)
		rc = lxw_failed(worksheet_set_column(ws, 0, 0, 40, NULL), "Costs sheet");
	if (!rc)
		rc = lxw_failed(worksheet_set_column(ws, 2, 3, 20, NULL), "Costs sheet");
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
	money_formats money;
	char *title = NULL;
	int rc, made = 0;

	memset(&money, 0, sizeof(money));

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
	money.wb = wb;
	if ((rc = plan_sheet(wb, plan, opts, &money)) || (rc = summary_sheet(wb, plan)) ||
	    (coplan_plan_has_costs(plan) && (rc = costs_sheet(wb, plan, &money))))
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

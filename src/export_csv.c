/* SPDX-License-Identifier: Apache-2.0 */
/* export_csv.c - the plan as a CSV sheet Excel opens as it is, in the user's locale; coplan imports it back. */
#include <stdio.h>
#include <string.h>

#include "coplan/cost.h"
#include "coplan/label.h"
#include "coplan/marking.h"
#include "export_int.h"
#include "import_priv.h"

/*
 * Header names per language, in the order of the columns written; each is
 * one the importer (src/import_csv.c) accepts, so the sheet reads back.
 */
/* The plan's columns, then (a plan that records costs) the five of cost and budget. */
enum { N_PLAN_COLUMNS = 18, N_COLUMNS = 23 };

static const char *const headers_en[N_COLUMNS] = {
	"ref", "title", "area", "kind", "host", "participants", "units", "duration", "mode",
	"earliest", "latest", "requested", "after", "location", "notes", "start", "end", "status",
	"cost_estimate", "cost_actual", "currency", "paid_by", "funding_line"
};
static const char *const headers_it[N_COLUMNS] = {
	"rif", "titolo", "area", "tipo", "paese ospitante", "partecipanti", "unità", "durata",
	"modalità", "dal", "al", "periodo richiesto", "dopo", "luogo", "note", "inizio", "fine", "stato",
	"costo stimato", "costo effettivo", "valuta", "pagante", "capitolo di spesa"
};
static const char *const headers_ja[N_COLUMNS] = {
	"番号", "活動名", "分野", "種別", "開催国", "参加国", "部隊", "日数", "日程区分",
	"開始可能日", "終了期限", "希望時期", "先行", "場所", "備考", "開始日", "終了日", "状況",
	"見積費用", "実費", "通貨", "費用負担", "予算科目"
};

const char *cp_export_csv_header(const char *locale, const char *column)
{
	const char *const *headers = headers_en;

	if (locale && !strncmp(locale, "it", 2))
		headers = headers_it;
	else if (locale && !strncmp(locale, "ja", 2))
		headers = headers_ja;
	for (int i = 0; i < N_COLUMNS; i++)
		if (column && !strcmp(column, headers_en[i]))
			return headers[i];
	return column;
}

/*
 * One field, quoted when it holds the delimiter, a quote, CR or LF (RFC
 * 4180); as clean text (cp_text_clean()), so that malformed UTF-8 or a
 * control character does not reach Excel nor stop coplan importing it back.
 */
static int field(cp_buf *out, const char *s, char delim, int first)
{
	cp_buf clean = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	int rc = first ? 0 : cp_buf_putc(out, delim);

	if (rc || !s || !*s)
		return rc;
	if (!cp_text_is_clean(s)) {
		if ((rc = cp_text_puts(&clean, s)))
			goto cleanup;
		s = clean.data;
	}
	/*
	 * A cell Excel would run as a formula (= + - @, or a leading TAB or CR)
	 * gets a leading apostrophe: a plan from another nation's sheet must not
	 * execute on opening (CSV injection).  The importer drops it again.
	 */
	if (strchr("=+-@\t\r", s[0])) {
		cp_buf guarded = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);

		if ((rc = cp_buf_putc(&guarded, '\'')) || (rc = cp_buf_puts(&guarded, s))) {
			cp_buf_release(&guarded);
			goto cleanup;
		}
		cp_buf_release(&clean);
		clean = guarded;
		s = clean.data;
	}
	if (!strchr(s, delim) && !strpbrk(s, "\"\r\n")) {
		rc = cp_buf_puts(out, s);
		goto cleanup;
	}
	if ((rc = cp_buf_putc(out, '"')))
		goto cleanup;
	for (; *s && !rc; s++)
		rc = *s == '"' ? cp_buf_puts(out, "\"\"") : cp_buf_putc(out, *s);
	if (!rc)
		rc = cp_buf_putc(out, '"');
cleanup:
	cp_buf_release(&clean);
	return rc;
}

static int list(cp_buf *out, char *const *v, size_t n, char delim)
{
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	int rc = 0;

	for (size_t i = 0; i < n && !rc; i++)
		rc = cp_buf_printf(&b, "%s%s", i ? "; " : "", v[i]);
	if (!rc)
		rc = field(out, b.data ? b.data : "", delim, 0);
	cp_buf_release(&b);
	return rc;
}

static int date_field(cp_buf *out, coplan_date d, char delim)
{
	char iso[COPLAN_DATE_ISO_LEN];

	return field(out, coplan_date_format_iso(d, iso), delim, 0);
}

/* "2024-05" for a whole month, "2024-05-06..2024-05-17" for any other period. */
static int period_field(cp_buf *out, coplan_date from, coplan_date to, char delim)
{
	char a[COPLAN_DATE_ISO_LEN], b[COPLAN_DATE_ISO_LEN], text[32] = "";
	int y, m, d, y2, m2, d2;

	if (from != COPLAN_DATE_NONE && to != COPLAN_DATE_NONE) {
		coplan_date_to_ymd(from, &y, &m, &d);
		coplan_date_to_ymd(to, &y2, &m2, &d2);
		if (d == 1 && y == y2 && m == m2 && d2 == coplan_date_days_in_month(y, m))
			snprintf(text, sizeof(text), "%.7s", coplan_date_format_iso(from, a));
		else
			snprintf(text, sizeof(text), "%s..%s", coplan_date_format_iso(from, a),
			         coplan_date_format_iso(to, b));
	}
	return field(out, text, delim, 0);
}

/* The precedences this activity follows: "JP-05+45; IT-11". */
static int after_field(cp_buf *out, const coplan_plan *plan, const cp_export_view *view,
                       const char *ref, char delim)
{
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	int rc = 0;

	for (size_t i = 0; i < plan->n_precedences && !rc; i++) {
		const coplan_precedence *p = &plan->precedences[i];

		if (strcmp(p->after, ref) || !cp_export_view_has(view, p->before))
			continue;
		rc = cp_buf_printf(&b, "%s%s", b.len ? "; " : "", p->before);
		if (!rc && p->min_gap > 0)
			rc = cp_buf_printf(&b, "+%d", p->min_gap);
		if (!rc && p->kind == COPLAN_PRECEDENCE_AFTER)
			rc = cp_buf_puts(&b, "?");
	}
	if (!rc)
		rc = field(out, b.data ? b.data : "", delim, 0);
	cp_buf_release(&b);
	return rc;
}

/* An amount with the locale's decimal mark ("12000,50" in Italy), "" when none. */
static int amount_field(cp_buf *out, int has, long long amount, const char *currency, char delim,
                        char decimal)
{
	char text[32];

	if (!has)
		return field(out, NULL, delim, 0);
	coplan_amount_format(text, sizeof(text), amount, currency);
	for (char *p = text; *p; p++)
		if (*p == '.')
			*p = decimal;
	return field(out, text, delim, 0);
}

static int cost_fields(cp_buf *out, const coplan_activity *a, char delim, char decimal)
{
	char payer[COPLAN_MAX_SHARES * 8 + 16];
	int rc;

	if ((rc = amount_field(out, a->has_cost_estimate, a->cost_estimate, a->currency, delim, decimal)) ||
	    (rc = amount_field(out, a->has_cost_actual, a->cost_actual, a->currency, delim, decimal)) ||
	    (rc = field(out, a->currency, delim, 0)))
		return rc;
	coplan_payer_format(payer, sizeof(payer), a);
	if ((rc = field(out, payer, delim, 0)))
		return rc;
	return field(out, a->funding_line, delim, 0);
}

int cp_export_csv(cp_buf *out, const coplan_plan *plan, const cp_export_view *view,
                  const char *locale)
{
	const char *const *headers = headers_en;
	char decimal, delim, number[16];
	int rc, n_columns;

	if ((rc = cp_locale_decimal_mark(locale, &decimal)))
		return rc;
	/* where the comma is the decimal mark, Excel's list separator is ';' */
	delim = decimal == ',' ? ';' : ',';
	if (locale && !strncmp(locale, "it", 2))
		headers = headers_it;
	else if (locale && !strncmp(locale, "ja", 2))
		headers = headers_ja;
	if ((rc = cp_buf_puts(out, "\xEF\xBB\xBF")))
		return rc;
	/*
	 * the marking of what the sheet holds (docs/labels.md), a first row of
	 * its own in cell A1: "# UNCLASSIFIED REL TO ITA, JPN"; the importer
	 * skips rows before the header whose first cell starts with '#'
	 */
	if (!view->unmarked) {
		char marking[COPLAN_LABEL_TEXT_MAX + 3] = "# ";

		if ((rc = coplan_plan_marking(marking + 2, sizeof(marking) - 2, plan,
		                              (const coplan_activity *const *)view->items, view->n)) ||
		    (rc = field(out, marking, delim, 1)) || (rc = cp_buf_puts(out, "\r\n")))
			return rc;
	}
	n_columns = coplan_plan_has_costs(plan) ? N_COLUMNS : N_PLAN_COLUMNS;
	for (int i = 0; i < n_columns && !rc; i++)
		rc = field(out, headers[i], delim, i == 0);
	if (!rc)
		rc = cp_buf_puts(out, "\r\n");
	for (size_t i = 0; i < view->n && !rc; i++) {
		const coplan_activity *a = view->items[i];

		snprintf(number, sizeof(number), "%d", a->duration);
		if ((rc = field(out, a->ref, delim, 1)) || (rc = field(out, a->title, delim, 0)) ||
		    (rc = field(out, a->area, delim, 0)) || (rc = field(out, a->kind, delim, 0)) ||
		    (rc = field(out, a->host, delim, 0)) ||
		    (rc = list(out, a->participants, a->n_participants, delim)) ||
		    (rc = list(out, a->units, a->n_units, delim)) ||
		    (rc = field(out, number, delim, 0)) ||
		    (rc = field(out, coplan_day_mode_name(a->day_mode), delim, 0)) ||
		    (rc = date_field(out, a->earliest, delim)) ||
		    (rc = date_field(out, a->latest, delim)) ||
		    (rc = period_field(out, a->requested_from, a->requested_to, delim)) ||
		    (rc = after_field(out, plan, view, a->ref, delim)) ||
		    (rc = field(out, a->location, delim, 0)) || (rc = field(out, a->notes, delim, 0)) ||
		    (rc = date_field(out, a->start, delim)) || (rc = date_field(out, a->end, delim)) ||
		    (rc = field(out, coplan_activity_status_name(a->status), delim, 0)) ||
		    (n_columns > N_PLAN_COLUMNS && (rc = cost_fields(out, a, delim, decimal))))
			break;
		rc = cp_buf_puts(out, "\r\n");
	}
	return rc;
}

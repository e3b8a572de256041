/* SPDX-License-Identifier: Apache-2.0 */
/* export_md.c - the plan as a Markdown document (GitHub-flavoured tables). */
#include <stdlib.h>
#include <string.h>

#include "coplan/label.h"
#include "coplan/marking.h"
#include "export_int.h"

/*
 * Append s as Markdown text: a table cell or a list item.  '|' would end
 * the cell, '<' would open raw HTML in the rendered page, a line break would
 * end the row; backslash is doubled so that no user text escapes what
 * follows it.  Malformed UTF-8 and the control characters a renderer would
 * pass on to its HTML become U+FFFD (cp_text_clean()).
 */
static int md_text(cp_buf *out, const char *s)
{
	size_t n = s ? strlen(s) : 0, run = 0;
	int rc = 0;

	for (size_t i = 0; i < n && !rc; i++) {
		const char *with;

		switch (s[i]) {
		case '|': with = "\\|"; break;
		case '\\': with = "\\\\"; break;
		case '<': with = "&lt;"; break;
		case '>': with = "&gt;"; break;
		case '\r': with = ""; break;
		case '\n': with = " "; break;
		default: continue;
		}
		rc = cp_text_clean(out, s + run, i - run);
		if (!rc)
			rc = cp_buf_puts(out, with);
		run = i + 1;
	}
	return rc ? rc : cp_text_clean(out, s + run, n - run);
}

/* Append "a sep b" as Markdown text, a missing part left out with its separator (as coplan_delegation_head() joins). */
static int md_join(cp_buf *out, const char *a, const char *sep, const char *b)
{
	int has_a = a && *a, has_b = b && *b, rc = 0;

	if (has_a)
		rc = md_text(out, a);
	if (!rc && has_a && has_b)
		rc = md_text(out, sep);
	if (!rc && has_b)
		rc = md_text(out, b);
	return rc;
}

static int md_list(cp_buf *out, char *const *v, size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n && !rc; i++) {
		if (i)
			rc = cp_buf_puts(out, ", ");
		if (!rc)
			rc = md_text(out, v[i]);
	}
	return rc;
}

static int md_dates(cp_buf *out, coplan_date start, coplan_date end)
{
	char a[COPLAN_DATE_ISO_LEN], b[COPLAN_DATE_ISO_LEN];

	if (start == COPLAN_DATE_NONE)
		return 0;
	if (end == COPLAN_DATE_NONE || end == start)
		return cp_buf_puts(out, coplan_date_format_iso(start, a));
	return cp_buf_printf(out, "%s – %s", coplan_date_format_iso(start, a),
	                     coplan_date_format_iso(end, b));
}

static int md_header(cp_buf *out, const coplan_plan *plan, const coplan_document_info *info)
{
	int rc;

	if ((rc = cp_buf_puts(out, "# ")) || (rc = md_text(out, plan->title ? plan->title : "Cooperation plan")) ||
	    (rc = cp_buf_puts(out, "\n\n")))
		return rc;
	if (info) {
		char *line = NULL;

		if ((rc = coplan_document_info_line(&line, info)))
			return rc;
		rc = cp_buf_puts(out, "**");
		if (!rc)
			rc = md_text(out, line);
		free(line);
		if (rc || (rc = cp_buf_puts(out, "**\n\n")))
			return rc;
	}
	if (plan->n_nations) {
		if ((rc = cp_buf_puts(out, "**Parties:** ")))
			return rc;
		for (size_t i = 0; i < plan->n_nations; i++) {
			if ((rc = cp_buf_printf(out, "%s", i ? ", " : "")) ||
			    (rc = md_text(out, cp_nation_label(plan->nations[i]))) ||
			    (rc = cp_buf_puts(out, " (")) || (rc = md_text(out, plan->nations[i])) ||
			    (rc = cp_buf_puts(out, ")")))
				return rc;
		}
		if ((rc = cp_buf_puts(out, "  \n")))
			return rc;
	}
	if (plan->window_from != COPLAN_DATE_NONE) {
		if ((rc = cp_buf_puts(out, "**Period:** ")) ||
		    (rc = md_dates(out, plan->window_from, plan->window_to)) ||
		    (rc = cp_buf_puts(out, "  \n")))
			return rc;
	}
	if (plan->year && (rc = cp_buf_printf(out, "**Year:** %d\n", plan->year)))
		return rc;
	return cp_buf_puts(out, "\n");
}

static int md_talks(cp_buf *out, const coplan_plan *plan)
{
	const coplan_staff_talks *t = &plan->talks;
	int rc;

	if (!plan->has_talks)
		return 0;
	if ((rc = cp_buf_puts(out, "## Adopted at\n\nThe ")))
		return rc;
	if (t->edition > 0 && ((rc = cp_export_ordinal(out, t->edition)) || (rc = cp_buf_putc(out, ' '))))
		return rc;
	if (t->series && ((rc = md_text(out, t->series)) || (rc = cp_buf_putc(out, ' '))))
		return rc;
	if ((rc = cp_buf_puts(out, "staff talks")))
		return rc;
	if (t->start != COPLAN_DATE_NONE &&
	    ((rc = cp_buf_puts(out, ", ")) || (rc = md_dates(out, t->start, t->end))))
		return rc;
	if (t->venue && ((rc = cp_buf_puts(out, ", ")) || (rc = md_text(out, t->venue))))
		return rc;
	if ((rc = cp_buf_puts(out, ".\n\n")))
		return rc;
	if (t->n_delegations && (rc = cp_buf_puts(out, "Heads of delegation:\n\n")))
		return rc;
	for (size_t i = 0; i < t->n_delegations; i++) {
		const coplan_delegation *d = &t->delegations[i];
		int has_head = (d->head_rank && *d->head_rank) || (d->head_name && *d->head_name);
		int has_post = (d->head_post && *d->head_post) ||
		               (d->head_organisation && *d->head_organisation);

		if ((rc = cp_buf_puts(out, "- **")) || (rc = md_text(out, cp_nation_label(d->nation))) ||
		    (rc = cp_buf_puts(out, "**: ")) ||
		    (rc = has_head ? md_join(out, d->head_rank, " ", d->head_name) : md_text(out, "—")))
			return rc;
		if (d->head_name_native &&
		    ((rc = cp_buf_puts(out, " (")) || (rc = md_text(out, d->head_name_native)) ||
		     (rc = cp_buf_putc(out, ')'))))
			return rc;
		if (has_post && ((rc = cp_buf_puts(out, ", ")) ||
		                 (rc = md_join(out, d->head_post, ", ", d->head_organisation))))
			return rc;
		if ((rc = cp_buf_putc(out, '\n')))
			return rc;
	}
	if (t->n_delegations && (rc = cp_buf_putc(out, '\n')))
		return rc;
	if (t->n_agenda && (rc = cp_buf_puts(out, "Agenda:\n\n")))
		return rc;
	for (size_t i = 0; i < t->n_agenda; i++)
		if ((rc = cp_buf_printf(out, "%zu. ", i + 1)) || (rc = md_text(out, t->agenda[i])) ||
		    (rc = cp_buf_putc(out, '\n')))
			return rc;
	if (t->n_agenda && (rc = cp_buf_putc(out, '\n')))
		return rc;
	if (t->n_areas && (rc = cp_buf_puts(out, "Areas of cooperation agreed: ")))
		return rc;
	for (size_t i = 0; i < t->n_areas; i++)
		if ((i && (rc = cp_buf_puts(out, ", "))) || (rc = md_text(out, t->areas[i])))
			return rc;
	return t->n_areas ? cp_buf_puts(out, ".\n\n") : 0;
}

static int md_row(cp_buf *out, size_t no, const coplan_activity *a)
{
	int rc;

	if ((rc = cp_buf_printf(out, "| %zu | ", no)) || (rc = md_text(out, a->ref)) ||
	    (rc = cp_buf_puts(out, " | ")) || (rc = md_dates(out, a->start, a->end)) ||
	    (rc = cp_buf_puts(out, " | ")) || (rc = md_text(out, a->title)) ||
	    (rc = cp_buf_puts(out, " | ")) || (rc = md_text(out, a->area)) ||
	    (rc = cp_buf_puts(out, " | ")) || (rc = md_text(out, a->host)) ||
	    (rc = cp_buf_puts(out, " | ")) || (rc = md_list(out, a->participants, a->n_participants)) ||
	    (rc = cp_buf_puts(out, " | ")) || (rc = md_list(out, a->units, a->n_units)) ||
	    (rc = cp_buf_puts(out, " | ")) || (rc = cp_export_duration(out, a)) ||
	    (rc = cp_buf_puts(out, " | ")) || (rc = md_text(out, a->location)) ||
	    (rc = cp_buf_puts(out, " |\n")))
		return rc;
	return 0;
}

/* "28 activities: 11 in Italy, 17 in Japan" (hosts in the order of the plan's nations), cancelled ones apart. */
static int md_totals(cp_buf *out, const cp_export_view *view)
{
	const coplan_plan_summary *s = &view->summary;
	cp_buf line = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	int rc;

	if (!(rc = cp_export_totals(&line, s, 0)))
		rc = md_text(out, line.data ? line.data : "");
	cp_buf_release(&line);
	if (rc)
		return rc;
	if (s->unplaced && (rc = cp_buf_printf(out, "; %zu not placed", s->unplaced)))
		return rc;
	return cp_buf_puts(out, "\n");
}

/* The document's marking (docs/labels.md) as a line of its own: at the top and at the foot. */
static int md_marking(cp_buf *out, const char *marking, int foot)
{
	int rc;

	if ((rc = cp_buf_puts(out, foot ? "\n**" : "**")) || (rc = md_text(out, marking)))
		return rc;
	return cp_buf_puts(out, foot ? "**\n" : "**\n\n");
}

static int md_body(cp_buf *out, const coplan_plan *plan, const cp_export_view *view);

int cp_export_markdown(cp_buf *out, const coplan_plan *plan, const cp_export_view *view)
{
	char marking[COPLAN_LABEL_TEXT_MAX + 1];
	int rc;

	/* the marking of what the document holds: no marking, no document */
	if ((rc = coplan_plan_marking(marking, sizeof(marking), plan, (const coplan_activity *const *)view->items,
	                              view->n)))
		return rc;
	if ((rc = md_marking(out, marking, 0)) || (rc = md_body(out, plan, view)))
		return rc;
	return md_marking(out, marking, 1);
}

static int md_body(cp_buf *out, const coplan_plan *plan, const cp_export_view *view)
{
	int rc;

	if ((rc = md_header(out, plan, view->info)) || (rc = md_talks(out, plan)) ||
	    (rc = cp_buf_puts(out, "## Activities\n\n"
	                           "| No. | Ref. | Dates | Title | Area | Host | Participants | Units / lead | Duration | Location |\n"
	                           "| ---: | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")))
		return rc;
	for (size_t i = 0; i < view->n_placed; i++)
		if ((rc = md_row(out, i + 1, view->items[i])))
			return rc;
	if ((rc = cp_buf_puts(out, "\n")) || (rc = md_totals(out, view)))
		return rc;
	if (view->n_placed == view->n)
		return 0;
	if ((rc = cp_buf_puts(out, "\n## Unplaced activities\n\n")))
		return rc;
	for (size_t i = view->n_placed; i < view->n; i++) {
		const coplan_activity *a = view->items[i];

		if ((rc = cp_buf_puts(out, "- **")) || (rc = md_text(out, a->ref)) ||
		    (rc = cp_buf_puts(out, "** ")) || (rc = md_text(out, a->title)) ||
		    (rc = cp_buf_puts(out, " (")) || (rc = md_text(out, a->host)) ||
		    (rc = cp_buf_puts(out, ", ")) || (rc = cp_export_duration(out, a)) ||
		    (rc = cp_buf_puts(out, "): ")) ||
		    (rc = md_text(out, a->unplaced_reason ? a->unplaced_reason : "no reason recorded")) ||
		    (rc = cp_buf_putc(out, '\n')))
			return rc;
	}
	return 0;
}

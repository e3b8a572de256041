/* SPDX-License-Identifier: Apache-2.0 */
/* render.c - the format registry (name, MIME type, extension, writer) and rendering a stored plan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coplan/cost.h"
#include "coplan/report.h"
#include "../buf.h"
#include "service_int.h"

static int write_export(char **out, size_t *len, const coplan_plan *plan,
                        const coplan_render_options *opts, coplan_format format)
{
	return coplan_export(out, len, plan, format, &opts->export);
}

/* What the document is: as given, else the plan as it stands, "draft, not saved", issued on export.now's day (or today). */
static const coplan_document_info *doc_info(const coplan_render_options *r, coplan_document_info *fallback)
{
	if (r->document)
		return r->document;
	memset(fallback, 0, sizeof(*fallback));
	fallback->state = COPLAN_VERSION_DRAFT;
	fallback->issued = cp_svc_utc_date(r->export.now ? r->export.now : time(NULL));
	return fallback;
}

static int write_document(char **out, size_t *len, const coplan_plan *plan,
                          const coplan_render_options *opts, coplan_format format)
{
	coplan_document_info fallback;

	return coplan_export_ex(out, len, plan, format, &opts->export, doc_info(opts, &fallback));
}

static int w_md(char **o, size_t *l, const coplan_plan *p, const coplan_render_options *r)
{
	return write_document(o, l, p, r, COPLAN_FORMAT_MARKDOWN);
}

static int w_html(char **o, size_t *l, const coplan_plan *p, const coplan_render_options *r)
{
	return write_document(o, l, p, r, COPLAN_FORMAT_HTML);
}

static int w_json(char **o, size_t *l, const coplan_plan *p, const coplan_render_options *r)
{
	return write_export(o, l, p, r, COPLAN_FORMAT_JSON);
}

static int w_ics(char **o, size_t *l, const coplan_plan *p, const coplan_render_options *r)
{
	return write_export(o, l, p, r, COPLAN_FORMAT_ICS);
}

static int w_csv(char **o, size_t *l, const coplan_plan *p, const coplan_render_options *r)
{
	return write_export(o, l, p, r, COPLAN_FORMAT_CSV);
}

static int w_lp(char **o, size_t *l, const coplan_plan *p, const coplan_render_options *r)
{
	return write_export(o, l, p, r, COPLAN_FORMAT_LP);
}

static int w_costs(char **o, size_t *l, const coplan_plan *p, const coplan_render_options *r)
{
	return coplan_report_costs(o, l, p, r ? r->currency : NULL);
}

static int w_text(char **o, size_t *l, const coplan_plan *p, const coplan_render_options *r)
{
	(void)r;
	return coplan_report_summary(o, l, p);
}

/*
 * Plan against execution, then the activities still planned or confirmed
 * after their last day (as of r->export.now, UTC): overdue, their
 * execution not recorded.
 */
static int w_execution(char **o, size_t *l, const coplan_plan *p, const coplan_render_options *r)
{
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	char *text = NULL, iso[COPLAN_DATE_ISO_LEN];
	coplan_date today = COPLAN_DATE_NONE;
	size_t n = 0, overdue = 0;
	int rc;

	if ((rc = coplan_report_execution(&text, &n, p, r->baseline)))
		return rc;
	rc = cp_buf_add(&b, text, n);
	free(text);
	if (r->export.now > 0)
		today = (coplan_date)(r->export.now / 86400); /* dates count days from 1970-01-01, UTC here */
	for (size_t i = 0; i < p->n_activities && !rc && today != COPLAN_DATE_NONE; i++) {
		const coplan_activity *a = &p->activities[i];

		if ((a->status != COPLAN_STATUS_PLANNED && a->status != COPLAN_STATUS_CONFIRMED) ||
		    a->end == COPLAN_DATE_NONE || a->end >= today)
			continue;
		if (overdue++ == 0)
			rc = cp_buf_printf(&b, "\noverdue (still planned or confirmed after their last day, as of %s):\n",
			                   coplan_date_format_iso(today, iso));
		if (!rc)
			rc = cp_buf_printf(&b, "  %-8s %-9s ended %s  %s\n", a->ref,
			                   coplan_activity_status_name(a->status),
			                   coplan_date_format_iso(a->end, iso), a->title ? a->title : "");
	}
	if (!rc && !(*o = cp_buf_detach(&b, l)))
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
	cp_buf_release(&b);
	return rc;
}

static int w_execution_json(char **o, size_t *l, const coplan_plan *p, const coplan_render_options *r)
{
	int rc = coplan_execution_format_json(o, p, r->baseline);

	if (!rc && l)
		*l = strlen(*o);
	return rc;
}

static int w_pdf(char **o, size_t *l, const coplan_plan *p, const coplan_render_options *r)
{
	coplan_document_info fallback;
	coplan_document_options d = { doc_info(r, &fallback), NULL, r->language };

	return coplan_document_pdf_ex(o, l, p, &d);
}

static int w_svg(char **o, size_t *l, const coplan_plan *p, const coplan_render_options *r)
{
	return coplan_gantt_svg(o, l, p, &r->gantt);
}

static int w_png(char **o, size_t *l, const coplan_plan *p, const coplan_render_options *r)
{
	return coplan_gantt_png(o, l, p, &r->gantt);
}

static int w_xlsx(char **o, size_t *l, const coplan_plan *p, const coplan_render_options *r)
{
	coplan_document_info fallback;
	coplan_document_options d = { doc_info(r, &fallback), r->export.locale, NULL };

	return coplan_export_xlsx_ex(o, l, p, &d);
}

/* The order of a plan folder's documents is the order here (plan.md first, plan.xlsx last). */
static const coplan_format_info formats[] = {
	{ "text", "text/plain; charset=utf-8", "txt", "the summary: counts, unplaced activities, conflicts", NULL, 0, w_text },
	{ "execution", "text/plain; charset=utf-8", "txt", "plan against execution by host, area and quarter", NULL, 0, w_execution },
	{ "execution-json", "application/json", "json", "plan against execution, as JSON for scripts", NULL, 0, w_execution_json },
	{ "costs", "text/plain; charset=utf-8", "txt", "cost totals per currency by host, payer, area, quarter; budgets", NULL, 0, w_costs },
	{ "md", "text/markdown; charset=utf-8", "md", "the plan as Markdown", "plan.md", 0, w_md },
	{ "html", "text/html; charset=utf-8", "html", "the plan as a web page", "plan.html", 0, w_html },
	{ "json", "application/json", "json", "the whole plan as JSON (reads back identically)", "plan.json", 0, w_json },
	{ "ics", "text/calendar; charset=utf-8", "ics", "an iCalendar feed (Outlook, Google, Apple)", "plan.ics", 0, w_ics },
	{ "pdf", "application/pdf", "pdf", "the plan to sign (A4 PDF with a Gantt annex)", "plan.pdf", 1, w_pdf },
	{ "png", "image/png", "png", "the Gantt chart of the year (PNG)", "gantt.png", 1, w_png },
	{ "svg", "image/svg+xml", "svg", "the Gantt chart of the year (SVG)", "gantt.svg", 0, w_svg },
	{ "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx",
	  "an Excel workbook with real date cells", "plan.xlsx", 1, w_xlsx },
	{ "csv", "text/csv; charset=utf-8", "csv", "CSV for Excel in the user's locale (imports back)", NULL, 0, w_csv },
	{ "lp", "text/plain; charset=utf-8", "lp", "the scheduling problem for a MIP solver (CPLEX LP)", NULL, 0, w_lp },
};

const coplan_format_info *coplan_format_list(size_t *n)
{
	*n = CP_ARRAY_SIZE(formats);
	return formats;
}

const coplan_format_info *coplan_format_find(const char *name)
{
	if (!name)
		return NULL;
	if (cp_strcaseeq(name, "markdown"))
		name = "md";
	else if (cp_strcaseeq(name, "ical"))
		name = "ics";
	for (size_t i = 0; i < CP_ARRAY_SIZE(formats); i++)
		if (cp_strcaseeq(name, formats[i].name))
			return &formats[i];
	return NULL;
}

int coplan_service_render(const coplan_ctx *ctx, long plan_id, const char *format,
                          const coplan_render_options *opts, char **out, size_t *len,
                          const coplan_format_info **info)
{
	static const coplan_render_options defaults = {
		.gantt = { 0, COPLAN_DATE_NONE, COPLAN_DATE_NONE, 0 }
	};
	const coplan_format_info *f = coplan_format_find(format);
	coplan_render_options o = opts ? *opts : defaults;
	coplan_plan *plan = NULL, *baseline = NULL;
	coplan_document_info document;
	coplan_store *store;
	long id;
	int rc;

	*out = NULL;
	if (len)
		*len = 0;
	if (!f)
		return cp_error(COPLAN_EUSAGE, "unknown format '%s'", format ? format : "");
	if ((rc = cp_svc_store(ctx, &store)))
		return rc;
	if ((rc = cp_svc_load_as(ctx, plan_id, COPLAN_ACTION_READ, &plan, &id, NULL)))
		return rc;
	if (f->write == w_execution && !o.export.now)
		o.export.now = coplan_ctx_now(ctx); /* "overdue" is as of the context's today */
	if ((f->write == w_execution || f->write == w_execution_json) && !o.baseline) {
		/* against the newest signed version, else the plan as it stands */
		rc = coplan_store_version_load(store, id, 0, &baseline);
		if (rc && rc != COPLAN_ENOTFOUND)
			goto cleanup;
		if (!rc && (rc = cp_svc_release(ctx, baseline)))
			goto cleanup;
		o.baseline = baseline;
	}
	if (!o.document && (f->write == w_pdf || f->write == w_html || f->write == w_md ||
	                    f->write == w_xlsx)) {
		if ((rc = cp_svc_document_info(ctx, store, id, plan, o.reference_pattern, &document)))
			goto cleanup;
		o.document = &document;
	}
	rc = f->write(out, len, plan, &o);
	if (!rc && info)
		*info = f;
cleanup:
	coplan_plan_free(baseline);
	coplan_plan_free(plan);
	return rc;
}

int coplan_service_load(const coplan_ctx *ctx, long plan_id, coplan_plan **out, long *id_out)
{
	coplan_plan_access ignored;

	return coplan_service_load_for(ctx, plan_id, out, id_out, &ignored);
}

int coplan_service_load_for(const coplan_ctx *ctx, long plan_id, coplan_plan **out, long *id_out,
                            coplan_plan_access *access)
{
	cp_svc_actor actor;
	long id = 0;
	int rc = cp_svc_load_as(ctx, plan_id, COPLAN_ACTION_READ, out, &id, &actor);

	memset(access, 0, sizeof(*access));
	if (rc)
		return rc;
	if (id_out)
		*id_out = id;
	access->role = actor.role;
	access->restricted = actor.restricted;
	memcpy(access->nation, actor.nation, sizeof(access->nation));
	return 0;
}

/* One line of a conflict between two activities on one unit: "JP-07 and JP-09 both need unit 'X' on D..D (3 days)". */
static int pair_line(cp_buf *b, const char *x, const char *y, const coplan_reason *r)
{
	char d0[COPLAN_DATE_ISO_LEN], d1[COPLAN_DATE_ISO_LEN];
	coplan_date from = r->from > r->other_from ? r->from : r->other_from;
	coplan_date to = r->to < r->other_to ? r->to : r->other_to;

	if (from == COPLAN_DATE_NONE || to == COPLAN_DATE_NONE || to < from) {
		from = r->from;
		to = r->to;
	}
	return cp_buf_printf(b, "  %s and %s both need unit '%s' on %s..%s (%ld day%s)\n", x, y,
	                     r->scope ? r->scope : "", coplan_date_format_iso(from, d0),
	                     coplan_date_format_iso(to, d1), (long)(to - from + 1), to == from ? "" : "s");
}

int coplan_service_conflicts(const coplan_ctx *ctx, const coplan_plan *plan, char **text, size_t *n)
{
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	coplan_conflicts *c = NULL;
	size_t count = 0;
	int rc;

	(void)ctx;
	*text = NULL;
	*n = 0;
	if ((rc = coplan_schedule_conflicts_ex(&c, plan)))
		return rc;
	for (size_t i = 0; i < c->n && !rc; i++) {
		const coplan_explanation *e = &c->items[i];
		coplan_reason *others = calloc(e->n_reasons + 1, sizeof(*others));
		size_t n_others = 0;

		if (!others) {
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
			break;
		}
		for (size_t k = 0; k < e->n_reasons && !rc; k++) {
			const coplan_reason *r = &e->reasons[k];

			if (r->code != COPLAN_REASON_UNIT_BUSY || !r->activity) {
				others[n_others++] = *r; /* borrowed for the text below */
				continue;
			}
			/* a pair on a unit: said once, by the first of the two in plan order */
			if (coplan_plan_find(plan, r->activity) < coplan_plan_find(plan, e->ref))
				continue;
			count++;
			rc = pair_line(&b, e->ref, r->activity, r);
		}
		if (!rc && n_others) {
			char *why = NULL;

			if (!(rc = coplan_reasons_format_text(&why, others, n_others, e->ref))) {
				char d0[COPLAN_DATE_ISO_LEN];

				count++;
				rc = cp_buf_printf(&b, "  %s on %s: %s\n", e->ref,
				                   coplan_date_format_iso(e->from, d0), why);
			}
			free(why);
		}
		free(others);
	}
	if (!rc && c->recorded > 0) {
		count += (size_t)c->recorded;
		rc = cp_buf_printf(&b, "  %ld conflict%s among recorded activities (executed, confirmed, "
		                   "postponed): coplan report --execution\n", c->recorded, c->recorded == 1 ? "" : "s");
	}
	coplan_conflicts_free(c);
	if (!rc && !(*text = b.len ? cp_buf_detach(&b, NULL) : cp_strdup("")))
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
	cp_buf_release(&b);
	if (!rc)
		*n = count;
	return rc;
}

typedef struct {
	coplan_store *store;
	const coplan_ctx *ctx;
	long account;          /* 0: every plan; else the plans this account has a role on */
	coplan_plan_entry *entries;
	size_t n, cap;
} plans_state;

static int load_one(long id, const char *title, int year, void *payload)
{
	plans_state *ps = payload;
	coplan_plan_role role = COPLAN_PLAN_ROLE_NONE;
	int rc;

	(void)title;
	(void)year;
	if (ps->account > 0) {
		if ((rc = coplan_store_role_get(ps->store, id, ps->account, &role)))
			return rc;
		if (role == COPLAN_PLAN_ROLE_NONE)
			return 0;
	}
	if (cp_grow((void **)&ps->entries, &ps->cap, ps->n + 1, sizeof(*ps->entries)))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	if ((rc = coplan_store_load_plan(ps->store, id, &ps->entries[ps->n].plan, NULL)))
		return rc;
	/* what the account may see of it; a plan not releasable to it is not listed (docs/labels.md) */
	if ((rc = cp_svc_release(ps->ctx, ps->entries[ps->n].plan))) {
		coplan_plan_free(ps->entries[ps->n].plan);
		ps->entries[ps->n].plan = NULL;
		return rc == COPLAN_ENOTFOUND ? 0 : rc;
	}
	ps->entries[ps->n++].id = id;
	return 0;
}

int coplan_service_plans(const coplan_ctx *ctx, coplan_plan_entry **out, size_t *n)
{
	plans_state ps = { NULL, NULL, 0, NULL, 0, 0 };
	cp_svc_actor actor;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = cp_svc_store(ctx, &ps.store)) || (rc = cp_svc_whoami(ctx, &actor)))
		return rc;
	ps.account = actor.account;
	ps.ctx = ctx;
	if ((rc = coplan_store_foreach_plan(ps.store, load_one, &ps))) {
		coplan_plan_entries_free(ps.entries, ps.n);
		return rc;
	}
	*out = ps.entries;
	*n = ps.n;
	return 0;
}

void coplan_plan_entries_free(coplan_plan_entry *entries, size_t n)
{
	for (size_t i = 0; entries && i < n; i++)
		coplan_plan_free(entries[i].plan);
	free(entries);
}

/*
 * The plan id the reader asked about, and the same plan as stored: the
 * activity is found in what the reader may see (a hidden one is "not
 * found", audited), the scheduler's questions are answered on the whole
 * plan, so that a hidden commitment counts (docs/labels.md); the answers
 * are masked before they leave (cp_svc_mask_explanations()).
 */
static int load_for_question(const coplan_ctx *ctx, long plan_id, const char *action, const char *ref,
                             coplan_plan **full, const char **found, cp_svc_reader *reader)
{
	coplan_plan *seen = NULL;
	long i, id = 0;
	int rc;

	*full = NULL;
	*found = NULL;
	memset(reader, 0, sizeof(*reader));
	if ((rc = coplan_service_load(ctx, plan_id, &seen, &id)))
		return rc;
	if ((i = coplan_service_find_activity(seen, ref)) < 0) {
		rc = cp_svc_audit_unreleasable(ctx, ctx->store, action, id, ref, cp_svc_no_activity(seen, ref));
	} else if (ctx->account == 0) {
		*full = seen;
		seen = NULL;
		*found = (*full)->activities[i].ref;
	} else if (!(rc = coplan_store_load_plan(ctx->store, id, full, NULL)) &&
	           !(rc = cp_svc_reader_of(ctx, reader))) {
		long j = coplan_plan_find(*full, seen->activities[i].ref);

		if (j < 0) /* deleted between the two reads */
			rc = cp_svc_no_activity(seen, ref);
		else
			*found = (*full)->activities[j].ref;
	}
	coplan_plan_free(seen);
	if (rc) {
		coplan_plan_free(*full);
		*full = NULL;
		cp_svc_reader_free(reader);
	}
	return rc;
}

int coplan_service_explain(const coplan_ctx *ctx, long plan_id, const char *ref, coplan_date date,
                           coplan_explanation **out)
{
	coplan_plan *full = NULL;
	cp_svc_reader reader;
	const char *found;
	int rc;

	*out = NULL;
	if ((rc = load_for_question(ctx, plan_id, "explain", ref, &full, &found, &reader)))
		return rc;
	if (!(rc = coplan_schedule_explain_ex(out, full, found, date)) && ctx->account != 0)
		rc = cp_svc_mask_explanations(*out, 1, full, &reader);
	if (rc) {
		coplan_explanation_free(*out);
		*out = NULL;
	}
	cp_svc_reader_free(&reader);
	coplan_plan_free(full);
	return rc;
}

int coplan_service_suggest(const coplan_ctx *ctx, long plan_id, const char *ref, size_t max,
                           coplan_explanation **out, size_t *n, coplan_explanation **why_none)
{
	coplan_plan *full = NULL;
	cp_svc_reader reader;
	const char *found;
	int rc;

	*out = NULL;
	*n = 0;
	*why_none = NULL;
	if ((rc = load_for_question(ctx, plan_id, "suggest", ref, &full, &found, &reader)))
		return rc;
	rc = coplan_schedule_suggest_ex(out, n, max, full, found);
	if (!rc && *n == 0)
		rc = coplan_schedule_explain_ex(why_none, full, found, COPLAN_DATE_NONE);
	if (!rc && ctx->account != 0 && !(rc = cp_svc_mask_explanations(*out, *n, full, &reader)))
		rc = cp_svc_mask_explanations(*why_none, *why_none ? 1 : 0, full, &reader);
	if (rc) {
		coplan_explanations_free(*out, *n);
		coplan_explanation_free(*why_none);
		*out = NULL;
		*n = 0;
		*why_none = NULL;
	}
	cp_svc_reader_free(&reader);
	coplan_plan_free(full);
	return rc;
}

int coplan_service_activity(const coplan_ctx *ctx, long plan_id, const char *ref, coplan_plan **plan,
                            long *index, coplan_plan_access *access)
{
	coplan_plan_access ignored;
	long id = 0;
	int rc;

	*index = -1;
	if ((rc = coplan_service_load_for(ctx, plan_id, plan, &id, access ? access : &ignored)))
		return rc;
	if ((*index = coplan_service_find_activity(*plan, ref)) >= 0)
		return 0;
	rc = cp_svc_audit_unreleasable(ctx, ctx->store, "read", id, ref, cp_svc_no_activity(*plan, ref));
	coplan_plan_free(*plan);
	*plan = NULL;
	return rc;
}

int coplan_service_plan_stamp(const coplan_ctx *ctx, long plan_id, char stamp[65])
{
	coplan_account who = { 0 };
	coplan_store *store;
	cp_svc_actor actor;
	char plan[65], text[65 + 24 + 65 + 4 + 40 + COPLAN_LABEL_NAME_MAX + COPLAN_ACCOUNT_CAVEATS_MAX];
	int rc, n;

	*stamp = '\0';
	if (plan_id <= 0)
		return cp_error(COPLAN_EUSAGE, "a plan's stamp needs the plan's id");
	if ((rc = cp_svc_store(ctx, &store)) || (rc = cp_svc_actor_check(ctx, plan_id, COPLAN_ACTION_READ, &actor)) ||
	    (rc = coplan_store_plan_stamp(store, plan_id, plan)))
		return rc;
	if (ctx->account != 0) {
		if ((rc = coplan_store_account_get(store, ctx->account, NULL, &who, NULL)))
			return rc;
		free(who.display_name);
	}
	/* what the reader may do and see decides what a page shows (buttons, what is released to
	 * them): a change of role, clearance or caveats made elsewhere (another server, the command
	 * line) changes it */
	n = snprintf(text, sizeof(text), "%s|%ld|%s|%s|%d|%d|%d|%s|%s", plan, actor.account, actor.name,
	             actor.nation, actor.is_admin, (int)actor.role, actor.restricted, who.clearance, who.caveats);
	if (n < 0 || (size_t)n >= sizeof(text))
		return cp_error(COPLAN_ELIMIT, "a plan's stamp does not fit");
	return coplan_sha256_hex(stamp, text, (size_t)n);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* amendment.c - what a document is (version, state, date, reference) and the amendment document to sign. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "service_int.h"

coplan_date cp_svc_utc_date(time_t t)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm))
		return COPLAN_DATE_NONE;
	return coplan_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* The UTC date of a version's or an event's time ("2024-03-12T09:00:00Z"). */
static coplan_date stamp_date(const char *at)
{
	coplan_date d;

	return strlen(at) >= 10 && !coplan_date_parse_iso(&d, at, 10) ? d : COPLAN_DATE_NONE;
}

/*
 * The snapshot of plan with execution aside: a status confirmed or
 * executed counts as planned, and every sequence as 0 (tracking execution
 * on a signed plan is not an edit of it; a postponement or a cancellation
 * is).  *out malloc'd, the caller frees.
 */
static int plain_snapshot(char **out, size_t *len, const coplan_plan *plan)
{
	coplan_plan copy = *plan;
	coplan_activity *a = NULL;
	int rc;

	if (plan->n_activities) {
		a = malloc(plan->n_activities * sizeof(*a));
		if (!a)
			return cp_error(COPLAN_ENOMEM, "out of memory");
		memcpy(a, plan->activities, plan->n_activities * sizeof(*a));
		for (size_t i = 0; i < plan->n_activities; i++) {
			if (a[i].status == COPLAN_STATUS_CONFIRMED || a[i].status == COPLAN_STATUS_EXECUTED)
				a[i].status = COPLAN_STATUS_PLANNED;
			a[i].sequence = 0;
		}
		copy.activities = a;
	}
	rc = coplan_plan_snapshot(out, len, &copy);
	free(a);
	return rc;
}

/* 1 when a and b are the same plan, execution aside; 0 when not; or a negative error. */
static int same_plan(const coplan_plan *a, const coplan_plan *b)
{
	char *x = NULL, *y = NULL;
	size_t nx = 0, ny = 0;
	int rc;

	if (!(rc = plain_snapshot(&x, &nx, a)) && !(rc = plain_snapshot(&y, &ny, b)))
		rc = nx == ny && !memcmp(x, y, nx);
	free(x);
	free(y);
	return rc;
}

/* 1 when versions[i] begins an amendment: a draft right after a signed version. */
static int begins_amendment(const coplan_plan_version *v, size_t i)
{
	return i > 0 && v[i].state == COPLAN_VERSION_DRAFT && v[i - 1].state == COPLAN_VERSION_SIGNED;
}

/* The amendments begun in versions[0..upto]. */
static int amendments_upto(const coplan_plan_version *v, size_t upto)
{
	int n = 0;

	for (size_t i = 0; i <= upto; i++)
		n += begins_amendment(v, i);
	return n;
}

/* Fill out for version v (index i of versions) of plan. */
static int version_info(coplan_document_info *out, const coplan_plan_version *versions, size_t i,
                        const coplan_plan *plan, const char *pattern)
{
	memset(out, 0, sizeof(*out));
	out->version = versions[i].number;
	out->state = versions[i].state;
	out->issued = stamp_date(versions[i].created_at);
	out->amendment = amendments_upto(versions, i);
	return coplan_document_reference(out->reference, sizeof(out->reference), pattern, plan,
	                                 versions[i].number);
}

static void unsaved_info(coplan_document_info *out, const coplan_ctx *ctx,
                         const coplan_plan_version *versions, size_t n)
{
	memset(out, 0, sizeof(*out));
	out->state = COPLAN_VERSION_DRAFT;
	out->issued = cp_svc_utc_date(coplan_ctx_now(ctx));
	out->amendment = n ? amendments_upto(versions, n - 1) : 0;
}

/*
 * Whether plan as it stands is versions[n-1], unchanged: *is 1 or 0.
 */
static int is_newest(int *is, coplan_store *store, long plan_id, const coplan_plan *plan,
                     const coplan_plan_version *versions, size_t n)
{
	coplan_plan *saved = NULL;
	int rc;

	*is = 0;
	if (!n)
		return 0;
	if ((rc = coplan_store_version_load(store, plan_id, versions[n - 1].number, &saved)))
		return rc;
	rc = same_plan(plan, saved);
	coplan_plan_free(saved);
	if (rc < 0)
		return rc;
	*is = rc;
	return 0;
}

int cp_svc_document_info(const coplan_ctx *ctx, coplan_store *store, long plan_id,
                         const coplan_plan *plan, const char *pattern, coplan_document_info *out)
{
	coplan_plan_version *versions = NULL;
	coplan_plan *full = NULL;
	size_t n = 0;
	int rc, newest = 0;

	memset(out, 0, sizeof(*out));
	/*
	 * Saved or not is a fact of the whole plan: a reader's filtered copy is
	 * compared as the plan stands in the store, never as the reader sees it
	 * (docs/labels.md)
	 */
	if ((rc = coplan_store_versions(store, plan_id, &versions, &n)) ||
	    (ctx->account != 0 && n && (rc = coplan_store_load_plan(store, plan_id, &full, NULL))) ||
	    (rc = is_newest(&newest, store, plan_id, full ? full : plan, versions, n)))
		goto cleanup;
	if (newest)
		rc = version_info(out, versions, n - 1, plan, pattern);
	else
		unsaved_info(out, ctx, versions, n);
	/* a bad pattern is an error even for a plan not saved yet */
	if (!rc && !newest) {
		char check[COPLAN_DOCUMENT_REF_LEN];

		rc = coplan_document_reference(check, sizeof(check), pattern, plan, 1);
	}
cleanup:
	coplan_plan_free(full);
	coplan_plan_versions_free(versions, n);
	return rc;
}

int coplan_service_document_info(const coplan_ctx *ctx, long plan_id, const char *pattern,
                                 coplan_document_info *out)
{
	coplan_plan *plan = NULL;
	coplan_store *store;
	long id;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = cp_svc_store(ctx, &store)) ||
	    (rc = cp_svc_load_as(ctx, plan_id, COPLAN_ACTION_READ, &plan, &id, NULL)))
		return rc;
	rc = cp_svc_document_info(ctx, store, id, plan, pattern, out);
	coplan_plan_free(plan);
	return rc;
}

/* 1 when the comma-separated list names word ("dates, duration" names "duration"). */
static int lists(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p && *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		if (!strncmp(p, word, n) && (p[n] == ',' || p[n] == '\0'))
			return 1;
		p = strchr(p, ',');
	}
	return 0;
}

/*
 * How well history entry e gives the reason of change c: 0 not at all
 * (another activity or blackout), 1 an entry of the same activity, 2 the
 * entry that made this kind of change (the activity's addition for an
 * "added", the edit naming the field for a field changed, the status change
 * or the pin for dates moved, the blackout's own entry for a blackout).
 */
static int explains(const coplan_activity_event *e, const coplan_change *c)
{
	if (!e->ref || !c->ref || strcmp(e->ref, c->ref))
		return 0;
	if (c->subject == COPLAN_CHANGE_BLACKOUT)
		return e->start == c->from && e->end == c->to &&
		       e->action == (c->kind == COPLAN_CHANGE_ADDED ? COPLAN_EVENT_BLACKOUT_ADDED
		                                                    : COPLAN_EVENT_BLACKOUT_DELETED) ? 2 : 0;
	if (coplan_event_is_blackout(e->action))
		return 0;
	switch (c->kind) {
	case COPLAN_CHANGE_ADDED:
		return e->action == COPLAN_EVENT_ADDED ? 2 : 1;
	case COPLAN_CHANGE_REMOVED:
		return e->action == COPLAN_EVENT_DELETED ? 2 : 1;
	case COPLAN_CHANGE_MOVED:
		return e->action == COPLAN_EVENT_STATUS || e->action == COPLAN_EVENT_PINNED ||
		       (e->action == COPLAN_EVENT_EDITED && lists(e->detail, "dates")) ? 2 : 1;
	default:
		if (c->field && !strcmp(c->field, "status"))
			return e->action == COPLAN_EVENT_STATUS ? 2 : 1;
		return e->action == COPLAN_EVENT_EDITED && c->field && lists(e->detail, c->field) ? 2 : 1;
	}
}

/*
 * The reason of each change: the newest history entry with a reason,
 * recorded at or after from and (when until is not "") at or before until,
 * that made that kind of change (explains() 2), else the newest entry of
 * the same activity with a reason (a reason given with a status change
 * explains the other changes of its activity too).
 */
static int change_reasons(char ***out, coplan_store *store, long plan_id, const coplan_change *changes,
                          size_t n, const char *from, const char *until)
{
	coplan_activity_event *events = NULL;
	size_t n_events = 0;
	char **reasons;
	int rc;

	*out = NULL;
	if (!(reasons = calloc(n + 1, sizeof(*reasons))))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	if ((rc = coplan_store_history(store, plan_id, NULL, &events, &n_events)))
		goto cleanup;
	for (size_t i = 0; i < n && !rc; i++) {
		const char *reason = NULL;
		int best = 0;

		for (size_t e = 0; e < n_events; e++) {
			const coplan_activity_event *ev = &events[e];
			int score;

			if (!ev->reason || !*ev->reason || strcmp(ev->at, from) < 0 ||
			    (*until && strcmp(ev->at, until) > 0))
				continue;
			/* oldest first: the last one kept of the best score is the newest */
			if ((score = explains(ev, &changes[i])) && score >= best) {
				best = score;
				reason = ev->reason;
			}
		}
		if (reason && !(reasons[i] = cp_strdup(reason)))
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
	}
cleanup:
	coplan_activity_events_free(events, n_events);
	if (rc) {
		cp_svc_strv_free(reasons, n);
		return rc;
	}
	*out = reasons;
	return 0;
}

/*
 * Drop the changes that only record execution (a status become confirmed
 * or executed): tracked on a signed plan, not amended; a postponement or a
 * cancellation stays.  The dropped entries are freed.
 */
static void drop_execution(coplan_change *changes, size_t *n)
{
	size_t kept = 0;

	for (size_t i = 0; i < *n; i++) {
		coplan_change *c = &changes[i];

		if (c->kind == COPLAN_CHANGE_FIELD && c->field && !strcmp(c->field, "status") && c->after &&
		    (!strcmp(c->after, "confirmed") || !strcmp(c->after, "executed"))) {
			free(c->ref);
			free(c->title);
			free(c->field);
			free(c->before);
			free(c->after);
			continue;
		}
		changes[kept++] = *c;
	}
	*n = kept;
}

int coplan_service_amendment(const coplan_ctx *ctx, long plan_id, int number, const char *format,
                             const coplan_render_options *opts, char **out, size_t *len,
                             const coplan_format_info **info)
{
	coplan_plan *current = NULL, *base = NULL, *content = NULL;
	coplan_plan_version *versions = NULL;
	coplan_change *changes = NULL;
	coplan_document_info doc_info;
	char base_ref[COPLAN_DOCUMENT_REF_LEN], **reasons = NULL;
	const char *pattern = opts ? opts->reference_pattern : NULL;
	coplan_amendment_document doc;
	const coplan_format_info *f = coplan_format_find(format);
	size_t n = 0, n_changes = 0, start = 0, end = 0;
	coplan_store *store;
	int rc, seen = 0, signed_end = 0, newest = 0;
	long id;

	*out = NULL;
	if (len)
		*len = 0;
	if (!f || (strcmp(f->name, "pdf") && strcmp(f->name, "html")))
		return cp_error(COPLAN_EUSAGE, "an amendment is written as pdf or html, not '%s'",
		                format ? format : "");
	if (number < 1)
		return cp_error(COPLAN_EUSAGE, "amendments are numbered from 1, got %d", number);
	if ((rc = cp_svc_store(ctx, &store)) ||
	    (rc = cp_svc_load_as(ctx, plan_id, COPLAN_ACTION_READ, &current, &id, NULL)))
		return rc;
	if ((rc = coplan_store_versions(store, id, &versions, &n)))
		goto cleanup;
	for (size_t i = 0; i < n && seen < number; i++)
		if (begins_amendment(versions, i) && ++seen == number)
			start = i;
	if (seen < number) {
		rc = cp_error(COPLAN_ENOTFOUND, "plan '%s' has %d amendment%s: no Amendment No. %d (an "
		              "amendment begins with a draft saved after a signed version)",
		              current->title ? current->title : "", seen, seen == 1 ? "" : "s", number);
		goto cleanup;
	}
	/* its content: the first signed version after the draft, else the newest or the plan as it stands */
	for (end = start + 1; end < n && !signed_end; end++)
		signed_end = versions[end].state == COPLAN_VERSION_SIGNED;
	end--;
	if (signed_end) {
		if ((rc = coplan_store_version_load(store, id, versions[end].number, &content)) ||
		    (rc = cp_svc_release(ctx, content)) ||
		    (rc = version_info(&doc_info, versions, end, content, pattern)))
			goto cleanup;
	} else {
		if ((rc = is_newest(&newest, store, id, current, versions, n)))
			goto cleanup;
		end = n - 1;
		if (newest)
			rc = version_info(&doc_info, versions, end, current, pattern);
		else
			unsaved_info(&doc_info, ctx, versions, n);
		if (rc)
			goto cleanup;
		content = current;
		current = NULL;
	}
	doc_info.amendment = number;
	if ((rc = coplan_store_version_load(store, id, versions[start - 1].number, &base)) ||
	    (rc = cp_svc_release(ctx, base)) ||
	    (rc = coplan_document_reference(base_ref, sizeof(base_ref), pattern, base,
	                                    versions[start - 1].number)) ||
	    (rc = coplan_plan_compare(&changes, &n_changes, base, content)))
		goto cleanup;
	drop_execution(changes, &n_changes);
	if ((rc = change_reasons(&reasons, store, id, changes, n_changes, versions[start - 1].created_at,
	                         signed_end || newest ? versions[end].created_at : "")))
		goto cleanup;
	doc.plan = content;
	doc.info = &doc_info;
	doc.plan_reference = base_ref;
	doc.changes = changes;
	doc.n_changes = n_changes;
	doc.reasons = (const char *const *)reasons;
	doc.language = opts ? opts->language : NULL;
	rc = !strcmp(f->name, "pdf") ? coplan_amendment_pdf(out, len, &doc)
	                             : coplan_amendment_html(out, len, &doc);
	if (!rc && info)
		*info = f;
cleanup:
	if (reasons)
		cp_svc_strv_free(reasons, n_changes);
	coplan_changes_free(changes, n_changes);
	coplan_plan_versions_free(versions, n);
	coplan_plan_free(base);
	coplan_plan_free(content);
	coplan_plan_free(current);
	return rc;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* releasability.c - the one enforcement point of confidentiality labels: what a reader may see of a plan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "coplan/label.h"
#include "coplan/marking.h"
#include "coplan/store.h"
#include "service_int.h"

/* What the reason of an unplaced activity says when it names something the reader may not see. */
static const char hidden_activity_reason[] = "not placed: an activity not releasable to you stops it";
static const char hidden_commitment_reason[] = "not placed: a commitment not releasable to you stops it";

/* What an explanation says in place of a hidden activity's ref and a hidden blackout's reason or unit. */
static const char hidden_activity[] = "an activity not releasable to you";
static const char hidden_commitment[] = "a commitment not releasable to you";

void cp_svc_reader_free(cp_svc_reader *r)
{
	if (!r)
		return;
	coplan_label_policy_free(r->policy);
	memset(r, 0, sizeof(*r));
}

int cp_svc_reader_of(const coplan_ctx *ctx, cp_svc_reader *out)
{
	coplan_store *store;
	coplan_account who;
	char *save = NULL, *word;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = cp_svc_store(ctx, &store)))
		return rc;
	if (ctx->account == 0) {
		out->everything = 1;
		return 0;
	}
	if ((rc = coplan_store_account_get(store, ctx->account, NULL, &who, NULL)))
		return rc == COPLAN_ENOTFOUND ? cp_error(COPLAN_EAUTH, "not logged in: no user %ld", ctx->account)
		                              : rc;
	free(who.display_name);
	if ((rc = coplan_label_policy_load(&out->policy, coplan_label_policy_default_path())))
		return rc;
	memcpy(out->nation, who.nation, sizeof(out->nation));
	/* no clearance recorded: the ladder's lowest; a name the policy does not know: none (deny) */
	out->reader.clearance = *who.clearance ? coplan_label_level_parse(out->policy, who.clearance) : 0;
	snprintf(out->caveat_text, sizeof(out->caveat_text), "%s", who.caveats);
	for (word = strtok_r(out->caveat_text, " ,", &save); word && out->n_caveats < COPLAN_LABEL_CAVEATS_MAX;
	     word = strtok_r(NULL, " ,", &save))
		out->caveats[out->n_caveats++] = word;
	out->reader.nation = out->nation;
	out->reader.caveats = (const char *const *)out->caveats;
	out->reader.n_caveats = out->n_caveats;
	return 0;
}

/* 1 when r may see what text labels (NULL: the plan's); a label that does not parse denies. */
static int visible(const cp_svc_reader *r, const coplan_label *plan_label, const char *text)
{
	coplan_label l;

	if (r->everything)
		return 1;
	if (coplan_item_label(plan_label, text, r->policy, &l))
		return 0;
	return coplan_label_permits(&l, &r->reader);
}

/* 1 when some activity of plan that keep[] marks as kept (or any activity, keep NULL) names unit. */
static int unit_named(const coplan_plan *plan, const unsigned char *keep, int kept, const char *unit)
{
	for (size_t i = 0; i < plan->n_activities; i++) {
		if (keep && (keep[i] != 0) != (kept != 0))
			continue;
		for (size_t u = 0; u < plan->activities[i].n_units; u++)
			if (!strcmp(plan->activities[i].units[u], unit))
				return 1;
	}
	return 0;
}

/* The visibility of each activity and blackout of plan for r: *act and *blk (malloc'd, 1 visible). */
static int visibility(const coplan_plan *plan, const cp_svc_reader *r, unsigned char **act,
                      unsigned char **blk, int *plan_visible)
{
	coplan_label plan_label;

	*act = calloc(plan->n_activities + 1, 1);
	*blk = calloc(plan->n_blackouts + 1, 1);
	if (!*act || !*blk) {
		free(*act);
		free(*blk);
		*act = *blk = NULL;
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	memset(&plan_label, 0, sizeof(plan_label));
	*plan_visible = r->everything || (!coplan_plan_label(plan, r->policy, &plan_label) &&
	                                  coplan_label_permits(&plan_label, &r->reader));
	for (size_t i = 0; i < plan->n_activities; i++)
		(*act)[i] = *plan_visible && visible(r, &plan_label, plan->activities[i].label);
	for (size_t k = 0; k < plan->n_blackouts; k++) {
		const coplan_blackout *b = &plan->blackouts[k];

		(*blk)[k] = *plan_visible && visible(r, &plan_label, b->label);
		/* a unit only hidden activities name: its commitments would name it */
		if ((*blk)[k] && !coplan_nation_valid(b->scope) && unit_named(plan, *act, 0, b->scope) &&
		    !unit_named(plan, *act, 1, b->scope))
			(*blk)[k] = 0;
	}
	return 0;
}

/* 1 when text holds needle (case-insensitive; an empty needle never). */
static int mentions(const char *text, const char *needle)
{
	size_t n = needle ? strlen(needle) : 0;

	if (!text || n == 0)
		return 0;
	for (const char *p = text; *p; p++)
		if (!strncasecmp(p, needle, n))
			return 1;
	return 0;
}

/* 1 when text names an activity of plan that act hides (its ref, title or a unit only it names), 2 when
 * it names a blackout blk hides (its reason, or its unit), else 0. */
static int names_hidden(const char *text, const coplan_plan *plan, const unsigned char *act,
                        const unsigned char *blk)
{
	for (size_t i = 0; i < plan->n_activities; i++) {
		const coplan_activity *a = &plan->activities[i];

		if (act[i])
			continue;
		if (mentions(text, a->ref) || mentions(text, a->title))
			return 1;
		for (size_t u = 0; u < a->n_units; u++)
			if (!unit_named(plan, act, 1, a->units[u]) && mentions(text, a->units[u]))
				return 1;
	}
	for (size_t k = 0; k < plan->n_blackouts; k++)
		if (!blk[k] && (mentions(text, plan->blackouts[k].reason) ||
		                (!coplan_nation_valid(plan->blackouts[k].scope) &&
		                 mentions(text, plan->blackouts[k].scope))))
			return 2;
	return 0;
}

int cp_svc_filter(coplan_plan *plan, const cp_svc_reader *r)
{
	unsigned char *act = NULL, *blk = NULL;
	int plan_visible, rc;
	size_t kept = 0;

	if (r->everything)
		return 0;
	if ((rc = visibility(plan, r, &act, &blk, &plan_visible)))
		return rc;
	if (!plan_visible) {
		free(act);
		free(blk);
		return cp_error(COPLAN_ENOTFOUND, "no such plan");
	}
	/* reasons that name what is hidden: said without its name or dates */
	for (size_t i = 0; i < plan->n_activities; i++) {
		coplan_activity *a = &plan->activities[i];

		int named = act[i] && a->unplaced_reason ? names_hidden(a->unplaced_reason, plan, act, blk) : 0;

		if (named) {
			char *s = cp_strdup(named == 1 ? hidden_activity_reason : hidden_commitment_reason);

			if (!s) {
				rc = cp_error(COPLAN_ENOMEM, "out of memory");
				goto end;
			}
			free(a->unplaced_reason);
			a->unplaced_reason = s;
		}
	}
	/* precedences touching a hidden activity */
	for (size_t p = 0; p < plan->n_precedences; p++) {
		coplan_precedence *c = &plan->precedences[p];
		long b = coplan_plan_find(plan, c->before), f = coplan_plan_find(plan, c->after);

		if (b >= 0 && act[b] && f >= 0 && act[f]) {
			plan->precedences[kept++] = *c;
			continue;
		}
		free(c->before);
		free(c->after);
	}
	plan->n_precedences = kept;
	kept = 0;
	for (size_t k = 0; k < plan->n_blackouts; k++) {
		if (blk[k]) {
			plan->blackouts[kept++] = plan->blackouts[k];
			continue;
		}
		free(plan->blackouts[k].scope);
		free(plan->blackouts[k].reason);
		free(plan->blackouts[k].label);
	}
	plan->n_blackouts = kept;
	kept = 0;
	for (size_t i = 0; i < plan->n_activities; i++) {
		if (act[i]) {
			plan->activities[kept++] = plan->activities[i];
			continue;
		}
		coplan_activity_clear(&plan->activities[i]);
	}
	plan->n_activities = kept;
end:
	free(act);
	free(blk);
	return rc;
}

int cp_svc_merge_hidden(coplan_plan *edited, coplan_plan *full, const cp_svc_reader *r)
{
	unsigned char *act = NULL, *blk = NULL;
	int plan_visible, rc;

	if (r->everything)
		return 0;
	if ((rc = visibility(full, r, &act, &blk, &plan_visible)))
		return rc;
	if (!plan_visible) {
		rc = cp_error(COPLAN_ENOTFOUND, "no such plan");
		goto end;
	}
	/* precedences touching a hidden activity (before the activities move out of full) */
	for (size_t p = 0; p < full->n_precedences && !rc; p++) {
		const coplan_precedence *c = &full->precedences[p];
		long b = coplan_plan_find(full, c->before), f = coplan_plan_find(full, c->after);

		if (b >= 0 && act[b] && f >= 0 && act[f])
			continue;
		rc = coplan_plan_add_precedence_kind(edited, c->before, c->after, c->min_gap, c->max_gap, c->kind);
	}
	/* the hidden activities, moved whole; a ref the reader reused is refused without saying why */
	for (size_t i = 0; i < full->n_activities && !rc; i++) {
		coplan_activity *a;

		if (act[i])
			continue;
		if (coplan_plan_find(edited, full->activities[i].ref) >= 0) {
			rc = cp_error(COPLAN_EDENIED, "activity '%s' cannot be used: choose another ref",
			              full->activities[i].ref);
			break;
		}
		if ((rc = coplan_plan_add_activity(edited, &a)))
			break;
		*a = full->activities[i];
		/* full keeps an empty activity: its ref is NULL, so nothing finds it any more */
		memset(&full->activities[i], 0, sizeof(full->activities[i]));
	}
	for (size_t k = 0; k < full->n_blackouts && !rc; k++) {
		const coplan_blackout *b = &full->blackouts[k];

		if (blk[k])
			continue;
		if (!(rc = coplan_plan_add_blackout(edited, b->scope, b->from, b->to, b->hard, b->reason)) &&
		    b->label && !(edited->blackouts[edited->n_blackouts - 1].label = cp_strdup(b->label)))
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
	}
end:
	free(act);
	free(blk);
	return rc;
}

/* Append "ACTION plan N WHAT not releasable, refused" in a short transaction of its own; rc and its message kept. */
static int record_unreleasable(const coplan_ctx *ctx, coplan_store *store, const char *action, long plan_id,
                               const char *what, int rc)
{
	cp_svc_audit a;
	char *saved = cp_strdup(coplan_error_last());
	int wrc;

	cp_svc_audit_init(&a, action, plan_id, "%s not releasable", what);
	/* recorded as the refusal it is (COPLAN_EDENIED); the reader is told "not found" */
	if (!(wrc = coplan_store_begin(store)))
		wrc = coplan_store_end(store, cp_svc_audit_record(ctx, store, &a, COPLAN_EDENIED));
	(void)wrc; /* an entry that cannot be written leaves the answer as it was */
	cp_error(rc, "%s", saved ? saved : "not found");
	free(saved);
	return rc;
}

/* Replace *field (malloc'd) with a copy of text. */
static int replace(char **field, const char *text)
{
	char *s = cp_strdup(text);

	if (!s)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	free(*field);
	*field = s;
	return 0;
}

/* The other's days of a hidden blocker: only where they meet the days asked (none in a list). */
static void clip_other(coplan_reason *r)
{
	if (r->from == COPLAN_DATE_NONE || r->other_from == COPLAN_DATE_NONE) {
		r->other_from = r->other_to = COPLAN_DATE_NONE;
		return;
	}
	if (r->other_from < r->from)
		r->other_from = r->from;
	if (r->to != COPLAN_DATE_NONE && (r->other_to == COPLAN_DATE_NONE || r->other_to > r->to))
		r->other_to = r->to;
	if (r->other_to != COPLAN_DATE_NONE && r->other_to < r->other_from)
		r->other_from = r->other_to = COPLAN_DATE_NONE;
}

/* Mask in the reasons v[0..n) (and their items) what act/blk hide of full. */
static int mask_reasons(coplan_reason *v, size_t n, const coplan_plan *full, const unsigned char *act,
                        const unsigned char *blk)
{
	int rc = 0;

	for (size_t k = 0; k < n && !rc; k++) {
		coplan_reason *r = &v[k];
		long i = r->activity ? coplan_plan_find(full, r->activity) : -1;
		int hidden_blackout = r->blackout >= 0 && (size_t)r->blackout < full->n_blackouts && !blk[r->blackout];

		if (i >= 0 && !act[i]) {
			/* a hidden activity: never its ref, title, unit or dates */
			if ((rc = replace(&r->activity, hidden_activity)))
				break;
			if (r->scope && r->role == COPLAN_ROLE_UNIT && !unit_named(full, act, 1, r->scope) &&
			    (rc = replace(&r->scope, hidden_commitment)))
				break;
			if (r->code == COPLAN_REASON_PRECEDENCE)
				r->other_from = r->other_to = COPLAN_DATE_NONE;
			else
				clip_other(r);
		}
		if (hidden_blackout) {
			/* a hidden commitment: its reason and, for a unit's, the unit go; its days only as they meet */
			if ((rc = replace(&r->name, hidden_commitment)))
				break;
			if (r->scope && !coplan_nation_valid(r->scope) && !unit_named(full, act, 1, r->scope) &&
			    (rc = replace(&r->scope, hidden_commitment)))
				break;
			r->blackout = -1;
			clip_other(r);
		}
		if (r->n_items)
			rc = mask_reasons(r->items, r->n_items, full, act, blk);
	}
	return rc;
}

int cp_svc_mask_explanations(coplan_explanation *ex, size_t n, const coplan_plan *full, const cp_svc_reader *r)
{
	unsigned char *act = NULL, *blk = NULL;
	int plan_visible, rc;

	if (r->everything || !ex || !n)
		return 0;
	if ((rc = visibility(full, r, &act, &blk, &plan_visible)))
		return rc;
	for (size_t k = 0; k < n && !rc; k++)
		if (!(rc = mask_reasons(ex[k].reasons, ex[k].n_reasons, full, act, blk)))
			rc = mask_reasons(ex[k].costs, ex[k].n_costs, full, act, blk);
	free(act);
	free(blk);
	return rc;
}

int cp_svc_readable(const coplan_ctx *ctx, coplan_store *store, long plan_id, const coplan_plan *full)
{
	unsigned char *act = NULL, *blk = NULL;
	cp_svc_reader r;
	int plan_visible = 0, rc;

	if (ctx->account == 0)
		return 0;
	if ((rc = cp_svc_reader_of(ctx, &r)))
		return rc;
	rc = visibility(full, &r, &act, &blk, &plan_visible);
	free(act);
	free(blk);
	cp_svc_reader_free(&r);
	if (!rc && !plan_visible)
		rc = record_unreleasable(ctx, store, "read", plan_id, "the plan",
		                         cp_error(COPLAN_ENOTFOUND, "no such plan"));
	return rc;
}

/* 1 when b holds every nation of a's REL TO list (b without a list: every nation). */
static int nations_within(const coplan_label *a, const coplan_label *b)
{
	if (b->releasable_to_all)
		return 1;
	if (a->releasable_to_all)
		return 0;
	for (size_t i = 0; i < a->n_nations; i++) {
		size_t k = 0;

		while (k < b->n_nations && strcmp(a->nations[i], b->nations[k]))
			k++;
		if (k == b->n_nations)
			return 0;
	}
	return 1;
}

/* 1 when changing was to now widens who may see: a nation added, the classification lowered, a caveat dropped. */
static int widens(const coplan_label *was, const coplan_label *now)
{
	if (now->level < was->level || !nations_within(now, was))
		return 1;
	for (size_t i = 0; i < was->n_caveats; i++) {
		size_t k = 0;

		while (k < now->n_caveats && strcmp(was->caveats[i], now->caveats[k]))
			k++;
		if (k == now->n_caveats)
			return 1;
	}
	return 0;
}

/* 1 when l's REL TO list names nation (a label without a list names no nation). */
static int names_nation(const coplan_label *l, const char *nation)
{
	for (size_t i = 0; !l->releasable_to_all && i < l->n_nations; i++)
		if (!strcmp(l->nations[i], nation))
			return 1;
	return 0;
}

/*
 * The rule of one label set on what (was: the label it had, NULL for
 * something new; now: the label it gets, both as they apply, the plan's
 * when the item has none): the reader must satisfy now, and a change that
 * widens needs the reader's nation in was's REL TO list.
 */
static int label_rule(const cp_svc_reader *r, const char *what, const coplan_label *was, const coplan_label *now,
                      const char *text)
{
	char shown[COPLAN_LABEL_TEXT_MAX + 1];

	if (coplan_label_format(shown, sizeof(shown), r->policy, now))
		snprintf(shown, sizeof(shown), "%.200s", text ? text : "");
	if (!coplan_label_permits(now, &r->reader))
		return cp_error(COPLAN_EDENIED, "%s: label '%s' is not releasable to you (%s): you may set only a "
		                "label you satisfy (docs/labels.md)", what, shown, r->nation);
	if (was && widens(was, now) && !names_nation(was, r->nation))
		return cp_error(COPLAN_EDENIED, "%s: label '%s' releases it more widely than its label now, whose "
		                "REL TO list does not name %s: only a nation it names may widen it (add a nation, "
		                "lower the classification, drop a caveat; docs/labels.md)", what, shown, r->nation);
	return 0;
}

/* Label text of an item or the plan: equal when both NULL or the same text. */
static int same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* 1 when blackout b of p has its twin (every field, label included) in q. */
static int blackout_in(const coplan_blackout *b, const coplan_plan *q)
{
	for (size_t k = 0; k < q->n_blackouts; k++) {
		const coplan_blackout *c = &q->blackouts[k];

		if (!strcmp(b->scope, c->scope) && b->from == c->from && b->to == c->to && b->hard == c->hard &&
		    same_text(b->reason, c->reason) && same_text(b->label, c->label))
			return 1;
	}
	return 0;
}

int cp_svc_label_guard(const coplan_ctx *ctx, const coplan_plan *before, const coplan_plan *after)
{
	coplan_label was_plan, now_plan, was, now;
	cp_svc_reader r;
	char what[96];
	int rc, plan_changed;

	if (ctx->account == 0)
		return 0;
	if ((rc = cp_svc_reader_of(ctx, &r)))
		return rc;
	memset(&was_plan, 0, sizeof(was_plan));
	if ((before && (rc = coplan_plan_label(before, r.policy, &was_plan))) ||
	    (rc = coplan_plan_label(after, r.policy, &now_plan)))
		goto end;
	plan_changed = !before || !same_text(before->label, after->label);
	if (plan_changed && (after->label || before))
		rc = label_rule(&r, "the plan", before ? &was_plan : NULL, &now_plan, after->label);
	for (size_t i = 0; i < after->n_activities && !rc; i++) {
		const coplan_activity *a = &after->activities[i];
		long k = before ? coplan_plan_find(before, a->ref) : -1;
		const coplan_activity *b = k >= 0 ? &before->activities[k] : NULL;

		if (b ? same_text(a->label, b->label) && !plan_changed : !a->label)
			continue; /* unchanged, or new with the plan's label (the plan's own rule above) */
		snprintf(what, sizeof(what), "activity '%.64s'", a->ref);
		if ((rc = coplan_item_label(&now_plan, a->label, r.policy, &now)) ||
		    (b && (rc = coplan_item_label(&was_plan, b->label, r.policy, &was))))
			break;
		rc = label_rule(&r, what, b ? &was : NULL, &now, a->label);
	}
	/* a blackout is added or deleted, never relabelled: a new one's label must be the reader's to set */
	for (size_t k = 0; k < after->n_blackouts && !rc; k++) {
		const coplan_blackout *b = &after->blackouts[k];

		if (!b->label || (before && blackout_in(b, before)))
			continue;
		snprintf(what, sizeof(what), "the blackout of '%.64s'", b->scope);
		if (!(rc = coplan_item_label(&now_plan, b->label, r.policy, &now)))
			rc = label_rule(&r, what, NULL, &now, b->label);
	}
end:
	cp_svc_reader_free(&r);
	return rc;
}

int cp_svc_release(const coplan_ctx *ctx, coplan_plan *plan)
{
	cp_svc_reader r;
	int rc;

	if (!plan || ctx->account == 0)
		return 0;
	if (!(rc = cp_svc_reader_of(ctx, &r)))
		rc = cp_svc_filter(plan, &r);
	cp_svc_reader_free(&r);
	return rc;
}

int cp_svc_audit_unreleasable(const coplan_ctx *ctx, coplan_store *store, const char *action, long plan_id,
                              const char *ref, int rc)
{
	unsigned char *act = NULL, *blk = NULL;
	coplan_plan *full = NULL;
	cp_svc_reader r;
	char *saved, what[96] = "";
	long id = 0, i;
	int plan_visible;

	if (rc != COPLAN_ENOTFOUND || ctx->account <= 0)
		return rc;
	if (!(saved = cp_strdup(coplan_error_last())))
		return rc;
	memset(&r, 0, sizeof(r));
	if (!cp_svc_reader_of(ctx, &r) && !coplan_store_load_plan(store, plan_id, &full, &id) &&
	    !visibility(full, &r, &act, &blk, &plan_visible)) {
		if (!plan_visible)
			snprintf(what, sizeof(what), "%s", "the plan");
		else if (ref && (i = coplan_service_find_activity(full, ref)) >= 0 && !act[i])
			snprintf(what, sizeof(what), "activity %.64s", full->activities[i].ref);
	}
	free(act);
	free(blk);
	coplan_plan_free(full);
	cp_svc_reader_free(&r);
	cp_error(rc, "%s", saved);
	free(saved);
	return *what ? record_unreleasable(ctx, store, action, id, what, rc) : rc;
}

int cp_svc_check_labels(const coplan_plan *plan)
{
	return coplan_plan_labels_check(plan);
}

int cp_svc_unfilter(const coplan_ctx *ctx, coplan_store *store, long id, coplan_plan *plan)
{
	cp_svc_reader r;
	coplan_plan *full = NULL;
	int rc;

	if (ctx->account == 0)
		return 0;
	if ((rc = cp_svc_reader_of(ctx, &r)))
		return rc;
	if (!(rc = coplan_store_load_plan(store, id, &full, NULL)))
		rc = cp_svc_merge_hidden(plan, full, &r);
	coplan_plan_free(full);
	cp_svc_reader_free(&r);
	return rc;
}

int cp_svc_events_filter(const coplan_ctx *ctx, const coplan_plan *plan, coplan_activity_event **events,
                         size_t *n)
{
	size_t kept = 0;

	if (ctx->account == 0)
		return 0;
	for (size_t k = 0; k < *n; k++) {
		coplan_activity_event *e = &(*events)[k];
		int keep = 0;

		for (size_t i = 0; i < plan->n_activities && !keep; i++) {
			const coplan_activity *a = &plan->activities[i];

			keep = *e->uuid ? !strcmp(e->uuid, a->uuid)
			                : e->action == COPLAN_EVENT_STATUS && e->ref && !strcmp(e->ref, a->ref);
		}
		if (keep) {
			(*events)[kept++] = *e;
			continue;
		}
		free(e->ref);
		free(e->author);
		free(e->reason);
		free(e->detail);
	}
	*n = kept;
	return 0;
}

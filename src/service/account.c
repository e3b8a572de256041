/* SPDX-License-Identifier: Apache-2.0 */
/* account.c - users, roles per plan, logins and sessions: who may act on a plan, and as whom. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "service_int.h"

/*
 * Passwords: argon2id through libsodium, 2 passes over 19 MiB, the minimum
 * OWASP's Password Storage Cheat Sheet (2023) gives for argon2id; a stored
 * hash string carries its own parameters, so raising these later still
 * verifies older hashes.
 */
#define PWHASH_OPSLIMIT 2ULL
#define PWHASH_MEMLIMIT (19U * 1024U * 1024U)

/* The longest display name kept (bytes) and the longest session (seconds: 30 days). */
#define DISPLAY_NAME_MAX 200
#define SESSION_TTL_MAX (30L * 24 * 3600)

/* libsodium ready: sodium_init() is thread-safe and does nothing after its first success. */
static int sodium_ready(void)
{
	if (sodium_init() < 0)
		return cp_error(COPLAN_ERROR, "libsodium cannot start (no source of randomness?)");
	return 0;
}

/* A fresh 256-bit token as 43 characters of URL-safe base64 and a NUL. */
static void token_new(char token[COPLAN_TOKEN_LEN])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(token, COPLAN_TOKEN_LEN, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

/* 1 when token looks like one of ours (43 URL-safe base64 characters): anything else is not looked up. */
static int token_well_formed(const char *token)
{
	size_t n = 0;

	if (!token)
		return 0;
	for (; token[n] && n < COPLAN_TOKEN_LEN; n++) {
		char c = token[n];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return 0;
	}
	return n == COPLAN_TOKEN_LEN - 1;
}

/* The SHA-256 of token's text as 64 hex digits: all the store keeps of a token. */
static void token_sha256(char hex[65], const char *token)
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(hex, 65, h, sizeof(h));
}

/* 1 when name is a user name: 1-64 of letters, digits, '.', '-', '_'. */
static int name_valid(const char *name)
{
	size_t n = 0;

	if (!name)
		return 0;
	for (; name[n]; n++) {
		char c = name[n];

		if (n >= 64 || !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		                 c == '.' || c == '-' || c == '_'))
			return 0;
	}
	return n > 0;
}

static int password_check(const char *password)
{
	size_t n = password ? strlen(password) : 0;

	if (n < COPLAN_PASSWORD_MIN)
		return cp_error(COPLAN_EINVALID, "password: %zu bytes, at least %d needed", n, COPLAN_PASSWORD_MIN);
	if (n > COPLAN_PASSWORD_MAX)
		return cp_error(COPLAN_EINVALID, "password: %zu bytes, at most %d taken", n, COPLAN_PASSWORD_MAX);
	return 0;
}

/* The argon2id hash string of password into hash (crypto_pwhash_STRBYTES bytes). */
static int password_hash(char hash[crypto_pwhash_STRBYTES], const char *password)
{
	if (crypto_pwhash_argon2id_str(hash, password, strlen(password), PWHASH_OPSLIMIT,
	                               PWHASH_MEMLIMIT) != 0)
		return cp_error(COPLAN_ENOMEM, "out of memory hashing the password (argon2id needs %u MiB)",
		                PWHASH_MEMLIMIT / (1024U * 1024U));
	return 0;
}

/* ---- who may do what ------------------------------------------------------ */

/* The table of coplan/account.h: allowed[action][role]. */
static const unsigned char allowed[][COPLAN_PLAN_ROLE_OWNER + 1] = {
	/*                         none viewer reviewer planner owner */
	[COPLAN_ACTION_READ]    = { 0,   1,     1,       1,      1 },
	[COPLAN_ACTION_EDIT]    = { 0,   0,     0,       1,      1 },
	[COPLAN_ACTION_EXECUTE] = { 0,   0,     0,       1,      1 },
	[COPLAN_ACTION_AGREE]   = { 0,   0,     0,       1,      1 },
	[COPLAN_ACTION_SIGN]    = { 0,   0,     1,       0,      1 },
	[COPLAN_ACTION_ADMIN]   = { 0,   0,     0,       0,      1 },
};

int coplan_role_allows(coplan_plan_role role, coplan_action action)
{
	if ((int)role < 0 || role > COPLAN_PLAN_ROLE_OWNER || (int)action < 0 || action > COPLAN_ACTION_ADMIN)
		return 0;
	return allowed[action][role];
}

int coplan_access_may(const coplan_plan_access *access, coplan_action action, const coplan_activity *a)
{
	if (!coplan_role_allows(access->role, action))
		return 0;
	/* a planner edits and records only their nation's activities (cp_svc_nation_guard()) */
	return !access->restricted || !a || (action != COPLAN_ACTION_EDIT && action != COPLAN_ACTION_EXECUTE) ||
	       cp_svc_activity_involves(a, access->nation);
}

static const char *const action_words[] = {
	[COPLAN_ACTION_READ] = "reading it",
	[COPLAN_ACTION_EDIT] = "editing it",
	[COPLAN_ACTION_EXECUTE] = "recording its execution",
	[COPLAN_ACTION_AGREE] = "saving a version",
	[COPLAN_ACTION_SIGN] = "signing a version",
	[COPLAN_ACTION_ADMIN] = "granting roles, copying or deleting it",
};

static const char *const action_needs[] = {
	[COPLAN_ACTION_READ] = "any role",
	[COPLAN_ACTION_EDIT] = "the role planner or owner",
	[COPLAN_ACTION_EXECUTE] = "the role planner or owner",
	[COPLAN_ACTION_AGREE] = "the role planner or owner",
	[COPLAN_ACTION_SIGN] = "the role reviewer or owner",
	[COPLAN_ACTION_ADMIN] = "the role owner",
};

/* ctx's account, enabled, into *who (display_name freed here: only the fixed fields are kept). */
static int acting_account(const coplan_ctx *ctx, coplan_store *store, coplan_account *who)
{
	int rc = coplan_store_account_get(store, ctx->account, NULL, who, NULL);

	if (rc == COPLAN_ENOTFOUND)
		return cp_error(COPLAN_EAUTH, "not logged in: no user %ld", ctx->account);
	if (rc)
		return rc;
	free(who->display_name);
	who->display_name = NULL;
	if (who->disabled)
		return cp_error(COPLAN_EAUTH, "user '%s' is disabled", who->name);
	return 0;
}

int cp_svc_whoami(const coplan_ctx *ctx, cp_svc_actor *out)
{
	coplan_store *store;
	coplan_account who;
	int rc;

	memset(out, 0, sizeof(*out));
	out->role = COPLAN_PLAN_ROLE_OWNER;
	if ((rc = cp_svc_store(ctx, &store)) || ctx->account == 0)
		return rc;
	if (ctx->account < 0)
		rc = cp_error(COPLAN_EAUTH, "not logged in: no user %ld", ctx->account);
	else
		rc = acting_account(ctx, store, &who);
	if (rc) {
		cp_svc_audit a;

		cp_svc_audit_init(&a, "authorize", 0, "%s", "");
		return cp_svc_audit_refused(ctx, store, &a, rc);
	}
	out->account = who.id;
	out->is_admin = who.is_admin;
	out->role = COPLAN_PLAN_ROLE_NONE;
	memcpy(out->name, who.name, sizeof(out->name));
	memcpy(out->nation, who.nation, sizeof(out->nation));
	return 0;
}

const char *cp_svc_author(const coplan_ctx *ctx, const cp_svc_actor *actor)
{
	return actor->account > 0 ? actor->name : ctx->user;
}

const char *cp_svc_author_nation(const coplan_ctx *ctx, const cp_svc_actor *actor)
{
	return actor->account > 0 ? actor->nation : ctx->nation;
}

int cp_svc_load_as(const coplan_ctx *ctx, long plan_id, coplan_action action, coplan_plan **plan,
                   long *id, cp_svc_actor *actor)
{
	cp_svc_actor ignored;
	coplan_store *store;
	int rc;

	*plan = NULL;
	if (!actor)
		actor = &ignored;
	memset(actor, 0, sizeof(*actor));
	if ((rc = cp_svc_store(ctx, &store)))
		return rc;
	/* a plan named by id: refused before it is read, so a refusal does not tell whether it exists */
	if (plan_id > 0 && (rc = cp_svc_actor_of(ctx, plan_id, action, actor)))
		return rc;
	if ((rc = coplan_store_load_plan(store, plan_id, plan, id)))
		return rc;
	if (plan_id <= 0)
		rc = cp_svc_actor_of(ctx, *id, action, actor);
	/* the one enforcement point of releasability: what the use case works on is what the reader may see */
	if (!rc && (rc = cp_svc_release(ctx, *plan)) == COPLAN_ENOTFOUND)
		rc = cp_svc_audit_unreleasable(ctx, store, "read", *id, NULL, rc);
	if (rc) {
		coplan_plan_free(*plan);
		*plan = NULL;
	}
	return rc;
}

/* cp_svc_actor_of() without the record of a refusal (a question, not an attempt). */
static int actor_of(const coplan_ctx *ctx, long plan_id, coplan_action action, cp_svc_actor *out)
{
	coplan_store *store;
	coplan_account who;
	int rc;

	memset(out, 0, sizeof(*out));
	out->role = COPLAN_PLAN_ROLE_OWNER;
	if ((rc = cp_svc_store(ctx, &store)))
		return rc;
	if (ctx->account == 0)
		return 0; /* the local operator of the command line: everything, as before accounts */
	if (ctx->account < 0)
		return cp_error(COPLAN_EAUTH, "not logged in: no user %ld", ctx->account);
	if (action < COPLAN_ACTION_READ || action > COPLAN_ACTION_ADMIN)
		return cp_error(COPLAN_EUSAGE, "action %d is none of coplan's", (int)action);
	if ((rc = acting_account(ctx, store, &who)))
		return rc;
	out->account = who.id;
	out->is_admin = who.is_admin;
	memcpy(out->name, who.name, sizeof(out->name));
	memcpy(out->nation, who.nation, sizeof(out->nation));
	if (plan_id <= 0) {
		out->role = COPLAN_PLAN_ROLE_NONE;
		if (!who.is_admin)
			return cp_error(COPLAN_EDENIED, "user '%s' is not an administrator: creating a plan and "
			                "managing users need one", who.name);
		return 0;
	}
	if ((rc = coplan_store_role_get(store, plan_id, who.id, &out->role)))
		return rc;
	if (!allowed[action][out->role]) {
		if (out->role == COPLAN_PLAN_ROLE_NONE)
			return cp_error(COPLAN_EDENIED, "user '%s' has no role on plan %ld: %s needs %s",
			                who.name, plan_id, action_words[action], action_needs[action]);
		return cp_error(COPLAN_EDENIED, "user '%s' is a %s of plan %ld: %s needs %s", who.name,
		                coplan_role_name(out->role), plan_id, action_words[action],
		                action_needs[action]);
	}
	out->restricted = out->role == COPLAN_PLAN_ROLE_PLANNER;
	return 0;
}

int cp_svc_actor_of(const coplan_ctx *ctx, long plan_id, coplan_action action, cp_svc_actor *out)
{
	int rc = actor_of(ctx, plan_id, action, out);

	if (cp_svc_audit_refusal_code(rc)) {
		/*
		 * every refusal is recorded: here in a short transaction of its own;
		 * inside a use case's transaction this entry is rolled back with it
		 * and cp_svc_audit_end() records the refusal after the rollback
		 */
		cp_svc_audit a;

		cp_svc_audit_init(&a, "authorize", plan_id > 0 ? plan_id : 0, "%s",
		                  action >= COPLAN_ACTION_READ && action <= COPLAN_ACTION_ADMIN
		                  ? action_words[action] : "");
		rc = cp_svc_audit_refused(ctx, ctx->store, &a, rc);
	}
	return rc;
}

int coplan_service_authorize(const coplan_ctx *ctx, long plan_id, coplan_action action)
{
	cp_svc_actor actor;

	return cp_svc_actor_of(ctx, plan_id, action, &actor);
}

int cp_svc_actor_check(const coplan_ctx *ctx, long plan_id, coplan_action action, cp_svc_actor *out)
{
	return actor_of(ctx, plan_id, action, out);
}

int coplan_service_role_of(const coplan_ctx *ctx, long plan_id, coplan_plan_role *role)
{
	cp_svc_actor actor;
	int rc;

	*role = COPLAN_PLAN_ROLE_NONE;
	rc = actor_of(ctx, plan_id, COPLAN_ACTION_READ, &actor);
	if (rc == COPLAN_EDENIED)
		return 0; /* no role: NONE, not an error */
	if (!rc)
		*role = actor.role;
	return rc;
}

/* ---- what a planner may touch: their nation's activities ------------------ */

int cp_svc_activity_involves(const coplan_activity *a, const char *nation)
{
	if (!strcmp(a->host, nation))
		return 1;
	for (size_t p = 0; p < a->n_participants; p++)
		if (!strcmp(a->participants[p], nation))
			return 1;
	return 0;
}

/* 1 when scope (of a blackout) is nation, or a unit named by an activity nation hosts or takes part in. */
static int scope_of_nation(const coplan_plan *plan, const char *scope, const char *nation)
{
	if (!strcmp(scope, nation))
		return 1;
	for (size_t i = 0; i < plan->n_activities; i++) {
		const coplan_activity *a = &plan->activities[i];

		if (!cp_svc_activity_involves(a, nation))
			continue;
		for (size_t u = 0; u < a->n_units; u++)
			if (!strcmp(a->units[u], scope))
				return 1;
	}
	return 0;
}

int coplan_access_may_blackout(const coplan_plan_access *access, const coplan_plan *plan, const char *scope)
{
	if (!coplan_role_allows(access->role, COPLAN_ACTION_EDIT))
		return 0;
	/* a planner changes their nation's blackouts and its units' (cp_svc_nation_guard()) */
	return !access->restricted || scope_of_nation(plan, scope, access->nation);
}

static int blackout_equal(const coplan_blackout *a, const coplan_blackout *b)
{
	return !strcmp(a->scope, b->scope) && a->from == b->from && a->to == b->to && a->hard == b->hard &&
	       !strcmp(a->reason ? a->reason : "", b->reason ? b->reason : "");
}

/* How many of plan's blackouts are b (a plan may hold the same one twice). */
static size_t blackout_count(const coplan_blackout *b, const coplan_plan *plan)
{
	size_t n = 0;

	for (size_t k = 0; k < plan->n_blackouts; k++)
		n += blackout_equal(b, &plan->blackouts[k]);
	return n;
}

/* 1 when blackout b is held a different number of times by the two plans: added or removed. */
static int blackout_changed(const coplan_blackout *b, const coplan_plan *before, const coplan_plan *after)
{
	return blackout_count(b, before) != blackout_count(b, after);
}

static int denied_activity(const cp_svc_actor *actor, const char *ref)
{
	return cp_error(COPLAN_EDENIED, "activity '%s' neither is hosted by %s nor has it taking part: a "
	                "planner changes only their nation's activities", ref, actor->nation);
}

int cp_svc_nation_guard(const cp_svc_actor *actor, const coplan_plan *before, const coplan_plan *after)
{
	coplan_change *changes = NULL;
	size_t n = 0;
	int rc;

	if (!actor->restricted)
		return 0;
	if ((rc = coplan_plan_compare(&changes, &n, before, after)))
		return rc;
	for (size_t k = 0; k < n && !rc; k++) {
		const char *ref = changes[k].ref;
		long i;
		const coplan_activity *a;

		if (changes[k].subject == COPLAN_CHANGE_BLACKOUT)
			continue; /* the blackouts' own rule follows */
		i = coplan_plan_find(before, ref);
		a = i >= 0 ? &before->activities[i] : NULL;

		if (!a) {
			i = coplan_plan_find(after, ref);
			a = i >= 0 ? &after->activities[i] : NULL;
		}
		if (!a || !cp_svc_activity_involves(a, actor->nation))
			rc = denied_activity(actor, ref);
	}
	coplan_changes_free(changes, n);
	/* blackouts added or removed: the nation's own, or its units' */
	for (size_t k = 0; k < before->n_blackouts && !rc; k++)
		if (blackout_changed(&before->blackouts[k], before, after) &&
		    !scope_of_nation(before, before->blackouts[k].scope, actor->nation))
			rc = cp_error(COPLAN_EDENIED, "the blackout of '%s' is not of %s or of a unit of its "
			              "activities: a planner changes only their nation's", before->blackouts[k].scope,
			              actor->nation);
	for (size_t k = 0; k < after->n_blackouts && !rc; k++)
		if (blackout_changed(&after->blackouts[k], before, after) &&
		    !scope_of_nation(after, after->blackouts[k].scope, actor->nation))
			rc = cp_error(COPLAN_EDENIED, "the blackout of '%s' is not of %s or of a unit of its "
			              "activities: a planner changes only their nation's", after->blackouts[k].scope,
			              actor->nation);
	/* imported holidays: only the nation's own */
	for (int side = 0; side < 2 && !rc; side++) {
		const coplan_plan *p = side ? after : before, *q = side ? before : after;

		for (size_t k = 0; k < p->n_holidays && !rc; k++) {
			const coplan_plan_holiday *h = &p->holidays[k];
			int kept = 0;

			if (!strcmp(h->nation, actor->nation))
				continue;
			for (size_t j = 0; j < q->n_holidays && !kept; j++)
				kept = !strcmp(q->holidays[j].nation, h->nation) && q->holidays[j].date == h->date;
			if (!kept)
				rc = cp_error(COPLAN_EDENIED, "the holidays of %s are not %s's: a planner imports "
				              "only their nation's", h->nation, actor->nation);
		}
	}
	return rc;
}

int cp_svc_grant_owner(const coplan_ctx *ctx, long plan_id)
{
	coplan_store *store;
	int rc;

	if (ctx->account <= 0)
		return 0;
	if ((rc = cp_svc_store(ctx, &store)))
		return rc;
	return coplan_store_role_set(store, plan_id, ctx->account, COPLAN_PLAN_ROLE_OWNER);
}

int cp_svc_plan_id(coplan_store *store, long plan_id, long *id)
{
	coplan_plan *plan = NULL;
	int rc;

	if (plan_id > 0) {
		*id = plan_id;
		return 0;
	}
	rc = coplan_store_load_plan(store, plan_id, &plan, id);
	coplan_plan_free(plan);
	return rc;
}

/* ---- users ------------------------------------------------------------------- */

/* The user named name (display_name freed), or COPLAN_ENOTFOUND. */
static int user_by_name(coplan_store *store, const char *name, coplan_account *out)
{
	int rc;

	if (!name_valid(name))
		return cp_error(COPLAN_ENOTFOUND, "no user '%.64s'", name ? name : "");
	if ((rc = coplan_store_account_get(store, 0, name, out, NULL)))
		return rc;
	free(out->display_name);
	out->display_name = NULL;
	return 0;
}

int coplan_service_user_add(const coplan_ctx *ctx, const char *name, const char *nation,
                            const char *display_name, const char *password, int is_admin, long *id)
{
	return coplan_service_user_add_cleared(ctx, name, nation, display_name, password, is_admin, NULL,
	                                       NULL, id);
}

/* clearance and caveats as the policy spells them into a (checked: deny what the policy does not know) */
static int clearance_set(coplan_account *a, const char *clearance, const char *caveats)
{
	coplan_label_policy *policy = NULL;
	coplan_label l;
	char text[COPLAN_ACCOUNT_CAVEATS_MAX + COPLAN_LABEL_NAME_MAX + 2];
	int rc, level = 0;
	size_t len = 0;

	if ((!clearance || !*clearance) && (!caveats || !*caveats))
		return 0;
	if (caveats && strlen(caveats) >= COPLAN_ACCOUNT_CAVEATS_MAX)
		return cp_error(COPLAN_ELIMIT, "caveats: at most %d bytes", COPLAN_ACCOUNT_CAVEATS_MAX - 1);
	if ((rc = coplan_label_policy_load(&policy, coplan_label_policy_default_path())))
		return rc;
	if (clearance && *clearance && (level = coplan_label_level_parse(policy, clearance)) < 0)
		rc = cp_error(COPLAN_EINVALID, "clearance '%.64s': not a level of the label policy (%s)", clearance,
		              coplan_label_policy_default_path());
	if (!rc) {
		/* the caveats read as a label's: each must be one the policy names */
		snprintf(text, sizeof(text), "%s %s", coplan_label_level_name(policy, level), caveats ? caveats : "");
		for (char *p = text; *p; p++)
			if (*p == ',')
				*p = ' ';
		if ((rc = coplan_label_parse(&l, policy, text)))
			rc = cp_error(COPLAN_EINVALID, "caveats '%.64s': the label policy (%s) does not name them all",
			              caveats ? caveats : "", coplan_label_policy_default_path());
	}
	if (!rc) {
		snprintf(a->clearance, sizeof(a->clearance), "%s", coplan_label_level_name(policy, level));
		for (size_t i = 0; i < l.n_caveats; i++)
			len += (size_t)snprintf(a->caveats + len, sizeof(a->caveats) - len, "%s%s", i ? " " : "",
			                        l.caveats[i]);
	}
	coplan_label_policy_free(policy);
	return rc;
}

int coplan_service_user_add_cleared(const coplan_ctx *ctx, const char *name, const char *nation,
                                    const char *display_name, const char *password, int is_admin,
                                    const char *clearance, const char *caveats, long *id)
{
	char hash[crypto_pwhash_STRBYTES];
	coplan_account a;
	coplan_store *store;
	cp_svc_audit audit;
	int rc;

	if (id)
		*id = 0;
	if ((rc = cp_svc_store(ctx, &store)) || (rc = sodium_ready()))
		return rc;
	if (!name_valid(name))
		return cp_error(COPLAN_EINVALID, "user name '%.64s%s': 1 to 64 letters, digits, '.', '-' or '_'",
		                name ? name : "", name && strlen(name) > 64 ? "..." : "");
	if (!nation || !coplan_nation_valid(nation))
		return cp_error(COPLAN_EINVALID, "nation '%s': expected ISO 3166-1 alpha-3, e.g. ITA",
		                nation ? nation : "");
	if (display_name && (strlen(display_name) > DISPLAY_NAME_MAX || coplan_text_check(display_name)))
		return cp_error(COPLAN_EINVALID, "display name: at most %d bytes of text without control "
		                "characters", DISPLAY_NAME_MAX);
	if ((rc = password_check(password)))
		return rc;
	/* refuse before the slow hash; checked again inside the transaction */
	if ((rc = coplan_service_authorize(ctx, 0, COPLAN_ACTION_ADMIN)))
		return rc;
	if ((rc = password_hash(hash, password)))
		return rc;
	memset(&a, 0, sizeof(a));
	snprintf(a.name, sizeof(a.name), "%s", name);
	memcpy(a.nation, nation, 4);
	a.display_name = (char *)(display_name ? display_name : "");
	a.is_admin = is_admin != 0;
	if ((rc = clearance_set(&a, clearance, caveats)))
		goto done;
	/* what the user may read is part of what is recorded (docs/labels.md) */
	if ((rc = cp_svc_audit_begin(ctx, store, &audit, "user add", 0, "user %s%s%s%s%s%s", name,
	                              is_admin ? " (administrator)" : "", a.clearance[0] ? " clearance " : "",
	                              a.clearance, a.caveats[0] ? " caveats " : "", a.caveats)))
		goto done;
	if (!(rc = coplan_service_authorize(ctx, 0, COPLAN_ACTION_ADMIN)))
		rc = coplan_store_account_add(store, &a, hash, coplan_ctx_now(ctx), id);
	rc = cp_svc_audit_end(ctx, store, &audit, rc);
done:
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

/* 0 when ctx's account may change target: an administrator, or target themselves (account 0 too). */
static int self_or_admin(const coplan_ctx *ctx, coplan_store *store, const coplan_account *target)
{
	coplan_account who;
	int rc;

	if (ctx->account == 0)
		return 0;
	if ((rc = acting_account(ctx, store, &who)))
		return rc;
	if (who.id == target->id || who.is_admin)
		return 0;
	return cp_error(COPLAN_EDENIED, "user '%s' is not an administrator: only '%s' or an "
	                "administrator changes the password of '%s'", who.name, target->name, target->name);
}

int coplan_service_user_passwd(const coplan_ctx *ctx, const char *name, const char *password)
{
	char hash[crypto_pwhash_STRBYTES];
	coplan_account target;
	coplan_store *store;
	cp_svc_audit audit;
	int rc;

	if ((rc = cp_svc_store(ctx, &store)) || (rc = sodium_ready()))
		return rc;
	if ((rc = password_check(password)))
		return rc;
	if ((rc = password_hash(hash, password)))
		return rc;
	if ((rc = cp_svc_audit_begin(ctx, store, &audit, "user passwd", 0, "user %.64s", name ? name : "")))
		goto done;
	if (!(rc = user_by_name(store, name, &target)) && !(rc = self_or_admin(ctx, store, &target)) &&
	    !(rc = coplan_store_account_update(store, target.id, hash, -1)))
		rc = coplan_store_session_delete(store, NULL, target.id, 0);
	rc = cp_svc_audit_end(ctx, store, &audit, rc);
done:
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

int coplan_service_user_disable(const coplan_ctx *ctx, const char *name, int disabled)
{
	cp_svc_audit audit;
	coplan_account target;
	coplan_store *store;
	int rc;

	if ((rc = cp_svc_store(ctx, &store)))
		return rc;
	if ((rc = cp_svc_audit_begin(ctx, store, &audit, disabled ? "user disable" : "user enable", 0,
	                              "user %.64s", name ? name : "")))
		return rc;
	if (!(rc = coplan_service_authorize(ctx, 0, COPLAN_ACTION_ADMIN)) &&
	    !(rc = user_by_name(store, name, &target))) {
		if (disabled && target.id == ctx->account)
			rc = cp_error(COPLAN_ECONFLICT, "user '%s' cannot disable themselves", target.name);
		else if (!(rc = coplan_store_account_update(store, target.id, NULL, disabled != 0)) && disabled)
			rc = coplan_store_session_delete(store, NULL, target.id, 0);
	}
	return cp_svc_audit_end(ctx, store, &audit, rc);
}

int coplan_service_users(const coplan_ctx *ctx, coplan_account **out, size_t *n)
{
	coplan_store *store;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = cp_svc_store(ctx, &store)) || (rc = coplan_service_authorize(ctx, 0, COPLAN_ACTION_ADMIN)))
		return rc;
	return coplan_store_accounts(store, out, n);
}

/* ---- roles ---------------------------------------------------------------------- */

int coplan_service_role_grant(const coplan_ctx *ctx, long plan_id, const char *user, coplan_plan_role role)
{
	coplan_role_grant *grants = NULL;
	coplan_account target;
	cp_svc_audit audit;
	coplan_store *store;
	size_t n = 0, owners = 0;
	coplan_plan_role had = COPLAN_PLAN_ROLE_NONE;
	long id;
	int rc;

	if ((rc = cp_svc_store(ctx, &store)))
		return rc;
	if (role < COPLAN_PLAN_ROLE_NONE || role > COPLAN_PLAN_ROLE_OWNER)
		return cp_error(COPLAN_EINVALID, "role %d (expected owner, planner, reviewer, viewer or none)",
		                (int)role);
	if ((rc = cp_svc_audit_begin(ctx, store, &audit, "role grant", plan_id, "user %.64s role %s",
	                              user ? user : "", coplan_role_name(role))))
		return rc;
	if ((rc = cp_svc_plan_id(store, plan_id, &id)) || (rc = cp_svc_audit_plan(store, &audit, id)) ||
	    (rc = coplan_service_authorize(ctx, id, COPLAN_ACTION_ADMIN)) ||
	    (rc = user_by_name(store, user, &target)) ||
	    (rc = coplan_store_role_get(store, id, target.id, &had)) ||
	    (rc = coplan_store_role_set(store, id, target.id, role)) ||
	    (rc = coplan_store_roles(store, id, &grants, &n)))
		goto end;
	/* a plan that had an owner keeps one: the last owner cannot be taken away */
	for (size_t k = 0; k < n; k++)
		owners += grants[k].role == COPLAN_PLAN_ROLE_OWNER;
	if (had == COPLAN_PLAN_ROLE_OWNER && owners == 0)
		rc = cp_error(COPLAN_ECONFLICT, "user '%s' is the last owner of plan %ld: make another "
		              "user owner first", target.name, id);
end:
	free(grants);
	return cp_svc_audit_end(ctx, store, &audit, rc);
}

int coplan_service_roles(const coplan_ctx *ctx, long plan_id, coplan_role_grant **out, size_t *n)
{
	coplan_store *store;
	long id;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = cp_svc_store(ctx, &store)) || (rc = cp_svc_plan_id(store, plan_id, &id)) ||
	    (rc = coplan_service_authorize(ctx, id, COPLAN_ACTION_READ)))
		return rc;
	return coplan_store_roles(store, id, out, n);
}

/* ---- logging in: sessions -------------------------------------------------------- */

static void session_fill(coplan_session *s, const coplan_account *a, const char *csrf, time_t expires)
{
	memset(s, 0, sizeof(*s));
	s->account_id = a->id;
	memcpy(s->name, a->name, sizeof(s->name));
	memcpy(s->nation, a->nation, sizeof(s->nation));
	s->is_admin = a->is_admin;
	snprintf(s->csrf, sizeof(s->csrf), "%s", csrf ? csrf : "");
	s->expires = expires;
}

static int login_refused(void)
{
	return cp_error(COPLAN_EAUTH, "wrong user name or password (or the user is disabled)");
}

int coplan_service_login(const coplan_ctx *ctx, const char *name, const char *password, long ttl,
                         char token[COPLAN_TOKEN_LEN], coplan_session *session)
{
	char *hash = NULL, tok[COPLAN_TOKEN_LEN], csrf[COPLAN_TOKEN_LEN], sha[65];
	cp_svc_audit audit;
	coplan_account a;
	coplan_store *store;
	time_t now = coplan_ctx_now(ctx);
	int rc, failures = 0, good = 0, found;

	memset(token, 0, COPLAN_TOKEN_LEN);
	memset(session, 0, sizeof(*session));
	memset(&a, 0, sizeof(a));
	if ((rc = cp_svc_store(ctx, &store)) || (rc = sodium_ready()))
		return rc;
	if (ttl <= 0 || ttl > SESSION_TTL_MAX)
		return cp_error(COPLAN_EUSAGE, "a session of %ld seconds (expected 1 to %ld)", ttl, SESSION_TTL_MAX);
	/* a name no user can have is refused at once: nothing of it is stored */
	if (!name_valid(name) || !password) {
		cp_svc_audit_init(&audit, "login", 0, "%s", "a name no user can have");
		return cp_svc_audit_refused(ctx, store, &audit, login_refused());
	}
	if ((rc = coplan_store_login_failures(store, name, now - COPLAN_LOGIN_WINDOW + 1, &failures)))
		return rc;
	if (failures >= COPLAN_LOGIN_FAILURES)
		return cp_error(COPLAN_ELIMIT, "too many failed logins of '%s' (%d within %d minutes): try "
		                "again later", name, failures, COPLAN_LOGIN_WINDOW / 60);
	rc = coplan_store_account_get(store, 0, name, &a, &hash);
	found = rc == 0;
	if (rc && rc != COPLAN_ENOTFOUND)
		return rc;
	if (strlen(password) <= COPLAN_PASSWORD_MAX) {
		if (found) {
			good = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
		} else {
			/* as long as a check against a real hash: the time does not tell who exists */
			char dummy[crypto_pwhash_STRBYTES];

			if ((rc = password_hash(dummy, password)))
				return rc;
		}
	}
	free(hash);
	hash = NULL;
	if (!good || a.disabled) {
		free(a.display_name);
		/* recorded, and failures older than the window (of any name) forgotten: the table stays small */
		if ((rc = cp_svc_audit_begin(ctx, store, &audit, "login", 0, "user %s", name)))
			return rc;
		audit.as_account = found ? a.id : 0;
		if (!(rc = coplan_store_login_failures_forget(store, NULL, now - COPLAN_LOGIN_WINDOW)) &&
		    !(rc = coplan_store_login_failure_add(store, name, now)))
			rc = cp_svc_audit_record(ctx, store, &audit, login_refused());
		if ((rc = coplan_store_end(store, rc)))
			return rc;
		return login_refused();
	}
	token_new(tok);
	token_new(csrf);
	token_sha256(sha, tok);
	if ((rc = cp_svc_audit_begin(ctx, store, &audit, "login", 0, "user %s", name)))
		goto done;
	audit.as_account = a.id;
	/* a good login forgets the failures of its name; old failures and sessions of anyone go */
	if (!(rc = coplan_store_login_failures_forget(store, name, 0)) &&
	    !(rc = coplan_store_login_failures_forget(store, NULL, now - COPLAN_LOGIN_WINDOW)) &&
	    !(rc = coplan_store_session_delete(store, NULL, 0, now)))
		rc = coplan_store_session_add(store, sha, a.id, csrf, now, now + ttl);
	if (!(rc = cp_svc_audit_end(ctx, store, &audit, rc))) {
		memcpy(token, tok, COPLAN_TOKEN_LEN);
		session_fill(session, &a, csrf, now + ttl);
	}
done:
	free(a.display_name);
	sodium_memzero(tok, sizeof(tok));
	return rc;
}

int coplan_service_session(const coplan_ctx *ctx, const char *token, coplan_session *session)
{
	char sha[65], csrf[COPLAN_TOKEN_LEN];
	coplan_account a;
	coplan_store *store;
	time_t expires = 0;
	long account = 0;
	int rc;

	memset(session, 0, sizeof(*session));
	if ((rc = cp_svc_store(ctx, &store)) || (rc = sodium_ready()))
		return rc;
	if (!token_well_formed(token))
		return cp_error(COPLAN_EAUTH, "not logged in");
	token_sha256(sha, token);
	rc = coplan_store_session_get(store, sha, &account, csrf, &expires);
	if (rc == COPLAN_ENOTFOUND)
		return cp_error(COPLAN_EAUTH, "not logged in (the session has ended)");
	if (rc)
		return rc;
	if (expires <= coplan_ctx_now(ctx)) {
		/* gone for good: a read-only database keeps it, and it is refused all the same */
		coplan_store_session_delete(store, sha, 0, 0);
		return cp_error(COPLAN_EAUTH, "the session has expired: log in again");
	}
	if ((rc = coplan_store_account_get(store, account, NULL, &a, NULL)))
		return rc == COPLAN_ENOTFOUND ? cp_error(COPLAN_EAUTH, "not logged in") : rc;
	free(a.display_name);
	if (a.disabled)
		return cp_error(COPLAN_EAUTH, "user '%s' is disabled", a.name);
	session_fill(session, &a, csrf, expires);
	return 0;
}

int coplan_service_logout(const coplan_ctx *ctx, const char *token)
{
	char sha[65], csrf[COPLAN_TOKEN_LEN];
	cp_svc_audit audit;
	coplan_store *store;
	time_t expires;
	int rc;

	if ((rc = cp_svc_store(ctx, &store)) || (rc = sodium_ready()))
		return rc;
	if (!token_well_formed(token))
		return 0;
	token_sha256(sha, token);
	if ((rc = cp_svc_audit_begin(ctx, store, &audit, "logout", 0, "%s", "a session")))
		return rc;
	/* who logs out: the session's account (none when it has ended already) */
	if (!coplan_store_session_get(store, sha, &audit.as_account, csrf, &expires)) {
		coplan_account who;

		if (!coplan_store_account_get(store, audit.as_account, NULL, &who, NULL)) {
			snprintf(audit.object, sizeof(audit.object), "user %s", who.name);
			free(who.display_name);
		}
	}
	rc = coplan_store_session_delete(store, sha, 0, 0);
	return cp_svc_audit_end(ctx, store, &audit, rc);
}

int coplan_session_csrf_check(const coplan_session *session, const char *csrf)
{
	size_t n = csrf ? strlen(csrf) : 0;

	if (sodium_ready())
		return COPLAN_ERROR;
	if (!session || n != COPLAN_TOKEN_LEN - 1 || strlen(session->csrf) != n ||
	    sodium_memcmp(session->csrf, csrf, n) != 0)
		return cp_error(COPLAN_EAUTH, "the form's CSRF token does not match the session's: reload the page");
	return 0;
}

/* ---- calendar feeds ---------------------------------------------------------------- */

#define FEED_KEY "feed"

/* The feed token that nonce derives, with the database's feed key. */
static void feed_token_of(char token[COPLAN_TOKEN_LEN], const unsigned char key[crypto_auth_hmacsha256_KEYBYTES],
                          const char *nonce)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, key, crypto_auth_hmacsha256_KEYBYTES);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)"coplan feed token\n", 18);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)nonce, strlen(nonce));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2base64(token, COPLAN_TOKEN_LEN, mac, sizeof(mac), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(mac, sizeof(mac));
	sodium_memzero(&st, sizeof(st));
}

int coplan_service_feed_token(const coplan_ctx *ctx, long plan_id, char token[COPLAN_TOKEN_LEN])
{
	unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
	char nonce[65], tok[COPLAN_TOKEN_LEN], sha[65];
	coplan_store *store;
	long id;
	int rc;

	memset(token, 0, COPLAN_TOKEN_LEN);
	if ((rc = cp_svc_store(ctx, &store)) || (rc = sodium_ready()))
		return rc;
	if (ctx->account <= 0)
		return cp_error(COPLAN_EAUTH, "a calendar feed belongs to a logged-in user");
	if ((rc = coplan_store_begin(store)))
		return rc;
	if ((rc = cp_svc_plan_id(store, plan_id, &id)) ||
	    (rc = coplan_service_authorize(ctx, id, COPLAN_ACTION_READ)))
		goto end;
	/* the database's feed key, made on first use (kept, never shown) */
	if ((rc = coplan_store_secret_get(store, FEED_KEY, key, sizeof(key))) == COPLAN_ENOTFOUND) {
		crypto_auth_hmacsha256_keygen(key);
		if (!(rc = coplan_store_secret_set(store, FEED_KEY, key, sizeof(key))))
			rc = coplan_store_secret_get(store, FEED_KEY, key, sizeof(key));
	}
	if (rc)
		goto end;
	rc = coplan_store_feed_token_get(store, ctx->account, id, nonce);
	if (rc == COPLAN_ENOTFOUND) {
		unsigned char raw[16];

		randombytes_buf(raw, sizeof(raw));
		sodium_bin2hex(nonce, sizeof(nonce), raw, sizeof(raw));
		feed_token_of(tok, key, nonce);
		token_sha256(sha, tok);
		rc = coplan_store_feed_token_add(store, sha, ctx->account, id, nonce);
	} else if (!rc) {
		feed_token_of(tok, key, nonce);
	}
end:
	if (!(rc = coplan_store_end(store, rc)))
		memcpy(token, tok, COPLAN_TOKEN_LEN);
	sodium_memzero(key, sizeof(key));
	sodium_memzero(tok, sizeof(tok));
	return rc;
}

int coplan_service_feed_account(const coplan_ctx *ctx, const char *token, coplan_session *session,
                                long *plan_id)
{
	coplan_plan_role role = COPLAN_PLAN_ROLE_NONE;
	coplan_account a;
	coplan_store *store;
	char sha[65];
	long account = 0, plan = 0;
	int rc;

	memset(session, 0, sizeof(*session));
	*plan_id = 0;
	if ((rc = cp_svc_store(ctx, &store)) || (rc = sodium_ready()))
		return rc;
	if (!token_well_formed(token))
		return cp_error(COPLAN_EAUTH, "no such calendar feed");
	token_sha256(sha, token);
	rc = coplan_store_feed_token_find(store, sha, &account, &plan);
	if (rc == COPLAN_ENOTFOUND)
		return cp_error(COPLAN_EAUTH, "no such calendar feed");
	if (rc || (rc = coplan_store_account_get(store, account, NULL, &a, NULL)))
		return rc == COPLAN_ENOTFOUND ? cp_error(COPLAN_EAUTH, "no such calendar feed") : rc;
	free(a.display_name);
	if (a.disabled)
		return cp_error(COPLAN_EAUTH, "user '%s' is disabled", a.name);
	if ((rc = coplan_store_role_get(store, plan, account, &role)))
		return rc;
	if (role == COPLAN_PLAN_ROLE_NONE)
		return cp_error(COPLAN_EAUTH, "no such calendar feed");
	session_fill(session, &a, NULL, 0);
	*plan_id = plan;
	return 0;
}

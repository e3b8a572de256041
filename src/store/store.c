/* SPDX-License-Identifier: Apache-2.0 */
/* store.c - the rules of the record above any storage backend: transactions, signed plans, versions, history. */
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "coplan/errors.h"
#include "coplan/export.h"
#include "coplan/import.h"
#include "coplan/sys/store_backend.h"
#include "../buf.h"
#include "../common.h"
#include "../label_int.h"
#include "tables.h"

struct coplan_store {
	coplan_store_backend *be;
	int depth;             /* open coplan_store_begin() calls: one transaction spans them all */
	int failed;            /* an inner step failed: the outermost end rolls back */
};

static int seal_missing(coplan_store *st);
static int history_verified(coplan_store *st, long plan_id, coplan_activity_event **out, size_t *n);

int coplan_store_open_backend(coplan_store **out, coplan_store_backend *be)
{
	coplan_store *st;
	int rc;

	if (!be)
		return cp_error(COPLAN_EUSAGE, "no storage backend");
	if (be->version != COPLAN_STORE_BACKEND_VERSION) {
		be->free(be);
		return cp_error(COPLAN_EINVALID, "a storage backend of interface version %u (this coplan "
		                "speaks %d)", be->version, COPLAN_STORE_BACKEND_VERSION);
	}
	if (!(st = calloc(1, sizeof(*st)))) {
		be->free(be);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	st->be = be;
	/* plans written before seals existed get theirs now (a read-only file is read unsealed) */
	if (!be->readonly && (rc = seal_missing(st))) {
		coplan_store_close(st);
		return rc;
	}
	*out = st;
	return 0;
}

coplan_store_backend *coplan_store_backend_of(coplan_store *store)
{
	return store ? store->be : NULL;
}

int coplan_store_is_postgresql(const char *name)
{
	return name && (!strncmp(name, "postgresql://", 13) || !strncmp(name, "postgres://", 11));
}

/* The backend the name says: a postgresql:// or postgres:// URI is PostgreSQL, anything else an SQLite file. */
static int open_named(coplan_store **out, const char *name, int create)
{
	coplan_store_backend *be = NULL;
	int rc;

	rc = coplan_store_is_postgresql(name) ? coplan_store_pg_open(&be, name, create)
	                                      : coplan_store_sqlite_open(&be, name, create);
	if (rc)
		return rc;
	return coplan_store_open_backend(out, be);
}

int coplan_store_open(coplan_store **out, const char *path)
{
	return open_named(out, path, 1);
}

int coplan_store_open_existing(coplan_store **out, const char *path)
{
	return open_named(out, path, 0);
}

void coplan_store_close(coplan_store *st)
{
	if (!st)
		return;
	if (st->depth > 0)
		st->be->rollback(st->be);
	st->be->free(st->be);
	free(st);
}

/*
 * Transactions nest: the outermost begin opens the backend's write
 * transaction, inner ones join it, and the outermost end commits, or rolls
 * back when any step inside failed.
 */
int coplan_store_begin(coplan_store *st)
{
	int rc;

	if (st->depth++ > 0)
		return 0;
	st->failed = 0;
	if ((rc = st->be->begin(st->be)))
		st->depth = 0;
	return rc;
}

int coplan_store_end(coplan_store *st, int rc)
{
	if (st->depth <= 0)
		return rc ? rc : cp_error(COPLAN_ERROR, "%s: no transaction to finish", st->be->name);
	if (--st->depth > 0) {
		if (rc)
			st->failed = 1;
		return rc;
	}
	if (rc == 0 && !st->failed)
		return st->be->commit(st->be);
	st->be->rollback(st->be);
	st->failed = 0;
	return rc ? rc : cp_error(COPLAN_ERROR, "%s: rolled back: a step of the transaction failed",
	                          st->be->name);
}

/* ---- seals: each plan's content and history, hashed after every write, checked on every read ---- */

/*
 * The SHA-256 of a history as its events' fields, in order, separated by
 * control characters; the author's nation only when one was recorded
 * (schema 11), so the seals of older histories stay what they were.
 */
static int history_digest(char hex[65], const coplan_activity_event *e, size_t n)
{
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	char from[COPLAN_DATE_ISO_LEN], to[COPLAN_DATE_ISO_LEN];
	int rc = 0;

	for (size_t i = 0; i < n && !rc; i++) {
		from[0] = to[0] = '\0';
		if (e[i].start != COPLAN_DATE_NONE)
			coplan_date_format_iso(e[i].start, from);
		if (e[i].end != COPLAN_DATE_NONE)
			coplan_date_format_iso(e[i].end, to);
		rc = cp_buf_printf(&b, "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s%s%s", e[i].ref ? e[i].ref : "",
		                   e[i].at, e[i].author ? e[i].author : "",
		                   coplan_activity_status_name(e[i].status), from, to,
		                   e[i].reason ? e[i].reason : "\x1d", e[i].nation[0] ? "\x1f" : "",
		                   e[i].nation);
		/*
		 * schema 11's nation and schema 12's fields, each only when set: an
		 * older entry hashes as it always did (a nation is three capitals,
		 * an action a lower-case word, so the two never read as each other)
		 */
		if (!rc && (e[i].action != COPLAN_EVENT_STATUS || *e[i].uuid || e[i].detail))
			rc = cp_buf_printf(&b, "\x1f%s\x1f%s\x1f%s", coplan_event_action_name(e[i].action),
			                   e[i].uuid, e[i].detail ? e[i].detail : "\x1d");
		if (!rc)
			rc = cp_buf_putc(&b, '\x1e');
	}
	if (!rc)
		rc = coplan_sha256_hex(hex, b.data ? b.data : "", b.len);
	cp_buf_release(&b);
	return rc;
}

/* Seal plan id's content as it now stands in the backend (inside the writing transaction). */
static int seal_content(coplan_store *st, long id)
{
	coplan_plan *plan = NULL;
	char hex[65];
	long got = id;
	int rc;

	if (!(rc = st->be->load_plan(st->be, id, &plan, &got)) && !(rc = coplan_plan_digest(hex, plan)))
		rc = st->be->seal_set(st->be, id, hex, NULL);
	coplan_plan_free(plan);
	return rc;
}

/* Seal plan id's history as it now stands in the backend. */
static int seal_history(coplan_store *st, long id)
{
	coplan_activity_event *events = NULL;
	size_t n = 0;
	char hex[65];
	int rc;

	if (!(rc = st->be->history(st->be, id, NULL, &events, &n)) && !(rc = history_digest(hex, events, n)))
		rc = st->be->seal_set(st->be, id, NULL, hex);
	coplan_activity_events_free(events, n);
	return rc;
}

typedef struct {
	long *ids;
	size_t n, cap;
} id_list;

static int collect_id(long id, const char *title, int year, void *payload)
{
	id_list *l = payload;

	(void)title;
	(void)year;
	if (cp_grow((void **)&l->ids, &l->cap, l->n + 1, sizeof(*l->ids)))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	l->ids[l->n++] = id;
	return 0;
}

/* Seal every plan that has no seal yet (written before schema 7), in one transaction. */
static int seal_missing(coplan_store *st)
{
	id_list plans = { 0 };
	char content[65], history[65];
	int rc, begun = 0;

	if ((rc = st->be->foreach_plan(st->be, collect_id, &plans)))
		goto done;
	for (size_t i = 0; i < plans.n && !rc; i++) {
		if ((rc = st->be->seal_get(st->be, plans.ids[i], content, history)) || (*content && *history))
			continue;
		if (!begun && !(rc = coplan_store_begin(st)))
			begun = 1;
		if (!rc && !*content)
			rc = seal_content(st, plans.ids[i]);
		if (!rc && !*history)
			rc = seal_history(st, plans.ids[i]);
	}
	if (begun)
		rc = coplan_store_end(st, rc);
done:
	free(plans.ids);
	return rc;
}

/*
 * Load plan_id and check it against its seal: a plan whose content does not
 * hash to the seal stored with it is COPLAN_ESTORE naming the plan (a
 * damaged row, or a change made outside coplan), never read as other content.
 */
static int load_verified_once(coplan_store *st, long plan_id, coplan_plan **out, long *plan_id_out,
                              int *mismatch, char *seal_out)
{
	char content[65], history[65], hex[65] = "";
	long id = plan_id;
	int rc;

	*out = NULL;
	if ((rc = st->be->load_plan(st->be, plan_id, out, &id)))
		return rc;
	if (!(rc = st->be->seal_get(st->be, id, content, history)) && (*content || !st->be->readonly)) {
		if (!*content)
			rc = cp_error(COPLAN_ESTORE, "%s: plan %ld has no seal: it was written outside coplan",
			              st->be->name, id);
		else if (!(rc = coplan_plan_digest(hex, *out)) && strcmp(hex, content) && ++*mismatch)
			rc = cp_error(COPLAN_ESTORE, "%s: plan %ld ('%s'): its content does not match the SHA-256 "
			              "stored with it: the file is damaged or the plan was changed outside "
			              "coplan ('coplan db check' says more)", st->be->name, id,
			              (*out)->title ? (*out)->title : "");
	}
	/* a read-only store's plan without a seal: its digest all the same */
	if (!rc && seal_out && !*hex)
		rc = coplan_plan_digest(hex, *out);
	if (!rc && seal_out)
		memcpy(seal_out, hex, sizeof(hex));
	if (rc) {
		coplan_plan_free(*out);
		*out = NULL;
		return rc;
	}
	if (plan_id_out)
		*plan_id_out = id;
	return 0;
}

/*
 * Outside a transaction the plan and its seal are two reads: another
 * process's write committed between them makes them disagree for a moment.
 * A mismatch is read again (a few times) before it is called damage;
 * inside a transaction no other writer can come between, so once is final.
 */
#define SEAL_READS 5

static int load_verified_sealed(coplan_store *st, long plan_id, coplan_plan **out, long *plan_id_out,
                                char *seal_out)
{
	int rc = 0, mismatch = 0;

	for (int i = 0; i < (st->depth > 0 ? 1 : SEAL_READS); i++) {
		mismatch = 0;
		if (!(rc = load_verified_once(st, plan_id, out, plan_id_out, &mismatch, seal_out)) || !mismatch)
			break;
	}
	return rc;
}

static int load_verified(coplan_store *st, long plan_id, coplan_plan **out, long *plan_id_out)
{
	return load_verified_sealed(st, plan_id, out, plan_id_out, NULL);
}

int coplan_store_insert_plan(coplan_store *st, const coplan_plan *plan, long *plan_id)
{
	long id = 0;
	int rc;

	if ((rc = coplan_plan_validate(plan)))
		return rc;
	if ((rc = coplan_store_begin(st)))
		return rc;
	if (!(rc = st->be->insert_plan(st->be, plan, &id)) && !(rc = seal_content(st, id)) &&
	    !(rc = seal_history(st, id)) && plan_id)
		*plan_id = id;
	return coplan_store_end(st, rc);
}

int coplan_store_load_plan(coplan_store *st, long plan_id, coplan_plan **out, long *plan_id_out)
{
	return load_verified(st, plan_id, out, plan_id_out);
}

int coplan_store_load_plan_sealed(coplan_store *st, long plan_id, coplan_plan **out, long *plan_id_out,
                                  char content[65])
{
	return load_verified_sealed(st, plan_id, out, plan_id_out, content);
}

int coplan_store_foreach_plan(coplan_store *st,
                              int (*fn)(long id, const char *title, int year, void *payload),
                              void *payload)
{
	return st->be->foreach_plan(st->be, fn, payload);
}

/* COPLAN_EINVALID naming field when text is not one every format and terminal can carry (coplan_text_check()). */
static int text_field(const char *field, const char *text)
{
	char why[256];

	if (coplan_text_check(text) == 0)
		return 0;
	snprintf(why, sizeof(why), "%s", coplan_error_last());
	return cp_error(COPLAN_EINVALID, "%s: %s", field, why);
}

/* ---- versions ---------------------------------------------------------- */

static const char *const version_states[] = { "draft", "agreed", "signed" };

const char *coplan_version_state_name(coplan_version_state state)
{
	return (size_t)state < CP_ARRAY_SIZE(version_states) ? version_states[state] : "draft";
}

int coplan_version_state_parse(coplan_version_state *out, const char *name)
{
	for (size_t i = 0; i < CP_ARRAY_SIZE(version_states); i++) {
		if (cp_strcaseeq(name, version_states[i])) {
			*out = (coplan_version_state)i;
			return 0;
		}
	}
	return cp_error(COPLAN_EINVALID, "unknown version state '%s' (expected draft, agreed or signed)",
	                name ? name : "");
}

/*
 * Every read of a version checks its snapshot against the SHA-256 stored
 * with it: a damaged file or a version changed outside coplan is an error
 * naming the version, never a plan read as if nothing happened.
 */
static int verify_snapshot(coplan_store *st, long plan_id, int number, const char *snapshot,
                           size_t len, const char *stored)
{
	char hex[65];
	int rc;

	if (!stored || strlen(stored) != 64)
		return cp_error(COPLAN_ESTORE, "%s: plan %ld, version %d: no SHA-256 is stored with its "
		                "snapshot: the version was written outside coplan", st->be->name, plan_id, number);
	if ((rc = coplan_sha256_hex(hex, snapshot ? snapshot : "", len)))
		return rc;
	if (strcmp(hex, stored))
		return cp_error(COPLAN_ESTORE, "%s: plan %ld, version %d: its snapshot does not match the "
		                "SHA-256 stored with it: the file is damaged or the version was changed "
		                "outside coplan", st->be->name, plan_id, number);
	return 0;
}

/* The rule of the record: once the newest version is signed, the plan is never changed in place. */
static int refuse_if_signed(coplan_store *st, long plan_id)
{
	coplan_version_state state = COPLAN_VERSION_DRAFT;
	int number, rc;

	if ((rc = st->be->version_newest(st->be, plan_id, &number, &state, NULL, NULL, NULL)))
		return rc;
	if (number > 0 && state == COPLAN_VERSION_SIGNED)
		return cp_error(COPLAN_ECONFLICT,
		                "plan %ld is signed (version %d): a signed plan is never changed; "
		                "start an amendment first (coplan amend)",
		                plan_id, number);
	return 0;
}

/* foreach_plan() callback: stop (1) at the plan looked for. */
static int is_plan(long id, const char *title, int year, void *payload)
{
	(void)title;
	(void)year;
	return id == *(const long *)payload;
}

int coplan_store_plan_stamp(coplan_store *st, long plan_id, char stamp[65])
{
	char content[65], history[65], text[200];
	coplan_version_state state = COPLAN_VERSION_DRAFT;
	int number = 0, rc, n;

	*stamp = '\0';
	if ((rc = st->be->foreach_plan(st->be, is_plan, &plan_id)) < 0)
		return rc;
	if (rc != 1)
		return cp_error(COPLAN_ENOTFOUND, "no plan %ld", plan_id);
	if ((rc = st->be->seal_get(st->be, plan_id, content, history)) ||
	    (rc = st->be->version_newest(st->be, plan_id, &number, &state, NULL, NULL, NULL)))
		return rc;
	n = snprintf(text, sizeof(text), "%s|%s|%d|%d", content, history, number, (int)state);
	return coplan_sha256_hex(stamp, text, (size_t)n);
}

int coplan_store_plan_editable(coplan_store *st, long plan_id)
{
	return refuse_if_signed(st, plan_id);
}

int coplan_store_delete_plan(coplan_store *st, long plan_id, const char *by, int force)
{
	coplan_plan *plan = NULL;
	long id = plan_id;
	int rc;

	if (!by || !*by)
		return cp_error(COPLAN_EINVALID, "deleting a plan needs its author");
	if ((rc = coplan_store_begin(st)))
		return rc;
	if (!(rc = st->be->load_plan(st->be, plan_id, &plan, &id)) && !force) {
		coplan_version_state state = COPLAN_VERSION_DRAFT;
		int number = 0;

		if (!(rc = st->be->version_newest(st->be, id, &number, &state, NULL, NULL, NULL)) && number &&
		    state == COPLAN_VERSION_SIGNED)
			rc = cp_error(COPLAN_ECONFLICT, "plan %ld is signed (version %d): a signed plan is "
			              "deleted only on purpose (--force; the record keeps it, marked deleted)",
			              id, number);
	}
	if (!rc)
		rc = st->be->delete_plan(st->be, id, by);
	coplan_plan_free(plan);
	return coplan_store_end(st, rc);
}

int coplan_store_update_plan(coplan_store *st, long plan_id, const coplan_plan *plan)
{
	coplan_plan *old = NULL;
	long id = plan_id;
	int rc;

	if ((rc = coplan_plan_validate(plan)))
		return rc;
	if ((rc = coplan_store_begin(st)))
		return rc;
	if (!(rc = load_verified(st, plan_id, &old, &id)) &&
	    !(rc = refuse_if_signed(st, id)) && !(rc = st->be->update_plan(st->be, id, plan, old)))
		rc = seal_content(st, id);
	coplan_plan_free(old);
	return coplan_store_end(st, rc);
}

int coplan_store_update_plan_from(coplan_store *st, long plan_id, const coplan_plan *old,
                                  const char old_content[65], const coplan_plan *plan)
{
	char content[65], history[65];
	int rc;

	if ((rc = coplan_plan_validate(plan)))
		return rc;
	if ((rc = coplan_store_begin(st)))
		return rc;
	/*
	 * Every write seals the plan again in its transaction: an unchanged seal
	 * is the plan old was loaded as (and checked against), so old stands in
	 * for loading and hashing the stored plan again.
	 */
	if (!(rc = st->be->seal_get(st->be, plan_id, content, history)) &&
	    (!*content || strcmp(content, old_content)))
		rc = cp_error(COPLAN_ECONFLICT, "plan %ld changed since it was read (another officer's "
		              "change): nothing was written", plan_id);
	if (!rc && !(rc = refuse_if_signed(st, plan_id)) &&
	    !(rc = st->be->update_plan(st->be, plan_id, plan, old)))
		rc = seal_content(st, plan_id);
	return coplan_store_end(st, rc);
}

int coplan_store_version_save(coplan_store *st, long plan_id, coplan_version_state state,
                              const char *author, const char *note, int *number_out)
{
	return coplan_store_version_save_as(st, plan_id, state, author, NULL, note, number_out);
}

int coplan_store_version_save_as(coplan_store *st, long plan_id, coplan_version_state state,
                                 const char *author, const char *nation, const char *note,
                                 int *number_out)
{
	coplan_version_state last_state = COPLAN_VERSION_DRAFT;
	coplan_plan *plan = NULL;
	char *snapshot = NULL, *last = NULL, last_sha[65], sha[65];
	size_t len = 0, last_len = 0;
	long id = plan_id;
	int rc, last_number = 0;

	if (!author || !*author)
		return cp_error(COPLAN_EINVALID, "a plan version needs its author");
	/* the record's text is what every document and terminal shows: no control characters */
	if ((rc = text_field("author", author)) || (note && (rc = text_field("note", note))))
		return rc;
	if (nation && *nation && !coplan_nation_valid(nation))
		return cp_error(COPLAN_EINVALID, "author's nation '%s': expected ISO 3166-1 alpha-3", nation);
	if ((rc = coplan_store_begin(st)))
		return rc;
	if ((rc = load_verified(st, plan_id, &plan, &id)))
		goto cleanup;
	if ((rc = coplan_plan_snapshot(&snapshot, &len, plan)))
		goto cleanup;
	if ((rc = coplan_sha256_hex(sha, snapshot, len)))
		goto cleanup;
	if ((rc = st->be->version_newest(st->be, id, &last_number, &last_state, &last, &last_len, last_sha)))
		goto cleanup;
	if (last_number > 0 && (rc = verify_snapshot(st, id, last_number, last, last_len, last_sha)))
		goto cleanup;
	if (state == COPLAN_VERSION_SIGNED &&
	    (last_number == 0 || last_state != COPLAN_VERSION_AGREED || !last || last_len != len ||
	     memcmp(last, snapshot, len))) {
		rc = cp_error(COPLAN_ECONFLICT, "plan %ld: only a version saved as agreed, unchanged since, "
		              "can be signed (save it with --state agreed first)", id);
		goto cleanup;
	}
	if (state == COPLAN_VERSION_AGREED && last_number > 0 && last_state == COPLAN_VERSION_SIGNED) {
		rc = cp_error(COPLAN_ECONFLICT, "plan %ld: version %d is signed; an amendment starts as a "
		              "draft (--state draft)", id, last_number);
		goto cleanup;
	}
	if ((rc = st->be->version_insert(st->be, id, last_number + 1, state, author, nation, note,
	                                  snapshot, len, sha)))
		goto cleanup;
	if (number_out)
		*number_out = last_number + 1;
cleanup:
	coplan_plan_free(plan);
	free(snapshot);
	free(last);
	return coplan_store_end(st, rc);
}

void coplan_plan_versions_free(coplan_plan_version *versions, size_t n)
{
	for (size_t i = 0; versions && i < n; i++) {
		free(versions[i].author);
		free(versions[i].note);
	}
	free(versions);
}

/* Where problems go: a caller's function, counted; the first one's text kept for a refusal. */
typedef struct {
	void (*fn)(const char *problem, void *payload);
	void *payload;
	size_t n;
	char first[768];
} problems;

static void report(const char *text, void *payload)
{
	problems *p = payload;

	if (p->n++ == 0)
		snprintf(p->first, sizeof(p->first), "%s", text);
	if (p->fn)
		p->fn(text, p->payload);
}

/* Report the last error (coplan_error_last()) as a problem. */
static void report_error(problems *p)
{
	report(coplan_error_last(), p);
}

/*
 * The versions of plan_id as the rules of the record made them: numbered
 * 1, 2, ... without a gap; each snapshot matching its SHA-256; a signed
 * version right after an agreed one of the same snapshot; no agreed
 * version right after a signed one.  A version inserted or changed outside
 * coplan (the guards dropped) breaks one of these.  Each problem to p;
 * returns 0, or COPLAN_ENOMEM / an error that stopped the reading (reported too).
 */
static int verify_versions(coplan_store *st, long plan_id, const coplan_plan_version *v, size_t n,
                           problems *p)
{
	char text[512];

	for (size_t i = 0; i < n; i++) {
		char *snapshot = NULL, sha[65];
		size_t len = 0;
		int found = 0, rc;

		if (v[i].number != (int)i + 1) {
			snprintf(text, sizeof(text), "%s: plan %ld: version %d where version %zu was expected: "
			         "versions were inserted or removed outside coplan", st->be->name, plan_id,
			         v[i].number, i + 1);
			report(text, p);
		}
		rc = st->be->version_snapshot(st->be, plan_id, v[i].number, &snapshot, &len, &found, sha);
		if (rc == COPLAN_ENOMEM)
			return rc;
		if (!rc && (rc = verify_snapshot(st, plan_id, v[i].number, snapshot, len, sha)) == COPLAN_ENOMEM) {
			free(snapshot);
			return rc;
		}
		free(snapshot);
		if (rc) {
			report_error(p);
			continue;
		}
		if (strcmp(sha, v[i].sha256)) {
			snprintf(text, sizeof(text), "%s: plan %ld, version %d: read twice, two different "
			         "SHA-256: the file is damaged", st->be->name, plan_id, v[i].number);
			report(text, p);
		}
		if (v[i].state == COPLAN_VERSION_SIGNED &&
		    (i == 0 || v[i - 1].state != COPLAN_VERSION_AGREED || strcmp(v[i - 1].sha256, v[i].sha256))) {
			snprintf(text, sizeof(text), "%s: plan %ld, version %d is signed but is not the version "
			         "agreed just before it: it was not saved by coplan", st->be->name, plan_id,
			         v[i].number);
			report(text, p);
		}
		if (v[i].state == COPLAN_VERSION_AGREED && i > 0 && v[i - 1].state == COPLAN_VERSION_SIGNED) {
			snprintf(text, sizeof(text), "%s: plan %ld, version %d is agreed right after signed "
			         "version %d: it was not saved by coplan", st->be->name, plan_id, v[i].number,
			         v[i - 1].number);
			report(text, p);
		}
	}
	return 0;
}

int coplan_store_versions(coplan_store *st, long plan_id, coplan_plan_version **out, size_t *n)
{
	problems p = { 0 };
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = st->be->versions(st->be, plan_id, out, n)))
		return rc;
	if (!(rc = verify_versions(st, plan_id, *out, *n, &p)) && p.n)
		rc = cp_error(COPLAN_ESTORE, "%s%s", p.first, p.n > 1 ? " (and more: coplan db check lists all)" : "");
	if (rc) {
		coplan_plan_versions_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int coplan_store_version_load(coplan_store *st, long plan_id, int number, coplan_plan **out)
{
	char *snapshot = NULL, name[64], sha[65];
	size_t len = 0;
	int rc, found = number;

	if ((rc = st->be->version_snapshot(st->be, plan_id, number, &snapshot, &len, &found, sha)))
		return rc;
	if (!(rc = verify_snapshot(st, plan_id, found, snapshot, len, sha))) {
		snprintf(name, sizeof(name), "version %d", found);
		rc = coplan_plan_from_snapshot(out, name, snapshot, len);
	}
	free(snapshot);
	return rc;
}

/* ---- the database as a whole: check, backup, restore --------------------- */

void coplan_store_set_busy_timeout(coplan_store *st, int ms)
{
	st->be->set_busy_timeout(st->be, ms < 0 ? 0 : ms);
}

/* The position of column name in table's column list (tables.h), or -1. */
static int column_index(const char *table, const char *name)
{
	size_t len = strlen(name);

	for (size_t t = 0; t < CP_STORE_N_TABLES; t++) {
		const char *c = cp_store_tables[t].columns;

		if (strcmp(cp_store_tables[t].name, table))
			continue;
		for (int i = 0; *c; i++) {
			if (!strncmp(c, name, len) && (c[len] == ',' || c[len] == '\0'))
				return i;
			c += strcspn(c, ",");
			c += strspn(c, ", ");
		}
	}
	return -1;
}

/* One table's rows of one plan against the rel_to the plan's labels give them. */
typedef struct {
	const coplan_plan *plan;
	long plan_id;
	const char *table;
	int plan_col, label_col, rel_col, name_col;
	problems *p;
	int rc;
} rel_to_check;

static int rel_to_row(const char *const *values, void *payload)
{
	rel_to_check *c = payload;
	char *want = NULL, msg[512];
	int rc;

	if (!values[c->plan_col] || strtol(values[c->plan_col], NULL, 10) != c->plan_id)
		return 0;
	rc = cp_label_rel_to(&want, values[c->label_col], c->plan->label, c->plan->nations, c->plan->n_nations);
	if (rc == COPLAN_ENOMEM)
		return c->rc = rc;
	if (rc || !values[c->rel_col] || strcmp(want, values[c->rel_col])) {
		snprintf(msg, sizeof(msg), "plan %ld: %s %s: releasable-to nations '%s' do not match its label "
		         "(expected '%s'; the next write of the plan rewrites them)", c->plan_id, c->table,
		         values[c->name_col] ? values[c->name_col] : "?",
		         values[c->rel_col] ? values[c->rel_col] : "NULL", want ? want : "none: the label is invalid");
		report(msg, c->p);
	}
	free(want);
	return 0;
}

/*
 * Schema 17: each activity's and blackout's rel_to is what its effective
 * label gives (src/label_int.h), since a publication's row filter trusts it.
 */
static int check_rel_to(coplan_store *st, long plan_id, const coplan_plan *plan, problems *p)
{
	static const char *const tables[][2] = { { "activity", "ref" }, { "blackout", "id" } };
	int rc = 0;

	for (size_t t = 0; t < 2 && !rc; t++) {
		rel_to_check c = { plan, plan_id, tables[t][0], column_index(tables[t][0], "plan_id"),
		                   column_index(tables[t][0], "label"), column_index(tables[t][0], "rel_to"),
		                   column_index(tables[t][0], tables[t][1]), p, 0 };

		if (c.plan_col < 0 || c.label_col < 0 || c.rel_col < 0 || c.name_col < 0)
			return cp_error(COPLAN_ERROR, "%s: no column rel_to in tables.h", tables[t][0]);
		rc = st->be->rows_read(st->be, tables[t][0], rel_to_row, &c);
		if (!rc)
			rc = c.rc;
		if (rc && rc != COPLAN_ENOMEM) {
			report_error(p);
			rc = 0;
		}
	}
	return rc;
}

int coplan_store_check(coplan_store *st, int quick, void (*fn)(const char *problem, void *payload),
                       void *payload, size_t *n_problems)
{
	problems p = { fn, payload, 0, "" };
	id_list plans = { 0 };
	int rc;

	if (n_problems)
		*n_problems = 0;
	if (st->depth > 0)
		return cp_error(COPLAN_EUSAGE, "%s: a check runs outside a transaction", st->be->name);
	if ((rc = st->be->check(st->be, quick, report, &p)))
		return rc;
	/* every version of every plan, unless the file is too damaged to list the plans */
	if ((rc = st->be->foreach_plan(st->be, collect_id, &plans))) {
		if (rc == COPLAN_ENOMEM)
			goto done;
		report_error(&p);
		rc = 0;
	}
	for (size_t i = 0; i < plans.n && !quick; i++) {
		coplan_plan_version *v = NULL;
		coplan_activity_event *events = NULL;
		coplan_plan *plan = NULL;
		size_t n = 0;

		/* the plan and its history against their seals */
		if ((rc = load_verified(st, plans.ids[i], &plan, NULL)) == COPLAN_ENOMEM)
			goto done;
		if (rc)
			report_error(&p);
		else if ((rc = check_rel_to(st, plans.ids[i], plan, &p))) {
			coplan_plan_free(plan);
			goto done;
		}
		coplan_plan_free(plan);
		if ((rc = history_verified(st, plans.ids[i], &events, &n)) == COPLAN_ENOMEM)
			goto done;
		if (rc)
			report_error(&p);
		coplan_activity_events_free(events, n);
		n = 0;

		if ((rc = st->be->versions(st->be, plans.ids[i], &v, &n))) {
			if (rc == COPLAN_ENOMEM)
				goto done;
			report_error(&p);
			rc = 0;
			continue;
		}
		rc = verify_versions(st, plans.ids[i], v, n, &p);
		coplan_plan_versions_free(v, n);
		if (rc)
			goto done;
	}
done:
	free(plans.ids);
	if (n_problems)
		*n_problems = p.n;
	return rc;
}

int coplan_store_refuse_damaged(coplan_store *st)
{
	problems p = { 0 };
	int rc;

	if ((rc = st->be->check(st->be, 1, report, &p)))
		return rc;
	if (p.n)
		return cp_error(COPLAN_ESTORE, "%s: refused: %s%s", st->be->name, p.first,
		                p.n > 1 ? " (and more: coplan db check lists all)" : "");
	return 0;
}

int coplan_store_publish(coplan_store *st, const char *nation, char name[64])
{
	name[0] = '\0';
	if (!nation || strlen(nation) != 3 || !coplan_nation_valid(nation) || nation[0] < 'A' || nation[0] > 'Z' ||
	    nation[1] < 'A' || nation[1] > 'Z' || nation[2] < 'A' || nation[2] > 'Z')
		return cp_error(COPLAN_EINVALID, "unknown nation '%s' (expected ISO 3166-1 alpha-3 in upper case, "
		                "e.g. JPN)", nation ? nation : "");
	if (st->depth > 0)
		return cp_error(COPLAN_EUSAGE, "%s: a publication is made outside a transaction", st->be->name);
	return st->be->publish(st->be, nation, name);
}

int coplan_store_backup(coplan_store *st, const char *path)
{
	if (st->depth > 0)
		return cp_error(COPLAN_EUSAGE, "%s: a backup runs outside a transaction", st->be->name);
	return st->be->backup(st->be, path);
}

int coplan_store_restore(coplan_store *st, const char *path,
                         void (*fn)(const char *problem, void *payload), void *payload)
{
	coplan_store *from = NULL;
	size_t n = 0;
	int rc;

	if (st->depth > 0)
		return cp_error(COPLAN_EUSAGE, "%s: a restore runs outside a transaction", st->be->name);
	if (!path || !*path)
		return cp_error(COPLAN_EUSAGE, "no backup file given");
	{
		struct stat a, b;

		if (stat(path, &a) == 0 && stat(st->be->name, &b) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino)
			return cp_error(COPLAN_EUSAGE, "%s is the database itself: restore from a backup "
			                "(coplan db backup FILE makes one)", path);
	}
	/* the file first: a coplan database this program reads, whole, its versions as saved */
	if ((rc = coplan_store_open_existing(&from, path)))
		return rc;
	rc = coplan_store_check(from, 0, fn, payload, &n);
	coplan_store_close(from);
	if (rc)
		return rc;
	if (n)
		return cp_error(COPLAN_ESTORE, "%s: not restored: the backup has %zu problem%s (listed above); "
		                "nothing was changed", path, n, n == 1 ? "" : "s");
	return st->be->restore(st->be, path);
}

/* ---- execution history ------------------------------------------------- */

int coplan_status_change_check(const coplan_status_change *c)
{
	const char *ref = c->ref && *c->ref ? c->ref : "?";

	if (!c->ref || !*c->ref)
		return cp_error(COPLAN_EINVALID, "a status change needs the activity's reference");
	if (c->status == COPLAN_STATUS_POSTPONED &&
	    (c->start == COPLAN_DATE_NONE || c->end == COPLAN_DATE_NONE))
		return cp_error(COPLAN_EINVALID, "activity '%s': postponed needs the new first and last day", ref);
	if (c->status == COPLAN_STATUS_POSTPONED && c->end < c->start)
		return cp_error(COPLAN_EINVALID, "activity '%s': the new last day comes before the new "
		                "first day (expected --from on or before --to)", ref);
	if (c->status != COPLAN_STATUS_POSTPONED &&
	    (c->start != COPLAN_DATE_NONE || c->end != COPLAN_DATE_NONE))
		return cp_error(COPLAN_EINVALID, "activity '%s': new dates go with the status postponed only", ref);
	if ((c->status == COPLAN_STATUS_POSTPONED || c->status == COPLAN_STATUS_CANCELLED) &&
	    (!c->reason || !*c->reason))
		return cp_error(COPLAN_EINVALID, "activity '%s': %s needs a reason", ref,
		                coplan_activity_status_name(c->status));
	if (!c->author || !*c->author)
		return cp_error(COPLAN_EINVALID, "activity '%s': a status change needs its author", ref);
	if (text_field("author", c->author) || (c->reason && text_field("reason", c->reason)))
		return COPLAN_EINVALID;
	return 0;
}

/*
 * The rules a change must meet against the plan it changes: the activity
 * exists, and a postponement starts inside the plan's window (it moves an
 * activity later in the plan's year, never before the plan begins).
 */
static int status_change_check_plan(const coplan_status_change *c, const coplan_plan *plan)
{
	if (coplan_plan_find(plan, c->ref) < 0)
		return cp_error(COPLAN_ENOTFOUND, "no activity '%s' in plan '%s' (expected the ref of one "
		                "of its activities)", c->ref, plan->title ? plan->title : "");
	if (c->start != COPLAN_DATE_NONE && plan->window_from != COPLAN_DATE_NONE &&
	    c->start < plan->window_from)
		return cp_error(COPLAN_EINVALID, "activity '%s': new first day before the plan's window "
		                "(a postponement moves an activity later)", c->ref);
	return 0;
}

int coplan_store_set_statuses(coplan_store *st, long plan_id,
                              const coplan_status_change *changes, size_t n)
{
	return coplan_store_set_statuses_as(st, plan_id, changes, n, NULL);
}

int coplan_store_set_statuses_as(coplan_store *st, long plan_id,
                                 const coplan_status_change *changes, size_t n, const char *nation)
{
	coplan_plan *plan = NULL;
	long id = plan_id;
	int rc;

	if (nation && *nation && !coplan_nation_valid(nation))
		return cp_error(COPLAN_EINVALID, "author's nation '%s': expected ISO 3166-1 alpha-3", nation);
	for (size_t i = 0; i < n; i++)
		if ((rc = coplan_status_change_check(&changes[i])))
			return rc;
	if ((rc = coplan_store_begin(st)))
		return rc;
	if ((rc = load_verified(st, plan_id, &plan, &id)))
		goto cleanup;
	for (size_t i = 0; i < n && !rc; i++)
		if (!(rc = status_change_check_plan(&changes[i], plan)))
			rc = st->be->status_apply(st->be, id, &changes[i], nation);
	if (!rc && !(rc = seal_content(st, id)))
		rc = seal_history(st, id);
cleanup:
	coplan_plan_free(plan);
	return coplan_store_end(st, rc);
}

int coplan_store_set_status(coplan_store *st, long plan_id, const char *ref,
                            coplan_activity_status status, coplan_date start, coplan_date end,
                            const char *reason, const char *author)
{
	coplan_status_change c = { ref, status, start, end, reason, author };

	return coplan_store_set_statuses(st, plan_id, &c, 1);
}

static void event_release(coplan_activity_event *e)
{
	free(e->ref);
	free(e->author);
	free(e->reason);
	free(e->detail);
}

void coplan_activity_events_free(coplan_activity_event *events, size_t n)
{
	for (size_t i = 0; events && i < n; i++)
		event_release(&events[i]);
	free(events);
}

static const char *const event_actions[] = {
	"status", "added", "edited", "deleted", "pinned", "unpinned", "blackout added", "blackout deleted"
};

const char *coplan_event_action_name(coplan_event_action action)
{
	return (size_t)action < CP_ARRAY_SIZE(event_actions) ? event_actions[action] : "status";
}

int coplan_event_action_parse(coplan_event_action *out, const char *name)
{
	for (size_t i = 0; name && i < CP_ARRAY_SIZE(event_actions); i++) {
		if (!strcmp(name, event_actions[i])) {
			*out = (coplan_event_action)i;
			return 0;
		}
	}
	return cp_error(COPLAN_EINVALID, "unknown history action '%s' (expected status, added, edited, "
	                "deleted, pinned, unpinned, blackout added or blackout deleted)", name ? name : "");
}

int coplan_event_is_blackout(coplan_event_action action)
{
	return action == COPLAN_EVENT_BLACKOUT_ADDED || action == COPLAN_EVENT_BLACKOUT_DELETED;
}

int coplan_store_history_append(coplan_store *st, long plan_id, const coplan_activity_event *events,
                                size_t n)
{
	coplan_plan *plan = NULL;
	long id = plan_id;
	int rc;

	for (size_t i = 0; i < n; i++) {
		const coplan_activity_event *e = &events[i];

		if (e->action == COPLAN_EVENT_STATUS || (size_t)e->action >= CP_ARRAY_SIZE(event_actions))
			return cp_error(COPLAN_EUSAGE, "a status change is recorded by coplan_store_set_statuses()");
		if (!e->ref || !*e->ref)
			return cp_error(COPLAN_EINVALID, "a history entry needs the %s it concerns",
			                coplan_event_is_blackout(e->action) ? "blackout's nation or unit" : "activity's ref");
		if (!e->author || !*e->author)
			return cp_error(COPLAN_EINVALID, "'%s': a change needs its author", e->ref);
		if ((*e->uuid && !coplan_uuid_valid(e->uuid)) || (coplan_event_is_blackout(e->action) && *e->uuid))
			return cp_error(COPLAN_EINVALID, "'%s': not an activity's identity: '%s'", e->ref, e->uuid);
		if ((rc = text_field("author", e->author)) || (rc = text_field("ref", e->ref)) ||
		    (e->reason && (rc = text_field("reason", e->reason))) ||
		    (e->detail && (rc = text_field("detail", e->detail))))
			return rc;
	}
	if ((rc = coplan_store_begin(st)))
		return rc;
	/* the plan must exist and be sound; its history is sealed again with the entries */
	if ((rc = load_verified(st, plan_id, &plan, &id)))
		goto cleanup;
	for (size_t i = 0; i < n && !rc; i++)
		rc = st->be->history_append(st->be, id, &events[i]);
	if (!rc)
		rc = seal_history(st, id);
cleanup:
	coplan_plan_free(plan);
	return coplan_store_end(st, rc);
}

static int history_verified_once(coplan_store *st, long plan_id, coplan_activity_event **out, size_t *n,
                                 int *mismatch);

/* The whole history of plan_id, checked against its seal (as load_verified() for the content). */
static int history_verified(coplan_store *st, long plan_id, coplan_activity_event **out, size_t *n)
{
	int rc = 0, mismatch = 0;

	for (int i = 0; i < (st->depth > 0 ? 1 : SEAL_READS); i++) {
		mismatch = 0;
		if (!(rc = history_verified_once(st, plan_id, out, n, &mismatch)) || !mismatch)
			break;
	}
	return rc;
}

static int history_verified_once(coplan_store *st, long plan_id, coplan_activity_event **out, size_t *n,
                                 int *mismatch)
{
	char content[65], history[65], hex[65];
	int rc;

	if ((rc = st->be->history(st->be, plan_id, NULL, out, n)))
		return rc;
	if (!(rc = st->be->seal_get(st->be, plan_id, content, history)) && (*history || !st->be->readonly)) {
		if (!*history)
			rc = cp_error(COPLAN_ESTORE, "%s: plan %ld: its history has no seal: it was written "
			              "outside coplan", st->be->name, plan_id);
		else if (!(rc = history_digest(hex, *out, *n)) && strcmp(hex, history) && ++*mismatch)
			rc = cp_error(COPLAN_ESTORE, "%s: plan %ld: its execution history does not match the "
			              "SHA-256 stored with it: the file is damaged or the history was changed "
			              "outside coplan", st->be->name, plan_id);
	}
	if (rc) {
		coplan_activity_events_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int coplan_store_history(coplan_store *st, long plan_id, const char *ref,
                         coplan_activity_event **out, size_t *n)
{
	coplan_activity_event *all = NULL;
	size_t count = 0, kept = 0;
	int rc;

	char uuid[COPLAN_UUID_LEN] = "";

	*out = NULL;
	*n = 0;
	if (ref) {
		/* the activity ref of the plan now: its own history is that of its identity */
		coplan_plan *plan = NULL;
		long i;

		if ((rc = load_verified(st, plan_id, &plan, NULL)))
			return rc;
		if ((i = coplan_plan_find(plan, ref)) >= 0)
			memcpy(uuid, plan->activities[i].uuid, sizeof(uuid));
		coplan_plan_free(plan);
	}
	if ((rc = history_verified(st, plan_id, &all, &count)))
		return rc;
	/* the seal covers the whole history: one activity's is read from it */
	for (size_t i = 0; i < count; i++) {
		const coplan_activity_event *e = &all[i];
		int mine = !ref || (!coplan_event_is_blackout(e->action) && e->ref && !strcmp(e->ref, ref) &&
		                    (!*uuid || !*e->uuid || !strcmp(e->uuid, uuid)));

		if (mine)
			all[kept++] = all[i];
		else
			event_release(&all[i]);
	}
	*out = all;
	*n = kept;
	return 0;
}

/* ---- a whole database into another backend ------------------------------- */

/* The rows of one table as read: how many, and each one's SHA-256 (hex) for an order-free digest. */
typedef struct {
	size_t n_columns, rows, cap;
	char (*digests)[65];
	coplan_store_backend *to;   /* when set, each row is written there too */
	const char *table;
} table_rows;

static int row_seen(const char *const *values, void *payload)
{
	table_rows *t = payload;
	cp_buf b = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	int rc = 0;

	/* the values in order, each with its length; NULL told apart from any text */
	for (size_t c = 0; c < t->n_columns && !rc; c++)
		rc = values[c] ? cp_buf_printf(&b, "%zu:%s,", strlen(values[c]), values[c]) : cp_buf_printf(&b, "-,");
	if (!rc && cp_grow((void **)&t->digests, &t->cap, t->rows + 1, sizeof(*t->digests)))
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
	if (!rc)
		rc = coplan_sha256_hex(t->digests[t->rows], b.data ? b.data : "", b.len);
	cp_buf_release(&b);
	if (rc)
		return rc;
	t->rows++;
	return t->to ? t->to->rows_write(t->to, t->table, values) : 0;
}

static int by_digest(const void *a, const void *b)
{
	return memcmp(a, b, 64);
}

/*
 * Read every table of be (writing each row into to as well when to is
 * not NULL): rows[i] the rows of table i, sha256 the digest of the whole:
 * the SHA-256 of each table's name, row count and the SHA-256 of its rows'
 * digests sorted (so the order a backend returns rows in does not count).
 */
static int database_digest(coplan_store_backend *be, coplan_store_backend *to, size_t *rows, char sha256[65])
{
	cp_buf all = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	int rc = 0;

	for (size_t i = 0; i < CP_STORE_N_TABLES && !rc; i++) {
		table_rows t = { cp_store_tables[i].n_columns, 0, 0, NULL, to, cp_store_tables[i].name };
		cp_buf joined = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
		char hex[65];

		rc = be->rows_read(be, t.table, row_seen, &t);
		if (!rc && to)
			rc = to->rows_done(to, t.table);
		if (!rc) {
			if (t.rows)
				qsort(t.digests, t.rows, sizeof(*t.digests), by_digest);
			for (size_t r = 0; r < t.rows && !rc; r++)
				rc = cp_buf_printf(&joined, "%s\n", t.digests[r]);
		}
		if (!rc)
			rc = coplan_sha256_hex(hex, joined.data ? joined.data : "", joined.len);
		if (!rc)
			rc = cp_buf_printf(&all, "%s %zu %s\n", t.table, t.rows, hex);
		rows[i] = t.rows;
		free(t.digests);
		cp_buf_release(&joined);
	}
	if (!rc)
		rc = coplan_sha256_hex(sha256, all.data ? all.data : "", all.len);
	cp_buf_release(&all);
	return rc;
}

int coplan_store_copy(coplan_store *from, coplan_store *to,
                      void (*fn)(const char *table, size_t rows, void *payload), void *payload,
                      char sha256[65])
{
	size_t read_rows[CP_STORE_N_TABLES], written_rows[CP_STORE_N_TABLES], again_rows[CP_STORE_N_TABLES];
	char written_sha[65], again_sha[65];
	int rc;

	if (from->depth > 0 || to->depth > 0)
		return cp_error(COPLAN_EUSAGE, "a copy runs outside a transaction");
	if (to->be->readonly)
		return cp_error(COPLAN_ESTORE, "%s: the database is read-only: nothing can be copied into it",
		                to->be->name);
	/* only into an empty database: a copy never merges two records */
	if ((rc = database_digest(to->be, NULL, written_rows, written_sha)))
		return rc;
	for (size_t i = 0; i < CP_STORE_N_TABLES; i++)
		if (written_rows[i])
			return cp_error(COPLAN_ECONFLICT, "%s is not empty (%zu rows in %s): a copy goes into a new "
			                "database", to->be->name, written_rows[i], cp_store_tables[i].name);
	if ((rc = coplan_store_begin(to)))
		return rc;
	/* the rows, read once: counted, hashed and written as they come */
	if ((rc = database_digest(from->be, to->be, read_rows, sha256)))
		return coplan_store_end(to, rc);
	/* read back from the copy inside its transaction, and the source again: all three the same */
	if ((rc = database_digest(to->be, NULL, written_rows, written_sha)))
		return coplan_store_end(to, rc);
	if ((rc = database_digest(from->be, NULL, again_rows, again_sha)))
		return coplan_store_end(to, rc);
	for (size_t i = 0; i < CP_STORE_N_TABLES && !rc; i++)
		if (read_rows[i] != written_rows[i])
			rc = cp_error(COPLAN_ESTORE, "%s: table %s: %zu rows read, %zu in the copy; nothing was "
			              "copied", to->be->name, cp_store_tables[i].name, read_rows[i], written_rows[i]);
	if (!rc && strcmp(sha256, written_sha))
		rc = cp_error(COPLAN_ESTORE, "%s: the copy's content hash differs from the source's; nothing "
		              "was copied", to->be->name);
	if (!rc && strcmp(sha256, again_sha))
		rc = cp_error(COPLAN_ESTORE, "%s: the database changed while it was being copied; nothing was "
		              "copied: copy it again when no one is writing to it", from->be->name);
	if ((rc = coplan_store_end(to, rc)))
		return rc;
	for (size_t i = 0; fn && i < CP_STORE_N_TABLES; i++)
		fn(cp_store_tables[i].name, read_rows[i], payload);
	return 0;
}

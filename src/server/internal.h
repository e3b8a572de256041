/* SPDX-License-Identifier: Apache-2.0 */
/* internal.h - what the files of the server share: routes, requests, forms, jobs, the store pool. */
#ifndef COPLAN_SERVER_INTERNAL_H
#define COPLAN_SERVER_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "coplan/coplan.h"
#include "../buf.h"

/* ---- limits (bytes unless said) ------------------------------------------ */
#define CPS_FORM_MAX       (64 * 1024)          /* a form or a JSON body */
#define CPS_UPLOAD_MAX     (16 * 1024 * 1024)   /* a multipart upload */
#define CPS_PAGE_MAX       (64 * 1024 * 1024)   /* a response built in memory */
#define CPS_FIELDS_MAX     256                  /* fields in one form */
#define CPS_NAME_MAX       128                  /* a field's name */
#define CPS_PARAMS_MAX     4                    /* {params} in a path */
#define CPS_PARAM_MAX      200                  /* one path parameter */
#define CPS_PATH_MAX       1024
#define CPS_SESSION_TTL    (12 * 3600)          /* seconds a login lasts */
#define CPS_JOBS_MAX       32                   /* jobs kept (queued, running, finished) */
#define CPS_JOBS_QUEUED    8                    /* jobs waiting at most */
#define CPS_STASH_MAX      8                    /* uploads awaiting a confirmation */
#define CPS_STASH_TTL      900                  /* seconds an upload waits for it */

/* ---- forms: application/x-www-form-urlencoded and multipart/form-data ------- */

typedef struct {
	char *name;            /* decoded, NUL-terminated */
	char *value;           /* decoded bytes, NUL-terminated (len excludes it) */
	size_t len;
	char *filename;        /* multipart file part: its file name, else NULL */
} cps_field;

typedef struct {
	cps_field *fields;
	size_t n;
} cps_form;

/*
 * Parse body (len bytes) as content_type says (urlencoded or multipart with
 * its boundary) into *form (cps_form_release()).  At most CPS_FIELDS_MAX
 * fields, names at most CPS_NAME_MAX bytes.  Errors: COPLAN_EINVALID
 * (malformed), COPLAN_ELIMIT, COPLAN_EUSAGE (another content type),
 * COPLAN_ENOMEM; *form empty then.
 */
int cps_form_parse(cps_form *form, const char *content_type, const char *body, size_t len);

/* Decode one urlencoded string of n bytes ("+" is a space) into *out (malloc'd) and *out_len. */
int cps_url_decode(char **out, size_t *out_len, const char *s, size_t n);

/* The first field named name, or NULL; the value of that field, or NULL. */
const cps_field *cps_form_field(const cps_form *form, const char *name);
const char *cps_form_get(const cps_form *form, const char *name);

void cps_form_release(cps_form *form);

/* ---- routes ---------------------------------------------------------------- */

typedef struct cps_request cps_request;
typedef int (*cps_handler)(cps_request *r);

enum {
	CPS_PUBLIC = 1,        /* no session needed (log in, the style sheet, the calendar feed) */
	CPS_STATE = 2,         /* changes state: POST, a session and the CSRF token needed */
	CPS_API = 4,           /* JSON in and out; errors as {"error": {...}} */
	CPS_UPLOAD = 8,        /* body up to CPS_UPLOAD_MAX (multipart) */
	CPS_CACHE = 16,        /* GET rendered from plan {id} alone: kept while its stamp holds (cache.c) */
};

typedef struct {
	const char *method;    /* "GET" or "POST" */
	const char *pattern;   /* "/plans/{id}/activities/{ref}" */
	cps_handler handler;
	int flags;             /* CPS_* */
	coplan_action action;  /* the least a role must allow (the service checks; shown in docs) */
	const char *summary;
} cps_route;

extern const cps_route cps_routes[];
extern const size_t cps_n_routes;

/*
 * The route for method and path (as libmicrohttpd gives it: decoded, no
 * query): its index into *index and the {params} of its pattern (each one
 * path segment of at most CPS_PARAM_MAX - 1 bytes) into params.
 * Returns 0; COPLAN_ENOTFOUND (no pattern matches the path), COPLAN_EUSAGE
 * (a pattern matches, not with this method: 405).  path is the request's
 * path without the query.
 */
int cps_route_match(const char *method, const char *path, size_t *index,
                    char params[CPS_PARAMS_MAX][CPS_PARAM_MAX], size_t *n_params);

/* ---- the store pool: one connection per thread that serves ------------------ */

typedef struct {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	coplan_store **stores;
	int *busy;
	size_t n;
} cps_pool;

int cps_pool_init(cps_pool *pool, const char *path, size_t n, int busy_timeout_ms);
coplan_store *cps_pool_take(cps_pool *pool);
void cps_pool_give(cps_pool *pool, coplan_store *store);
void cps_pool_release(cps_pool *pool);

/* ---- jobs: schedules run one at a time off the request threads -------------- */

typedef enum { CPS_JOB_QUEUED, CPS_JOB_RUNNING, CPS_JOB_DONE, CPS_JOB_FAILED, CPS_JOB_CANCELLED } cps_job_state;

typedef struct {
	long id;               /* > 0 */
	long account;          /* who asked: only they see it */
	char user[65];
	char nation[4];
	long plan_id;
	int preview;           /* 1: search and show, save nothing */
	int replan;
	cps_job_state state;
	double elapsed;        /* seconds of search so far */
	coplan_score best;     /* the best so far */
	int has_best;
	atomic_int cancel;
	int error;             /* a coplan_error_code when FAILED */
	char *message;         /* the error, or NULL (malloc'd) */
	char *result_json;     /* coplan_schedule_result_format_json() when DONE (malloc'd) */
	coplan_change *moves;  /* DONE: from the plan before to the plan after */
	size_t n_moves;
} cps_job;

typedef struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	int started, stopping;
	long next_id;
	cps_job *jobs[CPS_JOBS_MAX];   /* in order of submission; NULL slots free */
	coplan_store *store;           /* the worker's own connection */
} cps_jobs;

int cps_jobs_start(cps_jobs *jobs, const char *db_path, int busy_timeout_ms);
/* Stop: cancel what runs, drop what waits, join the worker, close its store. */
void cps_jobs_stop(cps_jobs *jobs);
/* Queue a schedule of plan_id for ctx's account; *id gets the job's id. Errors: COPLAN_ELIMIT (queue full). */
int cps_jobs_submit(cps_jobs *jobs, const coplan_ctx *ctx, long plan_id, int preview, int replan, long *id);
/*
 * A copy of job id as account sees it (strings and moves duplicated; free
 * with cps_job_release()).  Errors: COPLAN_ENOTFOUND (none, or another's).
 */
int cps_jobs_get(cps_jobs *jobs, long id, long account, cps_job *out);
int cps_jobs_cancel(cps_jobs *jobs, long id, long account);
void cps_job_release(cps_job *job);
const char *cps_job_state_name(cps_job_state state);

/* ---- uploads awaiting the user's confirmation (import: check, then commit) --- */

typedef struct {
	char key[COPLAN_TOKEN_LEN];
	long account;
	time_t at;
	char *name;
	char *data;
	size_t len;
	long plan_id;
	char locale[16];
	int update;            /* rows whose ref the plan has replace those activities */
} cps_upload;

typedef struct {
	pthread_mutex_t lock;
	cps_upload slots[CPS_STASH_MAX];
} cps_stash;

int cps_stash_init(cps_stash *stash);
/* Keep a copy of data for account; key gets its random key.  The oldest is dropped when full. */
int cps_stash_put(cps_stash *stash, long account, time_t now, const char *name, const char *data,
                  size_t len, long plan_id, const char *locale, int update, char key[COPLAN_TOKEN_LEN]);
/* Take (remove) the upload key of account into *out (cps_upload_release()). Errors: COPLAN_ENOTFOUND. */
int cps_stash_take(cps_stash *stash, const char *key, long account, time_t now, cps_upload *out);
void cps_upload_release(cps_upload *u);
void cps_stash_release(cps_stash *stash);

/* ---- responses rendered from a plan, kept (cache.c) ----------------------------- */

#define CPS_CACHE_SLOTS 256
#define CPS_CACHE_BYTES ((size_t)64 * 1024 * 1024)

/* A response body shared by the cache and the requests that send it: freed with the last reference. */
typedef struct {
	atomic_long refs;
	size_t len;
	char data[];
} cps_blob;

/* A new body holding a copy of len bytes of data, one reference; NULL when out of memory. */
cps_blob *cps_blob_new(const char *data, size_t len);
/* Drop one reference (a void * for libmicrohttpd's free callback); NULL is a no-op. */
void cps_blob_unref(void *blob);

/* A response's key: the request alone, and the request with what the response was rendered from. */
typedef struct {
	unsigned char request[32];
	unsigned char full[32];
} cps_cache_key_t;

typedef struct {
	unsigned char key[32];         /* cps_cache_key_t.full */
	unsigned char request[32];     /* cps_cache_key_t.request: one entry per request is kept */
	cps_blob *body;                /* NULL: a free slot */
	size_t len;
	const char *content_type;      /* static storage, as the handlers set it */
	char *download;                /* Content-Disposition name, or NULL */
	unsigned long used;            /* the cache's clock when last served */
} cps_cache_entry;

typedef struct {
	pthread_mutex_t lock;
	cps_cache_entry slots[CPS_CACHE_SLOTS];
	size_t bytes, max_bytes;
	unsigned long clock, hits, misses;
} cps_cache;

int cps_cache_init(cps_cache *cache, size_t max_bytes);
void cps_cache_release(cps_cache *cache);
/* The key of a response: SHA-256 over every part that decides it (see cache.c). */
int cps_cache_key(cps_cache_key_t *key, const char *session, const char *method, const char *path,
                  const char *query, const char *stamp, long generation, long day);
/* The response kept under key into r (a reference in r->blob, content type, download, 200); COPLAN_ENOTFOUND. */
int cps_cache_get(cps_cache *cache, const cps_cache_key_t *key, cps_request *r);
/* Keep a copy of a 200 response under key; the least recently used go to make room. */
void cps_cache_put(cps_cache *cache, const cps_cache_key_t *key, const char *body, size_t len,
                   const char *content_type, const char *download);

/* ---- the server and one request ---------------------------------------------- */

typedef struct {
	int tls;               /* cookies Secure, named __Host-coplan */
	const char *cookie;    /* "__Host-coplan" or "coplan" */
	cps_pool pool;
	cps_jobs jobs;
	cps_stash stash;
	cps_cache cache;
	atomic_long generation; /* raised after every state-changing request: part of each cache key */
	atomic_long requests;  /* served so far (shown in the log at the end) */
} cps_server;

struct cps_request {
	cps_server *server;
	void *conn;                      /* struct MHD_Connection * */
	const cps_route *route;
	const char *method, *path;
	char params[CPS_PARAMS_MAX][CPS_PARAM_MAX];
	size_t n_params;
	cp_buf body_in;                  /* the request body as received */
	cps_form form;                   /* parsed form (urlencoded or multipart) */
	coplan_ctx ctx;                  /* store from the pool; account, user, nation from the session */
	coplan_session session;
	int has_session;
	char session_token[COPLAN_TOKEN_LEN];
	/* the response */
	int status;
	cp_buf out;
	const char *content_type;
	char *download;                  /* Content-Disposition file name, or NULL (malloc'd) */
	char *location;                  /* redirect target (303), or NULL (malloc'd) */
	char *set_cookie;                /* a Set-Cookie header, or NULL (malloc'd) */
	char *raw;                       /* a response body made elsewhere (malloc'd), raw_len bytes */
	size_t raw_len;
	cps_blob *blob;                  /* a body kept by the cache (one reference), sent as it is */
	int too_large, refused;
};

/* The plan id of path parameter 0 (> 0), or 0 after answering 404. */
long cps_plan_id(cps_request *r);
/* Write a span of local dates (one day, "from - to", or "unplaced") as HTML. */
void cps_put_span(cps_request *r, coplan_date from, coplan_date to);

/* The JSON API's bodies and answers (api.c); json_t is jansson's. */
struct json_t;
/* The request body as a JSON object into *o (json_decref()), or answer 400 and return -1. */
int cps_body_json(cps_request *r, struct json_t **o);
/* The string member key of o, or NULL (not a string, or o NULL). */
const char *cps_jstr(struct json_t *o, const char *key);
/* Answer o (taken; NULL answers 500: out of memory) as JSON with status. */
int cps_reply(cps_request *r, int status, struct json_t *o);

/* A request's arguments (args.c): an API route's JSON body, else the page's form. */
typedef struct {
	cps_request *r;
	struct json_t *json;
} cps_args;

/* Read them; -1 after answering 400 (an API body that is not a JSON object).  cps_args_close() after. */
int cps_args_open(cps_args *a, cps_request *r);
void cps_args_close(cps_args *a);
/* Argument name as text, or NULL when absent or empty (owned by the request or the body). */
const char *cps_arg(const cps_args *a, const char *name);
/* Argument name into *out (def when absent): a JSON integer or the form's digits; -1 when malformed. */
int cps_arg_long(const cps_args *a, const char *name, long def, long *out);
/* Argument name into *out (def when absent): a JSON boolean or the form's 1/0, on/off, true/false; -1 when malformed. */
int cps_arg_bool(const cps_args *a, const char *name, int def, int *out);
/* Argument name as a local date (YYYY-MM-DD) into *out, COPLAN_DATE_NONE when absent; -1 when malformed. */
int cps_arg_date(const cps_args *a, const char *name, coplan_date *out);
/* Answer a change that succeeded: answer (taken) as JSON for an API route, else 303 to location. */
int cps_done(cps_request *r, struct json_t *answer, const char *location);

/* A query-string argument, or NULL. */
const char *cps_query(cps_request *r, const char *name);
/* A request header, or NULL. */
const char *cps_header(cps_request *r, const char *name);
/* The path parameter i as a plan id (> 0) or 0. */
long cps_param_id(const cps_request *r, size_t i);

/* The HTTP status for a coplan_error_code (the one table). */
int cps_error_status(int code);
/* The short code name of an error for the JSON API ("not_found"). */
const char *cps_error_name(int code);

/*
 * Answer with the error code and coplan_error_last() (or message when not
 * NULL): as {"error": {...}} for an API route, else an HTML page.  Returns 0.
 */
int cps_fail(cps_request *r, int code, const char *message);
/* Answer 303 See Other to location (formatted). */
int cps_redirect(cps_request *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Answer with JSON text (taken: freed by the server) and status. */
int cps_json(cps_request *r, int status, char *json);

/* HTML output: escaped text, the page frame. */
int cps_html_esc(cp_buf *b, const char *s);
int cps_html_printf(cp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Begin a page with title (escaped) and the navigation; end it. */
void cps_page_begin(cps_request *r, const char *title);
void cps_page_end(cps_request *r);
/* The hidden CSRF field of the session's forms. */
void cps_csrf_field(cps_request *r);
/* Compare two strings in time independent of where they differ: 1 equal. */
int cps_const_eq(const char *a, const char *b);

/* The style sheet served at /static/coplan.css. */
extern const char cps_css[];

/* Handlers (pages.c, api.c). */
int cps_page_css(cps_request *r);
int cps_page_login_form(cps_request *r);
int cps_page_login(cps_request *r);
int cps_page_logout(cps_request *r);
int cps_page_plans(cps_request *r);
int cps_page_plan(cps_request *r);
int cps_page_export(cps_request *r);
int cps_page_activity(cps_request *r);
int cps_page_activity_edit(cps_request *r);
int cps_page_history(cps_request *r);
int cps_page_explain(cps_request *r);
int cps_page_suggest(cps_request *r);
int cps_page_status(cps_request *r);
int cps_page_schedule(cps_request *r);
int cps_page_job(cps_request *r);
int cps_page_job_cancel(cps_request *r);
int cps_page_import_form(cps_request *r);
int cps_page_import_check(cps_request *r);
int cps_page_import_commit(cps_request *r);
int cps_page_versions(cps_request *r);
int cps_page_version_save(cps_request *r);
int cps_page_compare(cps_request *r);
int cps_page_feed_link(cps_request *r);
int cps_page_feed(cps_request *r);
/* plan_pages.c: pages and API alike (the route's CPS_API flag says which it answers) */
int cps_page_blackouts(cps_request *r);
int cps_page_roles(cps_request *r);
int cps_blackout_add(cps_request *r);
int cps_blackout_delete(cps_request *r);
int cps_activity_pin(cps_request *r);
int cps_role_grant(cps_request *r);
int cps_amend(cps_request *r);
/* users.c */
int cps_page_users(cps_request *r);
int cps_api_users(cps_request *r);
int cps_user_add(cps_request *r);
int cps_user_disable(cps_request *r);
int cps_api_feed(cps_request *r);
int cps_api_import(cps_request *r);

int cps_api_login(cps_request *r);
int cps_api_logout(cps_request *r);
int cps_api_session(cps_request *r);
int cps_api_plans(cps_request *r);
int cps_api_plan(cps_request *r);
int cps_api_export(cps_request *r);
int cps_api_activity_edit(cps_request *r);
int cps_api_status(cps_request *r);
int cps_api_explain(cps_request *r);
int cps_api_suggest(cps_request *r);
int cps_api_history(cps_request *r);
int cps_api_versions(cps_request *r);
int cps_api_version_save(cps_request *r);
int cps_api_compare(cps_request *r);
int cps_api_schedule(cps_request *r);
int cps_api_job(cps_request *r);
int cps_api_job_cancel(cps_request *r);
int cps_api_roles(cps_request *r);

#endif

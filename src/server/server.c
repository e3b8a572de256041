/* SPDX-License-Identifier: Apache-2.0 */
/* server.c - coplan serve on libmicrohttpd: the daemon, its limits, sessions, CSRF and the response headers. */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "server.h"
#include "../common.h"

/* Every response's headers (README "The web server" says why each). */
static const char csp[] = "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                          "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/* ---- the one table from error code to HTTP status -------------------------- */

static const struct {
	int code;
	int status;
	const char *name;
} error_table[] = {
	{ COPLAN_EUSAGE, 400, "bad_request" },
	{ COPLAN_EINVALID, 422, "invalid" },
	{ COPLAN_ERANGE, 422, "out_of_range" },
	{ COPLAN_EAUTH, 401, "unauthenticated" },
	{ COPLAN_EDENIED, 403, "forbidden" },
	{ COPLAN_ENOTFOUND, 404, "not_found" },
	{ COPLAN_ECONFLICT, 409, "conflict" },
	{ COPLAN_EEXISTS, 409, "exists" },
	{ COPLAN_ELIMIT, 413, "too_large" },
	{ COPLAN_ESTORE, 503, "store_unavailable" },
	{ COPLAN_ECANCELLED, 409, "cancelled" },
	{ COPLAN_ENOMEM, 500, "internal" },
	{ COPLAN_EIO, 500, "internal" },
	{ COPLAN_ERROR, 500, "internal" },
};

int cps_error_status(int code)
{
	for (size_t i = 0; i < sizeof(error_table) / sizeof(error_table[0]); i++)
		if (error_table[i].code == code)
			return error_table[i].status;
	return 500;
}

const char *cps_error_name(int code)
{
	for (size_t i = 0; i < sizeof(error_table) / sizeof(error_table[0]); i++)
		if (error_table[i].code == code)
			return error_table[i].name;
	return "internal";
}

int cps_const_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char d = la != lb;

	for (size_t i = 0; i < la && i < lb; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0 && la > 0;
}

/* ---- request helpers -------------------------------------------------------- */

const char *cps_query(cps_request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *cps_header(cps_request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

long cps_param_id(const cps_request *r, size_t i)
{
	char *end;
	long v;

	if (i >= r->n_params || !r->params[i][0] || r->params[i][0] == '-' || r->params[i][0] == '+')
		return 0;
	errno = 0;
	v = strtol(r->params[i], &end, 10);
	return *end || errno || v <= 0 ? 0 : v;
}

int cps_json(cps_request *r, int status, char *json)
{
	r->status = status;
	r->content_type = "application/json";
	free(r->raw);
	r->raw = json;
	r->raw_len = json ? strlen(json) : 0;
	return 0;
}

int cps_redirect(cps_request *r, const char *fmt, ...)
{
	va_list ap;
	char buf[CPS_PATH_MAX + 64];

	cp_buf loc = CP_BUF_INIT(3 * sizeof(buf));

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* a ref or a key in the target is percent-encoded: no header can be split by it */
	for (const unsigned char *p = (const unsigned char *)buf; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p))
			cp_buf_putc(&loc, (char)*p);
		else
			cp_buf_printf(&loc, "%%%02X", *p);
	}
	free(r->location);
	r->location = cp_buf_detach(&loc, NULL);
	r->status = 303;
	return 0;
}

int cps_fail(cps_request *r, int code, const char *message)
{
	const char *msg = message ? message : coplan_error_last();

	if (!*msg)
		msg = coplan_error_str(code);
	cp_buf_clear(&r->out);
	free(r->raw);
	r->raw = NULL;
	r->status = cps_error_status(code);
	if (r->route && (r->route->flags & CPS_API)) {
		json_t *o = json_pack("{s:{s:s,s:s}}", "error", "code", cps_error_name(code), "message", msg);
		char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;

		json_decref(o);
		r->content_type = "application/json";
		r->raw = text;
		r->raw_len = text ? strlen(text) : 0;
		return 0;
	}
	r->content_type = "text/html; charset=utf-8";
	cps_page_begin(r, "Error");
	cps_html_printf(&r->out, "<p class=\"error\">");
	cps_html_esc(&r->out, msg);
	cps_html_printf(&r->out, "</p>\n<p class=\"code\">HTTP %d (%s)</p>\n", r->status, cps_error_name(code));
	if (code == COPLAN_EAUTH)
		cps_html_printf(&r->out, "<p><a href=\"/login\">Log in</a></p>\n");
	else
		cps_html_printf(&r->out, "<p><a href=\"/\">Back to the plans</a></p>\n");
	cps_page_end(r);
	return 0;
}

/* ---- the connection's life -------------------------------------------------- */

typedef struct {
	cps_request r;
	size_t limit;
} conn_state;

static void request_free(conn_state *cs)
{
	if (!cs)
		return;
	cp_buf_release(&cs->r.body_in);
	cp_buf_release(&cs->r.out);
	cps_form_release(&cs->r.form);
	free(cs->r.download);
	free(cs->r.location);
	free(cs->r.set_cookie);
	free(cs->r.raw);
	cps_blob_unref(cs->r.blob);
	free(cs);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	request_free(*con_cls);
	*con_cls = NULL;
}

static enum MHD_Result send_response(cps_request *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char *body;
	size_t len;

	if (r->blob) {
		/* a body the cache keeps: sent as it is, its reference dropped when sent */
		resp = MHD_create_response_from_buffer_with_free_callback_cls(r->blob->len, r->blob->data,
		                                                              cps_blob_unref, r->blob);
		if (!resp)
			return MHD_NO; /* the request still holds the reference: dropped when it is freed */
		r->blob = NULL;
	} else {
		if (r->raw) {
			body = r->raw;
			len = r->raw_len;
			r->raw = NULL;
		} else {
			body = cp_buf_detach(&r->out, &len);
		}
		resp = MHD_create_response_from_buffer(len, body ? body : (char *)"",
		                                       body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
		if (!resp) {
			free(body);
			return MHD_NO;
		}
	}
	MHD_add_response_header(resp, "Content-Type", r->content_type ? r->content_type
	                                                              : "text/html; charset=utf-8");
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(resp, "Cache-Control", r->route && r->route->handler == cps_page_css
	                                               ? "max-age=3600" : "no-store");
	if (r->server->tls)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	if (r->location)
		MHD_add_response_header(resp, "Location", r->location);
	if (r->set_cookie)
		MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
	if (r->download) {
		char disp[300];

		snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", r->download);
		MHD_add_response_header(resp, "Content-Disposition", disp);
	}
	if (r->too_large || r->refused)
		MHD_add_response_header(resp, "Connection", "close");
	ret = MHD_queue_response(r->conn, (unsigned)(r->status ? r->status : 200), resp);
	MHD_destroy_response(resp);
	return ret;
}

/* The session cookie's token, or NULL. */
static const char *session_cookie(cps_request *r)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, r->server->cookie);

	return v && strlen(v) < COPLAN_TOKEN_LEN && *v ? v : NULL;
}

/* Everything a request must pass before its handler runs; 0 or an error already answered (refused). */
static int admit(cps_request *r)
{
	const cps_route *rt = r->route;
	const char *site = cps_header(r, "Sec-Fetch-Site");
	const char *token;
	int rc;

	/* a state change from another site is refused before anything else (deny by default) */
	if ((rt->flags & CPS_STATE) && site && strcasecmp(site, "same-origin")) {
		r->refused = 1;
		return cps_fail(r, COPLAN_EDENIED, "refused: a change sent from another site (Sec-Fetch-Site: "
		                "not same-origin)"), -1;
	}
	if (rt->flags & CPS_PUBLIC)
		return 0;
	if (!(token = session_cookie(r)) ||
	    (rc = coplan_service_session(&r->ctx, token, &r->session))) {
		r->refused = 1;
		if (!(rt->flags & (CPS_API | CPS_STATE)) && strcmp(r->method, "POST")) {
			cps_redirect(r, "/login");
			return -1;
		}
		return cps_fail(r, COPLAN_EAUTH, "not logged in, or the session has expired: log in"), -1;
	}
	snprintf(r->session_token, sizeof(r->session_token), "%s", token);
	r->has_session = 1;
	r->ctx.account = r->session.account_id;
	r->ctx.user = r->session.name;
	r->ctx.nation = r->session.nation[0] ? r->session.nation : NULL;
	if (rt->flags & CPS_STATE) {
		const char *sent = cps_header(r, "X-CSRF-Token");

		if (!sent && !(rt->flags & CPS_API))
			sent = cps_form_get(&r->form, "csrf");
		if (!sent || !cps_const_eq(sent, r->session.csrf)) {
			r->refused = 1;
			return cps_fail(r, COPLAN_EDENIED, "refused: the form's CSRF token is missing or wrong "
			                "(reload the page and try again)"), -1;
		}
	}
	return 0;
}

/* MHD iterator: the query's arguments, in the order sent, into a buffer. */
static enum MHD_Result add_argument(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
	(void)kind;
	return cp_buf_printf(cls, "%s=%s&", key, value ? value : "") ? MHD_NO : MHD_YES;
}

/*
 * A route rendered from plan {id} alone: served again while nothing that
 * decides it changed (cache.c); otherwise rendered, and kept when it is a
 * plain 200.  The service still decides who may read the plan: the stamp
 * comes only to a reader it allows, and a refusal goes to the handler,
 * which answers it as always.
 */
static void cached_handler(cps_request *r)
{
	long gen = atomic_load(&r->server->generation), id = cps_param_id(r, 0);
	cp_buf query = CP_BUF_INIT(16 * 1024);
	cps_cache_key_t key;
	char stamp[65], after[65];
	int keyed;

	keyed = id > 0 && !coplan_service_plan_stamp(&r->ctx, id, stamp) &&
	        MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_argument, &query) >= 0 &&
	        !cps_cache_key(&key, r->session_token, r->method, r->path, query.data, stamp, gen,
	                       (long)(coplan_ctx_now(&r->ctx) / 86400));
	cp_buf_release(&query);
	coplan_error_clear();
	if (keyed && !cps_cache_get(&r->server->cache, &key, r))
		return;
	r->route->handler(r);
	/* kept only when the plan did not change while it was rendered (its stamp read again) */
	if (keyed && r->status == 200 && !r->location && !r->set_cookie &&
	    !coplan_service_plan_stamp(&r->ctx, id, after) && !strcmp(after, stamp)) {
		if (r->raw)
			cps_cache_put(&r->server->cache, &key, r->raw, r->raw_len, r->content_type, r->download);
		else
			cps_cache_put(&r->server->cache, &key, r->out.data ? r->out.data : "", r->out.len,
			              r->content_type, r->download);
	}
}

static enum MHD_Result dispatch(cps_request *r)
{
	const char *ctype = cps_header(r, "Content-Type");
	enum MHD_Result ret;

	r->ctx.store = cps_pool_take(&r->server->pool);
	if (r->too_large) {
		cps_fail(r, COPLAN_ELIMIT, "the request is larger than this server accepts");
		goto send;
	}
	if (!(r->route->flags & CPS_API) && !strcmp(r->method, "POST")) {
		int rc = cps_form_parse(&r->form, ctype, r->body_in.data, r->body_in.len);

		if (rc) {
			r->refused = 1;
			cps_fail(r, rc, NULL);
			goto send;
		}
	}
	if (admit(r))
		goto send;
	coplan_error_clear();
	r->status = 200;
	if (r->route->flags & CPS_CACHE)
		cached_handler(r);
	else
		r->route->handler(r);
	if (r->route->flags & CPS_STATE)
		atomic_fetch_add(&r->server->generation, 1);
send:
	cps_pool_give(&r->server->pool, r->ctx.store);
	r->ctx.store = NULL;
	atomic_fetch_add(&r->server->requests, 1);
	ret = send_response(r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
	cps_server *srv = cls;
	conn_state *cs = *con_cls;

	(void)version;
	if (!cs) {
		const char *cl;
		size_t index;
		int rc;

		if (!(cs = calloc(1, sizeof(*cs))))
			return MHD_NO;
		*con_cls = cs;
		cs->r.server = srv;
		cs->r.conn = conn;
		cs->r.method = method;
		cs->r.path = url;
		cs->r.out = (cp_buf)CP_BUF_INIT(CPS_PAGE_MAX);
		rc = cps_route_match(method, url, &index, cs->r.params, &cs->r.n_params);
		if (rc) {
			static const cps_route page = { "GET", "", NULL, 0, COPLAN_ACTION_READ, "" };
			static const cps_route api = { "GET", "", NULL, CPS_API, COPLAN_ACTION_READ, "" };

			cs->r.route = strncmp(url, "/api/", 5) ? &page : &api;
			cs->r.refused = 1;
			cps_fail(&cs->r, rc == COPLAN_EUSAGE ? COPLAN_EUSAGE : COPLAN_ENOTFOUND,
			         rc == COPLAN_EUSAGE ? "method not allowed on this address" : "no such page");
			if (rc == COPLAN_EUSAGE)
				cs->r.status = 405;
			return send_response(&cs->r);
		}
		cs->r.route = &cps_routes[index];
		cs->limit = cs->r.route->flags & CPS_UPLOAD ? CPS_UPLOAD_MAX : CPS_FORM_MAX;
		cs->r.body_in = (cp_buf)CP_BUF_INIT(cs->limit);
		/* refuse early what cannot be accepted: too large, or no session for a route that needs one */
		if ((cl = cps_header(&cs->r, "Content-Length")) && strtoull(cl, NULL, 10) > cs->limit) {
			cs->r.too_large = 1;
			cps_fail(&cs->r, COPLAN_ELIMIT, "the request is larger than this server accepts");
			return send_response(&cs->r);
		}
		if (!(cs->r.route->flags & CPS_PUBLIC) && (cs->r.route->flags & CPS_STATE) &&
		    !session_cookie(&cs->r)) {
			cs->r.refused = 1;
			cps_fail(&cs->r, COPLAN_EAUTH, "not logged in: log in");
			return send_response(&cs->r);
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!cs->r.too_large && cp_buf_add(&cs->r.body_in, upload_data, *upload_data_size))
			cs->r.too_large = 1;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (cs->r.status)
		return MHD_YES; /* answered already */
	return dispatch(&cs->r);
}

/* ---- start and stop --------------------------------------------------------- */

static int parse_listen(const char *listen, struct sockaddr_in *sa)
{
	const char *colon = strrchr(listen, ':');
	char host[64];
	char *end;
	long port;

	memset(sa, 0, sizeof(*sa));
	if (!colon || (size_t)(colon - listen) >= sizeof(host))
		return cp_error(COPLAN_EUSAGE, "--listen takes ADDRESS:PORT (IPv4), e.g. 127.0.0.1:8080, got '%s'",
		                listen);
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	port = strtol(colon + 1, &end, 10);
	if (*end || !colon[1] || port < 0 || port > 65535)
		return cp_error(COPLAN_EUSAGE, "--listen: port '%s' is not a number from 0 to 65535", colon + 1);
	if (!strcmp(host, "localhost"))
		snprintf(host, sizeof(host), "127.0.0.1");
	sa->sin_family = AF_INET;
	sa->sin_port = htons((unsigned short)port);
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return cp_error(COPLAN_EUSAGE, "--listen: '%s' is not an IPv4 address", host);
	return 0;
}

static char *read_pem(const char *path)
{
	cp_buf b = CP_BUF_INIT(1024 * 1024);

	if (cp_buf_read_file(&b, path))
		return NULL;
	return cp_buf_detach(&b, NULL);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	FILE *log = cls;

	fprintf(log, "coplan serve: ");
	vfprintf(log, fmt, ap);
}

void cps_routes_print(FILE *out)
{
	for (size_t i = 0; i < cps_n_routes; i++) {
		static const char *actions[] = { "read", "edit", "execute", "agree", "sign", "admin" };
		const cps_route *rt = &cps_routes[i];

		fprintf(out, "%s %s %s %s %s %s\n", rt->method, rt->pattern,
		        rt->flags & CPS_STATE ? "state" : "read", actions[rt->action],
		        rt->flags & CPS_PUBLIC ? "public" : "session", rt->flags & CPS_API ? "api" : "page");
	}
}

int cps_serve(const cps_options *opts)
{
	cps_server srv;
	struct sockaddr_in sa;
	struct MHD_Daemon *d = NULL;
	const union MHD_DaemonInfo *info;
	char *cert = NULL, *key = NULL;
	sigset_t sigs;
	unsigned threads = opts->threads > 0 ? (unsigned)opts->threads : 2;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	int rc, sig = 0;
	FILE *log = opts->log ? opts->log : stderr;

	memset(&srv, 0, sizeof(srv));
	if ((rc = parse_listen(opts->listen ? opts->listen : "127.0.0.1:8080", &sa)))
		return rc;
	if (!!opts->tls_cert != !!opts->tls_key)
		return cp_error(COPLAN_EUSAGE, "--tls-cert and --tls-key go together");
	if (opts->tls_cert) {
		if (!(cert = read_pem(opts->tls_cert)) || !(key = read_pem(opts->tls_key))) {
			char why[512];

			/* the reader's message, copied before it is formatted into the same buffer */
			snprintf(why, sizeof(why), "%s", coplan_error_last());
			rc = cp_error(COPLAN_EUSAGE, "cannot read the TLS %s: %s", cert ? "key" : "certificate", why);
			free(cert);
			return rc;
		}
		flags |= MHD_USE_TLS;
		srv.tls = 1;
	}
	/* browsers refuse a __Host- cookie without Secure, so plain HTTP uses the plain name */
	srv.cookie = srv.tls ? "__Host-coplan" : "coplan";
	/* one store per worker thread, and one spare for a request that waits on the job queue's lock */
	if ((rc = cps_pool_init(&srv.pool, opts->db_path, threads + 1, opts->busy_timeout_ms)))
		goto fail_early;
	if ((rc = cps_jobs_start(&srv.jobs, opts->db_path, opts->busy_timeout_ms))) {
		cps_pool_release(&srv.pool);
		goto fail_early;
	}
	cps_stash_init(&srv.stash);
	if ((rc = cps_cache_init(&srv.cache, CPS_CACHE_BYTES))) {
		cps_jobs_stop(&srv.jobs);
		cps_pool_release(&srv.pool);
		cps_stash_release(&srv.stash);
		goto fail_early;
	}
	/* SIGTERM and SIGINT are waited for here: blocked in every thread the daemon starts */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, &srv,
	                     MHD_OPTION_EXTERNAL_LOGGER, mhd_log, log,
	                     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	                     MHD_OPTION_THREAD_POOL_SIZE, threads,
	                     MHD_OPTION_CONNECTION_LIMIT, (unsigned)512,
	                     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
	                     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
	                     MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)256,
	                     MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv,
	                     srv.tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert,
	                     MHD_OPTION_HTTPS_MEM_KEY, key,
	                     MHD_OPTION_END);
	if (!d) {
		rc = cp_error(COPLAN_ERROR, "cannot listen on %s (is the port taken?)", opts->listen);
		goto stop;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	fprintf(log, "coplan serve: listening on %s://%s:%u (database %s, %u threads); stop with Ctrl-C\n",
	        srv.tls ? "https" : "http", inet_ntoa(sa.sin_addr), info ? info->port : ntohs(sa.sin_port),
	        opts->db_path, threads);
	fflush(log);
	sigwait(&sigs, &sig);
	fprintf(log, "coplan serve: %s: no new connections; finishing the requests under way\n",
	        sig == SIGTERM ? "SIGTERM" : "SIGINT");
	MHD_quiesce_daemon(d);
	for (int i = 0; i < 100; i++) {
		info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (!info || info->num_connections == 0)
			break;
		nanosleep(&(struct timespec){ 0, 50 * 1000 * 1000 }, NULL);
	}
	MHD_stop_daemon(d);
	rc = 0;
stop:
	cps_jobs_stop(&srv.jobs);
	cps_pool_release(&srv.pool);
	cps_stash_release(&srv.stash);
	cps_cache_release(&srv.cache);
	/* no thread makes a document now: pango's and fontconfig's caches go too */
	coplan_document_shutdown();
	if (!rc)
		fprintf(log, "coplan serve: stopped after %ld requests (%lu served again from the cache); "
		        "database closed\n", (long)atomic_load(&srv.requests), srv.cache.hits);
fail_early:
	free(cert);
	free(key);
	return rc;
}

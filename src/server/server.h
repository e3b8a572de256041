/* SPDX-License-Identifier: Apache-2.0 */
/* server.h - the entry point of `coplan serve`, for the command line (src/cli/cmd_serve.c). */
#ifndef COPLAN_SERVER_H
#define COPLAN_SERVER_H

#include <stdio.h>

/* What `coplan serve` was asked (strings borrowed for the call). */
typedef struct {
	const char *listen;      /* "127.0.0.1:8080" (IPv4 address and port) */
	const char *db_path;     /* the database; must exist (coplan init or import first) */
	const char *tls_cert;    /* PEM files, both or neither: HTTPS */
	const char *tls_key;
	int threads;             /* MHD worker threads, 1..8 (default 2) */
	int busy_timeout_ms;     /* each store's busy timeout, >= 0 */
	FILE *log;               /* where "listening on ..." and errors go (stderr) */
} cps_options;

/*
 * Serve until SIGTERM or SIGINT: stop accepting, let the requests under way
 * finish (at most a few seconds), stop the scheduling job, close the stores.
 * The calling thread must be the process's main thread: SIGTERM and SIGINT
 * are blocked in every thread and waited for here.  Returns 0 after a clean
 * stop, else a negative coplan_error_code with coplan_error_last() set
 * (COPLAN_EUSAGE: a bad address or a TLS file missing; COPLAN_ESTORE: the
 * database; COPLAN_ERROR: the daemon could not start, e.g. port taken).
 */
int cps_serve(const cps_options *opts);

/* Print the route table: "METHOD PATH state|read ACTION auth|public" one a line. */
void cps_routes_print(FILE *out);

#endif

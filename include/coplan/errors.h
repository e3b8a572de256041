/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/errors.h - error codes and the thread-local last error message. */
#ifndef COPLAN_ERRORS_H
#define COPLAN_ERRORS_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Every coplan function that can fail returns an int: 0 (COPLAN_OK) on
 * success, or one of these negative codes.  The list is append-only: a
 * code's value never changes once released.  The human-readable detail,
 * including "file:line:col:" for parse errors, is kept per thread and read
 * with coplan_error_last().
 */
typedef enum {
	COPLAN_OK        =  0,
	COPLAN_ERROR     = -1,  /* generic failure */
	COPLAN_ENOMEM    = -2,  /* out of memory */
	COPLAN_EINVALID  = -3,  /* bad input data: a parse or validation error */
	COPLAN_EUSAGE    = -4,  /* bad arguments from the caller */
	COPLAN_ENOTFOUND = -5,  /* the named thing does not exist */
	COPLAN_EIO       = -6,  /* reading or writing a file failed */
	COPLAN_ESTORE    = -7,  /* the database failed or is not a coplan database */
	COPLAN_ERANGE    = -8,  /* a date or value outside the supported range */
	COPLAN_ELIMIT    = -9,  /* input larger than a documented limit */
	COPLAN_EEXISTS   = -10, /* the thing to create exists already */
	COPLAN_ECONFLICT = -11, /* refused: would break a rule of the record (e.g. edit a signed plan) */
	COPLAN_ECANCELLED = -12, /* the caller asked the work to stop; nothing was changed */
	COPLAN_EDENIED   = -13, /* the acting user's role does not allow it (HTTP 403) */
	COPLAN_EAUTH     = -14, /* not logged in: unknown user, wrong password, expired session (HTTP 401) */
} coplan_error_code;

/*
 * The message of the last error set on this thread, without a trailing
 * newline, e.g. "activities.csv:14:5: unknown host nation 'ITL' (expected
 * ISO 3166-1 alpha-3, e.g. ITA)".  Never NULL: "" when there is none.
 * Borrowed: valid until the next coplan call on this thread.
 */
const char *coplan_error_last(void);

/* The code of the last error set on this thread, COPLAN_OK if none. */
int coplan_error_last_code(void);

/* Forget the last error of this thread. */
void coplan_error_clear(void);

/* A short fixed description of a code ("invalid input", ...); static storage. */
const char *coplan_error_str(int code);

/*
 * The process exit status for a code, as the command line uses it:
 * 0 for COPLAN_OK, 2 for COPLAN_EUSAGE, 1 for every other error.
 */
int coplan_error_exit_status(int code);

#ifdef __cplusplus
}
#endif
#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/account.h - users, their nation, roles per plan, sessions: who may act, and as whom. */
#ifndef COPLAN_ACCOUNT_H
#define COPLAN_ACCOUNT_H

#include <stddef.h>
#include <time.h>
#include "coplan/label.h"

/* The bytes of an account's caveats as text (space-separated), NUL included. */
#define COPLAN_ACCOUNT_CAVEATS_MAX 256

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A user is a local account: a name (1-64 characters: letters, digits,
 * '.', '-', '_'), the nation they belong to (ISO 3166-1 alpha-3), a display
 * name, a password kept only as an argon2id hash (libsodium crypto_pwhash,
 * at least 19 MiB and 2 passes, the OWASP 2023 minimum), and a disabled
 * flag.  Roles are given per plan.  A session is what a browser holds
 * after logging in: a random 256-bit token (the store keeps only its
 * SHA-256) and a CSRF token, with an expiry.
 *
 * Who may do what (deny by default; checked by the service layer inside
 * the transaction of each use case, coplan_service_authorize()):
 *
 *   action                         owner  planner  reviewer  viewer
 *   read the plan, its documents     x       x        x        x
 *   edit activities, blackouts,      x       x
 *     import, schedule, amend
 *   record execution                 x       x
 *   save a version draft / agreed    x       x
 *   sign a version                   x                x
 *   grant roles, copy, delete plan   x
 *
 * A planner acts for their nation: they edit only activities hosted by
 * their nation or in which it takes part, and blackouts of their nation or
 * of its units.  The local operator of the command line (a context with
 * account 0: whoever holds the database file) may do everything, as
 * before accounts existed; the server never uses account 0.
 */

typedef enum {
	COPLAN_PLAN_ROLE_NONE = 0,
	COPLAN_PLAN_ROLE_VIEWER,
	COPLAN_PLAN_ROLE_REVIEWER,
	COPLAN_PLAN_ROLE_PLANNER,
	COPLAN_PLAN_ROLE_OWNER,
} coplan_plan_role;

typedef enum {
	COPLAN_ACTION_READ = 0,
	COPLAN_ACTION_EDIT,      /* activities, blackouts, import, schedule, amend */
	COPLAN_ACTION_EXECUTE,   /* record execution status */
	COPLAN_ACTION_AGREE,     /* save a version as draft or agreed */
	COPLAN_ACTION_SIGN,      /* save a version as signed */
	COPLAN_ACTION_ADMIN,     /* grant roles, copy or delete the plan */
} coplan_action;

/* 1 when role may take action on a plan (the table above), else 0; a planner's further limit to their nation's activities is coplan_reader_may()'s (service.h). */
int coplan_role_allows(coplan_plan_role role, coplan_action action);

/* "owner", "planner", "reviewer", "viewer", "none"; static storage. */
const char *coplan_role_name(coplan_plan_role role);
/* The role named name (case-sensitive, as coplan_role_name() writes it), or -1. */
int coplan_role_parse(const char *name);

/* A user as listed (strings owned by the array, freed with coplan_accounts_free()). */
typedef struct {
	long id;               /* > 0 */
	char name[65];
	char nation[4];        /* ISO 3166-1 alpha-3 */
	char *display_name;    /* e.g. "Col. Mario Rossi"; "" when not given */
	int disabled;
	int is_admin;          /* may add users and create plans */
	/*
	 * Releasability (coplan/label.h, docs/labels.md): the clearance, a level
	 * of the label policy's ladder by name ("" or unknown: the ladder's
	 * lowest), and the caveats held, space-separated ("" for none).
	 */
	char clearance[COPLAN_LABEL_NAME_MAX];
	char caveats[COPLAN_ACCOUNT_CAVEATS_MAX];
} coplan_account;

void coplan_accounts_free(coplan_account *accounts, size_t n);

/* A role of a user on a plan, as listed. */
typedef struct {
	long plan_id;
	long account_id;
	char account[65];
	char nation[4];
	coplan_plan_role role;
} coplan_role_grant;

/* Limits of what a login accepts (bytes). */
#define COPLAN_PASSWORD_MIN 12
#define COPLAN_PASSWORD_MAX 256
/* A session token and a CSRF token as text: 43 characters of URL-safe base64 (256 bits) + NUL. */
#define COPLAN_TOKEN_LEN 44
/* Failed logins of one user name allowed within COPLAN_LOGIN_WINDOW seconds before refusing. */
#define COPLAN_LOGIN_FAILURES 5
#define COPLAN_LOGIN_WINDOW 900

/* What a valid session gives the server (no pointers: copy freely). */
typedef struct {
	long account_id;
	char name[65];
	char nation[4];
	int is_admin;
	char csrf[COPLAN_TOKEN_LEN];
	time_t expires;        /* UTC */
} coplan_session;

#ifdef __cplusplus
}
#endif

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* accounts.c - users, roles, sessions, failed logins and feed tokens through the storage backend. */
#include "coplan/errors.h"
#include "coplan/sys/store_backend.h"
#include "../common.h"

/*
 * Thin on purpose: the rules (who may, hashing, expiry, rate limits) are
 * the service layer's (src/service/account.c); here each write becomes one
 * transaction of the backend, joining the caller's when there is one.
 */

#define BE(store) coplan_store_backend_of(store)
#define WRITE(store, call) do { int rc_ = coplan_store_begin(store); \
	if (rc_) return rc_; \
	rc_ = (call); \
	return coplan_store_end(store, rc_); } while (0)

int coplan_store_account_add(coplan_store *store, const coplan_account *account, const char *hash,
                             time_t created, long *id)
{
	WRITE(store, BE(store)->account_insert(BE(store), account, hash, created, id));
}

int coplan_store_account_get(coplan_store *store, long id, const char *name, coplan_account *out,
                             char **hash)
{
	return BE(store)->account_get(BE(store), id, name, out, hash);
}

int coplan_store_accounts(coplan_store *store, coplan_account **out, size_t *n)
{
	return BE(store)->accounts(BE(store), out, n);
}

int coplan_store_account_update(coplan_store *store, long id, const char *hash, int disabled)
{
	WRITE(store, BE(store)->account_update(BE(store), id, hash, disabled));
}

int coplan_store_role_set(coplan_store *store, long plan_id, long account_id, coplan_plan_role role)
{
	WRITE(store, BE(store)->role_set(BE(store), plan_id, account_id, role));
}

int coplan_store_role_get(coplan_store *store, long plan_id, long account_id, coplan_plan_role *role)
{
	return BE(store)->role_get(BE(store), plan_id, account_id, role);
}

int coplan_store_roles(coplan_store *store, long plan_id, coplan_role_grant **out, size_t *n)
{
	return BE(store)->roles(BE(store), plan_id, out, n);
}

int coplan_store_session_add(coplan_store *store, const char *token_sha256, long account_id,
                             const char *csrf, time_t created, time_t expires)
{
	WRITE(store, BE(store)->session_insert(BE(store), token_sha256, account_id, csrf, created, expires));
}

int coplan_store_session_get(coplan_store *store, const char *token_sha256, long *account_id,
                             char csrf[COPLAN_TOKEN_LEN], time_t *expires)
{
	return BE(store)->session_get(BE(store), token_sha256, account_id, csrf, expires);
}

int coplan_store_session_delete(coplan_store *store, const char *token_sha256, long account_id,
                                time_t expired_before)
{
	WRITE(store, BE(store)->session_delete(BE(store), token_sha256, account_id, expired_before));
}

int coplan_store_login_failure_add(coplan_store *store, const char *name, time_t at)
{
	WRITE(store, BE(store)->login_failure_add(BE(store), name, at));
}

int coplan_store_login_failures(coplan_store *store, const char *name, time_t since, int *count)
{
	return BE(store)->login_failures(BE(store), name, since, count);
}

int coplan_store_login_failures_forget(coplan_store *store, const char *name, time_t before)
{
	WRITE(store, BE(store)->login_failures_forget(BE(store), name, before));
}

int coplan_store_feed_token_get(coplan_store *store, long account_id, long plan_id, char nonce[65])
{
	return BE(store)->feed_token_get(BE(store), account_id, plan_id, nonce);
}

int coplan_store_feed_token_add(coplan_store *store, const char *token_sha256, long account_id,
                                long plan_id, const char *nonce)
{
	WRITE(store, BE(store)->feed_token_insert(BE(store), token_sha256, account_id, plan_id, nonce));
}

int coplan_store_feed_token_find(coplan_store *store, const char *token_sha256, long *account_id,
                                 long *plan_id)
{
	return BE(store)->feed_token_find(BE(store), token_sha256, account_id, plan_id);
}

int coplan_store_secret_get(coplan_store *store, const char *name, unsigned char *out, size_t len)
{
	return BE(store)->secret_get(BE(store), name, out, len);
}

int coplan_store_secret_set(coplan_store *store, const char *name, const unsigned char *value,
                            size_t len)
{
	WRITE(store, BE(store)->secret_set(BE(store), name, value, len));
}

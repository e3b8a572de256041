/* SPDX-License-Identifier: Apache-2.0 */
/* cache.c - what the server rendered from a plan, kept while the plan's stamp and the writes seen stay the same. */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "internal.h"

/*
 * A response is reusable only for the same session (the page carries its
 * CSRF token; the reader's roles and, later, releasability are the
 * session's), the same request (method, path, query), the same plan
 * stamp (coplan_service_plan_stamp(): every change coplan makes to the
 * plan, its history or its versions changes it, whoever makes it), the
 * same generation (raised after every state-changing request this server
 * serves, so that no change made through it can be followed by an old
 * page, even one that made the plan as it was before) and the same UTC
 * day (documents print the day they were issued).  The caller builds the
 * key from all of these (cps_cache_key()); the cache only holds bodies.
 */

cps_blob *cps_blob_new(const char *data, size_t len)
{
	cps_blob *b = malloc(sizeof(*b) + (len ? len : 1));

	if (!b)
		return NULL;
	atomic_init(&b->refs, 1);
	b->len = len;
	memcpy(b->data, data, len);
	return b;
}

void cps_blob_unref(void *blob)
{
	cps_blob *b = blob;

	if (b && atomic_fetch_sub(&b->refs, 1) == 1)
		free(b);
}

int cps_cache_init(cps_cache *cache, size_t max_bytes)
{
	memset(cache, 0, sizeof(*cache));
	cache->max_bytes = max_bytes;
	return pthread_mutex_init(&cache->lock, NULL) ? cp_error(COPLAN_ERROR, "cannot make a lock") : 0;
}

static void entry_clear(cps_cache_entry *e)
{
	cps_blob_unref(e->body);
	free(e->download);
	memset(e, 0, sizeof(*e));
}

void cps_cache_release(cps_cache *cache)
{
	for (size_t i = 0; i < CPS_CACHE_SLOTS; i++)
		entry_clear(&cache->slots[i]);
	pthread_mutex_destroy(&cache->lock);
}

int cps_cache_key(cps_cache_key_t *key, const char *session, const char *method, const char *path,
                  const char *query, const char *stamp, long generation, long day)
{
	cp_buf b = CP_BUF_INIT(64 * 1024);
	unsigned int n = 0, m = 0;
	size_t request_len;
	int rc;

	/*
	 * each part ends with a byte none of them holds, so that no two
	 * requests make one text; the request alone (session, method, path,
	 * query) is the key's first part, what it is rendered from the rest
	 */
	rc = cp_buf_printf(&b, "%s\x1f%s\x1f%s\x1f%s\x1f", session, method, path, query ? query : "");
	request_len = b.len;
	if (!rc)
		rc = cp_buf_printf(&b, "%s\x1f%ld\x1f%ld", stamp, generation, day);
	if (!rc && (!EVP_Digest(b.data, request_len, key->request, &m, EVP_sha256(), NULL) ||
	            !EVP_Digest(b.data, b.len, key->full, &n, EVP_sha256(), NULL) || n != 32 || m != 32))
		rc = cp_error(COPLAN_ERROR, "SHA-256 failed");
	cp_buf_release(&b);
	return rc;
}

int cps_cache_get(cps_cache *cache, const cps_cache_key_t *key, cps_request *r)
{
	int rc = COPLAN_ENOTFOUND;

	pthread_mutex_lock(&cache->lock);
	for (size_t i = 0; i < CPS_CACHE_SLOTS; i++) {
		cps_cache_entry *e = &cache->slots[i];

		if (!e->body || memcmp(e->key, key->full, 32))
			continue;
		if (e->download && !(r->download = strdup(e->download))) {
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
			break;
		}
		atomic_fetch_add(&e->body->refs, 1);
		r->blob = e->body;
		r->content_type = e->content_type;
		r->status = 200;
		e->used = ++cache->clock;
		cache->hits++;
		rc = 0;
		break;
	}
	if (rc == COPLAN_ENOTFOUND)
		cache->misses++;
	pthread_mutex_unlock(&cache->lock);
	return rc;
}

void cps_cache_put(cps_cache *cache, const cps_cache_key_t *key, const char *body, size_t len,
                   const char *content_type, const char *download)
{
	cps_cache_entry fresh = { 0 }, *slot;

	if (len > cache->max_bytes / 4)
		return; /* one response must not push out most of the others */
	if (!(fresh.body = cps_blob_new(body, len)) || (download && !(fresh.download = strdup(download)))) {
		entry_clear(&fresh);
		return; /* a cache that cannot keep a copy just does not */
	}
	memcpy(fresh.key, key->full, 32);
	memcpy(fresh.request, key->request, 32);
	fresh.len = len;
	fresh.content_type = content_type;

	pthread_mutex_lock(&cache->lock);
	/*
	 * what this request was answered with before (another stamp, generation
	 * or day: it will not be served again), or the same key rendered by two
	 * threads at once: the newer copy replaces it
	 */
	for (size_t i = 0; i < CPS_CACHE_SLOTS; i++)
		if (cache->slots[i].body && !memcmp(cache->slots[i].request, key->request, 32)) {
			cache->bytes -= cache->slots[i].len;
			entry_clear(&cache->slots[i]);
		}
	/* the least recently used go until there is a free slot and the bytes fit */
	for (;;) {
		cps_cache_entry *victim = NULL;

		slot = NULL;
		for (size_t i = 0; i < CPS_CACHE_SLOTS; i++) {
			cps_cache_entry *e = &cache->slots[i];

			if (!e->body)
				slot = slot ? slot : e;
			else if (!victim || e->used < victim->used)
				victim = e;
		}
		if ((slot && cache->bytes + len <= cache->max_bytes) || !victim)
			break;
		cache->bytes -= victim->len;
		entry_clear(victim);
	}
	if (slot && cache->bytes + len <= cache->max_bytes) {
		*slot = fresh;
		slot->used = ++cache->clock;
		cache->bytes += len;
		fresh.body = NULL;
		fresh.download = NULL;
	}
	pthread_mutex_unlock(&cache->lock);
	entry_clear(&fresh);
}

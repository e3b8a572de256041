/* SPDX-License-Identifier: Apache-2.0 */
/* test_bundle.c - bundles through the service: every bit flipped is refused, each part tampered and zipped again, expiry, restart, limits. */
#define _GNU_SOURCE 1 /* memmem() */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "coplan/coplan.h"
#include "test_db.h"
#include "test_util.h"

/*
 * The PKI is made with the openssl command in a temporary folder every
 * run (no private key is committed): an Italian and a Japanese CA with an
 * office each.  ITA's store holds the example plan; JPN's trusts ITA's CA.
 */
static char dir[512];
static time_t now_value;

static void sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if ((rc = system(cmd)) != 0)
		fail_msg("command failed (%d): %s", rc, cmd);
}

static const char *path(const char *name)
{
	static char buf[16][1024];
	static int i;

	i = (i + 1) % 16;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

static time_t fixed_now(void *payload)
{
	(void)payload;
	return now_value;
}

static void ctx_of(coplan_ctx *ctx, coplan_store *store)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->store = store;
	ctx->user = "tester";
	ctx->clock = fixed_now;
}

static int setup(void **state)
{
	coplan_import_request req = { 0 };
	coplan_import_result res;
	coplan_store *ita = NULL, *jpn = NULL;
	coplan_ctx ctx;

	(void)state;
	now_value = time(NULL);
	snprintf(dir, sizeof(dir), "%s/test_bundle_%ld", COPLAN_TEST_TMP, (long)getpid());
	sh("rm -rf %s && mkdir -p %s", dir, dir);
	sh("cd %s && for ca in ita_ca:IT jpn_ca:JP; do n=${ca%%:*}; c=${ca#*:}; "
	   "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $n.key -out $n.pem "
	   "-days 3650 -subj \"/C=$c/CN=$n\" -addext basicConstraints=critical,CA:TRUE "
	   "-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null || exit 1; done; "
	   "for o in ita:IT:ita_ca jpn:JP:jpn_ca; do n=${o%%%%:*}; r=${o#*:}; c=${r%%:*}; ca=${r#*:}; "
	   "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $n.key -out $n.csr "
	   "-subj \"/C=$c/CN=$n office\" 2>/dev/null && "
	   "printf 'basicConstraints=CA:FALSE\\nkeyUsage=critical,digitalSignature\\n' > $n.ext && "
	   "openssl x509 -req -in $n.csr -CA $ca.pem -CAkey $ca.key -CAcreateserial -days 365 -extfile $n.ext "
	   "-out $n.pem 2>/dev/null || exit 1; done", dir);
	now_value = time(NULL) + 1;   /* after the certificates' notBefore */
	assert_int_equal(coplan_store_open(&ita, path("ita.db")), 0);
	assert_int_equal(coplan_store_open(&jpn, path("jpn.db")), 0);
	ctx_of(&ctx, ita);
	req.path = COPLAN_SOURCE_DIR "/examples/italy-japan-2024/plan.json";
	assert_int_equal(coplan_service_import(&ctx, &req, &res), 0);
	coplan_import_result_clear(&res);
	req.path = COPLAN_SOURCE_DIR "/examples/italy-japan-2024/activities.csv";
	assert_int_equal(coplan_service_import(&ctx, &req, &res), 0);
	coplan_import_result_clear(&res);
	ctx_of(&ctx, jpn);
	assert_int_equal(coplan_service_ca_import(&ctx, "ITA", path("ita_ca.pem"), 0, NULL), 0);
	coplan_store_close(ita);
	coplan_store_close(jpn);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sh("rm -rf %s", dir);
	return 0;
}

/* ITA's next bundle to JPN as bytes (also written to name). */
static unsigned char *export_bundle(size_t *len, const char *name, int days)
{
	coplan_bundle_request req = { .to = "JPN", .cert = path("ita.pem"), .key = path("ita.key"),
	                              .path = path(name), .expires_days = days };
	coplan_bundle_result r;
	coplan_store *ita = NULL;
	coplan_ctx ctx;
	unsigned char *data;

	assert_int_equal(coplan_store_open(&ita, path("ita.db")), 0);
	ctx_of(&ctx, ita);
	if (coplan_service_bundle_export(&ctx, 0, &req, &r))
		fail_msg("export: %s", coplan_error_last());
	data = r.data;
	*len = r.len;
	r.data = NULL;
	coplan_bundle_result_release(&r);
	coplan_store_close(ita);
	return data;
}

/* JPN verifies the bundle of len bytes at data (written to a file first): 0 or the error. */
static int verify_bytes(const unsigned char *data, size_t len)
{
	coplan_store *jpn = NULL;
	coplan_ctx ctx;
	FILE *f;
	int rc;

	assert_non_null(f = fopen(path("try.coplan"), "wb"));
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	assert_int_equal(coplan_store_open(&jpn, path("jpn.db")), 0);
	ctx_of(&ctx, jpn);
	rc = coplan_service_bundle_verify(&ctx, path("try.coplan"), path("jpn.pem"), NULL);
	coplan_store_close(jpn);
	return rc;
}

static void test_every_bit_flipped_is_refused(void **state)
{
	size_t len = 0, refused = 0, tried = 0;
	unsigned char *data = export_bundle(&len, "b.coplan", 0);
	coplan_bundle bundle;
	size_t payload_at;

	(void)state;
	assert_int_equal(verify_bytes(data, len), 0);
	/* the payload's bytes in the file: the zip's third entry (stored), the last part before the directory */
	assert_int_equal(coplan_bundle_read(&bundle, data, len, "b"), 0);
	payload_at = (size_t)((unsigned char *)memmem(data, len, bundle.payload, 64) - data);
	/* every bit outside the payload, and every 7th byte of the payload (its SHA-256 covers it whole) */
	for (size_t i = 0; i < len; i++) {
		if (i >= payload_at && i < payload_at + bundle.payload_len && (i - payload_at) % 7)
			continue;
		for (int bit = 0; bit < 8; bit++) {
			coplan_bundle b;

			data[i] ^= (unsigned char)(1u << bit);
			tried++;
			/* in memory: the reader; then through the service for a sample (a file each) */
			if (coplan_bundle_read(&b, data, len, "flipped") == 0) {
				coplan_bundle_release(&b);
				if (verify_bytes(data, len) != 0)
					refused++;
				else
					fail_msg("byte %zu bit %d flipped: the bundle still verifies", i, bit);
			} else {
				refused++;
				if (i % 97 == 0 && bit == 0)
					assert_int_not_equal(verify_bytes(data, len), 0);
			}
			data[i] ^= (unsigned char)(1u << bit);
		}
	}
	assert_int_equal(refused, tried);
	assert_int_equal(verify_bytes(data, len), 0);
	coplan_bundle_release(&bundle);
	free(data);
}

/* The bundle's parts, one changed, zipped again as coplan would: each refused for what it is. */
static void test_each_part_tampered_and_rezipped(void **state)
{
	size_t len = 0, zlen = 0;
	unsigned char *data = export_bundle(&len, "t.coplan", 0), *z = NULL;
	coplan_bundle b;
	char *manifest, *seq;

	(void)state;
	assert_int_equal(coplan_bundle_read(&b, data, len, "t"), 0);
	/* the manifest: another sequence number, same signature */
	assert_non_null(manifest = strdup(b.manifest_text));
	assert_non_null(seq = strstr(manifest, "\"sequence\":"));
	seq[11] = seq[11] == '9' ? '8' : (char)(seq[11] + 1);
	assert_int_equal(coplan_bundle_write(&z, &zlen, manifest, b.manifest_len, b.signature, b.signature_len,
	                                     b.payload, b.payload_len), 0);
	assert_int_equal(verify_bytes(z, zlen), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "the content does not match the signature"));
	free(z);
	free(manifest);
	/* the payload: one character changed */
	b.payload[100] = b.payload[100] == 'a' ? 'b' : 'a';
	assert_int_equal(coplan_bundle_write(&z, &zlen, b.manifest_text, b.manifest_len, b.signature,
	                                     b.signature_len, b.payload, b.payload_len), 0);
	assert_int_equal(verify_bytes(z, zlen), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "does not match the SHA-256"));
	free(z);
	b.payload[100] = b.payload[100] == 'a' ? 'b' : 'a';
	/* the signature: its last byte */
	b.signature[b.signature_len - 1] ^= 1;
	assert_int_equal(coplan_bundle_write(&z, &zlen, b.manifest_text, b.manifest_len, b.signature,
	                                     b.signature_len, b.payload, b.payload_len), 0);
	assert_int_equal(verify_bytes(z, zlen), COPLAN_EINVALID);
	free(z);
	coplan_bundle_release(&b);
	free(data);
}

static void test_expired_bundle(void **state)
{
	size_t len = 0;
	unsigned char *data = export_bundle(&len, "e.coplan", 1);
	time_t saved = now_value;

	(void)state;
	assert_int_equal(verify_bytes(data, len), 0);
	now_value += 86400 + 1;
	assert_int_equal(verify_bytes(data, len), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "the bundle expired on"));
	now_value = saved - 3600;   /* made an hour in the future, as the receiver's clock sees it */
	assert_int_equal(verify_bytes(data, len), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "in the future"));
	now_value = saved;
	free(data);
}

/* The sequence taken survives closing and opening the store; an older one is refused too. */
static void test_replay_refused_after_restart(void **state)
{
	size_t l1 = 0, l2 = 0;
	unsigned char *b1 = export_bundle(&l1, "r1.coplan", 0), *b2 = export_bundle(&l2, "r2.coplan", 0);
	coplan_bundle_import_result r;
	coplan_store *jpn = NULL;
	coplan_ctx ctx;

	(void)state;
	assert_int_equal(coplan_store_open(&jpn, path("jpn.db")), 0);
	ctx_of(&ctx, jpn);
	if (coplan_service_bundle_import(&ctx, path("r2.coplan"), path("jpn.pem"), &r))
		fail_msg("import: %s", coplan_error_last());
	coplan_store_close(jpn);
	assert_int_equal(verify_bytes(b2, l2), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "taken already (a replay)"));
	assert_int_equal(verify_bytes(b1, l1), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "is older than bundle"));
	free(b1);
	free(b2);
}

static void test_size_limits(void **state)
{
	coplan_bundle b;
	char *big;
	FILE *f;
	coplan_store *jpn = NULL;
	coplan_ctx ctx;

	(void)state;
	assert_int_equal(coplan_bundle_read(&b, "x", COPLAN_BUNDLE_MAX + 1, "big"), COPLAN_ELIMIT);
	assert_non_null(big = calloc(1, COPLAN_BUNDLE_MANIFEST_MAX + 2));
	memset(big, ' ', COPLAN_BUNDLE_MANIFEST_MAX + 1);
	assert_int_equal(coplan_bundle_manifest_parse(&b.manifest, big, COPLAN_BUNDLE_MANIFEST_MAX + 1), COPLAN_ELIMIT);
	free(big);
	/* a file over the limit is not read whole */
	assert_non_null(f = fopen(path("huge.coplan"), "wb"));
	assert_int_equal(fseek(f, (long)COPLAN_BUNDLE_MAX + 10, SEEK_SET), 0);
	fputc(0, f);
	fclose(f);
	assert_int_equal(coplan_store_open(&jpn, path("jpn.db")), 0);
	ctx_of(&ctx, jpn);
	assert_int_equal(coplan_service_bundle_verify(&ctx, path("huge.coplan"), path("jpn.pem"), NULL), COPLAN_ELIMIT);
	coplan_store_close(jpn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_bit_flipped_is_refused),
		cmocka_unit_test(test_each_part_tampered_and_rezipped),
		cmocka_unit_test(test_expired_bundle),
		cmocka_unit_test(test_replay_refused_after_restart),
		cmocka_unit_test(test_size_limits),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

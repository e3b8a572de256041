/* SPDX-License-Identifier: Apache-2.0 */
/* test_sign.c - detached CMS signatures: sign, verify, refuse each fault; openssl cms -verify accepts ours. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "coplan/errors.h"
#include "coplan/sign.h"

/*
 * The test makes its own PKI with the openssl command, in a temporary
 * folder, every run (no private key is ever committed): an Italian and a
 * Japanese CA, an office certificate under each, an office certificate
 * that expired in 2021, one under a CA nobody trusts, and an RSA 1024 key.
 */
static char dir[512];

static void sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	if (rc != 0)
		fail_msg("command failed (%d): %s", rc, cmd);
}

/* dir/name, in one of 64 buffers used in turn (a test keeps fewer alive at once). */
static const char *path(const char *name)
{
	static char buf[64][1024];
	static int i;

	i = (i + 1) % 64;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

/* A CA: key NAME.key, self-signed NAME.pem, with the subject given. */
static void make_ca(const char *name, const char *subject)
{
	sh("cd %s && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
	   "-keyout %s.key -out %s.pem -days 3650 -subj '%s' "
	   "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign "
	   "2>/dev/null",
	   dir, name, name, subject);
}

/* An office certificate NAME.pem/NAME.key issued by CA; dates as openssl x509 -not_before/after would take. */
static void make_office(const char *name, const char *subject, const char *ca, const char *keyopt,
                        const char *validity)
{
	sh("cd %s && openssl req -new -newkey %s -nodes -keyout %s.key -out %s.csr -subj '%s' 2>/dev/null && "
	   "printf 'basicConstraints=CA:FALSE\\nkeyUsage=critical,digitalSignature\\n' > %s.ext && "
	   "openssl ca -batch -config ca.cnf -name %s -in %s.csr -out %s.pem -notext -extfile %s.ext %s "
	   "2>/dev/null",
	   dir, keyopt, name, name, subject, name, ca, name, name, name, validity);
}

static int setup(void **state)
{
	const char *cas[] = {"ita_ca", "jpn_ca", "rogue_ca"};
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/test_sign_%ld", COPLAN_TEST_TMP, (long)getpid());
	sh("rm -rf %s && mkdir -p %s", dir, dir);
	make_ca("ita_ca", "/C=IT/O=Stato Maggiore della Difesa/CN=ITA coplan test CA");
	make_ca("jpn_ca", "/C=JP/O=Joint Staff/CN=JPN coplan test CA");
	make_ca("rogue_ca", "/C=IT/O=Nobody/CN=rogue CA");
	assert_non_null(f = fopen(path("ca.cnf"), "w"));
	for (size_t i = 0; i < 3; i++) {
		fprintf(f, "[%s]\ndir = %s\ndatabase = $dir/%s.idx\nnew_certs_dir = $dir\n"
		           "certificate = $dir/%s.pem\nprivate_key = $dir/%s.key\nserial = $dir/%s.srl\n"
		           "default_md = sha256\ndefault_days = 365\npolicy = any\ncopy_extensions = none\n"
		           "unique_subject = no\n\n",
		        cas[i], dir, cas[i], cas[i], cas[i], cas[i]);
		sh("cd %s && : > %s.idx && echo 01 > %s.srl", dir, cas[i], cas[i]);
	}
	fprintf(f, "[any]\ncountryName = optional\norganizationName = optional\ncommonName = supplied\n");
	fclose(f);
	make_office("ita_office", "/C=IT/O=Stato Maggiore della Difesa/CN=III Reparto", "ita_ca",
	            "ec -pkeyopt ec_paramgen_curve:P-256", "");
	make_office("jpn_office", "/C=JP/O=Joint Staff/CN=J5", "jpn_ca", "ec -pkeyopt ec_paramgen_curve:P-384", "");
	make_office("ita_rsa", "/C=IT/CN=ITA RSA office", "ita_ca", "rsa:2048", "");
	make_office("ita_expired", "/C=IT/CN=ITA old office", "ita_ca", "ec -pkeyopt ec_paramgen_curve:P-256",
	            "-startdate 20200101000000Z -enddate 20210101000000Z");
	make_office("rogue_office", "/C=IT/CN=impostor", "rogue_ca", "ec -pkeyopt ec_paramgen_curve:P-256", "");
	sh("cd %s && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out weak.key 2>/dev/null", dir);
	sh("cd %s && openssl pkey -in ita_office.key -aes256 -passout pass:secret -out encrypted.key", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (!getenv("KEEP")) sh("rm -rf %s", dir);
	return 0;
}

static const char content[] = "{\"plan\":\"Italy-Japan 2024\",\"sequence\":7}";

static void test_sign_and_verify(void **state)
{
	const char *trusted[] = {path("jpn_ca.pem"), path("ita_ca.pem")};
	unsigned char *sig;
	size_t len;
	coplan_signer who;

	(void)state;
	assert_int_equal(coplan_sign_detached(&sig, &len, content, strlen(content), path("ita_office.pem"),
	                                      path("ita_office.key")),
	                 0);
	assert_int_equal(coplan_verify_detached(content, strlen(content), sig, len, trusted, 2, time(NULL), &who), 0);
	assert_string_equal(who.nation, "ITA");
	assert_non_null(strstr(who.subject, "CN=III Reparto"));
	assert_non_null(strstr(who.issuer, "ITA coplan test CA"));
	assert_int_equal(strlen(who.fingerprint), 64);
	assert_true(who.not_before <= time(NULL) && time(NULL) < who.not_after);

	/* the openssl command accepts it, with the same trust */
	{
		FILE *f = fopen(path("content"), "wb");
		assert_non_null(f);
		fwrite(content, 1, strlen(content), f);
		fclose(f);
		assert_non_null(f = fopen(path("content.sig"), "wb"));
		fwrite(sig, 1, len, f);
		fclose(f);
		sh("openssl cms -verify -binary -inform DER -in %s -content %s -CAfile %s -out /dev/null 2>/dev/null",
		   path("content.sig"), path("content"), path("ita_ca.pem"));
	}

	/* one flipped bit anywhere in the content or the signature is refused */
	for (size_t i = 0; i < strlen(content); i++) {
		char copy[sizeof(content)];
		memcpy(copy, content, sizeof(content));
		copy[i] ^= 0x04;
		assert_int_equal(coplan_verify_detached(copy, strlen(content), sig, len, trusted, 2, time(NULL), NULL),
		                 COPLAN_EINVALID);
		if (!strstr(coplan_error_last(), "does not match"))
			fail_msg("byte %zu: %s", i, coplan_error_last());
	}
	for (size_t i = 0; i < len; i++) {
		for (int bit = 0; bit < 8; bit++) {
			sig[i] ^= (unsigned char)(1u << bit);
			if (coplan_verify_detached(content, strlen(content), sig, len, trusted, 2, time(NULL), NULL) == 0) {
				/* a flip that leaves the DER meaning the same (none is expected) */
				fail_msg("bit %d of signature byte %zu flipped and still accepted", bit, i);
			}
			sig[i] ^= (unsigned char)(1u << bit);
		}
	}
	/* a truncated signature, and nothing at all */
	assert_int_equal(coplan_verify_detached(content, strlen(content), sig, len - 1, trusted, 2, time(NULL), NULL),
	                 COPLAN_EINVALID);
	assert_int_equal(coplan_verify_detached(content, strlen(content), NULL, 0, trusted, 2, time(NULL), NULL),
	                 COPLAN_EINVALID);
	free(sig);
}

static void test_p384_and_rsa(void **state)
{
	const char *jpn[] = {path("jpn_ca.pem")}, *ita[] = {path("ita_ca.pem")};
	unsigned char *sig;
	size_t len;
	coplan_signer who;

	(void)state;
	assert_int_equal(coplan_sign_detached(&sig, &len, content, strlen(content), path("jpn_office.pem"),
	                                      path("jpn_office.key")),
	                 0);
	assert_int_equal(coplan_verify_detached(content, strlen(content), sig, len, jpn, 1, time(NULL), &who), 0);
	assert_string_equal(who.nation, "JPN");
	/* trusting only Italy's CA, Japan's signature is refused */
	assert_int_equal(coplan_verify_detached(content, strlen(content), sig, len, ita, 1, time(NULL), NULL),
	                 COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "not issued by a trusted CA"));
	free(sig);
	assert_int_equal(coplan_sign_detached(&sig, &len, content, strlen(content), path("ita_rsa.pem"),
	                                      path("ita_rsa.key")),
	                 0);
	assert_int_equal(coplan_verify_detached(content, strlen(content), sig, len, ita, 1, time(NULL), NULL), 0);
	free(sig);
}

static void test_refusals(void **state)
{
	const char *ita[] = {path("ita_ca.pem")}, *both[] = {path("ita_ca.pem"), path("jpn_ca.pem")};
	unsigned char *sig;
	size_t len;

	(void)state;
	/* an expired certificate */
	assert_int_equal(coplan_sign_detached(&sig, &len, content, strlen(content), path("ita_expired.pem"),
	                                      path("ita_expired.key")),
	                 0);
	assert_int_equal(coplan_verify_detached(content, strlen(content), sig, len, ita, 1, time(NULL), NULL),
	                 COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "expired on 2021-01-01"));
	free(sig);
	/* a valid one, checked at a time after it expires (4102444800: 2100-01-01) */
	assert_int_equal(coplan_sign_detached(&sig, &len, content, strlen(content), path("ita_office.pem"),
	                                      path("ita_office.key")),
	                 0);
	assert_int_equal(coplan_verify_detached(content, strlen(content), sig, len, ita, 1, 4102444800, NULL),
	                 COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "expired on"));
	free(sig);

	/* an unknown CA */
	assert_int_equal(coplan_sign_detached(&sig, &len, content, strlen(content), path("rogue_office.pem"),
	                                      path("rogue_office.key")),
	                 0);
	assert_int_equal(coplan_verify_detached(content, strlen(content), sig, len, both, 2, time(NULL), NULL),
	                 COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "not issued by a trusted CA"));
	free(sig);

	/* keys that must not sign */
	assert_int_equal(coplan_sign_detached(&sig, &len, content, strlen(content), path("ita_office.pem"),
	                                      path("jpn_office.key")),
	                 COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "not the one of the certificate"));
	assert_int_equal(coplan_sign_detached(&sig, &len, content, strlen(content), path("ita_office.pem"),
	                                      path("weak.key")),
	                 COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "1024 bits"));
	assert_int_equal(coplan_sign_detached(&sig, &len, content, strlen(content), path("ita_office.pem"),
	                                      path("encrypted.key")),
	                 COPLAN_EINVALID);
	assert_int_equal(coplan_sign_detached(&sig, &len, content, strlen(content), path("ita_office.key"),
	                                      path("ita_office.key")),
	                 COPLAN_EINVALID);
	assert_int_equal(coplan_sign_detached(&sig, &len, content, strlen(content), path("missing.pem"),
	                                      path("ita_office.key")),
	                 COPLAN_EIO);
	assert_null(sig);
}

static void test_certificate_info(void **state)
{
	coplan_signer info;
	char cmd[1024], want[128] = "";
	FILE *p;

	(void)state;
	assert_int_equal(coplan_certificate_info(path("jpn_ca.pem"), &info), 0);
	assert_string_equal(info.nation, "JPN");
	/* the fingerprint openssl shows */
	snprintf(cmd, sizeof(cmd), "openssl x509 -in %s -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr A-F a-f",
	         path("jpn_ca.pem"));
	assert_non_null(p = popen(cmd, "r"));
	assert_non_null(fgets(want, sizeof(want), p));
	pclose(p);
	want[strcspn(want, "\n")] = '\0';
	assert_string_equal(info.fingerprint, want);
	assert_int_equal(coplan_certificate_info(path("ita_office.key"), &info), COPLAN_EINVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign_and_verify),
		cmocka_unit_test(test_p384_and_rsa),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_certificate_info),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

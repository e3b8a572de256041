/* SPDX-License-Identifier: Apache-2.0 */
/* sign.c - detached CMS signatures with OpenSSL 3: sign by an office's certificate, verify against partner CAs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "buf.h"
#include "coplan/errors.h"
#include "coplan/sign.h"
#include "common.h"

/* OpenSSL's own reason for the last failure, for a message; the queue is emptied. */
static const char *ssl_reason(char *buf, size_t cap)
{
	unsigned long e = ERR_peek_last_error();

	if (e)
		ERR_error_string_n(e, buf, cap);
	else
		snprintf(buf, cap, "no detail");
	ERR_clear_error();
	return buf;
}

static int ssl_fail(int code, const char *what)
{
	char reason[256];

	return cp_error(code, "%s (%s)", what, ssl_reason(reason, sizeof(reason)));
}

/* Read a PEM file into a memory BIO (the caller frees it); refuses files over COPLAN_PEM_MAX. */
static int pem_bio(BIO **out, const char *path)
{
	cp_buf b = CP_BUF_INIT(COPLAN_PEM_MAX);
	int rc;

	*out = NULL;
	if ((rc = cp_buf_read_file(&b, path))) {
		cp_buf_release(&b);   /* what was read before the limit */
		return rc;
	}
	if (!(*out = BIO_new(BIO_s_mem())) || BIO_write(*out, b.data ? b.data : "", (int)b.len) != (int)b.len) {
		BIO_free(*out);
		*out = NULL;
		cp_buf_release(&b);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	cp_buf_release(&b);
	return 0;
}

static int read_cert(X509 **out, const char *path)
{
	BIO *bio;
	int rc;

	*out = NULL;
	if ((rc = pem_bio(&bio, path)))
		return rc;
	*out = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (!*out) {
		ERR_clear_error();
		return cp_error(COPLAN_EINVALID, "%s: not a PEM certificate", path);
	}
	return 0;
}

/* A passphrase callback that gives none: an encrypted key fails to load. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

/* ECDSA on P-256 or P-384, or RSA of at least 2048 bits. */
static int key_allowed(EVP_PKEY *key, const char *path)
{
	char group[64] = "";

	if (EVP_PKEY_is_a(key, "RSA")) {
		if (EVP_PKEY_get_bits(key) < 2048)
			return cp_error(COPLAN_EINVALID, "%s: an RSA key of %d bits (at least 2048 needed)",
			                path, EVP_PKEY_get_bits(key));
		return 0;
	}
	if (EVP_PKEY_is_a(key, "EC") && EVP_PKEY_get_group_name(key, group, sizeof(group), NULL) &&
	    (!strcmp(group, "prime256v1") || !strcmp(group, "secp384r1")))
		return 0;
	return cp_error(COPLAN_EINVALID, "%s: a %s key%s%s (ECDSA P-256 or P-384, or RSA, needed)", path,
	                EVP_PKEY_get0_type_name(key) ? EVP_PKEY_get0_type_name(key) : "unknown",
	                *group ? " on " : "", group);
}

int coplan_sign_detached(unsigned char **sig, size_t *sig_len, const void *data, size_t len,
                         const char *cert_path, const char *key_path)
{
	X509 *cert = NULL;
	EVP_PKEY *key = NULL;
	BIO *kbio = NULL, *content = NULL, *der = NULL;
	CMS_ContentInfo *cms = NULL;
	unsigned int flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL;
	BUF_MEM *mem;
	int rc;

	*sig = NULL;
	*sig_len = 0;
	if ((rc = read_cert(&cert, cert_path)) || (rc = pem_bio(&kbio, key_path)))
		goto cleanup;
	if (!(key = PEM_read_bio_PrivateKey(kbio, NULL, no_passphrase, NULL))) {
		ERR_clear_error();
		rc = cp_error(COPLAN_EINVALID, "%s: not an unencrypted PEM private key", key_path);
		goto cleanup;
	}
	if ((rc = key_allowed(key, key_path)))
		goto cleanup;
	if (!X509_check_private_key(cert, key)) {
		ERR_clear_error();
		rc = cp_error(COPLAN_EINVALID, "%s: the key is not the one of the certificate %s", key_path,
		              cert_path);
		goto cleanup;
	}
	if (!(content = BIO_new_mem_buf(data ? data : "", (int)len)) || len > (size_t)INT32_MAX) {
		rc = cp_error(COPLAN_ELIMIT, "content to sign too large");
		goto cleanup;
	}
	if (!(cms = CMS_sign(NULL, NULL, NULL, NULL, flags)) ||
	    !CMS_add1_signer(cms, cert, key, EVP_sha256(), flags) ||
	    !CMS_final(cms, content, NULL, CMS_DETACHED | CMS_BINARY)) {
		rc = ssl_fail(COPLAN_ERROR, "signing failed");
		goto cleanup;
	}
	if (!(der = BIO_new(BIO_s_mem())) || !i2d_CMS_bio(der, cms)) {
		rc = ssl_fail(COPLAN_ENOMEM, "writing the signature failed");
		goto cleanup;
	}
	BIO_get_mem_ptr(der, &mem);
	if (!(*sig = malloc(mem->length ? mem->length : 1))) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	memcpy(*sig, mem->data, mem->length);
	*sig_len = mem->length;
	rc = 0;
cleanup:
	CMS_ContentInfo_free(cms);
	BIO_free(der);
	BIO_free(content);
	BIO_free(kbio);
	EVP_PKEY_free(key);
	X509_free(cert);
	return rc;
}

/* An ASN.1 time as seconds since 1970 (UTC); -1 when it cannot be read. */
static time_t asn1_time(const ASN1_TIME *t)
{
	ASN1_TIME *epoch = ASN1_TIME_set(NULL, 0);
	int days = 0, secs = 0, ok = epoch && t && ASN1_TIME_diff(&days, &secs, epoch, t);

	ASN1_TIME_free(epoch);
	return ok ? (time_t)days * 86400 + secs : (time_t)-1;
}

static void signer_info(const X509 *cert, coplan_signer *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	char c[8] = "";
	const char *nation;
	BIO *bio;

	memset(out, 0, sizeof(*out));
	if ((bio = BIO_new(BIO_s_mem()))) {
		int n;
		X509_NAME_print_ex(bio, X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
		n = BIO_read(bio, out->subject, (int)sizeof(out->subject) - 1);
		out->subject[n > 0 ? n : 0] = '\0';
		(void)BIO_reset(bio);
		X509_NAME_print_ex(bio, X509_get_issuer_name(cert), 0, XN_FLAG_RFC2253);
		n = BIO_read(bio, out->issuer, (int)sizeof(out->issuer) - 1);
		out->issuer[n > 0 ? n : 0] = '\0';
		BIO_free(bio);
	}
	if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_countryName, c, sizeof(c)) == 2 &&
	    (nation = cp_nation_from_alpha2(c)))
		memcpy(out->nation, nation, 4);
	if (X509_digest(cert, EVP_sha256(), md, &md_len) && md_len == 32)
		for (unsigned i = 0; i < 32; i++)
			snprintf(out->fingerprint + 2 * i, 3, "%02x", md[i]);
	out->not_before = asn1_time(X509_get0_notBefore(cert));
	out->not_after = asn1_time(X509_get0_notAfter(cert));
	ERR_clear_error();
}

int coplan_certificate_info(const char *path, coplan_signer *out)
{
	X509 *cert;
	int rc;

	if ((rc = read_cert(&cert, path)))
		return rc;
	signer_info(cert, out);
	X509_free(cert);
	return 0;
}

/* A memory BIO over PEM text of len bytes (at most COPLAN_PEM_MAX). */
static int pem_text_bio(BIO **out, const char *pem, size_t len)
{
	*out = NULL;
	if (len > COPLAN_PEM_MAX)
		return cp_error(COPLAN_ELIMIT, "a PEM text larger than %d bytes", COPLAN_PEM_MAX);
	if (!(*out = BIO_new_mem_buf(pem ? pem : "", (int)len)))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	return 0;
}

/* Load every certificate of the PEM files (or, when are_text, PEM texts) into a new store. */
static int trust_store(X509_STORE **out, const char *const *ca_paths, size_t n_ca, int are_text,
                       time_t at)
{
	X509_STORE *store = X509_STORE_new();
	int rc = 0;

	*out = NULL;
	if (!store)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	for (size_t i = 0; i < n_ca && !rc; i++) {
		STACK_OF(X509_INFO) *infos;
		BIO *bio;
		int added = 0;

		if ((rc = are_text ? pem_text_bio(&bio, ca_paths[i], strlen(ca_paths[i]))
		                   : pem_bio(&bio, ca_paths[i])))
			break;
		infos = PEM_X509_INFO_read_bio(bio, NULL, NULL, NULL);
		BIO_free(bio);
		for (int j = 0; infos && j < sk_X509_INFO_num(infos); j++) {
			X509_INFO *info = sk_X509_INFO_value(infos, j);
			if (info->x509 && X509_STORE_add_cert(store, info->x509))
				added++;
		}
		sk_X509_INFO_pop_free(infos, X509_INFO_free);
		ERR_clear_error();
		if (!added)
			rc = are_text ? cp_error(COPLAN_EINVALID, "a trusted CA that is not a PEM certificate")
			              : cp_error(COPLAN_EINVALID, "%s: no PEM certificate in it", ca_paths[i]);
	}
	if (rc) {
		X509_STORE_free(store);
		return rc;
	}
	X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store), at);
	*out = store;
	return 0;
}

/* Why the chain of cert to store fails, in words; 0 when it does not. */
static int check_chain(X509_STORE *store, X509 *cert, STACK_OF(X509) *extra, time_t at)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	char when[32];
	int err, ok;

	if (!ctx || !X509_STORE_CTX_init(ctx, store, cert, extra)) {
		X509_STORE_CTX_free(ctx);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SMIME_SIGN);
	ok = X509_verify_cert(ctx) == 1;
	err = X509_STORE_CTX_get_error(ctx);
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	if (ok)
		return 0;
	switch (err) {
	case X509_V_ERR_CERT_HAS_EXPIRED: {
		time_t t = asn1_time(X509_get0_notAfter(cert));
		struct tm tm;
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
		return cp_error(COPLAN_EINVALID, "the signer's certificate expired on %s", when);
	}
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return cp_error(COPLAN_EINVALID, "the signer's certificate is not valid yet");
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
		return cp_error(COPLAN_EINVALID, "the signer's certificate was not issued by a trusted CA");
	default:
		(void)at;
		return cp_error(COPLAN_EINVALID, "the signer's certificate does not verify (%s)",
		                X509_verify_cert_error_string(err));
	}
}

/*
 * Read one DER header at *p (within end): its tag, class and content
 * length; *p is left at the content.  0, or -1 for a malformed header.
 */
static int der_header(const unsigned char **p, const unsigned char *end, int *tag, int *cls,
                      long *len)
{
	int r = ASN1_get_object(p, len, tag, cls, (long)(end - *p));

	if (r & 0x80 || *len > end - *p) {
		ERR_clear_error();
		return -1;
	}
	return 0;
}

/*
 * The version numbers a signature holds outside what is signed: the
 * SignedData's and its SignerInfo's, both 1 for signatures as coplan
 * writes them (RFC 5652 5.1 and 5.3: issuerAndSerialNumber, no
 * attribute certificates).  Checking them leaves no bit of the signature
 * that can change without it being refused.  0 when both are 1.
 */
static int versions_ok(const unsigned char *der, size_t der_len)
{
	const unsigned char *p = der, *end = der + der_len;
	int tag, cls, sets = 0;
	long len;

	if (der_header(&p, end, &tag, &cls, &len) || tag != V_ASN1_SEQUENCE) /* ContentInfo */
		return -1;
	if (der_header(&p, end, &tag, &cls, &len) || tag != V_ASN1_OBJECT)  /* contentType */
		return -1;
	p += len;
	if (der_header(&p, end, &tag, &cls, &len) || cls != V_ASN1_CONTEXT_SPECIFIC || tag != 0)
		return -1;
	if (der_header(&p, end, &tag, &cls, &len) || tag != V_ASN1_SEQUENCE) /* SignedData */
		return -1;
	end = p + len;
	if (der_header(&p, end, &tag, &cls, &len) || tag != V_ASN1_INTEGER || len != 1 || *p != 1)
		return -1;
	p += len;
	/* digestAlgorithms SET, encapContentInfo, [0] certificates, [1] crls, then signerInfos SET */
	while (p < end) {
		if (der_header(&p, end, &tag, &cls, &len))
			return -1;
		if (cls == V_ASN1_UNIVERSAL && tag == V_ASN1_SET && ++sets == 2)
			break;
		p += len;
	}
	if (sets != 2 || der_header(&p, end, &tag, &cls, &len) || tag != V_ASN1_SEQUENCE)
		return -1;
	if (der_header(&p, end, &tag, &cls, &len) || tag != V_ASN1_INTEGER || len != 1 || *p != 1)
		return -1;
	return 0;
}

/*
 * What the signature says it is, against what coplan writes: SHA-256,
 * ECDSA with SHA-256 or RSA, over id-data, encoded in DER exactly as
 * OpenSSL would write it back.  0, or COPLAN_EINVALID.
 */
static int signature_shape(CMS_ContentInfo *cms, const unsigned char *der, size_t der_len)
{
	STACK_OF(CMS_SignerInfo) *infos = CMS_get0_SignerInfos(cms);
	X509_ALGOR *dig = NULL, *alg = NULL;
	unsigned char *again = NULL;
	int n, sig_nid, same;

	if (OBJ_obj2nid(CMS_get0_eContentType(cms)) != NID_pkcs7_data)
		return cp_error(COPLAN_EINVALID, "the signature is not over plain data");
	if (!infos || sk_CMS_SignerInfo_num(infos) != 1)
		return cp_error(COPLAN_EINVALID, "the signature has %d signers (one expected)",
		                infos ? sk_CMS_SignerInfo_num(infos) : 0);
	CMS_SignerInfo_get0_algs(sk_CMS_SignerInfo_value(infos, 0), NULL, NULL, &dig, &alg);
	sig_nid = alg ? OBJ_obj2nid(alg->algorithm) : NID_undef;
	if (!dig || OBJ_obj2nid(dig->algorithm) != NID_sha256 ||
	    (sig_nid != NID_ecdsa_with_SHA256 && sig_nid != NID_rsaEncryption &&
	     sig_nid != NID_sha256WithRSAEncryption))
		return cp_error(COPLAN_EINVALID, "the signature uses an algorithm coplan does not "
		                "(SHA-256 with ECDSA or RSA expected)");
	n = i2d_CMS_ContentInfo(cms, &again);
	same = n > 0 && (size_t)n == der_len && !memcmp(again, der, der_len);
	OPENSSL_free(again);
	ERR_clear_error();
	if (!same || versions_ok(der, der_len))
		return cp_error(COPLAN_EINVALID, "the signature is not encoded as coplan writes it");
	return 0;
}

/*
 * The signer's identifier names its certificate by issuer and serial
 * number; OpenSSL matches the issuer by meaning, so a damaged encoding of
 * the same name would pass.  Require the very bytes of the certificate's
 * issuer.  0, or COPLAN_EINVALID.
 */
static int signer_id_exact(CMS_ContentInfo *cms, X509 *cert)
{
	CMS_SignerInfo *si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
	ASN1_OCTET_STRING *keyid = NULL;
	X509_NAME *issuer = NULL;
	ASN1_INTEGER *serial = NULL;
	unsigned char *a = NULL, *b = NULL;
	int na, nb, same;

	if (!si || !CMS_SignerInfo_get0_signer_id(si, &keyid, &issuer, &serial) || !issuer || !serial)
		return cp_error(COPLAN_EINVALID, "the signature does not name its signer's certificate");
	na = i2d_X509_NAME(issuer, &a);
	nb = i2d_X509_NAME(X509_get_issuer_name(cert), &b);
	same = na > 0 && na == nb && !memcmp(a, b, (size_t)na) &&
	       !ASN1_INTEGER_cmp(serial, X509_get0_serialNumber(cert));
	OPENSSL_free(a);
	OPENSSL_free(b);
	ERR_clear_error();
	return same ? 0 : cp_error(COPLAN_EINVALID, "the signature names its signer's certificate "
	                           "in a damaged form");
}

static int verify_detached(const void *data, size_t len, const unsigned char *sig, size_t sig_len,
                           const char *const *ca_paths, size_t n_ca, int are_text, time_t at,
                           coplan_signer *signer)
{
	const unsigned char *p = sig;
	CMS_ContentInfo *cms = NULL;
	X509_STORE *store = NULL;
	STACK_OF(X509) *signers = NULL, *certs = NULL;
	BIO *content = NULL, *mem = NULL;
	int rc;

	if (signer)
		memset(signer, 0, sizeof(*signer));
	if (sig_len > COPLAN_SIGNATURE_MAX)
		return cp_error(COPLAN_ELIMIT, "signature larger than %d bytes", COPLAN_SIGNATURE_MAX);
	if (len > (size_t)INT32_MAX)
		return cp_error(COPLAN_ELIMIT, "signed content too large");
	if (!sig || !(cms = d2i_CMS_ContentInfo(NULL, &p, (long)sig_len)) || p != sig + sig_len) {
		ERR_clear_error();
		rc = cp_error(COPLAN_EINVALID, "the signature is not a CMS signature (DER)");
		goto cleanup;
	}
	if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed || !CMS_is_detached(cms)) {
		rc = cp_error(COPLAN_EINVALID, "the signature is not a detached CMS SignedData");
		goto cleanup;
	}
	if ((rc = signature_shape(cms, sig, sig_len)))
		goto cleanup;
	if ((rc = trust_store(&store, ca_paths, n_ca, are_text, at)))
		goto cleanup;
	/*
	 * The content behind a buffering BIO, not a memory BIO itself: given a
	 * memory BIO, OpenSSL 3.0's CMS_verify() reads it through a copy of its
	 * own that it leaks when the digest does not match.
	 */
	if (!(mem = BIO_new_mem_buf(data ? data : "", (int)len)) || !(content = BIO_new(BIO_f_buffer()))) {
		BIO_free(mem);
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	BIO_push(content, mem);
	/* First the content against the signature alone, to say which of the two failed. */
	if (CMS_verify(cms, NULL, NULL, content, NULL, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) != 1) {
		ERR_clear_error();
		rc = cp_error(COPLAN_EINVALID, "the content does not match the signature");
		goto cleanup;
	}
	if (!(signers = CMS_get0_signers(cms)) || sk_X509_num(signers) != 1) {
		rc = cp_error(COPLAN_EINVALID, "the signer's certificate is not in the signature");
		goto cleanup;
	}
	if ((rc = signer_id_exact(cms, sk_X509_value(signers, 0))))
		goto cleanup;
	certs = CMS_get1_certs(cms);
	if ((rc = check_chain(store, sk_X509_value(signers, 0), certs, at)))
		goto cleanup;
	/* Then the whole of it as `openssl cms -verify` does. */
	(void)BIO_reset(content);  /* the buffer and the memory BIO under it, back to the start */
	if (CMS_verify(cms, NULL, store, content, NULL, CMS_BINARY) != 1) {
		rc = ssl_fail(COPLAN_EINVALID, "the signature does not verify");
		goto cleanup;
	}
	if (signer)
		signer_info(sk_X509_value(signers, 0), signer);
	rc = 0;
cleanup:
	sk_X509_free(signers);
	sk_X509_pop_free(certs, X509_free);
	BIO_free_all(content);
	X509_STORE_free(store);
	CMS_ContentInfo_free(cms);
	return rc;
}

int coplan_verify_detached(const void *data, size_t len, const unsigned char *sig,
                           size_t sig_len, const char *const *ca_paths, size_t n_ca, time_t at,
                           coplan_signer *signer)
{
	return verify_detached(data, len, sig, sig_len, ca_paths, n_ca, 0, at, signer);
}

int coplan_verify_detached_pem(const void *data, size_t len, const unsigned char *sig,
                               size_t sig_len, const char *const *ca_pems, size_t n_ca, time_t at,
                               coplan_signer *signer)
{
	return verify_detached(data, len, sig, sig_len, ca_pems, n_ca, 1, at, signer);
}

int coplan_certificate_info_pem(const char *pem, size_t len, coplan_signer *out)
{
	X509 *cert;
	BIO *bio;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = pem_text_bio(&bio, pem, len)))
		return rc;
	cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (!cert) {
		ERR_clear_error();
		return cp_error(COPLAN_EINVALID, "not a PEM certificate");
	}
	signer_info(cert, out);
	X509_free(cert);
	return 0;
}

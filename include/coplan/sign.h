/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/sign.h - detached CMS signatures (RFC 5652) by an office's X.509 certificate, and their verification. */
#ifndef COPLAN_SIGN_H
#define COPLAN_SIGN_H

#include <stddef.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Plans travel between nations whose networks are not connected as files
 * signed by the sending office.  Each office holds an X.509 certificate
 * issued by its nation's certification authority (ECDSA P-256 or P-384,
 * or RSA of at least 2048 bits) and the private key, in PEM files; the
 * receiver trusts the partner nation's CA certificate, exchanged at the
 * staff talks.  A signature is a detached CMS SignedData (RFC 5652) in
 * DER, SHA-256, carrying the signer's certificate, which
 * `openssl cms -verify -binary -inform DER -content FILE -CAfile CA.pem`
 * accepts.  Ed25519 is not used: Debian 12's OpenSSL 3.0 cannot put it in
 * CMS.
 *
 * Functions return 0 or a negative coplan_error_code (coplan/errors.h)
 * with coplan_error_last() set; COPLAN_EINVALID for a signature or a
 * certificate that does not verify, with the reason.
 */

/* Size limits of what is read: a PEM file, a signature. */
#define COPLAN_PEM_MAX (256 * 1024)
#define COPLAN_SIGNATURE_MAX (256 * 1024)

/* What a verified signature tells about its signer. */
typedef struct {
	char subject[512];         /* the certificate's subject, one line (RFC 2253) */
	char issuer[512];          /* its issuer's subject */
	char nation[4];            /* the subject's countryName (C=) as ISO 3166-1 alpha-3, "" when none */
	char fingerprint[65];      /* SHA-256 of the certificate (DER), 64 lower-case hex digits */
	time_t not_before;         /* validity, UTC */
	time_t not_after;
} coplan_signer;

/*
 * Sign data[0..len) with the certificate and private key in the PEM files
 * cert_path and key_path (an encrypted key is refused: a smart card or an
 * unencrypted key file the office protects).  *sig (malloc'd, the caller
 * frees it) gets the DER signature, *sig_len its length.  Errors:
 * COPLAN_EIO (a file), COPLAN_EINVALID (not a certificate or key, the key
 * does not match the certificate, a key type not allowed), COPLAN_ENOMEM.
 */
int coplan_sign_detached(unsigned char **sig, size_t *sig_len, const void *data, size_t len,
                         const char *cert_path, const char *key_path);

/*
 * Verify the detached signature sig over data: the content matches, the
 * signer's certificate chains to one of the n_ca trusted CA certificates
 * (PEM files ca_paths; each may hold several certificates) and was valid
 * at time at (UTC).  *signer (may be NULL) gets who signed.  Errors:
 * COPLAN_EINVALID with the reason ("the content does not match the
 * signature", "the certificate was not issued by a trusted CA", "the
 * certificate expired on ..."), COPLAN_EIO, COPLAN_ELIMIT, COPLAN_ENOMEM.
 */
int coplan_verify_detached(const void *data, size_t len, const unsigned char *sig,
                           size_t sig_len, const char *const *ca_paths, size_t n_ca, time_t at,
                           coplan_signer *signer);

/*
 * As coplan_verify_detached(), the trusted CAs given as n_ca NUL-terminated
 * PEM texts (each at most COPLAN_PEM_MAX bytes; the partner CAs a store
 * keeps) instead of files.  Errors: as coplan_verify_detached().
 */
int coplan_verify_detached_pem(const void *data, size_t len, const unsigned char *sig,
                               size_t sig_len, const char *const *ca_pems, size_t n_ca, time_t at,
                               coplan_signer *signer);

/*
 * The first certificate of the PEM text pem (len bytes, at most
 * COPLAN_PEM_MAX) into *out, no chain check.  Errors: COPLAN_EINVALID,
 * COPLAN_ELIMIT, COPLAN_ENOMEM.
 */
int coplan_certificate_info_pem(const char *pem, size_t len, coplan_signer *out);

/*
 * Read the first certificate of the PEM file path into *out (no chain
 * check): to show its fingerprint before it is trusted.  Errors:
 * COPLAN_EIO, COPLAN_EINVALID, COPLAN_ELIMIT.
 */
int coplan_certificate_info(const char *path, coplan_signer *out);

#ifdef __cplusplus
}
#endif

#endif

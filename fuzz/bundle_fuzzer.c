/* SPDX-License-Identifier: Apache-2.0 */
/* bundle_fuzzer.c - the bundle reader (libzip, the manifest's JSON, the CMS signature) on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "coplan/coplan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The CA of the corpus's bundles (its certificate only: the key was made
 * for the corpus and thrown away), so that a bundle the reader takes goes
 * on through the whole signature check.
 */
static const char corpus_ca[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBzTCCAXOgAwIBAgIUYIawYtD44q6Gmt1gH/527uuyCawwCgYIKoZIzj0EAwIw\n"
	"NDELMAkGA1UEBhMCSVQxDzANBgNVBAoMBkRpZmVzYTEUMBIGA1UEAwwLSVRBIHRl\n"
	"c3QgQ0EwHhcNMjYxMTMwMTk0ODM1WhcNMzYxMTI3MTk0ODM1WjA0MQswCQYDVQQG\n"
	"EwJJVDEPMA0GA1UECgwGRGlmZXNhMRQwEgYDVQQDDAtJVEEgdGVzdCBDQTBZMBMG\n"
	"ByqGSM49AgEGCCqGSM49AwEHA0IABI0GNb5QIesRSduG8SMxGWsPhrDnhxq/MqK9\n"
	"uCpZ/HZ9Z5pYVvt2GJYWM7GsrDEKogg0AjkpWTnjtw1wEiOvEjOjYzBhMB0GA1Ud\n"
	"DgQWBBQYCQcBroALHvAk8nCSJIQ9T5pR4DAfBgNVHSMEGDAWgBQYCQcBroALHvAk\n"
	"8nCSJIQ9T5pR4DAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIBBjAKBggq\n"
	"hkjOPQQDAgNIADBFAiBo6UMsA2wtMKDF3ElX4x7iUjDYBMkNXWpT6rirW0dU7AIh\n"
	"AN/6g94YnhY/SaCDHnxkmE7FzaXUSZLTtP45FxezbMm5\n"
	"-----END CERTIFICATE-----\n"
	;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *cas[1] = { corpus_ca };
	coplan_bundle_manifest m;
	coplan_bundle b;
	coplan_signer signer;

	/* the manifest parser alone, on the bytes as they come */
	(void)coplan_bundle_manifest_parse(&m, (const char *)data, size);
	/* the bytes as a signature over a fixed content: the CMS reader */
	(void)coplan_verify_detached_pem("coplan", 6, data, size, cas, 1, 2000000000, &signer);
	/* the bytes as a bundle: zip, manifest, payload hash, then its signature at the time it was made */
	if (coplan_bundle_read(&b, data, size, "fuzz.coplan") == 0) {
		(void)coplan_verify_detached_pem(b.manifest_text, b.manifest_len, b.signature, b.signature_len, cas, 1,
		                                 b.manifest.created, &signer);
		coplan_bundle_release(&b);
	}
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_keys.c - coplan keys: the partner nations' CA certificates this office trusts: import, list, delete. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"coplan keys import-ca NATION FILE.pem [--talks ID]\n"
	"   or: coplan keys list\n"
	"   or: coplan keys delete FINGERPRINT";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "A partner nation's offices sign the bundles they send (coplan bundle) with\n"
	       "certificates issued by that nation's CA.  This office trusts a bundle only\n"
	       "when its signer's certificate chains to a CA kept here for the sender's\n"
	       "nation.  CA certificates are exchanged at staff talks: compare the\n"
	       "fingerprint that import-ca prints with the one the partner gave you.\n\n"
	       "  import-ca NATION FILE  trust the CA certificate in FILE (PEM) for NATION's\n"
	       "                         offices (ISO 3166-1 alpha-3)\n"
	       "  list                   the CAs kept: nation, SHA-256 fingerprint, subject,\n"
	       "                         validity (UTC) and the talks that exchanged them\n"
	       "  delete FINGERPRINT     stop trusting that CA\n\n"
	       "This office's own certificate and key are never kept in the database: they\n"
	       "are given to each command (--cert, --key or $COPLAN_CERT, $COPLAN_KEY).\n"
	       "Only the local operator or an administrator manages the CAs.\n\n"
	       "Options:\n"
	       "  --talks ID   the plan (coplan talks list) whose staff talks exchanged the CA\n",
	       usage);
}

int cmd_keys(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "talks", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	const char *verb;
	long talks = 0;
	int c, rc;
	coplan_ctx ctx;

	if (cli_wants_help(argc, argv)) {
		print_help();
		return CLI_OK;
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c != 't')
			return cli_usage_error(usage, "unknown option or missing value '%s'", argv[optind - 1]);
		if (cli_parse_long(optarg, 1, 1000000000000L, &talks))
			return cli_usage_error(usage, "--talks '%s': expected a plan's id (coplan talks list)", optarg);
	}
	if (optind >= argc)
		return cli_usage_error(usage, "import-ca, list or delete?");
	verb = argv[optind++];
	if (!strcmp(verb, "import-ca")) {
		coplan_partner_ca ca;
		char *nation;

		if (argc - optind != 2)
			return cli_usage_error(usage, "import-ca takes a NATION and a FILE.pem");
		nation = cli_nation_arg(argv[optind]);
		if ((rc = cli_ctx_open(&ctx, 1, NULL, -1, 1)))
			return rc;
		rc = coplan_service_ca_import(&ctx, nation, argv[optind + 1], talks, &ca);
		if (!rc)
			printf("trusted for %s: %s\nSHA-256 %s\nvalid %s to %s%s%s\n", ca.nation, ca.subject,
			       ca.fingerprint, ca.not_before, ca.not_after, *ca.talks ? "\nexchanged at " : "", ca.talks);
		cli_ctx_release(&ctx);
		return rc ? cli_error(rc) : CLI_OK;
	}
	if (talks)
		return cli_usage_error(usage, "--talks goes with import-ca");
	if (!strcmp(verb, "list")) {
		coplan_partner_ca *cas = NULL;
		size_t n = 0;

		if (optind < argc)
			return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
		if ((rc = cli_ctx_open(&ctx, 1, NULL, -1, 1)))
			return rc;
		if (!(rc = coplan_service_cas(&ctx, &cas, &n))) {
			for (size_t i = 0; i < n; i++)
				printf("%s  %s\n     %s\n     valid %s to %s%s%s\n", cas[i].nation, cas[i].fingerprint,
				       cas[i].subject, cas[i].not_before, cas[i].not_after,
				       *cas[i].talks ? ", exchanged at " : "", cas[i].talks);
			if (!n)
				printf("no partner CA is trusted\n");
		}
		coplan_partner_cas_free(cas, n);
		cli_ctx_release(&ctx);
		return rc ? cli_error(rc) : CLI_OK;
	}
	if (!strcmp(verb, "delete")) {
		if (argc - optind != 1)
			return cli_usage_error(usage, "delete takes the CA's FINGERPRINT (coplan keys list)");
		if ((rc = cli_ctx_open(&ctx, 1, NULL, -1, 1)))
			return rc;
		if (!(rc = coplan_service_ca_delete(&ctx, argv[optind])))
			printf("no longer trusted: %s\n", argv[optind]);
		cli_ctx_release(&ctx);
		return rc ? cli_error(rc) : CLI_OK;
	}
	return cli_usage_error(usage, "unknown action '%s' (expected import-ca, list or delete)", verb);
}

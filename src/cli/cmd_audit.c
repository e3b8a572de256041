/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_audit.c - coplan audit: the tamper-evident audit log: list, sign a checkpoint, verify, prove an entry. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define CA_MAX 16

static const char usage[] =
	"coplan audit list [--since N] [--format text|json]\n"
	"   or: coplan audit checkpoint --cert FILE --key FILE\n"
	"   or: coplan audit verify [--ca FILE]...\n"
	"   or: coplan audit proof N";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "Every change to the database (imports, schedules, edits, blackouts, status\n"
	       "changes, versions, amendments, copies, deletions, users and roles, logins\n"
	       "and logouts) and every refusal (not allowed, not logged in, a rule of the\n"
	       "record) is one entry of an append-only audit log: who (user and nation),\n"
	       "when (UTC), what, on what, done or refused, and the SHA-256 of the plan's\n"
	       "content before and after.  The entries are the leaves of a Merkle tree\n"
	       "(RFC 9162, SHA-256), so that no one can change, delete, reorder or insert\n"
	       "an entry unnoticed.\n\n"
	       "  list        the entries (those after entry N with --since N)\n"
	       "  checkpoint  sign the tree head (size, root, time) with the office's\n"
	       "              certificate and key (PEM) and keep it\n"
	       "  verify      recompute every entry's leaf and the root at each checkpoint,\n"
	       "              check that each checkpoint extends the one before and, with\n"
	       "              --ca, its signature; exit 1 naming the first entry that differs\n"
	       "  proof N     the inclusion proof of entry N in the latest checkpoint, for a\n"
	       "              partner to check against the signed root\n\n"
	       "Only the local operator or an administrator reads and signs the log.\n\n"
	       "Options:\n"
	       "  --since N             list the entries after entry N\n"
	       "  --format text|json    list as text (default) or JSON\n"
	       "  --cert FILE           the office's X.509 certificate (PEM)\n"
	       "  --key FILE            its private key (PEM, not encrypted)\n"
	       "  --ca FILE             a trusted CA certificate (PEM); up to %d\n",
	       usage, CA_MAX);
}

static int do_list(coplan_ctx *ctx, long since, int json)
{
	coplan_audit_entry *e = NULL;
	size_t n = 0;
	int rc;

	if ((rc = coplan_service_audit_entries(ctx, since, &e, &n)))
		return rc;
	if (json) {
		char *text = NULL;

		rc = coplan_audit_entries_format_json(&text, e, n);
		rc = cli_print_json(rc, text);
	} else {
		for (size_t i = 0; i < n; i++) {
			printf("%6ld  %s  %-12s %-3s  %-16s %s", e[i].seq, e[i].at,
			       *e[i].account_name ? e[i].account_name : "-", *e[i].nation ? e[i].nation : "-",
			       e[i].action, e[i].object ? e[i].object : "");
			if (e[i].refused)
				printf("  REFUSED (%s)", coplan_error_str(e[i].error));
			putchar('\n');
		}
		if (!n)
			printf("no entries\n");
	}
	coplan_audit_entries_free(e, n);
	return rc;
}

static int do_checkpoint(coplan_ctx *ctx, const char *cert, const char *key)
{
	coplan_audit_checkpoint cp;
	int rc;

	if ((rc = coplan_service_audit_checkpoint(ctx, cert, key, &cp)))
		return rc;
	printf("checkpoint %ld: %ld entries\nroot %s\ntime %s\nsigner %s\n", cp.id, cp.size, cp.root,
	       cp.at, cp.fingerprint);
	free(cp.signature);
	return 0;
}

static int do_verify(coplan_ctx *ctx, const char *const *ca, size_t n_ca)
{
	coplan_audit_report r;
	int rc = coplan_service_audit_verify(ctx, ca, n_ca, &r);

	if (!rc) {
		printf("audit log intact: %ld %s, %zu %s", r.entries, cli_plural((size_t)r.entries, "entry",
		       "entries"), r.checkpoints, cli_plural(r.checkpoints, "checkpoint", "checkpoints"));
		if (n_ca)
			printf(", %zu %s verified\n", r.signatures,
			       cli_plural(r.signatures, "signature", "signatures"));
		else
			printf("%s\n", r.checkpoints ? " (signatures not checked: give --ca FILE)" : "");
	}
	coplan_audit_report_release(&r);
	return rc;
}

static int do_proof(coplan_ctx *ctx, long seq)
{
	coplan_audit_proof p;
	int rc;

	if ((rc = coplan_service_audit_proof(ctx, seq, &p)))
		return rc;
	printf("entry %ld\nleaf %s\ncheckpoint %ld: %ld entries, signed %s\nroot %s\npath %zu\n", p.seq,
	       p.leaf, p.checkpoint, p.tree_size, p.at, p.root, p.n_path);
	for (size_t i = 0; i < p.n_path; i++)
		printf("%s\n", p.path[i]);
	coplan_audit_proof_release(&p);
	return 0;
}

int cmd_audit(int argc, char **argv)
{
	enum { OPT_SINCE = 256, OPT_FORMAT, OPT_CERT, OPT_KEY, OPT_CA };
	static const struct option longopts[] = {
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "cert", required_argument, NULL, OPT_CERT },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "ca", required_argument, NULL, OPT_CA },
		{ NULL, 0, NULL, 0 },
	};
	const char *cert = NULL, *key = NULL, *ca[CA_MAX], *verb;
	long since = 0, seq = 0;
	size_t n_ca = 0;
	int c, json = 0, rc, since_given = 0, format_given = 0;
	coplan_ctx ctx;

	if (cli_wants_help(argc, argv)) {
		print_help();
		return CLI_OK;
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_SINCE:
			if (cli_parse_long(optarg, 0, 1000000000000L, &since))
				return cli_usage_error(usage, "--since '%s': expected an entry number", optarg);
			since_given = 1;
			break;
		case OPT_FORMAT:
			if (cli_listing_format(optarg, &json, usage))
				return CLI_USAGE;
			format_given = 1;
			break;
		case OPT_CERT:
			cert = optarg;
			break;
		case OPT_KEY:
			key = optarg;
			break;
		case OPT_CA:
			if (n_ca == CA_MAX)
				return cli_usage_error(usage, "at most %d --ca files", CA_MAX);
			ca[n_ca++] = optarg;
			break;
		default:
			return cli_usage_error(usage, "unknown option or missing value '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage, "list, checkpoint, verify or proof?");
	verb = argv[optind++];
	if (strcmp(verb, "list") && strcmp(verb, "checkpoint") && strcmp(verb, "verify") &&
	    strcmp(verb, "proof"))
		return cli_usage_error(usage, "unknown action '%s' (expected list, checkpoint, verify or proof)",
		                       verb);
	if (!strcmp(verb, "proof")) {
		if (optind >= argc)
			return cli_usage_error(usage, "proof: which entry?");
		if (cli_parse_long(argv[optind], 1, 1000000000000L, &seq))
			return cli_usage_error(usage, "proof '%s': expected an entry number", argv[optind]);
		optind++;
	}
	if (optind < argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	if ((since_given || format_given) && strcmp(verb, "list"))
		return cli_usage_error(usage, "--since and --format go with list");
	if ((cert || key) && strcmp(verb, "checkpoint"))
		return cli_usage_error(usage, "--cert and --key go with checkpoint");
	if (n_ca && strcmp(verb, "verify"))
		return cli_usage_error(usage, "--ca goes with verify");
	if (!strcmp(verb, "checkpoint") && (!cert || !key))
		return cli_usage_error(usage, "checkpoint needs the office's --cert FILE and --key FILE");
	if ((rc = cli_ctx_open(&ctx, 1, NULL, -1, 1)))
		return rc;
	if (!strcmp(verb, "list"))
		rc = do_list(&ctx, since, json);
	else if (!strcmp(verb, "checkpoint"))
		rc = do_checkpoint(&ctx, cert, key);
	else if (!strcmp(verb, "verify"))
		rc = do_verify(&ctx, ca, n_ca);
	else
		rc = do_proof(&ctx, seq);
	cli_ctx_release(&ctx);
	return rc ? cli_error(rc) : CLI_OK;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_bundle.c - coplan bundle: export the plan to a partner office as a signed file, verify and import one. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static const char usage[] =
	"coplan bundle export --to NATION [-o FILE] [--key FILE --cert FILE] [--expires DAYS] [--note TEXT] [--plan ID]\n"
	"   or: coplan bundle verify FILE [--cert FILE]\n"
	"   or: coplan bundle import FILE [--cert FILE]";

static void print_help(void)
{
	printf("usage: %s\n\n"
	       "Offices whose networks are not connected exchange the plan as a bundle:\n"
	       "one zip file holding the plan in canonical JSON (what the recipient may\n"
	       "see), a manifest (sender and recipient, the plan's identity, a sequence\n"
	       "number, the base: the plan the sender last had from the recipient, the\n"
	       "times it was made and expires, the sender's audit tree head, the\n"
	       "payload's SHA-256) and a detached CMS signature of the manifest by the\n"
	       "sending office, which `openssl cms -verify` accepts.\n\n"
	       "  export   write the bundle for NATION (-o FILE, default\n"
	       "           plan-to-NATION.coplan), written whole or not at all\n"
	       "  verify   check a bundle for this office, changing nothing\n"
	       "  import   verify, then take it: a new plan the first time; later the\n"
	       "           partner's changes and ours merged against the base, saved as a\n"
	       "           new draft version, or, with conflicts, a merge that waits for\n"
	       "           'coplan merge'\n\n"
	       "A bundle is refused, saying why, when any bit of it changed, its signer's\n"
	       "certificate is not from a CA trusted for the sender (coplan keys) or has\n"
	       "expired, it is for another nation, it was taken already (a replay) or is\n"
	       "older than one taken, its base is unknown here, or it has expired.\n\n"
	       "Options:\n"
	       "  --to NATION      the recipient nation (ISO 3166-1 alpha-3)\n"
	       "  -o, --output F   where to write the bundle ('-': standard output)\n"
	       "  --cert FILE      this office's certificate (PEM); default $COPLAN_CERT\n"
	       "  --key FILE       its private key (PEM, not encrypted); default $COPLAN_KEY\n"
	       "  --expires DAYS   days until the bundle expires (1-366, default 30)\n"
	       "  --note TEXT      a line for the recipient (the manifest's label is the marking\n"
	       "                   of what the bundle holds, docs/labels.md)\n"
	       "  --plan ID        the plan (default: the newest)\n", usage);
}

static const char *env_or(const char *given, const char *name)
{
	const char *v = given ? given : getenv(name);

	return v && *v ? v : NULL;
}

static void print_manifest(const coplan_bundle_result *r)
{
	const coplan_bundle_manifest *m = &r->manifest;
	char created[24], expires[24];
	struct tm tm;

	strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&m->created, &tm));
	strftime(expires, sizeof(expires), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&m->expires, &tm));
	printf("plan '%s' %s\nfrom %s (%s) to %s, bundle %ld\nbase %s\ncreated %s, expires %s\n"
	       "payload SHA-256 %s (%zu bytes)\naudit log %ld entries%s%s\nsigner %s\n", m->plan_title,
	       m->plan_uuid, m->sender, m->sender_office, m->recipient, m->sequence, *m->base ? m->base : "none",
	       created, expires, m->payload_sha256, m->payload_size, m->audit_size, *m->audit_root ? ", root " : "",
	       m->audit_root, r->signer.fingerprint);
	if (*m->label)
		printf("label %s\n", m->label);
	if (*m->note)
		printf("note %s\n", m->note);
}

int cmd_bundle(int argc, char **argv)
{
	enum { OPT_TO = 256, OPT_CERT, OPT_KEY, OPT_EXPIRES, OPT_NOTE, OPT_PLAN };
	static const struct option longopts[] = {
		{ "to", required_argument, NULL, OPT_TO },
		{ "output", required_argument, NULL, 'o' },
		{ "cert", required_argument, NULL, OPT_CERT },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "expires", required_argument, NULL, OPT_EXPIRES },
		{ "note", required_argument, NULL, OPT_NOTE },
		{ "plan", required_argument, NULL, OPT_PLAN },
		{ NULL, 0, NULL, 0 },
	};
	coplan_bundle_request req = { 0 };
	const char *output = NULL, *cert = NULL, *key = NULL, *verb;
	char fallback[64];
	long plan_id = 0, days = 0;
	int c, rc;
	coplan_ctx ctx;

	if (cli_wants_help(argc, argv)) {
		print_help();
		return CLI_OK;
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_TO:
			req.to = cli_nation_arg(optarg);
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_CERT:
			cert = optarg;
			break;
		case OPT_KEY:
			key = optarg;
			break;
		case OPT_EXPIRES:
			if (cli_parse_long(optarg, 1, 366, &days))
				return cli_usage_error(usage, "--expires takes days from 1 to 366, got '%s'", optarg);
			break;
		case OPT_NOTE:
			req.note = optarg;
			break;
		case OPT_PLAN:
			if (cli_plan_option(optarg, &plan_id, usage))
				return CLI_USAGE;
			break;
		default:
			return cli_usage_error(usage, "unknown option or missing value '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage, "export, verify or import?");
	verb = argv[optind++];
	cert = env_or(cert, "COPLAN_CERT");
	if (!strcmp(verb, "export")) {
		coplan_bundle_result r;

		if (optind < argc)
			return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
		key = env_or(key, "COPLAN_KEY");
		if (!req.to)
			return cli_usage_error(usage, "export needs --to NATION");
		if (!cert || !key)
			return cli_usage_error(usage, "export needs the office's --cert FILE and --key FILE "
			                       "(or $COPLAN_CERT and $COPLAN_KEY)");
		req.cert = cert;
		req.key = key;
		req.expires_days = (int)days;
		if (!output) {
			snprintf(fallback, sizeof(fallback), "plan-to-%s.coplan", req.to);
			output = fallback;
		}
		req.path = !strcmp(output, "-") ? NULL : output;
		if ((rc = cli_ctx_open(&ctx, 1, NULL, -1, 1)))
			return rc;
		rc = coplan_service_bundle_export(&ctx, plan_id, &req, &r);
		cli_ctx_release(&ctx);
		if (rc)
			return cli_error(rc);
		if (!req.path)
			rc = cli_write_output(NULL, (const char *)r.data, r.len);
		else
			fprintf(stderr, "%s: bundle %ld of plan '%s' to %s, %zu bytes\n", output, r.manifest.sequence,
			        r.manifest.plan_title, r.manifest.recipient, r.len);
		coplan_bundle_result_release(&r);
		return rc ? CLI_FAIL : CLI_OK;
	}
	if (req.to || output || key || days || req.note || plan_id)
		return cli_usage_error(usage, "--to, -o, --key, --expires, --note and --plan go with export");
	if (strcmp(verb, "verify") && strcmp(verb, "import"))
		return cli_usage_error(usage, "unknown action '%s' (expected export, verify or import)", verb);
	if (argc - optind != 1)
		return cli_usage_error(usage, "%s takes one bundle FILE", verb);
	if (!cert)
		return cli_usage_error(usage, "%s needs this office's --cert FILE (or $COPLAN_CERT): the bundle "
		                       "must be for its nation", verb);
	if ((rc = cli_ctx_open(&ctx, 1, NULL, -1, 1)))
		return rc;
	if (!strcmp(verb, "verify")) {
		coplan_bundle_result r;

		if (!(rc = coplan_service_bundle_verify(&ctx, argv[optind], cert, &r))) {
			print_manifest(&r);
			printf("verified: signed by %s\n", r.signer.subject);
		}
	} else {
		coplan_bundle_import_result r;

		if (!(rc = coplan_service_bundle_import(&ctx, argv[optind], cert, &r))) {
			if (r.created)
				printf("plan %ld created from the bundle: version %d (draft)\n", r.plan_id, r.version);
			else if (r.applied)
				printf("plan %ld: the partner's changes merged%s: version %d (draft)\n", r.plan_id,
				       r.conflicts ? "" : " without conflict", r.version);
			else
				printf("plan %ld: %zu %s to resolve: coplan merge list, take, apply\n", r.plan_id,
				       r.conflicts, cli_plural(r.conflicts, "conflict", "conflicts"));
		}
	}
	cli_ctx_release(&ctx);
	return rc ? cli_error(rc) : CLI_OK;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* test_label.c - confidentiality labels: the policy file, the register form, combining, access, and their properties. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "coplan/errors.h"
#include "coplan/label.h"

static coplan_label_policy *policy;

static int setup(void **state)
{
	(void)state;
	return coplan_label_policy_load(&policy, COPLAN_SOURCE_DIR "/data/label-policy.json");
}

static int teardown(void **state)
{
	(void)state;
	coplan_label_policy_free(policy);
	return 0;
}

static void roundtrip(const char *in, const char *want)
{
	coplan_label l;
	char out[COPLAN_LABEL_TEXT_MAX * 2];

	if (coplan_label_parse(&l, policy, in))
		fail_msg("'%s': %s", in, coplan_error_last());
	assert_int_equal(coplan_label_format(out, sizeof(out), policy, &l), 0);
	assert_string_equal(out, want);
}

static void test_register_form(void **state)
{
	(void)state;
	roundtrip("NATO UNCLASSIFIED", "NATO UNCLASSIFIED");
	roundtrip("restricted rel to jpn, ita", "RESTRICTED REL TO ITA, JPN");
	roundtrip("  SECRET   CRYPTO ATOMAL REL TO GBR ITA,ITA ", "SECRET ATOMAL CRYPTO REL TO GBR, ITA");
	roundtrip("riservato rel to ITA, JPN", "RESTRICTED REL TO ITA, JPN");
	roundtrip("NATO COSMIC TOP SECRET BOHEMIA", "NATO TOP SECRET BOHEMIA");
	roundtrip("Non Classificato", "UNCLASSIFIED");
	assert_int_equal(coplan_label_policy_levels(policy), 5);
	assert_int_equal(coplan_label_level_parse(policy, "segreto"), 3);
	assert_int_equal(coplan_label_level_parse(policy, "SECRETS"), -1);
}

static void refused(const char *in, int code, const char *needle)
{
	coplan_label l;
	int rc = coplan_label_parse(&l, policy, in);

	if (rc != code)
		fail_msg("'%s': %d (%s), expected %d", in ? in : "(null)", rc, coplan_error_last(), code);
	if (needle && !strstr(coplan_error_last(), needle))
		fail_msg("'%s': message '%s' lacks '%s'", in, coplan_error_last(), needle);
	assert_int_equal(l.level, -1);
}

static void test_bad_labels(void **state)
{
	char big[COPLAN_LABEL_TEXT_MAX + 10];

	(void)state;
	refused(NULL, COPLAN_EINVALID, "no label");
	refused("", COPLAN_EINVALID, "empty label");
	refused("   ,, ", COPLAN_EINVALID, "empty label");
	refused("NATO", COPLAN_EINVALID, "'NATO' is not a classification");
	refused("SECRT REL TO ITA", COPLAN_EINVALID, "column 1: 'SECRT'");
	refused("SECRET NOFORN", COPLAN_EINVALID, "column 8: 'NOFORN' is not a caveat");
	refused("SECRET REL ITA", COPLAN_EINVALID, "expected 'REL TO'");
	refused("SECRET REL TO", COPLAN_EINVALID, "without a nation");
	refused("SECRET REL TO ITA, XXX", COPLAN_EINVALID, "column 20: 'XXX' is not a nation");
	refused("SECRET REL TO IT", COPLAN_EINVALID, "'IT' is not a nation");
	refused("SECRET REL TO ITA\x01", COPLAN_EINVALID, "control character");
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	refused(big, COPLAN_ELIMIT, "longer than");
}

static void policy_refused(const char *json, int code, const char *needle)
{
	coplan_label_policy *p = (coplan_label_policy *)1;
	int rc = coplan_label_policy_parse(&p, json, strlen(json), "p.json");

	if (rc != code)
		fail_msg("%s: %d (%s), expected %d", json, rc, coplan_error_last(), code);
	assert_null(p);
	if (!strstr(coplan_error_last(), needle))
		fail_msg("%s: '%s' lacks '%s'", json, coplan_error_last(), needle);
}

static void test_policy_file(void **state)
{
	static const char uk[] = "{\"classifications\": [{\"name\": \"PUBLIC\"}, {\"name\": \"OFFICIAL\"}, "
	                         "{\"name\": \"OFFICIAL SENSITIVE\"}], \"caveats\": [\"PERSONAL\"]}";
	coplan_label_policy *p;
	coplan_label l;

	(void)state;
	policy_refused("{", COPLAN_EINVALID, "p.json:1:");
	policy_refused("[]", COPLAN_EINVALID, "JSON object");
	policy_refused("{\"classifications\": []}", COPLAN_EINVALID, "lowest first");
	policy_refused("{\"classifications\": [{\"name\": \"A\"}, {\"name\": \"a\"}]}", COPLAN_EINVALID,
	               "'A' is used twice");
	policy_refused("{\"classifications\": [{\"name\": \"A\"}], \"caveats\": [\"TWO WORDS\"]}",
	               COPLAN_EINVALID, "caveats[0]");
	policy_refused("{\"classifications\": [{\"name\": \"A\"}], \"policies\": [\"REL\"]}",
	               COPLAN_EINVALID, "used twice");
	policy_refused("{\"classifications\": [{\"name\": \"A\"}], \"caveats\": [\"X\", \"X\"]}",
	               COPLAN_EINVALID, "'X' is used twice");
	policy_refused("{\"a\": 1, \"a\": 2}", COPLAN_EINVALID, "duplicate");
	assert_int_equal(coplan_label_policy_load(&p, COPLAN_TEST_TMP "/no-such-policy.json"), COPLAN_EIO);

	/* an office's own ladder */
	assert_int_equal(coplan_label_policy_parse(&p, uk, sizeof(uk) - 1, "uk.json"), 0);
	assert_int_equal(coplan_label_parse(&l, p, "official sensitive personal rel to gbr"), 0);
	assert_int_equal(l.level, 2);
	assert_int_equal(coplan_label_parse(&l, p, "OFFICIAL"), 0);
	assert_int_equal(l.level, 1);
	coplan_label_policy_free(p);
}

static coplan_label parse(const char *text)
{
	coplan_label l;

	if (coplan_label_parse(&l, policy, text))
		fail_msg("'%s': %s", text, coplan_error_last());
	return l;
}

static void test_permits(void **state)
{
	static const char *const none[] = {NULL};
	static const char *const crypto[] = {"crypto"};
	coplan_reader ita = {"ITA", 1, none, 0}, gbr = {"GBR", 4, none, 0},
	              ita_crypto = {"ITA", 3, crypto, 1}, nobody = {NULL, 4, none, 0},
	              bad = {"XXX", 4, none, 0}, uncleared = {"ITA", -1, none, 0};
	coplan_label ij = parse("RESTRICTED REL TO ITA, JPN"), nu = parse("NATO UNCLASSIFIED"),
	             sc = parse("SECRET CRYPTO REL TO ITA");

	(void)state;
	assert_true(coplan_label_permits(&ij, &ita));
	assert_false(coplan_label_permits(&ij, &gbr));       /* not released to GBR, whatever the clearance */
	assert_true(coplan_label_permits(&nu, &gbr));
	assert_false(coplan_label_permits(&nu, &uncleared)); /* no clearance: nothing */
	assert_false(coplan_label_permits(&sc, &ita));       /* clearance too low */
	assert_true(coplan_label_permits(&sc, &ita_crypto));
	ita_crypto.n_caveats = 0;
	assert_false(coplan_label_permits(&sc, &ita_crypto)); /* the caveat is not held */
	assert_false(coplan_label_permits(&nu, &nobody));
	assert_false(coplan_label_permits(&nu, &bad));
}

static void test_combine(void **state)
{
	coplan_label c;
	char out[256];

	(void)state;
	coplan_label a = parse("NATO RESTRICTED REL TO GBR, ITA, JPN"), b = parse("NATO SECRET ATOMAL REL TO ITA, JPN, USA"),
	             u = parse("NATO UNCLASSIFIED"), n = parse("CONFIDENTIAL CRYPTO");
	assert_int_equal(coplan_label_combine(&c, &a, &b), 0);
	assert_int_equal(coplan_label_format(out, sizeof(out), policy, &c), 0);
	assert_string_equal(out, "NATO SECRET ATOMAL REL TO ITA, JPN");
	assert_int_equal(coplan_label_combine(&c, &u, &a), 0);
	assert_int_equal(coplan_label_format(out, sizeof(out), policy, &c), 0);
	assert_string_equal(out, "NATO RESTRICTED REL TO GBR, ITA, JPN");
	assert_int_equal(coplan_label_combine(&c, &n, &b), 0); /* mixed policies: national */
	assert_int_equal(coplan_label_format(out, sizeof(out), policy, &c), 0);
	assert_string_equal(out, "SECRET ATOMAL CRYPTO REL TO ITA, JPN, USA");
	/* disjoint releasability: releasable to no nation at all */
	coplan_label g = parse("RESTRICTED REL TO GBR"), j = parse("RESTRICTED REL TO JPN");
	assert_int_equal(coplan_label_combine(&c, &g, &j), 0);
	assert_int_equal(c.n_nations, 0);
	assert_false(c.releasable_to_all);
	assert_int_equal(coplan_label_format(out, sizeof(out), policy, &c), 0);
	assert_string_equal(out, "RESTRICTED REL TO");
	assert_int_equal(coplan_label_format(out, 5, policy, &a), COPLAN_ELIMIT);
}

/* ---- properties, over random labels and readers ---------------------------- */

static const char *const nations[] = {"ITA", "JPN", "GBR", "USA", "FRA", "DEU"};
static const char *const caveats[] = {"ATOMAL", "BOHEMIA", "CRYPTO"};

static uint64_t rng = 0x9e3779b97f4a7c15u;
static unsigned next(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static coplan_label random_label(void)
{
	char text[256];
	size_t len;
	unsigned mask = next(64);

	len = (size_t)snprintf(text, sizeof(text), "%s%s", next(2) ? "NATO " : "",
	                       coplan_label_level_name(policy, (int)next(5)));
	for (unsigned i = 0; i < 3; i++)
		if (next(3) == 0)
			len += (size_t)snprintf(text + len, sizeof(text) - len, " %s", caveats[i]);
	if (next(4)) {
		len += (size_t)snprintf(text + len, sizeof(text) - len, " REL TO");
		mask |= 1u << next(6); /* at least one nation */
		for (unsigned i = 0; i < 6; i++)
			if (mask & (1u << i))
				len += (size_t)snprintf(text + len, sizeof(text) - len, " %s", nations[i]);
	}
	return parse(text);
}

static coplan_reader random_reader(const char **held)
{
	coplan_reader r = {nations[next(6)], (int)next(6) - 1, held, 0};

	for (unsigned i = 0; i < 3; i++)
		if (next(2))
			held[r.n_caveats++] = caveats[i];
	return r;
}

static void test_properties(void **state)
{
	(void)state;
	for (int trial = 0; trial < 20000; trial++) {
		const char *held[3];
		coplan_label l = random_label(), m = random_label(), c, wider, higher;
		coplan_reader r = random_reader(held);
		int before = coplan_label_permits(&l, &r);

		/* adding a nation to a label never removes access */
		wider = l;
		if (!wider.releasable_to_all) {
			const char *add = nations[next(6)];
			size_t i = 0;
			while (i < wider.n_nations && strcmp(wider.nations[i], add))
				i++;
			if (i == wider.n_nations)
				memcpy(wider.nations[wider.n_nations++], add, 4);
		}
		if (before)
			assert_true(coplan_label_permits(&wider, &r));
		assert_true(coplan_label_dominates(&l, &wider));

		/* raising a classification never grants access */
		higher = l;
		if (higher.level < 4)
			higher.level++;
		if (!before)
			assert_false(coplan_label_permits(&higher, &r));
		assert_true(coplan_label_dominates(&higher, &l));

		/* a combined label is never broader than any of its parts */
		assert_int_equal(coplan_label_combine(&c, &l, &m), 0);
		assert_true(coplan_label_dominates(&c, &l));
		assert_true(coplan_label_dominates(&c, &m));
		if (coplan_label_permits(&c, &r)) {
			assert_true(coplan_label_permits(&l, &r));
			assert_true(coplan_label_permits(&m, &r));
		}
		/* dominance means: whoever may see the narrower may see the broader */
		if (coplan_label_dominates(&l, &m) && coplan_label_permits(&l, &r))
			assert_true(coplan_label_permits(&m, &r));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register_form),
		cmocka_unit_test(test_bad_labels),
		cmocka_unit_test(test_policy_file),
		cmocka_unit_test(test_permits),
		cmocka_unit_test(test_combine),
		cmocka_unit_test(test_properties),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

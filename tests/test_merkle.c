/* SPDX-License-Identifier: Apache-2.0 */
/* test_merkle.c - RFC 9162 Merkle tree: roots, inclusion and consistency proofs against transparency-dev's vectors. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "coplan/errors.h"
#include "coplan/merkle.h"

#define VECTORS COPLAN_TEST_DATA "/merkle"

/* The eight leaf inputs of transparency-dev/merkle's testonly/constants.go (hex). */
static const char *const leaf_inputs[] = {
	"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
	"606162636465666768696a6b6c6d6e6f",
};

static size_t unhex(unsigned char *out, size_t cap, const char *hex)
{
	size_t n = strlen(hex) / 2;

	assert_true(n <= cap);
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (unsigned char)v;
	}
	return n;
}

static void leaves8(coplan_merkle_hash leaves[8])
{
	for (size_t i = 0; i < 8; i++) {
		unsigned char in[32];
		size_t n = unhex(in, sizeof(in), leaf_inputs[i]);
		assert_int_equal(coplan_merkle_leaf_hash(leaves[i], in, n), 0);
	}
}

/* base64 (standard alphabet, as Go's encoding/json writes []byte) into out; its length or -1. */
static int unbase64(unsigned char *out, size_t cap, const char *text)
{
	unsigned char buf[256];
	size_t len = strlen(text);
	int n;

	if (len > sizeof(buf) / 3 * 4 || len % 4)
		return -1;
	n = EVP_DecodeBlock(buf, (const unsigned char *)text, (int)len);
	if (n < 0)
		return -1;
	for (size_t i = len; i > 0 && text[i - 1] == '='; i--)
		n--;
	if ((size_t)n > cap)
		return -1;
	memcpy(out, buf, (size_t)n);
	return n;
}

/*
 * A hash field: 0 when it is 32 bytes; 1 when it is something else (a
 * vector with a wrong-length hash, which no verifier may accept).
 */
static int hash_field(coplan_merkle_hash out, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	unsigned char buf[64];
	int n;

	memset(out, 0, COPLAN_MERKLE_HASH_LEN);
	if (!json_is_string(v))
		return 1;
	n = unbase64(buf, sizeof(buf), json_string_value(v));
	if (n != COPLAN_MERKLE_HASH_LEN)
		return 1;
	memcpy(out, buf, COPLAN_MERKLE_HASH_LEN);
	return 0;
}

/* An unsigned size field; read as a real so that 2^64-1 (jansson's integers are signed) saturates. */
static uint64_t size_field(json_t *obj, const char *key)
{
	double v = json_number_value(json_object_get(obj, key));

	return v >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)v;
}

/* The proof array: its hashes into *proof (caller frees); 1 when one is malformed. */
static int proof_field(coplan_merkle_hash **proof, size_t *len, json_t *obj)
{
	json_t *arr = json_object_get(obj, "proof");
	int bad = 0;

	*proof = NULL;
	*len = 0;
	if (!json_is_array(arr))
		return 0; /* null: the empty proof */
	*len = json_array_size(arr);
	if (*len == 0)
		return 0;
	*proof = calloc(*len, sizeof(**proof));
	assert_non_null(*proof);
	for (size_t i = 0; i < *len; i++) {
		json_t *o = json_object();
		json_object_set(o, "h", json_array_get(arr, i));
		bad |= hash_field((*proof)[i], o, "h");
		json_decref(o);
	}
	return bad;
}

typedef int (*vector_fn)(json_t *v, int *malformed);

static int check_inclusion(json_t *v, int *malformed)
{
	coplan_merkle_hash root, leaf, *proof;
	size_t len;
	int rc;

	*malformed = hash_field(root, v, "root") | hash_field(leaf, v, "leafHash") |
	             proof_field(&proof, &len, v);
	rc = coplan_merkle_inclusion_verify(leaf, size_field(v, "leafIdx"), size_field(v, "treeSize"),
	                                    proof, len, root);
	free(proof);
	return rc;
}

static int check_consistency(json_t *v, int *malformed)
{
	coplan_merkle_hash root1, root2, *proof;
	size_t len;
	int rc;

	*malformed = hash_field(root1, v, "root1") | hash_field(root2, v, "root2") |
	             proof_field(&proof, &len, v);
	rc = coplan_merkle_consistency_verify(size_field(v, "size1"), size_field(v, "size2"), root1,
	                                      root2, proof, len);
	free(proof);
	return rc;
}

/* Run fn over every vector file in the folders of VECTORS/kind; returns how many were checked. */
static size_t run_vectors(const char *kind, vector_fn fn)
{
	static const char *const subdirs[] = {"0", "1", "2", "3", "4", "single-entry"};
	size_t checked = 0;

	for (size_t s = 0; s < sizeof(subdirs) / sizeof(subdirs[0]); s++) {
		char dir[1024];
		DIR *d;
		struct dirent *e;

		snprintf(dir, sizeof(dir), "%s/%s/%s", VECTORS, kind, subdirs[s]);
		if (!(d = opendir(dir)))
			continue;
		while ((e = readdir(d))) {
			char path[2048];
			json_error_t err;
			json_t *v;
			int malformed = 0, rc, want_err;

			if (!strstr(e->d_name, ".json"))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			v = json_load_file(path, JSON_DECODE_INT_AS_REAL, &err);
			if (!v)
				fail_msg("%s: %s", path, err.text);
			want_err = json_is_true(json_object_get(v, "wantErr"));
			rc = fn(v, &malformed);
			if (want_err && rc == 0 && !malformed)
				fail_msg("%s: accepted, the vector says it must be refused", path);
			if (!want_err && (rc != 0 || malformed))
				fail_msg("%s: refused (%s), the vector says it verifies", path,
				         coplan_error_last());
			if (rc != 0)
				assert_int_equal(rc, COPLAN_EINVALID);
			checked++;
			json_decref(v);
		}
		closedir(d);
	}
	return checked;
}

static void test_roots(void **state)
{
	coplan_merkle_hash leaves[8], root, want;
	char line[256];
	FILE *f = fopen(VECTORS "/roots.tsv", "r");
	int rows = 0;

	(void)state;
	assert_non_null(f);
	leaves8(leaves);
	while (fgets(line, sizeof(line), f)) {
		unsigned size;
		char hex[80];
		if (line[0] == '#' || sscanf(line, "%u %79s", &size, hex) != 2)
			continue;
		assert_int_equal(unhex(want, sizeof(want), hex), 32);
		assert_int_equal(coplan_merkle_root(root, leaves, size), 0);
		assert_memory_equal(root, want, 32);
		rows++;
	}
	fclose(f);
	assert_int_equal(rows, 9);
}

static void test_inclusion_vectors(void **state)
{
	(void)state;
	assert_true(run_vectors("inclusion", check_inclusion) >= 70);
}

static void test_consistency_vectors(void **state)
{
	(void)state;
	assert_true(run_vectors("consistency", check_consistency) >= 80);
}

/* The happy-path vector of kind ("inclusion" or "consistency") in folder dir holds the proof coplan makes. */
static void check_happy_path(const char *kind, const char *dir, const coplan_merkle_hash leaves[8])
{
	char path[1024];
	json_t *v;
	coplan_merkle_hash *want, *got;
	size_t want_len, got_len;
	int inclusion = !strcmp(kind, "inclusion");

	snprintf(path, sizeof(path), "%s/%s/%s/happy-path.json", VECTORS, kind, dir);
	assert_non_null(v = json_load_file(path, JSON_DECODE_INT_AS_REAL, NULL));
	assert_int_equal(proof_field(&want, &want_len, v), 0);
	if (inclusion)
		assert_int_equal(coplan_merkle_inclusion_proof(&got, &got_len, leaves, size_field(v, "treeSize"),
		                                               size_field(v, "leafIdx")),
		                 0);
	else
		assert_int_equal(coplan_merkle_consistency_proof(&got, &got_len, leaves, size_field(v, "size2"),
		                                                 size_field(v, "size1")),
		                 0);
	assert_int_equal(got_len, want_len);
	if (got_len)
		assert_memory_equal(got, want, got_len * sizeof(*got));
	free(want);
	free(got);
	json_decref(v);
}

/* Our own proofs equal the vectors' happy paths, and verify, for every index and size pair. */
static void test_own_proofs(void **state)
{
	coplan_merkle_hash leaves[8], roots[9];
	static const char *const happy[] = {"1", "2", "3", "4"};

	(void)state;
	leaves8(leaves);
	for (size_t n = 0; n <= 8; n++)
		assert_int_equal(coplan_merkle_root(roots[n], leaves, n), 0);

	for (size_t n = 1; n <= 8; n++) {
		for (size_t i = 0; i < n; i++) {
			coplan_merkle_hash *proof, bad;
			size_t len;
			assert_int_equal(coplan_merkle_inclusion_proof(&proof, &len, leaves, n, i), 0);
			assert_int_equal(coplan_merkle_inclusion_verify(leaves[i], i, n, proof, len, roots[n]), 0);
			/* the same proof for another leaf, or another size, fails */
			assert_int_equal(coplan_merkle_inclusion_verify(leaves[(i + 1) % 8], i, n, proof, len,
			                                                roots[n]),
			                 COPLAN_EINVALID);
			if (len > 0) {
				memcpy(bad, proof[0], sizeof(bad));
				proof[0][5] ^= 1;
				assert_int_equal(coplan_merkle_inclusion_verify(leaves[i], i, n, proof, len, roots[n]),
				                 COPLAN_EINVALID);
				memcpy(proof[0], bad, sizeof(bad));
			}
			free(proof);
		}
		for (size_t m = 1; m <= n; m++) {
			coplan_merkle_hash *proof;
			size_t len;
			assert_int_equal(coplan_merkle_consistency_proof(&proof, &len, leaves, n, m), 0);
			assert_int_equal(coplan_merkle_consistency_verify(m, n, roots[m], roots[n], proof, len), 0);
			if (m < n)
				assert_int_equal(coplan_merkle_consistency_verify(m, n, roots[n], roots[m], proof, len),
				                 COPLAN_EINVALID);
			free(proof);
		}
	}
	assert_int_equal(coplan_merkle_inclusion_proof(&(coplan_merkle_hash *){NULL}, &(size_t){0}, leaves, 8, 8),
	                 COPLAN_EUSAGE);

	/* the happy-path files carry exactly the proofs coplan makes */
	for (size_t s = 0; s < sizeof(happy) / sizeof(happy[0]); s++) {
		check_happy_path("inclusion", happy[s], leaves);
		check_happy_path("consistency", happy[s], leaves);
	}
}

/* A large tree: the root by the stack equals the root by the recursive definition. */
static void test_large(void **state)
{
	enum { N = 1000 };
	coplan_merkle_hash *leaves = calloc(N, sizeof(*leaves)), root, l, r, top;
	(void)state;

	assert_non_null(leaves);
	for (unsigned i = 0; i < N; i++)
		assert_int_equal(coplan_merkle_leaf_hash(leaves[i], &i, sizeof(i)), 0);
	/* MTH(D[1000]) = node(MTH(D[0:512]), MTH(D[512:1000])) */
	assert_int_equal(coplan_merkle_root(root, leaves, N), 0);
	assert_int_equal(coplan_merkle_root(l, leaves, 512), 0);
	assert_int_equal(coplan_merkle_root(r, leaves + 512, N - 512), 0);
	assert_int_equal(coplan_merkle_node_hash(top, l, r), 0);
	assert_memory_equal(root, top, 32);
	for (size_t i = 0; i < N; i += 97) {
		coplan_merkle_hash *proof;
		size_t len;
		assert_int_equal(coplan_merkle_inclusion_proof(&proof, &len, leaves, N, i), 0);
		assert_int_equal(len, 10);
		assert_int_equal(coplan_merkle_inclusion_verify(leaves[i], i, N, proof, len, root), 0);
		free(proof);
	}
	free(leaves);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roots),
		cmocka_unit_test(test_inclusion_vectors),
		cmocka_unit_test(test_consistency_vectors),
		cmocka_unit_test(test_own_proofs),
		cmocka_unit_test(test_large),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

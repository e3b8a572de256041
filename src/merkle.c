/* SPDX-License-Identifier: Apache-2.0 */
/* merkle.c - RFC 9162 Merkle tree hashes, inclusion and consistency proofs, over OpenSSL's SHA-256. */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "coplan/errors.h"
#include "coplan/merkle.h"
#include "common.h"

/* The most hashes a proof of a tree of up to 2^64 leaves can hold (one per level). */
#define MAX_PROOF 64

int coplan_merkle_leaf_hash(coplan_merkle_hash out, const void *data, size_t len)
{
	static const unsigned char prefix = 0x00;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned int n = 0;
	int ok;

	if (!md)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	ok = EVP_DigestInit_ex(md, EVP_sha256(), NULL) && EVP_DigestUpdate(md, &prefix, 1) &&
	     (len == 0 || EVP_DigestUpdate(md, data, len)) && EVP_DigestFinal_ex(md, out, &n) &&
	     n == COPLAN_MERKLE_HASH_LEN;
	EVP_MD_CTX_free(md);
	return ok ? 0 : cp_error(COPLAN_ERROR, "SHA-256 failed");
}

int coplan_merkle_node_hash(coplan_merkle_hash out, const coplan_merkle_hash left,
                            const coplan_merkle_hash right)
{
	unsigned char in[1 + 2 * COPLAN_MERKLE_HASH_LEN];
	unsigned int n = 0;

	in[0] = 0x01;
	memcpy(in + 1, left, COPLAN_MERKLE_HASH_LEN);
	memcpy(in + 1 + COPLAN_MERKLE_HASH_LEN, right, COPLAN_MERKLE_HASH_LEN);
	if (!EVP_Digest(in, sizeof(in), out, &n, EVP_sha256(), NULL) || n != COPLAN_MERKLE_HASH_LEN)
		return cp_error(COPLAN_ERROR, "SHA-256 failed");
	return 0;
}

/*
 * MTH by a stack of perfect subtrees, left to right: after each leaf the
 * stack holds the binary decomposition of the count so far (sizes falling),
 * so two of equal size merge at once; at the end the subtrees fold right
 * to left, which is MTH's split at the largest power of two below n.
 */
int coplan_merkle_root(coplan_merkle_hash out, const coplan_merkle_hash *leaves, size_t n)
{
	coplan_merkle_hash stack[MAX_PROOF + 1];
	size_t sizes[MAX_PROOF + 1];
	size_t top = 0;
	unsigned int len = 0;
	int rc;

	if (n == 0)
		return EVP_Digest("", 0, out, &len, EVP_sha256(), NULL) ? 0
		                                                          : cp_error(COPLAN_ERROR, "SHA-256 failed");
	for (size_t i = 0; i < n; i++) {
		memcpy(stack[top], leaves[i], COPLAN_MERKLE_HASH_LEN);
		sizes[top++] = 1;
		while (top >= 2 && sizes[top - 2] == sizes[top - 1]) {
			if ((rc = coplan_merkle_node_hash(stack[top - 2], stack[top - 2], stack[top - 1])))
				return rc;
			sizes[top - 2] *= 2;
			top--;
		}
	}
	while (top >= 2) {
		if ((rc = coplan_merkle_node_hash(stack[top - 2], stack[top - 2], stack[top - 1])))
			return rc;
		top--;
	}
	memcpy(out, stack[0], COPLAN_MERKLE_HASH_LEN);
	return 0;
}

/* The largest power of two below n (n >= 2). */
static size_t split_point(size_t n)
{
	size_t k = 1;

	while (k < n - k)
		k <<= 1;
	return k;
}

/* PATH(m, D[0:n]) appended to proof (RFC 9162 2.1.3.1); deepest first. */
static int path(coplan_merkle_hash *proof, size_t *len, const coplan_merkle_hash *d, size_t n,
                size_t m)
{
	size_t k;
	int rc;

	if (n <= 1)
		return 0;
	k = split_point(n);
	if (m < k) {
		if ((rc = path(proof, len, d, k, m)))
			return rc;
		return coplan_merkle_root(proof[(*len)++], d + k, n - k);
	}
	if ((rc = path(proof, len, d + k, n - k, m - k)))
		return rc;
	return coplan_merkle_root(proof[(*len)++], d, k);
}

/* SUBPROOF(m, D[0:n], whole) appended to proof (RFC 9162 2.1.4.1). */
static int subproof(coplan_merkle_hash *proof, size_t *len, const coplan_merkle_hash *d, size_t n,
                    size_t m, int whole)
{
	size_t k;
	int rc;

	if (m == n)
		return whole ? 0 : coplan_merkle_root(proof[(*len)++], d, n);
	k = split_point(n);
	if (m <= k) {
		if ((rc = subproof(proof, len, d, k, m, whole)))
			return rc;
		return coplan_merkle_root(proof[(*len)++], d + k, n - k);
	}
	if ((rc = subproof(proof, len, d + k, n - k, m - k, 0)))
		return rc;
	return coplan_merkle_root(proof[(*len)++], d, k);
}

/* Hand the first len hashes of buf over as a fresh array (NULL when len is 0). */
static int proof_out(coplan_merkle_hash **proof, size_t *plen, const coplan_merkle_hash *buf,
                     size_t len)
{
	if (len > 0) {
		if (!(*proof = malloc(len * sizeof(**proof))))
			return cp_error(COPLAN_ENOMEM, "out of memory");
		memcpy(*proof, buf, len * sizeof(**proof));
	}
	*plen = len;
	return 0;
}

int coplan_merkle_inclusion_proof(coplan_merkle_hash **proof, size_t *len,
                                  const coplan_merkle_hash *leaves, size_t n, size_t index)
{
	coplan_merkle_hash buf[MAX_PROOF];
	size_t count = 0;
	int rc;

	*proof = NULL;
	*len = 0;
	if (index >= n)
		return cp_error(COPLAN_EUSAGE, "leaf %zu is not in a tree of %zu", index, n);
	if ((rc = path(buf, &count, leaves, n, index)))
		return rc;
	return proof_out(proof, len, buf, count);
}

int coplan_merkle_consistency_proof(coplan_merkle_hash **proof, size_t *len,
                                    const coplan_merkle_hash *leaves, size_t n, size_t m)
{
	coplan_merkle_hash buf[MAX_PROOF];
	size_t count = 0;
	int rc;

	*proof = NULL;
	*len = 0;
	if (m == 0 || m > n)
		return cp_error(COPLAN_EUSAGE, "no consistency proof from a tree of %zu to one of %zu", m, n);
	if ((rc = subproof(buf, &count, leaves, n, m, 1)))
		return rc;
	return proof_out(proof, len, buf, count);
}

/* Shift fn and sn right together until fn's lowest bit is set or fn is 0. */
static void shift_while_even(uint64_t *fn, uint64_t *sn)
{
	while (*fn != 0 && !(*fn & 1)) {
		*fn >>= 1;
		*sn >>= 1;
	}
}

int coplan_merkle_inclusion_verify(const coplan_merkle_hash leaf, uint64_t index,
                                   uint64_t tree_size, const coplan_merkle_hash *proof,
                                   size_t len, const coplan_merkle_hash root)
{
	coplan_merkle_hash r;
	uint64_t fn, sn;
	int rc;

	if (index >= tree_size)
		return cp_error(COPLAN_EINVALID, "leaf %llu is not in a tree of %llu",
		                (unsigned long long)index, (unsigned long long)tree_size);
	fn = index;
	sn = tree_size - 1;
	memcpy(r, leaf, sizeof(r));
	for (size_t i = 0; i < len; i++) {
		if (sn == 0)
			return cp_error(COPLAN_EINVALID, "inclusion proof longer than the tree is deep");
		if ((fn & 1) || fn == sn) {
			if ((rc = coplan_merkle_node_hash(r, proof[i], r)))
				return rc;
			if (!(fn & 1))
				shift_while_even(&fn, &sn);
		} else if ((rc = coplan_merkle_node_hash(r, r, proof[i]))) {
			return rc;
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0)
		return cp_error(COPLAN_EINVALID, "inclusion proof shorter than the tree is deep");
	if (memcmp(r, root, sizeof(r)) != 0)
		return cp_error(COPLAN_EINVALID, "inclusion proof does not lead to the root");
	return 0;
}

int coplan_merkle_consistency_verify(uint64_t size1, uint64_t size2,
                                     const coplan_merkle_hash root1,
                                     const coplan_merkle_hash root2,
                                     const coplan_merkle_hash *proof, size_t len)
{
	coplan_merkle_hash fr, sr;
	uint64_t fn, sn;
	size_t i = 0;
	int rc;

	if (size2 < size1)
		return cp_error(COPLAN_EINVALID, "a tree of %llu cannot extend one of %llu",
		                (unsigned long long)size2, (unsigned long long)size1);
	if (size1 == size2) {
		if (len != 0)
			return cp_error(COPLAN_EINVALID, "trees of one size need an empty consistency proof");
		if (memcmp(root1, root2, COPLAN_MERKLE_HASH_LEN) != 0)
			return cp_error(COPLAN_EINVALID, "two trees of %llu leaves with different roots",
			                (unsigned long long)size1);
		return 0;
	}
	if (size1 == 0) {
		if (len != 0)
			return cp_error(COPLAN_EINVALID, "the empty tree needs an empty consistency proof");
		return 0;
	}
	if (len == 0)
		return cp_error(COPLAN_EINVALID, "empty consistency proof");

	fn = size1 - 1;
	sn = size2 - 1;
	/* RFC 9162 2.1.4.2 step 2: a first tree of a power-of-two size is its own first hash. */
	if ((size1 & (size1 - 1)) == 0) {
		memcpy(fr, root1, sizeof(fr));
	} else {
		memcpy(fr, proof[i++], sizeof(fr));
	}
	memcpy(sr, fr, sizeof(sr));
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	for (; i < len; i++) {
		if (sn == 0)
			return cp_error(COPLAN_EINVALID, "consistency proof longer than the tree is deep");
		if ((fn & 1) || fn == sn) {
			if ((rc = coplan_merkle_node_hash(fr, proof[i], fr)) ||
			    (rc = coplan_merkle_node_hash(sr, proof[i], sr)))
				return rc;
			if (!(fn & 1))
				shift_while_even(&fn, &sn);
		} else if ((rc = coplan_merkle_node_hash(sr, sr, proof[i]))) {
			return rc;
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0)
		return cp_error(COPLAN_EINVALID, "consistency proof shorter than the tree is deep");
	if (memcmp(fr, root1, sizeof(fr)) != 0)
		return cp_error(COPLAN_EINVALID, "consistency proof does not lead to the first root");
	if (memcmp(sr, root2, sizeof(sr)) != 0)
		return cp_error(COPLAN_EINVALID, "consistency proof does not lead to the second root");
	return 0;
}

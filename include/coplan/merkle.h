/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/merkle.h - Merkle tree hashes and proofs of RFC 9162 (Certificate Transparency v2), SHA-256. */
#ifndef COPLAN_MERKLE_H
#define COPLAN_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The tamper-evident audit log is a list of entries, each a leaf of a
 * Merkle tree as RFC 9162 section 2.1 defines it (the same tree as RFC
 * 6962): with SHA-256 as HASH,
 *
 *   leaf hash  = HASH(0x00 || entry)
 *   node hash  = HASH(0x01 || left || right)
 *   MTH({})    = HASH()          (the hash of the empty string)
 *   MTH(D[n])  = node(MTH(D[0:k]), MTH(D[k:n])), k the largest power of 2 < n
 *
 * A tree head (size, root) signed at one time commits to every entry
 * before it: an inclusion proof shows an entry is in the tree, a
 * consistency proof that a later tree extends an earlier one unchanged.
 *
 * Hashes are 32 bytes (COPLAN_MERKLE_HASH_LEN), raw, not hex.  Leaves are
 * passed as arrays of leaf hashes, leaf 0 first.  Functions return 0 or a
 * negative coplan_error_code (coplan/errors.h) with coplan_error_last() set.
 */
#define COPLAN_MERKLE_HASH_LEN 32

typedef unsigned char coplan_merkle_hash[COPLAN_MERKLE_HASH_LEN];

/* out = HASH(0x00 || data[0..len)).  Errors: COPLAN_ERROR (the digest failed). */
int coplan_merkle_leaf_hash(coplan_merkle_hash out, const void *data, size_t len);

/* out = HASH(0x01 || left || right); out may alias left or right.  Errors: as above. */
int coplan_merkle_node_hash(coplan_merkle_hash out, const coplan_merkle_hash left,
                            const coplan_merkle_hash right);

/*
 * out = MTH of the n leaf hashes (n may be 0), in O(n) time and
 * O(log n) memory.  Errors: COPLAN_ERROR.
 */
int coplan_merkle_root(coplan_merkle_hash out, const coplan_merkle_hash *leaves, size_t n);

/*
 * The inclusion proof of leaf index (< n) in the tree of the n leaves
 * (RFC 9162 2.1.3.1, PATH): *proof (malloc'd, the caller frees it) gets
 * *len hashes, nearest the leaf first; at most 64.  Errors: COPLAN_EUSAGE
 * (index >= n), COPLAN_ENOMEM, COPLAN_ERROR.
 */
int coplan_merkle_inclusion_proof(coplan_merkle_hash **proof, size_t *len,
                                  const coplan_merkle_hash *leaves, size_t n, size_t index);

/*
 * Check that leaf (a leaf hash) is leaf index of the tree of size
 * tree_size whose root is root, by proof (RFC 9162 2.1.3.2).  Returns 0
 * when it is; COPLAN_EINVALID (with the reason) when the proof does not
 * verify, whatever is wrong with it.
 */
int coplan_merkle_inclusion_verify(const coplan_merkle_hash leaf, uint64_t index,
                                   uint64_t tree_size, const coplan_merkle_hash *proof,
                                   size_t len, const coplan_merkle_hash root);

/*
 * The consistency proof between the tree of the first m leaves and the
 * tree of all n (0 < m <= n; RFC 9162 2.1.4.1, PROOF): *proof (malloc'd,
 * the caller frees it; NULL when *len is 0, as for m == n) gets *len
 * hashes.  Errors: COPLAN_EUSAGE (m == 0 or m > n), COPLAN_ENOMEM, COPLAN_ERROR.
 */
int coplan_merkle_consistency_proof(coplan_merkle_hash **proof, size_t *len,
                                    const coplan_merkle_hash *leaves, size_t n, size_t m);

/*
 * Check that the tree of size size2 with root root2 extends the tree of
 * size size1 with root root1 (RFC 9162 2.1.4.2).  Equal sizes need an
 * empty proof and equal roots; size1 0 needs an empty proof (the empty
 * tree is a prefix of every tree).  Returns 0, or COPLAN_EINVALID.
 */
int coplan_merkle_consistency_verify(uint64_t size1, uint64_t size2,
                                     const coplan_merkle_hash root1,
                                     const coplan_merkle_hash root2,
                                     const coplan_merkle_hash *proof, size_t len);

#ifdef __cplusplus
}
#endif

#endif

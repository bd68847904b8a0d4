package io.cocoplane.transparencylog;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Verification of Merkle audit paths over RFC 9162 SHA-256 trees ({@link MerkleHashes}).
 *
 * <ul>
 * <li>{@link #verifyInclusion}: RFC 9162 §2.1.3.2, an inclusion proof for leaf {@code leafIndex} in the tree of
 * {@code treeSize} leaves;</li>
 * <li>{@link #verifyConsistency}: RFC 9162 §2.1.4.2, a consistency proof between tree sizes {@code size1 <= size2};</li>
 * <li>{@link #verifySubtreeInclusion} and {@link #verifySubtreeConsistency}: the subtree proofs of
 * draft-ietf-plants-merkle-tree-certs ("Subtrees", "Subtree Inclusion Proofs", "Subtree Consistency Proofs"), for a
 * subtree {@code [start, end)} that is valid per {@link #isValidSubtree}.</li>
 * </ul>
 *
 * <p>A proof is a list of 32-byte hashes ordered from the leaf side up to the root side, exactly as
 * {@link MerkleTree} generates it. Every method either returns normally (the proof verifies) or throws
 * {@link InvalidProofException} naming the reason. Rules stricter than a literal reading of the RFC:
 * <ol>
 * <li>every hash that enters a hash computation or is compared with a computed hash (leaf hash, proof elements,
 * subtree and tree roots) must be exactly 32 bytes; where no hash is computed (equal sizes, an empty subtree) the
 * given roots are only compared byte for byte;</li>
 * <li>a consistency proof from tree size 0 is always rejected, even {@code 0 -> 0} (RFC 9162 §2.1.4 defines proofs
 * only for {@code 0 < m}; an empty tree commits to nothing);</li>
 * <li>a proof longer than {@value #MAX_PROOF_SIZE} elements is rejected before any hashing (no RFC 9162 proof over a
 * 63-bit tree size can be longer).</li>
 * </ol>
 * Comparisons of roots use {@link MessageDigest#isEqual}. Sizes and indexes are Java {@code long}; values that do not
 * fit in a signed 64-bit integer arrive as negative numbers and are rejected.
 */
public final class MerkleProofs {

    /** Upper bound on the number of hashes in any proof accepted here. */
    public static final int MAX_PROOF_SIZE = 2 * 64;

    private MerkleProofs() {
    }

    /**
     * Tells whether {@code [start, end)} is a subtree per draft-ietf-plants-merkle-tree-certs: {@code start < end}
     * and {@code start} is a multiple of {@code BIT_CEIL(end - start)}, the smallest power of two that is
     * {@code >= end - start}. Such a range is a node of the tree of size {@code end} and of every larger tree's
     * perfect subtree that contains it.
     *
     * @param start first leaf index (inclusive), {@code >= 0}
     * @param end   last leaf index (exclusive)
     * @return true when the range is a valid, non-empty subtree; false for negative values or an invalid range
     */
    public static boolean isValidSubtree(long start, long end) {
        if (start < 0 || end <= start) {
            return false;
        }
        long len = end - start;
        int ceilLog2 = 64 - Long.numberOfLeadingZeros(len - 1);
        if (ceilLog2 >= 63) {
            return start == 0;
        }
        return (start & ((1L << ceilLog2) - 1)) == 0;
    }

    /**
     * Verifies an inclusion proof, RFC 9162 §2.1.3.2.
     *
     * @param leafIndex 0-based index of the leaf, {@code 0 <= leafIndex < treeSize}
     * @param treeSize  number of leaves in the tree
     * @param leafHash  the 32-byte leaf hash ({@link MerkleHashes#leafHash})
     * @param proof     the audit path, leaf side first, each element 32 bytes
     * @param rootHash  the 32-byte root hash of the tree of {@code treeSize} leaves
     * @throws InvalidProofException when an index/size is out of range, a hash is not 32 bytes, the proof has the
     *                               wrong length, or the recomputed root differs from {@code rootHash}
     */
    public static void verifyInclusion(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> proof,
            byte[] rootHash) {
        byte[] computed = rootFromInclusionProof(leafIndex, treeSize, leafHash, proof);
        requireMatch(computed, MerkleHashes.requireHash(rootHash, "root hash"), "root hash");
    }

    /**
     * Recomputes the root hash from an inclusion proof, RFC 9162 §2.1.3.2 steps 1-5 without the final comparison.
     *
     * @param leafIndex 0-based index of the leaf, {@code 0 <= leafIndex < treeSize}
     * @param treeSize  number of leaves in the tree
     * @param leafHash  the 32-byte leaf hash
     * @param proof     the audit path, leaf side first, each element 32 bytes
     * @return the 32-byte root hash the proof commits to
     * @throws InvalidProofException when an index/size is out of range, a hash is not 32 bytes or the proof has the
     *                               wrong length for {@code (leafIndex, treeSize)}
     */
    public static byte[] rootFromInclusionProof(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> proof) {
        if (leafIndex < 0 || treeSize < 0) {
            throw new InvalidProofException("leaf index and tree size must be non-negative: index=" + leafIndex
                    + " size=" + treeSize);
        }
        if (leafIndex >= treeSize) {
            throw new InvalidProofException("leaf index " + leafIndex + " is not below tree size " + treeSize);
        }
        MerkleHashes.requireHash(leafHash, "leaf hash");
        checkElements(proof, 64);
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                throw new InvalidProofException("inclusion proof is too long for index " + leafIndex + " in size "
                        + treeSize);
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = MerkleHashes.nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                r = MerkleHashes.nodeHash(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) {
            throw new InvalidProofException("inclusion proof is too short for index " + leafIndex + " in size "
                    + treeSize);
        }
        return r;
    }

    /**
     * Verifies a consistency proof between two tree sizes, RFC 9162 §2.1.4.2.
     *
     * <p>{@code size1 == size2 > 0} requires an empty proof and {@code root1} equal to {@code root2} (byte for
     * byte). {@code size1 == 0} is always rejected.
     *
     * @param size1 size of the earlier tree, {@code 0 < size1 <= size2}
     * @param size2 size of the later tree
     * @param root1 root hash of the earlier tree (32 bytes when the sizes differ)
     * @param root2 root hash of the later tree (32 bytes when the sizes differ)
     * @param proof the consistency proof, each element 32 bytes
     * @throws InvalidProofException when the sizes are out of range, a hash is malformed, the proof has the wrong
     *                               length, or either recomputed root differs
     */
    public static void verifyConsistency(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof) {
        if (size1 < 0 || size2 < 0) {
            throw new InvalidProofException("tree sizes must be non-negative: " + size1 + ", " + size2);
        }
        if (size1 > size2) {
            throw new InvalidProofException("size1 " + size1 + " is larger than size2 " + size2);
        }
        if (size1 == 0) {
            throw new InvalidProofException("a consistency proof from the empty tree is meaningless");
        }
        checkElements(proof, MAX_PROOF_SIZE);
        if (size1 == size2) {
            if (!proof.isEmpty()) {
                throw new InvalidProofException("sizes are equal but the proof is not empty");
            }
            requireEqualRoots(root1, root2);
            return;
        }
        if (proof.isEmpty()) {
            throw new InvalidProofException("consistency proof is empty for sizes " + size1 + " -> " + size2);
        }
        MerkleHashes.requireHash(root1, "root1");
        MerkleHashes.requireHash(root2, "root2");
        List<byte[]> path = proof;
        if (Long.bitCount(size1) == 1) {
            path = new ArrayList<>(proof.size() + 1);
            path.add(root1);
            path.addAll(proof);
        }
        long fn = size1 - 1;
        long sn = size2 - 1;
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (int i = 1; i < path.size(); i++) {
            byte[] c = path.get(i);
            if (sn == 0) {
                throw new InvalidProofException("consistency proof is too long for sizes " + size1 + " -> " + size2);
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = MerkleHashes.nodeHash(c, fr);
                sr = MerkleHashes.nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                sr = MerkleHashes.nodeHash(sr, c);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) {
            throw new InvalidProofException("consistency proof is too short for sizes " + size1 + " -> " + size2);
        }
        requireMatch(fr, root1, "root1");
        requireMatch(sr, root2, "root2");
    }

    /**
     * Verifies a subtree inclusion proof (draft-ietf-plants-merkle-tree-certs): the proof is the RFC 9162 inclusion
     * proof of leaf {@code leafIndex - start} in the tree formed by the leaves {@code [start, end)}, whose root is
     * the subtree hash.
     *
     * @param leafIndex   absolute 0-based leaf index, {@code start <= leafIndex < end}
     * @param start       first leaf of the subtree (inclusive)
     * @param end         end of the subtree (exclusive); {@code [start, end)} must satisfy {@link #isValidSubtree}
     * @param leafHash    the 32-byte leaf hash
     * @param proof       the audit path inside the subtree, leaf side first
     * @param subtreeHash the 32-byte subtree hash {@code MTH(D[start:end])}
     * @throws InvalidProofException when the subtree is invalid, the index is outside it, a hash is not 32 bytes,
     *                               the proof has the wrong length, or the recomputed subtree hash differs
     */
    public static void verifySubtreeInclusion(long leafIndex, long start, long end, byte[] leafHash,
            List<byte[]> proof, byte[] subtreeHash) {
        if (!isValidSubtree(start, end)) {
            throw new InvalidProofException("[" + start + ", " + end + ") is not a valid subtree");
        }
        if (leafIndex < start || leafIndex >= end) {
            throw new InvalidProofException("leaf index " + leafIndex + " is outside the subtree [" + start + ", "
                    + end + ")");
        }
        byte[] computed = rootFromInclusionProof(leafIndex - start, end - start, leafHash, proof);
        requireMatch(computed, MerkleHashes.requireHash(subtreeHash, "subtree hash"), "subtree hash");
    }

    /**
     * Verifies a subtree consistency proof (draft-ietf-plants-merkle-tree-certs): that the subtree {@code [start,
     * end)} with hash {@code subtreeHash} is part of the tree of {@code treeSize} leaves with root {@code rootHash}.
     * The proof is {@code SUBTREE_PROOF(start, end, D[treeSize])}; it reduces to the RFC 9162 consistency proof when
     * {@code start == 0}. The verifier replays the proof's recursive definition, consuming elements from the last
     * (root side) to the first, and recomputes both the subtree hash and the tree root.
     *
     * <p>Boundary rules: an empty subtree ({@code start == end <= treeSize}) is consistent with any tree when the
     * proof is empty and {@code subtreeHash} is {@code MTH({}) = SHA-256("")}; {@code rootHash} is not involved.
     * {@code [0, treeSize)} requires an empty proof and {@code subtreeHash} equal to {@code rootHash}.
     *
     * @param start       first leaf of the subtree (inclusive)
     * @param end         end of the subtree (exclusive), {@code end <= treeSize}
     * @param treeSize    number of leaves in the tree
     * @param subtreeHash the subtree hash {@code MTH(D[start:end])}, 32 bytes
     * @param rootHash    the tree root {@code MTH(D[0:treeSize])}, 32 bytes
     * @param proof       the subtree consistency proof, each element 32 bytes
     * @throws InvalidProofException when the subtree or sizes are invalid, a hash is malformed, the proof has the
     *                               wrong length, or either recomputed hash differs
     */
    public static void verifySubtreeConsistency(long start, long end, long treeSize, byte[] subtreeHash,
            byte[] rootHash, List<byte[]> proof) {
        if (start < 0 || end < 0 || treeSize < 0) {
            throw new InvalidProofException("start, end and tree size must be non-negative: " + start + ", " + end
                    + ", " + treeSize);
        }
        if (end > treeSize) {
            throw new InvalidProofException("subtree end " + end + " is beyond tree size " + treeSize);
        }
        checkElements(proof, MAX_PROOF_SIZE);
        if (start == end) {
            if (!proof.isEmpty()) {
                throw new InvalidProofException("the subtree is empty but the proof is not");
            }
            if (subtreeHash == null || !MessageDigest.isEqual(subtreeHash, MerkleHashes.emptyRoot())) {
                throw new InvalidProofException("the subtree is empty but its hash is not SHA-256(\"\")");
            }
            return;
        }
        if (!isValidSubtree(start, end)) {
            throw new InvalidProofException("[" + start + ", " + end + ") is not a valid subtree");
        }
        if (start == 0 && end == treeSize) {
            if (!proof.isEmpty()) {
                throw new InvalidProofException("the subtree is the whole tree but the proof is not empty");
            }
            requireEqualRoots(subtreeHash, rootHash);
            return;
        }
        if (proof.isEmpty()) {
            throw new InvalidProofException("subtree consistency proof is empty");
        }
        MerkleHashes.requireHash(subtreeHash, "subtree hash");
        MerkleHashes.requireHash(rootHash, "root hash");
        Cursor cursor = new Cursor(proof);
        byte[][] hashes = replay(start, end, treeSize, true, cursor, subtreeHash);
        if (cursor.remaining() != 0) {
            throw new InvalidProofException("subtree consistency proof has " + cursor.remaining()
                    + " extra element(s)");
        }
        requireMatch(hashes[0], subtreeHash, "subtree hash");
        requireMatch(hashes[1], rootHash, "root hash");
    }

    /**
     * Mirrors SUBTREE_SUBPROOF(start, end, D[n], known): returns {hash of the subtree part seen so far, hash of the
     * whole node D[0:n]} (relative to the current node), consuming sibling hashes from the end of the proof.
     */
    private static byte[][] replay(long s, long e, long n, boolean known, Cursor cursor, byte[] seed) {
        if (s == 0 && e == n) {
            byte[] h = known ? seed : cursor.next();
            return new byte[][] {h, h};
        }
        long k = Long.highestOneBit(n - 1);
        byte[] sibling = cursor.next();
        if (e <= k) {
            byte[][] r = replay(s, e, k, known, cursor, seed);
            return new byte[][] {r[0], MerkleHashes.nodeHash(r[1], sibling)};
        }
        if (s >= k) {
            byte[][] r = replay(s - k, e - k, n - k, known, cursor, seed);
            return new byte[][] {r[0], MerkleHashes.nodeHash(sibling, r[1])};
        }
        // s == 0 < k < e: the subtree spans the left child D[0:k] and part of the right one.
        byte[][] r = replay(0, e - k, n - k, false, cursor, seed);
        return new byte[][] {MerkleHashes.nodeHash(sibling, r[0]), MerkleHashes.nodeHash(sibling, r[1])};
    }

    private static final class Cursor {
        private final List<byte[]> proof;
        private int next;

        Cursor(List<byte[]> proof) {
            this.proof = proof;
            this.next = proof.size() - 1;
        }

        byte[] next() {
            if (next < 0) {
                throw new InvalidProofException("subtree consistency proof is too short");
            }
            return proof.get(next--);
        }

        int remaining() {
            return next + 1;
        }
    }

    private static void checkElements(List<byte[]> proof, int max) {
        if (proof == null) {
            throw new InvalidProofException("proof is null");
        }
        if (proof.size() > max) {
            throw new InvalidProofException("proof has " + proof.size() + " elements, more than " + max);
        }
        for (int i = 0; i < proof.size(); i++) {
            MerkleHashes.requireHash(proof.get(i), "proof[" + i + "]");
        }
    }

    private static void requireEqualRoots(byte[] a, byte[] b) {
        if (a == null || b == null) {
            throw new InvalidProofException("root hash is null");
        }
        if (!MessageDigest.isEqual(a, b)) {
            throw new InvalidProofException("the two root hashes differ although the trees are the same");
        }
    }

    private static void requireMatch(byte[] computed, byte[] expected, String what) {
        if (!MessageDigest.isEqual(computed, expected)) {
            throw new InvalidProofException(what + " recomputed from the proof does not match the given " + what);
        }
    }
}

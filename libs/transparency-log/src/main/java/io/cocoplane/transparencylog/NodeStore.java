package io.cocoplane.transparencylog;

import java.util.Optional;

/**
 * Storage of the hashes of the perfect (complete) subtrees of an append-only RFC 9162 Merkle tree, so that a
 * {@link MerkleTree} never has to keep or rehash the leaves.
 *
 * <p>The node at {@code (level, index)} is the root of the perfect subtree over the leaves
 * {@code [index·2^level, (index+1)·2^level)}; level 0 holds the leaf hashes. {@code level} is in {@code 0..63},
 * {@code index} is in {@code 0..(2^63-1) >> level}. Once written, a node never changes (the tree is append-only);
 * {@link MerkleTree} writes each node exactly once, in the order it completes, and only after all the nodes below it.
 * A tree of size {@code n} holds exactly the nodes whose leaf range ends at or before {@code n}.
 *
 * <p>A service persists this in a table keyed by {@code (level, index)} (e.g. PostgreSQL
 * {@code tree_nodes(level smallint, idx bigint, hash bytea, primary key(level, idx))}) and stores the tree size in the
 * same transaction as the nodes an append writes. Implementations decide their own thread safety; {@link MerkleTree}
 * serialises its own calls.
 */
public interface NodeStore {

    /**
     * Reads a node hash.
     *
     * @param level the height of the subtree, {@code 0..63} (0 = leaf)
     * @param index the position of the subtree among the subtrees of that level, {@code >= 0}
     * @return the 32-byte hash, or empty when the node was never written
     */
    Optional<byte[]> get(int level, long index);

    /**
     * Writes a node hash. The caller passes a fresh array that the store may keep.
     *
     * @param level the height of the subtree, {@code 0..63}
     * @param index the position of the subtree on its level, {@code >= 0}
     * @param hash  the 32-byte hash of the perfect subtree
     */
    void put(int level, long index, byte[] hash);
}

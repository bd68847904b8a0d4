package io.cocoplane.transparencylog;

import java.util.List;
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

    /**
     * Writes the nodes of one batch of appends ({@link MerkleTree#appendLeafHashes}), in the order they complete (a
     * node after the nodes below it). The caller passes fresh arrays that the store may keep. The default writes them
     * one at a time with {@link #put}; a database-backed store should override it to write them in one statement.
     * If it throws, the tree's in-memory state is unchanged; which of the nodes were written is the store's matter
     * (a transactional store rolls them back with the size it belongs to).
     *
     * @param nodes the new nodes, each at a position never written before
     */
    default void putAll(List<Node> nodes) {
        for (Node n : nodes) {
            put(n.level(), n.index(), n.hash());
        }
    }

    /**
     * One node: the hash of the perfect subtree over the leaves {@code [index·2^level, (index+1)·2^level)}.
     *
     * @param level the height, {@code 0..63} (0 = leaf)
     * @param index the position on that level, {@code >= 0}
     * @param hash  32 bytes
     */
    record Node(int level, long index, byte[] hash) {
    }
}

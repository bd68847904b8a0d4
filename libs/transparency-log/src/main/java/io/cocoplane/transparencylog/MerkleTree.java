package io.cocoplane.transparencylog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An append-only RFC 9162 Merkle tree (SHA-256, {@link MerkleHashes}) whose nodes live in a {@link NodeStore}.
 *
 * <p>State: the tree size {@code n} and, in memory, the compact range (frontier) of {@code n}: for each bit
 * {@code l} set in {@code n}, the root of the perfect subtree at level {@code l} that ends the tree. An append
 * writes the new leaf hash and every perfect subtree it completes (at most 64 nodes, {@code O(log n)}), and
 * never reads or rehashes old leaves; a batch of appends ({@link #appendAll}, {@link #appendLeafHashes}) hands all
 * its nodes to the store in one {@link NodeStore#putAll} call. The current root folds the frontier; roots of past sizes and every proof are
 * assembled from the {@code O(log n)} stored perfect-subtree hashes they need
 * ({@code MTH(D[a:b]) = H(MTH(D[a:a+k]) ‖ MTH(D[a+k:b]))}, {@code k} the largest power of two below {@code b-a},
 * RFC 9162 §2.1.1), not from the leaves.
 *
 * <p>Sizes and indexes are Java {@code long}: at most {@code 2^63 - 1} leaves. Methods are {@code synchronized};
 * the object may be shared between threads. Persisting the size next to the store's nodes is the caller's job
 * ({@link #open(NodeStore, long)} rebuilds the frontier from them).
 */
public final class MerkleTree {

    /** Most leaves one {@link #appendLeafHashes} call takes (bounds the node list it builds). */
    public static final int MAX_BATCH = 1 << 20;

    private final NodeStore store;
    private final byte[][] frontier = new byte[64][];
    private long size;

    /**
     * Creates an empty tree (size 0) that writes its nodes to {@code store}. The store should be empty.
     *
     * @param store where node hashes are written and read
     * @throws NodeStoreException when {@code store} is null
     */
    public MerkleTree(NodeStore store) {
        if (store == null) {
            throw new NodeStoreException("node store is null");
        }
        this.store = store;
    }

    /**
     * Reopens a tree of {@code size} leaves whose nodes are already in {@code store}, reading the {@code
     * bitCount(size)} frontier nodes.
     *
     * @param store the node store written by an earlier tree
     * @param size  the persisted tree size, {@code >= 0}
     * @return the reopened tree
     * @throws TreeRangeException when {@code size} is negative
     * @throws NodeStoreException when {@code store} is null or lacks a frontier node, or a node is not 32 bytes
     */
    public static MerkleTree open(NodeStore store, long size) {
        if (size < 0) {
            throw new TreeRangeException("tree size must be non-negative, got " + size);
        }
        MerkleTree tree = new MerkleTree(store);
        for (int l = 0; l < 63; l++) {
            if ((size & (1L << l)) != 0) {
                tree.frontier[l] = tree.node(l, (size >>> l) - 1);
            }
        }
        tree.size = size;
        return tree;
    }

    /**
     * Appends a log entry: stores {@code SHA-256(0x00 ‖ entry)} as leaf {@link #size()}.
     *
     * @param entry the entry bytes (any length)
     * @return the 0-based index of the new leaf
     * @throws InvalidProofException when {@code entry} is null
     * @throws TreeRangeException    when the tree already holds {@code 2^63 - 1} leaves
     * @throws NodeStoreException    when the store refuses a write (the in-memory state is then unchanged)
     */
    public long append(byte[] entry) {
        return appendLeafHash(MerkleHashes.leafHash(entry));
    }

    /**
     * Appends a precomputed leaf hash as leaf {@link #size()}, storing it and the perfect subtrees it completes.
     *
     * @param leafHash the 32-byte RFC 9162 leaf hash
     * @return the 0-based index of the new leaf
     * @throws InvalidProofException when {@code leafHash} is not 32 bytes
     * @throws TreeRangeException    when the tree already holds {@code 2^63 - 1} leaves
     * @throws NodeStoreException    when the store refuses a write (the in-memory state is then unchanged)
     */
    public synchronized long appendLeafHash(byte[] leafHash) {
        byte[] h = MerkleHashes.requireHash(leafHash, "leaf hash");
        return appendLeafHashes(List.of(h));
    }

    /**
     * Appends log entries as leaves {@code size() .. size() + entries.size() - 1}, in list order, with one
     * {@link NodeStore#putAll} call for all the nodes they complete. The resulting tree is the one the same
     * {@link #append} calls would build.
     *
     * @param entries the entry bytes, at most {@value #MAX_BATCH} of them
     * @return the index of the first new leaf ({@link #size()} before the call; the old size when the list is empty)
     * @throws InvalidProofException when {@code entries} or one of them is null
     * @throws TreeRangeException    when the list is longer than {@value #MAX_BATCH} or the tree would exceed
     *                               {@code 2^63 - 1} leaves
     * @throws NodeStoreException    when the store refuses the write (the in-memory state is then unchanged)
     */
    public long appendAll(List<byte[]> entries) {
        if (entries == null) {
            throw new InvalidProofException("entries are null");
        }
        List<byte[]> hashes = new ArrayList<>(entries.size());
        for (byte[] e : entries) {
            hashes.add(MerkleHashes.leafHash(e));
        }
        return appendLeafHashes(hashes);
    }

    /**
     * Appends precomputed leaf hashes as leaves {@code size() ..}, in list order: computes every node they complete
     * from the in-memory frontier, writes them with one {@link NodeStore#putAll} call (leaf and inner nodes, each
     * after the nodes below it, {@code 2k + O(log n)} of them for {@code k} leaves), then advances the frontier.
     *
     * @param leafHashes 32-byte RFC 9162 leaf hashes, at most {@value #MAX_BATCH}
     * @return the index of the first new leaf ({@link #size()} before the call; the old size when the list is empty)
     * @throws InvalidProofException when the list is null or a hash is not 32 bytes
     * @throws TreeRangeException    when the list is longer than {@value #MAX_BATCH} or the tree would exceed
     *                               {@code 2^63 - 1} leaves
     * @throws NodeStoreException    when the store refuses the write (the in-memory state is then unchanged)
     */
    public synchronized long appendLeafHashes(List<byte[]> leafHashes) {
        if (leafHashes == null) {
            throw new InvalidProofException("leaf hashes are null");
        }
        if (leafHashes.size() > MAX_BATCH) {
            throw new TreeRangeException("at most " + MAX_BATCH + " leaves per batch, got " + leafHashes.size());
        }
        if (Long.MAX_VALUE - size < leafHashes.size()) {
            throw new TreeRangeException("the tree is full");
        }
        long first = size;
        if (leafHashes.isEmpty()) {
            return first;
        }
        byte[][] f = frontier.clone();
        List<NodeStore.Node> nodes = new ArrayList<>(2 * leafHashes.size() + 64);
        long index = size;
        for (byte[] leafHash : leafHashes) {
            byte[] h = MerkleHashes.requireHash(leafHash, "leaf hash").clone();
            nodes.add(new NodeStore.Node(0, index, h.clone()));
            int level = 0;
            long idx = index;
            while ((idx & 1) == 1) {
                h = MerkleHashes.nodeHash(f[level], h);
                idx >>>= 1;
                level++;
                nodes.add(new NodeStore.Node(level, idx, h.clone()));
            }
            for (int l = 0; l < level; l++) {
                f[l] = null;
            }
            f[level] = h;
            index++;
        }
        store.putAll(nodes);
        System.arraycopy(f, 0, frontier, 0, frontier.length);
        size = index;
        return first;
    }

    /**
     * @return the number of leaves, {@code >= 0}
     */
    public synchronized long size() {
        return size;
    }

    /**
     * The current root hash {@code MTH(D[0:size])}, folded from the in-memory frontier.
     *
     * @return 32 bytes; {@code SHA-256("")} for the empty tree
     */
    public synchronized byte[] rootHash() {
        byte[] root = null;
        for (int l = 0; l < 64; l++) {
            if (frontier[l] != null) {
                root = root == null ? frontier[l].clone() : MerkleHashes.nodeHash(frontier[l], root);
            }
        }
        return root == null ? MerkleHashes.emptyRoot() : root;
    }

    /**
     * The root hash the tree had when it held {@code treeSize} leaves, from the stored nodes (RFC 9162 §2.1.1).
     *
     * @param treeSize a past or the current size, {@code 0 <= treeSize <= size()}
     * @return 32 bytes; {@code SHA-256("")} for size 0
     * @throws TreeRangeException when {@code treeSize} is negative or larger than the tree
     * @throws NodeStoreException when a needed node is missing from the store
     */
    public synchronized byte[] rootHash(long treeSize) {
        if (treeSize < 0 || treeSize > size) {
            throw new TreeRangeException("tree size " + treeSize + " is outside 0.." + size);
        }
        return treeSize == 0 ? MerkleHashes.emptyRoot() : mth(0, treeSize);
    }

    /**
     * The stored hash of one leaf.
     *
     * @param index 0-based, {@code 0 <= index < size()}
     * @return the 32-byte leaf hash
     * @throws TreeRangeException when {@code index} is outside the tree
     * @throws NodeStoreException when the leaf is missing from the store
     */
    public synchronized byte[] leafHash(long index) {
        if (index < 0 || index >= size) {
            throw new TreeRangeException("leaf index " + index + " is outside 0.." + size + " (exclusive)");
        }
        return node(0, index);
    }

    /**
     * The subtree hash {@code MTH(D[start:end])} of a subtree per draft-ietf-plants-merkle-tree-certs.
     *
     * @param start first leaf (inclusive)
     * @param end   end (exclusive), {@code end <= size()}; {@code [start, end)} must satisfy
     *              {@link MerkleProofs#isValidSubtree}
     * @return 32 bytes
     * @throws TreeRangeException when the subtree is invalid or extends past the tree
     * @throws NodeStoreException when a needed node is missing from the store
     */
    public synchronized byte[] subtreeHash(long start, long end) {
        requireSubtree(start, end, size);
        return mth(start, end);
    }

    /**
     * Inclusion proof {@code PATH(leafIndex, D[0:treeSize])}, RFC 9162 §2.1.3.1, for a past or the current size.
     *
     * @param leafIndex 0-based leaf index, {@code 0 <= leafIndex < treeSize}
     * @param treeSize  tree size the proof is for, {@code <= size()}
     * @return the audit path, leaf side first, each element 32 bytes; empty for a one-leaf tree
     * @throws TreeRangeException when the index or size is out of range
     * @throws NodeStoreException when a needed node is missing from the store
     */
    public synchronized List<byte[]> inclusionProof(long leafIndex, long treeSize) {
        if (treeSize < 0 || treeSize > size) {
            throw new TreeRangeException("tree size " + treeSize + " is outside 0.." + size);
        }
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new TreeRangeException("leaf index " + leafIndex + " is not in 0.." + treeSize + " (exclusive)");
        }
        return path(leafIndex, 0, treeSize);
    }

    /**
     * Consistency proof {@code PROOF(size1, D[0:size2])}, RFC 9162 §2.1.4.1.
     *
     * @param size1 earlier size, {@code 0 < size1 <= size2}
     * @param size2 later size, {@code <= size()}
     * @return the proof, each element 32 bytes; empty when {@code size1 == size2}
     * @throws TreeRangeException when the sizes are out of range (a proof from size 0 does not exist)
     * @throws NodeStoreException when a needed node is missing from the store
     */
    public synchronized List<byte[]> consistencyProof(long size1, long size2) {
        if (size2 < 0 || size2 > size) {
            throw new TreeRangeException("tree size " + size2 + " is outside 0.." + size);
        }
        if (size1 <= 0 || size1 > size2) {
            throw new TreeRangeException("size1 " + size1 + " must be in 1.." + size2);
        }
        List<byte[]> out = new ArrayList<>();
        if (size1 < size2) {
            subproof(0, 0, size1, size2, true, out);
        }
        return out;
    }

    /**
     * Subtree inclusion proof (draft-ietf-plants-merkle-tree-certs): the RFC 9162 inclusion proof of leaf
     * {@code leafIndex - start} in the tree formed by the leaves {@code [start, end)}.
     *
     * @param leafIndex absolute leaf index, {@code start <= leafIndex < end}
     * @param start     first leaf of the subtree
     * @param end       end of the subtree (exclusive), {@code <= size()}; must be a valid subtree
     * @return the audit path inside the subtree, leaf side first
     * @throws TreeRangeException when the subtree is invalid or the index is outside it
     * @throws NodeStoreException when a needed node is missing from the store
     */
    public synchronized List<byte[]> subtreeInclusionProof(long leafIndex, long start, long end) {
        requireSubtree(start, end, size);
        if (leafIndex < start || leafIndex >= end) {
            throw new TreeRangeException("leaf index " + leafIndex + " is outside [" + start + ", " + end + ")");
        }
        return path(leafIndex, start, end);
    }

    /**
     * Subtree consistency proof {@code SUBTREE_PROOF(start, end, D[0:treeSize])} (draft-ietf-plants-merkle-tree-certs):
     * recursively, with {@code k} the largest power of two below the current node size {@code n}, descend left
     * (appending {@code MTH} of the right part) when the subtree ends at or before {@code k}, right (appending
     * {@code MTH} of the left part) when it starts at or after {@code k}, and right with the subtree hash no longer
     * known when it spans {@code k}; a node equal to the subtree contributes nothing if its hash is known, else its
     * hash.
     *
     * @param start    first leaf of the subtree
     * @param end      end of the subtree (exclusive); {@code [start, end)} must be a valid subtree
     * @param treeSize size of the tree, {@code end <= treeSize <= size()}
     * @return the proof, each element 32 bytes; empty when {@code start == 0 && end == treeSize}
     * @throws TreeRangeException when the subtree or size is out of range
     * @throws NodeStoreException when a needed node is missing from the store
     */
    public synchronized List<byte[]> subtreeConsistencyProof(long start, long end, long treeSize) {
        if (treeSize < 0 || treeSize > size) {
            throw new TreeRangeException("tree size " + treeSize + " is outside 0.." + size);
        }
        requireSubtree(start, end, treeSize);
        List<byte[]> out = new ArrayList<>();
        subproof(0, start, end, treeSize, true, out);
        return out;
    }

    private void subproof(long lo, long s, long e, long n, boolean known, List<byte[]> out) {
        if (s == 0 && e == n) {
            if (!known) {
                out.add(mth(lo, lo + n));
            }
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (e <= k) {
            subproof(lo, s, e, k, known, out);
            out.add(mth(lo + k, lo + n));
        } else if (s >= k) {
            subproof(lo + k, s - k, e - k, n - k, known, out);
            out.add(mth(lo, lo + k));
        } else {
            subproof(lo + k, 0, e - k, n - k, false, out);
            out.add(mth(lo, lo + k));
        }
    }

    private List<byte[]> path(long index, long lo, long hi) {
        List<byte[]> topDown = new ArrayList<>();
        while (hi - lo > 1) {
            long k = Long.highestOneBit(hi - lo - 1);
            if (index < lo + k) {
                topDown.add(mth(lo + k, hi));
                hi = lo + k;
            } else {
                topDown.add(mth(lo, lo + k));
                lo = lo + k;
            }
        }
        Collections.reverse(topDown);
        return topDown;
    }

    /** MTH(D[lo:hi]) for 0 <= lo < hi <= size, from stored perfect-subtree hashes. */
    private byte[] mth(long lo, long hi) {
        long len = hi - lo;
        if (Long.bitCount(len) == 1 && (lo & (len - 1)) == 0) {
            int level = Long.numberOfTrailingZeros(len);
            return node(level, lo >>> level);
        }
        long k = Long.highestOneBit(len - 1);
        return MerkleHashes.nodeHash(mth(lo, lo + k), mth(lo + k, hi));
    }

    private byte[] node(int level, long index) {
        java.util.Optional<byte[]> stored = store.get(level, index);
        if (stored == null || stored.isEmpty()) {
            throw new NodeStoreException("node (" + level + ", " + index + ") is missing from the store");
        }
        byte[] h = stored.get();
        if (h.length != MerkleHashes.HASH_SIZE) {
            throw new NodeStoreException("node (" + level + ", " + index + ") is " + h.length + " bytes, not 32");
        }
        return h;
    }

    private static void requireSubtree(long start, long end, long treeSize) {
        if (!MerkleProofs.isValidSubtree(start, end)) {
            throw new TreeRangeException("[" + start + ", " + end + ") is not a valid subtree");
        }
        if (end > treeSize) {
            throw new TreeRangeException("subtree end " + end + " is beyond tree size " + treeSize);
        }
    }
}

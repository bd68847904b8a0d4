package io.cocoplane.transparencylog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * The append-only tree against the {@link ReferenceMerkle} oracle, on fixtures built here: roots of every size, the
 * proofs it generates, its O(log n) use of the node store, reopening, and its typed errors.
 */
class MerkleTreeTest {

    private static final int N = 64;

    private static MerkleTree treeOf(int n, NodeStore store) {
        MerkleTree t = new MerkleTree(store);
        for (int i = 0; i < n; i++) {
            assertThat(t.append(ReferenceMerkle.entry(i))).isEqualTo(i);
        }
        return t;
    }

    @Test
    void hashesFollowRfc9162DomainSeparation() {
        byte[] data = {1, 2, 3};
        assertThat(MerkleHashes.leafHash(data)).isEqualTo(ReferenceMerkle.sha256((byte) 0, data));
        byte[] l = ReferenceMerkle.leaf(new byte[] {1});
        byte[] r = ReferenceMerkle.leaf(new byte[] {2});
        assertThat(MerkleHashes.nodeHash(l, r)).isEqualTo(ReferenceMerkle.sha256((byte) 1, l, r));
        assertThat(MerkleHashes.emptyRoot()).isEqualTo(ReferenceMerkle.mth(List.of(), 0, 0));
        assertThatThrownBy(() -> MerkleHashes.nodeHash(new byte[31], r)).isInstanceOf(InvalidProofException.class);
    }

    @Test
    void everyRootMatchesTheReferenceAndPastRootsComeFromStoredNodes() {
        List<byte[]> d = ReferenceMerkle.leaves(N);
        MerkleTree t = new MerkleTree(new InMemoryNodeStore());
        assertThat(t.rootHash()).isEqualTo(ReferenceMerkle.mth(d, 0, 0));
        for (int n = 1; n <= N; n++) {
            t.append(ReferenceMerkle.entry(n - 1));
            assertThat(t.rootHash()).as("root of size %d", n).isEqualTo(ReferenceMerkle.mth(d, 0, n));
        }
        for (int n = 0; n <= N; n++) {
            assertThat(t.rootHash(n)).as("past root of size %d", n).isEqualTo(ReferenceMerkle.mth(d, 0, n));
        }
    }

    @Test
    void appendOnlyWritesAndNeverReadsTheStore() {
        CountingStore store = new CountingStore();
        MerkleTree t = treeOf(1000, store);
        assertThat(store.gets.get()).as("appends use the in-memory frontier only").isZero();
        // one put per perfect subtree: 2n - popcount(n) nodes
        assertThat(store.puts.get()).isEqualTo(2 * 1000 - Integer.bitCount(1000));
        store.gets.set(0);
        t.rootHash(777);
        assertThat(store.gets.get()).as("a past root reads O(log n) nodes").isLessThanOrEqualTo(10);
        store.gets.set(0);
        t.inclusionProof(500, 999);
        assertThat(store.gets.get()).as("an inclusion proof reads O(log n) nodes").isLessThanOrEqualTo(40);
    }

    @Test
    void inclusionProofsForEveryIndexAndSizeVerifyAndEveryBitFlipFails() {
        List<byte[]> d = ReferenceMerkle.leaves(N);
        MerkleTree t = treeOf(N, new InMemoryNodeStore());
        int flips = 0;
        for (int n = 1; n <= N; n++) {
            byte[] root = ReferenceMerkle.mth(d, 0, n);
            for (int i = 0; i < n; i++) {
                List<byte[]> proof = t.inclusionProof(i, n);
                assertThat(proof).as("PATH(%d, D[%d])", i, n)
                        .containsExactlyElementsOf(ReferenceMerkle.path(d, i, 0, n));
                MerkleProofs.verifyInclusion(i, n, d.get(i), proof, root);
                for (int e = 0; e < proof.size(); e++) {
                    List<byte[]> bad = ReferenceMerkle.withFlip(proof, e, (i * 31 + e * 7 + n) % 256);
                    int fi = i;
                    int fn = n;
                    assertThatThrownBy(() -> MerkleProofs.verifyInclusion(fi, fn, d.get(fi), bad, root))
                            .isInstanceOf(InvalidProofException.class);
                    flips++;
                }
                int fi = i;
                int fn = n;
                assertThatThrownBy(() -> MerkleProofs.verifyInclusion(fi, fn,
                        ReferenceMerkle.flipBit(d.get(fi), fi), proof, root))
                        .isInstanceOf(InvalidProofException.class);
            }
        }
        assertThat(flips).isGreaterThan(8000);
    }

    @Test
    void consistencyProofsForEveryPairVerifyAndEveryBitFlipFails() {
        List<byte[]> d = ReferenceMerkle.leaves(N);
        MerkleTree t = treeOf(N, new InMemoryNodeStore());
        for (int n = 1; n <= N; n++) {
            byte[] root2 = ReferenceMerkle.mth(d, 0, n);
            for (int m = 1; m <= n; m++) {
                byte[] root1 = ReferenceMerkle.mth(d, 0, m);
                List<byte[]> proof = t.consistencyProof(m, n);
                assertThat(proof).as("PROOF(%d, D[%d])", m, n)
                        .containsExactlyElementsOf(ReferenceMerkle.proof(d, m, n));
                MerkleProofs.verifyConsistency(m, n, root1, root2, proof);
                // RFC 9162 consistency is the subtree consistency of [0, m)
                MerkleProofs.verifySubtreeConsistency(0, m, n, root1, root2, proof);
                int fm = m;
                int fn = n;
                for (int e = 0; e < proof.size(); e++) {
                    List<byte[]> bad = ReferenceMerkle.withFlip(proof, e, (m * 13 + e * 5 + n) % 256);
                    assertThatThrownBy(() -> MerkleProofs.verifyConsistency(fm, fn, root1, root2, bad))
                            .isInstanceOf(InvalidProofException.class);
                    assertThatThrownBy(() -> MerkleProofs.verifySubtreeConsistency(0, fm, fn, root1, root2, bad))
                            .isInstanceOf(InvalidProofException.class);
                }
                assertThatThrownBy(() -> MerkleProofs.verifyConsistency(fm, fn, ReferenceMerkle.flipBit(root1, 3),
                        root2, proof)).isInstanceOf(InvalidProofException.class);
                assertThatThrownBy(() -> MerkleProofs.verifyConsistency(fm, fn, root1,
                        ReferenceMerkle.flipBit(root2, 3), proof)).isInstanceOf(InvalidProofException.class);
            }
        }
    }

    @Test
    void subtreeProofsForEveryValidSubtreeVerifyAndEveryBitFlipFails() {
        List<byte[]> d = ReferenceMerkle.leaves(N);
        MerkleTree t = treeOf(N, new InMemoryNodeStore());
        int subtrees = 0;
        for (int end = 1; end <= N; end++) {
            for (int start = 0; start < end; start++) {
                assertThat(MerkleProofs.isValidSubtree(start, end)).as("[%d, %d)", start, end)
                        .isEqualTo(ReferenceMerkle.validSubtree(start, end));
                if (!ReferenceMerkle.validSubtree(start, end)) {
                    int fs = start;
                    int fe = end;
                    assertThatThrownBy(() -> t.subtreeHash(fs, fe)).isInstanceOf(TreeRangeException.class);
                    continue;
                }
                subtrees++;
                byte[] subHash = ReferenceMerkle.mth(d, start, end);
                assertThat(t.subtreeHash(start, end)).isEqualTo(subHash);
                for (int i = start; i < end; i++) {
                    List<byte[]> proof = t.subtreeInclusionProof(i, start, end);
                    assertThat(proof).containsExactlyElementsOf(ReferenceMerkle.path(d, i - start, start, end));
                    MerkleProofs.verifySubtreeInclusion(i, start, end, d.get(i), proof, subHash);
                    for (int e = 0; e < proof.size(); e++) {
                        List<byte[]> bad = ReferenceMerkle.withFlip(proof, e, i + e);
                        int fi = i;
                        int fs = start;
                        int fe = end;
                        assertThatThrownBy(() -> MerkleProofs.verifySubtreeInclusion(fi, fs, fe, d.get(fi), bad,
                                subHash)).isInstanceOf(InvalidProofException.class);
                    }
                }
                for (int n = end; n <= N; n++) {
                    byte[] root = ReferenceMerkle.mth(d, 0, n);
                    List<byte[]> proof = t.subtreeConsistencyProof(start, end, n);
                    assertThat(proof).as("SUBTREE_PROOF(%d, %d, D[%d])", start, end, n)
                            .containsExactlyElementsOf(ReferenceMerkle.subtreeProof(d, start, end, n));
                    MerkleProofs.verifySubtreeConsistency(start, end, n, subHash, root, proof);
                    int fs = start;
                    int fe = end;
                    int fn = n;
                    for (int e = 0; e < proof.size(); e++) {
                        List<byte[]> bad = ReferenceMerkle.withFlip(proof, e, (fs + fe + fn + e) % 256);
                        assertThatThrownBy(() -> MerkleProofs.verifySubtreeConsistency(fs, fe, fn, subHash, root,
                                bad)).isInstanceOf(InvalidProofException.class);
                    }
                    assertThatThrownBy(() -> MerkleProofs.verifySubtreeConsistency(fs, fe, fn,
                            ReferenceMerkle.flipBit(subHash, 9), root, proof))
                            .as("wrong subtree hash for [%d, %d) in %d", fs, fe, fn)
                            .isInstanceOf(InvalidProofException.class);
                }
            }
        }
        assertThat(subtrees).isGreaterThan(200);
    }

    @Test
    void subtreeConsistencyMatchesTheDraftFigures() {
        // draft-ietf-plants-merkle-tree-certs, subtree consistency examples over a tree of 14 leaves:
        // [4, 8) -> {MTH(D[0:4]), MTH(D[8:14])}; [8, 13) -> {MTH(D[12:13]), MTH(D[13:14]), MTH(D[8:12]), MTH(D[0:8])}
        List<byte[]> d = ReferenceMerkle.leaves(14);
        MerkleTree t = treeOf(14, new InMemoryNodeStore());
        assertThat(t.subtreeConsistencyProof(4, 8, 14)).containsExactly(ReferenceMerkle.mth(d, 0, 4),
                ReferenceMerkle.mth(d, 8, 14));
        assertThat(t.subtreeConsistencyProof(8, 13, 14)).containsExactly(ReferenceMerkle.mth(d, 12, 13),
                ReferenceMerkle.mth(d, 13, 14), ReferenceMerkle.mth(d, 8, 12), ReferenceMerkle.mth(d, 0, 8));
    }

    @Test
    void reopeningFromTheStoreContinuesTheSameTree() {
        List<byte[]> d = ReferenceMerkle.leaves(N);
        for (int cut = 0; cut <= 40; cut++) {
            InMemoryNodeStore store = new InMemoryNodeStore();
            treeOf(cut, store);
            MerkleTree t = MerkleTree.open(store, cut);
            assertThat(t.size()).isEqualTo(cut);
            assertThat(t.rootHash()).isEqualTo(ReferenceMerkle.mth(d, 0, cut));
            for (int i = cut; i < N; i++) {
                t.append(ReferenceMerkle.entry(i));
            }
            assertThat(t.rootHash()).isEqualTo(ReferenceMerkle.mth(d, 0, N));
        }
    }

    @Test
    void batchAppendsBuildTheSameTreeWithOneStoreWritePerBatch() {
        List<byte[]> d = ReferenceMerkle.leaves(N);
        InMemoryNodeStore oneByOne = new InMemoryNodeStore();
        treeOf(N, oneByOne);
        // batch sizes 0, 1, 2, ... cross every frontier shape, including batches that start mid-subtree
        CountingStore store = new CountingStore();
        MerkleTree t = new MerkleTree(store);
        int next = 0;
        int batches = 0;
        for (int k = 0; next < N; k++) {
            int end = Math.min(N, next + k);
            List<byte[]> entries = new ArrayList<>();
            for (int i = next; i < end; i++) {
                entries.add(ReferenceMerkle.entry(i));
            }
            assertThat(t.appendAll(entries)).isEqualTo(next);
            batches += entries.isEmpty() ? 0 : 1;
            next = end;
            assertThat(t.size()).isEqualTo(next);
            assertThat(t.rootHash()).as("root of size %d", next).isEqualTo(ReferenceMerkle.mth(d, 0, next));
        }
        assertThat(store.putAlls.get()).as("one putAll per non-empty batch").isEqualTo(batches);
        assertThat(store.gets.get()).as("batches use the in-memory frontier only").isZero();
        assertThat(store.inner.nodeCount()).isEqualTo(oneByOne.nodeCount()).isEqualTo(2L * N - Integer.bitCount(N));
        for (int level = 0; level < 7; level++) {
            for (long i = 0; i < (N >> level); i++) {
                assertThat(store.inner.get(level, i).orElseThrow()).as("node (%d, %d)", level, i)
                        .isEqualTo(oneByOne.get(level, i).orElseThrow());
            }
        }
        // a reopened tree continues from the batch-written nodes
        MerkleTree reopened = MerkleTree.open(store.inner, N);
        assertThat(reopened.rootHash()).isEqualTo(t.rootHash());
    }

    @Test
    void aRefusedBatchLeavesTheTreeAsItWas() {
        InMemoryNodeStore inner = new InMemoryNodeStore();
        boolean[] refuse = {false};
        NodeStore flaky = new NodeStore() {
            @Override
            public Optional<byte[]> get(int level, long index) {
                return inner.get(level, index);
            }

            @Override
            public void put(int level, long index, byte[] hash) {
                inner.put(level, index, hash);
            }

            @Override
            public void putAll(List<Node> nodes) {
                if (refuse[0]) {
                    throw new NodeStoreException("refused");
                }
                NodeStore.super.putAll(nodes);
            }
        };
        MerkleTree t = new MerkleTree(flaky);
        t.appendAll(List.of(ReferenceMerkle.entry(0), ReferenceMerkle.entry(1), ReferenceMerkle.entry(2)));
        byte[] root = t.rootHash();
        refuse[0] = true;
        assertThatThrownBy(() -> t.appendAll(List.of(ReferenceMerkle.entry(3), ReferenceMerkle.entry(4))))
                .isInstanceOf(NodeStoreException.class);
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.rootHash()).isEqualTo(root);
        refuse[0] = false;
        t.appendAll(List.of(ReferenceMerkle.entry(3), ReferenceMerkle.entry(4)));
        assertThat(t.rootHash()).isEqualTo(ReferenceMerkle.mth(ReferenceMerkle.leaves(5), 0, 5));
        // bad input is refused before anything is written
        assertThatThrownBy(() -> t.appendLeafHashes(List.of(new byte[32], new byte[31])))
                .isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> t.appendAll(java.util.Arrays.asList(new byte[1], null)))
                .isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> t.appendAll(null)).isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> t.appendLeafHashes(java.util.Collections.nCopies(MerkleTree.MAX_BATCH + 1,
                new byte[32]))).isInstanceOf(TreeRangeException.class);
        assertThat(t.size()).isEqualTo(5);
    }

    @Test
    void outOfRangeRequestsAreTypedErrors() {
        MerkleTree t = treeOf(10, new InMemoryNodeStore());
        assertThatThrownBy(() -> t.inclusionProof(10, 10)).isInstanceOf(TreeRangeException.class);
        assertThatThrownBy(() -> t.inclusionProof(0, 11)).isInstanceOf(TreeRangeException.class);
        assertThatThrownBy(() -> t.inclusionProof(-1, 5)).isInstanceOf(TreeRangeException.class);
        assertThatThrownBy(() -> t.consistencyProof(0, 5)).isInstanceOf(TreeRangeException.class);
        assertThatThrownBy(() -> t.consistencyProof(6, 5)).isInstanceOf(TreeRangeException.class);
        assertThatThrownBy(() -> t.consistencyProof(5, 11)).isInstanceOf(TreeRangeException.class);
        assertThatThrownBy(() -> t.rootHash(11)).isInstanceOf(TreeRangeException.class);
        assertThatThrownBy(() -> t.rootHash(-1)).isInstanceOf(TreeRangeException.class);
        assertThatThrownBy(() -> t.leafHash(10)).isInstanceOf(TreeRangeException.class);
        assertThatThrownBy(() -> t.subtreeConsistencyProof(8, 12, 12)).isInstanceOf(TreeRangeException.class);
        assertThatThrownBy(() -> t.subtreeInclusionProof(3, 4, 8)).isInstanceOf(TreeRangeException.class);
        assertThatThrownBy(() -> t.appendLeafHash(new byte[31])).isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> t.append(null)).isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> MerkleTree.open(new InMemoryNodeStore(), -1)).isInstanceOf(TreeRangeException.class);
        assertThatThrownBy(() -> new MerkleTree(null)).isInstanceOf(NodeStoreException.class);
        assertThat(t.size()).isEqualTo(10);
    }

    @Test
    void aStoreMissingNodesIsReportedAsSuch() {
        assertThatThrownBy(() -> MerkleTree.open(new InMemoryNodeStore(), 5)).isInstanceOf(NodeStoreException.class)
                .hasMessageContaining("missing");
        InMemoryNodeStore store = new InMemoryNodeStore();
        treeOf(4, store);
        NodeStore lossy = new NodeStore() {
            @Override
            public Optional<byte[]> get(int level, long index) {
                return level == 0 ? Optional.empty() : store.get(level, index);
            }

            @Override
            public void put(int level, long index, byte[] hash) {
                store.put(level, index, hash);
            }
        };
        MerkleTree t = MerkleTree.open(lossy, 4);
        assertThatThrownBy(() -> t.inclusionProof(0, 4)).isInstanceOf(NodeStoreException.class);
        assertThatThrownBy(() -> store.put(0, 0, new byte[32])).isInstanceOf(NodeStoreException.class);
    }

    @Test
    void verifierRejectsMalformedInputWithTypedErrors() {
        byte[] h = new byte[32];
        assertThatThrownBy(() -> MerkleProofs.verifyInclusion(0, 1, h, null, h))
                .isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> MerkleProofs.verifyInclusion(0, 1, h, java.util.Collections.nCopies(65, h), h))
                .isInstanceOf(InvalidProofException.class).hasMessageContaining("more than");
        assertThatThrownBy(() -> MerkleProofs.verifyInclusion(0, 1, h, java.util.Arrays.asList((byte[]) null), h))
                .isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> MerkleProofs.verifyConsistency(0, 0, h, h, List.of()))
                .isInstanceOf(InvalidProofException.class).hasMessageContaining("empty tree");
        assertThatThrownBy(() -> MerkleProofs.verifyConsistency(2, 3, null, h, List.of(h)))
                .isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> MerkleProofs.verifySubtreeConsistency(0, 1, Long.MIN_VALUE, h, h, List.of()))
                .isInstanceOf(InvalidProofException.class);
        assertThat(MerkleProofs.isValidSubtree(0, Long.MAX_VALUE)).isTrue();
        // [2^62, 2^63-1) has 2^62-1 leaves, BIT_CEIL = 2^62, and 2^62 is aligned to it
        assertThat(MerkleProofs.isValidSubtree(1L << 62, Long.MAX_VALUE)).isTrue();
        // [1, 2^63-1) needs BIT_CEIL = 2^63: only start 0 is aligned
        assertThat(MerkleProofs.isValidSubtree(1, Long.MAX_VALUE)).isFalse();
        assertThat(MerkleProofs.isValidSubtree(1L << 62, (1L << 62) + 3)).isTrue();
        assertThat(MerkleProofs.isValidSubtree(3, 5)).isFalse();
        assertThat(MerkleProofs.isValidSubtree(1L << 61, 1L << 62)).isTrue();
    }

    /** Counts store traffic to show that the tree keeps a compact frontier instead of rereading leaves. */
    private static final class CountingStore implements NodeStore {
        final InMemoryNodeStore inner = new InMemoryNodeStore();
        final AtomicLong gets = new AtomicLong();
        final AtomicLong puts = new AtomicLong();
        final AtomicLong putAlls = new AtomicLong();

        @Override
        public Optional<byte[]> get(int level, long index) {
            gets.incrementAndGet();
            return inner.get(level, index);
        }

        @Override
        public void put(int level, long index, byte[] hash) {
            puts.incrementAndGet();
            inner.put(level, index, hash);
        }

        @Override
        public void putAll(List<Node> nodes) {
            putAlls.incrementAndGet();
            NodeStore.super.putAll(nodes);
        }
    }
}

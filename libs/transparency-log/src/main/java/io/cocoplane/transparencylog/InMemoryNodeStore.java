package io.cocoplane.transparencylog;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link NodeStore} held in a concurrent hash map, for tests and short-lived trees. Memory grows by about two
 * 32-byte hashes per leaf. Values are copied in and out, so callers cannot alter stored nodes.
 */
public final class InMemoryNodeStore implements NodeStore {

    private final Map<Long, byte[]>[] levels;

    /** Creates an empty store. */
    @SuppressWarnings("unchecked")
    public InMemoryNodeStore() {
        levels = new Map[64];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = new ConcurrentHashMap<>();
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws NodeStoreException when {@code level} is outside {@code 0..63} or {@code index} is negative
     */
    @Override
    public Optional<byte[]> get(int level, long index) {
        check(level, index);
        byte[] h = levels[level].get(index);
        return h == null ? Optional.empty() : Optional.of(h.clone());
    }

    /**
     * {@inheritDoc}
     *
     * @throws NodeStoreException when {@code level}/{@code index} is out of range, {@code hash} is not 32 bytes, or a
     *                            different hash is already stored at that position (nodes are immutable)
     */
    @Override
    public void put(int level, long index, byte[] hash) {
        check(level, index);
        if (hash == null || hash.length != MerkleHashes.HASH_SIZE) {
            throw new NodeStoreException("node (" + level + ", " + index + ") must be a 32-byte hash");
        }
        byte[] prior = levels[level].putIfAbsent(index, hash.clone());
        if (prior != null && !Arrays.equals(prior, hash)) {
            throw new NodeStoreException("node (" + level + ", " + index + ") is already stored with another hash");
        }
    }

    /**
     * @return the number of node hashes held, over all levels
     */
    public long nodeCount() {
        long n = 0;
        for (Map<Long, byte[]> m : levels) {
            n += m.size();
        }
        return n;
    }

    private static void check(int level, long index) {
        if (level < 0 || level > 63 || index < 0) {
            throw new NodeStoreException("node position out of range: (" + level + ", " + index + ")");
        }
    }
}

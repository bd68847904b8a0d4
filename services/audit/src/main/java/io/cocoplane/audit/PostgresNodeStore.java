package io.cocoplane.audit;

import java.sql.PreparedStatement;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import io.cocoplane.transparencylog.MerkleHashes;
import io.cocoplane.transparencylog.NodeStore;
import io.cocoplane.transparencylog.NodeStoreException;

/**
 * The library's {@link NodeStore} in the table {@code audit.tree_nodes(level smallint, idx bigint, hash bytea(32))},
 * primary key {@code (level, idx)}. Reads and writes join the caller's transaction (Spring's
 * {@code DataSourceUtils}); a write of an existing position fails (nodes are immutable). A batch of appends writes its
 * nodes with one statement ({@link #putAll}).
 */
public final class PostgresNodeStore implements NodeStore {

    private final JdbcTemplate jdbc;

    /**
     * @param jdbc template on the service's data source (schema {@code audit} current)
     */
    public PostgresNodeStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * {@inheritDoc}
     *
     * @throws NodeStoreException when the position is out of range, the query fails or the stored value is not 32
     *                            bytes
     */
    @Override
    public Optional<byte[]> get(int level, long index) {
        check(level, index);
        List<byte[]> rows;
        try {
            rows = jdbc.query("SELECT hash FROM tree_nodes WHERE level = ? AND idx = ?",
                    (rs, n) -> rs.getBytes(1), (short) level, index);
        } catch (DataAccessException e) {
            throw new NodeStoreException("reading node (" + level + ", " + index + ") failed: " + e.getMessage(), e);
        }
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        byte[] h = rows.get(0);
        if (h == null || h.length != MerkleHashes.HASH_SIZE) {
            throw new NodeStoreException("stored node (" + level + ", " + index + ") is not a 32-byte hash");
        }
        return Optional.of(h);
    }

    /**
     * {@inheritDoc}
     *
     * @throws NodeStoreException when the position is out of range, the hash is not 32 bytes, or the insert fails
     *                            (including a node already stored at that position)
     */
    @Override
    public void put(int level, long index, byte[] hash) {
        check(level, index);
        if (hash == null || hash.length != MerkleHashes.HASH_SIZE) {
            throw new NodeStoreException("node (" + level + ", " + index + ") must be a 32-byte hash");
        }
        try {
            jdbc.update("INSERT INTO tree_nodes (level, idx, hash) VALUES (?, ?, ?)", (short) level, index, hash);
        } catch (DataAccessException e) {
            throw new NodeStoreException("writing node (" + level + ", " + index + ") failed: " + e.getMessage(), e);
        }
    }

    /**
     * {@inheritDoc} One {@code INSERT ... SELECT FROM unnest(...)} statement for all of them.
     *
     * @throws NodeStoreException when a position is out of range, a hash is not 32 bytes (nothing is then written),
     *                            or the insert fails (including a node already stored at one of the positions)
     */
    @Override
    public void putAll(List<Node> nodes) {
        if (nodes.isEmpty()) {
            return;
        }
        int n = nodes.size();
        Short[] levels = new Short[n];
        Long[] indexes = new Long[n];
        byte[][] hashes = new byte[n][];
        for (int i = 0; i < n; i++) {
            Node node = nodes.get(i);
            check(node.level(), node.index());
            if (node.hash() == null || node.hash().length != MerkleHashes.HASH_SIZE) {
                throw new NodeStoreException("node (" + node.level() + ", " + node.index() + ") must be a 32-byte hash");
            }
            levels[i] = (short) node.level();
            indexes[i] = node.index();
            hashes[i] = node.hash();
        }
        try {
            jdbc.update(con -> {
                PreparedStatement ps = con.prepareStatement("INSERT INTO tree_nodes (level, idx, hash)"
                        + " SELECT * FROM unnest(?::smallint[], ?::bigint[], ?::bytea[])");
                ps.setArray(1, con.createArrayOf("smallint", levels));
                ps.setArray(2, con.createArrayOf("bigint", indexes));
                ps.setArray(3, con.createArrayOf("bytea", hashes));
                return ps;
            });
        } catch (DataAccessException e) {
            throw new NodeStoreException("writing " + n + " nodes from (" + nodes.get(0).level() + ", "
                    + nodes.get(0).index() + ") failed: " + e.getMessage(), e);
        }
    }

    private static void check(int level, long index) {
        if (level < 0 || level > 63 || index < 0) {
            throw new NodeStoreException("node position out of range: (" + level + ", " + index + ")");
        }
    }
}

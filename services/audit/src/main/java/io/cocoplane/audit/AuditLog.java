package io.cocoplane.audit;

import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.cocoplane.transparencylog.MerkleHashes;
import io.cocoplane.transparencylog.MerkleTree;

/**
 * The audit log over PostgreSQL: the appender and the read side (entries, roots, proofs).
 *
 * <p>Appends run in the caller's transaction (the eventing inbox transaction of the consumed event) and are serialised
 * by a row lock on {@code tree_state} ({@code SELECT ... FOR UPDATE}), so leaf indexes are dense and gap-free across
 * threads and replicas; the entry row, the new tree nodes and the new size and root commit together with the inbox row.
 * The writer's {@link MerkleTree} (its frontier) is kept in memory and reopened from the stored nodes whenever it does
 * not match the committed size and root (another replica appended, or a transaction of ours rolled back).
 *
 * <p>Reads see committed data only; nodes of a committed size never change, so proofs for any size up to the
 * committed one can be served from a tree reopened at that size.
 */
public class AuditLog {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final Base64.Encoder B64 = Base64.getEncoder();

    private final JdbcTemplate jdbc;
    private final PostgresNodeStore store;
    private final IntegrityStatus integrity;
    private MerkleTree writer; // guarded by this

    /** Committed tree state: size and 32-byte root. @param size leaves @param root the root hash */
    public record TreeState(long size, byte[] root) {
    }

    /** A stored checkpoint. @param treeSize size @param origin origin @param rootHash root @param signedNote note */
    public record StoredCheckpoint(long treeSize, String origin, byte[] rootHash, String signedNote) {
    }

    /**
     * @param jdbc      template on the service's data source
     * @param store     the node store on the same data source
     * @param integrity the integrity status, marked failed when an append finds the stored tree inconsistent
     */
    public AuditLog(JdbcTemplate jdbc, PostgresNodeStore store, IntegrityStatus integrity) {
        this.jdbc = jdbc;
        this.store = store;
        this.integrity = integrity;
    }

    /**
     * Appends an entry unless its event id is already in the log.
     *
     * @param eventId CloudEvents id (unique in the log)
     * @param type    CloudEvents type
     * @param source  CloudEvents source
     * @param subject CloudEvents subject
     * @param time    CloudEvents time, or null
     * @param topic   Kafka topic
     * @param leaf    the entry bytes ({@link CanonicalEvent})
     * @return the index of the new leaf, or of the existing leaf for a duplicate id
     * @throws IllegalStateException  when no transaction is active
     * @throws LogCorruptedException  when the stored nodes do not fold to the committed root
     */
    public synchronized long append(String eventId, String type, String source, String subject, OffsetDateTime time,
                                    String topic, byte[] leaf) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("AuditLog.append needs an active transaction");
        }
        TreeState state = jdbc.queryForObject("SELECT tree_size, root_hash FROM tree_state WHERE id = 1 FOR UPDATE",
                (rs, n) -> new TreeState(rs.getLong(1), rs.getBytes(2)));
        List<Long> existing = jdbc.queryForList("SELECT idx FROM entries WHERE event_id = ?", Long.class, eventId);
        if (!existing.isEmpty()) {
            log.debug("event {} already at index {}", eventId, existing.get(0));
            return existing.get(0);
        }
        if (writer == null || writer.size() != state.size() || !Arrays.equals(writer.rootHash(), state.root())) {
            MerkleTree reopened = MerkleTree.open(store, state.size());
            if (!Arrays.equals(reopened.rootHash(), state.root())) {
                String msg = "stored nodes of tree size " + state.size() + " fold to "
                        + B64.encodeToString(reopened.rootHash()) + ", not the committed root "
                        + B64.encodeToString(state.root());
                integrity.fail(msg);
                throw new LogCorruptedException(msg);
            }
            writer = reopened;
        }
        MerkleTree tree = writer;
        long index = tree.append(leaf);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                if (status != STATUS_COMMITTED) {
                    invalidate(tree);
                }
            }
        });
        jdbc.update("INSERT INTO entries (idx, event_id, ce_type, ce_source, subject, ce_time, topic, leaf)"
                        + " VALUES (?,?,?,?,?,?,?,?)", index, eventId, type, source, subject,
                time == null ? null : Timestamp.from(time.toInstant()), topic, leaf);
        jdbc.update("UPDATE tree_state SET tree_size = ?, root_hash = ? WHERE id = 1", index + 1, tree.rootHash());
        return index;
    }

    private synchronized void invalidate(MerkleTree tree) {
        if (writer == tree) {
            writer = null;
        }
    }

    /**
     * @return the committed tree size and root
     */
    public TreeState state() {
        return jdbc.queryForObject("SELECT tree_size, root_hash FROM tree_state WHERE id = 1",
                (rs, n) -> new TreeState(rs.getLong(1), rs.getBytes(2)));
    }

    /**
     * @return the checkpoint of the largest tree size, if any was signed
     */
    public Optional<StoredCheckpoint> latestCheckpoint() {
        return jdbc.query("SELECT tree_size, origin, root_hash, signed_note FROM checkpoints"
                + " ORDER BY tree_size DESC LIMIT 1", CHECKPOINT).stream().findFirst();
    }

    static final RowMapper<StoredCheckpoint> CHECKPOINT = (rs, n) -> new StoredCheckpoint(rs.getLong(1),
            rs.getString(2), rs.getBytes(3), rs.getString(4));

    private static final RowMapper<AuditViews.Entry> ENTRY = (rs, n) -> {
        byte[] leaf = rs.getBytes("leaf");
        Timestamp t = rs.getTimestamp("ce_time");
        return new AuditViews.Entry(rs.getLong("idx"), rs.getString("event_id"), rs.getString("ce_type"),
                rs.getString("subject"), rs.getString("ce_source"),
                t == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.toInstant().atOffset(ZoneOffset.UTC)),
                rs.getString("topic"), B64.encodeToString(leaf), B64.encodeToString(MerkleHashes.leafHash(leaf)));
    };

    private static final String ENTRY_COLUMNS = "idx, event_id, ce_type, ce_source, subject, ce_time, topic, leaf";

    /**
     * @param index a leaf index
     * @return the entry, if committed
     */
    public Optional<AuditViews.Entry> entry(long index) {
        return jdbc.query("SELECT " + ENTRY_COLUMNS + " FROM entries WHERE idx = ?", ENTRY, index).stream()
                .findFirst();
    }

    /**
     * Entries in index order.
     *
     * @param subject exact subject filter, or null
     * @param type    exact CloudEvents type filter, or null
     * @param after   only entries with a larger index, or null for the first page
     * @param limit   page size, 1..1000 (checked by the caller)
     * @return the page; {@code next} is the last index when the page is full
     */
    public AuditViews.EntryPage entries(String subject, String type, Long after, int limit) {
        long size = state().size();
        StringBuilder sql = new StringBuilder("SELECT " + ENTRY_COLUMNS + " FROM entries WHERE idx > ? AND idx < ?");
        List<Object> args = new ArrayList<>();
        args.add(after == null ? -1L : after);
        args.add(size);
        if (subject != null) {
            sql.append(" AND subject = ?");
            args.add(subject);
        }
        if (type != null) {
            sql.append(" AND ce_type = ?");
            args.add(type);
        }
        sql.append(" ORDER BY idx LIMIT ?");
        args.add(limit);
        List<AuditViews.Entry> entries = jdbc.query(sql.toString(), ENTRY, args.toArray());
        Long next = entries.size() == limit ? entries.get(entries.size() - 1).index() : null;
        return new AuditViews.EntryPage(entries, next, size);
    }

    /**
     * @param treeSize a committed size, {@code 0..state().size()}
     * @return a read-only view of the tree at that size
     */
    public MerkleTree treeAt(long treeSize) {
        return MerkleTree.open(store, treeSize);
    }
}

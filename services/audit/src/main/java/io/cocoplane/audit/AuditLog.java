package io.cocoplane.audit;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.cocoplane.transparencylog.MerkleHashes;
import io.cocoplane.transparencylog.MerkleTree;

/**
 * The audit log over PostgreSQL: the appender and the read side (entries, roots, proofs).
 *
 * <p>Appends run in the caller's transaction (the eventing inbox transaction of the consumed events) and are serialised
 * by a row lock on {@code tree_state} ({@code SELECT ... FOR UPDATE}), so leaf indexes are dense and gap-free across
 * threads and replicas; the entry rows, the new tree nodes and the new size and root commit together with the inbox
 * rows. A batch of entries ({@link #appendAll}) is one tree update: one statement for its entries, one for its nodes.
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

    /** Most entries one {@link #appendAll} call takes. */
    public static final int MAX_BATCH = 10_000;
    /** Leaf bytes per {@code INSERT} statement of {@link #appendAll} (a single larger leaf gets one of its own). */
    static final int MAX_STATEMENT_BYTES = 8 << 20;

    /**
     * An entry to append.
     *
     * @param eventId CloudEvents id (unique in the log)
     * @param type    CloudEvents type
     * @param source  CloudEvents source
     * @param subject CloudEvents subject
     * @param time    CloudEvents time, or null
     * @param topic   Kafka topic
     * @param leaf    the entry bytes ({@link CanonicalEvent}), hashed as the leaf
     */
    public record Entry(String eventId, String type, String source, String subject, OffsetDateTime time,
                        String topic, byte[] leaf) {
    }

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
     * Appends an entry unless its event id is already in the log; {@link #appendAll} with one entry.
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
    public long append(String eventId, String type, String source, String subject, OffsetDateTime time,
                       String topic, byte[] leaf) {
        return appendAll(List.of(new Entry(eventId, type, source, subject, time, topic, leaf))).get(0);
    }

    /**
     * Appends entries as consecutive leaves, in list order, skipping those whose event id is already in the log or
     * earlier in the list, with one tree update: the entries go in with one statement per
     * {@value #MAX_STATEMENT_BYTES} bytes of leaves, the new tree nodes with one statement, then the new size and
     * root. All of it joins the caller's transaction.
     *
     * @param entries at most {@value #MAX_BATCH} entries
     * @return per entry, in list order, the index of its leaf (new, or existing for a duplicate id)
     * @throws IllegalStateException    when no transaction is active
     * @throws IllegalArgumentException when there are more than {@value #MAX_BATCH} entries
     * @throws LogCorruptedException    when the stored nodes do not fold to the committed root
     */
    public synchronized List<Long> appendAll(List<Entry> entries) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("AuditLog.append needs an active transaction");
        }
        if (entries.size() > MAX_BATCH) {
            throw new IllegalArgumentException("at most " + MAX_BATCH + " entries per append, got " + entries.size());
        }
        if (entries.isEmpty()) {
            return List.of();
        }
        TreeState state = jdbc.queryForObject("SELECT tree_size, root_hash FROM tree_state WHERE id = 1 FOR UPDATE",
                (rs, n) -> new TreeState(rs.getLong(1), rs.getBytes(2)));
        Map<String, Long> indexes = new HashMap<>();
        String[] ids = entries.stream().map(Entry::eventId).distinct().toArray(String[]::new);
        jdbc.query(con -> {
            PreparedStatement ps = con.prepareStatement("SELECT event_id, idx FROM entries WHERE event_id = ANY (?)");
            ps.setArray(1, con.createArrayOf("text", ids));
            return ps;
        }, (RowCallbackHandler) rs -> indexes.put(rs.getString(1), rs.getLong(2)));
        List<Entry> fresh = new ArrayList<>();
        for (Entry e : entries) {
            if (indexes.containsKey(e.eventId())) {
                log.debug("event {} already at index {}", e.eventId(), indexes.get(e.eventId()));
            } else {
                indexes.put(e.eventId(), state.size() + fresh.size());
                fresh.add(e);
            }
        }
        if (!fresh.isEmpty()) {
            MerkleTree tree = writer(state);
            long first = tree.appendAll(fresh.stream().map(Entry::leaf).toList());
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    if (status != STATUS_COMMITTED) {
                        invalidate(tree);
                    }
                }
            });
            insertEntries(first, fresh);
            jdbc.update("UPDATE tree_state SET tree_size = ?, root_hash = ? WHERE id = 1", tree.size(),
                    tree.rootHash());
        }
        return entries.stream().map(e -> indexes.get(e.eventId())).toList();
    }

    /** The in-memory writer at the committed state, reopened from the stored nodes when it is not. */
    private MerkleTree writer(TreeState state) {
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
        return writer;
    }

    /** Inserts {@code fresh} as entries {@code first..}, one statement per {@value #MAX_STATEMENT_BYTES} of leaves. */
    private void insertEntries(long first, List<Entry> fresh) {
        int from = 0;
        while (from < fresh.size()) {
            int to = from;
            long bytes = 0;
            while (to < fresh.size() && (to == from || bytes + fresh.get(to).leaf().length <= MAX_STATEMENT_BYTES)) {
                bytes += fresh.get(to).leaf().length;
                to++;
            }
            List<Entry> chunk = fresh.subList(from, to);
            long firstIndex = first + from;
            jdbc.update(con -> {
                int n = chunk.size();
                Long[] idx = new Long[n];
                String[] ids = new String[n];
                String[] types = new String[n];
                String[] sources = new String[n];
                String[] subjects = new String[n];
                Timestamp[] times = new Timestamp[n];
                String[] topics = new String[n];
                byte[][] leaves = new byte[n][];
                for (int i = 0; i < n; i++) {
                    Entry e = chunk.get(i);
                    idx[i] = firstIndex + i;
                    ids[i] = e.eventId();
                    types[i] = e.type();
                    sources[i] = e.source();
                    subjects[i] = e.subject();
                    times[i] = e.time() == null ? null : Timestamp.from(e.time().toInstant());
                    topics[i] = e.topic();
                    leaves[i] = e.leaf();
                }
                PreparedStatement ps = con.prepareStatement("INSERT INTO entries (idx, event_id, ce_type, ce_source,"
                        + " subject, ce_time, topic, leaf) SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[],"
                        + " ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::bytea[])");
                ps.setArray(1, con.createArrayOf("bigint", idx));
                ps.setArray(2, con.createArrayOf("text", ids));
                ps.setArray(3, con.createArrayOf("text", types));
                ps.setArray(4, con.createArrayOf("text", sources));
                ps.setArray(5, con.createArrayOf("text", subjects));
                ps.setArray(6, con.createArrayOf("timestamptz", times));
                ps.setArray(7, con.createArrayOf("text", topics));
                ps.setArray(8, con.createArrayOf("bytea", leaves));
                return ps;
            });
            from = to;
        }
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

package io.cocoplane.audit;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.cocoplane.transparencylog.Checkpoint;
import io.cocoplane.transparencylog.MerkleTree;
import io.cocoplane.transparencylog.NodeStore;
import io.cocoplane.transparencylog.NoteLimits;
import io.cocoplane.transparencylog.NoteVerifier;
import io.cocoplane.transparencylog.TransparencyLogException;

/**
 * Recomputes the log from the stored leaves and compares it with everything else that is stored:
 * <ol>
 * <li>entries are dense ({@code 0..n-1}, no gap) and exactly {@code tree_size} of them;</li>
 * <li>every tree node the replay produces (leaf hashes {@code SHA-256(0x00 ‖ leaf)} and every completed perfect
 * subtree, RFC 9162 §2.1.1) equals the stored {@code tree_nodes} row, so an altered leaf or node is named;</li>
 * <li>the recomputed root equals the committed root in {@code tree_state}, and so does the root folded from the stored
 * frontier nodes;</li>
 * <li>every stored checkpoint carries the recomputed root of its size, and its note verifies with the log key.</li>
 * </ol>
 * The check reads one REPEATABLE READ snapshot, so appends may continue meanwhile. Memory is {@code O(batch + log n)}.
 * One check runs at a time. A failed report latches {@link IntegrityStatus} (readiness DOWN, gauge 1).
 */
public class IntegrityChecker {

    private static final Logger log = LoggerFactory.getLogger(IntegrityChecker.class);
    private static final int MAX_PROBLEMS = 100;
    private static final Base64.Encoder B64 = Base64.getEncoder();

    private final JdbcTemplate jdbc;
    private final TransactionTemplate snapshot;
    private final AuditLog auditLog;
    private final LogSigningKey key;
    private final IntegrityStatus status;
    private final int batchSize;
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * @param jdbc      template on the service's data source
     * @param tm        transaction manager of that data source
     * @param auditLog  the log
     * @param key       the log key (checkpoint signatures)
     * @param status    where verdicts are recorded
     * @param batchSize leaves per query
     */
    public IntegrityChecker(JdbcTemplate jdbc, PlatformTransactionManager tm, AuditLog auditLog, LogSigningKey key,
                            IntegrityStatus status, int batchSize) {
        this.jdbc = jdbc;
        this.snapshot = new TransactionTemplate(tm);
        this.snapshot.setReadOnly(true);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.auditLog = auditLog;
        this.key = key;
        this.status = status;
        this.batchSize = batchSize;
    }

    /**
     * Runs a check and records its verdict.
     *
     * @param maxWait how long to wait for a check already running
     * @return the report
     * @throws IntegrityCheckBusyException when another check still runs after {@code maxWait}
     * @throws org.springframework.dao.DataAccessException when the database cannot be read (no verdict recorded)
     */
    public IntegrityReport check(Duration maxWait) {
        try {
            if (!lock.tryLock(maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IntegrityCheckBusyException("an integrity check is already running");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IntegrityCheckBusyException("interrupted while waiting for a running integrity check");
        }
        try {
            IntegrityReport report = snapshot.execute(s -> run());
            status.record(report);
            if (report.ok()) {
                log.info("audit log integrity verified: {} leaves, {} nodes, {} checkpoints", report.leavesChecked(),
                        report.nodesChecked(), report.checkpointsChecked());
            } else {
                log.error("audit log integrity check FAILED: {}", report.problems());
            }
            return report;
        } finally {
            lock.unlock();
        }
    }

    private IntegrityReport run() {
        Instant started = Instant.now();
        Problems problems = new Problems();
        AuditLog.TreeState state = auditLog.state();
        VerifyingStore nodes = new VerifyingStore(problems);
        MerkleTree replay = new MerkleTree(nodes);
        Checkpoints checkpoints = new Checkpoints(problems);
        checkpoints.checkAt(0, replay.rootHash());

        long next = 0;
        boolean stop = false;
        List<Object[]> reached = new ArrayList<>(); // (checkpoint, recomputed root), verified after the page's nodes
        while (!stop) {
            List<Object[]> rows = jdbc.query("SELECT idx, leaf FROM entries WHERE idx >= ? ORDER BY idx LIMIT ?",
                    (rs, n) -> new Object[] {rs.getLong(1), rs.getBytes(2)}, next, batchSize);
            for (Object[] row : rows) {
                long idx = (Long) row[0];
                if (idx != next) {
                    problems.add("entries are not dense: index " + next + " is missing (next stored is " + idx + ")");
                    stop = true;
                    break;
                }
                if (idx >= state.size()) {
                    problems.add("entry " + idx + " lies beyond the committed tree size " + state.size());
                    stop = true;
                    break;
                }
                replay.append((byte[]) row[1]);
                next++;
                if (checkpoints.pendingAt(replay.size())) {
                    byte[] root = replay.rootHash();
                    checkpoints.takeAt(replay.size()).forEach(c -> reached.add(new Object[] {c, root}));
                }
            }
            nodes.flush(); // node and leaf problems first: they name the altered row
            reached.forEach(r -> checkpoints.verify((AuditLog.StoredCheckpoint) r[0], (byte[]) r[1]));
            reached.clear();
            stop |= rows.size() < batchSize;
        }
        if (replay.size() < state.size()) {
            problems.add("tree size is " + state.size() + " but only " + replay.size() + " leaves are stored");
        }
        byte[] recomputed = replay.rootHash();
        if (replay.size() == state.size() && !Arrays.equals(recomputed, state.root())) {
            problems.add("root recomputed from the leaves " + B64.encodeToString(recomputed)
                    + " differs from the committed root " + B64.encodeToString(state.root()));
        }
        try {
            byte[] folded = auditLog.treeAt(state.size()).rootHash();
            if (!Arrays.equals(folded, state.root())) {
                problems.add("root folded from the stored nodes " + B64.encodeToString(folded)
                        + " differs from the committed root " + B64.encodeToString(state.root()));
            }
        } catch (TransparencyLogException e) {
            problems.add("stored tree of size " + state.size() + " cannot be reopened: " + e.getMessage());
        }
        checkpoints.rest(replay.size());
        return new IntegrityReport(problems.count == 0, state.size(), B64.encodeToString(recomputed), replay.size(),
                nodes.checked, checkpoints.checked, problems.list, started, Instant.now());
    }

    /** Problem messages, capped. */
    private static final class Problems {
        final List<String> list = new ArrayList<>();
        long count;

        void add(String p) {
            count++;
            if (list.size() < MAX_PROBLEMS) {
                list.add(p);
            } else if (list.size() == MAX_PROBLEMS) {
                list.add("... more problems not listed");
            }
        }
    }

    /**
     * A {@link NodeStore} that receives the replay's nodes and compares them, a batch at a time, with
     * {@code tree_nodes}.
     */
    private final class VerifyingStore implements NodeStore {
        private final Problems problems;
        private final List<Integer> levels = new ArrayList<>();
        private final List<Long> indexes = new ArrayList<>();
        private final Map<String, byte[]> expected = new HashMap<>();
        long checked;

        VerifyingStore(Problems problems) {
            this.problems = problems;
        }

        @Override
        public Optional<byte[]> get(int level, long index) {
            return Optional.empty(); // appends never read; the replay serves no proofs
        }

        @Override
        public void put(int level, long index, byte[] hash) {
            levels.add(level);
            indexes.add(index);
            expected.put(level + ":" + index, hash);
            if (levels.size() >= 4096) {
                flush();
            }
        }

        void flush() {
            if (levels.isEmpty()) {
                return;
            }
            Map<String, byte[]> stored = new HashMap<>();
            jdbc.query(con -> {
                PreparedStatement ps = con.prepareStatement("SELECT k.level, k.idx, n.hash"
                        + " FROM unnest(?::int[], ?::bigint[]) AS k(level, idx)"
                        + " LEFT JOIN tree_nodes n ON n.level = k.level AND n.idx = k.idx");
                Array l = con.createArrayOf("integer", levels.toArray());
                Array i = con.createArrayOf("bigint", indexes.toArray());
                ps.setArray(1, l);
                ps.setArray(2, i);
                return ps;
            }, rs -> {
                stored.put(rs.getInt(1) + ":" + rs.getLong(2), rs.getBytes(3));
            });
            for (int k = 0; k < levels.size(); k++) {
                String pos = levels.get(k) + ":" + indexes.get(k);
                byte[] s = stored.get(pos);
                checked++;
                if (s == null) {
                    problems.add("tree node (" + pos.replace(':', ',') + ") is missing");
                } else if (!Arrays.equals(s, expected.get(pos))) {
                    problems.add(levels.get(k) == 0
                            ? "entry " + indexes.get(k) + ": the hash of the stored leaf differs from the stored leaf"
                              + " node (entry or node altered)"
                            : "tree node (" + pos.replace(':', ',') + ") differs from the hash of its children");
                }
            }
            levels.clear();
            indexes.clear();
            expected.clear();
        }
    }

    /** Stored checkpoints in size order, read a page at a time. */
    private final class Checkpoints {
        private final Problems problems;
        private final ArrayDeque<AuditLog.StoredCheckpoint> page = new ArrayDeque<>();
        private long after = -1;
        private boolean exhausted;
        long checked;

        Checkpoints(Problems problems) {
            this.problems = problems;
        }

        private AuditLog.StoredCheckpoint peek() {
            if (page.isEmpty() && !exhausted) {
                List<AuditLog.StoredCheckpoint> rows = jdbc.query("SELECT tree_size, origin, root_hash, signed_note"
                        + " FROM checkpoints WHERE tree_size > ? ORDER BY tree_size LIMIT 500", AuditLog.CHECKPOINT,
                        after);
                page.addAll(rows);
                exhausted = rows.size() < 500;
                if (!rows.isEmpty()) {
                    after = rows.get(rows.size() - 1).treeSize();
                }
            }
            return page.peek();
        }

        boolean pendingAt(long size) {
            AuditLog.StoredCheckpoint c = peek();
            return c != null && c.treeSize() == size;
        }

        void checkAt(long size, byte[] root) {
            takeAt(size).forEach(c -> verify(c, root));
        }

        List<AuditLog.StoredCheckpoint> takeAt(long size) {
            List<AuditLog.StoredCheckpoint> out = new ArrayList<>();
            while (pendingAt(size)) {
                out.add(page.poll());
            }
            return out;
        }

        void verify(AuditLog.StoredCheckpoint c, byte[] root) {
            long size = c.treeSize();
            checked++;
            if (!Arrays.equals(c.rootHash(), root)) {
                problems.add("checkpoint of size " + size + " records root " + B64.encodeToString(c.rootHash())
                        + " but the stored leaves give " + B64.encodeToString(root));
            }
            try {
                NoteVerifier v = NoteVerifier.of(c.origin(), key.verifier().publicKey());
                Checkpoint signed = Checkpoint.verify(c.signedNote().getBytes(StandardCharsets.UTF_8), c.origin(),
                        NoteLimits.DEFAULT, v);
                if (signed.treeSize() != size || !Arrays.equals(signed.rootHash(), root)) {
                    problems.add("signed note of checkpoint " + size + " commits to size " + signed.treeSize()
                            + " and root " + B64.encodeToString(signed.rootHash()) + ", not the stored leaves");
                }
            } catch (TransparencyLogException e) {
                problems.add("signed note of checkpoint " + size + " does not verify: " + e.getMessage());
            }
        }

        void rest(long leaves) {
            for (AuditLog.StoredCheckpoint c = peek(); c != null; c = peek()) {
                page.poll();
                checked++;
                problems.add("checkpoint of size " + c.treeSize() + " lies beyond the " + leaves + " stored leaves");
            }
        }
    }
}

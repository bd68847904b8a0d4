package io.cocoplane.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.cocoplane.eventing.test.TestInfra;
import io.cocoplane.transparencylog.InMemoryNodeStore;
import io.cocoplane.transparencylog.MerkleTree;

/**
 * {@link AuditLog#appendAll}: a batch is one tree update that gives the same leaves, indexes and root as appending its
 * entries one by one; repeats inside the batch and ids already in the log get the existing index; a rolled-back batch
 * leaves nothing behind and the next one continues the committed tree; leaves over the per-statement byte budget are
 * split over several statements without a gap. The consumer may append concurrently, so every figure is read inside
 * the transaction that holds the tree lock.
 */
@TestInfra(schema = "audit")
@SpringBootTest(classes = AuditApplication.class)
@AutoConfigureMockMvc
class AuditBatchAppendTest {

    @Autowired
    AuditLog auditLog;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate auditTx;
    @Autowired
    IntegrityChecker integrityChecker;

    private static AuditLog.Entry entry(String id, byte[] leaf) {
        return new AuditLog.Entry(id, "io.cocoplane.test.v1", "/cocoplane/test", "subject-" + id,
                OffsetDateTime.of(2026, 12, 1, 0, 0, 0, 0, ZoneOffset.UTC), "coco.test", leaf);
    }

    private static AuditLog.Entry entry(String id) {
        return entry(id, ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private long size() {
        return jdbc.queryForObject("SELECT tree_size FROM tree_state", Long.class);
    }

    private byte[] root() {
        return jdbc.queryForObject("SELECT root_hash FROM tree_state", byte[].class);
    }

    /** The root of the stored leaves rebuilt one append at a time in memory. */
    private byte[] rootRebuiltFromLeaves(long size) {
        MerkleTree t = new MerkleTree(new InMemoryNodeStore());
        jdbc.query("SELECT leaf FROM entries WHERE idx < ? ORDER BY idx", rs -> {
            t.append(rs.getBytes(1));
        }, size);
        assertThat(t.size()).isEqualTo(size);
        return t.rootHash();
    }

    @Test
    void aBatchIsOneTreeUpdateEqualToAppendingOneByOne() {
        String run = UUID.randomUUID().toString();
        String known = run + "-known";
        auditTx.executeWithoutResult(s -> auditLog.append(known, "io.cocoplane.test.v1", "/cocoplane/test", "s",
                null, "coco.test", "{\"known\":1}".getBytes(StandardCharsets.UTF_8)));
        long knownIndex = jdbc.queryForObject("SELECT idx FROM entries WHERE event_id = ?", Long.class, known);

        auditTx.executeWithoutResult(s -> {
            List<AuditLog.Entry> batch = List.of(entry(run + "-a"), entry(run + "-b"), entry(run + "-a"),
                    entry(known), entry(run + "-c"));
            List<Long> idx = auditLog.appendAll(batch);
            long first = idx.get(0);
            // the lock on tree_state is ours: nothing else appended in between
            assertThat(idx).containsExactly(first, first + 1, first, knownIndex, first + 2);
            assertThat(size()).isEqualTo(first + 3);
            assertThat(root()).isEqualTo(rootRebuiltFromLeaves(first + 3));
            assertThat(auditLog.treeAt(first + 3).rootHash()).as("root folded from the stored nodes")
                    .isEqualTo(root());
            assertThat(jdbc.queryForList("SELECT event_id FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx",
                    String.class, first, first + 3)).containsExactly(run + "-a", run + "-b", run + "-c");
            assertThat(jdbc.queryForObject("SELECT ce_time FROM entries WHERE idx = ?", OffsetDateTime.class,
                    first).toInstant()).isEqualTo(batch.get(0).time().toInstant());
        });
        assertThat(integrityChecker.check(Duration.ofSeconds(60)).ok()).isTrue();
    }

    @Test
    void aRolledBackBatchLeavesNothingAndTheNextContinuesTheCommittedTree() {
        String run = UUID.randomUUID().toString();
        assertThatThrownBy(() -> auditTx.executeWithoutResult(s -> {
            auditLog.appendAll(List.of(entry(run + "-x")));
            auditLog.appendAll(List.of(entry(run + "-y"), entry(run + "-z")));
            throw new IllegalStateException("roll back");
        })).hasMessage("roll back");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM entries WHERE event_id LIKE ?", Long.class, run + "%"))
                .isZero();

        auditTx.executeWithoutResult(s -> {
            List<Long> idx = auditLog.appendAll(List.of(entry(run + "-y"), entry(run + "-z")));
            long committed = idx.get(0);
            assertThat(idx).containsExactly(committed, committed + 1);
            assertThat(size()).isEqualTo(committed + 2);
            assertThat(root()).isEqualTo(rootRebuiltFromLeaves(committed + 2));
        });
    }

    @Test
    void leavesOverTheStatementBudgetAreSplitWithoutAGap() {
        String run = UUID.randomUUID().toString();
        int big = AuditLog.MAX_STATEMENT_BYTES / 2 + 1; // two never share a statement
        List<AuditLog.Entry> batch = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] leaf = new byte[big];
            Arrays.fill(leaf, (byte) ('a' + i));
            batch.add(entry(run + "-" + i, leaf));
        }
        batch.add(entry(run + "-small"));
        auditTx.executeWithoutResult(s -> {
            List<Long> idx = auditLog.appendAll(batch);
            long first = idx.get(0);
            assertThat(idx).containsExactly(first, first + 1, first + 2, first + 3);
            for (int i = 0; i < 4; i++) {
                assertThat(jdbc.queryForObject("SELECT leaf FROM entries WHERE idx = ?", byte[].class, first + i))
                        .isEqualTo(batch.get(i).leaf());
            }
            assertThat(root()).isEqualTo(rootRebuiltFromLeaves(first + 4));
        });
        assertThatThrownBy(() -> auditTx.executeWithoutResult(s -> auditLog.appendAll(
                java.util.Collections.nCopies(AuditLog.MAX_BATCH + 1, entry(run + "-many")))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> auditLog.appendAll(List.of(entry(run + "-notx"))))
                .isInstanceOf(IllegalStateException.class);
    }
}

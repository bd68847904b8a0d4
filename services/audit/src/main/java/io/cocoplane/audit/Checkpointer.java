package io.cocoplane.audit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.cocoplane.contracts.AuditCheckpoint;
import io.cocoplane.eventing.EventPublisher;
import io.cocoplane.transparencylog.Checkpoint;

/**
 * Signs checkpoints (c2sp.org/tlog-checkpoint in a c2sp.org/signed-note, Ed25519): each pass reads the committed
 * size and root and, when no checkpoint of that size exists yet (the tree grew, or nothing was ever signed), signs
 * one, stores it in {@code audit.checkpoints} and publishes {@code audit.checkpoint} on {@code coco.audit.checkpoints}
 * through the outbox, in one transaction. A pass when nothing changed does nothing. Run every
 * {@code cocoplane.audit.checkpoint-interval} (1 s). Nothing is signed while the integrity status is failed.
 */
public class Checkpointer {

    private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);

    private final AuditLog auditLog;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final EventPublisher events;
    private final LogSigningKey key;
    private final IntegrityStatus integrity;
    private final String origin;
    private final AtomicBoolean suspendedLogged = new AtomicBoolean();

    /**
     * @param auditLog  the log
     * @param jdbc      template on the service's data source
     * @param tx        transactions on that data source
     * @param events    the outbox publisher
     * @param key       the signing key
     * @param integrity the integrity verdict
     * @param origin    the log origin
     */
    public Checkpointer(AuditLog auditLog, JdbcTemplate jdbc, TransactionTemplate tx, EventPublisher events,
                        LogSigningKey key, IntegrityStatus integrity, String origin) {
        this.auditLog = auditLog;
        this.jdbc = jdbc;
        this.tx = tx;
        this.events = events;
        this.key = key;
        this.integrity = integrity;
        this.origin = origin;
    }

    /**
     * One pass.
     *
     * @return the new checkpoint, or empty when the latest one already covers the committed size (or signing is
     *         suspended after an integrity failure)
     */
    public Optional<AuditLog.StoredCheckpoint> checkpointOnce() {
        if (integrity.failed()) {
            if (suspendedLogged.compareAndSet(false, true)) {
                log.error("checkpoint signing suspended until restart: the stored log failed its integrity check ({})",
                        integrity.failure());
            }
            return Optional.empty();
        }
        return tx.execute(status -> {
            AuditLog.TreeState state = auditLog.state();
            Optional<AuditLog.StoredCheckpoint> latest = auditLog.latestCheckpoint();
            if (latest.isPresent() && latest.get().treeSize() >= state.size()) {
                return Optional.<AuditLog.StoredCheckpoint>empty();
            }
            Checkpoint cp = new Checkpoint(origin, state.size(), state.root());
            String note = new String(cp.sign(key.signer()).encode(), StandardCharsets.UTF_8);
            int inserted = jdbc.update("INSERT INTO checkpoints (tree_size, origin, root_hash, signed_note)"
                    + " VALUES (?,?,?,?) ON CONFLICT (tree_size) DO NOTHING", state.size(), origin, state.root(), note);
            if (inserted == 0) {
                return Optional.<AuditLog.StoredCheckpoint>empty(); // another replica signed this size
            }
            events.publish(new AuditCheckpoint(origin, state.size(),
                    Base64.getEncoder().encodeToString(state.root()), note));
            log.debug("signed checkpoint of size {}", state.size());
            return Optional.of(new AuditLog.StoredCheckpoint(state.size(), origin, state.root(), note));
        });
    }
}

package io.cocoplane.audit;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code cocoplane.audit}.
 *
 * @param origin             the log origin: first line of every checkpoint and name of the note key (c2sp.org
 *                           tlog-checkpoint); non-empty, no whitespace, no '+'; default {@code cocoplane.local/audit}
 * @param checkpointInterval pause between checkpoint passes; a pass signs only when the tree grew (default 1 s)
 * @param integrityInterval  pause between scheduled integrity checks (default 5 min); one also runs at startup
 * @param signingKeyFile     PKCS#8 PEM file of the Ed25519 signing key; read when it exists, generated (owner-only
 *                           permissions) when it does not; when unset the key lives in {@code audit.signing_key}
 * @param integrityBatchSize leaves read per query by the integrity check (default 1000, 1..10,000)
 * @param appendBatchSize    most events the consumer takes per poll and appends as one tree update in one
 *                           transaction (default 1000, 1..10,000; 1 appends event by event)
 */
@ConfigurationProperties("cocoplane.audit")
public record AuditProperties(String origin, Duration checkpointInterval, Duration integrityInterval,
                              Path signingKeyFile, Integer integrityBatchSize, Integer appendBatchSize) {

    /** Default origin. */
    public static final String DEFAULT_ORIGIN = "cocoplane.local/audit";

    /** Applies the defaults. */
    public AuditProperties {
        origin = origin == null || origin.isBlank() ? DEFAULT_ORIGIN : origin;
        checkpointInterval = checkpointInterval == null ? Duration.ofSeconds(1) : checkpointInterval;
        integrityInterval = integrityInterval == null ? Duration.ofMinutes(5) : integrityInterval;
        integrityBatchSize = integrityBatchSize == null ? 1000 : Math.max(1, Math.min(integrityBatchSize, 10_000));
        appendBatchSize = appendBatchSize == null ? 1000
                : Math.max(1, Math.min(appendBatchSize, AuditLog.MAX_BATCH));
    }
}

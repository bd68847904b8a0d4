package io.cocoplane.audit;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health contributor {@code auditIntegrity}, in the readiness group ({@code cocoplane.readiness.include}): DOWN once
 * the stored log was found altered ({@link IntegrityStatus}), UP otherwise; details give the last check.
 */
public class AuditIntegrityHealthIndicator implements HealthIndicator {

    private final IntegrityStatus status;

    /**
     * @param status the integrity verdict
     */
    public AuditIntegrityHealthIndicator(IntegrityStatus status) {
        this.status = status;
    }

    @Override
    public Health health() {
        IntegrityReport last = status.last();
        Health.Builder b = status.failed() ? Health.down().withDetail("failure", status.failure())
                .withDetail("failedAt", String.valueOf(status.failedAt())) : Health.up();
        if (last == null) {
            b.withDetail("lastCheck", "pending");
        } else {
            b.withDetail("lastCheck", last.finishedAt().toString()).withDetail("treeSize", last.treeSize())
                    .withDetail("lastCheckOk", last.ok());
        }
        return b.build();
    }
}

package io.cocoplane.audit;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The integrity verdict of this instance, read by the {@code auditIntegrity} health indicator and the gauge
 * {@code cocoplane.audit.integrity.failed} (0 or 1).
 *
 * <p>A failure latches: once the stored log was found altered, the instance stays failed (readiness DOWN, no new
 * checkpoints signed) until it is restarted, even if a later check passes (an altered row put back proves nothing
 * about what was served meanwhile). Thread-safe.
 */
public class IntegrityStatus {

    /** Name of the gauge. */
    public static final String GAUGE = "cocoplane.audit.integrity.failed";

    private final AtomicReference<String> failure = new AtomicReference<>();
    private final AtomicReference<IntegrityReport> last = new AtomicReference<>();
    private volatile Instant failedAt;

    /**
     * @param meters registry the gauge is registered in
     */
    public IntegrityStatus(MeterRegistry meters) {
        Gauge.builder(GAUGE, this, s -> s.failed() ? 1 : 0)
                .description("1 when the stored audit log was found altered, else 0")
                .register(meters);
    }

    /**
     * Latches a failure (the first reason is kept).
     *
     * @param reason what was found altered
     */
    public void fail(String reason) {
        if (failure.compareAndSet(null, reason)) {
            failedAt = Instant.now();
        }
    }

    /**
     * @param report a finished check; a failed one latches the failure
     */
    public void record(IntegrityReport report) {
        last.set(report);
        if (!report.ok()) {
            fail(report.problems().isEmpty() ? "integrity check failed" : report.problems().get(0));
        }
    }

    /** @return true once a failure was latched */
    public boolean failed() {
        return failure.get() != null;
    }

    /** @return the first failure reason, or null */
    public String failure() {
        return failure.get();
    }

    /** @return when the failure was latched, or null */
    public Instant failedAt() {
        return failedAt;
    }

    /** @return the last finished report, or null before the first check */
    public IntegrityReport last() {
        return last.get();
    }
}

package io.cocoplane.orchestrator.domain;

import java.time.Duration;

/**
 * Lifecycle deadlines. Kata CI waits up to 90 s for CoCo pods; a guest pull is bounded by the kubelet's 120 s
 * {@code runtimeRequestTimeout} per attempt; peer pods take minutes ({@code kata-orchestration.md} §5, §6).
 *
 * @param scheduling  from the request to the pod's creation (image resolution included)
 * @param attestation from the pod's creation to a successful attestation (or key release)
 * @param readiness   from the pod's creation to the pod's Ready condition
 */
public record Deadlines(Duration scheduling, Duration attestation, Duration readiness) {

    /** @throws IllegalArgumentException when a duration is missing, zero or negative */
    public Deadlines {
        for (Duration d : new Duration[] {scheduling, attestation, readiness}) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("deadlines must be positive: " + d);
            }
        }
    }

    /** Defaults: 2 min to schedule, 5 min to attest, 5 min to become ready. */
    public static Deadlines defaults() {
        return new Deadlines(Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(5));
    }
}

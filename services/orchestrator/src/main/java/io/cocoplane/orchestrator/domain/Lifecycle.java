package io.cocoplane.orchestrator.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * The persisted lifecycle of one workload: its state plus the facts the state machine converges on.
 *
 * @param state       current state
 * @param reason      failure reason when {@code state} is {@link WorkloadState#FAILED}, else {@code null}
 * @param detail      human-readable detail of the last transition, or {@code null}
 * @param podReady    whether the pod's Ready condition is currently True (as last observed)
 * @param attested    whether a successful attestation or a key release was seen for this workload
 * @param requestedAt when the command was accepted
 * @param scheduledAt when the pod was created, or {@code null} before
 */
public record Lifecycle(WorkloadState state, FailureReason reason, String detail, boolean podReady, boolean attested,
                        Instant requestedAt, Instant scheduledAt) {

    /** @throws NullPointerException when {@code state} or {@code requestedAt} is missing */
    public Lifecycle {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(requestedAt, "requestedAt");
    }

    /**
     * @param requestedAt when the command was accepted
     * @return the lifecycle of a freshly requested workload
     */
    public static Lifecycle requested(Instant requestedAt) {
        return new Lifecycle(WorkloadState.REQUESTED, null, null, false, false, requestedAt, null);
    }

    Lifecycle withState(WorkloadState s, FailureReason r, String d) {
        return new Lifecycle(s, r, d, podReady, attested, requestedAt, scheduledAt);
    }

    Lifecycle withPodReady(boolean ready) {
        return new Lifecycle(state, reason, detail, ready, attested, requestedAt, scheduledAt);
    }

    Lifecycle withAttested() {
        return new Lifecycle(state, reason, detail, podReady, true, requestedAt, scheduledAt);
    }

    Lifecycle withScheduledAt(Instant at) {
        return new Lifecycle(state, reason, detail, podReady, attested, requestedAt, at);
    }
}

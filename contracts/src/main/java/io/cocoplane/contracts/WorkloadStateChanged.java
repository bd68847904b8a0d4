package io.cocoplane.contracts;

import java.util.Objects;

/**
 * {@code workload.state-changed}: A workload moved in its lifecycle (REQUESTED, SCHEDULED, ATTESTED, RUNNING, FAILED, TERMINATING, TERMINATED).
 *
 * <p>CloudEvents type {@code io.cocoplane.workload.state-changed.v1} on topic {@link Topics#WORKLOAD_EVENTS}; JSON Schema {@code schemas/workload.state-changed.v1.json}.
 *
 * @param workloadId Workload id.
 * @param from State before, or null for the first state.
 * @param to State after.
 * @param reason Reason code, e.g. IMAGE_NOT_FOUND, KEY_MISSING, POD_REJECTED, ATTESTATION_FAILED, KEY_DENIED, IMAGE_DECRYPT_FAILED, DEADLINE_EXCEEDED; null when none.
 * @param detail Human-readable detail, or null.
 */
public record WorkloadStateChanged(String workloadId, String from, String to, String reason, String detail) implements CocoEvent {

    /** Checks required members; lists and maps are copied unmodifiable. @throws NullPointerException naming a missing required member */
    public WorkloadStateChanged {
        Objects.requireNonNull(workloadId, "workloadId");
        Objects.requireNonNull(to, "to");
    }

    /** @return {@link #workloadId()}, the aggregate id and record key */
    @Override
    public String subject() {
        return workloadId;
    }
}

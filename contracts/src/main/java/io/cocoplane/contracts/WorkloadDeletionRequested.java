package io.cocoplane.contracts;

import java.util.Objects;

/**
 * {@code workload.deletion-requested}: Command: delete a workload and its pod.
 *
 * <p>CloudEvents type {@code io.cocoplane.workload.deletion-requested.v1} on topic {@link Topics#WORKLOAD_COMMANDS}; JSON Schema {@code schemas/workload.deletion-requested.v1.json}.
 *
 * @param workloadId Workload id.
 * @param requestedBy Subject of the caller that asked.
 */
public record WorkloadDeletionRequested(String workloadId, String requestedBy) implements CocoEvent {

    /** Checks required members; lists and maps are copied unmodifiable. @throws NullPointerException naming a missing required member */
    public WorkloadDeletionRequested {
        Objects.requireNonNull(workloadId, "workloadId");
        Objects.requireNonNull(requestedBy, "requestedBy");
    }

    /** @return {@link #workloadId()}, the aggregate id and record key */
    @Override
    public String subject() {
        return workloadId;
    }
}

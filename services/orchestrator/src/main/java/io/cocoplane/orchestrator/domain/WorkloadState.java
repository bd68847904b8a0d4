package io.cocoplane.orchestrator.domain;

/**
 * Lifecycle states of a workload (ARCHITECTURE §4):
 * {@code REQUESTED → SCHEDULED → ATTESTED → RUNNING}, {@code FAILED} (with a {@link FailureReason}) reachable from
 * every state before termination, and {@code TERMINATING → TERMINATED} after a deletion request.
 */
public enum WorkloadState {
    /** The command was accepted; the image is being resolved and the pod not yet created. */
    REQUESTED,
    /** The Kata pod exists in Kubernetes; the guest has not yet been attested. */
    SCHEDULED,
    /** The guest passed attestation (or received a key); the pod is not yet ready. */
    ATTESTED,
    /** Attested and the pod reports Ready. */
    RUNNING,
    /** Stopped by a failure; see the reason. Only a deletion request leaves this state. */
    FAILED,
    /** Deletion requested; the pod is being removed. */
    TERMINATING,
    /** The pod is gone after a deletion request. Final. */
    TERMINATED;

    /** @return whether nothing but a deletion request can change this state */
    public boolean isTerminal() {
        return this == FAILED || this == TERMINATED;
    }
}

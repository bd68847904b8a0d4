package io.cocoplane.orchestrator.domain;

/**
 * Reason codes of the {@link WorkloadState#FAILED} state, as carried in {@code workload.state-changed.reason}.
 * The first seven are the catalogue's (ARCHITECTURE §3); the others name further failure signatures of
 * {@code kata-orchestration.md} §5 so that an operator can tell them apart.
 */
public enum FailureReason {
    /** The requested tag or digest is not in the image projection (no {@code image.pushed} for it). */
    IMAGE_NOT_FOUND,
    /** An encrypted layer's KEK id is not a key-broker resource, or an encrypted layer carries no CoCo key id. */
    KEY_MISSING,
    /** Kubernetes refused the pod (HTTP 4xx on create) or the sandbox could not be created (FailedCreatePodSandBox). */
    POD_REJECTED,
    /** {@code attestation.completed} for the workload with a failure or a non-affirming status. */
    ATTESTATION_FAILED,
    /** {@code key.denied} for the workload. */
    KEY_DENIED,
    /** The guest could not decrypt a layer ("Failed to decrypt the image layer"). */
    IMAGE_DECRYPT_FAILED,
    /** A scheduling, attestation or readiness deadline passed. */
    DEADLINE_EXCEEDED,
    /** The kata-agent policy refused a request ("...Request is blocked by policy"). */
    POLICY_DENIED,
    /** The image could not be pulled (host-side ErrImagePull/ImagePullBackOff or a guest pull error). */
    IMAGE_PULL_FAILED,
    /** The guest's image security policy rejected the image ("Image policy rejected"). */
    IMAGE_SIGNATURE_REJECTED,
    /** The registry refused the guest's pull ("Not authorized"). */
    REGISTRY_AUTH_FAILED,
    /** Container creation (guest pull) timed out. */
    GUEST_PULL_TIMEOUT,
    /** RunContainerError/CreateContainerError/StartError with a message that matches no known signature. */
    CONTAINER_START_FAILED,
    /** The pod phase became Failed. */
    POD_FAILED,
    /** The pod disappeared without a deletion request. */
    POD_LOST,
    /** The command broke a rule (namespace not allowed, unknown TEE, bad name, limits too large...). */
    INVALID_REQUEST
}

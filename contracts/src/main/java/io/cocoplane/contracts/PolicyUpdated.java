package io.cocoplane.contracts;

import java.util.Objects;

/**
 * {@code policy.updated}: A resource or attestation policy changed.
 *
 * <p>CloudEvents type {@code io.cocoplane.policy.updated.v1} on topic {@link Topics#KEY_EVENTS}; JSON Schema {@code schemas/policy.updated.v1.json}.
 *
 * @param policyId Policy id, e.g. "resource" or an attestation policy id.
 * @param kind "resource" or "attestation".
 * @param updatedBy Subject of the admin.
 * @param contentDigest "sha256:<hex>" of the new policy text.
 */
public record PolicyUpdated(String policyId, String kind, String updatedBy, String contentDigest) implements CocoEvent {

    /** Checks required members; lists and maps are copied unmodifiable. @throws NullPointerException naming a missing required member */
    public PolicyUpdated {
        Objects.requireNonNull(policyId, "policyId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(updatedBy, "updatedBy");
        Objects.requireNonNull(contentDigest, "contentDigest");
    }

    /** @return {@link #policyId()}, the aggregate id and record key */
    @Override
    public String subject() {
        return policyId;
    }
}

package io.cocoplane.contracts;

import java.util.Objects;

/**
 * {@code reference-value.updated}: A reference value was registered or replaced.
 *
 * <p>CloudEvents type {@code io.cocoplane.reference-value.updated.v1} on topic {@link Topics#ATTESTATION_EVENTS}; JSON Schema {@code schemas/reference-value.updated.v1.json}.
 *
 * @param name Reference value name.
 * @param updatedBy Subject of the admin.
 * @param contentDigest "sha256:<hex>" of the new content.
 */
public record ReferenceValueUpdated(String name, String updatedBy, String contentDigest) implements CocoEvent {

    /** Checks required members; lists and maps are copied unmodifiable. @throws NullPointerException naming a missing required member */
    public ReferenceValueUpdated {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(updatedBy, "updatedBy");
        Objects.requireNonNull(contentDigest, "contentDigest");
    }

    /** @return {@link #name()}, the aggregate id and record key */
    @Override
    public String subject() {
        return name;
    }
}

package io.cocoplane.contracts;

import java.util.Objects;

/**
 * {@code key.resource-updated}: A resource (secret) was stored in the key broker. Never carries the value.
 *
 * <p>CloudEvents type {@code io.cocoplane.key.resource-updated.v1} on topic {@link Topics#KEY_EVENTS}; JSON Schema {@code schemas/key.resource-updated.v1.json}.
 *
 * @param resourcePath KBS resource path.
 * @param version New version number, from 1.
 * @param updatedBy Subject of the admin.
 * @param size Size of the value in bytes.
 */
public record KeyResourceUpdated(String resourcePath, long version, String updatedBy, long size) implements CocoEvent {

    /** Checks required members; lists and maps are copied unmodifiable. @throws NullPointerException naming a missing required member */
    public KeyResourceUpdated {
        Objects.requireNonNull(resourcePath, "resourcePath");
        Objects.requireNonNull(updatedBy, "updatedBy");
    }

    /** @return {@link #resourcePath()}, the aggregate id and record key */
    @Override
    public String subject() {
        return resourcePath;
    }
}

package io.cocoplane.contracts;

import java.util.Objects;

/**
 * {@code key.resource-deleted}: A resource was deleted from the key broker.
 *
 * <p>CloudEvents type {@code io.cocoplane.key.resource-deleted.v1} on topic {@link Topics#KEY_EVENTS}; JSON Schema {@code schemas/key.resource-deleted.v1.json}.
 *
 * @param resourcePath KBS resource path.
 * @param deletedBy Subject of the admin.
 */
public record KeyResourceDeleted(String resourcePath, String deletedBy) implements CocoEvent {

    /** Checks required members; lists and maps are copied unmodifiable. @throws NullPointerException naming a missing required member */
    public KeyResourceDeleted {
        Objects.requireNonNull(resourcePath, "resourcePath");
        Objects.requireNonNull(deletedBy, "deletedBy");
    }

    /** @return {@link #resourcePath()}, the aggregate id and record key */
    @Override
    public String subject() {
        return resourcePath;
    }
}

package io.cocoplane.contracts;

import java.util.List;
import java.util.Objects;

/**
 * {@code image.deleted}: A manifest was deleted from the registry.
 *
 * <p>CloudEvents type {@code io.cocoplane.image.deleted.v1} on topic {@link Topics#IMAGE_EVENTS}; JSON Schema {@code schemas/image.deleted.v1.json}.
 *
 * @param repository Repository name.
 * @param digest Manifest digest, "sha256:<64 hex>".
 * @param tags Tags that pointed at it before the deletion.
 */
public record ImageDeleted(String repository, String digest, List<String> tags) implements CocoEvent {

    /** Checks required members; lists and maps are copied unmodifiable. @throws NullPointerException naming a missing required member */
    public ImageDeleted {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(digest, "digest");
        tags = List.copyOf(Objects.requireNonNull(tags, "tags"));
    }

    /** @return {@code <repository>@<digest>}, the aggregate id and record key */
    @Override
    public String subject() {
        return repository + "@" + digest;
    }
}

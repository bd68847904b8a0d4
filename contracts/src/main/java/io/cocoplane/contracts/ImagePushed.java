package io.cocoplane.contracts;

import java.util.List;
import java.util.Objects;

/**
 * {@code image.pushed}: A manifest was pushed to the registry.
 *
 * <p>CloudEvents type {@code io.cocoplane.image.pushed.v1} on topic {@link Topics#IMAGE_EVENTS}; JSON Schema {@code schemas/image.pushed.v1.json}.
 *
 * @param repository Repository name.
 * @param digest Manifest digest, "sha256:<64 hex>".
 * @param tags Tags pointing at the manifest after the push.
 * @param mediaType Manifest media type.
 * @param layers Layers, in manifest order (empty for an index).
 * @param keyIds Union of the layers' CoCo key ids.
 * @param subjectDigest Digest of the manifest's OCI subject (referrers API), or null.
 */
public record ImagePushed(String repository, String digest, List<String> tags, String mediaType, List<LayerInfo> layers, List<String> keyIds, String subjectDigest) implements CocoEvent {

    /** Checks required members; lists and maps are copied unmodifiable. @throws NullPointerException naming a missing required member */
    public ImagePushed {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(digest, "digest");
        tags = List.copyOf(Objects.requireNonNull(tags, "tags"));
        Objects.requireNonNull(mediaType, "mediaType");
        layers = List.copyOf(Objects.requireNonNull(layers, "layers"));
        keyIds = List.copyOf(Objects.requireNonNull(keyIds, "keyIds"));
    }

    /** @return {@code <repository>@<digest>}, the aggregate id and record key */
    @Override
    public String subject() {
        return repository + "@" + digest;
    }
}

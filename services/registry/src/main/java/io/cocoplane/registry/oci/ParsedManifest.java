package io.cocoplane.registry.oci;

import java.util.List;
import java.util.Map;

/**
 * What the registry keeps from a manifest besides its bytes: the references it makes (for MANIFEST_BLOB_UNKNOWN
 * checks and garbage collection), its OCI {@code subject} and the descriptor fields the referrers API reports.
 *
 * @param mediaType   the effective manifest media type
 * @param index       true for an image index or manifest list
 * @param artifactType the {@code artifactType} member, or null
 * @param config      the config descriptor, or null (indexes)
 * @param layers      the layer descriptors, in order (empty for indexes)
 * @param manifests   the child manifest descriptors of an index (empty for manifests)
 * @param subject     the {@code subject} descriptor, or null
 * @param annotations the top-level annotations
 */
public record ParsedManifest(String mediaType, boolean index, String artifactType, Descriptor config,
        List<Descriptor> layers, List<Descriptor> manifests, Descriptor subject, Map<String, String> annotations) {

    /** Copies the collections. */
    public ParsedManifest {
        layers = List.copyOf(layers);
        manifests = List.copyOf(manifests);
        annotations = Map.copyOf(annotations);
    }

    /**
     * @return the {@code artifactType} reported by the referrers API (distribution-spec v1.1.1 "Listing Referrers"):
     *         the manifest's own {@code artifactType}, else the config media type of an image manifest, else null
     */
    public String effectiveArtifactType() {
        if (artifactType != null) {
            return artifactType;
        }
        return config != null ? config.mediaType() : null;
    }

    /**
     * A content descriptor (image-spec {@code descriptor.md}).
     *
     * @param mediaType the media type
     * @param digest    the digest, parsed
     * @param size      the size in bytes
     * @param external  true when the blob lives elsewhere ({@code urls} given, or a Docker foreign layer), so the
     *                  registry does not require it
     */
    public record Descriptor(String mediaType, Digest digest, long size, boolean external) {
    }
}

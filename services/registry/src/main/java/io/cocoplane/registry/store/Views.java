package io.cocoplane.registry.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Read models of the registry metadata, as served by {@code /api/v1/images} and the referrers API. */
public final class Views {

    private Views() {
    }

    /**
     * A repository in the image list.
     *
     * @param name      repository name
     * @param tags      its tags, lexically sorted
     * @param manifests number of manifests
     * @param encrypted true when at least one manifest has an encrypted layer
     */
    public record RepositorySummary(String name, List<String> tags, long manifests, boolean encrypted) {
    }

    /**
     * A page of repositories.
     *
     * @param repositories the repositories
     * @param next         the {@code last} value for the next page, or null at the end
     */
    public record RepositoryPage(List<RepositorySummary> repositories, String next) {
    }

    /**
     * A manifest of a repository.
     *
     * @param digest    manifest digest
     * @param mediaType manifest media type
     * @param size      manifest size in bytes
     * @param tags      tags pointing at it
     * @param encrypted true when at least one layer is encrypted
     * @param keyIds    CoCo key ids of its layers
     * @param pushedAt  first push time
     */
    public record ManifestSummary(String digest, String mediaType, long size, List<String> tags, boolean encrypted,
            List<String> keyIds, Instant pushedAt) {
    }

    /**
     * A repository with its manifests.
     *
     * @param name      repository name
     * @param manifests manifests, newest first
     */
    public record RepositoryDetail(String name, List<ManifestSummary> manifests) {
    }

    /**
     * One layer and its encryption state.
     *
     * @param index         position in the manifest
     * @param digest        layer digest
     * @param mediaType     layer media type
     * @param size          layer size in bytes
     * @param encrypted     true for a {@code +encrypted} media type
     * @param recipients    key-wrap schemes: {@code jwe}, {@code pkcs7}, {@code pgp}, {@code pkcs11},
     *                      {@code provider.<name>}
     * @param jweAlgorithms JOSE {@code alg} of each JWE recipient
     * @param keyIds        CoCo key ids ({@code kbs:///...})
     */
    public record LayerView(int index, String digest, String mediaType, long size, boolean encrypted,
            List<String> recipients, List<String> jweAlgorithms, List<String> keyIds) {
    }

    /**
     * A manifest in detail.
     *
     * @param repository      repository name
     * @param digest          manifest digest
     * @param mediaType       manifest media type
     * @param size            manifest size in bytes
     * @param tags            tags pointing at it
     * @param artifactType    artifact type (explicit or config media type), or null
     * @param subject         OCI subject digest, or null
     * @param encrypted       true when at least one layer is encrypted
     * @param layers          layers in order
     * @param keyIds          union of the layers' CoCo key ids
     * @param annotations     top-level annotations
     * @param encryptionError why the ocicrypt annotations could not be read, or null
     * @param pushedAt        first push time
     */
    public record ManifestDetail(String repository, String digest, String mediaType, long size, List<String> tags,
            String artifactType, String subject, boolean encrypted, List<LayerView> layers, List<String> keyIds,
            Map<String, String> annotations, String encryptionError, Instant pushedAt) {
    }

    /**
     * A referrer descriptor (distribution-spec v1.1.1 "Listing Referrers").
     *
     * @param mediaType    manifest media type
     * @param digest       manifest digest
     * @param size         manifest size
     * @param artifactType artifact type, or null
     * @param annotations  manifest annotations
     */
    public record Referrer(String mediaType, String digest, long size, String artifactType,
            Map<String, String> annotations) {
    }

    /**
     * Result of a garbage-collection pass.
     *
     * @param dryRun       true when nothing was deleted
     * @param blobs        digests of unreferenced blobs (deleted unless dry run)
     * @param bytes        their total size
     * @param orphanFiles  digests of blob files with no metadata (deleted unless dry run)
     * @param uploadsExpired expired upload sessions removed
     */
    public record GcReport(boolean dryRun, List<String> blobs, long bytes, List<String> orphanFiles,
            int uploadsExpired) {
    }
}
